"""Executed notebook -> one self-contained HTML page that loads nothing from the network.

nbconvert's lab template pulls require.js, MathJax, mermaid and the widget
manager from CDNs; the reports are read on offline government networks, so a
template (held here as a string, so the wheel needs no extra data files)
extends ``lab`` and empties those blocks.  Code cells and prompts are left
out; images are already embedded by the notebook as base64 PNG.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..files import atomic_write_bytes

OFFLINE_TEMPLATE = "kpt_offline.html.j2"
OFFLINE_TEMPLATE_SOURCE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" alt="{{ ((output | get_metadata('alt', 'image/png')) or 'chart') | escape_html }}">
</div>
{% endblock data_png %}
"""
# Cells for the person running the notebook by hand (instructions), not for the report's reader.
HIDDEN_TAG = "hide-in-report"
# Tags that make a browser fetch their URL when the page is opened (links <a href> do not).
_FETCHING = re.compile(
    r"<(script|link|img|iframe|embed|source|video|audio)\b[^>]*?\b(src|href)\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)",
    re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\()?[\"']?((?:https?:)?//[^\"')\s]+)", re.IGNORECASE)
_JS_IMPORT = re.compile(r"\b(?:import|from)\s*\(?\s*[\"']((?:https?:)?//[^\"']+)", re.IGNORECASE)


def exporter(title: str | None = None, lang: str = "zh"):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exp = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({OFFLINE_TEMPLATE: OFFLINE_TEMPLATE_SOURCE})])
    exp.template_file = OFFLINE_TEMPLATE
    exp.language_code = "en" if lang == "en" else "zh"  # <html lang>: screen readers, fonts, translation
    exp.exclude_input = True
    exp.exclude_input_prompt = True
    exp.exclude_output_prompt = True
    exp.embed_images = True
    exp.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={HIDDEN_TAG}, enabled=True), enabled=True)
    return exp


def notebook_html(ipynb_path, title: str | None = None, lang: str = "zh") -> str:
    """The HTML text of an executed notebook (code hidden, offline)."""
    import nbformat

    nb = nbformat.read(str(ipynb_path), as_version=4)
    if title:
        nb.metadata["title"] = title
    # widget state would only be useful with the (online) widget manager we leave out
    nb.metadata.pop("widgets", None)
    # papermill gives the cell it injects a random id, which the page carries: same inputs, same page
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    body, _ = exporter(title, lang).from_notebook_node(nb, resources={"metadata": {"name": title or Path(ipynb_path).stem}})
    return body


def notebook_to_html(ipynb_path, html_path, title: str | None = None, lang: str = "zh") -> Path:
    """Render ``ipynb_path`` to ``html_path`` atomically; raises if the page would load a URL."""
    body = notebook_html(ipynb_path, title, lang)
    offending = assert_offline(body)
    if offending:
        raise ValueError(f"{ipynb_path}: the HTML would load {', '.join(offending[:5])}")
    path = Path(html_path)
    atomic_write_bytes(path, body.encode("utf-8"))
    return path


def assert_offline(html_text: str) -> list[str]:
    """The external URLs the page would fetch when opened (empty when it is self-contained)."""
    urls = [m.group(3) for m in _FETCHING.finditer(html_text)]
    urls += _CSS_IMPORT.findall(html_text) + _JS_IMPORT.findall(html_text)
    return sorted(set(urls))
