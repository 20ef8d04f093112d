"""The trimmed MathJax the site serves (conf/mathjax_assets.py), without a browser
(tests/test_mathjax_browser.py checks in Chromium that the list is the right one)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "conf"))

from mathjax_assets import (  # noqa: E402
    MATHJAX_FILES,
    mathjax_package_dir,
    mathjax_static_dir,
    prune,
)


def _files(top: Path) -> set[str]:
    return {p.relative_to(top).as_posix() for p in top.rglob("*") if p.is_file()}


def test_the_static_folder_holds_exactly_the_listed_files_as_shipped() -> None:
    folder = Path(mathjax_static_dir()) / "mathjax"
    assert _files(folder) == set(MATHJAX_FILES)
    package = mathjax_package_dir()
    for name in MATHJAX_FILES:
        assert (folder / name).read_bytes() == (package / name).read_bytes()


def test_the_list_is_a_small_part_of_the_package() -> None:
    shipped = sum((mathjax_package_dir() / name).stat().st_size for name in MATHJAX_FILES)
    whole = sum(p.stat().st_size for p in mathjax_package_dir().rglob("*") if p.is_file())
    assert len(MATHJAX_FILES) == len(set(MATHJAX_FILES))
    assert shipped < 2_000_000 < 20_000_000 < whole


def test_prune_deletes_what_is_not_listed_and_the_folders_left_empty(tmp_path: Path) -> None:
    top = tmp_path / "_static" / "mathjax"
    for name in [*MATHJAX_FILES, "tex-svg.js", "sre/mathmaps/en.json", "a11y/explorer.js"]:
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(name)
    deleted = prune(tmp_path)
    assert sorted(deleted) == ["a11y/explorer.js", "sre/mathmaps/en.json", "tex-svg.js"]
    assert _files(top) == set(MATHJAX_FILES)
    assert not (top / "sre").exists() and not (top / "a11y").exists()
    assert prune(tmp_path) == []


def test_prune_leaves_a_site_without_mathjax_alone(tmp_path: Path) -> None:
    assert prune(tmp_path) == []
    assert list(tmp_path.iterdir()) == []
