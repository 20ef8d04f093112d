"""The built site as readers see it: every page in headless Chromium.

The site in ``_build/html`` (or ``$NNBOOK_SITE``) is served on 127.0.0.1 under
the sub-path ``/book/``, as on a project page of a static host, and every page
is opened in the light and in the dark theme. Each page must show no console
error, make no failed request and no request to any other host (those are
blocked and recorded), typeset every formula of its source, load every image
and have no serious or critical accessibility violation (axe-core). A crawler
follows every internal link and anchor; the search box must find the right
chapter. The first screen of each chapter is saved in both themes under
``_build/screenshots/`` and a summary of every check (axe results by impact,
timings) goes to ``_build/screenshots/report.json``.

Run it with ``make browser`` after ``make html``. It needs Debian's Chromium
(``apt-get install chromium``); without it the module is skipped with that
advice, except under CI (``$CI`` set), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("NNBOOK_SITE", ROOT / "_build" / "html")).resolve()
SHOTS = Path(os.environ.get("NNBOOK_SCREENSHOTS", ROOT / "_build" / "screenshots")).resolve()
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium")
IN_CI = bool(os.environ.get("CI"))
PREFIX = "/book/"
INSTALL_ADVICE = (
    "the browser tests need Debian's Chromium at {path}: install it with "
    "`sudo apt-get install chromium` (or set NNBOOK_CHROMIUM to another Chromium)"
).format(path=CHROMIUM)

if not Path(CHROMIUM).exists() and not IN_CI:
    pytest.skip(f"Browser tests NOT run: {INSTALL_ADVICE}", allow_module_level=True)

# Flags that keep Chromium off the network: no first-run, sync, component
# updates, QUIC probes or other background requests. Playwright gives every
# launch a fresh temporary profile (--user-data-dir).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 800}
THEMES = ["light", "dark"]
CHAPTERS = ["neuron", "learning-rate", "initialization", "loss", "chain-rule"]
# A query a reader might type, and the chapter that answers it.
SEARCHES = {
    "Xavier": "initialization",
    "learning rate range test": "learning-rate",
    "softmax": "loss",
    "perceptron": "neuron",
    "chain rule": "chain-rule",
}
BLOCKING_IMPACTS = {"serious", "critical"}


def _pages() -> list[str]:
    """Every page of the built site, relative to its root (theme templates excluded)."""
    if not SITE.is_dir():
        return []
    pages = (p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html"))
    return sorted(p for p in pages if not p.startswith("_static/"))


PAGES = _pages()


# --- the local server -----------------------------------------------------------


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the site under PREFIX only; every other path is a 404."""

    def send_head(self) -> Any:
        if not self.path.startswith(PREFIX):
            self.send_error(404, "outside the site's sub-path")
            return None
        self.path = "/" + self.path[len(PREFIX) :]
        return super().send_head()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: failures are seen and reported by the browser


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make html` first")
    handler = functools.partial(_SubPathHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- the browser ----------------------------------------------------------------


@dataclass
class Visit:
    """What one page showed in one theme."""

    page: str
    theme: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    math_in_source: int = 0
    math_rendered: int = 0
    math_problems: list[str] = field(default_factory=list)
    images: int = 0
    broken_images: list[str] = field(default_factory=list)
    data_theme: str = ""
    background_luminance: float = -1.0
    axe_violations: list[dict[str, Any]] = field(default_factory=list)
    screenshot: str | None = None
    seconds: float = 0.0


WAIT_FOR_MATHJAX = """async () => {
    if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) return false;
    await MathJax.startup.promise;
    return true;
}"""

MATH_STATE = """() => {
    const problems = [];
    for (const el of document.querySelectorAll('span.math, div.math')) {
        const n = el.querySelectorAll('mjx-container').length;
        if (n !== 1) problems.push(`${n} typeset formulas in: ${el.textContent.slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('mjx-merror, [data-mjx-error]'))
        problems.push(`MathJax error: ${el.getAttribute('data-mjx-error') || el.textContent}`);
    // An undefined macro is typeset as its own name in red (the noundefined extension).
    for (const el of document.querySelectorAll('mjx-assistive-mml mtext[mathcolor="red"]'))
        if (el.textContent.startsWith('\\\\')) problems.push(`undefined macro ${el.textContent}`);
    return {rendered: document.querySelectorAll('mjx-container').length, problems};
}"""

LOAD_IMAGES = """async () => {
    const images = [...document.images];
    const settle = img => new Promise(done => {
        img.addEventListener('load', done, {once: true});
        img.addEventListener('error', done, {once: true});
    });
    const waits = images.map(img => {
        img.loading = 'eager';  // lazy images below the fold must load too
        return img.complete ? null : settle(img);
    });
    await Promise.race([Promise.all(waits), new Promise(r => setTimeout(r, 15000))]);
    return images.map(img => ({src: img.getAttribute('src'), width: img.naturalWidth,
                               complete: img.complete}));
}"""

BACKGROUND_LUMINANCE = """() => {
    const rgb = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number);
    const [r, g, b] = rgb.map(c => c / 255);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}"""


def _count_math_in_source(html: str) -> int:
    """Formulas in the page's HTML: Sphinx writes each in a span.math or div.math."""

    class Counter(HTMLParser):
        count = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            classes = (dict(attrs).get("class") or "").split()
            if tag in ("span", "div") and "math" in classes:
                self.count += 1

    parser = Counter()
    parser.feed(html)
    return parser.count


