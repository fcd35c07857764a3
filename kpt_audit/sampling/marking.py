"""Mark the findings drawn into a plan for 核实 in the register (issue 13, item 4).

A sampled finding that the register holds and that is still 待核实 (pending)
gets a line in its 核实说明 naming the plan, the sheet and row where the
auditor records it, and the seed: whoever opens the register sees that it is
to be verified on site as part of that sample.  A finding already verified
(属实, 部分属实, 不属实) keeps its result and note; a finding the register does
not hold is counted.  All marks are written in one transaction, each change
an event with who and when, like any edit (``kpt_audit.register.edit``); a
plan marked twice adds nothing the second time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .plan import Plan

SOURCE = "sample"  # the events' source in the register


@dataclass
class Marked:
    """What marking did: the finding ids marked, those already verified, those not in the register."""

    marked: list[str] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def mark_line(plan: Plan, plan_path, sheet: str, row: int) -> str:
    """The line a sampled finding's 核实说明 gets (in the plan's language)."""
    from ..messages import text

    return text("sampling.mark.note", plan.lang, plan=Path(plan_path).name, sheet=sheet, row=row,
                seed=plan.parameters["seed"])


def check_register(reg) -> None:
    """RegisterError (exit 2) when ``reg`` is not a register that exists, before any plan is written."""
    from ..register.store import open_register

    with open_register(reg, create=False):
        pass


def mark_for_verification(reg, plan: Plan, plan_path, *, by: str | None = None) -> Marked:
    """Mark ``plan``'s findings (a plan of the findings population) in the register ``reg``."""
    from sqlalchemy import select

    from ..errors import UsageError
    from ..messages import text
    from ..register.edit import apply_edits
    from ..register.fields import PENDING
    from ..register.models import Finding
    from ..register.record import ChangeLog, who
    from ..register.store import open_register
    from .plan import SAMPLE

    if plan.parameters["population"] != "findings":
        raise UsageError(key="sampling.err.register_needs_findings")
    lines = {}
    for part, key in ((SAMPLE, "sampling.sheet.sample"), ("top", "sampling.sheet.top")):
        rows = plan.part(part)
        for no, item in zip(rows["no"], rows["item_id"]):
            lines[str(item)] = mark_line(plan, plan_path, text(key, plan.lang), int(no) + 1)
    done = Marked()
    with open_register(reg, create=False) as register, register.write() as session:
        found = {f.finding_id: f for f in session.scalars(select(Finding).where(Finding.finding_id.in_(list(lines))))}
        edits = {}
        for fid in sorted(lines):
            f = found.get(fid)
            if f is None:
                done.missing.append(fid)
            elif f.verification != PENDING:
                done.verified.append(fid)
            elif lines[fid] not in (f.verification_note or ""):
                edits[fid] = {"verification_note": "；".join(t for t in (f.verification_note, lines[fid]) if t)}
        changes = ChangeLog(by or who(), SOURCE)
        done.marked, _ = apply_edits(session, edits, changes)
        session.flush()
        changes.write(session)
    return done
