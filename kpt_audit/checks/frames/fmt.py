"""How a finding's detail shows the values it quotes.

A check returns the *values* (numbers in yuan, dates, shares as fractions, codes)
and its detail template says how each is shown, with a format spec after the
field's name: ``{paid:wan}`` → ``1,234.50万元``, ``{signed:day}`` → ``2020-03-01``,
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

import math
import string
from datetime import date, datetime

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


def _wan(x) -> str:
    # rounded as a whole column is (numpy's round), so a value reads the same in either path
    return "" if is_missing(x) else f"{np.round(float(x) / 10000, 2):,.2f}万元"


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
        if format_spec in SPECS:
            return SPECS[format_spec](value)
        if format_spec.endswith("-"):  # "wan-", "pct-": a dash instead of nothing when missing
            return SPECS[format_spec[:-1]](value) or DASH
        if format_spec in LABELS:
            if is_missing(value):
                return ""
            zh, en = LABELS[format_spec].get(value, (value, value))
            return en if self.lang == "en" else zh
        if is_missing(value) and not format_spec:
            return "" if value is None else str(value)
        return super().format_field(value, format_spec)


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
