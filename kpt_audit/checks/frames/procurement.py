"""Procurement frames (built once per run): tenders by id, bids as codes, suppliers' names.

An award dated after as_of has not happened yet (checks.md), but tenders are
not masked by the context: their award date matters with its value.
``tender_frame`` therefore blanks award_date, award_amount and winner_id of such
tenders once, so every tender check sees the same award.  The contract checks
PRO07/PRO08 compare a signed contract with its tender's award record as
written (``contracts_with_award``), because a contract signed before an award
that came after as_of is precisely what PRO07 looks for.

Revision 2 adds to ``tender_frame`` the columns the threshold checks and the
award checks share: the optional service_type, item_code, exemption and
method_approval; ``event_date`` (notice_date, else award_date: the day whose
rule applies); and whether a value rests on a cell the loader could not read
(``value_unknown``: the tender value came from a fallback, or from an award
whose date is unreadable; ``event_unknown``: the event date; ``award_unknown``:
an award whose date is unreadable, so whether it was made by as_of is unknown).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..context import Context
from ..registry import NotRun
from .codes import BidCodes
from .common import most_common, optional_column, present, unreadable
from .keys import lookup, positions, take
from .projects import project_county

COMPETITIVE = ("open", "invited")
CNY_SPELLINGS = frozenset({"cny", "rmb", "人民币", "元"})

# optional tender columns a tender finding reads (its project, county and amount)
TENDER_OPTIONAL = tuple(("tenders", c) for c in (
    "project_id", "budget", "ceiling_price", "award_amount", "award_date", "currency"))
TENDER_AWARD = tuple(("tenders", c) for c in ("project_id", "winner_id", "award_amount", "award_date",
                                              "budget", "ceiling_price"))


def tender_frame(ctx: Context) -> pd.DataFrame:
    """Tenders with awards after as_of blanked, every optional column present, plus
    ``value`` (budget, else ceiling_price, else award_amount — checks.md, Thresholds),
    ``value_source`` (which of them) and ``linked`` (has a project)."""
    def build():
        t = ctx["tenders"].copy()
        for name, dtype in (("project_id", "str"), ("winner_id", "str"), ("award_date", "datetime64[ns]"),
                            ("award_amount", "float64"), ("budget", "float64"), ("ceiling_price", "float64"),
                            ("notice_date", "datetime64[ns]"), ("bid_deadline", "datetime64[ns]")):
            if name not in t.columns:
                t[name] = optional_column(t, name, dtype)
        future = t["award_date"] > ctx.as_of
        if future.any():
            t.loc[future, "award_date"] = pd.NaT
            t.loc[future, "award_amount"] = float("nan")
            t.loc[future, "winner_id"] = None
        value, value_source = np.full(len(t), np.nan), np.full(len(t), None, dtype=object)
        for source in ("award_amount", "ceiling_price", "budget"):  # later wins
            known = t[source].notna().to_numpy()
            value[known] = t[source].astype("float64").to_numpy()[known]
            value_source[known] = source
        t["value"] = value
        t["value_source"] = pd.Series(value_source, index=t.index, dtype="object")
        t["linked"] = present(t["project_id"])
        for name in ("service_type", "item_code", "exemption", "method_approval"):
            if name not in t.columns:
                t[name] = optional_column(t, name)
        t["event_date"] = t["notice_date"].where(t["notice_date"].notna(), t["award_date"])
        _mark_unknown(ctx, t)
        return t
    return ctx.cache("tenders.frame", build)


def _mark_unknown(ctx: Context, t: pd.DataFrame) -> None:
    """Flag the tenders whose value, event date or award rests on a cell the loader could not read."""
    u = {c: unreadable(ctx, "tenders", c, t).to_numpy(dtype=bool)
         for c in ("budget", "ceiling_price", "award_amount", "notice_date", "award_date")}
    source = t["value_source"]
    from_award = (source == "award_amount").to_numpy(dtype=bool)
    no_value = source.isna().to_numpy(dtype=bool)
    # the value came from a fallback standing in for an unreadable cell, or from an award whose date
    # is unreadable (it might be after as_of, when the award does not count yet)
    t["value_unknown"] = (u["budget"] | (u["ceiling_price"] & (from_award | no_value))
                          | (u["award_amount"] & no_value) | (from_award & u["award_date"]))
    t["event_unknown"] = u["notice_date"] | (t["notice_date"].isna().to_numpy() & u["award_date"])
    t["award_amount_unknown"] = u["award_amount"]
    awarded = (present(t["winner_id"]) | t["award_amount"].notna()).to_numpy(dtype=bool)
    t["award_unknown"] = awarded & u["award_date"]


def project_lookups(ctx: Context) -> pd.DataFrame:
    """Per project_id (first row): category, total_investment and ``total_unknown`` (the loader could not
    read the total: PRO01 might have reported the project's procurement by it, so PRO02 and PRO16 do not
    judge that procurement)."""
    def build():
        if not ctx.has("projects", "project_id"):
            return pd.DataFrame({"category": pd.Series(dtype="str"), "total": pd.Series(dtype="float64"),
                                 "total_unknown": pd.Series(dtype="bool")})
        p = ctx["projects"]
        first = ~p["project_id"].duplicated()
        out = pd.DataFrame({"category": optional_column(p, "category"),
                            "total": optional_column(p, "total_investment", "float64"),
                            "total_unknown": unreadable(ctx, "projects", "total_investment")})[first]
        out.index = pd.Index(p["project_id"][first], dtype="str")
        return out
    return ctx.cache("projects.procurement", build)


def tender_by_id(ctx: Context) -> pd.DataFrame:
    """``tender_frame`` indexed by tender_id, first row of each tender."""
    def build():
        t = tender_frame(ctx)
        return t[~t["tender_id"].duplicated()].set_index("tender_id")
    return ctx.cache("tenders.by_id", build)


def bid_tenders(ctx: Context) -> np.ndarray:
    """Per tender of ``bid_codes`` (by its code): its row in ``tender_by_id`` (-1: not in the tenders
    table).  Looked up once for the checks that read each bid's tender."""
    return ctx.cache("bids.tender_rows",
                     lambda: positions(pd.Series(bid_codes(ctx).tenders, dtype="str"), tender_by_id(ctx).index))


