"""The book as one PDF: what the Sphinx build does for it.

``make pdf`` builds the book with Sphinx's ``singlehtml`` builder (the same
configuration and execution cache as the site, so nothing runs twice) and
conf/print_pdf.py prints that page with Chromium. This extension

- leaves the API reference and the execution statistics out of the single
  page (references to them become plain text: the PDF has no page for them);
- gives the site the role ``{pdf-download}`text```: a link to ``nnbook.pdf``
  when ``make pdf`` has made it (the HTML build then copies it into the site),
  and a note that ``make pdf`` makes it when it has not, so that no page links
  a missing file; the PDF itself leaves the line out.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "_build" / "pdf" / "nnbook.pdf"
PDF_NAME = "nnbook.pdf"
# Pages of the site the PDF leaves out (the issue allows it for the API).
LEFT_OUT = ("api", "execution")


class pdf_download(nodes.Inline, nodes.Element):
    """Where the link to the PDF goes; made into a link or a note per build."""


def pdf_download_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: Any = None,
    content: Any = None,
) -> tuple[list[nodes.Node], list[Any]]:
    env = inliner.document.settings.env
    env.pdf_download_docs = getattr(env, "pdf_download_docs", set()) | {env.docname}
    return [pdf_download(rawtext, nodes.Text(text))], []


def _rebuild_pages_with_the_link(
    app: Any, env: Any, added: Any, changed: Any, removed: Any
) -> list[str]:
    # Whether the PDF exists, and its size, are part of no source: the pages
    # that link it are read anew when either changed since the last build (and
    # only then, so that a rebuild with nothing changed reads nothing).
    state = PDF.stat().st_size if PDF.is_file() else None
    if getattr(env, "pdf_download_state", "unknown") == state:
        return []
    env.pdf_download_state = state
    return sorted(getattr(env, "pdf_download_docs", set()) - set(removed))


def _merge(app: Any, env: Any, docnames: Any, other: Any) -> None:
    env.pdf_download_docs = getattr(env, "pdf_download_docs", set()) | getattr(
        other, "pdf_download_docs", set()
    )


def _purge(app: Any, env: Any, docname: str) -> None:
    getattr(env, "pdf_download_docs", set()).discard(docname)


def _html_handlers_for_the_single_page(app: Any) -> None:
    """Let ``singlehtml`` render every node ``html`` renders. Sphinx falls back to
    the ``html`` handlers only for a builder that has none of its own, and
    sphinx-exercise registers some for ``singlehtml``: myst-nb's would be lost."""
    handlers = app.registry.translation_handlers
    if _is_single_page(app) and "singlehtml" in handlers:
        for node, visitors in handlers.get("html", {}).items():
            handlers["singlehtml"].setdefault(node, visitors)


def _is_single_page(app: Any) -> bool:
    return app.builder.name == "singlehtml"


def _one_page(app: Any, doctree: nodes.document) -> None:
    """Each page of the site a top-level part of the single page, in order, but
    for LEFT_OUT (references to those become plain text); no id twice.

    Sphinx inlines each page where the landing page's toctree stands, inside
    its last section: the chapters' titles would be h3, nested under the
    landing page's "Licence". And each chapter has a section "Exercises" with
    the id ``exercises``: in one page, every link to it would lead to the
    first chapter's."""
    parts = [p for p in doctree.findall(addnodes.start_of_file) if p.parent is not None]
    for part in parts:
        part.parent.remove(part)
    seen = {i for node in doctree.findall(nodes.Element) for i in node["ids"]}
    renamed: dict[str, dict[str, str]] = {}
    for part in parts:
        if part["docname"] not in LEFT_OUT:
            doctree += part
            renamed[part["docname"]] = _unique_ids(app.env, part, seen)
    anchors = tuple(f"#document-{name}" for name in LEFT_OUT)
    for ref in list(doctree.findall(nodes.reference)):
        uri = ref.get("refuri", "")
        if uri in anchors or uri.startswith(tuple(a + "#" for a in anchors)):
            ref.replace_self(ref.children)
            continue
        doc, _, target = uri.removeprefix("#document-").partition("#")
        if uri.startswith("#document-") and target in renamed.get(doc, {}):
            ref["refuri"] = f"#document-{doc}#{renamed[doc][target]}"


def _unique_ids(env: Any, part: nodes.Element, seen: set[str]) -> dict[str, str]:
    """Rename each id of ``part`` already in ``seen`` to ``<document>-<id>``,
    inside the part and in the numbers of its sections and figures; return
    the renaming."""
    doc = part["docname"]
    renaming: dict[str, str] = {}
    for node in part.findall(nodes.Element):
        ids = []
        for old in node["ids"]:
            new = old
            while new in seen:
                new = f"{doc}-{new}"
            seen.add(new)
            ids.append(new)
            if new != old:
                renaming[old] = new
        node["ids"] = ids
    for node in part.findall(nodes.Element):
        if node.get("refid") in renaming:
            node["refid"] = renaming[node["refid"]]
        if node.get("backrefs"):
            node["backrefs"] = [renaming.get(b, b) for b in node["backrefs"]]
        uri = node.get("refuri", "")
        if uri.startswith("#") and uri[1:] in renaming:
            node["refuri"] = "#" + renaming[uri[1:]]
    # The single page's writer finds a heading's number and a figure's by id.
    sections = env.toc_secnumbers.get(doc, {})
    for old, new in renaming.items():
        if "#" + old in sections:
            sections["#" + new] = sections["#" + old]
        for numbers in env.toc_fignumbers.get(doc, {}).values():
            if old in numbers:
                numbers[new] = numbers[old]
    return renaming


def resolve(app: Any, doctree: nodes.document, docname: str) -> None:
    single = _is_single_page(app)
    if single and docname == app.config.root_doc:
        _one_page(app, doctree)
    for node in list(doctree.findall(pdf_download)):
        if single:  # the PDF does not link itself
            parent = node.parent
            parent.remove(node)
            if isinstance(parent, nodes.paragraph) and not parent.astext().strip():
                parent.parent.remove(parent)
        elif PDF.is_file():
            depth = docname.count("/")
            size = f"{PDF.stat().st_size / 1e6:.1f} MB"
            link = nodes.reference("", "", refuri="../" * depth + PDF_NAME, internal=False)
            link += node.children
            node.replace_self([link, nodes.Text(f" (PDF, {size})")])
        else:
            made_by = [nodes.literal("", "make pdf"), nodes.Text(" makes the whole book a PDF.")]
            node.replace_self(made_by)


def copy_pdf(app: Any, exception: Exception | None) -> None:
    """Put the PDF beside the site's pages when it exists."""
    if exception is None and app.builder.format == "html" and not _is_single_page(app):
        if PDF.is_file():
            shutil.copyfile(PDF, Path(app.outdir) / PDF_NAME)


def setup(app: Any) -> dict[str, Any]:
    app.add_node(pdf_download)
    app.add_role("pdf-download", pdf_download_role)
    app.connect("builder-inited", _html_handlers_for_the_single_page)
    app.connect("env-get-outdated", _rebuild_pages_with_the_link)
    app.connect("env-merge-info", _merge)
    app.connect("env-purge-doc", _purge)
    app.connect("doctree-resolved", resolve)
    app.connect("build-finished", copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
