"""Shared fixtures of the reliability tests: a hostile dataset, one real batch run on it, a browser probe.

The dataset is the smallest synthetic one (``kpt_audit.synth.generate``) with
two of its county names replaced by hostile ones (markup + path tricks, a
reserved Windows name) and every free-text field of every table prefixed with
a payload from :data:`PAYLOADS`.  A few delay reasons quote a supplier's
legal representative, phone, ID number and bank account, so that personal
values also reach free text.  The batch runs once per test session (the
tests that use it share an xdist group, hence a worker) on two counties.
"""
from __future__ import annotations

import html
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.synth import generate, write_tables

# Each executing payload would set window.__pwned, change the title, open a dialog or write to the console.
PAYLOADS = (
    "<script>window.__pwned=1;document.title='PWNED';alert('PWNED')</script>",
    "<img src=x onerror=\"window.__pwned=2;console.error('PWNED')\">",
    "<svg/onload=window.__pwned=3>",
    "<a href=\"javascript:window.__pwned=4\">点我</a>",
    "</script><script>window.__pwned=5</script>",
    "\"'><iframe srcdoc=\"<script>parent.__pwned=6</script>\"></iframe>",
    "<details open ontoggle=window.__pwned=7>",
    "<style>*{display:none!important}</style>",
    "<b>未闭合<i",
    "<!-- 注释",
    "{{7*7}}${7*7}#{7*7}",
    "$\\frac{1}{0}$ $x^{2$ \\(a\\)",
    "=HYPERLINK(\"http://evil.example\",\"点我\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "javascript:window.__pwned=8",
    "<math><mi xlink:href=\"javascript:window.__pwned=9\">x</mi></math>",
)
# The two counties the batch reports on: markup and path tricks in one name, a reserved device name in the other.
HOSTILE_COUNTY = "<img src=x onerror=window.__pwned=10>..\\../甲县"
RESERVED_COUNTY = "COM1.乙县."
OTHER_COUNTIES = ["丙县", "丁县"]  # generate() needs four; they are checked but get no report
TEXT_FIELDS = {
    "projects": ["project_name", "department", "delay_reason"],
    "tenders": ["buyer", "title"],
    "suppliers": ["name", "address"],
    "contract_changes": ["reason"],
    "subsidies": ["program", "enterprise_name", "project_title"],
    "commitments": ["unit", "title"],
    "targets": ["indicator"],
}
PERSONAL_FIELDS = {"suppliers": ["legal_rep", "phone", "bank_account", "id_number"],
                   "bids": ["bond_account"], "subsidies": ["bank_account"]}
NOT_PERSONAL = {"无", "不详"}  # placeholders the data uses for "none"


@dataclass
class HostileData:
    folder: Path
    counties: list[str]  # the two reported on
    personal: dict[str, str]  # every personal value of the input -> "table.column"


def plant_payloads(tables: dict[str, pd.DataFrame]) -> None:
    """Prefix every free-text value with a payload (cycling, so that every payload reaches every field)."""
    for name, columns in TEXT_FIELDS.items():
        df = tables[name]
        for k, col in enumerate(columns):
            present = df[col].notna()
            idx = df.index[present]
            prefixes = [PAYLOADS[(i + k) % len(PAYLOADS)] for i in range(len(idx))]
            df.loc[idx, col] = [p + v for p, v in zip(prefixes, df.loc[idx, col].astype(str))]


def plant_personal_text(tables: dict[str, pd.DataFrame]) -> None:
    """Delay reasons that quote a supplier's personal data (as a careless clerk's note would)."""
    projects, suppliers = tables["projects"], tables["suppliers"]
    people = suppliers.dropna(subset=["legal_rep", "phone", "id_number", "bank_account"]).head(40)
    targets = projects.index[:len(people)]
    notes = [f"联系人{r.legal_rep}，电话{r.phone}，身份证{r.id_number}，账户{r.bank_account}"
             for r in people.itertuples()]
    projects.loc[targets, "delay_reason"] = notes


