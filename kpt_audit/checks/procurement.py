"""PRO — procurement (招标采购): thresholds, periods, awards and contracts (PRO01–03, PRO05–08, PRO16).

The checks on bids and suppliers are in ``procurement_bids`` (PRO04, PRO09, PRO11–PRO15)
and ``procurement_links`` (PRO10); the tender frame they all read is ``frames.tender_frame``
(awards after as_of blanked once, for every check alike).

Thresholds (checks.md revision 2, PRO "Thresholds").  PRO01, PRO02 and PRO16 share one reading
of each tender and contract without tender (``_tender_rules``, ``_contract_rules``): its
scope, its event date, the threshold of its kind in force that day (dated
``tender_thresholds`` for project tenders and contracts, ``gp_open_thresholds`` for tenders
with no project), the period's ``project_total`` and basis, and whether PRO01 reports it.
Decisions where the spec is silent:

* scope: a project's category is read from projects (a tender whose project is not in the
  projects table, or has no category, counts as government-invested, like a project with no
  category); an exemption or method_approval is *recorded* when its text, after the common
  normalisation, is neither empty, nor a placeholder (无, 不详, na, 0), nor a word the loader reads as
  an empty cell (暂无, 没有, 不适用, none …; ``frames.recorded``): "没有" in 不招标理由 means no exemption;
* PRO01 counts as not judged (partly judged) every tender or contract in its domain (in scope;
  a tender with a method filled and not open; a contract without tender) whose event date is
  missing or in no period — the project_total rule may apply whatever its value, so a missing
  value does not take it out of that count — and every would-be finding that rests on an
  unreadable cell: the value taken from a fallback for an unreadable budget (ceiling price,
  award amount), an award amount whose award date is unreadable (the award might come after
  as_of), or an event date taken from award_date for an unreadable notice_date; and every contract
  reaching its threshold whose tender_id is not in the tenders table (tendered or not cannot be told;
  PRO16 leaves such contracts out too).  A finding by
  project_total does not rest on the value, so an unreadable budget does not stop it; an
  unreadable total_investment only means no finding by project_total (checks.md DQ: only
  findings resting on an unknown are held back);
* PRO02 and PRO16 leave out, and count, the tenders and contracts that would be members but
  for a missing event date, an event date in no period or a value or date resting on an
  unreadable cell (only those with a value, known or unreadable: without one nothing is
  summed).  A contract with no kind cannot be put in a (buyer, year, kind) group and a
  contract whose project has no department has no buyer: both stay out of PRO16 silently,
  as in revision 1 a tender without a buyer stayed out of PRO02;
* PRO02 and PRO16 cite the rule they apply (招标投标法 第四条 / 实施条例 第二十四条 for a
  project, 政府采购法实施条例 第二十八条 for government procurement; 招标投标法 第四条 /
  政府采购法 第二十八条 for PRO16) followed by the basis of each threshold period used;
  PRO01 cites the period's basis alone (the rule that makes tendering compulsory).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .frames import (COMPETITIVE, TENDER_AMOUNT, TENDER_OPTIONAL, above, at_least, at_most, below, buyer_county, contracts_with_award, county_by_project_else, days, in_force,
                     lookup, most_common, optional_column, order_unknown, present, project_county, recorded, require_cny,
                     tender_by_id, tender_finding, tender_frame, unreadable)
from .frames.procurement import project_lookups
from .registry import NotRun, check, partly_judged

KINDS = ("works", "goods", "services")
# project services that must be tendered (勘察、设计、监理); an empty service_type counts as in scope
SCOPED_SERVICES = ("survey", "design", "supervision")

# PRO01's wordings: which value of the tender reached which threshold, the project's total, or a contract
VALUE_SOURCE = {"budget": ("预算金额", "budget"), "ceiling_price": ("最高限价", "ceiling price"),
                "award_amount": ("中标金额", "award amount")}
THRESHOLD_RULE = {"compulsory": ("依法必须招标限额", "compulsory tendering"),  # project-linked tenders
                  "open-tender": ("公开招标数额标准", "open-tender")}  # tenders with no project
TOTAL_RULE = {"zh": "（项目总投资达到该标准的，其采购均须招标）",
              "en": " (every procurement of such a project had to be tendered)"}
PRO01_DETAIL = {
    **{f"{source}/{rule}": {
        "zh": f"采购方式为{{method:method}}，{source_zh}{{amount:wan}}，达到{{kind:kind}}类{rule_zh}{{threshold:wan}}",
        "en": f"Method {{method:method}}; {source_en} {{amount:wan}} reaches the {rule_en} threshold for "
              f"{{kind:kind}} of {{threshold:wan}}"}
       for source, (source_zh, source_en) in VALUE_SOURCE.items()
       for rule, (rule_zh, rule_en) in THRESHOLD_RULE.items()},
    "project_total": {
        "zh": "采购方式为{method:method}，所属项目总投资{total:wan}，达到项目总投资标准{project_total:wan}" + TOTAL_RULE["zh"],
        "en": "Method {method:method}; the project's total investment {total:wan} reaches the project total of "
              "{project_total:wan}" + TOTAL_RULE["en"]},
    "contract": {
        "zh": "合同无招标记录，合同金额{amount:wan}，达到{kind:kind}类依法必须招标限额{threshold:wan}",
        "en": "Contract without tender; amount {amount:wan} reaches the compulsory tendering threshold for "
              "{kind:kind} of {threshold:wan}"},
    "contract-without-kind": {
        "zh": "合同无招标记录，合同金额{amount:wan}，达到依法必须招标最高限额（合同未注明类别）{threshold:wan}",
        "en": "Contract without tender; amount {amount:wan} reaches the highest compulsory tendering threshold "
              "(contract kind not given) of {threshold:wan}"},
    "contract/project_total": {
        "zh": "合同无招标记录，合同金额{amount:wan}，所属项目总投资{total:wan}，达到项目总投资标准{project_total:wan}"
              + TOTAL_RULE["zh"],
        "en": "Contract without tender; amount {amount:wan}; the project's total investment {total:wan} reaches the "
              "project total of {project_total:wan}" + TOTAL_RULE["en"]},
}
SCOPE_ZH = ("判定范围：企业投资项目的招标和合同不判定；关联项目的服务类招标和合同，仅判定服务类别为勘察、设计、监理或未填写的"
            "（其他服务不判定）；未关联项目的招标不论服务类别均判定；记录了依法可不招标情形的招标或合同、记录了采购方式批准文件的招标不判定"
            "（记录为空或为“无”“暂无”“没有”“不适用”“不详”等表示没有的词的，视为未记录）。")
SCOPE_EN = ("Scope: tenders and contracts of enterprise projects are not judged; project tenders and contracts "
            "of kind services only when their service_type is survey, design, supervision or empty (other "
            "services are not judged); a tender with no project whatever its service_type; a tender or "
            "contract with a recorded exemption, or a tender with a recorded method_approval, is not judged "
            "(empty, or a word saying there is none — 无, 暂无, 没有, 不适用, 不详, na, none, 0 — is not a record).")
THRESHOLDS_ZH = ("限额按事件日期（招标公告日期，无则中标日期；中标日期晚于审计基准日的视为未中标；无招标的合同为签订日期）所在期间确定："
                 "关联项目的招标和合同按依法必须招标限额（参数 tender_thresholds；默认2018年5月31日及以前按国家计委令第3号："
                 "工程200万元、货物100万元、服务50万元，且项目总投资达到3000万元（project_total）的项目其采购均须招标；"
                 "2018年6月1日起按国家发展改革委令第16号：工程400万元、货物200万元、服务100万元），未关联项目的招标按政府采购公开招标数额标准"
                 "（参数 gp_open_thresholds，默认货物200万元、服务200万元、工程400万元，不分期间）")
THRESHOLDS_EN = ("The threshold is the one in force on the event date (notice_date, else award_date — an award "
                 "dated after as_of counts as not made; for a contract without tender, sign_date): project "
                 "tenders and contracts use tender_thresholds (default to 2018-05-31 国家计委令第3号: works "
                 "2,000,000, goods 1,000,000, services 500,000 yuan, and every procurement of a project whose "
                 "total_investment reaches project_total 30,000,000; from 2018-06-01 国家发展改革委令第16号: works "
                 "4,000,000, goods 2,000,000, services 1,000,000), tenders with no project use gp_open_thresholds "
                 "(default goods 2,000,000, services 2,000,000, works 4,000,000 yuan, one period)")
VALUE_ZH = "预算金额，无则最高限价，无则中标金额"
VALUE_EN = "a tender's value is its budget, else ceiling_price, else award_amount"


# --- PRO01 / PRO02 / PRO16: thresholds -----------------------------------------------------------

def _by_kind(rule: pd.DataFrame, kind: pd.Series) -> pd.Series:
    """The threshold of each row's kind in ``rule`` (an ``in_force`` frame); NaN for a kind with none."""
    out = np.full(len(kind), np.nan)
    for k in KINDS:
        if k in rule.columns:
            out = np.where((kind == k).fillna(False).to_numpy(dtype=bool), rule[k].to_numpy(dtype="float64"), out)
    return pd.Series(out, index=kind.index, dtype="float64")


