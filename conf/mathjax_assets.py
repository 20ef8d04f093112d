"""MathJax's fonts served from the site itself, and only those its pages load.

sphinx-mathjax-offline ships all of MathJax 3.2.2: 106 files, 24 MB. The maths
is typeset at build time (conf/mathjax_prerender.py), so the pages load no
MathJax script, only the CHTML fonts of the characters and styles their
formulas show. :data:`MATHJAX_FILES` lists exactly those, as recorded by
loading every page of the site in Chromium in the light and the dark theme;
tests/test_math_browser.py checks the list both ways on every build: no
request under ``_static/mathjax/`` fails, and every listed file is requested.

Used as a Sphinx extension, the module also deletes from a built site any
MathJax file not listed (a site first built with the whole package keeps them,
as Sphinx never removes a static file).
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Where the trimmed copy lives; _build/ is every build's scratch space.
STAGING = ROOT / "_build" / ".mathjax"

# Paths relative to MathJax's folder. A formula with a new macro or a new font
# style makes MathJax ask for a file missing here: the browser test names it.
MATHJAX_FILES = (
    # the CHTML fonts: upright, italic and bold text; \mathbb and AMS symbols;
    # \mathcal; \boldsymbol; the sizes of large delimiters; MathJax_Zero
    # measures the others
    "output/chtml/fonts/woff-v2/MathJax_AMS-Regular.woff",
    "output/chtml/fonts/woff-v2/MathJax_Calligraphic-Regular.woff",
    "output/chtml/fonts/woff-v2/MathJax_Main-Bold.woff",
    "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff",
    "output/chtml/fonts/woff-v2/MathJax_Math-BoldItalic.woff",
    "output/chtml/fonts/woff-v2/MathJax_Math-Italic.woff",
    "output/chtml/fonts/woff-v2/MathJax_Size1-Regular.woff",
    "output/chtml/fonts/woff-v2/MathJax_Size2-Regular.woff",
    "output/chtml/fonts/woff-v2/MathJax_Size3-Regular.woff",
    "output/chtml/fonts/woff-v2/MathJax_Size4-Regular.woff",
    "output/chtml/fonts/woff-v2/MathJax_Zero.woff",
)


def mathjax_package_dir() -> Path:
    """The ``mathjax/`` folder inside the sphinx-mathjax-offline package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("sphinx-mathjax-offline is missing: `make html` installs it")
    return Path(spec.origin).parent / "static" / "mathjax"


def mathjax_static_dir() -> str:
    """A folder holding ``mathjax/`` with only :data:`MATHJAX_FILES`, for
    ``html_static_path``; made once per list and package, then reused."""
    package = mathjax_package_dir()
    key = hashlib.sha256("\n".join((str(package), *MATHJAX_FILES)).encode()).hexdigest()[:12]
    folder = STAGING / key
    if not folder.is_dir():
        STAGING.mkdir(parents=True, exist_ok=True)
        # Built aside, then renamed: a build never sees half a folder.
        scratch = Path(tempfile.mkdtemp(dir=STAGING))
        for name in MATHJAX_FILES:
            target = scratch / "mathjax" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(package / name, target)
        try:
            scratch.rename(folder)
        except OSError:  # another build made it first
            shutil.rmtree(scratch)
    return str(folder)


def prune(outdir: Path) -> list[str]:
    """Delete every file under ``outdir/_static/mathjax`` that is not listed
    (and the folders left empty); return the deleted paths, relative."""
    top = outdir / "_static" / "mathjax"
    if not top.is_dir():
        return []
    keep = set(MATHJAX_FILES)
    deleted = []
    for path in sorted(top.rglob("*")):
        if path.is_file() and path.relative_to(top).as_posix() not in keep:
            path.unlink()
            deleted.append(path.relative_to(top).as_posix())
    for path in sorted(top.rglob("*"), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return deleted


def _prune_after_build(app: Any, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        prune(Path(app.outdir))


def setup(app: Any) -> dict[str, Any]:
    app.connect("build-finished", _prune_after_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
