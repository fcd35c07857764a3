"""The demo end to end, run once for the whole test session: what `make demo` produces.

Opens every HTML file and checks what an auditor relies on: no code, nothing
fetched from the network, the finding counts equal findings.csv, Chinese
headers, embedded charts, a findings workbook, and a clean validation.
"""
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest

from kpt_audit.cli import main
from kpt_audit.report.html import assert_offline

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("demo")  # the demo fixture (tests/conftest.py) is built once


def test_demo_passes_its_own_audit_date(demo):
    """default.yaml sets no as_of: the demo gives the demo city's date itself."""
    from kpt_audit.synth.demo import DEMO_AS_OF

    manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == DEMO_AS_OF


def findings(demo: Path) -> pd.DataFrame:
    return pd.read_csv(demo / "findings.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)


def test_demo_writes_every_output(demo):
    for name in ("index.html", "findings.csv", "findings.xlsx", "not_run.csv", "data_quality.csv",
                 "rejections.csv", "warnings.csv", "manifest.json", "metrics/exe_by_county.csv",
                 "metrics/exe_by_fund_year.csv", "metrics/delay_reasons.csv"):
        assert (demo / name).is_file(), name
    manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["counties"]) == 8 and {c["status"] for c in manifest["counties"]} == {"ok"}
    for c in manifest["counties"]:
        assert (demo / c["html"]).is_file() and (demo / c["notebook"]).is_file()
    assert manifest["personal_data_masked"] is True
    # the demo has every table: every check runs but SUB03 (off by default: program-specific), and the
    # cells typed by hand that the loader could not read leave a few entities unjudged, never findings
    not_run = pd.read_csv(demo / "not_run.csv", encoding="utf-8-sig")
    partly = not_run["reason"] == "partly judged"
    assert not_run.loc[~partly, "check_id"].tolist() == ["SUB03"] and (not_run.loc[partly, "entities"] > 0).all()


def test_demo_finds_exactly_what_was_planted(demo):
    assert not (demo / "data" / "truth.csv").exists()  # the planted truth is not among the ledgers
    truth = pd.read_csv(demo / "truth" / "truth.csv", dtype=str, encoding="utf-8-sig")
    f = findings(demo)
    assert set(zip(f["check_id"], f["entity_id"])) == set(zip(truth["check_id"], truth["entity_id"]))


def test_county_pages_show_their_findings_offline(demo):
    f = findings(demo)
    manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
    for c in manifest["counties"]:
        html = (demo / c["html"]).read_text(encoding="utf-8")
        assert assert_offline(html) == [], c["county"]
        assert not re.search(r"class=[\"'][^\"']*jp-InputArea", html)   # no code cells
        shown = re.search(r"data-kpt-findings=[\"'](\d+)[\"']", html)
        assert shown and int(shown.group(1)) == (f["county"] == c["county"]).sum(), c["county"]
        assert "data:image/png;base64" in html
        assert "主要指标" in html
        if int(shown.group(1)):
            for header in ("检查项", "严重程度", "详情", "依据"):
                assert header in html, (c["county"], header)
        assert "Traceback" not in html and "Glyph" not in html


def test_index_links_every_county(demo):
    index = (demo / "index.html").read_text(encoding="utf-8")
    assert assert_offline(index) == []
    manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
    for c in manifest["counties"]:
        assert f'href="{quote(c["html"])}"' in index and c["county"] in index


def test_rerun_gives_identical_findings(demo, tmp_path):
    assert main(["check", str(demo / "data"), "--out", str(tmp_path / "again"), "--as-of", "2020-09-25"]) == 0
    assert (tmp_path / "again" / "findings.csv").read_bytes() == (demo / "findings.csv").read_bytes()


def test_demo_validates_clean(demo, capsys):
    assert main(["validate", str(demo / "data")]) == 0


def test_demo_reads_like_the_speech(demo):
    """The speech's figures come from the data: unstarted central-budget projects with land,
    site and matching-fund reasons, and a start rate below 1 in every district."""
    reasons = pd.read_csv(demo / "metrics" / "delay_reasons.csv", encoding="utf-8-sig")
    assert {"land", "preliminary", "funding"} <= set(reasons["reason"])
    by_county = pd.read_csv(demo / "metrics" / "exe_by_county.csv", encoding="utf-8-sig")
    assert len(by_county) == 8
    assert (by_county["start_rate"] <= 1).all() and (by_county["start_rate"] < 1).any()
    assert (by_county["idle_funds"] > 0).any()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no Chromium here (Debian: apt-get install chromium)")
def test_screenshot_of_a_county_report(demo):
    """The README's screenshot is taken here, from the real report in a real browser."""
    manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
    page = demo / manifest["counties"][0]["html"]
    shot = ROOT / "outputs" / "screenshots" / "county_report.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={demo.parent / 'chromium-profile'}", "--hide-scrollbars",
                    "--window-size=1280,1600", "--virtual-time-budget=5000", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
