"""``kpt-audit run``: checks once -> per-county slices -> papermill per county -> HTML -> roll-up.

Each county's notebook runs in a worker process (``worker_pool.py``: a few
long-lived workers, each notebook with a fresh kernel, a worker replaced after
any failure), so a crash, a hang past ``--timeout`` or a killed process costs
that county only: the others finish, the manifest and the
index record the failure, and the exit code is 3.  Notebooks read only the
county slice written here, never the raw dataset.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import __version__
from .errors import UsageError, check_counties
from .outputs import sha256_file, write_check_outputs, write_json
from .worker_pool import Worker, job as worker_job

log = logging.getLogger("kpt_audit.batch")

EXIT_OK, EXIT_BAD_DATA, EXIT_SOME_FAILED = 0, 1, 3


def notebooks_dir() -> Path:
    """The notebooks of the checkout, else those shipped inside the package."""
    repo = Path(__file__).resolve().parents[1] / "notebooks"
    if (repo / "county_report.ipynb").is_file():
        return repo
    return Path(__file__).resolve().parent / "data" / "notebooks"


@dataclass
class CountyJob:
    county: str
    slug: str
    slice_dir: Path
    ipynb: Path
    html: Path
    fingerprint: str


def _fingerprint(slice_dir: Path, extra: str) -> str:
    """What a county's report depends on: its slice's bytes, the notebook, the tool version."""
    h = hashlib.sha256(extra.encode("utf-8"))
    for f in sorted(p for p in slice_dir.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(slice_dir)).encode("utf-8"))
        h.update(sha256_file(f).encode("ascii"))
    return h.hexdigest()


def run_county(worker: Worker, notebook: Path, out_ipynb: Path, out_html: Path, parameters: dict, title: str,
               timeout: float) -> tuple[str, str, float]:
    """Execute one notebook on ``worker``; returns (status, error, seconds).

    An earlier run's outputs are removed first and a dead worker's temporary
    files after, so that whatever is left under the final names is this run's
    and complete.
    """
    for final in (out_ipynb, out_html):
        remove_stale(final)
    status, error, seconds = worker.run(worker_job(notebook, out_ipynb, out_html, parameters, title), timeout)
    if status != "ok":
        _remove_temporaries(out_ipynb, out_html)
    return status, error, seconds


def run_worker(notebook: Path, out_ipynb: Path, out_html: Path, parameters: dict, title: str,
               timeout: float) -> tuple[str, str, float]:
    """One notebook in a worker process of its own (the roll-up, benchmarks)."""
    worker = Worker()
    try:
        return run_county(worker, notebook, out_ipynb, out_html, parameters, title, timeout)
    finally:
        worker.stop()


def _remove_temporaries(*finals: Path) -> None:
    """A killed worker's half-written files (``.<name>.<pid>.tmp.ipynb``, ``.<name>.<random>.tmp``)."""
    for final in finals:
        for leftover in final.parent.glob(f".{glob_escape(final.name)}.*tmp*"):
            leftover.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in name)


def _progress(total: int):
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(total=total, unit="county", desc="reports", file=sys.stderr)
    return None


