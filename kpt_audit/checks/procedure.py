"""PRC — construction procedure (基本建设程序): PRC01–06.

Severity rule of the spec: ``high`` when a required date is later than the event
it must precede, ``medium`` when it is only missing; a finding with both kinds of
item is ``high``.  Dates come from the as-of view, so an approval dated after
as_of counts as missing (it had not happened on the audit date).

The dates each check is about are ``inputs``: a ledger that does not record,
say, EIA approvals at all cannot be judged on them, and flagging every project
for a column the county never kept would bury the real findings.  Such a check
is reported as not run, naming the missing column.

Unknown values (checks.md revision 2, DQ): a date the loader could not read
(``frames.unreadable``) is neither present nor absent.  An item resting on it is
*unknown*: it is never reported as missing or late (nor used as a fall-back's
trigger), and it is not taken as in order either.  A project is reported on the
items that are proven (a permit proven missing is a finding whatever an unreadable
EIA cell says; the detail names the proven items only).  A finding that would rest
only on unknown items is not made: that entity is not judged and is counted
(``partly_judged``).  Where the unreadable value's absence would lead to no finding
at all (an unreadable actual_start: the project reads as not started), nothing rests
on it, and the entity is not counted — checks.md counts the entities whose finding
would rest on such a value; DQ01 reports the cell itself.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .frames import (counties_where, county_by_project_else, government_invested, isin, lookup, optional_column, positions, present, take, tender_frame,
                     unreadable)
from .context import Context
from .registry import NotRun, check, partly_judged

# column -> (zh, en) name used in details
DATE_NAMES = {
    "approval_date": ("立项批复", "project approval"),
    "approval_or_fsr": ("立项/可研批复", "project/feasibility approval"),
    "fsr_approval_date": ("可研批复", "feasibility approval"),
    "design_approval_date": ("初设批复", "design approval"),
    "land_approval_date": ("用地批复", "land approval"),
    "planning_permit_date": ("规划许可", "planning permit"),
    "eia_approval_date": ("环评批复", "EIA approval"),
    "construction_permit_date": ("施工许可", "construction permit"),
    "acceptance_date": ("竣工验收", "completion acceptance"),
    "final_accounts_date": ("竣工决算编报", "final accounts"),
}
PERMIT_COLUMNS = ("land_approval_date", "planning_permit_date", "eia_approval_date", "construction_permit_date")
TENDER_KIND_APPROVAL = {"works": "design_approval_date", "goods": "approval_date", "services": "approval_date"}


ITEM_STATES = ("ok", "missing", "late")


def _items_detail(items: dict[str, str]) -> dict[str, dict[str, str]]:
    """The detail of a check that lists the missing or late ones of dated ``items`` (field -> DATE_NAMES key).

    One variant per combination of the items' states, named like ``approval_late+design_ok`` (each
    item ok, missing or late; not all ok): '实际开工2020-03-01：施工许可日期2020-05-01晚于开工日期2020-03-01；
    环评批复日期缺失'.  A late item quotes its date, every variant the start (``start``).
    """
    variants = {}
    for states in itertools.product(ITEM_STATES, repeat=len(items)):
        if set(states) == {"ok"}:
            continue
        zh, en = [], []
        for (field, key), state in zip(items.items(), states):
            name_zh, name_en = DATE_NAMES[key]
            if state == "missing":
                zh.append(f"{name_zh}日期缺失")
                en.append(f"{name_en} missing")
            elif state == "late":
                zh.append(f"{name_zh}日期{{{field}:day}}晚于开工日期{{start:day}}")
                en.append(f"{name_en} {{{field}:day}} after start {{start:day}}")
        name = "+".join(f"{field}_{state}" for field, state in zip(items, states))
        variants[name] = {"zh": "实际开工{start:day}：" + "；".join(zh), "en": "Started {start:day}: " + "; ".join(en)}
    return variants


def _items_variant(states: dict[str, tuple[pd.Series, pd.Series]]) -> pd.Series:
    """Per row, the ``_items_detail`` variant of items given as field -> (missing, late)."""
    names = [field + "_" + pd.Series(np.select([late, missing], ["late", "missing"], "ok"), index=late.index,
                                     dtype="str")
             for field, (missing, late) in states.items()]
    out = names[0]
    for name in names[1:]:
        out = out + "+" + name
    return out


def _severity(late: pd.Series) -> pd.Series:
    return pd.Series(np.where(late, "high", "medium"), index=late.index, dtype="str")


def _date_item(ctx: Context, p: pd.DataFrame, column: str, start: pd.Series) -> tuple[pd.Series, ...]:
    """(missing, late, unknown) of a required date that must be on or before ``start``: an
    unreadable date is unknown, neither missing nor late."""
    date = p[column]
    unknown = unreadable(ctx, "projects", column, p)
    return date.isna() & ~unknown, date > start, unknown


UNKNOWN_ITEMS_ZH = ("填写了但无法识别的日期（无法解析）不视为缺失、也不视为按期：项目只按能确认的事项列出；没有能确认的问题、"
                    "只因无法识别的日期才会列出的项目，不作判定，计入“部分未判定”数。")
UNKNOWN_ITEMS_EN = ("A date the loader could not read is neither missing nor in order: a project is reported on the "
                    "items that are proven; one that would be reported only on an unreadable date is not judged "
                    "and is counted as partly judged.")


@check("PRC01", "started-without-approval", area="procedure", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "actual_start", "design_approval_date")},
       optional=(("projects", "approval_date"), ("projects", "fsr_approval_date"), ("projects", "category")),
       basis="政府投资条例 第九至十一条",
       condition={
           "zh": "非企业投资项目（未填项目类别的视为政府投资项目）已开工（实际开工日期不晚于审计基准日），且有下列情形之一的：（1）立项批复日期和可研批复日期均无（可研批复可替代立项批复）；（2）"
                 "二者中较早的日期晚于实际开工日期；（3）初步设计批复日期缺失；（4）初步设计批复日期晚于实际开工日期。有批复日期晚于实际开工日期的，严重程度为高；仅有缺失的，"
                 "为中。晚于审计基准日的批复日期视为缺失。引用的依据按实际开工日期所在时段确定（2019-06-30及以前为国发〔2004〕20号，2019-07-01起为政府投资条例，"
                 "见参数 bases）。" + UNKNOWN_ITEMS_ZH + "项目台账既无立项批复日期列也无可研批复日期列的，本检查不运行。",
           "en": "A project whose category is not enterprise (no category counts as government-invested) with "
                 "actual_start on or before as_of where: neither approval_date nor fsr_approval_date is "
                 "recorded (the feasibility approval stands in for the project approval); or the earlier of "
                 "the two is after actual_start; or design_approval_date is missing; or design_approval_date "
                 "is after actual_start. Severity high when any approval date is after actual_start, medium "
                 "when dates are only missing; an approval dated after as_of counts as missing. The basis cited "
                 "is the one in force on actual_start (checks.bases: 国发〔2004〕20号 to 2019-06-30, 政府投资条例 "
                 "from 2019-07-01). " + UNKNOWN_ITEMS_EN + " Not run when projects has neither an approval_date "
                 "nor an fsr_approval_date column."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       event_date="projects.actual_start",
       title={"zh": "未批先建", "en": "Started without approval"},
       detail=_items_detail({"approval": "approval_or_fsr", "design": "design_approval_date"}))
def started_without_approval(ctx: Context) -> pd.DataFrame:
    """The feasibility approval stands in for the project approval (审批制 may merge them).

    The approval item is *late* when a project or feasibility approval exists but every
    one of them is after the start, and *missing* when neither exists.  It is *unknown*
    when neither readable date is on or before the start and one of the two could not be
    read (that one might be in order).  The basis is dated (checks.bases.PRC01): the
    engine cites the one in force on ``event_date`` = actual_start.
    """
    p = ctx["projects"]
    if "approval_date" not in p.columns and "fsr_approval_date" not in p.columns:
        raise NotRun("projects: column(s) approval_date and fsr_approval_date missing")
    p = p[government_invested(p) & p["actual_start"].notna()]
    start = p["actual_start"]
    approval = pd.concat([optional_column(p, "approval_date", "datetime64[ns]"),
                          optional_column(p, "fsr_approval_date", "datetime64[ns]")], axis=1)
    approval_earliest = approval.min(axis=1)
    approval_unknown = (~(approval_earliest <= start)
                        & (unreadable(ctx, "projects", "approval_date", p)
                           | unreadable(ctx, "projects", "fsr_approval_date", p)))
    approval_missing = approval_earliest.isna() & ~approval_unknown
    approval_late = (approval_earliest > start) & ~approval_unknown
    design_missing, design_late, design_unknown = _date_item(ctx, p, "design_approval_date", start)
    hit = approval_missing | approval_late | design_missing | design_late
    unjudged = counties_where(ctx, ~hit & (approval_unknown | design_unknown))
    variant = _items_variant({"approval": (approval_missing[hit], approval_late[hit]),
                              "design": (design_missing[hit], design_late[hit])})
    p = p[hit]
    design = p["design_approval_date"]
    return partly_judged(pd.DataFrame({
        "entity_id": p["project_id"], "project_id": p["project_id"],
        "severity": _severity((approval_late | design_late)[hit]), "variant": variant,
        "start": start[hit], "approval": approval_earliest[hit], "design": design, "event_date": start[hit]}),
        entities=unjudged)


@check("PRC02", "started-without-permits", area="procedure", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "actual_start") + PERMIT_COLUMNS},
       optional=(("projects", "category"), ("projects", "total_investment")),
       params=("permit_exempt_investment",),
       basis="建筑法 第七条; 建筑工程施工许可管理办法 第二条; 环境影响评价法 第二十五条",
       condition={
           "zh": "非企业投资项目（未填项目类别的视为政府投资项目）已开工（实际开工日期不晚于审计基准日），其用地批复日期、规划许可日期、环评批复日期、施工许可日期中任一项缺失或晚于实际开工日期的；"
                 "计划总投资不超过（≤）施工许可豁免限额（参数 permit_exempt_investment，默认 300000元即30万元，含本数）的项目不要求施工许可，"
                 "计划总投资未填的仍要求（计划总投资无法识别的，施工许可一项无法确认）。有日期晚于实际开工日期的，严重程度为高；仅有缺失的，为中。晚于审计基准日的日期视为缺失。"
                 + UNKNOWN_ITEMS_ZH,
           "en": "A project whose category is not enterprise (no category counts as government-invested) with "
                 "actual_start on or before as_of whose land_approval_date, planning_permit_date, "
                 "eia_approval_date or construction_permit_date is missing or after actual_start; no "
                 "construction permit is required when total_investment ≤ permit_exempt_investment (default "
                 "300,000 yuan, inclusive), while a blank total_investment still requires one (an unreadable "
                 "one leaves the permit item unknown). Severity high when any date is after actual_start, "
                 "medium when dates are only missing; a date after as_of counts as missing. " + UNKNOWN_ITEMS_EN},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "开工手续不全", "en": "Started without permits"},
       detail=_items_detail({c: c for c in PERMIT_COLUMNS}))
def started_without_permits(ctx: Context) -> pd.DataFrame:
    """Whether a permit is required rests on total_investment: when it could not be read, a
    missing or late construction permit is unknown (the project may be under the line)."""
    p = ctx["projects"]
    p = p[government_invested(p) & p["actual_start"].notna()]
    start = p["actual_start"]
    exempt_line = float(ctx.params["permit_exempt_investment"])
    exempt = optional_column(p, "total_investment", "float64") <= exempt_line
    size_unknown = unreadable(ctx, "projects", "total_investment", p)
    missing, late, unknown = {}, {}, {}
    for c in PERMIT_COLUMNS:
        missing[c], late[c], unknown[c] = _date_item(ctx, p, c, start)
    permit = "construction_permit_date"
    # not required (exempt), or required only if the unreadable size is above the line
    unknown[permit] = ~exempt & (unknown[permit] | (size_unknown & (missing[permit] | late[permit])))
    missing[permit] &= ~exempt & ~unknown[permit]
    late[permit] &= ~exempt & ~unknown[permit]
    any_late = pd.concat(late.values(), axis=1).any(axis=1)
    hit = pd.concat(missing.values(), axis=1).any(axis=1) | any_late
    unjudged = counties_where(ctx, ~hit & pd.concat(unknown.values(), axis=1).any(axis=1))
    variant = _items_variant({c: (missing[c][hit], late[c][hit]) for c in PERMIT_COLUMNS})
    p = p[hit]
    return partly_judged(pd.DataFrame({
        "entity_id": p["project_id"], "project_id": p["project_id"], "severity": _severity(any_late[hit]),
        "variant": variant, "start": start[hit], **{c: p[c] for c in PERMIT_COLUMNS}}), entities=unjudged)


@check("PRC03", "used-before-acceptance", area="procedure", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "operation_date", "acceptance_date")},
       basis="建设工程质量管理条例 第十六条",
       condition={
           "zh": "投产（交付使用）日期不晚于审计基准日，而竣工验收日期缺失（含晚于审计基准日，严重程度为中）或晚于投产（交付使用）日期（严重程度为高）的项目（不区分项目类别）。"
                 "已投产但竣工验收日期填写了而无法识别的项目，不作判定，计入“部分未判定”数。",
           "en": "operation_date on or before as_of, and acceptance_date missing (including one after as_of: "
                 "medium) or later than operation_date (high); any category. A project in use whose "
                 "acceptance_date could not be read is not judged and is counted as partly judged."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "未验先用", "en": "Used before acceptance"},
       detail={"late": {"zh": "投产/交付使用日期{operation:day}，竣工验收日期{acceptance:day}",
                        "en": "In use from {operation:day}; completion acceptance {acceptance:day}"},
               "missing": {"zh": "投产/交付使用日期{operation:day}，竣工验收日期缺失",
                           "en": "In use from {operation:day}; completion acceptance missing"}})
def used_before_acceptance(ctx: Context) -> pd.DataFrame:
    """Any category: 建设工程质量管理条例 第十六条 binds every construction project.  An unreadable
    acceptance date might precede the operation, so it is not taken as missing."""
    p = ctx["projects"]
    acceptance_unknown = unreadable(ctx, "projects", "acceptance_date", p)
    in_use = p["operation_date"].notna()
    acceptance = p["acceptance_date"]
    late = in_use & (acceptance > p["operation_date"])
    missing = in_use & acceptance.isna() & ~acceptance_unknown
    hit = missing | late
    unjudged = counties_where(ctx, in_use & acceptance.isna() & acceptance_unknown)
    p, late = p[hit], late[hit]
    return partly_judged(pd.DataFrame({
        "entity_id": p["project_id"], "project_id": p["project_id"], "severity": _severity(late),
        "variant": np.where(late, "late", "missing"), "operation": p["operation_date"],
        "acceptance": p["acceptance_date"]}), entities=unjudged)


# PRC04: the due day counts from the completion or the acceptance; the final accounts are late or missing
PRC04_BASE = {"completion": ("实际竣工", "Completed"), "acceptance": ("竣工验收", "Accepted")}
PRC04_FINAL = {"late": ("{final:day}", "{final:day}"), "missing": ("缺失", "missing")}
PRC04_DETAIL = {
    f"{base}+{final}": {"zh": f"{b_zh}{{base:day}}，应于{{due:day}}前编报竣工决算（{{months}}个月），决算编报日期{f_zh}",
                        "en": f"{b_en} {{base:day}}; final accounts due by {{due:day}} ({{months}} months), "
                              f"compiled {f_en}"}
    for (base, (b_zh, b_en)), (final, (f_zh, f_en)) in itertools.product(PRC04_BASE.items(), PRC04_FINAL.items())}


@check("PRC04", "final-accounts-overdue", area="procedure", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "final_accounts_date")},
       optional=(("projects", "actual_completion"), ("projects", "acceptance_date")),
       params=("final_accounts_months",),
       basis="基本建设项目竣工财务决算管理暂行办法 (财建〔2016〕503号) 第二条",
       condition={
           "zh": "以实际竣工日期（无则取竣工验收日期；晚于审计基准日的日期视为无）加上决算编报期限月数（参数 final_accounts_months，默认 3，按日历月推算，"
                 "月末日对齐至较短月份的月末）为竣工决算编报期限日；期限日早于审计基准日，且竣工决算编报日期缺失（含晚于审计基准日，严重程度为中）或晚于期限日（严重程度为高）"
                 "的项目（不区分项目类别）。实际竣工日期无法识别而要以竣工验收日期推算才会列出的项目，以及决算编报日期无法识别而要视为缺失才会列出的项目，"
                 "不作判定，计入“部分未判定”数。项目台账既无实际竣工日期列也无竣工验收日期列的，本检查不运行。",
           "en": "Due day = actual_completion (else acceptance_date; a date after as_of counts as none) plus "
                 "final_accounts_months calendar months (default 3; a month-end day clips to the shorter "
                 "month's end); the due day is strictly before as_of and final_accounts_date is missing "
                 "(including one after as_of: medium) or later than the due day (high); any category. A "
                 "project that would be reported only by counting from acceptance_date in place of an "
                 "unreadable actual_completion, or by taking an unreadable final_accounts_date as missing, is "
                 "not judged and is counted as partly judged. Not run when projects has neither an "
                 "actual_completion nor an acceptance_date column."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "竣工决算逾期", "en": "Final accounts overdue"},
       detail=PRC04_DETAIL)
def final_accounts_overdue(ctx: Context) -> pd.DataFrame:
    """Any category, as the spec's row says (财建〔2016〕503号 binds 基本建设项目; an enterprise
    project's row in the ledger is the county's own record and is judged the same way).
    The acceptance stands in for a missing completion only when the completion is truly
    blank: an unreadable completion date leaves the due day unknown, and a finding counted
    from the acceptance in its place is not made (nor one on an unreadable final accounts date)."""
    p = ctx["projects"]
    if "actual_completion" not in p.columns and "acceptance_date" not in p.columns:
        raise NotRun("projects: column(s) actual_completion and acceptance_date missing")
    completion = optional_column(p, "actual_completion", "datetime64[ns]")
    from_completion = completion.notna()
    base = completion.where(from_completion, optional_column(p, "acceptance_date", "datetime64[ns]"))
    base_unknown = unreadable(ctx, "projects", "actual_completion", p)
    months = int(ctx.params["final_accounts_months"])
    due = base + pd.DateOffset(months=months)
    final = p["final_accounts_date"]
    final_unknown = unreadable(ctx, "projects", "final_accounts_date", p)
    late = final > due
    would = (due < ctx.as_of) & (final.isna() | late)
    unknown = would & (base_unknown | final_unknown)
    hit = would & ~unknown
    unjudged = counties_where(ctx, unknown)
    p, base, due, late, from_completion = p[hit], base[hit], due[hit], late[hit], from_completion[hit]
    variant = (pd.Series(np.where(from_completion, "completion", "acceptance"), index=p.index, dtype="str")
               + np.where(late, "+late", "+missing"))
    return partly_judged(pd.DataFrame({
        "entity_id": p["project_id"], "project_id": p["project_id"], "severity": _severity(late),
        "variant": variant, "base": base, "due": due, "months": months, "final": p["final_accounts_date"]}),
        entities=unjudged)


# PRC05: the approval the tender's kind needs (design approval for works), its notice dated or blank, the
# approval dated (late), missing, or unverifiable (the project not in the ledger)
PRC05_REQUIRED = {"design": "design_approval_date", "approval": "approval_date"}
PRC05_NOTICE = {"dated": ("{notice:day}", "{notice:day}"), "blank": ("未填", "blank")}
PRC05_APPROVAL = {"dated": ("{approval:day}", "{approval:day}"), "missing": ("缺失", "missing"),
                  "unlisted": ("无从核实（项目不在项目台账中）", "unverifiable (project not in the ledger)")}
PRC05_DETAIL = {
    f"{required}+{notice}+{approval}": {
        "zh": f"招标公告日期{n_zh}（{{kind:kind_class}}），项目{DATE_NAMES[column][0]}日期{a_zh}",
        "en": f"Tender notice {n_en} ({{kind:kind_class}}); project {DATE_NAMES[column][1]} {a_en}"}
    for (required, column), (notice, (n_zh, n_en)), (approval, (a_zh, a_en))
    in itertools.product(PRC05_REQUIRED.items(), PRC05_NOTICE.items(), PRC05_APPROVAL.items())}


@check("PRC05", "tender-before-approval", area="procedure", severity="high", entity_type="tender",
       inputs={"tenders": ("tender_id", "project_id", "kind", "notice_date"),
               "projects": ("project_id", "approval_date", "design_approval_date")},
       optional=(("tenders", "county"),),
       basis="工程建设项目施工招标投标办法 第八条; 招标投标法 第九条",
       condition={
           "zh": "关联项目（项目编码不为空）、采购类别为工程、货物或服务、且招标公告日期不晚于审计基准日（公告日期未填的也纳入）的招标：工程类以项目初步设计批复日期、"
                 "货物和服务类以项目立项批复日期（可研批复不能替代）为所需批复日期。招标公告日期早于所需批复日期的，严重程度为高；项目缺少该批复日期（含晚于审计基准日，或项目不在项目台账中）的，"
                 "为中。公告日期未填的招标只在批复日期缺失时列出。未关联项目的招标不在范围内。所需批复日期填写了但无法识别的招标，以及批复日期缺失而招标公告日期无法识别"
                 "（可能晚于审计基准日，招标尚未发生）的招标，不作判定，计入“部分未判定”数。",
           "en": "A tender with a project_id, of kind works, goods or services, whose notice_date is on or "
                 "before as_of or blank: the required date is the project's design_approval_date (works) or "
                 "approval_date (goods, services; the feasibility approval does not stand in). notice_date "
                 "strictly before the required date: high; the required date missing (including one after "
                 "as_of, or the project not in the projects table): medium. A tender with no notice_date is "
                 "reported only when the date is missing. Tenders with no project are out of scope. A tender "
                 "whose project's required date could not be read, or whose required date is missing and whose "
                 "notice_date could not be read (it might be after as_of), is not judged and is counted as "
                 "partly judged."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "未批先招", "en": "Tender before approval"},
       detail=PRC05_DETAIL)
def tender_before_approval(ctx: Context) -> pd.DataFrame:
    """Tenders of a project the ledger does not list are flagged as lacking the approval.

    As an auditor: the tender claims a project, so it is in scope, and nothing on
    record shows the approval it needed — the county must produce it (medium, the
    detail says the project is not in the ledger).  Tenders whose notice is after as_of
    have not happened; tenders of kind ``unknown`` (OCDS only) have no rule here.
    A tender with no notice_date is judged only when the approval is missing.  An
    unreadable notice date might be after as_of (the tender not yet held), so a missing
    approval is not reported for it; an unreadable required date is not taken as missing.
    """
    t = ctx["tenders"]
    # the columns read below only: a row filter copies every column it is given
    t = t[[c for c in ("tender_id", "project_id", "kind", "notice_date", "county") if c in t.columns]]
    linked = t["project_id"].notna() & (t["project_id"].str.strip() != "")
    t = t[linked & isin(t["kind"], list(TENDER_KIND_APPROVAL)) & ~(t["notice_date"] > ctx.as_of)]
    notice_unknown = unreadable(ctx, "tenders", "notice_date", t)
    p = ctx["projects"]
    p = p[~p["project_id"].duplicated()]
    at = positions(t["project_id"], p["project_id"])
    known = pd.Series(at >= 0, index=t.index)
    design = take(p["design_approval_date"], at, index=t.index)
    approval = take(p["approval_date"], at, index=t.index)
    works = t["kind"] == "works"
    required = design.where(works, approval)
    required_unknown = known & pd.Series(np.where(
        works, take(unreadable(ctx, "projects", "design_approval_date", p), at).fillna(False).astype(bool),
        take(unreadable(ctx, "projects", "approval_date", p), at).fillna(False).astype(bool)), index=t.index)
    missing = required.isna()
    late = t["notice_date"] < required
    unknown = (missing | late) & (required_unknown | notice_unknown)
    hit = (missing | late) & ~unknown
    unjudged = county_by_project_else(ctx, t.loc[unknown, "project_id"],
                                      optional_column(t, "county")[unknown])
    t, known, required, late, works = t[hit], known[hit], required[hit], late[hit], works[hit]
    county = t["county"].where(~known) if "county" in t.columns else pd.Series(np.nan, index=t.index)
    variant = (pd.Series(np.where(works, "design", "approval"), index=t.index, dtype="str")
               + np.where(t["notice_date"].notna(), "+dated", "+blank")
               + np.select([~known, required.isna()], ["+unlisted", "+missing"], "+dated"))
    return partly_judged(pd.DataFrame({
        "entity_id": t["tender_id"], "project_id": t["project_id"], "county": county,
        "severity": _severity(late), "variant": variant, "notice": t["notice_date"], "kind": t["kind"],
        "approval": required}), entities=unjudged)


PRC06_DETAIL = {
    "tender": {"zh": "实际开工{start:day}，早于其工程施工招标{ref_id}的中标通知日期{ref_date:day}（先开工后招标）",
               "en": "Started {start:day}, before the award of its works tender {ref_id} on {ref_date:day}"},
    "contract": {"zh": "实际开工{start:day}，早于其工程施工合同{ref_id}的签订日期{ref_date:day}（无已定标的工程招标）",
                 "en": "Started {start:day}, before its works contract {ref_id} was signed on {ref_date:day} "
                       "(no works tender awarded)"},
}


def _earliest(rows: pd.DataFrame, date: str, ref: str) -> pd.DataFrame:
    """Per project_id (index): the earliest ``date`` and the ``ref`` id of that row (ties: smallest id)."""
    rows = rows[["project_id", date, ref]]  # only what is read: a row filter copies every column it is given
    rows = rows[present(rows["project_id"]) & rows[date].notna()]
    earliest = rows[rows[date] == rows.groupby("project_id", sort=False)[date].transform("min")]
    first = earliest.sort_values(ref, kind="stable").drop_duplicates("project_id")
    return pd.DataFrame({"ref_date": first[date].to_numpy(), "ref_id": first[ref].astype("str").array},
                        index=pd.Index(first["project_id"].astype("str").array, name="project_id"))


@check("PRC06", "started-before-award", area="procedure", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "actual_start")},
       optional=(("projects", "category"), ("tenders", "tender_id"), ("tenders", "project_id"), ("tenders", "kind"),
                 ("tenders", "award_date"), ("contracts", "contract_id"), ("contracts", "project_id"),
                 ("contracts", "kind"), ("contracts", "sign_date")),
       basis="建筑法 第八条 (已确定建筑施工企业); 招标投标法 第三条 (先开工后招标)",
       condition={
           "zh": "非企业投资项目（未填项目类别的视为政府投资项目）已开工（实际开工日期不晚于审计基准日），实际开工日期早于其工程类招标中最早的中标通知日期"
                 "（只计中标通知日期已填写且不晚于审计基准日的招标）的；项目没有这样的工程类招标的，实际开工日期早于其工程类合同（签订日期不晚于审计基准日）"
                 "中最早的签订日期的。既无此类招标也无此类合同的项目不在范围内。其工程类招标中有中标通知日期填写了但无法识别（可能早于开工）、本会列出的项目，"
                 "不作判定，计入“部分未判定”数。招标表和合同表均无所需列的，本检查不运行。",
           "en": "A project whose category is not enterprise (no category counts as government-invested) with "
                 "actual_start on or before as_of that is earlier than the earliest award_date of its works "
                 "tenders awarded on or before as_of (award_date set and not after as_of), or — when it has no "
                 "such tender — earlier than the earliest sign_date (on or before as_of) of its works "
                 "contracts; projects with neither are out of scope. A project that would be reported but one "
                 "of whose works tenders has an award_date that could not be read (it might precede the start) "
                 "is not judged and is counted as partly judged. Not run when neither tenders (project_id, kind, "
                 "award_date) nor contracts (project_id, kind, sign_date) are present."},
       amount={"zh": "不计金额", "en": "no amount"},
       title={"zh": "先开工后招标", "en": "Started before award"},
       detail=PRC06_DETAIL)
def started_before_award(ctx: Context) -> pd.DataFrame:
    """The works contractor must be chosen before construction starts (建筑法 第八条): a start
    before the works award is 先开工后招标.  The tender's award_date is the event; a project
    without an awarded works tender is judged on its works contracts' signing instead.  A
    contract counts as works by its own ``kind`` (a contract with no kind is not taken for
    one).  The earliest award is the reference: a start after any works award has a chosen
    contractor.  Where one of the project's works tenders has an unreadable award date, a
    finding (on another award, or on the fall-back to contracts) would rest on that date
    being absent, so it is not made and the project is counted; a project already on or
    after a known award is in order whatever that date is.  An unreadable actual_start reads
    as not started: nothing is reported on it (DQ01 reports the cell).
    """
    has_tenders = ctx.has("tenders", "tender_id", "project_id", "kind", "award_date")
    has_contracts = ctx.has("contracts", "contract_id", "project_id", "kind", "sign_date")
    if not has_tenders and not has_contracts:
        raise NotRun("neither tenders (project_id, kind, award_date) nor contracts (project_id, kind, sign_date) "
                     "present")
    empty = pd.DataFrame({"ref_date": pd.Series(dtype="datetime64[ns]"), "ref_id": pd.Series(dtype="str")},
                         index=pd.Index([], dtype="str", name="project_id"))
    awards, award_unknown = empty, pd.Index([], dtype="str")
    if has_tenders:
        t = tender_frame(ctx)  # awards after as_of are blank there
        works = t[["tender_id", "project_id", "award_date"]][((t["kind"] == "works") & t["linked"]).to_numpy()]
        awards = _earliest(works, "award_date", "tender_id")
        unknown = unreadable(ctx, "tenders", "award_date", works)
        award_unknown = pd.Index(works.loc[unknown, "project_id"].astype("str").unique())
    signed = empty
    if has_contracts:
        c = ctx["contracts"]  # signed on or before as_of
        signed = _earliest(c[["contract_id", "project_id", "sign_date"]][(c["kind"] == "works").to_numpy()],
                           "sign_date", "contract_id")

    p = ctx["projects"]
    p = p[government_invested(p)]
    pid = p["project_id"].astype("str")
    by_award = isin(pid, awards.index)
    ref = pd.DataFrame({"ref_date": pd.Series(pd.NaT, index=p.index, dtype="datetime64[ns]"),
                        "ref_id": pd.Series(None, index=p.index, dtype="str")})
    if by_award.any():
        ref.loc[by_award, "ref_date"] = lookup(pid[by_award], awards["ref_date"]).to_numpy()
        ref.loc[by_award, "ref_id"] = lookup(pid[by_award], awards["ref_id"]).to_numpy()
    by_contract = ~by_award & isin(pid, signed.index)
    if by_contract.any():
        ref.loc[by_contract, "ref_date"] = lookup(pid[by_contract], signed["ref_date"]).to_numpy()
        ref.loc[by_contract, "ref_id"] = lookup(pid[by_contract], signed["ref_id"]).to_numpy()
    start = p["actual_start"]
    early = start < ref["ref_date"]
    uncertain_award = isin(pid, award_unknown)
    # an unreadable award might be the earliest, before the start
    unknown = early & uncertain_award
    hit = early & ~unknown
    unjudged = counties_where(ctx, unknown)
    p, ref = p[hit], ref[hit]
    return partly_judged(pd.DataFrame({
        "entity_id": p["project_id"], "project_id": p["project_id"],
        "variant": np.where(by_award[hit], "tender", "contract"), "start": start[hit],
        "ref_id": ref["ref_id"], "ref_date": ref["ref_date"]}), entities=unjudged)
