"""DQ01–02: data quality (数据质量; checks.md revision 2, area ``data``).

A finding about a project must never rest on a value the loader could not read.
Such a cell — a non-empty cell of an optional date, number or boolean column that
could not be parsed — is emptied with a warning by the loader and remembered as
*unknown* (``ctx.unknown``: table, row label, column, value); the checks whose
finding would rest on it leave that entity unjudged, and DQ01 reports the cell
itself.  DQ02 reports a project whose status contradicts its own dates.

DQ01 reads the tables *as loaded* (``ctx.raw``): a cell is unreadable whatever its date.
DQ02 reads the as-of view, as every other check (checks.md: a start or completion dated
after as_of has not happened yet), so a project 在建 whose start is dated after as_of has
no start on the audit date.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema.tables import TABLES
from .context import Context
from .frames import lookup, optional_column, project_county, unreadable
from .registry import NotRun, check, partly_judged

# the kinds of column whose unreadable cells are unknown values (a date, a number, a boolean)
VALUE_KINDS = ("date", "month", "amount", "number", "int", "bool")
# where a row with no project_id of its own finds its project (and county): its parent row
PARENT = {"bids": ("tenders", "tender_id"), "contract_changes": ("contracts", "contract_id")}

DQ01_DETAIL = {
    "at": {"zh": "{source}第{row:int}行（{key}）{header}“{value}”无法识别，已按空值载入，依赖该值的检查未据此判定",
           "en": "{source} row {row:int} ({key}): {header} '{value}' could not be read; loaded as empty, and no "
                 "check judged on it"},
    "bare": {"zh": "{key}：{header}“{value}”无法识别，已按空值载入，依赖该值的检查未据此判定",
             "en": "{key}: {header} '{value}' could not be read; loaded as empty, and no check judged on it"},
}


def _reported(table: str, column: str) -> bool:
    """Whether an unreadable cell of ``table.column`` is one DQ01 reports: an optional column of
    a date, number or boolean kind (a required one rejects its row; an enum stays a warning)."""
    spec = TABLES.get(table)
    if spec is None or column not in spec.column_names:
        return False
    col = spec.column(column)
    return not col.required and col.kind in VALUE_KINDS


def _sources(ctx: Context, table: str, labels: pd.Index) -> pd.DataFrame:
    """Per row label: ``source`` (file, with its sheet) and ``row`` as the auditor sees them
    (NaN / None where the origin is not known)."""
    origin = ctx.origin.get(table) if ctx.origin else None
    if origin is None or not len(labels):
        return pd.DataFrame({"source": pd.Series(None, index=labels, dtype="object"),
                             "row": pd.Series(np.nan, index=labels, dtype="float64")})
    # a row with two unreadable cells appears twice among the labels: look each label up on its own
    o = origin.reindex(labels)
    sheet = o["sheet"] if "sheet" in o else pd.Series("", index=o.index)
    source = [None if pd.isna(f) else f if s is None or pd.isna(s) or s == "" else f"{f} [{s}]"
              for f, s in zip(o["file"].astype("object"), sheet.astype("object"))]
    return pd.DataFrame({"source": source, "row": pd.to_numeric(o["row"], errors="coerce").astype("float64").to_numpy()},
                        index=labels)


def _project_and_county(ctx: Context, table: str, rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(project_id, county) of each row: its own project, else its parent's (a bid's tender, a change's
    contract); its own county, else its project's (checks.md: "its row's county, else the county of its
    row's project"), else its parent's (a bid of a tender with no project: the tender's county)."""
    county = optional_column(rows, "county").astype("object")
    project = optional_column(rows, "project_id").astype("object")
    if table in PARENT:
        parent_table, link = PARENT[table]
        parent = ctx.raw.get(parent_table)
        if parent is not None and link in parent and link in rows:
            parent = parent.drop_duplicates(link).set_index(link)
            keys = rows[link]
            if "project_id" in parent:
                project = project.where(project.notna(), keys.map(parent["project_id"]).astype("object"))
            if "county" in parent:
                of_project = lookup(project, project_county(ctx)).astype("object")
                county = county.where(county.notna(), of_project)
                county = county.where(county.notna(), keys.map(parent["county"]).astype("object"))
    return project, county


