"""String-column helpers and key look-ups that stay in pyarrow.

pandas' ``Series.isin`` on arrow-backed ``str`` columns first turns every value
of the look-up set into a Python object (seconds for a 100,000-key parent
table); pyarrow's hash look-up does not.  Missing values are never members
here, which is what a foreign-key test wants.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow_strings(values, whole: bool = True) -> pa.Array | pa.ChunkedArray | None:
    """``values`` as arrow large_strings, or None when they are not all strings (all missing counts).

    ``whole``: one array; otherwise the chunks of a loaded column are kept (a look-up's keys
    need not be one array, its value set must).
    """
    if isinstance(values, (pd.Series, pd.Index)) and values.dtype not in ("str", object):
        return None
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if whole and isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_null(arr.type) or pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr.cast(pa.large_string())
    return None


def present_in(values: pd.Series, allowed: pd.Series) -> np.ndarray:
    """Boolean mask: non-missing ``values`` found among the non-missing ``allowed``."""
    keys, pool = arrow_strings(values), arrow_strings(allowed)
    if keys is not None and pool is not None:
        found = pc.is_in(keys, value_set=pc.unique(pool.drop_null()))
        return found.to_numpy(zero_copy_only=False) & values.notna().to_numpy()
    return (values.notna() & values.isin(allowed.dropna().unique())).to_numpy(dtype=bool)


def positions(keys, values) -> np.ndarray:
    """For each of ``keys``, the position of its first occurrence in ``values``, else -1."""
    k, v = arrow_strings(keys, whole=False), arrow_strings(values)
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


def lookup(keys, table: pd.Series) -> pd.Series:
    """``table[key]`` for each of ``keys`` (a Series or Index): missing where the key is absent,
    the first row of a repeated key otherwise.  The result keeps ``table``'s dtype (``map``
    with an empty table gives float NaN, which cannot be compared with dates) and the keys' index."""
    index = keys.index if isinstance(keys, pd.Series) else pd.Index(keys)
    return take(table, positions(keys, table.index), index=index)
