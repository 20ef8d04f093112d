"""Tensors with reverse-mode automatic differentiation (chapter 5).

A :class:`Tensor` wraps a NumPy array. Every operation on tensors records
its inputs (``parents``), its name (``op``) and a small function that turns
the gradient of its output into gradients of its inputs: the local step of
the chain rule. :meth:`Tensor.backward` visits the recorded graph from the
output back to the leaves and applies those steps in reverse topological
order, adding up the contributions that reach a tensor along several paths.

Each operation below keeps its backward right beside its forward, so every
line can be checked against the calculus: for ``out = a * b`` the local
gradients are ``g * b`` and ``g * a``.

References
----------
Linnainmaa (1970); Werbos (1974); Rumelhart, Hinton & Williams (1986);
Griewank & Walther, *Evaluating Derivatives* (2008); Baydin et al.,
"Automatic differentiation in machine learning: a survey" (2018).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from heapq import heappop, heappush
from typing import Any

import numpy as np

from nnbook._util import as_float_array

__all__ = [
    "GradcheckError",
    "Tensor",
    "gradcheck",
    "is_grad_enabled",
    "linear",
    "maximum",
    "no_grad",
    "numerical_grad",
    "topological_order",
]

Array = np.ndarray
Grads = tuple[Array | None, ...]
BackwardFn = Callable[[Array], Grads]

_grad_enabled = True
# Every operation's result takes the next number: its inputs existed before it,
# so sorting by this number is a topological order of any graph.
_creation = itertools.count(1)


def is_grad_enabled() -> bool:
    """Whether new operations are recorded for backpropagation.

    >>> is_grad_enabled()
    True
    """
    return _grad_enabled


class no_grad:
    """Context manager that stops recording operations, as ``torch.no_grad``.

    Inside the block every result has ``requires_grad=False`` and keeps no
    graph: what an optimizer's update or an evaluation pass needs.

    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    def __enter__(self) -> no_grad:
        global _grad_enabled
        self._previous = _grad_enabled
        _grad_enabled = False
        return self

    def __exit__(self, *exc: object) -> None:
        global _grad_enabled
        _grad_enabled = self._previous


def _as_data(x: Any, func: str, arg: str) -> Array:
    """A float ndarray from array-like input; ints and bools become float64."""
    return x.data if isinstance(x, Tensor) else as_float_array(x, func, arg)


def _unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum ``grad`` over the axes that broadcasting added or stretched.

    Broadcasting copies an input along some axes; the copies all feed the
    output, so their gradients add up (the multivariable chain rule).
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def _normalize_axes(axis: int | Sequence[int] | None, ndim: int, func: str) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not isinstance(a, (int, np.integer)) or not -ndim <= a < max(ndim, 1):
            raise ValueError(
                f"{func}: argument 'axis' must be in [-{ndim}, {ndim}) for a "
                f"{ndim}-D tensor, got {axis!r}"
            )
        out.append(int(a) % max(ndim, 1))
    return tuple(out)


