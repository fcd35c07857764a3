"""Compiled OCDS releases -> the canonical tenders, bids, suppliers, contracts and payments tables.

One contracting process (``ocid``) is one tender: ``tender_id = ocid``, because
the ocid is the only identifier OCDS guarantees to be unique and stable across
publishers, while ``tender.id`` is often a local number.  Contract and payment
ids are local to their process, so they are prefixed with it
(``{ocid}/{contracts.id}``, ``{ocid}/{contracts.id}/{transactions.id}``).
``OCDS_PATHS`` says where every column comes from (docs/ocds.md shows it).

Amounts keep the currency they were published in (a ``currency`` column on
tenders, bids, contracts and payments); an amount published without one gets
``unknown``, so that the yuan thresholds never apply to it.  Organisations are
keyed by their legal identifier (``identifier.id``, of the party an
OrganizationReference points to in OCDS 1.1, or of the organisation itself in
OCDS 1.0), else by the party ``id``, so one supplier is one ``supplier_id``
across processes.

A row that cannot be used (a required value missing or unparseable, a key
seen before) goes to the rejections with the file, the line or item, the OCDS
path and the value; an unknown method or an unparseable optional value is a
warning that keeps the row.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from ..dataset import LEDGER_COLUMNS, REJECTION_COLUMNS, SOURCE_COLUMNS, Dataset
from ..schema.coerce import coerce_frame
from ..schema.tables import METHOD, TABLES
from .reader import Origin, ReadLog, Spill, frame_bytes, read_ocds

OCDS_PATHS = {
    "tenders": {
        "tender_id": "ocid", "ocid": "ocid", "project_id": "planning.budget.projectID",
        "county": "county map (buyer or its region), else buyer", "buyer": "buyer.name (its party's name)",
        "procuring_entity": "tender.procuringEntity.name", "buyer_id": "buyer.id",
        "procuring_entity_id": "tender.procuringEntity.id", "title": "tender.title",
        "kind": "tender.mainProcurementCategory", "method": "tender.procurementMethod (+ ...Details)",
        "procurement_method": "tender.procurementMethod",
        "procurement_method_details": "tender.procurementMethodDetails",
        "budget": "tender.value.amount", "currency": "tender.value.currency",
        "notice_date": "tender.tenderPeriod.startDate", "bid_deadline": "tender.tenderPeriod.endDate",
        "award_date": "awards[status=active].date (earliest)",
        "winner_id": "awards[status=active].suppliers", "award_amount": "awards[status=active].value.amount (sum)",
        "number_of_tenderers": "tender.numberOfTenderers, else len(tender.tenderers)",
    },
    "bids": {
        "tender_id": "ocid", "bidder_id": "bids.details[].tenderers[]", "amount": "bids.details[].value.amount",
        "currency": "bids.details[].value.currency", "disqualified": "bids.details[].status",
        "ocds_bid_id": "bids.details[].id",
    },
    "suppliers": {
        "supplier_id": "parties[].identifier.id, else parties[].id", "name": "parties[].name",
        "address": "parties[].address", "phone": "parties[].contactPoint.telephone",
        "roles": "parties[].roles",
    },
    "contracts": {
        "contract_id": "ocid/contracts[].id", "ocds_contract_id": "contracts[].id", "ocid": "ocid",
        "tender_id": "ocid (when the process has a tender or awards)",
        "project_id": "planning.budget.projectID, else ocid",
        "supplier_id": "awards[id=contracts[].awardID].suppliers[0]", "sign_date": "contracts[].dateSigned",
        "amount": "contracts[].value.amount", "currency": "contracts[].value.currency",
        "kind": "tender.mainProcurementCategory",
    },
    "payments": {
        "payment_id": "ocid/contracts[].id/implementation.transactions[].id", "ocid": "ocid",
        "project_id": "the contract's project_id", "contract_id": "the contract's contract_id",
        "payee_id": "contracts[].implementation.transactions[].payee (1.0: receiverOrganization), "
                    "else the contract's supplier",
        "date": "contracts[].implementation.transactions[].date",
        "amount": "contracts[].implementation.transactions[].value.amount (1.0: amount.amount)",
        "currency": "contracts[].implementation.transactions[].value.currency",
    },
}

# procurementMethod codes (OCDS codelist) -> the spec's methods
METHOD_CODES = {"open": "open", "selective": "invited", "limited": "negotiation", "direct": "direct"}
# Words in procurementMethodDetails (or in a non-standard procurementMethod) that name the method,
# most specific first; texts are compared without case and accents.
METHOD_WORDS = (
    ("single source", "single_source"), ("sole source", "single_source"), ("单一来源", "single_source"),
    ("adjudicacion directa", "direct"), ("直接", "direct"),
    ("request for quotation", "inquiry"), ("quotation", "inquiry"), ("cotizacion", "inquiry"),
    ("cerere a ofertelor de preturi", "inquiry"), ("询价", "inquiry"), ("報價", "inquiry"), ("报价", "inquiry"),
    ("磋商", "consultation"), ("negotiat", "negotiation"), ("谈判", "negotiation"), ("限制性招標", "negotiation"),
    ("invitacion", "invited"), ("邀请招标", "invited"), ("選擇性招標", "invited"),
    ("licitacion publica", "open"), ("licitatie publica", "open"), ("公开招标", "open"), ("公開招標", "open"),
    *((spelling, value) for value, spellings in METHOD for spelling in spellings),
)
REFINED_BY_DETAILS = {"limited": ("single_source", "inquiry", "negotiation", "consultation"),
                      "direct": ("single_source",)}
KINDS = ("goods", "works", "services")
DISQUALIFIED = {"disqualified": True, "not-qualified": True, "notqualified": True, "invalid": True,
                "rejected": True, "valid": False, "qualified": False, "active": False, "pending": False}
UNKNOWN_CURRENCY = "unknown"


@lru_cache(maxsize=16384)  # statuses and method words: a few texts, met on every bid and process
def plain(text: str) -> str:
    """Lower case, accents and cedillas removed: 'Licitaţie publică' -> 'licitatie publica'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def map_method(code, details) -> str | None:
    """The spec's method for an OCDS procurementMethod and its details; None when unknown."""
    return _map_method(code if isinstance(code, str) else None, details if isinstance(details, str) else None)


