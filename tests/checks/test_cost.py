"""COS01–COS12, COS14 cost-control checks and the Benford metric, on small hand-made tables."""
import json
import sys
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from kpt_audit.checks import run_checks
from kpt_audit.checks.cost_payments import BENFORD_EXPECTED, first_digit
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables
from conftest import unjudged  # tests/checks/conftest.py

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


KEYS = {"projects": "project_id", "contracts": "contract_id", "payments": "payment_id"}


def run_unknown(check_id, tables, cells, as_of=AS_OF, **values):
    """(findings, not_run) where the loader could not read ``cells``: (table, key, column) — or
    (table, row label, column) for a table without a key — each loaded blank and listed as unknown."""
    rows = []
    for table, key, column in cells:
        df = tables[table]
        label = df.index[df[KEYS[table]] == key][0] if table in KEYS else key
        assert pd.isna(df.at[label, column]), "an unreadable cell is loaded blank"
        rows.append((table, label, column, "约3000"))
    dataset = SimpleNamespace(tables=tables, origin={},
                              unknown=pd.DataFrame(rows, columns=["table", "row", "column", "value"]))
    params = load_params(as_of=as_of)
    params.county_overrides.clear()
    params.values.update(values)
    result = run_checks(dataset, params, checks=[check_id])
    return result.findings, result.not_run




OLD_BASIS = "国务院关于投资体制改革的决定 (国发〔2004〕20号)"


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
    assert "Budget 1,200,000 yuan" in f.iloc[0]["detail"] and f.iloc[0]["title"] == "Budget over estimate"


def test_cos01_not_run_and_empty(build, run_check):
    f, not_run = run_check("COS01", build(projects=[project("P1", budget=1.0)]), AS_OF)
    assert f.empty and "estimate" in not_run.set_index("check_id").loc["COS01", "reason"]
    f, not_run = run_check("COS01", {"projects": empty("projects", ["project_id", "county", "estimate", "budget"])},
                           AS_OF)
    assert f.empty and not_run.empty


def test_cos01_basis_follows_the_design_approval_else_as_of(build, run_check):
    over = dict(estimate=100 * WAN, budget=120 * WAN)
    t = build(projects=[project("OLD", design_approval_date="2019-06-30", **over),
                        project("NEW", design_approval_date="2019-07-01", **over),
                        project("NONE", design_approval_date=None, **over)])
    basis = run_check("COS01", t, AS_OF)[0].set_index("entity_id")["basis"]
    assert basis["OLD"] == OLD_BASIS and basis["NEW"] == basis["NONE"] == "政府投资条例 第十二条"
    # with no design approval the audit date dates it
    basis = run_check("COS01", t, "2019-06-30")[0].set_index("entity_id")["basis"]
    assert basis["NONE"] == OLD_BASIS


def test_cos01_unreadable_values(build):
    t = build(projects=[project("E", estimate=None, budget=120 * WAN, design_approval_date="2020-01-01"),
                        project("B", estimate=100 * WAN, budget=None, design_approval_date="2020-01-01"),
                        project("D", estimate=100 * WAN, budget=120 * WAN, design_approval_date=None),
                        project("DOK", estimate=100 * WAN, budget=105 * WAN, design_approval_date=None),
                        project("FIRE", estimate=100 * WAN, budget=120 * WAN, design_approval_date=None)])
    cells = [("projects", "E", "estimate"), ("projects", "B", "budget"), ("projects", "D", "design_approval_date"),
             ("projects", "DOK", "design_approval_date")]
    f, not_run = run_unknown("COS01", t, cells)
    # D would fire but its basis cannot be told; DOK is within the tolerance whatever its date; E and B are
    # not judged with a blank estimate or budget either, so nothing rests on their unreadable cells
    assert ids(f) == ["FIRE"] and unjudged(not_run, "COS01") == 1


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
    assert not_run.iloc[0]["reason"] == "projects: neither budget nor adjusted_budget present"


def test_cos02_with_an_adjusted_budget_column_and_no_budget_column(build, run_check):
    t = build(projects=[project("P1", adjusted_budget=1100.0, completed_total=1200.0),
                        project("P2", adjusted_budget=1100.0, completed_total=1100.0)])
    f, not_run = run_check("COS02", t, AS_OF)
    assert ids(f) == ["P1"] and f.iloc[0]["amount"] == 100.0 and not_run.empty


