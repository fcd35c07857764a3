"""The engine turns each check's frame into findings columns the way the findings schema spells them."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpt_audit.checks import registry, run_checks
from kpt_audit.findings import FINDING_COLUMNS, Repeated, finding_id, sort_findings, sorted_together
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables


@pytest.fixture
def mixed_check():
    """A check whose frame mixes numeric ids, blank and given counties, per-row types and severities."""
    @registry.check("TST02", "mixed", area="cost", severity="low", entity_type="project",
                    inputs={"projects": ("project_id",)}, params=("idle_months",), basis="b",
                    condition="always", title={"zh": "混合", "en": "Mixed"},
                    detail={"zh": "{n:,}元{when}", "en": "{n:,} yuan {when}"})
    def mixed(ctx):
        return pd.DataFrame({
            "entity_id": [7, 8, 9, 10],
            "project_id": pd.Series(["P1", None, "P2", "PX"], dtype="str"),
            "county": pd.Series(["", None, "丙县", None], dtype="str"),
            "entity_type": pd.Series([None, "contract", None, None], dtype="str"),
            "severity": pd.Series(["high", None, None, None], dtype="str"),
            "amount": pd.Series(["1.5", "x", None, "4"], dtype=object),
            "n": np.array([1000, 2, 3, 4000000], dtype="int64"),
            "when": pd.to_datetime(["2020-01-02", None, "2020-03-04", "2020-05-06"]),
        })
    yield mixed


def test_columns_are_spelled_as_the_schema_says(mixed_check):
    projects = pd.DataFrame({"project_id": ["P1", "P2"], "county": ["甲县", "乙县"], "project_name": ["a", "b"]})
    r = run_checks(coerce_tables({"projects": projects}), load_params(as_of="2020-09-25"), checks=[mixed_check])
    f = r.findings
    assert list(f.columns) == [*FINDING_COLUMNS, "values"]
    assert all(f[c].dtype == "str" for c in FINDING_COLUMNS if c != "amount")
    assert f["amount"].dtype == "float64"
    # rows without county: first (empty county first), in entity_id order "10" < "8"
    rows = {e: row for e, row in zip(f["entity_id"], f.to_dict("records"))}
    assert list(f["entity_id"]) == ["10", "8", "9", "7"]
    assert pd.isna(rows["10"]["county"]) and pd.isna(rows["8"]["county"])  # unknown project, no project
    assert rows["7"]["county"] == "甲县"     # blank county filled from the project
    assert rows["9"]["county"] == "丙县"     # a check's own county is kept
    assert rows["8"]["entity_type"] == "contract" and rows["7"]["entity_type"] == "project"
    assert rows["7"]["severity"] == "high" and rows["9"]["severity"] == "low"
    assert rows["7"]["amount"] == 1.5 and np.isnan(rows["8"]["amount"]) and rows["10"]["amount"] == 4.0
    assert rows["7"]["detail"] == "1,000元2020-01-02 00:00:00"
    assert rows["8"]["detail"] == "2元NaT"
    assert rows["10"]["detail"] == "4,000,000元2020-05-06 00:00:00"
    assert rows["8"]["finding_id"] == finding_id("TST02", "contract", "8")
    assert pd.isna(rows["8"]["project_id"])
    assert set(f["title"]) == {"混合"} and set(f["basis"]) == {"b"} and set(f["status"]) == {""}


def test_a_contract_or_payment_whose_project_is_unknown_takes_its_tenders_county(mixed_check):
    """checks.md: a finding's county is its project's, else its tender's (here contract 8, no project)."""
    projects = pd.DataFrame({"project_id": ["P1", "P2"], "county": ["甲县", "乙县"], "project_name": ["a", "b"]})
    tenders = pd.DataFrame({"tender_id": ["T1"], "county": ["丁县"], "kind": ["works"], "method": ["open"]})
    contracts = pd.DataFrame({"contract_id": ["8", "9"], "tender_id": ["T1", None], "project_id": ["PX", "P2"],
                              "supplier_id": ["S", "S"], "sign_date": ["2021-01-01", "2020-01-01"], "amount": [1, 1]})
    data = coerce_tables({"projects": projects, "tenders": tenders, "contracts": contracts})
    f = run_checks(data, load_params(as_of="2020-09-25"), checks=[mixed_check]).findings.set_index("entity_id")
    # contract 8 is signed after as_of: it still names its tender; entity 10 is a project: no tender to ask
    assert f.loc["8", "county"] == "丁县" and pd.isna(f.loc["10", "county"]) and f.loc["7", "county"] == "甲县"


