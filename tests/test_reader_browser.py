"""What a reader sees on a phone (390 px) and a laptop (1280 px), issue 19.

The built site (``_build/html`` or ``$NNBOOK_SITE``) in headless Chromium, light
theme, everything folded opened, scrollbars hidden at 390 px as on a phone:

- every figure's smallest text is at least 8 CSS px tall at 390 px and 10 px at
  1280 px. The size comes from the figure's own PNG (nnbook.book.plotting writes the
  smallest font size in points and the dpi into text chunks) and the scale the
  page shows it at: s / 72 * dpi * (shown width / PNG width);
- a click on a figure opens it at its full size; Escape closes it;
- at 390 px no table is wider than its column (a wide table reads as stacked
  rows), and at 1280 px no code or output block scrolls sideways, but for
  those in cells the reader unfolds (hide-input, hide-cell), which are not held
  to 88 columns either.

Display equations that scroll at 390 px are counted, not failed: they are
listed in ``_build/screenshots/reader.json`` with every measurement above.
Screenshots of each chapter's first figure and first stacked (else first)
table at 390 px go next to it. Run with the other browser tests (``make
browser``); on a one-chapter site (conf/build_one.py), select its tests with
``-k <chapter>``: pages are measured when a test asks for them.
"""

from __future__ import annotations

import io
import json
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image, UnidentifiedImageError

from nnbook.book.plotting import (
    DPI_KEY,
    NARROW_MEDIA,
    RENDITION_KEY,
    TEXT_SIZE_KEY,
    TEXT_WHAT_KEY,
    png_text_size,
)
from tests.test_site_browser import (
    CHAPTERS,
    LOAD_IMAGES,
    PREFIX,
    REBUILD_SCROLLBARS,
    SETTLE_LAYOUT,
    SHOTS,
    SITE,
    WIDTHS,
    Browser,
    Visit,
    _require_browser,
    serve,
)

PHONE, LAPTOP = 390, 1280
SMALLEST_PX = {PHONE: 8.0, LAPTOP: 10.0}
# The pages a reader reads: the chapters and the back pages with tables or code.
READER_PAGES = [*CHAPTERS, "index", "preface", "glossary", "execution"]

MEASURE = r"""() => {
    const root = document.querySelector('.bd-article') || document.querySelector('main')
        || document.body;
    // The element's nearest id, and its section's when that is another.
    const where = el => {
        const at = el.closest('[id]'), section = el.closest('section[id]');
        if (!at) return '(no id)';
        return section && section !== at ? `#${section.id} #${at.id}` : '#' + at.id;
    };
    const px = v => Math.round(v * 10) / 10;
    const figures = [...root.querySelectorAll('img')].map(img => ({
        where: where(img),
        src: img.currentSrc,
        shown: px(img.getBoundingClientRect().width),
        natural: img.naturalWidth,
        link: img.closest('a.nnbook-zoom') ? img.closest('a').href : null,
        picture: !!img.closest('picture'),
    }));
    const tables = [...root.querySelectorAll('table')]
        .filter(t => !t.parentElement.closest('table'))
        .map(t => {
            const column = t.parentElement.closest(':not(.pst-scrollable-table-container)');
            const head = t.tHead ? t.tHead.rows[0].cells.length : 0;
            // The boxes round the table, inside the article, that hide part of its
            // height: a box of its own that scrolls (or clips) it vertically.
            const boxes = [];
            for (let up = t.parentElement; up && up !== root; up = up.parentElement) {
                const overflow = getComputedStyle(up).overflowY;
                if (overflow !== 'visible' && up.scrollHeight > up.clientHeight + 1)
                    boxes.push({box: `<${up.tagName.toLowerCase()} class="${up.className}">`,
                                overflow, shown: up.clientHeight, height: up.scrollHeight});
            }
            return {where: where(t), width: px(t.getBoundingClientRect().width), boxes,
                    height: px(t.getBoundingClientRect().height),
                    column: column.clientWidth, stacked: t.classList.contains('nnbook-stacked'),
                    columns: head || (t.rows[0] ? t.rows[0].cells.length : 0),
                    text: t.textContent.replace(/\s+/g, ' ').trim().slice(0, 50)};
        });
    const code = [...root.querySelectorAll('pre')]
        .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
        .map(pre => ({where: where(pre), content: pre.scrollWidth, box: pre.clientWidth,
                      output: !!pre.closest('.cell_output'),
                      folded: !!pre.closest('details.hide'),
                      line: pre.textContent.split('\n')
                          .reduce((a, b) => b.length > a.length ? b : a).slice(0, 70)}));
    const equations = [...root.querySelectorAll('mjx-container[display="true"]')]
        .filter(el => el.scrollWidth > el.clientWidth + 1)
        .map(el => {
            const item = window.MathJax && MathJax.startup.document
                ? MathJax.startup.document.getMathItemsWithin(el)[0] : null;
            return {where: where(el), content: el.scrollWidth, box: el.clientWidth,
                    tex: item ? item.math.replace(/\s+/g, ' ').trim().slice(0, 80) : ''};
        });
    const display_equations = root.querySelectorAll('mjx-container[display="true"]').length;
    return {figures, tables, code, equations, display_equations, window: window.innerHeight};
}"""

