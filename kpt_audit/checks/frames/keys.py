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
import pyarrow.compute as pc

from ...load.arrow import arrow_strings, blank_text, lookup, positions, take  # noqa: F401 (the checks' names for them)


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
