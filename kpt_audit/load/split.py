"""A dataset larger than memory, split once into partitions of whole counties on disk (issue 14).

:func:`split_dataset` loads a dataset folder as :func:`~kpt_audit.load.load_dataset` does — the same
tables, row labels, rejections, warnings, unknown cells, origins, ledger and sources — but never holds
a whole table: a Parquet file is read in row batches (:data:`PART_ROWS`), each batch is built by the
loader's own :func:`~kpt_audit.load.table.build_table` as one part of its table (labels continue from
the part before; a key an earlier part holds is a duplicate of that part's row; counting notes are
added up), and its rows are appended to the file of their partition (whole counties, by the rule of
:mod:`kpt_audit.load.counties`).  A CSV or Excel file is read whole, as the loader reads it: Excel
holds at most a million rows a sheet, and an office's national extracts come as Parquet.

What a split keeps in memory is what spans tables or parts: each key seen (a 64-bit and a 32-bit hash
and a row number, 16 bytes a row of the table being read), the counties of projects, tenders and contracts, the
parent keys that links are checked against, and the loader's account of bad rows.

:meth:`SplitDataset.partition` gives one partition as a :class:`~kpt_audit.dataset.Dataset` (the rows
of its counties, with their labels, origins and unknown cells, and every reference table);
:meth:`SplitDataset.view` gives chosen columns of every row, for the checks that compare counties.
"""
from __future__ import annotations

import functools
import gc
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401 (pa.compute)
import pyarrow.ipc  # noqa: F401 (pa.ipc)
import pyarrow.parquet as pq

from ..dataset import UNKNOWN_COLUMNS, Dataset, empty_unknown
from ..schema.tables import TABLES
from .arrow import present_mask, release_freed_memory
from .counties import NO_COUNTY, PLACED_BY, REFERENCE_TABLES, counties_of, county_groups, named_ids, \
    processing_order
from .discover import Found, discover
from .links import table_date_order, table_links
from .loader import TableAccount, account_of, check_aliases, read_found
from .raw import RawTable
from .read_parquet import read_parquet_parts
from .keys import _HASH_KEYS, _Keys, _by_code, _earlier_in, part_rows
from .sheets import same_columns, sheet_notes
from .table import add_notes, build_table

# Partitions are Arrow files, compressed with LZ4: read back at memory speed (a Parquet file's strings
# are decoded again at every reading, and a national run reads every partition once or more)
SUFFIX = ".arrow"
WRITE_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")
PART_ROWS = 200_000  # rows of a Parquet file built at a time: a part's working set, a few hundred MB
FILTER_FILES = 16  # files a filter by value looks at together (their key columns in memory at once)
# what a loop over buckets or partitions keeps of the national tables it filters (_Kept): at 3,000 counties the
# projects' and suppliers' columns a bucket needs, about a fifth of the checks' working set
KEPT_BYTES = 384 * 2 ** 20
LABEL, ROW = "__label", "__row"  # each stored row's label in its whole table, and its row as the auditor sees it
# the key columns other tables' links point at (data-model.md foreign keys)
PARENT_KEYS = tuple(dict.fromkeys((parent, column) for t in TABLES.values() for _, parent, column in t.foreign_keys))
HELD_KEYS = tuple(dict.fromkeys(PARENT_KEYS + PLACED_BY))  # ... and those rows are placed by: held while splitting


def _parts(found: Found, aliases) -> Iterator[tuple[RawTable, bool, str]]:
    """(raw part, is it the last, the file's sha256) for each part of ``found``'s table: a Parquet file in
    row batches, a workbook holding the table on several sheets a sheet at a time, any other file whole (as
    the loader reads it)."""
    if found.fmt != "parquet":
        raws, digest = read_found(found, aliases)
        for i, raw in enumerate(raws):  # a workbook's sheets of the table, one part each
            yield raw, i == len(raws) - 1, digest
        return
    from ..files import sha256_file

    digest = sha256_file(found.path)
    for raw, last in read_parquet_parts(found.path, PART_ROWS):
        yield raw, last, digest


