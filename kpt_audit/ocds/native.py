"""Compiled releases in JSON Lines, read and mapped in Arrow instead of release by release in Python.

The common bulk download is one JSON Lines file of compiled releases, one per
process.  Such a file is parsed by Arrow's JSON reader against :data:`SCHEMA`
(only the fields the mapping and the indicators read), in blocks of whole lines
(:func:`batches`), and mapped with column operations (:func:`map_batch`) into
the same rows :mod:`.mapping` makes of each release dictionary, and the same
columns the indicators' :class:`~.indicators.core.Extractor` makes: the tables,
findings and indicators are identical, only faster.  Compiled releases merged
from their releases are mapped the same way, as JSON lines in batches
(:func:`parse_lines`).

Arrow's reader is strict about JSON types where the Python path converts
(an identifier written as a number, an amount as text, ``awards`` as one object,
a line that is a package or a record, a blank line): any of these raises
:class:`Unfit` and the Python reader reads the whole file instead, with every
rule and report of its own (:mod:`.reader` also leaves it copies of a process,
whose rule is its own).  Two differences from the Python path are kept on
purpose, as too rare to pay for: an empty object (``"tender": {}``,
``"buyer": {}``, ``"bids": {}``) counts as given, and ``numberOfTenderers:
null`` counts as absent.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from .indicators.core import FINAL_AWARD_STATUSES, Columns

DECAY_MS = 1000
BLOCK_BYTES = 1 << 26  # Arrow parses a file in blocks of this size: memory stays flat however large the file

_S = pa.string()
ORG_FIELDS = [("id", _S), ("name", _S), ("identifier", pa.struct([("id", _S), ("legalName", _S)])),
              ("address", pa.struct([(k, _S) for k in ("streetAddress", "locality", "region", "postalCode",
                                                        "countryName")])),
              ("contactPoint", pa.struct([("telephone", _S)]))]
ORG = pa.struct(ORG_FIELDS)
_VALUE = pa.struct([("amount", pa.float64()), ("currency", _S)])
# Fields that make a line something other than a compiled release (a package, a record, a release naming
# its publisher other than in ``packageInfo``) are typed null: any value there is a type error, so such a
# file goes the Python way
SCHEMA = pa.schema([
    ("ocid", _S), ("date", _S), ("tag", pa.list_(_S)), ("version", _S),
    ("releases", pa.null()), ("records", pa.null()), ("compiledRelease", pa.null()), ("publisher", pa.null()),
    ("packageInfo", pa.struct([("publisher", pa.struct([("name", _S)]))])),  # a lone release's publisher
    ("parties", pa.list_(pa.struct(ORG_FIELDS + [("roles", pa.list_(_S))]))),
    ("buyer", ORG),
    ("planning", pa.struct([("budget", pa.struct([("projectID", _S)]))])),
    ("tender", pa.struct([
        ("status", _S), ("title", _S), ("mainProcurementCategory", _S), ("procurementMethod", _S),
        ("procurementMethodDetails", _S), ("value", _VALUE),
        ("tenderPeriod", pa.struct([("startDate", _S), ("endDate", _S)])), ("numberOfTenderers", pa.int64()),
        ("tenderers", pa.list_(ORG)), ("procuringEntity", ORG)])),
    ("bids", pa.struct([("details", pa.list_(pa.struct([
        ("id", _S), ("status", _S), ("date", _S), ("value", _VALUE), ("tenderers", pa.list_(ORG))])))])),
    ("awards", pa.list_(pa.struct([
        ("id", _S), ("status", _S), ("date", _S), ("value", _VALUE), ("suppliers", pa.list_(ORG)),
        ("items", pa.list_(pa.struct([("classification", pa.struct([("id", _S)]))])))]))),
    ("contracts", pa.list_(pa.struct([
        ("id", _S), ("awardID", _S), ("dateSigned", _S), ("value", _VALUE), ("suppliers", pa.list_(ORG)),
        ("implementation", pa.struct([("transactions", pa.list_(pa.struct([
            ("id", _S), ("date", _S), ("value", _VALUE), ("amount", _VALUE), ("payee", ORG),
            ("receiverOrganization", pa.struct([("id", _S)]))])))]))]))),
])
_NO_TEXT = pa.scalar(None, _S)


@contextmanager
def jemalloc_pool():
    """Arrow's allocations (the JSON reader's, and pandas' texts) from jemalloc while the block runs, where
    the platform has it: on 200,000 compiled releases reading and mapping took a third less CPU and less
    memory than with Arrow's default (mimalloc).  The process's default pool is put back afterwards."""
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # pragma: no cover - a build without jemalloc (Windows)
        yield
        return
    # freed pages handed back to the system after a second, not at once: at once, the reading's blocks and
    # texts came back as fresh pages a block later (200,000 compiled releases: reading 10.6 -> 8.5 s, 2 s of
    # system time, for 70 MB); what is freed between the stages is handed back there (release_freed_memory)
    pa.jemalloc_set_decay_ms(DECAY_MS)
    before = pa.default_memory_pool()
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(before)


class Unfit(Exception):
    """The file is not compiled releases of the types :data:`SCHEMA` expects: the Python reader takes it."""


def publishers(batch: pa.RecordBatch) -> pa.Array:
    """The publisher each line names (``packageInfo.publisher.name``), null when none."""
    return _text(_get(batch.column("packageInfo"), "publisher.name"))


def parse_lines(data, lines: int) -> pa.RecordBatch:
    """``lines`` JSON lines (bytes) as one record batch of :data:`SCHEMA`; :class:`Unfit` when they do not fit."""
    try:
        table = pj.read_json(pa.BufferReader(pa.py_buffer(data)), read_options=pj.ReadOptions(
            block_size=max(BLOCK_BYTES // 4, 1 << 20)), parse_options=pj.ParseOptions(
            explicit_schema=SCHEMA, unexpected_field_behavior="ignore"))
    except (pa.ArrowException, ValueError) as exc:
        raise Unfit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    if table.num_rows != lines:
        raise Unfit("blank lines")
    return table.combine_chunks().to_batches()[0] if lines else pa.RecordBatch.from_pylist([], schema=SCHEMA)


def batches(path) -> Iterator[pa.RecordBatch]:
    """The file's lines as record batches of :data:`SCHEMA`, one per block of about ``BLOCK_BYTES`` of whole
    lines; :class:`Unfit` at the first block that does not fit, or that has a blank line (the Python reader
    numbers lines as they are in the file, and a batch's rows must be its lines).

    The file is cut into blocks here rather than by Arrow's streaming reader, which reads the whole file
    ahead into memory.  Arrow parses each block on its threads, the next one while the caller maps this
    one (Arrow's parser lets go of Python's lock): on 200,000 compiled releases the 3.3 s of parsing were
    otherwise time the mapping waited; one block more is held meanwhile.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocds-parse") as parser:
        ahead = None
        for block, lines in _blocks(path):
            parsing = parser.submit(parse_lines, block, lines)
            if ahead is not None:
                yield from _rows_of(ahead.result())
            ahead = parsing
        if ahead is not None:
            yield from _rows_of(ahead.result())


def _rows_of(batch: pa.RecordBatch):
    return (batch,) if batch.num_rows else ()


def _blocks(path) -> Iterator[tuple[memoryview, int]]:
    """The file's blocks of whole lines, each with its number of lines."""
    with open(path, "rb") as handle:
        rest = b""
        while True:
            data = handle.read(BLOCK_BYTES)
            block = rest + data if rest else data
            cut = len(block) if not data else block.rfind(b"\n") + 1
            if data and not cut:  # one line longer than a block: read on
                rest = block
                continue
            rest = block[cut:]
            if not cut:
                return
            yield memoryview(block)[:cut], block.count(b"\n", 0, cut) + (block[cut - 1:cut] != b"\n")
            block = data = None  # the text goes once parsed


# --- Arrow helpers -------------------------------------------------------------------------------

def _get(array, path: str):
    for name in path.split("."):
        array = pc.struct_field(array, name)
    return array


def _text(array):
    """As the mapping's ``_text``: whitespace trimmed, an empty text is no value."""
    trimmed = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(trimmed, ""), _NO_TEXT, trimmed)