class Browser:
    """One Chromium for the session; each page is visited once per theme, on demand."""

    def __init__(self, site_url: str) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:  # pragma: no cover - depends on the environment
            message = "playwright is missing: `make browser` installs it (pyproject extra `test`)"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(f"Browser tests NOT run: {message}")
        if not Path(CHROMIUM).exists():
            pytest.fail(f"Browser tests cannot run under CI: {INSTALL_ADVICE}")
        from axe_playwright_python.base import AXE_SCRIPT

        self.axe_script = AXE_SCRIPT
        self.site_url = site_url
        self.origin = site_url[: -len(PREFIX) + 1]
        started = time.perf_counter()
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        self.contexts = {theme: self._context(theme) for theme in THEMES}
        self.visits: dict[tuple[str, str], Visit] = {}
        self.launch_seconds = time.perf_counter() - started

    def _context(self, theme: str) -> Any:
        context = self.browser.new_context(
            viewport=VIEWPORT, color_scheme=theme, service_workers="block"
        )
        context.set_default_timeout(30_000)
        # pydata-sphinx-theme reads the reader's choice from localStorage before
        # the page paints; this is what its theme switch stores.
        context.add_init_script(
            f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
        )
        return context

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()
        self.browser.close()
        self._playwright.stop()

    def open(self, page: str, theme: str) -> tuple[Any, Visit]:
        """A new tab showing ``page`` once it has settled, and what it logged so far."""
        visit = Visit(page=page, theme=theme)
        tab = self.contexts[theme].new_page()
        tab.on(
            "console",
            lambda m: m.type == "error"
            and visit.console_errors.append(f"{m.text} ({m.location.get('url', '')})"),
        )
        tab.on("pageerror", lambda e: visit.console_errors.append(f"uncaught: {e}"))
        tab.on(
            "requestfailed",
            lambda r: r.url not in visit.foreign_requests
            and visit.failed_requests.append(f"{r.url}: {r.failure}"),
        )
        tab.on(
            "response",
            lambda r: r.status >= 400 and visit.failed_requests.append(f"{r.url}: HTTP {r.status}"),
        )

        def route(request_route: Any) -> None:
            url = request_route.request.url
            if url.startswith(self.origin):
                request_route.continue_()
            else:  # another host: block it, and fail the page
                visit.foreign_requests.append(url)
                request_route.abort("blockedbyclient")

        tab.route("**/*", route)
        tab.goto(self.site_url + page, wait_until="load")
        tab.evaluate(WAIT_FOR_MATHJAX)
        tab.evaluate("document.fonts.ready.then(() => true)")
        tab.wait_for_load_state("networkidle")
        return tab, visit

    def visit(self, page: str, theme: str) -> Visit:
        key = (page, theme)
        if key in self.visits:
            return self.visits[key]
        started = time.perf_counter()
        tab, visit = self.open(page, theme)
        try:
            source = (SITE / page).read_text(encoding="utf-8")
            visit.math_in_source = _count_math_in_source(source)
            math = tab.evaluate(MATH_STATE)
            visit.math_rendered, visit.math_problems = math["rendered"], math["problems"]
            images = tab.evaluate(LOAD_IMAGES)
            visit.images = len(images)
            visit.broken_images = [
                img["src"] for img in images if not (img["complete"] and img["width"] > 0)
            ]
            visit.data_theme = tab.evaluate("document.documentElement.dataset.theme")
            visit.background_luminance = tab.evaluate(BACKGROUND_LUMINANCE)
            if Path(page).stem in CHAPTERS and "/" not in page:
                SHOTS.mkdir(parents=True, exist_ok=True)
                shot = SHOTS / f"{Path(page).stem}-{theme}.png"
                tab.evaluate("window.scrollTo(0, 0)")
                tab.screenshot(path=str(shot))
                visit.screenshot = str(shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot)
            tab.evaluate(self.axe_script)
            axe = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
            visit.axe_violations = [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "nodes": len(v["nodes"]),
                    "targets": [" ".join(map(str, n["target"])) for n in v["nodes"][:5]],
                }
                for v in axe["violations"]
            ]
        finally:
            tab.close()
        visit.seconds = round(time.perf_counter() - started, 2)
        self.visits[key] = visit
        return visit


