"""The synthetic generator: shape, dtypes, determinism, scale, keys and links."""
from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

import kpt_audit.synth as synth
from kpt_audit.checks import check_ids
from kpt_audit.schema.coerce import DTYPES
from kpt_audit.schema.tables import TABLES
from kpt_audit.synth import generate, write_synth
from kpt_audit.synth.amounts import mad
from kpt_audit.synth.plant_subsidies import SUB03_FIRES_WITH_AGE_RULES

SYNTH_DIR = Path(synth.__file__).parent


def test_every_table_with_canonical_columns_and_dtypes(small):
    assert set(small.tables) == set(TABLES)
    for name, spec in TABLES.items():
        df = small.tables[name]
        assert list(df.columns) == list(spec.column_names), name
        assert len(df) > 0, name
        for col in spec.columns:
            want = DTYPES[col.kind]
            got = str(df[col.name].dtype)
            if want == "str":
                assert pd.api.types.is_string_dtype(df[col.name]), (name, col.name, got)
            else:
                assert got == want, (name, col.name, got)
        for col in spec.required:
            assert df[col].notna().all(), (name, col)


def test_same_seed_same_frames_other_seed_other_frames():
    a = generate(counties=4, projects=120, seed=3)
    b = generate(counties=4, projects=120, seed=3)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    pd.testing.assert_frame_equal(a.truth, b.truth)
    c = generate(counties=4, projects=120, seed=4)
    assert not a.tables["payments"]["amount"].equals(c.tables["payments"]["amount"])


