"""Fixtures shared across test folders: the demo, built once per test session (``kpt-audit demo``)."""
import pytest

from kpt_audit.cli import main


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The output folder of ``kpt-audit demo`` (mark tests using it ``xdist_group("demo")``)."""
    out = tmp_path_factory.mktemp("demo") / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    return out
