"""Planted cost-control cases (COS01-COS11).  Money amounts are yuan.

Payment scenarios sit on projects under construction (progress 70 % at
as_of's month, so COS05 allows paid/contract up to 0.9 and COS08 does not
apply) unless the check needs a completed project.

COS01  budget > estimate x 1.10.
  + 10,000,000 -> 12,000,000.  + 50,000,000 -> 60,000,000.
  - 10,000,000 -> 10,950,000 (9.5 %).
COS02  max(completed_total, payments to the project) > budget.
  + completed_total 11,000,000 on a 10,000,000 budget.
  + 10,500,000 paid on a 10,000,000 budget (contract audited at 10,600,000).
  - completed_total exactly equal to the budget.
COS03  positive amount_delta sum > 10 % of the contract amount.
  + +600,000 +600,000 -500,000 on 10,000,000 (positives 12 %, signed 7 %).
  + +800,000 on 5,000,000.
  - +1,000,000 on 10,000,000 (exactly 10 %).
  - +300,000 before as_of and +2,000,000 dated after as_of (ignored).
COS04  payments on a contract exceed its settled value.
  + audited 4,800,000 on a 5,000,000 contract, 5,000,000 paid (completed project).
  + settlement_amount 3,000,000 (not audited), 3,200,000 paid in progress payments.
  - paid exactly the audited value.
  - 4,000,000 paid before as_of on a 4,000,000 settlement, 500,000 more after as_of.
COS05  under construction: non-advance payments to as_of / contracts' current
       value > latest physical_pct (month not after as_of) / 100 + 0.2.
  + contract 10,000,000, progress 30 %, 1,000,000 advance + 6,000,000 progress (0.60 > 0.50).
  + contract 10,000,000, 20 % at as_of's month but 90 % reported for the next
    month (ignored), 5,000,000 progress paid (0.50 > 0.40).
  - progress 30 %, 3,000,000 advance + 4,500,000 progress (0.45; advances excluded).
COS06  same payee, amount and non-empty invoice_no; or, both without invoice,
       same payee, amount, contract within 7 days.  Entity: the later payment.
  + same invoice number, 40 days apart.  + no invoices, same contract, 3 days apart.
  - no invoices, 8 days apart.  - same amount and payee, different invoice numbers.
COS07  payment dated before its contract's sign_date.
  + 10 days before.  + 60 days before.  - on the signing day.
COS08  project accepted more than 60 days before as_of, contract unpaid
       (settled - paid) > 3 % of settled.
  + accepted ~16 months ago, 80 % of the audited 10,000,000 paid.
  + accepted 140 days ago, 4,000,000 of a 5,000,000 settlement paid.
  - accepted 40 days ago, half paid.
  - 2.5 % unpaid (9,750,000 of 10,000,000).
COS09  see plant_cost.benford_counties (a county, not planted here).
COS10  payment on a contract to a payee other than the contractor.
  + two cases (a subcontractor paid directly).
  - payment without contract to another payee (land compensation).
COS11  payment of type final on a contract with no audited_settlement.
  + two cases (settlement submitted, not audited).
  - a final payment dated after as_of on an unaudited contract.
  - a progress payment on an unaudited contract.
"""
from __future__ import annotations

import pandas as pd

from .kit import Kit

DAY = pd.Timedelta(days=1)


def plant(kit: Kit) -> None:
    _budgets(kit)
    _contract_money(kit)
    _payments(kit)
    _arrears_and_final(kit)


def _budgets(kit: Kit) -> None:
    for estimate, budget in ((10e6, 12e6), (50e6, 60e6)):
        p = kit.project("operating", budget=budget, estimate=estimate)
        kit.expect("COS01", p["project_id"])
    p = kit.project("operating", budget=10_950_000.0, estimate=10_000_000.0)
    kit.near("COS01", p["project_id"], "budget 9.5% above the estimate")

    p = kit.project("operating", budget=10_000_000.0, completed_total=11_000_000.0)
    kit.expect("COS02", p["project_id"])
    p = kit.project("operating", budget=10_000_000.0, completed_total=9_800_000.0)
    t = kit.tender(p, "works", value=11_000_000.0, bids=[10_600_000.0, 10_800_000.0, 10_950_000.0])
    c = kit.contract(p, t)
    c["audited_settlement"] = c["settlement_amount"] = 10_600_000.0
    sign = c["sign_date"]
    kit.pay(c, 3_000_000.0, sign + 20 * DAY, "advance")
    kit.pay(c, 5_000_000.0, sign + 200 * DAY, "progress")
    kit.pay(c, 2_500_000.0, sign + 500 * DAY, "final")
    kit.expect("COS02", p["project_id"])
    p = kit.project("operating", budget=10_000_000.0, completed_total=10_000_000.0)
    kit.near("COS02", p["project_id"], "completed_total equal to the budget")


