"""COS01–05, COS08: cost control (投资控制) on projects and contracts.

The payment-level checks (COS06, COS07, COS09–COS11) live in ``cost_payments``.

Money comparisons ("more than", "exceed") ignore differences below half a fen
(``MONEY_EPS``): sums of float yuan carry rounding noise, and a check must not
fire on a boundary value because 1.1 × 1,000,000 is 1,100,000.0000000002.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context, dates_once
from .frames import (contract_values, lookup, optional_column, paid_per_contract, payment_projects,
                     payments_by_project, positions, take)
from .registry import NotRun, check

MONEY_EPS = 0.005
RATIO_EPS = 1e-9


def positive(s: pd.Series) -> pd.Series:
    """Values above zero; zero, negative or missing become NaN (treated as not recorded)."""
    s = s.astype("float64")
    return s.where(s > 0)


@check("COS01", "budget-over-estimate", area="cost", severity="medium", entity_type="project",
       inputs={"projects": ("project_id", "estimate", "budget")},
       params=("estimate_tolerance",),
       basis="政府投资条例 第十二条",
       condition={
           "zh": "可研估算大于0（为0、负数或未填写的视为未记录，不判定），且批复概算超过可研估算×（1＋估算容差（参数 estimate_tolerance，默认 0.10））"
                 "的部分大于0.005元（半分，消除计算误差）的项目。",
           "en": "estimate > 0 (zero, negative or blank counts as not recorded and is not judged) and budget "
                 "exceeds estimate × (1 + estimate_tolerance) (default 0.10) by more than 0.005 yuan (half a "
                 "fen, to absorb rounding)."},
       amount={"zh": "概算超估算额：批复概算－可研估算",
               "en": "budget − estimate"},
       event_date="projects.design_approval_date, else as_of",
       title={"zh": "初设概算超可研估算", "en": "Budget over estimate"},
       detail={"zh": "初设概算{budget:wan}，可研估算{estimate:wan}，超出{excess_share:pct}（超过{tolerance:pct0}须重新报批可研）",
               "en": "Budget {budget:wan} against estimate {estimate:wan}: {excess_share:pct} over "
                     "(more than {tolerance:pct0} requires a new feasibility study)"})
def budget_over_estimate(ctx: Context) -> pd.DataFrame:
    p = ctx["projects"]
    tolerance = float(ctx.params["estimate_tolerance"])
    # a zero estimate means none was recorded, not that the project was costed at nothing
    estimate = positive(p["estimate"])
    budget = p["budget"].astype("float64")
    hit = p[(budget - estimate * (1 + tolerance)) > MONEY_EPS]
    est, bud = estimate[hit.index], budget[hit.index]
    return pd.DataFrame({
        "entity_id": hit["project_id"],
        "project_id": hit["project_id"],
        "amount": bud - est,
        "budget": bud,
        "estimate": est,
        "excess_share": bud / est - 1,
        "tolerance": tolerance,
    })


@check("COS02", "over-budget", area="cost", severity="high", entity_type="project",
       inputs={"projects": ("project_id", "budget")},
       optional=(("projects", "completed_total"), ("payments", "project_id"), ("payments", "amount")),
       basis="政府投资条例 第二十三条",
       condition={
           "zh": "批复概算大于0的项目，其累计完成投资与截至审计基准日该项目全部付款合计（含无合同的付款，无付款按0计）两者中的较大者，超过批复概算的部分大于0.005元的（只有其中一项数据的按该项判定）"
                 "。项目台账无累计完成投资列且无付款表的，本检查不运行。",
           "en": "budget > 0 and the larger of completed_total and all payments to the project dated on or "
                 "before as_of (with or without a contract; none counts as 0) exceeds budget by more than "
                 "0.005 yuan (with only one of the two, that one is used). Not run without "
                 "projects.completed_total and without a payments table."},
       amount={"zh": "超概算额：上述较大者－批复概算",
               "en": "the excess: the larger of completed total and payments, less budget"},
       event_date="as_of",
       title={"zh": "超概算", "en": "Over budget"},
       detail={"zh": "批复概算{budget:wan}，累计完成投资{completed:wan-}，截至{as_of:day}累计支付{paid:wan-}，"
                     "超概算{excess:wan}",
               "en": "Budget {budget:wan}; investment completed {completed:wan-}; paid to {as_of:day} {paid:wan-}; "
                     "over budget by {excess:wan}"})
def over_budget(ctx: Context) -> pd.DataFrame:
    p = ctx["projects"]
    has_payments = ctx.has("payments", "project_id", "amount")
    if "completed_total" not in p and not has_payments:
        raise NotRun("neither projects.completed_total nor payments (project_id, amount) present")
    budget = positive(p["budget"])
    completed = optional_column(p, "completed_total", "float64")
    paid = (p["project_id"].map(payments_by_project(ctx)).astype("float64").fillna(0.0) if has_payments
            else pd.Series(np.nan, index=p.index))
    spent = pd.concat([completed, paid], axis=1).max(axis=1)
    excess = spent - budget
    hit = p[excess > MONEY_EPS]
    return pd.DataFrame({
        "entity_id": hit["project_id"],
        "project_id": hit["project_id"],
        "amount": excess[hit.index],
        "budget": budget[hit.index],
        "completed": completed[hit.index],
        "paid": paid[hit.index],
        "excess": excess[hit.index],
        "as_of": ctx.as_of,
    })


@check("COS03", "excessive-changes", area="cost", severity="medium", entity_type="contract",
       inputs={"contracts": ("contract_id", "project_id", "amount"),
               "contract_changes": ("contract_id", "amount_delta")},
       params=("change_share",),
       basis="政府投资条例 第二十三条; 政府采购法 第四十九条",
       condition={
           "zh": "签订日期不晚于审计基准日、合同金额不小于0的合同，截至审计基准日的增加变更合计（只计变更金额为正的变更，减少变更不抵减）超过合同金额×变更比例（参数 change_share，默认 "
                 "0.10）的部分大于0.005元的。",
           "en": "A contract signed on or before as_of with amount ≥ 0 whose positive amount_delta values "
                 "dated on or before as_of (decreases not netted) sum to more than change_share (default 0.10) "
                 "× its amount by more than 0.005 yuan."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "合同变更增加过多", "en": "Excessive contract changes"},
       detail={"zh": "合同金额{signed:wan}，截至{as_of:day}增加变更合计{increases:wan}，占{share:pct-}（超过{limit:pct0}）",
               "en": "Contract amount {signed:wan}; increases by change to {as_of:day} total {increases:wan}, "
                     "{share:pct-} of it (more than {limit:pct0})"})
def excessive_changes(ctx: Context) -> pd.DataFrame:
    c = contract_values(ctx)
    limit = float(ctx.params["change_share"])
    signed = c["amount"].where(c["amount"] >= 0)
    hit = c[(c["positive_changes"] - limit * signed) > MONEY_EPS]
    # a zero-value contract has no meaningful share; its detail shows a dash
    share = hit["positive_changes"] / hit["amount"].where(hit["amount"] > 0)
    return pd.DataFrame({
        "entity_id": hit.index.astype("str"),
        "project_id": hit["project_id"].to_numpy(),
        "signed": hit["amount"].to_numpy(),
        "increases": hit["positive_changes"].to_numpy(),
        "share": share.to_numpy(),
        "limit": limit,
        "as_of": ctx.as_of,
    })


# which figure a contract's settled value came from (contract_values: audited, else settlement, else
# current value), as the name of the detail's variant, and its words in each language
SETTLED_BASIS = {"audited": ("审定金额", "audited settlement"),
                 "settlement": ("结算金额", "settlement amount"),
                 "current": ("现值（合同金额+变更）", "current value (amount + changes)")}


def by_settled_basis(zh: str, en: str) -> dict[str, dict[str, str]]:
    """A detail with one variant per settled basis: ``{basis}`` in the templates replaced by its words."""
    return {name: {"zh": zh.replace("{basis}", words_zh), "en": en.replace("{basis}", words_en)}
            for name, (words_zh, words_en) in SETTLED_BASIS.items()}


def settled_basis(ctx: Context, contract_ids: pd.Index) -> pd.Series:
    """Which figure the settled value came from (a key of SETTLED_BASIS)."""
    c = ctx["contracts"]
    at = positions(contract_ids, c["contract_id"])
    basis = pd.Series("current", index=contract_ids, dtype="str")
    if "settlement_amount" in c:
        basis = basis.mask(take(c["settlement_amount"], at, index=contract_ids).notna(), "settlement")
    if "audited_settlement" in c:
        basis = basis.mask(take(c["audited_settlement"], at, index=contract_ids).notna(), "audited")
    return basis


@check("COS04", "overpayment", area="cost", severity="high", entity_type="contract",
       inputs={"contracts": ("contract_id", "project_id", "amount"),
               "payments": ("contract_id", "amount")},
       optional=(("contracts", "settlement_amount"), ("contracts", "audited_settlement"),
                 ("contract_changes", "amount_delta")),
       basis="建设工程价款结算暂行办法 (财建〔2004〕369号)",
       condition={
           "zh": "签订日期不晚于审计基准日的合同，截至审计基准日对该合同的付款合计超过其结算值的部分大于0.005元的；结算值取审定金额，无则结算金额，"
                 "无则合同现值（合同金额加截至审计基准日的全部变更金额，增减相抵）。",
           "en": "A contract signed on or before as_of whose payments dated on or before as_of exceed its "
                 "settled value — audited_settlement, else settlement_amount, else current value (amount + the "
                 "signed sum of amount_delta dated on or before as_of) — by more than 0.005 yuan."},
       amount={"zh": "超付额：付款合计－结算值",
               "en": "the overpayment: payments on the contract − settled value"},
       title={"zh": "超合同结算值支付", "en": "Overpayment"},
       detail=by_settled_basis(zh="合同{basis}{settled:wan}，截至{as_of:day}已付{paid:wan}，超付{excess:wan}",
                               en="Contract {basis} {settled:wan}; paid to {as_of:day} {paid:wan}; "
                                  "overpaid by {excess:wan}"))
def overpayment(ctx: Context) -> pd.DataFrame:
    c = contract_values(ctx)
    paid = paid_per_contract(ctx)
    excess = paid - c["settled"]
    hit = c[excess > MONEY_EPS]
    return pd.DataFrame({
        "entity_id": hit.index.astype("str"),
        "project_id": hit["project_id"].to_numpy(),
        "amount": excess[hit.index].to_numpy(),
        "variant": settled_basis(ctx, hit.index).to_numpy(),
        "settled": hit["settled"].to_numpy(),
        "paid": paid[hit.index].to_numpy(),
        "excess": excess[hit.index].to_numpy(),
        "as_of": ctx.as_of,
    })


def latest_physical_pct(ctx: Context) -> pd.DataFrame:
    """Per project (index): the latest month (to as_of) with a physical_pct, and that pct."""
    pr = ctx["progress"]
    pr = pr[pr["physical_pct"].notna()]
    month = dates_once(pr["month"], format="%Y-%m", errors="coerce")
    pr = pr.assign(_month=month)[month.notna()].sort_values(["project_id", "_month"], kind="stable")
    latest = pr.drop_duplicates("project_id", keep="last").set_index("project_id")
    return latest[["month", "physical_pct"]]


@check("COS05", "paid-ahead-of-progress", area="cost", severity="medium", entity_type="project",
       inputs={"projects": ("project_id", "status"),
               "payments": ("project_id", "amount"),
               "contracts": ("contract_id", "project_id", "amount"),
               "progress": ("project_id", "month", "physical_pct")},
       optional=(("payments", "type"), ("contract_changes", "amount_delta")),
       params=("progress_margin",),
       basis="建设工程价款结算暂行办法 (财建〔2004〕369号) 第十三条",
       condition={
           "zh": "项目状态为在建的项目，截至审计基准日的非预付款付款合计（付款类型为预付款的不计，未填类型的计入，含无合同的付款）除以其各合同现值合计（签订日期不晚于审计基准日的合同，"
                 "合同金额加截至审计基准日的变更金额；合计须大于0）之比，超过最近一期形象进度÷100＋进度容差（参数 progress_margin，默认 0.2）"
                 "的（最近一期指月份首日不晚于审计基准日、形象进度已填写的最近月份）。无进度记录或无合同现值的项目不判定。",
           "en": "A project with status under_construction whose payments dated on or before as_of other than "
                 "type advance (a blank type counts; payments with no contract included), divided by the sum "
                 "of the current values of its contracts signed on or before as_of (amount + amount_delta "
                 "dated on or before as_of; the sum must be > 0), exceed its latest physical_pct ÷ 100 + "
                 "progress_margin (default 0.2), the latest being the last month with a physical_pct whose "
                 "first day is on or before as_of. Projects with no progress or no contract value are not "
                 "judged."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "超进度付款", "en": "Paid ahead of progress"},
       detail={"zh": "截至{as_of:day}非预付款支付{paid:wan}，占合同现值{contract_value:wan}的{paid_share:pct}；"
                     "{month}形象进度{physical:pct}，加容差{margin:pct0}后上限{ceiling:pct}",
               "en": "Paid (excluding advances) to {as_of:day} {paid:wan}, {paid_share:pct} of contract value "
                     "{contract_value:wan}; physical progress {physical:pct} in {month}, ceiling with "
                     "{margin:pct0} margin {ceiling:pct}"})
def paid_ahead_of_progress(ctx: Context) -> pd.DataFrame:
    margin = float(ctx.params["progress_margin"])
    projects = ctx["projects"]
    building = projects.loc[projects["status"] == "under_construction", "project_id"]

    pay = ctx["payments"]
    amount = pay["amount"]
    if "type" in pay:
        # a missing type counts as a non-advance payment; blanking advances (the sum skips them)
        # spares copying the whole payments table
        amount = amount.where(~(pay["type"] == "advance"))
    paid = payment_projects(ctx).sums(amount.to_numpy(), "project_id")

    c = contract_values(ctx)
    contract_value = c.groupby("project_id", sort=False)["current"].sum()
    progress = latest_physical_pct(ctx)

    frame = pd.DataFrame({"project_id": building.to_numpy()})
    frame["paid"] = frame["project_id"].map(paid).fillna(0.0).astype("float64")
    frame["contract_value"] = frame["project_id"].map(contract_value).astype("float64")
    frame["month"] = frame["project_id"].map(progress["month"])
    frame["physical_pct"] = frame["project_id"].map(progress["physical_pct"]).astype("float64")
    frame["paid_share"] = frame["paid"] / frame["contract_value"].where(frame["contract_value"] > 0)
    frame["ceiling"] = frame["physical_pct"] / 100 + margin
    hit = frame[(frame["paid_share"] - frame["ceiling"]) > RATIO_EPS]
    return pd.DataFrame({
        "entity_id": hit["project_id"],
        "project_id": hit["project_id"],
        "paid": hit["paid"],
        "contract_value": hit["contract_value"],
        "paid_share": hit["paid_share"],
        "month": hit["month"],
        "physical": hit["physical_pct"] / 100,
        "margin": margin,
        "ceiling": hit["ceiling"],
        "as_of": ctx.as_of,
    })


@check("COS08", "arrears", area="cost", severity="medium", entity_type="contract",
       inputs={"projects": ("project_id", "acceptance_date"),
               "contracts": ("contract_id", "project_id", "amount"),
               "payments": ("contract_id", "amount")},
       optional=(("contracts", "settlement_amount"), ("contracts", "audited_settlement"),
                 ("contract_changes", "amount_delta")),
       params=("arrears_days", "retention_share"),
       basis="保障中小企业款项支付条例 第八条; 建设工程质量保证金管理办法 第七条",
       condition={
           "zh": "签订日期不晚于审计基准日的合同，其所属项目的竣工验收日期（不晚于审计基准日；仅以竣工验收日期判定，未验收的不以实际竣工日期替代）距审计基准日超过（>）欠款天数（参数 "
                 "arrears_days，默认 60天），且该合同结算值（审定金额，无则结算金额，无则合同现值；须大于0）减去截至审计基准日对该合同的付款后的未付额，超过结算值×质保金比例（参数 "
                 "retention_share，默认 0.03）的部分大于0.005元的。",
           "en": "A contract signed on or before as_of whose project's acceptance_date (on or before as_of; "
                 "actual_completion is not used in its place) is more than (>) arrears_days (default 60) days "
                 "before as_of, and whose unpaid part — settled value (audited_settlement, else "
                 "settlement_amount, else current value; must be > 0) less payments on it dated on or before "
                 "as_of — exceeds retention_share (default 0.03) × the settled value by more than 0.005 yuan."},
       amount={"zh": "未付额：结算值－截至审计基准日对该合同的付款（含质保金部分）",
               "en": "the unpaid part: settled value − payments on the contract up to as_of (retention "
                     "included)"},
       event_date="projects.acceptance_date, else projects.actual_completion",
       title={"zh": "拖欠工程款", "en": "Arrears"},
       detail=by_settled_basis(
           zh="项目{accepted:day}竣工验收，至{as_of:day}已{days:int}天（超过{arrears_days:int}天）；"
              "合同{basis}{settled:wan}，已付{paid:wan}，未付{unpaid:wan}（占{unpaid_share:pct}，超过质保金{retention:pct0}）",
           en="Project accepted {accepted:day}, {days:int} days before {as_of:day} (more than {arrears_days:int}); "
              "contract {basis} {settled:wan}, paid {paid:wan}, unpaid {unpaid:wan} "
              "({unpaid_share:pct}, more than the {retention:pct0} retention)"))
def arrears(ctx: Context) -> pd.DataFrame:
    days_limit = int(ctx.params["arrears_days"])
    retention = float(ctx.params["retention_share"])
    c = contract_values(ctx)
    accepted = lookup(c["project_id"], ctx["projects"].set_index("project_id")["acceptance_date"])
    days = (ctx.as_of - accepted).dt.days
    settled = positive(c["settled"])
    paid = paid_per_contract(ctx).fillna(0.0)
    unpaid = settled - paid
    hit = c[(days > days_limit) & ((unpaid - retention * settled) > MONEY_EPS)]
    idx = hit.index
    return pd.DataFrame({
        "entity_id": idx.astype("str"),
        "project_id": hit["project_id"].to_numpy(),
        "amount": unpaid[idx].to_numpy(),
        "accepted": accepted[idx].to_numpy(),
        "days": days[idx].astype("int64").to_numpy(),
        "arrears_days": days_limit,
        "variant": settled_basis(ctx, idx).to_numpy(),
        "settled": settled[idx].to_numpy(),
        "paid": paid[idx].to_numpy(),
        "unpaid": unpaid[idx].to_numpy(),
        "unpaid_share": (unpaid[idx] / settled[idx]).to_numpy(),
        "retention": retention,
        "as_of": ctx.as_of,
    })

