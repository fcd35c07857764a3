"""The checks county by county (issue 14): one partition of the data per county, and the few checks
that must see every county at once.

Each row belongs to a county by the rule of :mod:`kpt_audit.load.counties`; rows of no county form
one partition of their own.  Reference tables (suppliers) go whole to every partition.

Every check reads, for one county, only rows of that county's partition — except the checks in
:data:`WHOLE_DATA`, which compare across counties (one supplier's share of a buyer's contracts,
cover bidding across tenders, one enterprise's subsidies or bank account across counties, a
buyer's purchases split or below the line, one payee paid the same amount in two counties).  Those run once
on the whole data (on a split dataset, on views of their columns, or bucket by bucket of one
column's values: :data:`BY_VALUE`).  So the partitioned path gives the findings of the in-memory
path exactly (``tests/checks/test_partitioned.py``, ``tests/load/test_split.py``), while a
partition's working set stays a few counties'.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pandas as pd

from ..dataset import Dataset
from ..findings import empty_findings, sort_findings
from .catalogue import CHECKS, METRICS
from ..load import counties as county_rule
from ..schema.tables import TABLES
from ..load.counties import NO_COUNTY, REFERENCE_TABLES, county_groups, referenced_rows, row_counties  # noqa: F401
from .engine import NOT_RUN_COLUMNS, UNJUDGED_COLUMNS, CheckResult, not_run_in, run_checks, unjudged_frame
from .context import ROW_EVENT_DATE
from .frames import currencies_of
from .registry import PARTLY_JUDGED

# checks of WHOLE_DATA that compare rows only among those with one value of a column (one payee's
# payments, one bidder's bids, one buyer's tenders and contracts): on a split dataset they run bucket by
# bucket of that value (tables bucketed by columns of one name share the buckets)
BY_BUYER = {"tenders": "buyer", "contracts": "buyer"}
BY_VALUE = {"COS06": {"payments": "payee_id"}, "PRO12": {"bids": "bidder_id"}, "PRO11": BY_BUYER, "PRO16": BY_BUYER}
# a contract's buyer (PRO11; PRO16's contracts have no tender): its tender's buyer, else its project's department
FROM_PARENTS = {("contracts", "buyer"): (("tender_id", "tenders", "buyer"), ("project_id", "projects", "department"))}
# PRO02 too: a buyer's purchases without project are grouped whatever county each tender names, and a
# project's tenders whatever county each names (the tenders table is small beside the payments)
WHOLE_DATA = frozenset({c.id for c in CHECKS.values() if c.cross_county} | {"PRO02", "PRO16", "COS06"})


def partitions(dataset: Dataset, rows: int | None = None) -> Iterator[tuple[tuple[str, ...], Dataset]]:
    """(counties, their part of ``dataset``) for groups of whole counties of about ``rows`` rows each
    (default :data:`~kpt_audit.load.counties.ROWS_PER_PARTITION`; a county is never split, so ``rows=1`` gives each county a
    partition); the rows of no county (:data:`NO_COUNTY`) count as one more county, the first."""
    rows = rows or county_rule.ROWS_PER_PARTITION
    currencies = currencies_of(dataset.tables)  # the whole data's, which a yuan threshold judges
    codes, names = _county_codes(row_counties(dataset.tables))
    sizes = sum(np.bincount(c, minlength=len(names)) for c in codes.values())
    for number, group in enumerate(county_groups(sizes, rows)):
        wanted = np.zeros(len(names), dtype=bool)
        wanted[group] = True
        tables = {name: df[wanted[codes[name]]] for name, df in dataset.tables.items() if name in codes}
        for name in REFERENCE_TABLES:
            if name in dataset.tables:
                whole = dataset.tables[name]
                tables[name] = whole if number == 0 else referenced_rows(name, whole, tables)
        tables = {name: tables[name] for name in dataset.tables if name in tables}  # the dataset's order
        yield tuple(names[i] for i in group), _part_of(dataset, tables, currencies)


def _part_of(dataset: Dataset, tables: dict[str, pd.DataFrame], currencies: dict) -> Dataset:
    """The dataset the checks see for ``tables`` (rows of ``dataset.tables``): the unreadable cells and
    the origins of those rows only, and the whole data's ``currencies``; nothing else of the loader's
    account (the checks read no more)."""
    unknown = getattr(dataset, "unknown", None)
    if unknown is not None and len(unknown):
        keep = np.zeros(len(unknown), dtype=bool)
        for name, df in tables.items():
            mine = (unknown["table"] == name).to_numpy()
            keep[mine] = unknown["row"][mine].isin(df.index).to_numpy()
        unknown = unknown[keep]
    origin = {name: frame.loc[frame.index.intersection(tables[name].index)] if name in tables else frame
              for name, frame in (getattr(dataset, "origin", None) or {}).items()}
    return Dataset(tables=tables, unknown=unknown if unknown is not None else Dataset().unknown, origin=origin,
                   currencies=currencies)


def check_part(part: Dataset, params, checks: list[str], found_elsewhere: pd.DataFrame | None = None):
    """One partition's (findings, not-run notes, timings, metric tables, unjudged entities per county): what a
    worker sends back (no dataset).  Every metric table is per county, so the partition makes its counties' rows, from its
    findings and ``found_elsewhere`` (those of the checks run on the whole data, for its counties)."""
    result = run_checks(part, params, checks=checks, found_elsewhere=found_elsewhere)
    return result.findings, result.not_run, result.timings, result.metrics, result.unjudged


def _county_codes(counties: dict[str, pd.Series]) -> tuple[dict[str, np.ndarray], list[str]]:
    """Each table's rows as codes into one sorted list of counties (NO_COUNTY first)."""
    names = sorted(set().union(*(set(c.dropna().unique()) for c in counties.values())) | {NO_COUNTY})
    index = pd.Index(names)
    return {name: index.get_indexer(c.fillna(NO_COUNTY).astype("str")) for name, c in counties.items()}, names


