"""Build hooks: the engine fingerprint, MathJax's files, downloadable notebooks."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Any


def engine_fingerprint(package: Path) -> str:
    """A short hash of every source file of the engine (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def mathjax_static_dir() -> str:
    """The folder holding ``mathjax/`` inside the sphinx-mathjax-offline package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("sphinx-mathjax-offline is missing: `make html` installs it")
    return str(Path(spec.origin).parent / "static")


def _is_notebook(text: str) -> bool:
    return text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]


def executed_notebook(source: Path, cache_path: str) -> Any:
    """The chapter as an ``nbformat`` notebook, with the outputs of its cached
    execution when the cache holds them, stripped of timing metadata so two
    builds write the same bytes."""
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook

    nb = read_myst_markdown_notebook(source.read_text(encoding="utf-8"), path=source)
    try:
        _, nb = get_cache(cache_path).merge_match_into_notebook(nb)
    except KeyError:  # not executed yet (or not cached): the reader runs it
        pass
    nb.metadata.pop("execution", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.get("outputs", []):
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
    if not _is_notebook(text):
        return
    import nbformat

    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed_notebook(source, app.config.nb_execution_cache_path), target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup_hooks(app: Any, root: Path) -> None:
    """Connect the project's build hooks."""
    # Before sphinx-book-theme builds its header buttons (priority 500).
    app.connect("html-page-context", add_notebook_download, priority=400)
