"""What the roll-up notebook (``index.html``) shows: every county side by side (找问题、比差距).

It reads only the run folder: ``findings.csv``, ``metrics/exe_by_county.csv``
and ``manifest.json`` (``counties``: county, slug, status, error, html).
Counts of findings leave out the rows not found again (an earlier finding absent
now; never called rectified: only the register says 已整改).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from ..checks.registry import AREAS, PARTLY_JUDGED
from ..files import read_report_csv
from ..findings import NEW, NOT_FOUND_AGAIN, PERSISTING
from ..messages import text
from ..register.summary import counted, current_findings
from . import charts
from . import amounts
from .county import amounts_html
from .display import STYLE, esc, heading, masking_note, note, page_style, show_figure, show_html
from .rectification import show_rollup_register
from .tables import setup, show_table

EXE_HEADLINE = ["projects", "start_rate", "annual_completion", "cumulative_completion", "payment_rate", "idle_funds"]


@dataclass
class RunSummary:
    run_dir: Path
    findings: pd.DataFrame
    exe: pd.DataFrame | None
    manifest: dict
    lang: str = "zh"
    not_run: pd.DataFrame | None = None  # not_run.csv: check_id, reason, entities

    @property
    def statuses_present(self) -> bool:
        return bool((self.findings["status"] != "").any())


def load_run(run_dir) -> RunSummary:
    folder = Path(run_dir)
    findings = read_report_csv(folder / "findings.csv", dtype=str, keep_default_na=False)
    findings["amount"] = pd.to_numeric(findings["amount"], errors="coerce")
    findings = counted(findings)  # with a register, findings dismissed on verification are not counted
    exe_file = folder / "metrics" / "exe_by_county.csv"
    exe = None
    if exe_file.is_file():
        exe = read_report_csv(exe_file, dtype={"county": str}, keep_default_na=False, na_values=[""])
        exe["county"] = exe["county"].fillna("")
    manifest_file = folder / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.is_file() else {}
    lang = (manifest.get("params") or {}).get("lang") or "zh"
    not_run_file = folder / "not_run.csv"
    not_run = read_report_csv(not_run_file, dtype=str, keep_default_na=False) if not_run_file.is_file() else None
    return RunSummary(folder, findings, exe, manifest, lang, not_run)


def _counties(run: RunSummary) -> list[str]:
    names = set(run.findings["county"])
    names |= {c.get("county", "") for c in run.manifest.get("counties", [])}
    if run.exe is not None:
        names |= set(run.exe["county"])
    return sorted(names, key=lambda n: (n == "", n))


def county_summary(run: RunSummary) -> pd.DataFrame:
    """One row per county: EXE headline figures, findings by severity and, with a previous run, how
    many are new, persisting and not found again.  Amounts are not added up here: each check's
    amount means something else (:func:`county_amounts`)."""
    counties = _counties(run)
    f = run.findings
    live = current_findings(f)
    out = pd.DataFrame({"county": counties})
    if run.exe is not None:
        exe = run.exe.drop_duplicates("county").set_index("county")
        for col in EXE_HEADLINE:
            if col in exe:
                out[col] = out["county"].map(exe[col])
                if col in ("projects", "started"):  # counts, shown as whole numbers (a county without any: empty)
                    out[col] = out[col].astype("Int64")
    out["findings"] = out["county"].map(live.groupby("county").size()).fillna(0).astype("int64")
    for sev in ("high", "medium", "low"):
        out[sev] = out["county"].map(live[live["severity"] == sev].groupby("county").size()).fillna(0).astype("int64")
    if run.statuses_present:
        for status in (NEW, PERSISTING, NOT_FOUND_AGAIN):
            out[status] = out["county"].map(f[f["status"] == status].groupby("county").size()).fillna(0).astype("int64")
    return out


def county_amounts(run: RunSummary) -> pd.DataFrame:
    """Per county and check that defines an amount: findings with an amount and their total (yuan),
    one meaning per row (never added across checks)."""
    return amounts.county_amounts(run.findings, run.lang)


def _county_label(name: str, lang: str) -> str:
    return name or text("unassigned_county", lang)


def show_title(run: RunSummary) -> None:
    setup(force=True)
    as_of = run.manifest.get("as_of") or ""
    running = text("print.running_header", run.lang, title=text("rollup.title", run.lang), as_of=as_of)
    show_html(STYLE + page_style(running, run.lang) + f"<h1>{esc(text('rollup.title', run.lang))}</h1>"
              + f"<p>{esc(text('report.subtitle', run.lang, as_of=as_of))} · {esc(text('note.units', run.lang))}</p>"
              + masking_note(run.manifest.get("personal_data_masked") is not False, run.lang))


def show_comparison(run: RunSummary) -> None:
    lang = run.lang
    table = county_summary(run)
    table["county"] = table["county"].map(lambda c: _county_label(c, lang))
    total = int(table["findings"].sum())
    show_html(heading("section.comparison", lang)
              + f"<p data-kpt-findings='{total}'>{esc(text('headline.findings', lang))}: {total:,}</p>")
    show_table(table.drop(columns=[c for c in (NEW, PERSISTING, NOT_FOUND_AGAIN) if c in table]), lang,
               key="comparison")
    by_county = county_amounts(run)
    by_county["county"] = by_county["county"].map(lambda c: _county_label(c, lang))
    show_html(amounts_html(by_county, lang, key="county_amounts"))


def areas_not_examined(run: RunSummary) -> list[str]:
    """The areas none of whose checks ran (their tables or columns missing), in the catalogue's order."""
    if run.not_run is None:
        return []
    from ..checks.catalogue import CHECKS

    not_run = set(run.not_run.loc[run.not_run["reason"] != PARTLY_JUDGED, "check_id"])
    return [a for a in AREAS if (ids := [c.id for c in CHECKS.values() if c.area == a]) and set(ids) <= not_run]


