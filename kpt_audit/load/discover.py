"""Which file in a dataset folder holds which table.

A file's table is found from its stem: the canonical name or an alias, the
longest one contained in the stem winning (``2020年资金支付台账`` is payments,
not funds, although both 资金 and 资金支付 occur in it).  A tie between two
tables is ambiguous and is bad data.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import LoadError
from ..messages import text
from .headers import table_for_name
from .texts import dq

DATA_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}
# Files the synthetic generator and people leave beside the data.
KNOWN_NON_DATA = {"truth", "near_misses", "readme", "manifest"}


@dataclass(frozen=True)
class Found:
    path: Path
    table: str | None      # None: not loaded, see note
    fmt: str | None
    note: str = ""


def _joined(names: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else " and ").join(names)


def discover(root: Path) -> list[Found]:
    if not root.exists():
        raise LoadError(key="err.no_folder", root=root)
    if not root.is_dir():
        raise LoadError(key="err.not_a_folder", root=root)
    found: list[Found] = []
    for path in sorted(root.iterdir(), key=lambda p: p.name):
        name = path.name
        if name.startswith(".") or name.startswith("~$"):
            continue  # hidden files and Office lock files of open workbooks
        if path.is_dir():
            found.append(Found(path, None, None, dq("subfolder")))
            continue
        suffix = path.suffix.lower()
        if path.stem.lower() in KNOWN_NON_DATA:
            found.append(Found(path, None, None, dq("not_data_table")))
            continue
        tables, _ = table_for_name(path.stem)
        if suffix == ".xls" and tables:
            raise LoadError(key="err.xls", name=name)
        if suffix not in DATA_SUFFIXES:
            found.append(Found(path, None, None, dq("not_data_file", suffix=suffix or dq("no_extension"))))
            continue
        if not tables:
            found.append(Found(path, None, DATA_SUFFIXES[suffix], dq("no_table_name") + "; " + dq("not_loaded")))
            continue
        if len(tables) > 1:
            raise LoadError(key="err.ambiguous_name", name=name, tables=lambda lang: _joined(tables, lang),
                            example=f"{tables[0]}{suffix}")
        found.append(Found(path, tables[0], DATA_SUFFIXES[suffix]))
    by_table: dict[str, list[str]] = {}
    for f in found:
        if f.table:
            by_table.setdefault(f.table, []).append(f.path.name)
    for table, names in by_table.items():
        if len(names) > 1:
            raise LoadError(key="err.two_files", files=lambda lang, names=names: _joined(names, lang), table=table,
                            root=root)
    if "projects" not in by_table:
        seen = ", ".join(f.path.name for f in found)
        raise LoadError(key="err.no_projects", root=root, files=lambda lang: seen or text("err.none", lang))
    return found
