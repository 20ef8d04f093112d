"""The book's one figure style and its shared figure helpers.

The helpers draw; they do not compute what they draw. Each takes matplotlib
``Axes`` made by the caller (``fig, ax = plt.subplots()``), draws on them with
the object API and returns them. Nothing is saved: myst-nb shows figures
inline.

Call :func:`use_book_style` once at the top of a chapter. It sets opaque white
backgrounds, so a figure stays legible in the site's light and dark themes,
the Okabe–Ito colour-blind-safe palette, readable font sizes and fixed
resolutions and SVG hash salt, so that two builds draw the same pixels.
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
    from matplotlib.text import Text

__all__ = [
    "PALETTE",
    "STYLE",
    "draw_graph",
    "graph_nodes",
    "plot_curves",
    "plot_decision_boundary",
    "plot_function_and_derivative",
    "plot_layer_histograms",
    "use_book_style",
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
    drawn once.

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


# --------------------------------------------------------------------------- graphs

_OP_SYMBOLS = {
    "add": "+",
    "sub": "−",
    "mul": "×",
    "*": "×",
    "div": "÷",
    "/": "÷",
    "truediv": "÷",
    "neg": "−",
    "-": "−",
    "matmul": "@",
    "pow": "**",
    "maximum": "max",
}


def graph_nodes(root: Any) -> tuple[list[Any], list[int]]:
    """The nodes of a computational graph in topological order, with their depths.

    Walks ``.parents`` from ``root`` with an explicit stack (no recursion, so a
    graph 100,000 nodes deep works). Parents come before their children;
    ``root`` is last. The depth of a node is the length of the longest path
    from a leaf to it: 0 for leaves, 1 + the largest parent depth otherwise.
    A node reached by several paths is listed once (nodes are compared by
    identity).

    Parameters
    ----------
    root : Tensor
        Any object with a ``.parents`` tuple, such as ``nnbook.autograd.Tensor``.

    Returns
    -------
    nodes : list
        The nodes, each before every node computed from it.
    depths : list of int
        ``depths[i]`` is the depth of ``nodes[i]``.

    Examples
    --------
    >>> from types import SimpleNamespace as Node
    >>> x, y = Node(parents=(), name="x"), Node(parents=(), name="y")
    >>> q = Node(parents=(x, y), name="q")
    >>> f = Node(parents=(q, x), name="f")
    >>> nodes, depths = graph_nodes(f)
    >>> [n.name for n in nodes], depths
    (['x', 'y', 'q', 'f'], [0, 0, 1, 2])
    """
    order: list[Any] = []
    seen: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        # Reversed so the first parent is visited first: inputs keep their reading order.
        stack.extend((p, False) for p in reversed(tuple(node.parents)) if id(p) not in seen)
    depth: dict[int, int] = {}
    for node in order:
        depth[id(node)] = 1 + max((depth[id(p)] for p in node.parents), default=-1)
    return order, [depth[id(n)] for n in order]


def _format_values(values: Any, fmt: str) -> str:
    if values is None:
        return "None"
    arr = np.asarray(values)
    if arr.size == 1:
        return fmt.format(arr.item())
    if arr.ndim == 1 and arr.size <= 4:
        return "[" + ", ".join(fmt.format(v) for v in arr.tolist()) + "]"
    return f"shape {arr.shape}"


def _tensor_label(node: Any, show_grad: bool, fmt: str) -> str:
    lines = []
    name = getattr(node, "name", "")
    if name:
        lines.append(str(name))
    lines.append("value " + _format_values(node.data, fmt))
    if show_grad:
        lines.append("grad " + _format_values(node.grad, fmt))
    return "\n".join(lines)


def _box(ax: Axes, xy: tuple[float, float], text: str, style: str, color: str, size: float) -> Text:
    return ax.text(
        xy[0],
        xy[1],
        text,
        ha="center",
        va="center",
        fontsize=size,
        bbox={"boxstyle": style, "facecolor": "white", "edgecolor": color, "linewidth": 1.2},
        zorder=3,
    )


def _arrow(ax: Axes, start: Text, end: Text) -> None:
    # Clipping the arrow to both boxes makes it start and end on their edges.
    # The boxes are drawn first (same zorder, added earlier), so their sizes are current.
    ax.annotate(
        "",
        xy=end.get_position(),
        xytext=start.get_position(),
        arrowprops={
            "arrowstyle": "-|>",
            "color": "0.35",
            "linewidth": 1.0,
            "shrinkA": 0.0,
            "shrinkB": 0.0,
            "patchA": start.get_bbox_patch(),
            "patchB": end.get_bbox_patch(),
        },
        annotation_clip=False,
        zorder=3,
    )


def _edge_label(ax: Axes, start: Text, end: Text, text: str, size: float) -> None:
    # Halfway along the arrow, on a white patch so the line does not cross the digits.
    (x0, y0), (x1, y1) = start.get_position(), end.get_position()
    ax.text(
        (x0 + x1) / 2,
        (y0 + y1) / 2,
        text,
        ha="center",
        va="center",
        fontsize=size,
        color=PALETTE[1],
        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        zorder=4,
    )


def _layout(nodes: list[Any], depths: list[int]) -> dict[int, float]:
    """Vertical slot of each node: leaves stacked in order, others level with their inputs."""
    slot: dict[int, float] = {}
    by_depth: dict[int, list[Any]] = {}
    for node, d in zip(nodes, depths, strict=True):
        by_depth.setdefault(d, []).append(node)
    for d in sorted(by_depth):
        wanted = []
        for i, node in enumerate(by_depth[d]):
            ys = [slot[id(p)] for p in node.parents]
            wanted.append((float(np.mean(ys)) if ys else float(i), node))
        wanted.sort(key=lambda pair: pair[0])
        last = -np.inf
        for y, node in wanted:
            # Push down to keep one unit between neighbours in the same column.
            last = max(y, last + 1.0)
            slot[id(node)] = last
    return slot


def draw_graph(
    ax: Axes,
    root: Any,
    *,
    show_grad: bool = True,
    fmt: str = "{:.3g}",
    fontsize: float = 9.0,
    op_labels: Mapping[str, str] | None = None,
    edge_labels: Mapping[tuple[str, str], str] | None = None,
) -> Axes:
    """Draw the computational graph that produced ``root``, with values and gradients.

    Tensors are rounded boxes (name, value, and gradient if ``show_grad``),
    operations are circles; arrows run from the inputs to the operation and
    from the operation to its output. Columns follow depth (the longest path
    from a leaf, see :func:`graph_nodes`): leaves stack vertically at the left,
    a tensor of depth d sits in column 2d and its operation in column 2d − 1;
    each node sits level with the mean of its inputs. The drawing is
    matplotlib only (no graphviz). Arrays of up to 4 entries are shown in
    full, larger ones by their shape. Plain numbers in an expression (the 1 in
    ``1 + x``) are not tensors, so their operation shows one input arrow.
    This is the style of the circuit diagrams in Stanford's CS231n notes on
    backpropagation.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    root : Tensor
        The output; needs ``.data``, ``.grad``, ``.op``, ``.parents`` and ``.name``
        as in ``nnbook.autograd.Tensor``.
    show_grad : bool, default True
        Add the line "grad ..." (after ``root.backward()``).
    fmt : str, default "{:.3g}"
        Format of each number.
    fontsize : float, default 9.0
    op_labels : mapping of str to str, optional
        Text for the circle of an operation, keyed by the ``name`` of the tensor
        it produces: ``{"d": "+1"}`` draws the gate of ``d = 1 + e`` as "+1"
        rather than "+" (a plain number in an expression is not drawn).
    edge_labels : mapping of (str, str) to str, optional
        Text written on the arrow from an input to an operation, keyed by
        (input name, output name): the gradient message that input receives
        from that operation, for instance.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with its axis lines turned off.

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> from matplotlib.figure import Figure
    >>> a = T(data=np.array(2.0), grad=np.array(3.0), op="", parents=(), name="a")
    >>> b = T(data=np.array(4.0), grad=np.array(1.0), op="mul", parents=(a, a), name="b")
    >>> ax = draw_graph(Figure().add_subplot(), b)
    >>> [t.get_text() for t in ax.texts if t.get_text()]
    ['a\\nvalue 2\\ngrad 3', '×', 'b\\nvalue 4\\ngrad 1']
    >>> labels = {"op_labels": {"b": "x²"}, "edge_labels": {("a", "b"): "← 3"}}
    >>> ax = draw_graph(Figure().add_subplot(), b, **labels)
    >>> [t.get_text() for t in ax.texts if t.get_text()]
    ['a\\nvalue 2\\ngrad 3', 'x²', 'b\\nvalue 4\\ngrad 1', '← 3']
    """
    op_labels = dict(op_labels or {})
    edge_labels = dict(edge_labels or {})
    nodes, depths = graph_nodes(root)
    slot = _layout(nodes, depths)
    boxes: dict[int, Text] = {}
    ops: dict[int, Text] = {}
    for node, d in zip(nodes, depths, strict=True):
        y = -slot[id(node)]
        if node.parents:
            op = str(node.op)
            label = op_labels.get(str(getattr(node, "name", "")), _OP_SYMBOLS.get(op, op))
            ops[id(node)] = _box(
                ax,
                (2.0 * d - 1.0, y),
                label,
                "circle,pad=0.3",
                PALETTE[1],
                fontsize,
            )
        boxes[id(node)] = _box(
            ax,
            (2.0 * d, y),
            _tensor_label(node, show_grad, fmt),
            "round,pad=0.4",
            PALETTE[0],
            fontsize,
        )
    for node in nodes:
        if not node.parents:
            continue
        op_box = ops[id(node)]
        for p in {id(p): p for p in node.parents}.values():  # x * x: one arrow, not two
            _arrow(ax, boxes[id(p)], op_box)
            text = edge_labels.get((str(getattr(p, "name", "")), str(getattr(node, "name", ""))))
            if text is not None:
                _edge_label(ax, boxes[id(p)], op_box, text, fontsize)
        _arrow(ax, op_box, boxes[id(node)])
    ax.set_xlim(-0.8, 2.0 * max(depths) + 0.8)
    ax.set_ylim(-max(slot.values()) - 0.8, 0.8)
    ax.set_axis_off()
    return ax
