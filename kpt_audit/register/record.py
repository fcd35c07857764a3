"""Recording a run in the register: the run itself, every finding by finding_id, what changed.

Statuses come from :func:`kpt_audit.findings.with_status` (the one definition shared with
``--previous``): the register's findings of the run's counties that were present last time
play the previous run.  A finding seen again keeps its verification and rectification; a
dismissed (不属实) finding whose detail values changed returns to pending (待核实) with a note;
an earlier finding absent now is ``not_found_again`` with its cause.  All in one transaction;
a rerun with the same as_of, counties, inputs and parameters records nothing.
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd

from ..findings import FINDING_COLUMNS, GONE, NEW, NOT_FOUND_AGAIN, PERSISTING, with_status
from ..params import params_digest  # a rerun in English is the same run
from .fields import DEFAULTS, DISMISSED, MAX_TEXT, PENDING, REGISTER_COLUMNS, is_open

FACT_COLUMNS = ["finding_no", "check_id", "area", "severity", "county", "project_id", "project_name", "entity_type",
                "entity_id", "entity_name", "amount", "title", "detail", "basis"]
TEXT_OR_NONE = {"project_id", "project_name", "entity_name", "basis"}
# Values that follow the audit date itself rather than the data (the date, a cut-off or a count of days
# counted from it, the share of the year gone): a later run changes them although nothing in the data
# did, so they are left out when telling whether a dismissed finding's detail values changed.
AS_OF_DRIVEN = {"*": {"as_of"}, "COS08": {"days"}, "EXE02": {"cutoff"}, "EXE03": {"share", "line", "expected"},
                "EXE06": {"elapsed"}, "PER02": {"idle"}, "EFF01": {"days"}, "SUB04": {"days"}}


def values_changed(check_id: str, old: dict, new: dict) -> bool:
    """Whether a finding's structured values differ, apart from those that only follow the audit date."""
    driven = AS_OF_DRIVEN["*"] | AS_OF_DRIVEN.get(check_id, set())
    keys = (set(old) | set(new)) - driven
    return any(old.get(k) != new.get(k) for k in keys)


@dataclass
class Recorded:
    """What recording a run gave: the findings with status, cause and register columns, the run's id,
    and whether anything was written (False for a rerun of a recorded run)."""

    findings: pd.DataFrame
    run_id: int
    written: bool
    metrics: dict = field(default_factory=dict)  # by record_front: the register's tables for the outputs


def who() -> str:
    """The operating-system user, the "who" of a run's changes."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "kpt-audit"


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def inputs_of(dataset) -> list[dict]:
    """The run's input files as recorded: name and sha256 (as in manifest.json), sorted."""
    sources = getattr(dataset, "sources", None)
    if sources is None or not len(sources):
        return []
    rows = [{"path": str(p), "sha256": str(h)} for p, h in zip(sources["path"], sources["sha256"])]
    return sorted(rows, key=lambda r: (r["path"], r["sha256"]))


def fingerprint(as_of: dt.date, counties, inputs: list[dict], params_sha256: str) -> str:
    """Same as_of, counties, input contents and parameters: the same run (the folder and file names may move)."""
    key = {"as_of": as_of.isoformat(), "counties": sorted(counties) if counties else None,
           "inputs": sorted(r["sha256"] for r in inputs), "params": params_sha256}
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode("utf-8")).hexdigest()


def _same_run(session, fp: str, as_of: dt.date, counties: list, inputs: list[dict], params_sha256: str):
    """The run recorded earlier that this one repeats, or None: the same fingerprint, or -- for a run of
    some counties -- a run at the same date, on the same inputs and parameters, of those counties and more
    (the whole data, or a list including them): everything this run would record is recorded already."""
    from sqlalchemy import select

    from .models import Run

    same = session.scalars(select(Run).where(Run.fingerprint == fp).order_by(Run.id)).first()
    if same is not None or not counties:
        return same
    hashes = sorted(r["sha256"] for r in inputs)
    for run in session.scalars(select(Run).where(Run.as_of == as_of, Run.params_sha256 == params_sha256)
                               .order_by(Run.id)):
        covers = run.counties is None or set(counties) <= set(run.counties)
        if covers and sorted(r["sha256"] for r in (run.inputs or [])) == hashes:
            return run
    return None


def parse_values(text) -> dict:
    if isinstance(text, dict):
        return text
    if text is None or (isinstance(text, float) and text != text) or text == "":
        return {}
    return json.loads(text)


