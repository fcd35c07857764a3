"""Small HTML building blocks shared by the county and roll-up notebooks.

Every piece of data that reaches HTML built here goes through
``html.escape``; headings and labels come from the message catalogue.
"""
from __future__ import annotations

import html

from ..messages import text

STYLE = """<style>
.kpt-cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 16px}
.kpt-card{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:120px;background:#fafbfc}
.kpt-card .kpt-value{font-size:1.5em;font-weight:600}
.kpt-card .kpt-label{color:#57606a;font-size:.9em}
.kpt-card.high .kpt-value{color:#c0392b}.kpt-card.medium .kpt-value{color:#d35400}
.kpt-method{font-size:.92em;color:#24292f;margin:4px 0 10px;padding-left:8px;border-left:3px solid #d0d7de}
.kpt-note{color:#57606a;font-style:italic}
.kpt-failed{color:#c0392b;font-weight:600}
.kpt-print{display:none}
@page{size:A4 landscape;margin:16mm 10mm 14mm 10mm}
@media print{
.kpt-screen{display:none !important}
.kpt-print{display:table !important;width:100% !important;border-collapse:collapse;table-layout:auto !important;
  font-size:8pt;margin:4px 0 10px}
.kpt-print caption{text-align:left;font-weight:600}
.kpt-print th,.kpt-print td{border:1px solid #888;padding:2px 4px;vertical-align:top;text-align:left !important;
  white-space:normal;overflow-wrap:anywhere;word-break:break-word;min-width:3.6em}
.kpt-print th{background:#eef2f6}
.kpt-print td.kpt-num{text-align:right !important;white-space:nowrap;overflow-wrap:normal;word-break:normal}
/* JupyterLab's styles keep each output on one page and give table columns equal widths: a long
   table must flow over pages, and the detail column take the room its text needs */
.jp-OutputArea-child{break-inside:auto !important}
.kpt-print thead{display:table-header-group}
.kpt-print tr{break-inside:avoid}
h1,h2,h3,h4{break-after:avoid}
img{max-width:100% !important;break-inside:avoid}
.kpt-card,.kpt-method{break-inside:avoid}
.jp-OutputArea-output{overflow:visible !important}
}
</style>"""


def css_string(value: str) -> str:
    """``value`` as a CSS string literal that cannot end the string or the <style> element."""
    out = []
    for ch in str(value):
        if ch.isalnum() or ch in " -_.:·（）()，、" or ord(ch) > 0x7F and ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def page_style(running_header: str, lang: str) -> str:
    """The printed page's running header (``running_header``) and its number, as CSS margin boxes."""
    before, middle, after = _split_page_text(text("print.page", lang))
    number = f"{css_string(before)} counter(page) {css_string(middle)} counter(pages) {css_string(after)}"
    return ("<style>@page{"
            f"@top-center{{content:{css_string(running_header)};font-size:9pt;color:#444}}"
            f"@bottom-center{{content:{number};font-size:9pt;color:#444}}"
            "}</style>")


def _split_page_text(template: str) -> tuple[str, str, str]:
    """'第 {page} 页，共 {pages} 页' -> ('第 ', ' 页，共 ', ' 页')."""
    before, rest = template.split("{page}", 1)
    middle, after = rest.split("{pages}", 1)
    return before, middle, after


def esc(value) -> str:
    """Escaped text of any value; missing values are empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def show_html(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def heading(key: str, lang: str, level: int = 2, **values) -> str:
    return f"<h{level}>{esc(text(key, lang, **values))}</h{level}>"


def note(message: str) -> str:
    return f"<p class='kpt-note'>{esc(message)}</p>"


def masking_note(masked: bool, lang: str) -> str:
    """Whether a page's personal data is masked: a note, or -- unmasked -- a warning in red."""
    return note(text("note.masked", lang)) if masked else f"<p class='kpt-failed'>{esc(text('note.unmasked', lang))}</p>"


def card(label: str, value: str, css: str = "", attrs: str = "") -> str:
    """One headline card; ``attrs`` are trusted attributes built by the caller from numbers."""
    return (f"<div class='kpt-card {esc(css)}' {attrs}><div class='kpt-value'>{esc(value)}</div>"
            f"<div class='kpt-label'>{esc(label)}</div></div>")


def fmt_rate(value) -> str:
    return "—" if value is None or value != value else f"{value * 100:.1f}%"


def fmt_wan(value) -> str:
    return "—" if value is None or value != value else f"{value / 10000:,.2f}"


def show_figure(fig, missing_note: str = "") -> None:
    """Display a figure as an embedded PNG (one savefig), or the note saying why there is none."""
    from .charts import png_bytes

    if fig is None:
        if missing_note:
            show_html(note(missing_note))
        return
    from IPython.display import Image, display

    # the titles double as the image's alternative text in the HTML page
    alt = " / ".join(ax.get_title() for ax in fig.axes if ax.get_title())
    display(Image(data=png_bytes(fig), format="png", metadata={"alt": alt}))