@dataclass
class SplitDataset:
    """A dataset split into partitions of whole counties (see the module's docstring)."""

    folder: Path
    groups: list[tuple[str, ...]]                  # the counties of each partition, in order
    account: Dataset                               # the loader's account: ledger, sources, rejections, ...
    schemas: dict[str, pa.Schema] = field(default_factory=dict)   # each stored table's columns
    # each table's file, and its sheets: the label of each one's first row (ascending) and its name
    origin_files: dict[str, tuple[str, np.ndarray, np.ndarray]] = field(default_factory=dict)
    buckets: dict[tuple[str, str], int] = field(default_factory=dict)  # (table, column): how many buckets

    def _files(self, table: str) -> list[Path]:
        return sorted((self.folder / table).glob(f"*{SUFFIX}"), key=lambda p: int(p.name[:-len(SUFFIX)]))

    def _read(self, table: str, files: list[Path], columns=None, named=None, kept: _Kept | None = None) -> pd.DataFrame:
        """``columns`` (all by default) of the rows in ``files``, in table order, indexed by label; ``named``
        ({column: array of values}): only the rows holding one of the values in its column (a national
        table is never whole in memory: its files are filtered a few at a time, and of a file without
        such a row nothing more than those columns is read).  ``kept``: what a loop over buckets or
        partitions keeps of the files it filters, to filter them again (:class:`_Kept`)."""
        schema = self.schemas[table]
        names = schema.names if columns is None else [c for c in schema.names if c in set(columns) | {LABEL, ROW}]
        if named is None:
            parts = [self._arrow(table, f, names) for f in files]
        else:
            named = {c: v for c, v in named.items() if v is not None and len(v) and c in schema.names}
            parts = [part for chunk in _chunks(files, FILTER_FILES)
                     for part in self._named(table, chunk, names, named, kept)] if named else []
        arrow = pa.concat_tables(parts) if parts else schema.empty_table().select(names)
        if len(parts) > 1:  # rows of several partitions: back in the table's order
            arrow = arrow.take(pa.compute.sort_indices(arrow[LABEL]))
        frame = arrow.to_pandas(date_as_object=False)
        frame.index = pd.Index(frame.pop(LABEL).to_numpy(dtype="int64"))
        return frame

    def _named(self, table: str, files: list[Path], names: list[str], named: dict, kept=None) -> list[pa.Table]:
        """``names`` of the rows of ``files`` holding one of ``named``'s values in its column, file by file:
        the values' hash table is built once for all the files (for each file, it cost more than the rest)."""
        by = list(named)
        if kept is None:
            filtered = [self._arrow(table, f, by) for f in files]
        else:
            filtered = [kept.get(f, names, by, lambda f=f: self._arrow(table, f, list(dict.fromkeys(names + by))))
                        for f in files]
        together = pa.concat_tables([t.select(by) for t in filtered])
        hit = functools.reduce(pa.compute.or_, [pa.compute.is_in(together[c].cast(pa.large_string()), value_set=v)
                                                for c, v in named.items()])
        parts, at = [], 0
        for f, t in zip(files, filtered):
            mine = hit.slice(at, len(t))
            at += len(t)
            if pa.compute.any(mine).as_py():
                # a hit file's other columns read now, beside those already read (decompressed once)
                rest = [n for n in names if n not in t.column_names]
                more = self._arrow(table, f, rest) if rest else None
                whole = pa.table({n: more[n] if n in rest else t[n] for n in names})
                parts.append(whole.filter(mine))
        return parts

    def _arrow(self, table: str, file: Path, columns: list[str]) -> pa.Table:
        """``columns`` of the rows in ``file``: only these are decompressed."""
        schema = self.schemas[table]
        options = pa.ipc.IpcReadOptions(included_fields=[schema.get_field_index(c) for c in columns])
        with pa.memory_map(str(file)) as source:
            return pa.ipc.open_file(source, options=options).read_all()

    def _dataset(self, tables: dict[str, pd.DataFrame], origins: bool = True) -> Dataset:
        """``tables`` with their unknown cells and (``origins``) each row's file, sheet and row; a view for the
        checks that compare counties goes without origins: only the data-quality checks read them, and
        they run partition by partition (a file and sheet name a row cost more than a bid's own columns)."""
        release_freed_memory()  # what reading the files took and let go (a national run reads hundreds)
        origin = {}
        for name, frame in tables.items():
            row = frame.pop(ROW).astype("int64")
            if origins:
                file, starts, sheets = self.origin_files[name]
                sheet = sheets[np.searchsorted(starts, frame.index.to_numpy(), side="right") - 1]
                origin[name] = pd.DataFrame({"file": pd.Series(file, index=frame.index, dtype="str"),
                                             "sheet": pd.Series(sheet, index=frame.index, dtype="str"), "row": row})
        unknown = self.account.unknown
        if len(unknown):
            keep = np.zeros(len(unknown), dtype=bool)
            for name, frame in tables.items():
                mine = (unknown["table"] == name).to_numpy()
                keep[mine] = unknown["row"][mine].isin(frame.index).to_numpy()
            unknown = unknown[keep].reset_index(drop=True)
        return Dataset(tables=tables, unknown=unknown, origin=origin, root=self.account.root)

    def partition(self, k: int, tables=None, kept: _Kept | None = None) -> Dataset:
        """Partition ``k``: its counties' rows of every table (or of ``tables``), and of a reference table the
        rows they name (the first partition: every row); ``kept`` as :meth:`_read`'s."""
        wanted = [name for name in self.schemas if tables is None or name in tables]
        read = {name: self._read(name, [f for f in [self.folder / name / f"{k}{SUFFIX}"] if f.exists()])
                for name in wanted if name not in REFERENCE_TABLES}
        for name in REFERENCE_TABLES:
            if name in wanted:
                read[name] = self._read(name, self._files(name),
                                        named=None if k == 0 else {TABLES[name].key[0]: named_ids(read, name)},
                                        kept=kept)
        return self._dataset({name: read[name] for name in wanted})

    def columns(self) -> dict[str, list[str]]:
        """Each table's columns (as loaded)."""
        return {name: [c for c in schema.names if c not in (LABEL, ROW)] for name, schema in self.schemas.items()}

    def group_of(self, county: str) -> int | None:
        """The partition holding ``county`` ("": the rows of no county), None if none does."""
        county = county or NO_COUNTY
        return next((k for k, group in enumerate(self.groups) if county in group), None)

    def rows_where(self, wanted: dict[str, dict[str, set]], columns=None) -> Dataset:
        """The loader's account with, of each table, the rows that hold in a column of ``wanted[table]``
        ({column: values}) one of its values (the rows some look-ups need: the evidence of the findings),
        every column or ``columns[table]``, with their origins and unknown cells; a table nothing is
        asked of is empty."""
        tables = {}
        for name in self.schemas:
            asked = {c: pa.array(sorted(map(str, v)), pa.large_string()) for c, v in wanted.get(name, {}).items() if v}
            tables[name] = self._read(name, self._files(name) if asked else [],
                                      columns[name] if columns and name in columns else None, named=asked)
        rows = self._dataset(tables)
        return replace(self.account, tables=rows.tables, unknown=rows.unknown, origin=rows.origin)

    def partitions(self) -> Iterator[tuple[tuple[str, ...], Dataset]]:
        """(counties, partition) for each partition in turn, each read while the caller works on the one before."""
        kept = _Kept()  # the reference tables, read once for all the partitions
        return _read_ahead((counties, self.partition(k, kept=kept)) for k, counties in enumerate(self.groups))

    def bucket_views(self, columns: dict[str, tuple[str, ...]], bucketed: dict[str, str]) -> Iterator[Dataset]:
        """One view of ``columns`` per bucket of the tables in ``bucketed`` (table -> the column they were
        bucketed by, with ``buckets``): that bucket's rows of those tables, and of every other table (and
        the reference tables) only the rows they name by key — the tenders of a
        bidder's bids, the projects of a payee's payments — filtered before they become pandas.  (A contract
        bucketed by its tender's buyer finds its tender in its bucket: a tender without a buyer is refused
        by the loader.)"""
        counts = {self.buckets[(t, c)] for t, c in bucketed.items()}
        assert len(counts) == 1, "tables bucketed together share their buckets"
        kept = _Kept()  # the national tables the buckets' rows name, read once for all the buckets

        def view(b: int) -> Dataset:
            own = {t: self._read(t, [f for f in [self.folder / f"{t}@{c}" / f"{b}{SUFFIX}"] if f.exists()],
                                 columns.get(t)) for t, c in bucketed.items()}
            return self._dataset(self._with_named(own, columns, kept), origins=False)

        return _read_ahead(view(b) for b in range(counts.pop()))

    def view(self, columns: dict[str, tuple[str, ...]], whole) -> Dataset:
        """The tables named in ``columns``, with those columns only (those the data have): every row of the
        tables in ``whole``, and of the others, as of the reference tables, only the rows those name by key."""
        tables = {name: self._read(name, self._files(name), cols)
                  for name, cols in columns.items() if name in self.schemas and name in whole}
        return self._dataset(self._with_named(tables, columns), origins=False)

    def distinct_values(self, columns: dict[str, tuple[str, ...]]) -> dict[str, pd.DataFrame]:
        """Of each table and column of ``columns`` (those the data have), the distinct values, in the order the
        table first holds them, column by column (a column's values are not those of the rows beside them;
        missing values pad the shorter columns): what masking personal data needs, never a national column."""
        out = {}
        for table, wanted in columns.items():
            if table not in self.schemas:
                continue
            distinct = {}
            for column in (c for c in self.schemas[table].names if c in wanted):
                firsts = []
                for f in self._files(table):
                    firsts.append(self._arrow(table, f, [column, LABEL]).group_by(column).aggregate([(LABEL, "min")]))
                first = pa.concat_tables(firsts).group_by(column).aggregate([(f"{LABEL}_min", "min")])
                first = first.filter(pa.compute.is_valid(first[column]))
                first = first.take(pa.compute.sort_indices(first[f"{LABEL}_min_min"]))
                distinct[column] = pd.Series(first[column].to_pandas(), dtype="str")
            out[table] = pd.DataFrame(distinct)
        return out

    def _with_named(self, tables: dict[str, pd.DataFrame], columns: dict[str, tuple[str, ...]], kept=None) -> dict:
        """``tables`` with, of each other table of ``columns``, the rows ``tables`` name by key (a table keyed
        by several columns: every row), and of each reference table (its columns in ``columns``, else all) the
        rows any of them name (the supplier who won a bid's tender), in the split's order; ``kept`` as
        :meth:`_read`'s."""
        # the rows named by their key or links to it (a project by its id), a table after those that link to it
        for name in reversed(processing_order([n for n in columns if n not in REFERENCE_TABLES])):
            if name in self.schemas and name not in tables:
                key = TABLES[name].key
                tables[name] = self._read(name, self._files(name), columns[name],
                                          named={key[0]: named_ids(tables, name)} if len(key) == 1 else None,
                                          kept=kept)
        for name in REFERENCE_TABLES:  # (the supplier who won a bid's tender)
            if name in self.schemas and name not in tables:
                tables[name] = self._read(name, self._files(name), columns.get(name),
                                          named={TABLES[name].key[0]: named_ids(tables, name)}, kept=kept)
        return {name: tables[name] for name in self.schemas if name in tables}


