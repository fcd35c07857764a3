"""The check engine: not_run, county attribution, overrides, finding ids, sorting, statuses."""
import pandas as pd
import pytest

from kpt_audit.checks import registry
from kpt_audit.checks import run_checks
from kpt_audit.checks.engine import not_run_in, unjudged_frame
from kpt_audit.findings import FINDING_COLUMNS, finding_id, with_status
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables


@pytest.fixture
def toy_check():
    """A throw-away check registered for the test only."""
    @registry.check("TST01", "toy", area="execution", severity="medium", entity_type="project",
                    inputs={"projects": ("project_id", "budget")}, params=("idle_months",),
                    basis="test basis", condition="budget above idle_months",
                    title={"zh": "测试", "en": "Toy"}, detail={"zh": "概算{budget}", "en": "budget {budget}"})
    def toy(ctx):
        p = ctx["projects"]
        hit = p[p["budget"] > ctx.params["idle_months"]]
        return pd.DataFrame({"entity_id": hit["project_id"], "project_id": hit["project_id"],
                             "amount": hit["budget"], "budget": hit["budget"].astype(int).astype(str)})
    yield toy


def tables(**extra):
    projects = pd.DataFrame({"project_id": ["P2", "P1", "P3"], "county": ["乙县", "甲县", "甲县"],
                             "project_name": ["b", "a", "c"], "budget": [20.0, 30.0, 5.0]})
    return coerce_tables({"projects": projects, **extra})


def test_findings_follow_the_schema(toy_check):
    r = run_checks(tables(), load_params(as_of="2020-09-25"), checks=[toy_check])
    f = r.findings
    assert list(f.columns) == [*FINDING_COLUMNS, "values"]
    assert list(f["entity_id"]) == ["P2", "P1"]           # sorted by county: 乙 U+4E59 < 甲 U+7532
    assert list(f["county"]) == ["乙县", "甲县"]            # filled from the project
    assert f.loc[1, "finding_id"] == finding_id("TST01", "project", "P1")
    assert f.loc[1, "detail"] == "概算30"
    assert f.loc[0, "title"] == "测试" and f.loc[0, "basis"] == "test basis"
    assert set(f["severity"]) == {"medium"} and set(f["status"]) == {""}


def test_english_titles(toy_check):
    r = run_checks(tables(), load_params(as_of="2020-09-25", lang="en"), checks=[toy_check])
    assert r.findings.loc[0, "detail"] == "budget 20"


def test_missing_column_is_not_run(toy_check):
    t = tables()
    t["projects"] = t["projects"].drop(columns="budget")
    r = run_checks(t, load_params(as_of="2020-09-25"), checks=[toy_check])
    assert r.findings.empty
    assert r.not_run.to_dict("records") == [{"check_id": "TST01", "reason": "projects: column(s) budget missing",
                                            "entities": ""}]


def test_missing_table_is_not_run():
    from kpt_audit.checks import all_checks

    r = run_checks(tables(), load_params(as_of="2020-09-25"))
    reasons = dict(zip(r.not_run["check_id"], r.not_run["reason"]))
    needing_payments = [c.id for c in all_checks().values() if "payments" in c.inputs]
    for cid in needing_payments:
        assert "table payments missing" in reasons[cid]


