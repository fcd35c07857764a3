"""The bad-input corpus (tests/data/bad, written by scripts/make_bad_corpus.py): every case ends in
its declared outcome -- a one-paragraph error naming the file and the cause, or rows loaded and
rejected with reasons, the ledger balanced -- and never in a traceback or a row unaccounted for."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.cli import main
from kpt_audit.load import LoadError, load_dataset
from kpt_audit.ocds.mapping import load_ocds
from kpt_audit.ocds.reader import ReadLog
from kpt_audit.params import ParamsError, load_params

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "bad"


def _script():
    spec = importlib.util.spec_from_file_location("make_bad_corpus", ROOT / "scripts" / "make_bad_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_bad_corpus", module)
    spec.loader.exec_module(module)
    return module


corpus = _script()
CASES = corpus.build_cases()
DATASET_ERRORS = [c for c in CASES if c.kind == "dataset" and c.error]
DATASET_LOADS = [c for c in CASES if c.kind == "dataset" and not c.error]
PARAMS = [c for c in CASES if c.kind == "params"]
OCDS = [c for c in CASES if c.kind == "ocds"]
# A dataset that loads cleanly, for the params cases.
GOOD_DATA = CORPUS / "csv_semicolon_delimiter"
AS_OF = ["--as-of", "2020-09-25"]


def ids(cases):
    return [c.name for c in cases]


def one_paragraph(text: str) -> None:
    assert "Traceback" not in text
    assert text.strip() and "\n" not in text.strip(), text


def error_of(err: str) -> str:
    """stderr without the audit-date line check, run and ocds print first (审计基准日 …)."""
    return "".join(line for line in err.splitlines(keepends=True) if not line.startswith("审计基准日 "))


# --- the corpus itself ---------------------------------------------------------------------------

def test_corpus_covers_every_format_with_at_least_40_cases():
    assert len(CASES) >= 40
    prefixes = {c.name.split("_", 1)[0] for c in CASES}
    assert {"csv", "xlsx", "xls", "parquet", "params", "ocds"} <= prefixes
    assert len(set(ids(CASES))) == len(CASES)
    for case in CASES:
        assert case.error or case.kind == "ocds" or case.data_rows, f"{case.name} declares no outcome"


def test_committed_corpus_is_exactly_what_the_script_writes(tmp_path):
    corpus.write_corpus(tmp_path / "bad")
    written = {p.relative_to(tmp_path / "bad").as_posix() for p in (tmp_path / "bad").rglob("*") if p.is_file()}
    committed = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()}
    assert written == committed, "run: .venv/bin/python scripts/make_bad_corpus.py"
    for name in sorted(written):
        fresh, kept = (tmp_path / "bad" / name).read_bytes(), (CORPUS / name).read_bytes()
        if name.endswith(".parquet") and fresh != kept:
            # pyarrow stamps its version into the footer: compare the content instead
            import pyarrow.parquet as pq

            assert pq.read_table(CORPUS / name).equals(pq.read_table(tmp_path / "bad" / name)), name
        else:
            assert fresh == kept, f"{name} differs from what the script writes"


# --- inputs that cannot be read: one clear error -------------------------------------------------

@pytest.mark.parametrize("case", DATASET_ERRORS, ids=ids(DATASET_ERRORS))
def test_unreadable_input_is_one_paragraph_naming_file_and_cause(case, tmp_path, capsys):
    folder = CORPUS / case.name
    with pytest.raises(LoadError) as raised:
        load_dataset(folder)
    message = str(raised.value)
    one_paragraph(message)
    assert case.error_file in message
    assert re.search(case.error, message), message

    for command in (["validate", str(folder)], ["check", str(folder), "--out", str(tmp_path / "out"), *AS_OF]):
        code = main(command)
        err = error_of(capsys.readouterr().err)
        assert code == case.exit_code == 1
        one_paragraph(err)
        assert err.startswith("kpt-audit: 数据有误：") and case.error_file in err
    assert not (tmp_path / "out" / "findings.csv").exists(), "check must stop before writing findings"


# --- inputs that load: every row accounted for ---------------------------------------------------

def _cell_matches(frame: pd.DataFrame, column: str, at, expected) -> bool:
    value = frame.loc[at, column]
    if expected is None:
        return bool(pd.isna(value))
    if pd.api.types.is_datetime64_any_dtype(frame[column].dtype):
        return value == pd.Timestamp(expected)
    if isinstance(expected, float):
        return value == pytest.approx(expected)
    return value == expected


@pytest.mark.parametrize("case", DATASET_LOADS, ids=ids(DATASET_LOADS))
def test_loadable_input_accounts_for_every_row(case):
    ds = load_dataset(CORPUS / case.name)
    ledger = ds.ledger.set_index("file")
    assert set(ledger.index) == set(case.files) == set(case.data_rows)
    for file, written in case.data_rows.items():
        row = ledger.loc[file]
        assert row["rows_in"] == written, f"{file}: rows written {written}, rows_in {row['rows_in']}"
        assert row["rows_in"] == row["rows_loaded"] + row["rows_rejected"]
        assert len(ds.tables[row["table"]]) == row["rows_loaded"]
        rejected_here = ds.rejections[ds.rejections["file"] == file]
        assert rejected_here["row"].nunique() == row["rows_rejected"]

    for frame in (ds.rejections, ds.warnings):
        assert frame["file"].isin(list(case.files)).all()
        assert (frame["row"].astype("int64") >= 1).all()
        assert frame["reason"].astype("str").str.len().gt(0).all()
        assert frame[["column", "value"]].notna().all().all()
    # a column is named whenever a value is shown; only a blank row has neither
    assert (ds.rejections["column"].ne("") | ds.rejections["reason"].eq("empty row")).all()

    got = set(zip(ds.rejections["file"], ds.rejections["row"].astype(int)))
    assert got == {(f, r) for f, r, _ in case.rejected}, ds.rejections.to_string()
    for issues, expected in ((ds.rejections, case.rejected), (ds.warnings, case.warned)):
        for file, row, reason in expected:
            at = issues[(issues["file"] == file) & (issues["row"] == row)]
            assert at["reason"].str.contains(reason, regex=False).any(), (file, row, reason, issues.to_string())

    for table, key, key_value, column, expected in case.values:
        frame = ds.tables[table]
        at = frame.index[frame[key].astype("str") == key_value]
        assert len(at) == 1, (table, key_value)
        assert _cell_matches(frame, column, at[0], expected), (column, frame.loc[at[0], column], expected)


@pytest.mark.parametrize("case", DATASET_LOADS, ids=ids(DATASET_LOADS))
def test_loadable_input_goes_through_validate_and_check(case, tmp_path, capsys):
    folder = CORPUS / case.name
    code = main(["validate", str(folder)])
    out, err = capsys.readouterr()
    # total and footer rows are rejected as such, and alone they keep validate at 0 (interfaces.md)
    assert code == (1 if any(reason not in ("total row", "footer row") for _, _, reason in case.rejected) else 0)
    assert err == "" and "DOES NOT BALANCE" not in out

    code = main(["check", str(folder), "--out", str(tmp_path / "out"), *AS_OF])
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err
    written = pd.read_csv(tmp_path / "out" / "rejections.csv", encoding="utf-8-sig", dtype=str)
    assert len(written) == len(load_dataset(folder).rejections)
    quality = pd.read_csv(tmp_path / "out" / "data_quality.csv", encoding="utf-8-sig")
    assert (quality["rows_in"] == quality["rows_loaded"] + quality["rows_rejected"]).all()
    assert (tmp_path / "out" / "findings.csv").is_file()


# --- params files -------------------------------------------------------------------------------

@pytest.mark.parametrize("case", PARAMS, ids=ids(PARAMS))
def test_bad_params_file_is_a_usage_error_naming_file_and_key(case, capsys):
    path = CORPUS / case.name / "params.yaml"
    started = time.perf_counter()
    with pytest.raises(ParamsError) as raised:
        load_params(path)
    assert time.perf_counter() - started < 5, "an alias bomb must be refused, not expanded"
    message = str(raised.value)
    one_paragraph(message)
    assert "params.yaml" in message and re.search(case.error, message), message

    code = main(["validate", str(GOOD_DATA), "--params", str(path)])
    err = capsys.readouterr().err
    assert code == case.exit_code == 2
    one_paragraph(err)
    assert err.startswith("kpt-audit: ") and "params.yaml" in err


# --- OCDS ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", OCDS, ids=ids(OCDS))
def test_bad_ocds_is_reported_and_the_rest_is_read(case, tmp_path, capsys):
    folder = CORPUS / case.name
    log = ReadLog()
    ds = load_ocds(folder, None, log)
    assert log.processes == case.ocds_loaded
    ledger = ds.ledger.set_index("file")
    assert set(ledger.index) == set(case.files)
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_rejected"]).all()
    for file, written in case.data_rows.items():
        assert ledger.loc[file, "rows_in"] == written
    read_problems = ds.rejections[ds.rejections["column"] == ""]
    got = set(zip(read_problems["file"], read_problems["row"]))
    assert got == {(f, r) for f, r, _ in case.rejected}, read_problems.to_string()
    for file, row, reason in case.rejected:
        at = read_problems[(read_problems["file"] == file) & (read_problems["row"] == row)]
        assert at["reason"].str.contains(reason, regex=False).any(), (file, row, reason)

    code = main(["ocds", str(folder), "--out", str(tmp_path / "out"), "--no-html", *AS_OF])
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err
    for file, row, _ in case.rejected:
        assert f"已记录：{file}（第 {row} 行）" in err
    assert (tmp_path / "out" / "findings.csv").is_file()


# --- as a real command ----------------------------------------------------------------------------

@pytest.mark.parametrize("case_name, args, exit_code", [
    ("csv_line_in_no_encoding", ["validate", "{folder}"], 1),
    ("xlsx_password_protected", ["validate", "{folder}"], 1),
    ("params_alias_bomb", ["validate", str(GOOD_DATA), "--params", "{folder}/params.yaml"], 2),
])
def test_the_installed_command_prints_no_traceback(case_name, args, exit_code):
    folder = str(CORPUS / case_name)
    done = subprocess.run([sys.executable, "-m", "kpt_audit.cli", *[a.format(folder=folder) for a in args]],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == exit_code
    one_paragraph(done.stderr)
