"""End to end: the real checks find exactly the planted truth (recall and precision 1.0).

The generator itself never imports the checks (see test_generate); this test
is the independent referee.
"""
from __future__ import annotations

import pytest

from kpt_audit.checks import run_checks
from kpt_audit.params import load_params
from kpt_audit.synth import generate


@pytest.mark.parametrize("seed,as_of,counties,projects", [
    (7, "2020-09-25", 6, 400),
    (2, "2021-03-15", 4, 200),
])
def test_findings_equal_truth(seed, as_of, counties, projects):
    data = generate(counties=counties, projects=projects, seed=seed, as_of=as_of)
    result = run_checks(data, load_params(as_of=data.as_of))  # with the cells the loader could not read
    found = set(zip(result.findings["check_id"], result.findings["entity_id"]))
    truth = set(zip(data.truth["check_id"], data.truth["entity_id"]))
    partly = result.not_run["reason"] == "partly judged"
    assert result.not_run.loc[~partly, "check_id"].tolist() == ["SUB03"], result.not_run  # off by default
    assert sorted(truth - found) == []   # recall 1.0
    assert sorted(found - truth) == []   # precision 1.0
    near = set(zip(data.near_misses["check_id"], data.near_misses["entity_id"]))
    assert not near & found
