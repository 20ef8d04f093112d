"""Build hooks: the engine fingerprint and downloadable notebooks."""

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
        raise RuntimeError("sphinx-mathjax-offline is missing: `make html` installs it in .venv")
    return str(Path(spec.origin).parent / "static")


def setup_hooks(app: Any, root: Path) -> None:
    """Connect the project's build hooks."""
