"""OCDS (Open Contracting Data Standard) input: reader, merge, mapping onto the canonical tables.

The OCP red-flag indicators live in :mod:`kpt_audit.ocds.indicators`; the
``kpt-audit ocds`` command in :mod:`kpt_audit.ocds.run`.
"""
from .mapping import CountyMap, load_ocds, map_method, map_releases
from .merge import compile_releases
from .reader import ReadLog, iter_releases, read_ocds

__all__ = ["iter_releases", "read_ocds", "ReadLog", "compile_releases", "load_ocds", "map_releases",
           "map_method", "CountyMap"]
