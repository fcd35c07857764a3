"""Output files: CSVs written a block of rows at a time, with the bytes one to_csv of the whole frame gives;
JSON with the bytes the standard library writes, faster."""
import datetime
import json

import numpy as np
import pandas as pd
import pytest

from kpt_audit import files


@pytest.mark.parametrize("rows", [0, 1, 6, 7, 8, 50])
def test_blocks_of_rows_give_the_bytes_of_one_to_csv(tmp_path, monkeypatch, rows):
    monkeypatch.setattr(files, "CSV_BLOCK_ROWS", 7)
    rng = np.random.default_rng(rows)
    texts = ["普通", 'with "quotes"', "comma, here", "line\nbreak", "", None, "  spaced  ", "1e5"]
    df = pd.DataFrame({
        "text": pd.Series([texts[i % len(texts)] for i in range(rows)], dtype="str"),
        "object": pd.Series([texts[-i % len(texts)] for i in range(rows)], dtype=object),
        "amount": [np.nan if i % 5 == 0 else float(rng.normal() * 10 ** (i % 9)) for i in range(rows)],
        "count": np.arange(rows, dtype="int64"),
        "day": pd.to_datetime([None if i % 4 == 0 else f"2021-03-{1 + i % 28:02d}" for i in range(rows)]),
    })
    path = tmp_path / "out.csv"
    files.write_csv(df, path)
    whole = df.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
    assert path.read_bytes() == ("\ufeff" + whole).encode("utf-8")


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    """A block that cannot be written (a full disk) leaves neither the file nor its temporary."""
    def full_disk(fd, data, final):
        import errno
        import os
        with os.fdopen(fd, "wb") as fh:
            fh.write(next(iter(data)))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_write_fd", full_disk)
    with pytest.raises(OSError):
        files.write_csv(pd.DataFrame({"a": range(10)}), tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


def _standard(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n").encode("utf-8")


def test_json_has_the_standard_librarys_bytes():
    manifest = {"县区": "示例县", "files": [{"name": "findings.csv", "sha256": "ab" * 32, "rows": 3}],
                "amount": 1234.5, "share": 0.30000000000000004, "negative": -0.0, "big": 1e+16,
                "as_of": datetime.date(2024, 12, 31), "started": datetime.datetime(2024, 1, 2, 3, 4, 5),
                "empty": {}, "none": [], "flags": [True, False, None], "tuple": (1, "二")}
    assert files.json_bytes(manifest) == _standard(manifest)


def test_json_writes_numpy_numbers_as_the_standard_library_does():
    values = {"float64": np.float64(2.25), "int64": np.int64(7), "timestamp": pd.Timestamp("2024-05-06")}
    assert files.json_bytes(values) == _standard(values)
    assert json.loads(files.json_bytes(values))["float64"] == 2.25


def test_json_beyond_64_bits_falls_back_to_the_standard_library():
    assert files.json_bytes({"n": 2 ** 70}) == _standard({"n": 2 ** 70})


def test_json_writes_nan_as_null_which_every_reader_accepts():
    """The standard library writes ``NaN``, which is not JSON; ``null`` is."""
    written = files.json_bytes({"ratio": float("nan")})
    assert written == b'{\n  "ratio": null\n}\n'
    assert json.loads(written) == {"ratio": None}


def test_write_json_is_atomic_and_ends_with_a_newline(tmp_path):
    path = tmp_path / "sub" / "manifest.json"
    files.write_json({"b": 1, "a": "甲"}, path)
    assert path.read_text(encoding="utf-8") == '{\n  "a": "甲",\n  "b": 1\n}\n'
    assert [p.name for p in path.parent.iterdir()] == ["manifest.json"]


def test_report_csvs_write_formula_like_text_as_plain_text_and_read_it_back(tmp_path):
    """A ledger name such as =HYPERLINK(...) or +cmd|' /C calc'!A0 would be a live formula when the CSV is
    opened by double-click: it is written after an apostrophe (numbers, dashes and ordinary text as they
    are) and read back as it was."""
    from kpt_audit.files import read_report_csv, write_report_csv

    texts = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1",
             "-5", "+3.2", "-1,000", "-12%", "-", "—", "普通项目", "'引号开头", "'=written so", "-5万元", "-（退款）", None]
    frame = pd.DataFrame({"name": pd.Series(texts, dtype="str"), "amount": range(len(texts))})
    write_report_csv(frame, tmp_path / "f.csv")
    cells = [line.split(",", 1)[0] for line in (tmp_path / "f.csv").read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert cells[:5] == ['"\'=HYPERLINK(""http://x""', "'+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)",
                         "'\t=1"]
    assert cells[5:9] == ["-5", "+3.2", '"-1', "-12%"] and cells[9:14] == ["-", "—", "普通项目", "'引号开头", "''=written so"]
    assert cells[14:16] == ["-5万元", "-（退款）"]  # no operator, call or link: as written
    back = read_report_csv(tmp_path / "f.csv", dtype=str, keep_default_na=False)
    assert back["name"].tolist() == [t if t is not None else "" for t in texts]
    assert back["amount"].tolist() == [str(i) for i in range(len(texts))]
