"""One training step of nnbook against the real alternatives.

A step is forward, backward and an SGD update on one batch. The contenders,
all starting from the same weights and fed the same NumPy batch every step:

- ``numpy``: the floor. The same maths with the gradients written by hand
  (idiomatic NumPy: matrix products, in-place updates where natural), no
  autograd, no graph.
- ``nnbook``: the fused path, ``MLP`` (one ``linear`` node per layer) +
  ``mse_loss``/``cross_entropy`` + ``SGD``, as in the book.
- ``nnbook-raw``: the path a reader writes from raw operations: leaf tensors
  ``W``, ``b`` and ``h @ W.T + b``, ``.relu()``/``.tanh()``, the loss, ``SGD.step``.
- ``torch``: PyTorch eager on the CPU, ``nn.Sequential`` + ``F.mse_loss``/
  ``F.cross_entropy`` + ``optim.SGD``, same dtype.
- ``micrograd``: Karpathy's scalar engine from PyPI, at book scale only.

Before timing, the bench checks once per scale that every contender's loss and
gradients agree with the hand-written NumPy version at the shared starting
weights (to 1e-10 in float64, 1e-5 in float32, relative to the largest
gradient), so the comparison is between implementations of the same maths.

Timing: one BLAS/OpenMP thread for everyone (the environment variables below
are set before NumPy loads; ``torch.set_num_threads(1)``). Within each repeat
the contenders run round-robin, the order rotating between repeats; each
timing covers a block of steps (about ``--block-ms`` long) and is divided by
the block's length. The clock is the process's CPU time: every contender runs
on one thread, so on an idle machine it equals the wall time, and on a busy one
(this 2-core machine is shared with builds and tests) it does not count the
time other processes took; the wall times are kept in the JSON too. Reported:
the median over the repeats (at least 15; micrograd, at about 2 s a step, gets
``--slow-repeats``), and the ratio to NumPy, the median of the per-repeat
ratios (each pairs two blocks run moments apart, which cancels most drift).
The garbage collector stays on, as in a real training loop (after
``gc.freeze()`` of the imported libraries' objects, see :func:`run`).

Then the overhead per graph node (:func:`node_overhead`): a chain of small
operations on a one-element tensor, forward (building the graph) and backward
timed apart, in nanoseconds per node, for nnbook, micrograd and PyTorch.

Run ``make bench`` (which also runs ``bench_build.py`` and draws the figure),
or on its own::

    .venv/bin/python tests/benchmarks/bench_engine.py --json /tmp/engine.json
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # One BLAS thread: must be set before NumPy is imported.
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = "1"
    # This checkout's engine, whichever checkout the venv's editable install points at.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import gc
import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from nnbook import Tensor
from nnbook.nn import MLP
from nnbook.nn.functional import cross_entropy, mse_loss
from nnbook.optim import SGD

Array = np.ndarray
Params = list[tuple[Array, Array]]  # (W of shape (out, in), b of shape (out,)) per layer
Step = Callable[[], None]


@dataclass(frozen=True)
class Scale:
    """One benchmarked network, its batch and the target set for nnbook."""

    name: str
    title: str
    sizes: tuple[int, ...]
    activation: str  # "relu" or "tanh", between the Linear layers
    loss: str  # "mse" or "cross_entropy"
    batch: int
    dtype: str
    lr: float
    max_ratio: float  # the fused path's time over NumPy's must not exceed this
    raw_max_ratio: float  # the same for the raw-ops path, which must also beat torch eager
    micrograd: bool

    @property
    def tol(self) -> float:
        return 1e-10 if self.dtype == "float64" else 1e-5


SCALES = (
    Scale("book", "MLP 2-16-16-1, ReLU, MSE, batch 100, float64",
          (2, 16, 16, 1), "relu", "mse", 100, "float64", 0.01, 1.15, 1.5, True),
    Scale("deep", "10 layers of 64, tanh, MSE, batch 32, float64",
          (64,) * 11, "tanh", "mse", 32, "float64", 0.01, 1.3, 1.3, False),
    Scale("mnist", "MLP 784-128-10, ReLU, softmax CE, batch 256, float32",
          (784, 128, 10), "relu", "cross_entropy", 256, "float32", 0.01, 1.1, 1.1, False),
)  # fmt: skip


def make_data(scale: Scale, seed: int = 0) -> tuple[Array, Array, Params]:
    """A fixed batch (x, target) and the starting weights (PyTorch's default init)."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(scale.dtype)
    n_in, n_out = scale.sizes[0], scale.sizes[-1]
    if scale.loss == "cross_entropy":  # MNIST-like: pixels in [0, 1], labels 0..9
        x = rng.random((scale.batch, n_in)).astype(dt)
        y = rng.integers(0, n_out, scale.batch)
    else:
        x = rng.standard_normal((scale.batch, n_in)).astype(dt)
        y = rng.standard_normal((scale.batch, n_out)).astype(dt)
    net = MLP(list(scale.sizes), scale.activation, rng=seed + 1, dtype=dt)
    params = [(lin.weight.data.copy(), lin.bias.data.copy()) for lin in net.linears]
    return x, y, params


# --------------------------------------------------------------------------- contenders
# Each contender is a class with grads(x, y) -> (loss, [gW, gb, gW, gb, ...]) at the
# current weights (used once, for the check) and step(x, y) (what is timed).


class NumpyMLP:
    """The floor: forward, hand-written backward and SGD in plain NumPy."""

    def __init__(self, scale: Scale, params: Params) -> None:
        self.W = [w.copy() for w, _ in params]
        self.b = [b.copy() for _, b in params]
        self.tanh = scale.activation == "tanh"
        self.ce = scale.loss == "cross_entropy"
        self.lr = scale.lr

    def grads(self, x: Array, y: Array) -> tuple[float, list[Array]]:
        inputs = []  # the input of each layer (for dW) and the activation (for φ')
        h = x
        last = len(self.W) - 1
        for i, (W, b) in enumerate(zip(self.W, self.b, strict=True)):
            inputs.append(h)
            z = h @ W.T
            z += b
            h = z if i == last else (np.tanh(z) if self.tanh else np.maximum(z, 0))
        n = h.shape[0]
        if self.ce:  # log-softmax cross-entropy; dL/dz = (softmax − onehot)/N
            shifted = h - h.max(axis=1, keepdims=True)
            e = np.exp(shifted)
            s = e.sum(axis=1, keepdims=True)
            rows = np.arange(n)
            loss = float(-(shifted[rows, y] - np.log(s[:, 0])).mean())
            g = e / s
            g[rows, y] -= 1
            g /= n
        else:  # mean squared error over all elements; dL/dz = 2(z − y)/size
            d = h - y
            loss = float((d * d).mean())
            g = d * (2.0 / d.size)
        grads: list[Array] = []
        for i in range(last, -1, -1):
            grads += [g.sum(axis=0), g.T @ inputs[i]]  # reversed below
            if i:
                g = g @ self.W[i]
                a = inputs[i]  # φ(z) of the layer below
                if self.tanh:
                    g *= 1 - a * a
                else:
                    g *= a > 0
        return loss, grads[::-1]

    def step(self, x: Array, y: Array) -> None:
        _, grads = self.grads(x, y)
        for p, gp in zip(_interleave(self.W, self.b), grads, strict=True):
            p -= self.lr * gp


def _interleave(ws: list[Array], bs: list[Array]) -> list[Array]:
    return [p for pair in zip(ws, bs, strict=True) for p in pair]


class NnbookMLP:
    """The engine as the book uses it."""

    def __init__(self, scale: Scale, params: Params) -> None:
        self.net = MLP(list(scale.sizes), scale.activation, rng=0, dtype=scale.dtype)
        for lin, (w, b) in zip(self.net.linears, params, strict=True):
            lin.weight.data[...] = w
            assert lin.bias is not None
            lin.bias.data[...] = b
        self.opt = SGD(self.net.parameters(), lr=scale.lr)
        self.loss = cross_entropy if scale.loss == "cross_entropy" else mse_loss

    def grads(self, x: Array, y: Array) -> tuple[float, list[Array]]:
        self.opt.zero_grad()
        loss = self.loss(self.net(x), y)
        loss.backward()
        return loss.item(), [np.asarray(p.grad) for p in self.net.parameters()]

    def step(self, x: Array, y: Array) -> None:
        self.opt.zero_grad()
        loss = self.loss(self.net(x), y)
        loss.backward()
        self.opt.step()


class NnbookRawMLP:
    """The engine from raw operations, as a reader first writes a network."""

    def __init__(self, scale: Scale, params: Params) -> None:
        self.W = [Tensor(w.copy(), requires_grad=True) for w, _ in params]
        self.b = [Tensor(b.copy(), requires_grad=True) for _, b in params]
        self.tanh = scale.activation == "tanh"
        self.opt = SGD([p for pair in zip(self.W, self.b, strict=True) for p in pair], lr=scale.lr)
        self.loss = cross_entropy if scale.loss == "cross_entropy" else mse_loss

    def _loss(self, x: Array, y: Array) -> Any:
        h = Tensor(x)
        last = len(self.W) - 1
        for i, (W, b) in enumerate(zip(self.W, self.b, strict=True)):
            h = h @ W.T + b
            if i != last:
                h = h.tanh() if self.tanh else h.relu()
        return self.loss(h, y)

    def grads(self, x: Array, y: Array) -> tuple[float, list[Array]]:
        self.opt.zero_grad()
        loss = self._loss(x, y)
        loss.backward()
        return loss.item(), [np.asarray(p.grad) for p in self.opt.param_groups[0]["params"]]

    def step(self, x: Array, y: Array) -> None:
        self.opt.zero_grad()
        self._loss(x, y).backward()
        self.opt.step()


class TorchMLP:
    """PyTorch eager: nn.Sequential, functional loss, optim.SGD."""

    def __init__(self, scale: Scale, params: Params) -> None:
        import torch

        self.torch = torch
        layers: list[Any] = []
        act = torch.nn.Tanh if scale.activation == "tanh" else torch.nn.ReLU
        dt = getattr(torch, scale.dtype)
        for w, b in params:
            lin = torch.nn.Linear(w.shape[1], w.shape[0], dtype=dt)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(w))
                lin.bias.copy_(torch.from_numpy(b))
            layers += [lin, act()]
        self.model = torch.nn.Sequential(*layers[:-1])
        self.opt = torch.optim.SGD(self.model.parameters(), lr=scale.lr)
        f = torch.nn.functional
        self.loss = f.cross_entropy if scale.loss == "cross_entropy" else f.mse_loss

    def _loss(self, x: Array, y: Array) -> Any:
        t = self.torch
        return self.loss(self.model(t.from_numpy(x)), t.from_numpy(y))

    def grads(self, x: Array, y: Array) -> tuple[float, list[Array]]:
        self.opt.zero_grad()
        loss = self._loss(x, y)
        loss.backward()
        return loss.item(), [p.grad.numpy().copy() for p in self.model.parameters()]

    def step(self, x: Array, y: Array) -> None:
        self.opt.zero_grad()
        self._loss(x, y).backward()
        self.opt.step()


