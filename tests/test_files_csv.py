"""CSV files are written a block of rows at a time, with the bytes one to_csv of the whole frame gives."""
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
