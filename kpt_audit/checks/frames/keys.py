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
  for the frames that reuse one set of positions;
* ``blank_text(s)``        — ``s.str.strip() == ""`` (empty or whitespace only).

Missing matches missing, exactly as in pandas' ``isin`` and ``reindex``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ...load.arrow import arrow_strings, lookup, positions, take  # noqa: F401 (the checks' names for them)


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


# the first byte (UTF-8) of every character that str.strip (pyarrow's utf8_trim_whitespace, Python's
# str.isspace: the same set, tested) removes: a non-empty text can be blank only if it starts with one
SPACE_LEADS = np.zeros(256, dtype=bool)
SPACE_LEADS[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0xC2, 0xE1, 0xE2, 0xE3]] = True


def blank_text(s: pd.Series) -> np.ndarray:
    """Per value, whether it is text that is empty or whitespace only (``s.astype("str").str.strip() == ""``;
    missing: False).

    Stripping copies every string; here only the texts whose first byte could begin a whitespace
    character (ids and names hardly ever) are stripped, the others are read off the arrow buffers.
    """
    values = arrow_strings(s, whole=False) if s.dtype == "str" else None
    if values is None:
        return (s.astype("str").str.strip() == "").to_numpy(dtype=bool)
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    return np.concatenate([_blank_chunk(c) for c in chunks]) if chunks else np.zeros(0, dtype=bool)


def _blank_chunk(chunk: pa.Array) -> np.ndarray:
    if chunk.null_count == len(chunk):
        return np.zeros(len(chunk), dtype=bool)
    offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[chunk.offset:chunk.offset + len(chunk) + 1]
    buffer = chunk.buffers()[2]
    data = np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, dtype=np.uint8)
    empty = offsets[1:] == offsets[:-1]
    first = data[np.minimum(offsets[:-1], max(len(data) - 1, 0))] if len(data) else np.zeros(len(chunk), np.uint8)
    out = empty.copy()
    maybe = np.flatnonzero(~empty & SPACE_LEADS[first])
    if len(maybe):
        trimmed = pc.utf8_trim_whitespace(chunk.take(pa.array(maybe)))
        out[maybe] = pc.equal(pc.utf8_length(trimmed), 0).to_numpy(zero_copy_only=False)
    return out & chunk.is_valid().to_numpy(zero_copy_only=False)
