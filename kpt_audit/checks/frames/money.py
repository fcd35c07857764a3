"""Money frames (built once per run): payments per project and contract, contract values.

checks.md's money conventions: a contract's *changes* are the signed sum of its
amount_delta; its *current value* is amount + changes; its *settled value* is
audited_settlement, else settlement_amount, else current.  "Payments to a
project" are all its payments, with or without a contract.
"""
from __future__ import annotations

import pandas as pd

from ..context import Context
from .codes import KeyCodes
from .keys import lookup


def payment_projects(ctx: Context) -> KeyCodes:
    """The payments' project_id as codes (as-of view, table order)."""
    return ctx.cache("payments.project_codes", lambda: KeyCodes.of(ctx["payments"]["project_id"]))


def payment_contracts(ctx: Context) -> KeyCodes:
    """The payments' contract_id as codes."""
    return ctx.cache("payments.contract_codes", lambda: KeyCodes.of(ctx["payments"]["contract_id"]))


def payment_payees(ctx: Context) -> KeyCodes:
    """The payments' payee_id as codes."""
    return ctx.cache("payments.payee_codes", lambda: KeyCodes.of(ctx["payments"]["payee_id"]))


def payments_by_project(ctx: Context) -> pd.Series:
    """Sum of payments (to as_of) per project_id, with or without contract."""
    def build():
        if not ctx.has("payments", "project_id", "amount"):
            return pd.Series(dtype="float64")
        return payment_projects(ctx).sums(ctx["payments"]["amount"].to_numpy(), "project_id")
    return ctx.cache("payments.by_project", build)


def payments_by_contract(ctx: Context) -> pd.Series:
    """Sum of payments (to as_of) per contract_id; payments without contract_id are left out."""
    def build():
        if not ctx.has("payments", "contract_id", "amount"):
            return pd.Series(dtype="float64")
        return payment_contracts(ctx).sums(ctx["payments"]["amount"].to_numpy(), "contract_id")
    return ctx.cache("payments.by_contract", build)


def contract_values(ctx: Context) -> pd.DataFrame:
    """Per contract (index contract_id): project_id, amount, changes, positive_changes, current, settled."""
    def build():
        c = ctx["contracts"].set_index("contract_id")
        out = pd.DataFrame({"amount": c["amount"].astype("float64")})
        if ctx.has("contract_changes", "contract_id", "amount_delta"):
            ch = ctx["contract_changes"]
            out["changes"] = lookup(out.index, ch.groupby("contract_id", sort=False)["amount_delta"].sum()).fillna(0.0)
            increases = ch["amount_delta"].where(ch["amount_delta"] > 0, 0.0)
            out["positive_changes"] = lookup(out.index, increases.groupby(ch["contract_id"], sort=False).sum()
                                             ).fillna(0.0)
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
        if "project_id" in c.columns:  # a repeated contract_id takes its first row's project
            out["project_id"] = lookup(out.index, c["project_id"]).array
        return out
    return ctx.cache("contracts.values", build)


def paid_per_contract(ctx: Context) -> pd.Series:
    """Payments (to as_of) per contract of ``contract_values``, in its order (NaN: none)."""
    return ctx.cache("contracts.paid", lambda: lookup(contract_values(ctx).index, payments_by_contract(ctx)))