def _np(array, fill=None) -> np.ndarray:
    if fill is not None:
        array = pc.fill_null(array, fill)
    return array.to_numpy(zero_copy_only=False)


def _shared(array, met: dict | None = None) -> np.ndarray:
    """Texts as a numpy array of Python strings and None, one string object for each distinct text
    (buyers, methods, dates repeat over many releases and bids); with ``met`` (text -> the object kept),
    one for each distinct text of every batch (a date met in ninety batches is held once, not ninety times)."""
    encoded = pc.dictionary_encode(array)
    distinct = encoded.dictionary.to_pylist()
    if met is not None:
        distinct = [met.setdefault(t, t) for t in distinct]
    texts = np.array(distinct + [None], dtype=object)
    return texts[_np(encoded.indices, -1).astype(np.int64)]


def _obj(array) -> np.ndarray:
    """Texts as a numpy array of Python strings and None (what the rows hold)."""
    return array.to_numpy(zero_copy_only=False)


@dataclass
class _Items:
    """The items (not null) of a list column: the items, the row each belongs to, its place among them."""

    values: pa.Array
    parent: np.ndarray
    pos: np.ndarray

    @classmethod
    def of(cls, lists) -> "_Items":
        values = pc.list_flatten(lists)
        parent = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
        valid = values.is_valid()
        if valid.false_count:
            mask = valid.to_numpy(zero_copy_only=False)
            values, parent = values.filter(valid), parent[mask]
        pos = np.arange(len(parent), dtype=np.int64) - np.searchsorted(parent, parent, side="left")
        return cls(values, parent, pos)


def _counts(parent: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(parent, minlength=n).astype(np.int64)


def _first_per(parent: np.ndarray, n: int) -> np.ndarray:
    """Index of the first item of each row (-1 when none)."""
    out = np.full(n, -1, dtype=np.int64)
    if len(parent):
        first = np.r_[True, parent[1:] != parent[:-1]]
        out[parent[first]] = np.flatnonzero(first)
    return out


def _take(array, index: np.ndarray):
    """``array[index]``, null where ``index`` is -1."""
    return array.take(pa.array(index, mask=index < 0))


def _as_org(values) -> pa.StructArray:
    """An organisation struct (parties carry ``roles`` besides)."""
    return pa.StructArray.from_arrays([pc.struct_field(values, name) for name, _ in ORG_FIELDS],
                                      fields=list(ORG))


# --- organisations ---------------------------------------------------------------------------------

class _Parties:
    """``parties`` of the batch's releases and the references resolved against them, as the mapping's
    ``_Parties`` does it: a reference's party is the last party of its release with that ``id`` (compared
    as text), else the reference itself (OCDS 1.0)."""

    def __init__(self, parties, n: int):
        items = _Items.of(parties)
        self.rel = items.parent
        self.roles = pc.struct_field(items.values, "roles")
        self.org = _as_org(items.values)
        ids = pc.struct_field(self.org, "id")
        self.ids = ids
        # by_id: one entry per (release, id), the last party's values, in the order the id first appears
        codes = _np(pc.dictionary_encode(ids).indices, -1).astype(np.int64)
        self.codes_of = pc.dictionary_encode(ids).dictionary
        have = np.flatnonzero(codes >= 0)
        self.width = max(len(self.codes_of), 1)
        composite = self.rel[have] * self.width + codes[have]
        order = np.lexsort((have, composite))
        sorted_keys, sorted_at = composite[order], have[order]
        last = np.r_[sorted_keys[1:] != sorted_keys[:-1], True] if len(order) else np.zeros(0, bool)
        first = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]] if len(order) else np.zeros(0, bool)
        self.keys = sorted_keys[last]
        self.last_at = sorted_at[last]
        first_at = sorted_at[first]
        by_first = np.argsort(first_at, kind="stable")
        self.entries = self.last_at[by_first]  # by_id's values in its order: index into the parties

    def find(self, rel: np.ndarray, ids) -> np.ndarray:
        """The party each reference (its release, its raw ``id``) points to; -1 when none."""
        if not len(self.keys) or not len(rel):
            return np.full(len(rel), -1, dtype=np.int64)
        codes = _np(pc.index_in(ids, value_set=self.codes_of), -1).astype(np.int64)
        composite = rel * self.width + codes
        at = np.clip(np.searchsorted(self.keys, composite), 0, len(self.keys) - 1)
        hit = (codes >= 0) & (self.keys[at] == composite)
        return np.where(hit, self.last_at[at], -1)

    def with_role(self, role: str) -> np.ndarray:
        """by_id's entries whose roles name ``role``, in by_id's order (indices into the parties)."""
        flat = pc.list_flatten(self.roles)
        parent = pc.list_parent_indices(self.roles).to_numpy(zero_copy_only=False)
        hit = np.zeros(len(self.org), dtype=bool)
        match = _np(pc.equal(flat, role), False).astype(bool)
        hit[parent[match]] = True
        return self.entries[hit[self.entries]]