class Tensor:
    """An ndarray that records the operations applied to it.

    Parameters
    ----------
    data : array-like
        Numbers; floats keep their dtype (float32 stays float32), ints and
        bools become float64. Strings and objects are refused.
    requires_grad : bool
        Whether gradients with respect to this tensor are wanted.
    name : str
        A label, used when the book draws the graph.

    Attributes
    ----------
    data : ndarray
        The values.
    grad : ndarray or None
        The accumulated gradient of the last ``backward`` call(s).
    op : str
        The operation that produced this tensor ("" for a leaf).
    parents : tuple of Tensor
        The inputs of that operation (empty for a leaf).

    Examples
    --------
    >>> x = Tensor(3.0, requires_grad=True)
    >>> y = x * x + 2 * x
    >>> y.backward()
    >>> x.grad  # dy/dx = 2x + 2
    array(8.)
    """

    __slots__ = ("_backward", "_seq", "data", "grad", "name", "op", "parents", "requires_grad")
    # Make NumPy defer to Tensor's reflected operators (ndarray + Tensor -> Tensor).
    __array_ufunc__ = None

    data: Array
    grad: Array | None
    requires_grad: bool
    op: str
    parents: tuple[Tensor, ...]
    name: str
    _backward: BackwardFn | None
    _seq: int

    def __init__(self, data: Any, requires_grad: bool = False, name: str = "") -> None:
        if isinstance(data, Tensor):
            data = data.data
        self.data = _as_data(data, "Tensor", "data")
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(
                "Tensor: argument 'requires_grad' must be a bool, "
                f"got {type(requires_grad).__name__}"
            )
        self.requires_grad = bool(requires_grad)
        self.grad = None
        self.op = ""
        self.parents = ()
        self.name = str(name)
        self._backward = None
        self._seq = 0

    @classmethod
    def _constant(cls, data: Array) -> Tensor:
        """A leaf without gradient around a float ndarray already checked, without
        ``__init__``'s conversions: the inputs and targets of every training step."""
        out = cls.__new__(cls)
        out.data = data
        out.grad = None
        out.requires_grad = False
        out.op = out.name = ""
        out.parents = ()
        out._backward = None
        out._seq = 0
        return out

    @classmethod
    def _make(
        cls, data: Array, parents: tuple[Tensor, ...], op: str, backward: BackwardFn
    ) -> Tensor:
        """Wrap an operation's result, recording the graph only when needed."""
        out = cls.__new__(cls)
        out.data = data
        out.grad = None
        out.name = ""
        out.op = op
        out._seq = next(_creation)
        if _grad_enabled:
            for p in parents:
                if p.requires_grad:
                    out.requires_grad = True
                    out.parents = parents
                    out._backward = backward
                    return out
        out.requires_grad = False
        out.parents = ()
        out._backward = None
        return out

    # ----------------------------------------------------------------- basics
    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``data``."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions of ``data``."""
        return self.data.ndim

    @property
    def size(self) -> int:
        """The number of elements of ``data``."""
        return self.data.size

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of ``data``."""
        return self.data.dtype

    def item(self) -> float:
        """The value of a one-element tensor as a Python float.

        >>> Tensor([[2.5]]).item()
        2.5
        """
        if self.data.size != 1:
            raise ValueError(
                "Tensor.item: only a one-element tensor converts to a number, "
                f"got shape {self.shape}"
            )
        return float(self.data.reshape(()))

    def numpy(self) -> Array:
        """The underlying ndarray (not a copy), as ``torch.Tensor.numpy``.

        >>> Tensor([1, 2]).numpy()
        array([1., 2.])
        """
        return self.data

    def detach(self) -> Tensor:
        """A new leaf sharing ``data`` and cut off from the graph.

        >>> x = Tensor(1.0, requires_grad=True)
        >>> (x * 2).detach().requires_grad
        False
        """
        return Tensor(self.data)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``grad = None``)."""
        self.grad = None

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, separator=", ")
        extra = f", op='{self.op}'" if self.parents else ""
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({body}{grad}{extra})"

    # ----------------------------------------------------------- arithmetic
    def _operand(self, other: Any, func: str) -> Tensor | float:
        """A non-Tensor operand: Python numbers stay numbers (so float32 stays
        float32); arrays become constant tensors."""
        if isinstance(other, (int, float, np.integer, np.floating)) and not isinstance(other, bool):
            return float(other) if isinstance(other, (np.floating, np.integer)) else other
        return Tensor(_as_data(other, func, "other"))

    def _binary(
        self,
        other: Any,
        op: str,
        fwd: Callable[[Any, Any], Array],
        bwd: Callable[[Array, Array, Any, Any], tuple[Array | None, Array | None]],
        reverse: bool = False,
    ) -> Tensor:
        o = other if isinstance(other, Tensor) else self._operand(other, f"Tensor.{op}")
        a: Any = o if reverse else self  # a Tensor or a plain number (so are b, o)
        b: Any = self if reverse else o
        a_is_t, b_is_t = isinstance(a, Tensor), isinstance(b, Tensor)
        ad = a.data if a_is_t else a
        bd = b.data if b_is_t else b
        try:
            out = fwd(ad, bd)
        except ValueError as exc:
            raise ValueError(
                f"Tensor.{op}: shapes {np.shape(ad)} and {np.shape(bd)} do not broadcast"
            ) from exc
        a_shape = ad.shape if a_is_t else ()
        b_shape = bd.shape if b_is_t else ()
        parents: tuple[Tensor, ...]
        if a_is_t and b_is_t:
            parents = (a, b)

            def backward(g: Array) -> Grads:
                ga, gb = bwd(g, out, ad, bd)
                return (
                    None if ga is None else _unbroadcast(ga, a_shape),
                    None if gb is None else _unbroadcast(gb, b_shape),
                )

        else:  # one side is a plain number: it gets no gradient
            parents = (a,) if a_is_t else (b,)
            index, shape = (0, a_shape) if a_is_t else (1, b_shape)

            def backward(g: Array) -> Grads:
                grad = bwd(g, out, ad, bd)[index]
                return (None if grad is None else _unbroadcast(grad, shape),)

        return Tensor._make(out, parents, op, backward)

    def __add__(self, other: Any) -> Tensor:
        return self._binary(other, "add", np.add, lambda g, out, a, b: (g, g))

    def __radd__(self, other: Any) -> Tensor:
        return self._binary(other, "add", np.add, lambda g, out, a, b: (g, g), reverse=True)

    def __sub__(self, other: Any) -> Tensor:
        return self._binary(other, "sub", np.subtract, lambda g, out, a, b: (g, -g))

    def __rsub__(self, other: Any) -> Tensor:
        return self._binary(other, "sub", np.subtract, lambda g, out, a, b: (g, -g), reverse=True)

    def __mul__(self, other: Any) -> Tensor:
        return self._binary(other, "mul", np.multiply, lambda g, out, a, b: (g * b, g * a))

    def __rmul__(self, other: Any) -> Tensor:
        return self._binary(
            other, "mul", np.multiply, lambda g, out, a, b: (g * b, g * a), reverse=True
        )

    @staticmethod
    def _div_backward(g: Array, out: Array, a: Any, b: Any) -> tuple[Array, Array]:
        # d(a/b)/da = 1/b ; d(a/b)/db = -a/b² = -out/b
        with np.errstate(divide="ignore", invalid="ignore"):
            gb = g / b
            return gb, -gb * out

    def __truediv__(self, other: Any) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):  # x/0 is ±inf, as in torch
            return self._binary(other, "div", np.true_divide, self._div_backward)

    def __rtruediv__(self, other: Any) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._binary(other, "div", np.true_divide, self._div_backward, reverse=True)

    @staticmethod
    def _pow_backward(g: Array, out: Array, a: Any, b: Any) -> tuple[Array, Array | None]:
        with np.errstate(divide="ignore", invalid="ignore"):
            # d(a^b)/da = b·a^(b−1); torch defines it as 0 where b == 0 (so 0^0 has slope 0).
            ga = np.where(np.equal(b, 0), 0.0, g * b * np.power(a, np.subtract(b, 1)))
            # d(a^b)/db = a^b·log a; torch defines it as 0 where a == 0 and b >= 0.
            gb = np.where((np.equal(a, 0)) & (np.greater_equal(b, 0)), 0.0, g * out * np.log(a))
        return ga.astype(g.dtype, copy=False), gb.astype(g.dtype, copy=False)

    def __pow__(self, other: Any) -> Tensor:
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            return self._pow_number(other)
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._binary(other, "pow", np.power, self._pow_backward)

    def _pow_number(self, p: float) -> Tensor:
        """x^p for a plain number p: d/dx = p·x^(p−1), and 0 when p = 0 (torch)."""
        x = self.data
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = x * x if p == 2 else x**p

        def backward(g: Array) -> Grads:
            if p == 0:
                return (np.zeros_like(g),)
            if p == 2:
                return (2 * g * x,)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return (g * p * x ** (p - 1),)

        return Tensor._make(out, (self,), "pow", backward)

    def __rpow__(self, other: Any) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._binary(other, "pow", np.power, self._pow_backward, reverse=True)

    def __neg__(self) -> Tensor:
        return Tensor._make(-self.data, (self,), "neg", lambda g: (-g,))

    def __matmul__(self, other: Any) -> Tensor:
        return _matmul(self, self._operand_tensor(other, "matmul"))

    def __rmatmul__(self, other: Any) -> Tensor:
        return _matmul(self._operand_tensor(other, "matmul"), self)

    def _operand_tensor(self, other: Any, op: str) -> Tensor:
        return (
            other if isinstance(other, Tensor) else Tensor(_as_data(other, f"Tensor.{op}", "other"))
        )

    # ------------------------------------------------------------ reductions
    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all axes when None), as ``torch.sum``.

        Backward: every summed element receives the output's gradient.

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0)
        Tensor([4., 6.])
        """
        axes = _normalize_axes(axis, self.ndim, "Tensor.sum")
        shape = self.shape

        def backward(g: Array) -> Grads:
            if not keepdims:
                g = np.expand_dims(g, axes)
            return (np.broadcast_to(g, shape),)

        out = np.asarray(self.data.sum(axis=axes, keepdims=keepdims))
        return Tensor._make(out, (self,), "sum", backward)

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (all axes when None), as ``torch.mean``.

        Backward: each of the n averaged elements receives g / n.

        >>> Tensor([1.0, 2.0, 6.0]).mean()
        Tensor(3.)
        """
        axes = _normalize_axes(axis, self.ndim, "Tensor.mean")
        count = int(np.prod([self.shape[a] for a in axes])) if axes else 1
        shape = self.shape

        def backward(g: Array) -> Grads:
            if not keepdims:
                g = np.expand_dims(g, axes)
            return (np.broadcast_to(g * (1.0 / max(count, 1)), shape),)

        total = self.data.sum(axis=axes, keepdims=keepdims)
        out = total / count if count else np.full(np.shape(total), np.nan, self.dtype)  # torch: nan
        return Tensor._make(np.asarray(out), (self,), "mean", backward)

    def max(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Maximum over ``axis``, as ``torch.amax``.

        Backward: the gradient goes to the maximal elements, split evenly
        among ties (``torch.amax``'s rule).

        >>> x = Tensor([1.0, 5.0, 5.0], requires_grad=True)
        >>> x.max().backward()
        >>> x.grad
        array([0. , 0.5, 0.5])
        """
        if self.size == 0:
            raise ValueError(
                f"Tensor.max: cannot take the maximum of an empty tensor, shape {self.shape}"
            )
        axes = _normalize_axes(axis, self.ndim, "Tensor.max")
        kept = self.data.max(axis=axes, keepdims=True)
        out = (
            kept
            if keepdims
            else kept.reshape([n for i, n in enumerate(self.shape) if i not in axes])
        )
        x = self.data

        def backward(g: Array) -> Grads:
            mask = x == kept
            gk = g if keepdims else np.expand_dims(g, axes)
            return (mask * (gk / mask.sum(axis=axes, keepdims=True)),)

        return Tensor._make(out, (self,), "max", backward)

    # ---------------------------------------------------------------- shapes
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        """A tensor with the same data and a new shape, as ``torch.reshape``.

        >>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, 2).shape
        (2, 2)
        """
        new = shape[0] if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)) else shape
        try:
            out = self.data.reshape(new)  # type: ignore[arg-type]
        except (ValueError, TypeError) as exc:
            raise ValueError(f"Tensor.reshape: cannot reshape {self.shape} into {new}") from exc
        old = self.shape
        return Tensor._make(out, (self,), "reshape", lambda g: (g.reshape(old),))

    def transpose(self, *axes: int) -> Tensor:
        """Permute the axes (reverse them when none are given), as ``numpy.transpose``.

        >>> Tensor([[1.0, 2.0, 3.0]]).transpose().shape
        (3, 1)
        """
        perm = axes[0] if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)) else axes
        perm = tuple(perm) if perm else tuple(reversed(range(self.ndim)))
        if sorted(int(p) % max(self.ndim, 1) for p in perm) != list(range(self.ndim)):
            raise ValueError(
                f"Tensor.transpose: argument 'axes' must permute {self.ndim} axes, got {perm}"
            )
        inverse = tuple(np.argsort(perm))
        return Tensor._make(
            self.data.transpose(perm), (self,), "transpose", lambda g: (g.transpose(inverse),)
        )

    @property
    def T(self) -> Tensor:
        """The transpose (axes reversed)."""
        return self.transpose()

    def __getitem__(self, idx: Any) -> Tensor:
        """Indexing, including integer-array indexing, as in NumPy.

        Backward scatter-adds: an element picked twice gets two gradients.

        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> x[np.array([0, 0, 2])].sum().backward()
        >>> x.grad
        array([2., 0., 1.])
        """
        if isinstance(idx, Tensor):
            idx = idx.data.astype(np.intp)
        try:
            out = self.data[idx]
        except IndexError as exc:
            raise IndexError(f"Tensor.__getitem__: {exc} (tensor shape {self.shape})") from exc
        shape, dtype = self.shape, self.dtype

        def backward(g: Array) -> Grads:
            full = np.zeros(shape, dtype=dtype)
            np.add.at(full, idx, g)
            return (full,)

        return Tensor._make(np.array(out, copy=True), (self,), "index", backward)

    # ------------------------------------------------------ elementwise maths
    def _unary(self, op: str, out: Array, local: Callable[[Array], Array]) -> Tensor:
        """An elementwise op; ``local(g)`` multiplies g by the op's derivative."""
        return Tensor._make(out, (self,), op, lambda g: (local(g),))

    def exp(self) -> Tensor:
        """e^x; derivative e^x (the output itself).

        >>> Tensor([0.0]).exp()
        Tensor([1.])
        """
        with np.errstate(over="ignore"):  # overflow to inf, as in torch
            out = np.exp(self.data)
        return self._unary("exp", out, lambda g: g * out)

    def log(self) -> Tensor:
        """Natural log; derivative 1/x. log 0 = -inf and log x<0 = nan, as in torch.

        >>> Tensor([1.0]).log()
        Tensor([0.])
        """
        x = self.data
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.log(x)

        def local(g: Array) -> Array:
            with np.errstate(divide="ignore", invalid="ignore"):
                return g / x

        return self._unary("log", out, local)

    def sqrt(self) -> Tensor:
        """√x; derivative 1/(2√x) (inf at 0, as in torch).

        >>> Tensor([4.0]).sqrt()
        Tensor([2.])
        """
        with np.errstate(invalid="ignore"):
            out = np.sqrt(self.data)

        def local(g: Array) -> Array:
            with np.errstate(divide="ignore", invalid="ignore"):
                return g / (2 * out)

        return self._unary("sqrt", out, local)

    def abs(self) -> Tensor:
        """The absolute value abs(x); derivative sign(x), 0 at 0 (torch's choice).

        >>> Tensor([-2.0, 3.0]).abs()
        Tensor([2., 3.])
        """
        x = self.data
        return self._unary("abs", np.abs(x), lambda g: g * np.sign(x))

    def sin(self) -> Tensor:
        """sin x; derivative cos x.

        >>> Tensor([0.0]).sin()
        Tensor([0.])
        """
        x = self.data
        return self._unary("sin", np.sin(x), lambda g: g * np.cos(x))

    def cos(self) -> Tensor:
        """cos x; derivative −sin x.

        >>> Tensor([0.0]).cos()
        Tensor([1.])
        """
        x = self.data
        return self._unary("cos", np.cos(x), lambda g: -g * np.sin(x))

    def tanh(self) -> Tensor:
        """tanh x; derivative 1 − tanh² x.

        >>> Tensor([0.0]).tanh()
        Tensor([0.])
        """
        out = np.tanh(self.data)

        def backward(g: Array) -> Grads:
            slope = 1 - out * out
            if slope.dtype != g.dtype:
                return (g * slope,)
            slope *= g  # in place: one temporary fewer
            return (slope,)

        return Tensor._make(out, (self,), "tanh", backward)

    def sigmoid(self) -> Tensor:
        """σ(x) = 1/(1 + e^−x), computed without overflow; derivative σ(1 − σ).

        >>> Tensor([0.0]).sigmoid()
        Tensor([0.5])
        """
        out = _stable_sigmoid(self.data)
        return self._unary("sigmoid", out, lambda g: g * out * (1 - out))

    def relu(self) -> Tensor:
        """max(0, x); derivative 1[x > 0] (0 at 0, as in torch).

        >>> Tensor([-1.0, 0.0, 2.0]).relu()
        Tensor([0., 0., 2.])
        """
        out = np.maximum(self.data, 0)  # +0.0 for negative inputs, as torch (x·0 would give −0.0)
        return Tensor._make(out, (self,), "relu", lambda g: (g * (out > 0),))

    def leaky_relu(self, negative_slope: float = 0.01) -> Tensor:
        """x if x > 0 else s·x; derivative 1 or s (s at 0, as in torch).

        >>> Tensor([-1.0, 2.0]).leaky_relu(0.1)
        Tensor([-0.1,  2. ])
        """
        slope = np.where(self.data > 0, 1.0, negative_slope).astype(self.dtype, copy=False)
        return self._unary("leaky_relu", self.data * slope, lambda g: g * slope)

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:
        """Clamp into [min, max], as ``torch.clamp``; derivative 1 inside the
        closed interval, 0 outside.

        >>> Tensor([-2.0, 0.5, 3.0]).clip(0.0, 1.0)
        Tensor([0. , 0.5, 1. ])
        """
        if min is None and max is None:
            raise ValueError("Tensor.clip: at least one of 'min' and 'max' must be given")
        if min is not None and max is not None and min > max:
            raise ValueError(f"Tensor.clip: 'min' ({min}) must not exceed 'max' ({max})")
        x = self.data
        inside = np.ones(x.shape, dtype=bool)
        if min is not None:
            inside &= x >= min
        if max is not None:
            inside &= x <= max
        out = np.clip(x, min, max)
        return self._unary("clip", out, lambda g: g * inside)

    def softmax(self, axis: int = -1) -> Tensor:
        """softmax(x)_i = e^{x_i − m} / Σ_j e^{x_j − m} with m = max x (stable).

        Backward (Jacobian-vector product): s ⊙ (g − Σ g ⊙ s).

        >>> Tensor([0.0, 0.0]).softmax()
        Tensor([0.5, 0.5])
        """
        (ax,) = _normalize_axes(axis, self.ndim, "Tensor.softmax")
        e = np.exp(self.data - self.data.max(axis=ax, keepdims=True))
        s = e / e.sum(axis=ax, keepdims=True)
        return self._unary("softmax", s, lambda g: s * (g - (g * s).sum(axis=ax, keepdims=True)))

    def log_softmax(self, axis: int = -1) -> Tensor:
        """log softmax(x) = x − m − log Σ e^{x − m} (stable for logits of any size).

        Backward: g − softmax(x) · Σ g.

        >>> Tensor([1000.0, 1000.0]).log_softmax()
        Tensor([-0.6931, -0.6931])
        """
        (ax,) = _normalize_axes(axis, self.ndim, "Tensor.log_softmax")
        shifted = self.data - self.data.max(axis=ax, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=ax, keepdims=True))
        return self._unary(
            "log_softmax", out, lambda g: g - np.exp(out) * g.sum(axis=ax, keepdims=True)
        )

    # ---------------------------------------------------------------- backward
    def backward(self, grad: Any = None) -> None:
        """Back-propagate from this tensor, as ``torch.Tensor.backward``.

        A scalar starts from 1; a non-scalar needs ``grad`` (the gradient of
        some scalar with respect to this tensor). Gradients accumulate into
        ``.grad`` across calls until zeroed. The graph is walked iteratively,
        so a chain 100,000 operations deep works.

        >>> a = Tensor([1.0, 2.0], requires_grad=True)
        >>> (a * a).backward(np.ones(2))
        >>> a.grad
        array([2., 4.])
        """
        if not self.requires_grad:
            raise RuntimeError(
                "Tensor.backward: this tensor does not require grad and has no graph "
                "(create the inputs with requires_grad=True, outside no_grad())"
            )
        if grad is None:
            if self.size != 1:
                raise RuntimeError(
                    "Tensor.backward: grad can be implicitly created only for scalar outputs; "
                    f"pass 'grad' of shape {self.shape}"
                )
            dt = self.data.dtype
            # np.array(1, dt) is a quarter of np.ones's cost, for the usual 0-d loss.
            seed = np.array(1, dt) if self.data.ndim == 0 else np.ones(self.data.shape, dt)
        else:
            seed = _as_data(grad, "Tensor.backward", "grad")
            if seed.shape != self.shape:
                raise ValueError(
                    f"Tensor.backward: argument 'grad' must have shape {self.shape}, "
                    f"got {seed.shape}"
                )
            seed = seed.astype(self.dtype, copy=False)
        # Arrays that someone else holds (the caller's seed, other tensors' grads):
        # a leaf's gradient must not be one of them, nor a view of another array.
        handed = {id(seed)}
        if self._backward is None:  # backward() called on a leaf
            _store_grad(self, seed, handed)
            return
        # The operations with a gradient waiting, newest first: an operation is created
        # after its inputs, so once it is the newest, every consumer has added to its
        # gradient. Leaves (parameters, inputs) propagate nothing: they are not queued,
        # their gradient is stored as soon as it arrives (half the nodes of an MLP).
        pending: dict[Tensor, Array] = {self: seed}
        queue = [(-self._seq, self)]  # creation numbers are unique: no Tensors compared
        while queue:
            node = heappop(queue)[1]
            g = pending.pop(node)
            # An interior node keeps its gradient too (the book draws it); it may share it.
            node.grad = g if node.grad is None else np.asarray(node.grad + g)
            handed.add(id(node.grad))
            for parent, pg in zip(node.parents, node._backward(g)):  # type: ignore[misc]  # noqa: B905 - same length by construction
                if pg is None or not parent.requires_grad:
                    continue
                if parent._backward is not None:  # an interior node: gather its gradient
                    if parent in pending:
                        pending[parent] = pending[parent] + pg
                    else:
                        pending[parent] = pg
                        heappush(queue, (-parent._seq, parent))
                elif (
                    parent.grad is None
                    and type(pg) is np.ndarray
                    and pg.base is None
                    and id(pg) not in handed
                ):  # a leaf's first gradient, in a fresh array: the leaf takes it as it is
                    parent.grad = pg
                    handed.add(id(pg))
                else:
                    _store_grad(parent, pg, handed)


