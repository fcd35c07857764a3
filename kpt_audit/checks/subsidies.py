"""SUB01–05: special support funds (财政专项扶持资金).

An application counts as *approved* when amount_approved > 0 and its
approval_date, when it has one, is not after as_of (an approval dated later has
not happened yet; an approved amount with no date is taken at its word).
Every SUB check looks only at approved applications: a refused or not yet
approved application has put no public money at risk.

Unreadable values (checks.md revision 2, DQ): an approval_date the loader could
not read is neither a date nor "no date": whether the approval had happened by
as_of is unknown, so no SUB check judges that application (taking it at its word
would rest on the blank the loader left).  Each check counts such applications
among those it would otherwise judge (``partly judged``); DQ01 reports the cell.
What else each check does with an unreadable value is said at the check.

Programs (revision 2): ``program_rules`` maps a program's name (as written in
``program``, surrounding blanks ignored) to its own rules — ``cap`` for SUB02,
``min_enterprise_age_days`` for SUB03.  Nothing is set by default: a cap or an age
condition is a program's own 申报条件, and the tool knows only those it is given.

The amount at issue is the approved amount concerned (SUB02: the excess over
what was applied for or the cap; SUB05: the sum approved into the shared
account).
"""
from __future__ import annotations

import difflib
from collections import Counter

import numpy as np
import pandas as pd

from .frames import lookup, most_common, normalise_text, optional_column, present, supplier_name_by_id, unreadable
from .context import Context
from .registry import NotRun, check, partly_judged


def _undated(ctx: Context) -> np.ndarray:
    """Applications approved in amount whose approval_date the loader could not read, by position."""
    def build():
        s = ctx["subsidies"]
        return ((s["amount_approved"] > 0).fillna(False).to_numpy(dtype=bool)
                & unreadable(ctx, "subsidies", "approval_date").to_numpy(dtype=bool))
    return ctx.cache("subsidies_unreadable_approval", build)


def approved_mask(ctx: Context) -> np.ndarray:
    """Approved applications of the as-of view (see the module docstring), by position; an
    application whose approval_date could not be read is not among them."""
    def build():
        s = ctx["subsidies"]
        ok = (s["amount_approved"] > 0).fillna(False).to_numpy(dtype=bool)
        if "approval_date" in ctx.raw["subsidies"]:
            # the view blanks later approvals (same rows, same order), so the raw date tells
            # "approved after as_of" from "never dated"
            ok = ok & ~(ctx.raw["subsidies"]["approval_date"] > ctx.as_of).to_numpy(dtype=bool)
        return ok & ~_undated(ctx)
    return ctx.cache("subsidies_approved", build)


def _approved(ctx: Context) -> pd.DataFrame:
    """The approved applications, freshly indexed 0..n-1 so that row labels never repeat."""
    return ctx["subsidies"][approved_mask(ctx)].reset_index(drop=True)


def _with_undated(ctx: Context) -> pd.DataFrame:
    """The approved applications and, flagged ``undated``, those approved in amount whose approval_date
    could not be read (freshly indexed): whether one of these would be a finding tells whether it is
    counted as not judged."""
    s = ctx["subsidies"]
    return pd.concat([s[approved_mask(ctx)].assign(undated=False), s[_undated(ctx)].assign(undated=True)],
                     ignore_index=True)


def _undated_counties(ctx: Context, within: np.ndarray | None = None) -> list:
    """The county of each application (of ``within``, by position: default all) left unjudged for an
    unreadable approval_date (``partly_judged``)."""
    undated = _undated(ctx) if within is None else _undated(ctx) & within
    return _county(ctx["subsidies"][undated]).tolist()


def _county(s: pd.DataFrame) -> pd.Series:
    return optional_column(s, "county")


def _enterprise_name(ctx: Context, s: pd.DataFrame) -> np.ndarray:
    """Each application's enterprise name (the finding's ``entity_name``, checks.md revision 2): its own
    enterprise_name, else the registry's name for its enterprise_id."""
    own = optional_column(s, "enterprise_name")
    registry = lookup(optional_column(s, "enterprise_id"), pd.Series(supplier_name_by_id(ctx), dtype="str"))
    return own.where(present(own), registry).to_numpy()


