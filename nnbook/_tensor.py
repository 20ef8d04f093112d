"""The :class:`Tensor`, its factories and its operations: each forward beside its backward.

A :class:`Tensor` wraps a NumPy array. An operation computes its result and
records it with :meth:`Tensor.from_op`: the inputs (``parents``), a name
(``op``) and a ``backward`` function, the local step of the chain rule. The
walk that applies those steps is :func:`nnbook.autograd.backward`.

**The backward protocol**, the one rule every operation follows (the engine's
own, the losses' and the layers'): ``backward(g)`` receives ``g``, the
gradient of the final scalar with respect to the operation's output (an array
shaped like the output), and returns a tuple with one entry per parent: the
gradient with respect to that parent, an array of the parent's shape and
dtype, or ``None`` when the parent needs none (it may skip the work when
``parent.requires_grad`` is False). It must not modify ``g`` in place; it may
return ``g`` itself or a view of it (the engine copies before it stores a
shared array in a leaf's ``.grad``).

For ``out = a * b`` the backward is ``lambda g: (g * b.data, g * a.data)``;
every backward below can be checked against the calculus in the same way.

The names, arguments and results are PyTorch's (``dim``/``keepdim``, with
NumPy's ``axis``/``keepdims`` accepted as PyTorch accepts them), including
its dtype promotion: a 0-d tensor does not raise the dtype of an N-d one.
The default float dtype is float64.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from nnbook import _graph
from nnbook._util import as_float_array, quiet
from nnbook._util import quiet_off as _quiet_off
from nnbook._util import quiet_on as _quiet_on

__all__ = [
    "Tensor",
    "empty",
    "is_grad_enabled",
    "maximum",
    "no_grad",
    "ones",
    "tensor",
    "zeros",
]

Array = np.ndarray
Grads = tuple[Array | None, ...]
BackwardFn = Callable[[Array], Grads]
Dims = int | Sequence[int] | None
Real = float  # the builtin, for annotations inside Tensor (whose .float() shadows it)

_grad_enabled = True


def is_grad_enabled() -> bool:
    """Whether new operations are recorded for backpropagation, as ``torch.is_grad_enabled``.

    >>> is_grad_enabled()
    True
    """
    return _grad_enabled


class no_grad:
    """Context manager that stops recording operations, as ``torch.no_grad``.

    Inside the block every result has ``requires_grad=False`` and keeps no
    graph: what an optimizer's update or an evaluation pass needs. Like
    PyTorch's, it also decorates a function.

    >>> w = tensor([1.0, 2.0], requires_grad=True)
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

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with no_grad():
                return fn(*args, **kwargs)

        wrapper.__doc__, wrapper.__name__ = fn.__doc__, getattr(fn, "__name__", "wrapper")
        return wrapper


# ------------------------------------------------------------------ dtypes and operands
_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def _promote(a: Array, b: Array) -> np.dtype[Any]:
    """PyTorch's result dtype of two tensors' values.

    The highest category (bool < integer < float) wins. Within it, the
    operands with dimensions decide; a 0-d operand decides only when it alone
    holds the highest category, or when both are 0-d. So float32 (3,) with a
    float64 0-d gives float32 (NumPy would give float64).
    """
    ka, kb = _KIND_RANK[a.dtype.kind], _KIND_RANK[b.dtype.kind]
    if ka != kb:
        return a.dtype if ka > kb else b.dtype
    if (a.ndim == 0) != (b.ndim == 0):
        return a.dtype if b.ndim == 0 else b.dtype
    return np.promote_types(a.dtype, b.dtype)


