"""The kpt-audit command: exit codes, files written, determinism (small hand-made data)."""
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.cli import main

# the ids of checks.md revision 2, written out from the spec (there is no COS13)
SPEC_IDS = ([f"EXE0{i}" for i in range(1, 9)] + [f"PRC0{i}" for i in range(1, 7)]
            + [f"PRO{i:02d}" for i in range(1, 17)] + [f"COS{i:02d}" for i in range(1, 13)] + ["COS14"]
            + [f"PER0{i}" for i in range(1, 5)] + [f"SUB0{i}" for i in range(1, 6)] + ["EFF01", "DQ01", "DQ02"])


def small_dataset(folder):
    folder.mkdir()
    pd.DataFrame({
        "项目编码": ["P001", "P002", "P003"], "项目名称": ["甲镇污水处理厂", "乙镇垃圾中转站", "人民医院培训基地"],
        "县区": ["东城区", "东城区", "西湖县"], "项目类别": ["中央预算内", "中央预算内", "省级"],
        "资金下达年度": ["2019", "2019", "2020"], "计划开工日期": ["2019-03-01", "2019/5/1", "2020年3月1日"],
        "实际开工日期": ["", "2019-06-01", ""], "项目状态": ["未开工", "在建", "未开工"],
        "法定代表人身份证号": ["", "", ""],
    }).to_csv(folder / "项目台账.csv", index=False, encoding="gbk")
    pd.DataFrame({"资金编号": ["F1", "F2"], "项目编码": ["P001", "P002"], "资金级次": ["中央", "中央"],
                  "下达日期": ["2019-02-01", "2019-02-01"], "下达金额(万元)": ["500", "300"]}
                 ).to_csv(folder / "资金下达.csv", index=False, encoding="utf-8-sig")
    return folder


