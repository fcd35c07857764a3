import json

import pandas as pd
import pytest

from kpt_audit.outputs import write_check_outputs
from kpt_audit.report import rollup as rr

from .conftest import COUNTY_A, COUNTY_B


@pytest.fixture
def run_dir(result, tmp_path):
    write_check_outputs(result, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    manifest["counties"] = [
        {"county": COUNTY_A, "slug": COUNTY_A, "status": "ok", "error": None, "html": f"counties/{COUNTY_A}.html",
         "seconds": 3.2},
        {"county": COUNTY_B, "slug": "乙_县_b_-0d21e307", "status": "failed", "error": "ValueError: <bad> data",
         "html": "counties/乙_县_b_-0d21e307.html", "seconds": 1.0},
    ]
    (tmp_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_county_summary_side_by_side(run_dir, result):
    run = rr.load_run(run_dir)
    table = rr.county_summary(run).set_index("county")
    assert list(table.index) == sorted([COUNTY_A, COUNTY_B])
    assert table.loc[COUNTY_A, "findings"] == len(result.findings)
    assert table.loc[COUNTY_B, "findings"] == 0
    assert table.loc[COUNTY_A, "projects"] == 2 and table.loc[COUNTY_B, "start_rate"] == pytest.approx(1.0)
    assert str(table["projects"].dtype) == "Int64"  # a count shows as 2, not 2.00
    assert "amount" not in table  # amounts of different checks are not added (county_amounts)
    assert "rectification_rate" not in table and "not_found_again" not in table


def test_links_are_relative_escaped_and_failures_marked(run_dir):
    page = rr.links_html(rr.load_run(run_dir))
    assert f'href="counties/{COUNTY_A}.html"'.replace(COUNTY_A, "%E7%94%B2%E5%8E%BF") in page
    assert "乙/县&lt;b&gt;" in page and "<b>" not in page
    assert "data-kpt-status='failed'" in page and "&lt;bad&gt; data" in page
    assert page.count("<a href") == 1


def test_link_outside_the_run_folder_is_not_made(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["counties"][0]["html"] = "javascript://alert(1)"
    (run_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert "<a href" not in rr.links_html(rr.load_run(run_dir))


def test_since_previous_counts_and_no_rectification_rate(run_dir, result):
    """Absence is never called rectified (checks.md revision 2): counts only, no 整改率."""
    findings = (run_dir / "findings.csv").read_text(encoding="utf-8-sig").splitlines()
    header, rows = findings[0], findings[1:]
    assert header.endswith(",status,cause")
    # three persisting, one not found again, the rest new
    statuses = ["not_found_again,cleared", "persisting,", "persisting,", "persisting,"] + ["new,"] * (len(rows) - 4)
    rows = [r[:-2] + "," + s if r.endswith(",,") else r for r, s in zip(rows, statuses)]
    (run_dir / "findings.csv").write_text("\ufeff" + "\n".join([header, *rows]) + "\n", encoding="utf-8")
    run = rr.load_run(run_dir)
    assert run.statuses_present
    table = rr.county_summary(run).set_index("county")
    assert table.loc[COUNTY_A, "not_found_again"] == 1 and table.loc[COUNTY_A, "persisting"] == 3
    assert table.loc[COUNTY_A, "findings"] == len(rows) - 1
    assert "rectification_rate" not in table


def test_failed_county_links_its_executed_notebook(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["counties"][1]["notebook"] = "counties/乙_县_b_-0d21e307.ipynb"
    manifest["counties"][0]["html"] = "../elsewhere.html"
    (run_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    page = rr.links_html(rr.load_run(run_dir))
    assert page.count("<a href") == 1 and ".ipynb</a>" in page and "elsewhere" not in page


def test_county_amounts_one_meaning_per_row(run_dir, result):
    run = rr.load_run(run_dir)
    amounts = rr.county_amounts(run)
    want = result.findings.dropna(subset=["amount"]).groupby(["county", "check_id"])["amount"].sum()
    got = amounts.set_index(["county", "check_id"])["amount"]
    assert got.to_dict() == pytest.approx(want.to_dict())
    assert amounts["meaning"].ne("").all() and "不计金额" not in set(amounts["meaning"])


def test_county_amounts_stay_numbers_when_a_county_has_none():
    """A county whose findings carry no amount adds no row, and the counts stay numbers (findings.xlsx
    wrote them as text, which Excel does not add up)."""
    from kpt_audit.report.amounts import county_amounts

    findings = pd.DataFrame({"county": ["甲县", "乙县"], "check_id": ["EXE02", "DQ01"], "amount": [100.0, None],
                             "status": ["", ""]})
    amounts = county_amounts(findings)
    assert amounts["county"].tolist() == ["甲县"] and amounts["findings"].dtype == "int64"


def test_matrix_and_ranking_are_tables_of_the_findings(run_dir, result):
    """checks.md Reports: a county x area matrix and a ranking; their figures as text beside the charts."""
    run = rr.load_run(run_dir)
    live = result.findings[result.findings["status"].fillna("") != "not_found_again"]
    matrix = rr.area_matrix(run).set_index("county")
    for (county, area), n in live.groupby(["county", "area"]).size().items():
        assert matrix.loc[county, rr.text(f"area.{area}", "zh")] == n
    assert int(matrix.to_numpy().sum()) == len(live)
    ranking = rr.ranking(run)
    assert list(ranking["findings"]) == sorted(ranking["findings"], reverse=True)
    assert ranking["rank"].iloc[0] == 1 and set(ranking["county"]) == set(rr.county_summary(run)["county"])


def test_areas_not_examined_are_named_not_shown_as_clean_and_no_county_is_not_ranked(run_dir, result):
    """An area all of whose checks did not run has no column of zeros in the matrix (it is named apart);
    an area some check of which ran has its column even with no finding; 未指定 is not a county to rank."""
    from kpt_audit.checks.catalogue import CHECKS

    run = rr.load_run(run_dir)
    sub = [c.id for c in CHECKS.values() if c.area == "subsidies"]
    eff = [c.id for c in CHECKS.values() if c.area == "commitments"]
    run.findings = run.findings[~run.findings["area"].isin(["subsidies", "commitments"])]
    others = run.not_run[~run.not_run["check_id"].isin(sub + eff)]
    run.not_run = pd.concat([others, pd.DataFrame({"check_id": sub, "reason": "missing table subsidies",
                                                   "entities": ""})], ignore_index=True)
    skipped = rr.areas_not_examined(run)
    assert "subsidies" in skipped and "commitments" not in skipped
    columns = list(rr.area_matrix(run).columns)
    assert rr.text("area.subsidies", "zh") not in columns and rr.text("area.commitments", "zh") in columns
    nobody = run.findings.iloc[:3].assign(county="")
    run.findings = pd.concat([run.findings, nobody], ignore_index=True)
    assert "" not in set(rr.ranking(run)["county"]) and "" in set(rr.county_summary(run)["county"])
