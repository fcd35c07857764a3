"""The command line in one language: Chinese by default, English with --lang en or KPT_AUDIT_LANG=en.

Help of every sub-command, what the commands print, errors met first and `validate` on a messy folder:
in Chinese no English word is left but ids, codes, units, formats and file names (ALLOWED); in English
the English texts are there.
"""
import argparse
import re

import pytest

import kpt_audit.cli as cli
from kpt_audit.cli import main

# ASCII words a Chinese text may hold: file formats, encodings, standards, product and command names, the
# language codes, the environment variable's value, DataTables-free ids
ALLOWED = {"zh", "en", "csv", "xlsx", "parquet", "yaml", "ini", "json", "lines", "html", "excel", "ocds", "ocp",
           "utf", "gbk", "bom", "nul", "zip", "pdf", "h", "help", "synth", "validate", "check", "run", "demo",
           "checks",
           "plain", "auditor", "projects", "sqlite", "postgresql", "dask", "tcp"}
CORE_COMMANDS = ("synth", "validate", "check", "run", "demo", "ocds", "checks")


def english_words(out: str) -> list[str]:
    """Stand-alone ASCII words of ``out`` outside ALLOWED; quoted cell values, option names (--x-y),
    dotted or underscored names (truth.csv, loader.aliases, as_of, KPT_AUDIT_LANG) and codes with
    digits (DQ01, P003) are not words."""
    out = re.sub(r"'[^']*'", "", out)
    words = re.findall(r"(?<![\w./<>{-])[A-Za-z]+(?![\w./<>}-])", out)
    return [w for w in words if w.lower() not in ALLOWED]


@pytest.fixture
def core_only(monkeypatch):
    """The core commands' parser only: the register and sampling areas word their own sub-commands."""
    monkeypatch.setattr(cli, "COMMAND_MODULES", ())
    monkeypatch.delenv(cli.LANG_ENV, raising=False)


def help_of(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [(), *[(c,) for c in CORE_COMMANDS]], ids=lambda c: c[0] if c else "main")
def test_help_is_chinese_by_default_and_english_on_request(core_only, capsys, command):
    zh = help_of(capsys, *command)
    assert zh.startswith("用法：kpt-audit") and "显示本帮助并退出" in zh and "界面语言" in zh
    assert english_words(zh) == [], zh
    en = help_of(capsys, *command, "--lang", "en")
    assert en.startswith("usage: kpt-audit") and "show this help message and exit" in en and "language of" in en
    assert not re.search(r"[\u4e00-\u9fff]{4,}", re.sub(r"\(审计基准日\)|2020年9月30日|[\u4e00-\u9fff]+\.xlsx", "", en)), en


def test_every_option_of_the_core_commands_has_its_help_in_both_languages(core_only):
    for lang in ("zh", "en"):
        parser = cli._parser(lang)
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for name in CORE_COMMANDS:
            for action in commands.choices[name]._actions:
                assert action.help, (lang, name, action.dest)


def test_the_main_help_lists_each_command_in_chinese(core_only, capsys):
    out = help_of(capsys)
    for said in ("生成一套预置了异常的模拟数据", "读入并校验数据", "只运行审计检查", "为每个县区生成 HTML 报告",
                 "生成示范市的数据", "读入 OCDS 采购数据", "列出全部审计检查", "KPT_AUDIT_LANG=en"):
        assert said in out


def test_the_language_from_the_environment_and_lang_anywhere(core_only, capsys, monkeypatch):
    monkeypatch.setenv(cli.LANG_ENV, "en")
    assert help_of(capsys, "validate").startswith("usage: kpt-audit validate")
    assert help_of(capsys, "validate", "--lang", "zh").startswith("用法：kpt-audit validate")  # the option wins
    assert help_of(capsys, "--lang=zh", "validate").startswith("用法：")
    monkeypatch.setenv(cli.LANG_ENV, "fr")
    assert main(["checks"]) == 2
    assert capsys.readouterr().err.strip() == "kpt-audit: KPT_AUDIT_LANG 'fr'：语言只能是 zh（中文）或 en（英文）"
    monkeypatch.delenv(cli.LANG_ENV)
    assert main(["checks", "--lang", "de"]) == 2
    assert "--lang 'de'" in capsys.readouterr().err
    assert main(["checks", "--lang"]) == 2 and "--lang ''" in capsys.readouterr().err
    monkeypatch.setenv(cli.LANG_ENV, "")  # set but empty: as if unset
    assert help_of(capsys, "checks").startswith("用法：")


