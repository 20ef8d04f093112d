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


def test_myst_nbs_own_merge_still_depends_on_where_the_stream_was_cut():
    """Why merge_streams replaces myst-nb's: once this fails, myst-nb's merge gives
    the same text whatever the cuts, and the replacement in conf/nbhooks.py can go."""
    from myst_nb.core.utils import coalesce_streams

    whole = coalesce_streams([stream("stdout", "a   \nb\n")])
    cut = coalesce_streams([stream("stdout", "a   "), stream("stdout", "\nb\n")])
    assert whole[0]["text"] != cut[0]["text"]
    assert merge_streams([stream("stdout", "a   "), stream("stdout", "\nb\n")])[0]["text"] == (
        "a   \nb\n"
    )


def test_a_downloadable_notebook_has_no_random_ids_timings_or_counts():
    from nbhooks import reproducible

    nb = nbformat.v4.new_notebook(metadata={"execution": {"t": 1}, "source_map": [3]})
    code = nbformat.v4.new_code_cell("print(1)", execution_count=3)
    code.metadata["execution"] = {"iopub.execute_input": "2026-12-03T13:00:00"}
    result = nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=3)
    code.outputs = [stream("stdout", "1"), stream("stdout", "\n"), result]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), code]
    out = reproducible(nb)
    assert [cell.id for cell in out.cells] == ["cell-0", "cell-1"]
    assert "execution" not in out.metadata and "source_map" not in out.metadata
    assert "execution" not in out.cells[1].metadata and out.cells[1].execution_count is None
    assert [o.get("text") for o in out.cells[1].outputs] == ["1\n", None]
    assert out.cells[1].outputs[1]["execution_count"] is None
    nbformat.validate(out)
