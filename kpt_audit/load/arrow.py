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


def present_mask(s: pd.Series) -> np.ndarray:
    """True where an id or text is neither missing nor blank (empty or whitespace only)."""
    return s.notna().to_numpy(dtype=bool) & ~blank_text(s)


def release_freed_memory() -> None:
    """Give the memory freed so far back to the system: the unused pages Arrow's pool keeps for reuse (after
    the payments of 1,000 counties were split, 375 MB of 966 MB), and the C heap's (glibc keeps what numpy
    and Python freed unless asked).  Nothing more where there is no glibc."""
    import ctypes

    pa.default_memory_pool().release_unused()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # pragma: no cover - not glibc (macOS, Windows, musl)
        return
    trim(0)


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter: blocks of at least this many bytes are mapped on their own
LARGE_BLOCK = 128 * 1024  # glibc's own starting threshold


def map_large_blocks() -> None:
    """Blocks of 128 KiB and more (numpy's arrays, long lists' items) mapped on their own and handed back when
    freed, for the rest of the process.  glibc otherwise raises the threshold to the size of each large block
    freed (up to 32 MB) and serves later ones from its heap, where freed pages between live blocks stay the
    process's: on 2,000,000 OCDS releases the stages' peaks were 0.5 to 0.9 GiB higher.  Nothing where there
    is no glibc."""
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # pragma: no cover - not glibc (macOS, Windows, musl)
        return
    mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK)
