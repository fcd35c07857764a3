"""The bids table as integer codes, built once per run and shared by PRO04, PRO09, PRO10, PRO12, PRO14.

Each of those checks groups, sorts or pairs bids by tender and bidder.  On
400,000 arrow strings every such step costs tens of milliseconds, and each
check would factorize the same columns again; here they are encoded once.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .context import Context


@dataclass(frozen=True)
class BidCodes:
    """Per bid row (in table order): codes into ``tenders``/``bidders``, -1 where the id is missing.

    ``tenders`` is sorted (code order is tender_id order, so groups come out as a
    group-by on tender_id would sort them); ``bidders`` is in order of appearance.
    ``tender_ok``/``bidder_ok`` mark ids neither missing nor blank.
    """
    tender: np.ndarray
    bidder: np.ndarray
    tenders: pd.Index
    bidders: pd.Index
    tender_ok: np.ndarray
    bidder_ok: np.ndarray


def present_mask(s: pd.Series) -> np.ndarray:
    """True where an id is neither missing nor blank (as ``procurement.present``)."""
    return (s.notna() & (s.astype("str").str.strip() != "")).to_numpy()


def present_codes(code: np.ndarray, values) -> np.ndarray:
    """``present_mask`` of the column that ``code`` (from ``pd.factorize``) encodes: each distinct
    value is tested once instead of every row."""
    if len(values) == 0:
        return np.zeros(len(code), dtype=bool)
    return (code >= 0) & present_mask(pd.Series(values, dtype="str"))[np.maximum(code, 0)]


def bid_codes(ctx: Context) -> BidCodes:
    def build():
        b = ctx["bids"]
        tender, tenders = pd.factorize(b["tender_id"], sort=True)
        if "bidder_id" in b.columns:
            bidder, bidders = pd.factorize(b["bidder_id"])
        else:
            bidder, bidders = np.full(len(b), -1), pd.Index([], dtype="str")
        return BidCodes(tender, bidder, pd.Index(tenders, dtype="str"), pd.Index(bidders, dtype="str"),
                        present_codes(tender, tenders), present_codes(bidder, bidders))
    return ctx.cache("bid_codes", build)
