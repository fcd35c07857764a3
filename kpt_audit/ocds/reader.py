"""OCDS files -> compiled releases, one per contracting process (``ocid``).

Accepted, in a file or anywhere under a folder (``*.json``, ``*.jsonl``,
``*.ndjson``; other files are listed in the ledger as skipped):

* JSON Lines, one object per line: compiled releases (streamed: memory stays
  flat however large the file), releases, records or packages;
* release packages (``releases``), OCDS 1.0 and 1.1, and single releases;
* record packages (``records``) and single records: the record's
  ``compiledRelease`` when it has one, else its embedded ``releases`` merged.

Releases that are not compiled are held (as JSON bytes, spilled to a
temporary file when many) until everything has been read — a process's
releases may sit in several files — and then merged (:mod:`.merge`).

One compiled release per process comes out; a process is a publisher (the
package's ``publisher.name``; a file naming none joins the publisher read with
its ocid) and an ``ocid``.  Two publishers using one ocid (possible for ocids
without a registered ``ocds-xxxxxx-`` prefix, which the ledger notes) make two
processes and a warning.  Of several copies of one release (same release
``id``) or of one process's compiled release, the newest by ``date`` is used,
then the newer OCDS version, then the first read; the others are rejected
naming the copy used.  A publisher's compiled release is used rather than our
merge of its releases.  A release without a ``date`` is not merged among
dated ones (it is rejected, not sorted first).

A file that is not valid JSON (or not UTF-8) or holds no OCDS is appended to
``errors`` as ``{"file", "line", "reason"}`` and reading goes on with the next
file; an unusable item inside a file (a bad line, a release without ``ocid``)
is reported the same way with its line (JSON Lines) or its position in the
package, and the rest of the file is read.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, NamedTuple

from ..errors import KptAuditError
from .merge import compile_releases, release_date

SUFFIXES = (".json", ".jsonl", ".ndjson")
# ocids begin with a prefix OCP registered for one publisher (ocds-213czf-): other ocids may collide
REGISTERED_PREFIX = re.compile(r"ocds-[0-9a-z]{6}-", re.IGNORECASE)

# Releases waiting to be merged are held as JSON bytes, in memory up to this many bytes, then in a
# temporary file: a release's bytes take about a sixth of the memory of its dicts
SPILL_BYTES = 256 * 1024 * 1024
# A .json package at least this large is read release by release (ijson) rather than parsed whole, which
# takes about 9 times the file's size in memory
STREAM_BYTES = 64 * 1024 * 1024

try:  # a faster parser when the environment has one; the standard library otherwise
    import orjson as _fast_json

    def _loads(text):
        return _fast_json.loads(text)

    def _dumps(obj) -> bytes:
        try:
            return _fast_json.dumps(obj)
        except TypeError:  # an integer beyond 64 bits, which only the standard library writes
            return json.dumps(obj, ensure_ascii=False).encode("utf-8")
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads

    def _dumps(obj) -> bytes:
        return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def _parse(data: bytes):
    try:
        return _loads(data)
    except ValueError:  # what _dumps wrote with the standard library
        return json.loads(data)


@dataclass(frozen=True, slots=True)  # one per process: millions of them
class Origin:
    """Where a compiled release was read: the file and the line (JSON Lines) or item position.

    ``seq`` numbers the processes in the order they are given out; a process a newer copy replaces
    later is listed by its ``seq`` in :attr:`ReadLog.replaced` (see :func:`read_ocds`).
    """

    file: str
    row: int
    seq: int = -1


@dataclass
class FileAccount:
    """What happened to the items (lines, releases, records) of one input file."""

    file: str
    items: int = 0
    loaded: int = 0
    rejected: int = 0
    notes: list[str] = field(default_factory=list)
    unregistered: int = 0  # processes whose ocid has no registered prefix


@dataclass
class ReadLog:
    """Errors (file, line, reason) and one account per input file, filled while reading."""

    errors: list[dict] = field(default_factory=list)
    # later copies of a process already read (same file, line, reason shape): rejected, not errors
    duplicates: list[dict] = field(default_factory=list)
    # kept, but worth a look (same shape): an ocid two publishers use, releases merged without dates
    warnings: list[dict] = field(default_factory=list)
    files: dict[str, FileAccount] = field(default_factory=dict)
    processes: int = 0  # compiled releases given out and kept (one per publisher and ocid)
    replaced: set[int] = field(default_factory=set)  # ``Origin.seq`` of copies a newer one replaced

    def account(self, file: str) -> FileAccount:
        if file not in self.files:
            self.files[file] = FileAccount(file)
        return self.files[file]

    def reject(self, file: str, line, reason: str, count_item: bool = True, duplicate: bool = False) -> None:
        (self.duplicates if duplicate else self.errors).append({"file": file, "line": line, "reason": reason})
        if count_item:
            self.account(file).rejected += 1

    def warn(self, file: str, line, reason: str) -> None:
        self.warnings.append({"file": file, "line": line, "reason": reason})


def iter_releases(path, errors: list) -> Iterator[dict]:
    """Compiled releases of every OCDS file at ``path``; problems are appended to ``errors``."""
    log = ReadLog(errors=errors)
    for _, release in read_ocds(path, log):
        yield release


def ocds_files(path) -> tuple[list[Path], list[Path]]:
    """(OCDS candidates, other files) under ``path``, each in path order."""
    root = Path(path)
    if root.is_file():
        return [root], []
    found = sorted(p for p in root.rglob("*") if p.is_file())
    wanted = [p for p in found if p.suffix.lower() in SUFFIXES]
    return wanted, [p for p in found if p.suffix.lower() not in SUFFIXES]


def read_ocds(path, log: ReadLog, native=None) -> Iterator[tuple[Origin, dict]]:
    """(origin, compiled release) for every contracting process at ``path``.

    A compiled release is given out as soon as it is read (JSON Lines stream).  When a newer copy
    of the same process is read later, that copy is given out too and the earlier one's
    ``origin.seq`` goes into ``log.replaced``: a consumer that keeps what it receives drops those
    at the end (:func:`kpt_audit.ocds.mapping.map_releases` and the indicators do).

    ``native(batch, file, first_line, first_seq)``, when given, maps an Arrow batch of compiled
    releases (:mod:`.native`): a JSON Lines file that holds only compiled releases of new processes,
    of the types Arrow's schema expects, is then given out as one ``(origin, NativeFile)`` with its
    mapped batches instead of release by release (any other file is read as before).
    Raises FileNotFoundError when ``path`` does not exist.
    """
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    reader = _Reader(root, log, native)
    wanted, others = ocds_files(root)
    for other in others:
        log.account(reader.name(other)).notes.append("skipped: not a .json/.jsonl file")
    for file in wanted:
        yield from reader.read_file(file)
    yield from reader.merge_held()


@dataclass(slots=True)
class _Process:
    """A process given out: its publisher ("" when no package named one), the ocid it was given out
    under (the publisher's own, or ``"{ocid} [{publisher}]"`` after a collision), and the date,
    version and origin of the copy in use."""

    publisher: str
    ocid: str
    date: str
    version: tuple
    origin: Origin


class OnDisk(NamedTuple):
    """Where :class:`Spill` wrote an item: its bytes in the temporary file."""

    offset: int
    length: int


class Spill:
    """Items held in memory up to ``SPILL_BYTES`` in all, then written to one temporary file: the
    releases waiting to be merged (as compact JSON) and the mapped rows waiting to become tables
    (:class:`.mapping.Rows`), so that memory stays flat however many wait.  An object in memory is its
    holder's own (:meth:`keep` counts it); bytes :meth:`put` in memory wait in one buffer (hundreds of
    thousands of releases as objects of their own left the C heap with holes twice their size); an item
    on disk is an :class:`OnDisk`."""

    def __init__(self):
        self.size = 0
        self.file = None
        self.buffer = bytearray()

    def put(self, data: bytes) -> OnDisk | range:
        """Where ``data`` now waits: a range of the memory buffer, or on disk."""
        if not self.holds(len(data)):
            return self.write(data)
        start = len(self.buffer)
        self.buffer += data
        return range(start, start + len(data))

    def keep(self, item, size: int):
        """``item`` itself while there is room for its ``size`` bytes, else where it waits on disk, pickled
        (every type, categories and nullable booleans among them, comes back as it was)."""
        if self.holds(size):
            return item
        return self.write(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))

    def back(self, kept):
        """The item :meth:`keep` gave ``kept`` for."""
        return pickle.loads(self.read(kept)) if isinstance(kept, OnDisk) else kept

    def holds(self, size: int) -> bool:
        """Whether an item of ``size`` bytes stays in memory: while ``SPILL_BYTES`` are not all held."""
        if self.size + size <= SPILL_BYTES:
            self.size += size
            return True
        return False

    def gone(self, size: int) -> None:
        """An object of ``size`` bytes that :meth:`holds` counted has left memory (a file's mapped batch, taken
        by the tables): the next files' batches may stay in memory in its place."""
        self.size -= size

    def write(self, data: bytes) -> OnDisk:
        """Where ``data`` now waits on disk.  Raises KptAuditError (naming the folder and TMPDIR) when the
        temporary folder cannot take it, a full disk most often."""
        try:
            if self.file is None:
                self.file = tempfile.TemporaryFile(prefix="kpt-ocds-held-")
            self.file.seek(0, os.SEEK_END)
            offset = self.file.tell()
            self.file.write(data)
        except OSError as exc:
            raise KptAuditError(key="err.spill_disk", folder=tempfile.gettempdir(), error=exc.strerror or exc) from None
        return OnDisk(offset, len(data))

    def read(self, handle: OnDisk | range) -> bytes:
        if isinstance(handle, range):
            return bytes(self.buffer[handle.start:handle.stop])
        self.file.seek(handle.offset)
        return self.file.read(handle.length)

    def close(self) -> None:
        self.buffer = bytearray()
        if self.file is not None:
            self.file.close()
            self.file = None


