"""County names for any review up to a nation's: unique, plausible, stable for small sets (issue 14)."""
import re

import pytest

from kpt_audit.cli import main
from kpt_audit.synth.names import COUNTY_SUFFIXES, MAX_COUNTIES, county_names


def test_a_nation_of_names_is_unique_and_looks_like_counties():
    names = county_names(3000)
    assert len(set(names)) == 3000
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2}[县区市]", n) for n in names)
    assert MAX_COUNTIES >= 3000


def test_small_sets_keep_the_city_names_they_had():
    assert county_names(4) == ["东城县", "东城区", "西湖县", "西湖区"]
    assert county_names(180)[-1] == "仁化" + COUNTY_SUFFIXES[2]
    assert county_names(181)[:180] == county_names(180)


def test_more_than_the_pool_is_a_clear_error():
    assert len(county_names(MAX_COUNTIES)) == MAX_COUNTIES
    with pytest.raises(ValueError, match=f"at most {MAX_COUNTIES}"):
        county_names(MAX_COUNTIES + 1)


@pytest.mark.parametrize("counties", [2, MAX_COUNTIES + 1])
def test_synth_refuses_a_count_it_cannot_make_as_a_usage_error(tmp_path, capsys, counties):
    assert main(["synth", str(tmp_path / "d"), "--counties", str(counties)]) == 2
    err = capsys.readouterr().err
    assert f"--counties {counties}" in err and "internal error" not in err
    assert not (tmp_path / "d").exists()


def test_synth_makes_more_counties_than_a_province(tmp_path):
    assert main(["synth", str(tmp_path / "d"), "--counties", "300", "--projects", "1200", "--format", "parquet"]) == 0
    import pandas as pd

    projects = pd.read_parquet(tmp_path / "d" / "projects.parquet")
    assert projects["county"].nunique() == 300
    assert set(projects["county"]) == set(county_names(300))
