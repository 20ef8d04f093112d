"""Multi-panel figures in a wide and a narrow rendition, and colour that encodes a
value without a colourbar (issue 19): nnbook.book.plotting's stack_panels,
wide_and_narrow_pngs, show_wide_and_narrow and colour_without_colourbar, and
the PNG chunks the site's tests read."""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from PIL import Image

from nnbook.book import plotting as pl

# matplotlib-inline's own observer of the setting (what %config sets too) is old-style traitlets.
pytestmark = pytest.mark.filterwarnings(
    "ignore:InlineBackend._print_figure_kwargs_changed:DeprecationWarning"
)


def _chunks(png_b64: str) -> dict[str, str]:
    with Image.open(io.BytesIO(base64.b64decode(png_b64))) as image:
        image.load()
        return dict(image.text)


def _size(png_b64: str) -> tuple[int, int]:
    with Image.open(io.BytesIO(base64.b64decode(png_b64))) as image:
        return image.size


def _rows(*axes: Any) -> list[tuple[int, int]]:
    """Each axes' place in its grid: (row, column)."""
    return [(ax.get_subplotspec().rowspan.start, ax.get_subplotspec().colspan.start) for ax in axes]


# ---------------------------------------------------------------- stack_panels


def test_two_panels_side_by_side_stack_keeping_their_shape() -> None:
    fig = Figure(figsize=(7, 3.5), layout="constrained")
    left, right = fig.subplots(1, 2)
    pl.stack_panels(fig, width=4.2)
    assert _rows(left, right) == [(0, 0), (1, 0)]
    assert left.get_subplotspec().get_gridspec().get_geometry() == (2, 1)
    # Each 3.5 x 3.5 in cell becomes 4.2 in wide, so 4.2 in tall: 8.4 in in all.
    assert fig.get_size_inches() == pytest.approx([4.2, 8.4])


@pytest.mark.parametrize(
    ("order", "expected"),
    [("rows", [(0, 0), (1, 0), (2, 0), (3, 0)]), ("columns", [(0, 0), (2, 0), (1, 0), (3, 0)])],
)
def test_panels_come_in_reading_order(order: str, expected: list[tuple[int, int]]) -> None:
    fig = Figure(figsize=(6, 6), layout="constrained")
    axes = fig.subplots(2, 2)
    pl.stack_panels(fig, order=order)
    assert _rows(*axes.ravel()) == expected  # a, b / c, d: a b c d, or a c b d


def test_a_mosaic_s_spanning_panel_keeps_its_shape_and_comes_first() -> None:
    fig = Figure(figsize=(7, 6), layout="constrained")
    axes = fig.subplot_mosaic([["top", "top"], ["a", "b"]], height_ratios=[1, 2])
    pl.stack_panels(fig, width=3.5)
    assert _rows(axes["top"], axes["a"], axes["b"]) == [(0, 0), (1, 0), (2, 0)]
    ratios = axes["top"].get_subplotspec().get_gridspec().get_height_ratios()
    # top: 7 x 2 in, scaled to 3.5 wide: 1 in; a and b: 3.5 x 4 in, kept.
    assert ratios == pytest.approx([1.0, 4.0, 4.0])
    assert fig.get_size_inches() == pytest.approx([3.5, 9.0])


def test_twins_and_colourbars_follow_their_panel_and_shared_y_labels_return() -> None:
    fig = Figure(figsize=(7, 3), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True)
    twin = right.twinx()
    image = left.imshow(np.eye(3))
    bar = fig.colorbar(image, ax=left)
    assert not right.yaxis.get_tick_params()["labelleft"]  # hidden beside the first column
    pl.stack_panels(fig)
    assert _rows(left, right, twin) == [(0, 0), (1, 0), (1, 0)]
    assert right.yaxis.get_tick_params()["labelleft"]  # each panel stands at the left now
    assert bar.ax.get_subplotspec() is None  # placed by constrained layout beside its axes
    FigureCanvasAgg(fig).draw()
    assert bar.ax.get_position().y0 > right.get_position().y1  # beside the upper panel


