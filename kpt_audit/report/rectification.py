"""The register's sections of the reports (a run with ``--register``); the figures come from
:mod:`kpt_audit.register.summary`, this module only displays them.

County report: the county's rectification figures and their trend over the runs, the overdue
rectifications, and the dismissed findings listed apart (not counted elsewhere).  Roll-up: the
rectification table per county and its trend, read from ``metrics/rectification.csv`` and
``metrics/rectification_trend.csv`` of the run folder.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..files import read_report_csv
from ..messages import text
from ..register.fields import HEADERS, HEADERS_EN
from ..register.summary import dismissed, figures_view, has_register, overdue, register_view
from .display import esc, note, show_html
from .tables import show_table

FINDING_SHOWN = ["finding_no", "check_id", "title", "project_name", "entity_id", "amount", "detail"]


def _heading(key: str, lang: str, level: int = 2) -> str:
    return f"<h{level}>{esc(text(key, lang))}</h{level}>"


def show_county_register(piece) -> None:
    """The register's section of a county report (nothing without a register)."""
    if not has_register(piece.findings):
        return
    lang, findings = piece.lang, piece.findings
    show_html(_heading("register.section.register", lang))
    figures = piece.metrics.get("rectification")
    if figures is not None and len(figures):
        show_table(figures_view(figures, lang), lang, key="rectification")
    history = piece.metrics.get("rectification_trend")
    if history is not None and len(history) > 1:
        show_html(_heading("register.section.trend", lang, 3))
        show_table(figures_view(history.drop(columns=["county"], errors="ignore"), lang), lang, key="rectification_trend")
    late = findings[overdue(findings, piece.as_of)]
    show_html(_heading("register.section.overdue", lang, 3) + f"<p data-kpt-overdue='{len(late)}'></p>")
    if late.empty:
        show_html(note(text("register.note.no_overdue", lang)))
    else:
        show_table(register_view(late, piece.as_of, lang)[_shown(late, lang, piece.as_of)], lang, key="overdue")
    apart = findings[dismissed(findings)]
    if len(apart):
        show_html(_heading("register.section.dismissed", lang, 3) + f"<p data-kpt-dismissed='{len(apart)}'></p>")
        view = register_view(apart, piece.as_of, lang)
        view[(HEADERS if lang == "zh" else HEADERS_EN)["verification_note"]] = apart["verification_note"]  # why
        show_table(view[[c for c in FINDING_SHOWN if c in view] + [c for c in view.columns if c not in apart.columns]],
                   lang, key="dismissed")


def _shown(rows: pd.DataFrame, lang: str, as_of) -> list[str]:
    view = register_view(rows.head(0), as_of, lang)
    return [c for c in FINDING_SHOWN if c in view] + [c for c in view.columns if c not in rows.columns]


def show_rollup_register(run) -> None:
    """The roll-up's rectification table per county and its trend (nothing without a register)."""
    folder = Path(run.run_dir) / "metrics"
    table_file, trend_file = folder / "rectification.csv", folder / "rectification_trend.csv"
    if not table_file.is_file():
        return
    lang = run.lang
    read = dict(dtype={"county": str}, keep_default_na=False, na_values=[""])
    table = read_report_csv(table_file, **read)
    table["county"] = table["county"].fillna("")
    show_html(_heading("register.section.rectification", lang)
              + f"<p data-kpt-overdue='{int(table['overdue'].sum())}'></p>")
    show_table(figures_view(table, lang), lang, key="rectification")
    if trend_file.is_file():
        history = read_report_csv(trend_file, **read)
        if history["as_of"].nunique() > 1:
            history["county"] = history["county"].fillna("")
            show_html(_heading("register.section.trend", lang, 3))
            show_table(figures_view(history, lang), lang, key="rectification_trend")


__all__ = ["show_county_register", "show_rollup_register"]
