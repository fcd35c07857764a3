"""Setting a finding's editable fields: the one validation and the one writer behind the workbook
import and the explorer.

:func:`parse_field` turns what an auditor typed (a Chinese choice or its code, a date, an amount)
into the register's value or raises :class:`InvalidValue`; :func:`apply_edits` writes validated
edits in the caller's transaction, each change an event, refusing a finding whose version moved
since the editor read it (a conflict).  :func:`set_finding` is the explorer's entry: one finding,
its own transaction.
"""
from __future__ import annotations

import datetime as dt
import numbers

from ..errors import BadDataError
from .fields import CHOICES, HEADERS, MAX_TEXT, REGISTER_COLUMNS, TEXT_FIELDS
from .texts import error


class InvalidValue(ValueError):
    """A value an editable field cannot take; the message (English; ``zh`` in Chinese) says what it takes."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())


def parse_field(field: str, value, *, amount_unit: float = 1.0):
    """The register's value of ``field`` for what was typed; ``amount_unit`` yuan per unit typed (10000 for 万元)."""
    if field in CHOICES:
        labels = CHOICES[field]
        text = "" if _blank(value) else str(value).strip()
        for code, word in labels.items():
            if text in (code, word):
                return code
        words = "、".join(labels.values())
        raise InvalidValue(f"choose one of {words}", f"请从 {words} 中选择")
    if field == "due_date":
        if _blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        from ..params import as_of_date

        day = as_of_date(str(value).strip()) if isinstance(value, str) else None
        if day is None:
            raise InvalidValue("a date such as 2021-03-31, 2021/3/31 or 2021年3月31日",
                               "应为日期，如 2021-03-31、2021/3/31 或 2021年3月31日")
        return day.date()
    if field == "rectified_amount":
        not_amount = InvalidValue("a number (万元), zero or more", "应为不小于 0 的数字（万元）")
        if _blank(value):
            return None
        if isinstance(value, bool) or not isinstance(value, (numbers.Real, str)):
            raise not_amount
        try:
            number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
        except ValueError:
            raise not_amount from None
        if number != number or number < 0 or number in (float("inf"),):
            raise not_amount
        return round(number * amount_unit, 2)
    if field in TEXT_FIELDS:
        if _blank(value):
            return ""
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise InvalidValue(f"at most {MAX_TEXT} characters (this has {len(text)})",
                               f"最多 {MAX_TEXT} 个字（此处 {len(text)} 个）")
        return text
    fields = ", ".join(REGISTER_COLUMNS)
    raise InvalidValue(f"{field} is not an editable field ({fields})", f"{field} 不是可编辑的字段（{fields}）")


def apply_edits(session, edits: dict[str, dict], changes, *, versions: dict[str, int] | None = None):
    """Write ``edits`` (finding_id -> {field: parsed value}) in ``session``; returns (changed ids, conflict ids).

    With ``versions`` (finding_id -> the version the editor saw), a finding whose version has moved
    since and whose edit differs from the register is a conflict: left as it is.  An unknown
    finding id is :class:`~kpt_audit.errors.BadDataError` (the caller's transaction rolls back).
    """
    from sqlalchemy import select

    from .models import Finding
    from .record import set_field

    found = {f.finding_id: f for f in session.scalars(select(Finding).where(Finding.finding_id.in_(list(edits))))}
    unknown = sorted(set(edits) - set(found))
    if unknown:
        ids = ", ".join(unknown[:5])
        raise error(BadDataError, zh=f"问题编号 {ids} 不在此整改台账中", en=f"unknown finding id {ids}: not in this register")
    changed, conflicts = [], []
    for fid in sorted(edits):
        f, wanted = found[fid], edits[fid]
        differs = {k: v for k, v in wanted.items() if getattr(f, k) != v}
        if not differs:
            continue
        if versions is not None and f.version != versions.get(fid, f.version):
            conflicts.append(fid)
            continue
        for field in REGISTER_COLUMNS:
            if field in differs:
                set_field(f, field, differs[field], changes, editable=True)
        changed.append(fid)
    return changed, conflicts


def set_finding(reg, finding_id: str, *, by: str, version: int | None = None, **typed) -> bool:
    """Set one finding's editable fields from what was typed (the explorer): the Chinese words or codes,
    dates as text, the rectified amount in 万元, as :func:`get_finding` shows them; True when something changed.

    Raises BadDataError naming the field and value when a value is invalid,
    RegisterError when the finding changed since ``version`` was read.
    """
    from ..errors import RegisterError
    from .record import ChangeLog
    from .store import open_register

    edits = {}
    for field, value in typed.items():
        try:
            edits[field] = parse_field(field, value, amount_unit=10000)  # typed in 万元, as the workbook
        except InvalidValue as exc:
            raise error(BadDataError, zh=f"{HEADERS.get(field, field)}（{field}）{value!r}：{exc.zh}",
                        en=f"{HEADERS.get(field, field)} ({field}) {value!r}: {exc}") from None
    with open_register(reg, create=False) as register, register.write() as session:
        changes = ChangeLog(by, "edit")
        changed, conflicts = apply_edits(session, {finding_id: edits}, changes,
                                         versions=None if version is None else {finding_id: version})
        if conflicts:
            raise error(RegisterError, zh=f"问题 {finding_id} 在读取后已被他人修改；请重新载入后再编辑",
                        en=f"finding {finding_id} was changed by someone else since it was read; reload it "
                           f"and edit again")
        session.flush()
        changes.write(session)
        return bool(changed)


def get_finding(reg, finding_id: str) -> dict:
    """A finding's editable fields as an editor shows them (Chinese words for the choices, dates as text,
    the amount in 万元) with its ``version`` (give it back to :func:`set_finding`)."""
    from sqlalchemy import select

    from .fields import label
    from .models import Finding
    from .store import open_register

    with open_register(reg, create=False) as register, register.read() as s:
        f = s.scalars(select(Finding).where(Finding.finding_id == finding_id)).first()
        if f is None:
            raise error(BadDataError, zh=f"问题编号 {finding_id} 不在此整改台账中",
                        en=f"unknown finding id {finding_id}: not in this register")
        shown = {c: getattr(f, c) for c in REGISTER_COLUMNS}
    for c in CHOICES:
        shown[c] = label(c, shown[c])
    shown["due_date"] = shown["due_date"].isoformat() if shown["due_date"] else ""
    shown["rectified_amount"] = None if shown["rectified_amount"] is None else shown["rectified_amount"] / 10000
    return {**shown, "version": f.version, "finding_no": f.finding_no}


__all__ = ["parse_field", "apply_edits", "set_finding", "get_finding", "InvalidValue"]
