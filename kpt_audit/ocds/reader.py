"""OCDS files -> compiled releases, one per contracting process (``ocid``).

Accepted, in a file or anywhere under a folder (``*.json``, ``*.jsonl``,
``*.ndjson``; other files are listed in the ledger as skipped):

* JSON Lines, one object per line: compiled releases (streamed: memory stays
  flat however large the file), releases, records or packages;
* release packages (``releases``), OCDS 1.0 and 1.1, and single releases;
* record packages (``records``) and single records: the record's
  ``compiledRelease`` when it has one, else its embedded ``releases`` merged.

Releases that are not compiled are held per ``ocid`` until everything has been
read (a process's releases may sit in several files) and then merged
(:mod:`.merge`).  One compiled release per ``ocid`` comes out: the first met,
in path order (so a folder's ``records/`` comes before its ``releases/``), and
a later copy is rejected naming the file it was read from.  A release given in
both OCDS 1.0 and 1.1 (same release ``id``) is merged once, from the newer copy.

A file that is not valid JSON (or not UTF-8) or holds no OCDS is appended to
``errors`` as ``{"file", "line", "reason"}`` and reading goes on with the next
file; an unusable item inside a file (a bad line, a release without ``ocid``)
is reported the same way with its line (JSON Lines) or its position in the
package, and the rest of the file is read.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .merge import compile_releases

SUFFIXES = (".json", ".jsonl", ".ndjson")

try:  # a faster parser when the environment has one; the standard library otherwise
    import orjson as _fast_json

    def _loads(text):
        return _fast_json.loads(text)
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads


@dataclass(frozen=True)
class Origin:
    """Where a compiled release was read: the file and the line (JSON Lines) or item position."""

    file: str
    row: int


@dataclass
class FileAccount:
    """What happened to the items (lines, releases, records) of one input file."""

    file: str
    items: int = 0
    loaded: int = 0
    rejected: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class ReadLog:
    """Errors (file, line, reason) and one account per input file, filled while reading."""

    errors: list[dict] = field(default_factory=list)
    # later copies of a process already read (same file, line, reason shape): rejected, not errors
    duplicates: list[dict] = field(default_factory=list)
    files: dict[str, FileAccount] = field(default_factory=dict)
    processes: int = 0  # compiled releases given out (one per ocid)

    def account(self, file: str) -> FileAccount:
        if file not in self.files:
            self.files[file] = FileAccount(file)
        return self.files[file]

    def reject(self, file: str, line, reason: str, count_item: bool = True, duplicate: bool = False) -> None:
        (self.duplicates if duplicate else self.errors).append({"file": file, "line": line, "reason": reason})
        if count_item:
            self.account(file).rejected += 1


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


def read_ocds(path, log: ReadLog) -> Iterator[tuple[Origin, dict]]:
    """(origin, compiled release) for every contracting process at ``path``.

    Raises FileNotFoundError when ``path`` does not exist.
    """
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    reader = _Reader(root, log)
    wanted, others = ocds_files(root)
    for other in others:
        log.account(reader.name(other)).notes.append("skipped: not a .json/.jsonl file")
    for file in wanted:
        yield from reader.read_file(file)
    yield from reader.merge_held()


class _Reader:
    def __init__(self, root: Path, log: ReadLog):
        self.root = root
        self.log = log
        self.seen: dict[str, str] = {}  # ocid -> the file it was read from
        # ocid -> [(origin, version, release)] of releases waiting to be merged
        self.held: dict[str, list[tuple[Origin, tuple, dict]]] = {}
        self.linked: dict[str, Origin] = {}  # records whose releases are only urls

    def name(self, file: Path) -> str:
        """A file as reports show it: relative to the folder read (its own name for a single file)."""
        if self.root.is_file():
            return file.name
        return file.relative_to(self.root).as_posix()

    # --- files -------------------------------------------------------------------------------

    def read_file(self, file: Path) -> Iterator[tuple[Origin, dict]]:
        name = self.name(file)
        self.log.account(name)
        if file.suffix.lower() != ".json":
            yield from self._read_lines(file, name)
            return
        try:
            data = file.read_bytes()
        except OSError as exc:
            self.log.reject(name, None, f"cannot be read: {exc.strerror or exc}", count_item=False)
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.log.reject(name, line, f"cannot be read as UTF-8 text (line {line}: {exc.reason}); OCDS is "
                                        f"UTF-8 JSON", count_item=False)
            return
        if not text.strip():
            self.log.reject(name, 1, "empty file: not JSON", count_item=False)
            return
        try:
            obj = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data" and exc.lineno > 1:  # a .json file that holds JSON Lines
                yield from self._read_lines(file, name)
                return
            self.log.reject(name, exc.lineno, f"not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})",
                            count_item=False)
            return
        except ValueError as exc:  # NaN / Infinity
            self.log.reject(name, 1, f"not valid JSON: {exc}", count_item=False)
            return
        except RecursionError:
            self.log.reject(name, 1, "not valid JSON for OCDS: nested too deeply to read", count_item=False)
            return
        yield from self._read_object(obj, name, None)

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
        if isinstance(obj.get("records"), list):
            for i, record in enumerate(obj["records"], start=1):
                yield from self._record(record, name, line or i)
        elif isinstance(obj.get("releases"), list) and "compiledRelease" not in obj and "ocid" not in obj:
            for i, release in enumerate(obj["releases"], start=1):
                yield from self._release(release, name, line or i, version)
        elif "compiledRelease" in obj or ("ocid" in obj and isinstance(obj.get("releases"), list)):
            yield from self._record(obj, name, line or 1)
        elif "ocid" in obj:
            yield from self._release(obj, name, line or 1, version)
        else:
            self.log.account(name).items += 1
            self.log.reject(name, line or 1, "not OCDS: no releases, records or ocid")

    def _record(self, record, name: str, row: int) -> Iterator[tuple[Origin, dict]]:
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
        else:
            embedded = [r for r in record.get("releases") or [] if isinstance(r, dict)]
            full = [r for r in embedded if set(r) - {"url", "date", "tag"}]
            if not full:
                # its releases are published apart (by url): read from their own files if they are here
                self.linked.setdefault(ocid, Origin(name, row))
                return
            release = compile_releases({**r, "ocid": ocid} for r in full)
        yield from self._emit(Origin(name, row), ocid, release)

    def _release(self, release, name: str, row: int, version: tuple) -> Iterator[tuple[Origin, dict]]:
        self.log.account(name).items += 1
        if not isinstance(release, dict):
            self.log.reject(name, row, "release is not a JSON object")
            return
        ocid = release.get("ocid")
        if not _is_ocid(ocid):
            self.log.reject(name, row, "release without ocid")
            return
        tag = release.get("tag")
        if isinstance(tag, list) and "compiled" in tag:
            yield from self._emit(Origin(name, row), ocid, release)
            return
        own = _version(release.get("version")) if "version" in release else version
        self.held.setdefault(ocid, []).append((Origin(name, row), own, release))

    def _emit(self, origin: Origin, ocid: str, release: dict) -> Iterator[tuple[Origin, dict]]:
        if ocid in self.seen:
            self.log.reject(origin.file, origin.row, f"ocid {ocid} already read from {self.seen[ocid]}",
                            duplicate=True)
            return
        self.seen[ocid] = origin.file
        self.log.account(origin.file).loaded += 1
        self.log.processes += 1
        yield origin, release

    # --- releases waiting for their siblings ---------------------------------------------------

    def merge_held(self) -> Iterator[tuple[Origin, dict]]:
        for ocid in sorted(self.held):
            group = self.held.pop(ocid)
            if ocid in self.seen:
                for origin, _, _ in group:
                    self.log.reject(origin.file, origin.row, f"ocid {ocid} already read from {self.seen[ocid]}",
                                    duplicate=True)
                continue
            group = self._drop_older_copies(ocid, group)
            latest = max(group, key=lambda g: str(g[2].get("date") or ""))[0]
            self.seen[ocid] = latest.file
            self.log.processes += 1
            for origin, _, _ in group:
                self.log.account(origin.file).loaded += 1
            yield latest, compile_releases(release for _, _, release in group)
        for ocid, origin in sorted(self.linked.items()):
            if ocid in self.seen:
                self.log.account(origin.file).loaded += 1
                self.log.account(origin.file).notes.append(f"record {ocid} read from its release files")
            else:
                self.log.reject(origin.file, origin.row, f"record {ocid}: no compiledRelease, and its releases "
                                                         "are links (url) to files that are not here")

    def _drop_older_copies(self, ocid: str, group: list) -> list:
        """A release given in several OCDS versions (same release id) is kept in the newest only."""
        newest: dict[str, tuple] = {}
        for _, version, release in group:
            rid = str(release.get("id"))
            newest[rid] = max(newest.get(rid, version), version)
        kept = []
        for origin, version, release in group:
            best = newest[str(release.get("id"))]
            if version < best:
                self.log.reject(origin.file, origin.row,
                                f"release {release.get('id')} of {ocid} is also given in OCDS "
                                f"{'.'.join(map(str, best))}: that copy is used", duplicate=True)
            else:
                kept.append((origin, version, release))
        return kept


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
