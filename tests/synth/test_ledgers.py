"""The synthetic data written as an audit office's ledgers (the demo's style, ``synth --style auditor``)."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kpt_audit.cli import main
from kpt_audit.load import load_dataset
from kpt_audit.load.headers import map_headers
from kpt_audit.schema.tables import TABLES
from kpt_audit.synth import write_synth
from kpt_audit.synth.ledgers import in_wan, ledger_frame, write_ledgers

SEED = dict(counties=6, projects=400, seed=7)  # the session's ``small`` dataset


@pytest.fixture(scope="module")
def styles(tmp_path_factory):
    """The same seed written both ways, each checked by the command line as a user would."""
    root = tmp_path_factory.mktemp("styles")
    for style in ("plain", "auditor"):
        write_synth(root / style, style=style, **SEED)
        assert main(["check", str(root / style), "--out", str(root / f"{style}_out"), "--as-of", "2020-09-25"]) == 0
    return root


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)


def test_every_ledger_header_maps_back_to_its_column(small):
    for name, table in TABLES.items():
        _, headers = ledger_frame(table, small.tables[name], small.raw_cells.iloc[:0])
        mapped = map_headers(table, list(headers.values()), None, f"{name} ledger")
        assert [m.column for m in mapped] == list(headers), name
        assert all(re.search(r"[\u4e00-\u9fff]", h) for h in headers.values()), name


def test_amounts_in_wan_only_when_they_come_back_to_the_fen():
    wan = in_wan(pd.Series([123456789.01, 0.01, np.nan, 5_000_000.0]))
    assert wan.tolist()[:2] == [12345.678901, 0.000001] and np.isnan(wan[2]) and wan[3] == 500.0
    assert in_wan(pd.Series([6186000.000000001, 100.0])) is None  # a fraction of a fen: written in 元


def test_auditor_files_look_like_an_offices_ledgers(styles):
    data = styles / "auditor"
    names = sorted(p.name for p in data.iterdir())
    assert "项目台账.xlsx" in names and "资金支付.csv" in names and "合同.csv" in names
    assert not any(n.startswith(("truth", "near_misses")) or n.isascii() for n in names)
    assert (styles / "auditor_truth" / "truth.csv").is_file()
    contracts = _csv(data / "合同.csv")
    assert "合同金额(万元)" in contracts.columns and "结算金额(万元)" in contracts.columns
    assert set(contracts["合同类别"]) <= {"施工", "货物", "服务", "未知", ""}
    bids = _csv(data / "投标.csv")
    assert set(bids["是否废标"]) == {"是", "否"}
    sheet = openpyxl.load_workbook(data / "项目台账.xlsx", read_only=True)["项目台账"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "政府投资项目台账" and rows[1][0] == "单位：万元"
    header = list(rows[2])
    assert header[:3] == ["项目编码", "项目名称", "县区"] and "初设概算(万元)" in header
    assert rows[-2][1] == "合计" and rows[-1][0].startswith("填表人")
    budget = header.index("初设概算(万元)")
    assert rows[-2][budget] == pytest.approx(sum(r[budget] or 0 for r in rows[3:-2]))
    assert {r[header.index("项目状态")] for r in rows[3:-2]} <= {"未开工", "在建", "竣工", "投产", "停建"}


def test_auditor_files_load_to_the_generated_tables(small, tmp_path):
    write_ledgers(small, tmp_path / "data", tmp_path / "truth")
    ds = load_dataset(tmp_path / "data")
    for name in TABLES:
        loaded, made = ds.tables[name], small.tables[name]
        assert len(loaded) == len(made), name
        for col in TABLES[name].columns:
            if col.kind == "amount":
                pd.testing.assert_series_equal(loaded[col.name].reset_index(drop=True),
                                               made[col.name].reset_index(drop=True), check_names=False,
                                               obj=f"{name}.{col.name}")
    # the title, unit line, total and footer rows are what the loader skips or rejects as such
    rejected = ds.rejections
    assert set(rejected["reason"]) == {"total row", "footer row"} and len(rejected) == 2


def test_both_styles_give_the_same_findings(styles):
    plain, auditor = _csv(styles / "plain_out" / "findings.csv"), _csv(styles / "auditor_out" / "findings.csv")
    assert len(plain) > 100 and list(plain.columns) == list(auditor.columns)
    # DQ01 names where the unreadable cell is: the file and the row an auditor opens
    where = re.compile(r"^\S+?(\.csv|\.xlsx \[[^]]+\])第\d+行")
    for frame in (plain, auditor):
        dq01 = frame["check_id"] == "DQ01"
        assert dq01.any() and frame.loc[dq01, "detail"].str.match(where).all()
        frame.loc[dq01, "detail"] = frame.loc[dq01, "detail"].str.replace(where, "<where>", regex=True)
    pd.testing.assert_frame_equal(plain, auditor)
    assert (_csv(styles / "plain_out" / "not_run.csv")).equals(_csv(styles / "auditor_out" / "not_run.csv"))
    for metric in sorted((styles / "plain_out" / "metrics").iterdir()):
        assert metric.read_bytes() == (styles / "auditor_out" / "metrics" / metric.name).read_bytes(), metric.name


def test_plain_style_is_unchanged_and_unknown_style_refused(tmp_path):
    out = write_synth(tmp_path / "plain", counties=4, projects=60, seed=2)
    assert (out / "projects.csv").is_file() and (out / "truth.csv").is_file()
    with pytest.raises(ValueError, match="unknown style"):
        write_synth(tmp_path / "x", counties=4, projects=60, seed=2, style="fancy")


def test_ledgers_are_byte_identical_for_a_seed(small, tmp_path):
    one = write_ledgers(small, tmp_path / "one", tmp_path / "t1")
    two = write_ledgers(small, tmp_path / "two", tmp_path / "t2")
    for path in sorted(one.iterdir()):
        assert path.read_bytes() == (two / path.name).read_bytes(), path.name
    with pytest.raises(ValueError, match="beside"):
        write_ledgers(small, tmp_path / "same", tmp_path / "same")


def test_synth_command_writes_the_auditor_style(tmp_path):
    assert main(["synth", str(tmp_path / "ledgers"), "--style", "auditor", "--counties", "4", "--projects", "60",
                 "--seed", "2"]) == 0
    assert (tmp_path / "ledgers" / "项目台账.xlsx").is_file() and (tmp_path / "ledgers_truth" / "truth.csv").is_file()
    assert main(["synth", str(tmp_path / "plain"), "--counties", "4", "--projects", "60", "--seed", "2"]) == 0
    assert (tmp_path / "plain" / "projects.csv").is_file()