class MicrogradMLP:
    """micrograd 0.1.0: one Value object per scalar (ReLU on all but the last layer)."""

    def __init__(self, scale: Scale, params: Params) -> None:
        from micrograd.nn import MLP as MgMLP

        self.model = MgMLP(scale.sizes[0], list(scale.sizes[1:]))
        for layer, (w, b) in zip(self.model.layers, params, strict=True):
            for j, neuron in enumerate(layer.neurons):
                for k, wk in enumerate(neuron.w):
                    wk.data = float(w[j, k])
                neuron.b.data = float(b[j])
        self.lr = scale.lr
        self._rows: tuple[Array, list[list[float]], list[float]] | None = None

    def _loss(self, x: Array, y: Array) -> Any:
        if self._rows is None or self._rows[0] is not x:  # lists of floats, once per batch
            self._rows = (x, x.tolist(), y[:, 0].tolist())
        _, xs, ys = self._rows
        total = sum(((self.model(row) - t) ** 2 for row, t in zip(xs, ys, strict=True)), 0.0)
        return total * (1.0 / len(ys))

    def grads(self, x: Array, y: Array) -> tuple[float, list[Array]]:
        self.model.zero_grad()
        loss = self._loss(x, y)
        loss.backward()
        out = []
        for layer in self.model.layers:
            out.append(np.array([[p.grad for p in n.w] for n in layer.neurons]))
            out.append(np.array([n.b.grad for n in layer.neurons]))
        return loss.data, out

    def step(self, x: Array, y: Array) -> None:
        self.model.zero_grad()
        self._loss(x, y).backward()
        for p in self.model.parameters():
            p.data -= self.lr * p.grad


