"""The screenshots of docs/register.md, taken from a real register in headless Chromium; anyone can rerun it.

    .venv/bin/python scripts/register_screenshots.py [--out docs/img]

Two months on a small synthetic dataset: ``check --register`` on 2020-09-25, ``register export``,
a few findings verified, assigned, dated and rectified in the workbook, ``register import``,
``check --register`` again on 2020-10-25 (after some deadlines).  Then:

* ``register_workbook.png``: the first county's sheet of ``register export`` as Excel shows it
  (LibreOffice is not needed: the sheet is drawn as an HTML table with the workbook's own colours,
  the hidden columns left out, the editable columns yellow);
* ``register_rectification.png``: the roll-up's rectification table per county and its trend,
  as the report draws them (``kpt_audit.report.rectification``).

Without Chromium the script says so and exits 0.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kpt_audit.cli import main as kpt  # noqa: E402
from kpt_audit.register.fields import HEADERS  # noqa: E402
from kpt_audit.register.workbook import COLUMNS  # noqa: E402

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
COL = {h: i + 1 for i, h in enumerate(COLUMNS)}


def fill(path: Path, out: Path) -> Path:
    """What an auditor might write after a month: a few rows of each sheet verified and assigned."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    plans = [{"核实结果": "属实", "责任单位": "县发改局", "整改期限": dt.datetime(2020, 10, 15)},
             {"核实结果": "属实", "责任单位": "县财政局", "整改期限": dt.datetime(2021, 3, 31), "整改状态": "整改中"},
             {"核实结果": "不属实", "核实说明": "延期开工已获批复"},
             {"核实结果": "部分属实", "责任单位": "县住建局", "整改期限": dt.datetime(2020, 10, 20), "整改状态": "已整改",
              "整改金额（万元）": 120, "整改说明": "已收回超付款"},
             {"核实结果": "属实", "责任单位": "县交通局", "整改期限": dt.datetime(2020, 10, 20)}]
    for sheet in book.worksheets[:-1]:
        for row, plan in enumerate(plans, start=2):
            for header, value in plan.items():
                sheet.cell(row, COL[header]).value = value
    book.save(out)
    return out


def sheet_html(path: Path, rows: int = 12) -> str:
    """The first sheet of an exported workbook as an HTML page looking like Excel (hidden columns left out)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    editable = {COL[HEADERS[f]] for f in HEADERS}
    shown = [j for j in range(1, COL["finding_id"])]
    widths = {j: (sheet.column_dimensions[openpyxl.utils.get_column_letter(j)].width or 10) for j in shown}
    cells = []
    for i, row in enumerate(sheet.iter_rows(min_row=1, max_row=rows + 1, max_col=max(shown)), start=1):
        tds = []
        for j, cell in enumerate(row, start=1):
            value = cell.value
            if isinstance(value, dt.datetime):
                value = value.strftime("%Y-%m-%d")
            elif isinstance(value, float):
                value = f"{value:,.2f}"
            css = "head" if i == 1 else ("edit" if j in editable else "")
            if i == 1 and j in editable:
                css = "head edit-head"
            mark = " ▾" if i > 1 and j in (COL["核实结果"], COL["整改状态"]) else ""
            tds.append(f"<td class='{css}' style='max-width:{widths[j] * 7}px'>"
                       f"{html.escape('' if value is None else str(value))}{mark}</td>")
        cells.append(f"<tr><th>{i}</th>{''.join(tds)}</tr>")
    letters = "".join(f"<th>{openpyxl.utils.get_column_letter(j)}</th>" for j in shown)
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
            "body{margin:0;font:12px 'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;background:#fff}"
            ".tab{padding:4px 8px;background:#f3f3f3;border-bottom:1px solid #ccc}"
            "table{border-collapse:collapse}td,th{border:1px solid #d4d4d4;padding:2px 4px;vertical-align:top;"
            "overflow:hidden;white-space:nowrap;text-overflow:ellipsis}th{background:#f3f3f3;color:#555;"
            "font-weight:normal}.head{background:#DDEBF7;font-weight:bold;white-space:normal}"
            ".edit-head{background:#FFF2CC}.edit{background:#FFFBEA}</style></head><body>"
            f"<div class='tab'>工作表：<b>{html.escape(sheet.title)}</b>（共 {len(book.worksheets) - 1} 个县区；"
            "黄色列可编辑，其余锁定；核实结果、整改状态为下拉列表）</div>"
            f"<table><tr><th></th>{letters}</tr>{''.join(cells)}</table></body></html>")


def rectification_html(run_dir: Path) -> str:
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from kpt_audit.report import rollup
    from kpt_audit.report.display import STYLE
    from kpt_audit.report.rectification import show_rollup_register

    InteractiveShell.instance()
    run = rollup.load_run(run_dir)
    with capture_output() as captured:
        show_rollup_register(run)
    body = "\n".join(o.data.get("text/html", "") for o in captured.outputs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{STYLE}<style>body{{margin:12px;"
            f"font-family:'Noto Sans CJK SC',sans-serif}}.kpt-screen{{display:block!important}}"
            f".kpt-print{{display:none!important}}</style></head><body>{body}</body></html>")


def shoot(browser: str, page: Path, png: Path, width: int, height: int) -> None:
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "img"))
    args = ap.parse_args(argv)
    browser = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    if browser is None:
        print("no Chromium here (Debian: apt-get install chromium): no screenshots taken")
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kpt-register-shots-") as tmp:
        work = Path(tmp)
        reg = str(work / "register.sqlite")
        assert kpt(["synth", str(work / "data"), "--counties", "4", "--seed", "0"]) == 0
        assert kpt(["check", str(work / "data"), "--out", str(work / "m1"), "--as-of", "2020-09-25",
                    "--register", reg]) == 0
        assert kpt(["register", "export", reg, "--out", str(work / "m1.xlsx")]) == 0
        fill(work / "m1.xlsx", work / "m1-filled.xlsx")
        assert kpt(["register", "import", reg, str(work / "m1-filled.xlsx"), "--by", "王审计"]) == 0
        assert kpt(["check", str(work / "data"), "--out", str(work / "m2"), "--as-of", "2020-10-25",
                    "--register", reg]) == 0
        assert kpt(["register", "export", reg, "--out", str(work / "m2.xlsx")]) == 0
        (work / "sheet.html").write_text(sheet_html(work / "m2.xlsx"), encoding="utf-8")
        shoot(browser, work / "sheet.html", out / "register_workbook.png", 1900, 330)
        (work / "table.html").write_text(rectification_html(work / "m2"), encoding="utf-8")
        shoot(browser, work / "table.html", out / "register_rectification.png", 1000, 600)
    print(out / "register_workbook.png")
    print(out / "register_rectification.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
