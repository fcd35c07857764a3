"""A table held on several sheets of one workbook (one sheet per county, or per year), read as one.

Each sheet is built by :func:`~kpt_audit.load.table.build_table` as one part of the table, as a Parquet
file's row batches are when data are split (:mod:`kpt_audit.load.split`): with its own header, units and
row numbers, and its rejections and warnings naming it.  A key an earlier sheet holds is a duplicate of
that sheet's row (the first is kept, as within one sheet).  The parts are then put together as if the
table had been read whole: rows in workbook order, labels continuing from sheet to sheet, counting notes
added up, and each row's sheet kept for the messages that point at it (broken links, dates out of order).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import LoadError
from ..schema.tables import Table
from .keys import _earlier_in, _Keys, part_rows
from .raw import RawTable
from .table import BuiltTable, add_notes, build_table
from .texts import column_text, dq


def build_sheets(table: Table, raws: list[RawTable], file: str, params=None) -> tuple[BuiltTable, np.ndarray]:
    """The table built from the sheets ``raws`` (in workbook order), and the sheet of each of its rows."""
    key = list(table.key)
    seen, names = _Keys(), [raw.sheet or "" for raw in raws]  # every kept row's key, with its row and sheet
    parts = []
    for part, raw in enumerate(raws):
        built = build_table(table, raw, file, params, earlier_keys=_earlier_in(seen, names) if key else None)
        if key and all(k in built.frame.columns for k in key):
            seen.add(built.frame[key], part_rows(built.rows, part))
        built.notes = sheet_notes(raw.sheet, built.notes, len(raw.book_notes))
        parts.append(built)
    same_columns(table, file, [(raw.sheet, b.frame.columns) for raw, b in zip(raws, parts)])
    sheets = np.concatenate([np.full(len(b.frame), raw.sheet or "", dtype=object) for b, raw in zip(parts, raws)])
    return _together(parts), sheets


def sheet_notes(sheet: str, notes: list[str], book: int) -> list[str]:
    """A sheet's ledger notes, each naming the sheet (a count, a header row or a unit is that sheet's, not the
    table's); its first ``book`` notes are on the workbook itself and stay as they are."""
    return notes[:book] + [dq("sheet_note", sheet=sheet, note=note) for note in notes[book:]]


def same_columns(table: Table, file: str, sheets: list[tuple[str, object]]) -> None:
    """Every sheet (name, its built columns) has the table's columns that any sheet has: a column one
    county's sheet lacks holds no value for its rows, neither blank nor known (read as blank, a missing
    start date would be a finding)."""
    have = [(sheet, {c for c in table.column_names if c in columns}) for sheet, columns in sheets]
    every = set().union(*(columns for _, columns in have))
    for sheet, columns in have:
        lacking = [c for c in table.column_names if c in every - columns]
        if lacking:
            other = next(name for name, cs in have if lacking[0] in cs)
            raise LoadError(key="err.sheets_columns_differ", name=file, sheet=sheet, other=other,
                            columns=lambda lang: "、".join(column_text(c, lang, table.name) for c in lacking))


def _together(parts: list[BuiltTable]) -> BuiltTable:
    """The parts as one table: rows one after the other, each column in the type its first part gave it."""
    frame = pd.concat([b.frame for b in parts], ignore_index=True)
    for column in frame.columns:
        first = next(b.frame[column].dtype for b in parts if column in b.frame.columns)
        if frame[column].dtype != first:
            frame[column] = frame[column].astype(first)
    offsets = np.cumsum([0] + [len(b.frame) for b in parts[:-1]])
    unknown = [b.unknown.assign(row=b.unknown["row"] + offset) for b, offset in zip(parts, offsets) if len(b.unknown)]
    return BuiltTable(
        frame=frame,
        rows=np.concatenate([b.rows for b in parts]),
        rows_in=sum(b.rows_in for b in parts),
        rejections=_stacked([b.rejections for b in parts]),
        warnings=_stacked([b.warnings for b in parts]),
        notes=add_notes([b.notes for b in parts]),
        extra_columns=list(dict.fromkeys(c for b in parts for c in b.extra_columns)),
        unknown=pd.concat(unknown, ignore_index=True) if unknown else parts[0].unknown)


def _stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    filled = [f for f in frames if len(f)]
    return pd.concat(filled, ignore_index=True) if filled else frames[0]
