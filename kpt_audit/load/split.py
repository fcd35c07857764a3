"""A dataset larger than memory, split once into partitions of whole counties on disk (issue 14).

:func:`split_dataset` loads a dataset folder as :func:`~kpt_audit.load.load_dataset` does — the same
tables, row labels, rejections, warnings, unknown cells, origins, ledger and sources — but never holds
a whole table: a Parquet file is read in row batches (:data:`PART_ROWS`), each batch is built by the
loader's own :func:`~kpt_audit.load.table.build_table` as one part of its table (labels continue from
the part before; a key an earlier part holds is a duplicate of that part's row; counting notes are
added up), and its rows are appended to the file of their partition (whole counties, by the rule of
:mod:`kpt_audit.load.counties`).  A CSV or Excel file is read whole, as the loader reads it: Excel
holds at most a million rows a sheet, and an office's national extracts come as Parquet.

What a split keeps in memory is what spans tables or parts: each key seen (two 64-bit hashes and a row
number, 24 bytes a row of the table being read), the counties of projects, tenders and contracts, the
parent keys that links are checked against, and the loader's account of bad rows.

:meth:`SplitDataset.partition` gives one partition as a :class:`~kpt_audit.dataset.Dataset` (the rows
of its counties, with their labels, origins and unknown cells, and every reference table);
:meth:`SplitDataset.view` gives chosen columns of every row, for the checks that compare counties.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..dataset import UNKNOWN_COLUMNS, Dataset, empty_unknown
from ..errors import LoadError
from ..schema.tables import TABLES
from .arrow import present_in
from .counties import NO_COUNTY, PLACED_BY, REFERENCE_TABLES, by_key, counties_of, county_groups, \
    processing_order
from .discover import Found, discover
from .links import date_order_rows, link_rows
from .loader import TableAccount, account_of, check_aliases, read_found
from .raw import RawTable
from .table import add_notes, build_table

PART_ROWS = 200_000  # rows of a Parquet file built at a time: a part's working set, a few hundred MB
LABEL, ROW = "__label", "__row"  # each stored row's label in its whole table, and its row as the auditor sees it
_HASH_KEYS = ("kpt-audit-key-a1", "kpt-audit-key-b2")  # two 16-byte keys: 128 bits of a key's hash
# the key columns other tables' links point at (data-model.md foreign keys)
PARENT_KEYS = tuple(dict.fromkeys((parent, column) for t in TABLES.values() for _, parent, column in t.foreign_keys))


class _SeenKeys:
    """The keys of one table's rows kept so far: two 64-bit hashes each (sorted by the first), with the
    row number the auditor sees, so a later part's duplicate names the row that holds the key first."""

    def __init__(self):
        self.first = np.empty(0, dtype="uint64")
        self.second = np.empty(0, dtype="uint64")
        self.rows = np.empty(0, dtype="int64")

    @staticmethod
    def _hashes(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        return tuple(pd.util.hash_pandas_object(keys, index=False, hash_key=k).to_numpy() for k in _HASH_KEYS)

    def earlier(self, keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(positions in ``keys``' index whose key is held already, the rows that hold it)."""
        if not len(self.first) or not len(keys):
            return np.empty(0, dtype="int64"), np.empty(0, dtype="int64")
        a, b = self._hashes(keys)
        lo, hi = np.searchsorted(self.first, a, "left"), np.searchsorted(self.first, a, "right")
        found = np.full(len(a), -1, dtype="int64")
        for i in np.flatnonzero(hi > lo):  # few: true duplicates and first-hash collisions
            same = np.flatnonzero(self.second[lo[i]:hi[i]] == b[i])
            if len(same):
                found[i] = lo[i] + same[0]
        hit = found >= 0
        return keys.index.to_numpy()[hit], self.rows[found[hit]]

    def add(self, keys: pd.DataFrame, rows: np.ndarray) -> None:
        a, b = self._hashes(keys)
        order = np.argsort(a, kind="stable")
        first = np.concatenate([self.first, a[order]])
        # two sorted runs: a stable sort merges them in one linear pass
        merged = np.argsort(first, kind="stable")
        self.first = first[merged]
        self.second = np.concatenate([self.second, b[order]])[merged]
        self.rows = np.concatenate([self.rows, np.asarray(rows, dtype="int64")[order]])[merged]


def _parts(found: Found, aliases) -> Iterator[tuple[RawTable, bool, str]]:
    """(raw part, is it the last, the file's sha256) for each part of ``found``'s table."""
    if found.fmt != "parquet":
        raw, digest = read_found(found, aliases)
        yield raw, True, digest
        return
    from ..files import sha256_file

    digest = sha256_file(found.path)
    try:
        file = pq.ParquetFile(found.path)
    except Exception as exc:  # the loader's own message for an unreadable file
        read_found(found, aliases)
        raise LoadError(key="err.parquet_unreadable", name=found.path.name, error=type(exc).__name__) from None
    total, start = file.metadata.num_rows, 0
    headers = [str(n) for n in file.schema_arrow.names]
    for batch in file.iter_batches(batch_size=PART_ROWS):
        frame = batch.to_pandas(date_as_object=False).reset_index(drop=True)
        frame.columns = range(len(headers))
        rows = np.arange(start, start + len(frame)) + 1  # Parquet: record numbers from 1
        start += len(frame)
        yield RawTable(frame, headers, rows, None, None, None, []), start >= total, digest
    if total == 0:
        raw, digest = read_found(found, aliases)
        yield raw, True, digest


@dataclass
class SplitDataset:
    """A dataset split into partitions of whole counties (see the module's docstring)."""

    folder: Path
    groups: list[tuple[str, ...]]                  # the counties of each partition, in order
    account: Dataset                               # the loader's account: ledger, sources, rejections, ...
    schemas: dict[str, pa.Schema] = field(default_factory=dict)   # each stored table's columns
    origin_files: dict[str, tuple[str, str]] = field(default_factory=dict)  # each table's file and sheet

    def _files(self, table: str) -> list[Path]:
        return sorted((self.folder / table).glob("*.parquet"), key=lambda p: int(p.stem))

    def _read(self, table: str, files: list[Path], columns=None) -> pd.DataFrame:
        schema = self.schemas[table]
        names = None if columns is None else [c for c in schema.names if c in set(columns) | {LABEL, ROW}]
        parts = [pq.read_table(f, columns=names, schema=schema) for f in files]
        arrow = pa.concat_tables(parts) if parts else (schema.empty_table() if names is None
                                                        else schema.empty_table().select(names))
        frame = arrow.to_pandas(date_as_object=False)
        if len(parts) > 1:
            frame = frame.sort_values(LABEL, kind="stable")
        frame.index = pd.Index(frame.pop(LABEL).to_numpy(dtype="int64"))
        return frame

    def _dataset(self, tables: dict[str, pd.DataFrame]) -> Dataset:
        origin = {}
        for name, frame in tables.items():
            file, sheet = self.origin_files[name]
            origin[name] = pd.DataFrame({"file": pd.Series(file, index=frame.index, dtype="str"),
                                         "sheet": pd.Series(sheet, index=frame.index, dtype="str"),
                                         "row": frame.pop(ROW).astype("int64")})
        unknown = self.account.unknown
        if len(unknown):
            keep = np.zeros(len(unknown), dtype=bool)
            for name, frame in tables.items():
                mine = (unknown["table"] == name).to_numpy()
                keep[mine] = unknown["row"][mine].isin(frame.index).to_numpy()
            unknown = unknown[keep].reset_index(drop=True)
        return Dataset(tables=tables, unknown=unknown, origin=origin, root=self.account.root)

    def partition(self, k: int) -> Dataset:
        """Partition ``k``: its counties' rows of every table, and every reference table whole."""
        tables = {}
        for name in self.schemas:
            files = self._files(name) if name in REFERENCE_TABLES else \
                [f for f in [self.folder / name / f"{k}.parquet"] if f.exists()]
            tables[name] = self._read(name, files)
        return self._dataset(tables)

    def partitions(self) -> Iterator[tuple[tuple[str, ...], Dataset]]:
        for k, counties in enumerate(self.groups):
            yield counties, self.partition(k)

    def view(self, columns: dict[str, tuple[str, ...]]) -> Dataset:
        """Every row of the tables named in ``columns``, with those columns only (those the data have),
        and the reference tables whole, as a partition has them."""
        wanted = {**columns, **{name: None for name in REFERENCE_TABLES}}
        return self._dataset({name: self._read(name, self._files(name), cols)
                              for name, cols in wanted.items() if name in self.schemas})


class _Writers:
    """One Parquet writer per partition of the table being split."""

    def __init__(self, folder: Path, schema: pa.Schema):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.schema, self.open = folder, schema, {}

    def write(self, k: int, arrow: pa.Table) -> None:
        if k not in self.open:
            self.open[k] = pq.ParquetWriter(self.folder / f"{k}.parquet", self.schema)
        self.open[k].write_table(arrow)

    def close(self) -> None:
        for w in self.open.values():
            w.close()


def _estimated_rows(found: Found) -> int:
    """About how many rows ``found`` holds, to draw the partitions up before the rows are read: a
    Parquet file's own count, a CSV file's lines; an Excel sheet's rows are not counted (0)."""
    try:
        if found.fmt == "parquet":
            return pq.ParquetFile(found.path).metadata.num_rows
        if found.fmt == "csv":
            with open(found.path, "rb") as fh:
                return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    except Exception:  # an unreadable file is reported when it is read
        return 0
    return 0


def split_dataset(path, folder, params=None, rows: int | None = None) -> SplitDataset:
    """Load the dataset folder ``path`` into partitions of about ``rows`` rows of whole counties under
    ``folder`` (made anew; the input is only read).  Raises :class:`LoadError` as the loader does."""
    from .counties import ROWS_PER_PARTITION

    root, folder = Path(path), Path(folder)
    aliases = check_aliases(params)
    every = discover(root)
    found = {f.table: f for f in every if f.table}
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    order = [t for t in REFERENCE_TABLES if t in found] + \
        processing_order([t for t in found if t not in REFERENCE_TABLES])
    built_parts: dict[str, dict] = {}
    placed: dict[str, pd.Series] = {}
    parent_keys: dict[tuple[str, str], list] = {}   # the parent key columns, part by part
    pools: dict[tuple[str, str], pd.Series] = {}      # ... and whole, once their table is read
    group_of: dict[str, int] | None = None
    groups: list[tuple[str, ...]] = []
    schemas: dict[str, pa.Schema] = {}
    total_rows = sum(_estimated_rows(f) for f in found.values())
    for name in order:
        table, f = TABLES[name], found[name]
        acc = built_parts[name] = {"notes": [], "rejections": [], "warnings": [], "unknown": [], "rows_in": 0,
                                   "rows_loaded": 0, "links": {}, "dates": {}, "raw": None, "digest": None,
                                   "extra": None}
        seen, offset, writers, held = _SeenKeys(), 0, None, []
        for raw, last, digest in _parts(f, aliases.get(name)):
            built = build_table(table, raw, f.path.name, params, last_part=last,
                                earlier_keys=seen.earlier if table.key else None)
            frame = built.frame
            frame.index = pd.RangeIndex(offset, offset + len(frame))
            if table.key and all(k in frame.columns for k in table.key):
                seen.add(frame[list(table.key)], built.rows)
            if len(built.unknown):
                acc["unknown"].append(built.unknown.assign(row=built.unknown["row"] + offset, table=name))
            offset += len(frame)
            acc["raw"], acc["digest"] = acc["raw"] or raw, digest
            acc["extra"] = acc["extra"] if acc["extra"] is not None else built.extra_columns
            acc["notes"].append(built.notes)
            acc["rows_in"] += built.rows_in
            acc["rows_loaded"] += len(frame)
            acc["rejections"].append(built.rejections)
            acc["warnings"].append(built.warnings)
            _link_and_date_rows(name, frame, built.rows, f, raw, pools, acc)
            for parent, key in PARENT_KEYS:
                if parent == name and key in frame.columns:
                    parent_keys.setdefault((name, key), []).append(frame[key])
            stored = frame.assign(**{LABEL: frame.index.to_numpy(dtype="int64"), ROW: built.rows.astype("int64")})
            if name in REFERENCE_TABLES:
                county = None
            else:
                county = counties_of(name, frame, placed)
                for t, key in PLACED_BY:
                    if t == name and key in frame.columns:
                        placed[key] = pd.concat([placed[key], by_key(frame[key], county)]) if key in placed \
                            else by_key(frame[key], county)
            if name == "projects" and group_of is None:
                held.append((stored, county))  # the partitions are drawn up from every project's county
                if not last:
                    continue
                groups, group_of = _draw_up(held, total_rows, rows or ROWS_PER_PARTITION)
                parts_now, held = held, []
            else:
                parts_now = [(stored, county)]
            for stored_part, county_part in parts_now:
                arrow = pa.Table.from_pandas(stored_part, preserve_index=False,
                                             schema=schemas.get(name))
                if name not in schemas:
                    schemas[name] = arrow.schema
                    writers = _Writers(folder / name, arrow.schema)
                if county_part is None:
                    writers.write(0, arrow)
                    continue
                code = _group_codes(county_part, group_of, groups)
                for k in np.unique(code):
                    writers.write(int(k), arrow.filter(pa.array(code == k)))
        writers.close()
        for (parent, key), columns in list(parent_keys.items()):
            if parent == name:
                pools[(parent, key)] = pd.concat(columns, ignore_index=True)
    account = account_of(root, every, {name: _finished(built_parts[name], name) for name in found})
    meta = {"groups": [list(g) for g in groups]}
    (folder / "split.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    origin_files = {name: (found[name].path.name, built_parts[name]["raw"].sheet or "") for name in found}
    return SplitDataset(folder, groups, account, schemas, origin_files)


def _group_codes(county: pd.Series, group_of: dict[str, int], groups: list) -> np.ndarray:
    """Each row's partition; a county no project named (rows placed by their own county column) is given
    a partition of its own."""
    codes, names = pd.factorize(county.fillna(NO_COUNTY))
    for name in names:
        if name not in group_of:
            group_of[name] = len(groups)
            groups.append((name,))
    return np.array([group_of[n] for n in names], dtype="int64")[codes] if len(names) else codes.astype("int64")


def _draw_up(held, total_rows: int, rows: int):
    counts = pd.concat([c for _, c in held]).fillna(NO_COUNTY).value_counts()
    names = sorted(set(counts.index) | {NO_COUNTY})
    per_project = max(total_rows / max(int(counts.sum()), 1), 1.0)  # rows a project brings, all tables
    sizes = np.array([counts.get(n, 0) * per_project for n in names])
    groups = [tuple(names[i] for i in g) for g in county_groups(sizes, rows)]
    return groups, {c: k for k, g in enumerate(groups) for c in g}


def _link_and_date_rows(name, frame, rows, f: Found, raw: RawTable, pools: dict, acc) -> None:
    """This part's broken links and dates out of order, kept per link and per pair in the loader's order."""
    for column, parent, parent_column in TABLES[name].foreign_keys:
        pool = pools.get((parent, parent_column))
        if column not in frame.columns or pool is None:
            continue
        values = frame[column]
        broken = values.notna().to_numpy() & ~present_in(values, pool)
        if broken.any():
            acc["links"].setdefault((column, parent, parent_column), []).append(
                link_rows(f.path.name, raw.sheet, rows[broken], values[broken].to_numpy(), column, parent,
                          parent_column))
    for earlier, later in TABLES[name].date_order:
        found = date_order_rows(frame, f.path.name, raw.sheet, rows, earlier, later)
        if found is not None:
            acc["dates"].setdefault((earlier, later), []).append(found)


def _finished(acc: dict, name: str) -> TableAccount:
    """The loader's account of a table read in parts: what it would say had it read the table whole."""
    unknown = pd.concat(acc["unknown"], ignore_index=True)[UNKNOWN_COLUMNS] if acc["unknown"] else \
        empty_unknown()
    return TableAccount(acc["raw"], acc["digest"], add_notes(acc["notes"]), acc["rows_in"], acc["rows_loaded"],
                        _joined(acc["rejections"]), _joined(acc["warnings"]), unknown, acc["extra"] or [],
                        [_joined(v) for v in acc["links"].values()], [_joined(v) for v in acc["dates"].values()])


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
