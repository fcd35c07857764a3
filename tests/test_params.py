import pandas as pd
import pytest

from kpt_audit.params import ParamsError, load_params


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_load_with_lang_and_no_audit_date():
    p = load_params()
    assert p.as_of is None and p.as_of_source is None  # the shipped default sets no as_of
    assert p.to_dict()["as_of"] is None
    assert p.lang == "zh"
    assert p.values["idle_months"] == 12
    first, second = p.values["tender_thresholds"]
    assert second["works"] == 4_000_000 and second["from"] == pd.Timestamp("2018-06-01") and second["to"] is None
    assert first["project_total"] == 30_000_000 and first["to"] == pd.Timestamp("2018-05-31")


def test_the_shipped_default_sets_no_as_of_and_says_how_to_give_it():
    import yaml

    from kpt_audit.params import default_params_file

    text = default_params_file().read_text(encoding="utf-8")
    assert "as_of" not in yaml.safe_load(text)
    assert "--as-of" in text and "as_of:" in text


def test_as_of_argument_wins_over_file(tmp_path):
    f = write(tmp_path / "p.yaml", "as_of: 2021-03-31\n")
    assert load_params(f).as_of == pd.Timestamp("2021-03-31")
    assert load_params(f).as_of_source == str(f)
    p = load_params(f, as_of="2022-01-01")
    assert p.as_of == pd.Timestamp("2022-01-01") and p.as_of_source == "argument"


@pytest.mark.parametrize("text", ["2020-09-30", "2020/9/30", "2020年9月30日", "２０２０年９月３０日", "20200930"])
def test_as_of_takes_a_full_date_in_the_usual_spellings(tmp_path, text):
    assert load_params(as_of=text).as_of == pd.Timestamp("2020-09-30")
    f = write(tmp_path / "p.yaml", f"as_of: '{text}'\n")
    assert load_params(f).as_of == pd.Timestamp("2020-09-30")


@pytest.mark.parametrize("text", ["2020-09", "2020-13-01", "44104", "yesterday", "1800-01-01"])
def test_a_bad_as_of_argument_is_a_usage_error_naming_as_of_not_a_file(text):
    from kpt_audit.errors import UsageError

    with pytest.raises(UsageError) as err:
        load_params(as_of=text)
    assert "as_of" in str(err.value) and "default.yaml" not in str(err.value)
    assert not isinstance(err.value, ParamsError)


def test_params_error_is_defined_once():
    import kpt_audit.errors
    import kpt_audit.params

    assert kpt_audit.params.ParamsError is kpt_audit.errors.ParamsError
    assert issubclass(ParamsError, kpt_audit.errors.UsageError)


def test_user_file_merges_over_defaults(tmp_path):
    f = write(tmp_path / "p.yaml", "checks:\n  idle_months: 6\n  behind_factor: 1\n")
    p = load_params(f)
    assert p.values["idle_months"] == 6
    assert p.values["behind_factor"] == 1.0 and isinstance(p.values["behind_factor"], float)
    assert p.values["idle_min_share"] == 0.3


@pytest.mark.parametrize("text, key", [
    ("checks:\n  idel_months: 6\n", "idel_months"),
    ("chekcs: {}\n", "chekcs"),
    ("checks:\n  idle_months: twelve\n", "idle_months"),
    ("checks:\n  idle_months: 1.5\n", "idle_months"),
    ("checks:\n  behind_factor: true\n", "behind_factor"),
    ("checks:\n  tender_thresholds: 5\n", "tender_thresholds"),
    ("checks:\n  min_bidders: -1\n", "min_bidders"),
    ("lang: fr\n", "lang"),
    ("as_of: not-a-date\n", "as_of"),
    ("as_of: 2020/13/1\n", "as_of"),
    ("as_of: 2020-09\n", "as_of"),
    ("loader:\n  alias: {}\n", "loader.alias"),
])
def test_bad_params_name_the_key(tmp_path, text, key):
    f = write(tmp_path / "p.yaml", text)
    with pytest.raises(ParamsError) as err:
        load_params(f)
    assert key in str(err.value)
    assert str(f) in str(err.value)