CONTENDERS: dict[str, type] = {
    "numpy": NumpyMLP,
    "nnbook": NnbookMLP,
    "nnbook-raw": NnbookRawMLP,
    "torch": TorchMLP,
    "micrograd": MicrogradMLP,
}


# --------------------------------------------------------------------------- the bench


def check_same_maths(scale: Scale, models: dict[str, Any], x: Array, y: Array) -> dict[str, float]:
    """The worst gradient disagreement of each contender with NumPy (relative to the
    largest gradient entry); raises if one exceeds the scale's tolerance."""
    ref_loss, ref = models["numpy"].grads(x, y)
    worst: dict[str, float] = {}
    for name, model in models.items():
        if name == "numpy":
            continue
        loss, grads = model.grads(x, y)
        scale_g = max(1.0, max(float(np.abs(g).max()) for g in ref))
        err = max(
            float(np.abs(np.asarray(g, dtype=np.float64) - r).max()) / scale_g
            for g, r in zip(grads, ref, strict=True)
        )
        err = max(err, abs(loss - ref_loss) / max(1.0, abs(ref_loss)))
        if not err <= scale.tol:
            raise AssertionError(
                f"{scale.name}: {name}'s loss or gradients differ from the hand-written NumPy "
                f"version by {err:.3g} (> {scale.tol:g}): not the same maths"
            )
        worst[name] = err
    return worst


