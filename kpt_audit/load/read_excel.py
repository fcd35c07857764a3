"""xlsx reading with openpyxl (read-only, cached values rather than formulas).

Sheet: the one whose header names most columns of the table, so a cover or
instructions sheet in front of it is passed over; where two name as many, the
one named after the table (its name or an alias, longest match), else the
first.  Where no sheet names a column, the sheet named after the table, else
the first sheet with any value (and the missing columns are reported).  Where
several visible sheets' headers name the table's key (a workbook of one sheet
per county, or per year), every one of them is read, in workbook order, as one
part of the table each (:mod:`kpt_audit.load.sheets`): leaving any out would
drop its rows unseen; a part that lacks a required column is bad data naming
its sheet.  A hidden sheet or an instructions sheet (填报说明, 示例 …) is
passed over when another sheet holds the table, with a ledger note.
Header: the row within the first 20 that names most columns of the table, so
title rows, blank rows and merged title cells above it are skipped.  Row
numbers are the sheet's own (1-based).

Merged cells in the data area: openpyxl gives the value only in the top-left
cell.  A merged range below the header means "this value for every row of the
range" (typical for a county or project code spanning several rows), so it is
filled with the top-left value and each range is reported as a warning.
"""
from __future__ import annotations

import html
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema.tables import Table
from ..errors import LoadError
from .headers import column_lookup, header_columns, header_key_and_unit, normalise_key, title_unit
from .raw import HEADER_SEARCH_ROWS, UNSAVED_FORMULA, RawTable, drop_trailing_blank_rows, find_header_row
from .texts import dq

_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
# A cell holding a formula and no cached value: written by a program, never recalculated by Excel.  A
# formula whose result is the empty string (=IF(E3="","",…)) is saved as a text cell (t="str") with an
# empty <v>: that is a value, empty, not a missing one.
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c\b([^>]*?)\br="([A-Z]+)(\d+)"([^>]*)>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)\s*(<v\s*/>|<v></v>)?\s*</c>')
_TEXT_CELL = re.compile(rb'\bt="str"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _not_a_workbook(path: Path) -> str | None:
    """Why ``path`` is not an xlsx (a zip), from its first bytes (the catalogue key saying it); None when it
    starts like a zip or nothing better than openpyxl's own complaint can be said.

    Excel saves a password-protected workbook as an OLE compound file holding an
    ``EncryptedPackage`` stream; an old .xls is an OLE file with a ``Workbook`` (or ``Book``) stream.
    """
    with open(path, "rb") as fh:
        head = fh.read(4096)
        if head.startswith(b"PK"):
            return None
        if head.startswith(_OLE_MAGIC):
            container = head + fh.read()
            if "EncryptedPackage".encode("utf-16-le") in container:
                return "err.workbook_encrypted"
            if any(f"{name}\0".encode("utf-16-le") in container for name in ("Workbook", "Book")):
                return "err.workbook_xls"
            return "err.workbook_ole"
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not merely a character cut at the end of the sample
                continue
        if b"\x00" not in head:
            return "err.workbook_text"
    return None


def _open(path: Path):
    import openpyxl

    why = _not_a_workbook(path)
    if why:
        raise LoadError(key=why, name=path.name)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt/encrypted files
        said = " ".join(str(exc).split())
        raise LoadError(key="err.workbook_corrupt", name=path.name, error=f"{type(exc).__name__}: {said}") from None


# sheet titles of a template's instructions or worked example, never data (填报说明, 示例, 样表 …)
INSTRUCTION_TITLES = ("说明", "示例", "样表", "样例", "填表要求", "填报要求")


def _choose_sheets(workbook, table: Table, lookup: dict) -> list[tuple]:
    """(worksheet, its ledger notes, notes on the workbook) of each sheet to read: the one sheet of the table, or every sheet holding a
    part of it (one sheet per county, say): a visible sheet whose header names the table's key and either
    every required column or at least half as many of its columns as the sheet naming most (one lacking a
    column is then bad data naming it).  A sheet naming the key and few columns besides (funds beside
    projects, both with 项目编码) is another table's: not read, and the ledger says so."""
    required = {c.name for c in table.columns if c.required}
    key = set(table.key) or required
    named = {ws.title: _name_match(ws.title, table) for ws in workbook.worksheets}
    headed = {ws.title: max((header_columns(row, lookup) for row in
                             ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)), key=len, default=set())
              for ws in workbook.worksheets}
    order = {ws.title: i for i, ws in enumerate(workbook.worksheets)}
    best = max(workbook.worksheets, key=lambda ws: (len(headed[ws.title]), named[ws.title], -order[ws.title]))
    keyed = [ws for ws in workbook.worksheets if key and key <= headed[ws.title]]
    parts = [ws for ws in keyed if getattr(ws, "sheet_state", "visible") == "visible"
             and not any(word in ws.title for word in INSTRUCTION_TITLES)
             and (required <= headed[ws.title] or 2 * len(headed[ws.title]) >= len(headed[best.title]))]
    # a hidden sheet (a template's look-up lists, last year's data), an instructions sheet or another table's
    # sheet is not read, and the ledger says so, when another sheet holds the table
    passed = [dq("sheet_not_read", sheet=ws.title) for ws in keyed if parts and ws not in parts]
    if len(parts) > 1:
        return [(ws, [dq("sheets_all")], passed if i == 0 else []) for i, ws in enumerate(parts)]
    if parts:
        how = "sheet_by_name" if named[parts[0].title] else "sheet_by_header"
        return [(parts[0], [dq(how, sheet=parts[0].title)], passed)]
    if headed[best.title]:
        how = "sheet_by_name" if named[best.title] else "sheet_by_header"
        return [(best, [dq(how, sheet=best.title)], [])]
    by_name = max(workbook.worksheets, key=lambda ws: (named[ws.title], -order[ws.title]))
    if named[by_name.title]:
        return [(by_name, [dq("sheet_by_name", sheet=by_name.title)], [])]
    for ws in workbook.worksheets:
        for row in ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True):
            if any(v is not None and str(v).strip() for v in row):
                return [(ws, [dq("sheet_first", sheet=ws.title)], [])]
    return [(workbook.worksheets[0], [dq("sheet_empty", sheet=workbook.worksheets[0].title)], [])]


