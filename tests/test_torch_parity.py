"""Differential test: nnbook against PyTorch 2.13 (CPU) on random inputs.

Every public function and class with a PyTorch counterpart runs on the same
inputs in both libraries: float32 and float64; 0-d, size-1, empty and
broadcast shapes; values at kinks, ±inf and NaN; every option and
reduction. The results must agree in shape, dtype and value (NaN where
PyTorch has NaN), the gradients of every input too (for a random upstream
gradient), and where PyTorch raises, nnbook must raise. Optimizers and
schedulers run side by side for many steps.

nnbook's default float dtype is float64; PyTorch's is float32. Python floats
and lists therefore go through ``torch.tensor(..., dtype=torch.float64)``
here, so that both start from the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnbook
import nnbook.nn.functional as F
from nnbook import nn, optim
from nnbook.optim import lr_scheduler

torch.set_num_threads(1)
TF = torch.nn.functional

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, math.inf, -math.inf, math.nan]
DTYPES = [np.float32, np.float64]
TOL = {np.dtype(np.float32): (2e-5, 1e-6), np.dtype(np.float64): (1e-11, 1e-13)}


def values(allow_special: bool = True) -> st.SearchStrategy[float]:
    finite = st.floats(-8, 8, allow_nan=False, allow_subnormal=False, width=32)
    return st.one_of(finite, st.sampled_from(SPECIAL)) if allow_special else finite


@st.composite
def array(
    draw: st.DrawFn,
    shape: Any = None,
    dtype: Any = None,
    special: bool = True,
    min_dims: int = 0,
    min_side: int = 0,
) -> np.ndarray:
    dt = dtype or draw(st.sampled_from(DTYPES))
    shp = (
        shape
        if shape is not None
        else draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=min_side, max_side=4))
    )
    return draw(hnp.arrays(dt, shp, elements=values(special)))


@st.composite
def broadcast_pair(draw: st.DrawFn, special: bool = True) -> tuple[np.ndarray, np.ndarray]:
    dt = draw(st.sampled_from(DTYPES))
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    a, b = shapes.input_shapes
    # Sometimes mixed dtypes, to check PyTorch's promotion (0-d against N-d included).
    dt_b = draw(st.sampled_from([dt, *DTYPES]))
    return draw(array(a, dt, special)), draw(array(b, dt_b, special))


# --------------------------------------------------------------------------- the comparator
def _torch_dtype(dt: np.dtype[Any]) -> torch.dtype:
    return {
        np.dtype(np.float32): torch.float32,
        np.dtype(np.float64): torch.float64,
        np.dtype(np.int64): torch.int64,
        np.dtype(np.bool_): torch.bool,
    }[np.dtype(dt)]


def _np_of(t: Any) -> np.ndarray:
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def assert_same(got: Any, want: Any, dtype: Any = None, what: str = "value") -> None:
    """nnbook's result (Tensor or array) against torch's: shape, dtype, values (NaN where NaN)."""
    if isinstance(want, (tuple, list)):
        assert len(got) == len(want), what
        for g, w in zip(got, want, strict=True):
            assert_same(g, w, dtype, what)
        return
    g = got.data if isinstance(got, nnbook.Tensor) else np.asarray(got)
    w = _np_of(want)
    assert g.shape == w.shape, f"{what}: shape {g.shape} vs torch {w.shape}"
    assert g.dtype == w.dtype, f"{what}: dtype {g.dtype} vs torch {w.dtype}"
    if g.dtype.kind == "f":
        rtol, atol = TOL[np.dtype(dtype or g.dtype)]
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(g, w, err_msg=what)


def compare(
    fn_nb: Callable[..., Any],
    fn_torch: Callable[..., Any],
    inputs: list[np.ndarray],
    seed: int = 0,
    grad: bool = True,
) -> None:
    """Run both, compare the outputs; then backward from a random upstream gradient
    and compare every input's gradient. Where torch raises, nnbook must raise."""
    needs = [grad and x.dtype.kind == "f" for x in inputs]
    nb_in = [nnbook.tensor(x, requires_grad=r) for x, r in zip(inputs, needs, strict=True)]
    t_in = [torch.tensor(x, requires_grad=r) for x, r in zip(inputs, needs, strict=True)]
    try:
        want = fn_torch(*t_in)
    except (RuntimeError, ValueError, TypeError, IndexError):
        with pytest.raises((RuntimeError, ValueError, TypeError, IndexError)):
            fn_nb(*nb_in)
        return
    got = fn_nb(*nb_in)
    assert_same(got, want)
    if not (isinstance(want, torch.Tensor) and want.requires_grad):
        return
    rng = np.random.default_rng(seed)
    g = rng.normal(size=want.shape).astype(_np_of(want).dtype)
    want.backward(torch.tensor(g))
    got.backward(g)
    for k, (a, b) in enumerate(zip(nb_in, t_in, strict=True)):
        if not b.requires_grad:
            continue
        if b.grad is None:
            assert a.grad is None or not np.any(a.grad), f"grad of input {k}: torch has None"
            continue
        assert a.grad is not None, f"grad of input {k}: nnbook has None"
        # A float64 input of a float32 result (a 0-d float64 with a float32 tensor) gets a
        # float64 gradient that both libraries compute in float32 and then cast: it agrees
        # to float32's precision, not float64's (pow's exponent differed by one float32 ulp).
        out = _np_of(want).dtype
        computed_in = out if out.itemsize < np.dtype(a.grad.dtype).itemsize else None
        assert_same(a.grad, b.grad, dtype=computed_in, what=f"grad of input {k}")


