"""Weight initializers (chapter 3), with PyTorch's names, defaults and formulas.

Every function returns a new array of ``shape``; PyTorch's ``torch.nn.init.*_``
functions fill a tensor in place, but the names and the maths are the same.
Weights use PyTorch's layout ``(out_features, in_features, *kernel)``, so for a
weight of shape ``(out, in, k1, k2, ...)``::

    receptive = k1 * k2 * ...      (1 for a dense layer)
    fan_in    = in  * receptive
    fan_out   = out * receptive

Keras stores dense kernels as ``(in, out)`` and convolution kernels as
``(k1, k2, ..., in, out)``; the fans are the same numbers, read from other
places. :func:`~nnbook.trunc_normal.variance_scaling` (Keras's general form) takes nnbook's layout.

Where the two libraries share a name they do not always share a distribution:
Keras's ``glorot_normal``, ``he_normal`` and ``lecun_normal`` are *truncated*
normals (cut at two standard deviations, rescaled so the final standard
deviation is the nominal one), while PyTorch's :func:`xavier_normal` and
:func:`kaiming_normal` are plain normals.

Randomness comes only from the keyword ``rng`` (a ``numpy.random.Generator`` or
an int seed); samples are drawn in float64 and then cast to ``dtype``, so one
seed gives the same numbers, up to rounding, in every precision.

An empty shape such as ``(0, 5)`` gives an empty array once every argument has
been checked (PyTorch warns that filling a zero-element tensor is a no-op, and
some of its formulas would divide by a zero fan). A non-empty shape always has
non-zero fans, so no formula here ever divides by zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from nnbook._util import (
    RngLike,
    as_rng,
    check_float_dtype,
    check_nonnegative,
    check_real,
    check_shape,
)

__all__ = [
    "KERAS_TRUNCATION_STD",
    "calculate_gain",
    "constant",
    "fan_in_and_fan_out",
    "kaiming_normal",
    "kaiming_uniform",
    "lecun_normal",
    "lecun_uniform",
    "normal",
    "ones",
    "orthogonal",
    "trunc_normal",
    "uniform",
    "variance_scaling",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]

ShapeLike = int | Sequence[int]

_LINEAR_FNS = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)
_NONLINEARITIES = (*_LINEAR_FNS, "sigmoid", "tanh", "relu", "leaky_relu", "selu")
_KAIMING_MODES = ("fan_in", "fan_out")


# --------------------------------------------------------------------------
# argument checks
# --------------------------------------------------------------------------


def _fans(shape: tuple[int, ...], func: str) -> tuple[int, int]:
    if len(shape) < 2:
        raise ValueError(f"{func}: argument 'shape' needs at least 2 dimensions, got {shape}")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _gain(nonlinearity: Any, param: Any, func: str, param_arg: str) -> float:
    if not isinstance(nonlinearity, str):
        raise TypeError(
            f"{func}: argument 'nonlinearity' must be a string, one of "
            f"{', '.join(_NONLINEARITIES)}; got {nonlinearity!r}"
        )
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else check_real(param, func, param_arg)
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        # PyTorch's value, found empirically (pytorch/pytorch PR 50664).
        return 3.0 / 4
    raise ValueError(
        f"{func}: argument 'nonlinearity' must be one of {', '.join(_NONLINEARITIES)}; "
        f"got {nonlinearity!r}"
    )


def _kaiming_fan(shape: tuple[int, ...], mode: Any, func: str) -> int:
    # PyTorch lower-cases the mode, so "FAN_IN" is accepted there too.
    mode_l = mode.lower() if isinstance(mode, str) else mode
    if mode_l not in _KAIMING_MODES:
        raise ValueError(f"{func}: argument 'mode' must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(shape, func)
    return fan_in if mode_l == "fan_in" else fan_out


def _setup(shape: Any, rng: Any, dtype: Any, func: str) -> tuple[tuple[int, ...], Any, Any]:
    return check_shape(shape, func), as_rng(rng, func), check_float_dtype(dtype, func)


def _cast(values: np.ndarray, dt: np.dtype[Any], func: str) -> np.ndarray:
    """Cast float64 draws to ``dt``, refusing values the target type cannot hold.

    This also catches a float64 overflow (e.g. std=1e308), which would
    otherwise hand back inf.
    """
    limit = float(np.finfo(dt).max)
    if values.size and not float(np.max(np.abs(values))) <= limit:
        raise ValueError(
            f"{func}: the values do not fit in dtype {dt} (largest {limit:.6g}); "
            f"use a smaller scale or a wider dtype"
        )
    return values.astype(dt, copy=False)


def _uniform_draw(
    shape: tuple[int, ...], low: float, high: float, gen: np.random.Generator, dt: Any, func: str
) -> np.ndarray:
    return _cast(gen.uniform(low, high, size=shape), dt, func)


def _normal_draw(
    shape: tuple[int, ...], mean: float, std: float, gen: np.random.Generator, dt: Any, func: str
) -> np.ndarray:
    return _cast(gen.normal(mean, std, size=shape), dt, func)


def _kaiming(
    shape: Any, a: Any, mode: Any, nonlinearity: Any, rng: Any, dtype: Any, func: str, *, flat: bool
) -> np.ndarray:
    """Shared body of the He and LeCun initializers: Var(w) = gain^2 / fan."""
    shp, gen, dt = _setup(shape, rng, dtype, func)
    fan = _kaiming_fan(shp, mode, func)
    gain = _gain(nonlinearity, a, func, "a")
    if math.prod(shp) == 0:
        return np.zeros(shp, dtype=dt)
    # PyTorch's order of operations, so the bounds agree to the last bit
    std = gain / math.sqrt(fan)
    if flat:
        bound = math.sqrt(3.0) * std
        return _uniform_draw(shp, -bound, bound, gen, dt, func)
    return _normal_draw(shp, 0.0, std, gen, dt, func)


# --------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """Recommended gain for a nonlinearity, as ``torch.nn.init.calculate_gain``.

    The gain multiplies the standard deviation an initializer would use for a
    linear layer, to make up for what the nonlinearity does to the variance.

    ============================================  ===========================
    nonlinearity                                  gain
    ============================================  ===========================
    linear, conv1d/2d/3d, conv_transpose1d/2d/3d  1
    sigmoid                                       1
    tanh                                          5/3
    relu                                          sqrt(2)
    leaky_relu                                    sqrt(2 / (1 + s^2))
    selu                                          3/4
    ============================================  ===========================

    Parameters
    ----------
    nonlinearity : str
        One of the names above (case-sensitive, as in PyTorch).
    param : float, optional
        The negative slope ``s`` of ``leaky_relu``; 0.01 when None. It must be
        a finite real number (not a bool). Ignored by the other
        nonlinearities, as in PyTorch.

    Returns
    -------
    float

    Notes
    -----
    relu's sqrt(2) is He et al. (2015): a ReLU keeps half of the second moment,
    E[relu(y)^2] = Var(y)/2. leaky_relu keeps (1 + s^2)/2 of it. tanh's 5/3 and
    selu's 3/4 are empirical values from PyTorch's table; for self-normalizing SELU
    networks PyTorch advises ``nonlinearity="linear"`` instead.

    References
    ----------
    He, Zhang, Ren & Sun (2015), "Delving deep into rectifiers", ICCV.

    Examples
    --------
    >>> round(calculate_gain("relu"), 4), round(calculate_gain("leaky_relu", 0.2), 4)
    (1.4142, 1.3868)
    """
    return _gain(nonlinearity, param, "calculate_gain", "param")


def fan_in_and_fan_out(shape: ShapeLike) -> tuple[int, int]:
    """Fan-in and fan-out of a weight of ``shape``, as PyTorch computes them.

    With PyTorch's layout ``(out, in, k1, k2, ...)``: receptive = k1·k2·…
    (1 for a dense layer), fan_in = in·receptive, fan_out = out·receptive.
    A shape with fewer than 2 dimensions has no fans and is refused.

    References
    ----------
    As ``torch.nn.init._calculate_fan_in_and_fan_out``; Glorot & Bengio (2010).

    Examples
    --------
    >>> fan_in_and_fan_out((16, 3, 5, 5))  # a conv layer: 3 -> 16 channels, 5x5
    (75, 400)
    """
    return _fans(check_shape(shape, "fan_in_and_fan_out"), "fan_in_and_fan_out")


def zeros(shape: ShapeLike, *, dtype: DTypeLike = np.float64) -> np.ndarray:
    """An array of zeros, as ``torch.nn.init.zeros_``.

    Zero weights leave every hidden unit identical (symmetry is never
    broken); zero biases are fine.

    Examples
    --------
    >>> zeros((2, 3)).sum(), zeros(4, dtype="float32").dtype
    (np.float64(0.0), dtype('float32'))
    """
    return np.zeros(check_shape(shape, "zeros"), dtype=check_float_dtype(dtype, "zeros"))


def ones(shape: ShapeLike, *, dtype: DTypeLike = np.float64) -> np.ndarray:
    """An array of ones, as ``torch.nn.init.ones_``.

    Examples
    --------
    >>> ones((2, 3)).sum()
    np.float64(6.0)
    """
    return np.ones(check_shape(shape, "ones"), dtype=check_float_dtype(dtype, "ones"))


def constant(shape: ShapeLike, value: float, *, dtype: DTypeLike = np.float64) -> np.ndarray:
    """An array filled with ``value``, as ``torch.nn.init.constant_``.

    ``value`` is any real number (inf and nan included, as ``fill_`` takes
    them); a finite value too large for ``dtype`` is refused rather than
    turned into inf.

    Examples
    --------
    >>> constant((2, 2), 0.5)
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    func = "constant"
    shp, dt = check_shape(shape, func), check_float_dtype(dtype, func)
    val = check_real(value, func, "value", finite=False)
    if math.isfinite(val) and abs(val) > float(np.finfo(dt).max):
        raise ValueError(f"{func}: argument 'value' = {val} does not fit in dtype {dt}")
    return np.full(shp, val, dtype=dt)


