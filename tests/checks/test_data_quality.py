"""DQ01 unreadable values and DQ02 status contradicting dates (checks.md revision 2, DQ).

The loader remembers the cells it could not read (Dataset.unknown: table, row label,
column, value) and each row's origin (Dataset.origin[table]: file, sheet, row); here
both are built by hand on a small dataset object.
"""
import json
from types import SimpleNamespace

import pandas as pd
import pytest

from kpt_audit.checks import data_quality, run_checks
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables
from conftest import unjudged  # tests/checks/conftest.py

AS_OF = "2020-09-25"


def project(pid, county="甲县", status="under_construction", start="2019-03-01", completion=None,
            acceptance=None, **more):
    return {"project_id": pid, "project_name": f"项目{pid}", "county": county, "status": status,
            "actual_start": start, "actual_completion": completion, "acceptance_date": acceptance, **more}


def dataset(unknown=(), origin=None, **tables):
    t = coerce_tables({name: pd.DataFrame(rows) if isinstance(rows, list) else rows for name, rows in tables.items()})
    u = pd.DataFrame(list(unknown), columns=["table", "row", "column", "value"]).astype({"row": "object"})
    return SimpleNamespace(tables=t, unknown=u, origin=origin or {})


def csv_origin(n, file, first_row=2):
    """origin of a CSV table of n rows: header is row 1, data from row 2."""
    return pd.DataFrame({"file": file, "sheet": "", "row": range(first_row, first_row + n)})


def run(check_id, ds, lang="zh", as_of=AS_OF):
    params = load_params(as_of=as_of, lang=lang)
    params.county_overrides.clear()
    result = run_checks(ds, params, checks=[check_id])
    return result.findings, result.not_run


def by_entity(findings) -> pd.DataFrame:
    return findings.set_index("entity_id")




# ---------------------------------------------------------------- DQ01

def test_dq01_reports_the_unreadable_cell_with_its_file_and_row():
    ds = dataset([("projects", 1, "actual_start", "2021年13月1日")],
                 {"projects": csv_origin(2, "项目台账.csv")},
                 projects=[project("P1"), project("P2", county="乙县", start=None)])
    f, not_run = run("DQ01", ds)
    assert list(f["entity_id"]) == ["projects|P2|actual_start"] and not_run.empty
    row = f.iloc[0]
    assert row["entity_type"] == "cell" and row["severity"] == "low" and row["area"] == "data"
    assert row["county"] == "乙县" and row["project_id"] == "P2" and pd.isna(row["amount"])
    assert row["basis"] == "台账数据不实/不规范" and row["title"] == "台账数据无法识别"
    assert row["detail"] == ("项目台账.csv第3行（P2）实际开工日期“2021年13月1日”无法识别，已按空值载入，"
                             "依赖该值的检查未据此判定")
    en, _ = run("DQ01", ds, "en")
    assert en["detail"].iloc[0] == ("项目台账.csv row 3 (P2): 实际开工日期 '2021年13月1日' could not be read; "
                                    "loaded as empty, and no check judged on it")
    assert en["values"].iloc[0] == row["values"]
    assert json.loads(row["values"]) == {"source": "项目台账.csv", "row": 3, "key": "P2", "header": "实际开工日期",
                                         "value": "2021年13月1日", "variant": "at"}


