"""COS01–COS11 cost-control checks and the Benford metric, on small hand-made tables."""
import json
import sys
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from kpt_audit.checks.cost_payments import BENFORD_EXPECTED, first_digit
from kpt_audit.schema.coerce import coerce_tables

AS_OF = "2020-09-25"
WAN = 10_000


def ids(findings):
    return sorted(findings["entity_id"])


def empty(table, columns):
    return coerce_tables({table: pd.DataFrame({c: [] for c in columns})})[table]


def project(pid="P1", **kw):
    return {"project_id": pid, **kw}


def contract(cid="C1", pid="P1", amount=100 * WAN, sign="2019-01-01", supplier="S1", **kw):
    return {"contract_id": cid, "project_id": pid, "supplier_id": supplier, "sign_date": sign,
            "amount": float(amount), **kw}


def payment(pay_id, amount, date="2020-01-10", pid="P1", cid="C1", payee="S1", **kw):
    return {"payment_id": pay_id, "project_id": pid, "contract_id": cid, "payee_id": payee,
            "date": date, "amount": float(amount), **kw}


# --- COS01 budget over estimate ----------------------------------------------------------------

def test_cos01_fires_above_tolerance_with_amount_and_detail(build, run_check):
    t = build(projects=[project("P1", estimate=100 * WAN, budget=120 * WAN),
                        project("P2", estimate=1_000_000.0, budget=1_099_999.0, county="乙县")])
    f, not_run = run_check("COS01", t, AS_OF)
    assert ids(f) == ["P1"] and not_run.empty
    row = f.iloc[0]
    assert row["amount"] == pytest.approx(20 * WAN)
    assert row["county"] == "甲县" and row["project_id"] == "P1" and row["entity_type"] == "project"
    for text in ("120.00万元", "100.00万元", "20.0%", "10%"):
        assert text in row["detail"]


def test_cos01_boundary_and_missing_estimate(build, run_check):
    t = build(projects=[project("EXACT", estimate=1_000_000.0, budget=1_100_000.0),  # 10% is not "more than"
                        project("CENT", estimate=1_000_000.0, budget=1_100_000.01),
                        project("NOEST", estimate=None, budget=5e6),
                        project("ZERO", estimate=0.0, budget=5e6)])
    f, _ = run_check("COS01", t, AS_OF)
    assert ids(f) == ["CENT"]


def test_cos01_tolerance_parameter_and_english(build, run_check):
    t = build(projects=[project("P1", estimate=100 * WAN, budget=120 * WAN)])
    f, _ = run_check("COS01", t, AS_OF, estimate_tolerance=0.25)
    assert f.empty
    f, _ = run_check("COS01", t, AS_OF, lang="en")
    assert "Budget 120.00万元" in f.iloc[0]["detail"] and f.iloc[0]["title"] == "Budget over estimate"


def test_cos01_not_run_and_empty(build, run_check):
    f, not_run = run_check("COS01", build(projects=[project("P1", budget=1.0)]), AS_OF)
    assert f.empty and "estimate" in not_run.set_index("check_id").loc["COS01", "reason"]
    f, not_run = run_check("COS01", {"projects": empty("projects", ["project_id", "county", "estimate", "budget"])},
                           AS_OF)
    assert f.empty and not_run.empty


# --- COS02 over budget -------------------------------------------------------------------------

def test_cos02_completed_or_paid_above_budget(build, run_check):
    t = build(projects=[project("DONE", budget=100 * WAN, completed_total=130 * WAN),
                        project("PAID", budget=100 * WAN, completed_total=50 * WAN),
                        project("EQUAL", budget=100 * WAN, completed_total=100 * WAN),
                        project("LATE", budget=100 * WAN)],
              payments=[payment("A", 70 * WAN, pid="PAID"), payment("B", 40 * WAN, pid="PAID", cid=None),
                        payment("C", 90 * WAN, pid="LATE"), payment("D", 20 * WAN, pid="LATE", date="2020-10-01")])
    f, _ = run_check("COS02", t, AS_OF)
    assert ids(f) == ["DONE", "PAID"]     # LATE's second payment is after as_of
    by = f.set_index("entity_id")
    assert by.loc["DONE", "amount"] == pytest.approx(30 * WAN)
    assert by.loc["PAID", "amount"] == pytest.approx(10 * WAN)   # payments with and without contract
    assert "110.00万元" in by.loc["PAID", "detail"] and "2020-09-25" in by.loc["PAID", "detail"]
    assert "累计支付0.00万元" in by.loc["DONE", "detail"]