@lru_cache(maxsize=4096)  # a publisher uses a handful of method texts over millions of processes
def _map_method(code: str | None, details: str | None) -> str | None:
    code_text = plain(code) if isinstance(code, str) else ""
    details_text = plain(details) if isinstance(details, str) else ""
    if code_text in METHOD_CODES:
        allowed = REFINED_BY_DETAILS.get(code_text, ())
        for word, value in METHOD_WORDS:
            if value in allowed and word in details_text:
                return value
        return METHOD_CODES[code_text]
    for text in (code_text, details_text):
        for word, value in METHOD_WORDS:
            if text and plain(word) in text:
                return value
    return None


def map_kind(category) -> str:
    return category if category in KINDS else "unknown"


# --- reading one compiled release ---------------------------------------------------------------

def _obj(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    """An array as a list of objects (taiwan publishes ``awards`` as one object)."""
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value) -> str | None:
    if value.__class__ is str:  # the common case first: it is called for every field of every process
        return value.strip() or None
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


class _Parties:
    """Organisations of one release: references resolved to keys, names, parties by role."""

    def __init__(self, release: dict):
        self.by_id = {str(p.get("id")): p for p in _list(release.get("parties")) if p.get("id") is not None}
        self.keys: dict[str, str | None] = {}  # a reference's id -> its key: bids, awards and parties repeat them

    def party(self, ref) -> dict:
        ref = _obj(ref)
        found = self.by_id.get(str(ref.get("id"))) if ref.get("id") is not None else None
        return found or ref  # OCDS 1.0: the organisation itself

    def key(self, ref) -> str | None:
        ref_id = ref.get("id") if ref.__class__ is dict else None
        if ref_id.__class__ is str and ref_id in self.keys:
            return self.keys[ref_id]
        party = self.party(ref)
        identifier = _text(_obj(party.get("identifier")).get("id"))
        key = identifier or _text(party.get("id")) or _text(_obj(ref).get("id")) or _text(party.get("name"))
        if ref_id.__class__ is str and party is not ref:  # a reference to a party: the same key every time
            self.keys[ref_id] = key
        return key

    def name(self, ref) -> str | None:
        party = self.party(ref)
        return (_text(party.get("name")) or _text(_obj(ref).get("name"))
                or _text(_obj(party.get("identifier")).get("legalName")))

    def with_role(self, role: str) -> list[dict]:
        return [p for p in self.by_id.values() if role in (p.get("roles") or [])]

    @staticmethod
    def reference_id(ref) -> str | None:
        """The id an organisation is referred to by: the reference's ``id`` (1.1, what the OCP
        indicators group by), else the organisation's own ``identifier.id`` (1.0 has no references)."""
        ref = _obj(ref)
        return _text(ref.get("id")) or _text(_obj(ref.get("identifier")).get("id"))


def _address(party: dict) -> str | None:
    a = _obj(party.get("address"))
    parts = [_text(a.get(k)) for k in ("streetAddress", "locality", "region", "postalCode", "countryName")]
    return ", ".join(p for p in parts if p) or None


@dataclass
class CountyMap:
    """Buyer (name or identifier) or region -> county; unmapped buyers are their own county."""

    buyers: dict[str, str] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)

    def county(self, buyer_name, buyer_key, region) -> str | None:
        for value, table in ((buyer_name, self.buyers), (buyer_key, self.buyers), (region, self.regions)):
            if value is not None and value in table:
                return table[value]
        return buyer_name


# Columns whose texts repeat from process to process (a buyer, a currency, a supplier's id): each is
# kept as one string object however many rows hold it
SHARED_TEXTS = frozenset({"_path", "county", "buyer", "procuring_entity", "buyer_id", "procuring_entity_id",
                          "procurement_method", "procurement_method_details", "currency", "status", "kind",
                          "method", "bidder_id", "supplier_id", "winner_id", "payee_id", "project_id"})


CHUNK_ROWS = 50_000  # rows of a table held as Python tuples before they are made a compact frame