def test_argparse_errors_in_chinese_and_its_words_restored_after(core_only, capsys):
    before = argparse._
    with pytest.raises(SystemExit) as done:
        main(["check"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "用法：kpt-audit check" in err and "参数错误：缺少必需的参数：数据文件夹, --out" in err
    with pytest.raises(SystemExit):
        main(["synth", "x", "--counties", "many"])
    assert "无效的值 'many'（应为 int）" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "check"])
    assert "the following arguments are required: DATA, --out" in capsys.readouterr().err
    assert argparse._ is before


def messy_folder(folder):
    """An auditor's ledger as it comes: GBK, a title row above Chinese headers, an unparseable date, a status
    the loader does not know, a 合计 row and a 填表人 footer; and a funds file with an unknown 资金级次."""
    folder.mkdir()
    lines = ["项目台账（2023年）,,,,,,",
             "项目编码,项目名称,县区,项目状态,实际开工日期,总投资（万元）,备注",
             "P001,甲镇污水处理厂,东城区,在建,2023年3月1日,500,",
             'P002,乙镇垃圾中转站,东城区,建设中,2023-13-45,"1,200",',
             "P003,人民医院,西湖县,未开工,无,300,待核",
             "P003,重复项目,西湖县,未开工,,100,",
             "合计,,,,,900,",
             "填表人：张三,,,,,,"]
    (folder / "项目台账.csv").write_bytes("\n".join(lines).encode("gbk") + b"\n")
    (folder / "资金下达.csv").write_text("文号,项目编码,资金级次,下达日期,下达金额\nF1,P001,中央,2023-01-01,100\n"
                                      "F2,P001,国家,2023-01-01,50\nF3,P009,省级,2023-02-01,-5\n", encoding="utf-8-sig")
    (folder / "说明.txt").write_text("readme", encoding="utf-8")
    return folder


def test_validate_in_chinese(core_only, tmp_path, capsys):
    data = messy_folder(tmp_path / "data")
    assert main(["validate", str(data)]) == 1  # a duplicate key and an unknown 资金级次 are errors in the data
    out = capsys.readouterr().out
    for said in ("数据台账（读入行数 = 载入行数 + 拒收行数）",
                 "项目台账.csv  项目台账          读入        6  载入        3  拒收      3",
                 "文件编码 GBK/GB18030；表头在第 2 行（上方各行作为标题跳过）；1 个合计行按合计行剔除（第 7 行）",
                 "实际开工日期：1 个单元格写作 '无'，按空值处理", "计划总投资：万元换算为元（×10000，依据表头）",
                 "不是数据文件（.txt），已忽略",
                 "项目台账.csv：合计行（1）", "第 7 行  项目编码  '合计'", "项目台账.csv：表尾行（填表人、审核人等）（1）",
                 "项目台账.csv：主键重复：项目编码（1）", "第 6 行  项目编码  'P003'（首次出现在第 5 行）",
                 "项目台账.csv：日期无法识别；已置空并标为未知（1）", "第 4 行  实际开工日期  '2023-13-45'",
                 "可填：未开工（未开建、前期）、在建（续建、新开工、施工中）、竣工", "第 4 行  项目状态  '建设中'",
                 "资金下达.csv：不是可接受的值（可填：中央（中央预算内、中央级）、省级（省、省预算内）",
                 "资金下达.csv：项目编码在项目台账的项目编码中找不到；该行保留（1）", "资金下达.csv：金额为负数（退款或冲销？），保留（1）",
                 "未识别的列（按文本保留，检查不使用）", "项目台账：备注",
                 "无法读取的值（已置空并标为未知，不据此认定问题；DQ01 逐一列出）：1", "项目台账 实际开工日期：1",
                 "结论：因数据错误拒收 2 行；合计行、表尾行按其性质剔除 2 行"):
        assert said in out, said
    assert english_words(out) == [], out


