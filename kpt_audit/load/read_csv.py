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
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema.tables import Table
from ..errors import LoadError
from .raw import HEADER_SEARCH_ROWS, RawTable, drop_trailing_blank_rows, find_header_row

DELIMITERS = (",", ";", "\t", "|")
_BINARY_MAGIC = {b"PK\x03\x04": "a zip/xlsx file", b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or other OLE file",
                 b"PAR1": "a parquet file", b"%PDF": "a PDF"}


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding name) or LoadError for bytes that are not text, or not one encoding."""
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise LoadError(f"{path.name}: the file is {what}, not a CSV text file. Save it as .csv "
                            f"(or give it its real extension).")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise LoadError(f"{path.name}: the file contains binary data (NUL bytes, the first on line "
                        f"{line}), so it is not a CSV text file (UTF-16 exports are not "
                        f"supported either). Export it again as CSV UTF-8.")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "gb18030")
    first_error = None
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            if encoding.startswith("utf-8"):
                _refuse_mixed_encodings(data, exc.start, path)
    raise LoadError(f"{path.name}: the file is neither UTF-8 nor GBK/GB18030 text, so it cannot be read. "
                    f"Open it in Excel and save as 'CSV UTF-8'.")


# Chinese characters written as UTF-8: a lead byte E4-E9 and two continuation bytes.
_UTF8_CJK = re.compile(rb"[\xe4-\xe9][\x80-\xbf]{2}")


def _refuse_mixed_encodings(data: bytes, bad_at: int, path: Path) -> None:
    """A file whose whole lines before ``bad_at`` hold Chinese in valid UTF-8 is a UTF-8 file with some
    lines in another encoding (rows pasted from a GBK export).  Decoding it all as GB18030 would turn the
    UTF-8 rows into plausible-looking wrong characters, so it is refused with the first foreign line.
    A GBK file fails UTF-8 at its first Chinese character, so it never has such a prefix."""
    line_start = data.rfind(b"\n", 0, bad_at) + 1
    if len(_UTF8_CJK.findall(data, 0, line_start)) < 2:
        return
    line = data.count(b"\n", 0, line_start) + 1
    raise LoadError(f"{path.name}: the file mixes encodings: the lines before line {line} are UTF-8 but line "
                    f"{line} is not (GBK?). Rows pasted from another export keep their encoding. Open the "
                    f"parts in Excel and save the whole table once as 'CSV UTF-8'.")


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
    frame = _read_regular(data, text, encoding, delimiter, header_index + 1, len(headers))
    if frame is None:
        frame = _read_any(path, text, delimiter, header_index, headers)
    rows = np.arange(len(frame)) + header_index + 2
    notes = []
    if delimiter != ",":
        notes.append(f"delimiter {'TAB' if delimiter == chr(9) else delimiter}")
    if header_index:
        notes.append(f"header on row {header_index + 1} (rows above skipped as titles)")
    frame, rows = drop_trailing_blank_rows(frame, rows, notes)
    return RawTable(frame, headers, rows, encoding, None, header_index + 1, notes)


def _read_regular(data: bytes, text: str, encoding: str, delimiter: str, skip_lines: int,
                  width: int) -> pd.DataFrame | None:
    """The records after the first ``skip_lines`` lines, read by pyarrow's multithreaded reader, when
    the file is regular enough for it to give exactly what pandas gives; otherwise None.

    Regular: the skipped lines (titles, header) hold no quote and no lone CR, so lines there are
    records; every record has ``width`` fields, or is a blank line (both readers give a row of empty
    strings).  pyarrow refuses any other field count, and pandas then pads the record or reports it.
    Quoting, doubled quotes, CR/CRLF line ends and newlines inside quotes read the same in both.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    raw = data if encoding.startswith("utf-8") else text.encode("utf-8")
    start = 0
    for _ in range(skip_lines):
        end = raw.find(b"\n", start)
        if end < 0 or b'"' in raw[start:end] or b"\r" in raw[start:end - 1]:
            return None
        start = end + 1
    if start >= len(raw):
        return None
    names = [str(i) for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(raw).slice(start)),
            read_options=pacsv.ReadOptions(column_names=names),
            # A newline can only be inside a value when a quote is somewhere; without, blocks parse in parallel.
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=raw.find(b'"', start) >= 0,
                                              ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None
    frame = table.to_pandas().astype("str")
    frame.columns = range(width)
    return frame


def _read_any(path: Path, text: str, delimiter: str, header_index: int, headers: list) -> pd.DataFrame:
    """pandas' C reader: pads short records, reports long ones; blank lines kept as rows."""
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, skiprows=header_index + 1,
                            names=list(range(len(headers))), index_col=False, dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            engine="c")
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame({i: pd.Series(dtype="str") for i in range(len(headers))})
    except pd.errors.ParserError as exc:
        said = " ".join(str(exc).split())
        raise LoadError(f"{path.name}: a row has more fields than the header row ({len(headers)} columns, "
                        f"header on row {header_index + 1}); the parser said: {said}. Usually a value "
                        f"contains the delimiter {delimiter!r} without quotes.") from None
    return frame.astype("str")
