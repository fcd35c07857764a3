"""SUB01–05: duplicate subsidies, approvals over application/cap, young recipients,
late disbursement and accounts shared between enterprises."""
import difflib
import json
import time
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from kpt_audit.checks import run_checks
from kpt_audit.checks.frames import normalise_text
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables
from conftest import unjudged  # tests/checks/conftest.py

AS_OF = "2020-09-25"


def app(aid, ent="E1", title=None, approved=100_000.0, applied=None, approved_on="2020-01-01",
        disbursed_on=None, account=None, county="甲县", program="技术改造专项", year=2020):
    return {"application_id": aid, "program": program, "fiscal_year": year, "enterprise_id": ent,
            "project_title": title, "amount_applied": applied, "amount_approved": approved,
            "approval_date": approved_on, "disbursed_date": disbursed_on, "bank_account": account,
            "county": county}


def sub_tables(apps, suppliers=None, drop=()) -> dict:
    frames = {"projects": pd.DataFrame({"project_id": ["P1"], "project_name": ["p"], "county": ["甲县"]}),
              "subsidies": pd.DataFrame(apps).drop(columns=list(drop))}
    if suppliers is not None:
        frames["suppliers"] = pd.DataFrame(suppliers)
    return coerce_tables(frames)


def run(check_id, tables, lang="zh", overrides=None, unknown=None, **values):
    """(findings, not_run); ``unknown``: cells the loader could not read, as (table, row, column, value)."""
    params = load_params(as_of=AS_OF, lang=lang)
    params.county_overrides.clear()
    params.county_overrides.update(overrides or {})
    params.values.update(values)
    if unknown is not None:
        tables = SimpleNamespace(tables=tables, origin={}, unknown=pd.DataFrame(
            unknown, columns=["table", "row", "column", "value"]).astype({"row": "object"}))
    result = run_checks(tables, params, checks=[check_id])
    return result.findings, result.not_run




def caps(**by_program) -> dict:
    return {"program_rules": {program: {"cap": cap} for program, cap in by_program.items()}}


def ages(**by_program) -> dict:
    return {"program_rules": {program: {"min_enterprise_age_days": days} for program, days in by_program.items()}}


def ids(findings) -> list[str]:
    return sorted(findings["entity_id"])


def empty_subsidies(tables):
    tables["subsidies"] = tables["subsidies"].iloc[0:0]
    return tables


# ---------------------------------------------------------------- SUB01

def test_sub01_flags_the_later_of_two_similar_titles_of_one_enterprise():
    t = sub_tables([app("A1", "E1", "年产10万吨技改项目", approved_on="2019-05-01", county="甲县"),
                    app("A2", "E1", "年产10万吨 技改项目（二期）", approved_on="2020-06-01", county="乙县",
                        program="工业转型专项", year=2021),
                    app("A3", "E2", "年产10万吨技改项目", approved_on="2020-07-01"),     # another enterprise
                    app("A4", "E1", "智慧园区信息平台建设", approved_on="2020-08-01")])  # different title
    f, _ = run("SUB01", t)
    assert ids(f) == ["A2"]
    row = f.iloc[0]
    assert row["county"] == "乙县" and row["severity"] == "high" and row["amount"] == 100_000
    assert "A1" in row["detail"] and "0.91" in row["detail"] and "0.8" in row["detail"] and "10.00万元" in row["detail"]
    assert pd.isna(row["project_id"])


def test_sub01_threshold_is_inclusive_and_uses_the_spec_ratio():
    a, b = "abcdefghij", "abcdefghxy"   # ratio exactly 0.8
    assert difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() == 0.8
    t = sub_tables([app("A1", title=a, approved_on="2020-01-01"), app("A2", title=b, approved_on="2020-02-01")])
    assert ids(run("SUB01", t)[0]) == ["A2"]
    assert run("SUB01", t, title_similarity=0.81)[0].empty


