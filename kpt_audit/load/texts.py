"""The loader's reasons and ledger notes, written as stable English codes and shown in the reader's language.

The loader writes every reason (rejections.csv, warnings.csv) and ledger note
(data_quality.csv) in English from the catalogue's ``dq.*`` templates
(:func:`dq`): that text is the code tests and reports group by (``SUMMARY_REASONS``),
so it does not change with the language.  :func:`dq_text` shows it in another
language: each ``"; "``-joined piece is matched back to its template, the
values are read out of it and shown the way a Chinese reader knows them —
columns by their Chinese header, tables by their Chinese name, allowed values
as the spellings the loader accepts (:mod:`kpt_audit.schema.tables`), line
lists and units in Chinese.  A piece no template matches is shown as written.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..messages import CATALOGUE, text
from ..schema.tables import TABLES, Column
from .headers import table_for_name

SEPARATOR = {"zh": "；", "en": "; "}
# dq.* entries that are values inside a piece (a unit's source, a line list's tail …), never a piece
VALUE_KEYS = frozenset({"dq.source_header", "dq.source_params", "dq.more_lines", "dq.tab", "dq.no_extension",
                         "dq.column_n"})
_FIELD = re.compile(r"\{(\w+)\}")
_FIELD_PATTERNS = {"kind": r"[a-z]+", "n": r"\d+", "row": r"\d+", "line": r"\d+", "r1": r"\d+", "r2": r"\d+",
                   "col": r"\d+"}
_COLUMN_FIELDS = frozenset({"column", "later", "earlier", "columns", "parent_column"})
_ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GBK/GB18030"}


def dq(name: str, /, **values) -> str:
    """The loader's text ``dq.<name>`` as written to its outputs (English: the stable code)."""
    return text(f"dq.{name}", "en", **values)


@lru_cache(maxsize=1)
def _templates() -> list[tuple[str, re.Pattern]]:
    """(key, regex reading the values back) per piece template; more literal text first, so that the
    generic ``{column}: {note}`` is tried last."""
    found = []
    for key, entry in CATALOGUE.items():
        if not key.startswith("dq.") or key in VALUE_KEYS:
            continue
        parts = _FIELD.split(entry["en"])
        pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_FIELD_PATTERNS.get(p, '.+?')})"
                          for i, p in enumerate(parts))
        found.append((-sum(len(p) for p in parts[::2]), key, re.compile(f"^{pattern}$", re.DOTALL)))
    return [(key, regex) for _, key, regex in sorted(found, key=lambda t: t[:2])]


def table_of_file(file) -> str | None:
    """The table a data file holds, found from its name as the loader finds it (None if none or several)."""
    tables, _ = table_for_name(Path(str(file)).stem)
    return tables[0] if len(tables) == 1 else None


def _column(name: str, table: str | None) -> Column | None:
    if table in TABLES and name in TABLES[table].column_names:
        return TABLES[table].column(name)
    found = {t.column(name).label_zh: t.column(name) for t in TABLES.values() if name in t.column_names}
    return next(iter(found.values())) if len(found) == 1 else None


def column_text(label, lang: str = "zh", table: str | None = None) -> str:
    """A column as the loader labels it (``status``, ``status (项目状态)``, ``a+b``, ``(column 3)``) in ``lang``:
    in Chinese the header the file used, else the column's Chinese header."""
    label = "" if label is None else str(label)
    if lang == "en" or not label:
        return label
    said = re.fullmatch(r"(\w+) \((.+)\)", label)
    if said and _column(said.group(1), table) is not None:
        return said.group(2)
    if "+" in label and all(_column(part, table) for part in label.split("+")):
        return "+".join(_column(part, table).label_zh for part in label.split("+"))
    column = _column(label, table)
    if column is not None:
        return column.label_zh
    nth = re.fullmatch(r"\(column (\d+)\)", label)
    return text("dq.column_n", lang, n=nth.group(1)) if nth else label


def table_text(name, lang: str = "zh") -> str:
    """A table by its Chinese name in Chinese, by its name in English."""
    return TABLES[name].title_zh if lang != "en" and name in TABLES else str(name or "")


