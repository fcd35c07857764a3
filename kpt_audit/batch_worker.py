"""Executes county notebooks with papermill and renders them to HTML, in a process of its own.

``python -m kpt_audit.batch_worker --serve`` (what the batch starts, see
``worker_pool.py``): jobs as JSON lines on stdin, one JSON result line per
job on the original stdout; anything else printed goes to stderr.

``python -m kpt_audit.batch_worker NOTEBOOK OUT_IPYNB OUT_HTML PARAMS_JSON TITLE``:
one notebook, exit 1 with the error on the last line of stderr.

The executed notebook is written to a temporary name and renamed; on an error
it is still kept (with the error in it) as the audit trail, and the HTML is
not written.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path


class NotebookFailed(Exception):
    """The notebook raised; the message is the error on one line."""


# A kernel that dies or hangs before answering its first message has run no cell of the notebook, so it is
# started again: two kernels started at once on a loaded machine now and then lose that race, and a
# county's report should not fail for it.
KERNEL_START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond")
START_ATTEMPTS = 3


def _kernel_did_not_start(exc: Exception) -> bool:
    return any(words in str(exc) for words in KERNEL_START_FAILURES)


def execute(notebook, out_ipynb, out_html, parameters: dict, title: str, lang: str | None = None) -> None:
    out_ipynb, out_html = Path(out_ipynb), Path(out_html)
    out_ipynb.parent.mkdir(parents=True, exist_ok=True)
    out_html.unlink(missing_ok=True)  # never leave an earlier run's report under the final name
    tmp = out_ipynb.with_name(f".{out_ipynb.name}.{os.getpid()}.tmp.ipynb")
    import papermill as pm

    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            pm.execute_notebook(str(notebook), str(tmp), parameters=parameters, kernel_name="python3",
                                cwd=str(Path(notebook).parent), progress_bar=False, log_output=False)
            break
        except Exception as exc:  # papermill has written the notebook with the error in it
            if attempt < START_ATTEMPTS and _kernel_did_not_start(exc):
                continue
            keep_trail(tmp, out_ipynb)
            raise NotebookFailed(one_line(getattr(exc, "ename", None) or type(exc).__name__,
                                          getattr(exc, "evalue", None) or str(exc))) from None
    os.replace(tmp, out_ipynb)
    from .report.html import notebook_to_html

    # the page's language: the run's (a county notebook has it among its parameters, the roll-up reads its run's)
    notebook_to_html(out_ipynb, out_html, title, lang=lang or parameters.get("lang", "zh"))


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


def serve() -> int:
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints of libraries must not mix with the results
    sys.stdout = sys.stderr
    import papermill  # noqa: F401  the import cost is paid once per worker, not per county

    from .report.html import exporter

    exporter("warm-up")
    for line in sys.stdin:
        job = json.loads(line)
        try:
            execute(job["notebook"], job["out_ipynb"], job["out_html"], job["parameters"], job["title"], job.get("lang"))
            result = {"status": "ok", "error": ""}
        except NotebookFailed as exc:
            result = {"status": "failed", "error": str(exc)}
        except Exception as exc:  # HTML export, a full disk ...: this county fails, the worker is replaced
            result = {"status": "failed", "error": one_line(type(exc).__name__, str(exc))}
        protocol.write(json.dumps(result, ensure_ascii=False) + "\n")
        protocol.flush()
    return 0


def main(argv: list[str]) -> int:
    if argv == ["--serve"]:
        return serve()
    notebook, out_ipynb, out_html, params_json, title = argv
    try:
        execute(notebook, out_ipynb, out_html, json.loads(params_json), title)
    except NotebookFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as exc:  # HTML export and the like: the batch reads the last stderr line
        import traceback

        traceback.print_exc()
        print(one_line(type(exc).__name__, str(exc)), file=sys.stderr)
        sys.exit(1)
