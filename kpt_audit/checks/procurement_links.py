"""PRO10 linked bidders: two different bidders of one tender sharing a normalised contact or account.

One long frame of (tender_id, bidder_id, field, value) rows — each bidder's normalised legal_rep,
phone, address and bank_account from the suppliers table, and the bond_account of each of its
bids — in which a (tender, field, value) group held by two different bidders is a link.
"""
from __future__ import annotations

from itertools import product

import pandas as pd

from .context import Context
from .frames import TENDER_AWARD, bid_codes, normalise_text, positions, tender_rows
from .registry import NotRun, check

# suppliers' column -> what is compared; a bid's bond_account is an "account" too (a bond paid from a
# rival's account counts)
SUPPLIER_FIELDS = {"legal_rep": "legal_rep", "phone": "phone", "address": "address", "bank_account": "account"}
# what is compared, in the order a detail names it
LINK_LABELS = {"legal_rep": ("法定代表人", "legal representative"), "phone": ("联系电话", "phone"),
               "address": ("地址", "address"), "account": ("银行账户", "bank account")}
SEVERAL = ":groups"  # a field whose shared values are not all held by the same bidders


def _link_sentence(field: str, several: bool) -> dict[str, str]:
    zh, en = LINK_LABELS[field]
    return {"zh": f"投标人{{{field}:suppliers}}{zh}相同" + ("（分属多组）" if several else ""),
            "en": f"bidders {{{field}:suppliers}} share a {en}" + (" (in more than one group)" if several else "")}


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
    bidders = links.pivot(index="tender_id", columns="field", values="bidders")
    return tender_rows(ctx, variant.index, variant=variant, **bidders)


def _shared_values(ctx: Context) -> pd.DataFrame:
    """(tender_id, bidder_id, field, value) rows whose normalised value another bidder of the tender holds.

    Only a value that two different bidders hold somewhere can be shared within a tender, so the
    values are narrowed to those before the bidders' registered ones are spread over their tenders.
    Tenders, bidders and values are integer codes until the end (``bid_codes``; one code per
    distinct normalised value): the same steps on four hundred thousand strings cost twice as much.
    """
    b, codes = ctx["bids"], bid_codes(ctx)
    named = codes.tender_ok & codes.bidder_ok
    bids = pd.DataFrame({"tender": codes.tender[named], "bidder": codes.bidder[named]})
    s = ctx["suppliers"] if ctx.has("suppliers", "supplier_id") else pd.DataFrame({"supplier_id": []}, dtype="str")
    s = s[~s["supplier_id"].duplicated()]
    s = s.assign(bidder=positions(s["supplier_id"], codes.bidders))
    s = s[s["bidder"] >= 0]  # suppliers that bid
    compared = [column for column in SUPPLIER_FIELDS if column in s.columns]
    if "bond_account" not in b.columns and not compared:
        raise NotRun("nothing to compare: needs suppliers (legal_rep, phone, address, bank_account) "
                     "or bids (bond_account)")
    # a bid's bond account (in its tender), a bidder's registered values (in each of its tenders)
    bonds = ([bids.assign(field="account", value=normalise_text(b["bond_account"])[named].to_numpy())]
             if "bond_account" in b.columns else [])
    registered = [pd.DataFrame({"bidder": s["bidder"].to_numpy(), "field": SUPPLIER_FIELDS[column],
                                "value": normalise_text(s[column]).to_numpy()}) for column in compared]
    bonds, registered = _coded([*bonds, *registered], len(bonds))

    # the values two different bidders hold
    held = pd.concat([bonds[["bidder", "field", "value"]], registered]).drop_duplicates()
    held = held[held.groupby(["field", "value"], sort=False)["bidder"].transform("size") >= 2]
    held = held[["field", "value"]].drop_duplicates()

    # those values in the tenders
    tenders_of = bids.drop_duplicates()
    long = pd.concat([bonds.merge(held, on=["field", "value"]),
                      tenders_of.merge(registered.merge(held, on=["field", "value"]), on="bidder")],
                     ignore_index=True).drop_duplicates()
    # after drop_duplicates, two rows of one (tender, field, value) are two different bidders
    long = long[long.groupby(["tender", "field", "value"], sort=False)["bidder"].transform("size") >= 2]
    return pd.DataFrame({"tender_id": codes.tenders[long["tender"]], "bidder_id": codes.bidders[long["bidder"]],
                         "field": long["field"].to_numpy(), "value": long["value"].to_numpy()})


def _coded(parts: list[pd.DataFrame], n_bonds: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bond rows and the registered rows, without missing values, each value as the code of its
    normalised text (the same text, the same code, across all of them)."""
    columns = (["tender", "bidder", "field", "value"], ["bidder", "field", "value"])
    if not parts:
        return tuple(pd.DataFrame({c: [] for c in cols}, dtype="int64") for cols in columns)
    sizes = [len(p) for p in parts]
    value, _ = pd.factorize(pd.concat([p["value"] for p in parts], ignore_index=True))
    coded, start = [], 0
    for part, size in zip(parts, sizes):
        coded.append(part.assign(value=value[start:start + size]))
        start += size
    bonds = pd.concat(coded[:n_bonds]) if n_bonds else pd.DataFrame({c: [] for c in columns[0]}, dtype="int64")
    registered = (pd.concat(coded[n_bonds:]) if len(coded) > n_bonds
                  else pd.DataFrame({c: [] for c in columns[1]}, dtype="int64"))
    return bonds[bonds["value"] >= 0][columns[0]], registered[registered["value"] >= 0][columns[1]]