def test_what_cannot_be_stacked_is_refused() -> None:
    fig = Figure()
    fig.subplots(2, 1)
    with pytest.raises(ValueError, match="one column already"):
        pl.stack_panels(fig)
    fig = Figure()
    fig.add_subplot(1, 2, 1)
    fig.add_gridspec(1, 3).subplots()
    with pytest.raises(ValueError, match=r"one grid .* found 2 grids"):
        pl.stack_panels(fig)
    fig = Figure()
    fig.subplots(1, 2)
    with pytest.raises(ValueError, match="'rows' or 'columns'"):
        pl.stack_panels(fig, order="diagonal")


# ---------------------------------------------------------------- the two PNGs


def _two_panels(legend_columns: int = 1) -> Figure:
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(7, 3.4))
    for k in range(3):
        ax.plot(np.arange(5) * k, label=f"line {k}, a label of some length")
    ax2.plot(-np.arange(5))
    ax.set_title("rising")
    ax2.set_title("falling")
    fig.legend(loc="outside lower center", ncols=legend_columns)
    return fig


def test_wide_and_narrow_pngs_say_which_they_are_and_their_text(ipython_shell: Any) -> None:
    pl.use_book_style()
    fig = _two_panels()
    try:
        wide, narrow = pl.wide_and_narrow_pngs(fig)
    finally:
        plt.close(fig)
    assert _chunks(wide)[pl.RENDITION_KEY] == "wide"
    assert _chunks(narrow)[pl.RENDITION_KEY] == "narrow"
    assert _size(wide) == (770, 374)  # 7 x 3.4 in at 110 dpi
    assert _size(narrow)[0] == round(pl.NARROW_WIDTH * 110)
    assert _size(narrow)[1] > 2 * _size(wide)[1]  # two panels one under the other
    for png in (wide, narrow):
        assert pl.png_text_size(base64.b64decode(png)) == (
            10.0,
            "legend text 'line 0, a label of some length'",
            110.0,
        )
    # Shown across a phone's 358 px column, the narrow one's 10 pt text is 11.3 px
    # (the wide one's would be 7.1 px).
    assert 10 / 72 * 110 * 358 / _size(narrow)[0] > 11 > 8 > 7.2 > 10 / 72 * 110 * 358 / 770


def test_the_two_pngs_are_the_same_bytes_each_time(ipython_shell: Any) -> None:
    pl.use_book_style()
    runs = []
    for _ in range(2):
        fig = _two_panels()
        try:
            runs.append(pl.wide_and_narrow_pngs(fig))
        finally:
            plt.close(fig)
    assert runs[0] == runs[1]


def test_a_figure_legend_too_wide_for_the_narrow_one_gets_one_column(ipython_shell: Any) -> None:
    pl.use_book_style()
    fig = _two_panels(legend_columns=3)
    try:
        legend = fig.legends[0]
        pl.wide_and_narrow_pngs(fig)
        renderer = fig.canvas.get_renderer()
        box = legend.get_window_extent(renderer)
        assert pl._outside_canvas(fig) == ""
    finally:
        plt.close(fig)
    assert legend._ncols == 1
    assert box.width < fig.bbox.width and box.height > 3 * 10 / 72 * 110  # three rows of text


def test_a_narrow_rendition_that_cuts_something_off_fails(ipython_shell: Any) -> None:
    pl.use_book_style()
    fig, _ = plt.subplots(1, 2, figsize=(7, 3))
    # A text of the figure's own (constrained layout makes no room for it): 5.5 in wide.
    fig.text(0.5, 0.5, "a note in the middle, far too long for the narrow figure's width")
    try:
        with pytest.raises(ValueError, match=r"px stick out at the right"):
            pl.wide_and_narrow_pngs(fig)
    finally:
        plt.close(fig)


def test_show_wide_and_narrow_shows_one_figure_carrying_the_other(ipython_shell: Any) -> None:
    from IPython.utils.capture import capture_output

    pl.use_book_style()
    fig = _two_panels()
    with capture_output() as shown:
        pl.show_wide_and_narrow(fig)
    assert not plt.fignum_exists(fig.number)  # closed: the inline backend shows it no more
    [output] = shown.outputs
    assert _chunks(output.data["image/png"])[pl.RENDITION_KEY] == "wide"
    narrow = output.metadata["nnbook"]["narrow"]
    assert _chunks(narrow["image/png"])[pl.RENDITION_KEY] == "narrow"
    assert narrow["media"] == pl.NARROW_MEDIA == "screen and (max-width: 40em)"


