"""COS06, COS07, COS09–COS11: cost control on single payments (资金支付), and the Benford metric.

Unknown values (checks.md revision 2): COS11's finding rests on a contract having no
settlement; a contract whose settlement_amount or audited_settlement could not be read is not
taken as unsettled (its final payments are not judged, and are counted).  COS10's payee_role is
an enum: an unrecognised role is emptied with a warning only (data-model.md), so it excuses
nothing, like an empty one.
"""
from __future__ import annotations

import math
import sys
from functools import cache

import numpy as np
import pandas as pd

from .context import Context
from .frames import (PLACEHOLDERS, isin, lookup, optional_column, pair_codes, payment_contracts, payment_payees,
                     payment_projects, positions, project_county, take, take_rows, unreadable)
from .registry import NotRun, check, metric, partly_judged

BENFORD_MIN_AMOUNT = 10.0
DIGITS = np.arange(1, 10)
BENFORD_EXPECTED = pd.Series(np.log10(1 + 1 / DIGITS), index=DIGITS)
LARGEST_DOUBLE = int(sys.float_info.max)


def payment_frame(hit: pd.DataFrame, **fields) -> pd.DataFrame:
    """The common columns of a payment finding: the later payment is the entity, its amount at issue."""
    return pd.DataFrame({"entity_id": hit["payment_id"], "project_id": hit["project_id"],
                         "amount": hit["amount"].astype("float64"),
                         "paid_on": hit["date"], "paid": hit["amount"].astype("float64"), **fields})


# --- COS06 duplicate payments ---------------------------------------------------------------------

def invoice_numbers(s: pd.Series) -> pd.Series:
    """invoice_no stripped; blank and placeholder values (无, 0, na, 不详) are no invoice at all."""
    stripped = s.astype("str").str.strip()
    return stripped.mask(stripped.str.casefold().isin(PLACEHOLDERS))


def same_invoice_repeats(pay: pd.DataFrame) -> pd.DataFrame:
    """Every payment after the first (by date, then payment_id) of its (payee, amount, invoice) group."""
    keys = ["payee_id", "fen", "invoice"]
    pay = pay[pay["invoice"].notna()]
    pay = pay[pay.duplicated(keys, keep=False)]
    pay = pay.sort_values(keys + ["date", "payment_id"], kind="stable", na_position="last")
    first = pay.groupby(keys, sort=False)[["payment_id", "date"]].transform("first")
    later = pay.duplicated(keys, keep="first")
    return pay[later].assign(ref_id=first["payment_id"][later], ref_date=first["date"][later], rule="invoice")


def close_repeats_without_invoice(pay: pd.DataFrame, dup_days: int) -> pd.DataFrame:
    """Payments without invoice repeating the previous one of (payee, contract, amount) within dup_days.

    Sorted by date, a payment has an earlier twin within dup_days exactly when its
    immediate predecessor is one, so comparing with the previous row is enough;
    a chain A, B, C flags B and C.
    """
    keys = ["payee_id", "contract_id", "fen"]
    pay = pay[pay["invoice"].isna() & pay["contract_id"].notna()]
    pay = pay[pay.duplicated(keys, keep=False)]
    pay = pay.sort_values(keys + ["date", "payment_id"], kind="stable", na_position="last")
    previous = pay.shift()
    same_group = (pay[keys] == previous[keys]).all(axis=1)
    gap = (pay["date"] - previous["date"]).dt.days
    hit = same_group & (gap <= dup_days)
    return pay[hit].assign(ref_id=previous["payment_id"][hit], ref_date=previous["date"][hit],
                           gap=gap[hit], rule="close")


