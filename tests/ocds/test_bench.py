"""The OCDS benchmark's inputs: the releases to merge are the compiled releases taken apart."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

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


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="the stages' peaks are Linux's")
def test_stages_of_the_command_are_marked_and_the_functions_put_back(tmp_path):
    from kpt_audit import checks
    from kpt_audit.bench_ocds import generate, stages
    from kpt_audit.ocds import mapping, run

    path = tmp_path / "releases.jsonl"
    generate(path, 30)
    originals = (checks.run_checks, mapping._finish, run.load_ocds, run._Indicators.compute)
    rows = stages(path)
    names = [r[0] for r in rows]
    assert names[0] == "start" and names[-1] == "end"
    for name in ("batches read", "indicators", "table tenders", "table bids", "reading", "before the checks",
                 "checks", "OCP findings", "findings joined", "output files"):
        assert name in names, name
    assert names.index("indicators") < names.index("table tenders") < names.index("checks")
    assert all(peak > 0 and rss > 0 and wall >= 0 for _, wall, _, peak, rss in rows)
    assert (checks.run_checks, mapping._finish, run.load_ocds, run._Indicators.compute) == originals