def test_unknown_key_suggests_the_close_one(tmp_path):
    f = write(tmp_path / "p.yaml", "checks:\n  idel_months: 6\n")
    with pytest.raises(ParamsError, match="idle_months"):
        load_params(f)


def test_yaml_alias_bomb_is_refused(tmp_path):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    f = write(tmp_path / "p.yaml", bomb)
    with pytest.raises(ParamsError, match="aliases"):
        load_params(f)


def test_not_a_mapping_and_bad_yaml(tmp_path):
    with pytest.raises(ParamsError, match="mapping"):
        load_params(write(tmp_path / "a.yaml", "- 1\n- 2\n"))
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_params(write(tmp_path / "b.yaml", "checks: [\n"))
    with pytest.raises(ParamsError, match="not found"):
        load_params(tmp_path / "missing.yaml")


def test_county_overrides_are_read_and_validated(tmp_path):
    f = write(tmp_path / "p.yaml", "as_of: 2020-09-25\n")
    (tmp_path / "counties").mkdir()
    write(tmp_path / "counties" / "东城区.yaml", "checks:\n  idle_months: 6\n  behind_factor: 0.75\n")
    p = load_params(f)
    assert p.county_overrides == {"东城区": {"idle_months": 6}}
    assert p.for_county("东城区")["idle_months"] == 6
    assert p.for_county("西湖县")["idle_months"] == 12
    write(tmp_path / "counties" / "西湖县.yaml", "checks:\n  nonsense: 1\n")
    with pytest.raises(ParamsError, match="nonsense"):
        load_params(f)


def test_every_check_parameter_has_a_default_and_basis_comment():
    from pathlib import Path

    from kpt_audit.checks import all_checks

    p = load_params()
    declared = {name for c in all_checks().values() for name in c.params}
    assert declared <= set(p.values), declared - set(p.values)
    text = (Path(__file__).resolve().parents[1] / "params" / "default.yaml").read_text(encoding="utf-8")
    for name in p.values:
        line = next(l for l in text.splitlines() if l.strip().startswith(f"{name}:"))
        assert "#" in line, f"{name} has no basis comment"


def test_every_default_parameter_is_used_by_a_check():
    from kpt_audit.checks import all_checks

    declared = {name for c in all_checks().values() for name in c.params}
    # bases is read by the engine for every check with an event date, not by one check
    assert set(load_params().values) - {"bases"} == declared


# --- dated parameters (checks.md revision 2) -------------------------------------------------------

DATED = """checks:
  retention_share:
    - to: 2017-06-30
      value: 0.05
      basis: old rule
    - from: 2017-07-01
      value: 0.04
      basis: new rule
"""


def test_a_dated_parameter_replaces_the_whole_default_list(tmp_path):
    p = load_params(write(tmp_path / "p.yaml", DATED))
    assert [(x["value"], x["basis"]) for x in p.values["retention_share"]] == [(0.05, "old rule"), (0.04, "new rule")]
    assert p.to_dict()["checks"]["retention_share"][1]["from"] == "2017-07-01"  # JSON-safe in the manifest


def test_a_dated_parameter_may_be_one_plain_value(tmp_path):
    p = load_params(write(tmp_path / "p.yaml", "checks:\n  retention_share: 0.04\n"
                                               "  tender_thresholds: {works: 1, goods: 2, services: 3}\n"))
    assert p.values["retention_share"] == 0.04
    assert p.values["tender_thresholds"] == {"works": 1, "goods": 2, "services": 3}