def personal_values(folder: Path) -> dict[str, str]:
    """Every value of the input's personal columns, read back from the files as written."""
    out = {}
    for table, columns in PERSONAL_FIELDS.items():
        df = pd.read_csv(folder / f"{table}.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
        for col in columns:
            for v in df[col].unique():
                if len(v) >= 2 and v not in NOT_PERSONAL:
                    out[v] = f"{table}.{col}"
    return out


def write_hostile_data(folder: Path, seed: int = 11) -> HostileData:
    names = [HOSTILE_COUNTY, RESERVED_COUNTY, *OTHER_COUNTIES]
    data = generate(counties=4, projects=60, seed=seed, county_names=names)
    plant_payloads(data.tables)
    plant_personal_text(data.tables)
    write_tables(data, folder)
    return HostileData(folder, names[:2], personal_values(folder))


@pytest.fixture(scope="session")
def hostile_data(tmp_path_factory) -> HostileData:
    return write_hostile_data(tmp_path_factory.mktemp("hostile") / "data")


AS_OF = "2020-09-25"  # the synthetic data's date (generate's default)


def audit_params(params_file=None):
    from kpt_audit.params import load_params

    return load_params(params_file, as_of=AS_OF)


@dataclass
class BatchRun:
    out: Path
    failed: list  # counties whose report failed (BatchResult.failed)

    @property
    def manifest(self) -> dict:
        return json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def hostile_run(hostile_data, tmp_path_factory) -> BatchRun:
    from kpt_audit.batch import run_batch

    out = tmp_path_factory.mktemp("hostile_run") / "out"
    done = run_batch(hostile_data.folder, out, audit_params(), counties=hostile_data.counties, jobs=2)
    return BatchRun(out, done.failed)


def written_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file())


# --- the browser ---------------------------------------------------------------------------------

TRAP = """<script>
window.__kpt = {errors: [], dialogs: [], console: []};
addEventListener("error", e => window.__kpt.errors.push(String(e.message)));
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__kpt.dialogs.push(name + ":" + args.join(" ")); };
}
for (const level of ["log", "info", "warn", "error", "debug"]) {
  const original = console[level];
  console[level] = (...args) => { window.__kpt.console.push(level + ":" + args.map(String).join(" "));
                                  original.apply(console, args); };
}
</script>"""
READ_BACK = """<script>
addEventListener("load", () => setTimeout(() => {
  // the reader's "All" in each table's page-length menu, so that every row is in the text
  for (const menu of document.querySelectorAll(".dt-length select")) {
    menu.value = "-1"; menu.dispatchEvent(new Event("change", {bubbles: true}));
  }
  setTimeout(() => {
    const out = document.createElement("pre"); out.id = "kpt-trap";
    out.textContent = JSON.stringify({...window.__kpt, pwned: window.__pwned === undefined ? null : window.__pwned,
      title: document.title, text: document.body.innerText,
      tables: document.querySelectorAll("table.dataTable").length,
      iframes: document.querySelectorAll("iframe").length});
    document.body.appendChild(out);
  }, 1000);
}, 1000));
</script>"""


def open_page(html_path: Path, work_dir: Path, timeout: float = 120) -> dict:
    """What happened when headless Chromium opened the page: errors, dialogs, console, globals, text.

    Uses the browser finder of tests/report/chromium.py; the page is copied with
    a trap script first in <head> and a read-back script last in <body>.
    """
    from tests.report.chromium import find_browser

    browser = find_browser()
    if browser is None:
        pytest.skip("no Chromium on this machine")
    page = Path(html_path).read_text(encoding="utf-8")
    assert page.count("<head>") >= 1 and "</body>" in page
    page = page.replace("<head>", "<head>" + TRAP, 1)
    head, _, tail = page.rpartition("</body>")
    copy = Path(work_dir) / (Path(html_path).stem.encode("utf-8").hex()[:40] + ".probe.html")
    copy.write_text(head + READ_BACK + "</body>" + tail, encoding="utf-8")
    dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=15000",
                          "--dump-dom", copy.as_uri()], capture_output=True, text=True, timeout=timeout).stdout
    found = re.search(r'<pre id="kpt-trap">(.*?)</pre>', dom, re.S)
    if not found:
        raise AssertionError(f"the read-back did not run on {html_path}; the page printed {len(dom)} characters")
    return json.loads(html.unescape(found.group(1)))
