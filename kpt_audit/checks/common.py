"""Frames and helpers several checks share (built once per run through ``ctx.cache``)."""
from __future__ import annotations

import unicodedata

import pandas as pd

from .context import Context

PLACEHOLDERS = frozenset({"", "无", "na", "不详", "0"})


def _normalise_one(s) -> str | None:
    if s is None or (isinstance(s, float) and s != s):
        return None
    t = unicodedata.normalize("NFKC", str(s)).casefold()
    t = "".join(ch for ch in t if not ch.isspace() and unicodedata.category(ch)[0] not in "PS")
    return None if t in PLACEHOLDERS else t


def normalise_text(s: pd.Series) -> pd.Series:
    """The spec's one text normalisation: NFKC, casefold, drop whitespace, P* and S*.

    Empty strings and the placeholders 无/na/不详/0 become missing, so they never match.
    Works on unique values only, so a column of a million repeats costs little.
    """
    uniques = pd.unique(s.dropna())
    table = {u: _normalise_one(u) for u in uniques}
    return s.map(table).astype("str")


def payments_by_project(ctx: Context) -> pd.Series:
    """Sum of payments (to as_of) per project_id, with or without contract."""
    def build():
        if not ctx.has("payments", "project_id", "amount"):
            return pd.Series(dtype="float64")
        p = ctx["payments"]
        return p.groupby("project_id", sort=False, observed=True)["amount"].sum()
    return ctx.cache("payments_by_project", build)


def payments_by_contract(ctx: Context) -> pd.Series:
    """Sum of payments (to as_of) per contract_id."""
    def build():
        if not ctx.has("payments", "contract_id", "amount"):
            return pd.Series(dtype="float64")
        p = ctx["payments"]
        p = p[p["contract_id"].notna()]
        return p.groupby("contract_id", sort=False, observed=True)["amount"].sum()
    return ctx.cache("payments_by_contract", build)


def contract_values(ctx: Context) -> pd.DataFrame:
    """Per contract (index contract_id): amount, changes, positive_changes, current, settled.

    changes = signed sum of amount_delta (to as_of); current = amount + changes;
    settled = audited_settlement, else settlement_amount, else current.
    """
    def build():
        c = ctx["contracts"].set_index("contract_id")
        out = pd.DataFrame({"amount": c["amount"].astype("float64")})
        if ctx.has("contract_changes", "contract_id", "amount_delta"):
            ch = ctx["contract_changes"]
            g = ch.groupby("contract_id", sort=False)["amount_delta"]
            out["changes"] = g.sum().reindex(out.index).fillna(0.0)
            pos = ch["amount_delta"].where(ch["amount_delta"] > 0, 0.0)
            out["positive_changes"] = pos.groupby(ch["contract_id"], sort=False).sum().reindex(out.index).fillna(0.0)
        else:
            out["changes"] = 0.0
            out["positive_changes"] = 0.0
        out["current"] = out["amount"] + out["changes"]
        settled = out["current"].copy()
        for col in ("settlement_amount", "audited_settlement"):  # later wins
            if col in c.columns:
                v = c[col].astype("float64")
                settled = v.where(v.notna(), settled)
        out["settled"] = settled
        return out
    return ctx.cache("contract_values", build)
