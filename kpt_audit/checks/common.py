"""Frames and helpers several checks share (built once per run through ``ctx.cache``)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .context import Context
from .textnorm import PLACEHOLDERS, normalise_one, normalise_text  # noqa: F401  (shared by several checks)


# --- key look-ups at arrow speed -------------------------------------------------------------------
# pandas' isin/reindex on arrow strings first turn every value into a Python object; pyarrow's
# hash look-ups do not.  Missing matches missing, exactly as in pandas' isin and reindex.

def _arrow_strings(values, whole: bool = True) -> pa.Array | pa.ChunkedArray | None:
    """``values`` as arrow large_strings, or None when they are not all strings.

    Look-up keys may stay in chunks (a loaded payments column has several); a value set
    must be ``whole``, one array.
    """
    if isinstance(values, (pd.Series, pd.Index)) and values.dtype != "str" and values.dtype != object:
        return None
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if whole and isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_null(arr.type):
        return arr.cast(pa.large_string())
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr.cast(pa.large_string())
    return None


def positions(keys, values) -> np.ndarray:
    """For each of ``keys``, the position of its first occurrence in ``values``, else -1."""
    k, v = _arrow_strings(keys, whole=False), _arrow_strings(values)
    if k is not None and v is not None:
        if len(k) * 8 < len(v):
            return _positions_of_few(k, v)
        found = pc.index_in(k, value_set=v)
        return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype("int64")
    index = pd.Index(values)
    first = ~index.duplicated()
    where = index[first].get_indexer(pd.Index(keys))
    out = np.full(len(where), -1, dtype="int64")
    found = where >= 0
    out[found] = np.flatnonzero(first)[where[found]]
    return out


def _positions_of_few(keys: pa.ChunkedArray | pa.Array, values: pa.Array) -> np.ndarray:
    """``positions`` for a few keys among many values: hashing the keys and scanning the values
    once is cheaper than hashing every value to find a handful."""
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    # for each value, the first key equal to it (nulls match nulls, as in index_in)
    key_of_value = pc.fill_null(pc.index_in(values, value_set=keys), -1).to_numpy(zero_copy_only=False)
    matched = np.flatnonzero(key_of_value >= 0)
    key, earliest = np.unique(key_of_value[matched], return_index=True)
    first = np.full(len(keys), -1, dtype="int64")
    first[key] = matched[earliest]
    # a repeated key shares the answer of its first occurrence among the keys
    first_key = pc.index_in(keys, value_set=keys).to_numpy(zero_copy_only=False)
    return first[first_key]


def take(column: pd.Series, pos: np.ndarray, index=None) -> pd.Series:
    """``column`` at positions ``pos`` (missing where -1), with ``index`` (default 0..n-1)."""
    taken = pd.api.extensions.take(column.array, pos, allow_fill=True)
    return pd.Series(taken, index=index, name=column.name)


def reindexed(s: pd.Series, index) -> pd.Series:
    """``s.reindex(index)`` for ``s`` with a unique index, without pandas' per-object hashing."""
    index = pd.Index(index)
    return take(s, positions(index, s.index), index=index)


def member(s: pd.Series, values) -> pd.Series:
    """``s.isin(values)``, without converting arrow strings to Python objects."""
    k, v = _arrow_strings(s, whole=False), _arrow_strings(values)
    if k is not None and v is not None:
        return pd.Series(pc.is_in(k, value_set=v).to_numpy(zero_copy_only=False), index=s.index)
    return s.astype(object).isin(pd.Index(values).astype(object))


FEW_ROWS = 64  # below this many rows, one-row slices beat a take over the whole columns


def rows_at(df: pd.DataFrame, pos) -> pd.DataFrame:
    """``df.iloc[pos]`` (positions, or a boolean mask), cheaper when few rows are wanted.

    A take from a chunked arrow column costs milliseconds however few rows it takes (a
    check's hits among a million payments are a handful); slices of the frame share its
    buffers, so a few one-row slices put together cost almost nothing.
    """
    pos = np.asarray(pos)
    if pos.dtype == bool:
        pos = np.flatnonzero(pos)
    if len(pos) == 0 or len(pos) > FEW_ROWS:
        return df.iloc[pos]
    return pd.concat([df.iloc[p:p + 1] for p in pos.tolist()])


def payments_by_project(ctx: Context) -> pd.Series:
    """Sum of payments (to as_of) per project_id, with or without contract."""
    def build():
        if not ctx.has("payments", "project_id", "amount"):
            return pd.Series(dtype="float64")
        from .payment_codes import payment_projects  # it builds on the look-ups above

        return payment_projects(ctx).sums(ctx["payments"]["amount"].to_numpy(), "project_id")
    return ctx.cache("payments_by_project", build)


def payments_by_contract(ctx: Context) -> pd.Series:
    """Sum of payments (to as_of) per contract_id."""
    def build():
        if not ctx.has("payments", "contract_id", "amount"):
            return pd.Series(dtype="float64")
        from .payment_codes import payment_contracts

        # payments without contract_id have no code and are left out, as a group-by drops them
        return payment_contracts(ctx).sums(ctx["payments"]["amount"].to_numpy(), "contract_id")
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
            out["changes"] = reindexed(g.sum(), out.index).fillna(0.0)
            pos = ch["amount_delta"].where(ch["amount_delta"] > 0, 0.0)
            out["positive_changes"] = reindexed(pos.groupby(ch["contract_id"], sort=False).sum(), out.index).fillna(0.0)
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
