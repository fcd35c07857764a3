"""Planted construction-procedure cases (PRC01-PRC06; checks.md revision 2).

PRC01  non-enterprise project started (actual_start <= as_of) with neither
       approval_date nor fsr_approval_date on or before the start, or with
       design_approval_date missing or later than the start.  The basis follows
       the start: 国发〔2004〕20号 to 2019-06-30, 政府投资条例 from 2019-07-01.
  + under construction (started 2019-08), no approval and no feasibility approval.
  + under construction (started 2019-08), design approved 20 days after the start.
  + in operation, started 2018-04 (the earlier basis), design approval missing.
  - no approval_date, but the feasibility approval precedes the start (stand-in);
    once for a start in 2019-08, once in 2018-04.
  - approval and design approval exactly on the start day ("on or before").
  - enterprise project started without any approval (out of scope).
  - design approval typed 2019年6月31日 (unreadable), project approval in order:
    nothing else is wrong, so no finding may rest on it (partly judged; DQ01 reports it).
PRC02  started non-enterprise project whose land, planning, EIA or
       construction permit date is missing or later than the start; no
       construction permit needed when total_investment <= 300,000.
  + construction permit missing, total investment tens of millions.
  + EIA approved 30 days after the start.
  - construction permit missing, total investment exactly 300,000 (exempt).
  - land approval exactly on the start day.
PRC03  operation_date set, acceptance_date missing or later.
  + in operation, never accepted.
  + accepted 30 days after going into operation.
  - operation dated after as_of (not yet), no acceptance; completed 60 days ago
    (so PER02/PRC04 are not due either).
  - accepted and put into operation on the same day.
PRC04  due day = actual_completion (else acceptance_date) + 3 months, before
       as_of, and final_accounts_date missing or later than it.
  + completed ~17 months ago, no final accounts.
  + final accounts compiled 5 months after completion.
  + no actual_completion, accepted ~16 months ago, no final accounts (fallback).
  - final accounts exactly on the due day (completion on the 15th of a month).
  - completed 80 days ago, no final accounts (due day after as_of).
PRC06  non-enterprise project started before the earliest award (on or before as_of)
       of its works tenders, else before the earliest signing of its works contracts.
  + under construction, its works tender awarded 50 days after the start.
  + under construction, no tender, its works contract signed 20 days after the start
    (1,500,000: under the works threshold, so no PRO01).
  - works tender awarded on the start day (not earlier than the start).
  - enterprise project, works tender awarded after the start (out of scope).
  - works tender awarded after as_of, no works contract (nothing to compare).
  - goods tender awarded after the start, no works tender or contract.
PRC05  project-linked tender whose notice_date precedes the project's
       design_approval_date (works) or approval_date (goods/services), or
       whose project lacks that date.
  + works tender noticed 10 days before the design approval.
  + services tender of a project with no approval_date (only a feasibility
    approval, which is no stand-in here).
  - works tender noticed on the design approval day.
  - goods tender noticed before the design approval but after the approval.
  - tender with no project (departmental purchase), out of scope.
"""
from __future__ import annotations

import pandas as pd

from .kit import Kit

DAY = pd.Timedelta(days=1)
UNREADABLE_DESIGN = "2019年6月31日"


