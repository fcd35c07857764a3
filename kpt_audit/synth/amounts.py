"""Payment amounts whose first digits follow a chosen law, county by county.

Amounts drawn independently from a log-uniform law conform to Benford only
on average: with a few hundred payments the first-digit MAD is about 0.013,
too close to the 0.015 line.  So the digits are *allocated* (largest
remainder, after subtracting the digits the planted scenarios already use)
and only the mantissa within a digit and the decade are random.  The county's
MAD is then of the order of 1/n.
"""
from __future__ import annotations

import numpy as np

DIGITS = np.arange(1, 10)
BENFORD = np.log10(1 + 1 / DIGITS)
# A county whose payments cluster on 4-6 (amounts kept just under approval limits)
SKEWED = 0.4 * BENFORD + 0.6 * np.isin(DIGITS, (4, 5, 6)) / 3


def first_digit(amounts: np.ndarray) -> np.ndarray:
    a = np.abs(np.asarray(amounts, dtype="float64"))
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.floor(a / 10 ** np.floor(np.log10(a)))
    return np.where(a > 0, d, 0).astype(int)


def mad(amounts: np.ndarray) -> float:
    """Nigrini's first-digit mean absolute deviation (amounts >= 10 only)."""
    a = np.asarray(amounts, dtype="float64")
    a = a[a >= 10]
    counts = np.bincount(first_digit(a), minlength=10)[1:10]
    return float(np.abs(counts / counts.sum() - BENFORD).mean())


def allocate(total: int, law: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """Digit counts (for digits 1..9) for ``total - taken.sum()`` new amounts so that,
    together with the ``taken`` counts, the county follows ``law`` as closely as possible."""
    n_new = total - int(taken.sum())
    want = law * total - taken
    want = np.clip(want, 0, None)
    if want.sum() == 0 or n_new <= 0:
        return np.zeros(9, dtype=np.int64)
    want = want / want.sum() * n_new
    counts = np.floor(want).astype(np.int64)
    short = n_new - counts.sum()
    order = np.argsort(-(want - counts), kind="stable")
    counts[order[:short]] += 1
    return counts


def amounts_with_digits(digits: np.ndarray, rng: np.random.Generator,
                        low_exp: int = 4, high_exp: int = 7) -> np.ndarray:
    """One amount (yuan, 2 decimals) per requested first digit, decade uniform in [low_exp, high_exp)."""
    decade = rng.integers(low_exp, high_exp, size=len(digits))
    frac = rng.uniform(0.0, 0.995, size=len(digits))
    mantissa = digits * (1 + 1 / digits) ** frac  # log-uniform inside [d, d+1)
    return np.floor(mantissa * 10.0 ** decade * 100) / 100