def _clean(value):
    """A frame's cell as the database keeps it: None for missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def _as_date(value) -> dt.date:
    return pd.Timestamp(value).date()


def finding_row(f) -> dict:
    """A register finding (model) as a findings-frame row with the register columns."""
    row = {c: getattr(f, c) for c in FACT_COLUMNS}
    row.update(finding_id=f.finding_id, status=f.status, cause=f.cause or "")
    for c in REGISTER_COLUMNS:
        row[c] = getattr(f, c)
    row["due_date"] = f.due_date.isoformat() if f.due_date else ""
    row["first_as_of"], row["last_as_of"] = f.first_as_of.isoformat(), f.last_as_of.isoformat()
    row["values"] = json.dumps(f.values or {}, ensure_ascii=False, sort_keys=True)
    row["version"] = f.version
    return row


def _frame(rows: list[dict]) -> pd.DataFrame:
    columns = FINDING_COLUMNS + REGISTER_COLUMNS + ["values", "first_as_of", "last_as_of", "version"]
    out = pd.DataFrame(rows, columns=columns)
    out["amount"] = pd.to_numeric(out["amount"], errors="coerce").astype("float64")
    out["rectified_amount"] = pd.to_numeric(out["rectified_amount"], errors="coerce").astype("float64")
    return out


class ChangeLog:
    """The events of one transaction in the register: :meth:`add` one per field changed, :meth:`write`
    appends them in one statement at the end.  Each writer of the register keeps one (a run, an import,
    an edit, sampling's marking), saying who and from where (``source``)."""

    def __init__(self, by: str, source: str, *, run_id=None, import_id=None):
        self.by, self.source, self.run_id, self.import_id = by, source, run_id, import_id
        self.at = now()
        self.rows: list[dict] = []

    def add(self, finding, field: str, old, new) -> None:
        self.rows.append({"at": self.at, "by": self.by, "source": self.source, "run_id": self.run_id,
                          "import_id": self.import_id, "finding_id": finding.finding_id, "field": field,
                          "old": _event_text(old), "new": _event_text(new), "version": finding.version})

    def write(self, session) -> None:
        from sqlalchemy import insert

        from .models import Event

        if self.rows:
            session.execute(insert(Event), self.rows)


def _event_text(value):
    if value is None:
        return None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def set_field(finding, field: str, value, changes: ChangeLog, *, editable: bool) -> bool:
    """Set one field, appending its event; an editable field's change counts in the finding's version."""
    old = getattr(finding, field)
    if old == value:
        return False
    setattr(finding, field, value)
    if editable:
        finding.version += 1
    changes.add(finding, field, old, value)
    return True


def _facts(row: dict) -> dict:
    facts = {}
    for c in FACT_COLUMNS:
        v = _clean(row.get(c))
        if c == "amount":
            v = None if v is None else float(v)
        elif v is not None:
            v = str(v)
        elif c not in TEXT_OR_NONE:
            v = ""
        facts[c] = v
    return facts


def _what_changed(check_id: str, old: dict, new: dict) -> str:
    """``amount: 100000.0 → 200000.0; paid: …`` for the values that changed (the audit date's own left out)."""
    driven = AS_OF_DRIVEN["*"] | AS_OF_DRIVEN.get(check_id, set())
    keys = sorted(k for k in (set(old) | set(new)) - driven if old.get(k) != new.get(k))
    return "；".join(f"{k}: {_note_text(old.get(k))} → {_note_text(new.get(k))}" for k in keys[:5])


def _note_text(value) -> str:
    """A value as a note shows it: a share as 0.15, not its binary 0.1499999999999999."""
    return f"{value:.10g}" if isinstance(value, float) else _event_text(value)


def record_run(register, findings: pd.DataFrame, *, as_of, tables=None, counties=(), inputs=(), params_sha256="",
               out_dir="", by: str | None = None) -> Recorded:
    """Record one run's ``findings`` (the checks' frame, ``values`` included) in ``register``.

    ``tables`` (the run's data) tell an absent finding's cause; ``counties`` are the run's
    ``--county`` (empty: the whole data, every register finding is aged).  Returns the
    findings with status, cause and the register columns, those not found again included.
    """
    from sqlalchemy import insert, select

    from ..version import __version__
    from .models import Finding, Run, RunFinding

    as_of = _as_date(as_of)
    counties = sorted(set(counties or ()))
    inputs = list(inputs)
    fp = fingerprint(as_of, counties, inputs, params_sha256)
    by = by or who()
    with register.write() as s:
        earlier = _same_run(s, fp, as_of, counties, inputs, params_sha256)
        if earlier is not None:  # the same run again: nothing new to record
            recorded = select(RunFinding).where(RunFinding.run_id == earlier.id)
            if counties:  # an earlier run of these counties and more: what it recorded of these
                recorded = recorded.where(RunFinding.county.in_(counties))
            seen = {r.finding_id: r for r in s.scalars(recorded)}
            current = set(findings["finding_id"].astype(str))
            rows = []
            for f in s.scalars(select(Finding).where(Finding.finding_id.in_(list(seen)))):
                then = seen[f.finding_id]
                if f.finding_id in current or (then.status == NOT_FOUND_AGAIN and is_open(then.verification,
                                                                                          then.rectification)):
                    row = finding_row(f)
                    row.update(status=then.status, cause=then.cause)
                    rows.append(row)
            return Recorded(_sorted(_frame(rows)), earlier.id, False)

        run = Run(recorded_at=now(), recorded_by=by, out_dir=str(out_dir), as_of=as_of,
                  counties=counties or None, inputs=inputs, params_sha256=params_sha256, fingerprint=fp,
                  tool_version=__version__, findings=int(len(findings)))
        s.add(run)
        s.flush()
        changes = ChangeLog(by, "run", run_id=run.id)

        scope = select(Finding)
        if counties:
            scope = scope.where(Finding.county.in_(counties))
        known = {f.finding_id: f for f in s.scalars(scope)}
        # the register plays the previous run: its findings of these counties present last time, and the
        # open ones not found since (interfaces.md: every earlier open finding absent from this run is
        # not_found_again, so each run lists them, their cause told again, until verified or closed)
        waiting = {fid for fid, f in known.items() if f.status == NOT_FOUND_AGAIN and is_open(f.verification,
                                                                                                  f.rectification)}
        present = [finding_row(f) for f in known.values() if f.status not in GONE or f.finding_id in waiting]
        previous = _frame(present)[FINDING_COLUMNS].assign(status="") if present else None
        marked = with_status(findings, previous, tables) if previous is not None else _as_new(findings)
        # one found again after a run without it is new again, as with --previous (it was not present last time)
        back = (marked["status"] == PERSISTING) & marked["finding_id"].astype(str).isin(waiting)
        # one first found at this audit date (by an earlier run of other counties, or of other inputs, at the
        # same date) was not found *last time*: it is new this period, not persisting
        this_period = {fid for fid, f in known.items() if f.first_as_of == as_of}
        marked.loc[back | ((marked["status"] == PERSISTING) & marked["finding_id"].astype(str).isin(this_period)),
                   "status"] = NEW
        # only an open finding is aged and listed (interfaces.md): one closed (已销号) or dismissed (不属实)
        # that is absent now is not listed among this run's findings, but its status says it was not found
        # again (an export calling it 本期新发现 would say it was found this period)
        closed = [fid for fid, f in known.items() if not is_open(f.verification, f.rectification)]
        gone_closed = (marked["status"] == NOT_FOUND_AGAIN) & marked["finding_id"].astype(str).isin(closed)
        unlisted = set(marked.loc[gone_closed, "finding_id"].astype(str))
        values_of = dict(zip(findings["finding_id"].astype(str), findings.get("values", pd.Series(dtype=str))))
        # findings outside the run's counties (a cross-county finding) may be in the register already
        outside = set(marked["finding_id"].astype(str)) - set(known)
        if outside:
            known.update({f.finding_id: f for f in s.scalars(select(Finding).where(Finding.finding_id.in_(outside)))})

        for row in marked.to_dict("records"):
            fid = str(row["finding_id"])
            f = known.get(fid)
            if row["status"] == NOT_FOUND_AGAIN:
                set_field(f, "status", NOT_FOUND_AGAIN, changes, editable=False)
                set_field(f, "cause", row["cause"], changes, editable=False)
                continue
            facts = _facts(row)
            facts["county"] = facts["county"] or ""
            values = parse_values(values_of.get(fid))
            if f is None:
                f = Finding(finding_id=fid, **facts, values=values, status=row["status"], cause="",
                            first_as_of=as_of, last_as_of=as_of, first_run_id=run.id, last_run_id=run.id,
                            verification=DEFAULTS["verification"], verification_note="", responsible_unit="",
                            due_date=None, rectification=DEFAULTS["rectification"], rectified_amount=None,
                            rectification_note="", accountability="", version=1)
                s.add(f)
                known[fid] = f
                changes.add(f, "created", None, f.finding_no)
                continue
            if f.verification == DISMISSED and values_changed(f.check_id, f.values or {}, values):
                set_field(f, "verification", PENDING, changes, editable=True)
                note = f"{as_of.isoformat()} 明细数值已变化，由不属实转回待核实（{_what_changed(f.check_id, f.values or {}, values)}）"
                kept = "；".join(x for x in (f.verification_note, note) if x)
                set_field(f, "verification_note", kept[-MAX_TEXT:], changes, editable=True)
            for c, v in facts.items():
                if c == "amount":
                    set_field(f, c, v, changes, editable=False)
                elif getattr(f, c) != v:  # wording (the report language), names: no event of their own
                    setattr(f, c, v)
            set_field(f, "values", values, changes, editable=False)
            set_field(f, "status", row["status"], changes, editable=False)
            set_field(f, "cause", "", changes, editable=False)
            if as_of > f.last_as_of:
                f.last_as_of = as_of
            f.last_run_id = run.id
        s.flush()
        changes.write(s)
        snapshot = [{"run_id": run.id, "finding_id": f.finding_id, "county": f.county, "status": f.status,
                     "cause": f.cause or "", "amount": f.amount, "verification": f.verification,
                     "rectification": f.rectification, "due_date": f.due_date,
                     "rectified_amount": f.rectified_amount} for f in known.values()]
        if snapshot:
            s.execute(insert(RunFinding), snapshot)
        listed = set(marked["finding_id"].astype(str)) - unlisted
        rows = [finding_row(known[fid]) for fid in known if fid in listed]
        return Recorded(_sorted(_frame(rows)), run.id, True)


def record_front(reg, front, *, out_dir="", counties=(), show_personal_data: bool = False,
                 masker=None) -> Recorded:
    """Record a run's front half (:class:`kpt_audit.pipeline.Front`) in the register ``reg`` (path or URL);
    ``front.result`` then holds the register's findings (statuses, register columns) and its tables.

    The findings' text is kept as the run's outputs show it (personal data masked unless
    ``show_personal_data``); their structured values are kept as computed (they are compared).
    """
    from ..privacy import Masker
    from .store import open_register

    findings = front.result.findings
    if masker is None:
        masker = Masker(front.dataset.tables, enabled=not show_personal_data)
    shown = masker.frame(findings.drop(columns=["values"], errors="ignore"))
    if "values" in findings:
        shown["values"] = findings["values"].to_numpy()
    tables = front.entity_tables  # of the findings no longer found: their entities' rows tell the cause
    with open_register(reg) as register:
        done = record_run(register, shown, as_of=front.params.as_of, tables=tables, counties=counties,
                          inputs=inputs_of(front.dataset), params_sha256=params_digest(front.params),
                          out_dir=str(out_dir))
        done.metrics = register_metrics(register, front.params.as_of, counties)
    front.result.findings = done.findings
    front.result.metrics.update(done.metrics)
    return done


def register_metrics(register, as_of, counties=()) -> dict[str, pd.DataFrame]:
    """The run's register tables (metrics/rectification.csv and rectification_trend.csv): per county now,
    and per county over the runs recorded."""
    from .summary import rectification_table, trend

    now_frame = register_frame(register, counties)
    return {"rectification": rectification_table(now_frame, as_of, counties),
            "rectification_trend": trend(register, counties)}


def register_frame(register, counties=()) -> pd.DataFrame:
    """Every finding of the register (of ``counties`` when given) as a frame with its register columns."""
    from sqlalchemy import select

    from .models import Finding

    with register.read() as s:
        query = select(Finding)
        if counties:
            query = query.where(Finding.county.in_(list(counties)))
        rows = [finding_row(f) for f in s.scalars(query)]
    return _sorted(_frame(rows))


def _as_new(findings: pd.DataFrame) -> pd.DataFrame:
    out = findings.copy()
    out["status"], out["cause"] = "new", ""
    return out


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    from ..findings import sort_findings

    return sort_findings(frame)


__all__ = ["record_run", "record_front", "Recorded", "inputs_of", "params_digest", "fingerprint", "finding_row",
           "register_frame", "register_metrics", "set_field", "ChangeLog", "who", "parse_values", "values_changed",
           "AS_OF_DRIVEN"]
