"""Tests for nnbook.book.plotting: the style, each helper's artists, graphs, determinism."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display in tests or in the book build

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import BoxStyle
from matplotlib.path import Path
from matplotlib.text import Annotation, Text

from nnbook import Tensor
from nnbook.autograd import retain_grads
from nnbook.book import graph_drawing as gd
from nnbook.book import plotting as pl


@pytest.fixture
def ax() -> Iterator[Axes]:
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


@pytest.fixture
def ax_pair() -> Iterator[Any]:
    fig, axes = plt.subplots(1, 2)
    yield axes
    plt.close(fig)


def render(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


# ---------------------------------------------------------------- style


# The eight colours of Okabe & Ito (2008), "Color Universal Design", as published.
OKABE_ITO = {
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
}


def test_palette_is_okabe_ito() -> None:
    assert len(pl.PALETTE) == 8
    assert {c.upper() for c in pl.PALETTE} == OKABE_ITO
    assert all(mcolors.is_color_like(c) for c in pl.PALETTE)


def test_use_book_style_sets_the_style_and_is_idempotent() -> None:
    before = dict(matplotlib.rcParams)
    with matplotlib.rc_context():
        pl.use_book_style()
        once = dict(matplotlib.rcParams)
        pl.use_book_style()
        assert dict(matplotlib.rcParams) == once
        rc = matplotlib.rcParams
        for key in ("figure.facecolor", "axes.facecolor", "savefig.facecolor"):
            assert mcolors.to_rgba(rc[key]) == (1.0, 1.0, 1.0, 1.0)  # opaque white
        assert rc["savefig.transparent"] is False
        assert rc["axes.prop_cycle"].by_key()["color"] == pl.PALETTE
        assert rc["figure.dpi"] == rc["savefig.dpi"] == 110
        assert rc["svg.hashsalt"] == "nnbook"
        assert list(rc["figure.figsize"]) == [6.0, 3.6]
        assert rc["axes.spines.top"] is False and rc["axes.spines.right"] is False
        assert rc["axes.grid"] is True
        # New figures pick the style up.
        fig, axes = plt.subplots()
        assert mcolors.to_rgba(fig.get_facecolor()) == (1, 1, 1, 1)
        assert (fig.get_figwidth(), fig.get_figheight()) == (6.0, 3.6)
        assert not axes.spines["top"].get_visible()
        (line,) = axes.plot([0, 1])
        assert mcolors.to_hex(line.get_color()).upper() == pl.PALETTE[0]
        plt.close(fig)
    assert dict(matplotlib.rcParams) == before  # the test leaks no style


def _inline_png_size(shell: Any, fig: Figure) -> tuple[int, int]:
    """Width and height in pixels of the PNG that Jupyter's inline backend shows for ``fig``."""
    png = shell.display_formatter.format(fig)[0]["image/png"]
    png = base64.b64decode(png) if isinstance(png, str) else png
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _inline_figure_size(shell: Any) -> tuple[int, int]:
    fig, axes = plt.subplots(figsize=(3, 2), dpi=110, layout="constrained")
    axes.plot([0, 1])
    axes.set_title("a title")
    try:
        return _inline_png_size(shell, fig)
    finally:
        plt.close(fig)


# matplotlib-inline's own observer of the setting (what %config sets too) is old-style traitlets.
@pytest.mark.filterwarnings("ignore:InlineBackend._print_figure_kwargs_changed:DeprecationWarning")
@pytest.mark.parametrize("style_first", [True, False], ids=["style-first", "backend-first"])
def test_use_book_style_shows_inline_figures_at_their_full_size(ipython_shell, style_first):
    """Under Jupyter's inline backend a book figure is not cropped to what is drawn on it
    (which costs a second draw): it is shown at exactly figsize times dpi, whether the
    style comes before the backend starts (a chapter's first cell) or after."""
    from matplotlib_inline.backend_inline import configure_inline_support

    if style_first:
        pl.use_book_style()
    configure_inline_support(ipython_shell, "inline")
    pl.use_book_style()  # again: idempotent
    assert _inline_figure_size(ipython_shell) == (330, 220)


