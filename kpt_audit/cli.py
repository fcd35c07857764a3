"""The ``kpt-audit`` command: argument parsing, printing and exit codes only; the work is in the modules.

This is the one module that prints to the console and chooses exit codes
(:class:`kpt_audit.errors.ExitCode`, interfaces.md revision 2): library code
raises :mod:`kpt_audit.errors` exceptions or returns results (the failed
counties of a batch), and ``main`` turns them into one paragraph on stderr and
a code.  Anything else that escapes is a defect of ours: exit 5, one
paragraph, the traceback only with ``--debug``.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from .errors import AS_OF_FORMATS, BadDataError, ExitCode, KptAuditError, UsageError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kpt-audit", description="Look-back (回头望) audits of government investment.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    as_of_help = f"audit date (审计基准日), e.g. {AS_OF_FORMATS}; required unless the params file sets as_of"

    s = sub.add_parser("synth", help="write a synthetic dataset with planted anomalies and truth.csv")
    s.add_argument("out")
    s.add_argument("--counties", type=int, default=8)
    s.add_argument("--projects", type=int, default=None, help="total projects across counties")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--as-of", default="2020-09-25", help="the generated data's date (default 2020-09-25)")
    s.add_argument("--format", choices=("csv", "parquet"), default="csv")

    v = sub.add_parser("validate", help="load and validate a dataset; print the data-quality ledger")
    v.add_argument("data")
    v.add_argument("--params")

    c = sub.add_parser("check", help="run the checks only; write findings and metrics")
    c.add_argument("data")
    c.add_argument("--out", required=True)
    c.add_argument("--params")
    c.add_argument("--as-of", help=as_of_help)
    c.add_argument("--county", action="append", default=[])
    c.add_argument("--show-personal-data", action="store_true")

    r = sub.add_parser("run", help="checks, then one HTML report per county, the roll-up and the Excel workbook")
    r.add_argument("data")
    r.add_argument("--out", required=True)
    r.add_argument("--params")
    r.add_argument("--as-of", help=as_of_help)
    r.add_argument("--county", action="append", default=[])
    r.add_argument("--jobs", type=int, default=None, help="parallel county notebooks (default: number of cores)")
    r.add_argument("--timeout", type=float, default=600.0, help="seconds per county (default 600)")
    r.add_argument("--previous", help="folder of an earlier run: mark findings new/persisting/not found again (with the cause)")
    r.add_argument("--resume", action="store_true", help="redo only counties whose inputs or outputs changed")
    r.add_argument("--show-personal-data", action="store_true", help="do not mask ID numbers, phones, accounts, names")

    d = sub.add_parser("demo", help="build the demo city and run it end to end")
    d.add_argument("--out", default="outputs/demo")

    o = sub.add_parser("ocds", help="read OCDS procurement data, run the procurement checks and OCP's red flags")
    o.add_argument("path", help="a file or folder of OCDS (JSON Lines of compiled releases, release or record packages)")
    o.add_argument("--out", required=True)
    o.add_argument("--params")
    o.add_argument("--settings", help="a cardinal-rs settings file (INI): which indicators, thresholds, exclusions")
    o.add_argument("--county-map", help="YAML mapping buyers or regions to counties (default: county = buyer)")
    o.add_argument("--as-of", help=as_of_help)
    o.add_argument("--no-html", action="store_true")

    k = sub.add_parser("checks", help="list every check")
    k.add_argument("--json", action="store_true")
    k.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the listing (default zh)")
    for module in _command_modules():
        module.add_parsers(sub)
    return p


# Areas whose sub-commands are parsed beside their work: each module has add_parsers(sub) and COMMANDS.
COMMAND_MODULES = ("register", "sampling")


def _command_modules():
    return [importlib.import_module(f".{area}.commands", __package__) for area in COMMAND_MODULES]


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def as_of_option(value):
    """``--as-of`` as a date, None when not given; a UsageError blaming --as-of when it is not a full date."""
    if value is None:
        return None
    from .params import as_of_date

    day = as_of_date(value)
    if day is None:
        raise UsageError(f"--as-of {value!r} is not a full date: write it as {AS_OF_FORMATS}")
    return day


def _audit_params(params_file, as_of_text, *, as_of=None, source=None):
    """The run's parameters with their audit date; first prints ``审计基准日 DATE (来源: …)`` to stderr.

    ``as_of``/``source`` give a date the command chose itself (the demo's own)."""
    from .pipeline import audit_params

    given = as_of if as_of is not None else as_of_option(as_of_text)
    params = audit_params(params_file, given)
    if source is None:
        source = "--as-of" if given is not None else params.as_of_source
    _err(f"审计基准日 {params.as_of:%Y-%m-%d} (来源: {source})")
    return params


class _Progress:
    """Per-county report progress: a bar on a terminal, plain log lines otherwise."""

    def __init__(self):
        self.bar = None

    def __call__(self, done: int, total: int, county: str, status: str, error: str) -> None:
        if sys.stderr.isatty():
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=total, unit="county", desc="reports", file=sys.stderr)
            self.bar.n = done
            self.bar.set_postfix_str(county)
            self.bar.refresh()
        else:
            _err(f"[{done}/{total}] {county or '未指定'}: {status}" + (f" ({error})" if error else ""))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_synth(a) -> int:
    from .synth import write_synth

    out = write_synth(a.out, counties=a.counties, projects=a.projects, seed=a.seed, as_of=as_of_option(a.as_of),
                      fmt=a.format)
    print(f"synthetic dataset written to {out}")
    return ExitCode.OK


