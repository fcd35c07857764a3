"""The quarterly bulletin: quarters, ranking, escaping, a replaced template; and the values that
follow the audit date (left out when a dismissed finding's values are compared)."""
from __future__ import annotations

import datetime as dt

import docx
import pandas as pd
import pytest

from kpt_audit.checks import all_checks
from kpt_audit.errors import UsageError
from kpt_audit.register.bulletin import DEFAULT_TEMPLATE, quarter, ranked, write_bulletin, write_default_template
from kpt_audit.register.edit import set_finding
from kpt_audit.register.record import AS_OF_DRIVEN, record_run, values_changed
from kpt_audit.register.store import open_register

from .helpers import finding, frame, tables


def test_quarters():
    assert quarter("2021Q3") == (dt.date(2021, 7, 1), dt.date(2021, 9, 30))
    assert quarter("2020q4") == (dt.date(2020, 10, 1), dt.date(2020, 12, 31))
    assert quarter("2021Q1") == (dt.date(2021, 1, 1), dt.date(2021, 3, 31))
    for bad in ("2021Q5", "2021-07", "Q3"):
        with pytest.raises(UsageError, match="write a quarter as 2021Q3"):
            quarter(bad)


def test_the_shipped_template_is_what_write_default_template_makes_in_songti(tmp_path):
    made = write_default_template(tmp_path / "bulletin.docx")
    assert made.read_bytes() == DEFAULT_TEMPLATE.read_bytes()  # the same bytes each time, and shipped as made
    styles = docx.Document(str(made)).styles
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        assert styles[name].font.name == "宋体"
        assert styles[name].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"


def test_ranking_by_rate_then_fewer_overdue_then_name():
    table = pd.DataFrame({"county": ["丙", "乙", "甲", "丁"], "rate": [0.5, 0.5, 0.8, float("nan")],
                          "overdue": [2, 1, 5, 0]})
    assert ranked(table)[["rank", "county"]].values.tolist() == [[1, "甲"], [2, "乙"], [3, "丙"], [4, "丁"]]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_bulletin_escapes_what_it_shows_and_takes_a_replaced_template(reg, tmp_path):
    hostile = finding(entity="P1", project="P1", county="<b>乙县</b>")
    with open_register(reg) as register:
        record_run(register, frame(hostile), as_of="2021-08-31", tables=tables("P1"), by="run")
    set_finding(reg, hostile["finding_id"], by="审计", verification="属实", responsible_unit="<script>x</script>",
                due_date="2021-08-01")
    done = write_bulletin(reg, tmp_path / "b")
    assert done.period == "2021Q3" and len(done.overdue) == 1
    page = done.html.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<b>乙县</b>" not in page and "&lt;b&gt;乙县&lt;/b&gt;" in page
    word = docx.Document(str(done.docx))
    assert word.tables[1].rows[1].cells[0].text == "<b>乙县</b>"  # Word shows the text as text

    mine = docx.Document()
    mine.add_paragraph("本局通报 {{ period }}：逾期 {{ overdue_total }} 项")
    mine.save(tmp_path / "mine.docx")
    own = write_bulletin(reg, tmp_path / "own", period="2021Q3", template=tmp_path / "mine.docx")
    assert docx.Document(str(own.docx)).paragraphs[0].text == "本局通报 2021Q3：逾期 1 项"

    broken = docx.Document()
    broken.add_paragraph("{% for x in %}")
    broken.save(tmp_path / "broken.docx")
    with pytest.raises(UsageError, match="cannot be filled"):
        write_bulletin(reg, tmp_path / "bad", template=tmp_path / "broken.docx")
    with pytest.raises(UsageError, match="no run with an audit date in 2021-01-01"):
        write_bulletin(reg, tmp_path / "q1", period="2021Q1")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_register_without_runs_has_no_bulletin(reg, tmp_path):
    open_register(reg).close()
    with pytest.raises(UsageError, match="has no run yet"):
        write_bulletin(reg, tmp_path / "b")


def test_values_that_follow_the_audit_date_name_real_checks_and_fields():
    checks = all_checks()
    for check_id, keys in AS_OF_DRIVEN.items():
        if check_id == "*":
            continue
        assert check_id in checks
        assert keys <= set(checks[check_id].all_detail_fields()), check_id
    assert not values_changed("EXE02", {"cutoff": "2019-09-25", "as_of": "2020-09-25", "unspent": 1.0},
                              {"cutoff": "2019-10-25", "as_of": "2020-10-25", "unspent": 1.0})
    assert values_changed("EXE02", {"cutoff": "2019-09-25", "unspent": 1.0}, {"cutoff": "2019-09-25", "unspent": 2.0})


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_overdue_finding_without_a_county_is_unassigned_as_in_the_ranking(reg, tmp_path):
    nowhere = finding(check="PRO12", entity="S1", entity_type="supplier", project=None, county="")
    with open_register(reg) as register:
        record_run(register, frame(nowhere), as_of="2021-08-31", tables=tables(), by="run")
    set_finding(reg, nowhere["finding_id"], by="审计", verification="属实", responsible_unit="县财政局",
                due_date="2021-08-01")
    done = write_bulletin(reg, tmp_path / "b")
    word = docx.Document(str(done.docx))
    assert word.tables[0].rows[1].cells[1].text == "未指定"
    assert word.tables[1].rows[1].cells[0].text == "未指定"
    assert done.overdue["county"].tolist() == ["未指定"]
