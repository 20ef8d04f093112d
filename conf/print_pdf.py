"""Print the book's single page (``make pdf``'s singlehtml build) to one PDF.

Why Chromium and not LaTeX: the page is the site's own HTML, so every output,
figure, table and formula is the one readers see (the maths typeset at build
time by MathJax, conf/mathjax_prerender.py, as on the site), and the Chromium
the browser tests drive is already installed.
Sphinx's LaTeX builder would need Debian's TeX Live (texlive-latex-extra,
-recommended, fonts, latexmk, tex-gyre: 86 packages, about 660 MB here) and
would render the book a second way: its own maths, tables and admonitions.

The page is served on 127.0.0.1 and every request to another host is blocked;
a failed or blocked request is an error. Once every image and font has loaded
(nothing typesets the maths in the browser: it comes typeset), the solutions are opened, a table of
contents is added, display maths wider than the text is zoomed to fit, and
Chromium prints a tagged (accessible) PDF, to which pypdf adds bookmarks for
every part and section.

    python conf/print_pdf.py _build/pdf/html/index.html _build/pdf/nnbook.pdf
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import io
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CSS = Path(__file__).resolve().parent / "pdf_print.css"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage", "--no-proxy-server"]  # fmt: skip
# The printable width of an A4 page with pdf_print.css's margins, in CSS pixels:
# laid out at this width, the page wraps as it will on paper.
TEXT_WIDTH_PX = round((210 - 2 * 17) / 25.4 * 96)

SETTLE = """async () => {
    for (const img of document.images) img.loading = 'eager';
    await Promise.all([...document.images].map(img => img.complete ? null :
        new Promise(done => { img.onload = img.onerror = done; })));
    await document.fonts.ready;
    return [...document.images].filter(img => !img.naturalWidth).map(img => img.src);
}"""

# Formulas not typeset at build time, typeset as an error, or a script to typeset them.
UNTYPESET = """() => [
    ...[...document.querySelectorAll('span.math, div.math')]
        .filter(el => !el.querySelector('mjx-container')).map(el => el.textContent.slice(0, 60)),
    ...[...document.querySelectorAll('script[src*="mathjax" i], script[src*="katex" i]')]
        .map(el => `a maths script: ${el.getAttribute('src')}`),
    ...[...document.querySelectorAll('mjx-merror')].map(el => `error: ${el.textContent}`),
]"""

# Solutions open (sphinx-togglebutton's folds and <details>, but not the hidden
# code of hide-input cells); a table of contents of the pages and their sections.
PREPARE = """() => {
    for (const d of document.querySelectorAll('details:not(.hide)')) d.open = true;
    for (const e of document.querySelectorAll('.toggle-hidden'))
        e.classList.remove('toggle-hidden');
    const title = h => {
        const copy = h.cloneNode(true);
        copy.querySelectorAll('a.headerlink').forEach(a => a.remove());
        return copy.textContent.replace(/\\s+/g, ' ').trim();
    };
    const link = (id, text) => {
        const li = document.createElement('li');
        li.innerHTML = `<a href="#${id}"></a>`;
        li.firstChild.textContent = text;
        return li;
    };
    const nav = document.createElement('nav');
    nav.className = 'pdf-toc';
    nav.setAttribute('aria-label', 'Contents');
    nav.innerHTML = '<p class="rubric" role="heading" aria-level="1">Contents</p><ol></ol>';
    const outline = [];
    const starts = document.querySelectorAll('span[id^="document-"]');
    for (const start of starts) {
        const section = start.nextElementSibling;
        const h1 = section && section.querySelector('h1');
        if (!h1) continue;
        const subs = [...section.querySelectorAll(':scope > section > h2')].map(
            h2 => ({id: h2.parentElement.id, title: title(h2), children: []}));
        outline.push({id: section.id, title: title(h1), children: subs});
        const item = link(section.id, title(h1));
        if (h1.querySelector('.section-number') && subs.length) {
            const sub = document.createElement('ol');
            for (const s of subs) sub.append(link(s.id, s.title));
            item.append(sub);
        }
        nav.querySelector('ol').append(item);
    }
    starts[0].before(nav);
    const cover = document.querySelector('main section');
    outline.unshift({id: cover.id, title: title(cover.querySelector('h1')), children: []});
    return outline;
}"""

# Display maths, tables and code blocks wider than the text are zoomed to fit.
FIT = """() => {
    let zoomed = 0;
    for (const el of document.querySelectorAll('mjx-container[display="true"], article table')) {
        const room = el.parentElement.clientWidth, need = el.scrollWidth;
        if (need > room + 1) { el.style.zoom = (room / need).toFixed(3); zoomed++; }
    }
    return zoomed;
}"""

AUTHOR = "The nnbook authors"
DATES = ("/CreationDate", "/ModDate")
FOOTER = (
    '<div style="font-size: 8pt; width: 100%; text-align: center; color: #555;">'
    '<span class="pageNumber"></span></div>'
)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """``directory`` on a free port of 127.0.0.1."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=directory))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def response(answer: Any, problems: list[str]) -> None:
    # The theme asks every page for the search index, which singlehtml does not write.
    if answer.status >= 400 and not answer.url.endswith("/searchindex.js"):
        problems.append(f"HTTP {answer.status}: {answer.url}")


