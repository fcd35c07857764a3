"""The report half of ``run`` and ``ocds``: findings.xlsx, slices -> one notebook per county -> HTML, roll-up.

Each county's notebook runs in a worker process (``worker_pool.py``: a few
long-lived workers, each notebook with a fresh kernel, a worker replaced after
any failure), so a crash, a hang past the timeout or a killed process costs
that county only: the others finish, and the manifest and the index record
the failure.  Notebooks read only the county slice written here, never the raw
dataset.  Nothing here prints: progress goes to the caller's ``progress``
callback, failures are returned.
"""
from __future__ import annotations

import hashlib
import logging
import queue
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..cluster import workers_of
from ..files import sha256_file, write_json
from ..messages import text
from ..version import __version__
from ..worker_pool import Worker, job as worker_job

log = logging.getLogger("kpt_audit.report.runner")

ROLLUP = "(roll-up)"
ROLLUP_TIMEOUT = 600.0  # seconds the roll-up gets at least, whatever a county's --timeout

# progress(done, total, county, status, error): called once per county report as it ends
Progress = Callable[[int, int, str, str, str], None]


def notebooks_dir() -> Path:
    """The notebooks of the checkout, else those shipped inside the package."""
    repo = Path(__file__).resolve().parents[2] / "notebooks"
    if (repo / "county_report.ipynb").is_file():
        return repo
    return Path(__file__).resolve().parents[1] / "data" / "notebooks"


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


def county_parameters(county: str, slice_dir: Path, params, data_dir: str = "", params_file: str = "") -> dict:
    """The county notebook's parameters for a county whose slice is in ``slice_dir``."""
    return {"data_dir": data_dir, "county": county, "params_file": params_file,
            "as_of": params.as_of.strftime("%Y-%m-%d"), "findings_dir": str(Path(slice_dir).resolve()),
            "lang": params.lang}


def run_county(worker: Worker, notebook: Path, out_ipynb: Path, out_html: Path, parameters: dict, title: str,
               timeout: float, lang: str | None = None) -> tuple[str, str, float]:
    """Execute one notebook on ``worker``; returns (status, error, seconds).

    An earlier run's outputs are removed first and a dead worker's temporary
    files after, so that whatever is left under the final names is this run's
    and complete.
    """
    for final in (out_ipynb, out_html):
        remove_stale(final)
    status, error, seconds = worker.run(worker_job(notebook, out_ipynb, out_html, parameters, title, lang), timeout)
    if status != "ok":
        _remove_temporaries(out_ipynb, out_html)
    return status, error, seconds


def run_worker(notebook: Path, out_ipynb: Path, out_html: Path, parameters: dict, title: str,
               timeout: float, lang: str | None = None) -> tuple[str, str, float]:
    """One notebook in a worker process of its own (the roll-up, benchmarks)."""
    worker = Worker()
    try:
        return run_county(worker, notebook, out_ipynb, out_html, parameters, title, timeout, lang)
    finally:
        worker.stop()


def _remove_temporaries(*finals: Path) -> None:
    """A killed worker's half-written files (``.<name>.<pid>.tmp.ipynb``, ``.<name>.<random>.tmp``)."""
    for final in finals:
        for leftover in final.parent.glob(f".{glob_escape(final.name)}.*tmp*"):
            leftover.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in name)


def remove_stale(path: Path) -> None:
    """Remove a file left from an earlier run so that no stale report survives under a final name."""
    path.unlink(missing_ok=True)


