"""Reports: per-county slices, charts, tables, Excel, offline HTML and the explorer.

The notebooks in ``notebooks/`` only call :mod:`kpt_audit.report.county`,
:mod:`kpt_audit.report.rollup` and :func:`kpt_audit.explore`; ``kpt-audit run``
calls :func:`kpt_audit.report.slices.write_county_slices`,
:func:`kpt_audit.report.excel.write_findings_workbook` and
:func:`kpt_audit.report.html.notebook_to_html`.  Submodules are imported on
demand so that a notebook pays only for what it shows.
"""
