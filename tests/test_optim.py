"""Tests for nnbook.optim: optimizers, schedulers, schedule functions, range test.

Reference values are derived by hand from PyTorch's documented update rules;
each derivation is written next to its assertion.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnbook import Tensor
from nnbook.book.range_test import RangeTestResult, lr_range_test
from nnbook.book.schedules import (
    cosine_schedule,
    exponential_schedule,
    inverse_time_schedule,
    linear_schedule,
    step_schedule,
    triangular_schedule,
    warmup_cosine_schedule,
)
from nnbook.optim import SGD, Adam, Optimizer
from nnbook.optim.lr_scheduler import (
    CosineAnnealingLR,
    CyclicLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    LRScheduler,
    StepLR,
)

G = np.array([0.5, 1.0])  # a constant gradient used by the hand-derived SGD runs
P0 = np.array([1.0, -2.0])


def state_of(opt: Any, index: int) -> dict[str, Any]:
    """The state of the optimizer's parameter ``index`` (PyTorch keys it by the parameter)."""
    params = [p for group in opt.param_groups for p in group["params"]]
    return opt.state.get(params[index], {})


def param(values: Any, dtype: Any = np.float64) -> Tensor:
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


def run_sgd(steps: int, grad: Callable[[np.ndarray], np.ndarray], **kwargs: Any) -> np.ndarray:
    """Run SGD from P0, feeding grad(current params) at each step."""
    w = param(P0)
    opt = SGD([w], **kwargs)
    for _ in range(steps):
        w.grad = grad(w.data)
        opt.step()
    return w.data


def schedule_of(sched: LRScheduler, steps: int) -> np.ndarray:
    """The rate at steps 0..steps-1: the construction value, then one per step()."""
    lrs = [sched.get_last_lr()[0]]
    for _ in range(steps - 1):
        sched.optimizer.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    return np.array(lrs)


def sgd_opt(lr: float = 1.0, **kwargs: Any) -> SGD:
    return SGD([param([0.0])], lr=lr, **kwargs)


# =========================================================================== SGD
def test_sgd_plain_three_steps() -> None:
    # p ← p − η g with η = 0.1, g = (0.5, 1): each step moves by (0.05, 0.1).
    # After 3 steps: (1 − 0.15, −2 − 0.3) = (0.85, −2.3).
    out = run_sgd(3, lambda p: G, lr=0.1)
    np.testing.assert_allclose(out, [0.85, -2.3], rtol=1e-12)


def test_sgd_momentum_three_steps() -> None:
    # μ = 0.9, η = 0.1, g = (0.5, 1) every step.
    # step 1: b = g = (0.5, 1)                         p = (0.95, −2.1)
    # step 2: b = 0.9 b + g = (0.95, 1.9)               p = (0.855, −2.29)
    # step 3: b = 0.9 b + g = (1.355, 2.71)             p = (0.7195, −2.561)
    out = run_sgd(3, lambda p: G, lr=0.1, momentum=0.9)
    np.testing.assert_allclose(out, [0.7195, -2.561], rtol=1e-12)


def test_sgd_dampening_not_applied_on_first_step() -> None:
    # μ = 0.9, τ = 0.5: the first buffer is g itself (no dampening), then
    # b = 0.9 b + 0.5 g.
    # step 1: b = g         p = (1 − 0.05, −2 − 0.1) = (0.95, −2.1)
    # step 2: b = 1.4 g     p = (0.95 − 0.07, −2.1 − 0.14) = (0.88, −2.24)
    # step 3: b = 1.76 g    p = (0.88 − 0.088, −2.24 − 0.176) = (0.792, −2.416)
    out = run_sgd(3, lambda p: G, lr=0.1, momentum=0.9, dampening=0.5)
    np.testing.assert_allclose(out, [0.792, -2.416], rtol=1e-12)
    # Had the first step been dampened (b = 0.5 g), p1 would be (0.975, −2.05).
    one = run_sgd(1, lambda p: G, lr=0.1, momentum=0.9, dampening=0.5)
    np.testing.assert_allclose(one, [0.95, -2.1], rtol=1e-12)


def test_sgd_nesterov_three_steps() -> None:
    # Nesterov, μ = 0.9: the step uses g + μ b.
    # step 1: b = g,      step g + 0.9 g = 1.9 g      p = (0.905, −2.19)
    # step 2: b = 1.9 g,  step g + 1.71 g = 2.71 g    p = (0.7695, −2.461)
    # step 3: b = 2.71 g, step g + 2.439 g = 3.439 g  p = (0.59755, −2.8049)
    out = run_sgd(3, lambda p: G, lr=0.1, momentum=0.9, nesterov=True)
    np.testing.assert_allclose(out, [0.59755, -2.8049], rtol=1e-12)


def test_sgd_weight_decay_with_momentum_three_steps() -> None:
    # λ = 0.1, μ = 0.5, η = 0.1; the gradient used is g + λ p.
    # step 1: g1 = (0.5 + 0.1, 1 − 0.2) = (0.6, 0.8); b = g1
    #         p1 = (1 − 0.06, −2 − 0.08) = (0.94, −2.08)
    # step 2: g2 = (0.5 + 0.094, 1 − 0.208) = (0.594, 0.792)
    #         b = 0.5 (0.6, 0.8) + g2 = (0.894, 1.192)
    #         p2 = (0.94 − 0.0894, −2.08 − 0.1192) = (0.8506, −2.1992)
    # step 3: g3 = (0.5 + 0.08506, 1 − 0.21992) = (0.58506, 0.78008)
    #         b = 0.5 (0.894, 1.192) + g3 = (1.03206, 1.37608)
    #         p3 = (0.8506 − 0.103206, −2.1992 − 0.137608) = (0.747394, −2.336808)
    out = run_sgd(3, lambda p: G, lr=0.1, momentum=0.5, weight_decay=0.1)
    np.testing.assert_allclose(out, [0.747394, -2.336808], rtol=1e-12)


def test_sgd_weight_decay_without_momentum() -> None:
    # One step, λ = 0.5, η = 0.1: g = (0.5 + 0.5, 1 − 1) = (1, 0); p = (0.9, −2).
    out = run_sgd(1, lambda p: G, lr=0.1, weight_decay=0.5)
    np.testing.assert_allclose(out, [0.9, -2.0], rtol=1e-12)


