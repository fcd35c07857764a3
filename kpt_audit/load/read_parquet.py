"""Parquet reading with pyarrow; typed columns keep their types (the fast path)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import LoadError
from .raw import RawTable


def read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError for corrupt files
        said = " ".join(str(exc).replace(str(path), path.name).split())
        raise LoadError(key="err.parquet_unreadable", name=path.name, error=f"{type(exc).__name__}: {said}") from None
    # Dates as datetime64 rather than Python dates: a date past 2262 (or before 1677) then reaches the
    # date parser, which reports that one cell, instead of failing the whole conversion.
    frame = table.to_pandas(date_as_object=False)
    frame = frame.reset_index(drop=True)
    headers = [str(c) for c in frame.columns]
    frame.columns = range(len(headers))
    # Parquet has no header line: row numbers are record numbers starting at 1.
    return RawTable(frame, headers, np.arange(len(frame)) + 1, None, None, None, [])
