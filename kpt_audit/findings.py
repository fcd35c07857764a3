"""The findings frame: columns, stable ids, ordering and status against a previous run."""
from __future__ import annotations

import hashlib

import pandas as pd

FINDING_COLUMNS = ["finding_id", "check_id", "area", "severity", "county", "project_id",
                   "entity_type", "entity_id", "amount", "title", "detail", "basis", "status"]
SORT_KEYS = ["county", "check_id", "entity_id"]


def finding_id(check_id: str, entity_type: str, entity_id: str) -> str:
    """First 16 hex digits of sha256(check_id|entity_type|entity_id): stable across runs."""
    return hashlib.sha256(f"{check_id}|{entity_type}|{entity_id}".encode("utf-8")).hexdigest()[:16]


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


def with_status(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Mark findings new/persisting against ``previous`` and append the resolved ones."""
    prev = previous[previous["status"].fillna("") != "resolved"] if "status" in previous else previous
    seen = set(prev["finding_id"].astype(str))
    cur = current.copy()
    cur["status"] = ["persisting" if f in seen else "new" for f in cur["finding_id"].astype(str)]
    gone = prev[~prev["finding_id"].astype(str).isin(set(cur["finding_id"].astype(str)))].copy()
    gone["status"] = "resolved"
    out = pd.concat([cur, gone[FINDING_COLUMNS]], ignore_index=True) if len(gone) else cur
    return sort_findings(out[FINDING_COLUMNS])
