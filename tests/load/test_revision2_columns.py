"""Revision 2 optional columns (data-model.md "Revision 2"): headers, enum spellings, one header per column."""
from __future__ import annotations

import pandas as pd
import pytest

from kpt_audit.load import LoadError, load_dataset
from kpt_audit.load.headers import column_lookup, header_key_and_unit
from kpt_audit.load.parse import parse_enum
from kpt_audit.schema.tables import TABLES

from .conftest import PROJECTS_CSV, write_text

REVISION_2 = [
    ("projects", "adjusted_budget", "amount", ("调整概算", "调整后概算"), ()),
    ("tenders", "service_type", "enum", ("服务类别",), ("survey", "design", "supervision", "other")),
    ("tenders", "item_code", "text", ("品目", "采购品目", "品目编码"), ()),
    ("tenders", "exemption", "text", ("不招标理由", "依法可不招标情形"), ()),
    ("tenders", "method_approval", "text", ("采购方式批准文件", "采购方式变更批复"), ()),
    ("contracts", "service_type", "enum", ("服务类别",), ("survey", "design", "supervision", "other")),
    ("contracts", "exemption", "text", ("不招标理由",), ()),
    ("contracts", "submitted_settlement", "amount", ("送审金额", "报审金额"), ()),
    ("payments", "payee_role", "enum", ("收款人类型",),
     ("contractor", "wage_account", "consortium", "assignee", "court", "other")),
]


@pytest.mark.parametrize("table, column, kind, headers, values", REVISION_2, ids=[f"{t}.{c}" for t, c, *_ in REVISION_2])
def test_revision_2_column_is_optional_with_its_headers_and_values(table, column, kind, headers, values):
    col = TABLES[table].column(column)
    assert (col.kind, col.required) == (kind, False)
    lookup = column_lookup(TABLES[table])
    for header in headers:
        assert lookup[header_key_and_unit(header)[0]] == column, header
    assert col.enum_values == values


def test_one_chinese_header_names_one_column_per_table():
    for table in TABLES.values():
        owner: dict[str, str] = {}
        for col in table.columns:
            for spelling in (col.name, *col.aliases):
                key = header_key_and_unit(spelling)[0]
                assert owner.setdefault(key, col.name) == col.name, \
                    f"{table.name}: header {spelling!r} names both {owner[key]} and {col.name}"


def test_settlement_headers_each_name_their_own_column():
    lookup = column_lookup(TABLES["contracts"])
    assert lookup["结算金额"] == "settlement_amount"
    assert lookup["审定金额"] == "audited_settlement"
    assert lookup["送审金额"] == lookup["报审金额"] == "submitted_settlement"


SPELLINGS = {
    ("tenders", "service_type"): {"勘察": "survey", "设计": "design", "监理": "supervision", "其他": "other"},
    ("payments", "payee_role"): {
        "中标/施工单位": "contractor", "施工单位": "contractor", "中标单位": "contractor",
        "农民工工资专户": "wage_account", "农民工工资专用账户": "wage_account", "联合体成员": "consortium",
        "保理/债权受让人": "assignee", "债权受让人": "assignee", "保理": "assignee", "法院扣划": "court",
        "其他": "other"},
}


@pytest.mark.parametrize("where", list(SPELLINGS), ids=[f"{t}.{c}" for t, c in SPELLINGS])
def test_chinese_values_of_the_new_enums_map_onto_them(where):
    col = TABLES[where[0]].column(where[1])
    written = list(SPELLINGS[where])
    parsed = parse_enum(pd.Series(written, dtype="str"), col.values)
    assert parsed.values.tolist() == list(SPELLINGS[where].values())


def test_every_listed_spelling_of_every_enum_column_maps_onto_its_value():
    for table in TABLES.values():
        for col in table.columns:
            if col.kind != "enum":
                continue
            written = [s for value, spellings in col.values for s in (value, *spellings)]
            expected = [value for value, spellings in col.values for _ in (value, *spellings)]
            parsed = parse_enum(pd.Series(written, dtype="str"), col.values)
            assert parsed.values.tolist() == expected, f"{table.name}.{col.name}"


def test_new_columns_load_from_chinese_headers(tmp_path):
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区,初设概算(万元),调整后概算(万元)\n"
                                          "P001,污水处理厂,甲县,100,120\n")
    write_text(tmp_path / "contracts.csv", "合同编号,项目编码,供应商编码,签订日期,合同金额,服务类别,送审金额,结算金额,审定金额\n"
                                           "C1,P001,S1,2020-01-01,100,监理,90,85,80\n")
    write_text(tmp_path / "payments.csv", "支付编号,项目编码,收款人编码,支付日期,支付金额,收款人类型\n"
                                          "Y1,P001,S1,2020-02-01,10,农民工工资专户\nY2,P001,S2,2020-02-01,10,保理\n")
    ds = load_dataset(tmp_path)
    assert ds.tables["projects"].loc[0, "adjusted_budget"] == 1_200_000.0
    c = ds.tables["contracts"].iloc[0]
    assert (c["service_type"], c["submitted_settlement"], c["settlement_amount"], c["audited_settlement"]) == \
        ("supervision", 90.0, 85.0, 80.0)
    assert ds.tables["payments"]["payee_role"].tolist() == ["wage_account", "assignee"]


def test_two_headers_of_one_sheet_for_one_column_are_bad_data_naming_both(tmp_path):
    write_text(tmp_path / "contracts.csv", "合同编号,项目编码,供应商编码,签订日期,合同金额,送审金额,报审金额\n"
                                           "C1,P001,S1,2020-01-01,100,90,90\n")
    write_text(tmp_path / "projects.csv", PROJECTS_CSV)
    with pytest.raises(LoadError, match="'送审金额' and '报审金额' both map to column 'submitted_settlement'"):
        load_dataset(tmp_path)
    write_text(tmp_path / "contracts.csv", "合同编号,项目编码,供应商编码,签订日期,合同金额,调整概算\n"
                                           "C1,P001,S1,2020-01-01,100,1\n")
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区,总投资,总投资(万元)\nP1,a,甲县,1,1\n")
    with pytest.raises(LoadError, match="'总投资' and '总投资\\(万元\\)' both map to column 'total_investment'"):
        load_dataset(tmp_path)