OPEN_FOLDED = """() => {
    for (const details of document.querySelectorAll('details')) details.open = true;
    return true;
}"""


def _text_px(figure: dict[str, Any], chunks: tuple[float, str, float]) -> float:
    """The smallest text of a figure in CSS px as shown: points to PNG pixels
    (dpi / 72), then the PNG's pixels to the width the page shows it at."""
    size, _, dpi = chunks
    return size / 72 * dpi * figure["shown"] / figure["natural"]


def _rendition(png: bytes) -> str | None:
    """Which rendition of its figure a PNG is ("wide", "narrow"), if it is one."""
    try:
        with Image.open(io.BytesIO(png)) as image:
            return dict(getattr(image, "text", {})).get(RENDITION_KEY)
    except UnidentifiedImageError:  # not a PNG: an SVG, say
        return None


def _png(site: Path, src: str) -> bytes:
    path = unquote(urlsplit(src).path)
    return (site / path.split(PREFIX, 1)[1]).read_bytes()


def measure_page(browser: Browser, page: str, site: Path) -> dict[str, Any]:
    """The measurements of one page at each width, everything folded opened."""
    tab = browser.open(page, "light", Visit(page=page, theme="light"))
    try:
        tab.evaluate(OPEN_FOLDED)
        tab.evaluate(LOAD_IMAGES)  # figures below the fold load lazily (issue 21)
        Browser.open_solutions(tab, Visit(page=page, theme="light"))
        out: dict[str, Any] = {}
        for width in (LAPTOP, PHONE):
            tab.set_viewport_size(WIDTHS[width])
            if width == PHONE:  # a phone shows no scrollbar until the reader touches the box
                tab.context.new_cdp_session(tab).send(
                    "Emulation.setScrollbarsHidden", {"hidden": True}
                )
                tab.evaluate(REBUILD_SCROLLBARS)
            tab.evaluate(SETTLE_LAYOUT)
            tab.wait_for_timeout(200)  # the theme and nnbook.js re-lay out on resize
            tab.evaluate(SETTLE_LAYOUT)
            found = tab.evaluate(MEASURE)
            for figure in found["figures"]:
                png = _png(site, figure["src"])
                chunks = png_text_size(png)
                figure["chunks"] = list(chunks) if chunks else None
                figure["rendition"] = _rendition(png)
                if chunks and figure["natural"] and figure["shown"]:
                    figure["text_px"] = round(_text_px(figure, chunks), 2)
            out[str(width)] = found
        _screenshots(tab, page)
        out["zoom"] = _zoom(tab)
        return out
    finally:
        tab.close()


def _screenshots(tab: Any, page: str) -> None:
    """The first figure and first stacked (else first) table of a chapter at 390 px."""
    stem = Path(page).stem
    if stem not in CHAPTERS:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    for kind, selectors in (
        ("figure", [".bd-article img"]),
        ("table", [".bd-article table.nnbook-stacked", ".bd-article table"]),
    ):
        element = next((tab.locator(s).first for s in selectors if tab.locator(s).count()), None)
        if element is None:
            continue
        # The page in one piece (an element screenshot of a tall table scrolls, and the
        # sticky header lands in the middle of it); at most 1600 px of the element.
        box = tab.evaluate(
            "el => { const r = el.getBoundingClientRect(); return {x: r.left + scrollX,"
            " y: r.top + scrollY, width: r.width, height: r.height}; }",
            element.element_handle(),
        )
        box["height"] = min(box["height"], 1600)
        path = SHOTS / f"reader-{stem}-{kind}-{PHONE}.png"
        tab.screenshot(path=str(path), full_page=True, clip=box)