def area_matrix(run: RunSummary) -> pd.DataFrame:
    """Findings per county (rows) and area (columns, in the catalogue's order): the heat map's figures.
    Every area some check of which ran has its column, 0 where nothing was found; an area whose checks
    all did not run has none (0 would read as clean: :func:`areas_not_examined` names them)."""
    live = current_findings(run.findings)
    counts = live.groupby(["county", "area"]).size().unstack("area", fill_value=0)
    skipped = areas_not_examined(run)
    areas = [a for a in AREAS if a in counts.columns or (run.not_run is not None and a not in skipped)]
    counts = counts.reindex(index=_counties(run), columns=areas, fill_value=0).astype("int64")
    return counts.rename(columns=lambda a: text(f"area.{a}", run.lang)).rename_axis(None, axis=1).reset_index()


def ranking(run: RunSummary) -> pd.DataFrame:
    """Counties ranked by findings, most first (ties share a rank; then by name): the bar chart's figures."""
    table = county_summary(run)[["county", "findings", "high", "medium", "low"]]
    table = table[table["county"] != ""]  # findings with no county (未指定) are shown, not ranked as a county
    table = table.sort_values(["findings", "county"], ascending=[False, True], kind="stable")
    return table.assign(rank=table["findings"].rank(method="min", ascending=False).astype("int64"))[
        ["rank", "county", "findings", "high", "medium", "low"]]


def show_matrix(run: RunSummary) -> None:
    """The heat map, and its figures as a table (text a reader can copy and a script can read)."""
    show_html(heading("section.matrix", run.lang))
    show_figure(charts.county_area_heatmaps(run.findings, run.lang, counties=_counties(run)),
                text("note.no_findings", run.lang))
    matrix = area_matrix(run)
    matrix["county"] = matrix["county"].map(lambda c: _county_label(c, run.lang))
    show_table(matrix, run.lang, key="matrix")
    skipped = areas_not_examined(run)
    if skipped:
        names = [text(f"area.{a}", run.lang) for a in skipped]
        show_html(note(text("note.areas_not_examined", run.lang, areas=("、" if run.lang == "zh" else ", ").join(names))))


def show_ranking(run: RunSummary) -> None:
    show_html(heading("section.ranking", run.lang))
    show_figure(charts.county_ranking(run.findings, run.lang, counties=_counties(run)),
                text("note.no_findings", run.lang))
    table = ranking(run)
    table["county"] = table["county"].map(lambda c: _county_label(c, run.lang))
    show_html(note(text("note.ranking_order", run.lang)))
    show_table(table, run.lang, key="ranking")


def show_since_previous(run: RunSummary) -> None:
    """Per county new / persisting / not found again (with --previous or --register); with a register,
    then the rectification table per county and its trend."""
    if run.statuses_present:
        lang = run.lang
        table = county_summary(run)[["county", NEW, PERSISTING, NOT_FOUND_AGAIN]]
        table = table.assign(county=table["county"].map(lambda c: _county_label(c, lang)))
        show_html(heading("section.since_previous", lang))
        show_table(table, lang, key="since_previous")
    show_rollup_register(run)


def _relative(href: str) -> bool:
    """A link inside the run folder (no scheme, no absolute path, no way up)."""
    return bool(href) and not href.startswith(("/", "\\")) and ":" not in href and ".." not in href.split("/")


def links_html(run: RunSummary) -> str:
    """A list of links to each county's report (relative, escaped); failed counties marked."""
    lang = run.lang
    items = []
    for entry in sorted(run.manifest.get("counties", []), key=lambda c: (c.get("county", "") == "", c.get("county", ""))):
        label = esc(_county_label(entry.get("county", ""), lang))
        status = entry.get("status", "ok")
        href = entry.get("html") or ""
        if status == "ok" and _relative(href):
            items.append(f"<li><a href=\"{esc(quote(href))}\">{label}</a></li>")
        else:
            word = text({"timeout": "note.timeout", "ok": "note.report_missing"}.get(status, "note.failed"), lang)
            error = f": {esc(entry.get('error'))}" if entry.get("error") else ""
            trail = entry.get("notebook") or ""
            # the executed notebook keeps the error: the auditor's way into what went wrong
            trail_link = f" <a href=\"{esc(quote(trail))}\">.ipynb</a>" if _relative(trail) else ""
            items.append(f"<li>{label} <span class='kpt-failed' data-kpt-status='{esc(status)}'>"
                         f"{esc(word)}{error}</span>{trail_link}</li>")
    if not items:
        return heading("section.reports", lang) + note(text("note.report_missing", lang))
    return heading("section.reports", lang) + "<ul class='kpt-links'>" + "".join(items) + "</ul>"


def show_links(run: RunSummary) -> None:
    show_html(links_html(run))


def show_rollup(run: RunSummary) -> None:
    show_title(run)
    show_links(run)
    show_comparison(run)
    show_matrix(run)
    show_ranking(run)
    show_since_previous(run)
