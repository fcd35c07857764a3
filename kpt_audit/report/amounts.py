"""Amounts at issue, added only where they mean one thing: per check (each check's ``amount`` text).

A check's amount is idle money, a schedule shortfall, an overrun, a contract's
value …; the same project can carry several, and two checks may quote the same
money.  So the reports, the workbook and the Word draft total amounts per check,
with its meaning, and never across checks.
"""
from __future__ import annotations

import pandas as pd

from ..checks.registry import AREAS

AMOUNT_COLUMNS = ["check_id", "title", "meaning", "findings", "amount"]


def check_notes(lang: str) -> list[dict]:
    """Each check's id, area, title and amount meaning in ``lang`` (as a county slice's meta has them)."""
    from ..checks import all_checks

    return [{"id": c.id, "area": c.area, "title": c.text("title", lang), "amount": c.text("amount", lang),
             "has_amount": c.has_amount} for c in all_checks().values()]


def amount_totals(findings: pd.DataFrame, checks: list[dict]) -> pd.DataFrame:
    """Per check that defines an amount: its amount's meaning, the findings with an amount and their
    total (yuan), in the catalogue's order.

    Each check's amount has one meaning (its ``amount`` text), so totals are per check and never
    added across checks: idle money, a schedule shortfall and a budget overrun of one project are
    three different things, and two checks may quote the same money.  ``checks`` are the
    methodology entries of ``build_meta`` (id, title, amount, has_amount).
    """
    rows = []
    amounts = findings[findings["amount"].notna()]
    area_order = {a: i for i, a in enumerate(AREAS)}
    for c in sorted(checks, key=lambda c: (area_order.get(c.get("area"), len(AREAS)), c["id"])):
        if not c.get("has_amount", True):
            continue
        own = amounts.loc[amounts["check_id"] == c["id"], "amount"]
        if len(own):
            rows.append({"check_id": c["id"], "title": c["title"], "meaning": c["amount"], "findings": len(own),
                         "amount": float(own.sum())})
    # typed even when empty: a county with no amount at all must not turn the counts into text when joined
    return pd.DataFrame(rows, columns=AMOUNT_COLUMNS).astype({"findings": "int64", "amount": "float64"})


def county_amounts(findings: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """:func:`amount_totals` per county (code-point order, "" for findings without one): county,
    check_id, title, meaning, findings, amount (yuan).  Rows not found again are left out."""
    from ..findings import GONE

    live = findings[~findings["status"].fillna("").isin(GONE)]
    notes = check_notes(lang)
    parts = [amount_totals(rows, notes).assign(county=county)
             for county, rows in live.assign(county=live["county"].fillna("")).groupby("county", sort=True)]
    columns = ["county", *AMOUNT_COLUMNS]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
