"""Settings file, arithmetic, output shape, findings, the JSON Lines fast path and the real samples."""
import json
from pathlib import Path

import numpy as np
import orjson
import pytest

from kpt_audit.findings import FINDING_COLUMNS
from kpt_audit.ocds.indicators import INDICATORS, compute_indicators, indicators_to_findings, read_settings
from kpt_audit.ocds.indicators.settings import SettingsError, settings_from_ini_text, split_pipes
from kpt_audit.ocds.indicators.stats import fma, quantile, round4
from test_indicators_prices import bid, ratio_dataset, release

PREPARED = (Path(__file__).resolve().parents[3] / "shared" / "data" / "ocds-prepared")

INI = """\
; written by `ocdscardinal init`, edited
currency = USD
no_price_comparison_procurement_methods = Random Selection|Sorteo de Obras

[defaults]
; currency = USD
bid_status = valid

[codelists.bid_status]
qualified = valid

[exclusions]
procurement_method_details = Sorteo

[R003]
threshold = 10

[R003.procurement_method_details]
Cotización = 7

; [R024]
; threshold = 0.05

[R035]
threshold = 0

[R048]
digits = 4
"""


def test_ini_sections_enable_indicators_and_carry_their_settings(tmp_path):
    path = tmp_path / "settings.ini"
    path.write_text(INI, encoding="utf-8")
    settings = read_settings(path)
    assert settings.enabled == ("R003", "R035", "R048")  # commented-out [R024] stays disabled
    assert settings.currency == "USD"
    assert settings.price_comparison_exclude == {"Random Selection", "Sorteo de Obras"}
    assert settings.excluded_details == {"Sorteo"}
    assert settings.get("R003", "threshold") == 10
    assert settings.r003_procurement_method_details == {"Cotización": 7}
    assert settings.get("R048", "digits") == 4
    assert settings.get("R048", "threshold") is None


@pytest.mark.parametrize("text, message", [
    ("[R024]\nthreshhold = 1\n", "unknown key"),
    ("[R999]\n", "unknown section"),
    ("colour = red\n", "unknown global key"),
    ("[R035]\nthreshold = 1.5\n", "natural number"),
    ("[R048]\ndigits = -1\n", "natural number"),
    ("[R024]\nthreshold = low\n", "a number"),
])
def test_ini_errors_like_the_reference(text, message):
    with pytest.raises(SettingsError, match=message):
        settings_from_ini_text(text)


def test_pipe_lists_split_as_the_reference_does():
    assert split_pipes(None) == frozenset() and split_pipes("") == frozenset()
    assert split_pipes("a|b|") == {"a", "b"}
    assert split_pipes("a||b") == {"a", "", "b"}
    assert split_pipes(" a") == {" a"}


def test_no_settings_enables_every_indicator():
    result = compute_indicators(ratio_dataset(), None, meta=True)
    assert set(result["Meta"]) >= {"R024", "R025", "R058"}
    assert result["OCID"]["p1"] == {"R024": 0.01}
    assert compute_indicators(ratio_dataset(), settings_from_ini_text("")) == {}


def test_quantile_is_type_8():
    rng = np.random.default_rng(5)
    for n in (1, 2, 3, 7, 50):
        data = rng.random(n)
        for tau in (0.0, 0.25, 0.5, 0.75, 1.0):
            assert quantile(data, tau) == pytest.approx(np.quantile(data, tau, method="median_unbiased"), abs=1e-12)
    assert np.isnan(quantile([], 0.25)) and np.isnan(quantile([1.0], 1.5))


def test_fused_multiply_add_rounds_once():
    x, y, z = 0.1, 10.0, -1.0
    assert x * y + z == 0.0  # two roundings lose the remainder
    assert fma(x, y, z) == pytest.approx(5.551115123125783e-17, rel=1e-15)


def test_meta_rounding_half_away_from_zero():
    assert round4(0.00005) == 0.0001 and round4(-0.00005) == -0.0001
    assert round4(2.5e-5) == 0.0 and round4(float("nan")) is None


def test_output_shape_and_json_round_trip():
    result = compute_indicators(ratio_dataset(), settings_from_ini_text("[R024]\n[R058]\n"), meta=True)
    assert list(result) == ["OCID", "Tenderer", "Meta"]  # empty Buyer/ProcuringEntity left out
    assert list(result["OCID"]) == sorted(result["OCID"])
    assert all(isinstance(v, float) for values in result["OCID"].values() for v in values.values())
    assert json.loads(json.dumps(result)) == result
    assert "Meta" not in compute_indicators(ratio_dataset(), settings_from_ini_text("[R024]\n"))


def test_jsonl_path_in_two_processes_equals_in_memory(tmp_path):
    rows = ratio_dataset() * 1
    path = tmp_path / "releases.jsonl"
    lines = [orjson.dumps(r) for r in rows]
    lines.insert(3, b"{not json")
    lines.insert(5, b"   ")
    path.write_bytes(b"\n".join(lines) + b"\n")
    from kpt_audit.ocds.indicators.core import extract_jsonl

    one = extract_jsonl(path, frozenset(), workers=1)
    two = extract_jsonl(path, frozenset(), workers=2)
    assert one.r_ocid == two.r_ocid == [r["ocid"] for r in rows]
    assert [one.ids[c] for c in one.bt_id] == [two.ids[c] for c in two.bt_id]
    assert one.lines_skipped == two.lines_skipped == 1
    assert compute_indicators(path, meta=True) == compute_indicators(rows, meta=True)


