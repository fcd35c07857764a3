"""Every table and column: canonical frames written to CSV/parquet load back unchanged."""
from __future__ import annotations

import pandas as pd
import pytest

from kpt_audit.load import load_dataset
from kpt_audit.schema.coerce import coerce_frame
from kpt_audit.schema.tables import TABLES


def _sample(table) -> pd.DataFrame:
    """Two valid rows with a value in every column (keys distinct)."""
    data = {}
    for i, col in enumerate(table.columns):
        if col.kind in ("id", "text"):
            data[col.name] = [f"{col.name[:3]}0{i}1", f"{col.name[:3]}0{i}2"]
        elif col.kind == "enum":
            data[col.name] = [col.enum_values[0], col.enum_values[-1]]
        elif col.kind in ("amount", "number"):
            data[col.name] = [1234.5, 20.0]
        elif col.kind == "int":
            data[col.name] = [2019, 2020]
        elif col.kind == "date":
            data[col.name] = pd.to_datetime(["2020-03-01", "2021-04-02"])
        elif col.kind == "month":
            data[col.name] = ["2020-05", "2020-06"]
        elif col.kind == "bool":
            data[col.name] = [True, False]
    return coerce_frame(table.name, pd.DataFrame(data))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_table_round_trips(tmp_path, fmt):
    expected = {name: _sample(t) for name, t in TABLES.items()}
    for name, frame in expected.items():
        if fmt == "csv":
            frame.to_csv(tmp_path / f"{name}.csv", index=False, date_format="%Y-%m-%d")
        else:
            frame.to_parquet(tmp_path / f"{name}.parquet")
    ds = load_dataset(tmp_path)
    assert ds.rejections.empty
    assert set(ds.tables) == set(TABLES)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(ds.tables[name], frame, check_dtype=True, obj=name)
