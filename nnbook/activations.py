"""Activation functions φ, as functions and as modules (chapter 1).

Each function takes a :class:`~nnbook.tensor.Tensor` (and returns a Tensor,
differentiable through the engine) or an array-like (and returns an ndarray).
:func:`activation_derivative` differentiates them *with the engine*, so the
derivatives the book plots come from the same backward code that trains its
networks. The modules (:class:`ReLU`, :class:`Tanh`, ...) wrap them for
:class:`~nnbook.layers.Sequential`.

References
----------
Nair & Hinton (2010); Goodfellow, Bengio & Courville, *Deep Learning* (2016),
chapter 6.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike

from nnbook._util import as_float_array, check_real
from nnbook.module import Module
from nnbook.tensor import Tensor, is_grad_enabled
from nnbook.tensor_math import sigmoid_array, softplus_array

__all__ = [
    "ACTIVATIONS",
    "Identity",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Softplus",
    "Step",
    "Tanh",
    "activation_derivative",
    "get_activation",
    "identity",
    "leaky_relu",
    "relu",
    "sigmoid",
    "softplus",
    "step",
    "tanh",
]

Array = np.ndarray


def _beta(value: Any, func: str) -> float:
    """Softplus's β: finite and non-zero (1/β scales the result)."""
    b = check_real(value, func, "beta")
    if b == 0:
        raise ValueError(f"{func}: argument 'beta' must be non-zero, got {b}")
    return b


def _as_tensor(x: Any, func: str) -> Tensor:
    """Tensors pass through (keeping their graph); array-likes become constant tensors."""
    return x if isinstance(x, Tensor) else Tensor(as_float_array(x, func, "x"))


# --------------------------------------------------------------------------- activations


def _step_t(t: Tensor, value_at_zero: float = 0.0) -> Tensor:
    x = t.data
    out = np.where(x > 0, 1.0, np.where(x == 0, value_at_zero, 0.0)).astype(x.dtype)
    # A constant: no gradient flows through a step (see `step`).
    return Tensor(out)


