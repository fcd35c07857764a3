"""The spec's one text normalisation (checks.md): NFKC, casefold, drop whitespace, P* and S*.

``normalise_one`` is the definition.  ``normalise_text`` gives the same result for a
whole column at arrow speed: it works on the column's distinct values, and sends
through pyarrow (NFKC, lower-case, one regex) only the values made entirely of
characters on which pyarrow provably agrees with Python — ASCII, Latin-1 but ß,
general punctuation, CJK punctuation, CJK ideographs and the full-width forms,
which is what Chinese registries hold.  Any other value (ß, Greek, combining marks,
emoji …) goes through ``normalise_one`` itself, because casefold is not lower and
the Unicode tables of pyarrow and Python may differ in version.

The characters removed on the fast path are listed from Python's own Unicode
tables, never from the regex engine's classes, so both paths remove the same ones.
"""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ...load.arrow import arrow_strings
from ...load.parse import EMPTY_WORDS

PLACEHOLDERS = frozenset({"", "无", "na", "不详", "0"})

# ß (U+00DF) is left out: its casefold is "ss" but its lower-case is itself
FAST_RANGES = ((0x0000, 0x00DE), (0x00E0, 0x00FF), (0x2000, 0x206F), (0x3000, 0x303F),
               (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))
# the ideograph blocks hold letters only (tested), so only the small blocks can yield removable characters
SMALL_RANGES = tuple(r for r in FAST_RANGES if r[1] - r[0] < 0x1000)


def normalise_one(s) -> str | None:
    """The definition, for one value; missing, empty and placeholder results are None."""
    if s is None or (isinstance(s, float) and s != s):
        return None
    t = unicodedata.normalize("NFKC", str(s)).casefold()
    t = "".join(ch for ch in t if not ch.isspace() and unicodedata.category(ch)[0] not in "PS")
    return None if t in PLACEHOLDERS else t


