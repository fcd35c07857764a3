"""The ``kpt-audit`` command: argument parsing and exit codes only; the work is in the modules."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_BAD_DATA, EXIT_USAGE, EXIT_SOME_FAILED = 0, 1, 2, 3


from .errors import UsageError, check_counties


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kpt-audit", description="Look-back (回头望) audits of government investment.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("synth", help="write a synthetic dataset with planted anomalies and truth.csv")
    s.add_argument("out")
    s.add_argument("--counties", type=int, default=8)
    s.add_argument("--projects", type=int, default=None, help="total projects across counties")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--as-of", default="2020-09-25")
    s.add_argument("--format", choices=("csv", "parquet"), default="csv")

    v = sub.add_parser("validate", help="load and validate a dataset; print the data-quality ledger")
    v.add_argument("data")
    v.add_argument("--params")

    c = sub.add_parser("check", help="run the checks only; write findings and metrics")
    c.add_argument("data")
    c.add_argument("--out", required=True)
    c.add_argument("--params")
    c.add_argument("--as-of")
    c.add_argument("--county", action="append", default=[])
    c.add_argument("--show-personal-data", action="store_true")

    r = sub.add_parser("run", help="checks, then one HTML report per county, the roll-up and the Excel workbook")
    r.add_argument("data")
    r.add_argument("--out", required=True)
    r.add_argument("--params")
    r.add_argument("--as-of")
    r.add_argument("--county", action="append", default=[])
    r.add_argument("--jobs", type=int, default=None, help="parallel county notebooks (default: number of cores)")
    r.add_argument("--timeout", type=float, default=600.0, help="seconds per county (default 600)")
    r.add_argument("--previous", help="folder of an earlier run: mark findings new/persisting/resolved")
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
    o.add_argument("--as-of")
    o.add_argument("--no-html", action="store_true")

    k = sub.add_parser("checks", help="list every check")
    k.add_argument("--json", action="store_true")
    return p


def _load(data, params):
    from .load import load_dataset

    return load_dataset(data, params=params)


def _params(path, as_of=None):
    from .params import load_params

    return load_params(path, as_of=as_of)


def cmd_synth(a) -> int:
    from .synth import write_synth

    out = write_synth(a.out, counties=a.counties, projects=a.projects, seed=a.seed, as_of=a.as_of, fmt=a.format)
    print(f"synthetic dataset written to {out}")
    return EXIT_OK


def cmd_validate(a) -> int:
    from .load import format_report

    ds = _load(a.data, _params(a.params))
    print(format_report(ds))
    # rejected rows are errors in the data (exit 1); warnings alone keep exit 0
    return EXIT_BAD_DATA if len(ds.rejections) else EXIT_OK


def _check(data, out, params_file, as_of, counties, show_personal_data) -> int:
    from .checks import run_checks
    from .outputs import write_check_outputs

    params = _params(params_file, as_of)
    started = time.perf_counter()
    ds = _load(data, params)
    loaded = time.perf_counter()
    check_counties(ds, counties)
    result = run_checks(ds, params, counties=counties or None)
    timings = {"load": loaded - started, **{f"check.{k}": v for k, v in result.timings.items()}}
    write_check_outputs(result, out, counties=counties, show_personal_data=show_personal_data, timings=timings)
    by_sev = result.findings["severity"].value_counts().to_dict()
    print(f"{len(result.findings)} findings (high {by_sev.get('high', 0)}, medium {by_sev.get('medium', 0)}, "
          f"low {by_sev.get('low', 0)}); {len(result.not_run)} checks not run; written to {Path(out)}")
    return EXIT_OK


def cmd_check(a) -> int:
    return _check(a.data, a.out, a.params, a.as_of, a.county, a.show_personal_data)


def _run(data, out, params_file=None, as_of=None, counties=(), jobs=None, timeout=600.0, previous=None,
         resume=False, show_personal_data=False) -> int:
    from .batch import run_batch

    if jobs is not None and jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if timeout <= 0:
        raise UsageError("--timeout must be positive")
    code = run_batch(data, out, params_file=params_file, as_of=as_of, counties=counties, jobs=jobs,
                     timeout=timeout, previous=previous, resume=resume, show_personal_data=show_personal_data)
    index = (Path(out) / "index.html").resolve()
    if code == 3:
        print("some counties failed: see manifest.json and the index", file=sys.stderr)
    print(f"index: {index}")
    return code


def cmd_run(a) -> int:
    return _run(a.data, a.out, a.params, a.as_of, a.county, a.jobs, a.timeout, a.previous, a.resume,
                a.show_personal_data)


def cmd_demo(a) -> int:
    from .synth import write_demo

    out = Path(a.out)
    data = write_demo(out / "data")
    print(f"demo data written to {data}")
    return _run(data, out)


def cmd_ocds(a) -> int:
    from .ocds.run import run_ocds

    return run_ocds(a.path, a.out, params_file=a.params, settings=a.settings, html=not a.no_html,
                    county_map=a.county_map, as_of=a.as_of)


def cmd_checks(a) -> int:
    from .checks import all_checks

    checks = all_checks()
    if a.json:
        rows = [{"id": c.id, "slug": c.slug, "area": c.area, "severity": c.severity, "entity_type": c.entity_type,
                 "inputs": {t: list(cols) for t, cols in c.inputs.items()}, "parameters": list(c.params),
                 "basis": c.basis, "condition": c.condition, "title": c.title} for c in checks.values()]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for c in checks.values():
            inputs = "; ".join(f"{t}({', '.join(cols)})" for t, cols in c.inputs.items())
            params = ", ".join(c.params) or "-"
            print(f"{c.id}  {c.slug:<32} {c.area:<12} {c.severity:<6} inputs: {inputs}  params: {params}  basis: {c.basis}")
    return EXIT_OK


COMMANDS = {"synth": cmd_synth, "validate": cmd_validate, "check": cmd_check, "run": cmd_run, "demo": cmd_demo,
            "ocds": cmd_ocds, "checks": cmd_checks}


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from .load import LoadError
    from .params import ParamsError

    try:
        return COMMANDS[args.command](args)
    except (UsageError, ParamsError) as exc:
        if args.debug:
            raise
        print(f"kpt-audit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except LoadError as exc:
        if args.debug:
            raise
        print(f"kpt-audit: bad data: {exc}", file=sys.stderr)
        return EXIT_BAD_DATA
    except KeyboardInterrupt:
        print("kpt-audit: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a defect of ours: still one paragraph, the traceback only on request
        if args.debug:
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        print(f"kpt-audit: unexpected error ({type(exc).__name__}: {first}). Nothing was changed in the input "
              f"folder; rerun with --debug for the details and report them.", file=sys.stderr)
        return EXIT_BAD_DATA


if __name__ == "__main__":
    sys.exit(main())