def _as_shown(cell):
    """A cell's value; a number formatted as a percentage (0%, 0.0%) as the text Excel shows, "85%": the cell
    holds 0.85, while the auditor, and the same figure typed as text, mean 85 (a percentage column is 0–100)."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return f"{value * 100:.10g}%"
    return value


def _name_match(title: str, table: Table) -> int:
    """How long a name of ``table`` (its own or an alias) the sheet's title holds; 0 for none."""
    name = normalise_key(title)
    return max((len(key) for key in (normalise_key(s) for s in (table.name, *table.aliases))
                if key and (key == name or key in name)), default=0)


def _sheet_facts(path: Path, ws) -> tuple[list[tuple[int, int, int, int]], list[tuple[int, int, str]]]:
    """What read-only worksheets do not expose, from the sheet's XML: merged ranges as
    (min_row, min_col, max_row, max_col) and formula cells with no saved result as (row, col, formula);
    rows 1-based, columns 0-based."""
    part = getattr(ws, "_worksheet_path", None)
    if not part:
        return [], []
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(part.lstrip("/"))
    merged = [(int(r1), _col_index(c1), int(r2), _col_index(c2)) for c1, r1, c2, r2 in _MERGE.findall(xml)]
    formulas = [(int(r), _col_index(c), html.unescape(f.decode("utf-8", "replace")))
                for before, c, r, after, f, value in _FORMULA_WITHOUT_VALUE.findall(xml)
                if not (value and _TEXT_CELL.search(before + after))]
    return merged, formulas


def read_excel(path: Path, table: Table, user_aliases=None) -> list[RawTable]:
    """The sheet of ``table`` in the workbook ``path``, or its sheets when several hold the whole table (one
    raw table each, in workbook order)."""
    workbook = _open(path)
    try:
        lookup = column_lookup(table, user_aliases)
        read = []
        for ws, how, book in _choose_sheets(workbook, table, lookup):
            try:
                read.append((ws.title, how, book, [[_as_shown(cell) for cell in r] for r in ws.iter_rows()],
                             *_sheet_facts(path, ws)))
            except Exception as exc:
                raise LoadError(key="err.sheet_unreadable", name=path.name, sheet=ws.title,
                                error=f"{type(exc).__name__}: {exc}") from None
    finally:
        workbook.close()
    return [replace(_raw_sheet(table, title, how, rows, merged, formulas, lookup, user_aliases), book_notes=book)
            for title, how, book, rows, merged, formulas in read]


