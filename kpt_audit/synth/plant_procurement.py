"""Planted procurement cases (PRO01-PRO16), written from checks.md revision 2.

Thresholds (dated, on the tender's notice date, else its award date; a contract
without tender: its sign date): project tenders and contracts to 2018-05-31
under 令第3号 — works 2,000,000, goods 1,000,000, services 500,000, and every
procurement of a project of 30,000,000 or more — from 2018-06-01 under 令第16号
— works 4,000,000, goods 2,000,000, services 1,000,000; tenders with no project
(government procurement) goods/services 2,000,000, works 4,000,000.  Scope: no
enterprise projects; project services only survey/design/supervision or empty;
a recorded exemption or method approval takes a tender or contract out.  A
tender's value is its budget.  Unless stated, a tender is open, has 4 valid
bids from fresh bidders with uneven steps, a 25-day bid period, award = 0.93 x
ceiling and no contract; project tenders follow the 'building' timeline (2019).
An "early" project has its approvals on 2018-01-15 so that 2018 notices come
after them (PRC05) and a budget (= total investment) of 25,000,000 unless stated.
The 2018 cases are dated absolutely (the change of rule is a fixed date): they
suit an as_of from 2020 on (the generator's default is 2020-09-25); the cases
without project are dated in the year before as_of's, so all three fall in one
fiscal year before it.
The cases of a check that judges one tender at a time share a project (none of
its non-open tenders can form a PRO02 group with another: different kinds, out
of scope, or PRO01's), so the planted projects stay few.

PRO01  non-open tender (or contract without tender) in scope whose value reaches
       the threshold in force, or under 令第3号 a project of >= 30,000,000.
  + single-source works tender of 5,000,000 on a project.
  + services contract of 1,500,000 without tender on a project (entity: contract).
  + invited works tender of exactly 4,000,000 ("reaches").
  + negotiated goods tender of 1,500,000 noticed 2018-05-31 (令第3号 goods 1,000,000).
  - the same noticed 2018-06-01 (令第16号 goods 2,000,000).
  + inquiry goods tender of 300,000 noticed 2018-04-10 on a 35,000,000 project (project total).
  + goods contract of 200,000 without tender signed 2018-05-20 on a 35,000,000 project.
  - the 300,000 tender on a 29,990,000 project.  - on a 35,000,000 project, noticed 2018-06-01.
  + negotiated design services tender of 1,500,000 (勘察/设计/监理 are in scope).
  + consultation services tender of 2,500,000 without project, service_type other (GP: judged).
  - negotiated goods tender of 1,999,999 on a project.
  - consultation services tender of 1,500,000 without project (GP threshold 2,000,000).
  - single-source works tender of 5,000,000 on an enterprise project.
  - negotiated services tender of 1,500,000 on a project, service_type other.
  - single-source works tender of 5,000,000 with an exemption (抢险救灾).
  - invited works tender of 5,000,000 with a method approval.
  - works contract of 5,000,000 without tender with an exemption.
PRO02  non-open tenders in scope, each below its threshold and not PRO01's: a
       project's by (project, kind) over all years; others by (buyer, fiscal year,
       kind, item_code); >= 2 whose sum reaches the threshold on the latest date.
  + three inquiry goods tenders 800,000 + 700,000 + 600,000 on one project.
  + two consultation services tenders 1,200,000 + 900,000 without project.
  + two inquiry goods tenders of 1,500,000 on one project noticed in 2019 and 2020.
  + two inquiry goods tenders of 1,200,000 without project, one buyer, year and item code.
  + on an early project: goods 1,200,000 (2018-05-10, PRO01's), 900,000 and 1,200,000
    (2019): the group is the two 2019 ones (2,100,000 >= 2,000,000); the three are not.
  + on an early project: goods 900,000 (2018-03-01) + 900,000 (2018-05-20) = 1,800,000
    reaches 令第3号's 1,000,000.
  - the same with the second noticed 2018-07-01: 1,800,000 < 令第16号's 2,000,000.
  - two negotiated works tenders 2,000,000 + 1,999,999 (sum below 4,000,000).
  - two inquiry goods tenders of 1,500,000 without project, one buyer, 2019 and 2020.
  - two inquiry goods tenders of 1,200,000 without project, one buyer and year, two item codes.
PRO03  competitive (open/invited) tender with bid period under 20 days.
  + open, 15 days.  + invited (2,000,000 works, below threshold), 10 days.
  - open, exactly 20 days.  - inquiry, 5 days (not competitive).
PRO04  competitive tender with >= 1 bid, awarded by as_of, < 3 distinct bidders submitted.
  + open with 2 bids.  + open with 2 bids, the higher disqualified.
  - open with exactly 3 bids.  - open with 4 bids, the two highest disqualified (PRO15's).
  - open with 2 bids, award dated after as_of.  - open with no bid rows at all.
PRO15  competitive tender awarded with >= 3 bidders but < 3 not disqualified.
  + open works tender on a project, 4 bids, the two highest disqualified (low).
  + open goods tender without project, 3 bids, the highest disqualified (high).
  - open with 4 bids, one disqualified.  - open with 2 bids, the higher disqualified (PRO04's).
PRO05  award / ceiling >= 0.99 and <= 1.
  + 0.995.  + exactly 1 (award = ceiling).  + exactly 0.99 (9,900,000 / 10,000,000).
  - 0.9899 (9,899,000 / 10,000,000).
PRO06  award above ceiling (budget when no ceiling).
  + 10,200,000 over a ceiling of 10,000,000.  + no ceiling, 5,100,000 over a 5,000,000 budget.
  - award equal to the ceiling (the PRO05 "exactly 1" tender).
PRO07  contract signed more than 30 days after the award (low) or before it (medium).
  + 45 days after.  + 5 days before.  - exactly 30 days after.
PRO08  contract amount above award x 1.01.
  + 4 % above.  + 25 % above.  - 0.98 % above.
PRO09  tender with >= 3 bids: two bidders with identical amounts, or all bids in
       an arithmetic (steps within 0.1 % of the mean step) or geometric run.
  + two identical losing bids.  + 4.8/4.9/5.0/5.1 million.  + 4,000,000 x 1.02^k.
  - irregular 4.80/4.95/5.02/5.30 million.
  - two identical bids in a 2-bid inquiry (fewer than 3 bids).
PRO10  two bidders in one tender share legal_rep, phone, address, bank account or
       bond account (after normalisation); high for legal_rep or a bond link.
  + same phone written '138 1234 5678' and '13812345678' (medium).
  + a bid's bond account is another bidder's bank account (high).
  + same legal representative (high).
  - phones one digit apart.  - both addresses '无' and both legal reps '不详' (placeholders).
PRO11  supplier >= 50 % of a buyer's contract value in a sign year, buyer >= 5 contracts.
  + 2 of 5 contracts, 55/95 million.  + 1 of 6 contracts, exactly 50 %.
  - 4 contracts, one supplier 80 %.  - 5 contracts, top supplier 49 %.
PRO12  supplier with >= 4 bids, none won, >= 75 % in tenders won by one supplier.
  + 4 losing bids, all against one winner.  + 5 losing bids, 4 against one winner.
  - 4 losing bids, 2 + 2 against two winners.  - 3 losing bids against one winner.
  - 4 losing bids against one winner, but it won a fifth tender itself.
PRO13  winner registered within 180 days before the bid deadline.
  + 60 days.  + 100 days.  - 200 days.
PRO14  lowest bid disqualified and the winning bid higher.
  + 4 bids, lowest disqualified, second-lowest wins.  + 5 bids, lowest disqualified, third-lowest wins.
  - highest bid disqualified, lowest wins.
PRO16  one buyer, fiscal year and kind: >= 3 non-open tenders and contracts without
       tender in scope, not PRO01's, each in [0.9 x threshold, threshold) of the
       threshold in force on its own date (entity buyer|year|kind).
  + a buyer's three inquiry goods tenders without project of 1,900,000, 1,850,000 and
    1,810,000 in the year before as_of's (three item codes, so no PRO02 group).
  + one department's works in 2018 on three early projects: a negotiated tender of
    1,900,000 (2018-03-01, 令第3号 band 1.8-2.0 million), one of 3,700,000 (2018-07-10,
    令第16号 band 3.6-4.0 million) and a contract without tender of 3,800,000 (2018-09-01).
  - a buyer's three goods tenders of 1,900,000, 1,850,000 and 1,790,000 (below the band).
  - the department case with its second tender of 1,900,000 noticed 2018-07-10 (under
    令第16号 1,900,000 is below the band).
"""
from __future__ import annotations

