"""A tiny hand-made dataset of two counties (one with a hostile name) for the report tests.

Written to CSV so that the notebook tests can also load it through the real
loader; the same rows give the in-memory tables for the library tests.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.checks import run_checks
from kpt_audit.dataset import Dataset
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables

AS_OF = "2020-09-25"
COUNTY_A = "甲县"
COUNTY_B = "乙/县<b>"  # a path separator and markup in a county name


def rows() -> dict[str, list[dict]]:
    projects = [
        # central-budget project funded in 2019, never started: EXE01, EXE05, idle funds EXE02
        dict(project_id="P001", project_name="甲县污水处理厂", county=COUNTY_A, category="central_budget",
             fund_year=2019, budget=5_000_000, estimate=4_000_000, total_investment=5_000_000,
             annual_plan=2_000_000, completed_ytd=0, completed_total=0, planned_start="2019-05-01",
             status="not_started", delay_reason="征地拆迁未完成"),
        # under construction, behind schedule: EXE03
        dict(project_id="P002", project_name="甲县道路改造", county=COUNTY_A, category="provincial",
             fund_year=2020, budget=3_000_000, estimate=3_000_000, total_investment=3_000_000,
             annual_plan=1_000_000, completed_ytd=100_000, completed_total=400_000,
             planned_start="2019-03-01", actual_start="2019-04-01", status="under_construction",
             approval_date="2019-01-01", design_approval_date="2019-02-01"),
        dict(project_id="P003", project_name="乙县学校", county=COUNTY_B, category="government",
             fund_year=2020, budget=1_000_000, estimate=1_000_000, total_investment=1_000_000,
             annual_plan=800_000, completed_ytd=700_000, completed_total=700_000,
             planned_start="2020-01-01", actual_start="2020-02-01", status="under_construction",
             approval_date="2019-10-01", design_approval_date="2019-12-01"),
    ]
    funds = [
        dict(fund_id="F1", project_id="P001", level="central", date="2019-03-01", amount=1_500_000),
        dict(fund_id="F2", project_id="P002", level="provincial", date="2020-03-01", amount=800_000),
        dict(fund_id="F3", project_id="P003", level="county", date="2020-02-01", amount=500_000),
    ]
    suppliers = [
        dict(supplier_id="S1", name="=HYPERLINK(\"http://x\")建筑公司", legal_rep="张三丰", phone="13812345678"),
        dict(supplier_id="S2", name="乙建设集团", legal_rep="李四", phone="13987654321"),
    ]
    contracts = [
        dict(contract_id="C1", project_id="P002", supplier_id="S1", sign_date="2019-05-01", amount=600_000),
        dict(contract_id="C2", project_id="P002", supplier_id="S2", sign_date="2019-06-01", amount=200_000),
        # large enough to carry P003's completed investment (no EXE07 in county B)
        dict(contract_id="C3", project_id="P003", supplier_id="S2", sign_date="2020-03-01", amount=700_000),
    ]
    payments = [
        dict(payment_id="Y1", project_id="P002", contract_id="C1", payee_id="S1", date="2020-04-01",
             amount=700_000, type="progress"),
        dict(payment_id="Y2", project_id="P003", contract_id="C3", payee_id="S2", date="2020-05-01",
             amount=300_000, type="progress"),
    ]
    return dict(projects=projects, funds=funds, suppliers=suppliers, contracts=contracts, payments=payments)


def tables() -> dict[str, pd.DataFrame]:
    return coerce_tables({name: pd.DataFrame(r) for name, r in rows().items()})


def dataset() -> Dataset:
    t = tables()
    ledger = pd.DataFrame([{"file": f"{n}.csv", "table": n, "rows_in": len(df), "rows_loaded": len(df),
                            "rows_rejected": 0, "notes": ""} for n, df in sorted(t.items())])
    return Dataset(tables=t, ledger=ledger)


def write_csv_dataset(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, r in rows().items():
        pd.DataFrame(r).to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def params():
    p = load_params(as_of=AS_OF)
    p.county_overrides.clear()
    return p


@pytest.fixture(scope="session")
def result(params):
    return run_checks(dataset(), params)


@pytest.fixture(scope="session")
def csv_dataset(tmp_path_factory) -> Path:
    return write_csv_dataset(tmp_path_factory.mktemp("data") / "data")
