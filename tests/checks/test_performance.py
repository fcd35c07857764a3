"""PER01–04: late completion, idle assets, missed performance targets, no targets."""
import json
from types import SimpleNamespace

import pandas as pd
import pytest

from kpt_audit.checks import run_checks
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables

AS_OF = "2020-09-25"


def perf_tables(projects=None, targets=None) -> dict:
    frames = {}
    if projects is not None:
        frames["projects"] = pd.DataFrame(
            [{"project_name": f"项目{r['project_id']}", "county": "甲县", **r} for r in projects])
    if targets is not None:
        frames["targets"] = targets if isinstance(targets, pd.DataFrame) else pd.DataFrame(targets)
    return coerce_tables(frames)


def run(check_id, tables, lang="zh", overrides=None, **values):
    params = load_params(as_of=AS_OF, lang=lang)
    params.county_overrides.clear()
    params.county_overrides.update(overrides or {})
    params.values.update(values)
    result = run_checks(tables, params, checks=[check_id])
    return result.findings, result.not_run


def ids(findings) -> list[str]:
    return sorted(findings["entity_id"])


# ---------------------------------------------------------------- PER01

def late_project(pid, planned, actual, county="甲县"):
    return {"project_id": pid, "county": county, "planned_completion": planned, "actual_completion": actual}


def test_per01_flags_completion_more_than_late_days_after_plan():
    t = perf_tables([late_project("P1", "2019-01-01", "2019-05-01"),     # 120 days late
                     late_project("P2", "2019-01-01", "2019-04-01"),     # exactly 90: not more than
                     late_project("P3", "2019-01-01", "2019-04-02"),     # 91
                     late_project("P4", "2019-01-01", None),             # not completed: EXE04's business
                     late_project("P5", "2019-06-01", "2019-01-01")])    # early
    f, _ = run("PER01", t)
    assert ids(f) == ["P1", "P3"]
    assert set(f["severity"]) == {"low"}
    p1 = f.set_index("entity_id").loc["P1"]
    assert p1["project_id"] == "P1" and p1["county"] == "甲县"
    for value in ("2019-01-01", "2019-05-01", "120", "90"):
        assert value in p1["detail"]


def test_per01_late_days_parameter_and_county_override():
    t = perf_tables([late_project("P1", "2019-01-01", "2019-05-01", "甲县"),
                     late_project("P2", "2019-01-01", "2019-05-01", "乙县")])
    assert ids(run("PER01", t, late_days=120)[0]) == []
    f, _ = run("PER01", t, overrides={"甲县": {"late_days": 200}})
    assert ids(f) == ["P2"]


def test_per01_completion_after_as_of_has_not_happened():
    t = perf_tables([late_project("P1", "2019-01-01", "2020-10-01")])
    assert run("PER01", t)[0].empty


def test_per01_not_run_without_actual_completion_and_empty_table():
    t = perf_tables([{"project_id": "P1", "planned_completion": "2019-01-01"}])
    f, not_run = run("PER01", t)
    assert f.empty and not_run["check_id"].tolist() == ["PER01"]
    assert "actual_completion" in not_run["reason"].iloc[0]
    empty = perf_tables([late_project("P1", "2019-01-01", "2019-01-01")])
    empty["projects"] = empty["projects"].iloc[0:0]
    f, not_run = run("PER01", empty)
    assert f.empty and not_run.empty


def test_per01_english_detail():
    f, _ = run("PER01", perf_tables([late_project("P1", "2019-01-01", "2019-05-01")]), lang="en")
    assert f["title"].iloc[0] == "Late completion"
    assert "120 days late" in f["detail"].iloc[0]


# ---------------------------------------------------------------- PER02

def finished(pid, **dates):
    return {"project_id": pid, "status": "completed", "operation_date": None, **dates}


def test_per02_flags_completed_asset_unused_more_than_idle_asset_days():
    # as_of 2020-09-25 minus 180 days = 2020-03-29
    t = perf_tables([finished("P1", acceptance_date="2020-03-28"),                 # 181 days
                     finished("P2", acceptance_date="2020-03-29"),                 # exactly 180: not more
                     finished("P3", actual_completion="2019-01-01"),               # no acceptance: completion
                     finished("P4", acceptance_date="2019-01-01", operation_date="2019-06-01"),
                     {"project_id": "P5", "status": "in_operation", "acceptance_date": "2019-01-01"},
                     finished("P6"),                                               # never completed
                     # accepted recently: acceptance wins over an old completion date
                     finished("P7", actual_completion="2019-01-01", acceptance_date="2020-08-01")])
    f, _ = run("PER02", t)
    assert ids(f) == ["P1", "P3"]
    assert set(f["severity"]) == {"medium"}
    d = f.set_index("entity_id")["detail"]
    assert "竣工验收2020-03-28" in d["P1"] and "181天" in d["P1"] and "180" in d["P1"]
    assert "实际竣工2019-01-01" in d["P3"]


