"""Populations from a data folder and from a run's findings: book values, source rows, bad input named."""
from __future__ import annotations

import pandas as pd
import pytest

from kpt_audit.errors import BadDataError, UsageError
from kpt_audit.load import load_dataset
from kpt_audit.sampling import population as populations

AS_OF = pd.Timestamp("2020-09-30")
PROJECTS = ("project_id,project_name,county,total_investment\n"
            "P1,一号工程,甲县,1000000\nP2,二号工程,乙县,2500000\nP3,三号工程,甲县,400000\n")
PAYMENTS = ("payment_id,project_id,payee_id,date,amount\n"
            "Z1,P1,S1,2020-01-10,100000\nZ2,P2,S1,2020-02-10,250000\nZ3,P1,S2,2020-03-10,50000\n"
            "Z4,P3,S2,2020-12-10,70000\n")  # Z4 is after the audit date
CONTRACTS = ("contract_id,project_id,supplier_id,sign_date,amount\n"
             "H1,P1,S1,2020-01-01,800000\nH2,P2,S1,2020-02-01,2000000\nH3,P3,S2,2021-01-01,300000\n")
CHANGES = "contract_id,date,amount_delta\nH1,2020-05-01,50000\nH1,2020-12-01,90000\nH2,2020-06-01,-100000\n"


def folder(tmp_path, **tables) -> str:
    data = tmp_path / "data"
    data.mkdir()
    for name, text in {"projects": PROJECTS, **tables}.items():
        (data / f"{name}.csv").write_text(text, encoding="utf-8")
    return str(data)


def test_payments_to_the_audit_date_with_county_and_source_row(tmp_path):
    pop = populations.from_data(load_dataset(folder(tmp_path, payments=PAYMENTS)), AS_OF, "payments")
    items = pop.items
    assert list(items["item_id"]) == ["Z1", "Z2", "Z3"]
    assert list(items["book_value"]) == [100000.0, 250000.0, 50000.0]
    assert list(items["county"]) == ["甲县", "乙县", "甲县"]
    assert list(items["project_name"]) == ["一号工程", "二号工程", "一号工程"]
    assert list(items["file"]) == ["payments.csv"] * 3 and list(items["row"]) == [2, 3, 4]
    assert pop.book_value == 400000.0
    assert {s["path"].rsplit("/", 1)[-1] for s in pop.sources} == {"projects.csv", "payments.csv"}


def test_county_filter(tmp_path):
    pop = populations.from_data(load_dataset(folder(tmp_path, payments=PAYMENTS)), AS_OF, "payments", ["甲县"])
    assert list(pop.items["item_id"]) == ["Z1", "Z3"] and pop.counties == ["甲县"]


def test_unknown_county_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="unknown county 丙县"):
        populations.from_data(load_dataset(folder(tmp_path, payments=PAYMENTS)), AS_OF, "payments", ["丙县"])


def test_contracts_at_their_current_value_to_the_audit_date(tmp_path):
    ds = load_dataset(folder(tmp_path, contracts=CONTRACTS, contract_changes=CHANGES))
    pop = populations.from_data(ds, AS_OF, "contracts")
    assert dict(zip(pop.items["item_id"], pop.items["book_value"])) == {"H1": 850000.0, "H2": 1900000.0}


def test_projects_at_total_investment(tmp_path):
    pop = populations.from_data(load_dataset(folder(tmp_path)), AS_OF, "projects")
    assert list(pop.items["book_value"]) == [1000000.0, 2500000.0, 400000.0]
    assert list(pop.items["row"]) == [2, 3, 4]


def test_a_negative_amount_is_named(tmp_path):
    bad = PAYMENTS.replace("Z3,P1,S2,2020-03-10,50000", "Z3,P1,S2,2020-03-10,-50000")
    with pytest.raises(BadDataError, match=r"payments\.csv row 4 \(Z3\), column amount: '-50,000\.00'"):
        populations.from_data(load_dataset(folder(tmp_path, payments=bad)), AS_OF, "payments")


def test_a_missing_book_value_is_named(tmp_path):
    projects = PROJECTS.replace("P2,二号工程,乙县,2500000", "P2,二号工程,乙县,")
    with pytest.raises(BadDataError, match=r"projects\.csv row 3 \(P2\), column total_investment"):
        populations.from_data(load_dataset(folder(tmp_path, projects=projects)), AS_OF, "projects")


def test_an_unreadable_book_value_is_named_as_written(tmp_path):
    projects = PROJECTS.replace("P3,三号工程,甲县,400000", "P3,三号工程,甲县,约四十万")
    with pytest.raises(BadDataError, match=r"projects\.csv row 4 \(P3\), column total_investment: '约四十万'"):
        populations.from_data(load_dataset(folder(tmp_path, projects=projects)), AS_OF, "projects")


