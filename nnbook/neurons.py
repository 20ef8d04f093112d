"""Neurons, layers and activation functions (chapter 1).

A neuron computes a weighted sum of its inputs plus a bias and passes it
through an activation function::

    z = w · x + b,        a = φ(z).

It stores nothing between calls: what it has learned lives in ``w`` and ``b``.
A layer is many neurons side by side, with PyTorch's layout: the weight is
``(out_features, in_features)`` and a batch holds one example per row, so a
layer computes ``x @ W.T + b`` (the book's column form z = Wx + b).

The activations take a :class:`~nnbook.autograd.Tensor` (and return a Tensor,
differentiable through the engine) or an array-like (and return an ndarray).
:func:`activation_derivative` differentiates them *with the engine*, so the
derivatives the book plots come from the same backward code that trains its
networks.

The two historical units are here too: the McCulloch-Pitts threshold unit
(1943, fixed weights) and Rosenblatt's perceptron learning rule (1958).

References
----------
McCulloch & Pitts (1943); Rosenblatt (1958); Novikoff (1962); Minsky & Papert
(1969); Nair & Hinton (2010); Goodfellow, Bengio & Courville, *Deep Learning*
(2016), chapter 6.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from nnbook import init as _init
from nnbook._util import (
    RngLike,
    as_float_array,
    as_rng,
    check_float_dtype,
    check_int,
    check_positive,
    check_real,
)
from nnbook.autograd import Tensor, _linear, is_grad_enabled, linear

__all__ = [
    "ACTIVATIONS",
    "INITIALIZERS",
    "MLP",
    "ForwardTrace",
    "Identity",
    "LeakyReLU",
    "Linear",
    "McCullochPitts",
    "Module",
    "Neuron",
    "PerceptronResult",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softplus",
    "Step",
    "Tanh",
    "activation_derivative",
    "get_activation",
    "identity",
    "leaky_relu",
    "mcp_and",
    "mcp_not",
    "mcp_or",
    "perceptron_train",
    "relu",
    "sigmoid",
    "softplus",
    "step",
    "tanh",
]

Array = np.ndarray
InitLike = str | Callable[..., Array] | None


# --------------------------------------------------------------------------- argument checks


def _beta(value: Any, func: str) -> float:
    """Softplus's β: finite and non-zero (1/β scales the result)."""
    b = check_real(value, func, "beta")
    if b == 0:
        raise ValueError(f"{func}: argument 'beta' must be non-zero, got {b}")
    return b


def _as_tensor(x: Any, func: str) -> Tensor:
    """Tensors pass through (keeping their graph); array-likes become constant tensors."""
    return x if isinstance(x, Tensor) else Tensor(as_float_array(x, func, "x"))


def _array_copy(x: Any, func: str, arg: str) -> Array:
    """A float copy of an array-like or of a Tensor's values (hand-set weights)."""
    return np.array(as_float_array(x.data if isinstance(x, Tensor) else x, func, arg), copy=True)


def _layer_input(x: Any, dtype: np.dtype[Any], func: str) -> Tensor:
    """The input of a layer whose parameters have ``dtype``.

    As in PyTorch, a float tensor or array of another float dtype is refused
    (no silent up- or down-cast); lists, Python numbers and integer arrays
    carry no float dtype of their own and are converted to the layer's.
    """
    if isinstance(x, Tensor):
        got = x.dtype
    elif isinstance(x, np.ndarray) and x.dtype.kind == "f":
        got = x.dtype
    else:
        return Tensor(as_float_array(x, func, "x").astype(dtype, copy=False))
    if got != dtype:
        raise TypeError(
            f"{func}: argument 'x' has dtype {got} but the layer's parameters are {dtype} "
            f"(as in PyTorch, dtypes are not mixed; convert x or build the layer with "
            f"dtype={got})"
        )
    return x if isinstance(x, Tensor) else Tensor(x)


def _check_last_dim(t: Tensor, expected: int, func: str, what: str) -> None:
    if t.ndim == 0 or t.shape[-1] != expected:
        raise ValueError(
            f"{func}: argument 'x' must have last dimension {what}={expected}, got shape {t.shape}"
        )


# --------------------------------------------------------------------------- activations


def _np_sigmoid(u: Array) -> Array:
    """σ(u) without overflow: e^u/(1 + e^u) for u < 0, 1/(1 + e^−u) otherwise."""
    e = np.exp(-np.abs(u))
    return (np.where(u >= 0, 1.0, e) / (1.0 + e)).astype(u.dtype, copy=False)


