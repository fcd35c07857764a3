"""Warnings that need a whole table or two: broken links and dates out of order.

Both keep the row (data-model.md): a payment to an unknown project or an
operation date before acceptance is often the very finding an audit wants.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..dataset import REJECTION_COLUMNS
from ..schema.tables import TABLES
from .arrow import present_in
from .texts import dq


def _rows(file, sheet, rows, column, values, reason) -> pd.DataFrame:
    return pd.DataFrame({"file": file, "sheet": "" if sheet is None else sheet, "row": rows, "column": column,
                         "value": values, "reason": reason}, columns=REJECTION_COLUMNS)


def _at(sheet, picked: np.ndarray):
    """The sheet of the rows ``picked``: a table's one sheet, or each row's (a table read from several)."""
    return sheet[picked] if isinstance(sheet, np.ndarray) else sheet


def table_links(name: str, frame: pd.DataFrame, file, sheet, rows, present) -> dict[tuple, pd.DataFrame]:
    """Per foreign key of table ``name`` (in the schema's order), the warnings for values of ``frame`` not
    found in the parent: ``present(parent, parent_column, values)`` gives a mask of the values found, or
    None when that parent is not there (the link is not checked)."""
    out = {}
    for column, parent, parent_column in TABLES[name].foreign_keys:
        if column not in frame.columns:
            continue
        values = frame[column]
        found = present(parent, parent_column, values)
        if found is None:
            continue
        broken = values.notna().to_numpy() & ~found
        if broken.any():
            out[(column, parent, parent_column)] = _rows(
                file, _at(sheet, broken), rows[broken], column, values[broken].to_numpy(),
                dq("broken_link", column=column, parent=parent, parent_column=parent_column) + "; " + dq("row_kept"))
    return out


def table_date_order(name: str, frame: pd.DataFrame, file, sheet, rows) -> dict[tuple, pd.DataFrame]:
    """Per date pair of table ``name`` (in the schema's order), the warnings for rows whose later date is
    before the earlier one."""
    out = {}
    for earlier, later in TABLES[name].date_order:
        if earlier not in frame.columns or later not in frame.columns:
            continue
        wrong = (frame[later] < frame[earlier]).to_numpy(dtype=bool)
        if wrong.any():
            shown = (frame.loc[wrong, later].dt.strftime("%Y-%m-%d") + " < " + earlier + " "
                     + frame.loc[wrong, earlier].dt.strftime("%Y-%m-%d")).to_numpy()
            out[(earlier, later)] = _rows(file, _at(sheet, wrong), rows[wrong], later, shown,
                                          dq("date_order", later=later, earlier=earlier) + "; " + dq("row_kept"))
    return out


def link_warnings(tables: dict[str, pd.DataFrame], origin: dict[str, tuple]) -> dict[str, list[pd.DataFrame]]:
    """``origin[table] = (file, sheet or each row's sheet, rows)``; per table, one warning per value not found in its parent table."""
    def present(parent, parent_column, values):
        if parent not in tables or parent_column not in tables[parent].columns:
            return None
        return present_in(values, tables[parent][parent_column])

    found = {name: table_links(name, frame, *origin[name], present) for name, frame in tables.items()}
    return {name: list(links.values()) for name, links in found.items() if links}


def date_order_warnings(tables: dict[str, pd.DataFrame], origin: dict[str, tuple]) -> dict[str, list[pd.DataFrame]]:
    found = {name: table_date_order(name, frame, *origin[name]) for name, frame in tables.items()}
    return {name: list(pairs.values()) for name, pairs in found.items() if pairs}
