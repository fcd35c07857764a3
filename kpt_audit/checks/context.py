"""What a check sees: the as-of view of the tables, its parameters and shared frames.

The spec says any dated event after ``as_of`` is treated as not yet having
happened.  That rule is applied here once, so checks cannot disagree on it:

* rows whose own event date is after as_of are left out of the view:
  funds (date), payments (date), contract_changes (date), contracts
  (sign_date) and progress (a month counts when its first day is on or
  before as_of);
* event dates after as_of are blanked (NaT) in projects (start, completion,
  every approval and permit, acceptance, final accounts, operation),
  subsidies (approval_date, disbursed_date; disbursed_amount with it) and
  commitments (done_date).

Tenders are left as they are: their award date matters with its value
(PRO04: "award_date not after as_of"), so each tender check reads it itself.
A tender whose notice_date is after as_of is judged as recorded by the
procurement checks: checks.md's list of events that have not yet happened
by as_of names the award, not the notice, and a procedure already in the
ledger (a notice dated in advance, a date typed wrong) is there for the
auditor to see.  PRC05 alone leaves such tenders out: it compares the notice
with the approval it needs, and an approval after as_of counts as missing,
so a notice after as_of would be judged against approvals not yet given.
``ctx.raw`` holds the tables as loaded, for the few checks that need them
(e.g. COS07 compares a payment with a contract signed after as_of).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

PROJECT_EVENT_DATES = (
    "actual_start", "actual_completion", "acceptance_date", "final_accounts_date", "operation_date",
    "approval_date", "fsr_approval_date", "design_approval_date", "land_approval_date",
    "planning_permit_date", "eia_approval_date", "construction_permit_date",
)
ROW_EVENT_DATE = {"funds": "date", "payments": "date", "contract_changes": "date", "contracts": "sign_date"}
BLANKED_DATES = {
    "projects": PROJECT_EVENT_DATES,
    "subsidies": ("approval_date", "disbursed_date"),
    "commitments": ("done_date",),
}


def dates_once(text: pd.Series, suffix: str = "", **to_datetime) -> pd.Series:
    """``pd.to_datetime(text + suffix, **to_datetime)``, parsing each distinct value once
    (a progress table repeats a few dozen months over its rows)."""
    codes, distinct = pd.factorize(text)
    parsed = pd.to_datetime(pd.Series(distinct, dtype="string") + suffix, **to_datetime)
    taken = pd.api.extensions.take(parsed.to_numpy(), codes, allow_fill=True)
    return pd.Series(taken, index=text.index, dtype="datetime64[ns]")


def month_starts(month: pd.Series) -> pd.Series:
    """The first day of each 'YYYY-MM' month (NaT when it is not one)."""
    return dates_once(month, "-01", errors="coerce", format="%Y-%m-%d")


MAX_KEPT_RUNS = 16  # beyond this many kept stretches a plain filter is as quick and leaves fewer chunks


def rows_kept(df: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """``df[keep]``, the same frame, but without copying arrow columns when few rows go.

    A filter copies every string of every arrow column; as_of usually drops a handful of a
    million payments.  Slices of a frame share their arrow buffers, and concatenating them
    only chains those buffers as chunks, so the strings are never copied.
    """
    edges = np.flatnonzero(np.diff(np.concatenate(([False], keep, [False])).astype(np.int8)))
    starts, ends = edges[::2], edges[1::2]
    if len(starts) == 0 or len(starts) > MAX_KEPT_RUNS:
        return df[keep]
    return pd.concat([df.iloc[s:e] for s, e in zip(starts, ends)])


def as_of_view(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    view: dict[str, pd.DataFrame] = {}
    for name, df in tables.items():
        if name in ROW_EVENT_DATE and ROW_EVENT_DATE[name] in df.columns:
            # a row with no date cannot be placed in time: it stays (the loader warned)
            future = (df[ROW_EVENT_DATE[name]] > as_of).to_numpy()
            if future.any():
                df = rows_kept(df, ~future)
        elif name == "progress" and "month" in df.columns:
            future = (month_starts(df["month"]) > as_of).to_numpy()
            if future.any():
                df = rows_kept(df, ~future)
        elif name in BLANKED_DATES:
            future = {c: df[c] > as_of for c in BLANKED_DATES[name] if c in df.columns}
            if any(m.any() for m in future.values()):
                df = df.copy()
                for c, mask in future.items():
                    if mask.any():
                        df[c] = df[c].mask(mask)  # NaT (a .loc write per column costs more)
                if name == "subsidies" and "disbursed_date" in future and "disbursed_amount" in df.columns:
                    df["disbursed_amount"] = df["disbursed_amount"].mask(future["disbursed_date"])
        view[name] = df
    return view


class ParamsRead(dict):
    """A check's parameters, remembering which ones it read (the battery compares them with
    the parameters it declares)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


class Context:
    """Tables (as-of view), parameters and a cache of frames shared between checks."""

    def __init__(self, tables: dict[str, pd.DataFrame], params: dict[str, Any], as_of,
                 lang: str = "zh", raw: dict[str, pd.DataFrame] | None = None,
                 cache: dict | None = None, unknown: pd.DataFrame | None = None,
                 origin: dict[str, pd.DataFrame] | None = None,
                 currencies: dict[str, frozenset[str]] | None = None):
        self.as_of = pd.Timestamp(as_of).normalize()
        self.raw = raw if raw is not None else tables
        self.tables = as_of_view(tables, self.as_of) if raw is None else tables
        self.params = ParamsRead(params)
        self.lang = lang
        self._cache = cache if cache is not None else {}
        # cells the loader could not read (table, row label, column, value) and each row's origin
        # (file, sheet, row): checks never judge an entity on a value that is unknown, DQ01 reports it
        self.unknown = unknown if unknown is not None else pd.DataFrame(
            {c: pd.Series(dtype="object") for c in ("table", "row", "column", "value")})
        self.origin = origin or {}
        self.currencies = currencies  # of the whole data, when these tables are a part of it (Dataset.currencies)

    def with_params(self, params: dict[str, Any]) -> "Context":
        """Same tables and cache, other parameters (per-county overrides)."""
        return Context(self.tables, params, self.as_of, self.lang, raw=self.raw, cache=self._cache,
                       unknown=self.unknown, origin=self.origin, currencies=self.currencies)

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def has(self, table: str, *columns: str) -> bool:
        return table in self.tables and all(c in self.tables[table].columns for c in columns)

    def p(self, name: str) -> Any:
        return self.params[name]

    def cache(self, key: str, build: Callable[[], Any]) -> Any:
        """Build a derived frame once per run.  It must not depend on parameters, or its key must
        name the parameter values it reads (a county's overrides are other objects)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]
