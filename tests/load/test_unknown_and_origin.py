"""Dataset.unknown (cells the loader could not read) and Dataset.origin (where each loaded row came from)."""
from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kpt_audit.dataset import Dataset
from kpt_audit.load import load_dataset

from .conftest import PROJECTS_CSV, assert_ledger_balances, write_text

HEADER = "项目编码,项目名称,县区"


def _unknown(ds) -> list[list]:
    return ds.unknown[["table", "row", "column", "value"]].values.tolist()


def test_shapes_of_unknown_and_origin(folder):
    ds = load_dataset(folder)
    assert list(ds.unknown.columns) == ["table", "row", "key", "column", "value"]
    assert ds.unknown.empty and str(ds.unknown["row"].dtype) == "int64"
    origin = ds.origin["projects"]
    assert list(origin.columns) == ["file", "sheet", "row"]
    assert origin.index.equals(ds.tables["projects"].index)
    assert [str(origin[c].dtype) for c in origin.columns] == ["str", "str", "int64"]
    assert origin.values.tolist() == [["projects.csv", "", 2], ["projects.csv", "", 3]]
    empty = Dataset()
    assert empty.unknown.empty and list(empty.unknown.columns) == ["table", "row", "key", "column", "value"]
    assert empty.origin == {}


def test_an_unreadable_cell_keeps_its_row_when_the_table_is_sorted_or_filtered_after_loading(tmp_path):
    """interfaces.md: an analyst may sort or filter ds.tables before run_checks; the unreadable cells follow
    their rows by key (data-model.md: table, row key, column, value), so no finding rests on one."""
    import kpt_audit as ka

    (tmp_path / "projects.csv").write_text("项目编码,项目名称,县区,计划开工日期,实际开工日期\n"
                                           "P2,b,甲县,2020-01-01,2021年13月1日\nP1,a,甲县,2020-01-01,2020-03-01\n"
                                           "P3,c,甲县,2020-01-01,\n", encoding="utf-8")
    ds = ka.load_dataset(tmp_path)
    assert ds.unknown[["row", "key", "column"]].values.tolist() == [[0, "P2", "actual_start"]]
    params = ka.load_params(as_of="2020-09-25")
    as_loaded = ka.run_checks(ds, params)
    loaded = ds.tables["projects"]
    for edit in (lambda p: p.sort_values("project_id").reset_index(drop=True),
                 lambda p: p.set_index("project_id", drop=False), lambda p: p[p["project_id"] != "P3"]):
        ds.tables["projects"] = edit(loaded)
        got = ka.run_checks(ds, params).findings
        assert "P2" not in set(got.loc[got["check_id"] == "EXE05", "entity_id"])  # its start unreadable
        dq01 = got.loc[got["check_id"] == "DQ01", "entity_id"].tolist()
        assert dq01 == ["projects|P2|actual_start"]
    assert "P3" in set(as_loaded.findings.loc[as_loaded.findings["check_id"] == "EXE05", "entity_id"])


def test_an_impossible_date_in_an_optional_column_is_unknown_with_its_row_label(tmp_path):
    write_text(tmp_path / "projects.csv", f"{HEADER},实际开工日期,项目状态,总投资\n"
               "P1,污水处理厂,甲县,2020-01-01,在建,100\n"   # row 2 -> label 0
               ",没有编码,乙县,2021年13月1日,在建,约3000\n"   # row 3: rejected (key missing), its cells are not unknown
               "P2,道路工程,乙县,2021年13月1日,在建,100\n"      # row 4 -> label 1
               "P1,重复,丙县,2021年2月30日,在建,1\n"           # row 5: rejected (duplicate)
               "合计,,,2021年13月1日,,约3000\n"               # row 6: total row
               "P3,桥梁,丙县,,在建,约3000\n")                 # row 7 -> label 2
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["project_id"].tolist() == ["P1", "P2", "P3"] and list(p.index) == [0, 1, 2]
    assert _unknown(ds) == [["projects", 1, "actual_start", "2021年13月1日"],
                            ["projects", 2, "total_investment", "约3000"]]
    assert pd.isna(p.loc[1, "actual_start"]) and p.loc[1, "status"] == "under_construction"
    assert ds.origin["projects"]["row"].tolist() == [2, 4, 7]
    # the unknown cell's origin is the row the warning names
    label = ds.unknown.loc[0, "row"]
    assert ds.origin["projects"].loc[label, "row"] == 4
    warned = ds.warnings[ds.warnings["row"] == 4]
    assert warned["reason"].tolist() == ["date value cannot be parsed; emptied and marked unknown"]
    assert ds.is_unknown("projects", "actual_start").tolist() == [False, True, False]
    assert ds.unknown_cells("projects", "total_investment")["value"].to_dict() == {2: "约3000"}
    assert ds.where("projects", [1])["row"].tolist() == [4]
    assert_ledger_balances(ds)


