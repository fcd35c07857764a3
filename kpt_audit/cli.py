"""The ``kpt-audit`` command: argument parsing, printing and exit codes only; the work is in the modules.

This is the one module that prints to the console and chooses exit codes
(:class:`kpt_audit.errors.ExitCode`, interfaces.md revision 2): library code
raises :mod:`kpt_audit.errors` exceptions or returns results (the failed
counties of a batch), and ``main`` turns them into one paragraph on stderr and
a code.  Anything else that escapes is a defect of ours: exit 5, one
paragraph, the traceback only with ``--debug``.

Everything it prints, help included, is in one language: Chinese (``zh``) by
default, English with ``--lang en`` (anywhere on the command line) or the
environment variable ``KPT_AUDIT_LANG=en``.  The texts are the ``cli.*``
entries of :mod:`kpt_audit.messages`; errors raised with a catalogue key
(:class:`kpt_audit.errors.KptAuditError`) are shown in the same language.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

from .errors import BadDataError, ExitCode, KptAuditError, UsageError
from .messages import CATALOGUE, LANGS, text

LANG_ENV = "KPT_AUDIT_LANG"


def _parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The parser with every help text in ``lang`` (argparse's own words too, see :func:`_argparse_in`)."""
    def h(key: str, **values) -> str:
        return text(key, lang, **values)

    # --lang is read before parsing (:func:`_language`); it is listed here so that every help shows it
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGS, metavar=h("cli.metavar.lang"), help=h("cli.opt.lang"))
    p = argparse.ArgumentParser(prog="kpt-audit", description=h("cli.description"), epilog=h("cli.epilog"),
                                parents=[common])
    p.add_argument("--debug", action="store_true", help=h("cli.opt.debug"))
    sub = p.add_subparsers(dest="command", required=True, metavar=h("cli.commands"))
    as_of_help = h("cli.opt.as_of", formats=h("as_of_formats"))
    data, out, file, date = (h(f"cli.metavar.{m}") for m in ("data", "out", "file", "date"))

    s = sub.add_parser("synth", parents=[common], help=h("cli.synth.help"), description=h("cli.synth.help"))
    s.add_argument("out", metavar=out, help=h("cli.opt.out"))
    s.add_argument("--counties", type=int, default=8, metavar=h("cli.metavar.n"), help=h("cli.synth.counties"))
    s.add_argument("--projects", type=int, default=None, metavar=h("cli.metavar.n"), help=h("cli.synth.projects"))
    s.add_argument("--seed", type=int, default=0, metavar=h("cli.metavar.n"), help=h("cli.synth.seed"))
    s.add_argument("--as-of", default="2020-09-25", metavar=date, help=h("cli.synth.as_of"))
    s.add_argument("--format", choices=("csv", "parquet"), default="csv", help=h("cli.synth.format"))
    s.add_argument("--style", choices=("plain", "auditor"), default="plain", help=h("cli.synth.style"))

    v = sub.add_parser("validate", parents=[common], help=h("cli.validate.help"), description=h("cli.validate.help"))
    v.add_argument("data", metavar=data, help=h("cli.opt.data"))
    v.add_argument("--params", metavar=file, help=h("cli.opt.params"))

    c = sub.add_parser("check", parents=[common], help=h("cli.check.help"), description=h("cli.check.help"))
    c.add_argument("data", metavar=data, help=h("cli.opt.data"))
    c.add_argument("--out", required=True, metavar=out, help=h("cli.opt.out"))
    c.add_argument("--params", metavar=file, help=h("cli.opt.params"))
    c.add_argument("--as-of", metavar=date, help=as_of_help)
    c.add_argument("--county", action="append", default=[], metavar=h("cli.metavar.county"), help=h("cli.opt.county"))
    c.add_argument("--show-personal-data", action="store_true", help=h("cli.opt.show_personal_data"))
    c.add_argument("--register", metavar=h("cli.metavar.register"), help=h("cli.opt.register"))
    c.add_argument("--scheduler", metavar=h("cli.metavar.address"), help=h("cli.check.scheduler"))

    r = sub.add_parser("run", parents=[common], help=h("cli.run.help"), description=h("cli.run.help"))
    r.add_argument("data", metavar=data, help=h("cli.opt.data"))
    r.add_argument("--out", required=True, metavar=out, help=h("cli.opt.out"))
    r.add_argument("--params", metavar=file, help=h("cli.opt.params"))
    r.add_argument("--as-of", metavar=date, help=as_of_help)
    r.add_argument("--county", action="append", default=[], metavar=h("cli.metavar.county"), help=h("cli.opt.county"))
    r.add_argument("--jobs", type=int, default=None, metavar=h("cli.metavar.n"), help=h("cli.run.jobs"))
    r.add_argument("--timeout", type=float, default=600.0, metavar=h("cli.metavar.seconds"), help=h("cli.run.timeout"))
    r.add_argument("--previous", metavar=h("cli.metavar.folder"), help=h("cli.run.previous"))
    r.add_argument("--resume", action="store_true", help=h("cli.run.resume"))
    r.add_argument("--show-personal-data", action="store_true", help=h("cli.opt.show_personal_data"))
    r.add_argument("--register", metavar=h("cli.metavar.register"), help=h("cli.opt.register"))
    r.add_argument("--scheduler", metavar=h("cli.metavar.address"), help=h("cli.run.scheduler"))

    d = sub.add_parser("demo", parents=[common], help=h("cli.demo.help"), description=h("cli.demo.help"))
    d.add_argument("--out", default="outputs/demo", metavar=out, help=h("cli.demo.out"))

    o = sub.add_parser("ocds", parents=[common], help=h("cli.ocds.help"), description=h("cli.ocds.help"))
    o.add_argument("path", metavar=h("cli.metavar.path"), help=h("cli.ocds.path"))
    o.add_argument("--out", required=True, metavar=out, help=h("cli.opt.out"))
    o.add_argument("--params", metavar=file, help=h("cli.opt.params"))
    o.add_argument("--settings", metavar=file, help=h("cli.ocds.settings"))
    o.add_argument("--county-map", metavar=file, help=h("cli.ocds.county_map"))
    o.add_argument("--as-of", metavar=date, help=as_of_help)
    o.add_argument("--no-html", action="store_true", help=h("cli.ocds.no_html"))

    k = sub.add_parser("checks", parents=[common], help=h("cli.checks.help"), description=h("cli.checks.help"))
    k.add_argument("--json", action="store_true", help=h("cli.checks.json"))
    for module in _command_modules():
        module.add_parsers(sub, lang)
    return p