def plant(kit: Kit) -> None:
    # --- PRC01 -------------------------------------------------------------
    p = kit.project("building", approval_date=None, fsr_approval_date=None)
    kit.expect("PRC01", p["project_id"])
    p = kit.project("building")
    p["design_approval_date"] = p["actual_start"] + 20 * DAY
    kit.expect("PRC01", p["project_id"])
    p = kit.project("building", approval_date=None)
    kit.near("PRC01", p["project_id"], "feasibility approval stands in for the project approval")
    p = kit.project("building")
    p["approval_date"] = p["design_approval_date"] = p["actual_start"]
    kit.near("PRC01", p["project_id"], "approval and design approval on the start day")
    p = kit.project("building", "enterprise")
    for col in ("approval_date", "fsr_approval_date", "design_approval_date", "land_approval_date",
                "planning_permit_date", "eia_approval_date", "construction_permit_date"):
        p[col] = None
    kit.near("PRC01", p["project_id"], "enterprise investment is out of scope")
    kit.near("PRC02", p["project_id"], "enterprise investment is out of scope")
    # the start before 2019-07-01: the earlier basis (国发〔2004〕20号) is cited
    p = kit.project("operating", design_approval_date=None)
    kit.expect("PRC01", p["project_id"])
    p = kit.project("operating", approval_date=None)
    kit.near("PRC01", p["project_id"], "started 2018: feasibility approval stands in for the project approval")
    p = kit.project("building")
    kit.write_as("projects", p, "design_approval_date", UNREADABLE_DESIGN)
    kit.expect("DQ01", f"projects|{p['project_id']}|design_approval_date")
    kit.near("PRC01", p["project_id"], "design approval unreadable: not taken as missing (partly judged)")

    # --- PRC02 -------------------------------------------------------------
    p = kit.project("building", construction_permit_date=None, budget=52_000_000.0)
    kit.expect("PRC02", p["project_id"])
    p = kit.project("building")
    p["eia_approval_date"] = p["actual_start"] + 30 * DAY
    kit.expect("PRC02", p["project_id"])
    p = kit.project("building", construction_permit_date=None, budget=300_000.0)
    kit.near("PRC02", p["project_id"], "total investment exactly 300,000 needs no construction permit")
    p = kit.project("building")
    p["land_approval_date"] = p["actual_start"]
    kit.near("PRC02", p["project_id"], "land approval on the start day")

    # --- PRC03 -------------------------------------------------------------
    p = kit.project("operating", acceptance_date=None)
    kit.expect("PRC03", p["project_id"])
    p = kit.project("operating")
    p["acceptance_date"] = p["operation_date"] + 30 * DAY
    kit.expect("PRC03", p["project_id"])
    p = kit.project("operating", status="completed", actual_completion=kit.day(-60),
                    planned_completion=kit.day(-75), acceptance_date=None, operation_date=kit.day(20),
                    final_accounts_date=None)
    kit.near("PRC03", p["project_id"], "operation dated after as_of has not happened yet")
    p = kit.project("operating")
    p["acceptance_date"] = p["operation_date"]
    kit.near("PRC03", p["project_id"], "accepted and operating the same day")

    # --- PRC04 -------------------------------------------------------------
    p = kit.project("operating", final_accounts_date=None)
    kit.expect("PRC04", p["project_id"])
    p = kit.project("operating")
    p["final_accounts_date"] = p["actual_completion"] + pd.DateOffset(months=5)
    kit.expect("PRC04", p["project_id"])
    p = kit.project("operating", actual_completion=None, final_accounts_date=None)
    kit.expect("PRC04", p["project_id"])
    completion = (kit.as_of - pd.DateOffset(months=17)).replace(day=15)
    p = kit.project("operating", actual_completion=completion, planned_completion=completion - 10 * DAY,
                    acceptance_date=completion + 10 * DAY, operation_date=completion + 20 * DAY,
                    final_accounts_date=completion + pd.DateOffset(months=3))
    kit.near("PRC04", p["project_id"], "final accounts exactly on the due day")
    completion = kit.day(-80)
    p = kit.project("operating", actual_completion=completion, planned_completion=completion - 10 * DAY,
                    acceptance_date=completion + 10 * DAY, operation_date=completion + 15 * DAY,
                    final_accounts_date=None)
    kit.near("PRC04", p["project_id"], "due day (completion + 3 months) is after as_of")

    # --- PRC05 -------------------------------------------------------------
    p = kit.project("building")
    notice = p["design_approval_date"] - 10 * DAY
    t = kit.tender(p, "works", notice_date=notice, bid_deadline=notice + 25 * DAY, award_date=notice + 32 * DAY)
    kit.expect("PRC05", t["tender_id"])
    p = kit.project("building", approval_date=None)
    t = kit.tender(p, "services", value=800_000.0)
    kit.expect("PRC05", t["tender_id"])
    p = kit.project("building")
    notice = p["design_approval_date"]
    t = kit.tender(p, "works", notice_date=notice, bid_deadline=notice + 25 * DAY, award_date=notice + 32 * DAY)
    kit.near("PRC05", t["tender_id"], "works tender noticed on the design approval day")
    p = kit.project("building")
    notice = p["design_approval_date"] - 10 * DAY
    t = kit.tender(p, "goods", notice_date=notice, bid_deadline=notice + 25 * DAY, award_date=notice + 32 * DAY)
    kit.near("PRC05", t["tender_id"], "goods tender needs only the project approval, which came first")
    t = kit.tender(None, "goods", value=2_600_000.0)
    kit.near("PRC05", t["tender_id"], "tender without project is out of scope")

    _started_before_award(kit)


def _award_dates(kit: Kit, award) -> dict:
    """A tender's dates for an award on ``award`` (bid period 25 days, award 7 days after the deadline)."""
    award = pd.Timestamp(award)
    return dict(notice_date=award - 32 * DAY, bid_deadline=award - 7 * DAY, award_date=award)


def _started_before_award(kit: Kit) -> None:
    # --- PRC06 -------------------------------------------------------------
    # building: design approved at -460, started at -420; notices from -410 follow the design approval (PRC05)
    p = kit.project("building")
    t = kit.tender(p, "works", **_award_dates(kit, p["actual_start"] + 50 * DAY))
    kit.contract(p, t, sign=t["award_date"] + 5 * DAY)
    kit.expect("PRC06", p["project_id"])
    p = kit.project("building")
    kit.contract(p, None, amount=1_500_000.0, sign=p["actual_start"] + 20 * DAY, kind="works")
    kit.expect("PRC06", p["project_id"])
    p = kit.project("building")
    t = kit.tender(p, "works", **_award_dates(kit, p["actual_start"]))
    kit.contract(p, t, sign=t["award_date"] + 5 * DAY)
    kit.near("PRC06", p["project_id"], "works tender awarded on the start day")
    p = kit.project("building", "enterprise")
    t = kit.tender(p, "works", **_award_dates(kit, p["actual_start"] + 50 * DAY))
    kit.contract(p, t, sign=t["award_date"] + 5 * DAY)
    kit.near("PRC06", p["project_id"], "enterprise investment is out of scope")
    p = kit.project("building")
    kit.tender(p, "works", **_award_dates(kit, kit.day(20)))
    kit.near("PRC06", p["project_id"], "works award dated after as_of, no works contract: nothing to compare")
    p = kit.project("building")
    t = kit.tender(p, "goods", value=1_500_000.0, **_award_dates(kit, p["actual_start"] + 50 * DAY))
    kit.contract(p, t, sign=t["award_date"] + 5 * DAY)
    kit.near("PRC06", p["project_id"], "only a goods tender: no works award to compare")
