"""What the reports and the bulletin show of the register, as DataFrames (no display here).

* :func:`rectification_table`: per county, found, verified, dismissed, pending, rectified,
  closed, overdue, the rectification rate and the amount rectified (yuan);
* :func:`trend`: the same per audit date recorded (the last run of the date, county by county: its own
  view, :class:`~.models.RunFinding`);
* :func:`register_view`: findings with their verification and rectification state, deadline
  and an overdue flag, in the report language (headers and values);
* :func:`overdue` / :func:`dismissed` / :func:`counted`: the rows each rule picks.

Rules (interfaces.md revision 2): a dismissed (不属实) finding is not counted (it is listed apart);
a finding is overdue when its due date is before as_of and it is neither rectified nor closed
nor dismissed; the rectification rate is (rectified + closed) / (found − dismissed): every
finding not dismissed is to be rectified, the pending ones included (an unverified finding is
not a finished one).
"""
from __future__ import annotations

import pandas as pd

from ..findings import GONE
from ..messages import CATALOGUE, text
from .fields import (CLOSED, CONFIRMED, DISMISSED, HEADERS, HEADERS_EN, PARTLY, PENDING, RECTIFIED,
                     REGISTER_COLUMNS, label)

# amounts: the money rectified only (one meaning); the findings' own amounts mean different things per
# check and are never added across checks (the reports total them per check)
TABLE_COLUMNS = ["county", "found", "verified", "dismissed", "pending", "rectified", "closed", "overdue", "rate",
                 "rectified_amount"]


def has_register(findings: pd.DataFrame) -> bool:
    return "verification" in findings.columns


def _due(findings: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(findings["due_date"].replace("", None), errors="coerce")


def overdue(findings: pd.DataFrame, as_of) -> pd.Series:
    """Due date before ``as_of``, neither rectified nor closed, not dismissed."""
    if not has_register(findings) or findings.empty:
        return pd.Series(False, index=findings.index)
    late = _due(findings) < pd.Timestamp(as_of)
    return late & ~findings["rectification"].isin([RECTIFIED, CLOSED]) & (findings["verification"] != DISMISSED)


def dismissed(findings: pd.DataFrame) -> pd.Series:
    if not has_register(findings):
        return pd.Series(False, index=findings.index)
    return findings["verification"] == DISMISSED


def counted(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings that count: all but the dismissed ones."""
    return findings[~dismissed(findings)]


def current_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings a run counts: found this time (not ``not_found_again``) and, with a register, not
    dismissed on verification (不属实: listed apart, not counted)."""
    return counted(findings[~findings["status"].fillna("").astype(str).isin(GONE)])


def _table(findings: pd.DataFrame, as_of, counties=None) -> pd.DataFrame:
    f = findings.assign(county=findings["county"].fillna(""))
    late = overdue(f, as_of)
    keep = ~dismissed(f)
    rows = []
    names = sorted(set(f["county"]) | set(counties or ()))
    for county in names:
        here = f["county"] == county
        c, k = f[here], f[here & keep]
        found = int(len(c))
        done = int(k["rectification"].isin([RECTIFIED, CLOSED]).sum())
        base = found - int((c["verification"] == DISMISSED).sum())
        rows.append({"county": county, "found": found,
                     "verified": int(c["verification"].isin([CONFIRMED, PARTLY]).sum()),
                     "dismissed": int((c["verification"] == DISMISSED).sum()),
                     "pending": int((c["verification"] == PENDING).sum()),
                     "rectified": int((k["rectification"] == RECTIFIED).sum()),
                     "closed": int((k["rectification"] == CLOSED).sum()),
                     "overdue": int(late[here].sum()),
                     "rate": done / base if base else float("nan"),
                     "rectified_amount": round(float(pd.to_numeric(k["rectified_amount"], errors="coerce").sum()), 2)})
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def rectification_table(findings: pd.DataFrame, as_of, counties=None) -> pd.DataFrame:
    """Per county (``counties`` listed even without findings): the register's figures at ``as_of``."""
    return _table(findings, as_of, counties)


def trend(register, counties=()) -> pd.DataFrame:
    """:func:`rectification_table` for each audit date recorded (as the last run of that date saw the
    register, county by county), oldest first."""
    from sqlalchemy import select

    from .models import Run, RunFinding

    with register.read() as s:
        runs = list(s.scalars(select(Run).order_by(Run.as_of, Run.id)))
        query = select(RunFinding)
        if counties:
            query = query.where(RunFinding.county.in_(list(counties)))
        snaps = pd.DataFrame([{"run_id": r.run_id, "county": r.county,
                               "verification": r.verification, "rectification": r.rectification,
                               "due_date": r.due_date.isoformat() if r.due_date else "",
                               "rectified_amount": r.rectified_amount} for r in s.scalars(query)],
                             columns=["run_id", "county", "verification", "rectification", "due_date",
                                      "rectified_amount"])
    # one row per audit date: of several runs at one date (a county's run, then the whole data's), each
    # county as the last of them that covered it saw the register
    as_of_of = {run.id: run.as_of for run in runs}
    snaps["as_of"] = snaps["run_id"].map(as_of_of)
    snaps = snaps[snaps["run_id"] == snaps.groupby(["as_of", "county"])["run_id"].transform("max")]
    parts = []
    for as_of in sorted(set(snaps["as_of"])):
        rows = snaps[snaps["as_of"] == as_of]
        parts.append(_table(rows, as_of).assign(run_id=int(rows["run_id"].max()), as_of=as_of.isoformat()))
    columns = ["run_id", "as_of"] + TABLE_COLUMNS
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def register_view(findings: pd.DataFrame, as_of, lang: str = "zh") -> pd.DataFrame:
    """``findings`` with the register's columns as an auditor reads them: labels, 万元, an overdue flag.

    The headers are the words of :mod:`.fields` (the report's catalogue shows unknown columns as named).
    """
    if not has_register(findings):
        return findings
    out = findings.drop(columns=[c for c in REGISTER_COLUMNS if c in findings], errors="ignore").copy()
    heads = HEADERS if lang == "zh" else HEADERS_EN
    late = overdue(findings, as_of)
    for c in ("verification", "rectification", "responsible_unit", "due_date", "rectified_amount"):
        values = findings[c]
        if c in ("verification", "rectification"):
            values = values.map(lambda v, c=c: label(c, v, lang))
        elif c == "rectified_amount":
            values = (pd.to_numeric(values, errors="coerce") / 10000).round(2)
        out[heads[c]] = values
    out[text("register.col.overdue", lang)] = late.map({True: text("register.flag.overdue", lang), False: ""})
    return out


def figures_view(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`rectification_table` (or trend) for display: 万元, percent, headers in ``lang``."""
    out = table.copy()
    if "county" in out:
        out["county"] = out["county"].map(lambda c: c or text("register.unassigned", lang))
    for c in ("rectified_amount",):
        if c in out:
            out[c] = (pd.to_numeric(out[c], errors="coerce") / 10000).round(2)
    if "rate" in out:
        out["rate"] = out["rate"].map(lambda r: "" if pd.isna(r) else f"{r:.1%}")
    out = out.drop(columns=["run_id"], errors="ignore")
    return out.rename(columns={c: text(f"register.col.{c}", lang) for c in out.columns
                               if f"register.col.{c}" in CATALOGUE})


__all__ = ["rectification_table", "trend", "register_view", "figures_view", "overdue", "dismissed", "counted",
           "has_register", "TABLE_COLUMNS"]
