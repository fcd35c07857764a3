"""The pyarrow CSV reader is used only where it reads exactly what pandas reads."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.load import load_dataset
from kpt_audit.load.read_csv import _read_any, _read_regular, decode

from .conftest import assert_ledger_balances, write_text

SAME = {
    "plain": "a,b,c\n1,2,3\n4,5,6\n",
    "quoted delimiter and doubled quote": 'a,b,c\n"1,5","x""y",3\n',
    "quote inside a bare value": 'a,b,c\nx"y,2,3\n',
    "newline inside quotes": 'a,b,c\n"x\ny",2,3\n',
    "CRLF": "a,b,c\r\n1,2,3\r\n",
    "lone CR after the header": "a,b,c\n1,2,3\r4,5,6\r",
    "no final newline": "a,b,c\n1,2,3",
    "spaces kept": "a,b,c\n 1 , 2,3 \n",
    "empty fields": "a,b,c\n,,\n1,,\n",
    "blank lines inside and at the end": "a,b,c\n1,2,3\n\n4,5,6\n\n\n",
    "only a blank line": "a,b,c\n\n",
    "CRLF blank line": "a,b,c\r\n1,2,3\r\n\r\n4,5,6\r\n",
    "title rows above the header": "台账\n单位：县\na,b,c\n1,2,3\n",
    "non-ASCII values": "a,b,c\n甲县,２０２１年5月10日,\"1,234万元\"\n",
}
FALLBACK = {
    "short record (pandas pads it)": "a,b,c\n1,2\n",
    "whitespace-only line": "a,b,c\n1,2,3\n  \n",
    "long record (pandas reports it)": "a,b,c\n1,2,3,4\n",
    "header only": "a,b,c\n",
    "quoted title above the header": '"台账, 2020"\na,b,c\n1,2,3\n',
    "unterminated quote": 'a,b,c\n"x,2,3\n',
    "lone CR line ends throughout": "a,b,c\r1,2,3\r4,5,6\r",
}


def _header_lines(text: str) -> int:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return next(i for i, line in enumerate(lines) if line.startswith("a,b,c")) + 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("case", sorted(SAME))
def test_pyarrow_reads_what_pandas_reads(case, encoding):
    text = SAME[case]
    data = text.encode(encoding)
    decoded, detected = decode(data, Path("x.csv"))
    skip = _header_lines(text)
    fast = _read_regular(data, decoded, detected, ",", skip, 3)
    assert fast is not None, case
    expected = _read_any(Path("x.csv"), decoded, ",", skip - 1, ["a", "b", "c"])[0]
    pd.testing.assert_frame_equal(fast, expected, check_column_type=False, check_index_type=False)


@pytest.mark.parametrize("case", sorted(FALLBACK))
def test_irregular_files_go_to_pandas(case):
    text = FALLBACK[case]
    data = text.encode("utf-8")
    assert _read_regular(data, text, "utf-8", ",", _header_lines(text), 3) is None


def test_short_record_is_padded_through_the_loader(folder):
    write_text(folder / "payments.csv", "支付编号,项目编码,收款单位编码,支付日期,支付金额\n"
                                        "Z1,P001,S1,2020-01-02,100\nZ2,P001,S1,2020-01-03\n")
    ds = load_dataset(folder)
    assert ds.tables["payments"]["payment_id"].tolist() == ["Z1"]
    assert ds.rejections[["row", "reason"]].values.tolist() == [[3, "required value missing"]]
    assert_ledger_balances(ds)


def test_quoted_amounts_and_blank_row_through_the_loader(folder):
    write_text(folder / "payments.csv", "支付编号,项目编码,收款单位编码,支付日期,支付金额\n"
                                        'Z1,P001,S1,2020-01-02,"1,234.5"\n,,,,\nZ2,P001,S1,2020/1/3,7\n')
    ds = load_dataset(folder)
    pay = ds.tables["payments"]
    assert pay["amount"].tolist() == [1234.5, 7.0]
    assert pay["date"].tolist() == [pd.Timestamp("2020-01-02"), pd.Timestamp("2020-01-03")]
    assert ds.rejections[["row", "reason"]].values.tolist() == [[3, "empty row"]]
    assert_ledger_balances(ds)
