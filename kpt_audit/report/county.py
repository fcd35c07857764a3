"""What the county notebook shows, section by section; the notebook only calls these.

Every figure is computed from the :class:`CountySlice`; a measure the data
cannot give is shown as "—", never guessed.  Counts of findings exclude the
rows not found again (they have their own section), so the headline count plus
the not-found-again count equals the county's rows in ``findings.csv``; both are
also carried as ``data-kpt-findings`` / ``data-kpt-not-found-again`` attributes for
tests and scripts.
"""
from __future__ import annotations

import re

import pandas as pd

from ..checks.registry import AREAS, PARTLY_JUDGED
from ..findings import GONE
from ..load.texts import ledger_in
from ..messages import NOT_RUN_REASONS_ZH, text
from ..params import describe_value
from ..register.summary import current_findings as current, register_view
from . import charts
from .amounts import amount_totals
from .display import STYLE, card, esc, fmt_rate, fmt_wan, heading, masking_note, note, page_style, show_figure, show_html
from .rectification import show_county_register
from .slices import CountySlice, compute_county_slice, open_county
from .tables import setup, show_table, table_html

EXE_METRICS = ("exe_by_county", "exe_by_fund_year", "delay_reasons", "unstarted_by_fund_year")
AREA_TABLE_DROP = ("area", "county", "finding_id")  # people quote finding_no; the hash stays in the CSV


def load_county(data_dir="", county="", params_file="", as_of="", findings_dir="", lang="") -> CountySlice:
    """The notebook's parameters -> the county's slice (prepared by ``run``, else computed here)."""
    if findings_dir:
        piece = open_county(findings_dir)
    else:
        piece = compute_county_slice(data_dir, str(county), params_file or None, as_of or None, lang or None)
    if lang:
        piece.meta["lang"] = lang
    return piece


def not_found_again(findings: pd.DataFrame) -> pd.DataFrame:
    return findings[findings["status"].fillna("").astype(str).isin(GONE)]


def _exe_row(piece: CountySlice) -> dict:
    table = piece.metrics.get("exe_by_county")
    if table is None or table.empty:
        return {}
    rows = table[table["county"].fillna("").astype(str) == piece.county] if "county" in table else table
    return rows.iloc[0].to_dict() if len(rows) else {}


def headline_figures(piece: CountySlice) -> dict:
    """projects, start/completion/payment rates, idle funds, findings by severity, amount at issue."""
    exe = _exe_row(piece)
    projects = piece.tables.get("projects")
    found = current(piece.findings)
    figures = {k: exe.get(k) for k in ("projects", "start_rate", "annual_completion", "cumulative_completion",
                                       "payment_rate", "idle_funds")}
    if figures["projects"] is None and projects is not None:
        figures["projects"] = len(projects)
        if "actual_start" in projects:
            figures["start_rate"] = (projects["actual_start"] <= piece.as_of).mean() if len(projects) else None
        if {"annual_plan", "completed_ytd"} <= set(projects.columns) and projects["annual_plan"].sum() > 0:
            figures["annual_completion"] = projects["completed_ytd"].sum() / projects["annual_plan"].sum()
    if figures["idle_funds"] is None and not piece.not_run["check_id"].eq("EXE02").any():
        figures["idle_funds"] = float(found.loc[found["check_id"] == "EXE02", "amount"].sum())
    figures = {k: (None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v)
               for k, v in figures.items()}
    figures["findings"] = int(len(found))
    figures["by_severity"] = {s: int((found["severity"] == s).sum()) for s in ("high", "medium", "low")}
    figures["amounts"] = amount_totals(found, piece.meta.get("checks", []))
    figures["not_found_again"] = int(len(not_found_again(piece.findings)))
    return figures