def test_county_override_keeps_other_counties_rows(mixed_check, tmp_path):
    projects = pd.DataFrame({"project_id": ["P1", "P2"], "county": ["甲县", "乙县"], "project_name": ["a", "b"]})
    params = load_params(as_of="2020-09-25")
    params.county_overrides.clear()
    params.county_overrides["甲县"] = {"idle_months": 1}
    r = run_checks(coerce_tables({"projects": projects}), params, checks=[mixed_check])
    # the rerun for 甲县 gives the same rows: 甲县's row is replaced by its copy, nothing doubles
    assert sorted(r.findings["entity_id"]) == ["10", "7", "8", "9"]


def test_findings_put_together_as_concat_and_sort_would():
    """``sorted_together`` (the run's findings, a column at a time) gives what sorting the parts' concatenation
    gives: a check's repeated texts (``Repeated``) as texts, a column a part lacks missing, a part's column of
    Python objects making the whole one of objects (as ``pd.concat`` types it), the parts used up."""
    def texts(*values):
        return pd.array(values, dtype="str")

    def check(county, check_id, entity_id, title, values, project_id, amount):  # as the engine holds one
        return {"county": Repeated.of(county), "check_id": Repeated.same(check_id, len(county)),
                "entity_id": texts(*entity_id), "title": Repeated.of(title), "values": texts(*values),
                "project_id": texts(*project_id), "amount": np.array(amount, dtype="float64")}

    first = check(["乙县", None, "甲县"], "A", ["2", "1", "1"], ["t", "t", "u"], ["{}", "{\"a\": 1}", "{}"],
                  ["P1", None, "P2"], [1.0, np.nan, 3.0])
    second = check(["甲县", ""], "B", ["0", "9"], ["v", "t"], ["{}", "{}"], ["P3", None], [np.nan, 5.0])
    ocp = pd.DataFrame({"county": texts("甲县"), "check_id": texts("OCP-R003"), "entity_id": texts("o"),
                        "title": texts("r"), "project_id": [None], "amount": [np.nan]})  # no values
    columns = ["county", "check_id", "entity_id", "title", "values", "project_id", "amount"]

    def as_frame(part):
        return pd.DataFrame({c: v.as_texts() if isinstance(v, Repeated) else v for c, v in part.items()})

    expected = sort_findings(pd.concat([as_frame(first), as_frame(second), ocp], ignore_index=True))
    checks = sort_findings(pd.concat([as_frame(first), as_frame(second)], ignore_index=True))
    got = sorted_together([first, second, ocp], columns)
    pd.testing.assert_frame_equal(got, expected)
    assert got["project_id"].dtype == object and got["title"].dtype == "str" and pd.isna(got["values"][5])
    assert list(got["county"].fillna("!")) == ["!", "", "乙县", "甲县", "甲县", "甲县"]  # code-point order
    assert not first and not second and ocp.empty  # each column let go as it joined
    first = check(["乙县", None, "甲县"], "A", ["2", "1", "1"], ["t", "t", "u"], ["{}", "{}", "{}"],
                  ["P1", None, "P2"], [1.0, np.nan, 3.0])
    second = check(["甲县", ""], "B", ["0", "9"], ["v", "t"], ["{}", "{}"], ["P3", None], [np.nan, 5.0])
    checks["values"] = "{}"
    pd.testing.assert_frame_equal(sorted_together([first, second], columns), checks)  # all texts: str
