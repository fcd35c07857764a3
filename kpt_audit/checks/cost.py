"""COS01–05, COS08, COS12, COS14: cost control (投资控制) on projects and contracts.

The payment-level checks (COS06, COS07, COS09–COS11) live in ``cost_payments``.
There is no COS13 in checks.md (revision 2 skips it); the ids are kept as the spec has them.

Money comparisons ("more than", "exceed") ignore differences below half a fen
(``frames.above(..., money=True)``): sums of float yuan carry rounding noise, and a check must
not fire on a boundary value because 1.1 × 1,000,000 is 1,100,000.0000000002.

Unknown values (checks.md revision 2, DQ): a number or date the loader could not read
(``frames.unreadable``) is never taken as absent.  Where a finding would rest on it being
absent, or on the fall-back used in its place (the settled value's audited → settlement →
current value; COS02's adjusted budget → budget; COS08's acceptance → completion; COS01's
event date), the finding is not made and the entity is counted (``partly_judged``).  Where
the value's absence leads to no finding at all (an unreadable estimate: COS01 does not judge
a project without one), nothing rests on it and nothing is counted; DQ01 reports the cell.
A finding proven on readable values alone still stands (COS02: payments above the budget
whatever an unreadable completed_total says; its detail shows a dash for it).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context, dates_once, month_starts
from .frames import (above, at_least, contract_values, counties_where, in_force, lookup, optional_column, paid_per_contract,
                     payment_contracts, payment_projects, payments_by_project, positions, project_county, take,
                     unreadable)
from .registry import NotRun, check, partly_judged


def positive(s: pd.Series) -> pd.Series:
    """Values above zero; zero, negative or missing become NaN (treated as not recorded)."""
    s = s.astype("float64")
    return s.where(s > 0)


def unread_by_key(ctx: Context, table: str, column: str, key: str, keys) -> pd.Series:
    """Per key of ``keys`` (a Series or Index; result on its index or positions): whether the first
    row of ``table`` with that ``key`` has an unreadable ``column``."""
    index = keys.index if isinstance(keys, pd.Series) else pd.RangeIndex(len(keys))
    rows = ctx[table]
    flags = unreadable(ctx, table, column, rows)
    if not flags.any():
        return pd.Series(False, index=index)
    at = positions(keys, rows[key])
    found = flags.to_numpy()[np.maximum(at, 0)] & (at >= 0)
    return pd.Series(found, index=index)


def settled_unknown(ctx: Context, contract_ids: pd.Index) -> pd.Series:
    """Per contract (index ``contract_ids``): whether its settled value rests on an unreadable cell —
    audited_settlement unreadable, or none and settlement_amount unreadable (the fall-back would
    be used in their place)."""
    c = ctx["contracts"]
    audited_unknown = unread_by_key(ctx, "contracts", "audited_settlement", "contract_id", contract_ids)
    settlement_unknown = unread_by_key(ctx, "contracts", "settlement_amount", "contract_id", contract_ids)
    if not (audited_unknown.any() or settlement_unknown.any()):
        return pd.Series(False, index=contract_ids)
    at = positions(contract_ids, c["contract_id"])
    audited = take(optional_column(c, "audited_settlement", "float64"), at, index=contract_ids)
    out = audited_unknown.to_numpy() | (audited.isna().to_numpy() & settlement_unknown.to_numpy())
    return pd.Series(out, index=contract_ids)


@check("COS01", "budget-over-estimate", area="cost", severity="medium", entity_type="project",
       inputs={"projects": ("project_id", "estimate", "budget")},
       optional=(("projects", "design_approval_date"),),
       params=("estimate_tolerance",),
       basis="政府投资条例 第十二条",
       condition={
           "zh": "可研估算大于0（为0、负数或未填写的视为未记录，不判定），且批复概算超过可研估算×（1＋估算容差（参数 estimate_tolerance，默认 0.10））"
                 "的部分大于0.005元（半分，消除计算误差）的项目。引用的依据按初步设计批复日期（无则审计基准日）所在时段确定（2019-06-30及以前为国发〔2004〕20号，"
                 "2019-07-01起为政府投资条例，见参数 bases）。应列出但初步设计批复日期填写了而无法识别（无法确定所引依据）的项目，"
                 "不作判定，计入“部分未判定”数。",
           "en": "estimate > 0 (zero, negative or blank counts as not recorded and is not judged) and budget "
                 "exceeds estimate × (1 + estimate_tolerance) (default 0.10) by more than 0.005 yuan (half a "
                 "fen, to absorb rounding). The basis cited is the one in force on design_approval_date, else "
                 "as_of (checks.bases: 国发〔2004〕20号 to 2019-06-30, 政府投资条例 from 2019-07-01). A project "
                 "that would be reported but whose design_approval_date could not be read (the basis cannot be "
                 "told) is not judged and is counted as partly judged."},
       amount={"zh": "概算超估算额：批复概算－可研估算",
               "en": "budget − estimate"},
       event_date="projects.design_approval_date, else as_of",
       title={"zh": "初设概算超可研估算", "en": "Budget over estimate"},
       detail={"zh": "初设概算{budget:wan}，可研估算{estimate:wan}，超出{excess_share:pct}（超过{tolerance:pct0}须重新报批可研）",
               "en": "Budget {budget:wan} against estimate {estimate:wan}: {excess_share:pct} over "
                     "(more than {tolerance:pct0} requires a new feasibility study)"})
def budget_over_estimate(ctx: Context) -> pd.DataFrame:
    """The budget is the preliminary design's (初设概算), so the design approval dates the
    comparison: the engine cites checks.bases.COS01 in force on ``event_date``.  A project
    with no design approval date is dated by as_of (the spec's fall-back); one whose date
    could not be read is not reported, since its basis cannot be told."""
    p = ctx["projects"]
    tolerance = float(ctx.params["estimate_tolerance"])
    # a zero estimate means none was recorded, not that the project was costed at nothing
    estimate = positive(p["estimate"])
    budget = p["budget"].astype("float64")
    over = above(budget, estimate * (1 + tolerance), money=True)
    design = optional_column(p, "design_approval_date", "datetime64[ns]")
    unknown = over & design.isna() & unreadable(ctx, "projects", "design_approval_date", p)
    hit = p[over & ~unknown]
    est, bud = estimate[hit.index], budget[hit.index]
    return partly_judged(pd.DataFrame({
        "entity_id": hit["project_id"],
        "project_id": hit["project_id"],
        "amount": bud - est,
        "budget": bud,
        "estimate": est,
        "excess_share": bud / est - 1,
        "tolerance": tolerance,
        "event_date": design[hit.index].fillna(ctx.as_of),
    }), entities=counties_where(ctx, unknown))


COS02_TEXT = ("累计完成投资{completed:wan-}，截至{as_of:day}累计支付{paid:wan-}，超概算{excess:wan}",
              "investment completed {completed:wan-}; paid to {as_of:day} {paid:wan-}; over budget by {excess:wan}")


@check("COS02", "over-budget", area="cost", severity="high", entity_type="project",
       inputs={"projects": ("project_id",)},
       optional=(("projects", "budget"), ("projects", "adjusted_budget"), ("projects", "completed_total"),
                 ("payments", "project_id"), ("payments", "amount")),
       basis="政府投资条例 第二十三条",
       condition={
           "zh": "以调整后概算（大于0的）为限，无调整后概算的以批复概算（大于0的）为限；项目累计完成投资与截至审计基准日该项目全部付款合计（含无合同的付款，无付款按0计）两者中的较大者，"
                 "超过该限额的部分大于0.005元的（只有其中一项数据的按该项判定；两个概算均无的项目不在范围内）。经批准调整的概算不视为超概算。"
                 "引用的依据按审计基准日所在时段确定（2019-06-30及以前为国发〔2004〕20号，2019-07-01起为政府投资条例，见参数 bases）。"
                 "调整后概算填写了但无法识别、按批复概算才会列出的项目，不作判定，计入“部分未判定”数；累计完成投资无法识别的，按付款判定（明细中显示为“—”）。"
                 "项目台账无累计完成投资列且无付款表的，或既无批复概算列也无调整后概算列的，本检查不运行。",
           "en": "The ceiling is adjusted_budget when present (> 0), else budget (> 0); the larger of "
                 "completed_total and all payments to the project dated on or before as_of (with or without a "
                 "contract; none counts as 0) exceeds the ceiling by more than 0.005 yuan (with only one of "
                 "the two, that one is used; projects with neither budget are out of scope). A lawfully "
                 "adjusted budget is not over budget. The basis cited is the one in force on as_of "
                 "(checks.bases: 国发〔2004〕20号 to 2019-06-30, 政府投资条例 from 2019-07-01). A project that "
                 "would be reported only against its budget because its adjusted_budget could not be read is "
                 "not judged and is counted as partly judged; an unreadable completed_total leaves the payments "
                 "to decide (the detail shows a dash for it). Not run without projects.completed_total and without a payments table, "
                 "or when projects has neither a budget nor an adjusted_budget column."},
       amount={"zh": "超概算额：上述较大者－调整后概算（无则批复概算）",
               "en": "the excess: the larger of completed total and payments, less the adjusted budget (else "
                     "the budget)"},
       event_date="as_of",
       title={"zh": "超概算", "en": "Over budget"},
       detail={"budget": {"zh": "批复概算{budget:wan}，" + COS02_TEXT[0], "en": "Budget {budget:wan}; " + COS02_TEXT[1]},
               "adjusted": {"zh": "调整后概算{ceiling:wan}（原批复概算{budget:wan-}），" + COS02_TEXT[0],
                            "en": "Adjusted budget {ceiling:wan} (budget {budget:wan-}); " + COS02_TEXT[1]}})
def over_budget(ctx: Context) -> pd.DataFrame:
    """Against the adjusted budget (调整概算) when there is one: an approved 概算调整 moves the
    line (政府投资条例 第二十三条 allows it).  An adjusted budget of zero or below counts as none,
    like a budget of zero.  Dated bases on as_of (the state of spending at the audit date)."""
    p = ctx["projects"]
    has_payments = ctx.has("payments", "project_id", "amount")
    if "completed_total" not in p and not has_payments:
        raise NotRun("neither projects.completed_total nor payments (project_id, amount) present")
    if "budget" not in p and "adjusted_budget" not in p:
        raise NotRun("projects: neither budget nor adjusted_budget present")
    budget = positive(optional_column(p, "budget", "float64"))
    adjusted = positive(optional_column(p, "adjusted_budget", "float64"))
    ceiling = adjusted.where(adjusted.notna(), budget)
    completed = optional_column(p, "completed_total", "float64")
    paid = (lookup(p["project_id"], payments_by_project(ctx)).astype("float64").fillna(0.0) if has_payments
            else pd.Series(np.nan, index=p.index))
    spent = pd.concat([completed, paid], axis=1).max(axis=1)
    excess = spent - ceiling
    over = above(spent, ceiling, money=True)
    unknown = over & unreadable(ctx, "projects", "adjusted_budget", p)
    hit = p[over & ~unknown]
    idx = hit.index
    return partly_judged(pd.DataFrame({
        "entity_id": hit["project_id"],
        "project_id": hit["project_id"],
        "amount": excess[idx],
        "variant": np.where(adjusted[idx].notna(), "adjusted", "budget"),
        "ceiling": ceiling[idx],
        "budget": budget[idx],
        "completed": completed[idx],
        "paid": paid[idx],
        "excess": excess[idx],
        "as_of": ctx.as_of,
        "event_date": ctx.as_of,
    }), entities=counties_where(ctx, unknown))


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
    hit = c[above(c["positive_changes"], limit * signed, money=True)]
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


def settled_unknown_where(ctx: Context, contract_ids: pd.Index, rows: pd.Series) -> pd.Series:
    """``settled_unknown`` of the contracts of ``rows`` (a mask, on ``contract_ids``); False elsewhere:
    only the few contracts a check would report need the look-up."""
    out = np.zeros(len(contract_ids), dtype=bool)
    wanted = rows.to_numpy(dtype=bool)
    out[wanted] = settled_unknown(ctx, contract_ids[wanted]).to_numpy(dtype=bool)
    return pd.Series(out, index=contract_ids)


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
                 "无则合同现值（合同金额加截至审计基准日的全部变更金额，增减相抵）。审定金额填写了但无法识别（或无审定金额而结算金额无法识别）、"
                 "按替代的结算值才会列出的合同，不作判定，计入“部分未判定”数。",
           "en": "A contract signed on or before as_of whose payments dated on or before as_of exceed its "
                 "settled value — audited_settlement, else settlement_amount, else current value (amount + the "
                 "signed sum of amount_delta dated on or before as_of) — by more than 0.005 yuan. A contract "
                 "that would be reported only on the fall-back used in place of an unreadable "
                 "audited_settlement (or, with none, an unreadable settlement_amount) is not judged and is "
                 "counted as partly judged."},
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
    over = above(paid, c["settled"], money=True)
    unknown = over & settled_unknown_where(ctx, c.index, over)
    hit = c[over & ~unknown]
    return partly_judged(pd.DataFrame({
        "entity_id": hit.index.astype("str"),
        "project_id": hit["project_id"].to_numpy(),
        "amount": excess[hit.index].to_numpy(),
        "variant": settled_basis(ctx, hit.index).to_numpy(),
        "settled": hit["settled"].to_numpy(),
        "paid": paid[hit.index].to_numpy(),
        "excess": excess[hit.index].to_numpy(),
        "as_of": ctx.as_of,
    }), entities=lookup(c.loc[unknown, "project_id"], project_county(ctx)))


def latest_physical_pct(ctx: Context) -> pd.DataFrame:
    """Per project (index): the latest month (to as_of) with a physical_pct, and that pct."""
    pr = ctx["progress"]
    month = dates_once(pr["month"], format="%Y-%m", errors="coerce")
    rows = np.flatnonzero((pr["physical_pct"].notna() & month.notna()).to_numpy())
    # in month order (stable: equal months keep table order), a project's last row is its latest;
    # projects as integer codes, and only the latest rows taken from the table
    rows = rows[np.argsort(month.to_numpy()[rows], kind="stable")]
    project = pd.factorize(pr["project_id"])[0][rows]
    rows = rows[~pd.Series(project).duplicated(keep="last").to_numpy()]
    latest = pr[["project_id", "month", "physical_pct"]].iloc[rows].set_index("project_id")
    return latest[["month", "physical_pct"]]


def progress_unknown(ctx: Context, latest: pd.DataFrame) -> pd.Index:
    """Projects whose latest progress month cannot be told: a month (to as_of) whose physical_pct
    could not be read, after the latest readable one (``latest``), or with none readable."""
    flags = unreadable(ctx, "progress", "physical_pct")
    if not flags.any():
        return pd.Index([], dtype="str")
    pr = ctx["progress"][flags]
    month = month_starts(pr["month"])
    known = month_starts(lookup(pr["project_id"], latest["month"]).astype("str"))
    later = known.isna() | (month > known)
    return pd.Index(pr.loc[later, "project_id"].unique())


@check("COS05", "paid-ahead-of-progress", area="cost", severity="medium", entity_type="project",
       inputs={"projects": ("project_id", "status"),
               "payments": ("project_id", "amount"),
               "contracts": ("contract_id", "project_id", "amount"),
               "progress": ("project_id", "month", "physical_pct")},
       optional=(("payments", "type"), ("contract_changes", "amount_delta")),
       params=("progress_margin",),
       basis="财建〔2004〕369号 第十三条",
       condition={
           "zh": "项目状态为在建的项目，截至审计基准日的非预付款付款合计（付款类型为预付款的不计，未填类型的计入，含无合同的付款）除以其各合同现值合计（签订日期不晚于审计基准日的合同，"
                 "合同金额加截至审计基准日的变更金额；合计须大于0）之比，超过最近一期形象进度÷100＋进度容差（参数 progress_margin，默认 0.2）"
                 "的（最近一期指月份首日不晚于审计基准日、形象进度已填写的最近月份）。无进度记录或无合同现值的项目不判定。"
                 "按最近一期可识别的形象进度会列出、但其后（不晚于审计基准日）还有形象进度填写了而无法识别的月份的项目，不作判定，计入“部分未判定”数。",
           "en": "A project with status under_construction whose payments dated on or before as_of other than "
                 "type advance (a blank type counts; payments with no contract included), divided by the sum "
                 "of the current values of its contracts signed on or before as_of (amount + amount_delta "
                 "dated on or before as_of; the sum must be > 0), exceed its latest physical_pct ÷ 100 + "
                 "progress_margin (default 0.2), the latest being the last month with a physical_pct whose "
                 "first day is on or before as_of. Projects with no progress or no contract value are not "
                 "judged. A project that would be reported on its latest readable month while a later month "
                 "(on or before as_of) has a physical_pct that could not be read is not judged and is counted "
                 "as partly judged."},
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
    frame["paid"] = lookup(frame["project_id"], paid).fillna(0.0).astype("float64")
    frame["contract_value"] = lookup(frame["project_id"], contract_value).astype("float64")
    frame["month"] = lookup(frame["project_id"], progress["month"])
    frame["physical_pct"] = lookup(frame["project_id"], progress["physical_pct"]).astype("float64")
    frame["paid_share"] = frame["paid"] / frame["contract_value"].where(frame["contract_value"] > 0)
    frame["ceiling"] = frame["physical_pct"] / 100 + margin
    ahead = above(frame["paid_share"], frame["ceiling"])
    unknown = ahead & frame["project_id"].isin(progress_unknown(ctx, progress))
    hit = frame[ahead & ~unknown]
    return partly_judged(pd.DataFrame({
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
    }), entities=lookup(frame.loc[unknown, "project_id"], project_county(ctx)))


# COS08: the project's completion date is its acceptance, else its actual completion; the settled value's source
COS08_EVENT = {"acceptance": ("竣工验收", "accepted"), "completion": ("实际竣工", "completed")}
COS08_DETAIL = {
    f"{event}+{basis}": {
        "zh": f"项目{{completed:day}}{e_zh}，至{{as_of:day}}已{{days:int}}天（超过{{arrears_days:int}}天）；"
              f"合同{s_zh}{{settled:wan}}，已付{{paid:wan}}，未付{{unpaid:wan}}（占{{unpaid_share:pct}}，超过质保金{{retention:pct0}}）",
        "en": f"Project {e_en} {{completed:day}}, {{days:int}} days before {{as_of:day}} (more than {{arrears_days:int}}); "
              f"contract {s_en} {{settled:wan}}, paid {{paid:wan}}, unpaid {{unpaid:wan}} "
              f"({{unpaid_share:pct}}, more than the {{retention:pct0}} retention)"}
    for (event, (e_zh, e_en)), (basis, (s_zh, s_en)) in
    ((e, s) for e in COS08_EVENT.items() for s in SETTLED_BASIS.items())}


@check("COS08", "arrears", area="cost", severity="medium", entity_type="contract",
       inputs={"projects": ("project_id",),
               "contracts": ("contract_id", "project_id", "amount"),
               "payments": ("contract_id", "amount")},
       optional=(("projects", "acceptance_date"), ("projects", "actual_completion"), ("contracts", "settlement_amount"),
                 ("contracts", "audited_settlement"), ("contract_changes", "amount_delta")),
       params=("arrears_days", "retention_share"),
       basis="财建〔2004〕369号 第十四条 / 保障中小企业款项支付条例 第八条 (2020-09-01起); 建设工程质量保证金管理办法",
       condition={
           "zh": "签订日期不晚于审计基准日的合同，其所属项目的竣工日期（取竣工验收日期，无则实际竣工日期；均须不晚于审计基准日）距审计基准日超过（>）欠款天数（参数 "
                 "arrears_days，默认 60天），且该合同结算值（审定金额，无则结算金额，无则合同现值；须大于0）减去截至审计基准日对该合同的付款后的未付额，超过结算值×质保金比例（参数 "
                 "retention_share：竣工日期在2017-06-30及以前为0.05，2017-07-01起为0.03）的部分大于0.005元的。两个参数均按竣工日期所在时段取值，"
                 "并引用该时段的依据（欠款天数：2020-08-31及以前为财建〔2004〕369号第十四条，2020-09-01起为保障中小企业款项支付条例第八条）。"
                 "未竣工的项目不在范围内；竣工日期不在任何时段内的有未付额的合同，以及竣工验收日期无法识别而按实际竣工日期、或审定金额（所依结算金额）无法识别而按替代的结算值才会列出的合同，"
                 "不作判定，计入“部分未判定”数。项目台账既无竣工验收日期列也无实际竣工日期列的，本检查不运行。",
           "en": "A contract signed on or before as_of whose project was completed — acceptance_date, else "
                 "actual_completion, on or before as_of — more than (>) arrears_days (default 60) days before "
                 "as_of, and whose unpaid part — settled value (audited_settlement, else settlement_amount, "
                 "else current value; must be > 0) less payments on it dated on or before as_of — exceeds "
                 "retention_share × the settled value by more than 0.005 yuan. Both parameters are dated and "
                 "taken on the completion date (retention 0.05 to 2017-06-30, 0.03 from 2017-07-01; arrears "
                 "basis 财建〔2004〕369号 第十四条 to 2020-08-31, 保障中小企业款项支付条例 第八条 from 2020-09-01), "
                 "and the finding cites those periods' bases. Projects not completed are out of scope; a "
                 "contract with an unpaid part whose completion date falls in no period, or that would be "
                 "reported only on actual_completion in place of an unreadable acceptance_date or on the "
                 "fall-back used in place of an unreadable audited_settlement (or settlement_amount), is not "
                 "judged and is counted as partly judged. Not run when projects has neither an acceptance_date "
                 "nor an actual_completion column."},
       amount={"zh": "未付额：结算值－截至审计基准日对该合同的付款（含质保金部分）",
               "en": "the unpaid part: settled value − payments on the contract up to as_of (retention "
                     "included)"},
       event_date="projects.acceptance_date, else projects.actual_completion",
       title={"zh": "拖欠工程款", "en": "Arrears"},
       detail=COS08_DETAIL)
def arrears(ctx: Context) -> pd.DataFrame:
    """Completion is the acceptance (竣工验收), else the actual completion: revision 2 reads a
    project with a completion date but no acceptance as completed too (the money falls due on
    completion and settlement; a missing acceptance does not postpone it).  The arrears days and
    the retention share are those in force on that date; the finding cites both periods'
    bases, the payment term's first.  A project with no completion is not in scope (the rule
    needs a completed project), so it is not counted as unjudged; a contract that would be in
    scope but whose date falls in no period is, when it has an unpaid part (a fully paid
    contract is in order under any period)."""
    projects = ctx["projects"]
    if "acceptance_date" not in projects.columns and "actual_completion" not in projects.columns:
        raise NotRun("projects: column(s) acceptance_date and actual_completion missing")
    c = contract_values(ctx)
    at = positions(c["project_id"], projects["project_id"])
    accepted = take(optional_column(projects, "acceptance_date", "datetime64[ns]"), at, index=c.index)
    completed = take(optional_column(projects, "actual_completion", "datetime64[ns]"), at, index=c.index)
    from_acceptance = accepted.notna()
    event = accepted.where(from_acceptance, completed)
    unread = unreadable(ctx, "projects", "acceptance_date").to_numpy(dtype=bool)  # the projects looked up above
    acceptance_unknown = pd.Series((unread[np.maximum(at, 0)] & (at >= 0)) if len(unread) else False, index=c.index)
    arrears_rule = in_force(ctx, "arrears_days", event)
    retention_rule = in_force(ctx, "retention_share", event)
    judged = arrears_rule["judged"] & retention_rule["judged"]
    days = (ctx.as_of - event).dt.days
    settled = positive(c["settled"])
    paid = paid_per_contract(ctx).fillna(0.0)
    unpaid = settled - paid
    would = judged & (days > arrears_rule["value"]) & above(unpaid, retention_rule["value"] * settled, money=True)
    unknown = would & (acceptance_unknown | settled_unknown_where(ctx, c.index, would))
    no_period = event.notna() & ~judged & above(unpaid, 0.0, money=True)
    hit = c[would & ~unknown]
    idx = hit.index
    bases = pd.concat([arrears_rule["basis"], retention_rule["basis"]], axis=1).loc[idx]
    basis = ["; ".join(b for b in pair if isinstance(b, str) and b) or None for pair in bases.itertuples(index=False)]
    variant = (pd.Series(np.where(from_acceptance[idx], "acceptance", "completion"), index=idx, dtype="str")
               + "+" + settled_basis(ctx, idx))
    return partly_judged(pd.DataFrame({
        "entity_id": idx.astype("str"),
        "project_id": hit["project_id"].to_numpy(),
        "amount": unpaid[idx].to_numpy(),
        "variant": variant.to_numpy(),
        "completed": event[idx].to_numpy(),
        "days": days[idx].astype("int64").to_numpy(),
        "arrears_days": arrears_rule["value"][idx].to_numpy(),
        "settled": settled[idx].to_numpy(),
        "paid": paid[idx].to_numpy(),
        "unpaid": unpaid[idx].to_numpy(),
        "unpaid_share": (unpaid[idx] / settled[idx]).to_numpy(),
        "retention": retention_rule["value"][idx].to_numpy(),
        "as_of": ctx.as_of,
        "basis": basis,
    }), entities=lookup(c.loc[unknown | no_period, "project_id"], project_county(ctx)))


@check("COS12", "advance-over-cap", area="cost", severity="medium", entity_type="contract",
       inputs={"contracts": ("contract_id", "project_id", "kind", "amount"),
               "payments": ("contract_id", "type", "amount")},
       params=("advance_cap",),
       basis="财建〔2004〕369号 第十二条 (预付款不高于合同金额的30%)",
       condition={"zh": "签订日期不晚于审计基准日的工程类合同，截至审计基准日付款类型为预付款的付款合计，超过合同签订金额（不含变更）×预付款比例上限"
                        "（参数 advance_cap，默认 0.3）的部分大于0.005元的。",
                  "en": "A works contract signed on or before as_of whose payments of type advance dated on or "
                        "before as_of sum to more than advance_cap (default 0.3) × its amount as signed (changes "
                        "not included) by more than 0.005 yuan."},
       amount={"zh": "超出比例的预付款：预付款合计－合同签订金额×比例上限", "en": "advances above the cap: advances − cap × amount as signed"},
       title={"zh": "预付款超比例", "en": "Advance above cap"},
       detail={"zh": "合同签订金额{signed:wan}，截至{as_of:day}预付款合计{advances:wan}，占{share:pct-}（超过{cap:pct0}）",
               "en": "Contract signed at {signed:wan}; advances to {as_of:day} {advances:wan}, {share:pct-} of it "
                     "(above {cap:pct0})"})
def advance_over_cap(ctx: Context) -> pd.DataFrame:
    """The cap is on the contract's amount as signed (财建〔2004〕369号 第十二条: 预付款 ≤ 合同金额的30%);
    later changes do not raise it.  Only ``works`` contracts (the rule is about 工程价款)."""
    cap = float(ctx.params["advance_cap"])
    c = ctx["contracts"]
    works = c[c["kind"] == "works"]
    works = works[~works["contract_id"].duplicated()]
    pay = ctx["payments"]
    advance = (pay["type"] == "advance").fillna(False).to_numpy(dtype=bool)
    advances = payment_contracts(ctx).sums(pay["amount"].to_numpy(), "contract_id", where=advance)
    total = lookup(works["contract_id"], advances).astype("float64").fillna(0.0)
    signed = works["amount"].astype("float64")
    excess = total - cap * signed
    hit = above(total, cap * signed, money=True) & (total > 0)
    works, signed, total = works[hit], signed[hit], total[hit]
    return pd.DataFrame({"entity_id": works["contract_id"], "project_id": works["project_id"],
                         "amount": excess[hit], "signed": signed, "advances": total,
                         "share": total / signed.where(signed > 0), "cap": cap, "as_of": ctx.as_of})


@check("COS14", "settlement-reduction", area="cost", severity="medium", entity_type="contract",
       inputs={"contracts": ("contract_id", "project_id", "submitted_settlement", "audited_settlement")},
       params=("reduction_flag",),
       basis="高估冒算 (结算审减率)",
       condition={"zh": "签订日期不晚于审计基准日、送审金额大于0且有审定金额的合同，审减率（送审金额－审定金额）÷送审金额不低于（≥）审减率预警线"
                        "（参数 reduction_flag，默认 0.15）的。",
                  "en": "A contract signed on or before as_of with submitted_settlement > 0 and an "
                        "audited_settlement where (submitted_settlement − audited_settlement) / "
                        "submitted_settlement ≥ reduction_flag (default 0.15)."},
       amount={"zh": "审减额：送审金额－审定金额", "en": "the reduction: submitted − audited settlement"},
       title={"zh": "结算审减率高", "en": "Large settlement reduction"},
       detail={"zh": "送审金额{submitted:wan}，审定金额{audited:wan}，审减{reduction:wan}，审减率{rate:pct}（不低于{flag:pct0}）",
               "en": "Submitted {submitted:wan}, audited {audited:wan}: reduced by {reduction:wan}, {rate:pct} "
                     "(at least {flag:pct0})"})
def settlement_reduction(ctx: Context) -> pd.DataFrame:
    """A large 审减率 means the contractor's claim was inflated (高估冒算): the finding points the
    auditor at the contractor's other settlements and at payments made on the claim before the
    review.  The boundary is inclusive (≥), compared with a tolerance of 1e-9 on the ratio.
    No finding rests on a figure being absent (both must be there), so an unreadable one only
    leaves the contract out, as a blank one does (DQ01 reports the cell)."""
    flag = float(ctx.params["reduction_flag"])
    c = ctx["contracts"]
    c = c[~c["contract_id"].duplicated()]
    submitted = positive(c["submitted_settlement"])
    audited = c["audited_settlement"].astype("float64")
    rate = (submitted - audited) / submitted
    hit = at_least(rate, flag)
    c = c[hit]
    return pd.DataFrame({
        "entity_id": c["contract_id"], "project_id": c["project_id"], "amount": (submitted - audited)[hit],
        "submitted": submitted[hit], "audited": audited[hit], "reduction": (submitted - audited)[hit],
        "rate": rate[hit], "flag": flag})
