"""A dataset split on disk in partitions of whole counties (issue 14) is the loaded dataset, part for part:
the same tables, labels, origins, unknown cells and the loader's whole account, however the tables are
cut into parts; and the checks on it give the in-memory findings, not-run notes and metric tables."""
import shutil
import time

import numpy as np
import pandas as pd
import pytest

from kpt_audit import load_dataset, load_params
from kpt_audit.checks import run_checks
from kpt_audit.checks.partitioned import run_checks_split, split_for_checks
from kpt_audit.load import split as split_module
from kpt_audit.load.counties import NO_COUNTY, REFERENCE_TABLES
from kpt_audit.load.discover import discover
from kpt_audit.load.split import split_dataset
from kpt_audit.schema.tables import TABLES
from kpt_audit.synth import write_synth

PARAMS = load_params(as_of="2020-09-25")
ACCOUNT = ("ledger", "sources", "rejections", "warnings", "unknown")


def _as_parquet(folder, out):
    """The synthetic CSV tables as Parquet files of text cells (as an office's export would hold them)."""
    out.mkdir()
    for path in sorted(folder.glob("*.csv")):
        if path.stem in ("truth", "near_misses"):
            continue
        pd.read_csv(path, dtype=str, keep_default_na=False).to_parquet(out / f"{path.stem}.parquet", index=False)
    return out


def _same_dataset(whole, split):
    for attr in ACCOUNT:
        pd.testing.assert_frame_equal(getattr(whole, attr), getattr(split.account, attr))
    assert whole.extra_columns == split.account.extra_columns
    parts = [part for _, part in split.partitions()]
    for name, frame in whole.tables.items():
        if name in REFERENCE_TABLES:  # whole in the first partition, the rows they name in the others
            assert parts[0].tables[name].equals(frame)
            assert all(p.tables[name].index.isin(frame.index).all() for p in parts[1:])
            continue
        got = pd.concat([p.tables[name] for p in parts]).sort_index()
        pd.testing.assert_frame_equal(frame, got, check_index_type=False)
        origin = pd.concat([p.origin[name] for p in parts]).sort_index()
        pd.testing.assert_frame_equal(whole.origin[name], origin, check_index_type=False)
    unknown = pd.concat([p.unknown for p in parts]).drop_duplicates().sort_values(["table", "row", "column"])
    pd.testing.assert_frame_equal(whole.unknown, unknown.reset_index(drop=True))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("split")
    csv = write_synth(root / "csv", counties=5, projects=150, seed=3)
    return csv, _as_parquet(csv, root / "parquet")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_split_is_the_loaded_dataset_and_gives_its_findings(synthetic, fmt, tmp_path, monkeypatch, same_results):
    folder = synthetic[0] if fmt == "csv" else synthetic[1]
    monkeypatch.setattr(split_module, "PART_ROWS", 701)  # many parts a table, cut anywhere
    whole = load_dataset(folder, params=PARAMS)
    split = split_for_checks(folder, tmp_path / "store", PARAMS, rows=300)
    assert len(split.groups) >= 3 and all(len(g) for g in split.groups)
    assert split.buckets[("payments", "payee_id")] > 1 and split.buckets[("bids", "bidder_id")] > 1
    assert split.buckets[("tenders", "buyer")] == split.buckets[("contracts", "buyer")] > 1
    _same_dataset(whole, split)
    personal = split.distinct_values({"bids": ("bond_account",), "suppliers": ("phone", "bank_account")})
    for table, columns in personal.items():  # each value once, in the order the whole table first has it
        for column in columns:
            assert list(columns[column].dropna()) == list(pd.unique(whole.tables[table][column].dropna()))
    assert len(personal["bids"]["bond_account"].dropna()) > 1
    result = run_checks(whole, PARAMS)
    assert len(result.findings) > 50
    same_results(result, run_checks_split(split, PARAMS))
    if fmt == "parquet":  # the national files a loop filters again: none kept whole, or some whole and some not
        for kept in (0, 60_000):
            monkeypatch.setattr(split_module, "KEPT_BYTES", kept)
            same_results(result, run_checks_split(split, PARAMS))


