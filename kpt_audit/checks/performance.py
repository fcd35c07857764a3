"""PER01–04: performance (绩效) — late completion, idle assets, missed output targets, no targets.

Unknown values (checks.md revision 2, DQ): a finding never rests on a value the loader could
not read.  PER01 needs both of its dates present, so an unreadable one only means no finding
(DQ01 reports the cell) and nothing is left unjudged; PER02 rests on operation_date being
absent and on actual_completion standing in for acceptance_date, so a would-be finding with
either of those unreadable is left out and counted (partly judged); PER03 and PER04 read
required columns only.
"""
from __future__ import annotations

import pandas as pd

from .context import Context
from .frames import FUNDED_CATEGORIES, above, below, counties_where, isin, lookup, order_unknown, unreadable
from .registry import NotRun, check, partly_judged

BASIS_PERF = "项目支出绩效评价管理办法 (财预〔2020〕10号)"


@check("PER01", "late-completion", area="performance", severity="low", entity_type="project",
       inputs={"projects": ("project_id", "planned_completion", "actual_completion")},
       params=("late_days",),
       basis=BASIS_PERF,
       condition={
           "zh": "实际竣工日期（不晚于审计基准日）晚于计划竣工日期的天数超过（>）竣工滞后天数（参数 late_days，默认 90天）的项目。"
                 "两个日期之一在台账中填写但无法识别（另一个已知或同样无法识别）的项目，不予判定，计入部分未判定数。",
           "en": "actual_completion (on or before as_of) minus planned_completion is strictly more than "
                 "late_days (default 90) days. A project one of whose two dates was filled in but could not be "
                 "read (the other known, or unreadable too) is not judged (counted as partly judged)."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "竣工严重滞后", "en": "Late completion"},
       detail={"zh": "计划竣工{planned:day}，实际竣工{actual:day}，滞后{late:int}天（超过{late_days}天）",
               "en": "Planned completion {planned:day}, actual {actual:day}: {late:int} days late "
                     "(more than {late_days})"})
def late_completion(ctx: Context) -> pd.DataFrame:
    """Both dates must be present; a project one of whose dates could not be read might be late (the
    finding would rest on the unreadable date being later than the other): not judged, counted."""
    p = ctx["projects"]
    late = (p["actual_completion"] - p["planned_completion"]).dt.days
    doubtful = order_unknown(ctx, "projects", "actual_completion", "planned_completion", p)
    hit = p[late > ctx.params["late_days"]]
    return partly_judged(pd.DataFrame({
        "entity_id": hit["project_id"],
        "project_id": hit["project_id"],
        "planned": hit["planned_completion"],
        "actual": hit["actual_completion"],
        "late": late[hit.index].astype("int64"),
        "late_days": ctx.params["late_days"],
    }), entities=counties_where(ctx, doubtful))


@check("PER02", "idle-asset", area="performance", severity="medium", entity_type="project",
       inputs={"projects": ("project_id",)},
       optional=(("projects", "acceptance_date"), ("projects", "actual_completion"),
                 ("projects", "operation_date"), ("projects", "status")),
       params=("idle_asset_days",),
       basis="财预〔2020〕10号 (效益指标); 资产闲置",
       condition={
           "zh": "以竣工验收日期（无则实际竣工日期；晚于审计基准日的日期视为无）为建成日期，建成日期距审计基准日的天数超过（>）闲置天数（参数 idle_asset_days，默认 180天），"
                 "且截至审计基准日无投产（交付使用）日期、项目状态不是投产的项目。竣工验收日期或投产日期在台账中填写但无法识别、否则将列为问题的项目，不予判定，"
                 "计入部分未判定数。项目台账既无投产日期列也无项目状态列的，本检查不运行。",
           "en": "Completed on acceptance_date, else actual_completion (a date after as_of counts as none), "
                 "strictly more than idle_asset_days (default 180) days before as_of, with no operation_date "
                 "on or before as_of and status not in_operation. A would-be finding whose "
                 "acceptance_date or operation_date was filled in but could not be read is not judged (counted "
                 "as partly judged). "
                 "Not run when projects has neither an operation_date nor a status column."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "建成闲置", "en": "Idle asset"},
       detail={  # completed on its acceptance date, or (none) on its actual completion
           "accepted": {"zh": "竣工验收{completed:day}，截至{as_of:day}已{idle:int}天（超过{idle_asset_days}天）仍未投入使用",
                        "en": "Accepted {completed:day}; still not in use by {as_of:day}, {idle:int} days later "
                              "(more than {idle_asset_days})"},
           "completed": {"zh": "实际竣工{completed:day}，截至{as_of:day}已{idle:int}天（超过{idle_asset_days}天）仍未投入使用",
                         "en": "Completed {completed:day}; still not in use by {as_of:day}, {idle:int} days later "
                               "(more than {idle_asset_days})"}})
