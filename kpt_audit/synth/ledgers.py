"""The synthetic tables written as an audit office's ledgers look (the demo's data folder).

Each table is a file named by its Chinese title (``资金支付.csv``), with the
Chinese headers the loader accepts (``Column.label_zh``), coded values in their
Chinese spelling (在建, 公开招标), yes/no as 是/否 and amounts in 万元 with the
unit in the header (``合同金额(万元)``).  The project ledger is an Excel
workbook as offices keep it: a title row and a unit line above the header,
a 合计 row and a 填表人 line below the data (the loader skips the first two and
rejects the last two as total and footer rows).

The loaded data must be the generated data to the fen, so that the demo's
findings are those of the plain files: the loader rounds 万元 amounts to the
fen after converting them, so they are written with six decimals, and a
column one of whose values has a fraction of a fen (the generator's
geometric bid series) is written in 元 (``投标报价(元)``) instead.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..files import atomic_write_bytes, write_csv
from ..schema.tables import TABLES, Table

WAN = 1e4
WAN_DECIMALS = 6  # 万元 to the fen: 0.000001 万元 = 0.01 元
EXCEL_TABLES = frozenset({"projects"})
LEDGER_TITLE = "政府投资项目台账"
FOOTER = "填表人：　　　　审核人：　　　　单位负责人："
FIXED_DATE = dt.datetime(2000, 1, 1)  # the workbook's creation date: identical bytes on every run


def in_wan(values: pd.Series) -> pd.Series | None:
    """``values`` (元) in 万元, or None when some value would not come back to the same 元 once
    the loader has multiplied it by 10,000 and rounded to the fen."""
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    wan = x.div(WAN).round(WAN_DECIMALS)
    known = x.notna()
    back = (wan[known] * WAN).round(2)
    return wan if (back == x[known]).all() else None


def ledger_frame(table: Table, df: pd.DataFrame, cells: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """``df`` as the ledger holds it: Chinese headers, codes and yes/no, amounts in 万元 (or 元), and
    the cells typed as text (``cells``: row, column, value) put in as written.

    Returns the frame (still under the canonical column names) and each column's header."""
    out = pd.DataFrame(index=df.index)
    headers = {}
    for col in table.columns:
        s = df[col.name]
        header = col.label_zh
        if col.kind == "amount":
            wan = in_wan(s)
            s, header = (wan, f"{header}(万元)") if wan is not None else (s, f"{header}(元)")
        elif col.kind == "enum":
            s = s.map(col.value_zh, na_action="ignore")
        elif col.kind == "bool":
            s = s.map({True: "是", False: "否"}, na_action="ignore")
        out[col.name] = s
        headers[col.name] = header
    for column, group in cells.groupby("column", sort=True):
        text = out[column].astype("object").where(out[column].notna(), None)
        text.loc[group["row"].to_numpy()] = group["value"].to_numpy()
        out[column] = text
    return out, headers


def write_ledgers(data, out_dir, truth_dir) -> Path:
    """The tables of ``data`` (a ``SynthData``: the generator writes with this module, so this one
    does not import it) into ``out_dir`` as ledgers, the project ledger as 项目台账.xlsx, the others
    as CSV named by their Chinese titles; truth.csv and near_misses.csv into ``truth_dir``, which
    must not be ``out_dir``: the planted truth is no ledger."""
    out, truth = Path(out_dir), Path(truth_dir)
    if out.resolve() == truth.resolve():
        raise ValueError("the planted truth belongs beside the ledgers, not among them")
    out.mkdir(parents=True, exist_ok=True)
    for name, table in TABLES.items():
        cells = data.raw_cells[data.raw_cells["table"] == name]
        frame, headers = ledger_frame(table, data.tables[name], cells)
        if name in EXCEL_TABLES:
            atomic_write_bytes(out / f"{table.title_zh}.xlsx", _workbook(table, frame, headers))
        else:
            write_csv(_dates_as_text(frame).rename(columns=headers), out / f"{table.title_zh}.csv")
    write_csv(data.truth, truth / "truth.csv")
    write_csv(data.near_misses, truth / "near_misses.csv")
    return out


def _dates_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates in a column that also holds typed text as YYYY-MM-DD (date columns are written so anyway)."""
    out = frame.copy()
    for col in out.columns[out.dtypes == object]:
        out[col] = out[col].map(lambda v: v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else v)
    return out


def _workbook(table: Table, frame: pd.DataFrame, headers: dict[str, str]) -> bytes:
    """One sheet named after the table: title, unit line, header, the rows, 合计 and the footer."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    book.set_properties({"created": FIXED_DATE, "title": table.title_zh})
    title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    money = book.add_format({"num_format": "#,##0.00####"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(table.title_zh)
    columns = list(frame.columns)
    sheet.merge_range(0, 0, 0, len(columns) - 1, LEDGER_TITLE, title)
    sheet.write_string(1, 0, "单位：万元")
    for j, col in enumerate(columns):
        sheet.write_string(2, j, headers[col], head)
        sheet.set_column(j, j, 30 if col in ("project_name", "delay_reason") else 14)
    first = 3
    for j, col in enumerate(columns):
        fmt = money if headers[col].endswith("(万元)") else None
        for i, v in enumerate(frame[col].tolist(), start=first):
            if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                continue
            if isinstance(v, pd.Timestamp):
                sheet.write_datetime(i, j, v.to_pydatetime(), day)
            elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
                sheet.write_number(i, j, float(v), fmt if fmt is money else None)
            else:
                sheet.write_string(i, j, str(v))
    total = first + len(frame)
    sheet.write_string(total, columns.index("project_name"), "合计")
    for j, col in enumerate(columns):
        if headers[col].endswith("(万元)"):
            sheet.write_number(total, j, round(float(frame[col].sum()), WAN_DECIMALS), money)
    sheet.write_string(total + 1, 0, FOOTER)
    sheet.freeze_panes(first, 2)
    book.close()
    return buffer.getvalue()
