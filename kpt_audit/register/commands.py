"""The ``kpt-audit`` sub-commands of this area: their parsers and what each runs.

``kpt_audit.cli`` calls :func:`add_parsers` and merges :data:`COMMANDS` (name → function of the
parsed arguments returning an exit code); heavy imports stay inside the functions so that
``kpt-audit --help`` stays quick.

``register export|import|bulletin`` (interfaces.md revision 2).  Like the rest of the command line,
these functions print; the work is in the modules of :mod:`kpt_audit.register`.
"""
from __future__ import annotations

import sys

from ..errors import ExitCode
from ..messages import text


def add_parsers(sub, lang: str = "zh") -> None:
    """Add this area's sub-commands to the ``kpt-audit`` parser's sub-parsers (help in ``lang``, the command
    line's language)."""
    def h(key: str) -> str:
        return text(f"cli.register.{key}", lang)

    r = sub.add_parser("register", help=h("help"), description=h("help"))
    actions = r.add_subparsers(dest="register_command", required=True)

    e = actions.add_parser("export", help=h("export"), description=h("export"))
    e.add_argument("reg", metavar="REG", help=h("reg"))
    e.add_argument("--out", required=True, help=h("export.out"))
    e.add_argument("--county", action="append", default=[], help=h("county"))

    i = actions.add_parser("import", help=h("import"), description=h("import"))
    i.add_argument("reg", metavar="REG", help=h("reg"))
    i.add_argument("file", metavar="FILE.xlsx", help=h("file"))
    i.add_argument("--by", required=True, help=h("by"))

    b = actions.add_parser("bulletin", help=h("bulletin"), description=h("bulletin"))
    b.add_argument("reg", metavar="REG", help=h("reg"))
    b.add_argument("--out", required=True, help=h("bulletin.out"))
    b.add_argument("--period", help=h("period"))
    b.add_argument("--template", help=h("template"))


def _lang(a) -> str:
    return getattr(a, "lang", None) or "zh"


def cmd_register(a) -> int:
    return {"export": _export, "import": _import, "bulletin": _bulletin}[a.register_command](a)


def _export(a) -> int:
    from .workbook import export_workbook

    path, rows = export_workbook(a.reg, a.out, counties=a.county)
    print(text("cli.register.exported", _lang(a), rows=rows, path=path))
    return ExitCode.OK


def _import(a) -> int:
    from .workbook import import_workbook

    done = import_workbook(a.reg, a.file, by=a.by)
    for number, fields in done.changed.items():
        print(f"{number}: {', '.join(fields)}")
    print(text("cli.register.changed", _lang(a), n=len(done.changed), by=a.by))
    if done.conflicts:
        print(text("cli.register.conflicts", _lang(a), n=len(done.conflicts), rows=", ".join(done.conflicts)),
              file=sys.stderr)
        return ExitCode.REGISTER_CONFLICT
    return ExitCode.OK


def _bulletin(a) -> int:
    from .bulletin import write_bulletin

    done = write_bulletin(a.reg, a.out, period=a.period, template=a.template)
    print(text("cli.register.written", _lang(a), period=done.period, html=done.html, docx=done.docx))
    return ExitCode.OK


COMMANDS: dict = {"register": cmd_register}
