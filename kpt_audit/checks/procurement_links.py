"""PRO10 linked bidders: two different bidders of one tender sharing a normalised contact or account.

Values are compared as integer codes of their normalised text (``frames.normalised_codes``), and only
values that two different bidders hold somewhere are followed into the tenders.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .frames import (TENDER_AWARD, bid_codes, named_lists, normalised_codes, pair_codes, positions, supplier_names,
                     tender_rows)
from .registry import NotRun, check

LINK_FIELDS = {  # PRO10: supplier/bid column -> what is compared (a bond paid from a rival's account counts)
    "legal_rep": "legal_rep", "phone": "phone", "address": "address",
    "bank_account": "account", "bond_account": "account",
}
LINK_LABELS = {"legal_rep": ("法定代表人", "legal representative"), "phone": ("联系电话", "phone"),
               "address": ("地址", "address"), "account": ("银行账户", "bank account")}


@check("PRO10", "linked-bidders", area="procurement", severity="high", entity_type="tender",
       inputs={"bids": ("tender_id", "bidder_id")},
       optional=(("bids", "bond_account"), ("suppliers", "supplier_id"), ("suppliers", "legal_rep"),
                 ("suppliers", "phone"), ("suppliers", "address"), ("suppliers", "bank_account"),
                 ("tenders", "county"), *TENDER_AWARD),
       basis="招标投标法实施条例 第三十九、四十条",
       condition={
           "zh": "同一招标的两个不同投标人，经统一规范化（Unicode NFKC规范化、大小写折叠、去除空白、标点和符号字符；规范化后为空或为“无”“na”“不详”“0”的不参与比对）后，"
                 "供应商登记的法定代表人、联系电话或地址相同，或账户相同（供应商登记的银行账户与投标保证金转出账户混合比对，任意两者相同即算）的；严重程度一律为高。",
           "en": "Two different bidders in one tender share, after the common normalisation (NFKC, casefold, "
                 "whitespace, punctuation and symbols removed; empty values and the placeholders 无, na, 不详, 0 "
                 "never match), a legal_rep, phone or address from the suppliers table, or an account (a "
                 "supplier's bank_account and a bid's bond_account are compared as one field, any with any); "
                 "severity always high."},
       amount={"zh": "中标金额；无中标金额的取该招标项目金额（预算金额，无则最高限价）",
               "en": "the award amount; without one, the tender's value (budget, else ceiling price)"},
       title={"zh": "投标人存在关联", "en": "Linked bidders"})
def linked_bidders(ctx: Context) -> pd.DataFrame:
    shared = _shared_values(ctx)
    if shared.empty:
        return pd.DataFrame()
    groups = named_lists(shared, ["tender_id", "field", "value"], supplier_names(ctx)).reset_index()
    # the shared value itself is personal data: the detail names the bidders and the field only
    groups = groups.drop_duplicates(["tender_id", "field", "bidder_id"])
    label = groups["field"].map({f: v[1 if ctx.lang == "en" else 0] for f, v in LINK_LABELS.items()})
    groups["text"] = (("bidders " + groups["shown"].str.replace("、", ", ") + " share a " + label)
                      if ctx.lang == "en" else ("投标人" + groups["shown"] + label + "相同"))
    groups["order"] = groups["field"].map({f: i for i, f in enumerate(LINK_LABELS)})
    groups = groups.sort_values(["tender_id", "order", "bidder_id"], kind="stable")
    detail = groups.groupby("tender_id", sort=True)["text"].agg("; ".join if ctx.lang == "en" else "；".join)
    return tender_rows(ctx, detail.index, detail=detail)


def _shared_values(ctx: Context) -> pd.DataFrame:
    """(tender_id, bidder_id, field, value) rows whose value another bidder of the tender also has.

    Works on integer codes: values are normalised once per distinct text (suppliers' per
    supplier, bond accounts per bid), and only values that two different bidders hold somewhere
    can be shared within a tender, so the (tender, bidder, field, value) rows are narrowed to
    those before a (tender, field, value) key seen on two rows marks a shared value.
    """
    b, codes = ctx["bids"], bid_codes(ctx)
    rows = np.flatnonzero(codes.tender_ok & codes.bidder_ok)
    tender_code, tenders = codes.tender[rows], codes.tenders
    bidder_code, bidders = codes.bidder[rows], codes.bidders
    # per field and source: (value code per source row, its distinct values, the source row each bid reads)
    sources: dict[str, list[tuple[np.ndarray, pd.Index, np.ndarray]]] = {}
    if "bond_account" in b.columns:
        sources.setdefault("account", []).append((*normalised_codes(b["bond_account"]), rows))
    if ctx.has("suppliers", "supplier_id"):
        s = ctx["suppliers"]
        s = s[~s["supplier_id"].duplicated()]
        supplier_of_bid = positions(pd.Series(bidders, dtype="str"), s["supplier_id"])[bidder_code]
        for col in ("legal_rep", "phone", "address", "bank_account"):
            if col in s.columns:
                sources.setdefault(LINK_FIELDS[col], []).append((*normalised_codes(s[col]), supplier_of_bid))
    if not sources:
        raise NotRun("nothing to compare: needs suppliers (legal_rep, phone, address, bank_account) "
                     "or bids (bond_account)")
    field_names = pd.Index(sorted(sources))
    parts = []
    for field_code, field in enumerate(field_names):
        value = _values_per_bid(sources[field])
        tender = np.tile(tender_code, len(sources[field]))
        bidder = np.tile(bidder_code, len(sources[field]))
        keep = value >= 0
        tender, bidder, value = tender[keep], bidder[keep], value[keep]
        held = _values_of_two_bidders(bidder, value)
        keep = held[value]
        parts.append(pd.DataFrame({"tender": tender[keep], "bidder": bidder[keep], "field": field_code,
                                   "value": value[keep]}))
    long = pd.concat(parts, ignore_index=True).drop_duplicates()
    long = long[long.duplicated(["tender", "field", "value"], keep=False)]
    return pd.DataFrame({"tender_id": tenders[long["tender"]], "bidder_id": bidders[long["bidder"]],
                         "field": field_names[long["field"]], "value": long["value"].to_numpy()})


def _values_per_bid(sources: list[tuple[np.ndarray, pd.Index, np.ndarray]]) -> np.ndarray:
    """One field's value code for each bid of each source in turn, in one code space (-1: none)."""
    unified, _ = pd.factorize(pd.Index(np.concatenate([d.to_numpy(dtype=object) for _, d, _ in sources]),
                                       dtype="str"))
    offset, out = 0, []
    for codes, distinct, row in sources:
        own = unified[offset:offset + len(distinct)]
        offset += len(distinct)
        code = np.where(row >= 0, codes[np.maximum(row, 0)] if len(codes) else -1, -1)
        out.append(np.where(code >= 0, own[np.maximum(code, 0)] if len(own) else -1, -1))
    return np.concatenate(out) if out else np.empty(0, dtype="int64")


def _values_of_two_bidders(bidder: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Per value code (0..max), whether at least two different bidders hold it."""
    n_values = int(value.max()) + 1 if len(value) else 0
    first_of_pair = ~pd.Series(pair_codes(value, bidder)).duplicated().to_numpy()
    return np.bincount(value[first_of_pair], minlength=n_values) >= 2
