"""The site's MathJax in headless Chromium: exactly the files the pages load.

conf/mathjax_assets.py ships a list of MathJax's files instead of the whole
package (13 files instead of 106). Every page of the built site (``_build/html``
or ``$NNBOOK_SITE``) is opened in the light and the dark theme with every
request to another host blocked, and every request under ``_static/mathjax/``
recorded. No such request may fail (a formula with a new macro or font style
asks for a file the list lacks), every listed file must be asked for by some
page (the list is no longer than needed), and every formula must be typeset.

Run with ``make browser`` (after ``make html``), which runs the main browser
suite too. It needs Debian's Chromium, as tests/test_site_browser.py does.
"""

from __future__ import annotations

import contextlib
import functools
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
FIX = "add it to MATHJAX_FILES in conf/mathjax_assets.py"

if not Path(CHROMIUM).exists():
    advice = f"these tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run under CI: {advice}", pytrace=False)
    pytest.skip(f"Browser tests NOT run: {advice}", allow_module_level=True)

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage", "--no-proxy-server"]  # fmt: skip

# Each formula typeset once, no MathJax error, no TeX left as text.
MATH_STATE = r"""async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise)
        await MathJax.startup.promise;
    await document.fonts.ready;
    const problems = [];
    for (const el of document.querySelectorAll('span.math, div.math')) {
        const n = el.querySelectorAll('mjx-container').length;
        if (n !== 1) problems.push(`${n} typeset formulas in: ${el.textContent.slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('mjx-merror, [data-mjx-error]'))
        problems.push(`MathJax error: ${el.getAttribute('data-mjx-error') || el.textContent}`);
    for (const el of document.querySelectorAll('mjx-assistive-mml mtext[mathcolor="red"]'))
        if (el.textContent.startsWith('\\')) problems.push(`undefined macro ${el.textContent}`);
    return {formulas: document.querySelectorAll('span.math, div.math').length, problems};
}"""


def _pages(site: Path) -> list[str]:
    pages = (p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    return sorted(p for p in pages if not p.startswith("_static/"))


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """``directory`` on a free port of 127.0.0.1, under /book/ as on a project page."""

    class Handler(SimpleHTTPRequestHandler):
        def send_head(self) -> Any:
            if not self.path.startswith("/book/"):
                self.send_error(404)
                return None
            self.path = self.path[len("/book") :]
            return super().send_head()

        def log_message(self, format: str, *args: Any) -> None:
            pass

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
    """What one page asked of MathJax's folder, and how its formulas came out."""

    requested: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)  # paths on the site
    foreign: list[str] = field(default_factory=list)
    formulas: int = 0
    problems: list[str] = field(default_factory=list)


def visit_all(site: Path, pages: list[str]) -> dict[tuple[str, str], Visit]:
    """Open each page in each theme, offline; record what it asked for.

    In a thread of its own: Playwright's sync API runs one instance per thread,
    and the main browser suite's may be running in this one."""
    result: dict[str, Any] = {}

    def work() -> None:
        try:
            result["visits"] = _visit_all(site, pages)
        except BaseException as error:  # re-raised in the caller's thread
            result["error"] = error

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    if "error" in result:
        raise result["error"]
    return result["visits"]


def _visit_all(site: Path, pages: list[str]) -> dict[tuple[str, str], Visit]:
    from playwright.sync_api import sync_playwright

    out: dict[tuple[str, str], Visit] = {}
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        origin = url.removesuffix("book/")
        for theme in THEMES:
            context = browser.new_context(color_scheme=theme, service_workers="block")
            # What pydata-sphinx-theme's theme switch stores, read before the page paints.
            context.add_init_script(
                f"localStorage.setItem('mode', '{theme}');localStorage.setItem('theme', '{theme}');"
            )
            for page in pages:
                visit = out[(page, theme)] = Visit()
                tab = context.new_page()

                def route(request_route: Any, visit: Visit = visit) -> None:
                    if request_route.request.url.startswith(origin):
                        request_route.continue_()
                    else:
                        visit.foreign.append(request_route.request.url)
                        request_route.abort("blockedbyclient")

                def finished(request: Any, visit: Visit = visit) -> None:
                    path = urlsplit(request.url).path
                    if MATHJAX in path:
                        visit.requested.add(path.split(MATHJAX, 1)[1])

                def answered(response: Any, visit: Visit = visit) -> None:
                    if response.status >= 400:
                        visit.failed.add(urlsplit(response.url).path)

                def failed(request: Any, visit: Visit = visit) -> None:
                    if request.url not in visit.foreign:
                        visit.failed.add(urlsplit(request.url).path)

                tab.route("**/*", route)
                tab.on("requestfinished", finished)
                tab.on("response", answered)
                tab.on("requestfailed", failed)
                tab.goto(url + page, wait_until="load")
                state = tab.evaluate(MATH_STATE)
                tab.wait_for_load_state("networkidle")  # fonts asked for after typesetting
                visit.formulas, visit.problems = state["formulas"], state["problems"]
                tab.close()
            context.close()
        browser.close()
    return out


def _missing(visits: dict[tuple[str, str], Visit]) -> list[str]:
    """The MathJax files a page asked for and did not get."""
    return sorted({f for v in visits.values() for f in v.failed if MATHJAX in f})


@pytest.fixture(scope="module")
def visits() -> dict[tuple[str, str], Visit]:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make html` first")
    return visit_all(SITE, _pages(SITE))


def test_the_site_ships_exactly_the_listed_files() -> None:
    shipped = {p.relative_to(SITE / MATHJAX).as_posix() for p in (SITE / MATHJAX).rglob("*")}
    shipped = {p for p in shipped if (SITE / MATHJAX / p).is_file()}
    assert shipped == set(MATHJAX_FILES)


def test_no_mathjax_request_fails(visits: dict[tuple[str, str], Visit]) -> None:
    assert _missing(visits) == [], f"MathJax asked for files the site lacks: {FIX}"


def test_every_request_stays_on_the_site(visits: dict[tuple[str, str], Visit]) -> None:
    assert {k: v.foreign for k, v in visits.items() if v.foreign} == {}


def test_every_listed_file_is_loaded(visits: dict[tuple[str, str], Visit]) -> None:
    requested = set().union(*(v.requested for v in visits.values()))
    unused = sorted(set(MATHJAX_FILES) - requested)
    assert unused == [], "no page loads these: take them out of MATHJAX_FILES"


def test_every_formula_is_typeset(visits: dict[tuple[str, str], Visit]) -> None:
    assert {k: v.problems for k, v in visits.items() if v.problems} == {}
    assert sum(v.formulas for v in visits.values()) > 0


def test_a_new_font_style_is_caught(tmp_path: Path) -> None:
    """A formula in a style no page uses yet (typewriter) asks for a font the
    site lacks: the check above names it."""
    if not (SITE / MATHJAX).is_dir():
        pytest.fail(f"no built site at {SITE}: run `make html` first")
    (tmp_path / "_static").symlink_to(SITE / "_static")
    (tmp_path / "new.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>new</title>'
        '<script defer src="_static/mathjax/tex-chtml.js"></script></head><body>'
        r'<p><span class="math">\(\mathtt{x} + \boldsymbol{w}\)</span></p></body></html>',
        encoding="utf-8",
    )
    visits = visit_all(tmp_path, ["new.html"])
    font = "output/chtml/fonts/woff-v2/MathJax_Typewriter-Regular.woff"
    assert _missing(visits) == [f"/book/{MATHJAX}{font}"]
    assert visits[("new.html", "light")].problems == []
