"""R024, R058, R028, R036: indicators comparing bid prices, on hand-built compiled releases.

Expected quartiles are worked out with Hyndman–Fan type 8: h = (n + 1/3) p + 1/3,
q = x[floor(h)] + (h - floor(h)) (x[floor(h)+1] - x[floor(h)]) with 1-based x.
"""
import pytest

from kpt_audit.ocds.indicators import compute_indicators
from kpt_audit.ocds.indicators.settings import settings_from_ini_text


def bid(tenderers, amount=None, status="valid", currency="USD", **extra):
    out = {"status": status, "tenderers": [{"id": t} for t in tenderers], **extra}
    if amount is not None:
        out["value"] = {"amount": amount, "currency": currency}
    return out


def release(ocid, bids, awards=(("W", "active"),), details=None, **tender):
    if details is not None:
        tender["procurementMethodDetails"] = details
    return {"ocid": ocid, "tender": tender,
            "awards": [{"id": str(i), "status": status, "suppliers": [{"id": s} for s in supplier.split("+")]}
                       for i, (supplier, status) in enumerate(awards)],
            "bids": {"details": bids}}


def winner_vs(ocid, second, winner_amount=100, **kw):
    return release(ocid, [bid(["W"], winner_amount), bid(["S-" + ocid], second)], **kw)


SECOND_AMOUNTS = {"p1": 101, "p2": 120, "p3": 121, "p4": 122, "p5": 123, "p6": 124, "p7": 125, "p8": 126, "p9": 180}


def ratio_dataset():
    """Nine processes with ratios .01, .20 … .26, .80, and processes the ratio computation must skip."""
    rows = [winner_vs(ocid, amount) for ocid, amount in SECOND_AMOUNTS.items()]
    rows += [
        winner_vs("lower-loser", 90),                                        # lowest bid lost: not price-only
        winner_vs("two-awards", 101, awards=(("W", "active"), ("X", "active"))),
        winner_vs("pending", 101, awards=(("W", "active"), ("X", "pending"))),
        winner_vs("consortium", 101, awards=(("W+X", "active"),)),
        release("joint-bid", [bid(["W"], 100), bid(["A", "B"], 101)]),      # a bid of two tenderers is ignored
        release("disqualified", [bid(["W"], 100), bid(["D"], 101, status="disqualified")]),
        release("euro", [bid(["W"], 100, currency="EUR"), bid(["E"], 101, currency="EUR")]),
    ]
    return rows


def test_r024_flags_the_low_outlier_and_both_tenderers():
    result = compute_indicators(ratio_dataset(), settings_from_ini_text("[R024]\n"), meta=True)
    # sorted ratios .01 .20 .21 .22 .23 .24 .25 .26 .80: q1 = .20 + 2/3 × .01, q3 = .25 + 1/3 × .01
    q1, q3 = 0.20 + (2 / 3) * 0.01, 0.25 + (1 / 3) * 0.01
    assert result["Meta"]["R024"]["q1"] == pytest.approx(round(q1, 4))
    assert result["Meta"]["R024"]["q3"] == pytest.approx(round(q3, 4))
    assert result["Meta"]["R024"]["lower_fence"] == pytest.approx(round(q1 - 1.5 * (q3 - q1), 4))
    assert result["OCID"] == {"p1": {"R024": (101 - 100) / 100}}
    assert result["Tenderer"] == {"S-p1": {"R024": 0.0}, "W": {"R024": 0.0}}


def test_r058_flags_the_high_outlier_and_the_winner_only():
    result = compute_indicators(ratio_dataset(), settings_from_ini_text("[R058]\n"), meta=True)
    q1, q3 = 0.20 + (2 / 3) * 0.01, 0.25 + (1 / 3) * 0.01
    assert result["Meta"]["R058"]["upper_fence"] == pytest.approx(round(q3 + 1.5 * (q3 - q1), 4))
    assert result["OCID"] == {"p9": {"R058": (180 - 100) / 100}}
    assert result["Tenderer"] == {"W": {"R058": 0.0}}


def test_r024_fixed_threshold_and_winner_lowest_bid():
    rows = [winner_vs("close", 104), winner_vs("far", 150),
            # the winner bid twice: its lowest bid is the winning bid, so the ratio is (104 - 100) / 100
            release("twice", [bid(["W"], 130), bid(["W"], 100), bid(["T"], 104)])]
    result = compute_indicators(rows, settings_from_ini_text("[R024]\nthreshold = 0.05\n"), meta=True)
    assert result["OCID"] == {"close": {"R024": 0.04}, "twice": {"R024": 0.04}}
    assert result["Meta"] == {"R024": {"lower_fence": 0.05}}