import pandas as pd

from .kit import BID_STEPS, Kit

DAY = pd.Timedelta(days=1)


def _steps(award: float, n: int) -> list[float]:
    return [round(award * s, 2) for s in BID_STEPS[:n]]


EARLY_APPROVAL = pd.Timestamp("2018-01-15")


def _project(kit: Kit, **over) -> dict:
    """A project under construction in the county that has the fewest planted projects so far (the
    tender scenarios here need no county of their own; this keeps the counties' sizes even)."""
    if "county" not in over:
        held = {c: 0 for c, _ in kit.counties}
        for row in kit.rows["projects"]:
            if row["county"] in held:
                held[row["county"]] += 1
        over["county"] = min(held, key=held.get)
    return kit.project("building", **over)


def _early(kit: Kit, budget: float = 25_000_000.0, **over) -> dict:
    """A project under construction whose approvals (2018-01-15) precede 2018 tenders (PRC05)."""
    return _project(kit, budget=budget, approval_date=EARLY_APPROVAL, design_approval_date=EARLY_APPROVAL, **over)


def _on(notice) -> dict:
    """A non-competitive procedure's dates from its notice: deadline 8 days, award 12 days after."""
    notice = pd.Timestamp(notice)
    return dict(notice_date=notice, bid_deadline=notice + 8 * DAY, award_date=notice + 12 * DAY)


