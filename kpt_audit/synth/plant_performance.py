"""Planted performance cases (PER01-PER04).

PER01  actual_completion - planned_completion > 90 days.
  + 200 days late.  + 91 days late.  - exactly 90 days late.
PER02  completed (acceptance_date, else actual_completion) more than 180 days
       before as_of, no operation_date, status not in_operation.
  + status completed, accepted ~16 months ago, never operated.
  + status completed, no acceptance, completed ~17 months ago (fallback date).
  - accepted 150 days ago, not yet operating.
  - status in_operation although operation_date is missing.
PER03  actual < target x 0.8 (higher_better, the default), or actual > target x 1.2 (lower_better).
  + higher_better 100 -> 70.  + lower_better 10 -> 13.  + no direction, 50 -> 30.
  - higher_better 100 -> 82.  - lower_better 10 -> 11.9.
PER04  central_budget/provincial project with an allocation (any level) dated on
       or before as_of and no row in the targets table.
  + central_budget project, central allocation 100 days ago, no target.
  + provincial project whose only allocation is a county one, no target.
  - central_budget project, allocated, with one target.
  - central_budget project whose only allocation is dated after as_of.
  - municipal_key project, allocated, no target (out of scope).
"""
from __future__ import annotations

import pandas as pd

from .kit import Kit

DAY = pd.Timedelta(days=1)


def plant(kit: Kit) -> None:
    for late, fires in ((200, True), (91, True), (90, False)):
        p = kit.project("operating")
        p["planned_completion"] = p["actual_completion"] - late * DAY
        if fires:
            kit.expect("PER01", p["project_id"])
        else:
            kit.near("PER01", p["project_id"], "exactly 90 days late")

    p = kit.project("operating", status="completed", operation_date=None)
    kit.expect("PER02", p["project_id"])
    p = kit.project("operating", status="completed", operation_date=None, acceptance_date=None)
    kit.expect("PER02", p["project_id"])
    completion = kit.day(-170)
    p = kit.project("operating", status="completed", operation_date=None, actual_completion=completion,
                    planned_completion=completion - 10 * DAY, acceptance_date=kit.day(-150),
                    final_accounts_date=kit.day(-140))
    kit.near("PER02", p["project_id"], "accepted 150 days ago")
    p = kit.project("operating", operation_date=None)
    kit.near("PER02", p["project_id"], "status in_operation")

    p = kit.project("operating")
    kit.expect("PER03", kit.target(p, "污水日处理能力(吨)", 100.0, 70.0, "higher_better"))
    kit.expect("PER03", kit.target(p, "单位处理成本(元/吨)", 10.0, 13.0, "lower_better"))
    p = kit.project("operating")
    kit.expect("PER03", kit.target(p, "受益农户(户)", 50.0, 30.0, None))
    kit.near("PER03", kit.target(p, "设计规模完成率(%)", 100.0, 82.0, "higher_better"), "82% of target")
    kit.near("PER03", kit.target(p, "超概算率(%)", 10.0, 11.9, "lower_better"), "11.9 against a 12 ceiling")

    # PER04: planned projects (funds recent, so not idle; fund year as_of's, so not yet due to start)
    p = kit.project("planned", "central_budget")
    kit.fund(p, "central", kit.day(-100), round(p["budget"] * 0.2, -2))
    kit.expect("PER04", p["project_id"])
    p = kit.project("planned", "provincial")
    kit.fund(p, "county", kit.day(-80), round(p["budget"] * 0.1, -2))
    kit.expect("PER04", p["project_id"])
    p = kit.project("planned", "central_budget")
    kit.fund(p, "central", kit.day(-100), round(p["budget"] * 0.2, -2))
    kit.target(p, "新增污水处理能力(吨/日)", 5000.0, 5000.0, "higher_better")
    kit.near("PER04", p["project_id"], "one performance target recorded")
    p = kit.project("planned", "central_budget")
    kit.fund(p, "central", kit.day(20), round(p["budget"] * 0.2, -2))
    kit.near("PER04", p["project_id"], "its only allocation is dated after as_of")
    p = kit.project("planned", "municipal_key")
    kit.fund(p, "municipal", kit.day(-100), round(p["budget"] * 0.2, -2))
    kit.near("PER04", p["project_id"], "municipal_key: not central or provincial money")