@pytest.mark.parametrize("eta_lambda", [0.5, 1.0, 1.5, 2.0, 2.1])
def test_sgd_on_quadratic_follows_closed_form(eta_lambda: float) -> None:
    # f = ½λx², ∇f = λx, so x_{t+1} = x_t − ηλx_t = (1 − ηλ) x_t and
    # x_t = (1 − ηλ)^t x0: smooth (0.5), one step (1), oscillating (1.5),
    # constant oscillation (2), divergence (2.1). For the dyadic rates every
    # operation is exact in binary floating point; 2.1 is exact to rounding.
    lam = 1.0
    w = param([1.0])
    opt = SGD([w], lr=eta_lambda / lam)
    xs = [1.0]
    for _ in range(20):
        w.grad = lam * w.data
        opt.step()
        xs.append(float(w.data[0]))
    expected = (1 - eta_lambda) ** np.arange(21)
    if eta_lambda == 2.1:
        np.testing.assert_allclose(xs, expected, rtol=1e-12)
    else:
        np.testing.assert_array_equal(xs, expected)


def test_sgd_with_autograd_backward() -> None:
    # loss = ½ Σ w², gradient w, η = 0.25: w_t = 0.75^t w0 (dyadic, so exact).
    w = param([1.0, -2.0])
    opt = SGD([w], lr=0.25)
    for _ in range(3):
        opt.zero_grad()
        loss = (w * w).sum() * 0.5
        loss.backward()
        opt.step()
    np.testing.assert_array_equal(w.data, 0.75**3 * np.array([1.0, -2.0]))


@given(
    data=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
        elements=st.floats(-1e3, 1e3),
    ),
    lr=st.floats(0, 10),
    seed=st.integers(0, 2**32 - 1),
)
def test_sgd_without_momentum_is_the_plain_formula(data: np.ndarray, lr: float, seed: int) -> None:
    grad = np.random.default_rng(seed).normal(size=data.shape) * 100
    w = param(data.copy())
    w.grad = grad
    SGD([w], lr=lr).step()
    np.testing.assert_array_equal(w.data, data - lr * grad)


# =========================================================================== Adam
def test_adam_first_three_steps_by_hand() -> None:
    # η = 0.1, β = (0.9, 0.999), ε = 1e-8, p0 = 0, gradients 1, −1, 2.
    # step 1: m = 0.1, v = 0.001, bc1 = 0.1, bc2 = 0.001
    #         step size η/bc1 = 1; denom = √0.001/√0.001 + ε = 1 + ε
    #         p1 = −0.1/(1 + ε)
    # step 2: m = 0.09 − 0.1 = −0.01, v = 0.000999 + 0.001 = 0.001999
    #         bc1 = 1 − 0.81 = 0.19, bc2 = 1 − 0.998001 = 0.001999
    #         step size 0.1/0.19; denom = 1 + ε
    #         p2 = p1 + (0.1/0.19)·0.01/(1 + ε)
    # step 3: m = −0.009 + 0.2 = 0.191
    #         v = 0.999·0.001999 + 0.001·4 = 0.005997001
    #         bc1 = 1 − 0.729 = 0.271, bc2 = 1 − 0.997002999 = 0.002997001
    #         denom = √(0.005997001/0.002997001) + ε
    #         p3 = p2 − (0.1/0.271)·0.191/denom
    eps = 1e-8
    p1 = -0.1 / (1 + eps)
    p2 = p1 + (0.1 / 0.19) * 0.01 / (1 + eps)
    p3 = p2 - (0.1 / 0.271) * 0.191 / (math.sqrt(0.005997001 / 0.002997001) + eps)
    # Coordinate 2 gets the same gradients ×1000: Adam is invariant to the
    # gradient's scale except through ε, which then weighs 1000× less.
    w = param([0.0, 0.0])
    opt = Adam([w], lr=0.1)
    got = []
    for g in (1.0, -1.0, 2.0):
        w.grad = np.array([g, 1000 * g])
        opt.step()
        got.append(w.data.copy())
    np.testing.assert_allclose([x[0] for x in got], [p1, p2, p3], rtol=1e-12)
    np.testing.assert_allclose([x[1] for x in got], [p1, p2, p3], rtol=1e-7)
    assert state_of(opt, 0)["step"] == 3
    np.testing.assert_allclose(state_of(opt, 0)["exp_avg"], [0.191, 191.0], rtol=1e-12)
    np.testing.assert_allclose(state_of(opt, 0)["exp_avg_sq"], [0.005997001, 5997.001], rtol=1e-12)


@given(
    grad=hnp.arrays(
        np.float64,
        st.integers(1, 6),
        elements=st.floats(1e-3, 1e6) | st.floats(-1e6, -1e-3),
    ),
    lr=st.floats(1e-4, 1.0),
)
def test_adam_first_step_moves_by_lr_times_sign(grad: np.ndarray, lr: float) -> None:
    # m̂ = g and v̂ = g² on step 1, so Δ = −η g/(|g| + ε) = −η sign(g) (1 − ε/|g| + ...);
    # with |g| >= 1e-3 the deviation from −η sign(g) is at most η·1e-5.
    w = param(np.zeros_like(grad))
    w.grad = grad
    Adam([w], lr=lr).step()
    np.testing.assert_allclose(w.data, -lr * np.sign(grad), rtol=0, atol=lr * 1e-5 + 1e-15)


def test_adam_weight_decay_two_steps() -> None:
    # η = 0.1, λ = 0.1, p0 = 2, raw gradient 0.5 each step; the used gradient is g + λp.
    # step 1: g1 = 0.5 + 0.2 = 0.7; m = 0.07, v = 0.00049; p1 = 2 − 0.1·0.7/(0.7 + ε)
    # step 2: g2 = 0.5 + 0.1 p1; m = 0.063 + 0.1 g2; v = 0.999·0.00049 + 0.001 g2²
    #         p2 = p1 − (0.1/0.19) m / (√(v/0.001999) + ε)
    eps = 1e-8
    p1 = 2 - 0.1 * 0.7 / (0.7 + eps)
    g2 = 0.5 + 0.1 * p1
    m2 = 0.063 + 0.1 * g2
    v2 = 0.999 * 0.00049 + 0.001 * g2**2
    p2 = p1 - (0.1 / 0.19) * m2 / (math.sqrt(v2 / 0.001999) + eps)
    w = param([2.0])
    opt = Adam([w], lr=0.1, weight_decay=0.1)
    w.grad = np.array([0.5])
    opt.step()
    np.testing.assert_allclose(w.data, [p1], rtol=1e-12)
    opt.step()
    np.testing.assert_allclose(w.data, [p2], rtol=1e-12)


