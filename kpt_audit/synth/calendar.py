"""Day arithmetic on int64 day numbers (days since 1970-01-01), vectorised."""
from __future__ import annotations

import numpy as np
import pandas as pd

EPOCH = np.datetime64("1970-01-01", "D")


def day(ts) -> int:
    return int((np.datetime64(pd.Timestamp(ts).date(), "D") - EPOCH).astype(np.int64))


def to_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers (NaN/-1 sentinel = missing) -> datetime64[ns] array with NaT."""
    d = np.asarray(days)
    out = (EPOCH + np.where(d == MISSING, 0, d).astype("timedelta64[D]")).astype("datetime64[ns]")
    out[d == MISSING] = np.datetime64("NaT")
    return out


MISSING = np.iinfo(np.int64).min


def year_of(days: np.ndarray) -> np.ndarray:
    return (EPOCH + np.asarray(days).astype("timedelta64[D]")).astype("datetime64[Y]").astype(int) + 1970


def year_start(years: np.ndarray) -> np.ndarray:
    return (np.asarray(years) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of each day."""
    return (EPOCH + np.asarray(days).astype("timedelta64[D]")).astype("datetime64[M]").astype(np.int64)


def month_text(month_idx: np.ndarray) -> np.ndarray:
    """'YYYY-MM' for months since 1970-01."""
    return np.datetime_as_string(np.asarray(month_idx).astype("datetime64[M]"), unit="M")


def share_of_year(as_of) -> float:
    """day-of-year(as_of) / days in that year (EXE03's time-elapsed share)."""
    ts = pd.Timestamp(as_of)
    return ts.day_of_year / (366 if ts.is_leap_year else 365)