# --------------------------------------------------------------------------- elementwise
UNARY: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "neg": (lambda x: -x, lambda x: -x),
    "exp": (lambda x: x.exp(), lambda x: x.exp()),
    "log": (lambda x: x.log(), lambda x: x.log()),
    "sqrt": (lambda x: x.sqrt(), lambda x: x.sqrt()),
    "abs": (lambda x: x.abs(), lambda x: x.abs()),
    "sin": (lambda x: x.sin(), lambda x: x.sin()),
    "cos": (lambda x: x.cos(), lambda x: x.cos()),
    "tanh": (lambda x: x.tanh(), lambda x: x.tanh()),
    "sigmoid": (lambda x: x.sigmoid(), lambda x: x.sigmoid()),
    "relu": (lambda x: x.relu(), lambda x: x.relu()),
    "F.relu": (F.relu, TF.relu),
    "F.sigmoid": (F.sigmoid, torch.sigmoid),
    "F.tanh": (F.tanh, torch.tanh),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.1), lambda x: TF.leaky_relu(x, 0.1)),
    "leaky_relu0": (lambda x: F.leaky_relu(x, 0.0), lambda x: TF.leaky_relu(x, 0.0)),
    "softplus": (F.softplus, TF.softplus),
    "softplus_beta": (
        lambda x: F.softplus(x, beta=2.0, threshold=3.0),
        lambda x: TF.softplus(x, beta=2.0, threshold=3.0),
    ),
    "pow2": (lambda x: x**2, lambda x: x**2),
    "pow_half": (lambda x: x**0.5, lambda x: x**0.5),
    "pow0": (lambda x: x**0, lambda x: x**0),
    "rpow": (lambda x: 2.0**x, lambda x: 2.0**x),
    "rsub": (lambda x: 1.0 - x, lambda x: 1.0 - x),
    "rdiv": (lambda x: 1.0 / x, lambda x: 1.0 / x),
    "mul_scalar": (lambda x: x * 3.0, lambda x: x * 3.0),
    "clip": (lambda x: x.clip(-1.0, 0.5), lambda x: x.clip(-1.0, 0.5)),
    "clamp_min": (lambda x: x.clamp(min=0.0), lambda x: x.clamp(min=0.0)),
    "clamp_max": (lambda x: x.clamp(max=0.0), lambda x: x.clamp(max=0.0)),
    "clip_min_gt_max": (lambda x: x.clip(2.0, 1.0), lambda x: x.clip(2.0, 1.0)),
    # a kink followed by a singularity: PyTorch selects the gradient, so 0, not inf·0 = NaN
    "relu_log": (lambda x: x.relu().log(), lambda x: x.relu().log()),
    "clip_sqrt": (lambda x: x.clip(min=0).sqrt(), lambda x: x.clamp(min=0).sqrt()),
    "leaky_log": (lambda x: F.leaky_relu(x, 0.0).log(), lambda x: TF.leaky_relu(x, 0.0).log()),
    "gt": (lambda x: x > 0, lambda x: x > 0),
    "le": (lambda x: x <= 0.5, lambda x: x <= 0.5),
    "eq": (lambda x: x == 1.0, lambda x: x == 1.0),
    "ne": (lambda x: x != 1.0, lambda x: x != 1.0),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(x=array(), seed=st.integers(0, 2**16))
def test_unary(name: str, x: np.ndarray, seed: int) -> None:
    fn_nb, fn_t = UNARY[name]
    compare(fn_nb, fn_t, [x], seed)


