import subprocess
import warnings

import pytest

from kpt_audit.report import fonts


@pytest.fixture
def fresh_font_state(monkeypatch):
    import matplotlib

    monkeypatch.setattr(fonts, "_chosen", [])
    saved = matplotlib.rcParams.copy()
    yield
    matplotlib.rcParams.update(saved)


def _system_has_cjk_font() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


@pytest.mark.skipif(not _system_has_cjk_font(), reason="no CJK font installed (fc-list :lang=zh is empty)")
def test_a_cjk_font_is_found_and_set_first(fresh_font_state):
    import matplotlib

    family = fonts.setup_cjk_font()
    assert family in fonts.CJK_FAMILIES
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert fonts.chart_lang("zh") == "zh"


def test_no_font_gives_one_warning_and_english_charts(fresh_font_state, monkeypatch):
    monkeypatch.setattr(fonts, "find_cjk_family", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert fonts.setup_cjk_font() is None
        assert fonts.setup_cjk_font() is None
        assert fonts.chart_lang("zh") == "en"
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "fonts-noto-cjk" in messages[0]
    assert fonts.chart_lang("en") == "en"


def test_no_glyph_warning_when_no_font(fresh_font_state, monkeypatch):
    import pandas as pd

    from kpt_audit.report import charts

    monkeypatch.setattr(fonts, "find_cjk_family", lambda: None)
    findings = pd.DataFrame({"county": ["甲县", "乙县"], "area": ["execution", "cost"], "severity": ["high", "low"],
                             "amount": [1.0, 2.0], "status": ["", ""], "check_id": ["EXE01", "COS01"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = charts.county_area_heatmaps(findings, "zh")
        charts.png_bytes(fig)
    assert not [w for w in caught if "Glyph" in str(w.message)]
    assert fig.axes[0].get_title() == "Findings: county x area"
