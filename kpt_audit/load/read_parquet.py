"""Parquet reading with pyarrow; typed columns keep their types (the fast path)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..errors import LoadError
from .raw import RawTable


def read_parquet(path: Path) -> RawTable:
    """The whole file as one raw table."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError for corrupt files
        raise _unreadable(path, exc) from None
    return _raw(table, table.schema.names, 0)


def read_parquet_parts(path: Path, rows: int) -> Iterator[tuple[RawTable, bool]]:
    """The file as raw tables of ``rows`` rows (record numbers go on), each with whether it is the last;
    an empty file gives one empty part."""
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
        names, total = file.schema_arrow.names, file.metadata.num_rows
        if total == 0:
            yield _raw(file.schema_arrow.empty_table(), names, 0), True
            return
        start = 0
        for batch in file.iter_batches(batch_size=rows):
            part = _raw(batch, names, start)
            start += batch.num_rows
            yield part, start >= total
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError for corrupt files and row groups
        raise _unreadable(path, exc) from None


def _raw(arrow, names, start: int) -> RawTable:
    # Dates as datetime64 rather than Python dates: a date past 2262 (or before 1677) then reaches the
    # date parser, which reports that one cell, instead of failing the whole conversion.
    frame = arrow.to_pandas(date_as_object=False).reset_index(drop=True)
    headers = [str(c) for c in names]
    frame.columns = range(len(headers))
    # Parquet has no header line: row numbers are record numbers starting at 1.
    return RawTable(frame, headers, np.arange(start, start + len(frame)) + 1, None, None, None, [])


def _unreadable(path: Path, exc: Exception) -> LoadError:
    said = " ".join(str(exc).replace(str(path), path.name).split())
    return LoadError(key="err.parquet_unreadable", name=path.name, error=f"{type(exc).__name__}: {said}")
