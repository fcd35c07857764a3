"""PER01–03: performance (绩效) — late completion, idle assets, missed output targets."""
from __future__ import annotations

import pandas as pd

from .context import Context
from .registry import NotRun, check

BASIS_PERF = "项目支出绩效评价管理办法 (财预〔2020〕10号)"


@check("PER01", "late-completion", area="performance", severity="low", entity_type="project",
       inputs={"projects": ("project_id", "planned_completion", "actual_completion")},
       params=("late_days",),
       basis=BASIS_PERF,
       condition={
           "zh": "实际竣工日期（不晚于审计基准日）晚于计划竣工日期的天数超过（>）竣工滞后天数（参数 late_days，默认 90天）的项目。",
           "en": "actual_completion (on or before as_of) minus planned_completion is strictly more than "
                 "late_days (default 90) days."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "竣工严重滞后", "en": "Late completion"},
       detail={"zh": "计划竣工{planned:day}，实际竣工{actual:day}，滞后{late:int}天（超过{late_days}天）",
               "en": "Planned completion {planned:day}, actual {actual:day}: {late:int} days late "
                     "(more than {late_days})"})
def late_completion(ctx: Context) -> pd.DataFrame:
    p = ctx["projects"].reset_index(drop=True)
    late = (p["actual_completion"] - p["planned_completion"]).dt.days
    hit = p[late > ctx.params["late_days"]]
    return pd.DataFrame({
        "entity_id": hit["project_id"],
        "project_id": hit["project_id"],
        "planned": hit["planned_completion"],
        "actual": hit["actual_completion"],
        "late": late[hit.index].astype("int64"),
        "late_days": ctx.params["late_days"],
    })


@check("PER02", "idle-asset", area="performance", severity="medium", entity_type="project",
       inputs={"projects": ("project_id",)},
       optional=(("projects", "acceptance_date"), ("projects", "actual_completion"),
                 ("projects", "operation_date"), ("projects", "status")),
       params=("idle_asset_days",),
       basis="财预〔2020〕10号 (效益指标); 资产闲置",
       condition={
           "zh": "以竣工验收日期（无则实际竣工日期；晚于审计基准日的日期视为无）为建成日期，建成日期距审计基准日的天数超过（>）闲置天数（参数 idle_asset_days，默认 180天），"
                 "且截至审计基准日无投产（交付使用）日期、项目状态不是投产的项目。项目台账既无投产日期列也无项目状态列的，本检查不运行。",
           "en": "Completed on acceptance_date, else actual_completion (a date after as_of counts as none), "
                 "strictly more than idle_asset_days (default 180) days before as_of, with no operation_date "
                 "on or before as_of and status not in_operation. Not run when projects has neither an "
                 "operation_date nor a status column."},
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
    p = ctx["projects"].reset_index(drop=True)
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
    hit = p[(idle > ctx.params["idle_asset_days"]) & ~in_use]
    by_acceptance = accepted[hit.index].notna()
    return pd.DataFrame({
        "entity_id": hit["project_id"],
        "project_id": hit["project_id"],
        "variant": by_acceptance.map({True: "accepted", False: "completed"}),
        "completed": completed[hit.index],
        "as_of": ctx.as_of,
        "idle": idle[hit.index].astype("int64"),
        "idle_asset_days": ctx.params["idle_asset_days"],
    })


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
    missed = (~lower_better & (t["actual"] < low_line)) | (lower_better & (t["actual"] > high_line))
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
