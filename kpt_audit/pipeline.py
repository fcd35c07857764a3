"""The front half every command shares: params -> load -> [counties] -> checks -> result.

``kpt-audit check``, ``run`` (:func:`kpt_audit.batch.run_batch`), ``ocds``
(:func:`kpt_audit.ocds.run.run_ocds`) and the county notebook run in
interactive mode (``report.slices.compute_county_slice``) all go through
:func:`audit_params` and :func:`run_front`; what they do with the result
(outputs, reports, OCP indicators) is theirs.

The audit date is an explicit input of this front: ``as_of`` (``--as-of``)
or ``as_of:`` in the params file; without one the front stops with
:class:`~kpt_audit.errors.MissingAsOfError` before reading any data.
Nothing here prints: errors are raised, the command line reports them.
"""
from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import KptAuditError, MissingAsOfError, UsageError
from .messages import text

__all__ = ["Front", "audit_params", "require_as_of", "run_front", "counties_in", "check_counties"]


# Above this many rows (all tables, as the files count them) the data are split on disk by county and
# checked a partition at a time (kpt_audit.load.split): in memory they would take about 2.5 GB here and
# grow with the country; below it the whole dataset in memory is quicker (docs/scaling.md).
SPLIT_ABOVE_ROWS = 5_000_000


@dataclass
class Front:
    """What the front half produced: the parameters, the dataset, the checks' result, and timings (s).

    On data split on disk (more than :data:`SPLIT_ABOVE_ROWS` rows) ``dataset`` holds the loader's account
    and only the columns the outputs need of every row (counties, personal data to mask), and ``split``
    the partitions (:class:`kpt_audit.load.split.SplitDataset`) until :meth:`close`."""

    params: Any        # kpt_audit.params.Params
    dataset: Any       # kpt_audit.dataset.Dataset
    result: Any        # kpt_audit.checks.CheckResult (.findings .metrics .not_run .dataset .params .timings)
    timings: dict[str, float] = field(default_factory=dict)  # load, checks
    split: Any = None

    def entity_tables(self, findings) -> dict:
        """Tables that tell whether the entities of ``findings`` are still in the data
        (``findings.entity_present``): the dataset's; on data split on disk, the entities' key columns of
        the rows that hold one of the ids the findings' entity ids are made of."""
        if self.split is None:
            return self.dataset.tables
        from .findings import ENTITY_COLUMNS, entity_keys

        ids = {i for t, e in zip(findings["entity_type"], findings["entity_id"])
               for keys in [entity_keys(t, e)] if keys for values in keys[1].values() for i in values}
        wanted = {name: dict.fromkeys(columns, ids) for name, columns in ENTITY_COLUMNS.items()}
        return self.split.rows_where(wanted, columns=ENTITY_COLUMNS).tables

    def close(self) -> None:
        """Remove the partitions of a split run (nothing else is written there)."""
        if self.split is not None:
            import shutil

            shutil.rmtree(self.split.folder.parent, ignore_errors=True)
            self.split = None


def require_as_of(params) -> None:
    """:class:`MissingAsOfError` (exit 2, naming ``--as-of`` and ``as_of:``) when ``params`` has no audit date."""
    if getattr(params, "as_of", None) is None:
        raise MissingAsOfError()


def audit_params(params_file=None, as_of=None, *, lang=None):
    """The run's :class:`~kpt_audit.params.Params`, with its audit date required.

    ``as_of`` (a date or text such as ``2020-09-30``, ``2020/9/30``, ``2020年9月30日``) wins over
    the params file's ``as_of:``; ``params.as_of_source`` says which gave it ("argument" or the file).
    """
    from .params import load_params

    params = load_params(params_file, as_of=as_of, lang=lang)
    require_as_of(params)
    return params


def _load_folder(data, params):
    from .load import load_dataset

    return load_dataset(data, params=params)


