"""Bytes to and from the disk: the one atomic writer and the one file hasher.

A low-level module (it imports nothing of kpt_audit), so that the loader, the
output writers, the reports and the batch all use the same two functions
without importing each other.

Every file is written to a temporary name in the same folder and renamed, so
an interrupted run never leaves a half-written file under a final name.  CSVs
are UTF-8 with BOM (Excel opens them with Chinese intact) and deterministic.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

import orjson
import pandas as pd


def _file_mode() -> int:
    """The mode a plainly created file gets (mkstemp's 0600 would hide reports from colleagues)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def _write_fd(fd: int, data: bytes | Iterable[bytes], final: Path) -> None:
    """The one place a run's bytes reach the disk (the reliability tests fail it as a full disk would)."""
    with os.fdopen(fd, "wb") as fh:
        if isinstance(data, (bytes, bytearray, memoryview)):
            fh.write(data)
        else:
            for block in data:
                fh.write(block)


def atomic_write_bytes(path: Path, data: bytes | Iterable[bytes]) -> None:
    """``data`` (bytes, or blocks of bytes written as they come) at ``path``, or nothing there at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _write_fd(fd, data, path)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(df: pd.DataFrame, path: Path) -> None:
    atomic_write_bytes(path, _csv_blocks(df))


# A text cell a spreadsheet would take for a formula (=, @, + or - followed by more than a number and by
# an operator, a call or a link -- so -5万元 or -（退款） stay as written --, or a leading tab or carriage
# return): a name like =HYPERLINK(...) or +cmd|' /C calc'!A0 in a ledger becomes live when the CSV is
# opened by double-click, which its BOM is there for.  Such a cell is written with a leading apostrophe
# (OWASP's advice), and read back without it; a text that itself starts with apostrophes before such a
# character gets one more, so that every text reads back as it was.
_FORMULA_LIKE = r"^'*(?:[=@\t\r]|[+-](?!\s*[\d.,]+(?:[eE][+-]?\d+)?%?$)(?=.*[=(|!@+\-*/^&;]))"
_GUARD = "'"
_GUARDED = "^" + _GUARD + _FORMULA_LIKE[1:]


def write_report_csv(df: pd.DataFrame, path: Path) -> None:
    """``write_csv`` for a file people open in a spreadsheet: formula-like text cells made plain text."""
    write_csv(_text_cells_rewritten(df, _FORMULA_LIKE, lambda text: _GUARD + text), path)


def read_report_csv(path: Path, **options) -> pd.DataFrame:
    """A CSV this tool wrote with ``write_report_csv``, its text cells as they were (the apostrophe that
    guarded a formula-like cell taken off)."""
    df = pd.read_csv(path, encoding="utf-8-sig", **options)
    return _text_cells_rewritten(df, _GUARDED, lambda text: text.str.slice(1))


def _text_cells_rewritten(df: pd.DataFrame, pattern: str, rewrite) -> pd.DataFrame:
    """``df`` with each text cell matching ``pattern`` replaced by ``rewrite`` of it (numbers and dates
    untouched; the same frame when no cell matches)."""
    changed = {}
    for name in df.columns:
        column = df[name]
        if pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_datetime64_any_dtype(column.dtype):
            continue
        text = column.astype("str") if column.dtype == object else column
        hit = text.str.contains(pattern, regex=True, na=False).to_numpy(dtype=bool)
        if hit.any():
            changed[name] = column.where(~hit, rewrite(text))
    return df.assign(**changed) if changed else df


CSV_BLOCK_ROWS = 50_000


def _csv_blocks(df: pd.DataFrame) -> Iterator[bytes]:
    """``df`` as CSV bytes, the BOM and then a block of rows at a time: the bytes one ``to_csv`` gives (it
    formats a block of rows at a time too), without the whole text held three times over (its buffer,
    the string and its UTF-8) at once: 0.3 GB for 300,000 findings."""
    yield "\ufeff".encode("utf-8")
    for start in range(0, max(len(df), 1), CSV_BLOCK_ROWS):
        block = df.iloc[start:start + CSV_BLOCK_ROWS]
        yield block.to_csv(index=False, header=start == 0, lineterminator="\n",
                           date_format="%Y-%m-%d").encode("utf-8")


# orjson's indented, key-sorted writing: the standard library's bytes (``indent=2, sort_keys=True,
# ensure_ascii=False``) about 15 times faster (indicators.json of 2,000,000 releases: 10 s in ``json``).
# Dates and subclasses go to ``_json_default``, as ``default=str`` sent them; two spellings differ and
# are both JSON: a float below 1e-4 is written without an exponent, and NaN is ``null`` (``json``
# writes ``NaN``, which no JSON reader but Python's accepts).
_JSON_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
                 | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS)


def _json_default(value):
    """A value orjson leaves to us: a float subclass (numpy's float64) as its number, the rest as ``str``."""
    return float(value) if isinstance(value, float) else str(value)


def json_bytes(obj) -> bytes:
    """``obj`` as the indented, key-sorted UTF-8 JSON every output file uses."""
    try:
        return orjson.dumps(obj, default=_json_default, option=_JSON_OPTIONS)
    except TypeError:  # an integer beyond 64 bits, which only the standard library writes
        return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n").encode("utf-8")


def write_json(obj, path: Path) -> None:
    atomic_write_bytes(path, json_bytes(obj))


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
