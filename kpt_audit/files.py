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
from typing import Iterable, Iterator

import pandas as pd


def _file_mode() -> int:
    """The mode a plainly created file gets (mkstemp's 0600 would hide reports from colleagues)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def _write_fd(fd: int, data: bytes | Iterable[bytes], final: Path) -> None:
    """The one place a run's bytes reach the disk (the reliability tests fail it as a full disk would)."""
    with os.fdopen(fd, "wb") as fh:
        if isinstance(data, (bytes, bytearray, memoryview)):
            fh.write(data)
        else:
            for block in data:
                fh.write(block)


def atomic_write_bytes(path: Path, data: bytes | Iterable[bytes]) -> None:
    """``data`` (bytes, or blocks of bytes written as they come) at ``path``, or nothing there at all."""
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
    atomic_write_bytes(path, _csv_blocks(df))


CSV_BLOCK_ROWS = 50_000


def _csv_blocks(df: pd.DataFrame) -> Iterator[bytes]:
    """``df`` as CSV bytes, the BOM and then a block of rows at a time: the bytes one ``to_csv`` gives (it
    formats a block of rows at a time too), without the whole text held three times over (its buffer,
    the string and its UTF-8) at once: 0.3 GB for 300,000 findings."""
    yield "\ufeff".encode("utf-8")
    for start in range(0, max(len(df), 1), CSV_BLOCK_ROWS):
        block = df.iloc[start:start + CSV_BLOCK_ROWS]
        yield block.to_csv(index=False, header=start == 0, lineterminator="\n",
                           date_format="%Y-%m-%d").encode("utf-8")


def write_json(obj, path: Path) -> None:
    atomic_write_bytes(path, (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str)
                              + "\n").encode("utf-8"))


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
