"""EFF01: public commitments and key tasks (公开承诺/重点工作事项) — overdue or done late.

When is an item *done* (as of the audit date)?

* with a done_date column: it has a done_date on or before as_of (the view blanks
  later ones: "done" after as_of is not done yet) and its status does not say
  otherwise (`in_progress`/`not_started` outweigh a stray date; a missing
  status is taken from the date).  A status `done` with no done_date at all is
  done: the status is the office's own record, and with no date it cannot be
  late (the report's data-quality ledger is where undated completions show);
  a `done` whose done_date is after as_of is not done yet;
* without a done_date column: its status is `done` (no date, so never "late");
* without either column the check is not run.

Unreadable done_date (checks.md revision 2, DQ): a done_date the loader could not
read is neither a date nor "no date".  Where the status says in_progress or
not_started the date does not matter (the status outweighs it) and the item is
judged as usual.  Otherwise (status done or missing) whether and when it was done
rests on that date: "done, undated" would rest on the blank the loader left, and
so would "not done"; an item whose deadline is before as_of is then not judged and
counted (``partly judged``); one due on or after as_of cannot be overdue or late
whatever the date says, so nothing is lost.  DQ01 reports the cell.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .frames import unreadable
from .registry import NotRun, check, partly_judged

NOT_DONE_STATUSES = ("in_progress", "not_started")

OVERDUE = {"zh": "{unit}承诺事项“{title}”完成时限{deadline:day}，截至{as_of:day}逾期{days:int}天仍未完成",
           "en": "{unit}: '{title}' was due {deadline:day}; not done by {as_of:day}, {days:int} days overdue"}
# what an overdue item's detail adds, by its status ("after_as_of": done only after the audit date)
OVERDUE_NOTE = {
    "in_progress": {"zh": "（推进中）", "en": " (in progress)"},
    "not_started": {"zh": "（未启动）", "en": " (not started)"},
    "done": {"zh": "（报称已完成，但无完成日期）", "en": " (reported done, but with no completion date)"},
    "after_as_of": {"zh": "（完成日期{done:day}晚于审计基准日）", "en": " (its done date {done:day} is after the audit date)"},
}
EFF01_DETAIL = {
    "overdue": OVERDUE,
    **{f"overdue_{status}": {lang: OVERDUE[lang] + note[lang] for lang in OVERDUE}
       for status, note in OVERDUE_NOTE.items()},
    "late": {"zh": "{unit}承诺事项“{title}”完成时限{deadline:day}，{done:day}才完成，逾期{days:int}天",
             "en": "{unit}: '{title}' was due {deadline:day}; done only {done:day}, {days:int} days late"},
}


def _done_on(ctx: Context, c: pd.DataFrame, raw_done) -> tuple[pd.Series, pd.Series]:
    """(done, done_date) per item as of the audit date; done_date NaT when done but undated."""
    status = c["status"] if "status" in c else pd.Series(np.nan, index=c.index, dtype="str")
    if "done_date" in c:
        undated_done = (status == "done") & pd.isna(pd.Series(raw_done, index=c.index))
        done = (c["done_date"].notna() & ~status.isin(NOT_DONE_STATUSES)) | undated_done
        return done, c["done_date"].where(done)
    return status == "done", pd.Series(pd.NaT, index=c.index, dtype="datetime64[ns]")


@check("EFF01", "commitment-overdue", area="commitments", severity="high", entity_type="commitment",
       inputs={"commitments": ("item_id", "unit", "title", "deadline")},
       optional=(("commitments", "status"), ("commitments", "done_date"), ("commitments", "county")),
       basis="重点工作公开承诺事项问效问责 (月检查、季通报)",
       condition={
           "zh": "承诺事项完成时限早于审计基准日、截至审计基准日未完成的（严重程度为高）；或已完成但完成日期晚于完成时限的（为低）。已完成的认定：有完成日期且不晚于审计基准日，并且状态不是推进中或未启动；"
                 "状态为已完成而完全未填写完成日期的，也视为已完成（无日期，不判为逾期完成）；无完成日期列的，以状态为已完成为准；完成日期晚于审计基准日的视为未完成。既无状态列也无完成日期列的，"
                 "本检查不运行。完成日期无法识别、状态为已完成或未填写、且完成时限早于审计基准日的事项不予判定，计入部分未判定数。",
           "en": "deadline strictly before as_of and not done by as_of (high), or done with a done_date after "
                 "the deadline (low). Done: a done_date on or before as_of and a status other than in_progress "
                 "or not_started; a status done with no done_date at all is done (and cannot be late); without "
                 "a done_date column, status done; a done_date after as_of is not done. Not run without both "
                 "status and done_date columns. An item whose done_date could not be read and whose "
                 "status is done or missing is not judged when its deadline is before as_of (counted as partly "
                 "judged)."},
       amount={"zh": "不计金额",
               "en": "no amount"},
       title={"zh": "承诺事项逾期", "en": "Commitment overdue"},
       detail=EFF01_DETAIL)
def commitment_overdue(ctx: Context) -> pd.DataFrame:
    c = ctx["commitments"]
    # the view keeps every commitment in order (it only blanks done dates after as_of)
    raw_done = ctx.raw["commitments"]["done_date"].to_numpy() if "done_date" in c else None
    c = c.reset_index(drop=True)
    if "status" not in c and "done_date" not in c:
        raise NotRun("commitments: neither status nor done_date present")
    done, done_date = _done_on(ctx, c, raw_done)
    status = c["status"] if "status" in c else pd.Series(np.nan, index=c.index, dtype="str")
    due = c["deadline"] < ctx.as_of
    unknown = (pd.Series(unreadable(ctx, "commitments", "done_date").to_numpy(dtype=bool), index=c.index)
               & ~status.isin(NOT_DONE_STATUSES) & due)
    overdue = ~done & due & ~unknown
    late = done & (done_date > c["deadline"]) & ~unknown
    hit = overdue | late
    held = (c["county"] if "county" in c else pd.Series(np.nan, index=c.index, dtype="object"))[unknown]
    c, overdue, done_date = c[hit], overdue[hit], done_date[hit]
    until = done_date.where(~overdue, ctx.as_of)
    days = (until - c["deadline"]).dt.days
    status = c["status"] if "status" in c else pd.Series(np.nan, index=c.index, dtype="str")
    noted = status.isin([s for s in OVERDUE_NOTE if s != "after_as_of"])
    variant = pd.Series("late", index=c.index).where(~overdue, ("overdue_" + status).where(noted, "overdue"))
    done = done_date
    if "done_date" in c:
        raw_done = pd.Series(raw_done[c.index.to_numpy()], index=c.index)
        after = overdue & (raw_done > ctx.as_of)
        variant[after] = "overdue_after_as_of"
        done = done.where(~after, raw_done)  # an overdue item done only after as_of shows that date
    return partly_judged(pd.DataFrame({
        "entity_id": c["item_id"],
        "entity_name": c["unit"],  # the responsible unit's name (checks.md revision 2)
        "county": c["county"] if "county" in c else np.nan,
        "severity": np.where(overdue, "high", "low"),
        "variant": variant,
        "unit": c["unit"],
        "title": c["title"],
        "deadline": c["deadline"],
        "as_of": ctx.as_of,
        "done": done,
        "days": days.astype("int64"),
    }, index=c.index), entities=held)
