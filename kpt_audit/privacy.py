"""Masking of personal data (ID numbers, mobile phones, bank accounts, legal_rep names).

Shared outputs mask by default.  Two layers:

* exact known values: every value of the dataset's personal columns
  (``PERSONAL_COLUMNS``: legal_rep, phone, bank_account, bond_account,
  id_number) is masked wherever it appears, in its own column or inside text;
* patterns as a safety net for values not in a personal column: 18-digit
  ID numbers and 11-digit mainland mobile numbers.

What is not scanned: the columns that name what the tool itself defines or
that join outputs together (the county, a check, a code, a status: a
legal_rep named 高新 must not turn 高新区 into 高*区 and split a county in
two), and an id, which is masked only when it is itself an ID or mobile
number or a known personal value.  Inside text a known name is masked
wherever it stands (Chinese does not set names apart: 联系人王文) except
within a county name of the data or a unit the tool writes (高新 in
高新区道路, 万元 in every amount); a known number inside text only when it
has seven digits or more (a four-digit "phone" would mask every year).

Masks keep enough to recognise a value in a conversation with the auditee
(``3301**********1234``, ``138****5678``, ``张*``) and nothing more.
"""
from __future__ import annotations

import functools
import re
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .schema import PERSONAL_COLUMNS

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
DIGIT_RUN = re.compile(r"\d[\d\- ]{7,}\d")
HAN_RUN = re.compile(r"[\u3400-\u9fff·]{2,}")
# columns never scanned for personal values inside text (codes, names of the tool's own, join keys)
STRUCTURAL_COLUMNS = frozenset({"county", "check_id", "area", "severity", "entity_type", "status", "cause",
                                "verification", "rectification", "file", "sheet", "column", "table", "reason",
                                "basis", "title", "finding_no", "first_as_of", "last_as_of", "due_date", "as_of"})
# words the tool writes beside the data's own: never taken for a name (a legal_rep typed 万元), nor is a
# name masked within them
TOOL_WORDS = frozenset({"万元", "亿元"})
MIN_DIGITS_INSIDE = 7  # digits of a known number masked inside text
FEW_TEXTS = 2_000  # texts Python's patterns read in about the time Arrow takes to compile its pattern
MAX_PATTERN = 100_000  # characters of the pattern that picks out the texts to mask (some 8,000 known values)


def mask_value(value: str) -> str:
    """One personal value -> its mask (the shape tells its kind)."""
    v = str(value)
    digits = re.sub(r"\D", "", v)
    if len(digits) >= 15 or (len(v) == 18 and v[:17].isdigit()):  # ID numbers, bank accounts
        return v[:4] + "*" * (len(v) - 8) + v[-4:] if len(v) > 8 else "*" * len(v)
    if len(digits) >= 7:  # phones: a local number of seven or eight digits keeps less of itself
        return v[:3] + "*" * (len(v) - 7) + v[-4:] if len(v) >= 11 else v[:2] + "*" * (len(v) - 4) + v[-2:]
    if len(v) <= 1:
        return "*"
    return v[0] + "*" * (len(v) - 1)  # names


