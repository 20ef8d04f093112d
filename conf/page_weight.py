"""Figures that cost a phone less (issue 21): sized, lazy below the fold, smaller PNGs.

- Every ``<img>`` of a page gets its PNG's ``width`` and ``height`` (the browser
  reserves its box before the file arrives: nothing below it jumps), and all but
  the page's first image ``loading="lazy"`` (fetched as the reader scrolls near
  them; the first is usually in view when the page opens). The stylesheet
  scales them as before (the theme's ``max-width: 100%; height: auto``).
- Every PNG of the built site (``_images/``) is written again with a palette of
  at most 256 colours (median cut, no dithering) and zlib's best compression:
  matplotlib's figures are flat colours and antialiased edges, 225 to 2,900
  colours each, and the palette makes them about a third of the size. Text
  chunks (the dpi and smallest text size that tests/test_reader_browser.py
  reads) are kept. The same PNG gives the same bytes: two builds stay
  byte-identical, and a PNG already written with a palette is left alone, so a
  rebuild that keeps the copied file gives the clean build's bytes.
- The theme's Font Awesome web fonts (solid, regular, brands: 244 KB, loaded
  as soon as a page shows one icon) are cut to the icons the site uses: those
  its pages and scripts name by class (``fa-bars``, ``fa-sun``, ...) and those
  its stylesheets draw directly (admonition icons, the theme's own arrows).
  Always cut from the theme's own files, so a rebuild gives the same bytes.
  The theme's stylesheet loses the rules of the icons no page shows (1,970
  rules, ``.fa-bars{--fa:"\\f0c9"}``, 66 KB), nothing else.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

IMG = re.compile(r"<img\b[^>]*>")
COLOURS = 256
ICON_FONTS = ("fa-solid-900.woff2", "fa-regular-400.woff2", "fa-brands-400.woff2")
WEBFONTS = "_static/vendor/fontawesome/webfonts"
THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
# A Font Awesome icon class's rule in the theme's stylesheet: .fa-bars{--fa:"\f0c9"}
ICON_RULE = re.compile(r'((?:\.fa-[\w-]+,?)+)\{--fa:"((?:\\[0-9a-fA-F]+ ?|[^"\\])+)"\}')
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
# A character of the fonts' private use area, in a stylesheet: escaped or literal.
PRIVATE = re.compile(r"\\([ef][0-9a-fA-F]{3})\b|([\ue000-\uf8ff])")


def size_images(app: Any, pagename: str, template: str, context: dict, doctree: Any) -> None:
    body = context.get("body")
    if not body or "<img" not in body:
        return
    from PIL import Image

    sources = {name: Path(app.srcdir) / path for path, name in app.builder.images.items()}
    images_dir = app.builder.imagedir  # "_images"
    first = [True]

    def rewrite(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = re.search(r'\bsrc="([^"]+)"', tag)
        if src is None:
            return tag
        attrs = []
        name = src.group(1).rsplit(f"{images_dir}/", 1)[-1]
        source = sources.get(name)
        if source is not None and " width=" not in tag and " height=" not in tag:
            if source.is_file():
                with Image.open(source) as image:
                    attrs.append(f'width="{image.width}" height="{image.height}"')
        if " loading=" not in tag:
            attrs.append('loading="eager"' if first[0] else 'loading="lazy"')
        first[0] = False
        if not attrs:
            return tag
        end = "/>" if tag.endswith("/>") else ">"
        return tag[: -len(end)].rstrip() + " " + " ".join(attrs) + " " + end

    context["body"] = IMG.sub(rewrite, body)


def palette_png(data: bytes) -> bytes | None:
    """The PNG with a palette of at most 256 colours, or None to keep it as it is
    (it has one already, or the palette would not make it smaller)."""
    from PIL import Image, PngImagePlugin

    with Image.open(io.BytesIO(data)) as image:
        if image.format != "PNG" or image.mode == "P":
            return None
        info = PngImagePlugin.PngInfo()
        for key, value in (getattr(image, "text", None) or {}).items():
            info.add_text(key, value)
        options: dict[str, Any] = {"pnginfo": info, "optimize": True}
        if "dpi" in image.info:
            options["dpi"] = image.info["dpi"]
        if image.mode == "RGBA" and image.getextrema()[3][0] < 255:
            paletted = image.quantize(COLOURS, method=Image.Quantize.FASTOCTREE)
        else:
            paletted = image.convert("RGB").quantize(
                COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
        out = io.BytesIO()
        paletted.save(out, "PNG", **options)
    smaller = out.getvalue()
    return smaller if len(smaller) < len(data) else None


def shrink_pngs(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in sorted((Path(app.outdir) / app.builder.imagedir).glob("*.png")):
        smaller = palette_png(path.read_bytes())
        if smaller is not None:
            path.write_bytes(smaller)


def _css_chars(text: str) -> set[int]:
    """The characters a CSS string names, escapes (\\f0c9, \\31 ) read."""
    found = set()
    for escape, char in re.findall(r"\\([0-9a-fA-F]{1,6}) ?|(.)", text):
        found.add(int(escape, 16) if escape else ord(char))
    return found


def icon_classes(site: Path) -> set[str]:
    """The icon classes the built site's pages and scripts name."""
    named: set[str] = set()
    pages = [*site.rglob("*.html"), *site.glob("_static/**/*.js")]
    for page in pages:
        if page.name == "fontawesome.js":  # no page loads it (conf/_templates)
            continue
        named.update(ICON_CLASS.findall(page.read_text(encoding="utf-8", errors="replace")))
    return named