def _program_rule(ctx: Context, s: pd.DataFrame, rule: str) -> pd.Series:
    """Per application of ``s``: its program's ``rule`` in ``program_rules`` (NaN where none)."""
    rules = {str(name).strip(): float(r[rule]) for name, r in (ctx.params["program_rules"] or {}).items()
             if r.get(rule) is not None}
    if not rules or "program" not in s:
        return pd.Series(np.nan, index=s.index, dtype="float64")
    return s["program"].astype("str").str.strip().map(rules).astype("float64")



ZH_UNREAD_APPROVAL = ("批准日期在台账中填写但无法识别的申报（无从确定审计基准日前是否已获批）不予判定；如已获批即会列为问题的，"
                      "计入部分未判定数。")
EN_UNREAD_APPROVAL = (" An application whose approval_date was filled in but could not be read (approved by as_of or "
                      "not, unknown) is not judged; it is counted as partly judged when, approved, it would be reported.")

# ---------------------------------------------------------------------------- SUB01

def _ratio_of_pairs(first: list[str], second: list[str], threshold: float) -> np.ndarray:
    """difflib ratio for each (first, second) pair, computed once per distinct pair of titles.

    difflib's quick_ratio bound (shared characters, counted as a multiset) is never below
    the ratio, so a pair whose bound misses the threshold gets the bound and is dropped
    without the costly exact ratio.
    """
    counts: dict[str, Counter] = {}
    seen: dict[tuple[str, str], float] = {}
    out = np.empty(len(first), dtype="float64")
    for k, (a, b) in enumerate(zip(first, second)):
        key = (a, b)
        if key not in seen:
            if a == b:
                seen[key] = 1.0
            else:
                ca = counts.get(a) or counts.setdefault(a, Counter(a))
                cb = counts.get(b) or counts.setdefault(b, Counter(b))
                bound = 2.0 * sum((ca & cb).values()) / (len(a) + len(b))
                seen[key] = (difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
                             if bound >= threshold else bound)
        out[k] = seen[key]
    return out


PAIRS_PER_BATCH = 2_000_000


def _enterprise_batches(keys: pd.DataFrame):
    """Slices of ``keys`` by whole enterprises, each with about PAIRS_PER_BATCH candidate pairs,
    so memory stays bounded however the applications are spread."""
    size = keys.groupby("enterprise_id")["order"].transform("size")
    keys = keys[size > 1]
    if keys.empty:
        yield keys
        return
    per_enterprise = keys.groupby("enterprise_id").size()
    batch_of = (per_enterprise.astype("int64") ** 2).cumsum() // PAIRS_PER_BATCH
    batch = keys["enterprise_id"].map(batch_of)
    for _, part in keys.groupby(batch, sort=True):
        yield part