def headline_html(piece: CountySlice) -> str:
    lang = piece.lang
    f = headline_figures(piece)
    cards = [
        card(text("headline.projects", lang), "—" if f["projects"] is None else f"{int(f['projects']):,}"),
        card(text("headline.start_rate", lang), fmt_rate(f["start_rate"])),
        card(text("headline.completion_rate", lang), fmt_rate(f["annual_completion"])),
        card(text("headline.cumulative_completion", lang), fmt_rate(f["cumulative_completion"])),
        card(text("headline.payment_rate", lang), fmt_rate(f["payment_rate"])),
        card(text("headline.idle_funds", lang), fmt_wan(f["idle_funds"])),
        card(text("headline.findings", lang), f"{f['findings']:,}", attrs=f"data-kpt-findings='{f['findings']}'"),
    ]
    cards += [card(text(f"severity.{s}", lang), f"{n:,}", css=s) for s, n in f["by_severity"].items()]
    if f["not_found_again"]:
        cards.append(card(text("headline.not_found_again", lang), f"{f['not_found_again']:,}",
                          attrs=f"data-kpt-not-found-again='{f['not_found_again']}'"))
    return (heading("section.headline", lang) + "<div class='kpt-cards'>" + "".join(cards) + "</div>"
            + amounts_html(f["amounts"], lang))


def amounts_html(totals: pd.DataFrame, lang: str, key: str = "amounts") -> str:
    """The heading and table of :func:`amount_totals` (a note when no finding has an amount)."""
    if totals.empty:
        return heading("section.amounts", lang, level=3) + note(text("note.no_amounts", lang))
    return heading("section.amounts", lang, level=3) + table_html(totals, lang, key=key)


def show_title(piece: CountySlice) -> None:
    """Styles, the offline table library, the title and the as-of date."""
    setup(force=True)
    lang = piece.lang
    county = piece.county or text("unassigned_county", lang)
    running = text("print.running_header", lang, title=county, as_of=piece.meta.get("as_of") or "")
    show_html(STYLE + page_style(running, lang) + f"<h1>{esc(text('report.title', lang, county=county))}</h1>"
              + f"<p>{esc(text('report.subtitle', lang, as_of=piece.meta.get('as_of') or ''))}"
              + f" · {esc(text('note.units', lang))}</p>"
              + masking_note(piece.meta.get("masked") is not False, lang))


def show_headline(piece: CountySlice) -> None:
    show_html(headline_html(piece))


def show_exe_tables(piece: CountySlice) -> None:
    lang = piece.lang
    show_html(heading("section.exe", lang))
    shown = False
    for name in EXE_METRICS:
        table = piece.metrics.get(name)
        if table is None:
            continue
        show_html(heading(f"section.{name}", lang, level=3))
        show_table(table.drop(columns=["county"], errors="ignore"), lang, key=name)
        shown = True
    if not shown:
        show_html(note(text("note.no_metric", lang)))


def _param_text(name: str, value, meta: dict) -> str:
    """'name = value'; in English with the default file's comment on its basis (written in English:
    the zh report's condition text already says what each parameter is and the check's basis follows)."""
    lang = meta.get("lang", "zh")
    basis = meta.get("params", {}).get(name, {}).get("basis", "") if lang == "en" else ""
    return f"{name} = {describe_value(value, lang)}" + (f" ({basis})" if basis else "")


_MISSING_TABLE = re.compile(r"table (\w+) missing")
_MISSING_COLUMNS = re.compile(r"(\w+): column\(s\) (.+) missing")
_FOREIGN = re.compile(r"amounts not in CNY \(currency (.+)\); the thresholds are in yuan")


def not_run_reason(reason: str, lang: str) -> str:
    """A reason of not_run.csv (kept in English there, as codes are) in the report's language.

    A check's own reasons come from :data:`~kpt_audit.messages.NOT_RUN_REASONS_ZH`; missing tables
    and columns are named with the ledgers' Chinese names; anything else is shown as it is."""
    if lang == "en" or not isinstance(reason, str) or not reason:
        return reason
    if reason in NOT_RUN_REASONS_ZH:
        return NOT_RUN_REASONS_ZH[reason]
    foreign = _FOREIGN.fullmatch(reason)
    if foreign:
        return f"金额不是人民币（币种 {foreign.group(1)}），而限额以元计，本检查不运行"
    from ..schema import TABLES

    def table_name(name: str) -> str:
        return TABLES[name].title_zh if name in TABLES else name

    def column_name(table: str, name: str) -> str:
        try:
            return TABLES[table].column(name).label_zh
        except KeyError:
            return name

    parts = []
    for part in reason.split("; "):
        missing_table, missing_columns = _MISSING_TABLE.fullmatch(part), _MISSING_COLUMNS.fullmatch(part)
        if missing_table:
            parts.append(f"缺少数据表：{table_name(missing_table.group(1))}")
        elif missing_columns:
            table = missing_columns.group(1)
            names = "、".join(column_name(table, c.strip()) for c in missing_columns.group(2).split(","))
            parts.append(f"{table_name(table)}缺少{names}列")
        else:
            parts.append(part)
    return "；".join(parts)


