"""PRO — procurement (招标采购): thresholds, periods, awards and contracts (PRO01–03, PRO05–08).

The checks on bids and suppliers are in ``procurement_bids`` (PRO04, PRO09, PRO11–PRO14)
and ``procurement_links`` (PRO10); the tender frame they all read is ``frames.tender_frame``
(awards after as_of blanked once, for every check alike).
"""
from __future__ import annotations

import pandas as pd

from .context import Context
from .frames import (COMPETITIVE, TENDER_OPTIONAL, contracts_with_award, county_by_project_else, days, lookup,
                     most_common, optional_column, present, require_cny, tender_finding, tender_frame)
from .registry import NotRun, check

# PRO01's wordings: which value of the tender reached which threshold, or a contract without tender
VALUE_SOURCE = {"budget": ("预算金额", "budget"), "ceiling_price": ("最高限价", "ceiling price"),
                "award_amount": ("中标金额", "award amount")}
THRESHOLD_RULE = {"compulsory": ("依法必须招标限额", "compulsory tendering"),  # project-linked tenders
                  "open-tender": ("公开招标数额标准", "open-tender")}  # tenders with no project
PRO01_DETAIL = {
    **{f"{source}/{rule}": {
        "zh": f"采购方式为{{method:method}}，{source_zh}{{amount:wan}}，达到{{kind:kind}}类{rule_zh}{{threshold:wan}}",
        "en": f"Method {{method:method}}; {source_en} {{amount:wan}} reaches the {rule_en} threshold for "
              f"{{kind:kind}} of {{threshold:wan}}"}
       for source, (source_zh, source_en) in VALUE_SOURCE.items()
       for rule, (rule_zh, rule_en) in THRESHOLD_RULE.items()},
    "contract": {
        "zh": "合同无招标记录，合同金额{amount:wan}，达到{kind:kind}类依法必须招标限额{threshold:wan}",
        "en": "Contract without tender; amount {amount:wan} reaches the compulsory tendering threshold for "
              "{kind:kind} of {threshold:wan}"},
    "contract-without-kind": {
        "zh": "合同无招标记录，合同金额{amount:wan}，达到依法必须招标最高限额（合同未注明类别）{threshold:wan}",
        "en": "Contract without tender; amount {amount:wan} reaches the highest compulsory tendering threshold "
              "(contract kind not given) of {threshold:wan}"},
}


# --- PRO01 / PRO02: thresholds -------------------------------------------------------------

def thresholds(ctx: Context, kind: pd.Series, linked: pd.Series) -> pd.Series:
    """The tendering threshold by kind: tender_thresholds if project-linked, else gp_open_thresholds.

    A kind with no threshold (``unknown`` from OCDS) gets NaN, so it is never flagged.
    """
    linked_t = lookup(kind, pd.Series({k: float(v) for k, v in ctx.params["tender_thresholds"].items()},
                                      dtype="float64"))
    gp_t = lookup(kind, pd.Series({k: float(v) for k, v in ctx.params["gp_open_thresholds"].items()},
                                  dtype="float64"))
    return linked_t.where(linked.astype(bool), gp_t)


