"""EXE — plan execution (计划执行): EXE01–08 and the county tables the speech reads out.

Every date here comes from the as-of view (see context.py), so an allocation,
payment or start after as_of has not happened yet.  Month arithmetic (EXE02's
``idle_months``) uses ``pd.DateOffset(months=n)``: 2020-09-25 minus 12 months
is 2019-09-25, and a month-end day clips to the shorter month's end.
"""
from __future__ import annotations

import itertools
import re
import unicodedata

import numpy as np
import pandas as pd

from .frames.sums import group_sums
from .frames import (FUNDED_CATEGORIES, above, below, contract_values, counties_where, government_invested, isin, lookup, optional_column,
                     payment_projects, payments_by_project, positions, present, recorded, take, unreadable)
from .context import Context
from .registry import NotRun, check, metric, partly_judged

UPPER_LEVELS = ("central", "provincial")
FINISHED_STATUSES = ("completed", "in_operation")

# Keywords that classify a free-text delay_reason; matched on NFKC + casefolded text,
# so the English ones are lower case.  A text naming several causes counts under each.
DELAY_REASON_KEYWORDS: dict[str, tuple[str, ...]] = {
    "land": ("用地", "征地", "拆迁", "土地", "land", "acquisition", "demolition"),
    "preliminary": ("前期", "选址", "规划", "设计", "审批", "可研",
                    "preliminary", "site", "planning", "design", "approval", "feasibility"),
    "funding": ("资金", "配套", "自筹", "融资", "fund", "financ", "matching"),
    "environment": ("环评", "环保", "生态", "environment", "eia", "ecolog"),
}
DELAY_REASONS = (*DELAY_REASON_KEYWORDS, "other")

EXE_TABLE_COLUMNS = ["projects", "started", "start_rate", "annual_plan", "completed_ytd",
                     "annual_completion", "total_investment", "completed_total",
                     "cumulative_completion", "allocated", "paid", "payment_rate", "idle_funds"]


def _upper_funds(ctx: Context) -> pd.DataFrame:
    """Per project_id: earliest central/provincial allocation date and the central and provincial sums."""
    def build():
        if not ctx.has("funds", "project_id", "level", "date", "amount"):
            return pd.DataFrame({"earliest": pd.Series(dtype="datetime64[ns]"),
                                 "central": pd.Series(dtype="float64"),
                                 "provincial": pd.Series(dtype="float64")},
                                index=pd.Index([], dtype="str", name="project_id"))
        f = ctx["funds"]
        f = f[f["level"].isin(UPPER_LEVELS)]
        earliest = f.groupby("project_id", sort=False)["date"].min()
        by_level = f.pivot_table(index="project_id", columns="level", values="amount",
                                 aggfunc="sum", fill_value=0.0)
        out = pd.DataFrame({"earliest": earliest})
        for level in UPPER_LEVELS:
            out[level] = by_level[level] if level in by_level else 0.0
        return out.fillna({"central": 0.0, "provincial": 0.0})
    return ctx.cache("exe.upper_funds", build)


# EXE01's wording has four parts chosen per finding, so one variant per combination ("plan+year+open+money"):
# where the year comes from, which deadline applies (31 December of Y, or start_window_months after the
# earliest allocation), whether the project started late, whether allocations are on record at all
EXE01_SOURCE = {"plan": ("据资金下达年度", "per fund_year"),
                "allocation": ("据最早中央/省级资金下达日期{earliest:day}",
                               "per earliest central/provincial allocation {earliest:day}")}
EXE01_RULE = {"year": ("应于{deadline:day}前开工", "due to start by {deadline:day}"),
              "window": ("应于最早中央/省级资金下达日期{earliest:day}后{months:int}个月内即{deadline:day}前开工",
                         "due to start within {months:int} months of the earliest central/provincial allocation "
                         "{earliest:day}, by {deadline:day}")}
EXE01_START = {"open": ("截至{as_of:day}仍未开工", "not started by {as_of:day}"),
               "started": ("实际开工{start:day}", "actually started {start:day}")}
EXE01_MONEY = {"money": ("{money:wan}", "{money:wan}"), "unrecorded": ("无下达记录", "not recorded")}
EXE01_DETAIL = {
    f"{source}+{rule}+{start}+{money}": {
        "zh": f"{{year}}年下达资金（{s_zh}），{r_zh}，{t_zh}；截至审计基准日已下达中央和省级资金{m_zh}",
        "en": f"Funds issued in {{year}} ({s_en}); {r_en}, {t_en}; central and provincial money allocated "
              f"by as_of {m_en}"}
    for (source, (s_zh, s_en)), (rule, (r_zh, r_en)), (start, (t_zh, t_en)), (money, (m_zh, m_en))
    in itertools.product(EXE01_SOURCE.items(), EXE01_RULE.items(), EXE01_START.items(), EXE01_MONEY.items())}


