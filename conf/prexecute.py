"""Execute the chapters the cache lacks, in a balanced pool, while Sphinx starts.

With ``-j 2`` Sphinx hands the documents to its workers in alphabetical
chunks, so four of the five chapters can land in one worker and execute one
after another while the other worker idles. Here every chapter whose code has
no cached execution runs ahead, as many at a time as Sphinx has jobs, the
largest first (longest-processing-time scheduling). The results go into the
same jupyter-cache that myst-nb reads, under the same key (the code cells and
the kernelspec), so Sphinx then finds every chapter cached.

The pool starts early: ``conf/sphinx_build.py`` (what ``make`` runs) launches
this file as a helper process before Sphinx loads its extensions, and this
extension, first in ``extensions``, takes it on (or launches it, for another
command line). The helper reads ``conf.py`` itself, finds the chapters the
cache lacks and starts each as soon as it is found, while Sphinx loads its
extensions and its environment (about 1.7 s). Finding them means importing
jupyter-cache and hashing the chapters (about 1 s), so the helper first
guesses which chapters will run: those whose code cells' text changed since
it last found them cached. It starts a kernel for each, up to the number of
jobs, and checks those chapters first; if it guesses that none will run, it
stops there.

On ``env-before-read-docs``, if a chapter is about to be read, the build waits
for the helper (so that one process at a time opens the cache), then executes
whatever such chapter is still uncached: one the helper guessed would not run,
or one whose cache a ``-D`` option moved. So a wrong guess costs time, never a
result, and a no-op rebuild does not wait.

A chapter whose cell raises stops the build there, with the file, the cell's
source and the traceback; the chapters that ran cleanly are cached first. (Were
it left to myst-nb, a parallel worker's failure would surface as a bare
``SphinxParallelError`` naming only the file.)
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from nbhooks import chapter_kernel, is_notebook, read_chapter
from sphinx.errors import SphinxError
from sphinx.util import logging

logger = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Run:
    """One chapter's execution: its file, how long it took, whether its kernel was
    started ahead and, if a cell raised, the cell's source and traceback."""

    path: str
    seconds: float
    error: str | None
    kernel_ahead: bool = False


# The argument nbclient adds when it starts an IPython kernel itself (its default
# ``ipython_hist_file``): a kernel started ahead must be the kernel it would start.
_KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:"]


class KernelsAhead:
    """Kernels started before it is known which chapters will run, each for a
    kernel name and a working folder; a chapter takes one that matches. Shared by
    the pool's threads."""

    def __init__(self, specs: Iterable[tuple[str, str]] = ()) -> None:
        self._free: list[tuple[str, str, Any]] = []
        self._lock = threading.Lock()
        for name, cwd in specs:
            from jupyter_client.manager import AsyncKernelManager
            from nbclient.util import run_sync

            km = AsyncKernelManager(kernel_name=name)
            run_sync(km.start_kernel)(extra_arguments=_KERNEL_ARGS if km.ipykernel else [], cwd=cwd)
            self._free.append((name, cwd, km))

    def __len__(self) -> int:
        return len(self._free)

    def take(self, name: str | None, cwd: str) -> Any:
        """A kernel manager whose kernel runs ``name`` in ``cwd``, or None."""
        with self._lock:
            for i, (free_name, free_cwd, km) in enumerate(self._free):
                if (free_name, free_cwd) == (name, cwd):
                    del self._free[i]
                    return km
        return None

    def shutdown(self) -> None:
        """Stop the kernels nobody took (the guess was wrong)."""
        from nbclient.util import run_sync

        with self._lock:
            free, self._free = self._free, []
        for _, _, km in free:
            run_sync(km.shutdown_kernel)(now=True)


