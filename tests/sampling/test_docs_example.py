"""The worked example of docs/sampling.md (section 5) is what the tool gives on the demo data."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kpt_audit.cli import main
from kpt_audit.synth.demo import DEMO_AS_OF, write_demo

DOC = (Path(__file__).resolve().parents[2] / "docs" / "sampling.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("demo") / "data")


def between(text: str, start: str) -> str:
    """The code block of the doc that follows the line ``start``."""
    block = text.split(start, 1)[1].split("```", 2)[1]
    return block.strip("\n")


def test_the_mus_example(demo, tmp_path, capsys):
    plan = tmp_path / "东城区支付抽样.xlsx"
    assert main(["sample", str(demo), "--method", "mus", "--out", str(plan), "--as-of", DEMO_AS_OF,
                 "--county", "东城区", "--tolerable", "180000000", "--expected", "18000000", "--seed", "20201001"]) == 0
    out = capsys.readouterr().out
    planned = between(DOC, "    --tolerable 180000000 --expected 18000000 --seed 20201001\n```\n").replace("\n", "")
    assert out.strip() == planned.replace("东城区支付抽样.xlsx", str(plan))

    book = openpyxl.load_workbook(plan)
    sheet = book["样本"]
    first = [c.value for c in sheet[2]]
    assert first[1] == "ZF33010200000028" and first[4] == "东城区人民医院门诊综合楼建设项目"
    assert (first[5], first[6], first[7], first[9]) == (1744055.48, 29318115.1, "资金支付.csv", 29)
    assert "ZF33010200000028（东城区人民医院门诊综合楼建设项目，1,744,055.48 元）" in DOC
    assert "来源“资金支付.csv 第 29 行”，抽样点 29,318,115.10 元" in DOC

    wrong = {4: ("ZF33010200000125", 4562922.77, 2281461.38), 11: ("ZF33010200000375", 9600716.05, 7680572.84)}
    for r, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        if r in wrong:
            item, booked, audited = wrong[r]
            assert (row[1].value, row[5].value) == (item, booked)
            assert f"{item} 账面 {booked:,.2f} 元" in DOC and f"{audited:,.2f} 元" in DOC
            row[10].value = audited
        else:
            row[10].value = row[5].value
    done = tmp_path / "东城区支付抽样_已核实.xlsx"
    book.save(done)
    assert main(["sample", "evaluate", str(done)]) == 0
    assert capsys.readouterr().out.strip() == between(DOC, "kpt-audit sample evaluate 东城区支付抽样_已核实.xlsx\n```\n")


def test_the_stratified_example(demo, tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["check", str(demo), "--out", str(run), "--as-of", DEMO_AS_OF]) == 0
    plan = tmp_path / "strata.xlsx"
    assert main(["sample", str(demo), "--out", str(plan), "--as-of", DEMO_AS_OF, "--county", "东城区",
                 "--method", "stratified", "--population", "projects", "--findings", str(run), "--size", "12",
                 "--seed", "20201001"]) == 0
    strata = [[c.value for c in row] for row in openpyxl.load_workbook(plan)["分层"].iter_rows(min_row=2)]
    assert [(s[2], s[3], s[6]) for s in strata] == [("高", 8, 2), ("中", 8, 2), ("低", 1, 1), ("无问题", 63, 10)]
    assert "80 个项目分为 4 层（高 8 项、中 8 项、低 1 项、无问题 63 项）" in DOC and "共抽 15 项" in DOC
    assert "共 80 项" in capsys.readouterr().out
