"""The site's maths in headless Chromium: typeset at build time, none left for a
script, every formula drawn, and each page's weight (issue 21).

Every page of the built site (``_build/html`` or ``$NNBOOK_SITE``) is opened in
the light and the dark theme at 1280 and 390 px (a page without maths once),
with every request to another host blocked and every request under
``_static/mathjax/`` (the fonts, the only MathJax files the site serves)
recorded. The checks:

- no formula is left for a script: each ``span.math``/``div.math`` holds one
  MathJax container and no TeX delimiter (``\\(``, ``\\[``, ``$$``) outside it,
  and no page loads a MathJax or KaTeX script (or the theme's 1.56 MB
  fontawesome.js);
- every formula is drawn: each character has its style (the page's own
  stylesheet), each font it asks for loads, each container has a size;
- the fonts served are exactly the ones pages ask for (conf/mathjax_assets.py);
- weight: what a page transfers in all (HTML, CSS, scripts, fonts and every
  image, lazy ones too, as a reader scrolling to the end gets them), from a
  fresh cache, served as GitHub Pages serves the site (text gzipped, fonts and
  images as they are): at most 1.5 MB for a chapter and 0.5 MB for the landing
  page. ``_build/screenshots/weight.json`` also has what each page fetches
  before the reader scrolls, and its files' size uncompressed. Timing is
  ``make pagespeed``'s (no timed test).

Run with ``make browser`` (after ``make html``). It needs Debian's Chromium, as
tests/test_site_browser.py does.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import json
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "conf"))
from mathjax_assets import MATHJAX_FILES  # noqa: E402

SITE = Path(os.environ.get("NNBOOK_SITE", ROOT / "_build" / "html")).resolve()
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium")
MATHJAX = "_static/mathjax/"
THEMES = ["light", "dark"]
WIDTHS = [1280, 390]
FIX = "add it to MATHJAX_FILES in conf/mathjax_assets.py"
CHAPTERS = ["neuron", "learning-rate", "initialization", "loss", "chain-rule"]
# Bytes over the wire, in all, per page (issue 21).
CHAPTER_BUDGET, LANDING_BUDGET = 1_500_000, 500_000

if not Path(CHROMIUM).exists():
    advice = f"these tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run under CI: {advice}", pytrace=False)
    pytest.skip(f"Browser tests NOT run: {advice}", allow_module_level=True)

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage", "--no-proxy-server"]  # fmt: skip

# Each formula typeset at build time, drawn, and nothing left for a script.
MATH_STATE = r"""async () => {
    await document.fonts.ready;
    const problems = [];
    const short = el => el.textContent.replace(/\s+/g, ' ').trim().slice(0, 80);
    for (const el of document.querySelectorAll('script')) {
        const what = (el.getAttribute('src') || '') + ' ' + el.textContent;
        const name = what.match(/mathjax|katex|fontawesome/i);
        if (name) problems.push(`a ${name[0]} script on the page: ${what.trim().slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('span.math, div.math')) {
        const n = el.querySelectorAll('mjx-container').length;
        if (n !== 1) problems.push(`${n} typeset formulas in: ${short(el)}`);
        const copy = el.cloneNode(true);
        copy.querySelectorAll('mjx-container, .eqno').forEach(c => c.remove());
        const left = copy.textContent.match(/\\[()\[\]]|\$\$|\\begin/);
        if (left) problems.push(`TeX left for a script (${left[0]}): ${short(copy)}`);
    }
    for (const el of document.querySelectorAll('mjx-merror, [data-mjx-error]'))
        problems.push(`MathJax error: ${el.getAttribute('data-mjx-error') || el.textContent}`);
    for (const el of document.querySelectorAll('mjx-container')) {
        const box = el.getBoundingClientRect();
        const folded = !el.checkVisibility();
        if (!folded && (box.width < 1 || box.height < 1))
            problems.push(`a formula with no size: ${
                short(el.querySelector('mjx-assistive-mml') || el)}`);
    }
    const unstyled = new Set();
    for (const el of document.querySelectorAll('mjx-c')) {
        const content = getComputedStyle(el, '::before').content;
        if (!content || content === 'none' || content === 'normal') unstyled.add(el.className);
    }
    for (const c of unstyled) problems.push(`a character with no style: mjx-c.${c}`);
    for (const font of document.fonts)
        if (font.family.startsWith('MJX') && font.status === 'error')
            problems.push(`font ${font.family} did not load`);
    return {formulas: document.querySelectorAll('span.math, div.math').length, problems};
}"""

# Every image, lazy ones too: what a reader scrolling to the end downloads.
LOAD_IMAGES = """async () => {
    const images = [...document.images];
    for (const img of images) img.loading = 'eager';
    await Promise.all(images.map(img => img.complete ? null :
        new Promise(done => { img.onload = img.onerror = done; })));
    await document.fonts.ready;
    return images.length;
}"""


def _has_maths(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return 'class="math' in text or "<mjx-" in text


def _pages(site: Path) -> list[str]:
    pages = (p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    return sorted(p for p in pages if not p.startswith("_static/"))


# What GitHub Pages sends compressed (gzip) to a browser that accepts it: text.
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".map")


@contextlib.contextmanager
def serve(directory: Path, compress: bool = False) -> Iterator[str]:
    """``directory`` on a free port of 127.0.0.1, under /book/ as on a project page;
    with ``compress``, text gzipped as GitHub Pages serves it (fonts and images
    as they are)."""

    class Handler(SimpleHTTPRequestHandler):
        def send_head(self) -> Any:
            if not self.path.startswith("/book/"):
                self.send_error(404)
                return None
            self.path = self.path[len("/book") :]
            path = Path(self.translate_path(self.path))
            accepts = "gzip" in self.headers.get("Accept-Encoding", "")
            if compress and accepts and path.is_file() and path.suffix in COMPRESSED:
                body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return io.BytesIO(body)
            return super().send_head()

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def copyfile(self, source: Any, outputfile: Any) -> None:
            # A page closed mid-download (the benchmark's script-free visit) is no error.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                super().copyfile(source, outputfile)

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=directory))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/book/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Visit:
    """What one page asked of MathJax's folder, how its formulas came out, and
    (in the light theme at 390 px, from a fresh cache) what it weighed."""

    requested: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)  # paths on the site
    foreign: list[str] = field(default_factory=list)
    formulas: int = 0
    problems: list[str] = field(default_factory=list)
    bytes: int = 0  # once open: what the page fetched before the reader scrolls
    by_type: dict[str, int] = field(default_factory=dict)
    bytes_all: int = 0  # and once every image is in: what a reader to the end fetches
    uncompressed: int = 0  # bytes_all's files as they are on disk


def visit_all(
    site: Path, pages: list[str], compress: bool = False
) -> dict[tuple[str, str, int], Visit]:
    """Open each page in each theme at each width, offline; record what it asked for.

    In a thread of its own: Playwright's sync API runs one instance per thread,
    and the main browser suite's may be running in this one."""
    result: dict[str, Any] = {}

    def work() -> None:
        try:
            result["visits"] = _visit_all(site, pages, compress)
        except BaseException as error:  # re-raised in the caller's thread
            result["error"] = error

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    if "error" in result:
        raise result["error"]
    return result["visits"]


def _visit_all(site: Path, pages: list[str], compress: bool) -> dict[tuple[str, str, int], Visit]:
    from playwright.sync_api import sync_playwright

    out: dict[tuple[str, str, int], Visit] = {}
    with serve(site, compress) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        origin = url.removesuffix("book/")
        for theme in THEMES:
            for width in WIDTHS:
                for page in pages:
                    # A page without maths (the module sources, the index) once.
                    if (theme, width) != (THEMES[0], WIDTHS[0]) and not _has_maths(site / page):
                        continue
                    # A fresh context per page: nothing cached, so every byte counts.
                    context = browser.new_context(
                        color_scheme=theme,
                        service_workers="block",
                        viewport={"width": width, "height": 900},
                    )
                    # What pydata-sphinx-theme's theme switch stores, read before the page paints.
                    context.add_init_script(
                        f"localStorage.setItem('mode', '{theme}');"
                        f"localStorage.setItem('theme', '{theme}');"
                    )
                    out[(page, theme, width)] = _visit(context, url + page, origin)
                    context.close()
        browser.close()
    return out


class Weigher:
    """Bytes over the wire by kind of resource, as DevTools counts them (each
    response's encoded length, headers included), for one tab."""

    def __init__(self, context: Any, tab: Any) -> None:
        self.kinds: dict[str, str] = {}
        self.sizes: dict[str, float] = {}
        self.decoded: dict[str, int] = {}
        cdp = context.new_cdp_session(tab)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")
        self.cdp = cdp

    def _response(self, event: dict[str, Any]) -> None:
        self.kinds[event["requestId"]] = event["type"].lower()

    def _data(self, event: dict[str, Any]) -> None:
        request = event["requestId"]
        self.decoded[request] = self.decoded.get(request, 0) + event["dataLength"]

    def _finished(self, event: dict[str, Any]) -> None:
        self.sizes[event["requestId"]] = event["encodedDataLength"]

    def uncompressed(self) -> int:
        """The same responses' bodies as files on disk (before gzip)."""
        return sum(self.decoded.get(request, 0) for request in self.sizes)

    def by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for request, size in self.sizes.items():
            kind = self.kinds.get(request, "other")
            out[kind] = out.get(kind, 0) + int(size)
        return out


def _visit(context: Any, address: str, origin: str) -> Visit:
    visit = Visit()
    tab = context.new_page()
    weigher = Weigher(context, tab)

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(origin):
            request_route.continue_()
        else:
            visit.foreign.append(request_route.request.url)
            request_route.abort("blockedbyclient")

    def answered(response: Any) -> None:
        path = urlsplit(response.url).path
        if response.status >= 400:
            visit.failed.add(path)
            return
        if MATHJAX in path:
            visit.requested.add(path.split(MATHJAX, 1)[1])

    def failed(request: Any) -> None:
        if request.url not in visit.foreign:
            visit.failed.add(urlsplit(request.url).path)

    tab.route("**/*", route)
    tab.on("response", answered)
    tab.on("requestfailed", failed)
    tab.goto(address, wait_until="load")
    tab.evaluate("document.fonts.ready.then(() => true)")
    tab.wait_for_load_state("networkidle")
    visit.by_type = weigher.by_kind()
    visit.bytes = sum(visit.by_type.values())
    tab.evaluate(LOAD_IMAGES)
    state = tab.evaluate(MATH_STATE)
    tab.wait_for_load_state("networkidle")
    visit.formulas, visit.problems = state["formulas"], state["problems"]
    visit.bytes_all = sum(weigher.by_kind().values())
    visit.uncompressed = weigher.uncompressed()
    tab.close()
    return visit


def _missing(visits: dict[Any, Visit]) -> list[str]:
    """The MathJax files a page asked for and did not get."""
    return sorted({f for v in visits.values() for f in v.failed if MATHJAX in f})


@pytest.fixture(scope="module")
def visits() -> dict[tuple[str, str, int], Visit]:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make html` first")
    found = visit_all(SITE, _pages(SITE), compress=True)
    report = {
        page: {
            "bytes": v.bytes,
            "by_type": v.by_type,
            "bytes_all": v.bytes_all,
            "uncompressed": v.uncompressed,
            "formulas": v.formulas,
        }
        for (page, theme, width), v in found.items()
        if (theme, width) == ("light", 390)
    }
    shots = Path(os.environ.get("NNBOOK_SCREENSHOTS", ROOT / "_build" / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    (shots / "weight.json").write_text(json.dumps(report, indent=1, sort_keys=True))
    return found


def test_the_site_ships_exactly_the_listed_fonts() -> None:
    shipped = {p.relative_to(SITE / MATHJAX).as_posix() for p in (SITE / MATHJAX).rglob("*")}
    shipped = {p for p in shipped if (SITE / MATHJAX / p).is_file()}
    assert shipped == set(MATHJAX_FILES)


def test_no_mathjax_request_fails(visits: dict[Any, Visit]) -> None:
    assert _missing(visits) == [], f"a page asked for MathJax files the site lacks: {FIX}"


def test_every_request_stays_on_the_site(visits: dict[Any, Visit]) -> None:
    assert {k: v.foreign for k, v in visits.items() if v.foreign} == {}


def test_every_listed_font_is_loaded(visits: dict[Any, Visit]) -> None:
    requested = set().union(*(v.requested for v in visits.values()))
    unused = sorted(set(MATHJAX_FILES) - requested)
    assert unused == [], "no page loads these: take them out of MATHJAX_FILES"


def test_every_formula_is_typeset_at_build_time_and_drawn(visits: dict[Any, Visit]) -> None:
    assert {k: v.problems for k, v in visits.items() if v.problems} == {}
    assert sum(v.formulas for v in visits.values()) > 0
    for chapter in CHAPTERS:
        assert visits[(f"{chapter}.html", "light", 390)].formulas > 0, chapter


@pytest.mark.parametrize("page", [f"{c}.html" for c in CHAPTERS] + ["index.html"])
def test_a_page_weighs_no_more_than_its_budget(visits: dict[Any, Visit], page: str) -> None:
    budget = LANDING_BUDGET if page == "index.html" else CHAPTER_BUDGET
    for theme in THEMES:
        visit = visits[(page, theme, 390)]
        assert visit.bytes_all <= budget, (
            f"{page} ({theme}) transfers {visit.bytes_all:,} bytes, over {budget:,}"
            f" (before scrolling: {visit.by_type})"
        )


def _fixture_site(tmp_path: Path, body: str, head: str = "") -> Path:
    (tmp_path / "_static").symlink_to(SITE / "_static")
    (tmp_path / "new.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>new</title>'
        f"{head}</head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return tmp_path


def test_a_new_font_style_is_caught(tmp_path: Path) -> None:
    """A formula in a style no page uses yet (typewriter), typeset as the build
    does, asks for a font the site lacks: the check above names it."""
    from mathjax_prerender import FONT_DIR, Client

    if not (SITE / MATHJAX).is_dir():
        pytest.fail(f"no built site at {SITE}: run `make html` first")
    mathjax = Client.get()
    mathjax.reset()
    formula = mathjax.typeset(r"\mathtt{x} + \boldsymbol{w}", display=False)
    style = f"<style>{mathjax.stylesheet(FONT_DIR)}</style>"
    site = _fixture_site(tmp_path, f'<p><span class="math">{formula}</span></p>', style)
    visits = visit_all(site, ["new.html"])
    font = "output/chtml/fonts/woff-v2/MathJax_Typewriter-Regular.woff"
    assert _missing(visits) == [f"/book/{MATHJAX}{font}"]
    problems = visits[("new.html", "light", 1280)].problems
    assert problems == ["font MJXTEX-T did not load"], problems


def test_a_formula_left_for_a_script_is_caught(tmp_path: Path) -> None:
    """The page as the site used to be: TeX in the HTML and MathJax's script to
    typeset it in the reader's browser. Each is flagged (the script is not even
    served any more)."""
    site = _fixture_site(
        tmp_path,
        r'<p><span class="math notranslate nohighlight">\(x^2\)</span></p>'
        r'<div class="math notranslate nohighlight">$$\sum_i x_i$$</div>',
        '<script defer src="_static/mathjax/tex-chtml.js"></script>',
    )
    problems = visit_all(site, ["new.html"])[("new.html", "dark", 390)].problems
    assert problems == [
        "a mathjax script on the page: _static/mathjax/tex-chtml.js",
        "0 typeset formulas in: \\(x^2\\)",
        "TeX left for a script (\\(): \\(x^2\\)",
        "0 typeset formulas in: $$\\sum_i x_i$$",
        "TeX left for a script ($$): $$\\sum_i x_i$$",
    ]
