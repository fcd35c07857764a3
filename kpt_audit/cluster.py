"""``--scheduler ADDRESS``: check partitions and county reports on an existing Dask cluster (``dask.distributed``).

How data reach the workers: *shipped per task*.  A partition's task carries its rows (the
county partitions of :mod:`kpt_audit.checks.partitioned`, the unreadable cells and origins of those
rows) and sends back its findings; the checks that compare counties, and the metric tables, run
here on the whole data.  A county's report task carries the
bytes of its slice (the folder ``run`` writes for the county: its findings,
metrics and tables) and of the county notebook; the worker executes the
notebook in a temporary folder of its own and sends back the executed notebook
and the HTML; this machine writes them into ``--out`` (atomically, as a local
run does).  Workers therefore need kpt-audit installed (the same version) and
nothing else: no shared disk, no path of this machine.  Slices are small
(one county's rows); the raw data never leave this machine.

Faults: a worker that dies mid-task loses nothing written — Dask gives the
task to another worker (its ``allowed-failures`` rule), and only this machine
writes outputs, after a task has returned whole.  A task past ``--timeout`` is
cancelled and the county reported as timed out, as locally.
"""
from __future__ import annotations

import itertools
import os
import re
import tempfile
import threading
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError
from .files import atomic_write_bytes
from .worker_pool import worker_env

KERNEL_ENV = ("PYTHONHASHSEED", "MPLBACKEND")  # what a county notebook's kernel must see as locally

CONNECT_TIMEOUT = "10s"
# Dask's timeout covers reaching the address, not the greeting after it: a program there that is no Dask
# scheduler (its dashboard on 8787, any web server) keeps a client waiting for ever, so the whole
# connection gets this long before it is given up
CONNECT_DEADLINE_S = 15.0


# what Dask's comm layer takes: protocol://host:port (tcp, tls, ucx, ws, wss) or a bare host:port
SCHEDULER_ADDRESS = re.compile(r"(?:(?:tcp|tls|ucx|wss?)://)?(?:\[[0-9a-fA-F:.]+\]|[\w.-]+):\d{1,5}")


def connect(address: str):
    """A ``dask.distributed.Client`` on the cluster at ``address``; a usage error when none answers there."""
    from distributed import Client

    # tasks carry their data on purpose (see above): Dask's advice to scatter large arguments instead
    # does not apply, and its warning, from every submitting thread, would only alarm the auditor
    warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
    if not SCHEDULER_ADDRESS.fullmatch(address):  # checked first: Dask half-builds a client on a bad one
        raise UsageError(key="err.scheduler_address", address=address)
    made: dict = {}

    def make() -> None:
        try:
            made["client"] = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except BaseException as exc:  # noqa: BLE001 -- whatever it was, it is told below
            made["error"] = exc

    attempt = threading.Thread(target=make, name="kpt-audit-connect", daemon=True)
    attempt.start()
    attempt.join(CONNECT_DEADLINE_S)
    error = made.get("error")
    if "client" in made:
        return made["client"]
    if isinstance(error, (OSError, TimeoutError)):
        raise UsageError(key="err.scheduler_silent", address=address, timeout=CONNECT_TIMEOUT,
                         error=type(error).__name__) from None
    # it answered but did not greet as a scheduler (no greeting at all, or an HTTP reply read as one)
    raise UsageError(key="err.scheduler_not_dask", address=address,
                     error=type(error).__name__ if error is not None else f"> {CONNECT_DEADLINE_S:g} s") from None


def cluster_threads(client) -> int:
    """How many tasks the cluster runs at once (its workers' threads)."""
    return max(1, sum(client.nthreads().values()))


