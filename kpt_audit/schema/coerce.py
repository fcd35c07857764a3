"""Canonical dtypes, shared by the loader (final cast), the generator and test frames.

id/text/enum/month -> pandas ``str`` (missing = NaN); amount/number -> float64;
int -> nullable Int64; date -> datetime64[ns] (midnight); bool -> nullable boolean.
Columns the table does not define are left untouched.
"""
from __future__ import annotations

import pandas as pd

from .tables import TABLES

DTYPES = {"id": "str", "text": "str", "enum": "str", "month": "str",
          "amount": "float64", "number": "float64", "int": "Int64",
          "date": "datetime64[ns]", "bool": "boolean"}


def coerce_frame(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every known column of ``table`` cast to its canonical dtype.

    Meant for data that is already clean (generated data, test frames); the
    loader parses messy values first and reports what it could not parse.
    """
    spec = TABLES[table]
    out = df.copy()
    for col in spec.columns:
        if col.name not in out.columns:
            continue
        s = out[col.name]
        kind = col.kind
        if kind == "date":
            out[col.name] = pd.to_datetime(s).astype("datetime64[ns]").dt.normalize()
        elif kind in ("id", "text", "enum", "month"):
            if pd.api.types.is_float_dtype(s) and (s.dropna() % 1 == 0).all():
                s = s.astype("Int64")  # 7.0 -> "7": ids read as numbers keep their integer text
            out[col.name] = s.astype("str").where(s.notna()).astype("str")
        else:
            out[col.name] = s.astype(DTYPES[kind])
    return out


def coerce_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: coerce_frame(name, df) for name, df in tables.items()}
