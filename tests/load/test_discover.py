"""Which file is which table; files that are not tables."""
from __future__ import annotations

import pytest

from kpt_audit.load import LoadError, load_dataset
from kpt_audit.load.headers import table_for_name

from .conftest import PROJECTS_CSV, assert_ledger_balances, write_text


@pytest.mark.parametrize("stem, table", [
    ("项目台账", "projects"), ("2020年项目台账(县区报送)", "projects"), ("projects", "projects"),
    ("2020年资金支付台账", "payments"), ("资金下达", "funds"), ("县资金", "funds"),
    ("contract_changes", "contract_changes"), ("合同变更签证", "contract_changes"), ("合同", "contracts"),
    ("财政专项扶持资金", "subsidies"), ("Payments_2020", "payments"),
])
def test_longest_alias_in_the_file_name_wins(stem, table):
    assert table_for_name(stem)[0] == [table]


def test_name_matching_no_table_and_non_data_files_are_noted(tmp_path):
    write_text(tmp_path / "项目台账.csv", PROJECTS_CSV)
    write_text(tmp_path / "truth.csv", "check_id,entity_id\nEXE01,P1\n")
    write_text(tmp_path / "README.md", "# data\n")
    write_text(tmp_path / "人员名单.csv", "姓名\n张三\n")
    write_text(tmp_path / "~$项目台账.xlsx", "lock")
    write_text(tmp_path / ".DS_Store", "x")
    ds = load_dataset(tmp_path)
    notes = ds.ledger.set_index("file")["notes"]
    assert set(notes.index) == {"项目台账.csv", "truth.csv", "README.md", "人员名单.csv"}
    assert "matches no table" in notes["人员名单.csv"]
    assert "ignored" in notes["truth.csv"] and "ignored" in notes["README.md"]
    assert list(ds.tables) == ["projects"]
    assert_ledger_balances(ds)


def test_two_files_for_one_table_is_an_error(tmp_path):
    write_text(tmp_path / "projects.csv", PROJECTS_CSV)
    write_text(tmp_path / "项目台账.csv", PROJECTS_CSV)
    with pytest.raises(LoadError, match="both hold table projects"):
        load_dataset(tmp_path)


def test_no_projects_table_is_an_error(tmp_path):
    write_text(tmp_path / "funds.csv", "文号,项目编码,资金级次,下达日期,下达金额\n")
    with pytest.raises(LoadError, match="no projects table"):
        load_dataset(tmp_path)


def test_ambiguous_file_name_is_an_error(tmp_path):
    write_text(tmp_path / "projects.csv", PROJECTS_CSV)
    write_text(tmp_path / "项目招标.csv", "x\n")
    with pytest.raises(LoadError, match="fits tables projects and tenders equally"):
        load_dataset(tmp_path)


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(LoadError, match="does not exist"):
        load_dataset(tmp_path / "nowhere")
