import re

import ipywidgets as w
import openpyxl
import pytest

from kpt_audit.report.explore import ALL, TABLE_COLUMNS, explore, findings_table_html

from .conftest import COUNTY_A, COUNTY_B


@pytest.fixture
def explorer(result, tmp_path):
    widget = explore(result, out_dir=tmp_path / "run")
    assert isinstance(widget, w.VBox)
    return widget.explorer


def _all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all_widgets(child)


def test_widget_tree_has_the_filters_table_chart_detail_and_export(result):
    widget = explore(result)
    kinds = [type(x).__name__ for x in _all_widgets(widget)]
    assert kinds.count("Dropdown") == 4 and "FloatRangeSlider" in kinds
    assert "Image" in kinds and "Select" in kinds and kinds.count("HTML") >= 3
    button = next(x for x in _all_widgets(widget) if isinstance(x, w.Button))
    assert button.description == "导出所选到 Excel"
    assert button.disabled and "out_dir" in button.tooltip  # no run folder given: nowhere to write


def test_filters_update_table_count_and_chart(explorer, result):
    assert len(explorer.selected()) == len(result.findings)
    first_chart = explorer.chart.value
    explorer.check.value = "EXE02"
    assert len(explorer.selected()) == 1 and "筛选出 1 条问题（共" in explorer.count.value
    assert "EXE02" in explorer.table.value and "COS01" not in explorer.table.value
    assert explorer.chart.value != first_chart and explorer.chart.value[:4] == b"\x89PNG"
    explorer.check.value = ALL
    explorer.severity.value = "medium"
    assert set(explorer.selected()["severity"]) == {"medium"}
    explorer.severity.value = ALL
    explorer.amount.value = (100.0, 200.0)  # 万元
    # EXE01's amount is the project's central and provincial allocations (150万元, revision 2)
    assert set(explorer.selected()["check_id"]) == {"COS01", "EXE01", "EXE02"}
    explorer.county.value = COUNTY_A
    assert (explorer.selected()["county"] == COUNTY_A).all()


def test_summary_line_is_chinese_and_counts_the_selection(explorer, result):
    f = result.findings
    line = explorer.count.value
    high, medium, low = ((f["severity"] == s).sum() for s in ("high", "medium", "low"))
    assert f"筛选出 {len(f)} 条问题（共 {len(f)} 条）：高 {high} 条、中 {medium} 条、低 {low} 条" in line
    assert f"涉及 {f['county'].nunique()} 个县区、{f['project_id'].dropna().nunique()} 个项目" in line
    assert not re.search(r"[A-Za-z]", re.sub(r"<[^>]+>|style='[^']*'", "", line))


def test_table_is_readable_at_common_widths(explorer):
    """Short columns keep to one line, text columns wrap within a width, the table scrolls in its box."""
    html = explorer.table.value
    assert "overflow: auto" in html and "white-space: nowrap" in html
    headers = re.findall(r"<th>([^<]*)</th>", html)
    assert headers[:4] == ["问题编号", "县区", "项目名称", "对象名称"] and "详情" in headers and "金额(万元)" in headers
    detail = headers.index("详情") + 1
    assert re.search(rf"td:nth-child\({detail}\) {{white-space: normal; min-width: 22em", html)
    assert "finding_id" not in html and len(headers) <= len(TABLE_COLUMNS)
    # a 16-hex id column would be the widest unbreakable cell; only the short number people quote is shown
    assert not re.search(r"<td>[0-9a-f]{16}</td>", html)


def test_table_shows_status_only_with_a_previous_run(result):
    f = result.findings.copy()
    assert "状态" not in findings_table_html(f, "zh")
    f["status"] = "new"
    assert "状态" in findings_table_html(f, "zh") and "新发现" in findings_table_html(f, "zh")


