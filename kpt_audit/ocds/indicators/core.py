"""One pass over compiled releases into flat columns the indicators compute on.

Only the fields the indicators read are kept, with the reference engine's type
rules: an identifier, status, currency or date counts only when it is a JSON
string, an amount only when it is a JSON number (not a boolean), and
``numberOfTenderers`` only when it is an integer.  Releases the reference skips
for every indicator (``ocid`` not a string, ``/tender/status`` cancelled,
``/tender/procurementMethodDetails`` in ``[exclusions]``) are dropped here.

Organisation identifiers and statuses are interned to integer codes while
reading, so the indicators work on integer arrays.  A JSON Lines path is read
by two processes, each parsing one byte range of the file.
"""
from __future__ import annotations

import json
import multiprocessing
import os
from array import array
from dataclasses import dataclass, field

import numpy as np

try:
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - orjson is a declared dependency
    orjson = None
    _loads = json.loads

FINAL_AWARD_STATUSES = ("active", "cancelled", "unsuccessful")
_NO_STR = None


def _ints() -> array:
    """A growing column of integers: 8 bytes each, where a list holds a 28-byte object per value."""
    return array("q")


def _floats() -> array:
    return array("d")


@dataclass
class Columns:
    """Flat columns: one row per release (``r_``), bid (``b_``), bid tenderer (``bt_``), award supplier (``as_``),
    and classified item of a single-supplier active award (``ic_``).  ``-1`` is "absent" in code columns."""

    ids: list = field(default_factory=list)        # organisation id vocabulary (code -> str)
    statuses: list = field(default_factory=list)   # bid status vocabulary
    currencies: list = field(default_factory=list)
    r_ocid: list = field(default_factory=list)
    r_buyer: list = field(default_factory=list)
    r_procuring_entity: list = field(default_factory=list)
    r_method: list = field(default_factory=list)
    r_details: list = field(default_factory=list)
    r_start: list = field(default_factory=list)
    r_end: list = field(default_factory=list)
    r_single_tenderer: list = field(default_factory=list)
    r_awards_list: list = field(default_factory=list)
    r_bid_list: list = field(default_factory=list)
    r_awards_final: list = field(default_factory=list)
    r_active_awards: array = field(default_factory=_ints)
    r_sole_supplier: array = field(default_factory=_ints)
    b_release: array = field(default_factory=_ints)
    b_status: array = field(default_factory=_ints)
    b_amount: array = field(default_factory=_floats)
    b_currency: array = field(default_factory=_ints)
    b_tenderers: array = field(default_factory=_ints)
    b_first_tenderer: array = field(default_factory=_ints)
    b_date: list = field(default_factory=list)
    bt_bid: array = field(default_factory=_ints)
    bt_id: array = field(default_factory=_ints)
    as_release: array = field(default_factory=_ints)
    as_id: array = field(default_factory=_ints)
    ic_release: array = field(default_factory=_ints)
    ic_supplier: array = field(default_factory=_ints)
    ic_code: list = field(default_factory=list)
    r_seq: array = field(default_factory=_ints)     # the reader's process number (Origin.seq), -1 when none
    lines_skipped: int = 0


def _str(value):
    return value if type(value) is str else None


def _number(value):
    kind = type(value)
    return float(value) if kind is float or kind is int else None


