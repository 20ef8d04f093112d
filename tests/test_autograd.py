"""Tests of nnbook.autograd: every operation's gradient against centred
differences, the semantics PyTorch defines at the edges, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nnbook import Tensor, is_grad_enabled, no_grad
from nnbook.autograd import GradcheckError, gradcheck, numerical_grad, topological_order
from nnbook.nn.functional import linear
from tests.strategies import (
    array_and_axis,
    arrays,
    away_from,
    broadcast_pair,
    positive_floats,
    shapes,
)

# ---------------------------------------------------------------- gradients
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(pair=broadcast_pair())
def test_binary_gradients_with_broadcasting(name, pair):
    assert gradcheck(BINARY[name], list(pair))


@given(pair=broadcast_pair())
def test_division_gradient(pair):
    a, b = pair
    b = np.where(np.abs(b) < 0.3, 1.0, b)  # keep the denominator away from 0
    assert gradcheck(lambda x, y: x / y, [a, b])


@given(pair=broadcast_pair(elements=positive_floats))
def test_power_gradient_in_base_and_exponent(pair):
    assert gradcheck(lambda x, y: x**y, list(pair))


@given(x=arrays(shapes()), c=st.floats(-2, 2).filter(lambda v: abs(v) > 0.1))
def test_operations_with_plain_numbers_on_both_sides(x, c):
    assert gradcheck(lambda t: c + t, [x])
    assert gradcheck(lambda t: c - t, [x])
    assert gradcheck(lambda t: t - c, [x])
    assert gradcheck(lambda t: c * t, [x])
    assert gradcheck(lambda t: -t, [x])
    assert gradcheck(lambda t: t / c, [x])
    assert gradcheck(lambda t: abs(c) ** t, [x])


@given(x=arrays(shapes(), elements=positive_floats))
def test_rdiv_and_integer_power(x):
    assert gradcheck(lambda t: 2.0 / t, [x])
    assert gradcheck(lambda t: t**3, [x])
    assert gradcheck(lambda t: t**0.5, [x])


UNARY = {
    "exp": (lambda t: t.exp(), None),
    "sin": (lambda t: t.sin(), None),
    "cos": (lambda t: t.cos(), None),
    "tanh": (lambda t: t.tanh(), None),
    "sigmoid": (lambda t: t.sigmoid(), None),
    "abs": (lambda t: t.abs(), (0.0,)),
    "relu": (lambda t: t.relu(), (0.0,)),
    "leaky_relu": (lambda t: t.leaky_relu(0.2), (0.0,)),
    "clip": (lambda t: t.clip(-1.0, 0.5), (-1.0, 0.5)),
    "clip_min": (lambda t: t.clip(min=0.2), (0.2,)),
    "clip_max": (lambda t: t.clip(max=-0.2), (-0.2,)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(x=arrays(shapes()))
def test_unary_gradients(name, x):
    fn, kinks = UNARY[name]
    if kinks:
        assume(away_from(x, kinks))
    assert gradcheck(fn, [x])


@given(x=arrays(shapes(), elements=positive_floats))
def test_log_and_sqrt_gradients(x):
    assert gradcheck(lambda t: t.log(), [x])
    assert gradcheck(lambda t: t.sqrt(), [x])


@given(xa=array_and_axis(), keepdims=st.booleans())
def test_reduction_gradients(xa, keepdims):
    x, axis = xa
    assert gradcheck(lambda t: t.sum(axis=axis, keepdims=keepdims), [x])
    assert gradcheck(lambda t: t.mean(axis=axis, keepdims=keepdims), [x])
    gaps = np.diff(np.sort(x, axis=None))
    if np.all(gaps > 1e-3):  # at a tie the maximum has no derivative to compare with
        assert gradcheck(lambda t: t.amax(axis=axis, keepdims=keepdims), [x])


@given(xa=array_and_axis())
def test_softmax_and_log_softmax_gradients(xa):
    x, axis = xa
    axis = -1 if axis is None else axis
    assert gradcheck(lambda t: t.softmax(axis), [x])
    assert gradcheck(lambda t: t.log_softmax(axis), [x])


@given(x=arrays(shapes(min_dims=1)))
def test_shape_gradients(x):
    assert gradcheck(lambda t: t.reshape(-1), [x])
    assert gradcheck(lambda t: t.T, [x])
    assert gradcheck(lambda t: t.permute(*reversed(range(t.ndim))) * 2.0, [x])
    assert gradcheck(lambda t: t.transpose(0, -1) * 2.0, [x])
    assert gradcheck(lambda t: t.unsqueeze(0).squeeze(0).flatten(), [x])
    assert gradcheck(lambda t: t[..., :1], [x])


@given(
    n=st.integers(1, 4),
    k=st.integers(1, 4),
    m=st.integers(1, 4),
    batch=st.sampled_from([(), (2,), (3, 1)]),
    seed=st.integers(0, 2**16),
)
def test_matmul_gradients(n, k, m, batch, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(*batch, n, k)), rng.normal(size=(k, m))
    assert gradcheck(lambda x, y: x @ y, [a, b])
    v = rng.normal(size=k)
    assert gradcheck(lambda x, y: x @ y, [a, v])  # matrix @ vector
    assert gradcheck(lambda x, y: x @ y, [v, b])  # vector @ matrix
    assert gradcheck(lambda x, y: x @ y, [v, v])  # dot product


def test_matmul_with_an_ndarray_on_either_side():
    w = Tensor(np.eye(2) * 3.0, requires_grad=True)
    x = np.array([[1.0, 2.0]])
    (x @ w).sum().backward()
    np.testing.assert_allclose(w.grad, [[1.0, 1.0], [2.0, 2.0]])
    w.grad = None
    (w @ x.T).sum().backward()
    np.testing.assert_allclose(w.grad, [[1.0, 2.0], [1.0, 2.0]])


@given(seed=st.integers(0, 2**16))
def test_integer_array_indexing_scatter_adds(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4, 3))
    rows = rng.integers(0, 4, size=6)  # repeats likely: their gradients must add
    cols = rng.integers(0, 3, size=6)
    assert gradcheck(lambda t: t[rows, cols] * np.arange(1.0, 7.0), [x])
    assert gradcheck(lambda t: t[rows], [x])


def test_composite_expression_matches_hand_derivation():
    # f = (x + y) z at (-2, 5, -4): q = 3, f = -12, df/dx = df/dy = z = -4, df/dz = q = 3.
    x, y, z = (Tensor(v, requires_grad=True) for v in (-2.0, 5.0, -4.0))
    q = x + y
    q.retain_grad()  # an interior tensor keeps its gradient only when asked (PyTorch)
    f = q * z
    f.backward()
    assert f.item() == -12.0
    assert (x.grad, y.grad, z.grad, q.grad) == (-4.0, -4.0, 3.0, -4.0)


def test_fork_gradients_add():
    # f = (x + y) x: df/dx = 2x + y, df/dy = x.
    x, y = Tensor(3.0, requires_grad=True), Tensor(-1.0, requires_grad=True)
    ((x + y) * x).backward()
    assert (x.grad, y.grad) == (5.0, 3.0)


# ---------------------------------------------------- semantics at the edges
def test_relu_abs_and_leaky_relu_have_pytorch_gradients_at_zero():
    x = Tensor([0.0], requires_grad=True)
    x.relu().backward(np.ones(1))
    assert x.grad[0] == 0.0
    x.grad = None
    x.abs().backward(np.ones(1))
    assert x.grad[0] == 0.0
    x.grad = None
    x.leaky_relu(0.1).backward(np.ones(1))
    assert x.grad[0] == pytest.approx(0.1)


def test_clip_gradient_is_one_on_the_closed_interval():
    x = Tensor([-2.0, -1.0, 0.0, 1.0, 2.0], requires_grad=True)
    x.clip(-1.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0, 1.0, 0.0])


def test_max_splits_gradient_evenly_among_ties():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    x.amax(dim=1).sum().backward()
    np.testing.assert_allclose(x.grad, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    # max along a dim (values, indices), as torch: the gradient goes to the index picked
    y = Tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    values, indices = y.max(dim=1)
    values.sum().backward()
    assert indices.tolist() == [1] and y.grad.tolist() == [[0.0, 1.0, 0.0]]


def test_power_edge_cases_follow_pytorch():
    # d(x^0)/dx is 0 even at x = 0, and d(0^y)/dy is 0 for y >= 0.
    x = Tensor([0.0, 2.0], requires_grad=True)
    (x**0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])
    base, y = Tensor(0.0, requires_grad=True), Tensor(2.0, requires_grad=True)
    (base**y).backward()
    assert y.grad == 0.0 and base.grad == 0.0


def test_extreme_values_are_finite_and_warning_free():
    big = Tensor([-1e4, 0.0, 1e4], requires_grad=True)
    s = big.sigmoid()
    np.testing.assert_array_equal(s.data, [0.0, 0.5, 1.0])
    s.sum().backward()
    np.testing.assert_array_equal(big.grad, [0.0, 0.25, 0.0])
    logits = Tensor([[1e4, 0.0, -1e4]], requires_grad=True)
    lsm = logits.log_softmax(axis=1)
    np.testing.assert_allclose(lsm.data, [[0.0, -1e4, -2e4]])
    np.testing.assert_allclose(logits.softmax(axis=1).data, [[1.0, 0.0, 0.0]])
    lsm.sum().backward()
    assert np.all(np.isfinite(logits.grad))


def test_log_sqrt_and_exp_at_their_limits_match_torch():
    # torch: log(0) = -inf, sqrt'(0) = inf, exp(1e4) = inf, all without error.
    assert Tensor(0.0).log().item() == -np.inf
    x = Tensor(0.0, requires_grad=True)
    x.sqrt().backward()
    assert x.grad == np.inf
    assert Tensor(1e4).exp().item() == np.inf


def test_float32_stays_float32():
    x = Tensor(np.ones((2, 3), np.float32), requires_grad=True)
    w = Tensor(np.ones((3, 2), np.float32), requires_grad=True)
    out = ((x @ w).tanh() * 2.5 + 1 - 0.5).sigmoid().log_softmax(1).mean() / 3
    assert out.dtype == np.float32
    out.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_integers_and_bools_become_float64():
    assert Tensor([1, 2]).dtype == np.float64
    assert Tensor(True).dtype == np.float64


def test_ndarray_on_the_left_defers_to_tensor():
    out = np.ones(2) + Tensor([1.0, 2.0])
    assert isinstance(out, Tensor)
    np.testing.assert_array_equal(out.data, [2.0, 3.0])


# ----------------------------------------------------- backward machinery
def test_gradients_accumulate_until_zeroed():
    x = Tensor(2.0, requires_grad=True)
    (x * x).backward()
    (x * x).backward()
    assert x.grad == 8.0
    x.grad = None
    assert x.grad is None


def test_leaf_gradients_do_not_share_memory():
    a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
    (a + b).sum().backward()
    a.grad[0] = 100.0
    assert b.grad[0] == 1.0


def test_backward_of_a_non_scalar_needs_a_gradient():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        (x * 2).backward()
    with pytest.raises(ValueError, match=r"'gradient' must have shape \(2,\)"):
        (x * 2).backward(np.ones(3))


def test_backward_without_graph_is_an_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor(1.0).backward()


def test_a_chain_100000_operations_deep_backpropagates():
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0 and y.item() == 100_001.0


def test_no_grad_records_nothing_and_restores_the_mode():
    x = Tensor(1.0, requires_grad=True)
    with no_grad():
        assert not is_grad_enabled()
        y = x * 3
    assert is_grad_enabled()
    assert not y.requires_grad and y.parents == ()


def test_detach_shares_data_but_cuts_the_graph():
    x = Tensor([1.0], requires_grad=True)
    d = (x * 2).detach()
    assert not d.requires_grad and d.parents == ()
    np.testing.assert_array_equal(d.data, [2.0])


def test_graph_can_be_inspected():
    x, y = Tensor(1.0, requires_grad=True, name="x"), Tensor(2.0, requires_grad=True, name="y")
    f = (x * y).exp()
    assert f.op == "exp" and f.parents[0].op == "mul"
    assert f.parents[0].parents == (x, y)
    order = topological_order(f)
    assert order[-1] is f and {id(t) for t in order[:2]} == {id(x), id(y)}
    assert "op='exp'" in repr(f) and "requires_grad=True" in repr(f)


def test_basic_accessors():
    t = Tensor([[1.0, 2.0, 3.0]])
    assert t.shape == t.size() == (1, 3) and t.ndim == t.dim() == 2 and t.numel() == 3
    assert len(t) == 1 and t.size(1) == t.size(-1) == 3
    assert t.numpy() is t.data
    assert Tensor([[4.0]]).item() == 4.0
    with pytest.raises(ValueError, match="one-element"):
        t.item()
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(1.0))


# --------------------------------------------------------------- gradcheck
def test_gradcheck_catches_a_wrong_backward():
    def wrong_square(t: Tensor) -> Tensor:
        return Tensor.from_op(t.data**2, (t,), lambda g: (g * t.data,), "bad_square")  # no 2

    with pytest.raises(GradcheckError, match=r"inputs\[0\]"):
        gradcheck(wrong_square, [np.array([1.0, 2.0])])


def test_gradcheck_and_numerical_grad_validate_arguments():
    with pytest.raises(ValueError, match="eps"):
        gradcheck(lambda t: t, [np.ones(1)], eps=0.0)
    with pytest.raises(TypeError, match="'inputs'"):
        gradcheck(lambda t: t, np.ones(1))
    with pytest.raises(TypeError, match="must return a Tensor"):
        gradcheck(lambda t: 1.0, [np.ones(1)])
    with pytest.raises(ValueError, match="'eps' must be > 0"):
        numerical_grad(lambda v: float(v.sum()), [1.0], eps=-1.0)


def test_gradcheck_handles_outputs_that_do_not_depend_on_the_input():
    assert gradcheck(lambda t: Tensor(np.ones(2)), [np.ones(2)])


def test_numerical_grad_is_second_order_accurate():
    # Centred differences of sin have error ~ h²/6 |f'''|: shrinking h tenfold cuts it ~100×.
    f = lambda v: float(np.sin(v).sum())  # noqa: E731
    err = [abs(numerical_grad(f, [1.0], eps=h)[0] - np.cos(1.0)) for h in (1e-2, 1e-3)]
    assert 50 < err[0] / err[1] < 150


# -------------------------------------------------------------- bad input
@pytest.mark.parametrize("bad", [["a", "b"], np.array([object()]), np.array([1j])])
def test_tensor_refuses_non_numeric_data(bad):
    with pytest.raises(TypeError, match="Tensor: argument 'data'"):
        Tensor(bad)


def test_tensor_refuses_a_non_bool_requires_grad():
    with pytest.raises(TypeError, match="'requires_grad' must be a bool"):
        Tensor(1.0, requires_grad="yes")


def test_shape_errors_name_the_operation_and_shapes():
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"Tensor.add: shapes \(2, 3\) and \(4, 5\)"):
        a + b
    with pytest.raises(ValueError, match=r"Tensor.matmul: shapes \(2, 3\) @ \(4, 5\)"):
        a @ b
    with pytest.raises(ValueError, match="at least 1-D"):
        Tensor(1.0) @ a
    with pytest.raises(ValueError, match="cannot reshape"):
        a.reshape(4)
    with pytest.raises(ValueError, match="'dim'"):
        a.sum(axis=2)
    with pytest.raises(ValueError, match="'dims' must permute"):
        a.permute(0, 0)
    with pytest.raises(IndexError, match=r"tensor shape \(2, 3\)"):
        a[5]
    with pytest.raises(TypeError, match="'other'"):
        a + "x"


def test_reductions_refuse_empty_input_and_clip_needs_a_bound():
    with pytest.raises(ValueError, match="empty"):
        Tensor(np.ones((0, 2))).max()
    with pytest.raises(ValueError, match="empty"):
        Tensor(np.ones((0, 2))).amax(dim=0)
    assert Tensor(np.ones((0, 2))).amax(dim=1).shape == (0,)  # torch: reducing a non-empty dim
    empty_mean = Tensor(np.ones((0, 2))).mean(axis=0)  # torch: nan, and no error
    assert empty_mean.shape == (2,) and np.all(np.isnan(empty_mean.data))
    with pytest.raises(ValueError, match="at least one"):
        Tensor([1.0]).clip()
    # min > max: every element becomes max, as torch.clamp documents
    assert Tensor([0.0, 5.0]).clip(2.0, 1.0).tolist() == [1.0, 1.0]


# ------------------------------------------------------------------ linear
@given(
    batch=st.sampled_from([(1,), (3,), (2, 2)]),
    n_in=st.integers(1, 4),
    n_out=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_linear_gradients_match_centred_differences(batch, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    x, w, b = (
        rng.normal(size=(*batch, n_in)),
        rng.normal(size=(n_out, n_in)),
        rng.normal(size=n_out),
    )
    assert gradcheck(lambda x_, w_, b_: linear(x_, w_, b_), [x, w, b])
    assert gradcheck(lambda x_, w_: linear(x_, w_), [x, w])


def test_linear_equals_matmul_plus_bias_and_skips_constant_inputs():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 3))
    w = Tensor(rng.normal(size=(2, 3)), requires_grad=True)
    b = Tensor(rng.normal(size=2), requires_grad=True)
    out = linear(x, w, b)  # x is a plain array: it gets no gradient
    np.testing.assert_allclose(out.data, x @ w.data.T + b.data)
    out.sum().backward()
    np.testing.assert_allclose(w.grad, np.ones((5, 2)).T @ x)
    np.testing.assert_allclose(b.grad, [5.0, 5.0])


def test_linear_checks_shapes():
    w = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"linear: argument 'x' must have shape \(\.\.\., 3\)"):
        linear(np.ones((4, 2)), w)
    with pytest.raises(ValueError, match=r"linear: argument 'bias' must have shape \(2,\)"):
        linear(np.ones((4, 3)), w, Tensor(np.ones(3)))


def test_tensor_of_a_tensor_and_tensor_indices():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    assert Tensor(x).data is x.data
    x[Tensor([2.0, 0.0])].sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 1.0])


def test_square_gradient_fast_path():
    x = Tensor([-1.5, 0.0, 2.0], requires_grad=True)
    (x**2).sum().backward()
    np.testing.assert_array_equal(x.grad, [-3.0, 0.0, 4.0])


def test_ragged_input_is_refused():
    with pytest.raises(TypeError, match="Tensor: argument 'data' must be numeric"):
        Tensor([[1.0, 2.0], [3.0]])


def test_an_operation_may_pass_no_gradient_to_an_input():
    x = Tensor([1.0, 2.0], requires_grad=True)
    stopped = Tensor.from_op(x.data * 2, (x,), lambda g: (None,), "stop_gradient")
    (stopped * x).sum().backward(Tensor(1.0))  # the seed may be a Tensor too
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])  # only the direct path counts


def test_relu_of_a_negative_number_is_positive_zero():
    out = Tensor([-2.0, np.nan]).relu().data
    assert not np.signbit(out[0]) and np.isnan(out[1])  # torch: +0.0, and nan propagates


def test_an_input_reached_only_through_a_stopped_path_gets_no_gradient():
    x = Tensor([1.0, 2.0], requires_grad=True)
    Tensor.from_op(x.data * 2, (x,), lambda g: (None,), "stop_gradient").sum().backward()
    assert x.grad is None


def test_a_leaf_never_shares_its_gradient_with_the_callers_seed():
    x = Tensor([1.0, 2.0], requires_grad=True)
    seed = np.array([1.0, 1.0])
    (x + 1.0).backward(seed)  # add passes the seed through unchanged
    x.grad[0] = 5.0
    assert seed[0] == 1.0
    y = Tensor(3.0, requires_grad=True)
    (y * 2.0).backward()
    assert isinstance(y.grad, np.ndarray) and y.grad.shape == ()


def test_an_interior_node_reached_only_through_a_stopped_path_propagates_nothing():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 2.0
    y.retain_grad()
    Tensor.from_op(y.data, (y,), lambda g: (None,), "stop_gradient").sum().backward()
    assert y.grad is None and x.grad is None


def test_tanh_backward_with_a_wider_upstream_gradient_keeps_precision():
    x = Tensor(np.array([0.5, -1.0], np.float32), requires_grad=True)
    y = x.tanh() * np.array([1.0, 2.0])  # float64 constant: the product is float64
    y.sum().backward()
    expected = (1 - np.tanh(np.array([0.5, -1.0], np.float32)) ** 2) * np.array([1.0, 2.0])
    np.testing.assert_allclose(x.grad, expected, rtol=1e-6)


def test_a_node_reached_first_by_a_short_path_waits_for_all_its_consumers():
    # d = b + exp(b): a breadth-first walk from d meets b before exp(b), though
    # exp(b) still has to pass b its share; b must be processed after it.
    a = Tensor(0.3, requires_grad=True)
    b = a * 2.0
    b.retain_grad()
    d = b + b.exp()
    d.backward()
    assert a.grad == pytest.approx(2.0 * (1.0 + np.exp(0.6)), rel=1e-15)
    assert b.grad == pytest.approx(1.0 + np.exp(0.6), rel=1e-15)
