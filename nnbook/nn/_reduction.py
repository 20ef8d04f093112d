"""The conventions every loss shares: arguments, reductions, return types.

Documented once, in :mod:`nnbook.nn.functional`, whose losses use these.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnbook._tensor import Tensor
from nnbook._util import as_float_array

Array = np.ndarray
_REDUCTIONS = ("none", "mean", "sum")


# --------------------------------------------------------------------------
# argument checks and conversions
# --------------------------------------------------------------------------


def _reduction(reduction: Any, func: str, valid: tuple[str, ...] = _REDUCTIONS) -> str:
    if not isinstance(reduction, str) or reduction not in valid:
        listed = ", ".join(repr(v) for v in valid)
        raise ValueError(f"{func}: argument 'reduction' must be one of {listed}, got {reduction!r}")
    return reduction


def _tensor(x: Any, func: str, arg: str, dtype: np.dtype[Any] | None = None) -> Tensor:
    """Tensors pass through (keeping their graph); array-likes become constants."""
    if isinstance(x, Tensor):
        return x
    arr = as_float_array(x, func, arg)
    return Tensor(arr if dtype is None or arr.dtype == dtype else arr.astype(dtype))


def _constant(x: Any, func: str, arg: str, dtype: np.dtype[Any]) -> Array:
    """The values of a weight argument, cast to the input's dtype (never differentiated)."""
    arr = x.data if isinstance(x, Tensor) else as_float_array(x, func, arg)
    return arr.astype(dtype, copy=False)


def _same_shape(a: Tensor, b: Tensor, func: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{func}: arguments 'input' and 'target' must have the same shape, "
            f"got {a.shape} and {b.shape}"
        )


def _pair(input: Any, target: Any, func: str) -> tuple[Tensor, Tensor]:
    x = _tensor(input, func, "input")
    y = _tensor(target, func, "target", x.dtype)
    _same_shape(x, y, func)
    return x, y


def _elementwise_weight(w: Any, shape: tuple[int, ...], func: str, arg: str, dtype: Any) -> Array:
    """A weight that broadcasts to the input's shape without enlarging it."""
    arr = _constant(w, func, arg, dtype)
    try:
        fits = np.broadcast_shapes(arr.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"{func}: argument '{arg}' of shape {arr.shape} must broadcast to the "
            f"input's shape {shape}"
        )
    return np.broadcast_to(arr, shape)


def _unit_interval(values: Array, func: str, arg: str) -> None:
    # Written so that nan fails too, as torch's check does.
    outside = ~((values >= 0) & (values <= 1))
    if outside.any():
        raise ValueError(
            f"{func}: all elements of argument '{arg}' should be between 0 and 1, "
            f"got {values[outside].flat[0]} (shape {values.shape})"
        )


def _finish(out: Tensor, *args: Any) -> Tensor | Array:
    """The module's return rule: a Tensor if any argument was one, else an ndarray."""
    return out if any(isinstance(a, Tensor) for a in args) else np.asarray(out.data)


# --------------------------------------------------------------------------
# graph pieces
# --------------------------------------------------------------------------


def _div_const(t: Tensor, c: float) -> Tensor:
    """t / c for a constant c. 0/0 = nan and x/0 = ±inf as in torch, with no warning
    in the forward or the backward pass (an empty mean, an all-ignored batch)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.asarray(np.true_divide(t.data, c), dtype=t.dtype)

    def backward(g: Array) -> tuple[Array]:
        with np.errstate(divide="ignore", invalid="ignore"):
            return (np.asarray(np.true_divide(g, c), dtype=g.dtype),)

    return Tensor.from_op(out, (t,), backward, "div")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "none":
        return loss
    total = loss.sum()
    if reduction == "sum":
        return total
    return _div_const(total, float(loss.numel()))
