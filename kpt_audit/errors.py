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
what is wrong, where, and how to fix it.  An error a user meets first (a bad
audit date, a params file, a folder or file that cannot be read) is raised
with ``key=`` and its values: ``str(error)`` is then the English text (stable
for logs and tests) and :meth:`KptAuditError.text` gives it in the command
line's language from the message catalogue.  This module imports only
:mod:`kpt_audit.messages` (which imports nothing of kpt_audit), so any module
may raise these.
"""
from __future__ import annotations

from enum import IntEnum

from .messages import LANGS, text as _catalogue_text


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

    def __init__(self, message="", *, key: str | None = None, **values):
        """``message`` as written, or the catalogue entry ``key`` formatted with ``values`` (a value may be
        a function of the language, for a part that is itself worded per language)."""
        # Both languages are rendered now, as text, so that the error still pickles (worker processes).
        self.texts = {lang: _render(key, lang, values) for lang in LANGS} if key else {}
        super().__init__(self.texts["en"] if self.texts else " ".join(str(message).split()))

    def text(self, lang: str = "zh") -> str:
        """The message in ``lang`` (an error raised without a key has its one message)."""
        return self.texts.get(lang) or str(self)



def _render(key: str, lang: str, values: dict) -> str:
    values = {"formats": _catalogue_text("as_of_formats", lang),
              **{k: v(lang) if callable(v) else v for k, v in values.items()}}
    return " ".join(_catalogue_text(key, lang, **values).split())


class UsageError(KptAuditError, ValueError):
    """Bad arguments: an unknown county, an impossible option value, a missing previous run (exit 2)."""

    exit_code = ExitCode.USAGE


class ParamsError(UsageError):
    """A params file that cannot be used; the message names the file and key (exit 2)."""


AS_OF_FORMATS = _catalogue_text("as_of_formats", "en")


class MissingAsOfError(UsageError):
    """No audit date: neither ``--as-of`` (the ``as_of`` argument) nor ``as_of:`` in a params file (exit 2)."""

    def __init__(self, message=None):
        if message:
            super().__init__(message)
        else:
            super().__init__(key="err.missing_as_of")


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
