"""Formatting of the concrete values a finding's detail quotes (vectorised)."""
from __future__ import annotations

import pandas as pd


def wan(s) -> pd.Series | str:
    """Yuan -> '123.45万元' (two decimals), empty for missing."""
    if not isinstance(s, pd.Series):
        return "" if pd.isna(s) else f"{s / 10000:,.2f}万元"
    v = (s.astype("float64") / 10000).round(2)
    return v.map(lambda x: "" if pd.isna(x) else f"{x:,.2f}万元")


def day(s) -> pd.Series | str:
    """Timestamp -> 'YYYY-MM-DD', empty for missing."""
    if not isinstance(s, pd.Series):
        return "" if pd.isna(s) else pd.Timestamp(s).strftime("%Y-%m-%d")
    return s.dt.strftime("%Y-%m-%d").fillna("")


def pct(s, digits: int = 1) -> pd.Series | str:
    """Fraction -> '62.5%'."""
    if not isinstance(s, pd.Series):
        return "" if pd.isna(s) else f"{s * 100:.{digits}f}%"
    return (s.astype("float64") * 100).map(lambda x: "" if pd.isna(x) else f"{x:.{digits}f}%")