def _rules(ctx: Context, name: str, on: pd.Series, kind: pd.Series) -> pd.DataFrame:
    """Per row: the threshold of its kind in force on ``on``, the period's highest threshold,
    its project_total (NaN when the period has none), basis and whether a period applies."""
    rule = in_force(ctx, name, on)
    kinds = [k for k in KINDS if k in rule.columns]
    return pd.DataFrame({
        "threshold": _by_kind(rule, kind),
        "highest": np.fmax.reduce(rule[kinds].to_numpy(dtype="float64"), axis=1) if kinds else np.nan,  # NaN skipped
        "project_total": rule["project_total"] if "project_total" in rule.columns else np.nan,
        "basis": rule["basis"], "judged": rule["judged"].astype(bool)}, index=on.index)


def _out_of_scope(ctx: Context, project_id: pd.Series, linked: pd.Series, kind: pd.Series,
                  service_type: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(out of scope, the project's total_investment, whether the loader could not read that total): out
    of scope are an enterprise project's procurement and project services other than survey, design or
    supervision."""
    projects = project_lookups(ctx)
    category = lookup(project_id, projects["category"])
    enterprise = linked & (category == "enterprise").fillna(False).astype(bool)
    other_service = (linked & (kind == "services").fillna(False).astype(bool) & present(service_type)
                     & ~service_type.isin(SCOPED_SERVICES).fillna(False).astype(bool))
    total = lookup(project_id, projects["total"]).astype("float64")
    total_unknown = linked & lookup(project_id, projects["total_unknown"]).fillna(False).astype(bool)
    return enterprise | other_service, total.where(linked), total_unknown


def _tender_rules(ctx: Context) -> pd.DataFrame:
    """``_read_tender_rules`` once per run and thresholds (PRO01, PRO02 and PRO16 read it)."""
    thresholds = (ctx.params["tender_thresholds"], ctx.params["gp_open_thresholds"])
    return ctx.cache(("procurement.tender_rules", *map(id, thresholds)), lambda: _read_tender_rules(ctx))


def _read_tender_rules(ctx: Context) -> pd.DataFrame:
    """Tenders (``tender_frame``) with their threshold reading and PRO01's verdict.

    Added columns: ``candidate`` (in PRO01's domain: in scope, method filled and not open),
    ``threshold``, ``project_total``, ``basis``, ``judged`` (a period applies), ``total``,
    ``by_value``/``by_total`` (why PRO01 reports it), ``pro01`` (PRO01 reports it),
    ``pro01_unjudged`` and ``doubtful`` (its value or event date rests on an unreadable cell).
    """
    t = tender_frame(ctx)
    out, total, total_unknown = _out_of_scope(ctx, t["project_id"], t["linked"], t["kind"], t["service_type"])
    exempt = recorded(t["exemption"]) | recorded(t["method_approval"])
    candidate = present(t["method"]) & (t["method"] != "open").fillna(False).astype(bool) & ~out & ~exempt
    project = _rules(ctx, "tender_thresholds", t["event_date"], t["kind"])
    gp = _rules(ctx, "gp_open_thresholds", t["event_date"], t["kind"])
    rule = pd.DataFrame({c: project[c].where(t["linked"], gp[c]) for c in project.columns})  # dtypes kept
    rule["project_total"] = rule["project_total"].astype("float64").where(t["linked"])
    judged = rule["judged"].astype(bool)
    by_value = judged & (t["value"] >= rule["threshold"].astype("float64"))
    by_total = judged & t["linked"] & rule["project_total"].notna() & (total >= rule["project_total"])
    doubtful = t["event_unknown"] | (t["value_unknown"] & ~by_total)
    would = candidate & (by_value | by_total)
    # PRO01 might report it by an unreadable total: it is judged by neither PRO01 nor PRO02/PRO16
    total_doubt = judged & rule["project_total"].notna() & total_unknown & ~by_value
    return t.assign(candidate=candidate, threshold=rule["threshold"].astype("float64"),
                    project_total=rule["project_total"], basis=rule["basis"], judged=judged, total=total,
                    by_value=by_value, by_total=by_total, pro01=would & ~doubtful,
                    pro01_unjudged=(candidate & ~judged) | (would & doubtful) | (candidate & total_doubt),
                    doubtful=t["event_unknown"] | t["value_unknown"] | total_doubt,
                    finding_county=county_by_project_else(ctx, t["project_id"], t["county"]))


def _contract_rules(ctx: Context) -> pd.DataFrame:
    """``_read_contract_rules`` once per run and thresholds (PRO01 and PRO16 read it)."""
    return ctx.cache(("procurement.contract_rules", id(ctx.params["tender_thresholds"])),
                     lambda: _read_contract_rules(ctx))


def _read_contract_rules(ctx: Context) -> pd.DataFrame:
    """Contracts without tender (signed on or before as_of) with their threshold reading and PRO01's
    verdict: ``candidate`` (in scope), ``threshold`` (the period's highest for a contract with no
    kind), ``unclassified``, ``project_total``, ``basis``, ``judged``, ``total``, ``by_value``,
    ``by_total``, ``pro01``."""
    c = ctx["contracts"]
    cited = optional_column(c, "tender_id")
    tenders = ctx.tables.get("tenders")
    # a contract citing a tender the tenders table does not hold (a typo, a tender left out of the
    # ledger): whether it was tendered cannot be told, so it is not judged, and counted where it would be
    known = tenders["tender_id"] if tenders is not None and "tender_id" in tenders else None
    cites_missing = present(cited) & (~cited.isin(known) if known is not None else False)
    c, cites_missing = c[~present(cited) | cites_missing], cites_missing[~present(cited) | cites_missing]
    kind = optional_column(c, "kind")
    sign = optional_column(c, "sign_date", "datetime64[ns]")
    out, total, total_unknown = _out_of_scope(ctx, c["project_id"], pd.Series(True, index=c.index), kind,
                                                 optional_column(c, "service_type"))
    rule = _rules(ctx, "tender_thresholds", sign, kind)
    # a contract with no kind cannot be classified, but whatever its kind it had to be tendered once it
    # reaches the highest threshold of its period
    unclassified = ~kind.isin(KINDS).fillna(False).astype(bool)
    threshold = rule["threshold"].where(~unclassified, rule["highest"]).astype("float64")
    candidate = ~out & ~recorded(optional_column(c, "exemption"))
    judged = rule["judged"]
    by_value = judged & (c["amount"] >= threshold)
    by_total = judged & rule["project_total"].notna() & (total >= rule["project_total"].astype("float64"))
    total_doubt = judged & rule["project_total"].notna() & total_unknown & ~by_value
    return c.assign(kind=kind, sign_date=sign, candidate=candidate, threshold=threshold, unclassified=unclassified,
                    project_total=rule["project_total"].astype("float64"), basis=rule["basis"], judged=judged,
                    total=total, by_value=by_value, by_total=by_total,
                    pro01=candidate & (by_value | by_total) & ~cites_missing, total_doubt=total_doubt,
                    cites_missing=cites_missing,
                    finding_county=lookup(c["project_id"], project_county(ctx)))


def _has_tenders(ctx: Context) -> bool:
    return ctx.has("tenders", "tender_id", "county", "kind", "method")


def _has_contracts(ctx: Context) -> bool:
    return ctx.has("contracts", "contract_id", "project_id", "amount")


@check("PRO01", "tender-avoided", area="procurement", severity="high", entity_type="tender",
       inputs={}, params=("tender_thresholds", "gp_open_thresholds"),
       optional=(("tenders", "tender_id"), ("tenders", "county"), ("tenders", "kind"), ("tenders", "method"),
                 *TENDER_OPTIONAL, ("tenders", "notice_date"), ("tenders", "service_type"),
                 ("tenders", "exemption"), ("tenders", "method_approval"),
                 ("contracts", "contract_id"), ("contracts", "project_id"), ("contracts", "amount"),
                 ("contracts", "tender_id"), ("contracts", "kind"), ("contracts", "sign_date"),
                 ("contracts", "service_type"), ("contracts", "exemption"), ("contracts", "currency"),
                 ("projects", "category"), ("projects", "total_investment")),
       basis="必须招标的工程项目规定 (国家发展改革委令第16号) 第五条; 招标投标法实施条例 第八条; 政府采购法 第二十七条",
       condition={
           "zh": "（一）采购方式已填写且不是公开招标的招标，其金额（" + VALUE_ZH + "）达到（≥）其采购类别在事件日期适用的限额的；"
                 "或关联项目、事件日期所在期间设有项目总投资标准、且所属项目计划总投资达到（≥）该标准的（不论金额）。邀请招标的严重程度为中"
                 "（须核实是否经批准），其他方式为高。（二）签订日期不晚于审计基准日、无招标编号的合同，其合同金额（签订金额，不含变更）"
                 "达到（≥）其类别在签订日期适用的依法必须招标限额（合同未注明类别或类别为未知的，按该期间最高的限额），或所属项目计划总投资"
                 "达到该期间的项目总投资标准的；严重程度为高。" + THRESHOLDS_ZH + "；每项发现引用其期间的依据。" + SCOPE_ZH
                 + "采购类别无对应限额的不按金额判定；无事件日期或事件日期不在任何期间内的不判定，计入部分未判定数；"
                   "发现依赖无法读取的单元格的（预算金额无法读取而以最高限价或中标金额代替、中标日期无法读取而金额取中标金额、"
                   "公告日期无法读取而以中标日期代替）不列为发现，计入部分未判定数；合同所填招标编号在招标表中找不到的，无法判断是否经过招标，"
                   "不判定，达到限额的计入部分未判定数。招标或合同的币种不是人民币的，本检查不运行。",
           "en": "(1) A tender whose method is filled and is not open, whose value (" + VALUE_EN + ") reaches "
                 "(≥) the threshold for its kind in force on its event date; or a project tender under a period "
                 "with project_total whose project's total_investment reaches (≥) project_total (whatever its "
                 "value). Severity medium for invited (its approval must be checked), high otherwise. (2) A "
                 "contract signed on or before as_of with no tender_id whose amount as signed reaches (≥) the "
                 "tender_thresholds value for its kind in force on sign_date (a contract with no kind, or kind "
                 "unknown, uses the period's highest value), or whose project's total_investment reaches that "
                 "period's project_total; severity high. " + THRESHOLDS_EN + "; each finding cites its period's "
                 "basis. " + SCOPE_EN + " A kind with no threshold is not judged by value; an entity with no "
                 "event date, or one in no period, is not judged (partly judged); a would-be finding resting "
                 "on a cell the loader could not read (the value taken from ceiling_price or award_amount for "
                 "an unreadable budget, an award amount whose award_date is unreadable, award_date standing in "
                 "for an unreadable notice_date) is not judged (partly judged); a contract whose tender_id is not "
                 "in the tenders table cannot be told tendered or not: not judged, counted (partly judged) when it "
                 "reaches the threshold. Not run when tenders or contracts carry a currency other than CNY."},
       amount={"zh": "招标项目：其金额（预算金额，无则最高限价，无则中标金额；按项目总投资判定且无金额的为空）；无招标的合同：合同签订金额",
               "en": "tender: its value (budget, else ceiling price, else award amount; empty when judged by the "
                     "project's total and it has none); contract without tender: its amount as signed"},
       event_date="tenders.notice_date, else tenders.award_date; contracts without tender: contracts.sign_date",
       title={"zh": "应招标未招标", "en": "Tendering avoided"},
       detail=PRO01_DETAIL)
def tender_avoided(ctx: Context) -> pd.DataFrame:
    """PRO01.  See the module's docstring for the scope and the entities left unjudged."""
    if not (_has_tenders(ctx) or _has_contracts(ctx)):
        raise NotRun("needs tenders (tender_id, county, kind, method) or contracts (contract_id, project_id, amount)")
    require_cny(ctx, "tenders", "contracts")
    parts, unjudged = [], []
    if _has_tenders(ctx):
        t = _tender_rules(ctx)
        unjudged.append(t.loc[t["pro01_unjudged"], "finding_county"])
        parts.append(_tenders_avoided(ctx, t[t["pro01"]]))
    if _has_contracts(ctx):
        c = _contract_rules(ctx)
        unjudged.append(c.loc[c["candidate"] & (~c["judged"] | (c["total_doubt"] & ~c["pro01"])
                                                | (c["cites_missing"] & (c["by_value"] | c["by_total"]))),
                              "finding_county"])
        parts.append(_contracts_without_tender(c[c["pro01"]]))
    return partly_judged(pd.concat(parts, ignore_index=True), entities=_counties(unjudged))


def _counties(parts: list[pd.Series]) -> list:
    """The counties of the entities left unjudged, one per entity (``partly_judged``)."""
    return [c for part in parts for c in part.tolist()]


def _tenders_avoided(ctx: Context, hit: pd.DataFrame) -> pd.DataFrame:
    rule = hit["linked"].map({True: "compulsory", False: "open-tender"})
    variant = (hit["value_source"].astype("object") + "/" + rule).where(hit["by_value"], "project_total")
    return pd.DataFrame({
        "entity_id": hit["tender_id"], "project_id": hit["project_id"],
        "county": county_by_project_else(ctx, hit["project_id"], hit["county"]),
        "amount": hit["value"],
        "severity": hit["method"].map({"invited": "medium"}).fillna("high"),
        "variant": variant, "basis": hit["basis"],
        "method": hit["method"], "kind": hit["kind"], "threshold": hit["threshold"],
        "total": hit["total"], "project_total": hit["project_total"],
    })


def _contracts_without_tender(hit: pd.DataFrame) -> pd.DataFrame:
    variant = np.where(hit["by_value"], np.where(hit["unclassified"], "contract-without-kind", "contract"),
                       "contract/project_total")
    return pd.DataFrame({
        "entity_id": hit["contract_id"], "entity_type": "contract", "project_id": hit["project_id"],
        "amount": hit["amount"], "severity": "high", "variant": variant, "basis": hit["basis"],
        "kind": hit["kind"], "threshold": hit["threshold"], "total": hit["total"],
        "project_total": hit["project_total"],
    })


@check("PRO02", "split-purchase", area="procurement", severity="high", entity_type="tender_group",
       inputs={"tenders": ("tender_id", "county", "buyer", "kind", "method")},
       params=("tender_thresholds", "gp_open_thresholds"),
       optional=(*TENDER_OPTIONAL, ("tenders", "notice_date"), ("tenders", "item_code"), ("tenders", "service_type"),
                 ("tenders", "exemption"), ("tenders", "method_approval"), ("projects", "category"),
                 ("projects", "total_investment")),
       basis="政府采购法实施条例 第二十八条; 招标投标法 第四条; 招标投标法实施条例 第二十四条",
       condition={
           "zh": "采购方式已填写且不是公开招标、在判定范围内（同应招标未招标检查）、且未被应招标未招标检查列为发现的招标，其金额（" + VALUE_ZH
                 + "）低于（<）其采购类别在其事件日期适用的限额的，分组：关联项目的按所属项目和采购类别分组，不分年度（招标投标法 第四条；"
                   "实施条例 第二十四条）；未关联项目的按采购人、年度（招标公告日期所在年度，无则中标日期所在年度）、采购类别和品目"
                   "（有品目列时；品目为空的归为同一组）分组。组内招标不少于2项、金额合计达到（≥）该组最近事件日期适用的限额的，整组列为化整为零，"
                   "引用所适用的规定及该期间的依据。" + THRESHOLDS_ZH + "。" + SCOPE_ZH
                 + "无事件日期、事件日期不在任何期间内、或金额或日期依赖无法读取的单元格的招标不入组，计入部分未判定数（无金额的招标不计）。"
                   "招标币种不是人民币的，本检查不运行。",
           "en": "Tenders whose method is filled and is not open, in scope (as PRO01) and not reported by PRO01, "
                 "whose value (" + VALUE_EN + ") is strictly below the threshold for their kind in force on their "
                 "own event date, grouped: a project's tenders by (project_id, kind) over all years (招标投标法 "
                 "第四条; 实施条例 第二十四条); tenders with no project by (buyer, year of notice_date — else of "
                 "award_date —, kind, item_code when that column is present; tenders with an empty item_code "
                 "form one group). A group of at least 2 whose values sum to at least (≥) the threshold in force "
                 "on the group's latest event date is reported, citing the rule applied and that period's "
                 "basis. " + THRESHOLDS_EN + ". " + SCOPE_EN + " A tender with no event date, one in no period, "
                 "or whose value or event date rests on a cell the loader could not read is left out of the "
                 "groups and counted (partly judged; tenders without a value are not counted). Not run when "
                 "tenders carry a currency other than CNY."},
       amount={"zh": "组内各项招标金额（预算金额，无则最高限价，无则中标金额）合计",
               "en": "the sum of the group's tender values (budget, else ceiling price, else award amount)"},
       event_date="the group's latest tenders.notice_date, else tenders.award_date (each tender's own for its threshold)",
       title={"zh": "化整为零规避招标", "en": "Split purchase"},
       detail={"project": {"zh": "同一项目{kind:kind}类非公开招标采购{n:int}次（单次均低于限额，不分年度），合计{amount:wan}，"
                                 "达到{latest:day}适用的限额{threshold:wan}",
                           "en": "{n:int} non-open {kind:kind} purchases of one project, each below the threshold "
                                 "(all years together), total {amount:wan} reaching the threshold of "
                                 "{threshold:wan} in force on {latest:day}"},
               "buyer": {"zh": "{buyer}{year}年{kind:kind}采购{n:int}次（均非公开招标、单次低于限额），合计{amount:wan}，"
                               "达到限额{threshold:wan}",
                         "en": "{buyer}: {n:int} non-open {kind:kind} purchases in {year}, each below the threshold, "
                               "total {amount:wan} reaching {threshold:wan}"},
               "buyer-item": {"zh": "{buyer}{year}年{kind:kind}类品目{item}采购{n:int}次（均非公开招标、单次低于限额），"
                                    "合计{amount:wan}，达到限额{threshold:wan}",
                              "en": "{buyer}: {n:int} non-open {kind:kind} purchases of item {item} in {year}, each "
                                    "below the threshold, total {amount:wan} reaching {threshold:wan}"}})
def split_purchase(ctx: Context) -> pd.DataFrame:
    """PRO02.  A project's works are aggregated across years (招标投标法 第四条 forbids splitting a
    project to avoid tendering, whenever the parts are bought); a purchase with no project is a
    budget-year matter (政府采购法实施条例 第二十八条: 一个预算年度内), so its group is the buyer's
    year, kind and, when recorded, catalogue item (品目)."""
    require_cny(ctx, "tenders")
    t = _tender_rules(ctx)
    t = t.assign(year=t["event_date"].dt.year,
                 item=optional_column(t, "item_code").astype("str").str.strip().fillna(""))
    domain = t["candidate"] & ~t["pro01"] & (t["linked"] | present(t["buyer"]))
    with_value = t["value"].notna() | t["value_unknown"]
    left_out = domain & with_value & (~t["judged"] | t["doubtful"])
    unjudged = t.loc[left_out, "finding_county"]
    t = t[domain & ~left_out & t["judged"] & (t["value"] < t["threshold"])]
    t = t.assign(scope=t["project_id"].where(t["linked"], t["buyer"]).astype("str"),
                 group_year=t["year"].where(~t["linked"], 0).astype("int64"),
                 item=t["item"].where(~t["linked"], ""))
    keys = ["linked", "scope", "kind", "group_year", "item"]
    g = t.groupby(keys, sort=False)
    t = t.assign(n=g["tender_id"].transform("size"), total_value=g["value"].transform("sum"),
                 latest=g["event_date"].transform("max"))
    t = t[t["n"] >= 2]
    if t.empty:
        return partly_judged(pd.DataFrame(), entities=unjudged)
    t = t.assign(group=t.groupby(keys, sort=False).ngroup())
    groups = t.drop_duplicates("group").set_index("group")
    linked = groups["linked"].astype(bool)
    project = _rules(ctx, "tender_thresholds", groups["latest"], groups["kind"])
    gp = _rules(ctx, "gp_open_thresholds", groups["latest"], groups["kind"])
    threshold = project["threshold"].where(linked, gp["threshold"])
    basis = project["basis"].where(linked, gp["basis"])
    reached = groups["total_value"] >= threshold
    groups, threshold, basis, linked = groups[reached], threshold[reached], basis[reached], linked[reached]
    t = t[t["group"].isin(groups.index)]
    ids = t.groupby("group")["tender_id"].agg(lambda s: "+".join(sorted(s))).reindex(groups.index)
    county = most_common(t, "group", "county").reindex(groups.index)
    project_id = groups["project_id"].where(linked)
    rule = pd.Series(np.where(linked, "招标投标法 第四条; 招标投标法实施条例 第二十四条", "政府采购法实施条例 第二十八条"),
                     index=groups.index)
    variant = np.where(linked, "project", np.where(groups["item"] != "", "buyer-item", "buyer"))
    rows = pd.DataFrame({
        "entity_id": ids, "project_id": project_id,
        "county": county_by_project_else(ctx, project_id, county),
        "amount": groups["total_value"], "variant": variant, "basis": _cite(rule, basis),
        "buyer": groups["buyer"], "year": groups["year"].astype(int), "item": groups["item"],
        "n": groups["n"].astype(int), "kind": groups["kind"], "threshold": threshold, "latest": groups["latest"],
    })
    return partly_judged(rows, entities=unjudged)


def _cite(rule: pd.Series, bases: pd.Series) -> pd.Series:
    """``rule`` followed by the period's basis (when the period names one)."""
    return pd.Series([r if b is None or b != b or b == "" else f"{r}; {b}" for r, b in zip(rule, bases)],
                     index=rule.index, dtype="object")


@check("PRO16", "below-threshold-cluster", area="procurement", severity="medium", entity_type="buyer_group",
       inputs={}, params=("tender_thresholds", "gp_open_thresholds", "below_line_count", "below_line_band"),
       optional=(("tenders", "tender_id"), ("tenders", "county"), ("tenders", "buyer"), ("tenders", "kind"),
                 ("tenders", "method"), *TENDER_OPTIONAL, ("tenders", "notice_date"), ("tenders", "service_type"),
                 ("tenders", "exemption"), ("tenders", "method_approval"),
                 ("contracts", "contract_id"), ("contracts", "project_id"), ("contracts", "amount"),
                 ("contracts", "tender_id"), ("contracts", "kind"), ("contracts", "sign_date"),
                 ("contracts", "service_type"), ("contracts", "exemption"), ("contracts", "currency"),
                 ("projects", "department"), ("projects", "category"), ("projects", "total_investment")),
       basis="规避招标 (招标投标法 第四条; 政府采购法 第二十八条)",
       condition={
           "zh": "同一采购人（招标的采购人；无招标的合同为其所属项目的项目单位）、同一年度（事件日期所在年度）、同一采购类别中，采购方式已填写且"
                 "不是公开招标的招标与无招标编号的合同（签订日期不晚于审计基准日），在判定范围内（同应招标未招标检查）且未被该检查列为发现，其金额（"
                 + VALUE_ZH + "；合同为签订金额）略低于其事件日期适用的限额，即不低于（≥）（1－临界比例（参数 below_line_band，"
                 "默认 0.1））×限额且低于（<）限额的，合计达到（≥）最少笔数（参数 below_line_count，默认 3笔）的，列为临界值规避招标。"
                 + THRESHOLDS_ZH + "。" + SCOPE_ZH + "未注明类别的合同、所属项目无项目单位的合同不入组；无事件日期、事件日期不在任何期间内、"
                   "或金额或日期依赖无法读取的单元格的不入组，计入部分未判定数（无金额的不计）。币种不是人民币的，本检查不运行。",
           "en": "One buyer (a tender's buyer; for a contract without tender, its project's department), one year "
                 "(of the event date), one kind: at least (≥) below_line_count (default 3) tenders whose method "
                 "is filled and not open and contracts without tender (signed on or before as_of), in scope (as "
                 "PRO01) and not reported by PRO01, whose values (" + VALUE_EN + "; a contract's amount as "
                 "signed) lie in [(1 − below_line_band) × threshold, threshold) (below_line_band default 0.1), "
                 "each against the threshold in force on its own event date. " + THRESHOLDS_EN + ". " + SCOPE_EN
                 + " A contract with no kind or whose project has no department stays out; an item with no "
                 "event date, one in no period, or whose value or event date rests on a cell the loader could "
                 "not read is left out and counted (partly judged; items without a value are not counted). Not "
                 "run when amounts are in another currency than CNY."},
       amount={"zh": "组内各项采购金额合计", "en": "the sum of the values of the group's purchases"},
       event_date="tenders.notice_date, else tenders.award_date; contracts without tender: contracts.sign_date",
       title={"zh": "临界值规避招标", "en": "Purchases clustered below the threshold"},
       detail={"zh": "{buyer}{year}年{kind:kind}类有{n:int}项非公开招标采购或无招标合同的金额略低于限额（限额以下{band:pct0}以内），"
                     "合计{amount:wan}：{items:ids}",
               "en": "{buyer} in {year}: {n:int} {kind:kind} purchases (non-open tenders or contracts without "
                     "tender) just below the threshold (within {band:pct0} under it), total {amount:wan}: {items:ids}"})
def below_threshold_cluster(ctx: Context) -> pd.DataFrame:
    """PRO16.  The buyer's county is the county most of the buyer's tenders name (a tie goes to the
    smallest name); a buyer with no tender takes the county most of the group's contracts' projects
    are in (checks.md, Findings)."""
    has_tenders = _has_tenders(ctx) and ctx.has("tenders", "buyer")
    has_contracts = _has_contracts(ctx) and ctx.has("contracts", "sign_date", "kind") and ctx.has(
        "projects", "project_id", "department")
    if not (has_tenders or has_contracts):
        raise NotRun("needs tenders (tender_id, county, buyer, kind, method) or contracts (contract_id, project_id, "
                     "amount, sign_date, kind) with projects (project_id, department)")
    require_cny(ctx, "tenders", "contracts")
    band = ctx.params["below_line_band"]
    buyers_county = buyer_county(ctx) if has_tenders else pd.Series(dtype="str")
    items, unjudged = [], []
    if has_tenders:
        t = _tender_rules(ctx)
        domain = t["candidate"] & ~t["pro01"] & present(t["buyer"])
        left_out = domain & (t["value"].notna() | t["value_unknown"]) & (~t["judged"] | t["doubtful"])
        unjudged.append(lookup(t.loc[left_out, "buyer"], buyers_county))
        t = t[domain & ~left_out & t["judged"]]
        items.append(pd.DataFrame({"id": t["tender_id"], "buyer": t["buyer"], "kind": t["kind"],
                                   "date": t["event_date"], "value": t["value"], "threshold": t["threshold"],
                                   "basis": t["basis"], "county": t["county"]}))
    if has_contracts:
        c = _contract_rules(ctx)
        p = ctx["projects"]
        department = p[~p["project_id"].duplicated()].set_index("project_id")["department"]
        buyer = lookup(c["project_id"], department).astype("str")
        domain = c["candidate"] & ~c["pro01"] & present(buyer) & ~c["unclassified"] & ~c["cites_missing"]
        left_out = domain & (~c["judged"] | c["total_doubt"])
        of_buyer = lookup(buyer[left_out], buyers_county)
        unjudged.append(of_buyer.where(present(of_buyer), c.loc[left_out, "finding_county"]))
        c, buyer = c[domain & ~left_out], buyer[domain & ~left_out]
        items.append(pd.DataFrame({"id": c["contract_id"], "buyer": buyer, "kind": c["kind"], "date": c["sign_date"],
                                   "value": c["amount"], "threshold": c["threshold"], "basis": c["basis"],
                                   "county": lookup(c["project_id"], project_county(ctx)).astype("str")}))
    x = pd.concat(items, ignore_index=True)
    x = x[at_least(x["value"], (1 - band) * x["threshold"], money=True) & below(x["value"], x["threshold"], money=True)]
    x = x.assign(year=x["date"].dt.year.astype("int64"))
    keys = ["buyer", "year", "kind"]
    x = x[x.groupby(keys, sort=False)["id"].transform("size") >= ctx.params["below_line_count"]]
    unjudged = _counties(unjudged)
    if x.empty:
        return partly_judged(pd.DataFrame(), entities=unjudged)
    x = x.sort_values(["date", "id"], kind="stable")
    g = x.groupby(keys, sort=True)
    groups = g.agg(n=("id", "size"), amount=("value", "sum"),
                   items=("id", lambda s: sorted(s)),
                   bases=("basis", lambda s: [b for b in pd.unique(s.dropna()) if b != ""])).reset_index()
    contract_county = most_common(x.assign(group=x["buyer"]), "group", "county")
    county = lookup(groups["buyer"], buyers_county)
    county = county.where(present(county), lookup(groups["buyer"], contract_county))
    static = "招标投标法 第四条; 政府采购法 第二十八条"
    return partly_judged(pd.DataFrame({
        "entity_id": groups["buyer"] + "|" + groups["year"].astype(str) + "|" + groups["kind"],
        "county": county, "amount": groups["amount"],
        "basis": ["; ".join([static, *b]) for b in groups["bases"]],
        "buyer": groups["buyer"], "year": groups["year"], "kind": groups["kind"], "n": groups["n"],
        "band": band, "items": groups["items"],
    }), entities=unjudged)


# --- PRO03, PRO05, PRO06: one tender at a time ------------------------------------------

@check("PRO03", "short-bid-period", area="procurement", severity="medium", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "method", "notice_date", "bid_deadline")},
       params=("min_bid_days",), optional=TENDER_OPTIONAL,
       basis="招标投标法 第二十四条",
       condition={
           "zh": "采购方式为公开招标或邀请招标的招标，投标截止日期与招标公告日期相隔的整日数少于（<）最短等标期（参数 min_bid_days，默认 20天）的（两个日期均须填写）。"
                 "两个日期之一填写但无法识别（另一个已知或同样无法识别）的招标，不予判定，计入部分未判定数。",
           "en": "A tender with method open or invited whose whole days from notice_date to bid_deadline are "
                 "strictly fewer than min_bid_days (default 20); both dates must be filled. A tender one of "
                 "whose two dates was filled in but could not be read (the other known, or unreadable too) is "
                 "not judged (partly judged)."},
       amount=TENDER_AMOUNT,
       title={"zh": "等标期不足", "en": "Short bid period"},
       detail={"zh": "公告{notice:day}，投标截止{deadline:day}，等标期{days:int}天，少于{min_days}天",
               "en": "Notice {notice:day}, bid deadline {deadline:day}: {days:int} days, under {min_days}"})
def short_bid_period(ctx: Context) -> pd.DataFrame:
    """A finding rests on the notice being late against the deadline: a competitive tender one of whose
    two dates could not be read is not judged (counted)."""
    t = tender_frame(ctx)
    period = days(t["bid_deadline"], t["notice_date"])
    competitive = t["method"].isin(COMPETITIVE)
    hit = competitive & (period < ctx.params["min_bid_days"])
    doubtful = competitive & order_unknown(ctx, "tenders", "notice_date", "bid_deadline", t)
    unjudged = county_by_project_else(ctx, t.loc[doubtful, "project_id"], t.loc[doubtful, "county"])
    t = t[hit]
    return partly_judged(tender_finding(ctx, t, notice=t["notice_date"], deadline=t["bid_deadline"],
                                        days=period[hit].astype(int), min_days=ctx.params["min_bid_days"]),
                         entities=unjudged)


@check("PRO05", "bid-near-ceiling", area="procurement", severity="low", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "award_amount", "ceiling_price")},
       params=("near_ceiling_ratio",), optional=TENDER_OPTIONAL,
       basis="围标串标迹象 (报价接近最高限价)",
       condition={
           "zh": "中标金额除以最高限价（最高限价须大于0）之比，不低于（≥）贴近比例（参数 near_ceiling_ratio，默认 0.99）且不高于（≤）"
                 "1的招标（中标日期晚于审计基准日的视为未中标；中标日期无法读取、无法确定是否已中标的不列为发现，计入部分未判定数）。",
           "en": "award_amount ÷ ceiling_price (ceiling_price > 0) is at least (≥) near_ceiling_ratio (default "
                 "0.99) and at most (≤) 1; an award dated after as_of counts as not made, and a would-be finding "
                 "whose award_date the loader could not read is not judged (partly judged)."},
       amount={"zh": "中标金额",
               "en": "the award amount"},
       title={"zh": "中标价贴近最高限价", "en": "Award near ceiling price"},
       detail={"zh": "中标金额{award:wan}，最高限价{ceiling:wan}，比例{ratio:pct2}（≥{limit:pct2}）",
               "en": "Award {award:wan}, ceiling {ceiling:wan}: ratio {ratio:pct2} (>= {limit:pct2})"})
