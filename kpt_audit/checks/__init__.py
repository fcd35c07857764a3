"""Run every registered check over a dataset and collect findings, metrics and not_run."""
from __future__ import annotations

import functools
import importlib
import re
import string
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..findings import FINDING_COLUMNS, empty_findings, finding_id, sort_findings
from .context import Context
from .registry import METRICS, REGISTRY, Check, NotRun, all_checks, check, metric

AREA_MODULES = ("execution", "procedure", "procurement", "cost", "performance", "subsidies", "commitments")

__all__ = ["run_checks", "CheckResult", "Context", "check", "metric", "NotRun", "all_checks", "REGISTRY"]


def load_all() -> None:
    """Import every area module so that its checks register themselves."""
    for name in AREA_MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # an area not written yet
            if exc.name != f"{__name__}.{name}":
                raise


@dataclass
class CheckResult:
    findings: pd.DataFrame
    metrics: dict[str, pd.DataFrame]
    not_run: pd.DataFrame
    dataset: object = None
    params: object = None
    timings: dict[str, float] = field(default_factory=dict)


def _finalise(spec: Check, raw: pd.DataFrame, ctx: Context, county_of: "CountyOfProject") -> dict[str, list]:
    """Turn a check's own frame into the findings columns, as plain lists.

    Most checks return a handful of rows; a pandas frame per check cost ~3 ms of overhead each,
    so the engine keeps Python lists and builds one findings frame per run.  Values are cast to
    text once, on that frame (``str`` dtype, as pandas casts each value on its own).
    """
    if raw is None or len(raw) == 0:
        return {c: [] for c in FINDING_COLUMNS}
    n = len(raw)

    def values(name, default=None) -> list:  # one column: from the check's frame, or a repeated default
        if name not in raw:
            return [default] * n
        col = raw[name]
        if col.dtype != "str" and col.dtype != object:
            col = col.astype("str")  # numbers, dates: as pandas spells them
        if default is not None:
            col = col.fillna(default)
        return col.tolist()

    project = values("project_id")
    county = [c if not _missing(c) and c != "" else county_of(_spelled(p))
              for c, p in zip(values("county"), project)]
    # a check may name another entity type per row (PRO01: a contract when there is no tender)
    entity_type = values("entity_type", spec.entity_type)
    entity_id = values("entity_id")
    if "detail" in raw:
        detail = values("detail")
    elif spec.detail:
        template = spec.detail.get(ctx.lang) or spec.detail["zh"]
        fields = [c for c in raw.columns if c in template_fields(template)]
        detail = [template.format(**dict(zip(fields, row)))
                  for row in zip(*(raw[c].tolist() for c in fields))] if fields else [template.format()] * n
    else:
        detail = [""] * n
    amount = (pd.to_numeric(raw["amount"], errors="coerce").astype("float64").tolist() if "amount" in raw
              else [np.nan] * n)
    return {
        "finding_id": [finding_id(spec.id, t, _spelled(e)) for t, e in zip(entity_type, entity_id)],
        "check_id": [spec.id] * n, "area": [spec.area] * n,
        "severity": values("severity", spec.severity),
        "county": county, "project_id": project, "entity_type": entity_type, "entity_id": entity_id,
        "amount": amount,
        "title": [spec.title.get(ctx.lang) or spec.title["zh"]] * n,
        "detail": detail, "basis": [spec.basis] * n, "status": [""] * n,
    }


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _spelled(value):
    """A value as the findings frame spells it: a string, or NaN when missing (pandas' ``str`` cast)."""
    if isinstance(value, str):
        return value
    return np.nan if _missing(value) else pd.Series([value], dtype="str").iloc[0]


def _findings_frame(parts: list[dict[str, list]]) -> pd.DataFrame:
    """One findings frame from every check's columns (unsorted)."""
    columns = {c: [v for part in parts for v in part[c]] for c in FINDING_COLUMNS}
    return pd.DataFrame({c: pd.Series(columns[c], dtype="float64" if c == "amount" else "str")
                         for c in FINDING_COLUMNS})


