"""``kpt-audit ocds FILE|DIR --out DIR``: OCDS -> catalogue checks + OCP red flags -> the usual outputs.

Writes findings.csv (the catalogue's checks on the mapped tables and the OCP
indicators as ``OCP-R…`` findings), indicators.json (cardinal's output shape),
not_run.csv, rejections.csv, warnings.csv, data_quality.csv, manifest.json and,
unless ``html=False``, one HTML report per buyer (buyers stand in for
counties unless a county map says otherwise) with the roll-up.
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import pandas as pd

from ..findings import FINDING_COLUMNS, sort_findings
from .mapping import CountyMap, load_ocds
from .reader import ReadLog, iter_releases

log = logging.getLogger("kpt_audit.ocds")

EXIT_OK, EXIT_BAD_DATA = 0, 1


def read_county_map(path) -> CountyMap:
    """A YAML file ``{buyers: {buyer name or id: county}, regions: {region: county}}``.

    Raises ValueError naming the file and key when it is not that shape.
    """
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"county map {path} cannot be read: {exc}") from None
    if not isinstance(data, dict) or set(data) - {"buyers", "regions"}:
        raise ValueError(f"county map {path}: expected the keys 'buyers' and/or 'regions' only")
    parts = {}
    for key in ("buyers", "regions"):
        table = data.get(key) or {}
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ValueError(f"county map {path}: '{key}' must map names to county names (text)")
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
    out = findings.copy()
    out.loc[empty, "county"] = out.loc[empty, "project_id"].map(by_project)
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
    return dict(zip(pairs["id"], pairs["county"]))


def _indicators(path, settings_file, tables, lang):
    """(indicators.json object, OCP findings) or (None, None) when the indicators are not installed."""
    try:
        from .indicators import compute_indicators, indicators_to_findings
        from .indicators.settings import read_settings
    except ImportError as exc:
        log.warning("OCP indicators not available (%s): only the catalogue's checks run", exc)
        if settings_file:
            raise
        return None, None
    settings = read_settings(settings_file) if settings_file else None
    result = compute_indicators(iter_releases(path, []), settings)
    meta = releases_meta(tables)
    return result, indicators_to_findings(result, meta, buyer_county=county_of_organisation(meta), lang=lang)


def run_ocds(path, out, params_file=None, settings=None, html=True, county_map=None, as_of=None) -> int:
    """The whole ``ocds`` command; returns the exit code (0, or 1 for bad data).

    ``settings`` is a cardinal-rs INI file; ``county_map`` a YAML file (see
    :func:`read_county_map`).  Raises ParamsError for a params file that fails
    validation (the CLI's usage error).
    """
    from ..checks import run_checks
    from ..outputs import write_check_outputs, write_json
    from ..params import load_params

    source = Path(path)
    if not source.exists():
        print(f"kpt-audit ocds: {path} does not exist. Give an OCDS file (.json, .jsonl) or a folder of them.",
              file=sys.stderr)
        return EXIT_BAD_DATA
    started = time.perf_counter()
    params = load_params(params_file, as_of=as_of)
    counties = read_county_map(county_map) if county_map else None
    read_log = ReadLog()
    ds = load_ocds(source, counties, read_log)
    if not any(a.items for a in read_log.files.values()) and not read_log.errors:
        print(f"kpt-audit ocds: no OCDS file (.json, .jsonl, .ndjson) found at {path}.", file=sys.stderr)
        return EXIT_BAD_DATA
    t_read = time.perf_counter()
    result = run_checks(ds, params)
    result.findings = fill_county(result.findings, ds.tables)
    t_checks = time.perf_counter()
    indicators, ocp_findings = _indicators(source, settings, ds.tables, params.lang)
    if ocp_findings is not None and len(ocp_findings):
        both = pd.concat([result.findings, ocp_findings[FINDING_COLUMNS]], ignore_index=True)
        result.findings = sort_findings(both)
    t_indicators = time.perf_counter()

    out = Path(out)
    timings = {"read": t_read - started, "checks": t_checks - t_read, "indicators": t_indicators - t_checks}
    manifest = write_check_outputs(result, out, timings=timings)
    if indicators is not None:
        write_json(indicators, out / "indicators.json")
    manifest["ocds"] = {"source": str(source.resolve()), "files_reported": read_log.errors,
                        "releases": read_log.processes,
                        "indicators": indicators is not None, "settings": str(settings) if settings else None,
                        "county_map": str(county_map) if county_map else None}
    write_json(manifest, out / "manifest.json")
    for error in read_log.errors:
        print(f"reported: {error['file']} (line {error['line']}): {error['reason']}", file=sys.stderr)
    if html:
        _html_reports(result, out, params, manifest)
    return EXIT_OK


def _html_reports(result, out: Path, params, manifest: dict) -> None:
    """One report per buyer (county) and the roll-up, exactly as ``kpt-audit run`` makes them."""
    from ..batch import render_reports
    from ..privacy import Masker

    # a buyer whose report fails is marked in the manifest and the index; the exit code stays
    # that of reading the files (interfaces.md: ocds exits 0 when every file was read or reported)
    render_reports(result, out, params, manifest, Masker(result.dataset.tables), title="OCDS 审计报告",
                   rollup_title="OCDS 审计 汇总")
