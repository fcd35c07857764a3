"""Inputs the reference engine (cardinal-rs) accepts, written here in its fixtures' spirit: each case
is a few minimal compiled releases, and ``kpt-audit ocds`` must read them without stopping."""
from __future__ import annotations

import json

import pandas as pd

from kpt_audit.params import load_params

PARAMS = load_params(as_of="2021-06-30")


def bid(tenderer, amount, status="valid"):
    return {"status": status, "tenderers": [{"id": tenderer}], "value": {"amount": amount, "currency": "USD"}}


def bids_and_awards_only(ocid, *amounts):
    """A release with bids and an award and nothing else: no buyer, no tender (R024/R058 fixture shape)."""
    return {"ocid": ocid, "bids": {"details": [bid(f"T{i}", a) for i, a in enumerate(amounts)]},
            "awards": [{"status": "active", "suppliers": [{"id": "T0"}]}]}


def write_jsonl(path, releases):
    path.write_text("".join(json.dumps(r) + "\n" for r in releases), encoding="utf-8")
    return path


def csv(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_releases_with_only_bids_and_awards_run_through_the_command(tmp_path, capsys):
    from kpt_audit.cli import main

    # three identical bids make the catalogue's PRO09 and OCP's R028 flag a process that has no buyer,
    # hence no county (the finding that stopped the command with a TypeError)
    data = write_jsonl(tmp_path / "r024.jsonl", [bids_and_awards_only("A", 100, 100, 100),
                                                 bids_and_awards_only("B", 100, 101, 150)])
    assert main(["ocds", str(data), "--out", str(tmp_path / "out"), "--no-html", "--as-of", "2021-06-30"]) == 0
    findings = csv(tmp_path / "out" / "findings.csv")
    assert ("PRO09", "A", "") in set(zip(findings["check_id"], findings["entity_id"], findings["county"]))
    assert ("OCP-R028", "A") in set(zip(findings["check_id"], findings["entity_id"]))
    rejected = csv(tmp_path / "out" / "rejections.csv")
    # the tender row needs a buyer: the reason says which OCDS fields were looked at
    assert rejected["reason"].str.contains("neither buyer nor tender.procuringEntity").any()


def test_fill_county_leaves_a_finding_of_no_known_project_empty():
    from kpt_audit.findings import empty_findings
    from kpt_audit.ocds.run import fill_county

    findings = pd.concat([empty_findings(), pd.DataFrame({"check_id": ["PRO09", "PRO07"],
                                                          "project_id": [None, "p1"]})], ignore_index=True)
    findings["county"] = findings["county"].astype("str")
    contracts = pd.DataFrame({"project_id": ["p1"], "county": ["甲县"]})
    out = fill_county(findings, {"contracts": contracts})
    assert out["county"].isna().tolist() == [True, False] and out["county"].iloc[1] == "甲县"
    assert fill_county(findings, {})["county"].isna().all()  # no contracts table at all
