"""What an auditor hands over, checked on the demo: the printed county page, the Word drafts, the
evidence, Chinese only, and an amount wherever a check defines one.

Uses the session's demo (tests/conftest.py), built once.
"""
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.checks import all_checks
from kpt_audit.params import load_params

from .chromium import find_browser

pytestmark = pytest.mark.xdist_group("demo")

# English words an auditor may meet in the zh outputs, each for a reason: everything else that is a
# word of Latin letters only (no digit, no underscore: ids and codes have them) is a defect.
ALLOWED_WORDS = {
    "csv", "xlsx", "xls", "parquet", "docx",  # the file types of the ledgers' own names
    "BOM",  # the encoding's byte-order mark, as the ledger notes name it
    "OCP",  # Open Contracting Partnership: the red flag a basis cites (R036)
    "Nigrini", "MAD",  # the author of the first-digit test and his statistic, as cited
    "Unicode", "NFKC", "difflib", "lg",  # the standards, algorithm and function a method names
    "na",  # a placeholder value the checks read as empty, quoted as written
    "cap",  # a key of program_rules an office writes in its params file
}
WORD = re.compile(r"[A-Za-z0-9_\-./@]+")


def findings(demo: Path) -> pd.DataFrame:
    return pd.read_csv(demo / "findings.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)


def english_words(text: str, ids: set[str]) -> set[str]:
    """The words of Latin letters only in ``text``, ids of the data taken out first."""
    for known in sorted(ids, key=len, reverse=True):
        text = text.replace(known, " ")
    allowed = ALLOWED_WORDS | set(load_params().values)  # parameter names, as the methods cite them
    words = {t.strip(".-/_@") for t in WORD.findall(text)}
    return {w for w in words if re.fullmatch(r"[A-Za-z]{2,}", w) and w not in allowed}


class _Visible(HTMLParser):
    """The text a reader sees: no scripts, styles, hidden elements or itables' no-script fallback."""

    VOID = {"br", "img", "meta", "link", "input", "hr", "col", "source", "wbr", "area", "base", "embed"}

    def __init__(self):
        super().__init__()
        self.stack, self.hidden, self.out = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        hide = (tag in ("script", "style", "noscript", "svg", "template") or "hidden" in a
                or (a.get("id") or "").endswith("_fallback"))
        self.stack.append(hide)
        self.hidden += hide

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.hidden -= self.stack.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.out.append(data)


def visible_text(path: Path) -> str:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.out)


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    parts += [p.text for s in document.sections for p in s.header.paragraphs + s.footer.paragraphs]
    return "\n".join(parts)


