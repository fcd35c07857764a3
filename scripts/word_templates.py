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

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Mm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kpt_audit.report.word import default_templates, loop_table, save_template, template_document  # noqa: E402


def _document(landscape: bool, letterhead: str):
    """A template's document (宋体 styles, the letterhead: :func:`template_document`) on A4 with 20 mm margins."""
    doc = template_document(letterhead)
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin = section.bottom_margin = Mm(20)
    return doc


# the templates' own words, per language (the data's words come from the drafts' variables)
WORDS = {
    "zh": {"letterhead": "（单位名称）审计局", "units": "审计基准日：{{ as_of }}　　{{ units }}",
           "total": "共发现问题 {{ total }} 条，其中高 {{ high }} 条、中 {{ medium }} 条、低 {{ low }} 条。",
           "amounts": "一、涉及金额", "findings": "二、审计发现的问题",
           "amount_header": ["检查项", "问题", "金额口径", "问题数", "金额（万元）"],
           "area": "{{ area.number }}. {{ area.name }}（{{ area.count }} 条）",
           "finding": "（{{ f.number }}）{{ f.title }}　[{{ f.no }}]",
           "project": "项目：", "entity": "对象：", "severity": "严重程度：",
           "amount": "金额：{{ f.amount }} 万元（{{ f.meaning }}）", "detail": "情况：", "basis": "依据：",
           "footnote": "（本稿由 kpt-audit 根据数据生成，为征求意见稿，须经核实后使用。）",
           "sheet": "审计取证单", "sheet_no": "编号：{{ f.no }}　　审计基准日：{{ as_of }}　　县区：{{ county }}",
           "facts": ["项目", "对象", "审计事项", "问题描述", "金额（万元）", "依据", "严重程度"],
           "evidence": "证据：问题所依据的数据行（{{ f.rule }}）",
           "source_header": ["序号", "数据表", "文件 · 工作表 · 行号", "行内容摘录"],
           "hashes": "数据文件校验值（SHA-256）：", "hash": "{{ h.file }}：{{ h.sha256 }}",
           "response": "被审计单位意见：",
           "signed": "被审计单位负责人（签名）：________________　　（盖章）　　日期：______年____月____日",
           "auditors": "审计人员（签名）：________________　　复核人员（签名）：________________　　"
                       "日期：______年____月____日"},
    "en": {"letterhead": "(Audit office)", "units": "As of {{ as_of }}. {{ units }}",
           "total": "{{ total }} findings: {{ high }} high, {{ medium }} medium, {{ low }} low.",
           "amounts": "1. Amounts at issue", "findings": "2. Findings",
           "amount_header": ["Check", "Finding", "What the amount is", "Findings", "Amount (10k yuan)"],
           "area": "2.{{ area.number }} {{ area.name }} ({{ area.count }})",
           "finding": "({{ f.number }}) {{ f.title }} [{{ f.no }}]",
           "project": "Project: ", "entity": "Entity: ", "severity": "Severity: ",
           "amount": "Amount: {{ f.amount }} (10k yuan; {{ f.meaning }})", "detail": "Detail: ", "basis": "Basis: ",
           "footnote": "(Drafted by kpt-audit from the data; to be verified before use.)",
           "sheet": "Evidence sheet", "sheet_no": "No. {{ f.no }}    As of {{ as_of }}    County: {{ county }}",
           "facts": ["Project", "Entity", "Matter", "Finding", "Amount (10k yuan)", "Basis", "Severity"],
           "evidence": "Evidence: the source rows ({{ f.rule }})",
           "source_header": ["No.", "Table", "File · sheet · row", "Row as written"],
           "hashes": "SHA-256 of the data files:", "hash": "{{ h.file }}: {{ h.sha256 }}",
           "response": "Response of the audited unit:",
           "signed": "Head of the audited unit (signature): ________________   (seal)   Date: __________",
           "auditors": "Auditor (signature): ________________   Reviewer (signature): ________________   "
                       "Date: __________"},
}


def findings_template(path: Path, lang: str = "zh") -> None:
    w = WORDS[lang]
    doc = _document(landscape=False, letterhead=w["letterhead"])
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph(w["units"])
    doc.add_paragraph(w["total"])
    doc.add_paragraph(w["amounts"], style="Heading 1")
    doc.add_paragraph("{{ amount_note }}")
    loop_table(doc, w["amount_header"],
           ["{{ a.check_id }}", "{{ a.title }}", "{{ a.meaning }}", "{{ a.findings }}", "{{ a.amount }}"],
           "a in amounts")
    doc.add_paragraph(w["findings"], style="Heading 1")
    doc.add_paragraph("{%p for area in areas %}")
    doc.add_paragraph(w["area"], style="Heading 2")
    doc.add_paragraph("{%p for f in area.findings %}")
    doc.add_paragraph(w["finding"], style="Heading 3")
    doc.add_paragraph(w["project"] + "{{ f.project }}")
    doc.add_paragraph(w["entity"] + "{{ f.entity_type }} {{ f.entity }}")
    doc.add_paragraph(w["severity"] + "{{ f.severity }}")
    doc.add_paragraph("{%p if f.amount %}")
    doc.add_paragraph(w["amount"])
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph(w["detail"] + "{{ f.detail }}")
    doc.add_paragraph(w["basis"] + "{{ f.basis }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph(w["footnote"])
    save_template(doc, path)


def evidence_template(path: Path, lang: str = "zh") -> None:
    w = WORDS[lang]
    doc = _document(landscape=False, letterhead=w["letterhead"])
    doc.add_paragraph("{%p for f in findings %}")
    doc.add_paragraph(w["sheet"], style="Title")
    doc.add_paragraph(w["sheet_no"])
    values = ["{{ f.project }}", "{{ f.entity_type }} {{ f.entity }}", "{{ f.title }} ({{ f.check_id }})",
              "{{ f.detail }}", "{{ f.amount }}{% if f.amount %} ({{ f.meaning }}){% endif %}", "{{ f.basis }}",
              "{{ f.severity }}"]
    if lang == "zh":
        values[2] = "{{ f.title }}（{{ f.check_id }}）"
        values[4] = "{{ f.amount }}{% if f.amount %}（{{ f.meaning }}）{% endif %}"
    facts = doc.add_table(rows=len(values), cols=2)
    facts.style = "Table Grid"
    for i, (label, value) in enumerate(zip(w["facts"], values)):
        facts.rows[i].cells[0].text = label
        facts.rows[i].cells[1].text = value
    doc.add_paragraph(w["evidence"], style="Heading 2")
    loop_table(doc, w["source_header"], ["{{ s.number }}", "{{ s.table }}", "{{ s.place }}", "{{ s.text }}"],
           "s in f.sources")
    doc.add_paragraph("{%p if f.more %}")
    doc.add_paragraph("{{ f.more }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph(w["hashes"])
    doc.add_paragraph("{%p for h in f.files %}")
    doc.add_paragraph(w["hash"])
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph(w["response"])
    for _ in range(4):
        doc.add_paragraph("")
    doc.add_paragraph(w["signed"])
    doc.add_paragraph(w["auditors"])
    doc.add_paragraph("{%p if not loop.last %}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    save_template(doc, path)


if __name__ == "__main__":
    for lang in ("zh", "en"):
        paths = default_templates(lang)
        findings_template(paths["findings"], lang)
        evidence_template(paths["evidence"], lang)
        print("\n".join(str(p) for p in paths.values()))