@check("PRO01", "tender-avoided", area="procurement", severity="high", entity_type="tender",
       inputs={}, params=("tender_thresholds", "gp_open_thresholds"),
       optional=(("tenders", "tender_id"), ("tenders", "county"), ("tenders", "kind"), ("tenders", "method"),
                 *TENDER_OPTIONAL, ("contracts", "contract_id"), ("contracts", "project_id"),
                 ("contracts", "amount"), ("contracts", "tender_id"), ("contracts", "kind"),
                 ("contracts", "currency")),
       basis="必须招标的工程项目规定 (国家发展改革委令第16号) 第五条; 招标投标法实施条例 第八条; 政府采购法 第二十七条",
       condition={
           "zh": "（一）采购方式已填写且不是公开招标的招标采购项目，其金额（预算金额，无则最高限价，无则中标金额；中标日期晚于审计基准日的视为未中标）达到（≥）"
                 "其采购类别的限额的：关联项目的按依法必须招标限额（参数 tender_thresholds，默认工程400万元、货物200万元、服务100万元），"
                 "未关联项目的按政府采购公开招标数额标准（参数 gp_open_thresholds，默认货物200万元、服务200万元、工程400万元）；邀请招标的严重程度为中，其他方式为高。（二）"
                 "签订日期不晚于审计基准日、无招标编号的合同，其合同金额（签订金额，不含变更）达到（≥）依法必须招标限额（参数 tender_thresholds，按合同类别；"
                 "合同未注明类别或类别为未知的，按其中最高的限额，默认400万元）的，严重程度为高。采购类别无对应限额的不判定；招标或合同的币种不是人民币的，本检查不运行。",
           "en": "(1) A tender whose method is filled and is not open, and whose value (budget, else "
                 "ceiling_price, else award_amount; an award dated after as_of counts as not made) reaches (≥) "
                 "the threshold for its kind: project-linked tenders use tender_thresholds (default works "
                 "4,000,000, goods 2,000,000, services 1,000,000 yuan), tenders with no project use "
                 "gp_open_thresholds (default goods 2,000,000, services 2,000,000, works 4,000,000 yuan); "
                 "severity medium for invited, high otherwise. (2) A contract signed on or before as_of with "
                 "no tender_id whose amount as signed reaches (≥) tender_thresholds for its kind (a contract "
                 "with no kind, or kind unknown, uses the highest tender_thresholds value, default 4,000,000 "
                 "yuan); severity high. A kind with no threshold is not judged; not run when tenders or "
                 "contracts carry a currency other than CNY."},
       amount={"zh": "招标项目：其金额（预算金额，无则最高限价，无则中标金额）；无招标的合同：合同签订金额",
               "en": "tender: its value (budget, else ceiling price, else award amount); contract without "
                     "tender: its amount as signed"},
       event_date="tenders.notice_date, else tenders.award_date; contracts without tender: contracts.sign_date",
       title={"zh": "应招标未招标", "en": "Tendering avoided"},
       detail=PRO01_DETAIL)
def tender_avoided(ctx: Context) -> pd.DataFrame:
    has_tenders = ctx.has("tenders", "tender_id", "county", "kind", "method")
    has_contracts = ctx.has("contracts", "contract_id", "project_id", "amount")
    if not (has_tenders or has_contracts):
        raise NotRun("needs tenders (tender_id, county, kind, method) or contracts (contract_id, project_id, amount)")
    require_cny(ctx, "tenders", "contracts")
    parts = []
    if has_tenders:
        parts.append(_tenders_avoided(ctx))
    if has_contracts:
        parts.append(_contracts_without_tender(ctx))
    return pd.concat(parts, ignore_index=True)


def _tenders_avoided(ctx: Context) -> pd.DataFrame:
    t = tender_frame(ctx)
    t = t.assign(threshold=thresholds(ctx, t["kind"], t["linked"]))
    hit = t[present(t["method"]) & (t["method"] != "open") & (t["value"] >= t["threshold"])]
    rule = hit["linked"].map({True: "compulsory", False: "open-tender"})
    return pd.DataFrame({
        "entity_id": hit["tender_id"], "project_id": hit["project_id"],
        "county": county_by_project_else(ctx, hit["project_id"], hit["county"]),
        "amount": hit["value"],
        "severity": hit["method"].map({"invited": "medium"}).fillna("high"),
        "variant": hit["value_source"] + "/" + rule,
        "method": hit["method"], "kind": hit["kind"], "threshold": hit["threshold"],
    })


def _contracts_without_tender(ctx: Context) -> pd.DataFrame:
    c = ctx["contracts"]
    tender_id = optional_column(c, "tender_id")
    kind = optional_column(c, "kind")
    # A contract is project-linked by definition; with no kind it cannot be classified, but
    # whatever its kind it had to be tendered once it reaches the highest threshold.
    highest = max(float(v) for v in ctx.params["tender_thresholds"].values())
    threshold = thresholds(ctx, kind, pd.Series(True, index=c.index))
    unclassified = ~present(kind) | (kind == "unknown")
    threshold = threshold.where(~unclassified, highest)
    hit_mask = ~present(tender_id) & (c["amount"] >= threshold)
    hit, threshold, unclassified = c[hit_mask], threshold[hit_mask], unclassified[hit_mask]
    return pd.DataFrame({
        "entity_id": hit["contract_id"], "entity_type": "contract", "project_id": hit["project_id"],
        "amount": hit["amount"], "severity": "high",
        "variant": unclassified.map({True: "contract-without-kind", False: "contract"}),
        "kind": kind[hit_mask], "threshold": threshold,
    })