def idle_asset(ctx: Context) -> pd.DataFrame:
    """An unreadable acceptance_date would have actual_completion stand in for it, and an
    unreadable operation_date would read as "not in use": such would-be findings are left out
    and counted (partly judged)."""
    p = ctx["projects"]
    if "acceptance_date" not in p and "actual_completion" not in p:
        raise NotRun("projects: neither acceptance_date nor actual_completion present")
    if "operation_date" not in p and "status" not in p:
        # without either there is no evidence of use at all, so every completed project would look idle
        raise NotRun("projects: neither operation_date nor status present")
    nat = pd.Series(pd.NaT, index=p.index, dtype="datetime64[ns]")
    accepted = p["acceptance_date"] if "acceptance_date" in p else nat
    finished = p["actual_completion"] if "actual_completion" in p else nat
    completed = accepted.where(accepted.notna(), finished)
    idle = (ctx.as_of - completed).dt.days
    in_use = p["operation_date"].notna() if "operation_date" in p else pd.Series(False, index=p.index)
    if "status" in p:
        in_use |= p["status"] == "in_operation"
    would = (idle > ctx.params["idle_asset_days"]) & ~in_use
    doubtful = would & ((accepted.isna() & unreadable(ctx, "projects", "acceptance_date", p))
                        | unreadable(ctx, "projects", "operation_date", p))
    hit = p[would & ~doubtful]
    by_acceptance = accepted[hit.index].notna()
    rows = pd.DataFrame({
        "entity_id": hit["project_id"],
        "project_id": hit["project_id"],
        "variant": by_acceptance.map({True: "accepted", False: "completed"}),
        "completed": completed[hit.index],
        "as_of": ctx.as_of,
        "idle": idle[hit.index].astype("int64"),
        "idle_asset_days": ctx.params["idle_asset_days"],
    })
    return partly_judged(rows, entities=counties_where(ctx, doubtful))


@check("PER03", "target-shortfall", area="performance", severity="medium", entity_type="target",
       inputs={"targets": ("project_id", "indicator", "target", "actual")},
       optional=(("targets", "direction"),),
       params=("target_floor",),
       basis="财预〔2020〕10号 (产出指标)",
       condition={
           "zh": "绩效目标中，方向为越高越好（方向未填或为其他值的均按此处理）的指标，实际值低于（<）目标值×目标达成下限（参数 target_floor，默认 0.8）的；方向为越低越好的指标，"
                 "实际值高于（>）目标值×（2－目标达成下限）的。",
           "en": "actual strictly below target × target_floor (default 0.8) for higher_better indicators (a "
                 "blank or unknown direction counts as higher_better), or strictly above target × (2 − "
                 "target_floor) for lower_better ones."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "绩效目标未达成", "en": "Performance target missed"},
       detail={  # the line missed: target × floor (higher is better) or target × (2 − floor) (lower is better)
           "below": {"zh": "指标“{indicator}”目标值{target:num}，实际值{actual:num}，"
                           "低于目标值×{floor:num}={line:num}",
                     "en": "Indicator '{indicator}': target {target:num}, actual {actual:num}; "
                           "below target × {floor:num} = {line:num}"},
           "above": {"zh": "指标“{indicator}”目标值{target:num}，实际值{actual:num}，"
                           "高于目标值×(2−{floor:num})={line:num}（越低越好）",
                     "en": "Indicator '{indicator}': target {target:num}, actual {actual:num}; "
                           "above target × (2 − {floor:num}) = {line:num} (lower is better)"}})
def target_shortfall(ctx: Context) -> pd.DataFrame:
    t = ctx["targets"].reset_index(drop=True)
    floor = float(ctx.params["target_floor"])
    # a missing or unknown direction is read as the default, higher_better
    lower_better = (t["direction"] == "lower_better") if "direction" in t else pd.Series(False, index=t.index)
    low_line = t["target"] * floor
    high_line = t["target"] * (2 - floor)
    missed = (~lower_better & below(t["actual"], low_line)) | (lower_better & above(t["actual"], high_line))
    hit = t[missed.fillna(False)]
    lb = lower_better[hit.index]
    line = high_line[hit.index].where(lb, low_line[hit.index])
    return pd.DataFrame({
        "entity_id": hit["project_id"] + "|" + hit["indicator"],
        "project_id": hit["project_id"],
        "variant": lb.map({True: "above", False: "below"}),
        "indicator": hit["indicator"],
        "target": hit["target"], "actual": hit["actual"], "floor": floor, "line": line,
    })


@check("PER04", "no-targets", area="performance", severity="low", entity_type="project",
       inputs={"projects": ("project_id", "category"), "funds": ("project_id", "date", "amount"),
               "targets": ("project_id",)},
       basis="预算法 第三十二条; 中共中央 国务院关于全面实施预算绩效管理的意见",
       condition={
           "zh": "项目类别为中央预算内投资或省级投资、截至审计基准日已下达资金（不分资金级次）的项目，在绩效目标表中没有任何绩效目标的，"
                 "列为未设定绩效目标。未提供绩效目标表的，本检查不运行。",
           "en": "A project of category central_budget or provincial with an allocation of any level dated on "
                 "or before as_of and no row in the targets table. Not run without the targets table."},
       amount={"zh": "不计金额", "en": "no amount"},
       title={"zh": "未设定绩效目标", "en": "No performance targets"},
       detail={"zh": "截至{as_of:day}已下达资金{allocated:wan}（最早{first:day}），绩效目标表中无该项目的绩效目标",
               "en": "Allocated {allocated:wan} by {as_of:day} (first on {first:day}); no performance target "
                     "in the targets table"})
def no_targets(ctx: Context) -> pd.DataFrame:
    """Central and provincial money must come with performance targets (绩效目标).

    The targets table is the only evidence of them, so the check is not run without it; an
    empty targets table is evidence that none were recorded.  Any allocation counts, of any
    level and any amount, once dated on or before as_of.
    """
    p = ctx["projects"]
    p = p[p["category"].isin(FUNDED_CATEGORIES)]
    f = ctx["funds"]
    by_project = f.groupby("project_id", sort=False).agg(allocated=("amount", "sum"), first=("date", "min"))
    pid = p["project_id"]
    funded = isin(pid, pd.Series(by_project.index, dtype="str"))
    targeted = isin(pid, ctx["targets"]["project_id"])
    p = p[funded & ~targeted]
    return pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"], "as_of": ctx.as_of,
                         "allocated": lookup(p["project_id"], by_project["allocated"]).astype("float64"),
                         "first": lookup(p["project_id"], by_project["first"])})
