"""How long the book takes to build and rebuild, and ``make test``.

Everything runs in a copy of the working tree in a temporary folder (its own
``_build`` and jupyter cache; ``.venv`` is a link to this checkout's, and
``make`` is told not to reinstall it), so the checkout and its ``_build`` are
never touched. In that copy, each case is ``make html`` (the real command,
``-j 2``), timed on the wall clock:

1. clean: no ``_build``, so an empty jupyter cache;
2. no-op: again, nothing changed (three runs, the median reported);
3. one chapter edited: a statement added at the top of one code cell of one
   chapter, for each chapter in turn (the worst is what the target is about);
   three runs, each with a new statement, so each executes the chapter again,
   and the median reported;
4. engine edited: a comment appended to ``nnbook/autograd.py``, which changes
   the engine's fingerprint and so, by design, re-runs every chapter.

Executed chapters are counted from the "Execution Successful" lines of
jupyter-cache's executor (``make html`` runs it before Sphinx) and the
"Executed notebook" lines of myst-nb. Each case reports its wall time and the
CPU time of ``make`` and everything it ran (user + system): on a loaded machine
the wall time grows with the load, the CPU time much less.

Then ``make test`` (ruff, mypy, pytest with coverage, the book with warnings
as errors, and the browser tests where Chromium is installed) runs once in the
same copy, after the cases above, so its html step starts from a warm cache,
as on a developer's machine.

Run ``make bench``, or on its own::

    .venv/bin/python tests/benchmarks/bench_build.py --json /tmp/build.json

``--tree`` times another checkout (say, a clone of the branch's base) the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # the tree timed (--tree changes it)
IGNORED = (".git", ".venv", "_build", "__pycache__", ".*_cache", ".hypothesis", "*.egg-info")
# The lines of jupyter-cache's executor and of myst-nb (and "[nnbook] "-prefixed ones:
# the helper of earlier trees, conf/prexecute.py).
EXECUTING = re.compile(
    r"^(?:\[nnbook\] )?(?P<doc>\S+?): Executed notebook in|Execution Successful: (?P<uri>\S+)",
    re.M,
)
EXECUTED = re.compile(
    r"^(?:\[nnbook\] )?(?P<doc>\S+?): Executed notebook in (?P<s>[0-9.]+) seconds", re.M
)
CACHED = re.compile(r"^(?P<doc>\S+?): Using cached notebook", re.M)
TARGETS = {"clean": 60.0, "noop": 5.0, "chapter": 20.0}  # seconds, on this 2-core machine
# Runs per case, the median reported: this machine's wall times vary by a second or
# two from run to run, as much as the margin to a target. A clean build, the engine
# edit and make test take long enough to be run once.
REPEATS = {"noop": 3, "chapter": 3}


def copy_tree(dst: Path) -> Path:
    """The working tree (uncommitted edits included) in ``dst``, sharing the venv."""
    shutil.copytree(ROOT, dst, ignore=shutil.ignore_patterns(*IGNORED), symlinks=True)
    (dst / ".venv").symlink_to(ROOT / ".venv")
    return dst


def child_env(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS", "NNBOOK_"))}
    env["PYTHONPATH"] = str(repo)  # the kernels import the copy's engine, not the checkout's
    return env


def make(repo: Path, *targets: str) -> dict[str, Any]:
    """Run ``make TARGETS`` in the copy; its wall time, exit code and executed chapters."""
    cmd = ["make", "-o", ".venv/.installed", *targets]  # never reinstall the shared venv
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=repo, env=child_env(repo), capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = proc.stdout + proc.stderr
    executed = {Path(m["doc"]).stem: float(m["s"]) for m in EXECUTED.finditer(out)}
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "returncode": proc.returncode,
        "executed": len(EXECUTING.findall(out)),
        "executed_chapters": executed,
        "cached": len(CACHED.findall(out)),
        "tail": out.strip().splitlines()[-15:] if proc.returncode else [],
    }


def notebook_chapters(repo: Path) -> list[Path]:
    """The pages of docs/ that are executed (MyST notebooks with a kernelspec)."""
    pages = []
    for path in sorted((repo / "docs").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]:
            pages.append(path)
    return pages


def edit_one_cell(page: Path, tag: int = 0) -> None:
    """Add a statement (``_bench_edited = tag``, new code for each tag) at the top
    of the last code cell that can take one (after the cell's options; not before
    a ``from __future__`` or a magic)."""
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("```{code-cell}")]
    for start in reversed(starts):
        i = start + 1
        if i < len(lines) and lines[i].strip() == "---":  # a YAML block of options
            i = lines.index("---\n", i + 1) + 1
        while i < len(lines) and lines[i].startswith(":"):  # short-form options
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        first = lines[i] if i < len(lines) else "```"
        if first.startswith(("```", "from __future__", "%")):
            continue
        lines.insert(i, f"_bench_edited = {tag}\n")
        page.write_text("".join(lines), encoding="utf-8")
        return
    raise RuntimeError(f"edit_one_cell: no code cell to edit in {page}")


def run(chapters: str = "all", with_test: bool = True) -> dict[str, Any]:
    cases: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="nnbook-bench-") as tmp:
        repo = copy_tree(Path(tmp) / "repo")

        def case(
            name: str, what: str, *targets: str, before: Callable[[int], None] | None = None
        ) -> dict[str, Any]:
            """One case: REPEATS[name] runs of make (``before(k)`` ahead of run k);
            the run of median time stands for the case."""
            runs = []
            for k in range(REPEATS.get(name, 1)):
                if before is not None:
                    before(k)
                runs.append(make(repo, *targets))
            median = sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]
            result = {"case": name, "what": what, **median}
            result["runs_s"] = [run["seconds"] for run in runs]
            result["cpu_median_s"] = sorted(run["cpu_s"] for run in runs)[len(runs) // 2]
            result["returncode"] = max(run["returncode"] for run in runs)
            cases.append(result)
            spread = ", ".join(f"{t:.1f}" for t in result["runs_s"])
            print(
                f"  build: {what}: {result['seconds']:.1f} s ({spread}); "
                f"CPU {result['cpu_median_s']:.1f} s; load {os.getloadavg()[0]:.1f}",
                file=sys.stderr,
                flush=True,
            )
            return result

        case("clean", "clean build (empty jupyter cache)", "html")
        case("noop", "rebuild, nothing changed", "html")
        pages = notebook_chapters(repo)
        engine = repo / "nnbook" / "autograd.py"
        originals = {path: path.read_bytes() for path in [*pages, engine]}
        for page in pages if chapters == "all" else pages[:1]:

            def edit(k: int, page: Path = page) -> None:
                page.write_bytes(originals[page])
                edit_one_cell(page, k)  # new code each time: the chapter runs again

            case("chapter", f"rebuild, one cell of {page.stem} edited", "html", before=edit)
        with open(engine, "a", encoding="utf-8") as f:
            f.write("\n\n# edited by the build benchmark\n")
        case("engine", "rebuild, nnbook/autograd.py edited", "html")
        if with_test:
            for path, data in originals.items():  # the tree as it was; its cache is warm
                path.write_bytes(data)
            case("test", "make test (lint, unit, html, browser; warm cache)", "test")
    targets = {}
    for name, limit in TARGETS.items():
        worst = max(c["seconds"] for c in cases if c["case"] == name)
        ok = all(c["returncode"] == 0 for c in cases if c["case"] == name)
        targets[name] = {"limit_s": limit, "worst_s": worst, "met": ok and worst <= limit}
    return {
        "cases": cases,
        "targets": targets,
        "chapters": len(pages),
        "jobs": 2,
        "loadavg_at_end": list(os.getloadavg()),
        "tree": str(ROOT),
    }


def table(report: dict[str, Any]) -> str:
    """The build part of the bench's table, as plain text."""
    lines = [
        f"Build: make html in a copy of the working tree, -j 2, wall time (median of "
        f"{REPEATS['chapter']} runs where a range is shown); "
        f"{report['chapters']} executed chapters in the book",
        f"{'case':<48}{'time':>9}{'of runs':>12}{'CPU':>8}{'executed':>10}  target",
    ]
    for c in report["cases"]:
        target = report["targets"].get(c["case"])
        mark = ""
        if target:
            met = c["seconds"] <= target["limit_s"]
            mark = f"<= {target['limit_s']:.0f} s: {'met' if met else 'MISSED'}"
        if c["returncode"]:
            mark += f" FAILED (exit {c['returncode']})"
        runs = c.get("runs_s", [c["seconds"]])
        spread = f"{min(runs):.1f}-{max(runs):.1f}" if len(runs) > 1 else ""
        lines.append(
            f"{c['what']:<48}{c['seconds']:>7.1f} s{spread:>12}{c['cpu_median_s']:>6.1f} s"
            f"{c['executed']:>10}  {mark}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", choices=["all", "first"], default="all")
    parser.add_argument("--no-test", action="store_true", help="skip timing make test")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--tree", type=Path, help="time this checkout instead (its own .venv)")
    args = parser.parse_args()
    if args.tree:
        global ROOT
        ROOT = args.tree.resolve()
    report = run(args.chapters, not args.no_test)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
