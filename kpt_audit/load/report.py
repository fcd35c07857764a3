"""format_report: the text ``kpt-audit validate`` prints.

Order: the ledger (every file, rows in = loaded + rejected), extra columns,
then rejections and warnings grouped by file and reason, the cells kept as
*unknown*, and the outcome (rows rejected as errors, total and footer rows
rejected as such).  A group longer than ``per_reason`` shows its first rows
and says how many more there are, so nothing is hidden without a count.
"""
from __future__ import annotations

import pandas as pd

from ..dataset import SUMMARY_REASONS, Dataset


def _ledger_lines(ledger: pd.DataFrame) -> list[str]:
    lines = ["数据台账 Data ledger (rows in = loaded + rejected)"]
    if ledger.empty:
        return lines + ["  (no files)"]
    width = max(len(str(f)) for f in ledger["file"])
    for row in ledger.itertuples(index=False):
        table = row.table or "-"
        balance = "" if row.rows_in == row.rows_loaded + row.rows_rejected else "  <-- DOES NOT BALANCE"
        lines.append(f"  {str(row.file):<{width}}  {table:<16} in {row.rows_in:>8}  loaded {row.rows_loaded:>8}  "
                     f"rejected {row.rows_rejected:>6}{balance}")
        if row.notes:
            lines.append(f"  {'':<{width}}  {row.notes}")
    total = ledger[["rows_in", "rows_loaded", "rows_rejected"]].sum()
    lines.append(f"  total: in {int(total['rows_in'])}, loaded {int(total['rows_loaded'])}, "
                 f"rejected {int(total['rows_rejected'])}")
    return lines


def _issue_lines(title: str, issues: pd.DataFrame, per_reason: int | None) -> list[str]:
    lines = [f"{title}: {len(issues)}"]
    if issues.empty:
        return lines
    # Reasons that carry a row or line number ("first at row 5", "line 4") are grouped by their stem.
    stem = issues["reason"].astype("str").str.replace(r"; (first at row|line) \d+$", "", regex=True)
    for (file, reason), group in issues.groupby([issues["file"], stem], sort=True):
        lines.append(f"  {file} - {reason} ({len(group)})")
        shown = group if per_reason is None else group.head(per_reason)
        for row in shown.itertuples(index=False):
            sheet = f"[{row.sheet}] " if row.sheet else ""
            extra = "" if row.reason == reason else f"  ({row.reason[len(reason) + 2:]})"
            lines.append(f"    {sheet}row {row.row}  {row.column}  {row.value!r}{extra}")
        if per_reason is not None and len(group) > per_reason:
            lines.append(f"    ... and {len(group) - per_reason} more with this reason "
                         f"(see rejections.csv / warnings.csv)")
    return lines


def format_report(ds: Dataset, per_reason: int | None = 20) -> str:
    """Readable text of the ledger, extra columns, rejections and warnings; ``per_reason=None`` lists all."""
    lines = _ledger_lines(ds.ledger)
    if ds.extra_columns:
        lines.append("")
        lines.append("未识别的列 Extra columns (kept as text, not used by checks)")
        for table, headers in sorted(ds.extra_columns.items()):
            lines.append(f"  {table}: {', '.join(headers)}")
    lines.append("")
    lines += _issue_lines("剔除的行 Rejected rows (not loaded)", ds.rejections, per_reason)
    lines.append("")
    lines += _issue_lines("警告 Warnings (rows kept)", ds.warnings, per_reason)
    lines.append("")
    lines += _unknown_lines(ds)
    lines.append("")
    lines += _outcome_lines(ds)
    return "\n".join(lines) + "\n"


def _unknown_lines(ds: Dataset) -> list[str]:
    unknown = getattr(ds, "unknown", None)
    count = 0 if unknown is None else len(unknown)
    lines = [f"无法读取的值 Unreadable values (emptied, kept as unknown: no finding rests on them; DQ01 lists "
             f"each): {count}"]
    if count:
        for (table, column), group in unknown.groupby(["table", "column"], sort=True):
            lines.append(f"  {table}.{column}: {len(group)}")
    return lines


def _outcome_lines(ds: Dataset) -> list[str]:
    reasons = ds.rejections["reason"].astype("str")
    summary = reasons.isin(SUMMARY_REASONS)
    errors = ds.rejections.loc[~summary, ["file", "sheet", "row"]].drop_duplicates()
    return [f"结论 Outcome: {len(errors)} row(s) rejected for errors in the data; "
            f"{int(summary.sum())} total/footer row(s) rejected as such (not records, not errors); "
            f"{len(ds.warnings)} warning(s)"]
