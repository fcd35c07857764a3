"""The plan workbook: every parameter recorded, reproducible bytes, strict reading back, evaluation."""
from __future__ import annotations

import openpyxl
import pytest

from kpt_audit.errors import BadDataError, UsageError
from kpt_audit.sampling import mus
from kpt_audit.sampling.plan import SAMPLE, TOP, describe, evaluate, make_plan
from kpt_audit.sampling.workbook import read_plan, write_plan

from .conftest import fill, make_population

SAMPLE_SHEET, TOP_SHEET, PARAMS_SHEET = "样本", "逐项审查", "抽样参数"


def mus_plan(pop, seed=11, **kw):
    options = {"tolerable": pop.book_value * 0.05, "expected": pop.book_value * 0.005, "as_of": "2020-09-25",
               "data": "data", **kw}
    return make_plan(pop, "mus", seed=seed, **options)


def test_plan_records_every_parameter_and_the_population(pop):
    plan = mus_plan(pop)
    p = plan.parameters
    assert p["method"] == "mus" and p["population"] == "payments" and p["seed"] == 11
    assert p["confidence"] == 0.95 and p["as_of"] == "2020-09-25"
    assert p["population_items"] == 1500 and p["population_book_value"] == round(pop.book_value, 2)
    n = mus.sample_size(pop.book_value, pop.book_value * 0.05, pop.book_value * 0.005, 0.95)
    assert p["sample_size"] == n
    assert p["interval"] == round(pop.book_value / n, 2)
    assert p["top_items"] == len(plan.part(TOP)) and p["sampled_items"] == len(plan.part(SAMPLE))
    assert (plan.part(TOP)["book_value"] >= p["interval"]).all()
    assert p["source:payments.csv"] == "0" * 64
    assert plan.items[["file", "row"]].notna().all().all()


def test_same_seed_gives_byte_identical_plan_other_seed_another_sample(tmp_path):
    a = write_plan(mus_plan(make_population()), tmp_path / "a.xlsx").read_bytes()
    b = write_plan(mus_plan(make_population()), tmp_path / "b.xlsx").read_bytes()
    other = mus_plan(make_population(), seed=12)
    assert a == b
    assert list(other.part(SAMPLE)["item_id"]) != list(mus_plan(make_population()).part(SAMPLE)["item_id"])


def test_a_plan_without_seed_draws_one_and_records_it(pop):
    plan = make_plan(pop, "mus", size=30)
    redrawn = make_plan(pop, "mus", size=30, seed=plan.parameters["seed"])
    assert plan.items.equals(redrawn.items)


def test_read_back_equals_what_was_written(pop, tmp_path):
    plan = mus_plan(pop)
    back = read_plan(write_plan(plan, tmp_path / "p.xlsx"))
    assert back.parameters == plan.parameters
    cols = ["part", "no", "item_id", "county", "project_id", "book_value", "point", "file", "row"]
    assert back.items[cols].fillna(-1).astype(str).equals(plan.items[cols].fillna(-1).astype(str))
    assert back.items["audited"].isna().all()


