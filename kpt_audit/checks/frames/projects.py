"""Project frames (built once per run): names by project_id, for every finding that names its project."""
from __future__ import annotations

import pandas as pd

from ..context import Context


def project_names(ctx: Context) -> pd.Series:
    """project_name by project_id (projects as loaded; first row of an id)."""
    def build():
        if not ctx.has("projects", "project_id", "project_name"):
            return pd.Series(dtype="str")
        p = ctx.raw["projects"]
        p = p[~p["project_id"].duplicated()]
        return pd.Series(p["project_name"].to_numpy(), index=p["project_id"].to_numpy(), dtype="str")
    return ctx.cache("projects.name", build)