def write_drafts(result, out: Path, params, masker, slices: dict[str, Path], split=None) -> dict[str, str]:
    """Each county's Word drafts beside its HTML (findings, evidence sheets) and ``evidence.csv``:
    every finding's source rows (file, sheet, row, sha256).  Returns county -> error for the
    counties whose drafts could not be written (the others are complete).  On data split on disk
    (``split``) only the rows the evidence looks up are read."""
    from ..files import write_report_csv
    from .drafts import EVIDENCE_SUFFIX, write_county_drafts
    from .evidence import Evidence, evidence_lookups
    from .slices import open_county
    from .word import default_templates

    templates = {**default_templates(params.lang), **(getattr(params, "word_templates", None) or {})}
    if split is not None:
        dataset = split.rows_where(evidence_lookups(result.findings, split.columns()))
    else:
        dataset = result.dataset if getattr(result.dataset, "tables", None) else None
    evidence = Evidence(dataset, params.as_of).frame(result.findings) if dataset is not None else None
    if evidence is not None:
        write_report_csv(evidence.drop(columns=["label"]), out / "evidence.csv")
    errors = {}
    for county, slice_dir in slices.items():
        folder, slug = out / "counties", slice_dir.name
        try:
            write_county_drafts(open_county(slice_dir), folder, slug, templates, evidence, dataset, masker)
        except Exception as exc:  # one county's drafts failing costs that county only
            log.error("%s: Word drafts not written: %s", county or "未指定", exc)
            errors[county] = f"Word: {type(exc).__name__}: {exc}"
            for stale in (folder / f"{slug}.docx", folder / f"{slug}{EVIDENCE_SUFFIX}"):
                remove_stale(stale)
    return errors


def render_reports(result, out: Path, params, manifest: dict, masker, *, data_dir: str = "", params_file: str = "",
                   counties=(), jobs=None, timeout: float = 600.0, earlier: dict | None = None,
                   notebooks: Path | None = None, title: str | None = None,
                   rollup_title: str | None = None, progress: Progress | None = None, cluster=None,
                   split=None) -> list[str]:
    """findings.xlsx, one report per county (slices -> notebooks -> HTML), the roll-up.

    Returns the counties whose report failed (:data:`ROLLUP` when the roll-up did); empty when all
    are complete.  ``earlier`` is the manifest of the run being resumed (counties whose fingerprint
    is unchanged and whose files exist are kept); ``manifest`` gets the per-county statuses and is
    rewritten.  ``cluster``: a Dask client (:func:`kpt_audit.cluster.connect`) whose workers run the
    county notebooks instead of local processes; the roll-up and every file are written here.
    ``split``: the data split on disk (:class:`kpt_audit.load.split.SplitDataset`), when the result's
    dataset holds no tables; the county slices and the evidence are read from it.
    """
    from .excel import write_findings_workbook
    from .slices import SplitCountyTables, counties_of, write_county_slices

    title = title or text("page.county", params.lang)
    rollup_title = rollup_title or text("page.rollup", params.lang)

    started = time.perf_counter()
    out = Path(out)
    write_findings_workbook(masker.frame(result.findings), out / "findings.xlsx", lang=params.lang,
                            as_of=params.as_of.strftime("%Y-%m-%d") if params.as_of is not None else None,
                            counties=counties_of(result, list(counties) or None))

    unwritten: dict[str, tuple[Path, str]] = {}
    slices = write_county_slices(result, out / "slices", masker, counties=list(counties) or None, failures=unwritten,
                                 tables_of=SplitCountyTables(split) if split is not None else None)
    draft_errors = write_drafts(result, out, params, masker, slices, split)
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
                and _outputs_as_written(job, prior) and job.county not in draft_errors):
            statuses[job.county] = {**prior, "resumed": True}
        else:
            todo.append(job)
    order = counties_of(result, list(counties) or None)
    noted = _Noting(manifest, out / "manifest.json", order, statuses)

    idle: queue.Queue = queue.Queue()
    new_worker, n_workers = workers_of(cluster, jobs, len(todo))
    for _ in range(n_workers):
        idle.put(new_worker())

    def on_a_worker(*args):
        worker = idle.get()
        try:
            return run_county(worker, *args)
        finally:
            idle.put(worker)

    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        futures = {}
        for job in todo:
            params_nb = county_parameters(job.county, job.slice_dir, params, data_dir, params_file)
            futures[pool.submit(on_a_worker, county_nb, job.ipynb, job.html, params_nb,
                                f"{job.county or text('unassigned_county', params.lang)} {title}", timeout)] = job
        try:
            for fut in as_completed(futures):
                job = futures[fut]
                status, error, seconds = fut.result()
                if status == "ok" and job.county in draft_errors:  # the page is there, its Word drafts are not
                    status, error = "failed", draft_errors[job.county]
                statuses[job.county] = {"county": job.county, "slug": job.slug, "status": status, "error": error,
                                        "html": f"counties/{job.slug}.html",
                                        "notebook": f"counties/{job.slug}.ipynb" if job.ipynb.is_file() else None,
                                        "seconds": round(seconds, 2), "fingerprint": job.fingerprint,
                                        **_output_hashes(job, status)}
                noted.now_and_then()
                if progress is not None:
                    progress(len(statuses), len(jobs_list), job.county, status, error)
        except BaseException:  # interrupted: what finished stays on record for --resume
            noted.now()
            raise
    while not idle.empty():
        idle.get().stop()

    for county, (folder, error) in unwritten.items():
        log.error("%s: slice not written: %s", county or "未指定", error)
        statuses[county] = {"county": county, "slug": folder.name, "status": "failed", "error": error,
                            "html": f"counties/{folder.name}.html", "notebook": None, "seconds": 0.0,
                            "fingerprint": None}
        for stale in (out / "counties" / f"{folder.name}.html", out / "counties" / f"{folder.name}.ipynb"):
            remove_stale(stale)
    manifest["counties"] = [statuses[c] for c in order if c in statuses]
    manifest.setdefault("timings_seconds", {})["reports"] = round(time.perf_counter() - started, 2)
    failed = [c["county"] for c in manifest["counties"] if c["status"] != "ok"]
    write_json(manifest, out / "manifest.json")

    # --timeout is a county's (interfaces.md); the roll-up over every county gets at least the default's time
    rollup_status, rollup_error, _ = run_worker(nb_dir / "rollup.ipynb", out / "rollup.ipynb", out / "index.html",
                                                {"run_dir": str(out.resolve())}, rollup_title,
                                                max(timeout, ROLLUP_TIMEOUT), lang=params.lang)
    manifest["rollup"] = {"status": rollup_status, "error": rollup_error}
    write_json(manifest, out / "manifest.json")
    if rollup_status != "ok":
        log.error("roll-up failed: %s", rollup_error)
        failed.append(ROLLUP)
    return failed