@dataclass
class _Resolved:
    """Values of organisations met as references, resolved against the parties."""

    key: pa.Array        # the organisation's key (supplier_id)
    name: pa.Array
    address: pa.Array
    phone: pa.Array
    region: pa.Array
    ref_id: pa.Array     # the reference's own id (text)
    ref_identifier: pa.Array  # the reference's own identifier.id, as given

    def reference_id(self, index: np.ndarray) -> pa.Array:
        """The id the references at ``index`` (-1: none) refer by: their ``id``, else ``identifier.id``."""
        return pc.coalesce(_take(self.ref_id, index), _text(_take(self.ref_identifier, index)))


def _own_values(orgs) -> dict:
    """What the mapping reads of organisations taken as their own party: texts of their id, name,
    identifier and legal name, the address joined, the phone and the region."""
    parts = [_text(_get(orgs, f"address.{k}")) for k in ("streetAddress", "locality", "region", "postalCode",
                                                          "countryName")]
    address = parts[0]
    for part in parts[1:]:  # the non-empty parts joined (Arrow's own null skipping loses rows where all are empty)
        address = pc.coalesce(pc.binary_join_element_wise(address, part, ", "), address, part)
    return {"id": _text(pc.struct_field(orgs, "id")), "name": _text(pc.struct_field(orgs, "name")),
            "identifier": _text(_get(orgs, "identifier.id")), "legal": _text(_get(orgs, "identifier.legalName")),
            "address": address, "phone": _text(_get(orgs, "contactPoint.telephone")), "region": parts[2]}


def _resolve(parties: _Parties, refs: pa.StructArray, rel: np.ndarray) -> _Resolved:
    """Key, name, address, phone, region and reference id of each reference, as the mapping works them out.

    A reference's party is worked out once per party; a reference that points to none (OCDS 1.0) is its
    own party, worked out on those references alone."""
    found = parties.find(rel, pc.struct_field(refs, "id")) if len(refs) else np.zeros(0, dtype=np.int64)
    missing = np.flatnonzero(found < 0)
    of_parties = _own_values(parties.org)
    of_own = _own_values(refs.take(pa.array(missing))) if len(missing) else None
    # each reference's place in the parties' values followed by the unresolved references' own values
    at = found.copy()
    at[missing] = len(parties.org) + np.arange(len(missing))
    where = pa.array(at)

    def pick(name: str):
        values = of_parties[name] if of_own is None else pa.concat_arrays([of_parties[name], of_own[name]])
        return values.take(where)

    ref_id, ref_name = _text(pc.struct_field(refs, "id")), _text(pc.struct_field(refs, "name"))
    key = pc.coalesce(pick("identifier"), pick("id"), ref_id, pick("name"))
    name = pc.coalesce(pick("name"), ref_name, pick("legal"))
    return _Resolved(key, name, pick("address"), pick("phone"), pick("region"), ref_id,
                     _get(refs, "identifier.id"))


# --- a batch -> rows ---------------------------------------------------------------------------------

@dataclass
class Mentions:
    """The organisations a batch names as suppliers or tenderers, for the supplier registry: each once
    (``firsts``: ``_file``, ``_row``, ``_seq`` of its first mention, ``supplier_id``, its first name, address
    and phone met, the role it was first met in), and every mention (within a release, one per
    organisation) as its row of ``firsts`` and its process's ``seq``."""

    firsts: pd.DataFrame
    organisation: np.ndarray
    seq: np.ndarray


@dataclass
class MappedBatch:
    """What one batch of compiled releases gives: the rows of each table (the mapping's row shape), the
    organisations it mentions, and the indicators' columns."""

    frames: dict[str, pd.DataFrame]
    mentions: Mentions
    columns: Columns | None


def _strings(values) -> pa.Array:
    return pa.array(values, type=_S)


def _frame(file, lines: np.ndarray, seqs: np.ndarray, path, values: dict, repeated: bool = True) -> pd.DataFrame:
    """A table's rows as :class:`~.mapping.Rows` holds them: the origin columns, then the values (Arrow
    texts become the str dtype without a Python string each).  With ``repeated``, a text column whose
    texts repeat (at most one distinct text for two rows: a buyer, a currency, a bid's ocid) is held as
    categories, each text once, until the tables are made (``Rows`` makes it text again)."""
    # the origins' file and path as categories: a few texts over millions of rows (half a gigabyte of
    # repeated text on 2,000,000 releases) until the tables are made and the origins dropped
    out = {"_file": _categories(file, len(lines)), "_row": lines, "_seq": seqs, "_path": _categories(path, len(lines))}
    for name, value in values.items():
        if isinstance(value, pa.ChunkedArray):
            value = value.combine_chunks()
        if not isinstance(value, pa.Array):
            out[name] = value
        elif repeated and pa.types.is_string(value.type):
            out[name] = _texts(value)
        else:
            out[name] = value.to_pandas()
    return pd.DataFrame(out)


def _texts(value: pa.Array):
    """Texts as categories when they repeat (categories of the str type, nulls missing), else as str."""
    encoded = pc.dictionary_encode(value)
    if 2 * len(encoded.dictionary) > len(value):
        return value.to_pandas()
    return pd.Categorical.from_codes(_np(encoded.indices, -1).astype(np.int32),
                                     dtype=pd.CategoricalDtype(pd.Index(encoded.dictionary.to_pandas(), dtype="str")),
                                     validate=False)


