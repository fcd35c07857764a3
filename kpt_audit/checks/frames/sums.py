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
    group = codes[order]
    out = {}
    for column in columns:
        values = frame[column].to_numpy(dtype="float64", na_value=np.nan)[order]
        known = ~np.isnan(values)
        # one Python list per column and a slice of it per group (the rows of a group are consecutive):
        # an array per group and column cost as much as the sums
        starts = np.searchsorted(group[known], np.arange(len(index)))
        ends = np.append(starts[1:], known.sum())
        listed = values[known].tolist()
        out[column] = [math.fsum(listed[a:b]) for a, b in zip(starts.tolist(), ends.tolist())]
    return pd.DataFrame(out, index=index, columns=columns, dtype="float64")