def run_checks_by_county(dataset: Dataset, params, counties=None, checks=None,
                         rows: int | None = None, check_parts=None) -> CheckResult:
    """:func:`kpt_audit.checks.run_checks`, partition by partition (:func:`partitions`): the same
    findings, not-run notes and metrics.

    ``check_parts(tasks, params, checks)`` runs :func:`check_part` on each (partition, findings elsewhere) and returns
    their results in order; by default one after the other here (``kpt_audit.cluster`` gives one
    that runs them on a Dask cluster)."""
    selected = _selected(checks)
    whole = run_checks(dataset, params, checks=[c for c in selected if c in WHOLE_DATA], metrics=False)
    result = _gathered(whole, partitions(dataset, rows), params, selected, check_parts)
    result.dataset = dataset
    return _of_counties(result, counties)


def split_for_checks(path, folder, params, rows: int | None = None):
    """:func:`kpt_audit.load.split.split_dataset` with the buckets :func:`run_checks_split` reads
    (:data:`BY_VALUE`)."""
    from ..load.split import split_dataset

    return split_dataset(path, folder, params, rows, buckets={t: c for by in BY_VALUE.values() for t, c in by.items()},
                         from_parents=FROM_PARENTS)


def run_checks_split(split, params, counties=None, checks=None, check_parts=None) -> CheckResult:
    """:func:`run_checks_by_county` on a dataset split on disk (:class:`kpt_audit.load.split.SplitDataset`),
    one partition in memory at a time: the checks that compare counties and the metric tables each read
    only the columns they use, of every row (metric tables are made per partition, as by
    :func:`run_checks_by_county`).  The result's dataset is the split's account (no tables)."""
    selected = _selected(checks)
    currencies = currencies_of(split.distinct_values(
        {name: ("currency",) for name, schema in split.schemas.items() if "currency" in schema.names}))

    def whole_currencies(part: Dataset) -> Dataset:  # a yuan threshold judges the whole data's currencies
        return replace(part, currencies=currencies)

    whole = []
    for c in (c for c in selected if c in WHOLE_DATA):
        columns = _columns(CHECKS[c].inputs, CHECKS[c].optional)
        bucketed = {t: column for t, column in BY_VALUE.get(c, {}).items() if (t, column) in split.buckets}
        if bucketed:
            runs = [_without_data(run_checks(whole_currencies(view), params, checks=[c], metrics=False))
                    for view in split.bucket_views(columns, bucketed)]
            note = _not_run_over(c, runs)
            whole.append(CheckResult(pd.concat([r.findings for r in runs], ignore_index=True), {},
                                     _not_run_frame([note] if note else []),
                                     timings={c: sum(r.timings.get(c, 0.0) for r in runs)},
                                     unjudged=_unjudged_together(runs)))
        else:
            whole.append(_without_data(run_checks(whole_currencies(split.view(columns, whole=CHECKS[c].inputs)),
                                                  params, checks=[c], metrics=False)))
    parts = ((counties, whole_currencies(part)) for counties, part in split.partitions())
    result = _gathered(_together(whole), parts, params, selected, check_parts)
    result.dataset = split.account
    return _of_counties(result, counties)


def _without_data(result: CheckResult) -> CheckResult:
    """``result`` letting go of the view it was run on (kept, every view of a national run would stay)."""
    result.dataset = None
    return result


def _columns(inputs: dict, optional=()) -> dict[str, tuple[str, ...]]:
    """The columns a view needs for ``inputs`` and ``optional``: those, each table's event date (the
    as-of rule reads it) and key, the projects' id, name and county (every finding names its project) and
    the suppliers' id and name (a finding on a supplier names it)."""
    wanted: dict[str, list[str]] = {"projects": ["project_id", "project_name", "county"],
                                    "suppliers": ["supplier_id", "name"]}
    for table, columns in inputs.items():
        wanted.setdefault(table, []).extend(columns)
    for table, column in optional:
        wanted.setdefault(table, []).append(column)
    for table in wanted:  # ... and the table's key, by which rows are looked up
        wanted[table].extend(c for c in (ROW_EVENT_DATE.get(table), "month" if table == "progress" else None) if c)
        wanted[table].extend(TABLES[table].key if table in TABLES else ())
    return {table: tuple(dict.fromkeys(columns)) for table, columns in wanted.items()}


