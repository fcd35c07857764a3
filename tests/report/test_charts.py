import warnings

import numpy as np
import pytest

from kpt_audit.report import charts

from .conftest import AS_OF, COUNTY_A


@pytest.fixture(autouse=True)
def glyph_warnings_fail():
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing")
        yield


def _bar_heights(ax) -> list[float]:
    return [p.get_height() for p in ax.patches if p.get_height() > 0]


def test_findings_by_area_counts_per_severity(result):
    fig = charts.findings_by_area(result.findings, "zh")
    ax = fig.axes[0]
    assert ax.get_title() == "各领域问题数（按严重程度）"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["计划执行", "投资控制与资金支付"]
    expected = result.findings.groupby(["severity", "area"]).size()
    assert sorted(_bar_heights(ax)) == sorted(expected.astype(float).tolist())
    assert charts.findings_by_area(result.findings.iloc[0:0]) is None


def test_plan_progress_marks_projects_behind(result):
    projects = result.dataset.tables["projects"]
    fig = charts.plan_progress(projects, AS_OF, 0.75, "zh")
    ax = fig.axes[0]
    share = charts.elapsed_share(AS_OF)
    assert share == pytest.approx(269 / 366)
    lines = sorted(line.get_ydata()[0] for line in ax.get_lines())
    assert lines == pytest.approx([0.75 * share, share])
    # P002 (10 %) and P003 (87.5 %) are under construction with a plan; P001 is not started
    assert sorted(_bar_heights(ax)) == pytest.approx([0.1, 0.875])
    assert charts.plan_progress(projects.drop(columns=["annual_plan"]), AS_OF, 0.75) is None


def test_idle_ageing_bands_by_earliest_allocation(result):
    findings = result.findings
    fig = charts.idle_ageing(findings, result.dataset.tables["funds"], AS_OF, "zh")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["1年以内", "1-2年", "2-3年", "3年以上"]
    heights = [p.get_height() for p in ax.patches]
    # P001's allocation of 2019-03-01 is 18 months old at as_of: 150万元 in the 1-2 year band
    assert heights == pytest.approx([0, 150.0, 0, 0])
    assert charts.idle_ageing(findings, None, AS_OF) is None
    # a county's slice holding none of its projects' allocations (a project missing from the ledger whose
    # funds rows are another county's): no band to draw, and no error
    funds = result.dataset.tables["funds"]
    fig = charts.idle_ageing(findings, funds[funds["project_id"] == "nobody"], AS_OF, "zh")
    assert [p.get_height() for p in fig.axes[0].patches] == [0, 0, 0, 0]


def test_benford_draws_observed_and_expected(result):
    table = result.metrics["benford"]
    fig = charts.benford(table[table["county"] == COUNTY_A], "en")
    ax = fig.axes[0]
    expected = ax.get_lines()[0].get_ydata()
    assert np.allclose(expected, np.log10(1 + 1 / np.arange(1, 10)))
    assert "n = 1" in ax.get_title() and "not judged" not in ax.get_title()
    assert charts.benford(None) is None
    # with COS09's minimum the chart says a county with fewer payments was not judged
    title = charts.benford(table[table["county"] == COUNTY_A], "zh", min_n=300).axes[0].get_title()
    assert "少于300笔，未作本福特判定" in title


def test_supplier_concentration_shares(result):
    t = result.dataset.tables
    contracts = t["contracts"][t["contracts"]["project_id"].isin(["P001", "P002"])]
    fig = charts.supplier_concentration(contracts, t["suppliers"], "zh")
    ax = fig.axes[0]
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == pytest.approx([0.25, 0.75])
    assert {t.get_text() for t in ax.get_yticklabels()} == {'=HYPERLINK("http://x")建筑公司', "乙建设集团"}


def test_rollup_charts_include_counties_without_findings(result):
    fig = charts.county_area_heatmaps(result.findings, "zh", counties=["", COUNTY_A, "丙县"])
    left = fig.axes[0]
    assert [t.get_text() for t in left.get_yticklabels()] == ["未指定", COUNTY_A, "丙县"]
    assert len(fig.axes) == 1  # counts only: amounts of an area's checks mean different things
    ranking = charts.county_ranking(result.findings, "zh")
    assert ranking.axes[0].get_title() == "县区问题数排名"


def test_png_is_deterministic(result):
    one = charts.png_bytes(charts.findings_by_area(result.findings))
    two = charts.png_bytes(charts.findings_by_area(result.findings))
    assert one == two and one[:8] == b"\x89PNG\r\n\x1a\n"