def _categories(values, rows: int) -> pd.Categorical:
    """``values`` (one text for every row, texts or an Arrow array of them) as a categorical column."""
    if isinstance(values, str):
        return pd.Categorical.from_codes(np.zeros(rows, dtype=np.int8), categories=[values])
    if isinstance(values, pa.Array):
        values = values.to_numpy(zero_copy_only=False)
    return pd.Categorical(values)


def _money_currency(amount: pa.Array, currency: pa.Array, unknown: str) -> pa.Array:
    return pc.if_else(pc.and_(pc.is_null(currency), pc.is_valid(amount)), pa.scalar(unknown), currency)


def _numbers(start: np.ndarray) -> pa.Array:
    """1-based positions as text (a contract or transaction without its own id)."""
    return pc.cast(pa.array(start + 1), _S)


def _last_by(group: np.ndarray, codes: np.ndarray):
    """(sorted keys, index of the last item) of each (group, code) with code >= 0, for lookups."""
    have = np.flatnonzero(codes >= 0)
    composite = group[have] * (1 << 32) + codes[have]
    order = np.lexsort((have, composite))
    keys, at = composite[order], have[order]
    last = np.r_[keys[1:] != keys[:-1], True] if len(keys) else np.zeros(0, dtype=bool)
    return keys[last], at[last]


def _lookup(keys: np.ndarray, at: np.ndarray, group: np.ndarray, codes: np.ndarray) -> np.ndarray:
    if not len(keys):
        return np.full(len(group), -1, dtype=np.int64)
    composite = group * (1 << 32) + codes
    where = np.clip(np.searchsorted(keys, composite), 0, len(keys) - 1)
    return np.where((codes >= 0) & (keys[where] == composite), at[where], -1)