@check("EXE01", "funded-not-started", area="execution", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "category", "actual_start")},
       optional=(("projects", "fund_year"), ("funds", "project_id"), ("funds", "level"),
                 ("funds", "date"), ("funds", "amount")),
       params=("start_window_months",),
       basis="当年下达的投资项目当年开工 (中央预算内投资计划管理)",
       condition={
           "zh": "项目类别为中央预算内投资或省级投资的项目，确定其资金下达年度：项目台账填有资金下达年度的取该年度，"
                 "未填的取该项目截至审计基准日最早一笔中央或省级资金的下达日期所在年度（两者均无的不予判定）。"
                 "开工期限：未设开工时限（参数 start_window_months，默认不设）的，为资金下达年度的12月31日；"
                 "设为N个月的，为该项目截至审计基准日最早一笔中央或省级资金的下达日期后推N个月（按日历月推算，月末日对齐至较短月份的月末；"
                 "无中央或省级资金下达记录的，仍为资金下达年度的12月31日）。开工期限早于审计基准日，"
                 "且项目在开工期限当日或之前没有实际开工（截至审计基准日无实际开工日期，或实际开工日期晚于开工期限；"
                 "晚于审计基准日的开工视为未开工）的，列为问题。实际开工日期或资金下达年度在台账中填写但无法识别、否则将列为问题的项目，不予判定，"
                 "计入部分未判定数。项目台账无资金下达年度列且无资金下达表时，本检查不运行。",
           "en": "A project of category central_budget or provincial, funded in year Y — its fund_year when "
                 "filled, else the year of its earliest central or provincial allocation dated on or before "
                 "as_of (with neither it is not judged). Its deadline is 31 December of Y when "
                 "start_window_months is null (the default); when it is N, the date of that earliest central or "
                 "provincial allocation plus N calendar months (a month-end day clips to the shorter month's "
                 "end), or 31 December of Y when no such allocation is on record. A finding when the deadline "
                 "is strictly before as_of and the project has no actual_start on or before the deadline (none "
                 "by as_of, or a later one; a start after as_of counts as none). A would-be finding whose "
                 "actual_start or fund_year was filled in but could not be read is not judged (counted as partly "
                 "judged). "
                 "Not run when projects has no fund_year column and there is no funds table."},
       amount={"zh": "截至审计基准日已下达该项目的中央和省级资金合计（无资金下达表时不计金额）",
               "en": "the project's central and provincial allocations dated on or before as_of (empty without "
                     "a funds table)"},
       title={"zh": "资金下达当年未开工", "en": "Funded but not started in the year"},
       detail=EXE01_DETAIL)
def funded_not_started(ctx: Context) -> pd.DataFrame:
    """A year's central/provincial money should see its project started that year.

    Y is fund_year when filled, else the year of the project's earliest central or
    provincial allocation (on or before as_of).  With neither source the year cannot be
    known at all, so the check is not run.

    start_window_months N (checks.md revision 2) replaces the calendar-year deadline by
    the earliest central/provincial allocation + N months — the date the money actually
    arrived, which may lie in another year than fund_year; when no such allocation is on
    record the deadline stays 31 December of Y.

    Unknown values: a finding here rests on actual_start being absent (or later than the
    deadline) and, without fund_year, on the allocation year used in its place.  So a
    would-be finding whose actual_start or fund_year the loader could not read is left out
    and counted (partly judged).  Only would-be findings are counted: an unreadable value
    that could not have led to a finding leaves nothing unjudged.
    """
    has_funds = ctx.has("funds", "project_id", "level", "date", "amount")
    if "fund_year" not in ctx["projects"].columns and not has_funds:
        raise NotRun("needs projects.fund_year or a funds table (project_id, level, date, amount)")
    window = ctx.params["start_window_months"]
    p = ctx["projects"]
    p = p[p["category"].isin(FUNDED_CATEGORIES)]
    upper = _upper_funds(ctx)
    at = positions(p["project_id"], upper.index)
    upper = pd.DataFrame({c: take(upper[c], at, index=p.index) for c in upper.columns}, index=p.index)
    fund_year = optional_column(p, "fund_year", "float64").astype("float64")
    year = fund_year.where(fund_year.notna(), upper["earliest"].dt.year.astype("float64"))
    doubtful = unreadable(ctx, "projects", "fund_year", p) | unreadable(ctx, "projects", "actual_start", p)
    known = year.notna()
    p, year, upper, doubtful = p[known], year[known], upper[known], doubtful[known]
    from_plan = fund_year[known].notna()
    # an implausible fund_year (out of the datetime range) gives no deadline rather than an error
    dec31 = pd.to_datetime(pd.DataFrame({"year": year.astype("int64"), "month": 12, "day": 31}), errors="coerce")
    by_window = pd.Series(False, index=p.index)
    deadline = dec31
    if window is not None:
        by_window = upper["earliest"].notna()
        deadline = (upper["earliest"] + pd.DateOffset(months=int(window))).where(by_window, dec31)
    start = p["actual_start"]
    hit = (deadline < ctx.as_of) & (start.isna() | (start > deadline))
    unjudged = counties_where(ctx, hit & doubtful)
    hit &= ~doubtful
    p, year, upper, from_plan, deadline, start, by_window = (
        x[hit] for x in (p, year, upper, from_plan, deadline, start, by_window))
    variant = (pd.Series(np.where(from_plan, "plan", "allocation"), index=p.index, dtype="str")
               + np.where(by_window, "+window", "+year") + np.where(start.notna(), "+started", "+open")
               + ("+money" if has_funds else "+unrecorded"))
    money = (upper["central"].fillna(0.0) + upper["provincial"].fillna(0.0)) if has_funds else np.nan
    rows = pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"], "variant": variant,
                         "amount": money, "year": year.astype("int64"), "earliest": upper["earliest"],
                         "months": window, "deadline": deadline, "as_of": ctx.as_of, "start": start,
                         "money": money})
    return partly_judged(rows, entities=unjudged)


