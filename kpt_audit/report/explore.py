"""``ka.explore(result, out_dir)``: drill into findings in JupyterLab with ipywidgets.

Filters (county, area, severity, check, amount range in 万元) update the
summary line, the findings table and the chart; choosing a finding shows its
detail and its source rows (project, tender, payments) from
``result.dataset`` as the ledgers write them: Chinese headers, coded values in
Chinese and amounts in 万元.  "导出所选到 Excel" writes the filtered findings to
a workbook in the run's folder (``out_dir``).  Every value put into HTML is
escaped, and personal data is masked (also in the export) unless asked
otherwise.  The widget tree is built without needing a live kernel, so its
callbacks can be tested.
"""
from __future__ import annotations

import getpass
import html
from pathlib import Path

import pandas as pd

from ..findings import GONE
from ..messages import text
from ..privacy import Masker
from ..schema.tables import TABLES
from .excel import write_findings_workbook
from .explore_register import RegisterPanel
from .slices import county_slug
from .tables import display_frame

ALL = "__all__"
MAX_ROWS = 500  # the table widget is plain HTML: beyond this, narrow the filters
AMOUNT_STEP = 0.01
# what a reader of the table needs, in reading order (the 16-hex id, the entity's code and the basis are in
# the detail below the table and in the export)
TABLE_COLUMNS = ["finding_no", "county", "project_name", "entity_name", "check_id", "severity", "amount", "title",
                 "detail", "status"]
# columns of running text: wrapped within a readable width; every other column keeps to one line
WRAPPED = frozenset({"project_name", "entity_name", "title", "detail"})
WIDE = frozenset({"detail"})
SEVERITIES = ("high", "medium", "low")


def _options(values, label=lambda v: v, everything="全部") -> list[tuple[str, str]]:
    return [(everything, ALL)] + [(str(label(v)), v) for v in values]


def table_style(table_class: str, columns: list[str]) -> str:
    """CSS for a findings table of ``columns``: short columns never wrap (JupyterLab would squeeze
    them to one character a line), text columns wrap within a readable width, and the table scrolls
    sideways in its own box when the window is narrower than it."""
    rules = [f".{table_class} {{border-collapse: collapse; font-size: 13px;}}",
             f".{table_class} th, .{table_class} td {{white-space: nowrap; text-align: left; vertical-align: top; "
             "padding: 3px 8px; border-bottom: 1px solid #ddd;}",
             f".{table_class} thead th {{position: sticky; top: 0; background: #f3f6fa;}}"]
    for j, col in enumerate(columns, start=1):
        if col in WRAPPED:
            width = "min-width: 22em; max-width: 40em;" if col in WIDE else "min-width: 9em; max-width: 16em;"
            rules.append(f".{table_class} td:nth-child({j}) {{white-space: normal; {width}}}")
        elif col == "amount":
            rules.append(f".{table_class} td:nth-child({j}) {{text-align: right;}}")
    return "<style>" + "\n".join(rules) + "</style>"


def findings_table_html(findings: pd.DataFrame, lang: str) -> str:
    """The findings as an escaped HTML table in a box that scrolls sideways and down."""
    columns = [c for c in TABLE_COLUMNS if c in findings.columns
               and (c != "status" or findings[c].fillna("").astype(str).ne("").any())]
    shown = display_frame(findings[columns], lang)
    table = shown.to_html(index=False, escape=True, na_rep="", border=0, classes="kpt-explore",
                          float_format=lambda v: f"{v:,.2f}")
    return (table_style("kpt-explore", columns)
            + f"<div style='overflow: auto; max-height: 32em; max-width: 100%;'>{table}</div>")


