"""The plan workbook: written for the auditor to fill in, read back with strict checks.

Sheets (Chinese names by default): 抽样参数 (every parameter, the seed, the
population's size and book value, the input files' SHA-256), 样本 (the
selected items with their source rows and blank 审定金额 and 核实说明
columns), 逐项审查 (monetary-unit plans: the items at or above the interval,
taken whole) and 分层 (stratified plans: the strata).  Amounts are yuan.

A hidden sheet ``_seal`` holds a copy of every cell the auditor must not
change, one JSON line a row, and the SHA-256 of those lines.  Reading a plan
back compares each visible cell with the copy: an edited parameter, a row
added or deleted, an item changed, or text in the audited column is refused
with the sheet, row, column and value (BadDataError, exit 1).  Rows may be
sorted: each is matched back to the plan's row by its cells.  The seal
catches mistakes and casual edits; the plan can always be drawn again from
the data and the recorded seed.

The file is deterministic: the same plan gives the same bytes (fixed
creation date; text always written as text, never as a formula).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import BadDataError
from ..files import atomic_write_bytes
from ..messages import text
from .plan import PLAN_COLUMNS, SAMPLE, TOP, Plan
from .stratified import RISKS
from .texts import risk_label

FIXED_DATE = dt.datetime(2000, 1, 1)
SEAL_SHEET = "_seal"
SEAL_TITLE = "kpt-audit sampling plan"
SEAL_VERSION = 1
PARAMETER_COLUMNS = ["key", "label", "value", "meaning"]
CODED = {"method": "method", "population": "population", "allocation": "allocation"}
STRATA_COLUMNS = ["stratum", "county", "risk", "items", "book_value", "spread", "sampled"]
ENTERED = ("audited", "note")  # the only columns the auditor fills in
SHOWN = 5


def item_columns(method: str, part: str) -> list[str]:
    """The columns of an items sheet, in order."""
    if method == "stratified":
        return ["no", "stratum", "county", "risk", "item_id", "project_id", "project_name", "book_value", "file",
                "sheet", "row", "audited", "note"]
    point = ["point"] if part == SAMPLE else []
    return ["no", "item_id", "county", "project_id", "project_name", "book_value", *point, "file", "sheet", "row",
            "audited", "note"]


def _sheets(plan_method: str) -> list[tuple[str, str]]:
    """(sheet key, part) of the items sheets of a plan."""
    return [("sheet.sample", SAMPLE)] + ([("sheet.top", TOP)] if plan_method == "mus" else [])


def _cell(value):
    """A value as it is kept in the seal and compared: text, a number, or None (an empty cell)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if float(value).is_integer() and abs(value) < 2 ** 53 else float(value)
    shown = str(value)
    return shown if shown != "" else None


def _label(column: str, lang: str) -> str:
    return text(f"sampling.col.{column}", lang)


def _parameter_rows(plan: Plan) -> list[list]:
    lang = plan.lang
    rows = []
    for key, value in plan.parameters.items():
        if key.startswith("source:"):
            label = text("sampling.param.source", lang, path=key.split(":", 1)[1])
        else:
            label = text(f"sampling.param.{key}", lang)
        rows.append([key, label, _cell(value), _meaning(key, value, lang)])
    return rows


def _meaning(key: str, value, lang: str) -> str | None:
    """What a coded parameter's value means, in words (货币单位抽样（MUS） for mus …)."""
    if key in CODED and value:
        return text(f"sampling.{CODED[key]}.{value}", lang)
    if key == "counties" and not value:
        return text("sampling.all", lang)
    if key == "confidence":
        return f"{float(value) * 100:g}%"
    return None


def _item_rows(plan: Plan, part: str) -> list[list]:
    columns = [c for c in item_columns(plan.method, part) if c not in ENTERED]
    frame = plan.part(part)
    shown = frame.assign(risk=frame["risk"].map(lambda r: risk_label(r, plan.lang) if isinstance(r, str) else r))
    return [[_cell(v) for v in row] for row in shown[columns].itertuples(index=False, name=None)]


def _strata_rows(plan: Plan) -> list[list]:
    shown = plan.strata.assign(risk=plan.strata["risk"].map(lambda r: risk_label(r, plan.lang)))
    return [[_cell(v) for v in row] for row in shown[STRATA_COLUMNS].itertuples(index=False, name=None)]


