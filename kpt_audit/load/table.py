"""RawTable -> canonical table plus the rows it rejected and the warnings it raised.

Rules (data-model.md "Rules every loader keeps" and "Revision 2"): a row is
rejected only when it is entirely blank, a total or footer row, its key is
missing or duplicated (the first row with a key is kept), or a required value
is empty, unparseable or (for an enum) not a known value.  Everything else
that looks wrong is a warning and the row stays: an unparseable optional value
is emptied (and, in a date, number or yes/no column, remembered as *unknown*),
an unknown optional enum value is emptied, negative amounts, out-of-range
percentages and implausible dates are kept as recorded.  An optional cell
written as an empty-equivalent (无, -, /, 不详, N/A …) is empty.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..dataset import REJECTION_COLUMNS, key_text
from ..schema.tables import Table
from ..schema.validation import failures, key_schema, row_failures
from ..errors import LoadError
from ..messages import text as message
from .headers import UNIT_FACTORS, header_key_and_unit, map_headers
from .parse import CLEANED_ID_REASON, CLEANED_REASON, Parsed, as_text, blank_mask, clean_text, \
    empty_equivalent, nfkc, parse_column, show_hidden
from .raw import UNSAVED_FORMULA, RawTable
from .texts import dq

_ISSUE_COLUMNS = ["pos", "column", "value", "reason", "reject", "canonical", "empty"]
UNKNOWN_COLUMNS = ["row", "key", "column", "value"]
# Column kinds whose unparseable optional cells are *unknown* (checks.md, DQ): dates, numbers, yes/no.
UNKNOWN_KINDS = frozenset({"amount", "number", "int", "date", "month", "bool"})
TOTAL_ROW, FOOTER_ROW = dq("total_row"), dq("footer_row")
TOTAL_WORDS = ("合计", "小计", "总计")
FOOTER_WORDS = ("填表人", "制表人", "审核人", "负责人", "填报日期")


class Note(str):
    """A ledger note that counts something (rows, cells): the written text, and its values kept so
    that the same note of another part of one table can be added to it (:func:`add_notes`)."""

    key: str
    values: dict

    def __new__(cls, key: str, **values):
        shown = {k: (" ".join(repr(w) for w in sorted(v)) if k == "words"
                     else ", ".join(str(r) for r in v[:10]) if k == "rows" else v) for k, v in values.items()}
        note = super().__new__(cls, dq(key, **shown))
        note.key, note.values = key, values
        return note


def add_notes(parts: list[list[str]]) -> list[str]:
    """The notes of one table read in parts, as if read whole: the same counting note of several parts
    once, its counts added (words united, the first rows kept); any other note once.  Notes come in
    the order every part agrees on (the builder writes them in a fixed order), else first seen first."""
    merged: dict = {}
    after: dict = {}  # note -> the notes some part wrote before it
    for notes in parts:
        identities = []
        for note in notes:
            same = (note.key, tuple(sorted((k, v) for k, v in note.values.items() if k not in ("n", "words", "rows")))) \
                if isinstance(note, Note) else note
            identities.append(same)
            after.setdefault(same, set()).update(identities[:-1])
            if same not in merged:
                merged[same] = note
            elif isinstance(note, Note):
                was = merged[same].values
                merged[same] = Note(note.key, **{
                    **note.values, "n": was["n"] + note.values["n"],
                    **({"words": was["words"] | note.values["words"]} if "words" in was else {}),
                    **({"rows": (was["rows"] + note.values["rows"])[:10]} if "rows" in was else {})})
    ordered, placed, waiting = [], set(), list(merged)
    while waiting:
        ready = next((n for n in waiting if after[n] <= placed | {n}), waiting[0])
        ordered.append(merged[ready])
        placed.add(ready)
        waiting.remove(ready)
    return ordered


@dataclass
class BuiltTable:
    frame: pd.DataFrame
    rows: np.ndarray            # source row number per kept row
    rows_in: int
    rejections: pd.DataFrame    # REJECTION_COLUMNS
    warnings: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    # cells of kept rows that held a value the loader could not read: row (label in ``frame``), column, value
    unknown: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {c: pd.Series(dtype="int64" if c == "row" else "str") for c in UNKNOWN_COLUMNS}))


def _issues(pos, column: str, value, reason, reject: bool, canonical: str = "", empty: bool = False) -> pd.DataFrame:
    """Issue rows; ``empty`` marks a kept row whose ``canonical`` value is to be emptied."""
    pos = np.asarray(pos)
    return pd.DataFrame({"pos": pos, "column": column,
                         "value": value if np.ndim(value) else [value] * len(pos),
                         "reason": reason if np.ndim(reason) else [reason] * len(pos), "reject": reject,
                         "canonical": canonical, "empty": empty})


def _unit_factor(table: Table, column: str, header_unit: str | None, units: dict, notes: list[str],
                 title_unit: str | None = None) -> float:
    """The amount column's unit: params' loader.units, else its header's, else the 单位 line above the header
    (a unit written in a cell overrides all three, in the parser)."""
    override = units.get(table.name, {}).get(column)
    unit = override or header_unit or title_unit
    if override and header_unit and override != header_unit:
        notes.append(dq("unit_override", column=column, unit=override, header_unit=header_unit))
    if unit is None or unit == "元":
        return 1.0
    if unit not in UNIT_FACTORS:
        raise LoadError(key="err.loader_unit", path="params", table=table.name, column=column, unit=unit,
                        units=", ".join(UNIT_FACTORS))
    notes.append(dq("unit_factor", column=column, unit=unit, factor=f"{UNIT_FACTORS[unit]:g}",
                    source=dq("source_params" if override else "source_header" if header_unit else "source_title")))
    return UNIT_FACTORS[unit]


def build_table(table: Table, raw: RawTable, file: str, params=None, *, last_part: bool = True,
                earlier_keys=None) -> BuiltTable:
    """``raw`` may be one part of a table read in parts (:mod:`kpt_audit.load.split`, :mod:`kpt_audit.load.sheets`): then blank rows at
    its end are layout only when it is the ``last_part``, and ``earlier_keys(keys)`` (a frame of the key
    columns of this part's live rows) gives the positions among them whose key an earlier part holds,
    with that part's row numbers (and, for parts that are sheets, their sheets) — they are duplicates as if
    the table were read whole."""
    def where(lang: str) -> str:
        said = message("err.where_sheet", lang, file=file, sheet=raw.sheet) if raw.sheet else file
        return message("err.where_header_row", lang, where=said, row=raw.header_row) if raw.header_row else said

    aliases = getattr(params, "aliases", {}) or {}
    units = getattr(params, "units", {}) or {}
    mapped = map_headers(table, raw.headers, aliases.get(table.name), where)
    notes = list(raw.book_notes) + list(raw.notes)
    n = len(raw.frame)
    label = {m.column: (m.column if header_key_and_unit(m.header)[0] == header_key_and_unit(m.column)[0]
                        else f"{m.column} ({m.header})") for m in mapped if m.column}
    issues: list[pd.DataFrame] = []

    empty_rows = _empty_rows(table, raw, mapped)
    summary = _total_and_footer_rows(table, raw, mapped, empty_rows, label)
    if len(summary) and empty_rows.any() and last_part:
        # Blank rows after the last record, among the total and footer rows, are layout like blank rows
        # at the end: not counted.
        records = np.flatnonzero(~empty_rows & ~np.isin(np.arange(n), summary["pos"].astype(int).to_numpy()))
        tail = empty_rows.copy()
        tail[: (records[-1] + 1 if len(records) else 0)] = False
        if tail.any():
            keep = ~tail
            raw = replace(raw, frame=raw.frame[keep].reset_index(drop=True), rows=raw.rows[keep])
            notes.append(Note("blank_among_summary", n=int(tail.sum())))
            n, empty_rows = len(raw.frame), empty_rows[keep]
            summary = summary.assign(pos=(np.cumsum(keep) - 1)[summary["pos"].astype(int).to_numpy()])
    if empty_rows.any():
        issues.append(_issues(np.flatnonzero(empty_rows), "", "", dq("empty_row"), True))
        notes.append(Note("blank_inside", n=int(empty_rows.sum())))
    skipped = empty_rows.copy()
    if len(summary):
        skipped[summary["pos"].astype(int).to_numpy()] = True
        for reason, group in summary.groupby("reason", sort=False):
            notes.append(Note("total_rows" if reason == TOTAL_ROW else "footer_rows", n=len(group),
                              rows=tuple(int(r) for r in raw.rows[group["pos"].astype(int).to_numpy()][:10])))

    columns: dict[str, pd.Series] = {}
    raw_cells: dict[str, pd.Series] = {}
    unknown: list[pd.DataFrame] = []
    for m in mapped:
        if m.column is None:
            continue
        col = table.column(m.column)
        factor = _unit_factor(table, col.name, m.unit, units, notes, raw.title_unit) if col.kind == "amount" else 1.0
        cells = raw.frame[m.position]
        parsed: Parsed = parse_column(col.kind, cells, factor, col.values)
        columns[col.name] = parsed.values
        raw_cells[col.name] = cells
        notes.extend(dq("column_note", column=col.name, note=note) for note in dict.fromkeys(parsed.notes))
        bad = parsed.bad & ~skipped
        if bad.any() and not col.required:
            bad &= ~_said_nothing(col.name, cells, bad, notes)
        if col.kind == "enum" and not col.required:
            _enum_empty_equivalents(col, columns, cells, skipped, notes)
        if col.kind == "id" or col.kind == "text" and col.required:
            _id_empty_equivalents(col, columns, cells, skipped, notes)
        if bad.any():
            marked = not col.required and col.kind in UNKNOWN_KINDS
            reason = (dq("required_unparseable", kind=col.kind) if col.required
                      else dq("unparseable", kind=col.kind) + "; " + dq("emptied_unknown" if marked else "emptied"))
            shown = _shown(cells, bad)
            issues.append(_issues(np.flatnonzero(bad), label[col.name], shown,
                                  reason, col.required, col.name, not col.required))
            if marked:
                unknown.append(pd.DataFrame({"pos": np.flatnonzero(bad), "column": col.name, "value": shown}))
        if parsed.cleaned is not None:
            changed = parsed.cleaned & ~skipped
            shown = np.array([show_hidden(v) for v in _shown(cells, changed)], dtype=object)
            issues.append(_issues(np.flatnonzero(changed), label[col.name], shown,
                                  CLEANED_ID_REASON if col.kind == "id" else CLEANED_REASON, False, col.name))
        if parsed.implausible is not None and parsed.implausible.any():
            odd = parsed.implausible & ~skipped
            issues.append(_issues(np.flatnonzero(odd), label[col.name], _shown(cells, odd),
                                  dq("implausible_date"), False,
                                  col.name))

    extras = _extra_columns(mapped, raw, notes)
    frame = pd.DataFrame({name: columns[name] for name in table.column_names if name in columns},
                         index=pd.RangeIndex(n))
    for header, series in extras.items():
        text, cleaned = clean_text(as_text(series))
        if cleaned.any():
            notes.append(Note("extra_control", column=header, n=int(cleaned.sum())))
        frame[header] = text.str.strip().replace("", np.nan).astype("str")

    for row, pos, value, reason in raw.cell_warnings:
        header = raw.headers[pos] if pos < len(raw.headers) else ""
        mapped_here = next((m for m in mapped if m.position == pos and m.column), None)
        column = label[mapped_here.column] if mapped_here else str(header or pos + 1)
        at = np.flatnonzero(raw.rows == row)
        if len(at):
            shown = "" if value is None else str(value)
            col = table.column(mapped_here.column) if mapped_here else None
            if reason == UNSAVED_FORMULA and col is not None and col.required:
                # the row cannot be used: say why, with the formula (the rules below skip this cell)
                issues.append(_issues(at[:1], column, shown, reason + "; " + dq("required_missing"), True, col.name))
                continue
            issues.append(_issues(at[:1], column, shown, reason, False))
            if reason == UNSAVED_FORMULA and col is not None and not col.required and col.kind in UNKNOWN_KINDS:
                # a formula whose result was never saved holds a value nobody can read here: unknown, not empty
                unknown.append(pd.DataFrame({"pos": at[:1], "column": col.name, "value": [shown]}))
    issues.extend(_rule_issues(table, frame, skipped, issues, label, raw_cells))

    def named(column) -> str:  # a column given by its position: as the other warnings name it
        if isinstance(column, str):
            return column
        here = next((m for m in mapped if m.position == column and m.column), None)
        return label[here.column] if here else str(raw.headers[column] or dq("column_n", n=column + 1))

    odd = [(_issues(np.flatnonzero(raw.rows == row)[:1], named(column), shown, reason, reject), reject)
           for row, column, shown, reason, reject in raw.bad_rows]
    issues.extend(found for found, reject in odd if not reject)  # short records: warned
    unusable = [found for found, reject in odd if reject]
    if unusable:
        # a record the reader could not use (its cells shifted) is rejected for that alone
        unusable = pd.concat(unusable, ignore_index=True)
        issues = [i[~i["pos"].isin(unusable["pos"])] for i in issues] + [unusable]
        unusable = unusable[~unusable["pos"].isin(summary["pos"])]
        if len(unusable):
            notes.append(Note("too_long_rows", n=len(unusable),
                              rows=tuple(int(r) for r in raw.rows[unusable["pos"].astype(int).to_numpy()][:10])))
    if len(summary):
        # a total or footer row is rejected as such, not for what its cells lack (or hold)
        issues = [i[~i["pos"].isin(summary["pos"])] for i in issues] + [summary]
    all_issues = pd.concat(issues, ignore_index=True) if issues else pd.DataFrame(columns=_ISSUE_COLUMNS)
    rejected = np.zeros(n, dtype=bool)
    rejected[all_issues.loc[all_issues["reject"].astype(bool), "pos"].astype(int).to_numpy()] = True

    if earlier_keys is not None and table.key and all(k in frame.columns for k in table.key):
        pos, first_rows, *first_sheets = earlier_keys(frame.loc[~rejected, list(table.key)])
        if len(pos):
            rejected[pos] = True
            all_issues = pd.concat([all_issues, _duplicates(table, frame, pos, first_rows, *first_sheets)],
                                   ignore_index=True)
    dupes = _duplicate_issues(table, frame, rejected, raw.rows)
    if len(dupes):
        rejected[dupes["pos"].astype(int).to_numpy()] = True
        all_issues = pd.concat([all_issues, dupes], ignore_index=True)

    emptied = all_issues[all_issues["empty"].astype(bool)]
    for canonical, group in emptied.groupby("canonical"):
        frame.loc[group["pos"].astype(int).to_numpy(), canonical] = np.nan

    kept = ~rejected
    out = frame.loc[kept].reset_index(drop=True)
    rejections = _as_rows(all_issues[all_issues["reject"].astype(bool)], file, raw)
    # A rejected row's lesser problems would be noise under "rows kept".
    on_kept_rows = ~all_issues["reject"].astype(bool) & kept[all_issues["pos"].astype(int).to_numpy()]
    warnings = _as_rows(all_issues[on_kept_rows], file, raw)
    if raw.line_warnings:
        lines = pd.DataFrame({"file": file, "sheet": raw.sheet or "",
                              "row": np.array([r for r, _, _ in raw.line_warnings], dtype="int64"),
                              "column": "", "value": [v for _, v, _ in raw.line_warnings],
                              "reason": [why for _, _, why in raw.line_warnings]}, columns=REJECTION_COLUMNS)
        warnings = pd.concat([lines, warnings], ignore_index=True) if len(warnings) else lines
    built = BuiltTable(out, raw.rows[kept], n, rejections, warnings, notes, list(extras))
    if unknown:
        cells = pd.concat(unknown, ignore_index=True)
        cells = cells[kept[cells["pos"].to_numpy()]]
        label_of = np.cumsum(kept) - 1  # the kept rows' labels in ``out`` (a fresh RangeIndex)
        labels = label_of[cells["pos"].to_numpy()].astype("int64")
        built.unknown = pd.DataFrame({
            "row": labels,
            "key": (key_text(out.loc[labels], list(table.key)).to_numpy() if table.key else
                    np.array([f"row{int(r)}" for r in raw.rows[cells["pos"].to_numpy()]], dtype=object)),
            "column": cells["column"].astype("str").to_numpy(),
            "value": cells["value"].astype(object).where(cells["value"].notna(), "").astype("str").to_numpy(),
        }).sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    return built


def _words(cells: pd.Series) -> frozenset:
    return frozenset(as_text(cells).str.strip().tolist())


def _said_nothing(column: str, cells: pd.Series, candidates: np.ndarray, notes) -> np.ndarray:
    """Which of the ``candidates`` cells are written as an empty-equivalent (无, -, /): each is empty, with
    one ledger note for the column."""
    said_nothing = np.zeros(len(candidates), dtype=bool)
    if candidates.any():
        said_nothing[np.flatnonzero(candidates)] = empty_equivalent(cells[candidates])
    if said_nothing.any():
        notes.append(Note("empty_words", column=column, n=int(said_nothing.sum()), words=_words(cells[said_nothing])))
    return said_nothing


def _enum_empty_equivalents(col, columns: dict[str, pd.Series], cells: pd.Series, skipped, notes) -> None:
    """An optional coded value written as an empty-equivalent (-, 无, /) is empty, not an unknown value."""
    values = columns[col.name]
    odd = (values.notna() & ~values.isin(list(col.enum_values))).to_numpy(dtype=bool) & ~skipped
    said_nothing = _said_nothing(col.name, cells, odd, notes)
    if said_nothing.any():
        columns[col.name] = values.where(~said_nothing)


def _id_empty_equivalents(col, columns: dict[str, pd.Series], cells: pd.Series, skipped, notes) -> None:
    """An id (or a required text) written as an empty-equivalent is none: a contract whose 招标编号 is 无 has
    no tender (PRO01 judges it as a direct contract), a payment whose 合同编号 is - is on no contract, and a
    project whose 项目编码 or 县区 is / has none, so its row is rejected as a required value missing."""
    values = columns[col.name]
    said_nothing = _said_nothing(col.name, cells, _might_say_nothing(values) & ~skipped, notes)
    if said_nothing.any():
        columns[col.name] = values.where(~said_nothing)


def _might_say_nothing(texts: pd.Series) -> np.ndarray:
    """The texts that could be an empty-equivalent: only short ones without a digit can be, so a payments
    table's millions of ids are picked out in Arrow, not each read by empty_equivalent."""
    return ((texts.str.len() <= 6) & ~texts.str.contains(r"[0-9０-９]", regex=True)).fillna(False).to_numpy(dtype=bool)


_SUMMARY_WORDS = TOTAL_WORDS + FOOTER_WORDS


def _summary_text(cells: pd.Series) -> pd.Series:
    """Cells as text without any whitespace (合  计 is 合计), full-width forms made plain."""
    return nfkc(as_text(cells)).str.replace(r"\s+", "", regex=True)


def _total_and_footer_rows(table: Table, raw: RawTable, mapped, empty_rows, label) -> pd.DataFrame:
    """Issues rejecting total and footer rows (data-model.md, Revision 2).

    A row qualifies when none of its key cells holds an id (each is empty, an empty-equivalent, or starts
    with one of the words) and one of its cells starts with 合计/小计/总计 (a total) or contains 填表人/制表人/审核人/
    负责人/填报日期 (a footer); a total wins when a row has both.  Key cells: the table's key; a table
    without one (contract_changes) uses its required id columns.  Only the rows whose key cells
    qualify are looked at further, so a table of ids costs one test per key column.
    """
    key = list(table.key) or [c.name for c in table.columns if c.required and c.kind == "id"]
    at = {m.column: m.position for m in mapped if m.column}
    if not key or not all(k in at for k in key):
        return pd.DataFrame(columns=_ISSUE_COLUMNS)
    candidate = ~empty_rows
    for k in key:
        still = np.flatnonzero(candidate)
        if not len(still):
            break
        column = raw.frame[at[k]]
        cells = column if len(still) == len(column) else column.iloc[still]
        qualifies = blank_mask(cells).copy()
        if cells.dtype == object or pd.api.types.is_string_dtype(cells.dtype):
            # the words are Chinese: an ASCII cell (most ids) cannot start with one
            text = as_text(cells)
            wide = ~qualifies & ~text.str.isascii().fillna(True).to_numpy(dtype=bool)
            if wide.any():
                qualifies[wide] = _summary_text(text[wide]).str.startswith(_SUMMARY_WORDS).fillna(False) \
                    .to_numpy(dtype=bool)
            # a key written as an empty-equivalent (-, /, 无, ——) holds no id either: the loader reads it as empty
            short = ~qualifies & _might_say_nothing(text)
            if short.any():
                qualifies[short] = empty_equivalent(cells[short])
        candidate[still] = qualifies
    if not candidate.any():
        return pd.DataFrame(columns=_ISSUE_COLUMNS)
    rows = np.flatnonzero(candidate)
    found: dict[int, tuple] = {}
    for reason, test in ((TOTAL_ROW, lambda t: t.str.startswith(TOTAL_WORDS)),
                         (FOOTER_ROW, lambda t: t.str.contains("|".join(FOOTER_WORDS), regex=True))):
        for m in mapped:
            cells = raw.frame[m.position].iloc[rows]
            hit = test(_summary_text(cells)).fillna(False).to_numpy(dtype=bool)
            shown = as_text(cells).to_numpy()
            column = label.get(m.column, m.column) if m.column else (m.header or dq("column_n", n=m.position + 1))
            for i in np.flatnonzero(hit):
                found.setdefault(int(rows[i]), (column, shown[i], reason))
    if not found:
        return pd.DataFrame(columns=_ISSUE_COLUMNS)
    pos = np.array(sorted(found), dtype=int)
    return pd.DataFrame({"pos": pos, "column": [found[p][0] for p in pos], "value": [found[p][1] for p in pos],
                         "reason": [found[p][2] for p in pos], "reject": True, "canonical": "", "empty": False})


def _empty_rows(table: Table, raw: RawTable, mapped) -> np.ndarray:
    """Rows blank in every column.  Each column is examined only on the rows still blank in all
    columns before it, required columns first, so a table without blank rows costs one column."""
    empty = np.ones(len(raw.frame), dtype=bool)
    for m in sorted(mapped, key=lambda m: m.column not in table.required):
        still = np.flatnonzero(empty)
        if not len(still):
            break
        cells = raw.frame[m.position]
        empty[still] = blank_mask(cells if len(still) == len(cells) else cells.iloc[still])
    return empty


def _shown(cells: pd.Series, where) -> np.ndarray:
    """The cells at ``where`` (mask or positions) as the user wrote them; only the few reported
    cells are turned into text, never the whole column."""
    picked = cells[where] if isinstance(where, np.ndarray) and where.dtype == bool else cells.iloc[where]
    return as_text(picked).to_numpy()


def _extra_columns(mapped, raw: RawTable, notes: list[str]) -> dict[str, pd.Series]:
    """Unrecognised headers, kept as text under their own header (blank, empty columns dropped)."""
    extras: dict[str, pd.Series] = {}
    for m in mapped:
        if m.column is not None:
            continue
        cells = raw.frame[m.position]
        if not m.header and blank_mask(cells).all():
            continue
        name = m.header or dq("column_n", n=m.position + 1)
        base, k = name, 2
        while name in extras:
            name, k = f"{base}.{k}", k + 1
        extras[name] = cells
    if extras:
        notes.append(dq("extra_columns", headers=", ".join(extras)))
    return extras


def _rule_issues(table: Table, frame: pd.DataFrame, empty_rows, parse_issues, label, raw_cells) -> list[pd.DataFrame]:
    """Row rules from the pandera schema, skipping cells a parser already reported."""
    canonical = [c for c in table.column_names if c in frame.columns]
    checked = frame.loc[~empty_rows, canonical] if empty_rows.any() else frame[canonical]
    found = row_failures(table.name, checked)
    if found.empty:
        return []
    if (found["rule"] == "dtype").any():
        raise RuntimeError(f"loader produced a wrong dtype for {table.name}: {found[found['rule'] == 'dtype']}")
    earlier = pd.concat(parse_issues, ignore_index=True) if parse_issues else pd.DataFrame(columns=_ISSUE_COLUMNS)
    reported = pd.MultiIndex.from_arrays([earlier["pos"].astype("int64"), earlier["canonical"].astype("str")])
    out = []
    for (column, rule), group in found.groupby(["column", "rule"], sort=False):
        pos = group["index"].astype("int64").to_numpy()
        pos = pos[~pd.MultiIndex.from_arrays([pos, np.full(len(pos), column, dtype=object)]).isin(reported)]
        if not len(pos):
            continue
        col = table.column(column)
        shown = _shown(raw_cells[column], pos)
        if rule == "missing":  # the cell as written: empty, or a word saying nothing (无, -, /)
            out.append(_issues(pos, label[column], shown, dq("required_missing"), True, column))
        elif rule == "unknown_value":
            unknown = dq("unknown_value", allowed=", ".join(col.enum_values))
            if col.required:
                out.append(_issues(pos, label[column], shown, unknown, True, column))
            else:
                out.append(_issues(pos, label[column], shown, unknown + "; " + dq("emptied"), False, column, True))
        elif rule == "negative":
            out.append(_issues(pos, label[column], shown, dq("negative"), False))
        elif rule == "out_of_range":
            out.append(_issues(pos, label[column], shown, dq("out_of_range"), False))
    return out


def _duplicate_issues(table: Table, frame: pd.DataFrame, rejected: np.ndarray, rows: np.ndarray) -> pd.DataFrame:
    schema = key_schema(table.name, report="all")
    key = list(table.key)
    if schema is None or not all(k in frame.columns for k in key):
        return pd.DataFrame(columns=_ISSUE_COLUMNS)
    alive = frame.loc[~rejected, key] if rejected.any() else frame[key]
    found = failures(schema, alive)
    if found.empty:
        return pd.DataFrame(columns=_ISSUE_COLUMNS)
    # Every row of a duplicated key is reported, so each key's first row is found among these few.
    members = alive.loc[np.unique(found["index"].astype(int).to_numpy())]
    first_pos = members.reset_index().groupby(key, sort=False)["index"].transform("min").to_numpy()
    later = members.index.to_numpy() != first_pos
    return _duplicates(table, frame, members.index.to_numpy()[later], rows[first_pos[later]])


def _duplicates(table: Table, frame: pd.DataFrame, pos: np.ndarray, first_rows: np.ndarray,
                first_sheets=None) -> pd.DataFrame:
    """Rejections of the rows at ``pos`` whose key the rows ``first_rows`` (as the user sees them; of the
    sheets ``first_sheets`` when the key came first on another sheet) hold first."""
    key = list(table.key)
    values = frame.loc[pos, key].astype("str").agg(" | ".join, axis=1).to_numpy()
    first = [dq("first_at_row", row=r) for r in first_rows] if first_sheets is None else \
        [dq("first_at_sheet_row", row=r, sheet=sheet) for r, sheet in zip(first_rows, first_sheets)]
    reasons = [dq("duplicate_key", columns="+".join(key)) + "; " + f for f in first]
    return _issues(pos, "+".join(key), values, reasons, True)


def _as_rows(issues: pd.DataFrame, file: str, raw: RawTable) -> pd.DataFrame:
    if issues.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in REJECTION_COLUMNS})
    ordered = issues.sort_values(["pos"], kind="stable")
    return pd.DataFrame({
        "file": file,
        "sheet": raw.sheet if raw.sheet else "",
        "row": raw.rows[ordered["pos"].astype(int).to_numpy()],
        "column": ordered["column"].to_numpy(),
        "value": ordered["value"].astype(object).where(ordered["value"].notna(), "").astype("str").to_numpy(),
        "reason": ordered["reason"].to_numpy(),
    }).reset_index(drop=True)
