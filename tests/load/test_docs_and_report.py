"""docs/data.md stays generated; format_report lists everything or counts what it cuts."""
from __future__ import annotations

from pathlib import Path

from kpt_audit.load import format_report, load_dataset
from kpt_audit.schema.docs import data_model_markdown
from kpt_audit.schema.tables import TABLES

from .conftest import write_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "data.md"


def test_docs_data_md_is_in_sync_with_the_generator():
    assert DOC.read_text(encoding="utf-8") == data_model_markdown(), \
        "docs/data.md is stale: run python -m kpt_audit.schema.docs > docs/data.md"


def test_docs_name_every_table_column_and_alias():
    text = data_model_markdown()
    for table in TABLES.values():
        assert f"### {table.name} — {table.title_zh}" in text
        for col in table.columns:
            assert (f"| **{col.name}** |" if col.required else f"| {col.name} |") in text
            for alias in col.aliases:
                assert alias in text


def test_report_shows_ledger_rejections_and_truncation_counts(tmp_path):
    rows = "".join(f"P{i},a,甲县,{'bad' if i < 25 else 1}\n" for i in range(30))
    write_text(tmp_path / "projects.csv", "项目编码,项目名称,县区,总投资,备注\n" + rows.replace("甲县,", "甲县,", 1))
    write_text(tmp_path / "funds.csv", "文号,项目编码,资金级次,下达日期,下达金额\nF1,P1,中央,2020-01-01,x\n")
    ds = load_dataset(tmp_path)
    text = format_report(ds, per_reason=20, lang="en")
    assert "projects.csv" in text and "in       30  loaded       30  rejected      0" in text
    assert "funds.csv - required amount value cannot be parsed (1)" in text
    assert "projects.csv - amount value cannot be parsed; emptied and marked unknown (25)" in text
    assert "... and 5 more with this reason" in text
    assert text.count("'bad'") == 20
    assert format_report(ds, per_reason=None, lang="en").count("'bad'") == 25
    assert "DOES NOT BALANCE" not in text
