"""The register's messages in both languages: an error carries its Chinese and English text.

The command line shows :meth:`kpt_audit.errors.KptAuditError.text` in its language (Chinese by
default); ``str(error)`` stays the English text (logs, tests).  The words of the fields and their
values are in :mod:`.fields`.
"""
from __future__ import annotations


def error(cls, *, zh: str, en: str):
    """An instance of ``cls`` (a :class:`~kpt_audit.errors.KptAuditError`) saying ``en`` / ``zh``."""
    return cls(texts={"zh": zh, "en": en})


__all__ = ["error"]