# Areas whose sub-commands are parsed beside their work: each module has add_parsers(sub, lang) (help texts in
# the command line's language) and COMMANDS.
COMMAND_MODULES = ("register", "sampling")


def _command_modules():
    return [importlib.import_module(f".{area}.commands", __package__) for area in COMMAND_MODULES]


def _language(argv: list[str]) -> tuple[str, bool, list[str]]:
    """The command line's language, whether the user chose it, and the arguments without ``--lang``:
    ``--lang LANG`` (or ``--lang=LANG``) anywhere, else the environment variable KPT_AUDIT_LANG, else zh.
    Read before parsing, because the help itself is written in it; an unknown language is a UsageError
    (in Chinese, the default)."""
    lang, rest, given = None, [], iter(argv)
    for arg in given:
        if arg == "--lang":
            lang = next(given, "")
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    source = "--lang" if lang is not None else LANG_ENV
    if lang is None:
        lang = os.environ.get(LANG_ENV) or None  # set but empty is unset
    if lang is None:
        return "zh", False, rest
    if lang not in LANGS:
        raise UsageError(key="cli.bad_lang", source=source, value=lang)
    return lang, True, rest


@contextmanager
def _argparse_in(lang: str):
    """argparse's own words (usage, options, its errors) in ``lang`` while the parser is built and used.

    argparse asks gettext for them, and gettext has no Chinese catalogue of Python's; its message ids are
    answered from ours (``argparse.<msgid>``), any other id as before."""
    original = argparse._
    if lang == "en":
        yield
        return

    def translated(message: str) -> str:
        key = f"argparse.{message}"
        return text(key, lang) if key in CATALOGUE else original(message)

    argparse._ = translated
    try:
        yield
    finally:
        argparse._ = original


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def as_of_option(value):
    """``--as-of`` as a date, None when not given; a UsageError blaming --as-of when it is not a full date."""
    if value is None:
        return None
    from .params import as_of_date

    day = as_of_date(value)
    if day is None:
        raise UsageError(key="err.as_of_option", value=value)
    return day