def test_without_the_book_style_the_inline_backend_crops(ipython_shell):
    """The control for the test above: Jupyter's default is to crop."""
    from matplotlib_inline.backend_inline import configure_inline_support

    configure_inline_support(ipython_shell, "inline")
    assert _inline_figure_size(ipython_shell) != (330, 220)


def test_every_style_key_is_a_valid_rcparam() -> None:
    with matplotlib.rc_context(pl.STYLE):
        for key in pl.STYLE:
            assert key in matplotlib.rcParams


# ---------------------------------------------------------------- curves


def test_plot_curves_draws_one_line_per_curve(ax: Axes) -> None:
    steps = np.array([0, 10, 20])
    out = pl.plot_curves(
        ax,
        {"sgd": [3.0, 2.0, 1.5, 1.2], "adam": (steps, [3.0, 1.0, 0.5])},
        xlabel="epoch",
        ylabel="training loss",
    )
    assert out is ax
    assert len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1, 2, 3])
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), steps)
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [3.0, 1.0, 0.5])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sgd", "adam"]
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "training loss"
    assert ax.get_yscale() == "linear" and ax.get_xscale() == "linear"


def test_plot_curves_log_axes_and_diverging_runs(ax: Axes) -> None:
    lrs = np.geomspace(1e-4, 1.0, 5)
    pl.plot_curves(ax, {"range test": (lrs, [1.0, 0.5, 0.2, np.inf, np.nan])}, logy=True, logx=True)
    assert ax.get_yscale() == "log" and ax.get_xscale() == "log"
    render(ax.get_figure())  # non-finite values draw without warnings (warnings are errors)


@pytest.mark.parametrize(
    ("curves", "exc", "pattern"),
    [
        ({}, TypeError, r"^plot_curves: argument 'curves'"),
        ([1, 2], TypeError, r"^plot_curves: argument 'curves'"),
        ({"a": [[1, 2], [3, 4]]}, ValueError, r"^plot_curves: argument 'curves\['a'\]'.*\(2, 2\)"),
        ({"a": []}, ValueError, r"non-empty 1-D"),
        ({"a": ([0, 1], [1, 2, 3])}, ValueError, r"curve 'a' has x of shape \(2,\)"),
        ({"a": ["x", "y"]}, TypeError, r"must be a numeric array"),
    ],
)
def test_plot_curves_validation(ax: Axes, curves: Any, exc: type, pattern: str) -> None:
    with pytest.raises(exc, match=pattern):
        pl.plot_curves(ax, curves)


# ---------------------------------------------------------------- function and derivative


def test_plot_function_and_derivative(ax_pair: Any) -> None:
    z = np.linspace(-3, 3, 61)
    s = 1 / (1 + np.exp(-z))
    funcs = {"sigmoid": (s, s * (1 - s)), "tanh": (np.tanh(z), 1 - np.tanh(z) ** 2)}
    left, right = pl.plot_function_and_derivative(ax_pair, z, funcs, xlabel="z")
    assert left is ax_pair[0] and right is ax_pair[1]
    assert len(left.lines) == 2 and len(right.lines) == 2
    np.testing.assert_array_equal(right.lines[1].get_ydata(), 1 - np.tanh(z) ** 2)
    # Each function keeps its colour on both panels, and functions differ in colour.
    assert [ln.get_color() for ln in left.lines] == [ln.get_color() for ln in right.lines]
    assert left.lines[0].get_color() != left.lines[1].get_color()
    assert left.get_title() == "function" and right.get_title() == "derivative"
    assert left.get_xlabel() == right.get_xlabel() == "z"
    assert [t.get_text() for t in left.get_legend().get_texts()] == ["sigmoid", "tanh"]


def test_plot_function_and_derivative_validation(ax_pair: Any, ax: Axes) -> None:
    x = np.linspace(0, 1, 5)
    with pytest.raises(TypeError, match=r"^plot_function_and_derivative: argument 'axes'"):
        pl.plot_function_and_derivative(ax, x, {"f": (x, x)})
    with pytest.raises(TypeError, match=r"argument 'funcs'"):
        pl.plot_function_and_derivative(ax_pair, x, {})
    with pytest.raises(TypeError, match=r"funcs\['f'\] must be a pair"):
        pl.plot_function_and_derivative(ax_pair, x, {"f": x})
    with pytest.raises(ValueError, match=r"must match x of shape \(5,\), got \(5,\) and \(4,\)"):
        pl.plot_function_and_derivative(ax_pair, x, {"f": (x, x[:4])})