def test_cos02_against_the_adjusted_budget_when_present(build, run_check):
    t = build(projects=[project("ADJ", budget=100 * WAN, adjusted_budget=130 * WAN, completed_total=125 * WAN),
                        project("OVER", budget=100 * WAN, adjusted_budget=120 * WAN, completed_total=125 * WAN),
                        project("EDGE", budget=100 * WAN, adjusted_budget=125 * WAN, completed_total=125 * WAN),
                        project("ZERO", budget=100 * WAN, adjusted_budget=0.0, completed_total=101 * WAN),
                        project("NONE", budget=None, adjusted_budget=None, completed_total=101 * WAN),
                        project("ONLY", budget=None, adjusted_budget=90 * WAN, completed_total=91 * WAN)])
    f, _ = run_check("COS02", t, AS_OF)
    assert ids(f) == ["ONLY", "OVER", "ZERO"]
    by = f.set_index("entity_id")
    assert by.loc["OVER", "amount"] == pytest.approx(5 * WAN)
    assert by.loc["OVER", "detail"].startswith("调整后概算120.00万元（原批复概算100.00万元），累计完成投资125.00万元")
    assert by.loc["ZERO", "detail"].startswith("批复概算100.00万元，")      # an adjusted budget of 0 is none
    assert by.loc["ONLY", "detail"].startswith("调整后概算90.00万元（原批复概算—）")
    assert json.loads(by.loc["OVER", "values"])["variant"] == "adjusted"
    en = run_check("COS02", t, AS_OF, lang="en")[0].set_index("entity_id")["detail"]
    assert en["OVER"].startswith("Adjusted budget 1,200,000 yuan (budget 1,000,000 yuan); investment completed")


def test_cos02_basis_follows_as_of(build, run_check):
    t = build(projects=[project("P1", budget=100 * WAN, completed_total=130 * WAN)])
    assert run_check("COS02", t, "2019-06-30")[0]["basis"].item() == OLD_BASIS
    assert run_check("COS02", t, "2019-07-01")[0]["basis"].item() == "政府投资条例 第二十三条"


def test_cos02_unreadable_values(build):
    t = build(projects=[project("ADJ", budget=100 * WAN, adjusted_budget=None, completed_total=110 * WAN),
                        project("BUD", budget=None, completed_total=110 * WAN),
                        project("CT", budget=100 * WAN, completed_total=None),
                        project("PAID", budget=100 * WAN, completed_total=None)],
              payments=[payment("1", 50 * WAN, pid="CT"), payment("2", 120 * WAN, pid="PAID")])
    cells = [("projects", "ADJ", "adjusted_budget"), ("projects", "BUD", "budget"), ("projects", "CT", "completed_total"),
             ("projects", "PAID", "completed_total")]
    f, not_run = run_unknown("COS02", t, cells)
    # PAID: the payments alone exceed the budget, whatever the unreadable completed total says; ADJ would
    # be reported against its budget only because its adjusted budget could not be read
    assert ids(f) == ["PAID"] and unjudged(not_run, "COS02") == 1
    assert "累计完成投资—" in f.iloc[0]["detail"]


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


def test_cos04_unreadable_settlement_is_no_fallback(build):
    t = build(projects=[project()],
              contracts=[contract("AU", audited_settlement=None, settlement_amount=120 * WAN),
                         contract("SU", settlement_amount=None), contract("OK", settlement_amount=None),
                         contract("UNPAID", audited_settlement=None)],
              payments=[payment("1", 125 * WAN, cid="AU"), payment("2", 105 * WAN, cid="SU"),
                        payment("3", 105 * WAN, cid="OK")])
    cells = [("contracts", "AU", "audited_settlement"), ("contracts", "SU", "settlement_amount"),
             ("contracts", "UNPAID", "audited_settlement")]
    f, not_run = run_unknown("COS04", t, cells)
    assert ids(f) == ["OK"] and unjudged(not_run, "COS04") == 2     # UNPAID would not be reported anyway


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


