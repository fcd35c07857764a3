"""JSON Lines of compiled releases read and mapped in Arrow (kpt_audit.ocds.native): the same tables,
rejections, warnings, ledger and indicators as release by release in Python, and the Python way for
anything Arrow's schema does not fit."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.ocds.indicators import Extractor, Settings, compute_from_columns, drop_releases
from kpt_audit.ocds.mapping import CountyMap, load_ocds, native_mapper
from kpt_audit.ocds.reader import ReadLog, _Reader

from test_mapping import party, process

PREPARED = (Path(__file__).resolve().parents[3] / "shared" / "data" / "ocds-prepared")


def read_both(path, counties=None):
    """(Python, Arrow) results of one path: dataset, indicators, read log."""
    out = []
    for native in (False, True):
        log, extractor = ReadLog(), Extractor(Settings().excluded_details)
        ds = load_ocds(path, counties, log, extractor=extractor, native=native)
        indicators = compute_from_columns(drop_releases(extractor.finish(), log.replaced), Settings(), meta=True)
        out.append((ds, indicators, log))
    return out


def same_reading(one, other, one_indicators, other_indicators) -> None:
    """Two readings' datasets (tables with their types, rejections, warnings, ledger) and indicators equal."""
    assert sorted(one.tables) == sorted(other.tables)
    for name in one.tables:
        pd.testing.assert_frame_equal(one.tables[name], other.tables[name], obj=name)
    for part in ("rejections", "warnings", "ledger"):
        pd.testing.assert_frame_equal(getattr(one, part), getattr(other, part), obj=part)
    assert one_indicators == other_indicators


def assert_same(path, counties=None):
    (py, py_ind, py_log), (ar, ar_ind, ar_log) = read_both(path, counties)
    same_reading(py, ar, py_ind, ar_ind)
    assert (py_log.processes, py_log.errors, py_log.duplicates, py_log.warnings) == \
        (ar_log.processes, ar_log.errors, ar_log.duplicates, ar_log.warnings)
    return py, py_ind


def taken_in_arrow(path: Path) -> bool:
    reader = _Reader(path, ReadLog(), native_mapper(None))
    return reader._read_native(path, path.name) is not None


def write_lines(path: Path, releases) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in releases), encoding="utf-8")
    return path


@pytest.mark.skipif(not PREPARED.exists(), reason="shared OCDS samples not available")
@pytest.mark.parametrize("name", sorted(p.name for p in PREPARED.glob("*.jsonl")) if PREPARED.exists() else [])
def test_real_samples_give_the_same_results_either_way(name):
    assert_same(PREPARED / name)


@pytest.mark.skipif(not PREPARED.exists(), reason="shared OCDS samples not available")
def test_real_samples_of_plain_types_are_read_in_arrow():
    taken = {p.name for p in PREPARED.glob("*.jsonl") if taken_in_arrow(p)}
    # OCDS 1.0 (montreal, grupo-aeroportuario) and 1.1 publishers whose types fit the schema
    assert {"canada-montreal.jsonl", "mexico-grupo-aeroportuario.jsonl", "uk-contracts-finder.jsonl",
            "ukraine.jsonl"} <= taken
    # an amount written as text (moldova), awards as one object (taiwan): the Python reader's
    assert not taken & {"moldova.jsonl", "taiwan.jsonl"}


