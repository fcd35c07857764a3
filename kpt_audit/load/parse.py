"""Cell values -> canonical values, vectorised, one column at a time.

Each parser takes the raw column (strings from CSV, Python objects from Excel,
typed arrays from parquet) and returns a :class:`Parsed`: the canonical
series, a mask of cells that held something but could not be parsed, and
notes saying what was converted.  Missing means NaN/None or blank text.
Clean input takes a fast path (one ``to_numeric`` / ``to_datetime`` pass); only
the cells that fail it go through the slower clean-up.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .arrow import arrow_strings
from .headers import normalise_key
from .texts import dq

EXCEL_ERRORS = frozenset({"#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
                          "#GETTING_DATA", "#SPILL!", "#CALC!"})
# Dates outside this window are kept but warned about: typos such as 2202 or
# placeholder dates like 1900-01-01 are themselves worth a look.
PLAUSIBLE_DATES = (pd.Timestamp("1950-01-01"), pd.Timestamp("2100-12-31"))
# datetime64[ns] cannot hold dates beyond these; 9999-12-31 "open-ended" sentinels are unparseable.
_NS_BOUNDS = (pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31"))
EXCEL_SERIAL_RANGE = (18264, 73415)  # 1950-01-01 .. 2100-12-31 as Excel 1900-system serials
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
DAY_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y年%m月%d")
MONTH_FORMATS = ("%Y-%m", "%Y/%m", "%Y.%m", "%Y年%m月", "%Y年%m")
TRUE_WORDS = ("是", "true", "t", "yes", "y", "1", "1.0", "废标", "无效", "√", "✓")
FALSE_WORDS = ("否", "false", "f", "no", "n", "0", "0.0", "有效", "合格", "×", "✗")


@dataclass
class Parsed:
    values: pd.Series
    bad: np.ndarray                        # held something, could not be parsed
    notes: list[str] = field(default_factory=list)
    implausible: np.ndarray | None = None  # dates kept but outside PLAUSIBLE_DATES
    cleaned: np.ndarray | None = None      # text kept with characters removed (see clean_text)


def blank_mask(raw: pd.Series) -> np.ndarray:
    if raw.dtype == object:
        text = raw.map(lambda v: v if isinstance(v, str) else None)
        blank_text = text.notna() & text.fillna("x").str.strip().eq("")
        return (raw.isna() | blank_text).to_numpy(dtype=bool)
    if pd.api.types.is_string_dtype(raw.dtype):
        return (raw.isna() | raw.str.strip().eq("")).to_numpy(dtype=bool)
    return raw.isna().to_numpy(dtype=bool)


def _error_cells(raw: pd.Series) -> np.ndarray:
    if raw.dtype == object:
        return raw.isin(list(EXCEL_ERRORS)).to_numpy(dtype=bool)
    out = np.zeros(len(raw), dtype=bool)
    if pd.api.types.is_string_dtype(raw.dtype):
        # Every Excel error starts with '#': a prefix test spares hashing every cell.
        hashed = raw.str.startswith("#").to_numpy(dtype=bool)
        if hashed.any():
            out[hashed] = raw[hashed].isin(list(EXCEL_ERRORS)).to_numpy(dtype=bool)
    return out


def as_text(raw: pd.Series) -> pd.Series:
    """Raw cells as ``str`` (missing = NaN), integral Excel numbers without '.0', dates as ISO."""
    if pd.api.types.is_string_dtype(raw.dtype) and raw.dtype != object:
        return raw
    if pd.api.types.is_float_dtype(raw.dtype):
        integral = raw.notna() & (raw % 1 == 0)
        out = raw.astype("str")
        out[integral] = raw[integral].astype("int64").astype("str")
        return out.where(raw.notna()).astype("str")
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return raw.dt.strftime("%Y-%m-%d").astype("str")
    if raw.dtype != object:
        return raw.astype("str").where(raw.notna()).astype("str")

    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, (dt.datetime, dt.date)):
            return v.strftime("%Y-%m-%d")
        return str(v)

    return raw.map(one).astype("str")


# C0 and C1 control characters other than tab, newline and CR are never data: they come from legacy
# exports and copy-paste, XML (so xlsx output) forbids most of them and terminals obey ESC sequences.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Invisible format characters (zero-width, BOM, bidi controls) make two ids that look equal differ.
_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
CONTROL_CHARS, HIDDEN_CHARS = f"[{_CONTROL}]", f"[{_CONTROL}{_INVISIBLE}]"
CLEANED_REASON = dq("cleaned")
CLEANED_ID_REASON = dq("cleaned_id")


def clean_text(text: pd.Series, invisible: bool = False) -> tuple[pd.Series, np.ndarray]:
    """``text`` without control characters (and invisible ones when ``invisible``), and the mask of
    cells that changed.  Only those cells are rewritten."""
    pattern = HIDDEN_CHARS if invisible else CONTROL_CHARS
    hit = text.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)
    if not hit.any():
        return text, hit
    out = text.copy()
    out[hit] = text[hit].str.replace(pattern, "", regex=True)
    return out, hit


def show_hidden(value) -> str:
    """A cell with its control/invisible characters written as \\uXXXX, for warnings people read."""
    return re.sub(HIDDEN_CHARS, lambda m: f"\\u{ord(m.group()):04x}", str(value))


def parse_text(raw: pd.Series, normalise_width: bool = False) -> Parsed:
    """Text and ids: stripped, control characters removed; ids also lose invisible characters and are
    NFKC-normalised, so ＡＢ１ or AB1 followed by a zero-width space match AB1 in another file."""
    text, cleaned = clean_text(as_text(raw), invisible=normalise_width)
    text = text.str.strip()
    if normalise_width:
        text = nfkc(text)
    bad = _error_cells(raw)
    text = text.where(~(text.eq("") | bad))
    return Parsed(text.astype("str"), bad, cleaned=cleaned if cleaned.any() else None)


def _split_object(raw: pd.Series):
    """Excel columns mix numbers, datetimes and text: (numbers, datetimes, text) series, each NaN elsewhere."""
    is_num = raw.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).to_numpy(dtype=bool)
    is_dt = raw.map(lambda v: isinstance(v, (dt.datetime, dt.date))).to_numpy(dtype=bool)
    numbers = pd.to_numeric(raw.where(is_num), errors="coerce").astype("float64")
    dates = pd.to_datetime(raw.where(is_dt), errors="coerce")
    text = as_text(raw.where(~(is_num | is_dt)))
    return numbers, dates, text


_CELL_UNIT = re.compile(r"(亿元|万元|亿|万|元)$")
_CELL_FACTORS = {"亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4, "元": 1.0}
_CURRENCY = re.compile(r"^(¥|\$|rmb|cny)", re.IGNORECASE)
# A comma in a number is a thousands separator only where it groups digits by three: 1,234,567.5 and
# (1,234) are numbers, 1,2,3 and 12,34 are not (a list, or a decimal comma: either way not one value).
_GROUPED = re.compile(r"^[+-]?\(?[+-]?\d{1,3}(,\d{3})+(\.\d*)?\)?$")

# Cells that say "nothing here" in words or marks.  In an optional date, number or yes/no column they
# are empty, not unreadable (checks.md, DQ): no warning, no unknown cell, a note in the ledger.
EMPTY_WORDS = frozenset({"无", "暂无", "没有", "空", "-", "--", "---", "—", "——", "–", "/", "//", "\\",
                         "不详", "不适用", "n/a", "na", "n.a.", "null", "none"})


def empty_equivalent(cells: pd.Series) -> np.ndarray:
    """Mask of cells written as one of :data:`EMPTY_WORDS` (full-width forms, case and spaces ignored)."""
    text = as_text(cells)
    if not len(text):
        return np.zeros(0, dtype=bool)
    key = nfkc(text).str.replace(r"\s+", "", regex=True).str.casefold()
    return key.isin(EMPTY_WORDS).to_numpy(dtype=bool)


def parse_number(raw: pd.Series, factor: float = 1.0, is_amount: bool = True) -> Parsed:
    """Amounts and plain numbers; ``factor`` is the column's unit (1e4 for a 万元 header).

    Cells may carry 元/万元/亿元 (amounts) or % (numbers), ¥, thousands
    separators, full-width digits and accounting negatives ``(1,234)``.
    A cell's own unit overrides the column's.  ``inf``/``nan`` are unparseable.
    """
    blank = blank_mask(raw)
    notes: list[str] = []
    if raw.dtype != object and (pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype)):
        values = raw.astype("float64")
        cell_factor = np.full(len(raw), factor)
    else:
        if raw.dtype == object:
            numbers, _, text = _split_object(raw)
        else:
            numbers, text = pd.Series(np.nan, index=raw.index), raw.astype("str")
        values = numbers.copy()
        todo = text.notna().to_numpy() & ~blank
        first = _to_float(text[todo])
        values[todo] = first
        cell_factor = np.full(len(raw), factor)
        messy = todo & values.isna().to_numpy()
        if messy.any():
            cleaned, messy_factor, kinds = _clean_numbers(text[messy], factor, is_amount)
            values[messy] = cleaned
            cell_factor[messy] = messy_factor
            notes.extend(kinds)
    arr = values.to_numpy(dtype="float64", na_value=np.nan)
    bad = ~blank & ~np.isfinite(arr)
    arr = np.where(bad, np.nan, arr)
    scaled = cell_factor != 1.0
    if scaled.any():
        arr = np.where(scaled, np.round(arr * cell_factor, 2), arr)
    return Parsed(pd.Series(arr, index=raw.index, dtype="float64"), bad, notes)


def _to_float(text: pd.Series) -> pd.Series:
    """``pd.to_numeric(text, errors="coerce")``.  pyarrow's cast reads a column of plain numbers
    15 times faster and to the same doubles; it refuses the whole column at the first other cell
    (blank, spaces, separators, units), and then pandas reads it cell by cell."""
    cells = arrow_strings(text)
    if cells is not None and cells.null_count == 0:
        try:
            return pd.Series(pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False), index=text.index)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    return pd.to_numeric(text, errors="coerce")


def _clean_numbers(text: pd.Series, factor: float, is_amount: bool):
    # a space between digits separates thousands as a comma does, under the same rule (1 234 567 is a
    # number, 12 34 and 1 2 3 are not); any other space is layout (1,234 万元)
    t = nfkc(text).str.replace(r"(?<=\d)\s+(?=\d)", ",", regex=True)
    t = t.str.replace(r"\s+", "", regex=True).str.replace("−", "-")
    kinds = []
    cell_factor = np.full(len(t), factor)
    if is_amount:
        unit = t.str.extract(_CELL_UNIT, expand=False)
        has_unit = unit.notna().to_numpy()
        if has_unit.any():
            kinds.append(dq("cell_unit"))
            unit_factor = unit.map(_CELL_FACTORS)
            cell_factor = np.where(has_unit, unit_factor.to_numpy(dtype="float64", na_value=np.nan), cell_factor)
            t = t.str.replace(_CELL_UNIT, "", regex=True)
        t = t.str.replace(_CURRENCY, "", regex=True)
    else:
        t = t.str.replace(r"%$", "", regex=True)
    comma = t.str.contains(",", regex=False).to_numpy(dtype=bool)
    if comma.any():
        grouped = comma & t.str.match(_GROUPED).fillna(False).to_numpy(dtype=bool)
        if grouped.any():
            kinds.append(dq("thousands"))
        t = t.str.replace(",", "", regex=False).where(~(comma & ~grouped))
    negative = t.str.match(r"^\(.*\)$").fillna(False).to_numpy(dtype=bool)
    if negative.any():
        kinds.append(dq("paren_negative"))
        t = t.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    values = pd.to_numeric(t, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    values = np.where(negative, -values, values)
    return values, cell_factor, kinds


def parse_int(raw: pd.Series) -> Parsed:
    """Years: ``2019``, ``2019年``, ``2019.0``."""
    blank = blank_mask(raw)
    text = nfkc(as_text(raw)).str.strip().str.replace(r"年(度)?$", "", regex=True)
    num = pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    ok = np.isfinite(num) & (np.mod(num, 1) == 0)
    bad = ~blank & ~ok
    return Parsed(pd.Series(np.where(ok, num, np.nan), index=raw.index).astype("Int64"), bad)


def parse_date(raw: pd.Series) -> Parsed:
    """Dates from datetime cells, ISO/``2021/5/10``/``2021.5.10``/``2021年5月10日``/``20210510``,
    month-only text (first of the month) and Excel serial numbers (cell or text)."""
    blank = blank_mask(raw)
    notes: list[str] = []
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        # The calendar day where the time was recorded, not in UTC: 00:00 in Beijing is the day before in UTC.
        raw = raw.dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return _finish_dates(raw, blank, notes)
    out = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[ns]")
    if raw.dtype == object:
        numbers, dates, text = _split_object(raw)
        from_cells = dates.notna().to_numpy()
        if from_cells.any():
            out[from_cells] = dates[from_cells].astype("datetime64[ns]").to_numpy()
    elif pd.api.types.is_numeric_dtype(raw.dtype):
        numbers, text = raw.astype("float64"), pd.Series(np.nan, index=raw.index, dtype="str")
    else:
        numbers, text = pd.Series(np.nan, index=raw.index), raw.astype("str")
    numbers = numbers.to_numpy(dtype="float64", na_value=np.nan, copy=True)
    serial = ~np.isnan(numbers)
    todo = text.notna().to_numpy() & ~blank
    if todo.any():
        parsed, serial_text = _dates_from_text(text[todo])
        out[todo] = parsed
        numbers[todo] = serial_text
        serial = serial | (todo & ~np.isnan(numbers))
    if serial.any():
        at = np.flatnonzero(serial)
        days = numbers[at]
        in_range = (days >= EXCEL_SERIAL_RANGE[0]) & (days <= EXCEL_SERIAL_RANGE[1])
        # 20210510 or 202005 typed into Excel is a number cell holding the date's digits: read as the same
        # digits written as text are, not as a serial (no serial is that large)
        digits = ~in_range & (days == np.floor(days)) & (((days >= 19000101) & (days <= 21001231))
                                                         | ((days >= 190001) & (days <= 210012)))
        if digits.any():
            out[at[digits]] = _dates_from_text(pd.Series(days[digits].astype("int64").astype(str), dtype="str"))[0]
        if in_range.any():
            converted = _EXCEL_EPOCH + pd.to_timedelta(np.floor(days[in_range]), unit="D")
            out[at[in_range]] = converted.to_numpy(dtype="datetime64[ns]")
            notes.append(dq("excel_serial"))
    return _finish_dates(pd.Series(out, index=raw.index), blank, notes)


def parse_day(value) -> pd.Timestamp | None:
    """One full date written by a person (``--as-of``, ``as_of:`` in a params file), or None.

    Takes a date or datetime, or text in one of :data:`DAY_FORMATS` (``2020-09-30``,
    ``2020/9/30``, ``2020.9.30``, ``2020年9月30日``) or ``20200930``, full-width digits
    included.  Month-only text and Excel serial numbers are refused (an audit date names a
    day), and so is a day outside :data:`PLAUSIBLE_DATES`.
    """
    if isinstance(value, (dt.date, pd.Timestamp)):  # datetime.datetime is a datetime.date
        day = pd.Timestamp(value).normalize()
    elif isinstance(value, str):
        text = nfkc(pd.Series([value], dtype="str")).iloc[0].strip()
        day = None
        for fmt in DAY_FORMATS + ("%Y%m%d",):
            parsed = pd.to_datetime(text, format=fmt, errors="coerce")
            if pd.notna(parsed):
                day = pd.Timestamp(parsed).normalize()
                break
    else:
        return None
    if day is None or pd.isna(day) or not PLAUSIBLE_DATES[0] <= day <= PLAUSIBLE_DATES[1]:
        return None
    return day


def nfkc(text: pd.Series) -> pd.Series:
    """Text in NFKC form (full-width digits and punctuation made ASCII).  ASCII text is already in
    NFKC form, so only the other cells pay for the normalisation."""
    wide = (~text.str.isascii() & text.notna()).to_numpy(dtype=bool)
    if not wide.any():
        return text
    out = text.copy()
    out[wide] = text[wide].str.normalize("NFKC")
    return out


_TIME_OF_DAY = r"(?:[ T]|(?<=日))\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$"  # 2021年5月10日14:30 too


def _dates_from_text(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(parsed dates, Excel-serial-looking numbers) for non-blank text cells, as arrays."""
    t = nfkc(text).str.strip()
    timed = t.str.contains(":", regex=False).to_numpy(dtype=bool)
    if timed.any():
        t[timed] = t[timed].str.replace(_TIME_OF_DAY, "", regex=True)
    result = np.full(len(t), np.datetime64("NaT"), dtype="datetime64[ns]")
    ascii_cells = t.str.isascii().to_numpy(dtype=bool)
    lengths = t.str.len().to_numpy()
    digits8 = _fullmatch(t, r"\d{8}", ascii_cells, lengths == 8)
    digits6 = _fullmatch(t, r"\d{6}", ascii_cells, lengths == 6)
    plain = ~(digits8 | digits6)
    # Month columns hold YYYY-MM, which no day format can read: parsing those cells first gives
    # the dates the day formats would have left to "%Y-%m", without five failing passes.
    month_like = _fullmatch(t, r"\d{4}-\d{2}", ascii_cells, lengths == 7)
    for fmt, mask in [("%Y-%m", month_like)] + [(f, plain) for f in DAY_FORMATS] + \
                     [("%Y%m%d", digits8), ("%Y%m", digits6)] + [(f, plain) for f in MONTH_FORMATS]:
        remaining = mask & np.isnat(result)
        if not remaining.any():
            continue
        parsed = pd.to_datetime(t[remaining], format=fmt, errors="coerce")
        inside = (parsed.notna() & parsed.between(*_NS_BOUNDS)).to_numpy(dtype=bool)
        result[np.flatnonzero(remaining)[inside]] = parsed[inside].astype("datetime64[ns]").to_numpy()
    serial = np.full(len(t), np.nan)
    left = np.isnat(result)
    if left.any():
        candidates = t[left]
        looks = _fullmatch(candidates, r"\d{5}(\.\d+)?", ascii_cells[left], np.ones(len(candidates), dtype=bool))
        serial[left] = pd.to_numeric(candidates.where(looks), errors="coerce").to_numpy(dtype="float64",
                                                                                       na_value=np.nan)
    return result, serial