def test_cos05_unreadable_latest_progress(build):
    t = cos05_tables(build)
    progress = t["progress"]
    label = progress.index[progress["month"] == "2020-09"][0]
    f, not_run = run_unknown("COS05", t, [("progress", label, "physical_pct")])
    assert f.empty and unjudged(not_run, "COS05") == 1        # September's figure might be 90 %
    earlier = progress.index[progress["month"] == "2020-07"][0]
    t["progress"].loc[earlier, "physical_pct"] = None
    f, not_run = run_unknown("COS05", t, [("progress", earlier, "physical_pct")])
    assert ids(f) == ["P1"] and not_run.empty                  # an older unreadable month changes nothing


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
    only_completion = {**t, "projects": build(projects=[project("P1", actual_completion="2020-06-01")])["projects"]}
    assert ids(run_check("COS08", only_completion, AS_OF)[0]) == ["C1"]    # no acceptance column: completion
    neither = {**t, "projects": build(projects=[project("P1")])["projects"]}
    f, not_run = run_check("COS08", neither, AS_OF)
    assert f.empty and "acceptance_date" in not_run.iloc[0]["reason"]
    t.pop("payments")
    f, not_run = run_check("COS08", t, AS_OF)
    assert f.empty and "payments" in not_run.iloc[0]["reason"]


def test_cos08_completion_stands_in_for_a_missing_acceptance(build, run_check):
    t = build(projects=[project("COMP", acceptance_date=None, actual_completion="2020-06-01"),
                        project("ACC", acceptance_date="2020-09-01", actual_completion="2020-01-01"),
                        project("NONE", acceptance_date=None, actual_completion=None)],
              contracts=[contract("C1", "COMP"), contract("C2", "ACC"), contract("C3", "NONE")],
              payments=[payment("1", 50 * WAN, pid="COMP", cid="C1")])
    f, not_run = run_check("COS08", t, AS_OF)
    assert ids(f) == ["C1"] and not_run.empty     # ACC: accepted 24 days ago (acceptance wins); NONE: not completed
    detail = f.iloc[0]["detail"]
    assert detail.startswith("项目2020-06-01实际竣工，至2020-09-25已116天") and "合同现值（合同金额+变更）100.00万元" in detail
    en = run_check("COS08", t, AS_OF, lang="en")[0].iloc[0]["detail"]
    assert en.startswith("Project completed 2020-06-01, 116 days before 2020-09-25")


def test_cos08_retention_share_is_dated(build, run_check):
    # 4 % unpaid: above the 3 % retention from 2017-07-01, within the 5 % before
    t = build(projects=[project("OLD", acceptance_date="2017-06-30"), project("NEW", acceptance_date="2017-07-01"),
                        project("OLD6", acceptance_date="2017-06-30")],
              contracts=[contract("C_OLD", "OLD"), contract("C_NEW", "NEW"), contract("C_OLD6", "OLD6")],
              payments=[payment("1", 96 * WAN, pid="OLD", cid="C_OLD"), payment("2", 96 * WAN, pid="NEW", cid="C_NEW"),
                        payment("3", 94 * WAN, pid="OLD6", cid="C_OLD6")])
    f, _ = run_check("COS08", t, AS_OF)
    assert ids(f) == ["C_NEW", "C_OLD6"]
    by = f.set_index("entity_id")
    assert "超过质保金5%" in by.loc["C_OLD6", "detail"] and "超过质保金3%" in by.loc["C_NEW", "detail"]
    assert by.loc["C_OLD6", "basis"] == ("建设工程价款结算暂行办法 (财建〔2004〕369号) 第十四条; "
                                         "建设工程质量保证金管理暂行办法 (建质〔2005〕7号)")
    assert by.loc["C_NEW", "basis"].endswith("建设工程质量保证金管理办法 (建质〔2017〕138号) 第七条")
    assert json.loads(by.loc["C_OLD6", "values"])["retention"] == 0.05


def test_cos08_arrears_basis_is_dated(build, run_check):
    t = build(projects=[project("OLD", acceptance_date="2020-08-31"), project("NEW", acceptance_date="2020-09-01")],
              contracts=[contract("C_OLD", "OLD"), contract("C_NEW", "NEW")],
              payments=[payment("1", 10 * WAN, pid="OLD", cid="C_OLD")])
    f, _ = run_check("COS08", t, "2021-01-31")
    basis = f.set_index("entity_id")["basis"]
    assert basis["C_OLD"].startswith("建设工程价款结算暂行办法 (财建〔2004〕369号) 第十四条; ")
    assert basis["C_NEW"] == "保障中小企业款项支付条例 第八条; 建设工程质量保证金管理办法 (建质〔2017〕138号) 第七条"
    # on 2020-10-31 the old side is 61 days past completion, the new side exactly 60 (not more): not yet due
    f, _ = run_check("COS08", t, "2020-10-31")
    assert ids(f) == ["C_OLD"]


