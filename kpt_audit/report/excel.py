"""findings.xlsx: a summary sheet and one sheet per area, for auditors who work in Excel.

Amounts are numbers in 万元 (format 0.00) so that Excel can sum them; text
is always written as text, so a value such as ``=HYPERLINK(...)`` or
``-1+1`` from the data never becomes a formula.  The file is deterministic
(fixed creation date) and written to a temporary name, then renamed.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd

from ..checks.registry import AREAS
from ..files import atomic_write_bytes
from ..findings import FINDING_COLUMNS, GONE
from ..messages import text
from ..register.summary import dismissed, register_view
from .tables import column_label, value_label

FIXED_DATE = dt.datetime(2000, 1, 1)
WIDTHS = {"meaning": 50, "findings": 8,
          "finding_id": 18, "finding_no": 14, "check_id": 8, "area": 14, "severity": 8, "county": 12,
          "project_id": 14, "project_name": 28, "entity_type": 12, "entity_id": 22, "entity_name": 24, "amount": 14,
          "title": 24, "detail": 70, "basis": 40, "status": 14, "cause": 16}
SEVERITIES = ("high", "medium", "low")


def _area_name(area: str, lang: str) -> str:
    try:
        return text(f"area.{area}", lang)
    except KeyError:
        return area


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique case-insensitively."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")[:31] or "_"
    candidate, n = clean, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate, n = clean[:31 - len(suffix)] + suffix, n + 1
    used.add(candidate.casefold())
    return candidate


def summary_frame(findings: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Counts by county × area, with a column per severity.  Amounts are not added here: an area's
    checks quote different kinds of money (:func:`amounts_frame` totals them per check)."""
    live = findings[~findings["status"].fillna("").isin(GONE)]
    keys = live.assign(county=live["county"].fillna("").replace("", text("unassigned_county", lang)),
                       area=live["area"].fillna(""))
    grouped = keys.groupby(["county", "area"], sort=True)
    out = grouped.size().rename("findings").to_frame()
    for sev in SEVERITIES:
        out[sev] = keys[keys["severity"] == sev].groupby(["county", "area"]).size()
    out = out.reset_index()
    for sev in SEVERITIES:
        out[sev] = out[sev].fillna(0).astype("int64")
    order = {a: i for i, a in enumerate(AREAS)}
    out = out.assign(_o=out["area"].map(order).fillna(len(order))).sort_values(["county", "_o", "area"], kind="stable")
    out["area"] = out["area"].map(lambda a: _area_name(a, lang))
    return out.drop(columns="_o").reset_index(drop=True)


def amounts_frame(findings: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Per county and check with amounts: the amount's meaning, how many findings and their total
    (yuan; the sheet shows 万元).  One meaning per row: never added across checks."""
    from .amounts import county_amounts

    out = county_amounts(findings, lang)
    return out.assign(county=out["county"].replace("", text("unassigned_county", lang)))


def _page_setup(sheet, title: str) -> None:
    """On paper: A4 landscape, one page wide, the header row on every page, the title and
    audit date at the top and page numbers at the foot (the sheet's cells are left as they are)."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header("&C" + title.replace("&", "&&"))
    sheet.set_footer("&C&P / &N")


def _write_sheet(sheet, frame: pd.DataFrame, columns: list[str], lang: str, fmt) -> None:
    header, money, wrap = fmt
    for j, col in enumerate(columns):
        sheet.write_string(0, j, column_label(col, lang), header)
        sheet.set_column(j, j, WIDTHS.get(col, 12), money if col == "amount" else (wrap if col == "detail" else None))
    for j, col in enumerate(columns):
        values = frame[col].tolist()
        numeric = col == "amount" or pd.api.types.is_numeric_dtype(frame[col])
        for i, v in enumerate(values, start=1):
            if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
                continue
            if numeric:
                sheet.write_number(i, j, float(v) / (10000 if col == "amount" else 1), money if col == "amount" else None)
            else:
                sheet.write_string(i, j, str(v))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), len(columns) - 1)