# ---------------------------------------------------------------- layer histograms


def layers(seed: int = 0) -> list[np.ndarray]:
    g = np.random.default_rng(seed)
    return [np.tanh(g.normal(0, s, (100, 5))) for s in (0.5, 1.0, 2.0)]


def test_layer_histograms_overlaid(ax: Axes) -> None:
    acts = layers()
    out = pl.plot_layer_histograms(ax, acts, bins=30, title="tanh, N(0, 1)")
    assert out is ax
    assert len(ax.patches) == 3  # one step polygon per layer
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["layer 1", "layer 2", "layer 3"]
    assert ax.get_title() == "tanh, N(0, 1)" and ax.get_ylabel() == "density"
    # Shared edges over all layers; each step polygon is the density histogram of its layer.
    edges = np.histogram_bin_edges(np.concatenate([a.ravel() for a in acts]), bins=30)
    for patch, a in zip(ax.patches, acts, strict=True):
        heights, _ = np.histogram(a.ravel(), bins=edges, density=True)
        xy = patch.get_xy()
        assert xy[:, 0].min() == pytest.approx(edges[0])
        assert xy[:, 0].max() == pytest.approx(edges[-1])
        assert xy[:, 1].max() == pytest.approx(heights.max())
    # Colours run along a sequential map: all distinct.
    assert len({mcolors.to_hex(p.get_edgecolor()) for p in ax.patches}) == 3


def test_layer_histograms_small_multiples_and_counts() -> None:
    fig, axes = plt.subplots(3, 1)
    acts = layers(1)
    out = pl.plot_layer_histograms(
        axes, acts, bins=10, density=False, labels=["in", "hidden", "out"], title="ReLU"
    )
    assert isinstance(out, list) and len(out) == 3
    assert [len(a.patches) for a in axes] == [1, 1, 1]
    assert [a.get_title() for a in axes] == ["in", "hidden", "out"]
    assert axes[0].get_ylabel() == "count"
    assert fig.get_suptitle() == "ReLU"
    assert axes[-1].get_xlabel() == "activation value"
    # Counts: the tallest bar of each panel equals the largest bin count of its layer.
    edges = np.histogram_bin_edges(np.concatenate([a.ravel() for a in acts]), bins=10)
    for a, layer in zip(axes, acts, strict=True):
        counts, _ = np.histogram(layer.ravel(), bins=edges)
        assert a.patches[0].get_xy()[:, 1].max() == counts.max()
    plt.close(fig)


def test_layer_histograms_constant_layer_draws(ax: Axes) -> None:
    # All-zero activations (zero initialization) must still draw, without warnings.
    pl.plot_layer_histograms(ax, [np.zeros(50), np.zeros(50)])
    assert len(ax.patches) == 2
    render(ax.get_figure())


def test_layer_histograms_validation(ax: Axes) -> None:
    with pytest.raises(ValueError, match=r"^plot_layer_histograms: argument 'activations'"):
        pl.plot_layer_histograms(ax, [])
    with pytest.raises(ValueError, match=r"activations\[1\] is empty"):
        pl.plot_layer_histograms(ax, [np.ones(3), np.ones(0)])
    with pytest.raises(ValueError, match=r"activations\[0\] holds non-finite"):
        pl.plot_layer_histograms(ax, [np.array([1.0, np.inf])])
    with pytest.raises(ValueError, match=r"'labels' has 1 entries for 2 layers"):
        pl.plot_layer_histograms(ax, [np.ones(3), np.ones(3)], labels=["a"])
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(TypeError, match=r"one Axes or 3 Axes \(one per layer\), got 2"):
        pl.plot_layer_histograms(axes, layers())
    plt.close(fig)


# ---------------------------------------------------------------- decision boundary


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


POINTS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.2]])
LABELS = np.array([0.0, 1.0, 0.0, 1.0, 0.0])


def test_decision_boundary_binary_probabilities(ax: Axes) -> None:
    # p = sigma(6 (x1 - 0.4)): the line p = 0.5 is the vertical x1 = 0.4.
    out = pl.plot_decision_boundary(
        ax, lambda P: sigmoid(6 * (P[:, 0] - 0.4)), POINTS, LABELS, grid=101
    )
    assert out is ax
    filled, line, class0, class1 = ax.collections
    assert len(filled.get_paths()) > 1  # several filled bands
    verts = np.concatenate([p.vertices for p in line.get_paths()])
    # Mesh spacing is 1.2 / 100 = 0.012; contour interpolation is far finer than that.
    np.testing.assert_allclose(verts[:, 0], 0.4, atol=0.012)
    np.testing.assert_array_equal(class0.get_offsets(), POINTS[LABELS == 0])
    np.testing.assert_array_equal(class1.get_offsets(), POINTS[LABELS == 1])
    assert mcolors.to_hex(class0.get_facecolor()[0]).upper() == pl.PALETTE[0]
    assert mcolors.to_hex(class1.get_facecolor()[0]).upper() == pl.PALETTE[1]
    # The mesh covers the data plus 10% of its range: [-0.1, 1.1]^2.
    assert ax.get_xlim() == pytest.approx((-0.1, 1.1))
    assert ax.get_ylim() == pytest.approx((-0.1, 1.1))
    render(ax.get_figure())


def test_decision_boundary_logits_threshold_zero(ax: Axes) -> None:
    pl.plot_decision_boundary(ax, lambda P: P[:, 1] - 0.5, POINTS, LABELS, threshold=0.0)
    line = ax.collections[1]
    verts = np.concatenate([p.vertices for p in line.get_paths()])
    np.testing.assert_allclose(verts[:, 1], 0.5, atol=1e-9)  # linear score: exact crossing


def test_decision_boundary_constant_classifier_draws_without_line(ax: Axes) -> None:
    # A zero-initialised network outputs 0.5 everywhere: one band, no line, no warning.
    pl.plot_decision_boundary(ax, lambda P: np.full((len(P), 1), 0.5), POINTS, LABELS)
    assert len(ax.collections) == 3  # filled contours + two classes of points
    render(ax.get_figure())


def test_decision_boundary_without_threshold_and_with_level_edges(ax: Axes) -> None:
    pl.plot_decision_boundary(
        ax, lambda P: P[:, 0], POINTS, LABELS, threshold=None, levels=[0.0, 0.5, 1.0]
    )
    assert len(ax.collections) == 3
    np.testing.assert_array_equal(ax.collections[0].levels, [0.0, 0.5, 1.0])


def test_decision_boundary_multiclass(ax: Axes) -> None:
    X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]])
    y = np.array([0, 1, 2, 2])

    def predict(P: np.ndarray) -> np.ndarray:
        return np.stack([-P[:, 0] - P[:, 1], P[:, 0] - P[:, 1], P[:, 1]], axis=1)

    pl.plot_decision_boundary(ax, predict, X, y, grid=50)
    filled = ax.collections[0]
    assert len(ax.collections) == 1 + 3  # regions + one scatter per class
    np.testing.assert_allclose(filled.levels, [-0.5, 0.5, 1.5, 2.5])
    assert [mcolors.to_hex(c).upper() for c in filled.get_facecolor()[:, :3]] == pl.PALETTE[:3]
    markers = {pc.get_label(): pc for pc in ax.collections[1:]}
    assert set(markers) == {"class 0", "class 1", "class 2"}
    render(ax.get_figure())


def test_decision_boundary_accepts_tensor_output(ax: Axes) -> None:
    pl.plot_decision_boundary(
        ax, lambda P: Tensor(sigmoid(P[:, 0] - 0.5)), POINTS, LABELS, threshold=0.5
    )
    assert len(ax.collections) == 4