def _contract_money(kit: Kit) -> None:
    def contract(amount: float) -> dict:
        p = kit.project("building", budget=amount * 3)
        t = kit.tender(p, "works", value=round(amount / 0.93, 2), bids=[amount, amount * 1.012, amount * 1.031])
        return kit.contract(p, t)

    c = contract(10_000_000.0)
    for d, delta in ((60, 600_000.0), (120, 600_000.0), (180, -500_000.0)):
        kit.change(c, c["sign_date"] + d * DAY, delta)
    kit.expect("COS03", c["contract_id"])
    c = contract(5_000_000.0)
    kit.change(c, c["sign_date"] + 90 * DAY, 800_000.0)
    kit.expect("COS03", c["contract_id"])
    c = contract(10_000_000.0)
    kit.change(c, c["sign_date"] + 90 * DAY, 1_000_000.0)
    kit.near("COS03", c["contract_id"], "positive changes exactly 10%")
    c = contract(10_000_000.0)
    kit.change(c, c["sign_date"] + 90 * DAY, 300_000.0)
    kit.change(c, kit.day(30), 2_000_000.0)
    kit.near("COS03", c["contract_id"], "the large change is dated after as_of")

    # --- COS04 ---------------------------------------------------------------
    p = kit.project("operating", budget=20_000_000.0)
    t = kit.tender(p, "works", value=5_376_344.09, bids=[5_000_000.0, 5_060_000.0, 5_155_000.0])
    c = kit.contract(p, t)
    c["audited_settlement"], c["settlement_amount"] = 4_800_000.0, 5_000_000.0
    kit.settle_fully(c)  # pays the audited 4,800,000 ...
    kit.pay(c, 200_000.0, c["sign_date"] + 520 * DAY, "retention")  # ... plus the retention on top
    kit.expect("COS04", c["contract_id"])
    p = kit.project("operating", budget=20_000_000.0)
    t = kit.tender(p, "works", value=3_225_806.45, bids=[3_000_000.0, 3_036_000.0, 3_093_000.0])
    c = kit.contract(p, t)
    c["audited_settlement"], c["settlement_amount"] = None, 3_000_000.0
    for d, a in ((30, 1_000_000.0), (200, 1_200_000.0), (400, 1_000_000.0)):
        kit.pay(c, a, c["sign_date"] + d * DAY, "progress")
    kit.expect("COS04", c["contract_id"])
    p = kit.project("operating", budget=20_000_000.0)
    c = kit.contract(p, kit.tender(p, "works"))
    kit.settle_fully(c)
    kit.near("COS04", c["contract_id"], "paid exactly the audited value")
    p = kit.project("operating", budget=20_000_000.0, acceptance_date=None, operation_date=None,
                    status="completed", actual_completion=kit.day(-100), planned_completion=kit.day(-120),
                    final_accounts_date=kit.day(-60))
    t = kit.tender(p, "works", value=4_301_075.27, bids=[4_000_000.0, 4_048_000.0, 4_124_000.0])
    c = kit.contract(p, t)
    c["audited_settlement"], c["settlement_amount"] = None, 4_000_000.0
    kit.pay(c, 1_200_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.pay(c, 2_800_000.0, kit.day(-50), "progress")
    kit.pay(c, 500_000.0, kit.day(25), "progress")
    kit.near("COS04", c["contract_id"], "the payment beyond the settlement is dated after as_of")


def _payments(kit: Kit) -> None:
    # --- COS05 ---------------------------------------------------------------
    def building_contract(pct: float) -> tuple[dict, dict]:
        p = kit.project("building", budget=30_000_000.0)
        kit.rows["progress"] = [r for r in kit.rows["progress"] if r["project_id"] != p["project_id"]]
        kit.progress(p, (kit.as_of - pd.DateOffset(months=1)).strftime("%Y-%m"), max(pct - 5, 0))
        kit.progress(p, kit.as_of.strftime("%Y-%m"), pct)
        t = kit.tender(p, "works", value=10_752_688.17, bids=[10_000_000.0, 10_120_000.0, 10_310_000.0])
        return p, kit.contract(p, t)

    p, c = building_contract(30.0)
    kit.pay(c, 1_000_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.pay(c, 6_000_000.0, kit.day(-40), "progress")
    kit.expect("COS05", p["project_id"])
    p, c = building_contract(20.0)
    kit.progress(p, (kit.as_of + pd.DateOffset(months=1)).strftime("%Y-%m"), 90.0)
    kit.pay(c, 5_000_000.0, kit.day(-40), "progress")
    kit.expect("COS05", p["project_id"])
    p, c = building_contract(30.0)
    kit.pay(c, 3_000_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.pay(c, 4_500_000.0, kit.day(-40), "progress")
    kit.near("COS05", p["project_id"], "advance payments do not count: 0.45 against 0.50")

    # --- COS06 ---------------------------------------------------------------
    def contract() -> dict:
        p = kit.project("building", budget=40_000_000.0)
        return kit.contract(p, kit.tender(p, "works", value=12_000_000.0))

    c = contract()
    first = kit.pay(c, 1_234_500.0, kit.day(-120))
    dup = kit.pay(c, 1_234_500.0, kit.day(-80), invoice=first["invoice_no"])
    kit.expect("COS06", dup["payment_id"])
    c = contract()
    kit.pay(c, 2_345_600.0, kit.day(-63), invoice=None)
    dup = kit.pay(c, 2_345_600.0, kit.day(-60), invoice=None)
    kit.expect("COS06", dup["payment_id"])
    c = contract()
    kit.pay(c, 3_456_700.0, kit.day(-68), invoice=None)
    later = kit.pay(c, 3_456_700.0, kit.day(-60), invoice=None)
    kit.near("COS06", later["payment_id"], "no invoices, 8 days apart")
    c = contract()
    kit.pay(c, 1_456_700.0, kit.day(-68))
    later = kit.pay(c, 1_456_700.0, kit.day(-60))
    kit.near("COS06", later["payment_id"], "same amount, different invoice numbers")

    # --- COS07 ---------------------------------------------------------------
    for days, fires in ((10, True), (60, True), (0, False)):
        c = contract()
        pay = kit.pay(c, 1_800_000.0, c["sign_date"] - days * DAY, "advance")
        if fires:
            kit.expect("COS07", pay["payment_id"])
        else:
            kit.near("COS07", pay["payment_id"], "paid on the signing day")

    # --- COS10 ---------------------------------------------------------------
    for _ in range(2):
        c = contract()
        sub = kit.supplier(c and next(r["county"] for r in kit.rows["projects"] if r["project_id"] == c["project_id"]))
        pay = kit.pay(c, 2_100_000.0, kit.day(-90), payee=sub)
        kit.expect("COS10", pay["payment_id"])
    c = contract()
    p = next(r for r in kit.rows["projects"] if r["project_id"] == c["project_id"])
    villager = kit.supplier(p["county"], kind="services")
    pay = kit.pay(None, 560_000.0, kit.day(-90), payee=villager, project=p, type=None)
    kit.near("COS10", pay["payment_id"], "payment without contract (land compensation)")


def _arrears_and_final(kit: Kit) -> None:
    def operating(acceptance_days: int, settled: float, audited: bool) -> dict:
        completion = kit.day(-acceptance_days - 20)
        p = kit.project("operating", budget=settled * 2, actual_completion=completion,
                        planned_completion=completion - 10 * DAY, acceptance_date=kit.day(-acceptance_days),
                        operation_date=kit.day(-acceptance_days + 5), final_accounts_date=completion + 30 * DAY)
        if completion + 30 * DAY > kit.as_of:
            p["final_accounts_date"] = None
        t = kit.tender(p, "works", value=round(settled / 0.93, 2), bids=[settled, settled * 1.012, settled * 1.031])
        c = kit.contract(p, t)
        c["settlement_amount"] = settled
        c["audited_settlement"] = settled if audited else None
        return c

    # --- COS08 ---------------------------------------------------------------
    c = operating(480, 10_000_000.0, True)
    kit.pay(c, 3_000_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.pay(c, 5_000_000.0, c["sign_date"] + 200 * DAY, "progress")
    kit.expect("COS08", c["contract_id"])
    c = operating(140, 5_000_000.0, False)
    kit.pay(c, 1_500_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.pay(c, 2_500_000.0, c["sign_date"] + 200 * DAY, "progress")
    kit.expect("COS08", c["contract_id"])
    c = operating(40, 6_000_000.0, False)
    kit.pay(c, 3_000_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.near("COS08", c["contract_id"], "accepted only 40 days ago")
    c = operating(480, 10_000_000.0, True)
    kit.pay(c, 3_000_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.pay(c, 6_750_000.0, c["sign_date"] + 200 * DAY, "final")
    kit.near("COS08", c["contract_id"], "2.5% unpaid (retention up to 3%)")

    # --- COS11 ---------------------------------------------------------------
    for settled in (7_000_000.0, 3_000_000.0):
        c = operating(300, settled, False)
        kit.pay(c, round(settled * 0.3, 2), c["sign_date"] + 20 * DAY, "advance")
        pay = kit.pay(c, round(settled * 0.7, 2), kit.day(-200), "final")
        kit.expect("COS11", pay["payment_id"])
    c = operating(300, 8_000_000.0, False)
    kit.pay(c, 2_400_000.0, c["sign_date"] + 20 * DAY, "advance")
    progress = kit.pay(c, 5_400_000.0, kit.day(-200), "progress")
    pay = kit.pay(c, 200_000.0, kit.day(20), "final")
    kit.near("COS11", pay["payment_id"], "final payment dated after as_of")
    kit.near("COS11", progress["payment_id"], "progress payment on an unaudited contract")