def test_county_override_applies_to_that_county_only(toy_check, tmp_path):
    (tmp_path / "counties").mkdir()
    (tmp_path / "counties" / "甲县.yaml").write_text("checks:\n  idle_months: 1\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text("checks:\n  idle_months: 10\n", encoding="utf-8")
    r = run_checks(tables(), load_params(tmp_path / "p.yaml", as_of="2020-09-25"), checks=[toy_check])
    # 甲县 uses 1 (P1 30, P3 5 both fire); 乙县 uses 10 (P2 20 fires)
    assert list(r.findings["entity_id"]) == ["P2", "P1", "P3"]


def test_counties_filter_only_what_is_returned(toy_check):
    r = run_checks(tables(), load_params(as_of="2020-09-25"), counties=["乙县"], checks=[toy_check])
    assert list(r.findings["entity_id"]) == ["P2"]


def test_status_against_previous_run():
    def frame(ids):
        return pd.DataFrame([{**{c: "" for c in FINDING_COLUMNS}, "finding_id": i, "check_id": "X",
                              "entity_type": "project", "entity_id": i, "county": "甲", "amount": 1.0} for i in ids])
    tables = {"projects": pd.DataFrame({"project_id": ["b", "c", "a"]})}
    out = with_status(frame(["b", "c"]), frame(["a", "b", "d"]), tables)
    assert dict(zip(out["finding_id"], out["status"])) == {"a": "not_found_again", "b": "persisting", "c": "new",
                                                          "d": "not_found_again"}
    # a is still in the data (the condition cleared); d's row is gone
    assert dict(zip(out["finding_id"], out["cause"])) == {"a": "cleared", "b": "", "c": "", "d": "entity_missing"}
    assert set(out.loc[out["status"] == "not_found_again", "finding_no"]) == {"X-a", "X-d"}
    # a finding not found again last time and absent now is not carried again
    again = with_status(frame(["c"]), out, tables)
    assert dict(zip(again["finding_id"], again["status"])) == {"b": "not_found_again", "c": "persisting"}
    # an earlier run of revision 1 wrote "resolved": such rows are not carried either
    old = frame(["a", "c"]).assign(status=["resolved", "new"])
    assert dict(zip(*with_status(frame(["c"]), old, tables)[["finding_id", "status"]].T.values)) == {"c": "persisting"}


def test_a_partly_judged_check_runs_and_says_how_many_it_could_not_judge():
    from kpt_audit.checks import partly_judged

    @registry.check("TST03", "partly", area="execution", severity="low", entity_type="project",
                    inputs={"projects": ("project_id", "budget")}, basis="b", condition="budget known",
                    title={"zh": "部分", "en": "Partly"}, detail={"zh": "概算{budget:wan}", "en": "budget {budget:wan}"})
    def partly(ctx):
        p = ctx["projects"]
        judged = p[p["budget"].notna()]
        return partly_judged(pd.DataFrame({"entity_id": judged["project_id"], "budget": judged["budget"]}),
                             entities=int(p["budget"].isna().sum()))

    t = tables()
    t["projects"].loc[0, "budget"] = float("nan")
    r = run_checks(t, load_params(as_of="2020-09-25"), checks=[partly])
    assert sorted(r.findings["entity_id"]) == ["P1", "P3"]
    assert r.not_run.to_dict("records") == [{"check_id": "TST03", "reason": "partly judged", "entities": "1"}]
    assert r.findings["values"].tolist()[0].startswith('{"budget": ')


def test_a_check_not_run_by_default_runs_for_a_county_that_gives_what_it_needs(tmp_path):
    from kpt_audit.checks import NotRun

    @registry.check("TST04", "county-rule", area="execution", severity="low", entity_type="project",
                    inputs={"projects": ("project_id", "budget")}, params=("idle_months",), basis="b",
                    condition="budget above a county's own line", title={"zh": "县", "en": "County"},
                    detail={"zh": "概算{budget:wan}", "en": "budget {budget:wan}"})
    def county_rule(ctx):
        if ctx.params["idle_months"] == 12:  # the default: no line drawn
            raise NotRun("no line for this county")
        p = ctx["projects"]
        return pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"], "budget": p["budget"]})

    (tmp_path / "counties").mkdir()
    (tmp_path / "counties" / "甲县.yaml").write_text("checks:\n  idle_months: 1\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text("as_of: 2020-09-25\n", encoding="utf-8")
    r = run_checks(tables(), load_params(tmp_path / "p.yaml"), checks=[county_rule])
    assert sorted(r.findings["entity_id"]) == ["P1", "P3"] and set(r.findings["county"]) == {"甲县"}
    assert r.not_run.empty
    r = run_checks(tables(), load_params(as_of="2020-09-25"), checks=[county_rule])
    assert r.findings.empty and r.not_run["reason"].tolist() == ["no line for this county"]


def test_an_entity_id_is_read_one_way_for_its_rows_and_its_presence():
    from kpt_audit.findings import entity_keys, entity_present

    assert entity_keys("tender_group", "T1+T2") == ("tenders", {"tender_id": {"T1", "T2"}})
    assert entity_keys("supplier", "S1|某局|2020") == ("suppliers", {"supplier_id": {"S1"}})
    assert entity_keys("cell", "payments|Y1|amount") == ("payments", {"payment_id": {"Y1"}})
    assert entity_keys("cell", "bids|T1,S1|disqualified") == ("bids", {"tender_id": {"T1"}, "bidder_id": {"S1"}})
    # a cell is there while the row holding it is: its row deleted, a DQ01 finding's entity is missing
    rows = {"bids": pd.DataFrame({"tender_id": ["T1"], "bidder_id": ["S1"]}), "payments": pd.DataFrame({"payment_id": ["Y2"]})}
    none = pd.DataFrame({"entity_id": []})
    assert entity_present("cell", "bids|T1,S1|disqualified", rows, none)
    assert not entity_present("cell", "bids|T1,S2|disqualified", rows, none)
    assert not entity_present("cell", "payments|Y1|amount", rows, none)
    assert entity_keys("county", "甲县") == ("projects", {"county": {"甲县"}})
    assert entity_keys("buyer_group", "某局|2020|货物") is None and entity_keys("project", "") is None
    tables = {"tenders": pd.DataFrame({"tender_id": ["T1"]}), "bids": pd.DataFrame({"bidder_id": ["S1"]}),
              "targets": pd.DataFrame({"project_id": ["P1"], "indicator": ["户数|人数"]})}
    current = pd.DataFrame({"entity_id": ["某局|2020|货物"]})
    # a group whose members changed is cleared (interfaces.md); gone when none of its members is left
    assert entity_present("tender_group", "T1+T2", tables, current)
    assert entity_present("tender_group", "T1", tables, current)
    assert not entity_present("tender_group", "T2+T3", tables, current)
    assert entity_present("supplier", "S1|某局|2020", tables, current)        # still bids
    assert entity_present("target", "P1|户数|人数", tables, current)           # the whole id, "|" and all
    assert not entity_present("target", "P1|户数", tables, current)
    assert entity_present("buyer_group", "某局|2020|货物", tables, current)    # no row: found again or not
    assert not entity_present("buyer_group", "某局|2021|货物", tables, current)


def test_findings_made_a_slice_of_rows_at_a_time_are_the_same(monkeypatch, same_results):
    """A check's rows become findings FINDINGS_AT_ONCE at a time (memory): the same findings, in the same
    order, as when made all at once, for every check."""
    from types import SimpleNamespace

    from kpt_audit.checks import engine
    from kpt_audit.schema.coerce import coerce_tables
    from kpt_audit.synth import generate

    data = generate(counties=4, projects=120, seed=5)
    dataset = SimpleNamespace(tables=coerce_tables(data.tables), unknown=data.unknown)
    params = load_params(as_of=data.as_of)
    whole = run_checks(dataset, params)
    made = []
    real = engine._findings_of
    monkeypatch.setattr(engine, "_findings_of", lambda spec, rows, ctx: made.append(len(rows)) or real(spec, rows, ctx))
    monkeypatch.setattr(engine, "FINDINGS_AT_ONCE", 4)
    sliced = run_checks(dataset, params)
    assert max(made) == 4 and len(made) > len(whole.findings) // 4  # made 4 rows at a time
    assert len(whole.findings) > 100
    same_results(whole, sliced)


@pytest.fixture
def dated_toy():
    """A check citing dated bases on each row's event date (the project's budget as a day number)."""
    @registry.check("TST05", "dated", area="execution", severity="low", entity_type="project",
                    inputs={"projects": ("project_id", "budget")}, basis="undated basis", condition="every project",
                    title={"zh": "日期", "en": "Dated"}, detail={"zh": "{budget}", "en": "{budget}"})
    def dated(ctx):
        p = ctx["projects"]
        day = pd.Timestamp("2019-12-31") + pd.to_timedelta(p["budget"], unit="D")  # P1 +30, P2 +20, P3 +5 days
        return pd.DataFrame({"entity_id": p["project_id"], "project_id": p["project_id"], "budget": p["budget"],
                             "event_date": day})
    yield dated


def _params_with(tmp_path, main: str, county: str | None = None):
    if county is not None:
        (tmp_path / "counties").mkdir()
        (tmp_path / "counties" / "甲县.yaml").write_text(county, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(main, encoding="utf-8")
    return load_params(tmp_path / "p.yaml", as_of="2020-09-25")


def test_a_finding_whose_event_date_is_in_no_period_of_its_bases_is_not_made_and_is_counted(dated_toy, tmp_path):
    # periods: to 2020-01-10 (P3, day 5) and from 2020-01-25 (P1, day 30); P2 (day 20) falls in the gap
    params = _params_with(tmp_path, "checks:\n  bases:\n    TST05:\n      - to: 2020-01-10\n        basis: OLD\n"
                                    "      - from: 2020-01-25\n        basis: NEW\n")
    r = run_checks(tables(), params, checks=[dated_toy])
    assert dict(zip(r.findings["entity_id"], r.findings["basis"])) == {"P1": "NEW", "P3": "OLD"}
    assert r.not_run.to_dict("records") == [{"check_id": "TST05", "reason": "partly judged", "entities": "1"}]


def test_a_county_files_bases_apply_to_its_findings(dated_toy, tmp_path):
    params = _params_with(tmp_path, "checks:\n  bases:\n    TST05:\n      - basis: CITY\n",
                          "checks:\n  bases:\n    TST05:\n      - from: 2020-01-25\n        basis: COUNTY\n")
    r = run_checks(tables(), params, checks=[dated_toy])
    # 甲县 (P1, P3) by its own list: P1 in it, P3 (2020-01-05) in none of its periods; 乙县 (P2) by the city's
    assert dict(zip(r.findings["entity_id"], r.findings["basis"])) == {"P2": "CITY", "P1": "COUNTY"}
    assert r.not_run["entities"].tolist() == ["1"]


@pytest.fixture
def counting_toy():
    """Projects without a budget are unjudged only under a line above 5 (idle_months), each in its county."""
    from kpt_audit.checks import partly_judged

    @registry.check("TST06", "counting", area="execution", severity="low", entity_type="project",
                    inputs={"projects": ("project_id", "budget")}, params=("idle_months",), basis="b",
                    condition="budget above the line", title={"zh": "计", "en": "Count"},
                    detail={"zh": "{budget}", "en": "{budget}"})
    def counting(ctx):
        p = ctx["projects"]
        hit = p[p["budget"] > ctx.params["idle_months"]]
        unknown = p[p["budget"].isna()] if ctx.params["idle_months"] > 5 else p.iloc[:0]
        return partly_judged(pd.DataFrame({"entity_id": hit["project_id"], "project_id": hit["project_id"],
                                           "budget": hit["budget"]}), entities=unknown["county"])
    yield counting


def test_partly_judged_counts_under_counties_are_those_counties_entities(counting_toy):
    t = tables()
    t["projects"]["budget"] = [float("nan"), float("nan"), 5.0]  # P2 乙县 and P1 甲县 unknown
    params = load_params(as_of="2020-09-25")
    params.values["idle_months"] = 12
    whole = run_checks(t, params, checks=[counting_toy])
    assert whole.not_run["entities"].tolist() == ["2"]
    assert whole.unjudged.values.tolist() == [["TST06", "乙县", 1], ["TST06", "甲县", 1]]
    assert run_checks(t, params, checks=[counting_toy], counties=["甲县"]).not_run["entities"].tolist() == ["1"]
    # every entity of 丙县 was judged: no row for it
    assert run_checks(t, params, checks=[counting_toy], counties=["丙县"]).not_run.empty
    # a check that does not say which county each entity was in keeps the whole run's count
    assert not_run_in(whole.not_run, unjudged_frame(), ["丙县"]).equals(whole.not_run)


@pytest.mark.parametrize("city, county, expected", [(12, 1, "1"), (1, 12, "1"), (12, 12, "2"), (1, 1, None)])
def test_partly_judged_counts_a_countys_entities_by_its_own_parameters(counting_toy, tmp_path, city, county, expected):
    t = tables()
    t["projects"]["budget"] = [float("nan"), float("nan"), 5.0]  # P2 乙县 and P1 甲县 unknown
    params = _params_with(tmp_path, f"checks:\n  idle_months: {city}\n", f"checks:\n  idle_months: {county}\n")
    r = run_checks(t, params, checks=[counting_toy])
    # 甲县's P1 is counted by 甲县's line, 乙县's P2 by the city's
    assert (r.not_run["entities"].tolist() or [None]) == [expected]


def test_the_public_run_checks_takes_a_county_name_and_refuses_one_not_in_the_data(tmp_path):
    """An analyst writes counties="东城区" (not a list) or misspells a county: one county's findings, or the
    command line's usage error naming the counties there are (not an empty result that looks clean)."""
    import kpt_audit as ka
    from kpt_audit.errors import UsageError
    from kpt_audit.synth import write_synth

    data = write_synth(tmp_path / "d", counties=4, projects=60, seed=5)
    ds, params = ka.load_dataset(data), ka.load_params(as_of="2020-09-25")
    county = sorted(set(ds.tables["projects"]["county"]))[0]
    one = ka.run_checks(ds, params, counties=county).findings
    assert len(one) and set(one["county"].dropna()) == {county}
    with pytest.raises(UsageError, match="北京"):
        ka.run_checks(ds, params, counties=["北京"])
