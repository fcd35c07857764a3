"""Planted procurement cases (PRO01-PRO14).  Project-linked thresholds: works
4,000,000, goods 2,000,000, services 1,000,000; without project (government
procurement) goods/services 2,000,000, works 4,000,000.  A tender's value is its
budget.  Unless stated, a tender is open, has 4 valid bids from fresh bidders
with uneven steps, a 25-day bid period, award = 0.93 x ceiling and no contract.

PRO01  non-open tender (or contract without tender) whose value reaches the threshold.
  + single-source works tender of 5,000,000 on a project.
  + services contract of 1,500,000 without tender on a project (entity: contract).
  + invited works tender of exactly 4,000,000 ("reaches").
  - negotiated goods tender of 1,999,999 on a project.
  - consultation services tender of 1,500,000 without project (GP threshold 2,000,000).
PRO02  one buyer, project (or none), kind, notice year: >= 2 non-open tenders each
       below the threshold whose values sum to reach it.
  + three inquiry goods tenders 800,000 + 700,000 + 600,000 on one project.
  + two consultation services tenders 1,200,000 + 900,000 without project.
  - two negotiated works tenders 2,000,000 + 1,999,999 (sum below 4,000,000).
  - two inquiry goods tenders of 1,500,000 noticed in different years.
PRO03  competitive (open/invited) tender with bid period under 20 days.
  + open, 15 days.  + invited (2,000,000 works, below threshold), 10 days.
  - open, exactly 20 days.  - inquiry, 5 days (not competitive).
PRO04  competitive tender with >= 1 bid, awarded by as_of, < 3 valid distinct bidders.
  + open with 2 bids.  + open with 4 bids, the two highest disqualified.
  - open with exactly 3 bids.  - open with 2 bids, award dated after as_of.
  - open with no bid rows at all (not awarded either).
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
       bond account (after normalisation).
  + same phone written '138 1234 5678' and '13812345678'.  + same bond account.
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
"""
from __future__ import annotations

import pandas as pd

from .kit import BID_STEPS, Kit

DAY = pd.Timedelta(days=1)


def _steps(award: float, n: int) -> list[float]:
    return [round(award * s, 2) for s in BID_STEPS[:n]]


def _with_period(kit: Kit, days: int) -> dict:
    notice = kit.day(-200)
    return dict(notice_date=notice, bid_deadline=notice + days * DAY, award_date=notice + (days + 7) * DAY)


def plant(kit: Kit) -> None:
    _thresholds(kit)
    _periods_and_bids(kit)
    _prices(kit)
    _contracts(kit)
    _patterns(kit)
    _dominance(kit)
    _cover_bidders(kit)
    _new_winners(kit)


def _thresholds(kit: Kit) -> None:
    p = kit.project("building")
    t = kit.tender(p, "works", "single_source", value=5_000_000.0, bids=1)
    kit.expect("PRO01", t["tender_id"])
    p = kit.project("building")
    c = kit.contract(p, None, amount=1_500_000.0, kind="services")
    kit.expect("PRO01", c["contract_id"])
    p = kit.project("building")
    t = kit.tender(p, "works", "invited", value=4_000_000.0)
    kit.expect("PRO01", t["tender_id"])
    p = kit.project("building")
    t = kit.tender(p, "goods", "negotiation", value=1_999_999.0, bids=3)
    kit.near("PRO01", t["tender_id"], "negotiated goods tender 1 yuan below the threshold")
    t = kit.tender(None, "services", "consultation", value=1_500_000.0, bids=3)
    kit.near("PRO01", t["tender_id"], "no project: the government-procurement threshold (2,000,000) applies")

    # --- PRO02 ---------------------------------------------------------------
    p = kit.project("building")
    group = [kit.tender(p, "goods", "inquiry", value=v, bids=3) for v in (800_000.0, 700_000.0, 600_000.0)]
    kit.expect("PRO02", "+".join(sorted(t["tender_id"] for t in group)))
    county = kit.next_county()[0]
    buyer = f"{county}{kit._town(county)}人民政府"
    group = [kit.tender(None, "services", "consultation", value=v, bids=3, county=county, buyer=buyer)
             for v in (1_200_000.0, 900_000.0)]
    kit.expect("PRO02", "+".join(sorted(t["tender_id"] for t in group)))
    p = kit.project("building")
    group = [kit.tender(p, "works", "negotiation", value=v, bids=3) for v in (2_000_000.0, 1_999_999.0)]
    kit.near("PRO02", "+".join(sorted(t["tender_id"] for t in group)), "sum 3,999,999 below 4,000,000")
    p = kit.project("building")
    y0 = kit.as_of.year
    group = []
    for notice in (pd.Timestamp(f"{y0 - 1}-12-10"), pd.Timestamp(f"{y0}-01-10")):
        group.append(kit.tender(p, "goods", "inquiry", value=1_500_000.0, bids=3, notice_date=notice,
                                bid_deadline=notice + 8 * DAY, award_date=notice + 12 * DAY))
    kit.near("PRO02", "+".join(sorted(t["tender_id"] for t in group)), "same buyer and kind, different years")


