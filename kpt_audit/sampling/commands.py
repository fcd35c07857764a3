"""The ``kpt-audit sample`` sub-commands: their parsers and what each runs.

``kpt_audit.cli`` calls :func:`add_parsers` and merges :data:`COMMANDS` (name → function of the
parsed arguments returning an exit code); heavy imports stay inside the functions so that
``kpt-audit --help`` stays quick.

Two forms share the ``sample`` parser (interfaces.md, revision 2)::

    kpt-audit sample DATA --out PLAN.xlsx --method mus|stratified [...]
    kpt-audit sample evaluate PLAN.xlsx
"""
from __future__ import annotations

EVALUATE = "evaluate"
USAGE = ("kpt-audit sample DATA --out PLAN.xlsx [--method mus|stratified] "
         "[--population payments|contracts|projects|findings] [--findings RUN_DIR] [--county NAME]... "
         "[--confidence 0.95] [--tolerable AMOUNT] [--expected AMOUNT] [--size N] [--seed S] "
         "[--allocation proportional|equal] [--as-of DATE] [--params FILE] [--lang zh|en]\n"
         "       kpt-audit sample evaluate PLAN.xlsx")


def add_parsers(sub, lang: str = "zh") -> None:
    """Add this area's sub-commands to the ``kpt-audit`` parser's sub-parsers (help in ``lang``, the command
    line's language)."""
    from ..errors import AS_OF_FORMATS

    s = sub.add_parser("sample", usage=USAGE,
                       help="plan an audit sample (monetary-unit or stratified) into a workbook; "
                            "'sample evaluate PLAN.xlsx' evaluates it once the audited values are filled in",
                       description="Plan a sample for field verification, or evaluate a filled-in plan. "
                                   "Amounts are yuan.")
    s.add_argument("data", metavar="DATA", help="the data folder (as for check), or 'evaluate'")
    s.add_argument("plan", metavar="PLAN.xlsx", nargs="?", help="with 'evaluate': the filled-in plan workbook")
    s.add_argument("--out", help="the plan workbook to write (.xlsx)")
    s.add_argument("--method", choices=("mus", "stratified"), default="mus",
                   help="monetary-unit sampling (default) or stratified random sampling by county and risk")
    s.add_argument("--population", choices=("payments", "contracts", "projects", "findings"), default="payments",
                   help="what is sampled (default payments); findings need --findings RUN_DIR")
    s.add_argument("--findings", metavar="RUN_DIR",
                   help="the out folder of a check or run: its findings are the population (--population "
                        "findings) or give the items' risk")
    s.add_argument("--county", action="append", default=[], help="only this county (repeatable)")
    s.add_argument("--confidence", default="0.95", help="confidence level between 0 and 1 (default 0.95)")
    s.add_argument("--tolerable", help="tolerable misstatement, yuan (the sample size follows from it)")
    s.add_argument("--expected", help="expected misstatement, yuan (default 0)")
    s.add_argument("--size", type=int, help="sample size (overrides the size from --tolerable)")
    s.add_argument("--seed", type=int, help="random seed (default: a new one, recorded in the plan)")
    s.add_argument("--allocation", choices=("proportional", "equal"), default="proportional",
                   help="stratified: sample per stratum in proportion to its items (default) or equal")
    s.add_argument("--as-of", help=f"audit date (审计基准日), e.g. {AS_OF_FORMATS}; required unless the params file "
                                    "sets as_of")
    s.add_argument("--params", help="params file (loader aliases, as_of)")
    s.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the plan (default zh)")


def _amount(text):
    """An amount option as given ('5,000,000' allowed); the library checks its value."""
    return None if text is None else text.replace(",", "").strip()


def cmd_sample(a) -> int:
    from ..errors import ExitCode, UsageError

    if a.data == EVALUATE:
        if a.plan is None:
            raise UsageError("give the plan to evaluate: kpt-audit sample evaluate PLAN.xlsx")
        if a.out is not None:
            raise UsageError("sample evaluate prints its result and takes no --out")
        return _evaluate(a.plan)
    if a.plan is not None:
        raise UsageError(f"unexpected argument {a.plan!r}: write the plan with --out PLAN.xlsx")
    if a.out is None:
        raise UsageError("give the plan workbook to write with --out PLAN.xlsx")
    from ..cli import _audit_params
    from .run import plan_sample

    params = _audit_params(a.params, a.as_of)
    plan = plan_sample(a.data, a.out, params, method=a.method, population=a.population, findings_run=a.findings,
                       counties=a.county, confidence=a.confidence, tolerable=_amount(a.tolerable),
                       expected=_amount(a.expected), size=a.size, seed=a.seed, allocation=a.allocation, lang=a.lang)
    p = plan.parameters
    extra = (f"; interval {p['interval']:,.2f} yuan; {p['top_items']} item(s) at or above it taken whole"
             if plan.method == "mus" else f"; {p['strata']} strata")
    print(f"{plan.method} sample of {p['population']}: {p['population_items']} items, "
          f"{p['population_book_value']:,.2f} yuan; {len(plan.items)} items to examine (sample size "
          f"{p['sample_size']}{extra}); seed {p['seed']}; written to {a.out}")
    return ExitCode.OK


def _evaluate(path) -> int:
    from ..errors import ExitCode
    from .plan import describe
    from .run import evaluate_plan

    print(describe(evaluate_plan(path)))
    return ExitCode.OK


COMMANDS: dict = {"sample": cmd_sample}