def _similar_pairs(keys: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """(earlier, later) application pairs of one enterprise whose titles reach the threshold."""
    pairs = keys.merge(keys, on="enterprise_id", suffixes=("_first", "_later"))
    pairs = pairs[pairs["order_first"] < pairs["order_later"]]
    # difflib's real_quick_ratio bound: pairs that cannot reach the threshold are never compared
    shorter = np.minimum(pairs["length_first"], pairs["length_later"])
    pairs = pairs[2 * shorter / (pairs["length_first"] + pairs["length_later"]) >= threshold]
    ratio = _ratio_of_pairs(pairs["norm_first"].tolist(), pairs["norm_later"].tolist(), threshold)
    pairs = pairs.assign(ratio=ratio)
    return pairs[pairs["ratio"] >= threshold]


@check("SUB01", "duplicate-subsidy", area="subsidies", severity="high", entity_type="application",
       inputs={"subsidies": ("application_id", "enterprise_id", "amount_approved", "project_title")},
       optional=(("subsidies", "approval_date"), ("subsidies", "county"), ("subsidies", "program"),
                 ("subsidies", "fiscal_year")),
       params=("title_similarity",), cross_county=True,
       basis="重复申报 (财政违法行为处罚处分条例 第十四条)",
       condition={
           "zh": "获批申报（核定金额大于0，且批准日期不晚于审计基准日或未填写批准日期）中，同一企业的两项申报，其申报项目名称经统一规范化（Unicode NFKC规范化、大小写折叠、去除空白、"
                 "标点和符号字符）后的相似度（按 difflib 序列匹配算法计算的比值）不低于（≥）名称相似度阈值（参数 title_similarity，默认 0.8）的（不论专项和年度）；"
                 "列出批准在后的一项（按批准日期排序，未填日期的排最后，同日按申报编号），每项只列一次。跨县区判定，一律使用默认参数。" + ZH_UNREAD_APPROVAL,
           "en": "Among approved applications (amount_approved > 0, approval_date on or before as_of or "
                 "blank), one enterprise holds two whose normalised project titles (NFKC, casefold, "
                 "whitespace, punctuation and symbols removed) have difflib.SequenceMatcher(autojunk=False) "
                 "ratio ≥ title_similarity (default 0.8), any program or year; the later approval (by "
                 "approval_date, undated last, ties by application_id) is flagged, once. Cross-county: always "
                 "the default parameters." + EN_UNREAD_APPROVAL},
       amount={"zh": "批准在后一项申报的核定金额",
               "en": "the approved amount of the later application"},
       title={"zh": "重复申报扶持资金", "en": "Duplicate subsidy"},
       detail={"zh": "企业{enterprise}的申报“{title}”与此前获批的{other}（“{other_title}”）名称相似度{ratio:.2f}"
                     "（不低于{threshold:g}），本次核定{approved:wan}",
               "en": "Enterprise {enterprise}: application '{title}' matches earlier approved {other} "
                     "('{other_title}') with similarity {ratio:.2f} (at least {threshold:g}); "
                     "approved {approved:wan}"})
def duplicate_subsidy(ctx: Context) -> pd.DataFrame:
    """An application with an unreadable approval_date cannot be placed before or after another
    (nor known to be approved by as_of): it is left out, and neither it nor its twin is flagged
    on its account; it is counted among those not judged when its title matches another of its
    enterprise's."""
    threshold = float(ctx.params["title_similarity"])
    s = _with_undated(ctx)
    s["norm"] = normalise_text(s["project_title"])
    s = s[s["norm"].notna()]
    date = s["approval_date"] if "approval_date" in s else pd.Series(pd.NaT, index=s.index)
    # order of approval: by date (undated last: nothing shows it came first), ties by application_id
    s = s.assign(_date=date).sort_values(["_date", "application_id"], na_position="last", kind="stable")
    s["order"] = np.arange(len(s))
    s["length"] = s["norm"].str.len()
    keys = s[["enterprise_id", "order", "norm", "length"]]
    pairs = pd.concat([_similar_pairs(batch, threshold) for batch in _enterprise_batches(keys)],
                      ignore_index=True)
    # a pair with an application of unreadable approval date is no finding; that application is counted
    undated = s.set_index("order")["undated"]
    with_undated = (undated.reindex(pairs["order_first"]).to_numpy(dtype=bool)
                    | undated.reindex(pairs["order_later"]).to_numpy(dtype=bool))
    involved = set(pairs.loc[with_undated, "order_first"]) | set(pairs.loc[with_undated, "order_later"])
    doubtful = s[s["order"].isin(involved) & s["undated"]]
    pairs = pairs[~with_undated]
    # one finding per later application: its closest earlier match (ties: the earliest)
    pairs = pairs.sort_values(["order_later", "ratio", "order_first"], ascending=[True, False, True])
    pairs = pairs.drop_duplicates("order_later")
    by_order = s.set_index("order")
    later = by_order.loc[pairs["order_later"]]
    first = by_order.loc[pairs["order_first"]]
    unjudged = _county(doubtful).tolist()
    return partly_judged(pd.DataFrame({
        "entity_id": later["application_id"].to_numpy(),
        "entity_name": _enterprise_name(ctx, later),
        "county": _county(later).to_numpy(),
        "amount": later["amount_approved"].to_numpy(),
        "enterprise": later["enterprise_id"].to_numpy(),
        "title": later["project_title"].to_numpy(),
        "other": first["application_id"].to_numpy(),
        "other_title": first["project_title"].to_numpy(),
        "ratio": pairs["ratio"].to_numpy(),
        "threshold": threshold,
        "approved": later["amount_approved"].to_numpy(),
    }), entities=unjudged)


# ---------------------------------------------------------------------------- SUB02

def _undated_over(ctx: Context) -> list:
    """The county of each application of unreadable approval date that SUB02 would report were it
    approved by as_of: above what was applied for (or that unreadable), or above its cap."""
    s = ctx["subsidies"][_undated(ctx)]
    applied = optional_column(s, "amount_applied", "float64")
    lost = unreadable(ctx, "subsidies", "amount_applied", s)
    over = (s["amount_approved"] > applied) | lost | (s["amount_approved"] > _program_rule(ctx, s, "cap"))
    return _county(s[over.to_numpy(dtype=bool)]).tolist()


@check("SUB02", "approved-over-applied", area="subsidies", severity="high", entity_type="application",
       inputs={"subsidies": ("application_id", "amount_approved")},
       optional=(("subsidies", "amount_applied"), ("subsidies", "program"), ("subsidies", "approval_date"),
                 ("subsidies", "county")),
       params=("program_rules",),
       basis="专项资金管理办法",
       condition={
           "zh": "获批申报（核定金额大于0，且批准日期不晚于审计基准日或未填写批准日期）中，核定金额高于（>）申请金额，或高于该专项的金额上限（参数 program_rules 中该专项的 cap，"
                 "按专项名称设定，默认未设）的。既无申请金额列又未设任何专项上限的，本检查不运行。" + ZH_UNREAD_APPROVAL +
                 "申请金额无法识别的，只判断是否超过专项上限（超限额按上限计）；未超上限或未设上限的不予判定，计入部分未判定数。",
           "en": "Among approved applications (amount_approved > 0, approval_date on or before as_of or "
                 "blank), amount_approved strictly above amount_applied, or above its program's cap "
                 "(program_rules[program].cap; default: none set). Not run when there is no amount_applied "
                 "column and no program has a cap." + EN_UNREAD_APPROVAL + " An application whose "
                 "amount_applied could not be read is judged against its program's cap only (the excess "
                 "over the cap); without a cap, or within it, it is not judged."},
       amount={"zh": "超出额：核定金额减去被超过的限额（申请金额或专项上限；两者均被超过时减较低者）",
               "en": "the excess: approved amount − the line exceeded (amount applied or program cap; when "
                     "both, the lower)"},
       title={"zh": "核定金额超申请或超上限", "en": "Approved above application or cap"},
       detail={  # which line the approved amount exceeds: the amount applied for, the program's cap, or both
           "applied": {"zh": "核定{approved:wan}，超过申请{applied:wan}",
                       "en": "Approved {approved:wan}, above the {applied:wan} applied for"},
           "cap": {"zh": "核定{approved:wan}，超过专项“{program}”上限{cap:wan}",
                   "en": "Approved {approved:wan}, above the cap {cap:wan} of program '{program}'"},
           "both": {"zh": "核定{approved:wan}，超过申请{applied:wan}，且超过专项“{program}”上限{cap:wan}",
                    "en": "Approved {approved:wan}, above the {applied:wan} applied for and the cap {cap:wan} "
                          "of program '{program}'"}})
def approved_over_applied(ctx: Context) -> pd.DataFrame:
    """Caps come from ``program_rules[program].cap`` (revision 1's ``program_caps`` is gone).

    Unreadable amount_applied: "approved above applied" cannot be judged, but a cap breach
    rests on the approved amount and the cap alone, so it is still a finding — worded as
    above the cap, its amount the excess over the cap (the excess over the application, if
    that was lower, cannot be known).  Otherwise the application is not judged and counted.
    """
    s = _approved(ctx)
    cap = _program_rule(ctx, s, "cap")
    if "amount_applied" not in s and not _any_rule(ctx, "cap"):
        raise NotRun("subsidies: amount_applied missing and no program cap set (program_rules)")
    applied = s["amount_applied"] if "amount_applied" in s else pd.Series(np.nan, index=s.index, dtype="float64")
    applied_unknown = unreadable(ctx, "subsidies", "amount_applied").to_numpy(dtype=bool)[approved_mask(ctx)]
    over_applied = s["amount_approved"] > applied
    over_cap = s["amount_approved"] > cap
    hit = over_applied | over_cap
    unjudged = [*_county(s[applied_unknown & ~hit.to_numpy(dtype=bool)]), *_undated_over(ctx)]
    s, applied, cap = s[hit], applied[hit], cap[hit]
    over_applied, over_cap = over_applied[hit], over_cap[hit]
    allowed = pd.concat([applied.where(over_applied), cap.where(over_cap)], axis=1).min(axis=1)
    variant = np.where(over_applied & over_cap, "both", np.where(over_applied, "applied", "cap"))
    return partly_judged(pd.DataFrame({
        "entity_id": s["application_id"],
        "entity_name": _enterprise_name(ctx, s),
        "county": _county(s),
        "amount": s["amount_approved"] - allowed,
        "variant": variant,
        "approved": s["amount_approved"],
        "applied": applied,
        "cap": cap,
        "program": optional_column(s, "program"),
    }), entities=unjudged)


def _any_rule(ctx: Context, rule: str) -> bool:
    """Whether some program of ``program_rules`` sets ``rule``."""
    return any(r.get(rule) is not None for r in (ctx.params["program_rules"] or {}).values())


# ---------------------------------------------------------------------------- SUB03

@check("SUB03", "young-recipient", area="subsidies", severity="medium", entity_type="application",
       inputs={"subsidies": ("application_id", "program", "enterprise_id", "amount_approved", "approval_date"),
               "suppliers": ("supplier_id", "registered_date")},
       optional=(("subsidies", "county"),),
       params=("program_rules",),
       basis="申报条件 (成立年限，按专项设定)",
       condition={
           "zh": "仅对设定了成立年限条件的专项判定（参数 program_rules 中该专项的 min_enterprise_age_days，默认均未设定，本检查不运行）："
                 "该专项的获批申报（核定金额大于0，且批准日期不晚于审计基准日或未填写批准日期）中，企业（以企业编码对应供应商登记中的供应商编码）成立日期至批准日期（须已填写）"
                 "相隔的天数少于（<）该专项规定的最短成立天数的（成立日期晚于批准日期的也列入）。未设定成立年限条件的专项不在判定范围内（不计入未判定数）。" + ZH_UNREAD_APPROVAL +
                 "企业成立日期无法识别的不予判定，计入部分未判定数。",
           "en": "Only programs with an age condition (program_rules[program].min_enterprise_age_days; none set "
                 "by default, when the check is not run): among that program's approved applications "
                 "(amount_approved > 0, approval_date on or before as_of or blank), the enterprise's "
                 "registered_date (suppliers, supplier_id = enterprise_id) is strictly fewer than the program's "
                 "min_enterprise_age_days days before approval_date (filled); a registration after approval is "
                 "included. Programs without an age condition are outside the check (not counted as unjudged)." +
                 EN_UNREAD_APPROVAL +
                 " An application whose enterprise's registered_date could not be read is not judged "
                 "(counted as partly judged)."},
       amount={"zh": "核定金额",
               "en": "the approved amount"},
       title={"zh": "成立不满规定年限即获扶持", "en": "Recipient too young"},
       detail={"zh": "企业{enterprise}成立于{registered:day}，获批日{approved_on:day}时仅成立{age:int}天"
                     "（专项“{program}”要求成立满{min_days:int}天），核定{approved:wan}",
               "en": "Enterprise {enterprise} registered {registered:day}, only {age:int} days before approval on "
                     "{approved_on:day} (program '{program}' requires {min_days:int}); approved {approved:wan}"})
def young_recipient(ctx: Context) -> pd.DataFrame:
    """Off by default (checks.md revision 2): an age condition is one program's 申报条件, not a
    general rule, so only programs given ``min_enterprise_age_days`` in ``program_rules`` are
    judged; with none the check is not run, saying so.

    Decision — a program without an age rule: its applications are outside the check, not
    "partly judged": the tool has no condition to judge them against (as SUB02 has no cap for
    a program without one), and counting them would report every other program's
    applications as unjudged whenever one program is configured.  The condition text says
    which programs were judged.

    Unreadable values: an approval_date (see the module docstring) or a registered_date the
    loader could not read leaves the application of a configured program unjudged (counted);
    a blank one, as before, is simply no evidence (no finding).
    """
    if not _any_rule(ctx, "min_enterprise_age_days"):
        raise NotRun("no program has an age condition (program_rules[program].min_enterprise_age_days); "
                     "off by default: the age rule is program-specific")
    subsidies = ctx["subsidies"]
    in_scope = _program_rule(ctx, subsidies, "min_enterprise_age_days").notna().to_numpy()
    sup = ctx["suppliers"].drop_duplicates("supplier_id")
    unknown_registered = sup.loc[unreadable(ctx, "suppliers", "registered_date", sup), "supplier_id"]
    s = ctx["subsidies"][approved_mask(ctx) & in_scope].reset_index(drop=True)
    min_days = _program_rule(ctx, s, "min_enterprise_age_days")
    registered = lookup(s["enterprise_id"], sup.set_index("supplier_id")["registered_date"])
    not_known = s["enterprise_id"].isin(unknown_registered) & s["approval_date"].notna()
    unjudged = [*_county(s[not_known]), *_undated_counties(ctx, in_scope)]
    age = (s["approval_date"] - registered).dt.days
    hit = age < min_days
    s, registered, age, min_days = s[hit], registered[hit], age[hit], min_days[hit]
    return partly_judged(pd.DataFrame({
        "entity_id": s["application_id"],
        "entity_name": _enterprise_name(ctx, s),
        "county": _county(s),
        "amount": s["amount_approved"],
        "enterprise": s["enterprise_id"],
        "registered": registered,
        "approved_on": s["approval_date"],
        "age": age.astype("int64"),
        "program": s["program"],
        "min_days": min_days.astype("int64"),
        "approved": s["amount_approved"],
    }), entities=unjudged)


# ---------------------------------------------------------------------------- SUB04

@check("SUB04", "late-disbursement", area="subsidies", severity="medium", entity_type="application",
       inputs={"subsidies": ("application_id", "amount_approved", "approval_date", "disbursed_date")},
       optional=(("subsidies", "county"),),
       params=("disburse_days",),
       basis="预算法 第五十七条 (及时足额拨付)",
       condition={
           "zh": "获批申报（核定金额大于0，且批准日期不晚于审计基准日或未填写批准日期）中，批准日期已填写的：已拨付的（拨付日期不晚于审计基准日），拨付日期距批准日期超过（>）拨付期限（参数 "
                 "disburse_days，默认 30天）；截至审计基准日未拨付的（拨付日期未填写或晚于审计基准日），审计基准日距批准日期超过该期限的。" + ZH_UNREAD_APPROVAL +
                 "拨付日期无法识别、且批准已超过该期限的不予判定，计入部分未判定数。",
           "en": "Among approved applications (amount_approved > 0, approval_date on or before as_of or blank) "
                 "with an approval_date: disbursed (disbursed_date on or before as_of) strictly more than "
                 "disburse_days (default 30) days after approval_date, or not disbursed by as_of (blank or "
                 "later disbursed_date) and approved strictly more than disburse_days days before as_of." +
                 EN_UNREAD_APPROVAL + " An application approved more than disburse_days days before as_of "
                 "whose disbursed_date could not be read is not judged (counted as partly judged)."},
       amount={"zh": "核定金额",
               "en": "the approved amount"},
       title={"zh": "扶持资金拨付不及时", "en": "Late disbursement"},
       detail={  # disbursed late, or not disbursed by as_of
           "late": {"zh": "{approved_on:day}获批，{disbursed_on:day}才拨付，间隔{days:int}天（超过{limit}天）",
                    "en": "Approved {approved_on:day}, disbursed only {disbursed_on:day}: {days:int} days "
                          "(more than {limit})"},
           "pending": {"zh": "{approved_on:day}获批，截至{as_of:day}已{days:int}天仍未拨付（超过{limit}天），"
                             "核定{approved:wan}",
                       "en": "Approved {approved_on:day}; still not disbursed by {as_of:day}, {days:int} days later "
                             "(more than {limit}); approved {approved:wan}"}})
def late_disbursement(ctx: Context) -> pd.DataFrame:
    """Unreadable disbursed_date: "not disbursed" would rest on the blank the loader left, and a
    late disbursement cannot be measured, so an application approved more than the limit
    before as_of is not judged (counted); one approved more recently cannot be late either way."""
    limit = ctx.params["disburse_days"]
    s = _approved(ctx)
    unknown = unreadable(ctx, "subsidies", "disbursed_date").to_numpy(dtype=bool)[approved_mask(ctx)]
    unknown = pd.Series(unknown, index=s.index) & ((ctx.as_of - s["approval_date"]).dt.days > limit)
    unjudged = [*_county(s[unknown]), *_undated_counties(ctx)]
    s = s[~unknown]
    disbursed = s["disbursed_date"].notna()
    # the view blanks disbursements after as_of, so those wait until as_of here
    until = s["disbursed_date"].where(disbursed, ctx.as_of)
    days = (until - s["approval_date"]).dt.days
    hit = days > limit
    s, days, disbursed = s[hit], days[hit], disbursed[hit]
    return partly_judged(pd.DataFrame({
        "entity_id": s["application_id"],
        "entity_name": _enterprise_name(ctx, s),
        "county": _county(s),
        "amount": s["amount_approved"],
        "variant": disbursed.map({True: "late", False: "pending"}),
        "approved_on": s["approval_date"],
        "disbursed_on": s["disbursed_date"],
        "days": days.astype("int64"),
        "limit": limit,
        "as_of": ctx.as_of,
        "approved": s["amount_approved"],
    }), entities=unjudged)


# ---------------------------------------------------------------------------- SUB05

def _account_tail(account: str) -> str:
    """Only the last four characters (the detail shows them after ****): the account is personal
    data and the detail is shared."""
    return account[-4:]


@check("SUB05", "shared-account", area="subsidies", severity="high", entity_type="account_group",
       inputs={"subsidies": ("application_id", "enterprise_id", "amount_approved", "bank_account")},
       optional=(("subsidies", "approval_date"), ("subsidies", "county")),
       cross_county=True,
       basis="虚报冒领 (财政违法行为处罚处分条例 第十四条)",
       condition={
           "zh": "获批申报（核定金额大于0，且批准日期不晚于审计基准日或未填写批准日期）中，收款账户经统一规范化（Unicode NFKC规范化、大小写折叠、去除空白、标点和符号字符；"
                 "规范化后为空或为占位值的不参与）后相同、而对应的企业编码不止一个的，该账户下的全部获批申报作为一组列出，县区取组内申报最多的县区（相同时取名称最小者）。跨县区判定。" + ZH_UNREAD_APPROVAL,
           "en": "Among approved applications (amount_approved > 0, approval_date on or before as_of or "
                 "blank), one normalised bank_account (NFKC, casefold, whitespace, punctuation and symbols "
                 "removed; empty and placeholder values never match) is used by more than one enterprise_id; "
                 "all approved applications on it form one group, in the county most of them are in (a tie: the smallest name, as PRO12). Cross-county." + EN_UNREAD_APPROVAL},
       amount={"zh": "该账户下全部获批申报的核定金额合计",
               "en": "the total approved amount paid into the shared account"},
       title={"zh": "多家企业共用收款账户", "en": "Account shared by several enterprises"},
       detail={"zh": "{enterprises:int}家企业（{enterprise_ids:ids}）的{applications:int}笔获批申报使用同一收款账户"
                     "****{account_tail}，合计核定{total:wan}",
               "en": "{applications:int} approved applications of {enterprises:int} enterprises ({enterprise_ids:ids}) "
                     "are paid into one account ****{account_tail}; approved in total {total:wan}"})
def shared_account(ctx: Context) -> pd.DataFrame:
    """An application with an unreadable approval_date is not known to have been paid by as_of:
    it is in no group (a group it would complete is not formed on its account) and is counted
    when its account is another enterprise's too."""
    s = _with_undated(ctx)
    s["account"] = normalise_text(s["bank_account"])
    s = s[s["account"].notna()]
    # an application of unreadable approval date is counted when its account is another enterprise's too
    shared = s.groupby("account")["enterprise_id"].transform("nunique") > 1
    unjudged = _county(s[shared & s["undated"]]).tolist()
    s = s[~s["undated"]]
    shared = s.groupby("account")["enterprise_id"].transform("nunique") > 1
    s = s[shared].sort_values(["account", "application_id"])
    if s.empty:
        return partly_judged(pd.DataFrame(), entities=unjudged)
    g = s.groupby("account", sort=True)
    out = pd.DataFrame({
        "entity_id": g["application_id"].agg(lambda ids: "+".join(sorted(ids))),
        "amount": g["amount_approved"].sum(),
        "enterprises": g["enterprise_id"].nunique(),
        "enterprise_ids": g["enterprise_id"].agg(lambda ids: sorted(set(ids))),
        "applications": g.size(),
    })
    # the applications' county when they share one, else the most common (ties: the smallest name)
    out["county"] = most_common(pd.DataFrame({"account": s["account"], "county": _county(s)}), "account",
                                "county").reindex(out.index)
    out["account_tail"] = [_account_tail(a) for a in out.index]
    out["total"] = out["amount"]
    return partly_judged(out.reset_index(drop=True), entities=unjudged)