def _ids(tenders) -> str:
    return "+".join(sorted(t["tender_id"] for t in tenders))


def _with_period(kit: Kit, days: int) -> dict:
    # the building timeline's notice: after the design approval (PRC05), awarded before the start (PRC06)
    notice = kit.day(-455)
    return dict(notice_date=notice, bid_deadline=notice + days * DAY, award_date=notice + (days + 7) * DAY)


def plant(kit: Kit) -> None:
    _thresholds(kit)
    _dated_thresholds(kit)
    _scope(kit)
    _splits(kit)
    _below_line(kit)
    _periods_and_bids(kit)
    _prices(kit)
    _contracts(kit)
    _patterns(kit)
    _dominance(kit)
    _cover_bidders(kit)
    _new_winners(kit)


def _thresholds(kit: Kit) -> None:
    p = _project(kit)
    t = kit.tender(p, "works", "single_source", value=5_000_000.0, bids=1)
    kit.expect("PRO01", t["tender_id"])
    p = _project(kit)
    c = kit.contract(p, None, amount=1_500_000.0, kind="services")
    kit.expect("PRO01", c["contract_id"])
    p = _project(kit)
    t = kit.tender(p, "works", "invited", value=4_000_000.0)
    kit.expect("PRO01", t["tender_id"])
    p = _project(kit)
    t = kit.tender(p, "goods", "negotiation", value=1_999_999.0, bids=3)
    kit.near("PRO01", t["tender_id"], "negotiated goods tender 1 yuan below the threshold")
    t = kit.tender(None, "services", "consultation", value=1_500_000.0, bids=3)
    kit.near("PRO01", t["tender_id"], "no project: the government-procurement threshold (2,000,000) applies")


def _dated_thresholds(kit: Kit) -> None:
    """PRO01 on each side of 2018-06-01, and 令第3号's project total."""
    # one project each (the first tender of a pair is PRO01's, so no PRO02 group forms)
    p = _early(kit)
    t = kit.tender(p, "goods", "negotiation", value=1_500_000.0, bids=3, **_on("2018-05-31"))
    kit.expect("PRO01", t["tender_id"])
    t = kit.tender(p, "goods", "negotiation", value=1_500_000.0, bids=3, **_on("2018-06-01"))
    kit.near("PRO01", t["tender_id"], "1,500,000 goods on 2018-06-01: below 令第16号's 2,000,000")

    p = _early(kit, 35_000_000.0)
    t = kit.tender(p, "goods", "inquiry", value=300_000.0, bids=3, **_on("2018-04-10"))
    kit.expect("PRO01", t["tender_id"])
    c = kit.contract(p, None, amount=200_000.0, kind="goods", sign=pd.Timestamp("2018-05-20"))
    kit.expect("PRO01", c["contract_id"])
    t = kit.tender(p, "goods", "inquiry", value=300_000.0, bids=3, **_on("2018-06-01"))
    kit.near("PRO01", t["tender_id"], "令第16号 has no project-total rule")
    t = kit.tender(_early(kit, 29_990_000.0), "goods", "inquiry", value=300_000.0, bids=3, **_on("2018-04-10"))
    kit.near("PRO01", t["tender_id"], "project total 29,990,000 below 30,000,000")


