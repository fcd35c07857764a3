"""Tables edited after loading (a notebook's cells) are read as the loader reads a file before the checks
see them: values typed as text, ids as numbers, Chinese enum values and dates of another unit give the
findings the loaded tables give; a value that cannot be read stops the run naming where it is."""
import pandas as pd
import pytest

from kpt_audit import load_dataset, load_params, run_checks
from kpt_audit.errors import BadDataError
from kpt_audit.load.edited import as_loaded

AS_OF = "2020-09-25"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """A small ledger, loaded: P2 funded and not started, allocated over its budget; P3 over budget."""
    folder = tmp_path_factory.mktemp("edited")
    pd.DataFrame({
        "project_id": ["P1", "P2", "P3"], "project_name": ["一号", "二号", "三号"], "county": ["甲县"] * 3,
        "category": ["central_budget"] * 3, "budget": [100.0, 200.0, 50.0], "completed_total": [10.0, 20.0, 80.0],
        "actual_start": ["2020-03-01", None, "2020-01-10"], "status": ["under_construction", "not_started",
                                                                      "under_construction"],
        "fund_year": [2020, 2019, 2020],
    }).to_csv(folder / "projects.csv", index=False)
    pd.DataFrame({"fund_id": ["F1", "F2"], "project_id": ["P2", "P3"], "level": ["central", "provincial"],
                  "date": ["2019-03-01", "2020-02-01"], "amount": [500.0, 40.0]}).to_csv(folder / "funds.csv", index=False)
    return load_dataset(folder)


def pairs(result):
    return result.findings[["check_id", "entity_id", "amount"]].values.tolist()


def test_a_loaded_dataset_is_passed_on_as_it_is(loaded):
    assert all(as_loaded(loaded.tables)[name] is frame for name, frame in loaded.tables.items())


def test_values_typed_as_text_ids_as_numbers_chinese_enums_and_other_units_read_as_loaded(loaded):
    params = load_params(None, as_of=AS_OF)
    expected = pairs(run_checks(loaded, params))
    assert [p[:2] for p in expected] == [["COS02", "P3"], ["EXE01", "P2"], ["EXE08", "P2"]]  # cases to be found
    p, f = loaded.tables["projects"], loaded.tables["funds"]
    edited = {
        "projects": p.assign(budget=p["budget"].astype(object).where(p.index != 0, "100"),  # a number as text
                             actual_start=p["actual_start"].dt.strftime("%Y年%m月%d日"),      # a date as text
                             status=p["status"].replace({"under_construction": "在建"}),       # 在建 typed in
                             fund_year=p["fund_year"].astype("int64").where(p.index >= 0, 0)),
        "funds": f.assign(date=f["date"].astype("datetime64[us]"), amount=f["amount"].astype("int64")),
    }
    assert pairs(run_checks(edited, params)) == expected
    # ids typed as numbers match the same ids as text (7 is "7"), instead of quietly matching nothing
    numbered = {"projects": p.assign(project_id=[1, 2, 3]),
                "funds": f.assign(project_id=[2, 3])}
    found = run_checks(numbered, params).findings
    assert list(zip(found["check_id"], found["entity_id"])) == [("COS02", "3"), ("EXE01", "2"), ("EXE08", "2")]


def test_a_value_that_cannot_be_read_stops_the_run_naming_table_row_column_and_value(loaded):
    p = loaded.tables["projects"]
    edited = {**loaded.tables, "projects": p.assign(budget=p["budget"].astype(object).where(p.index != 2, "约五十"))}
    with pytest.raises(BadDataError) as err:
        run_checks(edited, load_params(None, as_of=AS_OF))
    message = err.value.text("zh")
    assert "projects" in message and "budget" in message and "约五十" in message and "行标签 2" in message
    assert "'约五十'" in str(err.value) and "row label 2" in str(err.value)