def script_error(error: Any, problems: list[str]) -> None:
    # pydata-sphinx-theme's script looks for an element a single page lacks;
    # the page is whole all the same. Any other script's error stops the PDF.
    if "pydata-sphinx-theme.js" not in (error.stack or ""):
        problems.append(f"script error: {error}")


def print_pdf(page: Path, out: Path, chromium: str) -> None:
    from playwright.sync_api import Error, sync_playwright

    problems: list[str] = []
    with serve(page.parent) as url, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        except Error as error:
            first = str(error).strip().splitlines()[0]
            sys.exit(f"print_pdf: no PDF, Chromium ({chromium}) did not start: {first}")
        context = browser.new_context(
            viewport={"width": TEXT_WIDTH_PX, "height": 1000},
            color_scheme="light",
            service_workers="block",
        )
        # The page is one large document (every chapter, hundreds of formulas
        # and figures): on a busy machine loading it takes well over the 30 s
        # Playwright waits by default.
        context.set_default_timeout(600_000)
        context.add_init_script("localStorage.setItem('mode', 'light');")
        tab = context.new_page()

        def route(request_route: Any) -> None:
            if request_route.request.url.startswith(url):
                request_route.continue_()
            else:
                problems.append(f"blocked (not on this machine): {request_route.request.url}")
                request_route.abort("blockedbyclient")

        tab.route("**/*", route)
        tab.on("response", lambda answer: response(answer, problems))
        tab.on("pageerror", lambda error: script_error(error, problems))
        tab.emulate_media(media="print")
        tab.goto(url + page.name, wait_until="load")
        tab.add_style_tag(path=str(CSS))
        broken = tab.evaluate(SETTLE)
        problems += [f"image did not load: {src}" for src in broken]
        problems += [f"formula not typeset: {tex}" for tex in tab.evaluate(UNTYPESET)]
        outline = tab.evaluate(PREPARE)
        tab.evaluate(SETTLE)  # what the opened solutions hold
        zoomed = tab.evaluate(FIT)
        out.parent.mkdir(parents=True, exist_ok=True)
        tab.pdf(
            path=str(out),
            prefer_css_page_size=True,
            print_background=True,
            outline=False,  # written below, see add_outline
            tagged=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
        )
        browser.close()
    if problems:
        out.unlink(missing_ok=True)
        sys.exit("print_pdf: no PDF, the page did not load whole:\n  " + "\n  ".join(problems))
    add_outline(out, outline)
    from pypdf import PdfReader

    pages = len(PdfReader(out).pages)
    print(f"{out}: {pages} pages, {out.stat().st_size / 1e6:.1f} MB; {len(outline)} parts; "
          f"{zoomed} formulas or tables zoomed to the text's width")  # fmt: skip


