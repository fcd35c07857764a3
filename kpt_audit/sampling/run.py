"""What ``kpt-audit sample`` and ``kpt-audit sample evaluate`` run: data → population → plan → workbook, and back.

Nothing here prints; the command line (``kpt_audit.sampling.commands``) does.
"""
from __future__ import annotations

from ..errors import UsageError
from .options import check_choice, check_confidence
from .plan import METHODS, Evaluation, Plan, evaluate, make_plan
from .workbook import read_plan, write_plan

__all__ = ["plan_sample", "evaluate_plan"]


def plan_sample(data, out, params, *, method: str = "mus", population: str = "payments", findings_run=None,
                counties=(), confidence: float = 0.95, tolerable=None, expected=None, size=None, seed=None,
                allocation: str = "proportional", lang: str = "zh") -> Plan:
    """``kpt-audit sample``: the population of the data folder (or of a run's findings), the plan, the workbook.

    ``params`` is the run's :class:`~kpt_audit.params.Params` with its audit date.  Findings give the
    risk of stratified items: the run's (``findings_run``) or, without one, the checks run here.
    """
    from ..load import load_dataset
    from ..params import params_digest
    from ..pipeline import counties_in, require_as_of
    from . import population as populations

    require_as_of(params)
    check_choice("population", population, populations.POPULATIONS)
    check_choice("method", method, METHODS)
    if population == "findings" and findings_run is None:
        raise UsageError(key="sampling.err.findings_needs_run")
    check_confidence(confidence)
    ds = load_dataset(data, params=params)
    if population == "findings":
        pop = populations.from_findings(findings_run, counties, known_counties=counties_in(ds))
    else:
        findings = None
        if findings_run is not None:
            findings = populations.read_run_findings(findings_run)
        elif method == "stratified":
            from ..checks import run_checks

            findings = run_checks(ds, params).findings
        pop = populations.from_data(ds, params.as_of, population, counties, findings)
    plan = make_plan(pop, method, confidence=confidence, tolerable=tolerable, expected=expected, size=size, seed=seed,
                     allocation=allocation, as_of=params.as_of, data=data, findings_run=findings_run,
                     params_file=params.source, params_sha256=params_digest(params), lang=lang)
    write_plan(plan, out)
    return plan


def evaluate_plan(path) -> Evaluation:
    """``kpt-audit sample evaluate PLAN.xlsx``: read and check the plan, then evaluate it."""
    return evaluate(read_plan(path, require_audited=True))
