"""Tests for nnbook.nn and nnbook.book.neurons: activations, layers, networks, perceptrons.

Reference values are derived by hand from the published formulas (derivations
in the comments); statistical checks use seeded generators and tolerances of
five standard errors.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook import Tensor, no_grad
from nnbook.autograd import gradcheck
from nnbook.book.neurons import (
    ACTIVATIONS,
    Neuron,
    Step,
    activation_derivative,
    get_activation,
    identity,
    step,
)
from nnbook.book.perceptron import McCullochPitts, mcp_and, mcp_not, mcp_or, perceptron_train
from nnbook.nn import (
    INITIALIZERS,
    MLP,
    ForwardTrace,
    Identity,
    LeakyReLU,
    Linear,
    Module,
    ReLU,
    Sequential,
    Sigmoid,
    Softplus,
    Tanh,
    init,
)
from nnbook.nn.functional import leaky_relu, relu, sigmoid, softplus, tanh

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
LN3 = math.log(3.0)


def _grad(t: Tensor) -> np.ndarray:
    assert t.grad is not None, "no gradient reached this tensor"
    return t.grad


def _bias(layer: Linear) -> Tensor:
    assert layer.bias is not None, "layer built without bias"
    return layer.bias


# =========================================================================== activations


def test_sigmoid_hand_values() -> None:
    # σ(0) = 1/2; σ(ln 3) = 1/(1 + 1/3) = 3/4; σ(−ln 3) = 1/(1 + 3) = 1/4.
    out = sigmoid(np.array([0.0, LN3, -LN3]))
    np.testing.assert_allclose(out, [0.5, 0.75, 0.25], rtol=1e-15)
    # Far tails saturate without overflow (warnings are errors here).
    np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])


def test_sigmoid_derivative_hand_values() -> None:
    # σ' = σ(1 − σ): σ'(0) = 1/2·1/2 = 1/4; σ'(±ln 3) = 3/4·1/4 = 3/16.
    d = activation_derivative("sigmoid", [0.0, LN3, -LN3])
    np.testing.assert_allclose(d, [0.25, 3 / 16, 3 / 16], rtol=1e-15)
    assert d[0] == 0.25


@given(st.floats(-50, 50, allow_nan=False))
def test_sigmoid_derivative_bounded_by_a_quarter(z: float) -> None:
    # σ(1 − σ) = 1/4 − (σ − 1/2)² <= 1/4.
    d = activation_derivative("sigmoid", [z])[0]
    s = 1.0 / (1.0 + math.exp(-z))
    assert 0.0 <= d <= 0.25
    assert d == pytest.approx(s * (1 - s), rel=1e-12, abs=1e-300)


@given(st.floats(-20, 20, allow_nan=False))
def test_tanh_derivative_and_sigmoid_identity(z: float) -> None:
    t = float(tanh(np.array(z)))
    # tanh' = 1 − tanh².
    assert activation_derivative("tanh", [z])[0] == pytest.approx(1 - t * t, abs=1e-15)
    # tanh z = (1 − e^{−2z})/(1 + e^{−2z}) = 2/(1 + e^{−2z}) − 1 = 2σ(2z) − 1.
    assert t == pytest.approx(2 * float(sigmoid(np.array(2 * z))) - 1, abs=1e-15)


def test_tanh_hand_values() -> None:
    # tanh(ln 2) = (2 − 1/2)/(2 + 1/2) = 3/5; tanh'(0) = 1.
    assert float(tanh(np.array(math.log(2.0)))) == pytest.approx(0.6, rel=1e-15)
    assert activation_derivative("tanh", [0.0]).tolist() == [1.0]


def test_relu_values_and_derivative_at_zero() -> None:
    assert relu([-2.0, 0.0, 3.5]).tolist() == [0.0, 0.0, 3.5]
    # relu'(z) = 1[z > 0]: 0 at 0, as PyTorch.
    assert activation_derivative("relu", [-2.0, 0.0, 3.5]).tolist() == [0.0, 0.0, 1.0]


def test_leaky_relu_slopes() -> None:
    assert leaky_relu([-2.0, 0.0, 3.0], 0.1).tolist() == pytest.approx([-0.2, 0.0, 3.0])
    # Default slope 0.01: −100·0.01 = −1.
    assert leaky_relu([-100.0]).tolist() == [-1.0]
    d = activation_derivative("leaky_relu", [-2.0, 0.0, 3.0], negative_slope=0.1)
    # Slope s for x <= 0 (at 0 too, as PyTorch), 1 above.
    np.testing.assert_array_equal(d, [0.1, 0.1, 1.0])
    np.testing.assert_array_equal(activation_derivative("leaky_relu", [-1.0]), [0.01])


def test_step_convention_and_non_differentiability() -> None:
    assert step([-1.0, 0.0, 1e-300, 5.0]).tolist() == [0.0, 0.0, 1.0, 1.0]
    assert step([0.0], value_at_zero=1.0).tolist() == [1.0]
    assert step([0.0], value_at_zero=0.5).tolist() == [0.5]
    x = Tensor([-1.0, 2.0], requires_grad=True)
    y = step(x)
    assert isinstance(y, Tensor) and not y.requires_grad and y.data.tolist() == [0.0, 1.0]
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.sum().backward()
    # The derivative where it exists (x != 0) is 0; the engine reports 0.
    np.testing.assert_array_equal(activation_derivative("step", [-1.0, 0.0, 1.0]), [0, 0, 0])
    # A step inside a larger expression contributes no gradient.
    z = x * 3 + step(x)
    z.sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_identity() -> None:
    t = Tensor([1.0, -2.0], requires_grad=True)
    assert identity(t) is t
    a = np.array([1.0, 2.0])
    assert identity(a) is a
    assert identity([1, 2]).dtype == np.float64
    np.testing.assert_array_equal(activation_derivative("identity", [-3.0, 0.0, 4.0]), [1, 1, 1])


def test_softplus_hand_values() -> None:
    # softplus(0) = log 2; softplus(ln 3) = log 4; β = 2: (1/2)log(1 + e^{2·ln 3 / 2}) = log(4)/2.
    np.testing.assert_allclose(softplus([0.0, LN3]), [math.log(2), math.log(4)], rtol=1e-15)
    np.testing.assert_allclose(softplus([LN3 / 2], beta=2.0), [math.log(4) / 2], rtol=1e-15)
    # Very negative x: log(1 + e^x) = e^x − e^{2x}/2 + ..., so ≈ e^x to 1e-17 relative.
    np.testing.assert_allclose(softplus([-40.0]), [math.exp(-40.0)], rtol=1e-15)


def test_softplus_stable_at_extremes_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            for dtype in (np.float64, np.float32):
                x = np.array([-1e4, 1e4], dtype=dtype)
                out = softplus(x)
                assert out.dtype == dtype
                np.testing.assert_array_equal(out, [0.0, 1e4])
                d = activation_derivative("softplus", x)
                np.testing.assert_array_equal(d, [0.0, 1.0])
            # A large threshold disables the linear branch; the stable form still holds.
            np.testing.assert_array_equal(softplus([1e4], threshold=1e6), [1e4])


def _torch_softplus(x: np.ndarray, beta: float, threshold: float) -> np.ndarray:
    """PyTorch's documented definition: x where βx > threshold, else (1/β)log(1 + e^{βx}).

    exp is only evaluated up to the threshold, so it cannot overflow here.
    """
    u = beta * x
    return np.where(u > threshold, x, np.log1p(np.exp(np.minimum(u, threshold))) / beta)


@pytest.mark.parametrize("beta", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("threshold", [20.0, 2.0])
def test_softplus_matches_torch_definition(beta: float, threshold: float) -> None:
    x = np.linspace(-60, 60, 2401)
    # The two stable forms agree to a few ulp: max(u,0) + log1p(e^−|u|) = log1p(e^u).
    np.testing.assert_allclose(
        softplus(x, beta, threshold), _torch_softplus(x, beta, threshold), rtol=1e-14, atol=0
    )


def test_softplus_threshold_is_strict() -> None:
    # At βx = threshold exactly the smooth branch is used (torch tests βx > threshold):
    # log(1 + e^20) = 20 + log(1 + e^−20) ≈ 20 + 2.06e-9.
    at = float(softplus(np.array(20.0)))
    assert at == pytest.approx(20.0 + math.log1p(math.exp(-20.0)), rel=1e-15)
    assert at > 20.0
    above = np.nextafter(20.0, 30.0)
    assert float(softplus(np.array(above))) == above
    # Derivative: σ(βx) below (σ(0) = 1/2), exactly 1 above the threshold.
    d = activation_derivative("softplus", [0.0, 25.0, 1.0], beta=2.0, threshold=20.0)
    np.testing.assert_allclose(d, [0.5, 1.0, 1 / (1 + math.exp(-2.0))], rtol=1e-15)


def test_softplus_gradcheck() -> None:
    x = np.array([-30.0, -3.0, -0.4, 0.3, 2.0, 9.0, 25.0])
    gradcheck(lambda t: softplus(t, beta=2.0, threshold=15.0), [x])
    gradcheck(lambda t: softplus(t), [x])


def test_softplus_bad_beta() -> None:
    with pytest.raises(ValueError, match="softplus: argument 'beta' must be non-zero"):
        softplus([1.0], beta=0.0)
    with pytest.raises(ValueError, match="Softplus: argument 'beta'"):
        Softplus(beta=0)
    with pytest.raises(ValueError, match="softplus: argument 'threshold' must be finite"):
        softplus([1.0], threshold=math.inf)
    with pytest.raises(TypeError, match="leaky_relu: argument 'negative_slope'"):
        leaky_relu([1.0], negative_slope="0.1")  # type: ignore[call-overload]


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_array_in_array_out_tensor_in_tensor_out(name: str) -> None:
    fn: Callable[..., Any] = ACTIVATIONS[name]
    x = np.array([-1.5, -0.2, 0.0, 0.7, 3.0])
    out = fn(x)
    assert isinstance(out, np.ndarray) and out.shape == x.shape and out.dtype == np.float64
    t_out = fn(Tensor(x))
    assert isinstance(t_out, Tensor)
    np.testing.assert_array_equal(t_out.data, out)
    # Lists and ints are array-likes: float64 ndarrays come back.
    listed = fn([1, -1])
    assert isinstance(listed, np.ndarray) and listed.dtype == np.float64


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_float32_preserved(name: str) -> None:
    x32 = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], dtype=np.float32)
    fn: Callable[..., Any] = ACTIVATIONS[name]
    assert fn(x32).dtype == np.float32
    assert fn(Tensor(x32)).dtype == np.float32
    assert activation_derivative(name, x32).dtype == np.float32
    # Same numbers as float64, to float32 precision.
    np.testing.assert_allclose(fn(x32), fn(x32.astype(np.float64)), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "identity"])
def test_activation_gradcheck_away_from_kinks(name: str) -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(-4, 4, size=12)
    x = x[np.abs(x) > 1e-3]  # keep the finite differences off relu's kink
    fn: Callable[..., Any] = ACTIVATIONS[name]
    gradcheck(fn, [x])


def test_activation_derivative_matches_closed_forms_on_a_grid() -> None:
    z = np.linspace(-6, 6, 121)
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(activation_derivative("sigmoid", z), s * (1 - s), rtol=1e-13)
    np.testing.assert_allclose(activation_derivative("tanh", z), 1 - np.tanh(z) ** 2, atol=1e-15)
    np.testing.assert_array_equal(activation_derivative("relu", z), (z > 0).astype(float))
    np.testing.assert_allclose(activation_derivative("softplus", z), s, rtol=1e-13)


def test_activation_derivative_of_a_callable_and_errors() -> None:
    # d/dx x² = 2x.
    np.testing.assert_array_equal(activation_derivative(lambda t: t * t, [1.5, -2.0]), [3.0, -4.0])
    with pytest.raises(TypeError, match="activation_derivative: argument 'activation' must map"):
        activation_derivative(lambda t: t.sum(), [1.0, 2.0])
    with pytest.raises(TypeError, match="activation_derivative: argument 'activation' must map"):
        activation_derivative(lambda t: t.data, [1.0, 2.0])
    with pytest.raises(ValueError, match="activation_derivative: unknown activation 'swish'"):
        activation_derivative("swish", [1.0])
    with no_grad(), pytest.raises(RuntimeError, match="activation_derivative: cannot"):
        activation_derivative("tanh", [1.0])
    with pytest.raises(TypeError, match="activation_derivative: argument 'x'"):
        activation_derivative("tanh", ["a"])


def test_get_activation() -> None:
    assert get_activation("tanh") is tanh
    with pytest.raises(ValueError, match=r"get_activation: unknown activation 'gelu'.*relu"):
        get_activation("gelu")
    with pytest.raises(ValueError, match="get_activation: unknown activation 3"):
        get_activation(3)  # type: ignore[arg-type]


def test_activation_bad_input() -> None:
    with pytest.raises(TypeError, match="sigmoid: argument 'x'"):
        sigmoid(["a", "b"])
    with pytest.raises(TypeError, match="step: argument 'value_at_zero'"):
        step([1.0], value_at_zero=None)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("module", "name", "kwargs"),
    [
        (Step(), "step", {}),
        (Step(value_at_zero=1.0), "step", {"value_at_zero": 1.0}),
        (Sigmoid(), "sigmoid", {}),
        (Tanh(), "tanh", {}),
        (ReLU(), "relu", {}),
        (LeakyReLU(0.2), "leaky_relu", {"negative_slope": 0.2}),
        (Softplus(2.0, 3.0), "softplus", {"beta": 2.0, "threshold": 3.0}),
        (Identity(), "identity", {}),
    ],
)
def test_activation_modules_match_functions(module: Module, name: str, kwargs: Any) -> None:
    x = np.linspace(-3, 3, 13)
    out = module(x)
    assert isinstance(out, Tensor)
    np.testing.assert_array_equal(out.data, ACTIVATIONS[name](x, **kwargs))
    assert list(module.parameters()) == []
    assert repr(module).startswith(type(module).__name__ + "(")


def test_activation_module_reprs() -> None:
    assert repr(ReLU()) == "ReLU()"
    assert repr(LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(Softplus()) == "Softplus(beta=1.0, threshold=20.0)"
    assert repr(Step()) == "Step(value_at_zero=0.0)"


# =========================================================================== Module


def test_module_base_and_custom_module() -> None:
    with pytest.raises(NotImplementedError, match=r"Module\.forward"):
        Module()(1.0)

    class TwoHeads(Module):
        def __init__(self) -> None:
            shared = Linear(2, 2, rng=0)
            self.heads = [shared, Linear(2, 1, rng=1), shared]  # shared twice: counted once
            self.scale = Tensor(1.0, requires_grad=True)
            self._cache = Tensor(5.0, requires_grad=True)  # private: not a parameter

        def forward(self, x: Any) -> Tensor:
            return self.heads[1](self.heads[0](x)) * self.scale

    m = TwoHeads()
    names = [n for n, _ in m.named_parameters()]
    assert names == ["scale", "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias"]
    assert len(list(m.parameters())) == 5
    assert m(np.ones((3, 2))).shape == (3, 1)


def test_module_seen_twice_counted_once() -> None:
    layer = Linear(3, 3, rng=0)
    net = Sequential(layer, Tanh(), layer)
    assert len(list(net.parameters())) == 2
    assert [n for n, _ in net.named_parameters()] == ["0.weight", "0.bias"]


def test_mlp_parameter_count() -> None:
    net = MLP([3, 5, 4, 2], rng=0)
    # (3·5 + 5) + (5·4 + 4) + (4·2 + 2) = 20 + 24 + 10 = 54 numbers in 6 tensors.
    params = list(net.parameters())
    assert len(params) == 6
    assert sum(p.numel() for p in params) == 54
    assert len({id(p) for p in params}) == 6
    assert all(p.requires_grad for p in params)
    assert [n for n, _ in net.named_parameters()][:2] == ["0.weight", "0.bias"]
    assert len(list(MLP([3, 5, 2], rng=0, bias=False).parameters())) == 2


def test_zero_grad() -> None:
    net = MLP([2, 3, 1], activation="tanh", rng=0)
    net(np.ones((4, 2))).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


# =========================================================================== Linear


def test_linear_forward_matches_numpy() -> None:
    layer = Linear(3, 2, rng=0)
    x = np.arange(12.0).reshape(4, 3) / 10
    w, b = layer.weight.data, _bias(layer).data
    np.testing.assert_allclose(layer(x).data, x @ w.T + b, rtol=1e-15)
    # One example as a 1-D vector gives a 1-D output, as torch.nn.Linear.
    np.testing.assert_allclose(layer(x[0]).data, w @ x[0] + b, rtol=1e-15)
    # Leading batch dimensions are kept.
    assert layer(np.zeros((5, 4, 3))).shape == (5, 4, 2)
    # Without bias: x Wᵀ.
    nb = Linear(3, 2, bias=False, rng=0)
    assert nb.bias is None and len(list(nb.parameters())) == 1
    np.testing.assert_allclose(nb(x).data, x @ nb.weight.data.T, rtol=1e-15)


def test_linear_gradient_by_hand() -> None:
    # L = Σ G ⊙ (X Wᵀ + b)  =>  ∂L/∂W = Gᵀ X, ∂L/∂b = Σ_rows G, ∂L/∂X = G W.
    rng = np.random.default_rng(0)
    layer = Linear(3, 2, rng=rng)
    X = Tensor(rng.normal(size=(5, 3)), requires_grad=True)
    G = rng.normal(size=(5, 2))
    (layer(X) * G).sum().backward()
    np.testing.assert_allclose(_grad(layer.weight), G.T @ X.data, rtol=1e-13)
    np.testing.assert_allclose(_grad(_bias(layer)), G.sum(axis=0), rtol=1e-13)
    np.testing.assert_allclose(_grad(X), G @ layer.weight.data, rtol=1e-13)


def test_linear_default_init_bounds_and_variance() -> None:
    fan_in, fan_out = 400, 500
    layer = Linear(fan_in, fan_out, rng=0)
    w = layer.weight.data.ravel()
    b = _bias(layer).data
    a = 1 / math.sqrt(fan_in)  # the bound 1/√fan_in = 0.05
    assert np.abs(w).max() <= a and np.abs(b).max() <= a
    # 200,000 draws: if the bound were smaller than a by 1 %, all would lie below 0.99a
    # with probability 0.99^200000 ≈ 0; so the largest draw reaches past 0.99a.
    assert np.abs(w).max() > 0.99 * a
    # U(−a, a): Var = a²/3 = 1/(3 fan_in); the sample variance of n draws has standard
    # error sqrt((μ₄ − σ⁴)/n) with μ₄ = a⁴/5, σ⁴ = a⁴/9, i.e. a²·sqrt(4/45/n).
    n = w.size
    se_var = a**2 * math.sqrt(4 / 45 / n)
    assert abs(w.var() - 1 / (3 * fan_in)) < 5 * se_var
    # Mean 0, standard error a/√(3n).
    assert abs(w.mean()) < 5 * a / math.sqrt(3 * n)
    # The bias is drawn too (not zero), from the same U(−a, a): 500 draws.
    assert abs(b.var() - a**2 / 3) < 5 * a**2 * math.sqrt(4 / 45 / b.size)


def test_linear_default_init_is_weight_then_bias_from_one_stream() -> None:
    # torch.nn.Linear draws the weight, then the bias, both U(−1/√in, 1/√in).
    gen = np.random.default_rng(42)
    a = 1 / math.sqrt(3)
    w = gen.uniform(-a, a, size=(4, 3))
    b = gen.uniform(-a, a, size=4)
    layer = Linear(3, 4, rng=42)
    np.testing.assert_allclose(layer.weight.data, w, rtol=1e-14)
    np.testing.assert_allclose(_bias(layer).data, b, rtol=1e-14)


def test_determinism_by_seed() -> None:
    a, b = Linear(5, 3, rng=7), Linear(5, 3, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    np.testing.assert_array_equal(_bias(a).data, _bias(b).data)
    assert not np.array_equal(a.weight.data, Linear(5, 3, rng=8).weight.data)
    m1, m2 = MLP([4, 6, 2], rng=3), MLP([4, 6, 2], rng=3)
    for p, q in zip(m1.parameters(), m2.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)
    # The layers draw in turn from one stream: the second layer differs from the first.
    assert not np.array_equal(_bias(m1.linears[0]).data[:2], _bias(m1.linears[1]).data)


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_named_init_sets_weight_and_zero_bias(name: str) -> None:
    layer = Linear(6, 4, rng=5, init=name)
    assert layer.weight.shape == (4, 6)
    np.testing.assert_array_equal(_bias(layer).data, np.zeros(4))
    # The weight is the first draw of the stream, with nnbook.nn.init's defaults.
    fn = INITIALIZERS[name]
    np.testing.assert_array_equal(layer.weight.data, fn((4, 6), rng=5, dtype=np.float64))


def test_named_init_values() -> None:
    np.testing.assert_array_equal(Linear(3, 2, rng=0, init="zeros").weight.data, np.zeros((2, 3)))
    np.testing.assert_array_equal(Linear(3, 2, rng=0, init="ones").weight.data, np.ones((2, 3)))
    # xavier_uniform bound √(6/(fan_in + fan_out)) = √(6/600) = 0.1 for (400, 200).
    w = Linear(200, 400, rng=0, init="xavier_uniform").weight.data
    assert np.abs(w).max() <= 0.1 and np.abs(w).max() > 0.099


def test_callable_init() -> None:
    seen: dict[str, Any] = {}

    def constant_half(shape: tuple[int, ...], *, rng: Any, dtype: Any) -> np.ndarray:
        seen.update(shape=shape, rng=rng, dtype=dtype)
        return np.full(shape, 0.5)

    layer = Linear(3, 2, rng=0, init=constant_half, dtype=np.float32)
    assert seen["shape"] == (2, 3) and isinstance(seen["rng"], np.random.Generator)
    assert seen["dtype"] == np.float32
    assert layer.weight.dtype == np.float32 and _bias(layer).dtype == np.float32
    np.testing.assert_array_equal(layer.weight.data, np.full((2, 3), 0.5))
    # functools.partial of an nnbook.nn.init function works as a callable.
    he = functools.partial(init.kaiming_normal, nonlinearity="relu")
    w = Linear(500, 300, rng=1, init=he).weight.data
    # std √(2/500) = 0.0632; sample std of 150,000 draws has se ≈ σ/√(2n).
    assert abs(w.std() - math.sqrt(2 / 500)) < 5 * math.sqrt(2 / 500) / math.sqrt(2 * w.size)


def test_bad_init() -> None:
    with pytest.raises(ValueError, match=r"Linear: unknown initializer init='glorot'.*xavier"):
        Linear(2, 2, rng=0, init="glorot")
    with pytest.raises(TypeError, match="Linear: argument 'init' must be None, a name"):
        Linear(2, 2, rng=0, init=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Linear: argument 'init' returned .* \(3,\), expected"):
        Linear(3, 2, rng=0, init=lambda shape, *, rng, dtype: np.zeros(3))
    with pytest.raises(ValueError, match="Neuron: unknown initializer"):
        Neuron(2, rng=0, init="nope")


def test_linear_dtypes() -> None:
    layer = Linear(3, 2, rng=0, dtype=np.float32)
    assert layer.weight.dtype == np.float32
    x32 = np.ones((4, 3), dtype=np.float32)
    assert layer(x32).dtype == np.float32
    assert layer(Tensor(x32)).dtype == np.float32
    # Lists and integer arrays carry no float dtype: they take the layer's.
    assert layer([[1, 2, 3]]).dtype == np.float32
    assert layer(np.ones((1, 3), dtype=np.int64)).dtype == np.float32
    # Explicit float dtypes are not mixed, as in PyTorch.
    with pytest.raises(TypeError, match=r"Linear.forward: argument 'x' has dtype float64"):
        layer(np.ones((4, 3)))
    with pytest.raises(TypeError, match=r"Linear.forward: argument 'x' has dtype float32"):
        Linear(3, 2, rng=0)(Tensor(x32))
    with pytest.raises(TypeError, match="Linear: argument 'dtype'"):
        Linear(3, 2, rng=0, dtype=np.int32)


def test_linear_wrong_input_width() -> None:
    layer = Linear(3, 2, rng=0)
    with pytest.raises(ValueError, match=r"Linear\.forward.*in_features=3.*\(4, 5\)"):
        layer(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"Linear\.forward.*in_features=3.*got shape \(\)"):
        layer(1.0)
    with pytest.raises(TypeError, match=r"Linear\.forward: argument 'x'"):
        layer([["a", "b", "c"]])


@pytest.mark.parametrize(
    ("args", "exc", "pattern"),
    [
        ((0, 3), ValueError, "Linear: argument 'in_features' must be >= 1, got 0"),
        ((3, -1), ValueError, "Linear: argument 'out_features' must be >= 1, got -1"),
        ((2.5, 3), TypeError, "Linear: argument 'in_features' must be an int, got float"),
        ((True, 3), TypeError, "Linear: argument 'in_features'"),
    ],
)
def test_linear_bad_sizes(args: tuple[Any, Any], exc: type[Exception], pattern: str) -> None:
    with pytest.raises(exc, match=pattern):
        Linear(*args, rng=0)


def test_bad_rng_and_bias_flag() -> None:
    with pytest.raises(TypeError, match="Linear: argument 'rng'"):
        Linear(2, 2, rng=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Linear: argument 'rng'"):
        Linear(2, 2, rng="seed")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Linear: argument 'rng' must be a non-negative seed"):
        Linear(2, 2, rng=-1)
    with pytest.raises(TypeError, match="Neuron: argument 'rng'"):
        Neuron(2, rng=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="MLP: argument 'rng'"):
        MLP([2, 2], rng=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Linear: argument 'bias' must be a bool"):
        Linear(2, 2, bias="yes", rng=0)  # type: ignore[arg-type]


def test_linear_from_weights() -> None:
    w = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    layer = Linear.from_weights(w, [0.0, 1.0, -1.0])
    assert (layer.in_features, layer.out_features) == (2, 3)
    w[0, 0] = 100.0  # the layer keeps its own copy
    assert layer.weight.data[0, 0] == 1.0
    np.testing.assert_array_equal(layer([1.0, 1.0]).data, [3.0, 8.0, 10.0])
    assert Linear.from_weights([[1, 2]]).bias is None
    # A layer's own tensors may be passed: their values are copied, the graph is not shared.
    twin = Linear.from_weights(layer.weight, layer.bias)
    np.testing.assert_array_equal(twin.weight.data, layer.weight.data)
    assert twin.weight is not layer.weight and twin.weight.requires_grad
    assert _bias(Linear.from_weights(np.ones((1, 2), np.float32), [0])).dtype == np.float32
    assert repr(Linear.from_weights([[1.0]])) == "Linear(in_features=1, out_features=1, bias=False)"
    with pytest.raises(ValueError, match=r"Linear.from_weights: argument 'weight' .* \(3,\)"):
        Linear.from_weights([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"Linear.from_weights: argument 'bias' must have shape"):
        Linear.from_weights(np.ones((2, 3)), [1.0])


# ------------------------------------------------------------------ gradients through networks


def _with_params(net: Sequential, params: tuple[Tensor, ...]) -> Sequential:
    """Point each Linear layer of ``net`` at the given weight/bias tensors, in order."""
    it = iter(params)
    for layer in net.layers:
        if isinstance(layer, Linear):
            layer.weight = next(it)
            layer.bias = next(it)
    return net


@settings(max_examples=25, deadline=None)
@given(
    batch=st.integers(1, 4),
    sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    activation=st.sampled_from(["tanh", "sigmoid", "softplus"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_mlp_gradcheck(batch: int, sizes: list[int], activation: str, seed: int) -> None:
    gen = np.random.default_rng(seed)
    net = MLP(sizes, activation=activation, rng=gen, output_activation="tanh")
    x = gen.normal(size=(batch, sizes[0]))
    params = [p.data.copy() for p in net.parameters()]

    def fn(xt: Tensor, *ps: Tensor) -> Tensor:
        return _with_params(net, ps)(xt)

    assert gradcheck(fn, [x, *params])


@settings(max_examples=15, deadline=None)
@given(
    batch=st.integers(1, 5),
    n_in=st.integers(1, 5),
    n_out=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_linear_gradcheck(batch: int, n_in: int, n_out: int, seed: int) -> None:
    layer = Linear(n_in, n_out, rng=seed)
    x = np.random.default_rng(seed + 1).normal(size=(batch, n_in))

    def fn(xt: Tensor, w: Tensor, b: Tensor) -> Tensor:
        layer.weight, layer.bias = w, b
        return layer(xt)

    assert gradcheck(fn, [x, layer.weight.data.copy(), _bias(layer).data.copy()])


# =========================================================================== Neuron


def test_neuron_forward_by_hand() -> None:
    n = Neuron.from_weights([0.5, -1.0], 0.25, activation="tanh")
    # z = 0.5·2 − 1·1 + 0.25 = 0.25; a = tanh 0.25.
    assert n.pre_activation(np.array([2.0, 1.0])).item() == pytest.approx(0.25)
    assert n(np.array([2.0, 1.0])).item() == pytest.approx(math.tanh(0.25))
    out = n(np.array([[2.0, 1.0], [0.0, 0.0]]))
    assert out.shape == (2,)
    np.testing.assert_allclose(out.data, np.tanh([0.25, 0.25]))
    # A scalar output for one example, as z = w·x + b is a number.
    assert n(np.array([1.0, 1.0])).shape == ()


def test_neuron_gradient_by_hand() -> None:
    # a = tanh(w·x + b): ∂a/∂w = (1 − a²) x, ∂a/∂b = 1 − a².
    n = Neuron.from_weights([0.3, -0.7, 0.1], -0.2, activation="tanh")
    x = np.array([1.0, 2.0, -1.0])
    a = n(x)
    a.backward()
    a_val = math.tanh(0.3 - 1.4 - 0.1 - 0.2)
    np.testing.assert_allclose(_grad(n.w), (1 - a_val**2) * x, rtol=1e-14)
    assert float(_grad(n.b)) == pytest.approx(1 - a_val**2, rel=1e-14)
    assert len(list(n.parameters())) == 2


def test_neuron_init_matches_linear() -> None:
    n, layer = Neuron(4, rng=11), Linear(4, 1, rng=11)
    np.testing.assert_array_equal(n.w.data, layer.weight.data[0])
    np.testing.assert_array_equal(n.b.data, _bias(layer).data[0])
    assert n.w.shape == (4,) and n.b.shape == ()
    z = Neuron(3, activation="relu", rng=0, init="zeros")
    assert z.w.data.tolist() == [0.0, 0.0, 0.0] and float(z.b.data) == 0.0
    assert Neuron(3, rng=0, dtype=np.float32).w.dtype == np.float32


def test_neuron_as_and_gate_with_step() -> None:
    # w = (1, 1), b = −1.5: z > 0 only for (1, 1), i.e. AND.
    n = Neuron.from_weights([1.0, 1.0], -1.5, activation="step")
    assert n(CORNERS).data.tolist() == [0.0, 0.0, 0.0, 1.0]
    assert repr(n) == "Neuron(n_inputs=2, activation=Step(value_at_zero=0.0))"
    custom = Neuron(2, activation=LeakyReLU(0.5), rng=0)
    assert isinstance(custom.activation, LeakyReLU)


def test_neuron_errors() -> None:
    n = Neuron(3, rng=0)
    with pytest.raises(ValueError, match=r"Neuron\.forward.*n_inputs=3.*\(2, 4\)"):
        n(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"Neuron\.pre_activation.*n_inputs=3"):
        n.pre_activation(np.ones(2))
    with pytest.raises(ValueError, match="Neuron: argument 'n_inputs' must be >= 1"):
        Neuron(0, rng=0)
    with pytest.raises(ValueError, match=r"Neuron: argument 'activation' .* got 'sign'"):
        Neuron(2, activation="sign", rng=0)
    with pytest.raises(ValueError, match=r"Neuron\.from_weights: argument 'w'"):
        Neuron.from_weights([[1.0, 2.0]])
    with pytest.raises(TypeError, match=r"Neuron\.from_weights: argument 'b'"):
        Neuron.from_weights([1.0], b=[0.0])  # type: ignore[arg-type]


# =========================================================================== Sequential, MLP


def test_sequential_basics() -> None:
    first = Linear(2, 3, rng=0)
    net = Sequential(first, ReLU(), Linear(3, 1, rng=1))
    assert len(net) == 3 and net[0] is first and list(net)[1].__class__ is ReLU
    x = np.array([[1.0, -1.0]])
    manual = net[2](np.maximum(0, first(x).data))
    np.testing.assert_allclose(net(x).data, manual.data, rtol=1e-15)
    head = net[:2]
    assert isinstance(head, Sequential) and len(head) == 2 and head[0] is first
    np.testing.assert_array_equal(head(x).data, np.maximum(0, first(x).data))
    empty = Sequential()
    out = empty([1, 2])
    assert isinstance(out, Tensor) and out.data.tolist() == [1.0, 2.0]
    assert repr(empty) == "Sequential()"
    assert repr(net).splitlines()[2] == "  (1): ReLU()"
    with pytest.raises(TypeError, match=r"Sequential: argument layers\[1\] must be a Module"):
        Sequential(first, np.tanh)  # type: ignore[arg-type]


def test_mlp_structure() -> None:
    net = MLP([3, 4, 5, 2], activation="tanh", rng=0)
    kinds = [type(m).__name__ for m in net.layers]
    # An activation between Linear layers, none after the last.
    assert kinds == ["Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert [(m.in_features, m.out_features) for m in net.linears] == [(3, 4), (4, 5), (5, 2)]
    with_out = MLP([3, 4, 1], rng=0, output_activation="sigmoid")
    assert [type(m).__name__ for m in with_out.layers] == ["Linear", "ReLU", "Linear", "Sigmoid"]
    assert np.all((with_out(np.ones((6, 3))).data > 0) & (with_out(np.ones((6, 3))).data < 1))
    leaky = MLP([2, 2, 2], activation=LeakyReLU(0.3), rng=0)
    assert isinstance(leaky.layers[1], LeakyReLU) and leaky.layers[1].negative_slope == 0.3
    assert repr(MLP([2, 1], rng=0)).startswith("MLP(\n  (0): Linear(in_features=2")
    assert MLP([2, 3], rng=0).sizes == [2, 3]


def test_mlp_init_and_dtype() -> None:
    net = MLP([4, 8, 3], init="xavier_normal", rng=0, dtype=np.float32)
    assert all(p.dtype == np.float32 for p in net.parameters())
    assert all(not _bias(lin).data.any() for lin in net.linears)
    assert net(np.ones((2, 4), np.float32)).dtype == np.float32


@pytest.mark.parametrize(
    ("sizes", "exc", "pattern"),
    [
        ([3], ValueError, "MLP: argument 'sizes' must be a sequence of at least 2"),
        ([], ValueError, "MLP: argument 'sizes'"),
        ("34", ValueError, "MLP: argument 'sizes'"),
        (5, ValueError, "MLP: argument 'sizes'"),
        ([3, 0, 1], ValueError, r"MLP: argument 'sizes\[1\]' must be >= 1, got 0"),
        ([3, -2], ValueError, r"MLP: argument 'sizes\[1\]'"),
        ([3, 2.0], TypeError, r"MLP: argument 'sizes\[1\]'"),
    ],
)
def test_mlp_bad_sizes(sizes: Any, exc: type[Exception], pattern: str) -> None:
    with pytest.raises(exc, match=pattern):
        MLP(sizes, rng=0)


def test_mlp_bad_activation_names() -> None:
    with pytest.raises(ValueError, match=r"MLP: argument 'activation' .*relu.*got 'swish'"):
        MLP([2, 2, 1], activation="swish", rng=0)
    with pytest.raises(ValueError, match=r"MLP: argument 'output_activation'.*got 'softmax'"):
        MLP([2, 2, 1], output_activation="softmax", rng=0)


def test_forward_trace_values_and_backprop_equations() -> None:
    rng = np.random.default_rng(0)
    net = MLP([3, 5, 4, 2], activation="tanh", rng=rng)
    x = rng.normal(size=(6, 3))
    tr = net.forward_trace(x)
    assert isinstance(tr, ForwardTrace)
    assert [z.shape for z in tr.pre_activations] == [(6, 5), (6, 4), (6, 2)]
    # Recompute by hand: z^l = a^{l−1} W_lᵀ + b_l, a^l = tanh z^l (last layer linear).
    a = x
    for k, lin in enumerate(net.linears):
        z = a @ lin.weight.data.T + _bias(lin).data
        np.testing.assert_allclose(tr.pre_activations[k].data, z, rtol=1e-13)
        a = np.tanh(z) if k < 2 else z
        np.testing.assert_allclose(tr.activations[k].data, a, rtol=1e-13)
    assert tr.output is tr.activations[-1] is tr.pre_activations[-1]
    np.testing.assert_allclose(tr.output.data, net(x).data, rtol=1e-15)
    with pytest.raises(RuntimeError, match=r"ForwardTrace\.deltas: layer 1 has no gradient"):
        tr.deltas()
    # Loss L = ½ Σ out²: δ^L = out; δ^l = (δ^{l+1} W_{l+1}) ⊙ (1 − (a^l)²).
    (tr.output * tr.output).sum().__mul__(0.5).backward()
    deltas = tr.deltas()
    np.testing.assert_allclose(deltas[2], tr.output.data, rtol=1e-13)
    for k in (1, 0):
        expected = (deltas[k + 1] @ net.linears[k + 1].weight.data) * (
            1 - tr.activations[k].data ** 2
        )
        np.testing.assert_allclose(deltas[k], expected, rtol=1e-12)
    # ∂L/∂W_l = δ^lᵀ a^{l−1} (summed over the batch).
    np.testing.assert_allclose(
        _grad(net.linears[1].weight), deltas[1].T @ tr.activations[0].data, rtol=1e-12
    )


def test_forward_trace_with_output_activation() -> None:
    net = MLP([2, 3, 1], activation="relu", rng=0, output_activation="sigmoid")
    tr = net.forward_trace(np.ones((4, 2)))
    z_last = tr.pre_activations[-1].data
    np.testing.assert_allclose(tr.output.data, 1 / (1 + np.exp(-z_last)), rtol=1e-14)
    assert np.all(tr.activations[0].data >= 0)


# =========================================================================== classic results


def test_goodfellow_xor_network() -> None:
    # Goodfellow et al. (2016) §6.1: f(x) = wᵀ max(0, Wᵀx + c) + b with
    # W = [[1, 1], [1, 1]], c = (0, −1), w = (1, −2), b = 0. Linear's weight is Wᵀ = W.
    # h = relu(x1 + x2, x1 + x2 − 1): 00 -> (0, 0), 01 and 10 -> (1, 0), 11 -> (2, 1);
    # f = h1 − 2 h2: 0, 1, 1, 2 − 2 = 0.
    net = Sequential(
        Linear.from_weights([[1.0, 1.0], [1.0, 1.0]], [0.0, -1.0]),
        ReLU(),
        Linear.from_weights([[1.0, -2.0]], [0.0]),
    )
    np.testing.assert_array_equal(net(CORNERS).data.ravel(), [0.0, 1.0, 1.0, 0.0])


def test_linear_collapse() -> None:
    # W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂).
    rng = np.random.default_rng(1)
    l1, l2 = Linear(4, 6, rng=rng), Linear(6, 3, rng=rng)
    w1, b1 = l1.weight.data, _bias(l1).data
    w2, b2 = l2.weight.data, _bias(l2).data
    one = Linear.from_weights(w2 @ w1, w2 @ b1 + b2)
    x = rng.normal(size=(10, 4))
    np.testing.assert_allclose(Sequential(l1, l2)(x).data, one(x).data, rtol=1e-12, atol=1e-14)
    # An MLP with the identity "activation" is the same single affine map.
    deep = MLP([4, 6, 3], activation="identity", rng=0)
    (m1, m2) = deep.linears
    one_deep = Linear.from_weights(
        m2.weight.data @ m1.weight.data,
        m2.weight.data @ _bias(m1).data + _bias(m2).data,
    )
    np.testing.assert_allclose(deep(x).data, one_deep(x).data, rtol=1e-12, atol=1e-14)


# =========================================================================== perceptron


def test_perceptron_and_first_epoch_by_hand() -> None:
    y = [0, 0, 0, 1]
    r = perceptron_train(CORNERS, y)
    # Epoch 1 from w = 0, b = 0: 00, 01, 10 give z = 0, ŷ = 0 = y (no update);
    # 11 gives ŷ = 0 ≠ 1, so w ← (1, 1), b ← 1. One mistake.
    assert r.mistakes[0] == 1
    assert r.w_history[1].tolist() == [1.0, 1.0] and r.b_history[1] == 1.0
    assert r.converged and not r.cycling and r.cycle_start is None
    assert r.mistakes[-1] == 0 and np.all(r.mistakes[:-1] > 0)
    assert r.predict(CORNERS).tolist() == [0.0, 0.0, 0.0, 1.0]
    assert r.w_history.shape == (r.epochs + 1, 2) and r.b_history.shape == (r.epochs + 1,)
    np.testing.assert_array_equal(r.w_history[-1], r.w)
    assert r.n_updates == r.mistakes.sum()


def test_perceptron_or() -> None:
    r = perceptron_train(CORNERS, np.array([0.0, 1.0, 1.0, 1.0]), lr=0.5)
    assert r.converged and r.predict(CORNERS).tolist() == [0.0, 1.0, 1.0, 1.0]
    # The final (w, b) separates: w·x + b > 0 exactly on the positives.
    z = CORNERS @ r.w + r.b
    assert np.all(z[1:] > 0) and z[0] <= 0


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("lr", [1.0, 0.25])
def test_perceptron_novikoff_bound(seed: int, lr: float) -> None:
    # A separable set with known margin: u = (w*, b*)/‖(w*, b*)‖ in the augmented space
    # (x, 1); keep only points with |u·(x, 1)| >= 0.1, so γ = min y'ᵢ u·(xᵢ, 1) >= 0.1.
    gen = np.random.default_rng(seed)
    u = np.array([1.0, -2.0, 0.3])
    u /= np.linalg.norm(u)
    X = gen.uniform(-1, 1, size=(400, 2))
    Xa = np.column_stack([X, np.ones(len(X))])
    keep = np.abs(Xa @ u) >= 0.1
    X, Xa = X[keep], Xa[keep]
    y = (Xa @ u > 0).astype(float)
    gamma = float(np.min((2 * y - 1) * (Xa @ u)))
    R = float(np.max(np.linalg.norm(Xa, axis=1)))
    bound = (R / gamma) ** 2
    assert gamma >= 0.1 and 0 < y.mean() < 1
    # Each epoch before convergence makes at least one mistake, so bound + 1 epochs suffice.
    r = perceptron_train(X, y, lr=lr, max_epochs=math.ceil(bound) + 1)
    assert r.converged
    assert r.n_updates <= bound
    assert np.array_equal(r.predict(X), y)


def test_perceptron_cycles_on_xor() -> None:
    r = perceptron_train(CORNERS, [0, 1, 1, 0], max_epochs=1000)
    assert r.cycling and not r.converged
    assert r.epochs < 1000 and r.cycle_start is not None
    assert np.all(r.mistakes > 0)
    # The detected state really recurs.
    np.testing.assert_array_equal(r.w_history[-1], r.w_history[r.cycle_start])
    assert r.b_history[-1] == r.b_history[r.cycle_start]
    # It never classifies all four: no line separates XOR.
    assert not np.array_equal(r.predict(CORNERS), [0.0, 1.0, 1.0, 0.0])


def test_perceptron_negative_zero_start_is_the_zero_state() -> None:
    # The same input with both labels: from (w, b) = (0, 0), x = 1 with y = 1 gives
    # z = 0, ŷ = 0, so (w, b) ← (1, 1); then y = 0 gives z = 2, ŷ = 1, so (w, b) ← (0, 0).
    # The first epoch ends where it started: a cycle of period 1 from epoch 0.
    X, y = [[1.0], [1.0]], [1, 0]
    plain = perceptron_train(X, y)
    assert plain.cycling and plain.epochs == 1 and plain.cycle_start == 0
    # −0.0 and 0.0 are the same weight: starting from −0.0 finds the same cycle.
    signed = perceptron_train(X, y, w0=[-0.0], b0=-0.0)
    assert signed.cycling and signed.epochs == 1 and signed.cycle_start == 0


def test_perceptron_max_epochs_bounds_the_run() -> None:
    r = perceptron_train(CORNERS, [0, 1, 1, 0], max_epochs=1)
    assert r.epochs == 1 and not r.converged and not r.cycling


def test_perceptron_w0_and_dtypes() -> None:
    # Start from a separating (w, b) = ((1, 1), −1.5): one clean epoch, nothing changes.
    r = perceptron_train(CORNERS, [0, 0, 0, 1], w0=[1.0, 1.0], b0=-1.5)
    assert r.converged and r.mistakes.tolist() == [0] and r.w.tolist() == [1.0, 1.0]
    assert r.b == -1.5
    r32 = perceptron_train(CORNERS.astype(np.float32), [False, True, True, True])
    assert r32.converged and r32.w.dtype == np.float32


@pytest.mark.parametrize(
    ("kwargs", "exc", "pattern"),
    [
        ({"y": [-1, 1, 1, -1]}, ValueError, r"perceptron_train: argument 'y' must hold labels 0"),
        ({"y": [0, 2, 1, 0]}, ValueError, r"perceptron_train: argument 'y'.*\[2\.0\]"),
        ({"y": [0, 1, 1]}, ValueError, r"perceptron_train: argument 'y' must have shape \(4,\)"),
        ({"X": [0.0, 1.0, 1.0, 0.0]}, ValueError, "perceptron_train: argument 'X' must be"),
        ({"X": np.full((4, 2), np.nan)}, ValueError, "perceptron_train: argument 'X' must be fin"),
        ({"lr": 0.0}, ValueError, "perceptron_train: argument 'lr' must be > 0"),
        ({"lr": math.nan}, ValueError, "perceptron_train: argument 'lr' must be finite"),
        ({"max_epochs": 0}, ValueError, "perceptron_train: argument 'max_epochs'"),
        ({"max_epochs": 2.0}, TypeError, "perceptron_train: argument 'max_epochs'"),
        ({"w0": [1.0]}, ValueError, r"perceptron_train: argument 'w0' .* \(2,\)"),
        ({"b0": "0"}, TypeError, "perceptron_train: argument 'b0'"),
    ],
)
def test_perceptron_bad_inputs(kwargs: dict[str, Any], exc: type[Exception], pattern: str) -> None:
    args: dict[str, Any] = {"X": CORNERS, "y": [0, 1, 1, 0]}
    args.update(kwargs)
    with pytest.raises(exc, match=pattern):
        perceptron_train(args.pop("X"), args.pop("y"), **args)


# =========================================================================== McCulloch-Pitts


def test_mcp_truth_tables() -> None:
    inputs, out = mcp_and().truth_table()
    assert inputs.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert out.tolist() == [0, 0, 0, 1]
    assert mcp_or().truth_table()[1].tolist() == [0, 1, 1, 1]
    assert mcp_not().truth_table()[1].tolist() == [1, 0]
    # AND of three: only 111 reaches θ = 3; OR of three: all but 000 reach θ = 1.
    inputs3, and3 = mcp_and(3).truth_table()
    assert inputs3.shape == (8, 3) and and3.tolist() == [0] * 7 + [1]
    assert mcp_or(3).truth_table()[1].tolist() == [0] + [1] * 7


def test_mcp_fires_at_threshold_and_inhibition() -> None:
    unit = McCullochPitts([1, 1], threshold=2)
    assert int(unit(np.array([1, 1]))) == 1  # Σ = θ fires (>=)
    assert unit(np.array([1, 1])).shape == ()
    # x1 OR x2, vetoed by x3 (weight −1): 101 gives 1 − 1 = 0 < 1.
    veto = McCullochPitts([1, 1, -1], threshold=1)
    assert veto(np.array([[1, 0, 0], [1, 0, 1], [1, 1, 1], [0, 0, 1]])).tolist() == [1, 0, 1, 0]
    assert unit.n_inputs == 2
    assert repr(unit) == "McCullochPitts(weights=[1.0, 1.0], threshold=2.0)"


def test_mcp_bad_inputs() -> None:
    unit = mcp_and()
    with pytest.raises(ValueError, match="McCullochPitts: argument 'x' must be binary"):
        unit(np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match=r"McCullochPitts: argument 'x' must have shape \(2,\)"):
        unit(np.array([1, 0, 1]))
    with pytest.raises(ValueError, match="McCullochPitts: argument 'weights'"):
        McCullochPitts([], threshold=1)
    with pytest.raises(ValueError, match="McCullochPitts: argument 'weights'"):
        McCullochPitts([[1, 1]], threshold=1)
    with pytest.raises(TypeError, match="McCullochPitts: argument 'threshold'"):
        McCullochPitts([1, 1], threshold=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="mcp_and: argument 'n' must be >= 1"):
        mcp_and(0)
    with pytest.raises(TypeError, match="mcp_or: argument 'n'"):
        mcp_or(1.5)  # type: ignore[arg-type]