def methodology_html(piece: CountySlice, area: str) -> str:
    """Condition, parameters with their values and basis of each check of ``area``."""
    lang = piece.lang
    reasons = dict(zip(piece.not_run["check_id"].astype(str), piece.not_run["reason"].astype(str)))
    entities = dict(zip(piece.not_run["check_id"].astype(str),
                        piece.not_run.get("entities", pd.Series("", index=piece.not_run.index)).astype(str)))
    parts = [f"<h4>{esc(text('section.methodology', lang))}</h4>"]
    for c in (c for c in piece.meta.get("checks", []) if c["area"] == area):
        lines = [f"<b>{esc(c['id'])} {esc(c['title'])}</b>",
                 f"{esc(text('note.condition', lang))}: {esc(c['condition'])}"]
        if c["params"]:
            lines.append(f"{esc(text('note.params', lang))}: "
                         + "; ".join(esc(_param_text(k, v, piece.meta)) for k, v in c["params"].items()))
        if c.get("amount"):
            lines.append(f"{esc(text('note.amount', lang))}: {esc(c['amount'])}")
        lines.append(f"{esc(text('note.basis', lang))}: {esc(c['basis'])}")
        if reasons.get(c["id"]) == PARTLY_JUDGED:
            lines.append(f"<span class='kpt-failed'>"
                         f"{esc(text('note.partly_judged_in_area', lang, entities=entities[c['id']]))}</span>")
        elif c["id"] in reasons:
            reason = not_run_reason(reasons[c["id"]], lang)
            lines.append(f"<span class='kpt-failed'>{esc(text('note.not_run_in_area', lang, reason=reason))}</span>")
        parts.append("<div class='kpt-method'>" + "<br>".join(lines) + "</div>")
    return "".join(parts)


def areas_to_show(piece: CountySlice) -> list[str]:
    """Areas with a registered check or a finding, in the catalogue's order."""
    present = {c["area"] for c in piece.meta.get("checks", [])} | set(piece.findings["area"].dropna())
    return [a for a in AREAS if a in present] + sorted(present - set(AREAS))


def show_area(piece: CountySlice, area: str) -> None:
    lang = piece.lang
    found = current(piece.findings)
    found = found[found["area"] == area]
    try:
        label = text(f"area.{area}", lang)
    except KeyError:
        label = area
    show_html(heading("section.area", lang, area=label, count=len(found)))
    if found.empty:
        show_html(note(_nothing_found(piece, area)))
    else:
        drop = list(AREA_TABLE_DROP) + ([] if piece.meta.get("statuses_present") else ["status", "cause"])
        show_table(register_view(found.drop(columns=drop, errors="ignore"), piece.as_of, lang), lang, key=f"area-{area}")
    show_html(methodology_html(piece, area))


def _nothing_found(piece: CountySlice, area: str) -> str:
    """What an area without findings means: nothing found, or -- its checks not run for want of their
    tables or columns -- nothing looked at (checks.md: a check not run is reported with its reason)."""
    checks = [c["id"] for c in piece.meta.get("checks", []) if c["area"] == area]
    reasons = dict(zip(piece.not_run["check_id"].astype(str), piece.not_run["reason"].astype(str)))
    not_run = [c for c in checks if c in reasons and reasons[c] != PARTLY_JUDGED]
    if checks and len(not_run) == len(checks):
        return text("note.area_not_run", piece.lang)
    if not_run:
        return text("note.no_findings_some_not_run", piece.lang, n=len(not_run), ids="、".join(not_run)
                    if piece.lang == "zh" else ", ".join(not_run))
    return text("note.no_findings", piece.lang)


def show_areas(piece: CountySlice) -> None:
    for area in areas_to_show(piece):
        show_area(piece, area)
    show_by_project(piece)


