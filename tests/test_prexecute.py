"""The helper that runs uncached chapters while Sphinx starts (conf/prexecute.py):
its guess of what will run, and the kernels it starts on that guess."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conf"))

from prexecute import KernelsAhead, chapter_texts, code_digest, likely_to_run, mark_checked

CHAPTER = (
    "---\nkernelspec:\n  name: python3\n---\n\n# {}\n\n```{{code-cell}} ipython3\nx = 1\n```\n"
)


def chapters(folder: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = folder / f"{name}.md"
        path.write_text(CHAPTER.format(name), encoding="utf-8")
        paths.append(path)
    return paths


def test_only_a_change_to_the_code_or_the_front_matter_changes_the_digest():
    text = CHAPTER.format("Title")
    assert code_digest(text.replace("# Title", "# Another title\n\nMore prose.")) == code_digest(
        text
    )
    assert code_digest(text.replace("x = 1", "x = 2")) != code_digest(text)
    assert code_digest(text.replace("python3", "ir")) != code_digest(text)
    longer = "\n````{code-cell} ipython3\nprint('```')\n````\n"  # a fence of four holds three
    assert code_digest(text + longer) != code_digest(text + longer.replace("print", "len"))


def test_every_chapter_is_likely_to_run_in_a_new_cache_and_none_once_checked(tmp_path):
    cache = tmp_path / "cache"
    paths = chapters(tmp_path, "a", "b")
    plain = tmp_path / "index.md"
    plain.write_text("# Not executed\n", encoding="utf-8")
    texts = chapter_texts([*paths, plain])
    assert list(texts) == paths and texts[paths[0]] == CHAPTER.format("a")
    assert likely_to_run(texts, cache) == paths  # the cache folder does not exist yet
    cache.mkdir()
    mark_checked(cache, texts)
    assert likely_to_run(texts, cache) == []


def test_a_chapter_whose_code_changed_after_the_check_is_likely_to_run(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    a, b = chapters(tmp_path, "a", "b")
    mark_checked(cache, chapter_texts([a, b]))
    a.write_text(a.read_text().replace("# a", "# a, its prose edited"), encoding="utf-8")
    b.write_text(b.read_text().replace("x = 1", "x = 2"), encoding="utf-8")
    assert likely_to_run(chapter_texts([a, b]), cache) == [b]
    mark_checked(cache, chapter_texts([a]))  # b failed: only a is recorded
    assert likely_to_run(chapter_texts([a, b]), cache) == [b]


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


def test_the_helper_started_from_the_command_line_serves_only_that_build(tmp_path):
    import prexecute

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    try:
        prexecute.start_early(["-b", "html", "-j", "2", "-c", str(tmp_path), str(src), str(out)])
        early = prexecute.early
        assert early is not None and early.started_for == (src, tmp_path, 2)
        same = SimpleNamespace(srcdir=src, confdir=tmp_path, parallel=2)
        assert prexecute._helper_for(same) is early  # taken on, not started again
        other = SimpleNamespace(srcdir=src, confdir=tmp_path, parallel=3)
        helper = prexecute._helper_for(other)  # another build: the early one is stopped
        assert helper is not early and helper.started_for == (src, tmp_path, 3)
        assert early.process.poll() is not None
        helper.stop()

        prexecute.start_early(["-b", "html", "-j", "1", str(src), str(out)])
        assert prexecute.early is None  # one process: myst-nb executes by itself
        prexecute.start_early(["-b", "html", "--no-such-option", str(src), str(out)])
        assert prexecute.early is None  # Sphinx will say what is wrong
    finally:
        prexecute.early = None