# what a tender finding's amount is (involved_amount), as the catalogue says it
TENDER_AMOUNT = {"zh": "中标金额；无中标金额的取该招标项目金额（预算金额，无则最高限价）；中标金额填写但无法识别的不计金额",
                 "en": "the award amount; without one, the tender's value (budget, else ceiling price); none when the "
                       "award amount was written but could not be read"}


def involved_amount(t: pd.DataFrame) -> pd.Series:
    """The money a tender finding concerns: the award, else the tender's value — none when the award amount
    was written but could not be read (the value would stand in for a sum nobody could read)."""
    fallback = t["value"]
    if "award_amount_unknown" in t.columns:
        fallback = fallback.where(~t["award_amount_unknown"].eq(True))
    return t["award_amount"].where(t["award_amount"].notna(), fallback)


def currencies_of(tables: dict[str, pd.DataFrame]) -> dict[str, frozenset[str]]:
    """The currencies each table's amounts are in (its ``currency`` column's values, trimmed)."""
    out = {}
    for name, df in tables.items():
        if "currency" in df.columns:
            cur = df["currency"]
            out[name] = frozenset(pd.unique(cur[present(cur)].astype("str").str.strip()))
    return out


def require_cny(ctx: Context, *tables: str) -> None:
    """Thresholds are in yuan: on data in another currency (OCDS) the threshold checks do not run
    (checks.md), judged on the whole data's rows (a part of it, a county's partition, judges the whole's:
    ``ctx.currencies``), whatever their dates."""
    given = ctx.currencies if ctx.currencies is not None else \
        currencies_of({name: ctx.raw[name] for name in tables if name in ctx.raw})
    foreign = {c for name in tables for c in given.get(name, ()) if c.casefold() not in CNY_SPELLINGS}
    if foreign:
        raise NotRun("amounts not in CNY (currency " + ", ".join(sorted(foreign))
                     + "); the thresholds are in yuan")


