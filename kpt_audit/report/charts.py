"""Charts of the county report and the roll-up (seaborn on matplotlib's Agg, no pyplot).

Each function takes already-sliced frames, plots aggregates (never one
artist per payment), returns a :class:`matplotlib.figure.Figure` of a fixed
size, or None when its data is absent.  Every label comes from the data or
from the message catalogue.  :func:`png_bytes` renders deterministically.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..checks.registry import AREAS
from ..messages import text
from ..register.summary import current_findings
from .fonts import chart_lang, setup_cjk_font

SEVERITY_ORDER = ("high", "medium", "low")
SEVERITY_COLOURS = {"high": "#c0392b", "medium": "#e67e22", "low": "#f4d03f"}
AGE_EDGES_MONTHS = (0, 12, 24, 36)
TOP_SUPPLIERS = 10


def _figure(width: float = 8.0, height: float = 4.0) -> tuple[Figure, object]:
    setup_cjk_font()
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG, identical bytes for identical data (no timestamp or version stamp)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _area_label(area: str, lang: str) -> str:
    try:
        return text(f"area.{area}", lang)
    except KeyError:
        return area


def findings_by_area(findings: pd.DataFrame, lang: str = "zh") -> Figure | None:
    """Bar chart: findings per area, one bar per severity."""
    import seaborn as sns

    current = current_findings(findings)  # 不属实 (register) not counted
    if current.empty:
        return None
    lang = chart_lang(lang)
    counts = current.groupby(["area", "severity"]).size().rename("n").reset_index()
    areas = [a for a in AREAS if a in set(counts["area"])] + sorted(set(counts["area"]) - set(AREAS))
    sevs = [s for s in SEVERITY_ORDER if s in set(counts["severity"])]
    counts["area_label"] = counts["area"].map(lambda a: _area_label(a, lang))
    counts["severity_label"] = counts["severity"].map(lambda s: text(f"severity.{s}", lang))
    fig, ax = _figure(8, 4)
    sns.barplot(data=counts, x="area_label", y="n", hue="severity_label", ax=ax, errorbar=None,
                order=[_area_label(a, lang) for a in areas],
                hue_order=[text(f"severity.{s}", lang) for s in sevs],
                palette=[SEVERITY_COLOURS[s] for s in sevs])
    ax.set_title(text("chart.by_area", lang))
    ax.set_xlabel("")
    ax.set_ylabel(text("chart.count", lang))
    ax.legend(title=text("chart.severity", lang))
    ax.tick_params(axis="x", labelrotation=20)
    return fig


def elapsed_share(as_of) -> float:
    """Day of the year over days in that year (EXE03's time-elapsed share)."""
    day = pd.Timestamp(as_of)
    return day.day_of_year / (366 if day.is_leap_year else 365)


def plan_progress(projects: pd.DataFrame, as_of, behind_factor: float, lang: str = "zh") -> Figure | None:
    """Each project's completed_ytd / annual_plan, ranked, against the elapsed share and EXE03's line."""
    if projects is None or not {"annual_plan", "completed_ytd"} <= set(projects.columns):
        return None
    p = projects[projects["annual_plan"] > 0]
    if "status" in p.columns:
        p = p[p["status"] == "under_construction"]
    if p.empty:
        return None
    lang = chart_lang(lang)
    ratio = (p["completed_ytd"].fillna(0) / p["annual_plan"]).sort_values(kind="stable").to_numpy()
    share = elapsed_share(as_of)
    line = behind_factor * share
    fig, ax = _figure(8, 4)
    x = np.arange(len(ratio))
    behind = ratio < line
    ax.bar(x[~behind], ratio[~behind], width=1.0, color="#5d8aa8", label=text("chart.on_track", lang))
    ax.bar(x[behind], ratio[behind], width=1.0, color=SEVERITY_COLOURS["medium"], label=text("chart.behind", lang))
    ax.axhline(share, color="#333333", linestyle="--",
               label=text("chart.elapsed", lang, share=f"{share:.0%}"))
    ax.axhline(line, color=SEVERITY_COLOURS["high"], linestyle=":",
               label=text("chart.behind_line", lang, factor=f"{behind_factor:g}"))
    ax.set_ylim(0, max(1.05, min(float(ratio.max()) * 1.05, 3.0)))
    ax.set_xticks([])
    ax.set_xlabel(text("chart.progress_x", lang))
    ax.set_ylabel(text("chart.progress_y", lang))
    ax.set_title(text("chart.progress", lang))
    ax.legend(loc="upper left", fontsize="small")
    return fig


def idle_ageing(findings: pd.DataFrame, funds: pd.DataFrame | None, as_of, lang: str = "zh") -> Figure | None:
    """EXE02 amounts by the age of the project's earliest allocation (bands of a year)."""
    import seaborn as sns

    idle = current_findings(findings[findings["check_id"] == "EXE02"])
    if idle.empty or funds is None or not {"project_id", "date"} <= set(funds.columns):
        return None
    lang = chart_lang(lang)
    as_of = pd.Timestamp(as_of)
    dated = funds[funds["date"] <= as_of]
    earliest = dated.groupby("project_id")["date"].min()
    # a project with no dated allocation in the slice (its funds rows of another county, or none): no band
    first = pd.Series(earliest.reindex(idle["project_id"].to_numpy()).to_numpy(), index=idle.index)
    months = (as_of - first).dt.days / 30.4375
    band = pd.cut(months, bins=[*AGE_EDGES_MONTHS, np.inf], right=False, labels=False)
    labels = [text(f"chart.age.{i}", lang) for i in range(len(AGE_EDGES_MONTHS))]
    amounts = (idle["amount"].fillna(0) / 10000).groupby(band).sum().reindex(range(len(labels)), fill_value=0.0)
    frame = pd.DataFrame({"band": labels, "amount": amounts.to_numpy()})
    fig, ax = _figure(7, 3.5)
    sns.barplot(data=frame, x="band", y="amount", ax=ax, errorbar=None, color=SEVERITY_COLOURS["high"])
    ax.set_title(text("chart.idle_ageing", lang))
    ax.set_xlabel(text("chart.age_band", lang))
    ax.set_ylabel(text("chart.amount_wan", lang))
    return fig


def benford(table: pd.DataFrame | None, lang: str = "zh", min_n: int | None = None) -> Figure | None:
    """Observed first-digit shares (bars) against Benford's expected curve, for one county; with
    fewer amounts than ``min_n`` (COS09's benford_min_n) the title says the county was not judged."""
    if table is None or table.empty:
        return None
    lang = chart_lang(lang)
    t = table.sort_values("digit")
    n = int(t["n"].max())
    fig, ax = _figure(7, 3.5)
    ax.bar(t["digit"].astype(int), t["observed"], color="#5d8aa8", label=text("chart.observed", lang))
    ax.plot(t["digit"].astype(int), t["expected"], color=SEVERITY_COLOURS["high"], marker="o",
            label=text("chart.expected", lang))
    ax.set_xticks(range(1, 10))
    ax.set_xlabel(text("chart.digit", lang))
    ax.set_ylabel(text("chart.share", lang))
    title = text("chart.benford", lang, n=f"{n:,}")
    if min_n is not None and n < min_n:
        title += "\n" + text("chart.benford_not_judged", lang, min_n=f"{min_n:,}")
    ax.set_title(title)
    ax.legend()
    return fig


def supplier_concentration(contracts: pd.DataFrame | None, suppliers: pd.DataFrame | None,
                           lang: str = "zh", top: int = TOP_SUPPLIERS) -> Figure | None:
    """The top suppliers' shares of the county's contract value."""
    import seaborn as sns

    if contracts is None or not {"supplier_id", "amount"} <= set(contracts.columns):
        return None
    value = contracts.groupby("supplier_id")["amount"].sum()
    total = value.sum()
    if value.empty or not total > 0:
        return None
    lang = chart_lang(lang)
    # ties broken by id so the chart never depends on row order
    share = (value / total).rename("share").reset_index().sort_values(
        ["share", "supplier_id"], ascending=[False, True], kind="stable").head(top)
    names = suppliers.set_index("supplier_id")["name"] if suppliers is not None and "name" in suppliers else pd.Series(dtype=str)
    share["label"] = share["supplier_id"].map(names).fillna(share["supplier_id"]).astype(str)
    share["label"] = share["label"].where(~share["label"].duplicated(keep=False),
                                          share["label"] + " (" + share["supplier_id"].astype(str) + ")")
    fig, ax = _figure(8, 0.6 + 0.35 * len(share))
    sns.barplot(data=share, y="label", x="share", ax=ax, errorbar=None, color="#5d8aa8", orient="h")
    ax.set_title(text("chart.suppliers", lang, top=len(share)))
    ax.set_xlabel(text("chart.supplier_share", lang))
    ax.set_ylabel("")
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.1%}")
    return fig