def _time_block(step: Step, n: int) -> tuple[float, float]:
    """Seconds per step over a block of n steps: (CPU time of this process, wall time)."""
    c0, w0 = time.process_time(), time.perf_counter()
    for _ in range(n):
        step()
    return (time.process_time() - c0) / n, (time.perf_counter() - w0) / n


def bench_scale(
    scale: Scale, repeats: int, block_ms: float, names: list[str], slow_repeats: int
) -> dict[str, Any]:
    x, y, params = make_data(scale)
    models = {n: CONTENDERS[n](scale, params) for n in names}
    agreement = check_same_maths(scale, models, x, y)
    steps: dict[str, Step] = {n: (lambda m=m: m.step(x, y)) for n, m in models.items()}
    blocks, rounds = {}, {}
    for n, step in steps.items():  # warm up, then size the block to about block_ms
        per_step = _time_block(step, 1)[0]
        if per_step < 0.05:
            per_step = min(_time_block(step, 5)[0] for _ in range(3))
        blocks[n] = max(1, round(block_ms / 1e3 / per_step))
        # A contender slower than a second a step (micrograd) runs in fewer repeats.
        rounds[n] = repeats if per_step < 1.0 else min(repeats, slow_repeats)
    cpu: dict[str, list[float]] = {n: [] for n in steps}
    wall: dict[str, list[float]] = {n: [] for n in steps}
    order = list(steps)
    for r in range(repeats):
        shift = r % len(order)  # rotate, so nobody always runs right after the same one
        for n in order[shift:] + order[:shift]:
            if r < rounds[n]:
                c, w = _time_block(steps[n], blocks[n])
                cpu[n].append(c)
                wall[n].append(w)
    results = {}
    for n, ts in cpu.items():
        q = statistics.quantiles(ts, n=4) if len(ts) > 1 else [ts[0]] * 3
        ratios = [t / base for t, base in zip(ts, cpu["numpy"], strict=False)]
        results[n] = {
            "median_s": statistics.median(ts),
            "q1_s": q[0],
            "q3_s": q[2],
            "ratio_to_numpy": statistics.median(ratios),
            "wall_median_s": statistics.median(wall[n]),
            "wall_ratio_to_numpy": statistics.median(
                [t / base for t, base in zip(wall[n], wall["numpy"], strict=False)]
            ),
            "steps_per_block": blocks[n],
            "repeats": len(ts),
            "max_grad_error": agreement.get(n, 0.0),
        }
    fused, raw = results["nnbook"], results["nnbook-raw"]
    targets = {
        f"fused <= {scale.max_ratio}x numpy": fused["ratio_to_numpy"] <= scale.max_ratio,
        f"raw <= {scale.raw_max_ratio}x numpy": raw["ratio_to_numpy"] <= scale.raw_max_ratio,
    }
    if "torch" in results:
        targets["raw faster than torch eager"] = raw["median_s"] < results["torch"]["median_s"]
    return {**asdict(scale), "results": results, "targets": targets}