class Rows:
    """Rows of one table being built, with where each came from (file, row, process, OCDS path).

    A row is a tuple in the order of its table's one call of :meth:`add` (a tuple takes a fraction of
    a dict's memory and becomes a frame column by column); the texts of ``SHARED_TEXTS`` columns are
    one object per distinct text.  With a ``spill``, the compact frames wait on disk once the tables' rows
    waiting in memory reach its limit (2,000,000 releases' rows took 1.3 GiB while the indicators were
    computed), and come back when the table is made.
    """

    HEAD = ("_file", "_row", "_seq", "_path")

    def __init__(self, texts: dict | None = None, spill: Spill | None = None):
        self.data: list = []
        self.chunks: list = []  # rows already made compact (see CHUNK_ROWS): frames, or where the spill wrote them
        self.keys: tuple[str, ...] | None = None
        self.shared: tuple[int, ...] = ()  # positions of the SHARED_TEXTS columns in a row
        self.texts = texts if texts is not None else {}
        self.spill = spill

    def _row(self, origin: Origin, path: str, values: dict) -> list:
        keys = tuple(values)
        if keys != self.keys:
            if self.keys is not None:
                raise ValueError(f"one table, two shapes of row: {self.keys} and {keys}")
            self.keys = keys
            self.shared = tuple(i for i, key in enumerate(self.HEAD + keys) if key in SHARED_TEXTS)
        row = [origin.file, origin.row, origin.seq, path, *values.values()]
        texts = self.texts
        for i in self.shared:
            value = row[i]
            if value.__class__ is str:  # one object for every process that repeats it
                row[i] = texts.setdefault(value, value)
        return row

    def add(self, origin: Origin, path: str, **values) -> None:
        self.data.append(tuple(self._row(origin, path, values)))
        if len(self.data) >= CHUNK_ROWS:
            self._flush()

    def add_frame(self, frame: pd.DataFrame) -> None:
        """Rows made in Arrow (:mod:`.native`), in this table's row shape, after the rows added so far."""
        keys = tuple(frame.columns[len(self.HEAD):])
        if self.keys is None:
            self.keys = keys
        elif keys != self.keys:
            raise ValueError(f"one table, two shapes of row: {self.keys} and {keys}")
        self._flush()
        if len(frame):
            self._keep(frame)

    def _flush(self) -> None:
        """The rows so far as a frame: its texts in Arrow strings and numbers in arrays take a few
        bytes a value where Python objects take 30 to 80, so memory grows slowly with the input."""
        if self.data:
            self._keep(pd.DataFrame.from_records(self.data, columns=list(self.HEAD + self.keys)))
            self.data = []

    def _keep(self, frame: pd.DataFrame) -> None:
        self.chunks.append(frame if self.spill is None else self.spill.keep(frame, frame_bytes(frame)))

    def _chunk(self, kept) -> pd.DataFrame:
        return kept if self.spill is None else self.spill.back(kept)

    def _frame(self) -> pd.DataFrame:
        """The rows as one frame, a column at a time (texts held as categories in Arrow's batches made text
        again, their categories joined, without a whole copy of their texts per batch)."""
        self._flush()
        if not self.chunks:
            return pd.DataFrame()
        chunks, self.chunks = [self._chunk(c) for c in self.chunks], []
        out = {}
        for column in chunks[0].columns:
            parts = [c[column] for c in chunks]
            if all(isinstance(p.dtype, pd.CategoricalDtype) and column not in self.HEAD for p in parts):
                joined = parts[0].array if len(parts) == 1 else union_categoricals([p.array for p in parts])
                out[column] = joined.categories.array.take(joined.codes, allow_fill=True)  # str texts
                continue
            parts = [_as_texts(p) if column not in self.HEAD else p for p in parts]
            # a chunk where a column is all empty got no type of its own (object): it takes the others'
            # one, so that the whole has the type one frame of all the rows would have
            filled = [p for p in parts if p.notna().any()]
            if filled and len(filled) < len(parts):
                kind = pd.concat([f.iloc[:0] for f in filled]).dtype  # the type the filled parts share
                kind = "float64" if pd.api.types.is_integer_dtype(kind) else kind  # they had gaps: NaN
                parts = [p if p.notna().any() else p.astype(kind) for p in parts]
            out[column] = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
            parts = filled = None
        return pd.DataFrame(out)

    def frame(self, replaced) -> pd.DataFrame:
        """The rows, without those of process copies a newer copy replaced (their ``Origin.seq``)."""
        df = self._frame()
        if replaced and len(df):
            df = df[~df["_seq"].isin(replaced)].reset_index(drop=True)
        return df


