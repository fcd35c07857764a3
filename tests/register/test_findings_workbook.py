"""findings.xlsx with a register: its fields beside each finding, dismissed findings apart and counted nowhere."""
from __future__ import annotations

import openpyxl

from kpt_audit.register.fields import REGISTER_COLUMNS
from kpt_audit.report.excel import write_findings_workbook

from .helpers import finding, frame


def _with_register(*rows):
    f = frame(*rows)
    for col in REGISTER_COLUMNS:
        f[col] = ""
    f["verification"], f["rectification"] = "pending", "open"
    f["rectified_amount"] = float("nan")
    return f


def _sheet(book, name):
    ws = book[name]
    rows = list(ws.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_register_fields_are_shown_and_dismissed_findings_are_apart(tmp_path):
    a, b = finding(entity="P1", project="P1", amount=300_000.0), finding(entity="P2", project="P2", amount=200_000.0)
    f = _with_register(a, b)
    f.loc[1, "verification"] = "dismissed"
    f.loc[0, ["verification", "rectification", "responsible_unit", "due_date", "rectified_amount"]] = [
        "confirmed", "in_progress", "县发改局", "2020-08-31", 150_000.0]
    path = write_findings_workbook(f, tmp_path / "findings.xlsx", as_of="2020-09-25", counties=["甲县"])
    book = openpyxl.load_workbook(path)
    header, rows = _sheet(book, "汇总")
    county = [r for r in rows if r[0] == "甲县"]
    assert county and county[0][header.index("问题数")] == 1          # the dismissed one is not counted
    header, rows = _sheet(book, "计划执行")
    assert len(rows) == 1 and rows[0][header.index("核实结果")] == "属实"
    assert rows[0][header.index("整改状态")] == "整改中" and rows[0][header.index("责任单位")] == "县发改局"
    assert rows[0][header.index("整改金额")] == 15.0
    assert rows[0][header.index("逾期")] == "逾期"                       # due before the audit date, not rectified
    header, rows = _sheet(book, "核实不属实（不计入问题数）")
    assert [r[header.index("核实结果")] for r in rows] == ["不属实"]


def test_without_a_register_the_workbook_is_as_before(tmp_path):
    path = write_findings_workbook(frame(finding()), tmp_path / "findings.xlsx", as_of="2020-09-25")
    book = openpyxl.load_workbook(path)
    header, _ = _sheet(book, "计划执行")
    assert "核实结果" not in header
    assert not [n for n in book.sheetnames if "不属实" in n]