def run_front(data, params, *, counties=(), load: Callable[[Any, Any], Any] | None = None, cluster=None) -> Front:
    """Load ``data``, check the ``counties`` named exist, run every check (findings for ``counties`` only).

    ``load(data, params) -> Dataset`` replaces the folder loader (OCDS reads its own files).
    ``cluster`` (a Dask client, :func:`kpt_audit.cluster.connect`) runs the checks county partition
    by county partition on its workers (the same findings).  Data of more than :data:`SPLIT_ABOVE_ROWS`
    rows are split on disk and checked a partition at a time (:class:`Front` ``split``, removed by
    :meth:`Front.close`).
    Raises MissingAsOfError before reading anything when ``params`` has no audit date,
    LoadError for data that cannot be used, UsageError for an unknown county.
    """
    from .checks import run_checks

    require_as_of(params)
    counties = list(counties or ())
    if load is None:
        from .load.split import estimated_rows

        if estimated_rows(data) > SPLIT_ABOVE_ROWS:
            return _run_front_split(data, params, counties, cluster)
    started = time.perf_counter()
    dataset = (load or _load_folder)(data, params)
    loaded = time.perf_counter()
    check_counties(dataset, counties)
    if cluster is None:
        result = run_checks(dataset, params, counties=counties or None)
    else:
        from .checks.partitioned import run_checks_by_county
        from .cluster import check_parts_on

        result = run_checks_by_county(dataset, params, counties=counties or None, check_parts=check_parts_on(cluster))
    return Front(params, dataset, result, {"load": loaded - started, "checks": time.perf_counter() - loaded})


def _run_front_split(data, params, counties, cluster) -> Front:
    """:func:`run_front` on data split on disk (in a temporary folder, removed by :meth:`Front.close`)."""
    import tempfile
    from pathlib import Path

    from .checks.partitioned import run_checks_split, split_for_checks
    from .load.counties import NO_COUNTY
    from .schema import PERSONAL_COLUMNS

    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="kpt-audit-split-"))
    try:
        try:
            split = split_for_checks(data, folder / "partitions", params)
        except OSError as exc:  # a full disk, most often: the partitions need about four times the input
            raise KptAuditError(key="err.split_disk", folder=folder, error=exc.strerror or exc) from None
        known = {c for group in split.groups for c in group} - {NO_COUNTY}
        _require_known(counties, known)
        # what the outputs read of the data: the personal values to mask, each once
        personal = split.distinct_values({name: tuple(c for c in schema.names if c in PERSONAL_COLUMNS)
                                          for name, schema in split.schemas.items()
                                          if any(c in PERSONAL_COLUMNS for c in schema.names)})
        dataset = dataclasses.replace(split.account, tables=personal)
        loaded = time.perf_counter()
        check_parts = None
        if cluster is not None:
            from .cluster import check_parts_on

            check_parts = check_parts_on(cluster)
        result = run_checks_split(split, params, counties=counties or None, check_parts=check_parts)
        result.dataset = dataset
    except BaseException:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Front(params, dataset, result, {"load": loaded - started, "checks": time.perf_counter() - loaded}, split)


def counties_in(ds) -> set[str]:
    """Every county named in the dataset (projects, tenders, subsidies, commitments)."""
    known: set[str] = set()
    for t in ("projects", "tenders", "subsidies", "commitments"):
        if t in ds.tables and "county" in ds.tables[t].columns:
            known |= set(ds.tables[t]["county"].dropna().astype(str))
    return known


def check_counties(ds, counties) -> None:
    """:class:`UsageError` naming the counties of ``counties`` that the dataset does not have."""
    if counties:
        _require_known(counties, counties_in(ds))


def _require_known(counties, known: set[str]) -> None:
    unknown = [c for c in counties if c not in known]
    if unknown:
        raise UsageError(key="err.unknown_county", counties=", ".join(unknown),
                         known=lambda lang: ", ".join(sorted(known)) or text("err.none", lang))
