"""Populations made by hand and a helper to fill in a plan workbook as an auditor would."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpt_audit.sampling.population import ITEM_COLUMNS, Population


def make_population(n: int = 1500, seed: int = 5, kind: str = "payments") -> Population:
    rng = np.random.default_rng(seed)
    items = pd.DataFrame({
        "item_id": [f"ZF{i:06d}" for i in range(n)],
        "county": rng.choice(["东城县", "西城县"], n),
        "project_id": [f"P{i % 40:03d}" for i in range(n)],
        "project_name": [f"项目{i % 40}" for i in range(n)],
        "risk": rng.choice(["high", "medium", "none"], n),
        "book_value": np.round(rng.lognormal(11, 1.3, n), 2),
        "file": "payments.csv", "sheet": "", "row": np.arange(n, dtype="int64") + 2,
    })[ITEM_COLUMNS]
    return Population(kind=kind, items=items, sources=[{"path": "/data/payments.csv", "sha256": "0" * 64}])


@pytest.fixture
def pop() -> Population:
    return make_population()


AS_OF = "2020-09-25"


@pytest.fixture(scope="session")
def data(tmp_path_factory):
    """A small synthetic dataset (CSV, yuan)."""
    from kpt_audit.synth import write_synth

    return write_synth(tmp_path_factory.mktemp("synth") / "data", counties=4, projects=120, seed=0)


@pytest.fixture(scope="session")
def run(data, tmp_path_factory):
    """The out folder of ``kpt-audit check`` on ``data``."""
    from kpt_audit.cli import main

    out = tmp_path_factory.mktemp("run")
    assert main(["check", str(data), "--out", str(out), "--as-of", AS_OF]) == 0
    return out


def fill(path, out, audited=None, sheets=None):
    """Copy the plan ``path`` to ``out`` with the audited column filled in: the book value, or
    ``audited(sheet, row_number, book)`` when given (None leaves the cell blank)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        if ws.sheet_state != "visible" or (sheets and ws.title not in sheets):
            continue
        head = [c.value for c in ws[1]]
        names = [h for h in head if h in ("审定金额（元）", "Audited value (yuan)")]
        if not names:
            continue
        a = head.index(names[0])
        b = head.index("账面金额（元）" if "账面金额（元）" in head else "Book value (yuan)")
        for r, row in enumerate(ws.iter_rows(min_row=2), start=2):
            book_value = row[b].value
            row[a].value = book_value if audited is None else audited(ws.title, r, book_value)
    book.save(out)
    return out