@check("EXE02", "idle-funds", area="execution", severity="high", entity_type="project",
       inputs={"funds": ("project_id", "date", "amount"), "payments": ("project_id", "amount")},
       params=("idle_months", "idle_min_share"),
       basis="资金沉淀 (盘活财政存量资金, 国办发〔2014〕70号)",
       condition={
           "zh": "对每个项目，以审计基准日前推若干个月（参数 idle_months，默认 12，按日历月推算，月末日对齐至较短月份的月末）为截止日，"
                 "汇总下达日期在截止日当日或之前的各级资金（不分资金级次，下达日期未填的不计）；该合计大于0时，减去该项目截至审计基准日的全部付款（含无合同的付款，付款不与资金逐笔对应）得到未支出额，"
                 "未支出额占上述资金合计的比例大于（>）未支出比例下限（参数 idle_min_share，默认 0.3）的，列为资金沉淀。",
           "en": "For each project, allocations at every level dated on or before the cutoff — as_of minus "
                 "idle_months calendar months (default 12; a month-end day clips to the shorter month's end; "
                 "undated allocations are not counted) — sum to more than 0, and that sum less all payments to "
                 "the project dated on or before as_of (with or without a contract; payments are not matched "
                 "to allocations) leaves an unspent share strictly greater than idle_min_share (default 0.3) "
                 "of it."},
       amount={"zh": "沉淀资金：截止日及以前下达的各级资金，减去截至审计基准日该项目全部付款后的未支出额",
               "en": "idle funds: allocations at every level dated on or before the cutoff, less all payments "
                     "to the project up to as_of"},
       title={"zh": "资金沉淀", "en": "Idle funds"},
       detail={"zh": "{cutoff:day}及以前下达资金{aged:wan}，截至{as_of:day}累计支付{paid:wan}，未支出{unspent:wan}"
                     "（占{share:pct}，超过{min_share:pct}）",
               "en": "Allocated on or before {cutoff:day}: {aged:wan}; paid by {as_of:day}: {paid:wan}; "
                     "unspent {unspent:wan} ({share:pct}, above {min_share:pct})"})
def idle_funds(ctx: Context) -> pd.DataFrame:
    """Money allocated at least idle_months ago that the project has still not spent.

    Payments are not matched to allocations: every payment to the project up to as_of
    counts against the aged allocations, which gives the project the benefit of the
    doubt.  Without a payments table spending is unknown, so the check is not run.
    """
    f = ctx["funds"]
    cutoff = ctx.as_of - pd.DateOffset(months=int(ctx.params["idle_months"]))
    aged = f[f["date"] <= cutoff].groupby("project_id", sort=False)["amount"].sum()
    aged = aged[aged > 0]
    paid = lookup(aged.index, payments_by_project(ctx)).fillna(0.0)
    unspent = aged - paid
    share = unspent / aged
    min_share = float(ctx.params["idle_min_share"])
    hit = above(share, min_share)
    aged, paid, unspent, share = aged[hit], paid[hit], unspent[hit], share[hit]
    ids = pd.Series(aged.index, index=aged.index, dtype="str")
    return pd.DataFrame({"entity_id": ids, "project_id": ids, "amount": unspent,
                         "cutoff": cutoff, "aged": aged, "as_of": ctx.as_of, "paid": paid, "unspent": unspent,
                         "share": share, "min_share": min_share}).reset_index(drop=True)


def year_elapsed_share(as_of: pd.Timestamp) -> float:
    """day-of-year(as_of) / days in that year (1 Jan -> 1/365, 31 Dec -> 1)."""
    return as_of.day_of_year / (366 if as_of.is_leap_year else 365)


@check("EXE03", "behind-schedule", area="execution", severity="medium", entity_type="project",
       inputs={"projects": ("project_id", "status", "annual_plan", "completed_ytd")},
       params=("behind_factor",),
       basis="欠进度 (年度投资计划)",
       condition={
           "zh": "项目状态为在建且年度计划投资大于0的项目，其本年完成投资（未填的按0计）除以年度计划投资之比，小于（<）时序进度系数（参数 behind_factor，默认 0.75）乘以时序进度的，"
                 "列为年度投资完成滞后；时序进度＝审计基准日在当年的日序数÷当年天数（平年365天，闰年366天）。"
                 "本年完成投资在台账中填写但无法识别的，不按0计：否则将列为问题的项目不予判定，计入部分未判定数。",
           "en": "A project with status under_construction and annual_plan > 0 whose completed_ytd (blank read "
                 "as 0) divided by annual_plan is strictly below behind_factor (default 0.75) × the time "
                 "share, where time share = the day of the year of as_of ÷ the number of days in that year "
                 "(365, or 366 in a leap year). A completed_ytd that was filled in but could not be read is not "
                 "read as 0: a would-be finding resting on it is not judged (counted as partly judged)."},
       amount={"zh": "按时序进度应完成而未完成的投资：年度计划投资×时序进度－本年完成投资",
               "en": "investment behind schedule: annual_plan × time share − completed_ytd"},
       title={"zh": "年度投资完成滞后", "en": "Behind the annual investment plan"},
       detail={"zh": "年度计划投资{plan:wan}，本年完成{ytd:wan}（{ratio:pct}），低于时序进度{share:pct}×{factor:g}"
                     "={line:pct}；按时序应完成{expected:wan}",
               "en": "Annual plan {plan:wan}, completed this year {ytd:wan} ({ratio:pct}), below time share "
                     "{share:pct} x {factor:g} = {line:pct}; expected by now {expected:wan}"})
