"""What each county's Word drafts say: the findings (审计发现) and the evidence sheets (审计取证单).

``kpt-audit run`` writes them beside the county's HTML
(``counties/<slug>.docx`` and ``counties/<slug>.取证单.docx``) from the county
slice, so they show what the HTML shows, masked the same way; the evidence
sheets quote the source rows of :mod:`kpt_audit.report.evidence`.  Every
figure comes from the findings: amounts in 万元 with their meaning (each
check's ``amount`` text), totals per check only (amounts of different checks
mean different things and are never added).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..checks.registry import AREAS
from ..messages import text
from .county import amount_totals, current
from .evidence import EVIDENCE_COLUMNS, quote_rows
from .word import render_docx, wan_text

EVIDENCE_SUFFIX = ".取证单.docx"


def _label(prefix: str, value, lang: str) -> str:
    try:
        return text(f"{prefix}{value}", lang)
    except KeyError:
        return "" if value is None else str(value)


def _named(name, code) -> str:
    """'名称（编码）', or whichever of the two there is."""
    name = name if isinstance(name, str) and name else ""
    code = code if isinstance(code, str) and code else ""
    if name and code and name != code:
        return f"{name}（{code}）"
    return name or code


def _finding(row: dict, checks: dict, lang: str) -> dict:
    meta = checks.get(row["check_id"], {})
    amount = wan_text(row.get("amount"))
    return {"no": row.get("finding_no") or "", "check_id": row["check_id"], "title": row.get("title") or "",
            "severity": _label("severity.", row.get("severity"), lang),
            "project": _named(row.get("project_name"), row.get("project_id")),
            "entity_type": _label("entity_type.", row.get("entity_type"), lang),
            "entity": _named(row.get("entity_name"), row.get("entity_id")),
            "amount": amount, "meaning": meta.get("amount", "") if amount else "",
            "detail": row.get("detail") or "", "basis": row.get("basis") or ""}


def _areas(found: pd.DataFrame) -> list[str]:
    """The areas with findings, in the catalogue's order."""
    return [a for a in AREAS if (found["area"] == a).any()] + sorted(set(found["area"].dropna()) - set(AREAS))


def _header(piece, lang: str, key: str) -> dict:
    county = piece.county or text("unassigned_county", lang)
    return {"county": county, "as_of": piece.meta.get("as_of") or "", "units": text("note.units", lang),
            "title": text(key, lang, county=county)}


def findings_context(piece, lang: str | None = None) -> dict:
    """The findings draft's variables (word.FINDINGS_VARIABLES) for one county slice."""
    lang = lang or piece.lang
    found = current(piece.findings)
    checks = {c["id"]: c for c in piece.meta.get("checks", [])}
    totals = amount_totals(found, piece.meta.get("checks", []))
    areas = []
    for number, area in enumerate(_areas(found), start=1):
        rows = found[found["area"] == area].to_dict("records")
        items = [dict(_finding(r, checks, lang), number=i) for i, r in enumerate(rows, start=1)]
        areas.append({"number": number, "name": _label("area.", area, lang), "count": len(items),
                      "findings": items})
    return {**_header(piece, lang, "word.findings_title"),
            "total": len(found), **{s: int((found["severity"] == s).sum()) for s in ("high", "medium", "low")},
            "amount_note": text("word.amount_note", lang),
            "amounts": [{"check_id": t.check_id, "title": t.title, "meaning": t.meaning, "findings": t.findings,
                         "amount": wan_text(t.amount)} for t in totals.itertuples()],
            "areas": areas}


def evidence_context(piece, evidence: pd.DataFrame, dataset, masker=None, lang: str | None = None) -> dict:
    """The evidence sheets' variables (word.EVIDENCE_VARIABLES): one sheet per current finding of the
    county with its source rows quoted (masked by ``masker``) and the files' sha256."""
    lang = lang or piece.lang
    found = current(piece.findings)
    checks = {c["id"]: c for c in piece.meta.get("checks", [])}
    evidence = evidence if evidence is not None else pd.DataFrame(columns=EVIDENCE_COLUMNS)
    by_finding = {k: g for k, g in evidence.groupby("finding_id", sort=False)}
    sheets = []
    rows_in_order = [r for area in _areas(found) for r in found[found["area"] == area].to_dict("records")]
    for row in rows_in_order:
        sheet = _finding(row, checks, lang)
        rows = by_finding.get(row["finding_id"])
        sources, files, more = [], {}, []
        if rows is not None:
            for table, group in rows.groupby("table", sort=False):
                quoted = quote_rows(dataset, table, group["label"].tolist(), masker, lang)
                title = _table_title(table, lang)
                for r, values in zip(group.itertuples(), quoted):
                    sources.append({"number": len(sources) + 1, "table": title, "text": values,
                                    "place": _place(r.file, r.sheet, r.row, lang)})
                    if r.file:
                        files.setdefault(r.file, r.sha256)
                matched = int(group["matched"].max())
                if matched > len(group):
                    more.append(text("word.more_rows", lang, table=title, shown=len(group), matched=matched))
        sheet.update(sources=sources, files=[{"file": f, "sha256": h} for f, h in sorted(files.items())],
                     more="；".join(more) if lang != "en" else "; ".join(more),
                     rule=text("word.evidence_rule", lang))
        sheets.append(sheet)
    return {**_header(piece, lang, "word.evidence_title"), "total": len(sheets), "findings": sheets}


def _table_title(table: str, lang: str) -> str:
    from ..schema import TABLES

    return TABLES[table].title_zh if lang != "en" and table in TABLES else table


def _place(file, sheet, row, lang: str) -> str:
    parts = [str(file)] if file else []
    if sheet:
        parts.append(text("word.sheet", lang, sheet=sheet))
    if row is not None and row is not pd.NA and row == row:
        parts.append(text("word.row", lang, row=int(row)))
    return " · ".join(parts)


def write_county_drafts(piece, folder, slug: str, templates: dict, evidence=None, dataset=None,
                        masker=None) -> list[Path]:
    """``<slug>.docx`` (findings) and, with a dataset, ``<slug>.取证单.docx`` (evidence) in ``folder``."""
    folder = Path(folder)
    written = [render_docx(templates["findings"], findings_context(piece), folder / f"{slug}.docx")]
    if dataset is not None:
        written.append(render_docx(templates["evidence"], evidence_context(piece, evidence, dataset, masker),
                                   folder / f"{slug}{EVIDENCE_SUFFIX}"))
    return written


__all__ = ["findings_context", "evidence_context", "write_county_drafts", "EVIDENCE_SUFFIX"]