def test_per02_operation_after_as_of_counts_as_not_in_use():
    t = perf_tables([finished("P1", acceptance_date="2019-01-01", operation_date="2020-12-01"),
                     finished("P2", acceptance_date="2020-12-01", actual_completion="2019-01-01")])
    # P2: its acceptance is after as_of, so its completion date (long ago) is the one that counts
    assert ids(run("PER02", t)[0]) == ["P1", "P2"]


def test_per02_works_with_only_one_completion_column_and_only_status():
    t = perf_tables([{"project_id": "P1", "status": "completed", "actual_completion": "2019-01-01"},
                     {"project_id": "P2", "status": "in_operation", "actual_completion": "2019-01-01"}])
    assert ids(run("PER02", t)[0]) == ["P1"]


def test_per02_not_run_without_completion_or_use_evidence():
    t = perf_tables([{"project_id": "P1", "status": "completed", "operation_date": None}])
    f, not_run = run("PER02", t)
    assert f.empty and "acceptance_date" in not_run["reason"].iloc[0]
    t = perf_tables([{"project_id": "P1", "acceptance_date": "2019-01-01"}])
    f, not_run = run("PER02", t)
    assert f.empty and "operation_date" in not_run["reason"].iloc[0]
    empty = perf_tables([finished("P1", acceptance_date="2019-01-01")])
    empty["projects"] = empty["projects"].iloc[0:0]
    f, not_run = run("PER02", empty)
    assert f.empty and not_run.empty


# ---------------------------------------------------------------- PER03

def target(pid, indicator, tgt, actual, direction=None):
    return {"project_id": pid, "indicator": indicator, "target": tgt, "actual": actual, "direction": direction}


def test_per03_higher_better_is_the_default_and_floor_is_inclusive():
    t = perf_tables([{"project_id": "P1"}],
                    [target("P1", "道路长度", 10, 7.9),                  # below 8
                     target("P1", "绿化面积", 10, 8),                    # exactly target × 0.8: not below
                     target("P1", "新增就业", 100, 50, "higher_better"),
                     target("P1", "覆盖率", 100, 90),
                     target("P1", "缺值", 100, None)])
    f, _ = run("PER03", t)
    assert ids(f) == ["P1|新增就业", "P1|道路长度"]
    row = f.set_index("entity_id").loc["P1|道路长度"]
    assert row["project_id"] == "P1" and row["county"] == "甲县" and row["severity"] == "medium"
    assert "10" in row["detail"] and "7.9" in row["detail"] and "0.8" in row["detail"] and "=8" in row["detail"]


def test_per03_lower_better_flags_actual_above_target_times_two_minus_floor():
    t = perf_tables([{"project_id": "P1"}],
                    [target("P1", "单位成本", 100, 121, "lower_better"),  # above 120
                     target("P1", "事故起数", 100, 120, "lower_better"),  # exactly 120: not above
                     target("P1", "投诉率", 100, 50, "lower_better")])    # low is good
    f, _ = run("PER03", t)
    assert ids(f) == ["P1|单位成本"]
    assert "120" in f["detail"].iloc[0] and "越低越好" in f["detail"].iloc[0]


def test_per03_a_value_exactly_on_the_line_is_on_it_whatever_floating_point_makes_of_the_product():
    # 12 x 0.8 is 9.600000000000001 and 12 x 1.2 is 14.399999999999999 in binary floating point
    t = perf_tables([{"project_id": "P1"}],
                    [target("P1", "a", 12, 9.6), target("P1", "b", 3, 2.4), target("P1", "c", 12, 9.59),
                     target("P1", "d", 12, 14.4, "lower_better"), target("P1", "e", 6, 7.2, "lower_better"),
                     target("P1", "f", 12, 14.41, "lower_better")])
    f, _ = run("PER03", t)
    assert ids(f) == ["P1|c", "P1|f"]


