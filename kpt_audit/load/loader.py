"""load_dataset: a dataset folder -> :class:`~kpt_audit.dataset.Dataset`."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..dataset import LEDGER_COLUMNS, REJECTION_COLUMNS, SOURCE_COLUMNS, UNKNOWN_COLUMNS, Dataset, empty_unknown
from ..files import sha256_file
from ..schema.tables import TABLES
from .discover import Found, discover
from ..errors import LoadError
from .links import date_order_warnings, link_warnings
from .raw import RawTable
from .read_csv import read_csv
from .read_excel import read_excel
from .read_parquet import read_parquet
from .table import build_table
from .texts import dq


def _read(found: Found, user_aliases) -> tuple[RawTable, str]:
    table = TABLES[found.table]
    path = found.path
    try:
        if found.fmt == "csv":
            with open(path, "rb") as fh:
                data = fh.read()
            if not data:
                raise LoadError(key="err.empty_csv", name=path.name, table=found.table)
            return read_csv(path, data, table, user_aliases), hashlib.sha256(data).hexdigest()
        if path.stat().st_size == 0:
            raise LoadError(key="err.empty_file", name=path.name)
        raw = read_excel(path, table, user_aliases) if found.fmt == "xlsx" else read_parquet(path)
        return raw, sha256_file(path)
    except PermissionError as exc:
        raise LoadError(key="err.permission", name=path.name, why=exc.strerror) from None


def load_dataset(path, params=None) -> Dataset:
    """Load every table file of the folder ``path``; see docs/data.md for what is accepted.

    ``params`` (a :class:`~kpt_audit.params.Params`) supplies user header aliases
    and unit overrides.  Raises :class:`LoadError` for bad data; row problems
    go to ``rejections`` / ``warnings``.
    """
    root = Path(path)
    aliases = getattr(params, "aliases", {}) or {}
    for table_name in aliases:
        if table_name not in TABLES:
            raise LoadError(key="err.loader_table", path="params", key_name="aliases", table=table_name,
                            tables=", ".join(TABLES))
    ds = Dataset(root=str(root))
    ledger, sources, rejections, warnings = [], [], [], []
    origin: dict[str, tuple] = {}
    unknown: list[pd.DataFrame] = []
    for found in discover(root):
        if found.table is None:
            ledger.append({"file": found.path.name, "table": "", "rows_in": 0, "rows_loaded": 0,
                           "rows_rejected": 0, "notes": found.note})
            continue
        raw, digest = _read(found, aliases.get(found.table))
        built = build_table(TABLES[found.table], raw, found.path.name, params)
        ds.tables[found.table] = built.frame
        origin[found.table] = (found.path.name, raw.sheet, built.rows)
        ds.origin[found.table] = pd.DataFrame({
            "file": pd.Series(found.path.name, index=built.frame.index, dtype="str"),
            "sheet": pd.Series(raw.sheet or "", index=built.frame.index, dtype="str"),
            "row": pd.Series(np.asarray(built.rows, dtype="int64"), index=built.frame.index)})
        if len(built.unknown):
            unknown.append(built.unknown.assign(table=found.table)[UNKNOWN_COLUMNS])
        if built.extra_columns:
            ds.extra_columns[found.table] = built.extra_columns
        notes = ([dq("encoding", encoding=raw.encoding)] if raw.encoding else []) + built.notes
        ledger.append({"file": found.path.name, "table": found.table, "rows_in": built.rows_in,
                       "rows_loaded": len(built.frame), "rows_rejected": built.rows_in - len(built.frame),
                       "notes": "; ".join(notes)})
        sources.append({"table": found.table, "path": str(found.path), "sha256": digest,
                        "encoding": raw.encoding or "", "sheet": raw.sheet or "",
                        "header_row": raw.header_row if raw.header_row is not None else pd.NA})
        rejections.append(built.rejections)
        warnings.append(built.warnings)
    warnings.extend(link_warnings(ds.tables, origin))
    warnings.extend(date_order_warnings(ds.tables, origin))
    ds.ledger = pd.DataFrame(ledger, columns=LEDGER_COLUMNS)
    for col in ("rows_in", "rows_loaded", "rows_rejected"):
        ds.ledger[col] = ds.ledger[col].astype("int64")
    ds.sources = pd.DataFrame(sources, columns=SOURCE_COLUMNS)
    ds.rejections = _concat(rejections)
    ds.warnings = _concat(warnings)
    ds.unknown = pd.concat(unknown, ignore_index=True).astype(
        {"table": "str", "row": "int64", "column": "str", "value": "str"}).sort_values(
        ["table", "row", "column"], kind="stable").reset_index(drop=True) if unknown else empty_unknown()
    return ds


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in REJECTION_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    out["row"] = out["row"].astype("int64")
    return out[REJECTION_COLUMNS]