def test_dq01_keys_of_every_kind_of_table():
    ds = dataset([("progress", 0, "investment", "约3000"),
                  ("bids", 0, "disqualified", "待定"),
                  ("bids", 1, "disqualified", "待定"),
                  ("tenders", 0, "award_amount", "1,2,3万"),
                  ("suppliers", 0, "registered_date", "2008年2月30日"),
                  ("payments", 0, "invoice_no", "x"),                  # text: never unreadable
                  ("projects", 0, "status", "建设中"),                  # enum: a warning only
                  ("funds", 0, "amount", "约100万")],                    # required: the row was rejected
                 projects=[project("P1"), project("P2", county="乙县")],
                 progress=[{"project_id": "P2", "month": "2020-05", "investment": None}],
                 tenders=[{"tender_id": "T1", "project_id": "P1", "county": "丙县", "buyer": "某局", "kind": "works",
                           "method": "open"},
                          {"tender_id": "T2", "project_id": None, "county": "丁县", "buyer": "某局", "kind": "goods",
                           "method": "open"}],
                 bids=[{"tender_id": "T2", "bidder_id": "S1", "amount": 100.0},
                       {"tender_id": "T1", "bidder_id": "S1", "amount": 100.0}],
                 suppliers=[{"supplier_id": "S1", "name": "某公司"}],
                 payments=[{"payment_id": "F1", "project_id": "P1", "payee_id": "S1", "date": "2020-01-01",
                            "amount": 1.0, "invoice_no": None}],
                 funds=[{"fund_id": "Z1", "project_id": "P1", "level": "central", "date": "2020-01-01",
                         "amount": 1.0}])
    f, not_run = run("DQ01", ds)
    found = by_entity(f)
    assert sorted(found.index) == ["bids|T1,S1|disqualified", "bids|T2,S1|disqualified", "progress|P2,2020-05|investment",
                                   "suppliers|S1|registered_date", "tenders|T1|award_amount"]
    assert found.loc["progress|P2,2020-05|investment", "county"] == "乙县"      # its project's
    assert found.loc["tenders|T1|award_amount", "county"] == "丙县"             # its own, not its project's 甲县
    assert found.loc["tenders|T1|award_amount", "project_id"] == "P1"
    assert found.loc["bids|T2,S1|disqualified", "county"] == "丁县"            # no project: its tender's
    assert found.loc["bids|T1,S1|disqualified", "county"] == "甲县"            # its row's project's (via its tender)
    assert pd.isna(found.loc["suppliers|S1|registered_date", "county"])      # no county, no project
    assert found.loc["bids|T2,S1|disqualified", "detail"] == \
        "T2,S1：是否废标“待定”无法识别，已按空值载入，依赖该值的检查未据此判定"    # origin unknown: no file and row
    assert not_run.empty


def test_dq01_contract_changes_are_named_by_their_source_row(monkeypatch):
    # contract_changes have no key and (today) no optional date/number column: the row number names the cell
    monkeypatch.setattr(data_quality, "_reported", lambda table, column: True)
    changes = [{"contract_id": "H1", "date": "2020-01-01", "amount_delta": 1.0},
               {"contract_id": "H1", "date": "2020-02-01", "amount_delta": 2.0}]
    contracts = [{"contract_id": "H1", "project_id": "P2", "supplier_id": "S1", "sign_date": "2019-01-01",
                  "amount": 10.0}]
    origin = {"contract_changes": pd.DataFrame({"file": "变更.xlsx", "sheet": "Sheet1", "row": [5, 7]})}
    ds = dataset([("contract_changes", 1, "reason", "？")], origin,
                 projects=[project("P1"), project("P2", county="乙县")], contracts=contracts,
                 contract_changes=changes)
    f, not_run = run("DQ01", ds)
    assert list(f["entity_id"]) == ["contract_changes|row7|reason"] and not_run.empty
    assert f["county"].iloc[0] == "乙县" and f["project_id"].iloc[0] == "P2"      # through its contract
    assert f["detail"].iloc[0].startswith("变更.xlsx [Sheet1]第7行（row7）")
    # without its origin the change cannot be named: not judged, counted
    f, not_run = run("DQ01", dataset([("contract_changes", 1, "reason", "？")], projects=[project("P1")],
                                     contracts=contracts, contract_changes=changes))
    assert f.empty and unjudged(not_run, "DQ01") == 1


def test_dq01_ignores_the_audit_date_and_reports_each_cell_once():
    payments = [{"payment_id": "F1", "project_id": "P1", "payee_id": "S1", "date": "2020-12-01", "amount": 1.0}]
    contracts = [{"contract_id": "H1", "project_id": "P1", "supplier_id": "S1", "sign_date": "2020-12-01",
                  "amount": 10.0, "settlement_amount": None}]
    ds = dataset([("contracts", 0, "settlement_amount", "约10万"), ("contracts", 0, "settlement_amount", "约10万"),
                  ("projects", 0, "budget", "待批")],
                 projects=[project("P1")], payments=payments, contracts=contracts)
    f, _ = run("DQ01", ds)
    assert sorted(f["entity_id"]) == ["contracts|H1|settlement_amount", "projects|P1|budget"]
    assert set(f["county"]) == {"甲县"}
    f, _ = run("DQ01", ds, as_of="1990-01-01")
    assert len(f) == 2