def test_per03_target_floor_parameter_and_missing_direction_column():
    rows = pd.DataFrame([target("P1", "A", 10, 7.9)]).drop(columns="direction")
    t = perf_tables([{"project_id": "P1"}], rows)
    assert ids(run("PER03", t)[0]) == ["P1|A"]
    assert run("PER03", t, target_floor=0.7)[0].empty


def test_per03_not_run_without_targets_and_empty_targets():
    f, not_run = run("PER03", perf_tables([{"project_id": "P1"}]))
    assert f.empty and "targets" in not_run["reason"].iloc[0]
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in ("project_id", "indicator", "target", "actual")})
    f, not_run = run("PER03", perf_tables([{"project_id": "P1"}], empty))
    assert f.empty and not_run.empty


@pytest.mark.parametrize("lang,word", [("zh", "目标值"), ("en", "target")])
def test_per03_detail_language(lang, word):
    t = perf_tables([{"project_id": "P1"}], [target("P1", "A", 10, 1)])
    f, _ = run("PER03", t, lang=lang)
    assert word in f["detail"].iloc[0]


def test_per03_values_are_the_numbers_and_the_detail_shows_two_decimals():
    t = perf_tables([{"project_id": "P1"}], [target("P1", "A", 12345.678, 16000.005, "lower_better"),
                                             target("P1", "B", 10, 7.9)])
    zh, en = run("PER03", t)[0], run("PER03", t, lang="en")[0]
    assert zh["values"].tolist() == en["values"].tolist()
    by = zh.set_index("entity_id")
    assert by.loc["P1|A", "detail"] == "指标“A”目标值12,345.68，实际值16,000，高于目标值×(2−0.8)=14,814.81（越低越好）"
    assert by.loc["P1|B", "detail"] == "指标“B”目标值10，实际值7.9，低于目标值×0.8=8"
    values = json.loads(by.loc["P1|A", "values"])
    assert values == {"indicator": "A", "target": 12345.678, "actual": 16000.005, "floor": 0.8,
                      "line": pytest.approx(12345.678 * 1.2), "variant": "above"}
    assert en.set_index("entity_id").loc["P1|B", "detail"] == \
        "Indicator 'B': target 10, actual 7.9; below target × 0.8 = 8"


def test_per01_per02_values_are_the_same_in_zh_and_en():
    t = perf_tables([finished("P1", planned_completion="2019-01-01", actual_completion="2019-05-01"),
                     finished("P2", planned_completion="2019-01-01", actual_completion="2019-05-01",
                              acceptance_date="2019-06-01")])
    for check_id in ("PER01", "PER02"):
        zh, en = run(check_id, t)[0], run(check_id, t, lang="en")[0]
        assert len(zh) == 2 and zh["values"].tolist() == en["values"].tolist()
    d = en.set_index("entity_id")["detail"]
    assert d["P1"] == "Completed 2019-05-01; still not in use by 2020-09-25, 513 days later (more than 180)"
    assert d["P2"].startswith("Accepted 2019-06-01; ")
    assert json.loads(en.set_index("entity_id").loc["P2", "values"]) == {
        "completed": "2019-06-01", "as_of": "2020-09-25", "idle": 482, "idle_asset_days": 180,
        "variant": "accepted"}


# ---------------------------------------------------------------- unknown values (checks.md revision 2, DQ)

def run_unknown(check_id, tables, *cells):
    """``check_id`` on ``tables`` whose loader could not read ``cells``: (table, row label, column, value)."""
    params = load_params(as_of=AS_OF)
    params.county_overrides.clear()
    data = SimpleNamespace(tables=tables, unknown=pd.DataFrame(list(cells),
                                                              columns=["table", "row", "column", "value"]))
    result = run_checks(data, params, checks=[check_id])
    return result.findings, result.not_run


def test_per01_an_unreadable_date_beside_a_known_one_is_not_judged():
    """checks.md DQ: a finding resting on the unreadable date being later than the other is not made, and
    the project is counted; with the other date blank no finding was possible."""
    t = perf_tables([late_project("P1", "2019-01-01", None), late_project("P2", None, "2019-05-01"),
                     late_project("P3", "2019-01-01", "2019-05-01"), late_project("P4", None, None)])
    f, not_run = run_unknown("PER01", t, ("projects", 0, "actual_completion", "2019-02-30"),
                             ("projects", 1, "planned_completion", "2018-13-01"),
                             ("projects", 3, "actual_completion", "2019-02-30"))
    assert ids(f) == ["P3"]
    assert not_run["reason"].tolist() == ["partly judged"] and not_run["entities"].tolist() == ["2"]


def test_per02_unreadable_acceptance_or_operation_is_not_judged():
    t = perf_tables([finished("P1", actual_completion="2019-01-01"),     # acceptance unreadable: no fallback
                     finished("P2", acceptance_date="2019-01-01"),       # operation unreadable: not "unused"
                     finished("P3", actual_completion="2019-01-01"),
                     finished("P4", acceptance_date="2019-01-01", actual_completion="2018-12-01")])
    f, not_run = run_unknown("PER02", t, ("projects", 0, "acceptance_date", "2019年2月30日"),
                             ("projects", 1, "operation_date", "2019-13-01"),
                             ("projects", 3, "actual_completion", "2018-12-32"))   # acceptance wins anyway
    assert ids(f) == ["P3", "P4"]
    assert not_run["reason"].tolist() == ["partly judged"] and not_run["entities"].tolist() == ["2"]


# ---------------------------------------------------------------- PER04

def per04_tables(with_targets=True, **tables):
    projects = [{"project_id": "CENTRAL", "category": "central_budget"},
                {"project_id": "PROVINCIAL", "category": "provincial"},
                {"project_id": "TARGETED", "category": "central_budget"},
                {"project_id": "LATE_MONEY", "category": "central_budget"},
                {"project_id": "NO_MONEY", "category": "provincial"},
                {"project_id": "MUNICIPAL", "category": "municipal_key"},
                {"project_id": "NO_CATEGORY", "category": None}]
    funds = [{"fund_id": "F1", "project_id": "CENTRAL", "level": "central", "date": "2020-03-01", "amount": 3e6},
             {"fund_id": "F2", "project_id": "CENTRAL", "level": "county", "date": "2020-02-01", "amount": 1e6},
             {"fund_id": "F3", "project_id": "PROVINCIAL", "level": "county", "date": "2019-05-01", "amount": 5e5},
             {"fund_id": "F4", "project_id": "TARGETED", "level": "central", "date": "2020-03-01", "amount": 3e6},
             {"fund_id": "F5", "project_id": "LATE_MONEY", "level": "central", "date": "2020-09-26", "amount": 3e6},
             {"fund_id": "F6", "project_id": "MUNICIPAL", "level": "municipal", "date": "2020-03-01", "amount": 3e6},
             {"fund_id": "F7", "project_id": "NO_CATEGORY", "level": "county", "date": "2020-03-01", "amount": 3e6}]
    frames = {"projects": pd.DataFrame([{"project_name": "x", "county": "甲县", **p} for p in projects]),
              "funds": pd.DataFrame(funds)}
    if with_targets:
        frames["targets"] = pd.DataFrame([target("TARGETED", "新增供水能力(吨/日)", 1000, 0)])
    frames.update(tables)
    return coerce_tables(frames)


def test_per04_funded_central_or_provincial_project_without_targets():
    f, not_run = run("PER04", per04_tables())
    assert not_run.empty
    # any level of money counts once dated by as_of; municipal and uncategorised projects are out of scope
    assert ids(f) == ["CENTRAL", "PROVINCIAL"]
    assert set(f["severity"]) == {"low"} and f["amount"].isna().all()
    d = f.set_index("entity_id")["detail"]
    assert d["CENTRAL"] == "截至2020-09-25已下达资金400.00万元（最早2020-02-01），绩效目标表中无该项目的绩效目标"
    en, _ = run("PER04", per04_tables(), lang="en")
    assert en.set_index("entity_id").loc["PROVINCIAL", "detail"] == (
        "Allocated 500,000 yuan by 2020-09-25 (first on 2019-05-01); no performance target in the targets table")
    assert en["values"].tolist() == f["values"].tolist()


def test_per04_empty_targets_table_and_not_run_without_it():
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in ("project_id", "indicator", "target", "actual")})
    f, not_run = run("PER04", per04_tables(False, targets=empty))
    assert ids(f) == ["CENTRAL", "PROVINCIAL", "TARGETED"] and not_run.empty
    f, not_run = run("PER04", per04_tables(with_targets=False))
    assert f.empty and "targets" in not_run["reason"].item()
    f, not_run = run("PER04", perf_tables([{"project_id": "P1", "category": "central_budget"}], []))
    assert f.empty and "funds" in not_run["reason"].item()