def _together(results: list[CheckResult]) -> CheckResult:
    """Several runs of the whole data (one check each) as one."""
    findings = sort_findings(pd.concat([r.findings for r in results], ignore_index=True)) if results \
        else empty_findings()
    not_run = pd.concat([r.not_run for r in results], ignore_index=True) if results else _not_run_frame([])
    timings = {k: v for r in results for k, v in r.timings.items()}
    return CheckResult(findings, {}, not_run, timings=timings, unjudged=_unjudged_together(results))


def _selected(checks) -> list[str]:
    return [c if isinstance(c, str) else c.check.id for c in checks] if checks is not None else list(CHECKS)


def _gathered(whole: CheckResult, parts, params, selected: list[str], check_parts) -> CheckResult:
    """The findings, not-run notes, timings and metric tables of ``whole`` (the checks that compare
    counties) and of the other checks run on each of ``parts`` ((counties, dataset) pairs)."""
    by_part = [c for c in selected if c not in WHOLE_DATA]
    elsewhere = whole.findings
    tasks = ((part, elsewhere[elsewhere["county"].isin(set(counties))]) for counties, part in parts)
    results = [CheckResult(found, metrics, not_run, timings=timings, unjudged=unjudged)
               for found, not_run, timings, metrics, unjudged in (check_parts or _check_here)(tasks, params, by_part)]
    findings = pd.concat([whole.findings, *(r.findings for r in results)], ignore_index=True)
    # a reference row (a supplier) is in every partition that names it: a finding on it alone (DQ01's
    # unreadable cell of a supplier) comes from each of them, the same finding
    findings = sort_findings(findings.drop_duplicates("finding_id", ignore_index=True))
    timings = dict(whole.timings)
    for r in results:
        for k, v in r.timings.items():
            timings[k] = timings.get(k, 0.0) + v
    return CheckResult(findings, _metrics_together([r.metrics for r in results]),
                       _not_run(whole, results, selected), None, params, timings,
                       _unjudged_together([whole, *results]))


def _metrics_together(per_part: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Each metric table of every partition as one: its counties' rows, in county order (a county's rows
    come whole from one partition)."""
    out = {}
    for name in METRICS:
        frames = [m[name] for m in per_part if name in m]
        if not frames:
            continue
        filled = [f for f in frames if len(f)] or frames[:1]
        table = pd.concat(filled, ignore_index=True) if len(filled) > 1 else filled[0]
        if "county" in table.columns:
            table = table.sort_values("county", kind="stable")
        out[name] = table.reset_index(drop=True)
    return out


def _unjudged_together(results: list[CheckResult]) -> pd.DataFrame:
    """The unjudged entities per county of several runs (partitions, buckets) added up."""
    parts = [r.unjudged for r in results if len(r.unjudged)]
    if not parts:
        return unjudged_frame()
    together = pd.concat(parts, ignore_index=True).groupby(["check_id", "county"], sort=True)["entities"].sum()
    return unjudged_frame(together.reset_index()[UNJUDGED_COLUMNS].itertuples(index=False))


def _of_counties(result: CheckResult, counties) -> CheckResult:
    if counties:
        result.not_run = not_run_in(result.not_run, result.unjudged, counties)
        wanted = set(counties)
        result.findings = result.findings[result.findings["county"].isin(wanted)].reset_index(drop=True)
        result.metrics = {k: (v[v["county"].isin(wanted)].reset_index(drop=True) if "county" in v else v)
                          for k, v in result.metrics.items()}
    return result


def _check_here(tasks, params, checks):
    return [check_part(part, params, checks, elsewhere) for part, elsewhere in tasks]


def _not_run_over(check_id: str, results: list[CheckResult]) -> tuple | None:
    """One check's not-run note over several runs of it (partitions, buckets): not run when no run ran it
    (the first run's reason); the entities a partly judged check could not judge add up over the runs."""
    notes = [r.not_run[r.not_run["check_id"] == check_id] for r in results]
    skipped = [n for n in notes if len(n) and (n["reason"] != PARTLY_JUDGED).all()]
    if len(skipped) == len(results):
        return tuple(skipped[0].iloc[0])
    unjudged = sum(int(e) for n in notes for e in n.loc[n["reason"] == PARTLY_JUDGED, "entities"])
    return (check_id, PARTLY_JUDGED, str(unjudged)) if unjudged else None


def _not_run(whole: CheckResult, results: list[CheckResult], selected: list[str]) -> pd.DataFrame:
    """The not-run notes of ``whole`` (the checks run on the whole data) and of the others over the partitions."""
    rows = [r for r in whole.not_run.itertuples(index=False)]
    rows += [row for c in selected if c not in WHOLE_DATA for row in [_not_run_over(c, results)] if row]
    order = {c: i for i, c in enumerate(selected)}
    rows.sort(key=lambda r: order[r[0]])
    return _not_run_frame(rows)


def _not_run_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=NOT_RUN_COLUMNS).astype("str")
