"""The three notebooks run top to bottom under papermill; the county and roll-up pages are checked as HTML."""
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kpt_audit.outputs import write_check_outputs
from kpt_audit.privacy import Masker
from kpt_audit.report.html import assert_offline, notebook_to_html
from kpt_audit.report.slices import write_county_slices
from kpt_audit.synth.demo import DEMO_AS_OF

from . import chromium
from .conftest import AS_OF, COUNTY_A, COUNTY_B

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report-notebooks")]


def execute(name: str, out: Path, parameters: dict) -> nbformat.NotebookNode:
    import papermill as pm

    pm.execute_notebook(str(NOTEBOOKS / name), str(out), parameters=parameters, kernel_name="python3",
                        cwd=str(NOTEBOOKS), progress_bar=False)
    return nbformat.read(str(out), as_version=4)


def problems(nb) -> list[str]:
    """Errors and anything written to stderr (warnings would show in the report)."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "error" or o.get("name") == "stderr":
                out.append(str(o.get("text") or o.get("evalue")))
    return out


@pytest.fixture(scope="module")
def kernel_env():
    # the kernel must import this checkout even where the package is not installed
    mp = pytest.MonkeyPatch()
    import os

    mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    yield
    mp.undo()


@pytest.fixture(scope="module")
def run(result, tmp_path_factory, kernel_env):
    """A run folder like `kpt-audit run` writes, with both counties' notebooks executed and rendered."""
    out = tmp_path_factory.mktemp("run")
    write_check_outputs(result, out)
    folders = write_county_slices(result, out / "slices", Masker(result.dataset.tables))
    pages, notebooks, counties = {}, {}, []
    for county, folder in folders.items():
        ipynb, html = out / "counties" / f"{folder.name}.ipynb", out / "counties" / f"{folder.name}.html"
        ipynb.parent.mkdir(exist_ok=True)
        notebooks[county] = execute("county_report.ipynb", ipynb, {
            "data_dir": "", "county": county, "params_file": "", "as_of": AS_OF,
            "findings_dir": str(folder), "lang": "zh"})
        notebook_to_html(ipynb, html, f"{county} 回头望审计报告")
        pages[county] = html.read_text(encoding="utf-8")
        counties.append({"county": county, "slug": folder.name, "status": "ok", "error": None,
                         "html": f"counties/{folder.name}.html", "seconds": 1.0})
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["counties"] = counties
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    rollup = execute("rollup.ipynb", out / "rollup.ipynb", {"run_dir": str(out)})
    notebook_to_html(out / "rollup.ipynb", out / "index.html", "回头望审计 汇总")
    return {"dir": out, "pages": pages, "notebooks": notebooks, "rollup": rollup,
            "index": (out / "index.html").read_text(encoding="utf-8")}