def write_findings_workbook(findings: pd.DataFrame, path, lang: str = "zh", as_of: str | None = None,
                            counties: list[str] | None = None) -> Path:
    """Write the summary sheet and one sheet per area (areas in the catalogue's order), set up
    to print (``as_of``, the audit date, heads every printed page).  The summary lists every
    one of ``counties`` (a county without findings shows zeros) and ends with a total row."""
    import xlsxwriter

    path = Path(path)
    buffer = io.BytesIO()
    findings = findings.reset_index(drop=True)
    # with a register: its fields as an auditor reads them beside each finding; dismissed findings (不属实)
    # on a sheet of their own, counted nowhere
    view = register_view(findings, pd.Timestamp(as_of) if as_of else None, lang)
    register_columns = [c for c in view.columns if c not in findings.columns]
    gone = dismissed(findings).to_numpy(dtype=bool)
    frame = findings.reindex(columns=FINDING_COLUMNS)
    shown = frame.copy()
    for col in register_columns:
        shown[col] = view[col].to_numpy()
    for col, prefix in (("severity", "severity."), ("status", "status."), ("cause", "cause."),
                        ("entity_type", "entity_type.")):
        shown[col] = shown[col].map(lambda v, p=prefix: value_label(p, v, lang) if isinstance(v, str) and v else v)
    shown["area"] = shown["area"].map(lambda a: _area_name(a, lang) if isinstance(a, str) else a)
    apart = shown[gone]
    frame, shown = frame[~gone], shown[~gone]
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    book.set_properties({"created": FIXED_DATE, "title": "kpt-audit findings"})
    fmt = (book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
           book.add_format({"num_format": "#,##0.00"}), book.add_format({"text_wrap": True, "valign": "top"}))
    dated = f" · {text('report.subtitle', lang, as_of=as_of)}" if as_of else ""
    used: set[str] = set()
    summary = summary_frame(frame, lang)
    quiet = sorted(set(counties or []) - set(summary["county"]) - {""})
    if quiet:  # counties without findings are compared too (找问题、比差距)
        none = pd.DataFrame({"county": quiet, "area": text("note.none", lang), "findings": 0, "high": 0,
                             "medium": 0, "low": 0})
        summary = pd.concat([summary, none], ignore_index=True).sort_values("county", kind="stable")
    sheet = book.add_worksheet(_sheet_name(text("sheet.summary", lang), used))
    summary_cols = ["county", "area", "findings", "high", "medium", "low"]
    _write_sheet(sheet, summary, summary_cols, lang, fmt)
    total = len(summary) + 1  # below the filtered rows, so that filtering does not hide it
    sheet.write_string(total, 0, text("col.total", lang), fmt[0])
    for j, col in enumerate(summary_cols[2:], start=2):
        value = float(summary[col].sum())
        sheet.write_number(total, j, value / 10000 if col == "amount" else value, fmt[1] if col == "amount" else None)
    _page_setup(sheet, text("rollup.title", lang) + dated)
    sheet.set_column(0, 1, 16)
    amounts = amounts_frame(frame, lang)
    if len(amounts):
        sheet = book.add_worksheet(_sheet_name(text("sheet.amounts", lang), used))
        _write_sheet(sheet, amounts, list(amounts.columns), lang, fmt)
        _page_setup(sheet, f"{text('rollup.title', lang)} · {text('sheet.amounts', lang)}{dated}")
        sheet.set_column(3, 3, 50, fmt[2])
    areas = [a for a in AREAS if (frame["area"] == a).any()]
    areas += sorted(set(frame["area"].dropna()) - set(AREAS))
    with_previous = (frame["status"].fillna("") != "").any()
    columns = FINDING_COLUMNS if with_previous else [c for c in FINDING_COLUMNS if c not in ("status", "cause")]
    columns = columns + register_columns
    for area in areas:
        sheet = book.add_worksheet(_sheet_name(_area_name(area, lang), used))
        _write_sheet(sheet, shown[frame["area"] == area], columns, lang, fmt)
        _page_setup(sheet, f"{text('rollup.title', lang)} · {_area_name(area, lang)}{dated}")
    if gone.any():
        name = text("register.section.dismissed", lang)
        sheet = book.add_worksheet(_sheet_name(name, used))
        _write_sheet(sheet, apart, columns, lang, fmt)
        _page_setup(sheet, f"{text('rollup.title', lang)} · {name}{dated}")
    book.close()
    atomic_write_bytes(path, buffer.getvalue())
    return path
