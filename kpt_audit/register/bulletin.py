"""``register bulletin``: the quarterly bulletin (季通报) of the register, as HTML and as an editable .docx.

The quarter (``--period 2021Q3``, default: the quarter of the latest run) is judged at the date of
its latest run (the bulletin's 截至日期): the findings first found by then, with their verification
and rectification as the register holds them now, overdue when their due date is before that date.
Per county: the figures of :func:`kpt_audit.register.summary.rectification_table` and a ranking
(rectification rate, highest first; then fewer overdue; then the county's name); then the overdue
items grouped by responsible unit.

The Word file is rendered by docxtpl from a template an office may replace (``--template``;
the shipped one is ``templates/bulletin.docx``, made by :func:`write_default_template`).
The HTML escapes every value.  Both are in Chinese, as offices send them; their words are the
catalogue's ``register.bulletin.*`` and the register's column words, shared by the HTML and the template.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import UsageError
from ..files import atomic_write_bytes
from ..messages import text
from ..report.word import loop_table, render_docx, save_template, template_document, wan_text
from .fields import HEADERS, label
from .summary import TABLE_COLUMNS, figures_view, overdue, rectification_table

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates" / "bulletin.docx"
PERIOD = re.compile(r"^(\d{4})\s*[Qq]([1-4])$")
UNIT_UNKNOWN = text("register.bulletin.no_unit")
COUNTY_COLUMNS = ["rank", *TABLE_COLUMNS]  # the ranking table's columns
OVERDUE_COLUMNS = ["county", "finding_no", "title", "project_name", "due_date", "days_overdue", "rectification"]


@dataclass
class Bulletin:
    period: str
    as_of: dt.date  # the date the quarter is judged at: its latest run's as_of
    counties: pd.DataFrame  # rectification_table + rank
    overdue: pd.DataFrame  # responsible_unit, county, finding_no, title, project_name, due_date, days_overdue
    html: Path | None = None
    docx: Path | None = None


def quarter(period: str) -> tuple[dt.date, dt.date]:
    """``2021Q3`` -> (2021-07-01, 2021-09-30); UsageError naming the form otherwise."""
    match = PERIOD.match(str(period).strip())
    if not match:
        raise UsageError(key="register.err.period", period=period)
    year, q = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = (dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1))
    return start, end


def period_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def ranked(table: pd.DataFrame) -> pd.DataFrame:
    """Rank 1 = the highest rectification rate; ties by fewer overdue, then the county's name."""
    order = table.assign(_rate=table["rate"].fillna(-1.0)).sort_values(
        ["_rate", "overdue", "county"], ascending=[False, True, True], kind="stable")
    order = order.drop(columns="_rate").reset_index(drop=True)
    order.insert(0, "rank", range(1, len(order) + 1))
    return order


def compute_bulletin(register, period: str | None = None) -> Bulletin:
    """The bulletin's figures from an open register (no files written)."""
    from sqlalchemy import func, select

    from .models import Run
    from .record import register_frame

    with register.read() as s:
        latest = s.scalar(select(func.max(Run.as_of)))
        if latest is None:
            raise UsageError(key="register.err.no_run", name=register.name)
        period = period or period_of(latest)
        start, end = quarter(period)
        as_of = s.scalar(select(func.max(Run.as_of)).where(Run.as_of >= start, Run.as_of <= end))
        if as_of is None:
            raise UsageError(key="register.err.no_run_in_period", period=period, start=f"{start:%Y-%m-%d}",
                             end=f"{end:%Y-%m-%d}", latest=f"{latest:%Y-%m-%d}")
    frame = register_frame(register)
    frame = frame[frame["first_as_of"] <= as_of.isoformat()]
    counties = ranked(rectification_table(frame, as_of))
    late = frame[overdue(frame, as_of)].copy()
    due = pd.to_datetime(late["due_date"])
    late = pd.DataFrame({
        "responsible_unit": late["responsible_unit"].where(late["responsible_unit"] != "", UNIT_UNKNOWN),
        "county": late["county"].map(lambda c: c or text("register.unassigned")), "finding_no": late["finding_no"], "title": late["title"],
        "project_name": late["project_name"].fillna(""), "due_date": late["due_date"],
        "days_overdue": (pd.Timestamp(as_of) - due).dt.days.astype("int64"),
        "rectification": late["rectification"].map(lambda v: label("rectification", v))})
    late = late.sort_values(["responsible_unit", "due_date", "county", "finding_no"], kind="stable")
    return Bulletin(period, as_of, counties, late.reset_index(drop=True))


def _overdue_header(column: str) -> str:
    """An overdue table's header: the register field's own word (整改期限, 整改状态), else the reports'."""
    return HEADERS.get(column) or text(f"register.col.{column}")


