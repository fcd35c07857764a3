"""Tiny builders for hand-made check inputs, shared by the check tests."""
from __future__ import annotations

import pandas as pd
import pytest

from kpt_audit.checks import run_checks
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables


def build_tables(**rows: list[dict]) -> dict[str, pd.DataFrame]:
    """Canonical-typed tables from lists of row dicts; ``projects`` rows get a name and county.

    A table given as a DataFrame is taken as is (to build empty tables with columns).
    """
    frames = {}
    for name, data in rows.items():
        if isinstance(data, pd.DataFrame):
            frames[name] = data
            continue
        if name == "projects":
            data = [{"project_name": f"项目{r['project_id']}", "county": "甲县", **r} for r in data]
        frames[name] = pd.DataFrame(data)
    return coerce_tables(frames)


def make_params(as_of: str, lang: str = "zh", **values):
    params = load_params(as_of=as_of, lang=lang)
    params.county_overrides.clear()
    params.values.update(values)
    return params


def run_one(check_id: str, tables: dict, as_of: str, lang: str = "zh", **values):
    """(findings of ``check_id``, not_run frame) for one check on ``tables``."""
    result = run_checks(tables, make_params(as_of, lang, **values), checks=[check_id])
    return result.findings, result.not_run


@pytest.fixture
def build():
    """``build(projects=[{...}], funds=[{...}])`` -> canonical tables."""
    return build_tables


@pytest.fixture
def run_check():
    """``run_check("EXE01", tables, "2020-09-25", idle_months=6)`` -> (findings, not_run)."""
    return run_one


@pytest.fixture
def run_all():
    """``run_all(tables, as_of, checks=[...])`` -> the whole CheckResult (metrics included)."""
    def run(tables, as_of, checks=None, lang="zh", **values):
        return run_checks(tables, make_params(as_of, lang, **values), checks=checks)
    return run


def unjudged(not_run: pd.DataFrame, check_id: str) -> int:
    """The count of entities ``check_id`` could not judge (``partly judged``), 0 when it judged them all."""
    rows = not_run[(not_run["check_id"] == check_id) & (not_run["reason"] == "partly judged")]
    return int(rows["entities"].iloc[0]) if len(rows) else 0
