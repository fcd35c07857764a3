"""``kpt-audit ocds`` end to end (run_ocds, without the HTML reports)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.errors import LoadError, MissingAsOfError
from kpt_audit.findings import FINDING_COLUMNS
from kpt_audit.ocds.run import read_county_map, run_ocds
from kpt_audit.params import load_params

REAL = (Path(__file__).resolve().parents[3] / "shared" / "data" / "ocds-real")
PREPARED = (Path(__file__).resolve().parents[3] / "shared" / "data" / "ocds-prepared")
PARAMS = load_params(as_of="2020-09-25")


def csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.skipif(not REAL.is_dir(), reason="shared OCDS samples absent")
def test_real_samples_end_to_end(tmp_path):
    out = tmp_path / "out"
    done = run_ocds(REAL, out, PARAMS, html=False)
    assert len(done.reported) == 3 and done.failed_reports == []
    for name in ("findings.csv", "rejections.csv", "data_quality.csv", "manifest.json", "not_run.csv"):
        assert (out / name).is_file(), name
    findings = csv(out / "findings.csv")
    assert list(findings.columns) == FINDING_COLUMNS
    assert {"PRO03", "PRO04"} <= set(findings["check_id"])
    assert (findings["county"] != "").all()  # buyers stand in for counties, contract findings included
    rejected = csv(out / "rejections.csv")
    broken = rejected[rejected["reason"] == "empty file: not JSON"]
    assert set(broken["file"]) == {f"paraguay/sample/records/{n}.json" for n in (283826, 284456, 283906)}
    quality = csv(out / "data_quality.csv")
    numbers = quality[["rows_in", "rows_loaded", "rows_rejected"]].astype(int)
    assert (numbers["rows_in"] == numbers["rows_loaded"] + numbers["rows_rejected"]).all()
    assert len(quality) == sum(1 for p in REAL.rglob("*") if p.is_file())  # one row per input file
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["ocds"]["files_reported"]) == 3
    assert manifest["ocds"]["releases"] == 610
    if manifest["ocds"]["indicators"]:
        indicators = json.loads((out / "indicators.json").read_text(encoding="utf-8"))
        assert set(indicators) <= {"OCID", "Buyer", "ProcuringEntity", "Tenderer"} and indicators
        assert all(indicators.values())  # empty groups are left out
        assert findings["check_id"].str.startswith("OCP-").any()


@pytest.mark.skipif(not PREPARED.is_dir(), reason="shared OCDS samples absent")
def test_prepared_folder_and_determinism(tmp_path):
    run_ocds(PREPARED, tmp_path / "a", PARAMS, html=False)
    run_ocds(PREPARED, tmp_path / "b", PARAMS, html=False)
    for name in ("findings.csv", "rejections.csv", "data_quality.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert csv(tmp_path / "a" / "rejections.csv")["reason"].str.contains("not JSON").sum() == 0


def test_missing_path_is_bad_data(tmp_path):
    with pytest.raises(LoadError, match="does not exist"):
        run_ocds(tmp_path / "nothing", tmp_path / "out", PARAMS, html=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(LoadError, match="no OCDS file"):
        run_ocds(tmp_path / "empty", tmp_path / "out", PARAMS, html=False)
    assert not (tmp_path / "out").exists()


def test_no_audit_date_stops_before_reading(tmp_path):
    with pytest.raises(MissingAsOfError, match="--as-of"):
        run_ocds(tmp_path / "nothing", tmp_path / "out", load_params(), html=False)


def test_the_command_reports_unreadable_files_and_exits_0(tmp_path, capsys):
    from kpt_audit.cli import main

    data = tmp_path / "in.jsonl"
    data.write_text('{"ocid": "o1", "date": "2021-01-01", "tag": ["compiled"]}\nnot json\n', encoding="utf-8")
    assert main(["ocds", str(data), "--out", str(tmp_path / "out"), "--no-html", "--as-of", "2021-06-30"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("审计基准日 2021-06-30 (来源: --as-of)") and "已记录：in.jsonl（第 2 行）" in err
    assert main(["ocds", str(tmp_path / "nothing"), "--out", str(tmp_path / "o2"), "--as-of", "2021-06-30"]) == 1
    assert "kpt-audit: 数据有误：" in capsys.readouterr().err
    settings = tmp_path / "bad.ini"
    settings.write_text("[R999]\n", encoding="utf-8")
    assert main(["ocds", str(data), "--out", str(tmp_path / "o3"), "--no-html", "--as-of", "2021-06-30",
                 "--settings", str(settings)]) == 2
    err = capsys.readouterr().err
    assert "bad.ini" in err and "R999" in err


def test_county_map_file(tmp_path):
    release = {"ocid": "o1", "date": "2021-01-01", "tag": ["compiled"], "buyer": {"id": "B", "name": "某局"},
               "parties": [{"id": "B", "name": "某局", "roles": ["buyer"]}],
               "tender": {"procurementMethod": "open", "value": {"amount": 1, "currency": "CNY"},
                          "tenderPeriod": {"startDate": "2021-01-01", "endDate": "2021-01-05"}}}
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps(release, ensure_ascii=False) + "\n", encoding="utf-8")
    mapping = tmp_path / "counties.yaml"
    mapping.write_text("buyers:\n  某局: 某县\n", encoding="utf-8")
    run_ocds(data, tmp_path / "out", PARAMS, html=False, county_map=mapping)
    findings = csv(tmp_path / "out" / "findings.csv")
    assert set(findings.loc[findings["check_id"] == "PRO03", "county"]) == {"某县"}
    mapping.write_text("counties:\n  x: y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="buyers"):
        read_county_map(mapping)


@pytest.mark.skipif(not REAL.is_dir(), reason="shared OCDS samples absent")
def test_indicators_come_from_the_same_reading_as_the_tables(tmp_path, monkeypatch):
    """One pass: the command reads the files once, and its indicators equal a separate computation."""
    from kpt_audit.ocds import reader
    from kpt_audit.ocds.indicators import compute_indicators

    expected = compute_indicators(REAL, None)
    reads = []
    real_read = reader._Reader.read_file

    def counted(self, file):
        reads.append(file)
        return real_read(self, file)

    monkeypatch.setattr(reader._Reader, "read_file", counted)
    run_ocds(REAL, tmp_path / "out", PARAMS, html=False)
    assert len(reads) == len(set(reads)) == sum(1 for p in REAL.rglob("*.json"))
    assert json.loads((tmp_path / "out" / "indicators.json").read_text(encoding="utf-8")) == expected


@pytest.mark.skipif(not REAL.is_dir(), reason="shared OCDS samples absent")
def test_indicators_are_computed_before_the_tables_are_made(tmp_path, monkeypatch):
    """Memory: the indicators' columns are computed on and let go once every release is read, before any
    table's copies are made and before the checks run; the indicators are the same."""
    from kpt_audit.checks import engine
    from kpt_audit.ocds import mapping, run
    from kpt_audit.ocds.indicators import compute_indicators

    events = []
    real_finish, real_compute, real_checks = mapping._finish, run._Indicators.compute, engine.run_checks

    def finish(name, *args, **kwargs):
        events.append("table")
        return real_finish(name, *args, **kwargs)

    def compute(self):
        events.append("indicators")
        real_compute(self)
        assert self.extractor.parts == [] and not self.extractor.cols.r_ocid  # nothing held after

    def checks(*args, **kwargs):
        events.append("checks")
        return real_checks(*args, **kwargs)

    monkeypatch.setattr(mapping, "_finish", finish)
    monkeypatch.setattr(run._Indicators, "compute", compute)
    monkeypatch.setattr(engine, "run_checks", checks)
    import kpt_audit.checks as checks_package
    monkeypatch.setattr(checks_package, "run_checks", checks)
    done = run_ocds(REAL, tmp_path / "out", PARAMS, html=False)
    assert events[0] == "indicators" and events.count("indicators") == 1
    assert events.index("checks") > events.index("table") > 0
    assert set(done.manifest["timings_seconds"]) >= {"load", "checks", "indicators"}
    assert json.loads((tmp_path / "out" / "indicators.json").read_text(encoding="utf-8")) == \
        compute_indicators(REAL, None)