def _seal_lines(plan: Plan) -> list[str]:
    """One JSON line a fixed row: [sheet key, row values]; parameters first, then strata, then items."""
    lines = [json.dumps(["sheet.parameters", row], ensure_ascii=False) for row in _parameter_rows(plan)]
    if plan.strata is not None:
        lines += [json.dumps(["sheet.strata", row], ensure_ascii=False) for row in _strata_rows(plan)]
    for key, part in _sheets(plan.method):
        lines += [json.dumps([key, row], ensure_ascii=False) for row in _item_rows(plan, part)]
    return lines


def _digest(lang: str, lines: list[str]) -> str:
    h = hashlib.sha256(f"{SEAL_TITLE}\n{SEAL_VERSION}\n{lang}\n".encode("utf-8"))
    for line in lines:
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()


def write_plan(plan: Plan, path) -> Path:
    """Write the plan workbook to ``path`` (atomically; deterministic bytes)."""
    import xlsxwriter

    path = Path(path)
    lang = plan.lang
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    book.set_properties({"created": FIXED_DATE, "title": "kpt-audit sampling plan"})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    entry = book.add_format({"num_format": "#,##0.00", "bg_color": "#FFF2CC", "border": 1})
    note = book.add_format({"bg_color": "#FFF2CC", "border": 1})

    def write_rows(sheet, labels, rows, money_columns=(), widths=None):
        for j, heading in enumerate(labels):
            sheet.write_string(0, j, heading, header)
            sheet.set_column(j, j, (widths or {}).get(j, 14))
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                fmt = money if j in money_columns else None
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(i, j, value, fmt)
                else:
                    sheet.write_number(i, j, value, fmt)
        sheet.freeze_panes(1, 0)

    params = book.add_worksheet(text("sampling.sheet.parameters", lang))
    write_rows(params, [_label(c, lang) for c in PARAMETER_COLUMNS], _parameter_rows(plan),
               widths={0: 24, 1: 44, 2: 30, 3: 30})
    for key, part in _sheets(plan.method):
        columns = item_columns(plan.method, part)
        sheet = book.add_worksheet(text(f"sampling.{key}", lang))
        fixed = [c for c in columns if c not in ENTERED]
        rows = _item_rows(plan, part)
        money_cols = [j for j, c in enumerate(fixed) if c in ("book_value", "point")]
        write_rows(sheet, [_label(c, lang) for c in columns], rows, money_cols,
                   widths={j: {"project_name": 30, "item_id": 26, "project_id": 26, "note": 30}.get(c, 14)
                           for j, c in enumerate(columns)})
        a, n = columns.index("audited"), columns.index("note")
        for i in range(1, len(rows) + 1):  # the cells to fill in, shaded
            sheet.write_blank(i, a, None, entry)
            sheet.write_blank(i, n, None, note)
        sheet.write_comment(0, a, text("sampling.hint.audited", lang), {"x_scale": 2.2, "y_scale": 1.6})
        if rows:  # Excel itself refuses text in the audited column (evaluate refuses it too)
            sheet.data_validation(1, a, len(rows), a, {
                "validate": "decimal", "criteria": "between", "minimum": -1e15, "maximum": 1e15,
                "error_title": text("sampling.hint.audited_title", lang),
                "error_message": text("sampling.hint.audited_error", lang)})
        sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    if plan.strata is not None:
        sheet = book.add_worksheet(text("sampling.sheet.strata", lang))
        write_rows(sheet, [_label(c, lang) for c in STRATA_COLUMNS], _strata_rows(plan), (4, 5))
    seal = book.add_worksheet(SEAL_SHEET)
    lines = _seal_lines(plan)
    for i, cell in enumerate([SEAL_TITLE, str(SEAL_VERSION), lang, _digest(lang, lines), *lines]):
        seal.write_string(i, 0, cell)
    seal.hide()
    book.close()
    atomic_write_bytes(path, buffer.getvalue())
    return path


# ---------------------------------------------------------------- reading back

def _fail(path, key: str, **values) -> BadDataError:
    """A plan that does not match its seal: what, where, and the way out (use the plan as written or redraw it)."""
    return BadDataError(key=key, path=path, fix=lambda lang: text("sampling.err.plan_fix", lang), **values)


