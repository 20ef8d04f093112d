"""Execute the chapters the cache lacks, in a balanced pool, while Sphinx starts.

With ``-j 2`` Sphinx hands the documents to its workers in alphabetical
chunks, so four of the five chapters can land in one worker and execute one
after another while the other worker idles. Here every chapter whose code has
no cached execution runs ahead, as many at a time as Sphinx has jobs, the
largest first (longest-processing-time scheduling). The results go into the
same jupyter-cache that myst-nb reads, under the same key (the code cells and
the kernelspec), so Sphinx then finds every chapter cached.

The pool starts as early as an extension can: this one comes first in
``extensions``, and its ``setup`` launches this file as a helper process,
which reads ``conf.py`` itself, finds the chapters the cache lacks and starts
each as soon as it is found, while Sphinx imports the other extensions and
loads its environment (about 1.7 s). On ``env-before-read-docs``, if a chapter
is about to be read, the build waits for the helper (so that one process at a
time opens the cache), then executes whatever such chapter is still uncached
(say a ``-D`` option moved the cache), so the helper only ever saves time; a
no-op rebuild does not wait.

A chapter whose cell raises stops the build there, with the file, the cell's
source and the traceback; the chapters that ran cleanly are cached first. (Were
it left to myst-nb, a parallel worker's failure would surface as a bare
``SphinxParallelError`` naming only the file.)
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from nbhooks import is_notebook, read_chapter
from sphinx.errors import SphinxError
from sphinx.util import logging

logger = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Run:
    """One chapter's execution: its file, how long it took and, if a cell raised,
    the cell's source and traceback."""

    path: str
    seconds: float
    error: str | None


def _execute(path: Path, nb: Any, timeout: int) -> tuple[Path, Any, float, str | None]:
    """Run one notebook in its own kernel (in a pool worker): (path, nb, seconds, error)."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(
        nb, cwd=str(path.parent), timeout=timeout, allow_errors=False, meta_override=True
    )
    # The cell's source and its traceback (nbclient's own stack left out), without colours.
    error = None if result.err is None else _ANSI.sub("", str(result.err))
    return path, nb, result.time, error


def read_notebooks(paths: Iterable[Path], aliases: dict[str, str]) -> Iterator[tuple[Path, Any]]:
    """The executed chapters among ``paths``, in their order, as myst-nb reads them."""
    for path in paths:
        text = path.read_text(encoding="utf-8") if path.suffix == ".md" else ""
        if is_notebook(text):
            yield path, read_chapter(text, path, aliases)


def is_cached(nb: Any, cache: Any) -> bool:
    """Whether ``cache`` holds a run of ``nb``'s code."""
    try:
        cache.match_cache_notebook(nb)
    except KeyError:
        return False
    return True


def largest_first(paths: Iterable[Path]) -> list[Path]:
    """Longest-processing-time order: the chapter that runs longest starts first."""
    return sorted(paths, key=lambda path: path.stat().st_size, reverse=True)


def execute_into_cache(
    todo: Iterable[tuple[Path, Any]], cache: Any, jobs: int, timeout: int
) -> list[Run]:
    """Execute ``todo`` in a pool of ``jobs`` processes, each chapter submitted as
    ``todo`` yields it, and cache every chapter that ran without error."""
    from jupyter_cache.base import CacheBundleIn

    runs = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_execute, path, nb, timeout) for path, nb in todo]
        for future in futures:
            path, nb, seconds, error = future.result()
            if error is None:
                cache.cache_notebook_bundle(
                    CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                    check_validity=False,
                    overwrite=True,
                )
            runs.append(Run(str(path), seconds, error))
    return runs


# --------------------------------------------------------------- the helper process


def helper_main(srcdir: Path, confdir: Path, jobs: int, report: Path) -> None:
    """Run, into the cache, the chapters of ``srcdir`` that it lacks, with the
    settings of ``confdir/conf.py``; the runs go to ``report`` as JSON."""
    from jupyter_cache import get_cache
    from sphinx.config import eval_config_file
    from sphinx.project import Project
    from sphinx.util.tags import Tags

    conf = eval_config_file(confdir / "conf.py", Tags())
    if conf.get("nb_execution_mode") != "cache" or conf.get("nb_execution_excludepatterns"):
        return
    project = Project(srcdir, [".md"])
    docnames = project.discover(
        conf.get("exclude_patterns", []), conf.get("include_patterns", ["**"])
    )
    paths = largest_first(Path(project.doc2path(name, absolute=True)) for name in docnames)
    cache = get_cache(conf["nb_execution_cache_path"])
    notebooks = read_notebooks(paths, conf.get("nb_kernel_rgx_aliases", {}))
    # A generator: each uncached chapter starts as soon as it is found.
    todo = ((path, nb) for path, nb in notebooks if not is_cached(nb, cache))
    runs = execute_into_cache(todo, cache, jobs, conf.get("nb_execution_timeout", 30))
    report.write_text(json.dumps([asdict(run) for run in runs]), encoding="utf-8")