def test_which_columns_give_unknown_cells(tmp_path):
    write_text(tmp_path / "projects.csv", f"{HEADER},资金下达年度,项目状态,总投资,未开工原因\n"
               "P001,a,甲县,二〇二〇,半停工,¥约1亿,#REF!\n")
    write_text(tmp_path / "bids.csv", "招标编号,投标人编码,投标报价,是否废标\nT1,S1,100,也许\nT1,S2,不详,否\n")
    write_text(tmp_path / "progress.csv", "项目编码,月份,形象进度\nP001,2020-05,约50%\nP001,2020-06,60\n")
    ds = load_dataset(tmp_path)
    got = _unknown(ds)
    assert ["projects", 0, "fund_year", "二〇二〇"] in got            # a year is a number
    assert ["projects", 0, "total_investment", "¥约1亿"] in got
    assert ["bids", 0, "disqualified", "也许"] in got                 # yes/no
    assert ["progress", 0, "physical_pct", "约50%"] in got
    columns = {(t, c) for t, _, c, _ in got}
    assert ("projects", "status") not in columns        # an unknown coded value stays a warning only
    assert ("projects", "delay_reason") not in columns  # text is not a date, number or yes/no
    assert ("bids", "amount") not in columns            # required: the row is rejected instead
    assert len(got) == 4
    assert got == sorted(got, key=lambda cell: (cell[0], cell[1], cell[2]))  # by table name, row, column
    assert ds.rejections[["file", "row"]].values.tolist() == [["bids.csv", 3]]


def test_labels_stay_right_after_blank_and_rejected_rows_in_every_table(tmp_path):
    write_text(tmp_path / "projects.csv", PROJECTS_CSV)
    write_text(tmp_path / "payments.csv", "支付编号,项目编码,收款人编码,支付日期,支付金额,发票号\n"
               "Z1,P001,S1,2020-01-01,1,\n,,,,,\nZ2,P001,S1,2020-01-02,x,\nZ3,P001,S1,2020-01-03,3,\n")
    write_text(tmp_path / "contracts.csv", "合同编号,项目编码,供应商编码,签订日期,合同金额,结算金额\n"
               "C1,P001,S1,2020-01-01,100,\nC1,P001,S1,2020-01-01,100,5\nC2,P001,S1,2020-01-01,100,1,2,3万\n"
               .replace("1,2,3万", '"1,2,3万"'))
    ds = load_dataset(tmp_path)
    assert ds.tables["payments"]["payment_id"].tolist() == ["Z1", "Z3"]
    assert ds.origin["payments"]["row"].tolist() == [2, 5]
    assert ds.tables["contracts"]["contract_id"].tolist() == ["C1", "C2"]
    assert _unknown(ds) == [["contracts", 1, "settlement_amount", "1,2,3万"]]
    assert ds.origin["contracts"].loc[1].tolist() == ["contracts.csv", "", 4]


def test_contract_changes_rows_are_numbered_as_in_the_file(tmp_path):
    write_text(tmp_path / "projects.csv", PROJECTS_CSV)
    write_text(tmp_path / "contract_changes.csv", "合同变更台账\n\n合同编号,变更日期,变更金额,变更原因\n"
               "C1,2020-01-01,5,设计变更\n,,,\nC1,2020-02-01,-3,\nC2,bad,1,\nC2,2020-03-01,7,\n")
    ds = load_dataset(tmp_path)
    origin = ds.origin["contract_changes"]
    assert origin.index.equals(ds.tables["contract_changes"].index)
    assert origin["row"].tolist() == [4, 6, 8]  # header on row 3, a blank row 5 and a bad date on row 7 rejected
    assert ds.tables["contract_changes"]["amount_delta"].tolist() == [5.0, -3.0, 7.0]


