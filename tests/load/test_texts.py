"""The loader's reasons and notes: written as English codes, shown in Chinese by dq_text (kpt_audit.load.texts)."""
import re

import pandas as pd
import pytest

from kpt_audit.dataset import SUMMARY_REASONS
from kpt_audit.load import load_dataset
from kpt_audit.load.texts import VALUE_KEYS, allowed_text, column_text, dq, dq_text, ledger_in, value_text
from kpt_audit.messages import CATALOGUE, text
from kpt_audit.schema.tables import TABLES

STATUS_CODES = ", ".join(TABLES["projects"].column("status").enum_values)
# a value for every field a dq.* template has, as the loader would write it
SAMPLE = {"n": 3, "row": 5, "line": 7, "r1": 4, "r2": 6, "col": 2, "kind": "date", "column": "actual_start",
          "later": "actual_start", "earlier": "approval_date", "columns": "project_id", "parent": "projects",
          "parent_column": "project_id", "allowed": STATUS_CODES, "encoding": "gb18030", "unit": "万元",
          "header_unit": "元", "factor": "10000", "source": "header", "rows": "8, 9", "lines": "1, 2 and 3 more",
          "words": "'无'", "note": "thousands separators removed", "headers": "备注", "delimiter": "TAB",
          "sheet": "Sheet1", "formula": "SUM(A1:A3)", "suffix": "no extension", "shown": "1, 2"}
PIECES = sorted(k for k in CATALOGUE if k.startswith("dq.") and k not in VALUE_KEYS)


def english_left(shown: str) -> list[str]:
    """English words left in a Chinese text, apart from file formats, encodings and what the data holds."""
    shown = re.sub(r"'[^']*'|“[^”]*”|=\S+", "", shown)
    words = re.findall(r"(?<![\w./-])[A-Za-z]+(?![\w./-])", shown)
    return [w for w in words if w.lower() not in {"utf", "gbk", "gb", "bom", "nul", "excel", "docs"}]


@pytest.mark.parametrize("key", PIECES)
def test_every_piece_reads_back_into_chinese(key):
    fields = re.findall(r"\{(\w+)\}", CATALOGUE[key]["en"])
    written = dq(key[3:], **{f: SAMPLE[f] for f in fields})
    shown = dq_text(written, "zh", "projects")
    assert shown != written and english_left(shown) == [], (written, shown)
    assert dq_text(written, "en", "projects") == written


def test_values_are_shown_the_chinese_way():
    assert dq_text("date order: actual_start before approval_date; row kept", table="projects") == \
        "日期顺序不对：实际开工日期早于立项批复日期；该行保留"
    assert dq_text("project_id not found in projects.project_id; row kept", table="funds") == \
        "项目编码在项目台账的项目编码中找不到；该行保留"
    assert dq_text("budget: 万元 -> 元 (x10000, params loader.units)", table="projects") == \
        "初设概算：万元换算为元（×10000，依据参数文件 loader.units）"
    assert dq_text("NUL bytes removed from 12 line(s): 1, 2, 3 and 9 more") == \
        "12 行删除了空字节（NUL）：第 1、2、3 行等（另有 9 行）"
    assert dq_text("delimiter TAB") == "分隔符 制表符" and dq_text("encoding utf-8-sig") == "文件编码 UTF-8（带 BOM）"
    # a required date that cannot be parsed is not the optional one
    assert dq_text("required date value cannot be parsed") == "必填的日期无法识别"


def test_a_date_order_value_names_the_column_in_chinese():
    reason = dq("date_order", later="operation_date", earlier="acceptance_date") + "; " + dq("row_kept")
    assert value_text("2019-05-29 < acceptance_date 2019-06-28", reason, "zh", "projects") == \
        "2019-05-29 < 竣工验收日期 2019-06-28"
    assert value_text("2019-05-29 < acceptance_date 2019-06-28", reason, "en", "projects") == \
        "2019-05-29 < acceptance_date 2019-06-28"
    assert value_text("a < b c", "total row", "zh", "projects") == "a < b c"  # only a date-order warning's


def test_columns_allowed_values_and_tables():
    assert column_text("status (项目状态)", "zh", "projects") == "项目状态"     # the header the file used
    assert column_text("status", "zh", "projects") == "项目状态"               # else the Chinese header
    assert column_text("amount", "zh", "payments") == TABLES["payments"].column("amount").label_zh
    assert column_text("amount", "zh") == "amount"                           # which table's? left as written
    assert column_text("(column 3)", "zh") == "（第 3 列）" and column_text("备注", "zh") == "备注"
    assert column_text("status (项目状态)", "en", "projects") == "status (项目状态)"
    assert allowed_text(STATUS_CODES).startswith("未开工（未开建、前期）、在建（续建、新开工、施工中）、竣工")
    assert allowed_text(STATUS_CODES, "en") == STATUS_CODES