@check("COS06", "duplicate-payment", area="cost", severity="high", entity_type="payment",
       inputs={"payments": ("payment_id", "project_id", "payee_id", "date", "amount")},
       optional=(("payments", "invoice_no"), ("payments", "contract_id")),
       params=("dup_days",),
       basis="重复支付 (内部控制)",
       condition={
           "zh": "截至审计基准日、金额大于0且收款人已填写的付款中：（1）收款人相同、金额相同（精确到分）且发票号相同并不为空（去除首尾空格；“无”“0”“na”“不详”视为无发票号）的，不论付款日期，"
                 "除最早一笔（按付款日期、再按付款编号排序，日期未填的排最后）外，其余各笔均列出；（2）均无发票号、收款人相同、金额相同（精确到分）、合同编号相同（须已填写）的，"
                 "按付款日期排序后与前一笔相隔不超过（≤）重复付款天数（参数 dup_days，默认 7天）的，列出后一笔。",
           "en": "Among payments dated on or before as_of with amount > 0 and a payee: (1) same payee, same "
                 "amount (to the fen) and the same non-empty invoice_no (trimmed; 无, 0, na, 不详 count as none), "
                 "whatever the dates — every payment after the first (by date, then payment_id, undated last) "
                 "is flagged; (2) both without invoice_no, same payee, same amount (to the fen), same "
                 "contract_id (filled), and at most (≤) dup_days (default 7) days after the previous such "
                 "payment in date order — the later one is flagged."},
       amount={"zh": "被判定为重复的那笔（较晚一笔）付款的金额",
               "en": "the amount of the flagged (later) payment"},
       title={"zh": "重复支付", "en": "Duplicate payment"},
       detail={"invoice": {"zh": "与支付{ref}（{ref_date:day}）收款人相同、金额{paid:wan}相同、发票号{invoice}相同",
                           "en": "Same payee, amount {paid:wan} and invoice {invoice} as payment {ref} ({ref_date:day})"},
               "close": {"zh": "与支付{ref}（{ref_date:day}）收款人相同、金额{paid:wan}相同、合同{contract}相同，均无发票号，"
                               "相隔{gap:int}天（不超过{dup_days}天）",
                         "en": "Same payee, amount {paid:wan} and contract {contract} as payment {ref} ({ref_date:day}), "
                               "neither with an invoice, {gap:int} days apart (at most {dup_days})"}})
def duplicate_payment(ctx: Context) -> pd.DataFrame:
    dup_days = int(ctx.params["dup_days"])
    pay = ctx["payments"]
    # a refund or reversal repeated is not money paid out twice
    rows = np.flatnonzero((pay["payee_id"].notna() & (pay["amount"] > 0)).to_numpy())
    fen = np.round(pay["amount"].to_numpy()[rows] * 100).astype("int64")
    # both rules need the same payee and amount: narrow to those first (on integer codes, before
    # copying any text), it leaves few rows
    repeated = pd.Series(pair_codes(payment_payees(ctx).code[rows], fen)).duplicated(keep=False).to_numpy()
    pay = take_rows(pay, rows[repeated]).assign(fen=fen[repeated])
    pay = pay.assign(invoice=invoice_numbers(optional_column(pay, "invoice_no")),
                     contract_id=optional_column(pay, "contract_id"))
    hit = pd.concat([same_invoice_repeats(pay), close_repeats_without_invoice(pay, dup_days)])
    return payment_frame(hit, variant=hit["rule"], ref=hit["ref_id"], ref_date=hit["ref_date"],
                         invoice=hit["invoice"], contract=hit["contract_id"], gap=hit["gap"].astype("Int64"),
                         dup_days=dup_days)


# --- COS07, COS10, COS11 single-payment rules -------------------------------------------------------

@check("COS07", "payment-before-contract", area="cost", severity="medium", entity_type="payment",
       inputs={"payments": ("payment_id", "project_id", "contract_id", "date", "amount"),
               "contracts": ("contract_id", "sign_date")},
       basis="无合同依据付款 (内部控制)",
       condition={
           "zh": "截至审计基准日的付款，其付款日期早于所属合同签订日期的（合同签订日期按合同台账所载，含审计基准日之后签订的合同）。",
           "en": "A payment dated on or before as_of whose date is strictly before its contract's sign_date "
                 "(as recorded, including contracts signed after as_of)."},
       amount={"zh": "该笔付款的金额",
               "en": "the amount of the payment"},
       title={"zh": "先付款后签合同", "en": "Payment before contract"},
       detail={"zh": "{paid_on:day}支付{paid:wan}，比合同{contract_id}签订日期{signed_on:day}早{days:int}天",
               "en": "Paid {paid:wan} on {paid_on:day}, {days:int} days before contract {contract_id} was signed "
                     "on {signed_on:day}"})
