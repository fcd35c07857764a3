"""Interactive tables for the reports: itables offline, escaped, every row kept.

Reports are opened on offline networks, so the DataTables bundle is embedded
once per notebook (:func:`setup`) from the installed itables package, never
fetched.  Cell text is HTML-escaped by itables (``allow_html`` stays False);
headers come from the message catalogue; amounts are shown in 万元 with two
decimals and rates in percent, both as numbers so that columns sort
numerically.

Each table is written twice: the interactive one for the screen
(``kpt-screen``) and a plain, escaped copy of every row for paper
(``kpt-print``).  DataTables puts only the current page's rows in the page,
so printing the interactive table would print 25 rows; the print stylesheet
(:data:`kpt_audit.report.display.STYLE`) shows one copy or the other.
"""
from __future__ import annotations

import hashlib
import html
import re

import pandas as pd

from ..messages import CATALOGUE, text

# Columns holding yuan: shown in 万元.
AMOUNT_COLUMNS = frozenset({"amount", "annual_plan", "completed_ytd", "total_investment", "completed_total",
                            "allocated", "paid", "idle_funds", "central", "provincial"})
# Columns holding fractions: shown in percent.
RATE_COLUMNS = frozenset({"start_rate", "annual_completion", "cumulative_completion", "payment_rate"})
TRANSLATED_VALUES = {"severity": "severity.", "area": "area.", "status": "status.", "reason": "reason.",
                     "cause": "cause.", "entity_type": "entity_type."}
TABLE_OPTIONS = dict(
    allow_html=False,
    maxBytes=0,  # never downsample: an auditor must see every finding
    maxRows=0,
    maxColumns=0,
    classes="display compact cell-border",
    lengthMenu=[10, 25, 50, 100, -1],
    pageLength=25,
    # the extra empty slot makes itables keep the search box on tables that fit one page
    layout={"topStart": "pageLength", "topEnd": "search", "bottomStart": "info", "bottomEnd": "paging",
            "bottom": None},
    order=[],
    showIndex=False,
    # a click anywhere on the header sorts (itables otherwise keeps the text selectable and sorts
    # from the small icon only)
    text_in_header_can_be_selected=False,
)
FEW_ROWS = 10  # up to this many rows a table is shown whole, without controls
_initialised: list[bool] = []
# A \\uXXXX escape at the first or the second JSON level (itables nests the data as a JSON string).
_JSON_ESCAPE = re.compile(r"(?<!\\)(\\{1,2})u([0-9a-fA-F]{4})")


def setup(force: bool = False) -> None:
    """Embed the DataTables bundle (offline) in this cell's output, once per kernel unless ``force``.

    A notebook's first cell forces it, so that rerunning the notebook in the
    same kernel still saves the bundle with the notebook.
    """
    if _initialised and not force:
        return
    from itables import init_notebook_mode

    init_notebook_mode(all_interactive=False, connected=False)
    _initialised.append(True)


def column_label(column: str, lang: str = "zh") -> str:
    key = f"col.{column}"
    return text(key, lang) if key in CATALOGUE else column


def value_label(prefix: str, value, lang: str) -> str:
    key = f"{prefix}{value}"
    return text(key, lang) if key in CATALOGUE else value