def test_validate_in_english_keeps_the_codes(core_only, tmp_path, capsys):
    data = messy_folder(tmp_path / "data")
    assert main(["validate", str(data), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    for said in ("Data ledger (rows in = loaded + rejected)", "encoding gb18030; header on row 2",
                 "项目台账.csv - total row (1)", "row 7  project_id (项目编码)  '合计'",
                 "项目台账.csv - date value cannot be parsed; emptied and marked unknown (1)",
                 "unknown value (allowed: not_started, under_construction, completed, in_operation, suspended); "
                 "emptied",
                 "资金下达.csv - project_id not found in projects.project_id; row kept (1)",
                 "Outcome: 2 row(s) rejected for errors in the data; 2 total/footer row(s) rejected as such"):
        assert said in out, said
    assert not re.search(r"数据台账|拒收|无法识别|可填", out)


def test_check_writes_the_codes_and_prints_in_the_chosen_language(core_only, tmp_path, capsys):
    import pandas as pd

    data = messy_folder(tmp_path / "data")
    assert main(["check", str(data), "--out", str(tmp_path / "o"), "--as-of", "2023年12月31日"]) == 0
    err, out = capsys.readouterr()[::-1]
    assert err.splitlines()[0] == "审计基准日 2023-12-31 (来源: --as-of)"
    assert re.fullmatch(r"发现问题 \d+ 条（高 \d+、中 \d+、低 \d+）；未运行的检查 \d+ 项，部分对象未能判定的检查 \d+ 项；已写入 .+\n", out), out
    # the files keep the loader's codes, whatever the language
    rejections = pd.read_csv(tmp_path / "o" / "rejections.csv", encoding="utf-8-sig", dtype=str)
    assert {"total row", "footer row", "duplicate key project_id; first at row 5"} <= set(rejections["reason"])
    assert main(["check", str(data), "--out", str(tmp_path / "o2"), "--as-of", "2023-12-31", "--lang", "en"]) == 0
    err, out = capsys.readouterr()[::-1]
    assert err.splitlines()[0] == "Audit date 2023-12-31 (source: --as-of)"
    assert re.fullmatch(r"\d+ findings \(high \d+, medium \d+, low \d+\); \d+ checks not run, \d+ partly judged; written to .+\n", out)


@pytest.mark.parametrize("files, zh, en", [
    ({"项目台账.xls": b"x"}, "无法读取旧版 .xls 工作簿", "old .xls workbooks cannot be read"),
    ({"projects.csv": b""}, "文件是空的（0 字节）", "the file is empty (0 bytes)"),
    ({"projects.csv": b"PK\x03\x04rest"}, "这是压缩包（zip 或 xlsx），不是 CSV 文本文件", "the file is a zip/xlsx file"),
    ({"projects.xlsx": "项目编码,项目名称,县区\n".encode("utf-8")}, "这是文本文件，不是 Excel 工作簿", "is a text file"),
    ({"projects.csv": "项目编码\n".encode("utf-8"), "项目台账.csv": "项目编码\n".encode("utf-8")},
     "都是 projects 表。每张表只留一个文件", "both hold table projects"),
    ({"projects.csv": b"\xff\xfe\x00a\x00b"}, "文件含二进制数据", "the file contains binary data"),
])
def test_unreadable_files_in_the_chosen_language(core_only, tmp_path, capsys, files, zh, en):
    data = tmp_path / "data"
    data.mkdir()
    for name, content in files.items():
        (data / name).write_bytes(content)
    assert main(["validate", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kpt-audit: 数据有误：") and zh in err, err
    assert english_words(re.sub(r"(?<![\w.])/[^\s：，（）]+", "", err)) == [], err
    assert main(["validate", str(data), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kpt-audit: bad data: ") and en in err, err


@pytest.mark.parametrize("argv, zh, en", [
    (["check", "{data}", "--out", "{o}"], "没有审计基准日：请用 --as-of 日期 给出", "no audit date (审计基准日): give it"),
    (["check", "{data}", "--out", "{o}", "--as-of", "2020-09"], "--as-of '2020-09' 不是完整的日期",
     "--as-of '2020-09' is not a full date"),
    (["check", "{data}", "--out", "{o}", "--params", "{params}", "--as-of", "2020-09-30"],
     "：未知的参数 'checks.idle_monthz'（是否想写：idle_months", ": unknown parameter 'checks.idle_monthz' (did you mean"),
    (["check", "{data}", "--out", "{o}", "--params", "{missing}"], "找不到参数文件", "params file"),
    (["check", "{data}", "--out", "{o}", "--county", "北京", "--as-of", "2020-09-30"],
     "数据中没有县区 北京（--county）：数据中的县区为 东城区, 西湖县", "unknown county 北京 (--county): the data has"),
    (["run", "{data}", "--out", "{o}", "--jobs", "0"], "kpt-audit: --jobs 至少为 1",
     "kpt-audit: --jobs must be at least 1"),
    (["validate", "{empty}"], "kpt-audit: 数据有误：", "kpt-audit: bad data: no projects table in"),
    (["run", "{data}", "--out", "{o}", "--as-of", "2020-09-30", "--previous", "{empty}"],
     "该文件夹中没有 findings.csv", "no findings.csv there"),
    (["run", "{data}", "--out", "{o}", "--as-of", "2020-09-30", "--previous", "{empty}", "--register", "{reg}"],
     "--previous 与 --register 只能给一个", "give --previous or --register, not both"),
    (["check", "{data}", "--out", "{o}", "--as-of", "2020-09-30", "--scheduler", "调度器"],
     "不是 Dask 调度器地址", "not a Dask scheduler address"),
    (["ocds", "{missing}", "--out", "{o}", "--as-of", "2020-09-30"], "不存在。请给出 OCDS 文件",
     "does not exist. Give an OCDS file"),
    (["ocds", "{empty}", "--out", "{o}", "--as-of", "2020-09-30"], "中没有 OCDS 文件", "no OCDS file"),
    (["synth", "{o}", "--counties", "3"], "请给 4 到", "give 4 to"),
    (["ocds", "{empty}", "--out", "{o}", "--as-of", "2020-09-30", "--county-map", "{params}"],
     "县区对照文件", "county map"),
    (["validate", "{broken}"], "：项目台账 缺少必需的列：“项目名称”（project_name；可用的表头：",
     ": required column missing from table projects: 'project_name' (accepted headers:"),
])
def test_errors_met_first_in_the_chosen_language(core_only, tmp_path, capsys, argv, zh, en):
    data = messy_folder(tmp_path / "data")
    (tmp_path / "p.yaml").write_text("checks:\n  idle_monthz: 3\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "projects.csv").write_text("项目编码,项目名,县区\nP1,x,东城区\n", encoding="utf-8")
    names = {"data": data, "o": tmp_path / "o", "params": tmp_path / "p.yaml", "missing": tmp_path / "nope.yaml",
             "empty": tmp_path / "empty", "broken": tmp_path / "broken", "reg": tmp_path / "reg.sqlite"}
    argv = [a.format(**names) for a in argv]
    assert main(argv) in (1, 2)
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]  # after the audit date's line, when the command got that far
    assert zh in last and err.count("kpt-audit") == 1 and "Traceback" not in err
    assert english_words(re.sub(r"(?<![\w.])/[^\s：，（）]+", "", err)) == [], err  # paths aside, no English
    assert main([*argv, "--lang", "en"]) in (1, 2)
    assert en in capsys.readouterr().err


def test_a_chosen_language_is_also_the_outputs_language_over_the_params_file(core_only, tmp_path, capsys,
                                                                              monkeypatch):
    import pandas as pd

    data = messy_folder(tmp_path / "data")

    def titles(out, *extra):
        assert main(["check", str(data), "--out", str(tmp_path / out), "--as-of", "2023-12-31", *extra]) == 0
        capsys.readouterr()
        found = pd.read_csv(tmp_path / out / "findings.csv", encoding="utf-8-sig", dtype=str)
        assert len(found)
        return " ".join(found["title"])

    assert re.search(r"[\u4e00-\u9fff]", titles("zh"))                       # the params default: zh
    assert not re.search(r"[\u4e00-\u9fff]", titles("en", "--lang", "en"))
    english = tmp_path / "en.yaml"
    english.write_text("lang: en\n", encoding="utf-8")
    assert not re.search(r"[\u4e00-\u9fff]", titles("file", "--params", str(english)))   # no choice: the file's
    assert re.search(r"[\u4e00-\u9fff]", titles("over", "--params", str(english), "--lang", "zh"))
    monkeypatch.setenv(cli.LANG_ENV, "en")
    assert not re.search(r"[\u4e00-\u9fff]", titles("env"))


@pytest.mark.parametrize("yaml_text, zh, en", [
    ("checks:\n  idle_months: -1\n", "参数 'checks.idle_months' 不能为负数（-1）",
     "parameter 'checks.idle_months' must not be negative (-1)"),
    ("loader:\n  aliases:\n    projekte: {a: b}\n", "loader.aliases：未知的表 'projekte'（可用的表：projects",
     "loader.aliases: unknown table 'projekte' (tables: projects"),
    ("loader:\n  units:\n    projects: {budget: 千元}\n", "loader.units.projects.budget：未知的单位 '千元'（可用：亿元, 万元, 元）",
     "unknown unit '千元' (use one of 亿元, 万元, 元)"),
    ("a: &x 1\nb: *x\n", "参数文件中不允许使用 YAML 别名（*x）（第 2 行）", "YAML aliases (*x) are not allowed in params files"),
    ("checks:\n  retention_share:\n    - {from: 2020-01-01, to: 2020-12-31, basis: A, value: 0.03}\n"
     "    - {from: 2020-06-01, basis: B, value: 0.05}\n",
     "：第 1 个时段（2020-01-01 至 2020-12-31）与第 2 个时段（2020-06-01 至 …）重叠",
     ": periods 1 (2020-01-01 to 2020-12-31) and 2 (2020-06-01 to …) overlap"),
])
def test_params_file_errors_in_the_chosen_language(core_only, tmp_path, capsys, yaml_text, zh, en):
    data = messy_folder(tmp_path / "data")
    params = tmp_path / "p.yaml"
    params.write_text(yaml_text, encoding="utf-8")
    argv = ["check", str(data), "--out", str(tmp_path / "o"), "--params", str(params), "--as-of", "2023-12-31"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert zh in err and err.startswith(f"kpt-audit: {params}"), err
    assert main([*argv, "--lang", "en"]) == 2
    assert en in capsys.readouterr().err
