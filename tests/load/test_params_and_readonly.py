"""User aliases and unit overrides from a params file; input files are never written."""
from __future__ import annotations

import hashlib
import stat

import pytest

from kpt_audit.load import load_dataset
from kpt_audit.params import ParamsError, load_params

from .conftest import PROJECTS_CSV, write_text


def test_user_aliases_and_units_from_a_params_file(tmp_path):
    data = tmp_path / "data"
    write_text(data / "projects.csv", "编号,项目名,县区,概算\nP1,a,甲县,3.5\n")
    params_file = write_text(tmp_path / "params.yaml",
                             "loader:\n  aliases: {projects: {编号: project_id, 项目名: project_name}}\n"
                             "  units: {projects: {budget: 万元}}\n")
    ds = load_dataset(data, load_params(params_file))
    p = ds.tables["projects"]
    assert p[["project_id", "project_name"]].iloc[0].tolist() == ["P1", "a"]
    assert p["budget"].tolist() == [35_000.0]
    assert "budget: 万元 -> 元 (x10000, params loader.units)" in ds.ledger.loc[0, "notes"]


def test_user_alias_to_an_unknown_column_is_an_error(tmp_path):
    data = tmp_path / "data"
    write_text(data / "projects.csv", PROJECTS_CSV)
    params_file = write_text(tmp_path / "p.yaml", "loader:\n  aliases: {projects: {编号: project_code}}\n")
    # a params file that fails validation is refused when it is read (exit 2), before any data is loaded
    with pytest.raises(ParamsError, match="'project_code', which is not a column of projects"):
        load_dataset(data, load_params(params_file))


def test_read_only_folder_loads_and_files_are_unchanged(tmp_path):
    # As root the chmod does not block writes, so the test also compares hashes and the listing.
    data = tmp_path / "data"
    write_text(data / "projects.csv", PROJECTS_CSV, "gbk")
    before = hashlib.sha256((data / "projects.csv").read_bytes()).hexdigest()
    (data / "projects.csv").chmod(stat.S_IRUSR)
    data.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        ds = load_dataset(data)
    finally:
        data.chmod(stat.S_IRWXU)
    assert ds.sources.loc[0, "sha256"] == before
    assert hashlib.sha256((data / "projects.csv").read_bytes()).hexdigest() == before
    assert sorted(p.name for p in data.iterdir()) == ["projects.csv"]
    assert ds.root == str(data)
