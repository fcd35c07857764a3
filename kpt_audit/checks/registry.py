"""What a check is: one function plus its metadata, declared beside it.

A check module declares::

    @check("EXE02", "idle-funds", area="execution", severity="high", entity_type="project",
           inputs={"funds": ("project_id", "date", "amount"), "projects": ("project_id",)},
           params=("idle_months", "idle_min_share"),
           basis="盘活财政存量资金 (国办发〔2014〕70号)",
           condition={"zh": "资金下达满若干个月（参数 idle_months）…", "en": "allocations at least idle_months …"},
           amount={"zh": "沉淀资金：已下达未支付", "en": "idle funds: allocated, not paid"},
           title={"zh": "资金沉淀", "en": "Idle funds"},
           detail={"zh": "…{allocated}…", "en": "…{allocated}…"})
    def idle_funds(ctx: Context) -> pd.DataFrame: ...

The function receives a :class:`~kpt_audit.checks.context.Context` and returns one
row per finding with ``entity_id`` and, where they apply, ``project_id``,
``county``, ``amount`` (yuan), ``severity`` and ``entity_type`` (overriding the
defaults per row), and the values its ``detail`` template quotes, as values
(yuan, dates, fractions, codes; ``frames.fmt`` says how the template shows
them).  A check with several wordings gives ``detail`` as ``{variant: {zh, en}}``
and a ``variant`` column.  The engine renders the detail in the report
language, keeps the quoted values with the finding (``values``) and adds
finding_id, check_id, area, title, basis and status.  The decorator only attaches the metadata to the function
(``func.check``); ``catalogue`` lists the modules whose checks run.

A check whose ``inputs`` are absent is *not run* with the reason; a check may
also raise :class:`NotRun` for conditions only it can see (amounts not in CNY),
and a check that could not judge some entities returns
``partly_judged(rows, entities=n)`` (checks.md revision 2: reported in
not_run.csv with reason ``partly judged`` and the count).
"""
from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

AREAS = ("execution", "procedure", "procurement", "cost", "performance", "subsidies", "commitments", "data")
SEVERITIES = ("high", "medium", "low")
LANGS = ("zh", "en")
AREA_PREFIX = {"EXE": "execution", "PRC": "procedure", "PRO": "procurement", "COS": "cost",
               "PER": "performance", "SUB": "subsidies", "EFF": "commitments", "DQ": "data"}
PARTLY_JUDGED = "partly judged"
# the amount text of a check whose findings carry no amount
NO_AMOUNT = {"zh": "不计金额", "en": "no amount"}


class NotRun(Exception):
    """Raised by a check whose inputs exist but cannot be used (the message is the reason)."""


def partly_judged(rows: pd.DataFrame, entities) -> pd.DataFrame:
    """``rows`` marked as the findings of a check that could not judge ``entities`` entities: how many,
    or each one's county (the county its finding would have), so that a county's own parameters
    (params/counties) count that county's entities by their own rule."""
    rows = rows if rows is not None else pd.DataFrame()
    if isinstance(entities, (int, np.integer)):
        rows.attrs["unjudged"] = int(entities)
    else:
        counties = pd.Series(entities, dtype="object").fillna("")
        rows.attrs["unjudged"] = len(counties)
        rows.attrs["unjudged_by_county"] = counties.value_counts().to_dict()
    return rows


