"""Canonical table definitions (see ``tables.py``)."""
from .tables import PERSONAL_COLUMNS, TABLES, Column, Table

__all__ = ["TABLES", "Table", "Column", "PERSONAL_COLUMNS"]
