"""Planted plan-execution cases (EXE01-EXE08).  Y0 = as_of's year.

Every central/provincial project given an allocation here also gets a
performance target, so PER04 stays with plant_performance.

EXE01  central_budget/provincial project, funds issued in year Y (fund_year,
       else year of the earliest central/provincial allocation), no
       actual_start on or before 31 Dec Y, and 31 Dec Y before as_of.
  + central, fund_year Y0-2, never started, planned start in Y0-2, a central
    allocation in Y0-2 unspent -> EXE01, EXE05 (planned start passed) and
    EXE02 (the allocation is idle) - the speech's typical case.
  + provincial, no fund_year, earliest provincial allocation 14 months before
    as_of (so in an earlier year), no planned start -> EXE01 and EXE02 (no
    EXE05: nothing planned).
  + central, fund_year Y0-1, started 10 days *after* as_of (a future start
    counts as not started), planned start after as_of -> EXE01 only.
  + central, fund_year Y0-2, started in March Y0-1 (late, after 31 Dec Y) -> EXE01.
  - central, fund_year Y0, not started, planned start after as_of: 31 Dec Y0
    is not before as_of -> nothing.
  - central, fund_year Y0-1, started exactly 31 Dec Y0-1 ("on or before") -> nothing.
EXE02  allocations dated at least 12 months before as_of, less all payments to
       as_of, leave more than 30 % of them unspent.
  + not-started government project with an allocation 20 months old, nothing paid.
  + project under construction: 10,000,000 allocated 15 months ago, 3,000,000
    paid before as_of and 5,000,000 after it (ignored) -> 70 % idle.
  - allocation dated 11 months before as_of, nothing paid (not yet aged).
  - 10,000,000 aged, exactly 7,000,000 paid: 30 % unspent is not "more than".
EXE03  under construction, annual_plan > 0, completed_ytd / annual_plan below
       0.75 x share (share = day-of-year(as_of) / days in year).
  + ratio 0.40 x share; + municipal_key project at 0.20 x share.
  - ratio 0.80 x share (on the safe side of 0.75).
  - suspended project far behind (not under construction).
EXE04  planned_completion before as_of, no actual_completion, status not
       completed/in_operation.
  + under construction, planned completion 90 days ago.
  + suspended, planned completion 300 days ago.
  + under construction, planned completion 60 days ago, actual completion
    dated 20 days after as_of (not yet happened).
  - planned completion exactly on as_of (not before).
  - planned completion passed, no actual_completion, but status completed
    (DQ02 reports the contradiction).
EXE05  non-enterprise project, planned_start before as_of, no actual_start.
  + government project, planned start 200 days ago.
  + municipal_key project, planned start 400 days ago.
  + a project with no category (counts as government-invested), planned start 30 days ago.
  - enterprise project with a passed planned start (out of scope).
  - planned start exactly on as_of (not before).
EXE06  non-enterprise project started at least 90 days before as_of with, by
       as_of (before the start included), no contract, no payment and no
       progress row with investment or physical_pct above 0.
  + government project started 120 days ago, nothing at all.
  + a project with no category, started exactly 90 days ago (at least), whose
    only payment and only contract are dated after as_of (not yet made).
  - started 89 days ago, nothing at all (not yet 90 days).
  - (EXE03's near-miss) started 420 days ago, no contract or payment, progress
    70 % reported.
  - started 200 days ago, no contract or progress, one payment (land
    compensation, no contract).
  - started 420 days ago, no payment or progress, a works contract signed
    before the start.
  - enterprise project started 300 days ago, nothing at all (out of scope).
EXE07  project with a contract signed by as_of whose completed_total exceeds
       1.1 x S (S = contracts' current values by as_of + payments by as_of on
       no contract).
  + contract A, completed_total 1.3 A.
  + contract A with a change +5 % before as_of and +20 % after it (ignored),
    a payment of 5 % A with no contract: S = 1.1 A, completed 1.234 A.
  - completed_total exactly 1.1 x S (not more than).
  - contract A and a payment of 20 % A with no contract; completed 1.25 A
    (above 1.1 A, not above 1.1 x 1.2 A).
  - (EXE06's second case) its only contract is signed after as_of (out of scope).
EXE08  allocations (every level, dated by as_of) above adjusted_budget, else budget.
  + budget 20,000,000, county 12,000,000 + municipal 10,000,000.
  + adjusted budget 25,000,000 (budget 20,000,000), allocations 27,000,000.
  - adjusted budget 30,000,000, allocations 27,000,000 (above the budget only).
  - allocations by as_of exactly equal to the budget; above it only with one
    dated after as_of.
"""
from __future__ import annotations

