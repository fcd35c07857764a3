import json
import re

import pandas as pd

from kpt_audit.findings import FINDING_COLUMNS
from kpt_audit.report import tables
from kpt_audit.report.tables import TABLE_OPTIONS, display_frame, table_html


def _dt_args(html_text: str) -> dict:
    return json.loads(re.search(r"let dt_args = (\{.*?\});", html_text, re.S).group(1))


def test_cells_are_escaped_and_html_not_allowed():
    assert TABLE_OPTIONS["allow_html"] is False
    df = pd.DataFrame({"title": ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"], "amount": [1.0, 2.0]})
    html_text = table_html(df)
    assert "<script>alert(1)" not in html_text and "<img src=x" not in html_text
    rows = json.loads(_dt_args(html_text)["data_json"])
    assert rows[0][0] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_every_row_is_kept():
    df = pd.DataFrame({"entity_id": [f"E{i:05d}" for i in range(3000)], "detail": ["很长的说明" * 20] * 3000})
    rows = json.loads(_dt_args(table_html(df))["data_json"])
    assert len(rows) == 3000 and rows[-1][0] == "E02999"
    assert TABLE_OPTIONS["maxBytes"] == 0


def test_findings_headers_are_chinese_and_amounts_in_wan():
    df = pd.DataFrame([{c: f"v{c}" for c in FINDING_COLUMNS}]).assign(amount=[1_234_567.0], severity="high")
    shown = display_frame(df, "zh")
    assert list(shown.columns) == ["编号", "问题编号", "检查项", "领域", "严重程度", "县区", "项目编码", "项目名称",
                                   "对象类型", "对象编码", "对象名称", "金额(万元)", "问题", "详情", "依据", "状态",
                                   "未再发现原因"]
    assert shown["金额(万元)"].iloc[0] == 123.46 and shown["严重程度"].iloc[0] == "高"
    html_text = table_html(df)
    assert "项目编码" in html_text and "金额(万元)" in html_text  # literal Chinese, not \\u escapes
    amount = json.loads(_dt_args(html_text)["data_json"])[0][11]
    assert amount == ["123.46", 123.46]  # two decimals shown, the number kept for sorting


def test_rates_in_percent_missing_values_blank():
    df = pd.DataFrame({"start_rate": [0.625, None, 0.7024715], "started": pd.array([5, None, 1], dtype="Int64"),
                       "notes": ["x", None, None]})
    rows = json.loads(_dt_args(table_html(df, lang="en"))["data_json"])
    assert rows[0][0] == ["62.50", 62.5]
    assert rows[2][0] == ["70.25", 70.25]  # the figure's two decimals, not a one-decimal rounding shown as two
    assert rows[1] == [["", "___NaN___"], "", ""]
    screen = table_html(df, lang="en").split("kpt-print")[0]
    assert "Start rate (%)" in screen
    assert "NaN" not in screen.replace("___NaN___", "")  # nor in the table shown before the script runs


def test_table_is_sortable_searchable_and_its_id_deterministic():
    df = pd.DataFrame({"amount": [3.0, 1.0] * 8})  # more rows than FEW_ROWS: controls shown
    first, second = table_html(df, key="k"), table_html(df, key="k")
    assert first == second
    args = _dt_args(first)
    assert args["layout"]["topEnd"] == "search" and args["order"] == []
    assert table_html(df, key="other") != first


def test_unescape_keeps_json_meaning():
    raw = json.dumps({"a": json.dumps(["县\u2028", "<&>"])})
    assert json.loads(json.loads(tables.unescape_json_text(raw))["a"]) == ["县\u2028", "<&>"]
    assert "县" in tables.unescape_json_text(raw) and "\\u2028" in tables.unescape_json_text(raw)


def test_a_table_of_a_few_rows_has_no_controls_and_text_reads_from_the_left():
    few = pd.DataFrame({"entity_id": ["P1", "P2"], "amount": [1.0, 2.0]})
    args = _dt_args(table_html(few))
    assert args.get("paging") is False and not any(args["layout"].values())
    assert {"className": "dt-left", "targets": [0]} in args["columnDefs"]
    many = pd.DataFrame({"entity_id": [f"P{i}" for i in range(30)], "amount": [1.0] * 30})
    args = _dt_args(table_html(many))
    assert "paging" not in args and args["layout"]["topEnd"] == "search"


def test_every_row_is_also_written_for_paper_escaped():
    df = pd.DataFrame({"title": [f"<b>问题{i}</b>" for i in range(40)], "amount": [12_345_678.0] * 40})
    page = table_html(df)
    printed = re.search(r"<table class='kpt-print'>.*?</table>", page, re.S).group(0)
    assert printed.count("<tr>") == 41  # the header and every row, not a page of 25
    assert "&lt;b&gt;问题39&lt;/b&gt;" in printed and "<b>" not in printed
    assert "<td class='kpt-num'>1,234.57</td>" in printed and "<th>金额(万元)</th>" in printed
    assert page.startswith("<div class='kpt-screen'>")  # the interactive copy is hidden on paper


def test_entity_types_are_shown_in_chinese():
    shown = display_frame(pd.DataFrame({"entity_type": ["project", "tender_group", "something_new"]}))
    assert shown["对象类型"].tolist() == ["项目", "招标（一组）", "something_new"]


def test_the_whole_header_sorts():
    args = _dt_args(table_html(pd.DataFrame({"amount": [3.0, 1.0]})))
    assert "text_in_header_can_be_selected" not in args  # itables' default would sort from the icon only
    assert TABLE_OPTIONS["text_in_header_can_be_selected"] is False