@dataclass(slots=True)
class _Held:
    """A release waiting for its siblings: where it was read, its OCDS version and publisher, the
    ``id`` and ``date`` the merge needs, and the release itself (where :class:`Spill` keeps its JSON, or the
    release when nothing is held for long: a record's own releases)."""

    origin: Origin
    version: tuple
    publisher: str
    rid: object
    date: str
    payload: object

    @classmethod
    def of(cls, origin: Origin, version: tuple, publisher: str, release: dict, store: Spill | None = None):
        payload = release if store is None else store.put(_dumps(release))
        return cls(origin, version, publisher, release.get("id"), release_date(release), payload)

    def release(self, store: Spill) -> dict:
        return self.payload if isinstance(self.payload, dict) else _parse(store.read(self.payload))


@dataclass
class NativeFile:
    """A JSON Lines file of compiled releases read in Arrow: its mapped batches (:class:`.native.MappedBatch`),
    each taken once with :meth:`take`."""

    file: str
    batches: list
    store: Spill

    def take(self):
        """The next mapped batch, its rows and organisations read back if they waited on disk."""
        batch = self.batches.pop(0)
        if isinstance(batch.frames, OnDisk):
            batch.frames, batch.mentions = self.store.back(batch.frames)
        else:
            self.store.gone(_rows_bytes(batch.frames))
        return batch


