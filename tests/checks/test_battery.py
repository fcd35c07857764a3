"""One battery run on every check of the catalogue (as scikit-learn's check_estimator does for estimators).

Each check, whatever its rule, must: declare well-formed metadata; run on empty
tables and on only its required columns without failing; give the same
findings in zh and en (text aside); give identical rows when rerun; run with
an audit date before all data; and read exactly the parameters it declares.
A new check is covered here as soon as its module is in the catalogue.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from kpt_audit.checks import all_checks, run_checks
from kpt_audit.checks.context import Context
from kpt_audit.checks.registry import AREA_PREFIX, AREAS, LANGS, SEVERITIES, NotRun, template_fields
from kpt_audit.findings import FINDING_COLUMNS
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables
from kpt_audit.schema.tables import TABLES
from kpt_audit.synth import generate
from kpt_audit.synth.plant_subsidies import AGE_RULES

CHECKS = all_checks()
IDS = list(CHECKS)


@pytest.fixture(scope="module")
def synthetic():
    """A small synthetic city in which every check fires (the generator plants each one), with
    the cells typed by hand that the loader could not read (for DQ01)."""
    data = generate(counties=4, projects=300, seed=11)
    return SimpleNamespace(tables=coerce_tables(data.tables), unknown=data.unknown), data.as_of


def params(as_of, lang="zh"):
    p = load_params(as_of=as_of, lang=lang)
    p.county_overrides.clear()
    p.values["program_rules"] = AGE_RULES  # SUB03 is off unless a program rule turns it on
    return p


def run(check_id, tables, as_of, lang="zh"):
    return run_checks(tables, params(as_of, lang), checks=[check_id])


def well_formed(result, check_id) -> None:
    f = result.findings
    assert list(f.columns) == [*FINDING_COLUMNS, "values"]
    assert set(f["check_id"]) <= {check_id}
    assert f["finding_id"].is_unique
    assert f["entity_id"].notna().all() and (f["entity_id"] != "").all()
    assert set(f["severity"]) <= set(SEVERITIES)
    assert not f["detail"].str.contains(r"\{[a-z_]+\}", regex=True).any()  # no field left unformatted
    assert list(result.not_run.columns) == ["check_id", "reason", "entities"]


@pytest.mark.parametrize("check_id", IDS)
def test_metadata_is_complete(check_id):
    c = CHECKS[check_id]
    assert re.fullmatch(r"[A-Z]{2,3}\d{2}", c.id) and AREA_PREFIX[c.id.rstrip("0123456789")] == c.area in AREAS
    assert c.severity in SEVERITIES and c.entity_type and c.basis and re.fullmatch(r"[a-z0-9-]+", c.slug)
    for part in ("title", "condition", "amount"):
        text = getattr(c, part)
        assert set(text) == set(LANGS) and all(text.values()), part
    assert re.search(r"[\u4e00-\u9fff]", c.title["zh"]) and re.search(r"[\u4e00-\u9fff]", c.condition["zh"])
    for variant in c.detail or {}:
        assert template_fields(c.detail[variant]["zh"]) == template_fields(c.detail[variant]["en"])
    read = [(t, col) for t, cols in c.inputs.items() for col in cols] + list(c.optional)
    for table, column in read:
        # currency is no column of the data model: OCDS data carries it (kpt_audit.ocds.mapping)
        assert table in TABLES and column in {*TABLES[table].column_names, "currency"}, (table, column)
    defaults = load_params().values
    assert set(c.params) <= set(defaults), "every parameter has a default in params/default.yaml"


@pytest.mark.parametrize("check_id", IDS)
def test_empty_tables_give_no_finding(check_id, synthetic):
    data, as_of = synthetic
    empty = {name: df.iloc[:0] for name, df in data.tables.items()}
    result = run(check_id, empty, as_of)
    well_formed(result, check_id)
    assert result.findings.empty


@pytest.mark.parametrize("check_id", IDS)
def test_only_the_required_columns(check_id, synthetic):
    data, as_of = synthetic
    c = CHECKS[check_id]
    bare = {name: data.tables[name][list(columns)] for name, columns in c.inputs.items()}
    result = run(check_id, bare, as_of)
    well_formed(result, check_id)
    # either it judged the data or it says why it could not
    if check_id in set(result.not_run["check_id"]):
        assert result.not_run["reason"].str.len().min() > 0


@pytest.mark.parametrize("check_id", IDS)
def test_zh_and_en_find_the_same_and_rerun_is_identical(check_id, synthetic):
    data, as_of = synthetic
    zh, again, en = run(check_id, data, as_of), run(check_id, data, as_of), run(check_id, data, as_of, "en")
    well_formed(zh, check_id)
    assert len(zh.findings), f"{check_id} is planted by the generator, so it must fire"
    pd.testing.assert_frame_equal(zh.findings, again.findings)
    pd.testing.assert_frame_equal(zh.not_run, again.not_run)
    # the values a detail quotes are the same whatever the language, and every check quotes some
    language_free = [c for c in FINDING_COLUMNS if c not in ("title", "detail")] + ["values"]
    pd.testing.assert_frame_equal(zh.findings[language_free], en.findings[language_free])
    assert CHECKS[check_id].detail, f"{check_id} writes its detail from a template with its values"
    assert (zh.findings["values"] != "{}").all()
    assert (zh.findings["detail"] != "").all() and (en.findings["detail"] != "").all()
    assert (en.findings["title"] == CHECKS[check_id].title["en"]).all()


@pytest.mark.parametrize("check_id", IDS)
def test_audit_date_before_all_data(check_id, synthetic):
    data, _ = synthetic
    result = run(check_id, data, "1990-01-01")
    well_formed(result, check_id)


@pytest.mark.parametrize("check_id", IDS)
def test_reads_exactly_the_parameters_it_declares(check_id, synthetic):
    data, as_of = synthetic
    c = CHECKS[check_id]
    p = params(as_of)
    ctx = Context(data.tables, p.values, p.as_of, p.lang, unknown=data.unknown)
    try:
        c.func(ctx)
    except NotRun:
        pass
    assert ctx.params.read == set(c.params)


def test_a_partly_judged_check_says_the_county_of_every_entity_it_left(synthetic):
    """A county's report and a --county run count that county's unjudged entities only, so each check
    names the county of each entity it could not judge (partly_judged with counties, not a number)."""
    data, as_of = synthetic
    r = run_checks(data, params(as_of))
    partly = r.not_run[r.not_run["reason"] == "partly judged"]
    assert len(partly) >= 3
    said = r.unjudged.groupby("check_id")["entities"].sum()
    assert {c: int(said.get(c, 0)) for c in partly["check_id"]} == dict(zip(partly["check_id"], partly["entities"].astype(int)))
