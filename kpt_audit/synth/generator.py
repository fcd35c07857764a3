"""The generator: a clean background plus the planted scenarios, and their truth (see the package docstring).

The package ``kpt_audit.synth`` re-exports its public names; the modules here
import only downward (kit, background, plant_*), never the package itself.
"""
from __future__ import annotations

import warnings

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..schema.coerce import coerce_frame
from ..schema.tables import TABLES
from .amounts import BENFORD, SKEWED, first_digit
from .background import CountyPlan, generate_background
from .kit import Kit
from .ledgers import write_ledgers
from .names import MAX_COUNTIES, county_names as default_county_names
from .plant_commitments import plant as plant_commitments
from .plant_cost import plant as plant_cost
from .plant_data_quality import plant as plant_data_quality
from .plant_execution import plant as plant_execution
from .plant_performance import plant as plant_performance
from .plant_procedure import plant as plant_procedure
from .plant_procurement import plant as plant_procurement
from .plant_subsidies import plant as plant_subsidies

# each plant_*.py module's plant(kit), in the order they are dealt over the counties
PLANTS = (plant_execution, plant_procedure, plant_procurement, plant_cost, plant_performance, plant_subsidies,
          plant_commitments, plant_data_quality)
BENFORD_MIN_PAYMENTS = 330
SMALL_COUNTY_PAYMENTS = 299
DEFAULT_PROJECTS_PER_COUNTY = 250


RAW_CELL_COLUMNS = ["table", "row", "column", "value", "readable"]


@dataclass
class SynthData:
    tables: dict[str, pd.DataFrame]
    truth: pd.DataFrame        # check_id, entity_id: every finding the data must produce
    near_misses: pd.DataFrame  # check_id, entity_id, note: planted cases that must not fire
    as_of: pd.Timestamp
    # cells written as text (Kit.write_as): table, row (its label in tables[table]), column, value, readable;
    # the tables hold them empty, as the loader reads them
    raw_cells: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RAW_CELL_COLUMNS))

    @property
    def unknown(self) -> pd.DataFrame:
        """The cells the loader will not be able to read, as ``Dataset.unknown`` lists them (table, row,
        column, value): ``run_checks(data, ...)`` then sees them as it would after loading the files."""
        r = self.raw_cells
        return r.loc[~r["readable"].astype(bool), ["table", "row", "column", "value"]].reset_index(drop=True)


def region_code(i: int) -> int:
    """A distinct 6-digit administrative code per county index (fictional province 33)."""
    return 330000 + (i // 20 + 1) * 100 + (i % 20) * 2 + 2


class MoreProjects(UserWarning):
    """Fewer projects were asked for than the planted cases need: the dataset holds ``least``."""

    def __init__(self, asked: int, least: int, planted: int):
        super().__init__(f"--projects {asked}: the planted cases hold {planted} projects and each county has at "
                         f"least 3 more, so the dataset has at least {least}")
        self.asked, self.least, self.planted = asked, least, planted


def generate(counties: int = 8, projects: int | None = None, seed: int = 0, as_of="2020-09-25",
             county_names: list[str] | None = None, extra_plants=(), small_county_projects: int = 6,
             first_county: int = 0) -> SynthData:
    """A dataset of ``projects`` projects in total (planted ones included; at least 3 per county).

    ``first_county``: the index of the first county among every county of a larger dataset written in
    blocks (:func:`write_synth`), so that its region codes, and the ids made from them, are its own."""
    as_of = pd.Timestamp(as_of).normalize()
    if not county_names and not 4 <= counties <= MAX_COUNTIES:
        raise UsageError(key="err.synth_counties", counties=counties, most=MAX_COUNTIES)
    cnames = list(county_names) if county_names else default_county_names(counties)
    if len(cnames) < 4:
        raise UsageError(key="err.synth_county_names")
    regions = [region_code(first_county + i) for i in range(len(cnames))]
    total = projects if projects is not None else DEFAULT_PROJECTS_PER_COUNTY * len(cnames)
    bg_seed, plant_seed = np.random.SeedSequence(seed).spawn(2)

    # a block of a larger dataset numbers its suppliers after the blocks before it (at most 2,000 a county)
    index_base = first_county * 2_000
    kit = Kit(as_of, list(zip(cnames[:-1], regions[:-1])), np.random.default_rng(plant_seed), index_base)
    for plant in PLANTS:
        plant(kit)
    for extra in extra_plants:
        extra(kit)
    benford_counties, small = cnames[1:3], cnames[-1]
    for c in benford_counties:
        kit.expect("COS09", c)
    kit.near("COS09", small, f"payments deviate from Benford but only {SMALL_COUNTY_PAYMENTS} of them")
    planted = kit.frames()
    raw_cells = _raw_cells(kit)
    least = len(planted["projects"]) + 3 * len(cnames)
    if total < least:  # the total is a promise (interfaces.md): when it cannot be kept, say so
        warnings.warn(MoreProjects(total, least, len(planted["projects"])), stacklevel=2)

    plans = _plans(cnames, regions, total - len(planted["projects"]), small_county_projects, planted, as_of)
    background = generate_background(plans, as_of, np.random.default_rng(bg_seed), index_base)
    tables = {}
    for name in raw_cells["table"].unique():  # planted rows follow the background's
        if background.get(name) is not None and len(background[name]):
            raw_cells.loc[raw_cells["table"] == name, "row"] += len(background[name])
    for name, spec in TABLES.items():
        parts = [df for df in (background.get(name), planted.get(name)) if df is not None and len(df)]
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(spec.column_names))
        df = df.reindex(columns=list(spec.column_names))
        tables[name] = coerce_frame(name, df)
    truth = pd.DataFrame(sorted(set(kit.truth)), columns=["check_id", "entity_id"]).astype("str")
    near = pd.DataFrame(kit.near_misses, columns=["check_id", "entity_id", "note"]).astype("str")
    near = near.sort_values(["check_id", "entity_id"], kind="stable").reset_index(drop=True)
    return SynthData(tables, truth, near, as_of, raw_cells)