def behind_schedule(ctx: Context) -> pd.DataFrame:
    """A blank completed_ytd on a project under construction is read as nothing completed.

    That reading is a stand-in for the value, so a completed_ytd the loader could not read
    (emptied) must not become "nothing completed": such a would-be finding is left out and
    counted (partly judged).
    """
    p = ctx["projects"]
    plan = p["annual_plan"]
    p = p[(p["status"] == "under_construction") & (plan > 0)]
    plan = p["annual_plan"]
    ytd = p["completed_ytd"].fillna(0.0)
    share = year_elapsed_share(ctx.as_of)
    factor = float(ctx.params["behind_factor"])
    ratio = ytd / plan
    hit = below(ratio, factor * share)
    doubtful = hit & p["completed_ytd"].isna() & unreadable(ctx, "projects", "completed_ytd", p)
    hit &= ~doubtful
    p, plan, ytd, ratio = p[hit], plan[hit], ytd[hit], ratio[hit]
    expected = plan * share
    rows = pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"],
                         "amount": expected - ytd, "plan": plan, "ytd": ytd, "ratio": ratio, "share": share,
                         "factor": factor, "line": factor * share, "expected": expected})
    return partly_judged(rows, entities=counties_where(ctx, doubtful))


@check("EXE04", "completion-overdue", area="execution", severity="medium", entity_type="project",
       inputs={"projects": ("project_id", "planned_completion")},
       optional=(("projects", "actual_completion"), ("projects", "status")),
       basis="计划竣工",
       condition={
           "zh": "计划竣工日期早于审计基准日，截至审计基准日无实际竣工日期（晚于审计基准日的实际竣工日期视为未竣工），且项目状态既不是竣工也不是投产的项目（不区分项目类别）。"
                 "实际竣工日期在台账中填写但无法识别、否则将列为问题的项目，不予判定，计入部分未判定数。"
                 "项目台账既无实际竣工日期列也无项目状态列时不运行（无从得知是否竣工）。",
           "en": "planned_completion strictly before as_of, no actual_completion on or before as_of (a later "
                 "actual_completion counts as none), and status neither completed nor in_operation (any "
                 "category). A would-be finding whose actual_completion was filled in but could not "
                 "be read is not judged (counted as partly judged). Not run when projects has neither an "
                 "actual_completion nor a status column (nothing says whether a project was completed)."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "逾期未竣工", "en": "Completion overdue"},
       detail={"status": {"zh": "计划竣工日期{planned:day}，截至{as_of:day}仍未竣工（项目状态：{status:status}）",
                          "en": "Planned completion {planned:day}; not completed by {as_of:day} (status: {status:status})"},
               "blank": {"zh": "计划竣工日期{planned:day}，截至{as_of:day}仍未竣工（项目状态：未填）",
                         "en": "Planned completion {planned:day}; not completed by {as_of:day} (status: blank)"}})
def completion_overdue(ctx: Context) -> pd.DataFrame:
    """A finding rests on actual_completion being absent: where the loader could not read it,
    the project is not judged (counted as partly judged)."""
    p = ctx["projects"]
    if "actual_completion" not in p.columns and "status" not in p.columns:
        raise NotRun("projects: column(s) actual_completion and status missing")
    status = optional_column(p, "status", "str")
    done = optional_column(p, "actual_completion", "datetime64[ns]").notna() | status.isin(FINISHED_STATUSES)
    hit = (p["planned_completion"] < ctx.as_of) & ~done
    doubtful = hit & unreadable(ctx, "projects", "actual_completion", p)
    hit &= ~doubtful
    p, status = p[hit], status[hit]
    rows = pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"],
                         "variant": np.where(status.notna(), "status", "blank"),
                         "planned": p["planned_completion"], "as_of": ctx.as_of, "status": status})
    return partly_judged(rows, entities=counties_where(ctx, doubtful))


@check("EXE05", "start-overdue", area="execution", severity="medium", entity_type="project",
       inputs={"projects": ("project_id", "planned_start", "actual_start")},
       optional=(("projects", "category"),),
       basis="年内计划开工项目",
       condition={
           "zh": "非企业投资项目（未填项目类别的视为政府投资项目），计划开工日期早于审计基准日，且截至审计基准日无实际开工日期（晚于审计基准日的实际开工日期视为未开工）的；"
                 "与“资金下达当年未开工”（EXE01）同时适用的，两项均列出；项目状态为在建但无实际开工日期的，仍列出。"
                 "实际开工日期在台账中填写但无法识别、否则将列为问题的项目，不予判定，计入部分未判定数。",
           "en": "A project whose category is not enterprise (no category counts as government-invested), with "
                 "planned_start strictly before as_of and no actual_start on or before as_of (a later "
                 "actual_start counts as none); fires alongside EXE01 where both apply, and whatever the status "
                 "says (a start is proven by a date). A would-be finding whose actual_start was filled in but "
                 "could not be read is not judged (counted as partly judged)."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "逾期未开工", "en": "Start overdue"},
       detail={"zh": "计划开工日期{planned:day}，截至{as_of:day}未开工",
               "en": "Planned start {planned:day}; not started by {as_of:day}"})
