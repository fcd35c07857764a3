"""Batch faults: a kernel that dies, a worker killed, a full disk (in the worker and in the batch itself).

In every case the other county finishes, the failure is in the manifest, the
index and the batch result's failed counties (the command exits 3), and nothing
half-written is left under a final name.  (A notebook that raises or hangs: tests/test_batch.py.)  Then --resume
redoes only the county whose parameters or input data changed.
"""
from __future__ import annotations

import errno
import html
import json
import os
import re
import shutil
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kpt_audit import files
from kpt_audit.batch import run_batch
from kpt_audit.report.runner import notebooks_dir

from tests.reliability.conftest import audit_params

pytestmark = pytest.mark.xdist_group("reliability")


def notebooks_with(tmp_path: Path, county: str, code: str) -> Path:
    """A copy of the notebooks whose county report runs ``code`` (after the parameters) for ``county`` only."""
    folder = tmp_path / "nb"
    shutil.copytree(notebooks_dir(), folder)
    nb = nbformat.read(folder / "county_report.ipynb", as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    indented = "\n".join("    " + line for line in code.strip().splitlines())
    nb.cells.insert(first + 2, nbformat.v4.new_code_cell(f"if county == {county!r}:\n{indented}"))
    nbformat.write(nb, folder / "county_report.ipynb")
    return folder


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def assert_nothing_half_written(out: Path) -> None:
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]
    for ipynb in out.rglob("*.ipynb"):
        nbformat.read(ipynb, as_version=4)           # whole JSON notebooks
    for page in out.rglob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
    for table in out.rglob("*.parquet"):
        pd.read_parquet(table)
    for name in ("manifest.json",):
        json.loads((out / name).read_text(encoding="utf-8"))


def assert_one_failed(out: Path, failed: list, bad: str, good: str, status: str = "failed") -> dict:
    assert failed == [bad]  # the command line exits 3
    m = {c["county"]: c for c in manifest(out)["counties"]}
    assert m[bad]["status"] == status and m[bad]["error"]
    assert m[good]["status"] == "ok" and (out / m[good]["html"]).is_file()
    assert not (out / m[bad]["html"]).exists()                     # no report that looks complete
    index = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(rf"""data-kpt-status=["']{status}["']""", index)
    assert html.escape(bad, quote=False) in index
    assert manifest(out)["rollup"]["status"] == "ok"
    assert_nothing_half_written(out)
    return m[bad]


def test_a_kernel_that_dies(hostile_data, tmp_path):
    bad, good = hostile_data.counties
    out = tmp_path / "run"
    failed = run_batch(hostile_data.folder, out, audit_params(), counties=[bad, good], jobs=2,
                     notebooks=notebooks_with(tmp_path, bad, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")).failed
    entry = assert_one_failed(out, failed, bad, good)
    assert "DeadKernel" in entry["error"] or "died" in entry["error"].lower()
    assert entry["notebook"] and (out / entry["notebook"]).is_file()  # the trail shows where it stopped


def test_a_killed_worker_process(hostile_data, tmp_path):
    bad, good = hostile_data.counties
    out = tmp_path / "run"
    pid_file = tmp_path / "kernel.pid"
    failed = run_batch(hostile_data.folder, out, audit_params(), counties=[bad, good], jobs=2, notebooks=notebooks_with(
        tmp_path, bad, f"import os, signal\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                       "os.kill(os.getppid(), signal.SIGKILL)\nimport time\ntime.sleep(60)")).failed
    entry = assert_one_failed(out, failed, bad, good)
    assert entry["error"] == "worker killed by signal 9"
    assert entry["notebook"] is None                                   # its partial notebook was not kept
    # the orphaned kernel notices its parent is gone and ends (it does not linger for the sleep)
    kernel = int(pid_file.read_text())
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _alive(kernel):
        time.sleep(0.5)
    assert not _alive(kernel)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie no one reaped yet counts as ended
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def test_a_full_disk_in_the_worker(hostile_data, tmp_path):
    """The county's worker may write no more than 4 kB per file from mid-run (RLIMIT_FSIZE on the worker)."""
    bad, good = hostile_data.counties
    out = tmp_path / "run"
    failed = run_batch(hostile_data.folder, out, audit_params(), counties=[bad, good], jobs=2, notebooks=notebooks_with(
        tmp_path, bad, "import os, resource\nresource.prlimit(os.getppid(), resource.RLIMIT_FSIZE, (4096, 4096))")).failed
    entry = assert_one_failed(out, failed, bad, good)
    assert "File too large" in entry["error"] or "No space" in entry["error"]
    assert entry["notebook"] is None


def test_a_full_disk_while_the_batch_writes_a_county(hostile_data, tmp_path, monkeypatch):
    """Half of the bytes reach the disk, then ENOSPC, for every file of one county's slice."""
    bad, good = hostile_data.counties
    real = files._write_fd

    def full_disk(fd, data, final):
        if "slices" in final.parts and bad_slug_part(final):
            with os.fdopen(fd, "wb") as fh:
                fh.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data, final)

    def bad_slug_part(final: Path) -> bool:
        return final.parts[final.parts.index("slices") + 1].startswith("_img")

    monkeypatch.setattr(files, "_write_fd", full_disk)
    out = tmp_path / "run"
    failed = run_batch(hostile_data.folder, out, audit_params(), counties=[bad, good], jobs=2).failed
    entry = assert_one_failed(out, failed, bad, good)
    assert "No space left on device" in entry["error"]
    assert not (out / "slices" / entry["slug"]).exists()


def test_resume_redoes_only_the_county_whose_params_or_data_changed(hostile_data, tmp_path):
    first, second = hostile_data.counties
    data = tmp_path / "data"
    shutil.copytree(hostile_data.folder, data)
    params = tmp_path / "params" / "params.yaml"
    params.parent.mkdir()
    shutil.copy(Path(__file__).resolve().parents[2] / "params" / "default.yaml", params)
    out = tmp_path / "run"
    assert run_batch(data, out, audit_params(params), counties=[first, second], jobs=2).failed == []

    def rerun() -> set[str]:
        assert run_batch(data, out, audit_params(params), counties=[first, second], jobs=2,
                         resume=True).failed == []
        entries = manifest(out)["counties"]
        assert all(c["status"] == "ok" and (out / c["html"]).is_file() for c in entries)
        return {c["county"] for c in entries if not c.get("resumed")}

    assert rerun() == set()
    (params.parent / "counties").mkdir()
    (params.parent / "counties" / f"{second}.yaml").write_text("checks:\n  behind_factor: 0.5\n", encoding="utf-8")
    assert rerun() == {second}
    slug = next(c["slug"] for c in manifest(out)["counties"] if c["county"] == second)
    assert "behind_factor = 0.5" in (out / "counties" / f"{slug}.html").read_text(encoding="utf-8")

    projects = pd.read_csv(data / "projects.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    row = projects.index[projects["county"] == first][0]
    projects.loc[row, "project_name"] = projects.loc[row, "project_name"] + "（变更）"
    projects.to_csv(data / "projects.csv", index=False, encoding="utf-8-sig")
    assert rerun() == {first}
    assert rerun() == set()