@check("DQ01", "unreadable-value", area="data", severity="low", entity_type="cell",
       inputs={},
       basis="台账数据不实/不规范",
       condition={
           "zh": "台账中选填的日期、金额（数值）或是否类栏目中，非空单元格的内容无法识别（如“2021年13月1日”“约3000”）的，逐格列出；该值按空值载入，"
                 "任何检查都不以该值为空、以替代值代替或以其早于（晚于）其他日期为由对相应事项作出判定。“无”“-”“/”“不详”“N/A”等视为空值，不列入；"
                 "枚举类栏目（如项目状态）的未知取值只作提示，不列入；必填栏目无法识别的，该行被拒收，另见数据质量台账。按载入的台账判断，不受审计基准日影响。",
           "en": "A non-empty cell of an optional date, number (amount) or boolean column that the loader could not "
                 "parse (e.g. 2021年13月1日, 约3000), one finding per cell; the value is loaded as empty and no check "
                 "judges an entity on it being absent, on a fallback used in its place or on its order with another "
                 "date. Empty-equivalents (无, -, /, 不详, N/A) are empty, not unreadable; an unknown value of an "
                 "optional enum column stays a warning; an unreadable required value rejects its row (see the data "
                 "ledger). Judged on the tables as loaded, whatever the audit date."},
       amount={"zh": "不计金额", "en": "no amount"},
       title={"zh": "台账数据无法识别", "en": "Unreadable value"},
       detail=DQ01_DETAIL)
def unreadable_value(ctx: Context) -> pd.DataFrame:
    """One finding per unknown cell; entity ``table|key|column`` (checks.md, DQ01).

    * key: the row's key values (``TABLES[table].key``: the ``*_id`` of each table;
      progress project_id, month; targets project_id, indicator; bids tender_id, bidder_id)
      in their loaded, canonical form, joined by ``,``; contract_changes have no key:
      ``row`` + the row number in the source file as the auditor sees it (header row 1),
      from ``ctx.origin``.  A contract_changes cell whose origin is not known cannot be
      named and is counted as not judged.
    * county: the row's own county, else (bids) its tender's, else the county of the row's
      project — its own project_id, or its parent's (a bid's tender, a change's contract).
      Decision: the spec names the row's county and its project's; a bid has neither, and it
      is reported where a cell of its tender would be.
    * the cells come from the loader (``ctx.unknown``); only optional date, number and boolean
      columns are reported (the loader remembers nothing else, but DQ01 does not rely on it).
    """
    u = ctx.unknown
    if u is None or not len(u):
        return pd.DataFrame()
    parts, unjudged = [], []
    for table, cells in u.groupby("table", sort=True):
        df = ctx.raw.get(table)
        if df is None:
            continue
        cells = cells[[_reported(table, c) for c in cells["column"]]]
        cells = cells[cells["row"].isin(df.index)]
        if cells.empty:
            continue
        labels = pd.Index(cells["row"].tolist())
        rows = df.loc[labels]
        where = _sources(ctx, table, labels)
        key_columns = list(TABLES[table].key)
        if key_columns:
            key = rows[key_columns].astype("str").agg(",".join, axis=1).to_numpy()
        else:  # contract_changes: the source row
            key = np.array([None if pd.isna(r) else f"row{int(r)}" for r in where["row"]], dtype=object)
        named = pd.notna(key)
        project, county = _project_and_county(ctx, table, rows)
        unjudged.append(pd.Series(county.to_numpy()[~named], dtype="object"))
        spec = TABLES[table]
        columns = cells["column"].to_numpy()
        part = pd.DataFrame({
            "entity_id": [f"{table}|{k}|{c}" for k, c in zip(key, columns)],
            "project_id": project.to_numpy(),
            "county": county.to_numpy(),
            "variant": np.where(where["source"].notna() & where["row"].notna(), "at", "bare"),
            "source": where["source"].to_numpy(),
            "row": pd.array([None if pd.isna(r) else int(r) for r in where["row"]], dtype="object"),
            "key": key,
            "header": [spec.column(c).aliases[0] if spec.column(c).aliases else c for c in columns],
            "value": cells["value"].astype("object").where(cells["value"].notna(), "").astype("str").to_numpy(),
        })
        parts.append(part[named])
    found = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if len(found):
        # one finding per cell, should the loader name a cell twice
        found = found.drop_duplicates("entity_id").sort_values("entity_id", kind="stable")
    held = pd.concat(unjudged, ignore_index=True) if unjudged else pd.Series(dtype="object")
    return partly_judged(found.reset_index(drop=True), entities=held)


# ---------------------------------------------------------------------------- DQ02

STARTED = ("under_construction", "completed", "in_operation")
FINISHED = ("completed", "in_operation")


