"""Recording runs: statuses and causes, dismissed findings whose values change, reruns, --county,
a write that fails half-way, a busy register, files that are not registers — on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import func, select

from kpt_audit.errors import RegisterError
from kpt_audit.register import record as record_module
from kpt_audit.register.edit import set_finding
from kpt_audit.register.models import Event, Finding, Run, RunFinding
from kpt_audit.register.record import record_run
from kpt_audit.register.store import open_register

from .helpers import finding, frame, tables

A, B, C = finding(entity="P1", project="P1"), finding(entity="P2", project="P2"), finding(entity="P3", project="P3")


def run(reg, rows, as_of, present=("P1", "P2", "P3"), counties=(), inputs=None, values_digest="p"):
    inputs = inputs if inputs is not None else [{"path": "projects.csv", "sha256": f"h{as_of}"}]
    with open_register(reg) as register:
        return record_run(register, frame(*rows), as_of=as_of, tables=tables(*present), counties=counties,
                          inputs=inputs, params_sha256=values_digest, out_dir="out", by="tester")


def counts(reg):
    with open_register(reg) as register, register.read() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in (Run, Finding, Event, RunFinding)}


def findings(reg):
    with open_register(reg) as register, register.read() as s:
        return {f.finding_id: f for f in s.scalars(select(Finding))}


def test_first_run_records_every_finding_new_pending_open(reg):
    done = run(reg, [A, B], "2020-09-25")
    assert done.written
    assert list(done.findings["status"]) == ["new", "new"]
    assert set(done.findings["verification"]) == {"pending"} and set(done.findings["rectification"]) == {"open"}
    kept = findings(reg)
    assert kept[A["finding_id"]].first_as_of == dt.date(2020, 9, 25)
    assert kept[A["finding_id"]].values == {"amount": 100_000.0}
    assert counts(reg) == {"runs": 1, "findings": 2, "events": 2, "run_findings": 2}


def test_a_rerun_with_the_same_as_of_and_inputs_records_nothing(reg):
    first = run(reg, [A, B], "2020-09-25")
    before = counts(reg)
    again = run(reg, [A, B], "2020-09-25")
    assert not again.written and again.run_id == first.run_id
    assert counts(reg) == before
    assert list(again.findings["finding_id"]) == list(first.findings["finding_id"])
    # other inputs on the same date are a new run
    assert run(reg, [A, B], "2020-09-25", inputs=[{"path": "projects.csv", "sha256": "changed"}]).written


def test_the_report_language_is_not_a_parameter_of_the_run():
    """A rerun in English on the same data and date is the same run (the findings do not depend on it)."""
    from kpt_audit.params import load_params
    from kpt_audit.register.record import params_digest

    zh, en = load_params(as_of="2020-09-25", lang="zh"), load_params(as_of="2020-09-25", lang="en")
    assert params_digest(zh) == params_digest(en)
    en.values["idle_months"] = 6
    assert params_digest(zh) != params_digest(en)


def test_absent_findings_are_not_found_again_with_their_cause_never_rectified(reg):
    run(reg, [A, B, C], "2020-09-25")
    done = run(reg, [A], "2020-10-25", present=("P1", "P2"))  # B's condition cleared; C's project deleted
    by_id = done.findings.set_index("finding_id")
    assert by_id.loc[A["finding_id"], "status"] == "persisting"
    assert (by_id.loc[B["finding_id"], "status"], by_id.loc[B["finding_id"], "cause"]) == ("not_found_again", "cleared")
    assert (by_id.loc[C["finding_id"], "status"], by_id.loc[C["finding_id"], "cause"]) == \
        ("not_found_again", "entity_missing")
    assert set(by_id["rectification"]) == {"open"}  # absence is never rectification
    kept = findings(reg)
    assert kept[A["finding_id"]].first_as_of == dt.date(2020, 9, 25)
    assert kept[A["finding_id"]].last_as_of == dt.date(2020, 10, 25)
    assert kept[B["finding_id"]].last_as_of == dt.date(2020, 9, 25)
    # a third run lists them again while they are open (interfaces.md: every earlier open finding absent
    # from this run), its cause told again (P2's row now gone too), without a new event for what stayed
    events = counts(reg)["events"]
    third = run(reg, [A], "2020-11-25", present=("P1",)).findings.set_index("finding_id")
    assert sorted(third.index) == sorted(f["finding_id"] for f in (A, B, C))
    assert third.loc[B["finding_id"], ["status", "cause"]].tolist() == ["not_found_again", "entity_missing"]
    assert third.loc[C["finding_id"], ["status", "cause"]].tolist() == ["not_found_again", "entity_missing"]
    assert counts(reg)["events"] == events + 1  # B's cause
    # found once more, it is new again (as with --previous: it was not present last time), first seen kept
    fourth = run(reg, [A, B], "2020-12-25").findings.set_index("finding_id")
    assert fourth.loc[B["finding_id"], "status"] == "new"
    assert findings(reg)[B["finding_id"]].first_as_of == dt.date(2020, 9, 25)
    assert fourth.loc[C["finding_id"], "status"] == "not_found_again"
    # once verified as not true (不属实), it is listed no more; the register keeps it
    assert set_finding(reg, C["finding_id"], by="李审计", verification="不属实")
    fifth = run(reg, [A, B], "2021-01-25")
    assert sorted(fifth.findings["finding_id"]) == sorted([A["finding_id"], B["finding_id"]])
    assert counts(reg)["findings"] == 3
    # a rerun of the third run lists what the third listed
    again = run(reg, [A], "2020-11-25", present=("P1",))
    assert not again.written and sorted(again.findings["finding_id"]) == sorted(third.index)


def test_dismissed_finding_returns_to_pending_when_its_values_change(reg):
    changed = finding(entity="P2", project="P2", amount=200_000.0, values={"amount": 200_000.0})
    run(reg, [A, B], "2020-09-25")
    for f in (A, B):
        assert set_finding(reg, f["finding_id"], by="李审计", verification="不属实", verification_note="误报")
    done = run(reg, [A, changed], "2020-10-25").findings.set_index("finding_id")
    assert done.loc[A["finding_id"], "verification"] == "dismissed"  # same values: stays dismissed
    assert done.loc[B["finding_id"], "verification"] == "pending"
    note = done.loc[B["finding_id"], "verification_note"]
    assert note == "误报；2020-10-25 明细数值已变化，由不属实转回待核实（amount: 100000 → 200000）"
    with open_register(reg) as register, register.read() as s:
        history = [(e.field, e.old, e.new, e.by, e.source) for e in
                   s.scalars(select(Event).where(Event.finding_id == B["finding_id"]).order_by(Event.id))]
    assert ("verification", "pending", "dismissed", "李审计", "edit") in history
    assert ("verification", "dismissed", "pending", "tester", "run") in history


def test_only_open_findings_are_aged(reg):
    """interfaces.md: an earlier *open* finding absent from this run is not_found_again; one closed (已销号)
    or dismissed (不属实) stays as it was and is not listed again."""
    run(reg, [A, B, C], "2020-09-25")
    assert set_finding(reg, A["finding_id"], by="李审计", rectification="已销号")
    assert set_finding(reg, B["finding_id"], by="李审计", verification="不属实")
    done = run(reg, [], "2020-10-25", present=("P1", "P3")).findings.set_index("finding_id")
    assert list(done.index) == [C["finding_id"]] and done.loc[C["finding_id"], "status"] == "not_found_again"
    # not listed, but not called found this period either: the register says they were not found again
    kept = findings(reg)
    assert (kept[A["finding_id"]].status, kept[A["finding_id"]].cause) == ("not_found_again", "cleared")
    assert (kept[B["finding_id"]].status, kept[B["finding_id"]].cause) == ("not_found_again", "entity_missing")
    assert kept[A["finding_id"]].rectification == "closed" and kept[B["finding_id"]].verification == "dismissed"
    later = run(reg, [], "2020-11-25", present=("P1", "P3")).findings
    assert list(later["finding_id"]) == [C["finding_id"]]


@pytest.mark.parametrize("check", ["EFF01", "SUB04"])
def test_a_dismissed_findings_days_to_the_audit_date_are_no_change(reg, check):
    """Days counted to as_of grow with every run: a dismissed EFF01/SUB04 finding stays dismissed."""
    entity_type = {"EFF01": "commitment", "SUB04": "application"}[check]
    before = finding(check=check, entity="X1", entity_type=entity_type, values={"days": 22, "deadline": "2020-09-01"})
    later = finding(check=check, entity="X1", entity_type=entity_type, values={"days": 83, "deadline": "2020-09-01"})
    run(reg, [before], "2020-09-25")
    assert set_finding(reg, before["finding_id"], by="李审计", verification="不属实")
    done = run(reg, [later], "2020-11-25").findings.set_index("finding_id")
    assert done.loc[before["finding_id"], "verification"] == "dismissed"


def test_a_county_rerun_of_a_recorded_date_records_nothing(reg):
    """interfaces.md: a rerun with the same as_of and inputs records nothing new -- a run of one county after
    the whole data's, at the same date on the same inputs, included (it was recorded with the whole)."""
    other = finding(entity="Q1", project="Q1", county="乙县")
    run(reg, [A, B], "2020-09-25")
    first = run(reg, [A, B, other], "2020-10-25", present=("P1", "P2", "Q1"))
    before = counts(reg)
    again = run(reg, [A, B], "2020-10-25", present=("P1", "P2", "Q1"), counties=["甲县"])
    assert not again.written and again.run_id == first.run_id and counts(reg) == before
    assert sorted(again.findings["finding_id"]) == sorted([A["finding_id"], B["finding_id"]])
    assert set(again.findings["status"]) == {"persisting"}  # as the October run said (found in September)
    # other inputs, or a county the earlier run did not cover, are a run of their own
    assert run(reg, [A, B], "2020-10-25", present=("P1", "P2", "Q1"), counties=["甲县"],
               inputs=[{"path": "projects.csv", "sha256": "corrected"}]).written


