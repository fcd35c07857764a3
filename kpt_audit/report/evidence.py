"""Evidence: the source rows each finding rests on, where they came from, and their text for a 取证单.

A finding says *which* entity (``entity_type``, ``entity_id``), of which project
(``project_id``), and quotes its values (``values``); its check names the
tables it reads (``inputs`` and ``optional``).  The rows quoted as evidence are,
in the entity's own table and each of those (:meth:`Evidence.finding_rows`):

1. **the entity's own row**: a tender's row in tenders, a project's in projects,
   each member of a group (``A+B``), a supplier's row by its id, a DQ01 cell's
   row, a target's row by project and indicator;
2. **rows that refer to the entity**: a column holding its key, by name or by the
   schema's foreign keys (a contract's payments and changes, a tender's bids, a
   supplier's bids as ``bidder_id``, a project's funds, contracts and payments);
3. **rows whose key the finding quotes** (PRO16's purchases, COS06's earlier
   payment, PRO12's winner);
4. where a table cannot refer to the entity at all, **the rows of the finding's
   project** (the project row of a contract's finding).

Rows dated after the audit date are left out, as the checks leave them out
(``checks.context.as_of_view``).  A county-wide finding (COS09) quotes no row:
its evidence is the files themselves.  At most :data:`MAX_ROWS` rows per
finding and table are listed; ``matched`` says how many there were.

Each row carries its origin as the loader recorded it (``Dataset.origin``):
file, sheet and row number as the auditor sees it in Excel (the header is row 1
of a plain CSV), and the file's sha256 (``Dataset.sources``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from ..findings import entity_keys

MAX_ROWS = 20
EVIDENCE_COLUMNS = ["finding_id", "finding_no", "table", "label", "file", "sheet", "row", "sha256", "link",
                    "matched"]
# how a row was reached (the codes of the ``link`` column; messages ``evidence.link.*`` say them in words)
OWN, REFERS, QUOTED, PROJECT = "entity", "refers", "quoted", "project"
def entity_rows(entity_type: str, entity_id: str) -> tuple[str, dict[str, set[str]]] | None:
    """(table, {column: ids}) of the entity's own row(s) (:func:`~kpt_audit.findings.entity_keys`); None when
    it has none (a buyer's group) or is a county (the evidence of a county's finding is its project's)."""
    return None if entity_type == "county" else entity_keys(entity_type, entity_id)


def quoted_ids(values) -> set[str]:
    """The strings (and strings in lists) a finding's values quote: ids the evidence may look up."""
    if isinstance(values, str):
        try:
            values = json.loads(values) if values else {}
        except ValueError:
            return set()
    if not isinstance(values, dict):
        return set()
    out: set[str] = set()
    for v in values.values():
        if isinstance(v, str) and v:
            out.add(v)
        elif isinstance(v, list):
            out |= {x for x in v if isinstance(x, str) and x}
    return out


@dataclass
class _Index:
    """Row labels by value of one column, over the rows the checks saw (built once per column)."""

    frame: pd.DataFrame
    cache: dict = field(default_factory=dict)

    def labels(self, column: str, ids) -> list:
        if column not in self.frame:
            return []
        if column not in self.cache:
            groups = self.frame.groupby(self.frame[column].astype("string"), sort=False).indices
            index = self.frame.index
            self.cache[column] = {k: index[v] for k, v in groups.items()}
        found = [self.cache[column].get(i) for i in ids]
        return [label for part in found if part is not None for label in part]


class Evidence:
    """The source rows of findings in one dataset (``tables`` as loaded, ``as_of`` the audit date)."""

    def __init__(self, dataset, as_of, checks=None):
        from ..checks import all_checks
        from ..checks.context import as_of_view
        from ..schema import TABLES

        self.dataset = dataset
        self.checks = checks if checks is not None else all_checks()
        tables = getattr(dataset, "tables", {}) or {}
        seen = as_of_view(tables, pd.Timestamp(as_of)) if as_of is not None else tables
        self.indexes = {name: _Index(frame) for name, frame in seen.items()}
        self.schema = TABLES
        sources = getattr(dataset, "sources", None)
        self.sha256 = {}
        if sources is not None and len(sources):
            for table, sha in zip(sources["table"].astype(str), sources["sha256"].astype(str)):
                self.sha256.setdefault(table, sha)

    def tables_of(self, check_id: str) -> list[str]:
        """The tables a check reads (inputs, then optional ones), in its own order."""
        spec = self.checks.get(check_id)
        if spec is None:
            return []
        names = list(spec.inputs) + [t for t, _ in spec.optional]
        return [t for t in dict.fromkeys(names) if t in self.indexes]

    def _referring(self, table: str, own_table: str, own_keys: dict[str, set[str]]) -> list[str]:
        """The columns of ``table`` that can hold the entity's (first) key."""
        if not own_keys:
            return []
        key, _ = next(iter(own_keys.items()))
        columns = [key] if key in self.indexes[table].frame else []
        schema = self.schema.get(table)
        for column, parent, parent_column in (schema.foreign_keys if schema else ()):
            if parent == own_table and parent_column == key and column not in columns:
                columns.append(column)
        return columns

    def finding_rows(self, finding) -> list[tuple[str, list, str]]:
        """[(table, row labels, link)] for one finding (a mapping with check_id, entity_type,
        entity_id, project_id and optionally values), at most one entry per table and link."""
        own = entity_rows(finding.get("entity_type"), finding.get("entity_id"))
        own_table, own_keys = own if own else (None, {})
        quoted = quoted_ids(finding.get("values"))
        project = finding.get("project_id")
        project = project if isinstance(project, str) and project else None
        out = []
        tables = ([own_table] if own_table in self.indexes else []) + self.tables_of(finding.get("check_id"))
        for table in dict.fromkeys(tables):
            index = self.indexes[table]
            taken: list = []
            if table == own_table:
                rows = None
                for column, ids in own_keys.items():
                    hit = set(index.labels(column, ids))
                    rows = hit if rows is None else rows & hit
                if rows:
                    taken.append((sorted(rows), OWN))
            referring = [] if table == own_table else self._referring(table, own_table, own_keys)
            if referring:
                ids = next(iter(own_keys.values()))
                hit = sorted({label for c in referring for label in index.labels(c, ids)})
                if hit:
                    taken.append((hit, REFERS))
            schema = self.schema.get(table)
            if quoted and schema is not None and len(schema.key) == 1:
                hit = sorted(set(index.labels(schema.key[0], quoted)) - {x for rows, _ in taken for x in rows})
                if hit:
                    taken.append((hit, QUOTED))
            if not referring and table != own_table and project and own_table is not None:
                hit = sorted(set(index.labels("project_id", [project])) - {x for rows, _ in taken for x in rows})
                if hit:
                    taken.append((hit, PROJECT))
            out += [(table, rows, link) for rows, link in taken]
        return out

    def frame(self, findings: pd.DataFrame, max_rows: int = MAX_ROWS) -> pd.DataFrame:
        """One row per (finding, source row): :data:`EVIDENCE_COLUMNS`, findings in their order."""
        records = []
        for f in findings.to_dict("records"):
            for table, labels, link in self.finding_rows(f):
                where = self.dataset.where(table, labels[:max_rows]) if table in self.dataset.tables else None
                for i, label in enumerate(labels[:max_rows]):
                    # tables built without a file (OCDS) have no origin: their place is left blank
                    origin = where.iloc[i].to_dict() if where is not None and len(where) > i else {}
                    records.append({
                        "finding_id": f.get("finding_id"), "finding_no": f.get("finding_no"), "table": table,
                        "label": label, "file": _text(origin.get("file")), "sheet": _text(origin.get("sheet")),
                        "row": None if _missing(origin.get("row")) else int(origin["row"]),
                        "sha256": self.sha256.get(table, ""), "link": link, "matched": len(labels)})
        out = pd.DataFrame.from_records(records, columns=EVIDENCE_COLUMNS)
        out["row"] = out["row"].astype("Int64")
        out["matched"] = out["matched"].astype("int64")
        return out


class _Asked(_Index):
    """An index that finds nothing and writes down what it is asked: {column: values}."""

    def __init__(self, frame: pd.DataFrame, asked: dict):
        super().__init__(frame)
        self.asked = asked

    def labels(self, column: str, ids) -> list:
        if column in self.frame:
            self.asked.setdefault(column, set()).update(i for i in ids if isinstance(i, str))
        return []


def evidence_lookups(findings: pd.DataFrame, columns: dict[str, list[str]], checks=None) -> dict[str, dict[str, set]]:
    """{table: {column: values}}: what the evidence of ``findings`` looks up in tables of ``columns`` (their
    names), so that of data too large to hold (split on disk) only the rows that hold those values are
    read, and :class:`Evidence` on them gives what it gives on the whole.  It asks the same
    :meth:`Evidence.finding_rows` (no look-up there depends on what an earlier one found)."""
    evidence = Evidence(None, None, checks)
    asked: dict[str, dict[str, set]] = {}
    evidence.indexes = {name: _Asked(pd.DataFrame(columns=list(cols)), asked.setdefault(name, {}))
                        for name, cols in columns.items()}
    for finding in findings.to_dict("records"):
        evidence.finding_rows(finding)
    return {name: wanted for name, wanted in asked.items() if wanted}


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _text(value) -> str:
    return "" if _missing(value) else str(value)


def finding_evidence(findings: pd.DataFrame, dataset, as_of, max_rows: int = MAX_ROWS) -> pd.DataFrame:
    """:data:`EVIDENCE_COLUMNS` for ``findings`` (the rows of ``run_checks``, with ``values``)."""
    return Evidence(dataset, as_of).frame(findings, max_rows)


def _cell_text(column, value, lang: str) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    kind = column.kind if column is not None else "text"
    if kind == "amount":
        return f"{float(value):,.2f}" + ("元" if lang != "en" else " yuan")
    if kind == "date" or isinstance(value, pd.Timestamp):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "bool":
        return ("是" if value else "否") if lang != "en" else ("yes" if value else "no")
    if kind == "enum" and lang != "en":
        return str(column.value_zh(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def quote_rows(dataset, table: str, labels, masker=None, lang: str = "zh") -> list[str]:
    """Each row as '表头：值；…' (the ledger's Chinese headers in zh), personal data masked by ``masker``."""
    from ..schema import TABLES
    from .slices import mask_table

    frame = dataset.tables[table].loc[list(labels)]
    if masker is not None:
        frame = mask_table(masker, table, frame)
    schema = TABLES.get(table)
    columns = {c.name: c for c in schema.columns} if schema else {}
    sep, colon = ("；", "：") if lang != "en" else ("; ", ": ")
    out = []
    for _, row in frame.iterrows():
        parts = []
        for name, value in row.items():
            shown = _cell_text(columns.get(name), value, lang)
            if shown:
                label = columns[name].label_zh if name in columns and lang != "en" else name
                parts.append(f"{label}{colon}{shown}")
        out.append(sep.join(parts))
    return out


__all__ = ["Evidence", "evidence_lookups", "finding_evidence", "quote_rows", "entity_rows", "quoted_ids", "EVIDENCE_COLUMNS",
           "MAX_ROWS", "OWN", "REFERS", "QUOTED", "PROJECT"]