def test_pieces_no_template_matches_stay_and_a_value_may_hold_the_separator():
    assert dq_text("encoding gb18030; something else; header on row 2 (rows above skipped as titles)") == \
        "文件编码 GBK/GB18030；something else；表头在第 2 行（上方各行作为标题跳过）"
    assert dq_text(dq("extra_columns", headers="甲; 乙")) == "未识别的列按文本保留：甲；乙"
    assert dq_text("") == "" and dq_text(None) == "" and dq_text(float("nan")) == ""


def test_the_loader_writes_codes_and_every_one_reads_back(tmp_path):
    """A messy folder: every reason and note the loader writes is shown in Chinese without English left,
    while the dataset keeps the English codes (SUMMARY_REASONS among them)."""
    lines = ["项目台账,,,,,", "项目编码,项目名称,县区,项目状态,实际开工日期,总投资（万元）,备注",
             "P001,甲,东城区,在建,2023年3月1日,500,", 'P002,乙,东城区,建设中,2023-13-45,"1,200",',
             "P002,丙,西湖县,未开工,无,300,x", ",,,,,,", "P004,,西湖县,在建,,(5),", "合计,,,,,900,", "填表人：张三,,,,,,"]
    (tmp_path / "项目台账.csv").write_bytes("\n".join(lines).encode("gbk") + b"\n")
    (tmp_path / "资金下达.csv").write_text("文号\t项目编码\t资金级次\t下达日期\t下达金额\n"
                                       "F1\tP009\t中央\t1900-01-01\t-5\nF3\tP001\t国家\t2020-01-01\t5\n"
                                       "F2\tP001\t中央\t2020-01-01\t5\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    ds = load_dataset(tmp_path)
    assert set(SUMMARY_REASONS) <= set(ds.rejections["reason"])
    tables = dict(zip(ds.ledger["file"], ds.ledger["table"]))
    written = [(r.reason, tables[r.file]) for r in pd.concat([ds.rejections, ds.warnings]).itertuples()]
    written += [(n, t) for n, t in zip(ds.ledger["notes"], ds.ledger["table"]) if n]
    assert len(written) >= 10
    for said, table in written:
        shown = dq_text(said, "zh", table or None)
        assert re.search(r"[\u4e00-\u9fff]", shown) and english_left(shown) == [], (said, shown)


def test_ledger_in_translates_the_notes_for_the_report():
    ledger = pd.DataFrame({"file": ["项目台账.csv", "readme.txt"], "rows_in": [1, 0], "rows_loaded": [1, 0],
                           "rows_rejected": [0, 0],
                           "notes": ["encoding gb18030; status: 2 cell(s) written as '-' read as empty",
                                     "not a data file (.txt), ignored"]})
    shown = ledger_in(ledger, "zh")
    assert shown["notes"].tolist() == ["文件编码 GBK/GB18030；项目状态：2 个单元格写作 '-'，按空值处理",
                                       "不是数据文件（.txt），已忽略"]
    assert ledger_in(ledger, "en") is ledger and ledger["notes"][1] == "not a data file (.txt), ignored"
    assert text("dq.total_row", "en") == "total row"  # the code the outputs and SUMMARY_REASONS hold


def test_every_catalogue_text_of_the_command_line_loader_and_errors_renders_in_both_languages():
    """Both languages of every cli.*, err.*, dq.* and validate.* entry format with their fields (no stray
    brace, no field of one language the caller cannot give), and the Chinese one is Chinese."""
    import string

    for key, entry in CATALOGUE.items():
        if not key.startswith(("cli.", "err.", "dq.", "validate.", "kind.", "type.")):
            continue
        fields = {}
        for lang in ("zh", "en"):
            for _, name, spec, _ in string.Formatter().parse(entry[lang]):
                if name:
                    fields[name] = 1 if spec else "x"
        for lang in ("zh", "en"):
            assert text(key, lang, **fields), key
        literal = re.sub(r"\{[^}]*\}|kpt-audit", "", entry["zh"])
        if key.startswith(("err.", "dq.", "validate.", "cli.")) and re.search(r"[A-Za-z]{3,}", literal):
            assert re.search(r"[\u4e00-\u9fff]", literal), key


def test_validate_names_the_table_of_a_file_named_in_english(tmp_path):
    from kpt_audit.load import format_report

    (tmp_path / "projects.csv").write_text("project_id,project_name,county,status\nP1,甲,东城区,建设中\n",
                                           encoding="utf-8")
    shown = format_report(load_dataset(tmp_path), lang="zh")
    assert "projects.csv（项目台账）：不是可接受的值（可填：未开工" in shown and "第 2 行  项目状态  '建设中'" in shown
    assert "projects.csv - unknown value" in format_report(load_dataset(tmp_path), lang="en")
