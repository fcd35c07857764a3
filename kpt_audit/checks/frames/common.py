"""Small helpers every area uses: optional columns, presence, day counts, the most common value."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .keys import blank_text

MISSING = {"str": None, "float64": np.nan, "datetime64[ns]": pd.NaT, "boolean": pd.NA, "Int64": pd.NA}


def optional_column(df: pd.DataFrame, name: str, dtype: str = "str") -> pd.Series:
    """``df[name]`` (as ``dtype``), or an all-missing column when the optional column is absent."""
    if name in df.columns:
        return df[name].astype(dtype) if dtype == "float64" else df[name]
    return pd.Series(MISSING[dtype], index=df.index, dtype=dtype)


def present(s: pd.Series) -> pd.Series:
    """True where an id/text value is neither missing nor blank (empty or whitespace only)."""
    return pd.Series(s.notna().to_numpy(dtype=bool) & ~blank_text(s), index=s.index, name=s.name)


def days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """Whole days from ``earlier`` to ``later`` (NaN where either is missing)."""
    return (later - earlier).dt.days.astype("float64")


def most_common(df: pd.DataFrame, key: str, value: str) -> pd.Series:
    """Per ``key``, the ``value`` occurring most often; ties go to the smallest value."""
    counts = df[df[value].notna()].groupby([key, value], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values([key, "n", value], ascending=[True, False, True], kind="stable")
    first = counts.drop_duplicates(key)
    return pd.Series(first[value].to_numpy(), index=first[key].to_numpy(), dtype="str")


def unreadable(ctx, table: str, column: str, rows: pd.DataFrame | None = None) -> pd.Series:
    """True for each row of ``rows`` (default ``ctx[table]``) whose ``column`` held a value the
    loader could not read (emptied, with a warning): a finding must never rest on such a value
    being absent, so the check leaves the row unjudged (``partly_judged``) and DQ01 reports the cell."""
    rows = ctx[table] if rows is None else rows
    labels = _unreadable_rows(ctx).get((table, column))
    if not labels:  # the usual case: the loader read every cell of the column
        return pd.Series(False, index=rows.index)
    return pd.Series(rows.index.isin(labels), index=rows.index)


def order_unknown(ctx, table: str, later: str, earlier: str, rows: pd.DataFrame | None = None) -> pd.Series:
    """True for each row whose two dates cannot be put in order because the loader could not read one of
    them (the other known, or unreadable too): a finding resting on ``later`` being later than
    ``earlier`` (by some days) is then not judged (checks.md DQ)."""
    rows = ctx[table] if rows is None else rows
    lost_later, lost_earlier = unreadable(ctx, table, later, rows), unreadable(ctx, table, earlier, rows)
    return (lost_later & (rows[earlier].notna() | lost_earlier)) | (lost_earlier & rows[later].notna())


def _unreadable_rows(ctx) -> dict[tuple[str, str], list]:
    """(table, column) -> the row labels of its cells the loader could not read (once per run)."""
    def build():
        u = ctx.unknown
        return {} if u.empty else {key: rows["row"].tolist() for key, rows in u.groupby(["table", "column"], sort=False)}
    return ctx.cache("unknown.rows", build)
