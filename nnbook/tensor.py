"""The :class:`Tensor` and its operations: each forward beside its backward.

A :class:`Tensor` wraps a NumPy array. An operation computes its result and
records it with :meth:`Tensor.from_op`: the inputs (``parents``), a name
(``op``) and a ``backward`` function, the local step of the chain rule. The
walk that applies those steps is :func:`nnbook.autograd.backward`.

**The backward protocol**, the one rule every operation follows (the engine's
own, the losses' and the layers'): ``backward(g)`` receives ``g``, the
gradient of the final scalar with respect to the operation's output (an array
shaped like the output), and returns a tuple with one entry per parent: the
gradient with respect to that parent, an array of the parent's shape, or
``None`` when the parent needs none (it may skip the work when
``parent.requires_grad`` is False). It must not modify ``g`` in place; it may
return ``g`` itself or a view of it (the engine copies before it stores a
shared array in a leaf's ``.grad``).

For ``out = a * b`` the backward is ``lambda g: (g * b.data, g * a.data)``;
every backward below can be checked against the calculus in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnbook._util import as_float_array
from nnbook.tensor_math import TensorMath

__all__ = ["Tensor", "is_grad_enabled", "maximum", "no_grad"]

Array = np.ndarray
Grads = tuple[Array | None, ...]
BackwardFn = Callable[[Array], Grads]

_grad_enabled = True


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


def _sum_to(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum ``grad`` down to ``shape``, undoing broadcasting.

    Broadcasting copies an input along some axes; every copy feeds the output,
    so their gradients add up (the multivariable chain rule).
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    stretched = tuple(lead + i for i, n in enumerate(shape) if n == 1)
    return grad.sum(axis=tuple(range(lead)) + stretched, keepdims=True).reshape(shape)


def _operand(x: Any, op: str) -> Tensor | float:
    """The other operand of an arithmetic op: Tensors as they are, plain numbers
    as Python numbers (float32 * 2.0 stays float32, as in torch), arrays as
    constant tensors."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
        return float(x) if isinstance(x, (np.integer, np.floating)) else x
    return Tensor(as_float_array(x, f"Tensor.{op}", "other"))


LocalGrad = Callable[[Array, Any, Any, Array], Array]


def _elementwise(
    op: str,
    a: Any,
    b: Any,
    forward: Callable[[Any, Any], Array],
    grads: tuple[LocalGrad, LocalGrad],
) -> Tensor:
    """A broadcasting binary op of two operands (Tensors or plain numbers).

    ``grads`` holds the two local steps ``(g, a, b, out) -> g·∂out/∂a`` and
    ``g·∂out/∂b`` on the operands' values. Each runs only for an operand that
    needs a gradient, and its result is summed down to that operand's shape.
    Plain numbers are constants and not parents (a drawing of the graph does
    not show the 1 in ``1 + x``).
    """
    a_t, b_t = isinstance(a, Tensor), isinstance(b, Tensor)
    ad, bd = (a.data if a_t else a), (b.data if b_t else b)
    try:
        out = forward(ad, bd)
    except ValueError as exc:
        raise ValueError(
            f"Tensor.{op}: shapes {np.shape(ad)} and {np.shape(bd)} do not broadcast"
        ) from exc
    grad_a, grad_b = grads

    def backward(g: Array) -> Grads:
        ga = _sum_to(grad_a(g, ad, bd, out), ad.shape) if a_t and a.requires_grad else None
        gb = _sum_to(grad_b(g, ad, bd, out), bd.shape) if b_t and b.requires_grad else None
        return (ga, gb) if a_t and b_t else (ga,) if a_t else (gb,)

    parents = (a, b) if a_t and b_t else (a,) if a_t else (b,)
    return Tensor.from_op(out, parents, backward, op)


# --------------------------------------------------- the binary ops' local gradients
# Each pair is (g·∂out/∂a, g·∂out/∂b) as functions of (g, a, b, out), on values.
_ADD = (lambda g, a, b, out: g, lambda g, a, b, out: g)
_SUB = (lambda g, a, b, out: g, lambda g, a, b, out: -g)
_MUL = (lambda g, a, b, out: g * b, lambda g, a, b, out: g * a)


