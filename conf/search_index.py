"""Keep the search index's index entries across rebuilds (sphinx-doc/sphinx#12599).

Sphinx 9.0 keeps each page's index entries (every API object and glossary term:
the ``indexentries`` of ``searchindex.js``) in ``env._search_index_index_entries``
and fills it while it writes the pages. But it pickles the environment before
the pages are written, and ``IndexBuilder.load``, which reads back the previous
``searchindex.js``, does not read ``indexentries``: so a rebuild indexes only the
pages it writes again, and a rebuild with nothing to write has none at all. Here
the entries are saved when a build has finished and given back to the
environment after reading, in document order (as a clean build feeds them); the
pages written again replace theirs. tests/test_book_build.py shows the loss on
stock Sphinx: once that test fails, Sphinx keeps them itself and this can go.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

SAVED = "nnbook-search-index-entries.pickle"  # in the doctrees folder, beside Sphinx's pickles


def _saved(app: Any) -> Path:
    return Path(app.doctreedir) / SAVED


def note_read(app: Any, env: Any, docnames: list[str]) -> None:
    """env-before-read-docs: the pages read again, whose saved entries are stale."""
    app._nnbook_pages_read = set(docnames)


def restore(app: Any, env: Any) -> None:
    """env-updated: every page's saved entries, in document order; none for a page
    read again (its entries come when it is written)."""
    try:
        saved = pickle.loads(_saved(app).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError):
        saved = {}
    read = getattr(app, "_nnbook_pages_read", set())
    entries = env._search_index_index_entries
    entries.clear()
    for docname in sorted(env.all_docs):
        entries[docname] = [] if docname in read else saved.get(docname, [])


def save(app: Any, exception: Exception | None) -> None:
    """build-finished: the entries the search index was written from."""
    if exception is None and app.builder.format == "html" and app.builder.search:
        entries = app.env._search_index_index_entries
        _saved(app).write_bytes(pickle.dumps(dict(entries), pickle.HIGHEST_PROTOCOL))


def setup(app: Any) -> None:
    app.connect("env-before-read-docs", note_read)
    app.connect("env-updated", restore)
    app.connect("build-finished", save)
