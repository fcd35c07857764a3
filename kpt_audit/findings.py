"""The findings frame: columns, stable ids, ordering and status against a previous run.

With a previous run, a current finding is ``new`` or ``persisting``; an earlier one
absent now is ``not_found_again`` (本期未再发现，待核实) with a ``cause``: ``cleared``
when its entity is still in the data (the condition no longer holds) or
``entity_missing`` when the entity's row is gone.  Absence is never called
rectification: only the register's ``rectification`` says 已整改 (checks.md
revision 2, interfaces.md).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .schema.tables import TABLES

FINDING_COLUMNS = ["finding_id", "finding_no", "check_id", "area", "severity", "county", "project_id",
                   "project_name", "entity_type", "entity_id", "entity_name", "amount", "title", "detail",
                   "basis", "status", "cause"]
SORT_KEYS = ["county", "check_id", "entity_id"]
NEW, PERSISTING, NOT_FOUND_AGAIN = "new", "persisting", "not_found_again"
CLEARED, ENTITY_MISSING = "cleared", "entity_missing"
# statuses of earlier rows that were already absent then (revision 1 wrote "resolved")
GONE = {NOT_FOUND_AGAIN, "resolved"}

# where an entity's row lives: entity_type -> (table, key columns joined by '|' in the entity id)
ENTITY_ROWS = {
    "project": ("projects", ["project_id"]), "tender": ("tenders", ["tender_id"]),
    "contract": ("contracts", ["contract_id"]), "payment": ("payments", ["payment_id"]),
    "application": ("subsidies", ["application_id"]), "commitment": ("commitments", ["item_id"]),
    "target": ("targets", ["project_id", "indicator"]), "county": ("projects", ["county"]),
}

# entity types whose id lists several rows of one table (ids joined by "+")
ENTITY_GROUPS = {"tender_group": ("tenders", "tender_id"), "account_group": ("subsidies", "application_id")}
# every column :func:`entity_present` reads, by table (a run on data split on disk reads just these)
ENTITY_COLUMNS: dict[str, tuple[str, ...]] = {}
for _table, _keys in [*ENTITY_ROWS.values(), *((t, [c]) for t, c in ENTITY_GROUPS.values()),
                      ("suppliers", ["supplier_id"]), ("bids", ["bidder_id"]), ("contracts", ["supplier_id"]),
                      *((name, list(t.key)) for name, t in TABLES.items() if t.key)]:  # a DQ01 cell's row
    ENTITY_COLUMNS[_table] = tuple(dict.fromkeys([*ENTITY_COLUMNS.get(_table, ()), *_keys]))


def finding_id(check_id: str, entity_type: str, entity_id: str) -> str:
    """First 16 hex digits of sha256(check_id|entity_type|entity_id): stable across runs."""
    return hashlib.sha256(f"{check_id}|{entity_type}|{entity_id}".encode("utf-8")).hexdigest()[:16]


def finding_no(check_id: str, finding_id: str) -> str:
    """The short number people quote: the check id, a hyphen and 6 hex digits (``EXE01-55f449``)."""
    return f"{check_id}-{finding_id[:6]}"


def empty_findings() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype="str") for c in FINDING_COLUMNS})
    df["amount"] = df["amount"].astype("float64")
    return df


def sort_findings(df: pd.DataFrame) -> pd.DataFrame:
    """Rows by county, check_id, entity_id (code-point order, empty county first)."""
    if df.empty:
        return df.reset_index(drop=True)
    return df.iloc[_order(df[SORT_KEYS])].reset_index(drop=True)


def _order(keys: pd.DataFrame) -> np.ndarray:
    """The positions of the rows of ``keys`` (the ``SORT_KEYS`` columns) in the findings order: Arrow's stable
    sort of their texts (pandas' sort of three text columns of millions of findings took a gigabyte more)."""
    # UTF-8 byte order, which Arrow compares, equals code-point order: the result does not depend on locale
    table = pa.table({k: pc.fill_null(pa.array(keys[k].astype(str).array), "") for k in SORT_KEYS})
    return pc.sort_indices(table, sort_keys=[(k, "ascending") for k in SORT_KEYS]).to_numpy()


@dataclass(frozen=True)
class Repeated:
    """A column of texts that repeat from row to row (a check's id, title and basis, a county): each row a
    small code into the texts, each text held once.  ``-1``: missing."""

    codes: np.ndarray
    texts: pd.api.extensions.ExtensionArray  # of the findings' ``str`` type

    @classmethod
    def of(cls, values) -> "Repeated":
        """``values`` (a list) as ``pd.array(values, dtype="str")`` spells them."""
        codes, texts = pd.factorize(pd.array(values, dtype="str"))
        return cls(_small(codes, len(texts)), texts)

    @classmethod
    def same(cls, text: str, rows: int) -> "Repeated":
        """``text`` on each of ``rows`` rows (codes that take no memory)."""
        return cls(np.broadcast_to(np.int8(0), rows), pd.array([text], dtype="str"))

    def __len__(self) -> int:
        return len(self.codes)

    def where(self, rows: np.ndarray) -> "Repeated":
        return Repeated(self.codes[rows], self.texts)

    def equal_to(self, text: str) -> np.ndarray:
        """Which rows hold ``text`` (a missing one does not)."""
        hit = np.asarray(self.texts == text, dtype=bool)  # no text is missing: factorize leaves NA out
        return np.append(hit, False)[self.codes]

    def as_texts(self, order: np.ndarray | None = None):
        """The rows' texts (NaN where missing), in ``order`` when given."""
        return self.texts.take(self.codes if order is None else self.codes[order], allow_fill=True)

    @staticmethod
    def joined(parts: list["Repeated"]) -> "Repeated":
        """The parts' rows one after another, their texts held once."""
        texts = parts[0].texts._concat_same_type([p.texts for p in parts]) if len(parts) > 1 else parts[0].texts
        new_codes, unique = pd.factorize(texts)
        codes, start = [], 0
        for p in parts:
            recode = np.append(new_codes[start:start + len(p.texts)], -1)  # -1 indexes the -1 appended
            codes.append(recode[p.codes])
            start += len(p.texts)
        return Repeated(_small(np.concatenate(codes), len(unique)), unique)


def _small(codes: np.ndarray, texts: int) -> np.ndarray:
    """``codes`` in the smallest signed integers that hold them (a byte a row for a few texts)."""
    return codes.astype(np.int8 if texts < 127 else np.int16 if texts < 32767 else np.int32)


def sorted_together(parts: list, columns: list[str]) -> pd.DataFrame:
    """``sort_findings(pd.concat(parts))[columns]``, the columns typed as ``pd.concat`` types them, made a
    column at a time: the parts are used up (each column dropped from them once it has joined the whole),
    so the findings are held about once, not three times over (the parts, their concatenation and its
    sorted copy: gigabytes on millions of findings).  A part is a frame or a dict of columns (arrays, or
    :class:`Repeated` texts); a column a part lacks is missing on its rows."""
    parts = [p for p in parts if _rows(p)]
    if not parts:
        return empty_findings().reindex(columns=columns)
    sizes = [_rows(p) for p in parts]
    order = _order(pd.DataFrame({k: _taken(_joined([p[k] if k in p else None for p in parts], sizes))
                                 for k in SORT_KEYS}))
    out = {}
    for name in columns:
        values = _taken(_joined([p.pop(name) if name in p else None for p in parts], sizes), order)
        out[name] = pd.Series(values, dtype=values.dtype, copy=False)  # Python objects stay objects
    return pd.DataFrame(out, columns=columns)


def _rows(part) -> int:
    return len(part) if isinstance(part, pd.DataFrame) else len(next(iter(part.values()), ()))


def _joined(columns: list, sizes: list[int]):
    """The parts' columns one after another, typed as ``pd.concat`` of the parts types them (a part's
    :class:`Repeated` as its texts, ``str``; Repeated parts stay Repeated); None where a part lacks the
    column."""
    columns = [c.array if isinstance(c, pd.Series) else c for c in columns]
    present = [c for c in columns if c is not None]
    if not present:  # no part has it: missing everywhere
        return pd.Series(np.full(sum(sizes), np.nan), dtype=object).array
    if all(isinstance(c, np.ndarray) and c.dtype.kind == "f" for c in present):
        return np.concatenate([np.full(n, np.nan) if c is None else c.astype("float64", copy=False)
                               for c, n in zip(columns, sizes)])
    if all(isinstance(c, Repeated) for c in present) and len(present) == len(columns):
        return Repeated.joined(columns)
    if all(isinstance(c, Repeated) or c.dtype == "str" for c in present):
        texts = [pd.array([None] * n, dtype="str") if c is None else c.as_texts() if isinstance(c, Repeated)
                 else c for c, n in zip(columns, sizes)]
        return texts[0] if len(texts) == 1 else texts[0]._concat_same_type(texts)
    # texts beside a column of Python objects (a part's all-missing column): objects, as pd.concat makes them
    return pd.concat([pd.Series(np.full(n, np.nan), dtype=object) if c is None
                      else pd.Series(c.as_texts() if isinstance(c, Repeated) else c)
                      for c, n in zip(columns, sizes)], ignore_index=True).array


def _taken(column, order: np.ndarray | None = None):
    """``column``'s values in ``order`` (as they are when None), Repeated texts as ``str``."""
    if isinstance(column, Repeated):
        return column.as_texts(order)
    if order is None:
        return column
    return column[order] if isinstance(column, np.ndarray) else column.take(order)


def with_status(current: pd.DataFrame, previous: pd.DataFrame, tables=None) -> pd.DataFrame:
    """Mark findings new/persisting against ``previous`` and append the ones not found again.

    ``tables`` (the current data) tell whether an absent finding's entity is still there
    (cause ``cleared``) or gone (``entity_missing``); without them the cause is ``cleared``
    only when the entity has other findings now.  ``tables`` may be a function of the findings
    no longer found, giving tables that hold at least their entities' rows (of data too large to
    hold, only those are read).
    """
    previous = previous.reindex(columns=FINDING_COLUMNS)
    prev = previous[~previous["status"].fillna("").isin(GONE)]
    seen = set(prev["finding_id"].astype(str))
    cur = current.copy()
    cur["status"] = [PERSISTING if f in seen else NEW for f in cur["finding_id"].astype(str)]
    if "cause" not in cur:
        cur["cause"] = ""
    gone = prev[~prev["finding_id"].astype(str).isin(set(cur["finding_id"].astype(str)))].copy()
    gone["status"] = NOT_FOUND_AGAIN
    if callable(tables):
        tables = tables(gone)
    gone["cause"] = [CLEARED if entity_present(t, e, tables, cur) else ENTITY_MISSING
                     for t, e in zip(gone["entity_type"], gone["entity_id"])]
    gone["finding_no"] = [n if isinstance(n, str) and n else finding_no(c, f)
                          for n, c, f in zip(gone["finding_no"], gone["check_id"], gone["finding_id"])]
    columns = [c for c in cur.columns if c in FINDING_COLUMNS] + [c for c in cur.columns if c not in FINDING_COLUMNS]
    out = pd.concat([cur, gone.reindex(columns=columns)], ignore_index=True) if len(gone) else cur
    return sort_findings(out[columns])


def entity_keys(entity_type, entity_id) -> tuple[str, dict[str, set[str]]] | None:
    """(table, {key column: ids}) of the row(s) a finding's entity is, read from its id — the one reading
    of entity ids: a group's members (ids joined by ``+``), a supplier by its id's first part (PRO11's
    ``supplier|buyer|year``), a cell (DQ01's ``table|key|column``) by its row's key, a row of
    :data:`ENTITY_ROWS` by its key's parts (``a|b``), a county by its name; None for an entity of no row
    (a buyer's group) or no id."""
    if not isinstance(entity_id, str) or not entity_id:
        return None
    if entity_type in ENTITY_GROUPS:
        table, column = ENTITY_GROUPS[entity_type]
        return table, {column: set(entity_id.split("+"))}
    if entity_type == "supplier":
        return "suppliers", {"supplier_id": {entity_id.split("|", 1)[0]}}
    if entity_type == "cell":
        parts = entity_id.split("|")
        if len(parts) < 3:
            return None
        keys = TABLES[parts[0]].key if parts[0] in TABLES else ()
        values = parts[1].split(",") if len(keys) > 1 else [parts[1]]  # a key of two columns: "T1,S1"
        if len(values) != len(keys):
            return (parts[0], {keys[0]: {parts[1]}}) if keys else None
        return parts[0], {k: {v} for k, v in zip(keys, values)}
    if entity_type in ENTITY_ROWS:
        table, keys = ENTITY_ROWS[entity_type]
        return table, {k: {v} for k, v in zip(keys, entity_id.split("|"))}
    return None


def entity_present(entity_type, entity_id, tables: dict | None, current: pd.DataFrame) -> bool:
    """Whether a finding's entity still has its row in the data (:func:`entity_keys`).

    Group entities are present while any member is (interfaces.md: a group whose members change is a
    new finding, the old one ``cleared``; gone altogether, ``entity_missing``); a supplier while any table names it; a cell
    while the row holding it is (its key's values in one row); a row of :data:`ENTITY_ROWS` while a row holds its
    whole id.
    """
    keys = entity_keys(entity_type, entity_id)
    if tables is None or keys is None:
        return isinstance(entity_id, str) and bool(entity_id) and \
            bool((current["entity_id"].astype(str) == entity_id).any())
    table, wanted = keys
    if entity_type == "cell":  # while the row holding the cell is there (its key's values in one row)
        if table not in tables:
            return False
        frame = tables[table]
        if not set(wanted) <= set(frame.columns):
            return True  # the table is read, its key not: nothing shows the row gone
        hit = np.ones(len(frame), dtype=bool)
        for column, values in wanted.items():
            hit &= (frame[column].astype(str) == next(iter(values))).to_numpy(dtype=bool)
        return bool(hit.any())
    if entity_type == "supplier":
        sid = next(iter(wanted["supplier_id"]))
        return any(t in tables and c in tables[t] and (tables[t][c].astype(str) == sid).any()
                   for t, c in (("suppliers", "supplier_id"), ("bids", "bidder_id"), ("contracts", "supplier_id")))
    if table not in tables or not set(wanted) <= set(tables[table].columns):
        return False
    frame = tables[table]
    if entity_type in ENTITY_GROUPS:
        (column, members), = wanted.items()
        return not members.isdisjoint(set(frame[column].astype(str)))
    keys = ENTITY_ROWS[entity_type][1]  # the whole id, "|" and all (an indicator may hold one)
    ids = frame[keys[0]].astype(str)
    for k in keys[1:]:
        ids = ids + "|" + frame[k].astype(str)
    return bool((ids == entity_id).any())
