"""OCDS reader and merge: formats, versions, folders, broken input, merge rules."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kpt_audit.ocds.merge import compile_releases
from kpt_audit.ocds.reader import ReadLog, iter_releases, read_ocds

REAL = (Path(__file__).resolve().parents[3] / "shared" / "data" / "ocds-real")
PREPARED = (Path(__file__).resolve().parents[3] / "shared" / "data" / "ocds-prepared")
BROKEN = {"paraguay/sample/records/283826.json", "paraguay/sample/records/284456.json",
          "paraguay/sample/records/283906.json"}
shared = pytest.mark.skipif(not REAL.is_dir() or not PREPARED.is_dir(), reason="shared OCDS samples absent")


def write(path: Path, obj) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(obj if isinstance(obj, str) else json.dumps(obj), encoding="utf-8")
    return path


def release(ocid, rid, date, **fields):
    return {"ocid": ocid, "id": rid, "date": date, "tag": ["tender"], **fields}


# --- the shared real samples --------------------------------------------------------------------

@shared
def test_every_real_file_is_read_or_reported():
    log = ReadLog()
    releases = {r["ocid"]: (origin, r) for origin, r in read_ocds(REAL, log)}
    assert {e["file"] for e in log.errors} == BROKEN
    assert all(e["reason"] == "empty file: not JSON" and e["line"] == 1 for e in log.errors)
    json_files = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*.json")}
    assert json_files <= set(log.files)
    for account in log.files.values():
        assert account.items == account.loaded + account.rejected, account
    # the same processes as the prepared compiled releases, one each
    prepared = {json.loads(line)["ocid"] for f in PREPARED.glob("*.jsonl") for line in f.open(encoding="utf-8")}
    assert set(releases) == prepared
    assert all(r["tag"] == ["compiled"] or "compiled" in r["tag"] for _, r in releases.values())


@shared
def test_prepared_jsonl_is_read_without_errors():
    errors: list = []
    ocids = [r["ocid"] for r in iter_releases(PREPARED, errors)]
    assert errors == []
    expected = sum(1 for f in PREPARED.glob("*.jsonl") for _ in f.open(encoding="utf-8"))
    assert len(ocids) == len(set(ocids)) == expected


@shared
def test_real_release_files_of_one_process_are_merged_across_files():
    # paraguay publishes planning, tender, award and contract releases of one process as separate files
    log = ReadLog()
    got = {r["ocid"]: r for _, r in read_ocds(REAL / "paraguay", log)}
    prepared = {}
    for line in (PREPARED / "paraguay.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        prepared[r["ocid"]] = r
    assert set(got) == set(prepared)
    # these two records only link to their releases (by url): the process comes from the release files
    for ocid in ("ocds-03ad3f-284437", "ocds-03ad3f-284453"):
        r = got[ocid]
        assert sorted(a["id"] for a in r.get("awards", [])) == sorted(a["id"] for a in prepared[ocid].get("awards", []))
        assert sorted(c["id"] for c in r.get("contracts", [])) == sorted(
            c["id"] for c in prepared[ocid].get("contracts", []))
        assert r["date"] == prepared[ocid]["date"]


# --- formats -------------------------------------------------------------------------------------

def test_jsonl_bad_lines_are_reported_and_the_rest_read(tmp_path):
    lines = [json.dumps({"ocid": "a", "id": "a-1", "date": "2020-01-01", "tag": ["compiled"]}),
             "{not json",
             "",
             json.dumps([1, 2]),
             json.dumps({"hello": "world"}),
             json.dumps({"ocid": "b", "id": "b-1", "date": "2020-01-02", "tag": ["compiled"]})]
    f = write(tmp_path / "x.jsonl", "\n".join(lines) + "\n")
    log = ReadLog()
    got = [r["ocid"] for _, r in read_ocds(f, log)]
    assert got == ["a", "b"]
    assert [(e["file"], e["line"]) for e in log.errors] == [("x.jsonl", 2), ("x.jsonl", 4), ("x.jsonl", 5)]
    assert "not valid JSON" in log.errors[0]["reason"] and "not OCDS" in log.errors[2]["reason"]
    account = log.files["x.jsonl"]
    assert (account.items, account.loaded, account.rejected) == (5, 2, 3)


def test_compiled_jsonl_is_streamed(tmp_path):
    f = write(tmp_path / "big.jsonl", "\n".join(
        [json.dumps({"ocid": f"o{i}", "id": str(i), "date": "2020-01-01", "tag": ["compiled"]}) for i in range(3)]
        + ["{broken"]))
    errors: list = []
    stream = iter_releases(f, errors)
    first = next(stream)
    # the first release comes out before the reader has reached the broken last line
    assert first["ocid"] == "o0" and errors == []
    assert [r["ocid"] for r in stream] == ["o1", "o2"]
    assert len(errors) == 1 and errors[0]["line"] == 4


def test_invalid_and_non_ocds_files_are_reported(tmp_path):
    write(tmp_path / "a_bad.json", '{"releases": [')
    write(tmp_path / "b_list.json", "[1, 2]")
    write(tmp_path / "c_other.json", {"name": "not ocds"})
    write(tmp_path / "d_empty.json", "")
    (tmp_path / "e_latin1.json").write_bytes('{"ocid": "é"}'.encode("latin-1"))
    write(tmp_path / "notes.txt", "hello")
    write(tmp_path / "z_good.json", {"version": "1.1", "releases": [release("ok", "1", "2020-01-01")]})
    errors: list = []
    got = [r["ocid"] for r in iter_releases(tmp_path, errors)]
    assert got == ["ok"]
    reasons = {e["file"]: e["reason"] for e in errors}
    assert set(reasons) == {"a_bad.json", "b_list.json", "c_other.json", "d_empty.json", "e_latin1.json"}
    assert reasons["a_bad.json"].startswith("not valid JSON")
    assert reasons["b_list.json"].startswith("not OCDS") and reasons["c_other.json"].startswith("not OCDS")
    assert "UTF-8" in reasons["e_latin1.json"]


def test_missing_path_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        list(iter_releases(tmp_path / "nope", []))


def test_release_without_ocid_is_reported_with_its_position(tmp_path):
    f = write(tmp_path / "p.json", {"releases": [release("x", "1", "2020-01-01"), {"id": "2", "date": "2020"}]})
    errors: list = []
    assert [r["ocid"] for r in iter_releases(f, errors)] == ["x"]
    assert errors == [{"file": "p.json", "line": 2, "reason": "release without ocid"}]


# --- records ---------------------------------------------------------------------------------

def test_record_package_uses_compiled_release_else_merges_its_releases(tmp_path):
    compiled = {"ocid": "r1", "id": "r1-x", "date": "2020-02-01", "tag": ["compiled"], "tender": {"title": "C"}}
    package = {"version": "1.1", "records": [
        {"ocid": "r1", "releases": [release("r1", "1", "2020-01-01", tender={"title": "old"})],
         "compiledRelease": compiled},
        {"ocid": "r2", "releases": [release("r2", "1", "2020-01-01", tender={"title": "first", "id": "t"}),
                                    release("r2", "2", "2020-03-01", tender={"title": "second"})]},
    ]}
    f = write(tmp_path / "records.json", package)
    got = {r["ocid"]: r for r in iter_releases(f, [])}
    assert got["r1"] is not None and got["r1"]["tender"] == {"title": "C"}
    assert got["r2"]["tender"] == {"title": "second", "id": "t"}
    assert got["r2"]["id"] == "r2-2020-03-01" and got["r2"]["tag"] == ["compiled"]


def test_record_with_linked_releases_only(tmp_path):
    write(tmp_path / "a" / "records.json", {"records": [
        {"ocid": "linked", "releases": [{"url": "http://x/1.json", "date": "2020-01-01", "tag": ["tender"]}]},
        {"ocid": "lost", "releases": [{"url": "http://x/2.json", "date": "2020-01-01", "tag": ["tender"]}]}]})
    write(tmp_path / "b" / "release.json", release("linked", "1", "2020-01-01", tender={"title": "T"}))
    log = ReadLog()
    got = {r["ocid"]: r for _, r in read_ocds(tmp_path, log)}
    assert got["linked"]["tender"]["title"] == "T" and "lost" not in got
    assert [e["reason"] for e in log.errors] == [
        "record lost: no compiledRelease, and its releases are links (url) to files that are not here"]
    assert log.files["a/records.json"].items == 2 and log.files["a/records.json"].loaded == 1


def test_records_come_before_releases_of_the_same_process(tmp_path):
    write(tmp_path / "records" / "r.json", {"ocid": "p", "compiledRelease": {"ocid": "p", "tender": {"title": "rec"}}})
    write(tmp_path / "releases" / "r.json", release("p", "1", "2020-01-01", tender={"title": "rel"}))
    log = ReadLog()
    got = [(o.file, r["tender"]["title"]) for o, r in read_ocds(tmp_path, log)]
    assert got == [("records/r.json", "rec")]
    assert log.errors == [] and log.duplicates[0]["file"] == "releases/r.json"
    assert log.files["releases/r.json"].rejected == 1


# --- merge rules -----------------------------------------------------------------------------

def test_merge_rules():
    first = release("m", "1", "2020-01-01", tender={"id": "t", "title": "Old", "status": "active",
                                                    "items": [{"id": "1", "quantity": 1}, {"id": "2", "quantity": 2}],
                                                    "submissionMethod": ["written"],
                                                    "documents": [{"title": "no id"}]},
                    buyer={"name": "B"})
    second = release("m", "2", "2020-02-01", tender={"title": "New", "status": None,
                                                     "items": [{"id": "2", "quantity": 5}, {"id": "3"}],
                                                     "submissionMethod": ["electronicSubmission"],
                                                     "documents": [{"title": "other"}]})
    # given out of order: the later date wins whatever the input order
    compiled = compile_releases([second, first])
    t = compiled["tender"]
    assert t["title"] == "New" and "status" not in t and t["id"] == "t"
    assert t["items"] == [{"id": "1", "quantity": 1}, {"id": "2", "quantity": 5}, {"id": "3"}]
    assert t["submissionMethod"] == ["electronicSubmission"]
    assert t["documents"] == [{"title": "other"}]
    assert compiled["buyer"] == {"name": "B"}
    assert compiled["id"] == "m-2020-02-01" and compiled["date"] == "2020-02-01" and compiled["tag"] == ["compiled"]
    assert first["tender"]["title"] == "Old"  # inputs untouched


def test_merge_ids_compare_as_text_and_empty_array_adds_nothing():
    a = release("m", "1", "2020-01-01", awards=[{"id": 1, "status": "pending"}])
    b = release("m", "2", "2020-01-02", awards=[{"id": "1", "status": "active"}])
    c = release("m", "3", "2020-01-03", awards=[])
    # one award, merged; its id is a literal like any other field, so the later spelling stays
    assert compile_releases([a, b, c])["awards"] == [{"id": "1", "status": "active"}]


def test_release_packages_across_files_and_versions(tmp_path):
    # OCDS 1.0 package (no version) and the same release again in 1.1: the 1.1 copy is used
    write(tmp_path / "a.json", {"releases": [
        release("p", "r1", "2020-01-01", buyer={"name": "Old name"}, tender={"id": "t", "title": "A"})]})
    write(tmp_path / "b.json", {"version": "1.1", "releases": [
        release("p", "r1", "2020-01-01", buyer={"id": "b1", "name": "Buyer"}, tender={"id": "t", "title": "A"}),
        release("p", "r2", "2020-05-01", tender={"title": "B"})]})
    log = ReadLog()
    got = list(read_ocds(tmp_path, log))
    assert len(got) == 1
    origin, compiled = got[0]
    assert origin.file == "b.json"  # the file of the latest release
    assert compiled["buyer"] == {"id": "b1", "name": "Buyer"} and compiled["tender"] == {"id": "t", "title": "B"}
    assert [d["file"] for d in log.duplicates] == ["a.json"]
    assert "also given in OCDS 1.1" in log.duplicates[0]["reason"]


# --- copies of one release or process (issue 15) -----------------------------------------------------

def test_a_newer_copy_of_a_release_wins_whatever_its_version(tmp_path):
    # paraguay's case: the OCDS 1.0 copy is a month newer, with changed content; then a tie on the date
    write(tmp_path / "a_11.json", {"version": "1.1", "releases": [
        release("p", "r1", "2020-01-01", tender={"title": "old"}),
        release("q", "s1", "2020-03-01", tender={"title": "1.1 copy"})]})
    write(tmp_path / "b_10.json", {"releases": [
        release("p", "r1", "2020-02-01", tender={"title": "corrected"}),
        release("q", "s1", "2020-03-01", tender={"title": "1.0 copy"})]})
    log = ReadLog()
    got = {r["ocid"]: r for _, r in read_ocds(tmp_path, log)}
    assert got["p"]["tender"]["title"] == "corrected"  # newest by date, though OCDS 1.0
    assert got["q"]["tender"]["title"] == "1.1 copy"  # same date: the newer version
    reasons = {(d["file"], d["line"]): d["reason"] for d in log.duplicates}
    assert set(reasons) == {("a_11.json", 1), ("b_10.json", 2)}
    assert "newer: 2020-02-01 against 2020-01-01" in reasons[("a_11.json", 1)]
    assert "same date, OCDS 1.1 against 1.0" in reasons[("b_10.json", 2)]
    for account in log.files.values():
        assert account.items == account.loaded + account.rejected == 2 and account.rejected == 1


def test_compiled_copies_follow_the_same_rule_and_the_older_is_dropped_downstream(tmp_path):
    from kpt_audit.ocds.mapping import load_ocds

    def compiled(date, title, version=None):
        r = {"ocid": "c", "id": f"c-{date}", "date": date, "tag": ["compiled"], "buyer": {"name": "Buyer"},
             "tender": {"title": title, "procurementMethod": "open"},
             "awards": [{"id": "1", "status": "active", "suppliers": [{"id": f"S-{title}", "name": title}]}]}
        return {**r, "version": version} if version else r

    # the 1.0 copy comes first in path order and is older: the 1.1 copy read after it replaces it
    write(tmp_path / "a.jsonl", json.dumps(compiled("2020-01-01", "stale")) + "\n")
    write(tmp_path / "b.jsonl", json.dumps(compiled("2020-06-01", "current", "1.1")) + "\n"
          + json.dumps(compiled("2020-06-01", "same again", "1.1")) + "\n")
    log = ReadLog()
    got = list(read_ocds(tmp_path, log))
    assert [r["tender"]["title"] for _, r in got] == ["stale", "current"]  # both given out, as read
    assert log.replaced == {got[0][0].seq} and log.processes == 1
    assert [d["file"] for d in log.duplicates] == ["a.jsonl", "b.jsonl"]
    assert "newer copy (2020-06-01, OCDS 1.1) read from b.jsonl is used" in log.duplicates[0]["reason"]
    ds = load_ocds(tmp_path)
    assert ds.tables["tenders"]["title"].tolist() == ["current"]
    assert ds.tables["suppliers"]["supplier_id"].tolist() == ["S-current"]  # the stale copy's supplier is gone
    ledger = ds.ledger.set_index("file")
    assert ledger.loc["a.jsonl", ["rows_in", "rows_loaded", "rows_rejected"]].tolist() == [1, 0, 1]
    assert ledger.loc["b.jsonl", ["rows_in", "rows_loaded", "rows_rejected"]].tolist() == [2, 1, 1]


def test_one_ocid_from_two_publishers_is_two_processes_with_a_warning(tmp_path):
    from kpt_audit.ocds.mapping import load_ocds

    def package(publisher, title):
        return {"version": "1.1", "publisher": {"name": publisher}, "releases": [
            release("10", "1", "2020-01-01", buyer={"name": publisher}, tender={"title": title})]}

    write(tmp_path / "a.json", package("Airport", "runway"))
    write(tmp_path / "b.json", package("City", "school"))
    # a release of the same ocid without a publisher name joins the publisher read with it
    write(tmp_path / "c.json", release("10", "2", "2020-02-01", tender={"title": "runway, lot 2"}))
    log = ReadLog()
    got = {r["ocid"]: r for _, r in read_ocds(tmp_path, log)}
    assert {o: r["tender"]["title"] for o, r in got.items()} == {"10": "runway, lot 2", "10 [City]": "school"}
    assert len(log.warnings) == 1 and log.warnings[0]["file"] == "b.json"
    # the first process is named by the file of its latest release
    assert "ocid 10 is used by two publishers, Airport (c.json) and City" in log.warnings[0]["reason"]
    ds = load_ocds(tmp_path)
    assert sorted(ds.tables["tenders"]["tender_id"]) == ["10", "10 [City]"]
    assert ds.warnings["reason"].str.contains("two publishers").sum() == 1
    # "10" has no registered prefix: noted in the data-quality ledger, on each process's file
    notes = ds.ledger.set_index("file")["notes"]
    assert all("1 ocid(s) without a registered prefix" in notes[f] for f in ("b.json", "c.json"))


def test_registered_prefixes_are_not_noted(tmp_path):
    from kpt_audit.ocds.mapping import load_ocds

    write(tmp_path / "x.jsonl", json.dumps({"ocid": "ocds-213czf-1", "tag": ["compiled"], "date": "2020-01-01"})
          + "\n" + json.dumps({"ocid": "OCDS-87SD3T-2", "tag": ["compiled"], "date": "2020-01-01"}) + "\n")
    assert "registered prefix" not in load_ocds(tmp_path).ledger["notes"].iloc[0]


def test_a_release_without_a_date_is_reported_not_sorted_first(tmp_path):
    write(tmp_path / "p.json", {"version": "1.1", "releases": [
        release("d", "1", "2020-01-01", tender={"title": "dated", "status": "active"}),
        {"ocid": "d", "id": "2", "tag": ["tenderUpdate"], "tender": {"title": "undated"}},
        {"ocid": "n", "id": "1", "tag": ["tender"], "tender": {"title": "first"}},
        {"ocid": "n", "id": "2", "tag": ["tenderUpdate"], "tender": {"title": "second"}}]})
    log = ReadLog()
    got = {r["ocid"]: r for _, r in read_ocds(tmp_path, log)}
    # sorted first, the undated release would have been overridden; it is not merged, and said so
    assert got["d"]["tender"] == {"title": "dated", "status": "active"}
    assert [(e["line"], e["reason"]) for e in log.errors] == [
        (2, "release 2 of d has no date: its place among the process's 1 dated release(s) is unknown, "
            "so it is not merged")]
    # no release of the process has a date: merged in the order read, with a warning
    assert got["n"]["tender"]["title"] == "second" and "date" not in got["n"]
    assert [w["reason"] for w in log.warnings] == [
        "no release of n has a date: its 2 release(s) merged in the order read"]
    assert log.files["p.json"].items == 4 and log.files["p.json"].rejected == 1


def test_releases_waiting_to_be_merged_spill_to_disk_unchanged(tmp_path, monkeypatch):
    from kpt_audit.ocds import reader

    releases = [release(f"o{k % 7}", f"r{k}", f"2020-01-{k % 28 + 1:02d}", tender={"title": f"t{k}", "id": "t"},
                        awards=[{"id": str(k % 3), "status": "active", "value": {"amount": k}}]) for k in range(60)]
    releases.append(release("big", "1", "2020-01-01", tender={"value": {"amount": 2 ** 70}}))  # beyond 64 bits
    write(tmp_path / "p.json", {"version": "1.1", "releases": releases})
    in_memory = [r for _, r in read_ocds(tmp_path, ReadLog())]
    monkeypatch.setattr(reader, "SPILL_BYTES", 500)  # the first few in memory, the rest in a temporary file
    held, written = [], []
    holds, put_on_disk = reader.Spill.holds, reader.Spill.write
    monkeypatch.setattr(reader.Spill, "holds", lambda self, n: held.append(holds(self, n)) or held[-1])
    monkeypatch.setattr(reader.Spill, "write", lambda self, d: written.append(put_on_disk(self, d)) or written[-1])
    spilled = [r for _, r in read_ocds(tmp_path, ReadLog())]
    # the first few held, then written once they no longer fit beside them (nothing leaves before the merge)
    assert held[0] and not held[-1] and len(written) == held.count(False)
    assert spilled == in_memory and len(spilled) == 8
    assert next(r for r in spilled if r["ocid"] == "big")["tender"]["value"]["amount"] == 2 ** 70


# --- large .json packages, read item by item ------------------------------------------------------

def _read_all(path, stream: bool, monkeypatch):
    from kpt_audit.ocds import reader
    from kpt_audit.ocds.mapping import load_ocds

    monkeypatch.setattr(reader, "STREAM_BYTES", 0 if stream else 1 << 62)
    streamed = []
    original = reader._Reader._stream_package

    def counted(self, file, name):
        done = yield from original(self, file, name)
        streamed.append(done)
        return done

    monkeypatch.setattr(reader._Reader, "_stream_package", counted)
    log = ReadLog()
    return load_ocds(path, log=log), log, sum(streamed)


@shared
def test_streamed_packages_read_as_parsed_whole(monkeypatch):
    import pandas as pd

    count = 0
    for sample in sorted(p for p in REAL.iterdir() if p.is_dir()):
        whole, whole_log, _ = _read_all(sample, False, monkeypatch)
        streamed, log, streamed_files = _read_all(sample, True, monkeypatch)
        count += streamed_files
        for name in whole.tables:
            pd.testing.assert_frame_equal(whole.tables[name], streamed.tables[name], obj=f"{sample.name} {name}")
        for part in ("rejections", "warnings", "ledger"):
            pd.testing.assert_frame_equal(getattr(whole, part), getattr(streamed, part), obj=f"{sample.name} {part}")
        assert (whole_log.processes, whole_log.replaced) == (log.processes, log.replaced)
    # packages are streamed; records whose compiledRelease follows their releases are not mistaken for one
    assert count > 0


def test_streamed_package_takes_metadata_written_after_its_releases(tmp_path, monkeypatch):
    releases = [release("ocds-1", "a", "2020-01-01", buyer={"name": "B"}, tender={"title": "x"}),
                release("ocds-1", "a", "2020-01-01", buyer={"name": "B"}, tender={"title": "y"})]
    # an object after the releases (a record's compiledRelease would be one): not streamed, read whole
    write(tmp_path / "a.json", {"uri": "u", "releases": releases[1:], "version": "1.1", "publisher": {"name": "P"}})
    whole, _, _ = _read_all(tmp_path, False, monkeypatch)
    again, _, count = _read_all(tmp_path, True, monkeypatch)
    assert count == 0 and whole.tables["tenders"]["title"].tolist() == again.tables["tenders"]["title"].tolist()
    # an array last: streamed, and the version written after the releases found by a scan of the file
    write(tmp_path / "a.json", {"releases": releases[1:], "version": "1.1", "extensions": []})
    write(tmp_path / "b.json", {"releases": releases[:1]})  # the same release in OCDS 1.0 (no version)
    streamed, log, count = _read_all(tmp_path, True, monkeypatch)
    assert count == 2 and streamed.tables["tenders"]["title"].tolist() == ["y"]
    assert "same date, OCDS 1.1 against 1.0" in log.duplicates[0]["reason"]


def test_streamed_package_broken_part_way_keeps_what_was_read(tmp_path, monkeypatch):
    good = [release(f"ocds-{i}", "a", "2020-01-01", buyer={"name": "B"}, tender={"title": str(i)}) for i in range(3)]
    text = json.dumps({"version": "1.1", "releases": good})
    text = text.replace('{"ocid": "ocds-2"', '{"ocid": "ocds-2" "broken": 1, ', 1)
    write(tmp_path / "p.json", text)
    ds, log, count = _read_all(tmp_path, True, monkeypatch)
    assert count == 1 and sorted(ds.tables["tenders"]["title"]) == ["0", "1"]
    assert log.errors[0]["line"] == 3 and "not valid JSON at releases item 3" in log.errors[0]["reason"]


def test_a_full_temporary_folder_is_named_with_what_to_do(tmp_path, monkeypatch):
    from kpt_audit.errors import KptAuditError
    from kpt_audit.ocds import reader

    releases = [release(f"o{k % 3}", f"r{k}", f"2020-01-{k + 1:02d}", tender={"title": f"t{k}"}) for k in range(9)]
    write(tmp_path / "p.json", {"version": "1.1", "releases": releases})
    monkeypatch.setattr(reader, "SPILL_BYTES", 0)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reader.tempfile, "TemporaryFile", full)
    with pytest.raises(KptAuditError) as raised:
        list(read_ocds(tmp_path, ReadLog()))
    assert "No space left on device" in raised.value.text("en") and "TMPDIR" in raised.value.text("en")
    assert reader.tempfile.gettempdir() in raised.value.text("zh")
