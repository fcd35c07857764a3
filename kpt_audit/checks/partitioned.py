"""The checks county by county (issue 14): one partition of the data per county, and the few checks
that must see every county at once.

Each row belongs to a county by the rule of :mod:`kpt_audit.load.counties`; rows of no county form
one partition of their own.  Reference tables (suppliers) go whole to every partition.

Every check reads, for one county, only rows of that county's partition — except the checks in
:data:`WHOLE_DATA`, which compare across counties (one supplier's share of a buyer's contracts,
cover bidding across tenders, one enterprise's subsidies or bank account across counties, a
buyer's tenders below the line, one payee paid the same amount in two counties, the first-digit
law per county whose payments may name another county's contract).  Those run once on the whole
data.  So the partitioned path gives the findings of the in-memory path
(``tests/checks/test_partitioned.py`` compares them frame for frame on several seeds), while a
partition's working set stays one county's.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from ..dataset import Dataset
from ..findings import sort_findings
from .catalogue import CHECKS
from ..load.counties import NO_COUNTY, REFERENCE_TABLES, row_counties  # noqa: F401 (the rule's names here)
from .engine import NOT_RUN_COLUMNS, CheckResult, context_of, metric_tables, run_checks
from .registry import PARTLY_JUDGED

WHOLE_DATA = frozenset({c.id for c in CHECKS.values() if c.cross_county} | {"PRO16", "COS06", "COS09"})
# rows (all tables) a partition gathers before the next begins: a partition's working set is bounded by
# it, while the checks' fixed cost per run (tenths of a second) is paid only every so many rows
ROWS_PER_PARTITION = 500_000


def partitions(dataset: Dataset, rows: int | None = None) -> Iterator[tuple[tuple[str, ...], Dataset]]:
    """(counties, their part of ``dataset``) for groups of whole counties of about ``rows`` rows each
    (default :data:`ROWS_PER_PARTITION`; a county is never split, so ``rows=1`` gives each county a
    partition); the rows of no county (:data:`NO_COUNTY`) count as one more county, the first."""
    rows = rows or ROWS_PER_PARTITION
    codes, names = _county_codes(row_counties(dataset.tables))
    sizes = sum(np.bincount(c, minlength=len(names)) for c in codes.values())
    for group in _groups(sizes, rows):
        wanted = np.zeros(len(names), dtype=bool)
        wanted[group] = True
        tables = {name: (df[wanted[codes[name]]] if name in codes else df) for name, df in dataset.tables.items()}
        yield tuple(names[i] for i in group), _part_of(dataset, tables)


def _part_of(dataset: Dataset, tables: dict[str, pd.DataFrame]) -> Dataset:
    """The dataset the checks see for ``tables`` (rows of ``dataset.tables``): the unreadable cells and
    the origins of those rows only; nothing else of the loader's account (the checks read no more)."""
    unknown = getattr(dataset, "unknown", None)
    if unknown is not None and len(unknown):
        keep = np.zeros(len(unknown), dtype=bool)
        for name, df in tables.items():
            mine = (unknown["table"] == name).to_numpy()
            keep[mine] = unknown["row"][mine].isin(df.index).to_numpy()
        unknown = unknown[keep]
    origin = {name: frame.loc[frame.index.intersection(tables[name].index)] if name in tables else frame
              for name, frame in (getattr(dataset, "origin", None) or {}).items()}
    return Dataset(tables=tables, unknown=unknown if unknown is not None else Dataset().unknown, origin=origin)


def check_part(part: Dataset, params, checks: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """One partition's (findings, not-run notes, timings): what a worker sends back (no dataset)."""
    result = run_checks(part, params, checks=checks, metrics=False)
    return result.findings, result.not_run, result.timings


def _county_codes(counties: dict[str, pd.Series]) -> tuple[dict[str, np.ndarray], list[str]]:
    """Each table's rows as codes into one sorted list of counties (NO_COUNTY first)."""
    names = sorted(set().union(*(set(c.dropna().unique()) for c in counties.values())) | {NO_COUNTY})
    index = pd.Index(names)
    return {name: index.get_indexer(c.fillna(NO_COUNTY).astype("str")) for name, c in counties.items()}, names


def _groups(sizes: np.ndarray, rows: int) -> list[list[int]]:
    """Consecutive counties (by code) gathered until a group reaches ``rows`` rows."""
    groups, current, filled = [], [], 0
    for i, size in enumerate(sizes.tolist()):
        current.append(i)
        filled += size
        if filled >= rows:
            groups.append(current)
            current, filled = [], 0
    if current:
        groups.append(current)
    return groups


def run_checks_by_county(dataset: Dataset, params, counties=None, checks=None,
                         rows: int | None = None, check_parts=None) -> CheckResult:
    """:func:`kpt_audit.checks.run_checks`, partition by partition (:func:`partitions`): the same
    findings, not-run notes and metrics.

    ``check_parts(parts, params, checks)`` runs :func:`check_part` on each partition and returns
    their results in order; by default one after the other here (``kpt_audit.cluster`` gives one
    that runs them on a Dask cluster)."""
    selected = [c if isinstance(c, str) else c.check.id for c in checks] if checks is not None else list(CHECKS)
    whole = run_checks(dataset, params, checks=[c for c in selected if c in WHOLE_DATA], metrics=False)
    by_part = [c for c in selected if c not in WHOLE_DATA]
    parts = (part for _, part in partitions(dataset, rows))
    results = [CheckResult(found, {}, not_run, timings=timings) for found, not_run, timings in
               (check_parts or _check_here)(parts, params, by_part)]
    findings = sort_findings(pd.concat([whole.findings, *(r.findings for r in results)], ignore_index=True))
    # the metric tables are pivots over every county (a partition lacks the columns of levels it has
    # not): made once, from the whole data and every finding
    metrics = metric_tables(context_of(dataset, params), findings)
    if counties:
        wanted = set(counties)
        findings = findings[findings["county"].isin(wanted)].reset_index(drop=True)
        metrics = {k: (v[v["county"].isin(wanted)].reset_index(drop=True) if "county" in v else v)
                   for k, v in metrics.items()}
    timings = dict(whole.timings)
    for r in results:
        for k, v in r.timings.items():
            timings[k] = timings.get(k, 0.0) + v
    return CheckResult(findings, metrics, _not_run(whole, results, selected), dataset, params, timings)


def _check_here(parts, params, checks):
    return [check_part(part, params, checks) for part in parts]


def _not_run(whole: CheckResult, results: list[CheckResult], selected: list[str]) -> pd.DataFrame:
    """A check is not run when no partition ran it (the first partition's reason); the entities a
    partly judged check could not judge add up over the partitions."""
    rows = [r for r in whole.not_run.itertuples(index=False)]
    for check_id in selected:
        if check_id in WHOLE_DATA:
            continue
        notes = [r.not_run[r.not_run["check_id"] == check_id] for r in results]
        skipped = [n for n in notes if len(n) and (n["reason"] != PARTLY_JUDGED).all()]
        if len(skipped) == len(results):
            rows.append(tuple(skipped[0].iloc[0]))
            continue
        unjudged = sum(int(e) for n in notes for e in n.loc[n["reason"] == PARTLY_JUDGED, "entities"])
        if unjudged:
            rows.append((check_id, PARTLY_JUDGED, str(unjudged)))
    order = {c: i for i, c in enumerate(selected)}
    rows.sort(key=lambda r: order[r[0]])
    return pd.DataFrame(rows, columns=NOT_RUN_COLUMNS).astype("str")
