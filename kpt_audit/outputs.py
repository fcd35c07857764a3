"""Writing the check outputs of a run (interfaces.md, "Output folder of run").

Files are written through :mod:`kpt_audit.files` (atomic, UTF-8 with BOM for
CSVs) and are deterministic: same data and parameters give byte-identical
files.
"""
from __future__ import annotations

import platform
from pathlib import Path

import pandas as pd

from .dataset import LEDGER_COLUMNS, REJECTION_COLUMNS
from .files import sha256_file, write_json, write_report_csv
from .findings import FINDING_COLUMNS
from .privacy import Masker
from .register.fields import REGISTER_COLUMNS
from .register.summary import current_findings
from .version import __version__


def _params_sha256(params) -> str | None:
    """The parameters file is an input like the data: its hash says which version a run used."""
    source = getattr(params, "source", None)
    return sha256_file(source) if source and Path(source).is_file() else None


def _select(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = df.copy(deep=False)  # copy on write: the columns added here are new, the others shared with df
    for c in columns:
        if c not in out.columns:
            out[c] = pd.NA
    return out[columns]


def write_check_outputs(result, out_dir, *, counties=None, show_personal_data: bool = False,
                        timings: dict | None = None, masker: Masker | None = None) -> dict:
    """Write findings.csv, metrics/*.csv, not_run.csv, data_quality.csv,
    rejections.csv, warnings.csv and manifest.json under ``out_dir``.

    Returns the manifest.  Personal data is masked unless ``show_personal_data``; a caller that
    masks more files passes its ``masker`` (built once per dataset).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ds = result.dataset
    if masker is None:
        masker = Masker(getattr(ds, "tables", None), enabled=not show_personal_data)

    # with a register, its columns follow (interfaces.md revision 2)
    columns = FINDING_COLUMNS + [c for c in REGISTER_COLUMNS if c in result.findings.columns]
    findings = masker.frame(result.findings[columns])
    write_report_csv(findings, out / "findings.csv")
    for name, frame in sorted(result.metrics.items()):
        write_report_csv(masker.frame(frame), out / "metrics" / f"{name}.csv")
    write_report_csv(result.not_run, out / "not_run.csv")
    if ds is not None and hasattr(ds, "ledger"):
        ledger = _select(ds.ledger, LEDGER_COLUMNS)
        write_report_csv(ledger[["file", "rows_in", "rows_loaded", "rows_rejected", "notes"]], out / "data_quality.csv")
        write_report_csv(masker.frame(_select(ds.rejections, REJECTION_COLUMNS)), out / "rejections.csv")
        write_report_csv(masker.frame(_select(ds.warnings, REJECTION_COLUMNS)), out / "warnings.csv")

    params = result.params
    inputs = []
    if ds is not None and hasattr(ds, "sources") and len(ds.sources):
        for row in ds.sources.sort_values("path").to_dict("records"):
            inputs.append({k: (None if pd.isna(v) else v) for k, v in row.items()})
    manifest = {
        "tool": "kpt-audit",
        "version": __version__,
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "as_of": params.as_of.strftime("%Y-%m-%d") if params is not None else None,
        "params": params.to_dict() if params is not None else None,
        "params_source": params.source if params is not None else None,
        "params_sha256": _params_sha256(params),
        "counties_selected": sorted(counties) if counties else None,
        "inputs": inputs,
        # found this run, as the printed summary counts them (not those not found again, nor the dismissed);
        # findings.csv lists those too: its rows are findings_listed
        "findings": int(len(current_findings(findings))),
        "findings_listed": int(len(findings)),
        "not_run": result.not_run.to_dict("records"),
        "personal_data_masked": not show_personal_data,
        "timings_seconds": {k: round(v, 4) for k, v in sorted((timings or result.timings).items())},
        "generated_at": pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    write_json(manifest, out / "manifest.json")
    return manifest