def announced_audit_params(params_file, as_of_text, lang, *, as_of=None, source=None, chosen=False):
    """The run's parameters with their audit date; first prints ``审计基准日 DATE (来源: …)`` to stderr
    (every command that audits: check, run, demo, ocds, and ``sample`` in :mod:`kpt_audit.sampling.commands`).

    ``as_of``/``source`` give a date the command chose itself (the demo's own).  A language the user
    chose (``chosen``: --lang or KPT_AUDIT_LANG) is also the reports' language, over the params file's."""
    from .pipeline import audit_params

    given = as_of if as_of is not None else as_of_option(as_of_text)
    params = audit_params(params_file, given, lang=lang if chosen else None)
    if source is None:
        source = "--as-of" if given is not None else params.as_of_source
    _err(text("cli.as_of_line", lang, date=f"{params.as_of:%Y-%m-%d}", source=source))
    return params


class _Progress:
    """Per-county report progress: a bar on a terminal, plain log lines otherwise."""

    def __init__(self, lang: str = "zh"):
        self.bar = None
        self.lang = lang

    def __call__(self, done: int, total: int, county: str, status: str, error: str) -> None:
        if sys.stderr.isatty():
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=total, unit=text("cli.progress_unit", self.lang),
                                desc=text("cli.progress", self.lang), file=sys.stderr)
            self.bar.n = done
            self.bar.set_postfix_str(county)
            self.bar.refresh()
        else:
            shown = text(f"cli.status.{status}", self.lang) if f"cli.status.{status}" in CATALOGUE else status
            _err(f"[{done}/{total}] {county or text('unassigned_county', self.lang)}: {shown}"
                 + (f" ({error})" if error else ""))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# the commands whose --out (or OUT) is a folder they write into
FOLDER_OUT = frozenset({"synth", "check", "run", "demo", "ocds"})


def cmd_synth(a) -> int:
    import warnings

    from .synth import write_synth
    from .synth.generator import MoreProjects

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", MoreProjects)
        out = write_synth(a.out, counties=a.counties, projects=a.projects, seed=a.seed, as_of=as_of_option(a.as_of),
                          fmt=a.format, style=a.style)
    for notice in [w.message for w in said if isinstance(w.message, MoreProjects)][:1]:
        _err(text("cli.synth_more_projects", a.lang, asked=notice.asked, least=notice.least, planted=notice.planted))
    print(text("cli.synth_done", a.lang, path=out))
    return ExitCode.OK


def cmd_validate(a) -> int:
    from .dataset import SUMMARY_REASONS
    from .load import format_report, load_dataset
    from .params import load_params

    ds = load_dataset(a.data, params=load_params(a.params))
    print(format_report(ds, lang=a.lang))
    # rows rejected for an error in the data exit 1; warnings, and total or footer rows rejected as
    # such (they are not records), keep exit 0 (interfaces.md, revision 2)
    errors = ~ds.rejections["reason"].isin(SUMMARY_REASONS)
    return ExitCode.BAD_DATA if errors.any() else ExitCode.OK


