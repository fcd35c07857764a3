"""Keys held across the parts of one table (a Parquet file's row batches, a workbook's sheets): which key an
earlier part holds, and where.  Used by :mod:`kpt_audit.load.split` for data split on disk and by
:mod:`kpt_audit.load.sheets` for a workbook holding a table on several sheets, so both name a duplicate's
first row the same way."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

_HASH_KEYS = ("kpt-audit-key-a1", "kpt-audit-key-b2")  # two 16-byte keys: 128 bits of a key's hash


class _Keys:
    """Key values, each with a number, kept as a 64-bit and a 32-bit hash of the key and a 32-bit number (16
    bytes a key whatever its text, so that a national table's keys fit where its strings would not), in 256 shards
    sorted by the first hash: adding a part merges it into the shards, never re-sorting the whole."""

    SHARDS = 256

    def __init__(self):
        self.first = [np.empty(0, dtype="uint64") for _ in range(self.SHARDS)]
        self.second = [np.empty(0, dtype="uint32") for _ in range(self.SHARDS)]
        self.values = [np.empty(0, dtype="int32") for _ in range(self.SHARDS)]

    @staticmethod
    def hashes(keys) -> tuple[np.ndarray, np.ndarray]:
        a, b = (pd.util.hash_pandas_object(keys, index=False, hash_key=k).to_numpy() for k in _HASH_KEYS)
        return a, (b >> np.uint64(32)).astype("uint32")

    def _by_shard(self, a: np.ndarray):
        """(shard, positions in ``a`` of its keys) for each shard that ``a`` has keys in."""
        return _by_code((a >> np.uint64(56)).astype("int64"))

    def find(self, keys) -> np.ndarray:
        """The number of each of ``keys`` (a frame of key columns, or one column), -1 where it is not held
        or a key value is missing."""
        found = np.full(len(keys), -1, dtype="int64")
        missing = (keys.isna().any(axis=1) if isinstance(keys, pd.DataFrame) else keys.isna()).to_numpy()
        if missing.all():
            return found
        a, b = self.hashes(keys)
        for k, rows in self._by_shard(a):
            first, second, values = self.first[k], self.second[k], self.values[k]
            lo = np.searchsorted(first, a[rows], "left")
            hi = np.searchsorted(first, a[rows], "right")
            one = hi - lo == 1
            hit = one.copy()
            hit[one] = second[lo[one]] == b[rows[one]]
            found[rows[hit]] = values[lo[hit]]
            for i in np.flatnonzero(hi - lo > 1):  # first hashes alike: rare
                same = np.flatnonzero(second[lo[i]:hi[i]] == b[rows[i]])
                if len(same):
                    found[rows[i]] = values[lo[i] + same[0]]
        found[missing] = -1
        return found

    def add(self, keys, values: np.ndarray) -> None:
        """Hold ``keys`` (none missing, none held yet) with their ``values``."""
        a, b = self.hashes(keys)
        values = np.asarray(values, dtype="int64")
        if not len(values) or values.max() < 2 ** 31:  # row numbers and county numbers: 4 bytes do
            values = values.astype("int32")
        for k, rows in self._by_shard(a):
            rows = rows[np.argsort(a[rows], kind="stable")]
            first = np.concatenate([self.first[k], a[rows]])
            merged = np.argsort(first, kind="stable")  # two sorted runs: one linear merge
            self.first[k] = first[merged]
            self.second[k] = np.concatenate([self.second[k], b[rows]])[merged]
            self.values[k] = np.concatenate([self.values[k], values[rows]])[merged]

    def earlier(self, keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """For ``build_table``: (labels in ``keys``' index whose key is held, the number held with it)."""
        found = self.find(keys)
        hit = found >= 0
        return keys.index.to_numpy()[hit], found[hit]


_PART_SHIFT = 32  # a held key's number: its row, and its part's number above these bits


def part_rows(rows: np.ndarray, part: int) -> np.ndarray:
    """The numbers to hold a part's keys with: each row's number, and the part's above it."""
    return np.asarray(rows, dtype="int64") + (part << _PART_SHIFT)


def _earlier_in(seen: "_Keys", sheets: list[str]):
    """``build_table``'s ``earlier_keys`` for a table read in parts: the rows an earlier part holds, with
    their sheets when the parts are a workbook's sheets."""
    def earlier(keys: pd.DataFrame):
        pos, held = seen.earlier(keys)
        rows, parts = held & ((1 << _PART_SHIFT) - 1), held >> _PART_SHIFT
        named = [sheets[p] for p in parts]
        return (pos, rows, named) if any(named) else (pos, rows)
    return earlier


def _by_code(code: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """(code, the positions holding it, in order) for each code in ``code``: one stable sort."""
    order = np.argsort(code, kind="stable")
    starts = np.flatnonzero(np.diff(code[order], prepend=-1))
    for at, end in zip(starts, [*starts[1:], len(order)]):
        yield int(code[order[at]]), order[at:end]
