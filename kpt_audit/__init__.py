"""kpt-audit: look-back (回头望) audits of government investment.

Public API::

    import kpt_audit as ka
    ds = ka.load_dataset("outputs/demo/data")
    params = ka.load_params("params/default.yaml", as_of="2020-09-25")
    result = ka.run_checks(ds, params)
    ka.explore(result, out_dir="outputs/demo")
"""
from __future__ import annotations

from .version import __version__

__all__ = ["load_dataset", "load_params", "run_checks", "explore", "__version__"]


def load_dataset(path, params=None):
    from .load import load_dataset as _load

    return _load(path, params=params)


def load_params(path=None, as_of=None, **overrides):
    from .params import load_params as _load

    return _load(path, as_of=as_of, **overrides)


def run_checks(dataset, params=None, counties=None, checks=None):
    """Every check on ``dataset``; ``counties``: a county's name or a list of names (None: every county), a
    name the data do not have being a UsageError, as ``--county`` is on the command line."""
    from .checks import run_checks as _run
    from .pipeline import check_counties

    if isinstance(counties, str):
        counties = [counties]
    if counties and hasattr(dataset, "tables"):
        check_counties(dataset, counties)
    return _run(dataset, params, counties=counties, checks=checks)


def explore(result, out_dir=None, register=None, by=None):
    """The findings explorer for JupyterLab; its export button writes into ``out_dir`` (the run's folder);
    with ``register`` the picked finding's 核实/整改 fields are saved there (as ``by``)."""
    from .report.explore import explore as _explore

    return _explore(result, out_dir=out_dir, register=register, by=by)