class CountyOfProject:
    """county by project_id (projects as loaded), looked up only for findings that name no county."""

    def __init__(self, ctx: Context):
        self._ctx = ctx
        self._table: dict | None = None

    def __call__(self, project_id):
        if self._table is None:
            self._table = {}
            if self._ctx.has("projects", "project_id", "county"):
                p = self._ctx.raw["projects"]
                ids, counties = p["project_id"].astype("str").tolist(), p["county"].astype("str").tolist()
                self._table = dict(zip(reversed(ids), reversed(counties)))  # first row of an id wins
        county = self._table.get(project_id) if isinstance(project_id, str) else None
        return None if _missing(county) else county


@functools.lru_cache(maxsize=None)
def template_fields(template: str) -> frozenset[str]:
    """The names a detail template reads ('{paid:,.2f}' reads paid)."""
    names = (f for _, f, _, _ in string.Formatter().parse(template) if f)
    return frozenset(re.split(r"[.\[]", f, maxsplit=1)[0] for f in names)


def run_checks(dataset, params=None, counties=None, checks=None) -> CheckResult:
    """Run the checks over the whole dataset; ``counties`` only filters what is returned.

    ``params`` is a :class:`kpt_audit.params.Params` (defaults when None).
    ``checks`` restricts the run to those ids (for tests and benchmarks).
    """
    from ..params import load_params

    params = params if params is not None else load_params()
    tables = dataset.tables if hasattr(dataset, "tables") else dict(dataset)
    ctx = Context(tables, params.values, params.as_of, params.lang)
    county_of_project = CountyOfProject(ctx)

    registry = all_checks()
    selected = [registry[c] for c in (checks or registry)]
    parts, not_run, timings = [], [], {}
    for spec in selected:
        reason = spec.missing_inputs(ctx.tables)
        if reason:
            not_run.append((spec.id, reason))
            continue
        started = time.perf_counter()
        try:
            found = _finalise(spec, spec.func(ctx), ctx, county_of_project)
            found = _apply_county_overrides(spec, found, ctx, params, county_of_project)
        except NotRun as exc:
            not_run.append((spec.id, str(exc)))
            continue
        timings[spec.id] = time.perf_counter() - started
        parts.append(found)
    parts = [p for p in parts if p["finding_id"]]
    findings = sort_findings(_findings_frame(parts)) if parts else empty_findings()

    metrics = {}
    for m in METRICS.values():
        missing = [t for t, cols in m.inputs.items()
                   if t not in ctx.tables or any(c not in ctx.tables[t].columns for c in cols)]
        if not missing:
            metrics[m.name] = m.func(ctx, findings)

    if counties:
        wanted = set(counties)
        findings = findings[findings["county"].isin(wanted)].reset_index(drop=True)
        metrics = {k: (v[v["county"].isin(wanted)].reset_index(drop=True) if "county" in v else v)
                   for k, v in metrics.items()}
    not_run_df = pd.DataFrame(not_run, columns=["check_id", "reason"]).astype("str")
    return CheckResult(findings, metrics, not_run_df, dataset, params, timings)


def _apply_county_overrides(spec: Check, found: pd.DataFrame, ctx: Context, params, county_of_project):
    """Rerun ``spec`` with a county's own parameters and keep that county's findings from it."""
    if spec.cross_county or not spec.params:
        return found
    for county, overrides in sorted(params.county_overrides.items()):
        if not set(overrides) & set(spec.params):
            continue
        local = ctx.with_params({**ctx.params, **overrides})
        again = _finalise(spec, spec.func(local), local, county_of_project)
        kept = [i for i, c in enumerate(found["county"]) if c != county]
        local_rows = [i for i, c in enumerate(again["county"]) if c == county]
        found = {name: [found[name][i] for i in kept] + [again[name][i] for i in local_rows]
                 for name in FINDING_COLUMNS}
    return found
