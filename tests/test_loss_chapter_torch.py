"""The loss chapter's statements about PyTorch, checked against PyTorch 2.13 itself.

The chapter (docs/loss.md) cannot import torch: a reader's downloaded notebook needs only
the engine. Its hidden cells check these statements with NumPy by PyTorch's published
rules; this file checks that PyTorch really follows them, one test per statement.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

torch.set_num_threads(1)
TF = torch.nn.functional
f64 = torch.float64


def test_hinge_embedding_loss_with_target_minus_one_is_the_binary_hinge() -> None:
    z = torch.linspace(-4, 4, 801, dtype=f64)
    loss = TF.hinge_embedding_loss(z, -torch.ones_like(z), margin=1.0, reduction="none")
    torch.testing.assert_close(loss, torch.clamp(1 - z, min=0))


def test_soft_margin_loss_is_the_cross_entropy_in_margin_form() -> None:
    gen = torch.Generator().manual_seed(0)
    z = 3 * torch.randn(50, generator=gen, dtype=f64)
    t = torch.randint(0, 2, (50,), generator=gen).to(f64) * 2 - 1  # labels ±1
    expected = torch.log1p(torch.exp(-t * z))
    torch.testing.assert_close(TF.soft_margin_loss(z, t, reduction="none"), expected)
    torch.testing.assert_close(TF.soft_margin_loss(z, t), expected.mean())
    torch.testing.assert_close(
        expected, TF.binary_cross_entropy_with_logits(z, (t + 1) / 2, reduction="none")
    )


def test_multi_margin_loss_is_the_multiclass_hinge_divided_by_k() -> None:
    gen = torch.Generator().manual_seed(1)
    o = 2 * torch.randn(20, 5, generator=gen, dtype=f64)
    y = torch.randint(0, 5, (20,), generator=gen)
    by_hand = torch.tensor(
        [
            sum(max(0.0, 1 - o[n, y[n]].item() + o[n, k].item()) for k in range(5) if k != y[n]) / 5
            for n in range(20)
        ],
        dtype=f64,
    )
    torch.testing.assert_close(TF.multi_margin_loss(o, y, reduction="none"), by_hand)
    # Two classes, logits (0, z), true class 1: half the binary hinge max(0, 1 − z).
    z = torch.linspace(-4, 4, 801, dtype=f64)
    two = torch.stack([torch.zeros_like(z), z], dim=1)
    loss = TF.multi_margin_loss(two, torch.ones(801, dtype=torch.long), reduction="none")
    torch.testing.assert_close(loss, torch.clamp(1 - z, min=0) / 2)


def test_softmax_needs_a_dimension() -> None:
    with pytest.raises(TypeError):
        torch.zeros(3).softmax()  # type: ignore[call-overload]
    torch.zeros(3).softmax(dim=0)


@pytest.mark.parametrize(("dtype", "bits"), [(torch.float32, 24), (torch.float64, 53)])
def test_sigmoid_reaches_exactly_one_at_bits_ln2(dtype: torch.dtype, bits: int) -> None:
    edge = bits * math.log(2)  # 16.64 in float32, 36.74 in float64
    below, above = torch.sigmoid(torch.tensor([edge * 0.999, edge * 1.001], dtype=dtype))
    assert below < 1 and above == 1


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_sigmoid_is_zero_below_minus_log_of_the_largest_float(dtype: torch.dtype) -> None:
    edge = math.log(torch.finfo(dtype).max)  # 88.72 in float32, 709.78 in float64
    below, above = torch.sigmoid(torch.tensor([-edge * 1.001, -edge * 0.999], dtype=dtype))
    assert below == 0 and above > 0


def test_binary_cross_entropy_on_a_float32_sigmoid() -> None:
    # y = 0: at z = 15 the loss is visibly off 15; from 16.7 on, the clamp's 100, gradient 0.
    z = torch.tensor([15.0, 16.7, 20.0], requires_grad=True)
    loss = TF.binary_cross_entropy(torch.sigmoid(z), torch.zeros(3), reduction="none")
    loss.sum().backward()
    assert abs(loss[0].item() - 15) > 0.1 and loss[1].item() == loss[2].item() == 100
    assert z.grad is not None and z.grad[0] > 0.99 and z.grad[1] == z.grad[2] == 0
    # The chapter's NumPy emulation of these numbers (docs/loss.md, PyTorch's rules by hand).
    z_np = np.array([15.0, 16.7, 20.0], dtype=np.float32)
    p_np = 1 / (1 + np.exp(-z_np))
    with np.errstate(divide="ignore"):
        emulated = -np.maximum(np.log(1 - p_np), -100)
    np.testing.assert_allclose(loss.detach().numpy(), emulated, rtol=1e-6)
    # The stable form on the logit: max(z, 0) − yz + log1p(e^−|z|), gradient σ(z) − y.
    z2 = z.detach().clone().requires_grad_(True)
    stable = TF.binary_cross_entropy_with_logits(z2, torch.zeros(3), reduction="none")
    stable.sum().backward()
    torch.testing.assert_close(stable, z2.detach() + torch.log1p(torch.exp(-z2.detach())))
    torch.testing.assert_close(z2.grad, torch.sigmoid(z2.detach()))


def test_binary_cross_entropy_backward_divides_by_a_clamped_variance() -> None:
    # float64, y = 1: at z = −30 the gradient through p is (p − 1)/1e-12 · σ′(z), not −1.
    z = torch.tensor([-30.0, -800.0], dtype=f64, requires_grad=True)
    loss = TF.binary_cross_entropy(torch.sigmoid(z), torch.ones(2, dtype=f64), reduction="none")
    loss.sum().backward()
    p = 1 / (1 + math.exp(30.0))
    assert z.grad is not None
    assert math.isclose(z.grad[0].item(), (p - 1) / 1e-12 * p * (1 - p), rel_tol=1e-6)
    assert loss[1].item() == 100 and z.grad[1].item() == 0
    assert math.isclose(loss[0].item(), 30.0, rel_tol=1e-12)


def test_nll_loss_on_probabilities_is_negative_and_not_below_minus_one() -> None:
    gen = torch.Generator().manual_seed(2)
    probs = torch.softmax(torch.randn(6, 3, generator=gen, dtype=f64), dim=1)
    value = TF.nll_loss(probs, torch.tensor([0, 1, 2, 2, 1, 0])).item()
    assert -1 <= value < 0


def test_cross_entropy_weight_mean_divides_by_the_total_weight() -> None:
    gen = torch.Generator().manual_seed(3)
    o, y, w = (
        torch.randn(6, 3, generator=gen, dtype=f64),
        torch.tensor([0, 1, 2, 2, 1, 0]),
        torch.tensor([1.0, 2.0, 3.0], dtype=f64),
    )
    picked = -torch.log_softmax(o, dim=1)[torch.arange(6), y]
    torch.testing.assert_close(TF.cross_entropy(o, y, weight=w), (w[y] * picked).sum() / w[y].sum())


def test_kl_div_mean_is_batchmean_divided_by_k() -> None:
    gen = torch.Generator().manual_seed(4)
    log_q = torch.log_softmax(torch.randn(6, 3, generator=gen, dtype=f64), dim=1)
    p = torch.softmax(torch.randn(6, 3, generator=gen, dtype=f64), dim=1)
    per_example = (p * (p.log() - log_q)).sum(dim=1)
    torch.testing.assert_close(TF.kl_div(log_q, p, reduction="batchmean"), per_example.mean())
    with pytest.warns(UserWarning, match="batchmean"):  # PyTorch warns about "mean"
        mean = TF.kl_div(log_q, p, reduction="mean")
    torch.testing.assert_close(mean, per_example.mean() / 3)


def test_gaussian_nll_loss_default_and_its_floor() -> None:
    mu, y = torch.tensor([0.0, 1.0], dtype=f64), torch.tensor([0.5, 1.0], dtype=f64)
    v = torch.tensor([0.25, 1e-9], dtype=f64)
    loss = TF.gaussian_nll_loss(mu, y, v, reduction="none")
    # full=False: ½(log v + r²/v), with v clamped from below at eps = 1e-6.
    assert math.isclose(loss[0].item(), 0.5 * (math.log(0.25) + 0.25 / 0.25), rel_tol=1e-12)
    assert math.isclose(loss[1].item(), 0.5 * math.log(1e-6), rel_tol=1e-12)


def test_label_smoothing_mixes_the_one_hot_target_with_the_uniform() -> None:
    o = torch.tensor([[2.0, -1.0, 0.5, 0.0]], dtype=f64)
    eps, k = 0.1, 4
    q = torch.full((1, k), eps / k, dtype=f64)
    q[0, 0] += 1 - eps
    expected = -(q * torch.log_softmax(o, dim=1)).sum()
    torch.testing.assert_close(
        TF.cross_entropy(o, torch.tensor([0]), label_smoothing=eps), expected
    )


@pytest.mark.parametrize(
    ("dtype", "first_zero"), [(torch.float32, -14.56), (torch.float64, -33.28)]
)
def test_bce_with_logits_loses_the_tiny_loss_of_a_confident_negative(
    dtype: torch.dtype, first_zero: float
) -> None:
    # PyTorch computes (1 − y)z − log σ(z): for y = 0 and z ≪ 0, z and −log σ(z) cancel.
    z = torch.arange(-6000, 1, dtype=f64).div(100).to(dtype)  # −60.00 … 0.00
    y = torch.zeros_like(z)
    loss = TF.binary_cross_entropy_with_logits(z, y, reduction="none")
    assert torch.equal(loss, (1 - y) * z - TF.logsigmoid(z))  # the rearrangement, bit for bit
    exact = torch.log1p(torch.exp(z.double()))
    assert math.isclose(z[loss == 0].max().item(), first_zero, abs_tol=1e-4)
    assert torch.all(loss[z < first_zero] == 0)
    # the mirrored case, y = 1 at −z, is accurate to rounding everywhere
    mirrored = TF.binary_cross_entropy_with_logits(-z, torch.ones_like(z), reduction="none")
    torch.testing.assert_close(
        mirrored.double(), exact, rtol=1e-6 if dtype == f64 else 1e-5, atol=0
    )
    # the gradient σ(z) − y is right even where the loss is 0
    z_g = z.clone().requires_grad_(True)
    TF.binary_cross_entropy_with_logits(z_g, y, reduction="sum").backward()
    assert z_g.grad is not None
    torch.testing.assert_close(z_g.grad, torch.sigmoid(z))
    # the engine computes the same rearrangement and returns the same numbers
    from nnbook.nn import functional as NF

    engine = NF.binary_cross_entropy_with_logits(z.numpy(), y.numpy(), reduction="none")
    # (to one rounding of a z-sized term: 2.4e-7 in float32; the same zeros)
    atol = 2.5e-7 if dtype == torch.float32 else 1e-15
    np.testing.assert_allclose(engine, loss.numpy(), rtol=0, atol=atol)
    assert np.array_equal(engine == 0, (loss == 0).numpy())


def test_bce_with_logits_at_the_reviewed_points() -> None:
    def bcel(v: float, dtype: torch.dtype) -> float:
        t = torch.tensor([v], dtype=dtype)
        return TF.binary_cross_entropy_with_logits(t, torch.zeros_like(t)).item()

    assert math.isclose(bcel(-10.0, torch.float32), 4.578e-05, rel_tol=1e-3)  # exact 4.540e-05
    assert abs(bcel(-10.0, torch.float32) / math.log1p(math.exp(-10.0)) - 1) > 0.008
    assert bcel(-15.0, torch.float32) == 0 and bcel(-40.0, f64) == 0  # exact 4.25e-18
    assert bcel(-20.0, f64) != math.log1p(math.exp(-20.0))
    assert math.isclose(bcel(-20.0, f64), math.log1p(math.exp(-20.0)), rel_tol=1e-6)


def test_cross_entropy_on_probabilities_in_float32() -> None:
    # The chapter's example in PyTorch's default float32: p rounds to 1, the loss on logits
    # to 0, the loss on probabilities (a softmax applied twice) is 1.46 as in float64.
    logits = torch.cat([torch.tensor([20.0]), torch.zeros(9)])
    p = torch.softmax(logits, dim=0)
    assert p[0].item() == 1.0 and TF.cross_entropy(logits, torch.tensor(0)).item() == 0.0
    wrong = TF.cross_entropy(p, torch.tensor(0)).item()
    assert math.isclose(wrong, 1.4612, abs_tol=5e-5)
    p64 = torch.softmax(logits.double(), dim=0)
    assert math.isclose(TF.cross_entropy(p64, torch.tensor(0)).item(), wrong, rel_tol=1e-6)
    assert 0 < TF.cross_entropy(logits.double(), torch.tensor(0)).item() < 2e-8


def test_cross_entropy_probability_targets_and_ignore_index() -> None:
    gen = torch.Generator().manual_seed(5)
    o = torch.randn(6, 3, generator=gen, dtype=f64)
    q = torch.softmax(torch.randn(6, 3, generator=gen, dtype=f64), dim=1)
    log_p = torch.log_softmax(o, dim=1)
    torch.testing.assert_close(TF.cross_entropy(o, q), -(q * log_p).sum(dim=1).mean())
    y = torch.tensor([0, -100, 2, -100, 1, 0])
    assert TF.cross_entropy(o, torch.zeros(6, dtype=torch.long)).item() > 0
    kept = y != -100
    torch.testing.assert_close(TF.cross_entropy(o, y), -log_p[kept, y[kept]].mean())  # ÷ 4, not 6
    none = TF.cross_entropy(o, y, reduction="none")
    assert torch.all(none[~kept] == 0)


def test_cs231n_example_hinge_and_softmax() -> None:
    """CS231n's scores (−2.85, 0.86, 0.28), class 2: hinge 1.58 (a third of it in PyTorch's
    multi_margin_loss, which divides by K = 3) and softmax cross-entropy 1.04 (the notes'
    figure prints 0.452, the same probability's −log₁₀)."""
    scores = torch.tensor([[-2.85, 0.86, 0.28]], dtype=f64)
    right = torch.tensor([2])
    assert round(3 * TF.multi_margin_loss(scores, right).item(), 2) == 1.58
    assert round(TF.cross_entropy(scores, right).item(), 2) == 1.04  # natural log
    p_right = TF.softmax(scores, dim=1)[0, 2].item()
    assert round(-math.log10(p_right), 3) == 0.452  # the figure of the notes: log base 10


def test_cross_entropy_wants_long_indices_and_classes_in_dim_1() -> None:
    gen = torch.Generator().manual_seed(3)
    seq = torch.randn(2, 4, 3, generator=gen, dtype=f64)  # (N, L, C) of a sequence model
    y = torch.randint(0, 3, (2, 4), generator=gen)
    with pytest.raises(RuntimeError):
        TF.cross_entropy(seq, y)  # classes taken from dim 1 (L = 4): the target's shape is wrong
    torch.testing.assert_close(
        TF.cross_entropy(seq.permute(0, 2, 1), y), TF.cross_entropy(seq.reshape(8, 3), y.ravel())
    )
    with pytest.raises(RuntimeError):
        TF.cross_entropy(seq.reshape(8, 3), y.ravel().to(f64))  # float indices