def test_english_plan_reads_back(pop, tmp_path):
    plan = make_plan(pop, "stratified", size=40, seed=3, lang="en")
    path = write_plan(plan, tmp_path / "en.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["Parameters", "Sample", "Strata", "_seal"]
    back = read_plan(path)
    assert back.lang == "en" and list(back.strata["risk"]) == list(plan.strata["risk"])


def test_evaluate_mus_plan_filled_in(pop, tmp_path):
    plan = mus_plan(pop)
    path = write_plan(plan, tmp_path / "p.xlsx")

    def audited(sheet, row, book):  # two sampled items half wrong, one top item 1,000 short
        if sheet == SAMPLE_SHEET and row in (3, 5):
            return book / 2
        if sheet == TOP_SHEET and row == 2:
            return book - 1_000
        return book

    result = evaluate(read_plan(fill(path, tmp_path / "done.xlsx", audited), require_audited=True)).result
    interval = plan.parameters["interval"]
    expected = mus.stringer_bound([0.5, 0.5], interval, 0.95, 1_000.0 if plan.parameters["top_items"] else 0.0)
    assert result.errors == 2
    assert result.upper_limit == pytest.approx(expected.upper_limit)
    assert result.most_likely == pytest.approx(interval + (1_000.0 if plan.parameters["top_items"] else 0.0))


def test_describe_says_the_bound_and_the_conclusion_in_chinese(pop, tmp_path):
    path = write_plan(mus_plan(pop), tmp_path / "p.xlsx")
    evaluation = evaluate(read_plan(fill(path, tmp_path / "done.xlsx"), require_audited=True))
    text = describe(evaluation)
    r = evaluation.result
    assert f"错报上限（Stringer 界）：{r.upper_limit:,.2f} 元" in text
    assert "可以接受总体" in text and r.accepted
    assert "upper misstatement limit" in describe(evaluation, "en").lower()


def test_evaluate_stratified_plan(pop, tmp_path):
    plan = make_plan(pop, "stratified", size=60, seed=2)
    path = write_plan(plan, tmp_path / "s.xlsx")
    done = fill(path, tmp_path / "done.xlsx", lambda sheet, row, book: book - 100 if row == 2 else book)
    result = evaluate(read_plan(done, require_audited=True)).result
    first = result.by_stratum.iloc[0]
    assert first["errors"] == 1 and first["misstatement"] == pytest.approx(100)
    assert first["projected"] == pytest.approx(100 * first["items"] / first["sampled"])
    assert result.by_stratum["errors"].sum() == 1
    assert result.projected == pytest.approx(first["projected"])


# ------------------------------------------------------------- a plan edited into nonsense

def edited(path, out, edit):
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(out)
    return out


@pytest.fixture
def plan_file(pop, tmp_path):
    return write_plan(mus_plan(pop), tmp_path / "plan.xlsx")


def test_text_in_the_audited_column_is_named(plan_file, tmp_path):
    done = fill(plan_file, tmp_path / "t.xlsx", lambda s, r, b: "核实无误" if (s, r) == (SAMPLE_SHEET, 4) else b)
    with pytest.raises(BadDataError, match=r"sheet 样本, row 4, column 审定金额（元）: '核实无误' is not a number"):
        read_plan(done)


def test_missing_audited_values_stop_the_evaluation(plan_file, tmp_path):
    done = fill(plan_file, tmp_path / "m.xlsx", lambda s, r, b: None if (s, r) == (SAMPLE_SHEET, 6) else b)
    read_plan(done)  # reading is fine
    with pytest.raises(BadDataError, match=r"sheet 样本, column 审定金额（元）: 1 item\(s\) without an audited value \(rows 6\)"):
        read_plan(done, require_audited=True)


def test_a_row_added_is_named(plan_file, tmp_path):
    def add(book):
        ws = book[SAMPLE_SHEET]
        ws.append([999, "ZF999999", "东城县", "P000", "项目0", 123.0, 1.0, "payments.csv", None, 9, 123.0])
    with pytest.raises(BadDataError, match=r"sheet 样本, row \d+: a row was added \(999, ZF999999"):
        read_plan(edited(plan_file, tmp_path / "a.xlsx", add))


def test_a_row_deleted_is_named(plan_file, tmp_path):
    second = read_plan(plan_file).part(SAMPLE)["item_id"].iloc[1]
    with pytest.raises(BadDataError, match=rf"sheet 样本: the plan's row 3 was deleted \({second}\)"):
        read_plan(edited(plan_file, tmp_path / "d.xlsx", lambda b: b[SAMPLE_SHEET].delete_rows(3)))


def test_the_last_row_deleted_is_named(plan_file, tmp_path):
    items = read_plan(plan_file).part(SAMPLE)
    n, last = len(items), items["item_id"].iloc[-1]
    with pytest.raises(BadDataError, match=rf"sheet 样本: the plan's row {n + 1} was deleted \({last}\)"):
        read_plan(edited(plan_file, tmp_path / "e.xlsx", lambda b: b[SAMPLE_SHEET].delete_rows(n + 1)))


def test_a_sorted_sheet_is_read_in_the_plan_order(plan_file, tmp_path):
    """Auditors order their visits (by county, by amount): the rows are matched to the plan by their cells."""
    def resort(book):
        ws = book[SAMPLE_SHEET]
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
        rows.sort(key=lambda r: -r[5])  # by book value, largest first
        for r, values in enumerate(rows, start=2):
            for c, v in enumerate(values, start=1):
                ws.cell(r, c).value = v
            ws.cell(r, 11).value = values[5] - (1 if values[1] == first else 0)  # the audited value
    first = read_plan(plan_file).part(SAMPLE)["item_id"].iloc[0]
    filled = fill(plan_file, tmp_path / "filled.xlsx")
    back = read_plan(edited(filled, tmp_path / "sorted.xlsx", resort), require_audited=True)
    sample = back.part(SAMPLE)
    assert list(sample["item_id"]) == list(read_plan(plan_file).part(SAMPLE)["item_id"])  # the plan's order
    diff = sample["book_value"] - sample["audited"]
    assert list(sample.loc[diff.abs() > 0.5, "item_id"]) == [first]


def test_a_sorted_sheet_names_the_sheet_row(plan_file, tmp_path):
    def resort(book):
        ws = book[SAMPLE_SHEET]
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
        rows.reverse()
        for r, values in enumerate(rows, start=2):
            for c, v in enumerate(values, start=1):
                ws.cell(r, c).value = v
        ws.cell(2, 11).value = "待补"  # the plan's last item, now on the sheet's row 2
    with pytest.raises(BadDataError, match=r"sheet 样本, row 2, column 审定金额（元）: '待补' is not a number"):
        read_plan(edited(plan_file, tmp_path / "reversed.xlsx", resort))


def test_an_edited_parameter_is_named(plan_file, tmp_path):
    def edit(book):
        ws = book[PARAMS_SHEET]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "confidence":
                row[2].value = 0.8
    with pytest.raises(BadDataError, match=r"sheet 抽样参数, row 8, column 取值: 0.8, the plan has 0.95"):
        read_plan(edited(plan_file, tmp_path / "c.xlsx", edit))


def test_an_edited_book_value_is_named(plan_file, tmp_path):
    def edit(book):
        book[SAMPLE_SHEET]["F2"].value = 1.0
    with pytest.raises(BadDataError, match=r"sheet 样本, row 2, column 账面金额（元）: 1, the plan has"):
        read_plan(edited(plan_file, tmp_path / "b.xlsx", edit))


def test_an_edited_seal_is_refused(plan_file, tmp_path):
    def edit(book):
        cell = next(c for (c,) in book["_seal"].iter_rows() if '"confidence"' in str(c.value))
        cell.value = cell.value.replace("0.95", "0.8")
    with pytest.raises(BadDataError, match="checksum"):
        read_plan(edited(plan_file, tmp_path / "s.xlsx", edit))


def test_a_workbook_without_seal_is_not_a_plan(tmp_path):
    book = openpyxl.Workbook()
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(BadDataError, match="not a sampling plan"):
        read_plan(tmp_path / "other.xlsx")


@pytest.mark.parametrize("content", [b"", b"not a zip", "项目,金额\n".encode("utf-8")])
def test_a_file_that_is_no_workbook_is_bad_data(tmp_path, content):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(BadDataError, match="not an Excel workbook"):
        read_plan(path)


def test_a_missing_plan_is_bad_data(tmp_path):
    with pytest.raises(BadDataError, match="no such file"):
        read_plan(tmp_path / "none.xlsx")


# ------------------------------------------------------------- impossible options

@pytest.mark.parametrize("options, message", [
    ({"confidence": 1.0, "size": 10}, "--confidence"),
    ({"confidence": 0.0, "size": 10}, "--confidence"),
    ({"tolerable": 100.0, "expected": 100.0}, "--tolerable .* must be above --expected"),
    ({"tolerable": 100.0, "expected": 200.0}, "--tolerable .* must be above --expected"),
    ({"tolerable": -5.0}, "--tolerable"),
    ({"expected": 10.0}, "give --tolerable AMOUNT .* or --size N"),
    ({"size": 0}, "--size 0 must be at least 1"),
])
def test_impossible_options_are_usage_errors(pop, options, message):
    with pytest.raises(UsageError, match=message):
        make_plan(pop, "mus", seed=1, **options)


def test_unknown_method_is_a_usage_error(pop):
    with pytest.raises(UsageError, match="--method"):
        make_plan(pop, "judgemental", size=5, seed=1)


def test_text_from_the_data_is_written_as_text_never_a_formula(tmp_path):
    pop = make_population(200)
    pop.items["project_name"] = '=HYPERLINK("http://x","点我")'
    pop.items["county"] = "-1+1"
    plan = make_plan(pop, "mus", size=10, seed=1)
    path = write_plan(plan, tmp_path / "p.xlsx")
    sheet = openpyxl.load_workbook(path)[SAMPLE_SHEET]
    name, county = sheet["E2"], sheet["C2"]
    assert (name.data_type, name.value) == ("s", '=HYPERLINK("http://x","点我")')
    assert (county.data_type, county.value) == ("s", "-1+1")
    assert read_plan(path).items["project_name"].iloc[0] == '=HYPERLINK("http://x","点我")'


def test_excel_itself_asks_for_a_number_in_the_audited_column(pop, tmp_path):
    path = write_plan(mus_plan(pop), tmp_path / "p.xlsx")
    sheet = openpyxl.load_workbook(path)[SAMPLE_SHEET]
    rules = sheet.data_validations.dataValidation
    assert len(rules) == 1 and rules[0].type == "decimal" and str(rules[0].sqref) == f"K2:K{sheet.max_row}"
    assert "请填写数字（元）" in rules[0].error
    assert "核实无误的填账面金额" in sheet["K1"].comment.text