def _div_a(g: Array, a: Any, b: Any, out: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        return g / b  # d(a/b)/da = 1/b


def _div_b(g: Array, a: Any, b: Any, out: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        return -g * out / b  # d(a/b)/db = −a/b² = −(a/b)/b


def _pow_a(g: Array, a: Any, b: Any, out: Array) -> Array:
    # d(a^b)/da = b·a^(b−1), and 0 where b == 0 (torch: 0^0 has slope 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ga = np.where(np.equal(b, 0), 0.0, g * b * np.power(a, np.subtract(b, 1)))
    return ga.astype(g.dtype, copy=False)


def _pow_b(g: Array, a: Any, b: Any, out: Array) -> Array:
    # d(a^b)/db = a^b·log a, and 0 where a == 0 and b >= 0 (torch)
    with np.errstate(divide="ignore", invalid="ignore"):
        gb = np.where(np.equal(a, 0) & np.greater_equal(b, 0), 0.0, g * out * np.log(a))
    return gb.astype(g.dtype, copy=False)


def _max_a(g: Array, a: Any, b: Any, out: Array) -> Array:
    # All of g to the larger input, none to the smaller, half each at a tie;
    # comparisons with NaN are all False, so NaN passes g to both, as in torch.
    w = np.where(np.equal(a, b), 0.5, np.where(np.less(a, b), 0.0, 1.0))
    return (g * w).astype(g.dtype, copy=False)


def _max_b(g: Array, a: Any, b: Any, out: Array) -> Array:
    return _max_a(g, b, a, out)


_DIV, _POW, _MAX = (_div_a, _div_b), (_pow_a, _pow_b), (_max_a, _max_b)


class Tensor(TensorMath):
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
        A leaf's accumulated gradient. As in PyTorch, an interior tensor (the
        result of an operation) keeps its gradient only after
        :meth:`retain_grad`.
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

    __slots__ = ("_backward", "_retain", "data", "grad", "name", "op", "parents", "requires_grad")
    # Make NumPy defer to Tensor's reflected operators (ndarray + Tensor -> Tensor).
    __array_ufunc__ = None

    data: Array
    grad: Array | None
    requires_grad: bool
    op: str
    parents: tuple[Tensor, ...]
    name: str
    _backward: BackwardFn | None
    _retain: bool

    def __init__(self, data: Any, requires_grad: bool = False, name: str = "") -> None:
        if isinstance(data, Tensor):
            data = data.data
        self.data = as_float_array(data, "Tensor", "data")
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
        self._retain = False

    @classmethod
    def from_op(
        cls, data: Array, parents: tuple[Tensor, ...], backward: BackwardFn, op: str = ""
    ) -> Tensor:
        """The result of an operation: the one way every op in nnbook is recorded.

        ``data`` is the result (an ndarray the new tensor owns), ``parents``
        the input tensors, ``backward`` the local chain-rule step (the
        protocol in this module's docstring: one gradient or ``None`` per
        parent) and ``op`` a name for drawings. The graph is kept only when
        recording is on and some parent requires grad.

        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> y = Tensor.from_op(x.data ** 3, (x,), lambda g: (3 * x.data ** 2 * g,), op="cube")
        >>> y.sum().backward()
        >>> x.grad
        array([ 3., 12.])
        """
        out = cls.__new__(cls)
        out.data = data
        out.grad = None
        out.name = ""
        out.op = op
        out._retain = False
        if _grad_enabled:
            for p in parents:
                if p.requires_grad:
                    out.requires_grad, out.parents, out._backward = True, parents, backward
                    return out
        out.requires_grad, out.parents, out._backward = False, (), None
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

    @property
    def is_leaf(self) -> bool:
        """True unless an operation recorded in a graph produced this tensor (torch's rule).

        >>> x = Tensor(1.0, requires_grad=True)
        >>> x.is_leaf, (x * 2).is_leaf
        (True, False)
        """
        return self._backward is None

    @property
    def retains_grad(self) -> bool:
        """Whether this interior tensor will keep its ``.grad`` (see :meth:`retain_grad`)."""
        return self._retain

    def retain_grad(self) -> None:
        """Keep this interior tensor's gradient in ``.grad``, as ``torch.Tensor.retain_grad``.

        By default ``backward`` stores gradients only in the leaves: the
        interior ones are needed only while the walk passes through them, and
        freeing them at once is what keeps a deep network's memory low. A leaf
        keeps its gradient anyway, so this does nothing for a leaf.

        >>> x = Tensor(2.0, requires_grad=True)
        >>> y = x * x
        >>> y.retain_grad()
        >>> (3 * y).backward()
        >>> y.grad, x.grad
        (array(3.), array(12.))
        """
        if not self.requires_grad:
            raise RuntimeError(
                "Tensor.retain_grad: this tensor does not require grad, so it gets no gradient"
            )
        if self._backward is not None:
            self._retain = True

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

    def backward(self, grad: Any = None) -> None:
        """Back-propagate from this tensor, as ``torch.Tensor.backward``.

        A scalar starts from 1; a non-scalar needs ``grad``. Leaves accumulate
        their gradients into ``.grad`` across calls until zeroed; interior
        tensors keep theirs only after :meth:`retain_grad`. The walk is
        :func:`nnbook.autograd.backward`.

        >>> a = Tensor([1.0, 2.0], requires_grad=True)
        >>> (a * a).backward(np.ones(2))
        >>> a.grad
        array([2., 4.])
        """
        _autograd.backward(self, grad)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, separator=", ")
        extra = f", op='{self.op}'" if self.parents else ""
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({body}{grad}{extra})"

    # ------------------------------------------------------------ arithmetic
    # The local gradients _ADD, _MUL, ... are above the class.
    def __add__(self, other: Any) -> Tensor:
        return _elementwise("add", self, _operand(other, "add"), np.add, _ADD)

    def __radd__(self, other: Any) -> Tensor:
        return _elementwise("add", _operand(other, "add"), self, np.add, _ADD)

    def __sub__(self, other: Any) -> Tensor:
        return _elementwise("sub", self, _operand(other, "sub"), np.subtract, _SUB)

    def __rsub__(self, other: Any) -> Tensor:
        return _elementwise("sub", _operand(other, "sub"), self, np.subtract, _SUB)

    def __mul__(self, other: Any) -> Tensor:
        return _elementwise("mul", self, _operand(other, "mul"), np.multiply, _MUL)

    def __rmul__(self, other: Any) -> Tensor:
        return _elementwise("mul", _operand(other, "mul"), self, np.multiply, _MUL)

    def __truediv__(self, other: Any) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):  # x/0 is ±inf, as in torch
            return _elementwise("div", self, _operand(other, "div"), np.true_divide, _DIV)

    def __rtruediv__(self, other: Any) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):
            return _elementwise("div", _operand(other, "div"), self, np.true_divide, _DIV)

    def __pow__(self, other: Any) -> Tensor:
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            return self._pow_number(other)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _elementwise("pow", self, _operand(other, "pow"), np.power, _POW)

    def __rpow__(self, other: Any) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):
            return _elementwise("pow", _operand(other, "pow"), self, np.power, _POW)

    def _pow_number(self, p: float) -> Tensor:
        """x^p for a plain number p: d/dx = p·x^(p−1), and 0 when p = 0 (torch)."""
        x = self.data
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = x * x if p == 2 else x**p

        def backward(g: Array) -> Grads:
            if p == 0:
                return (np.zeros_like(g),)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return (2 * g * x if p == 2 else g * p * x ** (p - 1),)

        return Tensor.from_op(out, (self,), backward, "pow")

    def __neg__(self) -> Tensor:
        return Tensor.from_op(-self.data, (self,), lambda g: (-g,), "neg")

    def __matmul__(self, other: Any) -> Tensor:
        return _matmul(self, _as_tensor(other, "Tensor.matmul"))

    def __rmatmul__(self, other: Any) -> Tensor:
        return _matmul(_as_tensor(other, "Tensor.matmul"), self)


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
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        a, b = _as_tensor(a, "maximum", "a"), _as_tensor(b, "maximum", "b")
    return _elementwise("maximum", _operand(a, "maximum"), _operand(b, "maximum"), np.maximum, _MAX)