def test_adam_beta1_zero_is_sign_descent() -> None:
    # β = (0, 0): m = g and v = g² exactly (PyTorch's lerp returns g at weight 1),
    # bias corrections 1, so every step is −η g/(|g| + ε).
    w = param([0.0, 0.0])
    opt = Adam([w], lr=0.5, betas=(0.0, 0.0))
    for g in ([2.0, -4.0], [-1.0, 8.0]):
        w.grad = np.array(g)
        opt.step()
        np.testing.assert_array_equal(state_of(opt, 0)["exp_avg"], g)
    # p = −0.5 (2/(2+ε), −4/(4+ε)) − 0.5 (−1/(1+ε), 8/(8+ε)) ≈ (0, 0)
    eps = 1e-8
    expected = [
        -0.5 * 2 / (2 + eps) + 0.5 * 1 / (1 + eps),
        0.5 * 4 / (4 + eps) - 0.5 * 8 / (8 + eps),
    ]
    np.testing.assert_allclose(w.data, expected, rtol=0, atol=1e-15)


def test_adam_step_count_is_per_parameter() -> None:
    # A parameter skipped (grad None) does not advance its step count, so its
    # first real update is a first step: a move of ≈ η·sign(g).
    a, b = param([0.0]), param([0.0])
    opt = Adam([a, b], lr=0.1)
    a.grad = np.array([1.0])
    opt.step()
    assert state_of(opt, 1) == {}
    b.grad = np.array([-3.0])
    opt.step()
    assert state_of(opt, 0)["step"] == 2 and state_of(opt, 1)["step"] == 1
    np.testing.assert_allclose(b.data, [0.1], rtol=1e-7)


# ============================================================ shared optimizer behaviour
@pytest.mark.parametrize(
    "make",
    [
        lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True),
        lambda ps: Adam(ps, lr=0.1, weight_decay=0.01),
    ],
)
def test_update_is_in_place_and_none_grads_are_skipped(make: Callable[[list[Tensor]], Any]) -> None:
    a, b = param([1.0, 2.0]), param([3.0])
    holder = a.data  # e.g. a layer holding the array
    opt = make([a, b])
    a.grad = np.array([0.5, -0.5])
    opt.step()
    opt.step()
    assert a.data is holder
    assert not np.array_equal(holder, [1.0, 2.0])
    np.testing.assert_array_equal(b.data, [3.0])  # grad None: untouched
    assert state_of(opt, 1) == {}


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True),
        lambda ps: Adam(ps, lr=0.1, weight_decay=0.01),
    ],
)
def test_float32_stays_float32(make: Callable[[list[Tensor]], Any]) -> None:
    w32, w64 = param([1.0, -2.0], np.float32), param([1.0, -2.0])
    opt32, opt64 = make([w32]), make([w64])
    for g in ([0.5, 1.0], [-0.25, 2.0], [1.0, 1.0]):
        w32.grad = np.array(g)  # a float64 grad is cast to the parameter's dtype
        w64.grad = np.array(g)
        opt32.step()
        opt64.step()
    assert w32.data.dtype == np.float32
    assert all(v.dtype == np.float32 for v in state_of(opt32, 0).values() if hasattr(v, "dtype"))
    np.testing.assert_allclose(w32.data, w64.data, rtol=1e-6)


def test_zero_grad() -> None:
    a, b = param([1.0]), param([2.0])
    opt = SGD([a, b], lr=0.1)
    a.grad = np.array([3.0])
    opt.zero_grad()
    assert a.grad is None and b.grad is None
    a.grad = np.array([3.0])
    arr = a.grad
    opt.zero_grad(set_to_none=False)
    assert a.grad is arr
    np.testing.assert_array_equal(a.grad, [0.0])
    assert b.grad is None


def test_grad_shape_mismatch() -> None:
    w = param([1.0, 2.0])
    w.grad = np.ones(3)
    with pytest.raises(ValueError, match=r"SGD.step: parameter 0 has shape \(2,\)"):
        SGD([w], lr=0.1).step()


def test_params_accepts_generator_and_repr() -> None:
    opt = SGD((p for p in [param([1.0]), param([2.0])]), lr=0.1, momentum=0.9)
    assert len(opt.param_groups[0]["params"]) == 2
    assert repr(opt).startswith("SGD (\nParameter Group 0\n    dampening: 0")
    assert "    lr: 0.001\n" in repr(Adam([param([1.0])]))


def test_base_optimizer_step_is_abstract() -> None:
    with pytest.raises(NotImplementedError):
        Optimizer([param([1.0])], {"lr": 0.1}).step()


