"""``make bench``: speed and memory on a province-sized synthetic dataset.

Generates once (cached under ``outputs/bench/``) 100 counties, 20,000
projects (~1,000,000 payments, ~100,000 tenders, ~400,000 bids) as Parquet,
then prints from one run: the raw ``pandas.read_parquet`` of all tables, the
time of ``load_dataset``, of each check and of all checks, the ratio
all-checks / raw read and the peak RSS.  Results also go to
``outputs/bench/results.json``; docs/performance.md records them.

Timing is measured here, never asserted by unit tests.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

AS_OF = "2020-09-25"  # the province's audit date (the synthetic data is generated as of it)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def province(out: Path, counties: int, projects: int) -> Path:
    from .synth import write_synth

    data = out / f"province_{counties}x{projects}"
    if not (data / "projects.parquet").is_file():
        t = time.perf_counter()
        write_synth(data, counties=counties, projects=projects, seed=2020, as_of=AS_OF, fmt="parquet")
        print(f"generated {data} in {time.perf_counter() - t:.1f} s")
    return data


def bench_checks(data: Path) -> dict:
    from . import load_dataset, load_params
    from .checks import run_checks  # imported here: a first import is not the checks' time

    t = time.perf_counter()
    raw = {p.stem: pd.read_parquet(p) for p in sorted(data.glob("*.parquet"))}
    t_raw = time.perf_counter() - t
    rows = {k: len(v) for k, v in raw.items()}
    del raw

    params = load_params(as_of=AS_OF)
    t = time.perf_counter()
    ds = load_dataset(data, params=params)
    t_load = time.perf_counter() - t

    t = time.perf_counter()
    result = run_checks(ds, params)
    t_checks = time.perf_counter() - t
    return {"rows": rows, "raw_read_s": t_raw, "load_dataset_s": t_load, "all_checks_s": t_checks,
            "ratio_checks_to_raw": t_checks / t_raw if t_raw else None,
            "per_check_s": dict(sorted(result.timings.items(), key=lambda kv: -kv[1])),
            "findings": len(result.findings), "not_run": result.not_run.to_dict("records")}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m kpt_audit.bench")
    ap.add_argument("--counties", type=int, default=100)
    ap.add_argument("--projects", type=int, default=20000)
    ap.add_argument("--out", default=str(ROOT / "outputs" / "bench"))
    ap.add_argument("--reports", action="store_true", help="also the report benchmark (make bench passes it)")
    ap.add_argument("--results", help="folder of results.json (default: --out)")
    a = ap.parse_args(argv)
    out = Path(a.out)
    data = province(out, a.counties, a.projects)
    res = bench_checks(data)
    res["peak_rss_mb"] = peak_rss_mb()
    res["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "pandas": pd.__version__,
                      "platform": platform.platform()}
    print(f"\nrows: {res['rows']}")
    print(f"raw read_parquet of all tables: {res['raw_read_s']:.2f} s")
    print(f"load_dataset:                   {res['load_dataset_s']:.2f} s")
    print(f"all checks:                     {res['all_checks_s']:.2f} s  "
          f"(= {res['ratio_checks_to_raw']:.1f} x raw read; target <= 10 x)")
    print(f"peak RSS:                       {res['peak_rss_mb']:.0f} MB (target <= 4096 MB)")
    print(f"findings: {res['findings']}")
    print("slowest checks:")
    for cid, s in list(res["per_check_s"].items())[:15]:
        print(f"  {cid:<8} {s:7.3f} s")
    out.mkdir(parents=True, exist_ok=True)
    if a.reports:
        from .bench_reports import bench_reports, print_reports

        res["reports"] = bench_reports(data, out, AS_OF)
        print_reports(res["reports"])
    results = Path(a.results) if a.results else out
    results.mkdir(parents=True, exist_ok=True)
    (results / "results.json").write_text(json.dumps(res, indent=2, ensure_ascii=False, default=str),
                                          encoding="utf-8")


if __name__ == "__main__":
    main()