def test_selecting_a_finding_shows_detail_and_source_rows_as_the_ledgers_write_them(explorer):
    explorer.check.value = "COS04"
    explorer.pick.value = explorer.pick.options[0][1]
    detail = explorer.detail.value
    assert "COS04" in detail and "超付" in detail
    assert "项目台账（1 行）" in detail and "资金支付（1 行）" in detail and "Y1" in detail
    # Chinese headers, coded values in Chinese, amounts in 万元 (Y1 pays 700,000 元)
    assert "<th>项目编码</th>" in detail and "<th>支付金额(万元)</th>" in detail and "<td>70.00</td>" in detail
    assert "进度款" in detail and "progress" not in detail and "<th>amount</th>" not in detail
    assert "<th>计划总投资(万元)</th>" in detail and "<td>300.00</td>" in detail  # P002: 3,000,000 元


def test_source_rows_in_english_keep_the_column_names(result):
    result.params.lang = "en"
    try:
        ex = explore(result).explorer
    finally:
        result.params.lang = "zh"
    ex.check.value = "COS04"
    ex.pick.value = ex.pick.options[0][1]
    assert "payments (1 rows)" in ex.detail.value and "<th>amount (10k yuan)</th>" in ex.detail.value
    assert "Export selection to Excel" == ex.export.description and "of" in ex.count.value


def test_export_writes_the_selection_with_names_to_the_run_folder(explorer, result, tmp_path):
    explorer.county.value = COUNTY_A
    explorer.severity.value = "high"
    chosen = explorer.selected()
    assert 0 < len(chosen) < len(result.findings)
    path = explorer.export_selection()
    assert path == tmp_path / "run" / f"所选问题_{COUNTY_A}_高.xlsx" and path.is_file()
    assert str(path) in explorer.exported.value and f"已导出 {len(chosen)} 条问题" in explorer.exported.value
    book = openpyxl.load_workbook(path)
    summary = book.worksheets[0]
    assert summary.title == "汇总" and summary.cell(2, 1).value == COUNTY_A
    areas = [ws for ws in book.worksheets if "问题编号" in [c.value for c in ws[1]]]  # one sheet per area
    header = [c.value for c in areas[0][1]]
    rows = [[c.value for c in r] for ws in areas for r in ws.iter_rows(min_row=2)]
    assert len(rows) == len(chosen)
    numbers = {r[header.index("问题编号")] for r in rows}
    assert numbers == set(chosen["finding_no"])
    names = {r[header.index("项目名称")] for r in rows}
    assert names == set(chosen["project_name"].dropna()) and "甲县污水处理厂" in names


def test_export_masks_personal_data_like_other_shared_outputs(result, tmp_path):
    findings = result.findings.copy()
    findings.loc[0, "detail"] = "联系人 张三丰 13812345678"
    findings.loc[0, "county"] = COUNTY_B
    hostile = type(result)(findings, result.metrics, result.not_run, result.dataset, result.params)
    ex = explore(hostile, out_dir=tmp_path).explorer
    ex.county.value = COUNTY_B
    path = ex.export_selection()
    assert path.parent == tmp_path and "/" not in path.name.replace(str(tmp_path), "")  # the slash is sanitised
    cells = " ".join(str(c.value) for ws in openpyxl.load_workbook(path).worksheets for r in ws.iter_rows()
                     for c in r if c.value is not None)
    assert "13812345678" not in cells and "张三丰" not in cells and "138****5678" in cells


def test_export_without_a_run_folder_says_so(result):
    ex = explore(result).explorer
    assert ex.export_selection() is None and "out_dir" in ex.exported.value


def test_values_are_escaped_and_personal_data_masked(result):
    findings = result.findings.copy()
    findings.loc[0, "title"] = "<img src=x onerror=alert(1)>"
    findings.loc[0, "detail"] = "联系人 张三丰 13812345678"
    hostile = type(result)(findings, result.metrics, result.not_run, result.dataset, result.params)
    ex = explore(hostile).explorer
    assert "<img src=x" not in ex.table.value and "&lt;img src=x" in ex.table.value
    ex.pick.value = findings.loc[0, "finding_id"]
    assert "<img src=x" not in ex.detail.value
    assert "13812345678" not in ex.detail.value + ex.table.value
    assert "张三丰" not in ex.detail.value + ex.table.value
