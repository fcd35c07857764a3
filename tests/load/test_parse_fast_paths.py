"""Parsers take shortcuts on clean columns; mixed columns must give what each cell gives alone."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpt_audit.load.parse import parse_date, parse_enum, parse_month, parse_number, parse_text
from kpt_audit.schema.tables import TABLES

MONTHS = ["2020-05", "2020-13", "2020年6月", "２０２０-０７", "202008", "2020-5", "garbage", "", None, "1600-01"]
DATES = ["2021-05-10", "2021/5/10", "2021年5月10日", "２０２１-０５-１１", "20210512", "44326", "2021-05-13 08:30",
         "2021-05-14T08:30:00", "2021-02-30", "2021-05", "٢٠٢١-٠٥-١٠", "", None, "9999-12-31"]
NUMBERS = ["12.5", "1e3", "-0", " 7 ", "1,234.5", "1.5万元", "(20)", "abc", "inf", "", None, "１２"]


def _plain(values) -> list:
    """Missing as None, so lists compare with ==."""
    return [None if pd.isna(v) else v for v in values]


@pytest.mark.parametrize("parse, values", [(parse_month, MONTHS), (parse_date, DATES)])
def test_dates_and_months_mixed_column_equal_cell_by_cell(parse, values):
    column = parse(pd.Series(values, dtype="str"))
    alone = [parse(pd.Series([v], dtype="str")) for v in values]
    assert _plain(column.values) == _plain(p.values.iloc[0] for p in alone)
    assert column.bad.tolist() == [bool(p.bad[0]) for p in alone]


def test_month_values():
    got = parse_month(pd.Series(MONTHS, dtype="str"))
    assert _plain(got.values) == ["2020-05", None, "2020-06", "2020-07", "2020-08", "2020-05",
                                  None, None, None, None]
    assert got.bad.tolist() == [False, True, False, False, False, False, True, False, False, True]


def test_date_values():
    got = parse_date(pd.Series(DATES, dtype="str")).values
    expected = ["2021-05-10"] * 3 + ["2021-05-11", "2021-05-12", "2021-05-10", "2021-05-13", "2021-05-14"]
    assert got.iloc[:8].tolist() == [pd.Timestamp(d) for d in expected]
    assert got.iloc[8:].isna().tolist() == [True, False, True, True, True, True]  # 2021-05 is May 1st


def test_numbers_mixed_column_equal_cell_by_cell():
    column = parse_number(pd.Series(NUMBERS, dtype="str"))
    alone = [parse_number(pd.Series([v], dtype="str")) for v in NUMBERS]
    np.testing.assert_array_equal(column.values.to_numpy(), [p.values.iloc[0] for p in alone])
    assert column.bad.tolist() == [bool(p.bad[0]) for p in alone]
    assert column.values.tolist()[:7] == [12.5, 1000.0, 0.0, 7.0, 1234.5, 15000.0, -20.0]


def test_plain_number_column_takes_the_same_values_as_pandas():
    rng = np.random.default_rng(3)
    text = pd.Series([repr(float(x)) for x in rng.standard_normal(5000) * 1e7], dtype="str")
    np.testing.assert_array_equal(parse_number(text).values.to_numpy(), pd.to_numeric(text).to_numpy())


def test_excel_errors_in_text_but_not_hash_words():
    got = parse_text(pd.Series(["#N/A", "#hashtag", "#REF!", " a ", None], dtype="str"))
    assert got.bad.tolist() == [True, False, True, False, False]
    assert _plain(got.values) == [None, "#hashtag", None, "a", None]


def test_enum_all_canonical_and_mixed():
    spellings = TABLES["payments"].column("type").values
    canonical = [c for c, _ in spellings]
    clean = parse_enum(pd.Series(canonical + [None], dtype="str"), spellings)
    assert clean.values.tolist()[:-1] == canonical
    mixed = parse_enum(pd.Series(["预付款", canonical[0], "refund?", None], dtype="str"), spellings)
    assert mixed.values.tolist()[:3] == ["advance", canonical[0], "refund?"]
    assert str(mixed.values.dtype) == "str"


def test_a_date_s_digits_as_a_number_are_read_as_the_same_digits_as_text():
    """20210510 or 202005 typed into Excel is a number cell; no Excel serial is that large."""
    cells = pd.Series([20210510, 202005, 44326, 20210510.5, 99999999, 123456], dtype=object)
    got = parse_date(cells)
    assert _plain(got.values) == [pd.Timestamp("2021-05-10"), pd.Timestamp("2020-05-01"), pd.Timestamp("2021-05-10"),
                                  None, None, None]
    assert got.bad.tolist() == [False, False, False, True, True, True]
    assert _plain(parse_month(pd.Series([202005, "202005"], dtype=object)).values) == ["2020-05", "2020-05"]


def test_a_time_of_day_right_after_a_chinese_date_is_dropped():
    got = parse_date(pd.Series(["2021年5月10日14:30", "2021年5月10日 14:30:05"], dtype="str")).values
    assert got.tolist() == [pd.Timestamp("2021-05-10")] * 2
