"""The check registry: each check is one function plus its metadata.

A check module declares::

    @check("EXE02", "idle-funds", area="execution", severity="high",
           entity_type="project",
           inputs={"funds": ("project_id", "date", "amount"),
                   "projects": ("project_id",)},
           params=("idle_months", "idle_min_share"),
           basis="盘活财政存量资金 (国办发〔2014〕70号)",
           condition="allocations dated at least idle_months before as_of ...",
           title={"zh": "资金沉淀", "en": "Idle funds"},
           detail={"zh": "...{allocated}...", "en": "...{allocated}..."})
    def idle_funds(ctx: Context) -> pd.DataFrame: ...

The function receives a :class:`Context` and returns one row per finding with
``entity_id`` and, where they apply, ``project_id``, ``county``, ``amount``
(yuan), ``severity`` and ``entity_type`` (override the defaults per row), and either ``detail`` (text in
``ctx.lang``) or the fields named in the ``detail`` template.  The engine adds
finding_id, check_id, area, entity_type, title, basis and status.

A check whose tables/columns listed in ``inputs`` are absent is *not run* with
the reason; a check may also raise :class:`NotRun` for conditions only it
can see (e.g. amounts not in CNY).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

AREAS = ("execution", "procedure", "procurement", "cost", "performance", "subsidies", "commitments")
SEVERITIES = ("high", "medium", "low")
AREA_PREFIX = {"EXE": "execution", "PRC": "procedure", "PRO": "procurement", "COS": "cost",
               "PER": "performance", "SUB": "subsidies", "EFF": "commitments"}


class NotRun(Exception):
    """Raised by a check whose inputs exist but cannot be used (the message is the reason)."""


@dataclass(frozen=True)
class Check:
    id: str
    slug: str
    area: str
    severity: str
    entity_type: str
    inputs: dict[str, tuple[str, ...]]
    params: tuple[str, ...]
    basis: str
    condition: str
    title: dict[str, str]
    detail: dict[str, str] | None
    func: Callable
    # Cross-county checks compare the whole dataset and always use default parameters.
    cross_county: bool = False
    # (table, column) pairs used when present; their absence does not stop the check.
    optional: tuple[tuple[str, str], ...] = ()

    def missing_inputs(self, tables: dict[str, pd.DataFrame]) -> str | None:
        """The reason this check cannot run on ``tables``, or None."""
        reasons = []
        for table, columns in self.inputs.items():
            if table not in tables:
                reasons.append(f"table {table} missing")
                continue
            absent = [c for c in columns if c not in tables[table].columns]
            if absent:
                reasons.append(f"{table}: column(s) {', '.join(absent)} missing")
        return "; ".join(reasons) or None


REGISTRY: dict[str, Check] = {}


def check(id: str, slug: str, *, area: str, severity: str, entity_type: str,
          inputs: dict[str, tuple[str, ...]], basis: str, condition: str,
          title: dict[str, str], detail: dict[str, str] | None = None,
          params: tuple[str, ...] = (), cross_county: bool = False,
          optional: tuple[tuple[str, str], ...] = ()):
    """Register the decorated function as check ``id``."""
    if area not in AREAS:
        raise ValueError(f"{id}: unknown area {area!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"{id}: unknown severity {severity!r}")

    def register(func: Callable) -> Callable:
        if id in REGISTRY and REGISTRY[id].func.__qualname__ != func.__qualname__:
            raise ValueError(f"check {id} registered twice")
        REGISTRY[id] = Check(id, slug, area, severity, entity_type, dict(inputs), tuple(params),
                             basis, condition, dict(title), dict(detail) if detail else None,
                             func, cross_county, tuple(optional))
        return func

    return register


@dataclass(frozen=True)
class Metric:
    name: str
    func: Callable  # (ctx, findings) -> DataFrame
    inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)


METRICS: dict[str, Metric] = {}


def metric(name: str, inputs: dict[str, tuple[str, ...]] | None = None):
    """Register a metric table (e.g. ``exe_by_county``); func(ctx, findings) -> DataFrame."""

    def register(func: Callable) -> Callable:
        METRICS[name] = Metric(name, func, dict(inputs or {}))
        return func

    return register


def all_checks() -> dict[str, Check]:
    """Every registered check, with all area modules imported, in id order."""
    from . import load_all

    load_all()
    return dict(sorted(REGISTRY.items()))