def test_written_files_are_byte_identical_for_a_seed(tmp_path):
    one = write_synth(tmp_path / "one", counties=4, projects=80, seed=11)
    two = write_synth(tmp_path / "two", counties=4, projects=80, seed=11)
    files = sorted(p.name for p in one.iterdir())
    assert files == sorted(p.name for p in two.iterdir())
    assert {f"{t}.csv" for t in TABLES} | {"truth.csv", "near_misses.csv"} == set(files)
    for f in files:
        assert (one / f).read_bytes() == (two / f).read_bytes(), f
    raw = (one / "projects.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    first_row = (one / "projects.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert "-" in first_row and "00:00:00" not in first_row  # ISO dates without a time


def test_parquet_round_trip(tmp_path):
    out = write_synth(tmp_path, counties=4, projects=60, seed=2, fmt="parquet")
    back = pd.read_parquet(out / "payments.parquet")
    assert len(back) > 0 and set(back.columns) == set(TABLES["payments"].column_names)


def test_every_check_planted_at_least_twice_and_near_misses_never_in_truth(small):
    counts = small.truth["check_id"].value_counts()
    for check_id in EXPECTED_CHECK_IDS:
        assert counts.get(check_id, 0) >= 2, check_id
    # SUB03 is off by default (program-specific): its cases are planted as near misses that fire
    # with the program rules of plant_subsidies (test_planted_truth runs them)
    assert "SUB03" not in set(counts.index)
    with_rules = small.near_misses["note"].str.contains(SUB03_FIRES_WITH_AGE_RULES, regex=False)
    assert (small.near_misses.loc[with_rules, "check_id"] == "SUB03").sum() >= 2
    assert set(counts.index) <= set(EXPECTED_CHECK_IDS)
    truth = set(zip(small.truth["check_id"], small.truth["entity_id"]))
    near = set(zip(small.near_misses["check_id"], small.near_misses["entity_id"]))
    assert not truth & near
    assert small.truth.equals(small.truth.sort_values(["check_id", "entity_id"]).reset_index(drop=True))
    assert not small.truth.duplicated().any()


# every check in the catalogue is planted (SUB03, off by default, as near misses that fire with its rules)
EXPECTED_CHECK_IDS = tuple(c for c in check_ids() if c != "SUB03")


def test_truth_entities_follow_the_spec_conventions(small):
    t = small.tables
    ids = {
        "project": set(t["projects"]["project_id"]), "tender": set(t["tenders"]["tender_id"]),
        "contract": set(t["contracts"]["contract_id"]), "payment": set(t["payments"]["payment_id"]),
        "supplier": set(t["suppliers"]["supplier_id"]), "application": set(t["subsidies"]["application_id"]),
        "commitment": set(t["commitments"]["item_id"]), "county": set(t["projects"]["county"]),
        "target": set(t["targets"]["project_id"] + "|" + t["targets"]["indicator"]),
    }
    entity_of = {**{c: "project" for c in ("EXE01", "EXE02", "EXE03", "EXE04", "EXE05", "EXE06", "EXE07", "EXE08",
                                           "PRC01", "PRC02", "PRC03", "PRC04", "PRC06", "COS01", "COS02", "COS05",
                                           "PER01", "PER02", "PER04", "DQ02")},
                 **{c: "tender" for c in ("PRC05", "PRO03", "PRO04", "PRO05", "PRO06", "PRO09", "PRO10",
                                          "PRO13", "PRO14", "PRO15")},
                 **{c: "contract" for c in ("PRO07", "PRO08", "COS03", "COS04", "COS08", "COS12", "COS14")},
                 **{c: "payment" for c in ("COS06", "COS07", "COS10", "COS11")},
                 **{c: "application" for c in ("SUB01", "SUB02", "SUB03", "SUB04")},
                 "PRO12": "supplier", "COS09": "county", "EFF01": "commitment", "PER03": "target"}
    buyers = set(t["tenders"]["buyer"])
    for check_id, entity in zip(small.truth["check_id"], small.truth["entity_id"]):
        if check_id == "PRO01":  # a tender, or a contract when there is no tender
            assert entity in ids["tender"] or entity in ids["contract"]
        elif check_id in ("PRO02", "SUB05"):
            parts = entity.split("+")
            assert len(parts) >= 2 and parts == sorted(parts)
            assert set(parts) <= ids["tender" if check_id == "PRO02" else "application"]
        elif check_id == "PRO11":
            supplier, buyer, year = entity.split("|")
            assert supplier in ids["supplier"] and buyer in buyers and len(year) == 4 and year.isdigit()
        elif check_id == "PRO16":  # buyer|year|kind
            buyer, year, kind = entity.split("|")
            assert len(year) == 4 and year.isdigit() and kind in ("works", "goods", "services")
            assert buyer in buyers or buyer in set(t["projects"]["department"])
        elif check_id == "DQ01":  # table|key|column
            table, key, column = entity.split("|")
            assert table in t and column in TABLES[table].column_names and key
        else:
            assert entity in ids[entity_of[check_id]], (check_id, entity)


def test_keys_are_unique_and_links_resolve(small):
    t = small.tables
    for name, spec in TABLES.items():
        if spec.key:
            assert not t[name].duplicated(list(spec.key)).any(), name
        for col, parent, parent_col in spec.foreign_keys:
            values = t[name][col].dropna()
            assert values.isin(set(t[parent][parent_col])).all(), (name, col)
    assert t["subsidies"]["enterprise_id"].isin(set(t["suppliers"]["supplier_id"])).all()


def test_projects_are_internally_consistent(small):
    p = small.tables["projects"]
    as_of = small.as_of
    started = p["actual_start"].notna() & (p["actual_start"] <= as_of)
    assert (started == p["status"].isin(["under_construction", "completed", "in_operation", "suspended"])
            ).mean() > 0.97  # only planted "future start"/"status" cases differ
    assert (p["completed_ytd"] <= p["annual_plan"] + 0.01).all()
    assert (p["annual_plan"] >= 0).all() and (p["completed_total"] >= 0).all()
    done = p["status"] == "in_operation"
    assert (p.loc[done, "actual_completion"].notna() | p.loc[done, "acceptance_date"].notna()).all()


def test_personal_data_is_well_formed(small):
    s = small.tables["suppliers"]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    for number in s["id_number"].head(200):
        assert len(number) == 18
        total = sum(int(d) * w for d, w in zip(number[:17], weights))
        assert number[17] == "10X98765432"[total % 11]
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    uscc_weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    for code in s["supplier_id"].head(200):
        total = sum(charset.index(c) * w for c, w in zip(code[:17], uscc_weights))
        assert code[17] == charset[(31 - total % 31) % 31]
    assert s["bank_account"].is_unique and s["legal_rep"].str.len().ge(2).all()


def test_planted_counts_do_not_depend_on_scale_but_tables_do():
    a = generate(counties=6, projects=600, seed=5)
    b = generate(counties=6, projects=1800, seed=5)
    pd.testing.assert_series_equal(a.truth["check_id"].value_counts().sort_index(),
                                   b.truth["check_id"].value_counts().sort_index())
    planted = len(a.truth)
    assert planted == len(b.truth)
    assert len(a.tables["projects"]) == 600 and len(b.tables["projects"]) == 1800
    for name in ("payments", "tenders", "bids", "contracts"):
        ratio = len(b.tables[name]) / len(a.tables[name])
        assert 1.8 < ratio < 5.0, (name, ratio)


def test_benford_counties_deviate_and_the_others_conform(small):
    pay = small.tables["payments"].merge(small.tables["projects"][["project_id", "county"]], on="project_id")
    pay = pay[pay["date"] <= small.as_of]
    flagged = set(small.truth.loc[small.truth["check_id"] == "COS09", "entity_id"])
    (small_zone,) = set(small.near_misses.loc[small.near_misses["check_id"] == "COS09", "entity_id"])
    for county, amounts in pay.groupby("county")["amount"]:
        n, deviation = int((amounts >= 10).sum()), mad(amounts.to_numpy())
        if county in flagged:
            assert n >= 300 and deviation > 0.03
        elif county == small_zone:
            assert n == 299 and deviation > 0.03
        elif n >= 300:
            assert deviation < 0.01, county


def test_subsidy_title_pairs_straddle_the_similarity_line(small):
    import difflib
    import unicodedata

    def norm(s):
        s = unicodedata.normalize("NFKC", s).casefold()
        return "".join(ch for ch in s if not ch.isspace() and unicodedata.category(ch)[0] not in "PS")

    sub = small.tables["subsidies"].set_index("application_id")
    cases = [(e, True) for e in small.truth.loc[small.truth["check_id"] == "SUB01", "entity_id"]]
    cases += [(e, False) for e in small.near_misses.loc[small.near_misses["check_id"] == "SUB01", "entity_id"]]
    for app, similar in cases:
        row = sub.loc[app]
        other = sub[(sub["enterprise_id"] == row["enterprise_id"]) & (sub.index != app)].iloc[0]
        ratio = difflib.SequenceMatcher(None, norm(row["project_title"]), norm(other["project_title"]),
                                        autojunk=False).ratio()
        assert (ratio >= 0.8) == similar, (app, ratio)


def test_generator_never_uses_the_checks():
    for path in SYNTH_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                assert "checks" not in module.split("."), (path.name, module)
                assert not (node.level >= 2 and node.module and node.module.startswith("checks")), path.name
                if node.level >= 2 and node.module is None:
                    assert "checks" not in [a.name for a in node.names], path.name
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("kpt_audit.checks"), (path.name, alias.name)


def test_too_few_counties_is_refused():
    from kpt_audit.errors import UsageError

    with pytest.raises(UsageError, match="4 to"):
        generate(counties=3, projects=50)