def uniform(
    shape: ShapeLike,
    a: float = 0.0,
    b: float = 1.0,
    *,
    rng: RngLike,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Draws from U(a, b), as ``torch.nn.init.uniform_``.

    Mean (a + b)/2, variance (b - a)^2 / 12. ``a > b`` is refused (PyTorch
    refuses it too); ``a == b`` gives a constant.

    Examples
    --------
    >>> w = uniform((100, 100), -1, 1, rng=0)  # variance 2^2/12 = 1/3
    >>> w.shape, bool(np.abs(w).max() <= 1), round(float(w.var()), 2)
    ((100, 100), True, 0.33)
    """
    func = "uniform"
    shp, gen, dt = _setup(shape, rng, dtype, func)
    low, high = check_real(a, func, "a"), check_real(b, func, "b")
    if low > high:
        raise ValueError(f"{func}: arguments need a <= b, got a={low}, b={high}")
    if not math.isfinite(high - low):
        raise ValueError(f"{func}: the width b - a overflows float64, got a={low}, b={high}")
    return _uniform_draw(shp, low, high, gen, dt, func)


def normal(
    shape: ShapeLike,
    mean: float = 0.0,
    std: float = 1.0,
    *,
    rng: RngLike,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Draws from N(mean, std^2), as ``torch.nn.init.normal_``.

    ``std`` must be >= 0 (0 gives a constant), as in PyTorch.

    Examples
    --------
    >>> w = normal((200, 200), 0.0, 0.01, rng=0)
    >>> w.shape, round(float(w.std()), 3)
    ((200, 200), 0.01)
    """
    func = "normal"
    shp, gen, dt = _setup(shape, rng, dtype, func)
    mu, sigma = check_real(mean, func, "mean"), check_nonnegative(std, func, "std")
    return _normal_draw(shp, mu, sigma, gen, dt, func)


def xavier_uniform(
    shape: ShapeLike, gain: float = 1.0, *, rng: RngLike, dtype: DTypeLike = np.float64
) -> np.ndarray:
    """Glorot/Xavier uniform, as ``torch.nn.init.xavier_uniform_``.

    Draws from U(-bound, bound) with

        bound = gain * sqrt(6 / (fan_in + fan_out)),

    so Var(w) = bound^2/3 = gain^2 * 2/(fan_in + fan_out): the compromise
    between keeping forward activations (fan_in Var(w) = 1) and backward
    gradients (fan_out Var(w) = 1) steady. This "normalized initialization" is
    the paper's proposal; Keras's ``glorot_uniform`` is the same distribution.

    References
    ----------
    Glorot & Bengio (2010), "Understanding the difficulty of training deep
    feedforward neural networks", AISTATS.

    Examples
    --------
    >>> w = xavier_uniform((300, 200), rng=0)  # bound sqrt(6/500) = 0.1095
    >>> w.shape, bool(np.abs(w).max() <= math.sqrt(6 / 500))
    ((300, 200), True)
    """
    func = "xavier_uniform"
    shp, gen, dt = _setup(shape, rng, dtype, func)
    g = check_nonnegative(gain, func, "gain")
    fan_in, fan_out = _fans(shp, func)
    if math.prod(shp) == 0:
        return np.zeros(shp, dtype=dt)
    std = g * math.sqrt(2.0 / (fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return _uniform_draw(shp, -bound, bound, gen, dt, func)


def xavier_normal(
    shape: ShapeLike, gain: float = 1.0, *, rng: RngLike, dtype: DTypeLike = np.float64
) -> np.ndarray:
    """Glorot/Xavier normal, as ``torch.nn.init.xavier_normal_``.

    Draws from N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)).
    Not truncated. Keras's ``glorot_normal`` has the same final standard
    deviation but is a truncated normal: it is
    ``variance_scaling(shape, 1.0, "fan_avg", "truncated_normal")``.
    The paper itself used the uniform form (:func:`xavier_uniform`).

    References
    ----------
    Glorot & Bengio (2010), AISTATS.

    Examples
    --------
    >>> w = xavier_normal((300, 200), rng=0)  # std sqrt(2/500) = 0.0632
    >>> w.shape, round(float(w.std()), 3)
    ((300, 200), 0.063)
    """
    func = "xavier_normal"
    shp, gen, dt = _setup(shape, rng, dtype, func)
    g = check_nonnegative(gain, func, "gain")
    fan_in, fan_out = _fans(shp, func)
    if math.prod(shp) == 0:
        return np.zeros(shp, dtype=dt)
    std = g * math.sqrt(2.0 / (fan_in + fan_out))
    return _normal_draw(shp, 0.0, std, gen, dt, func)


def kaiming_uniform(
    shape: ShapeLike,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    rng: RngLike,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """He/Kaiming uniform, as ``torch.nn.init.kaiming_uniform_``.

    Draws from U(-bound, bound) with

        gain  = calculate_gain(nonlinearity, a)
        bound = gain * sqrt(3 / fan),   fan = fan_in or fan_out (``mode``),

    so Var(w) = gain^2 / fan. ``a`` is the negative slope of a leaky ReLU and
    only matters for ``nonlinearity="leaky_relu"``; the defaults (a=0,
    "leaky_relu") give the ReLU gain sqrt(2). ``mode`` is lower-cased, as in
    PyTorch. Keras's ``he_uniform`` is the same distribution.

    PyTorch's default for ``nn.Linear`` and ``nn.Conv*`` weights is this with
    a = sqrt(5): gain = sqrt(1/3), so bound = 1/sqrt(fan_in).

    References
    ----------
    He, Zhang, Ren & Sun (2015), "Delving deep into rectifiers: surpassing
    human-level performance on ImageNet classification", ICCV.

    Examples
    --------
    >>> w = kaiming_uniform((256, 512), nonlinearity="relu", rng=0)  # sqrt(6/512)
    >>> bool(np.abs(w).max() <= math.sqrt(6 / 512)), round(float(w.std()), 3)
    (True, 0.062)
    """
    return _kaiming(shape, a, mode, nonlinearity, rng, dtype, "kaiming_uniform", flat=True)


def kaiming_normal(
    shape: ShapeLike,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    rng: RngLike,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """He/Kaiming normal, as ``torch.nn.init.kaiming_normal_``.

    Draws from N(0, std^2) with std = gain / sqrt(fan), gain =
    calculate_gain(nonlinearity, a), fan = fan_in or fan_out (``mode``). For
    ReLU, Var(w) = 2/fan_in keeps the variance of activations constant with
    depth, since Var(y_L) = Var(y_1) prod_l (n_l Var(w_l) / 2).

    Not truncated. Keras's ``he_normal`` has the same final standard
    deviation but is a truncated normal:
    ``variance_scaling(shape, 2.0, "fan_in", "truncated_normal")``.

    References
    ----------
    He, Zhang, Ren & Sun (2015), ICCV.

    Examples
    --------
    >>> w = kaiming_normal((256, 512), nonlinearity="relu", rng=0)  # sqrt(2/512)
    >>> w.shape, round(float(w.std()), 3)
    ((256, 512), 0.063)
    """
    return _kaiming(shape, a, mode, nonlinearity, rng, dtype, "kaiming_normal", flat=False)


def lecun_uniform(shape: ShapeLike, *, rng: RngLike, dtype: DTypeLike = np.float64) -> np.ndarray:
    """LeCun uniform: U(-sqrt(3/fan_in), sqrt(3/fan_in)), so Var(w) = 1/fan_in.

    PyTorch has no function of this name; it is
    ``kaiming_uniform(shape, nonlinearity="linear")`` and gives the same
    array for the same seed. Keras's ``lecun_uniform`` is the same
    distribution.

    References
    ----------
    LeCun, Bottou, Orr & Müller (1998), "Efficient BackProp", in Neural
    Networks: Tricks of the Trade: weights with standard deviation fan_in^(-1/2).

    Examples
    --------
    >>> w = lecun_uniform((100, 300), rng=0)  # bound sqrt(3/300) = 0.1
    >>> bool(np.abs(w).max() <= 0.1), round(float(w.var() * 300), 1)
    (True, 1.0)
    """
    return _kaiming(shape, 0.0, "fan_in", "linear", rng, dtype, "lecun_uniform", flat=True)


def lecun_normal(shape: ShapeLike, *, rng: RngLike, dtype: DTypeLike = np.float64) -> np.ndarray:
    """LeCun normal: N(0, 1/fan_in), not truncated (PyTorch's convention).

    PyTorch has no function of this name; it is
    ``kaiming_normal(shape, nonlinearity="linear")``, which PyTorch's docs
    recommend for self-normalizing (SELU) networks. Keras's ``lecun_normal``
    is truncated instead: ``variance_scaling(shape, 1.0, "fan_in",
    "truncated_normal")``, with the same final standard deviation.

    References
    ----------
    LeCun, Bottou, Orr & Müller (1998), "Efficient BackProp";
    Klambauer et al. (2017), "Self-normalizing neural networks", NeurIPS.

    Examples
    --------
    >>> w = lecun_normal((100, 400), rng=0)  # std 1/sqrt(400) = 0.05
    >>> w.shape, round(float(w.std()), 3)
    ((100, 400), 0.05)
    """
    return _kaiming(shape, 0.0, "fan_in", "linear", rng, dtype, "lecun_normal", flat=False)


def orthogonal(
    shape: ShapeLike, gain: float = 1.0, *, rng: RngLike, dtype: DTypeLike = np.float64
) -> np.ndarray:
    """A (semi-)orthogonal matrix times ``gain``, as ``torch.nn.init.orthogonal_``.

    The weight is viewed as a rows x cols matrix with rows = shape[0] and
    cols = the product of the other dimensions (trailing dimensions are
    flattened, as in PyTorch). A rows x cols matrix A of N(0, 1) draws
    (transposed first when rows < cols) is factored A = QR, and each column of
    Q is multiplied by sign(R_ii), which makes Q uniformly (Haar) distributed
    (Mezzadri 2007). Then W W^T = gain^2 I when rows <= cols, and
    W^T W = gain^2 I when rows >= cols. ``gain`` may be any finite number.

    Keras's ``Orthogonal`` flattens the *leading* dimensions instead, to
    match its ``(..., in, out)`` layout.

    References
    ----------
    Saxe, McClelland & Ganguli (2014), "Exact solutions to the nonlinear
    dynamics of learning in deep linear neural networks", ICLR.

    Examples
    --------
    >>> w = orthogonal((3, 5), rng=0)
    >>> np.allclose(w @ w.T, np.eye(3))
    True
    """
    func = "orthogonal"
    shp, gen, dt = _setup(shape, rng, dtype, func)
    g = check_real(gain, func, "gain")
    if len(shp) < 2:
        raise ValueError(f"{func}: argument 'shape' needs at least 2 dimensions, got {shp}")
    if math.prod(shp) == 0:
        return np.zeros(shp, dtype=dt)
    rows = shp[0]
    cols = math.prod(shp[1:])
    flat = gen.standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _cast((g * q).reshape(shp), dt, func)


# trunc_normal.py builds on the helpers above: imported after them.
from nnbook.trunc_normal import KERAS_TRUNCATION_STD, trunc_normal, variance_scaling  # noqa: E402