def by_project(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per project with findings: how many, how many high, and which (their numbers and
    titles).  Amounts are not added up: one check's amount is idle money, another's an overrun."""
    f = current(findings)
    f = f[f["project_id"].notna() & (f["project_id"].astype(str) != "")]
    if f.empty:
        return pd.DataFrame(columns=["project_id", "project_name", "findings", "high", "titles"])
    f = f.sort_values(["project_id", "check_id", "finding_no"], kind="stable")
    g = f.groupby("project_id", sort=True)
    out = pd.DataFrame({"project_name": g["project_name"].first(), "findings": g.size(),
                        "high": g["severity"].agg(lambda s: int((s == "high").sum())),
                        "titles": g.apply(lambda x: "；".join(f"{n} {t}" for n, t in zip(x["finding_no"], x["title"])),
                                          include_groups=False)})
    return out.reset_index().sort_values(["findings", "project_id"], ascending=[False, True], kind="stable")


def show_by_project(piece: CountySlice) -> None:
    lang = piece.lang
    table = by_project(piece.findings)
    if table.empty:
        return
    show_html(heading("section.by_project", lang))
    show_table(table, lang, key="by_project")


def show_charts(piece: CountySlice) -> None:
    lang = piece.lang
    t = piece.tables
    show_html(heading("section.charts", lang))
    behind = piece.meta.get("params", {}).get("behind_factor", {}).get("value", 0.75)
    benford_table = piece.metrics.get("benford")
    if benford_table is not None and "county" in benford_table:
        benford_table = benford_table[benford_table["county"].fillna("").astype(str) == piece.county]
    drawn = [
        (charts.findings_by_area(piece.findings, lang), "chart.by_area"),
        (charts.plan_progress(t.get("projects"), piece.as_of, behind, lang), "chart.progress"),
        (charts.idle_ageing(piece.findings, t.get("funds"), piece.as_of, lang), "chart.idle_ageing"),
        (charts.benford(benford_table, lang,
                        piece.meta.get("params", {}).get("benford_min_n", {}).get("value")), "chart.name.benford"),
        (charts.supplier_concentration(t.get("contracts"), t.get("suppliers"), lang), "chart.name.suppliers"),
    ]
    for fig, key in drawn:
        show_figure(fig, text("note.no_chart_data", lang, chart=text(key, lang)))


def show_not_found_again(piece: CountySlice) -> None:
    show_county_register(piece)  # with a register: its figures, overdue and dismissed findings
    done = not_found_again(piece.findings)
    if done.empty:
        return
    lang = piece.lang
    show_html(heading("section.not_found_again", lang)
              + f"<p data-kpt-not-found-again='{len(done)}'>{len(done):,}</p>")
    show_table(register_view(done.drop(columns=["county"], errors="ignore"), piece.as_of, lang), lang,
               key="not_found_again")


def show_not_run(piece: CountySlice) -> None:
    lang = piece.lang
    show_html(heading("section.not_run", lang))
    if piece.not_run.empty:
        show_html(note(text("note.all_ran", lang)))
        return
    titles = {c["id"]: c["title"] for c in piece.meta.get("checks", [])}
    rows = piece.not_run.assign(title=piece.not_run["check_id"].map(titles))
    partly = rows["reason"].astype(str) == PARTLY_JUDGED
    if (~partly).any():
        shown = rows[~partly].assign(reason=[not_run_reason(r, lang) for r in rows.loc[~partly, "reason"]])
        show_table(shown[["check_id", "title", "reason"]], lang, key="not_run")
    else:
        show_html(note(text("note.all_ran", lang)))
    if partly.any():  # these checks ran; some entities could not be judged (checks.md revision 2)
        show_html(heading("section.partly_judged", lang))
        show_table(rows[partly][["check_id", "title", "entities"]], lang, key="partly_judged")


def show_ledger(piece: CountySlice) -> None:
    lang = piece.lang
    show_html(heading("section.ledger", lang) + note(text("note.ledger_scope", lang)))
    if piece.ledger.empty:
        show_html(note(text("note.no_ledger", lang)))
        return
    show_table(ledger_in(piece.ledger, lang), lang, key="ledger")  # notes in the report language


def show_report(piece: CountySlice) -> None:
    """Every section in order (for scripts; the notebook calls the sections one by one)."""
    show_title(piece)
    show_headline(piece)
    show_exe_tables(piece)
    show_areas(piece)
    show_charts(piece)
    show_not_found_again(piece)
    show_not_run(piece)
    show_ledger(piece)
