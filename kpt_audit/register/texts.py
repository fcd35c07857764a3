"""The register's messages in both languages: an error carries its Chinese and English text.

The command line shows :meth:`kpt_audit.errors.KptAuditError.text` in its language (Chinese by
default); ``str(error)`` stays the English text (logs, tests).  The words of the fields and their
values are in :mod:`.fields`.
"""
from __future__ import annotations


def error(cls, *, zh: str, en: str):
    """An instance of ``cls`` (a :class:`~kpt_audit.errors.KptAuditError`) saying ``en`` / ``zh``."""
    exc = cls(en)
    exc.texts = {"zh": " ".join(zh.split()), "en": str(exc)}
    return exc


__all__ = ["error"]
