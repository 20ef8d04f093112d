"""Execute the chapters the cache lacks, in a balanced pool, before Sphinx reads.

With ``-j 2`` Sphinx hands the documents to its workers in alphabetical
chunks, so four of the five chapters can land in one worker and execute one
after another while the other worker idles. Here every chapter whose code has
no cached execution runs first, as many at a time as Sphinx has jobs, the
largest first (longest-processing-time scheduling). The results go into the
same jupyter-cache that myst-nb reads, under the same key (the code cells and
the kernelspec), so Sphinx then finds every chapter cached.

A chapter whose cell raises stops the build here, with the file, the cell's
source and the traceback; the chapters that ran cleanly are cached first. (Were
it left to myst-nb, a parallel worker's failure would surface as a bare
``SphinxParallelError`` naming only the file.)
"""

from __future__ import annotations

import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from nbhooks import is_notebook, read_chapter
from sphinx.errors import SphinxError
from sphinx.util import logging

logger = logging.getLogger(__name__)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class NotebookExecutionError(SphinxError):
    category = "Notebook execution failed"


def _execute(path: Path, nb: Any, timeout: int) -> tuple[Path, Any, float, str | None]:
    """Run one notebook in its own kernel (in a pool worker): (path, nb, seconds, error)."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(
        nb, cwd=str(path.parent), timeout=timeout, allow_errors=False, meta_override=True
    )
    # The cell's source and its traceback (nbclient's own stack left out), without colours.
    error = None if result.err is None else _ANSI.sub("", str(result.err))
    return path, nb, result.time, error


def uncached_notebooks(app: Any, cache: Any, docnames: list[str]) -> list[tuple[Path, Any]]:
    """The notebooks among ``docnames`` whose code ``cache`` holds no run of."""
    out = []
    for docname in sorted(docnames):
        path = Path(app.env.doc2path(docname))
        text = path.read_text(encoding="utf-8") if path.suffix == ".md" else ""
        if not is_notebook(text):
            continue
        nb = read_chapter(text, path, app.config.nb_kernel_rgx_aliases)
        try:
            cache.match_cache_notebook(nb)
        except KeyError:
            out.append((path, nb))
    return out


def execute_uncached(app: Any, env: Any, docnames: list[str]) -> None:
    """env-before-read-docs hook: execute and cache, ahead of time, the chapters
    about to be read that myst-nb would otherwise execute one by one."""
    if app.parallel <= 1 or app.config.nb_execution_mode != "cache":
        return  # one process: myst-nb's own one-by-one execution is the same
    if not docnames or app.config.nb_execution_excludepatterns:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(app.config.nb_execution_cache_path)
    todo = uncached_notebooks(app, cache, docnames)
    if not todo:
        return
    jobs = min(app.parallel, len(todo))
    todo.sort(key=lambda item: item[0].stat().st_size, reverse=True)
    logger.info(f"[nnbook] executing {len(todo)} uncached chapter(s), {jobs} at a time")
    timeout = app.config.nb_execution_timeout
    failures = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_execute, path, nb, timeout) for path, nb in todo]
        for future in futures:
            path, nb, seconds, error = future.result()
            if error is not None:
                failures.append(f"{path}:\n{error}")
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            logger.info(f"[nnbook] {path}: Executed notebook in {seconds:.2f} seconds")
    if failures:
        raise NotebookExecutionError("\n\n".join(failures))
