"""RawTable -> canonical table plus the rows it rejected and the warnings it raised.

Rules (data-model.md "Rules every loader keeps"): a row is rejected only when
it is entirely blank, its key is missing or duplicated (the first row with a
key is kept), or a required value is empty, unparseable or (for an enum) not a
known value.  Everything else that looks wrong is a warning and the row stays:
an unparseable optional value is emptied, an unknown optional enum value is
emptied, negative amounts, out-of-range percentages and implausible dates are
kept as recorded.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..dataset import REJECTION_COLUMNS
from ..schema.tables import Table
from ..schema.validation import failures, key_schema, row_failures
from ..errors import LoadError
from .headers import UNIT_FACTORS, header_key_and_unit, map_headers
from .parse import CLEANED_ID_REASON, CLEANED_REASON, Parsed, as_text, blank_mask, clean_text, parse_column, \
    show_hidden
from .raw import RawTable

_ISSUE_COLUMNS = ["pos", "column", "value", "reason", "reject", "canonical", "empty"]


@dataclass
class BuiltTable:
    frame: pd.DataFrame
    rows: np.ndarray            # source row number per kept row
    rows_in: int
    rejections: pd.DataFrame    # REJECTION_COLUMNS
    warnings: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)


def _issues(pos, column: str, value, reason, reject: bool, canonical: str = "", empty: bool = False) -> pd.DataFrame:
    """Issue rows; ``empty`` marks a kept row whose ``canonical`` value is to be emptied."""
    pos = np.asarray(pos)
    return pd.DataFrame({"pos": pos, "column": column,
                         "value": value if np.ndim(value) else [value] * len(pos),
                         "reason": reason if np.ndim(reason) else [reason] * len(pos), "reject": reject,
                         "canonical": canonical, "empty": empty})


def _unit_factor(table: Table, column: str, header_unit: str | None, units: dict, notes: list[str]) -> float:
    override = units.get(table.name, {}).get(column)
    unit = override or header_unit
    if override and header_unit and override != header_unit:
        notes.append(f"{column}: unit {override} from params overrides the header's {header_unit}")
    if unit is None or unit == "元":
        return 1.0
    if unit not in UNIT_FACTORS:
        raise LoadError(f"params loader.units.{table.name}.{column}: unknown unit '{unit}' "
                        f"(use one of {', '.join(UNIT_FACTORS)}).")
    notes.append(f"{column}: {unit} -> 元 (x{UNIT_FACTORS[unit]:g}, "
                 f"{'params loader.units' if override else 'header'})")
    return UNIT_FACTORS[unit]


def build_table(table: Table, raw: RawTable, file: str, params=None) -> BuiltTable:
    where = file + (f", sheet '{raw.sheet}'" if raw.sheet else "") + \
        (f", header row {raw.header_row}" if raw.header_row else "")
    aliases = getattr(params, "aliases", {}) or {}
    units = getattr(params, "units", {}) or {}
    mapped = map_headers(table, raw.headers, aliases.get(table.name), where)
    notes = list(raw.notes)
    n = len(raw.frame)
    label = {m.column: (m.column if header_key_and_unit(m.header)[0] == header_key_and_unit(m.column)[0]
                        else f"{m.column} ({m.header})") for m in mapped if m.column}
    issues: list[pd.DataFrame] = []

    empty_rows = _empty_rows(table, raw, mapped)
    if empty_rows.any():
        issues.append(_issues(np.flatnonzero(empty_rows), "", "", "empty row", True))
        notes.append(f"{int(empty_rows.sum())} blank row(s) inside the data rejected as empty rows")

    columns: dict[str, pd.Series] = {}
    raw_cells: dict[str, pd.Series] = {}
    for m in mapped:
        if m.column is None:
            continue
        col = table.column(m.column)
        factor = _unit_factor(table, col.name, m.unit, units, notes) if col.kind == "amount" else 1.0
        cells = raw.frame[m.position]
        parsed: Parsed = parse_column(col.kind, cells, factor, col.values)
        columns[col.name] = parsed.values
        raw_cells[col.name] = cells
        notes.extend(f"{col.name}: {note}" for note in dict.fromkeys(parsed.notes))
        bad = parsed.bad & ~empty_rows
        if bad.any():
            reason = (f"required {col.kind} value cannot be parsed" if col.required
                      else f"{col.kind} value cannot be parsed; emptied")
            issues.append(_issues(np.flatnonzero(bad), label[col.name], _shown(cells, bad),
                                  reason, col.required, col.name, not col.required))
        if parsed.cleaned is not None:
            changed = parsed.cleaned & ~empty_rows
            shown = np.array([show_hidden(v) for v in _shown(cells, changed)], dtype=object)
            issues.append(_issues(np.flatnonzero(changed), label[col.name], shown,
                                  CLEANED_ID_REASON if col.kind == "id" else CLEANED_REASON, False, col.name))
        if parsed.implausible is not None and parsed.implausible.any():
            odd = parsed.implausible & ~empty_rows
            issues.append(_issues(np.flatnonzero(odd), label[col.name], _shown(cells, odd),
                                  "implausible date (before 1950 or after 2100), kept as recorded", False,
                                  col.name))

    extras = _extra_columns(mapped, raw, notes)
    frame = pd.DataFrame({name: columns[name] for name in table.column_names if name in columns},
                         index=pd.RangeIndex(n))
    for header, series in extras.items():
        text, cleaned = clean_text(as_text(series))
        if cleaned.any():
            notes.append(f"{header}: control characters removed from {int(cleaned.sum())} cell(s)")
        frame[header] = text.str.strip().replace("", np.nan).astype("str")

    issues.extend(_rule_issues(table, frame, empty_rows, issues, label, raw_cells))
    for row, pos, value, reason in raw.cell_warnings:
        header = raw.headers[pos] if pos < len(raw.headers) else ""
        column = next((label[m.column] for m in mapped if m.position == pos and m.column), str(header or pos + 1))
        at = np.flatnonzero(raw.rows == row)
        if len(at):
            issues.append(_issues(at[:1], column, "" if value is None else str(value), reason, False))

    all_issues = pd.concat(issues, ignore_index=True) if issues else pd.DataFrame(columns=_ISSUE_COLUMNS)
    rejected = np.zeros(n, dtype=bool)
    rejected[all_issues.loc[all_issues["reject"].astype(bool), "pos"].astype(int).to_numpy()] = True

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
    return BuiltTable(out, raw.rows[kept], n, rejections, warnings, notes, list(extras))


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
        name = m.header or f"(column {m.position + 1})"
        base, k = name, 2
        while name in extras:
            name, k = f"{base}.{k}", k + 1
        extras[name] = cells
    if extras:
        notes.append(f"extra columns kept as text: {', '.join(extras)}")
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
        if rule == "missing":
            out.append(_issues(pos, label[column], "", "required value missing", True, column))
        elif rule == "unknown_value":
            allowed = ", ".join(col.enum_values)
            if col.required:
                out.append(_issues(pos, label[column], shown, f"unknown value (allowed: {allowed})", True, column))
            else:
                out.append(_issues(pos, label[column], shown, f"unknown value (allowed: {allowed}); emptied",
                                   False, column, True))
        elif rule == "negative":
            out.append(_issues(pos, label[column], shown, "negative amount (refund or reversal?), kept", False))
        elif rule == "out_of_range":
            out.append(_issues(pos, label[column], shown, "outside 0-100, kept", False))
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
    pos = members.index.to_numpy()[later]
    first_rows = rows[first_pos[later]]
    values = alive.loc[pos].astype("str").agg(" | ".join, axis=1).to_numpy()
    reasons = [f"duplicate key {'+'.join(key)}; first at row {r}" for r in first_rows]
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
