"""CSV reading: encoding detection, delimiter sniffing, header row search.

Everything is read as text (ids keep leading zeros).  Encodings tried in
order: UTF-8 (with or without BOM), then GB18030 (a superset of GBK/GB2312);
both decodings are strict, so the recorded encoding is the one that fits
every byte.  Row numbers are CSV records with the first line as row 1,
which is the row Excel shows when it opens the file.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema.tables import Table
from .errors import LoadError
from .raw import HEADER_SEARCH_ROWS, RawTable, drop_trailing_blank_rows, find_header_row

DELIMITERS = (",", ";", "\t", "|")
_BINARY_MAGIC = {b"PK\x03\x04": "a zip/xlsx file", b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or other OLE file",
                 b"PAR1": "a parquet file", b"%PDF": "a PDF"}


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding name) or LoadError for bytes that are not text."""
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise LoadError(f"{path.name}: the file is {what}, not a CSV text file. Save it as .csv "
                            f"(or give it its real extension).")
    if b"\x00" in data[:65536]:
        raise LoadError(f"{path.name}: the file contains binary data (NUL bytes), so it is not a CSV text "
                        f"file (UTF-16 exports are not supported either). Export it again as CSV UTF-8.")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise LoadError(f"{path.name}: the file is neither UTF-8 nor GBK/GB18030 text, so it cannot be read. "
                    f"Open it in Excel and save as 'CSV UTF-8'.")


def _head_records(text: str, delimiter: str) -> list[list[str]]:
    head = text[:200_000]
    reader = csv.reader(io.StringIO(head), delimiter=delimiter)
    records = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass
    return records


def read_csv(path: Path, data: bytes, table: Table, user_aliases=None) -> RawTable:
    text, encoding = decode(data, path)
    best = None
    for delimiter in DELIMITERS:
        records = _head_records(text, delimiter)
        row, score = find_header_row(table, records, user_aliases)
        width = len(records[row]) if records else 0
        rank = (score, width)
        if best is None or rank > best[0]:
            best = (rank, delimiter, row, records)
    (score, width), delimiter, header_index, records = best
    if not records:
        return RawTable(pd.DataFrame(), [], np.array([], dtype=int), encoding, None, None,
                        ["file has no header row"])
    headers = records[header_index]
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, skiprows=header_index + 1,
                            names=list(range(len(headers))), index_col=False, dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            engine="c")
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame({i: pd.Series(dtype="str") for i in range(len(headers))})
    except pd.errors.ParserError as exc:
        raise LoadError(f"{path.name}: a row has more fields than the header row ({len(headers)} columns, "
                        f"header on row {header_index + 1}); the parser said: {exc}. Usually a value "
                        f"contains the delimiter {delimiter!r} without quotes.") from None
    frame = frame.astype("str")
    rows = np.arange(len(frame)) + header_index + 2
    notes = []
    if delimiter != ",":
        notes.append(f"delimiter {'TAB' if delimiter == chr(9) else delimiter}")
    if header_index:
        notes.append(f"header on row {header_index + 1} (rows above skipped as titles)")
    frame, rows = drop_trailing_blank_rows(frame, rows, notes)
    return RawTable(frame, headers, rows, encoding, None, header_index + 1, notes)
