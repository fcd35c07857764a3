"""Parquet: typed columns take the fast path and end in canonical dtypes."""
from __future__ import annotations

import numpy as np
import pandas as pd

from kpt_audit.load import load_dataset
from kpt_audit.schema.coerce import DTYPES
from kpt_audit.schema.tables import TABLES

from .conftest import PROJECTS_CSV, write_text


def test_typed_parquet_loads_with_canonical_dtypes(tmp_path):
    write_text(tmp_path / "projects.csv", PROJECTS_CSV)
    payments = pd.DataFrame({
        "payment_id": ["Z1", "Z2", "Z2"],
        "project_id": ["P001", "P002", "P002"],
        "payee_id": ["S1", "S2", "S2"],
        "date": pd.to_datetime(["2020-01-01 10:00", "2020-02-01 00:00", "2020-03-01 00:00"]),
        "amount": np.array([100, 250, 3], dtype="int64"),
        "type": ["预付款", "progress", None],
    })
    payments.to_parquet(tmp_path / "payments.parquet")
    ds = load_dataset(tmp_path)
    got = ds.tables["payments"]
    for name in got.columns:
        assert str(got[name].dtype) == DTYPES[TABLES["payments"].column(name).kind], name
    assert got["date"].tolist() == [pd.Timestamp("2020-01-01"), pd.Timestamp("2020-02-01")]
    assert got["amount"].tolist() == [100.0, 250.0]
    assert got["type"].tolist() == ["advance", "progress"]
    rej = ds.rejections.iloc[0]
    assert (rej["file"], rej["row"], rej["sheet"]) == ("payments.parquet", 3, "")
    assert ds.ledger.set_index("file").loc["payments.parquet", ["rows_in", "rows_loaded", "rows_rejected"]].tolist() \
        == [3, 2, 1]


def test_parquet_with_numeric_ids_and_chinese_headers(tmp_path):
    pd.DataFrame({"项目编码": [1, 2], "项目名称": ["a", "b"], "县区": ["甲县", "乙县"],
                  "计划总投资(万元)": [1.5, 2.0]}).to_parquet(tmp_path / "项目台账.parquet")
    ds = load_dataset(tmp_path)
    p = ds.tables["projects"]
    assert p["project_id"].tolist() == ["1", "2"]
    assert p["total_investment"].tolist() == [15_000.0, 20_000.0]
