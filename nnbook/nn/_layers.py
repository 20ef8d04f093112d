"""Layers and networks: :class:`Linear`, :class:`Sequential`, :class:`MLP` (home: :mod:`nnbook.nn`).

A layer is many neurons side by side, with PyTorch's layout: the weight is
``(out_features, in_features)`` and a batch holds one example per row, so a
layer computes ``x @ W.T + b`` (the book's column form z = Wx + b), here as
one graph node (:func:`nnbook.nn.functional.linear`).

References
----------
Rosenblatt (1958); Rumelhart, Hinton & Williams (1986); Glorot & Bengio
(2010); Goodfellow, Bengio & Courville, *Deep Learning* (2016), chapter 6.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
from numpy.typing import DTypeLike

from nnbook._tensor import Tensor, _as_tensor
from nnbook._util import RngLike, as_float_array, as_rng, check_float_dtype, check_int
from nnbook.nn import init as _init
from nnbook.nn._activation import _activation_module
from nnbook.nn._module import Module
from nnbook.nn.functional import _linear

__all__ = ["INITIALIZERS", "MLP", "ForwardTrace", "Linear", "Sequential"]

Array = np.ndarray
Grads = tuple[Array | None, ...]
InitLike = str | Callable[..., Array] | None


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
    shape = t.data.shape
    if not shape or shape[-1] != expected:
        raise ValueError(
            f"{func}: argument 'x' must have last dimension {what}={expected}, got shape {t.shape}"
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
"""Weight initializers accepted by name in ``init=``: :mod:`nnbook.nn.init` with its
(PyTorch's) default arguments. For other arguments pass a callable, e.g.
``functools.partial(nnbook.nn.init.kaiming_normal, nonlinearity="relu")``."""


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


# --------------------------------------------------------------------------- the affine map


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
        from ``INITIALIZERS`` or a callable ``(shape, *, rng, dtype)``;
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
        t = _layer_input(x, self.weight.data.dtype, "Linear.forward")
        _check_last_dim(t, self.in_features, "Linear.forward", "in_features")
        return _linear(t, self.weight, self.bias)  # the parameters' shapes are the layer's own

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Sequential(Module):
    """Modules applied one after another, as ``torch.nn.Sequential``.

    ``Sequential(f, g, h)(x) = h(g(f(x)))``; an empty one is the identity.

    Examples
    --------
    >>> from nnbook.nn import ReLU
    >>> net = Sequential(Linear(2, 4, rng=0), ReLU(), Linear(4, 1, rng=1))
    >>> net(np.zeros((3, 2))).shape, len(net), len(list(net.parameters()))
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
            h = layer.forward(h)  # what calling the layer does (Module.__call__ adds nothing)
        return h if isinstance(h, Tensor) else _as_tensor(h, f"{type(self).__name__}.forward", "x")

    def _members(self) -> Iterator[tuple[str, Any]]:
        # PyTorch names a Sequential's layers "0", "1", ... ("0.weight").
        for i, layer in enumerate(self.layers):
            yield str(i), layer

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

    The tensors stay on the graph, and each z^l retains its gradient
    (:meth:`~nnbook.Tensor.retain_grad`): after ``loss.backward()``,
    ``z^l.grad`` holds δ^l = ∂loss/∂z^l, what the initialization and
    chain-rule chapters plot per layer.

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
        The hidden activation, a name (``"relu"``, ``"tanh"``, ``"sigmoid"``,
        ``"leaky_relu"``, ``"softplus"``, ``"identity"``) or a module.
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
    >>> net(np.zeros((5, 2))).shape, len(net.linears), len(list(net.parameters()))
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
                if h.requires_grad:
                    h.retain_grad()  # δ^l = ∂loss/∂z^l, read by ForwardTrace.deltas
                pre.append(h)
                post.append(h)
            else:
                post[-1] = h
        return ForwardTrace(pre, post)
