"""What a reader hands to the table builder: cells under their headers, with
the row numbers the user sees, before any parsing."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..schema.tables import Table
from .headers import column_lookup, header_score
from .texts import dq

HEADER_SEARCH_ROWS = 20
# The reason of a cell warning for a formula whose result was never saved (read as empty).
UNSAVED_FORMULA = dq("unsaved_formula")


@dataclass
class RawTable:
    frame: pd.DataFrame      # positional columns 0..n-1, cells as read
    headers: list            # header text per position
    rows: np.ndarray         # row number per frame row as the user sees it (Excel row / CSV record)
    encoding: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    notes: list[str] = field(default_factory=list)
    # (row, position, value, reason): cells the reader changed, e.g. merged ranges filled
    cell_warnings: list[tuple] = field(default_factory=list)
    # (row, shown, reason): whole lines the reader mended (NUL bytes removed, another encoding decoded);
    # reported whatever becomes of the row
    line_warnings: list[tuple] = field(default_factory=list)
    # the unit a line above the header states for the sheet's amounts (单位：万元), or None
    title_unit: str | None = None
    # notes on the file rather than this sheet (the sheets not read), ahead of the sheet's own in the ledger
    book_notes: list[str] = field(default_factory=list)
    # (row, column or its position, shown, reason, reject): records the reader found odd: unusable (more
    # cells than the header: rejected) or short (fewer: kept, warned at the first column it lacks)
    bad_rows: list[tuple] = field(default_factory=list)


def find_header_row(table: Table, candidate_rows: list[list], user_aliases=None) -> tuple[int, int]:
    """(index of the row naming most columns of ``table``, its score); earliest wins ties.

    Title rows, blank rows and merged title cells above the header score 0.
    """
    lookup = column_lookup(table, user_aliases)
    best, best_score = 0, -1
    for i, cells in enumerate(candidate_rows[:HEADER_SEARCH_ROWS]):
        score = header_score(table, cells, lookup)
        if score > best_score:
            best, best_score = i, score
    return best, max(best_score, 0)


def _rows_with_data(frame: pd.DataFrame) -> np.ndarray:
    filled = frame.notna()
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col].dtype):
            filled[col] = filled[col] & frame[col].astype("str").str.strip().ne("")
    return filled.any(axis=1).to_numpy()


def drop_trailing_blank_rows(frame: pd.DataFrame, rows: np.ndarray, notes: list[str]):
    """Blank rows after the last row with data are formatting, not data; say how many were dropped."""
    if frame.empty:
        return frame, rows
    # Look from the end in growing blocks: a table whose last row has data costs one small block.
    last, block = len(frame), 64
    while last > 0:
        start = max(0, last - block)
        has_data = _rows_with_data(frame.iloc[start:last])
        if has_data.any():
            last = start + int(np.flatnonzero(has_data)[-1]) + 1
            break
        last, block = start, block * 4
    dropped = len(frame) - last
    if dropped:
        notes.append(dq("blank_after", n=dropped))
    return frame.iloc[:last].reset_index(drop=True), rows[:last]
