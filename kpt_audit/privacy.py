"""Masking of personal data (ID numbers, mobile phones, bank accounts, legal_rep names).

Shared outputs mask by default.  Two layers:

* exact known values: every value of the dataset's personal columns
  (``PERSONAL_COLUMNS``: legal_rep, phone, bank_account, bond_account,
  id_number) is masked wherever it appears, in its own column or inside text;
* patterns as a safety net for values not in a personal column: 18-digit
  ID numbers and 11-digit mainland mobile numbers.

Masks keep enough to recognise a value in a conversation with the auditee
(``3301**********1234``, ``138****5678``, ``张*``) and nothing more.
"""
from __future__ import annotations

import re

import pandas as pd

from .schema import PERSONAL_COLUMNS

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
DIGIT_RUN = re.compile(r"\d[\d\- ]{7,}\d")
HAN_RUN = re.compile(r"[\u3400-\u9fff·]{2,}")


def mask_value(value: str) -> str:
    """One personal value -> its mask (the shape tells its kind)."""
    v = str(value)
    digits = re.sub(r"\D", "", v)
    if len(digits) >= 15 or (len(v) == 18 and v[:17].isdigit()):  # ID numbers, bank accounts
        return v[:4] + "*" * (len(v) - 8) + v[-4:] if len(v) > 8 else "*" * len(v)
    if len(digits) >= 7:  # phones
        return v[:3] + "*" * (len(v) - 7) + v[-4:]
    if len(v) <= 1:
        return "*"
    return v[0] + "*" * (len(v) - 1)  # names


class Masker:
    """Masks the personal values of one dataset in frames and text."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None = None, enabled: bool = True):
        self.enabled = enabled
        self.known: dict[str, str] = {}
        for df in (tables or {}).values():
            for col in PERSONAL_COLUMNS & set(df.columns):
                for v in pd.unique(df[col].dropna().astype(str)):
                    v = v.strip()
                    if len(v) >= 2 and v not in {"无", "不详", "na", "NA"}:
                        self.known[v] = mask_value(v)
        self._digit_known = {k: m for k, m in self.known.items() if any(c.isdigit() for c in k)}
        self._name_known = {k: m for k, m in self.known.items() if k not in self._digit_known}
        self._name_lengths = sorted({len(k) for k in self._name_known}, reverse=True)
        # values DIGIT_RUN cannot see (short phone numbers) and names in Latin script are
        # few; scanning the text for each of them is cheap only if they are picked out once
        self._short_digits = {k: m for k, m in self._digit_known.items() if len(k) < 8}
        self._latin_names = {k: m for k, m in self._name_known.items() if k.isascii()}

    def text(self, s: str) -> str:
        if not self.enabled or not isinstance(s, str) or not s:
            return s
        s = ID_NUMBER.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], s)
        s = MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), s)
        if self._digit_known:
            s = DIGIT_RUN.sub(lambda m: self._digit_known.get(m.group(0), m.group(0)), s)
            for k, masked in self._short_digits.items():
                if k in s:
                    s = s.replace(k, masked)
        if self._name_known:
            s = HAN_RUN.sub(lambda m: self._mask_names(m.group(0)), s)
        for k, masked in self._latin_names.items():
            if k in s:
                s = s.replace(k, masked)
        return s

    def _mask_names(self, run: str) -> str:
        if run in self._name_known:
            return self._name_known[run]
        out, i = [], 0
        while i < len(run):
            for n in self._name_lengths:
                piece = run[i:i + n]
                if len(piece) == n and piece in self._name_known:
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
        uniques = pd.unique(s.dropna())
        if personal:
            table = {u: mask_value(u) for u in uniques}
        else:
            table = {u: self.text(u) if isinstance(u, str) else u for u in uniques}
        return s.map(table).where(s.notna(), s)

    def frame(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``df`` with personal columns masked and text columns scrubbed."""
        if not self.enabled:
            return df
        out = df.copy()
        for col in out.columns:
            if col in PERSONAL_COLUMNS:
                out[col] = self.series(out[col].astype("str"), personal=True)
            elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                out[col] = self.series(out[col])
        # rejections/warnings carry a value with the name of the column it came from
        if {"column", "value"} <= set(out.columns):
            personal = out["column"].isin(PERSONAL_COLUMNS) & out["value"].notna()
            if personal.any():
                out.loc[personal, "value"] = out.loc[personal, "value"].astype(str).map(mask_value)
        return out