def _as_value(x: Any, func: str, arg: str) -> Tensor | float | int:
    """An operand of a binary op: a Tensor as it is, a plain number as a Python
    number (float32 * 2.0 stays float32, as in PyTorch), an array-like as a
    constant tensor (ints and bools as float64)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (bool, np.bool_)):
        return int(x)
    if isinstance(x, (int, float)):
        return x
    if isinstance(x, (np.integer, np.floating)):
        return x.item()
    return Tensor(as_float_array(x, func, arg))


def _as_tensor(x: Any, func: str, arg: str = "input") -> Tensor:
    """The one input coercion: a Tensor passes (with its graph), an array-like
    becomes a constant tensor (float dtypes kept, ints and bools as float64).

    >>> _as_tensor([1, 2], "demo").dtype
    dtype('float64')
    """
    return x if isinstance(x, Tensor) else Tensor(as_float_array(x, func, arg))


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


def _dims(dim: Dims, ndim: int, func: str) -> tuple[int, ...]:
    """``dim`` as a tuple of non-negative axes (all of them for None or ()).

    A 0-d tensor accepts dim 0 and -1, as in PyTorch (reducing over nothing).
    """
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim or ())
    if not dims:  # None or (): every dimension, as torch
        return tuple(range(ndim))
    span = max(ndim, 1)
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not -span <= d < span:
            raise ValueError(
                f"{func}: argument 'dim' must be in [-{span}, {span - 1}] for a "
                f"{ndim}-D tensor, got {dim!r}"
            )
    if ndim == 0:
        return ()
    out = tuple(int(d) % ndim for d in dims)
    if len(set(out)) != len(out):
        raise ValueError(f"{func}: argument 'dim' repeats a dimension: {dim!r}")
    return out


def _dim_args(func: str, dim: Dims, keepdim: bool, axis: Dims, keepdims: Any) -> tuple[Dims, bool]:
    """PyTorch's ``dim``/``keepdim`` with NumPy's ``axis``/``keepdims`` accepted as aliases."""
    if axis is not None:
        if dim is not None:
            raise TypeError(f"{func}: got both 'dim' and its alias 'axis'")
        dim = axis
    if keepdims is not None:
        keepdim = keepdims
    return dim, bool(keepdim)


def _check_nonempty(x: Array, dims: tuple[int, ...], func: str) -> None:
    if x.size == 0 and len(dims) == x.ndim:
        raise ValueError(
            f"{func}: cannot reduce an empty tensor of shape {x.shape} over every dimension; "
            "name the dimensions with 'dim'"
        )
    for d in dims:
        if x.shape[d] == 0:
            raise ValueError(
                f"{func}: cannot reduce over dimension {d} of size 0 (an empty tensor of "
                f"shape {x.shape}); the operation has no identity"
            )


class MaxResult(NamedTuple):
    """``(values, indices)`` of :meth:`Tensor.max` along a dimension (torch.return_types.max)."""

    values: Tensor
    indices: Tensor


# ------------------------------------------------------------------------- the Tensor
class Tensor:
    """An ndarray that records the operations applied to it, as ``torch.Tensor``.

    Parameters
    ----------
    data : array-like
        Numbers; floats keep their dtype (float32 stays float32), ints and
        bools become float64 (``Tensor(...)`` makes float tensors, as
        ``torch.Tensor(...)``; :func:`nnbook.tensor` keeps integers).
        Strings and objects are refused.
    requires_grad : bool
        Whether gradients with respect to this tensor are wanted (floating
        point only, as in PyTorch).
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
    # Comparisons give tensors, so hashing is by identity, as in PyTorch.
    __hash__ = object.__hash__

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
        self.grad = None
        self.op = ""
        self.parents = ()
        self.name = str(name)
        self._backward = None
        self._retain = False
        self.requires_grad = False
        self.requires_grad_(requires_grad)

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

    @classmethod
    def _constant(cls, data: Array, op: str = "") -> Tensor:
        """A result that needs no gradient (comparisons, argmax): any dtype."""
        out = cls.__new__(cls)
        out.data, out.grad, out.name, out.op, out._retain = data, None, "", op, False
        out.requires_grad, out.parents, out._backward = False, (), None
        return out

    # ----------------------------------------------------------------- basics
    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``data`` (PyTorch's ``torch.Size`` is a tuple too)."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of ``data``."""
        return self.data.dtype

    def size(self, dim: int | None = None) -> Any:
        """The shape, or the length of dimension ``dim``, as ``torch.Tensor.size``.

        >>> t = Tensor([[1.0, 2.0, 3.0]])
        >>> t.size(), t.size(1), t.size(-1)
        ((1, 3), 3, 3)
        """
        if dim is None:
            return self.data.shape
        (d,) = _dims(dim, self.data.ndim, "Tensor.size") or (0,)
        return self.data.shape[d]

    def numel(self) -> int:
        """The number of elements, as ``torch.Tensor.numel``.

        >>> Tensor([[1.0, 2.0, 3.0]]).numel()
        3
        """
        return int(self.data.size)

    def dim(self) -> int:
        """The number of dimensions, as ``torch.Tensor.dim``."""
        return self.data.ndim

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

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return the tensor, as PyTorch.

        Only a leaf with a floating-point dtype can change it.

        >>> Tensor([1.0]).requires_grad_().requires_grad
        True
        """
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(
                "Tensor: argument 'requires_grad' must be a bool, "
                f"got {type(requires_grad).__name__}"
            )
        if requires_grad and self.data.dtype.kind != "f":
            raise RuntimeError(
                "Tensor.requires_grad_: only Tensors of floating point dtype can require "
                f"gradients, got {self.data.dtype}"
            )
        if self._backward is not None and not requires_grad:
            raise RuntimeError(
                "Tensor.requires_grad_: you can only change requires_grad flags of leaf "
                "variables; use detach()"
            )
        self.requires_grad = bool(requires_grad)
        return self

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

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number.

        >>> Tensor([[2.5]]).item()
        2.5
        """
        if self.data.size != 1:
            raise ValueError(
                "Tensor.item: only a one-element tensor converts to a number, "
                f"got shape {self.shape}"
            )
        return self.data.reshape(()).item()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with {self.data.size} values is ambiguous "
                f"(shape {self.shape}); use .any() or .all()"
            )
        return bool(self.data.reshape(()))

    def tolist(self) -> Any:
        """The values as (nested) Python lists, as ``torch.Tensor.tolist``.

        >>> Tensor([[1, 2]]).tolist()
        [[1.0, 2.0]]
        """
        return self.data.tolist()

    def numpy(self) -> Array:
        """The underlying ndarray (not a copy), as ``torch.Tensor.numpy``.

        As in PyTorch, a tensor that requires grad refuses: detach it first.

        >>> Tensor([1, 2]).numpy()
        array([1., 2.])
        """
        if self.requires_grad:
            raise RuntimeError(
                "Tensor.numpy: can't call numpy() on a Tensor that requires grad; "
                "use tensor.detach().numpy()"
            )
        return self.data

    def detach(self) -> Tensor:
        """A new leaf sharing ``data`` and cut off from the graph.

        >>> x = Tensor(1.0, requires_grad=True)
        >>> (x * 2).detach().requires_grad
        False
        """
        return Tensor._constant(self.data)

    def clone(self) -> Tensor:
        """A copy that stays on the graph (the gradient passes through), as PyTorch.

        >>> Tensor([1.0]).clone().data
        array([1.])
        """
        return self.from_op(self.data.copy(), (self,), lambda g: (g,), "clone")

    def to(self, dtype: Any) -> Tensor:
        """A copy in ``dtype``, as ``torch.Tensor.to``; between float dtypes the
        gradient flows back (cast to this tensor's dtype).

        >>> Tensor([1.5]).to(np.float32).dtype
        dtype('float32')
        """
        dt = np.dtype(dtype)
        if dt == self.data.dtype:
            return self
        out = self.data.astype(dt)
        if dt.kind != "f" or self.data.dtype.kind != "f":
            return Tensor._constant(out, "to")
        old = self.data.dtype
        return self.from_op(out, (self,), lambda g: (g.astype(old),), "to")

    def float(self) -> Tensor:
        """``to(float32)``, as ``torch.Tensor.float``."""
        return self.to(np.float32)

    def double(self) -> Tensor:
        """``to(float64)``, as ``torch.Tensor.double``."""
        return self.to(np.float64)

    def long(self) -> Tensor:
        """``to(int64)``, as ``torch.Tensor.long`` (no gradient)."""
        return self.to(np.int64)

    def backward(self, gradient: Any = None, retain_graph: bool | None = None) -> None:
        """Back-propagate from this tensor, as ``torch.Tensor.backward``.

        A scalar starts from 1; a non-scalar needs ``gradient``. Leaves
        accumulate their gradients into ``.grad`` across calls until zeroed;
        interior tensors keep theirs only after :meth:`retain_grad`. The walk
        frees the graph: a second backward through it raises unless
        ``retain_graph=True`` was given (see :func:`nnbook.autograd.backward`).

        >>> a = Tensor([1.0, 2.0], requires_grad=True)
        >>> (a * a).backward(np.ones(2))
        >>> a.grad
        array([2., 4.])
        """
        grad = gradient.data if isinstance(gradient, Tensor) else gradient
        _graph.backward(self, grad, bool(retain_graph))

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, separator=", ")
        kind = "" if self.data.dtype.kind == "f" else f", dtype={self.data.dtype}"
        extra = f", op='{self.op}'" if self.parents else ""
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({body}{kind}{grad}{extra})"

    # ------------------------------------------------------------ arithmetic
    # Each is a function below the class, with its backward beside its forward.
    def __add__(self, other: Any) -> Tensor:
        return _add(self, _as_value(other, "Tensor.add", "other"))

    def __radd__(self, other: Any) -> Tensor:
        return _add(_as_value(other, "Tensor.add", "other"), self)

    def __sub__(self, other: Any) -> Tensor:
        return _sub(self, _as_value(other, "Tensor.sub", "other"))

    def __rsub__(self, other: Any) -> Tensor:
        return _sub(_as_value(other, "Tensor.sub", "other"), self)

    def __mul__(self, other: Any) -> Tensor:
        return _mul(self, _as_value(other, "Tensor.mul", "other"))

    def __rmul__(self, other: Any) -> Tensor:
        return _mul(_as_value(other, "Tensor.mul", "other"), self)

    def __truediv__(self, other: Any) -> Tensor:
        return _div(self, _as_value(other, "Tensor.div", "other"))

    def __rtruediv__(self, other: Any) -> Tensor:
        return _div(_as_value(other, "Tensor.div", "other"), self)

    def __pow__(self, other: Any) -> Tensor:
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            return _pow_number(self, other)
        return _pow(self, _as_value(other, "Tensor.pow", "other"))

    def __rpow__(self, other: Any) -> Tensor:
        return _pow(_as_value(other, "Tensor.pow", "other"), self)

    def __neg__(self) -> Tensor:
        return self.from_op(-self.data, (self,), lambda g: (-g,), "neg")

    def __matmul__(self, other: Any) -> Tensor:
        return _matmul(self, _as_tensor(other, "Tensor.matmul", "other"))

    def __rmatmul__(self, other: Any) -> Tensor:
        return _matmul(_as_tensor(other, "Tensor.matmul", "other"), self)

    # In place, as PyTorch: refused on a leaf that requires grad (outside no_grad);
    # without a graph the values change in place.
    def _inplace(self, other: Any, op: Callable[[Any, Any], Tensor], ufunc: Any) -> Tensor:
        if _grad_enabled and self.requires_grad and self._backward is None:
            raise RuntimeError(
                f"Tensor.{ufunc.__name__}_: a leaf Variable that requires grad is being used in "
                "an in-place operation (do it inside no_grad(), or on .data)"
            )
        value = _as_value(other, f"Tensor.{ufunc.__name__}_", "other")
        if _grad_enabled and (self.requires_grad or getattr(value, "requires_grad", False)):
            return op(self, value)  # recorded as a new node, which the name now refers to
        v = value.data if isinstance(value, Tensor) else value
        ufunc(self.data, v, out=self.data, casting="same_kind")
        return self

    def __iadd__(self, other: Any) -> Tensor:
        return self._inplace(other, _add, np.add)

    def __isub__(self, other: Any) -> Tensor:
        return self._inplace(other, _sub, np.subtract)

    def __imul__(self, other: Any) -> Tensor:
        return self._inplace(other, _mul, np.multiply)

    def __itruediv__(self, other: Any) -> Tensor:
        return self._inplace(other, _div, np.true_divide)

    # ----------------------------------------------------------- comparisons
    # Results need no gradient: bool tensors, as in PyTorch.
    def _compare(self, other: Any, ufunc: Any) -> Tensor:
        v = other.data if isinstance(other, Tensor) else _as_value(other, "Tensor.compare", "other")
        if isinstance(v, Tensor):
            v = v.data
        try:
            out = ufunc(self.data, v)
        except ValueError as exc:
            raise ValueError(
                f"Tensor.{ufunc.__name__}: shapes {self.shape} and {np.shape(v)} do not broadcast"
            ) from exc
        return Tensor._constant(np.asarray(out), ufunc.__name__)

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater_equal)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.not_equal)

    def any(self) -> Tensor:
        """True if any element is non-zero (a bool tensor), as ``torch.any``."""
        return Tensor._constant(np.asarray(self.data.any()), "any")

    def all(self) -> Tensor:
        """True if every element is non-zero (a bool tensor), as ``torch.all``."""
        return Tensor._constant(np.asarray(self.data.all()), "all")

    # ------------------------------------------------------------ reductions
    def sum(
        self, dim: Dims = None, keepdim: bool = False, *, axis: Dims = None, keepdims: Any = None
    ) -> Tensor:
        """Sum over ``dim`` (all dimensions when None), as ``torch.sum``.

        Backward: every summed element receives the output's gradient.

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=0)
        Tensor([4., 6.])
        """
        dim, keepdim = _dim_args("Tensor.sum", dim, keepdim, axis, keepdims)
        dims, shape = _dims(dim, self.data.ndim, "Tensor.sum"), self.data.shape

        def backward(g: Array) -> Grads:
            return (np.broadcast_to(g if keepdim else np.expand_dims(g, dims), shape),)

        token = _quiet_on()  # inf + (−inf) is NaN without a warning, as in torch
        try:
            out = np.asarray(self.data.sum(axis=dims, keepdims=keepdim))
        finally:
            _quiet_off(token)
        return self.from_op(out, (self,), backward, "sum")

    @quiet
    def mean(
        self, dim: Dims = None, keepdim: bool = False, *, axis: Dims = None, keepdims: Any = None
    ) -> Tensor:
        """Mean over ``dim`` (all dimensions when None), as ``torch.mean``; nan when empty.

        Backward: each of the n averaged elements receives g / n.

        >>> Tensor([1.0, 2.0, 6.0]).mean()
        Tensor(3.)
        """
        dim, keepdim = _dim_args("Tensor.mean", dim, keepdim, axis, keepdims)
        if self.data.dtype.kind != "f":
            raise RuntimeError(
                f"Tensor.mean: could not infer output dtype; input dtype {self.data.dtype} "
                "must be floating point"
            )
        dims, shape = _dims(dim, self.data.ndim, "Tensor.mean"), self.data.shape
        count = int(np.prod([shape[d] for d in dims]))
        dtype = self.data.dtype

        def backward(g: Array) -> Grads:
            g = g if keepdim else np.expand_dims(g, dims)
            return (np.broadcast_to(g / dtype.type(max(count, 1)), shape),)

        total = np.asarray(self.data.sum(axis=dims, keepdims=keepdim))
        out = total / dtype.type(count) if count else np.full(total.shape, np.nan, dtype)
        return self.from_op(np.asarray(out, dtype), (self,), backward, "mean")

    @quiet
    def amax(
        self, dim: Dims = None, keepdim: bool = False, *, axis: Dims = None, keepdims: Any = None
    ) -> Tensor:
        """Maximum over ``dim`` (all dimensions when None), as ``torch.amax``.

        Backward: the gradient goes to the maximal elements, split evenly
        among ties.

        >>> x = Tensor([1.0, 5.0, 5.0], requires_grad=True)
        >>> x.amax().backward()
        >>> x.grad
        array([0. , 0.5, 0.5])
        """
        dim, keepdim = _dim_args("Tensor.amax", dim, keepdim, axis, keepdims)
        x = self.data
        dims = _dims(dim, x.ndim, "Tensor.amax")
        _check_nonempty(x, dims, "Tensor.amax")
        kept = x.max(axis=dims, keepdims=True)

        def backward(g: Array) -> Grads:
            # torch: grad · 1[x == max] / count (a NaN maximum matches nothing: 0/0 = NaN)
            mask = x == kept
            g = g if keepdim else np.expand_dims(g, dims)
            count = mask.sum(axis=dims, keepdims=True).astype(x.dtype)
            return ((g / count * mask).astype(x.dtype, copy=False),)

        out = kept if keepdim else kept.reshape([n for i, n in enumerate(x.shape) if i not in dims])
        return self.from_op(out, (self,), backward, "amax")

    @quiet
    def max(self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None) -> Any:
        """The maximum, as ``torch.max``.

        Without ``dim``: the largest element (a 0-d tensor; the gradient is
        split evenly among ties, as :meth:`amax`). With ``dim``: the named
        tuple ``(values, indices)`` along that dimension; the gradient of
        ``values`` goes to the element ``indices`` picks (the first maximum).

        >>> t = Tensor([[1.0, 5.0], [7.0, 2.0]])
        >>> t.max()
        Tensor(7.)
        >>> t.max(dim=1).indices
        Tensor([1, 0], dtype=int64)
        """
        dims, keepdim = _dim_args("Tensor.max", dim, keepdim, axis, None)
        if dims is None:
            if keepdim:
                raise TypeError("Tensor.max: 'keepdim' needs 'dim'")
            if self.data.size == 0:
                raise ValueError(
                    "Tensor.max: cannot take the maximum of an empty tensor without 'dim', "
                    f"shape {self.shape}"
                )
            x, top = self.data, self.data.max()

            def evenly(g: Array) -> Grads:
                # torch's evenly_distribute_backward: a NaN maximum sends g to the NaNs
                mask = np.isnan(x) if np.isnan(top) else x == top
                return (np.where(mask, g / x.dtype.type(mask.sum()), 0).astype(x.dtype),)

            return self.from_op(np.asarray(top), (self,), evenly, "max")
        if not isinstance(dims, (int, np.integer)):
            raise TypeError(f"Tensor.max: argument 'dim' must be an int, got {dims!r}")
        dim = int(dims)
        idx = self.argmax(dim, keepdim=True).data
        x = self.data
        if x.ndim == 0:
            return MaxResult(self.clone(), Tensor._constant(np.zeros((), np.int64)))
        (d,) = _dims(dim, x.ndim, "Tensor.max")
        _check_nonempty(x, (d,), "Tensor.max")
        values = np.take_along_axis(x, idx, axis=d)

        def backward(g: Array) -> Grads:
            full = np.zeros(x.shape, x.dtype)
            np.put_along_axis(full, idx, g if keepdim else np.expand_dims(g, d), axis=d)
            return (full,)

        out = values if keepdim else values.squeeze(d)
        indices = idx if keepdim else idx.squeeze(d)
        return MaxResult(self.from_op(out, (self,), backward, "max"), Tensor._constant(indices))

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the (first) maximum, as ``torch.argmax``: an int64 tensor.

        Without ``dim`` the index is into the flattened tensor.

        >>> Tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(dim=1)
        Tensor([1, 0], dtype=int64)
        """
        x = self.data
        if dim is None:
            if x.size == 0:
                raise ValueError("Tensor.argmax: cannot take the argmax of an empty tensor")
            out = np.asarray(np.argmax(x), np.int64)
            return Tensor._constant(out.reshape((1,) * x.ndim) if keepdim else out, "argmax")
        if x.ndim == 0:
            _dims(dim, 0, "Tensor.argmax")
            return Tensor._constant(np.zeros((), np.int64), "argmax")
        (d,) = _dims(dim, x.ndim, "Tensor.argmax")
        _check_nonempty(x, (d,), "Tensor.argmax")
        out = np.argmax(x, axis=d, keepdims=keepdim).astype(np.int64, copy=False)
        return Tensor._constant(np.asarray(out), "argmax")

    # ---------------------------------------------------------------- shapes
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        """The same data in a new shape, as ``torch.reshape``; -1 is inferred.

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

    def view(self, *shape: int | Sequence[int]) -> Tensor:
        """The same data in a new shape, as ``torch.Tensor.view`` (here: :meth:`reshape`).

        >>> Tensor([1.0, 2.0, 3.0, 4.0]).view(-1, 2).shape
        (2, 2)
        """
        return self.reshape(*shape)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap dimensions ``dim0`` and ``dim1``, as ``torch.transpose`` (not NumPy's).

        >>> Tensor(np.zeros((2, 3, 4))).transpose(0, 2).shape
        (4, 3, 2)
        """
        n = self.data.ndim
        if n == 0:
            _dims((dim0, dim1), 0, "Tensor.transpose")
            return self.clone()
        a, b = (_dims(d, n, "Tensor.transpose")[0] for d in (dim0, dim1))
        perm = list(range(n))
        perm[a], perm[b] = perm[b], perm[a]
        return self._permuted(tuple(perm), "transpose")

    def permute(self, *dims: int | Sequence[int]) -> Tensor:
        """Reorder the dimensions, as ``torch.permute``: ``dims`` lists them all.

        >>> Tensor(np.zeros((2, 3, 4))).permute(2, 0, 1).shape
        (4, 2, 3)
        """
        one: Any = dims[0] if len(dims) == 1 else None
        perm = tuple(one) if one is not None and not isinstance(one, (int, np.integer)) else dims
        n = self.data.ndim
        if len(perm) != n:
            raise ValueError(
                f"Tensor.permute: argument 'dims' must permute the {n} dimensions, got {perm}"
            )
        return self._permuted(tuple(int(p) % max(n, 1) for p in perm) if n else (), "permute")  # type: ignore[arg-type]

    def _permuted(self, perm: tuple[int, ...], op: str) -> Tensor:
        if sorted(perm) != list(range(self.data.ndim)):
            raise ValueError(
                f"Tensor.{op}: argument 'dims' must permute {self.data.ndim} dimensions, got {perm}"
            )
        inverse = tuple(int(i) for i in np.argsort(perm))
        return self.from_op(
            self.data.transpose(perm), (self,), lambda g: (g.transpose(inverse),), op
        )

    @property
    def T(self) -> Tensor:
        """The dimensions reversed (for a matrix, the transpose), a view."""
        return self.from_op(self.data.T, (self,), lambda g: (g.T,), "transpose")

    def unsqueeze(self, dim: int) -> Tensor:
        """A dimension of size 1 inserted at ``dim``, as ``torch.unsqueeze``.

        >>> Tensor([1.0, 2.0]).unsqueeze(0).shape, Tensor([1.0, 2.0]).unsqueeze(-1).shape
        ((1, 2), (2, 1))
        """
        (d,) = _dims(dim, self.data.ndim + 1, "Tensor.unsqueeze")
        return self.reshape((*self.shape[:d], 1, *self.shape[d:]))

    def squeeze(self, dim: Dims = None) -> Tensor:
        """Dimensions of size 1 removed (only those in ``dim`` when given), as ``torch.squeeze``.

        A named dimension whose size is not 1 is left alone, as in PyTorch.

        >>> Tensor(np.zeros((1, 3, 1))).squeeze().shape, Tensor(np.zeros((1, 3))).squeeze(1).shape
        ((3,), (1, 3))
        """
        dims = _dims(dim, self.data.ndim, "Tensor.squeeze")
        shape = tuple(n for i, n in enumerate(self.shape) if not (i in dims and n == 1))
        return self.reshape(shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions ``start_dim`` to ``end_dim`` merged into one, as ``torch.flatten``.

        A 0-d tensor becomes shape (1,).

        >>> Tensor(np.zeros((2, 3, 4))).flatten(1).shape
        (2, 12)
        """
        if self.data.ndim == 0:
            _dims((start_dim, end_dim), 0, "Tensor.flatten")
            return self.reshape(1)
        (s,) = _dims(start_dim, self.data.ndim, "Tensor.flatten")
        (e,) = _dims(end_dim, self.data.ndim, "Tensor.flatten")
        if s > e:
            raise ValueError("Tensor.flatten: 'start_dim' cannot come after 'end_dim'")
        shape = self.shape
        merged = int(np.prod(shape[s : e + 1]))
        return self.reshape((*shape[:s], merged, *shape[e + 1 :]))

    def __getitem__(self, idx: Any) -> Tensor:
        """Indexing, including integer-array and boolean-mask indexing, as in NumPy.

        Backward scatter-adds: an element picked twice gets two gradients.

        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> x[np.array([0, 0, 2])].sum().backward()
        >>> x.grad
        array([2., 0., 1.])
        """
        if isinstance(idx, Tensor):  # a Tensor of indices or a mask
            idx = idx.data if idx.data.dtype.kind == "b" else idx.data.astype(np.intp)
        try:
            out = self.data[idx]
        except IndexError as exc:
            raise IndexError(f"Tensor.__getitem__: {exc} (tensor shape {self.data.shape})") from exc
        shape, dtype = self.data.shape, self.data.dtype

        def backward(g: Array) -> Grads:
            full = np.zeros(shape, dtype=dtype)
            np.add.at(full, idx, g)
            return (full,)

        # A copy: writing into the result must not change this tensor.
        return self.from_op(np.array(out, copy=True), (self,), backward, "index")

    # ------------------------------------------------------ elementwise maths
    @quiet
    def exp(self) -> Tensor:
        """e^x; derivative e^x (the output itself). Overflows to inf, as in torch.

        >>> Tensor([0.0]).exp()
        Tensor([1.])
        """
        with np.errstate(over="ignore"):
            out = np.exp(self.data)
        return self.from_op(out, (self,), lambda g: (g * out,), "exp")

    @quiet
    def log(self) -> Tensor:
        """Natural log; derivative 1/x. log 0 = -inf and log x<0 = nan, as in torch.

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

    @quiet
    def sqrt(self) -> Tensor:
        """√x; derivative 1/(2√x) (inf at 0, as in torch).

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

        >>> Tensor([-2.0, 3.0]).abs()
        Tensor([2., 3.])
        """
        x = self.data
        sign = (x > 0).astype(x.dtype) - (x < 0)  # NaN has sign 0, as torch's sgn
        return self.from_op(np.abs(x), (self,), lambda g: (g * sign,), "abs")

    @quiet
    def sin(self) -> Tensor:
        """sin x; derivative cos x.

        >>> Tensor([0.0]).sin()
        Tensor([0.])
        """
        x = self.data
        return self.from_op(np.sin(x), (self,), lambda g: (g * np.cos(x),), "sin")

    @quiet
    def cos(self) -> Tensor:
        """cos x; derivative −sin x.

        >>> Tensor([0.0]).cos()
        Tensor([1.])
        """
        x = self.data
        return self.from_op(np.cos(x), (self,), lambda g: (-g * np.sin(x),), "cos")

    def tanh(self) -> Tensor:
        """tanh x; derivative 1 − tanh² x.

        >>> Tensor([0.0]).tanh()
        Tensor([0.])
        """
        out = np.tanh(self.data)
        return self.from_op(out, (self,), lambda g: (g * (1 - out * out),), "tanh")

    def sigmoid(self) -> Tensor:
        """σ(x) = 1/(1 + e^−x), without overflow; derivative σ(1 − σ).

        >>> Tensor([0.0]).sigmoid()
        Tensor([0.5])
        """
        out = _sigmoid(self.data)
        return self.from_op(out, (self,), lambda g: (g * out * (1 - out),), "sigmoid")

    def relu(self) -> Tensor:
        """max(0, x); derivative 1[x > 0] (0 at 0, as in torch).

        The gradient is selected, not multiplied by a mask, so an infinite
        gradient arriving where x <= 0 gives 0, as in PyTorch (not inf·0 = NaN).

        >>> Tensor([-1.0, 0.0, 2.0]).relu()
        Tensor([0., 0., 2.])
        """
        out = np.maximum(self.data, 0)  # +0.0 for negative inputs, as torch (x·0 would give −0.0)
        # torch: 0 where out <= 0, so a NaN input passes its gradient on (out >= 0 or NaN,
        # so out != 0 is that mask in one comparison)
        return self.from_op(out, (self,), lambda g: (_select(out != 0, g),), "relu")

    @quiet
    def leaky_relu(self, negative_slope: Real = 0.01) -> Tensor:
        """x if x > 0 else s·x; derivative 1 or s (s at 0, as in torch).

        >>> Tensor([-1.0, 2.0]).leaky_relu(0.1)
        Tensor([-0.1,  2. ])
        """
        x = self.data
        positive = x > 0
        s = x.dtype.type(negative_slope)
        out = np.where(positive, x, x * s)
        return self.from_op(out, (self,), lambda g: (np.where(positive, g, g * s),), "leaky_relu")

    @quiet
    def clip(self, min: Real | None = None, max: Real | None = None) -> Tensor:
        """Clamp into [min, max], as ``torch.clamp``; derivative 1 inside the
        closed interval, 0 outside (selected, so an infinite gradient outside
        gives 0, as in PyTorch). With min > max every element becomes ``max``,
        as PyTorch documents.

        >>> Tensor([-2.0, 0.5, 3.0]).clip(0.0, 1.0)
        Tensor([0. , 0.5, 1. ])
        """
        if min is None and max is None:
            raise ValueError("Tensor.clip: at least one of 'min' and 'max' must be given")
        x = self.data
        inside = np.ones(x.shape, dtype=bool)
        out = np.array(x, copy=True)
        if min is not None:  # x < min ? min : x, as torch (NaN and -0.0 kept)
            inside &= x >= min
            out[out < min] = min
        if max is not None:
            inside &= x <= max
            out[out > max] = max
        return self.from_op(out, (self,), lambda g: (_select(inside, g),), "clamp")

    def clamp(self, min: Real | None = None, max: Real | None = None) -> Tensor:
        """The same as :meth:`clip` (PyTorch's main name)."""
        return self.clip(min, max)

    @quiet
    def softmax(self, dim: int = -1, *, axis: int | None = None) -> Tensor:
        """softmax(x)_i = e^{x_i − m} / Σ_j e^{x_j − m}, m = max x (stable), as ``torch.softmax``.

        Backward (the vector–Jacobian product): s ⊙ (g − Σ g ⊙ s).

        >>> Tensor([0.0, 0.0]).softmax(dim=0)
        Tensor([0.5, 0.5])
        """
        chosen, _ = _dim_args("Tensor.softmax", dim if axis is None else None, False, axis, None)
        d = _dims(chosen, self.data.ndim, "Tensor.softmax")
        x = self.data
        if x.size == 0:
            return self.from_op(x.copy(), (self,), lambda g: (np.zeros_like(x),), "softmax")
        e = np.exp(x - x.max(axis=d, keepdims=True))
        s = e / e.sum(axis=d, keepdims=True)

        def backward(g: Array) -> Grads:
            return (s * (g - (g * s).sum(axis=d, keepdims=True)),)

        return self.from_op(s, (self,), backward, "softmax")

    @quiet
    def log_softmax(self, dim: int = -1, *, axis: int | None = None) -> Tensor:
        """log softmax(x) = x − m − log Σ e^{x − m} (stable for logits of any size).

        Backward: g − softmax(x) · Σ g.

        >>> Tensor([1000.0, 1000.0]).log_softmax(dim=0)
        Tensor([-0.6931, -0.6931])
        """
        chosen, _ = _dim_args(
            "Tensor.log_softmax", dim if axis is None else None, False, axis, None
        )
        d = _dims(chosen, self.data.ndim, "Tensor.log_softmax")
        x = self.data
        if x.size == 0:
            return self.from_op(x.copy(), (self,), lambda g: (np.zeros_like(x),), "log_softmax")
        shifted = x - x.max(axis=d, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=d, keepdims=True))

        def backward(g: Array) -> Grads:
            return (g - np.exp(out) * g.sum(axis=d, keepdims=True),)

        return self.from_op(out, (self,), backward, "log_softmax")


# ------------------------------------------------------- arrays behind the activations
def _select(keep: Array, g: Array) -> Array:
    """``g`` where ``keep``, else 0, by selection as torch.where: an infinite or NaN
    gradient outside ``keep`` gives 0, not inf·0 = NaN.

    A product with a 0/1 mask is the same except there, and is several times
    faster than ``np.where`` on large arrays: it is used unless it met an inf or NaN.

    >>> _select(np.array([True, False]), np.array([2.0, np.inf]))
    array([2., 0.])
    """
    if g.size <= 2048:
        return np.where(keep, g, 0)
    out = g * keep
    if not np.isfinite(out).all():
        out = np.where(keep, g, 0)
    return out


def _sigmoid(x: Array) -> Array:
    """σ(x) = 1/(1 + e^−x) of an ndarray without overflow, in x's dtype.

    Written as e^x/(1 + e^x) for x < 0 and 1/(1 + e^−x) otherwise: the
    exponent is never positive. Every sigmoid in nnbook is this one.

    >>> _sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    e = np.exp(-np.abs(x))
    return (np.where(x >= 0, 1.0, e) / (1.0 + e)).astype(x.dtype, copy=False)


def _softplus(x: Array) -> Array:
    """softplus(x) = log(1 + e^x) of an ndarray, exact for any x.

    Written as max(x, 0) + log1p(e^−|x|): the exponent is never positive, so
    nothing overflows, and log1p keeps the tiny values of very negative x.
    Every softplus in nnbook is this one.

    >>> _softplus(np.array([-800.0, 0.0, 800.0])).round(4).tolist()
    [0.0, 0.6931, 800.0]
    """
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


# --------------------------------------------------------------------- binary operations
# Each takes two operands (Tensors or plain numbers; at least one a Tensor),
# computes the forward and records a backward closure beside it, which returns
# one gradient per Tensor operand: ``_grads`` sums each full-size gradient down
# to its operand's shape and dtype (undoing broadcasting). Plain numbers are
# constants and not parents (a drawing of the graph does not show the 1 in ``1 + x``).
# The arithmetic runs in NumPy's quiet error state: inf and NaN pass silently, as
# in PyTorch.
Operand = Tensor | float | int


def _values(a: Operand, b: Operand) -> tuple[Any, Any, tuple[Tensor, ...]]:
    """The operands' values, two tensors' converted to PyTorch's result dtype,
    and the parents (the Tensor operands)."""
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            ad, bd = a.data, b.data
            if ad.dtype != bd.dtype:
                dt = _promote(ad, bd)
                ad, bd = ad.astype(dt, copy=False), bd.astype(dt, copy=False)
            return ad, bd, (a, b)
        return a.data, b, (a,)
    return a, b.data, (b,)  # type: ignore[union-attr,return-value]


def _apply(ufunc: Any, ad: Any, bd: Any, op: str) -> Array:
    """``ufunc(ad, bd)`` without NumPy's floating-point warnings; shapes that do not
    broadcast are a ValueError naming the operation."""
    token = _quiet_on()
    try:
        return ufunc(ad, bd)
    except ValueError as exc:
        raise ValueError(
            f"Tensor.{op}: shapes {np.shape(ad)} and {np.shape(bd)} do not broadcast"
        ) from exc
    finally:
        _quiet_off(token)


def _grads(a: Operand, b: Operand, ga: Array | None, gb: Array | None) -> Grads:
    """The backward's result: one gradient per Tensor operand, summed down to its
    shape (undoing broadcasting) and cast to its dtype; None where none is needed."""
    out: list[Array | None] = []
    for x, g in ((a, ga), (b, gb)):
        if not isinstance(x, Tensor):
            continue
        if g is None or not x.requires_grad:
            out.append(None)
            continue
        data = x.data
        if g.shape != data.shape:
            g = _sum_to(g, data.shape)
        out.append(g if g.dtype == data.dtype else g.astype(data.dtype))
    return tuple(out)


def _needs(x: Operand) -> bool:
    return isinstance(x, Tensor) and x.requires_grad


def _add(a: Operand, b: Operand) -> Tensor:
    ad, bd, parents = _values(a, b)
    out = _apply(np.add, ad, bd, "add")
    return Tensor.from_op(out, parents, lambda g: _grads(a, b, g, g), "add")


def _sub(a: Operand, b: Operand) -> Tensor:
    ad, bd, parents = _values(a, b)
    out = _apply(np.subtract, ad, bd, "sub")

    def backward(g: Array) -> Grads:
        return _grads(a, b, g, -g if _needs(b) else None)

    return Tensor.from_op(out, parents, backward, "sub")


def _mul(a: Operand, b: Operand) -> Tensor:
    ad, bd, parents = _values(a, b)
    out = _apply(np.multiply, ad, bd, "mul")

    def backward(g: Array) -> Grads:
        return _grads(a, b, g * bd if _needs(a) else None, g * ad if _needs(b) else None)

    return Tensor.from_op(out, parents, backward, "mul")


def _div(a: Operand, b: Operand) -> Tensor:
    ad, bd, parents = _values(a, b)
    out = _apply(np.true_divide, ad, bd, "div")  # x/0 is ±inf, as in torch

    def backward(g: Array) -> Grads:  # (the walk runs in the quiet state too)
        ga = g / bd if _needs(a) else None  # d(a/b)/da = 1/b
        gb = -g * out / bd if _needs(b) else None  # d(a/b)/db = −a/b² = −(a/b)/b
        return _grads(a, b, ga, gb)

    return Tensor.from_op(out, parents, backward, "div")


def _pow(a: Operand, b: Operand) -> Tensor:
    ad, bd, parents = _values(a, b)
    out = _apply(np.power, ad, bd, "pow")

    def backward(g: Array) -> Grads:
        ga = gb = None
        if _needs(a):  # b·a^(b−1), and 0 where b == 0 (torch: 0^0 has slope 0)
            ga = np.where(np.equal(bd, 0), 0, g * bd * np.power(ad, np.subtract(bd, 1)))
        if _needs(b):  # a^b·log a, and 0 where a == 0 and b >= 0 (torch)
            zero = np.equal(ad, 0) & np.greater_equal(bd, 0)
            gb = np.where(zero, 0, g * out * np.log(ad))
        return _grads(a, b, ga, gb)

    return Tensor.from_op(out, parents, backward, "pow")


def _power(x: Array, p: float) -> Array:
    """x^p as PyTorch computes it: its special exponents by their own kernels
    (x^0.5 = √x and x^−0.5 = 1/√x, so (−0.0)^−0.5 = −inf; x² = x·x; x^−1 = 1/x)."""
    if p == 2:
        return x * x
    if p == 0.5:
        return np.sqrt(x)
    if p == -0.5:
        return 1 / np.sqrt(x)
    if p == -1:
        return 1 / x
    if p == 1:
        return x.copy()
    return np.power(x, x.dtype.type(p))


@quiet
def _pow_number(x: Tensor, p: float) -> Tensor:
    """x^p for a plain number p: d/dx = p·x^(p−1), and 0 when p = 0 (torch)."""
    xd = x.data
    out = _power(xd, p)

    def backward(g: Array) -> Grads:
        if p == 0:
            return (np.zeros_like(g),)
        return (2 * g * xd if p == 2 else g * (p * _power(xd, p - 1)),)

    return Tensor.from_op(out, (x,), backward, "pow")


def maximum(input: Any, other: Any) -> Tensor:
    """Elementwise maximum of two tensors (with broadcasting), as ``torch.maximum``.

    out = max(a, b). Backward, the "max gate" of a computational graph: the
    gradient goes to the larger input only, and where ``a == b`` each input
    gets half of it (PyTorch's rule since 1.9; it is also what the centred
    difference measures at a tie). NaN propagates, and passes the gradient to
    both inputs, as in PyTorch.

    Parameters
    ----------
    input, other : Tensor, array-like or number
        Plain numbers are constants.

    Returns
    -------
    Tensor
        With ``op == "maximum"``.

    Examples
    --------
    >>> z = tensor(2.0, requires_grad=True)
    >>> w = tensor(-1.0, requires_grad=True)
    >>> maximum(z, w).backward()
    >>> z.grad, w.grad
    (array(1.), array(0.))
    >>> t = tensor([1.0, 3.0], requires_grad=True)
    >>> maximum(t, 1.0).sum().backward()
    >>> t.grad  # a tie at 1.0 gets half
    array([0.5, 1. ])
    """
    a, b = _as_value(input, "maximum", "input"), _as_value(other, "maximum", "other")
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        a = _as_tensor(input, "maximum", "input")
    ad, bd, parents = _values(a, b)
    out = _apply(np.maximum, ad, bd, "maximum")

    def backward(g: Array) -> Grads:
        # All of g to the larger input, none to the smaller, half each at a tie;
        # comparisons with NaN are all False, so NaN passes g to both.
        wa = np.where(np.equal(ad, bd), 0.5, np.where(np.less(ad, bd), 0.0, 1.0))
        wb = np.where(np.equal(ad, bd), 0.5, np.where(np.less(bd, ad), 0.0, 1.0))
        ga = g * wa.astype(g.dtype) if _needs(a) else None
        return _grads(a, b, ga, g * wb.astype(g.dtype) if _needs(b) else None)

    return Tensor.from_op(out, parents, backward, "maximum")


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    """a @ b with NumPy's rules (1-D operands, batch broadcasting); mixed dtypes raise.

    For D = A B: dA = dD Bᵀ and dB = Aᵀ dD.
    """
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"Tensor.matmul: operands must be at least 1-D, got {a.shape} @ {b.shape}")
    ad, bd = a.data, b.data
    if ad.dtype != bd.dtype:
        raise TypeError(
            f"Tensor.matmul: expected both operands to have the same dtype, got {ad.dtype} "
            f"@ {bd.dtype} (as in PyTorch, convert one of them)"
        )
    token = _quiet_on()
    try:
        out = ad @ bd
    except ValueError as exc:
        raise ValueError(
            f"Tensor.matmul: shapes {a.shape} @ {b.shape} do not align "
            f"(the last axis of the left must equal the first matrix axis of the right)"
        ) from exc
    finally:
        _quiet_off(token)

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


# ----------------------------------------------------------------------------- factories
def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new leaf tensor holding a copy of ``data``, as ``torch.tensor``.

    As in PyTorch, Python floats give the default float dtype (float64
    here), ints give int64, bools give bool, and a NumPy array keeps its
    dtype; ``dtype`` converts.

    >>> tensor([1, 2]).dtype, tensor([1.0, 2.0]).dtype, tensor(np.ones(2, np.float32)).dtype
    (dtype('int64'), dtype('float64'), dtype('float32'))
    """
    if isinstance(data, Tensor):
        data = data.data
    try:
        arr = np.array(data, dtype=dtype, copy=True)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"tensor: argument 'data' must be numeric array-like: {exc}") from exc
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"tensor: argument 'data' must be real numbers, got dtype {arr.dtype}")
    if arr.dtype.kind in "iu" and dtype is None and not isinstance(data, np.ndarray):
        arr = arr.astype(np.int64)
    return Tensor._constant(arr).requires_grad_(requires_grad)