import pandas as pd

from .kit import Kit

SEWAGE_REASON = "用地指标未落实，征地拆迁未完成"
MATCHING_REASON = "地方配套资金不到位"
SITE_REASON = "项目选址调整，重新办理前期手续"


def plant(kit: Kit) -> None:
    y0 = kit.as_of.year
    dec31 = lambda y: pd.Timestamp(f"{y}-12-31")  # noqa: E731

    # --- EXE01 -------------------------------------------------------------
    p = kit.project("planned", "central_budget", delay_reason=SEWAGE_REASON, fund_year=y0 - 2,
                    planned_start=pd.Timestamp(f"{y0 - 2}-10-01"))
    kit.fund(p, "central", f"{y0 - 2}-06-15", round(p["budget"] * 0.4, -2))
    _targeted(kit, p)
    for c in ("EXE01", "EXE05", "EXE02"):
        kit.expect(c, p["project_id"])

    p = kit.project("planned", "provincial", delay_reason=MATCHING_REASON, fund_year=None, planned_start=None)
    issued = kit.as_of - pd.DateOffset(months=14)  # in an earlier year than as_of, and aged
    kit.fund(p, "county", issued.replace(day=1), 1_000_000.0)
    kit.fund(p, "provincial", issued, round(p["budget"] * 0.3, -2))
    _targeted(kit, p)
    kit.expect("EXE01", p["project_id"])
    kit.expect("EXE02", p["project_id"])

    future_start = kit.day(10)
    p = kit.project("building", "central_budget", fund_year=y0 - 1, status="not_started",
                    actual_start=future_start, planned_start=kit.day(5), annual_plan=0.0, completed_ytd=0.0,
                    completed_total=0.0)
    kit.rows["progress"] = [r for r in kit.rows["progress"] if r["project_id"] != p["project_id"]]
    kit.expect("EXE01", p["project_id"])

    p = kit.project("building", "central_budget", fund_year=y0 - 2)
    late_start = pd.Timestamp(f"{y0 - 1}-03-10")
    _shift_start(p, late_start)
    kit.expect("EXE01", p["project_id"])

    p = kit.project("planned", "central_budget", fund_year=y0)
    kit.fund(p, "central", kit.day(-60), round(p["budget"] * 0.2, -2))
    _targeted(kit, p)
    kit.near("EXE01", p["project_id"], "fund year is as_of's year: 31 Dec is not before as_of")
    p = kit.project("building", "central_budget", fund_year=y0 - 1)
    _shift_start(p, dec31(y0 - 1))
    kit.near("EXE01", p["project_id"], "started exactly on 31 Dec of the fund year")

    # --- EXE02 -------------------------------------------------------------
    p = kit.project("planned", "government")
    kit.fund(p, "county", kit.as_of - pd.DateOffset(months=20), 6_800_000.0)
    kit.expect("EXE02", p["project_id"])

    p = kit.project("building", "government", budget=40_000_000.0)
    kit.fund(p, "county", kit.as_of - pd.DateOffset(months=15), 10_000_000.0)
    t, c = kit.awarded(p, value=20_000_000.0)
    kit.pay(c, 3_000_000.0, kit.day(-100), "advance")
    kit.pay(c, 5_000_000.0, kit.day(15), "progress")
    kit.expect("EXE02", p["project_id"])

    p = kit.project("planned", "government")
    kit.fund(p, "county", kit.as_of - pd.DateOffset(months=11), 5_600_000.0)
    kit.near("EXE02", p["project_id"], "allocation 11 months old: not yet idle")

    p = kit.project("building", "government", budget=40_000_000.0)
    kit.fund(p, "county", kit.as_of - pd.DateOffset(months=15), 10_000_000.0)
    t, c = kit.awarded(p, value=20_000_000.0)
    kit.pay(c, 2_000_000.0, kit.day(-300), "advance")
    kit.pay(c, 5_000_000.0, kit.day(-100), "progress")
    kit.near("EXE02", p["project_id"], "exactly 30% unspent is not more than 30%")

    # --- EXE03 -------------------------------------------------------------
    for factor, cat in ((0.40, "government"), (0.20, "municipal_key")):
        p = kit.project("building", cat, budget=60_000_000.0)
        p["annual_plan"] = 20_000_000.0
        p["completed_ytd"] = round(20_000_000.0 * factor * kit.share, 2)
        if cat == "municipal_key":
            p["delay_reason"] = "征地拆迁进度滞后"
        kit.expect("EXE03", p["project_id"])
    p = kit.project("building", "government", budget=60_000_000.0)
    p["annual_plan"] = 20_000_000.0
    p["completed_ytd"] = round(20_000_000.0 * 0.80 * kit.share, 2)
    kit.near("EXE03", p["project_id"], "completed 0.80 x the elapsed share (threshold 0.75)")
    kit.near("EXE06", p["project_id"], "no contract or payment, but progress of 70 % reported")
    p = kit.project("building", "government", budget=60_000_000.0, status="suspended")
    p["annual_plan"], p["completed_ytd"] = 20_000_000.0, 1_000_000.0
    kit.near("EXE03", p["project_id"], "suspended, not under construction")

    # --- EXE04 -------------------------------------------------------------
    p = kit.project("building", "government", planned_completion=kit.day(-90))
    kit.expect("EXE04", p["project_id"])
    p = kit.project("building", "government", planned_completion=kit.day(-300), status="suspended",
                    delay_reason="资金链断裂，施工单位停工")
    kit.expect("EXE04", p["project_id"])
    p = kit.project("building", "government", planned_completion=kit.day(-60), actual_completion=kit.day(20))
    kit.expect("EXE04", p["project_id"])
    p = kit.project("building", "government", planned_completion=kit.as_of)
    kit.near("EXE04", p["project_id"], "planned completion exactly on as_of")
    p = kit.project("building", "government", planned_completion=kit.day(-45), status="completed",
                    annual_plan=0.0, completed_ytd=0.0)
    kit.near("EXE04", p["project_id"], "status completed although no completion date")
    kit.expect("DQ02", p["project_id"])  # completed with neither actual_completion nor acceptance_date

    # --- EXE05 -------------------------------------------------------------
    for cat, days in (("government", 200), ("municipal_key", 400), (None, 30)):
        p = kit.project("planned", cat, planned_start=kit.day(-days),
                        delay_reason=SITE_REASON if cat == "municipal_key" else None)
        kit.expect("EXE05", p["project_id"])
    p = kit.project("planned", "enterprise", planned_start=kit.day(-150))
    kit.near("EXE05", p["project_id"], "enterprise investment is out of scope")
    p = kit.project("planned", "government", planned_start=kit.as_of)
    kit.near("EXE05", p["project_id"], "planned start exactly on as_of")

    plant_false_start(kit)
    plant_overstated_completion(kit)
    plant_allocated_over_budget(kit)


