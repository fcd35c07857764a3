import pytest

from kpt_audit.synth import generate


@pytest.fixture(scope="session")
def small():
    return generate(counties=6, projects=400, seed=7)
