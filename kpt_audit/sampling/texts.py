"""How sampling shows a risk and an amount; its words themselves are the ``sampling.*`` (and the
``sample`` sub-command's ``cli.sample.*``) entries of the message catalogue (:mod:`kpt_audit.messages`).

The plan workbook's sheet names and column headers are read back by :mod:`kpt_audit.sampling.workbook`
in the language the plan was written in (the plan records it), so a change of their words is a change
of the plan format.
"""
from __future__ import annotations

from ..messages import text


def risk_label(risk: str, lang: str = "zh") -> str:
    """高/中/低/无问题 (High/Medium/Low/None): the report's severity labels, and sampling's word for none."""
    return text("sampling.risk.none", lang) if risk == "none" else text(f"severity.{risk}", lang)


def yuan(value: float) -> str:
    """An amount in yuan as the plan and messages show it: 1,234,567.89."""
    return f"{value:,.2f}"
