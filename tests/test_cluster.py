"""``run --scheduler``: county reports on a Dask cluster give what a local run gives (issue 14).

A real ``distributed.LocalCluster`` (two worker processes) on this machine; data reach the
workers shipped per task (kpt_audit.cluster), so nothing here shares a folder with them.
"""
import json
import os
import threading
from pathlib import Path

import pandas as pd
import pytest

from kpt_audit.batch import run_batch
from kpt_audit.cli import main
from kpt_audit.params import load_params
from kpt_audit.synth import write_synth

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.xdist_group("batch")
PARAMS = load_params(as_of="2020-09-25")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_synth(tmp_path_factory.mktemp("data") / "d", counties=4, projects=60, seed=5)


@pytest.fixture(scope="module")
def local_run(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "run"
    assert run_batch(data, out, PARAMS, jobs=2).failed == []
    return out


@pytest.fixture
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as c:
        yield c


def _pages(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "counties").glob("*.html"))}


def _same_as_local(out: Path, local: Path) -> None:
    assert (out / "findings.csv").read_bytes() == (local / "findings.csv").read_bytes()
    pages, local_pages = _pages(out), _pages(local)
    assert list(pages) == list(local_pages) and len(pages) >= 4
    assert pages == local_pages
    statuses = {c["county"]: c["status"] for c in json.loads((out / "manifest.json").read_text())["counties"]}
    assert set(statuses.values()) == {"ok"}
    assert not [p for p in (out / "counties").iterdir() if "tmp" in p.name]  # nothing half-written


def test_run_on_a_cluster_gives_the_local_findings_and_pages(cluster, data, local_run, tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["run", str(data), "--out", str(out), "--as-of", "2020-09-25", "--scheduler",
                 cluster.scheduler_address])
    assert code == 0, capsys.readouterr().err
    _same_as_local(out, local_run)


def test_a_worker_killed_mid_run_loses_no_county(cluster, data, local_run, tmp_path):
    """The first county to finish kills a worker that is still busy: its county is retried elsewhere."""
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    pids = client.run(os.getpid)
    killed = []
    lock = threading.Lock()

    def kill_a_busy_worker(done, total, county, status, error):
        with lock:
            if killed:
                return
            busy = [w for w, tasks in client.processing().items() if tasks]
            if busy:
                os.kill(pids[busy[0]], 9)
                killed.append(busy[0])

    try:
        done = run_batch(data, tmp_path / "run", PARAMS, jobs=2, scheduler=cluster.scheduler_address,
                         progress=kill_a_busy_worker)
    finally:
        client.close()
    assert killed, "no worker was busy when the first county finished: nothing was tested"
    assert done.failed == []
    _same_as_local(tmp_path / "run", local_run)


def test_check_on_a_cluster_gives_the_local_findings(cluster, data, local_run, tmp_path, monkeypatch):
    """check --scheduler runs the county partitions as tasks (one county a partition here, so that
    both workers get some) and writes what a local check writes."""
    import kpt_audit.checks.partitioned as partitioned
    import kpt_audit.load.counties as county_rule

    monkeypatch.setattr(county_rule, "ROWS_PER_PARTITION", 1)
    sent = []
    real = partitioned.check_part
    monkeypatch.setattr(partitioned, "check_part", lambda part, *a: sent.append(1) or real(part, *a))
    out = tmp_path / "check"
    assert main(["check", str(data), "--out", str(out), "--as-of", "2020-09-25", "--scheduler",
                 cluster.scheduler_address]) == 0
    assert sent == []  # the partitions ran on the workers, not here
    for name in ("findings.csv", "not_run.csv"):
        assert (out / name).read_bytes() == (local_run / name).read_bytes()
    metrics = sorted(p.name for p in (local_run / "metrics").iterdir())
    assert metrics and sorted(p.name for p in (out / "metrics").iterdir()) == metrics
    for name in metrics:
        assert (out / "metrics" / name).read_bytes() == (local_run / "metrics" / name).read_bytes()


def test_an_unreachable_scheduler_is_a_usage_error_before_any_work(data, tmp_path, capsys, monkeypatch):
    import kpt_audit.cluster

    monkeypatch.setattr(kpt_audit.cluster, "CONNECT_TIMEOUT", "2s")
    out = tmp_path / "run"
    code = main(["run", str(data), "--out", str(out), "--as-of", "2020-09-25", "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2
    assert "--scheduler tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("address", ["notanaddress", "http://host:8786", "tcp://host"])
def test_a_malformed_scheduler_address_is_a_usage_error_at_once(address):
    from kpt_audit.cluster import connect
    from kpt_audit.errors import UsageError

    with pytest.raises(UsageError, match="not a Dask scheduler address"):
        connect(address)


def test_findings_of_the_cluster_run_are_the_data_s(local_run):
    """Guard for the comparison above: the local run found something, in more than one county."""
    findings = pd.read_csv(local_run / "findings.csv", dtype=str, encoding="utf-8-sig")
    assert len(findings) > 0 and findings["county"].nunique() >= 2


@pytest.mark.parametrize("reply", [None, b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"])
def test_something_there_that_is_no_dask_scheduler_is_a_usage_error_not_a_hang(monkeypatch, reply):
    """A server that says nothing (a web server waiting for its request; Dask's dashboard) kept the command
    waiting for ever; one that answers in HTTP made Dask read the reply as a message length (exit 5)."""
    import socket
    import threading

    import kpt_audit.cluster
    from kpt_audit.cluster import connect
    from kpt_audit.errors import UsageError

    monkeypatch.setattr(kpt_audit.cluster, "CONNECT_DEADLINE_S", 3.0)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held = []

    def serve():
        while True:
            try:
                peer, _ = server.accept()
            except OSError:
                return
            held.append(peer)
            if reply is not None:
                peer.sendall(reply)
                peer.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        with pytest.raises(UsageError) as err:
            connect(f"tcp://127.0.0.1:{server.getsockname()[1]}")
        assert "not a Dask scheduler" in str(err.value) or "no Dask scheduler answered" in str(err.value)
        assert err.value.exit_code == 2
    finally:
        server.close()
        for peer in held:
            peer.close()
