"""PRO10 linked bidders: two different bidders of one tender sharing a normalised contact or account.

One long frame of (tender_id, bidder_id, field, value) rows — each bidder's normalised legal_rep,
phone, address and bank_account from the suppliers table, and the bond_account of each of its
bids — in which a (tender, field, value) group held by two different bidders is a link.

Accounts (checks.md revision 2: severity by field).  A supplier's bank_account and a bid's
bond_account are compared as one kind of value, any with any.  A group of one account value
held by two different bidders in which some bid's bond_account takes part is a *bond* link —
one bidder's bond_account then equals the other's bond_account or bank_account (the bond paid
from a rival's account, 招标投标法实施条例 第四十条(六)) — and is named ``bond_account``; a group
of registered bank accounts only is named ``bank_account``.  Severity is high when a legal_rep is
shared (第三十四条) or there is a bond link, medium when only phone, address or bank_account are
shared.
"""
from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd

from .context import Context
from .frames import TENDER_AMOUNT, TENDER_AWARD, bid_codes, normalised_codes, pair_codes, positions, tender_rows, unique_rows
from .registry import NotRun, check

# suppliers' column -> what is compared; a bid's bond_account is an "account" too (a bond paid from a
# rival's account counts)
SUPPLIER_FIELDS = {"legal_rep": "legal_rep", "phone": "phone", "address": "address", "bank_account": "account"}
# what a detail names, in its order
LINK_LABELS = {"legal_rep": ("法定代表人相同", "share a legal representative"),
               "phone": ("联系电话相同", "share a phone"),
               "address": ("地址相同", "share an address"),
               "bank_account": ("登记的银行账户相同", "share a registered bank account"),
               "bond_account": ("投标保证金转出账户与对方的保证金或银行账户相同",
                                "share an account a bid bond was paid from")}
HIGH_FIELDS = ("legal_rep", "bond_account")  # severity high (实施条例 第三十四条; 第四十条(六))
SEVERAL = ":groups"  # a field whose shared values are not all held by the same bidders


def _link_sentence(field: str, several: bool) -> dict[str, str]:
    zh, en = LINK_LABELS[field]
    return {"zh": f"投标人{{{field}:suppliers}}{zh}" + ("（分属多组）" if several else ""),
            "en": f"bidders {{{field}:suppliers}} {en}" + (" (in more than one group)" if several else "")}


def _link_details() -> dict[str, dict[str, str]]:
    """One wording per combination of linked fields, a sentence per field, in LINK_LABELS order:
    "phone" (its bidders share one phone), "phone:groups" (several groups of them share one each),
    "legal_rep+phone:groups" …"""
    variants = {}
    for states in product((None, "", SEVERAL), repeat=len(LINK_LABELS)):
        linked = [(field, state) for field, state in zip(LINK_LABELS, states) if state is not None]
        if linked:
            sentences = [_link_sentence(field, state == SEVERAL) for field, state in linked]
            variants["+".join(field + state for field, state in linked)] = {
                "zh": "；".join(x["zh"] for x in sentences), "en": "; ".join(x["en"] for x in sentences)}
    return variants


@check("PRO10", "linked-bidders", area="procurement", severity="high", entity_type="tender",
       inputs={"bids": ("tender_id", "bidder_id")},
       optional=(("bids", "bond_account"), ("suppliers", "supplier_id"), ("suppliers", "legal_rep"),
                 ("suppliers", "phone"), ("suppliers", "address"), ("suppliers", "bank_account"),
                 ("tenders", "county"), *TENDER_AWARD),
       basis="招标投标法实施条例 第三十四、三十九、四十条",
       condition={
           "zh": "同一招标的两个不同投标人，经统一规范化（Unicode NFKC规范化、大小写折叠、去除空白、标点和符号字符；规范化后为空或为“无”“na”“不详”“0”的不参与比对）后，"
                 "供应商登记的法定代表人、联系电话或地址相同，或账户相同（供应商登记的银行账户与投标保证金转出账户混合比对，任意两者相同即算）的。"
                 "法定代表人相同，或一方的投标保证金转出账户与另一方的保证金转出账户或登记的银行账户相同的，严重程度为高（实施条例 第三十四条；"
                 "第四十条（六））；仅联系电话、地址或登记的银行账户相同的，为中。",
           "en": "Two different bidders in one tender share, after the common normalisation (NFKC, casefold, "
                 "whitespace, punctuation and symbols removed; empty values and the placeholders 无, na, 不详, 0 "
                 "never match), a legal_rep, phone or address from the suppliers table, or an account (a "
                 "supplier's bank_account and a bid's bond_account are compared as one field, any with any). "
                 "Severity high when the legal_rep is shared or one bidder's bond_account equals the other's "
                 "bond_account or bank_account (实施条例 第三十四条; 第四十条(六)), medium when only phone, "
                 "address or bank_account are shared."},
       amount=TENDER_AMOUNT,
       title={"zh": "投标人存在关联", "en": "Linked bidders"},
       detail=_link_details())
