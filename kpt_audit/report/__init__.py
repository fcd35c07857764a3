"""Reports: per-county slices, charts, tables, Excel, offline HTML and the explorer.

The notebooks in ``notebooks/`` only call :mod:`kpt_audit.report.county`,
:mod:`kpt_audit.report.rollup` and :func:`kpt_audit.explore`.  ``kpt-audit run``
and ``kpt-audit ocds`` call :func:`kpt_audit.report.runner.render_reports`, which
writes the workbook (:mod:`~kpt_audit.report.excel`) and the county slices
(:mod:`~kpt_audit.report.slices`) and runs one notebook per county and the
roll-up in worker processes (HTML by :mod:`~kpt_audit.report.html`).
Submodules are imported on demand so that a notebook pays only for what it
shows.
"""
