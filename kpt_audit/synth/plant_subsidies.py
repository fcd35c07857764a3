"""Planted special-support-fund cases (SUB01-SUB05).  Unless stated an
application is approved 200 days before as_of for 80 % of the applied amount
and disbursed 15 days later into the enterprise's own account; enterprises are
fresh and registered in 2008.

SUB01  one enterprise, two approved applications whose normalised titles have
       a difflib ratio >= 0.8 (any program or year); entity: the later approval.
  + 技术改造 vs 技改 wording of the same line (ratio ~0.9).
  + the same title with '（二期）' appended.
  - two unrelated titles of one enterprise (ratio well under 0.8).
SUB02  amount_approved > amount_applied, or above program_rules[program].cap (no caps by default).
  + 500,000 applied, 600,000 approved.  + 1,000,000 -> 1,200,000.
  - approved exactly as applied.
SUB03  enterprise registered less than its program's min_enterprise_age_days before
       approval_date.  Off by default (revision 2: an age rule is program-specific, and
       program_rules sets none), so with the default parameters it is not run and its
       cases are near-misses; with AGE_RULES (365 days for AGE_PROGRAM, a program no
       other scenario or the background uses) the first two fire: SUB03_FIRES_WITH_AGE_RULES.
  ~ 100 days.  ~ 364 days.  - exactly 365 days.
SUB04  disbursed more than 30 days after approval, or not disbursed and
       approved more than 30 days before as_of.
  + disbursed 45 days after approval.  + approved 200 days ago, never disbursed.
  + approved 60 days ago, disbursement dated after as_of (not yet paid).
  - disbursed exactly 30 days after approval.  - approved 20 days ago, not yet disbursed.
SUB05  different enterprises paid into one bank account; entity: their
       application ids sorted and joined by '+'.
  + two enterprises, one account written with and without spaces.
  + three enterprises, one account.
  - one enterprise, two applications, one account (the SUB01 near-miss pair).
  - two enterprises whose account is the placeholder '无'.
"""
from __future__ import annotations

import pandas as pd

from .kit import Kit

DAY = pd.Timedelta(days=1)
AGE_PROGRAM = "初创科技企业培育专项资金"
AGE_RULES = {AGE_PROGRAM: {"min_enterprise_age_days": 365}}  # program_rules that switch SUB03 on
SUB03_FIRES_WITH_AGE_RULES = "fires only with program_rules AGE_RULES (off by default)"


def plant(kit: Kit) -> None:
    pairs = (("年产5万吨新型环保材料生产线技术改造项目", "年产5万吨新型环保材料生产线技改项目", True),
             ("数字化车间智能化改造项目", "数字化车间智能化改造项目（二期）", True),
             ("冷链物流中心建设项目", "企业研发中心实验室建设项目", False))
    for first, second, fires in pairs:
        county = kit.next_county()[0]
        ent = kit.supplier(county, kind="enterprise")
        a = kit.subsidy(county, ent, first, approval=kit.day(-400))
        b = kit.subsidy(county, ent, second, program="中小企业发展专项资金", approval=kit.day(-150))
        if fires:
            kit.expect("SUB01", b["application_id"])
        else:
            kit.near("SUB01", b["application_id"], "dissimilar titles")
            kit.near("SUB05", f"{a['application_id']}+{b['application_id']}", "one enterprise, one account")

    for applied, approved, fires in ((500_000.0, 600_000.0, True), (1_000_000.0, 1_200_000.0, True),
                                     (800_000.0, 800_000.0, False)):
        s = kit.subsidy(applied=applied, approved=approved)
        (kit.expect("SUB02", s["application_id"]) if fires
         else kit.near("SUB02", s["application_id"], "approved exactly as applied"))

    for age, fires in ((100, True), (364, True), (365, False)):
        county = kit.next_county()[0]
        approval = kit.day(-120)
        ent = kit.supplier(county, kind="enterprise", registered=approval - age * DAY)
        s = kit.subsidy(county, ent, program=AGE_PROGRAM, approval=approval)
        kit.near("SUB03", s["application_id"],
                 f"{age} days old at approval: {SUB03_FIRES_WITH_AGE_RULES}" if fires
                 else "registered exactly 365 days before approval")

    s = kit.subsidy(approval=kit.day(-200), disbursed=kit.day(-155))
    kit.expect("SUB04", s["application_id"])
    s = kit.subsidy(approval=kit.day(-200), disbursed=None)
    kit.expect("SUB04", s["application_id"])
    s = kit.subsidy(approval=kit.day(-60), disbursed=kit.day(10))
    kit.expect("SUB04", s["application_id"])
    s = kit.subsidy(approval=kit.day(-200), disbursed=kit.day(-170))
    kit.near("SUB04", s["application_id"], "disbursed exactly 30 days after approval")
    s = kit.subsidy(approval=kit.day(-20), disbursed=None)
    kit.near("SUB04", s["application_id"], "approved 20 days ago")

    for size in (2, 3):
        county = kit.next_county()[0]
        holder = kit.supplier(county, kind="enterprise")
        account = kit.supplier_row(holder)["bank_account"]
        spaced = " ".join(account[i:i + 4] for i in range(0, len(account), 4))
        apps = [kit.subsidy(county, holder, "智能仓储系统建设项目")]
        titles = ("绿色食品深加工项目", "工业互联网平台应用项目")
        for k in range(size - 1):
            apps.append(kit.subsidy(county, None, titles[k], account=spaced if k == 0 else account))
        kit.expect("SUB05", "+".join(sorted(a["application_id"] for a in apps)))
    county = kit.next_county()[0]
    apps = [kit.subsidy(county, None, t, account="无") for t in ("光伏发电设备技改项目", "农产品冷藏保鲜项目")]
    kit.near("SUB05", "+".join(sorted(a["application_id"] for a in apps)), "placeholder account never matches")