def _html(b: Bulletin) -> str:
    e = html.escape
    county_table = figures_view(b.counties).to_html(index=False, escape=True, na_rep="")
    parts = [f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>{e(title(b))}</title>",
             "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em}"
             "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #999;padding:3px 8px}"
             "th{background:#ddebf7}td{text-align:left}</style></head><body>",
             f"<h1>{e(title(b))}</h1>",
             f"<p>{e(text('register.bulletin.intro', as_of=b.as_of.isoformat()))}</p>",
             f"<h2>{e(text('register.bulletin.counties'))}</h2>", county_table,
             f"<h2>{e(text('register.bulletin.overdue', n=len(b.overdue)))}</h2>"]
    if b.overdue.empty:
        parts.append(f"<p>{e(text('register.note.no_overdue'))}</p>")
    for unit, rows in b.overdue.groupby("responsible_unit", sort=True):
        shown = rows[OVERDUE_COLUMNS].rename(columns={c: _overdue_header(c) for c in OVERDUE_COLUMNS})
        parts.append(f"<h3>{e(text('register.bulletin.unit', unit=unit, n=len(rows)))}</h3>"
                     + shown.to_html(index=False, escape=True, na_rep=""))
    parts.append("</body></html>")
    return "\n".join(parts)


def title(b: Bulletin) -> str:
    year, q = b.period.split("Q")
    return text("register.bulletin.title", year=year, quarter=q, quarter_zh="一二三四"[int(q) - 1])


def context(b: Bulletin) -> dict:
    """What the Word template is given (every value text; the template's fields name these)."""
    counties = [{"rank": str(r["rank"]), "county": r["county"] or text("register.unassigned"), "found": str(r["found"]),
                 "verified": str(r["verified"]), "dismissed": str(r["dismissed"]), "pending": str(r["pending"]),
                 "rectified": str(r["rectified"]), "closed": str(r["closed"]), "overdue": str(r["overdue"]),
                 "rate": "" if pd.isna(r["rate"]) else f"{r['rate']:.1%}", "rectified_amount": wan_text(r["rectified_amount"])}
                for r in b.counties.to_dict("records")]
    units = [{"unit": unit, "count": str(len(rows)),
              "rows": [{"county": r["county"], "no": r["finding_no"], "title": r["title"], "project": r["project_name"],
                         "due": r["due_date"], "days": str(r["days_overdue"]), "state": r["rectification"]}
                        for r in rows.to_dict("records")]}
             for unit, rows in b.overdue.groupby("responsible_unit", sort=True)]
    return {"title": title(b), "period": b.period, "as_of": b.as_of.isoformat(), "counties": counties,
            "units": units, "overdue_total": str(len(b.overdue))}


def write_bulletin(reg, out, *, period: str | None = None, template=None) -> Bulletin:
    """Write ``季通报_<period>.html`` and ``.docx`` into ``out`` from the register ``reg``."""
    from .store import open_register

    if period is not None:
        quarter(period)  # a malformed period stops before the register is opened
    template = Path(template) if template else DEFAULT_TEMPLATE
    if not template.is_file():
        raise UsageError(key="register.err.template_missing", template=template)
    with open_register(reg, create=False) as register:
        b = compute_bulletin(register, period)
    out = Path(out)
    b.html = out / f"季通报_{b.period}.html"
    atomic_write_bytes(b.html, _html(b).encode("utf-8"))
    b.docx = out / f"季通报_{b.period}.docx"
    try:
        render_docx(template, context(b), b.docx)
    except Exception as exc:  # a replaced template with a field the bulletin does not give, or broken syntax
        fields = "title, period, as_of, counties, units, overdue_total"
        raise UsageError(key="register.err.template_unfilled", template=template, fields=fields,
                         error=f"{type(exc).__name__}: {exc}") from None
    return b


def write_default_template(path=DEFAULT_TEMPLATE) -> Path:
    """(Re)make the shipped template with python-docx: an office copies it, adds its letterhead in Word,
    keeps the {{ … }} and {%tr … %} fields, and passes it with ``--template``."""
    doc = template_document("（单位名称）审计局")
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph(text("register.bulletin.intro", as_of="{{ as_of }}"))
    doc.add_paragraph(text("register.bulletin.counties"), style="Heading 1")
    loop_table(doc, [text(f"register.col.{c}") for c in COUNTY_COLUMNS],
               ["{{ c." + c + " }}" for c in COUNTY_COLUMNS], "c in counties")
    doc.add_paragraph(text("register.bulletin.overdue", n="{{ overdue_total }}"), style="Heading 1")
    doc.add_paragraph("{%p for u in units %}")
    doc.add_paragraph(text("register.bulletin.unit", unit="{{ u.unit }}", n="{{ u.count }}"), style="Heading 2")
    loop_table(doc, [_overdue_header(c) for c in OVERDUE_COLUMNS],
               ["{{ i.county }}", "{{ i.no }}", "{{ i.title }}", "{{ i.project }}", "{{ i.due }}", "{{ i.days }}",
                "{{ i.state }}"], "i in u.rows")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if not units %}")
    doc.add_paragraph(text("register.note.no_overdue"))
    doc.add_paragraph("{%p endif %}")
    return save_template(doc, path)


__all__ = ["write_bulletin", "compute_bulletin", "Bulletin", "quarter", "ranked", "write_default_template",
           "DEFAULT_TEMPLATE"]