def test_a_county_is_never_cut_and_every_county_is_in_one_partition(synthetic, tmp_path):
    split = split_dataset(synthetic[1], tmp_path / "store", PARAMS, rows=1)
    counties = [c for g in split.groups for c in g]
    assert len(counties) == len(set(counties))
    whole = load_dataset(synthetic[1], params=PARAMS)
    assert set(whole.tables["projects"]["county"].dropna()) <= set(counties)
    for counties, part in split.partitions():
        assert set(part.tables["projects"]["county"].dropna()) <= set(counties)


def _table(tmp_path, name, frame):
    frame.to_parquet(tmp_path / f"{name}.parquet", index=False)


def test_parts_of_one_table_say_what_the_whole_table_says(tmp_path, monkeypatch):
    """Duplicates across parts name the first row, counting notes add up, an unknown cell and a broken link
    in a later part keep their labels and rows, a total row in the last part is rejected as such."""
    data = tmp_path / "data"
    data.mkdir()
    _table(data, "projects", pd.DataFrame({
        "project_id": [f"P{i}" for i in range(1, 7)], "project_name": list("一二三四五六"),
        "county": ["甲县", "乙县", "甲县"] * 2, "category": "gov", "status": "在建",
        "actual_start": ["2020-01-01"] * 4 + ["2021年13月1日", ""]}))   # unreadable, in the second part
    n = 12
    payments = pd.DataFrame({
        "payment_id": [f"Y{i}" for i in range(n)], "project_id": ["P1", "P2", "P3"] * 4,
        "payee_id": "S1", "date": "2020-03-01", "amount": "1000",
        "type": ["无", "-", "progress", "无", "final", "-", "progress", "final", "progress", "无", "final", "final"]})
    payments.loc[7, "payment_id"] = " Ｙ1"           # a duplicate of row 3 (once cleaned), in a later part
    payments.loc[10, "project_id"] = "P9"             # a broken link, in a later part
    payments.loc[n - 1, ["payment_id", "project_id", "payee_id", "date", "amount", "type"]] = \
        ["合计", "", "", "", "12000", ""]               # a total row at the very end
    _table(data, "payments", payments)
    monkeypatch.setattr(split_module, "PART_ROWS", 4)
    whole = load_dataset(data, params=PARAMS)
    split = split_dataset(data, tmp_path / "store", PARAMS)
    _same_dataset(whole, split)
    # of the payments' keys, only the one written twice was held while they were split
    found = next(f for f in discover(data) if f.table == "payments")
    assert len(split_module._repeated_keys(found, TABLES["payments"], None)) == 1
    rejected = split.account.rejections
    assert rejected["row"].tolist() == [8, 12]  # the duplicate and the total row (Parquet records from 1)
    assert rejected["reason"].str.contains("first at row 2").tolist() == [True, False]
    notes = split.account.ledger.set_index("table").loc["payments", "notes"]
    assert notes.count("type: ") == 1 and "type: 5 cell" in notes  # five 无/- cells over three parts, said once
    assert split.account.unknown[["table", "row", "column"]].values.tolist() == [["projects", 4, "actual_start"]]
    broken = split.account.warnings[split.account.warnings["reason"].str.contains("projects")]
    assert broken["row"].tolist() == [11] and broken["value"].tolist() == ["P9"]


def test_a_workbook_of_one_sheet_per_county_splits_as_the_loader_reads_it(tmp_path, monkeypatch):
    """Each sheet a part: rows' sheets, a duplicate naming the earlier sheet, the ledger's sheets."""
    import openpyxl

    data = tmp_path / "data"
    data.mkdir()
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in {"甲县": [["P1", "a", "甲县", "2020-01-01"], ["P2", "b", "甲县", "2021年13月1日"]],
                        "乙县": [["P3", "c", "乙县", ""], ["P1", "dup", "乙县", ""]]}.items():
        sheet = book.create_sheet(title)
        sheet.append(["项目编码", "项目名称", "县区", "实际开工日期"])
        for row in rows:
            sheet.append(row)
    book.save(data / "项目台账.xlsx")
    _table(data, "payments", pd.DataFrame({"payment_id": ["Y1", "Y2"], "project_id": ["P3", "P9"], "payee_id": "S1",
                                           "date": "2020-03-01", "amount": "1000"}))
    whole = load_dataset(data, params=PARAMS)
    split = split_dataset(data, tmp_path / "store", PARAMS)
    _same_dataset(whole, split)
    assert whole.origin["projects"]["sheet"].tolist() == ["甲县", "甲县", "乙县"]
    assert split.account.rejections["reason"].tolist() == ["duplicate key project_id; first at row 2 of sheet '甲县'"]
    assert split.account.sources.set_index("table").loc["projects", "sheet"] == "甲县、乙县"