def _as_texts(column: pd.Series) -> pd.Series:
    """A column of categories (texts Arrow's batches hold once each) as the str texts it stands for."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column
    values = column.array
    return pd.Series(values.categories.array.take(values.codes, allow_fill=True), index=column.index)


class Registry(Rows):
    """The suppliers: one row per ``supplier_id``, with its first non-empty value of each column.

    An organisation appears in many processes; keeping one row for it while reading (rather than one
    per mention, grouped at the end) keeps memory to the number of organisations.  Which processes
    named which row is kept as two integer arrays, so that an organisation only a replaced copy named
    is left out; one that the newer copy names too keeps the values first met, which may be the
    replaced copy's (the same organisation's name and address, as a rule).
    """

    FILLED = ("name", "address", "phone", "roles")

    def __init__(self, texts: dict | None = None):
        super().__init__(texts)
        self.where: dict[str, int] = {}
        self.incomplete: set[int] = set()  # rows with a column still empty: later mentions may fill it
        self._positions: tuple[int, ...] | None = None
        self.mention_row = array("q")
        self.mention_seq = array("q")

    def add(self, origin: Origin, path: str, **values) -> None:
        key = values["supplier_id"]
        if key is None:
            return
        at = self.where.get(key)
        if at is None:
            at = self.where[key] = len(self.data)
            self.data.append(self._row(origin, path, values))  # a list: later mentions fill its gaps
        else:
            row = self.data[at]
            for i, value in enumerate(values.values(), start=len(self.HEAD)):
                if value is not None and row[i] is None:
                    row[i] = value
        self.mention_row.append(at)
        self.mention_seq.append(origin.seq)

    def add_party(self, origin: Origin, key, party: dict, role: str, parties: "_Parties") -> None:
        """The organisation ``party`` under ``key``.  Of an organisation already there, only the values
        its row still lacks are worked out (most mentions are of an organisation complete already)."""
        at = self.where.get(key)
        if at is None or key is None:
            self.add(origin, "parties", supplier_id=key, name=parties.name(party), address=_address(party),
                     phone=_text(_obj(party.get("contactPoint")).get("telephone")), roles=role)
            at = self.where.get(key)
            if at is not None and any(self.data[at][i] is None for i in self._filled_positions()):
                self.incomplete.add(at)
            return
        if at in self.incomplete:
            row = self.data[at]
            name_at, address_at, phone_at, roles_at = self._filled_positions()
            if row[name_at] is None:
                row[name_at] = parties.name(party)
            if row[address_at] is None:
                row[address_at] = _address(party)
            if row[phone_at] is None:
                row[phone_at] = _text(_obj(party.get("contactPoint")).get("telephone"))
            if row[roles_at] is None:
                row[roles_at] = role
            if not (row[name_at] is None or row[address_at] is None or row[phone_at] is None):
                self.incomplete.discard(at)
        self.mention_row.append(at)
        self.mention_seq.append(origin.seq)

    def absorb(self, mentions) -> None:
        """Organisations mentioned in a batch mapped in Arrow (:class:`.native.Mentions`), as :meth:`add_party`
        takes them one by one: a new organisation's first values, the gaps of one already here filled."""
        firsts = mentions.firsts
        if not len(firsts):
            return
        if self.keys is None:
            self.keys = ("supplier_id",) + self.FILLED
        keys = firsts["supplier_id"].tolist()
        files, rows, seqs = firsts["_file"].tolist(), firsts["_row"].tolist(), firsts["_seq"].tolist()
        values = [firsts[c].to_numpy(dtype=object, na_value=None).tolist() for c in self.FILLED]
        name_at, address_at, phone_at, roles_at = self._filled_positions()
        positions = []
        for i, key in enumerate(keys):
            at = self.where.get(key)
            if at is None:
                at = self.where[key] = len(self.data)
                filled = [column[i] for column in values]
                self.data.append([files[i], rows[i], seqs[i], "parties", key, *filled])
                if None in filled:
                    self.incomplete.add(at)
            elif at in self.incomplete:
                row = self.data[at]
                for j, column in zip((name_at, address_at, phone_at, roles_at), values):
                    if row[j] is None:
                        row[j] = column[i]
                if not (row[name_at] is None or row[address_at] is None or row[phone_at] is None):
                    self.incomplete.discard(at)
            positions.append(at)
        self.mention_row.extend(np.asarray(positions, dtype=np.int64)[mentions.organisation].tolist())
        self.mention_seq.extend(np.asarray(mentions.seq, dtype=np.int64).tolist())

    def _filled_positions(self) -> tuple[int, ...]:
        if self._positions is None:  # the row's shape is known once the first organisation is added
            columns = self.HEAD + self.keys
            self._positions = tuple(columns.index(c) for c in self.FILLED)
        return self._positions

    def frame(self, replaced) -> pd.DataFrame:
        df = self._frame()
        if replaced and len(df):
            rows = np.frombuffer(self.mention_row, dtype=np.int64)
            live = ~np.isin(np.frombuffer(self.mention_seq, dtype=np.int64), list(replaced))
            df = df[np.isin(np.arange(len(df)), rows[live])]
        return df.sort_values("supplier_id", kind="stable").reset_index(drop=True) if len(df) else df


def _money(value) -> tuple:
    v = _obj(value)
    return v.get("amount"), _text(v.get("currency"))


