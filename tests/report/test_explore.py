import ipywidgets as w
import pytest

from kpt_audit.report.explore import ALL, explore

from .conftest import COUNTY_A


@pytest.fixture
def explorer(result):
    widget = explore(result)
    assert isinstance(widget, w.VBox)
    return widget.explorer


def _all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all_widgets(child)


def test_widget_tree_has_the_filters_table_chart_and_detail(result):
    widget = explore(result)
    kinds = [type(x).__name__ for x in _all_widgets(widget)]
    assert kinds.count("Dropdown") == 4 and "FloatRangeSlider" in kinds
    assert "Image" in kinds and "Select" in kinds and kinds.count("HTML") >= 3


def test_filters_update_table_count_and_chart(explorer, result):
    assert len(explorer.selected()) == len(result.findings)
    first_chart = explorer.chart.value
    explorer.check.value = "EXE02"
    assert len(explorer.selected()) == 1 and "<b>1</b>" in explorer.count.value
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


def test_selecting_a_finding_shows_detail_and_source_rows(explorer):
    explorer.check.value = "COS04"
    explorer.pick.value = explorer.pick.options[0][1]
    detail = explorer.detail.value
    assert "COS04" in detail and "超付" in detail
    assert "projects (1)" in detail and "payments (1)" in detail and "Y1" in detail


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