class _Kept:
    """What a loop over buckets or partitions keeps of the national files it filters again and again (the
    projects of each payee's payments, the suppliers of each partition): each file's asked columns while they
    fit in :data:`KEPT_BYTES`, else only the columns it is filtered by (read again for the rows it holds)."""

    def __init__(self):
        self.tables: dict[tuple, pa.Table] = {}
        self.bytes = 0

    def get(self, file: Path, names: list[str], by: list[str], read) -> pa.Table:
        """``file``'s columns as ``read`` reads them (``names`` and ``by``); when they were read before, as kept."""
        key = (file, tuple(names), tuple(by))
        if key in self.tables:
            return self.tables[key]
        table = read()  # (all of it this time, even when only the columns filtered by are kept)
        kept = table if self.bytes + table.nbytes <= KEPT_BYTES else table.select(by)
        self.tables[key] = kept
        self.bytes += kept.nbytes
        return table


class _Writers:
    """One Arrow file writer per partition of the table being split."""

    def __init__(self, folder: Path, schema: pa.Schema):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.schema, self.open = folder, schema, {}

    def write(self, k: int, arrow: pa.Table) -> None:
        if k not in self.open:
            sink = pa.OSFile(str(self.folder / f"{k}{SUFFIX}"), "wb")
            self.open[k] = (sink, pa.ipc.new_file(sink, self.schema, options=WRITE_OPTIONS))
        self.open[k][1].write_table(arrow)

    def close(self) -> None:
        for sink, writer in self.open.values():
            writer.close()
            sink.close()


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


