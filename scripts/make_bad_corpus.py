"""Write the bad-input corpus ``tests/data/bad/``: one folder per case.

    .venv/bin/python scripts/make_bad_corpus.py [DEST]     (default tests/data/bad)

Every file is built here from code (no hand-edited binaries), deterministically,
so ``tests/reliability/test_bad_inputs.py`` can check that the committed
corpus is exactly what this script writes.  Each :class:`Case` also says what
must happen to it; the tests assert that outcome:

* ``error``: the loader (or params / OCDS reader) refuses the input with one
  paragraph that names ``error_file`` and matches the ``error`` pattern; the
  CLI exits ``exit_code``;
* otherwise the dataset loads, every file's rows balance, ``data_rows`` (the
  data rows written here, counted without the loader) equals ``rows_in``,
  ``rejected`` lists exactly the (file, row, reason) rejections, ``warned`` the
  warnings that must be among the warnings, ``values`` cells of the loaded
  tables.

Dataset cases are folders of table files; ``params_*`` cases hold one
``params.yaml`` used with a small good dataset; ``ocds_*`` cases hold OCDS files.
"""
from __future__ import annotations

import csv
import io
import json
import random
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

DEFAULT_DEST = Path(__file__).resolve().parents[1] / "tests" / "data" / "bad"
GOOD_PROJECTS = [["P001", "污水处理厂", "甲县"], ["P002", "道路工程", "乙县"]]
PROJECT_HEADER = ["项目编码", "项目名称", "县区"]


@dataclass
class Case:
    name: str
    files: dict[str, bytes]
    what: str                                    # the hostile thing, in a few words
    data_rows: dict[str, int] = field(default_factory=dict)
    error: str | None = None                     # regex the error paragraph must match
    error_file: str | None = None                # file the error must name
    exit_code: int = 0                           # of `kpt-audit validate` (params) / `ocds`
    rejected: list[tuple[str, int, str]] = field(default_factory=list)
    warned: list[tuple[str, int, str]] = field(default_factory=list)
    values: list[tuple[str, str, str, str, object]] = field(default_factory=list)  # table, key, id, column, value
    ocds_loaded: int | None = None               # OCDS: processes read

    @property
    def kind(self) -> str:
        return self.name.split("_", 1)[0] if self.name.split("_", 1)[0] in ("params", "ocds") else "dataset"


# --- file builders -----------------------------------------------------------------------------

def csv_bytes(header, rows, encoding="utf-8", sep=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def good_projects() -> bytes:
    return csv_bytes(PROJECT_HEADER, GOOD_PROJECTS)


def garbage(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def _cell_xml(ref: str, value) -> str:
    """One cell: str -> inline string, int/float -> number, ('err', '#REF!'), ('f', formula, cached or None),
    ('date', serial) -> number styled as a date."""
    if value is None:
        return ""
    if isinstance(value, tuple) and value[0] == "err":
        return f'<c r="{ref}" t="e"><v>{escape(value[1])}</v></c>'
    if isinstance(value, tuple) and value[0] == "f":
        cached = value[2]
        if cached is None:
            return f'<c r="{ref}"><f>{escape(value[1])}</f></c>'
        kind = ' t="str"' if isinstance(cached, str) else ""
        return f'<c r="{ref}"{kind}><f>{escape(value[1])}</f><v>{escape(str(cached))}</v></c>'
    if isinstance(value, tuple) and value[0] == "date":
        return f'<c r="{ref}" s="1"><v>{value[1]}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_xml(rows: list[list], merged: list[str]) -> str:
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell_xml(f"{_column_letter(c)}{r}", v) for c, v in enumerate(row))
        body.append(f'<row r="{r}">{cells}</row>')
    merges = (f'<mergeCells count="{len(merged)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merged)
              + "</mergeCells>") if merged else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(body)}</sheetData>{merges}</worksheet>')