def _fullmatch(text: pd.Series, pattern: str, ascii_cells: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """``text.str.fullmatch(pattern)`` as a bool array, False outside ``candidates`` (cells of the only
    length the pattern can match).  pandas leaves pyarrow's regex engine for Python's on a whole
    column as soon as one cell is non-ASCII (``\\d`` is Unicode-aware in Python), so the rare
    non-ASCII cells are matched apart and the rest stay at arrow speed."""
    out = np.zeros(len(text), dtype=bool)
    for group in (candidates & ascii_cells, candidates & ~ascii_cells):
        if group.any():
            cells = text if group.all() else text[group]
            out[group] = cells.str.fullmatch(pattern).to_numpy(dtype=bool)
    return out


def _finish_dates(values: pd.Series, blank: np.ndarray, notes: list[str]) -> Parsed:
    values = values.where(values.between(*_NS_BOUNDS)) if len(values) else values
    values = values.astype("datetime64[ns]").dt.normalize()
    bad = ~blank & values.isna().to_numpy()
    implausible = (values.notna() & ~values.between(*PLAUSIBLE_DATES)).to_numpy(dtype=bool)
    return Parsed(values, bad, notes, implausible)


def parse_month(raw: pd.Series) -> Parsed:
    """``YYYY-MM`` from ``2020-05``, ``2020年5月``, ``202005`` or any date."""
    dates = parse_date(raw)
    v = dates.values
    text = (v.dt.year.astype("Int64").astype("str") + "-" + v.dt.month.astype("Int64").astype("str").str.zfill(2))
    return Parsed(text.where(v.notna()).astype("str"), dates.bad, dates.notes, dates.implausible)


def parse_bool(raw: pd.Series) -> Parsed:
    blank = blank_mask(raw)
    if pd.api.types.is_bool_dtype(raw.dtype):
        return Parsed(raw.astype("boolean"), np.zeros(len(raw), dtype=bool))
    words = {normalise_key(w): True for w in TRUE_WORDS} | {normalise_key(w): False for w in FALSE_WORDS}
    keys = as_text(raw).map(lambda v: normalise_key(v) if isinstance(v, str) else None)
    values = keys.map(words).astype("boolean")
    return Parsed(values, ~blank & values.isna().to_numpy(dtype=bool))


def parse_enum(raw: pd.Series, spellings: tuple[tuple[str, tuple[str, ...]], ...]) -> Parsed:
    """Known spellings -> canonical values; unknown text is left as written for validation to judge."""
    text = parse_text(raw)
    lookup = {}
    for canonical, variants in spellings:
        for v in (canonical, *variants):
            lookup[normalise_key(v)] = canonical
    unchanged = [c for c, _ in spellings if lookup.get(normalise_key(c), c) == c]
    if (text.values.isna() | text.values.isin(unchanged)).all():
        return text
    codes, uniques = pd.factorize(text.values)
    canonical = [lookup.get(normalise_key(u), u) for u in uniques]
    if canonical == list(uniques):
        return text
    # One look-up per distinct spelling, then spread to the rows by their codes.
    mapped = pd.array(canonical, dtype="str").take(codes, allow_fill=True)
    return Parsed(pd.Series(mapped, index=text.values.index), text.bad, cleaned=text.cleaned)


def parse_column(kind: str, raw: pd.Series, factor: float = 1.0, spellings=()) -> Parsed:
    if kind in ("id", "text"):
        return parse_text(raw, normalise_width=(kind == "id"))
    if kind == "amount":
        return parse_number(raw, factor, is_amount=True)
    if kind == "number":
        return parse_number(raw, 1.0, is_amount=False)
    if kind == "int":
        return parse_int(raw)
    if kind == "date":
        return parse_date(raw)
    if kind == "month":
        return parse_month(raw)
    if kind == "bool":
        return parse_bool(raw)
    if kind == "enum":
        return parse_enum(raw, spellings)
    raise ValueError(f"unknown column kind {kind!r}")
