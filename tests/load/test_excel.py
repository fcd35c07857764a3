"""xlsx files: sheet choice, header search under titles, merged cells, cell types, corrupt files."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from kpt_audit.load import LoadError, load_dataset

from .conftest import assert_ledger_balances


def _workbook(path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        for ref in (merges or {}).get(title, []):
            ws.merge_cells(ref)
    wb.save(path)
    return path


def test_title_rows_and_merged_title_above_the_header(tmp_path):
    _workbook(tmp_path / "2020年项目台账(县区报送).xlsx", {"Sheet1": [
        ["2020年政府投资项目台账", None, None, None],
        [None, None, None, None],
        ["项目编码", "项目名称", "县区", "计划总投资（万元）"],
        ["P1", "污水处理厂", "甲县", 12.5],
        ["P2", "道路", "乙县", "1,234.5万元"],
    ]}, {"Sheet1": ["A1:D1"]})
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["project_id"].tolist() == ["P1", "P2"]
    assert p["total_investment"].tolist() == [125_000.0, 12_345_000.0]
    src = ds.sources.iloc[0]
    assert (src["sheet"], src["header_row"]) == ("Sheet1", 3)
    assert ds.warnings.empty
    assert_ledger_balances(ds)


def test_sheet_chosen_by_table_name_over_the_first_sheet(tmp_path):
    _workbook(tmp_path / "projects.xlsx", {
        "说明": [["本表由县发改局填报"]],
        "项目台账": [["项目编码", "项目名称", "县区"], ["P1", "a", "甲县"]],
    })
    ds = load_dataset(tmp_path)
    assert ds.sources.iloc[0]["sheet"] == "项目台账"
    assert ds.tables["projects"]["project_id"].tolist() == ["P1"]


def test_a_cover_or_instructions_sheet_in_front_is_passed_over_for_the_sheet_whose_header_names_the_table(tmp_path):
    _workbook(tmp_path / "项目台账.xlsx", {
        "填报说明": [["填报说明"], ["1. 金额单位为万元"], ["2. 日期格式为 2020-01-01"]],
        "2020年数据": [["项目编码", "项目名称", "县区", "计划总投资（万元）"], ["P1", "a", "甲县", 100]],
    })
    ds = load_dataset(tmp_path)
    assert ds.sources.iloc[0]["sheet"] == "2020年数据"
    assert ds.tables["projects"]["total_investment"].tolist() == [1_000_000.0]
    assert "its header names the table's columns" in ds.ledger.iloc[0]["notes"]


def test_a_sheet_named_after_the_table_wins_only_among_sheets_whose_headers_name_as_many_columns(tmp_path):
    _workbook(tmp_path / "projects.xlsx", {
        "项目台账": [["说明：本表数据见 Sheet2"]],
        "Sheet2": [["项目编码", "项目名称", "县区"], ["P1", "a", "甲县"]],
    })
    assert load_dataset(tmp_path).sources.iloc[0]["sheet"] == "Sheet2"
    _workbook(tmp_path / "projects.xlsx", {
        "Sheet1": [["县区", "项目数"], ["甲县", 1]],        # names one column, and not the key
        "项目台账": [["项目编码", "项目名称"], ["P1", "a"]],
    })
    with pytest.raises(LoadError, match="sheet '项目台账'.*'county'"):  # the one holding the key, its missing county
        load_dataset(tmp_path)


def test_a_workbook_of_one_sheet_per_county_is_read_whole_each_row_naming_its_sheet(tmp_path):
    """Every sheet whose header names all the required columns holds part of the table: each is read, in
    workbook order, with its own header row and unit; the summary sheet (not the table) is passed over."""
    _workbook(tmp_path / "项目台账.xlsx", {
        "填报说明": [["金额单位见各表"]],
        "甲县": [["项目编码", "项目名称", "县区", "计划总投资（万元）", "实际开工日期"],
                 ["P1", "a", "甲县", 10, "2020-05-10"], ["P2", "b", "甲县", "x", "2020-06-01"]],
        "乙县": [["乙县项目台账", None, None, None, None], [None, None, None, None, None],
                 ["县区", "项目编码", "项目名称", "计划总投资（元）", "实际开工日期"],
                 ["乙县", "P3", "c", 300, None], ["乙县", "P1", "dup", 5, None], ["合计", None, None, 305, None]],
        "汇总": [["县区", "项目数"], ["甲县", 2], ["乙县", 1]],
    })
    _workbook(tmp_path / "资金支付.xlsx", {"Sheet1": [["支付编号", "项目编码", "收款单位编码", "支付日期", "支付金额"],
                                                   ["Z1", "P3", "S1", "2020-01-01", 1], ["Z2", "P9", "S1", "2020-01-01", 1]]})
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["project_id"].tolist() == ["P1", "P2", "P3"]
    assert p["total_investment"].tolist()[::2] == [100_000.0, 300.0]  # each sheet's own unit
    assert pd.isna(p["total_investment"].iloc[1])
    assert str(p["actual_start"].dtype).startswith("datetime64") and pd.isna(p["actual_start"].iloc[2])
    assert ds.origin["projects"][["sheet", "row"]].values.tolist() == [["甲县", 2], ["甲县", 3], ["乙县", 4]]
    rejected = ds.rejections[ds.rejections["file"] == "项目台账.xlsx"][["sheet", "row", "reason"]].values.tolist()
    assert rejected == [["乙县", 5, "duplicate key project_id; first at row 2 of sheet '甲县'"],
                        ["乙县", 6, "total row"]]
    unreadable = ds.warnings[ds.warnings["column"].str.startswith("total_investment")]
    assert unreadable[["sheet", "row"]].values.tolist() == [["甲县", 3]]
    assert ds.unknown[["table", "row", "column"]].values.tolist() == [["projects", 1, "total_investment"]]
    src = ds.sources[ds.sources["table"] == "projects"].iloc[0]
    assert src["sheet"] == "甲县、乙县"
    ledger = ds.ledger.set_index("file").loc["项目台账.xlsx"]
    assert (ledger["rows_in"], ledger["rows_loaded"], ledger["rows_rejected"]) == (5, 3, 2)
    notes = ledger["notes"]
    assert "sheet '甲县': one of several sheets holding the table, all read" in notes
    assert "sheet '乙县': header on row 3" in notes and "sheet '乙县': 1 total row(s)" in notes
    assert "sheet '甲县': total_investment: 万元 -> 元" in notes and "sheet '乙县': total_investment" not in notes
    assert_ledger_balances(ds)


def test_a_sheet_of_the_table_lacking_a_column_is_bad_data_naming_it(tmp_path):
    """A sheet whose header names the key holds rows of the table: one without a required column, or without
    a column the other sheets have, is refused (its rows are neither blank nor known there)."""
    header = ["项目编码", "项目名称", "县区", "实际开工日期"]
    _workbook(tmp_path / "项目台账.xlsx", {"甲县": [header, ["P1", "a", "甲县", "2020-01-01"]],
                                         "乙县": [header[:2], ["P2", "b"]]})
    with pytest.raises(LoadError, match="sheet '乙县'.*'county'"):
        load_dataset(tmp_path)
    _workbook(tmp_path / "项目台账.xlsx", {"甲县": [header, ["P1", "a", "甲县", "2020-01-01"]],
                                         "乙县": [header[:3], ["P2", "b", "乙县"]]})
    with pytest.raises(LoadError) as raised:
        load_dataset(tmp_path)
    assert raised.value.text("zh").startswith("项目台账.xlsx：工作表“乙县”缺少工作表“甲县”中有的列 实际开工日期")
    assert "sheet '乙县' lacks the column(s) actual_start that sheet '甲县' has" in str(raised.value)


def test_a_sheet_of_another_table_in_the_workbook_is_not_a_part(tmp_path):
    """Funds beside projects in one workbook, both with 项目编码: the funds sheet names few of the projects'
    columns, so it is not read as a projects sheet (it would lack their required columns)."""
    _workbook(tmp_path / "项目台账.xlsx", {
        "项目": [["项目编码", "项目名称", "县区", "计划总投资（万元）", "实际开工日期"], ["P1", "a", "甲县", 10, "2020-01-01"]],
        "资金": [["项目编码", "下达日期", "金额", "资金级次"], ["P1", "2020-01-01", 5, "中央"]],
        "乙县": [["项目编码", "项目名称", "县区", "计划总投资（万元）", "实际开工日期"], ["P2", "b", "乙县", 20, None]]})
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["P1", "P2"]
    assert ds.sources.iloc[0]["sheet"] == "项目、乙县"
    assert "sheet '资金' not read" in ds.ledger.iloc[0]["notes"]
    # a county's sheet naming every required column is a part however few columns it has besides: one
    # without the others' columns is bad data naming it, never left out
    _workbook(tmp_path / "项目台账.xlsx", {
        "甲县": [["项目编码", "项目名称", "县区", "计划总投资（万元）", "实际开工日期", "项目状态", "建设单位"],
                 ["P1", "a", "甲县", 10, "2020-01-01", "在建", "x"]],
        "乙县": [["项目编码", "项目名称", "县区"], ["P2", "b", "乙县"]]})
    with pytest.raises(LoadError, match="sheet '乙县' lacks the column"):
        load_dataset(tmp_path)


def test_hidden_and_instructions_sheets_are_not_read_when_another_holds_the_table(tmp_path):
    header = ["项目编码", "项目名称", "县区"]
    _workbook(tmp_path / "项目台账.xlsx", {"填报说明": [header, ["示例：3301000001", "示例：某某道路工程", "某县"]],
                                         "甲县": [header, ["P1", "a", "甲县"]], "乙县": [header, ["P2", "b", "乙县"]],
                                         "代码表": [header, ["P0", "旧", "丙县"]]})
    book = openpyxl.load_workbook(tmp_path / "项目台账.xlsx")
    book["代码表"].sheet_state = "hidden"
    book.save(tmp_path / "项目台账.xlsx")
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["P1", "P2"]
    notes = ds.ledger.iloc[0]["notes"]
    assert "sheet '填报说明' not read (hidden, instructions or an example" in notes and "sheet '甲县': sheet" not in notes
    assert "sheet '代码表' not read" in notes
    assert ds.sources.iloc[0]["sheet"] == "甲县、乙县"


def test_a_link_broken_on_a_later_sheet_names_that_sheet(tmp_path):
    _workbook(tmp_path / "projects.xlsx", {"Sheet1": [["项目编码", "项目名称", "县区"], ["P1", "a", "甲县"]]})
    _workbook(tmp_path / "合同.xlsx", {
        "2019年": [["合同编号", "项目编码", "供应商编码", "签订日期", "合同金额"], ["C1", "P1", "S1", "2019-03-01", 1]],
        "2020年": [["合同编号", "项目编码", "供应商编码", "签订日期", "合同金额"], ["C2", "P9", "S1", "2020-03-01", 1]],
    })
    ds = load_dataset(tmp_path)
    assert ds.tables["contracts"]["contract_id"].tolist() == ["C1", "C2"]
    broken = ds.warnings[(ds.warnings["file"] == "合同.xlsx") & (ds.warnings["column"] == "project_id")]
    assert broken[["sheet", "row", "value"]].values.tolist() == [["2020年", 2, "P9"]]


def test_dates_typed_as_digits_are_number_cells_read_as_dates(tmp_path):
    _workbook(tmp_path / "projects.xlsx", {"Sheet1": [["项目编码", "项目名称", "县区", "实际开工日期"],
                                                      ["P1", "a", "甲县", 20200510], ["P2", "b", "甲县", "20200510"]]})
    _workbook(tmp_path / "progress.xlsx", {"Sheet1": [["项目编码", "月份", "当月完成投资"], ["P1", 202005, 1],
                                                      ["P2", "202006", 1]]})
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["actual_start"].tolist() == [pd.Timestamp("2020-05-10")] * 2
    assert ds.tables["progress"]["month"].tolist() == ["2020-05", "2020-06"]
    assert ds.rejections.empty and ds.unknown.empty
    assert "serial" not in " ".join(ds.ledger["notes"])


def test_a_percent_formatted_cell_is_the_percentage_excel_shows(tmp_path):
    """0.85 shown as 85% is 85 in a 0-100 column, as the text "85%" is."""
    path = _workbook(tmp_path / "progress.xlsx", {"Sheet1": [["项目编码", "月份", "形象进度"], ["P1", "2020-05", 0.85],
                                                             ["P2", "2020-05", "85%"], ["P3", "2020-05", 0.5]]})
    wb = openpyxl.load_workbook(path)
    wb.active["C2"].number_format = "0%"
    wb.active["C4"].number_format = "0.0%"
    wb.save(path)
    _workbook(tmp_path / "projects.xlsx", {"Sheet1": [["项目编码", "项目名称", "县区"], ["P1", "a", "甲县"],
                                                      ["P2", "b", "甲县"], ["P3", "c", "甲县"]]})
    ds = load_dataset(tmp_path)
    assert ds.tables["progress"]["physical_pct"].tolist() == [85.0, 85.0, 50.0]


def test_a_unit_stated_above_the_header_applies_to_amount_headers_without_their_own(tmp_path):
    _workbook(tmp_path / "项目台账.xlsx", {"Sheet1": [
        ["2020年项目台账", None, "填报单位：甲县发改局", "单位：万元"],
        ["项目编码", "项目名称", "县区", "总投资", "年度计划投资（元）", "累计完成投资"],
        ["P1", "a", "甲县", 100, 5000, "30元"],
    ]})
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"].iloc[0]
    # the title's 万元 for the header without a unit; the header's own 元 and a cell's 元 win over it
    assert (p["total_investment"], p["annual_plan"], p["completed_total"]) == (1_000_000.0, 5000.0, 30.0)
    assert "the 单位 line above the header" in ds.ledger.iloc[0]["notes"]


def test_a_two_row_header_under_a_merged_parent_takes_its_columns_and_the_parents_unit(tmp_path):
    _workbook(tmp_path / "项目台账.xlsx", {"Sheet1": [
        ["2020年项目台账", None, None, None, None],
        ["项目编码", "项目名称", "县区", "投资情况（万元）", None],
        [None, None, None, "计划总投资", "年度计划投资（元）"],
        ["P1", "a", "甲县", 100, 5000],
        ["P2", "b", "乙县", 200, 6000],
    ]}, {"Sheet1": ["A2:A3", "B2:B3", "C2:C3", "D2:E2"]})
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    # the parent's 万元 for the column that states none; the column's own 元 wins
    assert p["total_investment"].tolist() == [1_000_000.0, 2_000_000.0]
    assert p["annual_plan"].tolist() == [5000.0, 6000.0]
    assert ds.rejections.empty and ds.origin["projects"]["row"].tolist() == [4, 5]
    assert "header on row 2 and the row below it" in ds.ledger.iloc[0]["notes"]


def test_a_first_data_row_is_not_taken_for_a_second_header_row(tmp_path):
    _workbook(tmp_path / "projects.xlsx", {"Sheet1": [["项目编码", "项目名称", "县区", "计划总投资"],
                                                      ["计划总投资", "名称", "甲县", 1]]})
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["计划总投资"]  # the upper row names every column


def test_merged_data_cells_are_filled_and_warned(tmp_path):
    _workbook(tmp_path / "projects.xlsx", {"Sheet1": [
        ["项目编码", "项目名称", "县区"],
        ["P1", "a", "甲县"],
        ["P2", "b", None],
        ["P3", "c", None],
    ]}, {"Sheet1": ["C2:C4"]})
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["county"].tolist() == ["甲县", "甲县", "甲县"]
    w = ds.warnings.iloc[0]
    assert (w["sheet"], w["row"], w["column"], w["value"]) == ("Sheet1", 2, "county (县区)", "甲县")
    assert w["reason"] == "merged cells rows 2-4 filled with the top-left value"


def test_excel_row_numbers_serial_dates_datetime_cells_and_error_cells(tmp_path):
    _workbook(tmp_path / "projects.xlsx", {"Sheet1": [
        ["项目台账"],
        ["项目编码", "项目名称", "县区", "实际开工日期", "资金下达年度"],
        [7, "a", "甲县", dt.datetime(2021, 5, 10, 14, 30), 2019],
        ["P2", "b", "甲县", 44326, "2019年"],
        ["P3", "#N/A", "甲县", "2021/5/10", 2019.0],
        ["P4", "d", "甲县", "#REF!", None],
    ]})
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["project_id"].tolist() == ["7", "P2", "P4"]
    assert p["actual_start"].tolist()[:2] == [pd.Timestamp("2021-05-10")] * 2
    assert pd.isna(p["actual_start"].iloc[2])
    assert p["fund_year"].tolist()[:2] == [2019, 2019]
    rej = ds.rejections.iloc[0]
    assert (rej["row"], rej["value"], rej["reason"]) == (5, "#N/A", "required text value cannot be parsed")
    warn = ds.warnings.iloc[0]
    assert (warn["row"], warn["value"]) == (6, "#REF!")
    assert_ledger_balances(ds)


def test_corrupt_xlsx_is_a_clear_error(tmp_path):
    (tmp_path / "projects.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(LoadError, match="projects.xlsx: cannot be read as an Excel workbook"):
        load_dataset(tmp_path)


def test_password_protected_workbook_is_a_clear_error(tmp_path):
    # An encrypted .xlsx is an OLE compound file, not a zip.
    (tmp_path / "projects.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(LoadError, match="password-protected"):
        load_dataset(tmp_path)


def test_missing_required_column_in_excel_names_sheet_and_header_row(tmp_path):
    _workbook(tmp_path / "projects.xlsx", {"台账": [["标题"], ["项目编码", "项目名", "县区"], ["P1", "a", "甲县"]]})
    with pytest.raises(LoadError) as err:
        load_dataset(tmp_path)
    assert "projects.xlsx, sheet '台账', header row 2" in str(err.value)
    assert "'project_name'" in str(err.value) and "项目名" in str(err.value)
