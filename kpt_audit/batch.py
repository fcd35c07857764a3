"""``kpt-audit run``: the front half once (:mod:`kpt_audit.pipeline`) -> check outputs -> one report per county.

The reports (slices, one papermill notebook per county in a worker process,
HTML, the roll-up) are :func:`kpt_audit.report.runner.render_reports`, shared
with ``kpt-audit ocds``.  A county whose report fails costs that county only:
the others finish, the manifest and the index record the failure, and
:class:`BatchResult` lists it (the command line exits 3).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .cluster import connect
from .errors import BadDataError, UsageError
from .findings import FINDING_COLUMNS
from .files import read_report_csv
from .outputs import write_check_outputs
from .pipeline import require_as_of, run_front
from .report.runner import Progress, render_reports


@dataclass
class BatchResult:
    """What a run produced: its folder, the manifest written, and the counties whose report failed."""

    out: Path
    manifest: dict
    failed: list[str] = field(default_factory=list)  # county names; "(roll-up)" when the roll-up failed

    @property
    def index(self) -> Path:
        return self.out / "index.html"


# what telling new, persisting and not found again needs of the previous run's findings.csv
PREVIOUS_COLUMNS = ("finding_id", "check_id", "county", "entity_type", "entity_id", "amount")


def _previous_findings(previous, counties) -> pd.DataFrame:
    prev_file = Path(previous) / "findings.csv"
    if not prev_file.is_file():
        raise UsageError(key="err.previous_missing", previous=previous)
    try:
        prev = read_report_csv(prev_file, dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError) as exc:  # empty, not CSV, not UTF-8 (pandas' errors are ValueErrors)
        raise BadDataError(key="err.previous_unreadable", path=prev_file, error=type(exc).__name__) from None
    missing = [c for c in PREVIOUS_COLUMNS if c not in prev.columns]
    if missing:
        raise BadDataError(key="err.previous_columns", path=prev_file, columns=", ".join(missing))
    # a findings.csv of an older version lacks the columns revision 2 added: they are empty there
    prev = prev.assign(**{c: "" for c in FINDING_COLUMNS if c not in prev.columns})
    prev["amount"] = pd.to_numeric(prev["amount"], errors="coerce")
    if counties:
        prev = prev[prev["county"].isin(set(counties))]
    return prev


def run_batch(data, out, params, *, counties=(), jobs=None, timeout=600.0, previous=None, resume=False,
              show_personal_data=False, notebooks: Path | None = None,
              progress: Progress | None = None, register=None, scheduler: str | None = None) -> BatchResult:
    """The whole ``run`` command on ``params`` (a :class:`~kpt_audit.params.Params` with its as_of).

    Raises MissingAsOfError/UsageError/LoadError before any county starts.  ``notebooks``
    replaces the folder of county_report/rollup notebooks (tests inject faults with it);
    ``progress`` is called as each county's report ends.  ``register`` (a path or URL) records the run
    there (:mod:`kpt_audit.register`); the findings then carry the register's statuses and columns.
    ``scheduler`` (a Dask scheduler's address) runs the county reports on that cluster
    (:mod:`kpt_audit.cluster`); it is reached first, so a wrong address stops before any work.
    """
    require_as_of(params)
    if previous and register:
        raise UsageError(key="err.previous_and_register")
    counties = list(counties or ())
    prev = _previous_findings(previous, counties) if previous else None  # a wrong --previous stops before loading
    cluster = connect(scheduler) if scheduler else None
    try:
        return _run(data, out, params, counties, jobs, timeout, prev, resume, show_personal_data, notebooks,
                    progress, register, cluster)
    finally:
        if cluster is not None:
            cluster.close()


def _run(data, out, params, counties, jobs, timeout, prev, resume, show_personal_data, notebooks, progress,
         register, cluster) -> BatchResult:
    from .findings import with_status
    from .privacy import Masker

    out = Path(out)
    old = _read_manifest(out) if resume else {}  # before this run overwrites it
    front = run_front(data, params, counties=counties, cluster=cluster)
    try:
        out.mkdir(parents=True, exist_ok=True)  # only once the data are read: bad data writes nothing
        result = front.result
        if prev is not None:
            result.findings = with_status(result.findings, prev, front.entity_tables)

        masker = Masker(front.dataset.tables, enabled=not show_personal_data)
        if register:
            from .register.record import record_front

            result.findings = record_front(register, front, out_dir=out.resolve(), counties=counties,
                                           masker=masker).findings
        manifest = write_check_outputs(result, out, counties=counties, show_personal_data=show_personal_data,
                                       timings=front.timings, masker=masker)
        failed = render_reports(result, out, params, manifest, masker, data_dir=str(Path(data).resolve()),
                                params_file=_user_params_file(params), counties=counties, jobs=jobs,
                                timeout=timeout, earlier=old, notebooks=notebooks, progress=progress,
                                cluster=cluster, split=front.split)
    finally:
        front.close()  # the partitions of data split on disk
    return BatchResult(out, manifest, failed)


def _user_params_file(params) -> str:
    """The user's params file (for the notebooks' ``params_file``), empty when only the defaults were used."""
    from .params import default_params_file

    source = getattr(params, "source", "") or ""
    if not source or Path(source).resolve() == default_params_file().resolve():
        return ""
    return str(Path(source).resolve())


def _read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


__all__ = ["run_batch", "BatchResult"]