@check("PRO02", "split-purchase", area="procurement", severity="high", entity_type="tender_group",
       inputs={"tenders": ("tender_id", "county", "buyer", "kind", "method")},
       params=("tender_thresholds", "gp_open_thresholds"),
       optional=(*TENDER_OPTIONAL, ("tenders", "notice_date")),
       basis="政府采购法实施条例 第二十八条",
       condition={
           "zh": "采购方式已填写且不是公开招标、采购人已填写、金额（预算金额，无则最高限价，无则中标金额；中标日期晚于审计基准日的视为未中标）低于（<）其采购类别限额、且能确定年度（招标公告日期所在年度，"
                 "无公告日期的取中标日期所在年度）的招标，按采购人、所属项目（未关联项目的归为同一组）、采购类别和年度分组；限额：关联项目的按依法必须招标限额（参数 tender_thresholds，"
                 "默认工程400万元、货物200万元、服务100万元），未关联项目的按政府采购公开招标数额标准（参数 gp_open_thresholds，默认货物200万元、服务200万元、"
                 "工程400万元）。组内招标不少于2项、且金额合计达到（≥）该限额的，整组列为化整为零。招标币种不是人民币的，本检查不运行。",
           "en": "Tenders whose method is filled and is not open, with a buyer, whose value (budget, else "
                 "ceiling_price, else award_amount; an award dated after as_of counts as not made) is strictly "
                 "below the threshold for their kind, and whose year is known (year of notice_date, else of "
                 "award_date), grouped by (buyer, project — tenders with no project form one group —, kind, "
                 "year); thresholds: project-linked tenders use tender_thresholds (default works 4,000,000, "
                 "goods 2,000,000, services 1,000,000 yuan), tenders with no project use gp_open_thresholds "
                 "(default goods 2,000,000, services 2,000,000, works 4,000,000 yuan). A group of at least 2 "
                 "tenders whose values sum to at least (≥) the threshold is reported. Not run when tenders "
                 "carry a currency other than CNY."},
       amount={"zh": "组内各项招标金额（预算金额，无则最高限价，无则中标金额）合计",
               "en": "the sum of the group's tender values (budget, else ceiling price, else award amount)"},
       event_date="the group's latest tenders.notice_date, else tenders.award_date",
       title={"zh": "化整为零规避招标", "en": "Split purchase"},
       detail={"zh": "{buyer}{year}年{kind:kind}采购{n:int}次（均非公开招标、单次低于限额），合计{amount:wan}，"
                     "达到限额{threshold:wan}",
               "en": "{buyer}: {n:int} non-open {kind:kind} purchases in {year}, each below the threshold, "
                     "total {amount:wan} reaching {threshold:wan}"})
def split_purchase(ctx: Context) -> pd.DataFrame:
    require_cny(ctx, "tenders")
    t = tender_frame(ctx)
    t = t.assign(threshold=thresholds(ctx, t["kind"], t["linked"]),
                 year=t["notice_date"].dt.year.where(t["notice_date"].notna(), t["award_date"].dt.year),
                 project_key=t["project_id"].where(t["linked"], ""))
    t = t[present(t["method"]) & (t["method"] != "open") & present(t["buyer"])
          & (t["value"] < t["threshold"]) & t["year"].notna()]
    keys = ["buyer", "project_key", "kind", "year"]
    g = t.groupby(keys, sort=False)
    t = t.assign(n=g["tender_id"].transform("size"), total=g["value"].transform("sum"))
    t = t[(t["n"] >= 2) & (t["total"] >= t["threshold"])]
    if t.empty:
        return pd.DataFrame()
    t = t.assign(group=t.groupby(keys, sort=False).ngroup())
    groups = t.drop_duplicates("group").set_index("group")
    ids = t.groupby("group")["tender_id"].agg(lambda s: "+".join(sorted(s)))
    county = most_common(t, "group", "county")
    project = groups["project_key"].where(groups["project_key"] != "")
    return pd.DataFrame({
        "entity_id": ids, "project_id": project,
        "county": county_by_project_else(ctx, project, county.reindex(groups.index)),
        "amount": groups["total"], "buyer": groups["buyer"], "year": groups["year"].astype(int),
        "n": groups["n"].astype(int), "kind": groups["kind"], "threshold": groups["threshold"],
    })


# --- PRO03, PRO05, PRO06: one tender at a time ------------------------------------------