def map_batch(batch: pa.RecordBatch, file, lines: np.ndarray, seqs: np.ndarray, counties,
              map_method, kinds, unknown: str, excluded_details: frozenset | None,
              shared_texts: dict | None = None) -> MappedBatch:
    """The rows of ``batch`` as :func:`.mapping._add_release` makes them, each release read from ``file`` (one
    name, or one per release) at ``lines`` as process ``seqs``; the indicators' columns when
    ``excluded_details`` is given (None: not wanted), their repeated texts (buyers, methods, dates) one
    object each over every batch given the same ``shared_texts`` (text -> the object kept)."""
    n = batch.num_rows
    rel_all = np.arange(n, dtype=np.int64)
    whole_file = file
    if not isinstance(file, str):
        def file(index):  # noqa: F811 - the file of each release a table's rows come from
            return whole_file[index]
    else:
        def file(index):  # noqa: F811
            return whole_file
    col = {name: batch.column(name) for name in batch.schema.names}
    ocid = col["ocid"]
    parties = _Parties(col["parties"], n)
    tender = col["tender"]
    awards_items = _Items.of(col["awards"])
    awards = awards_items.values
    award_rel = awards_items.parent
    bids_obj = col["bids"]
    has_tender = (_np(tender.is_valid(), False).astype(bool) | _np(bids_obj.is_valid(), False).astype(bool)
                  | (_counts(award_rel, n) > 0))

    # --- organisations met as references, resolved in one go --------------------------------------
    buyer = col["buyer"]
    buyer_given = _np(buyer.is_valid(), False).astype(bool)
    buyer_parties = parties.with_role("buyer")  # in by_id's order, which is release order
    first_buyer_party = np.full(n, -1, dtype=np.int64)
    if len(buyer_parties):
        brel = parties.rel[buyer_parties]
        first = np.r_[True, brel[1:] != brel[:-1]]
        first_buyer_party[brel[first]] = buyer_parties[first]
    buyer_from_party = (~buyer_given) & (first_buyer_party >= 0)
    # the buyer reference: release.buyer, else the first party with role buyer (as a reference to itself)
    buyer_ref = pc.if_else(pa.array(buyer_given), buyer,
                           _take(parties.org, np.where(buyer_from_party, first_buyer_party, -1)))
    has_buyer = buyer_given | buyer_from_party
    pe = pc.struct_field(tender, "procuringEntity")
    has_pe = _np(pe.is_valid(), False).astype(bool)

    tenderer_items = _Items.of(_get(tender, "tenderers"))
    award_supplier_items = _Items.of(pc.struct_field(awards, "suppliers"))
    as_award = award_supplier_items.parent
    bid_items = _Items.of(_get(bids_obj, "details"))
    bid_rel = bid_items.parent
    bid_tenderer_items = _Items.of(pc.struct_field(bid_items.values, "tenderers"))
    contract_items = _Items.of(col["contracts"])
    contracts = contract_items.values
    contract_rel = contract_items.parent
    contract_supplier_items = _Items.of(pc.struct_field(contracts, "suppliers"))
    transaction_items = _Items.of(_get(contracts, "implementation.transactions"))
    transactions = transaction_items.values
    payee = pc.struct_field(transactions, "payee")
    payee_given = _np(payee.is_valid(), False).astype(bool)

    groups = [  # (name, references, their release)
        ("buyer", buyer_ref.filter(pa.array(has_buyer)), rel_all[has_buyer]),
        ("pe", pe.filter(pa.array(has_pe)), rel_all[has_pe]),
        ("entries", parties.org.take(pa.array(parties.entries)), parties.rel[parties.entries]),
        ("tenderers", tenderer_items.values, tenderer_items.parent),
        ("award_suppliers", award_supplier_items.values, award_rel[as_award]),
        ("bid_tenderers", bid_tenderer_items.values, bid_rel[bid_tenderer_items.parent]),
        ("contract_suppliers", contract_supplier_items.values, contract_rel[contract_supplier_items.parent]),
        ("payees", payee.filter(pa.array(payee_given)), contract_rel[transaction_items.parent][payee_given]),
    ]
    refs = pa.concat_arrays([g[1] for g in groups])
    refs_rel = np.concatenate([g[2] for g in groups]).astype(np.int64)
    resolved = _resolve(parties, refs, refs_rel)
    spans, start = {}, 0
    for name, values, _ in groups:
        spans[name] = np.arange(start, start + len(values))
        start += len(values)
    # organisation keys as integer codes (-1: none), ranked as their texts sort
    encoded = pc.dictionary_encode(resolved.key)
    key_code = _np(encoded.indices, -1).astype(np.int64)
    key_text = encoded.dictionary
    key_rank = np.empty(len(key_text), dtype=np.int64)
    key_rank[_np(pc.sort_indices(key_text)).astype(np.int64)] = np.arange(len(key_text))

    def per_release(name: str, given: np.ndarray) -> np.ndarray:
        """Index into the resolved references of each release's one reference of ``name`` (-1: none)."""
        out = np.full(n, -1, dtype=np.int64)
        out[given] = spans[name]
        return out

    buyer_at, pe_at = per_release("buyer", has_buyer), per_release("pe", has_pe)
    buyer_name, pe_name = _take(resolved.name, buyer_at), _take(resolved.name, pe_at)
    named = pc.coalesce(buyer_name, pe_name)
    county = named
    if counties is not None and (counties.buyers or counties.regions):
        county = _strings([counties.county(b, k, r) for b, k, r in zip(
            named.to_pylist(), _take(resolved.key, buyer_at).to_pylist(),
            _take(resolved.region, buyer_at).to_pylist())])

    # --- tenders ------------------------------------------------------------------------------------------
    project = _text(_get(col["planning"], "budget.projectID"))
    category = _get(tender, "mainProcurementCategory")
    kind = pc.if_else(pc.fill_null(pc.is_in(category, value_set=pa.array(list(kinds), type=_S)), False),
                      category, pa.scalar("unknown"))
    code, details = _get(tender, "procurementMethod"), _get(tender, "procurementMethodDetails")
    pair = pc.binary_join_element_wise(pc.fill_null(code, "\x00"), pc.fill_null(details, "\x00"), "\x01")
    pair = pc.dictionary_encode(pair)
    methods = []
    for text in pair.dictionary.to_pylist():
        c, d = (None if part == "\x00" else part for part in text.split("\x01", 1))
        methods.append(map_method(c, d))
    method = _strings(methods).take(pair.indices)

    award_status = _np(pc.struct_field(awards, "status")).astype(object)
    active = award_status == "active"
    award_amount_raw = _np(_get(awards, "value.amount"), np.nan).astype(np.float64)
    award_currency = _text(_get(awards, "value.currency"))
    act = np.flatnonzero(active)
    # the tender's currency, else the first active award's
    with_currency = act[_np(award_currency.is_valid(), False).astype(bool)[act]]
    first_currency = np.full(n, -1, dtype=np.int64)
    if len(with_currency):
        wrel = award_rel[with_currency]
        first = np.r_[True, wrel[1:] != wrel[:-1]]
        first_currency[wrel[first]] = with_currency[first]
    currency = pc.coalesce(_text(_get(tender, "value.currency")), _take(award_currency, first_currency))
    # award amounts in that currency (or in none) are summed
    same = _np(pc.or_kleene(pc.is_null(award_currency),
                            pc.equal(award_currency, currency.take(pa.array(award_rel)))), False).astype(bool)
    included = act[~np.isnan(award_amount_raw[act]) & same[act]]
    award_amount = np.zeros(n)
    np.add.at(award_amount, award_rel[included], award_amount_raw[included])
    any_amount = _counts(award_rel[included], n) > 0
    award_amount = np.where(any_amount, award_amount, np.nan)
    award_date = _text(pc.struct_field(awards, "date"))
    dated = act[_np(award_date.is_valid(), False).astype(bool)[act]]
    award_first_date = np.full(n, -1, dtype=np.int64)
    if len(dated):
        order = pc.sort_indices(pa.table({"rel": award_rel[dated], "date": award_date.take(pa.array(dated))}),
                                sort_keys=[("rel", "ascending"), ("date", "ascending")])
        ordered = dated[_np(order).astype(np.int64)]
        orel = award_rel[ordered]
        first = np.r_[True, orel[1:] != orel[:-1]]
        award_first_date[orel[first]] = ordered[first]
    # winners: the active awards' suppliers, each with the awards' summed value; the largest stands for them
    as_code = key_code[spans["award_suppliers"]]
    in_active = active[as_award] & (as_code >= 0)
    winner = np.full(n, -1, dtype=np.int64)
    winners = np.full(n, None, dtype=object)
    if in_active.any():
        wins = pd.DataFrame({"rel": award_rel[as_award][in_active], "code": as_code[in_active],
                             "amount": np.nan_to_num(award_amount_raw[as_award][in_active], nan=0.0)})
        totals = wins.groupby(["rel", "code"], sort=False)["amount"].sum().reset_index()
        totals["rank"] = key_rank[totals["code"].to_numpy()]
        best = totals.sort_values(["rel", "amount", "rank"], ascending=[True, False, True], kind="stable")
        best = best.drop_duplicates("rel")
        winner[best["rel"].to_numpy()] = best["code"].to_numpy()
        several = totals[totals.duplicated("rel", keep=False)].sort_values(["rel", "rank"])
        if len(several):  # lots: every winner, sorted
            texts = key_text.take(pa.array(several["code"].to_numpy())).to_pylist()
            joined = pd.Series(texts, index=several["rel"].to_numpy(), dtype=object).groupby(level=0).agg("+".join)
            winners[joined.index.to_numpy()] = joined.to_numpy(dtype=object)
    winner_text = _take(key_text, winner)
    winners_text = pc.coalesce(_strings(winners), winner_text)
    budget = _get(tender, "value.amount")
    priced = pa.array(_np(budget.is_valid(), False).astype(bool) | any_amount)
    currency = pc.if_else(pc.and_(pc.is_null(currency), priced),
                          pa.scalar(unknown), currency)
    count = _np(_get(tender, "numberOfTenderers"), -1).astype(np.int64)
    listed = _counts(tenderer_items.parent, n)
    number = np.where(count >= 0, count, np.where(listed > 0, listed, -1))
    number = number.astype(np.float64) if (number < 0).any() else number
    if number.dtype == np.float64:
        number[number < 0] = np.nan
    period = _get(tender, "tenderPeriod")
    t = np.flatnonzero(has_tender)
    ta = pa.array(t)
    frames = {"tenders": _frame(file(t), lines[t], seqs[t], "", {
        "tender_id": ocid.take(ta), "ocid": ocid.take(ta), "project_id": project.take(ta), "county": county.take(ta),
        "buyer": named.take(ta), "procuring_entity": pe_name.take(ta),
        "buyer_id": resolved.reference_id(buyer_at[t]), "procuring_entity_id": resolved.reference_id(pe_at[t]),
        "title": _text(_get(tender, "title")).take(ta), "kind": kind.take(ta), "method": method.take(ta),
        "procurement_method": _text(code).take(ta), "procurement_method_details": _text(details).take(ta),
        "budget": budget.take(ta), "notice_date": _text(pc.struct_field(period, "startDate")).take(ta),
        "bid_deadline": _text(pc.struct_field(period, "endDate")).take(ta),
        "award_date": _take(award_date, award_first_date[t]), "winner_id": winner_text.take(ta),
        "winners": winners_text.take(ta), "award_amount": award_amount[t], "number_of_tenderers": number[t],
        "currency": currency.take(ta)})}

    # --- bids: one row per tenderer of each bid (a bid without any: one row without a bidder) --------------
    bids = bid_items.values
    n_bids = len(bids)
    rows_per_bid = np.maximum(_counts(bid_tenderer_items.parent, n_bids), 1)
    bid_of_row = np.repeat(np.arange(n_bids, dtype=np.int64), rows_per_bid)
    tenderer_of_row = np.full(len(bid_of_row), -1, dtype=np.int64)
    starts = np.cumsum(rows_per_bid) - rows_per_bid
    tenderer_of_row[starts[bid_tenderer_items.parent] + bid_tenderer_items.pos] = spans["bid_tenderers"]
    bid_amount = _get(bids, "value.amount")
    row_rel = bid_rel[bid_of_row]
    br = pa.array(bid_of_row)
    paths = _strings([f"bids.details[{i}]" for i in range(int(bid_items.pos.max()) + 1 if n_bids else 0)])
    bid_paths = paths.take(pa.array(bid_items.pos[bid_of_row]))
    frames["bids"] = _frame(file(row_rel), lines[row_rel], seqs[row_rel], bid_paths, {
        "tender_id": ocid.take(pa.array(row_rel)), "bidder_id": _take(resolved.key, tenderer_of_row),
        "amount": bid_amount.take(br),
        "currency": _money_currency(bid_amount, _text(_get(bids, "value.currency")), unknown).take(br),
        "status": _text(pc.struct_field(bids, "status")).take(br),
        "ocds_bid_id": _text(pc.struct_field(bids, "id")).take(br)})

    # --- contracts and payments ----------------------------------------------------------------------------
    n_contracts = len(contracts)
    # the award a contract names: the last award of its release with that id (compared as text)
    award_ids, award_id_of = pc.struct_field(awards, "id"), pc.struct_field(contracts, "awardID")
    vocabulary = pc.unique(pa.concat_arrays([award_ids, award_id_of]).drop_null())
    a_code = _np(pc.index_in(award_ids, value_set=vocabulary), -1).astype(np.int64)
    c_code = _np(pc.index_in(award_id_of, value_set=vocabulary), -1).astype(np.int64)
    award_of_contract = _lookup(*_last_by(award_rel, a_code), contract_rel, c_code)
    first_award_supplier = _first_per(as_award, len(awards))
    first_contract_supplier = _first_per(contract_supplier_items.parent, n_contracts)
    # the process's only supplier: parties with role supplier and suppliers of awards not withdrawn
    supplier_parties = parties.with_role("supplier")
    entry_of_party = np.full(len(parties.org), -1, dtype=np.int64)
    entry_of_party[parties.entries] = spans["entries"]
    withdrawn = np.isin(award_status[as_award], ["cancelled", "unsuccessful"])
    candidate_rel = np.concatenate([parties.rel[supplier_parties], award_rel[as_award][~withdrawn]])
    candidate_code = np.concatenate([key_code[entry_of_party[supplier_parties]], as_code[~withdrawn]])
    candidates = pd.DataFrame({"rel": candidate_rel, "code": candidate_code})
    candidates = candidates[candidates["code"] >= 0].drop_duplicates()
    sizes = candidates.groupby("rel")["code"].agg(["first", "size"])
    only_supplier = np.full(n, -1, dtype=np.int64)
    one = sizes[sizes["size"] == 1]
    only_supplier[one.index.to_numpy()] = one["first"].to_numpy()
    # the award's first supplier, else the contract's own, else the process's only supplier
    award_first = np.append(first_award_supplier, -1)[award_of_contract]  # -1 (no award) picks the -1 appended
    use_award = award_first >= 0
    use_own = ~use_award & (first_contract_supplier >= 0)
    supplier_ref = np.full(n_contracts, -1, dtype=np.int64)  # index into the resolved references
    supplier_ref[use_award] = spans["award_suppliers"][award_first[use_award]]
    supplier_ref[use_own] = spans["contract_suppliers"][first_contract_supplier[use_own]]
    supplier_code = np.append(key_code, -1)[supplier_ref]
    use_only = ~use_award & ~use_own
    supplier_code[use_only] = only_supplier[contract_rel[use_only]]
    supplier = _take(key_text, supplier_code)
    local = pc.coalesce(_text(pc.struct_field(contracts, "id")), _numbers(contract_items.pos))
    cr = pa.array(contract_rel)
    contract_ocid = ocid.take(cr)
    contract_id = pc.binary_join_element_wise(contract_ocid, local, "/")
    contract_project = pc.coalesce(project.take(cr), contract_ocid)
    c_amount = _get(contracts, "value.amount")
    contract_paths = _strings([f"contracts[{i}]" for i in range(int(contract_items.pos.max()) + 1
                                                                  if n_contracts else 0)])
    frames["contracts"] = _frame(file(contract_rel), lines[contract_rel], seqs[contract_rel],
                                 contract_paths.take(pa.array(contract_items.pos)), {
        "contract_id": contract_id, "ocds_contract_id": local, "ocid": contract_ocid,
        "tender_id": pc.if_else(pa.array(has_tender[contract_rel]), contract_ocid, _NO_TEXT),
        "project_id": contract_project, "supplier_id": supplier,
        "sign_date": _text(pc.struct_field(contracts, "dateSigned")), "amount": c_amount, "kind": kind.take(cr),
        "currency": _money_currency(c_amount, _text(_get(contracts, "value.currency")), unknown),
        "county": county.take(cr)})

    tr_contract = transaction_items.parent
    trc = pa.array(tr_contract)
    value_amount = _get(transactions, "value.amount")
    old_style = pc.is_null(value_amount)  # OCDS 1.0 wrote the value as ``amount``
    tr_amount = pc.if_else(old_style, _get(transactions, "amount.amount"), value_amount)
    tr_currency = pc.if_else(old_style, _text(_get(transactions, "amount.currency")),
                             _text(_get(transactions, "value.currency")))
    payee_at = np.full(len(transactions), -1, dtype=np.int64)
    payee_at[payee_given] = spans["payees"]
    payee_key = pc.if_else(pa.array(payee_given), _take(resolved.key, payee_at),
                           _text(_get(transactions, "receiverOrganization.id")))
    tr_contract_id = contract_id.take(trc)
    tr_rel = contract_rel[tr_contract]
    tr_paths = _strings([f"contracts[{i}].implementation.transactions[{j}]"
                         for i, j in zip(contract_items.pos[tr_contract], transaction_items.pos)])
    frames["payments"] = _frame(file(tr_rel), lines[tr_rel], seqs[tr_rel], tr_paths, {
        "payment_id": pc.binary_join_element_wise(
            tr_contract_id, pc.coalesce(_text(pc.struct_field(transactions, "id")), _numbers(transaction_items.pos)),
            "/"),
        "ocid": ocid.take(pa.array(tr_rel)), "project_id": contract_project.take(trc), "contract_id": tr_contract_id,
        "payee_id": pc.coalesce(payee_key, supplier.take(trc)), "date": _text(pc.struct_field(transactions, "date")),
        "amount": tr_amount, "currency": _money_currency(tr_amount, tr_currency, unknown)})

    # --- supplier mentions, in the order the mapping meets them within a release ----------------------------
    tenderer_role = np.isin(parties.entries, parties.with_role("tenderer"))
    supplier_role = np.isin(parties.entries, supplier_parties)
    own_supplier = np.zeros(len(contract_supplier_items.parent), dtype=bool)
    own_supplier[first_contract_supplier[use_own]] = True
    stages = [  # (references, their release, role), in the mapping's order
        (spans["entries"][tenderer_role], parties.rel[parties.entries][tenderer_role], 0),
        (spans["entries"][supplier_role], parties.rel[parties.entries][supplier_role], 1),
        (spans["award_suppliers"], award_rel[as_award], 1),
        (spans["tenderers"][has_tender[tenderer_items.parent]],
         tenderer_items.parent[has_tender[tenderer_items.parent]], 0),
        (spans["bid_tenderers"], bid_rel[bid_tenderer_items.parent], 0),
        (spans["contract_suppliers"][own_supplier], contract_rel[contract_supplier_items.parent][own_supplier], 1),
    ]
    ref = np.concatenate([s[0] for s in stages]).astype(np.int64)
    rel = np.concatenate([s[1] for s in stages]).astype(np.int64)
    role = np.concatenate([np.full(len(s[0]), s[2], dtype=np.int8) for s in stages])
    order = np.argsort(rel, kind="stable")  # stages in order within each release
    ref, rel, role = ref[order], rel[order], role[order]
    code = key_code[ref]
    keep = code >= 0
    ref, rel, role, code = ref[keep], rel[keep], role[keep], code[keep]
    # the first mention of each organisation within a release
    pairs = rel * (len(key_text) + 1) + code
    _, first = np.unique(pairs, return_index=True)
    first.sort()
    ref, rel, role, code = ref[first], rel[first], role[first], code[first]
    # each organisation once for the batch, in the order first met: its first mention's origin and role, and
    # each column's first value met (the registry keeps the first values; mentions stay as two integers)
    met, met_at = np.unique(code, return_index=True)
    in_order = np.argsort(met_at, kind="stable")
    met, met_at = met[in_order], met_at[in_order]
    organisation = np.empty(len(key_text) + 1, dtype=np.int64)
    organisation[met] = np.arange(len(met))
    organisation = organisation[code]  # each mention's organisation, as a row of ``firsts``
    values = {}
    for column in ("name", "address", "phone"):
        given = getattr(resolved, column).take(pa.array(ref))
        have = np.flatnonzero(_np(given.is_valid(), False).astype(bool))
        found, at = np.unique(organisation[have], return_index=True)
        chosen = np.full(len(met), -1, dtype=np.int64)
        chosen[found] = have[at]
        values[column] = _take(given, chosen)
    firsts = _frame(file(rel[met_at]), lines[rel[met_at]], seqs[rel[met_at]], "parties", {
        "supplier_id": key_text.take(pa.array(met)), **values,
        "roles": _strings(["tenderer", "supplier"]).take(pa.array(role[met_at]))}, repeated=False).drop(columns=["_path"])
    mentions = Mentions(firsts, organisation, seqs[rel])

    columns = None if excluded_details is None else _indicator_columns(
        col, _obj(ocid), seqs, awards_items, award_status, award_supplier_items, bid_items, bid_tenderer_items,
        excluded_details, {} if shared_texts is None else shared_texts)
    return MappedBatch(frames, mentions, columns)


