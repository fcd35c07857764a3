"""format_report: the text ``kpt-audit validate`` prints, in Chinese (``lang="zh"``) or English.

Order: the ledger (every file, rows in = loaded + rejected), extra columns,
then rejections and warnings grouped by file and reason, the cells kept as
*unknown*, and the outcome (rows rejected as errors, total and footer rows
rejected as such).  A group longer than ``per_reason`` shows its first rows
and says how many more there are, so nothing is hidden without a count.
"""
from __future__ import annotations

import unicodedata

import pandas as pd

from ..dataset import SUMMARY_REASONS, Dataset
from ..messages import text
from .texts import column_text, dq_text, table_text, value_text

# Reasons that carry a row or line number ("first at row 5", "line 4") are grouped by their stem.
_NUMBERED = r"; (first at row|line) \d+$"


def _columns(text: str) -> int:
    """The columns ``text`` takes on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _padded(text: str, columns: int) -> str:
    return text + " " * max(columns - _columns(text), 0)


def _ledger_lines(ledger: pd.DataFrame, lang: str) -> list[str]:
    lines = [text("validate.ledger", lang)]
    if ledger.empty:
        return lines + [text("validate.no_files", lang)]
    files = [str(f) for f in ledger["file"]]
    width = max(_columns(f) for f in files)
    tables = [table_text(t, lang) or "-" for t in ledger["table"]]
    table_width = max(16, *(_columns(t) for t in tables))
    for row, file, table in zip(ledger.itertuples(index=False), files, tables):
        balanced = row.rows_in == row.rows_loaded + row.rows_rejected
        lines.append(text("validate.ledger_row", lang, file=_padded(file, width), table=_padded(table, table_width),
                          rows_in=row.rows_in, rows_loaded=row.rows_loaded, rows_rejected=row.rows_rejected,
                          balance="" if balanced else text("validate.not_balanced", lang)))
        if row.notes:
            lines.append(f"  {'':<{width}}  {dq_text(row.notes, lang, row.table or None)}")
    total = ledger[["rows_in", "rows_loaded", "rows_rejected"]].sum()
    lines.append(text("validate.total", lang, **{k: int(v) for k, v in total.items()}))
    return lines


def _file_text(file: str, table: str | None, lang: str) -> str:
    """A file with its table's Chinese name when its own name does not say it (projects.csv（项目台账）)."""
    title = table_text(table, lang) if table else ""
    return f"{file}（{title}）" if lang != "en" and title and title not in file else file


def _issue_lines(title: str, issues: pd.DataFrame, per_reason: int | None, lang: str, tables: dict) -> list[str]:
    lines = [text("validate.count", lang, title=title, n=len(issues))]
    if issues.empty:
        return lines
    stem = issues["reason"].astype("str").str.replace(_NUMBERED, "", regex=True)
    for (file, reason), group in issues.groupby([issues["file"], stem], sort=True):
        table = tables.get(file)
        lines.append(text("validate.group", lang, file=_file_text(file, table, lang),
                          reason=dq_text(reason, lang, table), n=len(group)))
        shown = group if per_reason is None else group.head(per_reason)
        for row in shown.itertuples(index=False):
            extra = "" if row.reason == reason else \
                text("validate.extra", lang, text=dq_text(row.reason[len(reason) + 2:], lang, table))
            lines.append(text("validate.issue", lang, sheet=f"[{row.sheet}] " if row.sheet else "", row=row.row,
                              column=column_text(row.column, lang, table),
                              value=repr(value_text(row.value, row.reason, lang, table)), extra=extra))
        if per_reason is not None and len(group) > per_reason:
            lines.append(text("validate.more", lang, n=len(group) - per_reason))
    return lines


def format_report(ds: Dataset, per_reason: int | None = 20, lang: str = "zh") -> str:
    """Readable text of the ledger, extra columns, rejections and warnings in ``lang``; ``per_reason=None``
    lists all.  Reasons and notes are shown in ``lang`` (:func:`~kpt_audit.load.texts.dq_text`); the
    dataset keeps them as written."""
    tables = {f: t for f, t in zip(ds.ledger["file"], ds.ledger["table"]) if t}
    lines = _ledger_lines(ds.ledger, lang)
    if ds.extra_columns:
        lines.append("")
        lines.append(text("validate.extra_columns", lang))
        for table, headers in sorted(ds.extra_columns.items()):
            lines.append(text("validate.extra_row", lang, table=table_text(table, lang), headers=", ".join(headers)))
    lines.append("")
    lines += _issue_lines(text("validate.rejected", lang), ds.rejections, per_reason, lang, tables)
    lines.append("")
    lines += _issue_lines(text("validate.warnings", lang), ds.warnings, per_reason, lang, tables)
    lines.append("")
    lines += _unknown_lines(ds, lang)
    lines.append("")
    lines += _outcome_lines(ds, lang)
    return "\n".join(lines) + "\n"


def _unknown_lines(ds: Dataset, lang: str) -> list[str]:
    unknown = getattr(ds, "unknown", None)
    count = 0 if unknown is None else len(unknown)
    lines = [text("validate.unknown", lang, n=count)]
    if count:
        for (table, column), group in unknown.groupby(["table", "column"], sort=True):
            lines.append(text("validate.unknown_row", lang, table=table_text(table, lang),
                              column=column_text(column, lang, table), n=len(group)))
    return lines


def _outcome_lines(ds: Dataset, lang: str) -> list[str]:
    reasons = ds.rejections["reason"].astype("str")
    summary = reasons.isin(SUMMARY_REASONS)
    errors = ds.rejections.loc[~summary, ["file", "sheet", "row"]].drop_duplicates()
    return [text("validate.outcome", lang, errors=len(errors), summary=int(summary.sum()), warnings=len(ds.warnings))]