def payment_before_contract(ctx: Context) -> pd.DataFrame:
    pay = ctx["payments"]
    # a contract signed after as_of is absent from the as-of view, yet a payment made before it is
    # still made before its signing
    contracts = ctx.raw["contracts"]
    signed = take(contracts["sign_date"], payment_contracts(ctx).positions_in(contracts["contract_id"]),
                  index=pay.index)
    early = (pay["date"] < signed).to_numpy()
    # positional selection: a label look-up would hash the million-row index first
    hit, signed = take_rows(pay, early), signed[early]
    return payment_frame(hit, contract_id=hit["contract_id"], signed_on=signed,
                         days=(signed - hit["date"]).dt.days.astype("int64"))


# payee roles that explain a payee other than the contractor (checks.md revision 2, COS10)
EXCUSING_ROLES = ("wage_account", "consortium", "assignee", "court")
COS10_ROLE = {"none": ("", ""), "contractor": ("（收款人类型：中标/施工单位）", " (payee role: contractor)"),
              "other": ("（收款人类型：其他）", " (payee role: other)")}


@check("COS10", "payee-not-contractor", area="cost", severity="high", entity_type="payment",
       inputs={"payments": ("payment_id", "project_id", "contract_id", "payee_id", "amount"),
               "contracts": ("contract_id", "supplier_id")},
       optional=(("payments", "date"), ("payments", "payee_role")),
       basis="建筑法 第二十八条 (转包); 招标投标法 第四十八条",
       condition={
           "zh": "截至审计基准日、关联合同（签订日期不晚于审计基准日）的付款，其收款人已填写且与该合同的供应商（合同乙方，须已填写）不同的；"
                 "收款人类型为农民工工资专用账户、联合体成员、保理/债权受让人或法院扣划的除外；收款人类型为中标/施工单位、其他或未填写的，不能解释收款人不同。",
           "en": "A payment dated on or before as_of on a contract signed on or before as_of whose payee_id is "
                 "filled and differs from the contract's supplier_id (filled), unless its payee_role is "
                 "wage_account (农民工工资专用账户), consortium (联合体成员), assignee (保理/债权受让) or court "
                 "(法院扣划); a payee_role of contractor or other, or none, does not excuse a different payee."},
       amount={"zh": "该笔付款的金额",
               "en": "the amount of the payment"},
       title={"zh": "收款人非合同乙方", "en": "Payee is not the contractor"},
       detail={role: {"zh": "{paid_on:day}支付{paid:wan}给{payee_id}" + zh + "，而合同{contract_id}的乙方为{supplier_id}",
                      "en": "Paid {paid:wan} on {paid_on:day} to {payee_id}" + en + "; contract {contract_id} is with "
                            "{supplier_id}"}
               for role, (zh, en) in COS10_ROLE.items()})
def payee_not_contractor(ctx: Context) -> pd.DataFrame:
    """Money paid into the migrant-wage account (保障农民工工资支付条例 第二十九条), to a member of the
    winning consortium, to a factoring assignee or by a court's deduction lawfully goes to
    someone other than the contractor; ``contractor`` written beside a different payee is a
    contradiction, not an excuse, and ``other`` says nothing."""
    pay = ctx["payments"]
    if "date" not in pay:
        pay = pay.assign(date=pd.NaT)
    contracts = ctx["contracts"]
    at = payment_contracts(ctx).positions_in(contracts["contract_id"])
    # payee and supplier compared as codes among the payees: a supplier never paid has none (-1),
    # and differs from every payee
    payee = payment_payees(ctx).code
    supplier_missing = contracts["supplier_id"].isna().to_numpy()
    supplier = positions(contracts["supplier_id"], payment_payees(ctx).values)
    if len(contracts):
        known = np.maximum(at, 0)
        other = (at >= 0) & ~supplier_missing[known] & (payee >= 0) & (payee != supplier[known])
    else:
        other = np.zeros(len(pay), dtype=bool)
    if "payee_role" in pay.columns:
        other &= ~isin(pay["payee_role"], list(EXCUSING_ROLES)).fillna(False).to_numpy(dtype=bool)
    hit = take_rows(pay, other)
    role = optional_column(hit, "payee_role")
    variant = role.where(isin(role, ["contractor", "other"]).fillna(False).astype(bool), "none")
    return payment_frame(hit, variant=variant.astype("str"), payee_id=hit["payee_id"],
                         contract_id=hit["contract_id"],
                         supplier_id=take(contracts["supplier_id"], at[other], index=hit.index))


