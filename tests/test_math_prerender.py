"""The maths typeset at build time (conf/mathjax_prerender.py) and the MathJax
fonts the site serves (conf/mathjax_assets.py), without a browser
(tests/test_math_browser.py checks the built pages in Chromium)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from docutils import nodes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "conf"))

from mathjax_assets import (  # noqa: E402
    MATHJAX_FILES,
    mathjax_package_dir,
    mathjax_static_dir,
    prune,
)
from mathjax_prerender import Client, MathError, display_tex  # noqa: E402


def _files(top: Path) -> set[str]:
    return {p.relative_to(top).as_posix() for p in top.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def mathjax() -> Client:
    return Client.get()


def test_a_formula_becomes_mathjax_markup_with_its_mathml(mathjax: Client) -> None:
    html = mathjax.typeset(r"\boldsymbol{w}^\top \mathbf{x} + b", display=False)
    assert html.startswith('<mjx-container class="MathJax" jax="CHTML"')
    assert html.count("<mjx-container") == 1 and "display=" not in html.split(">")[0]
    # \boldsymbol: bold italic w (U+1D498), in the font MathJax's stylesheet names TEX-BI
    assert "mjx-c1D498 TEX-BI" in html
    assert '<mi mathvariant="bold-italic">w</mi>' in html  # for screen readers
    assert "\\" not in html  # no TeX left for a script


def test_display_maths_and_environments(mathjax: Client) -> None:
    html = mathjax.typeset(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", display=True)
    assert 'display="true"' in html and "<mjx-mtable" in html
    # an extension MathJax autoloads (cancel) is loaded from the package, offline
    assert "<mjx-menclose" in mathjax.typeset(r"\cancel{x}", display=False)


@pytest.mark.parametrize(
    ("tex", "message"),
    [(r"\nosuchmacro + 1", "Undefined control sequence \\nosuchmacro"),
     (r"\frac{1}{", "Missing close brace")],
)  # fmt: skip
def test_a_formula_mathjax_cannot_typeset_is_an_error(
    mathjax: Client, tex: str, message: str
) -> None:
    with pytest.raises(MathError, match=message.replace("\\", "\\\\")):
        mathjax.typeset(tex, display=False)


def test_the_stylesheet_holds_what_the_formulas_use_and_the_fonts_url(mathjax: Client) -> None:
    mathjax.reset()
    mathjax.typeset(r"\mathcal{L}", display=False)
    css = mathjax.stylesheet("../_static/fonts")
    assert 'url("../_static/fonts/MathJax_Calligraphic-Regular.woff")' in css
    assert "mjx-c.mjx-c4C.TEX-C::before" in css  # L in the calligraphic font
    assert "mjx-c1D465" not in css  # an italic x: no formula since the reset uses it
    mathjax.typeset("x", display=False)
    assert "mjx-c.mjx-c1D465.TEX-I::before" in mathjax.stylesheet("f")


def test_display_tex_is_what_sphinx_hands_mathjax() -> None:
    def block(text: str, **options: object) -> nodes.math_block:
        node = nodes.math_block(text, text)
        node.update_all_atts(options)
        return node

    assert display_tex(block("a = b")) == "a = b"
    assert display_tex(block(r"a \\ b")) == r"\begin{split}a \\ b\end{split}"
    assert display_tex(block("a = b\n\nc = d")) == (
        r"\begin{align}\begin{aligned}a = b\\c = d\end{aligned}\end{align}"
    )
    raw = r"\begin{align*} a &= b \end{align*}"
    assert display_tex(block(raw, nowrap=True)) == raw


def test_the_static_folder_holds_exactly_the_listed_fonts_as_shipped() -> None:
    folder = Path(mathjax_static_dir()) / "mathjax"
    assert _files(folder) == set(MATHJAX_FILES)
    assert all(name.endswith(".woff") for name in MATHJAX_FILES)
    package = mathjax_package_dir()
    for name in MATHJAX_FILES:
        assert (folder / name).read_bytes() == (package / name).read_bytes()


def test_prune_deletes_what_is_not_listed_and_the_folders_left_empty(tmp_path: Path) -> None:
    top = tmp_path / "_static" / "mathjax"
    for name in [*MATHJAX_FILES, "tex-chtml.js", "sre/mathmaps/en.json", "a11y/explorer.js"]:
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(name)
    deleted = prune(tmp_path)
    assert sorted(deleted) == ["a11y/explorer.js", "sre/mathmaps/en.json", "tex-chtml.js"]
    assert _files(top) == set(MATHJAX_FILES)
    assert not (top / "sre").exists() and not (top / "a11y").exists()
    assert prune(tmp_path) == []


def test_prune_leaves_a_site_without_mathjax_alone(tmp_path: Path) -> None:
    assert prune(tmp_path) == []
    assert list(tmp_path.iterdir()) == []


def test_the_theme_macros_differ_from_the_theme_only_by_fontawesome_js() -> None:
    """conf/_templates/static/webpack-macros.html is the theme's own, less the
    1.56 MB icon script: a theme upgrade that changes the file fails here."""
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    original = (theme / "static" / "webpack-macros.html").read_text(encoding="utf-8")
    ours = (ROOT / "conf" / "_templates" / "static" / "webpack-macros.html").read_text("utf-8")
    dropped = [line for line in original.splitlines() if line not in ours.splitlines()]
    assert len(dropped) == 2 and "fontawesome.js" in dropped[1], dropped
    added = [line for line in ours.splitlines() if line not in original.splitlines()]
    assert all(line.strip().startswith(("<!--", "icons", "Awesome")) for line in added), added
    assert "scripts/fontawesome.js" not in ours


def test_the_layout_drops_only_the_search_scripts_of_the_theme_head() -> None:
    """conf/_templates/layout.html's extrahead is the theme's, less the search
    scripts every page loaded (a theme upgrade that changes the block fails here)."""
    import re

    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    block = re.compile(r"\{%- block extrahead %\}(.*?)\{%- endblock extrahead %\}", re.S)
    original = block.findall((theme / "layout.html").read_text(encoding="utf-8"))
    ours = block.findall((ROOT / "conf" / "_templates" / "layout.html").read_text("utf-8"))
    assert len(original) == len(ours) == 1

    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    scripts = [line for line in lines(original[0]) if line.startswith("<script")]
    assert [s.split("'")[1] for s in scripts] == [
        "_static/searchtools.js", "_static/language_data.js", "searchindex.js"
    ]  # fmt: skip
    kept = [line for line in lines(original[0]) if line.startswith(("<meta", "{%- if last"))]
    assert [line for line in lines(ours[0]) if line.startswith(("<meta", "{%- if last"))] == kept
    assert "theme_search_as_you_type|tobool" in ours[0]