def test_cos02_without_payments_table_uses_completed_total(build, run_check):
    f, not_run = run_check("COS02", build(projects=[project("P1", budget=10.0, completed_total=11.0)]), AS_OF)
    assert ids(f) == ["P1"] and not_run.empty
    assert "—" in f.iloc[0]["detail"]     # no payments to quote


def test_cos02_not_run(build, run_check):
    _, not_run = run_check("COS02", build(projects=[project("P1", budget=10.0)]), AS_OF)
    assert "completed_total" in not_run.iloc[0]["reason"]
    _, not_run = run_check("COS02", build(projects=[project("P1", completed_total=10.0)]), AS_OF)
    assert "budget" in not_run.iloc[0]["reason"]


# --- COS03 excessive changes -------------------------------------------------------------------

def test_cos03_counts_only_positive_changes(build, run_check):
    t = build(projects=[project("P1", county="乙县")],
              contracts=[contract("C1"), contract("C2"), contract("C3")],
              contract_changes=[{"contract_id": "C1", "date": "2020-01-01", "amount_delta": 6 * WAN},
                                {"contract_id": "C1", "date": "2020-02-01", "amount_delta": 5 * WAN},
                                {"contract_id": "C1", "date": "2020-03-01", "amount_delta": -8 * WAN},
                                {"contract_id": "C2", "date": "2020-01-01", "amount_delta": 10 * WAN},
                                {"contract_id": "C3", "date": "2020-01-01", "amount_delta": 9 * WAN},
                                {"contract_id": "C3", "date": "2020-10-01", "amount_delta": 9 * WAN}])
    f, _ = run_check("COS03", t, AS_OF)
    assert ids(f) == ["C1"]    # C2 exactly 10%; C3's second change is after as_of
    row = f.iloc[0]
    assert row["entity_type"] == "contract" and row["project_id"] == "P1" and row["county"] == "乙县"
    assert "11.00万元" in row["detail"] and "11.0%" in row["detail"] and "10%" in row["detail"]


def test_cos03_share_parameter_and_not_run(build, run_check):
    t = build(projects=[project()], contracts=[contract()],
              contract_changes=[{"contract_id": "C1", "date": "2020-01-01", "amount_delta": 15 * WAN}])
    assert ids(run_check("COS03", t, AS_OF)[0]) == ["C1"]
    assert run_check("COS03", t, AS_OF, change_share=0.2)[0].empty
    t.pop("contract_changes")
    f, not_run = run_check("COS03", t, AS_OF)
    assert f.empty and "contract_changes" in not_run.iloc[0]["reason"]


# --- COS04 overpayment -------------------------------------------------------------------------

def test_cos04_settled_value_order(build, run_check):
    t = build(projects=[project()],
              contracts=[contract("AUD", audited_settlement=90 * WAN, settlement_amount=120 * WAN),
                         contract("SET", settlement_amount=80 * WAN),
                         contract("CUR"), contract("EQ", audited_settlement=50 * WAN)],
              contract_changes=[{"contract_id": "CUR", "date": "2020-01-01", "amount_delta": 10 * WAN}],
              payments=[payment("1", 95 * WAN, cid="AUD"), payment("2", 81 * WAN, cid="SET"),
                        payment("3", 105 * WAN, cid="CUR"),
                        payment("4", 30 * WAN, cid="EQ"), payment("5", 20 * WAN, cid="EQ"),
                        payment("6", 9 * WAN, cid="SET", date="2020-12-01")])
    f, _ = run_check("COS04", t, AS_OF)
    assert ids(f) == ["AUD", "SET"]     # CUR: 105 <= 100 + 10; EQ exactly settled
    by = f.set_index("entity_id")
    assert by.loc["AUD", "amount"] == pytest.approx(5 * WAN)
    assert by.loc["SET", "amount"] == pytest.approx(1 * WAN)    # the December payment is after as_of
    assert "审定金额" in by.loc["AUD", "detail"] and "结算金额" in by.loc["SET", "detail"]
    assert "5.00万元" in by.loc["AUD", "detail"]


