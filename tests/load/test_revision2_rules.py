"""Loader rules of revision 2 (data-model.md): 亿, separators by three, GBK lines and NUL bytes in a CSV,
total and footer rows, empty-equivalents."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.load import LoadError, load_dataset
from kpt_audit.load.headers import header_key_and_unit
from kpt_audit.load.parse import empty_equivalent, parse_number
from kpt_audit.load.read_csv import decode_csv

from .conftest import PROJECTS_CSV, assert_ledger_balances, write_text

HEADER = "项目编码,项目名称,县区"


# --- 亿 / 亿元 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("header, unit", [("总投资(亿元)", "亿元"), ("总投资（亿）", "亿元"), ("总投资/亿元", "亿元"),
                                          ("总投资(万)", "万元"), ("总投资单位:亿", "亿元"), ("总投资", None)])
def test_header_units(header, unit):
    assert header_key_and_unit(header) == ("总投资", unit)


@pytest.mark.parametrize("cell, factor, expected", [
    ("1.2亿", 1.0, 120_000_000.0), ("1.2亿元", 1.0, 120_000_000.0), ("３亿", 1e4, 300_000_000.0),
    ("1.2", 1e8, 120_000_000.0), ("5000万", 1e8, 50_000_000.0), ("500元", 1e8, 500.0),  # the cell's unit wins
    ("1,234,567.5", 1.0, 1_234_567.5), ("1,234.5万", 1.0, 12_345_000.0), ("(1,234)", 1.0, -1234.0),
    ("¥1,000,000元", 1.0, 1_000_000.0), ("1，234", 1.0, 1234.0),
    ("1 234 567", 1.0, 1_234_567.0), ("1,234 万元", 1.0, 12_340_000.0), (" 5 ", 1.0, 5.0),  # spaces as layout
])
def test_numbers_with_units_and_grouped_separators(cell, factor, expected):
    parsed = parse_number(pd.Series([cell], dtype="str"), factor)
    assert not parsed.bad[0] and parsed.values[0] == pytest.approx(expected)


@pytest.mark.parametrize("cell", ["1,2,3万", "12,34", "1,23", "1,2345", "1.234,5", ",123", "1,,234", "约3000",
                                  "1 2 3", "12 34", "12 3万"])  # a space between digits separates as a comma
def test_commas_that_do_not_group_by_three_are_unparseable(cell):
    parsed = parse_number(pd.Series([cell, "7"], dtype="str"))
    assert parsed.bad.tolist() == [True, False] and pd.isna(parsed.values[0])


def test_yi_in_a_header_and_in_cells_through_the_loader(tmp_path):
    write_text(tmp_path / "projects.csv", f"{HEADER},总投资(亿元),初设概算\nP1,a,甲县,1.2,3亿\nP2,b,乙县,500万,'1,234.5万'\n".replace("'", '"'))
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["total_investment"].tolist() == [120_000_000.0, 5_000_000.0]
    assert p["budget"].tolist() == [300_000_000.0, 12_345_000.0]
    assert "total_investment: 亿元 -> 元 (x1e+08, header)" in ds.ledger.loc[0, "notes"]


# --- encodings and NUL bytes ------------------------------------------------------------------------

def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def test_a_gbk_line_in_a_utf8_file_is_decoded_and_kept_with_a_warning(tmp_path):
    data = _utf8(f"{HEADER}\nP1,污水处理厂,甲县\n") + "P2,学校扩建,丙县\n".encode("gbk") + _utf8("P3,医院,丁县\n")
    (tmp_path / "projects.csv").write_bytes(data)
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_name"].tolist() == ["污水处理厂", "学校扩建", "医院"]
    w = ds.warnings
    assert w[["row", "column", "value"]].values.tolist() == [[3, "", "P2,学校扩建,丙县"]]
    assert "GBK/GB18030" in w.loc[0, "reason"] and w.loc[0, "reason"].endswith("; line 3")
    assert "decoded as such: 3" in ds.ledger.loc[0, "notes"]
    assert ds.sources.loc[0, "encoding"] == "utf-8"
    assert_ledger_balances(ds)


@pytest.mark.parametrize("gbk_lines", [1, 2])
def test_a_chinese_utf8_header_over_ascii_rows_keeps_the_file_utf8_beside_more_gbk_lines(tmp_path, gbk_lines):
    """The header is the file's one UTF-8 line with Chinese in it: still a UTF-8 file with pasted GBK rows
    (read whole as GB18030, the header came out garbled and the file stopped as bad data)."""
    rows = "".join(f"P{9 + i},桥梁,乙县\n" for i in range(gbk_lines)).encode("gbk")
    data = _utf8(f"{HEADER}\nP1,a,b\n") + rows + _utf8("P3,c,d\n")
    (tmp_path / "projects.csv").write_bytes(data)
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_name"].tolist() == ["a", *["桥梁"] * gbk_lines, "c"]
    assert ds.sources.loc[0, "encoding"] == "utf-8" and ds.warnings["row"].tolist() == list(range(3, 3 + gbk_lines))


def test_a_gbk_header_line_and_a_bom_are_mended_too(tmp_path):
    data = b"\xef\xbb\xbf" + HEADER.encode("gbk") + b"\n" + _utf8("P1,污水处理厂,甲县\nP2,道路,乙县\n")
    (tmp_path / "projects.csv").write_bytes(data)
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["county"].tolist() == ["甲县", "乙县"]
    assert ds.warnings["row"].tolist() == [1]


def test_the_warning_names_the_record_when_a_quoted_cell_spans_lines(tmp_path):
    data = _utf8(f'{HEADER},备注\nP1,污水处理厂,甲县,"两行\n备注"\n') + "P2,学校扩建,丙县,x\n".encode("gbk")
    (tmp_path / "projects.csv").write_bytes(data)
    ds = load_dataset(tmp_path)
    assert ds.warnings[["row", "reason"]].values.tolist()[0][0] == 3
    assert ds.warnings.loc[0, "reason"].endswith("line 4")
    assert ds.tables["projects"]["project_name"].tolist() == ["污水处理厂", "学校扩建"]


def test_a_gbk_file_stays_a_gbk_file():
    decoded = decode_csv(f"{HEADER}\nP1,污水处理厂,甲县\nP2,道路工程,乙县\n".encode("gbk"), Path("p.csv"))
    assert decoded.encoding == "gb18030" and decoded.lines == [] and "污水处理厂" in decoded.text


def test_a_line_in_no_known_encoding_is_bad_data_naming_it(tmp_path):
    (tmp_path / "projects.csv").write_bytes(_utf8(f"{HEADER}\nP1,污水处理厂,甲县\n") + b"P2,\xff\xfe,x\n")
    with pytest.raises(LoadError, match="projects.csv: line 3 is neither UTF-8"):
        load_dataset(tmp_path)


def test_nul_bytes_are_removed_with_a_warning_naming_the_line(tmp_path):
    data = _utf8(f"{HEADER},总投资\nP1,污水\x00处理厂,甲县,1\x0000\nP2,道路,乙县,5\n")
    (tmp_path / "projects.csv").write_bytes(data)
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["project_name"].tolist() == ["污水处理厂", "道路"] and p["total_investment"].tolist() == [100.0, 5.0]
    w = ds.warnings
    assert w[["row", "column"]].values.tolist() == [[2, ""]]
    assert w.loc[0, "value"] == "P1,污水\\u0000处理厂,甲县,1\\u000000"
    assert w.loc[0, "reason"] == "NUL bytes removed, rest of the line kept; line 2"
    assert "NUL bytes removed from 1 line(s): 2" in ds.ledger.loc[0, "notes"]


def test_nul_bytes_and_a_gbk_line_together(tmp_path):
    data = _utf8(f"{HEADER}\nP1,污水处理厂,甲县\n") + "P2,学校\x00扩建,丙县\n".encode("gbk") + _utf8("P3,医院,丁县\n")
    (tmp_path / "projects.csv").write_bytes(data)
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_name"].tolist() == ["污水处理厂", "学校扩建", "医院"]
    assert ds.warnings["row"].tolist() == [3, 3]
    assert ds.warnings["value"].tolist()[1] == "P2,学校\\u0000扩建,丙县"  # shown in the line's own encoding


@pytest.mark.parametrize("data", [
    "项目编码,项目名称,县区\r\nP1,a,甲县\r\n".encode("utf-16"),          # BOM and NULs throughout
    "项目编码,项目名称,县区\nP1,a,甲县\n".encode("utf-16-le"),           # no BOM, a NUL in most ASCII
    b"\x00" * 50 + _utf8(f"{HEADER}\nP1,a,甲县\n"),
])
def test_nul_bytes_in_bulk_stay_bad_data(tmp_path, data):
    (tmp_path / "projects.csv").write_bytes(data)
    with pytest.raises(LoadError, match="binary data"):
        load_dataset(tmp_path)


# --- total and footer rows --------------------------------------------------------------------------

def test_total_and_footer_rows_are_rejected_as_such(tmp_path):
    write_text(tmp_path / "projects.csv", f"{HEADER},总投资\n"
               "P1,a,甲县,100\nP2,b,乙县,200\n"
               "合计,,,300\n"            # 4: key is a word
               ",总 计,,300\n"           # 5: key empty, spaced word in another column
               ",,小计(甲县),100\n"       # 6
               "制表人：王五,,,\n"         # 7: key starts with a footer word
               ",,,填报日期:2021-01-05\n"  # 8: footer word inside a cell
               ",审核人 李四 负责人 赵六,,\n"  # 9
               "P3,合计项目,丙县,5\n")      # 10: holds an id, so a record
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["P1", "P2", "P3"]
    rej = ds.rejections
    assert rej[["row", "reason"]].values.tolist() == [[4, "total row"], [5, "total row"], [6, "total row"],
                                                      [7, "footer row"], [8, "footer row"], [9, "footer row"]]
    assert rej[["column", "value"]].values.tolist()[:2] == [["project_id (项目编码)", "合计"],
                                                           ["project_name (项目名称)", "总 计"]]
    assert not rej["reason"].str.contains("required").any()
    assert "3 total row(s) rejected as such" in ds.ledger.loc[0, "notes"]
    assert_ledger_balances(ds)


def test_a_total_or_footer_row_whose_key_is_an_empty_equivalent_is_one(tmp_path):
    """-, /, —— and 无 hold no id (the loader reads them as empty), so these rows are totals and footers,
    not records missing their id."""
    write_text(tmp_path / "projects.csv", f"{HEADER},总投资\n"
               "P1,a,甲县,100\n-,合计,,300\n/,小计,甲县,300\n——,总计,,300\n无,填表人：张三,,\n"
               "-,没有编码,乙县,1\n")     # 7: no total word: a record without its id
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["P1"]
    assert ds.rejections[["row", "reason"]].values.tolist() == [
        [3, "total row"], [4, "total row"], [5, "total row"], [6, "footer row"], [7, "required value missing"]]
    assert_ledger_balances(ds)


@pytest.mark.parametrize("title, factor", [("金额单位：万元", 1e4), ("单位: 亿元", 1e8), ("（单位：元）", 1.0),
                                           ("填报单位：万元县财政局", 1.0), ("2020年项目台账", 1.0),
                                           ("填报单位：丁县发改局    金额单位：亿元    填报日期：2022年1月5日", 1e8),
                                           ("单位 ： 万元 填报日期：2022-01-05", 1e4)])
def test_a_csv_title_line_stating_the_unit(tmp_path, title, factor):
    write_text(tmp_path / "projects.csv", f"{title},,,\n{HEADER},总投资\nP1,a,甲县,3\n")
    assert load_dataset(tmp_path).tables["projects"]["total_investment"].tolist() == [3 * factor]


def test_blank_rows_between_the_data_and_its_footer_are_layout(tmp_path):
    write_text(tmp_path / "projects.csv", f"{HEADER}\nP1,a,甲县\n,,\nP2,b,乙县\n,,\n合计,,\n,,\n\n填表人：甲,,\n,,\n")
    ds = load_dataset(tmp_path)
    assert ds.rejections[["row", "reason"]].values.tolist() == [[3, "empty row"], [6, "total row"],
                                                              [9, "footer row"]]
    ledger = ds.ledger.iloc[0]
    assert (ledger["rows_in"], ledger["rows_loaded"], ledger["rows_rejected"]) == (5, 2, 3)
    assert "3 blank row(s) among the total and footer rows below the data ignored" in ledger["notes"]
    assert ds.origin["projects"]["row"].tolist() == [2, 4]
    assert_ledger_balances(ds)


def test_a_row_with_a_total_word_but_an_id_or_no_word_is_judged_as_before(tmp_path):
    write_text(tmp_path / "projects.csv", f"{HEADER},总投资\nP1,a,甲县,100\n,没有编码,乙县,1\nP2,合计,丙县,5\n")
    ds = load_dataset(tmp_path)
    assert ds.rejections[["row", "reason"]].values.tolist() == [[3, "required value missing"]]
    assert ds.tables["projects"]["project_id"].tolist() == ["P1", "P2"]


def test_total_rows_in_a_table_with_a_composite_key_and_in_contract_changes(tmp_path):
    write_text(tmp_path / "projects.csv", PROJECTS_CSV)
    write_text(tmp_path / "progress.csv", "项目编码,月份,当月完成投资\nP001,2020-01,5\n合计,,5\n")
    write_text(tmp_path / "contract_changes.csv", "合同编号,变更日期,变更金额\nC1,2020-01-01,5\n小计,,5\n"
                                                  ",,填表人：甲\n")
    ds = load_dataset(tmp_path)
    rej = ds.rejections.sort_values(["file", "row"])
    assert rej[["file", "row", "reason"]].values.tolist() == [
        ["contract_changes.csv", 3, "total row"], ["contract_changes.csv", 4, "footer row"],
        ["progress.csv", 3, "total row"]]


def test_total_and_footer_rows_in_excel_with_merged_cells(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目台账"
    for row in (["项目编码", "项目名称", "县区", "总投资"], ["P1", "a", "甲县", 1], ["P2", "b", "乙县", 2],
                ["合  计", None, None, "=SUM(D2:D3)"], ["填表人：张三", None, "填报日期：2021年1月5日", None]):
        ws.append(row)
    ws.merge_cells("A4:C4")
    wb.save(tmp_path / "projects.xlsx")
    ds = load_dataset(tmp_path)
    assert ds.rejections[["sheet", "row", "reason"]].values.tolist() == [["项目台账", 4, "total row"],
                                                                         ["项目台账", 5, "footer row"]]
    assert ds.warnings.empty  # the merged range and the formula were on the total row
    assert ds.unknown.empty


# --- empty-equivalents --------------------------------------------------------------------------------

def test_empty_equivalents():
    cells = pd.Series(["无", " - ", "/", "不详", "N/A", "n/a", "－", "——", "暂无", "NA", "0", "无效", "#N/A", None, "nan"],
                      dtype="object")
    assert empty_equivalent(cells).tolist() == [True] * 10 + [False] * 5


def test_empty_equivalents_in_optional_columns_are_empty_without_warning(tmp_path):
    write_text(tmp_path / "projects.csv", f"{HEADER},实际开工日期,总投资,项目状态,资金下达年度\n"
                                          "P1,a,甲县,无,-,/,不详\nP2,b,乙县,N/A,——,-,2020\n")
    write_text(tmp_path / "bids.csv", "招标编号,投标人编码,投标报价,是否废标\nT1,S1,100,无\n")
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p[["actual_start", "total_investment", "status"]].isna().all().all()
    assert p["fund_year"].tolist()[1] == 2020 and pd.isna(p["fund_year"].tolist()[0])
    assert ds.tables["bids"]["disqualified"].isna().all()
    assert ds.warnings[~ds.warnings["reason"].str.contains("not found in")].empty
    assert ds.unknown.empty
    notes = ds.ledger.set_index("file").loc["projects.csv", "notes"]
    assert "actual_start: 2 cell(s) written as 'N/A' '无' read as empty" in notes
    assert "status: 2 cell(s) written as '-' '/' read as empty" in notes


def test_an_optional_reference_written_as_an_empty_equivalent_is_none(tmp_path):
    """A contract whose 招标编号 says 无 is a contract without a tender (PRO01's direct contract)."""
    write_text(tmp_path / "projects.csv", PROJECTS_CSV)
    write_text(tmp_path / "contracts.csv", "合同编号,招标编号,项目编码,供应商编码,签订日期,合同金额\n"
                                           "C1,无,P001,S1,2020-01-01,100\nC2,—,P001,S1,2020-01-01,100\n"
                                           "C3,T-无-1,P001,S1,2020-01-01,100\n")
    ds = load_dataset(tmp_path)
    c = ds.tables["contracts"]
    assert c["tender_id"].isna().tolist() == [True, True, False] and c["tender_id"].tolist()[2] == "T-无-1"
    assert "tender_id: 2 cell(s) written as '—' '无' read as empty" in ds.ledger.set_index("file").loc["contracts.csv", "notes"]
    assert ds.warnings.empty and ds.unknown.empty


def test_a_required_id_or_text_written_as_an_empty_equivalent_is_missing(tmp_path):
    write_text(tmp_path / "projects.csv", f"{HEADER}\nP1,a,甲县\n/,b,甲县\nP3,无,-\n")
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["P1"]
    r = ds.rejections
    assert [[row, column.split(" ")[0], value, reason] for row, column, value, reason in
            r[["row", "column", "value", "reason"]].values.tolist()] == [
        [3, "project_id", "/", "required value missing"], [4, "project_name", "无", "required value missing"],
        [4, "county", "-", "required value missing"]]
    assert_ledger_balances(ds)


def test_kind_unknown_is_for_ocds_input_only(tmp_path):
    """data-model.md: tenders.kind `unknown` is allowed for OCDS input only: in a ledger it is an unknown
    value (a required column: the row is rejected; contracts.kind is optional: emptied with a warning)."""
    write_text(tmp_path / "projects.csv", PROJECTS_CSV)
    write_text(tmp_path / "tenders.csv", "招标编号,项目编码,县区,招标人,采购类别,采购方式\n"
                                         "T1,P001,甲县,局,unknown,公开招标\nT2,P001,甲县,局,未知,公开招标\n"
                                         "T3,P001,甲县,局,施工,公开招标\n")
    write_text(tmp_path / "contracts.csv", "合同编号,项目编码,供应商编码,签订日期,合同金额,合同类别\n"
                                           "C1,P001,S1,2020-01-01,100,未知\n")
    ds = load_dataset(tmp_path)
    assert ds.tables["tenders"]["tender_id"].tolist() == ["T3"]
    assert set(ds.rejections.loc[ds.rejections["column"].str.startswith("kind"), "value"]) == {"unknown", "未知"}
    assert ds.tables["contracts"]["kind"].isna().all()
    assert ds.warnings.loc[ds.warnings["column"].str.startswith("kind"), "value"].tolist() == ["未知"]


def test_an_empty_equivalent_in_a_required_column_still_rejects_the_row(tmp_path):
    write_text(tmp_path / "projects.csv", PROJECTS_CSV)
    write_text(tmp_path / "funds.csv", "文号,项目编码,资金级次,下达日期,下达金额\nF1,P001,中央,-,100\n")
    ds = load_dataset(tmp_path)
    assert ds.rejections[["row", "value", "reason"]].values.tolist() == [[2, "-", "required date value cannot be parsed"]]


@pytest.mark.parametrize("utf8_rows", [1, 3])
def test_a_utf8_line_in_a_gbk_file_is_decoded_and_kept_with_a_warning(tmp_path, utf8_rows):
    """The mirror of the rule above: a GBK export (its header in GBK) with rows pasted from a UTF-8 file is
    a GBK file whose UTF-8 rows are named -- not a UTF-8 file with every GBK row warned about."""
    pasted = "".join(f"Q{i},学校扩建,丙县\n" for i in range(utf8_rows))
    data = f"{HEADER}\nP1,污水处理厂,甲县\n".encode("gbk") + _utf8(pasted) + "P3,医院,丁县\n".encode("gbk")
    (tmp_path / "projects.csv").write_bytes(data)
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_name"].tolist() == ["污水处理厂", *["学校扩建"] * utf8_rows, "医院"]
    assert ds.sources.loc[0, "encoding"] == "gb18030"
    assert ds.warnings["row"].tolist() == list(range(3, 3 + utf8_rows))
    assert ds.warnings.loc[0, "value"] == "Q0,学校扩建,丙县"
    assert "UTF-8" in ds.warnings.loc[0, "reason"] and ds.warnings.loc[0, "reason"].endswith("; line 3")
    assert "decoded as such: 3" in ds.ledger.loc[0, "notes"]
    assert_ledger_balances(ds)