BINARY: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]]] = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "pow": (lambda a, b: a**b, lambda a, b: a**b),
    "maximum": (nnbook.maximum, torch.maximum),
    "lt": (lambda a, b: a < b, lambda a, b: a < b),
    "ge": (lambda a, b: a >= b, lambda a, b: a >= b),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(ab=broadcast_pair(), seed=st.integers(0, 2**16))
def test_binary(name: str, ab: tuple[np.ndarray, np.ndarray], seed: int) -> None:
    fn_nb, fn_t = BINARY[name]
    compare(fn_nb, fn_t, list(ab), seed)


@given(
    n=st.integers(0, 3),
    k=st.integers(1, 3),
    m=st.integers(0, 3),
    batch=st.sampled_from([(), (2,), (1, 2)]),
    dts=st.sampled_from(
        [(np.float64, np.float64), (np.float32, np.float32), (np.float32, np.float64)]
    ),
    vec=st.sampled_from(["none", "left", "right", "both"]),
    seed=st.integers(0, 2**16),
)
def test_matmul(
    n: int, k: int, m: int, batch: tuple[int, ...], dts: Any, vec: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(k,) if vec in ("left", "both") else (*batch, n, k)).astype(dts[0])
    b = rng.normal(size=(k,) if vec in ("right", "both") else (k, m)).astype(dts[1])
    compare(lambda x, y: x @ y, lambda x, y: x @ y, [a, b], seed)


# --------------------------------------------------------------------------- reductions, shapes
@st.composite
def array_and_dim(draw: st.DrawFn, special: bool = True) -> tuple[np.ndarray, int | None]:
    x = draw(array(special=special))
    span = max(x.ndim, 1)
    dim = draw(st.none() | st.integers(-span, span - 1))
    return x, dim


REDUCTIONS: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "sum": (lambda x, d, k: x.sum(dim=d, keepdim=k), lambda x, d, k: x.sum(dim=d, keepdim=k)),
    "mean": (lambda x, d, k: x.mean(dim=d, keepdim=k), lambda x, d, k: x.mean(dim=d, keepdim=k)),
    "amax": (
        lambda x, d, k: x.amax(dim=() if d is None else d, keepdim=k),
        lambda x, d, k: x.amax(dim=() if d is None else d, keepdim=k),
    ),
    "max": (
        lambda x, d, k: x.max() if d is None else x.max(dim=d, keepdim=k),
        lambda x, d, k: x.max() if d is None else x.max(dim=d, keepdim=k),
    ),
    "argmax": (
        lambda x, d, k: x.argmax(dim=d, keepdim=k),
        lambda x, d, k: x.argmax(dim=d, keepdim=k),
    ),
    "softmax": (
        lambda x, d, k: F.softmax(x, dim=-1 if d is None else d),
        lambda x, d, k: TF.softmax(x, dim=-1 if d is None else d),
    ),
    "log_softmax": (
        lambda x, d, k: F.log_softmax(x, dim=-1 if d is None else d),
        lambda x, d, k: TF.log_softmax(x, dim=-1 if d is None else d),
    ),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@given(xd=array_and_dim(), keepdim=st.booleans(), seed=st.integers(0, 2**16))
def test_reduction(name: str, xd: tuple[np.ndarray, int | None], keepdim: bool, seed: int) -> None:
    fn_nb, fn_t = REDUCTIONS[name]
    x, dim = xd
    if name == "max" and dim is not None:
        # (values, indices): the values carry the gradient
        compare(
            lambda t: fn_nb(t, dim, keepdim).values,
            lambda t: fn_t(t, dim, keepdim).values,
            [x],
            seed,
        )
        compare(
            lambda t: fn_nb(t, dim, keepdim).indices,
            lambda t: fn_t(t, dim, keepdim).indices,
            [x],
            seed,
            grad=False,
        )
        return
    compare(lambda t: fn_nb(t, dim, keepdim), lambda t: fn_t(t, dim, keepdim), [x], seed)