def icons_used(site: Path) -> set[int]:
    """The code points of the icons the built site shows (see the module's docstring);
    the theme's stylesheet is read from the theme, not from the site."""
    sheets = {p: p.read_text(encoding="utf-8") for p in sorted(site.glob("_static/**/*.css"))}
    sheets[site / THEME_CSS] = theme_css().read_text(encoding="utf-8")
    by_class: dict[str, set[int]] = {}
    drawn: set[int] = set()
    for text in sheets.values():
        for classes, content in ICON_RULE.findall(text):
            for name in classes.split(","):
                by_class.setdefault(name.lstrip("."), set()).update(_css_chars(content))
        rest = ICON_RULE.sub("", text)
        for escape, char in PRIVATE.findall(rest):
            drawn.add(int(escape, 16) if escape else ord(char))
    named = icon_classes(site)
    return drawn.union(*(by_class.get(name, set()) for name in named))


def _theme_static() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def theme_webfonts() -> Path:
    return _theme_static() / "vendor" / "fontawesome" / "webfonts"


def theme_css() -> Path:
    return _theme_static() / "styles" / "pydata-sphinx-theme.css"


def trim_icon_rules(css: str, keep: set[str]) -> str:
    """``css`` without the rules of icon classes not in ``keep`` (a rule naming
    several classes stays if one of them is kept)."""

    def rule(match: re.Match[str]) -> str:
        names = {name.lstrip(".") for name in match.group(1).split(",")}
        return match.group(0) if names & keep else ""

    return ICON_RULE.sub(rule, css)


def subset_font(source: Path, unicodes: set[int]) -> bytes:
    """``source`` (a WOFF2) with only the glyphs of ``unicodes``, as WOFF2; the
    same input, the same bytes (no timestamp is written)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def subset_icon_fonts(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    target = site / WEBFONTS
    if not target.is_dir():
        return
    unicodes = icons_used(site)
    for name in ICON_FONTS:
        (target / name).write_bytes(subset_font(theme_webfonts() / name, unicodes))
    css = trim_icon_rules(theme_css().read_text(encoding="utf-8"), icon_classes(site))
    (site / THEME_CSS).write_text(css, encoding="utf-8")
    # The theme's icon script, which no page loads: 1.56 MB the site need not carry.
    for path in (site / "_static" / "scripts").glob("fontawesome.js*"):
        path.unlink()


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", size_images)
    app.connect("build-finished", shrink_pngs)
    app.connect("build-finished", subset_icon_fonts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
