"""frames.compare: a value on the line a rule draws is on it, whatever binary floating point made of the line."""
import numpy as np
import pandas as pd

from kpt_audit.checks.frames import above, at_least, at_most, below


def test_a_value_on_a_drawn_line_is_neither_below_nor_above_it():
    assert 12 * 0.8 != 9.6 and 1.15 * 100 != 115  # what the module is for
    assert not below(9.6, 12 * 0.8) and at_least(9.6, 12 * 0.8)
    assert not above(115.0, 1.15 * 100, money=True) and at_most(115.0, 1.15 * 100, money=True)
    assert not above(0.1 + 0.2, 0.3, money=True)


def test_a_value_just_past_the_line_is_past_it():
    assert below(9.59, 12 * 0.8) and not at_least(9.59, 12 * 0.8)
    assert above(115.01, 1.15 * 100, money=True) and not at_most(115.01, 1.15 * 100, money=True)
    # a fen is past the line at any size; a billionth of a small ratio is not
    assert above(10_000_000_000.01, 10_000_000_000.0, money=True)
    assert not below(0.3 - 1e-12, 0.3) and below(0.299, 0.3)


def test_columns_compare_row_by_row_and_missing_values_are_never_past_the_line():
    value = pd.Series([9.6, 9.5, np.nan, 20.0])
    line = pd.Series([12 * 0.8, 12 * 0.8, 9.6, np.nan])
    assert below(value, line).tolist() == [False, True, False, False]
    assert at_least(value, line).tolist() == [True, False, False, False]
