"""Planted data-quality cases (DQ01, DQ02; checks.md revision 2).  A cell "typed as" text is
written into the files as that text (``Kit.write_as``); the tables hold it empty, as the
loader leaves it, and ``SynthData.unknown`` lists the cells the loader cannot read.

DQ01  a non-empty cell of an optional date, number or boolean column that the loader
      cannot read; entity ``table|key|column`` (projects: its project_id).
  + a project 在建 whose actual_start was typed 2021年13月1日.  Its start is unknown, so
    DQ02 does not judge it (an unreadable date is neither present nor absent) and no
    finding may rest on it being absent: no EXE05 (逾期未开工) although its planned start
    is long past.
  + a project 竣工 whose actual_completion was typed 2019-02-30, with no acceptance date:
    the third DQ02 clause is not judged.
  - a project whose final_accounts_date was typed 无: an empty-equivalent, empty, not unknown.
DQ02  a project whose status contradicts its own dates.
  + 在建 with no actual_start at all (its planned start still ahead: no EXE05).
  + 未开工 with an actual_start 420 days before as_of.
  + 竣工 with neither actual_completion nor acceptance_date (nor operation or final accounts).
  - 投产 with an acceptance_date but no actual_completion (the acceptance will do).
  - 未开工 with an actual_start 10 days after as_of (recorded, not yet happened).
"""
from __future__ import annotations

from .kit import Kit

UNREADABLE_START = "2021年13月1日"
UNREADABLE_COMPLETION = "2019-02-30"


def _unfinished(kit: Kit, **over) -> dict:
    """An operating template that reports no completion, acceptance, operation or final accounts."""
    return kit.project("operating", status="completed", actual_completion=None, acceptance_date=None,
                       operation_date=None, final_accounts_date=None, **over)


def plant(kit: Kit) -> None:
    p = kit.project("building")
    kit.write_as("projects", p, "actual_start", UNREADABLE_START)
    kit.expect("DQ01", f"projects|{p['project_id']}|actual_start")
    kit.near("DQ02", p["project_id"], "在建 with an unreadable actual_start: the clause is not judged")
    kit.near("EXE05", p["project_id"], "planned start past, actual_start unreadable: not judged as absent")

    p = _unfinished(kit)
    kit.write_as("projects", p, "actual_completion", UNREADABLE_COMPLETION)
    kit.expect("DQ01", f"projects|{p['project_id']}|actual_completion")
    kit.near("DQ02", p["project_id"], "竣工 with an unreadable actual_completion and no acceptance: not judged")

    p = kit.project("building")
    kit.write_as("projects", p, "final_accounts_date", "无", readable=True)
    kit.near("DQ01", f"projects|{p['project_id']}|final_accounts_date", "无 is an empty-equivalent")

    p = kit.project("building", actual_start=None, planned_start=kit.day(30))
    kit.expect("DQ02", p["project_id"])
    p = kit.project("building", status="not_started")
    kit.expect("DQ02", p["project_id"])
    p = _unfinished(kit)
    kit.expect("DQ02", p["project_id"])

    p = kit.project("operating", actual_completion=None)
    kit.near("DQ02", p["project_id"], "投产 with an acceptance_date and no actual_completion")
    p = kit.project("planned", actual_start=kit.day(10))
    kit.near("DQ02", p["project_id"], "未开工 with an actual_start after as_of")
