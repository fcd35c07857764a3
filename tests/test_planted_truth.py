"""The checks find exactly what the generator planted: recall 1.0 and precision 1.0.

The generator and the checks are written independently from checks.md (the
generator never imports the checks), so agreement here is evidence that both
read the spec the same way.  The data goes through files and the loader, as
an auditor's would.
"""
import pandas as pd
import pytest

from kpt_audit import load_dataset, load_params, run_checks
from kpt_audit.synth import write_synth


@pytest.mark.parametrize("seed, counties, projects, fmt", [
    (0, 6, 900, "csv"), (1, 8, 1200, "parquet"), (7, 4, 500, "csv"), (42, 10, 2000, "parquet"),
])
def test_every_planted_case_found_and_nothing_else(tmp_path, seed, counties, projects, fmt):
    out = write_synth(tmp_path / "data", counties=counties, projects=projects, seed=seed, fmt=fmt)
    ds = load_dataset(out)
    assert ds.rejections.empty, ds.rejections.head().to_string()
    result = run_checks(ds, load_params(as_of="2020-09-25"))
    assert result.not_run.empty, result.not_run.to_string()
    truth = pd.read_csv(out / "truth.csv", dtype=str, encoding="utf-8-sig")
    expected = set(zip(truth["check_id"], truth["entity_id"]))
    found = set(zip(result.findings["check_id"], result.findings["entity_id"]))
    assert sorted(expected - found) == []  # recall 1.0
    assert sorted(found - expected) == []  # precision 1.0
    assert len(result.findings) == len(found)  # no finding listed twice
