"""Planted cost-control cases (COS01-COS12, COS14; checks.md revision 2 has no COS13).  Money amounts are yuan.

Payment scenarios sit on projects under construction (progress 70 % at
as_of's month, so COS05 allows paid/contract up to 0.9 and COS08 does not
apply) unless the check needs a completed project.

COS01  budget > estimate x 1.10.  The basis follows the design approval (else as_of):
       国发〔2004〕20号 to 2019-06-30, 政府投资条例 from 2019-07-01.
  + 10,000,000 -> 12,000,000.  + 50,000,000 -> 60,000,000 (both designed 2018).
  + 10,000,000 -> 11,500,000, designed 2019-07-13 (the later basis).
  + 10,000,000 -> 11,200,000, not yet designed (no design approval: as_of dates it).
  - 10,000,000 -> 10,950,000 (9.5 %), designed 2018.
  - 10,000,000 -> 11,000,000 (exactly 10 %), designed 2019-07-13.
COS02  max(completed_total, payments to the project) > adjusted_budget when present, else budget.
  + completed_total 11,000,000 on a 10,000,000 budget.
  + 10,500,000 paid on a 10,000,000 budget (contract audited at 10,600,000).
  + completed_total 12,500,000 on a budget adjusted from 10,000,000 to 12,000,000.
  - completed_total exactly equal to the budget.
  - completed_total 11,500,000: above the budget, within the adjusted budget of 12,000,000.
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
COS08  project completed (acceptance_date, else actual_completion) more than 60 days before
       as_of, contract unpaid (settled - paid) > retention_share of settled; retention 5 % to
       2017-06-30, 3 % from 2017-07-01; the payment term's basis 财建〔2004〕369号 to 2020-08-31,
       保障中小企业款项支付条例 from 2020-09-01 (both on the completion date).
  + accepted ~16 months ago, 80 % of the audited 10,000,000 paid.
  + accepted 140 days ago, 4,000,000 of a 5,000,000 settlement paid.
  + accepted 2017-06-20, 6 % unpaid (above the 5 % of then).
  + accepted 2017-07-10, 4 % unpaid (above the 3 % from 2017-07-01).
  + no acceptance, completed 150 days ago, 80 % paid (completion stands in).
  - accepted 40 days ago, half paid.
  - 2.5 % unpaid (9,750,000 of 10,000,000).
  - accepted 2017-06-20, 4 % unpaid (within the 5 % of then).
  - accepted 2020-09-05 (the new basis), 70 % unpaid: only 20 days, not yet due.
  - completed 200 days ago but accepted only 40 days ago, half paid (the acceptance decides).
  - acceptance typed 2020年6月31日 (unreadable), completed 200 days ago, 80 % paid: the finding
    would rest on the completion standing in for a date that is not absent (partly judged; DQ01).
COS09  see plant_cost.benford_counties (a county, not planted here).
COS10  payment on a contract to a payee other than the contractor, unless its payee_role is
       wage_account, consortium, assignee or court.
  + two cases (a subcontractor paid directly, no payee role).
  + payee role other.  + payee role contractor (written beside another payee).
  - payment without contract to another payee (land compensation).
  - payee roles wage_account (农民工工资专户), consortium, assignee, court.
COS11  payment of type final on a contract with neither settlement_amount nor audited_settlement.
  + only the contractor's submitted_settlement.  + no settlement figure at all.
  - settled by the owner (settlement_amount), not audited: lawful (以审代结 is not the rule), twice.
  - a final payment dated after as_of on an unsettled contract.
  - a progress payment on an unsettled contract.
  - settlement amount typed 约300万 (unreadable): not taken as absent (partly judged; DQ01).
COS12  works contract whose advances exceed 30 % of its amount as signed.
  + 35 % advance.  + two advances of 20 % and 15 %.
  - exactly 30 %.  - goods contract with a 50 % advance.
  - 28 % advance before as_of, 10 % more dated after as_of.
COS14  submitted_settlement > 0 and audited_settlement with (submitted - audited) / submitted >= 15 %.
  + 10,000,000 submitted, 8,000,000 audited (20 %).  + exactly 15 % (8,500,000).
  - 14.9 % (8,510,000).  - 13,000,000 submitted, not audited (the owner settled at 10,000,000).
"""
from __future__ import annotations

