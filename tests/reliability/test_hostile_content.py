"""Hostile content: markup, script, template and formula payloads from the data never run, and read as written.

One real batch (two counties, one named with a payload) over a dataset whose
every free-text field carries a payload; every produced page is opened in
headless Chromium.  The library pieces (explorer widgets, charts, Excel)
are also fed payloads directly.
"""
from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pandas as pd
import pytest

from tests.reliability.conftest import AS_OF, HOSTILE_COUNTY, PAYLOADS, RESERVED_COUNTY, open_page

pytestmark = pytest.mark.xdist_group("reliability")
MARKUP = [p for p in PAYLOADS if "<" in p] + [HOSTILE_COUNTY]
SHOWN_FINDING_COLUMNS = ["check_id", "severity", "project_id", "project_name", "entity_type", "entity_id", "entity_name",
                         "title", "detail", "basis"]


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_the_batch_reports_both_hostile_counties(hostile_run):
    assert hostile_run.failed == []
    m = hostile_run.manifest
    assert {c["county"]: c["status"] for c in m["counties"]} == {HOSTILE_COUNTY: "ok", RESERVED_COUNTY: "ok"}
    assert len(pages(hostile_run.out)) == 3  # two county reports and the index


def test_no_script_from_the_data_runs_in_any_page(hostile_run, tmp_path):
    for page in pages(hostile_run.out):
        seen = open_page(page, tmp_path)
        where = page.name
        assert seen["pwned"] is None, where
        assert seen["dialogs"] == [], where
        assert seen["errors"] == [], where
        assert seen["console"] == [], where
        assert seen["iframes"] == 0, where
        source = page.read_text(encoding="utf-8")
        declared = html.unescape(re.search(r"<title>(.*?)</title>", source, re.S).group(1))
        assert seen["title"] == declared and "PWNED" not in declared, where


def test_payloads_read_literally_in_the_pages(hostile_run, tmp_path):
    """Every payload a county's findings carry is shown as text, and the county names as headings and links."""
    m = hostile_run.manifest
    index = open_page(hostile_run.out / "index.html", tmp_path)["text"]
    shown_anywhere = set()
    for entry in m["counties"]:
        seen = open_page(hostile_run.out / entry["html"], tmp_path)
        text = seen["text"]
        assert text.startswith(entry["county"])             # the <h1> heading, literally
        assert entry["county"] in index                       # the link text in the index
        for first, total in re.findall(r"第 1 至 (\d+) 条，共 (\d+) 条", text):
            assert first == total                              # every row rendered, none hidden on page 2
        findings = pd.read_parquet(hostile_run.out / "slices" / entry["slug"] / "findings.parquet")
        cells = findings[SHOWN_FINDING_COLUMNS].fillna("").astype(str).to_numpy().ravel()
        expected = {p for p in PAYLOADS if any(p in c for c in cells)}
        assert len(expected) >= 4                              # the data did carry payloads to this page
        missing = {p for p in expected if p not in text}
        assert not missing, f"{entry['county']}: not shown literally: {missing}"
        shown_anywhere |= expected
    assert any("</script>" in p for p in shown_anywhere)   # a closing script tag inside the table data


def test_no_raw_markup_from_the_data_in_html_or_notebook_outputs(hostile_run):
    for page in pages(hostile_run.out):
        source = page.read_text(encoding="utf-8")
        assert not [p for p in MARKUP if p in source], page.name
    for ipynb in sorted(hostile_run.out.rglob("*.ipynb")):
        nb = nbformat.read(ipynb, as_version=4)
        outputs = [o for c in nb.cells for o in c.get("outputs", [])]
        rendered = "".join(str(o.get("data", {}).get("text/html", "")) + str(o.get("data", {}).get("text/markdown", ""))
                           for o in outputs)
        assert rendered, ipynb.name
        assert not [p for p in MARKUP if p in rendered], ipynb.name


def test_index_links_are_relative_slugs_inside_the_run(hostile_run):
    out = hostile_run.out.resolve()
    source = (hostile_run.out / "index.html").read_text(encoding="utf-8")
    hrefs = [unquote(html.unescape(h)) for h in re.findall(r'<a href="([^"]*)"', source)]
    local = [h for h in hrefs if not h.startswith("https://itables.org/")]  # itables' own help links
    expected = sorted(f"counties/{c['slug']}.html" for c in hostile_run.manifest["counties"])
    assert sorted(local) == expected
    for href in local:
        assert ":" not in href and not href.startswith(("/", "\\")) and ".." not in href.split("/")
        target = (out / href).resolve()
        assert target.is_relative_to(out / "counties") and target.is_file()


