"""The checks every sampling option gets, in one place: confidence, amounts, the size, a choice.

Each raises a UsageError (exit 2) naming the option and the value, in both languages.
"""
from __future__ import annotations

import math

from ..errors import UsageError
from .texts import yuan


def check_confidence(confidence) -> float:
    """The confidence as a float strictly between 0 and 1."""
    try:
        value = float(confidence)
    except (TypeError, ValueError):
        raise UsageError(key="sampling.err.confidence_text", value=confidence) from None
    if not 0.0 < value < 1.0:
        raise UsageError(key="sampling.err.confidence_range", value=confidence)
    return value


def check_amount(name: str, value, *, positive: bool = False) -> float | None:
    """An amount option in yuan ('5,000,000' allowed): finite, ≥ 0 (> 0 when ``positive``); None when not given."""
    if value is None:
        return None
    try:
        amount = float(str(value).replace(",", "").strip())
    except ValueError:
        raise UsageError(key="sampling.err.amount_text", name=name, value=value) from None
    if not math.isfinite(amount) or amount < 0 or (positive and amount == 0):
        raise UsageError(key="sampling.err.amount_positive" if positive else "sampling.err.amount_negative",
                         name=name, value=value)
    return amount


def check_misstatements(tolerable, expected) -> tuple[float, float]:
    """(tolerable, expected) in yuan: tolerable positive, expected not negative (0 when not given), tolerable above it."""
    tolerable = check_amount("tolerable", tolerable, positive=True)
    expected = check_amount("expected", expected) or 0.0
    if tolerable is None:
        raise UsageError(key="sampling.err.size_or_tolerable")
    if not tolerable > expected:
        raise UsageError(key="sampling.err.tolerable_expected", tolerable=yuan(tolerable), expected=yuan(expected))
    return tolerable, expected


def check_size(size) -> int | None:
    """A sample size of at least 1, or None when not given."""
    if size is None:
        return None
    if int(size) < 1:
        raise UsageError(key="sampling.err.size", value=size)
    return int(size)


def check_choice(option: str, value, choices) -> str:
    """``value`` when it is one of ``choices``."""
    if value not in choices:
        raise UsageError(key="sampling.err.choice", option=option, value=value, choices=", ".join(choices))
    return value
