"""Tables changed after loading — a notebook's edits, a frame made by hand — read as the loader reads a
file before the checks see them.

``load_dataset`` gives every canonical column its canonical dtype (:data:`kpt_audit.schema.coerce.DTYPES`)
and the checks rely on it.  Otherwise a budget typed in as text stops a check deep inside pandas, a date
typed as text cannot be compared, and ids typed as numbers quietly match nothing (7 is not "7").  A column
already in its dtype is passed on as it is (a loaded dataset costs one dtype look per column, nothing is
copied); any other is parsed by the loader's own parsers (so 万元 suffixes, 2021年5月10日 and 在建 read as in
a file), and a value they cannot read stops the run naming table, row, column and value: an edited frame
has no rejection ledger to put it in, and a check must not rest on a value it could not read.

An enum column is always looked at (a Chinese value typed into a loaded column keeps its dtype); its
canonical values take one pass over the column.
"""
from __future__ import annotations

import pandas as pd

from ..errors import BadDataError
from ..messages import text
from ..schema.coerce import DTYPES
from ..schema.tables import TABLES
from .parse import parse_column


def as_loaded(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``tables`` with every canonical column in its canonical dtype (the same frames when they already are)."""
    return {name: _as_loaded(name, frame) if name in TABLES else frame for name, frame in tables.items()}


def _as_loaded(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    changed = {}
    for column in TABLES[table].columns:
        if column.name not in frame.columns or not isinstance(frame[column.name], pd.Series):
            continue  # absent, or two columns of one name (left to the check that reads it)
        cells = frame[column.name]
        if _typed(column.kind, cells) and not (column.kind == "enum" and _spelled_otherwise(column, cells)):
            continue
        parsed = parse_column(column.kind, cells, spellings=column.values)
        if parsed.bad.any():
            _refuse(table, column, cells, parsed.bad)
        changed[column.name] = parsed.values.set_axis(cells.index).astype(DTYPES[column.kind])
    return frame.assign(**changed) if changed else frame


def _typed(kind: str, cells: pd.Series) -> bool:
    return str(cells.dtype) == DTYPES[kind]


def _spelled_otherwise(column, cells: pd.Series) -> bool:
    """Whether an enum column holds a value other than a canonical one (在建 for under_construction)."""
    present = cells.dropna().unique()
    return bool(len(present)) and not set(present) <= {v for v, _ in column.values}


def _refuse(table: str, column, cells: pd.Series, bad) -> None:
    first = cells[bad].index[0]
    raise BadDataError(key="err.edited_value", table=table, column=column.name, row=first,
                       value=str(cells[first]), count=int(bad.sum()),
                       kind=lambda lang: text(f"kind.{column.kind}", lang))
