"""``make bench``'s scale sweep (issue 14): how the checks and the batch grow from a province to a nation.

For each size (counties; 200 projects per county, as the province) it runs, in a fresh process so
that peak memory is that size's alone, ``python -m kpt_audit.bench`` (raw Parquet read, load, all
checks, peak RSS; the data are generated once and cached under ``outputs/bench/``).  Then the batch:
the same few counties' reports as tasks on a Dask ``LocalCluster`` of 1 and of 2 workers
(``--scheduler``'s path, after a warm-up task; the slices made beforehand), giving seconds per
county and the 2-worker speed-up.

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
BATCH_COUNTIES = 8  # counties whose reports the batch figures time (the same ones with 1 and 2 workers)


def checks_at(counties: int, out: Path) -> dict:
    """The province benchmark at ``counties`` counties, in a process of its own."""
    folder = out / f"scale_{counties}"
    cmd = [sys.executable, "-m", "kpt_audit.bench", "--counties", str(counties),
           "--projects", str(PROJECTS_PER_COUNTY * counties), "--out", str(out), "--results", str(folder)]
    subprocess.run(cmd, check=True)
    return json.loads((folder / "results.json").read_text(encoding="utf-8"))


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
            worker.run(jobs[0], timeout=600)  # warm-up: each worker's first task imports papermill
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=workers) as pool:
                statuses = list(pool.map(lambda j: worker.run(j, timeout=600)[0], jobs))
            seconds = time.perf_counter() - started
    return {"workers": workers, "counties": len(jobs), "failed": [s for s in statuses if s != "ok"],
            "reports_s": round(seconds, 2), "per_county_s": round(seconds / len(jobs), 2)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m kpt_audit.bench_scale")
    ap.add_argument("--sizes", default="100,1000", help="counties per size, comma separated (3000: about 18 GB "
                                                          "of memory on the in-memory path)")
    ap.add_argument("--out", default=str(ROOT / "outputs" / "bench"))
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for counties in (int(x) for x in a.sizes.split(",")):
        res = checks_at(counties, out)
        batch = [batch_throughput(counties, out, w) for w in (1, 2)]
        one, two = batch[0]["per_county_s"], batch[1]["per_county_s"]
        rows.append({"counties": counties, "rows": res["rows"], "raw_read_s": res["raw_read_s"],
                     "load_dataset_s": res["load_dataset_s"], "all_checks_s": res["all_checks_s"],
                     "ratio_checks_to_raw": res["ratio_checks_to_raw"], "peak_rss_mb": res["peak_rss_mb"],
                     "batch": batch, "speedup_2_workers": round(one / two, 2) if one and two else None})
    (out / "scale.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    print("\ncounties  raw read  load     checks   ratio  peak RSS   s/county 1 worker  2 workers  speed-up")
    for r in rows:
        print(f"{r['counties']:>8}  {r['raw_read_s']:7.2f}s {r['load_dataset_s']:7.2f}s {r['all_checks_s']:7.2f}s "
              f"{r['ratio_checks_to_raw']:5.1f}x {r['peak_rss_mb']:7.0f} MB  {r['batch'][0]['per_county_s']:>9} s"
              f"{r['batch'][1]['per_county_s']:>11} s {r['speedup_2_workers']:>8}x")


if __name__ == "__main__":
    main()
