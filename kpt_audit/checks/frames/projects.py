"""Projects: names by project_id (built once per run, for every finding that names its project) and
the two categories of project the catalogue's scopes name."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..context import Context
from .common import optional_column

# projects funded from the central or provincial budget (当年下达当年开工, 绩效目标)
FUNDED_CATEGORIES = ("central_budget", "provincial")


def government_invested(projects: pd.DataFrame) -> pd.Series:
    """True for projects not of category ``enterprise``: a project with no category counts as
    government-invested (checks.md)."""
    return (optional_column(projects, "category") != "enterprise").fillna(True).astype(bool)


def project_names(ctx: Context) -> pd.Series:
    """project_name by project_id (projects as loaded; first row of an id)."""
    return _projects_by_id(ctx)["project_name"]


def project_county(ctx: Context) -> pd.Series:
    """county by project_id (projects as loaded; county is not a dated event)."""
    return _projects_by_id(ctx)["county"]


def counties_where(ctx: Context, marked: pd.Series) -> pd.Series:
    """The county of each project row marked True (``marked`` is indexed like ``ctx["projects"]``): the
    entities a check could not judge, each in the county its finding would have (``partly_judged``)."""
    return optional_column(ctx["projects"], "county").loc[marked.index[marked.to_numpy(dtype=bool)]]


def project_rows(ctx: Context, project_ids: list) -> np.ndarray:
    """The position of each project id among the rows of ``project_names`` and ``project_county``
    (-1 where it is missing or unknown).  Asked of the one cached frame's index, whose hash table the
    first call builds and every later one reuses (a column's Series may carry another index object)."""
    keys = pd.Index([p if isinstance(p, str) else None for p in project_ids], dtype="str")
    return _projects_by_id(ctx).index.get_indexer(keys)


def _projects_by_id(ctx: Context) -> pd.DataFrame:
    """project_name and county of the projects as loaded, by project_id (the first row of a repeated
    id; a column the table lacks is all missing).  One frame, so both share one index: its hash
    table, built by the first look-up, serves every finding's project name and county."""
    def build():
        columns = ("project_name", "county")
        if not ctx.has("projects", "project_id"):
            return pd.DataFrame({c: pd.Series(dtype="str") for c in columns}, index=pd.Index([], dtype="str"))
        p = ctx.raw["projects"]
        p = p[~p["project_id"].duplicated()]
        return pd.DataFrame({c: (p[c].astype("str").array if c in p.columns and ctx.has("projects", c)
                                 else pd.array([None] * len(p), dtype="str")) for c in columns},
                            index=pd.Index(p["project_id"].array))
    return ctx.cache("projects.by_id", build)
