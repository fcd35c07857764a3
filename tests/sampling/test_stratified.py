"""Stratified random sampling: strata, allocation, the size for a precision target, selection and evaluation."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from kpt_audit.errors import UsageError
from kpt_audit.sampling import stratified


def items(spec) -> pd.DataFrame:
    """(county, risk, book values) -> population rows in that order."""
    rows = []
    for county, risk, values in spec:
        rows += [{"item_id": f"{county}-{risk}-{i}", "county": county, "risk": risk, "book_value": v}
                 for i, v in enumerate(values)]
    return pd.DataFrame(rows)


def test_strata_are_county_by_risk_in_severity_order():
    pop = items([("乙县", "none", [1.0, 3.0]), ("甲县", "low", [5.0]), ("甲县", "high", [2.0, 4.0, 6.0])])
    table = stratified.strata(pop)
    assert list(zip(table["county"], table["risk"])) == [("乙县", "none"), ("甲县", "high"), ("甲县", "low")]
    assert list(table["stratum"]) == [1, 2, 3]
    assert list(table["items"]) == [2, 3, 1]
    assert list(table["book_value"]) == [4.0, 12.0, 5.0]
    assert table["spread"].tolist() == [round(np.std([1, 3], ddof=1), 2), 2.0, 0.0]  # to the fen, as the plan shows


def test_proportional_allocation_by_largest_remainder():
    assert list(stratified.allocate([1000, 1000, 1000], 10, "proportional")) == [4, 3, 3]
    assert list(stratified.allocate([200, 300, 500], 20, "proportional")) == [4, 6, 10]


def test_allocation_keeps_two_per_stratum_and_never_more_than_it_has():
    assert list(stratified.allocate([100, 300, 600], 10, "proportional")) == [2, 3, 6]
    assert list(stratified.allocate([100, 1, 600], 10, "proportional")) == [2, 1, 9]
    assert list(stratified.allocate([100, 5, 600], 20, "equal")) == [7, 5, 6]


def test_equal_allocation():
    assert list(stratified.allocate([50, 60, 70, 80], 10, "equal")) == [3, 3, 2, 2]


def test_unknown_allocation_is_a_usage_error():
    with pytest.raises(UsageError, match="--allocation"):
        stratified.allocate([10, 10], 4, "neyman")


@pytest.mark.parametrize("allocation", ["proportional", "equal"])
def test_size_for_precision_is_the_smallest_that_reaches_it(allocation):
    rng = np.random.default_rng(1)
    pop = items([("甲县", "high", rng.normal(1e6, 3e5, 400)), ("甲县", "none", rng.normal(2e5, 5e4, 900)),
                 ("乙县", "none", rng.normal(5e5, 1e5, 700))])
    table = stratified.strata(pop)
    tolerable, expected, conf = 3e7, 5e6, 0.95
    n = stratified.size_for_precision(table, tolerable, expected, conf, allocation)
    target = (tolerable - expected) / norm.ppf(conf)
    def se(size):
        return stratified.standard_error(table["items"], stratified.allocate(table["items"].to_numpy(), size, allocation),
                                         table["spread"])
    assert se(n) <= target < se(n - 1)


def test_precision_target_needs_tolerable_above_expected():
    table = stratified.strata(items([("甲县", "none", [1.0, 2.0, 3.0])]))
    with pytest.raises(UsageError, match="--tolerable"):
        stratified.size_for_precision(table, 10.0, 10.0, 0.95, "proportional")


def test_selection_draws_each_stratum_size_reproducibly():
    pop = items([("甲县", "high", np.arange(50.0)), ("甲县", "none", np.arange(80.0)), ("乙县", "low", np.arange(30.0))])
    table = stratified.strata(pop)
    sizes = np.array([5, 8, 3])
    a = stratified.select(pop, table, sizes, 9)
    b = stratified.select(pop, table, sizes, 9)
    c = stratified.select(pop, table, sizes, 10)
    assert a.equals(b)
    assert list(a["item_id"]) != list(c["item_id"])
    assert a.groupby("stratum").size().tolist() == [5, 8, 3]
    for _, row in a.iterrows():  # each drawn item belongs to its stratum
        s = table.set_index("stratum").loc[row["stratum"]]
        assert (row["county"], row["risk"]) == (s["county"], s["risk"])
    assert not a["item_id"].duplicated().any()


def test_evaluation_projects_each_stratum_by_its_mean_misstatement():
    table = pd.DataFrame({"stratum": [1, 2], "county": ["甲县", "乙县"], "risk": ["high", "none"],
                          "items": [100, 50]})
    sample = pd.DataFrame({"stratum": [1, 1, 1, 1, 2, 2],
                           "book_value": [100.0, 200.0, 300.0, 400.0, 10.0, 20.0],
                           "audited": [100.0, 190.0, 300.0, 380.0, 10.0, 20.0]})
    r = stratified.evaluate(table, sample, 0.95, tolerable=5_000.0)
    s1, s2 = r.by_stratum.iloc[0], r.by_stratum.iloc[1]
    assert (s1["sampled"], s1["errors"], s1["misstatement"], s1["projected"]) == (4, 2, 30.0, 750.0)
    assert (s2["sampled"], s2["errors"], s2["misstatement"], s2["projected"]) == (2, 0, 0.0, 0.0)
    sd = np.std([0, 10, 0, 20], ddof=1)
    se1 = 100 * math.sqrt((1 - 4 / 100) * sd ** 2 / 4)
    assert s1["se"] == pytest.approx(se1)
    assert r.projected == 750.0
    assert r.precision == pytest.approx(norm.ppf(0.95) * se1)
    assert r.upper_limit == pytest.approx(750.0 + norm.ppf(0.95) * se1)
    assert r.accepted is True
    assert stratified.evaluate(table, sample, 0.95, tolerable=800.0).accepted is False
    assert stratified.evaluate(table, sample, 0.95).accepted is None


def test_size_for_precision_counts_the_strata_held_at_their_minimum():
    """Small strata keep two items whatever the allocation gives them, which is precision the closed form
    does not know of: the size is the smallest that meets the target, below the closed form's."""
    rng = np.random.default_rng(5)
    small = [(f"县{i:02d}", "high", rng.normal(3e6, 2e6, 4)) for i in range(30)]
    pop = items([*small, ("甲县", "none", rng.normal(2e5, 5e4, 3000))])
    table = stratified.strata(pop)
    tolerable, expected, conf = 5e7, 0.0, 0.95
    n = stratified.size_for_precision(table, tolerable, expected, conf, "proportional")
    target = tolerable / norm.ppf(conf)
    N, spread2 = table["items"].to_numpy(dtype=float), table["spread"].to_numpy(dtype=float) ** 2
    closed = int(N.sum() * (N * spread2).sum() / (target ** 2 + (N * spread2).sum()))
    def se(size):
        return stratified.standard_error(table["items"], stratified.allocate(table["items"].to_numpy(), size,
                                                                             "proportional"), table["spread"])
    assert se(n) <= target < se(n - 1) and n < closed
