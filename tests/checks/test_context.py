"""The as-of view drops late rows without copying the arrow columns it keeps."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from kpt_audit.checks.context import MAX_KEPT_RUNS, Context, rows_kept


def mixed_frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    ids = pd.Series([f"P{i:05d}" if i % 7 else None for i in range(n)], dtype="str")
    return pd.DataFrame({
        "payment_id": ids,
        "amount": rng.normal(size=n),
        "count": pd.array([i if i % 5 else None for i in range(n)], dtype="Int64"),
        "date": pd.date_range("2020-01-01", periods=n, freq="D"),
        "flag": pd.array([bool(i % 2) if i % 3 else None for i in range(n)], dtype="boolean"),
    }, index=pd.Index(np.arange(n) * 3 + 10))


@pytest.mark.parametrize("dropped", [[], [0], [99], [5, 6, 7], [0, 50, 99], list(range(0, 100, 2)), list(range(100))])
def test_rows_kept_equals_a_boolean_filter(dropped):
    df = mixed_frame(100)
    keep = np.ones(len(df), dtype=bool)
    keep[dropped] = False
    pd.testing.assert_frame_equal(rows_kept(df, keep), df[keep])


def test_rows_kept_shares_the_strings_of_a_few_stretches():
    df = mixed_frame(1000)
    keep = np.ones(len(df), dtype=bool)
    keep[[10, 500, 998]] = False
    kept = rows_kept(df, keep)
    source = pa.chunked_array(df["payment_id"].array._pa_array).chunk(0)
    chunks = kept["payment_id"].array._pa_array.chunks
    assert len(chunks) == 4
    # the kept chunks point into the source's character buffer: nothing was copied
    assert all(c.buffers()[2].address == source.buffers()[2].address for c in chunks)


def test_rows_kept_filters_plainly_when_rows_are_scattered():
    df = mixed_frame(200)
    keep = np.arange(200) % 3 != 0
    assert np.count_nonzero(np.diff(keep.astype(int)) == 1) > MAX_KEPT_RUNS
    kept = rows_kept(df, keep)
    pd.testing.assert_frame_equal(kept, df[keep])
    assert kept["payment_id"].array._pa_array.num_chunks == 1


def test_context_leaves_out_payments_and_progress_after_as_of():
    payments = pd.DataFrame({"payment_id": pd.Series(["a", "b", "c", "d"], dtype="str"),
                             "date": pd.to_datetime(["2020-01-01", "2020-10-01", "2020-09-25", None]),
                             "amount": [1.0, 2.0, 3.0, 4.0]})
    progress = pd.DataFrame({"project_id": pd.Series(["p", "p", "p"], dtype="str"),
                             "month": pd.Series(["2020-08", "2020-09", "2020-10"], dtype="str")})
    ctx = Context({"payments": payments, "progress": progress}, {}, "2020-09-25")
    assert ctx["payments"]["payment_id"].tolist() == ["a", "c", "d"]  # undated rows stay
    assert ctx["progress"]["month"].tolist() == ["2020-08", "2020-09"]
    assert len(ctx.raw["payments"]) == 4
