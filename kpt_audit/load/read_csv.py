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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema.tables import Table
from ..errors import LoadError
from ..messages import text as message
from .headers import title_unit
from .parse import show_hidden
from .raw import HEADER_SEARCH_ROWS, RawTable, drop_trailing_blank_rows, find_header_row
from .texts import dq

DELIMITERS = (",", ";", "\t", "|")
# first bytes -> what the file is (the catalogue key naming it)
_BINARY_MAGIC = {b"PK\x03\x04": "err.what_zip", b"\xd0\xcf\x11\xe0": "err.what_ole", b"PAR1": "err.what_parquet",
                 b"%PDF": "err.what_pdf"}


@dataclass
class Decoded:
    text: str
    encoding: str
    data: bytes  # the bytes the text reads from in ``encoding`` (NULs removed; UTF-8 when lines were mended)
    # (line, shown text, reason): lines the decoder mended, each reported as a warning
    lines: list[tuple[int, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# More NUL bytes than this share of the file, or a UTF-16 byte-order mark, is binary (or UTF-16), not a
# CSV with a few stray NULs.
NUL_SHARE = 0.1
_SHOWN = 120


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding name) or LoadError; see :func:`decode_csv`."""
    decoded = decode_csv(data, path)
    return decoded.text, decoded.encoding


def decode_csv(data: bytes, path: Path) -> Decoded:
    """The text of a CSV file, or LoadError for bytes that are not text.

    UTF-8 (BOM or not) first, then GB18030; each strictly.  Two mendings keep a file whose bulk is text
    (data-model.md, Revision 2): NUL bytes are removed (each line named), and in a UTF-8 file a line that
    is not UTF-8 but is GBK/GB18030 (rows pasted from another export) is decoded as GB18030 (each line
    named).  A file with NUL bytes in bulk, or with a line that is neither, stays bad data.
    """
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise LoadError(key="err.not_csv", name=path.name, what=lambda lang, what=what: message(what, lang))
    original, nul_lines = data, []
    if b"\x00" in data:
        nuls = data.count(b"\x00")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or nuls > NUL_SHARE * len(data):
            _binary(data, path)
        nul_lines = _lines_holding(data, 0)
        data = data.replace(b"\x00", b"")
    decoded = _decode_text(data, path, had_nul=bool(nul_lines), original=original)
    if nul_lines:
        pieces = original.split(b"\n")
        for line in nul_lines:
            piece = pieces[line - 1]
            shown = show_hidden(piece.decode(decoded.encoding if line not in decoded.foreign else
                                             decoded.foreign_encoding, "replace").rstrip("\r"))
            decoded.lines.append((line, _short(shown), dq("nul_line") + "; " + dq("line", line=line)))
        decoded.notes.append(dq("nul_lines", n=len(nul_lines), lines=_line_list(nul_lines)))
        decoded.lines.sort(key=lambda t: t[0])
    return Decoded(decoded.text, decoded.encoding, decoded.data, decoded.lines, decoded.notes)


def _binary(data: bytes, path: Path):
    line = data.count(b"\n", 0, data.find(b"\x00")) + 1
    raise LoadError(key="err.binary", name=path.name, line=line)


def _lines_holding(data: bytes, byte: int) -> list[int]:
    """1-based numbers of the lines holding ``byte``."""
    arr = np.frombuffer(data, dtype=np.uint8)
    at = np.flatnonzero(arr == byte)
    newlines = np.flatnonzero(arr == 10)
    return sorted(set((np.searchsorted(newlines, at) + 1).tolist()))


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _line_list(lines: list[int], most: int = 10) -> str:
    shown = ", ".join(str(n) for n in lines[:most])
    return dq("more_lines", shown=shown, n=len(lines) - most) if len(lines) > most else shown


@dataclass
class _Text:
    text: str
    encoding: str
    data: bytes
    lines: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    foreign: frozenset = frozenset()
    foreign_encoding: str = "gb18030"  # the encoding of the ``foreign`` lines


def _decode_text(data: bytes, path: Path, had_nul: bool, original: bytes) -> _Text:
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return _Text(data.decode("utf-8-sig" if bom else "utf-8"), "utf-8-sig" if bom else "utf-8", data)
    except UnicodeDecodeError:
        pass
    mended = _mend_foreign_lines(data, bom)
    if isinstance(mended, _Text):
        return mended
    if isinstance(mended, int) and not had_nul:
        raise LoadError(key="err.line_not_text", name=path.name, line=mended)
    if not bom:
        try:
            return _Text(data.decode("gb18030"), "gb18030", data)
        except UnicodeDecodeError:
            pass
    if had_nul:
        _binary(original, path)
    raise LoadError(key="err.not_text", name=path.name)


_CJK = re.compile("[\u4e00-\u9fff]")
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _mend_foreign_lines(data: bytes, bom: bool) -> _Text | int | None:
    """A UTF-8 file some of whose lines are GBK/GB18030 (rows pasted from another export): each line
    in its own encoding; None when the file is not such a file; the number of the first line that is
    neither when it is.

    The file's own encoding is the one its exporting program wrote its first non-ASCII line in (the title
    or header) when that line tells: UTF-8 with Chinese text in it (GBK text is seldom valid UTF-8, and
    two Chinese characters by chance almost never), or not UTF-8 at all (GBK).  Otherwise -- and always
    with a BOM, which says UTF-8 -- the file is UTF-8 when more of its non-ASCII lines are valid UTF-8
    than not.  In a UTF-8 file the GBK lines are the foreign ones; a GBK file is read whole as GB18030,
    unless some of its lines hold Chinese text as UTF-8 (rows pasted the other way): those are then the
    foreign lines, decoded as UTF-8.  Foreign lines are named.  A line that is neither is bad data,
    named: guessing at it could give plausible wrong characters.
    """
    pieces = data.split(b"\n")
    utf8_lines, chinese_utf8, foreign, neither, first = 0, [], [], None, None
    texts: list[str | None] = [None] * len(pieces)
    for i, piece in enumerate(pieces):
        if not _NON_ASCII.search(piece):
            continue
        body = piece[3:] if i == 0 and bom else piece
        try:
            texts[i] = body.decode("utf-8")
            utf8_lines += 1
            if len(_CJK.findall(texts[i])) >= 2:
                chinese_utf8.append(i + 1)
            first = first or ("utf-8" if chinese_utf8 and chinese_utf8[-1] == i + 1 else "either")
            continue
        except UnicodeDecodeError:
            first = first or "gbk"
        try:
            texts[i] = body.decode("gb18030")
            foreign.append(i + 1)
        except UnicodeDecodeError:
            neither = neither or i + 1
    utf8_file = bom or first == "utf-8" or (first != "gbk" and utf8_lines > len(foreign))
    if not utf8_file:
        if not chinese_utf8:
            return None
        return _mostly_gbk(pieces, chinese_utf8)
    if neither is not None:
        return neither
    for i, piece in enumerate(pieces):
        if texts[i] is None:
            texts[i] = piece.decode("ascii")
    text = "\n".join(texts)
    lines = [(n, _short(texts[n - 1].rstrip("\r")), dq("gbk_line") + "; " + dq("line", line=n)) for n in foreign]
    notes = [dq("gbk_lines", n=len(foreign), lines=_line_list(foreign))]
    encoding = "utf-8-sig" if bom else "utf-8"
    return _Text(text, encoding, text.encode("utf-8"), lines, notes, frozenset(foreign))


def _mostly_gbk(pieces: list[bytes], utf8_lines: list[int]) -> _Text | int:
    """A GB18030 file with ``utf8_lines`` (1-based) holding Chinese text as UTF-8: each line in its own
    encoding, the UTF-8 ones named; the number of the first other line that is not GB18030."""
    foreign = set(utf8_lines)
    texts = []
    for n, piece in enumerate(pieces, start=1):
        try:
            texts.append(piece.decode("utf-8" if n in foreign else "gb18030"))
        except UnicodeDecodeError:
            return n
    text = "\n".join(texts)
    lines = [(n, _short(texts[n - 1].rstrip("\r")), dq("utf8_line") + "; " + dq("line", line=n)) for n in utf8_lines]
    notes = [dq("utf8_lines", n=len(utf8_lines), lines=_line_list(utf8_lines))]
    return _Text(text, "gb18030", text.encode("utf-8"), lines, notes, frozenset(utf8_lines), "utf-8")


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
    decoded = decode_csv(data, path)
    text, encoding = decoded.text, decoded.encoding
    best = None
    for delimiter in DELIMITERS:
        records = _head_records(text, delimiter)
        row, score = find_header_row(table, records, user_aliases)
        width = len(records[row]) if records else 0
        rank = (score, width)
        if best is None or rank > best[0]:
            best = (rank, delimiter, row, records)
    (score, width), delimiter, header_index, records = best
    line_warnings = _line_warnings(decoded, text, delimiter)
    if not records:
        return RawTable(pd.DataFrame(), [], np.array([], dtype=int), encoding, None, None,
                        decoded.notes + [dq("no_header")], line_warnings=line_warnings)
    headers = records[header_index]
    frame, too_long = _read_regular(decoded.data, text, encoding, delimiter, header_index + 1, len(headers)), []
    if frame is None:
        frame, too_long = _read_any(path, text, delimiter, header_index, headers)
    rows = np.arange(len(frame)) + header_index + 2
    notes = list(decoded.notes)
    if delimiter != ",":
        notes.append(dq("delimiter", delimiter=dq("tab") if delimiter == chr(9) else delimiter))
    if header_index:
        notes.append(dq("header_row", row=header_index + 1))
    frame, rows = drop_trailing_blank_rows(frame, rows, notes)
    return RawTable(frame, headers, rows, encoding, None, header_index + 1, notes, line_warnings=line_warnings,
                    title_unit=title_unit(records[:header_index]), bad_rows=too_long)


def _line_warnings(decoded: Decoded, text: str, delimiter: str) -> list[tuple[int, str, str]]:
    """The decoder's mended lines as (row, shown, reason), the row being the record holding the line
    (the same as the line unless a quoted cell spans lines before it)."""
    if not decoded.lines:
        return []
    record_of = {n: n for n, _, _ in decoded.lines}
    if '"' in text:
        wanted = sorted(record_of)
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        at, record = 0, 0
        try:
            for _ in reader:
                record += 1
                while at < len(wanted) and wanted[at] <= reader.line_num:
                    record_of[wanted[at]] = record
                    at += 1
                if at == len(wanted):
                    break
        except csv.Error:
            pass
    return [(record_of[n], shown, reason) for n, shown, reason in decoded.lines]


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


def _read_any(path: Path, text: str, delimiter: str, header_index: int,
              headers: list) -> tuple[pd.DataFrame, list[tuple]]:
    """pandas' C reader: pads short records; blank lines kept as rows.  A record with more cells than the
    header cannot be used (usually a value holding the delimiter unquoted, which shifts every cell after
    it): it is returned among the odd records (``RawTable.bad_rows``) to reject, unless its extra cells are
    empty (a trailing delimiter): those are dropped, nothing being lost; a shorter record is returned among
    them to warn.  pandas alone would drop a first record's extra cells silently."""
    width = len(headers)
    widest, too_long, too_short = _widest_record(text, delimiter, header_index, width)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, skiprows=header_index + 1,
                            names=list(range(widest)), index_col=False, dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            engine="c")
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame({i: pd.Series(dtype="str") for i in range(width)})
    except pd.errors.ParserError as exc:
        opened = _unclosed_quote(text)
        if opened is not None:
            raise LoadError(key="err.unclosed_quote", name=path.name, line=opened) from None
        raise LoadError(key="err.too_many_fields", name=path.name, n=width, row=header_index + 1,
                        said=" ".join(str(exc).split()), delimiter=repr(delimiter)) from None
    # named by the first cell beyond the header, where the shift shows: rejected; a short record's row is
    # kept (its missing cells read as empty), with a warning at the first column it lacks (its position)
    column, reason = dq("column_n", n=width + 1), dq("too_many_fields", n=width)
    unusable = [(row, column, shown, reason, True) for row, shown in too_long]
    short = [(row, cells, shown, dq("too_few_fields", n=width), False) for row, cells, shown in too_short]
    return frame.iloc[:, :width].astype("str"), unusable + short