def test_r024_skipped_when_most_ratios_are_zero():
    rows = [winner_vs(f"z{i}", 100) for i in range(6)] + [winner_vs("x", 101)]
    result = compute_indicators(rows, settings_from_ini_text("[R024]\n"))
    assert "OCID" not in result


def test_price_comparison_method_lists():
    rows = [winner_vs(ocid, amount, details="Sorteo" if ocid == "p1" else None)
            for ocid, amount in SECOND_AMOUNTS.items()]
    excluded = compute_indicators(rows, settings_from_ini_text(
        "no_price_comparison_procurement_methods = Sorteo|Otro\n[R024]\nthreshold = 0.05\n"))
    assert "OCID" not in excluded  # p1 (ratio .01) is the only one under .05, and it is excluded
    included = compute_indicators(rows, settings_from_ini_text(
        "price_comparison_procurement_methods = Sorteo\n[R024]\nthreshold = 0.05\n"))
    assert included["OCID"] == {"p1": {"R024": 0.01}}  # only processes with the listed details compare


def test_main_currency_is_the_first_met_unless_configured():
    rows = [release("eur", [bid(["W"], 100, currency="EUR"), bid(["T"], 101, currency="EUR")]),
            release("usd", [bid(["W"], 100), bid(["T"], 101)])]
    ini = "[R024]\nthreshold = 0.05\n"
    assert compute_indicators(rows, settings_from_ini_text(ini))["OCID"] == {"eur": {"R024": 0.01}}
    configured = compute_indicators(rows, settings_from_ini_text("currency = USD\n" + ini))
    assert configured["OCID"] == {"usd": {"R024": 0.01}}


def test_r028_identical_prices_of_different_tenderers():
    rows = [
        release("same", [bid(["A"], 100), bid(["B"], 100), bid(["C"], 200)]),
        release("same-tenderer", [bid(["A"], 100), bid(["A"], 100)]),
        release("other-currency", [bid(["A"], 100), bid(["B"], 100, currency="EUR")]),
        release("withdrawn", [bid(["A"], 100), bid(["B"], 100, status="withdrawn")]),
        release("disqualified", [bid(["D"], 50, status="disqualified"), bid(["E"], 50)]),
        release("same-consortium", [bid(["A", "B"], 70), bid(["B", "A"], 70)]),
        release("interleaved", [bid(["F"], 9), bid(["F"], 9), bid(["G"], 9)]),
        release("no-amount", [bid(["A"]), bid(["B"])]),
    ]
    result = compute_indicators(rows, settings_from_ini_text("[R028]\n"))
    assert set(result["OCID"]) == {"same", "disqualified", "interleaved"}
    assert all(v == {"R028": 1.0} for v in result["OCID"].values())
    assert result["Tenderer"] == {t: {"R028": 1.0} for t in ("A", "B", "D", "E", "F", "G")}


def test_r036_lowest_bid_disqualified():
    rows = [
        release("flag", [bid(["X"], 90, status="disqualified"), bid(["W"], 100)]),
        release("no-valid-amount", [bid(["X"], 90, status="disqualified"), bid(["W"])]),
        release("lowest-valid", [bid(["W"], 80), bid(["X"], 90, status="disqualified")]),
        release("no-active-award", [bid(["X"], 90, status="disqualified"), bid(["W"], 100)],
                awards=(("W", "pending"),)),
        release("tie-disqualified-first", [bid(["X"], 90, status="disqualified"), bid(["W"], 90)]),
        release("tie-valid-first", [bid(["W"], 90), bid(["X"], 90, status="disqualified")]),
        release("pending-lowest", [bid(["P"], 10, status="pending"), bid(["X"], 90, status="disqualified"),
                                   bid(["W"], 100)]),
    ]
    result = compute_indicators(rows, settings_from_ini_text("[R036]\n"))
    assert result == {"OCID": {"flag": {"R036": 1.0}, "tie-disqualified-first": {"R036": 1.0}}}
    euro = rows + [release("euro", [bid(["X"], 1, status="disqualified", currency="EUR"), bid(["W"], 100)])]
    result = compute_indicators(euro, settings_from_ini_text("currency = USD\n[R036]\n"))
    assert "euro" not in result["OCID"]  # the EUR bid is not compared with USD ones
