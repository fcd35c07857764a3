"""Key operations at arrow speed, behind pandas-shaped names.

pandas' ``isin``/``reindex``/``map`` on arrow strings first turn every value into
a Python object; pyarrow's hash look-ups do not, and a million payments make
that difference seconds.  Every such trick of the package lives in this module
(and ``codes``); checks call the plain names:

* ``lookup(keys, table)``  — ``table[key]`` per key (``table`` a Series indexed by key;
  the first row of a repeated key wins; missing where absent; dtype kept);
* ``isin(s, values)``      — ``s.isin(values)``;
* ``take_rows(df, pos)``   — ``df.iloc[pos]`` (positions or a mask), cheap for few rows;
* ``positions(keys, values)`` / ``take(column, pos)`` — the two halves of a look-up,
  for the frames that reuse one set of positions.

Missing matches missing, exactly as in pandas' ``isin`` and ``reindex``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ...load.arrow import arrow_strings


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


def isin(s: pd.Series, values) -> pd.Series:
    """``s.isin(values)``."""
    k, v = arrow_strings(s, whole=False), arrow_strings(values)
    if k is not None and v is not None:
        return pd.Series(pc.is_in(k, value_set=v).to_numpy(zero_copy_only=False), index=s.index)
    return s.astype(object).isin(pd.Index(values).astype(object))


FEW_ROWS = 64  # below this many rows, one-row slices beat a take over the whole columns


def take_rows(df: pd.DataFrame, pos) -> pd.DataFrame:
    """``df.iloc[pos]`` (positions, or a boolean mask).

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
