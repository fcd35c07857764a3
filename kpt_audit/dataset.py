"""The loaded dataset: canonical tables plus the account of what happened to every row."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

REJECTION_COLUMNS = ["file", "sheet", "row", "column", "value", "reason"]
LEDGER_COLUMNS = ["file", "table", "rows_in", "rows_loaded", "rows_rejected", "notes"]
SOURCE_COLUMNS = ["table", "path", "sha256", "encoding", "sheet", "header_row"]
UNKNOWN_COLUMNS = ["table", "row", "key", "column", "value"]
ORIGIN_COLUMNS = ["file", "sheet", "row"]
# Rejection reasons that are not errors in the data: a sheet's total and footer rows are not records.
SUMMARY_REASONS = ("total row", "footer row")


def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def empty_unknown() -> pd.DataFrame:
    return pd.DataFrame({"table": pd.Series(dtype="str"), "row": pd.Series(dtype="int64"), "key": pd.Series(dtype="str"),
                         "column": pd.Series(dtype="str"), "value": pd.Series(dtype="str")})


def key_text(rows: pd.DataFrame, key_columns: list[str]) -> pd.Series:
    """Each row's key as DQ01 and :attr:`Dataset.unknown` write it: its key values, canonical, joined by ","."""
    return rows[key_columns].astype("str").agg(",".join, axis=1) if len(rows) else pd.Series(dtype="str")


def realigned_unknown(unknown: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``unknown`` with each cell's row label that of the row now holding its key: a table sorted, filtered or
    re-indexed after loading (in a notebook) keeps its unreadable cells, so no finding rests on one.  Cells
    whose key is no longer in the table are left out; a table without a key (contract_changes), or cells
    listed without their key, keep their labels."""
    from .schema.tables import TABLES

    if unknown.empty or "key" not in unknown.columns:
        return unknown
    parts = []
    for table, cells in unknown.groupby("table", sort=False):
        frame = tables.get(table)
        key = list(TABLES[table].key) if table in TABLES else []
        if frame is None or not key or not set(key) <= set(frame.columns):
            parts.append(cells)
            continue
        labels = cells["row"].to_numpy()
        if frame.index.is_unique and frame.index.isin(labels).sum() == len(set(labels)):
            held = key_text(frame.loc[labels, key], key).to_numpy()
            if (held == cells["key"].to_numpy()).all():  # as loaded: the usual case
                parts.append(cells)
                continue
        by_key = pd.Series(frame.index, index=key_text(frame, key).to_numpy())
        by_key = by_key[~by_key.index.duplicated()]
        moved = by_key.reindex(cells["key"].to_numpy())
        found = cells.assign(row=moved.to_numpy())[moved.notna().to_numpy()]
        # the labels are the table's own now: integers as loaded, or whatever the analyst indexed it by
        parts.append(found.astype({"row": frame.index.dtype}) if len(found) else found)
    return pd.concat(parts, ignore_index=True)[unknown.columns]


def empty_origin(index=None) -> pd.DataFrame:
    index = pd.RangeIndex(0) if index is None else index
    return pd.DataFrame({"file": pd.Series(dtype="str", index=index), "sheet": pd.Series(dtype="str", index=index),
                         "row": pd.Series(dtype="int64", index=index)})


@dataclass
class Dataset:
    """``tables[name]`` holds canonical columns only for the columns that were present.

    ``rejections`` and ``warnings`` share the columns file, sheet, row (as the
    user sees it in Excel or a text editor: header is row 1 of a plain CSV),
    column, value, reason.  ``ledger`` has one row per input file with
    rows_in == rows_loaded + rows_rejected.  ``sources`` records each file's
    path, sha256, detected encoding, sheet and header row.  ``extra_columns``
    maps table -> list of unrecognised headers that were kept as they are.

    ``unknown`` (checks.md, DQ) lists the cells the loader could not read and emptied: one row per
    cell, columns ``table`` (canonical table name, str), ``row`` (int64: the row's index label in
    ``tables[table]``), ``key`` (the row's key as DQ01 names it: its key values joined by ",", or
    ``row`` and its source row for contract_changes), ``column`` (canonical column, str), ``value``
    (the cell as written, str).  The checks find a cell's row by its key when the table was
    re-indexed after loading (:func:`realigned_unknown`).
    Only non-empty cells of optional date, number (amount, number, year, month) and yes/no columns
    that could not be parsed are there, and only for rows that are in the loaded table; empty
    equivalents (无, -, /, 不详, N/A …), unknown values of coded (enum) columns and required
    columns (whose row is rejected) are not.  A check's finding must not rest on such a cell being
    empty.  Sorted by table name, row, column.

    ``origin`` maps each loaded table to a frame with the table's own index and the columns
    ``file`` (file name, str), ``sheet`` (str, "" for CSV and parquet) and ``row`` (int64: the row
    number the auditor sees, as in ``rejections``: the Excel sheet row, the CSV record with the
    header line counted, the parquet record from 1), so ``origin[t].loc[label]`` is where row
    ``label`` of ``tables[t]`` came from.  Tables built another way (OCDS) may have no entry.
    Both keep the loaded tables' index (a RangeIndex per table): a frame derived from a table
    that keeps the index keeps the link.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    rejections: pd.DataFrame = field(default_factory=lambda: empty_frame(REJECTION_COLUMNS))
    warnings: pd.DataFrame = field(default_factory=lambda: empty_frame(REJECTION_COLUMNS))
    ledger: pd.DataFrame = field(default_factory=lambda: empty_frame(LEDGER_COLUMNS))
    sources: pd.DataFrame = field(default_factory=lambda: empty_frame(SOURCE_COLUMNS))
    extra_columns: dict[str, list[str]] = field(default_factory=dict)
    root: str | None = None
    unknown: pd.DataFrame = field(default_factory=empty_unknown)
    origin: dict[str, pd.DataFrame] = field(default_factory=dict)
    # of a part of a larger dataset (a partition, a bucket, a view): the currencies each table's amounts are
    # in over the whole data, which the checks whose thresholds are in yuan judge (None: its own tables')
    currencies: dict[str, frozenset[str]] | None = None

    def __contains__(self, table: str) -> bool:
        return table in self.tables

    def get(self, table: str) -> pd.DataFrame | None:
        return self.tables.get(table)

    def unknown_cells(self, table: str, column: str | None = None) -> pd.DataFrame:
        """The rows of :attr:`unknown` for ``table`` (and ``column``), indexed by their row label."""
        u = self.unknown
        mask = u["table"] == table
        if column is not None:
            mask &= u["column"] == column
        return u.loc[mask, ["row", "column", "value"]].set_index("row")

    def is_unknown(self, table: str, column: str) -> pd.Series:
        """Boolean per row of ``tables[table]``: its ``column`` held a value the loader could not read."""
        frame = self.tables[table]
        labels = self.unknown.loc[(self.unknown["table"] == table) & (self.unknown["column"] == column), "row"]
        return pd.Series(frame.index.isin(labels.to_numpy()), index=frame.index)

    def where(self, table: str, rows=None) -> pd.DataFrame:
        """:attr:`origin` of ``table`` at the row labels ``rows`` (all rows by default)."""
        frame = self.origin.get(table)
        if frame is None:
            frame = empty_origin(self.tables[table].index if table in self.tables else None)
        return frame if rows is None else frame.loc[rows]

