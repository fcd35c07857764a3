"""Dated parameters: the value of a rule in force on each entity's event date (checks.md revision 2).

A dated parameter is a list of periods ``{from, to, basis, <values>}`` (``kpt_audit.params``
validates them: in order, inclusive, no overlap); a plain value is one period for all dates.
``in_force(ctx, "retention_share", event_date)`` gives, per entity, the values of the period
containing its event date and that period's basis; an entity whose event date is missing or
falls in no period is *not judged* (``judged`` False): the check leaves it out and says how
many with ``partly_judged``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..context import Context


def periods(value) -> list[dict]:
    """A parameter's periods; a plain value is one period covering every date."""
    if isinstance(value, list):
        return value
    plain = dict(value) if isinstance(value, dict) else {"value": value}
    return [{"from": None, "to": None, "basis": None, **plain}]


def in_force(ctx: Context, name: str, on: pd.Series) -> pd.DataFrame:
    """Per date of ``on`` (same index): the value(s) of parameter ``name`` in force that day —
    one column per value key (``value`` for a number) — its ``basis`` (None when the period
    names none) and ``judged`` (False where the date is missing or in no period)."""
    spans = periods(ctx.params[name])
    keys = sorted({k for p in spans for k in p if k not in ("from", "to", "basis")})
    dates = pd.to_datetime(on)
    inside = [_inside(dates, p).to_numpy(dtype=bool) for p in spans]
    out = pd.DataFrame(index=on.index)
    for k in keys:
        values = np.full(len(on), np.nan)
        for p, rows in zip(spans, inside):
            if k in p:
                values[rows] = float(p[k])
        out[k] = values
    basis = np.full(len(on), None, dtype=object)
    for p, rows in zip(spans, inside):
        basis[rows] = p["basis"]
    out["basis"] = pd.Series(basis, index=on.index, dtype="object")
    out["judged"] = np.logical_or.reduce(inside) if inside else np.zeros(len(on), dtype=bool)
    return out


def in_some_period(spans: list[dict], on: pd.Series) -> pd.Series:
    """Whether each date of ``on`` lies in one of ``spans`` (a missing date lies in none)."""
    dates = pd.to_datetime(on)
    inside = pd.Series(False, index=on.index)
    for p in spans:
        inside |= _inside(dates, p)
    return inside


def basis_on(bases: dict, check_id: str, on: pd.Series, default: str) -> pd.Series:
    """The basis of ``check_id`` in force on each date of ``on`` (``checks.bases``), else ``default``."""
    out = pd.Series(default, index=on.index, dtype="object")
    dates = pd.to_datetime(on)
    for p in bases.get(check_id, []):
        out[_inside(dates, p)] = p["basis"]
    return out


def _inside(dates: pd.Series, period: dict) -> pd.Series:
    """Whether each date lies in ``period`` (``from``/``to`` inclusive, either open); missing: no."""
    inside = dates.notna()
    if period["from"] is not None:
        inside &= dates >= period["from"]
    if period["to"] is not None:
        inside &= dates <= period["to"]
    return inside
