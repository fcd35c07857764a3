"""frames.group_sums: grouped sums that are exact, so a county's money is the same summed alone or among
every county (the partitioned checks' metric tables depend on it)."""
import math

import numpy as np
import pandas as pd

from kpt_audit.checks.frames.sums import group_sums


def test_a_group_s_sum_is_exact_and_does_not_change_with_the_other_groups():
    rng = np.random.default_rng(5)
    values = np.round(rng.uniform(1e5, 1e9, 500), 2)
    alone = pd.DataFrame({"county": "甲县", "x": values})
    others = pd.DataFrame({"county": rng.choice(["乙县", "丙县", "丁县"], 700), "x": rng.uniform(0, 1e9, 700)})
    among = pd.concat([others.iloc[:300], alone, others.iloc[300:]]).sample(frac=1, random_state=1)
    a = group_sums(alone, ["county"], ["x"]).loc["甲县", "x"]
    b = group_sums(among, ["county"], ["x"]).loc["甲县", "x"]
    assert a == b == math.fsum(values)


def test_it_is_groupby_sum_in_shape_missing_values_left_out_and_missing_keys_in_no_group():
    frame = pd.DataFrame({"county": ["乙", "甲", "乙", None, "甲"], "year": [2020, 2020, 2021, 2020, 2020],
                          "x": [1.0, np.nan, 2.0, 5.0, 3.0], "y": [np.nan, np.nan, 1.0, 1.0, np.nan]})
    got = group_sums(frame, ["county", "year"], ["x", "y"])
    want = frame.groupby(["county", "year"], sort=True)[["x", "y"]].sum()
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert group_sums(frame.iloc[:0], ["county"], ["x"]).empty
