"""pandera schemas generated from ``tables.py``, and their failures as plain rows.

Two schemas per table, because uniqueness must be judged only among rows that
survive the other rules (a duplicate of a rejected row is not a duplicate):

* :func:`row_schema` - dtypes, required values present, enum values known,
  amounts not negative, ranges (physical_pct 0-100);
* :func:`key_schema` - the table key unique, later duplicates reported.

:func:`failures` runs a schema lazily and returns one row per failing cell
with a ``rule`` the loader turns into a rejection or a warning:
``missing``, ``unknown_value``, ``negative``, ``out_of_range``, ``duplicate_key``,
``dtype`` (a loader bug: parsed columns always have the canonical dtype).

:func:`row_failures` is what the loader calls: it first reads cheap column
aggregates (any missing value, min and max, the values outside an enum) to
find the columns in which the row schema *can* fail, and hands pandera only
those.  A clean province-sized table then costs a few column scans instead of
a full pandera pass; a column with a problem is judged by pandera as before.
A test checks on every table that the result equals pandera's on the whole frame.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from .coerce import DTYPES
from .tables import TABLES

# Plain-number columns with a natural range; outside it is a warning.
RANGES = {("progress", "physical_pct"): (0.0, 100.0)}
FAILURE_COLUMNS = ["index", "column", "rule", "value"]


def row_schema(table: str, columns=None) -> pa.DataFrameSchema:
    """Schema of ``table`` restricted to ``columns`` (default: all); other columns are allowed."""
    return _row_schema(table, None if columns is None else tuple(columns))


@lru_cache(maxsize=256)
def _row_schema(table: str, columns: tuple | None) -> pa.DataFrameSchema:
    spec = TABLES[table]
    present = set(spec.column_names if columns is None else columns)
    schema_columns = {}
    for col in spec.columns:
        if col.name not in present:
            continue
        checks = []
        if col.kind == "enum":
            checks.append(pa.Check.isin(list(col.enum_values)))
        if col.kind == "amount" and col.name != "amount_delta":
            checks.append(pa.Check.ge(0))
        if (table, col.name) in RANGES:
            low, high = RANGES[(table, col.name)]
            checks.append(pa.Check.in_range(low, high))
        schema_columns[col.name] = pa.Column(DTYPES[col.kind], checks=checks, nullable=not col.required)
    return pa.DataFrameSchema(schema_columns, strict=False, name=table)


def key_schema(table: str, report: str = "exclude_first") -> pa.DataFrameSchema | None:
    """Uniqueness of the table key; ``report="all"`` also reports the first row of each duplicated key."""
    key = list(TABLES[table].key)
    if not key:
        return None
    return pa.DataFrameSchema({}, unique=key, report_duplicates=report, name=f"{table} key")


def may_fail(table: str, frame: pd.DataFrame) -> list[str]:
    """Columns of ``frame`` where :func:`row_schema` could find a failing cell, from column aggregates.

    Each test is implied by a pandera rule failing somewhere in the column (the converse need not
    hold): a dtype other than the canonical one, a missing value in a required column, a value
    outside the enum, a negative amount, a number outside its range.
    """
    out = []
    for col in TABLES[table].columns:
        if col.name not in frame.columns:
            continue
        values = frame[col.name]
        suspicious = (values.dtype != pd.api.types.pandas_dtype(DTYPES[col.kind])
                      or (col.required and bool(values.isna().any())))
        if not suspicious and col.kind == "enum":
            suspicious = not bool((values.isna() | values.isin(list(col.enum_values))).all())
        if not suspicious and col.kind == "amount" and col.name != "amount_delta":
            suspicious = bool(values.min() < 0)
        if not suspicious and (table, col.name) in RANGES:
            low, high = RANGES[(table, col.name)]
            suspicious = bool(values.min() < low or values.max() > high)
        if suspicious:
            out.append(col.name)
    return out


def row_failures(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``failures(row_schema(table, <frame's columns>), frame)``, with pandera run only on the
    columns :func:`may_fail` names."""
    columns = may_fail(table, frame)
    if not columns:
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    return failures(row_schema(table, columns), frame[columns])


def _rule(check: str) -> str:
    check = str(check)
    if check == "not_nullable":
        return "missing"
    if check.startswith("isin"):
        return "unknown_value"
    if check.startswith("greater_than_or_equal_to"):
        return "negative"
    if check.startswith("in_range"):
        return "out_of_range"
    if "uniqueness" in check or check.startswith("field_uniqueness"):
        return "duplicate_key"
    if check.startswith("dtype") or "column_in_dataframe" in check:
        return "dtype"
    return check


def failures(schema: pa.DataFrameSchema | None, frame: pd.DataFrame) -> pd.DataFrame:
    """Every failing cell of ``frame`` under ``schema``: index, column, rule, value."""
    if schema is None or frame.empty:
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    out = pd.DataFrame({
        "index": cases["index"],
        "column": cases["column"],
        "rule": cases["check"].map(_rule),
        "value": cases["failure_case"],
    })
    return out.reset_index(drop=True)


def validate_table(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """All failures of an already-canonical frame (e.g. generated data) under both schemas."""
    rows = row_failures(table, frame)
    keys = failures(key_schema(table), frame)
    return pd.concat([rows, keys], ignore_index=True)
