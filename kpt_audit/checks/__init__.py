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


def _finalise(spec: Check, raw: pd.DataFrame, ctx: Context, county_of_project: pd.Series) -> pd.DataFrame:
    """Turn a check's own frame into rows of the findings schema."""
    if raw is None or len(raw) == 0:
        return empty_findings()
    df = raw.reset_index(drop=True)
    n = len(df)

    def text(value) -> pd.Series:  # one column of the findings: per row (Series, list) or a repeated scalar
        if isinstance(value, pd.Series):
            return value.astype("str")
        return pd.Series(value if isinstance(value, list) else [value] * n, dtype="str")

    project = text(df["project_id"] if "project_id" in df else None)
    county = text(df["county"] if "county" in df else None)
    county = county.where(county.notna() & (county != ""), project.map(county_of_project))
    # a check may name another entity type per row (PRO01: a contract when there is no tender)
    entity_type = text(df["entity_type"].fillna(spec.entity_type) if "entity_type" in df else spec.entity_type)
    entity_id = df["entity_id"].astype("str")
    if "detail" in df:
        detail = df["detail"]
    elif spec.detail:
        template = spec.detail.get(ctx.lang) or spec.detail["zh"]
        fields = [c for c in df.columns if c in template_fields(template)]
        detail = [template.format(**r) for r in df[fields].to_dict("records")]
    else:
        detail = ""
    columns = {
        "finding_id": [finding_id(spec.id, t, e) for t, e in zip(entity_type, entity_id)],
        "check_id": spec.id, "area": spec.area,
        "severity": df["severity"].fillna(spec.severity) if "severity" in df else spec.severity,
        "county": county, "project_id": project, "entity_type": entity_type, "entity_id": entity_id,
        "amount": (pd.to_numeric(df["amount"], errors="coerce").astype("float64") if "amount" in df
                   else np.full(n, np.nan)),
        "title": spec.title.get(ctx.lang) or spec.title["zh"],
        "detail": detail, "basis": spec.basis, "status": "",
    }
    # one constructor call instead of a dozen column insertions: this runs once per check
    return pd.DataFrame({c: text(columns[c]) if c != "amount" else columns[c] for c in FINDING_COLUMNS},
                        index=df.index)


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
    county_of_project = _county_of_project(ctx)

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
    parts = [p for p in parts if len(p)]
    findings = sort_findings(pd.concat(parts, ignore_index=True)) if parts else empty_findings()

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


def _county_of_project(ctx: Context) -> pd.Series:
    if not ctx.has("projects", "project_id", "county"):
        return pd.Series(dtype="str")
    p = ctx.raw["projects"]
    return pd.Series(p["county"].to_numpy(), index=p["project_id"].astype("str")).astype("str")


def _apply_county_overrides(spec: Check, found: pd.DataFrame, ctx: Context, params, county_of_project):
    """Rerun ``spec`` with a county's own parameters and keep that county's findings from it."""
    if spec.cross_county or not spec.params:
        return found
    for county, overrides in sorted(params.county_overrides.items()):
        if not set(overrides) & set(spec.params):
            continue
        local = ctx.with_params({**ctx.params, **overrides})
        again = _finalise(spec, spec.func(local), local, county_of_project)
        found = pd.concat([found[found["county"] != county], again[again["county"] == county]],
                          ignore_index=True)
    return found