def environment() -> dict[str, Any]:
    import torch

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "blas_threads_env": {
            v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")
        },
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "loadavg_at_start": list(os.getloadavg()),
    }


def run(repeats: int = 21, block_ms: float = 40.0, slow_repeats: int = 5) -> dict[str, Any]:
    import micrograd.engine  # noqa: F401 - imported before the freeze below
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    # The collector stays on, but the objects of the libraries imported so far
    # (torch's are many) are moved out of its view: a collection then costs what
    # it would in a program that imports only one of the contenders.
    gc.collect()
    gc.freeze()
    env = environment()
    scales = []
    for scale in SCALES:
        names = ["numpy", "nnbook", "nnbook-raw", "torch"] + (
            ["micrograd"] if scale.micrograd else []
        )
        scales.append(bench_scale(scale, repeats, block_ms, names, slow_repeats))
        print(f"  engine: {scale.name} done", file=sys.stderr, flush=True)
    overhead = node_overhead(repeats)
    print("  engine: per-node overhead done", file=sys.stderr, flush=True)
    env["loadavg_at_end"] = list(os.getloadavg())
    return {
        "environment": env,
        "clock": "process CPU time (time.process_time); wall time in wall_* fields",
        "repeats": repeats,
        "block_ms": block_ms,
        "scales": scales,
        "node_overhead": overhead,
    }


# --------------------------------------------------------------------------- per node


