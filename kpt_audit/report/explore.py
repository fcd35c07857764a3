"""``ka.explore(result)``: drill into findings in JupyterLab with ipywidgets.

Filters (county, area, severity, check, amount range in 万元) update the
findings table and the chart; choosing a finding shows its detail and its
source rows (project, tender, payments) from ``result.dataset``.  Every value
put into HTML is escaped, and personal data is masked unless asked otherwise.
The widget tree is built without needing a live kernel, so it can be tested.
"""
from __future__ import annotations

import html

import pandas as pd

from ..messages import text
from ..privacy import Masker
from .tables import display_frame

ALL = "__all__"
MAX_ROWS = 500  # the table widget is plain HTML: beyond this, narrow the filters
AMOUNT_STEP = 0.01


def _options(values, label=lambda v: v, everything="全部") -> list[tuple[str, str]]:
    return [(everything, ALL)] + [(str(label(v)), v) for v in values]


def _escaped_table(df: pd.DataFrame, lang: str) -> str:
    return display_frame(df, lang).to_html(index=False, escape=True, na_rep="", border=0,
                                           classes="kpt-explore", float_format=lambda v: f"{v:,.2f}")


class Explorer:
    """The widgets and the filtering; ``widget`` is what the notebook displays."""

    def __init__(self, result, mask: bool = True):
        import ipywidgets as w

        self.result = result
        self.lang = getattr(result.params, "lang", "zh") or "zh"
        tables = getattr(result.dataset, "tables", {}) if result.dataset is not None else {}
        self.tables = tables
        self.masker = Masker(tables, enabled=mask)
        self.findings = self.masker.frame(result.findings.reset_index(drop=True))
        f = self.findings
        lang = self.lang
        every = "全部" if lang == "zh" else "All"
        counties = sorted(set(f["county"].fillna("").astype(str)))
        self.county = w.Dropdown(description=text("col.county", lang),
                                 options=_options(counties, lambda c: c or text("unassigned_county", lang), every))
        self.area = w.Dropdown(description=text("col.area", lang),
                               options=_options(sorted(set(f["area"].dropna())), lambda a: text(f"area.{a}", lang), every))
        self.severity = w.Dropdown(description=text("col.severity", lang),
                                   options=_options([s for s in ("high", "medium", "low") if (f["severity"] == s).any()],
                                                    lambda s: text(f"severity.{s}", lang), every))
        self.check = w.Dropdown(description=text("col.check_id", lang), options=_options(sorted(set(f["check_id"])), everything=every))
        top = float((f["amount"].max() or 0) / 10000) if f["amount"].notna().any() else 0.0
        self.amount = w.FloatRangeSlider(description=text("col.amount", lang), min=0.0, max=max(top, AMOUNT_STEP),
                                         value=(0.0, max(top, AMOUNT_STEP)), step=AMOUNT_STEP,
                                         continuous_update=False, readout_format=",.2f")
        self.count = w.HTML()
        self.table = w.HTML()
        self.chart = w.Image(format="png")
        self.pick = w.Select(options=[], rows=8, description="")
        self.detail = w.HTML()
        for control in (self.county, self.area, self.severity, self.check, self.amount):
            control.observe(self._refresh, names="value")
        self.pick.observe(self._show_detail, names="value")
        filters = w.VBox([w.HBox([self.county, self.area, self.severity]), w.HBox([self.check, self.amount])])
        self.widget = w.VBox([filters, self.count, w.HBox([self.chart]), self.table, self.pick, self.detail])
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
        self.count.value = f"<b>{len(chosen):,}</b> / {len(self.findings):,}"
        shown = chosen.head(MAX_ROWS).drop(columns=["basis"], errors="ignore")
        self.table.value = _escaped_table(shown, self.lang)
        fig = findings_by_area(chosen, self.lang)
        self.chart.value = png_bytes(fig) if fig is not None else b""
        self.pick.options = [(f"{r.check_id} {r.entity_id} {r.title}", r.finding_id)
                             for r in chosen.head(MAX_ROWS).itertuples()]
        self._show_detail()

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
        if not fid:
            self.detail.value = ""
            return
        row = self.findings[self.findings["finding_id"] == fid].iloc[0]
        lines = [f"<h4>{html.escape(str(row['check_id']))} {html.escape(str(row['title']))}</h4>",
                 f"<p>{html.escape(str(row['detail']))}</p>",
                 f"<p><i>{html.escape(text('col.basis', self.lang))}: {html.escape(str(row['basis']))}</i></p>"]
        for name, frame in self.source_rows(row).items():
            lines.append(f"<h5>{html.escape(name)} ({len(frame):,})</h5>")
            lines.append(frame.head(MAX_ROWS).to_html(index=False, escape=True, na_rep="", border=0))
        self.detail.value = "".join(lines)


def explore(result, mask: bool = True):
    """The explorer's widget tree for ``result`` (a :class:`kpt_audit.checks.CheckResult`)."""
    from .fonts import setup_cjk_font

    setup_cjk_font()
    explorer = Explorer(result, mask=mask)
    explorer.widget.explorer = explorer  # keeps the callbacks' owner reachable from what is displayed
    return explorer.widget
