"""The built site served on 127.0.0.1 with Chromium launched, for the browser tests
that share one pytest run (tests/test_landing_browser.py, tests/test_interactive_browser.py)."""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served_site_and_chromium(site: Path, chromium: str) -> Iterator[tuple[Any, str]]:
    """(Chromium, the site's address): the site in `site` served on a free local port,
    Debian's Chromium at `chromium`; a missing site or browser fails the test."""
    if not (site / "index.html").is_file():
        pytest.fail(f"no built site at {site}: run `make html` first", pytrace=False)
    if not os.access(chromium, os.X_OK):
        pytest.fail(f"no Chromium at {chromium}", pytrace=False)
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with contextlib.ExitStack() as stack:
        stack.callback(server.server_close)
        stack.callback(server.shutdown)
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        stack.callback(browser.close)
        yield browser, url
