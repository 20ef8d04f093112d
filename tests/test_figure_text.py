"""A book figure's PNG says how small its text is (issue 19): nnbook.book.plotting's
figure_texts, the inline backend's formatter that use_book_style installs, and
png_text_size, which the browser tests read the PNGs with."""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nnbook.book import plotting as pl


def _sizes(fig: Figure) -> dict[str, float]:
    return {what: size for size, what in pl.figure_texts(fig)}


def test_figure_texts_finds_every_kind_of_text() -> None:
    fig = Figure(figsize=(6, 3))
    ax, ax2 = fig.subplots(1, 2)
    ax.plot([0, 1], [0, 1], label="a line")
    ax.set_xticks([0, 1], ["lo", "hi"], fontsize=6.5)
    ax.set_ylabel("loss", fontsize=9)
    ax.set_title("left", fontsize=13)
    ax.legend(fontsize=7)
    ax.annotate("a point", (0.5, 0.5), fontsize=8.5)
    image = ax2.imshow(np.arange(4.0).reshape(2, 2))
    bar = fig.colorbar(image, ax=ax2)
    bar.ax.tick_params(labelsize=5.5)
    bar.set_label("value", fontsize=6)
    fig.suptitle("both", fontsize=14)
    FigureCanvasAgg(fig).draw()  # tick labels get their text when drawn
    sizes = _sizes(fig)
    assert sizes["tick label 'lo'"] == sizes["tick label 'hi'"] == 6.5
    assert sizes["axis text 'loss'"] == 9
    assert sizes["text 'left'"] == 13
    assert sizes["legend text 'a line'"] == 7
    assert sizes["annotation 'a point'"] == 8.5
    assert sizes["axis text 'value'"] == 6
    assert sizes["text 'both'"] == 14
    assert min(pl.figure_texts(fig))[0] == 5.5  # the colourbar's ticks
    assert min(pl.figure_texts(fig))[1].startswith("tick label")


def test_figure_texts_leaves_out_what_is_not_drawn() -> None:
    fig = Figure()
    ax, off = fig.subplots(1, 2)
    ax.set_xticks([0, 1], ["a", "b"], fontsize=12)
    ax.set_yticks([0, 1], ["c", "d"], fontsize=12)
    ax.set_title("")  # empty
    hidden = ax.text(0, 0, "hidden", fontsize=3)
    hidden.set_visible(False)
    ax.legend(["in an invisible legend"], fontsize=4).set_visible(False)
    off.set_xticks([0, 1], ["e", "f"], fontsize=2)
    off.axis("off")  # its ticks are not drawn
    off.text(0.5, 0.5, "drawn", fontsize=11)
    FigureCanvasAgg(fig).draw()
    assert min(pl.figure_texts(fig)) == (11.0, "text 'drawn'")
    off.axis("on")
    fig.canvas.draw()
    assert min(pl.figure_texts(fig))[0] == 2.0


def _inline_png(shell: Any, fig: Figure) -> bytes:
    png = shell.display_formatter.format(fig)[0]["image/png"]
    return base64.b64decode(png) if isinstance(png, str) else png


@pytest.mark.filterwarnings("ignore:InlineBackend._print_figure_kwargs_changed:DeprecationWarning")
def test_the_inline_png_carries_its_smallest_text(ipython_shell: Any) -> None:
    from matplotlib_inline.backend_inline import configure_inline_support

    configure_inline_support(ipython_shell, "inline")
    fig, ax = plt.subplots(figsize=(3, 2), dpi=110)
    try:
        ax.plot([0, 1], label="a line")
        without = _inline_png(ipython_shell, fig)
        pl.use_book_style()  # the book's style, after the backend started
        ax.legend(fontsize=7.5)
        png = _inline_png(ipython_shell, fig)
    finally:
        plt.close(fig)
    assert pl.png_text_size(without) is None  # Jupyter's own PNG says nothing
    assert pl.png_text_size(png) == (7.5, "legend text 'a line'", 110.0)
    # As laid out, not cropped: figsize times dpi.
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (330, 220)


def test_png_text_size_of_other_files() -> None:
    fig = Figure()
    fig.add_subplot().plot([0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert pl.png_text_size(buffer.getvalue()) is None
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={pl.TEXT_SIZE_KEY: "9", pl.DPI_KEY: "100"})
    assert pl.png_text_size(buffer.getvalue()) is None  # a chunk missing: not ours
    assert pl.png_text_size(b"GIF89a") is None


@pytest.mark.parametrize("first", ["style", "figure"])
def test_in_a_jupyter_kernel_every_figure_after_the_style_says_its_text_size(first: str) -> None:
    """In a real kernel (where the inline backend starts at the first figure,
    perhaps after the style), shown figures and glued ones carry the chunks."""
    import nbclient
    import nbformat

    draw = "fig, ax = plt.subplots(figsize=(4, 3))\nax.plot([0, 1]); ax.set_title('t', fontsize=9)"
    glue = "fig2, ax2 = plt.subplots(); ax2.plot([1, 2]); glue('f', fig2, display=False)"
    imports = "import matplotlib.pyplot as plt\nfrom myst_nb import glue\n"
    cells = [imports + "from nnbook.book.plotting import use_book_style"]
    cells += ["use_book_style()", draw] if first == "style" else [draw, "use_book_style()", draw]
    cells.append(glue)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    found = [
        pl.png_text_size(base64.b64decode(out["data"]["image/png"]))
        for cell in nb.cells
        for out in cell.outputs
        if "image/png" in out.get("data", {})
    ]
    styled = [(9.0, "text 't'", 110.0), (10.0, "tick label '0.0'", 110.0)]
    assert found == (styled if first == "style" else [None, *styled])
