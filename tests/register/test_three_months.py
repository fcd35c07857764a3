"""Issue 12's "three months": run 1 → export → an auditor verifies, assigns and dates → import →
run 2 on changed data (one finding cleared, one entity deleted, one dismissed finding's values
changed) → statuses, counts and the bulletin exactly as expected → run 3 after a deadline shows
the overdue one.  Through the command line, on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json

import docx
import openpyxl
import pandas as pd
import pytest

from kpt_audit.cli import main
from kpt_audit.register.workbook import COLUMNS

COL = {h: i + 1 for i, h in enumerate(COLUMNS)}
A, B = "甲县", "乙县"


def projects():
    return [
        # funded 2019, never started: COS01 (budget over estimate), EXE01, EXE02, EXE05
        dict(project_id="P001", project_name="甲县污水处理厂", county=A, category="central_budget", fund_year=2019,
             budget=5_000_000, estimate=4_000_000, total_investment=5_000_000, annual_plan=2_000_000,
             completed_ytd=0, completed_total=0, planned_start="2019-05-01", status="not_started"),
        # behind schedule: EXE03
        dict(project_id="P002", project_name="甲县道路改造", county=A, category="provincial", fund_year=2020,
             budget=3_000_000, estimate=3_000_000, total_investment=3_000_000, annual_plan=1_000_000,
             completed_ytd=100_000, completed_total=400_000, planned_start="2019-03-01", actual_start="2019-04-01",
             status="under_construction", approval_date="2019-01-01", design_approval_date="2019-02-01"),
        # planned to start, not started: EXE05 (its row is deleted in month 2)
        dict(project_id="P004", project_name="乙县文化站", county=B, category="government", fund_year=2020,
             budget=800_000, estimate=800_000, total_investment=800_000, annual_plan=400_000, completed_ytd=0,
             completed_total=0, planned_start="2020-03-01", status="not_started"),
    ]


def write_data(folder, month: int):
    folder.mkdir(parents=True, exist_ok=True)
    rows = projects()
    overpaid = 700_000
    if month >= 2:
        rows[1]["completed_ytd"] = 900_000  # P002 catches up: EXE03 cleared
        rows = [r for r in rows if r["project_id"] != "P004"]  # P004's row is gone
        overpaid = 750_000  # C1's overpayment grows: COS04's values change
    tables = {
        "projects": rows,
        "funds": [dict(fund_id="F1", project_id="P001", level="central", date="2019-03-01", amount=1_500_000),
                  dict(fund_id="F2", project_id="P002", level="provincial", date="2020-03-01", amount=800_000)],
        "suppliers": [dict(supplier_id="S1", name="甲建筑公司")],
        "contracts": [dict(contract_id="C1", project_id="P002", supplier_id="S1", sign_date="2019-05-01",
                           amount=600_000)],
        "payments": [dict(payment_id="Y1", project_id="P002", contract_id="C1", payee_id="S1", date="2020-04-01",
                          amount=overpaid, type="progress")],
    }
    for name, r in tables.items():
        pd.DataFrame(r).to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")
    return folder


def check(data, out, as_of, reg):
    assert main(["check", str(data), "--out", str(out), "--as-of", as_of, "--register", reg]) == 0
    findings = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return findings.set_index("finding_no")


def number(findings, check_id, entity):
    hit = findings[(findings["check_id"] == check_id) & (findings["entity_id"] == entity)]
    assert len(hit) == 1, (check_id, entity, list(findings.index))
    return hit.index[0]


def metric(out, name):
    return pd.read_csv(out / "metrics" / f"{name}.csv", dtype={"county": str}, keep_default_na=False,
                       encoding="utf-8-sig")


def edit(path, out, by_number: dict):
    """Fill an exported workbook: {finding_no: {header: value}}."""
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets[:-1]:
        for row in range(2, sheet.max_row + 1):
            changes = by_number.get(sheet.cell(row, COL["问题编号"]).value, {})
            for header, value in changes.items():
                sheet.cell(row, COL[header]).value = value
    book.save(out)
    return out


def test_three_months_of_verification_and_rectification(reg, tmp_path, capsys):
    # month 1: every finding new, pending, open
    month1 = check(write_data(tmp_path / "d1", 1), tmp_path / "o1", "2020-09-25", reg)
    cos01, cos04 = number(month1, "COS01", "P001"), number(month1, "COS04", "C1")
    exe01, exe02 = number(month1, "EXE01", "P001"), number(month1, "EXE02", "P001")
    exe03, exe05 = number(month1, "EXE03", "P002"), number(month1, "EXE05", "P001")
    exe05_b = number(month1, "EXE05", "P004")
    assert sorted(month1.index) == sorted([cos01, cos04, exe01, exe02, exe03, exe05, exe05_b])
    assert set(month1["status"]) == {"new"} and set(month1["verification"]) == {"pending"}

    # the auditor's verification
    assert main(["register", "export", reg, "--out", str(tmp_path / "m1.xlsx")]) == 0
    edit(tmp_path / "m1.xlsx", tmp_path / "m1-done.xlsx", {
        exe01: {"核实结果": "属实", "责任单位": "县发改局", "整改期限": dt.datetime(2020, 10, 31)},
        exe03: {"核实结果": "属实", "责任单位": "县交通局", "整改期限": "2020-12-31"},
        cos01: {"核实结果": "部分属实", "责任单位": "县发改局", "整改期限": "2020/10/15", "整改状态": "已整改",
                "整改金额": 50, "整改说明": "已按批复调减概算"},
        cos04: {"核实结果": "不属实", "核实说明": "变更签证未录入"},
        exe05: {"核实结果": "不属实", "核实说明": "已办理延期开工"},
    })
    capsys.readouterr()
    assert main(["register", "import", reg, str(tmp_path / "m1-done.xlsx"), "--by", "王审计"]) == 0
    assert "王审计 导入：5 条问题有变更" in capsys.readouterr().out

    # month 2: EXE03 cleared, P004 deleted, COS04 (dismissed) has new values
    month2 = check(write_data(tmp_path / "d2", 2), tmp_path / "o2", "2020-10-25", reg)
    assert month2.loc[exe03, ["status", "cause"]].tolist() == ["not_found_again", "cleared"]
    assert month2.loc[exe05_b, ["status", "cause"]].tolist() == ["not_found_again", "entity_missing"]
    assert month2.loc[exe03, "rectification"] == "open"  # absence is not rectification
    assert month2.loc[cos04, "verification"] == "pending"
    assert month2.loc[cos04, "verification_note"].startswith("变更签证未录入；2020-10-25 明细数值已变化")
    assert month2.loc[exe05, "verification"] == "dismissed"  # values unchanged: stays dismissed
    assert month2.loc[cos01, ["verification", "rectification", "rectified_amount", "due_date"]].tolist() == \
        ["partly", "rectified", "500000.0", "2020-10-15"]
    assert set(month2.loc[[cos01, cos04, exe01, exe02, exe05], "status"]) == {"persisting"}
    table = metric(tmp_path / "o2", "rectification").set_index("county")
    assert table.loc[A, ["found", "verified", "dismissed", "pending", "rectified", "closed", "overdue"]].tolist() == \
        [6, 3, 1, 2, 1, 0, 0]
    assert table.loc[A, "rate"] == pytest.approx(0.2)  # 1 rectified of 6 - 1 dismissed
    assert table.loc[A, "rectified_amount"] == 500_000.0
    assert table.loc[B, ["found", "pending", "overdue"]].tolist() == [1, 1, 0]

    assert main(["register", "bulletin", reg, "--out", str(tmp_path / "b2")]) == 0
    html = (tmp_path / "b2" / "季通报_2020Q4.html").read_text(encoding="utf-8")
    assert "2020年第四季度问题整改情况通报" in html and "截至 2020-10-25" in html
    assert "逾期未整改事项（按责任单位，共 0 项）" in html
    word = docx.Document(str(tmp_path / "b2" / "季通报_2020Q4.docx"))
    ranking = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert ranking[1][:3] == ["1", A, "6"] and ranking[1][9] == "20.0%" and ranking[1][10] == "50.00"
    assert ranking[2][:3] == ["2", B, "1"] and ranking[2][9] == "0.0%"

    # between the months: COS01 closed (销号)
    assert main(["register", "export", reg, "--out", str(tmp_path / "m2.xlsx"), "--county", A]) == 0
    edit(tmp_path / "m2.xlsx", tmp_path / "m2-done.xlsx", {cos01: {"整改状态": "已销号"}})
    assert main(["register", "import", reg, str(tmp_path / "m2-done.xlsx"), "--by", "李科长"]) == 0

    # month 3, after EXE01's deadline (2020-10-31): it is overdue; EXE03's (12-31) is not yet
    month3 = check(write_data(tmp_path / "d3", 2), tmp_path / "o3", "2020-11-25", reg)
    # still open and still absent: listed again as not found again (interfaces.md), exe05_b's project gone
    assert month3.loc[exe03, ["status", "cause", "verification"]].tolist() == ["not_found_again", "cleared", "confirmed"]
    assert month3.loc[exe05_b, ["status", "cause"]].tolist() == ["not_found_again", "entity_missing"]
    # the manifest counts what the summary counts (found this run, not dismissed), and the rows listed
    manifest = json.loads((tmp_path / "o3" / "manifest.json").read_text(encoding="utf-8"))
    current = (month3["status"] != "not_found_again") & (month3["verification"] != "dismissed")
    assert (manifest["findings"], manifest["findings_listed"]) == (int(current.sum()), len(month3))
    assert manifest["findings"] < manifest["findings_listed"]
    table = metric(tmp_path / "o3", "rectification").set_index("county")
    assert table.loc[A, ["found", "verified", "dismissed", "pending", "rectified", "closed", "overdue"]].tolist() == \
        [6, 3, 1, 2, 0, 1, 1]
    trend = metric(tmp_path / "o3", "rectification_trend")
    assert trend[trend["county"] == A][["as_of", "pending", "rectified", "closed", "overdue"]].values.tolist() == [
        ["2020-09-25", 7 - 1, 0, 0, 0], ["2020-10-25", 2, 1, 0, 0], ["2020-11-25", 2, 0, 1, 1]]
    assert main(["register", "bulletin", reg, "--out", str(tmp_path / "b3"), "--period", "2020Q4"]) == 0
    html = (tmp_path / "b3" / "季通报_2020Q4.html").read_text(encoding="utf-8")
    assert "截至 2020-11-25" in html and "共 1 项" in html and "<h3>县发改局（1 项）</h3>" in html
    assert exe01 in html and exe03 not in html.split("二、逾期未整改事项")[1]
    word = docx.Document(str(tmp_path / "b3" / "季通报_2020Q4.docx"))
    overdue_rows = [[c.text for c in row.cells] for row in word.tables[1].rows]
    assert overdue_rows[1][:2] == [A, exe01] and overdue_rows[1][4:6] == ["2020-10-31", "25"]
    # an earlier quarter is judged at its own last run
    assert main(["register", "bulletin", reg, "--out", str(tmp_path / "b1"), "--period", "2020Q3"]) == 0
    first = (tmp_path / "b1" / "季通报_2020Q3.html").read_text(encoding="utf-8")
    assert "截至 2020-09-25" in first
