"""The ``kpt-audit sample`` sub-commands: their parsers and what each runs.

``kpt_audit.cli`` calls :func:`add_parsers` and merges :data:`COMMANDS` (name → function of the
parsed arguments returning an exit code); heavy imports stay inside the functions so that
``kpt-audit --help`` stays quick.  Help and output are in the command line's language
(``args.lang``; Chinese by default).

Two forms share the ``sample`` parser (interfaces.md, revision 2)::

    kpt-audit sample DATA --out PLAN.xlsx --method mus|stratified [...]
    kpt-audit sample evaluate PLAN.xlsx
"""
from __future__ import annotations

EVALUATE = "evaluate"


def add_parsers(sub, lang: str = "zh") -> None:
    """Add this area's sub-commands to the ``kpt-audit`` parser's sub-parsers (help in ``lang``, the command
    line's language)."""
    from ..messages import text

    def h(key: str) -> str:
        return text(f"cli.sample.{key}", lang)

    s = sub.add_parser("sample", usage=h("usage"), help=h("help"), description=h("description"))
    s.add_argument("data", metavar="DATA", help=h("data"))
    s.add_argument("plan", metavar="PLAN.xlsx", nargs="?", help=h("plan"))
    s.add_argument("--out", help=h("out"))
    s.add_argument("--method", choices=("mus", "stratified"), help=h("method"))
    s.add_argument("--population", choices=("payments", "contracts", "projects", "findings"), default="payments",
                   help=h("population"))
    s.add_argument("--findings", metavar="RUN_DIR", help=h("findings"))
    s.add_argument("--county", action="append", default=[], help=h("county"))
    s.add_argument("--confidence", default="0.95", help=h("confidence"))
    s.add_argument("--tolerable", help=h("tolerable"))
    s.add_argument("--expected", help=h("expected"))
    s.add_argument("--size", type=int, help=h("size"))
    s.add_argument("--seed", type=int, help=h("seed"))
    s.add_argument("--allocation", choices=("proportional", "equal"), default="proportional", help=h("allocation"))
    s.add_argument("--as-of", help=text("cli.sample.as_of", lang, formats=text("as_of_formats", lang)))
    s.add_argument("--params", help=h("params"))
    s.add_argument("--register", metavar="REG", help=h("register"))
    s.add_argument("--lang", choices=("zh", "en"), help=h("lang"))


def _lang(a) -> str:
    return getattr(a, "lang", None) or "zh"


def cmd_sample(a) -> int:
    from ..errors import ExitCode, UsageError
    from ..messages import text

    lang = _lang(a)
    if a.data == EVALUATE:
        if a.plan is None:
            raise UsageError(key="sampling.err.evaluate_needs_plan")
        if a.out is not None:
            raise UsageError(key="sampling.err.evaluate_no_out")
        return _evaluate(a.plan, lang)
    if a.plan is not None:
        raise UsageError(key="sampling.err.unexpected", value=a.plan)
    if a.out is None:
        raise UsageError(key="sampling.err.needs_out")
    if a.method is None:
        raise UsageError(key="sampling.err.needs_method")
    from .run import plan_sample
    from .texts import yuan

    if a.register is not None:
        from .marking import check_register

        if a.population != "findings":
            raise UsageError(key="sampling.err.register_needs_findings")
        check_register(a.register)
    from ..cli import announced_audit_params  # the audit date and its 审计基准日 line, as for check and run

    params = announced_audit_params(a.params, a.as_of, lang)
    plan = plan_sample(a.data, a.out, params, method=a.method, population=a.population, findings_run=a.findings,
                       counties=a.county, confidence=a.confidence, tolerable=a.tolerable, expected=a.expected,
                       size=a.size, seed=a.seed, allocation=a.allocation, lang=lang)
    p = plan.parameters
    extra = (text("cli.sample.planned_mus", lang, interval=yuan(p["interval"]), top=p["top_items"])
             if plan.method == "mus" else text("cli.sample.planned_strata", lang, strata=p["strata"]))
    method = plan.method if lang == "en" else text(f"sampling.method.{plan.method}", lang)
    population = p["population"] if lang == "en" else text(f"sampling.population.{p['population']}", lang)
    print(text("cli.sample.planned", lang, method=method, population=population, items=p["population_items"],
               value=yuan(p["population_book_value"]), examine=len(plan.items), n=p["sample_size"],
               extra=extra, seed=p["seed"], out=a.out))
    if a.register is not None:
        from ..register.store import where
        from .marking import mark_for_verification

        done = mark_for_verification(a.register, plan, a.out)
        print(text("cli.sample.marked", lang, register=where(a.register), marked=len(done.marked),
                   verified=len(done.verified), missing=len(done.missing)))
    return ExitCode.OK


def _evaluate(path, lang: str) -> int:
    from ..errors import ExitCode
    from .plan import describe
    from .run import evaluate_plan

    print(describe(evaluate_plan(path), lang))
    return ExitCode.OK


COMMANDS: dict = {"sample": cmd_sample}