@pytest.mark.parametrize(
    ("kwargs", "exc", "pattern"),
    [
        ({"predict": 3}, TypeError, r"^plot_decision_boundary: argument 'predict'"),
        (
            {"X": np.zeros((4, 3))},
            ValueError,
            r"argument 'X' must have shape \(n, 2\), got \(4, 3\)",
        ),
        ({"X": np.full((5, 2), np.nan)}, ValueError, r"'X' must be finite"),
        ({"y": np.zeros(3)}, ValueError, r"'y' must have shape \(5,\) to match X, got \(3,\)"),
        ({"y": np.array([0, 1, 0.5, 1, 0])}, ValueError, r"'y' must hold class labels"),
        ({"y": np.array([0, -1, 0, 1, 0])}, ValueError, r"'y' must hold class labels"),
        ({"grid": 1}, ValueError, r"'grid' must be >= 2, got 1"),
        ({"margin": -0.1}, ValueError, r"'margin' must be >= 0, got -0.1"),
        ({"margin": "0.1"}, TypeError, r"'margin' must be a real number, got str"),
        ({"grid": 2.5}, TypeError, r"'grid' must be an int, got float"),
        ({"y": ["a", "b", "c", "d", "e"]}, TypeError, r"'X' and 'y' must be numeric arrays"),
        ({"levels": 0}, ValueError, r"'levels' must be an int >= 1"),
        ({"predict": lambda P: P[:3, 0]}, ValueError, r"for the m = 400 mesh points, got \(3,\)"),
        ({"predict": lambda P: P[:, :, None]}, ValueError, r"got \(400, 2, 1\)"),
        ({"predict": lambda P: P[:, 0] / 0.0}, ValueError, r"non-finite scores"),
    ],
)
def test_decision_boundary_validation(
    ax: Axes, kwargs: dict[str, Any], exc: type, pattern: str
) -> None:
    args: dict[str, Any] = {"predict": lambda P: P[:, 0], "X": POINTS, "y": LABELS, "grid": 20}
    args.update(kwargs)
    with np.errstate(divide="ignore", invalid="ignore"), pytest.raises(exc, match=pattern):
        pl.plot_decision_boundary(ax, args.pop("predict"), args.pop("X"), args.pop("y"), **args)


# ---------------------------------------------------------------- graphs


def chain_rule_example() -> tuple[Tensor, ...]:
    # CS231n's f = (x + y) z at (-2, 5, -4): q = x + y = 3, f = q z = -12.
    # df/dz = q = 3, df/dq = z = -4, df/dx = df/dy = df/dq * 1 = -4.
    x = Tensor(-2.0, requires_grad=True, name="x")
    y = Tensor(5.0, requires_grad=True, name="y")
    z = Tensor(-4.0, requires_grad=True, name="z")
    q = x + y
    q.name = "q"
    f = q * z
    f.name = "f"
    retain_grads(f)  # the drawing shows every node's gradient, q's too
    f.backward()
    return x, y, z, q, f


def is_op(text: Text) -> bool:
    patch = text.get_bbox_patch()
    return patch is not None and isinstance(patch.get_boxstyle(), BoxStyle.Circle)


def is_tensor_box(text: Text) -> bool:
    patch = text.get_bbox_patch()
    return patch is not None and isinstance(patch.get_boxstyle(), BoxStyle.Round)


def arrows(ax: Axes) -> list[Annotation]:
    return [t for t in ax.texts if isinstance(t, Annotation)]


def test_graph_nodes_of_the_chain_rule_example() -> None:
    *_, f = chain_rule_example()
    nodes, depths = gd.graph_nodes(f)
    assert [n.name for n in nodes] == ["x", "y", "q", "z", "f"]
    assert depths == [0, 0, 1, 0, 2]


