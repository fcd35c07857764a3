import hashlib
import json

import pandas as pd
import pytest

from kpt_audit.checks import all_checks, run_checks
from kpt_audit.findings import FINDING_COLUMNS
from kpt_audit.privacy import Masker
from kpt_audit.report.slices import (UNASSIGNED_SLUG, build_county_slice, compute_county_slice, county_slug,
                                     open_county, write_county_slices)

from .conftest import AS_OF, COUNTY_A, COUNTY_B, dataset


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "a/b", "a\\b", "CON", "nul", "com1.txt", "Lpt9", "县\x00名", "tab\there", "trailing. . ",
    "..", ".", "   ", "x" * 300, "乙/县<b>", 'a:b*c?"d|e', "\u202e反向", "٠١٢",
])
def test_hostile_names_give_safe_slugs(name):
    slug = county_slug(name, set())
    assert slug and len(slug) <= 100
    assert "/" not in slug and "\\" not in slug and ".." not in slug
    assert not any(ord(ch) < 32 for ch in slug) and "\x00" not in slug
    assert not slug.endswith((".", " "))
    assert slug.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}


def test_clean_chinese_names_are_kept_and_empty_is_unassigned():
    taken: set[str] = set()
    assert county_slug("甲县", taken) == "甲县"
    assert county_slug("", taken) == UNASSIGNED_SLUG
    assert county_slug(None, set()) == UNASSIGNED_SLUG


def test_two_counties_never_share_a_slug():
    names = ["a/b", "a_b", "a:b", "A_B", "甲县", "甲县 ", "甲县.", "", "未指定"]
    taken: set[str] = set()
    slugs = [county_slug(n, taken) for n in names]
    assert len({s.casefold() for s in slugs}) == len(names)
    # the same names in the same order give the same slugs
    again: set[str] = set()
    assert [county_slug(n, again) for n in names] == slugs


def test_changed_name_carries_a_hash_of_the_full_name():
    slug = county_slug("a/b", set())
    assert slug.startswith("a_b-") and slug.endswith(hashlib.sha256(b"a/b").hexdigest()[:8])


def test_written_slices_round_trip(result, tmp_path):
    folders = write_county_slices(result, tmp_path, Masker(result.dataset.tables))
    assert set(folders) == {COUNTY_A, COUNTY_B}  # no 未指定: every finding has a county
    assert all(f.parent == tmp_path for f in folders.values())
    piece = open_county(folders[COUNTY_A])
    expected = result.findings[result.findings["county"] == COUNTY_A].reset_index(drop=True)
    assert piece.county == COUNTY_A
    # a shared output: the findings columns of interfaces.md (a finding's values stay with the run)
    assert list(piece.findings.columns) == FINDING_COLUMNS
    assert piece.findings["finding_id"].tolist() == expected["finding_id"].tolist()
    assert piece.findings["amount"].fillna(-1).tolist() == expected["amount"].fillna(-1).tolist()
    assert piece.metrics["exe_by_county"]["county"].tolist() == [COUNTY_A]
    assert set(piece.metrics["benford"]["county"]) == {COUNTY_A}
    assert piece.not_run["check_id"].tolist() == result.not_run["check_id"].tolist()
    assert piece.tables["projects"]["project_id"].tolist() == ["P001", "P002"]
    assert set(piece.tables["contracts"]["contract_id"]) == {"C1", "C2"}
    assert set(piece.tables["suppliers"]["supplier_id"]) == {"S1", "S2"}
    assert list(piece.ledger.columns) == ["file", "rows_in", "rows_loaded", "rows_rejected", "notes"]
    other = open_county(folders[COUNTY_B])
    assert other.findings.empty and other.tables["projects"]["project_id"].tolist() == ["P003"]


def test_meta_carries_params_and_every_check(result, tmp_path):
    folders = write_county_slices(result, tmp_path, Masker(result.dataset.tables))
    meta = json.loads((folders[COUNTY_A] / "meta.json").read_text(encoding="utf-8"))
    assert meta["county"] == COUNTY_A and meta["as_of"] == AS_OF and meta["lang"] == "zh"
    assert meta["params"]["idle_months"]["value"] == 12
    assert "国办发〔2014〕70号" in meta["params"]["idle_months"]["basis"]
    assert [c["id"] for c in meta["checks"]] == list(all_checks())
    exe02 = next(c for c in meta["checks"] if c["id"] == "EXE02")
    assert exe02["params"] == {"idle_months": 12, "idle_min_share": 0.3}
    assert exe02["basis"] and exe02["condition"] and exe02["title"] == "资金沉淀"


def test_slices_are_byte_identical_across_runs(result, tmp_path):
    def digest(root):
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    write_county_slices(result, tmp_path / "one", Masker(result.dataset.tables))
    write_county_slices(result, tmp_path / "two", Masker(result.dataset.tables))
    assert digest(tmp_path / "one") == digest(tmp_path / "two")
    assert any(k.startswith("甲县/tables/") for k in digest(tmp_path / "one"))


def test_personal_data_never_reaches_the_slice(result, tmp_path):
    write_county_slices(result, tmp_path, Masker(result.dataset.tables))
    for path in tmp_path.rglob("*.parquet"):
        frame = pd.read_parquet(path)
        text = frame.astype(str).to_csv()
        for secret in ("13812345678", "张三丰", "13987654321"):
            assert secret not in text, f"{secret} in {path}"


def test_findings_without_county_get_the_unassigned_slice(result, tmp_path):
    orphan = result.findings.iloc[[0]].assign(county=None, finding_id="f" * 16)
    shifted = type(result)(pd.concat([result.findings, orphan], ignore_index=True), result.metrics,
                           result.not_run, result.dataset, result.params)
    folders = write_county_slices(shifted, tmp_path, Masker(result.dataset.tables))
    assert folders[""].name == UNASSIGNED_SLUG
    assert open_county(folders[""]).findings["finding_id"].tolist() == ["f" * 16]


def test_build_slice_masks_with_the_given_masker(result):
    piece = build_county_slice(result, COUNTY_A, "甲县", Masker(result.dataset.tables, enabled=False))
    assert len(piece.findings) == (result.findings["county"] == COUNTY_A).sum()


def test_compute_county_slice_loads_and_checks(csv_dataset):
    first = compute_county_slice(csv_dataset, "", as_of=AS_OF)
    assert first.county == COUNTY_B  # 乙 (U+4E59) sorts before 甲 (U+7532)
    piece = compute_county_slice(csv_dataset, COUNTY_A, as_of=AS_OF)
    assert piece.county == COUNTY_A
    assert set(piece.findings["check_id"]) >= {"EXE01", "EXE02", "EXE03"}
    assert piece.meta["as_of"] == AS_OF
    assert len(piece.ledger) >= 5 and (piece.ledger["rows_in"] >= 1).all()
    with pytest.raises(ValueError, match="not in"):
        compute_county_slice(csv_dataset, "无此县", as_of=AS_OF)


def test_only_the_selected_counties_get_slices(params, tmp_path):
    data = dataset()
    selected = run_checks(data, params, counties=[COUNTY_B])
    assert set(write_county_slices(selected, tmp_path / "s", Masker(data.tables))) == {COUNTY_B}
    full = run_checks(data, params)
    assert set(write_county_slices(full, tmp_path / "f", Masker(data.tables), counties=[COUNTY_A])) == {COUNTY_A}