def test_fill_county_gives_project_findings_their_county_and_leaves_the_input_as_it_was():
    from kpt_audit.ocds.run import fill_county

    findings = pd.DataFrame({"county": pd.Series(["甲", None, ""], dtype="str"),
                             "project_id": pd.Series(["p1", "p2", "p3"], dtype="str"), "detail": ["a", "b", "c"]})
    before = findings.copy()
    tables = {"contracts": pd.DataFrame({"county": pd.Series(["乙"], dtype="str"),
                                         "project_id": pd.Series(["p2"], dtype="str")})}
    out = fill_county(findings, tables)
    assert out["county"].tolist()[:2] == ["甲", "乙"] and pd.isna(out["county"].iloc[2])
    pd.testing.assert_frame_equal(findings, before)
    assert out["detail"].tolist() == ["a", "b", "c"]


@pytest.mark.skipif(not PREPARED.is_dir(), reason="shared OCDS samples absent")
def test_without_reports_the_rows_are_let_go_and_the_files_are_the_same(tmp_path, monkeypatch):
    """Without HTML the rows are let go after the checks (only the personal values to mask are kept): the
    findings, rejections and indicators written are those of a run that keeps the rows for its reports."""
    from kpt_audit.report import runner

    given = {}

    def render_reports(result, out, *args, **kwargs):  # what the reports would be given (not rendered: slow)
        given.update({name: len(frame) for name, frame in result.dataset.tables.items()})
        return []

    monkeypatch.setattr(runner, "render_reports", render_reports)
    with_reports = run_ocds(PREPARED, tmp_path / "html", PARAMS)
    without = run_ocds(PREPARED, tmp_path / "plain", PARAMS, html=False)
    assert given["tenders"] > 500 and given["bids"] > 30  # every row, for the reports' evidence
    for name in ("findings.csv", "rejections.csv", "warnings.csv", "data_quality.csv", "indicators.json"):
        assert (tmp_path / "html" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes(), name
    assert without.manifest["findings"] == with_reports.manifest["findings"] > 0
