"""The exit codes of ``kpt-audit`` and every error the command line turns into one.

The exit codes are those of interfaces.md (revision 2), defined here once as
:class:`ExitCode`.  Library code raises the errors below, or returns a result
the command line reads (the failed counties of a batch); only
``kpt_audit.cli`` prints them and chooses the exit code:

====  ===================  ====================================================
code  name                 when
====  ===================  ====================================================
0     OK                   done (warnings included)
1     BAD_DATA             :class:`BadDataError`: a data folder or input file
                           that cannot be used (:class:`LoadError`), nothing
                           written
2     USAGE                :class:`UsageError`: options, a params file that
                           fails validation (:class:`ParamsError`), an unknown
                           ``--county``, a missing audit date
                           (:class:`MissingAsOfError`), an OCP settings file
                           that cannot be used (:class:`SettingsError`)
3     SOME_FAILED          some counties' reports failed (the rest complete)
4     REGISTER_CONFLICT    register rows refused as conflicts (others imported)
5     INTERNAL             anything else: a defect of ours (one paragraph; the
                           traceback only with ``--debug``)
====  ===================  ====================================================

Every message is one paragraph (line breaks are folded into spaces), naming
what is wrong, where, and how to fix it.  This module imports nothing of
kpt_audit, so any module may raise these.
"""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    BAD_DATA = 1
    USAGE = 2
    SOME_FAILED = 3
    REGISTER_CONFLICT = 4
    INTERNAL = 5


class KptAuditError(Exception):
    """An error reported to the user as one paragraph; ``exit_code`` is what the command line exits with."""

    exit_code = ExitCode.INTERNAL

    def __init__(self, message=""):
        super().__init__(" ".join(str(message).split()))


class UsageError(KptAuditError, ValueError):
    """Bad arguments: an unknown county, an impossible option value, a missing previous run (exit 2)."""

    exit_code = ExitCode.USAGE


class ParamsError(UsageError):
    """A params file that cannot be used; the message names the file and key (exit 2)."""


AS_OF_FORMATS = "2020-09-30, 2020/9/30 or 2020年9月30日"


class MissingAsOfError(UsageError):
    """No audit date: neither ``--as-of`` (the ``as_of`` argument) nor ``as_of:`` in a params file (exit 2)."""

    def __init__(self, message=None):
        super().__init__(message or (
            "no audit date (审计基准日): give it with --as-of DATE (a full date: "
            f"{AS_OF_FORMATS}) or as 'as_of: 2020-09-30' in a params file given with --params FILE; "
            "the shipped params/default.yaml sets none."))


class SettingsError(UsageError):
    """An OCP indicator settings file (``--settings``) that cannot be used: unknown key, wrong type … (exit 2)."""


class RegisterError(UsageError):
    """A register (``--register REG``) that cannot be used: not a register, made by a newer kpt-audit,
    or locked by someone else's write for too long (exit 2)."""


class BadDataError(KptAuditError, ValueError):
    """Bad data or an invalid input file; nothing was written (exit 1)."""

    exit_code = ExitCode.BAD_DATA


class LoadError(BadDataError):
    """A dataset that cannot be loaded: the message names the file (and column) and how to fix it.

    Raised for: a file that cannot be read at all, no ``projects`` table, a
    required column missing, two files for one table, two headers for one
    column, an empty (0-byte) table file, an OCDS path with no OCDS file.
    Row-level problems never raise: they become rejections or warnings.
    """


__all__ = ["ExitCode", "KptAuditError", "UsageError", "ParamsError", "MissingAsOfError", "SettingsError",
           "RegisterError", "BadDataError", "LoadError", "AS_OF_FORMATS"]
