"""Id columns as integer codes: factorized once per run, shared by the checks that group by them.

A million payments are summed per project and per contract, looked up by
contract and compared by payee; four hundred thousand bids are grouped and
sorted by tender and bidder.  Hashing those arrow strings again in every check
costs tens of milliseconds each; here each column is factorized once and the
work runs on its few distinct values before being spread back by code.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...load.arrow import present_mask
from .keys import isin, positions, take


def present_codes(code: np.ndarray, values) -> np.ndarray:
    """``present_mask`` of the column that ``code`` (from ``pd.factorize``) encodes: each distinct
    value is tested once instead of every row."""
    if len(values) == 0:
        return np.zeros(len(code), dtype=bool)
    return (code >= 0) & present_mask(pd.Series(values, dtype="str"))[np.maximum(code, 0)]


def pair_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One int64 per row, equal exactly where the pairs (a, b) of integer codes are equal.

    Packing ``a * span + b`` is one operation; when that could overflow int64, ``b``'s
    values are first renumbered 0..k-1, and failing that, the pairs themselves.
    """
    a, b = np.asarray(a, dtype="int64"), np.asarray(b, dtype="int64")
    if len(a) == 0:
        return np.zeros(0, dtype="int64")
    a_low, b_low = int(a.min()), int(b.min())
    a_span, b_span = int(a.max()) - a_low + 1, int(b.max()) - b_low + 1
    if a_span * b_span >= 2 ** 62:
        b = pd.factorize(b)[0].astype("int64")
        b_low, b_span = 0, int(b.max()) + 1
    if a_span * b_span >= 2 ** 62:
        return pd.MultiIndex.from_arrays([a, b]).factorize()[0].astype("int64")
    packed = a - a_low  # in place from here: a million rows, one array
    packed *= b_span
    packed += b if b_low == 0 else b - b_low
    return packed


def row_codes(df: pd.DataFrame, columns=None) -> np.ndarray:
    """One int64 per row of ``df``'s columns of integer codes, equal exactly where the rows are (``pair_codes``)."""
    columns = list(df.columns if columns is None else columns)
    key = df[columns[0]].to_numpy(dtype="int64")
    for column in columns[1:]:
        key = pair_codes(key, df[column].to_numpy(dtype="int64"))
    return key


def unique_rows(df: pd.DataFrame, subset=None) -> pd.DataFrame:
    """``df.drop_duplicates(subset)`` for columns of integer codes: the first row of each combination,
    found by hashing one packed integer per row (``row_codes``) instead of factorising each column."""
    if len(df) == 0 or len(df.columns if subset is None else subset) == 0:
        return df.drop_duplicates(subset)
    return df[~pd.Series(row_codes(df, subset)).duplicated().to_numpy()]


def repeated_rows(df: pd.DataFrame, subset=None) -> pd.DataFrame:
    """``df[df.duplicated(subset, keep=False)]`` for columns of integer codes: the rows whose
    combination occurs more than once."""
    if len(df) == 0 or len(df.columns if subset is None else subset) == 0:
        return df[df.duplicated(subset, keep=False)]
    return df[pd.Series(row_codes(df, subset)).duplicated(keep=False).to_numpy()]


def sort_order(*keys) -> np.ndarray:
    """The positions that sort the rows by ``keys`` (the first key first), equal rows kept in table
    order: ``np.lexsort(keys[::-1])``, or a stable ``sort_values(keys)`` without missing values.

    A key that is not integer codes is ranked (``np.unique``: equal values, one rank) and the keys
    packed into one integer (``pair_codes``): one stable sort of integers is several times quicker
    than lexsort's passes."""
    if not keys or len(keys[0]) == 0:
        return np.zeros(0, dtype="int64")
    ranks = [key if key.dtype.kind in "iu" else np.unique(key, return_inverse=True)[1]
             for key in map(np.asarray, keys)]
    packed = ranks[0].astype("int64", copy=False)
    for rank in ranks[1:]:
        packed = pair_codes(packed, rank)
    return np.argsort(packed, kind="stable")


def runs(*keys) -> np.ndarray:
    """For rows already sorted by ``keys``: the number of the run of equal keys each row is in (0, 1, …),
    as ``groupby(keys, sort=False).ngroup()`` numbers them, by comparing each row with the one before
    instead of hashing every key."""
    return Runs.of(*keys).id


