"""Word (.docx) drafts an audit office edits: each county's findings (审计发现) and evidence sheets (审计取证单).

Both are rendered by docxtpl from a template: the ones shipped in
``kpt_audit/report/templates/`` (made by ``scripts/word_templates.py``), or an
office's own copy with its letterhead, named in the params file::

    word:
      findings_template: 模板/审计发现.docx    # relative to the params file
      evidence_template: 模板/审计取证单.docx

A template uses the variables listed in :data:`FINDINGS_VARIABLES` and
:data:`EVIDENCE_VARIABLES` (docs/reports.md shows each); a template that is
not a .docx, has a Jinja error or names a variable these drafts do not give is
refused with a :class:`~kpt_audit.errors.ParamsError` before any work starts.
Every value is XML-escaped by docxtpl (``autoescape``); the findings are the
county slice's, masked like the HTML.  The file is deterministic: fixed dates
in its properties and its zip entries.

The shipped templates (these drafts' and the register's quarterly bulletin) are
made with python-docx from :func:`template_document` (宋体 styles, the
letterhead line) and written by :func:`save_template`.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd

from ..errors import ParamsError
from ..files import atomic_write_bytes

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
KINDS = ("findings", "evidence")
DEFAULT_TEMPLATES = {"findings": TEMPLATES_DIR / "findings.docx", "evidence": TEMPLATES_DIR / "evidence.docx"}


def default_templates(lang: str = "zh") -> dict[str, Path]:
    """The shipped templates in the report language (``findings.en.docx`` … for en)."""
    if lang == "en":
        return {kind: TEMPLATES_DIR / f"{kind}.en.docx" for kind in KINDS}
    return dict(DEFAULT_TEMPLATES)
# the top-level names each draft gives its template (loop variables are the template's own)
COMMON_VARIABLES = frozenset({"county", "as_of", "title", "units"})
FINDINGS_VARIABLES = COMMON_VARIABLES | {"total", "high", "medium", "low", "amounts", "areas", "amount_note"}
EVIDENCE_VARIABLES = COMMON_VARIABLES | {"findings", "total"}
VARIABLES = {"findings": FINDINGS_VARIABLES, "evidence": EVIDENCE_VARIABLES}
FIXED_DATE = dt.datetime(2000, 1, 1)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
TEMPLATE_FONT = "宋体"
TEMPLATE_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3")


def template_paths(section, params_file=None) -> dict[str, Path]:
    """The params file's ``word:`` section -> kind -> template path, for the kinds it names (the
    others keep the shipped templates of the report language: :func:`default_templates`).

    Each path is checked with :func:`check_template`; relative paths are read from the params
    file's folder.  A ParamsError names the file and key when something is wrong."""
    where = str(params_file) if params_file else "params"
    section = section or {}
    if not isinstance(section, dict):
        raise ParamsError(key="err.word_section", where=where, keys=", ".join(k + "_template" for k in KINDS))
    unknown = sorted(set(section) - {f"{k}_template" for k in KINDS})
    if unknown:
        raise ParamsError(key="err.word_key", where=where, key_name=unknown[0],
                          keys=", ".join(k + "_template" for k in KINDS))
    paths = {}
    base = Path(params_file).resolve().parent if params_file else Path.cwd()
    for kind in KINDS:
        value = section.get(f"{kind}_template")
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            raise ParamsError(key="err.word_path", where=where, kind=kind, value=repr(value))
        path = Path(value).expanduser()
        paths[kind] = path if path.is_absolute() else base / path
        check_template(paths[kind], kind, f"{where}: word.{kind}_template")
    return paths


def check_template(path, kind: str, where: str = "") -> None:
    """Refuse a template that cannot make a ``kind`` draft: missing, not a .docx, a Jinja error,
    or a variable the draft does not give (a typo would print nothing)."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    where = where or str(path)
    path = Path(path)
    if not path.is_file():
        raise ParamsError(key="err.word_missing", where=where, path=path)
    if not zipfile.is_zipfile(path):
        raise ParamsError(key="err.word_not_docx", where=where, path=path)
    try:
        names = DocxTemplate(str(path)).get_undeclared_template_variables()
    except TemplateError as exc:
        raise ParamsError(key="err.word_template_error", where=where, path=path, error=exc) from None
    except Exception as exc:  # python-docx's own errors for a zip that is no Word document
        raise ParamsError(key="err.word_unreadable", where=where, path=path, error=f"{type(exc).__name__}: {exc}") \
            from None
    unknown = sorted(set(names) - VARIABLES[kind])
    if unknown:
        raise ParamsError(key="err.word_variables", where=where, path=path, names=", ".join(unknown), kind=kind,
                          given=", ".join(sorted(VARIABLES[kind])))


def render_docx(template, context: dict, path) -> Path:
    """``template`` rendered with ``context`` (every value escaped) and written atomically to ``path``."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template))
    tpl.render(context, autoescape=True)
    props = _fixed_dates(tpl.docx.core_properties)
    props.title = context.get("title", "")
    buffer = io.BytesIO()
    tpl.save(buffer)
    atomic_write_bytes(Path(path), fixed_zip(buffer.getvalue()))
    return Path(path)


def _fixed_dates(props):
    """A document's core properties with fixed dates and revision (python-docx stamps the time)."""
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision = 1
    return props


def fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry dates (python-docx stamps the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def template_document(letterhead: str):
    """A new python-docx document to make a shipped template from: 宋体 in the body and the headings (the
    East Asian font too, which Word uses for Chinese), 11 pt body text, and ``letterhead`` as the page
    header's line, which an office replaces with its own."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    for name in TEMPLATE_STYLES:
        style = doc.styles[name]
        style.font.name = TEMPLATE_FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TEMPLATE_FONT)
    doc.styles["Normal"].font.size = Pt(11)
    doc.sections[0].header.paragraphs[0].text = letterhead
    return doc


def save_template(doc, path) -> Path:
    """Write a template made from :func:`template_document`, the same bytes every time: fixed dates,
    revision and author in its properties, fixed zip entry dates."""
    props = _fixed_dates(doc.core_properties)
    props.author = props.last_modified_by = "kpt-audit"
    buffer = io.BytesIO()
    doc.save(buffer)
    atomic_write_bytes(Path(path), fixed_zip(buffer.getvalue()))
    return Path(path)


def loop_table(doc, header: list[str], cells: list[str], loop: str):
    """For making a template with python-docx: a table with a header row and one row per item of
    ``loop`` (``"a in amounts"``), in docxtpl's ``{%tr%}`` rows."""
    table = doc.add_table(rows=4, cols=len(header))
    table.style = "Table Grid"
    for j, name in enumerate(header):
        table.rows[0].cells[j].text = name
    table.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    for j, value in enumerate(cells):
        table.rows[2].cells[j].text = value
    table.rows[3].cells[0].text = "{%tr endfor %}"
    return table


def wan_text(amount) -> str:
    """Yuan -> '1,234.57' (万元, two decimals); empty when missing."""
    if amount is None or amount is pd.NA or (isinstance(amount, float) and amount != amount):
        return ""
    return f"{float(amount) / 10000:,.2f}"


__all__ = ["DEFAULT_TEMPLATES", "default_templates", "FINDINGS_VARIABLES", "EVIDENCE_VARIABLES", "template_paths",
           "check_template", "render_docx", "template_document", "save_template", "loop_table", "wan_text"]