@check("COS11", "final-without-settlement", area="cost", severity="medium", entity_type="payment",
       inputs={"payments": ("payment_id", "project_id", "contract_id", "type", "amount"),
               "contracts": ("contract_id",)},
       optional=(("payments", "date"), ("contracts", "settlement_amount"), ("contracts", "audited_settlement"),
                 ("contracts", "submitted_settlement")),
       basis="建设工程价款结算暂行办法 (财建〔2004〕369号) 第十四条",
       condition={
           "zh": "截至审计基准日、付款类型为结算款、所属合同（签订日期不晚于审计基准日）既无结算金额也无审定金额的付款（建设单位尚未完成结算审核即支付结算款）；"
                 "仅有施工单位送审金额的不算已结算；不要求审计机关审计（不以审代结）。结算金额或审定金额填写了但无法识别的合同，其结算款不作判定，计入“部分未判定”数。"
                 "合同台账既无结算金额列也无审定金额列的，本检查不运行。",
           "en": "A payment of type final dated on or before as_of on a contract signed on or before as_of "
                 "that has neither settlement_amount nor audited_settlement: paid in full before the owner's "
                 "settlement (结算审核) was done; a submitted_settlement alone does not count (it is the "
                 "contractor's claim), and an audit office's audit is not required (以审代结 is not the rule). "
                 "Final payments on a contract whose settlement_amount or audited_settlement could not be read "
                 "are not judged and are counted as partly judged. Not run when contracts has neither a "
                 "settlement_amount nor an audited_settlement column."},
       amount={"zh": "该笔付款的金额",
               "en": "the amount of the payment"},
       title={"zh": "未办结算支付结算款", "en": "Final payment before settlement"},
       detail={"none": {"zh": "{paid_on:day}支付结算款{paid:wan}，合同{contract_id}尚无结算金额和审定金额",
                        "en": "Final payment {paid:wan} on {paid_on:day}; contract {contract_id} has neither a "
                              "settlement amount nor an audited settlement"},
               "submitted": {"zh": "{paid_on:day}支付结算款{paid:wan}，合同{contract_id}尚无结算金额和审定金额"
                                   "（仅有送审金额{submitted:wan}）",
                             "en": "Final payment {paid:wan} on {paid_on:day}; contract {contract_id} has neither a "
                                   "settlement amount nor an audited settlement (only a submitted claim of "
                                   "{submitted:wan})"}})
def final_without_settlement(ctx: Context) -> pd.DataFrame:
    """Revision 2: the owner's settlement (settlement_amount, or the audited figure) is what a
    final payment needs (财建〔2004〕369号 第十四条); revision 1 asked for an audited settlement,
    which made 以审代结 the rule.  With only one of the two columns kept, that one decides; a
    ledger with neither cannot tell settled contracts apart and is not judged (flagging every
    final payment would bury the real findings)."""
    contracts = ctx["contracts"]
    columns = [c for c in ("settlement_amount", "audited_settlement") if c in contracts.columns]
    if not columns:
        raise NotRun("contracts: column(s) settlement_amount and audited_settlement missing")
    pay = ctx["payments"]
    if "date" not in pay:
        pay = pay.assign(date=pd.NaT)
    unsettled = pd.concat([contracts[c].isna() for c in columns], axis=1).all(axis=1)
    unknown = unsettled & pd.concat([unreadable(ctx, "contracts", c) for c in columns], axis=1).any(axis=1)
    final = (pay["type"] == "final").fillna(False).to_numpy(dtype=bool)
    on_unsettled = payment_contracts(ctx).isin(contracts.loc[unsettled & ~unknown, "contract_id"])
    on_unknown = payment_contracts(ctx).isin(contracts.loc[unknown, "contract_id"])
    hit = take_rows(pay, final & on_unsettled)
    submitted = take(optional_column(contracts, "submitted_settlement", "float64"),
                     positions(hit["contract_id"], contracts["contract_id"]), index=hit.index)
    return partly_judged(payment_frame(hit, contract_id=hit["contract_id"], submitted=submitted,
                                       variant=np.where(submitted.notna(), "submitted", "none")),
                         entities=lookup(take_rows(pay, final & on_unknown)["project_id"], project_county(ctx)))


