"""PRC — construction procedure (基本建设程序): PRC01–05.

Severity rule of the spec: ``high`` when a required date is later than the event
it must precede, ``medium`` when it is only missing; a finding with both kinds of
item is ``high``.  Dates come from the as-of view, so an approval dated after
as_of counts as missing (it had not happened on the audit date).

The dates each check is about are ``inputs``: a ledger that does not record,
say, EIA approvals at all cannot be judged on them, and flagging every project
for a column the county never kept would bury the real findings.  Such a check
is reported as not run, naming the missing column.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .frames import isin, optional_column, positions, take
from .context import Context
from .registry import NotRun, check

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


def _government(p: pd.DataFrame) -> pd.Series:
    """Non-enterprise: a project with no category counts as government-invested."""
    if "category" not in p.columns:
        return pd.Series(True, index=p.index)
    return p["category"] != "enterprise"


@check("PRC01", "started-without-approval", area="procedure", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "actual_start", "design_approval_date")},
       optional=(("projects", "approval_date"), ("projects", "fsr_approval_date"), ("projects", "category")),
       basis="政府投资条例 第九至十一条",
       condition={
           "zh": "非企业投资项目（未填项目类别的视为政府投资项目）已开工（实际开工日期不晚于审计基准日），且有下列情形之一的：（1）立项批复日期和可研批复日期均无（可研批复可替代立项批复）；（2）"
                 "二者中较早的日期晚于实际开工日期；（3）初步设计批复日期缺失；（4）初步设计批复日期晚于实际开工日期。有批复日期晚于实际开工日期的，严重程度为高；仅有缺失的，"
                 "为中。晚于审计基准日的批复日期视为缺失。项目台账既无立项批复日期列也无可研批复日期列的，本检查不运行。",
           "en": "A project whose category is not enterprise (no category counts as government-invested) with "
                 "actual_start on or before as_of where: neither approval_date nor fsr_approval_date is "
                 "recorded (the feasibility approval stands in for the project approval); or the earlier of "
                 "the two is after actual_start; or design_approval_date is missing; or design_approval_date "
                 "is after actual_start. Severity high when any approval date is after actual_start, medium "
                 "when dates are only missing; an approval dated after as_of counts as missing. Not run when "
                 "projects has neither an approval_date nor an fsr_approval_date column."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       event_date="projects.actual_start",
       title={"zh": "未批先建", "en": "Started without approval"},
       detail=_items_detail({"approval": "approval_or_fsr", "design": "design_approval_date"}))
def started_without_approval(ctx: Context) -> pd.DataFrame:
    """The feasibility approval stands in for the project approval (审批制 may merge them).

    The approval item is *late* when a project or feasibility approval exists but every
    one of them is after the start, and *missing* when neither exists.
    """
    p = ctx["projects"]
    if "approval_date" not in p.columns and "fsr_approval_date" not in p.columns:
        raise NotRun("projects: column(s) approval_date and fsr_approval_date missing")
    p = p[_government(p) & p["actual_start"].notna()]
    start = p["actual_start"]
    approval = pd.concat([optional_column(p, "approval_date", "datetime64[ns]"), optional_column(p, "fsr_approval_date", "datetime64[ns]")], axis=1)
    approval_earliest = approval.min(axis=1)
    approval_missing = approval_earliest.isna()
    approval_late = approval_earliest > start
    design = p["design_approval_date"]
    design_missing = design.isna()
    design_late = design > start
    hit = approval_missing | approval_late | design_missing | design_late
    variant = _items_variant({"approval": (approval_missing[hit], approval_late[hit]),
                              "design": (design_missing[hit], design_late[hit])})
    p = p[hit]
    return pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"],
                         "severity": _severity((approval_late | design_late)[hit]), "variant": variant,
                         "start": start[hit], "approval": approval_earliest[hit], "design": design[hit]})


@check("PRC02", "started-without-permits", area="procedure", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "actual_start") + PERMIT_COLUMNS},
       optional=(("projects", "category"), ("projects", "total_investment")),
       params=("permit_exempt_investment",),
       basis="建筑法 第七条; 建筑工程施工许可管理办法 第二条; 环境影响评价法 第二十五条",
       condition={
           "zh": "非企业投资项目（未填项目类别的视为政府投资项目）已开工（实际开工日期不晚于审计基准日），其用地批复日期、规划许可日期、环评批复日期、施工许可日期中任一项缺失或晚于实际开工日期的；"
                 "计划总投资不超过（≤）施工许可豁免限额（参数 permit_exempt_investment，默认 300000元即30万元，含本数）的项目不要求施工许可，"
                 "计划总投资未填的仍要求。有日期晚于实际开工日期的，严重程度为高；仅有缺失的，为中。晚于审计基准日的日期视为缺失。",
           "en": "A project whose category is not enterprise (no category counts as government-invested) with "
                 "actual_start on or before as_of whose land_approval_date, planning_permit_date, "
                 "eia_approval_date or construction_permit_date is missing or after actual_start; no "
                 "construction permit is required when total_investment ≤ permit_exempt_investment (default "
                 "300,000 yuan, inclusive), while a blank total_investment still requires one. Severity high "
                 "when any date is after actual_start, medium when dates are only missing; a date after as_of "
                 "counts as missing."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "开工手续不全", "en": "Started without permits"},
       detail=_items_detail({c: c for c in PERMIT_COLUMNS}))
def started_without_permits(ctx: Context) -> pd.DataFrame:
    p = ctx["projects"]
    p = p[_government(p) & p["actual_start"].notna()]
    start = p["actual_start"]
    exempt_line = float(ctx.params["permit_exempt_investment"])
    exempt = optional_column(p, "total_investment", "float64") <= exempt_line
    missing = {c: p[c].isna() for c in PERMIT_COLUMNS}
    late = {c: p[c] > start for c in PERMIT_COLUMNS}
    missing["construction_permit_date"] &= ~exempt
    late["construction_permit_date"] &= ~exempt
    any_late = pd.concat(late.values(), axis=1).any(axis=1)
    hit = pd.concat(missing.values(), axis=1).any(axis=1) | any_late
    variant = _items_variant({c: (missing[c][hit], late[c][hit]) for c in PERMIT_COLUMNS})
    p = p[hit]
    return pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"],
                         "severity": _severity(any_late[hit]), "variant": variant, "start": start[hit],
                         **{c: p[c] for c in PERMIT_COLUMNS}})


@check("PRC03", "used-before-acceptance", area="procedure", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "operation_date", "acceptance_date")},
       basis="建设工程质量管理条例 第十六条",
       condition={
           "zh": "投产（交付使用）日期不晚于审计基准日，而竣工验收日期缺失（含晚于审计基准日，严重程度为中）或晚于投产（交付使用）日期（严重程度为高）的项目（不区分项目类别）。",
           "en": "operation_date on or before as_of, and acceptance_date missing (including one after as_of: "
                 "medium) or later than operation_date (high); any category."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "未验先用", "en": "Used before acceptance"},
       detail={"late": {"zh": "投产/交付使用日期{operation:day}，竣工验收日期{acceptance:day}",
                        "en": "In use from {operation:day}; completion acceptance {acceptance:day}"},
               "missing": {"zh": "投产/交付使用日期{operation:day}，竣工验收日期缺失",
                           "en": "In use from {operation:day}; completion acceptance missing"}})
def used_before_acceptance(ctx: Context) -> pd.DataFrame:
    p = ctx["projects"]
    p = p[p["operation_date"].notna()]
    acceptance = p["acceptance_date"]
    late = acceptance > p["operation_date"]
    hit = acceptance.isna() | late
    p, late = p[hit], late[hit]
    return pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"],
                         "severity": _severity(late), "variant": np.where(late, "late", "missing"),
                         "operation": p["operation_date"], "acceptance": p["acceptance_date"]})


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
                 "的项目。项目台账既无实际竣工日期列也无竣工验收日期列的，本检查不运行。",
           "en": "Due day = actual_completion (else acceptance_date; a date after as_of counts as none) plus "
                 "final_accounts_months calendar months (default 3; a month-end day clips to the shorter "
                 "month's end); the due day is strictly before as_of and final_accounts_date is missing "
                 "(including one after as_of: medium) or later than the due day (high). Not run when projects "
                 "has neither an actual_completion nor an acceptance_date column."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "竣工决算逾期", "en": "Final accounts overdue"},
       detail=PRC04_DETAIL)
def final_accounts_overdue(ctx: Context) -> pd.DataFrame:
    p = ctx["projects"]
    if "actual_completion" not in p.columns and "acceptance_date" not in p.columns:
        raise NotRun("projects: column(s) actual_completion and acceptance_date missing")
    completion = optional_column(p, "actual_completion", "datetime64[ns]")
    from_completion = completion.notna()
    base = completion.where(from_completion, optional_column(p, "acceptance_date", "datetime64[ns]"))
    months = int(ctx.params["final_accounts_months"])
    due = base + pd.DateOffset(months=months)
    final = p["final_accounts_date"]
    late = final > due
    hit = (due < ctx.as_of) & (final.isna() | late)
    p, base, due, late, from_completion = p[hit], base[hit], due[hit], late[hit], from_completion[hit]
    variant = (pd.Series(np.where(from_completion, "completion", "acceptance"), index=p.index, dtype="str")
               + np.where(late, "+late", "+missing"))
    return pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"],
                         "severity": _severity(late), "variant": variant, "base": base, "due": due,
                         "months": months, "final": p["final_accounts_date"]})


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
                 "为中。公告日期未填的招标只在批复日期缺失时列出。未关联项目的招标不在范围内。",
           "en": "A tender with a project_id, of kind works, goods or services, whose notice_date is on or "
                 "before as_of or blank: the required date is the project's design_approval_date (works) or "
                 "approval_date (goods, services; the feasibility approval does not stand in). notice_date "
                 "strictly before the required date: high; the required date missing (including one after "
                 "as_of, or the project not in the projects table): medium. A tender with no notice_date is "
                 "reported only when the date is missing. Tenders with no project are out of scope."},
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
    A tender with no notice_date is judged only when the approval is missing.
    """
    t = ctx["tenders"]
    # the columns read below only: a row filter copies every column it is given
    t = t[[c for c in ("tender_id", "project_id", "kind", "notice_date", "county") if c in t.columns]]
    linked = t["project_id"].notna() & (t["project_id"].str.strip() != "")
    t = t[linked & isin(t["kind"], list(TENDER_KIND_APPROVAL)) & ~(t["notice_date"] > ctx.as_of)]
    p = ctx["projects"].drop_duplicates("project_id").set_index("project_id")
    known = isin(t["project_id"], p.index)
    at = positions(t["project_id"], p.index)
    design = take(p["design_approval_date"], at, index=t.index)
    approval = take(p["approval_date"], at, index=t.index)
    works = t["kind"] == "works"
    required = design.where(works, approval)
    missing = required.isna()
    late = t["notice_date"] < required
    hit = missing | late
    t, known, required, late, works = t[hit], known[hit], required[hit], late[hit], works[hit]
    county = t["county"].where(~known) if "county" in t.columns else pd.Series(np.nan, index=t.index)
    variant = (pd.Series(np.where(works, "design", "approval"), index=t.index, dtype="str")
               + np.where(t["notice_date"].notna(), "+dated", "+blank")
               + np.select([~known, required.isna()], ["+unlisted", "+missing"], "+dated"))
    return pd.DataFrame({"entity_id": t["tender_id"], "project_id": t["project_id"], "county": county,
                         "severity": _severity(late), "variant": variant, "notice": t["notice_date"],
                         "kind": t["kind"], "approval": required})
