"""make pagespeed's instrument (tests/benchmarks/pagespeed.py): when it says the last
formula arrived. Nothing here is timed against a budget; the checks are on order.

The observer of formulas starts when the parse ends: a formula in the HTML counts
from then (never earlier than it arrived), one a script adds later counts from
when it is added, and the parse itself is not watched (a chapter's 33 000 to 47 000
parser insertions would each cost the page a mutation record, which the
script-free visit it is compared with never pays).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.benchmarks import pagespeed
from tests.test_math_browser import CHROMIUM, CHROMIUM_ARGS, serve

FORMULA = "<span class='math'><mjx-container class='MathJax'>x</mjx-container></span>"
# A script that holds the parser (busy) for `ms` milliseconds after it runs.
BUSY = "<script>{{const t = performance.now(); while (performance.now() - t < {ms});}}</script>"
# Times the page notes for the test, on its own clock.
NOTE = "<script>window.__{name} = performance.now();</script>"

PAGES = {
    # formulas in the HTML, then 400 ms more of parsing
    "parsed.html": f"<p>{FORMULA * 50}</p>{NOTE.format(name='formulas')}{BUSY.format(ms=400)}",
    # a formula a script adds after the parse, the way MathJax typesets in the browser
    "late.html": "<p>text</p><script>document.addEventListener('DOMContentLoaded', () =>"
    " setTimeout(() => { document.body.insertAdjacentHTML('beforeend', "
    f'"{FORMULA}"); window.__added = performance.now(); }}, 400));</script>',
    "plain.html": "<p>no maths</p>",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("pagespeed")
    for name, body in PAGES.items():
        (root / name).write_text(f"<!doctype html><html><body>{body}</body></html>")
    (root / "index.html").write_text("<!doctype html><p>index</p>")
    with serve(root) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def visit(browser: Any, url: str, until: str = "true") -> dict[str, Any]:
    """One visit as the benchmark makes it (its WATCH and SETTLED); the page's times."""
    context = browser.new_context()
    tab = context.new_page()
    tab.add_init_script(pagespeed.WATCH)
    tab.goto(url, wait_until="load")
    tab.evaluate(pagespeed.SETTLED)
    tab.wait_for_function(until)
    out: dict[str, Any] = tab.evaluate(
        """() => { const nav = performance.getEntriesByType('navigation')[0];
        return {typeset: window.__lastTypeset, formulas: window.__formulas,
                added: window.__added, interactive: nav.domInteractive,
                dcl: nav.domContentLoadedEventStart}; }"""
    )
    context.close()
    return out


def test_formulas_in_the_html_count_from_the_end_of_the_parse(site: str, browser: Any) -> None:
    seen = visit(browser, site + "parsed.html")
    # Not when the parser met them (the observer is not yet watching), but once
    # the parse ended: after the 400 ms the parser spent past them.
    assert seen["typeset"] >= seen["formulas"] + 400, seen
    assert seen["interactive"] <= seen["typeset"] <= seen["dcl"], seen


def test_a_formula_added_by_a_script_counts_when_added(site: str, browser: Any) -> None:
    seen = visit(browser, site + "late.html", until="window.__added !== undefined")
    assert seen["added"] >= seen["dcl"] + 400, seen
    assert seen["typeset"] >= seen["added"] - 1, seen


def test_a_page_without_maths_has_no_formula_time(site: str, browser: Any) -> None:
    assert visit(browser, site + "plain.html")["typeset"] == 0