def test_a_finding_first_found_at_this_date_is_new_whatever_ran_before_at_that_date(reg):
    """A county's run, then the whole data's at the same date: what the county run found first is new in
    both (it was not found last time); the trend shows the date once."""
    from kpt_audit.register.summary import trend

    other = finding(entity="Q1", project="Q1", county="乙县")
    run(reg, [A], "2020-09-25", present=("P1", "Q1"))
    county_run = run(reg, [A, B], "2020-10-25", present=("P1", "P2", "Q1"), counties=["甲县"])
    assert county_run.findings.set_index("finding_id")["status"].to_dict() == {A["finding_id"]: "persisting",
                                                                                 B["finding_id"]: "new"}
    whole = run(reg, [A, B, other], "2020-10-25", present=("P1", "P2", "Q1"),
                inputs=[{"path": "projects.csv", "sha256": "h2020-10-25"}, {"path": "x.csv", "sha256": "more"}])
    assert whole.written
    assert whole.findings.set_index("finding_id")["status"].to_dict() == {
        A["finding_id"]: "persisting", B["finding_id"]: "new", other["finding_id"]: "new"}
    with open_register(reg) as register:
        table = trend(register)
    assert list(table["as_of"]) == ["2020-09-25", "2020-10-25", "2020-10-25"]  # one date, a row per county
    assert table[table["as_of"] == "2020-10-25"]["county"].tolist() == ["乙县", "甲县"]
    assert table[table["as_of"] == "2020-10-25"]["found"].tolist() == [1, 2]