ZOOM_STATE = """() => {
    const dialog = document.querySelector('dialog.nnbook-zoom-dialog');
    const img = dialog && dialog.querySelector('img');
    return dialog ? {open: dialog.open, src: img.currentSrc, natural: img.naturalWidth,
                     shown: Math.round(img.getBoundingClientRect().width)} : null;
}"""


def _zoom(tab: Any) -> dict[str, Any] | None:
    """Click (at 390 px) the first figure: what opens, whether Escape closes it
    (the theme's scripts cancel Escape: nnbook.js closes the dialog itself) and
    whether the focus is back on the figure."""
    links = tab.locator(".bd-article a.nnbook-zoom")
    if not links.count():
        return None
    link = links.first
    link.scroll_into_view_if_needed()
    href = link.evaluate("a => a.href")
    link.click()
    tab.wait_for_function("document.querySelector('dialog.nnbook-zoom-dialog img').complete")
    opened = tab.evaluate(ZOOM_STATE)
    tab.keyboard.press("Escape")
    closed = tab.evaluate(ZOOM_STATE)
    focus = tab.evaluate("document.activeElement.className")
    return {
        "href": href,
        "opened": opened,
        "closed_on_escape": not closed["open"],
        "focus_after": focus,
        "url": tab.url,
    }


class Measurer:
    """Pages measured on demand, each once, by one Chromium in a thread of its
    own (Playwright's sync API is bound to the thread that starts it, and the
    site tests may run another in this one)."""

    def __init__(self, site_url: str, site: Path) -> None:
        self.results: dict[str, Any] = {}
        self._jobs: queue.Queue[str | None] = queue.Queue()
        self._done: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._work, args=(site_url, site), daemon=True)
        self._thread.start()
        started = self._done.get()
        if started is not True:
            pytest.fail(started)

    def _work(self, site_url: str, site: Path) -> None:
        try:
            browser = Browser(site_url, site)
        except Exception as error:
            self._done.put(f"Chromium did not start: {type(error).__name__}: {error}")
            return
        self._done.put(True)
        try:
            while (page := self._jobs.get()) is not None:
                try:
                    self._done.put(measure_page(browser, page, site))
                except Exception as error:
                    self._done.put({"error": f"{type(error).__name__}: {error}"})
        finally:
            browser.close()

    def __call__(self, page: str) -> dict[str, Any]:
        """The measurements of ``page``; a test fails if the visit broke off."""
        if page not in self.results:
            self._jobs.put(page)
            self.results[page] = self._done.get()
        result = self.results[page]
        assert "error" not in result, f"the visit of {page} broke off: {result['error']}"
        return result

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()


