"""``kpt-audit check`` on data above pipeline.SPLIT_ABOVE_ROWS splits them on disk by county and checks a
partition at a time (issue 14): every output file is the bytes an in-memory check writes, the register
records the same, and the partitions are removed afterwards."""
import json
import tempfile
from pathlib import Path

import pandas as pd
import pytest

import kpt_audit.pipeline as pipeline
from kpt_audit.cli import main
from kpt_audit.synth import write_synth

OUTPUTS = ("findings.csv", "not_run.csv", "data_quality.csv", "rejections.csv", "warnings.csv")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    csv = write_synth(tmp_path_factory.mktemp("data") / "csv", counties=5, projects=150, seed=8)
    out = tmp_path_factory.mktemp("data") / "parquet"
    out.mkdir()
    for path in sorted(csv.glob("*.csv")):
        if path.stem not in ("truth", "near_misses"):
            pd.read_csv(path, dtype=str, keep_default_na=False).to_parquet(out / f"{path.stem}.parquet", index=False)
    return out


def _check(data, out, *extra):
    return main(["check", str(data), "--out", str(out), "--as-of", "2020-09-25", *extra])


def _same_files(a: Path, b: Path):
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    metrics = sorted(p.name for p in (a / "metrics").iterdir())
    assert metrics and metrics == sorted(p.name for p in (b / "metrics").iterdir())
    for name in metrics:
        assert (a / "metrics" / name).read_bytes() == (b / "metrics" / name).read_bytes(), name


def test_a_split_check_writes_what_an_in_memory_check_writes(data, tmp_path, monkeypatch):
    assert _check(data, tmp_path / "memory") == 0
    monkeypatch.setattr(pipeline, "SPLIT_ABOVE_ROWS", 0)
    monkeypatch.setattr("kpt_audit.load.counties.ROWS_PER_PARTITION", 2_000)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    assert _check(data, tmp_path / "split") == 0
    _same_files(tmp_path / "memory", tmp_path / "split")
    a = json.loads((tmp_path / "memory" / "manifest.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "split" / "manifest.json").read_text(encoding="utf-8"))
    assert a["inputs"] == b["inputs"] and a["findings"] == b["findings"] and a["not_run"] == b["not_run"]
    assert list((tmp_path / "tmp").iterdir()) == []  # the partitions are gone


def test_a_county_filter_and_the_register_on_a_split_check(data, tmp_path, monkeypatch):
    county = "东城县"
    assert _check(data, tmp_path / "memory", "--county", county, "--register", str(tmp_path / "a.sqlite")) == 0
    monkeypatch.setattr(pipeline, "SPLIT_ABOVE_ROWS", 0)
    assert _check(data, tmp_path / "split", "--county", county, "--register", str(tmp_path / "b.sqlite")) == 0
    _same_files(tmp_path / "memory", tmp_path / "split")
    found = pd.read_csv(tmp_path / "split" / "findings.csv")
    assert len(found) and set(found["county"]) == {county}


def test_an_unknown_county_on_a_split_check_is_a_usage_error(data, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "SPLIT_ABOVE_ROWS", 0)
    assert _check(data, tmp_path / "out", "--county", "无此县") == 2
    assert "无此县" in capsys.readouterr().err


def test_a_full_disk_while_splitting_says_so_and_leaves_nothing(data, tmp_path, monkeypatch, capsys):
    import kpt_audit.checks.partitioned as partitioned

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline, "SPLIT_ABOVE_ROWS", 0)
    monkeypatch.setattr(partitioned, "split_for_checks", full)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    assert _check(data, tmp_path / "out") == 5
    said = capsys.readouterr().err
    assert "TMPDIR" in said and "No space left on device" in said
    assert list((tmp_path / "tmp").iterdir()) == []


def _files(out: Path) -> dict[str, bytes]:
    """Every file a run wrote, by path: its bytes, but of the manifest and the executed notebooks (their
    timings) only the name."""
    return {str(p.relative_to(out)): b"" if p.name == "manifest.json" or p.suffix == ".ipynb" else p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_split_run_writes_what_an_in_memory_run_writes(data, tmp_path, monkeypatch):
    """The county slices (projects, funds, contracts, suppliers read from the county's partition), the
    evidence (only the rows it looks up read from the partitions), the Word drafts and the pages."""
    from kpt_audit.batch import run_batch
    from kpt_audit.params import load_params

    params = load_params(as_of="2020-09-25")
    counties = ["东城县", "西湖区"]
    assert run_batch(data, tmp_path / "memory", params, counties=counties, jobs=1).failed == []
    monkeypatch.setattr(pipeline, "SPLIT_ABOVE_ROWS", 0)
    monkeypatch.setattr("kpt_audit.load.counties.ROWS_PER_PARTITION", 2_000)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    assert run_batch(data, tmp_path / "split", params, counties=counties, jobs=1).failed == []
    memory, split = _files(tmp_path / "memory"), _files(tmp_path / "split")
    assert sorted(memory) == sorted(split)
    assert any(name.startswith("slices/") and "/tables/" in name for name in memory)
    assert any(name.endswith(".docx") for name in memory) and "evidence.csv" in memory
    assert [name for name in memory if memory[name] != split[name]] == []
    assert list((tmp_path / "tmp").iterdir()) == []  # the partitions are gone


def test_findings_no_longer_found_get_the_same_cause_on_a_split(data, tmp_path, monkeypatch):
    """The register's second run: a finding whose entity is gone (its payment dropped) and one whose
    entity is still there (the payment kept, its project's other rows changed) are told apart on a split
    from the rows of those entities alone, as in memory."""
    changed = tmp_path / "changed"
    changed.mkdir()
    for path in data.glob("*.parquet"):
        frame = pd.read_parquet(path)
        if path.stem in ("payments", "contracts"):
            frame = frame.iloc[::2]  # every other row gone
        frame.to_parquet(changed / path.name, index=False)
    for where, register in (("memory", "a.sqlite"), ("split", "b.sqlite")):
        if where == "split":
            monkeypatch.setattr(pipeline, "SPLIT_ABOVE_ROWS", 0)
        assert _check(data, tmp_path / where / "first", "--register", str(tmp_path / register)) == 0
        assert _check(changed, tmp_path / where / "second", "--register", str(tmp_path / register)) == 0
    second = pd.read_csv(tmp_path / "split" / "second" / "findings.csv", dtype=str, keep_default_na=False)
    assert {"cleared", "entity_missing"} <= set(second["cause"])
    _same_files(tmp_path / "memory" / "second", tmp_path / "split" / "second")
