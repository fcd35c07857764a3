"""PRO — procurement (招标采购): thresholds, periods, awards and contracts (PRO01–03, PRO05–08).

The checks on bids and suppliers are in ``procurement_bids`` (PRO04, PRO09, PRO11–PRO14)
and ``procurement_links`` (PRO10); the tender frame they all read is ``frames.tender_frame``
(awards after as_of blanked once, for every check alike).
"""
from __future__ import annotations

import pandas as pd

from .frames import fmt
from .context import Context
from .frames import (COMPETITIVE, KIND_ZH, METHOD_ZH, TENDER_OPTIONAL, contracts_with_award, county_by_project_else,
                     days, lookup, most_common, optional_column, present, require_cny, say, tender_finding,
                     tender_frame)
from .registry import NotRun, check

VALUE_SOURCE = {"budget": ("预算金额", "budget"), "ceiling_price": ("最高限价", "ceiling price"),
                "award_amount": ("中标金额", "award amount")}


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
       condition="a tender whose method is not open, or a contract with no tender, whose value reaches its "
                 "threshold (invited: medium); a contract with no kind uses the highest tender threshold",
       title={"zh": "应招标未招标", "en": "Tendering avoided"})
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
    zh_src, en_src = (hit["value_source"].map({k: v[i] for k, v in VALUE_SOURCE.items()}) for i in (0, 1))
    rows = pd.DataFrame({
        "method": hit["method"].map(METHOD_ZH).fillna(hit["method"]) if ctx.lang != "en" else hit["method"],
        "source": zh_src if ctx.lang != "en" else en_src,
        "value": fmt.wan(hit["value"]), "threshold": fmt.wan(hit["threshold"]),
        "kind": hit["kind"].map(KIND_ZH) if ctx.lang != "en" else hit["kind"],
        "rule_zh": hit["linked"].map({True: "依法必须招标限额", False: "公开招标数额标准"}),
        "rule_en": hit["linked"].map({True: "compulsory tendering", False: "open-tender"}),
    })
    return pd.DataFrame({
        "entity_id": hit["tender_id"], "project_id": hit["project_id"],
        "county": county_by_project_else(ctx, hit["project_id"], hit["county"]),
        "amount": hit["value"],
        "severity": hit["method"].map({"invited": "medium"}).fillna("high"),
        "detail": say(ctx, rows, "采购方式为{method}，{source}{value}，达到{kind}类{rule_zh}{threshold}",
                      "Method {method}; {source} {value} reaches the {rule_en} threshold for {kind} of {threshold}"),
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
    if ctx.lang == "en":
        rule = ("the compulsory tendering threshold for " + kind[hit_mask]).where(
            ~unclassified, "the highest compulsory tendering threshold (contract kind not given)")
    else:
        rule = (kind[hit_mask].map(KIND_ZH) + "类依法必须招标限额").where(
            ~unclassified, "依法必须招标最高限额（合同未注明类别）")
    rows = pd.DataFrame({"amount": fmt.wan(hit["amount"]), "threshold": fmt.wan(threshold), "rule": rule})
    return pd.DataFrame({
        "entity_id": hit["contract_id"], "entity_type": "contract", "project_id": hit["project_id"],
        "amount": hit["amount"], "severity": "high",
        "detail": say(ctx, rows, "合同无招标记录，合同金额{amount}，达到{rule}{threshold}",
                      "Contract without tender; amount {amount} reaches {rule} of {threshold}"),
    })


@check("PRO02", "split-purchase", area="procurement", severity="high", entity_type="tender_group",
       inputs={"tenders": ("tender_id", "county", "buyer", "kind", "method")},
       params=("tender_thresholds", "gp_open_thresholds"),
       optional=(*TENDER_OPTIONAL, ("tenders", "notice_date")),
       basis="政府采购法实施条例 第二十八条",
       condition="one buyer, project (or none), kind and fiscal year of notice_date (award_date when none): "
                 ">=2 tenders not open, each below the threshold, together reaching it",
       title={"zh": "化整为零规避招标", "en": "Split purchase"},
       detail={"zh": "{buyer}{year}年{kind}采购{n}次（均非公开招标、单次低于限额），合计{total}，达到限额{threshold}",
               "en": "{buyer}: {n} non-open {kind} purchases in {year}, each below the threshold, "
                     "total {total} reaching {threshold}"})
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
        "amount": groups["total"], "buyer": groups["buyer"],
        "year": groups["year"].astype(int).astype(str), "n": groups["n"].astype(int).astype(str),
        "kind": groups["kind"].map(KIND_ZH) if ctx.lang != "en" else groups["kind"],
        "total": fmt.wan(groups["total"]), "threshold": fmt.wan(groups["threshold"]),
    })