def plant_false_start(kit: Kit) -> None:
    """EXE06: a start that left no trace by as_of."""
    p = _started(kit, "government", 120)
    kit.expect("EXE06", p["project_id"])
    p = _started(kit, None, 90)
    kit.pay(None, 380_000.0, kit.day(12), "advance", project=p, payee=kit.supplier(p["county"]))
    kit.contract(p, amount=1_800_000.0, sign=kit.day(20), kind="works")
    kit.expect("EXE06", p["project_id"])
    kit.near("EXE07", p["project_id"], "its only contract is signed after as_of")

    p = _started(kit, "government", 89)
    kit.near("EXE06", p["project_id"], "started 89 days ago: not yet 90")
    p = _started(kit, "government", 200)
    kit.pay(None, 1_260_000.0, kit.day(-150), "progress", project=p, payee=kit.supplier(p["county"]))
    kit.near("EXE06", p["project_id"], "a payment (land compensation, no contract)")
    p = kit.project("building", "government")
    kit.rows["progress"] = [r for r in kit.rows["progress"] if r["project_id"] != p["project_id"]]
    kit.awarded(p, value=3_500_000.0)
    kit.near("EXE06", p["project_id"], "a works contract signed two days before the start")
    p = _started(kit, "enterprise", 300)
    kit.near("EXE06", p["project_id"], "enterprise investment is out of scope")