def estimated_rows(path) -> int:
    """About how many rows the dataset folder ``path`` holds (Parquet files' own counts, CSV lines; Excel
    sheets not counted), without reading the data."""
    return sum(_estimated_rows(f) for f in discover(Path(path)) if f.table)


def split_dataset(path, folder, params=None, rows: int | None = None, buckets: dict[str, str] | None = None,
                  from_parents: dict[tuple[str, str], tuple] | None = None) -> SplitDataset:
    """Load the dataset folder ``path`` into partitions of about ``rows`` rows of whole counties under
    ``folder`` (made anew; the input is only read).  Raises :class:`LoadError` as the loader does.

    ``buckets`` (table -> column) also writes those tables' rows into buckets by their value of that
    column (all rows of one value in one bucket, in table order; tables bucketed by columns of one name
    share the buckets, about ``rows`` rows each), for the checks that compare rows across counties only
    among rows of one such value (one payee, one bidder, one buyer).  A table without the column takes
    it from ``from_parents`` ((table, column) -> (link column, parent table, parent column), ... in
    order of preference): the first parent it links to whose column is filled (not blank) gives the
    value; a row with none is in no bucket."""
    try:
        return _split_dataset(path, folder, params, rows, buckets, from_parents)
    finally:  # what the split held while reading (every key) and let go on returning, handed back
        gc.collect()
        release_freed_memory()


