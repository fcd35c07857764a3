"""Errors the command line turns into exit codes (LoadError: 1, UsageError/ParamsError: 2)."""


class UsageError(Exception):
    """Bad arguments: an unknown county, an impossible option value, a missing previous run."""


def counties_in(ds) -> set[str]:
    """Every county named in the dataset (projects, tenders, subsidies, commitments)."""
    known: set[str] = set()
    for t in ("projects", "tenders", "subsidies", "commitments"):
        if t in ds.tables and "county" in ds.tables[t].columns:
            known |= set(ds.tables[t]["county"].dropna().astype(str))
    return known


def check_counties(ds, counties) -> None:
    unknown = [c for c in counties if c not in counties_in(ds)]
    if unknown:
        raise UsageError(f"unknown county {', '.join(unknown)}: the data has "
                         f"{', '.join(sorted(counties_in(ds))) or 'none'}")