def _periods_and_bids(kit: Kit) -> None:
    t = kit.tender(kit.project("building"), "works", **_with_period(kit, 15))
    kit.expect("PRO03", t["tender_id"])
    t = kit.tender(kit.project("building"), "works", "invited", value=2_000_000.0, **_with_period(kit, 10))
    kit.expect("PRO03", t["tender_id"])
    t = kit.tender(kit.project("building"), "works", **_with_period(kit, 20))
    kit.near("PRO03", t["tender_id"], "bid period exactly 20 days")
    t = kit.tender(kit.project("building"), "goods", "inquiry", value=500_000.0, **_with_period(kit, 5))
    kit.near("PRO03", t["tender_id"], "inquiry is not a competitive method")

    # --- PRO04 ---------------------------------------------------------------
    t = kit.tender(kit.project("building"), "works", bids=2)
    kit.expect("PRO04", t["tender_id"])
    t = kit.tender(kit.project("building"), "works", bids=4, disqualified=(2, 3))
    kit.expect("PRO04", t["tender_id"])
    t = kit.tender(kit.project("building"), "works", bids=3)
    kit.near("PRO04", t["tender_id"], "exactly 3 valid bidders")
    t = kit.tender(None, "goods", value=2_400_000.0, bids=2, notice_date=kit.day(-30),
                   bid_deadline=kit.day(-5), award_date=kit.day(20))
    kit.near("PRO04", t["tender_id"], "award dated after as_of: not yet awarded")
    t = kit.tender(None, "goods", value=2_400_000.0, bids=[], notice_date=kit.day(-30), bid_deadline=kit.day(-5),
                   award_date=None)
    kit.near("PRO04", t["tender_id"], "no bid rows")


def _prices(kit: Kit) -> None:
    for ratio in (0.995, 1.0, 0.99):
        t = kit.tender(kit.project("building"), "works", value=10_000_000.0, ratio=ratio)
        kit.expect("PRO05", t["tender_id"])
        if ratio == 1.0:
            kit.near("PRO06", t["tender_id"], "award equal to the ceiling is not above it")
    t = kit.tender(kit.project("building"), "works", value=10_000_000.0, ratio=0.9899)
    kit.near("PRO05", t["tender_id"], "award / ceiling = 0.9899")
    t = kit.tender(kit.project("building"), "works", value=10_000_000.0, ratio=1.02)
    kit.expect("PRO06", t["tender_id"])
    t = kit.tender(kit.project("building"), "works", value=5_000_000.0, ratio=1.02, ceiling_price=None)
    kit.expect("PRO06", t["tender_id"])