def start_overdue(ctx: Context) -> pd.DataFrame:
    """A start is proven by a date: a status of under_construction without actual_start does not
    stop the finding (DQ02 shows the contradiction beside it).  An actual_start the loader could
    not read is not "no start": that project is not judged (counted as partly judged)."""
    p = ctx["projects"]
    government = government_invested(p)
    hit = government & (p["planned_start"] < ctx.as_of) & p["actual_start"].isna()
    doubtful = hit & unreadable(ctx, "projects", "actual_start", p)
    hit &= ~doubtful
    p = p[hit]
    rows = pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"],
                         "planned": p["planned_start"], "as_of": ctx.as_of})
    return partly_judged(rows, entities=counties_where(ctx, doubtful))


def _allocated(ctx: Context) -> pd.Series:
    """Allocations of every level dated on or before as_of, summed per project_id."""
    def build():
        if not ctx.has("funds", "project_id", "amount"):
            return pd.Series(dtype="float64", index=pd.Index([], dtype="str", name="project_id"))
        return ctx["funds"].groupby("project_id", sort=False)["amount"].sum()
    return ctx.cache("exe.allocated", build)


@check("EXE06", "false-start", area="execution", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "actual_start"), "contracts": ("project_id",),
               "payments": ("project_id",)},
       optional=(("projects", "category"), ("progress", "project_id"), ("progress", "month"),
                 ("progress", "investment"), ("progress", "physical_pct")),
       params=("false_start_days",),
       basis="实质性开工 (虚报开工; 中央预算内投资项目监督管理)",
       condition={
           "zh": "非企业投资项目（未填项目类别的视为政府投资项目），实际开工日期早于审计基准日的天数不少于（≥）开工核实天数"
                 "（参数 false_start_days，默认 90天），而截至审计基准日（含开工前）该项目既无签订的合同，也无付款记录，"
                 "且（有月度进度表时）无完成投资大于0或形象进度大于0的月度进度的，列为虚报开工。"
                 "否则将列为问题、但有月度进度的完成投资或形象进度在表中填写而无法识别的项目，不予判定，计入部分未判定数。需要合同表和付款表。",
           "en": "A project whose category is not enterprise (no category counts as government-invested), with "
                 "an actual_start at least false_start_days (default 90) days before as_of, that has — at any "
                 "date on or before as_of, before the start included — no contract signed, no payment and, when "
                 "the progress table is present, no progress row with investment > 0 or physical_pct > 0. A "
                 "would-be finding one of whose progress rows holds an investment or physical_pct that could not "
                 "be read is not judged (counted as partly judged). Needs the contracts and payments tables."},
       amount={"zh": "不计金额", "en": "no amount"},
       title={"zh": "虚报开工", "en": "False start"},
       detail={"progress": {"zh": "实际开工{start:day}，至{as_of:day}已{elapsed:int}天（不少于{min_days:int}天），"
                                  "截至审计基准日无合同签订、无付款记录，月度进度无完成投资和形象进度",
                            "en": "Started {start:day}, {elapsed:int} days before {as_of:day} (at least "
                                  "{min_days:int}); by then no contract signed, no payment, no progress reported"},
               "no_progress": {"zh": "实际开工{start:day}，至{as_of:day}已{elapsed:int}天（不少于{min_days:int}天），"
                                     "截至审计基准日无合同签订、无付款记录（无月度进度表）",
                               "en": "Started {start:day}, {elapsed:int} days before {as_of:day} (at least "
                                     "{min_days:int}); by then no contract signed and no payment (no progress "
                                     "table)"}})
def false_start(ctx: Context) -> pd.DataFrame:
    """A start that left no trace: no contract, no payment, no reported progress (实质性开工).

    The evidence is looked for at any date up to as_of, before the start included (a works
    contract is usually signed before the start).  A contract or payment row counts whatever
    its amount; a progress row counts when its investment or physical_pct is above 0.  The
    finding rests on that evidence being absent, so a project one of whose progress rows (up
    to as_of) holds an investment or physical_pct the loader could not read is not judged.
    The contracts and payments tables are required: without them absence proves nothing.
    A progress table lacking both measures shows no progress, as its rows say nothing of it.
    """
    p = ctx["projects"]
    p = p[government_invested(p)]
    days_min = int(ctx.params["false_start_days"])
    elapsed = (ctx.as_of - p["actual_start"]).dt.days
    pid = p["project_id"]
    # projects with a contract, or with a payment (the payments' distinct project ids, coded once per run)
    evidence = isin(pid, ctx["contracts"]["project_id"]) | isin(pid, payment_projects(ctx).values)
    has_progress = ctx.has("progress", "project_id", "month")
    doubtful = pd.Series(False, index=p.index)
    if has_progress:
        g = ctx["progress"]
        active = ((optional_column(g, "investment", "float64") > 0)
                  | (optional_column(g, "physical_pct", "float64") > 0))
        evidence |= isin(pid, g.loc[active, "project_id"])
        unknown = unreadable(ctx, "progress", "investment") | unreadable(ctx, "progress", "physical_pct")
        doubtful = isin(pid, g.loc[unknown, "project_id"])
    hit = (elapsed >= days_min) & ~evidence
    unjudged = counties_where(ctx, hit & doubtful)
    p, elapsed = p[hit & ~doubtful], elapsed[hit & ~doubtful]
    rows = pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"],
                         "variant": "progress" if has_progress else "no_progress",
                         "start": p["actual_start"], "as_of": ctx.as_of, "elapsed": elapsed.astype("int64"),
                         "min_days": days_min})
    return partly_judged(rows, entities=unjudged)


