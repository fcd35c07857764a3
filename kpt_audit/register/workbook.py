"""The register as a workbook auditors edit (``register export``) and read back (``register import``).

One sheet per county.  The editable columns (:mod:`.fields`) have Chinese headers, drop-down
lists for the choices and checks on dates and amounts; every other cell is locked (sheet
protection without a password: it guards against slips, not against intent).  Two hidden
columns carry each row's finding_id and version, and a very hidden sheet the register's id:
a workbook from another register is refused, and a row changed in the register since the
export is refused as a conflict instead of being overwritten.

Import validates every cell first and writes nothing when any is invalid; then, in one
transaction, it writes the rows the auditor changed, refuses the conflicts and records who
imported which file.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import BadDataError
from ..files import atomic_write_bytes, sha256_file
from ..messages import LANGS, text
from .fields import CAUSES, CHOICES, HEADERS, OLD_HEADERS, PRESENCE, REGISTER_COLUMNS, is_open

META_SHEET = "_register"
WAN = 10000.0
# the locked columns shown before the editable ones: (field, header, width)
SHOWN = [("finding_no", "问题编号", 15), ("check_id", "检查项", 8), ("title", "问题", 22), ("project_name", "项目", 26),
         ("entity", "对象", 20), ("amount", "金额（万元）", 12), ("detail", "问题明细", 50), ("state", "本期状态", 16),
         ("first_as_of", "首次发现", 11), ("last_as_of", "最近发现", 11)]
EDIT_WIDTHS = {"verification": 10, "verification_note": 24, "responsible_unit": 18, "due_date": 11,
               "rectification": 10, "rectified_amount": 12, "rectification_note": 24, "accountability": 20}
HIDDEN = [("finding_id", "finding_id"), ("version", "version")]
COLUMNS = [h for _, h, _ in SHOWN] + [HEADERS[f] for f in REGISTER_COLUMNS] + [h for _, h in HIDDEN]
FIRST_EDIT = len(SHOWN)
UNASSIGNED = text("register.unassigned")  # the sheet (and the name) of findings without a county


def _state(status, cause, still_open: bool = True) -> str:
    """本期状态 as the workbook shows it; a finding already dismissed or closed is not waiting for verification,
    so its absence is not marked 待核实."""
    if not status:
        return ""
    word = PRESENCE.get(status, status)
    if not still_open:
        word = word.replace("（待核实）", "")
    return f"{word}：{CAUSES[cause]}" if cause in CAUSES else word


def export_workbook(reg, out, *, counties=()) -> tuple[Path, int]:
    """Write the register ``reg``'s findings (of ``counties``) to ``out`` (.xlsx); returns (path, rows)."""
    import xlsxwriter

    from ..report.excel import _sheet_name
    from .record import register_frame
    from .store import open_register

    with open_register(reg, create=False) as register:
        frame = register_frame(register, counties)
        register_id = register.register_id
        if counties:
            missing = sorted(set(counties) - set(frame["county"]))
            if missing:
                from ..errors import UsageError

                known = ", ".join(c or UNASSIGNED for c in sorted(set(register_frame(register)["county"])))
                raise UsageError(key="register.err.unknown_county", counties=", ".join(missing),
                                 known=lambda lang: known or text("register.err.no_county", lang))
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    book.set_properties({"title": "kpt-audit 问题整改台账", "created": dt.datetime(2000, 1, 1)})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "locked": True})
    edit_header = book.add_format({"bold": True, "bg_color": "#FFF2CC", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    money = book.add_format({"num_format": "#,##0.00", "valign": "top"})
    editable = book.add_format({"locked": False, "bg_color": "#FFFBEA", "valign": "top", "text_wrap": True})
    edit_money = book.add_format({"locked": False, "bg_color": "#FFFBEA", "num_format": "#,##0.00", "valign": "top"})
    edit_date = book.add_format({"locked": False, "bg_color": "#FFFBEA", "num_format": "yyyy-mm-dd", "valign": "top"})
    used: set[str] = {META_SHEET.casefold()}
    groups = list(frame.groupby(frame["county"].fillna(""), sort=True)) or [("", frame)]
    for county, rows in groups:
        sheet = book.add_worksheet(_sheet_name(county or UNASSIGNED, used))
        _write_county(sheet, rows.reset_index(drop=True), (header, edit_header, wrap, money, editable, edit_money,
                                                           edit_date))
    meta = book.add_worksheet(META_SHEET)
    for i, (k, v) in enumerate((("register_id", register_id), ("exported_at", dt.datetime.now(dt.timezone.utc)
                                                                 .strftime("%Y-%m-%dT%H:%M:%SZ")))):
        meta.write_string(i, 0, k)
        meta.write_string(i, 1, v)
    meta.protect()
    meta.very_hidden()
    book.close()
    out = Path(out)
    atomic_write_bytes(out, buffer.getvalue())
    return out, int(len(frame))


def _write_county(sheet, rows: pd.DataFrame, formats) -> None:
    header, edit_header, wrap, money, editable, edit_money, edit_date = formats
    for j, title in enumerate(COLUMNS):
        sheet.write_string(0, j, title, edit_header if FIRST_EDIT <= j < FIRST_EDIT + len(REGISTER_COLUMNS) else header)
    for j, (_, _, width) in enumerate(SHOWN):
        sheet.set_column(j, j, width, money if SHOWN[j][0] == "amount" else wrap)
    for k, f in enumerate(REGISTER_COLUMNS):
        sheet.set_column(FIRST_EDIT + k, FIRST_EDIT + k, EDIT_WIDTHS[f])
    hidden_at = FIRST_EDIT + len(REGISTER_COLUMNS)
    sheet.set_column(hidden_at, hidden_at + len(HIDDEN) - 1, 18, None, {"hidden": True})
    for i, r in enumerate(rows.to_dict("records"), start=1):
        entity = r["entity_name"] if isinstance(r["entity_name"], str) and r["entity_name"] else r["entity_id"]
        shown = {"finding_no": r["finding_no"], "check_id": r["check_id"], "title": r["title"],
                 "project_name": r["project_name"], "entity": entity, "detail": r["detail"],
                 "state": _state(r["status"], r["cause"], is_open(r["verification"], r["rectification"])),
                 "first_as_of": r["first_as_of"],
                 "last_as_of": r["last_as_of"]}
        for j, (name, _, _) in enumerate(SHOWN):
            if name == "amount":
                if pd.notna(r["amount"]):
                    sheet.write_number(i, j, float(r["amount"]) / WAN, money)
            elif isinstance(shown[name], str) and shown[name]:
                sheet.write_string(i, j, shown[name], wrap)
        for k, f in enumerate(REGISTER_COLUMNS):
            j, v = FIRST_EDIT + k, r[f]
            if f in CHOICES:
                sheet.write_string(i, j, CHOICES[f].get(v, v), editable)
            elif f == "due_date":
                if v:
                    sheet.write_datetime(i, j, dt.datetime.fromisoformat(v), edit_date)
                else:
                    sheet.write_blank(i, j, None, edit_date)
            elif f == "rectified_amount":
                if pd.notna(v):
                    sheet.write_number(i, j, float(v) / WAN, edit_money)
                else:
                    sheet.write_blank(i, j, None, edit_money)
            elif v:
                sheet.write_string(i, j, str(v), editable)
            else:
                sheet.write_blank(i, j, None, editable)
        sheet.write_string(i, hidden_at, r["finding_id"])
        sheet.write_number(i, hidden_at + 1, int(r["version"]))
    last = max(len(rows), 1)
    for k, f in enumerate(REGISTER_COLUMNS):
        j = FIRST_EDIT + k
        if f in CHOICES:
            rule = {"validate": "list", "source": list(CHOICES[f].values()),
                    "error_message": f"请从下拉列表中选择：{'、'.join(CHOICES[f].values())}"}
        elif f == "due_date":
            rule = {"validate": "date", "criteria": ">=", "value": dt.datetime(2000, 1, 1),
                    "error_message": "请输入日期，如 2021-03-31", "ignore_blank": True}
        elif f == "rectified_amount":
            rule = {"validate": "decimal", "criteria": ">=", "value": 0, "error_message": "请输入不小于 0 的金额（万元）",
                    "ignore_blank": True, "input_title": HEADERS[f], "input_message": "单位：万元"}
        else:
            continue
        sheet.data_validation(1, j, last, j, {**rule, "error_title": HEADERS[f]})
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, last, len(COLUMNS) - 1)
    sheet.protect("", {"autofilter": True, "sort": False, "format_columns": True, "format_rows": True})
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


@dataclass
class ImportResult:
    """What an import did: the findings changed (finding_no -> fields), those refused as conflicts."""

    changed: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    import_id: int | None = None


@dataclass
class _Row:
    sheet: str
    row: int  # as Excel numbers it
    finding_id: str
    version: int | None
    values: dict


def _cell_error(key: str, **values) -> dict[str, str]:
    """An invalid cell (``register.cell.*``) worded in each language; a value may be a function of the language."""
    return {lang: text(key, lang, **{k: v(lang) if callable(v) else v for k, v in values.items()}) for lang in LANGS}


def _read(path: Path) -> tuple[str | None, list[_Row], list[dict[str, str]]]:
    """The workbook's register id, its rows (each editable cell parsed) and the invalid cells found
    (each worded in each language: :func:`_cell_error`)."""
    from openpyxl import load_workbook

    from .edit import InvalidValue, parse_field

    try:
        book = load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise BadDataError(key="register.err.not_workbook", path=path, error=f"{type(exc).__name__}: {exc}") from None
    register_id = None
    rows, errors = [], []
    try:
        if META_SHEET in book.sheetnames:
            for key, value, *_ in book[META_SHEET].iter_rows(values_only=True, max_col=2):
                if key == "register_id":
                    register_id = value
        for name in book.sheetnames:
            if name == META_SHEET:
                continue
            cells = book[name].iter_rows(values_only=True)
            header = [OLD_HEADERS.get(str(h), str(h)) if h is not None else "" for h in next(cells, ())]
            missing = [h for h in [HEADERS[f] for f in REGISTER_COLUMNS] + ["finding_id", "version"] if h not in header]
            if missing:
                errors.append(_cell_error("register.cell.missing_columns", sheet=name, columns=", ".join(missing)))
                continue
            at = {h: header.index(h) for h in header if h}
            for number, values in enumerate(cells, start=2):
                values = list(values) + [None] * (len(header) - len(values))
                fid = values[at["finding_id"]]
                if fid is None and all(v is None for v in values):
                    continue
                if not isinstance(fid, str) or not fid.strip():
                    errors.append(_cell_error("register.cell.no_finding_id", sheet=name, row=number))
                    continue
                version = values[at["version"]]
                parsed = {}
                for f in REGISTER_COLUMNS:
                    raw = values[at[HEADERS[f]]]
                    try:
                        parsed[f] = parse_field(f, raw, amount_unit=WAN)
                    except InvalidValue as exc:
                        errors.append(_cell_error("register.cell.bad_value", sheet=name, row=number, header=HEADERS[f],
                                                  value=raw, problem=exc.text))
                rows.append(_Row(name, number, fid.strip(), int(version) if isinstance(version, (int, float)) else None,
                                 parsed))
    finally:
        book.close()
    return register_id, rows, errors


def _state_at(session, findings: dict, versions: dict[str, int]) -> dict[str, dict]:
    """Each finding's editable fields as they were at ``versions[id]`` (the export): the current values
    with the later changes undone, from the events."""
    from sqlalchemy import select

    from .models import Event

    state = {fid: {f: getattr(findings[fid], f) for f in REGISTER_COLUMNS} for fid in versions}
    later = session.scalars(select(Event).where(Event.finding_id.in_(list(versions)),
                                                Event.field.in_(REGISTER_COLUMNS)).order_by(Event.id.desc()))
    for e in later:
        if e.version > versions[e.finding_id]:
            state[e.finding_id][e.field] = _typed(e.field, e.old)
    return state


def _typed(field_name: str, written):
    if written is None:
        return None
    if field_name == "due_date":
        return dt.date.fromisoformat(written)
    if field_name == "rectified_amount":
        return float(written)
    return written


def import_workbook(reg, path, *, by: str, lock_timeout: float | None = None) -> ImportResult:
    """Read ``path`` back into ``reg``: all or nothing for invalid cells (BadDataError), conflicts refused."""
    from sqlalchemy import select

    from .models import Finding, Import
    from .edit import apply_edits
    from .record import ChangeLog, now
    from .store import open_register

    path = Path(path)
    if not by or not by.strip():
        from ..errors import UsageError

        raise UsageError(key="register.err.by_required")
    if not path.is_file():
        raise BadDataError(key="register.err.no_file", path=path)
    options = {} if lock_timeout is None else {"lock_timeout": lock_timeout}
    with open_register(reg, create=False, **options) as register:
        register_id, rows, errors = _read(path)
        if register_id is None:
            raise BadDataError(key="register.err.no_meta_sheet", path=path, sheet=META_SHEET)
        if register_id != register.register_id:
            raise BadDataError(key="register.err.other_register", path=path, register_id=register_id,
                               name=register.name, own_id=register.register_id)
        seen: dict[str, _Row] = {}
        for r in rows:
            if r.finding_id in seen:
                other = seen[r.finding_id]
                errors.append(_cell_error("register.cell.duplicate", sheet=r.sheet, row=r.row, finding_id=r.finding_id,
                                          other_sheet=other.sheet, other_row=other.row))
            seen[r.finding_id] = r
            if r.version is None:
                errors.append(_cell_error("register.cell.no_version", sheet=r.sheet, row=r.row))
        with register.read() as s:
            known = {f.finding_id: f for f in s.scalars(select(Finding).where(Finding.finding_id.in_(list(seen))))}
        for r in rows:
            if r.finding_id not in known:
                errors.append(_cell_error("register.cell.unknown_finding", sheet=r.sheet, row=r.row,
                                          finding_id=r.finding_id))
        if errors:
            def cells(lang: str) -> str:  # the first ten, and how many more
                shown = [e[lang] for e in errors[:10]]
                if len(errors) > 10:
                    shown.append(text("register.cell.more", lang, n=len(errors) - 10))
                return ("；" if lang == "zh" else "; ").join(shown)

            raise BadDataError(key="register.err.invalid_cells", path=path, n=len(errors), cells=cells)

        result = ImportResult()
        with register.write() as s:
            record = Import(imported_at=now(), imported_by=by.strip(), file_name=path.name,
                            file_sha256=sha256_file(path), changed=0, conflicts=[])
            s.add(record)
            s.flush()
            changes = ChangeLog(by.strip(), "import", import_id=record.id)
            current = {f.finding_id: f for f in s.scalars(select(Finding).where(Finding.finding_id.in_(list(seen))))}
            versions = {fid: r.version for fid, r in seen.items()}
            base = _state_at(s, current, versions)
            # what the auditor changed: the cells that differ from the register as it was exported
            edits = {fid: {f: v for f, v in r.values.items() if v != base[fid][f]} for fid, r in seen.items()}
            edits = {fid: e for fid, e in edits.items() if e}
            changed, conflicts = apply_edits(s, edits, changes, versions=versions)
            s.flush()
            changes.write(s)
            record.changed, record.conflicts = len(changed), conflicts
            result.import_id = record.id
            result.changed = {current[fid].finding_no: sorted(edits[fid]) for fid in changed}
            result.conflicts = [f"{current[fid].finding_no} ({seen[fid].sheet} row {seen[fid].row})" for fid in conflicts]
    return result


__all__ = ["export_workbook", "import_workbook", "ImportResult", "COLUMNS", "META_SHEET"]
