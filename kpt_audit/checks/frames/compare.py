"""A value compared with the line a rule draws: ``target × 0.8``, ``(1 + margin) × S``, ``75 % × the year's share``.

Amounts are kept to the fen and a rule's parameters are written in decimals, but their products and sums
are binary floating point: 12 × 0.8 is 9.600000000000001 and 0.1 + 0.2 is 0.30000000000000004, so a
value exactly on the line would fall on the wrong side of it and a rule that says "below" would fire on
"equal".  Every comparison with a drawn line goes through here, with a slack far below anything the data
can tell apart:

* amounts (``money=True``): half a fen, whatever the size (the noise of yuan sums is far smaller);
* ratios and other values: one part in a billion of the line (at least 1e-9).
"""
from __future__ import annotations

import numpy as np

MONEY_EPS = 0.005  # yuan: half a fen
RATIO_EPS = 1e-9


def slack(line, money: bool = False):
    """How far from ``line`` a value still counts as on it."""
    if money:
        return MONEY_EPS
    return RATIO_EPS * np.maximum(np.abs(line), 1.0)


def below(value, line, *, money: bool = False):
    """``value < line``, a value on the line (within :func:`slack`) not below it."""
    return value < line - slack(line, money)


def above(value, line, *, money: bool = False):
    """``value > line``, a value on the line not above it."""
    return value > line + slack(line, money)


def at_least(value, line, *, money: bool = False):
    """``value ≥ line``, a value on the line counted as reaching it."""
    return value >= line - slack(line, money)


def at_most(value, line, *, money: bool = False):
    """``value ≤ line``, a value on the line counted as within it."""
    return value <= line + slack(line, money)