def xlsx_bytes(sheets: dict[str, list[list]], merged: dict[str, list[str]] | None = None,
               broken_sheet_xml: bool = False) -> bytes:
    """A minimal xlsx written part by part (openpyxl would stamp the time into it), zip entries dated
    1980-01-01 so that the bytes depend only on the content."""
    merged = merged or {}
    ns = "http://schemas.openxmlformats.org"
    sheet_entries = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                            for i, name in enumerate(sheets, start=1))
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(sheets) + 1))
            + "</Types>"),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>{sheet_entries}</sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{ns}/officeDocument/2006/relationships/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{ns}/officeDocument/2006/relationships/styles" '
              'Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{ns}/spreadsheetml/2006/main">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '</styleSheet>'),
    }
    for i, (name, rows) in enumerate(sheets.items(), start=1):
        xml = _sheet_xml(rows, merged.get(name, []))
        parts[f"xl/worksheets/sheet{i}.xml"] = xml[: len(xml) // 2] if broken_sheet_xml else xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def cfb_bytes(streams: list[str]) -> bytes:
    """The start of an OLE compound file (what Excel writes for an encrypted workbook or an .xls):
    the 512-byte header and one directory sector naming ``streams`` -- enough to be recognised."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:26] = (0x3E).to_bytes(2, "little")
    header[26:28] = (3).to_bytes(2, "little")
    header[28:30] = b"\xfe\xff"
    header[30:32] = (9).to_bytes(2, "little")
    header[32:34] = (6).to_bytes(2, "little")
    directory = bytearray()
    for i, name in enumerate(["Root Entry", *streams]):
        entry = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        entry[0:len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        entry[66] = 5 if i == 0 else 2
        directory += entry
    return bytes(header) + bytes(directory.ljust(512, b"\0"))


def parquet_bytes(columns: dict, schema=None) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(columns, schema=schema) if schema is not None else pa.table(columns)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="none")
    return sink.getvalue().to_pybytes()


def jsonl(objects) -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects).encode("utf-8")


def release(n: int, **extra) -> dict:
    base = {"ocid": f"ocds-kpt-{n:03d}", "id": f"r{n}", "date": "2020-03-01T00:00:00Z", "tag": ["compiled"],
            "buyer": {"id": "B1", "name": "甲县交通运输局"},
            "tender": {"id": f"T{n}", "title": "道路养护", "procurementMethod": "open",
                       "mainProcurementCategory": "works", "value": {"amount": 100000 + n, "currency": "CNY"}}}
    base.update(extra)
    return base


# --- the cases -----------------------------------------------------------------------------------

def csv_cases() -> list[Case]:
    out = []
    add = out.append
    add(Case("csv_binary_garbage", {"projects.csv": garbage(1, 4096)}, "random bytes named .csv",
             error=r"binary data|not a CSV text file", error_file="projects.csv", exit_code=1))
    # 0x80 and 0xFF start no character in UTF-8 nor in GB18030, and the bytes hold no NUL
    add(Case("csv_undecodable", {"projects.csv": b"\xff\x80\xff\x80abc,\xfe\x80\n" * 20},
             "bytes that are neither UTF-8 nor GBK",
             error=r"neither UTF-8 nor GBK", error_file="projects.csv", exit_code=1))
    mixed = good_projects() + "P003,学校扩建,丙县\n".encode("gbk") + "P004,医院改造,丁县\n".encode("utf-8")
    add(Case("csv_mixed_encodings", {"projects.csv": mixed}, "UTF-8 lines and one GBK line in one CSV",
             data_rows={"projects.csv": 4}, warned=[("projects.csv", 4, "decoded as GB18030 and kept")],
             values=[("projects", "project_id", "P003", "project_name", "学校扩建"),
                     ("projects", "project_id", "P004", "county", "丁县")]))
    neither = good_projects() + b"P003,\xff\xfe\x80,\xe4\xb8\x99\xe5\x8e\xbf\n" + "P004,医院改造,丁县\n".encode("utf-8")
    add(Case("csv_line_in_no_encoding", {"projects.csv": neither},
             "a UTF-8 CSV with one line that is neither UTF-8 nor GBK",
             error=r"line 4 is neither UTF-8.*nor GBK", error_file="projects.csv", exit_code=1))
    add(Case("csv_nul_bytes", {"projects.csv": good_projects() + b"P003,\x00\x00bad\x00,\xe4\xb8\x99\xe5\x8e\xbf\n"},
             "NUL bytes inside a cell", data_rows={"projects.csv": 3},
             warned=[("projects.csv", 4, "NUL bytes removed, rest of the line kept; line 4")],
             values=[("projects", "project_id", "P003", "project_name", "bad")]))
    add(Case("csv_utf16_export", {"projects.csv": "项目编码,项目名称,县区\r\nP001,污水处理厂,甲县\r\n".encode("utf-16")},
             "a UTF-16 export (NUL bytes throughout)",
             error=r"binary data.*UTF-16", error_file="projects.csv", exit_code=1))
    summary = GOOD_PROJECTS + [["合  计", "", "", "3,000"], ["", "小计：2项", "", "3000"],
                               ["填表人：张三   审核人：李四", "", "", ""], ["", "", "", "填报日期：2021-01-05"]]
    add(Case("csv_total_and_footer_rows",
             {"projects.csv": csv_bytes(PROJECT_HEADER + ["总投资(万元)"], [r + ["1500"] if len(r) == 3 else r
                                                                          for r in summary])},
             "a 合计 and a 小计 row under the data, and footer rows (填表人, 填报日期)",
             data_rows={"projects.csv": 6},
             rejected=[("projects.csv", 4, "total row"), ("projects.csv", 5, "total row"),
                       ("projects.csv", 6, "footer row"), ("projects.csv", 7, "footer row")],
             values=[("projects", "project_id", "P002", "total_investment", 15_000_000.0)]))
    units = [["P001", "污水处理厂", "甲县", "1.2亿", "1,234,567.5", "2021年13月1日"],
             ["P002", "道路工程", "乙县", "1,234.5万", "1,2,3万", "无"]]
    add(Case("csv_yi_and_bad_separators",
             {"projects.csv": csv_bytes(PROJECT_HEADER + ["总投资", "初设概算(亿元)", "实际开工日期"], units)},
             "亿 in a cell and a 亿元 header, separators that do not group by three, an impossible date",
             data_rows={"projects.csv": 2},
             warned=[("projects.csv", 3, "amount value cannot be parsed; emptied and marked unknown"),
                     ("projects.csv", 2, "date value cannot be parsed; emptied and marked unknown")],
             values=[("projects", "project_id", "P001", "total_investment", 120_000_000.0),
                     ("projects", "project_id", "P002", "total_investment", 12_345_000.0),
                     ("projects", "project_id", "P001", "budget", 123_456_750_000_000.0),
                     ("projects", "project_id", "P002", "budget", None),
                     ("projects", "project_id", "P001", "actual_start", None)]))
    add(Case("csv_empty_file", {"projects.csv": b""}, "0-byte file",
             error=r"empty \(0 bytes\)", error_file="projects.csv", exit_code=1))
    add(Case("csv_header_missing", {"projects.csv": csv_bytes(GOOD_PROJECTS[0], GOOD_PROJECTS[1:])},
             "data rows without a header row",
             error=r"required columns missing.*project_id", error_file="projects.csv", exit_code=1))
    add(Case("csv_duplicate_headers",
             {"projects.csv": csv_bytes(PROJECT_HEADER + ["项目名称"], [r + ["别名"] for r in GOOD_PROJECTS])},
             "two headers for one column",
             error=r"headers '项目名称' and '项目名称' both map to column 'project_name'", error_file="projects.csv",
             exit_code=1))
    add(Case("csv_too_many_fields",
             {"projects.csv": good_projects() + "P003,桥梁,丙县,多出来的,又一个\n".encode()},
             "a row with more fields than the header", data_rows={"projects.csv": 3},
             rejected=[("projects.csv", 4, "more fields than the header's 3, row not read")]))
    add(Case("csv_semicolon_delimiter", {"projects.csv": csv_bytes(PROJECT_HEADER, GOOD_PROJECTS, sep=";")},
             "semicolons instead of commas", data_rows={"projects.csv": 2},
             values=[("projects", "project_id", "P002", "county", "乙县")]))
    add(Case("csv_tab_delimiter_gbk",
             {"projects.csv": csv_bytes(PROJECT_HEADER + ["总投资(万元)"], [r + ["1,200.5"] for r in GOOD_PROJECTS],
                                        encoding="gbk", sep="\t")},
             "tab-separated GBK with a 万元 header", data_rows={"projects.csv": 2},
             values=[("projects", "project_id", "P001", "total_investment", 12_005_000.0)]))
    rows = [["P001", "甲", "甲县", "备注一", "备注二", ""], ["P002", "乙", "乙县", "", "x", ""]]
    add(Case("csv_repeated_unknown_headers",
             {"projects.csv": csv_bytes(PROJECT_HEADER + ["备注", "备注", ""], rows)},
             "two unknown columns with one header and a blank header", data_rows={"projects.csv": 2},
             values=[("projects", "project_id", "P001", "备注", "备注一"),
                     ("projects", "project_id", "P001", "备注.2", "备注二")]))
    add(Case("csv_all_empty_columns",
             {"projects.csv": csv_bytes(PROJECT_HEADER + ["总投资", "实际开工日期", "项目状态"],
                                        [r + ["", "", " "] for r in GOOD_PROJECTS])},
             "columns present but empty in every row", data_rows={"projects.csv": 2},
             values=[("projects", "project_id", "P001", "total_investment", None),
                     ("projects", "project_id", "P002", "status", None)]))
    title = "2020年重点项目台账\n\n".encode() + good_projects() + b"\n\n\n"
    add(Case("csv_title_rows_trailing_blanks", {"projects.csv": title},
             "title and blank rows above the header, blank lines at the end", data_rows={"projects.csv": 2},
             values=[("projects", "project_id", "P002", "project_name", "道路工程")]))
    add(Case("csv_blank_and_short_rows",
             {"projects.csv": good_projects() + b"\nP003\n,,\nP004,\xe6\xa1\xa5,\xe4\xb8\x81\xe5\x8e\xbf\n"},
             "a blank line, a short row and a row of empty fields in the data", data_rows={"projects.csv": 6},
             rejected=[("projects.csv", 4, "empty row"), ("projects.csv", 5, "required value missing"),
                       ("projects.csv", 6, "empty row")]))
    amounts = [["F1", "P001", "中央", "2020-03-01", "1,234.50"], ["F2", "P001", "省级", "2020-03-02", "１２３"],
               ["F3", "P001", "县级", "2020-03-03", "12万元"], ["F4", "P002", "市级", "2020-03-04", "¥300"],
               ["F5", "P002", "自筹", "2020-03-05", "(1,000)"], ["F6", "P002", "中央", "2020-03-06", " 7e3 "]]
    add(Case("csv_numbers_as_text",
             {"projects.csv": good_projects(),
              "funds.csv": csv_bytes(["文号", "项目编码", "资金级次", "下达日期", "下达金额"], amounts)},
             "amounts with separators, full-width digits, units, currency and accounting negatives",
             data_rows={"projects.csv": 2, "funds.csv": 6},
             warned=[("funds.csv", 6, "negative amount")],
             values=[("funds", "fund_id", "F1", "amount", 1234.5), ("funds", "fund_id", "F2", "amount", 123.0),
                     ("funds", "fund_id", "F3", "amount", 120000.0), ("funds", "fund_id", "F4", "amount", 300.0),
                     ("funds", "fund_id", "F5", "amount", -1000.0), ("funds", "fund_id", "F6", "amount", 7000.0)]))
    bad_amounts = [["F1", "P001", "中央", "2020-03-01", "-500"], ["F2", "P001", "中央", "2020-03-01", "NaN"],
                   ["F3", "P001", "中央", "2020-03-01", "inf"], ["F4", "P001", "中央", "2020-03-01", "-Infinity"],
                   ["F5", "P001", "中央", "2020-03-01", "#REF!"], ["F6", "P001", "中央", "2020-03-01", "1e400"],
                   ["F7", "P001", "中央", "2020-03-01", "100"]]
    add(Case("csv_negative_nan_inf_amounts",
             {"projects.csv": csv_bytes(PROJECT_HEADER + ["概算"], [r + ["inf"] for r in GOOD_PROJECTS]),
              "funds.csv": csv_bytes(["文号", "项目编码", "资金级次", "下达日期", "下达金额"], bad_amounts)},
             "negative, NaN, inf, overflowing and #REF! amounts", data_rows={"projects.csv": 2, "funds.csv": 7},
             rejected=[("funds.csv", r, "required amount value cannot be parsed") for r in (3, 4, 5, 6, 7)],
             warned=[("funds.csv", 2, "negative amount"), ("projects.csv", 2, "amount value cannot be parsed; emptied")],
             values=[("funds", "fund_id", "F1", "amount", -500.0), ("projects", "project_id", "P001", "budget", None)]))
    dates = [["P001", "污水处理厂", "甲县", "1900-01-01", "2200-06-30", "9999-12-31"],
             ["P002", "道路工程", "乙县", "2020-02-30", "2020/5/10", "2021年5月10日"]]
    add(Case("csv_dates_1900_2200",
             {"projects.csv": csv_bytes(PROJECT_HEADER + ["计划开工日期", "计划竣工日期", "投产日期"], dates)},
             "dates in 1900, 2200, 9999 and 30 February", data_rows={"projects.csv": 2},
             warned=[("projects.csv", 2, "implausible date"), ("projects.csv", 2, "date value cannot be parsed"),
                     ("projects.csv", 3, "date value cannot be parsed")],
             values=[("projects", "project_id", "P001", "planned_completion", "2200-06-30"),
                     ("projects", "project_id", "P001", "operation_date", None),
                     ("projects", "project_id", "P002", "planned_start", None),
                     ("projects", "project_id", "P002", "operation_date", "2021-05-10")]))
    order = [["P001", "甲", "甲县", "2020-06-01", "2019-01-01"], ["P002", "乙", "乙县", "2020-01-01", "2020-12-31"]]
    add(Case("csv_end_before_start",
             {"projects.csv": csv_bytes(PROJECT_HEADER + ["实际开工日期", "实际竣工日期"], order)},
             "completion before start", data_rows={"projects.csv": 2},
             warned=[("projects.csv", 2, "date order: actual_completion before actual_start")]))
    dupes = GOOD_PROJECTS + [["P001", "重复", "丙县"], ["Ｐ００２", "全角重复", "丁县"]]
    add(Case("csv_duplicate_keys", {"projects.csv": csv_bytes(PROJECT_HEADER, dupes)},
             "a key repeated, once in full-width digits", data_rows={"projects.csv": 4},
             rejected=[("projects.csv", 4, "duplicate key project_id; first at row 2"),
                       ("projects.csv", 5, "duplicate key project_id; first at row 3")],
             values=[("projects", "project_id", "P001", "project_name", "污水处理厂")]))
    pay = [["Z1", "P001", "S1", "2020-04-01", "100"], ["Z2", "P999", "S1", "2020-04-02", "200"]]
    add(Case("csv_orphan_foreign_keys",
             {"projects.csv": good_projects(),
              "payments.csv": csv_bytes(["支付编号", "项目编码", "收款人编码", "支付日期", "支付金额"], pay)},
             "a payment to a project that does not exist", data_rows={"projects.csv": 2, "payments.csv": 2},
             warned=[("payments.csv", 3, "project_id not found in projects.project_id")]))
    enum_rows = [["F1", "P001", "乡镇级", "2020-03-01", "10"], ["F2", "P001", "中央", "2020-03-01", "10"]]
    add(Case("csv_unknown_enums",
             {"projects.csv": csv_bytes(PROJECT_HEADER + ["项目状态"], [GOOD_PROJECTS[0] + ["暂缓"],
                                                                     GOOD_PROJECTS[1] + ["在建"]]),
              "funds.csv": csv_bytes(["文号", "项目编码", "资金级次", "下达日期", "下达金额"], enum_rows)},
             "values outside the allowed lists", data_rows={"projects.csv": 2, "funds.csv": 2},
             rejected=[("funds.csv", 2, "unknown value (allowed: central")],
             warned=[("projects.csv", 2, "unknown value (allowed: not_started")],
             values=[("projects", "project_id", "P001", "status", None),
                     ("projects", "project_id", "P002", "status", "under_construction")]))
    long_name = ("长" * 4_990) + "污水处理厂工程"
    add(Case("csv_5000_character_names",
             {"projects.csv": csv_bytes(PROJECT_HEADER, [["P001", long_name[:5000], "甲县" * 200],
                                                         GOOD_PROJECTS[1]])},
             "a 5,000-character project name", data_rows={"projects.csv": 2},
             values=[("projects", "project_id", "P001", "project_name", long_name[:5000])]))
    funny = [["P001\u200b", "污水\u200d处理厂🚧💧", "甲县"], ["\ufeffP002", "道路\u202e工程", "乙县"],
             ["P001", "重复的编码", "丙县"]]
    add(Case("csv_emoji_zero_width",
             {"projects.csv": csv_bytes(PROJECT_HEADER, funny)},
             "emoji, zero-width and bidi characters; an id that differs only by a zero-width space",
             data_rows={"projects.csv": 3},
             rejected=[("projects.csv", 4, "duplicate key project_id; first at row 2")],
             warned=[("projects.csv", 2, "invisible characters"), ("projects.csv", 3, "invisible characters")],
             values=[("projects", "project_id", "P001", "project_name", "污水\u200d处理厂🚧💧"),
                     ("projects", "project_id", "P002", "county", "乙县")]))
    ctrl = [["P001", "污水\x01处理\x1b[31m厂", "甲县"], ["P002", "道路\x7f工程", "乙县"]]
    add(Case("csv_control_characters", {"projects.csv": csv_bytes(PROJECT_HEADER, ctrl)},
             "terminal escapes and C0 control characters in text", data_rows={"projects.csv": 2},
             warned=[("projects.csv", 2, "control characters removed")],
             values=[("projects", "project_id", "P001", "project_name", "污水处理[31m厂")]))
    formulas = [["P001", "=HYPERLINK(\"http://x\",\"点此\")", "甲县"], ["P002", "@SUM(1+1)", "+乙县"]]
    add(Case("csv_formula_text", {"projects.csv": csv_bytes(PROJECT_HEADER, formulas)},
             "spreadsheet formulas written as text", data_rows={"projects.csv": 2},
             values=[("projects", "project_id", "P001", "project_name", "=HYPERLINK(\"http://x\",\"点此\")")]))
    quoted = b'\xe9\xa1\xb9\xe7\x9b\xae\xe7\xbc\x96\xe7\xa0\x81,\xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7\xb0,' \
             b'\xe5\x8e\xbf\xe5\x8c\xba\nP001,"two\nline ""name""",A\nP001,dup,B\n'
    add(Case("csv_newline_in_quoted_cell", {"projects.csv": quoted},
             "a quoted cell spanning two lines before a duplicate", data_rows={"projects.csv": 2},
             rejected=[("projects.csv", 3, "duplicate key project_id; first at row 2")],
             values=[("projects", "project_id", "P001", "project_name", 'two\nline "name"')]))
    add(Case("csv_header_only", {"projects.csv": csv_bytes(PROJECT_HEADER, [])}, "a header and no rows",
             data_rows={"projects.csv": 0}))
    return out


def excel_cases() -> list[Case]:
    out = []
    add = out.append
    good = xlsx_bytes({"项目台账": [PROJECT_HEADER, *GOOD_PROJECTS]})
    add(Case("xlsx_truncated", {"projects.xlsx": good[: len(good) // 2]}, "an xlsx cut in half",
             error=r"cannot be read as an Excel workbook", error_file="projects.xlsx", exit_code=1))
    add(Case("xlsx_broken_sheet_xml",
             {"projects.xlsx": xlsx_bytes({"项目台账": [PROJECT_HEADER, *GOOD_PROJECTS]}, broken_sheet_xml=True)},
             "a valid zip whose sheet XML is cut", error=r"cannot be read", error_file="projects.xlsx",
             exit_code=1))
    add(Case("xlsx_password_protected", {"projects.xlsx": cfb_bytes(["EncryptionInfo", "EncryptedPackage"])},
             "an encrypted workbook (OLE container with EncryptedPackage)",
             error=r"password-protected", error_file="projects.xlsx", exit_code=1))
    add(Case("xlsx_is_renamed_xls", {"projects.xlsx": cfb_bytes(["Workbook", "\x05SummaryInformation"])},
             "an old .xls workbook renamed .xlsx",
             error=r"old Excel 97-2003 \(\.xls\) workbook", error_file="projects.xlsx", exit_code=1))
    add(Case("xlsx_is_csv_text", {"projects.xlsx": good_projects()}, "a CSV text file named .xlsx",
             error=r"text file, not an Excel workbook", error_file="projects.xlsx", exit_code=1))
    add(Case("xlsx_binary_garbage", {"projects.xlsx": garbage(2, 3000)}, "random bytes named .xlsx",
             error=r"cannot be read as an Excel workbook", error_file="projects.xlsx", exit_code=1))
    add(Case("xlsx_empty_file", {"projects.xlsx": b""}, "0-byte workbook",
             error=r"empty \(0 bytes\)", error_file="projects.xlsx", exit_code=1))
    add(Case("xls_old_format", {"projects.xls": cfb_bytes(["Workbook"])}, "an .xls workbook",
             error=r"old \.xls workbooks cannot be read", error_file="projects.xls", exit_code=1))
    add(Case("xlsx_no_data_sheet", {"projects.xlsx": xlsx_bytes({"Sheet1": []})}, "a workbook with no cells",
             error=r"required columns missing.*Headers found: \(none\)", error_file="projects.xlsx", exit_code=1))
    sheet = [["2020年资金下达台账"], [],
             ["文号", "项目编码", "资金级次", "下达日期", "下达金额（万元）", "备注"],
             ["F1", "P001", "中央", ("date", 43900), ("f", "B9*2", 12.5), ("f", "A1&\"x\"", "text result")],
             ["F2", ("err", "#REF!"), "中央", ("date", 43901), 3, None],
             ["F3", "P002", "省级", ("date", 1), ("err", "#DIV/0!"), None],
             ["F4", "P002", "省级", ("date", 109575), 5, ("f", "C4*1", None)],
             ["F5", "P001", "市级", "2020年3月5日", "1,234.5", ("err", "#N/A")],
             ["F6", "P001", "市级", ("date", 43902), ("f", "SUM(E4:E5)", None), None]]
    add(Case("xlsx_formulas_and_error_cells",
             {"projects.csv": good_projects(), "funds.xlsx": xlsx_bytes({"资金下达": sheet})},
             "formulas with and without saved results, #REF!/#DIV/0!/#N/A cells, dates in 1900 and 2200",
             data_rows={"projects.csv": 2, "funds.xlsx": 6},
             rejected=[("funds.xlsx", 5, "required id value cannot be parsed"),
                       ("funds.xlsx", 6, "required amount value cannot be parsed"),
                       ("funds.xlsx", 9, "required value missing")],
             warned=[("funds.xlsx", 7, "implausible date"), ("funds.xlsx", 7, "formula with no saved result")],
             values=[("funds", "fund_id", "F1", "amount", 125_000.0), ("funds", "fund_id", "F5", "amount", 12_345_000.0),
                     ("funds", "fund_id", "F1", "备注", "text result"), ("funds", "fund_id", "F4", "备注", None),
                     ("funds", "fund_id", "F5", "备注", "#N/A"),
                     ("funds", "fund_id", "F1", "date", "2020-03-10"), ("funds", "fund_id", "F4", "date", "2200-01-01")]))
    merged_rows = [PROJECT_HEADER + ["总投资"], ["P001", "污水处理厂", "甲县", 100], ["P002", "道路工程", None, 200],
                   ["P003", "桥梁", None, 300], ["P004", "学校", "乙县", None]]
    add(Case("xlsx_merged_data_cells",
             {"projects.xlsx": xlsx_bytes({"项目": merged_rows}, merged={"项目": ["C2:C4", "D5:D5"]})},
             "a county cell merged over three data rows", data_rows={"projects.xlsx": 4},
             warned=[("projects.xlsx", 2, "merged cells rows 2-4 filled")],
             values=[("projects", "project_id", "P003", "county", "甲县"),
                     ("projects", "project_id", "P004", "county", "乙县")]))
    text_numbers = [PROJECT_HEADER + ["资金下达年度", "总投资", "形象进度"],
                    ["P001", "甲", "甲县", "2019年", "1,000", "50%"], ["P002", "乙", "乙县", "２０２０", "3.5万元", "x"]]
    add(Case("xlsx_numbers_stored_as_text", {"projects.xlsx": xlsx_bytes({"项目": text_numbers})},
             "years and amounts typed as text", data_rows={"projects.xlsx": 2},
             values=[("projects", "project_id", "P001", "fund_year", 2019), ("projects", "project_id", "P002", "fund_year", 2020),
                     ("projects", "project_id", "P002", "total_investment", 35000.0),
                     ("projects", "project_id", "P001", "形象进度", "50%")]))
    return out


def parquet_cases() -> list[Case]:
    import pyarrow as pa

    out = []
    add = out.append
    good = parquet_bytes({"project_id": ["P001", "P002"], "project_name": ["甲", "乙"], "county": ["甲县", "乙县"]})
    add(Case("parquet_truncated", {"projects.parquet": good[: len(good) - 40]}, "a parquet file with its footer cut",
             error=r"cannot be read as a parquet file", error_file="projects.parquet", exit_code=1))
    add(Case("parquet_binary_garbage", {"projects.parquet": garbage(3, 2048)}, "random bytes named .parquet",
             error=r"cannot be read as a parquet file", error_file="projects.parquet", exit_code=1))
    add(Case("parquet_missing_required_column",
             {"projects.parquet": parquet_bytes({"project_id": ["P001"], "name": ["甲"]})},
             "a parquet table without county", error=r"required columns? missing.*county",
             error_file="projects.parquet", exit_code=1))
    funds = {"fund_id": ["F1", "F2", "F3", "F4", "F5"], "project_id": ["P001"] * 5, "level": ["central"] * 5,
             "date": ["2020-01-01"] * 5, "amount": [float("nan"), float("inf"), -float("inf"), -5.0, 1e300]}
    add(Case("parquet_nan_inf_amounts",
             {"projects.parquet": good, "funds.parquet": parquet_bytes(funds)},
             "float amounts NaN, inf, -inf, negative and 1e300", data_rows={"projects.parquet": 2, "funds.parquet": 5},
             rejected=[("funds.parquet", 1, "required value missing"),
                       ("funds.parquet", 2, "required amount value cannot be parsed"),
                       ("funds.parquet", 3, "required amount value cannot be parsed")],
             warned=[("funds.parquet", 4, "negative amount")],
             values=[("funds", "fund_id", "F5", "amount", 1e300)]))
    typed = pa.table({"project_id": pa.array([1, 2, 3], pa.int64()), "project_name": ["甲", "乙", "丙"],
                      "county": pa.array(["甲县", "乙县", None]).dictionary_encode(),
                      "fund_year": pa.array([2019.0, 2020.5, None]),
                      "planned_start": pa.array([-25567, 84000, None], pa.date32()),
                      "planned_completion": pa.array([None, 3_000_000, None], pa.date32()),
                      "actual_start": pa.array([0, 200_000_000_000_000_000, None], pa.timestamp("us")),
                      "approval_date": pa.array([1_577_808_000_000, None, None], pa.timestamp("ms", tz="Asia/Shanghai")),
                      "budget": pa.array([Decimal("1234.50"), Decimal("-1"), None], pa.decimal128(12, 2)),
                      "tags": pa.array([["a", "b"], [], None], pa.list_(pa.string()))})
    add(Case("parquet_odd_types",
             {"projects.parquet": parquet_bytes({c: typed[c] for c in typed.column_names})},
             "integer ids, dictionary text, fractional years, dates in 1900, 2199 and 10183, a timestamp in "
             "year 8307, a time-zoned timestamp, decimals and a list column",
             data_rows={"projects.parquet": 3},
             rejected=[("projects.parquet", 3, "required value missing")],
             warned=[("projects.parquet", 1, "implausible date"), ("projects.parquet", 2, "date value cannot be parsed"),
                     ("projects.parquet", 2, "negative amount"), ("projects.parquet", 2, "int value cannot be parsed")],
             values=[("projects", "project_id", "1", "planned_start", "1900-01-01"),
                     ("projects", "project_id", "2", "planned_completion", None),
                     ("projects", "project_id", "2", "planned_start", "2199-12-26"),
                     ("projects", "project_id", "2", "actual_start", None),
                     ("projects", "project_id", "1", "approval_date", "2020-01-01"),
                     ("projects", "project_id", "1", "budget", 1234.5),
                     ("projects", "project_id", "2", "county", "乙县")]))
    add(Case("parquet_control_characters",
             {"projects.parquet": parquet_bytes({"project_id": ["P001", "P002"],
                                                 "project_name": ["污水\x00处理厂", "道路\x08工程"],
                                                 "county": ["甲县", "乙县"]})},
             "NUL and backspace inside parquet strings", data_rows={"projects.parquet": 2},
             warned=[("projects.parquet", 1, "control characters removed")],
             values=[("projects", "project_id", "P001", "project_name", "污水处理厂")]))
    add(Case("parquet_no_rows",
             {"projects.parquet": parquet_bytes({"project_id": pa.array([], pa.string()),
                                                 "project_name": pa.array([], pa.string()),
                                                 "county": pa.array([], pa.string())})},
             "a table with the columns and no rows", data_rows={"projects.parquet": 0}))
    return out


BOMB = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
    f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8)) + "checks: *i\n"


def params_cases() -> list[Case]:
    def case(name, text, pattern, what):
        body = text if isinstance(text, bytes) else text.encode("utf-8")
        return Case(name, {"params.yaml": body}, what, error=pattern, error_file="params.yaml", exit_code=2)

    return [
        case("params_unknown_top_key", "as_of: 2020-09-25\nchecks_:\n  idle_months: 3\n",
             r"unknown key 'checks_'", "a misspelt top-level key"),
        case("params_unknown_check", "checks:\n  idle_month: 3\n", r"unknown parameter 'checks.idle_month'.*idle_months",
             "a misspelt check parameter"),
        case("params_wrong_type", "checks:\n  idle_months: twelve\n", r"'checks.idle_months' must be int",
             "text where a number is needed"),
        case("params_bool_for_number", "checks:\n  idle_months: yes\n", r"'checks.idle_months' must be int",
             "YAML yes (a boolean) where a number is needed"),
        case("params_nan", "checks:\n  idle_months: .nan\n", r"'checks.idle_months' must be int", "NaN"),
        case("params_negative", "checks:\n  idle_months: -3\n", r"'checks.idle_months' must not be negative",
             "a negative threshold"),
        case("params_alias_bomb", BOMB, r"YAML aliases .* are not allowed", "a billion-laughs alias bomb"),
        case("params_python_tag", "checks: !!python/object/apply:os.system ['echo pwned']\n",
             r"not valid YAML", "a tag that would run code with an unsafe loader"),
        case("params_not_a_mapping", "- as_of\n- checks\n", r"must be a mapping", "a list instead of a mapping"),
        case("params_invalid_yaml", "checks:\n  idle_months: [3\n", r"not valid YAML", "an unclosed bracket"),
        case("params_not_utf8", "checks:\n  # 闲置月数\n  idle_months: 3\n".encode("gbk"), r"cannot be read",
             "a GBK-encoded params file"),
        case("params_bad_as_of", "as_of: 2020-13-45\n", r"not a valid date.*month must be in 1\.\.12", "an impossible date"),
        case("params_unknown_unit", "loader:\n  units:\n    projects: {budget: 千元}\n",
             r"loader.units.projects.budget: unknown unit '千元'", "a unit the loader does not know"),
        case("params_alias_to_unknown_column", "loader:\n  aliases:\n    projects: {编号: project_code}\n",
             r"'project_code', which is not a column of projects", "an alias to a column that does not exist"),
        case("params_alias_unknown_table", "loader:\n  aliases:\n    projets: {编号: project_id}\n",
             r"unknown table 'projets'", "aliases for a table that does not exist"),
    ]


def ocds_cases() -> list[Case]:
    good_line = jsonl([release(1)])
    return [
        Case("ocds_invalid_json_line",
             {"releases.jsonl": good_line + b'{"ocid": "ocds-kpt-002", "tender": {\n' + jsonl([release(3)])},
             "one line of a JSON Lines file is not JSON", data_rows={"releases.jsonl": 3},
             rejected=[("releases.jsonl", 2, "not valid JSON")], ocds_loaded=2),
        Case("ocds_not_ocds", {"package.json": json.dumps({"name": "quarterly report", "rows": [1, 2]}).encode()},
             "a JSON object that is not OCDS", data_rows={"package.json": 1},
             rejected=[("package.json", 1, "not OCDS")], ocds_loaded=0),
        Case("ocds_empty_file", {"releases.jsonl": b"", "package.json": b""}, "0-byte .json and .jsonl files",
             rejected=[("package.json", 1, "empty file"), ("releases.jsonl", 1, "empty file")], ocds_loaded=0),
        Case("ocds_truncated_json",
             {"package.json": json.dumps({"version": "1.1", "releases": [release(1), release(2)]})[:150].encode()},
             "a release package cut in the middle", rejected=[("package.json", 1, "not valid JSON")],
             ocds_loaded=0),
        Case("ocds_release_without_ocid",
             {"package.json": json.dumps({"version": "1.1", "releases": [
                 {k: v for k, v in release(1).items() if k != "ocid"}, release(2), {**release(3), "ocid": ""}]},
                 ensure_ascii=False).encode()},
             "releases whose ocid is missing or empty", data_rows={"package.json": 3},
             rejected=[("package.json", 1, "release without ocid"), ("package.json", 3, "release without ocid")],
             ocds_loaded=1),
        Case("ocds_deep_nesting", {"package.json": b'{"releases": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
                                   "deep.jsonl": b"[" * 5_000 + b"]" * 5_000 + b"\n" + good_line},
             "JSON nested 5,000 levels deep", data_rows={"deep.jsonl": 2},
             rejected=[("package.json", 1, "not valid JSON"), ("deep.jsonl", 1, "not valid JSON")], ocds_loaded=1),
        Case("ocds_wrong_shapes",
             {"releases.jsonl": jsonl([release(1, tender="not an object"), release(2, awards={"id": "A"}),
                                       release(3, buyer=["B"], tender={"value": {"amount": "1,000"}}),
                                       release(4, contracts=[None, 5, {"value": {"amount": None}}]),
                                       [1, 2], "text", release(5)])},
             "fields of the wrong JSON type, a list and a string as lines", data_rows={"releases.jsonl": 7},
             rejected=[("releases.jsonl", 5, "not OCDS"), ("releases.jsonl", 6, "not OCDS")], ocds_loaded=5),
        Case("ocds_nan_infinity",
             {"releases.jsonl": b'{"ocid": "ocds-kpt-001", "tag": ["compiled"], "tender": {"value": '
                                b'{"amount": NaN}}, "awards": [{"id": "A", "value": {"amount": Infinity}}]}\n'
              + jsonl([release(2)])},
             "NaN and Infinity literals (not JSON, accepted by Python's parser)", data_rows={"releases.jsonl": 2},
             rejected=[("releases.jsonl", 1, "not valid JSON")], ocds_loaded=1),
        Case("ocds_nan_in_package",
             {"package.json": b'{"version": "1.1", "releases": [{"ocid": "ocds-kpt-001", "tag": ["compiled"], '
                              b'"tender": {"value": {"amount": -Infinity}}}]}'},
             "a -Infinity literal in a release package", rejected=[("package.json", 1, "not valid JSON")],
             ocds_loaded=0),
        Case("ocds_not_utf8", {"package.json": json.dumps({"releases": [release(1)]}, ensure_ascii=False)
                               .encode("gbk")},
             "a GBK-encoded package", rejected=[("package.json", 1, "cannot be read as UTF-8")], ocds_loaded=0),
    ]


def build_cases() -> list[Case]:
    return csv_cases() + excel_cases() + parquet_cases() + params_cases() + ocds_cases()


def write_corpus(dest: Path = DEFAULT_DEST) -> list[Case]:
    """Write every case under ``dest`` (emptied first); returns the cases."""
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    cases = build_cases()
    for case in cases:
        for name, data in case.files.items():
            path = dest / case.name / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    (dest / "README.md").write_text(
        "# Bad-input corpus\n\nGenerated by `scripts/make_bad_corpus.py` -- do not edit by hand; change the "
        "script and run it again.\nOne folder per case; what each must do is in the script and asserted in "
        "`tests/reliability/test_bad_inputs.py`.\n\n| case | what is wrong |\n|---|---|\n"
        + "".join(f"| {c.name} | {c.what} |\n" for c in cases), encoding="utf-8")
    return cases


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DEST
    written = write_corpus(target)
    print(f"{len(written)} cases written to {target}")