def test_cos08_event_date_in_no_period_is_not_judged(build, run_check):
    gap = [{"from": None, "to": pd.Timestamp("2017-06-30"), "basis": "旧", "value": 0.05},
           {"from": pd.Timestamp("2018-01-01"), "to": None, "basis": "新", "value": 0.03}]
    t = build(projects=[project("GAP", acceptance_date="2017-09-01"), project("IN", acceptance_date="2018-09-01"),
                        project("PAID", acceptance_date="2017-09-01")],
              contracts=[contract("C_GAP", "GAP"), contract("C_IN", "IN"), contract("C_PAID", "PAID")],
              payments=[payment("1", 100 * WAN, pid="PAID", cid="C_PAID")])
    f, not_run = run_check("COS08", t, AS_OF, retention_share=gap)
    assert ids(f) == ["C_IN"] and f.iloc[0]["basis"].endswith("; 新")
    row = not_run.set_index("check_id").loc["COS08"]
    assert row["reason"] == "partly judged" and row["entities"] == "1"     # C_PAID is paid in full


def test_cos08_a_countys_own_periods_judge_and_count_its_contracts(build):
    """乙县's own list covers 2017-09-01, the city's leaves it in a gap (and the other way round): each
    county's contracts are judged and counted by its own periods (params/counties)."""
    gap = [{"from": None, "to": pd.Timestamp("2017-06-30"), "basis": "旧", "value": 0.05},
           {"from": pd.Timestamp("2018-01-01"), "to": None, "basis": "新", "value": 0.03}]
    t = build(projects=[project("A", county="甲县", acceptance_date="2017-09-01"),
                        project("B", county="乙县", acceptance_date="2017-09-01")],
              contracts=[contract("C_A", "A"), contract("C_B", "B")],
              payments=[payment("1", 10 * WAN, pid="A", cid="C_A"), payment("2", 10 * WAN, pid="B", cid="C_B")])
    params = load_params(as_of=AS_OF)
    params.county_overrides.clear()
    params.values["retention_share"] = gap
    params.county_overrides["乙县"] = {"retention_share": 0.03}
    result = run_checks(t, params, checks=["COS08"])
    assert ids(result.findings) == ["C_B"] and unjudged(result.not_run, "COS08") == 1   # C_A in the city's gap
    params.values["retention_share"] = 0.03
    params.county_overrides["乙县"] = {"retention_share": gap}
    result = run_checks(t, params, checks=["COS08"])
    assert ids(result.findings) == ["C_A"] and unjudged(result.not_run, "COS08") == 1   # C_B in 乙县's gap


def test_cos08_unreadable_dates_and_settlements(build):
    t = build(projects=[project("ACC", acceptance_date=None, actual_completion="2019-01-01"),
                        project("COMP", acceptance_date=None, actual_completion=None),
                        project("SET", acceptance_date="2020-01-01")],
              contracts=[contract("C_ACC", "ACC"), contract("C_COMP", "COMP"),
                         contract("C_SET", "SET", audited_settlement=None, settlement_amount=80 * WAN)],
              payments=[payment("1", 70 * WAN, pid="SET", cid="C_SET")])
    cells = [("projects", "ACC", "acceptance_date"), ("projects", "COMP", "actual_completion"),
             ("contracts", "C_SET", "audited_settlement")]
    f, not_run = run_unknown("COS08", t, cells)
    # C_ACC would be reported on its actual completion, C_SET on its settlement amount; C_COMP reads as
    # not completed (nothing rests on its date)
    assert f.empty and unjudged(not_run, "COS08") == 2


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
    assert row["basis"] == "本福特定律首位数字检验 (Nigrini 平均绝对偏差)"


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


def test_cos10_payee_roles(build, run_check):
    t = build(projects=[project()], contracts=[contract("C1", supplier="S1")],
              payments=[payment(role or "NONE", 1.0, payee="S7", payee_role=role)
                        for role in ("wage_account", "consortium", "assignee", "court", "contractor", "other", None)])
    f, _ = run_check("COS10", t, AS_OF)
    assert ids(f) == ["NONE", "contractor", "other"]
    by = f.set_index("entity_id")["detail"]
    assert by["other"].endswith("给S7（收款人类型：其他），而合同C1的乙方为S1")
    assert by["NONE"] == "2020-01-10支付0.00万元给S7，而合同C1的乙方为S1"
    en = run_check("COS10", t, AS_OF, lang="en")[0].set_index("entity_id")["detail"]
    assert "to S7 (payee role: contractor); contract C1 is with S1" in en["contractor"]