def bid_near_ceiling(ctx: Context) -> pd.DataFrame:
    """PRO05.  An award whose date the loader could not read might come after as_of, when it
    does not count yet: such a would-be finding is held back and counted."""
    t = tender_frame(ctx)
    ratio = t["award_amount"] / t["ceiling_price"].where(t["ceiling_price"] > 0)
    hit = at_least(ratio, ctx.params["near_ceiling_ratio"]) & at_most(ratio, 1.0)
    doubtful = hit & t["award_unknown"]
    unjudged = county_by_project_else(ctx, t.loc[doubtful, "project_id"], t.loc[doubtful, "county"])
    hit &= ~doubtful
    t = t[hit]
    return partly_judged(tender_finding(ctx, t, award=t["award_amount"], ceiling=t["ceiling_price"],
                                        ratio=ratio[hit], limit=ctx.params["near_ceiling_ratio"]),
                         entities=unjudged)


@check("PRO06", "award-above-ceiling", area="procurement", severity="high", entity_type="tender",
       inputs={"tenders": ("tender_id", "county", "award_amount")}, optional=TENDER_OPTIONAL,
       basis="招标投标法实施条例 第五十一条",
       condition={
           "zh": "中标金额高于（>）最高限价的招标；未填最高限价的，与预算金额比较（中标日期晚于审计基准日的视为未中标）。"
                 "最高限价无法读取而以预算金额比较、或中标日期无法读取（无法确定是否已中标）的，不列为发现，计入部分未判定数。",
           "en": "award_amount strictly above ceiling_price, or above budget when there is no ceiling_price; "
                 "an award dated after as_of counts as not made. A would-be finding compared with the budget "
                 "because the ceiling_price could not be read, or whose award_date could not be read, is not "
                 "judged (partly judged)."},
       amount={"zh": "超出额：中标金额－最高限价（无最高限价的为中标金额－预算金额）",
               "en": "the excess: award amount − ceiling price (budget when there is no ceiling price)"},
       title={"zh": "中标价超最高限价", "en": "Award above ceiling"},
       detail={"ceiling": {"zh": "中标金额{award:wan}超过最高限价{limit:wan}，超出{amount:wan}",
                           "en": "Award {award:wan} above the ceiling price {limit:wan} by {amount:wan}"},
               "budget": {"zh": "中标金额{award:wan}超过预算金额{limit:wan}，超出{amount:wan}",
                          "en": "Award {award:wan} above the budget {limit:wan} by {amount:wan}"}})
