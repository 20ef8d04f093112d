"""``make pagespeed``: what a phone downloads and how long it waits, before and after.

Two built sites side by side in one run, each served from 127.0.0.1 as GitHub
Pages serves the site (text gzipped; tests/test_math_browser.py's server): the
"before" (by default the
site as it was before issue 21: MathJax typesetting in the browser, the
theme's fontawesome.js) and the "after" (this checkout's ``_build/html``). For
each chapter and the landing page, alternating between the two sites, three
times each (``--repeats``), in headless Chromium at 390 x 844 px with the CPU
throttled 4x (DevTools' Emulation.setCPUThrottlingRate, a mid-range phone) and
a fresh cache:

- bytes: every response as DevTools counts it (as sent, headers included),
  images below the fold too (as a reader who scrolls to the end gets them);
  and the same files' size on disk (uncompressed, as ``make serve`` sends them);
- readable: from navigation to the later of the load event, the last font's
  arrival and the last formula put in the page (a MutationObserver sees MathJax
  insert its ``mjx-container``s; a page typeset at build time has its formulas
  once parsed, and they count from the end of the parse: see WATCH);
- script-free parse: the same page with JavaScript disabled, to its load event;
  the ratio readable / script-free is the issue's target (at most 1.5).

Prints one table (medians) and writes every measurement to
``_build/pagespeed.json``. No test times anything; the browser suite checks the
bytes (tests/test_math_browser.py).

    python tests/benchmarks/pagespeed.py BEFORE_SITE AFTER_SITE [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT)]

from tests.test_math_browser import CHROMIUM, CHROMIUM_ARGS, Weigher, serve  # noqa: E402

PAGES = ["neuron", "learning-rate", "initialization", "loss", "chain-rule", "index"]
VIEWPORT = {"width": 390, "height": 844}
THROTTLE = 4

# Installed before the page's own scripts: the time of the last formula typeset.
# The observer starts when the parse ends (readyState "interactive", before the
# deferred scripts and DOMContentLoaded): MathJax 3 typesets nothing before then
# (its startup waits for that state), and formulas the parser put in the page
# count from that moment, no earlier than they arrived. Watching the parse
# itself times the instrument: the parser's 33 000 to 47 000 insertions in a
# chapter are as many mutation records, 0.1 to 0.4 s of this script at CPU/4
# (plus Blink's cost of making them), which the script-free visit it is compared
# with never pays.
WATCH = """
window.__lastTypeset = 0;
document.addEventListener('readystatechange', () => {
    if (document.readyState !== 'interactive') return;
    if (document.querySelector('mjx-container')) window.__lastTypeset = performance.now();
    new MutationObserver(records => {
        for (const r of records) for (const n of r.addedNodes)
            if (n.nodeType === 1
                && (n.tagName === 'MJX-CONTAINER' || n.querySelector?.('mjx-container')))
                window.__lastTypeset = performance.now();
    }).observe(document, {childList: true, subtree: true});
});
"""

SETTLED = """async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
    await document.fonts.ready;
    await new Promise(r => setTimeout(r, 300));
    await document.fonts.ready;
    const nav = performance.getEntriesByType('navigation')[0];
    const fonts = performance.getEntriesByType('resource')
        .filter(e => /\\.(woff2?|ttf|otf)(\\?|$)/.test(e.name)).map(e => e.responseEnd);
    return {load: nav.loadEventEnd, fonts: Math.max(0, ...fonts), typeset: window.__lastTypeset};
}"""

LOAD_IMAGES = """async () => {
    const images = [...document.images];
    for (const img of images) img.loading = 'eager';
    await Promise.all(images.map(img => img.complete ? null :
        new Promise(done => { img.onload = img.onerror = done; })));
}"""


def measure(browser: Any, url: str) -> dict[str, Any]:
    """One visit with scripts, one without: bytes, readable and script-free times (ms)."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    tab.add_init_script(WATCH)
    weigher = Weigher(context, tab)
    tab.goto(url, wait_until="load", timeout=120_000)
    times = tab.evaluate(SETTLED)
    tab.evaluate(LOAD_IMAGES)
    tab.wait_for_load_state("networkidle")
    sizes = weigher.by_kind()
    files = weigher.uncompressed()
    context.close()

    bare = browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
    tab = bare.new_page()
    bare.new_cdp_session(tab).send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    tab.goto(url, wait_until="load", timeout=120_000)
    parse = tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    bare.close()
    readable = max(times["load"], times["fonts"], times["typeset"])
    return {
        "bytes": sum(sizes.values()),
        "bytes_files": files,
        "by_kind": sizes,
        "readable_ms": readable,
        "script_free_ms": parse,
        **{f"{k}_ms": v for k, v in times.items()},
    }


def run(sites: dict[str, Path], repeats: int) -> dict[str, dict[str, list[dict[str, Any]]]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, list[dict[str, Any]]]] = {
        name: {page: [] for page in PAGES} for name in sites
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        servers = {name: serve(site, compress=True) for name, site in sites.items()}
        urls = {name: server.__enter__() for name, server in servers.items()}
        try:
            for _ in range(repeats):
                for page in PAGES:
                    for name in sites:  # interleaved: the machine's load hits both alike
                        out[name][page].append(measure(browser, f"{urls[name]}{page}.html"))
        finally:
            for server in servers.values():
                server.__exit__(None, None, None)
            browser.close()
    return out


def table(results: dict[str, dict[str, list[dict[str, Any]]]]) -> str:
    names = list(results)
    head = ["page"]
    for name in names:
        head += [f"{name} MB", f"{name} files MB", f"{name} readable s", f"{name} no-JS s",
                 f"{name} ratio"]  # fmt: skip
    rows = [head]
    for page in PAGES:
        row = [page]
        for name in names:
            runs = results[name][page]

            def med(key: str, runs: list[dict[str, Any]] = runs) -> float:
                return statistics.median(r[key] for r in runs)

            row += [
                f"{med('bytes') / 1e6:.2f}",
                f"{med('bytes_files') / 1e6:.2f}",
                f"{med('readable_ms') / 1e3:.2f}",
                f"{med('script_free_ms') / 1e3:.2f}",
                f"{statistics.median(r['readable_ms'] / r['script_free_ms'] for r in runs):.2f}",
            ]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path, help="the built site before (its html folder)")
    parser.add_argument("after", type=Path, help="the built site after (its html folder)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pagespeed.json")
    args = parser.parse_args()
    sites = {"before": args.before.resolve(), "after": args.after.resolve()}
    for site in sites.values():
        if not (site / "index.html").is_file():
            sys.exit(f"pagespeed: no built site at {site}")
    results = run(sites, args.repeats)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    print(f"Chromium at {VIEWPORT['width']} px, CPU/{THROTTLE}, fresh cache, text gzipped as"
          f" on GitHub Pages (files: uncompressed); medians of {args.repeats};"
          " ratio = readable / script-free parse (target <= 1.5)")  # fmt: skip
    print(table(results))
    print(f"every measurement: {args.out}")


if __name__ == "__main__":
    main()
