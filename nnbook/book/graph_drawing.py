"""Computational graphs as figures (chapter 5): :func:`draw_graph` and :func:`graph_nodes`.

Part of the book's figure helpers (beside :mod:`nnbook.book.plotting`,
whose style it uses): each node is a box with its name, value and, where
the tensor kept one, its gradient; each operation a circle with its symbol.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from nnbook._graph import _depth_first
from nnbook.book.plotting import PALETTE

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text

__all__ = ["draw_graph", "graph_nodes"]


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
    # The engine's depth-first order (as nnbook.autograd.topological_order), following
    # every parent: constants that need no gradient are drawn too.
    order = _depth_first(root)
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
