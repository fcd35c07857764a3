"""Sums that do not depend on the rows around them.

pandas' grouped sums are compensated but not exact, and the last bit of one group's sum can change
with the rows of other groups in the frame (seen: one county's 完成投资 summed alone and summed among
three other counties differ by 2e-7 yuan).  A metric table is made per partition of counties on a
national run and from every county at once on a province: its money must not change with that.
``math.fsum`` gives the correctly rounded sum, whatever the order and whatever else is in the frame.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd


def group_sums(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """``frame.groupby(keys, sort=True)[columns].sum()`` with each sum exact (missing values left out,
    0.0 for a group with none)."""
    grouped = frame.groupby(keys, sort=True)
    index = grouped.size().index
    codes = grouped.ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]  # a row with a missing key is in no group (-1), as in groupby
    bounds = np.searchsorted(codes[order], np.arange(1, len(index)))
    out = {}
    for column in columns:
        values = frame[column].to_numpy(dtype="float64", na_value=np.nan)[order]
        out[column] = [math.fsum(v[~np.isnan(v)]) for v in np.split(values, bounds)] if len(index) else []
    return pd.DataFrame(out, index=index, columns=columns, dtype="float64")
