"""One message catalogue for report text: headings, labels and the checks' titles.

Check titles and detail templates are registered with each check (so a new
check touches only its own module); ``text()`` looks up both.
"""
from __future__ import annotations

LANGS = ("zh", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "unassigned_county": {"zh": "未指定", "en": "Unassigned"},
    "severity.high": {"zh": "高", "en": "High"},
    "severity.medium": {"zh": "中", "en": "Medium"},
    "severity.low": {"zh": "低", "en": "Low"},
    "area.execution": {"zh": "计划执行", "en": "Plan execution"},
    "area.procedure": {"zh": "基本建设程序", "en": "Construction procedure"},
    "area.procurement": {"zh": "招标采购", "en": "Procurement"},
    "area.cost": {"zh": "投资控制与资金支付", "en": "Cost control and payments"},
    "area.performance": {"zh": "绩效", "en": "Performance"},
    "area.subsidies": {"zh": "财政专项扶持资金", "en": "Special support funds"},
    "area.commitments": {"zh": "公开承诺与行政效能", "en": "Commitments and efficiency"},
}


def text(key: str, lang: str = "zh", **values) -> str:
    """The catalogue entry ``key`` in ``lang`` (falls back to zh), formatted with ``values``."""
    if key.startswith("check."):
        from .checks.registry import all_checks

        _, check_id, part = key.split(".", 2)
        entry = getattr(all_checks()[check_id], part)
    else:
        entry = CATALOGUE[key]
    template = entry.get(lang) or entry["zh"]
    return template.format(**values) if values else template
