"""One county's notebook: papermill execution then HTML (run in its own process by batch.py).

Usage: python -m kpt_audit.batch_worker NOTEBOOK OUT_IPYNB OUT_HTML PARAMS_JSON TITLE

The executed notebook is written to a temporary name and renamed; on an error
it is still kept (with the error in it) as the audit trail, the HTML is not
written, and the exit code is 1 with the error on the last line of stderr.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    notebook, out_ipynb, out_html, params_json, title = argv
    out_ipynb, out_html = Path(out_ipynb), Path(out_html)
    out_ipynb.parent.mkdir(parents=True, exist_ok=True)
    out_html.unlink(missing_ok=True)  # never leave an earlier run's report under the final name
    parameters = json.loads(params_json)
    tmp = out_ipynb.with_name(f".{out_ipynb.name}.{os.getpid()}.tmp.ipynb")
    import papermill as pm

    try:
        pm.execute_notebook(str(notebook), str(tmp), parameters=parameters, kernel_name="python3",
                            cwd=str(Path(notebook).parent), progress_bar=False, log_output=False)
    except Exception as exc:  # papermill has written the notebook with the error in it
        keep_trail(tmp, out_ipynb)
        print(one_line(getattr(exc, "ename", None) or type(exc).__name__, getattr(exc, "evalue", None) or str(exc)),
              file=sys.stderr)
        return 1
    os.replace(tmp, out_ipynb)
    from .report.html import notebook_to_html

    notebook_to_html(out_ipynb, out_html, title, lang=parameters.get("lang", "zh"))
    return 0


def keep_trail(tmp: Path, out_ipynb: Path) -> None:
    """The failed notebook becomes the audit trail, unless its own writing failed (a full disk): then
    it may be cut short, and a cut-short file must not stand under the final name."""
    import nbformat

    if not tmp.exists():
        return
    try:
        nbformat.read(str(tmp), as_version=4)
    except Exception:  # truncated JSON, unreadable: no trail rather than a broken one
        tmp.unlink(missing_ok=True)
        return
    os.replace(tmp, out_ipynb)


def one_line(kind: str, message: str) -> str:
    """The error as the batch's manifest shows it: kind and the message's lines on one line."""
    text = " | ".join(line.strip() for line in str(message).strip().splitlines() if line.strip())
    return f"{kind}: {text[:500]}"


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as exc:  # HTML export and the like: the batch reads the last stderr line
        import traceback

        traceback.print_exc()
        print(one_line(type(exc).__name__, str(exc)), file=sys.stderr)
        sys.exit(1)