@pytest.mark.parametrize("text, words", [
    ("checks:\n  retention_share:\n    - to: 2018-01-01\n      value: 0.05\n      basis: a\n    - from: 2017-07-01\n"
     "      value: 0.03\n      basis: b\n", ["periods 1", "2", "overlap", "…"]),
    ("checks:\n  retention_share:\n    - from: 2018-01-01\n      to: 2017-01-01\n      value: 0.05\n", ["before it begins"]),
    ("checks:\n  retention_share:\n    - value: 0.05\n      rate: 1\n", ["retention_share[1]", "value"]),
    ("checks:\n  tender_thresholds:\n    - works: 1\n      cars: 2\n", ["tender_thresholds[1]", "cars"]),
    ("checks:\n  retention_share:\n    - to: 2018-13-01\n      value: 0.05\n", ["not a valid date"]),
    ("checks:\n  retention_share:\n    - to: 2018年13月1日\n      value: 0.05\n", ["retention_share[1].to", "2018年13月1日"]),
    ("checks:\n  retention_share: []\n", ["no period"]),
    ("checks:\n  idle_months:\n    - value: 6\n", ["not dated"]),
    ("checks:\n  bases:\n    PRC1: []\n", ["not a check id"]),
    ("checks:\n  bases:\n    PRC01:\n      - basis: x\n        value: 1\n", ["from, to and basis only"]),
    ("checks:\n  program_caps: {a: 1}\n", ["program_rules", "cap"]),
    ("checks:\n  min_enterprise_age_days: 365\n", ["program_rules", "min_enterprise_age_days"]),
    ("checks:\n  program_rules: {技改: {age: 1}}\n", ["技改", "age"]),
    # every period names its basis: a finding never cites none
    ("checks:\n  retention_share:\n    - to: 2018-01-01\n      value: 0.05\n", ["retention_share[1]", "basis"]),
    ("checks:\n  bases:\n    PRC01:\n      - to: 2019-06-30\n      - from: 2019-07-01\n        basis: x\n",
     ["bases.PRC01[1]", "basis"]),
    ("checks:\n  bases:\n    PRC01:\n      - basis: '  '\n", ["bases.PRC01[1]", "basis"]),
    # revision 1's keys at the top of the file are named with their new place too
    ("program_caps: {a: 1}\n", ["program_rules", "cap"]),
    ("min_enterprise_age_days: 365\n", ["program_rules", "min_enterprise_age_days"]),
])
def test_bad_dated_parameters_are_named(tmp_path, text, words):
    f = write(tmp_path / "p.yaml", text)
    with pytest.raises(ParamsError) as err:
        load_params(f)
    for word in words:
        assert word in str(err.value), (word, str(err.value))


def test_periods_out_of_order_name_the_pair_that_overlaps_or_say_so(tmp_path):
    f = write(tmp_path / "p.yaml", "checks:\n  retention_share:\n    - from: 2013-01-01\n      to: 2014-12-31\n"
                                   "      value: 0.05\n      basis: a\n    - from: 2011-01-01\n      to: 2011-12-31\n"
                                   "      value: 0.05\n      basis: b\n    - to: 2013-06-30\n      value: 0.03\n      basis: c\n")
    with pytest.raises(ParamsError, match=r"periods 1 \(2013-01-01 to 2014-12-31\) and 3 \(… to 2013-06-30\) overlap"):
        load_params(f)
    f = write(tmp_path / "q.yaml", "checks:\n  retention_share:\n    - from: 2013-01-01\n      value: 0.05\n      basis: a\n"
                                   "    - to: 2011-12-31\n      value: 0.03\n      basis: b\n")
    with pytest.raises(ParamsError, match=r"period 2 \(… to 2011-12-31\) comes before period 1"):
        load_params(f)


def test_overlap_message_names_both_periods(tmp_path):
    f = write(tmp_path / "p.yaml", "checks:\n  retention_share:\n    - to: 2018-01-01\n      value: 0.05\n      basis: a\n"
                                   "    - from: 2017-07-01\n      value: 0.03\n      basis: b\n")
    with pytest.raises(ParamsError, match=r"periods 1 \(… to 2018-01-01\) and 2 \(2017-07-01 to …\) overlap"):
        load_params(f)


