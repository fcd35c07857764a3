"""``kpt-audit sample`` and ``kpt-audit sample evaluate`` end to end on a small synthetic dataset: exit codes
and messages of interfaces.md (revision 2)."""
from __future__ import annotations

import re

import pytest

from kpt_audit.cli import main

from .conftest import AS_OF, fill


def sample(capsys, *args):
    code = main(["sample", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_mus_plan_then_evaluate(data, tmp_path, capsys):
    plan = tmp_path / "plan.xlsx"
    code, out, err = sample(capsys, data, "--method", "mus", "--out", plan, "--as-of", AS_OF, "--tolerable", "50,000,000",
                            "--expected", "5000000", "--seed", 7)
    assert code == 0, err
    assert f"审计基准日 {AS_OF}" in err
    assert "货币单位抽样（MUS）：资金支付 共" in out and "随机种子 7" in out
    code, out, err = sample(capsys, "evaluate", plan)
    assert code == 1 and re.search(r"\d+ 项没有审定金额（第 2、3、4、5、6 行，另有 \d+ 行）", err)  # none filled in yet
    done = fill(plan, tmp_path / "done.xlsx")
    code, out, err = sample(capsys, "evaluate", done)
    assert code == 0, err
    assert "发现高估差错 0 项" in out and "错报上限（Stringer 界）" in out and "可以接受总体" in out
    code, out, err = sample(capsys, "evaluate", done, "--lang", "en")
    assert code == 0 and "Upper misstatement limit (Stringer bound)" in out and "can be accepted" in out


def test_same_seed_same_bytes_other_seed_other_sample(data, tmp_path, capsys):
    options = ["--as-of", AS_OF, "--population", "contracts", "--size", 40]
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        assert sample(capsys, data, "--method", "mus", "--out", tmp_path / f"{name}.xlsx", "--seed", seed, *options)[0] == 0
    a, b, c = ((tmp_path / f"{n}.xlsx").read_bytes() for n in "abc")
    assert a == b and a != c


def test_stratified_projects_by_county_and_risk_from_a_run(data, run, tmp_path, capsys):
    plan = tmp_path / "s.xlsx"
    code, out, err = sample(capsys, data, "--out", plan, "--as-of", AS_OF, "--method", "stratified",
                            "--population", "projects", "--findings", run, "--size", 30, "--allocation", "equal",
                            "--seed", 1)
    assert code == 0, err
    assert "分层随机抽样：项目（计划总投资） 共" in out
    done = fill(plan, tmp_path / "done.xlsx")
    code, out, err = sample(capsys, "evaluate", done)
    assert code == 0, err
    assert "各层结果" in out and "推断总体错报：0.00 元" in out


def test_findings_population_needs_a_run(data, tmp_path, capsys):
    code, _, err = sample(capsys, data, "--method", "mus", "--out", tmp_path / "p.xlsx", "--as-of", AS_OF, "--population", "findings",
                          "--size", 5)
    assert code == 2 and "--population findings 需要 --findings 运行目录" in err


def test_findings_population(data, run, tmp_path, capsys):
    code, out, err = sample(capsys, data, "--method", "mus", "--out", tmp_path / "f.xlsx", "--as-of", AS_OF, "--population", "findings",
                            "--findings", run, "--size", 10, "--seed", 2)
    assert code == 0, err
    assert "问题清单（涉及金额） 共" in out


@pytest.mark.parametrize("args, message", [
    (["--confidence", "1.5", "--size", "10"], "--confidence '1.5' 不在 (0, 1) 之内"),
    (["--confidence", "0", "--size", "10"], "--confidence '0' 不在 (0, 1) 之内"),
    (["--tolerable", "1000000", "--expected", "1000000"], "可容忍错报 --tolerable 1,000,000.00 元必须大于预期错报"),
    (["--tolerable", "lots"], "--tolerable 'lots' 不是金额"),
    ([], "请给出 --tolerable 金额"),
    (["--size", "10", "--county", "无此县"], "数据中没有县区 无此县"),
    (["--lang", "en", "--confidence", "1.5", "--size", "10"], "--confidence '1.5' is outside (0, 1)"),
    (["--lang", "en", "--tolerable", "100", "--expected", "200"], "--tolerable 100.00 must be above --expected 200.00"),
])
def test_bad_options_exit_2_with_one_clear_message(data, tmp_path, capsys, args, message):
    code, _, err = sample(capsys, data, "--method", "mus", "--out", tmp_path / "p.xlsx", "--as-of", AS_OF, *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "p.xlsx").exists()


def test_a_plan_needs_its_method(data, tmp_path, capsys):
    code, _, err = sample(capsys, data, "--out", tmp_path / "p.xlsx", "--as-of", AS_OF, "--size", 10)
    assert code == 2 and "请用 --method mus（货币单位抽样）或 --method stratified（分层随机抽样）" in err
    assert not (tmp_path / "p.xlsx").exists()


def test_no_audit_date_exits_2(data, tmp_path, capsys):
    code, _, err = sample(capsys, data, "--method", "mus", "--out", tmp_path / "p.xlsx", "--size", 10)
    assert code == 2 and "--as-of" in err


def test_evaluate_forms(tmp_path, capsys):
    assert sample(capsys, "evaluate")[0] == 2
    assert sample(capsys, "evaluate", tmp_path / "none.xlsx")[0] == 1
    code, _, err = sample(capsys, "somewhere")
    assert code == 2 and "请用 --out 方案.xlsx 指定" in err


def test_a_plan_edited_into_nonsense_exits_1(data, tmp_path, capsys):
    plan = tmp_path / "plan.xlsx"
    assert sample(capsys, data, "--method", "mus", "--out", plan, "--as-of", AS_OF, "--size", 20, "--seed", 5)[0] == 0
    done = fill(plan, tmp_path / "t.xlsx", lambda s, r, b: "见附件" if r == 3 else b)
    code, _, err = sample(capsys, "evaluate", done)
    assert code == 1
    assert "数据有误" in err and "工作表 样本 第 3 行，审定金额（元） 列：'见附件' 不是数字" in err
    code, _, err = sample(capsys, "evaluate", done, "--lang", "en")
    assert code == 1 and "bad data" in err and "sheet Sample" not in err and "'见附件' is not a number" in err


def test_the_plan_records_the_parameters_in_force(data, tmp_path, capsys):
    """interfaces.md: the plan records every parameter -- the params file too, which decides book values (a
    column's unit) and the strata's risk: same file and values, same record; other values, another digest."""
    from kpt_audit.sampling.workbook import read_plan

    units = tmp_path / "units.yaml"
    units.write_text("as_of: 2020-09-30\nloader:\n  units:\n    contracts:\n      amount: 万元\n", encoding="utf-8")
    common = ["--method", "mus", "--population", "contracts", "--size", 5, "--seed", 1]
    assert sample(capsys, data, *common, "--out", tmp_path / "plain.xlsx", "--as-of", AS_OF)[0] == 0
    assert sample(capsys, data, *common, "--out", tmp_path / "again.xlsx", "--as-of", AS_OF)[0] == 0
    assert sample(capsys, data, *common, "--out", tmp_path / "units.xlsx", "--params", units)[0] == 0
    plain, again, in_wan = (read_plan(tmp_path / f"{n}.xlsx").parameters for n in ("plain", "again", "units"))
    assert plain["params_sha256"] == again["params_sha256"] and len(plain["params_sha256"]) == 64
    assert in_wan["params_file"] == str(units) and in_wan["params_sha256"] != plain["params_sha256"]