def test_sub01_titles_are_normalised_and_placeholders_never_match():
    t = sub_tables([app("A1", title="ＡＢＣ 技改，项目", approved_on="2020-01-01"),
                    app("A2", title="abc技改项目!", approved_on="2020-02-01"),
                    app("A3", title="无", approved_on="2020-03-01"),
                    app("A4", title=" 无 ", approved_on="2020-04-01"),
                    app("A5", title=None, approved_on="2020-05-01")])
    assert ids(run("SUB01", t)[0]) == ["A2"]


def test_sub01_later_means_later_approval_then_larger_id():
    # A9 was approved first, so A1 (approved later) is the duplicate despite its smaller id
    t = sub_tables([app("A9", title="同一项目", approved_on="2019-01-01"),
                    app("A1", title="同一项目", approved_on="2020-01-01")])
    assert ids(run("SUB01", t)[0]) == ["A1"]
    same_day = sub_tables([app("A1", title="同一项目"), app("A2", title="同一项目")])
    assert ids(run("SUB01", same_day)[0]) == ["A2"]
    undated = sub_tables([app("A1", title="同一项目", approved_on=None),
                          app("A2", title="同一项目", approved_on="2020-01-01")])
    assert ids(run("SUB01", undated)[0]) == ["A1"]   # nothing shows the undated one came first


def test_sub01_three_copies_give_two_findings():
    t = sub_tables([app(f"A{i}", title="同一项目", approved_on=f"2020-0{i}-01") for i in (1, 2, 3)])
    f, _ = run("SUB01", t)
    assert ids(f) == ["A2", "A3"]
    assert "A1" in f.set_index("entity_id").loc["A3", "detail"]   # the closest match, earliest on a tie


def test_sub01_only_approved_applications_as_of():
    t = sub_tables([app("A1", title="同一项目", approved_on="2020-01-01"),
                    app("A2", title="同一项目", approved=0.0, approved_on="2020-02-01"),        # refused
                    app("A3", title="同一项目", approved_on="2020-10-01"),                      # after as_of
                    app("A4", title="同一项目", approved=float("nan"), approved_on="2020-02-01")])
    assert run("SUB01", t)[0].empty


def test_sub01_is_cross_county_and_ignores_county_overrides():
    t = sub_tables([app("A1", title="同一项目", county="甲县", approved_on="2020-01-01"),
                    app("A2", title="同一项目", county="甲县", approved_on="2020-02-01")])
    f, _ = run("SUB01", t, overrides={"甲县": {"title_similarity": 1.0, "late_days": 1}})
    assert ids(f) == ["A2"]
    f, _ = run("SUB01", t, title_similarity=1.0)
    assert ids(f) == ["A2"]


def test_sub01_not_run_and_empty():
    f, not_run = run("SUB01", sub_tables([app("A1", title="x")], drop=("project_title",)))
    assert f.empty and "project_title" in not_run["reason"].iloc[0]
    f, not_run = run("SUB01", empty_subsidies(sub_tables([app("A1", title="x")])))
    assert f.empty and not_run.empty


def test_sub01_prefilter_does_not_lose_matches_and_stays_fast():
    rng = np.random.default_rng(7)
    words = np.array(list("路桥园区技改扩建智慧平台数字工业产能升级设备"))
    titles = ["".join(rng.choice(words, size=rng.integers(4, 16))) for _ in range(300)]
    apps = [app(f"A{i:03d}", "E1", t, approved_on="2020-01-01") for i, t in enumerate(titles)]
    t = sub_tables(apps)
    started = time.perf_counter()
    f, _ = run("SUB01", t)
    assert time.perf_counter() - started < 10
    norm = list(normalise_text(pd.Series(titles)))
    expected = {f"A{j:03d}" for j in range(300) for i in range(j)
                if difflib.SequenceMatcher(None, norm[i], norm[j], autojunk=False).ratio() >= 0.8}
    assert set(f["entity_id"]) == expected


# ---------------------------------------------------------------- SUB02

