"""The frames layer: text normalisation, arrow key look-ups, id codes and pair keys agree with pandas."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kpt_audit.checks.context import Context
from kpt_audit.checks.frames import (bid_codes, isin, lookup, normalise_one, normalise_text,
                                     pair_codes, payment_contracts, payment_projects, positions, take, take_rows)
from kpt_audit.checks.frames.keys import FEW_ROWS
from kpt_audit.checks.frames.text import FAST_RANGES
from kpt_audit.schema.coerce import coerce_tables

# blocks inside and outside the fast path: Latin, Greek, combining marks, Cherokee (casefold is
# not lower), CJK, full-width and half-width forms, emoji, compatibility ideographs and squares
POOLS = [range(0x20, 0x250), range(0x300, 0x370), range(0x370, 0x400), range(0x13A0, 0x13F6),
         range(0x2000, 0x2070), range(0x2100, 0x2200), range(0x3000, 0x3040), range(0x3300, 0x3400),
         range(0x4E00, 0x4E40), range(0xF900, 0xF920), range(0xFB00, 0xFB50), range(0xFF00, 0xFFF0),
         range(0x1F300, 0x1F650)]
SPECIAL = ["ß", "ẞ", "\u3000", "İ", "ς", "ﬁ", "ｶﾞ", "\x85", "\x1c", "\u200b", "\ufeff", "ǅ", "µ", "e\u0301"]


def expected(values) -> pd.Series:
    return pd.Series([normalise_one(v) for v in values], dtype="str")


def assert_same(got: pd.Series, want: pd.Series) -> None:
    equal = (got.to_numpy() == want.to_numpy()) | (got.isna().to_numpy() & want.isna().to_numpy())
    bad = np.flatnonzero(~equal)
    assert len(bad) == 0, [(got.iloc[i], want.iloc[i]) for i in bad[:5]]


def test_normalise_text_equals_the_definition_on_a_random_corpus():
    rng = random.Random(11)
    corpus = ["".join(rng.choice(SPECIAL) if rng.random() < 0.1 else chr(rng.choice(rng.choice(POOLS)))
                      for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    s = pd.Series(corpus, dtype="str")
    assert_same(normalise_text(s), expected(corpus))


def test_normalise_text_equals_the_definition_on_every_fast_path_character():
    chars = [chr(c) for lo, hi in FAST_RANGES for c in range(lo, hi + 1)]
    assert_same(normalise_text(pd.Series(chars, dtype="str")), expected(chars))
    # pairs exercise composition (half-width kana with their sound marks) across blocks
    rng = random.Random(3)
    kana = [chr(c) for c in range(0xFF61, 0xFFA0)]  # half-width katakana and the two sound marks
    pairs = [rng.choice(chars + kana) + rng.choice(kana) for _ in range(5000)]
    assert_same(normalise_text(pd.Series(pairs, dtype="str")), expected(pairs))


def test_normalise_text_spec_examples():
    s = pd.Series(["ＡＢＣ　公司", "Straße", "王 文", "（0571）8888-1234", "无", " N/A ", "0", "!!", None,
                   "不详", "🙂李四"], dtype="str")
    got = normalise_text(s)
    assert got.tolist()[:4] == ["abc公司", "strasse", "王文", "057188881234"]
    assert got.iloc[4:10].isna().all()  # placeholders, empties, missing
    assert got.iloc[10] == "李四"
    assert got.dtype == "str"


def test_normalise_text_keeps_index_name_and_handles_chunks_and_objects():
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["Ａ-1", None], ["b 2"]])),
                        index=[5, 6, 7], name="phone")
    got = normalise_text(chunked)
    assert list(got.index) == [5, 6, 7] and got.name == "phone"
    assert got.iloc[0] == "a1" and pd.isna(got.iloc[1]) and got.iloc[2] == "b2"
    mixed = pd.Series(["Ａ", 12, None], dtype=object)
    assert normalise_text(mixed).iloc[:2].tolist() == ["a", "12"]
    assert normalise_text(pd.Series([], dtype="str")).empty


@pytest.mark.parametrize("kind", ["str", "object"])
def test_positions_first_occurrence_missing_and_absent(kind):
    values = pd.Series(["a", "b", "a", None, "c"], dtype=kind)
    keys = pd.Series(["a", "c", None, "z"], dtype=kind)
    # missing matches missing, as pandas' reindex and isin do
    assert positions(keys, values).tolist() == [0, 4, 3, -1]
    assert positions(keys, pd.Series([], dtype=kind)).tolist() == [-1, -1, -1, -1]
    assert isin(keys, values).tolist() == [True, True, True, False]
    assert isin(keys, ["z"]).tolist() == [False, False, False, True]


def test_positions_of_numbers_use_pandas():
    assert positions(pd.Series([1, 2, 5]), pd.Index([5, 1, 1])).tolist() == [1, -1, 0]


def test_take_keeps_dtype_and_fills_missing():
    dates = pd.Series(pd.to_datetime(["2020-01-01", "2021-06-30"]).astype("datetime64[ns]"))
    got = take(dates, np.array([1, -1, 0]), index=["x", "y", "z"])
    assert got.dtype == "datetime64[ns]" and list(got.index) == ["x", "y", "z"]
    assert got.iloc[0] == pd.Timestamp("2021-06-30") and pd.isna(got.iloc[1])
    text = take(pd.Series(["p", "q"], dtype="str"), np.array([-1, 1]))
    assert text.dtype == "str" and pd.isna(text.iloc[0]) and text.iloc[1] == "q"
    assert take(pd.Series([], dtype="float64"), np.array([-1, -1])).isna().all()


def test_lookup_matches_pandas_reindex_and_keeps_the_keys_index():
    s = pd.Series([1.5, 2.5, 3.5], index=pd.Index(["c1", "c2", "c3"], dtype="str"), name="paid")
    target = pd.Index(["c3", "zz", "c1", "c3"], dtype="str", name="contract_id")
    pd.testing.assert_series_equal(lookup(target, s), s.reindex(target))
    keys = pd.Series(["c2", None, "c1"], index=[10, 11, 12], dtype="str")
    got = lookup(keys, s)
    assert list(got.index) == [10, 11, 12] and got.iloc[0] == 2.5 and pd.isna(got.iloc[1])
    # a repeated key in the table: its first row answers; an empty date table keeps the dtype
    assert lookup(pd.Series(["k"], dtype="str"), pd.Series([1.0, 2.0], index=["k", "k"])).tolist() == [1.0]
    empty = pd.Series([], index=pd.Index([], dtype="str"), dtype="datetime64[ns]")
    assert lookup(keys, empty).dtype == "datetime64[ns]"


def test_bid_codes_sorted_tenders_missing_and_blank_ids():
    tables = coerce_tables({"bids": pd.DataFrame([
        {"tender_id": "T2", "bidder_id": "B", "amount": 1.0},
        {"tender_id": "T1", "bidder_id": "A", "amount": 2.0},
        {"tender_id": None, "bidder_id": "A", "amount": 3.0},
        {"tender_id": " ", "bidder_id": None, "amount": 4.0},
        {"tender_id": "T2", "bidder_id": "", "amount": 5.0},
    ])})
    codes = bid_codes(Context(tables, {}, "2020-09-25"))
    # tender codes follow tender_id order, whatever order the rows come in
    assert list(codes.tenders[codes.tender[[0, 1, 4]]]) == ["T2", "T1", "T2"]
    assert list(codes.tenders) == sorted(codes.tenders)
    assert codes.tender[2] == -1 and codes.bidder[3] == -1
    assert codes.tender_ok.tolist() == [True, True, False, False, True]
    assert codes.bidder_ok.tolist() == [True, True, True, False, False]
    assert list(codes.bidders[codes.bidder[[0, 1, 2]]]) == ["B", "A", "A"]


def repeats(a, b, keep):
    return pd.Series(pair_codes(np.asarray(a), np.asarray(b))).duplicated(keep=keep).tolist()


def test_pair_codes_equal_exactly_for_equal_pairs():
    a = np.array([0, 1, 0, 1, 0])
    b = np.array([5, 5, 5, -3, 6])
    assert repeats(a, b, keep=False) == [True, False, True, False, False]
    assert repeats(a, [0, 0, 0, 1, 0], keep="first") == [False, False, True, False, True]
    # values too far apart for one packed int64 are renumbered first, with the same answer
    huge = np.array([2 ** 61, -(2 ** 61), 2 ** 61])
    assert repeats([0, 1, 0], huge, keep=False) == [True, False, True]
    both_huge = np.array([2 ** 62, 0, 2 ** 62, 0])
    assert repeats(both_huge, [2 ** 61, -(2 ** 61), 2 ** 61, 2 ** 61], keep=False) == [True, False, True, False]
    assert pair_codes(np.array([], dtype="int64"), np.array([], dtype="int64")).tolist() == []
    rng = np.random.default_rng(5)
    a, b = rng.integers(-5, 5, size=400), rng.integers(-3, 3, size=400)
    want = pd.DataFrame({"a": a, "b": b}).duplicated(keep=False).tolist()
    assert repeats(a, b, keep=False) == want


def test_look_ups_on_keys_in_several_chunks():
    keys = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["c", None], ["a", "z"]])))
    values = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["a", "b"], ["c"]])))
    assert positions(keys, values).tolist() == [2, -1, 0, -1]
    assert isin(keys, values).tolist() == [True, False, True, False]


def test_positions_of_a_few_keys_among_many_values_match_the_hash_join():
    rng = np.random.default_rng(9)
    values = pd.Series(rng.choice(["v1", "v2", "v3", "", None] + [f"w{i}" for i in range(200)], size=2000),
                       dtype="str")
    keys = pd.Series(["v2", None, "nope", "v2", "", "w7", "v1"], dtype="str")
    got = positions(keys, values)
    assert len(keys) * 8 < len(values)  # the scan of the values, not the hash join, answers this
    # the hash join over every value, as positions answers for many keys
    want = pc.fill_null(pc.index_in(pa.array(keys, from_pandas=True), value_set=pa.array(values, from_pandas=True)),
                        -1).to_pylist()
    assert got.tolist() == want
    assert got[2] == -1 and got[0] == got[3] and got[1] == int(np.flatnonzero(values.isna())[0])
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["w7"], ["v1", None]], type=pa.large_string())))
    assert positions(chunked, values).tolist() == [want[5], want[6], want[1]]
    assert positions(pd.Series([], dtype="str"), values).tolist() == []


def test_take_rows_equals_iloc_for_few_and_many_rows():
    n = 300
    frame = pd.DataFrame({"id": pd.Series([f"p{i}" if i % 9 else None for i in range(n)], dtype="str"),
                          "amount": np.arange(n, dtype="float64"),
                          "date": pd.date_range("2020-01-01", periods=n, freq="D")},
                         index=pd.Index(np.arange(n) * 2))
    for pos in ([], [3], [250, 7, 7, 0], list(range(0, n, 3))):
        pd.testing.assert_frame_equal(take_rows(frame, pos), frame.iloc[pos])
    mask = np.zeros(n, dtype=bool)
    mask[[1, 99, 299]] = True
    pd.testing.assert_frame_equal(take_rows(frame, mask), frame[mask])
    assert len(range(0, n, 3)) > FEW_ROWS


# --- the payments' id codes ----------------------------------------------------------------------

def payments_context(project_ids, contract_ids, amounts) -> Context:
    payments = pd.DataFrame({"project_id": pd.Series(project_ids, dtype="str"),
                             "contract_id": pd.Series(contract_ids, dtype="str"),
                             "amount": np.asarray(amounts, dtype="float64")})
    return Context({"payments": payments}, {}, "2030-01-01")


def test_sums_equal_the_group_by_on_ids():
    rng = np.random.default_rng(3)
    ids = rng.choice(["P3", "P1", "", "P2", None], size=500).tolist()
    amounts = rng.normal(1000, 300, size=500)
    amounts[::17] = np.nan
    ctx = payments_context(ids, ids, amounts)
    want = ctx["payments"].groupby("project_id", sort=False)["amount"].sum()
    got = payment_projects(ctx).sums(ctx["payments"]["amount"].to_numpy(), "project_id")
    pd.testing.assert_series_equal(got, want)
    assert list(got.index) == list(pd.unique(pd.Series(ids).dropna()))  # order of first appearance


def test_positions_and_membership_match_the_strings():
    ctx = payments_context(["A", None, "B", "C", "A"], ["k1", "k2", None, "k9", "k1"], [1, 2, 3, 4, 5])
    keys = pd.Series(["k9", "k1", "k1", "k3"], dtype="str")
    codes = payment_contracts(ctx)
    assert codes.positions_in(keys).tolist() == [1, -1, -1, 0, 1]  # first occurrence; missing finds nothing
    assert codes.isin(keys).tolist() == [True, False, False, True, True]
    # a missing id finds a missing key, as the string look-ups do
    with_missing = pd.Series(["k2", None], dtype="str")
    assert codes.positions_in(with_missing).tolist() == [-1, 0, 1, -1, -1]
    assert codes.isin(with_missing).tolist() == [False, True, True, False, False]


def test_codes_over_several_chunks_and_no_ids_at_all():
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["a", "b"], ["b", None, "c"]], type=pa.large_string())))
    payments = pd.DataFrame({"project_id": chunked.astype("str"), "contract_id": pd.Series([None] * 5, dtype="str"),
                             "amount": [1.0, 2.0, 3.0, 4.0, 5.0]})
    ctx = Context({"payments": payments}, {}, "2030-01-01")
    projects = payment_projects(ctx)
    assert projects.code.tolist() == [0, 1, 1, -1, 2]
    assert projects.sums(payments["amount"].to_numpy(), "project_id").to_dict() == {"a": 1.0, "b": 5.0, "c": 5.0}
    contracts = payment_contracts(ctx)
    assert contracts.positions_in(pd.Series(["x"], dtype="str")).tolist() == [-1] * 5
    assert not contracts.isin(pd.Series(["x"], dtype="str")).any()
    assert contracts.sums(payments["amount"].to_numpy(), "contract_id").empty


def test_runs_number_the_runs_of_equal_sorted_keys_as_groupby_ngroup_does():
    import numpy as np
    import pandas as pd

    from kpt_audit.checks.frames import runs

    df = pd.DataFrame({"tender": [0, 0, 0, 1, 1, 2], "amount": [5.0, 5.0, 7.0, 7.0, 7.0, 1.0]})
    got = runs(df["tender"], df["amount"])
    assert got.tolist() == [0, 0, 1, 2, 2, 3]
    assert got.tolist() == df.groupby(["tender", "amount"], sort=False).ngroup().tolist()
    assert runs(df["tender"]).tolist() == [0, 0, 0, 1, 1, 2]
    assert runs(np.array([], dtype="int64")).tolist() == []


def test_normalise_text_equals_the_definition_on_plain_mixed_and_placeholder_values():
    """Plain values (lower-case ASCII letters and digits) skip the normalising passes; the result is
    the definition's for every kind of value, the placeholders included."""
    import random

    import pandas as pd

    from kpt_audit.checks.frames.text import normalise_one, normalise_text

    rng = random.Random(1)
    pool = ["abc", "ABC", "12 34", "0", "na", "NA", "无", "不详", "", " ", "ß", "Ｆｕｌｌ", "a-b", "6222 0202", "x1",
            "é", "Ω", "👍", "１２３", "a\u0301", "北京市 海淀区", "Na", "00", "0 ", "6222020200012345"]
    values = [rng.choice(pool) + rng.choice(["", "1", "a", "Z", "-", "号"]) for _ in range(3000)] + pool + [None]
    got = normalise_text(pd.Series(values, dtype="str")).tolist()
    for value, normal in zip(values, got):
        want = normalise_one(value)
        assert (normal is None or normal != normal) if want is None else normal == want, (value, normal, want)


