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


def add_parsers(sub, lang: str = "zh") -> None:
    """Add this area's sub-commands to the ``kpt-audit`` parser's sub-parsers (help in ``lang``, the command
    line's language)."""
    r = sub.add_parser("register", help="the register of findings: export for editing, import, quarterly bulletin")
    actions = r.add_subparsers(dest="register_command", required=True)
    reg_help = "the register: a file (SQLite) or a postgresql:// URL"

    e = actions.add_parser("export", help="write a workbook to edit: one sheet per county, editable columns unlocked")
    e.add_argument("reg", metavar="REG", help=reg_help)
    e.add_argument("--out", required=True, help="the workbook to write (.xlsx)")
    e.add_argument("--county", action="append", default=[], help="only this county (repeatable)")

    i = actions.add_parser("import", help="read an edited workbook back: all or nothing for invalid cells; "
                                          "rows changed since the export are refused as conflicts (exit 4)")
    i.add_argument("reg", metavar="REG", help=reg_help)
    i.add_argument("file", metavar="FILE.xlsx")
    i.add_argument("--by", required=True, help="who imports (kept with every change)")

    b = actions.add_parser("bulletin", help="the quarterly bulletin (季通报): figures and ranking per county, "
                                            "overdue items by responsible unit, as HTML and Word")
    b.add_argument("reg", metavar="REG", help=reg_help)
    b.add_argument("--out", required=True, help="folder to write the bulletin into")
    b.add_argument("--period", help="the quarter, e.g. 2021Q3 (default: that of the latest run)")
    b.add_argument("--template", help="a Word template (.docx, docxtpl) replacing the shipped one")


def cmd_register(a) -> int:
    return {"export": _export, "import": _import, "bulletin": _bulletin}[a.register_command](a)


def _export(a) -> int:
    from .workbook import export_workbook

    path, rows = export_workbook(a.reg, a.out, counties=a.county)
    print(f"{rows} findings written to {path}")
    return ExitCode.OK


def _import(a) -> int:
    from .workbook import import_workbook

    done = import_workbook(a.reg, a.file, by=a.by)
    for number, fields in done.changed.items():
        print(f"{number}: {', '.join(fields)}")
    print(f"{len(done.changed)} findings changed by {a.by}")
    if done.conflicts:
        print(f"kpt-audit: {len(done.conflicts)} rows refused as conflicts (changed in the register since this "
              f"workbook was exported; export again and redo them): {', '.join(done.conflicts)}", file=sys.stderr)
        return ExitCode.REGISTER_CONFLICT
    return ExitCode.OK


def _bulletin(a) -> int:
    from .bulletin import write_bulletin

    done = write_bulletin(a.reg, a.out, period=a.period, template=a.template)
    print(f"bulletin {done.period}: {done.html} and {done.docx}")
    return ExitCode.OK


COMMANDS: dict = {"register": cmd_register}
