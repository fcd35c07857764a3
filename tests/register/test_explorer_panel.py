"""The explorer sets a finding's 核实/整改 fields in the register, with the import's validation (issue 12, item 6)."""
from __future__ import annotations

import pytest

from kpt_audit.checks.engine import CheckResult
from kpt_audit.register.edit import get_finding, set_finding
from kpt_audit.register.record import record_run
from kpt_audit.register.store import open_register
from kpt_audit.report.explore import Explorer

from .helpers import finding, frame, tables

pytest.importorskip("ipywidgets")
A, B = finding(entity="P1", project="P1"), finding(check="EXE05", entity="P2", project="P2")


class _Params:
    lang, as_of = "zh", None


@pytest.fixture
def recorded(tmp_path):
    reg = str(tmp_path / "register.sqlite")
    with open_register(reg) as register:
        record_run(register, frame(A, B), as_of="2020-09-25", tables=tables("P1", "P2"), by="run")
    return reg


def _explorer(reg, lang="zh"):
    import pandas as pd

    params = _Params()
    params.lang = lang
    result = CheckResult(frame(A, B), {}, pd.DataFrame(columns=["check_id", "reason", "entities"]), None, params)
    ex = Explorer(result, register=reg, by="王审计")
    ex.pick.value = A["finding_id"]
    return ex


def test_picking_a_finding_shows_its_register_fields_and_saving_writes_them(recorded):
    ex = _explorer(recorded)
    panel = ex.register_panel
    assert panel.widget in ex.widget.children
    assert panel.fields["verification"].value == "待核实" and panel.fields["rectification"].value == "未整改"
    panel.fields["verification"].value = "属实"
    panel.fields["responsible_unit"].value = "县发改局"
    panel.fields["due_date"].value = "2021年3月31日"
    panel.fields["rectified_amount"].value = "12.5"
    assert panel.save_fields() is True
    assert "已保存" in panel.message.value and "王审计" in panel.message.value
    shown = get_finding(recorded, A["finding_id"])
    assert (shown["verification"], shown["responsible_unit"], shown["due_date"], shown["rectified_amount"]) == (
        "属实", "县发改局", "2021-03-31", 12.5)
    assert get_finding(recorded, B["finding_id"])["verification"] == "待核实"  # only the picked one
    assert panel.save_fields() is False and "没有改动" in panel.message.value


def test_an_invalid_value_is_named_and_nothing_is_written(recorded):
    panel = _explorer(recorded).register_panel
    panel.fields["rectified_amount"].value = "十万"
    panel.fields["verification"].value = "属实"
    assert panel.save_fields() is False
    assert "整改金额" in panel.message.value and "十万" in panel.message.value
    assert get_finding(recorded, A["finding_id"])["verification"] == "待核实"  # all or nothing


def test_a_finding_changed_by_someone_else_since_it_was_shown_is_not_overwritten(recorded):
    panel = _explorer(recorded).register_panel
    set_finding(recorded, A["finding_id"], by="李", rectification="整改中")
    panel.fields["rectification"].value = "已整改"
    assert panel.save_fields() is False
    assert "已被他人修改" in panel.message.value
    assert get_finding(recorded, A["finding_id"])["rectification"] == "整改中"


def test_english_panel_takes_english_choices(recorded):
    panel = _explorer(recorded, lang="en").register_panel
    assert panel.fields["verification"].value == "pending"
    panel.fields["verification"].value = "dismissed"
    assert panel.save_fields() is True
    assert get_finding(recorded, A["finding_id"])["verification"] == "不属实"


def test_without_a_register_there_is_no_panel(recorded):
    import pandas as pd

    result = CheckResult(frame(A), {}, pd.DataFrame(columns=["check_id", "reason", "entities"]), None, _Params())
    assert Explorer(result).register_panel is None
