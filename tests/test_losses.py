"""Tests for the losses of nnbook.nn.functional.

Reference values are derived by hand from the published formulas (the
arithmetic is in the comments); torch's edge cases (the −100 clamp of BCE, the
weighted mean of nll_loss, label smoothing's weighting, nan for an all-ignored
mean) are checked against the formulas read from torch's source. Gradients are
checked with autograd.gradcheck in float64 over hypothesis-generated shapes,
away from the kinks of the piecewise losses. pytest turns every warning into an
error, so each test also checks that no RuntimeWarning is raised.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnbook
from nnbook import Tensor
from nnbook.autograd import gradcheck
from nnbook.nn.functional import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_embedding_loss,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from tests.strategies import arrays, shapes

LOG2, LOG3 = math.log(2.0), math.log(3.0)
REDUCTIONS = ("none", "mean", "sum")


def val(out: Any) -> np.ndarray:
    """The numbers of a loss result, Tensor or ndarray."""
    return np.asarray(out.data if isinstance(out, Tensor) else out)


def close(out: Any, expected: Any, rtol: float = 1e-12, atol: float = 1e-14) -> None:
    np.testing.assert_allclose(val(out), expected, rtol=rtol, atol=atol)


# --------------------------------------------------------------------------
# regression losses: hand values for every reduction
# --------------------------------------------------------------------------


def test_mse_loss_hand_values() -> None:
    # d = x − y = [1, 2, 3]; d² = [1, 4, 9]; sum 14; mean 14/3.
    x, y = [1.0, 2.0, 4.0], [0.0, 0.0, 1.0]
    close(mse_loss(x, y, reduction="none"), [1.0, 4.0, 9.0])
    close(mse_loss(x, y, reduction="sum"), 14.0)
    close(mse_loss(x, y), 14.0 / 3.0)


def test_mse_loss_gradient_is_2d_over_n() -> None:
    # ∂/∂x of mean (x − y)² is 2(x − y)/N = 2·[1, 2, 3]/3; ∂/∂y is its negative.
    x = Tensor([1.0, 2.0, 4.0], requires_grad=True)
    y = Tensor([0.0, 0.0, 1.0], requires_grad=True)
    mse_loss(x, y).backward()
    close(x.grad, [2 / 3, 4 / 3, 2.0])
    close(y.grad, [-2 / 3, -4 / 3, -2.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mse_loss_of_a_tensor_and_its_target_array_matches_the_general_path(dtype) -> None:
    # A training step's call (Tensor input, ndarray target of its dtype and shape) wraps
    # the target without converting it; it must equal a Tensor target, value and gradient.
    rng = np.random.default_rng(3)
    xv, yv = rng.standard_normal((5, 3)).astype(dtype), rng.standard_normal((5, 3)).astype(dtype)
    fast_x, slow_x = Tensor(xv.copy(), requires_grad=True), Tensor(xv.copy(), requires_grad=True)
    fast, slow = mse_loss(fast_x, yv), mse_loss(slow_x, Tensor(yv))
    assert fast.dtype == slow.dtype == dtype
    assert fast.item() == slow.item() == pytest.approx(float(((xv - yv) ** 2).mean()), rel=1e-6)
    fast.backward()
    slow.backward()
    np.testing.assert_array_equal(fast_x.grad, slow_x.grad)
    # Anything else takes the checked path: a bad reduction or shape is still refused.
    with pytest.raises(ValueError, match="reduction"):
        mse_loss(fast_x, yv, reduction="average")
    with pytest.raises(ValueError, match="same shape"):
        mse_loss(fast_x, yv[:, :2])


def test_l1_loss_hand_values() -> None:
    # |d| = [1, 2, 3] for d = [1, −2, 3]; sum 6; mean 2.
    x, y = [1.0, -2.0, 4.0], [0.0, 0.0, 1.0]
    close(l1_loss(x, y, reduction="none"), [1.0, 2.0, 3.0])
    close(l1_loss(x, y, reduction="sum"), 6.0)
    close(l1_loss(x, y), 2.0)


def test_l1_loss_gradient_is_sign_and_zero_at_zero() -> None:
    # sign(d)/N for d = [1, −2, 0]: torch's sgn gives 0 at 0.
    x = Tensor([1.0, -2.0, 5.0], requires_grad=True)
    l1_loss(x, [0.0, 0.0, 5.0]).backward()
    close(x.grad, [1 / 3, -1 / 3, 0.0])


def test_huber_loss_hand_values_delta_1() -> None:
    # δ = 1, d = [0.5, 2, −3]: ½·0.25 = 0.125; 1·(2 − ½) = 1.5; 1·(3 − ½) = 2.5.
    # sum 4.125; mean 4.125/3 = 1.375.
    x, y = [0.5, 2.0, -3.0], [0.0, 0.0, 0.0]
    close(huber_loss(x, y, reduction="none"), [0.125, 1.5, 2.5])
    close(huber_loss(x, y, reduction="sum"), 4.125)
    close(huber_loss(x, y), 1.375)


def test_huber_loss_hand_values_delta_2() -> None:
    # δ = 2, d = [1, 3, 2]: ½·1 = 0.5; 2·(3 − 1) = 4; at |d| = δ both pieces give ½·4 = 2.
    close(huber_loss([1.0, 3.0, 2.0], [0.0, 0.0, 0.0], reduction="none", delta=2.0), [0.5, 4, 2])


def test_huber_gradient_is_clipped_residual() -> None:
    # ∂/∂x = clip(d, −δ, δ) per element (reduction "sum"): δ = 1, d = [0.5, 2, −3, 0].
    x = Tensor([0.5, 2.0, -3.0, 0.0], requires_grad=True)
    huber_loss(x, np.zeros(4), reduction="sum").backward()
    close(x.grad, [0.5, 1.0, -1.0, 0.0])


def test_smooth_l1_loss_hand_values() -> None:
    # β = 2, d = [1, 3, −0.5]: ½·1/2 = 0.25; 3 − 1 = 2; ½·0.25/2 = 0.0625.
    # sum 2.3125; mean 2.3125/3.
    x, y = [1.0, 3.0, -0.5], [0.0, 0.0, 0.0]
    close(smooth_l1_loss(x, y, reduction="none", beta=2.0), [0.25, 2.0, 0.0625])
    close(smooth_l1_loss(x, y, reduction="sum", beta=2.0), 2.3125)
    close(smooth_l1_loss(x, y, beta=2.0), 2.3125 / 3)


def test_smooth_l1_default_beta_equals_huber_delta_1() -> None:
    # β = δ = 1: Huber/β = Huber, so the δ = 1 values again: [0.125, 1.5, 2.5].
    close(smooth_l1_loss([0.5, 2.0, -3.0], [0.0, 0.0, 0.0], reduction="none"), [0.125, 1.5, 2.5])


def test_smooth_l1_gradient_is_bounded_by_one() -> None:
    # ∂/∂x = clip(d/β, −1, 1): β = 2, d = [1, 3, −5] → [0.5, 1, −1].
    x = Tensor([1.0, 3.0, -5.0], requires_grad=True)
    smooth_l1_loss(x, np.zeros(3), reduction="sum", beta=2.0).backward()
    close(x.grad, [0.5, 1.0, -1.0])


def test_smooth_l1_beta_zero_is_l1() -> None:
    # torch: beta == 0 falls back to l1_loss; |d| = [0.5, 2, 3].
    x, y = [0.5, 2.0, -3.0], [0.0, 0.0, 0.0]
    for red in REDUCTIONS:
        close(smooth_l1_loss(x, y, reduction=red, beta=0.0), val(l1_loss(x, y, reduction=red)))


@given(
    shape=shapes(min_dims=1, max_dims=2),
    data=st.data(),
    k=st.floats(min_value=0.1, max_value=3.0),
    reduction=st.sampled_from(REDUCTIONS),
)
@settings(max_examples=30)
def test_huber_equals_beta_times_smooth_l1(
    shape: tuple[int, ...], data: st.DataObject, k: float, reduction: str
) -> None:
    # Huber_δ = β·SmoothL1_β with β = δ (the book's identity), for values and gradients.
    x, y = data.draw(arrays(shape)), data.draw(arrays(shape))
    close(
        huber_loss(x, y, reduction=reduction, delta=k),
        k * val(smooth_l1_loss(x, y, reduction=reduction, beta=k)),
        rtol=1e-12,
        atol=1e-12,
    )
    a, b = Tensor(x, requires_grad=True), Tensor(x, requires_grad=True)
    huber_loss(a, y, reduction="sum", delta=k).backward()
    (smooth_l1_loss(b, y, reduction="sum", beta=k) * k).backward()
    close(a.grad, b.grad, atol=1e-12)


# --------------------------------------------------------------------------
# binary cross-entropy on probabilities
# --------------------------------------------------------------------------


def test_bce_hand_values_every_reduction() -> None:
    # p = [0.5, 0.25, 0.9], y = [1, 0, 1]: −log 0.5 = log 2; −log 0.75 = log(4/3); −log 0.9.
    p, y = [0.5, 0.25, 0.9], [1.0, 0.0, 1.0]
    each = [LOG2, math.log(4 / 3), -math.log(0.9)]
    close(binary_cross_entropy(p, y, reduction="none"), each)
    close(binary_cross_entropy(p, y, reduction="sum"), sum(each))
    close(binary_cross_entropy(p, y), sum(each) / 3)


def test_bce_soft_target() -> None:
    # p = 0.25, y = 0.5: −(½ log ¼ + ½ log ¾) = ½ log 4 + ½ log(4/3) = ½ log(16/3).
    close(binary_cross_entropy([0.25], [0.5], reduction="sum"), 0.5 * math.log(16 / 3))


def test_bce_weight_rescales_elements_and_mean_divides_by_n() -> None:
    # weight [2, 1, 0]: [2 log 2, log(4/3), 0]; "mean" is the plain mean over 3 elements.
    p, y, w = [0.5, 0.25, 0.9], [1.0, 0.0, 1.0], [2.0, 1.0, 0.0]
    each = [2 * LOG2, math.log(4 / 3), 0.0]
    close(binary_cross_entropy(p, y, weight=w, reduction="none"), each)
    close(binary_cross_entropy(p, y, weight=w), sum(each) / 3)


def test_bce_weight_broadcasts_over_rows() -> None:
    # weight (2,) against input (2, 2): column weights 1 and 3; p = ½ everywhere gives log 2.
    p, y = np.full((2, 2), 0.5), np.ones((2, 2))
    close(binary_cross_entropy(p, y, weight=[1.0, 3.0], reduction="none"), [[LOG2, 3 * LOG2]] * 2)


def test_bce_clamps_logs_at_minus_100() -> None:
    # BCE(0, 1) = −max(log 0, −100) = 100 exactly; BCE(1, 0) likewise; BCE(1, 1) = BCE(0, 0) = 0.
    out = val(binary_cross_entropy([0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 1.0, 0.0], reduction="none"))
    assert out.tolist() == [100.0, 100.0, 0.0, 0.0]
    assert not np.signbit(out).any()  # no −0 printed in the book


def test_bce_gradient_is_finite_at_the_clamp() -> None:
    # torch's backward: (p − y)/max(p(1 − p), 1e-12) → (0 − 1)/1e-12 and (1 − 0)/1e-12 ("sum").
    p = Tensor([0.0, 1.0], requires_grad=True)
    binary_cross_entropy(p, [1.0, 0.0], reduction="sum").backward()
    assert p.grad is not None and np.all(np.isfinite(p.grad))
    close(p.grad, [-1e12, 1e12])


def test_bce_gradient_interior() -> None:
    # (p − y)/(p(1 − p))/N with N = 2:
    # p = 0.5, y = 1 → −0.5/0.25/2 = −1; p = 0.25, y = 0 → 0.25/0.1875/2 = 2/3.
    p = Tensor([0.5, 0.25], requires_grad=True)
    binary_cross_entropy(p, [1.0, 0.0]).backward()
    close(p.grad, [-1.0, 2 / 3])


def test_bce_target_gradient_is_minus_logit() -> None:
    # ∂/∂y = log(1 − p) − log p: p = 0.25 → log(0.75/0.25) = log 3; p = 0.5 → 0.
    y = Tensor([0.3, 0.9], requires_grad=True)
    binary_cross_entropy([0.25, 0.5], y, reduction="sum").backward()
    close(y.grad, [LOG3, 0.0])


# --------------------------------------------------------------------------
# binary cross-entropy with logits
# --------------------------------------------------------------------------


def test_bce_with_logits_hand_values() -> None:
    # x = 0, y = 1: −log σ(0) = log 2.
    # x = 2, y = 0: −log(1 − σ(2)) = log(1 + e²).
    # x = −1, y = ½: ½ log(1 + e) + ½ log(1 + e⁻¹) = ½ + log(1 + e⁻¹).
    x, y = [0.0, 2.0, -1.0], [1.0, 0.0, 0.5]
    each = [LOG2, math.log1p(math.exp(2.0)), 0.5 + math.log1p(math.exp(-1.0))]
    close(binary_cross_entropy_with_logits(x, y, reduction="none"), each)
    close(binary_cross_entropy_with_logits(x, y, reduction="sum"), sum(each))
    close(binary_cross_entropy_with_logits(x, y), sum(each) / 3)


def test_bce_with_logits_finite_and_exact_at_1e4() -> None:
    # (1 − y)x + log(1 + e^{−|x|}) + max(−x, 0) with e^{−10⁴} = 0 in float64:
    # x = 10⁴, y = 0 → 10⁴; x = −10⁴, y = 1 → 10⁴; x = 10⁴, y = 1 → 0; x = −10⁴, y = 0 → 0.
    x = Tensor([1e4, -1e4, 1e4, -1e4], requires_grad=True)
    out = binary_cross_entropy_with_logits(x, [0.0, 1.0, 1.0, 0.0], reduction="none")
    assert val(out).tolist() == [1e4, 1e4, 0.0, 0.0]
    # Gradient σ(x) − y: [1 − 0, 0 − 1, 1 − 1, 0 − 0].
    out.sum().backward()
    assert x.grad is not None and x.grad.tolist() == [1.0, -1.0, 0.0, 0.0]


def test_bce_with_logits_gradient_is_sigmoid_minus_target() -> None:
    # ∂/∂x = (σ(x) − y)/N, N = 2: x = 0, y = 1 → −½/2; x = log 3 (σ = ¾), y = 0 → ¾/2.
    x = Tensor([0.0, LOG3], requires_grad=True)
    binary_cross_entropy_with_logits(x, [1.0, 0.0]).backward()
    close(x.grad, [-0.25, 0.375])


def test_bce_with_logits_pos_weight_and_weight() -> None:
    # pos_weight 3 multiplies the positive term only:
    # x = 0, y = 1 → 3 log 2; x = 0, y = 0 → log 2; weight [2, 5] then rescales: [6 log 2, 5 log 2].
    x, y = [0.0, 0.0], [1.0, 0.0]
    close(
        binary_cross_entropy_with_logits(x, y, pos_weight=[3.0], reduction="none"), [3 * LOG2, LOG2]
    )
    close(
        binary_cross_entropy_with_logits(x, y, weight=[2.0, 5.0], pos_weight=3.0, reduction="none"),
        [6 * LOG2, 5 * LOG2],
    )
    # Gradient (pw·y + 1 − y)σ(x) − pw·y at x = 0: y = 1 → 3·½ − 3 = −1.5; y = 0 → ½.
    t = Tensor([0.0, 0.0], requires_grad=True)
    binary_cross_entropy_with_logits(t, y, pos_weight=3.0, reduction="sum").backward()
    close(t.grad, [-1.5, 0.5])


def test_bce_with_logits_pos_weight_per_class() -> None:
    # pos_weight (C,) = (2,) broadcast over a batch (2, 2) of zero logits with y = 1: pw_c · log 2.
    out = binary_cross_entropy_with_logits(
        np.zeros((2, 2)), np.ones((2, 2)), pos_weight=[1.0, 4.0], reduction="none"
    )
    close(out, [[LOG2, 4 * LOG2]] * 2)


def test_bce_with_logits_target_gradient() -> None:
    # Without pos_weight ∂/∂y = −x: [−1.5, 2].
    # With pw: log σ(−x) − pw·log σ(x); at x = 0, pw = 3: −log 2 + 3 log 2 = 2 log 2.
    y = Tensor([0.2, 0.7], requires_grad=True)
    binary_cross_entropy_with_logits([1.5, -2.0], y, reduction="sum").backward()
    close(y.grad, [-1.5, 2.0])
    y2 = Tensor([0.2], requires_grad=True)
    binary_cross_entropy_with_logits([0.0], y2, pos_weight=3.0, reduction="sum").backward()
    close(y2.grad, [2 * LOG2])


@given(x=arrays((5,), st.floats(-10.0, 10.0)), y=arrays((5,), st.floats(0.0, 1.0)))
@settings(max_examples=30)
def test_bce_with_logits_equals_bce_of_sigmoid(x: np.ndarray, y: np.ndarray) -> None:
    # For moderate logits the fused form equals BCE(σ(x)); σ(±10) is far from the clamp.
    p = 1.0 / (1.0 + np.exp(-x))
    close(
        binary_cross_entropy_with_logits(x, y, reduction="none"),
        val(binary_cross_entropy(p, y, reduction="none")),
        rtol=1e-8,
        atol=1e-12,
    )


# --------------------------------------------------------------------------
# hinge embedding loss
# --------------------------------------------------------------------------


def test_hinge_embedding_hand_values() -> None:
    # margin 1: y = 1 → x; y = −1 → max(0, 1 − x).
    # x = [0.25, 0.25, 2, −1], y = [1, −1, −1, −1] → [0.25, 0.75, 0, 2]; sum 3; mean 0.75.
    x, y = [0.25, 0.25, 2.0, -1.0], [1, -1, -1, -1]
    close(hinge_embedding_loss(x, y, reduction="none"), [0.25, 0.75, 0.0, 2.0])
    close(hinge_embedding_loss(x, y, reduction="sum"), 3.0)
    close(hinge_embedding_loss(x, y), 0.75)


def test_hinge_embedding_margin_and_other_targets() -> None:
    # margin 2, x = 0.5, y = −1 → 2 − 0.5 = 1.5.
    # torch's rule for y = 0 (neither ±1): both terms, x + max(0, m − x) = 0.25 + 0.75 = 1.
    close(hinge_embedding_loss([0.5], [-1.0], margin=2.0, reduction="sum"), 1.5)
    close(hinge_embedding_loss([0.25], [0.0], reduction="sum"), 1.0)


def test_hinge_embedding_gradient() -> None:
    # "sum": y = 1 → 1; y = −1 and x < m → −1; y = −1 and x > m → 0.
    x = Tensor([0.25, 0.25, 2.0], requires_grad=True)
    hinge_embedding_loss(x, [1, -1, -1], reduction="sum").backward()
    close(x.grad, [1.0, -1.0, 0.0])


# --------------------------------------------------------------------------
# nll_loss and cross_entropy with class indices
# --------------------------------------------------------------------------

# Log-probabilities chosen as integers, so each loss is a number read off the table.
LP = np.array([[-1.0, -2.0, -3.0], [-4.0, -5.0, -6.0], [-7.0, -8.0, -9.0]])


def test_nll_loss_hand_values() -> None:
    # targets [2, 0, 1] pick −lp = [3, 4, 8]; sum 15; mean 5.
    t = [2, 0, 1]
    close(nll_loss(LP, t, reduction="none"), [3.0, 4.0, 8.0])
    close(nll_loss(LP, t, reduction="sum"), 15.0)
    close(nll_loss(LP, t), 5.0)


def test_nll_loss_weighted_mean_is_not_the_plain_mean() -> None:
    # w = [1, 10, 3], targets [2, 0] → w_y = [3, 1]; ℓ = [3·3, 1·4] = [9, 4]; sum 13.
    # "mean" = 13 / (3 + 1) = 3.25, not 13/2 = 6.5 (nor the unweighted 3.5).
    lp, t, w = LP[:2], [2, 0], [1.0, 10.0, 3.0]
    close(nll_loss(lp, t, weight=w, reduction="none"), [9.0, 4.0])
    close(nll_loss(lp, t, weight=w, reduction="sum"), 13.0)
    close(nll_loss(lp, t, weight=w), 3.25)
    # Gradient of the weighted mean: −w_y/Σw in column y: −3/4 at (0, 2), −1/4 at (1, 0).
    x = Tensor(lp, requires_grad=True)
    nll_loss(x, t, weight=w).backward()
    expected = np.zeros((2, 3))
    expected[0, 2], expected[1, 0] = -0.75, -0.25
    close(x.grad, expected)


def test_nll_loss_ignore_index() -> None:
    # targets [2, −100, 0]: the middle row is ignored → none [3, 0, 7]; sum 10;
    # mean 10/2 = 5 (the ignored row leaves the denominator), not 10/3.
    t = [2, -100, 0]
    close(nll_loss(LP, t, reduction="none"), [3.0, 0.0, 7.0])
    close(nll_loss(LP, t, reduction="sum"), 10.0)
    close(nll_loss(LP, t), 5.0)
    # A custom ignore_index that is a real class: ignore class 1 in targets [2, 1, 0].
    close(nll_loss(LP, [2, 1, 0], ignore_index=1), 5.0)
    # With weights [1, 10, 3]: (3·3 + 1·7)/(3 + 1) = 4; the ignored row's weight 10 is not counted.
    close(nll_loss(LP, t, weight=[1.0, 10.0, 3.0]), 4.0)
    x = Tensor(LP, requires_grad=True)
    nll_loss(x, t).backward()
    assert x.grad is not None and np.all(x.grad[1] == 0.0)


def test_nll_loss_all_ignored_is_nan_for_mean_without_warning() -> None:
    # torch: 0/0 for "mean" (nan), 0 for "sum", zeros for "none"; the gradient is 0.
    t = [-100, -100, -100]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = Tensor(LP, requires_grad=True)
        out = nll_loss(x, t)
        assert np.isnan(val(out))
        out.backward()
        assert x.grad is not None and np.all(x.grad == 0.0)
        assert val(nll_loss(LP, t, reduction="sum")) == 0.0
        close(nll_loss(LP, t, reduction="none"), [0.0, 0.0, 0.0])


def test_nll_loss_one_dimensional_input() -> None:
    # (C,) input with a scalar target: −lp[1] = 2; "none" gives a 0-d result.
    out = nll_loss([-1.0, -2.0, -3.0], 1, reduction="none")
    assert val(out).shape == ()
    close(out, 2.0)
    close(nll_loss([-1.0, -2.0, -3.0], np.int64(2)), 3.0)


def test_nll_loss_spatial_input() -> None:
    # (N, C, d) input, (N, d) target: ℓ[n, k] = −lp[n, t[n, k], k], read with take_along_axis.
    rng = np.random.default_rng(0)
    lp = rng.normal(size=(2, 3, 4))
    t = rng.integers(0, 3, size=(2, 4))
    expected = -np.take_along_axis(lp, t[:, None, :], axis=1)[:, 0, :]
    close(nll_loss(lp, t, reduction="none"), expected)
    close(nll_loss(lp, t), expected.mean())
    w = np.array([0.5, 2.0, 1.0])
    close(nll_loss(lp, t, weight=w), (w[t] * expected).sum() / w[t].sum())


def test_nll_loss_takes_integer_tensors_as_targets_and_refuses_floats_as_torch() -> None:
    close(nll_loss(LP, nnbook.tensor([2, 0, 1])), 5.0)
    with pytest.raises(TypeError, match="integer class indices"):
        nll_loss(LP, Tensor([2.0, 0.0, 1.0]))  # torch: "expected scalar type Long"


def test_empty_batch_mean_is_nan_sum_is_zero() -> None:
    # torch: a "mean" over no elements is nan, a "sum" is 0.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(val(cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))))
        assert val(cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int), reduction="sum")) == 0
        assert val(
            cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int), reduction="none")
        ).shape == (0,)
        assert np.isnan(val(mse_loss(np.zeros(0), np.zeros(0))))
        assert val(mse_loss(np.zeros(0), np.zeros(0), reduction="sum")) == 0.0


def test_cross_entropy_hand_values() -> None:
    # Row [0, 0], target 1: softmax ½ → log 2. Row [log 3, 0], target 0: softmax ¾ → log(4/3).
    z, t = [[0.0, 0.0], [LOG3, 0.0]], [1, 0]
    each = [LOG2, math.log(4 / 3)]
    close(cross_entropy(z, t, reduction="none"), each)
    close(cross_entropy(z, t, reduction="sum"), sum(each))
    close(cross_entropy(z, t), sum(each) / 2)


def test_cross_entropy_stable_for_huge_logits() -> None:
    # Logits 1000 and 1000 − log 3 (a softmax of ¾, ¼); e^1000 overflows, log-sum-exp does not.
    close(cross_entropy([[1000.0, 1000.0 - LOG3]], [0]), math.log(4 / 3), rtol=1e-9)


def test_cross_entropy_weighted_mean() -> None:
    # Same rows, w = [3, 1]: w_y = [1, 3] → none [log 2, 3 log(4/3)];
    # mean = (log 2 + 3 log(4/3)) / (1 + 3), which differs from the plain mean over 2 rows.
    z, t, w = [[0.0, 0.0], [LOG3, 0.0]], [1, 0], [3.0, 1.0]
    total = LOG2 + 3 * math.log(4 / 3)
    close(cross_entropy(z, t, weight=w, reduction="none"), [LOG2, 3 * math.log(4 / 3)])
    close(cross_entropy(z, t, weight=w, reduction="sum"), total)
    close(cross_entropy(z, t, weight=w), total / 4)
    assert not np.isclose(val(cross_entropy(z, t, weight=w)), total / 2)


def test_cross_entropy_ignore_index() -> None:
    # The ignored middle row adds nothing and is not counted: (log 2 + log(4/3))/2.
    z = [[0.0, 0.0], [5.0, -5.0], [LOG3, 0.0]]
    close(cross_entropy(z, [1, -100, 0]), (LOG2 + math.log(4 / 3)) / 2)
    x = Tensor(z, requires_grad=True)
    cross_entropy(x, [1, -100, 0]).backward()
    assert x.grad is not None and np.all(x.grad[1] == 0.0)


def _log_softmax(z: np.ndarray, axis: int) -> np.ndarray:
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


@given(
    n=st.integers(1, 4),
    c=st.integers(1, 4),
    data=st.data(),
    reduction=st.sampled_from(REDUCTIONS),
    weighted=st.booleans(),
)
@settings(max_examples=40)
def test_cross_entropy_equals_nll_of_log_softmax(
    n: int, c: int, data: st.DataObject, reduction: str, weighted: bool
) -> None:
    z = data.draw(arrays((n, c), st.floats(-20.0, 20.0)))
    t = np.array(data.draw(st.lists(st.sampled_from([*range(c), -100]), min_size=n, max_size=n)))
    w = data.draw(arrays((c,), st.floats(0.1, 3.0))) if weighted else None
    expected = val(nll_loss(_log_softmax(z, 1), t, weight=w, reduction=reduction))
    close(cross_entropy(z, t, weight=w, reduction=reduction), expected, rtol=1e-12, atol=1e-12)


def test_cross_entropy_gradient_is_softmax_minus_onehot_over_n() -> None:
    # ∂L/∂z = (softmax(z) − onehot(y))/N for the unweighted mean (the book's "p − y").
    rng = np.random.default_rng(1)
    z = rng.normal(size=(4, 5)) * 3
    t = np.array([0, 3, 1, 4])
    x = Tensor(z, requires_grad=True)
    cross_entropy(x, t).backward()
    e = np.exp(z - z.max(axis=1, keepdims=True))
    softmax = e / e.sum(axis=1, keepdims=True)
    onehot = np.eye(5)[t]
    np.testing.assert_allclose(x.grad, (softmax - onehot) / 4, rtol=0, atol=1e-15)


def test_cross_entropy_label_smoothing_hand_value() -> None:
    # z = [0, 0, log 2] → softmax [¼, ¼, ½], lp = [−2 log 2, −2 log 2, −log 2].
    # y = 2, ε = 0.3, C = 3.
    # nll = log 2; smooth = −Σ lp = 5 log 2; loss = 0.7·log 2 + (0.3/3)·5 log 2 = 1.2 log 2.
    z = [[0.0, 0.0, LOG2]]
    close(cross_entropy(z, [2], label_smoothing=0.3), 1.2 * LOG2)
    # The same as the cross-entropy against q = 0.7·onehot + 0.1 = [0.1, 0.1, 0.8].
    close(cross_entropy(z, [[0.1, 0.1, 0.8]]), 1.2 * LOG2)


def test_cross_entropy_label_smoothing_with_weights() -> None:
    # torch: ℓₙ = (1 − ε)·w_{yₙ}·(−lp[n, yₙ]) + (ε/C)·(−Σ_c w_c lp[n, c]); mean divides by Σ w_{yₙ}.
    # Row A: z = [0, 0, log 2], y = 2; row B: z = [0, 0, 0] (lp = −log 3 each), y = 0.
    # w = [1, 2, 3], ε = 0.3, C = 3.
    # nll_A = 3 log 2, smooth_A = 1·2 log 2 + 2·2 log 2 + 3·log 2 = 9 log 2
    #   → ℓ_A = (0.7·3 + 0.1·9) log 2 = 3 log 2.
    # nll_B = 1·log 3, smooth_B = (1 + 2 + 3) log 3 = 6 log 3 → ℓ_B = 0.7 + 0.6 = 1.3 log 3.
    # sum = 3 log 2 + 1.3 log 3; mean = sum / (w_2 + w_0) = sum / 4.
    z, t, w = [[0.0, 0.0, LOG2], [0.0, 0.0, 0.0]], [2, 0], [1.0, 2.0, 3.0]
    la, lb = 3 * LOG2, 1.3 * LOG3
    close(cross_entropy(z, t, weight=w, label_smoothing=0.3, reduction="none"), [la, lb])
    close(cross_entropy(z, t, weight=w, label_smoothing=0.3, reduction="sum"), la + lb)
    close(cross_entropy(z, t, weight=w, label_smoothing=0.3), (la + lb) / 4)


def test_cross_entropy_label_smoothing_ignores_ignored_rows() -> None:
    # An ignored row adds neither its nll nor its smoothing term, and leaves the denominator:
    # rows [A, ignored] give ℓ_A = 1.2 log 2 (as above) over 1 row.
    z = [[0.0, 0.0, LOG2], [9.0, -3.0, 1.0]]
    close(cross_entropy(z, [2, -100], label_smoothing=0.3, reduction="none"), [1.2 * LOG2, 0.0])
    close(cross_entropy(z, [2, -100], label_smoothing=0.3), 1.2 * LOG2)


def test_cross_entropy_full_smoothing_is_uniform_target() -> None:
    # ε = 1: only −(1/C)Σ lp remains; for z = [0, 0, log 2]: (1/3)·5 log 2.
    close(cross_entropy([[0.0, 0.0, LOG2]], [0], label_smoothing=1.0), 5 / 3 * LOG2)


def test_cross_entropy_probability_targets() -> None:
    # z = [0, 0, log 2] (lp = [−2 log 2, −2 log 2, −log 2]), q = [½, 0, ½]:
    # −(½·(−2 log 2) + ½·(−log 2)) = 1.5 log 2. A second row z = [0, 0, 0], q = [0, 1, 0]: log 3.
    z = [[0.0, 0.0, LOG2], [0.0, 0.0, 0.0]]
    q = [[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]]
    close(cross_entropy(z, q, reduction="none"), [1.5 * LOG2, LOG3])
    close(cross_entropy(z, q, reduction="sum"), 1.5 * LOG2 + LOG3)
    close(cross_entropy(z, q), (1.5 * LOG2 + LOG3) / 2)
    # With class weights [1, 2, 3]: row 1 → ½·1·2 log 2 + ½·3·log 2 = 2.5 log 2; row 2 → 2 log 3.
    # "mean" still divides by N = 2, not by a sum of weights (torch's prob-target rule).
    w = [1.0, 2.0, 3.0]
    close(cross_entropy(z, q, weight=w, reduction="none"), [2.5 * LOG2, 2 * LOG3])
    close(cross_entropy(z, q, weight=w), (2.5 * LOG2 + 2 * LOG3) / 2)


def test_cross_entropy_onehot_probabilities_match_indices() -> None:
    # One-hot probability targets and class indices give the same loss, with label smoothing too.
    rng = np.random.default_rng(2)
    z = rng.normal(size=(3, 4))
    t = np.array([1, 0, 3])
    for eps in (0.0, 0.2):
        close(
            cross_entropy(z, np.eye(4)[t], label_smoothing=eps),
            val(cross_entropy(z, t, label_smoothing=eps)),
        )


def test_cross_entropy_probability_target_gradient() -> None:
    # ∂/∂z = (softmax(z) − q)/N for probability targets (Σ_c q = 1).
    rng = np.random.default_rng(3)
    z = rng.normal(size=(2, 3))
    q = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    x = Tensor(z, requires_grad=True)
    cross_entropy(x, q).backward()
    e = np.exp(z - z.max(axis=1, keepdims=True))
    np.testing.assert_allclose(x.grad, (e / e.sum(axis=1, keepdims=True) - q) / 2, atol=1e-15)


def test_cross_entropy_one_dimensional_and_spatial_inputs() -> None:
    # (C,) logits with a scalar target: [0, 0] → log 2.
    close(cross_entropy([0.0, 0.0], 1), LOG2)
    close(cross_entropy([0.0, 0.0], [0.5, 0.5]), LOG2)  # (C,) probabilities
    # (N, C, d): the class axis is 1; compare with the (N·d, C) layout.
    rng = np.random.default_rng(4)
    z = rng.normal(size=(2, 3, 4))
    t = rng.integers(0, 3, size=(2, 4))
    flat_z = np.moveaxis(z, 1, -1).reshape(-1, 3)
    flat = val(cross_entropy(flat_z, t.reshape(-1), reduction="none", label_smoothing=0.1))
    close(cross_entropy(z, t, reduction="none", label_smoothing=0.1), flat.reshape(2, 4))
    q = np.moveaxis(np.eye(3)[t], -1, 1)  # one-hot probabilities, shape (2, 3, 4)
    close(cross_entropy(z, q), val(cross_entropy(flat_z, t.reshape(-1))))


# --------------------------------------------------------------------------
# KL divergence
# --------------------------------------------------------------------------


def test_kl_div_hand_values() -> None:
    # input = log q with q = [[¼, ¾], [½, ½]]; p = [[½, ½], [1, 0]].
    # Row 1: ½ log(½/¼) + ½ log(½/¾) = ½ log 2 + ½ log(2/3) = ½ log(4/3).
    # Row 2: 1·log(1/½) + 0·log 0 (= 0) = log 2.
    log_q = np.log([[0.25, 0.75], [0.5, 0.5]])
    p = [[0.5, 0.5], [1.0, 0.0]]
    none = [[0.5 * LOG2, 0.5 * math.log(2 / 3)], [LOG2, 0.0]]
    total = 0.5 * math.log(4 / 3) + LOG2
    close(kl_div(log_q, p, reduction="none"), none)
    close(kl_div(log_q, p, reduction="sum"), total)
    close(kl_div(log_q, p, reduction="batchmean"), total / 2)  # per example: N = 2
    close(kl_div(log_q, p), total / 4)  # torch's "mean": per element
    # log_target: the same numbers from log p, where p > 0 (the first row).
    close(kl_div(log_q[:1], np.log(p[:1]), reduction="sum", log_target=True), 0.5 * math.log(4 / 3))


def test_kl_div_input_gradient_and_zero_target() -> None:
    # ∂/∂input = −p/N for "batchmean": p = [[½, ½], [1, 0]], N = 2; the 0·log 0 entry is finite.
    log_q = Tensor(np.log([[0.25, 0.75], [0.5, 0.5]]), requires_grad=True)
    kl_div(log_q, [[0.5, 0.5], [1.0, 0.0]], reduction="batchmean").backward()
    close(log_q.grad, [[-0.25, -0.25], [-0.5, 0.0]])


def test_kl_div_batchmean_of_a_scalar_is_the_sum() -> None:
    # torch divides by input.size(0) only when input.dim() != 0: p = 1, log q = log ½ → log 2.
    close(kl_div(np.log(0.5), 1.0, reduction="batchmean"), LOG2)


@given(
    p=arrays((2, 3), st.floats(0.01, 1.0)),
    q=arrays((2, 3), st.floats(0.01, 1.0)),
)
@settings(max_examples=30)
def test_kl_div_is_non_negative_and_zero_on_itself(p: np.ndarray, q: np.ndarray) -> None:
    # Gibbs' inequality: KL(p ‖ q) ≥ 0 for distributions, = 0 iff p = q.
    p, q = p / p.sum(axis=1, keepdims=True), q / q.sum(axis=1, keepdims=True)
    assert val(kl_div(np.log(q), p, reduction="batchmean")) >= -1e-12
    close(kl_div(np.log(p), p, reduction="batchmean"), 0.0, atol=1e-12)


# --------------------------------------------------------------------------
# gradients of every loss: gradcheck in float64 over hypothesis shapes
# --------------------------------------------------------------------------


def residuals(kinks: tuple[float, ...]) -> st.SearchStrategy[float]:
    """Residuals in [−3, 3] at least 1e-3 from every kink (gradcheck's step is 1e-6)."""
    return st.floats(-3.0, 3.0).filter(lambda v: all(abs(v - k) > 1e-3 for k in kinks))


REGRESSION: list[tuple[Callable[..., Any], dict[str, float], tuple[float, ...]]] = [
    (mse_loss, {}, ()),
    (l1_loss, {}, (0.0,)),
    (huber_loss, {"delta": 0.7}, (0.0, 0.7, -0.7)),
    (smooth_l1_loss, {"beta": 1.3}, (0.0, 1.3, -1.3)),
    (smooth_l1_loss, {"beta": 0.0}, (0.0,)),
]


@pytest.mark.parametrize(("fn", "kwargs", "kinks"), REGRESSION)
@given(shape=shapes(min_dims=1, max_dims=2, max_side=3), data=st.data())
@settings(max_examples=20)
def test_regression_gradcheck(
    fn: Callable[..., Any],
    kwargs: dict[str, float],
    kinks: tuple[float, ...],
    shape: tuple[int, ...],
    data: st.DataObject,
) -> None:
    x = data.draw(arrays(shape))
    d = data.draw(arrays(shape, residuals(kinks)))
    reduction = data.draw(st.sampled_from(REDUCTIONS))
    assert gradcheck(lambda a, b: fn(a, b, reduction=reduction, **kwargs), [x, x - d])


@given(shape=shapes(min_dims=1, max_dims=2, max_side=3), data=st.data())
@settings(max_examples=25)
def test_bce_gradcheck(shape: tuple[int, ...], data: st.DataObject) -> None:
    p = data.draw(arrays(shape, st.floats(0.05, 0.95)))
    y = data.draw(arrays(shape, st.floats(0.01, 0.99)))  # gradcheck steps y by ±1e-6
    w = data.draw(st.none() | arrays(shape[-1:], st.floats(0.2, 3.0)))
    reduction = data.draw(st.sampled_from(REDUCTIONS))
    assert gradcheck(lambda a, b: binary_cross_entropy(a, b, w, reduction), [p, y])


@given(shape=shapes(min_dims=1, max_dims=2, max_side=3), data=st.data())
@settings(max_examples=25)
def test_bce_with_logits_gradcheck(shape: tuple[int, ...], data: st.DataObject) -> None:
    x = data.draw(arrays(shape, st.floats(-6.0, 6.0)))
    y = data.draw(arrays(shape, st.floats(0.0, 1.0)))
    w = data.draw(st.none() | arrays(shape, st.floats(0.2, 3.0)))
    pw = data.draw(st.none() | arrays(shape[-1:], st.floats(0.2, 3.0)))
    reduction = data.draw(st.sampled_from(REDUCTIONS))

    def fn(a: Tensor, b: Tensor) -> Any:
        return binary_cross_entropy_with_logits(a, b, w, reduction, pos_weight=pw)

    assert gradcheck(fn, [x, y])


@given(shape=shapes(min_dims=1, max_dims=2, max_side=3), data=st.data())
@settings(max_examples=25)
def test_hinge_embedding_gradcheck(shape: tuple[int, ...], data: st.DataObject) -> None:
    margin = data.draw(st.sampled_from([0.5, 1.0, 2.0]))
    x = data.draw(arrays(shape, residuals((margin,))))
    y = data.draw(arrays(shape, st.sampled_from([1.0, -1.0])))
    reduction = data.draw(st.sampled_from(REDUCTIONS))
    # Only the input: the target selects a branch and has no gradient, as in torch.
    assert gradcheck(lambda a: hinge_embedding_loss(a, y, margin, reduction), [x])


@given(shape=shapes(min_dims=1, max_dims=2, max_side=3), data=st.data())
@settings(max_examples=25)
def test_kl_div_gradcheck(shape: tuple[int, ...], data: st.DataObject) -> None:
    log_target = data.draw(st.booleans())
    x = data.draw(arrays(shape))
    t = data.draw(arrays(shape, st.floats(-3.0, 1.0) if log_target else st.floats(0.05, 1.0)))
    reduction = data.draw(st.sampled_from((*REDUCTIONS, "batchmean")))
    assert gradcheck(lambda a, b: kl_div(a, b, reduction, log_target), [x, t])


@given(n=st.integers(1, 3), c=st.integers(2, 4), data=st.data())
@settings(max_examples=30)
def test_nll_and_cross_entropy_gradcheck(n: int, c: int, data: st.DataObject) -> None:
    z = data.draw(arrays((n, c)))
    t = np.array(data.draw(st.lists(st.sampled_from([*range(c), -100]), min_size=n, max_size=n)))
    assume(np.any(t != -100))  # an all-ignored "mean" is nan by design
    w = data.draw(st.none() | arrays((c,), st.floats(0.2, 3.0)))
    eps = data.draw(st.sampled_from([0.0, 0.25, 1.0]))
    reduction = data.draw(st.sampled_from(REDUCTIONS))
    assert gradcheck(lambda a: nll_loss(a, t, w, reduction=reduction), [z])
    assert gradcheck(
        lambda a: cross_entropy(a, t, w, reduction=reduction, label_smoothing=eps), [z]
    )


@given(n=st.integers(1, 3), c=st.integers(1, 4), data=st.data())
@settings(max_examples=25)
def test_cross_entropy_probability_gradcheck(n: int, c: int, data: st.DataObject) -> None:
    z = data.draw(arrays((n, c)))
    q = data.draw(arrays((n, c), st.floats(0.0, 1.0)))
    w = data.draw(st.none() | arrays((c,), st.floats(0.2, 3.0)))
    eps = data.draw(st.sampled_from([0.0, 0.25]))
    reduction = data.draw(st.sampled_from(REDUCTIONS))
    assert gradcheck(
        lambda a, b: cross_entropy(a, b, w, reduction=reduction, label_smoothing=eps), [z, q]
    )


# --------------------------------------------------------------------------
# return types and dtypes
# --------------------------------------------------------------------------

X32 = np.array([[0.2, 0.5, 0.7], [0.1, 0.9, 0.4]], dtype=np.float32)
ZEROS64 = np.zeros((2, 3))  # float64 on purpose: the input's dtype wins

CALLS: list[tuple[str, Callable[[Any, str], Any]]] = [
    ("mse_loss", lambda x, r: mse_loss(x, ZEROS64, r)),
    ("l1_loss", lambda x, r: l1_loss(x, ZEROS64, r)),
    ("huber_loss", lambda x, r: huber_loss(x, ZEROS64, r, delta=0.3)),
    ("smooth_l1_loss", lambda x, r: smooth_l1_loss(x, ZEROS64, r, beta=0.3)),
    ("binary_cross_entropy", lambda x, r: binary_cross_entropy(x, ZEROS64 + 1, [1.0, 2, 3], r)),
    (
        "binary_cross_entropy_with_logits",
        lambda x, r: binary_cross_entropy_with_logits(x, ZEROS64, [2.0], r, pos_weight=[1.0, 2, 3]),
    ),
    ("hinge_embedding_loss", lambda x, r: hinge_embedding_loss(x, -np.ones((2, 3)), 1.0, r)),
    ("nll_loss", lambda x, r: nll_loss(x, [0, 2], [1.0, 2, 3], reduction=r)),
    ("cross_entropy", lambda x, r: cross_entropy(x, [0, 2], [1.0, 2, 3], reduction=r)),
    (
        "cross_entropy_smoothed",
        lambda x, r: cross_entropy(x, [0, -100], [1.0, 2, 3], reduction=r, label_smoothing=0.1),
    ),
    ("cross_entropy_probabilities", lambda x, r: cross_entropy(x, ZEROS64 + 1 / 3, reduction=r)),
    ("kl_div", lambda x, r: kl_div(x, ZEROS64 + 0.5, r)),
    ("kl_div_log_target", lambda x, r: kl_div(x, ZEROS64, r, log_target=True)),
]


@pytest.mark.parametrize(("name", "call"), CALLS)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_float32_in_float32_out(name: str, call: Callable[[Any, str], Any], reduction: str) -> None:
    out = call(X32, reduction)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32, name
    x = Tensor(X32, requires_grad=True)
    loss = call(x, reduction)
    assert isinstance(loss, Tensor) and loss.dtype == np.float32
    loss.sum().backward()
    assert x.grad is not None and x.grad.dtype == np.float32
    # The float32 value agrees with the float64 one to float32 precision.
    close(out, val(call(X32.astype(np.float64), reduction)), rtol=1e-5, atol=1e-6)


def test_return_rule() -> None:
    # Arrays in → ndarray out (0-d after a reduction); any Tensor argument → Tensor out.
    out = mse_loss([1.0, 2.0], [0.0, 0.0])
    assert type(out) is np.ndarray and out.shape == ()
    assert isinstance(mse_loss(Tensor([1.0]), [0.0]), Tensor)
    assert isinstance(mse_loss([1.0], Tensor([0.0])), Tensor)
    t = binary_cross_entropy([0.5], [1.0], weight=Tensor([2.0]))
    assert isinstance(t, Tensor) and not t.requires_grad
    z = Tensor([[0.0, 1.0]], requires_grad=True)
    loss = cross_entropy(z, [1])
    assert isinstance(loss, Tensor) and loss.requires_grad


def test_weights_receive_no_gradient() -> None:
    # weight and pos_weight are constants, as in torch.
    w = Tensor([2.0, 1.0], requires_grad=True)
    pw = Tensor([3.0, 3.0], requires_grad=True)
    x = Tensor([0.5, -0.5], requires_grad=True)
    binary_cross_entropy_with_logits(x, [1.0, 0.0], weight=w, pos_weight=pw).backward()
    assert x.grad is not None and w.grad is None and pw.grad is None


# --------------------------------------------------------------------------
# bad input: every error names the function and the argument
# --------------------------------------------------------------------------

P2 = [0.5, 0.5]
Z23 = np.zeros((2, 3))

BAD: list[tuple[Callable[[], Any], type[Exception], str]] = [
    # shapes
    (
        lambda: mse_loss([1.0, 2.0], [1.0, 2.0, 3.0]),
        ValueError,
        r"^mse_loss: .*'input' and 'target'.*\(2,\) and \(3,\)",
    ),
    (
        lambda: l1_loss(np.zeros((2, 1)), np.zeros(2)),
        ValueError,
        r"^l1_loss: .*'target'.*\(2, 1\) and \(2,\)",
    ),
    (lambda: kl_div(np.zeros(2), np.zeros(3)), ValueError, r"^kl_div: .*'target'"),
    (
        lambda: binary_cross_entropy_with_logits([0.0], P2),
        ValueError,
        r"^binary_cross_entropy_with_logits: .*'target'",
    ),
    (
        lambda: nll_loss(Z23, [0, 1, 2]),
        ValueError,
        r"^nll_loss: argument 'target' must have shape \(2,\).*\(2, 3\).*\(3,\)",
    ),
    (
        lambda: cross_entropy(Z23, [[0], [1]]),
        ValueError,
        r"^cross_entropy: argument 'target' must have shape \(2,\)",
    ),
    (
        lambda: cross_entropy(3.0, 0),
        ValueError,
        r"^cross_entropy: argument 'input' must have shape",
    ),
    (
        lambda: nll_loss(np.zeros((2, 0)), [0, 0]),
        ValueError,
        r"^nll_loss: argument 'input' needs at least one class",
    ),
    # reduction
    (
        lambda: mse_loss(P2, P2, reduction="avg"),
        ValueError,
        r"^mse_loss: argument 'reduction' must be one of 'none', 'mean', 'sum', got 'avg'",
    ),
    (
        lambda: cross_entropy(Z23, [0, 1], reduction="batchmean"),
        ValueError,
        r"^cross_entropy: argument 'reduction'",
    ),
    (
        lambda: binary_cross_entropy(P2, P2, reduction=None),
        ValueError,
        r"^binary_cross_entropy: argument 'reduction'",
    ),
    (
        lambda: kl_div(P2, P2, reduction="average"),
        ValueError,
        r"^kl_div: argument 'reduction' must be one of 'none', 'batchmean', 'mean', 'sum'",
    ),
    (
        lambda: hinge_embedding_loss(P2, [1, 1], reduction="max"),
        ValueError,
        r"^hinge_embedding_loss: argument 'reduction'",
    ),
    # class indices
    (
        lambda: nll_loss(Z23, [0, 3]),
        ValueError,
        r"^nll_loss: argument 'target' holds class index 3, outside \[0, 3\) for C = 3",
    ),
    (
        lambda: cross_entropy(Z23, [-1, 0]),
        ValueError,
        r"^cross_entropy: argument 'target' holds class index -1.*C = 3",
    ),
    (
        lambda: nll_loss(Z23, [-100, 0], ignore_index=0),
        ValueError,
        r"^nll_loss: argument 'target' holds class index -100",
    ),
    (
        lambda: nll_loss(Z23, [0.0, 1.0]),
        TypeError,
        r"^nll_loss: argument 'target' must hold integer class indices .* got dtype float64",
    ),
    (
        lambda: cross_entropy(Z23, np.array([True, False])),
        TypeError,
        r"^cross_entropy: argument 'target' must hold integer class indices",
    ),
    (
        lambda: nll_loss(Z23, Tensor([0.5, 1.0])),
        TypeError,
        r"^nll_loss: argument 'target' must hold integer class indices",
    ),
    (
        lambda: nll_loss(Z23, [0, 1], ignore_index=1.5),
        TypeError,
        r"^nll_loss: argument 'ignore_index' must be an int",
    ),
    (
        lambda: cross_entropy(Z23, Z23.astype(int)),
        TypeError,
        r"^cross_entropy: argument 'target' shaped like 'input'.*floating point",
    ),
    (
        lambda: cross_entropy(Z23, Z23, ignore_index=0),
        ValueError,
        r"^cross_entropy: argument 'ignore_index' is not supported",
    ),
    # class weights
    (
        lambda: nll_loss(Z23, [0, 1], weight=[1.0, 2.0]),
        ValueError,
        r"^nll_loss: argument 'weight' must have shape \(C,\) = \(3,\), got \(2,\)",
    ),
    (
        lambda: cross_entropy(Z23, [0, 1], weight=np.ones((3, 1))),
        ValueError,
        r"^cross_entropy: argument 'weight' must have shape \(C,\) = \(3,\), got \(3, 1\)",
    ),
    (
        lambda: binary_cross_entropy(P2, P2, weight=[1.0, 2.0, 3.0]),
        ValueError,
        r"^binary_cross_entropy: argument 'weight' of shape \(3,\) must broadcast",
    ),
    (
        lambda: binary_cross_entropy([0.5], [1.0], weight=[1.0, 2.0]),
        ValueError,
        r"^binary_cross_entropy: argument 'weight' of shape \(2,\)",
    ),
    (
        lambda: binary_cross_entropy_with_logits(Z23, Z23, pos_weight=[1.0, 2.0]),
        ValueError,
        r"^binary_cross_entropy_with_logits: argument 'pos_weight' of shape \(2,\)",
    ),
    (
        lambda: binary_cross_entropy_with_logits(Z23, Z23, weight=np.ones(4)),
        ValueError,
        r"^binary_cross_entropy_with_logits: argument 'weight'",
    ),
    # probabilities for BCE
    (
        lambda: binary_cross_entropy([1.5, 0.5], P2),
        ValueError,
        r"^binary_cross_entropy: all elements of argument 'input' should be between 0 and 1, "
        r"got 1\.5",
    ),
    (
        lambda: binary_cross_entropy([np.nan, 0.5], P2),
        ValueError,
        r"^binary_cross_entropy: all elements of argument 'input'",
    ),
    (
        lambda: binary_cross_entropy(P2, [-0.1, 1.0]),
        ValueError,
        r"^binary_cross_entropy: all elements of argument 'target' should be between 0 and 1",
    ),
    # numeric parameters
    (
        lambda: huber_loss(P2, P2, delta=-1.0),
        ValueError,
        r"^huber_loss: argument 'delta' must be > 0, got -1.0",
    ),
    (lambda: huber_loss(P2, P2, delta=0), ValueError, r"^huber_loss: argument 'delta' must be > 0"),
    (
        lambda: huber_loss(P2, P2, delta=float("inf")),
        ValueError,
        r"^huber_loss: argument 'delta' must be finite",
    ),
    (
        lambda: huber_loss(P2, P2, delta="1"),
        TypeError,
        r"^huber_loss: argument 'delta' must be a real number",
    ),
    (
        lambda: smooth_l1_loss(P2, P2, beta=-0.5),
        ValueError,
        r"^smooth_l1_loss: argument 'beta' must be >= 0, got -0.5",
    ),
    (
        lambda: smooth_l1_loss(P2, P2, beta=True),
        TypeError,
        r"^smooth_l1_loss: argument 'beta' must be a real number",
    ),
    (
        lambda: cross_entropy(Z23, [0, 1], label_smoothing=1.5),
        ValueError,
        r"^cross_entropy: argument 'label_smoothing' must be in \[0, 1\], got 1.5",
    ),
    (
        lambda: cross_entropy(Z23, [0, 1], label_smoothing=-0.1),
        ValueError,
        r"^cross_entropy: argument 'label_smoothing' must be in \[0, 1\]",
    ),
    (
        lambda: cross_entropy(Z23, [0, 1], label_smoothing="0.1"),
        TypeError,
        r"^cross_entropy: argument 'label_smoothing' must be a real number",
    ),
    (
        lambda: hinge_embedding_loss(P2, [1, -1], margin="1"),
        TypeError,
        r"^hinge_embedding_loss: argument 'margin' must be a real number",
    ),
    (
        lambda: hinge_embedding_loss(P2, [1, -1], margin=None),
        TypeError,
        r"^hinge_embedding_loss: argument 'margin'",
    ),
    (
        lambda: hinge_embedding_loss(P2, [1, -1], margin=float("nan")),
        ValueError,
        r"^hinge_embedding_loss: argument 'margin' must be finite",
    ),
    (
        lambda: kl_div(P2, P2, log_target=1),
        TypeError,
        r"^kl_div: argument 'log_target' must be a bool",
    ),
    # non-numeric arrays
    (lambda: mse_loss(["a", "b"], P2), TypeError, r"^mse_loss: argument 'input'"),
    (
        lambda: binary_cross_entropy(P2, ["a", "b"]),
        TypeError,
        r"^binary_cross_entropy: argument 'target'",
    ),
    (
        lambda: nll_loss(Z23, [0, 1], weight=["a", "b", "c"]),
        TypeError,
        r"^nll_loss: argument 'weight'",
    ),
]


@pytest.mark.parametrize(("call", "error", "pattern"), BAD)
def test_bad_input_raises_with_function_and_argument(
    call: Callable[[], Any], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        call()


@given(
    n=st.integers(1, 6),
    c=st.integers(2, 5),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_fused_cross_entropy_equals_the_general_path(n, c, seed, dtype):
    # Default arguments take the fused node; unit class weights force the general
    # path through log_softmax and nll_loss, which must give the same value and gradient.
    rng = np.random.default_rng(seed)
    logits = (rng.normal(size=(n, c)) * 5).astype(dtype)
    target = rng.integers(0, c, size=n)
    fused_in, general_in = Tensor(logits, requires_grad=True), Tensor(logits, requires_grad=True)
    fused = cross_entropy(fused_in, target)
    general = cross_entropy(general_in, target, weight=np.ones(c))
    assert fused.op == "cross_entropy" and general.op != "cross_entropy"
    assert fused.dtype == dtype
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(fused.data, general.data, rtol=tol, atol=tol)
    fused.backward()
    general.backward()
    np.testing.assert_allclose(fused_in.grad, general_in.grad, rtol=tol, atol=tol)
