import hashlib

import openpyxl
import pytest

from kpt_audit.report.excel import summary_frame, write_findings_workbook

from .conftest import COUNTY_A


@pytest.fixture
def hostile_findings(result):
    f = result.findings.copy()
    f.loc[0, "detail"] = "=1+1"
    f.loc[1, "title"] = "@SUM(A1:A9)"
    f.loc[2, "detail"] = "-2+3"
    f.loc[3, "basis"] = "+cmd|' /C calc'!A0"
    return f


def test_sheets_headers_numbers_and_no_formulas(hostile_findings, tmp_path):
    path = write_findings_workbook(hostile_findings, tmp_path / "findings.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["汇总", "涉及金额（按检查项）", "计划执行", "投资控制与资金支付"]
    sheet = book["计划执行"]
    header = [c.value for c in sheet[1]]
    assert header[:12] == ["编号", "问题编号", "检查项", "领域", "严重程度", "县区", "项目编码", "项目名称", "对象类型",
                           "对象编码", "对象名称", "金额(万元)"]
    assert "状态" not in header and "未再发现原因" not in header  # no statuses in this run
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:O{sheet.max_row}"
    assert sheet.column_dimensions["N"].width > sheet.column_dimensions["C"].width  # 详情 wider than 检查项
    values = {c.value for row in book.worksheets for r in row.iter_rows() for c in r}
    for text in ("=1+1", "@SUM(A1:A9)", "-2+3", "+cmd|' /C calc'!A0"):
        assert text in values
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    exe02 = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "EXE02")
    assert exe02[11].value == pytest.approx(150.0) and exe02[11].number_format == "#,##0.00"
    assert exe02[4].value == "高"


def test_summary_counts_and_amounts(result, tmp_path):
    path = write_findings_workbook(result.findings, tmp_path / "f.xlsx")
    summary = openpyxl.load_workbook(path)["汇总"]
    rows = [[c.value for c in r] for r in summary.iter_rows(min_row=2)]
    exe = result.findings[result.findings["area"] == "execution"]
    assert rows[0][:3] == [COUNTY_A, "计划执行", len(exe)]
    assert rows[0][3:6] == [int((exe["severity"] == s).sum()) for s in ("high", "medium", "low")]
    assert len(rows[0]) == 6  # no amount column: an area's checks quote different kinds of money
    assert summary_frame(result.findings)["findings"].sum() == len(result.findings)


def test_amounts_sheet_totals_per_check_with_its_meaning(result, tmp_path):
    path = write_findings_workbook(result.findings, tmp_path / "f.xlsx")
    sheet = openpyxl.load_workbook(path)["涉及金额（按检查项）"]
    assert [c.value for c in sheet[1]] == ["县区", "检查项", "问题", "金额口径", "问题数", "金额(万元)"]
    rows = {(r[0], r[1]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    want = result.findings.dropna(subset=["amount"]).groupby(["county", "check_id"])["amount"]
    assert {k: r[5] for k, r in rows.items()} == pytest.approx((want.sum() / 10000).to_dict())
    assert {k: r[4] for k, r in rows.items()} == want.size().to_dict()
    assert rows[(COUNTY_A, "EXE02")][3].startswith("沉淀资金") and sheet.cell(2, 6).number_format == "#,##0.00"


def test_status_and_cause_columns_and_rows_not_found_again_left_out_of_summary(result, tmp_path):
    f = result.findings.copy()
    f["status"] = "persisting"
    f.loc[f.index[f["area"] == "execution"][0], ["status", "cause"]] = ["not_found_again", "entity_missing"]
    book = openpyxl.load_workbook(write_findings_workbook(f, tmp_path / "s.xlsx", lang="en"))
    assert book.sheetnames[0] == "Summary"
    sheet = book["Plan execution"]
    assert [c.value for c in sheet[1]][-2:] == ["Status", "Cause"]
    assert {r[-2].value for r in sheet.iter_rows(min_row=2)} == {"persisting", "not found again (to be verified)"}
    assert {r[-1].value or None for r in sheet.iter_rows(min_row=2)} == {None, "entity no longer in the data"}
    assert summary_frame(f)["findings"].sum() == len(f) - 1


def test_workbook_is_deterministic_and_atomic(result, tmp_path):
    one = write_findings_workbook(result.findings, tmp_path / "a.xlsx").read_bytes()
    two = write_findings_workbook(result.findings, tmp_path / "b.xlsx").read_bytes()
    assert hashlib.sha256(one).digest() == hashlib.sha256(two).digest()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]  # no temporary left


def test_empty_findings_still_give_a_summary(result, tmp_path):
    book = openpyxl.load_workbook(write_findings_workbook(result.findings.iloc[0:0], tmp_path / "e.xlsx"))
    assert book.sheetnames == ["汇总"]


def test_workbook_prints_on_a4_landscape_one_page_wide_with_title_and_audit_date(result, tmp_path):
    book = openpyxl.load_workbook(write_findings_workbook(result.findings, tmp_path / "p.xlsx", as_of="2020-09-25"))
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1)  # 1: default
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1"           # the header row on every page
        assert "审计基准日 2020-09-25" in sheet.oddHeader.center.text
        assert "&P" in sheet.oddFooter.center.text            # page numbers
    header = [c.value for c in book["计划执行"][1]]
    amount = book["计划执行"].cell(row=2, column=header.index("金额(万元)") + 1)
    assert amount.number_format == "#,##0.00"


def test_summary_lists_every_county_and_ends_with_a_total(result, tmp_path):
    path = write_findings_workbook(result.findings, tmp_path / "t.xlsx", counties=[COUNTY_A, "丙县"])
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)["汇总"].iter_rows(min_row=2)]
    assert ["丙县", "无", 0, 0, 0, 0] in rows          # a county without findings is compared too
    total = rows[-1]
    assert total[0] == "合计" and total[2] == len(result.findings)