def linked_bidders(ctx: Context) -> pd.DataFrame:
    shared = _shared_values(ctx)
    if shared.empty:
        return pd.DataFrame()
    # the shared value itself is personal data: the detail names, per field, the bidders sharing one
    shared = shared.assign(field=pd.Categorical(shared["field"], categories=list(LINK_LABELS)))  # detail order
    shared = shared.sort_values(["tender_id", "field", "bidder_id"], kind="stable")
    links = shared.groupby(["tender_id", "field"], observed=True).agg(
        bidders=("bidder_id", lambda ids: ids.unique().tolist()), n_bidders=("bidder_id", "nunique"),
        n_values=("value", "nunique"), rows=("value", "size")).reset_index()
    # one group when each of the field's bidders holds each of its shared values
    several = links["rows"] < links["n_bidders"] * links["n_values"]
    links["field"] = links["field"].astype("str")
    links["variant"] = links["field"] + several.map({True: SEVERAL, False: ""})
    variant = links.groupby("tender_id", sort=True)["variant"].agg("+".join)
    high = links.assign(high=links["field"].isin(HIGH_FIELDS)).groupby("tender_id", sort=True)["high"].any()
    bidders = links.pivot(index="tender_id", columns="field", values="bidders")
    return tender_rows(ctx, variant.index, variant=variant, severity=high.map({True: "high", False: "medium"}),
                       **bidders)


FIELDS = ("legal_rep", "phone", "address", "account")  # what is compared (an account: bank or bond)
ACCOUNT = FIELDS.index("account")


def _shared_values(ctx: Context) -> pd.DataFrame:
    """(tender_id, bidder_id, field, value) rows whose normalised value another bidder of the tender holds.

    Only a value that two different bidders hold somewhere can be shared within a tender, so the
    values are narrowed to those before the bidders' registered ones are spread over their tenders.
    Tenders, bidders and values are integer codes until the end (``bid_codes``; one code per
    distinct normalised value): the same steps on four hundred thousand strings cost twice as much.
    """
    b, codes = ctx["bids"], bid_codes(ctx)
    named = codes.tender_ok & codes.bidder_ok
    tender, bidder = codes.tender[named], codes.bidder[named]
    s = ctx["suppliers"] if ctx.has("suppliers", "supplier_id") else pd.DataFrame({"supplier_id": []}, dtype="str")
    s = s[~s["supplier_id"].duplicated()]
    s = s.assign(bidder=positions(s["supplier_id"], codes.bidders))
    s = s[s["bidder"] >= 0]  # suppliers that bid
    compared = [column for column in SUPPLIER_FIELDS if column in s.columns]
    if "bond_account" not in b.columns and not compared:
        raise NotRun("nothing to compare: needs suppliers (legal_rep, phone, address, bank_account) "
                     "or bids (bond_account)")
    # a bid's bond account (in its tender), a bidder's registered values (in each of its tenders)
    # fields as their position in FIELDS, like tenders, bidders and values: small integers
    bond_column = [b["bond_account"]] if "bond_account" in b.columns else []
    values = normalised_codes(*bond_column, *(s[column] for column in compared))  # -1: no value
    bond_value = values[0][named] if bond_column else np.full(len(tender), -1)
    registered = pd.concat([pd.DataFrame({"bidder": s["bidder"].to_numpy(), "field": FIELDS.index(SUPPLIER_FIELDS[column]),
                                          "value": value}) for column, value in zip(compared, values[len(bond_column):])]
                           or [pd.DataFrame({"bidder": [], "field": [], "value": []}, dtype="int64")], ignore_index=True)
    registered = registered[registered["value"] >= 0]

    # the values two different bidders hold, a value being its field and code (packed: value × 4 + field)
    bond_key = bond_value * len(FIELDS) + ACCOUNT  # negative where the bid has no bond account
    registered_key = registered["value"].to_numpy() * len(FIELDS) + registered["field"].to_numpy()
    key = np.concatenate([bond_key[bond_value >= 0], registered_key])
    holder = np.concatenate([bidder[bond_value >= 0], registered["bidder"].to_numpy()])
    key = key[~pd.Series(pair_codes(key, holder)).duplicated().to_numpy()]  # each holder of a value once
    held = pd.unique(key[pd.Series(key).duplicated(keep=False).to_numpy()])  # by two bidders or more

    # those values in the tenders; a group with a bond row in it is a bond link (see the module docstring)
    bond_rows = (bond_value >= 0) & pd.Series(bond_key).isin(held).to_numpy()
    bonds = pd.DataFrame({"tender": tender[bond_rows], "bidder": bidder[bond_rows], "field": ACCOUNT,
                          "value": bond_value[bond_rows]})
    registered = registered[pd.Series(registered_key).isin(held).to_numpy()]
    holders = pd.Series(bidder).isin(registered["bidder"]).to_numpy()  # the tenders of those bidders only
    tenders_of = unique_rows(pd.DataFrame({"tender": tender[holders], "bidder": bidder[holders]}))
    long = pd.concat([bonds.assign(bond=True), tenders_of.merge(registered, on="bidder").assign(bond=False)],
                     ignore_index=True)
    keys = ["tender", "field", "value"]
    long = long.assign(bond=long.groupby(keys, sort=False)["bond"].transform("any"))
    long = long.drop_duplicates(["tender", "bidder", "field", "value"])
    # after drop_duplicates, two rows of one (tender, field, value) are two different bidders
    long = long[long.groupby(keys, sort=False)["bidder"].transform("size") >= 2]
    field = pd.Series(np.asarray(FIELDS)[long["field"].to_numpy(dtype="int64")], index=long.index)
    field = field.where(field != "account", long["bond"].map({True: "bond_account", False: "bank_account"}))
    return pd.DataFrame({"tender_id": codes.tenders[long["tender"]], "bidder_id": codes.bidders[long["bidder"]],
                         "field": field.to_numpy(), "value": long["value"].to_numpy()})