def test_sort_order_is_lexsort_with_ties_in_table_order():
    from kpt_audit.checks.frames import sort_order

    rng = np.random.default_rng(3)
    tender = rng.integers(0, 50, 5000)
    amount = rng.choice([0.0, -0.0, 1.5, 2.25, -3.0, 1e12, 7.0], 5000)
    got = sort_order(tender, amount)
    assert got.tolist() == np.lexsort((amount, tender)).tolist()
    frame = pd.DataFrame({"t": tender, "a": amount})
    assert got.tolist() == frame.sort_values(["t", "a"], kind="stable").index.tolist()
    assert sort_order(amount).tolist() == np.argsort(amount, kind="stable").tolist()
    assert sort_order(np.array([], dtype="int64"), np.array([])).tolist() == []


def test_runs_reduce_each_run_as_a_group_by_of_sorted_rows():
    from kpt_audit.checks.frames import Runs

    frame = pd.DataFrame({"tender": [0, 0, 0, 1, 1, 4, 4, 4, 4],
                          "bidder": [3, 1, 2, 5, 5, 0, 9, 2, 2],
                          "step": [0.1, 0.2, np.nan, 1.0, 3.0, 1e16, 1.0, -1e16, 1.0]})
    per = Runs.of(frame["tender"])
    grouped = frame.groupby("tender", sort=False)
    assert per.id.tolist() == grouped.ngroup().tolist()
    assert per.starts.tolist() == [0, 3, 5]
    assert per.size().tolist() == grouped.size().tolist()
    assert per.first(frame["bidder"]).tolist() == [3, 5, 0]
    assert per.min(frame["bidder"]).tolist() == grouped["bidder"].min().tolist()
    assert per.max(frame["bidder"]).tolist() == grouped["bidder"].max().tolist()
    assert per.any(frame["bidder"] == 9).tolist() == [False, False, True]
    # pandas' own (compensated) mean, NaN skipped: 1e16 + 1 - 1e16 + 1 is 2 there, not 1
    assert per.mean(frame["step"]).tolist() == grouped["step"].mean().tolist()
    empty = Runs.of(np.array([], dtype="int64"))
    assert empty.size().tolist() == empty.min(np.array([], dtype="int64")).tolist() == []
    assert empty.mean(np.array([])).tolist() == []