@dataclass
class Helper:
    """The helper process of one build (in a process group of its own, with its
    pool and kernels), and the file it reports to."""

    process: subprocess.Popen[bytes]
    report: Path

    def runs(self) -> dict[str, Run]:
        """Wait for the helper; its runs by file (none if it failed: the build reruns them)."""
        self.process.wait()
        text = self.report.read_text(encoding="utf-8") if self.report.exists() else ""
        if self.process.returncode or not text:
            return {}
        return {run["path"]: Run(**run) for run in json.loads(text)}

    def stop(self) -> None:
        """At exit. A helper still running is running only chapters that this build
        does not read (the cache was emptied by hand, say): it is stopped."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it may end meanwhile
                os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait()
        self.report.unlink(missing_ok=True)


def start_helper(app: Any) -> Helper | None:
    """Launch :func:`helper_main` for this build, or nothing for a one-process build."""
    if app.parallel <= 1:
        return None  # one process: myst-nb's own one-by-one execution is the same
    fd, report = tempfile.mkstemp(prefix="nnbook-prexecute-", suffix=".json")
    os.close(fd)
    args = [str(app.srcdir), str(app.confdir), str(app.parallel), report]
    process = subprocess.Popen([sys.executable, __file__, *args], start_new_session=True)
    helper = Helper(process, Path(report))
    atexit.register(helper.stop)
    return helper


# ---------------------------------------------------------------- the Sphinx side


class NotebookExecutionError(SphinxError):
    category = "Notebook execution failed"


def _log(runs: list[Run]) -> None:
    for run in runs:
        if run.error is None:
            logger.info(f"[nnbook] {run.path}: Executed notebook in {run.seconds:.2f} seconds")


def execute_uncached(helper: Helper | None, app: Any, env: Any, docnames: list[str]) -> None:
    """env-before-read-docs hook: if a chapter is about to be read, wait for the
    helper, then execute and cache whatever such chapter is still uncached."""
    if app.parallel <= 1 or app.config.nb_execution_mode != "cache":
        return
    if not docnames or app.config.nb_execution_excludepatterns:
        return
    paths = largest_first(Path(env.doc2path(docname)) for docname in docnames)
    notebooks = list(read_notebooks(paths, app.config.nb_kernel_rgx_aliases))
    if not notebooks:
        return  # a no-op rebuild, or one of other pages, does not wait for the helper
    # Waited for before the cache is opened here or by myst-nb: two processes creating
    # a new cache's database at once collide ("table nbproject already exists").
    ahead = helper.runs() if helper is not None else {}
    _log(list(ahead.values()))
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    # What the helper ran is cached now, unless a cell raised (or the helper used
    # another cache: a -D option it did not see).
    todo = [(path, nb) for path, nb in notebooks if not is_cached(nb, cache)]
    failed = [ahead[str(path)] for path, _ in todo if str(path) in ahead]
    failed = [run for run in failed if run.error is not None]
    failed_paths = {run.path for run in failed}
    todo = [(path, nb) for path, nb in todo if str(path) not in failed_paths]
    if todo:
        logger.info(f"[nnbook] executing {len(todo)} uncached chapter(s)")
        runs = execute_into_cache(todo, cache, app.parallel, app.config.nb_execution_timeout)
        _log(runs)
        failed += runs
    failures = [f"{run.path}:\n{run.error}" for run in failed if run.error is not None]
    if failures:
        raise NotebookExecutionError("\n\n".join(failures))


def setup(app: Any) -> dict[str, Any]:
    """Listed first in ``extensions``: the helper starts before the other
    extensions are imported."""
    helper = start_helper(app)
    app.connect("env-before-read-docs", partial(execute_uncached, helper))
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    helper_main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
