"""``kpt-audit ocds FILE|DIR --out DIR``: OCDS -> catalogue checks + OCP red flags -> the usual outputs.

Writes findings.csv (the catalogue's checks on the mapped tables and the OCP
indicators as ``OCP-R…`` findings), indicators.json (cardinal's output shape),
not_run.csv, rejections.csv, warnings.csv, data_quality.csv, manifest.json and,
unless ``html=False``, one HTML report per buyer (buyers stand in for
counties unless a county map says otherwise) with the roll-up.

The front half (params -> read -> checks) is :func:`kpt_audit.pipeline.run_front`
with the OCDS reader as its loader; the reports are
:func:`kpt_audit.report.runner.render_reports`, as for ``kpt-audit run``.  Nothing
here prints: bad data raises :class:`~kpt_audit.errors.LoadError`, the files
reported unreadable are returned in :class:`OcdsResult`.
"""
from __future__ import annotations

import logging
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import LoadError, UsageError
from ..findings import sorted_together
from ..messages import text
from .mapping import CountyMap, load_ocds
from .reader import ReadLog

log = logging.getLogger("kpt_audit.ocds")


@dataclass
class OcdsResult:
    """What ``run_ocds`` wrote: its folder and manifest, the input files (and lines) it reported as
    unreadable, and the buyers whose HTML report failed (these do not change the exit code)."""

    out: Path
    manifest: dict
    reported: list[dict] = field(default_factory=list)  # {file, line, reason}
    failed_reports: list[str] = field(default_factory=list)


def read_county_map(path) -> CountyMap:
    """A YAML file ``{buyers: {buyer name or id: county}, regions: {region: county}}``.

    Raises UsageError (a ValueError) naming the file and key when it is not that shape.
    """
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(key="err.county_map_unreadable", path=path, error=exc) from None
    if not isinstance(data, dict) or set(data) - {"buyers", "regions"}:
        raise UsageError(key="err.county_map_keys", path=path)
    parts = {}
    for key in ("buyers", "regions"):
        table = data.get(key) or {}
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise UsageError(key="err.county_map_values", path=path, key_name=key)
        parts[key] = {str(k).strip(): v.strip() for k, v in table.items()}
    return CountyMap(**parts)