# --- PRO03, PRO05, PRO06: one tender at a time ------------------------------------------

@check("PRO03", "short-bid-period", area="procurement", severity="medium", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "method", "notice_date", "bid_deadline")},
       params=("min_bid_days",), optional=TENDER_OPTIONAL,
       basis="招标投标法 第二十四条",
       condition="a competitive (open/invited) tender with bid_deadline - notice_date under min_bid_days days",
       title={"zh": "等标期不足", "en": "Short bid period"},
       detail={"zh": "公告{notice}，投标截止{deadline}，等标期{days}天，少于{min_days}天",
               "en": "Notice {notice}, bid deadline {deadline}: {days} days, under {min_days}"})
def short_bid_period(ctx: Context) -> pd.DataFrame:
    t = tender_frame(ctx)
    period = days(t["bid_deadline"], t["notice_date"])
    hit = t["method"].isin(COMPETITIVE) & (period < ctx.params["min_bid_days"])
    t = t[hit]
    return tender_finding(ctx, t, notice=fmt.day(t["notice_date"]), deadline=fmt.day(t["bid_deadline"]),
                           days=period[hit].astype(int).astype(str), min_days=str(ctx.params["min_bid_days"]))


@check("PRO05", "bid-near-ceiling", area="procurement", severity="low", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "award_amount", "ceiling_price")},
       params=("near_ceiling_ratio",), optional=TENDER_OPTIONAL,
       basis="collusion indicator (中标价贴近最高限价)",
       condition="award_amount / ceiling_price >= near_ceiling_ratio and <= 1",
       title={"zh": "中标价贴近最高限价", "en": "Award near ceiling price"},
       detail={"zh": "中标金额{award}，最高限价{ceiling}，比例{ratio}（≥{limit}）",
               "en": "Award {award}, ceiling {ceiling}: ratio {ratio} (>= {limit})"})
def bid_near_ceiling(ctx: Context) -> pd.DataFrame:
    t = tender_frame(ctx)
    ratio = t["award_amount"] / t["ceiling_price"].where(t["ceiling_price"] > 0)
    hit = (ratio >= ctx.params["near_ceiling_ratio"]) & (ratio <= 1)
    t = t[hit]
    return tender_finding(ctx, t, award=fmt.wan(t["award_amount"]), ceiling=fmt.wan(t["ceiling_price"]),
                           ratio=fmt.pct(ratio[hit], 2), limit=fmt.pct(ctx.params["near_ceiling_ratio"], 2))


@check("PRO06", "award-above-ceiling", area="procurement", severity="high", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "award_amount")}, optional=TENDER_OPTIONAL,
       basis="招标投标法实施条例 第五十一条",
       condition="award_amount above ceiling_price (budget when there is no ceiling); amount = the excess",
       title={"zh": "中标价超最高限价", "en": "Award above ceiling"})
