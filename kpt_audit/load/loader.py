"""load_dataset: a dataset folder -> :class:`~kpt_audit.dataset.Dataset`."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
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
from .sheets import build_sheets
from .table import build_table
from .texts import dq


def read_found(found: Found, user_aliases) -> tuple[list[RawTable], str]:
    """The raw table of ``found`` (one per sheet when a workbook holds the table on several) and the
    file's sha256."""
    table = TABLES[found.table]
    path = found.path
    try:
        if found.fmt == "csv":
            with open(path, "rb") as fh:
                data = fh.read()
            if not data:
                raise LoadError(key="err.empty_csv", name=path.name, table=found.table)
            return [read_csv(path, data, table, user_aliases)], hashlib.sha256(data).hexdigest()
        if path.stat().st_size == 0:
            raise LoadError(key="err.empty_file", name=path.name)
        raws = read_excel(path, table, user_aliases) if found.fmt == "xlsx" else [read_parquet(path)]
        return raws, sha256_file(path)
    except PermissionError as exc:
        raise LoadError(key="err.permission", name=path.name, why=exc.strerror) from None


def check_aliases(params) -> dict:
    """``params``' header aliases by table, after checking that each names a table."""
    aliases = getattr(params, "aliases", {}) or {}
    for table_name in aliases:
        if table_name not in TABLES:
            raise LoadError(key="err.loader_table", path="params", key_name="aliases", table=table_name,
                            tables=", ".join(TABLES))
    return aliases


@dataclass
class TableAccount:
    """What the loader says of one table file, however it was read (whole, or in parts)."""

    encoding: str | None        # what the reader found of the file: its encoding (CSV), sheet and header row
    sheet: str | None
    header_row: int | None
    digest: str                 # the file's sha256
    notes: list[str]
    rows_in: int
    rows_loaded: int
    rejections: pd.DataFrame
    warnings: pd.DataFrame
    unknown: pd.DataFrame       # UNKNOWN_COLUMNS, rows as labels of the whole table
    extra_columns: list[str]
    links: list[pd.DataFrame] = field(default_factory=list)   # broken links, in foreign-key order
    dates: list[pd.DataFrame] = field(default_factory=list)   # dates out of order, in pair order


def account_of(root: Path, every: list[Found], accounts: dict[str, TableAccount]) -> Dataset:
    """A dataset with no tables yet and the loader's account of the folder: ledger and sources in file
    order, rejections, warnings (each table's, then broken links, then dates out of order), unknown cells."""
    ds = Dataset(root=str(root))
    ledger, sources = [], []
    for found in every:
        if found.table is None:
            ledger.append({"file": found.path.name, "table": "", "rows_in": 0, "rows_loaded": 0,
                           "rows_rejected": 0, "notes": found.note})
            continue
        a = accounts[found.table]
        if a.extra_columns:
            ds.extra_columns[found.table] = a.extra_columns
        notes = ([dq("encoding", encoding=a.encoding)] if a.encoding else []) + a.notes
        ledger.append({"file": found.path.name, "table": found.table, "rows_in": a.rows_in,
                       "rows_loaded": a.rows_loaded, "rows_rejected": a.rows_in - a.rows_loaded,
                       "notes": "; ".join(notes)})
        sources.append({"table": found.table, "path": str(found.path), "sha256": a.digest,
                        "encoding": a.encoding or "", "sheet": a.sheet or "",
                        "header_row": a.header_row if a.header_row is not None else pd.NA})
    in_order = [accounts[f.table] for f in every if f.table]
    ds.ledger = pd.DataFrame(ledger, columns=LEDGER_COLUMNS)
    for col in ("rows_in", "rows_loaded", "rows_rejected"):
        ds.ledger[col] = ds.ledger[col].astype("int64")
    ds.sources = pd.DataFrame(sources, columns=SOURCE_COLUMNS)
    ds.rejections = _concat([a.rejections for a in in_order])
    ds.warnings = _concat([a.warnings for a in in_order] + [w for a in in_order for w in a.links]
                          + [w for a in in_order for w in a.dates])
    unknown = [a.unknown for a in in_order if len(a.unknown)]
    ds.unknown = pd.concat(unknown, ignore_index=True).astype(
        {"table": "str", "row": "int64", "key": "str", "column": "str", "value": "str"}).sort_values(
        ["table", "row", "column"], kind="stable").reset_index(drop=True) if unknown else empty_unknown()
    return ds


def load_dataset(path, params=None) -> Dataset:
    """Load every table file of the folder ``path``; see docs/data.md for what is accepted.

    ``params`` (a :class:`~kpt_audit.params.Params`) supplies user header aliases
    and unit overrides.  Raises :class:`LoadError` for bad data; row problems
    go to ``rejections`` / ``warnings``.
    """
    root = Path(path)
    aliases = check_aliases(params)
    every = discover(root)
    tables, origin, accounts, rows_of = {}, {}, {}, {}
    for found in every:
        if found.table is None:
            continue
        raws, digest = read_found(found, aliases.get(found.table))
        raw = raws[0]
        if len(raws) == 1:
            built = build_table(TABLES[found.table], raw, found.path.name, params)
            sheet, sheets = raw.sheet, raw.sheet or ""
        else:  # a workbook holding the table on several sheets: each row keeps its own
            built, sheets = build_sheets(TABLES[found.table], raws, found.path.name, params)
            sheet = "、".join(r.sheet for r in raws)
        tables[found.table] = built.frame
        rows_of[found.table] = (found.path.name, sheets, built.rows)
        origin[found.table] = pd.DataFrame({
            "file": pd.Series(found.path.name, index=built.frame.index, dtype="str"),
            "sheet": pd.Series(sheets, index=built.frame.index, dtype="str"),
            "row": pd.Series(np.asarray(built.rows, dtype="int64"), index=built.frame.index)})
        accounts[found.table] = TableAccount(raw.encoding, sheet, raw.header_row, digest, built.notes,
                                             built.rows_in, len(built.frame), built.rejections, built.warnings,
                                             built.unknown.assign(table=found.table)[UNKNOWN_COLUMNS],
                                             built.extra_columns)
    for name, links in link_warnings(tables, rows_of).items():
        accounts[name].links = links
    for name, dates in date_order_warnings(tables, rows_of).items():
        accounts[name].dates = dates
    ds = account_of(root, every, accounts)
    ds.tables, ds.origin = tables, origin
    return ds


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in REJECTION_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    out["row"] = out["row"].astype("int64")
    return out[REJECTION_COLUMNS]
