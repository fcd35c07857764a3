"""Bytes to and from the disk: the one atomic writer and the one file hasher.

A low-level module (it imports nothing of kpt_audit), so that the loader, the
output writers, the reports and the batch all use the same two functions
without importing each other.

Every file is written to a temporary name in the same folder and renamed, so
an interrupted run never leaves a half-written file under a final name.  CSVs
are UTF-8 with BOM (Excel opens them with Chinese intact) and deterministic.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd


def _file_mode() -> int:
    """The mode a plainly created file gets (mkstemp's 0600 would hide reports from colleagues)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def _write_fd(fd: int, data: bytes, final: Path) -> None:
    """The one place a run's bytes reach the disk (the reliability tests fail it as a full disk would)."""
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _write_fd(fd, data, path)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(df: pd.DataFrame, path: Path) -> None:
    text = df.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
    atomic_write_bytes(path, ("\ufeff" + text).encode("utf-8"))


def write_json(obj, path: Path) -> None:
    atomic_write_bytes(path, (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str)
                              + "\n").encode("utf-8"))


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
