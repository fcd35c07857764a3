"""CSV files: encodings, delimiters, units, value formats, row rules, ledger."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpt_audit.load import LoadError, load_dataset
from kpt_audit.schema.coerce import DTYPES
from kpt_audit.schema.tables import TABLES

from .conftest import PROJECTS_CSV, assert_ledger_balances, write_text


@pytest.mark.parametrize("encoding, recorded", [("gbk", "gb18030"), ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8")])
def test_encodings_are_detected_and_recorded(tmp_path, encoding, recorded):
    write_text(tmp_path / "项目台账.csv", PROJECTS_CSV, encoding)
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_name"].tolist() == ["污水处理厂", "道路工程"]
    assert ds.tables["projects"].columns.tolist() == ["project_id", "project_name", "county"]
    assert ds.sources.loc[0, "encoding"] == recorded
    assert_ledger_balances(ds)


@pytest.mark.parametrize("sep", [";", "\t"])
def test_delimiter_is_sniffed(tmp_path, sep):
    write_text(tmp_path / "projects.csv", PROJECTS_CSV.replace(",", sep))
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["county"].tolist() == ["甲县", "乙县"]


def test_leading_zeros_of_ids_are_kept(tmp_path):
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区\n007,a,甲县\n０１０,b,甲县\n")
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["007", "010"]


def test_wan_yuan_header_and_cell_formats_become_yuan(tmp_path):
    write_text(tmp_path / "projects.csv",
               "项目编码,项目名称,县区,计划总投资（万元）,初设概算(元),年度计划投资/万元\n"
               'P1,a,甲县,"1,234.5",１２３,0.07\n'
               'P2,b,甲县,12元,"¥1,000",(2)\n'
               'P3,c,甲县,3万元,5万元,\n')
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["total_investment"].tolist() == [12_345_000.0, 12.0, 30_000.0]
    assert p["budget"].tolist() == [123.0, 1000.0, 50_000.0]
    assert p["annual_plan"].tolist()[:2] == [700.0, -20_000.0]
    assert np.isnan(p["annual_plan"].iloc[2])
    notes = ds.ledger.loc[0, "notes"]
    assert "total_investment: 万元 -> 元" in notes and "annual_plan: 万元 -> 元" in notes
    assert "budget: 万元" not in notes
    negative = ds.warnings[ds.warnings["reason"].str.startswith("negative")]
    assert negative["row"].tolist() == [3]


def test_dates_in_every_accepted_format(tmp_path):
    values = ["2021-05-10", "2021/5/10", "2021.5.10", "2021年5月10日", "20210510", "44326",
              "2021-05-10 08:30:00", "2021-05"]
    rows = "".join(f"P{i},n,甲县,{v}\n" for i, v in enumerate(values))
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区,实际开工日期\n" + rows)
    ds = load_dataset(tmp_path)
    got = ds.tables["projects"]["actual_start"]
    assert got.dtype == "datetime64[ns]"
    assert got.tolist() == [pd.Timestamp("2021-05-10")] * 7 + [pd.Timestamp("2021-05-01")]


def test_implausible_and_unrepresentable_dates(tmp_path):
    write_text(tmp_path / "projects.csv",
               "项目编码,项目名称,县区,实际开工日期,计划竣工日期\nP1,a,甲县,1900-01-01,9999-12-31\n")
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["actual_start"].iloc[0] == pd.Timestamp("1900-01-01")
    assert pd.isna(p["planned_completion"].iloc[0])
    reasons = dict(zip(ds.warnings["value"], ds.warnings["reason"]))
    assert reasons["1900-01-01"].startswith("implausible date")
    assert reasons["9999-12-31"] == "date value cannot be parsed; emptied and marked unknown"


def test_chinese_and_english_enum_spellings(tmp_path):
    write_text(tmp_path / "projects.csv",
               "项目编码,项目名称,县区,项目状态,项目类别\n"
               "P1,a,甲县,在建,中央预算内\nP2,b,甲县,Under Construction,企业投资\nP3,c,甲县,已投产, 省级 \n"
               "P4,d,甲县,烂尾,市级重点\n")
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["status"].tolist()[:3] == ["under_construction", "under_construction", "in_operation"]
    assert pd.isna(p["status"].iloc[3])  # unknown optional value: emptied, row kept
    assert p["category"].tolist() == ["central_budget", "enterprise", "provincial", "municipal_key"]
    warn = ds.warnings.iloc[0]
    assert (warn["row"], warn["value"]) == (5, "烂尾") and "unknown value" in warn["reason"]


def test_unknown_required_enum_rejects_the_row(folder):
    write_text(folder / "tenders.csv", "招标编号,县区,招标人,采购类别,采购方式\n"
                                        "T1,甲县,住建局,施工,公开招标\nT2,甲县,住建局,施工,抽签\n")
    ds = load_dataset(folder)
    assert ds.tables["tenders"]["tender_id"].tolist() == ["T1"]
    assert ds.tables["tenders"][["kind", "method"]].iloc[0].tolist() == ["works", "open"]
    rej = ds.rejections.iloc[0]
    assert (rej["file"], rej["row"], rej["value"]) == ("tenders.csv", 3, "抽签")
    assert rej["reason"].startswith("unknown value")
    assert_ledger_balances(ds)


def test_duplicate_keys_keep_the_first_and_name_it(tmp_path):
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区\nP1,a,甲县\nP2,b,甲县\nP1,c,乙县\nP1,d,乙县\n")
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_name"].tolist() == ["a", "b"]
    assert ds.rejections["row"].tolist() == [4, 5]
    assert set(ds.rejections["reason"]) == {"duplicate key project_id; first at row 2"}
    assert_ledger_balances(ds)


def test_duplicate_of_a_rejected_row_is_not_a_duplicate(folder):
    write_text(folder / "payments.csv", "支付编号,项目编码,收款人编码,支付日期,支付金额\n"
                                         "Z1,P001,S1,2020-01-01,abc\nZ1,P001,S1,2020-01-02,100\n")
    ds = load_dataset(folder)
    assert ds.tables["payments"]["amount"].tolist() == [100.0]
    assert ds.rejections["reason"].tolist() == ["required amount value cannot be parsed"]


def test_composite_key_duplicates(folder):
    write_text(folder / "bids.csv", "招标编号,投标人编码,投标报价,是否废标\nT1,S1,10,否\nT1,S2,11,是\nT1,S1,12,否\n")
    ds = load_dataset(folder)
    bids = ds.tables["bids"]
    assert bids["amount"].tolist() == [10.0, 11.0]
    assert bids["disqualified"].tolist() == [False, True]
    assert ds.rejections["row"].tolist() == [4]
    assert ds.rejections["column"].iloc[0] == "tender_id+bidder_id"


def test_unparseable_required_amount_rejects_only_that_row(folder):
    write_text(folder / "payments.csv", "支付编号,项目编码,收款人编码,支付日期,支付金额\n"
                                         "Z1,P001,S1,2020-01-01,100\nZ2,P001,S1,2020-01-02,inf\n"
                                         "Z3,P001,S1,2020-01-03,一百\nZ4,P001,S1,2020-01-04,\n")
    ds = load_dataset(folder)
    assert ds.tables["payments"]["payment_id"].tolist() == ["Z1"]
    rej = ds.rejections
    assert rej["row"].tolist() == [3, 4, 5]
    assert rej["value"].tolist() == ["inf", "一百", ""]
    assert rej["reason"].tolist() == ["required amount value cannot be parsed"] * 2 + ["required value missing"]
    assert set(rej["column"]) == {"amount (支付金额)"}
    assert_ledger_balances(ds)


def test_child_row_with_unknown_parent_is_kept_with_a_warning(folder):
    write_text(folder / "funds.csv", "文号,项目编码,资金级次,下达日期,下达金额\n"
                                      "F1,P001,中央,2020-01-01,100\nF2,P999,省级,2020-02-01,50\n")
    ds = load_dataset(folder)
    assert ds.tables["funds"]["fund_id"].tolist() == ["F1", "F2"]
    assert ds.tables["funds"]["level"].tolist() == ["central", "provincial"]
    w = ds.warnings.iloc[0]
    assert (w["file"], w["row"], w["column"], w["value"]) == ("funds.csv", 3, "project_id", "P999")
    assert "not found in projects" in w["reason"]


def test_date_order_is_a_warning(tmp_path):
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区,实际竣工日期,投产日期\n"
                                           "P1,a,甲县,2020-06-01,2020-01-01\nP2,b,甲县,2020-06-01,2020-07-01\n")
    ds = load_dataset(tmp_path)
    assert len(ds.tables["projects"]) == 2
    assert ds.warnings["row"].tolist() == [2]
    assert ds.warnings["reason"].iloc[0] == "date order: operation_date before actual_completion; row kept"


def test_missing_required_column_names_it_and_suggests_headers(folder):
    write_text(folder / "payments.csv", "支付编号,项目编码,收款人编码,支付日期,支付金额数\nZ1,P001,S1,2020-01-01,1\n")
    with pytest.raises(LoadError) as err:
        load_dataset(folder)
    message = str(err.value)
    assert "payments.csv" in message and "'amount'" in message
    assert "nearest headers in the file: 支付金额数" in message


def test_two_headers_for_one_column_is_an_error(tmp_path):
    write_text(tmp_path / "projects.csv", "项目编码,项目代码,项目名称,县区\nP1,P1,a,甲县\n")
    with pytest.raises(LoadError, match="'项目编码' and '项目代码' both map to column 'project_id'"):
        load_dataset(tmp_path)


def test_empty_file_is_an_error_naming_it(folder):
    (folder / "funds.csv").write_bytes(b"")
    with pytest.raises(LoadError, match=r"funds\.csv: the file is empty \(0 bytes\)"):
        load_dataset(folder)


def test_file_with_only_headers_loads_zero_rows_with_canonical_dtypes(folder):
    write_text(folder / "payments.csv", "支付编号,项目编码,收款人编码,支付日期,支付金额\n")
    ds = load_dataset(folder)
    payments = ds.tables["payments"]
    assert len(payments) == 0
    for name in payments.columns:
        assert str(payments[name].dtype) == DTYPES[TABLES["payments"].column(name).kind]
    assert ds.ledger.set_index("file").loc["payments.csv", "rows_in"] == 0


def test_blank_rows_inside_are_rejected_trailing_ones_only_noted(tmp_path):
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区\nP1,a,甲县\n,,\nP2,b,甲县\n,,\n\n")
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["P1", "P2"]
    assert ds.rejections[["row", "reason"]].values.tolist() == [[3, "empty row"]]
    assert "2 blank row(s) after the last data row ignored" in ds.ledger.loc[0, "notes"]
    assert_ledger_balances(ds)


def test_unparseable_optional_value_is_emptied_with_a_warning(tmp_path):
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区,资金下达年度,实际开工日期\n"
                                           "P1,a,甲县,2019年,明年\nP2,b,甲县,2019.0,2020-01-01\nP3,c,甲县,nineteen,\n")
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["fund_year"].dtype == "Int64"
    assert p["fund_year"].tolist()[:2] == [2019, 2019] and pd.isna(p["fund_year"].iloc[2])
    assert pd.isna(p["actual_start"].iloc[0])
    assert ds.warnings[["row", "value"]].values.tolist() == [[2, "明年"], [4, "nineteen"]]


def test_extra_columns_are_kept_and_reported(tmp_path):
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区,备注,联系人\nP1,a,甲县,note,张三\n")
    ds = load_dataset(tmp_path)
    assert ds.extra_columns == {"projects": ["备注", "联系人"]}
    assert ds.tables["projects"]["备注"].tolist() == ["note"]
    assert "extra columns kept as text: 备注, 联系人" in ds.ledger.loc[0, "notes"]


def test_title_rows_above_the_csv_header_are_skipped(tmp_path):
    write_text(tmp_path / "projects.csv", "2020年项目台账\n单位：县发改局\n项目编码,项目名称,县区\nP1,a,甲县\n")
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["P1"]
    assert ds.sources.loc[0, "header_row"] == 3
    assert ds.rejections.empty


def test_binary_garbage_is_a_clear_error(tmp_path):
    (tmp_path / "projects.csv").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(LoadError, match="projects.csv: the file contains binary data"):
        load_dataset(tmp_path)


def test_progress_months_and_percent_range(folder):
    write_text(folder / "月度进度.csv", "项目编码,月份,形象进度（%）\nP001,2020年5月,50\nP001,202006,120\nP001,2020-06-15,60\n")
    ds = load_dataset(folder)
    assert ds.tables["progress"]["month"].tolist() == ["2020-05", "2020-06"]
    assert ds.rejections["reason"].tolist() == ["duplicate key project_id+month; first at row 3"]
    assert ds.warnings["reason"].tolist() == ["outside 0-100, kept"]


@pytest.mark.parametrize("rows, bad_row", [
    ("P1,a,甲县,多余\nP2,b,乙县\n", 2),          # the first record: pandas alone dropped the cell silently
    ("P1,a,甲县\nP2,b,乙县,多余\n", 3),          # a later record
])
def test_a_record_with_more_cells_than_the_header_is_rejected_wherever_it_stands(tmp_path, rows, bad_row):
    """Its cells are shifted (a value holding the delimiter unquoted): the row cannot be used and is rejected,
    as written; the other rows load (one unquoted 1,000 no longer stops a county's whole ledger)."""
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区\n" + rows)
    ds = load_dataset(tmp_path)
    assert len(ds.tables["projects"]) == 1
    rejected = ds.rejections.iloc[0]
    assert (rejected["row"], rejected["column"]) == (bad_row, "(column 4)")
    assert rejected["value"].endswith(",多余")
    assert rejected["reason"].startswith("more fields than the header's 3, row not read")
    notes = ds.ledger.iloc[0]["notes"]
    assert f"1 row(s) with more fields than the header not read (rows {bad_row})" in notes
    assert_ledger_balances(ds)


def test_a_record_with_fewer_cells_than_the_header_is_kept_with_a_warning(tmp_path):
    """Its missing cells read as empty; a delimiter lost would shift the values after it, so the row is
    warned, naming the first column it lacks (a total or footer row, or a rejected row, is not)."""
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区,总投资\nP1,a甲县,100\nP2,b,乙县,5\n"
                                          "P3,c\n合计,5\n填表人：张三\n")
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["project_id"].tolist() == ["P1", "P2"]
    warned = ds.warnings[ds.warnings["reason"].str.startswith("fewer fields")]
    assert warned[["row", "column", "value"]].values.tolist() == [[2, "total_investment (总投资)", "P1,a甲县,100"]]
    assert_ledger_balances(ds)


def test_a_quote_never_closed_is_bad_data_naming_its_line(tmp_path):
    """Everything after an unclosed quote would be one value: the message names the quote's line (a quote
    written twice inside a quoted value is a quote, not a close)."""
    write_text(tmp_path / "projects.csv", '项目编码,项目名称,县区\nP1,"a ""b"" c",甲县\nP2,b,乙县\n'
                                          'P3,"未闭合引号,甲县\nP4,d,甲县\n' + "P5,e,甲县\n" * 3)
    with pytest.raises(LoadError) as raised:
        load_dataset(tmp_path)
    assert 'a value opened by a double quote (") on line 4 is never closed' in str(raised.value)
    assert raised.value.text("zh").startswith("projects.csv：第 4 行有一个双引号")


def test_empty_cells_beyond_the_header_are_only_a_trailing_delimiter(tmp_path):
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区\nP1,a,甲县,\nP2,b,乙县\nP3,c,丙县,,\n")
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"]["county"].tolist() == ["甲县", "乙县", "丙县"]
    assert ds.tables["projects"].columns.tolist() == ["project_id", "project_name", "county"]
    assert_ledger_balances(ds)