def _county_labels(series: pd.Series, lang: str) -> pd.Series:
    return series.fillna("").astype(str).replace("", text("unassigned_county", lang))


def county_area_heatmaps(findings: pd.DataFrame, lang: str = "zh", counties=None) -> Figure | None:
    """A heatmap of finding counts per county × area.

    ``counties`` lists every county to show, those without findings included (as zeros).  Amounts
    are not drawn per area: an area's checks quote different kinds of money, which do not add up
    (the roll-up lists them per check instead).
    """
    import seaborn as sns

    current = current_findings(findings)  # 不属实 (register) not counted
    if current.empty:
        return None
    lang = chart_lang(lang)
    frame = current.assign(county=_county_labels(current["county"], lang),
                           area=current["area"].map(lambda a: _area_label(a, lang)))
    areas = [_area_label(a, lang) for a in AREAS if _area_label(a, lang) in set(frame["area"])]
    areas += sorted(set(frame["area"]) - set(areas))
    counts = frame.pivot_table(index="county", columns="area", values="check_id", aggfunc="size", fill_value=0)
    rows = list(counts.index) if counties is None else list(_county_labels(pd.Series(list(counties), dtype=object), lang))
    counts = counts.reindex(index=rows, columns=areas, fill_value=0)
    height = 1.5 + 0.4 * len(counts)
    fig = Figure(figsize=(9, height), dpi=100, layout="constrained")
    ax = fig.subplots()
    sns.heatmap(counts, annot=True, fmt="d", cmap="Reds", ax=ax, cbar=False, linewidths=0.5)
    ax.set_title(text("chart.heatmap_count", lang))
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", labelrotation=30)
    ax.tick_params(axis="y", labelrotation=0)
    return fig