def _scope(kit: Kit) -> None:
    """PRO01's scope: enterprise projects, project services, exemptions and method approvals.  The
    project cases share one project: out of scope, or PRO01's, none of them joins a PRO02 group."""
    p = _project(kit)
    t = kit.tender(p, "services", "negotiation", value=1_500_000.0, bids=3, service_type="design")
    kit.expect("PRO01", t["tender_id"])
    t = kit.tender(p, "services", "negotiation", value=1_500_000.0, bids=3, service_type="other")
    kit.near("PRO01", t["tender_id"], "project services other than survey, design, supervision")
    t = kit.tender(p, "works", "single_source", value=5_000_000.0, bids=1, exemption="抢险救灾工程")
    kit.near("PRO01", t["tender_id"], "exemption recorded")
    t = kit.tender(p, "works", "invited", value=5_000_000.0, method_approval="某县发改招标〔2019〕12号")
    kit.near("PRO01", t["tender_id"], "approval of the invited method recorded")
    c = kit.contract(p, None, amount=5_000_000.0, kind="works", exemption="涉及国家安全")
    kit.near("PRO01", c["contract_id"], "contract without tender, exemption recorded")
    t = kit.tender(_project(kit, category="enterprise"), "works", "single_source", value=5_000_000.0,
                   bids=1)
    kit.near("PRO01", t["tender_id"], "enterprise project: out of scope")
    t = kit.tender(None, "services", "consultation", value=2_500_000.0, bids=3, service_type="other")
    kit.expect("PRO01", t["tender_id"])


def _splits(kit: Kit) -> None:
    """PRO02: a project's tenders over all years; others by buyer, year, kind and item code."""
    p = _project(kit)
    group = [kit.tender(p, "goods", "inquiry", value=v, bids=3) for v in (800_000.0, 700_000.0, 600_000.0)]
    kit.expect("PRO02", _ids(group))
    county = kit.next_county()[0]
    buyer = f"{county}{kit._town(county)}人民政府"
    group = [kit.tender(None, "services", "consultation", value=v, bids=3, county=county, buyer=buyer)
             for v in (1_200_000.0, 900_000.0)]
    kit.expect("PRO02", _ids(group))
    p = _project(kit)
    group = [kit.tender(p, "works", "negotiation", value=v, bids=3) for v in (2_000_000.0, 1_999_999.0)]
    kit.near("PRO02", _ids(group), "sum 3,999,999 below 4,000,000")
    y0 = kit.as_of.year
    p = _project(kit)
    group = [kit.tender(p, "goods", "inquiry", value=1_500_000.0, bids=3, **_on(notice))
             for notice in (f"{y0 - 1}-12-10", f"{y0}-01-10")]
    kit.expect("PRO02", _ids(group))  # a project's purchases add up whatever the year

    county = kit.next_county()[0]
    buyer = f"{county}{kit._town(county)}人民政府"
    group = [kit.tender(None, "goods", "inquiry", value=1_500_000.0, bids=3, county=county, buyer=buyer,
                        **_on(notice)) for notice in (f"{y0 - 2}-12-10", f"{y0 - 1}-01-10")]
    kit.near("PRO02", _ids(group), "no project: one buyer and kind, two fiscal years")
    buyer = f"{county}{kit._town(county)}人民政府"
    group = [kit.tender(None, "goods", "inquiry", value=1_200_000.0, bids=3, county=county, buyer=buyer,
                        item_code="A02010100", **_on(f"{y0 - 1}-0{m}-15")) for m in (2, 4)]
    kit.expect("PRO02", _ids(group))
    buyer = f"{county}{kit._town(county)}人民政府"
    group = [kit.tender(None, "goods", "inquiry", value=1_200_000.0, bids=3, county=county, buyer=buyer,
                        item_code=code, **_on(f"{y0 - 1}-0{m}-15"))
             for m, code in ((2, "A02010100"), (4, "A02020100"))]
    kit.near("PRO02", _ids(group), "no project: one buyer, year and kind, two catalogue items")

    p = _early(kit)
    first = kit.tender(p, "goods", "inquiry", value=1_200_000.0, bids=3, **_on("2018-05-10"))
    kit.expect("PRO01", first["tender_id"])  # 令第3号 goods 1,000,000
    later = [kit.tender(p, "goods", "inquiry", value=v, bids=3, **_on(d))
             for v, d in ((900_000.0, "2019-03-01"), (1_200_000.0, "2019-05-01"))]
    kit.expect("PRO02", _ids(later))
    kit.near("PRO02", _ids([first, *later]), "the 2018 tender is PRO01's and leaves the group")
    for second, fires in (("2018-05-20", True), ("2018-07-01", False)):
        p = _early(kit)
        group = [kit.tender(p, "goods", "inquiry", value=900_000.0, bids=3, **_on(d)) for d in ("2018-03-01", second)]
        (kit.expect("PRO02", _ids(group)) if fires
         else kit.near("PRO02", _ids(group), "1,800,000 below 令第16号's 2,000,000 in force on the latest date"))