def _read_seal(path, book) -> tuple[str, dict[str, list[list]]]:
    if SEAL_SHEET not in book.sheetnames:
        raise _fail(path, "sampling.err.plan_no_seal", sheet=SEAL_SHEET)
    cells = [r[0] for r in book[SEAL_SHEET].iter_rows(values_only=True)]
    if len(cells) < 4 or cells[0] != SEAL_TITLE:
        raise _fail(path, "sampling.err.plan_bad_seal", sheet=SEAL_SHEET)
    if str(cells[1]) != str(SEAL_VERSION):
        raise _fail(path, "sampling.err.plan_version", found=cells[1], version=SEAL_VERSION)
    lang, digest, lines = str(cells[2]), str(cells[3]), [str(c) for c in cells[4:] if c is not None]
    if lang not in ("zh", "en") or _digest(lang, lines) != digest:
        raise _fail(path, "sampling.err.plan_seal_edited", sheet=SEAL_SHEET)
    rows: dict[str, list[list]] = {}
    for line in lines:
        key, row = json.loads(line)
        rows.setdefault(key, []).append(row)
    return lang, rows


def _same(found, expected) -> bool:
    if isinstance(expected, (int, float)) and isinstance(found, (int, float)) and not isinstance(found, bool):
        return round(float(found), 6) == round(float(expected), 6)
    return found == expected


def _sheet_rows(sheet) -> list[list]:
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    while rows and all(_cell(v) is None for v in rows[-1]):
        rows.pop()
    return rows


def _row_key(values: list) -> tuple:
    """A row's fixed cells as a key (numbers to six decimals: a program that saves 15 digits still matches)."""
    return tuple(round(float(v), 6) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                 for v in values)


def _compare(path, sheet_name: str, rows: list[list], labels: list[str], fixed: list[int],
             expected: list[list], key: int = 0) -> list[tuple[int, list]]:
    """Check the header and that the sheet's rows are the plan's rows; return them in the plan's order,
    each with its row number in the sheet.

    The rows may have been sorted or filtered (an auditor orders the visits by county or project);
    each is matched to the plan's row with the same fixed cells.  A row whose cells match no row of
    the plan is an edit (its item is in the plan) or an addition; a row of the plan that no row
    matches was deleted.  ``key`` is the position among the fixed cells of the item id."""
    if not rows:
        raise _fail(path, "sampling.err.plan_empty_sheet", sheet=sheet_name)
    head = [_cell(v) for v in rows[0]][: len(labels)]
    head += [None] * (len(labels) - len(head))
    for j, (found, label) in enumerate(zip(head, labels)):
        if found != label:
            raise _fail(path, "sampling.err.plan_header", sheet=sheet_name, column=j + 1, found=found, expected=label)
    data = [r + [None] * (len(labels) - len(r)) for r in rows[1:]]
    cells = [[_cell(r[j]) for j in fixed] for r in data]
    wanted: dict[tuple, list[int]] = {}
    for k, row in enumerate(expected):
        wanted.setdefault(_row_key(row), []).append(k)
    place: list[int | None] = [None] * len(expected)
    stray = []
    for i, row in enumerate(cells):
        slots = wanted.get(_row_key(row))
        if slots:
            place[slots.pop(0)] = i
        else:
            stray.append(i)
    missing = [k for k, at in enumerate(place) if at is None]
    if stray:
        i = stray[0]
        by_id = {row[key]: k for k, row in enumerate(expected)}
        k = by_id.get(cells[i][key])
        if k is None and len(data) == len(expected) and missing:
            k = missing[0]  # the item itself was changed
        if k is not None and k in missing:
            for j, found, plan_value in zip(fixed, cells[i], expected[k]):
                if not _same(found, plan_value):
                    raise _fail(path, "sampling.err.plan_cell", sheet=sheet_name, row=i + 2, column=labels[j],
                                found=found, expected=plan_value)
        shown = ", ".join(str(v) for v in cells[i] if v is not None)[:80]
        raise _fail(path, "sampling.err.plan_row_added", sheet=sheet_name, row=i + 2, shown=shown, n=len(expected))
    if missing:
        raise _fail(path, "sampling.err.plan_row_deleted", sheet=sheet_name, row=missing[0] + 2,
                    item=expected[missing[0]][key])
    return [(at + 2, data[at]) for at in place]


