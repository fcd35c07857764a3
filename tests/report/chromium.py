"""Open an HTML report in headless Chromium and report what a reader would see (for tests).

The page is copied with two small scripts added: one at the top that records
every error and console.error, one at the end that clicks a table header
and reads the rows back.  Chromium prints the resulting DOM, from which the
probe's JSON is read.  No driver package is needed, only the browser.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

RECORDER = """<script>
window.__kptErrors = [];
window.addEventListener("error", e => window.__kptErrors.push(String(e.message)));
window.addEventListener("unhandledrejection", e => window.__kptErrors.push(String(e.reason)));
(() => { const original = console.error;
  console.error = (...args) => { window.__kptErrors.push(args.map(String).join(" ")); original(...args); }; })();
</script>"""

PROBE = """<script>
window.addEventListener("load", () => setTimeout(() => {
  const out = document.createElement("pre"); out.id = "kpt-probe";
  const result = {errors: window.__kptErrors, tables: document.querySelectorAll("table.dataTable").length};
  const header = %(header)s;
  const table = [...document.querySelectorAll("table.dataTable")].find(t =>
      [...t.querySelectorAll("thead th")].some(th => th.textContent.trim() === header));
  const finish = () => { out.textContent = JSON.stringify(result); document.body.appendChild(out); };
  if (!table) { finish(); return; }
  const col = [...table.querySelectorAll("thead th")].findIndex(th => th.textContent.trim() === header);
  const read = () => [...table.querySelectorAll("tbody tr")].map(r => r.cells[col] ? r.cells[col].textContent : "");
  result.before = read();
  result.search = !!table.closest(".dt-container") && !!table.closest(".dt-container").querySelector("input[type=search]");
  // a click on the header's text, not on its small ordering icon: the whole header sorts
  const th = table.querySelectorAll("thead th")[col];
  (th.querySelector(".dt-column-title") || th).click();
  setTimeout(() => { result.after = read(); finish(); }, 500);
}, 1000));
</script>"""


def find_browser() -> str | None:
    return next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)


def probe(html_path: Path, header: str, work_dir: Path, timeout: float = 90) -> dict:
    """Errors raised while the page loads, and the ``header`` column's cells before and after one click."""
    browser = find_browser()
    page = Path(html_path).read_text(encoding="utf-8")
    page = page.replace("<head>", "<head>" + RECORDER, 1)
    page = page.replace("</body>", PROBE % {"header": json.dumps(header, ensure_ascii=False)} + "</body>", 1)
    copy = Path(work_dir) / "probe.html"
    copy.write_text(page, encoding="utf-8")
    dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
                          "--dump-dom", copy.as_uri()], capture_output=True, text=True, timeout=timeout).stdout
    found = re.search(r'<pre id="kpt-probe">(.*?)</pre>', dom, re.S)
    if not found:
        raise AssertionError(f"the probe did not run; the page printed {len(dom)} characters")
    import html

    return json.loads(html.unescape(found.group(1)))
