"""Audit sampling for field verification: monetary-unit and stratified samples (issue 13)."""
