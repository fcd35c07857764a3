"""``make bench``'s scale sweep (issue 14): how the checks and the batch grow from a province to a nation.

For each size (counties; 200 projects per county, as the province; the data are generated once and
cached under ``outputs/bench/``) it measures, each in a fresh process so that peak memory is that
run's alone: the raw Parquet read of every table, and what ``kpt-audit check`` does — the whole
dataset in memory, or above ``pipeline.SPLIT_ABOVE_ROWS`` rows the data split on disk by county and
checked a partition at a time — its load, all checks and peak RSS.  Then the batch (up to
``--batch-up-to`` counties, as the slices are made by a whole ``run`` first): the same few counties'
reports as tasks on a Dask ``LocalCluster`` of 1 and of 2 workers (``--scheduler``'s path, after a
warm-up task on each worker; the slices made beforehand), giving seconds per county and the 2-worker
speed-up.

Figures are printed and written to ``outputs/bench/scale.json``; docs/scaling.md records them.
Timing is measured here, never asserted by unit tests.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECTS_PER_COUNTY = 200
BATCH_COUNTIES = 16  # counties whose reports the batch figures time (the same ones with 1 and 2 workers)


def checks_at(counties: int, out: Path) -> dict:
    """At ``counties`` counties: the raw Parquet read of every table (a process of its own, one table at a
    time), then what ``kpt-audit check`` does — load (or split on disk, above pipeline.SPLIT_ABOVE_ROWS)
    and all checks — in another process, whose peak memory is that run's alone."""
    from .bench import province

    data = province(out, counties, PROJECTS_PER_COUNTY * counties)
    raw = _child("raw", data)
    front = _child("front", data)
    return {**raw, **front, "ratio_checks_to_raw": front["all_checks_s"] / raw["raw_read_s"]}


def _child(what: str, data: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "kpt_audit.bench_scale", "--child", what, str(data)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _raw_read(data: Path) -> dict:
    import pandas as pd

    rows, started = {}, time.perf_counter()
    for path in sorted(data.glob("*.parquet")):
        rows[path.stem] = len(pd.read_parquet(path))
    return {"rows": rows, "raw_read_s": time.perf_counter() - started}


def _front(data: Path) -> dict:
    from . import checks  # noqa: F401  (a first import is not the checks' time)
    from .bench import AS_OF, peak_rss_mb
    from .params import load_params
    from .pipeline import run_front

    front = run_front(data, load_params(as_of=AS_OF))
    try:
        return {"path": "split" if front.split is not None else "memory", "load_dataset_s": front.timings["load"],
                "all_checks_s": front.timings["checks"], "findings": len(front.result.findings),
                "partitions": len(front.split.groups) if front.split is not None else 1,
                "peak_rss_mb": peak_rss_mb()}
    finally:
        front.close()


def batch_throughput(counties: int, out: Path, workers: int) -> dict:
    """Seconds per county of ``BATCH_COUNTIES`` county reports run as tasks on a LocalCluster of
    ``workers`` workers (what ``--scheduler`` does after the checks); the slices are made once, locally,
    so that only the reports are timed."""
    from concurrent.futures import ThreadPoolExecutor

    from distributed import Client, LocalCluster

    from .batch import run_batch
    from .bench import AS_OF
    from .cluster import ClusterWorker
    from .params import load_params
    from .report.runner import county_parameters, notebooks_dir
    from .synth.names import county_names
    from .worker_pool import job

    data = out / f"province_{counties}x{PROJECTS_PER_COUNTY * counties}"
    chosen = county_names(counties)[:BATCH_COUNTIES]
    params = load_params(as_of=AS_OF)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        tmp = Path(tmp)
        prepared = run_batch(data, tmp / "run", params, counties=chosen, jobs=2)
        jobs = [job(notebooks_dir() / "county_report.ipynb", tmp / "cluster" / f"{c['slug']}.ipynb",
                    tmp / "cluster" / f"{c['slug']}.html",
                    county_parameters(c["county"], tmp / "run" / "slices" / c["slug"], params, str(data)),
                    c["county"])
                for c in prepared.manifest["counties"]]
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          host="127.0.0.1") as cluster, Client(cluster, set_as_default=False) as client:
            worker = ClusterWorker(client)
            with ThreadPoolExecutor(max_workers=workers) as pool:
                # warm-up, one task a worker at once: a worker's first task imports papermill and nbconvert
                list(pool.map(lambda j: worker.run(j, timeout=600), jobs[:workers]))
                started = time.perf_counter()
                statuses = list(pool.map(lambda j: worker.run(j, timeout=600)[0], jobs))
                seconds = time.perf_counter() - started
    return {"workers": workers, "counties": len(jobs), "failed": [s for s in statuses if s != "ok"],
            "reports_s": round(seconds, 2), "per_county_s": round(seconds / len(jobs), 2)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m kpt_audit.bench_scale")
    ap.add_argument("--sizes", default="100,1000,3000", help="counties per size, comma separated (3000 makes a "
                                                          "1.3 GB dataset first, about 25 minutes)")
    ap.add_argument("--out", default=str(ROOT / "outputs" / "bench"))
    ap.add_argument("--batch-up-to", type=int, default=1000,
                    help="time the county reports only up to this size (their slices are made by a whole run "
                         "first: at 3,000 counties a split and every check, about 15 minutes)")
    ap.add_argument("--child", nargs=2, metavar=("WHAT", "DATA"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        what, data = a.child
        print(json.dumps(_raw_read(Path(data)) if what == "raw" else _front(Path(data))))
        return
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for counties in (int(x) for x in a.sizes.split(",")):
        res = checks_at(counties, out)
        batch = [batch_throughput(counties, out, w) for w in (1, 2)] if counties <= a.batch_up_to else []
        one, two = (batch[0]["per_county_s"], batch[1]["per_county_s"]) if batch else (None, None)
        rows.append({"counties": counties, **res, "batch": batch,
                     "speedup_2_workers": round(one / two, 2) if one and two else None})
        print(json.dumps(rows[-1], ensure_ascii=False))
    (out / "scale.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    print("\ncounties  path    raw read  load     checks   ratio  peak RSS   s/county 1 worker  2 workers  speed-up")
    for r in rows:
        one, two = (r["batch"][0]["per_county_s"], r["batch"][1]["per_county_s"]) if r["batch"] else ("-", "-")
        print(f"{r['counties']:>8}  {r['path']:<6} {r['raw_read_s']:7.2f}s {r['load_dataset_s']:7.2f}s "
              f"{r['all_checks_s']:7.2f}s {r['ratio_checks_to_raw']:5.1f}x {r['peak_rss_mb']:7.0f} MB  {one:>9} s"
              f"{two:>11} s {r['speedup_2_workers'] or '-':>8}x")


if __name__ == "__main__":
    main()