def source_view(table: str, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rows of a loaded table as its ledger shows them: in zh the Chinese headers and coded values
    the loader accepts (the schema's first spelling), yes/no as 是/否; amounts in 万元 (two decimals),
    dates as YYYY-MM-DD.  Columns the schema does not know keep their own header."""
    spec = TABLES.get(table)
    known = {c.name: c for c in spec.columns} if spec is not None else {}
    out = pd.DataFrame(index=rows.index)
    for name in rows.columns:
        s, col = rows[name], known.get(name)
        header = (col.label_zh if lang == "zh" else col.name) if col is not None else str(name)
        if col is not None and col.kind == "amount":
            s = (pd.to_numeric(s, errors="coerce").astype("float64") / 10000).round(2)
            header += "(万元)" if lang == "zh" else " (10k yuan)"
        elif col is not None and col.kind == "enum" and lang == "zh":
            s = s.map(col.value_zh, na_action="ignore")
        elif col is not None and col.kind == "bool":
            s = s.map({True: "是", False: "否"} if lang == "zh" else {True: "yes", False: "no"}, na_action="ignore")
        elif pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d")
        out[header] = s
    return out.reset_index(drop=True)


def summary_line(chosen: pd.DataFrame, total: int, lang: str) -> str:
    """One sentence on the selection: how many of how many, by severity, over how many counties and projects."""
    live = chosen[~chosen["status"].fillna("").isin(GONE)] if "status" in chosen else chosen
    by_severity = live["severity"].value_counts()
    projects = chosen["project_id"].dropna().astype(str)
    return text("explore.summary", lang, shown=f"{len(chosen):,}", total=f"{total:,}",
                **{s: f"{int(by_severity.get(s, 0)):,}" for s in SEVERITIES},
                counties=f"{chosen['county'].fillna('').nunique():,}",
                projects=f"{projects[projects != ''].nunique():,}")


class Explorer:
    """The widgets and the filtering; ``widget`` is what the notebook displays."""

    def __init__(self, result, mask: bool = True, out_dir=None, register=None, by: str | None = None):
        import ipywidgets as w

        self.result = result
        self.lang = getattr(result.params, "lang", "zh") or "zh"
        self.out_dir = Path(out_dir) if out_dir else None
        tables = getattr(result.dataset, "tables", {}) if result.dataset is not None else {}
        self.tables = tables
        self.masker = Masker(tables, enabled=mask)
        self.findings = self.masker.frame(result.findings.reset_index(drop=True))
        f = self.findings
        lang = self.lang
        every = text("explore.all", lang)
        counties = sorted(set(f["county"].fillna("").astype(str)))
        self.county = w.Dropdown(description=text("col.county", lang),
                                 options=_options(counties, lambda c: c or text("unassigned_county", lang), every))
        self.area = w.Dropdown(description=text("col.area", lang),
                               options=_options(sorted(set(f["area"].dropna())), lambda a: text(f"area.{a}", lang),
                                                every))
        self.severity = w.Dropdown(description=text("col.severity", lang),
                                   options=_options([s for s in SEVERITIES if (f["severity"] == s).any()],
                                                    lambda s: text(f"severity.{s}", lang), every))
        self.check = w.Dropdown(description=text("col.check_id", lang),
                                options=_options(sorted(set(f["check_id"])), everything=every))
        top = float((f["amount"].max() or 0) / 10000) if f["amount"].notna().any() else 0.0
        self.amount = w.FloatRangeSlider(description=text("col.amount", lang), min=0.0, max=max(top, AMOUNT_STEP),
                                         value=(0.0, max(top, AMOUNT_STEP)), step=AMOUNT_STEP,
                                         continuous_update=False, readout_format=",.2f",
                                         style={"description_width": "initial"}, layout=w.Layout(width="28em"))
        self.count = w.HTML()
        self.table = w.HTML(layout=w.Layout(width="100%"))
        self.chart = w.Image(format="png")
        self.pick = w.Select(options=[], rows=8, description="", layout=w.Layout(width="100%"))
        self.detail = w.HTML(layout=w.Layout(width="100%"))
        self.export = w.Button(description=text("explore.export", lang), icon="file-excel-o",
                               tooltip=text("explore.export_tip" if self.out_dir else "explore.no_out_dir", lang),
                               disabled=self.out_dir is None, layout=w.Layout(width="auto"))
        self.exported = w.HTML()
        for control in (self.county, self.area, self.severity, self.check, self.amount):
            control.observe(self._refresh, names="value")
        self.pick.observe(self._show_detail, names="value")
        self.export.on_click(self.export_selection)
        filters = w.VBox([w.HBox([self.county, self.area, self.severity]), w.HBox([self.check, self.amount])])
        # with a register: the picked finding's 核实/整改 fields, written there (explore_register)
        self.register_panel = RegisterPanel(register, by or getpass.getuser(), lang) if register else None
        self.widget = w.VBox([filters, w.HBox([self.export, self.exported]), self.count, w.HBox([self.chart]),
                              self.table, w.HTML(f"<b>{html.escape(text('explore.pick', lang))}</b>"), self.pick,
                              self.detail, *([self.register_panel.widget] if self.register_panel else [])])
        self._refresh()

    def selected(self) -> pd.DataFrame:
        """The findings passing every filter."""
        f = self.findings
        keep = pd.Series(True, index=f.index)
        for control, col in ((self.county, "county"), (self.area, "area"), (self.severity, "severity"),
                             (self.check, "check_id")):
            if control.value != ALL:
                keep &= f[col].fillna("").astype(str) == control.value
        low, high = self.amount.value
        full = (low <= self.amount.min and high >= self.amount.max)
        if not full:
            wan = f["amount"] / 10000
            keep &= wan.between(low - AMOUNT_STEP / 2, high + AMOUNT_STEP / 2)
        return f[keep]

    def _refresh(self, _change=None) -> None:
        from .charts import findings_by_area, png_bytes

        chosen = self.selected()
        line = html.escape(summary_line(chosen, len(self.findings), self.lang))
        if len(chosen) > MAX_ROWS:
            line += "<br>" + html.escape(text("explore.truncated", self.lang, n=MAX_ROWS))
        self.count.value = f"<p style='font-size: 14px;'>{line}</p>"
        self.table.value = findings_table_html(chosen.head(MAX_ROWS), self.lang)
        fig = findings_by_area(chosen, self.lang)
        self.chart.value = png_bytes(fig) if fig is not None else b""
        self.pick.options = [(self._pick_label(r), r.finding_id) for r in chosen.head(MAX_ROWS).itertuples()]
        self._show_detail()

    @staticmethod
    def _pick_label(r) -> str:
        name = next((n for n in (getattr(r, "project_name", ""), getattr(r, "entity_name", ""))
                     if isinstance(n, str) and n), r.entity_id)
        return f"{r.finding_no} {r.title} · {name}"

    def source_rows(self, finding: pd.Series) -> dict[str, pd.DataFrame]:
        """The rows a finding came from: its project, its tender(s) and the payments involved."""
        out = {}
        project = finding.get("project_id")
        entity, kind = str(finding.get("entity_id")), finding.get("entity_type")
        t = self.tables
        if isinstance(project, str) and project and "projects" in t:
            out["projects"] = t["projects"][t["projects"]["project_id"] == project]
        if "tenders" in t:
            if kind in ("tender", "tender_group"):
                out["tenders"] = t["tenders"][t["tenders"]["tender_id"].isin(entity.split("+"))]
            elif isinstance(project, str) and project and "project_id" in t["tenders"]:
                out["tenders"] = t["tenders"][t["tenders"]["project_id"] == project]
        if "payments" in t:
            p = t["payments"]
            if kind == "payment":
                out["payments"] = p[p["payment_id"] == entity]
            elif kind == "contract" and "contract_id" in p:
                out["payments"] = p[p["contract_id"] == entity]
            elif isinstance(project, str) and project:
                out["payments"] = p[p["project_id"] == project]
        return {k: self.masker.frame(v.reset_index(drop=True)) for k, v in out.items() if len(v)}

    def _show_detail(self, _change=None) -> None:
        fid = self.pick.value
        if self.register_panel is not None:
            self.register_panel.load(fid)
        if not fid:
            self.detail.value = ""
            return
        row = self.findings[self.findings["finding_id"] == fid].iloc[0]
        lang = self.lang
        lines = [f"<h4>{html.escape(str(row['finding_no']))} {html.escape(str(row['title']))}</h4>",
                 f"<p>{html.escape(str(row['detail']))}</p>",
                 f"<p><i>{html.escape(text('col.basis', lang))}: {html.escape(str(row['basis']))}</i></p>"]
        for name, frame in self.source_rows(row).items():
            title = TABLES[name].title_zh if lang == "zh" and name in TABLES else name
            lines.append(f"<h5>{html.escape(text('explore.rows', lang, table=title, n=f'{len(frame):,}'))}</h5>")
            view = source_view(name, frame.head(MAX_ROWS), lang)
            lines.append("<div style='overflow-x: auto; max-width: 100%;'>"
                         + view.to_html(index=False, escape=True, na_rep="", border=0, classes="kpt-explore-source",
                                        float_format=lambda v: f"{v:,.2f}") + "</div>")
        self.detail.value = table_style("kpt-explore-source", []) + "".join(lines)

    def export_path(self) -> Path:
        """Where the selection is written: the run's folder, named after the filters chosen."""
        chosen = [str(c.label) for c in (self.county, self.area, self.severity, self.check) if c.value != ALL]
        name = "_".join([text("explore.file", self.lang), *chosen])
        return self.out_dir / f"{county_slug(name, set())}.xlsx"

    def export_selection(self, _button=None) -> Path | None:
        """The button's callback: the filtered findings (names included, masked as shown) to a workbook
        set up like findings.xlsx; the path written is shown beside the button and returned."""
        if self.out_dir is None:
            self.exported.value = html.escape(text("explore.no_out_dir", self.lang))
            return None
        chosen = self.selected()
        params = self.result.params
        as_of = params.as_of.strftime("%Y-%m-%d") if getattr(params, "as_of", None) is not None else None
        if self.county.value != ALL:
            counties = [self.county.value]
        else:
            counties = sorted(set(self.findings["county"].dropna().astype(str)) - {""})
            if "projects" in self.tables:
                counties = sorted(set(counties) | set(self.tables["projects"]["county"].dropna().astype(str)))
        path = write_findings_workbook(chosen, self.export_path(), self.lang, as_of=as_of, counties=counties)
        self.exported.value = html.escape(text("explore.exported", self.lang, n=f"{len(chosen):,}", path=path))
        return path


def explore(result, mask: bool = True, out_dir=None, register=None, by: str | None = None):
    """The explorer's widget tree for ``result`` (a :class:`kpt_audit.checks.CheckResult`); the
    export button writes into ``out_dir`` (the run's folder; without it the button is disabled).
    With ``register`` (a register file or URL), the picked finding's verification and rectification
    fields can be set and saved there, as ``by`` (default: the login name)."""
    from .fonts import setup_cjk_font

    setup_cjk_font()
    explorer = Explorer(result, mask=mask, out_dir=out_dir, register=register, by=by)
    explorer.widget.explorer = explorer  # keeps the callbacks' owner reachable from what is displayed
    return explorer.widget