def test_sub02_approved_above_applied_or_cap():
    t = sub_tables([app("A1", approved=120_000.0, applied=100_000.0),
                    app("A2", approved=100_000.0, applied=100_000.0),                 # equal: fine
                    app("A3", approved=6_000_000.0, applied=8_000_000.0),              # over the cap only
                    app("A4", approved=7_000_000.0, applied=6_000_000.0),              # over both
                    app("A5", approved=6_000_000.0, applied=None, program="其他专项"),   # no cap, no application amount
                    app("A6", approved=120_000.0, applied=100_000.0, approved_on="2020-10-01")])  # not yet approved
    f, _ = run("SUB02", t, **caps(技术改造专项=5_000_000))
    assert ids(f) == ["A1", "A3", "A4"]
    by = f.set_index("entity_id")
    assert by.loc["A1", "amount"] == 20_000 and by.loc["A3", "amount"] == 1_000_000
    assert by.loc["A4", "amount"] == 2_000_000        # the excess over the lower line drawn
    assert "12.00万元" in by.loc["A1", "detail"] and "10.00万元" in by.loc["A1", "detail"]
    assert "上限500.00万元" in by.loc["A3", "detail"] and "技术改造专项" in by.loc["A3", "detail"]
    assert "申请600.00万元" in by.loc["A4", "detail"] and "上限" in by.loc["A4", "detail"]
    assert by.loc["A1", "severity"] == "high" and by.loc["A1", "county"] == "甲县"


def test_application_findings_name_the_enterprise():
    """entity_name (checks.md revision 2): the application's enterprise_name, else the registry's name."""
    t = sub_tables([{**app("A1", ent="E1", approved=120_000.0, applied=100_000.0), "enterprise_name": "甲科技公司"},
                    {**app("A2", ent="E2", approved=120_000.0, applied=100_000.0), "enterprise_name": None},
                    {**app("A3", ent="E3", approved=120_000.0, applied=100_000.0), "enterprise_name": None}],
                   suppliers=[{"supplier_id": "E2", "name": "乙制造厂"}])
    f, _ = run("SUB02", t)
    names = dict(zip(f["entity_id"], f["entity_name"]))
    assert names["A1"] == "甲科技公司" and names["A2"] == "乙制造厂" and pd.isna(names["A3"])


def test_sub02_without_caps_only_the_application_counts():
    t = sub_tables([app("A1", approved=6_000_000.0, applied=8_000_000.0)])
    assert run("SUB02", t)[0].empty


def test_sub02_county_override_of_caps():
    t = sub_tables([app("A1", approved=6_000_000.0, applied=8_000_000.0, county="甲县"),
                    app("A2", approved=6_000_000.0, applied=8_000_000.0, county="乙县")])
    f, _ = run("SUB02", t, overrides={"乙县": caps(技术改造专项=1_000_000)})
    assert ids(f) == ["A2"]


def test_sub02_not_run_without_applied_or_caps_and_empty():
    t = sub_tables([app("A1", approved=120_000.0, applied=100_000.0)], drop=("amount_applied",))
    f, not_run = run("SUB02", t)
    assert f.empty and "amount_applied" in not_run["reason"].iloc[0]
    f, not_run = run("SUB02", t, **caps(技术改造专项=100_000))
    assert ids(f) == ["A1"] and not_run.empty
    f, not_run = run("SUB02", empty_subsidies(sub_tables([app("A1", applied=1.0)])))
    assert f.empty and not_run.empty


def test_sub02_english_detail():
    f, _ = run("SUB02", sub_tables([app("A1", approved=120_000.0, applied=100_000.0)]), lang="en")
    assert f["detail"].iloc[0].startswith("Approved 120,000 yuan, above the 100,000 yuan applied for")


def test_sub02_caps_come_from_program_rules_and_not_run_without_any():
    t = sub_tables([app("A1", approved=6_000_000.0, applied=8_000_000.0, program=" 技术改造专项 "),
                    app("A2", approved=6_000_000.0, applied=8_000_000.0, program="人才专项")],
                   drop=("amount_applied",))
    f, not_run = run("SUB02", t, **ages(技术改造专项=365))          # an age rule is no cap
    assert f.empty and "program cap" in not_run["reason"].iloc[0]
    f, not_run = run("SUB02", t, program_rules={"技术改造专项": {"cap": 5_000_000}, "人才专项": {"cap": 6_000_000}})
    assert ids(f) == ["A1"] and not_run.empty                       # 6,000,000 is not above a cap of 6,000,000
    assert f["amount"].iloc[0] == 1_000_000 and json.loads(f["values"].iloc[0])["variant"] == "cap"


def test_sub02_unreadable_application_amount_is_judged_on_the_cap_only():
    t = sub_tables([app("A1", approved=6_000_000.0, applied=None),                    # unreadable, above the cap
                    app("A2", approved=4_000_000.0, applied=None),                    # unreadable, within the cap
                    app("A3", approved=4_000_000.0, applied=None, program="其他专项"),   # unreadable, no cap
                    app("A4", approved=4_000_000.0, applied=None),                    # simply blank: no evidence
                    app("A5", approved=4_000_000.0, applied=3_000_000.0)])            # readable: judged
    unknown = [("subsidies", k, "amount_applied", "约300万") for k in (0, 1, 2)]
    f, not_run = run("SUB02", t, unknown=unknown, **caps(技术改造专项=5_000_000))
    assert ids(f) == ["A1", "A5"] and unjudged(not_run, "SUB02") == 2
    by = f.set_index("entity_id")
    assert by.loc["A1", "amount"] == 1_000_000 and json.loads(by.loc["A1", "values"])["variant"] == "cap"


def test_sub_unreadable_approval_date_is_never_taken_as_approved():
    # a blank approval date is taken at its word (approved); an unreadable one is not known either way
    t = sub_tables([app("A1", "E1", title="同一项目", approved=120_000.0, applied=100_000.0, approved_on="2020-01-01",
                        account="1234"),
                    app("A2", "E2", title="同一项目", approved=120_000.0, applied=100_000.0, approved_on=None,
                        account="1234"),
                    app("A3", "E1", title="同一项目", approved=120_000.0, applied=100_000.0, approved_on=None,
                        account="5678")])
    unknown = [("subsidies", 1, "approval_date", "2020年13月1日")]
    # counted where, approved, it would be reported: above what was applied for (SUB02), late (SUB04), on
    # another enterprise's account (SUB05); its title matches none of its own enterprise's (SUB01)
    expected = {"SUB01": (["A3"], 0), "SUB02": (["A1", "A3"], 1), "SUB04": (["A1"], 1), "SUB05": ([], 1)}
    for check_id, (found, not_judged) in expected.items():
        f, not_run = run(check_id, t, unknown=unknown)
        assert ids(f) == found, check_id
        assert unjudged(not_run, check_id) == not_judged, check_id
        f, not_run = run(check_id, t)                                # the same blank, merely empty: judged
        assert unjudged(not_run, check_id) == 0 and len(f) >= len(found), check_id
    assert ids(run("SUB05", t)[0]) == ["A1+A2"]


def test_sub_an_unreadable_approval_date_is_counted_only_where_it_would_be_a_finding():
    t = sub_tables([app("A1", "E1", title="同一项目", approved=100_000.0, applied=100_000.0, approved_on="2020-01-01",
                        disbursed_on="2020-01-05", account="1234"),
                    app("A2", "E1", title="同一项目", approved=90_000.0, applied=100_000.0, approved_on=None,
                        account="1234"),
                    app("A3", "E2", title="另一个", approved=90_000.0, applied=100_000.0, approved_on=None,
                        account="5678")])
    unknown = [("subsidies", 1, "approval_date", "?"), ("subsidies", 2, "approval_date", "?")]
    for check_id, not_judged in {"SUB01": 1, "SUB02": 0, "SUB04": 2, "SUB05": 0}.items():
        f, not_run = run(check_id, t, unknown=unknown)
        assert f.empty and unjudged(not_run, check_id) == not_judged, check_id


# ---------------------------------------------------------------- SUB03

SUPPLIERS = [{"supplier_id": "E1", "name": "一号", "registered_date": "2019-06-01"},
             {"supplier_id": "E2", "name": "二号", "registered_date": "2019-06-02"},
             {"supplier_id": "E3", "name": "三号", "registered_date": "2019-06-03"},
             {"supplier_id": "E4", "name": "四号", "registered_date": None}]


def test_sub03_flags_enterprise_younger_than_its_programs_min_age_at_approval():
    # 2019-06-01 + 365 days = 2020-05-31
    t = sub_tables([app("A1", "E1", approved_on="2020-05-30"),      # 364 days old
                    app("A2", "E1", approved_on="2020-05-31"),      # exactly 365: old enough
                    app("A3", "E2", approved_on="2019-05-01"),      # approved before it existed
                    app("A4", "E4", approved_on="2020-01-01"),      # unknown registration
                    app("A5", "E9", approved_on="2020-01-01"),      # not in the registry
                    app("A6", "E3", approved_on=None),              # no approval date
                    app("A7", "E3", approved_on="2020-10-01")],     # approval after as_of
                   SUPPLIERS)
    f, not_run = run("SUB03", t, **ages(技术改造专项=365))
    assert ids(f) == ["A1", "A3"] and not_run.empty
    d = f.set_index("entity_id")["detail"]
    assert d["A1"] == "企业E1成立于2019-06-01，获批日2020-05-30时仅成立364天（专项“技术改造专项”要求成立满365天），核定10.00万元"
    assert "-32天" in d["A3"]
    assert set(f["severity"]) == {"medium"} and set(f["county"]) == {"甲县"}
    assert set(f["basis"]) == {"申报条件 (成立年限，按专项设定)"}
    values = json.loads(f.set_index("entity_id").loc["A1", "values"])
    assert values["min_days"] == 365 and values["program"] == "技术改造专项" and values["age"] == 364


def test_sub03_is_off_by_default_and_not_run_without_an_age_rule():
    t = sub_tables([app("A1", "E1", approved_on="2020-05-30")], SUPPLIERS)
    f, not_run = run("SUB03", t)                                   # default: program_rules {}
    assert f.empty and list(not_run["check_id"]) == ["SUB03"]
    assert "program_rules" in not_run["reason"].iloc[0] and "program-specific" in not_run["reason"].iloc[0]
    f, not_run = run("SUB03", t, **caps(技术改造专项=1.0))           # a cap is no age rule
    assert f.empty and "min_enterprise_age_days" in not_run["reason"].iloc[0]


def test_sub03_each_program_its_own_age_and_a_program_without_one_is_not_judged():
    t = sub_tables([app("A1", "E1", approved_on="2020-05-30", program="技术改造专项"),     # 364 days
                    app("A2", "E1", approved_on="2020-05-30", program=" 人才专项 "),        # blanks ignored
                    app("A3", "E1", approved_on="2020-05-30", program="其他专项")],       # no rule: out of scope
                   SUPPLIERS)
    f, not_run = run("SUB03", t, program_rules={"技术改造专项": {"min_enterprise_age_days": 300},
                                                "人才专项": {"min_enterprise_age_days": 730, "cap": 1e9}})
    assert ids(f) == ["A2"] and not_run.empty                      # 364 >= 300; 364 < 730; 其他专项 not counted
    assert "要求成立满730天" in f["detail"].iloc[0]
    f, _ = run("SUB03", t, **ages(技术改造专项=365, 其他专项=365))
    assert ids(f) == ["A1", "A3"]


