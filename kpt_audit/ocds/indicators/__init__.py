"""OCP red-flag indicators, computed as the reference engine cardinal-rs 0.0.8 computes them.

``compute_indicators(releases_or_path, settings)`` returns the reference's
output: ``{"OCID": {ocid: {"R036": 1.0}}, "Buyer": {...}, "ProcuringEntity":
{...}, "Tenderer": {...}}``, groups without results left out, values as the
reference gives them (unrounded floats), plus ``"Meta"`` (quartiles and fences
rounded to 4 decimals, as the reference prints by default) when ``meta=True``.
Keys are sorted so the output is deterministic; the reference's own key order
varies from run to run.

A JSON Lines path is parsed directly (orjson, two processes over byte
ranges); anything else — a folder, packages, an iterable of compiled release
dicts — goes through :func:`kpt_audit.ocds.reader.read_ocds` (copies a newer copy replaced are
dropped).  ``kpt-audit ocds`` feeds the :class:`~.core.Extractor` from its one reading instead.
"""
from __future__ import annotations

import os
from pathlib import Path

from .core import Columns, Extractor, drop_releases, extract_jsonl, extract_releases
from .findings import indicators_to_findings
from .frame import GROUPS, Frame, Results
from .outliers import r025, r038, r048
from .prices import main_currency, r024, r028, r036, r058, second_lowest_bid_ratios
from .process import r003, r018, r030, r035
from .settings import INDICATORS, Settings, SettingsError, read_settings
from .stats import round4

__all__ = ["compute_indicators", "indicators_to_findings", "read_settings", "Settings", "SettingsError",
           "INDICATORS", "extract", "compute_from_columns", "Extractor", "drop_releases"]

JSONL_SUFFIXES = (".jsonl", ".ndjson")


def extract(releases, settings: Settings, errors: list | None = None, workers: int | None = None) -> Columns:
    """The flat columns of ``releases`` (a path or an iterable of compiled release dicts)."""
    excluded = settings.excluded_details
    if isinstance(releases, (str, os.PathLike)):
        path = Path(releases)
        if path.is_file() and path.suffix.lower() in JSONL_SUFFIXES:
            return extract_jsonl(path, excluded, workers)
        from kpt_audit.ocds.reader import ReadLog, read_ocds

        log = ReadLog(errors=errors if errors is not None else [])
        extractor = Extractor(excluded)
        for origin, release in read_ocds(path, log):
            extractor.add(release, origin.seq)
        return drop_releases(extractor.finish(), log.replaced)
    return extract_releases(releases, excluded)


def compute_from_columns(cols: Columns, settings: Settings, meta: bool = False) -> dict:
    frame = Frame(cols, settings)
    results = Results()
    on = settings.is_enabled
    currency = main_currency(frame)
    if on("R003"):
        r003(frame, results)
    if on("R018"):
        r018(frame, results)
    if on("R024") or on("R058"):
        ratios = second_lowest_bid_ratios(frame, currency)
        if on("R024"):
            r024(frame, ratios, results)
        if on("R058"):
            r058(frame, ratios, results)
    if on("R025"):
        r025(frame, results)
    if on("R028"):
        r028(frame, results)
    if on("R030"):
        r030(frame, results)
    if on("R035"):
        r035(frame, results)
    if on("R036"):
        r036(frame, currency, results)
    if on("R038"):
        r038(frame, results)
    if on("R048"):
        r048(frame, results)
    frame = None  # its masks and copies, before the output is made
    output = {}
    for group in GROUPS:
        found = results.groups.pop(group)
        if found:
            # each identifier's values let go as their sorted copy is made (a million flagged processes' dicts
            # were otherwise held twice at the end)
            output[group] = {key: dict(sorted(found.pop(key).items())) for key in sorted(found)}
    if meta:
        output["Meta"] = {code: {key: round4(value) for key, value in values.items()}
                          for code, values in sorted(results.meta.items())}
    return output


def compute_indicators(releases, settings: Settings | None = None, *, meta: bool = False,
                       errors: list | None = None, workers: int | None = None) -> dict:
    """The indicators' results in the reference engine's output shape (see the module docstring).

    ``settings`` None enables all indicators with their defaults (the reference's ``init`` file);
    ``errors`` collects unreadable files when ``releases`` is a folder or a package.
    """
    settings = settings if settings is not None else Settings()
    return compute_from_columns(extract(releases, settings, errors, workers), settings, meta=meta)