@dataclass
class _NativeProcesses:
    """The processes of a file read in Arrow, kept as columns until a later file needs them one by one."""

    file: str
    ocids: object  # pyarrow arrays
    dates: object
    versions: object
    publishers: object
    first_seq: int


class _Reader:
    def __init__(self, root: Path, log: ReadLog, native=None):
        self.root = root
        self.log = log
        self.native = native
        self.pending: list[_NativeProcesses] = []  # processes of files read in Arrow, not yet in ``processes``
        self.processes: dict[str, list[_Process]] = {}  # the publisher's ocid -> its processes
        self.held: dict[str, list[_Held]] = {}  # ocid -> releases waiting to be merged
        self.linked: dict[str, Origin] = {}  # records whose releases are only urls
        self.store = Spill()
        self.seq = 0

    def name(self, file: Path) -> str:
        """A file as reports show it: relative to the folder read (its own name for a single file)."""
        if self.root.is_file():
            return file.name
        return file.relative_to(self.root).as_posix()

    # --- files -------------------------------------------------------------------------------

    def read_file(self, file: Path) -> Iterator[tuple[Origin, dict]]:
        name = self.name(file)
        self.log.account(name)
        if file.suffix.lower() != ".json" and self.native is not None:
            read = self._read_native(file, name)
            if read is not None:
                yield Origin(name, 0), read
                return
        self._materialize()
        if file.suffix.lower() != ".json":
            yield from self._read_lines(file, name)
            return
        if _size(file) >= STREAM_BYTES:
            streamed = yield from self._stream_package(file, name)
            if streamed:
                return
        try:
            data = file.read_bytes()
        except OSError as exc:
            self.log.reject(name, None, f"cannot be read: {exc.strerror or exc}", count_item=False)
            return
        try:  # the fast parser first (it checks UTF-8 too); what it refuses, the standard one says where
            obj = _loads(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
        except (ValueError, RecursionError):
            obj = yield from self._read_slowly(file, name, data)
            if obj is None:
                return
        del data
        yield from self._read_object(obj, name, None)

    def _stream_package(self, file: Path, name: str):
        """A release or record package read item by item (ijson); False (nothing read) when the file is not
        a package or ijson is not installed.  The package's ``version`` and ``publisher`` are taken from
        before its array, or looked for in the rest of the file.  A file that stops being valid JSON
        part-way keeps the items read before, and is reported with the position where reading stopped."""
        try:
            import ijson
        except ImportError:  # pragma: no cover - a declared dependency
            return False
        if not _ends_with_array(file):
            return False  # keys after the array (a record's compiledRelease) would change what the file is
        head = _package_head(file, ijson)
        if head is None:
            return False
        array, meta, seen = head
        if seen & {"ocid", "compiledRelease"}:
            return False  # a record (or release) with an array of releases, not a package
        for key in ("version", "publisher", "packageInfo"):
            if key in seen or (key == "packageInfo" and _publisher(meta)):
                continue
            try:  # written after the array, or not at all: a scan of the file (in C) finds it
                with _open_json(file) as handle:
                    found = next(iter(ijson.items(handle, key, use_float=True)), None)
            except (ijson.JSONError, UnicodeDecodeError, ValueError, OSError):
                found = None  # reading the items says where the file breaks
            if found is not None:
                meta[key] = found
        version, publisher = _version(meta.get("version")), _publisher(meta)
        take = self._record if array == "records" else self._release
        position = 0
        try:
            with _open_json(file) as handle:
                for item in ijson.items(handle, f"{array}.item", use_float=True):
                    position += 1
                    yield from take(item, name, position, version, publisher)
        except (ijson.JSONError, UnicodeDecodeError, ValueError) as exc:
            self.log.reject(name, position + 1, f"not valid JSON at {array} item {position + 1}: {exc}; the "
                                                f"{position} item(s) before it were read", count_item=False)
        except OSError as exc:
            self.log.reject(name, None, f"cannot be read: {exc.strerror or exc}", count_item=False)
        return True

    def _read_slowly(self, file: Path, name: str, data: bytes):
        """The object of a .json file the fast parser refused, else None with the reason reported
        (or its lines read, when it holds JSON Lines)."""
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.log.reject(name, line, f"cannot be read as UTF-8 text (line {line}: {exc.reason}); OCDS is "
                                        f"UTF-8 JSON", count_item=False)
            return None
        if not text.strip():
            self.log.reject(name, 1, "empty file: not JSON", count_item=False)
            return None
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data" and exc.lineno > 1:  # a .json file that holds JSON Lines
                yield from self._read_lines(file, name)
                return None
            self.log.reject(name, exc.lineno, f"not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})",
                            count_item=False)
        except ValueError as exc:  # NaN / Infinity
            self.log.reject(name, 1, f"not valid JSON: {exc}", count_item=False)
        except RecursionError:
            self.log.reject(name, 1, "not valid JSON for OCDS: nested too deeply to read", count_item=False)
        return None

    def _read_native(self, file: Path, name: str) -> NativeFile | None:
        """The file mapped in Arrow, its processes given out; None (nothing done) when it is not plain
        compiled releases of new processes, one a line, of the types Arrow's schema expects."""
        mapped: list = []
        read = self._map_native(file, name, mapped)
        if read is None:  # the batches mapped before that was known leave memory (and the spill's count)
            for batch in mapped:
                if not isinstance(batch.frames, OnDisk):
                    self.store.gone(_rows_bytes(batch.frames))
        return read

    def _map_native(self, file: Path, name: str, mapped: list) -> NativeFile | None:
        """:meth:`_read_native`, its batches put in ``mapped`` as they are mapped."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from .native import Unfit, batches, publishers as publishers_of

        if not _starts_compiled(file):
            return None  # spare Arrow a block it would parse for nothing
        try:
            ocids, dates, versions, publishers = [], [], [], []
            read = 0
            for batch in batches(file):
                ocid = batch.column("ocid")
                tag = batch.column("tag")
                tagged = pc.list_parent_indices(tag).filter(pc.equal(pc.list_flatten(tag), "compiled"))
                if (ocid.null_count or pc.any(pc.equal(pc.utf8_trim_whitespace(ocid), "")).as_py()
                        or len(pc.unique(tagged)) != batch.num_rows):
                    return None  # not a compiled release with an ocid on every line
                mapped.append(self._kept(self.native(batch, name, read + 1, self.seq + read)))
                ocids.append(ocid)
                dates.append(batch.column("date"))
                versions.append(batch.column("version"))
                publishers.append(publishers_of(batch))
                read += batch.num_rows
        except (Unfit, OSError):
            return None
        except (ValueError, TypeError, IndexError, KeyError, pa.ArrowException) as exc:
            # a shape the Arrow mapping does not handle: the Python reader gives the same result, slower
            logging.getLogger("kpt_audit.ocds").warning("%s: read release by release (Arrow: %s)", name, exc)
            return None
        if not read:
            return None
        every = pa.chunked_array(ocids, type=pa.string())
        if pc.count_distinct(every).as_py() != read:
            return None  # copies of one process: the copy rule is the Python reader's
        known = pa.concat_arrays([pa.array(list(self.processes), type=pa.string())]
                                 + [chunk for block in self.pending for chunk in block.ocids.chunks])
        if len(known) and pc.any(pc.is_in(every, value_set=known)).as_py():
            return None  # a process read before: the copy rule is the Python reader's
        account = self.log.account(name)
        account.items += read
        account.loaded += read
        self.log.processes += read
        registered = pc.match_substring_regex(every, "^" + REGISTERED_PREFIX.pattern, ignore_case=True)  # as .match
        account.unregistered += read - pc.sum(registered).as_py()
        self.pending.append(_NativeProcesses(name, every, pa.chunked_array(dates, type=pa.string()),
                                             pa.chunked_array(versions, type=pa.string()),
                                             pa.chunked_array(publishers, type=pa.string()), self.seq))
        self.seq += read
        return NativeFile(name, mapped, self.store)

    def _kept(self, batch):
        """A mapped batch as it is until the spill holds its limit; past it, its rows and organisations wait on
        disk (a whole file's are given out together, once every line is known to be a new process: 2,000,000
        releases' took 1.5 GiB at once).  Its indicators' columns stay: they join the extractor's in memory,
        their repeated texts one object each over every batch."""
        rows = self.store.keep((batch.frames, batch.mentions), _rows_bytes(batch.frames))
        if isinstance(rows, OnDisk):
            batch.frames, batch.mentions = rows, None
        return batch

    def _materialize(self) -> None:
        """The processes of files read in Arrow as the Python reader keeps them (a later file may copy them)."""
        for block in self.pending:
            for i, (ocid, date, version, publisher) in enumerate(zip(
                    block.ocids.to_pylist(), block.dates.to_pylist(), block.versions.to_pylist(),
                    block.publishers.to_pylist())):
                origin = Origin(block.file, i + 1, block.first_seq + i)
                self.processes.setdefault(ocid, []).append(
                    _Process(publisher or "", ocid, date if isinstance(date, str) else "", _version(version), origin))
        self.pending = []

    def _read_lines(self, file: Path, name: str) -> Iterator[tuple[Origin, dict]]:
        blank = True
        try:
            with open(file, "rb") as fh:
                for number, raw in enumerate(fh, start=1):
                    if not raw.strip():
                        continue
                    blank = False
                    try:
                        obj = _loads(raw.decode("utf-8-sig") if number == 1 else raw)
                    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
                        self.log.account(name).items += 1
                        said = "nested too deeply to read" if isinstance(exc, RecursionError) else exc
                        self.log.reject(name, number, f"not valid JSON: {said}")
                        continue
                    yield from self._read_object(obj, name, number)
        except OSError as exc:
            self.log.reject(name, None, f"cannot be read: {exc.strerror or exc}", count_item=False)
            return
        if blank:
            self.log.reject(name, 1, "empty file: no JSON lines", count_item=False)

    # --- what a JSON object is ---------------------------------------------------------------

    def _read_object(self, obj, name: str, line: int | None) -> Iterator[tuple[Origin, dict]]:
        """One top-level object: a package, a record or a release (``line`` set for JSON Lines)."""
        if not isinstance(obj, dict):
            self.log.account(name).items += 1
            self.log.reject(name, line or 1, f"not OCDS: a JSON {type(obj).__name__}, not an object")
            return
        version = _version(obj.get("version"))
        publisher = _publisher(obj)
        if isinstance(obj.get("records"), list):
            for i, record in enumerate(obj["records"], start=1):
                yield from self._record(record, name, line or i, version, publisher)
        elif isinstance(obj.get("releases"), list) and "compiledRelease" not in obj and "ocid" not in obj:
            for i, release in enumerate(obj["releases"], start=1):
                yield from self._release(release, name, line or i, version, publisher)
        elif "compiledRelease" in obj or ("ocid" in obj and isinstance(obj.get("releases"), list)):
            yield from self._record(obj, name, line or 1, version, publisher)
        elif "ocid" in obj:
            yield from self._release(obj, name, line or 1, version, publisher)
        else:
            self.log.account(name).items += 1
            self.log.reject(name, line or 1, "not OCDS: no releases, records or ocid")

    def _record(self, record, name: str, row: int, version: tuple, publisher: str) -> Iterator[tuple[Origin, dict]]:
        self.log.account(name).items += 1
        if not isinstance(record, dict):
            self.log.reject(name, row, "record is not a JSON object")
            return
        compiled = record.get("compiledRelease")
        ocid = record.get("ocid") or (compiled.get("ocid") if isinstance(compiled, dict) else None)
        if not _is_ocid(ocid):
            self.log.reject(name, row, "record without ocid")
            return
        if isinstance(compiled, dict) and compiled:
            release = compiled if compiled.get("ocid") == ocid else {**compiled, "ocid": ocid}
            own = _version(release["version"]) if "version" in release else version
        else:
            embedded = [r for r in record.get("releases") or [] if isinstance(r, dict)]
            full = [_Held.of(Origin(name, row), version, publisher, {**r, "ocid": ocid}) for r in embedded
                    if set(r) - {"url", "date", "tag"}]
            if not full:
                # its releases are published apart (by url): read from their own files if they are here
                self.linked.setdefault(ocid, Origin(name, row))
                return
            # its releases are not items of the file: dropping one leaves the record's own count alone
            kept = self._mergeable(ocid, self._newest_copies(ocid, full, count=False), count=False)
            release = compile_releases(h.payload for h in kept)
            own = version
        yield from self._emit(Origin(name, row), ocid, release, own, publisher)

    def _release(self, release, name: str, row: int, version: tuple, publisher: str) -> Iterator[tuple[Origin, dict]]:
        self.log.account(name).items += 1
        if not isinstance(release, dict):
            self.log.reject(name, row, "release is not a JSON object")
            return
        ocid = release.get("ocid")
        if not _is_ocid(ocid):
            self.log.reject(name, row, "release without ocid")
            return
        own = _version(release.get("version")) if "version" in release else version
        publisher = publisher or _publisher(release)
        tag = release.get("tag")
        if isinstance(tag, list) and "compiled" in tag:
            yield from self._emit(Origin(name, row), ocid, release, own, publisher)
            return
        self.held.setdefault(ocid, []).append(_Held.of(Origin(name, row), own, publisher, release, self.store))

    # --- processes ---------------------------------------------------------------------------

    def _match(self, ocid: str, publisher: str) -> _Process | None:
        """The process of ``ocid`` a copy from ``publisher`` belongs to; None when it is a new one.

        A copy whose package names no publisher belongs to the process already read under that
        ocid (the first, should two publishers use it); a named one to its publisher's process, or
        to one read without a publisher name.
        """
        known = self.processes.get(ocid) or []
        for process in known:
            if process.publisher == publisher:
                return process
        if not publisher:
            return known[0] if known else None
        for process in known:
            if not process.publisher:
                process.publisher = publisher
                return process
        return None

    def _new_process(self, origin: Origin, ocid: str, release: dict, version: tuple,
                     publisher: str) -> tuple[Origin, dict]:
        known = self.processes.setdefault(ocid, [])
        given = ocid
        if known:  # another publisher's process has this ocid: both are kept, apart
            given = f"{ocid} [{publisher}]"
            release = {**release, "ocid": given}
            first = known[0]
            self.log.warn(origin.file, origin.row,
                          f"ocid {ocid} is used by two publishers, {first.publisher or '(not named)'} "
                          f"({first.origin.file}) and {publisher}: read as two processes, this one as {given}")
        origin = Origin(origin.file, origin.row, self.seq)
        self.seq += 1
        known.append(_Process(publisher, given, release_date(release), version, origin))
        self.log.processes += 1
        if not REGISTERED_PREFIX.match(ocid):
            self.log.account(origin.file).unregistered += 1
        return origin, release

    def _emit(self, origin: Origin, ocid: str, release: dict, version: tuple,
              publisher: str) -> Iterator[tuple[Origin, dict]]:
        """A compiled release: a new process, a newer copy of one read before, or an older copy."""
        process = self._match(ocid, publisher)
        if process is None:
            self.log.account(origin.file).loaded += 1
            yield self._new_process(origin, ocid, release, version, publisher)
            return
        date = release_date(release)
        if (date, version) <= (process.date, process.version):
            self.log.reject(origin.file, origin.row, f"ocid {ocid} already read from {process.origin.file}"
                            f"{_copy_said(process.date, process.version, date, version)}", duplicate=True)
            return
        old = process.origin
        self.log.replaced.add(old.seq)
        self.log.account(old.file).loaded -= 1
        self.log.reject(old.file, old.row, f"ocid {ocid}: a newer copy ({date or 'no date'}, OCDS "
                                           f"{_dotted(version)}) read from {origin.file} is used", duplicate=True)
        origin = Origin(origin.file, origin.row, self.seq)
        self.seq += 1
        process.date, process.version, process.origin = date, version, origin
        self.log.account(origin.file).loaded += 1
        yield origin, (release if process.ocid == ocid else {**release, "ocid": process.ocid})

    # --- releases waiting for their siblings ---------------------------------------------------

    def merge_held(self) -> Iterator[tuple[Origin, dict]]:
        if self.held or self.linked:
            self._materialize()
        for ocid in sorted(self.held):
            group = self.held.pop(ocid)
            named = [p for p in dict.fromkeys(h.publisher for h in group) if p]
            by_publisher: dict[str, list[_Held]] = {}
            for held in group:  # a release without a publisher name joins the ocid's named publisher
                by_publisher.setdefault(held.publisher or (named[0] if named else ""), []).append(held)
            for publisher, entries in by_publisher.items():
                process = self._match(ocid, publisher)
                if process is not None:  # the publisher's compiled release of this process was read
                    for held in entries:
                        self.log.reject(held.origin.file, held.origin.row,
                                        f"ocid {ocid} already read from {process.origin.file}", duplicate=True)
                    continue
                entries = self._mergeable(ocid, self._newest_copies(ocid, entries))
                latest = max(entries, key=lambda h: h.date).origin
                for held in entries:
                    self.log.account(held.origin.file).loaded += 1
                compiled = compile_releases(h.release(self.store) for h in entries)
                yield self._new_process(latest, ocid, compiled, max(h.version for h in entries), publisher)
        self.store.close()
        for ocid, origin in sorted(self.linked.items()):
            if ocid in self.processes:
                self.log.account(origin.file).loaded += 1
                self.log.account(origin.file).notes.append(f"record {ocid} read from its release files")
            else:
                self.log.reject(origin.file, origin.row, f"record {ocid}: no compiledRelease, and its releases "
                                                         "are links (url) to files that are not here")

    def _newest_copies(self, ocid: str, group: list[_Held], count: bool = True) -> list[_Held]:
        """One copy of each release (same release ``id``): the newest by ``date``, then by OCDS version,
        then the first read; the others are rejected naming the copy used."""
        best: dict[str, _Held] = {}
        for held in group:
            rid = str(held.rid)
            kept = best.get(rid)
            if kept is None or _rank(held) > _rank(kept):
                best[rid] = held
        kept_ids = {id(h) for h in best.values()}
        out = []
        for held in group:
            if id(held) in kept_ids:
                out.append(held)
                continue
            used = best[str(held.rid)]
            self.log.reject(held.origin.file, held.origin.row,
                            f"release {held.rid} of {ocid} is also given in OCDS {_dotted(used.version)}"
                            f"{_copy_said(used.date, used.version, held.date, held.version)}"
                            f" ({used.origin.file}): that copy is used", count_item=count, duplicate=True)
        return out

    def _mergeable(self, ocid: str, group: list[_Held], count: bool = True) -> list[_Held]:
        """The releases to merge, in read order.  A release without a ``date`` cannot be placed among
        dated ones (the merge goes by date): it is rejected, not sorted first.  When no release of the
        process has a date, they are merged in the order read, with a warning."""
        dated = [h for h in group if h.date]
        if not dated:
            first = group[0].origin
            self.log.warn(first.file, first.row, f"no release of {ocid} has a date: its {len(group)} release(s) "
                                                 "merged in the order read")
            return group
        for held in group:
            if not held.date:
                self.log.reject(held.origin.file, held.origin.row,
                                f"release {held.rid} of {ocid} has no date: its place among the "
                                f"process's {len(dated)} dated release(s) is unknown, so it is not merged",
                                count_item=count)
        return dated


def frame_bytes(frame) -> int:
    """What a frame of rows takes in memory, as :class:`Spill` counts it."""
    return int(frame.memory_usage(index=False).sum())


def _rows_bytes(frames: dict) -> int:
    """What a mapped batch's rows take in memory."""
    return sum(frame_bytes(frame) for frame in frames.values())


def _starts_compiled(file: Path) -> bool:
    """Whether the file's first line is a compiled release (``tag`` names "compiled")."""
    try:
        with open(file, "rb") as handle:
            first = handle.readline(1 << 26)
        release = _loads(first[3:] if first.startswith(b"\xef\xbb\xbf") else first)
    except (OSError, ValueError, RecursionError):
        return False
    tag = release.get("tag") if isinstance(release, dict) else None
    return isinstance(tag, list) and "compiled" in tag


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0


def _ends_with_array(file: Path) -> bool:
    """Whether the file's top-level object ends with an array (``...]}``): a package whose ``releases``
    or ``records`` come last, as the schema orders them, has no key left to read after its items."""
    try:
        with open(file, "rb") as handle:
            handle.seek(max(_size(file) - 4096, 0))
            tail = handle.read()
    except OSError:
        return False
    return re.search(rb"\]\s*\}\s*$", tail) is not None


def _open_json(file: Path):
    """The file, past a UTF-8 byte-order mark."""
    handle = open(file, "rb")
    if handle.read(3) != b"\xef\xbb\xbf":
        handle.seek(0)
    return handle


def _package_head(file: Path, ijson):
    """(array key, metadata, top-level keys seen) of a package: what comes before its ``records`` or
    ``releases`` array; None when the file is not an object with one (or cannot be read)."""
    meta: dict = {}
    seen: set[str] = set()
    stack: list = []  # the metadata value being built: (container, key)
    try:
        with _open_json(file) as handle:
            events = ijson.parse(handle, use_float=True)
            if next(events, (None, None, None))[1] != "start_map":
                return None
            for prefix, event, value in events:
                if prefix == "" and event == "map_key":
                    seen.add(value)
                elif prefix in ("records", "releases") and event == "start_array" and not stack:
                    return prefix, meta, seen
                elif prefix.split(".", 1)[0] in ("version", "publisher", "packageInfo"):
                    _build(meta, stack, prefix, event, value)
    except (ijson.JSONError, UnicodeDecodeError, ValueError, OSError):
        return None
    return None


def _build(meta: dict, stack: list, prefix: str, event: str, value) -> None:
    """One ijson event of a top-level metadata value, added to ``meta`` (small values only)."""
    def put(item):
        if not stack:
            meta[prefix] = item
        else:
            container, key = stack[-1]
            if isinstance(container, list):
                container.append(item)
            else:
                container[key] = item

    if event == "start_map":
        new = {}
        put(new)
        stack.append((new, None))
    elif event == "start_array":
        new = []
        put(new)
        stack.append((new, None))
    elif event in ("end_map", "end_array"):
        stack.pop()
    elif event == "map_key":
        container, _ = stack[-1]
        stack[-1] = (container, value)
    else:
        put(value)


def _rank(held: _Held) -> tuple:
    return held.date, held.version


def _copy_said(kept_date: str, kept_version: tuple, date: str, version: tuple) -> str:
    """Why a copy lost: ' (newer: 2020-02-01)', ' (same date, OCDS 1.1)' or ' (same date and version)'."""
    if kept_date != date:
        return f" (newer: {kept_date or 'no date'} against {date or 'no date'})"
    if kept_version != version:
        return f" (same date, OCDS {_dotted(kept_version)} against {_dotted(version)})"
    return " (same date and version)"


def _dotted(version: tuple) -> str:
    return ".".join(map(str, version))


def _publisher(obj: dict) -> str:
    """The publisher a package (or a lone release's non-standard ``packageInfo``) names, else ""."""
    for holder in (obj, obj.get("packageInfo")):
        if isinstance(holder, dict):
            publisher = holder.get("publisher")
            name = publisher.get("name") if isinstance(publisher, dict) else publisher
            if isinstance(name, str) and name.strip():
                return name.strip()
    return ""


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON (Python's parser accepts them; the JSON Lines parser does not)."""
    raise ValueError(f"{name} is not a JSON value")


def _is_ocid(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _version(value) -> tuple:
    """'1.1' -> (1, 1); a package without ``version`` is OCDS 1.0."""
    if not isinstance(value, str):
        return (1, 0)
    parts = []
    for piece in value.split("."):
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return tuple(parts[:2]) or (1, 0)