def test_sub03_county_override_of_program_rules():
    t = sub_tables([app("A1", "E1", approved_on="2020-05-30", county="甲县"),
                    app("A2", "E1", approved_on="2020-05-30", county="乙县")], SUPPLIERS)
    f, _ = run("SUB03", t, overrides={"乙县": ages(技术改造专项=300)}, **ages(技术改造专项=365))
    assert ids(f) == ["A1"]


def test_sub03_missing_inputs_and_empty():
    f, not_run = run("SUB03", sub_tables([app("A1", "E1")]), **ages(技术改造专项=365))
    assert f.empty and "suppliers" in not_run["reason"].iloc[0]
    t = sub_tables([app("A1", "E1")], [{"supplier_id": "E1", "name": "一号"}])
    f, not_run = run("SUB03", t, **ages(技术改造专项=365))
    assert f.empty and "registered_date" in not_run["reason"].iloc[0]
    f, not_run = run("SUB03", empty_subsidies(sub_tables([app("A1", "E1")], SUPPLIERS)), **ages(技术改造专项=365))
    assert f.empty and not_run.empty


def test_sub03_unreadable_registration_or_approval_is_not_judged():
    t = sub_tables([app("A1", "E1", approved_on="2020-05-30"),      # E1's registered_date unreadable
                    app("A2", "E2", approved_on=None),              # approval_date unreadable
                    app("A3", "E3", approved_on="2020-05-30"),      # judged: 362 days -> finding
                    app("A4", "E2", approved_on=None, program="其他专项")],   # unreadable, but no rule: out
                   SUPPLIERS)
    t["suppliers"].loc[0, "registered_date"] = pd.NaT               # as the loader leaves it
    unknown = [("suppliers", 0, "registered_date", "2019年6月31日"), ("subsidies", 1, "approval_date", "去年"),
               ("subsidies", 3, "approval_date", "去年")]
    f, not_run = run("SUB03", t, unknown=unknown, **ages(技术改造专项=365))
    assert ids(f) == ["A3"] and unjudged(not_run, "SUB03") == 2


# ---------------------------------------------------------------- SUB04

def test_sub04_late_and_pending_disbursements():
    t = sub_tables([app("A1", approved_on="2020-01-01", disbursed_on="2020-02-01"),   # 31 days
                    app("A2", approved_on="2020-01-01", disbursed_on="2020-01-31"),   # exactly 30
                    app("A3", approved_on="2020-08-25"),                              # 31 days pending
                    app("A4", approved_on="2020-08-26"),                              # 30 days pending
                    app("A5", approved_on="2020-01-01", disbursed_on="2020-10-01"),   # paid after as_of: pending
                    app("A6", approved_on=None),                                      # no approval date
                    app("A7", approved=0.0, approved_on="2020-01-01")])               # refused
    f, _ = run("SUB04", t)
    assert ids(f) == ["A1", "A3", "A5"]
    d = f.set_index("entity_id")["detail"]
    assert "2020-02-01才拨付" in d["A1"] and "31天" in d["A1"] and "30天" in d["A1"]
    assert "仍未拨付" in d["A3"] and "31天" in d["A3"] and "2020-09-25" in d["A3"]
    assert "仍未拨付" in d["A5"] and "268天" in d["A5"]
    assert set(f["amount"]) == {100_000.0} and set(f["severity"]) == {"medium"}


def test_sub04_parameter_override_and_not_run():
    t = sub_tables([app("A1", approved_on="2020-01-01", disbursed_on="2020-02-01", county="乙县")])
    assert run("SUB04", t, disburse_days=31)[0].empty
    assert run("SUB04", t, overrides={"乙县": {"disburse_days": 60}})[0].empty
    f, not_run = run("SUB04", sub_tables([app("A1")], drop=("disbursed_date",)))
    assert f.empty and "disbursed_date" in not_run["reason"].iloc[0]
    f, not_run = run("SUB04", empty_subsidies(sub_tables([app("A1")])))
    assert f.empty and not_run.empty


