"""Long-lived worker processes that execute county notebooks, one at a time each.

Importing papermill and nbconvert costs about 2 s of CPU; paid once per
worker instead of once per county, a 100-county batch saves minutes.  Each
notebook still gets a fresh kernel, and isolation stays: a worker that
hangs past the timeout is killed with everything it started, a worker that
dies (or whose kernel kills it) costs only the county it was running, and
after any failure the worker is replaced so that no state (a lowered file
size limit, a half-dead kernel) reaches the next county.

Protocol: one JSON job per line on the worker's stdin, one JSON result per
line on a private copy of its stdout (``batch_worker --serve``).
"""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def worker_env() -> dict[str, str]:
    # the kernel imports kpt_audit even when the package is used from a checkout without install
    package_root = str(Path(__file__).resolve().parents[1])
    pythonpath = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "PYTHONPATH": pythonpath}


def kill_tree(pid: int) -> None:
    """Kill a worker and everything it started (kernels run in their own sessions)."""
    try:
        import psutil

        parent = psutil.Process(pid)
        procs = parent.children(recursive=True) + [parent]
        for p in procs:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(procs, timeout=5)
    except Exception:  # the process may already be gone
        pass


class Worker:
    """One ``python -m kpt_audit.batch_worker --serve`` process, restarted when needed."""

    def __init__(self):
        self.proc: subprocess.Popen | None = None
        self.stderr = None
        self.results: queue.Queue = queue.Queue()

    def _start(self) -> None:
        self.stderr = tempfile.TemporaryFile()
        self.results = queue.Queue()
        self.proc = subprocess.Popen([sys.executable, "-m", "kpt_audit.batch_worker", "--serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                     env=worker_env(), text=True, encoding="utf-8", errors="replace")
        threading.Thread(target=self._read, args=(self.proc.stdout, self.results), daemon=True).start()

    @staticmethod
    def _read(stream, results: queue.Queue) -> None:
        for line in stream:
            results.put(line)
        results.put(None)  # end of file: the worker is gone

    def run(self, job: dict, timeout: float) -> tuple[str, str, float]:
        """Execute ``job``; returns (status, error, seconds)."""
        started = time.perf_counter()
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        try:
            self.proc.stdin.write(json.dumps(job, ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
            line = self.results.get(timeout=timeout)
        except queue.Empty:
            self.stop(force=True)
            return "timeout", f"no result after {timeout:g} s (--timeout)", time.perf_counter() - started
        except OSError:  # the worker died before it read the job
            line = None
        seconds = time.perf_counter() - started
        if line is None:
            return "failed", self._death(), seconds
        result = json.loads(line)
        if result["status"] != "ok":
            self.stop()  # a fresh process for the next county
        return result["status"], result.get("error", ""), seconds

    def _death(self) -> str:
        code = self.proc.wait()
        message = f"worker killed by signal {-code}" if code < 0 else f"worker exited with code {code}"
        if code >= 0 and self.stderr is not None:
            self.stderr.seek(0)
            lines = [l for l in self.stderr.read().decode("utf-8", "replace").splitlines() if l.strip()]
            message = lines[-1][:2000] if lines else message
        self.stop()
        return message

    def stop(self, force: bool = False) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()  # end of jobs: an idle worker exits by itself
            except OSError:
                pass
            if self.proc.poll() is None and not force:
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            if self.proc.poll() is None:
                kill_tree(self.proc.pid)
            self.proc = None
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None


def job(notebook: Path, out_ipynb: Path, out_html: Path, parameters: dict, title: str, lang: str | None = None) -> dict:
    return {"notebook": str(notebook), "out_ipynb": str(out_ipynb), "out_html": str(out_html),
            "parameters": parameters, "title": title, "lang": lang}