def test_cos04_float_sums_do_not_trip_the_boundary(build, run_check):
    t = build(projects=[project()], contracts=[contract(amount=0.3)],
              payments=[payment("1", 0.1), payment("2", 0.2)])
    assert run_check("COS04", t, AS_OF)[0].empty


def test_cos04_not_run_without_payment_contract(build, run_check):
    t = build(projects=[project()], contracts=[contract()],
              payments=[{"payment_id": "1", "project_id": "P1", "payee_id": "S1", "date": "2020-01-01",
                         "amount": 1e9}])
    f, not_run = run_check("COS04", t, AS_OF)
    assert f.empty and "contract_id" in not_run.iloc[0]["reason"]


# --- COS05 paid ahead of progress -----------------------------------------------------------------

def cos05_tables(build, paid=70 * WAN, status="under_construction", progress=None, **extra):
    progress = progress if progress is not None else [
        {"project_id": "P1", "month": "2020-07", "physical_pct": 10.0},
        {"project_id": "P1", "month": "2020-08", "physical_pct": 40.0},
        {"project_id": "P1", "month": "2020-09", "physical_pct": None},   # no figure reported that month
        {"project_id": "P1", "month": "2020-10", "physical_pct": 95.0}]   # after as_of
    return build(projects=[project("P1", status=status)],
                 contracts=[contract("C1", amount=80 * WAN)],
                 contract_changes=[{"contract_id": "C1", "date": "2020-01-01", "amount_delta": 20 * WAN}],
                 payments=[payment("ADV", 30 * WAN, type="advance"), payment("PRG", paid - 1 * WAN, type="progress"),
                           payment("NOTYPE", 1 * WAN, type=None)],
                 progress=progress, **extra)


def test_cos05_fires_on_latest_progress_and_excludes_advances(build, run_check):
    f, _ = run_check("COS05", cos05_tables(build), AS_OF)
    assert ids(f) == ["P1"]
    detail = f.iloc[0]["detail"]
    for text in ("70.00万元", "100.00万元", "70.0%", "2020-08", "40.0%", "60.0%"):
        assert text in detail


def test_cos05_boundary_status_and_no_progress(build, run_check):
    assert run_check("COS05", cos05_tables(build, paid=60 * WAN), AS_OF)[0].empty       # exactly 40% + 20%
    assert ids(run_check("COS05", cos05_tables(build, paid=61 * WAN), AS_OF)[0]) == ["P1"]
    assert run_check("COS05", cos05_tables(build, status="completed"), AS_OF)[0].empty
    no_progress = cos05_tables(build, progress=[{"project_id": "OTHER", "month": "2020-08", "physical_pct": 1.0}])
    assert run_check("COS05", no_progress, AS_OF)[0].empty      # nothing measured: cannot judge
    assert run_check("COS05", cos05_tables(build), AS_OF, progress_margin=0.5)[0].empty


def test_cos05_no_contract_value_and_not_run(build, run_check):
    t = cos05_tables(build)
    t["contracts"] = t["contracts"].assign(project_id="OTHER")
    assert run_check("COS05", t, AS_OF)[0].empty
    t = cos05_tables(build)
    t["progress"] = t["progress"].drop(columns="physical_pct")
    f, not_run = run_check("COS05", t, AS_OF)
    assert f.empty and "physical_pct" in not_run.iloc[0]["reason"]


# --- COS06 duplicate payments -------------------------------------------------------------------