@check("EXE07", "overstated-completion", area="execution", severity="medium", entity_type="project",
       inputs={"projects": ("project_id", "completed_total"),
               "contracts": ("contract_id", "project_id", "amount")},
       optional=(("contract_changes", "contract_id"), ("contract_changes", "amount_delta"),
                 ("payments", "project_id"), ("payments", "contract_id"), ("payments", "amount")),
       params=("overstate_margin",),
       basis="虚报完成投资 (统计法 第七条; 固定资产投资统计报表制度)",
       condition={
           "zh": "截至审计基准日至少签订一份合同的项目，其累计完成投资大于（>）（1＋完成投资虚报容差（参数 overstate_margin，默认 0.1））"
                 "乘以已有支撑额的，列为虚报完成投资；已有支撑额＝截至审计基准日签订的该项目各合同的现值（合同金额加截至审计基准日的变更金额）"
                 "之和，加上截至审计基准日该项目未填合同编号的付款（无付款表时不计）。",
           "en": "A project with at least one contract signed on or before as_of whose completed_total is "
                 "strictly above (1 + overstate_margin (default 0.1)) × S, where S = the current values (amount "
                 "+ changes dated on or before as_of) of its contracts signed on or before as_of + its payments "
                 "dated on or before as_of with no contract_id (none without a payments table)."},
       amount={"zh": "累计完成投资超出已有支撑额（合同现值与未填合同编号的付款之和）的部分",
               "en": "completed_total − S (contracts' current values + payments with no contract_id)"},
       title={"zh": "虚报完成投资", "en": "Overstated completed investment"},
       detail={"zh": "累计完成投资{completed:wan}，为已有支撑额{supported:wan}（{contracts:int}份合同现值{contracted:wan}，"
                     "未对应合同的付款{loose:wan}）的{ratio:pct-}，超过{limit:pct0}",
               "en": "Completed investment {completed:wan} is {ratio:pct-} of {supported:wan} ({contracts:int} "
                     "contracts' current value {contracted:wan}, payments on no contract {loose:wan}), above "
                     "{limit:pct0}"})
def overstated_completion(ctx: Context) -> pd.DataFrame:
    """Completed investment that neither contracts nor payments account for (虚报完成投资).

    S counts the payments "with no contract_id" (checks.md).  A payment naming a contract is
    accounted for by that contract: one signed after as_of, of another project or missing from
    the contracts table does not support this project's completed investment (COS07 and the
    loader's warnings show such payments themselves).
    Without a payments table S is the contracts' current values alone.  completed_total must
    be present (an unreadable one only means no finding); S rests on required columns.
    """
    values = contract_values(ctx)
    contracted = values.groupby("project_id", sort=False)["current"].sum()
    count = values.groupby("project_id", sort=False).size()
    loose = pd.Series(dtype="float64")
    if ctx.has("payments", "project_id", "amount"):
        on_no_contract = ~present(optional_column(ctx["payments"], "contract_id")).to_numpy(dtype=bool)
        loose = payment_projects(ctx).sums(ctx["payments"]["amount"].to_numpy(), "project_id", where=on_no_contract)
    p = ctx["projects"]
    p = p[isin(p["project_id"], pd.Series(contracted.index, dtype="str")) & p["completed_total"].notna()]
    pid = p["project_id"]
    c_sum = lookup(pid, contracted).astype("float64")
    l_sum = lookup(pid, loose).astype("float64").fillna(0.0) if len(loose) else pd.Series(0.0, index=p.index)
    supported = c_sum + l_sum
    margin = float(ctx.params["overstate_margin"])
    completed = p["completed_total"].astype("float64")
    hit = above(completed, (1 + margin) * supported, money=True)
    p, completed, supported, c_sum, l_sum = (x[hit] for x in (p, completed, supported, c_sum, l_sum))
    return pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"],
                         "amount": completed - supported, "completed": completed, "supported": supported,
                         "contracts": lookup(p["project_id"], count).astype("int64"), "contracted": c_sum,
                         "loose": l_sum, "ratio": (completed / supported).where(supported > 0),
                         "limit": 1 + margin})


@check("EXE08", "allocated-over-budget", area="execution", severity="high", entity_type="project",
       inputs={"projects": ("project_id",), "funds": ("project_id", "date", "amount")},
       optional=(("projects", "budget"), ("projects", "adjusted_budget")),
       basis="超概算安排资金 (政府投资条例 第二十三条)",
       condition={
           "zh": "截至审计基准日下达某项目的各级资金合计（不分资金级次）超过其调整概算（无调整概算的为批复概算）的，列为超概算安排资金；"
                 "既无调整概算也无批复概算的项目不在范围内。调整概算在台账中填写但无法识别、按批复概算判定将列为问题的项目不予判定，"
                 "计入部分未判定数。项目台账既无批复概算列也无调整概算列的，本检查不运行。",
           "en": "Allocations to a project at every level dated on or before as_of sum to strictly more than its "
                 "adjusted_budget when present, else its budget; projects with neither are out of scope. A "
                 "project whose adjusted_budget was filled in but could not be read, and whose allocations "
                 "exceed its budget, is not judged (counted as partly judged). Not run when projects has "
                 "neither a budget nor an adjusted_budget column."},
       amount={"zh": "超出调整概算（无则批复概算）的资金", "en": "allocations above adjusted_budget (else budget)"},
       title={"zh": "超概算安排资金", "en": "Allocated over budget"},
       detail={"adjusted": {"zh": "截至{as_of:day}下达各级资金{allocated:wan}，超过调整概算{line:wan}，超出{excess:wan}",
                            "en": "Allocated by {as_of:day}: {allocated:wan}, above the adjusted budget "
                                  "{line:wan} by {excess:wan}"},
               "budget": {"zh": "截至{as_of:day}下达各级资金{allocated:wan}，超过批复概算{line:wan}，超出{excess:wan}",
                          "en": "Allocated by {as_of:day}: {allocated:wan}, above the approved budget "
                                "{line:wan} by {excess:wan}"}})