def personal_values(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Of each table, its personal columns' distinct values (and its counties', within which no name is masked)
    in the order the table first holds them, column by column (a column's values are not those of the rows
    beside them; missing values pad the shorter columns): all that :class:`Masker` reads of the data, kept
    when the rows themselves are let go."""
    out = {}
    for name, df in tables.items():
        columns = [c for c in df.columns if c in PERSONAL_COLUMNS or c == "county"]
        if columns:
            out[name] = pd.DataFrame({c: pd.Series(pd.unique(df[c].dropna()), dtype="str") for c in columns})
    return out


class Masker:
    """Masks the personal values of one dataset in frames and text."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None = None, enabled: bool = True):
        self.enabled = enabled
        self.known: dict[str, str] = {}
        # text a name is never masked within: the data's county names and the tool's own units
        self._kept_words = set(TOOL_WORDS)
        for df in (tables or {}).values():
            if "county" in df.columns:
                self._kept_words.update(w for w in pd.unique(df["county"].dropna().astype(str)) if len(w) >= 2)
            for col in PERSONAL_COLUMNS & set(df.columns):
                for v in pd.unique(df[col].dropna().astype(str)):
                    v = v.strip()
                    if len(v) >= 2 and v not in {"无", "不详", "na", "NA"} | TOOL_WORDS:
                        self.known[v] = mask_value(v)
        self._digit_known = {k: m for k, m in self.known.items()
                             if sum(c.isdigit() for c in k) >= MIN_DIGITS_INSIDE}
        self._name_known = {k: m for k, m in self.known.items() if not any(c.isdigit() for c in k)}
        self._name_lengths = sorted({len(k) for k in self._name_known}, reverse=True)
        self._kept = re.compile("|".join(map(re.escape, sorted(self._kept_words, key=lambda w: (-len(w), w)))))
        # values DIGIT_RUN cannot see (short phone numbers) and names in Latin script are
        # few; scanning the text for each of them is cheap only if they are picked out once
        short_digits = sorted((k for k in self._digit_known if len(k) < 8), key=lambda k: (-len(k), k))
        # a short value stands alone, not inside a longer number or an amount ("0.0" in "0.02万元")
        self._short_digits = re.compile(r"(?<![\d.,])(?:" + "|".join(map(re.escape, short_digits))
                                        + r")(?![.,]?\d)") if short_digits else None
        self._latin_names = {k: m for k, m in self._name_known.items() if k.isascii()}
        # what a text must hold for :meth:`text` to change it, as one RE2 pattern (see _may_change); with
        # many known values (a province's phones and names) the pattern takes longer to build than it saves
        scanned = sorted(self._digit_known.keys() | self._name_known.keys())
        changeable = "|".join([_eleven_digits_pattern(), *(re.escape(k) for k in scanned)])
        self._changeable = changeable if len(changeable) <= MAX_PATTERN else None

    def text(self, s: str) -> str:
        if not self.enabled or not isinstance(s, str) or not s:
            return s
        s = ID_NUMBER.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], s)
        s = MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), s)
        if self._digit_known:
            s = DIGIT_RUN.sub(lambda m: self._digit_known.get(m.group(0), m.group(0)), s)
            if self._short_digits is not None:
                s = self._short_digits.sub(lambda m: self._digit_known[m.group(0)], s)
        if self._name_known:
            s = HAN_RUN.sub(lambda m: self._mask_names(m.group(0)), s)
        for k, masked in self._latin_names.items():
            if k in s:
                s = s.replace(k, masked)
        return s

    def identifier(self, value):
        """An id as shown: masked whole only when it is itself an ID or mobile number or a known personal
        number (an individual's ID number used as an enterprise id), else as it is."""
        if not self.enabled or not isinstance(value, str):
            return value
        v = value.strip()
        if ID_NUMBER.fullmatch(v) or MOBILE.fullmatch(v) or v in self._digit_known:
            return mask_value(v)
        return value

    def _mask_names(self, run: str) -> str:
        if run in self._name_known:
            return self._name_known[run]
        kept = np.zeros(len(run) + 1, dtype=bool)  # characters within a county name or a unit
        for m in self._kept.finditer(run):
            kept[m.start():m.end()] = True
        out, i = [], 0
        while i < len(run):
            for n in self._name_lengths:
                piece = run[i:i + n]
                if len(piece) == n and piece in self._name_known and not kept[i:i + n].any():
                    out.append(self._name_known[piece])
                    i += n
                    break
            else:
                out.append(run[i])
                i += 1
        return "".join(out)

    def series(self, s: pd.Series, personal: bool = False) -> pd.Series:
        """Mask a column: whole values when ``personal``, else inside text (unique values only)."""
        if not self.enabled or s.empty:
            return s
        if not personal and s.dtype == "str":
            return self._texts(s)
        uniques = pd.unique(s.dropna())
        if personal:
            table = {u: mask_value(u) for u in uniques}
        else:
            table = {u: self.text(u) if isinstance(u, str) else u for u in uniques}
        return s.map(table).where(s.notna(), s)

    def _texts(self, s: pd.Series) -> pd.Series:
        """A text column masked: the column itself when no text in it changes, else a copy with the texts
        that change replaced."""
        if self._changeable is not None and len(s) >= FEW_TEXTS:
            # only the texts that hold an ID or mobile number or a known value can change: picked out in
            # Arrow, they are the few that Python's patterns read (reading all cost seconds on 1M texts)
            s_may = s[self._may_change(s.array)]
            uniques = pd.unique(s_may.dropna())
        else:
            uniques = pd.unique(s.dropna())
        return _replaced(s, {u: m for u in uniques if (m := self.text(u)) != u})

    def _identifiers(self, s: pd.Series) -> pd.Series:
        """An id column: the column itself unless one of its values is masked (:meth:`identifier`)."""
        return _replaced(s, {u: m for u in pd.unique(s.dropna()) if (m := self.identifier(u)) != u})

    def _may_change(self, texts) -> np.ndarray:
        """Which of ``texts`` :meth:`text` may change: those with eleven digits in a row (any ID or mobile
        number has them) or a known personal value inside; the others (and missing values) it returns as
        they are."""
        arrow = pa.array(texts, type=pa.large_string(), from_pandas=True)
        try:
            found = pc.match_substring_regex(arrow, self._changeable)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # too many known values for one pattern
            return np.ones(len(texts), dtype=bool)
        return pc.fill_null(found, False).to_numpy(zero_copy_only=False)

    def frame(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``df`` with personal columns masked and text columns scrubbed."""
        if not self.enabled:
            return df
        out = df.copy(deep=False)  # copy on write: the masked columns are new, the others shared with df
        for col in out.columns:
            if col in PERSONAL_COLUMNS:
                out[col] = self.series(out[col].astype("str"), personal=True)
            elif col in STRUCTURAL_COLUMNS or not (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
                continue
            elif col.endswith("_id"):
                out[col] = self._identifiers(out[col])
            else:
                out[col] = self.series(out[col])
        # rejections/warnings carry a value with the name of the column it came from
        if {"column", "value"} <= set(out.columns):
            personal = out["column"].isin(PERSONAL_COLUMNS) & out["value"].notna()
            if personal.any():
                out.loc[personal, "value"] = out.loc[personal, "value"].astype(str).map(mask_value)
        return out


def _replaced(s: pd.Series, changed: dict) -> pd.Series:
    """``s`` itself when ``changed`` (value -> its mask) is empty, else a copy with those values replaced."""
    if not changed:
        return s
    at = s.isin(list(changed))
    out = s.copy()
    out[at] = s[at].map(changed)
    return out


@functools.cache
def _eleven_digits_pattern() -> str:
    """An RE2 pattern for eleven decimal digits in a row as Python's ``\\d`` reads them: eleven ASCII
    digits, or any other decimal digit (a text with one is simply read by Python's patterns)."""
    others, start = [], None
    for code in range(0x80, sys.maxunicode + 2):
        decimal = code <= sys.maxunicode and chr(code).isdecimal()
        if decimal and start is None:
            start = code
        elif not decimal and start is not None:
            others.append(f"{chr(start)}-{chr(code - 1)}" if code - 1 > start else chr(start))
            start = None
    return "[0-9]{11}|[" + "".join(others) + "]"