SHAPES: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "reshape": (lambda x: x.reshape(-1), lambda x: x.reshape(-1)),
    "view": (lambda x: x.view(1, -1), lambda x: x.view(1, -1)),
    "T": (lambda x: x.T, lambda x: x.permute(tuple(reversed(range(x.ndim))))),
    "transpose": (lambda x: x.transpose(0, -1), lambda x: x.transpose(0, -1)),
    "permute": (
        lambda x: x.permute(tuple(reversed(range(x.ndim)))),
        lambda x: x.permute(tuple(reversed(range(x.ndim)))),
    ),
    "unsqueeze0": (lambda x: x.unsqueeze(0), lambda x: x.unsqueeze(0)),
    "unsqueeze-1": (lambda x: x.unsqueeze(-1), lambda x: x.unsqueeze(-1)),
    "squeeze": (lambda x: x.squeeze(), lambda x: x.squeeze()),
    "squeeze0": (lambda x: x.squeeze(0), lambda x: x.squeeze(0)),
    "flatten": (lambda x: x.flatten(), lambda x: x.flatten()),
    "flatten1": (lambda x: x.flatten(1), lambda x: x.flatten(1)),
    "index0": (lambda x: x[0], lambda x: x[0]),
    "index_slice": (lambda x: x[..., :1], lambda x: x[..., :1]),
    "index_mask": (lambda x: x[x > 0], lambda x: x[x > 0]),
    "clone": (lambda x: x.clone(), lambda x: x.clone()),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
@given(x=array(), seed=st.integers(0, 2**16))
def test_shape_op(name: str, x: np.ndarray, seed: int) -> None:
    fn_nb, fn_t = SHAPES[name]
    compare(fn_nb, fn_t, [x], seed)


@given(x=array(special=False), seed=st.integers(0, 2**16))
def test_index_with_repeated_integers_scatters_gradients(x: np.ndarray, seed: int) -> None:
    if x.ndim == 0 or x.shape[0] == 0:
        return
    idx = np.random.default_rng(seed).integers(0, x.shape[0], size=5)
    compare(lambda t: t[idx], lambda t: t[torch.tensor(idx)], [x], seed)


# --------------------------------------------------------------------------- the Tensor's protocol
def test_scalars_and_conversions_as_torch() -> None:
    for data in (2.5, [1, 2], [[True, False]], 3, np.ones(2, np.float32)):
        got, want = nnbook.tensor(data), torch.tensor(data)
        if want.dtype == torch.float32 and not isinstance(data, np.ndarray):
            want = torch.tensor(data, dtype=torch.float64)  # nnbook's default float dtype
        assert_same(got, want)
    t, u = nnbook.tensor([3.5]), torch.tensor([3.5])
    assert float(t) == float(u) and int(t) == int(u) and bool(t) == bool(u)
    assert t.item() == u.item() and t.tolist() == u.tolist()
    for many in (nnbook.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])):
        with pytest.raises(RuntimeError, match="ambiguous"):
            bool(many)
        with pytest.raises((RuntimeError, ValueError)):
            float(many)
    assert nnbook.zeros(2, 3).shape == tuple(torch.zeros(2, 3).shape)
    assert nnbook.ones((2,)).tolist() == torch.ones((2,)).tolist()
    assert nnbook.empty(0, 3).shape == tuple(torch.empty(0, 3).shape)
    x, y = nnbook.tensor([[1.0, 2.0, 3.0]]), torch.tensor([[1.0, 2.0, 3.0]])
    assert x.size() == tuple(y.size()) and x.size(-1) == y.size(-1)
    assert x.numel() == y.numel() and x.dim() == y.dim()


def test_a_second_backward_raises_unless_retain_graph_as_torch() -> None:
    for lib in (nnbook, torch):
        x = lib.tensor(2.0, requires_grad=True)
        y = (x * x).exp()
        y.backward(retain_graph=True)
        y.backward()
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            y.backward()
        assert float(x.grad) == pytest.approx(2 * 4 * math.exp(4))