def test_unique_and_repeated_rows_are_drop_duplicates_and_duplicated_on_code_columns():
    from kpt_audit.checks.frames import repeated_rows, unique_rows

    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"a": rng.integers(-1, 4, 2000), "b": rng.integers(-1, 3, 2000),
                          "c": rng.integers(0, 2 ** 40, 2000) % 3})
    pd.testing.assert_frame_equal(unique_rows(frame), frame.drop_duplicates())
    pd.testing.assert_frame_equal(unique_rows(frame, ["a", "c"]), frame.drop_duplicates(["a", "c"]))
    assert unique_rows(frame.iloc[:0]).empty
    pd.testing.assert_frame_equal(repeated_rows(frame, ["a", "b"]), frame[frame.duplicated(["a", "b"], keep=False)])
    pd.testing.assert_frame_equal(repeated_rows(frame), frame[frame.duplicated(keep=False)])
    assert repeated_rows(frame.iloc[:0], ["a"]).empty


def test_normalised_codes_equal_exactly_where_the_normalised_texts_do():
    from kpt_audit.checks.frames import normalised_codes

    rng = random.Random(2)
    pool = ["ABC", "abc", "a-b-c", "Ａｂｃ", "0", "na", "无", "", None, "13800 138000", "13800138000", "ß", "SS", "x"]
    columns = [pd.Series([rng.choice(pool) for _ in range(n)], dtype="str") for n in (300, 0, 50, 7)]
    columns.append(pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["ABC", None], ["ss"]], type=pa.large_string()))))
    codes = normalised_codes(*columns)
    assert [len(c) for c in codes] == [len(c) for c in columns]
    text = pd.concat([normalise_text(c) for c in columns], ignore_index=True)
    code = np.concatenate(codes)
    assert ((code == -1) == text.isna().to_numpy()).all()
    known = code >= 0
    # the same code exactly where the same normalised text
    assert pd.Series(code[known]).groupby(text[known].to_numpy()).nunique().eq(1).all()
    assert pd.Series(text[known].to_numpy()).groupby(code[known]).nunique().eq(1).all()
    assert normalised_codes() == []
    assert normalised_codes(pd.Series([None, None], dtype="str"))[0].tolist() == [-1, -1]
    mixed = normalised_codes(pd.Series(["ABC", 5, None], dtype=object), pd.Series(["abc"], dtype="str"))
    assert mixed[0][0] == mixed[1][0] and mixed[0][2] == -1


