"""Header text -> canonical column, and the unit a header declares.

Matching is tolerant of what spreadsheets do to headers: surrounding and inner
whitespace, full-width characters (NFKC), case, ``*`` required-markers, and a
unit suffix such as ``（万元）``, ``(亿元)``, ``(元)``, ``/万元``, ``单位:万元``, ``（亿）``, ``(万)``
or ``（%）``.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from ..schema.tables import TABLES, Table
from ..errors import LoadError
from ..messages import text as message

# Units an amount header may declare, with the factor to yuan.
UNIT_FACTORS = {"亿元": 1e8, "万元": 1e4, "元": 1.0}
_UNIT_SUFFIX = re.compile(r"[(\[/:]?(?:单位[:]?)?(亿元|万元|元|%)[)\]]?$")
# 亿 and 万 alone name a unit only after an opening bracket, a slash or 单位: (总投资(亿), 金额/万).
_BARE_UNIT = re.compile(r"(?:[(\[/:]|单位:?)(亿|万)[)\]]?$")
_NOISE = re.compile(r"[\s_\-*]+")


def normalise_key(text) -> str:
    """Comparison key of a header, file stem, sheet or enum spelling."""
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return _NOISE.sub("", s)


def header_key_and_unit(header) -> tuple[str, str | None]:
    """(comparison key without unit suffix, declared unit or None)."""
    key = normalise_key(header)
    unit = next((u for u in ("亿元", "万元") if u in key), None)
    match = _UNIT_SUFFIX.search(key)
    if not match:
        match = _BARE_UNIT.search(key)
    if match:
        found = match.group(1)
        unit = unit or {"%": None, "亿": "亿元", "万": "万元"}.get(found, found)
        stripped = key[: match.start()]
        key = stripped or key
    return key, unit


_TITLE_UNIT = re.compile(r"单位\s*(?:为|是)?\s*[:：]?\s*(亿元|万元|元)(?![\u4e00-\u9fff])")


def title_unit(rows_above: list) -> str | None:
    """The unit a title line above the header states for the amounts (``单位：万元``, ``金额单位: 亿元``), or
    None; a ledger's title commonly carries it instead of each header."""
    for row in rows_above:
        for cell in row or ():
            if isinstance(cell, str) and "单位" in cell:
                # spaces may stand between the words, and end the unit: 金额单位：亿元    填报日期：…
                match = _TITLE_UNIT.search(unicodedata.normalize("NFKC", cell))
                if match:
                    return match.group(1)
    return None


def column_lookup(table: Table, user_aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Header key -> canonical column for ``table``; user aliases win over built-in ones."""
    lookup: dict[str, str] = {}
    for col in table.columns:
        for spelling in (col.name, *col.aliases):
            lookup.setdefault(header_key_and_unit(spelling)[0], col.name)
    for header, column in (user_aliases or {}).items():
        if column not in table.column_names:
            raise LoadError(key="err.loader_alias_column", path="params", table=table.name, header=header,
                            column=column, columns=", ".join(table.column_names))
        lookup[header_key_and_unit(header)[0]] = column
    return lookup


@dataclass(frozen=True)
class MappedHeader:
    position: int
    header: str          # as written in the file
    column: str | None   # canonical column, None for an extra column
    unit: str | None     # unit declared by the header


def map_headers(table: Table, headers: list, user_aliases: dict[str, str] | None, where) -> list[MappedHeader]:
    """Map every header; two headers for one column or a missing required column is a LoadError.

    ``where`` names the file (and sheet, header row) in messages: text, or a function of the language."""
    lookup = column_lookup(table, user_aliases)
    mapped, seen = [], {}
    for pos, header in enumerate(headers):
        text = "" if header is None else str(header).strip()
        key, unit = header_key_and_unit(text) if text else ("", None)
        column = lookup.get(key) if key else None
        if column is not None and column in seen:
            raise LoadError(key="err.two_headers", where=where, first=seen[column], second=text, column=column,
                            table=table.name)
        if column is not None:
            seen[column] = text
        mapped.append(MappedHeader(pos, text, column, unit))
    missing = [c for c in table.required if c not in seen]
    if missing:
        raise missing_columns_error(table, missing, [m.header for m in mapped if m.header], where)
    return mapped


def missing_columns_error(table: Table, missing: list[str], headers: list[str], where) -> LoadError:
    """The error naming each missing required column, the headers it accepts and the file's nearest ones."""
    by_key = {header_key_and_unit(h)[0]: h for h in headers}
    found = []
    for name in missing:
        col = table.column(name)
        spellings = [name, *col.aliases]
        close: list[str] = []
        for spelling in spellings:
            for key in difflib.get_close_matches(header_key_and_unit(spelling)[0], list(by_key), n=3, cutoff=0.5):
                if by_key[key] not in close:
                    close.append(by_key[key])
        found.append((col, spellings, close[:3]))

    def parts(lang: str) -> str:
        return ("；" if lang == "zh" else "; ").join(
            message("err.missing_column", lang, column=col.name, header=col.label_zh,
                 spellings=", ".join(spellings),
                 hint=message("err.nearest_headers", lang, close=", ".join(close)) if close
                 else message("err.no_close_header", lang))
            for col, spellings, close in found)

    return LoadError(key="err.missing_columns", where=where, name=table.name, plural="s" if len(missing) > 1 else "",
                     table=lambda lang: table.title_zh if lang == "zh" else table.name, parts=parts,
                     headers=lambda lang: ", ".join(headers) or message("err.none", lang))


def header_score(table: Table, cells, lookup: dict[str, str]) -> int:
    """How many distinct columns of ``table`` a candidate header row names."""
    return len(header_columns(cells, lookup))


def header_columns(cells, lookup: dict[str, str]) -> set[str]:
    """The columns a candidate header row names (``lookup``: :func:`column_lookup`)."""
    found = set()
    for cell in cells:
        if cell is None or str(cell).strip() == "":
            continue
        column = lookup.get(header_key_and_unit(cell)[0])
        if column:
            found.add(column)
    return found


def table_for_name(stem: str) -> tuple[list[str], int]:
    """Tables whose canonical name or alias is the longest one contained in ``stem``.

    Returns (tables with the longest match, its length); a stem equal to a name
    wins outright.  Several tables means the name is ambiguous.
    """
    key = normalise_key(stem)
    best: dict[str, int] = {}
    for table in TABLES.values():
        for spelling in (table.name, *table.aliases):
            s = normalise_key(spelling)
            if s == key:
                return [table.name], 10**6
            if s and s in key:
                best[table.name] = max(best.get(table.name, 0), len(s))
    if not best:
        return [], 0
    longest = max(best.values())
    return sorted(t for t, n in best.items() if n == longest), longest
