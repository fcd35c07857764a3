"""Report benchmark (part of ``make bench``): per-county overhead and the 100-county batch.

* bare: a papermill run of a notebook that imports pandas and seaborn and
  draws one plot — the floor any notebook-per-county design pays;
* county: one county report (notebook + HTML) on a prepared slice;
* overhead = county CPU − bare CPU (target ≤ 4 s);
* batch: ``run_batch`` over every county of the province with ``--jobs 2``
  (target ≤ 4 minutes on 2 cores).
CPU is user+sys of the worker process and the kernel it starts.
"""
from __future__ import annotations

import json
import resource
import tempfile
import time
from pathlib import Path

import nbformat

BARE_CELLS = [
    "import pandas as pd\nimport seaborn as sns\nimport matplotlib\nmatplotlib.use('Agg')",
    "ax = sns.barplot(x=['a', 'b', 'c'], y=[1, 3, 2])",
]


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed_worker(notebook: Path, out_dir: Path, parameters: dict, name: str) -> tuple[float, float, str]:
    from .report.runner import run_worker

    cpu0, t0 = _children_cpu(), time.perf_counter()
    status, error, _ = run_worker(notebook, out_dir / f"{name}.ipynb", out_dir / f"{name}.html", parameters, name,
                                  timeout=600)
    return _children_cpu() - cpu0, time.perf_counter() - t0, status + (f" ({error})" if error else "")


def bench_reports(data: Path, out: Path, as_of: str, jobs: int = 2) -> dict:
    from . import load_dataset, load_params, run_checks
    from .batch import run_batch
    from .privacy import Masker
    from .report.runner import notebooks_dir
    from .report.slices import write_county_slices

    work = Path(tempfile.mkdtemp(prefix="kpt-bench-", dir=out))
    bare = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in BARE_CELLS])
    bare.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(bare, work / "bare.ipynb")
    bare_cpu, bare_wall, bare_status = _timed_worker(work / "bare.ipynb", work, {}, "bare_run")

    params = load_params(as_of=as_of)
    ds = load_dataset(data, params=params)
    result = run_checks(ds, params)
    county = sorted(c for c in result.findings["county"].dropna().unique() if c)[0]
    slices = write_county_slices(result, work / "slices", Masker(ds.tables), counties=[county])
    parameters = {"data_dir": str(data), "county": county, "params_file": "", "as_of": as_of,
                  "findings_dir": str(slices[county]), "lang": "zh"}
    county_cpu, county_wall, county_status = _timed_worker(notebooks_dir() / "county_report.ipynb", work,
                                                           parameters, "county_run")

    t0 = time.perf_counter()
    batch = run_batch(data, out / "batch", params, jobs=jobs)
    batch_wall = time.perf_counter() - t0
    manifest = json.loads((out / "batch" / "manifest.json").read_text(encoding="utf-8"))
    return {"bare_notebook_cpu_s": bare_cpu, "bare_notebook_wall_s": bare_wall, "bare_status": bare_status,
            "county_report_cpu_s": county_cpu, "county_report_wall_s": county_wall, "county_status": county_status,
            "overhead_cpu_s": county_cpu - bare_cpu, "batch_jobs": jobs, "batch_wall_s": batch_wall,
            "batch_failed": batch.failed, "batch_counties": len(manifest.get("counties", [])),
            "batch_timings_s": manifest.get("timings_seconds", {})}


def print_reports(res: dict) -> None:
    print(f"\nbare papermill notebook (pandas + seaborn + 1 plot): {res['bare_notebook_cpu_s']:.2f} s CPU "
          f"({res['bare_status']})")
    print(f"one county report (notebook + HTML):                {res['county_report_cpu_s']:.2f} s CPU, "
          f"{res['county_report_wall_s']:.2f} s wall "
          f"({res['county_status']})")
    print(f"  beyond a bare notebook:                           {res['overhead_cpu_s']:.2f} s CPU (target <= 4 s)")
    print(f"batch of {res['batch_counties']} counties, --jobs {res['batch_jobs']}:                "
          f"{res['batch_wall_s']:.0f} s wall (target <= 240 s), failed: {', '.join(res['batch_failed']) or 'none'}")