def cmd_check(a) -> int:
    from .checks.registry import PARTLY_JUDGED
    from .outputs import write_check_outputs
    from .register.summary import current_findings
    from .pipeline import run_front

    params = announced_audit_params(a.params, a.as_of, a.lang, chosen=a.lang_chosen)
    cluster = None
    if a.scheduler:
        from .cluster import connect

        cluster = connect(a.scheduler)
    try:
        front = run_front(a.data, params, counties=a.county, cluster=cluster)
    finally:
        if cluster is not None:
            cluster.close()
    try:
        result = front.result
        timings = {**front.timings, **{f"check.{k}": v for k, v in result.timings.items()}}
        if a.register:
            from .register.record import record_front

            result.findings = record_front(a.register, front, out_dir=Path(a.out).resolve(), counties=a.county,
                                           show_personal_data=a.show_personal_data).findings
        write_check_outputs(result, a.out, counties=a.county, show_personal_data=a.show_personal_data,
                            timings=timings)
    finally:
        front.close()
    found = current_findings(result.findings)  # not those not found again, nor those dismissed (不属实)
    by_sev = found["severity"].value_counts().to_dict()
    partly = int((result.not_run["reason"] == PARTLY_JUDGED).sum())
    print(text("cli.check_done", a.lang, n=len(found), high=by_sev.get("high", 0),
               medium=by_sev.get("medium", 0), low=by_sev.get("low", 0), not_run=len(result.not_run) - partly,
               partly=partly, out=Path(a.out)))
    return ExitCode.OK


def _run(data, out, params, lang, *, counties=(), jobs=None, timeout=600.0, previous=None, resume=False,
         show_personal_data=False, register=None, scheduler=None) -> int:
    from .batch import run_batch

    progress = _Progress(lang)
    try:
        batch = run_batch(data, out, params, counties=counties, jobs=jobs, timeout=timeout, previous=previous,
                          resume=resume, show_personal_data=show_personal_data, progress=progress,
                          register=register, scheduler=scheduler)
    finally:
        progress.close()
    if batch.failed:
        names = ", ".join(c or text("unassigned_county", lang) for c in batch.failed)
        _err(text("cli.some_failed", lang, names=names))
    if batch.index.exists():  # not when the roll-up itself failed
        print(text("cli.index", lang, path=batch.index.resolve()))
    return ExitCode.SOME_FAILED if batch.failed else ExitCode.OK


def cmd_run(a) -> int:
    if a.jobs is not None and a.jobs < 1:
        raise UsageError(key="cli.jobs_min")
    if a.timeout <= 0:
        raise UsageError(key="cli.timeout_positive")
    params = announced_audit_params(a.params, a.as_of, a.lang, chosen=a.lang_chosen)
    return _run(a.data, a.out, params, a.lang, counties=a.county, jobs=a.jobs, timeout=a.timeout, previous=a.previous,
                resume=a.resume, show_personal_data=a.show_personal_data, register=a.register,
                scheduler=a.scheduler)


def cmd_demo(a) -> int:
    from .synth.demo import DEMO_AS_OF, write_demo

    out = Path(a.out)
    data = write_demo(out / "data")
    print(text("cli.demo_data", a.lang, path=data))
    params = announced_audit_params(None, None, a.lang, as_of=DEMO_AS_OF,
                                    source=text("cli.as_of_source.demo", a.lang), chosen=a.lang_chosen)
    return _run(data, out, params, a.lang)


def cmd_ocds(a) -> int:
    from .ocds.run import run_ocds

    params = announced_audit_params(a.params, a.as_of, a.lang, chosen=a.lang_chosen)
    progress = _Progress(a.lang)
    try:
        done = run_ocds(a.path, a.out, params, settings=a.settings, html=not a.no_html, county_map=a.county_map,
                        progress=progress)
    finally:
        progress.close()
    for error in done.reported:
        _err(text("cli.ocds_reported", a.lang, file=error["file"], line=error["line"], reason=error["reason"]))
    if done.failed_reports:
        names = ", ".join(c or text("unassigned_county", a.lang) for c in done.failed_reports)
        _err(text("cli.ocds_failed_reports", a.lang, names=names))
    print(text("cli.ocds_done", a.lang, n=done.manifest.get("findings", 0), out=Path(a.out)))
    # interfaces.md: ocds exits 0 when every file was read or reported (a failed report does not change it)
    return ExitCode.OK