def test_no_total_investment_column_is_bad_data(tmp_path):
    projects = "project_id,project_name,county\nP1,一号工程,甲县\n"
    with pytest.raises(BadDataError, match="no total_investment column"):
        populations.from_data(load_dataset(folder(tmp_path, projects=projects)), AS_OF, "projects")


def test_a_population_of_zero_value_is_bad_data(tmp_path):
    zero = ("payment_id,project_id,payee_id,date,amount\nZ1,P1,S1,2020-01-10,0\nZ2,P2,S1,2020-02-10,0\n")
    with pytest.raises(BadDataError, match="book value of 0.00 yuan: there is nothing to sample"):
        populations.from_data(load_dataset(folder(tmp_path, payments=zero)), AS_OF, "payments")


def test_a_county_without_items_has_nothing_to_sample(tmp_path):
    projects = PROJECTS + "P4,四号工程,丙县,100\n"
    with pytest.raises(BadDataError, match=r"payments in 丙县: the population has 0 item\(s\)"):
        populations.from_data(load_dataset(folder(tmp_path, projects=projects, payments=PAYMENTS)), AS_OF,
                              "payments", ["丙县"])


def test_a_table_the_data_lacks_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no payments table"):
        populations.from_data(load_dataset(folder(tmp_path)), AS_OF, "payments")


def test_risk_is_the_highest_severity_on_the_project(tmp_path):
    findings = pd.DataFrame({"project_id": ["P1", "P1", "P2", "P3"], "severity": ["low", "high", "medium", "low"],
                             "status": ["", "", "", "not_found_again"]})
    pop = populations.from_data(load_dataset(folder(tmp_path, payments=PAYMENTS)), AS_OF, "payments",
                                findings=findings)
    assert list(pop.items["risk"]) == ["high", "medium", "high"]
    (tmp_path / "only_projects").mkdir()
    projects = populations.from_data(load_dataset(folder(tmp_path / "only_projects")), AS_OF, "projects",
                                     findings=findings)
    assert list(projects.items["risk"]) == ["high", "medium", "none"]  # P3's only finding is gone


FINDINGS = ("finding_id,finding_no,check_id,area,severity,county,project_id,project_name,entity_type,entity_id,"
            "entity_name,amount,title,detail,basis,status,cause\n"
            "f1,EXE01-f1,EXE01,execution,high,甲县,P1,一号工程,project,P1,,500000,t,d,b,,\n"
            "f2,PRO01-f2,PRO01,procedure,medium,甲县,P1,一号工程,project,P1,,,t,d,b,,\n"
            "f3,COS01-f3,COS01,cost,low,乙县,P2,二号工程,contract,H2,,120000,t,d,b,,\n"
            "f4,COS02-f4,COS02,cost,high,乙县,P2,二号工程,contract,H2,,90000,t,d,b,not_found_again,cleared\n")


def run_dir(tmp_path, text=FINDINGS):
    run = tmp_path / "run"
    run.mkdir()
    (run / "findings.csv").write_text("\ufeff" + text, encoding="utf-8")
    return run


def test_findings_with_an_amount_are_the_population(tmp_path):
    pop = populations.from_findings(run_dir(tmp_path))
    assert list(pop.items["item_id"]) == ["f1", "f3"]
    assert list(pop.items["risk"]) == ["high", "low"]
    assert list(pop.items["row"]) == [2, 4] and set(pop.items["file"]) == {"findings.csv"}
    assert pop.left_out == {"no_amount": 1, "not_found_again": 1}
    assert pop.book_value == 620000.0


def test_findings_dismissed_on_verification_are_not_in_the_population(tmp_path):
    header, *rows = FINDINGS.splitlines()
    text = "\n".join([header + ",verification", *(r + v for r, v in zip(rows, (",confirmed", ",pending", ",dismissed",
                                                                           ",pending")))]) + "\n"
    pop = populations.from_findings(run_dir(tmp_path, text))
    assert list(pop.items["item_id"]) == ["f1"]
    assert pop.left_out == {"no_amount": 1, "not_found_again": 1, "dismissed": 1}


def test_findings_county_filter_and_unknown_county(tmp_path):
    run = run_dir(tmp_path)
    assert list(populations.from_findings(run, ["乙县"]).items["item_id"]) == ["f3"]
    with pytest.raises(UsageError, match="unknown county 丙县"):
        populations.from_findings(run, ["丙县"])


def test_a_run_without_findings_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no findings.csv"):
        populations.from_findings(tmp_path)


def test_a_finding_amount_that_is_not_a_number_is_named(tmp_path):
    with pytest.raises(BadDataError, match=r"findings.csv row 2, column amount: 'abc'"):
        populations.from_findings(run_dir(tmp_path, FINDINGS.replace(",500000,", ",abc,")))


def test_a_negative_finding_amount_is_named(tmp_path):
    with pytest.raises(BadDataError, match=r"findings.csv row 2 \(f1\), column amount: '-500,000.00'"):
        populations.from_findings(run_dir(tmp_path, FINDINGS.replace(",500000,", ",-500000,")))