def _below_line(kit: Kit) -> None:
    """PRO16: purchases of one buyer, year and kind just below the threshold in force."""
    y1 = kit.as_of.year - 1  # a whole fiscal year before as_of
    for values, fires in (((1_900_000.0, 1_850_000.0, 1_810_000.0), True),
                          ((1_900_000.0, 1_850_000.0, 1_790_000.0), False)):
        county = kit.next_county()[0]
        buyer = f"{county}{kit._town(county)}人民政府"
        for i, v in enumerate(values):
            kit.tender(None, "goods", "inquiry", value=v, bids=3, county=county, buyer=buyer,
                       item_code=f"A0201{i:02d}00", **_on(f"{y1}-0{2 * i + 2}-10"))
        entity = f"{buyer}|{y1}|goods"
        (kit.expect("PRO16", entity) if fires
         else kit.near("PRO16", entity, "1,790,000 is below 0.9 x 2,000,000"))

    for second, fires in ((3_700_000.0, True), (1_900_000.0, False)):
        # two projects of one department (two works tenders of one project would be a PRO02 group)
        first = _early(kit)
        department = first["department"]
        kit.tender(first, "works", "negotiation", value=1_900_000.0, bids=3, **_on("2018-03-01"))
        kit.contract(first, None, amount=3_800_000.0, kind="works", sign=pd.Timestamp("2018-09-01"))
        p = _early(kit, county=first["county"], department=department)
        kit.tender(p, "works", "negotiation", value=second, bids=3, **_on("2018-07-10"))
        entity = f"{department}|2018|works"
        (kit.expect("PRO16", entity) if fires
         else kit.near("PRO16", entity, "1,900,000 on 2018-07-10 is below 令第16号's band (3.6-4.0 million)"))


def _periods_and_bids(kit: Kit) -> None:
    # the tender checks judge one tender at a time: their cases share a project per check (each
    # project's non-open tenders differ in kind, so no PRO02 group forms)
    p = _project(kit)
    t = kit.tender(p, "works", **_with_period(kit, 15))
    kit.expect("PRO03", t["tender_id"])
    t = kit.tender(p, "works", "invited", value=2_000_000.0, **_with_period(kit, 10))
    kit.expect("PRO03", t["tender_id"])
    t = kit.tender(p, "works", **_with_period(kit, 20))
    kit.near("PRO03", t["tender_id"], "bid period exactly 20 days")
    t = kit.tender(p, "goods", "inquiry", value=500_000.0, **_with_period(kit, 5))
    kit.near("PRO03", t["tender_id"], "inquiry is not a competitive method")

    # --- PRO04, PRO15 ---------------------------------------------------------
    p = _project(kit)
    t = kit.tender(p, "works", bids=2)
    kit.expect("PRO04", t["tender_id"])
    t = kit.tender(p, "works", bids=2, disqualified=(1,))
    kit.expect("PRO04", t["tender_id"])
    kit.near("PRO15", t["tender_id"], "only 2 bidders: PRO04's")
    t = kit.tender(p, "works", bids=4, disqualified=(2, 3))
    kit.expect("PRO15", t["tender_id"])  # a project tender: low
    kit.near("PRO04", t["tender_id"], "4 bidders submitted bids (2 disqualified)")
    t = kit.tender(None, "goods", value=2_400_000.0, bids=3, disqualified=(2,))
    kit.expect("PRO15", t["tender_id"])  # no project: high
    t = kit.tender(p, "works", bids=4, disqualified=(3,))
    kit.near("PRO15", t["tender_id"], "3 bidders not disqualified")
    t = kit.tender(p, "works", bids=3)
    kit.near("PRO04", t["tender_id"], "exactly 3 bidders")
    t = kit.tender(None, "goods", value=2_400_000.0, bids=2, notice_date=kit.day(-30),
                   bid_deadline=kit.day(-5), award_date=kit.day(20))
    kit.near("PRO04", t["tender_id"], "award dated after as_of: not yet awarded")
    t = kit.tender(None, "goods", value=2_400_000.0, bids=[], notice_date=kit.day(-30), bid_deadline=kit.day(-5),
                   award_date=None)
    kit.near("PRO04", t["tender_id"], "no bid rows")


