"""PRO — procurement checks on bids and suppliers (PRO04, PRO09, PRO11–PRO14; PRO10 is in ``procurement_links``).

Every pairwise comparison stays inside one tender (or one supplier's bids):
sorts, diffs and group-bys on (tender, value) keys, never a cross join.  Bids are
grouped by the integer codes of ``frames.bid_codes`` (tender codes sort as the
tender_ids do), so a group-by over four hundred thousand bids stays cheap.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .frames import (COMPETITIVE, TENDER_AMOUNT, TENDER_AWARD, TENDER_OPTIONAL, Runs, at_least, bid_codes, bid_tenders, buyer_county,
                     county_by_project_else, days, involved_amount, isin, lookup, most_common, not_disqualified,
                     optional_column, pair_codes, positions, present, sort_order, take, tender_by_id, tender_finding,
                     tender_frame, tender_rows, unreadable)
from .registry import NotRun, check, partly_judged

PROGRESSION_TOLERANCE = 0.001  # checks.md PRO09: every step (ratio) within 0.1 % of the mean one
@check("PRO04", "too-few-bids", area="procurement", severity="high", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "method"), "bids": ("tender_id", "bidder_id")},
       params=("min_bidders",), optional=TENDER_AWARD,
       basis="招标投标法 第二十八条",
       condition={
           "zh": "采购方式为公开招标或邀请招标、至少有一条投标记录、且已确定中标（中标人或中标金额已填写；中标日期晚于审计基准日的视为未中标）的招标，"
                 "其递交投标的不同投标人（含被否决、废标的投标）少于（<）最少投标人数（参数 min_bidders，默认 3家）的。中标日期无法读取、"
                 "无法确定是否已中标的不列为发现，计入部分未判定数。招标表既无中标人列也无中标金额列时不运行。",
           "en": "A tender with method open or invited, with at least one bid row, and awarded (winner_id or "
                 "award_amount filled; an award dated after as_of counts as not made), whose distinct bidders — "
                 "bids submitted, disqualified ones included — are strictly fewer than min_bidders (default 3). "
                 "A would-be finding whose award_date the loader could not read is not judged (partly judged). "
                 "Not run when tenders has neither a winner_id nor an award_amount column."},
       amount=TENDER_AMOUNT,
       title={"zh": "投标人数量不足", "en": "Too few bidders"},
       detail={"zh": "递交投标的投标人{bidders:int}家（投标{bids:int}份，含被否决的），少于{limit}家仍确定中标",
               "en": "{bidders:int} bidders submitted bids ({bids:int} bids, disqualified ones included), under "
                     "{limit}, yet awarded"})
def too_few_bids(ctx: Context) -> pd.DataFrame:
    """PRO04 counts the bids submitted (招标投标法 第二十八条: 投标人少于三个的，招标人应当重新招标);
    bids that were not valid are PRO15's.  A bid row without bidder_id is no bidder; a blank one is
    one bidder (as revision 1)."""
    t, per = _awarded_with_bidders(ctx)
    limit = ctx.params["min_bidders"]
    hit = t[t["bidders"].to_numpy() < limit]
    doubtful = hit["award_unknown"]
    ids = pd.Index(hit.loc[~doubtful, "tender_id"].unique())
    rows = tender_rows(ctx, ids, bidders=per["bidders"], bids=per["bids"], limit=limit)
    left = hit.loc[doubtful].drop_duplicates("tender_id")
    return partly_judged(rows, entities=county_by_project_else(ctx, left["project_id"], left["county"]))


def _awarded_with_bidders(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``_count_awarded_bidders`` once per run (PRO04 and PRO15 read it); not run when the tenders have
    neither a winner_id nor an award_amount column (no tender could be known to be awarded)."""
    if not {"winner_id", "award_amount"} & set(ctx["tenders"].columns):
        raise NotRun("tenders: column(s) winner_id and award_amount missing")
    return ctx.cache("procurement.awarded_with_bidders", lambda: _count_awarded_bidders(ctx))