def run_batch(data, out, *, params_file=None, as_of=None, counties=(), jobs=None, timeout=600.0,
              previous=None, resume=False, show_personal_data=False, notebooks: Path | None = None) -> int:
    """The whole ``run`` command; returns the exit code (0, 1 or 3).

    Raises LoadError/ParamsError for bad data/params before any county starts.
    ``notebooks`` replaces the folder of county_report/rollup notebooks (tests inject faults with it).
    """
    from .checks import run_checks
    from .findings import with_status
    from .load import load_dataset
    from .params import load_params
    from .privacy import Masker

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    old = _read_manifest(out) if resume else {}  # before this run overwrites it
    t0 = time.perf_counter()
    params = load_params(params_file, as_of=as_of)
    ds = load_dataset(data, params=params)
    t_load = time.perf_counter()
    check_counties(ds, counties)
    result = run_checks(ds, params, counties=list(counties) or None)
    t_checks = time.perf_counter()
    if previous:
        prev_file = Path(previous) / "findings.csv"
        if not prev_file.is_file():
            raise UsageError(f"--previous {previous}: no findings.csv there (give the folder of an earlier run)")
        prev = pd.read_csv(prev_file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        prev["amount"] = pd.to_numeric(prev["amount"], errors="coerce")
        if counties:
            prev = prev[prev["county"].isin(set(counties))]
        result.findings = with_status(result.findings, prev)

    timings = {"load": t_load - t0, "checks": t_checks - t_load}
    masker = Masker(ds.tables, enabled=not show_personal_data)
    manifest = write_check_outputs(result, out, counties=list(counties), show_personal_data=show_personal_data,
                                   timings=timings, masker=masker)
    return render_reports(result, out, params, manifest, masker, data_dir=str(Path(data).resolve()),
                          params_file=str(Path(params_file).resolve()) if params_file else "",
                          counties=counties, jobs=jobs, timeout=timeout, earlier=old, notebooks=notebooks)


def render_reports(result, out: Path, params, manifest: dict, masker, *, data_dir: str = "", params_file: str = "",
                   counties=(), jobs=None, timeout: float = 600.0, earlier: dict | None = None,
                   notebooks: Path | None = None, title: str = "回头望审计报告",
                   rollup_title: str = "回头望审计 汇总") -> int:
    """findings.xlsx, one report per county (slices -> notebooks -> HTML), the roll-up; exit 0 or 3.

    ``earlier`` is the manifest of the run being resumed (counties whose fingerprint is unchanged
    and whose files exist are kept); ``manifest`` gets the per-county statuses and is rewritten.
    """
    from .report.excel import write_findings_workbook
    from .report.slices import counties_of, write_county_slices

    started = time.perf_counter()
    out = Path(out)
    write_findings_workbook(masker.frame(result.findings), out / "findings.xlsx", lang=params.lang)

    unwritten: dict[str, tuple[Path, str]] = {}
    slices = write_county_slices(result, out / "slices", masker, counties=list(counties) or None, failures=unwritten)
    nb_dir = Path(notebooks) if notebooks else notebooks_dir()
    county_nb = nb_dir / "county_report.ipynb"
    nb_hash = sha256_file(county_nb)
    old_by_county = {c["county"]: c for c in (earlier or {}).get("counties", [])}

    jobs_list = []
    for county, slice_dir in slices.items():
        slug = slice_dir.name
        fp = _fingerprint(slice_dir, f"{__version__}|{nb_hash}|{params.lang}")
        jobs_list.append(CountyJob(county, slug, slice_dir, out / "counties" / f"{slug}.ipynb",
                                   out / "counties" / f"{slug}.html", fp))
    (out / "counties").mkdir(exist_ok=True)

    statuses: dict[str, dict] = {}
    todo = []
    for job in jobs_list:
        prior = old_by_county.get(job.county)
        if (prior and prior.get("status") == "ok" and prior.get("fingerprint") == job.fingerprint
                and job.html.is_file() and job.ipynb.is_file()):
            statuses[job.county] = {**prior, "resumed": True}
        else:
            todo.append(job)

    bar = _progress(len(todo))
    idle: queue.Queue = queue.Queue()
    n_workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    for _ in range(n_workers):
        idle.put(Worker())

    def on_a_worker(*args):
        worker = idle.get()
        try:
            return run_county(worker, *args)
        finally:
            idle.put(worker)

    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        futures = {}
        for job in todo:
            params_nb = {"data_dir": data_dir, "county": job.county, "params_file": params_file,
                         "as_of": params.as_of.strftime("%Y-%m-%d"), "findings_dir": str(job.slice_dir.resolve()),
                         "lang": params.lang}
            futures[pool.submit(on_a_worker, county_nb, job.ipynb, job.html, params_nb,
                                f"{job.county or '未指定'} {title}", timeout)] = job
        for fut in as_completed(futures):
            job = futures[fut]
            status, error, seconds = fut.result()
            statuses[job.county] = {"county": job.county, "slug": job.slug, "status": status, "error": error,
                                    "html": f"counties/{job.slug}.html",
                                    "notebook": f"counties/{job.slug}.ipynb" if job.ipynb.is_file() else None,
                                    "seconds": round(seconds, 2), "fingerprint": job.fingerprint}
            if bar is not None:
                bar.update(1)
                bar.set_postfix_str(job.county)
            else:
                print(f"[{len(statuses)}/{len(jobs_list)}] {job.county or '未指定'}: {status}"
                      + (f" ({error})" if error else ""), file=sys.stderr, flush=True)
    if bar is not None:
        bar.close()
    while not idle.empty():
        idle.get().stop()

    for county, (folder, error) in unwritten.items():
        log.error("%s: slice not written: %s", county or "未指定", error)
        statuses[county] = {"county": county, "slug": folder.name, "status": "failed", "error": error,
                            "html": f"counties/{folder.name}.html", "notebook": None, "seconds": 0.0,
                            "fingerprint": None}
        for stale in (out / "counties" / f"{folder.name}.html", out / "counties" / f"{folder.name}.ipynb"):
            remove_stale(stale)
    manifest["counties"] = [statuses[c] for c in counties_of(result, list(counties) or None) if c in statuses]
    manifest.setdefault("timings_seconds", {})["reports"] = round(time.perf_counter() - started, 2)
    failed = [c for c in manifest["counties"] if c["status"] != "ok"]
    write_json(manifest, out / "manifest.json")

    rollup_status, rollup_error, _ = run_worker(nb_dir / "rollup.ipynb", out / "rollup.ipynb", out / "index.html",
                                                {"run_dir": str(out.resolve())}, rollup_title, timeout)
    manifest["rollup"] = {"status": rollup_status, "error": rollup_error}
    write_json(manifest, out / "manifest.json")
    if rollup_status != "ok":
        log.error("roll-up failed: %s", rollup_error)
        failed.append({"county": "(roll-up)"})
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def remove_stale(path: Path) -> None:
    """Remove a file left from an earlier run so that no stale report survives under a final name."""
    path.unlink(missing_ok=True)


__all__ = ["run_batch", "run_worker", "notebooks_dir"]
