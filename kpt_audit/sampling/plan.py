"""A sampling plan: every parameter, the population's size and value, and the selected items; and its evaluation.

:func:`make_plan` draws the sample from a :class:`~kpt_audit.sampling.population.Population`,
:func:`evaluate` evaluates a plan whose audited values are filled in, and :func:`describe` says the
result in words.  The workbook is :mod:`kpt_audit.sampling.workbook`; what ``kpt-audit sample``
runs (load, population, plan, workbook, and back) is :mod:`kpt_audit.sampling.run`.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UsageError
from . import mus, stratified
from .options import check_amount, check_choice, check_confidence, check_misstatements, check_size
from .population import Population
from .texts import yuan

METHODS = ("mus", "stratified")
# parts of a plan's items: the systematic (or stratified random) sample, and the top stratum taken whole
SAMPLE, TOP = "sample", "top"
PLAN_COLUMNS = ["part", "no", "stratum", "item_id", "county", "project_id", "project_name", "risk", "book_value",
                "point", "file", "sheet", "row", "audited", "note"]


@dataclass
class Plan:
    """``parameters`` (ordered; see :func:`make_plan`), ``items`` (PLAN_COLUMNS), ``strata`` (stratified only)."""

    parameters: dict
    items: pd.DataFrame
    strata: pd.DataFrame | None = None
    lang: str = "zh"

    @property
    def method(self) -> str:
        return self.parameters["method"]

    @property
    def confidence(self) -> float:
        return float(self.parameters["confidence"])

    @property
    def tolerable(self) -> float | None:
        value = self.parameters.get("tolerable")
        return None if value is None else float(value)

    def part(self, name: str) -> pd.DataFrame:
        return self.items[self.items["part"] == name]


def new_seed() -> int:
    """A fresh seed for a plan when none is given (recorded in the plan, so it can be redrawn)."""
    return secrets.randbelow(10 ** 9)


def make_plan(pop: Population, method: str, *, confidence: float = 0.95, tolerable: float | None = None,
              expected: float | None = None, size: int | None = None, seed: int | None = None,
              allocation: str = "proportional", as_of=None, data=None, findings_run=None, params_file="",
              params_sha256="", lang: str = "zh") -> Plan:
    """Draw the sample: sizes from the tolerable and expected misstatement unless ``size`` is given.

    Raises UsageError for impossible options (confidence outside (0, 1), tolerable ≤ expected, neither
    a size nor a tolerable misstatement …); the population has been checked when it was built.
    """
    from ..version import __version__

    check_choice("method", method, METHODS)
    if method == "stratified":
        check_choice("allocation", allocation, stratified.ALLOCATIONS)
    confidence = check_confidence(confidence)
    size = check_size(size)
    if tolerable is None and size is not None:  # a size alone: no acceptance test, nothing to compare
        expected = check_amount("expected", expected)
    else:
        tolerable, expected = check_misstatements(tolerable, expected)
    seed = new_seed() if seed is None else int(seed)
    params = {"method": method, "population": pop.kind, "data": "" if data is None else str(data),
              "findings_run": "" if findings_run is None else str(findings_run),
              "counties": "、".join(pop.counties), "as_of": "" if as_of is None else pd.Timestamp(as_of).strftime("%Y-%m-%d"),
              "confidence": confidence, "tolerable": tolerable, "expected": expected,
              "size_given": size, "seed": seed}
    if method == "stratified":
        params["allocation"] = allocation
    params.update({"population_items": pop.size, "population_book_value": round(pop.book_value, 2),
                   "zero_items": pop.zero_items})
    for reason, count in pop.left_out.items():
        params[f"left_out_{reason}"] = count
    items, strata = (_mus(pop, params, confidence, tolerable, expected, size, seed) if method == "mus" else
                     _stratified(pop, params, confidence, tolerable, expected, size, seed, allocation))
    params["tool_version"] = __version__
    params["lang"] = lang
    # the parameters decide book values (a column's unit) and, with the checks, the strata's risk
    params["params_file"], params["params_sha256"] = str(params_file or ""), params_sha256
    for source in pop.sources:
        params[f"source:{Path(source['path']).name}"] = source["sha256"]
    return Plan(parameters=params, items=items, strata=strata, lang=lang)


def _items(rows: pd.DataFrame, part: str) -> pd.DataFrame:
    out = rows.reset_index(drop=True).reindex(columns=PLAN_COLUMNS)
    out["part"] = part
    out["no"] = np.arange(1, len(out) + 1)
    out["audited"] = np.nan
    out["note"] = ""
    return out


def _mus(pop, params, confidence, tolerable, expected, size, seed):
    if pop.zero_items == pop.size:
        raise UsageError(key="sampling.err.all_zero")
    n = size if size is not None else mus.sample_size(pop.book_value, tolerable, expected, confidence)
    chosen = mus.select(pop.items, n, seed)
    params.update({"sample_size": n, "interval": chosen.interval, "random_start": chosen.start,
                   "top_items": len(chosen.top), "top_book_value": round(float(chosen.top["book_value"].sum()), 2),
                   "sampled_items": len(chosen.sampled)})
    items = pd.concat([_items(chosen.sampled, SAMPLE), _items(chosen.top, TOP)], ignore_index=True)
    return items, None


def _stratified(pop, params, confidence, tolerable, expected, size, seed, allocation):
    table = stratified.strata(pop.items)
    n = size if size is not None else stratified.size_for_precision(table, tolerable, expected, confidence, allocation)
    sizes = stratified.allocate(table["items"].to_numpy(), n, allocation)
    table["sampled"] = sizes
    drawn = stratified.select(pop.items, table, sizes, seed)
    params.update({"sample_size": int(sizes.sum()), "strata": len(table)})
    return _items(drawn, SAMPLE), table


@dataclass
class Evaluation:
    """A plan's evaluation: the plan and the method's result (:class:`mus.MusEvaluation` or
    :class:`stratified.StratifiedEvaluation`)."""

    plan: Plan
    result: object


def evaluate(plan: Plan) -> Evaluation:
    """Evaluate a plan whose audited values are all filled in (``workbook.read_plan`` checks that)."""
    if plan.method == "mus":
        result = mus.evaluate(plan.part(SAMPLE), plan.part(TOP), float(plan.parameters["interval"]),
                              plan.confidence, plan.tolerable)
    else:
        result = stratified.evaluate(plan.strata, plan.part(SAMPLE), plan.confidence, plan.tolerable)
    return Evaluation(plan, result)


def _pct(value: float) -> str:
    return f"{value * 100:g}%"


def describe(evaluation: Evaluation, lang: str | None = None) -> str:
    """The evaluation as the lines ``kpt-audit sample evaluate`` prints (the plan's language by default)."""
    from ..messages import text
    from .texts import risk_label

    plan, r = evaluation.plan, evaluation.result
    lang = lang or plan.lang
    conf = _pct(plan.confidence)
    lines = [text("sampling.eval.title", lang, method=text(f"sampling.method.{plan.method}", lang),
                  population=text(f"sampling.population.{plan.parameters['population']}", lang), confidence=conf)]
    if plan.method == "mus":
        top, sampled = len(plan.part(TOP)), len(plan.part(SAMPLE))
        factor = mus.confidence_factor(0, plan.confidence)
        lines += [text("sampling.eval.sampled", lang, sampled=top + sampled, systematic=sampled, top=top,
                       errors=r.errors, under=r.understatements),
                  text("sampling.eval.basic", lang, factor=f"{factor:.4f}", value=yuan(r.basic_precision)),
                  text("sampling.eval.projected", lang, value=yuan(r.projected)),
                  text("sampling.eval.incremental", lang, value=yuan(r.incremental)),
                  text("sampling.eval.top", lang, value=yuan(r.top_misstatement)),
                  text("sampling.eval.most_likely", lang, value=yuan(r.most_likely)),
                  text("sampling.eval.upper", lang, value=yuan(r.upper_limit))]
        if r.understatements:
            lines.append(text("sampling.eval.understatement", lang, value=yuan(r.projected_understatement)))
    else:
        lines.append(text("sampling.eval.strata_head", lang))
        for s in r.by_stratum.itertuples():
            lines.append("  " + text("sampling.eval.stratum", lang, stratum=s.stratum, county=s.county or "-",
                                     risk=risk_label(s.risk, lang), items=s.items, sampled=s.sampled, errors=s.errors,
                                     misstatement=yuan(s.misstatement), projected=yuan(s.projected)))
        lines.append(text("sampling.eval.stratified_total", lang, projected=yuan(r.projected),
                          precision=yuan(r.precision), upper=yuan(r.upper_limit)))
    if r.accepted is None:
        lines.append(text("sampling.eval.no_tolerable", lang))
    else:
        lines.append(text("sampling.eval.accept" if r.accepted else "sampling.eval.reject", lang,
                          upper=yuan(r.upper_limit), tolerable=yuan(plan.tolerable), confidence=conf))
    return "\n".join(lines)