def variants() -> list[dict]:
    """Compiled releases covering the mapping's rules: lots, OCDS 1.0 organisations, contracts without
    an award, 1.0 transactions, a process without buyer or tender, blank texts, a cancelled tender."""
    base = process("ocds-abcdef-1")
    lots = process("ocds-abcdef-2")
    lots["awards"] = [
        {"id": "A1", "status": "active", "date": "2021-01-22", "suppliers": [{"id": "S1"}],
         "value": {"amount": 500, "currency": "CNY"}},
        {"id": "A2", "status": "active", "date": "2021-01-20", "suppliers": [{"id": "S2"}, {"id": "S3"}],
         "value": {"amount": 700, "currency": "USD"}},
        {"id": "A3", "status": "active", "suppliers": [{"id": "S1"}], "value": {"amount": 300}},
        {"id": "A4", "status": "pending", "suppliers": [{"id": "S9", "name": "九号"}]}]
    lots["contracts"] = [{"id": "C1", "awardID": "A2", "dateSigned": "2021-02-01", "value": {"amount": 5}},
                         {"awardID": "missing", "dateSigned": "2021-02-02", "value": {"amount": 6},
                          "suppliers": [{"id": "OWN", "name": "自有", "address": {"region": "乙县"}}]}]
    old = {  # OCDS 1.0: organisations in place, no parties, transactions with ``amount``
        "ocid": "10", "id": "10-1", "date": "2020-05-01", "tag": ["compiled"],
        "buyer": {"name": " 机场 ", "identifier": {"id": "GOV-1", "legalName": "机场公司"}},
        "tender": {"procuringEntity": {"name": "机场采购部", "identifier": {"id": "GOV-2"}},
                   "procurementMethod": "limited", "procurementMethodDetails": "Single source",
                   "tenderers": [{"name": "甲", "identifier": {"id": "T1"}}, {"name": "乙", "identifier": {"id": "T2"}}]},
        "awards": [{"id": "1", "status": "active", "suppliers": [{"name": "甲", "identifier": {"id": "T1"},
                                                                  "contactPoint": {"telephone": " 555 "}}],
                    "value": {"amount": 10.5, "currency": "MXN"}},
                   {"id": "2", "suppliers": [{"name": "甲", "identifier": {"id": "T1"},
                                              "address": {"streetAddress": "一路", "countryName": "MX"}}]}],
        "contracts": [{"id": "K", "dateSigned": "2020-06-01", "value": {"amount": 10.5, "currency": "MXN"},
                       "implementation": {"transactions": [
                           {"id": "1", "date": "2020-07-01", "amount": {"amount": 3, "currency": "MXN"},
                            "receiverOrganization": {"id": "T1"}},
                           {"date": "2020-08-01", "value": {"amount": 4}}]}}]}
    bare = {"ocid": "ocds-abcdef-3", "id": "x", "date": "2022-01-01", "tag": ["compiled"],  # bids and awards only
            "bids": {"details": [{"id": "1", "status": "valid", "value": {"amount": 5, "currency": "CNY"},
                                  "tenderers": [{"id": "A"}, {"id": "B"}]},
                                 {"id": "2", "status": "Qualified", "value": {"amount": 6, "currency": "CNY"}},
                                 {"id": "3", "status": "odd", "tenderers": []}]},
            "awards": [{"id": "1", "status": "active", "suppliers": [{"id": "A"}],
                        "items": [{"id": "1", "classification": {"id": "123"}}]}]}
    blank = process("ocds-abcdef-4", buyer=None, planning={"budget": {"projectID": "  "}})
    blank["parties"] = [party("B", "  ", ["buyer"], "LEGAL-B", address={"region": "丙县"})] + blank["parties"][1:]
    blank["tender"] = {**blank["tender"], "title": " ", "mainProcurementCategory": "consultingServices",
                       "procurementMethod": "公开招标", "numberOfTenderers": 1}
    cancelled = copy.deepcopy(base)
    cancelled.update(ocid="ocds-abcdef-5", tender={**base["tender"], "status": "cancelled"})
    return [base, lots, old, bare, blank, cancelled]


def test_mapping_rules_give_the_same_results_either_way(tmp_path):
    path = write_lines(tmp_path / "all.jsonl", variants())
    assert taken_in_arrow(path)
    ds, indicators = assert_same(path)
    tenders = ds.tables["tenders"].set_index("tender_id")
    # lots: every winner listed; the one with the largest summed value (S1: 500 + 300) stands for them
    assert tenders.loc["ocds-abcdef-2", ["winner_id", "winners"]].tolist() == ["91A", "91A+91B+S3"]
    assert tenders.loc["10", "buyer_id"] == "GOV-1" and "ocds-abcdef-3" not in tenders.index
    assert len(ds.tables["payments"]) >= 2


def test_unregistered_ocid_prefixes_are_noted_as_the_python_reader_notes_them(tmp_path):
    releases = variants()[:2]
    releases[1] = {**releases[1], "ocid": "x-ocds-abcdef-2"}  # the prefix counts only at the start
    path = write_lines(tmp_path / "all.jsonl", releases)
    assert taken_in_arrow(path)
    ds, _ = assert_same(path)
    assert "1 ocid(s) without a registered prefix" in ds.ledger["notes"].iloc[0]


def test_county_map_gives_the_same_results_either_way(tmp_path):
    path = write_lines(tmp_path / "all.jsonl", variants())
    counties = CountyMap(buyers={"甲县交通局": "甲县", "GOV-1": "机场县"}, regions={"丙县": "丙县"})
    ds, _ = assert_same(path, counties)
    assert {"甲县", "机场县", "丙县"} <= set(ds.tables["tenders"]["county"])


