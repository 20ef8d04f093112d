"""Figures the reader drives: every number computed by the engine when the book is built.

Each function here runs the engine over a grid of settings (explicit seeds, so
two builds give the same bytes) and returns an :class:`InteractiveFigure`: in a
notebook or a page it displays as HTML with native controls (``input
type=range``, ``select``, buttons), an SVG drawn from the embedded values, a
live value label and a caption that says what the figure shows. The page's
script (``docs/_static/nnbook-interactive.js``, a few KB, no dependency) only
looks the values up and draws them; no kernel, no server, no network.

- :func:`neuron_explorer`: a neuron's w₁, w₂, b and activation -> its output
  over the plane and its decision line on the chapter's points;
- :func:`learning_rate_explorer`: η and momentum -> gradient descent's path on a
  quadratic valley and its loss curve;
- :func:`initialization_explorer`: scheme, gain and depth -> per-layer
  histograms of a deep network's activations and back-propagated gradients;
- :func:`loss_explorer`: prediction and target -> each loss and its gradient;
- :func:`backward_stepper`: the backward pass of a sigmoid neuron's circuit,
  one node at a time in the engine's order.

Why not Bokeh or matplotlib's animations: BokehJS is 1.1 MB (320 KB
compressed) plus 320 KB of widgets, most of a chapter's 1.5 MB budget, and
``to_jshtml`` embeds one PNG per frame, some hundreds of KB for even one
slider; the values these figures need take 5 to 40 KB as JSON.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnbook._graph import topological_order
from nnbook._tensor import Tensor
from nnbook.book.neurons import Neuron
from nnbook.nn import MLP, init
from nnbook.nn import functional as F
from nnbook.optim import SGD

__all__ = [
    "InteractiveFigure",
    "backward_stepper",
    "backward_steps",
    "decode_heights",
    "initialization_explorer",
    "initialization_grid",
    "learning_rate_explorer",
    "learning_rate_grid",
    "loss_explorer",
    "loss_grid",
    "neuron_explorer",
    "neuron_grid",
]

# One character per quantised height or level, 0 to 61.
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_LEVELS = len(_ALPHABET) - 1


def _encode(values: Any) -> str:
    """Values in [0, 1] as one character each (61 levels)."""
    q = np.rint(np.clip(np.asarray(values, dtype=float), 0.0, 1.0) * _LEVELS).astype(int)
    return "".join(_ALPHABET[i] for i in q.ravel())


def decode_heights(text: str) -> np.ndarray:
    """The inverse of the figures' encoding: one character -> a level in [0, 1]."""
    return np.array([_ALPHABET.index(c) / _LEVELS for c in text])


def _num(value: float, digits: int = 4) -> float | None:
    """A float rounded to ``digits`` significant digits (None for inf and nan)."""
    value = float(value)
    if not math.isfinite(value):
        return None
    return float(f"{value:.{digits}g}")


@dataclass
class Control:
    """One control: a slider over ``values`` (their labels shown), a menu, or a stepper."""

    key: str
    label: str
    values: list[str]
    default: int
    kind: str = "range"  # "range", "select" or "step" (buttons and a slider)


