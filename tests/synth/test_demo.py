"""The demo city."""
from __future__ import annotations

import pandas as pd

from kpt_audit.synth import write_demo
from kpt_audit.synth.demo import DEMO_COUNTIES, demo_data

from .test_generate import EXPECTED_CHECK_IDS


def test_demo_city_is_the_speech_setting():
    d = demo_data()
    p = d.tables["projects"]
    assert d.as_of == pd.Timestamp("2020-09-25")
    assert sorted(p["county"].unique()) == sorted(DEMO_COUNTIES)
    per_county = p.groupby("county").size()
    # ~50 background projects per full county, plus the planted ones of every check (revision 2 has 57)
    assert per_county.drop(DEMO_COUNTIES[-1]).between(40, 95).all()
    unstarted = p[(p["category"] == "central_budget") & p["actual_start"].isna() & (p["fund_year"] < 2020)]
    reasons = " ".join(unstarted["delay_reason"].dropna())
    for phrase in ("征地拆迁", "选址调整", "配套资金"):
        assert phrase in reasons
    assert (p["category"] == "municipal_key").any()
    assert set(p["fund_year"].dropna().astype(int)) >= {2017, 2018, 2019, 2020}
    assert set(d.truth["check_id"]) == set(EXPECTED_CHECK_IDS)


def test_write_demo_writes_data_and_truth(tmp_path):
    out = write_demo(tmp_path / "data")
    assert not (out / "truth.csv").exists() and not (out / "near_misses.csv").exists()
    truth = pd.read_csv(tmp_path / "truth" / "truth.csv", encoding="utf-8-sig", dtype=str)
    assert list(truth.columns) == ["check_id", "entity_id"] and len(truth) > 100
    assert (out / "项目台账.xlsx").exists() and (out / "资金支付.csv").exists()


def test_write_demo_replaces_an_earlier_demos_ledgers_and_nothing_else(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "projects.csv").write_text("project_id\nold\n", encoding="utf-8")  # an older version's English name
    (data / "资金支付.csv").write_text("old", encoding="utf-8")
    (data / "说明.txt").write_text("kept", encoding="utf-8")  # not a ledger: left alone
    out = write_demo(data)
    assert not (out / "projects.csv").exists()
    assert (out / "资金支付.csv").read_text(encoding="utf-8-sig") != "old"
    assert (out / "说明.txt").read_text(encoding="utf-8") == "kept"
    from kpt_audit.load import load_dataset
    from kpt_audit.params import load_params

    assert len(load_dataset(out, params=load_params(as_of="2020-09-25")).tables["projects"]) > 100