def allocated_over_budget(ctx: Context) -> pd.DataFrame:
    """More money arranged than the approved (or lawfully adjusted) budget allows.

    The line is adjusted_budget, else budget; the fallback to budget stands in for an
    adjusted_budget that is absent, so where the loader could not read adjusted_budget a
    would-be finding against budget is left out and counted (partly judged).
    """
    p = ctx["projects"]
    if "budget" not in p.columns and "adjusted_budget" not in p.columns:
        raise NotRun("projects: neither budget nor adjusted_budget present")
    adjusted = optional_column(p, "adjusted_budget", "float64")
    line = adjusted.where(adjusted.notna(), optional_column(p, "budget", "float64"))
    allocated = lookup(p["project_id"], _allocated(ctx)).astype("float64")
    hit = line.notna() & above(allocated, line, money=True)
    doubtful = hit & adjusted.isna() & unreadable(ctx, "projects", "adjusted_budget", p)
    hit &= ~doubtful
    p, line, allocated, by_adjusted = p[hit], line[hit], allocated[hit], adjusted[hit].notna()
    rows = pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"],
                         "variant": np.where(by_adjusted, "adjusted", "budget"), "amount": allocated - line,
                         "as_of": ctx.as_of, "allocated": allocated, "line": line, "excess": allocated - line})
    return partly_judged(rows, entities=counties_where(ctx, doubtful))


# --- county tables (metrics) -------------------------------------------------------