def test_findings_rows():
    result = {"OCID": {"oc-1": {"R036": 1.0, "R024": 0.01}}, "Buyer": {"B1": {"R038": 0.8}},
              "Tenderer": {"T1": {"R024": 0.0}}}
    df = indicators_to_findings(result, {"oc-1": {"buyer_id": "B1", "buyer_name": "县财政局"}},
                                buyer_county={"B1": "甲县"}, lang="zh")
    assert list(df.columns) == FINDING_COLUMNS
    assert len(df) == 4
    by_check = df.set_index(["check_id", "entity_type"])
    assert by_check.loc[("OCP-R036", "ocid"), "county"] == "县财政局"  # the name is not in the county map
    assert by_check.loc[("OCP-R038", "buyer"), "county"] == "甲县"
    assert by_check.loc[("OCP-R024", "ocid"), "title"] == "R024 价格接近中标价"
    assert "1.0%" in by_check.loc[("OCP-R024", "ocid"), "detail"]
    assert by_check.loc[("OCP-R038", "buyer"), "detail"].startswith("废标比例 80.0%")
    assert set(df["area"]) == {"procurement"} and set(df["severity"]) == {"medium"}
    assert df["finding_id"].is_unique
    english = indicators_to_findings(result, None, lang="en")
    assert "R036 Lowest bid disqualified" in set(english["title"])
    assert indicators_to_findings({}, None).empty


@pytest.mark.skipif(not PREPARED.is_dir(), reason="real samples not on this machine")
def test_real_samples_give_results_that_hold_up():
    releases = {}
    for path in sorted(PREPARED.glob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            if line.strip():
                release_ = orjson.loads(line)
                releases[release_["ocid"]] = release_
    result = compute_indicators(PREPARED, None)
    assert set(result) <= {"OCID", "Buyer", "ProcuringEntity", "Tenderer"} and result["OCID"]
    flagged = {code for values in result["OCID"].values() for code in values}
    assert flagged & set(INDICATORS)
    for ocid, values in result["OCID"].items():
        release_ = releases[ocid]
        if "R036" in values:  # the lowest submitted bid really is disqualified, and some bid is valid
            bids = [b for b in release_["bids"]["details"] if b.get("status") not in ("invited", "withdrawn")
                    and isinstance(b.get("value", {}).get("amount"), (int, float))]
            lowest = min(bids, key=lambda b: b["value"]["amount"])
            assert lowest["status"] == "disqualified"
            assert any(b["status"] == "valid" for b in bids)
        if "R018" in values:
            assert release_["tender"]["numberOfTenderers"] == 1
            assert release_["tender"]["procurementMethod"] in ("open", "selective")
        if "R003" in values:
            assert release_["tender"]["tenderPeriod"]["endDate"] and release_["tender"]["tenderPeriod"]["startDate"]


def test_reader_path_gives_the_same_as_the_fast_path():
    path = PREPARED / "armenia.jsonl"
    if not path.is_file():
        pytest.skip("real samples not on this machine")
    rows = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    assert compute_indicators(path, meta=True) == compute_indicators(rows, meta=True)


def test_dropping_replaced_copies_equals_never_reading_them():
    """A copy a newer one replaced leaves the columns with its bids, tenderers and award suppliers."""
    from kpt_audit.ocds.indicators import Extractor, compute_from_columns, drop_releases
    from kpt_audit.ocds.indicators.settings import Settings

    rows = ratio_dataset()
    # stale copies, each with bids and awards of their own, given out before the newer one replaces them
    stale = [release(ocid, [bid(["Z"], 1), bid(["Y"], 1), bid(["W"], 1, status="disqualified")],
                     awards=(("Z", "active"),)) for ocid in ("p2", "p5", "euro")]
    extractor = Extractor(frozenset())
    sequence = [(0, stale[0]), *((k + 1, r) for k, r in enumerate(rows[:6])), (20, stale[1]),
                *((k + 7, r) for k, r in enumerate(rows[6:])), (30, stale[2])]
    for seq, r in sequence:
        extractor.add(r, seq)
    cols = drop_releases(extractor.finish(), {0, 20, 30})
    assert cols.r_ocid == [r["ocid"] for r in rows] and "Z" not in [cols.ids[i] for i in cols.bt_id]
    assert compute_from_columns(cols, Settings(), meta=True) == compute_indicators(rows, None, meta=True)


def test_finishing_hands_the_columns_over():
    """The extractor keeps nothing once its columns are given out (they would otherwise live to the end of the
    command beside the tables), and starts again empty."""
    from kpt_audit.ocds.indicators import Extractor

    extractor = Extractor(frozenset())
    rows = ratio_dataset()
    for k, r in enumerate(rows):
        extractor.add(r, k)
    first = extractor.finish()
    assert first.r_ocid == [r["ocid"] for r in rows]
    assert extractor.parts == [] and extractor.finish().r_ocid == []
    extractor.add(rows[0], 0)
    assert extractor.finish().r_ocid == [rows[0]["ocid"]]