def test_a_row_of_a_county_no_project_names_gets_a_partition_and_rows_of_no_county_one_too(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _table(data, "projects", pd.DataFrame({"project_id": ["P1"], "project_name": ["一"], "county": ["甲县"],
                                           "category": ["gov"], "status": ["在建"]}))
    _table(data, "tenders", pd.DataFrame({"tender_id": ["T1", "T2"], "project_id": ["P1", ""],
                                          "county": ["乙县", "丙县"], "buyer": "某局", "kind": "works",
                                          "method": "open"}))
    _table(data, "payments", pd.DataFrame({"payment_id": ["Y1", "Y2"], "project_id": ["P1", "P9"], "payee_id": "S",
                                           "date": "2020-01-01", "amount": "1"}))
    split = split_dataset(data, tmp_path / "store", PARAMS, rows=1)
    where = {i: counties for counties, part in split.partitions()
             for table, key in (("tenders", "tender_id"), ("payments", "payment_id")) for i in part.tables[table][key]}
    # the project's county before the tender's own; a county no project names; a payment of no known project
    assert "甲县" in where["T1"] and where["Y1"] == where["T1"] and "乙县" not in where["T1"]
    assert where["T2"] == ("丙县",) and NO_COUNTY in where["Y2"]

def test_a_contract_is_bucketed_with_its_buyer_the_tenders_buyer_else_its_projects_department(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _table(data, "projects", pd.DataFrame({"project_id": ["P1", "P2", "P3"], "project_name": ["一", "二", "三"],
                                           "county": ["甲县", "乙县", "丙县"], "department": ["局甲", "局乙", " "],
                                           "category": "gov", "status": "在建"}))
    _table(data, "tenders", pd.DataFrame({"tender_id": ["T1", "T2", "T3"], "project_id": ["P2", "P1", "P3"],
                                          "county": ["乙县", "甲县", "丙县"], "buyer": ["局甲", " ", "局丙"],
                                          "kind": "works", "method": "open"}))
    # C1: its tender's buyer (局甲), though its project is 乙县's; C2: its tender is not loaded (a tender without a
    # buyer is refused), so its project's department (局甲); C3: no tender, its project's department (局乙); C4: a
    # tender not in the data, so its project's department, which is blank: no buyer, in no bucket
    _table(data, "contracts", pd.DataFrame({"contract_id": ["C1", "C2", "C3", "C4"], "project_id": ["P2", "P1", "P2", "P3"],
                                            "tender_id": ["T1", "T2", "", "T9"], "supplier_id": "S1",
                                            "sign_date": "2020-01-01", "amount": "1"}))
    split = split_dataset(data, tmp_path / "store", PARAMS, rows=1, buckets={"tenders": "buyer", "contracts": "buyer"},
                          from_parents={("contracts", "buyer"): (("tender_id", "tenders", "buyer"),
                                                                 ("project_id", "projects", "department"))})
    assert set(split.account.rejections["reason"]) == {"required value missing"}  # T2
    count = split.buckets[("tenders", "buyer")]
    assert count == split.buckets[("contracts", "buyer")] == 7  # 7 rows, 1 a bucket
    columns = {"contracts": ("contract_id", "project_id", "tender_id"), "tenders": ("tender_id", "buyer"),
               "projects": ("project_id",)}
    views = [v.tables for v in split.bucket_views(columns, {"tenders": "buyer", "contracts": "buyer"})]
    where = {c: i for i, v in enumerate(views) for c in v["contracts"]["contract_id"]}
    assert "C4" not in where and len(where) == 3
    bucket = dict(zip(["局甲", "局乙", "局丙"], split_module._bucket_of(pd.Series(["局甲", "局乙", "局丙"]), count)))
    assert where["C1"] == where["C2"] == bucket["局甲"] and where["C3"] == bucket["局乙"]
    assert {t: i for i, v in enumerate(views) for t in v["tenders"]["tender_id"]} == {"T1": bucket["局甲"],
                                                                                       "T3": bucket["局丙"]}
    assert set(views[where["C1"]]["projects"]["project_id"]) >= {"P1", "P2"}  # the projects they name


def test_the_input_is_only_read_and_the_store_is_made_anew(synthetic, tmp_path):
    before = {p.name: p.read_bytes() for p in synthetic[1].iterdir()}
    store = tmp_path / "store"
    store.mkdir()
    (store / "left over.txt").write_text("x")
    split_dataset(synthetic[1], store, PARAMS)
    assert not (store / "left over.txt").exists()
    assert {p.name: p.read_bytes() for p in synthetic[1].iterdir()} == before


def test_held_keys_find_each_key_among_many_and_a_missing_key_nowhere():
    held = split_module._Keys()
    keys = pd.DataFrame({"k": [f"K{i}" for i in range(5000)], "m": "x"})
    held.add(keys.iloc[:2500], np.arange(2500) + 2)
    held.add(keys.iloc[2500:4000], np.arange(2500, 4000) + 2)
    later = pd.DataFrame({"k": ["K10", "K3999", "K4000", "new", None], "m": "x"}, index=[7, 8, 9, 10, 11])
    labels, first = held.earlier(later)
    assert labels.tolist() == [7, 8] and first.tolist() == [12, 4001]
    one = split_module._Keys()
    one.add(keys["k"].iloc[:4000], np.arange(4000))
    assert one.find(pd.Series(["K0", None, "K4999", "K3999"], dtype="str")).tolist() == [0, -1, -1, 3999]


def test_an_unreadable_parquet_file_is_refused_as_the_loader_refuses_it(tmp_path):
    from kpt_audit.errors import LoadError

    data = tmp_path / "data"
    data.mkdir()
    _table(data, "projects", pd.DataFrame({"project_id": ["P1"], "project_name": ["一"], "county": ["甲县"],
                                           "category": ["gov"], "status": ["在建"]}))
    (data / "payments.parquet").write_bytes(b"PAR1 not really parquet")
    with pytest.raises(LoadError) as loaded:
        load_dataset(data, params=PARAMS)
    with pytest.raises(LoadError) as split:
        split_dataset(data, tmp_path / "store", PARAMS)
    for said in (str(loaded.value), str(split.value)):  # the same message, pyarrow's reason within it
        assert said.startswith("payments.parquet: cannot be read as a parquet file (ArrowInvalid")
        assert "magic bytes not found" in said


def test_reading_ahead_keeps_the_order_reads_one_ahead_only_and_passes_an_error_on():
    read = []

    def items():
        for i in range(5):
            read.append(i)
            if i == 3:
                raise ValueError("unreadable partition 3")
            yield i

    got = split_module._read_ahead(items())
    assert next(got) == 0
    waited = time.monotonic() + 30
    while len(read) < 2 and time.monotonic() < waited:  # the next one is read while the caller works on this one
        time.sleep(0.01)
    time.sleep(0.05)
    assert read == [0, 1]  # ... and no further
    assert [next(got), next(got)] == [1, 2]
    with pytest.raises(ValueError, match="partition 3"):
        next(got)


def test_a_split_judges_the_yuan_thresholds_on_the_whole_data_s_currencies(synthetic, tmp_path, same_results):
    folder = tmp_path / "d"
    shutil.copytree(synthetic[0], folder)
    tenders = pd.read_csv(folder / "tenders.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    one = sorted(tenders["county"].unique())[0]
    tenders["currency"] = ["USD" if c == one else "CNY" for c in tenders["county"]]
    tenders.to_csv(folder / "tenders.csv", index=False, encoding="utf-8-sig")
    whole = run_checks(load_dataset(folder, params=PARAMS), PARAMS)
    assert {"PRO01", "PRO02", "PRO16"} <= set(whole.not_run.loc[whole.not_run["reason"].str.contains("not in CNY"),
                                                                "check_id"])
    same_results(whole, run_checks_split(split_for_checks(folder, tmp_path / "store", PARAMS, rows=300), PARAMS))