# --- COS09 Benford ------------------------------------------------------------------------------------

@cache
def digit_starts() -> np.ndarray:
    """Every d × 10**e (d = 1..9) up to the largest double, ascending, each as the smallest double not
    below it: ``x >= start`` then holds exactly when x ≥ d × 10**e, even where d × 10**e is no double
    (0.1, 1e23).  Computed exactly, once: d × 10**e is the fraction num / den of two integers, Python
    rounds their division to the nearest double, and whether that double fell below is asked of
    integers (its own exact fraction p / q against num / den)."""
    starts = []
    for e in range(-324, 309):  # 10**-324 is below the smallest positive double, 10**309 above the largest
        for d in range(1, 10):
            num, den = (d * 10 ** e, 1) if e >= 0 else (d, 10 ** -e)
            if num > LARGEST_DOUBLE * den:
                break
            nearest = num / den
            p, q = nearest.as_integer_ratio()
            starts.append(nearest if p * den >= num * q else math.nextafter(nearest, math.inf))
    return np.array(starts)


def first_digit(x: np.ndarray) -> np.ndarray:
    """Leading decimal digit of each positive finite value, exact.

    The digit of x is the d of the largest d × 10**e not above x: one binary search among the
    digit starts.  Arithmetic would be off next to a power of ten (log10(999.9999999999999) is 3.0,
    and 9.999999999999999e22 / 1e22 rounds to 10).
    """
    # nine starts a decade: the last start not above x, d × 10**e, has the index 9k + d - 1 (k: its decade,
    # from 10**-324).  The arithmetic guess of it is checked against the starts, and searched for only
    # where it misses (next to a power of ten): as exact, half the time on a million values.  Worked in
    # place on three arrays (a temporary per step would touch ten times the memory).
    x = np.asarray(x, dtype="float64")
    starts, powers = digit_starts(), _decade_powers()
    upper = np.append(starts[1:], np.inf)  # each start's successor
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        work = np.log10(x)
        np.floor(work, out=work)
        np.nan_to_num(work, copy=False, nan=-324.0, posinf=308.0, neginf=-324.0)
        np.clip(work, -324.0, 308.0, out=work)
        work += 324.0  # the decade's position among the powers
        index = work.astype("int64")
        scaled = np.take(powers, index)
        np.divide(x, scaled, out=scaled)
        np.floor(scaled, out=scaled)  # the leading digit, give or take one
        work *= 9.0
        work += scaled
        work -= 1.0
        np.nan_to_num(work, copy=False, nan=0.0, posinf=len(starts) - 1.0, neginf=0.0)
        np.clip(work, 0.0, len(starts) - 1.0, out=work)
        np.copyto(index, work, casting="unsafe")  # the guessed start
    ok = np.take(starts, index, out=scaled) <= x
    ok &= x < np.take(upper, index, out=scaled)
    index += 1  # the count of starts not above x
    miss = np.flatnonzero(~ok)
    index[miss] = np.searchsorted(starts, x[miss], side="right")
    index -= 1
    np.remainder(index, 9, out=index)
    index += 1
    return index


@cache
def _decade_powers() -> np.ndarray:
    """10.0**e for e = -324 … 308, for a first guess of a value's decade (its first entry underflows to 0)."""
    return 10.0 ** np.arange(-324, 309, dtype="float64")


def benford_counts(ctx: Context) -> pd.DataFrame:
    """Per county (index): counts of first digits 1..9 of payment amounts ≥ 10 yuan up to as_of."""
    def build():
        pay = ctx["payments"]
        # money is kept to the fen: 0.1万元 read as 999.9999999999999 is 1000 yuan
        amount = pay["amount"].astype("float64").round(2).to_numpy()
        projects = ctx["projects"]
        # counties as codes in sorted order, so one bincount over county x digit does the counting
        county_code, counties = pd.factorize(projects["county"], sort=True)
        at = payment_projects(ctx).positions_in(projects["project_id"])
        county = np.where(at >= 0, county_code[np.maximum(at, 0)] if len(county_code) else -1, -1)
        keep = (amount >= BENFORD_MIN_AMOUNT) & (county >= 0)
        digits = first_digit(amount[keep])
        table = np.bincount(county[keep] * 10 + digits, minlength=len(counties) * 10).reshape(-1, 10)[:, 1:]
        seen = table.sum(axis=1) > 0
        return pd.DataFrame(table[seen].astype("int64"), index=pd.Index(counties[seen], dtype="str", name="county"),
                            columns=pd.Index(DIGITS, name="digit"))
    return ctx.cache("cos_benford_counts", build)