def test_present_is_not_missing_and_not_blank_as_strip_says_for_every_whitespace_and_chunking():
    from kpt_audit.checks.frames import present
    from kpt_audit.load.arrow import SPACE_LEADS

    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    # the lead bytes listed are those of every character strip removes, by Python's and by pyarrow's definition
    assert {np.uint8(ch.encode()[0]) for ch in spaces} == set(np.flatnonzero(SPACE_LEADS))
    arrow_trimmed = pc.utf8_trim_whitespace(pa.array([chr(c) for c in range(0x3100)], type=pa.large_string()))
    assert [chr(c) for c, t in enumerate(arrow_trimmed.to_pylist()) if t == ""] == [s for s in spaces if ord(s) < 0x3100]
    rng = random.Random(4)
    pool = ["", " ", "a", " a", "a ", "\u3000", "\u3000x", "\u3001", "\u2003\u2029", "\u2010", "\x85", "\xa0b", "é",
            "\u1680", "\u1681", "北京", "\x1c", "0", None]
    values = [rng.choice(pool) for _ in range(4000)]
    values = [v + rng.choice(["", " ", "\u3000"]) if v is not None and rng.random() < 0.5 else v for v in values]
    plain = pd.Series(values, dtype="str")
    want = (plain.notna() & (plain.astype("str").str.strip() != "")).tolist()
    assert present(plain).tolist() == want
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(
        [pa.array(values[:1000], type=pa.large_string()), pa.array(values[1000:], type=pa.large_string()).slice(0)])))
    assert present(chunked).tolist() == want
    sliced = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([pa.array(values, type=pa.large_string()).slice(7, 500)])))
    assert present(sliced).tolist() == want[7:507]
    assert present(pd.Series([None, None], dtype="str")).tolist() == [False, False]
    assert present(pd.Series([], dtype="str")).tolist() == []
    assert present(pd.Series([" 1", 2, None, "  "], dtype=object)).tolist() == [True, True, False, False]
    assert present(plain.rename("x")).name == "x"
