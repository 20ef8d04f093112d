"""The chapters as a reader downloads them run (``make notebooks``, part of
``make test``).

The site's download button gives ``_sources/<chapter>.ipynb``. Here a fresh
venv holds only ``pip install "<checkout>[notebook]"`` (from a copy of the
checkout, so that the build leaves nothing in it), installed without an index
from the wheels ``make venv`` put in ``.venv/wheelhouse``, with pip's
configuration ignored and, where the machine allows it, no network at all
(conf/offline.py). Each notebook is copied outside the repository and executed
as it was downloaded, with that venv's kernel. The time each step takes is
printed (pytest -s) and kept in ``_build/notebooks.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("NNBOOK_SITE", ROOT / "_build" / "html")).resolve()
WHEELHOUSE = ROOT / ".venv" / "wheelhouse"
OFFLINE = [sys.executable, str(ROOT / "conf" / "offline.py")]
NOTEBOOKS = sorted(p.name for p in (SITE / "_sources").glob("*.ipynb"))
TIMES: dict[str, float] = {}

EXECUTE = """
import sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
client = nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                                resources={"metadata": {"path": sys.argv[2]}})
client.execute()
"""


def _clean_env(home: Path) -> dict[str, str]:
    """No pip configuration, no project on the path, Jupyter's paths in the venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "JUPYTER"))}
    env |= {"PIP_CONFIG_FILE": os.devnull, "HOME": str(home), "JUPYTER_PREFER_ENV_PATH": "1"}
    env |= dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1")
    return env


def _run(cmd: list[str], what: str, **kwargs) -> subprocess.CompletedProcess[str]:
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    TIMES[what] = round(time.perf_counter() - start, 1)
    print(f"{what}: {TIMES[what]} s")
    assert result.returncode == 0, f"{what} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Iterator[tuple[Path, dict[str, str], Path]]:
    if not NOTEBOOKS:
        pytest.fail(f"no notebooks in {SITE}/_sources: run `make html` first", pytrace=False)
    if not (WHEELHOUSE / ".complete").is_file():
        pytest.fail(f"no wheelhouse at {WHEELHOUSE}: run `make venv`", pytrace=False)
    base = tmp_path_factory.mktemp("reader")
    env = _clean_env(base)
    checkout = base / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(
        ".git", ".venv", "_build", "build", "*.egg-info", "__pycache__"))  # fmt: skip
    python = base / "venv" / "bin" / "python"
    _run([sys.executable, "-m", "venv", str(python.parent.parent)], "venv", env=env)
    install = [str(python), "-m", "pip", "install", "--quiet", "--no-index",
               "--find-links", str(WHEELHOUSE), f"{checkout}[notebook]"]  # fmt: skip
    _run([*OFFLINE, *install], "pip install nnbook[notebook]", env=env, cwd=base)
    shutil.rmtree(checkout)  # the notebooks must not find the engine's sources anywhere
    yield python, env, base
    TIMES["total"] = round(sum(TIMES.values()), 1)
    out = ROOT / "_build" / "notebooks.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(TIMES, indent=1) + "\n")


def test_the_venv_imports_the_installed_engine(venv):
    python, env, base = venv
    where = _run([str(python), "-c", "import nnbook; print(nnbook.__file__)"], "import", env=env,
                 cwd=base).stdout.strip()  # fmt: skip
    assert Path(where).is_relative_to(python.parent.parent), where


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_downloaded_notebook_says_what_to_install_and_runs(venv, name):
    python, env, base = venv
    nb = json.loads((SITE / "_sources" / name).read_text(encoding="utf-8"))
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown"
    assert "pip install" in "".join(first["source"]) and "nnbook[notebook]" in "".join(
        first["source"]
    )
    workdir = base / name.removesuffix(".ipynb")
    workdir.mkdir()
    shutil.copy(SITE / "_sources" / name, workdir / name)
    cmd = [*OFFLINE, str(python), "-c", EXECUTE, name, str(workdir)]
    _run(cmd, f"execute {name}", env=env, cwd=workdir, timeout=1200)


def test_the_preface_gives_the_same_install_command():
    nb = json.loads((SITE / "_sources" / NOTEBOOKS[0]).read_text(encoding="utf-8"))
    note = "".join(nb["cells"][0]["source"])
    preface = (ROOT / "docs" / "preface.md").read_text(encoding="utf-8")
    command = next(line for line in note.splitlines() if "pip install" in line)
    if "@ git+" not in command:  # a local build: the clone's path, as in the preface
        assert command.split("#")[0].strip() in preface