def add_outline(pdf: Path, outline: list[dict[str, Any]]) -> None:
    """Write the PDF's bookmarks: each part of the book and its sections, each
    at the named destination Chromium made for the heading's anchor (the
    contents page links every one).

    Chromium can write an outline itself (``page.pdf(outline=True)``), but
    Chromium 156 doubles the title of a heading that starts a page
    ("2.3. 2.3. DemonstrationsDemonstrations"), and nests by heading level,
    so bookmarks would go as deep as the book's h5."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, Fit

    # Chromium's cross-reference table is one entry short of its objects; pypdf
    # says so and reads the file all the same.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(pdf)
    destinations = reader.named_destinations
    writer = PdfWriter(clone_from=reader)
    missing = []

    def add(entries: list[dict[str, Any]], parent: Any = None) -> None:
        for entry in entries:
            destination = destinations.get("/" + entry["id"])
            if destination is None:
                missing.append(entry["id"])
                continue
            page = reader.get_destination_page_number(destination)
            fit = Fit.xyz(left=destination.left, top=destination.top)
            item = writer.add_outline_item(
                title=entry["title"], page_number=page, parent=parent, fit=fit
            )
            add(entry["children"], item)

    add(outline)
    if missing:
        pdf.unlink()
        sys.exit(f"print_pdf: no PDF; no destination in it for the headings {missing}")
    writer.page_mode = "/UseOutlines"
    stable_structure_ids(writer)
    # The same book, the same bytes: Chromium stamps the PDF with the clock (its
    # dates) and a random file identifier. The dates become SOURCE_DATE_EPOCH's
    # (make pdf passes the last commit's time), or are left out; the identifier
    # is a hash of the file written with a blank one.
    info = {k: v for k, v in (reader.metadata or {}).items() if k not in DATES}
    info |= {"/Title": reader.metadata.title or "nnbook", "/Author": AUTHOR}
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        date = time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(int(epoch)))
        info |= dict.fromkeys(DATES, date)
    writer.metadata = info
    blank = ByteStringObject(bytes(16))
    writer._ID = ArrayObject([blank, blank])
    draft = io.BytesIO()
    writer.write(draft)
    identifier = ByteStringObject(hashlib.md5(draft.getvalue(), usedforsecurity=False).digest())
    writer._ID = ArrayObject([identifier, identifier])
    with pdf.open("wb") as file:
        writer.write(file)


def stable_structure_ids(writer: Any) -> None:
    """Name the tagged structure's elements by their order in the document.

    Chromium names an element of the structure tree (a table's header cell, so
    that its data cells can point to it) after the node of the page it came
    from, ``node00000714``, and a page's nodes are numbered as they are made:
    one more script-made node before the table, and every name shifts. Here
    they are ``id000001``, ``id000002``, ... in the structure's order, in the
    elements, in the cells' ``/Headers`` and in the tree of names."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    root = writer.root_object.get("/StructTreeRoot")
    root = root.get_object() if root is not None else None
    if root is None or "/IDTree" not in root:
        return
    elements, renamed = [], {}
    stack = [root.get("/K")]
    while stack:
        kids = stack.pop()
        kids = kids.get_object() if kids is not None else None
        if isinstance(kids, ArrayObject):
            stack.extend(reversed(kids))
        elif isinstance(kids, DictionaryObject) and "/S" in kids:
            elements.append(kids)
            if "/ID" in kids:
                renamed[str(kids["/ID"])] = TextStringObject(f"id{len(renamed) + 1:06d}")
            stack.append(kids.get("/K"))
    for element in elements:
        if "/ID" in element:
            element[NameObject("/ID")] = renamed[str(element["/ID"])]
        attributes = element.get("/A")
        attributes = attributes.get_object() if attributes is not None else None
        for attribute in attributes if isinstance(attributes, ArrayObject) else [attributes]:
            attribute = attribute.get_object() if attribute is not None else None
            if isinstance(attribute, DictionaryObject) and "/Headers" in attribute:
                headers = [renamed.get(str(h), h) for h in attribute["/Headers"]]
                attribute[NameObject("/Headers")] = ArrayObject(headers)
    by_name, top = {}, root["/IDTree"].get_object()
    nodes = [top]
    while nodes:
        node = nodes.pop()
        names = node.get("/Names", [])
        by_name |= {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        nodes.extend(kid.get_object() for kid in node.get("/Kids", []))
        node.clear()  # a node below the top one stays, empty: written, but unreachable
    pairs = sorted((renamed[old], element) for old, element in by_name.items())
    top[NameObject("/Names")] = ArrayObject([x for pair in pairs for x in pair])
    if pairs:
        top[NameObject("/Limits")] = ArrayObject([pairs[0][0], pairs[-1][0]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page", type=Path, help="the singlehtml build's index.html")
    parser.add_argument("out", type=Path, help="the PDF to write")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the browser to print with")
    args = parser.parse_args()
    if not os.access(args.chromium, os.X_OK):
        sys.exit(f"print_pdf: no PDF: no Chromium at {args.chromium} (it prints the book); "
                 "install Debian's (sudo apt-get install chromium) or name it: "
                 "make pdf CHROMIUM=/path/to/chromium")  # fmt: skip
    print_pdf(args.page.resolve(), args.out, args.chromium)


if __name__ == "__main__":
    main()