def plant_overstated_completion(kit: Kit) -> None:
    """EXE07: completed investment that contracts and payments do not account for.  completed_total
    is given to kit.project (a template's own would follow its contracts); the contract is the award
    of a 10,000,000 tender at 0.93 of it, A = 9,300,000 (1.1 x A is exactly 10,230,000)."""
    value, ratio = 10_000_000.0, 0.93
    a = round(value * ratio, 2)

    p = kit.project("building", "government", budget=40_000_000.0, completed_total=round(a * 1.3, 2))
    kit.awarded(p, value=value, ratio=ratio)
    kit.expect("EXE07", p["project_id"])

    p = kit.project("building", "government", budget=40_000_000.0, completed_total=round(a * 1.234, 2))
    _, c = kit.awarded(p, value=value, ratio=ratio)
    kit.change(c, kit.day(-200), round(a * 0.05, 2))
    kit.change(c, kit.day(30), round(a * 0.20, 2))  # after as_of: not yet agreed
    kit.pay(None, round(a * 0.05, 2), kit.day(-120), "progress", project=p, payee=kit.supplier(p["county"]))
    kit.expect("EXE07", p["project_id"])

    p = kit.project("building", "government", budget=40_000_000.0, completed_total=round(a * 1.1, 2))
    kit.awarded(p, value=value, ratio=ratio)
    kit.near("EXE07", p["project_id"], "completed exactly 1.1 x the contract")
    p = kit.project("building", "government", budget=40_000_000.0, completed_total=round(a * 1.25, 2))
    kit.awarded(p, value=value, ratio=ratio)
    kit.pay(None, round(a * 0.2, 2), kit.day(-90), "progress", project=p, payee=kit.supplier(p["county"]))
    kit.near("EXE07", p["project_id"], "a payment with no contract accounts for the rest")


def plant_allocated_over_budget(kit: Kit) -> None:
    """EXE08: more money allocated than the (adjusted) budget."""
    p = kit.project("building", "government", budget=20_000_000.0)
    kit.fund(p, "county", kit.day(-150), 12_000_000.0)
    kit.fund(p, "municipal", kit.day(-90), 10_000_000.0)
    kit.expect("EXE08", p["project_id"])
    p = kit.project("building", "government", budget=20_000_000.0, adjusted_budget=25_000_000.0)
    kit.fund(p, "county", kit.day(-150), 27_000_000.0)
    kit.expect("EXE08", p["project_id"])

    p = kit.project("building", "government", budget=20_000_000.0, adjusted_budget=30_000_000.0)
    kit.fund(p, "county", kit.day(-150), 27_000_000.0)
    kit.near("EXE08", p["project_id"], "above the budget, within the adjusted budget")
    p = kit.project("building", "government", budget=20_000_000.0)
    kit.fund(p, "county", kit.day(-150), 15_000_000.0)
    kit.fund(p, "municipal", kit.day(-60), 5_000_000.0)
    kit.fund(p, "municipal", kit.day(10), 8_000_000.0)
    kit.near("EXE08", p["project_id"], "by as_of exactly the budget; over it only with an allocation after as_of")


def _started(kit: Kit, category, days_ago: int) -> dict:
    """A building template started ``days_ago`` days before as_of (approvals and permits before it),
    with no contract, no payment and no progress rows."""
    p = kit.project("building", category)
    _shift_start(p, kit.day(-days_ago))
    kit.rows["progress"] = [r for r in kit.rows["progress"] if r["project_id"] != p["project_id"]]
    return p


def _targeted(kit: Kit, p: dict) -> None:
    """A performance target for a funded central/provincial project (PER04 is planted elsewhere)."""
    kit.target(p, "投资超概率(%)", 5.0, 0.0, "lower_better")


def _shift_start(p: dict, start: pd.Timestamp) -> None:
    """Move a building template's start (and the permits just before it) to ``start``."""
    p["actual_start"] = p["planned_start"] = start
    p["construction_permit_date"] = start - pd.Timedelta(days=5)
    for col in ("approval_date", "fsr_approval_date", "design_approval_date", "land_approval_date",
                "eia_approval_date", "planning_permit_date"):
        if p[col] is not None and p[col] > start:
            p[col] = start - pd.Timedelta(days=10)
