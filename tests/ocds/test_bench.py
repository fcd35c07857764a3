"""The OCDS benchmark's inputs: the releases to merge are the compiled releases taken apart."""
from __future__ import annotations

import numpy as np

from kpt_audit.bench_ocds import _release, _stages
from kpt_audit.ocds.merge import compile_releases


def test_merging_the_stages_gives_back_the_compiled_release():
    rng = np.random.default_rng(7)
    for k in range(20):
        compiled = _release(k, rng)
        stages = _stages(compiled)
        assert len(stages) == 4 and all(s["ocid"] == compiled["ocid"] for s in stages)
        merged = compile_releases(list(reversed(stages)))  # merged by date whatever the order given
        for key in ("buyer", "tender", "bids", "awards", "contracts", "initiationType"):
            assert merged[key] == compiled[key], (k, key)
        by_id = {p["id"]: p for p in compiled["parties"]}
        assert sorted(p["id"] for p in merged["parties"]) == sorted(by_id)
