"""What conf/page_weight.py does to the figures and the icon fonts, without a
build (tests/test_site_pages.py checks the built pages, tests/test_math_browser.py
their weight in Chromium)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "conf"))

from page_weight import (  # noqa: E402
    ICON_FONTS,
    palette_png,
    subset_font,
    theme_css,
    theme_webfonts,
    trim_icon_rules,
)


def _figure_png() -> bytes:
    """A PNG as matplotlib writes one: RGBA, opaque, antialiased lines in a few
    colours (over 256 shades in all), text chunks and a dpi."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    x = np.linspace(0, 6, 200)
    for k in range(4):
        ax.plot(x, np.sin(x + k), lw=2)
    ax.set_title("four waves")
    out = io.BytesIO()
    info = {"nnbook:dpi": "100", "nnbook:smallest-text-pt": "10"}
    fig.savefig(out, format="png", metadata=info)
    plt.close(fig)
    return out.getvalue()


def test_a_figure_gets_a_palette_and_keeps_its_text_and_dpi() -> None:
    original = _figure_png()
    smaller = palette_png(original)
    assert smaller is not None and len(smaller) < 0.7 * len(original)
    with Image.open(io.BytesIO(original)) as a, Image.open(io.BytesIO(smaller)) as b:
        assert len(a.convert("RGB").getcolors(1 << 24)) > 256
        assert b.mode == "P" and b.size == a.size
        assert b.text["nnbook:dpi"] == "100" and b.text["nnbook:smallest-text-pt"] == "10"
        assert round(b.info["dpi"][0]) == round(a.info["dpi"][0])
        diff = np.abs(np.asarray(a.convert("RGB"), int) - np.asarray(b.convert("RGB"), int))
    # the same picture: no pixel off by more than a few levels on average
    assert diff.mean() < 1.5 and np.percentile(diff, 99) < 40


def test_the_palette_is_the_same_bytes_every_time_and_written_once() -> None:
    original = _figure_png()
    first = palette_png(original)
    assert first is not None and palette_png(original) == first
    assert palette_png(first) is None  # a rebuild that keeps the file keeps its bytes


def test_an_icon_font_cut_to_some_icons_holds_exactly_those() -> None:
    from fontTools.ttLib import TTFont

    bars, sun, github = 0xF0C9, 0xF185, 0xF09B
    solid = theme_webfonts() / "fa-solid-900.woff2"
    cut = subset_font(solid, {bars, sun, github})
    assert cut == subset_font(solid, {bars, sun, github})  # the same bytes each build
    assert len(cut) < solid.stat().st_size / 20
    font = TTFont(io.BytesIO(cut))
    assert set(font.getBestCmap()) == {bars, sun}  # the brand icon is in the brands font
    brands = TTFont(io.BytesIO(subset_font(theme_webfonts() / "fa-brands-400.woff2", {github})))
    assert set(brands.getBestCmap()) == {github}
    assert len(ICON_FONTS) == 3


def test_the_theme_stylesheet_loses_only_the_rules_of_unused_icons() -> None:
    css = theme_css().read_text(encoding="utf-8")
    trimmed = trim_icon_rules(css, {"fa-bars", "fa-sun"})
    assert '.fa-bars,.fa-navicon{--fa:"\\f0c9"}' in trimmed and ".fa-sun{" in trimmed
    assert ".fa-moon{--fa:" in css and ".fa-moon{--fa:" not in trimmed
    assert 50_000 < len(css) - len(trimmed) < 80_000
    # what is not an icon's rule stays, byte for byte
    assert trimmed.count("@font-face") == css.count("@font-face")
    assert trimmed.count("{") == css.count("{") - (css.count("{--fa:") - trimmed.count("{--fa:"))