@check("PRO03", "short-bid-period", area="procurement", severity="medium", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "method", "notice_date", "bid_deadline")},
       params=("min_bid_days",), optional=TENDER_OPTIONAL,
       basis="招标投标法 第二十四条",
       condition={
           "zh": "采购方式为公开招标或邀请招标的招标，投标截止日期与招标公告日期相隔的整日数少于（<）最短等标期（参数 min_bid_days，默认 20天）的（两个日期均须填写）。",
           "en": "A tender with method open or invited whose whole days from notice_date to bid_deadline are "
                 "strictly fewer than min_bid_days (default 20); both dates must be filled."},
       amount={"zh": "中标金额；无中标金额的取该招标项目金额（预算金额，无则最高限价）",
               "en": "the award amount; without one, the tender's value (budget, else ceiling price)"},
       title={"zh": "等标期不足", "en": "Short bid period"},
       detail={"zh": "公告{notice:day}，投标截止{deadline:day}，等标期{days:int}天，少于{min_days}天",
               "en": "Notice {notice:day}, bid deadline {deadline:day}: {days:int} days, under {min_days}"})
def short_bid_period(ctx: Context) -> pd.DataFrame:
    t = tender_frame(ctx)
    period = days(t["bid_deadline"], t["notice_date"])
    hit = t["method"].isin(COMPETITIVE) & (period < ctx.params["min_bid_days"])
    t = t[hit]
    return tender_finding(ctx, t, notice=t["notice_date"], deadline=t["bid_deadline"],
                          days=period[hit].astype(int), min_days=ctx.params["min_bid_days"])


@check("PRO05", "bid-near-ceiling", area="procurement", severity="low", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "award_amount", "ceiling_price")},
       params=("near_ceiling_ratio",), optional=TENDER_OPTIONAL,
       basis="collusion indicator (中标价贴近最高限价)",
       condition={
           "zh": "中标金额除以最高限价（最高限价须大于0）之比，不低于（≥）贴近比例（参数 near_ceiling_ratio，默认 0.99）且不高于（≤）"
                 "1的招标（中标日期晚于审计基准日的视为未中标）。",
           "en": "award_amount ÷ ceiling_price (ceiling_price > 0) is at least (≥) near_ceiling_ratio (default "
                 "0.99) and at most (≤) 1; an award dated after as_of counts as not made."},
       amount={"zh": "中标金额",
               "en": "the award amount"},
       title={"zh": "中标价贴近最高限价", "en": "Award near ceiling price"},
       detail={"zh": "中标金额{award:wan}，最高限价{ceiling:wan}，比例{ratio:pct2}（≥{limit:pct2}）",
               "en": "Award {award:wan}, ceiling {ceiling:wan}: ratio {ratio:pct2} (>= {limit:pct2})"})
def bid_near_ceiling(ctx: Context) -> pd.DataFrame:
    t = tender_frame(ctx)
    ratio = t["award_amount"] / t["ceiling_price"].where(t["ceiling_price"] > 0)
    hit = (ratio >= ctx.params["near_ceiling_ratio"]) & (ratio <= 1)
    t = t[hit]
    return tender_finding(ctx, t, award=t["award_amount"], ceiling=t["ceiling_price"], ratio=ratio[hit],
                          limit=ctx.params["near_ceiling_ratio"])


@check("PRO06", "award-above-ceiling", area="procurement", severity="high", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "award_amount")}, optional=TENDER_OPTIONAL,
       basis="招标投标法实施条例 第五十一条",
       condition={
           "zh": "中标金额高于（>）最高限价的招标；未填最高限价的，与预算金额比较（中标日期晚于审计基准日的视为未中标）。",
           "en": "award_amount strictly above ceiling_price, or above budget when there is no ceiling_price; "
                 "an award dated after as_of counts as not made."},
       amount={"zh": "超出额：中标金额－最高限价（无最高限价的为中标金额－预算金额）",
               "en": "the excess: award amount − ceiling price (budget when there is no ceiling price)"},
       title={"zh": "中标价超最高限价", "en": "Award above ceiling"},
       detail={"ceiling": {"zh": "中标金额{award:wan}超过最高限价{limit:wan}，超出{amount:wan}",
                           "en": "Award {award:wan} above the ceiling price {limit:wan} by {amount:wan}"},
               "budget": {"zh": "中标金额{award:wan}超过预算金额{limit:wan}，超出{amount:wan}",
                          "en": "Award {award:wan} above the budget {limit:wan} by {amount:wan}"}})
