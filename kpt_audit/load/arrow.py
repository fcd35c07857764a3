"""String-column helpers that stay in pyarrow.

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