def allowed_text(allowed: str, lang: str = "zh") -> str:
    """The allowed values of an enum column (the codes, as the loader lists them) as the Chinese spellings
    the loader accepts for each: the first, then the others in brackets, e.g. 未开工（未开建、前期）、在建（续建、…）"""
    if lang == "en":
        return allowed
    for table in TABLES.values():
        for column in table.columns:
            if column.values and ", ".join(column.enum_values) == allowed:
                return "、".join(_spellings([s for s in spellings if not s.isascii()] or [code])
                                for code, spellings in column.values)
    return allowed


def _spellings(words: list[str]) -> str:
    return words[0] + (f"（{'、'.join(words[1:])}）" if len(words) > 1 else "")


def _lines_text(lines: str, lang: str) -> str:
    more = re.fullmatch(r"(.*) and (\d+) more", lines)
    shown, rest = (more.group(1), more.group(2)) if more else (lines, None)
    shown = f"第 {shown.replace(', ', '、')} 行"
    return text("dq.more_lines", lang, shown=shown, n=rest) if rest else shown


def _value(name: str, value: str, lang: str, table: str | None) -> str:
    if name in _COLUMN_FIELDS:
        return column_text(value, lang, table)
    if name == "parent":
        return table_text(value, lang)
    if name == "kind":
        return text(f"kind.{value}", lang) if f"kind.{value}" in CATALOGUE else value
    if name == "allowed":
        return allowed_text(value, lang)
    if name == "encoding":
        return _ENCODINGS.get(value, value)
    if name in ("lines", "rows"):
        return _lines_text(value, lang)
    if name == "note":
        return _piece(value, lang, table) or value
    for key in ("dq.tab", "dq.source_header", "dq.source_params", "dq.no_extension"):
        if value == CATALOGUE[key]["en"]:
            return text(key, lang)
    return value


def _piece(piece: str, lang: str, table: str | None) -> str | None:
    for key, regex in _templates():
        found = regex.match(piece)
        if found:
            return text(key, lang, **{n: _value(n, v, lang, table) for n, v in found.groupdict().items()})
    return None


def value_text(value, reason, lang: str = "zh", table: str | None = None) -> str:
    """A rejected or warned cell as the loader shows it, in ``lang``: a date-order warning's value names the
    earlier column (``2019-05-29 < acceptance_date 2019-06-28``), shown by its Chinese header."""
    value = "" if value is None else str(value)
    said = re.fullmatch(r"(.*) < (\w+) (.*)", value)
    if lang == "en" or not said or not str(reason).startswith(CATALOGUE["dq.date_order"]["en"].split("{")[0]):
        return value
    return f"{said.group(1)} < {column_text(said.group(2), lang, table)} {said.group(3)}"


def dq_text(written, lang: str = "zh", table: str | None = None) -> str:
    """A reason or ledger note as the loader wrote it, in ``lang`` (``table``: the table it is about, for the
    columns' Chinese headers; a piece no template matches stays as written)."""
    written = "" if written is None or (isinstance(written, float) and written != written) else str(written)
    if lang == "en" or not written:
        return written
    pieces, out, i = written.split("; "), [], 0
    while i < len(pieces):
        # the shortest run of pieces that is one template: a value holding "; " spans two pieces
        for j in range(i + 1, len(pieces) + 1):
            shown = _piece("; ".join(pieces[i:j]), lang, table)
            if shown is not None:
                out.append(shown)
                i = j
                break
        else:
            out.append(pieces[i])
            i += 1
    return SEPARATOR.get(lang, "; ").join(out)


def ledger_in(ledger: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The data-quality ledger with its notes in ``lang`` (the table from the ``table`` column, else from
    the file name), for reports; the ledger itself keeps the codes."""
    if lang == "en" or ledger.empty or "notes" not in ledger.columns:
        return ledger
    tables = ledger["table"] if "table" in ledger.columns else ledger["file"].map(table_of_file)
    notes = [dq_text(n, lang, t if isinstance(t, str) and t else None) for n, t in zip(ledger["notes"], tables)]
    return ledger.assign(notes=notes)
