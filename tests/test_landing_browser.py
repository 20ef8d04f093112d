"""The landing page in Chromium (part of ``make browser``): one search box at a
phone's width and a laptop's, and search snippets from the pages' text alone.

The site is ``_build/html`` or ``$NNBOOK_SITE``, served on 127.0.0.1 with every
other host blocked; Chromium is Debian's (``$NNBOOK_CHROMIUM``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.browser_support import served_site_and_chromium

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("NNBOOK_SITE", ROOT / "_build" / "html")).resolve()
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium")
WIDTHS = (390, 1280)

# Every control that opens the search, visible or not.
SEARCH_CONTROLS = """() => [...document.querySelectorAll(
        'input[type=search], input[name=q], button.search-button, .search-button-field')]
    .filter(el => !el.closest('dialog, .search-button__wrapper'))
    .filter(el => {
        const box = el.getBoundingClientRect(), style = getComputedStyle(el);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
    })
    .map(el => el.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="module")
def browser() -> Iterator[tuple[Any, str]]:
    with served_site_and_chromium(SITE, CHROMIUM) as served:
        yield served


def _tab(browser: tuple[Any, str], width: int) -> Any:
    chromium, url = browser
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
    return tab


@pytest.mark.parametrize("page", ["index.html", "loss.html"])
@pytest.mark.parametrize("width", WIDTHS)
def test_one_search_box(browser, page, width):
    tab = _tab(browser, width)
    tab.goto(browser[1] + page, wait_until="load")
    controls = tab.evaluate(SEARCH_CONTROLS)
    tab.close()
    assert len(controls) == 1, controls


def _article_text(page: str) -> str:
    soup = BeautifulSoup((SITE / page).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one('[role="main"] article')
    for removed in article.select(".headerlink, script, style"):
        removed.decompose()
    return " ".join(article.get_text().split())


@pytest.mark.parametrize("query", ["learning rate", "neuron", "chain rule"])
def test_search_snippets_are_the_pages_own_text(browser, query):
    """Sphinx shows a part of the found page's text under each result; taken from
    the whole of the theme's main element, it read "...ight Dark What is the use
    of the learning rate? Contents..." (the theme's buttons and the page's
    contents list). Every snippet must be a piece of its page's article."""
    tab = _tab(browser, 1280)
    tab.goto(browser[1] + "search.html?q=" + query.replace(" ", "+"), wait_until="load")
    tab.wait_for_selector("#search-results .search-summary", timeout=60_000)
    results = tab.eval_on_selector_all(
        "#search-results ul.search li",
        """items => items.map(li => [li.querySelector('a').getAttribute('href'),
                                       (li.querySelector('p.context') || {}).textContent])""",
    )
    tab.close()
    snippets = [(href, text) for href, text in results if text]
    assert snippets, f"no result with a snippet for {query!r}"
    for href, text in snippets:
        page = href.split("#")[0].split("?")[0]
        piece = " ".join(re.sub(r"^\.\.\.|\.\.\.$", "", text.strip()).split())
        assert piece in _article_text(page), f"{href}: {text!r}"
