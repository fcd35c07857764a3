"""Projects: names by project_id (built once per run, for every finding that names its project) and
the two categories of project the catalogue's scopes name."""
from __future__ import annotations

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
    return ctx.cache("projects.name", lambda: _by_project(ctx, "project_name"))


def project_county(ctx: Context) -> pd.Series:
    """county by project_id (projects as loaded; county is not a dated event)."""
    return ctx.cache("projects.county", lambda: _by_project(ctx, "county"))


def _by_project(ctx: Context, column: str) -> pd.Series:
    """``column`` of the projects as loaded, by project_id (the first row of a repeated id)."""
    if not ctx.has("projects", "project_id", column):
        return pd.Series(dtype="str")
    p = ctx.raw["projects"]
    p = p[~p["project_id"].duplicated()]
    return pd.Series(p[column].array, index=pd.Index(p["project_id"].array), dtype="str")
