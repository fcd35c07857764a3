"""The checks county by county give the in-memory path's findings, not-run notes and metrics (issue 14)."""
import pandas as pd
import pytest
from conftest import build_tables, make_params

from kpt_audit import load_dataset, load_params
from kpt_audit.checks import run_checks
from kpt_audit.checks.partitioned import NO_COUNTY, WHOLE_DATA, partitions, row_counties, run_checks_by_county
from kpt_audit.dataset import Dataset
from kpt_audit.synth import write_synth

PARAMS = load_params(as_of="2020-09-25")


@pytest.mark.parametrize("seed", [0, 11])
def test_by_county_equals_in_memory_on_synthetic_data(tmp_path, seed, same_results):
    data = load_dataset(write_synth(tmp_path / "d", counties=5, projects=160, seed=seed), params=PARAMS)
    whole = run_checks(data, PARAMS)
    assert len(whole.findings) > 50 and whole.findings["county"].nunique() >= 4
    same_results(whole, run_checks_by_county(data, PARAMS, rows=1))          # one county a partition
    same_results(whole, run_checks_by_county(data, PARAMS, rows=20_000))     # a few counties a partition


def test_the_county_filter_and_a_choice_of_checks_are_kept(tmp_path, same_results):
    data = load_dataset(write_synth(tmp_path / "d", counties=5, projects=150, seed=2), params=PARAMS)
    county = sorted(data.tables["projects"]["county"].unique())[1]
    chosen = ["EXE01", "PRO04", "COS06", "SUB01"]
    same_results(run_checks(data, PARAMS, counties=[county], checks=chosen),
          run_checks_by_county(data, PARAMS, counties=[county], checks=chosen))


def test_a_county_filter_counts_only_that_countys_unjudged_entities_on_both_paths(tmp_path, same_results):
    data = load_dataset(write_synth(tmp_path / "d", counties=5, projects=150, seed=2), params=PARAMS)
    whole = run_checks(data, PARAMS)
    per_county = whole.unjudged.groupby(["check_id", "county"])["entities"].sum()
    county = whole.unjudged["county"].value_counts().index[0]  # the county with most partly judged checks
    mine = run_checks(data, PARAMS, counties=[county])
    same_results(mine, run_checks_by_county(data, PARAMS, counties=[county], rows=1))
    partly = mine.not_run[mine.not_run["reason"] == "partly judged"]
    assert len(partly)
    assert {r.check_id: int(r.entities) for r in partly.itertuples()} == {
        c: int(n) for (c, k), n in per_county.items() if k == county}


def _two_counties():
    return build_tables(
        projects=[{"project_id": "P1", "county": "甲县"}, {"project_id": "P2", "county": "乙县"}],
        tenders=[{"tender_id": "T1", "project_id": "P1", "county": "乙县"},    # the project's county wins
                 {"tender_id": "T2", "county": "乙县"},                         # no project: its own county
                 {"tender_id": "T3"}],                                           # neither
        bids=[{"tender_id": "T1", "bidder_id": "S1"}, {"tender_id": "T2", "bidder_id": "S1"},
              {"tender_id": "T9", "bidder_id": "S2"}],                          # an unknown tender
        contracts=[{"contract_id": "C1", "project_id": "P2", "tender_id": "T1"},
                   {"contract_id": "C2", "tender_id": "T2"}],                    # through its tender
        payments=[{"payment_id": "Y1", "contract_id": "C1"},                      # through its contract
                  {"payment_id": "Y2", "project_id": "P1", "contract_id": "C1"}, # its own project first
                  {"payment_id": "Y3"}],
        suppliers=[{"supplier_id": "S1"}, {"supplier_id": "S2"}])


def test_each_row_goes_to_its_project_s_county_else_the_row_it_hangs_from_else_its_own():
    counties = {name: c.fillna("-").tolist() for name, c in row_counties(_two_counties()).items()}
    assert counties["tenders"] == ["甲县", "乙县", "-"]
    assert counties["bids"] == ["甲县", "乙县", "-"]
    assert counties["contracts"] == ["乙县", "乙县"]
    assert counties["payments"] == ["乙县", "甲县", "-"]
    assert "suppliers" not in counties  # reference tables have no county of their own


