"""Small shared helpers: random generators and argument checks.

Every error message names the function and the argument, so a reader who
passes the wrong thing learns what was expected without reading the source.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

# NumPy's own switch for its floating-point error state (what np.errstate sets).
from numpy._core.umath import _extobj_contextvar, _make_extobj

RngLike = np.random.Generator | int
F = TypeVar("F", bound=Callable[..., Any])


_QUIET = _make_extobj(divide="ignore", invalid="ignore", over="ignore")


# quiet_on() enters NumPy's quiet floating-point state and returns a token for
# quiet_off(token), which leaves it: np.errstate's work, as two C calls.
quiet_on: Callable[[], Any] = functools.partial(_extobj_contextvar.set, _QUIET)
quiet_off: Callable[[Any], None] = _extobj_contextvar.reset


def quiet(fn: F) -> F:
    """Run ``fn`` without NumPy's floating-point warnings, as PyTorch computes
    with inf and NaN silently (inf − inf is NaN, x/0 is inf, no message).

    It does what ``np.errstate(divide="ignore", invalid="ignore", over="ignore")``
    does, by setting NumPy's error-state context variable directly: an
    ``errstate`` object costs about a microsecond per call, which the
    smallest operations would feel.

    >>> quiet(lambda: np.array([np.inf]) - np.inf)()
    array([nan])
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = quiet_on()
        try:
            return fn(*args, **kwargs)
        finally:
            quiet_off(token)

    return wrapper  # type: ignore[return-value]


def as_rng(rng: RngLike | None, func: str) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from a generator or an int seed.

    ``None`` is refused: every random draw in nnbook takes an explicit seed,
    so two runs of the book give the same numbers.

    >>> as_rng(0, "demo").integers(10)
    np.int64(8)
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"{func}: argument 'rng' must be a non-negative seed, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{func}: argument 'rng' must be a numpy.random.Generator or an int seed "
        f"(randomness is always explicit), got {type(rng).__name__}"
    )


def check_real(value: Any, func: str, arg: str, *, finite: bool = True) -> float:
    """``value`` as a Python float: a real number (a bool is refused), never NaN,
    and finite unless ``finite`` is False.

    >>> check_real(3, "demo", "x")
    3.0
    >>> check_real(float("inf"), "demo", "x", finite=False)
    inf
    >>> check_real(True, "demo", "x")
    Traceback (most recent call last):
    TypeError: demo: argument 'x' must be a real number, got bool
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"{func}: argument '{arg}' must be a real number, got {type(value).__name__}"
        )
    try:
        out = float(value)
    except OverflowError:  # an int too large for a float
        out = math.inf if value > 0 else -math.inf
    if math.isnan(out) or (finite and math.isinf(out)):
        expected = "finite" if finite else "a number, not NaN"
        raise ValueError(f"{func}: argument '{arg}' must be {expected}, got {out}")
    return out


def check_nonnegative(value: Any, func: str, arg: str) -> float:
    """A finite real number >= 0, as a Python float.

    >>> check_nonnegative(-0.5, "demo", "noise")
    Traceback (most recent call last):
    ValueError: demo: argument 'noise' must be >= 0, got -0.5
    """
    out = check_real(value, func, arg)
    if out < 0:
        raise ValueError(f"{func}: argument '{arg}' must be >= 0, got {out}")
    return out


def check_positive(value: Any, func: str, arg: str) -> float:
    """A finite real number > 0, as a Python float.

    >>> check_positive(0, "demo", "lr")
    Traceback (most recent call last):
    ValueError: demo: argument 'lr' must be > 0, got 0.0
    """
    out = check_real(value, func, arg)
    if out <= 0:
        raise ValueError(f"{func}: argument '{arg}' must be > 0, got {out}")
    return out


def check_int(value: Any, func: str, arg: str, minimum: int | None = None) -> int:
    """``value`` as a Python int (a bool or a float is refused), at least ``minimum``.

    >>> check_int(np.int64(3), "demo", "n", 1)
    3
    >>> check_int(0, "demo", "n", 1)
    Traceback (most recent call last):
    ValueError: demo: argument 'n' must be >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{func}: argument '{arg}' must be an int, got {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{func}: argument '{arg}' must be >= {minimum}, got {value}")
    return int(value)


def check_shape(shape: Any, func: str, arg: str = "shape") -> tuple[int, ...]:
    """Validate a shape: a tuple (or list, or int) of non-negative ints.

    >>> check_shape((3, 2), "demo")
    (3, 2)
    >>> check_shape(4, "demo")
    (4,)
    """
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (int(shape),)
    if not isinstance(shape, Sequence) or isinstance(shape, str):
        raise TypeError(f"{func}: argument '{arg}' must be a tuple of ints, got {shape!r}")
    out = []
    for s in shape:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool) or s < 0:
            raise ValueError(
                f"{func}: argument '{arg}' must contain non-negative ints, got {tuple(shape)!r}"
            )
        out.append(int(s))
    return tuple(out)


def check_float_dtype(dtype: Any, func: str) -> np.dtype[Any]:
    """Validate a floating dtype (float16, float32 or float64).

    >>> check_float_dtype("float32", "demo")
    dtype('float32')
    """
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"{func}: argument 'dtype' must be a float dtype, got {dtype!r}") from exc
    if dt.kind != "f":
        raise TypeError(f"{func}: argument 'dtype' must be a float dtype, got {dt}")
    return dt


def as_float_array(x: Any, func: str, arg: str) -> np.ndarray:
    """Convert ``x`` to a float ndarray; float32 stays float32, ints become float64.

    Strings, objects and complex numbers are refused with a message naming
    the function and the argument.

    >>> as_float_array([1, 2], "demo", "x").dtype
    dtype('float64')
    >>> as_float_array(np.ones(2, np.float32), "demo", "x").dtype
    dtype('float32')
    """
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{func}: argument '{arg}' must be numeric array-like: {exc}") from exc
    if arr.dtype.kind == "f":
        return arr
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    raise TypeError(f"{func}: argument '{arg}' must be a real numeric array, got dtype {arr.dtype}")
