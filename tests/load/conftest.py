"""Helpers for loader tests: every test builds its files in tmp_path."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

PROJECTS_CSV = "项目编码,项目名称,县区\nP001,污水处理厂,甲县\nP002,道路工程,乙县\n"


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def assert_ledger_balances(ds) -> None:
    """rows_in == loaded + rejected per file, and both agree with the tables and the rejections."""
    for row in ds.ledger.itertuples(index=False):
        assert row.rows_in == row.rows_loaded + row.rows_rejected, row
        if row.table:
            assert len(ds.tables[row.table]) == row.rows_loaded, row
            rejected_rows = ds.rejections.loc[ds.rejections["file"] == row.file, "row"].nunique()
            assert rejected_rows == row.rows_rejected, row


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    write_text(root / "projects.csv", PROJECTS_CSV)
    return root


def column_values(ds, table: str, column: str) -> list:
    return ds.tables[table][column].tolist()


__all__ = ["write_text", "assert_ledger_balances", "column_values", "PROJECTS_CSV", "pd"]
