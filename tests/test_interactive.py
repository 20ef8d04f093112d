"""The interactive figures' values (nnbook.book.interactive, issue 22), each against an
independent computation: NumPy formulas, or PyTorch's optimizer and autograd.

The browser side (keyboard, what the page then shows) is tests/test_interactive_browser.py.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
import torch

from nnbook import nn
from nnbook.book import interactive as I
from nnbook.nn import init

torch.set_num_threads(1)

# The neuron chapter's nine points, classed by the neuron w = (2, 1), b = -1.
POINTS = np.array(
    [[-2, -2], [-2.2, 0.5], [-0.8, -2.2], [-2, 2], [1.2, -2.2], [2, 2], [2.2, -1], [0.4, 2.2],
     [2.2, 0.5]]
)  # fmt: skip
LABELS = (POINTS @ np.array([2.0, 1.0]) - 1 > 0).astype(int)
QUANTUM = 1 / 61  # one level of the figures' one-character encoding
PHI = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "step": lambda z: (z > 0).astype(float),
}


@pytest.fixture(scope="module")
def neuron() -> I.InteractiveFigure:
    return I.neuron_explorer(POINTS, LABELS)


def test_neuron_grid_against_numpy(neuron: I.InteractiveFigure) -> None:
    d = neuron.data
    nw, nb = d["nw"], d["nb"]
    for i1, w1 in enumerate(I.NEURON_WEIGHTS):
        for i2, w2 in enumerate(I.NEURON_WEIGHTS):
            for ib, b in enumerate(I.NEURON_BIASES):
                i = (i1 * nw + i2) * nb + ib
                w = np.array([w1, w2])
                z_points = POINTS @ w + b
                assert d["side"][i] == "".join(str(int(v > 0)) for v in z_points)
                assert d["right"][i] == int(((z_points > 0).astype(int) == LABELS).sum())
                start, end = np.array(d["ends"][i][:2]), np.array(d["ends"][i][2:])
                along = start + np.linspace(0, 1, I.NEURON_STOPS)[:, None] * (end - start)
                z = along @ w + b
                if w @ w:
                    # The gradient runs along w and spans the square's whole range of z.
                    corners = np.array([[-3, -3], [3, -3], [3, 3], [-3, 3]]) @ w + b
                    v = end - start
                    assert abs(v[0] * w[1] - v[1] * w[0]) < 0.01  # parallel
                    np.testing.assert_allclose([z[0], z[-1]], [corners.min(), corners.max()],
                                               atol=0.02)  # fmt: skip
                    # The stop on the line: z = 0 there, a fraction of the way along.
                    t0 = d["cross"][i]
                    if corners.min() < 0 < corners.max():
                        assert abs((start + t0 * (end - start)) @ w + b) < 0.01
                    else:
                        assert t0 is None
                    line = np.array(d["line"][i]).reshape(-1, 2)
                    if len(line):
                        np.testing.assert_allclose(line @ w + b, 0, atol=0.01)
                        assert np.all(np.abs(line) <= 3 + 1e-9)
                for act in I.NEURON_ACTIVATIONS:
                    lo, hi = I.NEURON_RANGES[act]
                    want = np.clip((PHI[act](z) - lo) / (hi - lo), 0, 1)
                    got = I.decode_heights(d["stops"][act][i])
                    np.testing.assert_allclose(got, want, atol=QUANTUM / 2 + 1e-12)
    for act in I.NEURON_ACTIVATIONS:
        want = PHI[act](np.array(I.NEURON_BIASES))
        np.testing.assert_allclose(d["origin"][act], want, rtol=5e-4)  # 4 digits


def test_neuron_default_is_the_chapter_s(neuron: I.InteractiveFigure) -> None:
    defaults = {c.key: c.values[c.default] for c in neuron.controls}
    assert defaults == {"w1": "2", "w2": "1", "b": "−1", "act": "sigmoid"}
    d = neuron.data
    i = (neuron.index_of("w1", "2") * d["nw"] + neuron.index_of("w2", "1")) * d["nb"]
    assert d["right"][i + neuron.index_of("b", "−1")] == len(POINTS)


def test_a_line_clipped_to_the_square() -> None:
    assert I._clip_line(np.array([1.0, 0.0]), -1.0, 3.0) == [1.0, -3.0, 1.0, 3.0]
    assert I._clip_line(np.array([0.0, 0.0]), 1.0, 3.0) == []
    assert I._clip_line(np.array([1.0, 1.0]), 10.0, 3.0) == []  # misses the square


def test_learning_rate_runs_against_torch() -> None:
    coef, x0 = [0.1, 2.0], [-9.0, 0.8]
    d = I.learning_rate_grid(coef, x0)
    for im, mu in enumerate(I.LR_MOMENTA):
        for ir, lr in enumerate(I.LR_RATES):
            x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
            opt = torch.optim.SGD([x], lr=float(lr), momentum=mu)
            xs, fs = [x.detach().numpy().copy()], []
            for _ in range(I.LR_STEPS):
                opt.zero_grad()
                loss = (torch.tensor(coef, dtype=torch.float64) * x * x).sum()
                fs.append(loss.item())
                loss.backward()
                opt.step()
                xs.append(x.detach().numpy().copy())
                if np.abs(xs[-1]).max() > I.LR_BLOWUP:
                    break
            fs.append(float((np.array(coef) * xs[-1] ** 2).sum()))
            run = d["runs"][im][ir]
            np.testing.assert_allclose(np.array(run["x"], dtype=float), xs, rtol=1e-3, atol=1e-12)
            np.testing.assert_allclose(run["f"], fs, rtol=1e-3, atol=1e-300)
        assert d["limit"][im] == pytest.approx(2 * (1 + mu) / 4.0)
    # Without momentum: past 2/λ_max = 0.5 every run ends above its start, below it under.
    for lr, run in zip(I.LR_RATES, d["runs"][0], strict=True):
        if lr != 0.5:
            assert (run["f"][-1] > run["f"][0]) == (lr > 0.5), lr


def _probe_numpy(x, r, depth, act, fn):
    """The deep probe's forward and backward pass in NumPy, with the engine's weights."""
    net = nn.MLP([x.shape[1]] * (depth + 1), activation=act, init=fn, rng=0, dtype=x.dtype,
                 output_activation=act)  # fmt: skip
    weights = [lin.weight.data.astype(np.float64) for lin in net.linears]
    phi = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}[act]
    dphi = {"tanh": lambda z: 1 - np.tanh(z) ** 2, "relu": lambda z: (z > 0).astype(float)}[act]
    a, zs, acts = x.astype(np.float64), [], []
    for w in weights:
        zs.append(a @ w.T)
        a = phi(zs[-1])
        acts.append(a)
    delta = r * dphi(zs[-1])
    deltas = [delta]
    for w, z in zip(weights[:0:-1], zs[-2::-1], strict=True):
        delta = (delta @ w) * dphi(z)
        deltas.insert(0, delta)
    return acts, deltas


def _rms(v):
    return float(np.sqrt(np.mean(np.square(v))))


def test_initialization_grid_against_numpy() -> None:
    rng = np.random.default_rng(5)
    x = rng.standard_normal((40, 30)).astype(np.float32)
    r = rng.standard_normal((40, 30)).astype(np.float32)
    depth = 4
    d = I.initialization_grid(x, r, depth)
    for ia, act in enumerate(I.INIT_ACTIVATIONS):
        for isc, scheme in enumerate(I.INIT_SCHEMES):
            for ig, gain in enumerate(I.INIT_GAINS):
                fn = I._init_fn(scheme, gain)
                acts, _ = _probe_numpy(x, r, depth, act, fn)
                np.testing.assert_allclose(d["arms"][ia][isc][ig], [_rms(a) for a in acts],
                                           rtol=6e-3)  # fmt: skip
                lo, hi = d["arange"][ia][isc][ig]
                for a, code in zip(acts, d["acts"][ia][isc][ig], strict=True):
                    counts, _ = np.histogram(np.clip(a, lo, hi), bins=I.INIT_BINS, range=(lo, hi))
                    top = counts[1:].max() if act == "relu" else counts.max()  # cut: 0s
                    want = np.clip(counts / (top or counts.max()), 0, 1)
                    np.testing.assert_allclose(I.decode_heights(code), want, atol=QUANTUM)
                for k in range(1, depth + 1):
                    _, deltas = _probe_numpy(x, r, k, act, fn)
                    np.testing.assert_allclose(d["grms"][ia][isc][ig][k - 1],
                                               [_rms(v) for v in deltas], rtol=6e-3)  # fmt: skip
                    g = d["grange"][ia][isc][ig][k - 1]
                    assert len(d["grads"][ia][isc][ig][k - 1]) == k
                    for v, code in zip(deltas, d["grads"][ia][isc][ig][k - 1], strict=True):
                        counts, _ = np.histogram(np.clip(v, -g, g), bins=I.INIT_BINS, range=(-g, g))
                        # ReLU's exact zeros (bin 8, [0, g/8)) are left out of the scale.
                        top = np.delete(counts, 8).max() if act == "relu" else counts.max()
                        want = np.clip(counts / (top or counts.max()), 0, 1)
                        np.testing.assert_allclose(I.decode_heights(code), want, atol=QUANTUM)


def test_initialization_schemes_have_their_variances() -> None:
    """Gain 1: U(±1/√n) has variance 1/(3n), Xavier (n = n_in = n_out) 1/n, He 2/n."""
    n = 400
    for scheme, var in [("U(±1/√n)", 1 / (3 * n)), ("Xavier", 1 / n), ("He", 2 / n)]:
        for gain in I.INIT_GAINS:
            w = I._init_fn(scheme, gain)((n, n), rng=0, dtype=np.float64)
            assert np.var(w) == pytest.approx(gain**2 * var, rel=0.02), (scheme, gain)
    # Xavier at gain 1 is the engine's xavier_uniform.
    np.testing.assert_array_equal(
        I._init_fn("Xavier", 1.0)((20, 20), rng=3, dtype=np.float64),
        init.xavier_uniform((20, 20), rng=3, dtype=np.float64),
    )


def test_losses_against_torch() -> None:
    d = I.loss_grid(delta=2.0)
    tf = torch.nn.functional
    p = torch.tensor(d["reg"]["x"], dtype=torch.float64)
    for ti, y in enumerate(d["reg"]["targets"]):
        t = torch.full_like(p, y)
        fns = [
            lambda v, t=t: tf.mse_loss(v, t, reduction="none"),
            lambda v, t=t: tf.l1_loss(v, t, reduction="none"),
            lambda v, t=t: tf.huber_loss(v, t, reduction="none", delta=2.0),
            lambda v, t=t: tf.smooth_l1_loss(v, t, reduction="none", beta=2.0),
        ]
        for k, fn in enumerate(fns):
            v = p.clone().requires_grad_(True)
            loss = fn(v)
            loss.sum().backward()
            np.testing.assert_allclose(d["reg"]["values"][ti][k], loss.detach(), rtol=1e-3,
                                       atol=1e-12)  # fmt: skip
            np.testing.assert_allclose(d["reg"]["grads"][ti][k], v.grad, rtol=1e-3, atol=1e-12)
    z = np.array(d["cls"]["x"])
    for ti, y in enumerate(d["cls"]["targets"]):
        s = 1 / (1 + np.exp(-z))
        m = (2 * y - 1) * z
        want = [
            (np.logaddexp(0, -z) * y + np.logaddexp(0, z) * (1 - y), s - y),
            (np.maximum(0, 1 - m), np.where(m <= 1, -(2 * y - 1), 0.0)),  # torch's at m = 1
            ((s - y) ** 2, 2 * (s - y) * s * (1 - s)),
        ]
        for k, (value, grad) in enumerate(want):
            np.testing.assert_allclose(d["cls"]["values"][ti][k], value, rtol=1e-3, atol=1e-12)
            np.testing.assert_allclose(d["cls"]["grads"][ti][k], grad, rtol=1e-3, atol=1e-12)


def test_backward_steps_follow_the_engine() -> None:
    fig = I.backward_stepper((2.0, -3.0, -3.0), (-1.0, -2.0))
    nodes, steps = fig.data["nodes"], fig.data["steps"]
    names = [nodes[s["node"]]["name"] for s in steps]
    # Reversed topological order: the output first, every node before its inputs.
    assert names[0] == "out" and len(names) == len(nodes) == 13
    seen: set[int] = set()
    for s in steps:
        for p in nodes[s["node"]]["parents"]:
            assert p not in seen
        seen.add(s["node"])
    # Each node's gradient at its turn is the sum of what its consumers sent.
    received: dict[int, float] = {steps[0]["node"]: 1.0}
    for s in steps:
        assert s["grad"] == pytest.approx(received[s["node"]], rel=1e-4)
        for p, g in s["sent"]:
            received[p] = received.get(p, 0.0) + g
    # Closed forms: s = 1, σ' = σ(1)(1 − σ(1)), d/dx_i = w_i σ', d/dw_i = x_i σ'.
    sig = 1 / (1 + math.exp(-1.0))
    ds = sig * (1 - sig)
    grads = {nodes[s["node"]]["name"]: s["grad"] for s in steps}
    want = {"out": 1.0, "s": ds, "x0": 2 * ds, "x1": -3 * ds, "w0": -ds, "w1": -2 * ds, "w2": ds}
    for name, value in want.items():
        assert grads[name] == pytest.approx(value, rel=1e-4), name
    values = {n["name"]: n["value"] for n in nodes}
    assert values["out"] == pytest.approx(sig, rel=1e-4) and values["s"] == 1.0


def test_backward_steps_match_backward() -> None:
    """The recorded walk ends where the engine's own backward() does, on a graph with a fork."""
    from nnbook import Tensor

    a = Tensor(1.5, requires_grad=True)
    b = Tensor(-0.5, requires_grad=True)
    out = (a * b + a).exp() * a
    steps = I.backward_steps(out)
    recorded = {id(s["node"]): s["grad"] for s in steps}
    out.backward()
    assert recorded[id(a)] == pytest.approx(a.grad) and recorded[id(b)] == pytest.approx(b.grad)


