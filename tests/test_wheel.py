"""An installed wheel, outside the checkout, carries its notebooks and params and runs a report."""
import json
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("batch")


def sh(*args, cwd, timeout=600, env=None):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc.stdout


def test_wheel_installs_and_runs_outside_the_repo(tmp_path):
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", ROOT, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("kpt_audit-*.whl"))
    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    py = venv / "bin" / "python"
    # dependencies come from the test environment; the package itself only from the wheel
    venv_site = Path(sh(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).strip())
    (venv_site / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    sh(py, "-m", "pip", "install", "--no-deps", "-q", wheel, cwd=tmp_path)

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = sh(py, "-c", "import kpt_audit, pathlib; print(pathlib.Path(kpt_audit.__file__).parent)", cwd=work).strip()
    assert str(ROOT) not in where
    pkg = Path(where)
    assert (pkg / "data" / "notebooks" / "county_report.ipynb").is_file()
    assert (pkg / "data" / "params" / "default.yaml").is_file()

    cli = venv / "bin" / "kpt-audit"
    sh(cli, "synth", "data", "--counties", "4", "--projects", "60", "--seed", "5", cwd=work)
    import pandas as pd

    county = sorted(pd.read_csv(work / "data" / "projects.csv", dtype=str, encoding="utf-8-sig")["county"])[0]
    # the dependencies' data files (nbconvert's templates) are where the test environment keeps them
    env = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    out = sh(cli, "run", "data", "--out", "report", "--county", county, "--jobs", "1", "--as-of", "2020-09-25",
             cwd=work, env=env)
    assert "index.html" in out
    manifest = json.loads((work / "report" / "manifest.json").read_text(encoding="utf-8"))
    assert [c["status"] for c in manifest["counties"]] == ["ok"]
    assert (work / "report" / "index.html").is_file()
    assert manifest["params_source"].startswith(where)