def county_of_project(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """project_id -> county through the contracts (OCDS has no projects table)."""
    contracts = tables.get("contracts")
    if contracts is None or "county" not in contracts:
        return pd.Series(dtype="str")
    c = contracts[contracts["county"].notna()].drop_duplicates("project_id")
    return pd.Series(c["county"].to_numpy(), index=c["project_id"].to_numpy(), dtype="str")


def fill_county(findings: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Give findings keyed by a project (contracts, payments) the county of its process's buyer."""
    empty = findings["county"].isna() | (findings["county"].astype("str") == "")
    if not empty.any():
        return findings
    by_project = county_of_project(tables)
    out = findings.copy(deep=False)  # copy on write: only the county column is copied, as it is set
    # a project no contract names maps to a float NaN, which a text column refuses (R024 fixtures: bids only)
    out.loc[empty, "county"] = out.loc[empty, "project_id"].map(by_project).astype("str")
    return out


def releases_meta(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per ocid: buyer, buyer_id, procuring_entity, procuring_entity_id, county (for OCP findings)."""
    columns = ["ocid", "buyer", "buyer_id", "procuring_entity", "procuring_entity_id", "county"]
    tenders = tables.get("tenders")
    if tenders is None:
        meta = pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    else:
        meta = tenders.reindex(columns=columns).reset_index(drop=True)
    return meta.assign(buyer_name=meta["buyer"])


def county_of_organisation(meta: pd.DataFrame) -> dict[str, str]:
    """OCDS buyer and procuring-entity ids -> the county their processes were given (first met)."""
    pairs = pd.concat([meta[["buyer_id", "county"]].set_axis(["id", "county"], axis=1),
                       meta[["procuring_entity_id", "county"]].set_axis(["id", "county"], axis=1)])
    pairs = pairs.dropna().drop_duplicates("id")
    return dict(zip(pairs["id"].tolist(), pairs["county"].tolist()))


def _read_settings(settings_file):
    """The OCP indicator settings of ``--settings`` (read before any data: a bad file stops at once)."""
    from .indicators.settings import read_settings

    return read_settings(settings_file)


def _extractor(settings):
    """The OCP indicators' extractor, fed while the releases are mapped; None when they are not installed."""
    try:
        from .indicators import Extractor, Settings
    except ImportError as exc:
        log.warning("OCP indicators not available (%s): only the catalogue's checks run", exc)
        return None
    return Extractor((settings or Settings()).excluded_details)


class _Indicators:
    """The OCP indicators of the one reading: computed as soon as every release is read, before the tables
    are made (their columns, about 1 kB a release, are let go before the tables' copies and the checks), held
    pickled while the checks run (a tenth of the memory of their dictionaries: 0.35 GiB for the million
    processes flagged among 2,000,000), and made findings once the tables give each process its buyer."""

    def __init__(self, extractor, settings, read_log: ReadLog):
        self.extractor, self.settings, self.read_log = extractor, settings, read_log
        self.pickled = b""
        self.computing = self.seconds = 0.0  # seconds computing (within the reading's), and in all

    def result(self) -> dict:
        """The indicators' results, in the reference engine's output shape (a new copy at each call)."""
        return pickle.loads(self.pickled)

    def compute(self) -> None:
        from .indicators import Settings, compute_from_columns, drop_releases
        from ..load.arrow import release_freed_memory

        started = time.perf_counter()
        release_freed_memory()  # what the parsing left free, before the columns are put together
        columns = drop_releases(self.extractor.finish(), self.read_log.replaced)
        self.pickled = pickle.dumps(compute_from_columns(columns, self.settings or Settings()),
                                    protocol=pickle.HIGHEST_PROTOCOL)
        columns = None
        release_freed_memory()
        self.computing = time.perf_counter() - started
        self.seconds += self.computing

    def findings(self, meta: pd.DataFrame, lang) -> pd.DataFrame:
        """The indicators' results as findings (``OCP-R…``), each process's with its buyer's county (``meta``:
        :func:`releases_meta`)."""
        from .indicators import indicators_to_findings

        started = time.perf_counter()
        found = indicators_to_findings(self.result(), meta, buyer_county=county_of_organisation(meta), lang=lang)
        self.seconds += time.perf_counter() - started
        return found


def run_ocds(path, out, params, *, settings=None, html=True, county_map=None, progress=None) -> OcdsResult:
    """The whole ``ocds`` command on ``params`` (a :class:`~kpt_audit.params.Params` with its as_of).

    ``settings`` is a cardinal-rs INI file; ``county_map`` a YAML file (see
    :func:`read_county_map`).  Raises MissingAsOfError, ParamsError, SettingsError or
    UsageError (exit 2) for options, LoadError (exit 1) when ``path`` does not exist or
    holds no OCDS file; a file that cannot be read is reported in the result, not raised.
    """
    from ..pipeline import require_as_of
    from ..load.arrow import map_large_blocks, release_freed_memory
    from .native import jemalloc_pool

    require_as_of(params)
    source = Path(path)
    if not source.exists():
        raise LoadError(key="err.ocds_missing", path=path)
    counties = read_county_map(county_map) if county_map else None
    settings_read = _read_settings(settings) if settings else None
    read_log = ReadLog()
    extractor = _extractor(settings_read)
    indicators = _Indicators(extractor, settings_read, read_log) if extractor is not None else None

    def read(source, params):
        # one reading: the releases are merged and mapped once, and feed the indicators on the way
        ds = load_ocds(source, counties, read_log, extractor=extractor,
                       read=indicators.compute if indicators is not None else None)
        if not any(a.items for a in read_log.files.values()) and not read_log.errors:
            raise LoadError(key="err.ocds_none", path=path)
        release_freed_memory()  # the parsed blocks and the releases' dictionaries, before the checks
        return ds

    map_large_blocks()
    with jemalloc_pool():  # Arrow's allocator for the whole command: reading, the checks' texts, the outputs
        return _run(source, out, params, read, read_log, indicators, settings, county_map, html, progress)


def _run(source, out, params, read, read_log, indicators, settings, county_map, html, progress):
    """:func:`run_ocds` once its options are read: read (and compute the indicators), check, write."""
    from ..files import write_json
    from ..outputs import write_check_outputs
    from ..pipeline import run_front
    from ..privacy import Masker, personal_values
    from ..report.runner import render_reports
    from ..load.arrow import release_freed_memory

    front = run_front(source, params, load=read)
    result = front.result
    tables = front.dataset.tables
    result.findings = fill_county(result.findings, tables)
    meta = releases_meta(tables) if indicators is not None else None  # (its columns' data, not copies)
    if not html:
        # without reports, what the outputs read of the data after the checks is the personal values to
        # mask, as on data split on disk: the rows are let go before the findings are put together
        result.dataset.tables = personal_values(tables)
    tables = None
    release_freed_memory()  # what the checks' own frames (and the rows) left free, before the OCP findings
    timings = {**front.timings, "indicators": 0.0}
    if indicators is not None:
        parts = [result.findings, indicators.findings(meta, params.lang)]
        meta = None
        if len(parts[1]):  # put together a column at a time, both used up (each column let go as it joins)
            result.findings = sorted_together(parts, list(result.findings.columns))
        parts = None
        # computed while reading: its seconds are the indicators', not the loading's
        timings["load"] -= indicators.computing
        timings["indicators"] = indicators.seconds
    release_freed_memory()  # the checks' frames, before the outputs are written

    out = Path(out)
    manifest = write_check_outputs(result, out, timings=timings)
    if indicators is not None:
        write_json(indicators.result(), out / "indicators.json")
    manifest["ocds"] = {"source": str(source.resolve()), "files_reported": read_log.errors,
                        "releases": read_log.processes,
                        "indicators": indicators is not None, "settings": str(settings) if settings else None,
                        "county_map": str(county_map) if county_map else None}
    write_json(manifest, out / "manifest.json")
    failed = []
    if html:
        # one report per buyer (county) and the roll-up, exactly as ``kpt-audit run`` makes them; a buyer
        # whose report fails is marked in the manifest and the index; the exit code stays that of reading
        # the files (interfaces.md: ocds exits 0 when every file was read or reported)
        failed = render_reports(result, out, params, manifest, Masker(result.dataset.tables),
                                title=text("page.ocds", params.lang), rollup_title=text("page.ocds_rollup", params.lang),
                                progress=progress)
    return OcdsResult(out, manifest, list(read_log.errors), failed)