def _findings_csv(run_dir: Path) -> pd.DataFrame:
    return pd.read_csv(run_dir / "findings.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.parametrize("county", [COUNTY_A, COUNTY_B])
def test_county_page(run, county):
    page = run["pages"][county]
    assert problems(run["notebooks"][county]) == []
    assert "import kpt_audit" not in page and "kr.show_" not in page and "<div class=\"jp-InputArea" not in page and "alt=\"chart\"" not in page
    assert assert_offline(page) == []
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?https?:", page)
    rows = (_findings_csv(run["dir"])["county"] == county).sum()
    shown = re.findall(r"data-kpt-findings=[\"'](\d+)", page)
    assert shown == [str(rows)]
    assert "data:image/png;base64" in page and "Glyph" not in page
    assert "主要指标" in page and "计划执行统计表" in page and "数据质量台账" in page and "未运行的检查" in page
    assert "<script>" not in county and "乙/县<b>" not in page  # the hostile name is escaped


def test_county_page_with_findings_shows_chinese_headers_and_charts(run):
    page = run["pages"][COUNTY_A]
    for header in ("编号", "检查项", "严重程度", "项目编码", "金额(万元)", "详情", "依据"):
        assert header in page
    assert page.count("src=\"data:image/png;base64") == 5  # area/severity, progress, ageing, Benford, suppliers
    assert "idle_months = 12" in page and "EXE02" in page


def test_rollup_page(run):
    page = run["index"]
    assert problems(run["rollup"]) == []
    assert assert_offline(page) == [] and "import kpt_audit" not in page
    assert re.findall(r"data-kpt-findings=[\"'](\d+)", page) == [str(len(_findings_csv(run["dir"])))]
    assert page.count("<a href=\"counties/") == 2
    assert "乙/县&lt;b&gt;" in page and "data:image/png;base64" in page and "县区 × 领域问题矩阵" in page


def test_county_notebook_computes_its_own_slice_when_run_by_hand(csv_dataset, tmp_path, kernel_env):
    nb = execute("county_report.ipynb", tmp_path / "hand.ipynb", {
        "data_dir": str(csv_dataset), "county": COUNTY_A, "as_of": AS_OF})
    assert problems(nb) == []
    html = notebook_to_html(tmp_path / "hand.ipynb", tmp_path / "hand.html", "hand").read_text(encoding="utf-8")
    assert "EXE02" in html and "甲县 政府投资回头望审计报告" in html


def test_explore_notebook_runs(csv_dataset, tmp_path, kernel_env):
    nb = execute("explore.ipynb", tmp_path / "explore.ipynb", {"data_dir": str(csv_dataset), "as_of": AS_OF})
    assert problems(nb) == []
    kinds = {k for c in nb.cells for o in c.get("outputs", []) for k in o.get("data", {})}
    assert "application/vnd.jupyter.widget-view+json" in kinds


def test_notebooks_have_parameters_cells_with_the_documented_defaults():
    county = nbformat.read(str(NOTEBOOKS / "county_report.ipynb"), as_version=4)
    tagged = [c for c in county.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    ns: dict = {}
    exec(tagged[0].source, ns)
    assert {k: ns[k] for k in ("data_dir", "county", "params_file", "as_of", "findings_dir", "lang")} == {
        "data_dir": "../outputs/demo/data", "county": "", "params_file": "", "as_of": DEMO_AS_OF,
        "findings_dir": "", "lang": "zh"}  # the demo's own audit date: default.yaml sets none
    explore = nbformat.read(str(NOTEBOOKS / "explore.ipynb"), as_version=4)
    ns = {}
    exec(next(c for c in explore.cells if "parameters" in c.metadata.get("tags", [])).source, ns)
    assert ns["as_of"] == DEMO_AS_OF and ns["data_dir"] == "../outputs/demo/data"
    rollup = nbformat.read(str(NOTEBOOKS / "rollup.ipynb"), as_version=4)
    ns = {}
    exec(next(c for c in rollup.cells if "parameters" in c.metadata.get("tags", [])).source, ns)
    assert ns["run_dir"] == "../outputs/demo"
    for path in NOTEBOOKS.glob("*.ipynb"):
        code = [c.source for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "code"]
        assert all("def " not in s and "for " not in s for s in code), f"{path.name} holds logic"


@pytest.mark.skipif(chromium.find_browser() is None, reason="no Chromium on this machine (Debian: apt-get install chromium)")
def test_county_page_in_a_headless_browser_sorts_and_raises_nothing(run, tmp_path):
    html_file = run["dir"] / "counties" / f"{COUNTY_A}.html"
    seen = chromium.probe(html_file, "金额(万元)", tmp_path)
    assert seen["errors"] == []
    # the probed findings table has a few rows: shown whole, sortable by its header, without a search box
    assert seen["tables"] >= 5 and not seen["search"]
    after = [float(v.replace(",", "")) for v in seen["after"] if v.strip()]
    assert after == sorted(after) and len(after) >= 2
    assert sorted(seen["before"]) == sorted(seen["after"])


@pytest.mark.skipif(chromium.find_browser() is None, reason="no Chromium on this machine (Debian: apt-get install chromium)")
def test_rollup_page_in_a_headless_browser_raises_nothing(run, tmp_path):
    seen = chromium.probe(run["dir"] / "index.html", "县区", tmp_path)
    # the comparison, the amounts per check, the county x area matrix and the ranking
    assert seen["errors"] == [] and seen["tables"] == 4