def county_ranking(findings: pd.DataFrame, lang: str = "zh", counties=None) -> Figure | None:
    """Counties ranked by findings, bars stacked by severity (``counties`` adds those without any); findings
    with no county (未指定) are no county to rank."""
    current = current_findings(findings)  # 不属实 (register) not counted
    current = current[current["county"].fillna("").astype(str) != ""]
    counties = None if counties is None else [c for c in counties if c]
    if current.empty:
        return None
    lang = chart_lang(lang)
    table = (current.assign(county=_county_labels(current["county"], lang))
             .pivot_table(index="county", columns="severity", values="check_id", aggfunc="size", fill_value=0)
             .reindex(columns=list(SEVERITY_ORDER), fill_value=0))
    if counties is not None:
        everyone = list(_county_labels(pd.Series(list(counties), dtype=object), lang))
        table = table.reindex(sorted(set(table.index) | set(everyone)), fill_value=0)
    table.index.name = "county"
    table = table.assign(total=table.sum(axis=1)).reset_index().sort_values(
        ["total", "county"], ascending=[True, False], kind="stable")
    fig, ax = _figure(8, max(2.5, 1.0 + 0.35 * len(table)))
    left = np.zeros(len(table))
    for sev in SEVERITY_ORDER:
        ax.barh(table["county"], table[sev], left=left, color=SEVERITY_COLOURS[sev], label=text(f"severity.{sev}", lang))
        left += table[sev].to_numpy()
    ax.set_title(text("chart.ranking", lang))
    ax.set_xlabel(text("chart.count", lang))
    ax.legend(title=text("chart.severity", lang), loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig
