"""The build's own failure modes and its cache, on a small fixture book built
with the project's real configuration (conf/build_one.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEADER = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the parts of the project a build reads (engine, conf, static files)."""
    for part in ("conf", "nnbook", "docs/_static"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "docs" / "references.bib", tmp_path / "docs" / "references.bib")
    (tmp_path / "pages").mkdir()
    return tmp_path


def page(project: Path, name: str, body: str) -> Path:
    path = project / "pages" / f"{name}.md"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def build(
    project: Path, *pages: Path, jobs: int = 1, options: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(project / "conf" / "build_one.py"), *map(str, pages)]
    cmd += ["--out", str(project / "out"), "-j", str(jobs), *options]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)


def counting_cell(project: Path, tag: str) -> str:
    """A cell that appends to a file each time it really executes."""
    log = project / "executions.log"
    return f"```{{code-cell}} ipython3\nopen({str(log)!r}, 'a').write('{tag}\\n')\n```\n"


def executions(project: Path) -> list[str]:
    log = project / "executions.log"
    return log.read_text().split() if log.exists() else []


def test_a_cell_that_raises_fails_the_build_and_names_file_and_cell(project):
    bad = page(
        project,
        "broken",
        "# Broken\n\n```{code-cell} ipython3\nx = 1\n```\n\n"
        "```{code-cell} ipython3\nraise ValueError('boom from the fixture')\n```\n",
    )
    result = build(project, bad)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "broken" in out and "boom from the fixture" in out
    assert "raise ValueError" in out  # the failing cell's source is shown


def test_a_reference_to_a_missing_label_fails_the_build(project):
    bad = page(project, "badref", "# Bad reference\n\nSee {numref}`fig-that-does-not-exist`.\n")
    result = build(project, bad)
    assert result.returncode != 0
    assert "fig-that-does-not-exist" in result.stdout + result.stderr


def test_a_missing_citation_fails_the_build(project):
    bad = page(
        project,
        "badcite",
        "# Bad citation\n\nAs {footcite:t}`nobody2099` showed.\n\n```{footbibliography}\n```\n",
    )
    result = build(project, bad)
    assert result.returncode != 0
    assert "nobody2099" in result.stdout + result.stderr


def test_the_cache_reruns_only_what_changed_and_sees_the_engine(project):
    first = page(project, "first", "# First\n\n" + counting_cell(project, "first"))
    second = page(project, "second", "# Second\n\n" + counting_cell(project, "second"))
    assert build(project, first, second).returncode == 0
    assert sorted(executions(project)) == ["first", "second"]

    assert build(project, first, second).returncode == 0  # nothing changed
    assert sorted(executions(project)) == ["first", "second"]

    # A prose edit re-renders the page but, its code being the same, runs nothing.
    page(project, "second", "# Second, edited\n\n" + counting_cell(project, "second"))
    assert build(project, first, second).returncode == 0
    assert sorted(executions(project)) == ["first", "second"]

    edited_code = counting_cell(project, "second").replace("\n```\n", "\nx = 1\n```\n")
    page(project, "second", "# Second\n\n" + edited_code)
    assert build(project, first, second).returncode == 0  # one chapter's code changed
    assert sorted(executions(project)) == ["first", "second", "second"]

    engine_file = project / "nnbook" / "_util.py"
    engine_file.write_text(engine_file.read_text() + "\n# an edit to the engine\n")
    assert build(project, first, second).returncode == 0  # the engine changed
    assert sorted(executions(project)) == ["first", "first", "second", "second", "second"]


def test_the_built_chapter_offers_its_notebook_with_outputs(project):
    import json

    chapter = page(project, "chapter", "# Chapter\n\n```{code-cell} ipython3\nprint(6 * 7)\n```\n")
    assert build(project, chapter).returncode == 0
    html = (project / "out" / "html" / "chapter.html").read_text()
    assert 'href="_sources/chapter.ipynb"' in html
    nb = json.loads((project / "out" / "html" / "_sources" / "chapter.ipynb").read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "".join(code[0]["outputs"][0]["text"]) == "42\n"


def timed_cell(project: Path, tag: str, seconds: float) -> str:
    """A cell that logs when it starts and ends, sleeping in between."""
    log = project / "intervals.log"
    return (
        "```{code-cell} ipython3\nimport time\nstart = time.time()\n"
        f"time.sleep({seconds})\n"
        f"open({str(log)!r}, 'a').write(f'{tag} {{start}} {{time.time()}}\\n')\n```\n"
    )


def test_with_two_jobs_uncached_chapters_execute_side_by_side_before_reading(project):
    pages = [page(project, n, f"# {n}\n\n" + timed_cell(project, n, 3.0)) for n in ("a", "b")]
    result = build(project, *pages, jobs=2)
    assert result.returncode == 0, result.stdout + result.stderr
    log = (project / "intervals.log").read_text().split("\n")
    (tag_a, start_a, end_a), (tag_b, start_b, end_b) = (line.split() for line in log if line)
    assert {tag_a, tag_b} == {"a", "b"}
    # Each slept 3 s; run one after the other they could not overlap.
    assert float(start_b) < float(end_a) and float(start_a) < float(end_b)

    # What was executed ahead is what myst-nb reads: nothing runs again.
    again = build(project, *pages, jobs=2)
    assert again.returncode == 0
    assert len((project / "intervals.log").read_text().split()) == 6


def test_with_two_jobs_a_failing_cell_is_still_reported_with_its_source(project):
    good = page(project, "good", "# Good\n\n" + counting_cell(project, "good"))
    bad = page(
        project,
        "broken",
        "# Broken\n\n```{code-cell} ipython3\nraise ValueError('boom, run ahead')\n```\n",
    )
    result = build(project, good, bad, jobs=2)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "broken" in out and "boom, run ahead" in out and "raise ValueError" in out
    assert executions(project) == ["good"]  # the good chapter ran once, and was cached


def ancestry_cell(project: Path) -> str:
    """A cell that records its working folder and the command lines of its kernel's
    parent and grandparent (the process that drives the kernel, and its parent)."""
    log = project / "ancestry.log"
    return (
        "```{code-cell} ipython3\n"
        "import os\n"
        "def parent(pid):\n"
        "    return int(open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()[1])\n"
        "driver = parent(os.getpid())\n"
        f"with open({str(log)!r}, 'a') as f:\n"
        "    f.write(os.getcwd() + '\\n')\n"
        "    for pid in (driver, parent(driver)):\n"
        "        f.write(open(f'/proc/{pid}/cmdline').read().replace('\\0', ' ') + '\\n')\n"
        "```\n"
    )


def test_with_two_jobs_the_chapters_run_in_the_helper_started_with_sphinx(project):
    """conf/prexecute.py's helper process, started before Sphinx loads its extensions,
    executes and caches the chapter, in a kernel it started before it knew the
    chapter would run (the cache is new); the build then has nothing left to run."""
    body = "# Good\n\n" + counting_cell(project, "good") + "\n" + ancestry_cell(project)
    good = page(project, "good", body)
    result = build(project, good, jobs=2, options=("--progress",))
    assert result.returncode == 0, result.stdout + result.stderr
    assert executions(project) == ["good"]
    cwd, driver, owner = (project / "ancestry.log").read_text().splitlines()
    assert "prexecute.py" in driver and "sphinx_build.py" in owner
    assert Path(cwd) == project / "out" / "src"  # the chapter's folder, as myst-nb runs it
    assert "good.md: Executed notebook in" in result.stdout
    assert "(kernel started ahead)" in result.stdout


def test_a_chapter_the_helper_wrongly_guesses_cached_is_run_by_the_build(project):
    """The helper guesses from the code it last found cached (a record in the cache
    folder); when the cache lost the chapter behind its back, the build runs it."""
    body = "# Good\n\n" + counting_cell(project, "good") + "\n" + ancestry_cell(project)
    good = page(project, "good", body)
    assert build(project, good, jobs=2).returncode == 0
    (record,) = (project / "out" / ".jupyter_cache").glob("*/nnbook-checked.json")
    (record.parent / "global.db").unlink()  # the cache forgets every chapter, the record stays
    result = build(project, good, jobs=2, options=("--progress",))
    assert result.returncode == 0, result.stdout + result.stderr
    assert executions(project) == ["good", "good"]
    drivers = (project / "ancestry.log").read_text().splitlines()[1::3]
    assert "prexecute.py" in drivers[0] and "sphinx_build.py" in drivers[1]
    assert "executing 1 uncached chapter(s)" in result.stdout
    assert build(project, good, jobs=2).returncode == 0  # and it is cached again
    assert executions(project) == ["good", "good"]


def test_a_cache_path_the_helper_cannot_see_is_still_filled_by_the_build(project):
    """The helper reads conf.py, not the command line: with the cache moved by -D, the
    build finds the chapter uncached after the helper and executes it itself."""
    body = "# Good\n\n" + counting_cell(project, "good") + "\n" + ancestry_cell(project)
    good = page(project, "good", body)
    option = ("-D", f"nb_execution_cache_path={project / 'other-cache'}")
    result = build(project, good, jobs=2, options=option)
    assert result.returncode == 0, result.stdout + result.stderr
    assert executions(project) == ["good", "good"]  # into conf.py's cache, then into -D's
    drivers = (project / "ancestry.log").read_text().splitlines()[1::3]
    assert "prexecute.py" in drivers[0] and "sphinx_build.py" in drivers[1]
    again = build(project, good, jobs=2, options=option)
    assert again.returncode == 0
    assert executions(project) == ["good", "good"]
