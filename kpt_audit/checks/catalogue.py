"""The check catalogue: the one list of check modules, and the checks and metrics they declare.

A new area module is added to ``MODULES``; a new check in an existing module
needs nothing here.  Ids, areas and order come from the checks themselves, so
the generator, the tests and the docs read them from here instead of keeping
lists of their own.
"""
from __future__ import annotations

from types import ModuleType

# absolute imports: ``from . import x`` would make this module depend on the package that imports it
import kpt_audit.checks.commitments as commitments
import kpt_audit.checks.cost as cost
import kpt_audit.checks.cost_payments as cost_payments
import kpt_audit.checks.data_quality as data_quality
import kpt_audit.checks.execution as execution
import kpt_audit.checks.performance as performance
import kpt_audit.checks.procedure as procedure
import kpt_audit.checks.procurement as procurement
import kpt_audit.checks.procurement_bids as procurement_bids
import kpt_audit.checks.procurement_links as procurement_links
import kpt_audit.checks.subsidies as subsidies

from .registry import AREAS, Check, Metric

MODULES: tuple[ModuleType, ...] = (
    execution, procedure, procurement, procurement_bids, procurement_links, cost, cost_payments, performance,
    subsidies, commitments, data_quality,
)


def _declared(attribute: str) -> list:
    return [value.__dict__[attribute] for module in MODULES for value in vars(module).values()
            if callable(value) and attribute in getattr(value, "__dict__", {})
            and getattr(value, "__module__", None) == module.__name__]


def _checks() -> dict[str, Check]:
    found: dict[str, Check] = {}
    for spec in _declared("check"):
        if spec.id in found:
            raise ValueError(f"check {spec.id} declared twice ({found[spec.id].func.__module__}, "
                             f"{spec.func.__module__})")
        found[spec.id] = spec
    return dict(sorted(found.items()))


CHECKS: dict[str, Check] = _checks()
METRICS: dict[str, Metric] = {m.name: m for m in _declared("metric")}


def all_checks() -> dict[str, Check]:
    """Every check, in id order."""
    return dict(CHECKS)


def check_ids() -> tuple[str, ...]:
    """Every check id, in id order."""
    return tuple(CHECKS)


def checks_by_area() -> dict[str, list[Check]]:
    """The checks of each area, areas in report order, checks in id order."""
    return {area: [c for c in CHECKS.values() if c.area == area] for area in AREAS}