@pytest.fixture(scope="session")
def browser(site_url: str, request: pytest.FixtureRequest) -> Iterator[Browser]:
    started = time.perf_counter()
    session = Browser(site_url)
    try:
        yield session
    finally:
        session.close()
        _write_report(session, time.perf_counter() - started, request)


def _write_report(session: Browser, seconds: float, request: pytest.FixtureRequest) -> None:
    """report.json next to the screenshots, and a few lines on the terminal."""
    visits = list(session.visits.values())
    by_impact: dict[str, int] = {}
    for visit in visits:
        for violation in visit.axe_violations:
            by_impact[violation["impact"]] = by_impact.get(violation["impact"], 0) + 1
    report = {
        "site": str(SITE),
        "chromium": session.browser.version if session.browser.is_connected() else "",
        "browser_seconds": round(seconds, 1),
        "launch_seconds": round(session.launch_seconds, 1),
        "axe_violations_by_impact": by_impact,
        "searches": getattr(session, "searches", {}),
        "visits": [asdict(v) for v in visits],
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    terminal = request.config.pluginmanager.get_plugin("terminalreporter")
    if terminal is not None:
        terminal.write_line("")
        terminal.write_line(
            f"browser suite: {len(visits)} page visits in {seconds:.1f} s; axe violations "
            f"by impact: {by_impact or 'none'}; report and screenshots in {SHOTS}"
        )


# --- the crawler ----------------------------------------------------------------


class _LinkParser(HTMLParser):
    """The ids a page defines and the URLs it points to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(key):
                self.ids.add(str(values[key]))
        attribute = {"a": "href", "link": "href", "area": "href"}.get(tag, "src")
        if tag in ("a", "link", "area", "img", "script", "iframe", "source", "video", "audio"):
            url = values.get(attribute)
            if url:
                self.urls.append(url)


@dataclass
class Crawl:
    pages: dict[str, _LinkParser] = field(default_factory=dict)
    broken: dict[str, list[str]] = field(default_factory=dict)
    external: set[str] = field(default_factory=set)
    checked: int = 0


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def _ids(crawl: Crawl, url: str) -> set[str]:
    parser = crawl.pages.get(url)
    return parser.ids if parser else set()


@pytest.fixture(scope="session")
def crawl(site_url: str) -> Crawl:
    """Every page reachable from the index, every URL they name, every anchor."""
    result = Crawl()
    status: dict[str, tuple[int, str]] = {}
    queue = [site_url + "index.html"]
    links: list[tuple[str, str]] = []  # (page it is on, absolute URL)
    while queue:
        url = queue.pop()
        if url in result.pages:
            continue
        code, kind, body = _fetch(url)
        status[url] = (code, kind)
        parser = _LinkParser()
        if code == 200 and kind == "text/html":
            parser.feed(body.decode("utf-8"))
        result.pages[url] = parser
        for raw in parser.urls:
            target = urljoin(url, raw)
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "data", "javascript"):
                continue
            if not target.startswith(site_url.split(PREFIX)[0] + "/"):
                result.external.add(target)
                continue
            links.append((url, target))
            bare = target.split("#", 1)[0].split("?", 1)[0]
            if bare.endswith(".html") or bare.endswith("/"):
                queue.append(bare)
    for page, target in links:
        result.checked += 1
        bare, _, fragment = target.partition("#")
        bare = bare.split("?", 1)[0]
        problem = None
        if not urlsplit(bare).path.startswith(PREFIX):
            problem = "leaves the site's sub-path"
        else:
            if bare not in status:
                code, kind, _ = _fetch(bare)
                status[bare] = (code, kind)
            code, kind = status[bare]
            if code != 200:
                problem = f"HTTP {code}"
            elif fragment and unquote(fragment) not in _ids(result, bare):
                problem = f"no element with id {unquote(fragment)!r}"
        if problem:
            name = page[len(site_url) :]
            result.broken.setdefault(name, []).append(f"{target[len(site_url) - 1 :]}: {problem}")
    return result


# --- the tests ------------------------------------------------------------------

page_theme = pytest.mark.parametrize("theme", THEMES)
every_page = pytest.mark.parametrize("page", PAGES)


def test_the_site_is_built() -> None:
    assert (SITE / "index.html").is_file(), f"no built site at {SITE}: run `make html` first"
    assert {f"{c}.html" for c in CHAPTERS} <= set(PAGES)


@page_theme
@every_page
def test_no_console_errors(browser: Browser, page: str, theme: str) -> None:
    assert browser.visit(page, theme).console_errors == []


@page_theme
@every_page
def test_no_failed_requests_and_none_to_other_hosts(browser: Browser, page: str, theme: str) -> None:
    visit = browser.visit(page, theme)
    assert visit.foreign_requests == [], "requests to hosts other than the local server"
    assert visit.failed_requests == []


@page_theme
@every_page
def test_every_formula_is_typeset(browser: Browser, page: str, theme: str) -> None:
    visit = browser.visit(page, theme)
    assert visit.math_problems == []
    assert visit.math_rendered == visit.math_in_source


@page_theme
@every_page
def test_every_image_loads(browser: Browser, page: str, theme: str) -> None:
    assert browser.visit(page, theme).broken_images == []


@page_theme
@every_page
def test_the_theme_is_applied(browser: Browser, page: str, theme: str) -> None:
    visit = browser.visit(page, theme)
    assert visit.data_theme == theme
    if theme == "dark":
        assert visit.background_luminance < 0.2
    else:
        assert visit.background_luminance > 0.8


@page_theme
@every_page
def test_no_serious_accessibility_violations(browser: Browser, page: str, theme: str) -> None:
    visit = browser.visit(page, theme)
    blocking = [v for v in visit.axe_violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == []


@every_page
def test_every_link_and_anchor_resolves(crawl: Crawl, page: str) -> None:
    assert crawl.broken.get(page, []) == []


def test_the_crawl_reaches_every_page(crawl: Crawl, site_url: str) -> None:
    reached = {url[len(site_url) :] for url in crawl.pages}
    assert set(PAGES) - reached == set()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_has_screenshots(browser: Browser, chapter: str, theme: str) -> None:
    visit = browser.visit(f"{chapter}.html", theme)
    assert visit.screenshot is not None
    assert (ROOT / visit.screenshot).stat().st_size > 10_000


def _search(browser: Browser, query: str, theme: str) -> list[str]:
    """Type ``query`` in the search box of the home page; the pages it lists, in order."""
    tab = browser.contexts[theme].new_page()
    errors: list[str] = []
    tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        tab.goto(browser.site_url + "index.html")
        tab.locator("button.search-button-field:visible").first.click()
        box = tab.locator("form.bd-search input[name=q]:visible").first
        box.fill(query)
        with tab.expect_navigation():
            box.press("Enter")
        assert "search.html" in tab.url
        tab.wait_for_selector("#search-results .search-summary", timeout=30_000)
        hrefs = tab.eval_on_selector_all(
            "#search-results ul.search li > a", "links => links.map(a => a.href)"
        )
    finally:
        tab.close()
    assert errors == []
    return [urlsplit(h).path[len(PREFIX) :] for h in hrefs]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("query", "chapter"), list(SEARCHES.items()))
def test_search_finds_the_chapter(browser: Browser, query: str, chapter: str, theme: str) -> None:
    results = _search(browser, query, theme)
    chapters = [r for r in results if Path(r).stem in CHAPTERS]
    searches = browser.__dict__.setdefault("searches", {})
    searches[f"{query} ({theme})"] = results[:10]
    assert chapters, f"no chapter in the results for {query!r}: {results[:10]}"
    assert chapters[0] == f"{chapter}.html", f"results for {query!r}: {results[:10]}"
    assert results.index(chapters[0]) < 5