@pytest.mark.parametrize("spoil", ["number id", "blank line", "copy", "not compiled", "package line", "bom"])
def test_files_arrow_does_not_fit_go_the_python_way(tmp_path, spoil):
    releases = variants()
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in releases)
    if spoil == "number id":
        releases[0]["awards"][0]["id"] = 7
    elif spoil == "copy":
        releases.append({**releases[0], "date": "2030-01-01"})
    elif spoil == "not compiled":
        releases[1]["tag"] = ["tender"]
    elif spoil == "package line":
        releases.append({"version": "1.1", "releases": [releases[0]]})
    if spoil == "blank line":
        text = text.replace("\n", "\n\n", 1)
    elif spoil == "bom":
        text = "\ufeff" + text
    else:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in releases)
    path = tmp_path / "spoilt.jsonl"
    path.write_text(text, encoding="utf-8")
    assert taken_in_arrow(path) is (spoil == "bom")  # Arrow reads past a byte-order mark, as Python does
    assert_same(path)


def test_a_later_file_copying_a_process_read_in_arrow_follows_the_copy_rule(tmp_path):
    releases = variants()
    write_lines(tmp_path / "a.jsonl", releases)
    newer = {**releases[0], "date": "2030-01-01", "tender": {**releases[0]["tender"], "title": "newer"}}
    (tmp_path / "b.json").write_text(json.dumps(newer, ensure_ascii=False), encoding="utf-8")
    ds, _ = assert_same(tmp_path)
    assert ds.tables["tenders"].set_index("tender_id").loc["ocds-abcdef-1", "title"] == "newer"
    assert ds.rejections["reason"].str.contains("a newer copy").sum() == 1


def _stages(compiled: dict) -> list[dict]:
    """A compiled release as two releases to merge: the tender, then the rest."""
    tender = {k: v for k, v in compiled.items() if k in ("ocid", "buyer", "parties", "tender")}
    rest = {k: v for k, v in compiled.items() if k not in ("tender", "tag", "id", "date")}
    return [{**tender, "id": "t", "date": "2021-01-01", "tag": ["tender"]},
            {**rest, "id": "a", "date": "2021-06-01", "tag": ["award"]}]


@pytest.mark.parametrize("fits", [True, False])
def test_merged_releases_are_mapped_in_arrow_with_the_same_results(tmp_path, monkeypatch, fits):
    from kpt_audit.ocds import native

    releases = [r for compiled in variants()[:3] for r in _stages(compiled)]
    if not fits:
        releases[-1]["awards"][0]["id"] = 1  # a number where Arrow's schema has text: release by release
    (tmp_path / "package.json").write_text(json.dumps({"version": "1.1", "releases": releases}, ensure_ascii=False),
                                           encoding="utf-8")
    batches = []
    original = native.map_batch
    monkeypatch.setattr(native, "map_batch", lambda *a, **k: batches.append(1) or original(*a, **k))
    ds, _ = assert_same(tmp_path)
    assert len(ds.tables["tenders"]) == 3 and bool(batches) is fits


def test_an_ocid_two_publishers_use_stays_two_processes_after_a_file_read_in_arrow(tmp_path):
    def compiled(publisher, title):
        return {"ocid": "10", "id": f"10-{publisher}", "date": "2020-01-01", "tag": ["compiled"],
                "packageInfo": {"publisher": {"name": publisher}}, "buyer": {"name": publisher},
                "tender": {"title": title, "procurementMethod": "open"}}

    write_lines(tmp_path / "a.jsonl", [compiled("Airport", "runway")])
    write_lines(tmp_path / "b.jsonl", [compiled("City", "school")])
    assert taken_in_arrow(tmp_path / "a.jsonl")
    ds, _ = assert_same(tmp_path)
    assert sorted(ds.tables["tenders"]["tender_id"]) == ["10", "10 [City]"]
    assert ds.warnings["reason"].str.contains("two publishers").sum() == 1


def test_a_failure_of_the_arrow_mapping_falls_back_to_the_python_mapping(tmp_path, monkeypatch, caplog):
    from kpt_audit.ocds import native

    def broken(*args, **kwargs):
        raise TypeError("a shape not handled")

    monkeypatch.setattr(native, "map_batch", broken)
    write_lines(tmp_path / "all.jsonl", variants())
    releases = [r for compiled in variants()[:2] for r in _stages(compiled)]
    (tmp_path / "package.json").write_text(json.dumps({"releases": [
        {**r, "ocid": r["ocid"] + "-merged"} for r in releases]}, ensure_ascii=False), encoding="utf-8")
    with caplog.at_level("WARNING", logger="kpt_audit.ocds"):
        ds, _ = assert_same(tmp_path)
    assert len(ds.tables["tenders"]) == 7
    assert sum("a shape not handled" in r.getMessage() for r in caplog.records) == 2  # the file, the merged batch


