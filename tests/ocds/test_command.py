"""``kpt-audit ocds`` end to end (run_ocds, without the HTML reports)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.findings import FINDING_COLUMNS
from kpt_audit.ocds.run import read_county_map, run_ocds

REAL = (Path(__file__).resolve().parents[3] / "shared" / "data" / "ocds-real")
PREPARED = (Path(__file__).resolve().parents[3] / "shared" / "data" / "ocds-prepared")


def csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.skipif(not REAL.is_dir(), reason="shared OCDS samples absent")
def test_real_samples_end_to_end(tmp_path):
    out = tmp_path / "out"
    assert run_ocds(REAL, out, html=False) == 0
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
    assert run_ocds(PREPARED, tmp_path / "a", html=False) == 0
    assert run_ocds(PREPARED, tmp_path / "b", html=False) == 0
    for name in ("findings.csv", "rejections.csv", "data_quality.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert csv(tmp_path / "a" / "rejections.csv")["reason"].str.contains("not JSON").sum() == 0


def test_missing_path_is_bad_data(tmp_path, capsys):
    assert run_ocds(tmp_path / "nothing", tmp_path / "out", html=False) == 1
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert run_ocds(tmp_path / "empty", tmp_path / "out", html=False) == 1


def test_county_map_file(tmp_path):
    release = {"ocid": "o1", "date": "2021-01-01", "tag": ["compiled"], "buyer": {"id": "B", "name": "某局"},
               "parties": [{"id": "B", "name": "某局", "roles": ["buyer"]}],
               "tender": {"procurementMethod": "open", "value": {"amount": 1, "currency": "CNY"},
                          "tenderPeriod": {"startDate": "2021-01-01", "endDate": "2021-01-05"}}}
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps(release, ensure_ascii=False) + "\n", encoding="utf-8")
    mapping = tmp_path / "counties.yaml"
    mapping.write_text("buyers:\n  某局: 某县\n", encoding="utf-8")
    assert run_ocds(data, tmp_path / "out", html=False, county_map=mapping) == 0
    findings = csv(tmp_path / "out" / "findings.csv")
    assert set(findings.loc[findings["check_id"] == "PRO03", "county"]) == {"某县"}
    mapping.write_text("counties:\n  x: y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="buyers"):
        read_county_map(mapping)
