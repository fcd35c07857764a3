"""Write the shipped Word templates (kpt_audit/report/templates/*.docx) with python-docx.

Run it after changing the layout below:  .venv/bin/python scripts/word_templates.py
An audit office does not need this script: it copies a shipped template, puts its
letterhead into it in Word (keeping the {{ … }} and {% … %} fields) and names it in
its params file (docs/reports.md).  The fields are docxtpl's (Jinja) syntax:
``{%p …%}`` tags stand alone in a paragraph, ``{%tr …%}`` in a table row.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kpt_audit.report.word import DEFAULT_TEMPLATES, _fixed_zip  # noqa: E402

FONT = "宋体"


def _document(landscape: bool) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin = section.bottom_margin = Mm(20)
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        style = doc.styles[name]
        style.font.name = FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    doc.styles["Normal"].font.size = Pt(11)
    # the letterhead goes here: an office replaces this line with its own
    section.header.paragraphs[0].text = "（单位名称）审计局"
    return doc


def _table(doc: Document, header: list[str], cells: list[str], loop: str):
    """A table with a header row and one row per item of ``loop`` (docxtpl {%tr%} rows)."""
    table = doc.add_table(rows=4, cols=len(header))
    table.style = "Table Grid"
    for j, name in enumerate(header):
        table.rows[0].cells[j].text = name
    table.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    for j, value in enumerate(cells):
        table.rows[2].cells[j].text = value
    table.rows[3].cells[0].text = "{%tr endfor %}"
    return table


def findings_template(path: Path) -> None:
    doc = _document(landscape=False)
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("审计基准日：{{ as_of }}　　{{ units }}")
    doc.add_paragraph("共发现问题 {{ total }} 条，其中高 {{ high }} 条、中 {{ medium }} 条、低 {{ low }} 条。")
    doc.add_paragraph("一、涉及金额", style="Heading 1")
    doc.add_paragraph("{{ amount_note }}")
    _table(doc, ["检查项", "问题", "金额口径", "问题数", "金额（万元）"],
           ["{{ a.check_id }}", "{{ a.title }}", "{{ a.meaning }}", "{{ a.findings }}", "{{ a.amount }}"],
           "a in amounts")
    doc.add_paragraph("二、审计发现的问题", style="Heading 1")
    doc.add_paragraph("{%p for area in areas %}")
    doc.add_paragraph("{{ area.number }}. {{ area.name }}（{{ area.count }} 条）", style="Heading 2")
    doc.add_paragraph("{%p for f in area.findings %}")
    doc.add_paragraph("（{{ f.number }}）{{ f.title }}　[{{ f.no }}]", style="Heading 3")
    doc.add_paragraph("项目：{{ f.project }}")
    doc.add_paragraph("对象：{{ f.entity_type }} {{ f.entity }}")
    doc.add_paragraph("严重程度：{{ f.severity }}")
    doc.add_paragraph("{%p if f.amount %}")
    doc.add_paragraph("金额：{{ f.amount }} 万元（{{ f.meaning }}）")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("情况：{{ f.detail }}")
    doc.add_paragraph("依据：{{ f.basis }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("（本稿由 kpt-audit 根据数据生成，为征求意见稿，须经核实后使用。）")
    _save(doc, path)


def evidence_template(path: Path) -> None:
    doc = _document(landscape=False)
    doc.add_paragraph("{%p for f in findings %}")
    doc.add_paragraph("审计取证单", style="Title")
    doc.add_paragraph("编号：{{ f.no }}　　审计基准日：{{ as_of }}　　县区：{{ county }}")
    facts = doc.add_table(rows=7, cols=2)
    facts.style = "Table Grid"
    for i, (label, value) in enumerate([
            ("项目", "{{ f.project }}"), ("对象", "{{ f.entity_type }} {{ f.entity }}"),
            ("审计事项", "{{ f.title }}（{{ f.check_id }}）"), ("问题描述", "{{ f.detail }}"),
            ("金额（万元）", "{{ f.amount }}{% if f.amount %}（{{ f.meaning }}）{% endif %}"),
            ("依据", "{{ f.basis }}"), ("严重程度", "{{ f.severity }}")]):
        facts.rows[i].cells[0].text = label
        facts.rows[i].cells[1].text = value
    doc.add_paragraph("证据：问题所依据的数据行（{{ f.rule }}）", style="Heading 2")
    _table(doc, ["序号", "数据表", "文件 · 工作表 · 行号", "行内容摘录"],
           ["{{ s.number }}", "{{ s.table }}", "{{ s.place }}", "{{ s.text }}"], "s in f.sources")
    doc.add_paragraph("{%p if f.more %}")
    doc.add_paragraph("{{ f.more }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("数据文件校验值（SHA-256）：")
    doc.add_paragraph("{%p for h in f.files %}")
    doc.add_paragraph("{{ h.file }}：{{ h.sha256 }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("被审计单位意见：")
    for _ in range(4):
        doc.add_paragraph("")
    doc.add_paragraph("被审计单位负责人（签名）：________________　　（盖章）　　日期：______年____月____日")
    doc.add_paragraph("审计人员（签名）：________________　　复核人员（签名）：________________　　"
                      "日期：______年____月____日")
    doc.add_paragraph("{%p if not loop.last %}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    _save(doc, path)


def _save(doc: Document, path: Path) -> None:
    import io

    props = doc.core_properties
    from kpt_audit.report.word import FIXED_DATE

    props.created = props.modified = props.last_printed = FIXED_DATE
    props.author = props.last_modified_by = "kpt-audit"
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_fixed_zip(buffer.getvalue()))


if __name__ == "__main__":
    findings_template(DEFAULT_TEMPLATES["findings"])
    evidence_template(DEFAULT_TEMPLATES["evidence"])
    print("\n".join(str(p) for p in DEFAULT_TEMPLATES.values()))