def _step_t(t: Tensor, value_at_zero: float = 0.0) -> Tensor:
    x = t.data
    out = np.where(x > 0, 1.0, np.where(x == 0, value_at_zero, 0.0)).astype(x.dtype)
    # A constant: no gradient flows through a step (see `step`).
    return Tensor(out)


def _softplus_t(t: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    x = t.data
    u = x * beta
    linear = u > threshold
    # log(1 + e^u) = max(u, 0) + log1p(e^−|u|): e^−|u| <= 1 never overflows, and
    # log1p keeps the tiny values of very negative u exact.
    smooth = (np.maximum(u, 0) + np.log1p(np.exp(-np.abs(u)))) / beta
    out = np.where(linear, x, smooth).astype(x.dtype, copy=False)
    slope = np.where(linear, 1.0, _np_sigmoid(u)).astype(x.dtype, copy=False)
    # One recorded node (through the engine's own constructor, Tensor._make) with its
    # exact derivative: d/dx (1/β)log(1 + e^{βx}) = σ(βx), and 1 above the threshold,
    # as torch's softplus_backward. Composing public ops would lose either log1p's
    # accuracy or the derivative 1/2 at 0 (relu'(0) = |x|'(0) = 0 there).
    return Tensor._make(out, (t,), "softplus", lambda g: (g * slope,))


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


# --------------------------------------------------------------------------- modules


class Module:
    """Base class of layers and networks, as ``torch.nn.Module`` (much reduced).

    A subclass stores its parameters as public :class:`Tensor` attributes and
    its sub-modules as public :class:`Module` attributes (or lists of them);
    :meth:`parameters` finds both recursively. Calling a module runs
    :meth:`forward`.

    Examples
    --------
    >>> class Scale(Module):
    ...     def __init__(self) -> None:
    ...         self.k = Tensor(2.0, requires_grad=True)
    ...     def forward(self, x: Any) -> Tensor:
    ...         return self.k * x
    >>> m = Scale()
    >>> m(Tensor([1.0, 3.0])), len(m.parameters())
    (Tensor([2., 6.], requires_grad=True, op='mul'), 1)
    """

    def forward(self, *args: Any, **kwargs: Any) -> Tensor:
        """The computation; subclasses override it."""
        raise NotImplementedError(f"{type(self).__name__}.forward is not implemented")

    def __call__(self, *args: Any, **kwargs: Any) -> Tensor:
        return self.forward(*args, **kwargs)

    def _members(self) -> Iterator[tuple[str, Any]]:
        for name, value in vars(self).items():
            if name.startswith("_"):
                continue
            if isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    yield f"{name}.{i}", item
            else:
                yield name, value

    def named_parameters(self) -> list[tuple[str, Tensor]]:
        """(dotted name, parameter) pairs, depth first, each parameter once.

        Examples
        --------
        >>> [name for name, _ in Linear(2, 3, rng=0).named_parameters()]
        ['weight', 'bias']
        """
        out: list[tuple[str, Tensor]] = []
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [("", self)]
        visited: set[int] = set()
        while stack:
            prefix, module = stack.pop()
            if id(module) in visited:
                continue
            visited.add(id(module))
            children = []
            for name, value in module._members():
                if isinstance(value, Tensor) and id(value) not in seen:
                    seen.add(id(value))
                    out.append((prefix + name, value))
                elif isinstance(value, Module):
                    children.append((prefix + name + ".", value))
            stack.extend(reversed(children))
        return out

    def parameters(self) -> list[Tensor]:
        """The parameters of this module and its sub-modules, each once.

        Examples
        --------
        >>> sum(p.size for p in Linear(3, 2, rng=0).parameters())  # 2·3 weights + 2 biases
        8
        """
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``grad = None``), as PyTorch's default.

        Examples
        --------
        >>> layer = Linear(2, 1, rng=0)
        >>> layer(np.ones((1, 2))).sum().backward()
        >>> layer.zero_grad()
        >>> layer.weight.grad is None
        True
        """
        for p in self.parameters():
            p.grad = None

    def extra_repr(self) -> str:
        """The arguments shown between the parentheses of ``repr``."""
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


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


# --------------------------------------------------------------------------- initialization


def _zeros_init(shape: tuple[int, ...], *, rng: Any, dtype: Any) -> Array:
    return _init.zeros(shape, dtype=dtype)


def _ones_init(shape: tuple[int, ...], *, rng: Any, dtype: Any) -> Array:
    return _init.ones(shape, dtype=dtype)


INITIALIZERS: dict[str, Callable[..., Array]] = {
    "xavier_uniform": _init.xavier_uniform,
    "xavier_normal": _init.xavier_normal,
    "kaiming_uniform": _init.kaiming_uniform,
    "kaiming_normal": _init.kaiming_normal,
    "lecun_uniform": _init.lecun_uniform,
    "lecun_normal": _init.lecun_normal,
    "orthogonal": _init.orthogonal,
    "normal": _init.normal,
    "uniform": _init.uniform,
    "zeros": _zeros_init,
    "ones": _ones_init,
}
"""Weight initializers accepted by name in ``init=``: :mod:`nnbook.init` with its
(PyTorch's) default arguments. For other arguments pass a callable, e.g.
``functools.partial(nnbook.init.kaiming_normal, nonlinearity="relu")``."""


def _initial_weight(
    init: InitLike, shape: tuple[int, ...], gen: np.random.Generator, dt: np.dtype[Any], func: str
) -> Array:
    """Weights of ``shape`` from a name in INITIALIZERS or a callable(shape, *, rng, dtype)."""
    if isinstance(init, str):
        if init not in INITIALIZERS:
            raise ValueError(
                f"{func}: unknown initializer init={init!r}; expected a callable or one of "
                f"{', '.join(INITIALIZERS)}"
            )
        fn = INITIALIZERS[init]
    elif callable(init):
        fn = init
    else:
        raise TypeError(
            f"{func}: argument 'init' must be None, a name or a callable "
            f"(shape, *, rng, dtype) -> ndarray, got {type(init).__name__}"
        )
    w = as_float_array(fn(shape, rng=gen, dtype=dt), func, "init(...)")
    if w.shape != shape:
        raise ValueError(
            f"{func}: argument 'init' returned an array of shape {w.shape}, expected {shape}"
        )
    return w.astype(dt, copy=False)


def _default_linear_init(
    in_features: int, out_features: int, gen: np.random.Generator, dt: np.dtype[Any]
) -> tuple[Array, Array]:
    """PyTorch's ``nn.Linear.reset_parameters``: weight first, then bias, one stream."""
    # kaiming_uniform with a = √5: gain √(2/(1 + 5)) = 1/√3, bound √3·gain/√fan_in = 1/√fan_in.
    w = _init.kaiming_uniform((out_features, in_features), a=math.sqrt(5), rng=gen, dtype=dt)
    bound = 1.0 / math.sqrt(in_features)
    b = _init.uniform((out_features,), -bound, bound, rng=gen, dtype=dt)
    return w, b


# --------------------------------------------------------------------------- layers


class Linear(Module):
    """A fully connected layer y = x Wᵀ + b, as ``torch.nn.Linear``.

    Parameters
    ----------
    in_features, out_features : int
        Positive widths; the weight has PyTorch's shape (out_features, in_features).
    bias : bool, default True
        Whether to add a learned bias of shape (out_features,).
    rng : numpy.random.Generator or int
        Source of the initial weights (keyword only, required).
    dtype : float dtype, default float64
        Dtype of the parameters; inputs must have the same float dtype.
    init : None, str or callable, default None
        None gives PyTorch's default: W ~ U(−1/√in, 1/√in) (drawn as
        ``kaiming_uniform(a=√5)``, which is that distribution) and then
        b ~ U(−1/√in, 1/√in). Otherwise ``init`` sets the weight: a name
        from :data:`INITIALIZERS` or a callable ``(shape, *, rng, dtype)``;
        the bias then starts at zero (the usual companion of a named scheme,
        as in Glorot & Bengio 2010 and He et al. 2015).

    Attributes
    ----------
    weight : Tensor, shape (out_features, in_features)
    bias : Tensor of shape (out_features,), or None

    Notes
    -----
    The default is not Xavier initialization: U(±1/√n) has n·Var(w) = 1/3,
    the older heuristic Glorot & Bengio (2010) compare against.

    References
    ----------
    As ``torch.nn.Linear``; Rosenblatt (1958); Glorot & Bengio (2010).

    Examples
    --------
    >>> layer = Linear(3, 2, rng=0)
    >>> layer.weight.shape, layer.bias.shape, layer(np.ones((5, 3))).shape
    ((2, 3), (2,), (5, 2))
    >>> bool(np.abs(layer.weight.data).max() <= 1 / np.sqrt(3))
    True
    """

    weight: Tensor
    bias: Tensor | None

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        *,
        rng: RngLike,
        dtype: DTypeLike = np.float64,
        init: InitLike = None,
    ) -> None:
        func = "Linear"
        n_in = check_int(in_features, func, "in_features", 1)
        n_out = check_int(out_features, func, "out_features", 1)
        if not isinstance(bias, (bool, np.bool_)):
            raise TypeError(f"{func}: argument 'bias' must be a bool, got {bias!r}")
        dt = check_float_dtype(dtype, func)
        gen = as_rng(rng, func)
        if init is None:
            w, b = _default_linear_init(n_in, n_out, gen, dt)
        else:
            w = _initial_weight(init, (n_out, n_in), gen, dt, func)
            b = np.zeros(n_out, dtype=dt)
        self._set(w, b if bias else None)

    def _set(self, weight: Array, bias: Array | None) -> None:
        self.in_features = int(weight.shape[1])
        self.out_features = int(weight.shape[0])
        self.weight = Tensor(weight, requires_grad=True, name="weight")
        self.bias = None if bias is None else Tensor(bias, requires_grad=True, name="bias")

    @classmethod
    def from_weights(cls, weight: Any, bias: Any = None) -> Linear:
        """A layer with the given weight (out, in) and bias (out,), e.g. set by hand.

        The arrays are copied; their float dtype (float64 for ints and lists)
        is the layer's. ``bias=None`` gives a layer without bias.

        Examples
        --------
        >>> layer = Linear.from_weights([[1.0, 2.0]], [0.5])
        >>> layer(np.array([[1.0, 1.0]]))
        Tensor([[3.5]], requires_grad=True, op='linear')
        """
        func = "Linear.from_weights"
        w = _array_copy(weight, func, "weight")
        if w.ndim != 2 or 0 in w.shape:
            raise ValueError(
                f"{func}: argument 'weight' must be a non-empty 2-D array "
                f"(out_features, in_features), got shape {w.shape}"
            )
        b = None
        if bias is not None:
            b = _array_copy(bias, func, "bias").astype(w.dtype)
            if b.shape != (w.shape[0],):
                raise ValueError(
                    f"{func}: argument 'bias' must have shape ({w.shape[0]},) to match "
                    f"weight {w.shape}, got {b.shape}"
                )
        layer = cls.__new__(cls)
        layer._set(w, b)
        return layer

    def forward(self, x: Any) -> Tensor:
        """x @ Wᵀ + b for x of shape (..., in_features) -> (..., out_features)."""
        w, b = self.weight, self.bias
        wd = w.data
        is_tensor = isinstance(x, Tensor)
        xd = x.data if is_tensor else x
        # The common case (a Tensor or an ndarray of the layer's dtype and width, the
        # layer's own parameter shapes) is checked here, on the arrays, once; anything
        # else goes through linear's checks and the full input conversion.
        if (
            isinstance(xd, np.ndarray)
            and xd.dtype == wd.dtype
            and xd.ndim
            and xd.shape[-1] == wd.shape[1] == self.in_features
            and (b is None or b.data.shape == (wd.shape[0],))
        ):
            return _linear(x if is_tensor else Tensor._constant(xd), w, b)  # one node: x @ Wᵀ + b
        t = _layer_input(x, w.data.dtype, "Linear.forward")
        _check_last_dim(t, self.in_features, "Linear.forward", "in_features")
        return linear(t, w, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


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
        As in :class:`Linear`: None draws w and b from U(−1/√n, 1/√n), the
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


class Sequential(Module):
    """Modules applied one after another, as ``torch.nn.Sequential``.

    ``Sequential(f, g, h)(x) = h(g(f(x)))``; an empty one is the identity.

    Examples
    --------
    >>> net = Sequential(Linear(2, 4, rng=0), ReLU(), Linear(4, 1, rng=1))
    >>> net(np.zeros((3, 2))).shape, len(net), len(net.parameters())
    ((3, 1), 3, 4)
    """

    layers: list[Module]

    def __init__(self, *layers: Module) -> None:
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(
                    f"{type(self).__name__}: argument layers[{i}] must be a Module, "
                    f"got {type(layer).__name__}"
                )
        self.layers = list(layers)

    def forward(self, x: Any) -> Tensor:
        """Apply each layer in turn."""
        h = x
        for layer in self.layers:
            h = layer.forward(h)  # what calling the layer does, one call fewer
        return h if isinstance(h, Tensor) else _as_tensor(h, f"{type(self).__name__}.forward")

    def __len__(self) -> int:
        return len(self.layers)

    @overload
    def __getitem__(self, i: int) -> Module: ...
    @overload
    def __getitem__(self, i: slice) -> Sequential: ...
    def __getitem__(self, i: int | slice) -> Module | Sequential:
        """One layer, or a slice of layers as a new Sequential (sharing them), as torch."""
        if isinstance(i, slice):
            return Sequential(*self.layers[i])
        return self.layers[i]

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"{type(self).__name__}({inner}\n)" if inner else f"{type(self).__name__}()"


@dataclass(eq=False)
class ForwardTrace:
    """Every layer's pre-activation z^l and activation a^l from one forward pass.

    The tensors stay on the graph: after ``loss.backward()`` each ``z^l.grad``
    holds δ^l = ∂loss/∂z^l (the engine keeps the gradients of interior
    nodes), what the initialization and chain-rule chapters plot per layer.

    Attributes
    ----------
    pre_activations : list of Tensor
        z^1, ..., z^L (the outputs of the Linear layers).
    activations : list of Tensor
        a^1, ..., a^L (after each activation; a^L = z^L when the last layer
        has no output activation).
    """

    pre_activations: list[Tensor]
    activations: list[Tensor]

    @property
    def output(self) -> Tensor:
        """a^L, the network's output."""
        return self.activations[-1]

    def deltas(self) -> list[Array]:
        """δ^l = ∂loss/∂z^l for every layer, after a backward pass (copies).

        Examples
        --------
        >>> net = MLP([2, 3, 1], activation="tanh", rng=0)
        >>> tr = net.forward_trace(np.ones((4, 2)))
        >>> tr.output.sum().backward()
        >>> [d.shape for d in tr.deltas()]
        [(4, 3), (4, 1)]
        """
        out = []
        for i, z in enumerate(self.pre_activations):
            if z.grad is None:
                raise RuntimeError(
                    f"ForwardTrace.deltas: layer {i + 1} has no gradient; call backward() on "
                    "a scalar computed from trace.output first"
                )
            out.append(np.array(z.grad, copy=True))
        return out


class MLP(Sequential):
    """A multilayer perceptron: Linear layers with an activation between them.

    For ``sizes = [n₀, n₁, ..., n_L]`` the network is
    Linear(n₀, n₁), φ, Linear(n₁, n₂), φ, ..., Linear(n_{L−1}, n_L), then
    ``output_activation`` if one is given: z^l = a^{l−1} W_lᵀ + b_l,
    a^l = φ(z^l). Without an activation the layers would collapse into a
    single affine map, W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂).

    Parameters
    ----------
    sizes : sequence of int
        At least two positive widths: input, hidden..., output.
    activation : str or Module, default "relu"
        The hidden activation, a name from :data:`ACTIVATIONS` or a module.
    init : None, str or callable, default None
        As in :class:`Linear`, for every layer (None: PyTorch's default;
        otherwise weights from ``init`` and zero biases).
    rng : numpy.random.Generator or int
        Keyword only, required; the layers draw from it in order.
    dtype : float dtype, default float64
    output_activation : None, str or Module
        Applied after the last layer; None leaves the output linear.
    bias : bool, default True

    References
    ----------
    Rumelhart, Hinton & Williams (1986); Cybenko (1989); Hornik, Stinchcombe &
    White (1989); Goodfellow et al. (2016), chapter 6.

    Examples
    --------
    >>> net = MLP([2, 8, 8, 1], activation="tanh", rng=0)
    >>> net(np.zeros((5, 2))).shape, len(net.linears), len(net.parameters())
    ((5, 1), 3, 6)
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Module = "relu",
        init: InitLike = None,
        *,
        rng: RngLike,
        dtype: DTypeLike = np.float64,
        output_activation: str | Module | None = None,
        bias: bool = True,
    ) -> None:
        func = "MLP"
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
            raise ValueError(
                f"{func}: argument 'sizes' must be a sequence of at least 2 positive ints "
                f"(input width, ..., output width), got {sizes!r}"
            )
        widths = [check_int(s, func, f"sizes[{i}]", 1) for i, s in enumerate(sizes)]
        _activation_module(activation, func)  # fail early on a bad name
        gen = as_rng(rng, func)
        layers: list[Module] = []
        for n_in, n_out in itertools.pairwise(widths):
            layers.append(Linear(n_in, n_out, bias, rng=gen, dtype=dtype, init=init))
            layers.append(_activation_module(activation, func))
        layers.pop()  # no activation after the last Linear ...
        if output_activation is not None:  # ... unless asked for
            layers.append(_activation_module(output_activation, func, "output_activation"))
        super().__init__(*layers)
        self.sizes = widths

    @property
    def linears(self) -> list[Linear]:
        """The Linear layers, first to last."""
        return [m for m in self.layers if isinstance(m, Linear)]

    def forward_trace(self, x: Any) -> ForwardTrace:
        """Forward pass that keeps every layer's z^l and a^l (see :class:`ForwardTrace`).

        Examples
        --------
        >>> net = MLP([4, 16, 16, 2], activation="relu", rng=0)
        >>> tr = net.forward_trace(np.ones((10, 4)))
        >>> [a.shape for a in tr.activations], bool((tr.activations[0].data >= 0).all())
        ([(10, 16), (10, 16), (10, 2)], True)
        """
        pre: list[Tensor] = []
        post: list[Tensor] = []
        h: Any = x
        for layer in self.layers:
            h = layer(h)
            if isinstance(layer, Linear):
                pre.append(h)
                post.append(h)
            else:
                post[-1] = h
        return ForwardTrace(pre, post)


# --------------------------------------------------------------------------- the perceptron


@dataclass(frozen=True, eq=False)
class PerceptronResult:
    """What :func:`perceptron_train` returns.

    Attributes
    ----------
    w : ndarray, shape (d,)
        Final weights.
    b : float
        Final bias.
    mistakes : ndarray of int, shape (epochs,)
        Number of updates (misclassified examples) in each epoch.
    converged : bool
        An epoch passed without a mistake: every example is classified.
    cycling : bool
        The state (w, b) at the end of an epoch repeated an earlier one while
        mistakes were still made: the rule would loop forever (the data are
        not linearly separable, e.g. XOR).
    cycle_start : int or None
        With ``cycling``, the epoch count after which the repeated state was
        first seen (0 = the initial state); ``epochs − cycle_start`` is the
        period.
    w_history : ndarray, shape (epochs + 1, d)
        The weights initially and after each epoch.
    b_history : ndarray, shape (epochs + 1,)
        The bias initially and after each epoch.
    """

    w: Array
    b: float
    mistakes: Array
    converged: bool
    cycling: bool
    cycle_start: int | None
    w_history: Array
    b_history: Array

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.mistakes)

    @property
    def n_updates(self) -> int:
        """Total number of updates (mistakes) over all epochs."""
        return int(self.mistakes.sum())

    def predict(self, X: Any) -> Array:
        """ŷ = 1[X w + b > 0] with the final weights, as 0.0/1.0 floats."""
        x = as_float_array(X, "PerceptronResult.predict", "X")
        return (x @ self.w + self.b > 0).astype(np.float64)


def _perceptron_inputs(
    X: Any, y: Any, lr: Any, max_epochs: Any, w0: Any, b0: Any
) -> tuple[Array, Array, float, int, Array, float]:
    func = "perceptron_train"
    x = as_float_array(X, func, "X")
    if x.ndim != 2 or 0 in x.shape:
        raise ValueError(
            f"{func}: argument 'X' must be a non-empty 2-D array (n, d), got {x.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{func}: argument 'X' must be finite")
    labels = as_float_array(y, func, "y")
    if labels.shape != (x.shape[0],):
        raise ValueError(
            f"{func}: argument 'y' must have shape ({x.shape[0]},) to match X {x.shape}, "
            f"got {labels.shape}"
        )
    if not np.all((labels == 0) | (labels == 1)):
        bad = np.unique(labels[(labels != 0) & (labels != 1)])[:5]
        raise ValueError(
            f"{func}: argument 'y' must hold labels 0 and 1 only (not −1/+1), "
            f"got values such as {bad.tolist()}"
        )
    eta = check_positive(lr, func, "lr")
    epochs = check_int(max_epochs, func, "max_epochs", 1)
    if w0 is None:
        w = np.zeros(x.shape[1], dtype=x.dtype)
    else:
        w = np.array(as_float_array(w0, func, "w0"), dtype=x.dtype, copy=True)
        if w.shape != (x.shape[1],) or not np.all(np.isfinite(w)):
            raise ValueError(
                f"{func}: argument 'w0' must be finite with shape ({x.shape[1]},), got {w.shape}"
            )
    return x, labels.astype(x.dtype), eta, epochs, w, check_real(b0, func, "b0")


def _state_key(w: Array, b: float) -> tuple[bytes, float]:
    # + 0.0 turns −0.0 into 0.0, so equal states have equal bytes.
    return (w + 0.0).tobytes(), b + 0.0


def perceptron_train(
    X: Any,
    y: Any,
    lr: float = 1.0,
    max_epochs: int = 100,
    *,
    w0: Any = None,
    b0: float = 0.0,
) -> PerceptronResult:
    """Rosenblatt's perceptron learning rule, one example at a time.

    For each example in order: predict ŷ = 1[w·x + b > 0], then

        w ← w + η (y − ŷ) x,    b ← b + η (y − ŷ),

    which changes nothing when ŷ = y. Training stops when an epoch makes no
    mistake (``converged``), when the state (w, b) after an epoch equals one
    seen before while mistakes continue (``cycling``: the rule is
    deterministic, so it would repeat forever), or after ``max_epochs``.

    If some unit vector u in (w, b)-space separates the data with margin
    γ = min yᵢ'·u·(xᵢ, 1) > 0 (yᵢ' = 2yᵢ − 1) and R = max ‖(xᵢ, 1)‖, then,
    starting from zero, at most (R/γ)² updates are made, whatever η
    (Novikoff 1962). On data no line separates (XOR) it never converges,
    yet its weights stay bounded (the perceptron cycling theorem: Minsky &
    Papert 1969; Block & Levin 1970). With integer inputs, an integer η and
    integer starting weights every state is an integer vector, so a state
    must recur, and ``cycling`` detects it; otherwise ``max_epochs`` ends
    the run.

    Parameters
    ----------
    X : array-like, shape (n, d)
        Inputs, one example per row (finite).
    y : array-like, shape (n,)
        Labels 0 or 1 (floats 0.0/1.0 and bools accepted; −1/+1 refused).
    lr : float, default 1.0
        The learning rate η > 0.
    max_epochs : int, default 100
        Upper bound on the passes over the data.
    w0 : array-like of shape (d,), optional
        Initial weights (default zeros).
    b0 : float, default 0.0
        Initial bias.

    Returns
    -------
    PerceptronResult

    References
    ----------
    Rosenblatt (1958), "The perceptron: a probabilistic model for information
    storage and organization in the brain"; Novikoff (1962), "On convergence
    proofs on perceptrons"; Minsky & Papert (1969), *Perceptrons*.

    Examples
    --------
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> r = perceptron_train(X, [0, 0, 0, 1])  # AND
    >>> r.converged, r.predict(X).tolist()
    (True, [0.0, 0.0, 0.0, 1.0])
    >>> r = perceptron_train(X, [0, 1, 1, 0])  # XOR
    >>> r.converged, r.cycling, bool(r.mistakes[-1] > 0)
    (False, True, True)
    """
    x, labels, eta, max_ep, w, b = _perceptron_inputs(X, y, lr, max_epochs, w0, b0)
    mistakes: list[int] = []
    w_hist, b_hist = [w.copy()], [b]
    seen = {_state_key(w, b): 0}
    converged = cycling = False
    cycle_start: int | None = None
    for epoch in range(1, max_ep + 1):
        errors = 0
        # One example at a time: each update changes the next prediction, so the
        # loop over examples is the algorithm itself and cannot be vectorised.
        for xi, yi in zip(x, labels, strict=True):
            err = yi - float(xi @ w + b > 0)
            if err != 0:
                w = w + eta * err * xi
                b = b + eta * float(err)
                errors += 1
        mistakes.append(errors)
        w_hist.append(w.copy())
        b_hist.append(b)
        if errors == 0:
            converged = True
            break
        key = _state_key(w, b)
        if key in seen:
            cycling, cycle_start = True, seen[key]
            break
        seen[key] = epoch
    return PerceptronResult(
        w=w,
        b=b,
        mistakes=np.array(mistakes, dtype=np.int64),
        converged=converged,
        cycling=cycling,
        cycle_start=cycle_start,
        w_history=np.array(w_hist),
        b_history=np.array(b_hist, dtype=np.float64),
    )


# --------------------------------------------------------------------------- McCulloch-Pitts


class McCullochPitts:
    """A McCulloch-Pitts threshold unit: y = 1[Σᵢ wᵢxᵢ >= θ] on binary inputs.

    The 1943 model neuron: binary inputs, fixed weights set by hand (nothing
    is learned; learning came with Rosenblatt in 1958), and it fires when the
    weighted sum reaches the threshold θ. Excitatory inputs carry weight +1;
    an inhibitory input is modelled here by weight −1 (McCulloch and Pitts'
    inhibition was an absolute veto; −1 is the common textbook
    simplification, and any real weights are accepted).

    Parameters
    ----------
    weights : array-like, shape (n,)
        Fixed weights, finite (typically ±1).
    threshold : float
        θ; the unit fires at θ itself.

    References
    ----------
    McCulloch & Pitts (1943), "A logical calculus of the ideas immanent in
    nervous activity", Bulletin of Mathematical Biophysics 5, 115-133.

    Examples
    --------
    >>> unit = McCullochPitts([1, 1], threshold=2)  # AND
    >>> unit(np.array([[0, 0], [0, 1], [1, 0], [1, 1]])).tolist()
    [0, 0, 0, 1]
    """

    def __init__(self, weights: Any, threshold: float) -> None:
        func = "McCullochPitts"
        w = np.array(as_float_array(weights, func, "weights"), copy=True)
        if w.ndim != 1 or w.size == 0 or not np.all(np.isfinite(w)):
            raise ValueError(
                f"{func}: argument 'weights' must be a non-empty finite 1-D array, got shape "
                f"{w.shape}"
            )
        self.weights = w
        self.threshold = check_real(threshold, func, "threshold")

    @property
    def n_inputs(self) -> int:
        """The number of inputs n."""
        return int(self.weights.size)

    def __call__(self, x: Any) -> Array:
        """Fire (1) or not (0) for binary x of shape (n,) -> () or (batch, n) -> (batch,)."""
        func = "McCullochPitts"
        xs = as_float_array(x, func, "x")
        if xs.ndim not in (1, 2) or xs.shape[-1] != self.n_inputs:
            raise ValueError(
                f"{func}: argument 'x' must have shape ({self.n_inputs},) or "
                f"(batch, {self.n_inputs}), got {xs.shape}"
            )
        if not np.all((xs == 0) | (xs == 1)):
            raise ValueError(f"{func}: argument 'x' must be binary (0 or 1)")
        return (xs @ self.weights >= self.threshold).astype(np.int64)

    def truth_table(self) -> tuple[Array, Array]:
        """All 2ⁿ binary inputs (rows in counting order) and the unit's outputs.

        Examples
        --------
        >>> inputs, outputs = mcp_or().truth_table()
        >>> inputs.tolist(), outputs.tolist()
        ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1])
        """
        n = self.n_inputs
        bits = (np.arange(2**n)[:, None] >> np.arange(n - 1, -1, -1)) & 1
        return bits, self(bits)

    def __repr__(self) -> str:
        return f"McCullochPitts(weights={self.weights.tolist()}, threshold={self.threshold})"


def mcp_and(n: int = 2) -> McCullochPitts:
    """AND of n inputs: weights 1, threshold n (fires only when all are on).

    Examples
    --------
    >>> mcp_and(3)(np.array([[1, 1, 1], [1, 0, 1]])).tolist()
    [1, 0]
    """
    k = check_int(n, "mcp_and", "n", 1)
    return McCullochPitts(np.ones(k), threshold=k)


def mcp_or(n: int = 2) -> McCullochPitts:
    """OR of n inputs: weights 1, threshold 1 (fires when any is on).

    Examples
    --------
    >>> mcp_or(3)(np.array([[0, 0, 0], [0, 0, 1]])).tolist()
    [0, 1]
    """
    k = check_int(n, "mcp_or", "n", 1)
    return McCullochPitts(np.ones(k), threshold=1)


def mcp_not() -> McCullochPitts:
    """NOT: one inhibitory input (weight −1), threshold 0: fires when the input is off.

    Examples
    --------
    >>> mcp_not()(np.array([[0], [1]])).tolist()
    [1, 0]
    """
    return McCullochPitts([-1.0], threshold=0.0)