@dataclass(frozen=True)
class Runs:
    """Rows already sorted by some keys, cut into runs of equal keys: a group-by that needs no hashing.

    ``id`` numbers each row's run (0, 1, …, as ``groupby(keys, sort=False).ngroup()``); ``starts`` is
    each run's first row.  The reductions give one value per run, in run order; ``values[run.id]``
    spreads them back over the rows (``transform``)."""
    id: np.ndarray
    starts: np.ndarray

    @classmethod
    def of(cls, *keys) -> "Runs":
        n = len(keys[0]) if keys else 0
        start = np.zeros(n, dtype=bool)
        if n:
            start[0] = True
            for key in keys:
                values = np.asarray(key)
                start[1:] |= values[1:] != values[:-1]
        return cls(np.cumsum(start) - 1, np.flatnonzero(start))

    def size(self) -> np.ndarray:
        return np.diff(np.append(self.starts, len(self.id)))

    def first(self, values) -> np.ndarray:
        return np.asarray(values)[self.starts]

    def min(self, values) -> np.ndarray:
        return np.minimum.reduceat(np.asarray(values), self.starts) if len(self.starts) else np.asarray(values)[:0]

    def max(self, values) -> np.ndarray:
        return np.maximum.reduceat(np.asarray(values), self.starts) if len(self.starts) else np.asarray(values)[:0]

    def any(self, mask) -> np.ndarray:
        return self.max(np.asarray(mask, dtype=bool))

    def mean(self, values) -> np.ndarray:
        """The mean of each run, as pandas computes it (compensated sums, NaN skipped)."""
        return pd.Series(np.asarray(values)).groupby(self.id, sort=False).mean().to_numpy()


@dataclass(frozen=True)
class KeyCodes:
    """Per row (in table order): a code into ``values``, -1 where the id is missing.

    ``values`` are the distinct ids in order of first appearance, so code order is the group
    order of a ``groupby(sort=False)`` on the id.
    """
    code: np.ndarray
    values: pd.Index

    @classmethod
    def of(cls, column: pd.Series) -> "KeyCodes":
        code, values = pd.factorize(column)
        return cls(code.astype("int64", copy=False), pd.Index(values, dtype="str"))

    def positions_in(self, keys: pd.Series) -> np.ndarray:
        """For each row, the position of its id's first occurrence in ``keys``, else -1
        (a missing id finds a missing key, as ``positions`` does)."""
        at = positions(pd.Series(self.values, dtype="str"), keys)
        missing = np.flatnonzero(pd.isna(keys))
        missing_at = missing[0] if len(missing) else -1
        return np.where(self.code >= 0, at[np.maximum(self.code, 0)] if len(at) else -1, missing_at)

    def isin(self, keys) -> np.ndarray:
        """For each row, whether its id is among ``keys`` (``Series.isin``)."""
        found = isin(pd.Series(self.values, dtype="str"), keys).to_numpy()
        missing_in = bool(pd.isna(keys).any())
        return np.where(self.code >= 0, found[np.maximum(self.code, 0)] if len(found) else False, missing_in)

    def sums(self, amount: np.ndarray, name: str, where: np.ndarray | None = None) -> pd.Series:
        """``amount.groupby(id, sort=False).sum()``: the same groups, order and (compensated) sums;
        with ``where``, of those rows only (``amount[where].groupby(id[where], sort=False).sum()``)."""
        known = self.code >= 0 if where is None else (self.code >= 0) & where
        if known.all():  # the usual case without where: no copy of a million amounts and codes
            summed = pd.Series(amount).groupby(self.code, sort=False).sum()
        else:
            summed = pd.Series(amount[known]).groupby(self.code[known], sort=False).sum()
        index = pd.Index(self.values.take(summed.index.to_numpy()), dtype="str", name=name)
        return pd.Series(summed.to_numpy(), index=index, name="amount")


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

    @classmethod
    def of(cls, bids: pd.DataFrame) -> "BidCodes":
        tender, tenders = pd.factorize(bids["tender_id"], sort=True)
        if "bidder_id" in bids.columns:
            bidder, bidders = pd.factorize(bids["bidder_id"])
        else:
            bidder, bidders = np.full(len(bids), -1), pd.Index([], dtype="str")
        return cls(tender, bidder, pd.Index(tenders, dtype="str"), pd.Index(bidders, dtype="str"),
                   present_codes(tender, tenders), present_codes(bidder, bidders))

    def bidder_ids(self, code: np.ndarray, index=None) -> pd.Series:
        """The bidder_id of each code (missing where -1)."""
        return take(pd.Series(self.bidders, dtype="str"), np.asarray(code, dtype="int64"), index=index)