def _output_hashes(job: CountyJob, status: str) -> dict:
    """The SHA-256 of a finished county's page, so that ``--resume`` tells a page changed or cut short since
    (a disk filled, a hand edit) from the one this run wrote.  (The page is deterministic; the executed
    notebook records its own timings, so its hash would differ from run to run: it is only looked for.)"""
    return {"html_sha256": sha256_file(job.html)} if status == "ok" else {}


def _outputs_as_written(job: CountyJob, prior: dict) -> bool:
    """Whether a county's page is there as the resumed run wrote it, and its notebook there (a manifest of
    an older version, without the page's hash, is taken at its word when the files exist)."""
    if not (job.html.is_file() and job.ipynb.is_file()):
        return False
    return prior.get("html_sha256") in (None, sha256_file(job.html))


class _Noting:
    """The manifest rewritten with the counties finished so far, at most every few seconds: a run
    interrupted (Ctrl-C, a killed job, a lost machine) leaves what it finished on record, and ``--resume``
    redoes only the rest."""

    EVERY_S = 2.0

    def __init__(self, manifest: dict, path: Path, order: list, statuses: dict):
        self.manifest, self.path, self.order, self.statuses = manifest, path, order, statuses
        self.last = time.perf_counter()

    def now_and_then(self) -> None:
        if time.perf_counter() - self.last >= self.EVERY_S:
            self.now()

    def now(self) -> None:
        self.manifest["counties"] = [self.statuses[c] for c in self.order if c in self.statuses]
        write_json(self.manifest, self.path)
        self.last = time.perf_counter()


__all__ = ["render_reports", "run_worker", "run_county", "notebooks_dir", "remove_stale", "ROLLUP", "Progress"]
