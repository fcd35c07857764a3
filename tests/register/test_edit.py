"""Setting a finding's fields (the explorer's way in) and a writer killed mid-transaction."""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select

from kpt_audit.errors import BadDataError, RegisterError
from kpt_audit.register.edit import get_finding, parse_field, set_finding
from kpt_audit.register.models import Event, Finding, Run
from kpt_audit.register.record import record_run
from kpt_audit.register.store import open_register

from .helpers import finding, frame, tables

A = finding(entity="P1", project="P1")


@pytest.fixture
def one(reg):
    with open_register(reg) as register:
        record_run(register, frame(A), as_of="2020-09-25", tables=tables("P1"), by="run")
    return reg


def test_parse_field_takes_chinese_words_or_codes_and_refuses_the_rest():
    assert parse_field("verification", "部分属实") == "partly" and parse_field("verification", "confirmed") == "confirmed"
    assert parse_field("rectification", " 已销号 ") == "closed"
    assert str(parse_field("due_date", "2021年3月31日")) == "2021-03-31"
    assert parse_field("rectified_amount", "1,234.5", amount_unit=10000) == 12_345_000.0
    assert parse_field("rectified_amount", "") is None and parse_field("responsible_unit", None) == ""
    for field, value in (("verification", ""), ("rectification", "done"), ("due_date", "soon"),
                         ("rectified_amount", -1), ("rectified_amount", True), ("accountability", "x" * 2001)):
        with pytest.raises(ValueError):
            parse_field(field, value)


def test_set_finding_validates_records_who_and_refuses_a_stale_version(one):
    with pytest.raises(BadDataError, match=r"核实结果 \(verification\) '大概': choose one of"):
        set_finding(one, A["finding_id"], by="王", verification="大概")
    assert set_finding(one, A["finding_id"], by="王", version=1, verification="属实", rectification="整改中")
    assert not set_finding(one, A["finding_id"], by="王", verification="属实")  # nothing new
    with pytest.raises(RegisterError, match="changed by someone else"):
        set_finding(one, A["finding_id"], by="李", version=1, rectification="已整改")
    with pytest.raises(BadDataError, match="unknown finding id"):
        set_finding(one, "0123456789abcdef", by="李", verification="属实")
    with open_register(one) as register, register.read() as s:
        f = s.get(Finding, A["finding_id"])
        assert (f.verification, f.rectification, f.version) == ("confirmed", "in_progress", 3)
        events = [(e.by, e.source, e.field, e.old, e.new) for e in
                  s.scalars(select(Event).where(Event.source == "edit").order_by(Event.id))]
    assert events == [("王", "edit", "verification", "pending", "confirmed"),
                      ("王", "edit", "rectification", "open", "in_progress")]
    assert set_finding(one, A["finding_id"], by="王", version=3, rectified_amount="12.5", due_date="2021/3/31")
    shown = get_finding(one, A["finding_id"])
    assert (shown["verification"], shown["rectification"], shown["rectified_amount"], shown["due_date"],
            shown["version"]) == ("属实", "整改中", 12.5, "2021-03-31", 5)
    with pytest.raises(BadDataError, match="unknown finding id"):
        get_finding(one, "0123456789abcdef")


SCRIPT = textwrap.dedent("""
    import sys, time
    import pandas as pd
    from kpt_audit.register import record
    from kpt_audit.register.store import open_register
    sys.path.insert(0, {tests!r})
    from register.helpers import finding, frame, tables

    def stall(self, session):
        session.flush()
        print("mid-write", flush=True)
        time.sleep(120)

    record.ChangeLog.write = stall
    with open_register({reg!r}) as register:
        record.record_run(register, frame(finding(entity="P2", project="P2")), as_of="2020-10-25",
                          tables=tables("P1", "P2"), by="killed")
""")


def test_a_run_killed_mid_write_leaves_the_register_as_before(one):
    from pathlib import Path

    tests = str(Path(__file__).resolve().parents[1])
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT.format(tests=tests, reg=one)], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "mid-write"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    with open_register(one, lock_timeout=10) as register, register.read() as s:
        assert s.scalar(select(func.count()).select_from(Run)) == 1
        assert [f.finding_id for f in s.scalars(select(Finding))] == [A["finding_id"]]
        assert s.get(Finding, A["finding_id"]).status == "new"
    # and the register takes the next writer at once
    with open_register(one, lock_timeout=5) as register:
        assert record_run(register, frame(A), as_of="2020-10-25", tables=tables("P1"), by="next").written