def _store_grad(t: Tensor, g: Array, handed: set[int]) -> None:
    """Add g to a leaf's grad, when g may be shared (backward's own loop takes a
    fresh array as it is). A leaf owns its gradient: never a view, nor an array
    that another tensor holds (an interior node may share its consumer's)."""
    if t.grad is not None:
        t.grad = np.asarray(t.grad + g)  # 0-d arrays add up to a NumPy scalar
    else:
        t.grad = np.array(g, copy=True)
    handed.add(id(t.grad))


def _maximum_backward(g: Array, out: Array, a: Any, b: Any) -> tuple[Array, Array]:
    # The larger input gets all of g, the smaller none; a tie splits g in halves.
    # Comparisons with NaN are all False, so NaN passes g to both, as in torch.
    tie = np.equal(a, b)
    wa = np.where(tie, 0.5, np.where(np.less(a, b), 0.0, 1.0))
    wb = np.where(tie, 0.5, np.where(np.greater(a, b), 0.0, 1.0))
    return (g * wa).astype(g.dtype, copy=False), (g * wb).astype(g.dtype, copy=False)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum of two tensors (with broadcasting), as ``torch.maximum``.

    out = max(a, b). Backward, the "max gate" of a computational graph: the
    gradient goes to the larger input only, and where ``a == b`` each input
    gets half of it (PyTorch's rule since 1.9; it is also what the centred
    difference measures at a tie). NaN propagates, as in ``np.maximum``.

    Parameters
    ----------
    a, b : Tensor, array-like or number
        At least one is usually a Tensor; plain numbers are constants.

    Returns
    -------
    Tensor
        With ``op == "maximum"``.

    Examples
    --------
    >>> z = Tensor(2.0, requires_grad=True)
    >>> w = Tensor(-1.0, requires_grad=True)
    >>> maximum(z, w).backward()
    >>> z.grad, w.grad
    (array(1.), array(0.))
    >>> t = Tensor([1.0, 3.0], requires_grad=True)
    >>> maximum(t, 1.0).sum().backward()
    >>> t.grad  # a tie at 1.0 gets half
    array([0.5, 1. ])
    """
    if isinstance(a, Tensor):
        return a._binary(b, "maximum", np.maximum, _maximum_backward)
    if isinstance(b, Tensor):
        return b._binary(a, "maximum", np.maximum, _maximum_backward, reverse=True)
    return Tensor(_as_data(a, "maximum", "a"))._binary(
        Tensor(_as_data(b, "maximum", "b")), "maximum", np.maximum, _maximum_backward
    )


def _stable_sigmoid(x: Array) -> Array:
    """σ(x) without overflow: e^x/(1 + e^x) for x < 0, 1/(1 + e^−x) otherwise."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    """a @ b with NumPy's rules (1-D operands, batch broadcasting).

    For D = A B: dA = dD Bᵀ and dB = Aᵀ dD.
    """
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"Tensor.matmul: operands must be at least 1-D, got {a.shape} @ {b.shape}")
    try:
        out = a.data @ b.data
    except ValueError as exc:
        raise ValueError(
            f"Tensor.matmul: shapes {a.shape} @ {b.shape} do not align "
            f"(the last axis of the left must equal the first matrix axis of the right)"
        ) from exc
    ad, bd = a.data, b.data

    def backward(g: Array) -> Grads:
        if ad.ndim == 2 and bd.ndim == 2:  # the common case, kept lean
            return (g @ bd.T if a.requires_grad else None, ad.T @ g if b.requires_grad else None)
        if ad.ndim == 1 and bd.ndim == 1:  # a dot product: g is a scalar
            return g * bd, g * ad
        a2 = ad[None, :] if ad.ndim == 1 else ad
        b2 = bd[:, None] if bd.ndim == 1 else bd
        g2 = g
        if ad.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        if bd.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        ga = _unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(ad.shape)
        gb = _unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(bd.shape)
        return ga, gb

    return Tensor._make(out, (a, b), "matmul", backward)


def linear(x: Tensor | Array, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight.T + bias`` as one graph node, as ``torch.nn.functional.linear``.

    Shapes: x (..., in), weight (out, in), bias (out,) → (..., out). With
    G the output gradient flattened to (n, out) and X the input to (n, in):
    dx = G W, dW = Gᵀ X, db = Σₙ G. One node instead of three keeps the
    per-layer overhead small.

    >>> w = Tensor([[1.0, 2.0]], requires_grad=True)
    >>> linear(Tensor([[3.0, 4.0]]), w, Tensor([0.5])).data
    array([[11.5]])
    """
    x = x if isinstance(x, Tensor) else Tensor(x)
    xd, wd = x.data, weight.data  # checked on the arrays: properties cost a call each
    if wd.ndim != 2 or xd.ndim == 0 or xd.shape[-1] != wd.shape[1]:
        raise ValueError(
            f"linear: argument 'x' must have shape (..., {weight.shape[-1]}) to match "
            f"'weight' of shape {weight.shape} (out_features, in_features), got {x.shape}"
        )
    if bias is not None and bias.data.shape != (wd.shape[0],):
        raise ValueError(
            f"linear: argument 'bias' must have shape ({weight.shape[0]},), got {bias.shape}"
        )
    return _linear(x, weight, bias)


