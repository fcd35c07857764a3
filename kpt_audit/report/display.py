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
</style>"""


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