def test_in_place_on_a_leaf_that_requires_grad_raises_as_torch() -> None:
    for lib in (nnbook, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            x += 1
        with lib.no_grad():
            x -= 0.5  # allowed without a graph, in place
        assert x.tolist() == [0.5, 1.5] and x.is_leaf
        z = lib.tensor([1.0, 2.0])
        w = z
        z *= 2.0  # a tensor that needs no gradient changes in place
        assert w.tolist() == [2.0, 4.0]


def test_requires_grad_only_for_floats_and_numpy_refuses_a_graph_as_torch() -> None:
    for lib in (nnbook, torch):
        with pytest.raises(RuntimeError, match="floating point"):
            lib.tensor([1, 2], requires_grad=True)
        with pytest.raises(RuntimeError, match="requires grad"):
            lib.tensor([1.0], requires_grad=True).numpy()
        with pytest.raises(RuntimeError, match="only for scalar outputs"):
            (lib.tensor([1.0, 2.0], requires_grad=True) * 2).backward()


# --------------------------------------------------------------------------- linear and losses
@given(
    n=st.integers(0, 4),
    i=st.integers(1, 3),
    o=st.integers(1, 3),
    dt=st.sampled_from(DTYPES),
    bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_linear(n: int, i: int, o: int, dt: Any, bias: bool, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, w, b = (rng.normal(size=s).astype(dt) for s in ((n, i), (o, i), (o,)))
    if bias:
        compare(F.linear, TF.linear, [x, w, b], seed)
    else:
        compare(F.linear, TF.linear, [x, w], seed)


REDUCTIONS_OF_LOSSES = ["none", "mean", "sum"]


@st.composite
def regression_pair(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    x = draw(array())
    return x, draw(array(x.shape, x.dtype))


PAIR_LOSSES: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "mse_loss": (F.mse_loss, TF.mse_loss),
    "l1_loss": (F.l1_loss, TF.l1_loss),
    "huber_loss": (F.huber_loss, TF.huber_loss),
    "huber_loss_delta": (
        lambda a, b, reduction: F.huber_loss(a, b, reduction=reduction, delta=0.5),
        lambda a, b, reduction: TF.huber_loss(a, b, reduction=reduction, delta=0.5),
    ),
    "smooth_l1_loss": (F.smooth_l1_loss, TF.smooth_l1_loss),
    "smooth_l1_loss_beta": (
        lambda a, b, reduction: F.smooth_l1_loss(a, b, reduction=reduction, beta=2.0),
        lambda a, b, reduction: TF.smooth_l1_loss(a, b, reduction=reduction, beta=2.0),
    ),
    "bce_with_logits": (F.binary_cross_entropy_with_logits, TF.binary_cross_entropy_with_logits),
    "kl_div": (F.kl_div, TF.kl_div),
    "kl_div_log_target": (
        lambda a, b, reduction: F.kl_div(a, b, reduction=reduction, log_target=True),
        lambda a, b, reduction: TF.kl_div(a, b, reduction=reduction, log_target=True),
    ),
}


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss")  # torch's kl_div
@pytest.mark.parametrize("name", sorted(PAIR_LOSSES))
@pytest.mark.parametrize("reduction", REDUCTIONS_OF_LOSSES)
@given(xy=regression_pair(), seed=st.integers(0, 2**16))
def test_pair_loss(name: str, reduction: str, xy: tuple[np.ndarray, np.ndarray], seed: int) -> None:
    fn_nb, fn_t = PAIR_LOSSES[name]
    compare(
        lambda a, b: fn_nb(a, b, reduction=reduction),
        lambda a, b: fn_t(a, b, reduction=reduction),
        list(xy),
        seed,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS_OF_LOSSES)
@given(
    x=array(special=False),
    data=st.data(),
    seed=st.integers(0, 2**16),
)
def test_binary_cross_entropy(
    reduction: str, x: np.ndarray, data: st.DataObject, seed: int
) -> None:
    p = 1 / (1 + np.exp(-x))  # probabilities, 0 and 1 included where x is large
    y = data.draw(array(x.shape, x.dtype, special=False)).clip(0, 1)
    weight = data.draw(st.none() | array(x.shape, x.dtype, special=False))
    compare(
        lambda a, b: F.binary_cross_entropy(a, b, weight=weight, reduction=reduction),
        lambda a, b: TF.binary_cross_entropy(
            a, b, weight=None if weight is None else torch.tensor(weight), reduction=reduction
        ),
        [p.astype(x.dtype), y],
        seed,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS_OF_LOSSES)
@given(x=array(), data=st.data(), seed=st.integers(0, 2**16))
def test_hinge_embedding_loss(
    reduction: str, x: np.ndarray, data: st.DataObject, seed: int
) -> None:
    y = data.draw(hnp.arrays(x.dtype, x.shape, elements=st.sampled_from([-1.0, 1.0])))
    margin = data.draw(st.sampled_from([1.0, 0.5, 0.0]))
    compare(
        lambda a, b: F.hinge_embedding_loss(a, b, margin=margin, reduction=reduction),
        lambda a, b: TF.hinge_embedding_loss(a, b, margin=margin, reduction=reduction),
        [x, y],
        seed,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS_OF_LOSSES)
@given(
    n=st.integers(0, 4),
    c=st.integers(1, 4),
    spatial=st.sampled_from([(), (2,)]),
    dt=st.sampled_from(DTYPES),
    weighted=st.booleans(),
    ignore=st.booleans(),
    smoothing=st.sampled_from([0.0, 0.1, 1.0]),
    probs=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_cross_entropy_and_nll(
    reduction: str,
    n: int,
    c: int,
    spatial: tuple[int, ...],
    dt: Any,
    weighted: bool,
    ignore: bool,
    smoothing: float,
    probs: bool,
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(n, c, *spatial)) * 3).astype(dt)
    idx = rng.integers(0, c, size=(n, *spatial))
    if ignore and idx.size:
        idx.reshape(-1)[rng.random(idx.size) < 0.5] = -100  # ignored rows, maybe all
    w = (rng.random(c) + 0.5).astype(dt) if weighted else None
    tw = None if w is None else torch.tensor(w)
    if probs:  # class probabilities as targets
        target = rng.dirichlet(np.ones(c), size=(n, *spatial)).astype(dt)
        target = np.moveaxis(target, -1, 1)
        compare(
            lambda a, t: F.cross_entropy(
                a, t, weight=w, reduction=reduction, label_smoothing=smoothing
            ),
            lambda a, t: TF.cross_entropy(
                a, t, weight=tw, reduction=reduction, label_smoothing=smoothing
            ),
            [x, target],
            seed,
        )
        return
    t_idx = torch.tensor(idx)
    compare(
        lambda a: F.cross_entropy(a, idx, weight=w, reduction=reduction, label_smoothing=smoothing),
        lambda a: TF.cross_entropy(
            a, t_idx, weight=tw, reduction=reduction, label_smoothing=smoothing
        ),
        [x],
        seed,
    )
    compare(
        lambda a: F.nll_loss(F.log_softmax(a, dim=1), idx, weight=w, reduction=reduction),
        lambda a: TF.nll_loss(TF.log_softmax(a, dim=1), t_idx, weight=tw, reduction=reduction),
        [x],
        seed,
    )


LOSS_MODULES = [
    (nn.MSELoss(), torch.nn.MSELoss()),
    (nn.L1Loss(reduction="sum"), torch.nn.L1Loss(reduction="sum")),
    (nn.HuberLoss(delta=0.5), torch.nn.HuberLoss(delta=0.5)),
    (nn.SmoothL1Loss(beta=2.0), torch.nn.SmoothL1Loss(beta=2.0)),
    (nn.BCEWithLogitsLoss(), torch.nn.BCEWithLogitsLoss()),
    (nn.KLDivLoss(reduction="batchmean"), torch.nn.KLDivLoss(reduction="batchmean")),
    (nn.HingeEmbeddingLoss(margin=0.5), torch.nn.HingeEmbeddingLoss(margin=0.5)),
]


@pytest.mark.parametrize(("mine", "theirs"), LOSS_MODULES, ids=lambda m: type(m).__name__)
@given(x=array(shape=(3, 2), special=False), seed=st.integers(0, 2**16))
def test_loss_modules(mine: Any, theirs: Any, x: np.ndarray, seed: int) -> None:
    y = np.sign(np.random.default_rng(seed).normal(size=x.shape)).astype(x.dtype)
    compare(mine, theirs, [x, y], seed)


@given(x=array(shape=(3, 4), special=False), seed=st.integers(0, 2**16))
def test_classification_loss_modules(x: np.ndarray, seed: int) -> None:
    idx = np.random.default_rng(seed).integers(0, 4, size=3)
    ti = torch.tensor(idx)
    for mine, theirs in [
        (nn.CrossEntropyLoss(label_smoothing=0.1), torch.nn.CrossEntropyLoss(label_smoothing=0.1)),
        (nn.NLLLoss(reduction="sum"), torch.nn.NLLLoss(reduction="sum")),
    ]:
        compare(lambda a, m=mine: m(a, idx), lambda a, m=theirs: m(a, ti), [x], seed)
    p = 1 / (1 + np.exp(-x))
    y = (p > 0.5).astype(x.dtype)
    compare(nn.BCELoss(), torch.nn.BCELoss(), [p.astype(x.dtype), y], seed)


# --------------------------------------------------------------------------- modules
def test_module_names_state_dict_and_modes_as_torch() -> None:
    mine = nn.Sequential(nn.Linear(3, 4, rng=0), nn.ReLU(), nn.Linear(4, 2, rng=1))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    assert [n for n, _ in mine.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(mine.state_dict()) == list(theirs.state_dict())
    assert [tuple(p.shape) for p in mine.parameters()] == [
        tuple(p.shape) for p in theirs.parameters()
    ]
    theirs.double().load_state_dict({k: torch.tensor(v.data) for k, v in mine.state_dict().items()})
    x = np.random.default_rng(0).normal(size=(5, 3))
    compare(mine, theirs, [x], 0)
    for m in (mine, theirs):
        assert m.training and not m.eval().training and not m[0].training
        assert m.train().training and m[2].training
    copy = nn.Sequential(nn.Linear(3, 4, rng=5), nn.ReLU(), nn.Linear(4, 2, rng=6))
    copy.load_state_dict(mine.state_dict())
    assert all(
        np.array_equal(a.data, b.data)
        for a, b in zip(copy.parameters(), mine.parameters(), strict=True)
    )
    with pytest.raises(RuntimeError, match="missing keys"):
        copy.load_state_dict({"0.weight": mine[0].weight})


def test_linear_default_init_has_torch_bounds() -> None:
    layer = nn.Linear(50, 40, rng=0)
    bound = 1 / math.sqrt(50)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    # Uniform: the variance is bound²/3, as for torch's default.
    assert layer.weight.data.var() == pytest.approx(bound**2 / 3, rel=0.1)


# --------------------------------------------------------------------------- initializers
@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [
        ("linear", None),
        ("conv2d", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("selu", None),
    ],
)
def test_calculate_gain(nonlinearity: str, param: float | None) -> None:
    assert nn.init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(
        nonlinearity, param
    )


@given(shape=hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=5))
def test_fans(shape: tuple[int, ...]) -> None:
    want = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert nn.init.fan_in_and_fan_out(shape) == want


IN_PLACE = [
    ("uniform_", {"a": -0.5, "b": 2.0}, lambda w: (w.min() >= -0.5) and (w.max() <= 2.0)),
    ("normal_", {"mean": 1.0, "std": 0.5}, None),
    (
        "trunc_normal_",
        {"std": 1.0, "a": -0.5, "b": 1.0},
        lambda w: (w.min() >= -0.5) and (w.max() <= 1.0),
    ),
    ("xavier_uniform_", {"gain": 2.0}, None),
    ("xavier_normal_", {}, None),
    ("kaiming_uniform_", {"a": math.sqrt(5)}, None),
    ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "relu"}, None),
    ("orthogonal_", {"gain": 1.5}, None),
]


@pytest.mark.parametrize(("name", "kwargs", "bounds"), IN_PLACE, ids=[c[0] for c in IN_PLACE])
def test_in_place_initializers_match_torch_in_distribution(
    name: str, kwargs: dict[str, Any], bounds: Any
) -> None:
    """Different generators, so the same distribution: mean and std within sampling error
    (4 standard errors), bounds where the distribution has them, and the tensor filled
    in place and returned."""
    shape = (300, 200)
    mine = nnbook.zeros(*shape)
    out = getattr(nn.init, name)(mine, generator=0, **kwargs)
    assert out is mine and mine.dtype == np.float64
    theirs = getattr(torch.nn.init, name)(
        torch.zeros(shape, dtype=torch.float64),
        generator=torch.Generator().manual_seed(0),
        **kwargs,
    )
    a, b = mine.data, theirs.numpy()
    n = a.size
    assert abs(a.mean() - b.mean()) <= 4 * b.std() * math.sqrt(2 / n) + 1e-12
    assert a.std() == pytest.approx(b.std(), rel=4 * math.sqrt(2 / n) * 3)
    if bounds is not None:
        assert bounds(a) and bounds(b)
    if name == "orthogonal_":
        np.testing.assert_allclose(a.T @ a, 1.5**2 * np.eye(200), atol=1e-10)
    for const, fill in (("zeros_", 0.0), ("ones_", 1.0)):
        t = nnbook.empty(2, 2)
        getattr(nn.init, const)(t)
        assert (
            t.tolist()
            == getattr(torch.nn.init, const)(torch.empty(2, 2)).tolist()
            == [[fill, fill]] * 2
        )
    t = nn.init.constant_(nnbook.empty(3), math.nan)
    assert (
        np.isnan(t.data).all() and torch.nn.init.constant_(torch.empty(3), math.nan).isnan().all()
    )
    with pytest.raises(TypeError, match="generator"):
        nn.init.xavier_uniform_(nnbook.empty(2, 2))  # no global random state: say so


# --------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1}),
    ("Adam", {}),
    ("Adam", {"lr": 0.01, "betas": (0.5, 0.9), "eps": 1e-6, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.1, "betas": (0.0, 0.0)}),
]


