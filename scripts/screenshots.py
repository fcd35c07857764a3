"""The README's screenshots, taken from the real demo in headless Chromium; anyone can rerun it.

    .venv/bin/python scripts/screenshots.py [--demo DIR] [--out docs/img]

* ``county_report.png``: the first county page of the demo run;
* ``explorer.png``: ``notebooks/explore.ipynb`` running in JupyterLab (in
  Chinese) on the demo, its code hidden, one county and one finding chosen
  so that the picture shows the filters, the summary line, the table, the
  detail and the source rows.

Without ``--demo`` the demo is built first (``kpt-audit demo`` into a
temporary folder, about a minute).  JupyterLab runs on a free local port
with a random token and its own settings folder, and is stopped at the end.
Chromium is driven over its DevTools protocol (tornado's websocket client,
already a dependency of Jupyter), so nothing else is installed.  Without
Chromium the script says so and exits 0: there is nothing to shoot with.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# what the explorer cell of the copy shows: one county, and its first finding of a check whose source
# rows include payments (a contract's), else its first finding
SHOWN_CHECKS = ("COS12", "COS04", "COS08")
EXPLORER_CELL = """widget = ka.explore(result, out_dir=out_dir)
widget.explorer.county.value = {county!r}
options = widget.explorer.pick.options
widget.explorer.pick.value = next((v for k, v in options if k.startswith({checks!r})), options[0][1])
widget"""
# JupyterLab (window.jupyterapp, exposed for this) has opened the notebook and its kernel waits for
# work; the notebook is activated (a headless window has no focus to make it the notebook that
# commands act on) and the file browser folded away
NOTEBOOK_READY = (
    "(() => { const app = window.jupyterapp; if (!app) return false; "
    "const panel = [...app.shell.widgets('main')].find(w => w.sessionContext); if (!panel) return false; "
    "app.shell.activateById(panel.id); app.shell.collapseLeft(); "
    "const session = panel.sessionContext.session, kernel = session && session.kernel; "
    "return !!kernel && kernel.status === 'idle'; })()")
# the settings of the JupyterLab the picture is taken in: Chinese, no news pop-up
LAB_SETTINGS = {
    "@jupyterlab/translation-extension/plugin.jupyterlab-settings": {"locale": "zh_CN"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


def find_browser() -> str | None:
    return next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Page:
    """One headless Chromium tab driven over the DevTools protocol."""

    def __init__(self, browser: str, profile: Path, width: int, height: int):
        self.size = (width, height)
        self.proc = subprocess.Popen(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.ws = None
        self.n = 0

    async def open(self) -> None:
        from tornado.websocket import websocket_connect

        for line in self.proc.stderr:  # Chromium names its DevTools port on stderr
            found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if found:
                break
        else:
            raise RuntimeError("Chromium did not start its DevTools server")
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{found.group(1)}/json/list"))
        self.ws = await websocket_connect(next(p["webSocketDebuggerUrl"] for p in pages if p["type"] == "page"),
                                          max_message_size=256 << 20)
        await self.call("Emulation.setDeviceMetricsOverride", width=self.size[0], height=self.size[1],
                        deviceScaleFactor=1, mobile=False)

    async def call(self, method: str, timeout: float = 60, **params) -> dict:
        self.n += 1
        self.ws.write_message(json.dumps({"id": self.n, "method": method, "params": params}))
        return await asyncio.wait_for(self._answer(self.n, method), timeout)

    async def _answer(self, n: int, method: str) -> dict:
        while True:
            message = await self.ws.read_message()
            if message is None:
                raise RuntimeError(f"{method}: Chromium closed the connection")
            message = json.loads(message)
            if message.get("id") == n:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    async def evaluate(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, timeout: float, what: str) -> None:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if await self.evaluate(expression):
                return
            await asyncio.sleep(0.5)
        raise TimeoutError(f"{what} did not appear within {timeout:.0f} s")

    async def shoot(self, path: Path) -> Path:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def shoot_county_page(browser: str, page_path: Path, out: Path, work: Path) -> Path:
    page = Page(browser, work / "chromium-county", 1280, 1600)
    try:
        await page.open()
        await page.call("Page.navigate", url=page_path.resolve().as_uri())
        await page.wait_for("document.readyState === 'complete' && document.querySelectorAll('table').length > 0",
                            60, "the county page's tables")
        await asyncio.sleep(2)  # DataTables draws after load
        return await page.shoot(out)
    finally:
        page.close()


def explorer_copy(work: Path, data_dir: Path, run_dir: Path, as_of: str, county: str) -> Path:
    """notebooks/explore.ipynb with the demo's folders as parameters, one county and finding chosen,
    and its code cells collapsed (what the picture shows is the explorer, not its three lines)."""
    import nbformat

    nb = nbformat.read(str(ROOT / "notebooks" / "explore.ipynb"), as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = "\n".join([f"data_dir = {str(data_dir)!r}", f"out_dir = {str(run_dir)!r}",
                                     "params_file = None", f"as_of = {as_of!r}"])
        elif "ka.explore(" in cell.source:
            cell.source = EXPLORER_CELL.format(county=county, checks=SHOWN_CHECKS)
        cell.metadata["jupyter"] = {"source_hidden": True}
    path = work / "lab" / "explore.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def start_lab(root: Path, settings: Path, port: int, token: str) -> subprocess.Popen:
    for name, value in LAB_SETTINGS.items():
        plugin, file = name.rsplit("/", 1)
        (settings / plugin).mkdir(parents=True, exist_ok=True)
        (settings / plugin / file).write_text(json.dumps(value), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={settings}",
               "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # Jupyter refuses root unless told
        command.append("--allow-root")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=root)


async def shoot_explorer(browser: str, data_dir: Path, run_dir: Path, as_of: str, county: str, out: Path,
                         work: Path, timeout: float = 180) -> Path:
    notebook = explorer_copy(work, data_dir, run_dir, as_of, county)
    port, token = free_port(), secrets.token_hex(16)
    lab = start_lab(notebook.parent, work / "lab-settings", port, token)
    page = Page(browser, work / "chromium-lab", 1400, 1800)
    try:
        url = f"http://127.0.0.1:{port}/lab?token={token}"
        start = time.monotonic()
        while True:  # the server answers once it is up
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                if lab.poll() is not None or time.monotonic() - start > 60:
                    raise RuntimeError("JupyterLab did not start") from None
                time.sleep(0.5)
        await page.open()
        await page.call("Page.navigate", url=f"http://127.0.0.1:{port}/lab/tree/{notebook.name}?token={token}")
        # run every cell once the kernel is idle; the picture waits for the chosen finding's source rows
        await page.wait_for(NOTEBOOK_READY, 90, "JupyterLab's notebook with an idle kernel")
        await page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells'), true")
        try:
            await page.wait_for("!!document.querySelector('.jp-OutputArea .kpt-explore-source')", timeout,
                                "the explorer with a finding's source rows")
        except TimeoutError:
            await page.shoot(out.with_name(out.stem + ".failed.png"))  # what the page showed instead
            raise
        await page.evaluate("document.querySelector('.jp-OutputArea .widget-vbox').scrollIntoView()")
        await asyncio.sleep(2)  # the chart image and fonts settle
        return await page.shoot(out)
    finally:
        page.close()
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()


def build_demo(out: Path) -> Path:
    from kpt_audit.cli import main

    if main(["demo", "--out", str(out)]) != 0:
        raise RuntimeError("kpt-audit demo failed")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demo", type=Path, help="a demo run folder (kpt-audit demo --out DIR); built when omitted")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)
    browser = find_browser()
    if browser is None:
        print("no Chromium here (Debian: apt-get install chromium): no screenshots taken")
        return 0
    sys.path.insert(0, str(ROOT))
    from kpt_audit.synth.demo import DEMO_AS_OF

    with tempfile.TemporaryDirectory(prefix="kpt-screenshots-") as tmp:
        work = Path(tmp)
        demo = args.demo or build_demo(work / "demo")
        manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
        first = manifest["counties"][0]
        county = asyncio.run(shoot_county_page(browser, demo / first["html"], args.out / "county_report.png", work))
        print(f"written {county}")
        explorer = asyncio.run(shoot_explorer(browser, (demo / "data").resolve(), demo.resolve(), DEMO_AS_OF,
                                              first["county"], args.out / "explorer.png", work))
        print(f"written {explorer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
