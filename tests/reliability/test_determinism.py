"""Determinism and provenance: the same inputs give the same findings, workbook, slices, pages and
manifest (apart from the clock); the manifest says which tool, parameters, date and input bytes."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import kpt_audit
from kpt_audit.batch import run_batch
from tests.reliability.conftest import audit_params, written_files

pytestmark = pytest.mark.xdist_group("reliability")
# What may differ between two runs on the same inputs: when, and how long.
CLOCK_KEYS = {"generated_at", "timings_seconds"}
COUNTY_CLOCK_KEYS = {"seconds"}
# Executed notebooks carry papermill's and the kernel's timestamps; everything else must be byte-identical.
TIMESTAMPED = {".ipynb"}


def without_clock(manifest: dict) -> dict:
    out = {k: v for k, v in manifest.items() if k not in CLOCK_KEYS}
    out["counties"] = [{k: v for k, v in c.items() if k not in COUNTY_CLOCK_KEYS} for c in manifest["counties"]]
    return out


@pytest.fixture(scope="module")
def second_run(hostile_data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("again") / "out"
    assert run_batch(hostile_data.folder, out, audit_params(), counties=hostile_data.counties, jobs=2).failed == []
    return out


def test_two_runs_write_the_same_files(hostile_run, second_run):
    first = {p.relative_to(hostile_run.out): p for p in written_files(hostile_run.out)}
    again = {p.relative_to(second_run): p for p in written_files(second_run)}
    assert sorted(first) == sorted(again)
    differing = sorted(str(rel) for rel, p in first.items()
                       if p.suffix not in TIMESTAMPED and rel.name != "manifest.json"
                       and p.read_bytes() != again[rel].read_bytes())
    assert differing == []
    for name in ("findings.csv", "findings.xlsx", "index.html"):   # named: the files the brief promises
        assert (hostile_run.out / name).read_bytes() == (second_run / name).read_bytes()


def test_manifests_differ_only_in_the_clock(hostile_run, second_run):
    one = hostile_run.manifest
    two = json.loads((second_run / "manifest.json").read_text(encoding="utf-8"))
    assert without_clock(one) == without_clock(two)
    assert set(one) - CLOCK_KEYS == set(two) - CLOCK_KEYS and CLOCK_KEYS <= set(one)


def test_executed_notebooks_differ_only_in_timestamps(hostile_run, second_run):
    import nbformat

    def content(path: Path, out: Path) -> list:
        nb = nbformat.read(path, as_version=4)
        # the injected parameters name the run's own folder, which is where the two runs differ
        return [(c.cell_type, c.source.replace(str(out.resolve()), "<out>"),
                 [{k: v for k, v in o.items() if k != "execution_count"} for o in c.get("outputs", [])])
                for c in nb.cells]

    notebooks = sorted(p.relative_to(hostile_run.out) for p in hostile_run.out.rglob("*.ipynb"))
    assert len(notebooks) == 3
    for rel in notebooks:
        assert content(hostile_run.out / rel, hostile_run.out) == content(second_run / rel, second_run), rel


def test_manifest_records_tool_parameters_date_and_input_hashes(hostile_run, hostile_data):
    m = hostile_run.manifest
    assert m["tool"] == "kpt-audit" and m["version"] == kpt_audit.__version__
    params = audit_params()
    assert m["as_of"] == params.as_of.strftime("%Y-%m-%d") == "2020-09-25"
    assert m["params"] == json.loads(json.dumps(params.to_dict(), default=str))
    assert m["params_sha256"] == hashlib.sha256(Path(params.source).read_bytes()).hexdigest()
    assert m["personal_data_masked"] is True
    recorded = {Path(i["path"]).name: i["sha256"] for i in m["inputs"]}
    tables = {p.name for p in hostile_data.folder.glob("*.csv")} - {"truth.csv", "near_misses.csv"}
    assert set(recorded) == tables
    for name, digest in recorded.items():
        assert digest == hashlib.sha256((hostile_data.folder / name).read_bytes()).hexdigest(), name