def _indicator_columns(col, ocid_np, seqs, awards_items, award_status, award_supplier_items, bid_items,
                       bid_tenderer_items, excluded_details, met: dict) -> Columns:
    """The :class:`~.indicators.core.Extractor`'s columns, with its type rules (Arrow's schema holds them:
    a text is a JSON string, an amount a JSON number, ``numberOfTenderers`` an integer)."""
    n = len(ocid_np)
    tender = col["tender"]
    details = _obj(_get(tender, "procurementMethodDetails"))
    status = _obj(_get(tender, "status"))
    keep = status != "cancelled"
    if excluded_details:
        keep &= ~np.isin(details.astype(str), list(excluded_details)) | pd.isna(details)
    new_rel = np.cumsum(keep) - 1
    c = Columns()
    kept = np.flatnonzero(keep)
    c.r_ocid = ocid_np[kept]
    c.r_seq = np.asarray(seqs[kept], dtype=np.int64)
    c.r_details = _shared(_get(tender, "procurementMethodDetails"), met)[kept]
    c.r_buyer = _shared(_get(col["buyer"], "id"), met)[kept]
    c.r_procuring_entity = _shared(_get(tender, "procuringEntity.id"), met)[kept]
    c.r_method = _shared(_get(tender, "procurementMethod"), met)[kept]
    period = _get(tender, "tenderPeriod")
    c.r_start = _shared(pc.struct_field(period, "startDate"), met)[kept]
    c.r_end = _shared(pc.struct_field(period, "endDate"), met)[kept]
    c.r_single_tenderer = (_np(_get(tender, "numberOfTenderers"), -1) == 1)[kept]

    award_rel = awards_items.parent
    awards = awards_items.values
    has_status = ~pd.isna(award_status)
    active = award_status == "active"
    not_final = has_status & ~active & ~np.isin(award_status.astype(str), list(FINAL_AWARD_STATUSES))
    c.r_awards_list = _np(col["awards"].is_valid(), False).astype(bool)[kept]
    c.r_awards_final = (_counts(award_rel[not_final], n) == 0)[kept]
    active_count = _counts(award_rel[active], n)
    c.r_active_awards = np.asarray(active_count[kept], dtype=np.int64)
    suppliers = pc.struct_field(awards, "suppliers")
    listed = _np(suppliers.is_valid(), False).astype(bool)
    raw_len = _np(pc.list_value_length(suppliers), 0).astype(np.int64)
    as_award = award_supplier_items.parent
    sid = _obj(pc.struct_field(award_supplier_items.values, "id"))
    as_take = active[as_award] & ~pd.isna(sid) & keep[award_rel[as_award]]  # excluded releases code nothing
    as_award_kept = as_award[as_take]
    # ids are coded in the order met: within a release, the active awards' suppliers, then the bid tenderers
    bid_rel = bid_items.parent
    bids_listed = _np(_get(col["bids"], "details").is_valid(), False).astype(bool)
    bt_id = _obj(pc.struct_field(bid_tenderer_items.values, "id"))
    bt_take = ~pd.isna(bt_id) & keep[bid_rel[bid_tenderer_items.parent]]
    bt_bid = bid_tenderer_items.parent[bt_take]
    met_rel = np.concatenate([award_rel[as_award_kept], bid_rel[bt_bid]])
    met_id = np.concatenate([sid[as_take], bt_id[bt_take]])
    order = np.argsort(met_rel, kind="stable")
    vocab_codes, vocabulary = pd.factorize(pd.Series(met_id[order], dtype=object), sort=False)
    codes = np.empty(len(order), dtype=np.int64)
    codes[order] = vocab_codes
    as_code, bt_code = codes[:len(as_award_kept)], codes[len(as_award_kept):]
    # an active award's sole supplier: its only supplier, when that one has an id
    first_code = np.full(len(awards), -1, dtype=np.int64)
    firsts = np.r_[True, as_award_kept[1:] != as_award_kept[:-1]] if len(as_award_kept) else np.zeros(0, bool)
    first_code[as_award_kept[firsts]] = as_code[firsts]
    sole = np.where(active & listed & (raw_len == 1), first_code, -1)
    one_active = active_count == 1
    sole_of_release = np.full(n, -1, dtype=np.int64)
    act = np.flatnonzero(active)
    sole_of_release[award_rel[act]] = sole[act]  # with one active award, its own
    sole_of_release[~one_active] = -1
    c.r_sole_supplier = np.asarray(sole_of_release[kept], dtype=np.int64)
    as_keep = keep[award_rel[as_award_kept]]
    c.as_release = np.asarray(new_rel[award_rel[as_award_kept]][as_keep], dtype=np.int64)
    c.as_id = np.asarray(as_code[as_keep], dtype=np.int64)
    items = _Items.of(pc.struct_field(awards, "items"))
    item_code = _obj(_get(items.values, "classification.id"))
    item_take = (sole[items.parent] >= 0) & ~pd.isna(item_code) & keep[award_rel[items.parent]]
    c.ic_release = np.asarray(new_rel[award_rel[items.parent[item_take]]], dtype=np.int64)
    c.ic_supplier = np.asarray(sole[items.parent[item_take]], dtype=np.int64)
    c.ic_code = _shared(_get(items.values, "classification.id"))[item_take]

    c.r_bid_list = bids_listed[kept]
    bids = bid_items.values
    bid_keep = keep[bid_rel]
    new_bid = np.cumsum(bid_keep) - 1
    bid_status = _obj(pc.struct_field(bids, "status"))
    status_codes, statuses = pd.factorize(pd.Series(bid_status[bid_keep], dtype=object), sort=False)
    c.b_release = np.asarray(new_rel[bid_rel[bid_keep]], dtype=np.int64)
    c.b_status = np.asarray(status_codes, dtype=np.int64)
    amount = _np(_get(bids, "value.amount"), np.nan).astype(np.float64)[bid_keep]
    currency = _obj(_get(bids, "value.currency"))[bid_keep]
    priced = ~np.isnan(amount) & ~pd.isna(currency)
    currency_codes, currencies = pd.factorize(pd.Series(np.where(priced, currency, None), dtype=object), sort=False)
    c.b_amount = np.asarray(np.where(priced, amount, np.nan), dtype=np.float64)
    c.b_currency = np.asarray(currency_codes, dtype=np.int64)
    c.b_date = _shared(pc.struct_field(bids, "date"), met)[bid_keep]
    tenderers = pc.struct_field(bids, "tenderers")
    count = _np(pc.list_value_length(tenderers), -1).astype(np.int64)
    c.b_tenderers = np.asarray(count[bid_keep], dtype=np.int64)
    first_tenderer = np.full(len(bids), -1, dtype=np.int64)
    at_first = bid_tenderer_items.pos[bt_take] == 0
    first_tenderer[bt_bid[at_first]] = bt_code[at_first]
    c.b_first_tenderer = np.asarray(first_tenderer[bid_keep], dtype=np.int64)
    bt_keep = bid_keep[bt_bid]
    c.bt_bid = np.asarray(new_bid[bt_bid[bt_keep]], dtype=np.int64)
    c.bt_id = np.asarray(bt_code[bt_keep], dtype=np.int64)
    c.ids = list(vocabulary)
    c.statuses = list(statuses)
    c.currencies = list(currencies)
    return c