def test_cos06_same_invoice_any_dates_flags_all_but_first(build, run_check):
    t = build(projects=[project()], payments=[
        payment("A1", 5 * WAN, "2019-01-01", invoice_no="INV-1"),
        payment("A2", 5 * WAN, "2019-09-01", invoice_no="INV-1", cid="C9"),
        payment("A3", 5 * WAN, "2020-03-01", invoice_no=" INV-1 "),
        payment("B1", 5 * WAN, "2020-03-01", invoice_no="INV-2"),          # other invoice
        payment("C1", 5 * WAN, "2020-03-01", invoice_no="INV-1", payee="S2"),   # other payee
        payment("D1", 5.01 * WAN, "2020-03-01", invoice_no="INV-1"),       # other amount
        payment("E1", 5 * WAN, "2020-10-01", invoice_no="INV-1")])         # after as_of
    f, _ = run_check("COS06", t, AS_OF)
    assert ids(f) == ["A2", "A3"]
    by = f.set_index("entity_id")
    assert "A1" in by.loc["A3", "detail"] and "INV-1" in by.loc["A3", "detail"]
    assert by.loc["A2", "amount"] == pytest.approx(5 * WAN) and by.loc["A2", "entity_type"] == "payment"


def test_cos06_date_tie_goes_to_code_point_order(build, run_check):
    t = build(projects=[project()], payments=[payment("P-9", 100.0, invoice_no="X"),
                                              payment("P-10", 100.0, invoice_no="X")])
    f, _ = run_check("COS06", t, AS_OF)
    assert ids(f) == ["P-9"]      # "P-10" < "P-9" by code point, so P-10 is the first


def test_cos06_without_invoice_within_dup_days_and_chain(build, run_check):
    t = build(projects=[project()], payments=[
        payment("X1", 3 * WAN, "2020-01-01"), payment("X2", 3 * WAN, "2020-01-06"),
        payment("X3", 3 * WAN, "2020-01-12"),                     # 6 days after X2, 11 after X1
        payment("Y1", 2 * WAN, "2020-02-01"), payment("Y2", 2 * WAN, "2020-02-08"),   # exactly 7 days
        payment("Z1", 4 * WAN, "2020-03-01"), payment("Z2", 4 * WAN, "2020-03-09"),   # 8 days
        payment("W1", 6 * WAN, "2020-04-01"), payment("W2", 6 * WAN, "2020-04-02", cid="C2"),  # other contract
        payment("V1", 7 * WAN, "2020-05-01", cid=None), payment("V2", 7 * WAN, "2020-05-02", cid=None),
        payment("U1", 8 * WAN, "2020-06-01"), payment("U2", 8 * WAN, "2020-06-02", invoice_no="I-8"),
        payment("T1", 9 * WAN, "2020-07-01", invoice_no="无"), payment("T2", 9 * WAN, "2020-07-03", invoice_no="")])
    f, _ = run_check("COS06", t, AS_OF)
    # V: no contract on either side, so "same contract" cannot be shown; U: only one lacks an invoice;
    # T: 无 and blank are no invoice
    assert ids(f) == ["T2", "X2", "X3", "Y2"]
    by = f.set_index("entity_id")
    assert "X2" in by.loc["X3", "detail"] and "6天" in by.loc["X3", "detail"] and "7天" in by.loc["X3", "detail"]
    f, _ = run_check("COS06", t, AS_OF, dup_days=8)
    assert "Z2" in set(f["entity_id"])


def test_cos06_works_without_optional_columns_and_not_run(build, run_check):
    rows = [payment("X1", 3 * WAN, "2020-01-01"), payment("X2", 3 * WAN, "2020-01-02")]
    for r in rows:
        del r["contract_id"]
    f, not_run = run_check("COS06", build(projects=[project()], payments=rows), AS_OF)
    assert f.empty and not_run.empty          # without contracts the second rule cannot match
    t = build(projects=[project()], payments=[payment("X1", 3.0), payment("X2", 3.0)])
    t["payments"] = t["payments"].drop(columns="payee_id")
    f, not_run = run_check("COS06", t, AS_OF)
    assert f.empty and "payee_id" in not_run.iloc[0]["reason"]


def test_cos06_english_detail_and_refunds(build, run_check):
    t = build(projects=[project()], payments=[payment("X1", -3.0, "2020-01-01"), payment("X2", -3.0, "2020-01-02"),
                                              payment("Y1", 3.0, "2020-01-01"), payment("Y2", 3.0, "2020-01-02")])
    f, _ = run_check("COS06", t, AS_OF, lang="en")
    assert ids(f) == ["Y2"]
    assert f.iloc[0]["detail"].startswith("Same payee") and "payment Y1 (2020-01-01)" in f.iloc[0]["detail"]