@pytest.mark.parametrize(("name", "kwargs"), OPTIMIZERS, ids=[f"{n}{k}" for n, k in OPTIMIZERS])
@given(dt=st.sampled_from(DTYPES), seed=st.integers(0, 2**16))
def test_optimizer_trajectories(name: str, kwargs: dict[str, Any], dt: Any, seed: int) -> None:
    """100 steps with the same gradients (some None), two parameter groups."""
    rng = np.random.default_rng(seed)
    init = [rng.normal(size=s).astype(dt) for s in ((3, 2), (2,), ())]
    mine = [nnbook.tensor(a, requires_grad=True) for a in init]
    theirs = [torch.tensor(a, requires_grad=True) for a in init]
    groups = lambda ps: [{"params": ps[:2]}, {"params": ps[2:], "lr": 0.02}]  # noqa: E731
    opt_m = getattr(optim, name)(groups(mine), **kwargs)
    opt_t = getattr(torch.optim, name)(groups(theirs), **kwargs)
    for step in range(100):
        for m, t in zip(mine, theirs, strict=True):
            if step % 7 == 3 and m.ndim == 0:
                m.grad, t.grad = None, None  # skipped this step, in both
                continue
            g = rng.normal(size=m.shape).astype(dt)
            m.grad, t.grad = g, torch.tensor(g)
        opt_m.step()
        opt_t.step()
    for m, t in zip(mine, theirs, strict=True):
        assert_same(m.detach(), t, what=f"{name} after 100 steps")
    sd_m, sd_t = opt_m.state_dict(), opt_t.state_dict()
    assert [g["params"] for g in sd_m["param_groups"]] == [
        g["params"] for g in sd_t["param_groups"]
    ]
    assert sorted(sd_m["state"]) == sorted(sd_t["state"])
    for i, st_t in sd_t["state"].items():
        for key, v in st_t.items():
            if key == "step":  # torch keeps the count as a float tensor
                assert sd_m["state"][i][key] == float(v)
            else:
                assert_same(np.asarray(sd_m["state"][i][key]), v.detach().numpy(), what=key)


