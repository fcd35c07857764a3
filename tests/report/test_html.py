import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kpt_audit.report.html import assert_offline, notebook_html, notebook_to_html

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@pytest.mark.parametrize("markup, url", [
    ('<script src="https://cdn.example/x.js"></script>', "https://cdn.example/x.js"),
    ("<link rel=stylesheet href=//cdn.example/a.css>", "//cdn.example/a.css"),
    ('<img src="http://track.example/p.gif">', "http://track.example/p.gif"),
    ("<style>@import url('https://fonts.example/f.css');</style>", "https://fonts.example/f.css"),
    ('<script type="module">import x from "https://esm.example/m.js";</script>', "https://esm.example/m.js"),
    ('<script>await import("https://esm.example/n.js")</script>', "https://esm.example/n.js"),
])
def test_assert_offline_finds_fetched_urls(markup, url):
    assert assert_offline(f"<html>{markup}</html>") == [url]


def test_links_and_data_uris_are_not_fetches():
    page = ('<a href="https://itables.org">itables</a><img src="data:image/png;base64,AAA">'
            '<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    assert assert_offline(page) == []


def _notebook(tmp_path):
    nb = new_notebook(cells=[
        new_markdown_cell("## 标题"),
        new_code_cell("secret_code_marker = 1\nprint('visible output')", outputs=[
            new_output("stream", name="stdout", text="visible output\n"),
            new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
            new_output("display_data", data={"text/html": "<b>表格</b>"}),
        ]),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    return path


def test_html_hides_code_embeds_images_and_loads_nothing(tmp_path):
    out = notebook_to_html(_notebook(tmp_path), tmp_path / "out" / "n.html", "甲县 报告")
    page = out.read_text(encoding="utf-8")
    assert "secret_code_marker" not in page and "In&nbsp;[" not in page
    assert "visible output" in page and "<b>表格</b>" in page and "标题" in page
    assert f"data:image/png;base64,{PNG}" in page
    assert "<title>甲县 报告</title>" in page
    assert assert_offline(page) == []
    for cdn in ("require.js", "MathJax", "mermaid.esm", "unpkg.com", "cdnjs"):
        assert cdn not in page
    assert [p.name for p in out.parent.iterdir()] == ["n.html"]


def test_widget_state_does_not_pull_the_widget_manager(tmp_path):
    path = _notebook(tmp_path)
    nb = nbformat.read(path, as_version=4)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                            "version_minor": 0}}
    nbformat.write(nb, path)
    assert assert_offline(notebook_html(path)) == []


def test_chart_alt_text_from_data_is_escaped_and_page_language_set(tmp_path):
    import nbformat

    from kpt_audit.report.html import notebook_html

    nb = nbformat.v4.new_notebook()
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": png},
                                           metadata={"image/png": {"alt": '东城区"><script>alert(1)</script>'}})]
    nb.cells.append(cell)
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    html = notebook_html(path, "t")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert '<html lang="zh">' in html
    assert '<html lang="en">' in notebook_html(path, "t", lang="en")


def test_running_header_is_a_safe_css_string():
    from kpt_audit.report.display import css_string, page_style

    assert css_string('甲县"</style><script>') == '"甲县\\22 \\3c \\2f style\\3e \\3c script\\3e "'
    style = page_style("甲县 · 审计基准日 2020-09-25", "zh")
    assert "@top-center" in style and "counter(page)" in style and "counter(pages)" in style
    assert style.count("</style>") == 1