# --- COS07 payment before contract ------------------------------------------------------------------

def test_cos07_payment_before_signing_even_when_signed_after_as_of(build, run_check):
    t = build(projects=[project(county="丙县")],
              contracts=[contract("C1", sign="2020-03-01"), contract("LATE", sign="2020-11-01")],
              payments=[payment("EARLY", 10 * WAN, "2020-02-20"), payment("SAME", 1.0, "2020-03-01"),
                        payment("AFTER", 1.0, "2020-04-01"), payment("FUT", 1.0, "2020-08-01", cid="LATE"),
                        payment("NOC", 1.0, "2019-01-01", cid=None),
                        payment("POST", 1.0, "2020-10-01", cid="LATE")])   # itself after as_of
    f, _ = run_check("COS07", t, AS_OF)
    assert ids(f) == ["EARLY", "FUT"]
    by = f.set_index("entity_id")
    assert by.loc["EARLY", "county"] == "丙县" and by.loc["EARLY", "amount"] == pytest.approx(10 * WAN)
    assert "2020-02-20" in by.loc["EARLY", "detail"] and "2020-03-01" in by.loc["EARLY", "detail"]
    assert "早10天" in by.loc["EARLY", "detail"]     # 2020 is a leap year


def test_cos07_not_run_and_empty(build, run_check):
    t = build(projects=[project()], payments=[payment("1", 1.0)])
    f, not_run = run_check("COS07", t, AS_OF)
    assert f.empty and "contracts" in not_run.iloc[0]["reason"]
    t["contracts"] = empty("contracts", ["contract_id", "project_id", "supplier_id", "sign_date", "amount"])
    f, not_run = run_check("COS07", t, AS_OF)
    assert f.empty and not_run.empty


# --- COS08 arrears ----------------------------------------------------------------------------------

def test_cos08_unpaid_beyond_retention_after_acceptance(build, run_check):
    t = build(projects=[project("P1", acceptance_date="2020-06-01"),        # 116 days before as_of
                        project("P60", acceptance_date="2020-07-27"),       # exactly 60 days
                        project("P61", acceptance_date="2020-07-26"),
                        project("PF", acceptance_date="2020-10-01")],       # after as_of: not accepted yet
              contracts=[contract("OWE", "P1", audited_settlement=100 * WAN),
                         contract("RET", "P1", audited_settlement=100 * WAN),
                         contract("C60", "P60"), contract("C61", "P61"), contract("CF", "PF")],
              payments=[payment("1", 90 * WAN, cid="OWE"), payment("2", 5 * WAN, cid="OWE", date="2020-10-02"),
                        payment("3", 97 * WAN, cid="RET")])
    f, _ = run_check("COS08", t, AS_OF)
    assert ids(f) == ["C61", "OWE"]     # RET withholds exactly the 3% retention
    by = f.set_index("entity_id")
    assert by.loc["OWE", "amount"] == pytest.approx(10 * WAN)     # the October payment is after as_of
    assert by.loc["C61", "amount"] == pytest.approx(100 * WAN)
    for text in ("2020-06-01", "116天", "60天", "10.00万元", "10.0%", "3%"):
        assert text in by.loc["OWE", "detail"]


def test_cos08_parameters_and_not_run(build, run_check):
    t = build(projects=[project("P1", acceptance_date="2020-06-01")], contracts=[contract()],
              payments=[payment("1", 90 * WAN)])
    assert run_check("COS08", t, AS_OF, retention_share=0.1)[0].empty
    assert run_check("COS08", t, AS_OF, arrears_days=200)[0].empty
    t.pop("payments")
    f, not_run = run_check("COS08", t, AS_OF)
    assert f.empty and "payments" in not_run.iloc[0]["reason"]


# --- COS09 Benford --------------------------------------------------------------------------------

def benford_like(n):
    """Amounts spread evenly on a log scale over four decades: they follow Benford's law."""
    return list(10 ** (1 + 4 * (np.arange(n) + 0.5) / n))


def benford_tables(build, county_amounts):
    projects, payments = [], []
    for i, (county, amounts) in enumerate(county_amounts.items()):
        projects.append(project(f"P{i}", county=county))
        payments += [payment(f"{county}-{k}", a, pid=f"P{i}") for k, a in enumerate(amounts)]
    return build(projects=projects, payments=payments)


