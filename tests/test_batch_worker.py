"""batch_worker.execute: a kernel that dies before it starts is started again; a notebook's own error is not retried."""
from __future__ import annotations

import nbformat
import papermill
import pytest

from kpt_audit import batch_worker


def _notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x = 1"))
    nbformat.write(nb, str(path))
    return path


def _fake(fail_with: list):
    calls = []

    def execute_notebook(src, dst, **_):
        calls.append(dst)
        if fail_with:
            raise fail_with.pop(0)
        nbformat.write(nbformat.read(src, as_version=4), dst)
    return execute_notebook, calls


def test_a_kernel_that_dies_before_replying_is_started_again(tmp_path, monkeypatch):
    fake, calls = _fake([RuntimeError("Kernel died before replying to kernel_info")])
    monkeypatch.setattr(papermill, "execute_notebook", fake)
    import kpt_audit.report.html as html
    monkeypatch.setattr(html, "notebook_to_html", lambda src, out, *a, **k: out.write_text("ok"))
    nb = _notebook(tmp_path / "in.ipynb")
    batch_worker.execute(nb, tmp_path / "out.ipynb", tmp_path / "out.html", {}, "t")
    assert len(calls) == 2 and (tmp_path / "out.ipynb").exists() and (tmp_path / "out.html").read_text() == "ok"


def test_a_notebook_error_or_a_kernel_that_never_starts_fails_the_county(tmp_path, monkeypatch):
    nb = _notebook(tmp_path / "in.ipynb")
    fake, calls = _fake([ValueError("a cell failed")])
    monkeypatch.setattr(papermill, "execute_notebook", fake)
    with pytest.raises(batch_worker.NotebookFailed, match="a cell failed"):
        batch_worker.execute(nb, tmp_path / "out.ipynb", tmp_path / "out.html", {}, "t")
    assert len(calls) == 1  # a notebook's own error is not retried
    fake, calls = _fake([RuntimeError("Kernel died before replying to kernel_info")] * batch_worker.START_ATTEMPTS)
    monkeypatch.setattr(papermill, "execute_notebook", fake)
    with pytest.raises(batch_worker.NotebookFailed, match="Kernel died"):
        batch_worker.execute(nb, tmp_path / "out.ipynb", tmp_path / "out.html", {}, "t")
    assert len(calls) == batch_worker.START_ATTEMPTS