def test_gaps_between_periods_are_allowed_and_bases_and_program_rules_read(tmp_path):
    f = write(tmp_path / "p.yaml", "checks:\n  retention_share:\n    - to: 2016-12-31\n      value: 0.05\n      basis: a\n"
                                   "    - from: 2018-01-01\n      value: 0.03\n      basis: b\n"
                                   "  bases:\n    COS01:\n      - from: 2020-01-01\n        basis: 新办法\n"
                                   "  program_rules: {技术改造专项: {cap: 5000000, min_enterprise_age_days: 365}}\n"
                                   "  start_window_months: 6\n")
    p = load_params(f)
    assert len(p.values["retention_share"]) == 2
    assert p.values["bases"]["COS01"][0]["basis"] == "新办法"
    # one check's bases given: the other checks keep their dated defaults
    assert p.values["bases"]["PRC01"] == load_params().values["bases"]["PRC01"] and len(p.values["bases"]["PRC01"]) == 2
    assert p.values["program_rules"] == {"技术改造专项": {"cap": 5_000_000.0, "min_enterprise_age_days": 365}}
    assert p.values["start_window_months"] == 6


def test_a_plain_basis_is_one_period_for_all_dates(tmp_path):
    """checks.md: a plain value (not a list) means one period covering all dates -- for bases too."""
    f = write(tmp_path / "p.yaml", "checks:\n  bases:\n    PRC01: 本省政府投资管理办法\n")
    assert load_params(f).values["bases"]["PRC01"] == [{"from": None, "to": None, "basis": "本省政府投资管理办法"}]
    for wrong in ("''", "12", "{basis: x}"):
        with pytest.raises(ParamsError, match="PRC01"):
            load_params(write(tmp_path / "q.yaml", f"checks:\n  bases:\n    PRC01: {wrong}\n"))


def test_a_county_file_replaces_a_dated_list_for_that_county(tmp_path):
    f = write(tmp_path / "p.yaml", "as_of: 2020-09-25\n")
    (tmp_path / "counties").mkdir()
    write(tmp_path / "counties" / "东城区.yaml", "checks:\n  retention_share:\n    - value: 0.02\n      basis: 本省办法\n")
    p = load_params(f)
    assert p.county_overrides["东城区"]["retention_share"] == [{"from": None, "to": None, "basis": "本省办法",
                                                               "value": 0.02}]
    assert len(p.for_county("西湖县")["retention_share"]) == 2


def test_in_force_picks_the_period_of_each_event_date():
    from kpt_audit.checks.context import Context
    from kpt_audit.checks.frames import in_force

    p = load_params(as_of="2020-09-25")
    ctx = Context({}, p.values, p.as_of)
    on = pd.Series(pd.to_datetime(["2017-06-30", "2017-07-01", None]), index=[7, 8, 9])
    got = in_force(ctx, "retention_share", on)
    assert got["value"].tolist()[:2] == [0.05, 0.03] and pd.isna(got.loc[9, "value"])
    assert got["judged"].tolist() == [True, True, False] and list(got.index) == [7, 8, 9]
    assert got.loc[8, "basis"].startswith("建设工程质量保证金管理办法")
    thresholds = in_force(ctx, "tender_thresholds", pd.Series(pd.to_datetime(["2018-05-31", "2018-06-01"])))
    assert thresholds["works"].tolist() == [2_000_000, 4_000_000]
    assert thresholds["project_total"].iloc[0] == 30_000_000 and pd.isna(thresholds["project_total"].iloc[1])


def test_a_county_file_with_a_revision_1_key_at_its_top_names_the_new_key(tmp_path):
    f = write(tmp_path / "p.yaml", "as_of: 2020-09-25\n")
    (tmp_path / "counties").mkdir()
    write(tmp_path / "counties" / "东城区.yaml", "program_caps: {技改: 100}\n")
    with pytest.raises(ParamsError, match="program_rules"):
        load_params(f)