def award_above_ceiling(ctx: Context) -> pd.DataFrame:
    """PRO06.  Compared with the budget only when there is no ceiling price: with an unreadable
    one the budget would stand in for it, so such a would-be finding is held back and counted,
    as is one whose award date could not be read (the award might come after as_of)."""
    t = tender_frame(ctx)
    has_ceiling = t["ceiling_price"].notna()
    limit = t["ceiling_price"].where(has_ceiling, t["budget"])
    hit = t["award_amount"] > limit
    doubtful = hit & (t["award_unknown"] | (~has_ceiling & unreadable(ctx, "tenders", "ceiling_price", t)))
    unjudged = county_by_project_else(ctx, t.loc[doubtful, "project_id"], t.loc[doubtful, "county"])
    hit &= ~doubtful
    t, limit, has_ceiling = t[hit], limit[hit], has_ceiling[hit]
    out = tender_finding(ctx, t, variant=has_ceiling.map({True: "ceiling", False: "budget"}),
                         award=t["award_amount"], limit=limit)
    out["amount"] = t["award_amount"] - limit
    return partly_judged(out, entities=unjudged)


# --- PRO07, PRO08: contracts against their tender's award ---------------------------------------

@check("PRO07", "late-contract", area="procurement", severity="low", entity_type="contract",
       inputs={"contracts": ("contract_id", "tender_id", "project_id", "sign_date"),
               "tenders": ("tender_id", "award_date")},
       params=("contract_days",),
       basis="招标投标法 第四十六条",
       condition={
           "zh": "签订日期不晚于审计基准日、关联招标的合同，与该招标的中标通知日期（按招标台账所载，不论是否晚于审计基准日：合同先于中标即属先签后定）比较：签订日期晚于中标通知日期超过合同签订期限（参数 "
                 "contract_days，默认 30天，即相隔天数>30）的，严重程度为低；签订日期早于中标通知日期的，为中。"
                 "所关联招标的中标通知日期填写但无法识别的合同，不予判定，计入部分未判定数。",
           "en": "A contract signed on or before as_of with a tender_id, compared with its tender's award_date "
                 "as recorded (even if after as_of: the contract then came before its award): sign_date more than contract_days (default 30) days after "
                 "award_date (gap > 30): low; sign_date before award_date: medium. A contract whose tender's "
                 "award_date was filled in but could not be read is not judged (partly judged)."},
       amount={"zh": "合同金额（签订金额）",
               "en": "the contract amount as signed"},
       title={"zh": "合同签订不及时", "en": "Contract not signed in time"},
       detail={"late": {"zh": "中标通知{award:day}后{gap:int}天才签订合同（{sign:day}），超过{limit}天",
                        "en": "Signed {sign:day}, {gap:int} days after the award {award:day} (over {limit})"},
               "early": {"zh": "合同签订于{sign:day}，早于中标通知{award:day}（{gap:int}天）",
                         "en": "Signed {sign:day}, {gap:int} days before the award {award:day}"}})
