"""Synthetic audit datasets with planted findings, and the demo city.

``generate`` builds every canonical table for N counties: a clean background
(``background.py``: triggers no check by construction) plus small planted
scenarios (``plant_*.py``: each triggers exactly the checks it records in the
truth, next to near-misses that must not fire).  The truth comes only from
the planting code; nothing here imports ``kpt_audit.checks``.

County roles: the second and third counties are *Benford counties* (their
payments' first digits cluster on 4-6, at least 330 payments: COS09 fires);
the last county is a small zone with exactly 299 deviating payments (COS09's
near-miss: below benford_min_n) and no planted scenarios; the planted
scenarios are dealt round-robin over the others, the same at any scale.
"""
from __future__ import annotations

from .demo import write_demo
from .generator import (BENFORD_MIN_PAYMENTS, DEFAULT_PROJECTS_PER_COUNTY, PLANTS, SMALL_COUNTY_PAYMENTS, SynthData,
                        generate, region_code, write_synth, write_tables)

__all__ = ["generate", "write_synth", "write_tables", "write_demo", "SynthData", "PLANTS",
           "BENFORD_MIN_PAYMENTS", "SMALL_COUNTY_PAYMENTS", "DEFAULT_PROJECTS_PER_COUNTY", "region_code"]