@pytest.mark.parametrize(
    "make",
    [
        lambda: I.neuron_explorer(POINTS, LABELS),
        lambda: I.learning_rate_explorer([0.1, 2.0], [-9.0, 0.8]),
        lambda: I.loss_explorer(),
        lambda: I.backward_stepper(),
    ],
    ids=["neuron", "learning-rate", "loss", "chain-rule"],
)
def test_the_html_is_deterministic_and_labelled(make) -> None:
    fig = make()
    page = fig._repr_html_()
    assert page == make()._repr_html_()  # two builds, the same bytes
    data = re.search(r'<script type="application/json" class="nnbook-ifig-data">(.*?)</script>',
                     page, re.S)  # fmt: skip
    assert data and json.loads(data.group(1)) == json.loads(fig.json())
    assert page.count("</script>") == 1  # the data cannot close its script early
    for control in fig.controls:  # every control has a label and, for sliders, a value
        ident = f"{fig.name}-{control.key}"
        assert f'for="{ident}"' in page and f'id="{ident}"' in page
    assert 'aria-live="polite"' in page and f'aria-labelledby="{fig.name}-alt"' in page
    assert "<figcaption>" in page and fig.alt in page.replace("&#x27;", "'")
    assert "http://" not in page and "https://" not in page  # nothing fetched


def test_the_chain_rule_prints_its_last_step() -> None:
    fig = I.backward_stepper()
    page = fig.html()
    assert f'data-print-state="{{&quot;step&quot;: {len(fig.data["steps"])}}}"' in page
    assert "A still frame after the last step" in page
    assert "A still frame at the default settings." in I.loss_explorer().html()