def _chain_nnbook(n: int) -> tuple[Callable[[], Any], Callable[[Any], None]]:
    x = Tensor(np.array([0.5]), requires_grad=True)
    a, c = Tensor(np.array([0.999])), Tensor(np.array([0.001]))

    def forward() -> Any:
        y = x
        for _ in range(n // 2):
            y = y * a + c
        return y.sum()

    def backward(out: Any) -> None:
        x.grad = None
        out.backward()

    return forward, backward


def _chain_micrograd(n: int) -> tuple[Callable[[], Any], Callable[[Any], None]]:
    from micrograd.engine import Value

    x, a, c = Value(0.5), Value(0.999), Value(0.001)

    def forward() -> Any:
        y = x
        for _ in range(n // 2):
            y = y * a + c
        return y

    def backward(out: Any) -> None:
        x.grad = 0.0
        out.backward()

    return forward, backward


def _chain_torch(n: int) -> tuple[Callable[[], Any], Callable[[Any], None]]:
    import torch

    x = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)
    a = torch.tensor([0.999], dtype=torch.float64)
    c = torch.tensor([0.001], dtype=torch.float64)

    def forward() -> Any:
        y = x
        for _ in range(n // 2):
            y = y * a + c
        return y.sum()

    def backward(out: Any) -> None:
        x.grad = None
        out.backward()

    return forward, backward


def node_overhead(repeats: int, n: int = 2000) -> dict[str, Any]:
    """Nanoseconds per graph node of a chain ``y = y * a + c`` (n nodes, one-element
    tensors, so the arithmetic is negligible): forward and backward timed apart
    (freeing the graph is in neither), the contenders interleaved, the median
    over ``repeats`` rounds of 10 chains."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * n))  # micrograd's sort recurses
    gc.collect()  # micrograd's graphs are cycles: free the training steps' before timing
    gc.freeze()
    makers = {"nnbook": _chain_nnbook, "micrograd": _chain_micrograd, "torch": _chain_torch}
    chains = {k: make(n) for k, make in makers.items()}
    fwd: dict[str, list[float]] = {k: [] for k in chains}
    bwd: dict[str, list[float]] = {k: [] for k in chains}
    order = list(chains)
    for r in range(repeats + 1):  # round 0 warms up and is dropped
        shift = r % len(order)
        for k in order[shift:] + order[:shift]:
            forward, backward = chains[k]
            tf = tb = 0.0
            for _ in range(10):
                c0 = time.process_time()
                out = forward()
                c1 = time.process_time()
                backward(out)
                tb += time.process_time() - c1
                tf += c1 - c0
                del out  # the graph is freed here, outside both timings
            if r:
                fwd[k].append(tf / 10 / n * 1e9)
                bwd[k].append(tb / 10 / n * 1e9)
    return {
        "nodes": n,
        "op": "y = y * a + c on one-element float64 tensors (micrograd: Values)",
        "forward_ns": {k: statistics.median(v) for k, v in fwd.items()},
        "backward_ns": {k: statistics.median(v) for k, v in bwd.items()},
    }


def format_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def table(report: dict[str, Any]) -> str:
    """The engine part of the bench's table, as plain text."""
    env = report["environment"]
    lines = [
        f"Engine: one training step (forward, backward, SGD update); CPU time per step, median "
        f"of {report['repeats']} interleaved repeats; ratio = median of per-repeat ratios to NumPy",
        f"1 thread each: torch.set_num_threads(1), OMP/OPENBLAS_NUM_THREADS=1. torch "
        f"{env['torch']} (eager, CPU), numpy {env['numpy']}, Python {env['python']}, "
        f"{env['machine']}, load average {env['loadavg_at_start'][0]:.1f}",
        f"{'contender':<11}{'time/step':>11}{'interquartile range':>24}{'x numpy':>10}"
        f"{'x torch':>9}  target",
    ]
    for s in report["scales"]:
        lines.append(f"-- {s['name']}: {s['title']}")
        torch_s = s["results"].get("torch", {}).get("median_s")
        for name, r in s["results"].items():
            iqr = f"{format_time(r['q1_s'])} - {format_time(r['q3_s'])}"
            path = {"nnbook": "fused", "nnbook-raw": "raw"}.get(name)
            mark = ""
            if path:
                marks = [
                    f"{k}: {'met' if ok else 'MISSED'}"
                    for k, ok in s["targets"].items()
                    if k.startswith(path)
                ]
                mark = "; ".join(marks)
            elif r["repeats"] != report["repeats"]:
                mark = f"({r['repeats']} repeats)"
            ratio = r["ratio_to_numpy"]
            ratio_text = f"{ratio:.2f}x" if ratio < 100 else f"{ratio:,.0f}x"
            vs_torch = f"{r['median_s'] / torch_s:.2f}x" if torch_s else ""
            lines.append(
                f"{name:<11}{format_time(r['median_s']):>11}{iqr:>24}{ratio_text:>10}"
                f"{vs_torch:>9}  {mark}"
            )
    ov = report.get("node_overhead")
    if ov:
        lines.append(f"-- overhead per graph node, ns: {ov['op']}, a chain of {ov['nodes']}")
        lines.append(f"{'contender':<11}{'forward':>10}{'backward':>10}{'total':>10}")
        for k in ov["forward_ns"]:
            f_ns, b_ns = ov["forward_ns"][k], ov["backward_ns"][k]
            lines.append(f"{k:<11}{f_ns:>10,.0f}{b_ns:>10,.0f}{f_ns + b_ns:>10,.0f}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--block-ms", type=float, default=40.0)
    parser.add_argument(
        "--slow-repeats", type=int, default=5, help="repeats of a contender slower than 1 s/step"
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    if args.repeats < 15:
        parser.error("--repeats must be at least 15")
    report = run(args.repeats, args.block_ms, args.slow_repeats)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