def _audited(path, sheet_name: str, data: list[tuple[int, list]], a: int, label: str, require: bool) -> list[float]:
    values, blank = [], []
    for row_number, row in data:
        v = row[a]
        if isinstance(v, bool) or (v is not None and not isinstance(v, (int, float))):
            if isinstance(v, str) and not v.strip():
                v = None
            else:
                raise BadDataError(key="sampling.err.audited_text", path=path, sheet=sheet_name, row=row_number,
                                   column=label, value=v)
        if v is not None and not math.isfinite(float(v)):
            raise BadDataError(key="sampling.err.audited_text", path=path, sheet=sheet_name, row=row_number,
                               column=label, value=v)
        if v is None:
            blank.append(row_number)
        values.append(float("nan") if v is None else float(v))
    blank.sort()
    if require and blank:
        def rows(lang):
            more = text("sampling.err.and_more", lang, n=len(blank) - SHOWN) if len(blank) > SHOWN else ""
            shown = ("、" if lang == "zh" else ", ").join(map(str, blank[:SHOWN]))
            return text("sampling.err.rows_list", lang, rows=shown, more=more)
        raise BadDataError(key="sampling.err.audited_blank", path=path, sheet=sheet_name, column=label, n=len(blank),
                           rows=rows)
    return values


def _param_value(key: str, value):
    if key in ("confidence", "tolerable", "expected", "interval", "random_start", "population_book_value",
               "top_book_value"):
        return None if value is None else float(value)
    if key in ("size_given", "seed", "population_items", "zero_items", "sample_size", "top_items",
               "sampled_items", "strata") or key.startswith("left_out_"):
        return None if value is None else int(value)
    return "" if value is None else value


def read_plan(path, *, require_audited: bool = False) -> Plan:
    """Read a plan workbook back, checking it against its seal (BadDataError naming sheet, row, column, value).

    With ``require_audited`` every item must have an audited value (evaluation needs them all).
    """
    import openpyxl

    path = Path(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise BadDataError(key="sampling.err.plan_missing", path=path) from None
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException …: not a workbook we can read
        raise BadDataError(key="sampling.err.plan_unreadable", path=path, kind=type(exc).__name__) from None
    try:
        lang, sealed = _read_seal(path, book)
        names = {k: text(f"sampling.{k}", lang)  # the seal's own keys stay as the plan format wrote them
                 for k in ("sheet.parameters", "sheet.sample", "sheet.top", "sheet.strata")}
        name = names["sheet.parameters"]
        if name not in book.sheetnames:
            raise _fail(path, "sampling.err.plan_no_sheet", sheet=name)
        _compare(path, name, _sheet_rows(book[name]), [_label(c, lang) for c in PARAMETER_COLUMNS], [0, 1, 2, 3],
                 sealed.get("sheet.parameters", []))
        parameters = {r[0]: _param_value(r[0], r[2]) for r in sealed.get("sheet.parameters", [])}
        method = parameters.get("method")
        if method not in ("mus", "stratified"):
            raise _fail(path, "sampling.err.plan_method", method=method)
        parts = []
        for key, part in _sheets(method):
            name = names[key]
            if name not in book.sheetnames:
                raise _fail(path, "sampling.err.plan_no_sheet", sheet=name)
            columns = item_columns(method, part)
            labels = [_label(c, lang) for c in columns]
            fixed = [j for j, c in enumerate(columns) if c not in ENTERED]
            data = _compare(path, name, _sheet_rows(book[name]), labels, fixed, sealed.get(key, []),
                            key=[columns[j] for j in fixed].index("item_id"))
            a = columns.index("audited")
            audited = _audited(path, name, data, a, labels[a], require_audited)
            frame = pd.DataFrame([[r[j] for j in fixed] for r in sealed.get(key, [])],
                                 columns=[columns[j] for j in fixed])
            frame["audited"] = audited
            frame["note"] = [_cell(r[columns.index("note")]) or "" for _, r in data]
            frame["part"] = part
            parts.append(frame)
        strata = None
        if method == "stratified":
            name = names["sheet.strata"]
            if name not in book.sheetnames:
                raise _fail(path, "sampling.err.plan_no_sheet", sheet=name)
            _compare(path, name, _sheet_rows(book[name]), [_label(c, lang) for c in STRATA_COLUMNS],
                     list(range(len(STRATA_COLUMNS))), sealed.get("sheet.strata", []))
            strata = pd.DataFrame(sealed.get("sheet.strata", []), columns=STRATA_COLUMNS)
    finally:
        book.close()
    items = pd.concat(parts, ignore_index=True).reindex(columns=PLAN_COLUMNS)
    items["book_value"] = items["book_value"].astype("float64")
    risks = {risk_label(code, lang): code for code in RISKS}  # the sheets show labels, the plan keeps codes
    items["risk"] = items["risk"].map(risks)
    if strata is not None:
        strata["risk"] = strata["risk"].map(risks)
    return Plan(parameters=parameters, items=items, strata=strata, lang=lang)
