"""How a finding's detail shows the values it quotes.

A check returns the *values* (numbers in yuan, dates, shares as fractions, codes)
and its detail template says how each is shown, with a format spec after the
field's name: ``{paid:wan}`` → ``1,234.50万元`` (in English ``12,345,000 yuan``: 万 is no English
unit, and yuan keep every digit), ``{signed:day}`` → ``2020-03-01``,
``{share:pct}`` → ``12.5%`` (``pct0``, ``pct2``, ``pct4``: other digits),
``{n:int}`` → ``12``, ``{q:num}`` → ``12,345.5`` (a quantity, two decimals at most),
``{ids:ids}`` → a list of ids joined by 、 (", " in English), ``{method:method}`` → ``邀请招标`` / ``invited`` (also ``kind``, ``kind_class``, ``status``),
``{winner:supplier}`` → ``某某公司（91330…）`` (the supplier's name and id; the bare id
when its name is unknown), ``{bidders:suppliers}`` → a list of them joined by 、 (", "
in English); ``wan-``, ``pct-`` …: a dash instead of nothing when missing.  Any
other spec is Python's own (``{ratio:.4f}``).  So the values stay the same whatever
the report language, and the register can compare them across runs.
"""
from __future__ import annotations

import functools
import json
import math
import string
from datetime import date, datetime
from json.encoder import encode_basestring

import numpy as np
import pandas as pd

from ...schema.tables import KIND, METHOD, STATUS

DASH = "—"

# labels of codes a detail quotes: spec -> code -> (zh, en)
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "method": {value: (spellings[0], value) for value, spellings in METHOD},
    "kind": {value: (spellings[0], value) for value, spellings in KIND},
    # the three classes of procurement as 招标投标法 names them (工程、货物、服务)
    "kind_class": {"works": ("工程", "works"), "goods": ("货物", "goods"), "services": ("服务", "services")},
    # a project's status (DQ02): 在建 / under construction
    "status": {value: (spellings[0], value.replace("_", " ")) for value, spellings in STATUS},
}


def is_missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _wan_column(values: list) -> list[str]:
    """Amounts in yuan as 万元 to two decimals, a whole column at once (numpy's round, as one value is)."""
    missing = [is_missing(x) for x in values]
    yuan = np.array([0.0 if m else float(x) for x, m in zip(values, missing)], dtype="float64")
    return ["" if m else f"{w:,.2f}万元" for w, m in zip(np.round(yuan / 10000, 2).tolist(), missing)]


def _yuan_column(values: list) -> list[str]:
    """Amounts in yuan as an English detail shows them: thousands separated, cents only when there are any."""
    return ["" if is_missing(x) else f"{round(float(x), 2):,.2f}".removesuffix(".00") + " yuan" for x in values]


def _wan(x) -> str:
    return _wan_column([x])[0]


def _yuan(x) -> str:
    return _yuan_column([x])[0]


def _day(x) -> str:
    return "" if is_missing(x) else pd.Timestamp(x).strftime("%Y-%m-%d")


def _pct(digits: int):
    def show(x) -> str:
        return "" if is_missing(x) else f"{float(x) * 100:.{digits}f}%"
    return show


def _int(x) -> str:
    return "" if is_missing(x) else str(int(x))


def _num(x) -> str:
    """A quantity that is not money, to two decimals without trailing zeros: 100, 0.85, 12,345.5."""
    return "" if is_missing(x) else f"{float(x):,.2f}".rstrip("0").rstrip(".")


# specs formatted a column at a time (the others value by value)
COLUMN_SPECS = {"wan": _wan_column}
# the specs an English detail shows its own way
ENGLISH = {"wan": _yuan}
ENGLISH_COLUMNS = {"wan": _yuan_column}

SPECS = {"wan": _wan, "day": _day, "pct": _pct(1), "pct0": _pct(0), "pct2": _pct(2), "pct4": _pct(4),
         "int": _int, "num": _num}


