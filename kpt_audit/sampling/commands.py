"""The ``kpt-audit`` sub-commands of this area: their parsers and what each runs.

``kpt_audit.cli`` calls :func:`add_parsers` and merges :data:`COMMANDS` (name → function of the
parsed arguments returning an exit code); heavy imports stay inside the functions so that
``kpt-audit --help`` stays quick.
"""
from __future__ import annotations


def add_parsers(sub) -> None:
    """Add this area's sub-commands to the ``kpt-audit`` parser's sub-parsers."""


COMMANDS: dict = {}
