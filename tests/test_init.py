"""Tests for nnbook.nn.init.

Reference values come from the published formulas, worked out by hand in the
comments. Statistical checks use seeded generators and a tolerance of five
standard errors of the statistic, so a correct implementation fails with
probability below 1e-6 per check, while a wrong scale (even by a few percent,
with the sample sizes used) fails for certain.

Standard errors used below, for n i.i.d. draws with variance v:
- sample mean: sqrt(v / n);
- sample variance: sqrt((m4 - v^2) / n), m4 the fourth central moment;
  for N(0, v), m4 = 3 v^2, so SE = v sqrt(2 / n);
  for U(-a, a), v = a^2/3 and m4 = a^4/5, so SE = a^2 sqrt(4 / (45 n)).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.nn import init

SQRT2 = math.sqrt(2.0)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def assert_uniform_scale(w: np.ndarray, bound: float) -> None:
    """w looks like U(-bound, bound): inside the bound, reaching it, variance bound^2/3."""
    x = w.astype(np.float64).ravel()
    n = x.size
    assert np.abs(x).max() <= bound
    # P(every |x| < bound (1 - 30/n)) = (1 - 30/n)^n ~ e^-30
    assert np.abs(x).max() >= bound * (1 - 30 / n)
    var = bound**2 / 3
    assert abs(x.var() - var) <= 5 * bound**2 * math.sqrt(4 / (45 * n))
    assert abs(x.mean()) <= 5 * math.sqrt(var / n)


def assert_normal_scale(w: np.ndarray, mean: float, std: float) -> None:
    """w has the mean and variance of N(mean, std^2) within 5 standard errors."""
    x = w.astype(np.float64).ravel()
    n = x.size
    assert abs(x.mean() - mean) <= 5 * std / math.sqrt(n)
    assert abs(x.var() - std**2) <= 5 * std**2 * math.sqrt(2 / n)


def phi(x: float) -> float:
    return 0.0 if math.isinf(x) else math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def normal_mass(lo: float, hi: float) -> float:
    """Phi(hi) - Phi(lo), through erfc in the tails so it keeps its precision."""
    if lo >= 0:
        return 0.5 * (math.erfc(lo / SQRT2) - math.erfc(hi / SQRT2))
    if hi <= 0:
        return normal_mass(-hi, -lo)
    return 0.5 * (math.erf(hi / SQRT2) - math.erf(lo / SQRT2))


def truncated_moments(lo: float, hi: float) -> tuple[float, float]:
    """Mean and variance of N(0, 1) conditioned on [lo, hi] (the standard formulas):

    Z = Phi(hi) - Phi(lo)
    mean = (phi(lo) - phi(hi)) / Z
    var  = 1 + (lo phi(lo) - hi phi(hi)) / Z - mean^2      (x phi(x) = 0 at +-inf)
    """
    z = normal_mass(lo, hi)
    lo_phi = 0.0 if math.isinf(lo) else lo * phi(lo)
    hi_phi = 0.0 if math.isinf(hi) else hi * phi(hi)
    mean = (phi(lo) - phi(hi)) / z
    return mean, 1 + (lo_phi - hi_phi) / z - mean**2


def assert_moments_5se(x: np.ndarray, mean: float, var: float) -> None:
    n = x.size
    c = x - x.mean()
    m4 = float((c**4).mean())
    assert abs(x.mean() - mean) <= 5 * math.sqrt(var / n)
    assert abs(x.var() - var) <= 5 * math.sqrt(max(m4 - var**2, 0.0) / n)


# Every random initializer, called with its defaults on a 4-D shape.
RANDOM_INITS: dict[str, Callable[..., np.ndarray]] = {
    "uniform": lambda s, **kw: init.uniform(s, **kw),
    "normal": lambda s, **kw: init.normal(s, **kw),
    "trunc_normal": lambda s, **kw: init.trunc_normal(s, **kw),
    "xavier_uniform": lambda s, **kw: init.xavier_uniform(s, **kw),
    "xavier_normal": lambda s, **kw: init.xavier_normal(s, **kw),
    "kaiming_uniform": lambda s, **kw: init.kaiming_uniform(s, **kw),
    "kaiming_normal": lambda s, **kw: init.kaiming_normal(s, **kw),
    "lecun_uniform": lambda s, **kw: init.lecun_uniform(s, **kw),
    "lecun_normal": lambda s, **kw: init.lecun_normal(s, **kw),
    "orthogonal": lambda s, **kw: init.orthogonal(s, **kw),
    "variance_scaling": lambda s, **kw: init.variance_scaling(s, **kw),
}
FAN_INITS = [k for k in RANDOM_INITS if k not in ("uniform", "normal", "trunc_normal")]


# --------------------------------------------------------------------------
# calculate_gain
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("linear", 1.0),
        ("conv1d", 1.0),
        ("conv2d", 1.0),
        ("conv3d", 1.0),
        ("conv_transpose1d", 1.0),
        ("conv_transpose2d", 1.0),
        ("conv_transpose3d", 1.0),
        ("sigmoid", 1.0),
        ("tanh", 5 / 3),
        ("relu", 1.4142135623730951),  # sqrt(2)
        ("selu", 0.75),
        # default negative slope 0.01: sqrt(2 / (1 + 0.0001)) = sqrt(2 / 1.0001)
        ("leaky_relu", 1.4141428569978354),
    ],
)
def test_gain_table(name: str, expected: float) -> None:
    assert init.calculate_gain(name) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("slope", "expected"),
    [
        (0.2, math.sqrt(2 / 1.04)),  # 1 + 0.2^2 = 1.04
        (0, SQRT2),  # a leaky ReLU with slope 0 is a ReLU
        (1, 1.0),  # slope 1 is the identity: sqrt(2 / 2)
        (-0.2, math.sqrt(2 / 1.04)),  # only s^2 matters
        (np.float32(0.5), math.sqrt(2 / 1.25)),
    ],
)
def test_gain_leaky_relu_slope(slope: Any, expected: float) -> None:
    assert init.calculate_gain("leaky_relu", slope) == pytest.approx(expected, rel=1e-7)


def test_gain_param_ignored_by_other_nonlinearities() -> None:
    # PyTorch reads param only for leaky_relu.
    assert init.calculate_gain("relu", 0.3) == SQRT2
    assert init.calculate_gain("tanh", "anything") == 5 / 3  # type: ignore[arg-type]


@pytest.mark.parametrize("param", [True, False, np.True_, "0.1", [0.1], 1j])
def test_gain_leaky_relu_bad_param_type(param: Any) -> None:
    with pytest.raises(TypeError, match=r"^calculate_gain: argument 'param' must be a real"):
        init.calculate_gain("leaky_relu", param)


@pytest.mark.parametrize("param", [math.nan, math.inf])
def test_gain_leaky_relu_non_finite_param(param: float) -> None:
    with pytest.raises(ValueError, match=r"^calculate_gain: argument 'param' must be finite"):
        init.calculate_gain("leaky_relu", param)


@pytest.mark.parametrize("name", ["ReLU", "gelu", "", "conv4d"])
def test_gain_unknown_nonlinearity_lists_valid_names(name: str) -> None:
    with pytest.raises(ValueError, match=r"^calculate_gain: argument 'nonlinearity'") as err:
        init.calculate_gain(name)
    for valid in ("linear", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"):
        assert valid in str(err.value)


def test_gain_nonlinearity_must_be_a_string() -> None:
    with pytest.raises(TypeError, match=r"^calculate_gain: argument 'nonlinearity'.*leaky_relu"):
        init.calculate_gain(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# fans
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ((10, 20), (20, 10)),  # dense (out=10, in=20)
        ([10, 20], (20, 10)),
        ((16, 3, 5, 5), (75, 400)),  # receptive 25: fan_in 3*25, fan_out 16*25
        ((8, 4, 3), (12, 24)),  # conv1d, kernel 3
        ((2, 3, 2, 2, 2), (24, 16)),  # conv3d, receptive 8
        ((4, 6, 0), (0, 0)),  # a zero kernel dimension zeroes both fans
        ((0, 5), (5, 0)),
    ],
)
def test_fans(shape: Any, expected: tuple[int, int]) -> None:
    assert init.fan_in_and_fan_out(shape) == expected


@pytest.mark.parametrize("shape", [(5,), 5, ()])
def test_fans_need_two_dimensions(shape: Any) -> None:
    with pytest.raises(
        ValueError, match=r"^fan_in_and_fan_out: argument 'shape' needs at least 2 dimensions"
    ):
        init.fan_in_and_fan_out(shape)


@pytest.mark.parametrize("name", FAN_INITS)
def test_fan_based_initializers_refuse_1d_and_name_themselves(name: str) -> None:
    msg = rf"^{name}: argument 'shape' needs at least 2 dimensions, got \(5,\)$"
    with pytest.raises(ValueError, match=msg):
        RANDOM_INITS[name]((5,), rng=0)


# --------------------------------------------------------------------------
# zeros, ones, constant
# --------------------------------------------------------------------------


def test_zeros_ones_constant() -> None:
    assert np.array_equal(init.zeros((2, 3)), np.zeros((2, 3)))
    assert np.array_equal(init.ones(4), np.ones(4))
    c = init.constant((3, 2), -0.25, dtype=np.float32)
    assert c.dtype == np.float32
    assert c.shape == (3, 2)
    assert np.all(c == np.float32(-0.25))
    assert init.zeros((2,), dtype="float16").dtype == np.float16
    assert init.ones((0, 3)).shape == (0, 3)
    # inf is a value fill_ takes
    assert np.all(np.isposinf(init.constant(2, math.inf)))


def test_constant_refuses_bad_values() -> None:
    with pytest.raises(TypeError, match=r"^constant: argument 'value' must be a real number"):
        init.constant((2,), "1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^constant: argument 'value'"):
        init.constant((2,), True)
    # 1e40 is beyond float32's largest 3.4e38: refused rather than turned into inf
    with pytest.raises(ValueError, match=r"^constant: argument 'value' = 1e\+40 does not fit"):
        init.constant((2,), 1e40, dtype=np.float32)


# --------------------------------------------------------------------------
# uniform, normal
# --------------------------------------------------------------------------


def test_uniform_bounds_and_variance() -> None:
    # U(-3, 5) is 4 + U(-4, 4): bound 4 around the centre, variance 8^2/12 = 16/3
    w = init.uniform((400, 500), -3.0, 5.0, rng=1)
    assert w.shape == (400, 500)
    assert_uniform_scale(w - 1.0, 4.0)


def test_uniform_default_is_unit_interval() -> None:
    w = init.uniform((200, 500), rng=2)
    assert w.min() >= 0.0
    assert w.max() < 1.0
    assert_uniform_scale(w - 0.5, 0.5)


def test_uniform_degenerate_and_reversed() -> None:
    assert np.all(init.uniform((3, 3), 2.0, 2.0, rng=0) == 2.0)
    with pytest.raises(ValueError, match=r"^uniform: arguments need a <= b, got a=1.0, b=0.0"):
        init.uniform((3,), 1.0, 0.0, rng=0)
    with pytest.raises(ValueError, match=r"^uniform: argument 'b' must be finite, got inf"):
        init.uniform((3,), 0.0, math.inf, rng=0)


def test_normal_moments() -> None:
    w = init.normal((400, 500), 0.5, 0.01, rng=3)
    assert_normal_scale(w, 0.5, 0.01)
    assert np.all(init.normal((4,), 1.5, 0.0, rng=0) == 1.5)  # std 0 is allowed, as in torch


def test_normal_refuses_negative_std() -> None:
    with pytest.raises(ValueError, match=r"^normal: argument 'std' must be >= 0, got -1.0"):
        init.normal((3,), 0.0, -1.0, rng=0)


def test_overflow_is_refused_not_returned_as_inf() -> None:
    # float16 holds at most 65504; draws near 1e6 cannot be cast
    with pytest.raises(ValueError, match=r"^normal: the values do not fit in dtype float16"):
        init.normal((10,), 1e6, 1.0, rng=0, dtype=np.float16)
    # 1e308 * z overflows float64 itself for |z| > 1.8 (about 7 of 100 draws)
    with pytest.raises(ValueError, match=r"^normal: the values do not fit in dtype float64"):
        init.normal((100,), 0.0, 1e308, rng=0)
    with pytest.raises(ValueError, match=r"^uniform: the width b - a overflows float64"):
        init.uniform((3,), -1e308, 1e308, rng=0)


# --------------------------------------------------------------------------
# Xavier / Glorot
# --------------------------------------------------------------------------


def test_xavier_uniform_bound_and_variance() -> None:
    # fan_in 200, fan_out 300: bound = sqrt(6/500) = 0.10954, variance 2/500
    w = init.xavier_uniform((300, 200), rng=4)
    assert_uniform_scale(w, math.sqrt(6 / 500))
    # gain multiplies the bound: tanh gain 5/3
    w = init.xavier_uniform((300, 200), gain=5 / 3, rng=4)
    assert_uniform_scale(w, 5 / 3 * math.sqrt(6 / 500))


def test_xavier_uniform_conv_layout() -> None:
    # (64, 32, 3, 3): fan_in 32*9 = 288, fan_out 64*9 = 576, bound sqrt(6/864)
    w = init.xavier_uniform((64, 32, 3, 3), rng=5)
    assert_uniform_scale(w, math.sqrt(6 / 864))


def test_xavier_normal_std() -> None:
    # std = sqrt(2 / (200 + 300)) = 0.063246
    w = init.xavier_normal((300, 200), rng=6)
    assert_normal_scale(w, 0.0, math.sqrt(2 / 500))
    # not truncated: among 60000 normal draws some lie beyond 3.5 std
    # (expected count 60000 * 4.65e-4 = 28; P(none) ~ e^-28)
    assert np.abs(w).max() > 3.5 * math.sqrt(2 / 500)
    w = init.xavier_normal((300, 200), gain=2.0, rng=6)
    assert_normal_scale(w, 0.0, 2 * math.sqrt(2 / 500))


@pytest.mark.parametrize("name", ["xavier_uniform", "xavier_normal"])
def test_xavier_refuses_negative_gain(name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: argument 'gain' must be >= 0"):
        RANDOM_INITS[name]((3, 3), gain=-1.0, rng=0)


# --------------------------------------------------------------------------
# Kaiming / He and LeCun
# --------------------------------------------------------------------------


def test_kaiming_uniform_defaults_are_relu_gain() -> None:
    # defaults a=0, leaky_relu: gain sqrt(2/(1+0)) = sqrt(2); fan_in = 128*9 = 1152
    # bound = sqrt(2) * sqrt(3/1152) = sqrt(6/1152)
    w = init.kaiming_uniform((64, 128, 3, 3), rng=7)
    assert_uniform_scale(w, math.sqrt(6 / 1152))


def test_kaiming_uniform_fan_out_and_slope() -> None:
    # fan_out = 64*9 = 576; leaky slope 0.2: gain^2 = 2/1.04, bound = gain sqrt(3/576)
    w = init.kaiming_uniform((64, 128, 3, 3), a=0.2, mode="fan_out", rng=8)
    assert_uniform_scale(w, math.sqrt(2 / 1.04) * math.sqrt(3 / 576))


def test_kaiming_uniform_sqrt5_is_nn_linear_default() -> None:
    # a = sqrt(5): gain^2 = 2/6 = 1/3, bound = sqrt(1/3) sqrt(3/fan_in) = 1/sqrt(fan_in)
    w = init.kaiming_uniform((300, 400), a=math.sqrt(5), rng=9)
    assert_uniform_scale(w, 1 / math.sqrt(400))


def test_kaiming_normal_std() -> None:
    # relu, fan_in 512: std = sqrt(2/512) = 0.0625
    w = init.kaiming_normal((256, 512), nonlinearity="relu", rng=10)
    assert_normal_scale(w, 0.0, 0.0625)
    # selu gain 3/4, fan_out 256: std = 0.75/16
    w = init.kaiming_normal((256, 512), mode="fan_out", nonlinearity="selu", rng=10)
    assert_normal_scale(w, 0.0, 0.75 / 16)


def test_kaiming_mode_is_lowercased_like_torch() -> None:
    a = init.kaiming_normal((20, 30), mode="FAN_OUT", rng=0)
    b = init.kaiming_normal((20, 30), mode="fan_out", rng=0)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("name", ["kaiming_uniform", "kaiming_normal"])
@pytest.mark.parametrize("mode", ["fan_avg", "in", None])
def test_kaiming_bad_mode(name: str, mode: Any) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: argument 'mode' must be 'fan_in' or"):
        RANDOM_INITS[name]((3, 3), mode=mode, rng=0)


@pytest.mark.parametrize("name", ["kaiming_uniform", "kaiming_normal"])
def test_kaiming_bad_nonlinearity_and_slope(name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: argument 'nonlinearity' must be one of"):
        RANDOM_INITS[name]((3, 3), nonlinearity="softplus", rng=0)
    with pytest.raises(TypeError, match=rf"^{name}: argument 'a' must be a real number"):
        RANDOM_INITS[name]((3, 3), a=True, rng=0)


def test_lecun_scales() -> None:
    # fan_in 400: uniform bound sqrt(3/400), normal std 1/sqrt(400) = 0.05
    assert_uniform_scale(init.lecun_uniform((500, 400), rng=11), math.sqrt(3 / 400))
    assert_normal_scale(init.lecun_normal((500, 400), rng=11), 0.0, 0.05)


def test_lecun_is_kaiming_linear() -> None:
    # gain("linear") = 1 makes kaiming_* with fan_in exactly LeCun's
    assert np.array_equal(
        init.lecun_normal((7, 9), rng=3), init.kaiming_normal((7, 9), nonlinearity="linear", rng=3)
    )
    assert np.array_equal(
        init.lecun_uniform((7, 9), rng=3),
        init.kaiming_uniform((7, 9), nonlinearity="linear", rng=3),
    )


# --------------------------------------------------------------------------
# orthogonal
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape", [(5, 12), (12, 5), (7, 7), (6, 3, 2, 2), (20, 2, 3, 1), (1, 4), (4, 1)]
)
@pytest.mark.parametrize("gain", [1.0, 2.5, -1.0])
def test_orthogonal(shape: tuple[int, ...], gain: float) -> None:
    w = init.orthogonal(shape, gain=gain, rng=12)
    assert w.shape == shape
    m = w.reshape(shape[0], -1)  # trailing dimensions flattened, as in torch
    rows, cols = m.shape
    if rows <= cols:
        np.testing.assert_allclose(m @ m.T, gain**2 * np.eye(rows), atol=1e-12)
    if rows >= cols:
        np.testing.assert_allclose(m.T @ m, gain**2 * np.eye(cols), atol=1e-12)


def test_orthogonal_sign_fix_makes_it_haar() -> None:
    # Householder QR returns R with R_11 = -sign(A_11) |a_1|, so without the
    # sign fix Q_11 = -|A_11|/|a_1| would always be <= 0 (mean near -0.5 for 3x3).
    # With it Q is Haar distributed: Q_11 is symmetric about 0 with E[Q_11^2] = 1/3.
    # 2000 draws: SE of the mean = sqrt(1/3 / 2000) = 0.0129, 5 SE = 0.065.
    gen = np.random.default_rng(13)
    q11 = np.array([init.orthogonal((3, 3), rng=gen)[0, 0] for _ in range(2000)])
    assert abs(q11.mean()) < 0.065
    # E[Q_11^2] = 1/3 (each entry of a Haar 3x3 column is a uniform unit vector's
    # coordinate); Var(Q_11^2) = E[Q^4] - 1/9 = 1/5 - 1/9 = 4/45, SE = sqrt(4/45/2000)
    assert abs((q11**2).mean() - 1 / 3) < 5 * math.sqrt(4 / 45 / 2000)


def test_orthogonal_refuses_1d_and_bad_gain() -> None:
    with pytest.raises(ValueError, match=r"^orthogonal: argument 'shape' needs at least 2"):
        init.orthogonal(4, rng=0)
    with pytest.raises(ValueError, match=r"^orthogonal: argument 'gain' must be finite"):
        init.orthogonal((2, 2), gain=math.nan, rng=0)


# --------------------------------------------------------------------------
# trunc_normal
# --------------------------------------------------------------------------

TRUNC_WINDOWS = [
    # (mean, std, a, b): a, b absolute; standardised windows cover every proposal
    (0.0, 1.0, -2.0, 2.0),  # torch's defaults; window holds 0 and is wide
    (0.5, 2.0, -1.0, 3.0),  # asymmetric window around the mean
    (0.0, 1.0, -0.3, 0.4),  # narrow window holding 0: flat proposal
    (0.0, 1.0, 3.0, math.inf),  # one-sided right tail: exponential proposal
    (1.0, 0.5, 3.0, 4.0),  # standardised [4, 6]: tail, exponential
    (0.0, 1.0, 5.0, 5.1),  # narrow tail window: flat proposal
    (0.0, 1.0, -6.0, -4.0),  # left tail, by mirror symmetry
    (0.0, 1.0, -math.inf, -3.0),
    (0.0, 1.0, 0.0, 0.5),  # window starting at the mean
    (-2.0, 3.0, -math.inf, math.inf),  # no truncation at all
]


@pytest.mark.parametrize(("mean", "std", "a", "b"), TRUNC_WINDOWS)
def test_trunc_normal_cutoffs_and_moments(mean: float, std: float, a: float, b: float) -> None:
    w = init.trunc_normal((200, 500), mean, std, a, b, rng=14)
    assert w.shape == (200, 500)
    assert w.min() >= a
    assert w.max() <= b
    z_mean, z_var = truncated_moments((a - mean) / std, (b - mean) / std)
    assert_moments_5se(w.ravel(), mean + std * z_mean, std**2 * z_var)


def test_trunc_normal_reaches_its_cutoffs() -> None:
    # U-shaped check: with 100000 draws in [-1, 1] (density >= phi(1) / Z = 0.355 per
    # unit), P(no draw within 1e-3 of a cut-off) <= (1 - 3.5e-4)^100000 ~ e^-35
    w = init.trunc_normal(100_000, a=-1.0, b=1.0, rng=15)
    assert w.min() < -1 + 1e-3
    assert w.max() > 1 - 1e-3


def test_trunc_normal_cutoffs_are_absolute() -> None:
    # The PyTorch gotcha: std 0.02 with the default a=-2, b=2 cuts nothing
    # (2 is 100 std away), so the result is N(0, 0.02^2).
    w = init.trunc_normal((200, 500), std=0.02, rng=16)
    assert_normal_scale(w, 0.0, 0.02)


def test_trunc_normal_far_window_finishes() -> None:
    # 30 std out: mass ~ 5e-198, still sampled exactly and quickly
    w = init.trunc_normal(10_000, a=30.0, b=31.0, rng=17)
    assert w.min() >= 30.0
    assert w.max() <= 31.0
    z_mean, z_var = truncated_moments(30.0, 31.0)
    assert_moments_5se(w, z_mean, z_var)


def test_trunc_normal_float32_stays_inside() -> None:
    # float32 rounding is monotone, so values stay within the rounded cut-offs
    w = init.trunc_normal(50_000, 0.0, 1.0, 0.1, 0.2, rng=18, dtype=np.float32)
    assert w.dtype == np.float32
    assert w.min() >= np.float32(0.1)
    assert w.max() <= np.float32(0.2)


def test_trunc_normal_zero_std() -> None:
    assert np.all(init.trunc_normal((3, 2), 0.5, 0.0, 0.0, 1.0, rng=0) == 0.5)
    with pytest.raises(ValueError, match=r"^trunc_normal: with std=0 .* zero probability mass"):
        init.trunc_normal((3,), 2.0, 0.0, 0.0, 1.0, rng=0)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"a": 1.0, "b": 1.0}, ValueError, r"^trunc_normal: arguments need a < b, got a=1.0"),
        ({"a": 2.0, "b": -2.0}, ValueError, r"^trunc_normal: arguments need a < b"),
        ({"std": -1.0}, ValueError, r"^trunc_normal: argument 'std' must be >= 0"),
        (
            {"a": math.nan},
            ValueError,
            r"^trunc_normal: argument 'a' must be a number, not NaN, got nan",
        ),
        ({"mean": math.inf}, ValueError, r"^trunc_normal: argument 'mean' must be finite, got inf"),
        ({"a": "-2"}, TypeError, r"^trunc_normal: argument 'a' must be a real number"),
        # 50 std from the mean: mass ~ 2e-545, vanishing
        ({"a": 50.0, "b": 60.0}, ValueError, r"^trunc_normal: the window .* vanishes"),
        ({"a": -math.inf, "b": -40.0}, ValueError, r"^trunc_normal: the window .* vanishes"),
        # mean 0, std 1e-300: the window [1, 2] is 1e300 std away
        ({"std": 1e-300, "a": 1.0}, ValueError, r"^trunc_normal: the window .* vanishes"),
    ],
)
def test_trunc_normal_bad_arguments(kwargs: dict[str, Any], error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        init.trunc_normal((4,), rng=0, **kwargs)


# --------------------------------------------------------------------------
# variance_scaling (Keras)
# --------------------------------------------------------------------------


def test_keras_truncation_constant_is_the_truncated_std() -> None:
    # N(0, 1) cut to [-c, c]: Var = 1 - 2 c phi(c) / (2 Phi(c) - 1); with c = 2:
    var = 1 - 2 * 2 * phi(2.0) / math.erf(2 / SQRT2)
    assert math.sqrt(var) == pytest.approx(init.KERAS_TRUNCATION_STD, rel=1e-15)


@pytest.mark.parametrize(
    ("scale", "mode", "n"),
    [
        # shape (300, 200, 1, 2) in nnbook layout: fan_in 400, fan_out 600
        (2.0, "fan_in", 400),
        (1.0, "fan_out", 600),
        (1.0, "fan_avg", 500),
        (0.5, "fan_avg", 500),
    ],
)
def test_variance_scaling_truncated_std_is_nominal(scale: float, mode: str, n: float) -> None:
    w = init.variance_scaling((300, 200, 1, 2), scale, mode, rng=19)
    std = math.sqrt(scale / n)  # the point of dividing by 0.8796...
    s = std / init.KERAS_TRUNCATION_STD  # pre-truncation std, cut at +-2 s
    assert np.abs(w).max() <= 2 * s
    # P(max < 2 s (1 - 1e-3)) <= (1 - 2e-3 * 2 phi(2) / 0.9545)^120000 ~ e^-27
    assert np.abs(w).max() >= 2 * s * (1 - 1e-3)
    assert_moments_5se(w.ravel(), 0.0, std**2)


def test_variance_scaling_other_distributions() -> None:
    # untruncated: N(0, 2/400); uniform: limit sqrt(3 * 2/400)
    w = init.variance_scaling((300, 200, 1, 2), 2.0, "fan_in", "untruncated_normal", rng=20)
    assert_normal_scale(w, 0.0, math.sqrt(2 / 400))
    w = init.variance_scaling((300, 200, 1, 2), 2.0, "fan_in", "uniform", rng=20)
    assert_uniform_scale(w, math.sqrt(3 * 2 / 400))


def test_variance_scaling_matches_torch_forms() -> None:
    # glorot_uniform (1, fan_avg, uniform): limit sqrt(3/((fi+fo)/2)) = sqrt(6/(fi+fo))
    np.testing.assert_allclose(
        init.variance_scaling((30, 20), 1.0, "fan_avg", "uniform", rng=21),
        init.xavier_uniform((30, 20), rng=21),
        rtol=1e-14,
    )
    # untruncated he_normal is torch's kaiming_normal with relu
    np.testing.assert_allclose(
        init.variance_scaling((30, 20), 2.0, "fan_in", "untruncated_normal", rng=21),
        init.kaiming_normal((30, 20), nonlinearity="relu", rng=21),
        rtol=1e-14,
    )


def test_variance_scaling_keras_spelling_rules() -> None:
    # "normal" is Keras's old name for "truncated_normal"; distribution is lower-cased
    ref = init.variance_scaling((20, 30), rng=22)
    assert np.array_equal(init.variance_scaling((20, 30), distribution="normal", rng=22), ref)
    assert np.array_equal(
        init.variance_scaling((20, 30), distribution="Truncated_Normal", rng=22), ref
    )
    # ... but the mode is taken as written, as in Keras
    with pytest.raises(ValueError, match=r"^variance_scaling: argument 'mode' must be one of"):
        init.variance_scaling((20, 30), mode="FAN_IN", rng=0)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"scale": 0.0}, ValueError, r"^variance_scaling: argument 'scale' must be > 0, got 0.0"),
        ({"scale": -1.0}, ValueError, r"^variance_scaling: argument 'scale' must be > 0"),
        ({"mode": "fan_sum"}, ValueError, r"^variance_scaling: argument 'mode' .*fan_avg"),
        (
            {"distribution": "laplace"},
            ValueError,
            r"^variance_scaling: argument 'distribution' must be one of truncated_normal",
        ),
        ({"distribution": None}, ValueError, r"^variance_scaling: argument 'distribution'"),
    ],
)
def test_variance_scaling_bad_arguments(kwargs: dict[str, Any], error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        init.variance_scaling((3, 3), rng=0, **kwargs)


# --------------------------------------------------------------------------
# every random initializer: determinism, dtype, rng and shape checks, empties
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(RANDOM_INITS))
def test_determinism(name: str) -> None:
    f = RANDOM_INITS[name]
    shape = (6, 4, 2, 3)
    a, b, c = f(shape, rng=5), f(shape, rng=5), f(shape, rng=6)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    # a Generator is used as it stands: two calls continue its stream
    gen = np.random.default_rng(5)
    first, second = f(shape, rng=gen), f(shape, rng=gen)
    assert np.array_equal(first, a)
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("name", list(RANDOM_INITS))
@pytest.mark.parametrize("dtype", [np.float32, "float16"])
def test_dtype_preserved_and_same_draws(name: str, dtype: Any) -> None:
    f = RANDOM_INITS[name]
    low = f((6, 4, 2, 3), rng=7, dtype=dtype)
    assert low.dtype == np.dtype(dtype)
    # draws are made in float64 and then cast: one seed, the same numbers
    assert np.array_equal(low, f((6, 4, 2, 3), rng=7).astype(dtype))
    assert f((6, 4, 2, 3), rng=7).dtype == np.float64


@pytest.mark.parametrize("name", list(RANDOM_INITS))
def test_bad_rng_dtype_and_shape(name: str) -> None:
    f = RANDOM_INITS[name]
    with pytest.raises(TypeError, match=rf"^{name}: argument 'rng' must be"):
        f((3, 3), rng=None)
    with pytest.raises(TypeError, match=rf"^{name}: argument 'rng' must be"):
        f((3, 3), rng="seed")
    with pytest.raises(TypeError, match=rf"^{name}: argument 'rng' must be"):
        f((3, 3), rng=1.5)
    with pytest.raises(ValueError, match=rf"^{name}: argument 'rng' must be a non-negative"):
        f((3, 3), rng=-1)
    with pytest.raises(TypeError, match=rf"^{name}: argument 'dtype' must be a float dtype"):
        f((3, 3), rng=0, dtype="int32")
    with pytest.raises(ValueError, match=rf"^{name}: argument 'shape' must contain non-negative"):
        f((3, -2), rng=0)
    with pytest.raises(TypeError, match=rf"^{name}: argument 'shape' must be a tuple"):
        f("3x3", rng=0)


def test_rng_is_keyword_only_and_required() -> None:
    with pytest.raises(TypeError):
        init.xavier_uniform((3, 3))  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        init.xavier_uniform((3, 3), 1.0, 0)  # type: ignore[call-arg]


@pytest.mark.parametrize("name", list(RANDOM_INITS))
@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 0), (3, 4, 0), (2, 0, 3, 3)])
def test_empty_shapes_give_empty_arrays(name: str, shape: tuple[int, ...]) -> None:
    # (0, 0) and (3, 4, 0) have zero fans; no formula may divide by them
    w = RANDOM_INITS[name](shape, rng=0, dtype=np.float32)
    assert w.shape == shape
    assert w.dtype == np.float32


def test_empty_shapes_still_check_arguments() -> None:
    with pytest.raises(ValueError, match=r"^kaiming_normal: argument 'mode'"):
        init.kaiming_normal((0, 5), mode="fan_avg", rng=0)
    with pytest.raises(ValueError, match=r"^variance_scaling: argument 'scale'"):
        init.variance_scaling((0, 5), scale=0.0, rng=0)


# --------------------------------------------------------------------------
# properties over shapes (hypothesis)
# --------------------------------------------------------------------------

shapes = st.lists(st.integers(0, 6), min_size=2, max_size=4).map(tuple)


def _uniform_bounds(shape: tuple[int, ...]) -> dict[str, float]:
    fan_in, fan_out = init.fan_in_and_fan_out(shape)
    return {
        "xavier_uniform": math.sqrt(6 / (fan_in + fan_out)),
        "kaiming_uniform": math.sqrt(2) * math.sqrt(3 / fan_in),
        "lecun_uniform": math.sqrt(3 / fan_in),
        "variance_scaling": 2 * math.sqrt(1 / fan_in) / init.KERAS_TRUNCATION_STD,
        "orthogonal": 1.0,  # entries of an orthogonal matrix are at most 1
    }


@settings(max_examples=60, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_shape_and_bound_properties(shape: tuple[int, ...], seed: int) -> None:
    empty = math.prod(shape) == 0
    bounds = None if empty else _uniform_bounds(shape)
    for name in FAN_INITS:
        w = RANDOM_INITS[name](shape, rng=seed)
        assert w.shape == shape
        assert w.dtype == np.float64
        assert np.all(np.isfinite(w))
        if bounds is not None and name in bounds:
            # a relative 1e-12 allows for the rounding of sqrt(3)*std vs sqrt(3/fan)
            assert np.abs(w).max() <= bounds[name] * (1 + 1e-12)


@settings(max_examples=40, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2**32 - 1), gain=st.floats(0.1, 10.0))
def test_orthogonal_property(shape: tuple[int, ...], seed: int, gain: float) -> None:
    w = init.orthogonal(shape, gain=gain, rng=seed)
    assert w.shape == shape
    if math.prod(shape) == 0:
        return
    m = w.reshape(shape[0], -1)
    gram = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    np.testing.assert_allclose(gram, gain**2 * np.eye(gram.shape[0]), atol=1e-10 * gain**2)


@settings(max_examples=60, deadline=None)
@given(
    mean=st.floats(-5, 5),
    std=st.floats(0.01, 5),
    a=st.floats(-10, 10),
    width=st.floats(1e-3, 10),
    seed=st.integers(0, 2**32 - 1),
)
def test_trunc_normal_property(mean: float, std: float, a: float, width: float, seed: int) -> None:
    b = a + width
    gap = max((a - mean) / std, (mean - b) / std, 0.0)
    if gap > 37:
        with pytest.raises(ValueError, match="vanishes"):
            init.trunc_normal((5, 7), mean, std, a, b, rng=seed)
        return
    w = init.trunc_normal((5, 7), mean, std, a, b, rng=seed)
    assert w.shape == (5, 7)
    assert np.all((w >= a) & (w <= b))