def test_partitions_cover_every_row_once_and_give_reference_rows_to_those_that_name_them():
    tables = _two_counties()
    parts = {counties: part for counties, part in partitions(Dataset(tables=tables), rows=1)}
    assert list(parts) == [(NO_COUNTY,), ("乙县",), ("甲县",)]
    for name, table in tables.items():
        if name != "suppliers":
            assert sum(len(p.tables[name]) for p in parts.values()) == len(table)
    # the first partition holds every supplier; another, those its rows name (S1 bids in both counties)
    assert [p.tables["suppliers"]["supplier_id"].tolist() for p in parts.values()] == [["S1", "S2"], ["S1"], ["S1"]]
    assert parts[(NO_COUNTY,)].tables["payments"]["payment_id"].tolist() == ["Y3"]
    whole = dict(partitions(Dataset(tables=tables)))  # the default: counties together up to a size
    assert list(whole) == [(NO_COUNTY, "乙县", "甲县")]


def test_a_cross_county_duplicate_payment_is_found_by_both_paths(same_results):
    """COS06 compares payees across counties: it is one of the checks run on the whole data."""
    assert "COS06" in WHOLE_DATA
    tables = build_tables(
        projects=[{"project_id": "P1", "county": "甲县"}, {"project_id": "P2", "county": "乙县"}],
        payments=[{"payment_id": "Y1", "project_id": "P1", "payee_id": "S1", "amount": 123456.78,
                   "date": "2020-03-01", "invoice_no": "F1"},
                  {"payment_id": "Y2", "project_id": "P2", "payee_id": "S1", "amount": 123456.78,
                   "date": "2020-03-05", "invoice_no": "F1"}])
    params = make_params("2020-09-25")
    whole = run_checks(tables, params, checks=["COS06"])
    assert whole.findings["check_id"].tolist() == ["COS06"]
    same_results(whole, run_checks_by_county(Dataset(tables=tables), params, checks=["COS06"]))


def test_a_buyers_purchases_split_over_two_counties_are_one_group_on_both_paths(same_results):
    """PRO02 groups a buyer's purchases without project whatever county each tender names: it is one of
    the checks run on the whole data (partition by partition, T1 and T2 fell apart)."""
    assert "PRO02" in WHOLE_DATA
    tender = {"project_id": None, "buyer": "某局", "kind": "goods", "method": "inquiry", "budget": 1.5e6}
    tables = build_tables(
        projects=[{"project_id": "P1", "county": "甲县"}, {"project_id": "P2", "county": "乙县"}],
        tenders=[{**tender, "tender_id": "T1", "county": "甲县", "notice_date": "2020-03-01"},
                 {**tender, "tender_id": "T2", "county": "乙县", "notice_date": "2020-04-01"}])
    params = make_params("2020-09-25")
    whole = run_checks(tables, params, checks=["PRO02"])
    assert whole.findings["entity_id"].tolist() == ["T1+T2"]
    same_results(whole, run_checks_by_county(Dataset(tables=tables), params, checks=["PRO02"], rows=1))


def test_an_empty_choice_of_checks_runs_none():
    result = run_checks(_two_counties(), make_params("2020-09-25"), checks=[])
    assert result.findings.empty and result.not_run.empty