def test_checks_lists_every_check_of_the_spec(capsys):
    assert main(["checks", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == sorted(SPEC_IDS)
    for r in rows:
        assert r["basis"] and r["area"] and r["severity"] in ("high", "medium", "low")
        assert r["condition"]["zh"] and r["condition"]["en"] and r["amount"]["zh"] and r["title"]["zh"]
    dated = {r["id"]: r["event_date"] for r in rows if r["event_date"]}
    assert dated["PRO01"].startswith("tenders.notice_date") and dated["COS08"].startswith("projects.acceptance_date")
    # what each reads (interfaces.md: inputs): required and optional, none without either
    by_id = {r["id"]: r for r in rows}
    assert all(r["inputs"] or r["optional_inputs"] for r in rows if r["id"] != "DQ01")
    assert by_id["EXE02"]["inputs"]["funds"] and "tenders" in by_id["PRO01"]["optional_inputs"]


def test_validate_clean_and_broken(tmp_path, capsys):
    data = small_dataset(tmp_path / "data")
    assert main(["validate", str(data)]) == 0
    out = capsys.readouterr().out
    assert "项目台账.csv" in out
    broken = tmp_path / "broken"
    broken.mkdir()
    pd.DataFrame({"项目编码": ["P1"], "项目名": ["x"], "县区": ["东城区"]}).to_csv(broken / "projects.csv", index=False)
    assert main(["validate", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "project_name" in err and "projects.csv" in err and "Traceback" not in err


def test_validate_rejected_rows_exit_1(tmp_path, capsys):
    data = small_dataset(tmp_path / "data")
    pd.DataFrame({"资金编号": ["F1", "F2"], "项目编码": ["P001", "P002"], "资金级次": ["中央", "中央"],
                  "下达日期": ["2019-02-01", "2019-02-01"], "下达金额(万元)": ["500", "abc"]}
                 ).to_csv(data / "资金下达.csv", index=False, encoding="utf-8-sig")
    assert main(["validate", str(data)]) == 1
    assert "abc" in capsys.readouterr().out


def test_validate_says_what_it_did_with_each_revision_2_case_and_exits_0(tmp_path, capsys):
    """Issue 10: 1.2亿, 1,2,3万 in an optional column, a 合计 row, a footer row, one GBK line in a UTF-8
    file and a NUL byte: each is reported, and with only those validate exits 0."""
    data = tmp_path / "data"
    data.mkdir()
    lines = [
        "项目编码,项目名称,县区,总投资,初设概算".encode("utf-8"),
        "P001,甲镇污水处理厂,东城区,1.2亿,8000万".encode("utf-8"),           # row 2: 1.2亿
        'P002,乙镇垃圾中转站,东城区,500万,"1,2,3万"'.encode("utf-8"),       # row 3: 1,2,3万 in optional budget
        "P003,人民医院培训基地,西湖县,300万,".encode("gbk"),               # row 4: a GBK line
        "P004,城南道路\x00工程,西湖县,200万,".encode("utf-8"),             # row 5: a NUL byte
        "合计,,,,".encode("utf-8"),                                       # row 6: a total row
        "填表人：张三,,审核人：李四,,".encode("utf-8"),                      # row 7: a footer row
    ]
    (data / "projects.csv").write_bytes(b"\n".join(lines) + b"\n")
    assert main(["validate", str(data), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "in        6  loaded        4  rejected      2" in out
    assert "total_investment: unit written in the cell (元/万元/亿元) applied" in out
    assert "projects.csv - amount value cannot be parsed; emptied and marked unknown (1)" in out
    assert "row 3  budget (初设概算)  '1,2,3万'" in out
    assert "projects.csv - total row (1)" in out and "row 6  project_id (项目编码)  '合计'" in out
    assert "projects.csv - footer row (1)" in out and "row 7  project_id (项目编码)  '填表人：张三'" in out
    assert "decoded as GB18030 and kept (1)" in out and "row 4    'P003,人民医院培训基地,西湖县,300万,'  (line 4)" in out
    assert "NUL bytes removed, rest of the line kept (1)" in out and "(line 5)" in out
    assert "Unreadable values (emptied, kept as unknown: no finding rests on them; DQ01 lists each): 1" in out
    assert "projects.budget: 1" in out
    assert "0 row(s) rejected for errors in the data; 2 total/footer row(s) rejected as such" in out

    from kpt_audit.load import load_dataset

    ds = load_dataset(data)
    p = ds.tables["projects"]
    assert p["total_investment"].tolist() == [120_000_000.0, 5_000_000.0, 3_000_000.0, 2_000_000.0]
    assert p["project_name"].tolist()[2:] == ["人民医院培训基地", "城南道路工程"]
    assert ds.unknown.values.tolist() == [["projects", 1, "P002", "budget", "1,2,3万"]]

    # any other rejection still exits 1
    (data / "projects.csv").write_bytes(b"\n".join(lines + ["P001,重复,东城区,,".encode("utf-8")]) + b"\n")
    assert main(["--lang", "en", "validate", str(data)]) == 1
    assert "1 row(s) rejected for errors in the data; 2 total/footer row(s)" in capsys.readouterr().out


def test_check_writes_outputs_deterministically(tmp_path, capsys):
    data = small_dataset(tmp_path / "data")
    out1, out2 = tmp_path / "o1", tmp_path / "o2"
    assert main(["check", str(data), "--out", str(out1), "--as-of", "2020-09-25"]) == 0
    assert main(["check", str(data), "--out", str(out2), "--as-of", "2020-09-25"]) == 0
    for name in ("findings.csv", "not_run.csv", "data_quality.csv", "rejections.csv", "warnings.csv",
                 "metrics/exe_by_county.csv"):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name
    f = pd.read_csv(out1 / "findings.csv", encoding="utf-8-sig", dtype=str)
    assert (out1 / "findings.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # interfaces.md revision 2, in order
    assert list(f.columns) == ["finding_id", "finding_no", "check_id", "area", "severity", "county", "project_id",
                               "project_name", "entity_type", "entity_id", "entity_name", "amount", "title", "detail",
                               "basis", "status", "cause"]
    assert all(no == f"{c}-{i[:6]}" for no, c, i in zip(f["finding_no"], f["check_id"], f["finding_id"]))
    pairs = set(zip(f["check_id"], f["entity_id"]))
    assert ("EXE01", "P001") in pairs and ("EXE01", "P002") not in pairs
    manifest = json.loads((out1 / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2020-09-25"
    assert {i["sha256"] for i in manifest["inputs"]} and all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    nr = pd.read_csv(out1 / "not_run.csv", encoding="utf-8-sig")
    assert list(nr.columns) == ["check_id", "reason", "entities"]
    assert "PRO01" in set(nr["check_id"])


def test_check_county_filter_and_usage_errors(tmp_path, capsys):
    data = small_dataset(tmp_path / "data")
    out = tmp_path / "o"
    assert main(["check", str(data), "--out", str(out), "--county", "西湖县", "--as-of", "2020-09-25"]) == 0
    f = pd.read_csv(out / "findings.csv", encoding="utf-8-sig", dtype=str)
    assert set(f["county"]) == {"西湖县"}
    assert main(["check", str(data), "--out", str(out), "--county", "北京", "--as-of", "2020-09-25"]) == 2
    assert "北京" in capsys.readouterr().err
    bad = tmp_path / "p.yaml"
    bad.write_text("checks:\n  idle_monthz: 3\n", encoding="utf-8")
    assert main(["check", str(data), "--out", str(out), "--params", str(bad), "--as-of", "2020-09-25"]) == 2
    assert "idle_monthz" in capsys.readouterr().err


def test_missing_folder_is_bad_data(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), "--as-of", "2020-09-25"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"kpt-audit: 数据有误：数据文件夹 {tmp_path / 'nope'} 不存在。" in err
    assert main(["check", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), "--as-of", "2020-09-25",
                 "--lang", "en"]) == 1
    assert f"kpt-audit: bad data: dataset folder {tmp_path / 'nope'} does not exist." in capsys.readouterr().err


@pytest.mark.parametrize("command", ["check", "run", "ocds"])
def test_no_audit_date_is_a_usage_error_naming_both_ways(tmp_path, capsys, command):
    data = small_dataset(tmp_path / "data")
    out = tmp_path / "o"
    assert main([command, str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--as-of" in err and "as_of:" in err and "--params" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir()), "nothing is read or written without an audit date"


def test_audit_date_line_names_its_source(tmp_path, capsys):
    data = small_dataset(tmp_path / "data")
    assert main(["check", str(data), "--out", str(tmp_path / "o1"), "--as-of", "2020-09-25"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == "审计基准日 2020-09-25 (来源: --as-of)"
    params = tmp_path / "audit.yaml"
    params.write_text("as_of: 2020-06-30\n", encoding="utf-8")
    assert main(["check", str(data), "--out", str(tmp_path / "o2"), "--params", str(params)]) == 0
    assert capsys.readouterr().err.splitlines()[0] == f"审计基准日 2020-06-30 (来源: {params})"
    # --as-of wins over the file
    assert main(["check", str(data), "--out", str(tmp_path / "o3"), "--params", str(params),
                 "--as-of", "2020/9/25"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == "审计基准日 2020-09-25 (来源: --as-of)"


def test_as_of_in_chinese_is_accepted(tmp_path, capsys):
    data = small_dataset(tmp_path / "data")
    out = tmp_path / "o"
    assert main(["check", str(data), "--out", str(out), "--as-of", "2020年9月30日"]) == 0
    assert "审计基准日 2020-09-30 (来源: --as-of)" in capsys.readouterr().err
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["as_of"] == "2020-09-30"


@pytest.mark.parametrize("bad", ["2020-13-01", "2020-09", "30/9/2020", "soon"])
def test_bad_as_of_is_a_usage_error_blaming_the_option(tmp_path, capsys, bad):
    data = small_dataset(tmp_path / "data")
    assert main(["check", str(data), "--out", str(tmp_path / "o"), "--as-of", bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kpt-audit: --as-of {bad!r} 不是完整的日期：请写成 2020-09-30、2020/9/30 或 2020年9月30日")
    assert "default.yaml" not in err and len(err.strip().splitlines()) == 1
    assert main(["--lang", "en", "check", str(data), "--out", str(tmp_path / "o"), "--as-of", bad]) == 2
    assert capsys.readouterr().err.startswith(f"kpt-audit: --as-of {bad!r} is not a full date")


def test_synth_keeps_its_own_date_and_reads_as_of_like_the_others(tmp_path, capsys):
    assert main(["synth", str(tmp_path / "a"), "--counties", "4", "--projects", "40"]) == 0
    assert main(["synth", str(tmp_path / "b"), "--counties", "4", "--projects", "40", "--as-of", "2020年9月25日"]) == 0
    assert (tmp_path / "a" / "projects.csv").read_bytes() == (tmp_path / "b" / "projects.csv").read_bytes()
    assert main(["synth", str(tmp_path / "c"), "--as-of", "2020-09"]) == 2
    assert "--as-of" in capsys.readouterr().err


def test_synth_says_when_it_writes_more_projects_than_asked_and_refuses_a_negative_seed(tmp_path, capsys):
    assert main(["--lang", "en", "synth", str(tmp_path / "a"), "--counties", "4", "--projects", "40"]) == 0
    err = capsys.readouterr().err
    written = len((tmp_path / "a" / "projects.csv").read_text(encoding="utf-8-sig").splitlines()) - 1
    assert "--projects 40 is fewer than the planted cases need" in err and f"at least {written} were written" in err
    assert main(["synth", str(tmp_path / "b"), "--counties", "4", "--projects", str(written)]) == 0
    assert "fewer" not in capsys.readouterr().err
    assert main(["synth", str(tmp_path / "c"), "--seed", "-1"]) == 2
    assert "--seed -1" in capsys.readouterr().err and not (tmp_path / "c").exists()


def test_an_unexpected_error_is_exit_5_in_one_paragraph_without_traceback(tmp_path, capsys, monkeypatch):
    import kpt_audit.cli as cli

    def boom(args):
        raise RuntimeError("something broke\nsecond line")

    monkeypatch.setitem(cli.COMMANDS, "checks", boom)
    assert main(["checks"]) == 5
    err = capsys.readouterr().err
    assert "RuntimeError: something broke" in err and "Traceback" not in err and "second line" not in err
    assert len(err.strip().splitlines()) == 1 and "--debug" in err
    # with --debug the traceback too, and the same exit code
    assert main(["--debug", "checks"]) == 5
    err = capsys.readouterr().err
    assert "Traceback" in err and "second line" in err and "RuntimeError: something broke" in err
    # after the sub-command too, where a user adding it to the command that failed puts it
    assert main(["checks", "--debug"]) == 5 and "Traceback" in capsys.readouterr().err


def test_debug_keeps_a_usage_errors_exit_code(tmp_path, capsys):
    (tmp_path / "projects.csv").write_text("project_id,project_name,county\nP1,a,甲县\n", encoding="utf-8")
    assert main(["--debug", "check", str(tmp_path), "--out", str(tmp_path / "o")]) == 2  # no audit date
    assert "Traceback" in capsys.readouterr().err


def test_exit_codes_follow_the_interfaces_table():
    from kpt_audit.errors import (BadDataError, ExitCode, LoadError, MissingAsOfError, ParamsError, SettingsError,
                                  UsageError)

    assert [(c.name, int(c)) for c in ExitCode] == [("OK", 0), ("BAD_DATA", 1), ("USAGE", 2), ("SOME_FAILED", 3),
                                                    ("REGISTER_CONFLICT", 4), ("INTERNAL", 5)]
    for error in (UsageError, ParamsError, MissingAsOfError, SettingsError):
        assert error.exit_code == ExitCode.USAGE
    for error in (BadDataError, LoadError):
        assert error.exit_code == ExitCode.BAD_DATA


def test_only_the_command_line_prints_errors_and_chooses_exit_codes():
    """Library code raises or returns results; exit codes are defined once (kpt_audit.errors.ExitCode)."""
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "kpt_audit"
    # entry points of their own (python -m ...): the benchmark and docs scripts, the notebook worker process
    own_entry_points = {"cli.py", "batch_worker.py", "bench.py", "bench_ocds.py", "bench_reports.py", "bench_scale.py",
                        "docs.py"}
    # the areas whose sub-commands kpt_audit.cli parses beside their work are part of the command line
    from kpt_audit.cli import COMMAND_MODULES

    command_modules = {f"{area}/commands.py" for area in COMMAND_MODULES}
    offenders = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*EXIT_[A-Z_]+\s*=", text, re.MULTILINE):
            offenders.append(f"{path.name}: defines EXIT_* constants")
        if path.name in own_entry_points or path.relative_to(package).as_posix() in command_modules:
            continue
        if re.search(r"\bsys\.exit\(|\bprint\(", text):
            offenders.append(f"{path.relative_to(package)}: prints or exits")
    assert offenders == []


def test_a_broken_pipe_ends_quietly(tmp_path):
    """`kpt-audit checks --json | head -1`: no 'internal error' when the reader closes the pipe
    (the listing is larger than a pipe's buffer, so the writer does meet the closed pipe)."""
    import subprocess

    exe = Path(sys.executable).with_name("kpt-audit")
    done = subprocess.run(f"'{exe}' checks --json | head -1", shell=True, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout == "[\n"
    assert "error" not in done.stderr.lower(), done.stderr


def test_checks_listing_in_chinese_by_default(capsys):
    assert main(["checks"]) == 0
    out = capsys.readouterr().out
    assert "\nEXE01  " in out
    first = out.splitlines()[0]
    assert "[投资控制与资金支付 · 中]" in first and "参数" in first and "依据" in first
    assert "判定条件" in out and "Finding when" not in out and "inputs:" not in out
    assert "    读取: projects(project_id, estimate, budget)  可选: projects(design_approval_date)" in out
    assert main(["checks", "--lang", "en"]) == 0
    assert "[Cost control and payments · Medium]" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["check", "DATA", "--as-of", "2020-09-25"], ["synth"], ["ocds", "DATA"]])
def test_an_out_that_is_a_file_is_a_usage_error(tmp_path, capsys, command):
    data = tmp_path / "data"
    data.mkdir()
    (data / "projects.csv").write_text("project_id,project_name,county\nP1,a,甲县\n", encoding="utf-8")
    taken = tmp_path / "a-file"
    taken.write_text("keep me", encoding="utf-8")
    argv = [str(data) if part == "DATA" else part for part in command]
    argv = [argv[0], str(taken), *argv[1:]] if argv[0] == "synth" else [*argv, "--out", str(taken)]
    assert main(["--lang", "en", *argv]) == 2
    assert "a file, not a folder" in capsys.readouterr().err and taken.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("command, wants", [
    (["register", "bulletin", "REG"], "folder"),
    (["register", "export", "REG"], "file"),
    (["sample", "DATA", "--method", "mus", "--as-of", "2020-09-25", "--tolerable", "1000", "--seed", "1"], "file"),
])
def test_an_out_of_the_other_kind_is_a_usage_error_before_any_work(tmp_path, capsys, command, wants):
    """register bulletin writes a folder, register export and sample one workbook: the other kind already
    there is exit 2 naming it (was an internal error, exit 5, half-way)."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "projects.csv").write_text("project_id,project_name,county,total_investment\nP1,a,甲县,100\n",
                                       encoding="utf-8")
    reg = tmp_path / "reg.sqlite"
    taken = tmp_path / ("a-file" if wants == "folder" else "a-folder")
    if wants == "folder":
        taken.write_text("keep me", encoding="utf-8")
    else:
        taken.mkdir()
    argv = [{"DATA": str(data), "REG": str(reg)}.get(part, part) for part in command]
    assert main(["--lang", "en", *argv, "--out", str(taken)]) == 2
    said = "a file, not a folder" if wants == "folder" else "a folder, not a file"
    assert said in capsys.readouterr().err and not reg.exists()
    assert taken.read_text(encoding="utf-8") == "keep me" if wants == "folder" else not any(taken.iterdir())
