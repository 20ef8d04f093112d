"""Tests of the additions to nnbook.autograd made for chapter 5 (``maximum``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnbook import Tensor, maximum
from nnbook.autograd import gradcheck, numerical_grad


def test_maximum_routes_gradient_to_the_larger_input() -> None:
    # f = 2(xy + max(z, w)) at (3, -4, 2, -1), CS231n's gate example:
    # df/dx = 2y = -8, df/dy = 2x = 6, df/dz = 2·1 = 2 (z wins), df/dw = 0.
    x, y, z, w = (Tensor(v, requires_grad=True) for v in (3.0, -4.0, 2.0, -1.0))
    f = 2 * (x * y + maximum(z, w))
    f.backward()
    assert f.item() == 2 * (-12 + 2)
    assert [t.grad.item() for t in (x, y, z, w)] == [-8.0, 6.0, 2.0, 0.0]
    assert f.parents[0].parents[1].op == "maximum"


def test_maximum_tie_splits_the_gradient_in_halves() -> None:
    # torch.maximum: where a == b each side gets g/2.
    a = Tensor([1.0, 2.0, 5.0], requires_grad=True)
    b = Tensor([1.0, 3.0, 4.0], requires_grad=True)
    maximum(a, b).backward(np.array([2.0, 10.0, 100.0]))
    np.testing.assert_array_equal(a.grad, [1.0, 0.0, 100.0])
    np.testing.assert_array_equal(b.grad, [1.0, 10.0, 0.0])


def test_maximum_tie_matches_the_centred_difference() -> None:
    # (max(z + h, w) − max(z − h, w)) / 2h = (h − 0)/2h = 1/2 at z = w.
    num = numerical_grad(lambda v: float(np.maximum(v[0], 1.0)), [1.0], eps=1e-3)
    z = Tensor(1.0, requires_grad=True)
    maximum(z, 1.0).backward()
    assert num[0] == pytest.approx(0.5) and z.grad.item() == 0.5


def test_maximum_with_numbers_and_arrays_on_either_side() -> None:
    t = Tensor([-1.0, 4.0], requires_grad=True)
    out = maximum(0.0, t)  # a relu written as a max gate
    assert out.op == "maximum"
    out.sum().backward()
    np.testing.assert_array_equal(out.data, [0.0, 4.0])
    np.testing.assert_array_equal(t.grad, [0.0, 1.0])
    const = maximum([1.0, 2.0], np.array([3.0, 0.0]))
    assert not const.requires_grad
    np.testing.assert_array_equal(const.data, [3.0, 2.0])


def test_maximum_broadcasts_and_sums_gradients_back() -> None:
    # b (shape (1,)) is compared with each of 3 entries and wins twice: grad 2.
    a = Tensor([0.0, 5.0, -1.0], requires_grad=True)
    b = Tensor([1.0], requires_grad=True)
    maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(b.grad, [2.0])


def test_maximum_keeps_float32_and_propagates_nan() -> None:
    a = Tensor(np.array([1.0, np.nan], dtype=np.float32), requires_grad=True)
    b = Tensor(np.array([2.0, 0.0], dtype=np.float32), requires_grad=True)
    out = maximum(a, b)
    assert out.dtype == np.float32
    assert np.isnan(out.data[1])
    out.backward(np.ones(2, dtype=np.float32))
    assert a.grad.dtype == np.float32
    # NaN: no comparison holds, so both sides receive g (torch's where/masked_fill rule).
    np.testing.assert_array_equal(a.grad, [0.0, 1.0])
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])


def test_maximum_rejects_non_numeric_and_mismatched_shapes() -> None:
    with pytest.raises(TypeError, match="maximum: argument 'input'"):
        maximum("x", 1.0)
    with pytest.raises(ValueError, match="do not broadcast"):
        maximum(Tensor(np.zeros(2)), Tensor(np.zeros(3)))


@given(
    st.lists(st.floats(-10, 10), min_size=1, max_size=6),
    st.lists(st.floats(-10, 10), min_size=1, max_size=6),
)
def test_maximum_gradients_sum_to_the_upstream_gradient(xs: list[float], ys: list[float]) -> None:
    # The max gate neither creates nor destroys gradient: ga + gb = g everywhere.
    n = min(len(xs), len(ys))
    a = Tensor(np.array(xs[:n]), requires_grad=True)
    b = Tensor(np.array(ys[:n]), requires_grad=True)
    g = np.arange(1.0, n + 1)
    maximum(a, b).backward(g)
    np.testing.assert_allclose(a.grad + b.grad, g)


def test_maximum_passes_gradcheck_away_from_ties() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=5), rng.normal(size=5)
    assert np.abs(a - b).min() > 1e-3  # centred differences straddle no kink
    assert gradcheck(lambda u, v: maximum(u, v) * u, [a, b])
