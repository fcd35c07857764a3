"""The reference engine's arithmetic, reproduced to the last bit.

Quartiles are Hyndman–Fan type 8 (numpy's ``median_unbiased``), computed with
the same floating-point steps as the Rust ``statrs`` crate the reference uses,
so that a value sitting exactly on a fence is judged the same way.  Fences use
a fused multiply-add (one rounding), as the reference's ``mul_add`` does.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np


def quantile(values, tau: float) -> float:
    """Type-8 quantile with statrs's steps; NaN when empty or tau outside [0, 1]."""
    data = np.sort(np.asarray(values, dtype=np.float64))
    n = len(data)
    if not 0.0 <= tau <= 1.0 or n == 0:
        return math.nan
    h = (n + 1.0 / 3.0) * tau + 1.0 / 3.0
    hf = int(h)  # truncation, like Rust's `as i64`
    if hf <= 0 or tau == 0.0:
        return float(data[0])
    if hf >= n or math.isclose(tau, 1.0, rel_tol=0.0, abs_tol=4 * np.finfo(float).eps):
        return float(data[-1])
    a = float(data[hf - 1])
    b = float(data[hf])
    return a + (h - hf) * (b - a)


def percentile(values, p: int) -> float:
    return quantile(values, p / 100.0)


def fma(x: float, y: float, z: float) -> float:
    """x * y + z rounded once (Rust's ``f64::mul_add``)."""
    if not all(math.isfinite(v) for v in (x, y, z)):
        return x * y + z
    exact = Fraction(x) * Fraction(y) + Fraction(z)
    return exact.numerator / exact.denominator  # int / int is correctly rounded


def lower_fence(q1: float, q3: float) -> float:
    """q1 - 1.5 IQR."""
    return fma(q3 - q1, -1.5, q1)


def upper_fence(q1: float, q3: float) -> float:
    """q3 + 1.5 IQR."""
    return fma(q3 - q1, 1.5, q3)


def round4(value: float):
    """Meta values: rounded half away from zero to 4 decimals; NaN becomes null."""
    if not math.isfinite(value):
        return None
    scaled = value * 10_000.0
    magnitude = abs(scaled)
    whole = math.floor(magnitude)
    if magnitude - whole >= 0.5:
        whole += 1
    return math.copysign(whole, scaled) / 10_000.0
