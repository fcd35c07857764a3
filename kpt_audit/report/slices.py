"""Per-county slices: everything one county's notebook displays, and nothing more.

``kpt-audit run`` checks the whole dataset once, then writes one folder per
county with :func:`write_county_slices`; each papermill-executed notebook
reads only its own folder with :func:`open_county`.  Run by hand (no slice
folder), the notebook builds the same :class:`CountySlice` in memory with
:func:`compute_county_slice`.  Personal data is masked before anything is
written or shown.

Folder layout (``<out_dir>/<slug>/``)::

    findings.parquet  not_run.parquet  ledger.parquet  meta.json
    metrics/<name>.parquet   tables/<table>.parquet
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..checks.engine import not_run_in, unjudged_frame
from ..errors import UsageError
from ..files import atomic_write_bytes
from ..findings import FINDING_COLUMNS
from ..register.fields import REGISTER_COLUMNS

UNASSIGNED_SLUG = "未指定"
LEDGER_COLUMNS = ["file", "rows_in", "rows_loaded", "rows_rejected", "notes"]
# The columns the charts and the explorer need from each table (lean slices).
SLICE_COLUMNS = {
    "projects": None,  # all: the county's own projects are few and all are shown
    "funds": ["fund_id", "project_id", "level", "date", "amount"],
    "contracts": ["contract_id", "tender_id", "project_id", "supplier_id", "sign_date", "amount"],
    "suppliers": ["supplier_id", "name"],
}
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}
MAX_SLUG = 70  # plus '-' and an 8-digit hash when needed: under 80 characters
# File systems limit a name to 255 bytes, not characters (a rare CJK character takes 4); the
# temporary names (".<slug>.ipynb.<pid>.tmp.ipynb") add about 30 bytes to the slug's.
MAX_SLUG_BYTES = 180


@dataclass
class CountySlice:
    county: str
    findings: pd.DataFrame
    metrics: dict[str, pd.DataFrame] = field(default_factory=dict)
    not_run: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["check_id", "reason", "entities"]))
    ledger: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LEDGER_COLUMNS))
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.meta.get("lang", "zh")

    @property
    def as_of(self) -> pd.Timestamp:
        return pd.Timestamp(self.meta["as_of"])


def _short_hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def county_slug(name, taken: set) -> str:
    """A safe, unique file name for ``name``; adds it to ``taken``.

    Chinese is kept.  When cleaning changed the name, or the result is taken
    (case-insensitively: Windows and macOS file systems fold case), a short
    hash of the full name is appended so two counties never share a slug.
    """
    raw = "" if name is None or (isinstance(name, float) and name != name) else str(name)
    cleaned = unicodedata.normalize("NFC", raw)
    cleaned = "".join(ch for ch in cleaned if unicodedata.category(ch)[0] != "C")  # control chars, NUL
    cleaned = re.sub(r'[/\\:*?"<>|]+', "_", cleaned)
    cleaned = re.sub(r"\.{2,}", ".", cleaned).strip(" .")
    if cleaned.split(".")[0].upper().strip() in WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    if len(cleaned) > MAX_SLUG or len(cleaned.encode("utf-8")) > MAX_SLUG_BYTES:
        cleaned = cleaned[:MAX_SLUG].encode("utf-8")[:MAX_SLUG_BYTES].decode("utf-8", "ignore").rstrip(" .")
    if not cleaned:
        cleaned = UNASSIGNED_SLUG
    changed = cleaned != raw and raw != ""
    folded = {t.casefold() for t in taken}
    slug = f"{cleaned}-{_short_hash(raw)}" if changed or cleaned.casefold() in folded else cleaned
    n = 1
    while slug.casefold() in folded:  # a hash collision or a crafted name: keep counting
        slug = f"{cleaned}-{_short_hash(raw)}-{n}"
        n += 1
    taken.add(slug)
    return slug


def counties_of(result, counties=None) -> list[str]:
    """Every county with findings or projects, in code-point order; "" when findings lack one.

    ``run_checks(counties=...)`` filters findings and metrics but not the dataset, so
    the projects' counties are taken from ``exe_by_county`` when it exists (it follows
    the selection); ``counties`` restricts the list explicitly.
    """
    names = set(result.findings["county"].dropna().astype(str))
    exe = result.metrics.get("exe_by_county")
    projects = getattr(result.dataset, "tables", {}).get("projects") if result.dataset is not None else None
    if exe is not None and "county" in exe:
        names |= set(exe["county"].dropna().astype(str))
    elif projects is not None and "county" in projects:
        names |= set(projects["county"].dropna().astype(str))
    names.discard("")
    has_unassigned = (result.findings["county"].fillna("").astype(str) == "").any()
    found = ([""] if has_unassigned else []) + sorted(names)
    return found if counties is None else [c for c in found if c in set(counties)]


@lru_cache(maxsize=1)
def parameter_basis() -> dict[str, str]:
    from ..params import parameter_basis as read

    return read()


def _plain(value):
    """JSON-safe parameter value (a dated one's period dates as YYYY-MM-DD)."""
    from ..params import written

    value = written(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def build_meta(result, county: str, slug: str) -> dict:
    """county, slug, as_of, lang, params (value + basis) and every check's methodology note."""
    from ..checks import all_checks

    params = result.params
    lang = params.lang if params is not None else "zh"
    values = params.for_county(county) if params is not None else {}
    basis = parameter_basis()
    checks = []
    for c in all_checks().values():
        used = {p: _plain(values.get(p)) for p in c.params}
        if c.cross_county and params is not None:
            used = {p: _plain(params.values.get(p)) for p in c.params}
        checks.append({"id": c.id, "area": c.area, "severity": c.severity,
                       "title": c.text("title", lang), "condition": c.text("condition", lang),
                       "amount": c.text("amount", lang), "has_amount": c.has_amount,
                       "params": used, "basis": c.basis, "cross_county": c.cross_county})
    statuses = result.findings["status"].fillna("").astype(str)
    return {
        "county": county, "slug": slug,
        "as_of": params.as_of.strftime("%Y-%m-%d") if params is not None else None,
        "lang": lang,
        "params": {k: {"value": _plain(v), "basis": basis.get(k, "")} for k, v in sorted(values.items())},
        "checks": checks,
        "statuses_present": bool((statuses != "").any()),
    }


def _county_rows(frame: pd.DataFrame, county: str) -> pd.DataFrame:
    return frame[frame["county"].fillna("").astype(str) == county].reset_index(drop=True)


def _lean(df: pd.DataFrame, columns) -> pd.DataFrame:
    return df if columns is None else df[[c for c in columns if c in df.columns]]


def county_tables(tables: dict[str, pd.DataFrame], county: str) -> dict[str, pd.DataFrame]:
    """The rows of ``county`` the charts need: its projects and what hangs off them."""
    out = {}
    projects = tables.get("projects")
    if projects is None or "county" not in projects:
        return out
    own = projects[projects["county"].fillna("").astype(str) == county]
    out["projects"] = own.reset_index(drop=True)
    ids = set(own["project_id"].astype(str))
    for name in ("funds", "contracts"):
        df = tables.get(name)
        if df is not None and "project_id" in df:
            out[name] = _lean(df[df["project_id"].astype(str).isin(ids)], SLICE_COLUMNS[name]).reset_index(drop=True)
    suppliers = tables.get("suppliers")
    if suppliers is not None and "contracts" in out and "supplier_id" in out["contracts"]:
        used = set(out["contracts"]["supplier_id"].dropna().astype(str))
        out["suppliers"] = _lean(suppliers[suppliers["supplier_id"].astype(str).isin(used)],
                                 SLICE_COLUMNS["suppliers"]).reset_index(drop=True)
    return out


def mask_table(masker, name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Personal and free-text columns masked; keys, codes, dates and amounts left as they are.

    Masking a key could break the joins the charts make (and keys are not personal data).
    """
    from ..schema import PERSONAL_COLUMNS, TABLES

    kinds = {c.name: c.kind for c in TABLES[name].columns} if name in TABLES else {}
    wanted = [c for c in df.columns if c in PERSONAL_COLUMNS or (kinds.get(c, "text") == "text" and c != "county")]
    if not wanted or not getattr(masker, "enabled", True):
        return df
    out = df.copy()
    out[wanted] = masker.frame(df[wanted])
    return out


class SplitCountyTables:
    """:func:`county_tables` of each county of data split on disk (:class:`kpt_audit.load.split.SplitDataset`),
    from its partition's tables alone: a county's projects, their funds and contracts are in its partition
    (rows are placed by their project's county), with the suppliers they name.  The partition last read
    is kept: the counties are asked for in name order, the order the partitions hold them in."""

    def __init__(self, split):
        self.split, self.k, self.tables = split, None, {}

    def __call__(self, county: str) -> dict[str, pd.DataFrame]:
        k = self.split.group_of(county)
        if k is None:
            return {}
        if k != self.k:
            self.k, self.tables = k, {}  # the last partition let go before the next is read
            self.tables = self.split.partition(k, tables=SLICE_COLUMNS).tables
        return county_tables(self.tables, county)


def build_county_slice(result, county: str, slug: str, masker, tables: dict | None = None) -> CountySlice:
    """The in-memory slice of one county (masked), shared by the batch and the interactive path; ``tables``
    the county's (:func:`county_tables`), by default read from the result's dataset."""
    columns = FINDING_COLUMNS + [c for c in REGISTER_COLUMNS if c in result.findings.columns]  # with a register
    findings = masker.frame(_county_rows(result.findings[columns], county))
    metrics = {}
    for name, frame in sorted(result.metrics.items()):
        metrics[name] = masker.frame(_county_rows(frame, county) if "county" in frame else frame.reset_index(drop=True))
    ds = result.dataset
    ledger = getattr(ds, "ledger", None)
    if ledger is None or not len(ledger):
        ledger = pd.DataFrame(columns=LEDGER_COLUMNS)
    ledger = ledger.reindex(columns=LEDGER_COLUMNS).reset_index(drop=True)
    if tables is None:
        tables = county_tables(getattr(ds, "tables", {}) if ds is not None else {}, county)
    tables = {k: mask_table(masker, k, v) for k, v in tables.items()}
    # a partly judged check's count is the county's own entities where the check says which county each is in
    not_run = not_run_in(result.not_run, getattr(result, "unjudged", unjudged_frame()), [county])
    meta = {**build_meta(result, county, slug), "masked": bool(masker.enabled)}  # the page says which it is
    return CountySlice(county, findings, metrics, not_run, masker.frame(ledger), tables, meta)


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.reset_index(drop=True).to_parquet(buf, index=False, engine="pyarrow", compression="zstd")
    return buf.getvalue()


def write_slice(piece: CountySlice, folder: Path) -> None:
    atomic_write_bytes(folder / "findings.parquet", _parquet_bytes(piece.findings))
    for name, frame in piece.metrics.items():
        atomic_write_bytes(folder / "metrics" / f"{name}.parquet", _parquet_bytes(frame))
    atomic_write_bytes(folder / "not_run.parquet", _parquet_bytes(piece.not_run.astype("str")))
    atomic_write_bytes(folder / "ledger.parquet", _parquet_bytes(piece.ledger))
    for name, frame in piece.tables.items():
        atomic_write_bytes(folder / "tables" / f"{name}.parquet", _parquet_bytes(frame))
    # keys keep the order they were built in (a check's parameters in its own order): deterministic
    text = json.dumps(piece.meta, ensure_ascii=False, indent=2, default=str) + "\n"
    atomic_write_bytes(folder / "meta.json", text.encode("utf-8"))


def write_county_slices(result, out_dir, masker, counties=None, failures: dict | None = None,
                        tables_of=None) -> dict[str, Path]:
    """One folder per county under ``out_dir`` (only ``counties`` when given); returns county -> folder.
    ``tables_of(county)`` gives a county's tables (default: :func:`county_tables` of the result's dataset).

    With ``failures`` (a dict), a county whose folder cannot be written (a full
    disk, say) is recorded there as county -> (folder, error) and its partial
    folder removed, and the other counties go on; without it the error is raised.
    """
    out = Path(out_dir)
    taken: set[str] = set()
    folders = {}
    for county in counties_of(result, counties):
        slug = county_slug(county, taken)
        folder = out / slug
        try:
            tables = tables_of(county) if tables_of is not None else None
            write_slice(build_county_slice(result, county, slug, masker, tables), folder)
        except OSError as exc:
            if failures is None:
                raise
            shutil.rmtree(folder, ignore_errors=True)  # a partial slice must not pass for a whole one
            failures[county] = (folder, f"{type(exc).__name__}: {exc}")
            continue
        folders[county] = folder
    return folders


def open_county(findings_dir) -> CountySlice:
    """Read a folder written by :func:`write_county_slices`."""
    folder = Path(findings_dir)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))

    def read_all(sub: str) -> dict[str, pd.DataFrame]:
        return {p.stem: pd.read_parquet(p) for p in sorted((folder / sub).glob("*.parquet"))}

    return CountySlice(meta["county"], pd.read_parquet(folder / "findings.parquet"), read_all("metrics"),
                       pd.read_parquet(folder / "not_run.parquet"), pd.read_parquet(folder / "ledger.parquet"),
                       read_all("tables"), meta)


def compute_county_slice(data_dir, county, params_file=None, as_of=None, lang=None) -> CountySlice:
    """Load ``data_dir``, run every check and build ``county``'s slice (first county when empty).

    The audit date is ``as_of``, else the params file's; without one this raises MissingAsOfError."""
    from ..pipeline import audit_params, run_front
    from ..privacy import Masker

    params = audit_params(params_file or None, as_of=as_of or None, lang=lang or None)
    front = run_front(data_dir, params)
    dataset, result = front.dataset, front.result
    names = counties_of(result)
    county = "" if county is None else str(county)
    if not county:
        named = [n for n in names if n]
        county = named[0] if named else ""
    elif county not in names:
        raise UsageError(key="err.county_not_in_data", county=county, data_dir=data_dir,
                         known=", ".join(n for n in names if n))
    return build_county_slice(result, county, county_slug(county, set()), Masker(dataset.tables))
