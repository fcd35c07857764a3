"""The register of findings across runs: verification, rectification, 销号 (issue 12; interfaces.md revision 2).

Modules (heavy imports stay inside functions, so ``kpt-audit --help`` stays quick):

* :mod:`.fields`: the editable fields, their Chinese names and values (no kpt_audit imports);
* :mod:`.models` and ``migrations/``: the tables (SQLAlchemy 2) and their Alembic migrations;
* :mod:`.store`: opening a register (SQLite path or PostgreSQL URL), one writer at a time;
* :mod:`.record`: recording a run (``check``/``run --register``);
* :mod:`.edit`: the one validation and writer of the editable fields (import, explorer);
* :mod:`.workbook`: ``register export`` / ``register import``;
* :mod:`.summary`: what the reports show, as DataFrames; :mod:`.bulletin`: ``register bulletin``;
* :mod:`.commands`: the sub-commands' parsers.

Its words in both languages are the ``register.*`` and ``cli.register.*`` entries of the message
catalogue (:mod:`kpt_audit.messages`); its errors are raised with their key.
"""