def _raw_cells(kit: Kit) -> pd.DataFrame:
    """The cells a plant wrote as text, each at its row's position among the planted rows of its table."""
    rows = [(table, next(i for i, r in enumerate(kit.rows[table]) if r is row), column, text, readable)
            for table, row, column, text, readable in kit.raw_cells]
    return pd.DataFrame(rows, columns=RAW_CELL_COLUMNS).astype({"row": "int64", "readable": "bool"})


def _as_written(df: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``cells`` (row, column, value) put in as text: those columns become text, dates
    as YYYY-MM-DD, so a CSV or parquet file holds exactly what a person typed."""
    if cells.empty:
        return df
    df = df.copy()
    for column, group in cells.groupby("column", sort=True):
        col = df[column]
        if pd.api.types.is_datetime64_any_dtype(col):
            text = col.dt.strftime("%Y-%m-%d").astype("object")
        else:
            text = pd.Series([None if pd.isna(v) else str(v) for v in col], index=df.index, dtype="object")
        text = text.where(col.notna(), None)
        text.loc[group["row"].to_numpy()] = group["value"].to_numpy()
        df[column] = text
    return df


def _plans(cnames, regions, bg_total, small_projects, planted, as_of) -> list[CountyPlan]:
    n = len(cnames)
    small_projects = max(3, min(small_projects, bg_total // n))
    rest = max(bg_total - small_projects, 3 * (n - 1))
    per = np.full(n - 1, rest // (n - 1))
    per[: rest % (n - 1)] += 1
    per = np.maximum(per, 3)
    digits = _planted_digits(cnames, planted, as_of)
    plans = []
    for i, (c, r) in enumerate(zip(cnames, regions)):
        law = SKEWED if (i in (1, 2) or i == n - 1) else BENFORD
        plans.append(CountyPlan(
            name=c, region=r, projects=int(small_projects if i == n - 1 else per[i]), law=law,
            planted_digits=digits[c],
            payments_exact=SMALL_COUNTY_PAYMENTS if i == n - 1 else None,
            payments_min=BENFORD_MIN_PAYMENTS if i in (1, 2) else None))
    return plans


def _planted_digits(cnames, planted, as_of) -> dict[str, np.ndarray]:
    """First-digit counts of the planted payments each county will see (dated on or before as_of)."""
    out = {c: np.zeros(9, dtype=np.int64) for c in cnames}
    pay = planted.get("payments")
    if pay is None or pay.empty:
        return out
    county_of = dict(zip(planted["projects"]["project_id"], planted["projects"]["county"]))
    seen = pay[(pd.to_datetime(pay["date"]) <= as_of) & (pay["amount"] >= 10)]
    for county, amounts in seen.groupby(seen["project_id"].map(county_of))["amount"]:
        out[county] += np.bincount(first_digit(amounts.to_numpy()), minlength=10)[1:10]
    return out


def write_tables(data: SynthData, out_dir, fmt: str = "csv", truth_dir=None) -> Path:
    """The tables into ``out_dir``; truth.csv and near_misses.csv into ``truth_dir`` (default the same)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in data.tables.items():
        df = _as_written(df, data.raw_cells[data.raw_cells["table"] == name])
        if fmt == "parquet":
            df.to_parquet(out / f"{name}.parquet", index=False)
        elif fmt == "csv":
            df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig", date_format="%Y-%m-%d",
                      lineterminator="\n")
        else:
            raise ValueError(f"unknown format {fmt!r} (csv or parquet)")
    truth = Path(truth_dir) if truth_dir is not None else out
    truth.mkdir(parents=True, exist_ok=True)
    data.truth.to_csv(truth / "truth.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    data.near_misses.to_csv(truth / "near_misses.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    return out


STYLES = ("plain", "auditor")


# Above this many counties a plain dataset is generated and written a block of counties at a time, each
# block a province of its own (its own planted cases and truth): the generator holds a whole dataset in
# memory, about 7 GB a thousand counties, and a national 3,000 would not fit a 24 GB machine.
BLOCK_COUNTIES = 500


def write_synth(out_dir, counties: int = 8, projects: int | None = None, seed: int = 0, as_of="2020-09-25",
                fmt: str = "csv", style: str = "plain") -> Path:
    """Write a synthetic dataset into ``out_dir``: ``plain``, one file per table under its English
    name with English headers and 元 (``fmt``), truth.csv and near_misses.csv beside them; ``auditor``,
    as the demo's ledgers look (``ledgers.py``; CSV and one .xlsx whatever ``fmt``), the truth in
    the sibling folder ``<out_dir>_truth``.  A plain dataset of more than :data:`BLOCK_COUNTIES`
    counties is written in blocks (:func:`_write_blocks`)."""
    if seed < 0:
        raise UsageError(key="err.synth_seed", seed=seed)
    if style == "plain" and counties > BLOCK_COUNTIES:
        return _write_blocks(out_dir, counties, projects, seed, as_of, fmt)
    data = generate(counties, projects, seed, as_of)
    if style == "auditor":
        out = Path(out_dir)
        return write_ledgers(data, out, out.parent / f"{out.name}_truth")
    if style != "plain":
        raise ValueError(f"unknown style {style!r} ({' or '.join(STYLES)})")
    return write_tables(data, out_dir, fmt)


def _write_blocks(out_dir, counties: int, projects: int | None, seed: int, as_of, fmt: str) -> Path:
    """:func:`write_synth` for many counties: blocks of about :data:`BLOCK_COUNTIES` counties, each
    generated with its own seed and region codes and appended to the files (truth and near misses
    gathered), so that memory is one block's."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not 4 <= counties <= MAX_COUNTIES:
        generate(counties)  # the usage error
    names = default_county_names(counties)
    total = projects if projects is not None else DEFAULT_PROJECTS_PER_COUNTY * counties
    blocks = -(-counties // BLOCK_COUNTIES)
    bounds = np.linspace(0, counties, blocks + 1).astype(int)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writers, truth, near = {}, [], []
    try:
        for b, (start, end) in enumerate(zip(bounds[:-1], bounds[1:])):
            data = generate(county_names=names[start:end], projects=int(round(total * (end - start) / counties)),
                            seed=seed * 1000 + b, as_of=as_of, first_county=int(start))
            if b:  # application ids carry no region code: the block's number keeps them apart
                _renumber_applications(data, b)
            for name, df in data.tables.items():
                df = _as_written(df, data.raw_cells[data.raw_cells["table"] == name])
                if fmt == "parquet":
                    arrow = pa.Table.from_pandas(df, preserve_index=False)
                    if name not in writers:
                        writers[name] = pq.ParquetWriter(out / f"{name}.parquet", arrow.schema)
                    writers[name].write_table(arrow.cast(writers[name].schema))
                elif fmt == "csv":
                    df.to_csv(out / f"{name}.csv", index=False, header=b == 0, mode="w" if b == 0 else "a",
                              encoding="utf-8-sig" if b == 0 else "utf-8", date_format="%Y-%m-%d",
                              lineterminator="\n")
                else:
                    raise ValueError(f"unknown format {fmt!r} (csv or parquet)")
            truth.append(data.truth)
            near.append(data.near_misses)
            del data
    finally:
        for w in writers.values():
            w.close()
    pd.concat(truth, ignore_index=True).drop_duplicates().sort_values(["check_id", "entity_id"], kind="stable") \
        .to_csv(out / "truth.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    pd.concat(near, ignore_index=True).sort_values(["check_id", "entity_id"], kind="stable") \
        .to_csv(out / "near_misses.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    return out


def _renumber_applications(data: SynthData, block: int) -> None:
    """``SB2019…`` application ids of a later block as ``SB07-2019…`` (block 7), in the tables and the truth."""
    def renamed(values: pd.Series) -> pd.Series:
        return values.astype("str").str.replace(r"(?<![0-9A-Za-z])SB(?=\d{4})", f"SB{block:02d}-", regex=True) \
            .where(values.notna())

    subsidies = data.tables.get("subsidies")
    if subsidies is not None and "application_id" in subsidies:
        subsidies["application_id"] = renamed(subsidies["application_id"]).astype(subsidies["application_id"].dtype)
    data.truth["entity_id"] = renamed(data.truth["entity_id"])
    data.near_misses["entity_id"] = renamed(data.near_misses["entity_id"])
