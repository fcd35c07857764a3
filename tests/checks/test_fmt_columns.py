"""Details and values made a field at a time are the texts the row-by-row formatter and json.dumps give."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from kpt_audit.checks import registry, run_checks
from kpt_audit.checks.frames.fmt import DetailFormatter, plain, plain_json_column
from kpt_audit.params import load_params
from kpt_audit.schema.coerce import coerce_tables

AWKWARD = [None, np.nan, pd.NA, pd.NaT, 0, -0.0, 1, 12345.675, -0.005, 1e20, 2 ** 60, 0.1 + 0.2, 1e-7,
           float("inf"), True, np.int64(7), np.float64(2.5), "文本 \"引号\" \\ \n{x}", "", np.str_("ids"),
           pd.Timestamp("2021-03-04 05:06"), np.datetime64("2020-02-29"), ["S1", "供应商"], [], ("a", 1.5),
           np.array(["x", "y"]), [None, np.nan], {"k": 1}]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("spec", ["", "wan", "wan-", "day", "pct", "pct-", "pct0", "int", "num", "g", ".2f",
                                  "method", "supplier", "suppliers", "ids"])
def test_a_column_reads_as_its_values_one_by_one(lang, spec):
    formatter = DetailFormatter(lang, {"S1": "某公司"})

    def one(value):
        try:
            return formatter.format_field(value, spec)
        except (TypeError, ValueError, OverflowError, KeyError, AttributeError) as exc:
            return type(exc)

    values = [v for v in AWKWARD if not isinstance(one(v), type)]
    assert len(values) >= 3  # each spec has values it shows
    assert formatter.format_column(values, spec) == [one(v) for v in values]


def test_a_template_reads_as_format_row_by_row():
    formatter = DetailFormatter("zh", {"S1": "某公司"})
    template = "{{字面}}金额{paid:wan}，比例{share:pct}{missing:wan-}；{who:supplier}；{n}次{{}}"
    columns = {"paid": [1234567.891, None, 5.0], "share": [0.125, np.nan, 1], "missing": [None, 10000.0, np.nan],
               "who": ["S1", "S2", None], "n": [1, 2.5, "三"]}
    rows = [{k: v[i] for k, v in columns.items()} for i in range(3)]
    assert formatter.format_columns(template, columns, 3) == [formatter.format(template, **row) for row in rows]
    assert formatter.format_columns("没有字段 {{}}", {}, 2) == ["没有字段 {}"] * 2
    # a field with an attribute or index is formatted row by row, as before
    assert formatter.format_columns("{d.year}年", {"d": [pd.Timestamp("2020-01-01")]}, 1) == ["2020年"]


def test_values_are_json_of_plain_values():
    expected = [json.dumps(plain(v), ensure_ascii=False, sort_keys=True) for v in AWKWARD]
    assert plain_json_column(AWKWARD) == expected
    assert json.loads(plain_json_column([math.nan])[0]) is None


def test_the_engine_keeps_each_variant_its_wording_and_values():
    @registry.check("TST09", "variants", area="cost", severity="low", entity_type="project",
                    inputs={"projects": ("project_id",)}, basis="b", condition="always",
                    title={"zh": "变体", "en": "Variants"},
                    detail={"late": {"zh": "晚{days:int}天，{paid:wan}", "en": "{days:int} days late, {paid:wan}"},
                            "": {"zh": "缺{paid:wan-}", "en": "missing {paid:wan-}"}})
    def variants(ctx):
        return pd.DataFrame({"entity_id": ["P1", "P2", "P3"], "project_id": ["P1", "P2", "P3"],
                             "variant": ["late", "", "late"], "days": [3, None, 40],
                             "paid": [15000.0, np.nan, 2.0]})

    projects = pd.DataFrame({"project_id": ["P1", "P2", "P3"], "county": ["甲县"] * 3, "project_name": ["a", "b", "c"]})
    f = run_checks(coerce_tables({"projects": projects}), load_params(as_of="2020-09-25"), checks=[variants]).findings
    by_id = dict(zip(f["entity_id"], zip(f["detail"], f["values"])))
    assert by_id["P1"] == ("晚3天，1.50万元", '{"days": 3.0, "paid": 15000.0, "variant": "late"}')
    assert by_id["P2"] == ("缺—", '{"paid": null}')  # only what its wording quotes
    assert by_id["P3"] == ("晚40天，0.00万元", '{"days": 40.0, "paid": 2.0, "variant": "late"}')