def _count_awarded_bidders(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Competitive tenders awarded by as_of (winner_id or award_amount set) with at least one bid row,
    with their ``bidders`` and ``valid`` counts, and per tender: ``bids`` (rows), ``bidders`` (distinct
    bidder_id) and ``valid`` (distinct bidders with a bid not disqualified; a missing flag counts as a
    valid bid)."""
    codes = bid_codes(ctx)  # integer codes: a group-by on four hundred thousand string ids costs more
    tender, bidder = codes.tender, codes.bidder
    known = tender >= 0
    n = len(codes.tenders)

    # each (tender, bidder) pair once, and whether any of its bids is valid
    rows = known & (bidder >= 0)  # a bid without bidder_id is no bidder
    pair = pd.factorize(pair_codes(tender[rows], bidder[rows]))[0]
    pair_tender = np.zeros(pair.max() + 1 if len(pair) else 0, dtype="int64")
    pair_tender[pair] = tender[rows]
    valid = np.bincount(pair, weights=not_disqualified(ctx["bids"]).to_numpy(dtype=bool)[rows],
                        minlength=len(pair_tender)) > 0
    # every tender of codes.tenders has a bid row: no tender is without bids here
    per = pd.DataFrame({"bids": np.bincount(tender[known], minlength=n),
                        "bidders": np.bincount(pair_tender, minlength=n),
                        "valid": np.bincount(pair_tender[valid], minlength=n)}, index=codes.tenders)
    t = tender_frame(ctx)
    awarded = present(t["winner_id"]) | t["award_amount"].notna()
    at = positions(t["tender_id"], per.index)  # each tender's counts, looked up once for PRO04 and PRO15
    judged = (t["method"].isin(COMPETITIVE) & awarded).to_numpy(dtype=bool) & (at >= 0)
    # only the columns read after: a row filter copies every column it is given
    return t[["tender_id", "award_unknown", "linked", "project_id", "county"]][judged].assign(
        bidders=per["bidders"].to_numpy()[at[judged]], valid=per["valid"].to_numpy()[at[judged]]), per


@check("PRO15", "few-valid-bids", area="procurement", severity="high", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "method"), "bids": ("tender_id", "bidder_id", "disqualified")},
       params=("min_bidders",), optional=TENDER_AWARD,
       basis="政府采购法 第三十六条; 评标委员会和评标方法暂行规定 第二十七条",
       condition={
           "zh": "采购方式为公开招标或邀请招标、已确定中标（同投标人数量不足检查）的招标，递交投标的不同投标人达到（≥）最少投标人数"
                 "（参数 min_bidders，默认 3家），但投标未被否决（是否废标未填写的视为有效）的不同投标人少于（<）该人数的。未关联项目的"
                 "（政府采购）严重程度为高（政府采购法 第三十六条：应予废标）；关联项目的为低（依法否决后有效投标不足三个的，"
                 "须核实评标报告是否说明理由：评标委员会和评标方法暂行规定 第二十七条）。中标日期无法读取、无法确定是否已中标的不列为发现，"
                 "计入部分未判定数。招标表既无中标人列也无中标金额列时不运行。",
           "en": "A tender with method open or invited, awarded (as PRO04), with at least (≥) min_bidders "
                 "(default 3) distinct bidders but strictly fewer than min_bidders distinct bidders with a bid "
                 "not disqualified (a blank disqualified flag counts as valid). Severity high for a tender with "
                 "no project (政府采购法 第三十六条: the procurement must be cancelled), low for a project tender "
                 "(lawful after 否决; the evaluation report must say why: 评标委员会和评标方法暂行规定 第二十七条). "
                 "A would-be finding whose award_date the loader could not read is not judged (partly judged). "
                 "Not run when tenders has neither a winner_id nor an award_amount column."},
       amount=TENDER_AMOUNT,
       title={"zh": "有效投标不足", "en": "Too few valid bids"},
       detail={"gp": {"zh": "递交投标的投标人{bidders:int}家，未被否决的仅{valid:int}家（少于{limit}家），仍确定中标（政府采购应予废标）",
                      "en": "{bidders:int} bidders, only {valid:int} not disqualified (under {limit}), yet awarded (a "
                            "government purchase must then be cancelled)"},
               "project": {"zh": "递交投标的投标人{bidders:int}家，未被否决的仅{valid:int}家（少于{limit}家），仍确定中标"
                                 "（须核实评标报告是否说明理由）",
                           "en": "{bidders:int} bidders, only {valid:int} not disqualified (under {limit}), yet awarded "
                                 "(the evaluation report must say why)"}})
def few_valid_bids(ctx: Context) -> pd.DataFrame:
    """PRO15.  A bidder is valid when any of its bids is not disqualified.  A disqualified flag the
    loader could not read counts as valid (as a missing one): a finding then holds whatever the
    flag was, since a disqualified bid could only leave fewer valid bidders."""
    t, per = _awarded_with_bidders(ctx)
    limit = ctx.params["min_bidders"]
    hit = t[(t["bidders"] >= limit) & (t["valid"] < limit)]
    hit = hit[~hit["tender_id"].duplicated()]
    doubtful = hit["award_unknown"]
    unjudged = county_by_project_else(ctx, hit.loc[doubtful, "project_id"], hit.loc[doubtful, "county"])
    hit = hit[~doubtful].set_index("tender_id")
    linked = hit["linked"].astype(bool)
    rows = tender_rows(ctx, hit.index, bidders=per["bidders"], valid=per["valid"].astype(int), limit=limit,
                       severity=linked.map({True: "low", False: "high"}),
                       variant=linked.map({True: "project", False: "gp"}),
                       basis=linked.map({True: "评标委员会和评标方法暂行规定 第二十七条", False: "政府采购法 第三十六条"}))
    return partly_judged(rows, entities=unjudged)


@check("PRO09", "patterned-bids", area="procurement", severity="high", entity_type="tender",
       inputs={"bids": ("tender_id", "bidder_id", "amount")}, optional=(("tenders", "county"), *TENDER_AWARD),
       basis="招标投标法实施条例 第四十条",
       condition={
           "zh": "同一招标中报价已填写的投标不少于3份（含被废标的投标）时，有下列情形之一的：（1）两个不同投标人的报价相同；（2）全部报价由低到高排列后呈等差数列：平均差值大于0，"
                 "且每个相邻差值与平均差值之差的绝对值不超过平均差值的0.1%；（3）全部报价均大于0，由低到高排列后呈等比数列：平均比值大于1，"
                 "且每个相邻比值与平均比值之差的绝对值不超过平均比值的0.1%。",
           "en": "A tender with at least 3 bids with an amount (disqualified ones included) where: two "
                 "different bidders bid identical amounts; or all bids, sorted, form an arithmetic progression "
                 "(mean step > 0 and every step within 0.1% of the mean step, inclusive); or all bids are "
                 "above 0 and, sorted, form a geometric progression (mean ratio > 1 and every ratio within "
                 "0.1% of the mean ratio, inclusive)."},
       amount=TENDER_AMOUNT,
       title={"zh": "投标报价呈规律性", "en": "Patterned bids"},
       detail={"identical": {"zh": "投标人{bidders:suppliers}报价相同（{same_amount:wan}）",
                             "en": "bidders {bidders:suppliers} bid the same amount {same_amount:wan}"},
               "arithmetic": {"zh": "全部{n:int}份报价呈等差数列（公差约{step:wan}）",
                              "en": "all {n:int} bids form an arithmetic progression (step about {step:wan})"},
               "geometric": {"zh": "全部{n:int}份报价呈等比数列（公比约{ratio:.4f}）",
                             "en": "all {n:int} bids form a geometric progression (ratio about {ratio:.4f})"}})
def patterned_bids(ctx: Context) -> pd.DataFrame:
    codes = bid_codes(ctx)  # tender codes sort as tender_ids do; bidder -1 where missing
    amount = ctx["bids"]["amount"]
    rows = np.flatnonzero(codes.tender_ok & amount.notna().to_numpy())
    tender, amount = codes.tender[rows], amount.to_numpy()[rows]
    rows, tender, amount = (x[np.bincount(tender)[tender] >= 3] for x in (rows, tender, amount))  # 3 bids or more
    order = sort_order(tender, amount)  # by tender, then amount (stable, as sort_values)
    b = pd.DataFrame({"tender": tender[order], "bidder": codes.bidder[rows[order]], "amount": amount[order]})
    n = b.groupby("tender").size()

    # two different bidders bidding the same amount: in a run of rows of one tender and one amount, the
    # named bidders are not all one; the detail names the lowest such amount
    named = b[b["bidder"] >= 0]
    of_amount = Runs.of(named["tender"], named["amount"])
    same = named[(of_amount.min(named["bidder"]) != of_amount.max(named["bidder"]))[of_amount.id]]
    same = same[same["amount"] == same.groupby("tender")["amount"].transform("min")]
    same_amount = same.groupby("tender")["amount"].first()
    same = same.assign(bidder_id=codes.bidder_ids(same["bidder"], index=same.index))
    same = same.drop_duplicates(["tender", "bidder_id"]).sort_values(["tender", "bidder_id"], kind="stable")
    bidders = same.groupby("tender")["bidder_id"].agg(list)

    # every step (or ratio) between consecutive amounts within 0.1 % of the tender's mean one
    tender, amount = b["tender"].to_numpy(), b["amount"].to_numpy()
    arithmetic = _progression(tender, np.diff(amount, prepend=np.nan), positive_mean=0.0)
    of_tender = Runs.of(tender)
    above_zero = (of_tender.first(amount) > 0)[of_tender.id]  # the lowest bid (the first) above zero
    tender, amount = tender[above_zero], amount[above_zero]
    geometric = _progression(tender, amount / np.append(np.nan, amount[:-1]), positive_mean=1.0)

    # one finding per tender: identical amounts first, else an arithmetic, else a geometric progression
    found = same_amount.index.union(arithmetic.index).union(geometric.index)
    if found.empty:
        return pd.DataFrame()
    variant = pd.Series("geometric", index=found)
    variant[found.isin(arithmetic.index)] = "arithmetic"
    variant[found.isin(same_amount.index)] = "identical"
    per = pd.DataFrame({"variant": variant, "bidders": bidders, "same_amount": same_amount, "n": n,
                        "step": arithmetic, "ratio": geometric}).reindex(found)
    per.index = pd.Index(codes.tenders[found], dtype="str")
    return tender_rows(ctx, per.index, **per)


def _progression(tender: np.ndarray, step: np.ndarray, positive_mean: float) -> pd.Series:
    """Mean step per tender (index: its code) whose every step lies within the tolerance of that mean.

    ``tender`` is sorted; ``step`` is the difference (or ratio) to the previous bid in amount order;
    the first bid of each tender is not compared with the last of the previous one.
    """
    later = np.ones(len(tender), dtype=bool)
    later[Runs.of(tender).starts] = False  # every bid but each tender's first
    tender, step = tender[later], step[later]
    per = Runs.of(tender)
    mean = per.mean(step)
    off = per.any(np.abs(step - mean[per.id]) > PROGRESSION_TOLERANCE * np.abs(mean[per.id]))
    kept = ~off & (mean > positive_mean)
    return pd.Series(mean[kept], index=per.first(tender)[kept])


@check("PRO12", "cover-bidder", area="procurement", severity="medium", entity_type="supplier",
       inputs={"bids": ("tender_id", "bidder_id"), "tenders": ("tender_id", "county", "winner_id")},
       params=("cover_min_bids", "cover_share"), cross_county=True,
       optional=(("tenders", "award_date"), ("tenders", "award_amount"), ("tenders", "budget"),
                 ("tenders", "ceiling_price"), ("suppliers", "name")),
       basis="陪标迹象 (招标投标法实施条例 第四十条)",
       condition={
           "zh": "某供应商参与投标的招标（同一招标计一次，含被废标的投标）不少于（≥）最少投标次数（参数 cover_min_bids，默认 4次）且从未中标，"
                 "其中由同一家供应商中标的招标占其投标次数的比例达到（≥）陪标比例（参数 cover_share，默认 0.75）的（中标日期晚于审计基准日的视为未中标；"
                 "比例达标的中标人有多家时取次数最多者）。跨县区判定，一律使用默认参数。中标日期无法读取的招标，其中标人是否已确定无法判断："
                 "依赖于此的发现不列出，计入部分未判定数。",
           "en": "A supplier that bid in at least (≥) cover_min_bids tenders (default 4; each tender counted "
                 "once, disqualified bids included), won none, and of whose tenders a share of at least (≥) "
                 "cover_share (default 0.75) were won by one same supplier (an award dated after as_of counts "
                 "as not made; of several such winners the most frequent is named). Cross-county: always the "
                 "default parameters. A would-be finding that holds only if awards whose award_date the loader "
                 "could not read count as made is not judged (partly judged)."},
       amount={"zh": "由该中标人中标的那些招标的中标金额（无则招标项目金额）合计",
               "en": "the sum of the award amounts (else the tenders' values) of the tenders won by that winner"},
       title={"zh": "疑似陪标", "en": "Cover bidder"},
       detail={"zh": "{loser:supplier}投标{n:int}次均未中标，其中{k:int}次（{share:pct}，≥{limit:pct}）"
                     "由{winner:supplier}中标",
               "en": "{loser:supplier} bid {n:int} times and never won; {winner:supplier} won {k:int} of those "
                     "tenders ({share:pct}, >= {limit:pct})"})
def cover_bidder(ctx: Context) -> pd.DataFrame:
    """PRO12.  A tender whose award_date the loader could not read may not have been awarded by
    as_of: a finding is kept only when it also holds with those awards not made (its values are
    then read that way), and a finding that holds only with them made is counted as unjudged."""
    t = tender_frame(ctx)
    t = t[~t["tender_id"].duplicated()]
    found = _cover(ctx, t)
    unknown = t["award_unknown"].to_numpy(dtype=bool)
    if not unknown.any():
        return found
    cautious = _cover(ctx, t.assign(winner_id=t["winner_id"].where(~unknown),
                                    award_amount=t["award_amount"].where(~unknown)))
    kept = isin(cautious["entity_id"], found["entity_id"])
    held = found.loc[~isin(found["entity_id"], cautious["entity_id"]).to_numpy(), "county"]
    return partly_judged(cautious[kept.to_numpy()], entities=held)


def _cover(ctx: Context, t: pd.DataFrame) -> pd.DataFrame:
    """Bidders and winners as integer codes (``bid_codes``; winners numbered among the tenders), each
    tender looked up once: only the pairs found are spelled out."""
    codes = bid_codes(ctx)
    rows = np.flatnonzero(codes.tender_ok & codes.bidder_ok)
    rows = rows[~pd.Series(pair_codes(codes.tender[rows], codes.bidder[rows])).duplicated().to_numpy()]
    bidder = codes.bidder[rows]  # one bid per bidder and tender, in table order
    # each bid beside its tender's winner, county and amount (a left join on the unique tender_id)
    at = bid_tenders(ctx)[codes.tender[rows]]  # t has tender_by_id's rows, in its order
    winner_bidder = positions(t["winner_id"], pd.Series(codes.bidders, dtype="str"))  # the winner's bidder code
    won = _at(winner_bidder, at, -1) == bidder
    n = np.bincount(bidder, minlength=len(codes.bidders))
    wins = np.bincount(bidder, weights=won, minlength=len(codes.bidders))
    loser = (n >= ctx.params["cover_min_bids"]) & (wins == 0)
    lost = loser[bidder] & _at(present(t["winner_id"]).to_numpy(dtype=bool), at, False)
    winner, winners = pd.factorize(t["winner_id"])
    pairs = pd.DataFrame({"bidder": bidder[lost], "winner": _at(winner, at, -1)[lost],
                          "involved": take(involved_amount(t), at[lost])})
    pairs = pairs.groupby(["bidder", "winner"], sort=False).agg(k=("involved", "size"), amount=("involved", "sum"))
    pairs = pairs.reset_index()
    pairs = pairs.assign(bidder_id=codes.bidders[pairs["bidder"]], winner=pd.Index(winners, dtype="str")[pairs["winner"]],
                         n=n[pairs["bidder"]])
    pairs = pairs[at_least(pairs["k"] / pairs["n"], ctx.params["cover_share"])]
    # with cover_share at or below one half two winners could qualify: name the one it lost to most
    pairs = pairs.sort_values(["bidder_id", "k", "winner"], ascending=[True, False, True], kind="stable")
    pairs = pairs.drop_duplicates("bidder_id")
    named = np.isin(bidder, pairs["bidder"].to_numpy())
    county = most_common(pd.DataFrame({"bidder_id": codes.bidders[bidder[named]],
                                       "county": take(t["county"], at[named])}), "bidder_id", "county")
    return pd.DataFrame({
        "entity_id": pairs["bidder_id"], "county": pairs["bidder_id"].map(county), "amount": pairs["amount"],
        "loser": pairs["bidder_id"], "winner": pairs["winner"], "n": pairs["n"], "k": pairs["k"],
        "share": pairs["k"] / pairs["n"], "limit": ctx.params["cover_share"],
    })


def _at(per_tender: np.ndarray, at: np.ndarray, missing) -> np.ndarray:
    """``per_tender[at]``, ``missing`` where ``at`` is -1 (a bid whose tender is not in the tenders table)."""
    return pd.api.extensions.take(np.asarray(per_tender), at, allow_fill=True, fill_value=missing)


@check("PRO14", "lowest-bid-disqualified", area="procurement", severity="medium", entity_type="tender",
       inputs={"bids": ("tender_id", "bidder_id", "amount", "disqualified"),
               "tenders": ("tender_id", "county", "winner_id")},
       optional=TENDER_AWARD,
       basis="最低价投标被否决 (OCP 红旗指标 R036)",
       condition={
           "zh": "同一招标中报价最低（报价已填写）的投标全部被废标，而中标人（按中标人编码识别）的投标报价高于该最低报价的招标（中标日期晚于审计基准日的视为未中标；"
                 "中标日期无法读取、无法确定是否已中标的不列为发现，计入部分未判定数）。",
           "en": "Every bid at the tender's lowest amount was disqualified and the winner's bid (the bid whose "
                 "bidder_id is the winner_id) is strictly higher; an award dated after as_of counts as not "
                 "made, and a would-be finding whose award_date the loader could not read is not judged (partly "
                 "judged)."},
       amount=TENDER_AMOUNT,
       title={"zh": "最低报价被废标", "en": "Lowest bid disqualified"},
       detail={"zh": "最低报价{lowest:wan}（{lowest_bidders:suppliers}）被废标，"
                     "中标人{winner:supplier}报价{winning:wan}",
               "en": "Lowest bid {lowest:wan} ({lowest_bidders:suppliers}) disqualified; winner {winner:supplier} "
                     "bid {winning:wan}"})
def lowest_bid_disqualified(ctx: Context) -> pd.DataFrame:
    bids, codes = ctx["bids"], bid_codes(ctx)
    keep = np.flatnonzero(codes.tender_ok & bids["amount"].notna().to_numpy())
    # per tender (integer codes in tender_id order): the lowest amount, whether a bid at it is
    # valid, and the winner's first bid
    code, bidder, tenders = codes.tender[keep], codes.bidder[keep], codes.tenders
    every_tender = range(len(tenders))
    amount = bids["amount"].to_numpy()[keep]
    valid = not_disqualified(bids).to_numpy()[keep]
    lowest = pd.Series(amount).groupby(code, sort=True).min().reindex(every_tender).to_numpy()
    at = amount == lowest[code]
    any_valid = np.bincount(code[at], weights=valid[at], minlength=len(tenders)) > 0
    winner = tender_by_id(ctx)["winner_id"]
    winner_code = positions(take(winner, bid_tenders(ctx)), codes.bidders)[code]
    won = (winner_code >= 0) & (bidder == winner_code)
    winning = pd.Series(amount[won]).groupby(code[won], sort=True).first().reindex(every_tender).to_numpy()
    hit = ~any_valid & (winning > lowest)
    per = pd.DataFrame({"lowest": lowest[hit], "winning": winning[hit]}, index=pd.Index(tenders[hit], name="tender_id"))
    named = at & hit[code]
    at_lowest = pd.DataFrame({"tender_id": tenders[code[named]],
                              "bidder_id": take(pd.Series(codes.bidders, dtype="str"), bidder[named])})
    # the detail names the bidders at the lowest amount (a bid without bidder_id has no one to name)
    at_lowest = at_lowest.dropna().drop_duplicates().sort_values(["tender_id", "bidder_id"], kind="stable")
    named_at_lowest = at_lowest.groupby("tender_id")["bidder_id"].agg(list)
    per["lowest_bidders"] = [named_at_lowest.get(t, []) for t in per.index]
    per["winner"] = lookup(per.index, winner).to_numpy()
    by_id = tender_by_id(ctx)
    doubtful = lookup(per.index.to_series(), by_id["award_unknown"]).fillna(False).to_numpy(dtype=bool)
    held = per.index[doubtful].to_series()
    unjudged = county_by_project_else(ctx, lookup(held, by_id["project_id"]), lookup(held, by_id["county"]))
    return partly_judged(tender_rows(ctx, per.index[~doubtful], **per[~doubtful]), entities=unjudged)


# --- PRO11: concentration of a buyer's contracts ----------------------------------------------

@check("PRO11", "supplier-dominance", area="procurement", severity="medium", entity_type="supplier",
       inputs={"contracts": ("contract_id", "project_id", "supplier_id", "sign_date", "amount")},
       params=("dominance_share", "dominance_min_contracts"), cross_county=True,
       optional=(("contracts", "tender_id"), ("tenders", "buyer"), ("tenders", "county"),
                 ("projects", "department"), ("suppliers", "name")),
       basis="供应商集中度 (利益输送迹象)",
       condition={
           "zh": "同一采购人（合同关联招标的招标人，无则合同所属项目的项目单位）在同一年度（合同签订日期所在年度）签订的合同（签订日期不晚于审计基准日，且采购人、供应商、签订日期、合同金额均已填写）"
                 "不少于（≥）最少合同数（参数 dominance_min_contracts，默认 5份）且合同金额合计大于0，其中某一供应商的合同金额（签订金额）合计占比达到（≥）集中度比例（参数 "
                 "dominance_share，默认 0.5）的。跨县区判定，一律使用默认参数。",
           "en": "For one buyer (the contract's tender's buyer, else its project's department) and one year "
                 "(of sign_date), with at least (≥) dominance_min_contracts contracts (default 5) signed on or "
                 "before as_of with buyer, supplier, sign_date and amount filled, and a positive total: one "
                 "supplier's share of the buyer's contract value (amounts as signed) is at least (≥) "
                 "dominance_share (default 0.5). Cross-county: always the default parameters."},
       amount={"zh": "该供应商当年在该采购人处的合同金额（签订金额）合计",
               "en": "the supplier's contract value (amounts as signed) with that buyer in that year"},
       title={"zh": "供应商集中度过高", "en": "Supplier dominance"},
       detail={"zh": "{buyer}{year}年合同{n:int}份共{total:wan}，{supplier:supplier}占{amount:wan}（{share:pct}，≥{limit:pct}）",
               "en": "{buyer} in {year}: {n:int} contracts worth {total:wan}; {supplier:supplier} holds {amount:wan} "
                     "({share:pct}, >= {limit:pct})"})
def supplier_dominance(ctx: Context) -> pd.DataFrame:
    c = _contracts_with_buyer(ctx)[["buyer", "supplier_id", "sign_date", "amount", "contract_county"]]
    c = c[present(c["buyer"]) & present(c["supplier_id"]) & c["sign_date"].notna() & c["amount"].notna()]
    # buyers and suppliers grouped as integer codes (the same groups, in the same order, as their text)
    buyer, buyers = pd.factorize(c["buyer"])
    supplier, suppliers = pd.factorize(c["supplier_id"])
    codes = pd.DataFrame({"buyer": buyer, "year": c["sign_date"].dt.year.astype(int).to_numpy(), "supplier": supplier,
                          "amount": c["amount"].to_numpy()})
    per_buyer = codes.groupby(["buyer", "year"], sort=False)["amount"].agg(["size", "sum"])
    per_buyer = per_buyer[(per_buyer["size"] >= ctx.params["dominance_min_contracts"]) & (per_buyer["sum"] > 0)]
    per_supplier = (codes.groupby(["buyer", "year", "supplier"], sort=False)["amount"].sum().rename("value")
                    .reset_index().merge(per_buyer.reset_index(), on=["buyer", "year"]))
    d = per_supplier[at_least(per_supplier["value"] / per_supplier["sum"], ctx.params["dominance_share"])]
    # the buyer's county (as PRO16's): its tenders', else its contracts' (tender's, else project's)
    of_contracts = most_common(c[np.isin(buyer, d["buyer"].to_numpy())], "buyer", "contract_county")
    d = d.assign(buyer=pd.Index(buyers, dtype="str")[d["buyer"]], supplier_id=pd.Index(suppliers, dtype="str")[d["supplier"]])
    county = d["buyer"].map(of_contracts)
    if ctx.has("tenders", "buyer", "county"):
        of_tenders = lookup(d["buyer"], buyer_county(ctx))
        county = of_tenders.where(present(of_tenders), county)
    return pd.DataFrame({
        "entity_id": d["supplier_id"] + "|" + d["buyer"] + "|" + d["year"].astype(str),
        "county": county, "amount": d["value"],
        "buyer": d["buyer"], "year": d["year"], "n": d["size"], "total": d["sum"], "supplier": d["supplier_id"],
        "share": d["value"] / d["sum"], "limit": ctx.params["dominance_share"],
    })


def _contracts_with_buyer(ctx: Context) -> pd.DataFrame:
    """Contracts with their buyer and county: the tender's, else the project's department and county."""
    c = ctx["contracts"]
    tender_id = optional_column(c, "tender_id")
    buyer = pd.Series(None, index=c.index, dtype="str")
    county = pd.Series(None, index=c.index, dtype="str")
    if ctx.has("tenders", "tender_id", "buyer"):
        t = tender_by_id(ctx)  # buyer and county as loaded: only award fields are blanked there
        at = positions(tender_id, t.index)
        buyer = take(t["buyer"], at, index=c.index).astype("str")
        if "county" in t.columns:
            county = take(t["county"], at, index=c.index).astype("str")
    has_departments = ctx.has("projects", "project_id", "department")
    if not has_departments and not ctx.has("tenders", "tender_id", "buyer"):
        raise NotRun("no buyer: needs tenders (tender_id, buyer) or projects (department)")
    if not ctx.has("projects", "project_id") or "project_id" not in c.columns:  # OCDS: tenders only
        return c.assign(buyer=buyer, contract_county=county.where(present(county)))
    p = ctx.raw["projects"]  # as loaded; a repeated project id: its first row (as project_county reads them)
    p = p[[x for x in ("project_id", "department", "county") if x in p.columns]]
    p = p[~p["project_id"].duplicated()]
    at = positions(c["project_id"], p["project_id"])
    if has_departments:
        buyer = buyer.where(present(buyer), take(p["department"], at, index=c.index).astype("str"))
    county = county.where(present(county), take(p["county"], at, index=c.index).astype("str")
                          if "county" in p.columns else None)
    return c.assign(buyer=buyer, contract_county=county)


# --- PRO13: newly registered winners ---------------------------------------------------------

@check("PRO13", "new-winner", area="procurement", severity="medium", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "winner_id"),
               "suppliers": ("supplier_id", "registered_date")},
       params=("new_supplier_days",), optional=(*TENDER_OPTIONAL, ("tenders", "bid_deadline")),
       basis="新设企业中标 (空壳公司迹象)",
       condition={
           "zh": "中标人的成立日期至投标截止日期（未填的取中标日期）相隔的天数不小于0且不超过（≤）新设企业天数（参数 new_supplier_days，默认 180天）"
                 "的招标（中标日期晚于审计基准日的视为未中标）。投标截止日期无法读取而以中标日期代替、或中标日期无法读取（无法确定是否已中标）的，"
                 "不列为发现，计入部分未判定数；中标人成立日期填写但无法识别的招标，亦不予判定，计入该数。",
           "en": "The winner's registered_date lies 0 or more and at most (within) new_supplier_days "
                 "(default 180) days before the bid_deadline (award_date when there is none); an award dated "
                 "after as_of counts as not made. A would-be finding measured to award_date because the "
                 "bid_deadline could not be read, or whose award_date could not be read, is not judged (partly "
                 "judged), nor is a tender whose winner's registered_date could not be read."},
       amount=TENDER_AMOUNT,
       title={"zh": "新成立企业中标", "en": "Newly registered winner"},
       detail={"deadline": {"zh": "中标人{winner:supplier}成立于{registered:day}，距投标截止{date:day}仅{days:int}天（不超过{limit}天）",
                            "en": "Winner {winner:supplier} registered {registered:day}, {days:int} days before the "
                                  "bid deadline {date:day} (within {limit})"},
               "award": {"zh": "中标人{winner:supplier}成立于{registered:day}，距中标{date:day}仅{days:int}天（不超过{limit}天）",
                         "en": "Winner {winner:supplier} registered {registered:day}, {days:int} days before the "
                               "award {date:day} (within {limit})"}})
def new_winner(ctx: Context) -> pd.DataFrame:
    t = tender_frame(ctx)
    s = ctx["suppliers"]
    registered = s[~s["supplier_id"].duplicated()].set_index("supplier_id")["registered_date"]
    reg = lookup(t["winner_id"], registered)
    has_deadline = t["bid_deadline"].notna()
    ref = t["bid_deadline"].where(has_deadline, t["award_date"])
    age = days(ref, reg)
    hit = (age >= 0) & (age <= ctx.params["new_supplier_days"])  # within: the day itself included, as COS06's
    deadline_lost = unreadable(ctx, "tenders", "bid_deadline", t)
    doubtful = hit & (t["award_unknown"] | deadline_lost)
    # a winner whose registered_date could not be read might be new, and a tender whose date to measure to
    # could not be read might be within the days: the finding would rest on the unreadable date
    lost = s.loc[unreadable(ctx, "suppliers", "registered_date", s), "supplier_id"]
    reg_lost = reg.isna() & t["winner_id"].isin(set(lost))
    ref_lost = ref.isna() & (deadline_lost | t["award_unknown"])
    doubtful |= (ref.notna() & reg_lost) | (present(t["winner_id"]) & ref_lost & (reg.notna() | reg_lost))
    hit &= ~doubtful
    t_all, t = t, t[hit]
    return partly_judged(
        tender_finding(ctx, t, variant=has_deadline[hit].map({True: "deadline", False: "award"}),
                       winner=t["winner_id"], registered=reg[hit], date=ref[hit], days=age[hit].astype(int),
                       limit=ctx.params["new_supplier_days"]),
        entities=county_by_project_else(ctx, t_all.loc[doubtful, "project_id"], t_all.loc[doubtful, "county"]))

