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

import pandas as pd

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

# every column :func:`entity_present` reads, by table (a run on data split on disk reads just these)
ENTITY_COLUMNS: dict[str, tuple[str, ...]] = {}
for _table, _keys in [*ENTITY_ROWS.values(), ("tenders", ["tender_id"]), ("subsidies", ["application_id"]),
                      ("suppliers", ["supplier_id"]), ("bids", ["bidder_id"]), ("contracts", ["supplier_id"])]:
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
    # UTF-8 byte order equals code-point order, so the result does not depend on locale
    keys = df[SORT_KEYS].fillna("").astype(str)
    order = keys.sort_values(SORT_KEYS, kind="stable").index
    return df.loc[order].reset_index(drop=True)


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


def entity_present(entity_type, entity_id, tables: dict | None, current: pd.DataFrame) -> bool:
    """Whether a finding's entity still has its row in the data.

    Group entities (ids joined by ``+``) are present while every member is; composite ids
    (``a|b``) by their first part where that is the row's key (a supplier of PRO11).
    """
    if not isinstance(entity_id, str) or not entity_id:
        return False
    if tables is None:
        return bool((current["entity_id"].astype(str) == entity_id).any())
    if entity_type in ("tender_group", "account_group"):
        table, key = ("tenders", "tender_id") if entity_type == "tender_group" else ("subsidies", "application_id")
        return table in tables and set(entity_id.split("+")) <= set(tables[table][key].astype(str))
    if entity_type == "supplier":
        sid = entity_id.split("|", 1)[0]
        return any(t in tables and c in tables[t] and (tables[t][c].astype(str) == sid).any()
                   for t, c in (("suppliers", "supplier_id"), ("bids", "bidder_id"), ("contracts", "supplier_id")))
    if entity_type == "cell":  # DQ01: table|key|column; the cell is present while its table's row is
        table = entity_id.split("|", 1)[0]
        return table in tables
    if entity_type not in ENTITY_ROWS:
        return bool((current["entity_id"].astype(str) == entity_id).any())
    table, keys = ENTITY_ROWS[entity_type]
    if table not in tables or not set(keys) <= set(tables[table].columns):
        return False
    frame = tables[table]
    ids = frame[keys[0]].astype(str)
    for k in keys[1:]:
        ids = ids + "|" + frame[k].astype(str)
    return bool((ids == entity_id).any())