@dataclass
class InteractiveFigure:
    """An interactive figure: its controls, the engine's values and its caption.

    Displays as HTML (``_repr_html_``); ``data`` holds what the page's script
    looks up, ``controls`` the settings it can choose from.
    """

    kind: str
    name: str
    controls: list[Control]
    data: dict[str, Any]
    caption: str
    alt: str
    readout: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    still: str = "A still frame at the default settings."
    print_state: dict[str, int] = field(default_factory=dict)

    def index_of(self, key: str, label: str) -> int:
        """The position of ``label`` among the values of the control ``key``."""
        for control in self.controls:
            if control.key == key:
                return control.values.index(label)
        raise KeyError(key)

    def json(self) -> str:
        """The embedded values, compact and in a fixed order (two builds, same bytes)."""
        text = json.dumps(self.data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return text.replace("</", "<\\/")

    def _control_html(self, c: Control) -> str:
        ident = f"{self.name}-{c.key}"
        label = html.escape(c.label)
        value = html.escape(c.values[c.default])
        if c.kind == "select":
            options = "".join(
                f'<option value="{i}"{" selected" if i == c.default else ""}>'
                f"{html.escape(v)}</option>"
                for i, v in enumerate(c.values)
            )
            return (
                f'<label class="nnbook-ifig-control" for="{ident}"><span>{label}</span>'
                f'<select id="{ident}" data-control="{c.key}">{options}</select></label>'
            )
        slider = (
            f'<input type="range" id="{ident}" data-control="{c.key}" min="0" '
            f'max="{len(c.values) - 1}" step="1" value="{c.default}" aria-valuetext="{value}" '
            f"data-values='{html.escape(json.dumps(c.values, ensure_ascii=False))}'>"
        )
        out = f'<output for="{ident}" data-output="{c.key}">{value}</output>'
        if c.kind == "step":
            return (
                f'<div class="nnbook-ifig-control nnbook-ifig-stepper">'
                f'<button type="button" data-step="-1" aria-controls="{ident}">◀ Back</button>'
                f'<label for="{ident}"><span>{label}</span>{slider}</label>'
                f'<button type="button" data-step="1" aria-controls="{ident}">Next ▶</button>'
                f"{out}</div>"
            )
        return (
            f'<label class="nnbook-ifig-control" for="{ident}"><span>{label}</span>'
            f"{slider}{out}</label>"
        )

    def html(self) -> str:
        """The figure's HTML: controls, an SVG the script draws in, the caption, the data."""
        controls = "".join(self._control_html(c) for c in self.controls)
        attrs = dict(self.extra)
        if self.print_state:  # the settings of the printed still frame, if not the default
            attrs["print-state"] = json.dumps(self.print_state, sort_keys=True)
        extra = "".join(f' data-{k}="{html.escape(v)}"' for k, v in sorted(attrs.items()))
        return (
            f'<figure class="nnbook-interactive" id="{self.name}" data-kind="{self.kind}"{extra}>'
            f'<div class="nnbook-ifig-controls" role="group" '
            f'aria-label="Settings of the figure">{controls}</div>'
            f'<div class="nnbook-ifig-plot" role="img" aria-labelledby="{self.name}-alt"></div>'
            f'<p class="nnbook-ifig-readout" aria-live="polite">{html.escape(self.readout)}</p>'
            f'<figcaption><span class="nnbook-ifig-print">{html.escape(self.still)} </span>'
            f"{html.escape(self.caption)}"
            f'<span class="nnbook-ifig-alt" id="{self.name}-alt"> What it shows: '
            f"{html.escape(self.alt)}</span>"
            "</figcaption>"
            f'<script type="application/json" class="nnbook-ifig-data">{self.json()}</script>'
            "</figure>"
        )

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return f"<interactive figure {self.name!r}: {self.caption}>"


def _labels(values: Sequence[float], fmt: str = "{:g}") -> list[str]:
    return [fmt.format(v).replace("-", "−") for v in values]


# --------------------------------------------------------------------------------------------
# Neuron: w1, w2, b, activation -> output over the plane
# --------------------------------------------------------------------------------------------
NEURON_WEIGHTS = tuple(np.round(np.arange(-2.0, 2.01, 0.5), 2))
NEURON_BIASES = (-2.0, -1.0, 0.0, 1.0, 2.0)
NEURON_ACTIVATIONS = ("sigmoid", "tanh", "relu", "step")
# The output range each activation's colours span (ReLU's is cut at 3).
NEURON_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 3.0), "step": (0.0, 1.0)}
NEURON_STOPS = 17
NEURON_BOX = 3.0


def _clip_line(w: np.ndarray, b: float, box: float) -> list[float]:
    """The segment of w·x + b = 0 inside the square [-box, box]^2 ([] if it misses)."""
    pts: list[tuple[float, float]] = []
    for axis in (0, 1):
        other = 1 - axis
        if w[other] == 0:
            continue
        for edge in (-box, box):
            x = np.zeros(2)
            x[axis] = edge
            x[other] = -(b + w[axis] * edge) / w[other]
            if abs(x[other]) <= box + 1e-12 and not any(np.allclose(x, p) for p in pts):
                pts.append((float(x[0]), float(x[1])))
    return [round(v, 3) for p in pts[:2] for v in p] if len(pts) >= 2 else []