def display_frame(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Units converted, coded values translated, headers from the catalogue."""
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        s = df[col]
        if col in AMOUNT_COLUMNS:
            s = (pd.to_numeric(s, errors="coerce").astype("float64") / 10000).round(2)
        elif col in RATE_COLUMNS:
            s = (pd.to_numeric(s, errors="coerce").astype("float64") * 100).round(2)  # shown with two decimals
        elif col in TRANSLATED_VALUES:
            uniques = pd.unique(s.dropna())
            s = s.map({u: value_label(TRANSLATED_VALUES[col], u, lang) for u in uniques})
        elif pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d")
        elif isinstance(s.dtype, pd.Int64Dtype) and s.isna().any():
            s = s.astype("object").where(s.notna(), "")
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            s = s.astype("object").where(s.notna(), "")
        out[column_label(col, lang)] = s
    return out.reset_index(drop=True)


def table_id(df: pd.DataFrame, key: str = "") -> str:
    """A deterministic DOM id (itables would draw a random one, making reports differ run to run)."""
    digest = hashlib.sha256(("|".join(map(str, df.columns)) + f"|{len(df)}|{key}").encode("utf-8")).hexdigest()
    return f"kpt_{digest[:12]}"


def table_language(lang: str) -> dict[str, str]:
    """DataTables' own words (search box, paging) from the catalogue."""
    keys = {"search": "table.search", "lengthMenu": "table.length_menu", "info": "table.info",
            "infoEmpty": "table.info_empty", "infoFiltered": "table.info_filtered",
            "zeroRecords": "table.zero_records", "emptyTable": "table.empty"}
    return {option: text(key, lang) for option, key in keys.items()}


def table_html(df: pd.DataFrame, lang: str = "zh", key: str = "", caption: str | None = None) -> str:
    """The itables HTML of ``df`` (display-ready: units, labels, escaping)."""
    from itables import to_html_datatable

    shown = display_frame(df, lang)
    options = dict(TABLE_OPTIONS)
    if len(shown) <= FEW_ROWS:  # a table of a few rows needs no search, paging or count
        options.update(layout={"topStart": None, "topEnd": None, "bottomStart": None, "bottomEnd": None,
                               "bottom": None}, paging=False)
    # text reads from the left (DataTables right-aligns what looks like numbers: ids, codes, dates)
    text_columns = [j for j, c in enumerate(shown.columns) if not pd.api.types.is_numeric_dtype(shown[c])]
    if text_columns:
        options["columnDefs"] = [{"className": "dt-left", "targets": text_columns}]
    # two decimals shown; the sort value stays the number itself
    with pd.option_context("display.float_format", "{:,.2f}".format):
        html_text = to_html_datatable(shown, connected=False, table_id=table_id(df, key), caption=caption,
                                      language=table_language(lang), **options)
    # an empty cell reads better than "NaN", in the data and in the table shown before the script runs;
    # the sort key stays itables' own marker
    html_text = html_text.replace('[\\"NaN\\", \\"___NaN___\\"]', '[\\"\\", \\"___NaN___\\"]')
    html_text = re.sub(r'(<td[^>]*>)NaN</td>', r'\1</td>', html_text)
    return (f"<div class='kpt-screen'>{unescape_json_text(html_text)}</div>"
            + print_table_html(shown, caption))


def _print_cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def print_table_html(shown: pd.DataFrame, caption: str | None = None) -> str:
    """Every row of a display frame as a plain table for paper (escaped; numbers as the screen shows them)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) for c in shown.columns]
    body = "".join(
        "<tr>" + "".join(f"<td class='kpt-num'>{html.escape(_print_cell(v))}</td>" if num
                         else f"<td>{html.escape(_print_cell(v))}</td>" for v, num in zip(row, numeric)) + "</tr>"
        for row in shown.itertuples(index=False, name=None))
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table class='kpt-print'>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def unescape_json_text(html_text: str) -> str:
    """Chinese written as itself rather than as \\u escapes, so the HTML reads (and greps) as Chinese.

    Only letters are unescaped: ASCII, surrogates and the JavaScript line
    separators stay escaped, so the JSON and the script around it mean the same.
    """
    def plain(m: re.Match) -> str:
        ch = chr(int(m.group(2), 16))
        if ord(ch) < 0xA0 or 0xD800 <= ord(ch) <= 0xDFFF or ch in "\u2028\u2029":
            return m.group(0)
        return ch

    return _JSON_ESCAPE.sub(plain, html_text)


def show_table(df: pd.DataFrame, lang: str = "zh", key: str = "", caption: str | None = None) -> None:
    """Display ``df`` as a sortable, searchable table with every row."""
    from IPython.display import HTML, display

    setup()
    if df is None or df.empty:
        display(HTML(f"<p class='kpt-empty'>{html.escape(text('note.none', lang))}</p>"))
        return
    display(HTML(table_html(df, lang, key, caption)))