def test_show_wide_and_narrow_without_ipython_is_plt_show(monkeypatch: Any) -> None:
    import sys

    shown = []
    monkeypatch.setitem(sys.modules, "IPython", None)
    monkeypatch.setattr(plt, "show", lambda: shown.append(True))
    fig = _two_panels()
    try:
        pl.show_wide_and_narrow(fig)
        assert shown == [True]
        assert _rows(*fig.axes[:2]) == [(0, 0), (0, 1)]  # left as it was
    finally:
        plt.close(fig)


# ---------------------------------------------------------------- colourbars


def _panel() -> tuple[Figure, Any]:
    fig = Figure()
    return fig, fig.add_subplot()


GRID = np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize(
    "draw",
    [
        lambda ax: ax.imshow(GRID),
        lambda ax: ax.pcolormesh(GRID, cmap="magma"),
        lambda ax: ax.contourf(GRID, levels=5),
        lambda ax: ax.scatter([0, 1, 2], [0, 1, 2], c=[0.0, 0.5, 1.0]),
        lambda ax: ax.contour(GRID, levels=4),  # lines coloured by level, unlabelled
        lambda ax: pl.plot_decision_boundary(
            ax, lambda P: P[:, 0], np.eye(2), np.array([0, 1]), grid=5
        ),
    ],
    ids=["imshow", "pcolormesh", "contourf", "scatter-c", "contour", "decision-boundary"],
)
def test_colour_that_encodes_a_value_needs_a_colourbar(draw: Any) -> None:
    fig, ax = _panel()
    mappable = draw(ax)
    mappable = ax.collections[0] if mappable is ax else mappable
    found = pl.colour_without_colourbar(fig)
    assert len(found) == 1 and found[0].startswith(f"{type(mappable).__name__} in axes 1")
    fig.colorbar(mappable, ax=ax)
    assert pl.colour_without_colourbar(fig) == []


@pytest.mark.parametrize(
    "draw",
    [
        lambda ax: ax.scatter([0, 1], [0, 1], color="black"),
        lambda ax: ax.contourf(GRID, levels=[0, 4, 8, 12], colors=["#0072B2", "#D55E00", "#eee"]),
        lambda ax: ax.contour(GRID, levels=[5], colors="black"),
        lambda ax: ax.clabel(ax.contour(GRID, levels=3)),
        lambda ax: ax.plot([0, 1], [1, 0]),
        lambda ax: ax.imshow(GRID).set_visible(False),
    ],
    ids=["one-colour", "class-regions", "one-line", "labelled-contours", "line", "hidden"],
)
def test_colour_that_encodes_no_value_needs_none(draw: Any) -> None:
    fig, ax = _panel()
    draw(ax)
    assert pl.colour_without_colourbar(fig) == []


def test_one_colourbar_serves_the_panels_on_its_scale_only() -> None:
    fig = Figure()
    axes = fig.subplots(1, 3)
    same = [ax.contourf(GRID + k, cmap="RdBu", norm=Normalize(0, 20)) for k, ax in enumerate(axes)]
    fig.colorbar(same[-1], ax=axes[:2])
    assert pl.colour_without_colourbar(fig) == []
    axes[2].imshow(GRID, cmap="RdBu")  # another range (0 to 11): not explained
    assert pl.colour_without_colourbar(fig) == ["AxesImage in axes 3 (''): RdBu over [0, 11]"]


def test_the_inline_png_lists_what_lacks_a_colourbar(ipython_shell: Any) -> None:
    from matplotlib_inline.backend_inline import configure_inline_support

    configure_inline_support(ipython_shell, "inline")
    pl.use_book_style()
    fig, (ax, ax2) = plt.subplots(1, 2)
    try:
        ax.set_title("map")
        ax.imshow(GRID)
        image = ax2.imshow(GRID, cmap="magma")
        fig.colorbar(image, ax=ax2)
        png = ipython_shell.display_formatter.format(fig)[0]["image/png"]
    finally:
        plt.close(fig)
    png = png if isinstance(png, str) else base64.b64encode(png).decode()
    assert _chunks(png)[pl.NO_COLOURBAR_KEY] == "AxesImage in axes 1 ('map'): viridis over [0, 11]"
    assert pl.RENDITION_KEY not in _chunks(png)  # shown once: no rendition