@check("DQ02", "status-contradicts-dates", area="data", severity="low", entity_type="project",
       inputs={"projects": ("project_id", "status")},
       optional=(("projects", "actual_start"), ("projects", "actual_completion"), ("projects", "acceptance_date"),
                 ("projects", "county")),
       basis="台账数据不实",
       condition={
           "zh": "截至审计基准日，项目状态与台账所载日期相互矛盾的：状态为在建、竣工或投产，却没有不晚于审计基准日的实际开工日期；状态为未开工，实际开工日期却不晚于审计基准日；"
                 "状态为竣工或投产，却既无实际竣工日期也无竣工验收日期（晚于审计基准日的日期视为尚未发生）。无法识别的日期既不视为已填写也不视为未填写，相应情形不予判定，计入部分未判定数。"
                 "台账缺少某一日期栏目的，相应情形不判断（缺少实际竣工日期或竣工验收日期任一栏目即不判断第三种情形），"
                 "三种情形均无法判断的，本检查不运行。开工的认定以日期为准，逾期未开工等检查照常列出，与本项并列。",
           "en": "A project whose status contradicts its own dates: status under_construction, completed or in_operation "
                 "with no actual_start; status not_started with an actual_start on or before as_of; or status "
                 "completed/in_operation with neither actual_completion nor acceptance_date; as everywhere, a date after "
                 "as_of has not happened yet. An unreadable date is "
                 "neither present nor absent: that clause is not judged (counted as partly judged). A clause whose "
                 "date column is absent is not "
                 "judged (the third needs both actual_completion and acceptance_date), and with none left the check "
                 "is not run. A start is proven by a date: EXE01 and EXE05 still fire beside it."},
       amount={"zh": "不计金额", "en": "no amount"},
       title={"zh": "项目状态与日期矛盾", "en": "Status contradicts dates"},
       detail={  # which clause: no start, a start under not_started, no completion, or no start and no completion
           "no_start": {"zh": "项目状态为{status:status}，但截至审计基准日{as_of:day}没有实际开工日期",
                        "en": "Status {status:status}, but no actual start date on or before the audit date {as_of:day}"},
           "started": {"zh": "项目状态为{status:status}，但实际开工日期为{start:day}（不晚于审计基准日{as_of:day}）",
                       "en": "Status {status:status}, but it started on {start:day} (on or before the audit date "
                             "{as_of:day})"},
           "no_completion": {"zh": "项目状态为{status:status}，但截至审计基准日{as_of:day}既无实际竣工日期也无竣工验收日期",
                             "en": "Status {status:status}, but neither an actual completion date nor an "
                                   "acceptance date on or before the audit date {as_of:day}"},
           "no_start_no_completion": {"zh": "项目状态为{status:status}，但截至审计基准日{as_of:day}既无实际开工日期，"
                                            "也无实际竣工日期和竣工验收日期",
                                      "en": "Status {status:status}, but on or before the audit date {as_of:day} no "
                                            "actual start date, and neither an actual completion date nor an "
                                            "acceptance date"}})
def status_contradicts_dates(ctx: Context) -> pd.DataFrame:
    """Decisions where the spec is silent:

    * the as-of view, as every check (checks.md: a start or completion dated after as_of has not
      happened yet): a status 在建 whose start is dated after as_of has no start on the audit date.
    * a clause whose column is absent from the ledger is not judged (absence of a column is
      not absence of a date); the third clause needs both columns.  None judgeable: not run.
    * an unreadable date (``ctx.unknown``) leaves its clause unjudged; a project is counted
      as not judged when a clause that applies to its status was left so and no other clause
      found a contradiction.
    * one finding per project; a completed project with neither start nor completion dates
      is one finding quoting both.
    """
    p = ctx["projects"]
    has = {c: c in p for c in ("actual_start", "actual_completion", "acceptance_date")}
    if not has["actual_start"] and not (has["actual_completion"] and has["acceptance_date"]):
        raise NotRun("projects: actual_start missing, and actual_completion or acceptance_date missing")
    status = p["status"]
    nat = pd.Series(pd.NaT, index=p.index, dtype="datetime64[ns]")
    no = pd.Series(False, index=p.index)
    start = p["actual_start"] if has["actual_start"] else nat
    start_unknown = unreadable(ctx, "projects", "actual_start", p) if has["actual_start"] else no
    started_status, finished_status = status.isin(STARTED), status.isin(FINISHED)

    no_start = started_status & start.isna() & ~start_unknown if has["actual_start"] else no
    started = (status == "not_started") & (start <= ctx.as_of) if has["actual_start"] else no
    unjudged = ((started_status | (status == "not_started")) & start_unknown) if has["actual_start"] else no
    if has["actual_completion"] and has["acceptance_date"]:
        end_unknown = (unreadable(ctx, "projects", "actual_completion", p)
                       | unreadable(ctx, "projects", "acceptance_date", p))
        neither = p["actual_completion"].isna() & p["acceptance_date"].isna()
        no_completion = finished_status & neither & ~end_unknown
        unjudged = unjudged | (finished_status & neither & end_unknown)
    else:
        no_completion = no
    hit = no_start | started | no_completion
    unjudged = unjudged & ~hit
    variant = np.select([no_start & no_completion, no_start, no_completion, started],
                        ["no_start_no_completion", "no_start", "no_completion", "started"], "")
    rows = p[hit.to_numpy()]
    return partly_judged(pd.DataFrame({
        "entity_id": rows["project_id"].to_numpy(),
        "project_id": rows["project_id"].to_numpy(),
        "county": optional_column(rows, "county").to_numpy(),
        "variant": variant[hit.to_numpy()],
        "status": rows["status"].to_numpy(),
        "start": start[hit].to_numpy(),
        "as_of": ctx.as_of,
    }), entities=optional_column(p, "county")[np.asarray(unjudged, dtype=bool)])
