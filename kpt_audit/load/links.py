"""Warnings that need a whole table or two: broken links and dates out of order.

Both keep the row (data-model.md): a payment to an unknown project or an
operation date before acceptance is often the very finding an audit wants.
"""
from __future__ import annotations

import pandas as pd

from ..dataset import REJECTION_COLUMNS
from ..schema.tables import TABLES
from .arrow import present_in
from .texts import dq


def _rows(file, sheet, rows, column, values, reason) -> pd.DataFrame:
    return pd.DataFrame({"file": file, "sheet": sheet or "", "row": rows, "column": column,
                         "value": values, "reason": reason}, columns=REJECTION_COLUMNS)


def link_rows(file, sheet, rows, values, column, parent, parent_column) -> pd.DataFrame:
    """Warnings for ``values`` of ``column`` (at ``rows``) not found in ``parent.parent_column``."""
    return _rows(file, sheet, rows, column, values,
                 dq("broken_link", column=column, parent=parent, parent_column=parent_column) + "; " + dq("row_kept"))


def date_order_rows(frame: pd.DataFrame, file, sheet, rows, earlier: str, later: str) -> pd.DataFrame | None:
    """Warnings for the rows of ``frame`` whose ``later`` date is before their ``earlier`` one (None: none)."""
    if earlier not in frame.columns or later not in frame.columns:
        return None
    wrong = (frame[later] < frame[earlier]).to_numpy(dtype=bool)
    if not wrong.any():
        return None
    shown = (frame.loc[wrong, later].dt.strftime("%Y-%m-%d") + " < " + earlier + " "
             + frame.loc[wrong, earlier].dt.strftime("%Y-%m-%d")).to_numpy()
    return _rows(file, sheet, rows[wrong], later, shown, dq("date_order", later=later, earlier=earlier) + "; "
                 + dq("row_kept"))


def link_warnings(tables: dict[str, pd.DataFrame], origin: dict[str, tuple]) -> dict[str, list[pd.DataFrame]]:
    """``origin[table] = (file, sheet, rows)``; per table, one warning per value not found in its parent table."""
    out = {}
    for name, frame in tables.items():
        file, sheet, rows = origin[name]
        for column, parent, parent_column in TABLES[name].foreign_keys:
            if column not in frame.columns or parent not in tables or parent_column not in tables[parent].columns:
                continue
            values = frame[column]
            broken = values.notna().to_numpy() & ~present_in(values, tables[parent][parent_column])
            if broken.any():
                out.setdefault(name, []).append(link_rows(file, sheet, rows[broken], values[broken].to_numpy(),
                                                          column, parent, parent_column))
    return out


def date_order_warnings(tables: dict[str, pd.DataFrame], origin: dict[str, tuple]) -> dict[str, list[pd.DataFrame]]:
    out = {}
    for name, frame in tables.items():
        file, sheet, rows = origin[name]
        for earlier, later in TABLES[name].date_order:
            found = date_order_rows(frame, file, sheet, rows, earlier, later)
            if found is not None:
                out.setdefault(name, []).append(found)
    return out
