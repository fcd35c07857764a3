"""R003, R018, R030, R035 and the global exclusions, on hand-built compiled releases."""
from kpt_audit.ocds.indicators import compute_indicators
from kpt_audit.ocds.indicators.settings import settings_from_ini_text

from test_indicators_prices import bid, release


def period(ocid, start, end, **tender):
    return {"ocid": ocid, "tender": {"tenderPeriod": {"startDate": start, "endDate": end}, **tender}}


def test_r003_whole_days_against_the_default_threshold():
    rows = [
        period("14d23h", "2000-01-01T18:00:00Z", "2000-01-16T17:59:59Z"),     # 14 whole days < 15
        period("15d", "2000-01-01T18:00:00Z", "2000-01-16T18:00:00Z"),        # exactly 15: not shorter
        period("offsets", "2000-01-01T00:00:00-08:00", "2000-01-16T07:00:00Z"),  # 14 d 23 h in UTC (15 d 7 h naive)
        period("date-only", "2000-01-01", "2000-01-02"),                       # not RFC 3339: skipped
        period("end-missing", "2000-01-01T00:00:00Z", None),
        {"ocid": "no-tender"},
    ]
    result = compute_indicators(rows, settings_from_ini_text("[R003]\n"))
    assert result == {"OCID": {"14d23h": {"R003": 1.0}, "offsets": {"R003": 1.0}}}


def test_r003_thresholds_per_procurement_method_details_and_methods():
    rows = [
        period("x", "2000-01-01T18:00:00Z", "2000-01-06T17:59:59Z", procurementMethodDetails="x"),
        period("x-exact", "2000-01-01T18:00:00Z", "2000-01-06T18:00:00Z", procurementMethodDetails="x"),
        period("Y", "2000-01-01T18:00:00Z", "2000-01-11T17:59:59Z", procurementMethodDetails="Y"),
        period("Y-exact", "2000-01-01T18:00:00Z", "2000-01-11T18:00:00Z", procurementMethodDetails="Y"),
        period("other", "2000-01-01T18:00:00Z", "2000-01-16T17:59:59Z", procurementMethodDetails="z"),
        period("other-exact", "2000-01-01T18:00:00Z", "2000-01-16T18:00:00Z", procurementMethodDetails="z"),
    ]
    ini = "[R003.procurement_method_details]\nx = 5\nY = 10\n"
    result = compute_indicators(rows, settings_from_ini_text(ini))
    assert set(result["OCID"]) == {"x", "Y", "other"}
    limited = [period("open", "2000-01-01T00:00:00Z", "2000-01-02T00:00:00Z", procurementMethod="open"),
               period("direct", "2000-01-01T00:00:00Z", "2000-01-02T00:00:00Z", procurementMethod="direct"),
               period("none", "2000-01-01T00:00:00Z", "2000-01-02T00:00:00Z")]
    result = compute_indicators(limited, settings_from_ini_text("[R003]\nthreshold = 10\nprocurement_methods = open|selective\n"))
    assert set(result["OCID"]) == {"open"}


def test_r018_single_tenderer_in_open_and_selective_procedures():
    def tender(ocid, method, count):
        return {"ocid": ocid, "tender": {"procurementMethod": method, "numberOfTenderers": count}}

    rows = [tender("open-1", "open", 1), tender("selective-1", "selective", 1), tender("limited-1", "limited", 1),
            tender("open-2", "open", 2), tender("open-float", "open", 1.0), tender("open-text", "open", "1")]
    assert set(compute_indicators(rows, settings_from_ini_text("[R018]\n"))["OCID"]) == {"open-1", "selective-1"}
    limited = compute_indicators(rows, settings_from_ini_text("[R018]\nprocurement_methods = limited\n"))
    assert limited == {"OCID": {"limited-1": {"R018": 1.0}}}


def test_r030_late_bid_won():
    def late(ocid, bids, awards=(("W", "active"),)):
        row = release(ocid, bids, awards=awards)
        row["tender"]["tenderPeriod"] = {"endDate": "2020-01-10T12:00:00Z"}
        return row

    rows = [
        late("late-winner", [bid(["W"], 1, date="2020-01-10T12:00:01Z"), bid(["L"], 2, date="2020-01-11T00:00:00Z")]),
        late("on-time", [bid(["W"], 1, date="2020-01-10T12:00:00Z")]),
        late("award-pending", [bid(["W"], 1, date="2020-01-11T00:00:00Z")], awards=(("W", "pending"),)),
        late("late-disqualified", [bid(["W"], 1, status="disqualified", date="2020-01-11T00:00:00Z")]),
    ]
    result = compute_indicators(rows, settings_from_ini_text("[R030]\n"))
    assert result == {"OCID": {"late-winner": {"R030": 1.0}}, "Tenderer": {"W": {"R030": 1.0}}}


def test_r035_all_except_winning_bid_disqualified():
    dq = "disqualified"
    rows = [
        release("two-others", [bid(["W"], 1), bid(["X"], 2, status=dq), bid(["Y"], 3, status=dq),
                               bid(["Y"], 4, status=dq)]),
        release("two-valid", [bid(["W"], 1), bid(["V"], 2), bid(["X"], 3, status=dq)]),
        release("loser-valid", [bid(["V"], 1), bid(["X"], 3, status=dq)]),
        release("pending-award", [bid(["W"], 1), bid(["X"], 2, status=dq)], awards=(("W", "pending"),)),
        release("own-disqualified", [bid(["W"], 1), bid(["W"], 2, status=dq)]),
        release("cancelled-award-too", [bid(["W"], 1), bid(["X"], 2, status=dq)],
                awards=(("X", "cancelled"), ("W", "active"))),
    ]
    result = compute_indicators(rows, settings_from_ini_text("[R035]\n"))
    assert result == {"OCID": {"cancelled-award-too": {"R035": 1.0}, "two-others": {"R035": 2.0}},
                      "Tenderer": {"W": {"R035": 0.0}}}
    strict = compute_indicators(rows, settings_from_ini_text("[R035]\nthreshold = 2\n"))
    assert strict["OCID"] == {"two-others": {"R035": 2.0}}


def test_global_exclusions_apply_to_every_indicator():
    base = {"tenderPeriod": {"startDate": "2000-01-01T00:00:00Z", "endDate": "2000-01-02T00:00:00Z"}}
    rows = [
        {"ocid": "kept", "tender": dict(base)},
        {"ocid": "cancelled", "tender": dict(base, status="cancelled")},
        {"ocid": "excluded", "tender": dict(base, procurementMethodDetails="Random Selection")},
        {"ocid": 42, "tender": dict(base)},
        ["not", "an", "object"],
    ]
    ini = "[exclusions]\nprocurement_method_details = Random Selection|Sorteo\n[R003]\n"
    assert compute_indicators(rows, settings_from_ini_text(ini)) == {"OCID": {"kept": {"R003": 1.0}}}