def neuron_grid(points: Any, labels: Any) -> dict[str, Any]:
    """The neuron figure's values, from the engine: for every w₁, w₂, b and activation.

    The output φ(w·x + b) changes only along w, so the plane is drawn as a colour
    gradient along w: ``stops[act][i]`` holds the engine's outputs at
    ``NEURON_STOPS`` evenly spaced points from ``ends[i][:2]`` to ``ends[i][2:]``
    (the square's two extreme corners projected on the normal through the
    origin), scaled to [0, 1] by ``NEURON_RANGES`` and encoded one character
    each. ``line[i]`` is the decision line w·x + b = 0 clipped to the square;
    ``side[i]`` the engine's class (z > 0) of each point and ``right[i]`` how many
    match ``labels``; ``cross[i]`` is where along the gradient z = 0 (a fraction,
    None if z keeps one sign), so that the figure can put a stop exactly on the
    line (the step's edge, the ReLU's kink); ``origin[act][j]`` is the output at
    the origin for bias j and ``online[act]`` the output on the line, φ(0).
    Settings are indexed ``i = (i1 * n_w + i2) * n_b + ib``.
    """
    points = np.asarray(points, dtype=float)
    labels = np.asarray(labels).astype(int)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=float) * NEURON_BOX
    t = np.linspace(0.0, 1.0, NEURON_STOPS)[:, None]
    ends, lines, sides, right, cross = [], [], [], [], []
    stops: dict[str, list[str]] = {a: [] for a in NEURON_ACTIVATIONS}
    for w1 in NEURON_WEIGHTS:
        for w2 in NEURON_WEIGHTS:
            for b in NEURON_BIASES:
                w = np.array([w1, w2])
                norm2 = float(w @ w)
                u = w / math.sqrt(norm2) if norm2 else np.array([1.0, 0.0])
                proj = corners @ u
                start, end = proj.min() * u, proj.max() * u
                ends.append([round(float(v), 3) for v in (*start, *end)])
                lines.append(_clip_line(w, b, NEURON_BOX))
                along = start + t * (end - start)
                z_ends = [float(w @ start + b), float(w @ end + b)]
                crosses = z_ends[0] < 0 < z_ends[1]
                cross.append(round(-z_ends[0] / (z_ends[1] - z_ends[0]), 4) if crosses else None)
                z = Neuron.from_weights(w, b=b, activation="sigmoid").pre_activation(points)
                side = (z.data > 0).astype(int)
                sides.append("".join(map(str, side)))
                right.append(int((side == labels).sum()))
                for act in NEURON_ACTIVATIONS:
                    out = Neuron.from_weights(w, b=b, activation=act)(along).data
                    lo, hi = NEURON_RANGES[act]
                    stops[act].append(_encode((out - lo) / (hi - lo)))
    origin = {
        act: [
            _num(Neuron.from_weights([0.0, 0.0], b=b, activation=act)(np.zeros(2)).item())
            for b in NEURON_BIASES
        ]
        for act in NEURON_ACTIVATIONS
    }
    return {
        "box": NEURON_BOX,
        "nw": len(NEURON_WEIGHTS),
        "nb": len(NEURON_BIASES),
        "acts": list(NEURON_ACTIVATIONS),
        "ranges": [NEURON_RANGES[a] for a in NEURON_ACTIVATIONS],
        "points": [[round(float(v), 3) for v in p] for p in points],
        "labels": labels.tolist(),
        "ends": ends,
        "line": lines,
        "side": sides,
        "right": right,
        "cross": cross,
        "stops": stops,
        "origin": origin,
        "online": {  # the output on the line, φ(0)
            act: _num(Neuron.from_weights([0.0, 0.0], b=0.0, activation=act)(np.zeros(2)).item())
            for act in NEURON_ACTIVATIONS
        },
    }


def neuron_explorer(
    points: Any, labels: Any, w: Sequence[float] = (2.0, 1.0), b: float = -1.0
) -> InteractiveFigure:
    """One neuron with two inputs, driven by the reader: w₁, w₂, b and the activation.

    ``points`` (n, 2) and ``labels`` (n,) are the chapter's points and classes;
    ``w`` and ``b`` the default setting (on the grid of ``NEURON_WEIGHTS``
    and ``NEURON_BIASES``).
    """
    data = neuron_grid(points, labels)
    weights, biases = _labels(NEURON_WEIGHTS), _labels(NEURON_BIASES)
    controls = [
        Control("w1", "weight w₁", weights, weights.index(_labels([w[0]])[0])),
        Control("w2", "weight w₂", weights, weights.index(_labels([w[1]])[0])),
        Control("b", "bias b", biases, biases.index(_labels([b])[0])),
        Control("act", "activation", list(NEURON_ACTIVATIONS), 0, "select"),
    ]
    n = len(data["points"])
    return InteractiveFigure(
        "neuron",
        "ifig-neuron",
        controls,
        data,
        caption=(
            "A neuron with two inputs whose weights, bias and activation you choose. The "
            "colour is its output φ(w₁x₁ + w₂x₂ + b) over the square from −3 to 3, on the "
            "colour bar of the chosen activation (blue at its lowest, palest at the middle of "
            "its range, vermillion at its highest; the ReLU's scale is cut at 3). The black line "
            "is w·x + b = 0: for the sigmoid, tanh and step the shading crosses its palest there; "
            "for the ReLU it is the edge of the flat blue region, where the output leaves 0, "
            "and the palest lies inside the positive side, at output 1.5. The points are the "
            "section's, filled where they fall on the side of their class."
        ),
        alt=(
            f"A square from −3 to 3 in x₁ and x₂, shaded from blue to vermillion along the "
            f"direction of w, a colour bar for the output beside it, a black decision line and "
            f"{n} points in the two classes' colours. At the default w = (2, 1), b = −1 with "
            "the sigmoid, the line falls steeply from upper left to lower right and every point "
            "lies on its class's side; changing w turns the line, changing b shifts it, and the "
            "activation changes only the shading, never the line."
        ),
    )