def cmd_validate(a) -> int:
    from .dataset import SUMMARY_REASONS
    from .load import format_report, load_dataset
    from .params import load_params

    ds = load_dataset(a.data, params=load_params(a.params))
    print(format_report(ds))
    # rows rejected for an error in the data exit 1; warnings, and total or footer rows rejected as
    # such (they are not records), keep exit 0 (interfaces.md, revision 2)
    errors = ~ds.rejections["reason"].isin(SUMMARY_REASONS)
    return ExitCode.BAD_DATA if errors.any() else ExitCode.OK


def cmd_check(a) -> int:
    from .outputs import write_check_outputs
    from .pipeline import run_front

    params = _audit_params(a.params, a.as_of)
    front = run_front(a.data, params, counties=a.county)
    result = front.result
    timings = {**front.timings, **{f"check.{k}": v for k, v in result.timings.items()}}
    write_check_outputs(result, a.out, counties=a.county, show_personal_data=a.show_personal_data, timings=timings)
    by_sev = result.findings["severity"].value_counts().to_dict()
    print(f"{len(result.findings)} findings (high {by_sev.get('high', 0)}, medium {by_sev.get('medium', 0)}, "
          f"low {by_sev.get('low', 0)}); {len(result.not_run)} checks not run; written to {Path(a.out)}")
    return ExitCode.OK


def _run(data, out, params, *, counties=(), jobs=None, timeout=600.0, previous=None, resume=False,
         show_personal_data=False) -> int:
    from .batch import run_batch

    progress = _Progress()
    try:
        batch = run_batch(data, out, params, counties=counties, jobs=jobs, timeout=timeout, previous=previous,
                          resume=resume, show_personal_data=show_personal_data, progress=progress)
    finally:
        progress.close()
    if batch.failed:
        names = ", ".join(c or "未指定" for c in batch.failed)
        _err(f"some counties failed ({names}): see manifest.json and the index")
    print(f"index: {batch.index.resolve()}")
    return ExitCode.SOME_FAILED if batch.failed else ExitCode.OK


def cmd_run(a) -> int:
    if a.jobs is not None and a.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if a.timeout <= 0:
        raise UsageError("--timeout must be positive")
    params = _audit_params(a.params, a.as_of)
    return _run(a.data, a.out, params, counties=a.county, jobs=a.jobs, timeout=a.timeout, previous=a.previous,
                resume=a.resume, show_personal_data=a.show_personal_data)


def cmd_demo(a) -> int:
    from .synth.demo import DEMO_AS_OF, write_demo

    out = Path(a.out)
    data = write_demo(out / "data")
    print(f"demo data written to {data}")
    params = _audit_params(None, None, as_of=DEMO_AS_OF, source="demo")
    return _run(data, out, params)


def cmd_ocds(a) -> int:
    from .ocds.run import run_ocds

    params = _audit_params(a.params, a.as_of)
    progress = _Progress()
    try:
        done = run_ocds(a.path, a.out, params, settings=a.settings, html=not a.no_html, county_map=a.county_map,
                        progress=progress)
    finally:
        progress.close()
    for error in done.reported:
        _err(f"reported: {error['file']} (line {error['line']}): {error['reason']}")
    if done.failed_reports:
        _err(f"reports not made for {', '.join(c or '未指定' for c in done.failed_reports)}: see manifest.json")
    print(f"{done.manifest.get('findings', 0)} findings written to {Path(a.out)}")
    # interfaces.md: ocds exits 0 when every file was read or reported (a failed report does not change it)
    return ExitCode.OK


def cmd_checks(a) -> int:
    from .checks import all_checks

    checks = all_checks()
    if a.json:
        rows = [{"id": c.id, "slug": c.slug, "area": c.area, "severity": c.severity, "entity_type": c.entity_type,
                 "inputs": {t: list(cols) for t, cols in c.inputs.items()}, "parameters": list(c.params),
                 "basis": c.basis, "condition": c.condition, "amount": c.amount, "event_date": c.event_date,
                 "title": c.title, "cross_county": c.cross_county} for c in checks.values()]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        from .messages import text

        zh = a.lang == "zh"
        for c in checks.values():
            params = ", ".join(c.params) or ("无" if zh else "-")
            print(f"{c.id}  {c.text('title', a.lang)}  [{text('area.' + c.area, a.lang)} · "
                  f"{text('severity.' + c.severity, a.lang)}]  {'参数' if zh else 'parameters'}: {params}  "
                  f"{'依据' if zh else 'basis'}: {c.basis}")
            print(f"    {'判定条件' if zh else 'finding when'}: {c.text('condition', a.lang)}")
    return ExitCode.OK


COMMANDS = {"synth": cmd_synth, "validate": cmd_validate, "check": cmd_check, "run": cmd_run, "demo": cmd_demo,
            "ocds": cmd_ocds, "checks": cmd_checks}


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that Python's flush at exit does not fail on the closed pipe."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (tests capture it): nothing to flush into a pipe
        pass


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    commands = dict(COMMANDS)
    for module in _command_modules():
        commands.update(module.COMMANDS)
    try:
        return int(commands[args.command](args))
    except KptAuditError as exc:
        if args.debug:
            raise
        _err(f"kpt-audit: {'bad data: ' if isinstance(exc, BadDataError) else ''}{exc}")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        _err("kpt-audit: interrupted")
        return 130
    except BrokenPipeError:  # `kpt-audit checks | head`: the reader has what it wanted
        _quiet_stdout()
        return int(ExitCode.OK)
    except Exception as exc:  # a defect of ours: one paragraph, the traceback only on request
        if args.debug:
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        _err(f"kpt-audit: internal error ({type(exc).__name__}: {first}). Nothing was changed in the input "
             f"folder; rerun with --debug for the details and report them.")
        return int(ExitCode.INTERNAL)


if __name__ == "__main__":
    sys.exit(main())
