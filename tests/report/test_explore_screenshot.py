"""scripts/screenshots.py, which takes the README's picture of the explorer, works: on the tiny dataset,
JupyterLab runs the real notebook and headless Chromium sees the widgets with a finding's source rows."""
import asyncio
import importlib.util
import struct
from pathlib import Path

import nbformat
import pytest

from .conftest import AS_OF, COUNTY_A

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report-notebooks")]


def _script():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_copy_runs_the_notebook_on_the_given_folders_with_its_code_folded(tmp_path):
    shots = _script()
    path = shots.explorer_copy(tmp_path, Path("/data/x"), Path("/runs/x"), AS_OF, COUNTY_A)
    nb = nbformat.read(str(path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.metadata["jupyter"]["source_hidden"] for c in code)
    ns: dict = {}
    exec(code[0].source, ns)
    assert (ns["data_dir"], ns["out_dir"], ns["as_of"]) == ("/data/x", "/runs/x", AS_OF)
    assert f"county.value = '{COUNTY_A}'" in code[-1].source and code[-1].source.endswith("widget")
    # the notebook in the repository is left as it is
    assert "source_hidden" not in (ROOT / "notebooks" / "explore.ipynb").read_text(encoding="utf-8")


def test_the_explorer_is_shot_in_jupyterlab(csv_dataset, tmp_path):
    shots = _script()
    browser = shots.find_browser()
    if browser is None:
        pytest.skip("no Chromium here (Debian: apt-get install chromium)")
    out = tmp_path / "img" / "explorer.png"
    shot = asyncio.run(shots.shoot_explorer(browser, csv_dataset, tmp_path / "run", AS_OF, COUNTY_A, out,
                                            tmp_path / "work", timeout=120))
    assert shot == out and not out.with_name("explorer.failed.png").exists()
    head = out.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (1400, 1800)
    assert out.stat().st_size > 50_000  # widgets, chart and tables drawn, not a blank page
