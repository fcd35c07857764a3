"""The loaded dataset: canonical tables plus the account of what happened to every row."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

REJECTION_COLUMNS = ["file", "sheet", "row", "column", "value", "reason"]
LEDGER_COLUMNS = ["file", "table", "rows_in", "rows_loaded", "rows_rejected", "notes"]
SOURCE_COLUMNS = ["table", "path", "sha256", "encoding", "sheet", "header_row"]


def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass
class Dataset:
    """``tables[name]`` holds canonical columns only for the columns that were present.

    ``rejections`` and ``warnings`` share the columns file, sheet, row (as the
    user sees it in Excel or a text editor: header is row 1 of a plain CSV),
    column, value, reason.  ``ledger`` has one row per input file with
    rows_in == rows_loaded + rows_rejected.  ``sources`` records each file's
    path, sha256, detected encoding, sheet and header row.  ``extra_columns``
    maps table -> list of unrecognised headers that were kept as they are.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    rejections: pd.DataFrame = field(default_factory=lambda: empty_frame(REJECTION_COLUMNS))
    warnings: pd.DataFrame = field(default_factory=lambda: empty_frame(REJECTION_COLUMNS))
    ledger: pd.DataFrame = field(default_factory=lambda: empty_frame(LEDGER_COLUMNS))
    sources: pd.DataFrame = field(default_factory=lambda: empty_frame(SOURCE_COLUMNS))
    extra_columns: dict[str, list[str]] = field(default_factory=dict)
    root: str | None = None

    def __contains__(self, table: str) -> bool:
        return table in self.tables

    def get(self, table: str) -> pd.DataFrame | None:
        return self.tables.get(table)
