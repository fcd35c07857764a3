"""Sampled findings marked for 核实 in the register (issue 13, item 4)."""
from __future__ import annotations

from sqlalchemy import select

from kpt_audit.cli import main
from kpt_audit.pipeline import audit_params, run_front
from kpt_audit.register.edit import set_finding
from kpt_audit.register.models import Event, Finding
from kpt_audit.register.record import record_front
from kpt_audit.register.store import open_register
from kpt_audit.sampling.workbook import read_plan

from .conftest import AS_OF


def registered(data, run, tmp_path):
    reg = tmp_path / "register.sqlite"
    record_front(reg, run_front(data, audit_params(None, AS_OF)), out_dir=run)
    return reg


def findings_of(reg):
    with open_register(reg, create=False) as register, register.read() as s:
        return {f.finding_id: f for f in s.scalars(select(Finding))}, list(s.scalars(select(Event)))


def test_sampled_findings_are_marked_once_and_verified_ones_kept(data, run, tmp_path, capsys):
    reg = registered(data, run, tmp_path)
    before, _ = findings_of(reg)
    plan_path = tmp_path / "plan.xlsx"
    args = ["sample", str(data), "--method", "mus", "--out", str(plan_path), "--as-of", AS_OF, "--population", "findings",
            "--findings", str(run), "--size", "12", "--seed", "4", "--register", str(reg)]
    # one sampled finding already verified by an auditor keeps its result
    assert main(args) == 0
    plan = read_plan(plan_path)
    sampled = list(plan.items["item_id"])
    verified = sampled[0]
    assert set_finding(reg, verified, by="审计组", verification="confirmed")

    after, events = findings_of(reg)
    rows = {item: (part, no) for item, part, no in zip(plan.items["item_id"], plan.items["part"], plan.items["no"])}
    for fid in sampled:
        part, no = rows[fid]
        sheet = "样本" if part == "sample" else "逐项审查"
        assert f"列入抽样核实：plan.xlsx {sheet} 第 {no + 1} 行（随机种子 4）" in after[fid].verification_note
        assert after[fid].verification == ("confirmed" if fid == verified else "pending")
    untouched = set(before) - set(sampled)
    assert all(after[f].verification_note == before[f].verification_note for f in untouched)
    marks = [e for e in events if e.source == "sample"]
    assert {e.finding_id for e in marks} == set(sampled) and all(e.field == "verification_note" for e in marks)
    out = capsys.readouterr().out
    assert f"{len(sampled)} 条问题已标记为抽样核实" in out

    # the same plan again: nothing new; the verified finding is left as it is
    assert main(args) == 0
    again, events_again = findings_of(reg)
    assert len([e for e in events_again if e.source == "sample"]) == len(marks)
    assert all(again[f].verification_note == after[f].verification_note for f in sampled)
    assert "0 条问题已标记为抽样核实；1 条已有核实结果" in capsys.readouterr().out


def test_register_needs_a_findings_sample(data, tmp_path, capsys):
    code = main(["sample", str(data), "--method", "mus", "--out", str(tmp_path / "p.xlsx"), "--as-of", AS_OF, "--size", "5",
                 "--register", str(tmp_path / "r.sqlite")])
    assert code == 2 and "--register 只能用于问题清单的抽样" in capsys.readouterr().err
    assert not (tmp_path / "r.sqlite").exists() and not (tmp_path / "p.xlsx").exists()


def test_a_register_that_does_not_exist_is_not_created(data, run, tmp_path, capsys):
    code = main(["sample", str(data), "--method", "mus", "--out", str(tmp_path / "p.xlsx"), "--as-of", AS_OF, "--population", "findings",
                 "--findings", str(run), "--size", "5", "--register", str(tmp_path / "none.sqlite")])
    assert code == 2 and not (tmp_path / "none.sqlite").exists()
    assert not (tmp_path / "p.xlsx").exists()  # nothing written when the register cannot be used