def _prices(kit: Kit) -> None:
    p = _project(kit)
    for ratio in (0.995, 1.0, 0.99):
        t = kit.tender(p, "works", value=10_000_000.0, ratio=ratio)
        kit.expect("PRO05", t["tender_id"])
        if ratio == 1.0:
            kit.near("PRO06", t["tender_id"], "award equal to the ceiling is not above it")
    t = kit.tender(p, "works", value=10_000_000.0, ratio=0.9899)
    kit.near("PRO05", t["tender_id"], "award / ceiling = 0.9899")
    t = kit.tender(p, "works", value=10_000_000.0, ratio=1.02)
    kit.expect("PRO06", t["tender_id"])
    t = kit.tender(p, "works", value=5_000_000.0, ratio=1.02, ceiling_price=None)
    kit.expect("PRO06", t["tender_id"])


def _contracts(kit: Kit) -> None:
    p = _project(kit)  # three contracts: far from PRO11's five
    for days, fires in ((45, True), (-5, True), (30, False)):
        t = kit.tender(p, "works")
        c = kit.contract(p, t, sign=t["award_date"] + days * DAY)
        if fires:
            kit.expect("PRO07", c["contract_id"])
        else:
            kit.near("PRO07", c["contract_id"], "signed exactly 30 days after the award")
    p = _project(kit)
    for factor, fires in ((1.04, True), (1.25, True), (1.0098, False)):
        t = kit.tender(p, "works", value=5_000_000.0)
        c = kit.contract(p, t, amount=round(t["award_amount"] * factor, 2))
        if fires:
            kit.expect("PRO08", c["contract_id"])
        else:
            kit.near("PRO08", c["contract_id"], "contract 0.98% above the award (tolerance 1%)")


def _patterns(kit: Kit) -> None:
    value = 5_600_000.0
    p = _project(kit)
    for amounts in ([4_900_000.0, 5_100_000.0, 5_100_000.0, 5_300_000.0],
                    [4_800_000.0, 4_900_000.0, 5_000_000.0, 5_100_000.0],
                    [round(4_000_000.0 * 1.02 ** k, 2) for k in range(4)]):
        t = kit.tender(p, "works", value=value, bids=amounts)
        kit.expect("PRO09", t["tender_id"])
    t = kit.tender(p, "works", value=value, bids=[4_800_000.0, 4_950_000.0, 5_020_000.0, 5_300_000.0])
    kit.near("PRO09", t["tender_id"], "irregular steps")
    t = kit.tender(p, "goods", "inquiry", value=600_000.0, bids=[550_000.0, 550_000.0])
    kit.near("PRO09", t["tender_id"], "identical bids but only 2 bids")

    # --- PRO10 (a shared registered bank account, medium, is left to the unit tests: the
    # generator's suppliers keep one bank account each) ------------------------
    t = kit.tender(p, "works")
    a, b = (kit.supplier_row(x["bidder_id"]) for x in kit.bids_of(t)[1:3])
    digits = a["phone"]
    b["phone"] = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    a["phone"] = digits
    kit.expect("PRO10", t["tender_id"])  # medium
    t = kit.tender(p, "works")
    bids = kit.bids_of(t)
    bids[3]["bond_account"] = kit.supplier_row(bids[1]["bidder_id"])["bank_account"]
    kit.expect("PRO10", t["tender_id"])  # high
    t = kit.tender(p, "works")
    a, b = (kit.supplier_row(x["bidder_id"]) for x in kit.bids_of(t)[2:4])
    b["legal_rep"] = a["legal_rep"]
    kit.expect("PRO10", t["tender_id"])  # high
    t = kit.tender(p, "works")
    a, b = (kit.supplier_row(x["bidder_id"]) for x in kit.bids_of(t)[1:3])
    b["phone"] = a["phone"][:-1] + str((int(a["phone"][-1]) + 1) % 10)
    kit.near("PRO10", t["tender_id"], "phones one digit apart")
    t = kit.tender(p, "works")
    for x in kit.bids_of(t)[1:3]:
        row = kit.supplier_row(x["bidder_id"])
        row["address"], row["legal_rep"] = "无", "不详"
    kit.near("PRO10", t["tender_id"], "placeholder addresses and names never match")


