"""The payments' project_id and contract_id as integer codes, built once per run.

Seven checks and two shared sums read a million payments by project or by contract:
summing per key (EXE02, COS02, COS04, COS05, COS08, the county tables), looking up the
payment's contract (COS07, COS10, COS11) or its project's county (COS09); COS06 and
COS10 compare payees.  Each of those
hashed the million arrow strings again; here each column is factorized once, and the
look-ups run on its few distinct values (20,000 projects, 100,000 contracts) before
being spread back to the payments by code.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .common import member, positions
from .context import Context


@dataclass(frozen=True)
class KeyCodes:
    """Per payment (as-of view, table order): a code into ``values``, -1 where the id is missing.

    ``values`` are the distinct ids in order of first appearance, so code order is the group
    order of a ``groupby(sort=False)`` on the id.
    """
    code: np.ndarray
    values: pd.Index

    def positions_in(self, keys: pd.Series) -> np.ndarray:
        """For each payment, the position of its id's first occurrence in ``keys``, else -1
        (a missing id finds a missing key, as ``common.positions`` does)."""
        at = positions(pd.Series(self.values, dtype="str"), keys)
        missing = np.flatnonzero(pd.isna(keys))
        missing_at = missing[0] if len(missing) else -1
        return np.where(self.code >= 0, at[np.maximum(self.code, 0)] if len(at) else -1, missing_at)

    def member_of(self, keys) -> np.ndarray:
        """For each payment, whether its id is among ``keys`` (``Series.isin``)."""
        found = member(pd.Series(self.values, dtype="str"), keys).to_numpy()
        missing_in = bool(pd.isna(keys).any())
        return np.where(self.code >= 0, found[np.maximum(self.code, 0)] if len(found) else False, missing_in)

    def sums(self, amount: np.ndarray, name: str) -> pd.Series:
        """``amount.groupby(id, sort=False).sum()``: the same groups, order and (compensated) sums."""
        known = self.code >= 0
        summed = pd.Series(amount[known]).groupby(self.code[known], sort=False).sum()
        index = pd.Index(self.values.take(summed.index.to_numpy()), dtype="str", name=name)
        return pd.Series(summed.to_numpy(), index=index, name="amount")


def _codes(column: pd.Series) -> KeyCodes:
    code, values = pd.factorize(column)
    return KeyCodes(code.astype("int64"), pd.Index(values, dtype="str"))


def payment_projects(ctx: Context) -> KeyCodes:
    return ctx.cache("payment_codes.project", lambda: _codes(ctx["payments"]["project_id"]))


def payment_contracts(ctx: Context) -> KeyCodes:
    return ctx.cache("payment_codes.contract", lambda: _codes(ctx["payments"]["contract_id"]))


def payment_payees(ctx: Context) -> KeyCodes:
    return ctx.cache("payment_codes.payee", lambda: _codes(ctx["payments"]["payee_id"]))
