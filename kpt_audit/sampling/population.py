"""The population a sample is drawn from: one row per item with its book value (yuan) and where it came from.

Book values (interfaces.md revision 2): a payment's amount, a contract's
current value (amount + changes, both to the audit date), a project's
total_investment, a finding's amount.  Payments and contracts dated after
the audit date are not in the population (the as-of rule of
``kpt_audit.checks.context``).  Every item keeps its source row (file, sheet,
row as the auditor sees it), so the plan can send the auditor to it.

A negative or missing book value in the data is bad data: it is named
(file, sheet, row, column, value) and nothing is sampled.  A finding without
an amount (a check whose finding has none, such as a missing permit) is not a
monetary item: the findings population is the findings with an amount, and
the plan counts the others.  Findings not found again are not in it either, nor
those dismissed on verification (不属实, with a register).

Each item also has a *risk* for stratification: the highest severity of the
current findings on its project (for a finding, its own severity), or
``none``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import BadDataError, UsageError
from ..files import read_report_csv
from ..messages import text
from .options import check_choice
from .texts import yuan

POPULATIONS = ("payments", "contracts", "projects", "findings")
ITEM_COLUMNS = ["item_id", "county", "project_id", "project_name", "risk", "book_value", "file", "sheet", "row"]
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
BOOK_COLUMN = {"payments": "amount", "contracts": "amount", "projects": "total_investment", "findings": "amount"}
KEY = {"payments": "payment_id", "contracts": "contract_id", "projects": "project_id", "findings": "finding_id"}
SHOWN_PROBLEMS = 5  # rows named in a message; the rest are counted


@dataclass
class Population:
    """The items (``ITEM_COLUMNS``, in the data's order) and what the plan must record about them."""

    kind: str
    items: pd.DataFrame
    counties: list[str] = field(default_factory=list)      # the --county filter ([] = all)
    sources: list[dict] = field(default_factory=list)      # input files: path, sha256
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> items not in the population

    @property
    def size(self) -> int:
        return len(self.items)

    @property
    def book_value(self) -> float:
        return float(self.items["book_value"].sum())

    @property
    def zero_items(self) -> int:
        return int((self.items["book_value"] == 0).sum())


def _rows(rows: pd.DataFrame, column):
    """The first rows named (file, sheet, row, item, column, value), worded per language; ``column`` is
    the column's name, or a function of the language giving it."""
    def words(lang: str) -> str:
        sep = "；" if lang == "zh" else "; "
        name = column(lang) if callable(column) else column
        shown = sep.join(text("sampling.err.row", lang, file=r.file, row=r.row, item=r.item_id, column=name,
                              value=r.value,
                              sheet=text("sampling.err.row_sheet", lang, sheet=r.sheet) if r.sheet else "")
                         for r in rows.head(SHOWN_PROBLEMS).itertuples())
        more = len(rows) - SHOWN_PROBLEMS
        return shown + (text("sampling.err.more_rows", lang, n=more) if more > 0 else "")
    return words


def _book_column(kind: str):
    """The column(s) a book value comes from: the canonical name in English, the Chinese header in Chinese."""
    from ..schema.tables import TABLES

    parts = [(kind, BOOK_COLUMN[kind])] + ([("contract_changes", "amount_delta")] if kind == "contracts" else [])

    def words(lang: str) -> str:
        if lang == "en":
            return " + ".join(c if t == kind else f"{t}.{c}" for t, c in parts)
        return " + ".join(TABLES[t].column(c).label_zh for t, c in parts)
    return words


def _named(kind: str):
    """The population's name: its code in English (as the option is written), its label in Chinese."""
    return lambda lang: kind if lang == "en" else text(f"sampling.population.{kind}", lang)


def check_book_values(pop: Population, column, raw_values: pd.Series | None = None) -> None:
    """BadDataError for missing or negative book values (naming them) and for a population of no value."""
    items = pop.items
    shown = raw_values if raw_values is not None else items["book_value"]
    missing = items["book_value"].isna()
    if missing.any():
        rows = items[missing].assign(value=shown[missing].fillna("").astype(str))
        raise BadDataError(key="sampling.err.book_missing", population=_named(pop.kind), n=int(missing.sum()),
                           rows=_rows(rows, column))
    negative = items["book_value"] < 0
    if negative.any():
        rows = items[negative].assign(value=items.loc[negative, "book_value"].map(yuan))
        raise BadDataError(key="sampling.err.book_negative", population=_named(pop.kind), n=int(negative.sum()),
                           rows=_rows(rows, column))
    if not pop.book_value > 0:
        where = (lambda lang: text("sampling.err.where_counties", lang, counties="、".join(pop.counties))) \
            if pop.counties else ""
        raise BadDataError(key="sampling.err.book_zero", population=_named(pop.kind), where=where, n=pop.size,
                           value=yuan(pop.book_value))


def _risk_by_project(findings: pd.DataFrame | None) -> pd.Series:
    """project_id -> the highest severity of its current findings."""
    if findings is None or findings.empty:
        return pd.Series(dtype="object")
    from ..findings import GONE

    live = findings[~findings["status"].fillna("").isin(GONE)] if "status" in findings else findings
    live = live[live["project_id"].fillna("").astype(str) != ""]
    rank = live["severity"].map(SEVERITY_RANK).dropna()
    best = rank.groupby(live.loc[rank.index, "project_id"].astype(str)).min()
    inverse = {v: k for k, v in SEVERITY_RANK.items()}
    return best.map(inverse)


def _project_lookup(projects: pd.DataFrame, column: str) -> pd.Series:
    if column not in projects.columns:
        return pd.Series(dtype="object")
    return projects.drop_duplicates("project_id").set_index("project_id")[column]


def _or_none(risk: pd.Series) -> pd.Series:
    """A risk per item: the severity found, else ``none``."""
    return risk.astype("object").where(risk.notna(), "none")


def _text(values) -> pd.Series:
    s = pd.Series(values)
    return s.where(s.notna(), "").astype(str)


def from_data(ds, as_of, kind: str, counties=(), findings: pd.DataFrame | None = None) -> Population:
    """The population ``kind`` (payments, contracts or projects) of a loaded dataset at ``as_of``.

    ``findings`` (a findings frame) gives each item's risk; without it every risk is ``none``.
    Raises BadDataError for missing or negative book values or a population of no value,
    UsageError for an unknown county or a table the data does not have.
    """
    from ..checks.context import Context
    from ..checks.frames.money import contract_values
    from ..pipeline import check_counties

    check_choice("population", kind, [p for p in POPULATIONS if p != "findings"])
    counties = list(counties or ())
    check_counties(ds, counties)
    table = kind
    if table not in ds.tables:
        raise UsageError(key="sampling.err.no_table", kind=kind)
    ctx = Context(ds.tables, {}, as_of)
    frame = ctx[table]
    projects = ctx["projects"]
    raw = None
    if kind == "projects":
        if "total_investment" not in frame.columns:
            raise BadDataError(key="sampling.err.no_total_investment")
        book = frame["total_investment"].astype("float64")
        unreadable = ds.unknown_cells("projects", "total_investment")["value"] if len(ds.unknown) else None
        raw = book.map(lambda v: "" if pd.isna(v) else f"{v:,.2f}")
        if unreadable is not None and len(unreadable):
            raw.loc[unreadable.index.intersection(raw.index)] = unreadable
        project_ids = frame["project_id"]
    elif kind == "payments":
        book = frame["amount"].astype("float64")
        project_ids = frame["project_id"]
    else:
        values = contract_values(ctx)["current"]
        book = pd.Series(values.reindex(frame["contract_id"]).to_numpy(), index=frame.index)
        project_ids = frame["project_id"]
    origin = ds.where(table, frame.index)
    county = project_ids.map(_project_lookup(projects, "county")) if kind != "projects" else frame["county"]
    items = pd.DataFrame({
        "item_id": _text(frame[KEY[kind]].to_numpy()).to_numpy(),
        "county": _text(county.to_numpy()).to_numpy(),
        "project_id": _text(project_ids.to_numpy()).to_numpy(),
        "project_name": _text(project_ids.map(_project_lookup(projects, "project_name")).to_numpy()).to_numpy(),
        "risk": _or_none(project_ids.astype(str).map(_risk_by_project(findings))).to_numpy(),
        "book_value": book.to_numpy(dtype="float64"),
        "file": _text(origin["file"].to_numpy()).to_numpy(),
        "sheet": _text(origin["sheet"].to_numpy()).to_numpy(),
        "row": origin["row"].to_numpy(dtype="int64"),
    }, index=frame.index)
    keep = items["county"].isin(counties) if counties else pd.Series(True, index=items.index)
    sources = [{"path": str(p), "sha256": h} for p, h in zip(ds.sources["path"], ds.sources["sha256"])]
    pop = Population(kind=kind, items=items[keep].reset_index(drop=True), counties=counties, sources=sources)
    check_book_values(pop, _book_column(kind), None if raw is None else raw[keep].reset_index(drop=True))
    return pop


FINDINGS_FILE = "findings.csv"


def read_run_findings(run_dir) -> pd.DataFrame:
    """A run's findings.csv (text columns as text, amount as float); UsageError when the run has none."""
    path = Path(run_dir) / FINDINGS_FILE
    if not path.is_file():
        raise UsageError(key="sampling.err.no_findings_file", run=run_dir, file=FINDINGS_FILE)
    frame = read_report_csv(path, dtype=str, keep_default_na=False)
    needed = {"finding_id", "severity", "county", "project_id", "amount"}
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise BadDataError(key="sampling.err.findings_columns", path=path, columns=", ".join(missing))
    written = frame["amount"].str.strip()
    amount = pd.to_numeric(written, errors="coerce")
    bad = amount.isna() & (written != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise BadDataError(key="sampling.err.findings_amount", path=path, row=i + 2, value=frame["amount"].iloc[i])
    return frame.assign(amount=amount)


def from_findings(run_dir, counties=(), known_counties=None) -> Population:
    """The findings of a run with an amount (book value) as a population; ``known_counties`` checks --county."""
    from ..files import sha256_file
    from ..findings import GONE
    from ..register.summary import dismissed

    frame = read_run_findings(run_dir)
    counties = list(counties or ())
    if counties:
        known = set(known_counties) if known_counties is not None else set(frame["county"])
        unknown = [c for c in counties if c not in known]
        if unknown:
            raise UsageError(key="sampling.err.unknown_findings_county", counties=", ".join(unknown),
                             known=", ".join(sorted(known)) or "-")
    path = Path(run_dir) / FINDINGS_FILE
    rows = pd.Series(np.arange(len(frame), dtype="int64") + 2, index=frame.index)  # the header is row 1
    status = frame["status"] if "status" in frame.columns else pd.Series("", index=frame.index)
    in_scope = frame["county"].isin(counties) if counties else pd.Series(True, index=frame.index)
    gone = status.isin(GONE) & in_scope
    # a finding dismissed on verification (不属实) is not counted (interfaces.md): nothing to sample in it
    rejected = dismissed(frame) & ~gone & in_scope
    no_amount = frame["amount"].isna() & ~gone & ~rejected & in_scope
    keep = in_scope & ~gone & ~rejected & ~no_amount
    chosen = frame[keep]
    items = pd.DataFrame({
        "item_id": chosen["finding_id"], "county": chosen["county"], "project_id": chosen["project_id"],
        "project_name": chosen.get("project_name", pd.Series("", index=chosen.index)),
        "risk": chosen["severity"].where(chosen["severity"].isin(list(SEVERITY_RANK)), "none"),
        "book_value": chosen["amount"].astype("float64"), "file": FINDINGS_FILE, "sheet": "",
        "row": rows[keep]}).reset_index(drop=True)
    left_out = {k: int(v.sum()) for k, v in (("no_amount", no_amount), ("not_found_again", gone),
                                             ("dismissed", rejected)) if v.any()}
    pop = Population(kind="findings", items=items[ITEM_COLUMNS], counties=counties,
                     sources=[{"path": str(path), "sha256": sha256_file(path)}], left_out=left_out)
    check_book_values(pop, "amount")
    return pop