def buyer_county(ctx: Context) -> pd.Series:
    """The buyer's county (PRO11, PRO16): the county most of the buyer's tenders name, ties to the smallest
    name (checks.md, Findings)."""
    def build():
        t = ctx["tenders"]
        return most_common(t[present(t["buyer"])], "buyer", "county")
    return ctx.cache("tenders.buyer_county", build)


def county_by_project_else(ctx: Context, project_id: pd.Series, fallback: pd.Series) -> pd.Series:
    """A finding's county: its project's, else ``fallback`` (the tender's, the buyer's …)."""
    by_project = lookup(project_id, project_county(ctx))
    return by_project.where(present(by_project), fallback.astype("str"))


def supplier_name_by_id(ctx: Context) -> dict:
    """supplier_id -> name (first row of each supplier with a name), for details that quote suppliers."""
    def build():
        if not ctx.has("suppliers", "supplier_id", "name"):
            return {}
        s = ctx["suppliers"]
        s = s[~s["supplier_id"].duplicated() & present(s["name"])]
        return dict(zip(s["supplier_id"].tolist(), s["name"].tolist()))
    return ctx.cache("suppliers.name_by_id", build)


def tender_finding(ctx: Context, t: pd.DataFrame, **fields) -> pd.DataFrame:
    """Finding rows for the tenders ``t`` (rows of ``tender_frame``): the tender, its project,
    county and amount, and ``fields``."""
    return pd.DataFrame({
        "entity_id": t["tender_id"], "project_id": t["project_id"],
        "county": county_by_project_else(ctx, t["project_id"], t["county"]),
        "amount": involved_amount(t), **fields})


def tender_rows(ctx: Context, tender_ids, **fields) -> pd.DataFrame:
    """Finding rows for ``tender_ids`` with the tender's project, county and amount where it is known.

    ``fields`` are Series indexed by tender_id, or scalars.
    """
    out = pd.DataFrame(index=pd.Index(tender_ids, dtype="str"))
    out["entity_id"] = out.index
    if ctx.has("tenders", "tender_id"):
        by_id = tender_by_id(ctx)
        at = positions(out.index, by_id.index)  # a few ids among the tenders: no hash table of them all
        t = pd.DataFrame({c: take(by_id[c], at, index=out.index)
                          for c in ("project_id", "county", "award_amount", "value", "award_amount_unknown")
                          if c in by_id.columns})
        out["project_id"] = t["project_id"]
        out["county"] = county_by_project_else(ctx, t["project_id"], optional_column(t, "county"))
        out["amount"] = involved_amount(t)
    for name, value in fields.items():
        out[name] = lookup(out.index, value) if isinstance(value, pd.Series) else value
    return out.reset_index(drop=True)


def bid_codes(ctx: Context) -> BidCodes:
    """The bids' tender_id and bidder_id as integer codes."""
    return ctx.cache("bids.codes", lambda: BidCodes.of(ctx["bids"]))


def not_disqualified(b: pd.DataFrame) -> pd.Series:
    """True for bids not marked disqualified (a missing flag counts as a valid bid)."""
    return ~optional_column(b, "disqualified", "boolean").fillna(False).astype(bool)


def contracts_with_award(ctx: Context) -> pd.DataFrame:
    """Contracts with a tender_id, beside their tender's award_date and award_amount as written.

    An award dated after as_of is compared too: the contract (signed on or before as_of) then came
    before its award, which is PRO07's "signed before the award" at its plainest, and a contract above
    the award it later got is PRO08's.  Leaving such awards out would also part PRO07 from OCP's own
    pipeline on real data (grupo-aeroportuario: an award typed 2105)."""
    def build():
        c = ctx["contracts"]
        c = c[present(c["tender_id"])].reset_index(drop=True)
        t = ctx["tenders"]
        at = positions(c["tender_id"], t["tender_id"])  # a left join on the first row of each tender
        return c.assign(tender_award_date=take(optional_column(t, "award_date", "datetime64[ns]"), at),
                        tender_award_amount=take(optional_column(t, "award_amount", "float64"), at))
    return ctx.cache("contracts.with_award", build)