def _as_tensor(x: Any, func: str, arg: str = "other") -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(as_float_array(x, func, arg))


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    """a @ b with NumPy's rules (1-D operands, batch broadcasting).

    For D = A B: dA = dD Bᵀ and dB = Aᵀ dD.
    """
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"Tensor.matmul: operands must be at least 1-D, got {a.shape} @ {b.shape}")
    ad, bd = a.data, b.data
    try:
        out = ad @ bd
    except ValueError as exc:
        raise ValueError(
            f"Tensor.matmul: shapes {a.shape} @ {b.shape} do not align "
            f"(the last axis of the left must equal the first matrix axis of the right)"
        ) from exc

    def backward(g: Array) -> Grads:
        if ad.ndim == 2 and bd.ndim == 2:
            return (g @ bd.T if a.requires_grad else None, ad.T @ g if b.requires_grad else None)
        if ad.ndim == 1 and bd.ndim == 1:  # a dot product: g is a scalar
            return g * bd, g * ad
        # 1-D operands are matrices with a unit axis added (NumPy's rule), then removed.
        a2 = ad[None, :] if ad.ndim == 1 else ad
        b2 = bd[:, None] if bd.ndim == 1 else bd
        g2 = g
        if ad.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        if bd.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        ga = _sum_to(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(ad.shape)
        gb = _sum_to(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(bd.shape)
        return ga, gb

    return Tensor.from_op(out, (a, b), backward, "matmul")


# The walk is the chain-rule chapter's module, which builds on this one: imported last.
from nnbook import autograd as _autograd  # noqa: E402
