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
from kpt_audit.synth.plant_subsidies import AGE_RULES, SUB03_FIRES_WITH_AGE_RULES


@pytest.mark.parametrize("seed, counties, projects, fmt", [
    (0, 6, 900, "csv"), (1, 8, 1200, "parquet"), (7, 4, 500, "csv"), (42, 10, 2000, "parquet"),
])
def test_every_planted_case_found_and_nothing_else(tmp_path, seed, counties, projects, fmt):
    out = write_synth(tmp_path / "data", counties=counties, projects=projects, seed=seed, fmt=fmt)
    ds = load_dataset(out)
    assert ds.rejections.empty, ds.rejections.head().to_string()
    result = run_checks(ds, load_params(as_of="2020-09-25"))
    # every check runs but SUB03 (off unless a program rule turns it on); the planted unreadable
    # cells leave some entities unjudged (partly judged), never turned into findings
    assert_only_expected_not_run(result.not_run)
    truth = pd.read_csv(out / "truth.csv", dtype=str, encoding="utf-8-sig")
    expected = set(zip(truth["check_id"], truth["entity_id"]))
    found = set(zip(result.findings["check_id"], result.findings["entity_id"]))
    assert sorted(expected - found) == []  # recall 1.0
    assert sorted(found - expected) == []  # precision 1.0
    assert len(result.findings) == len(found)  # no finding listed twice

    # with the program rules that turn SUB03 on, it finds exactly the cases planted for them
    params = load_params(as_of="2020-09-25")
    params.values["program_rules"] = AGE_RULES
    with_rules = run_checks(ds, params, checks=["SUB03"])
    near = pd.read_csv(out / "near_misses.csv", dtype=str, encoding="utf-8-sig")
    fires = near[(near["check_id"] == "SUB03") & near["note"].str.contains(SUB03_FIRES_WITH_AGE_RULES, regex=False)]
    assert set(with_rules.findings["entity_id"]) == set(fires["entity_id"]) and len(fires) >= 2


def assert_only_expected_not_run(not_run: pd.DataFrame) -> None:
    partly = not_run["reason"] == "partly judged"
    assert (not_run.loc[partly, "entities"].astype(int) > 0).all()
    assert not_run.loc[~partly, "check_id"].tolist() == ["SUB03"], not_run.to_string()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_dataset_written_in_blocks_of_counties_keeps_every_planted_case(tmp_path, monkeypatch, fmt):
    """Above BLOCK_COUNTIES the generator writes blocks of counties (memory of one block, issue 14): each
    block's ids are its own and the checks find exactly the truth gathered from every block."""
    import kpt_audit.synth.generator as generator

    monkeypatch.setattr(generator, "BLOCK_COUNTIES", 5)
    out = write_synth(tmp_path / "data", counties=12, projects=1500, seed=4, fmt=fmt)
    ds = load_dataset(out)
    assert ds.rejections.empty, ds.rejections.head().to_string()
    assert ds.tables["projects"]["county"].nunique() == 12
    result = run_checks(ds, load_params(as_of="2020-09-25"))
    assert_only_expected_not_run(result.not_run)
    truth = pd.read_csv(out / "truth.csv", dtype=str, encoding="utf-8-sig")
    expected = set(zip(truth["check_id"], truth["entity_id"]))
    found = set(zip(result.findings["check_id"], result.findings["entity_id"]))
    assert sorted(expected - found) == [] and sorted(found - expected) == []
    assert truth["entity_id"].str.contains("SB02-").any()  # the third block's applications, renumbered