def _add_release(release: dict, origin: Origin, rows: dict[str, Rows], counties: CountyMap) -> None:
    ocid = release["ocid"]
    parties = _Parties(release)
    tender = _obj(release.get("tender"))
    buyer_ref = release.get("buyer") or (parties.with_role("buyer") or [None])[0]
    buyer = parties.name(buyer_ref) if buyer_ref else None
    procuring = parties.name(tender.get("procuringEntity")) if tender.get("procuringEntity") else None
    buyer_party = parties.party(buyer_ref) if buyer_ref else {}
    region = _text(_obj(buyer_party.get("address")).get("region"))
    county = counties.county(buyer or procuring, parties.key(buyer_ref) if buyer_ref else None, region)
    project = _text(_obj(_obj(release.get("planning")).get("budget")).get("projectID"))
    kind = map_kind(tender.get("mainProcurementCategory"))
    awards = _list(release.get("awards"))
    active = [a for a in awards if a.get("status") == "active"]
    has_tender = bool(tender) or bool(awards) or bool(_obj(release.get("bids")))

    supplier_refs = {}  # supplier_id -> (party, role)
    for role in ("tenderer", "supplier"):
        for p in parties.with_role(role):
            supplier_refs.setdefault(parties.key(p), (p, role))
    # every award names its suppliers, with or without a status (OCDS 1.0 has no parties to list them)
    for a in awards:
        for s in _list(a.get("suppliers")):
            supplier_refs.setdefault(parties.key(s), (parties.party(s), "supplier"))
    if has_tender:
        budget, currency = _money(tender.get("value"))
        winners: dict[str, float] = {}
        award_amounts, award_dates = [], []
        for a in active:
            amount, award_currency = _money(a.get("value"))
            currency = currency or award_currency
            if amount is not None and award_currency in (None, currency):
                award_amounts.append(amount)
            award_dates.append(_text(a.get("date")))
            for s in _list(a.get("suppliers")):
                key = parties.key(s)
                supplier_refs.setdefault(key, (parties.party(s), "supplier"))
                winners[key] = winners.get(key, 0.0) + (_number(amount) or 0.0)
        # several winners (lots): the one with the largest awarded value stands for the tender
        winner = min(winners, key=lambda k: (-winners[k], k)) if winners else None
        period = _obj(tender.get("tenderPeriod"))
        tenderers = _list(tender.get("tenderers"))
        for t in tenderers:
            supplier_refs.setdefault(parties.key(t), (parties.party(t), "tenderer"))
        numeric = [_number(a) for a in award_amounts]
        rows["tenders"].add(
            origin, "", tender_id=ocid, ocid=ocid, project_id=project, county=county, buyer=buyer or procuring,
            procuring_entity=procuring, buyer_id=_Parties.reference_id(buyer_ref),
            procuring_entity_id=_Parties.reference_id(tender.get("procuringEntity")),
            title=_text(tender.get("title")), kind=kind,
            method=map_method(tender.get("procurementMethod"), tender.get("procurementMethodDetails")),
            procurement_method=_text(tender.get("procurementMethod")),
            procurement_method_details=_text(tender.get("procurementMethodDetails")),
            budget=budget, notice_date=_text(period.get("startDate")), bid_deadline=_text(period.get("endDate")),
            award_date=min((d for d in award_dates if d), default=None), winner_id=winner,
            winners="+".join(sorted(winners)) or None,
            award_amount=sum(n for n in numeric if n is not None) if any(n is not None for n in numeric) else None,
            number_of_tenderers=tender.get("numberOfTenderers", len(tenderers) if tenderers else None),
            currency=currency or (UNKNOWN_CURRENCY if (budget is not None or award_amounts) else None))
        for i, bid in enumerate(_list(_obj(release.get("bids")).get("details"))):
            amount, bid_currency = _money(bid.get("value"))
            status = _text(bid.get("status"))
            bidders = _list(bid.get("tenderers")) or [{}]
            for j, t in enumerate(bidders):
                key = parties.key(t) if t else None
                if key:
                    supplier_refs.setdefault(key, (parties.party(t), "tenderer"))
                rows["bids"].add(origin, f"bids.details[{i}]", tender_id=ocid, bidder_id=key, amount=amount,
                                 currency=bid_currency or (UNKNOWN_CURRENCY if amount is not None else None),
                                 status=status, ocds_bid_id=_text(bid.get("id")))
    awards_by_id = {str(a.get("id")): a for a in awards if a.get("id") is not None}
    only_supplier = _sole_supplier(parties, awards)
    for i, c in enumerate(_list(release.get("contracts"))):
        award = awards_by_id.get(str(c.get("awardID")), {}) if c.get("awardID") is not None else {}
        # the award's supplier, else the contract's own (an extension), else the process's only supplier
        suppliers = _list(award.get("suppliers")) or _list(c.get("suppliers")) or only_supplier
        supplier = parties.key(suppliers[0]) if suppliers else None
        if supplier:
            supplier_refs.setdefault(supplier, (parties.party(suppliers[0]), "supplier"))
        amount, currency = _money(c.get("value"))
        local = _text(c.get("id")) or str(i + 1)
        contract_id = f"{ocid}/{local}"
        rows["contracts"].add(
            origin, f"contracts[{i}]", contract_id=contract_id, ocds_contract_id=local, ocid=ocid,
            tender_id=ocid if has_tender else None, project_id=project or ocid, supplier_id=supplier,
            sign_date=_text(c.get("dateSigned")), amount=amount, kind=kind,
            currency=currency or (UNKNOWN_CURRENCY if amount is not None else None), county=county)
        for j, tr in enumerate(_list(_obj(c.get("implementation")).get("transactions"))):
            amount, tr_currency = _money(tr.get("value"))
            if amount is None:  # OCDS 1.0 wrote the value as ``amount``
                amount, tr_currency = _money(tr.get("amount"))
            payee = (parties.key(tr["payee"]) if _obj(tr.get("payee")) else
                     _text(_obj(tr.get("receiverOrganization")).get("id"))) or supplier
            rows["payments"].add(
                origin, f"contracts[{i}].implementation.transactions[{j}]",
                payment_id=f"{contract_id}/{_text(tr.get('id')) or j + 1}", ocid=ocid, project_id=project or ocid,
                contract_id=contract_id, payee_id=payee, date=_text(tr.get("date")), amount=amount,
                currency=tr_currency or (UNKNOWN_CURRENCY if amount is not None else None))
    for key, (party, role) in supplier_refs.items():
        rows["suppliers"].add_party(origin, key, party, role, parties)


def _sole_supplier(parties: _Parties, awards: list[dict]) -> list[dict]:
    """The one organisation the process names as supplier, as ``[reference]``; ``[]`` when none or several.

    Looked for among the parties with role supplier (1.1) and the suppliers of the awards that were not
    withdrawn (cancelled, unsuccessful); OCDS 1.0 lists them only in ``awards[].suppliers``, and a 1.0
    contract often has no ``awardID`` to name its award.
    """
    found: dict[str, dict] = {}
    for p in parties.with_role("supplier"):
        found.setdefault(parties.key(p), p)
    for a in awards:
        if a.get("status") not in ("cancelled", "unsuccessful"):
            for s in _list(a.get("suppliers")):
                found.setdefault(parties.key(s), s)
    found.pop(None, None)
    return list(found.values()) if len(found) == 1 else []


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


# --- rows -> canonical frames ---------------------------------------------------------------------

TABLE_ORDER = ("tenders", "bids", "suppliers", "contracts", "payments")
DATES = {"tenders": ("notice_date", "bid_deadline", "award_date"), "contracts": ("sign_date",),
         "payments": ("date",)}
AMOUNTS = {"tenders": ("budget", "award_amount"), "bids": ("amount",), "contracts": ("amount",),
           "payments": ("amount",)}
KEYS = {"tenders": ("tender_id",), "bids": ("tender_id", "bidder_id"), "contracts": ("contract_id",),
        "payments": ("payment_id",)}
NOT_REQUIRED_HERE = {("tenders", "method")}  # kept empty with a warning: other checks still use the tender
REASONS = {"missing": "{what} missing", "unparseable": "{what} cannot be read as a {kind}"}


