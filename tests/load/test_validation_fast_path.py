"""The loader's shortcuts around pandera must never hide a failure pandera would report."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpt_audit.schema.coerce import coerce_frame
from kpt_audit.schema.tables import TABLES
from kpt_audit.schema.validation import RANGES, failures, may_fail, row_failures, row_schema

from .test_roundtrip import _sample


def _spoil(table, frame: pd.DataFrame, rng) -> pd.DataFrame:
    """Clean rows plus, in a random subset of columns, the kinds of values a row rule rejects."""
    big = pd.concat([frame] * 20, ignore_index=True)
    for col in table.columns:
        if rng.random() < 0.5:
            continue
        at = rng.choice(len(big), 2, replace=False)
        if col.required:
            big.loc[at[0], col.name] = np.nan
        if col.kind == "enum":
            big.loc[at[1], col.name] = "not-a-value"
        elif col.kind == "amount":
            big.loc[at[1], col.name] = -1.0
        elif (table.name, col.name) in RANGES:
            big.loc[at[1], col.name] = RANGES[(table.name, col.name)][1] + 1
    return coerce_frame(table.name, big)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_row_failures_equal_pandera_on_the_whole_frame(name):
    table = TABLES[name]
    rng = np.random.default_rng(len(name))
    for _ in range(4):
        frame = _spoil(table, _sample(table), rng)
        full = failures(row_schema(name, list(frame.columns)), frame)
        fast = row_failures(name, frame)
        key = ["column", "rule", "index"]
        pd.testing.assert_frame_equal(fast.sort_values(key).reset_index(drop=True),
                                      full.sort_values(key).reset_index(drop=True), check_dtype=False)


def test_may_fail_names_exactly_the_spoilt_columns():
    frame = _sample(TABLES["payments"])
    assert may_fail("payments", frame) == []
    frame.loc[0, "amount"] = -5.0
    frame.loc[1, "type"] = "gift"
    assert may_fail("payments", frame) == ["amount", "type"]


def test_boundary_values_do_not_fail():
    progress = coerce_frame("progress", pd.DataFrame({"project_id": ["P1", "P1"], "month": ["2020-01", "2020-02"],
                                                      "physical_pct": [0.0, 100.0], "investment": [0.0, 1.0]}))
    assert may_fail("progress", progress) == []
    assert failures(row_schema("progress"), progress).empty


def test_wrong_dtype_goes_to_pandera():
    frame = _sample(TABLES["payments"])
    frame["amount"] = frame["amount"].astype("object")
    assert "amount" in may_fail("payments", frame)
    assert "dtype" in set(row_failures("payments", frame)["rule"])
