"""Fixtures shared across test folders: the demo, built once per test session (``kpt-audit demo``), and the
exact comparison of two check results."""
import pandas as pd
import pytest

from kpt_audit.cli import main


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The output folder of ``kpt-audit demo`` (mark tests using it ``xdist_group("demo")``)."""
    out = tmp_path_factory.mktemp("demo") / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def same_results():
    """``same_results(a, b)`` asserts two check results equal to the last bit: findings, not-run notes and
    metric tables (pandas' default tolerance once hid a last-bit difference in a sum)."""
    def same(a, b):
        pd.testing.assert_frame_equal(a.findings, b.findings, check_exact=True)
        pd.testing.assert_frame_equal(a.not_run, b.not_run)
        pd.testing.assert_frame_equal(a.unjudged, b.unjudged)
        assert list(a.metrics) == list(b.metrics)
        for name in a.metrics:
            pd.testing.assert_frame_equal(a.metrics[name], b.metrics[name], check_exact=True)
    return same