def test_draw_graph_chain_rule_example(ax: Axes) -> None:
    *_, f = chain_rule_example()
    out = gd.draw_graph(ax, f)
    assert out is ax
    boxes = [t for t in ax.texts if is_tensor_box(t)]
    ops = [t for t in ax.texts if is_op(t)]
    assert len(boxes) == 5  # x, y, z, q, f
    assert sorted(t.get_text() for t in ops) == ["+", "×"]
    # x -> +, y -> +, + -> q, q -> ×, z -> ×, × -> f
    assert len(arrows(ax)) == 6
    labels = {t.get_text().split("\n")[0]: t.get_text() for t in boxes}
    assert labels == {
        "x": "x\nvalue -2\ngrad -4",
        "y": "y\nvalue 5\ngrad -4",
        "z": "z\nvalue -4\ngrad 3",
        "q": "q\nvalue 3\ngrad -4",
        "f": "f\nvalue -12\ngrad 1",
    }
    # Columns by depth: leaves at 0, + at 1, q at 2, × at 3, f at 4.
    column = {t.get_text().split("\n")[0]: t.get_position()[0] for t in boxes + ops}
    assert column == {"x": 0, "y": 0, "z": 0, "+": 1, "q": 2, "×": 3, "f": 4}
    # Leaves stacked top to bottom in reading order; q level with the mean of x and y.
    height = {t.get_text().split("\n")[0]: t.get_position()[1] for t in boxes}
    assert height["x"] > height["y"] > height["z"]
    assert height["q"] == pytest.approx((height["x"] + height["y"]) / 2)
    assert not ax.axison
    render(ax.get_figure())


def test_draw_graph_arrows_end_on_the_boxes(ax: Axes) -> None:
    *_, f = chain_rule_example()
    gd.draw_graph(ax, f)
    fig = ax.get_figure()
    assert fig is not None
    fig.canvas.draw()  # arrows are clipped to the boxes at draw time
    box_at = {t.get_position(): t.get_bbox_patch() for t in ax.texts if t.get_bbox_patch()}

    def on_edge(point: np.ndarray, node_xy: tuple[float, float]) -> bool:
        # 2 px towards the node's centre is inside its box, 2 px away is outside.
        patch = box_at[node_xy]
        centre = ax.transData.transform(node_xy)
        step = 2 * (centre - point) / np.hypot(*(centre - point))
        return bool(patch.contains_point(point + step) and not patch.contains_point(point - step))

    for arrow in arrows(ax):
        path = arrow.arrow_patch.get_path()  # display coordinates once drawn
        pts = path.vertices[path.codes != Path.CLOSEPOLY]
        tail = pts[0]
        tip = pts[np.argmax(np.hypot(*(pts - tail).T))]
        assert on_edge(tail, arrow.xyann)  # starts on the source box
        assert on_edge(tip, arrow.xy)  # the head touches the target box


def test_draw_graph_options_and_arrays(ax: Axes) -> None:
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    b = Tensor(np.ones((3, 3)), requires_grad=True, name="b")
    c = (a * a).sum() + b.sum()  # x * x: one arrow from a into ×, not two
    gd.draw_graph(ax, c, show_grad=True, fmt="{:.1f}")
    texts = [t.get_text() for t in ax.texts if is_tensor_box(t)]
    assert "a\nvalue [1.0, 2.0]\ngrad None" in texts  # not yet back-propagated
    assert "b\nvalue shape (3, 3)\ngrad None" in texts
    assert sorted(t.get_text() for t in ax.texts if is_op(t)) == ["+", "sum", "sum", "×"]
    # a -> ×, × -> t, t -> sum, sum -> s1, b -> sum, sum -> s2, s1 -> +, s2 -> +, + -> c
    assert len(arrows(ax)) == 9
    ax.clear()
    gd.draw_graph(ax, c, show_grad=False)
    assert not any("grad" in t.get_text() for t in ax.texts)


