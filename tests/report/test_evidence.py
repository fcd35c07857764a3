"""The source rows of each finding: which rows, where they are in the files, and their text."""
import csv

import pytest

from kpt_audit.checks import run_checks
from kpt_audit.load import load_dataset
from kpt_audit.report.evidence import (EVIDENCE_COLUMNS, Evidence, entity_rows, finding_evidence, quote_rows,
                                       quoted_ids)

from .conftest import AS_OF


@pytest.fixture(scope="module")
def loaded(csv_dataset, params):
    ds = load_dataset(csv_dataset)
    return ds, run_checks(ds, params)


def test_each_finding_rests_on_its_entity_row_and_the_rows_referring_to_it(loaded):
    ds, result = loaded
    ev = finding_evidence(result.findings, ds, AS_OF)
    assert list(ev.columns) == EVIDENCE_COLUMNS
    assert set(ev["finding_id"]) == set(result.findings["finding_id"])  # every finding has a row
    cos04 = ev[ev["finding_no"].str.startswith("COS04")]  # contract C1 and its payment Y1
    assert cos04[["table", "link"]].values.tolist() == [["contracts", "entity"], ["payments", "refers"]]
    exe02 = ev[ev["finding_no"].str.startswith("EXE02")]  # project P001 and its allocation F1
    assert exe02[["table", "link"]].values.tolist() == [["projects", "entity"], ["funds", "refers"]]


def test_row_numbers_are_those_of_the_file_with_its_sha256(loaded, csv_dataset):
    from kpt_audit.files import sha256_file

    ds, result = loaded
    ev = finding_evidence(result.findings, ds, AS_OF)
    for r in ev.itertuples():
        lines = list(csv.reader((csv_dataset / r.file).open(encoding="utf-8")))
        key = ds.tables[r.table].loc[r.label].iloc[0]  # the table's first column is its key
        assert lines[r.row - 1][0] == key, (r.table, r.row)  # the header is row 1, as in Excel
        assert r.sha256 == sha256_file(csv_dataset / r.file)


def test_rows_dated_after_the_audit_date_are_not_evidence(loaded):
    ds, result = loaded
    finding = {"check_id": "COS04", "entity_type": "contract", "entity_id": "C1", "project_id": "P002"}
    before = Evidence(ds, "2020-03-31").finding_rows(finding)  # the payment Y1 is dated 2020-04-01
    assert [t for t, _, _ in before] == ["contracts"]
    assert [t for t, _, _ in Evidence(ds, AS_OF).finding_rows(finding)] == ["contracts", "payments"]


def test_groups_suppliers_cells_and_quoted_ids():
    assert entity_rows("tender_group", "T1+T2") == ("tenders", {"tender_id": {"T1", "T2"}})
    assert entity_rows("supplier", "S1|buyer") == ("suppliers", {"supplier_id": {"S1"}})
    assert entity_rows("cell", "projects|P1|actual_start") == ("projects", {"project_id": {"P1"}})
    assert entity_rows("target", "P1|受益户数") == ("targets", {"project_id": {"P1"}, "indicator": {"受益户数"}})
    assert entity_rows("county", "甲县") is None
    assert quoted_ids('{"items": ["HT1", "ZB2"], "ref": "ZF3", "n": 3}') == {"HT1", "ZB2", "ZF3"}


def test_quoted_rows_use_the_ledger_headers_and_mask_personal_data(loaded):
    from kpt_audit.privacy import Masker

    ds, _ = loaded
    label = ds.tables["suppliers"].index[ds.tables["suppliers"]["supplier_id"] == "S1"][0]
    plain = quote_rows(ds, "suppliers", [label], None)[0]
    masked = quote_rows(ds, "suppliers", [label], Masker(ds.tables))[0]
    assert "13812345678" in plain and "13812345678" not in masked
    payment = ds.tables["payments"].index[ds.tables["payments"]["payment_id"] == "Y1"][0]
    text = quote_rows(ds, "payments", [payment])[0]
    assert "700,000.00元" in text and "2020-04-01" in text and "进度款" in text


def test_tables_without_an_origin_give_rows_without_a_place(result, tmp_path):
    """Tables built without files (OCDS) have no origin: their rows are still evidence, unplaced."""
    from kpt_audit.privacy import Masker
    from kpt_audit.report.drafts import EVIDENCE_SUFFIX, write_county_drafts
    from kpt_audit.report.slices import build_county_slice
    from kpt_audit.report.word import DEFAULT_TEMPLATES

    from .conftest import COUNTY_A

    ds = result.dataset
    assert not ds.origin
    ev = finding_evidence(result.findings, ds, AS_OF)
    assert len(ev) and set(ev["file"]) == {""} and ev["row"].isna().all()
    piece = build_county_slice(result, COUNTY_A, COUNTY_A, Masker(ds.tables))
    write_county_drafts(piece, tmp_path, "a", DEFAULT_TEMPLATES, ev, ds, Masker(ds.tables))
    assert (tmp_path / ("a" + EVIDENCE_SUFFIX)).stat().st_size > 0
