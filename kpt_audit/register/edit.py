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
from ..messages import text
from .fields import CHOICES, HEADERS, MAX_TEXT, REGISTER_COLUMNS, TEXT_FIELDS


class InvalidValue(ValueError):
    """A value an editable field cannot take: :meth:`text` says what it takes, in a language (``str()``:
    in English); the words are the catalogue's ``register.invalid.*``."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(self.text("en"))

    def text(self, lang: str = "zh") -> str:
        return text(self.key, lang, **self.values)


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())


def parse_field(field: str, value, *, amount_unit: float = 1.0):
    """The register's value of ``field`` for what was typed; ``amount_unit`` yuan per unit typed (10000 for 万元)."""
    if field in CHOICES:
        labels = CHOICES[field]
        typed = "" if _blank(value) else str(value).strip()
        for code, word in labels.items():
            if typed in (code, word):
                return code
        raise InvalidValue("register.invalid.choice", words="、".join(labels.values()))
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
            raise InvalidValue("register.invalid.date")
        return day.date()
    if field == "rectified_amount":
        not_amount = InvalidValue("register.invalid.amount")
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
        typed = str(value).strip()
        if len(typed) > MAX_TEXT:
            raise InvalidValue("register.invalid.too_long", most=MAX_TEXT, n=len(typed))
        return typed
    raise InvalidValue("register.invalid.not_editable", field=field, fields=", ".join(REGISTER_COLUMNS))


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
        raise BadDataError(key="register.err.unknown_finding", ids=ids)
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
            raise BadDataError(key="register.err.field_value", header=HEADERS.get(field, field), field=field,
                               value=value, problem=exc.text) from None
    with open_register(reg, create=False) as register, register.write() as session:
        changes = ChangeLog(by, "edit")
        changed, conflicts = apply_edits(session, {finding_id: edits}, changes,
                                         versions=None if version is None else {finding_id: version})
        if conflicts:
            raise RegisterError(key="register.err.changed_since_read", finding_id=finding_id)
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
            raise BadDataError(key="register.err.unknown_finding", ids=finding_id)
        shown = {c: getattr(f, c) for c in REGISTER_COLUMNS}
    for c in CHOICES:
        shown[c] = label(c, shown[c])
    shown["due_date"] = shown["due_date"].isoformat() if shown["due_date"] else ""
    shown["rectified_amount"] = None if shown["rectified_amount"] is None else shown["rectified_amount"] / 10000
    return {**shown, "version": f.version, "finding_no": f.finding_no}


__all__ = ["parse_field", "apply_edits", "set_finding", "get_finding", "InvalidValue"]