@pytest.mark.parametrize(
    ("make", "exc", "match"),
    [
        (lambda: SGD([param([1.0])], lr=-0.1), ValueError, "SGD: argument 'lr' must be >= 0"),
        (lambda: SGD([param([1.0])], lr=math.nan), ValueError, "'lr' must be finite"),
        (lambda: SGD([param([1.0])], lr="0.1"), TypeError, "'lr' must be a real number"),  # type: ignore[arg-type]
        (lambda: SGD([param([1.0])], lr=True), TypeError, "'lr' must be a real number"),
        (lambda: SGD([param([1.0])], lr=0.1, momentum=-0.5), ValueError, "'momentum'"),
        (lambda: SGD([param([1.0])], lr=0.1, weight_decay=-1), ValueError, "'weight_decay'"),
        (lambda: SGD([param([1.0])], lr=0.1, nesterov=True), ValueError, "Nesterov"),
        (
            lambda: SGD([param([1.0])], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
            ValueError,
            "zero dampening",
        ),
        (lambda: SGD([param([1.0])], lr=0.1, nesterov=1), TypeError, "'nesterov' must be a bool"),  # type: ignore[arg-type]
        (lambda: Adam([param([1.0])], lr=-1e-3), ValueError, "Adam: argument 'lr'"),
        (lambda: Adam([param([1.0])], betas=(1.0, 0.999)), ValueError, r"'betas\[0\]'"),
        (lambda: Adam([param([1.0])], betas=(0.9, -0.1)), ValueError, r"'betas\[1\]'"),
        (lambda: Adam([param([1.0])], betas=(0.9,)), TypeError, "'betas' must be a pair"),  # type: ignore[arg-type]
        (lambda: Adam([param([1.0])], betas=0.9), TypeError, "'betas' must be a pair"),  # type: ignore[arg-type]
        (lambda: Adam([param([1.0])], eps=-1e-8), ValueError, "'eps'"),
        (lambda: Adam([param([1.0])], weight_decay=-0.1), ValueError, "'weight_decay'"),
        (lambda: SGD([], lr=0.1), ValueError, "empty parameter list"),
        (lambda: Adam(iter([])), ValueError, "empty parameter list"),
        (lambda: SGD([np.ones(2)], lr=0.1), TypeError, "item 0 is a ndarray"),  # type: ignore[list-item]
        (lambda: SGD([param([1.0]), 3.0], lr=0.1), TypeError, "item 1 is a float"),  # type: ignore[list-item]
        (lambda: SGD(param([1.0, 2.0]), lr=0.1), TypeError, r"single Tensor of shape \(2,\)"),  # type: ignore[arg-type]
        (lambda: SGD(5, lr=0.1), TypeError, "iterable of Tensors or dicts, got int"),  # type: ignore[arg-type]
        (lambda: SGD([{"lr": 0.1}], lr=0.1), TypeError, "group 0 must be a dict with a 'params'"),  # type: ignore[list-item]
    ],
)
def test_optimizer_bad_inputs(make: Callable[[], Any], exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        make()


def test_duplicate_and_integer_params_refused() -> None:
    w = param([1.0])
    with pytest.raises(ValueError, match="same Tensor twice"):
        SGD([w, w], lr=0.1)
    t = param([1.0])
    t.data = np.array([1])  # integer data cannot be updated by a fractional step
    with pytest.raises(TypeError, match="floating-point Tensors, item 0 has dtype int64"):
        SGD([t], lr=0.1)


# =========================================================================== schedule functions
def test_step_and_exponential_schedules_by_hand() -> None:
    # 1·0.5^⌊t/3⌋ for t = 0..6; 1·0.5^t for t = 0..3
    np.testing.assert_array_equal(
        step_schedule(np.arange(7), 1.0, 3, 0.5), [1, 1, 1, 0.5, 0.5, 0.5, 0.25]
    )
    np.testing.assert_array_equal(
        exponential_schedule(np.arange(4), 1.0, 0.5), [1, 0.5, 0.25, 0.125]
    )
    # 1/t decay: 2/(1 + 0.5 t) = 2, 4/3, 1, 0.8
    np.testing.assert_allclose(
        inverse_time_schedule(np.arange(4), 2.0, 0.5), [2, 4 / 3, 1, 0.8], rtol=1e-15
    )


def test_cosine_schedule_by_hand_and_period() -> None:
    # η_min + (η0 − η_min)(1 + cos(πt/4))/2 with η0 = 1.1, η_min = 0.1:
    # t = 0: 1.1; 1: 0.1 + (1 + √2/2)/2; 2: 0.6; 3: 0.1 + (1 − √2/2)/2; 4: 0.1; then back up.
    r = math.sqrt(2) / 2
    up = [1.1, 0.1 + (1 + r) / 2, 0.6, 0.1 + (1 - r) / 2, 0.1]
    got = cosine_schedule(np.arange(9), 1.1, 4, eta_min=0.1)
    np.testing.assert_allclose(got, up + up[-2::-1], rtol=1e-14)


def test_warmup_cosine_schedule_by_hand() -> None:
    # warm-up 4 steps to η0 = 0.8: 0, 0.2, 0.4, 0.6; then cosine over T − 4 = 2 steps:
    # 0.8, (0.8)(1 + cos(π/2))/2 = 0.4, 0; held at η_min = 0 afterwards.
    got = warmup_cosine_schedule(np.arange(9), 0.8, warmup=4, T=6)
    np.testing.assert_allclose(got, [0, 0.2, 0.4, 0.6, 0.8, 0.4, 0, 0, 0], rtol=1e-14, atol=1e-17)
    # No warm-up: the plain cosine until T, then η_min.
    np.testing.assert_allclose(
        warmup_cosine_schedule(np.arange(6), 1.0, warmup=0, T=4, eta_min=0.2),
        np.r_[cosine_schedule(np.arange(5), 1.0, 4, eta_min=0.2), 0.2],
        rtol=1e-15,
    )


def test_linear_schedule_by_hand() -> None:
    # start 0.25, end 1, N = 3, η0 = 1: 0.25 + 0.75 min(t, 3)/3 = 0.25, 0.5, 0.75, 1, 1
    np.testing.assert_allclose(
        linear_schedule(np.arange(5), 1.0, 0.25, 1.0, 3), [0.25, 0.5, 0.75, 1, 1], rtol=1e-15
    )
    # decay to end 0.5 over 2 steps from η0 = 2: 2, 1.5, 1, 1
    np.testing.assert_allclose(
        linear_schedule(np.arange(4), 2.0, 1.0, 0.5, 2), [2, 1.5, 1, 1], rtol=1e-15
    )


def test_triangular_schedule_by_hand() -> None:
    # s = 2, base 0.1, max 1: 0.1, 0.55, 1, 0.55, 0.1, ... period 2s = 4
    tri = triangular_schedule(np.arange(13), 0.1, 1.0, 2)
    np.testing.assert_allclose(tri[:5], [0.1, 0.55, 1.0, 0.55, 0.1], rtol=1e-14)
    np.testing.assert_array_equal(tri[4:], tri[:-4])  # periodic
    assert tri.max() == 1.0 and tri.min() == 0.1
    # Asymmetric: 2 up, 1 down (period 3): 0.1, 0.55, ≈1, 0.1, ...
    asym = triangular_schedule(np.arange(7), 0.1, 1.0, 2, step_size_down=1)
    np.testing.assert_allclose(asym, [0.1, 0.55, 1.0, 0.1, 0.55, 1.0, 0.1], rtol=1e-14)


def test_triangular_modes() -> None:
    # triangular2: the peak halves each cycle: 1, then 0.1 + 0.9/2 = 0.55, then 0.325
    t2 = triangular_schedule(np.arange(13), 0.1, 1.0, 2, mode="triangular2")
    np.testing.assert_allclose(t2[[2, 6, 10]], [1.0, 0.55, 0.325], rtol=1e-14)
    np.testing.assert_allclose(t2[[0, 4, 8, 12]], 0.1, rtol=1e-14)
    # exp_range: the amplitude is scaled by γ^t: at t = 2, 0.1 + 0.9·0.5² = 0.325;
    # at t = 1, 0.1 + 0.9·0.5·0.5 = 0.325 as well; at t = 6: 0.1 + 0.9·0.5^6
    ex = triangular_schedule(np.arange(7), 0.1, 1.0, 2, mode="exp_range", gamma=0.5)
    np.testing.assert_allclose(ex[[1, 2, 6]], [0.325, 0.325, 0.1 + 0.9 / 64], rtol=1e-14)


@given(
    s=st.integers(1, 50),
    base=st.floats(0, 1),
    span=st.floats(0, 1),
    t=hnp.arrays(np.int64, st.integers(1, 20), elements=st.integers(0, 10_000)),
)
def test_triangular_equals_smiths_formula(s: int, base: float, span: float, t: np.ndarray) -> None:
    # Smith (2017): c = ⌊1 + t/(2s)⌋, x = |t/s − 2c + 1|, η = base + (max − base) max(0, 1 − x)
    c = np.floor(1 + t / (2 * s))
    x = np.abs(t / s - 2 * c + 1)
    smith = base + span * np.maximum(0, 1 - x)
    got = triangular_schedule(t, base, base + span, s)
    np.testing.assert_allclose(got, smith, rtol=1e-12, atol=1e-15)
    assert np.all(got >= base - 1e-15) and np.all(got <= base + span + 1e-15)


@given(
    lr0=st.floats(0, 10),
    frac=st.floats(0, 1),
    T=st.integers(1, 1000),
    t=hnp.arrays(np.int64, st.integers(1, 20), elements=st.integers(0, 10**6)),
)
def test_cosine_stays_between_eta_min_and_lr0(
    lr0: float, frac: float, T: int, t: np.ndarray
) -> None:
    eta_min = frac * lr0
    got = cosine_schedule(t, lr0, T, eta_min)
    slack = 1e-12 * max(lr0, 1e-300)
    assert np.all(got >= eta_min - slack) and np.all(got <= lr0 + slack)
    warm = warmup_cosine_schedule(t, lr0, T // 2, T + 1, eta_min)
    assert np.all(warm >= -slack) and np.all(warm <= lr0 + slack)


def test_schedule_functions_accept_scalars_and_floats() -> None:
    assert cosine_schedule(2, 1.0, 4).shape == ()
    assert float(cosine_schedule(2, 1.0, 4)) == pytest.approx(0.5)
    np.testing.assert_allclose(exponential_schedule(np.array([0.5]), 4.0, 0.25), [2.0])
    assert step_schedule(np.array([], dtype=int), 1.0, 2).shape == (0,)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: step_schedule(-1, 1.0, 2), ValueError, "step_schedule: argument 't' must be >= 0"),
        (lambda: step_schedule(np.array([1.0, np.nan]), 1.0, 2), ValueError, "'t' must be finite"),
        (lambda: step_schedule(np.array(["a"]), 1.0, 2), TypeError, "'t' must hold step numbers"),
        (lambda: step_schedule(np.array([True]), 1.0, 2), TypeError, "'t' must hold step numbers"),
        (lambda: step_schedule(1, 1.0, 0), ValueError, "'step_size' must be >= 1"),
        (lambda: step_schedule(1, 1.0, 2.0), TypeError, "'step_size' must be an int"),  # type: ignore[arg-type]
        (lambda: step_schedule(1, 1.0, 2, gamma=0), ValueError, "'gamma' must be > 0"),
        (lambda: exponential_schedule(1, -1.0, 0.5), ValueError, "'lr0' must be >= 0"),
        (lambda: inverse_time_schedule(1, 1.0, -0.1), ValueError, "'k' must be >= 0"),
        (lambda: cosine_schedule(1, 1.0, 0), ValueError, "cosine_schedule: argument 'T'"),
        (lambda: cosine_schedule(1, 1.0, 4, eta_min=-0.1), ValueError, "'eta_min'"),
        (lambda: warmup_cosine_schedule(1, 1.0, 5, 5), ValueError, "'T' must exceed 'warmup'"),
        (lambda: warmup_cosine_schedule(1, 1.0, -1, 5), ValueError, "'warmup' must be >= 0"),
        (lambda: linear_schedule(1, 1.0, start_factor=0), ValueError, "'start_factor'"),
        (lambda: linear_schedule(1, 1.0, end_factor=1.5), ValueError, "'end_factor'"),
        (lambda: linear_schedule(1, 1.0, total_iters=0), ValueError, "'total_iters'"),
        (lambda: triangular_schedule(1, 1.0, 0.5, 2), ValueError, "'max_lr' must be >= base_lr"),
        (lambda: triangular_schedule(1, 0.1, 1.0, 0), ValueError, "'step_size_up' must be >= 1"),
        (lambda: triangular_schedule(1, 0.1, 1.0, 2, 0), ValueError, "'step_size_down'"),
        (lambda: triangular_schedule(1, 0.1, 1.0, 2, mode="tri"), ValueError, "'mode'"),
        (
            lambda: triangular_schedule(1, 0.1, 1.0, 2, mode="exp_range", gamma=0),
            ValueError,
            "'gamma'",
        ),
    ],
)
def test_schedule_function_bad_inputs(call: Callable[[], Any], exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()


# =========================================================================== scheduler classes
def test_steplr_by_hand_and_counting() -> None:
    # StepLR(step_size=3, γ = 0.5) from lr 1: 1, 1, 1, 0.5, 0.5, 0.5, 0.25
    opt = sgd_opt(1.0)
    sched = StepLR(opt, step_size=3, gamma=0.5)
    group = opt.param_groups[0]
    assert sched.last_epoch == 0 and group["lr"] == 1.0 and group["initial_lr"] == 1.0
    np.testing.assert_array_equal(schedule_of(sched, 7), [1, 1, 1, 0.5, 0.5, 0.5, 0.25])
    assert sched.last_epoch == 6 and group["lr"] == 0.25
    assert sched.base_lrs == [1.0]
    assert repr(sched) == "StepLR(last_epoch=6, lr=[0.25])"


def test_exponential_and_lambda_by_hand() -> None:
    np.testing.assert_array_equal(
        schedule_of(ExponentialLR(sgd_opt(1.0), gamma=0.5), 4), [1, 0.5, 0.25, 0.125]
    )
    # LambdaLR: η0 λ(t) with λ(t) = 1/(1 + t), η0 = 2: 2, 1, 2/3, 1/2
    np.testing.assert_allclose(
        schedule_of(LambdaLR(sgd_opt(2.0), lambda t: 1 / (1 + t)), 4), [2, 1, 2 / 3, 0.5]
    )


def test_cosine_annealing_by_hand() -> None:
    # T_max = 4 from lr 1: 1, (1 + √2/2)/2, 1/2, (1 − √2/2)/2, 0, then rising again
    r = math.sqrt(2) / 2
    down = [1.0, (1 + r) / 2, 0.5, (1 - r) / 2, 0.0]
    got = schedule_of(CosineAnnealingLR(sgd_opt(1.0), T_max=4), 9)
    np.testing.assert_allclose(got, down + down[-2::-1], rtol=1e-14, atol=1e-16)


def test_cosine_annealing_matches_torch_recursive_form() -> None:
    # PyTorch's documented recursion (CosineAnnealingLR docs):
    #   η_t = η_min + (η_{t−1} − η_min)(1 + cos(πt/T))/(1 + cos(π(t − 1)/T)),
    # except when (t − 1 − T) is a multiple of 2T, where
    #   η_t = η_{t−1} + (η0 − η_min)(1 − cos(π/T))/2.
    # It telescopes to the closed form for every t, past T_max included.
    lr0, eta_min, T = 0.5, 0.05, 5
    rec = [lr0]
    for t in range(1, 4 * T + 1):
        if (t - 1 - T) % (2 * T) == 0:
            rec.append(rec[-1] + (lr0 - eta_min) * (1 - math.cos(math.pi / T)) / 2)
        else:
            ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
            rec.append(eta_min + (rec[-1] - eta_min) * ratio)
    got = schedule_of(CosineAnnealingLR(sgd_opt(lr0), T_max=T, eta_min=eta_min), 4 * T + 1)
    np.testing.assert_allclose(got, rec, rtol=1e-12)


def test_linear_lr_by_hand_and_torch_recursion() -> None:
    # Defaults (1/3, 1, 5) from η0 = 0.3: 0.1, 0.14, 0.18, 0.22, 0.26, 0.3, 0.3
    got = schedule_of(LinearLR(sgd_opt(0.3)), 7)
    np.testing.assert_allclose(got, [0.1, 0.14, 0.18, 0.22, 0.26, 0.3, 0.3], rtol=1e-14)
    # PyTorch steps it recursively: η_0 = η0 f_s, and for 1 <= t <= N
    #   η_t = η_{t−1}(1 + (f_e − f_s)/(N f_s + (t − 1)(f_e − f_s))),
    # which is the ratio (f_s + (f_e − f_s)t/N)/(f_s + (f_e − f_s)(t − 1)/N).
    fs, fe, N, lr0 = 0.1, 0.9, 4, 2.0
    rec = [lr0 * fs]
    for t in range(1, 8):
        rec.append(
            rec[-1] * (1 + (fe - fs) / (N * fs + (t - 1) * (fe - fs))) if t <= N else rec[-1]
        )
    sched = LinearLR(sgd_opt(lr0), start_factor=fs, end_factor=fe, total_iters=N)
    np.testing.assert_allclose(schedule_of(sched, 8), rec, rtol=1e-12)


def test_step_and_exponential_match_torch_chained_form() -> None:
    # PyTorch multiplies the current rate: StepLR by γ when t % s == 0, ExponentialLR every step.
    chained_step, chained_exp = [0.3], [0.3]
    for t in range(1, 40):
        chained_step.append(chained_step[-1] * (0.7 if t % 4 == 0 else 1.0))
        chained_exp.append(chained_exp[-1] * 0.93)
    np.testing.assert_allclose(
        schedule_of(StepLR(sgd_opt(0.3), 4, 0.7), 40), chained_step, rtol=1e-13
    )
    np.testing.assert_allclose(
        schedule_of(ExponentialLR(sgd_opt(0.3), 0.93), 40), chained_exp, rtol=1e-13
    )


def test_cycliclr_by_hand_period_and_momentum() -> None:
    # base 0.1, max 1, s = 2: lr 0.1, 0.55, 1, 0.55, 0.1 ..., period 4.
    # Momentum is cycled inversely: 0.9 at base, 0.8 at the peak, 0.85 halfway.
    opt = SGD([param([0.0])], lr=0.5)  # momentum 0, as PyTorch's CyclicLR default overrides
    sched = CyclicLR(opt, base_lr=0.1, max_lr=1.0, step_size_up=2)
    group = opt.param_groups[0]
    assert group["lr"] == 0.1 and group["momentum"] == 0.9  # set at construction
    lrs, moms = [group["lr"]], [group["momentum"]]
    for _ in range(8):
        opt.step()
        sched.step()
        lrs.append(group["lr"])
        moms.append(group["momentum"])
    np.testing.assert_allclose(lrs, [0.1, 0.55, 1.0, 0.55, 0.1, 0.55, 1.0, 0.55, 0.1], rtol=1e-14)
    np.testing.assert_allclose(moms, [0.9, 0.85, 0.8, 0.85, 0.9, 0.85, 0.8, 0.85, 0.9], rtol=1e-14)
    assert sched.base_lrs == [0.1]


def test_cycliclr_cycles_adam_beta1_and_can_leave_momentum_alone() -> None:
    opt = Adam([param([0.0])], lr=1e-3, betas=(0.95, 0.99))
    sched = CyclicLR(opt, 0.01, 0.1, step_size_up=1)
    group = opt.param_groups[0]
    assert group["betas"] == (0.9, 0.99)
    opt.step()
    sched.step()  # peak: β1 = base_momentum 0.8, β2 untouched
    assert group["betas"] == pytest.approx((0.8, 0.99)) and group["lr"] == pytest.approx(0.1)
    sgd = SGD([param([0.0])], lr=0.5, momentum=0.3)
    sgd.step()
    CyclicLR(sgd, 0.01, 0.1, step_size_up=1, cycle_momentum=False).step()
    assert sgd.param_groups[0]["momentum"] == 0.3


def test_cycliclr_needs_momentum_unless_disabled() -> None:
    class Plain(Optimizer):  # no momentum and no betas among its options
        def step(self) -> None:
            pass

    with pytest.raises(ValueError, match="CyclicLR: optimizer must support momentum or beta1"):
        CyclicLR(Plain([param([0.0])], {"lr": 0.1}), 0.01, 0.1)
    plain = Plain([param([0.0])], {"lr": 0.1})
    sched = CyclicLR(plain, 0.01, 0.1, step_size_up=1, cycle_momentum=False)
    plain._step_count += 1  # as a real step() would count
    sched.step()
    assert sched.get_last_lr() == [pytest.approx(0.1)]


def _scheduler_cases() -> list[
    tuple[Callable[[Optimizer], LRScheduler], Callable[[np.ndarray], np.ndarray]]
]:
    return [
        (lambda o: StepLR(o, 3, 0.5), lambda t: step_schedule(t, 0.7, 3, 0.5)),
        (lambda o: StepLR(o, 1), lambda t: step_schedule(t, 0.7, 1)),
        (lambda o: ExponentialLR(o, 0.9), lambda t: exponential_schedule(t, 0.7, 0.9)),
        (lambda o: CosineAnnealingLR(o, 7), lambda t: cosine_schedule(t, 0.7, 7)),
        (
            lambda o: CosineAnnealingLR(o, 5, eta_min=0.01),
            lambda t: cosine_schedule(t, 0.7, 5, 0.01),
        ),
        (lambda o: LinearLR(o), lambda t: linear_schedule(t, 0.7)),
        (lambda o: LinearLR(o, 1.0, 0.1, 6), lambda t: linear_schedule(t, 0.7, 1.0, 0.1, 6)),
        (
            lambda o: CyclicLR(o, 0.05, 0.6, 3, cycle_momentum=False),
            lambda t: triangular_schedule(t, 0.05, 0.6, 3),
        ),
        (
            lambda o: CyclicLR(o, 0.05, 0.6, 3, 5, mode="triangular2"),
            lambda t: triangular_schedule(t, 0.05, 0.6, 3, 5, mode="triangular2"),
        ),
        (
            lambda o: CyclicLR(o, 0.05, 0.6, 2, mode="exp_range", gamma=0.97),
            lambda t: triangular_schedule(t, 0.05, 0.6, 2, mode="exp_range", gamma=0.97),
        ),
    ]


@pytest.mark.parametrize(("make", "fn"), _scheduler_cases())
def test_scheduler_class_equals_its_plain_function_exactly(
    make: Callable[[Optimizer], LRScheduler], fn: Callable[[np.ndarray], np.ndarray]
) -> None:
    sched = make(SGD([param([0.0])], lr=0.7))
    np.testing.assert_array_equal(schedule_of(sched, 40), fn(np.arange(40)))


def test_lambdalr_turns_plain_functions_into_schedulers() -> None:
    # η0·λ(t) with λ the unit-peak schedule equals the schedule with peak η0 (to rounding).
    t = np.arange(30)
    warm = LambdaLR(sgd_opt(0.4), lambda s: float(warmup_cosine_schedule(s, 1.0, 5, 25)))
    np.testing.assert_allclose(
        schedule_of(warm, 30), warmup_cosine_schedule(t, 0.4, 5, 25), rtol=1e-14, atol=1e-17
    )
    inv = LambdaLR(sgd_opt(0.4), lambda s: 1 / (1 + 0.1 * s))
    np.testing.assert_allclose(schedule_of(inv, 30), inverse_time_schedule(t, 0.4, 0.1), rtol=1e-14)


def test_initial_lr_is_set_once_like_torch_setdefault() -> None:
    opt = sgd_opt(1.0)
    group = opt.param_groups[0]
    group["lr"] = 0.5  # changed before any scheduler: that is the rate the scheduler starts from
    first = ExponentialLR(opt, 0.5)
    assert group["initial_lr"] == 0.5 and first.get_last_lr() == [0.5]
    opt.step()
    first.step()
    second = StepLR(opt, 2, 0.1)  # reuses initial_lr, not the current 0.25
    assert second.base_lrs == [0.5] and group["lr"] == 0.5
    out = second.get_last_lr()
    out.append(1.0)  # a copy: the scheduler's record is unchanged
    assert second.get_last_lr() == [0.5]


def test_scheduler_base_class_and_bad_inputs() -> None:
    class NoRule(LRScheduler):
        pass

    with pytest.raises(NotImplementedError):
        NoRule(sgd_opt())
    with pytest.raises(
        TypeError, match=r"StepLR: argument 'optimizer' must be an nnbook\.optim\.Optimizer"
    ):
        StepLR("sgd", 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="CyclicLR: argument 'optimizer'"):
        CyclicLR(None, 0.1, 1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "exc", "match"),
    [
        (lambda o: StepLR(o, 0), ValueError, "StepLR: argument 'step_size' must be >= 1, got 0"),
        (lambda o: StepLR(o, -2), ValueError, "'step_size' must be >= 1"),
        (lambda o: StepLR(o, 1.5), TypeError, "'step_size' must be an int"),  # type: ignore[arg-type]
        (lambda o: StepLR(o, 2, gamma=-0.5), ValueError, "'gamma' must be > 0"),
        (lambda o: ExponentialLR(o, 0.0), ValueError, "ExponentialLR: argument 'gamma'"),
        (lambda o: CosineAnnealingLR(o, 0), ValueError, "CosineAnnealingLR: argument 'T_max'"),
        (lambda o: CosineAnnealingLR(o, 10, eta_min=-1), ValueError, "'eta_min'"),
        (lambda o: LinearLR(o, start_factor=0), ValueError, "LinearLR: argument 'start_factor'"),
        (lambda o: LinearLR(o, start_factor=1.5), ValueError, "'start_factor'"),
        (lambda o: LinearLR(o, end_factor=-0.1), ValueError, "'end_factor'"),
        (lambda o: LinearLR(o, total_iters=0), ValueError, "'total_iters'"),
        (lambda o: CyclicLR(o, 1.0, 0.1), ValueError, "CyclicLR: argument 'max_lr'"),
        (lambda o: CyclicLR(o, -0.1, 0.1), ValueError, "'base_lr' must be >= 0"),
        (lambda o: CyclicLR(o, 0.1, 1.0, 0), ValueError, "'step_size_up'"),
        (lambda o: CyclicLR(o, 0.1, 1.0, 2, 0), ValueError, "'step_size_down'"),
        (lambda o: CyclicLR(o, 0.1, 1.0, mode="cosine"), ValueError, "'mode' must be one of"),
        (lambda o: CyclicLR(o, 0.1, 1.0, base_momentum=-1), ValueError, "'base_momentum'"),
        (lambda o: LambdaLR(o, 0.5), TypeError, "LambdaLR: argument 'lr_lambda' must be callable"),  # type: ignore[arg-type]
    ],
)
def test_scheduler_bad_arguments(make: Callable[[Optimizer], Any], exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        make(sgd_opt())


# =========================================================================== range test
def quadratic_step_fn(lam: float, x0: float = 1.0) -> Callable[[float], float]:
    """One SGD step on f = ½λx²; returns the loss before the step."""
    x = np.array([x0])

    def step_fn(lr: float) -> float:
        loss = 0.5 * lam * float(x[0] ** 2)
        x[0] -= lr * lam * x[0]
        return loss

    return step_fn


def test_range_test_on_quadratic_without_smoothing() -> None:
    # f = ½x² (λ = 1): the loss shrinks by (1 − η)² per step, so it falls while
    # η < 2 and grows once η > 2. The recorded loss L_i precedes step i, so the
    # lowest loss is recorded at the first grid rate above 2/λ: best_lr ∈ (2, 2r]
    # with r the grid ratio (1e5)^(1/99). The loss then grows and the test stops.
    res = lr_range_test(quadratic_step_fn(1.0), lr_min=1e-4, lr_max=10.0, num_steps=100, smooth=0)
    r = 1e5 ** (1 / 99)
    assert res.stopped_early
    assert 2.0 < res.best_lr <= 2.0 * r
    assert res.suggested_lr == res.best_lr / 10
    assert len(res.lrs) == len(res.losses) == len(res.smoothed_losses) < 100
    np.testing.assert_array_equal(res.smoothed_losses, res.losses)
    # Stopping rule: the last loss is the first above 4× the best before it.
    assert res.losses[-1] > 4 * res.losses[:-1].min()
    assert np.all(res.losses[1:-1] <= 4 * np.minimum.accumulate(res.losses[:-2]))
    np.testing.assert_allclose(res.lrs, 1e-4 * r ** np.arange(len(res.lrs)), rtol=1e-12)


def test_range_test_noisy_quadratic_with_smoothing() -> None:
    # Minibatch noise: f_i = ½(x − ξ_i)², ξ_i ~ N(0, 0.3²) (seeded). With fastai's β = 0.98 the
    # smoothed curve lags the raw one by ~1/(1 − β) = 50 steps, so the minimum of the
    # smoothed loss lands a little past the stability limit 2/λ; the suggested rate
    # (a tenth of it) is safely inside (0, 2/λ) and within 10× of the optimum η = 1/λ.
    rng = np.random.default_rng(0)
    x = np.array([3.0])

    def step_fn(lr: float) -> float:
        xi = rng.normal(0.0, 0.3)
        loss = 0.5 * float((x[0] - xi) ** 2)
        x[0] -= lr * (x[0] - xi)
        return loss

    res = lr_range_test(step_fn, lr_min=1e-4, lr_max=10.0, num_steps=100)
    assert res.stopped_early and res.lrs[-1] < 10.0
    assert 0.1 <= res.suggested_lr < 2.0
    # The smoothed values are the bias-corrected EMA of the raw ones.
    beta, avg = 0.98, 0.0
    for i, loss in enumerate(res.losses):
        avg = beta * avg + (1 - beta) * loss
        assert res.smoothed_losses[i] == pytest.approx(avg / (1 - beta ** (i + 1)), rel=1e-12)


def test_range_test_runs_to_lr_max_when_loss_keeps_falling() -> None:
    calls: list[float] = []

    def step_fn(lr: float) -> float:
        calls.append(lr)
        return 1.0 / len(calls)

    res = lr_range_test(step_fn, lr_min=1e-3, lr_max=1.0, num_steps=4, smooth=0.0)
    # η_i = 1e-3 · 1000^(i/3) = 1e-3, 1e-2, 1e-1, 1
    np.testing.assert_allclose(res.lrs, [1e-3, 1e-2, 1e-1, 1.0], rtol=1e-12)
    assert calls == res.lrs.tolist()
    assert not res.stopped_early and res.best_lr == res.lrs[-1]


def test_range_test_stops_on_non_finite_loss() -> None:
    losses = iter([3.0, 2.0, math.inf, 1.0])
    res = lr_range_test(lambda lr: next(losses), num_steps=4)
    assert res.stopped_early and len(res.losses) == 3 and math.isinf(res.losses[-1])
    assert res.best_lr == res.lrs[1]
    with pytest.raises(ValueError, match="not finite at the first rate lr_min=1e-07"):
        lr_range_test(lambda lr: math.nan, num_steps=4)


def test_range_test_restores_params_even_on_error() -> None:
    w = param([1.0, 2.0])
    holder = w.data
    opt = SGD([w], lr=0.1)

    def step_fn(lr: float) -> float:
        opt.param_groups[0]["lr"] = lr
        w.grad = w.data.copy()
        opt.step()
        return float((w.data**2).sum())

    res = lr_range_test(step_fn, [w], lr_min=1e-3, lr_max=5.0, num_steps=30, smooth=0.0)
    assert isinstance(res, RangeTestResult)
    assert w.data is holder
    np.testing.assert_array_equal(w.data, [1.0, 2.0])

    def failing(lr: float) -> float:
        w.data *= 10
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        lr_range_test(failing, w, num_steps=3)
    np.testing.assert_array_equal(w.data, [1.0, 2.0])


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"step_fn": 3}, TypeError, "lr_range_test: argument 'step_fn' must be callable"),
        ({"lr_min": 0.0}, ValueError, "'lr_min' must be > 0"),
        ({"lr_min": 1.0, "lr_max": 1.0}, ValueError, "'lr_max' must exceed lr_min"),
        ({"num_steps": 1}, ValueError, "'num_steps' must be >= 2"),
        ({"num_steps": 10**9}, ValueError, "'num_steps' must be <= 100000"),
        ({"num_steps": 10.0}, TypeError, "'num_steps' must be an int"),
        ({"smooth": 1.0}, ValueError, r"'smooth' must be in \[0, 1\)"),
        ({"smooth": -0.1}, ValueError, "'smooth'"),
        ({"divergence_factor": 1.0}, ValueError, "'divergence_factor' must be > 1"),
        ({"params": [np.ones(2)]}, TypeError, "item 0 is a ndarray"),
        ({"step_fn": lambda lr: "high"}, TypeError, "step_fn must return the loss as a number"),
    ],
)
def test_range_test_bad_inputs(kwargs: dict[str, Any], exc: type, match: str) -> None:
    args: dict[str, Any] = {"step_fn": lambda lr: 1.0, "num_steps": 5}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        lr_range_test(**args)