def test_sub04_unreadable_disbursement_date_is_not_judged_once_the_limit_has_passed():
    t = sub_tables([app("A1", approved_on="2020-01-01"),            # unreadable, 268 days: not judged
                    app("A2", approved_on="2020-09-01"),            # unreadable, 24 days: cannot be late anyway
                    app("A3", approved_on="2020-01-01")])           # blank: not disbursed, pending
    unknown = [("subsidies", 0, "disbursed_date", "2020.02.30"), ("subsidies", 1, "disbursed_date", "2020.09.31")]
    f, not_run = run("SUB04", t, unknown=unknown)
    assert ids(f) == ["A3"] and unjudged(not_run, "SUB04") == 1


def test_sub04_english_detail():
    f, _ = run("SUB04", sub_tables([app("A1", approved_on="2020-01-01")]), lang="en")
    assert "still not disbursed by 2020-09-25" in f["detail"].iloc[0]


# ---------------------------------------------------------------- SUB05

def test_sub05_groups_every_application_into_an_account_shared_by_enterprises():
    t = sub_tables([app("A10", "E1", account="6222 0000 1111", county="甲县"),
                    app("A2", "E2", account="6222-0000-1111", county="乙县"),
                    app("A3", "E1", account="62220000１１１１", county="乙县"),   # full-width digits
                    app("B1", "E3", account="6222000022", county="甲县"),
                    app("B2", "E3", account="6222000022", county="甲县"),        # one enterprise only
                    app("C1", "E4", account="无"),
                    app("C2", "E5", account="无"),                               # placeholders never match
                    app("D1", "E6", account="9999"),
                    app("D2", "E7", account="9999", approved=0.0)])              # refused: not paid
    f, _ = run("SUB05", t)
    assert list(f["entity_id"]) == ["A10+A2+A3"]     # code-point order: "A10" < "A2"
    row = f.iloc[0]
    assert row["county"] == "乙县"                    # two of the three applications
    assert row["amount"] == 300_000 and row["severity"] == "high"
    assert "E1、E2" in row["detail"] and "****1111" in row["detail"] and "30.00万元" in row["detail"]
    assert "6222" not in row["detail"]               # the account itself is personal data


def test_sub05_values_keep_the_account_tail_only_and_are_the_same_in_zh_and_en():
    t = sub_tables([app("A1", "E2", account="6222 0000 1111"), app("A2", "E1", account="6222-0000-1111")],
                   SUPPLIERS)   # the enterprises are known suppliers: the detail still shows bare ids
    zh, en = run("SUB05", t)[0], run("SUB05", t, lang="en")[0]
    assert zh["detail"].iloc[0] == "2家企业（E1、E2）的2笔获批申报使用同一收款账户****1111，合计核定20.00万元"
    assert en["detail"].iloc[0] == ("2 approved applications of 2 enterprises (E1, E2) are paid into one "
                                    "account ****1111; approved in total 200,000 yuan")
    assert zh["values"].iloc[0] == en["values"].iloc[0]
    assert json.loads(zh["values"].iloc[0]) == {"account_tail": "1111", "applications": 2,
                                                "enterprise_ids": ["E1", "E2"], "enterprises": 2,
                                                "total": 200_000.0}


def test_sub05_a_large_group_lists_every_enterprise():
    n = 52
    t = sub_tables([app(f"A{k:03d}", f"E{k:03d}", account="1234", approved=1_000.0) for k in range(n)])
    zh, en = run("SUB05", t)[0], run("SUB05", t, lang="en")[0]
    assert zh["detail"].iloc[0].startswith(f"{n}家企业（E000、E001、")
    assert f"、E051）的{n}笔" in zh["detail"].iloc[0]
    assert ", E051) are paid" in en["detail"].iloc[0]
    values = json.loads(zh["values"].iloc[0])
    assert values["enterprises"] == n and values["enterprise_ids"] == [f"E{k:03d}" for k in range(n)]
    assert values == json.loads(en["values"].iloc[0])


