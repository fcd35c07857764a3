"""Monetary-unit sampling (MUS): the Poisson sample size, systematic selection and the Stringer bound.

Every yuan of the population's book value is a sampling unit; an item is
selected when a selection point falls inside it, so large items are more
likely to be chosen.  The figures follow the AICPA Audit Sampling guide's
Poisson method:

* the *confidence factor* for ``k`` errors at confidence ``c`` is the exact
  Poisson upper limit, the ``c`` quantile of a gamma distribution of shape
  ``k + 1`` (−ln(1 − c) for none: 2.996 at 95 %; the guide's tables print
  them rounded up: 3.00, 4.75, 6.30 …);
* the *sample size* is the smallest ``n`` whose upper limit, with the
  expected misstatement found in proportion (``n × expected / book value``
  errors, a fraction allowed), stays within the tolerable misstatement;
* the *sampling interval* is book value / n; items at or above it are taken
  whole (the top stratum, examined one by one and listed apart) and the rest
  are selected systematically from a random start;
* the *upper misstatement limit* (Stringer bound) is basic precision
  (interval × factor for no error) + the projected misstatement (interval ×
  each tainting) + the incremental allowance (interval × each tainting, in
  descending order, × the factor's step less one), plus the top stratum's
  misstatement as found.

Understatements (audited above book) are not part of the overstatement
bound; they are projected and reported beside it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import UsageError
from .options import check_confidence, check_misstatements, check_size
from .texts import yuan

MAX_SIZE = 100_000  # beyond this a monetary-unit sample is no longer a sample
CENT = 0.005        # amounts are compared to the fen (分)


def confidence_factor(errors, confidence: float) -> np.ndarray | float:
    """The Poisson upper-limit factor for ``errors`` (a count, or an expected fraction of one) at ``confidence``."""
    from scipy.stats import gamma

    factor = gamma.ppf(check_confidence(confidence), np.asarray(errors, dtype="float64") + 1.0)
    return float(factor) if np.ndim(factor) == 0 else factor


def sample_size(book_value: float, tolerable: float, expected: float = 0.0, confidence: float = 0.95) -> int:
    """The smallest n with factor(n × expected / book value) / n ≤ tolerable / book value (AICPA's Poisson method).

    UsageError when tolerable is not above expected (or not positive) or no n up to MAX_SIZE will do.
    """
    from scipy.stats import gamma

    confidence = check_confidence(confidence)
    tolerable, expected = check_misstatements(tolerable, expected)
    tolerable_rate, expected_rate = tolerable / book_value, expected / book_value
    for start in range(1, MAX_SIZE + 1, 5000):
        n = np.arange(start, min(start + 5000, MAX_SIZE + 1), dtype="float64")
        bound = gamma.ppf(confidence, 1.0 + n * expected_rate) / n
        ok = np.flatnonzero(bound <= tolerable_rate)
        if len(ok):
            return int(n[ok[0]])
    raise UsageError(key="sampling.err.too_large", max=f"{MAX_SIZE:,}", tolerable=yuan(tolerable),
                     expected=yuan(expected))


@dataclass
class Selection:
    """A monetary-unit selection: the interval, the random start, the top stratum and the sampled items.

    ``top`` and ``sampled`` are rows of the population (its index kept); ``sampled`` has a column
    ``point``, the cumulative yuan (from the start of the rest of the population) that selected it.
    """

    size: int
    interval: float
    start: float
    top: pd.DataFrame
    sampled: pd.DataFrame


def select(population: pd.DataFrame, size: int, seed: int) -> Selection:
    """Take items with book_value ≥ book value / ``size`` whole; select the rest systematically.

    The rest keeps the population's order; selection points are start, start + interval, … below
    its total, with start drawn uniformly in [0, interval) from ``seed`` (numpy's PCG64); the
    interval and the start are rounded to the fen.
    """
    size = check_size(size)
    values = population["book_value"].to_numpy(dtype="float64")
    # interval and start to the fen, so that the plan states them exactly
    interval = max(round(float(values.sum()) / size, 2), 0.01)
    top_mask = values >= interval
    rest = population[~top_mask]
    start = float(np.floor(np.random.default_rng(seed).random() * interval * 100) / 100)
    upper = np.cumsum(rest["book_value"].to_numpy(dtype="float64"))
    total = float(upper[-1]) if len(upper) else 0.0
    points = start + interval * np.arange(int(np.floor((total - start) / interval)) + 1 if total > start else 0)
    points = points[points < total]
    # the item whose cumulative range [upper - value, upper) holds each point; items are < interval,
    # so no item holds two points
    hit = np.searchsorted(upper, points, side="right")
    sampled = rest.iloc[hit].assign(point=np.round(points, 2))
    return Selection(size=size, interval=interval, start=start, top=population[top_mask], sampled=sampled)


@dataclass
class MusEvaluation:
    """The Stringer evaluation of a monetary-unit sample (amounts in yuan)."""

    confidence: float
    interval: float
    basic_precision: float
    projected: float              # projected overstatement of the sampled part
    incremental: float            # incremental allowance for the ranked taintings
    top_misstatement: float       # overstatement found in the top stratum (known, not projected)
    upper_limit: float            # basic precision + projected + incremental + top stratum
    errors: int                   # sampled items with an overstatement
    understatements: int          # sampled and top items audited above their book value
    projected_understatement: float
    taintings: list[float]        # the overstatement taintings, descending
    tolerable: float | None

    @property
    def most_likely(self) -> float:
        """The projected misstatement of the population: projected overstatement + top stratum's."""
        return self.projected + self.top_misstatement

    @property
    def accepted(self) -> bool | None:
        """True when the upper limit is below the tolerable misstatement; None without a tolerable one."""
        return None if self.tolerable is None else self.upper_limit < self.tolerable


def taintings(book: np.ndarray, audited: np.ndarray) -> np.ndarray:
    """(book − audited) / book per item; 0 where they agree to the fen."""
    diff = np.asarray(book, dtype="float64") - np.asarray(audited, dtype="float64")
    diff[np.abs(diff) < CENT] = 0.0
    return diff / np.asarray(book, dtype="float64")


def stringer_bound(taints, interval: float, confidence: float, top_misstatement: float = 0.0,
                   tolerable: float | None = None) -> MusEvaluation:
    """The Stringer bound from the sampled items' taintings (understatements given as negative taintings)
    and the top stratum's overstatement as found (``top_misstatement`` ≥ 0)."""
    taints = np.asarray(taints, dtype="float64")
    over = np.sort(taints[taints > 0])[::-1]
    under = taints[taints < 0]
    factors = confidence_factor(np.arange(len(over) + 1), confidence)
    steps = np.diff(factors)
    basic = interval * float(factors[0])
    projected = interval * float(over.sum())
    incremental = interval * float(((steps - 1.0) * over).sum())
    return MusEvaluation(confidence=confidence, interval=interval, basic_precision=basic, projected=projected,
                         incremental=incremental, top_misstatement=top_misstatement,
                         upper_limit=basic + projected + incremental + top_misstatement,
                         errors=len(over), understatements=len(under),
                         projected_understatement=-interval * float(under.sum()),
                         taintings=[float(t) for t in over], tolerable=tolerable)


def evaluate(sampled: pd.DataFrame, top: pd.DataFrame, interval: float, confidence: float,
             tolerable: float | None = None) -> MusEvaluation:
    """Evaluate from the plan's rows: ``book_value`` and ``audited`` of the sampled and the top-stratum items."""
    taints = taintings(sampled["book_value"].to_numpy(), sampled["audited"].to_numpy())
    top_diff = top["book_value"].to_numpy(dtype="float64") - top["audited"].to_numpy(dtype="float64")
    top_diff[np.abs(top_diff) < CENT] = 0.0
    result = stringer_bound(taints, interval, confidence, float(top_diff[top_diff > 0].sum()), tolerable)
    result.understatements += int((top_diff < 0).sum())
    result.projected_understatement += float(-top_diff[top_diff < 0].sum())
    return result