def test_a_colourbar_of_the_same_colours_over_the_same_values_serves_another_panel() -> None:
    """As in the neuron chapter: a surface's colourbar (0 to 1) serves the decision
    boundary drawn over 0.0001 to 1 with a colormap of the same colours, another name."""
    from matplotlib.colors import LinearSegmentedColormap

    colours = [pl.PALETTE[0], "white", pl.PALETTE[1]]
    fig = Figure()
    ax, ax2 = fig.subplots(1, 2)
    ax.contourf(GRID, cmap=LinearSegmentedColormap.from_list("a", colours),
                norm=Normalize(1e-4, 1))  # fmt: skip
    image = ax2.imshow(GRID, cmap=LinearSegmentedColormap.from_list("b", colours), vmin=0, vmax=1)
    fig.colorbar(image, ax=[ax, ax2])
    assert pl.colour_without_colourbar(fig) == []
    ax.contourf(GRID, cmap=LinearSegmentedColormap.from_list("a", colours),
                norm=Normalize(0.02, 1))  # fmt: skip
    assert pl.colour_without_colourbar(fig) == ["QuadContourSet in axes 1 (''): a over [0.02, 1]"]
    ax.contourf(GRID, cmap="RdBu", norm=Normalize(0, 1))
    assert len(pl.colour_without_colourbar(fig)) == 2  # other colours, same values


def test_panels_of_fixed_aspect_with_colourbars_settle_without_cutting(ipython_shell: Any) -> None:
    """As the neuron chapter's perceptron figure: a spanning panel over two square
    panels, each with a shrunk colourbar. Drawn once in its new shape, constrained
    layout leaves the tick labels 23 px past the left edge; here a second draw
    settles it. (The chapter's figure, run in its kernel, never settled: its y
    labels stayed 25 px out, until the layout's box was narrowed by that much.)"""
    from matplotlib.ticker import MaxNLocator

    pl.use_book_style()
    fig, axes = plt.subplot_mosaic(
        [["epochs", "epochs"], ["AND", "OR"]], figsize=(7, 6.4), height_ratios=[1, 1.3]
    )
    axes["epochs"].plot([1, 2, 3], label="AND")
    axes["epochs"].legend(loc="center right")
    axes["epochs"].set(xlabel="epoch", ylabel="mistakes", yticks=range(5))
    X, y = np.array([[0, 0], [0, 1], [1, 0], [1, 1.0]]), np.array([0, 0, 0, 1])
    for name in ("AND", "OR"):
        ax = axes[name]
        pl.plot_decision_boundary(
            ax, lambda P: P.sum(axis=1) - 1.5, X, y, threshold=0.0, margin=0.3
        )
        ax.set(title=f"{name}\nw = (1, 1), b = -1.5", aspect="equal", xlabel="$x_1$")
        fig.colorbar(ax.collections[0], ax=ax, shrink=0.8, ticks=MaxNLocator(5), label="w·x + b")
    try:
        _, narrow = pl.wide_and_narrow_pngs(fig)
        assert pl._outside_canvas(fig) == ""
    finally:
        plt.close(fig)
    assert _size(narrow)[0] == 484


def test_a_layout_that_does_not_settle_is_narrowed_by_its_overhang(ipython_shell: Any) -> None:
    """A y label that constrained layout leaves past the left edge (set by hand
    here, 0.4 in to the left of where it would go) is brought in by narrowing the
    layout's box."""
    pl.use_book_style()
    fig, (ax, _) = plt.subplots(1, 2, figsize=(7, 3))
    ax.set_ylabel("a label")
    ax.yaxis.set_label_coords(-0.6, 0.5)  # fixed in axes coordinates: the layout ignores it
    try:
        pl.wide_and_narrow_pngs(fig)
        assert pl._outside_canvas(fig) == ""
        assert fig.get_layout_engine().get()["rect"][0] > 0  # the box was narrowed on the left
    finally:
        plt.close(fig)