def _dominance(kit: Kit) -> None:
    cases = (([30e6, 25e6, 15e6, 12e6, 13e6], 2, True, "two of five contracts, 57.9%"),
             ([5e6, 1e6, 1e6, 1e6, 1e6, 1e6], 1, True, "exactly 50%"),
             ([8e6, 0.7e6, 0.7e6, 0.6e6], 1, False, "buyer has only 4 contracts that year"),
             ([4.9e6, 1.2e6, 1.3e6, 1.25e6, 1.35e6], 1, False, "top supplier holds 49%"))
    for awards, n_dominant, fires, note in cases:
        p = kit.project("building", budget=round(sum(awards) * 1.5, -4))
        county = p["county"]
        dominant = kit.supplier(county)
        for i, award in enumerate(awards):
            kind = "works" if award >= 4e6 else "services"
            t = kit.tender(p, kind, value=round(award / 0.93, 2), bids=_steps(award, 3),
                           winner=dominant if i < n_dominant else None)
            kit.contract(p, t)
        year = kit.timeline[p["project_id"]]["sign"].year
        entity = f"{dominant}|{p['department']}|{year}"
        (kit.expect("PRO11", entity) if fires else kit.near("PRO11", entity, note))


def _cover_bidders(kit: Kit) -> None:
    county = kit.next_county()[0]

    def run(loser_against: list[str], note: str | None, loser_also_wins: bool = False) -> None:
        loser = kit.supplier(county, kind="goods")
        for winner in loser_against:
            kit.tender(None, "goods", value=2_500_000.0, county=county, bids=_steps(2_325_000.0, 4),
                       bidders=[winner, None, loser, None])
        if loser_also_wins:
            kit.tender(None, "goods", value=2_500_000.0, county=county, bids=_steps(2_325_000.0, 4),
                       bidders=[loser])
        (kit.expect("PRO12", loser) if note is None else kit.near("PRO12", loser, note))

    w = [kit.supplier(county, kind="goods") for _ in range(7)]
    run([w[0]] * 4, None)
    run([w[1]] * 4 + [w[2]], None)
    run([w[3], w[3], w[4], w[4]], "bids split 50/50 between two winners")
    run([w[5]] * 3, "only 3 bids")
    run([w[6]] * 4, "won a tender itself", loser_also_wins=True)


def _new_winners(kit: Kit) -> None:
    p = _project(kit)
    for days, fires in ((60, True), (100, True), (200, False)):
        t = kit.tender(p, "works")
        kit.supplier_row(t["winner_id"])["registered_date"] = t["bid_deadline"] - days * DAY
        if fires:
            kit.expect("PRO13", t["tender_id"])
        else:
            kit.near("PRO13", t["tender_id"], "winner registered 200 days before the deadline")

    # --- PRO14 ---------------------------------------------------------------
    award = 6_000_000.0
    t = kit.tender(p, "works", value=7_000_000.0,
                   bids=[award * 0.97, award, award * 1.012, award * 1.031], winner_index=1, disqualified=(0,))
    kit.expect("PRO14", t["tender_id"])
    t = kit.tender(p, "works", value=7_000_000.0,
                   bids=[award * 0.95, award * 0.985, award, award * 1.03, award * 1.07], winner_index=2,
                   disqualified=(0,))
    kit.expect("PRO14", t["tender_id"])
    t = kit.tender(p, "works", value=7_000_000.0,
                   bids=[award, award * 1.012, award * 1.031, award * 1.067], disqualified=(3,))
    kit.near("PRO14", t["tender_id"], "the highest bid was disqualified, the lowest won")