class DetailFormatter(string.Formatter):
    """``str.format`` with the specs above, in one report language; ``names`` maps supplier_id
    to the supplier's name."""

    def __init__(self, lang: str, names=None):
        super().__init__()
        self.lang = lang
        self.names = names if names is not None else {}

    def supplier(self, supplier_id) -> str:
        if is_missing(supplier_id):
            return ""
        name = self.names.get(supplier_id)
        if is_missing(name) or not str(name).strip():
            return str(supplier_id)
        return f"{name} ({supplier_id})" if self.lang == "en" else f"{name}（{supplier_id}）"

    def format_field(self, value, format_spec):
        if format_spec == "supplier":
            return self.supplier(value)
        if format_spec == "suppliers":
            return (", " if self.lang == "en" else "、").join(self.supplier(v) for v in value)
        if format_spec == "ids":  # a list of ids as they are, no names
            return (", " if self.lang == "en" else "、").join(str(v) for v in value)
        specs = {**SPECS, **ENGLISH} if self.lang == "en" else SPECS
        if format_spec in specs:
            return specs[format_spec](value)
        if format_spec.endswith("-"):  # "wan-", "pct-": a dash instead of nothing when missing
            return specs[format_spec[:-1]](value) or DASH
        if format_spec in LABELS:
            if is_missing(value):
                return ""
            zh, en = LABELS[format_spec].get(value, (value, value))
            return en if self.lang == "en" else zh
        if is_missing(value) and not format_spec:
            return "" if value is None else str(value)
        return super().format_field(value, format_spec)

    def format_columns(self, template: str, columns: dict[str, list], rows: int) -> list[str]:
        """``template`` formatted for each of ``rows`` rows, ``columns`` giving each field's values: the
        texts :meth:`format` gives row by row, made a field at a time (a field's values are formatted
        together, and the template is read once, not once a row)."""
        parts = _parsed(template)
        if parts is None:  # a field with attributes, indexes or conversions: row by row
            return [self.format(template, **{name: values[i] for name, values in columns.items()})
                    for i in range(rows)]
        shown = [self.format_column(columns[name], spec) for _, name, spec in parts if name is not None]
        joined = "".join(literal.replace("{", "{{").replace("}", "}}") + ("{}" if name is not None else "")
                         for literal, name, _ in parts)
        return [joined.format(*row) for row in zip(*shown)] if shown else [joined.format()] * rows

    def format_column(self, values: list, format_spec: str) -> list[str]:
        """Each of ``values`` as :meth:`format_field` shows it."""
        spec = format_spec[:-1] if format_spec.endswith("-") and format_spec[:-1] in SPECS else format_spec
        columns = {**COLUMN_SPECS, **ENGLISH_COLUMNS} if self.lang == "en" else COLUMN_SPECS
        if spec in columns:
            texts = columns[spec](values)
            return [t or DASH for t in texts] if spec != format_spec else texts
        return [self.format_field(v, format_spec) for v in values]


@functools.lru_cache(maxsize=None)
def _parsed(template: str) -> tuple[tuple[str, str | None, str], ...] | None:
    """A detail template as (literal text, field name or None, format spec) parts; None when a field is
    more than a name and a spec (``{a.b}``, ``{a!r}``, ``{a:{w}}``)."""
    parts = tuple(string.Formatter().parse(template))
    if any(name is not None and (conversion or not name.isidentifier() or "{" in spec)
           for _, name, spec, conversion in parts):
        return None
    return tuple((literal, name, spec or "") for literal, name, spec, _ in parts)


def plain(value):
    """A value as the register keeps it: numbers, text, dates as YYYY-MM-DD, lists, None for missing."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if is_missing(value):
        return None
    if isinstance(value, (pd.Timestamp, datetime, date, np.datetime64)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, (np.integer, bool, np.bool_)):
        return int(value) if not isinstance(value, (bool, np.bool_)) else bool(value)
    if isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return value
    return value if isinstance(value, (int, float, str)) else str(value)


def plain_json_column(values: list) -> list[str]:
    """Each value as ``json.dumps(plain(value), ensure_ascii=False, sort_keys=True)`` spells it (the
    register's values); the common kinds (text, numbers, lists of ids) without ``plain`` and ``json.dumps``
    a value, which cost seconds on 150,000 findings."""
    out = []
    for value in values:
        kind = type(value)
        if kind is str:
            out.append(encode_basestring(value))
        elif value is None or (kind is float and math.isnan(value)):
            out.append("null")
        elif kind is float and math.isfinite(value):
            out.append(float.__repr__(value))
        elif kind is int:
            out.append(int.__repr__(value))
        elif kind is list and all(type(v) is str for v in value):
            out.append("[" + ", ".join(map(encode_basestring, value)) + "]")
        else:
            out.append(json.dumps(plain(value), ensure_ascii=False, sort_keys=True))
    return out