def _softplus_t(t: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    x = t.data
    u = x * beta
    linear = u > threshold
    out = np.where(linear, x, softplus_array(u) / beta).astype(x.dtype, copy=False)
    slope = np.where(linear, 1.0, sigmoid_array(u)).astype(x.dtype, copy=False)
    # One node with the exact derivative d/dx (1/β)log(1 + e^{βx}) = σ(βx), and 1
    # above the threshold, as torch's softplus_backward. Composing public ops would
    # lose either log1p's accuracy or the derivative 1/2 at 0 (relu'(0) = 0 there).
    return Tensor.from_op(out, (t,), lambda g: (g * slope,), "softplus")


def _dispatch(x: Any, tensor_fn: Callable[[Tensor], Tensor], func: str) -> Tensor | Array:
    """Tensor in -> Tensor out (differentiable); array-like in -> ndarray out."""
    if isinstance(x, Tensor):
        return tensor_fn(x)
    return tensor_fn(Tensor(as_float_array(x, func, "x"))).data


@overload
def step(x: Tensor, value_at_zero: float = ...) -> Tensor: ...
@overload
def step(x: ArrayLike, value_at_zero: float = ...) -> Array: ...
def step(x: Any, value_at_zero: float = 0.0) -> Tensor | Array:
    """Heaviside step: 1 where x > 0, 0 where x < 0, ``value_at_zero`` at 0.

    H(x) = 1[x > 0] with the default ``value_at_zero=0``: the convention of
    the perceptron's prediction 1[w·x + b > 0]. A McCulloch-Pitts unit fires
    *at* its threshold, 1[z >= 0]: pass ``value_at_zero=1``. This is
    ``torch.heaviside(x, values=value_at_zero)``.

    Not differentiable: its derivative is 0 wherever it exists (x != 0) and
    undefined at 0, so no gradient signal can pass through it (which is why
    the perceptron has its own learning rule). For a Tensor the result is a
    constant cut from the graph (``requires_grad=False``), like PyTorch's
    comparison operators; PyTorch itself raises "derivative for heaviside is
    not implemented". :func:`activation_derivative` reports 0 everywhere.

    References
    ----------
    McCulloch & Pitts (1943); Rosenblatt (1958).

    Examples
    --------
    >>> step(np.array([-1.0, 0.0, 2.0])).tolist()
    [0.0, 0.0, 1.0]
    >>> step([0.0], value_at_zero=1.0).tolist()
    [1.0]
    >>> step(Tensor([0.5], requires_grad=True)).requires_grad
    False
    """
    v = check_real(value_at_zero, "step", "value_at_zero")
    return _dispatch(x, lambda t: _step_t(t, v), "step")


@overload
def sigmoid(x: Tensor) -> Tensor: ...
@overload
def sigmoid(x: ArrayLike) -> Array: ...
def sigmoid(x: Any) -> Tensor | Array:
    """Logistic sigmoid σ(x) = 1/(1 + e^−x), computed without overflow.

    σ'(x) = σ(x)(1 − σ(x)) <= 1/4, with equality only at 0; tanh x = 2σ(2x) − 1.
    As ``torch.sigmoid``.

    References
    ----------
    Rumelhart, Hinton & Williams (1986); Goodfellow et al. (2016), section 6.3.2.

    Examples
    --------
    >>> sigmoid(np.array([0.0, 2.0, -1000.0])).round(4).tolist()
    [0.5, 0.8808, 0.0]
    """
    return _dispatch(x, Tensor.sigmoid, "sigmoid")


@overload
def tanh(x: Tensor) -> Tensor: ...
@overload
def tanh(x: ArrayLike) -> Array: ...
def tanh(x: Any) -> Tensor | Array:
    """Hyperbolic tangent tanh x = (e^x − e^−x)/(e^x + e^−x).

    tanh'(x) = 1 − tanh² x (1 at 0); tanh x = 2σ(2x) − 1, a sigmoid rescaled to
    (−1, 1) and centred at 0. As ``torch.tanh``.

    References
    ----------
    LeCun, Bottou, Orr & Müller (1998), "Efficient BackProp".

    Examples
    --------
    >>> tanh(np.array([0.0, 1.0])).round(4).tolist()
    [0.0, 0.7616]
    """
    return _dispatch(x, Tensor.tanh, "tanh")


@overload
def relu(x: Tensor) -> Tensor: ...
@overload
def relu(x: ArrayLike) -> Array: ...
def relu(x: Any) -> Tensor | Array:
    """Rectified linear unit relu(x) = max(0, x).

    relu'(x) = 1[x > 0]: the gradient at 0 is 0, as in PyTorch. As
    ``torch.relu``.

    References
    ----------
    Nair & Hinton (2010); Glorot, Bordes & Bengio (2011).

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0])).tolist()
    [0.0, 0.0, 3.0]
    """
    return _dispatch(x, Tensor.relu, "relu")


@overload
def leaky_relu(x: Tensor, negative_slope: float = ...) -> Tensor: ...
@overload
def leaky_relu(x: ArrayLike, negative_slope: float = ...) -> Array: ...
def leaky_relu(x: Any, negative_slope: float = 0.01) -> Tensor | Array:
    """Leaky ReLU: x for x > 0, ``negative_slope``·x otherwise.

    Derivative 1 for x > 0 and ``negative_slope`` for x <= 0 (at 0 too, as in
    PyTorch). As ``torch.nn.functional.leaky_relu``.

    References
    ----------
    Maas, Hannun & Ng (2013), "Rectifier nonlinearities improve neural
    network acoustic models".

    Examples
    --------
    >>> leaky_relu(np.array([-2.0, 3.0]), 0.1).tolist()
    [-0.2, 3.0]
    """
    s = check_real(negative_slope, "leaky_relu", "negative_slope")
    return _dispatch(x, lambda t: t.leaky_relu(s), "leaky_relu")


@overload
def softplus(x: Tensor, beta: float = ..., threshold: float = ...) -> Tensor: ...
@overload
def softplus(x: ArrayLike, beta: float = ..., threshold: float = ...) -> Array: ...
def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor | Array:
    """Softplus (1/β)·log(1 + e^{βx}), a smooth ReLU; linear where βx > threshold.

    As ``torch.nn.functional.softplus``: where β·x > ``threshold`` the result
    is x itself (and the derivative exactly 1). Elsewhere it is computed as
    (max(βx, 0) + log1p(e^{−|βx|}))/β, which neither overflows nor loses the
    small values of very negative x. Derivative σ(βx). ``beta`` must be a
    non-zero finite number.

    References
    ----------
    Dugas, Bengio, Bélisle, Nadeau & Garcia (2001), "Incorporating
    second-order functional knowledge for better option pricing".

    Examples
    --------
    >>> softplus(np.array([-1e4, 0.0, 1e4])).round(4).tolist()
    [0.0, 0.6931, 10000.0]
    """
    b = _beta(beta, "softplus")
    thr = check_real(threshold, "softplus", "threshold")
    return _dispatch(x, lambda t: _softplus_t(t, b, thr), "softplus")


@overload
def identity(x: Tensor) -> Tensor: ...
@overload
def identity(x: ArrayLike) -> Array: ...
def identity(x: Any) -> Tensor | Array:
    """The identity φ(x) = x (derivative 1), as ``torch.nn.Identity``.

    A Tensor is returned as it is (the same object); an array-like becomes a
    float ndarray, without a copy when it already is one.

    Examples
    --------
    >>> identity([1, 2]).tolist()
    [1.0, 2.0]
    """
    if isinstance(x, Tensor):
        return x
    return as_float_array(x, "identity", "x")


ACTIVATIONS: dict[str, Callable[..., Tensor | Array]] = {
    "step": step,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "softplus": softplus,
    "identity": identity,
}
"""Activation functions by name; each takes a Tensor or an array-like."""


def get_activation(name: str, func: str = "get_activation") -> Callable[..., Tensor | Array]:
    """The activation function called ``name`` (a key of :data:`ACTIVATIONS`).

    Examples
    --------
    >>> get_activation("relu")([-1.0, 2.0]).tolist()
    [0.0, 2.0]
    """
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(
            f"{func}: unknown activation {name!r}; expected one of {', '.join(ACTIVATIONS)}"
        )
    return ACTIVATIONS[name]


def activation_derivative(activation: str | Callable[..., Any], x: Any, **params: float) -> Array:
    """The derivative φ'(x) of an elementwise activation, computed by the engine.

    ``x`` becomes a leaf Tensor, φ is applied, and backpropagation from
    ``φ(x)`` with a gradient of ones gives φ'(xᵢ) in every position (the
    Jacobian of an elementwise map is diagonal). The derivatives the book
    plots are therefore those that train its networks, kinks included:
    relu'(0) = 0, leaky_relu'(0) = negative_slope. A function whose result is
    cut from the graph (:func:`step`) has derivative 0.

    Parameters
    ----------
    activation : str or callable
        A name from :data:`ACTIVATIONS`, or an elementwise function taking a
        Tensor and returning a Tensor of the same shape.
    x : array-like
        Where to evaluate; float32 stays float32.
    **params
        Passed on, e.g. ``negative_slope=0.1`` or ``beta=2``.

    Returns
    -------
    ndarray shaped like ``x``.

    References
    ----------
    Griewank & Walther (2008), *Evaluating Derivatives*, chapter 3.

    Examples
    --------
    >>> activation_derivative("sigmoid", [0.0]).tolist()
    [0.25]
    >>> activation_derivative("relu", [-1.0, 0.0, 1.0]).tolist()
    [0.0, 0.0, 1.0]
    >>> activation_derivative("leaky_relu", [-1.0, 0.0], negative_slope=0.1).tolist()
    [0.1, 0.1]
    """
    func = "activation_derivative"
    fn = activation if callable(activation) else get_activation(activation, func)
    if not is_grad_enabled():
        raise RuntimeError(f"{func}: cannot differentiate inside no_grad()")
    xs = as_float_array(x, func, "x")
    leaf = Tensor(np.array(xs, copy=True), requires_grad=True)
    out = fn(leaf, **params)
    if not isinstance(out, Tensor) or out.shape != leaf.shape:
        raise TypeError(
            f"{func}: argument 'activation' must map a Tensor to a Tensor of the same shape "
            f"{leaf.shape}, got {type(out).__name__} of shape {np.shape(getattr(out, 'data', out))}"
        )
    if not out.requires_grad:
        return np.zeros_like(xs)
    out.backward(np.ones_like(out.data))
    assert leaf.grad is not None  # the leaf is on the graph that out depends on
    return np.array(leaf.grad, copy=True)


class _Activation(Module):
    """An activation function as a module: no parameters."""

    def _input(self, x: Any) -> Tensor:
        if isinstance(x, Tensor):  # the common case, before any message is formatted
            return x
        return _as_tensor(x, f"{type(self).__name__}.forward")


class Step(_Activation):
    """Heaviside step as a module; see :func:`step` (not differentiable).

    Examples
    --------
    >>> Step()(np.array([-1.0, 0.0, 1.0]))
    Tensor([0., 0., 1.])
    """

    def __init__(self, value_at_zero: float = 0.0) -> None:
        self.value_at_zero = check_real(value_at_zero, "Step", "value_at_zero")

    def forward(self, x: Any) -> Tensor:
        """H(x) with H(0) = value_at_zero; a constant Tensor."""
        return _step_t(self._input(x), self.value_at_zero)

    def extra_repr(self) -> str:
        return f"value_at_zero={self.value_at_zero}"


class Sigmoid(_Activation):
    """σ(x) = 1/(1 + e^−x) as a module, as ``torch.nn.Sigmoid``; see :func:`sigmoid`.

    Examples
    --------
    >>> Sigmoid()(np.zeros(2))
    Tensor([0.5, 0.5])
    """

    def forward(self, x: Any) -> Tensor:
        """σ(x)."""
        return self._input(x).sigmoid()


class Tanh(_Activation):
    """tanh as a module, as ``torch.nn.Tanh``; see :func:`tanh`.

    Examples
    --------
    >>> Tanh()(np.zeros(2))
    Tensor([0., 0.])
    """

    def forward(self, x: Any) -> Tensor:
        """tanh x."""
        return self._input(x).tanh()


class ReLU(_Activation):
    """max(0, x) as a module, as ``torch.nn.ReLU`` (Nair & Hinton 2010); see :func:`relu`.

    Examples
    --------
    >>> ReLU()(np.array([-1.0, 2.0]))
    Tensor([0., 2.])
    """

    def forward(self, x: Any) -> Tensor:
        """max(0, x)."""
        return self._input(x).relu()


class LeakyReLU(_Activation):
    """Leaky ReLU as a module, as ``torch.nn.LeakyReLU`` (Maas et al. 2013).

    x for x > 0, ``negative_slope``·x otherwise; see :func:`leaky_relu`.

    Examples
    --------
    >>> LeakyReLU(0.1)(np.array([-1.0, 2.0]))
    Tensor([-0.1,  2. ])
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        self.negative_slope = check_real(negative_slope, "LeakyReLU", "negative_slope")

    def forward(self, x: Any) -> Tensor:
        """x if x > 0 else negative_slope·x."""
        return self._input(x).leaky_relu(self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Softplus(_Activation):
    """Softplus as a module, as ``torch.nn.Softplus`` (Dugas et al. 2001).

    (1/β)·log(1 + e^{βx}), and x where βx > threshold; see :func:`softplus`.

    Examples
    --------
    >>> Softplus()(np.zeros(1)).data.round(4)
    array([0.6931])
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        self.beta = _beta(beta, "Softplus")
        self.threshold = check_real(threshold, "Softplus", "threshold")

    def forward(self, x: Any) -> Tensor:
        """(1/β)·log(1 + e^(βx)), x above the threshold."""
        return _softplus_t(self._input(x), self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Identity(_Activation):
    """φ(x) = x as a module, as ``torch.nn.Identity``: a Tensor passes unchanged.

    Examples
    --------
    >>> t = Tensor([1.0])
    >>> Identity()(t) is t
    True
    """

    def forward(self, x: Any) -> Tensor:
        """x itself."""
        return self._input(x)


_ACTIVATION_MODULES: dict[str, type[_Activation]] = {
    "step": Step,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "softplus": Softplus,
    "identity": Identity,
}


def _activation_module(activation: Any, func: str, arg: str = "activation") -> Module:
    """A name from ACTIVATIONS (module with default parameters) or a Module instance."""
    if isinstance(activation, Module):
        return activation
    if isinstance(activation, str) and activation in _ACTIVATION_MODULES:
        return _ACTIVATION_MODULES[activation]()
    raise ValueError(
        f"{func}: argument '{arg}' must be a Module or one of "
        f"{', '.join(_ACTIVATION_MODULES)}; got {activation!r}"
    )