def _rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, empty where the denominator is 0 or unknown."""
    return numerator / denominator.where(denominator != 0)


def _project_measures(ctx: Context, findings: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """One row per project with the summable measures, and the names of the unknown ones."""
    p = ctx["projects"]
    out = pd.DataFrame({"project_id": p["project_id"], "county": p["county"],
                        "fund_year": optional_column(p, "fund_year", "Int64")})
    unknown = {c for c in ("actual_start", "annual_plan", "completed_ytd", "total_investment",
                           "completed_total") if c not in p.columns}
    out["started"] = optional_column(p, "actual_start", "datetime64[ns]").notna().astype("float64")
    # 开工率 = started / projects (checks.md): a start the loader could not read is not counted as a
    # start (it is no finding either: DQ01 reports the cell, EXE01/EXE05 leave the project unjudged)
    if "actual_start" in unknown:
        unknown.add("started")
    for col in ("annual_plan", "completed_ytd", "total_investment", "completed_total"):
        out[col] = optional_column(p, col, "float64").astype("float64")
    # a completion rate pairs each project's completion with its own plan: a project one of whose two
    # cells the loader could not read is left out of both sides (its unreadable completion is no 0 that
    # lowers the county's rate; DQ01 reports the cell), while the sums shown keep every readable value
    for rate, (done, planned) in {"ytd": ("completed_ytd", "annual_plan"),
                                  "total": ("completed_total", "total_investment")}.items():
        paired = ~(unreadable(ctx, "projects", done) | unreadable(ctx, "projects", planned)).to_numpy(dtype=bool)
        out[f"rate_{rate}_done"] = out[done].where(paired)
        out[f"rate_{rate}_planned"] = out[planned].where(paired)
        if {done, planned} & unknown:
            unknown.update({f"rate_{rate}_done", f"rate_{rate}_planned"})
    has_funds = ctx.has("funds", "project_id", "date", "amount")
    has_payments = ctx.has("payments", "project_id", "amount")
    if has_funds:
        allocated = _allocated(ctx)
        out["allocated"] = lookup(out["project_id"], allocated).fillna(0.0)
        funded = isin(out["project_id"], allocated.index)
    else:
        unknown.add("allocated")
        out["allocated"] = np.nan
        funded = pd.Series(False, index=out.index)
    if has_funds and has_payments:
        paid = lookup(out["project_id"], payments_by_project(ctx)).fillna(0.0)
        out["paid"] = paid.where(funded, 0.0)
        exe02 = findings[findings["check_id"] == "EXE02"]
        idle = exe02.groupby("project_id", sort=False)["amount"].sum()
        out["idle_funds"] = lookup(out["project_id"], idle).fillna(0.0)
    else:
        unknown.update({"paid", "idle_funds"})
        out["paid"] = out["idle_funds"] = np.nan
    return out, unknown


def _exe_table(ctx: Context, findings: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    # both county tables sum the same per-project measures of the same run's findings; the cached
    # entry holds on to those findings, so their id cannot be reused by another frame meanwhile
    _, frame, unknown = ctx.cache(f"exe.project_measures.{id(findings)}",
                                  lambda: (findings, *_project_measures(ctx, findings)))
    summed = ["started", "annual_plan", "completed_ytd", "total_investment", "completed_total",
              "allocated", "paid", "idle_funds", "rate_ytd_done", "rate_ytd_planned", "rate_total_done",
              "rate_total_planned"]
    # as numbers even when there are no projects (a look-up over no rows keeps the keys' text dtype)
    frame = frame.dropna(subset=keys).astype({c: "float64" for c in summed})
    grouped = frame.groupby(keys, sort=True)
    t = group_sums(frame, keys, summed)  # exact: the same whether a county is summed alone or among all
    t["projects"] = grouped.size().astype("int64")
    for col in unknown & set(summed):
        t[col] = np.nan
    t["started"] = t["started"].round().astype("Int64")
    t["start_rate"] = _rate(t["started"].astype("float64"), t["projects"].astype("float64"))
    t["annual_completion"] = _rate(t["rate_ytd_done"], t["rate_ytd_planned"])
    t["cumulative_completion"] = _rate(t["rate_total_done"], t["rate_total_planned"])
    t["payment_rate"] = _rate(t["paid"], t["allocated"])
    return t.reset_index()[keys + EXE_TABLE_COLUMNS]


@metric("exe_by_county", inputs={"projects": ("project_id", "county")})
def exe_by_county(ctx: Context, findings: pd.DataFrame) -> pd.DataFrame:
    """The speech's county table over every project of the county (all categories).

    started = actual_start <= as_of (start_rate = started / projects); allocated = funds dated <= as_of;
    paid = payments <= as_of to projects that have an allocation; idle_funds = EXE02's amounts;
    annual_completion = Σcompleted_ytd / Σannual_plan and cumulative_completion = Σcompleted_total /
    Σtotal_investment over the projects both of whose cells were read (one the loader could not read
    leaves its project out of the rate, not read as 0; the sums shown keep every readable value).  A
    measure whose column or table is absent is empty rather than 0, and so is a rate whose denominator is 0.
    """
    return _exe_table(ctx, findings, ["county"])


# without the column the tables are written with their header only: no project has a fund_year (or a
# delay_reason), and the output folder holds the same files whatever the ledger's columns (interfaces.md)
@metric("exe_by_fund_year", inputs={"projects": ("project_id", "county")})
def exe_by_fund_year(ctx: Context, findings: pd.DataFrame) -> pd.DataFrame:
    """As exe_by_county, by county and fund_year, over the projects that have a fund_year."""
    table = _exe_table(ctx, findings, ["county", "fund_year"])
    table["fund_year"] = table["fund_year"].astype("Int64")
    return table


def classify_delay_reasons(text: pd.Series) -> pd.DataFrame:
    """Boolean column per reason of DELAY_REASONS; ``other`` when no keyword matches."""
    codes, uniques = pd.factorize(text)  # each distinct text matched once
    folded = pd.Series([unicodedata.normalize("NFKC", str(u)).casefold() for u in uniques], dtype="str")
    flags = pd.DataFrame(index=text.index)
    for reason, words in DELAY_REASON_KEYWORDS.items():
        pattern = "|".join(re.escape(w) for w in words)
        matched = folded.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)
        flags[reason] = np.append(matched, False)[codes]  # a missing text (code -1) matches nothing
    flags["other"] = ~flags.any(axis=1)
    return flags


@metric("delay_reasons", inputs={"projects": ("project_id", "county")})
def delay_reasons(ctx: Context, findings: pd.DataFrame) -> pd.DataFrame:
    """county, reason, projects over projects with a non-empty delay_reason (zero rows left out); a reason
    written as 无, 暂无, -, 不详 … says there is none, and is not an "other" cause."""
    p = ctx["projects"]
    reason = optional_column(p, "delay_reason")
    p = p.assign(delay_reason=reason)[recorded(reason) & p["county"].notna()]
    flags = classify_delay_reasons(p["delay_reason"])
    counts = flags.groupby(p["county"], sort=True).sum()
    long = counts.reset_index().melt(id_vars="county", var_name="reason", value_name="projects")
    long = long[long["projects"] > 0].copy()
    long["order"] = long["reason"].map({r: i for i, r in enumerate(DELAY_REASONS)})
    long = long.sort_values(["county", "order"], kind="stable")
    long["projects"] = long["projects"].astype("int64")
    return long[["county", "reason", "projects"]].reset_index(drop=True)


@metric("unstarted_by_fund_year", inputs={"projects": ("project_id", "county", "actual_start")})
def unstarted_by_fund_year(ctx: Context, findings: pd.DataFrame) -> pd.DataFrame:
    """Projects with a fund_year and no actual_start by as_of, with their central and provincial money
    (an actual_start the loader could not read is not counted as no start)."""
    p = ctx["projects"]
    p = p.assign(fund_year=optional_column(p, "fund_year", "Int64"))
    p = p[p["fund_year"].notna() & p["actual_start"].isna() & p["county"].notna()
          & ~unreadable(ctx, "projects", "actual_start")]
    upper = _upper_funds(ctx)
    frame = pd.DataFrame({"county": p["county"], "fund_year": p["fund_year"].astype("Int64"),
                          "central": lookup(p["project_id"], upper["central"]).fillna(0.0),
                          "provincial": lookup(p["project_id"], upper["provincial"]).fillna(0.0)})
    grouped = frame.groupby(["county", "fund_year"], sort=True)
    t = group_sums(frame, ["county", "fund_year"], ["central", "provincial"])
    t["projects"] = grouped.size().astype("int64")
    if not ctx.has("funds", "project_id", "level", "date", "amount"):
        t["central"] = t["provincial"] = np.nan
    t = t.reset_index()
    t["fund_year"] = t["fund_year"].astype("Int64")
    return t[["county", "fund_year", "projects", "central", "provincial"]]