def test_sub_values_are_values_and_the_same_in_zh_and_en():
    t = sub_tables([app("A1", approved=7_000_000.0, applied=6_000_000.0, approved_on="2020-01-01",
                        disbursed_on="2020-03-01")])
    for check_id in ("SUB02", "SUB04"):
        zh, en = run(check_id, t, **caps(技术改造专项=5_000_000))[0], \
            run(check_id, t, lang="en", **caps(技术改造专项=5_000_000))[0]
        assert zh["values"].tolist() == en["values"].tolist()
    values = json.loads(zh["values"].iloc[0])           # SUB04, disbursed late
    assert values == {"approved_on": "2020-01-01", "disbursed_on": "2020-03-01", "days": 60, "limit": 30,
                      "variant": "late"}
    zh = run("SUB02", t, **caps(技术改造专项=5_000_000))[0]
    assert json.loads(zh["values"].iloc[0]) == {"approved": 7_000_000.0, "applied": 6_000_000.0,
                                                 "cap": 5_000_000.0, "program": "技术改造专项",
                                                 "variant": "both"}


def test_sub05_county_tie_goes_to_the_smallest_name():
    t = sub_tables([app("A1", "E1", account="1234", county="乙县"),
                    app("A2", "E2", account="1234", county="甲县")])
    f, _ = run("SUB05", t)
    assert list(f["county"]) == ["乙县"]             # 乙 U+4E59 < 甲 U+7532
    t = sub_tables([app("A1", "E1", account="1234"), app("A2", "E2", account="1234")], drop=("county",))
    f, _ = run("SUB05", t)
    assert ids(f) == ["A1+A2"] and f["county"].isna().all()


def test_sub05_approval_after_as_of_is_not_paid_yet():
    t = sub_tables([app("A1", "E1", account="1234"), app("A2", "E2", account="1234", approved_on="2020-12-01")])
    assert run("SUB05", t)[0].empty


def test_sub05_not_run_and_empty():
    f, not_run = run("SUB05", sub_tables([app("A1", account="1")], drop=("bank_account",)))
    assert f.empty and "bank_account" in not_run["reason"].iloc[0]
    f, not_run = run("SUB05", empty_subsidies(sub_tables([app("A1", account="1")])))
    assert f.empty and not_run.empty


@pytest.mark.parametrize("check_id", ["SUB01", "SUB02", "SUB03", "SUB04", "SUB05"])
def test_every_sub_check_runs_on_a_table_without_optional_columns(check_id):
    minimal = pd.DataFrame([app("A1", "E1", title="同一项目", account="1"),
                            app("A2", "E2", title="同一项目", account="1")])
    keep = ["application_id", "program", "fiscal_year", "enterprise_id", "amount_approved",
            "project_title", "bank_account", "approval_date", "disbursed_date"]
    t = sub_tables(minimal[keep].to_dict("records"), SUPPLIERS)
    f, not_run = run(check_id, t, program_rules={"技术改造专项": {"cap": 1.0, "min_enterprise_age_days": 365}})
    assert not_run.empty
    assert (f["county"].isna() | (f["county"] == "")).all()


def test_sub01_batches_of_enterprises_give_the_same_findings(monkeypatch):
    from kpt_audit.checks import subsidies

    apps = [app(f"A{e}{i}", f"E{e}", title=f"项目{e}{'甲乙丙'[i % 3]}", approved_on=f"2020-0{i + 1}-01")
            for e in range(6) for i in range(4)]
    t = sub_tables(apps)
    whole, _ = run("SUB01", t)
    monkeypatch.setattr(subsidies, "PAIRS_PER_BATCH", 5)
    batched, _ = run("SUB01", t)
    assert sorted(whole["entity_id"]) == [f"A{e}3" for e in range(6)]   # the 4th repeats the 1st's 甲
    assert whole[["entity_id", "detail"]].equals(batched[["entity_id", "detail"]])