def test_first_digit_is_exact():
    edges = np.array([10.0, 1000.0, 9.99e5, 999.9999999999999, 1999.9999999999998, 2e15, 1e22,
                      10.000000000000002, 29.999999999999996, 9.999999999999998e3, 7e3])
    rng = np.random.default_rng(7)
    values = np.concatenate([edges, 10 ** rng.uniform(1, 12, 5000), np.nextafter(10.0 ** np.arange(1, 16), 0)])
    expected = [int(str(Decimal(float(v))).lstrip("0.")[0]) for v in values]
    assert first_digit(values).tolist() == expected


def test_first_digit_at_every_digit_boundary_above_and_below_one():
    starts = np.array([d * 10.0 ** e for e in range(0, 18) for d in range(1, 10)])
    values = np.concatenate([starts, np.nextafter(starts, 0), np.nextafter(starts, np.inf),
                             [1.0, 1.5, 9.999999999999998, 0.5, 0.0123, 3.3e16, 9.999999999999998e15, 1e300]])
    expected = [int(str(Decimal(float(v))).lstrip("0.")[0]) for v in values]
    assert first_digit(values).tolist() == expected


def exact_first_digit(values):
    return [int(format(Decimal(float(v)), "e")[0]) for v in values]


def test_first_digit_next_to_powers_of_ten_and_over_the_whole_range():
    near = np.array([999.9999999999999, 1000.0, 1000.0000000000001, 1e16, 9.999e15, 9.999999999999998e15,
                     np.nextafter(1e16, np.inf), 1e22, 1e23, 9.999999999999999e22, 5e22, 7e22, 1e300,
                     sys.float_info.max, 0.1, np.nextafter(0.1, 0), 0.3, 5e-324, 1e-323, sys.float_info.min])
    powers = 10.0 ** np.arange(-300, 309)
    # any positive finite double: random bit patterns below the exponent of infinity
    anything = np.random.default_rng(9).integers(1, 0x7FF0000000000000, 20000, dtype=np.int64).view(np.float64)
    values = np.concatenate([near, powers, np.nextafter(powers, 0), np.nextafter(powers, np.inf), anything])
    digits = first_digit(values)
    assert digits.dtype == np.int64
    assert digits.tolist() == exact_first_digit(values)
    assert first_digit(np.array([999.9999999999999, 1000.0, 1e23])).tolist() == [9, 1, 9]


def test_cos09_flags_nonconforming_county_only(build, run_check):
    fives = [500.0 + k * 0.25 for k in range(300)]
    t = benford_tables(build, {"甲县": benford_like(400) + [5.0] * 500, "乙县": fives})
    f, _ = run_check("COS09", t, AS_OF)
    assert ids(f) == ["乙县"]
    row = f.iloc[0]
    assert row["county"] == "乙县" and row["entity_type"] == "county" and pd.isna(row["project_id"])
    mad = 2 * (1 - BENFORD_EXPECTED[5]) / 9
    assert "300" in row["detail"] and f"{mad:.4f}" in row["detail"] and "0.015" in row["detail"]


def test_cos09_sample_size_boundary_and_as_of(build, run_check):
    t = benford_tables(build, {"乙县": [500.0] * 299 + [5.0] * 50})     # amounts under 10 yuan do not count
    assert run_check("COS09", t, AS_OF)[0].empty
    assert ids(run_check("COS09", t, AS_OF, benford_min_n=299)[0]) == ["乙县"]
    late = benford_tables(build, {"乙县": [500.0] * 300})
    late["payments"].loc[0, "date"] = pd.Timestamp("2021-01-01")
    assert run_check("COS09", late, AS_OF)[0].empty