def test_cos11_final_payment_needs_a_settlement(build, run_check):
    t = build(projects=[project()],
              contracts=[contract("SET", settlement_amount=90 * WAN), contract("AUD", audited_settlement=88 * WAN),
                         contract("SUB", submitted_settlement=95 * WAN), contract("NONE")],
              payments=[payment("F_SET", 20 * WAN, cid="SET", type="final"),     # settled, not audited: lawful
                        payment("F_AUD", 20 * WAN, cid="AUD", type="final"),
                        payment("F_SUB", 20 * WAN, cid="SUB", type="final"),     # only the contractor's claim
                        payment("F_NONE", 20 * WAN, cid="NONE", type="final"),
                        payment("P_NONE", 20 * WAN, cid="NONE", type="progress"),
                        payment("F_LATE", 20 * WAN, cid="NONE", type="final", date="2020-11-01")])
    f, _ = run_check("COS11", t, AS_OF)
    assert ids(f) == ["F_NONE", "F_SUB"]
    by = f.set_index("entity_id")["detail"]
    assert by["F_SUB"] == "2020-01-10支付结算款20.00万元，合同SUB尚无结算金额和审定金额（仅有送审金额95.00万元）"
    assert by["F_NONE"] == "2020-01-10支付结算款20.00万元，合同NONE尚无结算金额和审定金额"
    assert f["basis"].unique().tolist() == ["建设工程价款结算暂行办法 (财建〔2004〕369号) 第十四条"]


def test_cos11_with_one_settlement_column_and_not_run(build, run_check):
    t = build(projects=[project()], contracts=[contract("C1"), contract("C2", settlement_amount=1.0)],
              payments=[payment("F1", 1.0, cid="C1", type="final"), payment("F2", 1.0, cid="C2", type="final")])
    f, not_run = run_check("COS11", t, AS_OF)
    assert ids(f) == ["F1"] and not_run.empty
    t["contracts"] = t["contracts"].drop(columns="settlement_amount")
    f, not_run = run_check("COS11", t, AS_OF)
    assert f.empty and "settlement_amount" in not_run.iloc[0]["reason"]


def test_cos11_unreadable_settlement(build):
    t = build(projects=[project()], contracts=[contract("C1", settlement_amount=None, audited_settlement=None)],
              payments=[payment("F1", 1.0, type="final"), payment("F2", 1.0, type="final"),
                        payment("P1", 1.0, type="progress")])
    f, not_run = run_unknown("COS11", t, [("contracts", "C1", "settlement_amount")])
    assert f.empty and unjudged(not_run, "COS11") == 2


# --- COS12 advance over cap ----------------------------------------------------------------------------

def test_cos12_advances_above_the_cap_of_works_contracts(build, run_check):
    t = build(projects=[project()],
              contracts=[contract("OVER", kind="works"), contract("EDGE", kind="works"),
                         contract("GOODS", kind="goods"), contract("LATE", kind="works"),
                         contract("CHG", kind="works"), contract("NONE", kind="works", amount=-1.0)],
              contract_changes=[{"contract_id": "CHG", "date": "2020-01-01", "amount_delta": 50 * WAN}],
              payments=[payment("1", 20 * WAN, cid="OVER", type="advance"),
                        payment("2", 11 * WAN, cid="OVER", type="advance"),
                        payment("3", 50 * WAN, cid="OVER", type="progress"),
                        payment("4", 30 * WAN, cid="EDGE", type="advance"),        # exactly 30 %
                        payment("5", 50 * WAN, cid="GOODS", type="advance"),
                        payment("6", 30 * WAN, cid="LATE", type="advance"),
                        payment("7", 10 * WAN, cid="LATE", type="advance", date="2020-10-01"),   # after as_of
                        payment("8", 31 * WAN, cid="CHG", type="advance")])        # changes do not raise the cap
    f, not_run = run_check("COS12", t, AS_OF)
    assert ids(f) == ["CHG", "OVER"] and not_run.empty
    by = f.set_index("entity_id")
    assert by.loc["OVER", "amount"] == pytest.approx(1 * WAN)
    assert by.loc["OVER", "detail"] == "合同签订金额100.00万元，截至2020-09-25预付款合计31.00万元，占31.0%（超过30%）"
    assert by.loc["OVER", "basis"] == "财建〔2004〕369号 第十二条 (预付款不高于合同金额的30%)"
    assert json.loads(by.loc["OVER", "values"]) == {"signed": 100 * WAN, "advances": 31 * WAN, "share": 0.31,
                                                    "cap": 0.3, "as_of": AS_OF}
    en = run_check("COS12", t, AS_OF, lang="en")[0].set_index("entity_id")["detail"]
    assert en["OVER"] == "Contract signed at 1,000,000 yuan; advances to 2020-09-25 310,000 yuan, 31.0% of it (above 30%)"
    assert ids(run_check("COS12", t, AS_OF, advance_cap=0.35)[0]) == []


