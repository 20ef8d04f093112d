"""The helper that runs uncached chapters while Sphinx starts (conf/prexecute.py):
its guess of what will run, and the kernels it starts on that guess."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conf"))

from prexecute import KernelsAhead, likely_to_run, mark_checked

CHAPTER = "---\nkernelspec:\n  name: python3\n---\n\n# {}\n"


def chapters(folder: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = folder / f"{name}.md"
        path.write_text(CHAPTER.format(name), encoding="utf-8")
        paths.append(path)
    return paths


def set_mtime(path: Path, ns: int) -> None:
    os.utime(path, ns=(ns, ns))


def test_every_chapter_is_likely_to_run_in_a_new_cache_and_none_once_checked(tmp_path):
    cache = tmp_path / "cache"
    paths = chapters(tmp_path, "a", "b")
    plain = tmp_path / "index.md"
    plain.write_text("# Not executed\n", encoding="utf-8")
    likely = likely_to_run([*paths, plain], cache)  # the cache folder does not exist yet
    assert [path for path, _ in likely] == paths
    assert likely[0][1] == CHAPTER.format("a")  # with its text

    cache.mkdir()
    mark_checked(cache, 2_000_000_000 * 10**9)
    for path in paths:
        set_mtime(path, 1_999_999_999 * 10**9)
    assert likely_to_run(paths, cache) == []


def test_a_chapter_edited_after_the_check_is_likely_to_run(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    a, b = chapters(tmp_path, "a", "b")
    checked = 2_000_000_000 * 10**9
    mark_checked(cache, checked)
    set_mtime(a, checked - 1)
    set_mtime(b, checked + 1)
    assert [path for path, _ in likely_to_run([a, b], cache)] == [b]


def test_a_kernel_started_ahead_goes_only_to_a_chapter_it_fits_and_the_rest_are_stopped(
    tmp_path,
):
    here, there = str(tmp_path), str(tmp_path / "elsewhere")
    ahead = KernelsAhead([("python3", here), ("python3", here)])
    try:
        assert len(ahead) == 2
        kms = [km for _, _, km in ahead._free]
        assert all(km.has_kernel for km in kms)
        assert ahead.take("python3", there) is None  # another working folder
        assert ahead.take("ir", here) is None  # another kernel
        taken = ahead.take("python3", here)
        assert taken is kms[0] and len(ahead) == 1
    finally:
        ahead.shutdown()
    assert len(ahead) == 0
    assert not kms[1].has_kernel  # stopped
    assert taken.has_kernel  # the chapter's kernel is the chapter's to stop
    from nbclient.util import run_sync

    run_sync(taken.shutdown_kernel)(now=True)
    assert not taken.has_kernel
