"""Build a small book from chosen pages with the project's real configuration.

Used by the tests of the build's failure modes and for working on one chapter:

    python conf/build_one.py docs/neuron.md --out /tmp/neuron-site

The pages are copied into ``<out>/src`` with an index that lists them (a file
whose bytes are unchanged keeps its time, so a second build of the same pages
reads nothing again); the jupyter cache goes to ``<out>/.jupyter_cache`` unless
NNBOOK_CACHE_DIR says otherwise. myst-nb executes the chapters the cache lacks.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(
    pages: list[Path], out: Path, extra_args: list[str] | None = None, quiet: bool = True
) -> int:
    """Build ``pages`` into ``out/html``; return sphinx-build's exit code."""
    src = out / "src"
    src.mkdir(parents=True, exist_ok=True)
    # src sits where docs/ does in the project, one level below the engine: a page's
    # literalinclude of ../nnbook/_graph.py must find the engine's source here too.
    engine = out / "nnbook"
    if engine.is_symlink():  # perhaps to another checkout's engine
        engine.unlink()
    if not engine.exists():
        engine.symlink_to(ROOT / "nnbook", target_is_directory=True)
    toctree = "\n".join(page.stem for page in pages)
    wanted = {page.name: page.read_bytes() for page in pages}
    wanted["index.md"] = f"# Test book\n\n```{{toctree}}\n{toctree}\n```\n".encode()
    for stale in set(os.listdir(src)) - set(wanted):
        (src / stale).unlink()
    for name, data in wanted.items():
        if not (src / name).exists() or (src / name).read_bytes() != data:
            (src / name).write_bytes(data)
    env = dict(os.environ)
    env.setdefault("NNBOOK_CACHE_DIR", str(out / ".jupyter_cache"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-c",
        str(ROOT / "conf"),
        "-n",
        "-W",
        "--keep-going",
        *(["-q"] if quiet else []),
        "-d",
        str(out / "doctrees"),
        str(src),
        str(out / "html"),
        *(extra_args or []),
    ]
    return subprocess.run(cmd, env=env, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--api", action="store_true", help="add docs/api.md, so links into the engine resolve"
    )
    parser.add_argument(
        "--progress", action="store_true", help="print Sphinx's progress (quiet by default)"
    )
    args, rest = parser.parse_known_args()
    pages = [p.resolve() for p in args.pages]
    if args.api:
        pages.append(ROOT / "docs" / "api.md")
    return build(pages, args.out.resolve(), rest, quiet=not args.progress)


if __name__ == "__main__":
    sys.exit(main())
