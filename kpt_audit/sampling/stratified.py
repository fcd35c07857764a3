"""Stratified random sampling: strata by county and risk, proportional or equal allocation, evaluation per stratum.

Each item belongs to the stratum (county, risk); risk is the highest severity
of the findings on the item (its own severity for a finding) or ``none``.
Within a stratum the items are drawn at random without replacement.

The total sample is given (``--size``) or the smallest one whose upper limit,
projected misstatement + z × its standard error, is expected to stay within
the tolerable misstatement given the expected one (precision tolerable −
expected; z the normal quantile at the confidence).  The standard error is
planned from the spread of the book values in each stratum (the classical
variables plan: the misstatements are unknown before the visit), and
evaluated from the misstatements found: the stratified difference estimator
(Cochran, *Sampling Techniques*, ch. 5, stratified random sampling), each stratum's
projected misstatement N_h × its mean misstatement.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .mus import CENT
from .options import check_choice, check_confidence, check_misstatements, check_size

ALLOCATIONS = ("proportional", "equal")
RISKS = ("high", "medium", "low", "none")
MIN_PER_STRATUM = 2  # a stratum's variance needs two items (fewer when the stratum is smaller)


def strata(population: pd.DataFrame) -> pd.DataFrame:
    """One row per stratum in (county, risk) order: county, risk, items, book_value, spread (sd of book values)."""
    risk_order = {r: i for i, r in enumerate(RISKS)}
    grouped = population.groupby(["county", "risk"], sort=False, dropna=False)["book_value"]
    out = grouped.agg(items="size", book_value="sum",
                      spread=lambda v: round(float(v.std(ddof=1)), 2) if len(v) > 1 else 0.0)  # to the fen, as shown
    out = out.reset_index()
    out["_risk"] = out["risk"].map(risk_order)
    out = out.sort_values(["county", "_risk"], kind="stable").drop(columns="_risk").reset_index(drop=True)
    out.insert(0, "stratum", np.arange(1, len(out) + 1))
    return out


def _floor(counts: np.ndarray) -> np.ndarray:
    return np.minimum(counts, MIN_PER_STRATUM)


def allocate(items: np.ndarray, size: int, allocation: str) -> np.ndarray:
    """Per stratum sample sizes for a total of ``size``: in proportion to the items (largest remainders) or
    equal; never more than a stratum has, never fewer than MIN_PER_STRATUM (or the whole stratum)."""
    items = np.asarray(items, dtype="int64")
    check_choice("allocation", allocation, ALLOCATIONS)
    size = check_size(size)
    h = len(items)
    if allocation == "proportional":
        quota = size * items / items.sum()
        n = np.floor(quota).astype("int64")
        order = np.argsort(-(quota - n), kind="stable")
        n[order[: size - n.sum()]] += 1
    else:
        n = np.full(h, size // h, dtype="int64")
        n[: size % h] += 1
    return np.clip(np.maximum(n, _floor(items)), 0, items)


def standard_error(items: np.ndarray, n: np.ndarray, spread: np.ndarray) -> float:
    """The standard error of a stratified estimate of a total (finite-population corrected)."""
    items, n, spread = (np.asarray(x, dtype="float64") for x in (items, n, spread))
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.where(n > 0, items ** 2 * (1 - n / items) * spread ** 2 / n, 0.0)
    return float(np.sqrt(var.sum()))


def z_value(confidence: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(check_confidence(confidence)))


def size_for_precision(table: pd.DataFrame, tolerable: float, expected: float, confidence: float,
                       allocation: str) -> int:
    """The smallest total whose allocation keeps z × standard error ≤ tolerable − expected (the variance of a
    stratified total under that allocation, solved for n, then checked after rounding: upwards while it
    falls short, downwards while one less still meets it -- the strata held at their minimum of two items
    already give some of the precision the closed form asks of n)."""
    tolerable, expected = check_misstatements(tolerable, expected)
    items = table["items"].to_numpy(dtype="float64")
    spread = table["spread"].to_numpy(dtype="float64")
    target = (tolerable - expected) / z_value(confidence)
    # closed form for the allocation's weights, then the rounding checked upwards
    total_var = float((items * spread ** 2).sum())
    if allocation == "proportional":
        numerator = items.sum() * total_var
    else:
        numerator = len(items) * float((items ** 2 * spread ** 2).sum())
    n = max(1, int(np.floor(numerator / (target ** 2 + total_var)))) if numerator > 0 else 1
    total = int(items.sum())
    def meets(size: int) -> bool:
        return standard_error(items, allocate(items, size, allocation), spread) <= target

    while n < total and not meets(n):
        n += 1
    while n > 1 and meets(n - 1):
        n -= 1
    return min(n, total)


def select(population: pd.DataFrame, table: pd.DataFrame, sizes: np.ndarray, seed: int) -> pd.DataFrame:
    """Draw sizes[h] items at random from each stratum (in stratum order, one generator from ``seed``).

    Returns the drawn rows of ``population`` (index kept) with a ``stratum`` column, in stratum and
    population order."""
    rng = np.random.default_rng(seed)
    positions = population.groupby(["county", "risk"], sort=False, dropna=False).indices  # ascending positions
    parts = []
    for (_, row), n in zip(table.iterrows(), sizes):
        members = positions[(row["county"], row["risk"])]
        chosen = np.sort(rng.choice(len(members), size=int(n), replace=False))
        parts.append(population.iloc[members[chosen]].assign(stratum=int(row["stratum"])))
    return pd.concat(parts) if parts else population.iloc[:0].assign(stratum=pd.Series(dtype="int64"))


@dataclass
class StratifiedEvaluation:
    """Per stratum: items, sampled, errors found, sample misstatement and the projected misstatement (yuan)."""

    confidence: float
    by_stratum: pd.DataFrame   # stratum, county, risk, items, sampled, errors, misstatement, projected, se
    projected: float
    precision: float           # z × standard error of the projected total
    tolerable: float | None

    @property
    def upper_limit(self) -> float:
        return self.projected + self.precision

    @property
    def accepted(self) -> bool | None:
        return None if self.tolerable is None else self.upper_limit < self.tolerable


def evaluate(table: pd.DataFrame, sample: pd.DataFrame, confidence: float,
             tolerable: float | None = None) -> StratifiedEvaluation:
    """Evaluate from the strata table and the sampled rows (``stratum``, ``book_value``, ``audited``)."""
    diff = sample["book_value"].to_numpy(dtype="float64") - sample["audited"].to_numpy(dtype="float64")
    diff[np.abs(diff) < CENT] = 0.0
    found = pd.DataFrame({"stratum": sample["stratum"].to_numpy(), "diff": diff})
    rows = []
    for _, s in table.iterrows():
        d = found.loc[found["stratum"] == s["stratum"], "diff"].to_numpy()
        n, items = len(d), int(s["items"])
        mean = float(d.mean()) if n else 0.0
        sd = float(d.std(ddof=1)) if n > 1 else 0.0
        rows.append({"stratum": int(s["stratum"]), "county": s["county"], "risk": s["risk"], "items": items,
                     "sampled": n, "errors": int((d != 0).sum()), "misstatement": float(d.sum()),
                     "projected": items * mean, "se": standard_error([items], [n], [sd]) if n else 0.0})
    by = pd.DataFrame(rows)
    precision = z_value(confidence) * float(np.sqrt((by["se"] ** 2).sum())) if len(by) else 0.0
    return StratifiedEvaluation(confidence=confidence, by_stratum=by, projected=float(by["projected"].sum()),
                                precision=precision, tolerable=tolerable)