def _shape_args(size: tuple[Any, ...], func: str) -> tuple[int, ...]:
    shape = size[0] if len(size) == 1 and not isinstance(size[0], (int, np.integer)) else size
    try:
        out = tuple(int(n) for n in shape)
    except TypeError as exc:
        raise TypeError(f"{func}: argument 'size' must be ints, got {size!r}") from exc
    if any(n < 0 for n in out):
        raise ValueError(f"{func}: argument 'size' must not be negative, got {out}")
    return out


def zeros(*size: Any, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros, as ``torch.zeros`` (``zeros(2, 3)`` or ``zeros((2, 3))``).

    >>> zeros(2, 3).shape
    (2, 3)
    """
    data = np.zeros(_shape_args(size, "zeros"), dtype=dtype)
    return Tensor._constant(data).requires_grad_(requires_grad)


def ones(*size: Any, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """A tensor of ones, as ``torch.ones``.

    >>> ones(2).tolist()
    [1.0, 1.0]
    """
    data = np.ones(_shape_args(size, "ones"), dtype=dtype)
    return Tensor._constant(data).requires_grad_(requires_grad)


def empty(*size: Any, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """A tensor to be filled, as ``torch.empty``; here it holds zeros, so runs repeat exactly.

    >>> empty(0, 3).shape
    (0, 3)
    """
    data = np.zeros(_shape_args(size, "empty"), dtype=dtype)
    return Tensor._constant(data).requires_grad_(requires_grad)