def test_benford_metric_table(build, run_all):
    t = benford_tables(build, {"甲县": benford_like(400), "乙县": [500.0] * 10 + [1000.0] * 30})
    r = run_all(t, AS_OF, checks=["COS09"])
    m = r.metrics["benford"]
    assert list(m.columns) == ["county", "digit", "observed", "expected", "n"]
    assert len(m) == 18 and m.groupby("county")["observed"].sum().round(12).eq(1).all()
    yi = m[m["county"] == "乙县"].set_index("digit")
    assert yi.loc[1, "observed"] == pytest.approx(0.75) and yi.loc[5, "observed"] == pytest.approx(0.25)
    assert (yi["n"] == 40).all() and yi.loc[1, "expected"] == pytest.approx(np.log10(2))
    jia = m[m["county"] == "甲县"]
    assert (jia["observed"] - jia["expected"]).abs().max() < 0.01
    assert run_all(t, AS_OF, checks=["COS09"]).findings.empty


def test_cos09_not_run_and_empty(build, run_check):
    t = {"projects": empty("projects", ["project_id", "project_name", "county"]),
         "payments": empty("payments", ["payment_id", "project_id", "payee_id", "date", "amount"])}
    f, not_run = run_check("COS09", t, AS_OF)
    assert f.empty and not_run.empty
    f, not_run = run_check("COS09", {"projects": t["projects"]}, AS_OF)
    assert "payments" in not_run.iloc[0]["reason"]


# --- COS10 payee not the contractor --------------------------------------------------------------------

def test_cos10_payee_differs_from_supplier(build, run_check):
    t = build(projects=[project()],
              contracts=[contract("C1", supplier="S1"), contract("LATE", supplier="S1", sign="2020-12-01")],
              payments=[payment("OK", 1.0, payee="S1"), payment("SUB", 2 * WAN, payee="S7"),
                        payment("NOC", 1.0, payee="S7", cid=None),
                        payment("UNSIGNED", 1.0, payee="S7", cid="LATE"),
                        payment("FUTURE", 1.0, payee="S7", date="2020-12-02")])
    f, _ = run_check("COS10", t, AS_OF)
    assert ids(f) == ["SUB"]
    detail = f.iloc[0]["detail"]
    assert "S7" in detail and "S1" in detail and "C1" in detail and "2.00万元" in detail
    t.pop("contracts")
    assert "contracts" in run_check("COS10", t, AS_OF)[1].iloc[0]["reason"]


# --- COS11 final payment without settlement audit ------------------------------------------------------

def test_cos10_suppliers_that_are_payees_elsewhere_missing_ids_and_unknown_contracts(build, run_check):
    t = build(projects=[project()],
              contracts=[contract("C1", supplier="S1"), contract("C2", supplier="S2"),
                         contract("C3", supplier=None), contract("C4", supplier="NEVER_PAID")],
              payments=[payment("A", 1.0, cid="C1", payee="S2"),     # S2 is C2's supplier, not C1's
                        payment("B", 1.0, cid="C2", payee="S2"),     # its own contractor
                        payment("C", 1.0, cid="C3", payee="S1"),     # contract without supplier
                        payment("D", 1.0, cid="C4", payee="S1"),     # supplier paid nowhere
                        payment("E", 1.0, cid="C1", payee=None),     # no payee
                        payment("F", 1.0, cid="C9", payee="S2")])    # unknown contract
    f, _ = run_check("COS10", t, AS_OF)
    assert ids(f) == ["A", "D"]
    by = f.set_index("entity_id")
    assert "S2" in by.loc["A", "detail"] and "S1" in by.loc["A", "detail"]
    assert "NEVER_PAID" in by.loc["D", "detail"]


def test_cos11_final_payment_needs_audited_settlement(build, run_check):
    t = build(projects=[project()],
              contracts=[contract("NOAUD", settlement_amount=90 * WAN), contract("AUD", audited_settlement=88 * WAN)],
              payments=[payment("F1", 20 * WAN, cid="NOAUD", type="final"),
                        payment("F2", 20 * WAN, cid="AUD", type="final"),
                        payment("P1", 20 * WAN, cid="NOAUD", type="progress"),
                        payment("F3", 20 * WAN, cid="NOAUD", type="final", date="2020-11-01")])
    f, _ = run_check("COS11", t, AS_OF)
    assert ids(f) == ["F1"]
    assert "NOAUD" in f.iloc[0]["detail"] and "20.00万元" in f.iloc[0]["detail"]


def test_cos11_not_run_without_audited_settlement_column(build, run_check):
    t = build(projects=[project()], contracts=[contract()], payments=[payment("F1", 1.0, type="final")])
    f, not_run = run_check("COS11", t, AS_OF)
    assert f.empty and "audited_settlement" in not_run.iloc[0]["reason"]