@functools.lru_cache(maxsize=None)
def template_fields(template: str) -> frozenset[str]:
    """The names a detail template reads ('{paid:,.2f}' reads paid)."""
    names = (f for _, f, _, _ in string.Formatter().parse(template) if f)
    return frozenset(re.split(r"[.\[]", f, maxsplit=1)[0] for f in names)


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
    condition: dict[str, str]
    amount: dict[str, str]
    title: dict[str, str]
    # variant -> {zh, en} templates ("" for a check with one wording); None: the check writes its detail
    detail: dict[str, dict[str, str]] | None
    func: Callable
    # Cross-county checks compare the whole dataset and always use default parameters.
    cross_county: bool = False
    # (table, column) pairs used when present; their absence does not stop the check.
    optional: tuple[tuple[str, str], ...] = ()
    # the date its dated rules are judged on (checks.md revision 2), as table.column; None: no dated rule
    event_date: str | None = None

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

    @property
    def has_amount(self) -> bool:
        """Whether its findings carry an amount (its ``amount`` text says what it means)."""
        return self.amount != NO_AMOUNT

    def text(self, part: str, lang: str) -> str:
        """``title``, ``condition`` or ``amount`` in ``lang`` (zh when it has none)."""
        entry = getattr(self, part) or {}
        return entry.get(lang) or entry.get("zh", "")

    def detail_fields(self, variant: str = "") -> frozenset[str]:
        """The values a finding's detail quotes (the same in both languages)."""
        return template_fields(self.detail[variant]["zh"]) if self.detail else frozenset()

    def all_detail_fields(self) -> frozenset[str]:
        """The values any of its wordings quotes."""
        return frozenset().union(*(self.detail_fields(v) for v in self.detail or {}))


def _in_both_languages(check_id: str, name: str, value) -> dict[str, str]:
    if isinstance(value, str):  # one text serves both languages (a law's name, a formula)
        value = {"zh": value, "en": value}
    if not isinstance(value, dict) or set(value) != set(LANGS) or not all(value.values()):
        raise ValueError(f"{check_id}: {name} needs a text in zh and in en")
    return dict(value)


def check(id: str, slug: str, *, area: str, severity: str, entity_type: str,
          inputs: dict[str, tuple[str, ...]], basis: str, condition, title: dict[str, str],
          amount=None, detail: dict[str, str] | None = None, params: tuple[str, ...] = (),
          cross_county: bool = False, optional: tuple[tuple[str, str], ...] = (),
          event_date: str | None = None):
    """Attach check ``id``'s metadata to the decorated function (as ``func.check``)."""
    if area not in AREAS:
        raise ValueError(f"{id}: unknown area {area!r}")
    prefix = id.rstrip("0123456789")
    if AREA_PREFIX.get(prefix, area) != area:
        raise ValueError(f"{id}: the prefix {prefix} belongs to area {AREA_PREFIX[prefix]}, not {area}")
    if severity not in SEVERITIES:
        raise ValueError(f"{id}: unknown severity {severity!r}")
    title = _in_both_languages(id, "title", title)
    condition = _in_both_languages(id, "condition", condition)
    amount = _in_both_languages(id, "amount", amount or NO_AMOUNT)
    if detail is not None:
        # one wording {zh, en}, or several {variant: {zh, en}} chosen per finding by its "variant" value
        variants = {"": detail} if set(detail) <= set(LANGS) else detail
        detail = {name: _in_both_languages(id, f"detail {name}".strip(), text) for name, text in variants.items()}
        for name, text in detail.items():
            if template_fields(text["zh"]) != template_fields(text["en"]):
                raise ValueError(f"{id}: the zh and en detail templates {name} quote different fields")

    def register(func: Callable) -> Callable:
        func.check = Check(id, slug, area, severity, entity_type, dict(inputs), tuple(params), basis,
                           condition, amount, title, detail, func, cross_county, tuple(optional), event_date)
        return func

    return register


@dataclass(frozen=True)
class Metric:
    name: str
    func: Callable  # (ctx, findings) -> DataFrame
    inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def missing_inputs(self, tables: dict[str, pd.DataFrame]) -> bool:
        return any(t not in tables or any(c not in tables[t].columns for c in cols)
                   for t, cols in self.inputs.items())


def metric(name: str, inputs: dict[str, tuple[str, ...]] | None = None):
    """Declare a metric table (e.g. ``exe_by_county``); func(ctx, findings) -> DataFrame."""

    def register(func: Callable) -> Callable:
        func.metric = Metric(name, func, dict(inputs or {}))
        return func

    return register