@check("COS09", "benford", area="cost", severity="low", entity_type="county",
       inputs={"payments": ("project_id", "amount"), "projects": ("project_id", "county")},
       params=("benford_min_n", "benford_mad"),
       basis="本福特定律首位数字检验 (Nigrini 平均绝对偏差)",
       condition={
           "zh": "按付款所属项目的县区，汇总截至审计基准日、金额（四舍五入到分）不低于10元的付款；笔数不少于（≥）最少样本量（参数 benford_min_n，默认 300笔）的县区，"
                 "计算首位数字1至9的实际占比与本福特定律期望占比 lg(1+1/d)（d为首位数字）之差的绝对值的平均数（平均绝对偏差），大于（>）偏离阈值（参数 benford_mad，默认 "
                 "0.015）的。",
           "en": "Per county of the payment's project, payments dated on or before as_of with amount (rounded "
                 "to the fen) ≥ 10 yuan; where their number is at least (≥) benford_min_n (default 300), the "
                 "mean over digits 1–9 of |observed first-digit share − log10(1 + 1/d)| is strictly greater "
                 "than benford_mad (default 0.015)."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "支付金额首位数字偏离本福特定律", "en": "Payments deviate from Benford's law"},
       detail={"zh": "{n}笔支付（10元及以上）首位数字MAD={mad:.4f}，超过{limit:g}；偏多最明显的首位数字为{digit}"
                     "（实际{observed:pct}，期望{expected:pct}）",
               "en": "{n} payments (10 yuan or more): first-digit MAD {mad:.4f}, above {limit:g}; digit {digit} is "
                     "the most over-represented ({observed:pct} against {expected:pct} expected)"})
def benford(ctx: Context) -> pd.DataFrame:
    counts = benford_counts(ctx)
    n = counts.sum(axis=1)
    observed = counts.div(n.where(n > 0), axis=0)
    deviation = observed - BENFORD_EXPECTED
    # the mean of nine deviations summed exactly: numpy's row mean changes in the last bit with the number
    # of counties in the frame, and a county's MAD must not depend on the others
    mad = pd.Series([math.fsum(row) / len(row) for row in deviation.abs().to_numpy()], index=deviation.index,
                    dtype="float64")
    limit = float(ctx.params["benford_mad"])
    hit = (n >= int(ctx.params["benford_min_n"])) & (mad - limit > 1e-12)
    counties = counts.index[hit.to_numpy()]
    worst = deviation.loc[counties].idxmax(axis=1) if len(counties) else pd.Series(dtype="int64")
    worst_observed = pd.Series([observed.at[c, d] for c, d in worst.items()], index=worst.index, dtype="float64")
    return pd.DataFrame({
        "entity_id": counties.astype("str"),
        "county": counties.astype("str"),
        "n": n[counties].astype("int64").to_numpy(),
        "mad": mad[counties].to_numpy(),
        "limit": limit,
        "digit": worst.astype("int64").to_numpy(),
        "observed": worst_observed.to_numpy(),
        "expected": BENFORD_EXPECTED.reindex(worst.to_numpy()).to_numpy(),
    })


@metric("benford", inputs={"payments": ("project_id", "amount"), "projects": ("project_id", "county")})
def benford_table(ctx: Context, findings: pd.DataFrame) -> pd.DataFrame:
    """First-digit shares per county for the report's Benford chart (every county with an amount ≥ 10)."""
    counts = benford_counts(ctx)
    n = counts.sum(axis=1)
    long = counts.stack().rename("count").reset_index()
    long["n"] = long["county"].map(n).astype("int64")
    long["observed"] = long["count"] / long["n"]
    long["expected"] = long["digit"].map(BENFORD_EXPECTED)
    long = long.sort_values(["county", "digit"], kind="stable").reset_index(drop=True)
    return long[["county", "digit", "observed", "expected", "n"]]