@dataclass
class Issues:
    """Rejections and warnings of the mapping, in the Dataset's shape: frames of rows, in the order found
    (a frame takes a fraction of the memory of a dictionary per rejected row)."""

    rejection_frames: list[pd.DataFrame] = field(default_factory=list)
    warning_frames: list[pd.DataFrame] = field(default_factory=list)

    @property
    def rejections(self) -> list[dict]:
        return _records(self.rejection_frames)

    @property
    def warnings(self) -> list[dict]:
        return _records(self.warning_frames)

    @staticmethod
    def rows(df: pd.DataFrame, path: str, values, reason) -> pd.DataFrame:
        """The rows of ``df`` (with their origin columns) as rejection or warning rows."""
        return pd.DataFrame({
            "file": df["_file"].to_numpy(dtype=object), "sheet": "", "row": df["_row"].to_numpy(),
            "column": [_indexed(path, p) for p in df["_path"].tolist()],
            "value": ["" if v is None or v != v else str(v) for v in values],
            "reason": reason if isinstance(reason, list) else [reason] * len(df)}, columns=REJECTION_COLUMNS)


def _records(frames: list[pd.DataFrame]) -> list[dict]:
    return [row for frame in frames for row in frame.to_dict("records")]


@lru_cache(maxsize=65536)  # a few paths and prefixes ("contracts[0]") over many rows
def _indexed(path: str, prefix: str) -> str:
    """'bids.details[].value.amount' with the row's prefix 'bids.details[3]' -> 'bids.details[3].value.amount'."""
    generic = re.sub(r"\[\d+\]", "[]", prefix or "")
    if prefix and path.startswith(generic):
        return prefix + path[len(generic):]
    return path


def _given(values: pd.Series) -> pd.Series:
    """The values, a blank text as no value ("" is no value)."""
    if pd.api.types.is_float_dtype(values) or pd.api.types.is_integer_dtype(values):
        return values  # numbers are never blank
    if isinstance(values.dtype, pd.StringDtype):  # texts as the str dtype: no Python string each
        return values.where(values.str.strip() != "")
    raw = values.astype("object")
    return raw.where(raw.notna() & (raw.astype("str").str.strip() != ""))


def _parse_dates(values: pd.Series) -> pd.Series:
    """ISO dates and date-times as their calendar date as published (its own time zone, not UTC)."""
    if isinstance(values.dtype, pd.StringDtype):
        text = values.str.slice(0, 10)
    else:
        text = values.astype("object").where(values.notna()).astype("str").str.slice(0, 10)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


