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


# help and output of these sub-commands in the command line's language (zh by default)
TEXTS: dict[str, dict[str, str]] = {
    "help": {"zh": "问题整改台账：导出供编辑、导回、季通报",
             "en": "the register of findings: export for editing, import, quarterly bulletin"},
    "reg": {"zh": "整改台账：文件（SQLite）或 postgresql:// 地址", "en": "the register: a file (SQLite) or a postgresql:// URL"},
    "export": {"zh": "导出供核实整改填写的工作簿：每个县区一张表，仅可编辑列未锁定",
               "en": "write a workbook to edit: one sheet per county, editable columns unlocked"},
    "export.out": {"zh": "要写入的工作簿（.xlsx）", "en": "the workbook to write (.xlsx)"},
    "county": {"zh": "仅此县区（可重复）", "en": "only this county (repeatable)"},
    "import": {"zh": "导回填写后的工作簿：有无效单元格则全部不导入；导出后台账中已被他人修改的行作为冲突拒绝（退出码 4）",
               "en": "read an edited workbook back: all or nothing for invalid cells; rows changed since the export "
                     "are refused as conflicts (exit 4)"},
    "file": {"zh": "由 register export 导出并填写后的工作簿", "en": "the workbook exported by register export, filled in"},
    "by": {"zh": "导入人（记入每一项变更）", "en": "who imports (kept with every change)"},
    "bulletin": {"zh": "季通报：各县区整改数据及排名、按责任单位列出逾期事项（HTML 和 Word）",
                 "en": "the quarterly bulletin: figures and ranking per county, overdue items by responsible unit, "
                       "as HTML and Word"},
    "bulletin.out": {"zh": "写入季通报的文件夹", "en": "folder to write the bulletin into"},
    "period": {"zh": "季度，如 2021Q3（默认：最近一次运行所在季度）",
               "en": "the quarter, e.g. 2021Q3 (default: that of the latest run)"},
    "template": {"zh": "替换内置模板的 Word 模板（.docx，docxtpl 格式）",
                 "en": "a Word template (.docx, docxtpl) replacing the shipped one"},
    "exported": {"zh": "已将 {rows} 条问题写入 {path}", "en": "{rows} findings written to {path}"},
    "changed": {"zh": "{by} 导入：{n} 条问题有变更", "en": "{n} findings changed by {by}"},
    "conflicts": {"zh": "kpt-audit: {n} 行作为冲突未导入（导出后台账中已被他人修改；请重新导出后再填写）：{rows}",
                  "en": "kpt-audit: {n} rows refused as conflicts (changed in the register since this workbook was "
                        "exported; export again and redo them): {rows}"},
    "written": {"zh": "季通报 {period}：{html}、{docx}", "en": "bulletin {period}: {html} and {docx}"},
}


def say(key: str, lang: str = "zh", **values) -> str:
    entry = TEXTS[key]
    return (entry.get(lang) or entry["zh"]).format(**values)


def add_parsers(sub, lang: str = "zh") -> None:
    """Add this area's sub-commands to the ``kpt-audit`` parser's sub-parsers (help in ``lang``, the command
    line's language)."""
    def h(key: str) -> str:
        return say(key, lang)

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
    print(say("exported", _lang(a), rows=rows, path=path))
    return ExitCode.OK


def _import(a) -> int:
    from .workbook import import_workbook

    done = import_workbook(a.reg, a.file, by=a.by)
    for number, fields in done.changed.items():
        print(f"{number}: {', '.join(fields)}")
    print(say("changed", _lang(a), n=len(done.changed), by=a.by))
    if done.conflicts:
        print(say("conflicts", _lang(a), n=len(done.conflicts), rows=", ".join(done.conflicts)), file=sys.stderr)
        return ExitCode.REGISTER_CONFLICT
    return ExitCode.OK


def _bulletin(a) -> int:
    from .bulletin import write_bulletin

    done = write_bulletin(a.reg, a.out, period=a.period, template=a.template)
    print(say("written", _lang(a), period=done.period, html=done.html, docx=done.docx))
    return ExitCode.OK


COMMANDS: dict = {"register": cmd_register}
