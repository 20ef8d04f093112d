"""What a new user meets first: no traceback where one line says it, no
warning for every chapter, no stale execution caches piling up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
MISSING = "/nonexistent/chromium"


def _lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return (result.stdout + result.stderr).strip().splitlines()


def test_make_pdf_without_chromium_says_so_in_one_line_before_building():
    result = subprocess.run(
        ["make", "-j1", "--no-print-directory", "pdf", f"CHROMIUM={MISSING}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))},
    )  # fmt: skip
    assert result.returncode != 0
    lines = _lines(result)
    assert len(lines) == 1, lines
    assert f"No Chromium at {MISSING}" in lines[0]
    assert "apt-get install chromium" in lines[0]


def test_print_pdf_without_chromium_says_so_in_one_line(tmp_path):
    page = tmp_path / "index.html"
    page.write_text("<html><body><p>one page</p></body></html>")
    cmd = [sys.executable, str(ROOT / "conf" / "print_pdf.py"), "--chromium", MISSING,
           str(page), str(tmp_path / "out.pdf")]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    lines = _lines(result)
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    assert f"no Chromium at {MISSING}" in lines[0]
    assert not (tmp_path / "out.pdf").exists()


KERNEL = """
from jupyter_client.manager import start_new_kernel
manager, client = start_new_kernel(kernel_name="python3")
try:
    client.execute_interactive("print(6 * 7)", timeout=60)
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=True)
"""


def test_a_kernel_of_the_venv_starts_without_the_tcp_warning():
    """make venv installs conf/ipython_kernel_config.py where .venv's kernels read it:
    ipykernel 7.4 warned once per kernel, so once per chapter in a build."""
    result = subprocess.run(
        [str(VENV_PYTHON), "-c", KERNEL],
        capture_output=True, text=True, timeout=120, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "42" in result.stdout  # the kernel ran the cell
    assert "without encryption" not in result.stdout + result.stderr


def test_a_build_keeps_the_current_execution_cache_and_prunes_the_others(tmp_path):
    """The cache of each engine lives in a directory named after its fingerprint;
    a build removes those of other engines and leaves anything else alone."""
    sys.path.insert(0, str(ROOT / "conf"))
    from nbhooks import engine_fingerprint

    caches = tmp_path / "caches"
    current = caches / engine_fingerprint(ROOT / "nnbook")
    current.mkdir(parents=True)
    (current / "global.db").write_text("the current cache")
    stale = caches / "0123456789abcdef"  # an earlier engine's cache
    (stale / "executed").mkdir(parents=True)
    (stale / "executed" / "x.ipynb").write_text("{}")
    kept = caches / "notes"  # not a fingerprint: not the build's
    kept.mkdir()
    page = tmp_path / "prose.md"
    page.write_text("# Prose\n\nNo code here.\n")
    cmd = [str(VENV_PYTHON), str(ROOT / "conf" / "build_one.py"), str(page),
           "--out", str(tmp_path / "out")]  # fmt: skip
    env = {"NNBOOK_CACHE_DIR": str(caches), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in caches.iterdir()) == sorted([current.name, "notes"])
    assert (current / "global.db").read_text() == "the current cache"