def _linear(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """:func:`linear` on arguments already checked (``nn.Linear`` checks its own)."""
    xd, wd = x.data, weight.data
    out = xd @ wd.T
    if bias is not None:
        out += bias.data

    def backward(g: Array) -> Grads:
        g2, x2 = g, xd  # (n, out) and (n, in); a batch of batches is flattened first
        if g.ndim != 2:
            g2, x2 = g.reshape(-1, g.shape[-1]), xd.reshape(-1, wd.shape[1])
        gx = g @ wd if x.requires_grad else None
        gw = g2.T @ x2 if weight.requires_grad else None
        if bias is None:
            return gx, gw
        return gx, gw, np.add.reduce(g2, axis=0)  # g2.sum(axis=0) without the method's wrapper

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(out, parents, "linear", backward)


def topological_order(root: Tensor) -> list[Tensor]:
    """The tensors ``root`` depends on (itself included), inputs first.

    Iterative depth-first search: no recursion limit, so very deep graphs work.
    Only tensors that take part in backpropagation are listed.

    >>> x = Tensor(2.0, requires_grad=True)
    >>> [t.op or "leaf" for t in topological_order((x * 3).exp())]
    ['leaf', 'mul', 'exp']
    """
    order: list[Tensor] = []
    seen = {root}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for p in parents:
            if p not in seen and p.requires_grad:
                seen.add(p)
                stack.append((p, iter(p.parents)))
                break
        else:  # every input is placed: the node can follow them
            stack.pop()
            order.append(node)
    return order


# ------------------------------------------------------------ gradient checks
class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck` when backprop and finite differences disagree."""


def numerical_grad(fn: Callable[[Array], float], x: Any, eps: float = 1e-6) -> Array:
    """Centred-difference gradient of a scalar function of an array.

    ∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / (2h), with error O(h²).

    Parameters
    ----------
    fn : callable
        Maps an ndarray shaped like ``x`` to a number.
    x : array-like
        The point; evaluated in float64.
    eps : float
        The step h > 0.

    >>> numerical_grad(lambda v: float((v ** 2).sum()), [1.0, -3.0]).round(6)
    array([ 2., -6.])
    """
    if not eps > 0:
        raise ValueError(f"numerical_grad: argument 'eps' must be > 0, got {eps}")
    x = np.array(_as_data(x, "numerical_grad", "x"), dtype=np.float64)
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):  # one pair of evaluations per coordinate is inherent
        old = flat[i]
        flat[i] = old + eps
        plus = float(fn(x))
        flat[i] = old - eps
        minus = float(fn(x))
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * eps)
    return grad


def gradcheck(
    fn: Callable[..., Tensor],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Compare backprop with centred differences, as ``torch.autograd.gradcheck``.

    Every entry of the Jacobian of ``fn(*inputs)`` is checked:
    ``|a − n| ≤ atol + rtol·|n|`` with ``a`` from backprop and ``n`` from
    centred differences in float64.

    Parameters
    ----------
    fn : callable
        Takes tensors, returns a tensor.
    inputs : sequence
        Tensors or arrays; each is copied to a float64 leaf that requires grad.
    eps, atol, rtol : float
        Step and tolerances.

    Returns
    -------
    True, or raises :class:`GradcheckError` naming the input and the worst entry.

    >>> gradcheck(lambda a, b: (a * b).tanh(), [np.array([0.3, -1.2]), np.array([2.0, 0.5])])
    True
    """
    if not eps > 0 or atol < 0 or rtol < 0:
        raise ValueError(
            "gradcheck: need eps > 0, atol >= 0 and rtol >= 0, "
            f"got eps={eps}, atol={atol}, rtol={rtol}"
        )
    if isinstance(inputs, (Tensor, np.ndarray)) or not isinstance(inputs, Sequence):
        raise TypeError("gradcheck: argument 'inputs' must be a list or tuple of tensors/arrays")
    xs = [
        np.array(_as_data(x, "gradcheck", f"inputs[{i}]"), dtype=np.float64)
        for i, x in enumerate(inputs)
    ]

    def evaluate(arrays: list[Array]) -> Array:
        with no_grad():
            out = fn(*(Tensor(a) for a in arrays))
        if not isinstance(out, Tensor):
            raise TypeError(f"gradcheck: 'fn' must return a Tensor, got {type(out).__name__}")
        # A copy: the output may be a view of the input that is about to be perturbed.
        return np.array(out.data, dtype=np.float64, copy=True)

    out0 = evaluate(xs)
    leaves = [Tensor(x.copy(), requires_grad=True) for x in xs]
    out = fn(*leaves)
    analytic = [np.zeros((out0.size, x.size)) for x in xs]
    for k in range(out0.size):  # one backward per output entry: row k of the Jacobian
        for leaf in leaves:
            leaf.grad = None
        seed = np.zeros(out0.size)
        seed[k] = 1.0
        if out.requires_grad:
            out.backward(seed.reshape(out0.shape))
        for leaf, jac in zip(leaves, analytic, strict=True):
            if leaf.grad is not None:
                jac[k] = leaf.grad.reshape(-1)
    for i, x in enumerate(xs):
        numeric = np.zeros((out0.size, x.size))
        flat = x.reshape(-1)
        for j in range(x.size):  # column j of the Jacobian
            old = flat[j]
            flat[j] = old + eps
            plus = evaluate(xs).reshape(-1)
            flat[j] = old - eps
            minus = evaluate(xs).reshape(-1)
            flat[j] = old
            numeric[:, j] = (plus - minus) / (2 * eps)
        err = np.abs(analytic[i] - numeric)
        bad = ~(err <= atol + rtol * np.abs(numeric))
        if bad.any():
            k, j = np.argwhere(bad)[0]
            raise GradcheckError(
                f"gradcheck: Jacobian mismatch for inputs[{i}] at output {k}, input element {j}: "
                f"backprop {analytic[i][k, j]:.6g} vs numerical {numeric[k, j]:.6g}"
            )
    return True