def test_draw_graph_labels_gates_and_edges(ax: Axes) -> None:
    # The fork f = (x + y)·x of the chain-rule chapter: x receives 3 through the sum, 5 through ×.
    x = Tensor(3.0, requires_grad=True, name="x")
    y = Tensor(2.0, requires_grad=True, name="y")
    s = x + y
    s.name = "s"
    d = 1 + s  # a plain number: the gate shows one input arrow, so it is labelled "+1"
    d.name = "d"
    f = d * x
    f.name = "f"
    gd.draw_graph(ax, f, op_labels={"d": "+1"}, edge_labels={("x", "s"): "3", ("x", "f"): "5"})
    assert sorted(t.get_text() for t in ax.texts if is_op(t)) == ["+", "+1", "×"]
    assert len(arrows(ax)) == 8  # x, y -> +; + -> s; s -> +1; +1 -> d; d, x -> ×; × -> f
    pos = {t.get_text().split("\n")[0]: t.get_position() for t in ax.texts if t.get_text()}
    # Each message sits halfway between x's box and the operation it comes from.
    mid = {op: (np.array(pos["x"]) + np.array(pos[op])) / 2 for op in ("+", "×")}
    assert pos["3"] == pytest.approx(tuple(mid["+"]))
    assert pos["5"] == pytest.approx(tuple(mid["×"]))
    # Unknown names change nothing: the default symbols and no extra text.
    ax.clear()
    gd.draw_graph(ax, f, op_labels={"nope": "?"}, edge_labels={("y", "f"): "?"})
    assert "?" not in [t.get_text() for t in ax.texts]
    render(ax.get_figure())


def test_draw_graph_single_leaf(ax: Axes) -> None:
    gd.draw_graph(ax, Tensor(3.0))
    assert [t.get_text() for t in ax.texts] == ["value 3\ngrad None"]
    render(ax.get_figure())


def test_draw_graph_separates_nodes_in_one_column(ax: Axes) -> None:
    # Two ops of depth 1 whose inputs have the same mean height must not overlap.
    x = Tensor(1.0, requires_grad=True)
    y = Tensor(2.0, requires_grad=True)
    f = (x + y) * (x * y)
    gd.draw_graph(ax, f)
    depth1 = [t.get_position() for t in ax.texts if t.get_text() in ("+", "×")]
    ys = sorted(p[1] for p in depth1 if p[0] == 1)
    assert len(ys) == 2 and ys[1] - ys[0] >= 1.0


def test_graph_nodes_deep_chain_without_recursion() -> None:
    t = Tensor(0.0, requires_grad=True)
    root = t
    for _ in range(100_000):
        root = root + 1.0
    nodes, depths = gd.graph_nodes(root)
    assert len(nodes) == 100_001
    assert nodes[0] is t and nodes[-1] is root
    assert depths[-1] == 100_000


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_graph_nodes_on_random_dags(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 25))
    nodes: list[SimpleNamespace] = []
    for i in range(n):
        parents = (
            data.draw(st.lists(st.sampled_from(nodes), max_size=3)) if i > 0 else []
        )  # duplicates allowed, as in x * x
        nodes.append(SimpleNamespace(parents=tuple(parents), i=i))
    root = nodes[-1]
    order, depths = gd.graph_nodes(root)
    # Reference: ancestors of root and longest path from a leaf, by brute force on creation order.
    ancestors = {root.i}
    for node in reversed(nodes):
        if node.i in ancestors:
            ancestors.update(p.i for p in node.parents)
    ref_depth: dict[int, int] = {}
    for node in nodes:
        ref_depth[node.i] = max((ref_depth[p.i] + 1 for p in node.parents), default=0)
    assert sorted(node.i for node in order) == sorted(ancestors)  # each once
    position = {node.i: k for k, node in enumerate(order)}
    for node in order:
        assert all(position[p.i] < position[node.i] for p in node.parents)
    assert depths == [ref_depth[node.i] for node in order]
    assert order[-1] is root


# ---------------------------------------------------------------- determinism


def book_figure() -> Figure:
    fig, axes = plt.subplots(2, 2, figsize=(8, 6))
    pl.plot_curves(axes[0, 0], {"a": np.exp(-np.arange(20) / 5), "b": np.ones(20)}, logy=True)
    pl.plot_layer_histograms(axes[0, 1], layers(2))
    pl.plot_decision_boundary(axes[1, 0], lambda P: sigmoid(P[:, 0] - P[:, 1]), POINTS, LABELS)
    *_, f = chain_rule_example()
    gd.draw_graph(axes[1, 1], f)
    return fig


def test_identical_figures_render_to_identical_png_bytes() -> None:
    with matplotlib.rc_context(pl.STYLE):
        first, second = book_figure(), book_figure()
        png1, png2 = render(first), render(second)
        plt.close(first)
        plt.close(second)
    assert png1 == png2
    assert png1[:8] == b"\x89PNG\r\n\x1a\n"