import pandas as pd

from .kit import DATE_COLUMNS, Kit

DAY = pd.Timedelta(days=1)
UNREADABLE_ACCEPTANCE = "2020年6月31日"
UNREADABLE_SETTLEMENT = "约300万"


def plant(kit: Kit) -> None:
    _budgets(kit)
    _contract_money(kit)
    _payments(kit)
    _arrears_and_final(kit)
    _advances_and_reductions(kit)


def shifted(kit: Kit, project: dict, days: int) -> dict:
    """Move a template project's whole timeline by ``days``: its dates, the tender and contract dates
    kit.tender and kit.contract will take, and its completion month's progress row."""
    shift = pd.Timedelta(days=days)
    for column in DATE_COLUMNS.values():
        if project.get(column) is not None:
            project[column] = project[column] + shift
    tl = kit.timeline[project["project_id"]]
    for key, value in tl.items():
        if isinstance(value, pd.Timestamp):
            tl[key] = value + shift
    if project.get("actual_start") is not None:
        project["fund_year"] = project["actual_start"].year
    if tl["state"] == "operating":
        for row in kit.rows["progress"]:
            if row["project_id"] == project["project_id"]:
                row["month"] = tl["completion"].strftime("%Y-%m")
    return project


def _budgets(kit: Kit) -> None:
    for estimate, budget in ((10e6, 12e6), (50e6, 60e6)):
        p = kit.project("operating", budget=budget, estimate=estimate)
        kit.expect("COS01", p["project_id"])
    p = kit.project("operating", budget=10_950_000.0, estimate=10_000_000.0)
    kit.near("COS01", p["project_id"], "budget 9.5% above the estimate")
    # designed after 2019-07-01 (政府投资条例 第十二条), and not yet designed (as_of dates the basis)
    p = kit.project("building", budget=11_500_000.0, estimate=10_000_000.0, design_approval_date=kit.day(-440))
    kit.expect("COS01", p["project_id"])
    p = kit.project("planned", budget=11_200_000.0, estimate=10_000_000.0)
    kit.expect("COS01", p["project_id"])
    p = kit.project("building", budget=11_000_000.0, estimate=10_000_000.0, design_approval_date=kit.day(-440))
    kit.near("COS01", p["project_id"], "budget exactly 10% above the estimate, designed after 2019-07-01")

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
    p = kit.project("operating", budget=10_000_000.0, adjusted_budget=12_000_000.0, completed_total=12_500_000.0)
    kit.expect("COS02", p["project_id"])
    p = kit.project("operating", budget=10_000_000.0, adjusted_budget=12_000_000.0, completed_total=11_500_000.0)
    kit.near("COS02", p["project_id"], "above the budget, within the approved adjusted budget")


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
    for role, fires in (("other", True), ("contractor", True), ("wage_account", False), ("consortium", False),
                        ("assignee", False), ("court", False)):
        c = contract()
        county = next(r["county"] for r in kit.rows["projects"] if r["project_id"] == c["project_id"])
        pay = kit.pay(c, 1_300_000.0, kit.day(-90), payee=kit.supplier(county))
        pay["payee_role"] = role
        if fires:
            kit.expect("COS10", pay["payment_id"])
        else:
            kit.near("COS10", pay["payment_id"], f"payee role {role} explains a payee other than the contractor")
    c = contract()
    p = next(r for r in kit.rows["projects"] if r["project_id"] == c["project_id"])
    villager = kit.supplier(p["county"], kind="services")
    pay = kit.pay(None, 560_000.0, kit.day(-90), payee=villager, project=p, type=None)
    kit.near("COS10", pay["payment_id"], "payment without contract (land compensation)")