def _execute(
    path: Path, nb: Any, timeout: int, ahead: KernelsAhead | None
) -> tuple[Path, Any, float, str | None, bool]:
    """Run one notebook (in a pool thread), in a kernel started ahead if one fits,
    else in its own: (path, nb, seconds, error, whether the kernel was ahead)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    cwd = str(path.parent)
    km = None if ahead is None else ahead.take(nb.metadata.get("kernelspec", {}).get("name"), cwd)
    settings = nb.metadata.get("execution", {})  # a notebook's own, as jupyter-cache reads them
    client = NotebookClient(
        nb,
        km=km,
        timeout=settings.get("timeout", timeout),
        allow_errors=settings.get("allow_errors", False),
        record_timing=False,  # no clock times in the cached outputs
        shutdown_kernel="immediate",  # every output has arrived: no need to wait for it
        resources={"metadata": {"path": cwd}},
    )
    start, error = time.perf_counter(), None
    try:
        client.execute(cleanup_kc=True)  # a kernel started ahead is stopped after, too
    except (CellExecutionError, CellTimeoutError) as err:
        # The cell's source and its traceback (nbclient's own stack left out), without colours.
        error = _ANSI.sub("", str(err))
    return path, nb, time.perf_counter() - start, error, km is not None


def chapter_texts(paths: Iterable[Path]) -> dict[Path, str]:
    """The executed chapters among ``paths``, in their order, with their text."""
    texts = {}
    for path in paths:
        text = path.read_text(encoding="utf-8") if path.suffix == ".md" else ""
        if is_notebook(text):
            texts[path] = text
    return texts


def read_notebooks(texts: dict[Path, str], aliases: dict[str, str]) -> Iterator[tuple[Path, Any]]:
    """The chapters of :func:`chapter_texts`, in their order, as myst-nb reads them."""
    for path, text in texts.items():
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
    todo: Iterable[tuple[Path, Any]],
    cache: Any,
    jobs: int,
    timeout: int,
    ahead: KernelsAhead | None = None,
) -> list[Run]:
    """Execute ``todo`` in a pool of ``jobs`` threads (each drives a kernel, which
    does the work), each chapter submitted as ``todo`` yields it, and cache every
    chapter that ran without error."""
    from jupyter_cache.base import CacheBundleIn

    runs = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_execute, path, nb, timeout, ahead) for path, nb in todo]
        for future in futures:
            path, nb, seconds, error, warm = future.result()
            if error is None:
                cache.cache_notebook_bundle(
                    CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                    check_validity=False,
                    overwrite=True,
                )
            runs.append(Run(str(path), seconds, error, warm))
    return runs


# In a cache's folder: the code digest of each chapter the helper last found cached.
CHECKED = "nnbook-checked.json"
# A code cell's fence and what it holds, found without parsing the page.
_CODE_CELL = re.compile(r"^(`{3,})\{code-cell\}.*?^\1", re.MULTILINE | re.DOTALL)


def code_digest(text: str) -> str:
    """A hash of a page's front matter and code cells, as written: what its
    execution depends on, and none of its prose."""
    front = text.split("\n---", 1)[0]
    cells = (m.group(0) for m in _CODE_CELL.finditer(text))
    return hashlib.sha256("\0".join([front, *cells]).encode()).hexdigest()


def likely_to_run(texts: dict[Path, str], cache_path: Path) -> list[Path]:
    """The chapters of ``texts`` whose code changed since the helper last found
    them in ``cache_path``; all of them for a new cache (the engine changed). A
    guess, cheap enough to make before jupyter-cache is even imported: the
    cache's key is the code as myst-nb reads it."""
    try:
        checked = json.loads((cache_path / CHECKED).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        checked = {}
    return [path for path, text in texts.items() if checked.get(str(path)) != code_digest(text)]


def mark_checked(cache_path: Path, texts: dict[Path, str]) -> None:
    """Record the code digests of ``texts``, chapters now in the cache."""
    digests = {str(path): code_digest(text) for path, text in texts.items()}
    (cache_path / CHECKED).write_text(json.dumps(digests, indent=1), encoding="utf-8")


# --------------------------------------------------------------- the helper process


def helper_main(srcdir: Path, confdir: Path, jobs: int, report: Path) -> None:
    """Run, into the cache, the chapters of ``srcdir`` that it lacks, with the
    settings of ``confdir/conf.py``; the runs go to ``report`` as JSON."""
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
    aliases = conf.get("nb_kernel_rgx_aliases", {})
    cache_path = Path(conf["nb_execution_cache_path"])
    texts = chapter_texts(paths)
    likely = likely_to_run(texts, cache_path)
    if not likely:
        # Most likely nothing to run (a prose edit): the build checks the chapters
        # it reads itself, and runs what it finds uncached, as when the guess is wrong.
        report.write_text("[]", encoding="utf-8")
        return
    kernels = ((chapter_kernel(texts[path], aliases), str(path.parent)) for path in likely[:jobs])
    ahead = KernelsAhead((name, cwd) for name, cwd in kernels if name)
    try:
        from jupyter_cache import get_cache  # about 0.7 s, while the kernels start

        cache = get_cache(str(cache_path))
        # The likely chapters first (largest first still), so that each starts as soon
        # as it is found uncached, before the other chapters are parsed and hashed.
        rest = [path for path in texts if path not in likely]
        notebooks = read_notebooks({path: texts[path] for path in likely + rest}, aliases)
        # A generator: each uncached chapter starts as soon as it is found.
        todo = ((path, nb) for path, nb in notebooks if not is_cached(nb, cache))
        runs = execute_into_cache(todo, cache, jobs, conf.get("nb_execution_timeout", 30), ahead)
    finally:
        ahead.shutdown()
    failed = {run.path for run in runs if run.error is not None}
    mark_checked(cache_path, {p: text for p, text in texts.items() if str(p) not in failed})
    report.write_text(json.dumps([asdict(run) for run in runs]), encoding="utf-8")


@dataclass
class Helper:
    """The helper process of one build (in a process group of its own, with its
    pool and kernels), what it was started for, and the file it reports to."""

    process: subprocess.Popen[bytes]
    report: Path
    started_for: tuple[Path, Path, int]  # source folder, conf folder, jobs

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


def start_helper(srcdir: Path, confdir: Path, jobs: int) -> Helper | None:
    """Launch :func:`helper_main` for a build, or nothing for a one-process build."""
    if jobs <= 1:
        return None  # one process: myst-nb's own one-by-one execution is the same
    fd, report = tempfile.mkstemp(prefix="nnbook-prexecute-", suffix=".json")
    os.close(fd)
    srcdir, confdir = Path(srcdir).resolve(), Path(confdir).resolve()
    args = [str(srcdir), str(confdir), str(jobs), report]
    process = subprocess.Popen([sys.executable, __file__, *args], start_new_session=True)
    helper = Helper(process, Path(report), (srcdir, confdir, jobs))
    atexit.register(helper.stop)
    return helper


# A helper that conf/sphinx_build.py started from the command line, before Sphinx
# loaded its own extensions (about 0.4 s before this extension's setup runs).
early: Helper | None = None


def start_early(argv: list[str]) -> None:
    """Start the helper for the build that ``sphinx-build argv`` will run, as read
    by Sphinx's own parser; nothing if it cannot tell (Sphinx reports bad options)."""
    global early
    from sphinx.cmd.build import get_parser

    early = None

    quiet = io.StringIO()
    try:
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            args = get_parser().parse_args(argv)
    except SystemExit:
        return
    early = start_helper(Path(args.sourcedir), Path(args.confdir or args.sourcedir), args.jobs)


def _helper_for(app: Any) -> Helper | None:
    """The early helper if it was started for this very build; else a new one."""
    helper = early
    wanted = (Path(app.srcdir).resolve(), Path(app.confdir).resolve(), app.parallel)
    if helper is not None and helper.started_for == wanted:
        return helper
    if helper is not None:
        helper.stop()
    return start_helper(*wanted)


# ---------------------------------------------------------------- the Sphinx side


class NotebookExecutionError(SphinxError):
    category = "Notebook execution failed"


def _log(runs: list[Run]) -> None:
    for run in runs:
        if run.error is None:
            ahead = " (kernel started ahead)" if run.kernel_ahead else ""
            logger.info(
                f"[nnbook] {run.path}: Executed notebook in {run.seconds:.2f} seconds{ahead}"
            )


def execute_uncached(helper: Helper | None, app: Any, env: Any, docnames: list[str]) -> None:
    """env-before-read-docs hook: if a chapter is about to be read, wait for the
    helper, then execute and cache whatever such chapter is still uncached."""
    if app.parallel <= 1 or app.config.nb_execution_mode != "cache":
        return
    if not docnames or app.config.nb_execution_excludepatterns:
        return
    paths = largest_first(Path(env.doc2path(docname)) for docname in docnames)
    notebooks = list(read_notebooks(chapter_texts(paths), app.config.nb_kernel_rgx_aliases))
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
    """Listed first in ``extensions``: the helper starts (if conf/sphinx_build.py
    did not start it already) before the other extensions are imported."""
    helper = _helper_for(app)
    app.connect("env-before-read-docs", partial(execute_uncached, helper))
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    helper_main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
