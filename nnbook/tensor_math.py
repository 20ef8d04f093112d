"""The elementwise maths, reductions and shape operations of :class:`~nnbook.tensor.Tensor`.

:class:`TensorMath` holds the methods ``x.exp()``, ``x.sum()``, ``x.T``, ...;
``Tensor`` inherits them. Each records its result with
:meth:`~nnbook.tensor.Tensor.from_op` and keeps its backward right beside its
forward, following the protocol of :mod:`nnbook.tensor`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from nnbook.tensor import Tensor

__all__ = ["TensorMath", "sigmoid_array", "softplus_array"]

Array = np.ndarray
Grads = tuple[Array | None, ...]


def sigmoid_array(x: Array) -> Array:
    """σ(x) = 1/(1 + e^−x) of an ndarray without overflow, in x's dtype.

    Written as e^x/(1 + e^x) for x < 0 and 1/(1 + e^−x) otherwise: the
    exponent is never positive. Every sigmoid in nnbook is this one.

    >>> sigmoid_array(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    e = np.exp(-np.abs(x))
    return (np.where(x >= 0, 1.0, e) / (1.0 + e)).astype(x.dtype, copy=False)


def softplus_array(x: Array) -> Array:
    """softplus(x) = log(1 + e^x) of an ndarray, exact for any x.

    Written as max(x, 0) + log1p(e^−|x|): the exponent is never positive, so
    nothing overflows, and log1p keeps the tiny values of very negative x.
    Every softplus in nnbook is this one.

    >>> softplus_array(np.array([-800.0, 0.0, 800.0])).round(4).tolist()
    [0.0, 0.6931, 800.0]
    """
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _axes(axis: int | Sequence[int] | None, ndim: int, func: str) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    for a in axes:
        if not isinstance(a, (int, np.integer)) or not -ndim <= a < max(ndim, 1):
            raise ValueError(
                f"{func}: argument 'axis' must be in [-{ndim}, {ndim}) for a "
                f"{ndim}-D tensor, got {axis!r}"
            )
    return tuple(int(a) % max(ndim, 1) for a in axes)


class TensorMath:
    """The methods of :class:`~nnbook.tensor.Tensor` beyond arithmetic: maths, reductions, shapes.

    >>> from nnbook.tensor import Tensor
    >>> Tensor([[1.0, 2.0]]).T.exp().sum()
    Tensor(10.1073)
    """

    __slots__ = ()
    data: Array

    if TYPE_CHECKING:  # provided by Tensor

        @classmethod
        def from_op(
            cls,
            data: Array,
            parents: tuple[Any, ...],
            backward: Callable[[Array], Grads],
            op: str = "",
        ) -> Tensor: ...

    # ------------------------------------------------------------ reductions
    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all axes when None), as ``torch.sum``.

        Backward: every summed element receives the output's gradient.

        >>> from nnbook import Tensor
        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0)
        Tensor([4., 6.])
        """
        axes, shape = _axes(axis, self.data.ndim, "Tensor.sum"), self.data.shape

        def backward(g: Array) -> Grads:
            return (np.broadcast_to(g if keepdims else np.expand_dims(g, axes), shape),)

        out = np.asarray(self.data.sum(axis=axes, keepdims=keepdims))
        return self.from_op(out, (self,), backward, "sum")

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (all axes when None), as ``torch.mean``; nan when empty.

        Backward: each of the n averaged elements receives g / n.

        >>> from nnbook import Tensor
        >>> Tensor([1.0, 2.0, 6.0]).mean()
        Tensor(3.)
        """
        axes, shape = _axes(axis, self.data.ndim, "Tensor.mean"), self.data.shape
        count = int(np.prod([shape[a] for a in axes]))

        def backward(g: Array) -> Grads:
            g = g if keepdims else np.expand_dims(g, axes)
            return (np.broadcast_to(g / max(count, 1), shape),)

        total = np.asarray(self.data.sum(axis=axes, keepdims=keepdims))
        out = total / count if count else np.full(total.shape, np.nan, self.data.dtype)
        return self.from_op(np.asarray(out), (self,), backward, "mean")

    def max(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Maximum over ``axis``, as ``torch.amax``.

        Backward: the gradient goes to the maximal elements, split evenly
        among ties (``torch.amax``'s rule).

        >>> from nnbook import Tensor
        >>> x = Tensor([1.0, 5.0, 5.0], requires_grad=True)
        >>> x.max().backward()
        >>> x.grad
        array([0. , 0.5, 0.5])
        """
        if self.data.size == 0:
            raise ValueError(
                f"Tensor.max: cannot take the maximum of an empty tensor, shape {self.data.shape}"
            )
        axes, x = _axes(axis, self.data.ndim, "Tensor.max"), self.data
        kept = x.max(axis=axes, keepdims=True)

        def backward(g: Array) -> Grads:
            mask = x == kept
            g = g if keepdims else np.expand_dims(g, axes)
            return (mask * (g / mask.sum(axis=axes, keepdims=True)),)

        out = (
            kept if keepdims else kept.reshape([n for i, n in enumerate(x.shape) if i not in axes])
        )
        return self.from_op(out, (self,), backward, "max")

    # ---------------------------------------------------------------- shapes
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        """A tensor with the same data and a new shape, as ``torch.reshape``.

        >>> from nnbook import Tensor
        >>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, 2).shape
        (2, 2)
        """
        new = shape[0] if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)) else shape
        try:
            out = self.data.reshape(new)  # type: ignore[arg-type]
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"Tensor.reshape: cannot reshape {self.data.shape} into {new}"
            ) from exc
        old = self.data.shape
        return self.from_op(out, (self,), lambda g: (g.reshape(old),), "reshape")

    def transpose(self, *axes: int) -> Tensor:
        """Permute the axes (reverse them when none are given), as ``numpy.transpose``.

        A view, as in NumPy: no data is copied. The backward applies the
        inverse permutation.

        >>> from nnbook import Tensor
        >>> Tensor([[1.0, 2.0, 3.0]]).transpose().shape
        (3, 1)
        """
        if not axes:
            return self.from_op(self.data.T, (self,), lambda g: (g.T,), "transpose")
        # transpose((1, 0)) or transpose(1, 0)
        one: Any = axes[0] if len(axes) == 1 else None
        perm = tuple(one) if one is not None and not isinstance(one, (int, np.integer)) else axes
        if sorted(int(p) % max(self.data.ndim, 1) for p in perm) != list(range(self.data.ndim)):
            raise ValueError(
                f"Tensor.transpose: argument 'axes' must permute {self.data.ndim} axes, got {perm}"
            )
        inverse = tuple(np.argsort([int(p) % self.data.ndim for p in perm]))
        return self.from_op(
            self.data.transpose(perm), (self,), lambda g: (g.transpose(inverse),), "transpose"
        )

    @property
    def T(self) -> Tensor:
        """The transpose (axes reversed), a view."""
        return self.from_op(self.data.T, (self,), lambda g: (g.T,), "transpose")

    def __getitem__(self, idx: Any) -> Tensor:
        """Indexing, including integer-array indexing, as in NumPy.

        Backward scatter-adds: an element picked twice gets two gradients.

        >>> from nnbook import Tensor
        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> x[np.array([0, 0, 2])].sum().backward()
        >>> x.grad
        array([2., 0., 1.])
        """
        if isinstance(idx, TensorMath):  # a Tensor of indices
            idx = idx.data.astype(np.intp)
        try:
            out = self.data[idx]
        except IndexError as exc:
            raise IndexError(f"Tensor.__getitem__: {exc} (tensor shape {self.data.shape})") from exc
        shape, dtype = self.data.shape, self.data.dtype

        def backward(g: Array) -> Grads:
            full = np.zeros(shape, dtype=dtype)
            np.add.at(full, idx, g)
            return (full,)

        # A copy, as torch: writing into the result must not change this tensor.
        return self.from_op(np.array(out, copy=True), (self,), backward, "index")

    # ------------------------------------------------------ elementwise maths
    def exp(self) -> Tensor:
        """e^x; derivative e^x (the output itself). Overflows to inf, as in torch.

        >>> from nnbook import Tensor
        >>> Tensor([0.0]).exp()
        Tensor([1.])
        """
        with np.errstate(over="ignore"):
            out = np.exp(self.data)
        return self.from_op(out, (self,), lambda g: (g * out,), "exp")

    def log(self) -> Tensor:
        """Natural log; derivative 1/x. log 0 = -inf and log x<0 = nan, as in torch.

        >>> from nnbook import Tensor
        >>> Tensor([1.0]).log()
        Tensor([0.])
        """
        x = self.data
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.log(x)

        def backward(g: Array) -> Grads:
            with np.errstate(divide="ignore", invalid="ignore"):
                return (g / x,)

        return self.from_op(out, (self,), backward, "log")

    def sqrt(self) -> Tensor:
        """√x; derivative 1/(2√x) (inf at 0, as in torch).

        >>> from nnbook import Tensor
        >>> Tensor([4.0]).sqrt()
        Tensor([2.])
        """
        with np.errstate(invalid="ignore"):
            out = np.sqrt(self.data)

        def backward(g: Array) -> Grads:
            with np.errstate(divide="ignore", invalid="ignore"):
                return (g / (2 * out),)

        return self.from_op(out, (self,), backward, "sqrt")

    def abs(self) -> Tensor:
        """abs(x); derivative sign(x), 0 at 0 (torch's choice).

        >>> from nnbook import Tensor
        >>> Tensor([-2.0, 3.0]).abs()
        Tensor([2., 3.])
        """
        x = self.data
        return self.from_op(np.abs(x), (self,), lambda g: (g * np.sign(x),), "abs")

    def sin(self) -> Tensor:
        """sin x; derivative cos x.

        >>> from nnbook import Tensor
        >>> Tensor([0.0]).sin()
        Tensor([0.])
        """
        x = self.data
        return self.from_op(np.sin(x), (self,), lambda g: (g * np.cos(x),), "sin")

    def cos(self) -> Tensor:
        """cos x; derivative −sin x.

        >>> from nnbook import Tensor
        >>> Tensor([0.0]).cos()
        Tensor([1.])
        """
        x = self.data
        return self.from_op(np.cos(x), (self,), lambda g: (-g * np.sin(x),), "cos")

    def tanh(self) -> Tensor:
        """tanh x; derivative 1 − tanh² x.

        >>> from nnbook import Tensor
        >>> Tensor([0.0]).tanh()
        Tensor([0.])
        """
        out = np.tanh(self.data)
        return self.from_op(out, (self,), lambda g: (g * (1 - out * out),), "tanh")

    def sigmoid(self) -> Tensor:
        """σ(x) = 1/(1 + e^−x) (:func:`sigmoid_array`, no overflow); derivative σ(1 − σ).

        >>> from nnbook import Tensor
        >>> Tensor([0.0]).sigmoid()
        Tensor([0.5])
        """
        out = sigmoid_array(self.data)
        return self.from_op(out, (self,), lambda g: (g * out * (1 - out),), "sigmoid")

    def relu(self) -> Tensor:
        """max(0, x); derivative 1[x > 0] (0 at 0, as in torch).

        >>> from nnbook import Tensor
        >>> Tensor([-1.0, 0.0, 2.0]).relu()
        Tensor([0., 0., 2.])
        """
        out = np.maximum(self.data, 0)  # +0.0 for negative inputs, as torch (x·0 would give −0.0)
        return self.from_op(out, (self,), lambda g: (g * (out > 0),), "relu")

    def leaky_relu(self, negative_slope: float = 0.01) -> Tensor:
        """x if x > 0 else s·x; derivative 1 or s (s at 0, as in torch).

        >>> from nnbook import Tensor
        >>> Tensor([-1.0, 2.0]).leaky_relu(0.1)
        Tensor([-0.1,  2. ])
        """
        slope = np.where(self.data > 0, 1.0, negative_slope).astype(self.data.dtype, copy=False)
        return self.from_op(self.data * slope, (self,), lambda g: (g * slope,), "leaky_relu")

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:
        """Clamp into [min, max], as ``torch.clamp``; derivative 1 inside the
        closed interval, 0 outside.

        >>> from nnbook import Tensor
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
        return self.from_op(np.clip(x, min, max), (self,), lambda g: (g * inside,), "clip")

    def softmax(self, axis: int = -1) -> Tensor:
        """softmax(x)_i = e^{x_i − m} / Σ_j e^{x_j − m} with m = max x (stable).

        Backward (the vector–Jacobian product): s ⊙ (g − Σ g ⊙ s).

        >>> from nnbook import Tensor
        >>> Tensor([0.0, 0.0]).softmax()
        Tensor([0.5, 0.5])
        """
        (ax,) = _axes(axis, self.data.ndim, "Tensor.softmax")
        e = np.exp(self.data - self.data.max(axis=ax, keepdims=True))
        s = e / e.sum(axis=ax, keepdims=True)

        def backward(g: Array) -> Grads:
            return (s * (g - (g * s).sum(axis=ax, keepdims=True)),)

        return self.from_op(s, (self,), backward, "softmax")

    def log_softmax(self, axis: int = -1) -> Tensor:
        """log softmax(x) = x − m − log Σ e^{x − m} (stable for logits of any size).

        Backward: g − softmax(x) · Σ g.

        >>> from nnbook import Tensor
        >>> Tensor([1000.0, 1000.0]).log_softmax()
        Tensor([-0.6931, -0.6931])
        """
        (ax,) = _axes(axis, self.data.ndim, "Tensor.log_softmax")
        shifted = self.data - self.data.max(axis=ax, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=ax, keepdims=True))

        def backward(g: Array) -> Grads:
            return (g - np.exp(out) * g.sum(axis=ax, keepdims=True),)

        return self.from_op(out, (self,), backward, "log_softmax")