class Extractor:
    """Appends releases to :class:`Columns`; applies the reference's global exclusions."""

    def __init__(self, excluded_details: frozenset[str]):
        self.excluded_details = excluded_details
        self.parts: list[Columns] = []  # columns finished before (made in Arrow, or releases added before them)
        self._start()

    def _start(self) -> None:
        self.cols = Columns()
        self._ids: dict[str, int] = {}
        self._statuses: dict[str, int] = {}
        self._currencies: dict[str, int] = {}
        self._texts: dict[str, str] = {}

    def add_columns(self, cols: Columns) -> None:
        """Columns made elsewhere (:mod:`kpt_audit.ocds.native`, with this class's rules), after the
        releases added so far."""
        if self.cols.r_ocid:
            self.parts.append(self._own())
            self._start()
        self.parts.append(cols)

    def add(self, release, seq: int = -1) -> None:
        if type(release) is not dict:
            return
        ocid = release.get("ocid")
        if type(ocid) is not str:
            return
        tender = release.get("tender")
        if type(tender) is not dict:
            tender = {}
        if tender.get("status") == "cancelled":
            return
        details = tender.get("procurementMethodDetails")
        if type(details) is not str:
            details = None
        elif details in self.excluded_details:
            return
        c = self.cols
        ids = self._ids
        rel = len(c.r_ocid)
        c.r_ocid.append(ocid)
        c.r_seq.append(seq)
        shared = self._texts.setdefault  # texts many releases repeat: one object each
        c.r_details.append(details if details is None else shared(details, details))
        buyer = release.get("buyer")
        buyer = _str(buyer.get("id")) if type(buyer) is dict else None
        c.r_buyer.append(buyer if buyer is None else shared(buyer, buyer))
        entity = tender.get("procuringEntity")
        entity = _str(entity.get("id")) if type(entity) is dict else None
        c.r_procuring_entity.append(entity if entity is None else shared(entity, entity))
        method = _str(tender.get("procurementMethod"))
        c.r_method.append(method if method is None else shared(method, method))
        period = tender.get("tenderPeriod")
        if type(period) is dict:
            c.r_start.append(_str(period.get("startDate")))
            c.r_end.append(_str(period.get("endDate")))
        else:
            c.r_start.append(None)
            c.r_end.append(None)
        count = tender.get("numberOfTenderers")
        c.r_single_tenderer.append(type(count) is int and count == 1)

        awards = release.get("awards")
        final = True
        active = 0
        sole = -1
        if type(awards) is list:
            for award in awards:
                if type(award) is not dict:
                    continue
                status = award.get("status")
                if type(status) is not str:
                    continue
                if status != "active":
                    if status not in FINAL_AWARD_STATUSES:
                        final = False
                    continue
                active += 1
                suppliers = award.get("suppliers")
                if type(suppliers) is not list:
                    sole = -1
                    continue
                supplier_codes = []
                for supplier in suppliers:
                    if type(supplier) is dict:
                        sid = supplier.get("id")
                        if type(sid) is str:
                            code = ids.setdefault(sid, len(ids))
                            supplier_codes.append(code)
                            c.as_release.append(rel)
                            c.as_id.append(code)
                sole = supplier_codes[0] if len(suppliers) == 1 and supplier_codes else -1
                items = award.get("items")
                if sole >= 0 and type(items) is list:
                    for item in items:
                        if type(item) is dict:
                            classification = item.get("classification")
                            if type(classification) is dict:
                                code = classification.get("id")
                                if type(code) is str:
                                    c.ic_release.append(rel)
                                    c.ic_supplier.append(sole)
                                    c.ic_code.append(code)
            c.r_awards_list.append(True)
        else:
            c.r_awards_list.append(False)
        c.r_awards_final.append(final)
        c.r_active_awards.append(active)
        c.r_sole_supplier.append(sole if active == 1 else -1)

        bids = release.get("bids")
        bid_list = type(bids) is dict and type(bids.get("details")) is list
        c.r_bid_list.append(bid_list)
        if bid_list:
            self._add_bids(rel, bids["details"])

    def _add_bids(self, rel: int, details: list) -> None:
        c = self.cols
        ids = self._ids
        statuses = self._statuses
        currencies = self._currencies
        for bid in details:
            if type(bid) is not dict:
                continue
            status = bid.get("status")
            bid_index = len(c.b_release)
            c.b_release.append(rel)
            c.b_status.append(statuses.setdefault(status, len(statuses)) if type(status) is str else -1)
            value = bid.get("value")
            amount = currency = None
            if type(value) is dict:
                amount = _number(value.get("amount"))
                currency = value.get("currency")
            if amount is not None and type(currency) is str:
                c.b_amount.append(amount)
                c.b_currency.append(currencies.setdefault(currency, len(currencies)))
            else:
                c.b_amount.append(np.nan)
                c.b_currency.append(-1)
            c.b_date.append(_str(bid.get("date")))
            tenderers = bid.get("tenderers")
            first = -1
            if type(tenderers) is list:
                c.b_tenderers.append(len(tenderers))
                for position, tenderer in enumerate(tenderers):
                    if type(tenderer) is dict:
                        tid = tenderer.get("id")
                        if type(tid) is str:
                            code = ids.setdefault(tid, len(ids))
                            c.bt_bid.append(bid_index)
                            c.bt_id.append(code)
                            if position == 0:
                                first = code
            else:
                c.b_tenderers.append(-1)
            c.b_first_tenderer.append(first)

    def _own(self) -> Columns:
        c = self.cols
        c.ids = list(self._ids)
        c.statuses = list(self._statuses)
        c.currencies = list(self._currencies)
        return c

    def finish(self) -> Columns:
        """Every release added, as one :class:`Columns`; the extractor lets its own go (it starts empty
        again), so that the columns live only as long as their caller holds them."""
        if not self.parts:
            cols = self._own()
        else:
            parts = self.parts + ([self._own()] if self.cols.r_ocid else [])
            cols = parts[0] if len(parts) == 1 else concat_columns(parts)
        self.parts = []
        self._start()
        return cols