def workbook_text(path: Path) -> str:
    import openpyxl

    book = openpyxl.load_workbook(path)
    parts = []
    for sheet in book.worksheets:
        parts += [sheet.title, sheet.oddHeader.center.text or "", sheet.oddFooter.center.text or ""]
        parts += [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    return "\n".join(parts)


def test_no_english_in_what_an_auditor_reads(demo):
    f = findings(demo)
    ids = set(f["entity_id"]) | set(f["project_id"]) | set(f["finding_no"]) | {""}
    ids.discard("")
    found = {}
    pages = sorted((demo / "counties").glob("*.html")) + [demo / "index.html"]
    for path in pages:
        found[path.name] = english_words(visible_text(path), ids)
    found["findings.xlsx"] = english_words(workbook_text(demo / "findings.xlsx"), ids)
    drafts = sorted((demo / "counties").glob("*.docx"))
    assert len(drafts) == 2 * len(list((demo / "counties").glob("*.html")))
    for path in drafts:
        found[path.name] = english_words(docx_text(path), ids)
    assert {k: sorted(v) for k, v in found.items() if v} == {}


def test_every_finding_whose_check_defines_an_amount_has_one(demo):
    f = findings(demo)
    checks = all_checks()
    defined = f["check_id"].map(lambda c: checks[c].has_amount)
    assert defined.any() and (~defined).any()
    assert f.loc[defined & (f["amount"] == ""), ["finding_no", "title"]].values.tolist() == []


def _busiest_county(demo: Path) -> tuple[str, Path]:
    manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
    counts = findings(demo)["county"].value_counts()
    entry = max(manifest["counties"], key=lambda c: (counts.get(c["county"], 0), c["county"]))
    return entry["county"], demo / entry["html"]


def test_word_drafts_hold_every_finding_with_names_amounts_and_totals(demo):
    f = findings(demo)
    county, page = _busiest_county(demo)
    own = f[f["county"] == county]
    body = docx_text(page.with_suffix(".docx"))
    assert f"{county}政府投资回头望审计发现" in body and "审计基准日：2020-09-25" in body
    for row in own.itertuples():
        assert row.finding_no in body and row.detail in body and row.basis in body
        if row.project_name:
            assert f"{row.project_name}（{row.project_id}）" in body
    import docx

    totals = docx.Document(page.with_suffix(".docx")).tables[0]
    got = {r.cells[0].text: r.cells[4].text for r in totals.rows[1:]}
    amounts = own[own["amount"] != ""].assign(amount=lambda x: x["amount"].astype(float))
    assert got == {c: f"{a / 10000:,.2f}" for c, a in amounts.groupby("check_id")["amount"].sum().items()}
    sheets = docx_text(page.with_name(page.stem + ".取证单.docx"))
    assert sheets.count("审计取证单") == len(own) and all(n in sheets for n in own["finding_no"])


def test_evidence_names_the_rows_of_the_files_as_excel_shows_them(demo):
    evidence = pd.read_csv(demo / "evidence.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    f = findings(demo)
    county_wide = set(f.loc[f["entity_type"] == "county", "finding_id"])
    assert set(f["finding_id"]) - set(evidence["finding_id"]) == county_wide  # COS09 rests on whole files
    from kpt_audit.files import sha256_file

    for file, sha in evidence.drop_duplicates("file")[["file", "sha256"]].values:
        assert sha256_file(demo / "data" / file) == sha
    # a CSV row number is the line of the file (the header is row 1), as a spreadsheet shows it
    row = evidence[evidence["file"].str.endswith(".csv") & (evidence["link"] == "entity")].iloc[0]
    lines = (demo / "data" / row["file"]).read_text(encoding="utf-8-sig").splitlines()
    finding = f.set_index("finding_id").loc[row["finding_id"]]
    assert finding["entity_id"].split("|")[0].split("+")[0] in lines[int(row["row"]) - 1]


@pytest.mark.skipif(find_browser() is None or shutil.which("pdftotext") is None,
                    reason="needs Chromium and pdftotext (Debian: apt-get install chromium poppler-utils)")
def test_a_county_page_prints_every_finding_on_a4_landscape(demo, tmp_path):
    county, page = _busiest_county(demo)
    pdf = tmp_path / "county.pdf"
    subprocess.run([find_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                    "--virtual-time-budget=5000", f"--print-to-pdf={pdf}", page.as_uri()],
                   capture_output=True, timeout=180, check=True)
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", raw)
    own = findings(demo)
    own = own[own["county"] == county]
    assert len(own) > 25  # more than a screen page of the interactive tables holds
    for column in ("finding_no", "detail", "basis"):
        missing = [v for v in own[column] if re.sub(r"\s+", "", v) not in flat]
        assert missing == [], column
    pages = len(re.findall(r"第\d+页，共\d+页", flat))
    assert pages > 1 and f"第{pages}页，共{pages}页" in flat  # every page numbered
    assert flat.count(f"{county}·审计基准日2020-09-25") >= pages  # the running header on every page
    for control in ("搜索：", "每页", "第1至"):  # no search box, page length or paging info on paper
        assert control not in flat
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


def test_every_page_carries_its_print_setup_and_a_paper_copy_of_each_table(demo):
    manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
    pages = {demo / "index.html": "政府投资回头望审计汇总"}
    pages.update({demo / c["html"]: c["county"] for c in manifest["counties"]})
    for path, title in pages.items():
        page = path.read_text(encoding="utf-8")
        assert "size:A4 landscape" in page and "@top-center" in page and "counter(pages)" in page
        assert f'content:"{title} · 审计基准日 2020-09-25"' in page, path.name
        screen = len(re.findall(r"<div class=[\"']kpt-screen[\"']>", page))
        assert screen == len(re.findall(r"<table class=[\"']kpt-print[\"']>", page)) > 0, path.name