# --------------------------------------------------------------------------------------------
# Learning rate: eta, momentum -> path on a quadratic valley and loss curve
# --------------------------------------------------------------------------------------------
LR_RATES = tuple(np.round(np.arange(0.05, 1.001, 0.05), 2))
LR_MOMENTA = (0.0, 0.5, 0.9)
LR_STEPS = 30
LR_BLOWUP = 1e4  # a run is stopped once |x| passes this: it has diverged
# The learning-rate chapter's colour of a rate: viridis (up to 0.92) on a log scale of η
# from 0.01 to 10, the same in the explorer as in the chapter's figures.
LR_COLOUR_RANGE = (0.01, 10.0)
LR_SCALE_TICKS = (0.01, 0.1, 1.0, 10.0)


def rate_colour(lr: float) -> str:
    """The hex colour of the rate ``lr`` on the chapter's log scale of η (viridis)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    lo, hi = LR_COLOUR_RANGE
    t = min(max(math.log(lr / lo) / math.log(hi / lo), 0.0), 1.0)
    return str(to_hex(colormaps["viridis"](0.92 * t)))


def learning_rate_grid(coef: Sequence[float], x0: Sequence[float]) -> dict[str, Any]:
    """Gradient descent (the engine's SGD) on f(x) = Σ coef_i x_i² from ``x0``.

    For every rate in ``LR_RATES`` and momentum in ``LR_MOMENTA``,
    ``runs[im][ir]`` holds the iterates ``x`` (4 significant digits) and the
    losses ``f`` for up to ``LR_STEPS`` steps (a run that leaves
    ``|x| < LR_BLOWUP`` stops there), and ``limit[im]`` the stability limit
    2(1 + μ)/λ_max.
    """
    coef_arr = np.asarray(coef, dtype=float)

    def f(x: Tensor) -> Tensor:
        return (x * x * Tensor(coef_arr)).sum()

    runs = []
    for mu in LR_MOMENTA:
        row = []
        for lr in LR_RATES:
            x = Tensor(np.array(x0, dtype=float), requires_grad=True)
            opt = SGD([x], lr=float(lr), momentum=mu)
            xs, fs = [x.data.copy()], []
            for _ in range(LR_STEPS):
                opt.zero_grad()
                loss = f(x)
                fs.append(loss.item())
                loss.backward()
                opt.step()
                xs.append(x.data.copy())
                if np.abs(x.data).max() > LR_BLOWUP:
                    break
            else:
                fs.append(f(x).item())
            if len(fs) < len(xs):
                fs.append(f(x).item())
            row.append(
                {
                    "x": [[_num(v) for v in p] for p in xs],
                    "f": [_num(v) for v in fs],
                }
            )
        runs.append(row)
    lam = 2 * coef_arr.max()
    f0 = float((coef_arr * np.square(x0)).sum())
    # Level sets f = c, ellipses with semi-axes sqrt(c / coef_i), for the path's panel.
    levels = [[_num(math.sqrt(c / k), 3) for k in coef_arr] for c in f0 * 0.3 ** np.arange(6)]
    return {
        "coef": coef_arr.tolist(),
        "levels": levels,
        "window": [
            *(s * math.ceil(1.1 * abs(x0[0])) for s in (-1, 1)),
            *(s * math.ceil(3 * abs(x0[1])) for s in (-1, 1)),
        ],
        "x0": [float(v) for v in x0],
        "rates": list(LR_RATES),
        "momenta": list(LR_MOMENTA),
        "steps": LR_STEPS,
        "limit": [_num(2 * (1 + mu) / lam) for mu in LR_MOMENTA],
        "runs": runs,
        "colours": [rate_colour(float(lr)) for lr in LR_RATES],
        # The colour scale: stops evenly spaced in log η over LR_COLOUR_RANGE, and its ticks.
        "scale": [rate_colour(float(v)) for v in np.geomspace(*LR_COLOUR_RANGE, 13)],
        "scale_range": list(LR_COLOUR_RANGE),
        "scale_ticks": list(LR_SCALE_TICKS),
    }


def learning_rate_explorer(
    coef: Sequence[float], x0: Sequence[float], lr: float = 0.4
) -> InteractiveFigure:
    """The learning rate and momentum, driven by the reader, on f(x) = Σ coef_i x_i²."""
    data = learning_rate_grid(coef, x0)
    lam = 2 * max(coef)
    controls = [
        Control("lr", "learning rate η", _labels(LR_RATES), list(LR_RATES).index(lr)),
        Control("mu", "momentum μ", _labels(LR_MOMENTA), 0, "select"),
    ]
    return InteractiveFigure(
        "learning-rate",
        "ifig-learning-rate",
        controls,
        data,
        caption=(
            f"Gradient descent (nnbook's SGD) on f(x) = {coef[0]:g}x₁² + {coef[1]:g}x₂² from "
            f"({', '.join(_labels(x0))}), with the rate and momentum you choose. First panel, "
            "the path over the level sets of f, in the colour of its rate η on the chapter's "
            "log scale (the strip below it); second, the loss f against the step, on a log "
            "scale (side by side on a wide screen, stacked on a narrow one). Without "
            f"momentum the run diverges past η = 2/λ_max = {2 / lam:g}; momentum μ moves that "
            "limit to 2(1 + μ)/λ_max."
        ),
        alt=(
            "First panel: elliptical level sets of a valley, long along x₁ and narrow along "
            "x₂, with "
            "the path of gradient descent from the left end, drawn in the colour of its rate, "
            "above a colour strip of η from 0.01 to 10 that marks the rate. At η = 0.4 without "
            "momentum it "
            "zigzags across the narrow direction, ever less, and creeps along the long one; "
            "past 0.5 the zigzag grows and leaves the window. Second panel: the loss against the "
            "step on a log scale: a falling line below the limit, a rising one past it."
        ),
    )


# --------------------------------------------------------------------------------------------
# Initialization: scheme, gain, depth -> per-layer histograms
# --------------------------------------------------------------------------------------------
INIT_SCHEMES = ("U(±1/√n)", "Xavier", "He")
INIT_GAINS = (0.5, 1.0, 2.0)
INIT_ACTIVATIONS = ("tanh", "relu")
INIT_DEPTH = 10
INIT_BINS = 16


def _init_fn(scheme: str, gain: float) -> Callable[..., np.ndarray]:
    def draw(shape: tuple[int, ...], *, rng: Any, dtype: Any) -> np.ndarray:
        if scheme == "Xavier":
            w = init.xavier_uniform(shape, gain=gain, rng=rng, dtype=dtype)
        elif scheme == "He":
            w = gain * init.kaiming_normal(shape, nonlinearity="relu", rng=rng, dtype=dtype)
        else:
            bound = gain / math.sqrt(init.fan_in_and_fan_out(shape)[0])
            w = init.uniform(shape, -bound, bound, rng=rng, dtype=dtype)
        return np.asarray(w, dtype=dtype)

    return draw


def _histogram(values: np.ndarray, lo: float, hi: float, spike: int | None = None) -> str:
    """Bin heights scaled to the tallest bin but ``spike`` (the bin of ReLU's exact
    zeros, half the values or more, which would flatten every other bar: it is cut)."""
    counts, _ = np.histogram(np.clip(values, lo, hi), bins=INIT_BINS, range=(lo, hi))
    others = np.delete(counts, spike) if spike is not None else counts
    top = others.max() or counts.max()  # all in the spike: it alone, at full height
    return _encode(counts / top)


def _rms(values: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(values, dtype=np.float64))))


def _probe(
    x: np.ndarray, r: np.ndarray, depth: int, act: str, fn: Callable[..., np.ndarray]
) -> dict[str, Any]:
    """One activation and initializer: the networks of depth 1 to ``depth``."""
    n, dtype = x.shape[1], x.dtype
    one: dict[str, Any] = {"grads": [], "grms": [], "grange": []}
    for d in range(1, depth + 1):
        net = MLP([n] * (d + 1), activation=act, init=fn, rng=0, dtype=dtype, output_activation=act)
        trace = net.forward_trace(x)
        trace.output.backward(r)
        if d == depth:  # the first layers of a deeper network are the same layers
            a = [t.data for t in trace.activations]
            lo, hi = -1.0, 1.0
            if act == "relu":  # the range as the figure writes it (3 digits)
                lo, hi = 0.0, _num(max(float(np.quantile(v, 0.995)) for v in a), 3) or 1.0
            one["acts"] = [_histogram(v, lo, hi, 0 if act == "relu" else None) for v in a]
            one["arms"] = [_num(_rms(v), 3) for v in a]
            one["arange"] = [lo, hi]
        deltas = trace.deltas()
        g = _num(max(float(np.quantile(np.abs(v), 0.995)) for v in deltas), 3) or 1.0
        middle = INIT_BINS // 2 if act == "relu" else None  # the bin [0, g / 8)
        one["grads"].append([_histogram(v, -g, g, middle) for v in deltas])
        one["grms"].append([_num(_rms(v), 3) for v in deltas])
        one["grange"].append(g)
    return one


def initialization_grid(x: Any, r: Any, depth: int = INIT_DEPTH) -> dict[str, Any]:
    """The deep probe for every activation, scheme, gain and depth (1 to ``depth``).

    A network ``nn.MLP`` of ``depth`` layers as wide as ``x`` (seed 0, zero biases,
    the activation after every layer) takes ``x`` forward and the error signal ``r``
    back from its top layer. ``acts[ia][is][ig]`` holds the per-layer activation
    histograms (``INIT_BINS`` bins over ``arange[...]``: [-1, 1] for tanh, [0, R]
    for ReLU with R the largest 99.5th percentile over the layers; heights scaled to
    the tallest bin, ReLU's bin at 0 left out of that), and ``arms`` their RMS;
    ``grads[ia][is][ig][d - 1]`` the histograms of δ^l = ∂ℓ/∂z^l of the network of
    depth d over [-G, G] and ``grms`` their RMS.
    """
    x = np.asarray(x)
    r = np.asarray(r)
    keys = ("acts", "arms", "arange", "grads", "grms", "grange")
    out: dict[str, list[Any]] = {k: [] for k in keys}
    for act in INIT_ACTIVATIONS:
        for k in keys:
            out[k].append([])
        for scheme in INIT_SCHEMES:
            for k in keys:
                out[k][-1].append([])
            for gain in INIT_GAINS:
                one = _probe(x, r, depth, act, _init_fn(scheme, gain))
                for k in keys:
                    out[k][-1][-1].append(one[k])
    return {"acts_names": list(INIT_ACTIVATIONS), "bins": INIT_BINS, **out}


def initialization_explorer(x: Any, r: Any, depth: int = INIT_DEPTH) -> InteractiveFigure:
    """The deep probe driven by the reader: activation, scheme, gain and depth."""
    data = initialization_grid(x, r, depth)
    controls = [
        Control("act", "activation", list(INIT_ACTIVATIONS), 0, "select"),
        Control("scheme", "scheme", list(INIT_SCHEMES), 1, "select"),
        Control("gain", "gain", _labels(INIT_GAINS), INIT_GAINS.index(1.0), "select"),
        Control("depth", "depth", [str(d) for d in range(1, depth + 1)], depth - 1),
    ]
    n = np.asarray(x).shape
    ix, i1 = INIT_SCHEMES.index("Xavier"), INIT_GAINS.index(1.0)
    tanh, relu = INIT_ACTIVATIONS.index("tanh"), INIT_ACTIVATIONS.index("relu")
    arms, grms = data["arms"][tanh][ix][i1], data["grms"][tanh][ix][i1][depth - 1]
    relu_xavier = data["arms"][relu][ix][i1]
    per_layer = (relu_xavier[-1] / relu_xavier[0]) ** (1 / (depth - 1))
    relu_he = data["arms"][relu][INIT_SCHEMES.index("He")][i1]
    i2 = INIT_GAINS.index(2.0)
    arms2, grms2 = data["arms"][tanh][ix][i2], data["grms"][tanh][ix][i2][depth - 1]
    return InteractiveFigure(
        "initialization",
        "ifig-initialization",
        controls,
        data,
        caption=(
            f"The deep probe: {n[0]} inputs through layers of {n[1]} units, initialized by "
            "the scheme you choose with its standard deviation times the gain. Two panels, one "
            "row per layer, first at the top: the histograms of the layers' activations aˡ, "
            "and of their back-propagated gradients δˡ = ∂ℓ/∂zˡ; each with its root mean square. "
            "Both histograms share one range over the layers, written under them; with ReLU "
            "the bar of the exact zeros (half the values or more) is cut at the top."
        ),
        alt=(
            "Two columns of small histograms, one row per layer. With tanh and Xavier at gain "
            f"1 the activations spread over −1 to 1 in layer 1 and narrow with depth (RMS "
            f"{arms[0]:.3f} in layer 1, {arms[-1]:.3f} in layer {depth}), and the gradients "
            f"narrow the other way, from layer {depth} (RMS {grms[-1]:.3f}) down to layer 1 "
            f"({grms[0]:.3f}); at gain 0.5 the activations collapse onto 0; at gain 2 they "
            f"spread towards −1 and 1 (RMS {arms2[-1]:.3f} in layer {depth}) and the gradients "
            f"explode, growing {grms2[0] / grms2[-1]:.2f} times from layer {depth} down to "
            "layer 1. With ReLU, He keeps every layer's scale near 1 (from "
            f"{min(relu_he):.3f} to {max(relu_he):.3f} for these weights), while Xavier's falls "
            f"by a factor of about {per_layer:.2f} per layer."
        ),
    )


# --------------------------------------------------------------------------------------------
# Loss: prediction, target -> each loss and its gradient
# --------------------------------------------------------------------------------------------
LOSS_PREDICTIONS = tuple(np.round(np.arange(-3.0, 3.001, 0.1), 2))
LOSS_TARGETS = (-1.0, 0.0, 1.0)
LOSS_LOGITS = tuple(np.round(np.arange(-4.0, 4.001, 0.1), 2))
LOSS_LABELS = (0.0, 1.0)


def _pointwise(loss_fn: Callable[[Tensor], Any], values: Any) -> tuple[np.ndarray, np.ndarray]:
    leaf = Tensor(np.array(values, dtype=float), requires_grad=True)
    losses = loss_fn(leaf)
    losses.sum().backward()
    grad = leaf.grad if leaf.grad is not None else np.zeros_like(leaf.data)
    return losses.data, grad


def loss_grid(delta: float = 2.0) -> dict[str, Any]:
    """Each loss and its derivative with respect to the prediction, by the engine.

    Regression (``reg``): MSE, MAE, Huber (δ) and smooth L1 (β = δ) at every
    prediction of ``LOSS_PREDICTIONS``, for each target of
    ``LOSS_TARGETS``. Classification (``cls``): binary cross-entropy on the
    logit, the hinge max(0, 1 − m) with m = (2y − 1) z and the squared error of
    σ(z), at every logit of ``LOSS_LOGITS``, for each label of
    ``LOSS_LABELS``. ``values[ti][k]`` and ``grads[ti][k]`` are the curves of
    loss k for target ti (4 significant digits); ``colours[k]`` is its colour in the
    loss chapter's figures (the cross-entropy orange, the squared error blue).
    """
    p = np.array(LOSS_PREDICTIONS)
    z = np.array(LOSS_LOGITS)
    reg_names = ["MSE", "MAE", f"Huber δ={delta:g}", f"smooth L1 β={delta:g}"]
    cls_names = ["cross-entropy", "hinge", "squared error on σ"]

    def reg(y: float) -> list[tuple[np.ndarray, np.ndarray]]:
        t = np.full_like(p, y)
        return [
            _pointwise(lambda v: F.mse_loss(v, t, reduction="none"), p),
            _pointwise(lambda v: F.l1_loss(v, t, reduction="none"), p),
            _pointwise(lambda v: F.huber_loss(v, t, reduction="none", delta=delta), p),
            _pointwise(lambda v: F.smooth_l1_loss(v, t, reduction="none", beta=delta), p),
        ]

    def cls(y: float) -> list[tuple[np.ndarray, np.ndarray]]:
        t = np.full_like(z, y)
        sign = 2 * y - 1
        return [
            _pointwise(lambda v: F.binary_cross_entropy_with_logits(v, t, reduction="none"), z),
            _pointwise(
                lambda v: F.hinge_embedding_loss(
                    v * sign, -np.ones_like(z), margin=1.0, reduction="none"
                ),
                z,
            ),
            _pointwise(lambda v: F.mse_loss(v.sigmoid(), t, reduction="none"), z),
        ]

    def pack(curves: list[list[tuple[np.ndarray, np.ndarray]]]) -> dict[str, Any]:
        return {
            "values": [[[_num(v) for v in c[0]] for c in per] for per in curves],
            "grads": [[[_num(v) for v in c[1]] for c in per] for per in curves],
        }

    return {
        "reg": {
            "names": reg_names,
            "colours": ["#0072B2", "#D55E00", "#009E73", "#CC79A7"],
            "x": [float(v) for v in p],
            "targets": list(LOSS_TARGETS),
            "ylim": [0.0, 4.5],
            "glim": [-4.0, 4.0],
            **pack([reg(y) for y in LOSS_TARGETS]),
        },
        "cls": {
            "names": cls_names,
            "colours": ["#E69F00", "#737373", "#0072B2"],  # as in the chapter's margin figure
            "x": [float(v) for v in z],
            "targets": list(LOSS_LABELS),
            "ylim": [0.0, 4.5],
            "glim": [-1.2, 1.2],
            **pack([cls(y) for y in LOSS_LABELS]),
        },
    }


def loss_explorer(delta: float = 2.0) -> InteractiveFigure:
    """Each loss and its gradient at the prediction (or logit) and target the reader picks."""
    data = loss_grid(delta)
    n_reg, n_cls = len(LOSS_PREDICTIONS), len(LOSS_LOGITS)
    controls = [
        Control("family", "losses", ["regression", "classification"], 0, "select"),
        Control("target", "target", _labels(LOSS_TARGETS), LOSS_TARGETS.index(0.0), "select"),
        Control("x", "prediction", _labels(LOSS_PREDICTIONS, "{:.1f}"), (n_reg - 1) * 3 // 4),
    ]
    return InteractiveFigure(
        "loss",
        "ifig-loss",
        controls,
        data,
        caption=(
            "The chapter's losses at the prediction and target you choose, computed by the "
            'engine, with their derivatives by its backward pass. The panel "loss" shows each '
            'loss against the prediction, the panel "derivative" its derivative; the dots mark '
            "the chosen prediction, whose "
            f"values the table lists. Regression: predictions from −3 to 3 ({n_reg} values), "
            f"δ = β = {delta:g}; classification: logits z from −4 to 4 ({n_cls} values), "
            "label 0 or 1."
        ),
        alt=(
            "Two panels, loss and derivative. Regression, target 0: the loss panel shows the "
            "parabola of the squared "
            "error, the V of the absolute error and Huber's and smooth L1's curves, quadratic "
            "near the target and straight beyond δ; the derivative panel, their derivatives: "
            "a line through "
            "0 for the squared error, a step from −1 to 1 for the absolute error, and two "
            "ramps that level off at ±δ and ±1. Classification: the cross-entropy and hinge "
            "fall towards 0 as the logit agrees with the label, the squared error of σ is "
            "flat at both ends, and its derivative vanishes where the logit is badly wrong."
        ),
        extra={"reg-n": str(n_reg), "cls-n": str(n_cls)},
    )


# --------------------------------------------------------------------------------------------
# Chain rule: the backward pass of a sigmoid circuit, one node at a time
# --------------------------------------------------------------------------------------------
def backward_steps(out: Tensor) -> list[dict[str, Any]]:
    """The engine's backward walk from ``out`` (scalar), recorded node by node.

    The same walk as :meth:`nnbook.Tensor.backward` (reversed
    :func:`~nnbook.autograd.topological_order`, each node's backward given the
    sum of what its consumers sent), calling each node's own backward function;
    the graph is kept. Each step: the node, its gradient (complete at its turn),
    and what it sent to each parent.
    """
    order = topological_order(out)
    grads: dict[Any, np.ndarray] = {out: np.ones_like(out.data)}
    steps = []
    for node in reversed(order):
        g = grads.pop(node, None)
        if g is None:
            continue
        sent = []
        if node._backward is not None:
            for parent, pg in zip(node.parents, node._backward(g), strict=True):
                if pg is not None and parent.requires_grad:
                    grads[parent] = grads[parent] + pg if parent in grads else pg
                    sent.append((parent, np.asarray(pg)))
        steps.append({"node": node, "grad": np.asarray(g), "sent": sent})
    return steps


def backward_stepper(
    w: Sequence[float] = (2.0, -3.0, -3.0), x: Sequence[float] = (-1.0, -2.0)
) -> InteractiveFigure:
    """The sigmoid neuron σ(w₀x₀ + w₁x₁ + w₂) as a circuit: its backward pass, step by step."""
    w0, w1, w2 = (Tensor(v, requires_grad=True, name=f"w{i}") for i, v in enumerate(w))
    x0, x1 = (Tensor(v, requires_grad=True, name=f"x{i}") for i, v in enumerate(x))
    p0 = w0 * x0
    p1 = w1 * x1
    q = p0 + p1
    s = q + w2
    neg = -s
    e = neg.exp()
    u = 1 + e
    out = 1 / u
    names = {p0: "w0·x0", p1: "w1·x1", q: "q", s: "s", neg: "−s", e: "e", u: "u", out: "out"}
    ops = {p0: "×", p1: "×", q: "+", s: "+", neg: "neg", e: "exp", u: "+1", out: "1/x"}
    for t, nm in names.items():
        t.name = nm
    order = topological_order(out)
    index = {t: i for i, t in enumerate(order)}
    # Columns by depth (longest path from a leaf).
    depth: dict[Any, int] = {}
    for t in order:
        depth[t] = 1 + max((depth[p] for p in t.parents if p in depth), default=-1)
    rows: dict[Any, float] = {}
    # Leaves stacked in order, each interior node level with its inputs.
    leaf_row = {t: float(i) for i, t in enumerate([t for t in order if not t.parents])}
    for t in order:
        if not t.parents:
            rows[t] = leaf_row[t]
        else:
            rows[t] = float(np.mean([rows[p] for p in t.parents if p in index]))
    steps = backward_steps(out)
    nodes = [
        {
            "name": t.name,
            "op": ops.get(t, ""),
            "value": _num(t.item()),
            "col": depth[t],
            "row": round(rows[t], 3),
            "parents": [index[p] for p in t.parents if p in index],
        }
        for t in order
    ]
    data = {
        "nodes": nodes,
        "steps": [
            {
                "node": index[st["node"]],
                "grad": _num(st["grad"].item()),
                "sent": [[index[p], _num(g.item())] for p, g in st["sent"]],
            }
            for st in steps
        ],
    }
    labels = ["forward pass only"] + [
        f"{i + 1}: {nodes[st['node']]['name']}" for i, st in enumerate(data["steps"])
    ]
    controls = [Control("step", "backward step", labels, 0, "step")]
    return InteractiveFigure(
        "chain-rule",
        "ifig-chain-rule",
        controls,
        data,
        still="A still frame after the last step of the backward pass (on the site, the "
        "figure starts before the first and steps through it).",
        print_state={"step": len(steps)},
        caption=(
            f"The sigmoid neuron σ(w₀x₀ + w₁x₁ + w₂) with w = ({', '.join(_labels(w))}) and "
            f"x = ({', '.join(_labels(x))}) as a "
            "circuit of the engine's operations; each box shows the forward value. Step "
            "through the backward pass in the engine's order (the topological order, "
            "reversed): at each step the highlighted node's gradient is complete, and its "
            "backward function sends a gradient along each input edge (written on the edge), "
            "where it is added to what the input already holds."
        ),
        alt=(
            "A graph from the inputs to the output (left to right on a wide screen, top to "
            "bottom on a narrow one): the leaves w0, x0, w1, x1 and w2 feed two products, "
            "their sum q and s = q + w2, then a chain of negate, exp, +1 and 1/x gates to the "
            f"output. Before any step every box shows only its value; step 1 gives the output "
            f"gradient 1, each next step one more node back from the output towards the "
            "inputs, until the "
            f"{len(steps)}th reaches the last leaf, {steps[-1]['node'].name}, whose gradient "
            f"is {steps[-1]['grad'].item():.3g}.".replace("-", "−")
        ),
    )
