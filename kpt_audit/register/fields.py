"""The fields an auditor edits per finding in the register, their Chinese names and values (interfaces.md).

One place for them: the database models, the workbook (headers, drop-down lists,
validation), the findings columns written with ``--register``, the reports and the
bulletin all read these.  A low-level module: it imports nothing of kpt_audit.
"""
from __future__ import annotations

# verification 核实结果
PENDING, CONFIRMED, PARTLY, DISMISSED = "pending", "confirmed", "partly", "dismissed"
VERIFICATION = {PENDING: "待核实", CONFIRMED: "属实", PARTLY: "部分属实", DISMISSED: "不属实"}
# rectification 整改状态
OPEN, IN_PROGRESS, RECTIFIED, CLOSED = "open", "in_progress", "rectified", "closed"
RECTIFICATION = {OPEN: "未整改", IN_PROGRESS: "整改中", RECTIFIED: "已整改", CLOSED: "已销号"}
CHOICES = {"verification": VERIFICATION, "rectification": RECTIFICATION}
# whether this run found it (not editable): worded apart from 整改状态, whose 未整改 means "not rectified"
PRESENCE = {"new": "新发现", "persisting": "本期仍发现", "not_found_again": "本期未再发现（待核实）"}
CAUSES = {"cleared": "对象仍在，问题条件已不成立", "entity_missing": "对象已不在本期数据中"}
EN_LABELS = {"verification": {PENDING: "pending", CONFIRMED: "confirmed", PARTLY: "partly confirmed",
                              DISMISSED: "dismissed"},
             "rectification": {OPEN: "open", IN_PROGRESS: "in progress", RECTIFIED: "rectified", CLOSED: "closed"}}

# The editable columns in the order of interfaces.md; they follow FINDING_COLUMNS in findings.csv.
REGISTER_COLUMNS = ["verification", "verification_note", "responsible_unit", "due_date", "rectification",
                    "rectified_amount", "rectification_note", "accountability"]
HEADERS = {"verification": "核实结果", "verification_note": "核实说明", "responsible_unit": "责任单位",
           "due_date": "整改期限", "rectification": "整改状态", "rectified_amount": "整改金额",
           "rectification_note": "整改说明", "accountability": "问责情况"}
# interfaces.md names the column 整改金额; its cells are 万元 (each cell says so when selected). A workbook
# exported before the header lost its unit is read too.
OLD_HEADERS = {"整改金额（万元）": "整改金额"}
HEADERS_EN = {"verification": "Verification", "verification_note": "Verification note",
              "responsible_unit": "Responsible unit", "due_date": "Due date", "rectification": "Rectification",
              "rectified_amount": "Rectified amount (10k yuan)", "rectification_note": "Rectification note",
              "accountability": "Accountability"}
TEXT_FIELDS = ("verification_note", "responsible_unit", "rectification_note", "accountability")
MAX_TEXT = 2000  # characters of a note: a paragraph, not a file pasted into a cell
DEFAULTS = {"verification": PENDING, "rectification": OPEN}


def is_open(verification, rectification) -> bool:
    """A finding is open until its rectification is closed (销号) or its verification dismissed (不属实)."""
    return verification != DISMISSED and rectification != CLOSED


def label(field: str, code, lang: str = "zh") -> str:
    """The word an auditor reads for a choice field's code (``confirmed`` -> 属实); other values as given."""
    if code is None or code != code:
        return ""
    table = CHOICES.get(field) if lang == "zh" else EN_LABELS.get(field)
    return table.get(code, str(code)) if table else str(code)


__all__ = ["PENDING", "CONFIRMED", "PARTLY", "DISMISSED", "OPEN", "IN_PROGRESS", "RECTIFIED", "CLOSED",
           "VERIFICATION", "RECTIFICATION", "CHOICES", "PRESENCE", "CAUSES", "REGISTER_COLUMNS", "HEADERS", "OLD_HEADERS", "HEADERS_EN", "TEXT_FIELDS",
           "MAX_TEXT", "DEFAULTS", "is_open", "label"]
