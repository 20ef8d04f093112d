"""The book's one figure style and its shared figure helpers.

The helpers draw; they do not compute what they draw. Each takes matplotlib
``Axes`` made by the caller (``fig, ax = plt.subplots()``), draws on them with
the object API and returns them. Nothing is saved: myst-nb shows figures
inline. Drawings of computational graphs are in :mod:`nnbook.book.graph_drawing`.

Call :func:`use_book_style` once at the top of a chapter. It sets opaque white
backgrounds, so a figure stays legible in the site's light and dark themes,
the Okabe–Ito colour-blind-safe palette, readable font sizes and fixed
resolutions and SVG hash salt, so that two builds draw the same pixels.

A figure of panels side by side ends with :func:`show_wide_and_narrow` instead
of ``plt.show()``: phones get the panels stacked in one column. Every figure's
PNG says whether colour encodes a value that no colourbar explains
(:func:`colour_without_colourbar`); the site's tests fail if one does.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from cycler import cycler

from nnbook._util import check_int, check_nonnegative

# matplotlib (about 0.8 s to import) is imported by the functions that draw, so
# that importing this module, as Sphinx's viewcode does on every build, stays cheap.
if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "NARROW_MEDIA",
    "NARROW_WIDTH",
    "PALETTE",
    "STYLE",
    "colour_without_colourbar",
    "plot_curves",
    "plot_decision_boundary",
    "plot_function_and_derivative",
    "plot_layer_histograms",
    "show_wide_and_narrow",
    "stack_panels",
    "use_book_style",
    "wide_and_narrow_pngs",
]

#: The eight colours of Okabe and Ito's Color Universal Design (2008), which stay
#: distinct under the common colour-vision deficiencies. Ordered for white
#: backgrounds: the pale yellow, which is hard to see on white, comes last.
PALETTE: list[str] = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
]

# Markers per class, so classes differ by shape as well as colour (grey-scale prints).
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

_INK = "#222222"

#: The rcParams of the book. Colours of text, ticks and spines are set
#: explicitly so that a reader's own matplotlibrc (say a dark style) cannot
#: leave dark-on-dark text on the white background.
STYLE: dict[str, Any] = {
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.transparent": False,
    "axes.prop_cycle": cycler(color=PALETTE),
    "image.cmap": "viridis",
    "font.size": 11.0,
    "axes.titlesize": 12.0,
    "axes.labelsize": 11.0,
    "xtick.labelsize": 10.0,
    "ytick.labelsize": 10.0,
    "legend.fontsize": 10.0,
    "text.color": _INK,
    "axes.labelcolor": _INK,
    "axes.edgecolor": _INK,
    "xtick.color": _INK,
    "ytick.color": _INK,
    "figure.dpi": 110.0,
    "savefig.dpi": 110.0,
    "svg.hashsalt": "nnbook",
    "figure.figsize": [6.0, 3.6],
    "figure.constrained_layout.use": True,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.8,
    "legend.frameon": False,
}


def use_book_style() -> None:
    """Apply :data:`STYLE` to matplotlib's rcParams and, in Jupyter, show
    figures at their full size (idempotent).

    Affects the figures created afterwards. To apply the style only inside a
    block, use ``with matplotlib.rc_context(STYLE): ...`` instead.

    Jupyter's inline backend crops each figure to what is drawn on it
    (``bbox_inches="tight"``), which draws the figure twice: once to measure,
    once to save. The book's figures are laid out by constrained layout, which
    already fits everything inside the canvas with a small margin, so under the
    inline backend they are shown as laid out instead: exactly ``figsize``,
    drawn once. Each PNG the inline backend makes from then on says, in text
    chunks, how small its smallest text is (``figure_texts``): the browser
    tests read it to check that every figure is legible at the size the page
    shows it.

    Examples
    --------
    >>> import matplotlib
    >>> with matplotlib.rc_context():
    ...     use_book_style()
    ...     use_book_style()
    ...     print(matplotlib.rcParams["figure.dpi"], matplotlib.rcParams["axes.spines.top"])
    110.0 False
    """
    # RcParams is typed with literal keys; STYLE's keys are checked by matplotlib at run time.
    import matplotlib as mpl

    params: Any = mpl.rcParams
    params.update(STYLE)
    ipython = sys.modules.get("IPython")  # only if already imported: IPython is no dependency
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        # The inline backend's settings, which it reads when it starts (the first figure
        # of a kernel) and which apply at once if it has started; matplotlib-inline
        # comes with IPython.
        from matplotlib_inline.config import InlineBackend

        config: Any = InlineBackend.instance(parent=shell)
        config.print_figure_kwargs = {**config.print_figure_kwargs, "bbox_inches": None}
        # Importing the backend starts it if it is the kernel's (ipykernel names it in
        # MPLBACKEND): its figure formatter is set now, and the book's replaces it for good.
        import matplotlib_inline.backend_inline  # noqa: F401
        from matplotlib.figure import Figure

        formatter = shell.display_formatter.formatters["image/png"]
        formatter.for_type(Figure, _png_with_text_size)


#: The PNG text chunks that say how small a figure's text is (read by the
#: browser tests): the smallest font size in points of any text drawn on it, the
#: text that has it, and the figure's resolution in dots per inch. At a display
#: width of w CSS pixels for a PNG n pixels wide, text of s points is
#: s / 72 * dpi * w / n CSS pixels tall (its em size).
TEXT_SIZE_KEY = "nnbook:smallest-text-pt"
TEXT_WHAT_KEY = "nnbook:smallest-text"
DPI_KEY = "nnbook:dpi"
#: The PNG text chunk that lists the artists whose colour encodes a value but
#: that no colourbar explains (empty when there are none; see
#: :func:`colour_without_colourbar`): tests/test_site_pages.py fails on any.
NO_COLOURBAR_KEY = "nnbook:colour-without-colourbar"
#: The PNG text chunk that says which rendition of a figure a PNG is, "wide" or
#: "narrow" (:func:`show_wide_and_narrow`); figures shown once have none.
RENDITION_KEY = "nnbook:rendition"


def figure_texts(fig: Any) -> list[tuple[float, str]]:
    """The font size in points and a description of every text a figure draws.

    Walks the figure's artists (axes, colourbars, legends, titles, tick labels,
    annotations, tables), leaving out empty texts, invisible artists and what
    they hold, and the axis decorations of axes whose axis is off.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = fig.add_subplot()
    >>> _ = ax.set_xlabel("x", fontsize=12); _ = ax.text(0, 0, "note", fontsize=7)
    >>> sorted(figure_texts(fig))
    [(7.0, "text 'note'"), (12.0, "axis text 'x'")]

    Tick labels are texts once the figure is drawn (by a canvas that draws:
    pyplot's, or matplotlib's Agg canvas).
    """
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis, Tick
    from matplotlib.legend import Legend
    from matplotlib.spines import Spine
    from matplotlib.text import Text

    found: list[tuple[float, str]] = []

    def walk(artist: Any, role: str) -> None:
        if not artist.get_visible():
            return
        if isinstance(artist, Text) and artist.get_text().strip():
            name = role or type(artist).__name__.lower()
            found.append((float(artist.get_fontsize()), f"{name} {artist.get_text()[:40]!r}"))
        axis_off = isinstance(artist, Axes) and not artist.axison
        for child in artist.get_children():
            if axis_off and isinstance(child, Axis | Spine):
                continue
            inner = (
                "tick label"
                if isinstance(artist, Tick)
                else "legend text"
                if isinstance(artist, Legend)
                else "axis text"
                if isinstance(artist, Axis)
                else role
            )
            walk(child, inner)

    walk(fig, "")
    return found


def _png_with_text_size(fig: Any, rendition: str = "") -> str | None:
    """The inline backend's PNG of ``fig`` (base64, as laid out: no cropping),
    with the size of its smallest text in PNG text chunks, and the colours that
    encode a value without a colourbar (:func:`colour_without_colourbar`).

    Tick labels get their text when the figure is drawn, so the texts are read
    at the end of the draw (matplotlib's draw event), which comes before the
    PNG is written with the chunks: the figure is drawn once. ``rendition``
    ("wide" or "narrow", see :func:`show_wide_and_narrow`) goes into a chunk
    of its own when given."""
    from IPython.core.pylabtools import print_figure

    chunks: dict[str, str] = {RENDITION_KEY: rendition} if rendition else {}

    def read_texts(_event: Any) -> None:
        texts = figure_texts(fig)
        size, what = min(texts) if texts else (0.0, "no text")
        chunks.update({TEXT_SIZE_KEY: f"{size:g}", TEXT_WHAT_KEY: what, DPI_KEY: f"{fig.dpi:g}"})
        chunks[NO_COLOURBAR_KEY] = "; ".join(colour_without_colourbar(fig))

    drawn = fig.canvas.mpl_connect("draw_event", read_texts)
    try:
        return print_figure(fig, "png", base64=True, bbox_inches=None, metadata=chunks)
    finally:
        fig.canvas.mpl_disconnect(drawn)


def png_text_size(png: bytes) -> tuple[float, str, float] | None:
    """The smallest text size in points, its description and the dpi that
    :func:`use_book_style`'s figures carry in their PNG; None if they don't.

    Examples
    --------
    >>> png_text_size(b"not a png") is None
    True
    """
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(png)) as image:
            image.load()
            chunks = dict(getattr(image, "text", {}))
    except UnidentifiedImageError:
        return None
    if not {TEXT_SIZE_KEY, TEXT_WHAT_KEY, DPI_KEY} <= chunks.keys():
        return None
    return float(chunks[TEXT_SIZE_KEY]), chunks[TEXT_WHAT_KEY], float(chunks[DPI_KEY])


# --------------------------------------------------------------------------- colourbars


def colour_without_colourbar(fig: Any) -> list[str]:
    """The artists of ``fig`` whose colour encodes a value that no colourbar explains.

    An artist encodes a value when it maps an array through a colormap (a
    ScalarMappable with an array: ``imshow``, ``pcolormesh``, ``contourf``,
    ``scatter(c=...)``, a surface with ``cmap``), unless its colours were given
    outright (``contourf(..., colors=[...])``: regions of classes) or it is a
    contour whose levels are labelled on the lines (``clabel``). It is explained
    when the figure has a colourbar of the same colours over the same values
    (to 1 % of its range; one colourbar may serve several panels drawn on one
    scale, and two colormaps of the same colours are the same scale).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> left, right = fig.subplots(1, 2)
    >>> image = left.imshow(np.arange(4.0).reshape(2, 2))
    >>> _ = right.scatter([0, 1], [0, 1], color="black")  # one colour: no value
    >>> colour_without_colourbar(fig)
    ["AxesImage in axes 1 (''): viridis over [0, 3]"]
    >>> _ = fig.colorbar(image, ax=left)
    >>> colour_without_colourbar(fig)
    []
    """
    from matplotlib.contour import ContourSet

    bars = [ax._colorbar for ax in fig.axes if getattr(ax, "_colorbar", None) is not None]
    bar_axes = {bar.ax for bar in bars}
    samples = np.linspace(0.0, 1.0, 64)

    def scale(mappable: Any) -> tuple[np.ndarray, type, float, float]:
        norm = mappable.norm
        return mappable.cmap(samples), type(norm), float(norm.vmin), float(norm.vmax)

    def same(one: tuple, other: tuple) -> bool:
        """The same colours (to a level of 8 bits) over the same values (to 1 % of the range)."""
        colours, kind, lo, hi = one
        bar_colours, bar_kind, bar_lo, bar_hi = other
        tolerance = 0.01 * abs(bar_hi - bar_lo)
        return (
            kind is bar_kind
            and np.allclose(colours, bar_colours, atol=1 / 255)
            and abs(lo - bar_lo) <= tolerance
            and abs(hi - bar_hi) <= tolerance
        )

    explained = [scale(bar.mappable) for bar in bars]
    found = []
    panels = [ax for ax in fig.axes if ax not in bar_axes]
    for number, ax in enumerate(panels, 1):
        for artist in [*ax.images, *ax.collections]:
            if not artist.get_visible() or artist.get_array() is None:
                continue
            if isinstance(artist, ContourSet) and (
                artist.colors is not None or (not artist.filled and artist.labelTexts)
            ):
                continue
            own = scale(artist)
            if any(same(own, bar) for bar in explained):
                continue
            name, lo, hi = artist.cmap.name, own[2], own[3]
            found.append(
                f"{type(artist).__name__} in axes {number} ({ax.get_title()!r}): "
                f"{name} over [{lo:.3g}, {hi:.3g}]"
            )
    return found


# --------------------------------------------------------------------------- wide and narrow

#: The width in inches of a figure's narrow rendition (:func:`show_wide_and_narrow`),
#: 484 px at the book's 110 dpi. Shown about 360 px wide on a phone, it keeps the
#: book's 10 pt ticks at about 11 px.
NARROW_WIDTH = 4.4
#: The screens that get the narrow rendition, those of a phone (as for nnbook.css's
#: phone layouts). Not in print, where the PDF shows the wide one.
NARROW_MEDIA = "screen and (max-width: 40em)"


def stack_panels(fig: Any, *, width: float = NARROW_WIDTH, order: str = "rows") -> Any:
    """Lay the panels of ``fig`` out in one column, ``width`` inches wide, in place.

    The panels are the axes on the figure's grid (``plt.subplots``,
    ``plt.subplot_mosaic``); an axes twinned with a panel moves with it, and
    colourbars, legends and titles follow their axes (constrained layout). The
    panels come in reading order: row by row (``order="rows"``) or column by
    column (``"columns"``). Each keeps the shape of its cell in the grid,
    scaled to the new width; the figure's height is their sum. Tick labels that
    a shared y axis hid beside the first column are shown again: each panel now
    stands at the left. Nothing is redrawn or recomputed: the artists are the
    same, only their places change.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(7, 3), layout="constrained")
    >>> left, right = fig.subplots(1, 2)
    >>> fig = stack_panels(fig, width=4)
    >>> fig.get_size_inches().round(3).tolist()
    [4.0, 6.857]
    >>> [ax.get_subplotspec().rowspan for ax in (left, right)]
    [range(0, 1), range(1, 2)]
    """
    func = "stack_panels"
    if order not in ("rows", "columns"):
        raise ValueError(f"{func}: argument 'order' must be 'rows' or 'columns', got {order!r}")
    width = check_nonnegative(width, func, "width")
    groups: dict[tuple[int, int, int, int], list[Any]] = {}
    grids = []
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is None:  # a colourbar or an inset: it follows its axes
            continue
        if spec.get_gridspec() not in grids:
            grids.append(spec.get_gridspec())
        rows, cols = spec.rowspan, spec.colspan
        groups.setdefault((rows.start, rows.stop, cols.start, cols.stop), []).append(ax)
    if len(grids) != 1:
        raise ValueError(
            f"{func}: the figure's panels must lie on one grid (plt.subplots or "
            f"plt.subplot_mosaic), found {len(grids)} grids"
        )
    grid = grids[0]
    nrows, ncols = grid.get_geometry()
    if ncols == 1:
        raise ValueError(f"{func}: the panels are in one column already")
    widths = np.asarray(grid.get_width_ratios() or [1.0] * ncols, dtype=np.float64)
    heights = np.asarray(grid.get_height_ratios() or [1.0] * nrows, dtype=np.float64)
    fig_w, fig_h = (float(v) for v in fig.get_size_inches())
    first = (lambda k: (k[0], k[2])) if order == "rows" else (lambda k: (k[2], k[0]))
    keys = sorted(groups, key=first)
    tall = [
        fig_h * heights[r0:r1].sum() / heights.sum() * width
        / (fig_w * widths[c0:c1].sum() / widths.sum())
        for r0, r1, c0, c1 in keys
    ]  # fmt: skip
    column = fig.add_gridspec(len(keys), 1, height_ratios=tall)
    for i, key in enumerate(keys):
        for ax in groups[key]:
            ax.set_subplotspec(column[i, 0])
            if key[2] > 0 and len(ax.get_shared_y_axes().get_siblings(ax)) > 1:
                ax.yaxis.set_tick_params(which="both", labelleft=True)
    fig.set_size_inches(width, float(sum(tall)))
    return fig


def wide_and_narrow_pngs(
    fig: Any, *, width: float = NARROW_WIDTH, order: str = "rows"
) -> tuple[str, str]:
    """The PNGs (base64, with the book's text chunks) of ``fig`` as laid out and
    of its panels stacked in one column (:func:`stack_panels`), in that order.

    The narrow one fails if anything drawn sticks out of its canvas, a figure
    legend too wide for one column excepted: it is set in one column of entries
    first."""
    wide = _png_with_text_size(fig, "wide")
    stack_panels(fig, width=width, order=order)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for legend in fig.legends:
        if legend._ncols > 1 and legend.get_window_extent(renderer).width > fig.bbox.width:
            _one_column(legend)
    _settle(fig)
    narrow = _png_with_text_size(fig, "narrow")
    outside = _outside_canvas(fig)
    if outside:
        raise ValueError(f"wide_and_narrow_pngs: in the narrow rendition, {outside}")
    if wide is None or narrow is None:  # print_figure gives None for an empty figure only
        raise ValueError("wide_and_narrow_pngs: the figure draws nothing")
    return wide, narrow


def _one_column(legend: Any) -> None:
    """Set a legend's entries in one column, in their order. Legend.set_ncols only
    takes effect in a legend made afterwards: the entries already packed are
    packed again, as Legend._init_legend_box packs them (matplotlib 3.11)."""
    from matplotlib.offsetbox import VPacker

    items = [
        item
        for column in legend._legend_handle_box.get_children()
        for item in column.get_children()
    ]
    legend._legend_handle_box._children = [
        VPacker(pad=0, sep=legend.labelspacing * legend._fontsize, align="baseline", children=items)
    ]
    legend._ncols = 1


def _settle(fig: Any) -> None:
    """Draw ``fig`` until what it draws lies on its canvas, at most four times.

    Constrained layout starts from the wide layout's margins and settles in the
    new shape over a draw or two. Some figures it leaves overhanging for good: in
    the neuron chapter's perceptron figure (square panels with shrunk colourbars
    under a spanning one), the square panels' y labels stay 25 px past the left
    edge. Then the layout's box (its ``rect``) is narrowed by the overhang on
    each side, and the figure drawn again, down to 80 % of the figure's width
    and height. A figure legend wider than the figure is set in one column of
    entries first (by the caller)."""
    engine = fig.get_layout_engine()
    for _ in range(4):
        fig.canvas.draw()
        over = _overhang(fig)
        if not over:
            return
        if engine is None or "rect" not in engine.get():
            continue
        width, height = (float(v) for v in fig.get_size_inches())
        x0, y0, w, h = engine.get()["rect"]
        left, right = over.get("left", 0.0) / width, over.get("right", 0.0) / width
        bottom, top = over.get("bottom", 0.0) / height, over.get("top", 0.0) / height
        if w - left - right < 0.8 or h - bottom - top < 0.8:
            return  # what sticks out does not follow the layout (a figure text): it fails
        engine.set(rect=(x0 + left, y0 + bottom, w - left - right, h - bottom - top))


def _overhang(fig: Any) -> dict[str, float]:
    """How far, in inches, what ``fig`` drew last sticks out of each side of its
    canvas, for the sides where it is more than a pixel and a half."""
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    width, height = (float(v) for v in fig.get_size_inches())
    over = {"left": -box.x0, "bottom": -box.y0, "right": box.x1 - width, "top": box.y1 - height}
    return {side: inches for side, inches in over.items() if inches > 1.5 / fig.dpi}


def _outside_canvas(fig: Any) -> str:
    """How far what is drawn on ``fig`` (as last drawn) sticks out of its canvas, or ""."""
    return ", ".join(
        f"{inches * fig.dpi:.0f} px stick out at the {side}"
        for side, inches in _overhang(fig).items()
    )


def show_wide_and_narrow(
    fig: Any = None, *, width: float = NARROW_WIDTH, order: str = "rows"
) -> None:
    """Show a multi-panel figure as laid out, and, on a phone, with its panels
    stacked in one column: use it instead of ``plt.show()``.

    In Jupyter the cell shows one figure, the wide rendition; the narrow one
    (:func:`wide_and_narrow_pngs`) travels in the output's metadata
    (``{"nnbook": {"narrow": {"image/png": ..., "media": ...}}}``). The book's build (conf/
    nbhooks.py) makes the pair one ``<picture>``: a phone's browser (screens up
    to 40em wide, :data:`NARROW_MEDIA`) fetches and shows the narrow PNG, any
    other screen and the PDF the wide one, and the figure's alt text serves
    both: so it must not say where panels are ("left", "right"), only what each
    shows. The figure is closed, so that the inline backend does not show it
    again. Without IPython, it does what ``plt.show()`` does."""
    import matplotlib.pyplot as plt

    fig = plt.gcf() if fig is None else fig
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        plt.show()
        return
    from IPython.display import display

    wide, narrow = wide_and_narrow_pngs(fig, width=width, order=order)
    plt.close(fig)
    bundle = {"image/png": wide, "text/plain": f"<Figure with {len(fig.axes)} Axes>"}
    metadata = {"nnbook": {"narrow": {"image/png": narrow, "media": NARROW_MEDIA}}}
    display(bundle, raw=True, metadata=metadata)


# --------------------------------------------------------------------------- checks


def _as_1d(values: Any, func: str, arg: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{func}: argument '{arg}' must be a numeric array: {exc}") from exc
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{func}: argument '{arg}' must be a non-empty 1-D array, got {arr.shape}")
    return arr


def _check_axes_pair(axes: Any, func: str) -> tuple[Axes, Axes]:
    from matplotlib.axes import Axes

    seq = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(seq) != 2 or not all(isinstance(a, Axes) for a in seq):
        raise TypeError(f"{func}: argument 'axes' must be two matplotlib Axes, got {axes!r}")
    return seq[0], seq[1]


# --------------------------------------------------------------------------- curves


def plot_curves(
    ax: Axes,
    curves: Mapping[str, Any],
    *,
    xlabel: str = "step",
    ylabel: str = "loss",
    logy: bool = False,
    logx: bool = False,
) -> Axes:
    """Draw loss or metric curves, one line per entry, with a legend.

    A value is either y, drawn against the steps 0, 1, ..., len(y) − 1, or a
    pair ``(x, y)`` for curves recorded at other points (every k steps, or
    against the learning rate in a range test). Non-finite values (a
    diverging run) are left out of the line rather than refused.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    curves : mapping of str to array or (x, y) pair
        Label of each curve and its values.
    xlabel, ylabel : str
        Axis labels.
    logy, logx : bool, default False
        Logarithmic axes (losses spanning decades, learning rates).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with one line per curve.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> ax = plot_curves(ax, {"η = 0.1": [1.0, 0.5, 0.25], "η = 1": [1.0, 0.9]}, logy=True)
    >>> len(ax.lines), ax.get_yscale()
    (2, 'log')
    """
    func = "plot_curves"
    if not isinstance(curves, Mapping) or len(curves) == 0:
        raise TypeError(f"{func}: argument 'curves' must be a non-empty dict of label -> values")
    for label, value in curves.items():
        if isinstance(value, tuple) and len(value) == 2:
            x = _as_1d(value[0], func, f"curves[{label!r}][0]")
            y = _as_1d(value[1], func, f"curves[{label!r}][1]")
            if x.shape != y.shape:
                raise ValueError(
                    f"{func}: curve {label!r} has x of shape {x.shape} but y of shape {y.shape}"
                )
        else:
            y = _as_1d(value, func, f"curves[{label!r}]")
            x = np.arange(y.size)
        ax.plot(x, y, label=str(label))
    if logy:
        ax.set_yscale("log")
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax


def plot_function_and_derivative(
    axes: Any,
    x: Any,
    funcs: Mapping[str, tuple[Any, Any]],
    *,
    xlabel: str = "x",
    titles: tuple[str, str] = ("function", "derivative"),
) -> tuple[Axes, Axes]:
    """Draw functions on the left axes and their derivatives on the right.

    Used for activations (σ, tanh, ReLU, ...) and for losses against the
    residual. The values are precomputed by the caller: plotting draws, it
    does not evaluate. Each function keeps its colour on both sides.

    Parameters
    ----------
    axes : pair of matplotlib.axes.Axes
        Left (values) and right (derivatives), e.g. from ``plt.subplots(1, 2)``.
    x : array_like, shape (m,)
        The common abscissa.
    funcs : mapping of str to (f(x), f'(x))
        Label and the two arrays of shape (m,).
    xlabel : str, default "x"
    titles : (str, str), default ("function", "derivative")

    Returns
    -------
    (Axes, Axes)
        The left and right axes, each with one line per function.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> axes = Figure().subplots(1, 2)
    >>> z = np.linspace(-4, 4, 81)
    >>> s = 1 / (1 + np.exp(-z))
    >>> left, right = plot_function_and_derivative(axes, z, {"sigmoid": (s, s * (1 - s))})
    >>> len(left.lines), len(right.lines), round(float(max(right.lines[0].get_ydata())), 2)
    (1, 1, 0.25)
    """
    func = "plot_function_and_derivative"
    left, right = _check_axes_pair(axes, func)
    xs = _as_1d(x, func, "x")
    if not isinstance(funcs, Mapping) or len(funcs) == 0:
        raise TypeError(f"{func}: argument 'funcs' must be a non-empty dict of label -> (f, df)")
    for i, (label, pair) in enumerate(funcs.items()):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"{func}: funcs[{label!r}] must be a pair (f(x), f'(x))")
        f = _as_1d(pair[0], func, f"funcs[{label!r}][0]")
        df = _as_1d(pair[1], func, f"funcs[{label!r}][1]")
        if f.shape != xs.shape or df.shape != xs.shape:
            raise ValueError(
                f"{func}: funcs[{label!r}] arrays must match x of shape {xs.shape}, "
                f"got {f.shape} and {df.shape}"
            )
        color = PALETTE[i % len(PALETTE)]
        left.plot(xs, f, color=color, label=str(label))
        right.plot(xs, df, color=color, label=str(label))
    for ax, title in zip((left, right), titles, strict=True):
        ax.set_xlabel(xlabel)
        ax.set_title(title)
    left.legend()
    return left, right


# --------------------------------------------------------------------------- histograms


def plot_layer_histograms(
    axes: Axes | Sequence[Axes] | np.ndarray,
    activations: Sequence[Any],
    *,
    bins: int | Sequence[float] = 50,
    labels: Sequence[str] | None = None,
    density: bool = True,
    xlabel: str = "activation value",
    title: str | None = None,
) -> Axes | list[Axes]:
    """One histogram per layer, in the style of Glorot & Bengio (2010), figures 6 to 8.

    With a single ``Axes`` the layers are overlaid as step histograms,
    coloured from dark (first layer) to light (last layer) along the
    colour-blind-safe viridis map, with the legend "layer 1", "layer 2", ....
    With as many ``Axes`` as layers, each layer gets its own axes (small
    multiples). All layers share the same bin edges, so their widths compare.

    Parameters
    ----------
    axes : Axes, or a sequence of Axes with one per layer
    activations : sequence of array_like
        The values of each layer (any shape; flattened), finite.
    bins : int or sequence of float, default 50
        Number of shared bins over the range of all layers, or the edges.
    labels : sequence of str, optional
        Legend labels, default "layer k" for k = 1, 2, ....
    density : bool, default True
        Normalise each histogram to unit area (as in the paper) or show counts.
    xlabel : str, default "activation value"
    title : str, optional
        Title of the axes (figure title for small multiples).

    Returns
    -------
    Axes or list of Axes
        What was passed in, one histogram patch per layer.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> acts = [np.tanh(np.linspace(-k, k, 200)) for k in (1, 2, 3)]
    >>> ax = plot_layer_histograms(ax, acts, bins=20)
    >>> len(ax.patches), [t.get_text() for t in ax.get_legend().get_texts()]
    (3, ['layer 1', 'layer 2', 'layer 3'])
    """
    func = "plot_layer_histograms"
    if len(activations) == 0:
        raise ValueError(f"{func}: argument 'activations' must hold at least one layer")
    arrays = []
    for k, a in enumerate(activations):
        arr = np.asarray(a, dtype=np.float64).ravel()
        if arr.size == 0:
            raise ValueError(f"{func}: activations[{k}] is empty")
        if not np.all(np.isfinite(arr)):
            raise ValueError(
                f"{func}: activations[{k}] holds non-finite values (overflow upstream?)"
            )
        arrays.append(arr)
    n = len(arrays)
    names = [f"layer {k + 1}" for k in range(n)] if labels is None else [str(s) for s in labels]
    if len(names) != n:
        raise ValueError(f"{func}: argument 'labels' has {len(names)} entries for {n} layers")
    edges = np.histogram_bin_edges(np.concatenate(arrays), bins=bins).tolist()
    # Stop at 0.85: viridis' last yellows vanish on white.
    import matplotlib as mpl
    from matplotlib.axes import Axes

    colors = mpl.colormaps["viridis"](np.linspace(0.0, 0.85, n))
    ylabel = "density" if density else "count"

    if isinstance(axes, Axes):
        for arr, name, color in zip(arrays, names, colors, strict=True):
            axes.hist(arr, bins=edges, density=density, histtype="step", color=color, label=name)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.legend()
        if title is not None:
            axes.set_title(title)
        return axes

    many = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(many) != n or not all(isinstance(a, Axes) for a in many):
        raise TypeError(
            f"{func}: argument 'axes' must be one Axes or {n} Axes (one per layer), "
            f"got {len(many)} objects"
        )
    for ax, arr, name, color in zip(many, arrays, names, colors, strict=True):
        ax.hist(arr, bins=edges, density=density, histtype="stepfilled", color=color, alpha=0.8)
        ax.set_title(name)
        ax.set_ylabel(ylabel)
    many[-1].set_xlabel(xlabel)
    if title is not None:
        fig = many[0].get_figure()
        if fig is not None:
            fig.suptitle(title)
    return many


# --------------------------------------------------------------------------- decision boundary


def _predict_array(predict: Callable[[np.ndarray], Any], points: np.ndarray) -> np.ndarray:
    out = predict(points)
    # An nnbook Tensor carries its values in .data; an ndarray's .data is a buffer.
    if not isinstance(out, np.ndarray) and isinstance(getattr(out, "data", None), np.ndarray):
        out = out.data
    return np.asarray(out, dtype=np.float64)


def plot_decision_boundary(
    ax: Axes,
    predict: Callable[[np.ndarray], Any],
    X: Any,
    y: Any,
    *,
    grid: int = 200,
    levels: int | Sequence[float] = 20,
    threshold: float | None = 0.5,
    margin: float = 0.1,
) -> Axes:
    """Draw a classifier's output over the plane, its decision line and the data.

    ``predict`` is evaluated once on a ``grid × grid`` mesh covering the data
    (plus ``margin`` times its range on each side). What is drawn depends on
    what it returns:

    - shape (m,) or (m, 1), a score per point (a probability or a logit):
      filled contours coloured from the class-0 colour through white at
      ``threshold`` to the class-1 colour, and the black line score =
      ``threshold`` (0.5 for probabilities, use 0 for logits) when the score
      crosses it;
    - shape (m, k), one score per class: the region of the arg-max class,
      shaded in that class's colour.

    The points are drawn on top, class c in ``PALETTE[c]`` with its own marker.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    predict : callable
        Maps an (m, 2) float64 array to scores (an ndarray, or a Tensor whose
        ``.data`` is used).
    X : array_like, shape (n, 2)
        The data points.
    y : array_like, shape (n,)
        Class labels, non-negative integers (0/1 floats are fine).
    grid : int, default 200
        Mesh points per axis, at least 2.
    levels : int or sequence of float, default 20
        Number of filled bands, or their edges (binary scores only).
    threshold : float or None, default 0.5
        Score of the decision line; None draws no line.
    margin : float, default 0.1
        Padding around the data, as a fraction of its range.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``: the filled contours, the line and one scatter per class.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    >>> y = np.array([0, 1, 1, 0])
    >>> ax = plot_decision_boundary(ax, lambda P: 1 / (1 + np.exp(-4 * (P[:, 1] - 0.5))), X, y)
    >>> len(ax.collections)  # filled contours, decision line, two classes of points
    4
    """
    func = "plot_decision_boundary"
    if not callable(predict):
        raise TypeError(
            f"{func}: argument 'predict' must be callable, got {type(predict).__name__}"
        )
    try:
        pts = np.asarray(X, dtype=np.float64)
        labels = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{func}: arguments 'X' and 'y' must be numeric arrays: {exc}") from exc
    if pts.ndim != 2 or pts.shape[1] != 2 or pts.shape[0] == 0:
        raise ValueError(f"{func}: argument 'X' must have shape (n, 2), got {pts.shape}")
    if not np.all(np.isfinite(pts)):
        raise ValueError(f"{func}: argument 'X' must be finite")
    if labels.shape != (pts.shape[0],):
        raise ValueError(
            f"{func}: argument 'y' must have shape ({pts.shape[0]},) to match X, got {labels.shape}"
        )
    if not np.all((labels >= 0) & (labels == np.round(labels))):
        raise ValueError(f"{func}: argument 'y' must hold class labels 0, 1, 2, ...")
    grid = check_int(grid, func, "grid", 2)
    if isinstance(levels, (bool, int, np.integer)) and (isinstance(levels, bool) or levels < 1):
        raise ValueError(
            f"{func}: argument 'levels' must be an int >= 1 or bin edges, got {levels!r}"
        )

    margin = check_nonnegative(margin, func, "margin")

    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = np.where(hi > lo, margin * (hi - lo), 0.5)
    g0, g1 = np.meshgrid(
        np.linspace(lo[0] - pad[0], hi[0] + pad[0], grid),
        np.linspace(lo[1] - pad[1], hi[1] + pad[1], grid),
    )
    mesh = np.column_stack([g0.ravel(), g1.ravel()])
    out = _predict_array(predict, mesh)
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    if out.shape[0:1] != (mesh.shape[0],) or out.ndim not in (1, 2):
        raise ValueError(
            f"{func}: 'predict' must return shape (m,), (m, 1) or (m, k) for the "
            f"m = {mesh.shape[0]} mesh points, got {out.shape}"
        )
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{func}: 'predict' returned non-finite scores")

    if out.ndim == 1:
        _draw_binary_scores(ax, g0, g1, out.reshape(g0.shape), levels, threshold)
    else:
        k = out.shape[1]
        winner = out.argmax(axis=1).reshape(g0.shape)
        colors = [PALETTE[i % len(PALETTE)] for i in range(k)]
        ax.contourf(g0, g1, winner, levels=np.arange(k + 1) - 0.5, colors=colors, alpha=0.3)

    for c in np.unique(labels).astype(int):
        mask = labels == c
        ax.scatter(
            pts[mask, 0],
            pts[mask, 1],
            color=PALETTE[c % len(PALETTE)],
            marker=_MARKERS[c % len(_MARKERS)],
            edgecolors="black",
            linewidths=0.5,
            s=28,
            label=f"class {c}",
            zorder=3,
        )
    ax.grid(False)  # grid lines through the shaded regions read as boundaries
    ax.set_xlim(g0[0, 0], g0[0, -1])
    ax.set_ylim(g1[0, 0], g1[-1, 0])
    return ax


def _draw_binary_scores(
    ax: Axes,
    g0: np.ndarray,
    g1: np.ndarray,
    z: np.ndarray,
    levels: int | Sequence[float],
    threshold: float | None,
) -> None:
    zmin, zmax = float(z.min()), float(z.max())
    center = (zmin + zmax) / 2 if threshold is None else float(threshold)
    # Symmetric around the threshold, so white marks the boundary on any scale.
    half = max(zmax - center, center - zmin)
    if half == 0.0:  # a constant classifier (e.g. all-zero weights) still gets a colour
        half = 0.5
    if isinstance(levels, (int, np.integer)):
        # The bands span the threshold ± half; nudge the ends so zmin and zmax are inside.
        edges: Any = np.linspace(center - half, center + half, int(levels) + 1)
        edges[0] -= 1e-9 * half
        edges[-1] += 1e-9 * half
    else:
        edges = levels
    from matplotlib.colors import LinearSegmentedColormap, Normalize

    cmap = LinearSegmentedColormap.from_list("nnbook_binary", [PALETTE[0], "white", PALETTE[1]])
    ax.contourf(
        g0, g1, z, levels=edges, cmap=cmap, norm=Normalize(center - half, center + half), alpha=0.6
    )
    if threshold is not None and zmin < threshold < zmax:
        ax.contour(g0, g1, z, levels=[threshold], colors="black", linewidths=1.5)
