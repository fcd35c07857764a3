"""EFF01: public commitments overdue (high) or done late (low)."""
import json
from types import SimpleNamespace

import pandas as pd
import pytest

from kpt_audit.checks import run_checks
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables

AS_OF = "2020-09-25"


def item(iid, deadline="2020-06-30", status=None, done=None, county="甲县", unit="县住建局", title="老旧小区改造"):
    return {"item_id": iid, "unit": unit, "title": title, "deadline": deadline, "status": status,
            "done_date": done, "county": county}


def eff_tables(items, drop=()) -> dict:
    return coerce_tables({
        "projects": pd.DataFrame({"project_id": ["P1"], "project_name": ["p"], "county": ["丙县"]}),
        "commitments": pd.DataFrame(items).drop(columns=list(drop)),
    })


def run(tables, lang="zh", unknown=None):
    """(findings, not_run); ``unknown``: done_date cells the loader could not read, as (row, value)."""
    params = load_params(as_of=AS_OF, lang=lang)
    params.county_overrides.clear()
    if unknown is not None:
        tables = SimpleNamespace(tables=tables, origin={}, unknown=pd.DataFrame(
            [("commitments", row, "done_date", value) for row, value in unknown],
            columns=["table", "row", "column", "value"]).astype({"row": "object"}))
    result = run_checks(tables, params, checks=["EFF01"])
    return result.findings, result.not_run


def severities(findings) -> dict[str, str]:
    return dict(zip(findings["entity_id"], findings["severity"]))


def test_eff01_overdue_is_high_and_done_late_is_low():
    t = eff_tables([item("C1", status="in_progress"),                               # overdue
                    item("C2", status="done", done="2020-07-15"),                   # 15 days late
                    item("C3", status="done", done="2020-06-30"),                   # on the deadline
                    item("C4", status="not_started", deadline="2020-09-25"),        # due today: not before
                    item("C5", status="not_started", deadline="2020-09-24"),        # due yesterday
                    item("C6", status="done", done="2020-05-01"),                   # early
                    item("C7", status="in_progress", deadline="2020-12-31")])       # not due yet
    f, _ = run(t)
    assert severities(f) == {"C1": "high", "C2": "low", "C5": "high"}
    d = f.set_index("entity_id")["detail"]
    assert "2020-06-30" in d["C1"] and "87天" in d["C1"] and "推进中" in d["C1"] and "县住建局" in d["C1"]
    assert "2020-07-15才完成" in d["C2"] and "15天" in d["C2"]
    assert "1天" in d["C5"]
    assert set(f["county"]) == {"甲县"} and f["project_id"].isna().all()
    assert set(f["entity_name"]) == {"县住建局"}  # the responsible unit's name (checks.md revision 2)


def test_eff01_done_after_as_of_is_not_done_yet():
    t = eff_tables([item("C1", status="done", done="2020-10-01"),
                    item("C2", status="done", done="2020-10-01", deadline="2020-12-31")])
    f, _ = run(t)
    assert severities(f) == {"C1": "high"}
    assert "2020-10-01" in f["detail"].iloc[0]


def test_eff01_what_counts_as_done():
    t = eff_tables([item("C1", status=None, done="2020-07-01"),             # a date without status: done, late
                    item("C2", status="in_progress", done="2020-05-01"),    # status says not done
                    item("C3", status="done", done=None),                   # the office's record: done, undatable
                    item("C4", status=None, done=None)])
    f, _ = run(t)
    assert severities(f) == {"C1": "low", "C2": "high", "C4": "high"}


def test_eff01_with_status_only_or_done_date_only():
    t = eff_tables([item("C1", status="done"), item("C2", status="in_progress")], drop=("done_date",))
    assert severities(run(t)[0]) == {"C2": "high"}
    t = eff_tables([item("C1", done="2020-07-01"), item("C2")], drop=("status",))
    assert severities(run(t)[0]) == {"C1": "low", "C2": "high"}


def test_eff01_not_run_and_empty():
    f, not_run = run(eff_tables([item("C1")], drop=("status", "done_date")))
    assert f.empty and "status" in not_run["reason"].iloc[0]
    f, not_run = run(eff_tables([item("C1")], drop=("deadline",)))
    assert f.empty and "deadline" in not_run["reason"].iloc[0]
    t = eff_tables([item("C1", status="in_progress")])
    t["commitments"] = t["commitments"].iloc[0:0]
    f, not_run = run(t)
    assert f.empty and not_run.empty
    f, not_run = run({"projects": t["projects"]})
    assert f.empty and "commitments" in not_run["reason"].iloc[0]


def test_eff01_county_is_the_commitments_own():
    t = eff_tables([item("C1", status="in_progress", county="乙县"), item("C2", status="in_progress", county=None)])
    f, _ = run(t)
    by = f.set_index("entity_id")["county"]
    assert by["C1"] == "乙县" and pd.isna(by["C2"])


@pytest.mark.parametrize("lang,text", [("zh", "承诺事项逾期"), ("en", "Commitment overdue")])
def test_eff01_title_and_detail_language(lang, text):
    f, _ = run(eff_tables([item("C1", status="in_progress"), item("C2", status="done", done="2020-07-15")]), lang)
    assert set(f["title"]) == {text}
    if lang == "en":
        assert "87 days overdue (in progress)" in f.set_index("entity_id").loc["C1", "detail"]
        assert "done only 2020-07-15, 15 days late" in f.set_index("entity_id").loc["C2", "detail"]


def test_eff01_values_are_the_same_in_zh_and_en_and_quote_the_late_done_date():
    t = eff_tables([item("C1", status="in_progress"), item("C2", status="done", done="2020-07-15"),
                    item("C3", status="in_progress", done="2020-10-01")])
    zh, en = run(t)[0], run(t, "en")[0]
    assert zh["values"].tolist() == en["values"].tolist()
    d = zh.set_index("entity_id")["detail"]
    assert d["C1"] == "县住建局承诺事项“老旧小区改造”完成时限2020-06-30，截至2020-09-25逾期87天仍未完成（推进中）"
    assert d["C3"].endswith("逾期87天仍未完成（完成日期2020-10-01晚于审计基准日）")
    values = {k: json.loads(v) for k, v in zip(zh["entity_id"], zh["values"])}
    assert values["C1"] == {"unit": "县住建局", "title": "老旧小区改造", "deadline": "2020-06-30",
                            "as_of": "2020-09-25", "days": 87, "variant": "overdue_in_progress"}
    assert values["C2"]["done"] == "2020-07-15" and values["C3"]["done"] == "2020-10-01"


def test_eff01_an_unreadable_done_date_is_neither_done_nor_undone():
    t = eff_tables([item("C1", status="done"),                              # done, date unreadable, due: ?
                    item("C2", status=None),                                # no status, date unreadable, due: ?
                    item("C3", status="in_progress"),                       # the status says it: overdue
                    item("C4", status="done", deadline="2020-12-31"),       # not due: nothing to lose
                    item("C5", status=None),                                # blank date, no status: overdue
                    item("C6", status="done", deadline="2020-09-25")])      # due on as_of itself: not before
    unknown = [(0, "2020年7月32日"), (1, "七月底"), (2, "2020/7/32"), (3, "年底"), (5, "9月底")]
    f, not_run = run(t, unknown=unknown)
    assert severities(f) == {"C3": "high", "C5": "high"}
    assert list(not_run["reason"]) == ["partly judged"] and list(not_run["entities"]) == ["2"]
    f, not_run = run(t)                                                      # merely blank: judged as before
    assert severities(f) == {"C2": "high", "C3": "high", "C5": "high"} and not_run.empty
