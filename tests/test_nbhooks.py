"""The build hooks that keep two builds byte-identical (conf/nbhooks.py)."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import nbformat
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conf"))

from nbhooks import merge_streams


def stream(name: str, text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name=name, text=text)


def pieces(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *sorted(set(cuts)), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if b > a]


TEXT = "η = 0.3000: measured 0.9400   \nconstant   10/1   \n\nlast line\n"


@given(st.lists(st.integers(0, len(TEXT)), max_size=8))
def test_the_merged_text_does_not_depend_on_where_the_kernel_cut_the_stream(cuts):
    outputs = [stream("stdout", piece) for piece in pieces(TEXT, cuts)]
    merged = merge_streams(outputs)
    assert len(merged) == 1
    assert merged[0]["text"] == TEXT  # trailing spaces and blank lines kept


def test_streams_merge_by_name_in_place_of_their_first_piece_and_inputs_are_kept():
    figure = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    outputs = [
        stream("stderr", "warning\n"),
        stream("stdout", "a"),
        figure,
        stream("stdout", "b\n"),
        stream("stderr", "again\n"),
    ]
    merged = merge_streams(outputs)
    assert [(o["output_type"], o.get("name"), o.get("text")) for o in merged] == [
        ("stream", "stdout", "ab\n"),  # stdout before an adjacent stderr, as in myst-nb
        ("stream", "stderr", "warning\nagain\n"),
        ("display_data", None, None),
    ]
    assert outputs[1]["text"] == "a"  # the cached notebook is not modified


def test_carriage_returns_and_backspaces_are_applied():
    merged = merge_streams([stream("stdout", "10%\r50%\r"), stream("stdout", "100%\nab\b\bc\n")])
    assert merged[0]["text"] == "100%\nc\n"


FRONT = (
    "---\njupytext:\n  formats: md:myst\nkernelspec:\n  display_name: Python 3\n"
    "  name: {}\n---\n\n# Title\n"
)


def test_a_chapters_kernel_is_read_from_its_front_matter_and_aliased_as_myst_nb_does():
    from nbhooks import chapter_kernel, read_chapter

    text = FRONT.format("python3")
    assert chapter_kernel(text, {}) == "python3"
    assert chapter_kernel(text, {"py.*": "nnbook-kernel"}) == "nnbook-kernel"
    assert chapter_kernel(text, {"py": "other"}) == "python3"  # a pattern must match all of it
    aliases = {"python3": "first", ".*": "second"}  # the first matching pattern wins
    assert chapter_kernel(text, aliases) == "first"
    # The same name as the notebook myst-nb reads (the one cached, and executed).
    aliases = {"i.": "other", ".*": "python3"}
    nb = read_chapter(FRONT.format("ir"), Path("ch.md"), aliases)
    assert nb.metadata.kernelspec.name == chapter_kernel(FRONT.format("ir"), aliases) == "other"
    assert chapter_kernel("---\ntitle: no kernel\n---\n", {}) is None