def test_excel_keeps_formula_like_text_as_text(hostile_run, tmp_path):
    """In the run's workbook and in one whose every text cell starts with a formula payload."""
    from openpyxl import load_workbook

    from kpt_audit.findings import FINDING_COLUMNS
    from kpt_audit.report.excel import write_findings_workbook

    formulas = [p for p in PAYLOADS if p[0] in "=+-@"]
    findings = pd.DataFrame({c: [f"{p}{c}" for p in formulas] for c in FINDING_COLUMNS})
    findings = findings.assign(amount=1000.0, area="cost", severity="high", status="")
    planted = write_findings_workbook(findings, tmp_path / "planted.xlsx")
    for book in (hostile_run.out / "findings.xlsx", planted):
        with zipfile.ZipFile(book) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
            assert sheets and not [n for n in sheets if "<f>" in z.read(n).decode("utf-8")], book.name
    wb = load_workbook(planted)
    texts = [c for ws in wb.worksheets[1:] for row in ws.iter_rows(min_row=2) for c in row if c.data_type == "s"]
    for p in formulas:
        assert any(c.value == f"{p}detail" for c in texts), p
    assert all(c.data_type in ("s", "n") for ws in wb.worksheets for row in ws.iter_rows() for c in row
               if c.value is not None)
    run_book = load_workbook(hostile_run.out / "findings.xlsx")
    cells = [c.value for ws in run_book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(p in v for v in cells for p in PAYLOADS)      # the run's payloads kept as written


@pytest.fixture(scope="module")
def hostile_result(hostile_data):
    import kpt_audit as ka

    params = ka.load_params(as_of=AS_OF)
    return ka.run_checks(ka.load_dataset(hostile_data.folder, params=params), params)


def test_explorer_widgets_escape_every_value(hostile_result):
    from kpt_audit.report.explore import Explorer

    explorer = Explorer(hostile_result)
    county_labels = [label for label, _ in explorer.county.options]
    assert HOSTILE_COUNTY in county_labels                    # dropdown labels are plain text
    htmls = [explorer.table.value]
    details = explorer.findings[explorer.findings["detail"].str.contains("<", regex=False, na=False)]
    assert len(details)
    for fid in details["finding_id"].head(30):
        explorer.pick.value = fid
        htmls.append(explorer.detail.value)
    joined = "".join(htmls)
    assert not [p for p in MARKUP if p in joined]
    assert html.escape(HOSTILE_COUNTY) in joined or html.escape(HOSTILE_COUNTY, quote=False) in joined
    assert any(html.escape(p, quote=False) in joined or html.escape(p) in joined for p in MARKUP)


def test_chart_labels_print_names_literally():
    """Names with $...$ (matplotlib math) draw as written instead of stopping the report."""
    from matplotlib.text import Text

    from kpt_audit.report import charts

    names = ["$\\frac{1}{0}$ $x^{2$ 甲公司", "$x^2$ 乙公司", "$\\undefinedmacro$ <b>丙</b>"]
    suppliers = pd.DataFrame({"supplier_id": ["S1", "S2", "S3"], "name": names})
    contracts = pd.DataFrame({"contract_id": ["C1", "C2", "C3"], "supplier_id": ["S1", "S2", "S3"],
                              "amount": [3e6, 2e6, 1e6]})
    fig = charts.supplier_concentration(contracts, suppliers, "zh")
    assert charts.png_bytes(fig).startswith(b"\x89PNG")
    labels = [t for t in fig.findobj(Text) if t.get_text() in names]
    assert {t.get_text() for t in labels} == set(names)
    assert not any(t._parse_math for t in labels)
    findings = pd.DataFrame({"county": names[:2], "severity": ["high", "low"], "area": ["cost", "cost"],
                             "check_id": ["COS01", "COS02"], "amount": [1.0, 2.0], "status": ["", ""]})
    for draw in (charts.county_ranking, charts.county_area_heatmaps):
        assert charts.png_bytes(draw(findings, "zh")).startswith(b"\x89PNG")


def test_report_code_never_renders_data_through_markdown_or_styler():
    """Markdown passes raw HTML through and a pandas Styler does not escape: the report code uses neither."""
    from kpt_audit.report.tables import TABLE_OPTIONS

    assert TABLE_OPTIONS["allow_html"] is False
    root = Path(__file__).resolve().parents[2]
    sources = {p.name: p.read_text(encoding="utf-8") for p in (root / "kpt_audit" / "report").glob("*.py")}
    for nb_path in (root / "notebooks").glob("*.ipynb"):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        sources[nb_path.name] = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    # (a Word table's style name, ``table.style = "Table Grid"``, is not a pandas Styler)
    banned = re.compile(r"\bMarkdown\(|\.style\b(?!\s*=)|\bStyler\b|escape\s*=\s*False|allow_html\s*=\s*True|\bLatex\(")
    offenders = {name: banned.findall(text) for name, text in sources.items() if banned.search(text)}
    assert not offenders
