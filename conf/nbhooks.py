"""Build hooks: the engine fingerprint, downloadable notebooks,
stream outputs merged without loss, current ARIA roles."""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path
from typing import Any


def engine_fingerprint(package: Path) -> str:
    """A short hash of every source file of the engine (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_notebook(text: str) -> bool:
    """Whether a page's source is an executed chapter (front matter with a kernelspec)."""
    return text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]


def read_chapter(text: str, path: Path, aliases: dict[str, str]) -> Any:
    """The chapter as myst-nb reads it, its kernel name aliased as myst-nb does
    (``nb_kernel_rgx_aliases``), so that its jupyter-cache key is myst-nb's."""
    from myst_nb.core.read import read_myst_markdown_notebook

    nb = read_myst_markdown_notebook(text, path=path)
    spec = nb.metadata.get("kernelspec", {})
    if spec.get("name") is not None:
        spec["name"] = kernel_alias(spec["name"], aliases)
    return nb


def kernel_alias(name: str, aliases: dict[str, str]) -> str:
    """The kernel that runs a notebook whose kernelspec names ``name``: the first
    alias whose pattern matches all of it, as myst-nb resolves ``nb_kernel_rgx_aliases``."""
    for pattern, alias in aliases.items():
        if re.fullmatch(pattern, name):
            return alias
    return name


def chapter_kernel(text: str, aliases: dict[str, str]) -> str | None:
    """The kernel an executed chapter runs in, from its front matter alone (much
    cheaper than :func:`read_chapter`); None if the front matter names none."""
    import yaml

    front = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---")) or {}
    name = (front.get("kernelspec") or {}).get("name")
    return None if name is None else kernel_alias(str(name), aliases)


_CARRIAGE_RETURN = re.compile(r".*\r(?=[^\n])")
_BACKSPACE = re.compile(r"[^\n]\x08")  # a character, then a backspace


def merge_streams(outputs: list[Any]) -> list[Any]:
    """All stdout of a cell in one output, all stderr in another, each placed
    where its stream first appears; the text is the exact concatenation.

    The kernel cuts a stream into messages by time (it flushes every 0.2 s), so
    one run may send ``"x = 1"`` and ``"\\n"`` where another sends ``"x = 1\\n"``.
    myst-nb's own merge (``nb_merge_streams``) strips the end of every piece
    before joining them, so where the cuts fall changes the page: trailing
    spaces vanish, blank lines appear. Joining the pieces as they are, as
    Jupyter does, gives the same text whatever the cuts. Carriage returns and
    backspaces are applied, and stdout comes before an adjacent stderr, as in
    myst-nb. The outputs given are not modified.
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


def executed_notebook(nb: Any, cache_path: str) -> Any:
    """The chapter ``nb`` (from :func:`read_chapter`) with the outputs of its
    cached execution when the cache holds them, stripped of timing metadata so
    two builds write the same bytes."""
    from jupyter_cache import get_cache

    try:
        _, nb = get_cache(cache_path).merge_match_into_notebook(nb)
    except KeyError:  # not executed yet (or not cached): the reader runs it
        pass
    nb.metadata.pop("execution", None)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if "id" in cell:  # nbformat draws random ids; the cell's place is id enough
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
    """Write ``_sources/<page>.ipynb`` for every chapter and offer it in the
    theme's download menu (sphinx-book-theme reads ``ipynb_source``)."""
    if doctree is None:
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md":
        return
    text = source.read_text(encoding="utf-8")
    if not is_notebook(text):
        return
    import nbformat

    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nb = read_chapter(text, source, app.config.nb_kernel_rgx_aliases)
    nbformat.write(executed_notebook(nb, app.config.nb_execution_cache_path), target)
    context["ipynb_source"] = f"{pagename}.ipynb"


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


def setup_hooks(app: Any, root: Path) -> None:
    """Connect the project's build hooks."""
    # myst-nb renders every code cell's outputs through this name
    # (nb_merge_streams = True): see merge_streams for why it is replaced.
    import myst_nb.core.render
    import speedups

    myst_nb.core.render.coalesce_streams = merge_streams
    speedups.install()
    # Before sphinx-book-theme builds its header buttons (priority 500).
    app.connect("html-page-context", add_notebook_download, priority=400)
    app.connect("html-page-context", use_current_aria_roles)
