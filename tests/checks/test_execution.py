"""EXE01–05 and the EXE county tables, on small hand-made frames."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from kpt_audit.checks.execution import classify_delay_reasons, year_elapsed_share

AS_OF = "2020-09-25"


def entity_ids(findings):
    return sorted(findings["entity_id"].tolist())


def detail_of(findings, entity):
    return findings.loc[findings["entity_id"] == entity, "detail"].item()


# --- EXE01 funded-not-started ----------------------------------------------------

def test_exe01_fires_for_funded_project_not_started_in_its_year(build, run_check):
    tables = build(projects=[
        {"project_id": "P1", "category": "central_budget", "fund_year": 2019, "county": "乙县"},
        {"project_id": "P2", "category": "provincial", "fund_year": 2019, "actual_start": "2019-12-31"},
        {"project_id": "P3", "category": "provincial", "fund_year": 2019, "actual_start": "2020-01-01"},
        {"project_id": "P4", "category": "central_budget", "fund_year": 2020},
        {"project_id": "P5", "category": "municipal_key", "fund_year": 2019},
        {"project_id": "P6", "category": "enterprise", "fund_year": 2019},
        {"project_id": "P7", "category": None, "fund_year": 2019},
    ])
    found, not_run = run_check("EXE01", tables, AS_OF)
    assert not_run.empty
    # P2 started on the last day of Y (on or before); P4's year has not ended
    assert entity_ids(found) == ["P1", "P3"]
    assert set(found["severity"]) == {"high"}
    assert found.set_index("entity_id").loc["P1", "county"] == "乙县"
    assert "2019-12-31" in detail_of(found, "P1") and "仍未开工" in detail_of(found, "P1")
    assert "实际开工2020-01-01" in detail_of(found, "P3")


def test_exe01_deadline_must_be_before_as_of(build, run_check):
    tables = build(projects=[{"project_id": "P1", "category": "central_budget", "fund_year": 2019,
                              "actual_start": None}])
    assert run_check("EXE01", tables, "2019-12-31")[0].empty
    assert entity_ids(run_check("EXE01", tables, "2020-01-01")[0]) == ["P1"]


def test_exe01_year_from_earliest_upper_allocation_when_no_fund_year(build, run_check):
    tables = build(
        projects=[
            {"project_id": "P1", "category": "central_budget", "fund_year": None, "actual_start": None},
            {"project_id": "P2", "category": "provincial", "fund_year": None, "actual_start": None},
            {"project_id": "P3", "category": "provincial", "fund_year": 2020, "actual_start": None},
            {"project_id": "P4", "category": "central_budget", "fund_year": None, "actual_start": None},
        ],
        funds=[
            # a county allocation does not set the year; the provincial one of 2019 does
            {"fund_id": "F0", "project_id": "P1", "level": "county", "date": "2018-05-01", "amount": 1e6},
            {"fund_id": "F1", "project_id": "P1", "level": "provincial", "date": "2019-03-01", "amount": 2e6},
            {"fund_id": "F2", "project_id": "P1", "level": "central", "date": "2019-06-01", "amount": 3e6},
            # P2's only allocation is after as_of: not issued yet, no year
            {"fund_id": "F3", "project_id": "P2", "level": "central", "date": "2020-10-01", "amount": 1e6},
            # fund_year wins over the allocation year
            {"fund_id": "F4", "project_id": "P3", "level": "central", "date": "2019-01-01", "amount": 1e6},
            {"fund_id": "F5", "project_id": "P4", "level": "central", "date": "2020-02-01", "amount": 1e6},
        ],
    )
    found, _ = run_check("EXE01", tables, AS_OF)
    assert entity_ids(found) == ["P1"]
    detail = detail_of(found, "P1")
    assert "据最早中央/省级资金下达日期2019-03-01" in detail and "500.00万元" in detail


def test_exe01_implausible_fund_year_gives_no_finding(build, run_check):
    tables = build(projects=[{"project_id": "P1", "category": "central_budget", "fund_year": 99999,
                              "actual_start": None},
                             {"project_id": "P2", "category": "central_budget", "fund_year": 2018,
                              "actual_start": None}])
    found, not_run = run_check("EXE01", tables, AS_OF)
    assert not_run.empty and entity_ids(found) == ["P2"]
    assert detail_of(found, "P2").startswith("2018年下达资金（据资金下达年度），应于2018-12-31前开工")


def test_exe01_start_after_as_of_has_not_happened(build, run_check):
    tables = build(projects=[{"project_id": "P1", "category": "central_budget", "fund_year": 2019,
                              "actual_start": "2020-10-01"}])
    found, _ = run_check("EXE01", tables, AS_OF)
    assert entity_ids(found) == ["P1"]
    assert "仍未开工" in detail_of(found, "P1")


def test_exe01_not_run_without_inputs(build, run_check):
    no_start = build(projects=[{"project_id": "P1", "category": "central_budget", "fund_year": 2019}])
    _, not_run = run_check("EXE01", no_start, AS_OF)
    assert not_run["check_id"].tolist() == ["EXE01"] and "actual_start" in not_run["reason"].item()
    no_year = build(projects=[{"project_id": "P1", "category": "central_budget", "actual_start": None}])
    _, not_run = run_check("EXE01", no_year, AS_OF)
    assert "fund_year" in not_run["reason"].item()


def test_exe01_english_detail(build, run_check):
    tables = build(projects=[{"project_id": "P1", "category": "central_budget", "fund_year": 2019,
                              "actual_start": None}])
    found, _ = run_check("EXE01", tables, AS_OF, lang="en")
    assert found["title"].item() == "Funded but not started in the year"
    assert "not started by 2020-09-25" in found["detail"].item()


# --- EXE02 idle-funds --------------------------------------------------------------

def _funds_case(build):
    fund = lambda i, p, d, a: {"fund_id": i, "project_id": p, "level": "central", "date": d, "amount": a}
    pay = lambda i, p, d, a: {"payment_id": i, "project_id": p, "payee_id": "S1", "date": d, "amount": a}
    return build(
        projects=[{"project_id": f"P{i}"} for i in range(1, 6)],
        funds=[fund("F1", "P1", "2019-09-25", 1e6),   # exactly 12 months before as_of: aged
               fund("F2", "P2", "2019-09-26", 1e6),   # one day too recent
               fund("F3", "P3", "2019-01-01", 1e6),
               fund("F4", "P4", "2019-01-01", 1e6), fund("F5", "P4", "2020-06-01", 5e5),
               fund("F6", "P5", "2018-01-01", 1e6)],
        payments=[pay("Y1", "P1", "2020-01-01", 6e5),
                  pay("Y3", "P3", "2020-01-01", 7e5),   # leaves exactly 30 %: not more than
                  pay("Y4", "P4", "2020-08-01", 8e5),   # every payment counts against the aged money
                  pay("Y5", "P5", "2020-10-01", 8e5)],  # after as_of: not yet paid
    )


def test_exe02_flags_unspent_aged_allocations(build, run_check):
    found, not_run = run_check("EXE02", _funds_case(build), AS_OF)
    assert not_run.empty
    assert entity_ids(found) == ["P1", "P5"]
    amounts = found.set_index("entity_id")["amount"]
    assert amounts["P1"] == 400_000 and amounts["P5"] == 1_000_000
    detail = detail_of(found, "P1")
    for value in ("2019-09-25", "100.00万元", "60.00万元", "40.00万元", "40.0%", "30.0%"):
        assert value in detail
    values = json.loads(found.set_index("entity_id").loc["P1", "values"])   # as values: yuan, dates, fractions
    assert values == {"cutoff": "2019-09-25", "aged": 1e6, "as_of": AS_OF, "paid": 6e5, "unspent": 4e5,
                      "share": 0.4, "min_share": 0.3}


def test_exe02_month_arithmetic_and_share_parameters(build, run_check):
    found, _ = run_check("EXE02", _funds_case(build), AS_OF, idle_months=6)
    # cutoff 2020-03-25: P2's allocation is now aged; P4's June money still is not
    assert entity_ids(found) == ["P1", "P2", "P5"]
    found, _ = run_check("EXE02", _funds_case(build), AS_OF, idle_min_share=0.25)
    assert entity_ids(found) == ["P1", "P3", "P5"]


def test_exe02_not_run_and_empty(build, run_check):
    tables = _funds_case(build)
    del tables["payments"]
    _, not_run = run_check("EXE02", tables, AS_OF)
    assert "payments" in not_run["reason"].item()
    empty = build(projects=[{"project_id": "P1"}],
                  funds=pd.DataFrame(columns=["fund_id", "project_id", "level", "date", "amount"]),
                  payments=pd.DataFrame(columns=["payment_id", "project_id", "payee_id", "date", "amount"]))
    found, not_run = run_check("EXE02", empty, AS_OF)
    assert found.empty and not_run.empty


# --- EXE03 behind-schedule -----------------------------------------------------------

def test_year_elapsed_share():
    assert year_elapsed_share(pd.Timestamp("2020-12-31")) == 1.0
    assert year_elapsed_share(pd.Timestamp("2021-12-31")) == 1.0
    assert year_elapsed_share(pd.Timestamp("2020-09-25")) == 269 / 366
    assert year_elapsed_share(pd.Timestamp("2021-01-01")) == 1 / 365


def test_exe03_boundary_at_year_end(build, run_check):
    uc = "under_construction"
    tables = build(projects=[
        {"project_id": "P1", "status": uc, "annual_plan": 1e6, "completed_ytd": 750_000},   # exactly 0.75
        {"project_id": "P2", "status": uc, "annual_plan": 1e6, "completed_ytd": 749_999},
        {"project_id": "P3", "status": "suspended", "annual_plan": 1e6, "completed_ytd": 0},
        {"project_id": "P4", "status": uc, "annual_plan": 0, "completed_ytd": 0},
        {"project_id": "P5", "status": uc, "annual_plan": 1e6, "completed_ytd": None},
        {"project_id": "P6", "status": None, "annual_plan": 1e6, "completed_ytd": 0},
    ])
    found, _ = run_check("EXE03", tables, "2020-12-31")
    assert entity_ids(found) == ["P2", "P5"]
    assert found.set_index("entity_id")["amount"].to_dict() == {"P2": 250_001, "P5": 1e6}
    assert set(found["severity"]) == {"medium"}


def test_exe03_time_share_mid_year(build, run_check):
    uc = "under_construction"
    tables = build(projects=[
        {"project_id": "P1", "status": uc, "annual_plan": 1e6, "completed_ytd": 500_000},
        {"project_id": "P2", "status": uc, "annual_plan": 1e6, "completed_ytd": 560_000},
    ])
    found, _ = run_check("EXE03", tables, AS_OF)
    # line = 0.75 x 269/366 = 55.1 %
    assert entity_ids(found) == ["P1"]
    assert found["amount"].item() == pytest.approx(1e6 * 269 / 366 - 500_000)
    detail = found["detail"].item()
    assert "100.00万元" in detail and "50.00万元" in detail and "73.5%" in detail and "55.1%" in detail
    found, _ = run_check("EXE03", tables, AS_OF, behind_factor=0.8)
    assert entity_ids(found) == ["P1", "P2"]


def test_exe03_not_run_without_completed_ytd(build, run_check):
    tables = build(projects=[{"project_id": "P1", "status": "under_construction", "annual_plan": 1e6}])
    _, not_run = run_check("EXE03", tables, AS_OF)
    assert "completed_ytd" in not_run["reason"].item()


# --- EXE04 completion-overdue ---------------------------------------------------------

def test_exe04_overdue_completion(build, run_check):
    tables = build(projects=[
        {"project_id": "P1", "planned_completion": "2020-09-24", "status": "under_construction"},
        {"project_id": "P2", "planned_completion": "2020-09-25"},   # due on as_of: not before it
        {"project_id": "P3", "planned_completion": "2020-01-01", "actual_completion": "2020-02-01"},
        {"project_id": "P4", "planned_completion": "2020-01-01", "status": "completed"},
        {"project_id": "P5", "planned_completion": "2020-01-01", "status": "in_operation"},
        {"project_id": "P6", "planned_completion": "2020-01-01", "actual_completion": "2020-10-01"},
        {"project_id": "P7", "planned_completion": None},
    ])
    found, _ = run_check("EXE04", tables, AS_OF)
    assert entity_ids(found) == ["P1", "P6"]
    assert "2020-09-24" in detail_of(found, "P1") and "2020-09-25" in detail_of(found, "P1")


def test_exe04_runs_without_optional_columns(build, run_check):
    tables = build(projects=[{"project_id": "P1", "planned_completion": "2020-01-01"}])
    found, not_run = run_check("EXE04", tables, AS_OF)
    assert not_run.empty and entity_ids(found) == ["P1"]
    _, not_run = run_check("EXE04", build(projects=[{"project_id": "P1"}]), AS_OF)
    assert "planned_completion" in not_run["reason"].item()


# --- EXE05 start-overdue ----------------------------------------------------------------

def test_exe05_start_overdue_outside_enterprise(build, run_check):
    tables = build(projects=[
        {"project_id": "P1", "category": "central_budget", "planned_start": "2020-03-01"},
        {"project_id": "P2", "category": "enterprise", "planned_start": "2020-03-01"},
        {"project_id": "P3", "category": None, "planned_start": "2020-03-01"},
        {"project_id": "P4", "category": "government", "planned_start": "2020-09-25"},
        {"project_id": "P5", "category": "government", "planned_start": "2020-03-01", "actual_start": "2020-04-01"},
        {"project_id": "P6", "category": "government", "planned_start": "2020-03-01", "actual_start": "2020-10-01"},
    ])
    found, _ = run_check("EXE05", tables, AS_OF)
    assert entity_ids(found) == ["P1", "P3", "P6"]
    assert "2020-03-01" in detail_of(found, "P1")


def test_exe05_not_run_and_empty(build, run_check):
    _, not_run = run_check("EXE05", build(projects=[{"project_id": "P1", "planned_start": "2020-01-01"}]), AS_OF)
    assert "actual_start" in not_run["reason"].item()
    empty = build(projects=pd.DataFrame(columns=["project_id", "project_name", "county", "planned_start",
                                                 "actual_start"]))
    found, not_run = run_check("EXE05", empty, AS_OF)
    assert found.empty and not_run.empty


def test_exe01_and_exe05_fire_together(build, run_all):
    tables = build(projects=[{"project_id": "P1", "category": "central_budget", "fund_year": 2019,
                              "planned_start": "2019-05-01", "actual_start": None}])
    found = run_all(tables, AS_OF, checks=["EXE01", "EXE05"]).findings
    assert sorted(found["check_id"]) == ["EXE01", "EXE05"]


# --- county tables ------------------------------------------------------------------

def _county_case(build):
    return build(
        projects=[
            {"project_id": "A1", "county": "甲县", "fund_year": 2019, "actual_start": "2019-05-01",
             "annual_plan": 1e6, "completed_ytd": 5e5, "total_investment": 4e6, "completed_total": 2e6,
             "delay_reason": "征地拆迁未完成，配套资金未到位"},
            {"project_id": "A2", "county": "甲县", "fund_year": 2019, "actual_start": None,
             "annual_plan": 1e6, "completed_ytd": 0, "total_investment": 1e6, "completed_total": 0,
             "delay_reason": "Preliminary design approval pending"},
            {"project_id": "A3", "county": "甲县", "fund_year": 2020, "actual_start": "2020-10-01",
             "annual_plan": 0, "completed_ytd": 0, "total_investment": 0, "completed_total": 0,
             "delay_reason": "  "},
            {"project_id": "B1", "county": "乙县", "fund_year": None, "actual_start": "2020-01-01",
             "annual_plan": 0, "completed_ytd": 0, "total_investment": 0, "completed_total": 0,
             "delay_reason": "天气原因"},
        ],
        funds=[
            {"fund_id": "F1", "project_id": "A1", "level": "central", "date": "2019-01-10", "amount": 2e6},
            {"fund_id": "F2", "project_id": "A2", "level": "provincial", "date": "2019-02-10", "amount": 1e6},
            {"fund_id": "F3", "project_id": "A2", "level": "county", "date": "2020-10-10", "amount": 9e6},
        ],
        payments=[
            {"payment_id": "Y1", "project_id": "A1", "payee_id": "S", "date": "2019-06-01", "amount": 1.5e6},
            {"payment_id": "Y2", "project_id": "B1", "payee_id": "S", "date": "2020-02-01", "amount": 7e5},
            {"payment_id": "Y3", "project_id": "A1", "payee_id": "S", "date": "2020-10-01", "amount": 5e5},
        ],
    )


def test_exe_by_county_hand_count(build, run_all):
    result = run_all(_county_case(build), AS_OF, checks=["EXE02"])
    table = result.metrics["exe_by_county"].set_index("county")
    assert list(table.index) == ["乙县", "甲县"]   # code-point order
    a = table.loc["甲县"]
    assert a["projects"] == 3 and a["started"] == 1          # A3 starts after as_of
    assert a["start_rate"] == pytest.approx(1 / 3)
    assert a["annual_plan"] == 2e6 and a["completed_ytd"] == 5e5 and a["annual_completion"] == 0.25
    assert a["total_investment"] == 5e6 and a["cumulative_completion"] == 0.4
    assert a["allocated"] == 3e6 and a["paid"] == 1.5e6 and a["payment_rate"] == 0.5
    # EXE02: A2's 1,000,000 is wholly unspent; A1 spent 75 % of its aged 2,000,000
    assert a["idle_funds"] == 1e6
    b = table.loc["乙县"]
    # B1 has payments but no allocation: not counted in paid; rates with a 0 denominator are empty
    assert b["projects"] == 1 and b["started"] == 1 and b["allocated"] == 0 and b["paid"] == 0
    assert pd.isna(b["payment_rate"]) and pd.isna(b["annual_completion"])
    assert b["idle_funds"] == 0


def test_exe_by_fund_year_hand_count(build, run_all):
    table = run_all(_county_case(build), AS_OF, checks=["EXE02"]).metrics["exe_by_fund_year"]
    assert list(table.columns[:3]) == ["county", "fund_year", "projects"]
    rows = {(r.county, int(r.fund_year)): r for r in table.itertuples()}
    assert set(rows) == {("甲县", 2019), ("甲县", 2020)}     # B1 has no fund_year
    y2019 = rows[("甲县", 2019)]
    assert y2019.projects == 2 and y2019.started == 1 and y2019.allocated == 3e6 and y2019.idle_funds == 1e6
    assert rows[("甲县", 2020)].started == 0 and pd.isna(rows[("甲县", 2020)].payment_rate)


def test_exe_tables_without_funds_leave_money_empty(build, run_all):
    tables = _county_case(build)
    del tables["funds"]
    table = run_all(tables, AS_OF, checks=[]).metrics["exe_by_county"].set_index("county")
    assert table["allocated"].isna().all() and table["paid"].isna().all() and table["idle_funds"].isna().all()
    assert table.loc["甲县", "projects"] == 3


def test_unstarted_by_fund_year(build, run_all):
    table = run_all(_county_case(build), AS_OF, checks=[]).metrics["unstarted_by_fund_year"]
    rows = {(r.county, int(r.fund_year)): (r.projects, r.central, r.provincial) for r in table.itertuples()}
    # A2 (2019) is unstarted with 1,000,000 provincial; A3 (2020) starts only after as_of
    assert rows == {("甲县", 2019): (1, 0.0, 1e6), ("甲县", 2020): (1, 0.0, 0.0)}


def test_delay_reasons_hand_count(build, run_all):
    table = run_all(_county_case(build), AS_OF, checks=[]).metrics["delay_reasons"]
    got = {(r.county, r.reason): r.projects for r in table.itertuples()}
    assert got == {("甲县", "land"): 1, ("甲县", "funding"): 1, ("甲县", "preliminary"): 1,
                   ("乙县", "other"): 1}
    assert list(table.columns) == ["county", "reason", "projects"]


def test_classify_delay_reasons_keywords():
    text = pd.Series(["用地规划调整", "ＥＩＡ pending", "环保督察", "Land acquisition", "自筹资金不足",
                      "雨季", None])
    flags = classify_delay_reasons(text)
    assert flags.loc[0, ["land", "preliminary"]].all() and not flags.loc[0, "other"]
    assert flags.loc[1, "environment"] and flags.loc[2, "environment"]
    assert flags.loc[3, "land"] and flags.loc[4, "funding"]
    assert flags.loc[5, "other"] and flags.loc[5].sum() == 1
