"""The artificial neuron and what the neuron chapter needs beyond PyTorch.

A neuron computes a weighted sum of its inputs plus a bias and passes it
through an activation function::

    z = w · x + b,        a = φ(z).

It stores nothing between calls: what it has learned lives in ``w`` and ``b``.
Here: :class:`Neuron`, the Heaviside :func:`step` (and its module
:class:`Step`) of the McCulloch–Pitts unit and the perceptron, the
:func:`identity`, the activations by name (:data:`ACTIVATIONS`) and
:func:`activation_derivative`, which differentiates them with the engine.
The activations PyTorch has are in :mod:`nnbook.nn.functional` and
:mod:`nnbook.nn`.

References
----------
McCulloch & Pitts (1943); Rosenblatt (1958); Goodfellow, Bengio & Courville,
*Deep Learning* (2016), chapter 6.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from nnbook._tensor import Tensor, _as_tensor, is_grad_enabled
from nnbook._util import RngLike, as_float_array, as_rng, check_float_dtype, check_int, check_real
from nnbook.nn import Module
from nnbook.nn import functional as F
from nnbook.nn._activation import _activation_module as _nn_activation_module
from nnbook.nn._layers import (
    InitLike,
    _array_copy,
    _check_last_dim,
    _default_linear_init,
    _initial_weight,
    _layer_input,
)
from nnbook.nn.functional import _dispatch

__all__ = [
    "ACTIVATIONS",
    "Neuron",
    "Step",
    "activation_derivative",
    "get_activation",
    "identity",
    "step",
]

Array = np.ndarray


def _step_t(t: Tensor, value_at_zero: float = 0.0) -> Tensor:
    x = t.data
    out = np.where(x > 0, 1.0, np.where(x == 0, value_at_zero, 0.0)).astype(x.dtype)
    # A constant: no gradient flows through a step (see `step`).
    return Tensor(out)


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
    "sigmoid": F.sigmoid,
    "tanh": F.tanh,
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,
    "softplus": F.softplus,
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


class Step(Module):
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
        return _step_t(_as_tensor(x, "Step.forward", "x"), self.value_at_zero)

    def extra_repr(self) -> str:
        return f"value_at_zero={self.value_at_zero}"


def _activation_module(activation: Any, func: str, arg: str = "activation") -> Module:
    """A name from ACTIVATIONS (a module with default parameters) or a Module instance."""
    if activation == "step":
        return Step()
    return _nn_activation_module(activation, func, arg)


class Neuron(Module):
    """One artificial neuron: a = φ(w · x + b).

    The weighted sum of the inputs plus a bias (not an average: the weights
    are not normalised and may be negative), passed through the activation φ.
    It keeps no state between calls.

    Parameters
    ----------
    n_inputs : int
        Number of inputs (positive).
    activation : str or Module, default "tanh"
        A name from :data:`ACTIVATIONS` or an activation module.
    rng : numpy.random.Generator or int
        Source of the initial weights (keyword only, required).
    init : None, str or callable, default None
        As in :class:`~nnbook.nn.Linear`: None draws w and b from U(−1/√n, 1/√n), the
        same numbers ``Linear(n_inputs, 1, rng=...)`` draws; otherwise ``init``
        sets w (viewed as a (1, n_inputs) weight) and b starts at 0.
    dtype : float dtype, default float64

    Attributes
    ----------
    w : Tensor, shape (n_inputs,)
    b : Tensor, shape ()
    activation : Module

    References
    ----------
    McCulloch & Pitts (1943); Rosenblatt (1958); Goodfellow et al. (2016),
    section 6.1.

    Examples
    --------
    >>> n = Neuron.from_weights([2.0, -1.0], 0.5, activation="relu")
    >>> n.pre_activation(np.array([1.0, 1.0])).item()  # 2 − 1 + 0.5
    1.5
    >>> n(np.array([[1.0, 1.0], [0.0, 1.0]])).data.tolist()  # relu(1.5), relu(−0.5)
    [1.5, 0.0]
    """

    w: Tensor
    b: Tensor

    def __init__(
        self,
        n_inputs: int,
        activation: str | Module = "tanh",
        *,
        rng: RngLike,
        init: InitLike = None,
        dtype: DTypeLike = np.float64,
    ) -> None:
        func = "Neuron"
        n = check_int(n_inputs, func, "n_inputs", 1)
        act = _activation_module(activation, func)
        dt = check_float_dtype(dtype, func)
        gen = as_rng(rng, func)
        if init is None:
            w, b = _default_linear_init(n, 1, gen, dt)
        else:
            w, b = _initial_weight(init, (1, n), gen, dt, func), np.zeros(1, dtype=dt)
        self._set(w.reshape(n), b.reshape(()), act)

    def _set(self, w: Array, b: Array, activation: Module) -> None:
        self.n_inputs = int(w.shape[0])
        self.w = Tensor(w, requires_grad=True, name="w")
        self.b = Tensor(b, requires_grad=True, name="b")
        self.activation = activation

    @classmethod
    def from_weights(cls, w: Any, b: float = 0.0, activation: str | Module = "tanh") -> Neuron:
        """A neuron with hand-set weights ``w`` (n,) and bias ``b`` (copied).

        Examples
        --------
        >>> Neuron.from_weights([1.0, 1.0], -1.5, "step")(np.array([1.0, 1.0])).item()
        1.0
        """
        func = "Neuron.from_weights"
        warr = _array_copy(w, func, "w")
        if warr.ndim != 1 or warr.size == 0:
            raise ValueError(
                f"{func}: argument 'w' must be a non-empty 1-D array, got {warr.shape}"
            )
        barr = np.array(check_real(b, func, "b"), dtype=warr.dtype)
        neuron = cls.__new__(cls)
        neuron._set(warr, barr, _activation_module(activation, func))
        return neuron

    def _z(self, x: Any, func: str) -> Tensor:
        t = _layer_input(x, self.w.dtype, func)
        _check_last_dim(t, self.n_inputs, func, "n_inputs")
        return t @ self.w + self.b

    def pre_activation(self, x: Any) -> Tensor:
        """z = x · w + b for x of shape (n_inputs,) -> () or (batch, n_inputs) -> (batch,)."""
        return self._z(x, "Neuron.pre_activation")

    def forward(self, x: Any) -> Tensor:
        """a = φ(z) with z = :meth:`pre_activation` (x)."""
        return self.activation(self._z(x, "Neuron.forward"))

    def extra_repr(self) -> str:
        return f"n_inputs={self.n_inputs}, activation={self.activation!r}"
