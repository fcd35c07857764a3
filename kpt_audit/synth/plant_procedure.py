"""Planted construction-procedure cases (PRC01-PRC05).

PRC01  non-enterprise project started (actual_start <= as_of) with neither
       approval_date nor fsr_approval_date on or before the start, or with
       design_approval_date missing or later than the start.
  + under construction, no approval and no feasibility approval.
  + under construction, design approved 20 days after the start.
  - no approval_date, but the feasibility approval precedes the start (stand-in).
  - approval and design approval exactly on the start day ("on or before").
  - enterprise project started without any approval (out of scope).
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