# --- values: raw and the same in both languages ------------------------------------------------------

def finding_values(findings):
    return {e: json.loads(v) for e, v in zip(findings["entity_id"], findings["values"])}


def test_values_are_raw_and_language_free(build, run_check):
    t = build(projects=[project()],
              contracts=[contract("AUD", audited_settlement=90 * WAN), contract("SET", settlement_amount=80 * WAN),
                         contract("CUR")],
              payments=[payment("1", 95 * WAN, cid="AUD", invoice_no="I-1"),
                        payment("2", 95 * WAN, "2020-02-01", cid="AUD", invoice_no="I-1"),
                        payment("3", 41 * WAN, "2020-03-01", cid="SET"), payment("4", 41 * WAN, "2020-03-05", cid="SET"),
                        payment("5", 101 * WAN, cid="CUR")])
    for check_id in ("COS04", "COS06"):
        zh, _ = run_check(check_id, t, AS_OF)
        en, _ = run_check(check_id, t, AS_OF, lang="en")
        assert zh["values"].tolist() == en["values"].tolist()
    zh = run_check("COS04", t, AS_OF)[0]
    cos04 = finding_values(zh)
    assert cos04["AUD"] == {"as_of": AS_OF, "settled": 90 * WAN, "paid": 190 * WAN, "excess": 100 * WAN,
                            "variant": "audited"}
    assert cos04["CUR"]["settled"] == 100 * WAN and cos04["CUR"]["variant"] == "current"
    # which settled value was used picks the wording (the variant)
    zh, en = (run_check("COS04", t, AS_OF, lang=lang)[0].set_index("entity_id")["detail"] for lang in ("zh", "en"))
    assert zh["AUD"].startswith("合同审定金额90.00万元") and zh["SET"].startswith("合同结算金额80.00万元")
    assert en["SET"].startswith("Contract settlement amount 80.00万元") and "current value" in en["CUR"]
    cos06 = finding_values(run_check("COS06", t, AS_OF)[0])
    assert cos06["2"] == {"ref": "1", "ref_date": "2020-01-10", "paid": 95 * WAN, "invoice": "I-1",
                          "variant": "invoice"}
    assert cos06["4"] == {"ref": "3", "ref_date": "2020-03-01", "paid": 41 * WAN, "contract": "SET", "gap": 4,
                          "dup_days": 7, "variant": "close"}


def test_cos09_values(build, run_check):
    t = benford_tables(build, {"乙县": [500.0 + k * 0.25 for k in range(300)]})
    zh, _ = run_check("COS09", t, AS_OF)
    en, _ = run_check("COS09", t, AS_OF, lang="en")
    assert zh["values"].tolist() == en["values"].tolist()
    values = finding_values(zh)["乙县"]
    assert values["n"] == 300 and values["digit"] == 5 and values["observed"] == 1.0
    assert values["limit"] == 0.015 and values["expected"] == pytest.approx(np.log10(1.2))
    assert f"MAD={values['mad']:.4f}" in zh.iloc[0]["detail"] and "above 0.015" in en.iloc[0]["detail"]


# --- all of them --------------------------------------------------------------------------------------

COS_IDS = [f"COS{i:02d}" for i in range(1, 12)]


def test_every_cos_check_runs_on_empty_tables(run_all):
    t = {"projects": empty("projects", ["project_id", "project_name", "county", "estimate", "budget",
                                        "completed_total", "status", "acceptance_date"]),
         "contracts": empty("contracts", ["contract_id", "project_id", "supplier_id", "sign_date", "amount",
                                          "settlement_amount", "audited_settlement"]),
         "contract_changes": empty("contract_changes", ["contract_id", "date", "amount_delta"]),
         "payments": empty("payments", ["payment_id", "project_id", "contract_id", "payee_id", "date", "amount",
                                        "invoice_no", "type"]),
         "progress": empty("progress", ["project_id", "month", "physical_pct"])}
    r = run_all(t, AS_OF, checks=COS_IDS)
    assert r.not_run.empty and r.findings.empty
    assert r.metrics["benford"].empty