def _contracts(kit: Kit) -> None:
    for days, fires in ((45, True), (-5, True), (30, False)):
        p = kit.project("building")
        t = kit.tender(p, "works")
        c = kit.contract(p, t, sign=t["award_date"] + days * DAY)
        if fires:
            kit.expect("PRO07", c["contract_id"])
        else:
            kit.near("PRO07", c["contract_id"], "signed exactly 30 days after the award")
    for factor, fires in ((1.04, True), (1.25, True), (1.0098, False)):
        p = kit.project("building")
        t = kit.tender(p, "works", value=5_000_000.0)
        c = kit.contract(p, t, amount=round(t["award_amount"] * factor, 2))
        if fires:
            kit.expect("PRO08", c["contract_id"])
        else:
            kit.near("PRO08", c["contract_id"], "contract 0.98% above the award (tolerance 1%)")


def _patterns(kit: Kit) -> None:
    value = 5_600_000.0
    for amounts in ([4_900_000.0, 5_100_000.0, 5_100_000.0, 5_300_000.0],
                    [4_800_000.0, 4_900_000.0, 5_000_000.0, 5_100_000.0],
                    [round(4_000_000.0 * 1.02 ** k, 2) for k in range(4)]):
        t = kit.tender(kit.project("building"), "works", value=value, bids=amounts)
        kit.expect("PRO09", t["tender_id"])
    t = kit.tender(kit.project("building"), "works", value=value, bids=[4_800_000.0, 4_950_000.0, 5_020_000.0,
                                                                         5_300_000.0])
    kit.near("PRO09", t["tender_id"], "irregular steps")
    t = kit.tender(kit.project("building"), "goods", "inquiry", value=600_000.0, bids=[550_000.0, 550_000.0])
    kit.near("PRO09", t["tender_id"], "identical bids but only 2 bids")

    # --- PRO10 ---------------------------------------------------------------
    t = kit.tender(kit.project("building"), "works")
    a, b = (kit.supplier_row(x["bidder_id"]) for x in kit.bids_of(t)[1:3])
    digits = a["phone"]
    b["phone"] = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    a["phone"] = digits
    kit.expect("PRO10", t["tender_id"])
    t = kit.tender(kit.project("building"), "works")
    bids = kit.bids_of(t)
    bids[3]["bond_account"] = kit.supplier_row(bids[1]["bidder_id"])["bank_account"]
    kit.expect("PRO10", t["tender_id"])
    t = kit.tender(kit.project("building"), "works")
    a, b = (kit.supplier_row(x["bidder_id"]) for x in kit.bids_of(t)[1:3])
    b["phone"] = a["phone"][:-1] + str((int(a["phone"][-1]) + 1) % 10)
    kit.near("PRO10", t["tender_id"], "phones one digit apart")
    t = kit.tender(kit.project("building"), "works")
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
    for days, fires in ((60, True), (100, True), (200, False)):
        t = kit.tender(kit.project("building"), "works")
        kit.supplier_row(t["winner_id"])["registered_date"] = t["bid_deadline"] - days * DAY
        if fires:
            kit.expect("PRO13", t["tender_id"])
        else:
            kit.near("PRO13", t["tender_id"], "winner registered 200 days before the deadline")

    # --- PRO14 ---------------------------------------------------------------
    award = 6_000_000.0
    t = kit.tender(kit.project("building"), "works", value=7_000_000.0,
                   bids=[award * 0.97, award, award * 1.012, award * 1.031], winner_index=1, disqualified=(0,))
    kit.expect("PRO14", t["tender_id"])
    t = kit.tender(kit.project("building"), "works", value=7_000_000.0,
                   bids=[award * 0.95, award * 0.985, award, award * 1.03, award * 1.07], winner_index=2,
                   disqualified=(0,))
    kit.expect("PRO14", t["tender_id"])
    t = kit.tender(kit.project("building"), "works", value=7_000_000.0,
                   bids=[award, award * 1.012, award * 1.031, award * 1.067], disqualified=(3,))
    kit.near("PRO14", t["tender_id"], "the highest bid was disqualified, the lowest won")