def _split_dataset(path, folder, params=None, rows: int | None = None, buckets: dict[str, str] | None = None,
                   from_parents: dict[tuple[str, str], tuple] | None = None) -> SplitDataset:
    """The work of :func:`split_dataset`."""
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
    built_parts: dict[str, _PartsAccount] = {}
    counties: list[str] = []                # every county met, numbered in order
    county_number: dict[str, int] = {}
    held: dict[tuple[str, str], _Keys] = {}  # (table, key column): its keys, each with its county's number + 1

    def county_names(numbers: np.ndarray) -> pd.Series:
        names = np.array(counties + [None], dtype=object)  # number 0 (-1 after the shift): no county
        return pd.Series(names[np.where(numbers > 0, numbers - 1, len(counties))], dtype="str")

    placed = {key: (lambda values, keys=held.setdefault((table, key), _Keys()):
                    county_names(keys.find(values)).set_axis(values.index))
              for table, key in PLACED_BY if table in found}
    group_of: dict[str, int] | None = None
    groups: list[tuple[str, ...]] = []
    schemas: dict[str, pa.Schema] = {}
    bucketed_tables: dict[tuple[str, str], int] = {}
    total_rows = sum(_estimated_rows(f) for f in found.values())
    buckets, from_parents = buckets or {}, from_parents or {}
    bucket_counts = {column: max(1, -(-sum(_estimated_rows(found[t]) for t, c in buckets.items()
                                          if c == column and t in found) // (rows or ROWS_PER_PARTITION)))
                     for column in set(buckets.values())}
    # (parent table, column) -> the parent's keys, each with the bucket of its value of that column, and the
    # column its children are bucketed by (whose buckets these are)
    parent_buckets = {(parent, column): (_Keys(), bucketed) for (_, bucketed), links in from_parents.items()
                      for _, parent, column in links}
    for name in order:
        table, f = TABLES[name], found[name]
        acc = built_parts[name] = _PartsAccount(name)
        seen, offset, writers, waiting, staging, by_value = _Keys(), 0, None, [], None, None
        repeated = _repeated_keys(f, table, aliases.get(name))  # None: hold every key
        bucketed = buckets.get(name)
        for raw, last, digest in _parts(f, aliases.get(name)):
            release_freed_memory()  # what the part before took: kept for reuse, it grows with the table
            built = build_table(table, raw, f.path.name, params, last_part=last,
                                earlier_keys=_earlier_in(seen, acc.sheets) if table.key else None)
            frame = built.frame
            frame.index = pd.RangeIndex(offset, offset + len(frame))
            acc.sheet_from(offset, raw.sheet, frame.columns)
            same_columns(table, f.path.name, acc.columns)
            if table.key and all(k in frame.columns for k in table.key):
                # each key held with its row and the number of its part (its sheet, for a workbook's sheets)
                keys, rows_of = frame[list(table.key)], part_rows(built.rows, len(acc.sheets) - 1)
                if repeated is not None:  # only a key the file holds twice can be a duplicate
                    again = np.isin(_Keys.hashes(keys)[0], repeated)
                    keys, rows_of = keys[again], rows_of[again]
                seen.add(keys, rows_of)
            acc.add(built, offset, raw, digest)
            offset += len(frame)
            _link_and_date_rows(name, frame, built.rows, f, raw, held, acc)
            county = None if name in REFERENCE_TABLES else counties_of(name, frame, placed)
            for parent, key in HELD_KEYS:
                if parent == name and key in frame.columns:
                    _hold(held.setdefault((name, key), _Keys()), frame[key], county, counties, county_number)
            for (parent, column), (keys, bucketed_by) in parent_buckets.items():
                if parent == name and column in frame.columns:
                    filled = present_mask(frame[column])
                    keys.add(frame[table.key[0]][filled], _bucket_of(frame[column][filled], bucket_counts[bucketed_by]))
            stored = frame.assign(**{LABEL: frame.index.to_numpy(dtype="int64"), ROW: built.rows.astype("int64")})
            if name == "projects" and group_of is None:
                # the partitions are drawn up from every project's county: the projects wait on disk meanwhile
                waiting.append(county.fillna(NO_COUNTY).value_counts())
                arrow = pa.Table.from_pandas(stored, preserve_index=False)
                staging = staging or _Writers(folder / "projects@staging", arrow.schema)
                staging.write(0, arrow)
                if not last:
                    continue
                staging.close()
                groups, group_of = _draw_up(waiting, total_rows, rows or ROWS_PER_PARTITION)
                parts_now = _staged(staging.folder / f"0{SUFFIX}")
            else:
                parts_now = [(stored, county)]
            for stored_part, county_part in parts_now:
                arrow = pa.Table.from_pandas(stored_part, preserve_index=False, schema=schemas.get(name))
                if name not in schemas:
                    schemas[name] = arrow.schema
                    writers = _Writers(folder / name, arrow.schema)
                    if bucketed in stored_part.columns or (name, bucketed) in from_parents:
                        by_value = _Writers(folder / f"{name}@{bucketed}", arrow.schema)
                if by_value is not None:
                    code = _bucket_of(stored_part[bucketed], bucket_counts[bucketed]) \
                        if bucketed in stored_part.columns else \
                        _bucket_from_parents(stored_part, from_parents[(name, bucketed)], parent_buckets)
                    kept = np.flatnonzero(code >= 0)
                    _write_by(by_value, arrow if len(kept) == len(code) else arrow.take(kept), code[kept])
                if county_part is None:
                    writers.write(0, arrow)
                    continue
                _write_by(writers, arrow, _group_codes(county_part, group_of, groups))
        writers.close()
        if staging is not None:
            shutil.rmtree(staging.folder)
        if by_value is not None:
            by_value.close()
            bucketed_tables[(name, bucketed)] = bucket_counts[bucketed]
    account = account_of(root, every, {name: built_parts[name].finished() for name in found})
    origin_files = {name: (found[name].path.name, *built_parts[name].sheet_starts()) for name in found}
    return SplitDataset(folder, groups, account, schemas, origin_files, bucketed_tables)


def _bucket_of(values: pd.Series, count: int) -> np.ndarray:
    """The bucket of each of ``values``: its hash, modulo ``count`` (equal values, one bucket)."""
    return (pd.util.hash_pandas_object(values, index=False, hash_key=_HASH_KEYS[0]).to_numpy()
            % np.uint64(count)).astype("int64")


def _bucket_from_parents(frame: pd.DataFrame, links: tuple, parent_buckets: dict) -> np.ndarray:
    """Each row's bucket by the first of ``links`` (link column, parent table, parent column) whose
    parent row is held with a bucket (its column filled); -1: none."""
    code = np.full(len(frame), -1, dtype="int64")
    for link, parent, column in links:
        if link in frame.columns:
            code = np.where(code < 0, parent_buckets[(parent, column)][0].find(frame[link]), code)
    return code


def _read_ahead(items: Iterator) -> Iterator:
    """``items``, the next one made in a thread while the caller works on this one: reading a partition is
    mostly Arrow's decompression and filtering, which let the checks run beside them on a second core (two
    partitions in memory instead of one)."""
    end = object()
    with ThreadPoolExecutor(1, thread_name_prefix="kpt-read-ahead") as pool:
        coming = pool.submit(next, items, end)
        while (item := coming.result()) is not end:
            coming = pool.submit(next, items, end)
            yield item
            del item  # (not held while the next one is waited for)


def _chunks(items: list, size: int) -> Iterator[list]:
    for at in range(0, len(items), size):
        yield items[at:at + size]


def _repeated_keys(found: Found, table, aliases) -> np.ndarray | None:
    """The first hashes (sorted) of the key values that the Parquet file ``found`` holds more than once, read
    from its key column alone and parsed as the loader parses it, in every row (a row rejected for
    something else too: a superset).  Only those keys can be duplicates, so only they are held while the
    table is built: for 30 million payments, a handful instead of 470 MB.  None (hold every key) for
    another file, a key of several columns, or a file the loader will refuse (it says why)."""
    if found.fmt != "parquet" or len(table.key) != 1:
        return None
    from .headers import map_headers
    from .parse import parse_column

    column = table.column(table.key[0])
    try:
        file = pq.ParquetFile(found.path)
        headers = file.schema_arrow.names
        position = next(m.position for m in map_headers(table, headers, aliases, found.path.name)
                        if m.column == column.name)
        hashes = []
        for batch in file.iter_batches(batch_size=4 * PART_ROWS, columns=[headers[position]]):
            cells = pa.Table.from_batches([batch]).to_pandas(date_as_object=False).iloc[:, 0]
            values = pd.Series(parse_column(column.kind, cells, 1.0, column.values).values, dtype="str")
            hashes.append(_Keys.hashes(values[values.notna()].to_frame())[0])  # hashed as the table's key frame
    except Exception:  # the loader reads the file next, and says what is wrong with it
        return None
    first = np.concatenate(hashes) if hashes else np.empty(0, dtype="uint64")
    first.sort()
    return np.unique(first[1:][first[1:] == first[:-1]])


def _write_by(writers: _Writers, arrow: pa.Table, code: np.ndarray) -> None:
    """Each row of ``arrow`` to the file numbered ``code`` (in table order)."""
    for k, at in _by_code(code):
        writers.write(k, arrow.take(at))


def _group_codes(county: pd.Series, group_of: dict[str, int], groups: list) -> np.ndarray:
    """Each row's partition; a county no project named (rows placed by their own county column) is given
    a partition of its own."""
    codes, names = pd.factorize(county.fillna(NO_COUNTY))
    for name in names:
        if name not in group_of:
            group_of[name] = len(groups)
            groups.append((name,))
    return np.array([group_of[n] for n in names], dtype="int64")[codes] if len(names) else codes.astype("int64")


def _staged(path: Path) -> Iterator[tuple[pd.DataFrame, pd.Series]]:
    """The projects waiting in ``path``, part by part, with their counties."""
    with pa.memory_map(str(path)) as source:
        reader = pa.ipc.open_file(source)
        for i in range(reader.num_record_batches):
            frame = pa.Table.from_batches([reader.get_batch(i)]).to_pandas(date_as_object=False)
            yield frame, frame["county"]


def _draw_up(project_counties: list[pd.Series], total_rows: int, rows: int):
    """The partitions (counties, in name order, gathered to about ``rows`` rows) and each county's, from the
    projects of each county and the rows a project brings on average."""
    counts = pd.concat(project_counties).groupby(level=0).sum()
    names = sorted(set(counts.index) | {NO_COUNTY})
    per_project = max(total_rows / max(int(counts.sum()), 1), 1.0)  # rows a project brings, all tables
    sizes = np.array([counts.get(n, 0) * per_project for n in names])
    groups = [tuple(names[i] for i in g) for g in county_groups(sizes, rows)]
    return groups, {c: k for k, g in enumerate(groups) for c in g}


def _hold(keys: _Keys, values: pd.Series, county: pd.Series | None, counties: list, county_number: dict) -> None:
    """Hold a parent table's key ``values`` with their rows' counties (numbered from 1; 0: none)."""
    filled = values.notna().to_numpy()
    numbers = np.zeros(len(values), dtype="int64")
    if county is not None:
        codes, names = pd.factorize(county)
        for name in names:
            if name not in county_number:
                county_number[name] = len(counties)
                counties.append(name)
        mapped = np.array([county_number[n] + 1 for n in names], dtype="int64")
        numbers = np.where(codes >= 0, mapped[np.maximum(codes, 0)] if len(mapped) else 0, 0)
    keys.add(values[filled], numbers[filled])


def _link_and_date_rows(name, frame, rows, f: Found, raw: RawTable, held: dict, acc: _PartsAccount) -> None:
    """This part's broken links (against the keys held of every parent read before) and dates out of
    order, kept per link and per pair in the loader's order."""
    def present(parent, parent_column, values):
        keys = held.get((parent, parent_column))
        return None if keys is None or parent == name else keys.find(values) >= 0

    for link, found in table_links(name, frame, f.path.name, raw.sheet, rows, present).items():
        acc.links.setdefault(link, []).append(found)
    for pair, found in table_date_order(name, frame, f.path.name, raw.sheet, rows).items():
        acc.dates.setdefault(pair, []).append(found)


class _PartsAccount:
    """The loader's account of a table read in parts, part by part: :meth:`finished` says what it would say
    had it read the table whole."""

    def __init__(self, name: str):
        self.name, self.rows_in, self.rows_loaded = name, 0, 0
        self.notes, self.rejections, self.warnings, self.unknown = [], [], [], []
        self.sheets: list[str] = []   # the sheet of each part ("" for a file without sheets)
        self.book_notes: list[int] = []  # how many of each part's notes are on the workbook, not the sheet
        self.starts: list[int] = []   # the label of each part's first row
        self.columns: list[tuple] = []  # each part's sheet and its columns
        self.links: dict[tuple, list] = {}
        self.dates: dict[tuple, list] = {}
        self.read = self.digest = self.extra = None

    def add(self, built, offset: int, raw: RawTable, digest: str) -> None:
        """One part, built; ``offset``: the label of its first row in the whole table."""
        if len(built.unknown):
            self.unknown.append(built.unknown.assign(row=built.unknown["row"] + offset, table=self.name))
        # what the reader found of the file (its first part's), not the part itself: it is let go
        self.read, self.digest = self.read or (raw.encoding, raw.sheet, raw.header_row), digest
        self.extra = self.extra if self.extra is not None else built.extra_columns
        self.notes.append(built.notes)
        self.book_notes.append(len(raw.book_notes))
        self.rows_in += built.rows_in
        self.rows_loaded += len(built.frame)
        self.rejections.append(built.rejections)
        self.warnings.append(built.warnings)

    def sheet_from(self, label: int, sheet: str | None, columns) -> None:
        """The part whose first row has ``label`` comes from ``sheet`` and has ``columns``."""
        self.sheets.append(sheet or "")
        self.starts.append(label)
        self.columns.append((sheet or "", columns))

    def sheet_starts(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.starts or [0], dtype="int64"), np.asarray(self.sheets or [""], dtype=object)

    def finished(self) -> TableAccount:
        unknown = pd.concat(self.unknown, ignore_index=True)[UNKNOWN_COLUMNS] if self.unknown else empty_unknown()
        named = list(dict.fromkeys(s for s in self.sheets if s))
        notes = self.notes
        if len(named) > 1:  # a workbook's sheets, as the loader names them and their notes
            self.read = (self.read[0], "、".join(named), self.read[2])
            notes = [sheet_notes(sheet, part, book) for sheet, part, book in zip(self.sheets, notes, self.book_notes)]
        return TableAccount(*self.read, self.digest, add_notes(notes), self.rows_in, self.rows_loaded,
                            _joined(self.rejections), _joined(self.warnings), unknown, self.extra or [],
                            [_joined(v) for v in self.links.values()], [_joined(v) for v in self.dates.values()])


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