SCHEDULERS = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 10, "eta_min": 0.01}),
    ("LinearLR", {}),
    ("LinearLR", {"start_factor": 0.1, "end_factor": 0.5, "total_iters": 7}),
    ("LambdaLR", {"lr_lambda": lambda t: 1 / (1 + t)}),
    ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4}),
    (
        "CyclicLR",
        {
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 3,
            "step_size_down": 5,
            "mode": "triangular2",
        },
    ),
    (
        "CyclicLR",
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2, "mode": "exp_range", "gamma": 0.9},
    ),
]


@pytest.mark.parametrize(("name", "kwargs"), SCHEDULERS, ids=[s[0] for s in SCHEDULERS])
@pytest.mark.parametrize("opt_name", ["SGD", "Adam"])
def test_scheduler_trajectories(name: str, kwargs: dict[str, Any], opt_name: str) -> None:
    """The rate (and CyclicLR's momentum) over 60 steps, two parameter groups."""
    extra = {"momentum": 0.9} if opt_name == "SGD" else {}
    w_m, w_t = nnbook.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    v_m, v_t = nnbook.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
    opt_m = getattr(optim, opt_name)(
        [{"params": [w_m]}, {"params": [v_m], "lr": 0.3}], lr=0.1, **extra
    )
    opt_t = getattr(torch.optim, opt_name)(
        [{"params": [w_t]}, {"params": [v_t], "lr": 0.3}], lr=0.1, **extra
    )
    s_m = getattr(lr_scheduler, name)(opt_m, **kwargs)
    s_t = getattr(torch.optim.lr_scheduler, name)(opt_t, **kwargs)
    for _ in range(60):
        np.testing.assert_allclose(s_m.get_last_lr(), s_t.get_last_lr(), rtol=1e-12)
        for gm, gt in zip(opt_m.param_groups, opt_t.param_groups, strict=True):
            assert gm["lr"] == pytest.approx(gt["lr"], rel=1e-12)
            for key in ("momentum", "betas"):
                if key in gt:
                    np.testing.assert_allclose(gm[key], gt[key], rtol=1e-12)
        opt_m.step()
        opt_t.step()
        s_m.step()
        s_t.step()


def test_scheduler_before_optimizer_warns_as_torch() -> None:
    for lib, mod in ((optim, lr_scheduler), (torch.optim, torch.optim.lr_scheduler)):
        opt = lib.SGD([(nnbook if lib is optim else torch).zeros(1, requires_grad=True)], lr=0.1)
        sched = mod.StepLR(opt, 2)
        with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
            sched.step()