def late_contract(ctx: Context) -> pd.DataFrame:
    """A finding rests on the order of signing and award: a contract whose tender's award_date could not be
    read is not judged (counted, in its project's county, else its tender's)."""
    c = contracts_with_award(ctx)
    gap = days(c["sign_date"], c["tender_award_date"])
    limit = ctx.params["contract_days"]
    early, late = gap < 0, gap > limit
    t = ctx["tenders"]
    lost = t[unreadable(ctx, "tenders", "award_date", t)]
    doubtful = c["tender_id"].isin(set(lost["tender_id"])) & c["tender_award_date"].isna()
    unjudged = county_by_project_else(
        ctx, c.loc[doubtful, "project_id"],
        lookup(c.loc[doubtful, "tender_id"], optional_column(tender_by_id(ctx), "county"))) if doubtful.any() else []
    c, gap, early = c[early | late], gap[early | late], early[early | late]
    return partly_judged(pd.DataFrame({
        "entity_id": c["contract_id"], "project_id": c["project_id"], "amount": optional_column(c, "amount", "float64"),
        "severity": early.map({True: "medium", False: "low"}), "variant": early.map({True: "early", False: "late"}),
        "sign": c["sign_date"], "award": c["tender_award_date"], "gap": gap.abs().astype(int), "limit": limit,
    }), entities=unjudged)


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
    c = c[above(c["amount"], c["tender_award_amount"] * (1 + tolerance), money=True)]
    excess = c["amount"] - c["tender_award_amount"]
    return pd.DataFrame({
        "entity_id": c["contract_id"], "project_id": c["project_id"], "amount": excess,
        "signed": c["amount"], "award": c["tender_award_amount"], "tolerance": tolerance,
    })