def _raw_sheet(table: Table, title: str, how, all_rows: list[list], merged, formulas, lookup: dict,
               user_aliases) -> RawTable:
    """One sheet's cells under their header (found within the first rows), merged ranges filled."""
    notes = list(how)
    if not all_rows:
        return RawTable(pd.DataFrame(), [], np.array([], dtype=int), None, title, None, notes)
    header_index, _ = find_header_row(table, all_rows, user_aliases)
    header_row = header_index + 1
    width = max(len(r) for r in all_rows)
    headers = (all_rows[header_index] + [None] * width)[:width]
    lower = (all_rows[header_index + 1] + [None] * width)[:width] if header_index + 1 < len(all_rows) else None
    two_rows = _two_row_header(headers, lower, merged, header_row, lookup)
    if two_rows is not None:
        headers = two_rows
        notes.append(dq("header_two_rows", row=header_row))
    last_header = header_row + (two_rows is not None)
    data = [(r + [None] * width)[:width] for r in all_rows[last_header:]]
    warnings = _fill_merged(data, merged, last_header, headers)
    if warnings:
        notes.append(dq("merged_ranges", n=len(warnings)))
    unsaved = [(r, c, f) for r, c, f in formulas if r > last_header]
    if unsaved:
        r, c, f = unsaved[0]
        notes.append(dq("unsaved_formulas", n=len(unsaved), row=r, col=c + 1, formula=f) + "; "
                     + dq("open_and_save"))
        warnings += [(r, c, f"={f}", UNSAVED_FORMULA) for r, c, f in unsaved]
    frame = pd.DataFrame(data, columns=range(width), dtype=object) if data else \
        pd.DataFrame({i: pd.Series(dtype=object) for i in range(width)})
    rows = np.arange(len(frame)) + last_header + 1
    if header_index:
        notes.append(dq("header_row", row=header_row))
    frame, rows = drop_trailing_blank_rows(frame, rows, notes)
    keep = [i for i in range(width) if not (headers[i] is None and frame[i].isna().all())]
    if len(keep) < width:
        frame, headers = frame[keep], [headers[i] for i in keep]
        frame.columns = range(len(keep))
    return RawTable(frame, headers, rows, None, title, header_row, notes, warnings,
                    title_unit=title_unit(all_rows[:header_index]))


def _two_row_header(upper: list, lower: list | None, merged, header_row: int, lookup: dict) -> list | None:
    """A header of two rows (a merged parent such as 投资情况（万元） over 计划总投资 and 年度计划投资; 项目编码
    merged down both rows): each column named by the lower row where it names one, with its parent's unit
    when it states none, else by the upper row.  None when the lower row names no column the upper leaves
    unnamed (it is data, or a note)."""
    if lower is None:
        return None

    def named(cell) -> str | None:
        return lookup.get(header_key_and_unit(cell)[0]) if cell is not None and str(cell).strip() else None

    def parent(j: int):
        for r1, c1, r2, c2 in merged:
            if r1 == header_row and c1 <= j <= c2 and r2 == header_row:
                return upper[c1]
        return upper[j]

    combined, gained = list(upper), False
    for j, cell in enumerate(lower):
        column = named(cell)
        if column is None or named(upper[j]) is not None:
            continue
        unit = header_key_and_unit(parent(j))[1] if parent(j) is not None else None
        combined[j] = f"{cell}（{unit}）" if unit and header_key_and_unit(cell)[1] is None else cell
        gained = True
    return combined if gained else None


def _fill_merged(data: list[list], merged, header_row: int, headers: list) -> list[tuple]:
    """Fill merged ranges lying below the header; returns (row, col, value, reason) per range."""
    warnings = []
    for r1, c1, r2, c2 in merged:
        if r1 <= header_row:
            continue
        top = r1 - header_row - 1
        if top >= len(data):
            continue
        value = data[top][c1]
        for r in range(top, min(r2 - header_row, len(data))):
            for c in range(c1, min(c2 + 1, len(data[r]))):
                data[r][c] = value
        warnings.append((r1, c1, value, dq("merged", r1=r1, r2=r2)))
    return warnings