def award_above_ceiling(ctx: Context) -> pd.DataFrame:
    t = tender_frame(ctx)
    has_ceiling = t["ceiling_price"].notna()
    limit = t["ceiling_price"].where(has_ceiling, t["budget"])
    hit = t["award_amount"] > limit
    t, limit, has_ceiling = t[hit], limit[hit], has_ceiling[hit]
    out = tender_finding(ctx, t, variant=has_ceiling.map({True: "ceiling", False: "budget"}),
                         award=t["award_amount"], limit=limit)
    out["amount"] = t["award_amount"] - limit
    return out


# --- PRO07, PRO08: contracts against their tender's award ---------------------------------------

@check("PRO07", "late-contract", area="procurement", severity="low", entity_type="contract",
       inputs={"contracts": ("contract_id", "tender_id", "project_id", "sign_date"),
               "tenders": ("tender_id", "award_date")},
       params=("contract_days",),
       basis="招标投标法 第四十六条",
       condition={
           "zh": "签订日期不晚于审计基准日、关联招标的合同，与该招标的中标通知日期（按招标台账所载，不论是否晚于审计基准日）比较：签订日期晚于中标通知日期超过合同签订期限（参数 "
                 "contract_days，默认 30天，即相隔天数>30）的，严重程度为低；签订日期早于中标通知日期的，为中。",
           "en": "A contract signed on or before as_of with a tender_id, compared with its tender's award_date "
                 "as recorded (even if after as_of): sign_date more than contract_days (default 30) days after "
                 "award_date (gap > 30): low; sign_date before award_date: medium."},
       amount={"zh": "合同金额（签订金额）",
               "en": "the contract amount as signed"},
       title={"zh": "合同签订不及时", "en": "Contract not signed in time"},
       detail={"late": {"zh": "中标通知{award:day}后{gap:int}天才签订合同（{sign:day}），超过{limit}天",
                        "en": "Signed {sign:day}, {gap:int} days after the award {award:day} (over {limit})"},
               "early": {"zh": "合同签订于{sign:day}，早于中标通知{award:day}（{gap:int}天）",
                         "en": "Signed {sign:day}, {gap:int} days before the award {award:day}"}})
def late_contract(ctx: Context) -> pd.DataFrame:
    c = contracts_with_award(ctx)
    gap = days(c["sign_date"], c["tender_award_date"])
    limit = ctx.params["contract_days"]
    early, late = gap < 0, gap > limit
    c, gap, early = c[early | late], gap[early | late], early[early | late]
    return pd.DataFrame({
        "entity_id": c["contract_id"], "project_id": c["project_id"], "amount": optional_column(c, "amount", "float64"),
        "severity": early.map({True: "medium", False: "low"}), "variant": early.map({True: "early", False: "late"}),
        "sign": c["sign_date"], "award": c["tender_award_date"], "gap": gap.abs().astype(int), "limit": limit,
    })


@check("PRO08", "contract-exceeds-award", area="procurement", severity="medium", entity_type="contract",
       inputs={"contracts": ("contract_id", "tender_id", "project_id", "amount"),
               "tenders": ("tender_id", "award_amount")},
       params=("award_tolerance",),
       basis="招标投标法 第四十六条",
       condition={
           "zh": "签订日期不晚于审计基准日、关联招标的合同，其合同金额高于（>）该招标中标金额（按招标台账所载）×（1＋中标金额容差（参数 award_tolerance，默认 0.01））的。",
           "en": "A contract signed on or before as_of with a tender_id whose amount is strictly above its "
                 "tender's award_amount as recorded × (1 + award_tolerance) (default 0.01)."},
       amount={"zh": "合同金额超出中标金额的部分：合同金额－中标金额",
               "en": "the excess over the award: contract amount − award amount"},
       title={"zh": "合同金额超中标金额", "en": "Contract exceeds award"},
       detail={"zh": "合同金额{signed:wan}，中标金额{award:wan}，超出{amount:wan}（容差{tolerance:pct}）",
               "en": "Contract {signed:wan}, award {award:wan}: {amount:wan} more (tolerance {tolerance:pct})"})
def contract_exceeds_award(ctx: Context) -> pd.DataFrame:
    c = contracts_with_award(ctx)
    tolerance = ctx.params["award_tolerance"]
    c = c[c["amount"] > c["tender_award_amount"] * (1 + tolerance)]
    excess = c["amount"] - c["tender_award_amount"]
    return pd.DataFrame({
        "entity_id": c["contract_id"], "project_id": c["project_id"], "amount": excess,
        "signed": c["amount"], "award": c["tender_award_amount"], "tolerance": tolerance,
    })

