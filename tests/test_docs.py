"""Generated docs are committed in step with the code that generates them."""
from pathlib import Path

from kpt_audit.docs import checks_markdown, demo_examples

ROOT = Path(__file__).resolve().parents[1]


def test_docs_checks_md_is_generated_from_the_registry():
    expected = checks_markdown(demo_examples())
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == expected, "run `make docs`"


def test_every_check_documented_with_basis_parameters_and_example():
    from kpt_audit.checks import all_checks

    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    for c in all_checks().values():
        section = text.split(f"## {c.id}\n", 1)[1].split("\n## ", 1)[0]
        assert c.basis in section and "Finding when:" in section
        for p in c.params:
            assert f"`{p}`" in section
        assert "- Example (demo data" in section, f"{c.id} has no example finding on the demo"
