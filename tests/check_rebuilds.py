"""Incremental rebuilds give the site a clean build gives (part of ``make check``).

In a copy of the project (the repository is never touched), ``make html`` builds
the book, then for each case the tree is changed, ``make html`` rebuilds it
incrementally, and a clean build of the same tree (new doctrees and output,
``make html BUILD=...``; the same jupyter cache, so both show the same
execution: that two executions agree is the other half of ``make check``) is
compared with it byte for byte, every file but execution.html (it reports when
each chapter ran). The cases are cumulative:

1. nothing changed (the rebuild against the first build);
2. a prose edit: a sentence added to a chapter;
3. a code-cell edit: a statement added to a chapter's last code cell (it runs again);
4. an edit under nnbook/: a comment appended to a module (every chapter runs again).

    python tests/check_rebuilds.py --work _build/check-rebuilds [--cache DIR]

``--cache`` seeds the copy's jupyter cache (``make check`` passes the one its first
clean build filled), so the first build does not execute every chapter again.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("conf", "docs", "nnbook", "Makefile", "pyproject.toml")
LEFT_OUT = {"execution.html"}
CHAPTER, ENGINE = "docs/neuron.md", "nnbook/autograd.py"


def copy_project(tree: Path) -> None:
    tree.mkdir(parents=True)
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tree / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tree / part)
    (tree / ".venv").symlink_to(ROOT / ".venv")


def make_html(tree: Path, *variables: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS", "NNBOOK_"))}
    env["PYTHONPATH"] = str(tree)  # the kernels import the copy's engine
    cmd = ["make", "-o", ".venv/.installed", "html", *variables]
    result = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"check_rebuilds: {' '.join(cmd)} failed:\n{result.stdout}{result.stderr}")


def differences(a: Path, b: Path) -> tuple[int, list[str]]:
    """How many files were compared, and those that differ or exist on one side only."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    compared = {p for p in files_a & files_b if p.name not in LEFT_OUT}
    differ = [str(p) for p in sorted(compared) if not filecmp.cmp(a / p, b / p, shallow=False)]
    differ += [f"{p} (only in {a if p in files_a else b})" for p in sorted(files_a ^ files_b)]
    return len(compared), differ


def edit_prose(tree: Path) -> None:
    with open(tree / CHAPTER, "a", encoding="utf-8") as f:
        f.write("\nA sentence added by the rebuild check.\n")


def edit_code(tree: Path) -> None:
    path = tree / CHAPTER
    text = path.read_text(encoding="utf-8")
    last = list(re.finditer(r"^(`{3,})\{code-cell\}.*?^(\1)$", text, re.M | re.S))[-1]
    end = last.start(2)
    path.write_text(text[:end] + "_rebuild_check = 1\n" + text[end:], encoding="utf-8")


def edit_engine(tree: Path) -> None:
    with open(tree / ENGINE, "a", encoding="utf-8") as f:
        f.write("\n# edited by the rebuild check\n")


CASES = [
    ("nothing changed", None),
    ("a prose edit", edit_prose),
    ("a code-cell edit", edit_code),
    ("an edit under nnbook/", edit_engine),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="a jupyter cache to start from")
    args = parser.parse_args()
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    tree = work / "tree"
    copy_project(tree)
    if args.cache is not None:
        shutil.copytree(args.cache, tree / "_build" / ".jupyter_cache")
    make_html(tree)
    shutil.copytree(tree / "_build" / "html", work / "first")
    failed = False
    for number, (name, edit) in enumerate(CASES):
        if edit is None:
            clean = work / "first"
        else:
            edit(tree)
            clean = tree / f"_build-clean-{number}" / "html"
        make_html(tree)  # the rebuild
        if edit is not None:
            make_html(tree, f"BUILD=_build-clean-{number}")
        compared, differ = differences(tree / "_build" / "html", clean)
        print(f"rebuild after {name}: {compared} files compared, {len(differ)} differ")
        for path in differ:
            print(f"    {path}")
        failed = failed or bool(differ)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
