"""Payment codes: sums, look-ups and membership agree with pandas on the id strings."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from kpt_audit.checks.context import Context
from kpt_audit.checks.payment_codes import payment_contracts, payment_projects


def payments_context(project_ids, contract_ids, amounts) -> Context:
    payments = pd.DataFrame({"project_id": pd.Series(project_ids, dtype="str"),
                             "contract_id": pd.Series(contract_ids, dtype="str"),
                             "amount": np.asarray(amounts, dtype="float64")})
    return Context({"payments": payments}, {}, "2030-01-01")


def test_sums_equal_the_group_by_on_ids():
    rng = np.random.default_rng(3)
    ids = rng.choice(["P3", "P1", "", "P2", None], size=500).tolist()
    amounts = rng.normal(1000, 300, size=500)
    amounts[::17] = np.nan
    ctx = payments_context(ids, ids, amounts)
    want = ctx["payments"].groupby("project_id", sort=False)["amount"].sum()
    got = payment_projects(ctx).sums(ctx["payments"]["amount"].to_numpy(), "project_id")
    pd.testing.assert_series_equal(got, want)
    assert list(got.index) == list(pd.unique(pd.Series(ids).dropna()))  # order of first appearance


def test_positions_and_membership_match_the_strings():
    ctx = payments_context(["A", None, "B", "C", "A"], ["k1", "k2", None, "k9", "k1"], [1, 2, 3, 4, 5])
    keys = pd.Series(["k9", "k1", "k1", "k3"], dtype="str")
    codes = payment_contracts(ctx)
    assert codes.positions_in(keys).tolist() == [1, -1, -1, 0, 1]  # first occurrence; missing finds nothing
    assert codes.member_of(keys).tolist() == [True, False, False, True, True]
    # a missing id finds a missing key, as the string look-ups do
    with_missing = pd.Series(["k2", None], dtype="str")
    assert codes.positions_in(with_missing).tolist() == [-1, 0, 1, -1, -1]
    assert codes.member_of(with_missing).tolist() == [False, True, True, False, False]


def test_codes_over_several_chunks_and_no_ids_at_all():
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["a", "b"], ["b", None, "c"]], type=pa.large_string())))
    payments = pd.DataFrame({"project_id": chunked.astype("str"), "contract_id": pd.Series([None] * 5, dtype="str"),
                             "amount": [1.0, 2.0, 3.0, 4.0, 5.0]})
    ctx = Context({"payments": payments}, {}, "2030-01-01")
    projects = payment_projects(ctx)
    assert projects.code.tolist() == [0, 1, 1, -1, 2]
    assert projects.sums(payments["amount"].to_numpy(), "project_id").to_dict() == {"a": 1.0, "b": 5.0, "c": 5.0}
    contracts = payment_contracts(ctx)
    assert contracts.positions_in(pd.Series(["x"], dtype="str")).tolist() == [-1] * 5
    assert not contracts.member_of(pd.Series(["x"], dtype="str")).any()
    assert contracts.sums(payments["amount"].to_numpy(), "contract_id").empty