def test_an_unreadable_cell_of_a_supplier_named_in_several_counties_is_one_finding(tmp_path, same_results):
    """A supplier's row is in every partition that names it: DQ01 reports its unreadable cell once, and
    that of a supplier nobody names too (the first partition holds every supplier)."""
    folder = write_synth(tmp_path / "d", counties=5, projects=150, seed=6)
    suppliers = pd.read_csv(folder / "suppliers.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    bids = pd.read_csv(folder / "bids.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    tenders = pd.read_csv(folder / "tenders.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    county = bids["tender_id"].map(tenders.set_index("tender_id")["county"])
    first, other = bids.index[county == county.iloc[0]][0], bids.index[county != county.iloc[0]][0]
    named_widely = bids.loc[first, "bidder_id"]
    bids.loc[other, "bidder_id"] = named_widely  # the supplier now bids in two counties
    bids.to_csv(folder / "bids.csv", index=False, encoding="utf-8-sig")
    named = set(bids["bidder_id"]) | set(tenders["winner_id"])
    unnamed = sorted(set(suppliers["supplier_id"]) - named)[0]
    for sid in (named_widely, unnamed):
        suppliers.loc[suppliers["supplier_id"] == sid, "registered_date"] = "2019年2月30日"
    suppliers.to_csv(folder / "suppliers.csv", index=False, encoding="utf-8-sig")
    data = load_dataset(folder, params=PARAMS)
    whole = run_checks(data, PARAMS)
    dq = whole.findings[whole.findings["check_id"] == "DQ01"]["entity_id"]
    assert {f"suppliers|{named_widely}|registered_date", f"suppliers|{unnamed}|registered_date"} <= set(dq)
    same_results(whole, run_checks_by_county(data, PARAMS, rows=1))


def test_a_partition_holds_the_suppliers_its_links_and_subsidised_enterprises_name_and_no_others(same_results):
    """SUB03 looks a subsidised enterprise's registration up among the suppliers (not a foreign key): the
    county's partition holds that supplier; a payment's invoice number that happens to spell a supplier's
    id names no supplier."""
    tables = build_tables(
        projects=[{"project_id": "P1", "county": "乙县"}, {"project_id": "P2", "county": "甲县"}],
        payments=[{"payment_id": "Y1", "project_id": "P2", "payee_id": "S1", "amount": 1000.0,
                   "date": "2020-03-01", "invoice_no": "S2"}],
        subsidies=[{"application_id": "A1", "county": "甲县", "program": "技术改造专项", "enterprise_id": "S3",
                    "amount_approved": 50000.0, "approval_date": "2020-05-30"}],
        suppliers=[{"supplier_id": "S1", "registered_date": "2010-01-01"},
                   {"supplier_id": "S2", "registered_date": "2010-01-01"},
                   {"supplier_id": "S3", "registered_date": "2020-01-01"}])
    parts = {counties[-1]: part for counties, part in partitions(Dataset(tables=tables), rows=1)}
    assert list(parts) == ["乙县", "甲县"]  # the first (with the rows of no county, none here) holds every supplier
    assert parts["甲县"].tables["suppliers"]["supplier_id"].tolist() == ["S1", "S3"]
    params = make_params("2020-09-25", program_rules={"技术改造专项": {"min_enterprise_age_days": 365}})
    whole = run_checks(tables, params, checks=["SUB03"])
    assert whole.findings["entity_id"].tolist() == ["A1"]  # 150 days old at approval
    same_results(whole, run_checks_by_county(Dataset(tables=tables), params, checks=["SUB03"], rows=1))


def test_no_check_that_compares_counties_is_a_data_quality_check():
    """A split's views for the checks that compare counties carry no row origins (file, sheet, row): only
    the data-quality checks read them, and those must run partition by partition."""
    from kpt_audit.checks.catalogue import CHECKS

    assert WHOLE_DATA and not [c for c in WHOLE_DATA if CHECKS[c].area == "data"]


def test_amounts_in_another_currency_in_one_county_stop_the_yuan_thresholds_everywhere(tmp_path, same_results):
    """checks.md: on data in another currency the threshold checks (PRO01, PRO02, PRO16) are not run — the
    data's currencies, not each partition's: a county whose own tenders are all in yuan does not run them."""
    folder = write_synth(tmp_path / "d", counties=5, projects=160, seed=0)
    tenders = pd.read_csv(folder / "tenders.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    one = sorted(tenders["county"].unique())[-1]
    tenders["currency"] = ["USD" if c == one else "CNY" for c in tenders["county"]]
    tenders.to_csv(folder / "tenders.csv", index=False, encoding="utf-8-sig")
    data = load_dataset(folder, params=PARAMS)
    whole = run_checks(data, PARAMS)
    stopped = whole.not_run[whole.not_run["reason"].str.contains("not in CNY")]
    assert set(stopped["check_id"]) == {"PRO01", "PRO02", "PRO16"}
    same_results(whole, run_checks_by_county(data, PARAMS, rows=1))
