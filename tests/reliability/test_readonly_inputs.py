"""Inputs are opened read-only and never modified, by load, validate, check, ocds and run.

The input folders are made read-only (chmod -R a-w).  As root that does not stop a
write, so every test also (a) compares each input file's bytes, mtime and mode and the
folder listing before and after, and (b) runs the in-process commands under an audit of
``open``/``os.open`` and the os calls that create, rename, delete or touch files: any
write-mode open or change under an input folder is recorded and fails the test.
"""
from __future__ import annotations

import builtins
import hashlib
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.cli import main
from kpt_audit.load import load_dataset
from kpt_audit.params import load_params
from kpt_audit.synth import write_synth

ROOT = Path(__file__).resolve().parents[2]
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
CHANGING_OS_CALLS = ("replace", "rename", "remove", "unlink", "rmdir", "mkdir", "utime", "chmod", "truncate", "link",
                     "symlink")


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root``: (sha256, mtime_ns, size, mode) for files, the mode for folders."""
    out = {}
    for path in sorted(root.rglob("*")):
        st = path.stat()
        rel = path.relative_to(root).as_posix()
        out[rel] = ("dir", stat.S_IMODE(st.st_mode)) if path.is_dir() else \
            (hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_size, stat.S_IMODE(st.st_mode))
    return out


def make_read_only(root: Path) -> None:
    for path in [*root.rglob("*"), root]:
        mode = stat.S_IMODE(path.stat().st_mode)
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def make_writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(stat.S_IMODE(path.stat().st_mode) | stat.S_IWUSR)


class WriteAudit:
    """Records every attempt to open for writing, create, rename, delete or touch a path under ``roots``,
    and every read of one (to show the audit saw the inputs being read)."""

    def __init__(self, monkeypatch, roots: list[Path]):
        self.roots = [r.resolve() for r in roots]
        self.writes: list[str] = []
        self.reads: list[str] = []
        real_open, real_os_open = builtins.open, os.open

        def audited_open(file, mode="r", *args, **kwargs):
            if isinstance(file, (str, bytes, os.PathLike)):
                self._note(file, any(c in mode for c in "wax+"), f"open(mode={mode!r})")
            return real_open(file, mode, *args, **kwargs)

        def audited_os_open(path, flags, *args, **kwargs):
            self._note(path, bool(flags & WRITE_FLAGS), f"os.open(flags={flags:#o})")
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", audited_open)
        monkeypatch.setattr(io, "open", audited_open)
        monkeypatch.setattr(os, "open", audited_os_open)
        for name in CHANGING_OS_CALLS:
            real = getattr(os, name)

            def changing(*args, _real=real, _name=name, **kwargs):
                for arg in args[:2]:
                    if isinstance(arg, (str, bytes, os.PathLike)):
                        self._note(arg, True, f"os.{_name}")
                return _real(*args, **kwargs)

            monkeypatch.setattr(os, name, changing)

    def _inside(self, path) -> bool:
        try:
            resolved = Path(os.fsdecode(path)).resolve()
        except (OSError, ValueError):
            return False
        return any(resolved == r or r in resolved.parents for r in self.roots)

    def _note(self, path, writing: bool, how: str) -> None:
        if self._inside(path):
            (self.writes if writing else self.reads).append(f"{how} {os.fsdecode(path)}")


@pytest.fixture
def inputs(tmp_path):
    """A small synthetic dataset with one table as xlsx and one as parquet, and a params folder with a
    county override, all read-only for the test; made writable again afterwards so tmp_path can go."""
    data = write_synth(tmp_path / "data", counties=4, projects=60, seed=11)
    progress = pd.read_csv(data / "progress.csv", dtype=str, encoding="utf-8-sig")
    progress.to_excel(data / "progress.xlsx", index=False)
    (data / "progress.csv").unlink()
    funds = pd.read_csv(data / "funds.csv", dtype=str, encoding="utf-8-sig")
    funds.to_parquet(data / "funds.parquet", index=False)
    (data / "funds.csv").unlink()
    params = tmp_path / "params"
    (params / "counties").mkdir(parents=True)
    (params / "params.yaml").write_text("as_of: 2020-09-25\nchecks:\n  idle_months: 10\n", encoding="utf-8")
    county = pd.read_csv(data / "projects.csv", dtype=str, encoding="utf-8-sig")["county"].iloc[0]
    (params / "counties" / f"{county}.yaml").write_text("checks:\n  idle_months: 6\n", encoding="utf-8")
    before = {"data": snapshot(data), "params": snapshot(params)}
    make_read_only(data)
    make_read_only(params)
    yield data, params / "params.yaml", county, before
    make_writable(data)
    make_writable(params)


def assert_unchanged(data: Path, params_file: Path, before: dict) -> None:
    after = {"data": snapshot(data), "params": snapshot(params_file.parent)}
    for part in ("data", "params"):
        # the only change allowed is the write bit chmod took away
        strip = {k: v[:-1] for k, v in after[part].items()}
        assert strip == {k: v[:-1] for k, v in before[part].items()}, f"{part} folder changed"


def test_the_audit_sees_reads_and_catches_a_write(tmp_path, monkeypatch):
    # The audit itself: a test that could never fail would prove nothing.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text("x\n", encoding="utf-8")
    audit = WriteAudit(monkeypatch, [tmp_path / "in"])
    with open(tmp_path / "in" / "a.csv", encoding="utf-8") as fh:
        fh.read()
    with open(tmp_path / "in" / "a.csv", "a", encoding="utf-8") as fh:
        fh.write("y\n")
    (tmp_path / "in" / "b.csv").touch()
    os.replace(tmp_path / "in" / "b.csv", tmp_path / "in" / "c.csv")
    with open(tmp_path / "elsewhere.txt", "w", encoding="utf-8") as fh:
        fh.write("outputs are fine")
    assert len(audit.reads) == 1
    assert {w.split("(")[0].split()[0] for w in audit.writes} == {"open", "os.utime", "os.open", "os.replace"}
    assert not any("elsewhere" in w for w in audit.writes)


def test_load_validate_and_check_never_write_inputs(inputs, tmp_path, monkeypatch, capsys):
    data, params_file, county, before = inputs
    audit = WriteAudit(monkeypatch, [data, params_file.parent])
    ds = load_dataset(data, load_params(params_file))
    assert {"projects", "progress", "funds"} <= set(ds.tables)
    assert (ds.ledger["rows_in"] == ds.ledger["rows_loaded"] + ds.ledger["rows_rejected"]).all()
    assert main(["validate", str(data), "--params", str(params_file)]) in (0, 1)
    assert main(["check", str(data), "--out", str(tmp_path / "out"), "--params", str(params_file)]) == 0
    capsys.readouterr()
    assert audit.writes == []
    read = " ".join(audit.reads)
    assert "projects.csv" in read and "progress.xlsx" in read and "params.yaml" in read
    assert (tmp_path / "out" / "findings.csv").is_file()
    assert_unchanged(data, params_file, before)


def test_ocds_never_writes_its_inputs(tmp_path, monkeypatch, capsys):
    source = tmp_path / "ocds"
    source.mkdir()
    bad_corpus = ROOT / "tests" / "data" / "bad"
    for case in ("ocds_invalid_json_line", "ocds_release_without_ocid"):
        for file in (bad_corpus / case).iterdir():
            (source / f"{case}-{file.name}").write_bytes(file.read_bytes())
    before = snapshot(source)
    make_read_only(source)
    try:
        audit = WriteAudit(monkeypatch, [source])
        assert main(["ocds", str(source), "--out", str(tmp_path / "out"), "--no-html", "--as-of", "2021-06-30"]) == 0
        capsys.readouterr()
        assert audit.writes == []
        assert len(audit.reads) >= 2
        after = snapshot(source)
    finally:
        make_writable(source)
    assert {k: v[:-1] for k, v in after.items()} == {k: v[:-1] for k, v in before.items()}


@pytest.mark.xdist_group("batch")
def test_run_with_read_only_inputs_completes_and_changes_nothing(inputs, tmp_path):
    # `run` executes notebooks in worker processes the audit cannot follow: bytes, mtimes and modes decide.
    data, params_file, county, before = inputs
    done = subprocess.run([sys.executable, "-m", "kpt_audit.cli", "run", str(data), "--out", str(tmp_path / "run"),
                           "--params", str(params_file), "--county", county, "--jobs", "1"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert (tmp_path / "run" / "index.html").is_file()
    assert_unchanged(data, params_file, before)
