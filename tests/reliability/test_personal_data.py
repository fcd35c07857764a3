"""Personal data: no ID number, phone, bank account or legal representative's name of the input
appears in any file of a run's output folder, unless --show-personal-data asked for it."""
from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kpt_audit.batch import run_batch
from tests.reliability.conftest import audit_params, written_files

pytestmark = pytest.mark.xdist_group("reliability")


def file_texts(path: Path):
    """(part, text) of everything a reader or a program could get out of the file."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                yield name, z.read(name).decode("utf-8", "replace")
    elif path.suffix == ".parquet":
        df = pd.read_parquet(path)
        yield "columns", " ".join(map(str, df.columns))
        yield "rows", df.to_csv(index=False)
    elif path.suffix == ".ipynb":
        yield "json", path.read_text(encoding="utf-8")
        nb = nbformat.read(path, as_version=4)  # outputs as the notebook shows them (JSON escapes undone)
        yield "cells", "\n".join(str(o) for c in nb.cells for o in [c.get("source", "")] + c.get("outputs", []))
    else:
        yield "bytes", path.read_bytes().decode("utf-8", "replace")


def leaks(out: Path, personal: dict[str, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in written_files(out):
        for part, text in file_texts(path):
            hits = [v for v in personal if v in text]
            if hits:
                found[f"{path.relative_to(out)}:{part}"] = hits
    return found


def test_every_file_of_a_default_run_is_masked(hostile_run, hostile_data):
    kinds = {p.suffix for p in written_files(hostile_run.out)}
    assert {".html", ".ipynb", ".xlsx", ".csv", ".parquet", ".json"} <= kinds
    assert len(hostile_data.personal) > 1000
    assert set(hostile_data.personal.values()) == {"suppliers.legal_rep", "suppliers.phone", "suppliers.bank_account",
                                                   "suppliers.id_number", "bids.bond_account", "subsidies.bank_account"}
    assert leaks(hostile_run.out, hostile_data.personal) == {}
    assert hostile_run.manifest["personal_data_masked"] is True


def test_masks_keep_the_recognisable_ends(hostile_run, hostile_data):
    """The delay reasons quoting a supplier's data are still there, masked as 3301**********1234 and 138****5678."""
    slug = next(c["slug"] for c in hostile_run.manifest["counties"] if c["county"] == hostile_data.counties[0])
    projects = pd.read_parquet(hostile_run.out / "slices" / slug / "tables" / "projects.parquet")
    quoted = projects["delay_reason"].dropna()
    quoted = quoted[quoted.str.startswith("联系人")]
    assert len(quoted)
    assert quoted.str.contains(r"电话1[3-9]\d\*{4}\d{4}").all()
    assert quoted.str.contains(r"身份证\d{4}\*{10}\d{3}[\dX]").all()
    assert quoted.str.contains(r"联系人[\u4e00-\u9fff]\*+，").all()


def test_exact_values_still_drive_the_checks(hostile_run):
    """PRO10 (shared phone/account among bidders) and SUB05 (shared account) match on unmasked values."""
    findings = pd.read_csv(hostile_run.out / "findings.csv", dtype=str, encoding="utf-8-sig")
    assert {"PRO10", "SUB05"} <= set(findings["check_id"])


def test_show_personal_data_turns_masking_off_and_says_so(hostile_data, tmp_path):
    out = tmp_path / "shown"
    county = hostile_data.counties[0]
    assert run_batch(hostile_data.folder, out, audit_params(), counties=[county], jobs=1,
                     show_personal_data=True).failed == []
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"personal_data_masked": false' in manifest
    found = leaks(out, hostile_data.personal)
    kinds = {hostile_data.personal[v] for hits in found.values() for v in hits}
    assert {"suppliers.legal_rep", "suppliers.phone", "suppliers.id_number"} <= kinds
    assert kinds & {"suppliers.bank_account", "bids.bond_account"}  # one account number serves as both here
    assert any(k.startswith("slices/") and "tables/projects.parquet" in k for k in found)  # what the report reads