def test_dq01_nothing_unreadable_nothing_reported():
    f, not_run = run("DQ01", dataset(projects=[project("P1")]))
    assert f.empty and not_run.empty
    params = load_params(as_of=AS_OF)
    result = run_checks(coerce_tables({"projects": pd.DataFrame([project("P1")])}), params, checks=["DQ01"])
    assert result.findings.empty and result.not_run.empty     # a plain dict of tables: no unknown cells


# ---------------------------------------------------------------- DQ02

def test_dq02_each_clause():
    ds = dataset(projects=[
        project("P1", status="under_construction", start=None),                       # no start
        project("P2", status="in_operation", start=None, acceptance="2020-01-01"),    # no start
        project("P3", status="not_started", start="2020-09-25"),                      # started on as_of
        project("P4", status="not_started", start="2020-09-26"),                      # after as_of: fine
        project("P5", status="completed", start="2018-01-01"),                        # no completion date
        project("P6", status="in_operation", start="2018-01-01", acceptance="2019-12-01"),  # acceptance will do
        project("P7", status="completed", start="2018-01-01", completion="2019-11-01"),     # completion will do
        project("P8", status="completed", start=None),                                # both
        project("P9", status="suspended", start=None),                                # no clause
        project("P10", status="under_construction", start="2020-09-26"),              # start after as_of: none yet
        project("P11", status=None, start=None),                                      # no status
        project("P12", status="completed", start="2018-01-01", completion="2020-09-26"),  # completed after as_of
        project("P13", status="completed", start="2018-01-01", completion="2020-09-25"),  # completed on as_of
    ])
    f, not_run = run("DQ02", ds)
    found = by_entity(f)
    # checks.md: a start or completion dated after as_of has not happened yet (P10, P12)
    assert sorted(found.index) == ["P1", "P10", "P12", "P2", "P3", "P5", "P8"] and not_run.empty
    variants = {e: json.loads(v)["variant"] for e, v in zip(f["entity_id"], f["values"])}
    assert variants == {"P1": "no_start", "P2": "no_start", "P3": "started", "P5": "no_completion",
                        "P8": "no_start_no_completion", "P10": "no_start", "P12": "no_completion"}
    assert found.loc["P1", "detail"] == "项目状态为在建，但截至审计基准日2020-09-25没有实际开工日期"
    assert found.loc["P3", "detail"] == "项目状态为未开工，但实际开工日期为2020-09-25（不晚于审计基准日2020-09-25）"
    assert found.loc["P5", "detail"] == "项目状态为竣工，但截至审计基准日2020-09-25既无实际竣工日期也无竣工验收日期"
    assert set(f["severity"]) == {"low"} and set(f["entity_type"]) == {"project"} and set(f["county"]) == {"甲县"}
    assert (f["project_id"] == f["entity_id"]).all()
    en, _ = run("DQ02", ds, "en")
    assert by_entity(en).loc["P1", "detail"] == ("Status under construction, but no actual start date on or before "
                                                 "the audit date 2020-09-25")
    assert en["values"].tolist() == f["values"].tolist()


def test_dq02_an_unreadable_date_is_neither_present_nor_absent():
    ds = dataset([("projects", 0, "actual_start", "2021年13月1日"), ("projects", 1, "actual_start", "去年"),
                  ("projects", 2, "actual_completion", "2019-02-30"), ("projects", 3, "acceptance_date", "待定"),
                  ("projects", 4, "actual_start", "？")],
                 projects=[project("P1", status="under_construction", start=None),   # clause 1 not judged
                           project("P2", status="not_started", start=None),          # clause 2 not judged
                           project("P3", status="completed", start="2018-01-01"),    # clause 3 not judged
                           project("P4", status="in_operation", start=None),         # clause 1 fires all the same
                           project("P5", status="completed", start=None)])           # clause 3 fires all the same
    f, not_run = run("DQ02", ds)
    variants = {e: json.loads(v)["variant"] for e, v in zip(f["entity_id"], f["values"])}
    assert variants == {"P4": "no_start", "P5": "no_completion"}
    assert unjudged(not_run, "DQ02") == 3


