"""EXE01–08 and the EXE county tables, on small hand-made frames."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from kpt_audit.checks import run_checks
from kpt_audit.checks.execution import classify_delay_reasons, year_elapsed_share
from kpt_audit.params import load_params
from conftest import unjudged  # tests/checks/conftest.py

AS_OF = "2020-09-25"


def entity_ids(findings):
    return sorted(findings["entity_id"].tolist())


def detail_of(findings, entity):
    return findings.loc[findings["entity_id"] == entity, "detail"].item()


def with_unknown(tables, *cells):
    """A dataset whose loader could not read ``cells``: (table, row label, column, value)."""
    return SimpleNamespace(tables=tables, unknown=pd.DataFrame(list(cells), columns=["table", "row", "column",
                                                                                     "value"]))




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


def test_exe01_amount_is_central_and_provincial_allocations_by_as_of(build, run_check):
    tables = build(
        projects=[{"project_id": "P1", "category": "central_budget", "fund_year": 2019, "actual_start": None},
                  {"project_id": "P2", "category": "provincial", "fund_year": 2019, "actual_start": None}],
        funds=[{"fund_id": "F1", "project_id": "P1", "level": "central", "date": "2019-03-01", "amount": 3e6},
               {"fund_id": "F2", "project_id": "P1", "level": "provincial", "date": "2019-05-01", "amount": 2e6},
               {"fund_id": "F3", "project_id": "P1", "level": "county", "date": "2019-05-01", "amount": 9e6},
               {"fund_id": "F4", "project_id": "P1", "level": "central", "date": "2020-10-01", "amount": 7e6}],
    )
    found, _ = run_check("EXE01", tables, AS_OF)
    amounts = found.set_index("entity_id")["amount"]
    # county money and the allocation after as_of do not count; a project with none on record has 0
    assert amounts.to_dict() == {"P1": 5e6, "P2": 0.0}
    assert "已下达中央和省级资金500.00万元" in detail_of(found, "P1")
    del tables["funds"]
    found, _ = run_check("EXE01", tables, AS_OF)
    assert found["amount"].isna().all() and "无下达记录" in detail_of(found, "P1")


def _window_case(build):
    up = lambda i, p, d, level="central": {"fund_id": i, "project_id": p, "level": level, "date": d,  # noqa: E731
                                           "amount": 1e6}
    proj = lambda p, start, year=2019: {"project_id": p, "category": "central_budget",  # noqa: E731
                                        "fund_year": year, "actual_start": start}
    return build(
        projects=[proj("LATE_MONEY", "2020-03-01"),    # funded in November: 6 months run to 2020-05-15
                  proj("EARLY_MONEY", "2019-09-01"),   # funded in January: due 2019-07-10
                  proj("ON_DAY", "2020-02-29"),        # 2019-08-31 + 6 months clips to 2020-02-29
                  proj("DAY_AFTER", "2020-03-01"),
                  proj("NO_MONEY", None),              # nothing dated: 31 Dec of its fund year
                  proj("NOT_DUE", None, 2020),         # 2020-04-01 + 6 months is after as_of
                  proj("COUNTY_ONLY", "2019-11-01")],  # a county allocation does not set the window
        funds=[up("F1", "LATE_MONEY", "2019-11-15"), up("F2", "EARLY_MONEY", "2019-01-10"),
               up("F3", "EARLY_MONEY", "2019-02-10", "provincial"), up("F4", "ON_DAY", "2019-08-31"),
               up("F5", "DAY_AFTER", "2019-08-31"), up("F6", "NOT_DUE", "2020-04-01"),
               up("F7", "COUNTY_ONLY", "2019-01-05", "county")],
    )


def test_exe01_start_window_months(build, run_check):
    tables = _window_case(build)
    # null (the default): 31 December of the fund year
    found, _ = run_check("EXE01", tables, AS_OF)
    assert entity_ids(found) == ["DAY_AFTER", "LATE_MONEY", "NO_MONEY", "ON_DAY"]
    found, not_run = run_check("EXE01", tables, AS_OF, start_window_months=6)
    assert not_run.empty
    assert entity_ids(found) == ["DAY_AFTER", "EARLY_MONEY", "NO_MONEY"]
    by = found.set_index("entity_id")
    assert json.loads(by.loc["EARLY_MONEY", "values"])["deadline"] == "2019-07-10"
    assert json.loads(by.loc["DAY_AFTER", "values"])["deadline"] == "2020-02-29"
    assert json.loads(by.loc["NO_MONEY", "values"])["deadline"] == "2019-12-31"
    assert by.loc["EARLY_MONEY", "detail"] == (
        "2019年下达资金（据资金下达年度），应于最早中央/省级资金下达日期2019-01-10后6个月内即2019-07-10前开工，"
        "实际开工2019-09-01；截至审计基准日已下达中央和省级资金200.00万元")
    assert by.loc["NO_MONEY", "detail"].startswith("2019年下达资金（据资金下达年度），应于2019-12-31前开工，")
    found, _ = run_check("EXE01", tables, AS_OF, lang="en", start_window_months=6)
    assert "due to start within 6 months of the earliest central/provincial allocation 2019-01-10, by " \
           "2019-07-10" in detail_of(found, "EARLY_MONEY")


def test_exe01_start_window_applies_to_the_year_taken_from_allocations(build, run_check):
    tables = build(projects=[{"project_id": "P1", "category": "provincial", "fund_year": None,
                              "actual_start": "2020-02-01"}],
                   funds=[{"fund_id": "F1", "project_id": "P1", "level": "provincial", "date": "2019-12-20",
                           "amount": 1e6}])
    assert entity_ids(run_check("EXE01", tables, AS_OF)[0]) == ["P1"]
    assert run_check("EXE01", tables, AS_OF, start_window_months=3)[0].empty
    found, _ = run_check("EXE01", tables, AS_OF, start_window_months=1)
    assert json.loads(found["values"].item())["deadline"] == "2020-01-20"


def test_exe01_unreadable_start_or_fund_year_is_not_judged(build, run_check):
    tables = build(
        projects=[{"project_id": "P1", "category": "central_budget", "fund_year": 2019, "actual_start": None},
                  {"project_id": "P2", "category": "central_budget", "fund_year": None, "actual_start": None},
                  {"project_id": "P3", "category": "central_budget", "fund_year": 2020, "actual_start": None},
                  {"project_id": "P4", "category": "central_budget", "fund_year": 2019, "actual_start": None}],
        funds=[{"fund_id": "F1", "project_id": "P2", "level": "central", "date": "2018-03-01", "amount": 1e6}])
    plain, _ = run_check("EXE01", tables, AS_OF)
    assert entity_ids(plain) == ["P1", "P2", "P4"]
    data = with_unknown(tables, ("projects", 0, "actual_start", "2021年13月1日"),
                        ("projects", 1, "fund_year", "二〇一九"),      # the allocation year would stand in
                        ("projects", 2, "actual_start", "2020-13-01"))  # not yet due: no finding either way
    found, not_run = run_check("EXE01", data, AS_OF)
    assert entity_ids(found) == ["P4"]
    assert unjudged(not_run, "EXE01") == 2


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


def test_exe03_exactly_on_the_line_on_a_day_whose_share_is_not_a_round_number(build, run_check):
    # 2021-01-04: share 4/365; 0.75 x 4/365 is 3/365, which 3 / 365 matches only up to floating point
    uc = "under_construction"
    tables = build(projects=[
        {"project_id": "ON", "status": uc, "annual_plan": 365, "completed_ytd": 3},
        {"project_id": "ON4", "status": uc, "annual_plan": 1460, "completed_ytd": 12},
        {"project_id": "UNDER", "status": uc, "annual_plan": 365, "completed_ytd": 2.99}])
    found, _ = run_check("EXE03", tables, "2021-01-04")
    assert entity_ids(found) == ["UNDER"]
    found, _ = run_check("EXE03", build(projects=[{"project_id": "ON", "status": uc, "annual_plan": 1460,
                                                   "completed_ytd": 3}]), "2021-01-01")
    assert found.empty


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
    # amounts are yuan to the fen (1e6 x 269/366 - 500,000 = 234,972.677595...)
    assert found.set_index("entity_id").loc["P1", "amount"] == 234_972.68


def test_exe03_unreadable_completed_ytd_is_not_read_as_zero(build, run_check):
    uc = "under_construction"
    tables = build(projects=[{"project_id": "P1", "status": uc, "annual_plan": 1e6, "completed_ytd": None},
                             {"project_id": "P2", "status": uc, "annual_plan": 1e6, "completed_ytd": None},
                             {"project_id": "P3", "status": uc, "annual_plan": None, "completed_ytd": 0}])
    found, not_run = run_check("EXE03", with_unknown(tables, ("projects", 0, "completed_ytd", "约50万"),
                                                     ("projects", 2, "annual_plan", "约100万")), AS_OF)
    assert entity_ids(found) == ["P2"] and unjudged(not_run, "EXE03") == 1


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


def test_exe04_unreadable_actual_completion_is_not_judged(build, run_check):
    tables = build(projects=[
        {"project_id": "P1", "planned_completion": "2020-01-01", "status": "under_construction"},
        {"project_id": "P2", "planned_completion": "2020-01-01", "status": "completed"},   # done by status
        {"project_id": "P3", "planned_completion": "2020-01-01", "status": "under_construction"},
    ])
    data = with_unknown(tables, ("projects", 0, "actual_completion", "2019-02-30"),
                        ("projects", 1, "actual_completion", "2019-02-30"))
    found, not_run = run_check("EXE04", data, AS_OF)
    assert entity_ids(found) == ["P3"] and unjudged(not_run, "EXE04") == 1


def test_exe04_needs_one_of_actual_completion_and_status(build, run_check):
    """Either column tells a completion; with neither, nothing does (every overdue plan would be reported)."""
    for known in ({"status": "under_construction"}, {"actual_completion": None}):
        tables = build(projects=[{"project_id": "P1", "planned_completion": "2020-01-01", **known}])
        found, not_run = run_check("EXE04", tables, AS_OF)
        assert not_run.empty and entity_ids(found) == ["P1"]
    found, not_run = run_check("EXE04", build(projects=[{"project_id": "P1", "planned_completion": "2020-01-01"}]),
                               AS_OF)
    assert found.empty and not_run["reason"].item() == "projects: column(s) actual_completion and status missing"
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


def test_exe05_a_start_is_proven_by_a_date_and_an_unreadable_one_is_not_judged(build, run_check):
    tables = build(projects=[
        # status says under construction, but no start date: EXE05 fires (DQ02 shows the contradiction)
        {"project_id": "P1", "category": "government", "status": "under_construction",
         "planned_start": "2020-03-01"},
        {"project_id": "P2", "category": "government", "status": "under_construction",
         "planned_start": "2020-03-01"},
        {"project_id": "P3", "category": "enterprise", "planned_start": "2020-03-01"},   # out of scope anyway
    ])
    tables["projects"]["actual_start"] = pd.Series(pd.NaT, index=tables["projects"].index, dtype="datetime64[ns]")
    data = with_unknown(tables, ("projects", 1, "actual_start", "2021年13月1日"),
                        ("projects", 2, "actual_start", "2021年13月1日"))
    found, not_run = run_check("EXE05", data, AS_OF)
    assert entity_ids(found) == ["P1"] and unjudged(not_run, "EXE05") == 1


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


# --- EXE06 false-start ---------------------------------------------------------------

def _false_start_case(build, progress=True):
    def proj(pid, days_ago, category="government"):
        start = (pd.Timestamp(AS_OF) - pd.Timedelta(days=days_ago)).strftime("%Y-%m-%d") if days_ago else None
        return {"project_id": pid, "category": category, "actual_start": start}

    tables = dict(
        projects=[proj("NOTHING", 120), proj("AT_90", 90), proj("AT_89", 89), proj("CONTRACT_BEFORE", 200),
                  proj("PAID", 200), proj("PROGRESS_INVEST", 200), proj("PROGRESS_ZERO", 200),
                  proj("PROGRESS_PCT", 200), proj("ENTERPRISE", 200, "enterprise"), proj("NO_CATEGORY", 200, None),
                  proj("CONTRACT_LATER", 200), proj("PAID_LATER", 200), proj("PROGRESS_LATER", 200),
                  proj("NOT_STARTED", None)],
        contracts=[{"contract_id": "C1", "project_id": "CONTRACT_BEFORE", "supplier_id": "S",
                    "sign_date": "2019-01-01", "amount": 1e6},
                   {"contract_id": "C2", "project_id": "CONTRACT_LATER", "supplier_id": "S",
                    "sign_date": "2020-10-01", "amount": 1e6}],
        payments=[{"payment_id": "Y1", "project_id": "PAID", "payee_id": "S", "date": "2020-08-01", "amount": 5e4},
                  {"payment_id": "Y2", "project_id": "PAID_LATER", "payee_id": "S", "date": "2020-09-26",
                   "amount": 5e4}],
    )
    if progress:
        tables["progress"] = [
            {"project_id": "PROGRESS_INVEST", "month": "2020-05", "investment": 1e5, "physical_pct": 0},
            {"project_id": "PROGRESS_ZERO", "month": "2020-05", "investment": 0, "physical_pct": 0},
            {"project_id": "PROGRESS_PCT", "month": "2020-06", "investment": None, "physical_pct": 5},
            {"project_id": "PROGRESS_LATER", "month": "2020-10", "investment": 1e5, "physical_pct": 5},
            {"project_id": "NOTHING", "month": "2020-06", "investment": 0, "physical_pct": None}]
    return build(**tables)


def test_exe06_false_start(build, run_check):
    found, not_run = run_check("EXE06", _false_start_case(build), AS_OF)
    assert not_run.empty
    # started at least 90 days ago and no contract, payment or progress by as_of (later ones do not count)
    assert entity_ids(found) == ["AT_90", "CONTRACT_LATER", "NOTHING", "NO_CATEGORY", "PAID_LATER",
                                 "PROGRESS_LATER", "PROGRESS_ZERO"]
    assert set(found["severity"]) == {"high"} and found["amount"].isna().all()
    assert detail_of(found, "NOTHING") == ("实际开工2020-05-28，至2020-09-25已120天（不少于90天），"
                                           "截至审计基准日无合同签订、无付款记录，月度进度无完成投资和形象进度")
    found, _ = run_check("EXE06", _false_start_case(build), AS_OF, false_start_days=121)
    assert "NOTHING" not in entity_ids(found) and "AT_90" not in entity_ids(found) and len(found) == 5


def test_exe06_without_progress_table_and_not_run(build, run_check):
    tables = _false_start_case(build, progress=False)
    found, not_run = run_check("EXE06", tables, AS_OF, lang="en")
    assert not_run.empty
    assert "PROGRESS_INVEST" in entity_ids(found)
    assert detail_of(found, "NOTHING") == ("Started 2020-05-28, 120 days before 2020-09-25 (at least 90); by then "
                                           "no contract signed and no payment (no progress table)")
    for table in ("contracts", "payments"):
        partial = {k: v for k, v in tables.items() if k != table}
        found, not_run = run_check("EXE06", partial, AS_OF)
        assert found.empty and table in not_run["reason"].item()


def test_exe06_unreadable_progress_is_not_judged(build, run_check):
    tables = _false_start_case(build)
    # NOTHING's progress row (index 4) held an unreadable physical_pct, PROGRESS_ZERO's (1) an investment
    data = with_unknown(tables, ("progress", 4, "physical_pct", "约30%"), ("progress", 1, "investment", "约3万"))
    found, not_run = run_check("EXE06", data, AS_OF)
    assert "NOTHING" not in entity_ids(found) and "PROGRESS_ZERO" not in entity_ids(found)
    assert unjudged(not_run, "EXE06") == 2


# --- EXE07 overstated-completion -------------------------------------------------------

def _overstated_case(build):
    contract = lambda c, p, amount, sign="2019-05-01": {"contract_id": c, "project_id": p,  # noqa: E731
                                                         "supplier_id": "S", "sign_date": sign, "amount": amount}
    pay = lambda i, p, amount, cid=None, date="2020-06-01": {"payment_id": i, "project_id": p,  # noqa: E731
                                                             "contract_id": cid, "payee_id": "S", "date": date,
                                                             "amount": amount}
    return build(
        projects=[{"project_id": "EXACT", "completed_total": 11_000_000},          # exactly 1.1 x 10,000,000
                  {"project_id": "ABOVE", "completed_total": 11_000_000.01},
                  {"project_id": "CHANGED", "completed_total": 12_200_000},       # 10.5 M + 0.5 M loose = 11 M
                  {"project_id": "LOOSE", "completed_total": 12_000_000},         # S = 10 M + 0.6 M without contract_id
                  {"project_id": "LATE_ONLY", "completed_total": 50_000_000},     # its contract after as_of
                  {"project_id": "NO_TOTAL", "completed_total": None},
                  {"project_id": "NO_CONTRACT", "completed_total": 9e6}],
        contracts=[contract("C1", "EXACT", 1e7), contract("C2", "ABOVE", 4e6), contract("C3", "ABOVE", 6e6),
                   contract("C4", "CHANGED", 1e7), contract("C5", "LOOSE", 1e7),
                   contract("C6", "LATE_ONLY", 1e6, "2020-10-01"), contract("C7", "NO_TOTAL", 1e6),
                   contract("C8", "LOOSE", 1e6, "2020-10-01")],
        contract_changes=[{"contract_id": "C4", "date": "2020-01-01", "amount_delta": 8e5},
                          {"contract_id": "C4", "date": "2020-02-01", "amount_delta": -3e5},
                          {"contract_id": "C4", "date": "2020-10-01", "amount_delta": 5e6}],   # after as_of
        payments=[pay("Y1", "EXACT", 3e6, "C1"),            # on its own contract: already in S
                  pay("Y2", "CHANGED", 5e5),
                  pay("Y3", "CHANGED", 9e6, date="2020-10-01"),   # after as_of
                  pay("Y4", "LOOSE", 6e5),
                  pay("Y5", "LOOSE", 2e5, "C8"),            # on a contract signed after as_of: not in S
                  pay("Y6", "LOOSE", 2e5, "C1")],           # on another project's contract: not in S
    )


def test_exe07_overstated_completion(build, run_check):
    found, not_run = run_check("EXE07", _overstated_case(build), AS_OF)
    assert not_run.empty
    assert entity_ids(found) == ["ABOVE", "CHANGED", "LOOSE"]
    by = found.set_index("entity_id")
    # S counts only payments with no contract_id (checks.md): 12 M > 1.1 x (10 M + 0.6 M)
    assert by.loc["LOOSE", "amount"] == pytest.approx(1_400_000)
    assert json.loads(by.loc["LOOSE", "values"])["loose"] == 600_000
    assert by.loc["ABOVE", "amount"] == pytest.approx(1_000_000.01)
    assert by.loc["CHANGED", "amount"] == pytest.approx(1_200_000) and by.loc["CHANGED", "severity"] == "medium"
    assert json.loads(by.loc["CHANGED", "values"]) == {
        "completed": 12_200_000, "supported": 11_000_000, "contracts": 1, "contracted": 10_500_000,
        "loose": 500_000, "ratio": pytest.approx(12.2 / 11), "limit": 1.1}
    assert by.loc["ABOVE", "detail"] == ("累计完成投资1,100.00万元，为已有支撑额1,000.00万元（2份合同现值1,000.00万元，"
                                         "未对应合同的付款0.00万元）的110.0%，超过110%")
    found, _ = run_check("EXE07", _overstated_case(build), AS_OF, overstate_margin=0.2)
    assert found.empty


def test_exe07_exactly_on_a_margin_floating_point_does_not_hold_exactly(build, run_check):
    # 1.15 x 100 is 114.99999999999999: a completion of 115 is on the line, not above it
    tables = build(projects=[{"project_id": "ON", "completed_total": 115}, {"project_id": "ON7", "completed_total": 805},
                             {"project_id": "ABOVE", "completed_total": 115.01}],
                   contracts=[{"contract_id": c, "project_id": p, "supplier_id": "S", "sign_date": "2019-05-01",
                               "amount": a} for c, p, a in (("C1", "ON", 100), ("C2", "ON7", 700), ("C3", "ABOVE", 100))])
    found, _ = run_check("EXE07", tables, AS_OF, overstate_margin=0.15)
    assert entity_ids(found) == ["ABOVE"]


def test_exe07_runs_without_payments_or_changes_and_not_run_without_contracts(build, run_check):
    tables = _overstated_case(build)
    del tables["payments"], tables["contract_changes"]
    found, not_run = run_check("EXE07", tables, AS_OF)
    # CHANGED: 12.2 M against its contract alone (10 M); LOOSE: 12 M against 10 M
    assert not_run.empty and entity_ids(found) == ["ABOVE", "CHANGED", "LOOSE"]
    del tables["contracts"]
    _, not_run = run_check("EXE07", tables, AS_OF)
    assert "contracts" in not_run["reason"].item()


# --- EXE08 allocated-over-budget ---------------------------------------------------------

def _over_budget_case(build):
    fund = lambda i, p, amount, level="county", date="2020-03-01": {"fund_id": i, "project_id": p,  # noqa: E731
                                                                     "level": level, "date": date, "amount": amount}
    return build(
        projects=[{"project_id": "OVER", "budget": 2e7, "adjusted_budget": None},
                  {"project_id": "EQUAL", "budget": 2e7, "adjusted_budget": None},
                  {"project_id": "ADJUSTED_UP", "budget": 2e7, "adjusted_budget": 3e7},
                  {"project_id": "ADJUSTED_DOWN", "budget": 2e7, "adjusted_budget": 1.5e7},
                  {"project_id": "LATE", "budget": 2e7, "adjusted_budget": None},
                  {"project_id": "NONE", "budget": None, "adjusted_budget": None}],
        funds=[fund("F1", "OVER", 1.2e7, "central"), fund("F2", "OVER", 8e6, "provincial"),
               fund("F3", "OVER", 1e6, "self"),
               fund("F4", "EQUAL", 2e7), fund("F5", "ADJUSTED_UP", 2.7e7), fund("F6", "ADJUSTED_DOWN", 1.6e7),
               fund("F7", "LATE", 1.5e7), fund("F8", "LATE", 8e6, date="2020-10-01"), fund("F9", "NONE", 1e9)],
    )


def test_exe08_allocated_over_budget(build, run_check):
    found, not_run = run_check("EXE08", _over_budget_case(build), AS_OF)
    assert not_run.empty
    assert entity_ids(found) == ["ADJUSTED_DOWN", "OVER"]
    by = found.set_index("entity_id")
    assert by["amount"].to_dict() == {"ADJUSTED_DOWN": 1e6, "OVER": 1e6}
    assert set(found["severity"]) == {"high"}
    assert by.loc["OVER", "detail"] == "截至2020-09-25下达各级资金2,100.00万元，超过批复概算2,000.00万元，超出100.00万元"
    assert "调整概算1,500.00万元" in by.loc["ADJUSTED_DOWN", "detail"]
    en, _ = run_check("EXE08", _over_budget_case(build), AS_OF, lang="en")
    assert en.set_index("entity_id").loc["ADJUSTED_DOWN", "detail"] == (
        "Allocated by 2020-09-25: 16,000,000 yuan, above the adjusted budget 15,000,000 yuan by 1,000,000 yuan")


def test_exe08_without_adjusted_budget_column_and_not_run(build, run_check):
    tables = _over_budget_case(build)
    tables["projects"] = tables["projects"].drop(columns="adjusted_budget")
    found, _ = run_check("EXE08", tables, AS_OF)
    assert entity_ids(found) == ["ADJUSTED_UP", "OVER"]   # judged against its budget alone
    tables["projects"] = tables["projects"].drop(columns="budget")
    found, not_run = run_check("EXE08", tables, AS_OF)
    assert found.empty and "budget" in not_run["reason"].item()
    _, not_run = run_check("EXE08", {"projects": _over_budget_case(build)["projects"]}, AS_OF)
    assert "funds" in not_run["reason"].item()


def test_exe08_unreadable_adjusted_budget_is_not_judged(build, run_check):
    tables = _over_budget_case(build)
    # OVER's adjusted budget (row 0) could not be read: its budget would stand in for it
    found, not_run = run_check("EXE08", with_unknown(tables, ("projects", 0, "adjusted_budget", "约3000万")), AS_OF)
    assert entity_ids(found) == ["ADJUSTED_DOWN"] and unjudged(not_run, "EXE08") == 1
    # an unreadable budget under a readable adjusted budget changes nothing
    found, not_run = run_check("EXE08", with_unknown(tables, ("projects", 3, "budget", "约2000万")), AS_OF)
    assert entity_ids(found) == ["ADJUSTED_DOWN", "OVER"] and not_run.empty


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


def test_start_rate_is_started_over_projects_with_an_unreadable_start_not_started(build, run_all):
    tables = _county_case(build)
    # A2 (row 1) had a start date the loader could not read: not a start; still one of the projects
    # (checks.md: start rate = started / projects)
    data = with_unknown(tables, ("projects", 1, "actual_start", "2021年13月1日"))
    params = load_params(as_of=AS_OF)
    params.county_overrides.clear()
    result = run_checks(data, params, checks=[])
    a = result.metrics["exe_by_county"].set_index("county").loc["甲县"]
    assert a["projects"] == 3 and a["started"] == 1 and a["start_rate"] == pytest.approx(1 / 3)
    unstarted = result.metrics["unstarted_by_fund_year"]
    assert set(zip(unstarted["county"], unstarted["fund_year"])) == {("甲县", 2020)}


def test_completion_rates_leave_out_a_project_whose_completion_or_plan_could_not_be_read(build, run_all):
    """An unreadable 年度完成投资 is no 0 lowering the county's rate: the project is left out of both sides of
    the rate (its readable plan still summed in annual_plan); likewise 累计完成投资 and 总投资."""
    tables = _county_case(build)
    tables["projects"].loc[1, ["completed_ytd", "completed_total"]] = np.nan  # A2's cells emptied by the loader
    data = with_unknown(tables, ("projects", 1, "completed_ytd", "约30万"), ("projects", 1, "completed_total", "约30万"))
    a = run_all(data, AS_OF, checks=[]).metrics["exe_by_county"].set_index("county").loc["甲县"]
    assert a["annual_plan"] == 2e6 and a["completed_ytd"] == 5e5
    assert a["annual_completion"] == 0.5           # A1 alone: 5e5 / 1e6 (was 5e5 / 2e6, A2 read as 0)
    assert a["total_investment"] == 5e6 and a["cumulative_completion"] == 0.5    # 2e6 / 4e6
    # an unreadable plan leaves its project's completion out the same way
    tables = _county_case(build)
    tables["projects"].loc[0, "annual_plan"] = np.nan
    data = with_unknown(tables, ("projects", 0, "annual_plan", "约100万"))
    a = run_all(data, AS_OF, checks=[]).metrics["exe_by_county"].set_index("county").loc["甲县"]
    assert a["annual_plan"] == 1e6 and a["completed_ytd"] == 5e5 and a["annual_completion"] == 0.0  # A2: 0 / 1e6


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


def test_a_delay_reason_written_as_none_is_no_reason(build, run_all):
    tables = build(projects=[{"project_id": f"D{i}", "county": "甲县", "delay_reason": r}
                             for i, r in enumerate(["无", "-", "不详", "/", "天气原因", " ", "暂无", "没有"])])
    table = run_all(tables, AS_OF, checks=[]).metrics["delay_reasons"]
    assert table.values.tolist() == [["甲县", "other", 1]]


def test_classify_delay_reasons_keywords():
    text = pd.Series(["用地规划调整", "ＥＩＡ pending", "环保督察", "Land acquisition", "自筹资金不足",
                      "雨季", None])
    flags = classify_delay_reasons(text)
    assert flags.loc[0, ["land", "preliminary"]].all() and not flags.loc[0, "other"]
    assert flags.loc[1, "environment"] and flags.loc[2, "environment"]
    assert flags.loc[3, "land"] and flags.loc[4, "funding"]
    assert flags.loc[5, "other"] and flags.loc[5].sum() == 1


def test_exe01_counts_a_countys_unjudged_projects_under_its_own_window(build):
    """甲县's own start_window_months (6) makes N1 a would-be finding whose unreadable start leaves it
    unjudged; under the city's calendar year (2020-12-31 not yet past) it could not have been one."""
    funds = [{"fund_id": f"F{i}", "project_id": p, "level": "central", "date": "2019-08-01", "amount": 1e6}
             for i, p in enumerate(("N1", "N2"))]
    tables = build(projects=[{"project_id": "N1", "category": "central_budget", "fund_year": 2020, "actual_start": None},
                             {"project_id": "N2", "category": "central_budget", "fund_year": 2020, "actual_start": None}],
                   funds=funds)
    data = with_unknown(tables, ("projects", 0, "actual_start", "2020年2月30日"))
    params = load_params(as_of="2020-03-01")
    params.county_overrides.clear()
    result = run_checks(data, params, checks=["EXE01"])
    assert result.findings.empty and result.not_run.empty
    params.county_overrides["甲县"] = {"start_window_months": 6}
    result = run_checks(data, params, checks=["EXE01"])
    assert list(result.findings["entity_id"]) == ["N2"] and unjudged(result.not_run, "EXE01") == 1
