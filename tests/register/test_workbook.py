"""register export / import: the workbook's locks and lists, all-or-nothing validation, conflicts,
another register's workbook, unknown ids, two writers — on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import func, select

from kpt_audit.cli import main
from kpt_audit.errors import BadDataError, RegisterError
from kpt_audit.register.models import Event, Finding, Import
from kpt_audit.register.record import record_run
from kpt_audit.register.store import open_register
from kpt_audit.register.workbook import COLUMNS, META_SHEET, export_workbook, import_workbook

from .helpers import finding, frame, tables

ROWS = [finding(entity="P1", project="P1"), finding(entity="P2", project="P2"),
        finding(entity="Q1", project="Q1", county="乙县", amount=2_500_000.0)]
COL = {h: i + 1 for i, h in enumerate(COLUMNS)}


@pytest.fixture
def filled(reg):
    with open_register(reg) as register:
        record_run(register, frame(*ROWS), as_of="2020-09-25", tables=tables("P1", "P2", "Q1"), by="run")
    return reg


def edit(path, out, changes):
    """Set cells of an exported workbook: {(sheet, excel row, header): value}."""
    book = openpyxl.load_workbook(path)
    for (sheet, row, header), value in changes.items():
        book[sheet].cell(row=row, column=COL[header]).value = value
    book.save(out)
    return out


def state(reg, entity):
    fid = finding(entity=entity, project=entity)["finding_id"]
    with open_register(reg) as register, register.read() as s:
        return s.get(Finding, fid)


def n_events(reg):
    with open_register(reg) as register, register.read() as s:
        return s.scalar(select(func.count()).select_from(Event))


def test_export_locks_all_but_the_editable_columns_with_lists_and_hidden_ids(filled, tmp_path):
    path, rows = export_workbook(filled, tmp_path / "r.xlsx")
    assert rows == 3
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["乙县", "甲县", META_SHEET]
    assert book[META_SHEET].sheet_state == "veryHidden"
    sheet = book["甲县"]
    assert [c.value for c in sheet[1]] == COLUMNS
    assert sheet.protection.sheet
    assert sheet.cell(2, COL["核实结果"]).value == "待核实" and sheet.cell(2, COL["整改状态"]).value == "未整改"
    assert not sheet.cell(2, COL["核实结果"]).protection.locked
    assert sheet.cell(2, COL["问题明细"]).protection.locked and sheet.cell(2, COL["问题编号"]).protection.locked
    hidden = [k for k, d in sheet.column_dimensions.items() if d.hidden]
    assert openpyxl.utils.get_column_letter(COL["finding_id"]) in hidden
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"}
    assert lists == {'"待核实,属实,部分属实,不属实"', '"未整改,整改中,已整改,已销号"'}
    assert book["乙县"].cell(2, COL["金额（万元）"]).value == 250.0  # amounts in 万元


def test_the_rectified_amount_column_is_named_as_the_spec_names_it_and_an_older_header_is_read(filled, tmp_path):
    path, _ = export_workbook(filled, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    header = [c.value for c in book["甲县"][1]]
    assert {"核实结果", "核实说明", "责任单位", "整改期限", "整改状态", "整改金额", "整改说明", "问责情况"} <= set(header)
    amount = [dv for dv in book["甲县"].data_validations.dataValidation if dv.type == "decimal"]
    assert amount and amount[0].prompt == "单位：万元"
    # a workbook exported before the header lost its unit
    book["甲县"].cell(row=1, column=COL["整改金额"]).value = "整改金额（万元）"
    book["甲县"].cell(row=2, column=COL["整改金额"]).value = 2
    book.save(tmp_path / "old.xlsx")
    import_workbook(filled, tmp_path / "old.xlsx", by="王审计")
    assert state(filled, "P1").rectified_amount == 20_000.0


def test_import_writes_what_the_auditor_changed_with_who(filled, tmp_path):
    path, _ = export_workbook(filled, tmp_path / "r.xlsx")
    edited = edit(path, tmp_path / "e.xlsx", {
        ("甲县", 2, "核实结果"): "属实", ("甲县", 2, "责任单位"): "县住建局", ("甲县", 2, "整改期限"): dt.datetime(2020, 12, 31),
        ("甲县", 2, "整改金额"): 1.5, ("乙县", 2, "核实结果"): "不属实", ("乙县", 2, "核实说明"): "数据口径不同"})
    done = import_workbook(filled, edited, by="王审计")
    assert not done.conflicts and len(done.changed) == 2
    p1, q1 = state(filled, "P1"), state(filled, "Q1")
    assert (p1.verification, p1.responsible_unit, p1.due_date, p1.rectified_amount) == \
        ("confirmed", "县住建局", dt.date(2020, 12, 31), 15_000.0)
    assert (q1.verification, q1.verification_note) == ("dismissed", "数据口径不同")
    assert state(filled, "P2").version == 1
    with open_register(filled) as register, register.read() as s:
        imp = s.scalars(select(Import)).one()
        assert (imp.imported_by, imp.file_name, imp.changed) == ("王审计", "e.xlsx", 2)
        who = {(e.by, e.source, e.import_id) for e in s.scalars(select(Event).where(Event.field == "verification"))}
    assert who == {("王审计", "import", imp.id)}
    # importing the same file again changes nothing
    assert import_workbook(filled, edited, by="王审计").changed == {}


def test_any_invalid_cell_stops_the_whole_import_naming_sheet_row_column_value(filled, tmp_path, capsys):
    path, _ = export_workbook(filled, tmp_path / "r.xlsx")
    edited = edit(path, tmp_path / "e.xlsx", {
        ("甲县", 2, "核实结果"): "属实", ("甲县", 3, "核实结果"): "大概吧", ("乙县", 2, "整改期限"): "下个月",
        ("乙县", 2, "整改金额"): -3})
    before = n_events(filled)
    with pytest.raises(BadDataError) as err:
        import_workbook(filled, edited, by="王审计")
    message = str(err.value)
    assert "3 invalid cell(s), nothing imported" in message
    assert "sheet '甲县' row 3 column 核实结果 value '大概吧': choose one of 待核实、属实、部分属实、不属实" in message
    assert "sheet '乙县' row 2 column 整改期限 value '下个月'" in message
    assert "sheet '乙县' row 2 column 整改金额 value -3" in message
    assert n_events(filled) == before and state(filled, "P1").verification == "pending"
    assert err.value.text("zh").endswith("工作表“甲县”第 3 行「核实结果」列的值 '大概吧'：请从 待核实、属实、部分属实、不属实 中选择")
    assert main(["register", "import", filled, str(edited), "--by", "王审计"]) == 1
    assert "3 处无效，全部未导入" in capsys.readouterr().err  # in the command line's language, Chinese by default


def test_rows_changed_since_the_export_are_conflicts_the_others_import(filled, tmp_path, capsys):
    path, _ = export_workbook(filled, tmp_path / "r.xlsx")
    first = edit(path, tmp_path / "first.xlsx", {("甲县", 2, "核实结果"): "属实"})
    second = edit(path, tmp_path / "second.xlsx", {("甲县", 2, "核实结果"): "不属实", ("甲县", 3, "责任单位"): "县财政局"})
    import_workbook(filled, first, by="甲")
    assert main(["register", "import", filled, str(second), "--by", "乙"]) == 4
    err = capsys.readouterr().err
    assert "1 行作为冲突未导入" in err and "(甲县 row 2)" in err
    assert state(filled, "P1").verification == "confirmed"  # not overwritten
    assert state(filled, "P2").responsible_unit == "县财政局"  # the other row imported
    # a row the second auditor left as exported is no conflict although the register changed it
    untouched = edit(path, tmp_path / "third.xlsx", {("乙县", 2, "问责情况"): "约谈"})
    assert import_workbook(filled, untouched, by="丙").conflicts == []


def test_a_workbook_from_another_register_is_refused(filled, tmp_path):
    path, _ = export_workbook(filled, tmp_path / "r.xlsx")
    other = str(tmp_path / "other.sqlite")
    with open_register(other) as register:
        record_run(register, frame(*ROWS), as_of="2020-09-25", tables=tables("P1", "P2", "Q1"), by="run")
    with pytest.raises(BadDataError, match="was exported from another register"):
        import_workbook(other, path, by="王审计")


def test_an_unknown_finding_id_is_refused(filled, tmp_path):
    path, _ = export_workbook(filled, tmp_path / "r.xlsx")
    edited = edit(path, tmp_path / "e.xlsx", {("甲县", 2, "finding_id"): "0123456789abcdef", ("甲县", 3, "核实结果"): "属实"})
    with pytest.raises(BadDataError, match="'0123456789abcdef': unknown finding id, not in this register"):
        import_workbook(filled, edited, by="王审计")
    assert state(filled, "P2").verification == "pending"


def test_two_imports_at_once_the_second_gets_one_clear_message(filled, tmp_path):
    path, _ = export_workbook(filled, tmp_path / "r.xlsx")
    edited = edit(path, tmp_path / "e.xlsx", {("甲县", 2, "核实结果"): "属实"})
    with open_register(filled) as first, first.write():
        with pytest.raises(RegisterError, match="is busy"):
            import_workbook(filled, edited, by="乙", lock_timeout=0.3)
    assert state(filled, "P1").verification == "pending"


def test_a_text_cell_that_looks_like_a_formula_stays_text(filled, tmp_path):
    path, _ = export_workbook(filled, tmp_path / "r.xlsx")
    edited = edit(path, tmp_path / "e.xlsx", {("甲县", 2, "核实说明"): "'=1+1"})
    import_workbook(filled, edited, by="王审计")
    again, _ = export_workbook(filled, tmp_path / "again.xlsx")
    cell = openpyxl.load_workbook(again)["甲县"].cell(2, COL["核实说明"])
    assert cell.data_type == "s" and cell.value == "'=1+1"


def test_an_absent_finding_already_dismissed_is_not_shown_as_waiting_for_verification(filled, tmp_path):
    from kpt_audit.register.edit import set_finding

    with open_register(filled) as register:  # P1 and P2 gone in month 2 (their rows still there: cleared)
        record_run(register, frame(ROWS[2]), as_of="2020-10-25", tables=tables("P1", "P2", "Q1"), by="run")
    assert set_finding(filled, ROWS[0]["finding_id"], by="审计", verification="不属实")
    export_workbook(filled, tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["甲县"]
    state_at = COL["本期状态"]
    shown = {sheet.cell(row=r, column=COL["问题编号"]).value: sheet.cell(row=r, column=state_at).value
             for r in range(2, sheet.max_row + 1)}
    assert shown[ROWS[0]["finding_no"]].startswith("本期未再发现：")          # dismissed: nothing to verify
    assert shown[ROWS[1]["finding_no"]].startswith("本期未再发现（待核实）：")  # still open
