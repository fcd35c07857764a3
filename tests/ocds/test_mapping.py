"""Mapping compiled OCDS releases onto the canonical tables, and the catalogue's checks on them."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import kpt_audit as ka
from kpt_audit.ocds.mapping import CountyMap, load_ocds, map_method, map_releases
from kpt_audit.ocds.reader import Origin

REAL = (Path(__file__).resolve().parents[3] / "shared" / "data" / "ocds-real")


def party(pid, name, roles, legal_id=None, **extra):
    p = {"id": pid, "name": name, "roles": roles, **extra}
    if legal_id:
        p["identifier"] = {"scheme": "CN-USCC", "id": legal_id}
    return p


def process(ocid="ocds-1", currency="CNY", **over):
    """A compiled release with a tender, three bids, an award, a contract and two payments."""
    r = {
        "ocid": ocid, "id": f"{ocid}-2021", "date": "2021-06-01", "tag": ["compiled"],
        "buyer": {"id": "B", "name": "甲县交通局"},
        "parties": [party("B", "甲县交通局", ["buyer"], address={"region": "甲县"}),
                    party("P", "甲县公共资源交易中心", ["procuringEntity"]),
                    party("S1", "一号公司", ["tenderer", "supplier"], "91A", address={"locality": "甲县"},
                          contactPoint={"telephone": "123"}),
                    party("S2", "二号公司", ["tenderer"], "91B"),
                    party("S3", "三号公司", ["tenderer"])],
        "tender": {"id": "T-1", "title": "道路维修", "procurementMethod": "open",
                   "mainProcurementCategory": "works", "procuringEntity": {"id": "P", "name": "甲县公共资源交易中心"},
                   "value": {"amount": 1_000_000, "currency": currency},
                   "tenderPeriod": {"startDate": "2021-01-01T09:00:00+08:00", "endDate": "2021-01-11T09:00:00+08:00"}},
        "bids": {"details": [
            {"id": "b1", "tenderers": [{"id": "S1"}], "value": {"amount": 900_000, "currency": currency}, "status": "valid"},
            {"id": "b2", "tenderers": [{"id": "S2"}], "value": {"amount": 800_000, "currency": currency},
             "status": "disqualified"},
            {"id": "b3", "tenderers": [{"id": "S3"}], "value": {"amount": 950_000, "currency": currency},
             "status": "withdrawn"}]},
        "awards": [{"id": "A1", "status": "active", "date": "2021-01-20", "suppliers": [{"id": "S1"}],
                    "value": {"amount": 900_000, "currency": currency}},
                   {"id": "A0", "status": "cancelled", "date": "2021-01-15", "suppliers": [{"id": "S2"}],
                    "value": {"amount": 1, "currency": currency}}],
        "contracts": [{"id": "C1", "awardID": "A1", "dateSigned": "2021-02-01", "value": {"amount": 900_000,
                                                                                         "currency": currency},
                       "implementation": {"transactions": [
                           {"id": "t1", "date": "2021-03-01", "value": {"amount": 300_000, "currency": currency},
                            "payee": {"id": "S1"}},
                           {"id": "t2", "value": {"amount": 1}, "payee": {"id": "S1"}}]}}],
    }
    r.update(over)
    return r


def mapped(*releases, counties=None):
    return map_releases([(Origin("f.jsonl", i + 1), r) for i, r in enumerate(releases)], counties)


def test_tender_row():
    tables, issues = mapped(process())
    t = tables["tenders"].iloc[0]
    assert t["tender_id"] == t["ocid"] == "ocds-1"
    assert (t["county"], t["buyer"], t["procuring_entity"]) == ("甲县交通局", "甲县交通局", "甲县公共资源交易中心")
    assert (t["kind"], t["method"], t["procurement_method"]) == ("works", "open", "open")
    assert t["budget"] == 1_000_000 and t["currency"] == "CNY"
    # the date as published, not shifted to UTC
    assert t["notice_date"] == pd.Timestamp("2021-01-01") and t["bid_deadline"] == pd.Timestamp("2021-01-11")
    # only the active award counts
    assert t["award_date"] == pd.Timestamp("2021-01-20") and t["award_amount"] == 900_000
    assert t["winner_id"] == "91A"  # the party's legal identifier
    assert "project_id" not in tables["tenders"]  # no planning.budget.projectID anywhere: the column stays absent


def test_bids_suppliers_contracts_payments():
    tables, issues = mapped(process())
    bids = tables["bids"].set_index("bidder_id")
    assert list(bids.index) == ["91A", "91B"]  # the withdrawn bid is not an offer
    assert bids.loc["91A", "amount"] == 900_000 and not bids.loc["91A", "disqualified"]
    assert bids.loc["91B", "disqualified"] == True  # noqa: E712
    s = tables["suppliers"].set_index("supplier_id")
    assert set(s.index) == {"91A", "91B", "S3"}  # S3 has no identifier: its party id
    assert s.loc["91A", "name"] == "一号公司" and s.loc["91A", "address"] == "甲县" and s.loc["91A", "phone"] == "123"
    c = tables["contracts"].iloc[0]
    assert (c["contract_id"], c["tender_id"], c["project_id"]) == ("ocds-1/C1", "ocds-1", "ocds-1")
    assert (c["supplier_id"], c["amount"], c["currency"]) == ("91A", 900_000, "CNY")
    assert c["sign_date"] == pd.Timestamp("2021-02-01") and c["kind"] == "works"
    p = tables["payments"]
    assert list(p["payment_id"]) == ["ocds-1/C1/t1"]  # t2 has no date: rejected
    assert (p.iloc[0]["payee_id"], p.iloc[0]["amount"], p.iloc[0]["contract_id"]) == ("91A", 300_000, "ocds-1/C1")
    reasons = {(r["column"], r["reason"].split(" (")[0]) for r in issues.rejections}
    assert ("contracts[0].implementation.transactions[1].date", "date missing") in reasons
    assert ("bids.details[2].status", "withdrawn bid: not an offer") in reasons
    assert all(r["file"] == "f.jsonl" and r["row"] == 1 for r in issues.rejections)


def test_ocds_10_organisations_without_parties():
    r = {"ocid": "old", "buyer": {"identifier": {"id": "BUY"}, "name": "Old buyer"},
         "tender": {"procurementMethod": "selective", "tenderers": [{"identifier": {"id": "X1"}, "name": "X one"}]},
         "awards": [{"id": "1", "status": "active", "suppliers": [{"identifier": {"id": "X1"}, "name": "X one"}],
                     "value": {"amount": 5}}],
         "contracts": [{"id": "1", "awardID": "1", "dateSigned": "2016-01-01", "value": {"amount": 5},
                        "implementation": {"transactions": [{"id": "p", "date": "2016-02-01",
                                                             "amount": {"amount": 2, "currency": "USD"},
                                                             "receiverOrganization": {"id": "X1"}}]}}]}
    tables, _ = mapped(r)
    t = tables["tenders"].iloc[0]
    assert (t["buyer"], t["method"], t["kind"], t["winner_id"]) == ("Old buyer", "invited", "unknown", "X1")
    assert t["currency"] == "unknown"  # an amount without a currency is never taken for yuan
    assert tables["suppliers"].set_index("supplier_id").loc["X1", "name"] == "X one"
    assert tables["payments"].iloc[0][["payee_id", "amount", "currency"]].tolist() == ["X1", 2, "USD"]


@pytest.mark.parametrize("code, details, expected", [
    ("open", None, "open"), ("selective", "", "invited"), ("limited", None, "negotiation"),
    ("limited", "Request for quotation", "inquiry"), ("limited", "Single source", "single_source"),
    ("direct", "NPNA (Negotiated Procedure without Announcement)", "direct"),
    ("direct", "sole source", "single_source"), ("open", "Adjudicación directa", "open"),
    ("Licitaţie publică", None, "open"), ("Cerere a ofertelor de preţuri", None, "inquiry"),
    ("公開招標", None, "open"), ("選擇性招標(個案)", None, "invited"), ("限制性招標(經公開評選或公開徵求)", None, "negotiation"),
    ("公開取得報價單或企劃書", None, "inquiry"), ("竞争性磋商", None, "consultation"), ("单一来源", None, "single_source"),
    (None, None, None), ("something else", None, None),
])
def test_method_mapping(code, details, expected):
    assert map_method(code, details) == expected


def test_unmapped_method_is_kept_empty_with_a_warning():
    tables, issues = mapped(process(tender={"procurementMethod": "lottery", "value": {"amount": 1, "currency": "CNY"}}))
    assert tables["tenders"]["method"].isna().all()
    assert any(w["column"] == "tender.procurementMethod" and "lottery" == w["value"] for w in issues.warnings)


def test_county_map_by_buyer_or_region():
    other = process("ocds-2", buyer={"id": "B2", "name": "乙局"},
                    parties=[party("B2", "乙局", ["buyer"], address={"region": "乙县"})])
    third = process("ocds-3", buyer={"id": "B3", "name": "丙局"}, parties=[party("B3", "丙局", ["buyer"])])
    tables, _ = mapped(process(), other, third,
                       counties=CountyMap(buyers={"甲县交通局": "甲县"}, regions={"乙县": "乙县"}))
    assert tables["tenders"].set_index("ocid")["county"].to_dict() == {
        "ocds-1": "甲县", "ocds-2": "乙县", "ocds-3": "丙局"}


def test_duplicate_bid_is_rejected_naming_the_first():
    r = process()
    r["bids"]["details"].append({"id": "b4", "tenderers": [{"id": "S1"}], "value": {"amount": 7}})
    tables, issues = mapped(r)
    assert (tables["bids"]["bidder_id"] == "91A").sum() == 1
    dup = [x for x in issues.rejections if x["reason"].startswith("duplicate")]
    assert len(dup) == 1 and "first read at f.jsonl row 1" in dup[0]["reason"]


# --- the catalogue's checks on mapped OCDS ---------------------------------------------------------

def run(tables, checks):
    from kpt_audit.checks import run_checks

    return run_checks(tables, ka.load_params(None, as_of="2022-01-01"), checks=checks)


def test_pro03_pro04_pro14_flag_the_mapped_tender():
    result = run(mapped(process())[0], ["PRO03", "PRO04", "PRO14"])
    found = result.findings.set_index("check_id")
    # 10 days between notice and deadline (< 20); one valid bidder (< 3); lowest bid (800k) disqualified
    assert set(found.index) == {"PRO03", "PRO04", "PRO14"}
    assert (found["entity_id"] == "ocds-1").all() and (found["county"] == "甲县交通局").all()
    assert result.not_run.empty


def test_pro09_identical_bids():
    r = process()
    r["bids"]["details"] = [
        {"id": str(i), "tenderers": [{"id": s}], "value": {"amount": a}, "status": "valid"}
        for i, (s, a) in enumerate([("S1", 500), ("S2", 500), ("S3", 700)])]
    result = run(mapped(r)[0], ["PRO09"])
    assert result.findings["entity_id"].tolist() == ["ocds-1"]


def test_checks_not_run_where_ocds_lacks_the_fields():
    r = process()
    for key in ("bids", "awards", "contracts"):
        r.pop(key)
    r["tender"].pop("tenderPeriod")
    result = run(mapped(r)[0], ["PRO03", "PRO04", "PRO09", "PRO14"])
    reasons = result.not_run.set_index("check_id")["reason"]
    assert set(reasons.index) == {"PRO03", "PRO04", "PRO09", "PRO14"}
    assert "notice_date" in reasons["PRO03"] and "table bids missing" in reasons["PRO09"]


def test_yuan_thresholds_run_only_on_cny():
    big = dict(procurementMethod="limited", mainProcurementCategory="works")
    cny = process(tender={**process()["tender"], **big, "value": {"amount": 5_000_000, "currency": "CNY"}})
    usd = process(tender={**process()["tender"], **big, "value": {"amount": 5_000_000, "currency": "USD"}})
    assert "PRO01" in set(run(mapped(cny)[0], ["PRO01"]).findings["check_id"])
    not_run = run(mapped(usd)[0], ["PRO01"]).not_run
    assert not_run["check_id"].tolist() == ["PRO01"] and "USD" in not_run["reason"].iloc[0]


def test_load_ocds_dataset_and_ledger(tmp_path):
    f = tmp_path / "p.jsonl"
    f.write_text("\n".join([json.dumps(process()), "{oops"]) + "\n", encoding="utf-8")
    ds = load_ocds(f)
    assert set(ds.tables) == {"tenders", "bids", "suppliers", "contracts", "payments"}
    row = ds.ledger.iloc[0]
    assert (row["file"], row["rows_in"], row["rows_loaded"], row["rows_rejected"]) == ("p.jsonl", 2, 1, 1)
    assert "1 bids row(s) rejected" in row["notes"] and "1 contracts row(s) rejected" in row["notes"]
    assert {"p.jsonl"} == set(ds.rejections["file"])
    assert ds.sources["sha256"].str.len().eq(64).all()


@pytest.mark.skipif(not REAL.is_dir(), reason="shared OCDS samples absent")
def test_real_samples_map_and_checks_run():
    ds = load_ocds(REAL)
    assert {"tenders", "bids", "suppliers", "contracts", "payments"} <= set(ds.tables)
    t = ds.tables["tenders"]
    assert t["tender_id"].is_unique and t["county"].notna().all() and t["kind"].notna().all()
    # taiwan's awards are one object, not a list: its winners are still read
    assert t.loc[t["ocid"].str.startswith("ocid-6as3t2"), "procurement_method"].notna().all()
    result = run(ds, ["PRO01", "PRO03", "PRO04", "PRO09", "PRO14"])
    assert "PRO01" in set(result.not_run["check_id"])  # no CNY in these samples
    assert {"PRO03", "PRO04"} <= set(result.findings["check_id"])


# --- OCDS 1.0: organisations in their 1.0 places ------------------------------------------------

def test_ocds_10_sole_supplier_buyer_and_awards_without_status():
    r = {"ocid": "old2", "buyer": {"identifier": {"id": "BUY-9"}, "name": "Old buyer"},
         "tender": {"procurementMethod": "open", "procuringEntity": {"identifier": {"id": "PE-1"}, "name": "PE"}},
         # no award id and no awardID on the contract (1.0 publishers often give neither)
         "awards": [{"status": "active", "suppliers": [{"identifier": {"id": "X1"}, "name": "X one"}],
                     "value": {"amount": 5}},
                    {"suppliers": [{"identifier": {"id": "X2"}, "name": "X two"}]}],  # no status
         "contracts": [{"id": "1", "dateSigned": "2016-01-01", "value": {"amount": 5}}]}
    tables, issues = mapped(r)
    t = tables["tenders"].iloc[0]
    assert (t["buyer_id"], t["procuring_entity_id"], t["winner_id"]) == ("BUY-9", "PE-1", "X1")
    # an award without a status is not taken as made, but its supplier is an organisation of the process
    assert set(tables["suppliers"]["supplier_id"]) == {"X1", "X2"}
    # two organisations named as suppliers: the contract's own supplier cannot be told, so it is rejected
    assert "contracts" not in tables
    assert [x["reason"].split(" (")[0] for x in issues.rejections] == ["supplier_id missing"]
    r["awards"].pop()
    assert mapped(r)[0]["contracts"].iloc[0]["supplier_id"] == "X1"  # the process's only supplier


@pytest.mark.skipif(not REAL.is_dir(), reason="shared OCDS samples absent")
def test_ocds_10_samples_grupo_aeroportuario_and_montreal():
    ds = load_ocds(REAL / "mexico" / "grupo-aeroportuario")
    contracts = ds.tables["contracts"]
    assert len(contracts) == 289  # 38 were rejected as "supplier_id missing" when only parties were looked at
    missing = ds.rejections["reason"].str.startswith("supplier_id missing")
    assert missing.sum() == 2  # their only award names no supplier at all
    assert ds.tables["tenders"]["buyer_id"].notna().all()
    late = run(ds, ["PRO07"]).findings
    assert len(late) == 15  # as in OCP's own pipeline on the same releases
    montreal = load_ocds(REAL / "canada" / "montreal")
    assert len(montreal.tables["suppliers"]) == 16  # 7 when awards without a status were skipped
    tenders = montreal.tables["tenders"]
    assert tenders["buyer_id"].notna().all() and tenders["procuring_entity_id"].notna().all()
    # the 1.0 copies (no parties) give the buyer's identifier; the 1.1 ones the party's id
    assert tenders["buyer_id"].str.len().gt(0).all()


@pytest.mark.skipif(not REAL.is_dir(), reason="shared OCDS samples absent")
@pytest.mark.parametrize("chunk", [1, 7])
def test_rows_made_compact_in_chunks_give_the_same_tables(monkeypatch, chunk):
    """Memory: rows become frames every CHUNK_ROWS; a chunk where a column is empty must not change
    the column's type (nor anything else) against one frame of all the rows."""
    from kpt_audit.ocds import mapping

    whole = load_ocds(REAL)
    monkeypatch.setattr(mapping, "CHUNK_ROWS", chunk)
    chunked = load_ocds(REAL)
    assert set(chunked.tables) == set(whole.tables)
    for name, frame in whole.tables.items():
        pd.testing.assert_frame_equal(chunked.tables[name], frame)
    pd.testing.assert_frame_equal(chunked.rejections, whole.rejections)
    pd.testing.assert_frame_equal(chunked.warnings, whole.warnings)
