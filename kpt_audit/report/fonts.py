"""Find a CJK-capable font at run time and make matplotlib use it.

No font file is shipped: the font comes from the system (Debian's
fonts-noto-cjk / fonts-wqy-microhei, Windows' Microsoft YaHei, macOS' PingFang)
or from a conda environment.  Without one, charts fall back to English labels
(``chart_lang``) so that no "Glyph missing" warning floods the output.
"""
from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

# Preferred families, best coverage and legibility first.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC",
    "SimHei", "Heiti SC", "Noto Serif CJK SC",
)
# File names of those fonts, for folders matplotlib does not scan by itself.
CJK_FILE_HINTS = ("notosanscjk", "notosanssc", "sourcehansans", "wqy-microhei", "wqy-zenhei",
                  "msyh", "pingfang", "simhei", "notoserifcjk")
NO_FONT_MESSAGE = ("no CJK font found; charts use English labels. Install fonts-noto-cjk or "
                   "fonts-wqy-microhei (Debian/Ubuntu: apt-get install fonts-wqy-microhei; "
                   "conda: conda install -c conda-forge font-ttf-noto-cjk), then rerun.")

_chosen: list[str | None] = []  # memo: [family] once searched


def font_dirs() -> list[Path]:
    """Folders where package managers put fonts, beyond what matplotlib scans."""
    dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts",
            Path.home() / ".fonts", Path(sys.prefix) / "share" / "fonts", Path(sys.prefix) / "fonts",
            Path("/System/Library/Fonts"), Path("/Library/Fonts"),
            Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"]
    if os.environ.get("CONDA_PREFIX"):
        prefix = Path(os.environ["CONDA_PREFIX"])
        dirs += [prefix / "fonts", prefix / "share" / "fonts", prefix / "Library" / "fonts"]
    return [d for d in dirs if d.is_dir()]


def _candidate_files() -> list[Path]:
    found = []
    for folder in font_dirs():
        for path in folder.rglob("*"):
            name = path.name.lower().replace(" ", "")
            if path.suffix.lower() in (".ttf", ".ttc", ".otf") and any(h in name for h in CJK_FILE_HINTS):
                found.append(path)
    return sorted(set(found))


def find_cjk_family() -> str | None:
    """The first preferred CJK family matplotlib knows, registering font files found on disk."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    for path in _candidate_files():
        try:
            font_manager.fontManager.addfont(str(path))
        except (OSError, RuntimeError, ValueError):  # unreadable or unsupported font file
            continue
    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in known), None)


def setup_cjk_font() -> str | None:
    """Make matplotlib draw Chinese; the family used, or None after one clear warning.

    Also turns off matplotlib's ``$...$`` math parsing: chart labels are county
    and supplier names from the data, which must print as written (a name with
    an unbalanced ``$x^{2$`` would otherwise stop the whole report).
    """
    import matplotlib

    matplotlib.rcParams["text.parse_math"] = False
    if _chosen:
        return _chosen[0]

    family = find_cjk_family()
    matplotlib.rcParams["axes.unicode_minus"] = False
    if family:
        current = [f for f in matplotlib.rcParams["font.sans-serif"] if f != family]
        matplotlib.rcParams["font.sans-serif"] = [family, *current]
        matplotlib.rcParams["font.family"] = "sans-serif"
    else:
        warnings.warn(NO_FONT_MESSAGE, stacklevel=2)
        # said once above; county and supplier names in charts would otherwise warn per glyph
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
    _chosen.append(family)
    return family


def chart_lang(lang: str) -> str:
    """The language charts can be drawn in: ``lang``, or English when no CJK font exists."""
    return lang if lang != "zh" or setup_cjk_font() else "en"
