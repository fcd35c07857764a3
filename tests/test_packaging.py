"""environment.yml (conda) and pyproject.toml (pip) declare the same dependencies."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda packages with no pip counterpart: a CJK font (pip users get one from the OS / Debian)
CONDA_ONLY = {"font-ttf-noto-cjk"}


def _name_spec(req: str) -> tuple[str, str]:
    # pip extras (psycopg[binary]) only choose how pip installs a package; conda has no extras
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*(.*)", req)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _is_python_or_pip(dep: str) -> bool:
    """The interpreter and pip themselves, not packages whose names start so (python-docx)."""
    return re.match(r"(python|pip)(?![\w-])", dep) is not None


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_deps = dict(_name_spec(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = dict(_name_spec(d.split("#")[0]) for d in env["dependencies"]
                 if isinstance(d, str) and not _is_python_or_pip(d))
    for name in CONDA_ONLY:
        assert conda.pop(name, None) is not None, f"{name} is listed as conda-only but not in environment.yml"
    assert conda == pip_deps


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and _is_python_or_pip(d) and d != "pip"]
    assert pythons == ["python" + project["requires-python"]]


def test_notebooks_carry_no_outputs():
    import nbformat

    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.get("outputs"), f"{path.name} has outputs: run `make strip`"
                assert cell.get("execution_count") is None, f"{path.name} has execution counts: run `make strip`"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in ci
    first_block = readme.split("```")[1]
    assert [line.strip() for line in first_block.strip().splitlines()] == ["make demo", "make test"]
