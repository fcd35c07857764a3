"""PRC01–06 construction-procedure checks, on small hand-made frames."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd

from kpt_audit.checks import run_checks
from kpt_audit.params import load_params
from conftest import unjudged  # tests/checks/conftest.py

AS_OF = "2020-09-25"
START = "2020-03-01"


def by_entity(findings):
    return findings.set_index("entity_id")


def severities(findings):
    return findings.set_index("entity_id")["severity"].to_dict()


def run_unknown(check_id, tables, cells, as_of=AS_OF, lang="zh"):
    """(findings, not_run) of ``check_id`` on ``tables`` where the loader could not read ``cells``:
    (table, key column, key, column) — the cell is blank in the table and listed as unknown."""
    rows = []
    for table, key_column, key, column in cells:
        df = tables[table]
        label = df.index[df[key_column] == key][0]
        assert pd.isna(df.at[label, column]), "an unreadable cell is loaded blank"
        rows.append((table, label, column, "2021年13月1日"))
    dataset = SimpleNamespace(tables=tables, origin={},
                              unknown=pd.DataFrame(rows, columns=["table", "row", "column", "value"]))
    params = load_params(as_of=as_of, lang=lang)
    params.county_overrides.clear()
    result = run_checks(dataset, params, checks=[check_id])
    return result.findings, result.not_run




# --- PRC01 started-without-approval ---------------------------------------------------

def _approval_case(build):
    row = lambda pid, **kw: {"project_id": pid, "category": "government", "actual_start": START,
                             "approval_date": None, "fsr_approval_date": None,
                             "design_approval_date": None, **kw}
    return build(projects=[
        row("P01", approval_date="2020-01-01", design_approval_date="2020-02-01"),
        row("P02", fsr_approval_date="2020-02-01", design_approval_date="2020-02-15"),  # fsr stands in
        row("P03", approval_date=START, design_approval_date=START),                     # same day: on or before
        row("P04", design_approval_date="2020-02-01"),                                   # no approval at all
        row("P05", approval_date="2020-03-02", design_approval_date="2020-02-01"),       # approval after start
        row("P06", approval_date="2020-01-01"),                                          # design missing
        row("P07", design_approval_date="2020-05-01"),                                   # missing + later
        row("P08", category="enterprise"),
        row("P09", category=None),
        row("P10", actual_start=None),
        row("P11", actual_start="2020-10-01"),                                           # starts after as_of
        row("P12", approval_date="2020-01-01", design_approval_date="2020-10-01"),       # design after as_of
        row("P13", approval_date="2020-04-01", fsr_approval_date="2020-02-01", design_approval_date="2020-02-01"),
    ])


def test_prc01_fires_and_grades_severity(build, run_check):
    found, not_run = run_check("PRC01", _approval_case(build), AS_OF)
    assert not_run.empty
    assert severities(found) == {"P04": "medium", "P05": "high", "P06": "medium", "P07": "high",
                                 "P09": "medium", "P12": "medium"}
    f = by_entity(found)
    assert f.loc["P04", "detail"] == "实际开工2020-03-01：立项/可研批复日期缺失"
    assert f.loc["P05", "detail"] == "实际开工2020-03-01：立项/可研批复日期2020-03-02晚于开工日期2020-03-01"
    assert f.loc["P07", "detail"] == ("实际开工2020-03-01：立项/可研批复日期缺失；"
                                      "初设批复日期2020-05-01晚于开工日期2020-03-01")
    assert f.loc["P06", "county"] == "甲县"
    # the start and each late item's date are the values; the variant says which item is missing or late
    assert json.loads(f.loc["P07", "values"]) == {"start": START, "design": "2020-05-01",
                                                  "variant": "approval_missing+design_late"}


def test_prc01_english_detail(build, run_check):
    found, _ = run_check("PRC01", _approval_case(build), AS_OF, lang="en")
    assert by_entity(found).loc["P06", "detail"] == "Started 2020-03-01: design approval missing"
    assert found["title"].iloc[0] == "Started without approval"


def test_prc01_runs_with_only_the_feasibility_column(build, run_check):
    tables = build(projects=[{"project_id": "P1", "actual_start": START, "fsr_approval_date": "2020-01-01",
                              "design_approval_date": "2020-01-01"},
                             {"project_id": "P2", "actual_start": START, "fsr_approval_date": None,
                              "design_approval_date": "2020-01-01"}])
    found, not_run = run_check("PRC01", tables, AS_OF)
    assert not_run.empty and found["entity_id"].tolist() == ["P2"]


def test_prc01_not_run_and_empty(build, run_check):
    no_design = build(projects=[{"project_id": "P1", "actual_start": START, "approval_date": None}])
    _, not_run = run_check("PRC01", no_design, AS_OF)
    assert "design_approval_date" in not_run["reason"].item()
    no_approval = build(projects=[{"project_id": "P1", "actual_start": START, "design_approval_date": None}])
    _, not_run = run_check("PRC01", no_approval, AS_OF)
    assert "approval_date" in not_run["reason"].item()
    empty = build(projects=pd.DataFrame(columns=["project_id", "project_name", "county", "actual_start",
                                                 "approval_date", "design_approval_date"]))
    found, not_run = run_check("PRC01", empty, AS_OF)
    assert found.empty and not_run.empty


def test_prc01_basis_follows_the_start_date(build, run_check):
    row = lambda pid, start: {"project_id": pid, "actual_start": start, "approval_date": None,
                              "design_approval_date": "2018-01-01"}
    tables = build(projects=[row("OLD", "2019-06-30"), row("NEW", "2019-07-01")])
    found, _ = run_check("PRC01", tables, AS_OF)
    basis = by_entity(found)["basis"]
    assert basis["OLD"] == "国务院关于投资体制改革的决定 (国发〔2004〕20号)"
    assert basis["NEW"] == "政府投资条例 第九至十一条"


def _unknown_approval_case(build):
    row = lambda pid, **kw: {"project_id": pid, "category": "government", "actual_start": START,
                             "approval_date": "2020-01-01", "fsr_approval_date": None,
                             "design_approval_date": "2020-01-01", **kw}
    return build(projects=[
        row("U1", approval_date=None),                                   # approval unreadable, fsr blank
        row("U2", approval_date=None, fsr_approval_date="2020-01-01"),   # unreadable, but fsr in order
        row("U3", approval_date=None, design_approval_date=None),        # approval unreadable, design missing
        row("U4", design_approval_date=None),                            # design unreadable only
        row("U5", actual_start=None),                                    # start unreadable: not started
        row("U6", approval_date=None, fsr_approval_date="2020-04-01"),   # fsr late, approval unreadable
        row("U7", approval_date=None),                                   # blank, not unreadable: missing
    ])


def test_prc01_unreadable_dates_are_not_missing(build):
    tables = _unknown_approval_case(build)
    cells = [("projects", "project_id", "U1", "approval_date"), ("projects", "project_id", "U2", "approval_date"),
             ("projects", "project_id", "U3", "approval_date"), ("projects", "project_id", "U4", "design_approval_date"),
             ("projects", "project_id", "U5", "actual_start"), ("projects", "project_id", "U6", "approval_date")]
    found, not_run = run_unknown("PRC01", tables, cells)
    # U3: the design approval is proven missing, whatever the unreadable approval says; only that item is named
    assert severities(found) == {"U3": "medium", "U7": "medium"}
    assert by_entity(found).loc["U3", "detail"] == "实际开工2020-03-01：初设批复日期缺失"
    # U1, U4, U6: nothing proven, something unknown; U5 reads as not started (nothing rests on its start)
    assert unjudged(not_run, "PRC01") == 3
    found, not_run = run_check_plain("PRC01", tables)
    assert set(found["entity_id"]) == {"U1", "U3", "U4", "U6", "U7"} and not_run.empty


def run_check_plain(check_id, tables):
    return run_unknown(check_id, tables, [])


# --- PRC02 started-without-permits ----------------------------------------------------

def _permit_case(build):
    ok = "2020-01-01"
    row = lambda pid, **kw: {"project_id": pid, "category": "government", "actual_start": START,
                             "total_investment": 5e6, "land_approval_date": ok, "planning_permit_date": ok,
                             "eia_approval_date": ok, "construction_permit_date": ok, **kw}
    return build(projects=[
        row("P01"),
        row("P02", construction_permit_date="2020-03-02"),
        row("P03", eia_approval_date=None),
        row("P04", total_investment=300_000, construction_permit_date=None),        # 30万元以下 includes 300,000
        row("P05", total_investment=300_001, construction_permit_date=None),
        row("P06", total_investment=None, construction_permit_date=None),           # unknown size: permit needed
        row("P07", total_investment=200_000, construction_permit_date="2020-05-01"),  # exempt: no permit needed
        row("P08", category="enterprise", land_approval_date=None),
        row("P09", land_approval_date=START, planning_permit_date=START),          # same day is fine
        row("P10", land_approval_date=None, planning_permit_date="2020-04-01"),
        row("P11", actual_start=None, land_approval_date=None),
        row("P12", eia_approval_date="2020-10-01"),                                  # after as_of: missing
    ])


def test_prc02_fires_names_items_and_grades(build, run_check):
    found, not_run = run_check("PRC02", _permit_case(build), AS_OF)
    assert not_run.empty
    assert severities(found) == {"P02": "high", "P03": "medium", "P05": "medium", "P06": "medium",
                                 "P10": "high", "P12": "medium"}
    f = by_entity(found)
    assert f.loc["P02", "detail"] == "实际开工2020-03-01：施工许可日期2020-03-02晚于开工日期2020-03-01"
    assert f.loc["P03", "detail"] == "实际开工2020-03-01：环评批复日期缺失"
    assert f.loc["P10", "detail"] == ("实际开工2020-03-01：用地批复日期缺失；"
                                      "规划许可日期2020-04-01晚于开工日期2020-03-01")


def test_prc02_exemption_line_is_a_parameter(build, run_check):
    found, _ = run_check("PRC02", _permit_case(build), AS_OF, permit_exempt_investment=100_000)
    assert {"P04", "P07"} <= set(found["entity_id"])
    assert severities(found)["P07"] == "high"


def test_prc02_english_and_not_run(build, run_check):
    found, _ = run_check("PRC02", _permit_case(build), AS_OF, lang="en")
    assert by_entity(found).loc["P03", "detail"] == "Started 2020-03-01: EIA approval missing"
    tables = _permit_case(build)
    tables["projects"] = tables["projects"].drop(columns=["eia_approval_date"])
    _, not_run = run_check("PRC02", tables, AS_OF)
    assert "eia_approval_date" in not_run["reason"].item()


def test_prc02_unreadable_permit_or_size(build):
    ok = "2020-01-01"
    row = lambda pid, **kw: {"project_id": pid, "category": "government", "actual_start": START,
                             "total_investment": 5e6, "land_approval_date": ok, "planning_permit_date": ok,
                             "eia_approval_date": ok, "construction_permit_date": ok, **kw}
    tables = build(projects=[
        row("U1", construction_permit_date=None),                          # permit unreadable
        row("U2", total_investment=None, construction_permit_date=None),   # size unreadable: permit needed?
        row("U3", total_investment=None),                                  # size unreadable, permit in order
        row("U4", total_investment=None, construction_permit_date=None, eia_approval_date=None),  # EIA proven missing
        row("U5", eia_approval_date=None, construction_permit_date="2020-04-01"),  # EIA unreadable, permit late
        row("U6", total_investment=100_000, construction_permit_date=None),  # exempt: an unreadable permit is moot
    ])
    cells = [("projects", "project_id", "U1", "construction_permit_date"),
             ("projects", "project_id", "U2", "total_investment"), ("projects", "project_id", "U3", "total_investment"),
             ("projects", "project_id", "U4", "total_investment"), ("projects", "project_id", "U5", "eia_approval_date"),
             ("projects", "project_id", "U6", "construction_permit_date")]
    found, not_run = run_unknown("PRC02", tables, cells)
    assert severities(found) == {"U4": "medium", "U5": "high"}
    f = by_entity(found)
    assert f.loc["U4", "detail"] == "实际开工2020-03-01：环评批复日期缺失"
    assert f.loc["U5", "detail"] == "实际开工2020-03-01：施工许可日期2020-04-01晚于开工日期2020-03-01"
    assert unjudged(not_run, "PRC02") == 2      # U1, U2


# --- PRC03 used-before-acceptance --------------------------------------------------------

def test_prc03_use_before_acceptance(build, run_check):
    tables = build(projects=[
        {"project_id": "P1", "operation_date": "2020-05-01", "acceptance_date": "2020-04-01"},
        {"project_id": "P2", "operation_date": "2020-05-01", "acceptance_date": "2020-05-01"},
        {"project_id": "P3", "operation_date": "2020-05-01", "acceptance_date": None},
        {"project_id": "P4", "operation_date": "2020-05-01", "acceptance_date": "2020-05-02"},
        {"project_id": "P5", "operation_date": "2020-05-01", "acceptance_date": "2020-10-01"},
        {"project_id": "P6", "operation_date": "2020-10-01", "acceptance_date": None},
        {"project_id": "P7", "operation_date": None, "acceptance_date": None},
    ])
    found, _ = run_check("PRC03", tables, AS_OF)
    assert severities(found) == {"P3": "medium", "P4": "high", "P5": "medium"}
    f = by_entity(found)
    assert f.loc["P4", "detail"] == "投产/交付使用日期2020-05-01，竣工验收日期2020-05-02"
    assert f.loc["P3", "detail"] == "投产/交付使用日期2020-05-01，竣工验收日期缺失"


def test_prc03_not_run_and_empty(build, run_check):
    _, not_run = run_check("PRC03", build(projects=[{"project_id": "P1", "operation_date": "2020-01-01"}]), AS_OF)
    assert "acceptance_date" in not_run["reason"].item()
    empty = build(projects=pd.DataFrame(columns=["project_id", "project_name", "county", "operation_date",
                                                 "acceptance_date"]))
    found, not_run = run_check("PRC03", empty, AS_OF)
    assert found.empty and not_run.empty


def test_prc03_unreadable_acceptance_or_operation(build):
    tables = build(projects=[
        {"project_id": "P1", "operation_date": "2020-05-01", "acceptance_date": None},   # acceptance unreadable
        {"project_id": "P2", "operation_date": None, "acceptance_date": "2020-05-01"},   # operation unreadable
        {"project_id": "P3", "operation_date": "2020-05-01", "acceptance_date": None},   # blank: fires
    ])
    cells = [("projects", "project_id", "P1", "acceptance_date"), ("projects", "project_id", "P2", "operation_date")]
    found, not_run = run_unknown("PRC03", tables, cells)
    assert severities(found) == {"P3": "medium"}
    assert unjudged(not_run, "PRC03") == 1      # P2 reads as not in use: nothing rests on its date


# --- PRC04 final-accounts-overdue ------------------------------------------------------

def _accounts_case(build):
    row = lambda pid, **kw: {"project_id": pid, "actual_completion": None, "acceptance_date": None,
                             "final_accounts_date": None, **kw}
    return build(projects=[
        row("P01", actual_completion="2020-06-25"),                                   # due 2020-09-25 = as_of
        row("P02", actual_completion="2020-06-24"),                                   # due the day before
        row("P03", actual_completion="2020-01-01", final_accounts_date="2020-04-01"),  # on the due day
        row("P04", actual_completion="2020-01-01", final_accounts_date="2020-04-02"),
        row("P05", acceptance_date="2020-01-01"),                                     # acceptance stands in
        row("P06", actual_completion="2019-11-30", final_accounts_date="2020-03-01"),  # due 2020-02-29
        row("P07", actual_completion="2019-11-30", final_accounts_date="2020-02-29"),
        row("P08", actual_completion="2020-01-01", final_accounts_date="2020-10-01"),  # after as_of: missing
        row("P09"),
        row("P10", actual_completion="2020-01-01", acceptance_date="2019-01-01",       # completion wins
            final_accounts_date="2020-03-01"),
    ])


def test_prc04_due_day_and_severity(build, run_check):
    found, not_run = run_check("PRC04", _accounts_case(build), AS_OF)
    assert not_run.empty
    assert severities(found) == {"P02": "medium", "P04": "high", "P05": "medium", "P06": "high",
                                 "P08": "medium"}
    f = by_entity(found)
    assert f.loc["P06", "detail"] == "实际竣工2019-11-30，应于2020-02-29前编报竣工决算（3个月），决算编报日期2020-03-01"
    assert f.loc["P05", "detail"].startswith("竣工验收2020-01-01，应于2020-04-01前")
    assert f.loc["P02", "detail"].endswith("决算编报日期缺失")


def test_prc04_months_parameter(build, run_check):
    found, _ = run_check("PRC04", _accounts_case(build), AS_OF, final_accounts_months=6)
    # due days move 3 months on: P02 (2020-12-24) is not yet due, P04's 2020-04-02 is in time
    assert set(found["entity_id"]) == {"P05", "P08"}


def test_prc04_not_run(build, run_check):
    tables = build(projects=[{"project_id": "P1", "final_accounts_date": None}])
    _, not_run = run_check("PRC04", tables, AS_OF)
    assert "actual_completion" in not_run["reason"].item()
    tables = build(projects=[{"project_id": "P1", "actual_completion": "2019-01-01"}])
    _, not_run = run_check("PRC04", tables, AS_OF)
    assert "final_accounts_date" in not_run["reason"].item()


def test_prc04_unreadable_completion_is_no_fallback(build):
    row = lambda pid, **kw: {"project_id": pid, "actual_completion": None, "acceptance_date": None,
                             "final_accounts_date": None, **kw}
    tables = build(projects=[
        row("U1", acceptance_date="2019-01-01"),                  # completion unreadable: no fall-back
        row("U2", actual_completion="2020-01-01"),                # overdue, final accounts unreadable
        row("U3", actual_completion="2020-08-01"),                # not yet due: judged whatever the cell says
        row("U4"),                                                # no completion, acceptance unreadable
        row("U5", acceptance_date="2019-01-01"),                  # blank completion: the acceptance stands in
    ])
    cells = [("projects", "project_id", "U1", "actual_completion"), ("projects", "project_id", "U2", "final_accounts_date"),
             ("projects", "project_id", "U3", "final_accounts_date"), ("projects", "project_id", "U4", "acceptance_date")]
    found, not_run = run_unknown("PRC04", tables, cells)
    assert set(found["entity_id"]) == {"U5"}
    assert unjudged(not_run, "PRC04") == 2      # U1, U2; U4 has no due day either way


# --- PRC05 tender-before-approval -------------------------------------------------------

def _tender_case(build):
    tender = lambda tid, pid, kind, notice, county="丙县": {
        "tender_id": tid, "project_id": pid, "county": county, "buyer": "某局", "kind": kind,
        "method": "open", "notice_date": notice}
    return build(
        projects=[{"project_id": "P1", "approval_date": "2020-01-01", "design_approval_date": "2020-03-01"},
                  {"project_id": "P2", "approval_date": None, "design_approval_date": "2020-01-01"},
                  {"project_id": "P3", "approval_date": "2019-01-01", "design_approval_date": "2020-10-01"}],
        tenders=[
            tender("T01", "P1", "works", "2020-02-01"),      # before the design approval
            tender("T02", "P1", "works", "2020-03-01"),      # same day
            tender("T03", "P1", "goods", "2019-12-31"),      # goods: project approval
            tender("T04", "P1", "services", "2020-02-01"),   # after approval, before design: fine for services
            tender("T05", "P2", "services", "2020-05-01"),   # no approval_date: design does not stand in
            tender("T06", None, "works", "2020-02-01"),      # no project: out of scope
            tender("T07", "PX", "works", "2020-02-01", county="乙县"),  # project not in the ledger
            tender("T08", "P1", "works", "2020-10-01"),      # notice after as_of
            tender("T09", "P1", "unknown", "2019-01-01"),
            tender("T10", "P3", "works", "2020-05-01"),      # design approval after as_of: lacks it
            tender("T11", "P2", "works", None),              # no notice date, approval present: cannot judge
            tender("T12", "P2", "goods", None),              # no notice date, approval missing: lacks it
        ],
    )


def test_prc05_tender_before_approval(build, run_check):
    found, not_run = run_check("PRC05", _tender_case(build), AS_OF)
    assert not_run.empty
    assert severities(found) == {"T01": "high", "T03": "high", "T05": "medium", "T07": "medium",
                                 "T10": "medium", "T12": "medium"}
    f = by_entity(found)
    assert set(found["entity_type"]) == {"tender"}
    assert f.loc["T01", "county"] == "甲县" and f.loc["T01", "project_id"] == "P1"   # the project's county
    assert f.loc["T07", "county"] == "乙县"                                           # the tender's
    # the kind is a value shown as its class (工程 for works: 工程、货物、服务 as 招标投标法 names them)
    assert f.loc["T01", "detail"] == "招标公告日期2020-02-01（工程），项目初设批复日期2020-03-01"
    assert json.loads(f.loc["T01", "values"]) == {"notice": "2020-02-01", "kind": "works", "approval": "2020-03-01",
                                                  "variant": "design+dated+dated"}
    assert f.loc["T03", "detail"] == "招标公告日期2019-12-31（货物），项目立项批复日期2020-01-01"
    assert f.loc["T05", "detail"].endswith("立项批复日期缺失")
    assert "不在项目台账" in f.loc["T07", "detail"]


def test_prc05_english_not_run_and_empty(build, run_check):
    found, _ = run_check("PRC05", _tender_case(build), AS_OF, lang="en")
    assert by_entity(found).loc["T01", "detail"] == "Tender notice 2020-02-01 (works); project design approval 2020-03-01"
    tables = _tender_case(build)
    del tables["tenders"]
    _, not_run = run_check("PRC05", tables, AS_OF)
    assert "tenders" in not_run["reason"].item()
    tables = _tender_case(build)
    tables["tenders"] = tables["tenders"].iloc[0:0]
    found, not_run = run_check("PRC05", tables, AS_OF)
    assert found.empty and not_run.empty


def test_prc05_unreadable_notice_or_approval(build):
    tables = build(
        projects=[{"project_id": "P1", "approval_date": "2020-01-01", "design_approval_date": None},
                  {"project_id": "P2", "approval_date": None, "design_approval_date": "2020-01-01"}],
        tenders=[{"tender_id": t, "project_id": p, "county": "丙县", "buyer": "某局", "kind": k, "method": "open",
                  "notice_date": n} for t, p, k, n in (
            ("T1", "P1", "works", "2020-02-01"),     # design approval unreadable
            ("T2", "P1", "goods", None),             # notice unreadable (approval present)
            ("T3", "P2", "goods", None),             # notice unreadable, approval missing: might be after as_of
            ("T4", "P2", "works", "2019-12-01"),     # proven: before the design approval
            ("T5", "P1", "goods", "2019-12-01"),     # proven: before the project approval
        )])
    cells = [("projects", "project_id", "P1", "design_approval_date"), ("tenders", "tender_id", "T2", "notice_date"),
             ("tenders", "tender_id", "T3", "notice_date")]
    found, not_run = run_unknown("PRC05", tables, cells)
    assert severities(found) == {"T4": "high", "T5": "high"}
    assert unjudged(not_run, "PRC05") == 2      # T1, T3; T2 would not be reported with a blank notice


# --- PRC06 started-before-award ---------------------------------------------------------

def _award_case(build):
    project = lambda pid, start=START, **kw: {"project_id": pid, "category": "government", "actual_start": start,
                                              **kw}
    tender = lambda tid, pid, award, kind="works": {
        "tender_id": tid, "project_id": pid, "county": "甲县", "buyer": "某局", "kind": kind, "method": "open",
        "notice_date": "2019-12-01", "award_date": award}
    contract = lambda cid, pid, sign, kind="works": {
        "contract_id": cid, "project_id": pid, "supplier_id": "S1", "sign_date": sign, "amount": 1e6, "kind": kind}
    return build(
        projects=[project("P01"), project("P02"), project("P03"), project("P04"), project("P05", category="enterprise"),
                  project("P06"), project("P07"), project("P08", start=None), project("P09", start="2020-10-01"),
                  project("P10"), project("P11", category=None), project("P12")],
        tenders=[
            tender("T01", "P01", "2020-03-02"),                    # awarded the day after the start
            tender("T02", "P02", START),                            # awarded on the start day: in order
            tender("T03", "P03", "2020-04-01"), tender("T03b", "P03", "2020-02-01"),  # the earliest award counts
            tender("T05", "P05", "2020-04-01"),                    # enterprise: out of scope
            tender("T06", "P06", "2020-10-01"),                    # award after as_of: falls back to contracts
            tender("T07", "P07", "2020-04-01", kind="goods"),      # a goods tender is no works award
            tender("T08", "P08", "2020-04-01"),                    # not started
            tender("T09", "P09", "2020-04-01"),                    # starts after as_of
            tender("T10", "P10", None),                            # no award date: falls back to contracts
            tender("T11", "P11", "2020-03-10"),                    # no category counts as government
        ],
        contracts=[
            contract("C04", "P04", "2020-03-15"),                  # no tender: signed after the start
            contract("C06", "P06", "2020-02-01"),                  # signed before the start: in order
            contract("C07", "P07", "2020-05-01", kind="goods"),    # goods contract: out of scope
            contract("C10", "P10", "2020-03-05"), contract("C10b", "P10", "2020-06-01"),
            contract("C12", "P12", "2020-10-01"),                  # signed after as_of: not yet
        ],
    )


def test_prc06_fires_on_award_else_contract(build, run_check):
    found, not_run = run_check("PRC06", _award_case(build), AS_OF)
    assert not_run.empty
    assert severities(found) == {"P01": "high", "P04": "high", "P10": "high", "P11": "high"}
    f = by_entity(found)
    assert f.loc["P01", "detail"] == "实际开工2020-03-01，早于其工程施工招标T01的中标通知日期2020-03-02（先开工后招标）"
    assert f.loc["P04", "detail"] == "实际开工2020-03-01，早于其工程施工合同C04的签订日期2020-03-15（无已定标的工程招标）"
    assert json.loads(f.loc["P10", "values"]) == {"start": START, "ref_id": "C10", "ref_date": "2020-03-05",
                                                  "variant": "contract"}
    assert f.loc["P01", "basis"] == "建筑法 第八条 (已确定建筑施工企业); 招标投标法 第三条 (先开工后招标)"
    assert f.loc["P01", "entity_type"] == "project" and pd.isna(f.loc["P01", "amount"])
    en, _ = run_check("PRC06", _award_case(build), AS_OF, lang="en")
    assert by_entity(en).loc["P01", "detail"] == "Started 2020-03-01, before the award of its works tender T01 on 2020-03-02"


def test_prc06_earliest_award_and_not_run(build, run_check):
    tables = _award_case(build)
    found, _ = run_check("PRC06", tables, AS_OF)
    assert "P03" not in set(found["entity_id"])        # T03b was awarded before the start
    only_contracts = {k: v for k, v in tables.items() if k != "tenders"}
    found, not_run = run_check("PRC06", only_contracts, AS_OF)
    assert not_run.empty and set(found["entity_id"]) == {"P04", "P10"}   # judged on the works contracts only
    _, not_run = run_check("PRC06", {"projects": tables["projects"]}, AS_OF)
    assert "tenders" in not_run["reason"].item() and "contracts" in not_run["reason"].item()
    empty = {k: v.iloc[0:0] for k, v in tables.items()}
    found, not_run = run_check("PRC06", empty, AS_OF)
    assert found.empty and not_run.empty


def test_prc06_unreadable_award_or_start(build):
    tables = _award_case(build)
    tables["tenders"] = pd.concat([tables["tenders"], tables["tenders"].iloc[[0, 1]].assign(
        tender_id=["U01", "U02"], award_date=pd.NaT)], ignore_index=True)
    tables["projects"].loc[tables["projects"]["project_id"] == "P03", "actual_start"] = pd.NaT
    cells = [("tenders", "tender_id", "U01", "award_date"), ("tenders", "tender_id", "U02", "award_date"),
             ("projects", "project_id", "P03", "actual_start")]
    found, not_run = run_unknown("PRC06", tables, cells)
    # P01 would fire, but its second works tender's award might be before the start; P02 is in order
    # whatever U02's award is (it starts on a known award day); P03's unreadable start reads as not started
    assert "P01" not in set(found["entity_id"]) and {"P04", "P10", "P11"} <= set(found["entity_id"])
    assert unjudged(not_run, "PRC06") == 1
