"""Two lookups that Sphinx and pybtex repeat for every reference, done once.

Measured on this book (cProfile of a serial build from a full execution cache):

- every ``{numref}`` makes Sphinx unpickle the whole doctree of the page it
  points to (about 70 ms for a chapter) only to find the figure's node: 60
  references cost 4.4 s, in the main process, which resolves references for
  all pages one after another even with ``-j 2``;
- every ``{footcite}`` makes sphinxcontrib-bibtex build a pybtex style, and
  each style looks up four plugins through ``importlib.metadata`` entry
  points, which scans every installed distribution: 68 citations cost 4.3 s.

Both results depend only on their arguments for the length of one build
(a doctree is not rewritten after the read phase; the installed plugins do not
change), so each is remembered. What the pages contain is unchanged: the
byte-for-byte comparison of two builds (``make check``) covers this.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any


def _remember_numref_targets() -> None:
    from sphinx.domains.std import StandardDomain

    resolve = StandardDomain._resolve_numref_xref
    if getattr(resolve, "_nnbook_cached", False):
        return
    # One store per build environment, gone with it.
    stores: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()

    @functools.wraps(resolve)
    def resolve_numref(self: Any, env: Any, *args: Any, **kwargs: Any) -> Any:
        read = env.get_doctree
        doctrees = stores.setdefault(env, {})

        def get_doctree(docname: str) -> Any:  # read only: the node is looked up, never changed
            if docname not in doctrees:
                doctrees[docname] = read(docname)
            return doctrees[docname]

        env.get_doctree = get_doctree
        try:
            return resolve(self, env, *args, **kwargs)
        finally:
            del env.get_doctree  # back to the class's method

    resolve_numref._nnbook_cached = True  # type: ignore[attr-defined]
    StandardDomain._resolve_numref_xref = resolve_numref  # type: ignore[method-assign]


def _remember_pybtex_plugins() -> None:
    import pybtex.plugin

    if not hasattr(pybtex.plugin._load_entry_point, "cache_info"):
        pybtex.plugin._load_entry_point = functools.cache(pybtex.plugin._load_entry_point)


def install() -> None:
    """Apply both (idempotent)."""
    _remember_numref_targets()
    _remember_pybtex_plugins()