def _arrears_and_final(kit: Kit) -> None:
    def operating(acceptance_days: int, settled: float, audited: bool, completion_days: int | None = None,
                  **over) -> dict:
        completion = kit.day(-(completion_days if completion_days is not None else acceptance_days + 20))
        dates = dict(actual_completion=completion, planned_completion=completion - 10 * DAY,
                     acceptance_date=kit.day(-acceptance_days), operation_date=kit.day(-acceptance_days + 5),
                     final_accounts_date=completion + 30 * DAY if completion + 30 * DAY <= kit.as_of else None)
        p = kit.project("operating", budget=settled * 2, **{**dates, **over})
        t = kit.tender(p, "works", value=round(settled / 0.93, 2), bids=[settled, settled * 1.012, settled * 1.031])
        c = kit.contract(p, t)
        c["settlement_amount"] = settled
        c["audited_settlement"] = settled if audited else None
        return c

    def owed(c: dict, paid_share: float) -> None:
        """Pay ``paid_share`` of the settlement: an advance of at most 30 % and progress payments."""
        settled = c["settlement_amount"]
        advance = round(settled * min(0.3, paid_share), 2)
        kit.pay(c, advance, c["sign_date"] + 20 * DAY, "advance")
        if paid_share > 0.3:
            kit.pay(c, round(settled * paid_share, 2) - advance, c["sign_date"] + 200 * DAY, "progress")

    def accepted_on(day: str, settled: float, paid_share: float) -> dict:
        """A contract of a project accepted on ``day`` (the whole timeline moved there), ``paid_share`` paid."""
        acceptance = pd.Timestamp(day)
        c = operating(495, settled, True)
        p = next(r for r in kit.rows["projects"] if r["project_id"] == c["project_id"])
        shifted(kit, p, (acceptance - p["acceptance_date"]).days)
        for row in kit.rows["tenders"]:
            if row["tender_id"] == c["tender_id"]:
                tl = kit.timeline[p["project_id"]]
                row.update(notice_date=tl["notice"], bid_deadline=tl["deadline"], award_date=tl["award"])
        c["sign_date"] = kit.timeline[p["project_id"]]["sign"]
        owed(c, paid_share)
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
    owed(c, 0.5)
    kit.near("COS08", c["contract_id"], "accepted only 40 days ago")
    c = operating(480, 10_000_000.0, True)
    kit.pay(c, 3_000_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.pay(c, 6_750_000.0, c["sign_date"] + 200 * DAY, "final")
    kit.near("COS08", c["contract_id"], "2.5% unpaid (retention up to 3%)")
    # the retention share in force on the acceptance: 5 % to 2017-06-30, 3 % from 2017-07-01
    c = accepted_on("2017-06-20", 10_000_000.0, 0.94)
    kit.expect("COS08", c["contract_id"])
    c = accepted_on("2017-06-20", 10_000_000.0, 0.96)
    kit.near("COS08", c["contract_id"], "accepted 2017-06-20: 4% unpaid is within the 5% retention of then")
    c = accepted_on("2017-07-10", 10_000_000.0, 0.96)
    kit.expect("COS08", c["contract_id"])
    # accepted after 2020-09-01 (保障中小企业款项支付条例): not yet 60 days
    c = operating(20, 4_000_000.0, True)
    owed(c, 0.3)
    kit.near("COS08", c["contract_id"], "accepted 2020-09-05: not yet 60 days")
    # completion stands in for a missing acceptance; an existing acceptance decides
    c = operating(40, 7_000_000.0, True, completion_days=150, acceptance_date=None, operation_date=None,
                  status="completed")
    owed(c, 0.8)
    kit.expect("COS08", c["contract_id"])
    c = operating(40, 7_000_000.0, True, completion_days=200)
    owed(c, 0.5)
    kit.near("COS08", c["contract_id"], "completed 200 days ago but accepted 40 days ago: the acceptance decides")
    c = operating(40, 7_000_000.0, True, completion_days=200)
    p = next(r for r in kit.rows["projects"] if r["project_id"] == c["project_id"])
    kit.write_as("projects", p, "acceptance_date", UNREADABLE_ACCEPTANCE)
    # no operation date (PRC03 would not judge an unknown acceptance against it); 投产 by status, so PER02
    # (idle since completion) has nothing to rest on the unknown acceptance either
    p["operation_date"] = None
    kit.expect("DQ01", f"projects|{p['project_id']}|acceptance_date")
    owed(c, 0.8)
    kit.near("COS08", c["contract_id"], "acceptance unreadable: the completion does not stand in (partly judged)")

    # --- COS11 ---------------------------------------------------------------
    for settled, submitted in ((7_000_000.0, 7_300_000.0), (3_000_000.0, None)):
        c = operating(300, settled, False)
        c["settlement_amount"] = None
        c["submitted_settlement"] = submitted
        kit.pay(c, round(settled * 0.3, 2), c["sign_date"] + 20 * DAY, "advance")
        pay = kit.pay(c, round(settled * 0.7, 2), kit.day(-200), "final")
        kit.expect("COS11", pay["payment_id"])
    for settled in (6_000_000.0, 2_000_000.0):
        c = operating(300, settled, False)
        kit.pay(c, round(settled * 0.3, 2), c["sign_date"] + 20 * DAY, "advance")
        pay = kit.pay(c, round(settled * 0.7, 2), kit.day(-200), "final")
        kit.near("COS11", pay["payment_id"], "settled by the owner (settlement amount), not audited: lawful")
    c = operating(300, 8_000_000.0, False)
    c["settlement_amount"] = None
    kit.pay(c, 2_400_000.0, c["sign_date"] + 20 * DAY, "advance")
    progress = kit.pay(c, 5_400_000.0, kit.day(-200), "progress")
    pay = kit.pay(c, 200_000.0, kit.day(20), "final")
    kit.near("COS11", pay["payment_id"], "final payment dated after as_of")
    kit.near("COS11", progress["payment_id"], "progress payment on an unsettled contract")
    c = operating(300, 3_000_000.0, False)
    c["amount"] = 3_000_000.0
    kit.write_as("contracts", c, "settlement_amount", UNREADABLE_SETTLEMENT)
    kit.expect("DQ01", f"contracts|{c['contract_id']}|settlement_amount")
    kit.pay(c, 900_000.0, c["sign_date"] + 20 * DAY, "advance")
    pay = kit.pay(c, 2_100_000.0, kit.day(-200), "final")
    kit.near("COS11", pay["payment_id"], "settlement amount unreadable: not taken as absent (partly judged)")


def _advances_and_reductions(kit: Kit) -> None:
    def contract(amount: float, kind: str = "works") -> dict:
        p = kit.project("building", budget=amount * 3)
        t = kit.tender(p, kind, value=round(amount / 0.93, 2), bids=[amount, amount * 1.012, amount * 1.031])
        return kit.contract(p, t)

    # --- COS12 ---------------------------------------------------------------
    c = contract(6_000_000.0)
    kit.pay(c, 2_100_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.expect("COS12", c["contract_id"])
    c = contract(8_000_000.0)
    kit.pay(c, 1_600_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.pay(c, 1_200_000.0, c["sign_date"] + 60 * DAY, "advance")
    kit.expect("COS12", c["contract_id"])
    c = contract(6_000_000.0)
    kit.pay(c, 1_800_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.near("COS12", c["contract_id"], "advance exactly 30% of the contract")
    c = contract(1_500_000.0, "goods")
    kit.pay(c, 750_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.near("COS12", c["contract_id"], "goods contract: the cap is for works")
    c = contract(5_000_000.0)
    kit.pay(c, 1_400_000.0, c["sign_date"] + 20 * DAY, "advance")
    kit.pay(c, 500_000.0, kit.day(15), "advance")
    kit.near("COS12", c["contract_id"], "the advance above the cap is dated after as_of")

    # --- COS14 ---------------------------------------------------------------
    def settled(submitted: float | None, audited: float | None) -> dict:
        p = kit.project("operating", budget=20_000_000.0)
        t = kit.tender(p, "works", value=10_752_688.17, bids=[10_000_000.0, 10_120_000.0, 10_310_000.0])
        c = kit.contract(p, t)
        c["submitted_settlement"] = submitted
        c["audited_settlement"] = audited
        # not audited: the owner settled at the contract amount, which settle_fully pays
        c["settlement_amount"] = audited if audited is not None else c["amount"]
        kit.settle_fully(c)
        return c

    c = settled(10_000_000.0, 8_000_000.0)
    kit.expect("COS14", c["contract_id"])
    c = settled(10_000_000.0, 8_500_000.0)
    kit.expect("COS14", c["contract_id"])
    c = settled(10_000_000.0, 8_510_000.0)
    kit.near("COS14", c["contract_id"], "14.9% reduction")
    c = settled(13_000_000.0, None)
    kit.near("COS14", c["contract_id"], "submitted but not audited (settled by the owner at the contract amount)")