def removed(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PS"


def _char_class(chars) -> str:
    return "[" + "".join(f"\\x{{{ord(c):04X}}}" for c in sorted(chars)) + "]"


def _removable_characters() -> set[str]:
    """Every character of the fast blocks, or of their NFKC-casefold images, that the spec removes."""
    seen: set[str] = set()
    for lo, hi in SMALL_RANGES:
        for code in range(lo, hi + 1):
            ch = chr(code)
            seen.add(ch)
            seen.update(unicodedata.normalize("NFKC", ch).casefold())
    return {c for c in seen if removed(c)}


PLAIN_PATTERN = "^[0-9a-z]*$"  # already normal: NFKC, casefold and the removals leave these alone
FAST_PATTERN = "^[" + "".join(f"\\x{{{lo:04X}}}-\\x{{{hi:04X}}}" for lo, hi in FAST_RANGES) + "]*$"
REMOVE_PATTERN = _char_class(_removable_characters())


def _normalise_distinct(values: pa.Array) -> pa.Array:
    """``normalise_one`` of each of ``values`` (a string array without nulls), as an arrow array.

    Values of lower-case ASCII letters and digits only (account numbers, phones, most codes) are their
    own normal form and skip the three passes the others take."""
    plain = pc.match_substring_regex(values, PLAIN_PATTERN)
    result = values.cast(pa.large_string())
    if not pc.all(plain).as_py():
        mixed = pc.invert(plain)
        result = pc.replace_with_mask(result, mixed, _normalise_mixed(values.filter(mixed)))
    return pc.if_else(pc.is_in(result, value_set=pa.array(sorted(PLACEHOLDERS), type=pa.large_string())),
                      pa.scalar(None, pa.large_string()), result)


def _normalise_mixed(values: pa.Array) -> pa.Array:
    """``normalise_one`` of each of ``values`` but placeholders, as a large-string arrow array."""
    fast = pc.match_substring_regex(values, FAST_PATTERN).to_numpy(zero_copy_only=False)
    text = pc.utf8_lower(pc.utf8_normalize(values.filter(pa.array(fast)), "NFKC"))
    text = pc.replace_substring_regex(text, REMOVE_PATTERN, "")
    slow = np.flatnonzero(~fast)
    if len(slow):
        out = np.empty(len(values), dtype=object)
        out[fast] = text.to_numpy(zero_copy_only=False)
        out[slow] = [_normalised(v) for v in values.take(pa.array(slow)).to_pylist()]
        return pa.array(out, type=pa.large_string())
    return text.cast(pa.large_string())  # the usual case for Chinese registries: no Python at all


def _normalised(s: str) -> str:
    """``normalise_one`` without the placeholder rule (applied once, to every value, by the caller)."""
    t = unicodedata.normalize("NFKC", s).casefold()
    return "".join(ch for ch in t if not removed(ch))


def normalise_text(s: pd.Series) -> pd.Series:
    """``normalise_one`` of each value of ``s`` (dtype str; missing stays missing).

    Empty strings and the placeholders 无/na/不详/0 become missing, so they never match.
    """
    values = arrow_strings(s)
    if values is None:  # not all strings: the definition handles anything
        uniques = pd.unique(s.dropna())
        return s.map({u: normalise_one(u) for u in uniques}).astype("str")
    encoded = pc.dictionary_encode(values)
    normalised = _normalise_distinct(encoded.dictionary).take(encoded.indices)
    return pd.Series(pd.array(normalised, dtype="str"), index=s.index, name=s.name)


def normalised_codes(*columns: pd.Series) -> list[np.ndarray]:
    """Per column, each value's normalised text (``normalise_text``) as an integer code, the same
    text the same code across all ``columns``; -1 where it is missing (placeholders included).

    For comparing values across columns without making a string of each: every distinct value is
    normalised once and the normalised texts numbered once.
    """
    arrays = [arrow_strings(c) for c in columns]
    if any(a is None for a in arrays):  # not all strings: through the definition, then numbered
        normal = pd.concat([normalise_text(c) for c in columns], ignore_index=True)
        code = pd.factorize(normal)[0].astype("int64")
    else:
        dictionary, indices = _encoded(arrays)
        if len(dictionary) == 0:
            code = np.full(len(indices), -1, dtype="int64")
        else:
            normal = pc.dictionary_encode(_normalise_distinct(dictionary))
            normal_code = pc.fill_null(normal.indices, -1).to_numpy(zero_copy_only=False).astype("int64")
            code = np.append(normal_code, -1)[indices]  # a missing value's index -1 takes the appended -1
    bounds = np.cumsum([0] + [len(c) for c in columns])
    return [code[start:end] for start, end in zip(bounds[:-1], bounds[1:])]


def _encoded(arrays: list[pa.Array]) -> tuple[pa.Array, np.ndarray]:
    """The distinct values of ``arrays`` (strings) and each value's index among them (-1: missing), all
    arrays numbered together: one hash pass over them as chunks, without first copying them into one."""
    if not arrays:
        return pa.array([], type=pa.large_string()), np.zeros(0, dtype="int64")
    encoded = pc.dictionary_encode(pa.chunked_array(arrays, type=pa.large_string()))
    chunks = encoded.chunks
    dictionary = chunks[-1].dictionary if chunks else pa.array([], type=pa.large_string())
    # the chunks number their values in one memo table: each chunk's dictionary is the start of the last one
    if not all(c.dictionary.equals(dictionary.slice(0, len(c.dictionary))) for c in chunks):
        encoded = pc.dictionary_encode(pa.concat_arrays(arrays))
        dictionary, chunks = encoded.dictionary, [encoded]
    indices = [pc.fill_null(c.indices, -1).to_numpy(zero_copy_only=False) for c in chunks]
    return dictionary, (np.concatenate(indices) if indices else np.zeros(0, dtype="int64"))


def recorded(s: pd.Series) -> pd.Series:
    """True where a text such as an exemption, an approval or a delay reason is recorded: after the common
    normalisation, neither empty, nor a placeholder, nor a word the loader reads as an empty cell
    (暂无, 没有, 不适用, none …: a 不招标理由 of 没有 records no ground for not tendering)."""
    normal = normalise_text(s)
    return normal.notna() & ~normal.isin(_SAYS_NOTHING)


# the loader's empty-cell words as the common normalisation leaves them (n/a -> na, - -> "")
_SAYS_NOTHING = frozenset(filter(None, map(normalise_one, EMPTY_WORDS)))
