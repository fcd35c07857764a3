"""Paths: county names become file names only through county_slug, which gives safe, distinct names
inside the output folder, whatever the name holds (separators, '..', NUL, reserved device names,
trailing dots, 300 characters).  Buyer and other names never become file names."""
from __future__ import annotations

import os
import re
import unicodedata

import pytest

from kpt_audit.report.slices import MAX_SLUG_BYTES, WINDOWS_RESERVED, county_slug
from tests.reliability.conftest import written_files

pytestmark = pytest.mark.xdist_group("reliability")
HOSTILE_NAMES = [
    "a/b", "a\\b", "a:b", "a_b", "..", ".", "../../etc/passwd", "..\\..\\Windows\\win.ini", "C:\\x", "/abs",
    "x\x00y", "x\x00z", "\t换行\n县", "\u202e反转县",
    "CON", "con", "NUL", "COM1", "LPT1", "PRN", "AUX", "CON.txt", "nul.tar.gz", "LPT1 ", "com1.乙县",
    "乙县.", "乙县 ", "乙县...", "乙县", " . ", "", '<>|?*"',
    "A县", "a县", "a" * 300, "乙" * 300, "𠀀" * 300, "乙" * 299 + "甲",
]


def slugs_of(names) -> list[str]:
    taken: set[str] = set()
    return [county_slug(n, taken) for n in names]


def test_slugs_are_safe_file_names():
    for name, slug in zip(HOSTILE_NAMES, slugs_of(HOSTILE_NAMES)):
        assert slug and slug not in (".", ".."), repr(name)
        assert not re.search(r'[/\\:*?"<>|]', slug), repr(name)
        assert not any(unicodedata.category(ch)[0] == "C" for ch in slug), repr(name)
        assert slug == slug.strip(" .") and not slug.startswith("-"), repr(name)
        assert slug.split(".")[0].strip().upper() not in WINDOWS_RESERVED, repr(name)
        assert len(slug.encode("utf-8")) <= MAX_SLUG_BYTES + 20, repr(name)


def test_slugs_are_distinct_and_stable():
    slugs = slugs_of(HOSTILE_NAMES)
    assert len({s.casefold() for s in slugs}) == len(HOSTILE_NAMES)  # distinct even where case is folded
    assert slugs_of(HOSTILE_NAMES) == slugs                           # the same names give the same slugs
    assert county_slug("乙县", set()) == "乙县"                        # a plain name stays readable


def test_slugs_make_files_inside_the_folder(tmp_path):
    """Every slug, with the run's suffixes and its longest temporary name, is a file inside the folder."""
    folder = (tmp_path / "counties").resolve()
    folder.mkdir()
    for slug in slugs_of(HOSTILE_NAMES):
        for name in (f"{slug}.html", f"{slug}.ipynb", f".{slug}.ipynb.{2**22}.tmp.ipynb", f".{slug}.html.abcdefgh.tmp"):
            path = folder / name
            path.write_bytes(b"x")
            assert path.resolve().parent == folder, name
    assert len(list(folder.iterdir())) == 4 * len(HOSTILE_NAMES)


def test_the_batch_writes_only_inside_its_folder(hostile_run, hostile_data):
    out = hostile_run.out.resolve()
    assert sorted(os.listdir(out.parent)) == [out.name]               # nothing climbed out through '..'
    files = written_files(hostile_run.out)
    assert files
    for path in files:
        assert path.resolve().is_relative_to(out), path
    slugs = {c["county"]: c["slug"] for c in hostile_run.manifest["counties"]}
    assert slugs == dict(zip(hostile_data.counties, slugs_of(hostile_data.counties)))
    # the only names taken from the data are the county slugs
    fixed = re.compile(r"^(findings|not_run|data_quality|rejections|warnings|ledger|meta|manifest|rollup|index|"
                       r"benford|delay_reasons|exe_by_county|exe_by_fund_year|unstarted_by_fund_year|"
                       r"projects|funds|contracts|suppliers|evidence)\.(csv|xlsx|json|parquet|ipynb|html)$")
    # a county's own files: its slug and one of the endings the runner gives (a slug may hold dots)
    from kpt_audit.report.drafts import EVIDENCE_SUFFIX

    endings = ("", ".html", ".ipynb", ".docx", EVIDENCE_SUFFIX)
    for path in files:
        rel = path.relative_to(hostile_run.out)
        named = [p for p in rel.parts if p not in ("counties", "slices", "metrics", "tables") and not fixed.match(p)]
        assert all(any(n == slug + end for slug in slugs.values() for end in endings) for n in named), rel