def _unclosed_quote(text: str) -> int | None:
    """The line (1-based) of a double quote opening a value that the file never closes, else None (only
    looked for when the reader has failed)."""
    quoted, opened, at = False, None, 0
    while True:
        at = text.find('"', at)
        if at < 0:
            return opened if quoted else None
        if quoted and text.startswith('""', at):  # a quote inside a quoted value, written twice
            at += 2
            continue
        if not quoted:
            opened = text.count("\n", 0, at) + 1
        quoted = not quoted
        at += 1


def _widest_record(text: str, delimiter: str, header_index: int,
                   width: int) -> tuple[int, list[tuple[int, str]], list[tuple[int, int, str]]]:
    """The most cells a data record holds; (record number, the record as written) of each whose cells beyond
    the header's ``width`` are not all empty; (record number, its cells, the record) of each holding
    something in fewer cells than the header (a blank line holds nothing)."""
    widest, too_long, too_short = width, [], []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, 1):
            if number <= header_index + 1:
                continue
            if len(record) > width:
                if any(cell.strip() for cell in record[width:]):
                    too_long.append((number, _short(delimiter.join(record))))
                widest = max(widest, len(record))
            elif len(record) < width and any(cell.strip() for cell in record):
                too_short.append((number, len(record), _short(delimiter.join(record))))
    except csv.Error:  # quoting the csv module reads otherwise: pandas says what it finds
        return width, [], []
    return widest, too_long, too_short