def test_cos12_not_run(build, run_check):
    t = build(projects=[project()], contracts=[contract()], payments=[payment("1", 1.0, type="advance")])
    f, not_run = run_check("COS12", t, AS_OF)
    assert f.empty and "kind" in not_run.iloc[0]["reason"]


# --- COS14 settlement reduction ------------------------------------------------------------------------

def test_cos14_reduction_rate(build, run_check):
    t = build(projects=[project()],
              contracts=[contract("BIG", submitted_settlement=100 * WAN, audited_settlement=80 * WAN),
                         contract("EDGE", submitted_settlement=100 * WAN, audited_settlement=85 * WAN),
                         contract("UNDER", submitted_settlement=100 * WAN, audited_settlement=85.01 * WAN),
                         contract("NOAUD", submitted_settlement=100 * WAN, audited_settlement=None),
                         contract("ZERO", submitted_settlement=0.0, audited_settlement=-5.0),
                         contract("LATE", submitted_settlement=100 * WAN, audited_settlement=10 * WAN,
                                  sign="2020-10-01")])
    f, not_run = run_check("COS14", t, AS_OF)
    assert ids(f) == ["BIG", "EDGE"] and not_run.empty
    by = f.set_index("entity_id")
    assert by.loc["BIG", "amount"] == pytest.approx(20 * WAN)
    assert by.loc["BIG", "detail"] == "送审金额100.00万元，审定金额80.00万元，审减20.00万元，审减率20.0%（不低于15%）"
    en = run_check("COS14", t, AS_OF, lang="en")[0].set_index("entity_id")["detail"]
    assert en["EDGE"] == "Submitted 1,000,000 yuan, audited 850,000 yuan: reduced by 150,000 yuan, 15.0% (at least 15%)"
    assert ids(run_check("COS14", t, AS_OF, reduction_flag=0.2)[0]) == ["BIG"]


def test_cos14_unreadable_and_not_run(build, run_check):
    t = build(projects=[project()],
              contracts=[contract("SUB", submitted_settlement=None, audited_settlement=80 * WAN),
                         contract("AUD", submitted_settlement=100 * WAN, audited_settlement=None),
                         contract("NONE", submitted_settlement=None, audited_settlement=None)])
    f, not_run = run_unknown("COS14", t, [("contracts", "SUB", "submitted_settlement"),
                                          ("contracts", "AUD", "audited_settlement"),
                                          ("contracts", "NONE", "audited_settlement")])
    assert f.empty and not_run.empty      # both figures are needed: nothing rests on one being absent
    t["contracts"] = t["contracts"].drop(columns="submitted_settlement")
    f, not_run = run_check("COS14", t, AS_OF)
    assert f.empty and "submitted_settlement" in not_run.iloc[0]["reason"]


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
    assert en["SET"].startswith("Contract settlement amount 800,000 yuan") and "current value" in en["CUR"]
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

COS_IDS = [f"COS{i:02d}" for i in range(1, 13)] + ["COS14"]   # there is no COS13 in checks.md


def test_every_cos_check_runs_on_empty_tables(run_all):
    t = {"projects": empty("projects", ["project_id", "project_name", "county", "estimate", "budget",
                                        "completed_total", "status", "acceptance_date"]),
         "contracts": empty("contracts", ["contract_id", "project_id", "supplier_id", "sign_date", "amount", "kind",
                                          "settlement_amount", "audited_settlement", "submitted_settlement"]),
         "contract_changes": empty("contract_changes", ["contract_id", "date", "amount_delta"]),
         "payments": empty("payments", ["payment_id", "project_id", "contract_id", "payee_id", "date", "amount",
                                        "invoice_no", "type"]),
         "progress": empty("progress", ["project_id", "month", "physical_pct"])}
    r = run_all(t, AS_OF, checks=COS_IDS)
    assert r.not_run.empty and r.findings.empty
    assert r.metrics["benford"].empty