def _optional_inputs(check) -> dict[str, list[str]]:
    """A check's optional columns by table (it runs without them, as checks.md says for each)."""
    out: dict[str, list[str]] = {}
    for table, column in check.optional:
        out.setdefault(table, []).append(column)
    return out


def _inputs_text(inputs: dict) -> str:
    return "; ".join(f"{t}({', '.join(cols)})" for t, cols in inputs.items())


def cmd_checks(a) -> int:
    from .checks import all_checks

    checks = all_checks()
    if a.json:
        # inputs: what the check needs to run; optional_inputs: what it reads when present
        rows = [{"id": c.id, "slug": c.slug, "area": c.area, "severity": c.severity, "entity_type": c.entity_type,
                 "inputs": {t: list(cols) for t, cols in c.inputs.items()}, "optional_inputs": _optional_inputs(c),
                 "parameters": list(c.params),
                 "basis": c.basis, "condition": c.condition, "amount": c.amount, "event_date": c.event_date,
                 "title": c.title, "cross_county": c.cross_county} for c in checks.values()]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        lang = a.lang
        for c in checks.values():
            params = ", ".join(c.params) or text("cli.checks.no_parameters", lang)
            print(f"{c.id}  {c.text('title', lang)}  [{text('area.' + c.area, lang)} · "
                  f"{text('severity.' + c.severity, lang)}]  {text('cli.checks.parameters', lang)}: {params}  "
                  f"{text('cli.checks.basis', lang)}: {c.basis}")
            inputs = f"{text('cli.checks.inputs', lang)}: {_inputs_text(c.inputs) or '-'}"
            optional = _optional_inputs(c)
            if optional:
                inputs += f"  {text('cli.checks.optional', lang)}: {_inputs_text(optional)}"
            print(f"    {inputs}")
            print(f"    {text('cli.checks.condition', lang)}: {c.text('condition', lang)}")
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


def _check_out(args) -> None:
    """``--out`` is a folder for the commands that write folders and a file for those that write one
    workbook: the other kind already there is a usage error, before any work (not an internal error
    half-way)."""
    out = getattr(args, "out", None)
    if out is None or not Path(out).exists():
        return
    wants_folder = args.command in FOLDER_OUT or getattr(args, "register_command", None) == "bulletin"
    if wants_folder and not Path(out).is_dir():
        raise UsageError(key="err.out_not_folder", path=out)
    if not wants_folder and Path(out).is_dir():
        raise UsageError(key="err.out_not_file", path=out)


def main(argv=None) -> int:
    try:
        lang, chosen, argv = _language(list(sys.argv[1:] if argv is None else argv))
    except UsageError as exc:
        _err(text("cli.error", "zh", message=exc.text("zh")))
        return int(exc.exit_code)
    # --debug anywhere, as the internal-error message asks (``kpt-audit run … --debug`` as well as before it)
    debug = "--debug" in argv
    with _argparse_in(lang):
        args = _parser(lang).parse_args([a for a in argv if a != "--debug"])
    args.lang, args.lang_chosen, args.debug = lang, chosen, debug
    commands = dict(COMMANDS)
    for module in _command_modules():
        commands.update(module.COMMANDS)
    try:
        _check_out(args)
        return int(commands[args.command](args))
    except KptAuditError as exc:
        if args.debug:  # the traceback as well, the exit code all the same (a script's branch must not change)
            traceback.print_exc()
        _err(text("cli.bad_data" if isinstance(exc, BadDataError) else "cli.error", lang, message=exc.text(lang)))
        return int(exc.exit_code)
    except KeyboardInterrupt:
        _err(text("cli.interrupted", lang))
        return 130
    except BrokenPipeError:  # `kpt-audit checks | head`: the reader has what it wanted
        _quiet_stdout()
        return int(ExitCode.OK)
    except Exception as exc:  # a defect of ours: one paragraph, the traceback only on request
        if args.debug:
            traceback.print_exc()
        first = (str(exc).strip().splitlines() or [""])[0]
        _err(text("cli.internal", lang, kind=type(exc).__name__, first=first))
        return int(ExitCode.INTERNAL)


if __name__ == "__main__":
    sys.exit(main())