def test_dq02_absent_columns_leave_their_clause_unjudged():
    rows = [project("P1", status="under_construction", start=None), project("P2", status="completed")]
    f, _ = run("DQ02", dataset(projects=pd.DataFrame(rows).drop(columns=["acceptance_date"])))
    assert list(f["entity_id"]) == ["P1"]                        # the third clause needs both columns
    f, _ = run("DQ02", dataset(projects=pd.DataFrame(rows).drop(columns=["actual_start"])))
    assert list(f["entity_id"]) == ["P2"]
    f, not_run = run("DQ02", dataset(projects=pd.DataFrame(rows).drop(columns=["actual_start", "acceptance_date"])))
    assert f.empty and "actual_start" in not_run["reason"].iloc[0]
    f, not_run = run("DQ02", dataset(projects=pd.DataFrame(rows).drop(columns=["status"])))
    assert f.empty and "status" in not_run["reason"].iloc[0]
    f, not_run = run("DQ02", dataset(projects=pd.DataFrame(rows).iloc[0:0]))
    assert f.empty and not_run.empty


@pytest.mark.parametrize("start, fires", [("2020-09-24", True), ("2020-09-25", True), ("2020-09-26", False)])
def test_dq02_not_started_boundary_is_the_audit_date(start, fires):
    f, _ = run("DQ02", dataset(projects=[project("P1", status="not_started", start=start)]))
    assert (list(f["entity_id"]) == ["P1"]) == fires


# ---------------------------------------------------------------- through files and the loader

@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_planted_cells_typed_by_hand_reach_the_loader_as_unknown(tmp_path, fmt):
    from kpt_audit import load_dataset
    from kpt_audit.synth import generate, write_tables

    data = generate(counties=4, projects=120, seed=5)
    ds = load_dataset(write_tables(data, tmp_path, fmt))
    assert ds.rejections.empty
    key = ["table", "row", "column", "value"]
    def ordered(u):  # the loader lists cells by table, row, column; the generator in planting order
        return u[key].astype({"row": "int64"}).sort_values(key[:3]).reset_index(drop=True)
    pd.testing.assert_frame_equal(ordered(ds.unknown), ordered(data.unknown), check_dtype=False)
    assert "2021年13月1日" in set(data.unknown["value"]) and "无" not in set(data.unknown["value"])
    for column in ("actual_start", "actual_completion", "final_accounts_date"):  # typed cells load empty
        pd.testing.assert_series_equal(ds.tables["projects"][column], data.tables["projects"][column],
                                       check_dtype=False)
    truth = set(data.truth.loc[data.truth["check_id"].str.startswith("DQ"), "entity_id"])
    for source in (ds, data):                                   # loaded files, or the generator's own view
        result = run_checks(source, load_params(as_of=data.as_of), checks=["DQ01", "DQ02"])
        assert set(result.findings["entity_id"]) == truth


def test_two_unreadable_cells_of_one_row_are_two_findings():
    """A project whose start and total investment were both typed wrong (the origin of its row looked up once per cell)."""
    from types import SimpleNamespace

    from kpt_audit.checks import run_checks
    from kpt_audit.params import load_params
    from kpt_audit.schema.coerce import coerce_tables

    tables = coerce_tables({"projects": pd.DataFrame({"project_id": ["P1", "P2"], "county": ["甲县", "甲县"],
                                                      "project_name": ["a", "b"]})})
    unknown = pd.DataFrame({"table": ["projects", "projects"], "row": [1, 1],
                            "column": ["actual_start", "total_investment"], "value": ["2021年13月1日", "约3000"]})
    origin = {"projects": pd.DataFrame({"file": ["项目.xlsx"] * 2, "sheet": ["台账"] * 2, "row": [3, 4]})}
    r = run_checks(SimpleNamespace(tables=tables, unknown=unknown, origin=origin),
                   load_params(as_of="2020-09-25"), checks=["DQ01"])
    assert sorted(r.findings["entity_id"]) == ["projects|P2|actual_start", "projects|P2|total_investment"]
    assert all("4" in d for d in r.findings["detail"])