def _parse_amounts(values: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(values):
        numbers = values.astype("float64")
    else:
        numbers = pd.to_numeric(values.astype("object"), errors="coerce").astype("float64")
    return numbers.where(np.isfinite(numbers))


def _finish(name: str, rows: Rows, issues: Issues, replaced: set[int] = frozenset()) -> pd.DataFrame:
    """Parsed, checked and coerced frame of one table; bad rows go to ``issues``.

    Rows of a process copy that a newer copy replaced (``replaced``: their ``Origin.seq``) are left out.
    """
    spec = TABLES[name]
    df = rows.frame(replaced)
    if df.empty:
        return df
    bad = pd.Series(False, index=df.index)
    paths = OCDS_PATHS[name]

    def flag(mask: pd.Series, column: str, raw: pd.Series, reason: str, reject: bool) -> None:
        nonlocal bad
        mask = mask & ~bad
        if mask.any():
            hit = df[mask]
            target = issues.rejection_frames if reject else issues.warning_frames
            where = hit["ocid"] if "ocid" in hit else hit.get("tender_id")
            why = [f"{reason} (ocid {o})" for o in where.tolist()] if where is not None else reason
            target.append(Issues.rows(hit, paths.get(column, column), raw[mask].tolist(), why))
            if reject:
                bad |= mask

    if name == "tenders":  # said once, in OCDS terms, rather than as "county missing" and "buyer missing"
        flag(df["buyer"].isna(), "buyer", df["buyer"],
             "buyer missing: neither buyer nor tender.procuringEntity names an organisation", True)
    for column in spec.column_names:
        if column not in df.columns:
            continue
        required = spec.column(column).required and (name, column) not in NOT_REQUIRED_HERE
        is_date, is_amount = column in DATES.get(name, ()), column in AMOUNTS.get(name, ())
        if not (required or is_date or is_amount):
            continue
        raw = _given(df[column])
        if is_date:
            df[column] = _parse_dates(raw)
            flag(raw.notna() & df[column].isna(), column, raw, f"{column} is not a date", required)
        elif is_amount:
            df[column] = _parse_amounts(raw)
            flag(raw.notna() & df[column].isna(), column, raw, f"{column} is not a finite number", required)
        if required:
            flag(df[column].isna(), column, raw, f"{column} missing", True)
    if name == "tenders":
        flag(df["method"].isna(), "procurement_method", df["procurement_method"],
             "procurementMethod missing or not mapped: method left empty", False)
    if name == "bids":
        codes, texts = pd.factorize(df["status"].astype("object"))  # a few statuses over many bids
        status = pd.Series(np.array([plain(t) if isinstance(t, str) else t for t in texts] + [np.nan],
                                    dtype=object)[codes], index=df.index)  # NaN (code -1): no status
        flag(status == "withdrawn", "disqualified", df["status"], "withdrawn bid: not an offer", True)
        plain_texts = [plain(t) if isinstance(t, str) else t for t in texts]
        df["disqualified"] = pd.array(np.array([DISQUALIFIED.get(t) for t in plain_texts] + [None],
                                               dtype=object)[codes], dtype="boolean")
        flag(status.notna() & df["disqualified"].isna(), "disqualified", df["status"],
             "bid status not recognised: disqualified left empty", False)
    key = list(KEYS.get(name, ()))
    if key:
        # only the key and origin columns of the rows kept so far: a copy of every column (bids' 6 million
        # rows on 2,000,000 releases) cost a gigabyte
        good = df.loc[~bad, [*key, "_file", "_row", "_path"]]
        later = good.duplicated(key, keep="first")
        if later.any():
            firsts = good.loc[~later, [*key, "_file", "_row"]]
            again = good[later].merge(firsts, on=key, how="left", suffixes=("", "_first"))
            shown = again[key].astype("str").agg("/".join, axis=1)
            issues.rejection_frames.append(Issues.rows(
                again, paths[key[-1]], again[key[-1]].tolist(),
                [f"duplicate {'/'.join(key)} {k}: first read at {f} row {r}"
                 for k, f, r in zip(shown, again["_file_first"], again["_row_first"])]))
            bad |= later.reindex(df.index, fill_value=False)
        good = later = None
    # the origins dropped before the rows are taken (copy on write: dropping copies nothing), and no
    # copy at all when every row is kept
    out = df.drop(columns=["_file", "_row", "_seq", "_path", "status"], errors="ignore")
    out = out[~bad] if bad.any() else out
    df = None  # the rows with their origins are no longer needed: freed before the typed copy is made
    # an optional column OCDS never filled stays absent, so a check that needs it says not_run
    empty = [c for c in out.columns if out[c].isna().all() and not (c in spec.column_names
                                                                   and spec.column(c).required)]
    out = out.drop(columns=empty).reset_index(drop=True)
    return coerce_frame(name, out)


def native_mapper(counties: CountyMap | None, extractor=None):
    """``map_batch(batch, file, first_line, first_seq)`` for :func:`.reader.read_ocds`: an Arrow batch of
    compiled releases mapped as :func:`_add_release` maps each (and the indicators' columns when
    ``extractor`` is given); None when Arrow's JSON reader is not installed."""
    try:
        from .native import map_batch as map_in_arrow
    except ImportError:  # pragma: no cover - pyarrow is a declared dependency
        return None
    excluded = extractor.excluded_details if extractor is not None else None
    texts: dict[str, str] = {}  # the indicators' repeated texts, one object each over every batch

    def map_batch(batch, file, first_line, first_seq):
        count = np.arange(batch.num_rows, dtype=np.int64)
        return map_in_arrow(batch, file, first_line + count, first_seq + count, counties, map_method, KINDS,
                                UNKNOWN_CURRENCY, excluded, texts)
    return map_batch


def map_releases(releases: Iterable[tuple[Origin, dict]], counties: CountyMap | None = None,
                 replaced: set[int] = frozenset(), also=None, extractor=None, arrow: bool = False, read=None):
    """(tables, issues) for compiled releases with their origins.

    ``replaced`` (the reader's ``ReadLog.replaced``, filled while ``releases`` is read) names the
    copies whose rows are dropped at the end; ``also(release, seq)``, when given, is called with every
    release as it is mapped, and ``extractor`` (the OCP indicators' :class:`~.indicators.Extractor`)
    is given every release (one reading feeds both).  A file read in Arrow comes as a
    :class:`~.reader.NativeFile` of mapped batches, whose rows and columns are taken as they are.
    With ``arrow``, releases given one by one (merged from their releases, or read by the Python
    reader) are mapped in Arrow too, a batch at a time, unless their types do not fit its schema.
    ``read()``, when given, is called once every release is read and before the tables are made (the
    indicators are computed then, and their columns let go before the tables' copies are made).
    """
    spill = Spill()
    try:
        return _map_releases(releases, counties or CountyMap(), replaced, also, extractor, arrow, read, spill)
    finally:
        spill.close()


def _map_releases(releases, counties: CountyMap, replaced, also, extractor, arrow: bool, read, spill: Spill):
    """The work of :func:`map_releases`, the rows waiting for their tables held in ``spill``."""
    from .reader import NativeFile

    texts: dict[str, str] = {}
    rows = {name: Registry(texts) if name == "suppliers" else Rows(texts, spill) for name in TABLE_ORDER}
    batched = _ReleaseBatch(counties, extractor) if arrow and also is None else None

    def take(batch) -> None:
        for name, frame in batch.frames.items():
            rows[name].add_frame(frame)
        rows["suppliers"].absorb(batch.mentions)
        if extractor is not None:
            extractor.add_columns(batch.columns)

    def one_by_one(origin, release) -> None:
        _add_release(release, origin, rows, counties)
        if also is not None:
            also(release, origin.seq)
        if extractor is not None:
            extractor.add(release, origin.seq)

    for origin, release in releases:
        if release.__class__ is NativeFile:
            if batched is not None:
                batched.flush(take, one_by_one)
            while release.batches:  # each batch's frames then belong to the tables alone, and go with them
                take(release.take())
        elif batched is not None and batched.arrow:
            batched.add(origin, release)
            if batched.full():
                batched.flush(take, one_by_one)
        else:
            one_by_one(origin, release)
    if batched is not None:
        batched.flush(take, one_by_one)
    if read is not None:
        read()
    issues = Issues()
    tables = {}
    del texts
    from ..load.arrow import release_freed_memory

    for name in TABLE_ORDER:
        frame = _finish(name, rows.pop(name), issues, replaced)  # each table's lists freed once it is a frame
        if len(frame):
            tables[name] = frame
        release_freed_memory()  # the table's parts and checks' copies, before the next is made
    return tables, issues


class _ReleaseBatch:
    """Compiled releases given one by one, held as JSON lines (a fraction of their dictionaries' memory)
    until a batch is mapped in Arrow (:func:`.native.map_batch`).  The first batch whose types do not fit
    Arrow's schema is mapped release by release, and so is every release after it: the data are not of
    the kind Arrow takes."""

    BYTES = 16 * 1024 * 1024

    def __init__(self, counties: CountyMap, extractor):
        self.counties = counties
        self.excluded = extractor.excluded_details if extractor is not None else None
        self.texts: dict[str, str] = {}  # the indicators' repeated texts, one object each over every batch
        self.arrow = True
        self.lines: list[bytes] = []
        self.origins: list[Origin] = []
        self.size = 0

    def add(self, origin: Origin, release: dict) -> None:
        from .reader import _dumps

        data = _dumps(release)
        self.lines.append(data)
        self.origins.append(origin)
        self.size += len(data) + 1

    def full(self) -> bool:
        return self.size >= self.BYTES

    def flush(self, take, one_by_one) -> None:
        if not self.lines:
            return
        import pyarrow as pa

        from .native import Unfit, map_batch, parse_lines
        from .reader import _parse

        lines, origins = self.lines, self.origins
        self.lines, self.origins, self.size = [], [], 0
        try:
            batch = parse_lines(b"\n".join(lines), len(lines))
            mapped = map_batch(
                batch, np.array([o.file for o in origins], dtype=object),
                np.array([o.row if o.row is not None else -1 for o in origins], dtype=np.int64),
                np.array([o.seq for o in origins], dtype=np.int64), self.counties, map_method, KINDS,
                UNKNOWN_CURRENCY, self.excluded, self.texts)
        except (Unfit, ValueError, TypeError, IndexError, KeyError, pa.ArrowException) as exc:
            if not isinstance(exc, Unfit):  # a shape the Arrow mapping does not handle: same result, slower
                logging.getLogger("kpt_audit.ocds").warning("releases mapped one by one (Arrow: %s)", exc)
            self.arrow = False
            for origin, data in zip(origins, lines):
                one_by_one(origin, _parse(data))
            return
        take(mapped)


def _rows_frame(rows: list[dict], frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The reader's rows then the mapping's, as one frame of the Dataset's rejection shape; each column of
    the type one frame of all the rows would have."""
    if not frames:
        return pd.DataFrame(rows, columns=REJECTION_COLUMNS)
    parts = ([pd.DataFrame(rows, columns=REJECTION_COLUMNS)] if rows else []) + frames
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    if not rows:
        return out
    return pd.DataFrame({c: out[c].astype(object).tolist() for c in REJECTION_COLUMNS}, columns=REJECTION_COLUMNS)


@lru_cache(maxsize=4096)
def _table_part(column: str) -> str:
    """'contracts[3].dateSigned' -> 'contracts'."""
    return re.split(r"[.\[]", column)[0]


def load_ocds(path, counties: CountyMap | None = None, log: ReadLog | None = None, also=None, extractor=None,
              native: bool = True, read=None) -> Dataset:
    """Read every OCDS file at ``path`` into a Dataset of the canonical procurement tables.

    ``log`` (filled while reading) keeps the reader's errors; they are also the
    Dataset's first rejections, and its warnings the Dataset's first warnings.  ``also``, ``extractor``,
    ``read``: see :func:`map_releases`; ``native=False`` reads every file release by release in Python (JSON Lines
    of compiled releases are otherwise read and mapped in Arrow, :mod:`.native`, with the same result;
    ``also`` needs the releases themselves, so it turns that off too).
    Raises FileNotFoundError when ``path`` does not exist.
    """
    from ..files import sha256_file

    log = log if log is not None else ReadLog()
    mapper = native_mapper(counties, extractor) if native and also is None else None
    tables, issues = map_releases(read_ocds(path, log, mapper), counties, log.replaced, also, extractor,
                                  arrow=mapper is not None, read=read)

    def as_rows(problems):
        return [{"file": e["file"], "sheet": "", "row": e["line"], "column": "", "value": "", "reason": e["reason"]}
                for e in problems]

    rejections = _rows_frame(as_rows(log.errors + log.duplicates), issues.rejection_frames)
    warnings = _rows_frame(as_rows(log.warnings), issues.warning_frames)
    ledger = []
    mapped = _rows_frame([], issues.rejection_frames)
    mapped["column"] = mapped["column"].map(_table_part)  # the OCDS part a rejected row came from
    per_file = mapped.groupby("file")["column"].agg(lambda c: c.value_counts().sort_index().to_dict())
    for name, account in sorted(log.files.items()):
        notes = list(account.notes)
        for part, n in per_file.get(name, {}).items():
            notes.append(f"{n} {part} row(s) rejected")
        if account.unregistered:
            notes.append(f"{account.unregistered} ocid(s) without a registered prefix (ocds-xxxxxx-): unique only "
                         "within their publisher")
        ledger.append({"file": name, "table": "ocds", "rows_in": account.items, "rows_loaded": account.loaded,
                       "rows_rejected": account.rejected, "notes": "; ".join(notes)})
    root = __import__("pathlib").Path(path)
    sources = [{"table": "ocds", "path": str(root / name if root.is_dir() else root), "sha256": "",
                "encoding": "utf-8", "sheet": "", "header_row": pd.NA}
               for name, account in sorted(log.files.items()) if account.items or account.notes == []]
    for s in sources:
        s["sha256"] = sha256_file(s["path"])
    ds = Dataset(tables=tables, rejections=rejections, warnings=warnings,
                 ledger=pd.DataFrame(ledger, columns=LEDGER_COLUMNS),
                 sources=pd.DataFrame(sources, columns=SOURCE_COLUMNS), root=str(root))
    for col in ("rows_in", "rows_loaded", "rows_rejected"):
        ds.ledger[col] = ds.ledger[col].astype("int64")
    ds.extra_columns = {name: [c for c in frame.columns if c not in TABLES[name].column_names]
                        for name, frame in tables.items()}
    return ds