def _sheet(path, title, rows, merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    wb.save(path)


def test_origin_and_unknown_from_excel(tmp_path):
    _sheet(tmp_path / "2021年项目台账.xlsx", "项目台账", [
        ["2021年政府投资项目台账", None, None, None, None],
        ["项目编码", "项目名称", "县区", "实际开工日期", "总投资(万元)"],
        ["P1", "污水处理厂", "甲县", "2021年13月1日", 12.5],
        [None, None, None, None, None],
        ["P2", "道路", "乙县", "2021-03-01", "=E3*2"],   # a formula never calculated: unknown, not empty
        ["P3", "桥梁", "丙县", "无", "#N/A"],
    ])
    ds = load_dataset(tmp_path)
    assert ds.origin["projects"].values.tolist() == [["2021年项目台账.xlsx", "项目台账", 3],
                                                     ["2021年项目台账.xlsx", "项目台账", 5],
                                                     ["2021年项目台账.xlsx", "项目台账", 6]]
    assert _unknown(ds) == [["projects", 0, "actual_start", "2021年13月1日"],
                            ["projects", 1, "total_investment", "=E3*2"],
                            ["projects", 2, "total_investment", "#N/A"]]
    assert ds.rejections[["sheet", "row", "reason"]].values.tolist() == [["项目台账", 4, "empty row"]]


def test_a_formula_saved_with_an_empty_text_result_is_empty_not_unknown(tmp_path):
    """Excel saves =IF(E3="","",…) whose result is "" as a text cell with an empty value: that cell is
    blank; a formula cell with no saved value at all (written by a program) stays unknown."""
    import re
    import zipfile

    _sheet(tmp_path / "made.xlsx", "项目台账", [
        ["项目编码", "项目名称", "县区", "实际开工日期", "总投资(万元)"],
        ["P1", "a", "甲县", '=IF(E2="","",DATE(2021,3,1))', '=IF(E2="","",5)'],
        ["P2", "b", "甲县", "2021-03-01", "=E3*2"],
    ])
    with zipfile.ZipFile(tmp_path / "made.xlsx") as made, \
            zipfile.ZipFile(tmp_path / "projects.xlsx", "w", zipfile.ZIP_DEFLATED) as saved:
        for item in made.infolist():
            data = made.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # row 2's formulas as Excel saves an empty result
                data = re.sub(rb'<c r="([DE]2)"([^>]*?)><f>(.*?)</f><v\s*/?>(?:</v>)?',
                              rb'<c r="\1"\2 t="str"><f>\3</f><v/>', data)
            saved.writestr(item, data)
    (tmp_path / "made.xlsx").unlink()
    ds = load_dataset(tmp_path)
    projects = ds.tables["projects"]
    assert projects["actual_start"].isna().tolist() == [True, False]
    assert projects["total_investment"].isna().tolist() == [True, True]
    assert _unknown(ds) == [["projects", 1, "total_investment", "=E3*2"]]
    assert ds.warnings[["row", "column"]].values.tolist() == [[3, "total_investment (总投资(万元))"]]
    assert "never recalculated" in ds.ledger.iloc[0]["notes"] and "row 3" in ds.ledger.iloc[0]["notes"]


def test_a_required_cell_holding_a_formula_never_calculated_is_rejected_showing_the_formula(tmp_path):
    _sheet(tmp_path / "projects.xlsx", "项目台账", [
        ["项目编码", "项目名称", "县区"], ["P1", "a", "甲县"], ['="P"&"002"', "b", "甲县"], ["P3", "c", "=C2"]])
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["P1"]
    assert ds.rejections[["row", "value", "reason"]].values.tolist() == [
        [3, '="P"&"002"', "formula with no saved result, read as empty; required value missing"],
        [4, "=C2", "formula with no saved result, read as empty; required value missing"]]


def test_origin_and_unknown_from_parquet(tmp_path):
    pd.DataFrame({"project_id": ["P1", "P2", "P2", "P3"], "project_name": ["a", "b", "dup", "c"],
                  "county": ["甲县"] * 4,
                  "actual_start": ["2020-01-01", "2021年13月1日", "x", None],    # text where dates belong
                  "total_investment": [1.0, np.inf, 2.0, np.nan],
                  "budget": ["1,2,3万", "5", "6", "-"]}).to_parquet(tmp_path / "projects.parquet")
    ds = load_dataset(tmp_path)
    assert ds.origin["projects"].values.tolist() == [["projects.parquet", "", 1], ["projects.parquet", "", 2],
                                                     ["projects.parquet", "", 4]]
    assert _unknown(ds) == [["projects", 0, "budget", "1,2,3万"],
                            ["projects", 1, "actual_start", "2021年13月1日"],
                            ["projects", 1, "total_investment", "inf"]]


def test_typed_parquet_columns_give_no_unknown_cells(tmp_path):
    pd.DataFrame({"project_id": ["P1", "P2"], "project_name": ["a", "b"], "county": ["甲县"] * 2,
                  "actual_start": pd.to_datetime(["2020-01-01", None]),
                  "total_investment": [1.0, np.nan]}).to_parquet(tmp_path / "projects.parquet")
    ds = load_dataset(tmp_path)
    assert ds.unknown.empty and ds.warnings.empty


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_origin_row_is_the_row_rejections_report(tmp_path, fmt):
    rows = [["项目编码", "项目名称", "县区", "总投资"], ["P1", "a", "甲县", "-5"], ["P1", "dup", "甲县", "1"],
            ["P2", "b", "乙县", "-7"]]
    if fmt == "csv":
        write_text(tmp_path / "projects.csv", "\n".join(",".join(r) for r in rows) + "\n")
    else:
        _sheet(tmp_path / "projects.xlsx", "Sheet1", rows)
    ds = load_dataset(tmp_path)
    negatives = ds.warnings[ds.warnings["reason"].str.startswith("negative")]["row"].tolist()
    assert ds.origin["projects"]["row"].tolist() == negatives == [2, 4]
    assert ds.rejections["row"].tolist() == [3]
