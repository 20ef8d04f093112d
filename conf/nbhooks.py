"""Build hooks: the engine fingerprint, stale caches pruned, downloadable
notebooks, the extensions' CSS before the pages, stream outputs merged without
loss, current ARIA roles, figures in a wide and a narrow rendition."""

from __future__ import annotations

import copy
import hashlib
import html
import posixpath
import re
import shutil
import urllib.parse
from binascii import a2b_base64
from pathlib import Path
from typing import Any

from docutils import nodes


def engine_fingerprint(package: Path) -> str:
    """A short hash of every source file of the engine (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


def prune_execution_caches(app: Any) -> None:
    """Remove the caches of engines other than the current one.

    Each cache lives in a directory named after the engine's fingerprint, beside
    those of earlier engines (see ``nb_execution_cache_path`` in conf.py): each
    edit under nnbook/ would leave one more behind. None of them can serve again
    unless the engine goes back byte for byte to an earlier state."""
    current = Path(app.config.nb_execution_cache_path)
    if not _FINGERPRINT.fullmatch(current.name) or not current.parent.is_dir():
        return
    for other in current.parent.iterdir():
        if other != current and other.is_dir() and _FINGERPRINT.fullmatch(other.name):
            shutil.rmtree(other, ignore_errors=True)


_CARRIAGE_RETURN = re.compile(r".*\r(?=[^\n])")
_BACKSPACE = re.compile(r"[^\n]\x08")  # a character, then a backspace


def merge_streams(outputs: list[Any]) -> list[Any]:
    """All stdout of a cell in one output, all stderr in another, each placed
    where its stream first appears; the text is the exact concatenation.

    The kernel cuts a stream into messages by time (it flushes every 0.2 s), so
    one run may send ``"x = 1"`` and ``"\\n"`` where another sends ``"x = 1\\n"``.
    myst-nb 1.4.0's own merge (``nb_merge_streams``, ``myst_nb.core.utils.
    coalesce_streams``) right-strips every piece and adds a newline to it
    (upstream since executablebooks/MyST-NB#637), so where the cuts fall changes
    the page: trailing spaces vanish, blank lines appear. Joining the pieces as
    they are, as Jupyter (and nbclient's ``coalesce_streams``) does, gives the
    same text whatever the cuts. Carriage returns and backspaces are applied, and
    stdout comes before an adjacent stderr, as in myst-nb. The outputs given are
    not modified. tests/test_nbhooks.py fails once myst-nb's merge stops
    depending on the cuts: then this replacement can go.
    """
    merged: list[Any] = []
    streams: dict[str, Any] = {}
    for output in outputs:
        if output.get("output_type") != "stream":
            merged.append(output)
            continue
        text = output.get("text", "")
        text = "".join(text) if isinstance(text, list) else text
        if output["name"] in streams:
            streams[output["name"]]["text"] += text
        else:
            first = copy.deepcopy(output)
            first["text"] = text
            streams[output["name"]] = first
            merged.append(first)
    for stream in streams.values():
        text = stream["text"]
        while True:
            shorter = _BACKSPACE.sub("", text)
            if shorter == text:
                break
            text = shorter
        stream["text"] = _CARRIAGE_RETURN.sub("", text)
    names = [o["name"] if o.get("output_type") == "stream" else None for o in merged]
    for i in range(len(merged) - 1):
        if names[i : i + 2] == ["stderr", "stdout"]:
            merged[i], merged[i + 1] = merged[i + 1], merged[i]
            names[i], names[i + 1] = names[i + 1], names[i]
    return merged


def reproducible(nb: Any) -> Any:
    """An executed notebook as two builds write the same bytes of it: no timing
    or source-map metadata, cell ids from the cells' places (nbformat draws random
    ones), no execution counts, streams merged."""
    nb.metadata.pop("execution", None)
    nb.metadata.pop("source_map", None)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if "id" in cell:
            cell.id = f"cell-{index}"
        if cell.cell_type == "code":
            cell.execution_count = None
            cell.outputs = merge_streams(cell.get("outputs", []))
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = None
    return nb


def add_notebook_download(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Write ``_sources/<page>.ipynb`` for every chapter, with the outputs of its
    cached execution, and offer it in sphinx-book-theme's download menu (the theme
    reads ``ipynb_source``; it writes the file itself only when launch buttons are
    configured). Not myst-nb's copy in ``jupyter_execute/``: in cache mode, myst-nb
    1.4.0 writes the notebook it read there, without the outputs it merged."""
    from myst_nb.sphinx_ import NbMetadataCollector

    if doctree is None or NbMetadataCollector.get_exec_data(app.env, pagename) is None:
        return
    import nbformat
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook

    source = Path(app.env.doc2path(pagename))
    nb = read_myst_markdown_notebook(source.read_text(encoding="utf-8"), path=source)
    _, nb = get_cache(app.config.nb_execution_cache_path).merge_match_into_notebook(nb)
    note = install_note(f"{pagename}.ipynb", app.config.nnbook_repository_url)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(note))
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(reproducible(nb), target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def install_note(notebook: str, repository: str) -> str:
    """The first cell of a downloaded chapter: what to install to run it, from the
    repository's public address when the build knows it."""
    if repository:
        source = f'"nnbook[notebook] @ git+{repository}"'
        where = ""
    else:
        source = '"/path/to/nnbook[notebook]"'
        where = ", where `/path/to/nnbook` is a clone of the book's repository"
    return f"""**To run this notebook** on your own machine, install the book's engine,
`nnbook`, with the extra `notebook` (NumPy, Matplotlib, a Jupyter kernel, and
myst-nb, whose `glue` records the values the book's text quotes), in a fresh
virtual environment{where}:

```console
python -m pip install {source}
```

Then open this notebook in Jupyter with that environment's Python, for instance
with `python -m pip install jupyterlab` and `jupyter lab {notebook}`. Every
random draw takes a fixed seed: you will see the book's numbers and figures."""


def copy_extension_css(app: Any) -> None:
    """Copy myst-nb's and sphinx-exercise's CSS into ``_static`` when the build
    starts. Both copy it on ``build-finished``, after every page is written, and
    Sphinx adds ``?v=<checksum>`` to a link only when the file is already in the
    output: so a clean build's pages linked them without it and a rebuild's with
    it. Their own copy functions, called earlier."""
    if app.builder.format != "html":
        return
    from myst_nb.sphinx_ext import add_global_html_resources
    from sphinx_exercise import copy_asset_files

    (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    add_global_html_resources(app, None)
    copy_asset_files(app, None)


def use_current_aria_roles(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Give bibliography entries the role ``listitem`` instead of ``doc-biblioentry``.

    Docutils writes a citation list as ``<div role="list">`` whose entries have
    ``role="doc-biblioentry"``, a role DPUB-ARIA 1.1 deprecated in favour of
    ``listitem``; a list without list items is a critical axe-core violation
    (aria-required-children) for screen readers. Inside the body, an attribute
    can only come from the writer: quoted text in code is escaped.
    """
    body = context.get("body")
    if isinstance(body, str) and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


# --- figures in two renditions (nnbook.book.plotting.show_wide_and_narrow) ---------


class responsive_image(nodes.General, nodes.Element):
    """A figure's PNG in two renditions: in HTML a ``<picture>`` holding a
    ``<source>`` for the narrow one (first child) and the ``<img>`` of the wide
    one (second child), which carries the alt text and is what print shows."""


class narrow_rendition(nodes.image):
    """The narrow rendition's PNG. An image node, so that Sphinx copies it to
    ``_images`` as any other; written as the picture's ``<source>``."""


def with_narrow_rendition(render_image: Any) -> Any:
    """myst-nb's ``render_image``, which makes an image/png output an image node,
    extended: an output whose metadata holds a narrow rendition (``{"nnbook":
    {"narrow": {"image/png": ..., "media": ...}}}``) becomes a
    :class:`responsive_image` of the two, the narrow PNG written beside the
    wide one (named by its hash, as myst-nb names it)."""

    def render(self: Any, data: Any) -> list[Any]:
        rendered = render_image(self, data)
        narrow = data.output_metadata.get("nnbook", {}).get("narrow", {})
        if data.mime_type != "image/png" or "image/png" not in narrow:
            return rendered
        if len(rendered) != 1 or not isinstance(rendered[0], nodes.image):
            return rendered
        wide = rendered[0]
        png = a2b_base64(narrow["image/png"])
        name = f"{hashlib.sha256(png).hexdigest()}.png"
        uri = self.write_file([name], png, overwrite=False, exists_ok=True)
        source = narrow_rendition(uri=uri, alt=wide.get("alt", ""), media=narrow["media"])
        return [responsive_image("", source, wide)]

    render.nnbook_narrow = True  # type: ignore[attr-defined]
    return render


def visit_responsive_image(self: Any, node: responsive_image) -> None:
    self.body.append('<picture class="nnbook-responsive">')


def depart_responsive_image(self: Any, node: responsive_image) -> None:
    self.body.append("</picture>")


def visit_narrow_rendition(self: Any, node: narrow_rendition) -> None:
    """The ``<source>``, its address made as Sphinx's own visit_image makes an
    image's (the file under ``_images``)."""
    uri = node["uri"]
    if uri in self.builder.images:
        uri = posixpath.join(self.builder.imgpath, urllib.parse.quote(self.builder.images[uri]))
    media = html.escape(node["media"], quote=True)
    self.body.append(f'<source media="{media}" srcset="{html.escape(uri, quote=True)}" '
                     'type="image/png">')  # fmt: skip
    raise nodes.SkipNode


def setup_hooks(app: Any, root: Path) -> None:
    """Connect the project's build hooks."""
    # The repository's public address, or "" (conf.py sets it).
    app.add_config_value("nnbook_repository_url", "", "html", str)
    # myst-nb renders every code cell's outputs through this name
    # (nb_merge_streams = True): see merge_streams for why it is replaced.
    import myst_nb.core.render
    import search_index

    myst_nb.core.render.coalesce_streams = merge_streams
    renderer = myst_nb.core.render.NbElementRenderer
    if not getattr(renderer.render_image, "nnbook_narrow", False):
        renderer.render_image = with_narrow_rendition(renderer.render_image)
    app.add_node(responsive_image, html=(visit_responsive_image, depart_responsive_image))
    app.add_node(narrow_rendition, html=(visit_narrow_rendition, None))
    search_index.setup(app)
    app.connect("builder-inited", copy_extension_css)
    app.connect("builder-inited", prune_execution_caches)
    # Before sphinx-book-theme builds its header buttons (priority 500).
    app.connect("html-page-context", add_notebook_download, priority=400)
    app.connect("html-page-context", use_current_aria_roles)