def award_above_ceiling(ctx: Context) -> pd.DataFrame:
    t = tender_frame(ctx)
    has_ceiling = t["ceiling_price"].notna()
    limit = t["ceiling_price"].where(has_ceiling, t["budget"])
    hit = t["award_amount"] > limit
    t, limit, has_ceiling = t[hit], limit[hit], has_ceiling[hit]
    zh, en = ("最高限价", "预算金额"), ("ceiling price", "budget")
    labels = zh if ctx.lang != "en" else en
    rows = pd.DataFrame({"award": fmt.wan(t["award_amount"]), "limit": fmt.wan(limit),
                         "label": has_ceiling.map({True: labels[0], False: labels[1]}),
                         "excess": fmt.wan(t["award_amount"] - limit)})
    out = tender_finding(ctx, t, detail=say(ctx, rows, "中标金额{award}超过{label}{limit}，超出{excess}",
                                             "Award {award} above the {label} {limit} by {excess}"))
    out["amount"] = t["award_amount"] - limit
    return out


# --- PRO07, PRO08: contracts against their tender's award ---------------------------------------

@check("PRO07", "late-contract", area="procurement", severity="low", entity_type="contract",
       inputs={"contracts": ("contract_id", "tender_id", "project_id", "sign_date"),
               "tenders": ("tender_id", "award_date")},
       params=("contract_days",),
       basis="招标投标法 第四十六条",
       condition="sign_date more than contract_days after its tender's award_date (low), or before it (medium)",
       title={"zh": "合同签订不及时", "en": "Contract not signed in time"})
def late_contract(ctx: Context) -> pd.DataFrame:
    c = contracts_with_award(ctx)
    gap = days(c["sign_date"], c["tender_award_date"])
    limit = ctx.params["contract_days"]
    early, late = gap < 0, gap > limit
    c, gap, early = c[early | late], gap[early | late], early[early | late]
    rows = pd.DataFrame({"sign": fmt.day(c["sign_date"]), "award": fmt.day(c["tender_award_date"]),
                         "gap": gap.abs().astype(int).astype(str), "limit": str(limit)})
    detail = pd.Series("", index=rows.index, dtype="str")
    detail[~early] = say(ctx, rows[~early], "中标通知{award}后{gap}天才签订合同（{sign}），超过{limit}天",
                         "Signed {sign}, {gap} days after the award {award} (over {limit})")
    detail[early] = say(ctx, rows[early], "合同签订于{sign}，早于中标通知{award}（{gap}天）",
                        "Signed {sign}, {gap} days before the award {award}")
    return pd.DataFrame({
        "entity_id": c["contract_id"], "project_id": c["project_id"], "amount": optional_column(c, "amount", "float64"),
        "severity": early.map({True: "medium", False: "low"}), "detail": detail,
    })


@check("PRO08", "contract-exceeds-award", area="procurement", severity="medium", entity_type="contract",
       inputs={"contracts": ("contract_id", "tender_id", "project_id", "amount"),
               "tenders": ("tender_id", "award_amount")},
       params=("award_tolerance",),
       basis="招标投标法 第四十六条",
       condition="contract amount above its tender's award_amount x (1 + award_tolerance); amount = the excess",
       title={"zh": "合同金额超中标金额", "en": "Contract exceeds award"},
       detail={"zh": "合同金额{amount_text}，中标金额{award}，超出{excess}（容差{tolerance}）",
               "en": "Contract {amount_text}, award {award}: {excess} more (tolerance {tolerance})"})
def contract_exceeds_award(ctx: Context) -> pd.DataFrame:
    c = contracts_with_award(ctx)
    tolerance = ctx.params["award_tolerance"]
    c = c[c["amount"] > c["tender_award_amount"] * (1 + tolerance)]
    excess = c["amount"] - c["tender_award_amount"]
    return pd.DataFrame({
        "entity_id": c["contract_id"], "project_id": c["project_id"], "amount": excess,
        "amount_text": fmt.wan(c["amount"]), "award": fmt.wan(c["tender_award_amount"]),
        "excess": fmt.wan(excess), "tolerance": fmt.pct(tolerance),
    })