def _read_folder(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def ship(job: dict) -> dict:
    """What a county's task carries: the notebook and its slice as bytes, the parameters, the title."""
    parameters = dict(job["parameters"])
    slice_dir = Path(parameters["findings_dir"])
    return {"notebook": Path(job["notebook"]).read_bytes(), "slice": _read_folder(slice_dir),
            "slice_name": slice_dir.name, "parameters": parameters, "title": job["title"]}


def execute_shipped(payload: dict) -> dict:
    """On a worker: execute the county notebook on the shipped slice; the outputs come back as bytes.

    Returns ``{"status", "error", "ipynb", "html"}``; a failed notebook still returns its executed
    notebook (the audit trail), as a local run keeps it.
    """
    from .batch_worker import NotebookFailed, execute

    with tempfile.TemporaryDirectory(prefix="kpt-audit-task-") as tmp:
        tmp = Path(tmp)
        slice_dir = tmp / payload["slice_name"]
        for name, data in payload["slice"].items():
            target = slice_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        notebook = tmp / "county_report.ipynb"
        notebook.write_bytes(payload["notebook"])
        parameters = {**payload["parameters"], "findings_dir": str(slice_dir)}
        out_ipynb, out_html = tmp / "out" / "county.ipynb", tmp / "out" / "county.html"
        try:
            with _kernel_env():
                execute(notebook, out_ipynb, out_html, parameters, payload["title"])
            status, error = "ok", ""
        except NotebookFailed as exc:
            status, error = "failed", str(exc)
        return {"status": status, "error": error,
                "ipynb": out_ipynb.read_bytes() if out_ipynb.is_file() else None,
                "html": out_html.read_bytes() if out_html.is_file() else None}


@contextmanager
def _kernel_env():
    """The notebook kernel's environment as a local worker gives it (``worker_pool.worker_env``: a fixed
    hash seed, so that the pages are the same bytes; a headless chart backend), restored afterwards:
    the Dask worker process is not ours."""
    fixed = {k: v for k, v in worker_env().items() if k in KERNEL_ENV}
    before = {k: os.environ.get(k) for k in fixed}
    os.environ.update(fixed)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class ClusterWorker:
    """Runs county jobs on the cluster, with the interface of :class:`kpt_audit.worker_pool.Worker`."""

    def __init__(self, client):
        self.client = client

    def run(self, job: dict, timeout: float) -> tuple[str, str, float]:
        """Execute ``job`` on some worker of the cluster; returns (status, error, seconds)."""
        from distributed import TimeoutError as DaskTimeout

        started = time.perf_counter()
        future = self.client.submit(execute_shipped, ship(job), pure=False)
        try:
            result = future.result(timeout=timeout)
        except (DaskTimeout, TimeoutError):
            future.cancel()
            return "timeout", f"no result after {timeout:g} s (--timeout)", time.perf_counter() - started
        except Exception as exc:  # KilledWorker (died on every worker tried), a lost cluster …
            return "failed", f"{type(exc).__name__}: {exc}"[:2000], time.perf_counter() - started
        finally:
            future.release()
        seconds = time.perf_counter() - started
        if result["ipynb"] is not None:  # kept on failure too: the audit trail
            atomic_write_bytes(Path(job["out_ipynb"]), result["ipynb"])
        if result["status"] == "ok":
            atomic_write_bytes(Path(job["out_html"]), result["html"])
        return result["status"], result["error"], seconds

    def stop(self, force: bool = False) -> None:
        """Nothing to stop: the cluster is not ours."""


def workers_of(client, jobs: int | None, todo: int):
    """(a factory of workers, how many run at once) for a batch of ``todo`` counties: local worker
    processes without a ``client`` (of :func:`connect`), tasks on its cluster with one."""
    if client is None:
        from .worker_pool import Worker

        return Worker, max(1, min(jobs or os.cpu_count() or 1, todo or 1))
    return (lambda: ClusterWorker(client)), max(1, min(jobs or cluster_threads(client), todo or 1))


def check_parts_on(client):
    """``check_parts`` for :func:`kpt_audit.checks.partitioned.run_checks_by_county`: each partition one
    task on the cluster, its rows inside the task (not scattered: a task whose worker dies is run
    again elsewhere from the scheduler's copy, which scattered data would not survive).

    Partitions are made and sent as tasks finish, two per worker thread in flight, so that only a
    few serialised partitions exist at once here and at the scheduler (with all sent at once, a
    national dataset is held twice over)."""
    def check_parts(tasks, params, checks):
        from distributed import as_completed

        from .checks.partitioned import check_part

        results, order = {}, {}
        parts = enumerate(tasks)

        def send(number, task):
            part, found_elsewhere = task
            future = client.submit(check_part, part, params, checks, found_elsewhere, pure=False)
            order[future.key] = number
            return future

        first = [send(number, part) for number, part in itertools.islice(parts, 2 * cluster_threads(client))]
        if not first:
            return []
        pending = as_completed(first, loop=client.loop)
        for future in pending:
            results[order.pop(future.key)] = future.result()
            future.release()
            for number, part in itertools.islice(parts, 1):
                pending.add(send(number, part))
        return [results[number] for number in sorted(results)]
    return check_parts