def extract_releases(releases, excluded_details: frozenset[str]) -> Columns:
    extractor = Extractor(excluded_details)
    for release in releases:
        extractor.add(release)
    return extractor.finish()


def _parse_line(line: bytes):
    try:
        return _loads(line)
    except ValueError:
        try:  # e.g. an integer beyond 64 bits, which orjson refuses and the reference reads
            return json.loads(line)
        except ValueError:
            return None


def _extract_range(path: str, start: int, stop: int, excluded_details: frozenset[str]) -> Columns:
    """Releases on the lines that start within [start, stop) of the file."""
    extractor = Extractor(excluded_details)
    skipped = 0
    with open(path, "rb") as handle:
        handle.seek(start)
        if start:
            handle.readline()  # the line under way belongs to the previous range
        position = handle.tell()
        while position < stop:
            line = handle.readline()
            if not line:
                break
            position += len(line)
            release = _parse_line(line)
            if release is None:
                skipped += not line.isspace()
                continue
            extractor.add(release)
    cols = to_arrays(extractor.finish())
    cols.lines_skipped = skipped
    return cols


def _extract_range_args(args):
    return _extract_range(*args)


def extract_jsonl(path, excluded_details: frozenset[str], workers: int | None = None) -> Columns:
    """Columns of a JSON Lines file, parsed by ``workers`` processes over byte ranges (file order kept)."""
    path = os.fspath(path)
    size = os.path.getsize(path)
    if workers is None:  # a small file is not worth a second process
        workers = 1 if size < 4_000_000 else min(2, os.cpu_count() or 1)
    if workers <= 1:
        return _extract_range(path, 0, size + 1, excluded_details)
    bounds = [size * k // workers for k in range(workers)] + [size + 1]
    jobs = [(path, bounds[k], bounds[k + 1], excluded_details) for k in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_extract_range_args, jobs)
    return concat_columns(parts)


def drop_releases(cols: Columns, seqs) -> Columns:
    """``cols`` without the releases whose ``r_seq`` is in ``seqs`` (copies a newer copy replaced),
    and without their bids, bid tenderers, award suppliers and item classes."""
    seqs = set(seqs)
    if not seqs:
        return cols
    cols = to_arrays(cols)
    keep = np.array([s not in seqs for s in cols.r_seq], dtype=bool)
    keep_bid = keep[cols.b_release]
    masks = {"r_": keep, "b_": keep_bid, "bt_": keep_bid[cols.bt_bid], "as_": keep[cols.as_release],
             "ic_": keep[cols.ic_release]}
    new_release = np.cumsum(keep) - 1
    new_bid = np.cumsum(keep_bid) - 1
    for name in Columns.__dataclass_fields__:
        prefix = name.split("_")[0] + "_"
        if prefix not in masks:
            continue
        values, mask = getattr(cols, name), masks[prefix]
        setattr(cols, name, values[mask] if isinstance(values, np.ndarray)
                else [v for v, k in zip(values, mask) if k])
    # row references point into the kept rows (computed before the references themselves were filtered)
    cols.b_release = new_release[cols.b_release]
    cols.bt_bid = new_bid[cols.bt_bid]
    cols.as_release = new_release[cols.as_release]
    cols.ic_release = new_release[cols.ic_release]
    return cols


_CODE_COLUMNS = {"ids": ("b_first_tenderer", "bt_id", "as_id", "ic_supplier", "r_sole_supplier"),
                 "statuses": ("b_status",), "currencies": ("b_currency",)}
_OFFSETS = {"b_release": "r_ocid", "as_release": "r_ocid", "ic_release": "r_ocid", "bt_bid": "b_release"}
_NUMERIC = {"r_single_tenderer": bool, "r_awards_list": bool, "r_bid_list": bool, "r_awards_final": bool,
            "r_active_awards": np.int64, "r_sole_supplier": np.int64, "b_release": np.int64, "b_status": np.int64,
            "b_amount": np.float64, "b_currency": np.int64, "b_tenderers": np.int64, "b_first_tenderer": np.int64,
            "bt_bid": np.int64, "bt_id": np.int64, "as_release": np.int64, "as_id": np.int64,
            "ic_release": np.int64, "ic_supplier": np.int64, "r_seq": np.int64}


def to_arrays(cols: Columns) -> Columns:
    """Numeric columns as numpy arrays (cheap to send between processes)."""
    for name, dtype in _NUMERIC.items():
        setattr(cols, name, np.asarray(getattr(cols, name), dtype=dtype))
    return cols


def concat_columns(parts: list[Columns]) -> Columns:
    """Columns of consecutive file ranges as one, re-coding each part's vocabularies and row references.
    The parts are used up: each of their columns is let go once it has joined the whole (2,000,000
    releases' columns were otherwise held twice at once)."""
    parts = [to_arrays(part) for part in parts]
    vocab = {name: {} for name in _CODE_COLUMNS}
    lengths = {"r_ocid": 0, "b_release": 0}
    for part in parts:
        for name, columns in _CODE_COLUMNS.items():
            table = vocab[name]
            recode = np.array([table.setdefault(v, len(table)) for v in getattr(part, name)] + [-1], dtype=np.int64)
            for column in columns:
                # -1 indexes the trailing -1, so "absent" stays absent
                setattr(part, column, recode[getattr(part, column)])
        for column, counted in _OFFSETS.items():
            setattr(part, column, getattr(part, column) + lengths[counted])
        for counted in lengths:
            lengths[counted] += len(getattr(part, counted))
    out = Columns()
    for name in Columns.__dataclass_fields__:
        if name in _CODE_COLUMNS or name == "lines_skipped":
            continue
        values = [getattr(part, name) for part in parts]
        for part in parts:
            setattr(part, name, None)
        if name in _NUMERIC:
            setattr(out, name, np.concatenate(values) if values else np.array([], dtype=_NUMERIC[name]))
        else:
            setattr(out, name, [v for chunk in values for v in chunk])
        values = None
    out.lines_skipped = sum(part.lines_skipped for part in parts)
    for name, table in vocab.items():
        setattr(out, name, list(table))
    return out
