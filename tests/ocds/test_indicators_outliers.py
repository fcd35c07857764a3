"""R025, R038, R048: outliers against the whole dataset, with fences worked out by hand."""
import pytest

from kpt_audit.ocds.indicators import compute_indicators
from kpt_audit.ocds.indicators.settings import settings_from_ini_text
from test_indicators_prices import bid, release


def r025_rows():
    # L bids in four processes and wins none; T1..T4 each bid once and win
    rows = [release(f"p{i}", [bid([f"T{i}"], 100), bid(["L"], 110)], awards=((f"T{i}", "active"),))
            for i in range(1, 5)]
    # L's two bids in one process count once; a two-tenderer bid and a multi-award process are ignored
    rows[0]["bids"]["details"].append(bid(["L"], 120))
    rows.append(release("joint", [bid(["T1"], 1), bid(["L", "T2"], 2)], awards=(("T1", "active"),)))
    rows.append(release("two-awards", [bid(["L"], 1)], awards=(("L", "active"), ("T1", "active"))))
    return rows


def test_r025_frequent_loser_is_flagged():
    result = compute_indicators(r025_rows(), settings_from_ini_text("[R025]\n"), meta=True)
    # ratios 0, 1, 1, 1, 1 (n = 5): q1 = 0 + 2/3 × 1, q3 = 1; lower fence = 2/3 - 1.5 × 1/3 = 1/6
    # processes bid in: T1 2 (p1 and "joint"), T2..T4 1, L 4: 75th percentile = 2 + 1/3 × (4 - 2)
    assert result["Meta"]["R025"] == {"q1": 0.6667, "q3": 1.0, "upper_fence": 2.6667, "lower_fence": 0.1667}
    assert result["Tenderer"] == {"L": {"R025": 0.0}}


def test_r025_percentile_and_threshold_settings():
    busy_only = compute_indicators(r025_rows(), settings_from_ini_text("[R025]\npercentile = 100\n"))
    assert busy_only["Tenderer"] == {"L": {"R025": 0.0}}  # the maximum, 4, is still reached by L
    strict = compute_indicators(r025_rows(), settings_from_ini_text("[R025]\nthreshold = 0.5\npercentile = 0\n"),
                                meta=True)
    assert strict["Meta"]["R025"] == {"upper_fence": 1.0, "lower_fence": 0.5}
    assert strict["Tenderer"] == {"L": {"R025": 0.0}}


def test_r025_skipped_when_most_tenderers_never_win():
    rows = [release(f"p{i}", [bid(["W"], 1)] + [bid([f"L{i}{j}"], 2) for j in range(3)]) for i in range(3)]
    assert "Tenderer" not in compute_indicators(rows, settings_from_ini_text("[R025]\n"))


def disqualifying_buyer(buyer, disqualified, submitted, bidder_prefix=None):
    bids = [bid([f"{bidder_prefix or buyer}-{k}"], 100 + k, status="disqualified" if k < disqualified else "valid")
            for k in range(submitted)]
    row = release(f"ocid-{buyer}", bids)
    row["buyer"] = {"id": buyer}
    row["tender"]["procuringEntity"] = {"id": "PE-" + buyer}
    return row


def test_r038_buyers_and_procuring_entities_above_the_upper_fence():
    shares = {"B1": (1, 5), "B2": (1, 4), "B3": (1, 4), "B4": (3, 10), "B5": (1, 4), "B6": (1, 5), "B7": (3, 10),
              "B8": (2, 2), "B9": (1, 1)}  # B9 has one submitted bid: below minimum_contracting_processes
    rows = [disqualifying_buyer(b, *share) for b, share in shares.items()]
    rows.append({"ocid": "invited-only", "buyer": {"id": "B10"}, "bids": {"details": [bid(["I"], 1, status="invited")]}})
    result = compute_indicators(rows, settings_from_ini_text("[R038]\n"), meta=True)
    # ratios .2 .2 .25 .25 .25 .3 .3 1 (n = 8): q1 = .2 + 5/12 × .05, q3 = .3; upper fence = q3 + 1.5 IQR
    q1, q3 = 0.2 + (5 / 12) * 0.05, 0.3
    meta = result["Meta"]["R038"]
    assert meta["Buyer_q1"] == pytest.approx(round(q1, 4)) and meta["Buyer_q3"] == pytest.approx(q3)
    assert q3 + 1.5 * (q3 - q1) == pytest.approx(0.41875)
    assert meta["Buyer_upper_fence"] == 0.4188  # half away from zero, as the reference rounds
    assert result["Buyer"] == {"B8": {"R038": 1.0}}
    assert result["ProcuringEntity"] == {"PE-B8": {"R038": 1.0}}
    assert "Tenderer" not in result  # every tenderer submitted one bid, under minimum_submitted_bids


def test_r038_tenderers_with_a_fixed_threshold():
    rows = [disqualifying_buyer(f"B{i}", 1, 2, bidder_prefix="T") for i in range(3)]  # T-0 disqualified thrice
    result = compute_indicators(rows, settings_from_ini_text(
        "[R038]\nthreshold = 0.6\nminimum_submitted_bids = 3\nminimum_contracting_processes = 3\n"), meta=True)
    assert result["Tenderer"] == {"T-0": {"R038": 1.0}}
    assert "Buyer" not in result  # each buyer has 2 submitted bids, under the minimum of 3
    assert result["Meta"]["R038"] == {"Tenderer_upper_fence": 0.6}


def supplying(ocid, supplier, codes, status="active", suppliers=None):
    return {"ocid": ocid, "awards": [{"status": status, "suppliers": [{"id": s} for s in (suppliers or [supplier])],
                                      "items": [{"classification": {"id": code}} for code in codes]}]}


def test_r048_heterogeneous_supplier():
    rows = [supplying(f"{s}-{k}", s, ["43211503", "43211504"]) for s in ("S1", "S2", "S3", "S4") for k in range(2)]
    rows += [supplying("S5-a", "S5", ["10", "11", "12"]), supplying("S5-b", "S5", ["13", "14", "15999"])]
    rows += [supplying("pending", "S1", ["99"], status="pending"),
             supplying("consortium", "S1", ["98"], suppliers=["S1", "S2"])]
    ini = "[R048]\nminimum_contracting_processes = 2\n"
    result = compute_indicators(rows, settings_from_ini_text(ini), meta=True)
    # code prefixes per supplier 1, 1, 1, 1, 6: q1 = 1, q3 = 1 + 1/3 × 5, upper fence = q3 + 1.5 × 5/3 = 5.1667
    assert result["Meta"]["R048"] == {"q1": 1.0, "q3": 2.6667, "upper_fence": 5.1667}
    assert result["Tenderer"] == {"S5": {"R048": 6.0}}
    assert "Tenderer" not in compute_indicators(rows, settings_from_ini_text("[R048]\n"))  # default minimum 20
    wide = compute_indicators(rows, settings_from_ini_text(ini.replace("2\n", "2\ndigits = 8\nthreshold = 2\n")))
    assert wide["Tenderer"] == {f"S{i}": {"R048": 2.0} for i in range(1, 5)} | {"S5": {"R048": 6.0}}