@pytest.fixture(scope="session")
def measured() -> Iterator[Measurer]:
    _require_browser()
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make html` first")
    with serve(SITE) as url:
        measurer = Measurer(url, SITE)
        try:
            yield measurer
        finally:
            measurer.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    report = json.dumps(measurer.results, indent=1, sort_keys=True)
    (SHOTS / "reader.json").write_text(report + "\n", encoding="utf-8")


# --- the checks, as functions of one page's measurements ---------------------------


def small_figures(found: dict[str, Any], width: int) -> list[str]:
    problems = []
    for n, figure in enumerate(found[str(width)]["figures"], 1):
        name = f"figure {n} ({figure['where']}, {figure['src'].rsplit('/', 1)[-1][:12]})"
        if figure["chunks"] is None:
            problems.append(
                f"{name}: its PNG does not say its text size (drawn before "
                "nnbook.book.plotting.use_book_style(), or by an engine without its PNG chunks)"
            )
        elif "text_px" not in figure:
            problems.append(f"{name}: not shown ({figure['shown']} px wide)")
        elif figure["text_px"] < SMALLEST_PX[width]:
            size, what, dpi = figure["chunks"]
            problems.append(
                f"{name}: smallest text {figure['text_px']:.1f} px < {SMALLEST_PX[width]:g} px: "
                f"{what} at {size:g} pt, a {figure['natural']} px PNG ({dpi:g} dpi) shown "
                f"{figure['shown']:g} px wide"
            )
    return problems


def unzoomable_figures(found: dict[str, Any]) -> list[str]:
    return [
        f"figure {n} ({figure['where']}) is not a link to its PNG"
        for n, figure in enumerate(found[str(PHONE)]["figures"], 1)
        if figure["link"] != figure["src"]
    ]


def wrong_renditions(found: dict[str, Any], width: int) -> list[str]:
    """Figures in two renditions (a <picture>) that show, at ``width``, another
    than the one for it (narrow on a phone, wide on a laptop), and renditions
    shown outside a <picture>."""
    wanted = "narrow" if width == PHONE else "wide"
    problems = []
    for n, figure in enumerate(found[str(width)]["figures"], 1):
        name = f"figure {n} ({figure['where']}, {figure['src'].rsplit('/', 1)[-1][:12]})"
        if figure["picture"] and figure["rendition"] != wanted:
            problems.append(f"{name}: shows the {figure['rendition']} rendition, not the {wanted}")
        elif not figure["picture"] and figure["rendition"]:
            problems.append(f"{name}: a {figure['rendition']} rendition outside a <picture>")
    return problems


def wide_tables(found: dict[str, Any]) -> list[str]:
    return [
        f'table {n} ({t["where"]}, {t["columns"]} columns, "{t["text"]}"): {t["width"]:g} px '
        f"wide in a {t['column']} px column"
        for n, t in enumerate(found[str(PHONE)]["tables"], 1)
        if t["width"] > t["column"] + 1
    ]


def tables_in_scroll_boxes(found: dict[str, Any], width: int) -> list[str]:
    """Tables that sit in a box of their own that scrolls (or clips) them
    vertically: the reader sees their first rows through it, not the table."""
    return [
        f'table {n} ({t["where"]}, "{t["text"]}"): {b["shown"]} px of its {b["height"]} px '
        f"shown in a {b['box']} (overflow-y {b['overflow']})"
        for n, t in enumerate(found[str(width)]["tables"], 1)
        for b in t["boxes"]
    ]


def scrolling_code(found: dict[str, Any]) -> list[str]:
    """Code and output blocks that scroll sideways, but for those in a cell the
    reader unfolds (hide-input, hide-cell: not held to 88 columns either)."""
    return [
        f"{'output' if c['output'] else 'code'} block ({c['where']}): {c['content']} px of "
        f"content in a {c['box']} px box: {c['line']!r}"
        for c in found[str(LAPTOP)]["code"]
        if not c["folded"]
    ]


# --- the tests -----------------------------------------------------------------------


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_figure_s_text_is_legible(measured: Measurer, chapter: str, width: int):
    found = measured(f"{chapter}.html")
    assert found[str(width)]["figures"], f"no figure in {chapter}"
    problems = small_figures(found, width)
    assert not problems, f"{len(problems)} figure(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_figures_in_two_renditions_show_the_one_for_the_width(
    measured: Measurer, chapter: str, width: int
) -> None:
    """A figure shown with nnbook.book.plotting.show_wide_and_narrow shows its
    panels stacked on a phone and side by side on a laptop (its text is held
    to 8 and 10 px by the test above, in the rendition shown)."""
    problems = wrong_renditions(measured(f"{chapter}.html"), width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_click_opens_a_figure_at_full_size(measured: Measurer, chapter: str) -> None:
    found = measured(f"{chapter}.html")
    assert unzoomable_figures(found) == []
    zoom = found["zoom"]
    opened = zoom["opened"]
    assert opened and opened["open"], "a click on the figure opened nothing"
    assert opened["src"] == zoom["href"]
    assert opened["shown"] == opened["natural"], "the figure is not shown at its full size"
    assert zoom["closed_on_escape"]
    assert zoom["focus_after"] == "nnbook-zoom", "the focus did not return to the figure"
    assert zoom["url"].endswith(f"{chapter}.html"), "the click left the page"


@pytest.mark.parametrize("page", READER_PAGES)
def test_tables_fit_a_phone_s_column(measured: Measurer, page: str) -> None:
    problems = wide_tables(measured(f"{page}.html"))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
@pytest.mark.parametrize("page", READER_PAGES)
def test_tables_read_with_the_page(measured: Measurer, page: str, width: int) -> None:
    """No table sits in a nested box that scrolls vertically (the theme's table
    wrapper once had a max-height of 80vh: the audit tables showed their first
    rows in a 640 px box at 1280 px, 675 px at 390 px)."""
    problems = tables_in_scroll_boxes(measured(f"{page}.html"), width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", READER_PAGES)
def test_no_code_block_scrolls_sideways_on_a_laptop(measured: Measurer, page: str) -> None:
    problems = scrolling_code(measured(f"{page}.html"))
    assert not problems, f"{len(problems)} block(s):\n" + "\n".join(problems)


def test_equations_that_scroll_on_a_phone_are_listed(measured: Measurer) -> None:
    """Counted, not failed (some formulas cannot break): reader.json lists them.
    Every chapter has display equations, so a count of none shown means the
    measurement missed them."""
    shown = {c: measured(f"{c}.html")[str(PHONE)]["display_equations"] for c in CHAPTERS}
    scrolling = {c: len(measured(f"{c}.html")[str(PHONE)]["equations"]) for c in CHAPTERS}
    print(
        f"display equations scrolling at {PHONE} px, of those shown: "
        + ", ".join(f"{c} {scrolling[c]}/{shown[c]}" for c in CHAPTERS)
    )
    assert all(shown.values()), shown


# --- the checks themselves ---------------------------------------------------------


def _figure_png(fontsize: float, width_in: float, chunks: bool, rendition: str = "") -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, width_in / 2), dpi=100)
    FigureCanvasAgg(fig)
    fig.add_subplot().set_title("text", fontsize=fontsize)
    buffer = io.BytesIO()
    metadata = {TEXT_SIZE_KEY: f"{fontsize:g}", TEXT_WHAT_KEY: "title 'text'", DPI_KEY: "100"}
    if rendition:
        metadata[RENDITION_KEY] = rendition
    fig.savefig(buffer, format="png", metadata=metadata if chunks else None)
    return buffer.getvalue()


WIDE_ROW = "".join(f'<td style="white-space: nowrap">cell of column {i}</td>' for i in range(6))
FIXTURE = (
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Reader fixture</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="_static/nnbook.css">
<script defer src="_static/nnbook.js"></script>
</head><body><main><article class="bd-article" style="max-width: 1000px">
<h1>Reader fixture</h1>
<div class="cell_output" id="small"><img src="small.png" alt="small text"></div>
<div class="cell_output" id="big"><img src="big.png" alt="big text"></div>
<div class="cell_output" id="bare"><img src="bare.png" alt="no chunks"></div>
<figure id="two"><picture class="nnbook-responsive"><source media="MEDIA" srcset="narrow.png"
type="image/png"><img src="wide.png" alt="two renditions"></picture></figure>
<figure id="broken"><picture class="nnbook-responsive"><source media="(max-width: 1px)"
srcset="narrow.png" type="image/png"><img src="wide.png" alt="a media query that never
matches"></picture></figure>
<div class="pst-scrollable-table-container" id="headed"><table>
<thead><tr>HEAD</tr></thead><tbody><tr>ROW</tr><tr>ROW</tr></tbody></table></div>
<div class="pst-scrollable-table-container" id="headless"><table>
<tbody><tr>ROW</tr><tr>ROW</tr></tbody></table></div>
<div class="pst-scrollable-table-container" id="tall"><table>
<thead><tr><th>claim</th><th>verdict</th></tr></thead><tbody>TALL</tbody></table></div>
<div style="max-height: 200px; overflow-y: auto" id="nested"><table>
<thead><tr><th>claim</th><th>verdict</th></tr></thead><tbody>TALL</tbody></table></div>
<div class="highlight" id="long-code"><pre>LONG</pre></div>
<div class="highlight" id="short-code"><pre>x = 1</pre></div>
<details class="hide above-input"><summary>Show code</summary>
<div class="highlight" id="folded-code"><pre>LONG</pre></div></details>
</article></main></body></html>
""".replace("HEAD", "".join(f"<th>column {i}</th>" for i in range(6)))
    .replace("ROW", WIDE_ROW)
    .replace("LONG", "y = " + "1 + " * 60 + "1")
    .replace("TALL", "<tr><td>a claim</td><td>checked</td></tr>" * 60)
    .replace("MEDIA", NARROW_MEDIA)
)


@pytest.fixture(scope="module")
def fixture_measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A page with a figure of 6 pt text in a 6 in PNG (5 px on a phone),
    one of 20 pt text in a 4 in PNG, one without chunks, a figure in two
    renditions of 8 pt text (6 in and 3.6 in: 6.9 px on a phone if the wide one
    showed) and the same with a media query that never picks the narrow one, a
    wide table with a
    header row and one without, a tall table (60 rows) in the theme's wrapper
    and one in a box 200 px tall that scrolls, a long code line and a short one."""
    _require_browser()
    if not (SITE / "_static" / "nnbook.js").is_file():
        pytest.fail(f"no built site at {SITE}: run `make html` first")
    root = tmp_path_factory.mktemp("reader")
    (root / "_static").symlink_to(SITE / "_static")
    (root / "small.png").write_bytes(_figure_png(6, 6, chunks=True))
    (root / "big.png").write_bytes(_figure_png(20, 4, chunks=True))
    (root / "bare.png").write_bytes(_figure_png(20, 4, chunks=False))
    (root / "wide.png").write_bytes(_figure_png(8, 6, chunks=True, rendition="wide"))
    (root / "narrow.png").write_bytes(_figure_png(8, 3.6, chunks=True, rendition="narrow"))
    (root / "page.html").write_text(FIXTURE, encoding="utf-8")
    with serve(root) as url:
        measurer = Measurer(url, root)
        try:
            return measurer("page.html")
        finally:
            measurer.close()


def test_the_reader_checks_catch_each_defect(fixture_measured: Measurer) -> None:
    found = fixture_measured
    assert "error" not in found, found.get("error")
    phone = small_figures(found, PHONE)
    # The narrow rendition is measured on the phone: only the broken picture's wide is small.
    assert [p.split(" (")[1].split(",")[0] for p in phone] == ["#small", "#bare", "#broken"]
    small = found[str(PHONE)]["figures"][0]
    # 6 pt at 100 dpi in a 600 px PNG shown across the phone's column.
    assert small["natural"] == 600 and 300 < small["shown"] < 390
    assert small["text_px"] == pytest.approx(6 / 72 * 100 * small["shown"] / 600, abs=0.01)
    expected = f"smallest text {small['text_px']:.1f} px < 8 px: title 'text' at 6 pt"
    assert expected in phone[0]
    assert "does not say its text size" in phone[1]
    laptop = small_figures(found, LAPTOP)
    assert [p.split(" (")[1].split(",")[0] for p in laptop] == ["#small", "#bare"]
    big = found[str(LAPTOP)]["figures"][1]
    assert big["shown"] == big["natural"] == 400  # not scaled: 20 pt is 27.8 px
    assert unzoomable_figures(found) == []  # the link follows the rendition shown
    renditions = {w: [f["rendition"] for f in found[str(w)]["figures"][3:]] for w in WIDTHS}
    assert renditions == {PHONE: ["narrow", "wide"], LAPTOP: ["wide", "wide"]}
    assert [p.split(" (")[1].split(",")[0] for p in wrong_renditions(found, PHONE)] == ["#broken"]
    assert wrong_renditions(found, LAPTOP) == []
    tables = wide_tables(found)
    assert [t.split(" (")[1].split(",")[0] for t in tables] == ["#headless"]
    headed = found[str(PHONE)]["tables"][0]
    assert headed["stacked"] and not found[str(LAPTOP)]["tables"][0]["stacked"]
    for width in (PHONE, LAPTOP):
        nested = tables_in_scroll_boxes(found, width)
        assert [t.split(" (")[1].split(",")[0] for t in nested] == ["#nested"], nested
        assert nested[0].split(": ")[1].startswith("200 px of its "), nested
        # Taller than the 80vh box the theme's wrapper once was: it would have been flagged.
        tall = found[str(width)]["tables"][2]
        assert tall["where"] == "#tall" and tall["height"] > 0.8 * found[str(width)]["window"]
    assert [c.split("(")[1].split(")")[0] for c in scrolling_code(found)] == ["#long-code"]
    zoom = found["zoom"]
    assert zoom["opened"]["open"] and zoom["opened"]["src"].endswith("/small.png")
    assert zoom["opened"]["shown"] == zoom["opened"]["natural"] == 600
    assert zoom["closed_on_escape"]