@pytest.mark.skipif(not PREPARED.is_dir(), reason="shared OCDS samples absent")
def test_rows_waiting_for_their_tables_spill_to_disk_unchanged(monkeypatch):
    """Past SPILL_BYTES of rows in memory, the rows wait on disk, the batches of a file read in Arrow until the
    file is known to be new processes and their rows until their table is made: the same tables, dtypes
    included, the same rejections and indicators, read in Python or in Arrow."""
    from kpt_audit.ocds import reader

    held = read_both(PREPARED)
    written, batches_on_disk = [], []
    put_on_disk, take = reader.Spill.write, reader.NativeFile.take
    monkeypatch.setattr(reader.Spill, "write", lambda self, d: written.append(put_on_disk(self, d)) or written[-1])
    monkeypatch.setattr(reader.NativeFile, "take",
                        lambda self: batches_on_disk.append(isinstance(self.batches[0].frames, tuple)) or take(self))
    monkeypatch.setattr(reader, "SPILL_BYTES", 20_000)  # a few batches' rows in memory, the rest on disk
    spilled = read_both(PREPARED)
    assert len(written) > 6 and any(batches_on_disk)
    for (ds, indicators, _), (ds_spilled, indicators_spilled, _) in zip(held, spilled):
        same_reading(ds, ds_spilled, indicators, indicators_spilled)


@pytest.mark.skipif(not PREPARED.is_dir(), reason="shared OCDS samples absent")
def test_a_file_s_batches_taken_make_room_for_the_next_file_s(tmp_path, monkeypatch):
    """The spill counts a file's mapped batches while they wait, and no longer once the tables took them: with
    room for the larger of two files' batches, neither file's go to disk."""
    from kpt_audit.ocds import reader

    folder = tmp_path / "two"
    folder.mkdir()
    names = [p.name for p in sorted(PREPARED.glob("*.jsonl")) if taken_in_arrow(p)][:2]
    for name in names:
        (folder / name).write_bytes((PREPARED / name).read_bytes())
    batches, on_disk = [], []
    kept, take = reader._Reader._kept, reader.NativeFile.take
    monkeypatch.setattr(reader._Reader, "_kept",
                        lambda self, batch: batches.append(reader._rows_bytes(batch.frames)) or kept(self, batch))
    monkeypatch.setattr(reader.NativeFile, "take",
                        lambda self: on_disk.append(isinstance(self.batches[0].frames, tuple)) or take(self))
    first = read_both(folder)[1]
    assert len(batches) == 2 and len(on_disk) == 2  # one batch a file
    on_disk.clear()
    monkeypatch.setattr(reader, "SPILL_BYTES", max(batches) + 1)  # room for one file's batches, not both
    again = read_both(folder)[1]
    assert on_disk == [False, False] and sum(batches[:2]) > max(batches) + 1
    same_reading(first[0], again[0], first[1], again[1])


def test_a_file_of_many_blocks_is_read_block_by_block_with_the_same_results(tmp_path, monkeypatch):
    """Blocks smaller than a line, and than several lines: every line is parsed once, in the file's order,
    while the next block is being parsed (the batches are mapped meanwhile); the results are the Python
    reader's."""
    import kpt_audit.ocds.native as native

    releases = variants() + [process(f"ocds-abcdef-{n}") for n in range(10, 30)]
    path = write_lines(tmp_path / "many.jsonl", releases)
    monkeypatch.setattr(native, "BLOCK_BYTES", 1500)  # lines longer than a block: read on to the line end
    sizes = [b.num_rows for b in native.batches(path)]
    assert len(sizes) > 3 and sum(sizes) == len(releases)
    ocids = [o for b in native.batches(path) for o in b.column("ocid").to_pylist()]
    assert ocids == [r["ocid"] for r in releases]
    assert taken_in_arrow(path)
    assert_same(path)


def test_a_block_that_does_not_fit_after_others_sends_the_whole_file_the_python_way(tmp_path, monkeypatch):
    import kpt_audit.ocds.native as native

    releases = [process(f"ocds-abcdef-{n}") for n in range(10, 30)]
    releases[-1]["awards"][0]["id"] = 7  # an identifier written as a number, in the last block
    path = write_lines(tmp_path / "late.jsonl", releases)
    monkeypatch.setattr(native, "BLOCK_BYTES", 1500)
    read = []
    with pytest.raises(native.Unfit):
        for batch in native.batches(path):
            read.append(batch.num_rows)
    assert read and sum(read) < len(releases)  # the blocks before it were read, and then it stopped
    assert not taken_in_arrow(path)
    assert_same(path)