def test_a_run_with_county_ages_only_that_county(reg):
    other = finding(entity="Q1", project="Q1", county="乙县")
    run(reg, [A, other], "2020-09-25", present=("P1", "Q1"))
    done = run(reg, [], "2020-10-25", present=("P1", "Q1"), counties=["甲县"])
    assert list(done.findings["finding_id"]) == [A["finding_id"]]
    kept = findings(reg)
    assert kept[A["finding_id"]].status == "not_found_again"
    assert kept[other["finding_id"]].status == "new"  # not aged by a run of 甲县


def test_a_write_failing_half_way_leaves_the_register_as_before(reg, monkeypatch):
    run(reg, [A, B], "2020-09-25")
    before = counts(reg)
    states = {k: (f.status, f.last_as_of) for k, f in findings(reg).items()}

    def boom(self, session):
        session.flush()
        raise OSError("disk full")

    monkeypatch.setattr(record_module.ChangeLog, "write", boom)
    with pytest.raises(OSError):
        run(reg, [A, C], "2020-10-25")
    assert counts(reg) == before
    assert {k: (f.status, f.last_as_of) for k, f in findings(reg).items()} == states


def test_a_busy_register_gives_one_clear_message(reg):
    run(reg, [A], "2020-09-25")
    with open_register(reg) as holder, holder.write():
        with open_register(reg, lock_timeout=0.3) as waiting:
            with pytest.raises(RegisterError, match="is busy: someone else is writing"):
                record_run(waiting, frame(B), as_of="2020-10-25", tables=tables("P1", "P2"), by="x")
    assert counts(reg)["runs"] == 1


def test_a_register_of_a_newer_version_is_refused(reg):
    run(reg, [A], "2020-09-25")
    with open_register(reg) as register, register.write() as s:
        s.execute(Finding.__table__.metadata.tables["findings"].select().limit(0))
        s.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(RegisterError, match="made by a newer version of kpt-audit"):
        open_register(reg)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_file_that_is_not_a_register_is_refused(reg, tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database at all " * 50, encoding="utf-8")
    with pytest.raises(RegisterError, match="is not a kpt-audit register"):
        open_register(text)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(RegisterError, match="holds other tables"):
        open_register(other)
    assert not (tmp_path / "missing.sqlite").exists()
    with pytest.raises(RegisterError, match="does not exist"):
        open_register(tmp_path / "missing.sqlite", create=False)


def test_the_migrations_make_the_models_schema(reg):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kpt_audit.register.models import Base

    with open_register(reg) as register, register.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_a_database_holding_other_tables_is_not_a_register(reg, backend):
    from sqlalchemy import create_engine, text

    from kpt_audit.register.store import engine_url

    engine = create_engine(engine_url(reg))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INTEGER)"))
    engine.dispose()
    with pytest.raises(RegisterError, match="is not a kpt-audit register: it holds other tables \\(customers\\)"):
        open_register(reg)


def test_a_changed_share_is_noted_as_written_not_as_its_binary_value():
    from kpt_audit.register.record import _what_changed

    assert _what_changed("COS04", {"share": 0.1499999999999999, "ids": ["a"]}, {"share": 0.3, "ids": ["a", "b"]}) == \
        "ids: ['a'] → ['a', 'b']；share: 0.15 → 0.3"
