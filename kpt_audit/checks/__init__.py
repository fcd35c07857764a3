"""The checks: one function per rule with its metadata (``registry``), grouped by area module,
listed in ``catalogue`` and run by ``engine``; what they share is in ``frames``.

Imports go one way: registry, context → frames → area modules → catalogue → engine.
"""
from .catalogue import all_checks, check_ids, checks_by_area
from .context import Context
from .engine import CheckResult, run_checks
from .registry import AREAS, Check, NotRun, check, metric, partly_judged

__all__ = ["run_checks", "CheckResult", "Context", "check", "metric", "NotRun", "partly_judged", "Check",
           "all_checks", "check_ids", "checks_by_area", "AREAS"]
