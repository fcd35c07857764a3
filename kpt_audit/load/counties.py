"""Which county each loaded row belongs to (issue 14): the rule the partitioned checks and the split
of a national dataset share.

A row belongs to the county of the project it names; a row naming no project, to the county of the
row it hangs from (a bid: its tender's; a contract: its tender's; a contract change or a payment:
its contract's), else to its own ``county`` column; rows with none of these belong to no county
(:data:`NO_COUNTY`).  Reference tables (suppliers) belong to every county: a partition holds the rows its own rows name
(by a link to the table, or a column :data:`ALSO_NAMING` it), the first partition every row (so that a row no one names
is still seen once).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .arrow import lookup

REFERENCE_TABLES = ("suppliers",)
# columns that name a table's rows without being a link to it: SUB03 looks a subsidised enterprise's registration
# up among the suppliers (supplier_id = enterprise_id), but most subsidised enterprises supply nothing, so the
# loader does not check it as a foreign key
ALSO_NAMING = {("subsidies", "enterprise_id"): "suppliers"}
# rows (all tables) a partition gathers before the next begins: a partition's working set is bounded by
# it, while the checks' fixed cost per run (tenths of a second) is paid only every so many rows
ROWS_PER_PARTITION = 500_000
NO_COUNTY = "\x00no county"  # the rows that no rule gives a county (sorts first)
# a row naming no project is placed by the row it hangs from, looked up by this column
PARENT_KEY = {"bids": "tender_id", "contracts": "tender_id"}
DEFAULT_PARENT_KEY = "contract_id"
# tables whose rows others are placed by: (table, its key column); a table comes after its parents here
PLACED_BY = (("projects", "project_id"), ("tenders", "tender_id"), ("contracts", "contract_id"))


def by_key(keys: pd.Series, counties: pd.Series) -> pd.Series:
    """``counties`` indexed by ``keys``: the look-up rows of other tables are placed by."""
    return pd.Series(counties.to_numpy(), index=pd.Index(keys.to_numpy(), dtype="str"), dtype="str")


def counties_of(name: str, frame: pd.DataFrame, placed: dict) -> pd.Series:
    """Each row's county in table ``name`` (missing where no rule gives one); ``placed`` maps a key
    column (project_id, tender_id, contract_id) to a function giving, for values of that column, the
    county of the row each names (missing where unknown)."""
    if name == "projects":
        return frame["county"]
    county = pd.Series(None, index=frame.index, dtype="str")
    via = ["project_id"] + ([] if name == "tenders" else [PARENT_KEY.get(name, DEFAULT_PARENT_KEY)])
    for column in via:
        if column in frame.columns and column in placed:
            county = county.where(county.notna(), placed[column](frame[column]))
    if "county" in frame.columns:
        county = county.where(county.notna(), frame["county"])
    return county


def processing_order(names) -> list[str]:
    """``names`` with the tables others are placed by first, each before the tables it places."""
    first = [t for t, _ in PLACED_BY if t in names]
    if "bids" in names:  # placed by tenders; nothing is placed by bids
        first.insert(first.index("tenders") + 1 if "tenders" in first else len(first), "bids")
    return first + [n for n in names if n not in first]


def row_counties(tables: dict[str, pd.DataFrame]) -> dict[str, pd.Series]:
    """For each table but the reference tables, each row's county (missing where no rule gives one)."""
    placed: dict[str, pd.Series] = {}
    out = {}
    for name in processing_order(list(tables)):
        if name in REFERENCE_TABLES:
            continue
        out[name] = counties_of(name, tables[name], placed)
        for table, key in PLACED_BY:
            if table == name:
                # the first row of a repeated key
                placed[key] = lambda values, by=by_key(tables[name][key], out[name]): lookup(values, by)
    return out


def county_groups(sizes: np.ndarray, rows: int) -> list[list[int]]:
    """Consecutive counties (by position in ``sizes``, their rows) gathered until a group reaches ``rows`` rows."""
    groups, current, filled = [], [], 0
    for i, size in enumerate(np.asarray(sizes).tolist()):
        current.append(i)
        filled += size
        if filled >= rows:
            groups.append(current)
            current, filled = [], 0
    if current:
        groups.append(current)
    return groups


def named_ids(tables: dict[str, pd.DataFrame], parent: str):
    """The values (a pyarrow array of distinct strings, or None) of the columns of ``tables`` that name rows of
    ``parent``: its key's column, the links to it, and the columns :data:`ALSO_NAMING` it (not every id column:
    a payment's own id or invoice number names no supplier, and hashing them cost most of a partition's reading)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..schema.tables import TABLES
    from .arrow import arrow_strings

    key = TABLES[parent].key[0]

    def naming(name: str, column: str) -> bool:
        return (column == key or (column, parent, key) in TABLES[name].foreign_keys
                or ALSO_NAMING.get((name, column)) == parent)

    named = [arrow_strings(frame[c.name], whole=False) for name, frame in tables.items() if name in TABLES
             for c in TABLES[name].columns if c.kind == "id" and c.name in frame.columns and naming(name, c.name)]
    chunks = [chunk for a in named if a is not None for chunk in (a.chunks if isinstance(a, pa.ChunkedArray) else [a])
              if len(chunk)]  # (the columns' own chunks: made one array, they would be copied first)
    return pc.unique(pa.chunked_array(chunks, pa.large_string()).drop_null()) if chunks else None


def referenced_rows(name: str, reference: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of reference table ``name`` (``reference``) that ``tables`` name (:func:`named_ids`)."""
    import pyarrow.compute as pc

    from ..schema.tables import TABLES
    from .arrow import arrow_strings

    pool, keys = named_ids(tables, name), arrow_strings(reference[TABLES[name].key[0]])
    if pool is None or keys is None:
        return reference.iloc[:0]
    return reference[pc.is_in(keys, value_set=pool).to_numpy(zero_copy_only=False)]
