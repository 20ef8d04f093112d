"""Weight initializers (chapter 3), as ``torch.nn.init``: PyTorch's names, defaults and formulas.

PyTorch's in-place forms (``xavier_uniform_(tensor, gain=1.0, generator=rng)``,
...) fill a :class:`~nnbook.Tensor` or an ndarray and return it. Beside each
the book uses a form without the underscore that returns a new array of
``shape`` (``xavier_uniform(shape, gain=1.0, rng=rng)``), the same numbers
from the same generator; Keras's :func:`variance_scaling`, the truncated
normals and LeCun's forms, which PyTorch lacks, sit beside their relatives.
Weights use PyTorch's layout ``(out_features, in_features, *kernel)``, so for a
weight of shape ``(out, in, k1, k2, ...)``::

    receptive = k1 * k2 * ...      (1 for a dense layer)
    fan_in    = in  * receptive
    fan_out   = out * receptive

Keras stores dense kernels as ``(in, out)`` and convolution kernels as
``(k1, k2, ..., in, out)``; the fans are the same numbers, read from other
places. :func:`variance_scaling` (Keras's general form) takes nnbook's layout.

Where the two libraries share a name they do not always share a distribution:
Keras's ``glorot_normal``, ``he_normal`` and ``lecun_normal`` are *truncated*
normals (cut at two standard deviations, rescaled so the final standard
deviation is the nominal one), while PyTorch's :func:`xavier_normal` and
:func:`kaiming_normal` are plain normals.

Randomness comes only from the keyword ``rng`` (``generator`` in the in-place
forms, as PyTorch names it): a ``numpy.random.Generator`` or an int seed, never a
global state; samples are drawn in float64 and then cast to ``dtype``, so one
seed gives the same numbers, up to rounding, in every precision.

An empty shape such as ``(0, 5)`` gives an empty array once every argument has
been checked (PyTorch warns that filling a zero-element tensor is a no-op, and
some of its formulas would divide by a zero fan). A non-empty shape always has
non-zero fans, so no formula here ever divides by zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from nnbook._tensor import Tensor
from nnbook._util import (
    RngLike,
    as_rng,
    check_float_dtype,
    check_nonnegative,
    check_positive,
    check_real,
    check_shape,
)

__all__ = [
    "KERAS_TRUNCATION_STD",
    "calculate_gain",
    "constant",
    "constant_",
    "fan_in_and_fan_out",
    "kaiming_normal",
    "kaiming_normal_",
    "kaiming_uniform",
    "kaiming_uniform_",
    "lecun_normal",
    "lecun_uniform",
    "normal",
    "normal_",
    "ones",
    "ones_",
    "orthogonal",
    "orthogonal_",
    "trunc_normal",
    "trunc_normal_",
    "uniform",
    "uniform_",
    "variance_scaling",
    "xavier_normal",
    "xavier_normal_",
    "xavier_uniform",
    "xavier_uniform_",
    "zeros",
    "zeros_",
]

ShapeLike = int | Sequence[int]

_KERAS_MODES = ("fan_in", "fan_out", "fan_avg")
_KERAS_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

# Standard deviation of N(0, 1) cut to [-2, 2]; Keras divides by it so that a
# normal truncated at two (pre-truncation) standard deviations ends with the
# nominal standard deviation.
KERAS_TRUNCATION_STD = 0.87962566103423978

# Beyond 37 standard deviations a window holds probability mass below 1e-299,
# near the bottom of float64's range: such a request is a mistake, not a prior.
_MAX_WINDOW_GAP = 37.0

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
    nan = isinstance(value, (float, np.floating)) and math.isnan(value)
    val = math.nan if nan else check_real(value, func, "value", finite=False)
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


# --------------------------------------------------------------------------
# exact sampling of a truncated standard normal
# --------------------------------------------------------------------------

_Proposal = Callable[[int, np.random.Generator], np.ndarray]


def _proposal(lo: float, hi: float) -> _Proposal:
    """A rejection sampler for N(0, 1) on [lo, hi] (hi > 0) accepting >= 22 % of draws.

    The choice follows Robert (1995): a window holding 0 uses plain normal
    draws when it is at least 1 wide (acceptance >= Phi(1) - 1/2 = 0.34), or a
    flat proposal when narrower (acceptance >= exp(-1/2)); a window in the
    right tail uses a shifted exponential with rate lam = (lo + sqrt(lo^2 + 4))/2
    when it is at least 1/lam wide (acceptance >= (1 - 1/e) exp(-1/2)), or a flat
    proposal when narrower (acceptance >= exp(-3/2)). No window can stall it.
    """
    width = hi - lo
    if lo < 0.0:
        if width >= 1.0:

            def plain(m: int, gen: np.random.Generator) -> np.ndarray:
                z = gen.standard_normal(m)
                return z[(z >= lo) & (z <= hi)]

            return plain

        def flat_centre(m: int, gen: np.random.Generator) -> np.ndarray:
            z = gen.uniform(lo, hi, m)
            return z[gen.random(m) <= np.exp(-0.5 * z * z)]

        return flat_centre

    lam = 0.5 * (lo + math.sqrt(lo * lo + 4.0))
    if width * lam >= 1.0:

        def exponential(m: int, gen: np.random.Generator) -> np.ndarray:
            z = lo + gen.standard_exponential(m) / lam
            keep = (z <= hi) & (gen.random(m) <= np.exp(-0.5 * (z - lam) ** 2))
            return z[keep]

        return exponential

    def flat_tail(m: int, gen: np.random.Generator) -> np.ndarray:
        z = gen.uniform(lo, hi, m)
        # exp(-(z^2 - lo^2)/2), factored so it cannot overflow
        return z[gen.random(m) <= np.exp(-0.5 * (z - lo) * (z + lo))]

    return flat_tail


def _standard_truncated_normal(
    n: int, lo: float, hi: float, gen: np.random.Generator
) -> np.ndarray:
    """``n`` exact draws of N(0, 1) conditioned on [lo, hi], in vectorised batches."""
    if hi <= 0.0:
        # A window left of 0 is the mirror image of one right of it.
        return -_standard_truncated_normal(n, -hi, -lo, gen)
    propose = _proposal(lo, hi)
    out = np.empty(n)
    filled, rate = 0, 1.0
    while filled < n:
        need = n - filled
        batch = int(1.1 * need / rate) + 16
        kept = propose(batch, gen)
        take = kept[:need]
        out[filled : filled + take.size] = take
        filled += take.size
        # size the next batch from the acceptance seen; the floor keeps it finite
        rate = max(kept.size / batch, 0.05)
    return out


def trunc_normal(
    shape: ShapeLike,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    *,
    rng: RngLike,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Draws from N(mean, std^2) conditioned on [a, b], as ``torch.nn.init.trunc_normal_``.

    ``a`` and ``b`` are absolute cut-offs, not multiples of ``std``: with the
    defaults a=-2, b=2 and a small std such as 0.02, nothing is cut at all
    (this surprises many PyTorch users). Either may be infinite.

    With alpha = (a - mean)/std, beta = (b - mean)/std, Z = Phi(beta) - Phi(alpha)
    and phi the standard normal density, the result has::

        mean'  = mean + std (phi(alpha) - phi(beta)) / Z
        var'   = std^2 [1 + (alpha phi(alpha) - beta phi(beta))/Z
                          - ((phi(alpha) - phi(beta))/Z)^2]

    Sampling is exact for every window: vectorised rejection sampling with a
    proposal chosen for the window (normal, flat, or shifted exponential,
    after Robert 1995), each accepting at least a fifth of its draws, so it
    cannot stall. PyTorch instead maps U(Phi(alpha), Phi(beta)) through
    erfinv, which loses accuracy far in the tails (it warns when the mean is
    more than 2 std from [a, b]).

    Refused: ``a >= b``, ``std < 0``, and a window with vanishing probability
    mass (more than 37 std from the mean, mass below 1e-299; with std = 0, a
    mean outside [a, b]). With std = 0 and the mean inside, every value is the
    mean.

    References
    ----------
    Robert, C. P. (1995), "Simulation of truncated normal variables",
    Statistics and Computing 5, 121-125.

    Examples
    --------
    >>> w = trunc_normal((200, 200), std=1.0, a=-2.0, b=2.0, rng=0)
    >>> bool(np.abs(w).max() <= 2), round(float(w.std()), 2)  # 0.8796...
    (True, 0.88)
    """
    func = "trunc_normal"
    shp, gen, dt = _setup(shape, rng, dtype, func)
    mu, sigma = check_real(mean, func, "mean"), check_nonnegative(std, func, "std")
    low = check_real(a, func, "a", finite=False)
    high = check_real(b, func, "b", finite=False)
    if low >= high:
        raise ValueError(f"{func}: arguments need a < b, got a={low}, b={high}")
    if sigma == 0.0:
        if not low <= mu <= high:
            raise ValueError(
                f"{func}: with std=0 all mass sits at mean={mu}, outside [a, b] = "
                f"[{low}, {high}]; the window has zero probability mass"
            )
        return np.full(shp, mu, dtype=dt)
    lo, hi = (low - mu) / sigma, (high - mu) / sigma
    gap = max(lo, -hi, 0.0)
    if gap > _MAX_WINDOW_GAP:
        raise ValueError(
            f"{func}: the window [a, b] = [{low}, {high}] lies {gap:.3g} std from "
            f"mean={mu} (std={sigma}); its probability mass (< 1e-299) vanishes"
        )
    z = _standard_truncated_normal(math.prod(shp), lo, hi, gen)
    # rounding in mean + std*z may step a hair past a cut-off
    values = np.clip(mu + sigma * z, low, high).reshape(shp)
    return _cast(values, dt, func)


def variance_scaling(
    shape: ShapeLike,
    scale: float = 1.0,
    mode: str = "fan_in",
    distribution: str = "truncated_normal",
    *,
    rng: RngLike,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Keras's general variance-scaling initializer, on nnbook's weight layout.

    With n = fan_in, fan_out or (fan_in + fan_out)/2 (``mode`` "fan_in",
    "fan_out", "fan_avg"), every distribution has Var(w) = scale / n:

    - "truncated_normal": N(0, s^2) cut at +-2s, with
      s = sqrt(scale / n) / 0.87962566103423978. The constant is the standard
      deviation of N(0, 1) cut to [-2, 2], so the final standard deviation is
      exactly sqrt(scale / n).
    - "untruncated_normal": N(0, scale / n).
    - "uniform": U(-limit, limit) with limit = sqrt(3 scale / n).

    As in Keras, ``scale`` must be > 0, ``distribution`` is lower-cased and
    "normal" is accepted as an old name for "truncated_normal"; ``mode`` is
    taken as written.

    Layout: Keras kernels are ``(in, out)`` (dense) and ``(k1, ..., in, out)``
    (convolution); nnbook and PyTorch use ``(out, in, k1, ...)``. This function
    takes nnbook's layout, so a Keras kernel of shape (784, 128) is a shape
    (128, 784) here. The fans, and hence the values' distribution, agree.

    The Keras shortcuts, all of them variance_scaling:

    ==============  =====  ========  ==================
    Keras name      scale  mode      distribution
    ==============  =====  ========  ==================
    glorot_uniform  1      fan_avg   uniform
    glorot_normal   1      fan_avg   truncated_normal
    he_uniform      2      fan_in    uniform
    he_normal       2      fan_in    truncated_normal
    lecun_uniform   1      fan_in    uniform
    lecun_normal    1      fan_in    truncated_normal
    ==============  =====  ========  ==================

    So Keras's ``glorot_normal`` and ``he_normal`` are truncated, while
    PyTorch's :func:`xavier_normal` and :func:`kaiming_normal` are not.

    References
    ----------
    Keras, ``keras.initializers.VarianceScaling``; Glorot & Bengio (2010);
    He et al. (2015); LeCun et al. (1998).

    Examples
    --------
    >>> w = variance_scaling((500, 500), 2.0, "fan_in", rng=0)  # he_normal
    >>> cut = 2 * math.sqrt(2 / 500) / KERAS_TRUNCATION_STD  # 2 s
    >>> round(float(w.std()), 3), bool(np.abs(w).max() <= cut)  # sqrt(2/500) = 0.0632
    (0.063, True)
    """
    func = "variance_scaling"
    shp, gen, dt = _setup(shape, rng, dtype, func)
    s = check_positive(scale, func, "scale")
    if mode not in _KERAS_MODES:
        raise ValueError(
            f"{func}: argument 'mode' must be one of {', '.join(_KERAS_MODES)}; got {mode!r}"
        )
    dist = distribution.lower() if isinstance(distribution, str) else distribution
    if dist == "normal":
        dist = "truncated_normal"
    if dist not in _KERAS_DISTRIBUTIONS:
        raise ValueError(
            f"{func}: argument 'distribution' must be one of "
            f"{', '.join(_KERAS_DISTRIBUTIONS)}; got {distribution!r}"
        )
    fan_in, fan_out = _fans(shp, func)
    if math.prod(shp) == 0:
        return np.zeros(shp, dtype=dt)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[mode]
    var = s / n
    if dist == "truncated_normal":
        std = math.sqrt(var) / KERAS_TRUNCATION_STD
        z = _standard_truncated_normal(math.prod(shp), -2.0, 2.0, gen)
        return _cast((std * z).reshape(shp), dt, func)
    if dist == "untruncated_normal":
        return _normal_draw(shp, 0.0, math.sqrt(var), gen, dt, func)
    limit = math.sqrt(3.0 * var)
    return _uniform_draw(shp, -limit, limit, gen, dt, func)


# --------------------------------------------------------------------------
# PyTorch's in-place forms
# --------------------------------------------------------------------------


def _target(tensor: Any, func: str) -> np.ndarray:
    """The array an in-place initializer writes into: a Tensor's values or an ndarray."""
    arr = tensor.data if isinstance(tensor, Tensor) else tensor
    if not isinstance(arr, np.ndarray) or arr.dtype.kind != "f":
        raise TypeError(
            f"{func}: argument 'tensor' must be a float Tensor or ndarray, got "
            f"{type(tensor).__name__}"
            + (f" of dtype {arr.dtype}" if isinstance(arr, np.ndarray) else "")
        )
    return arr


def _generator(generator: Any, func: str) -> RngLike:
    if generator is None:
        raise TypeError(
            f"{func}: argument 'generator' is required: pass a numpy.random.Generator or an "
            "int seed (nnbook has no global random state)"
        )
    return generator


def _fill(tensor: Any, draw: Callable[..., np.ndarray], func: str, *args: Any, **kw: Any) -> Any:
    arr = _target(tensor, func)
    arr[...] = draw(arr.shape, *args, dtype=arr.dtype, **kw)
    return tensor


def zeros_(tensor: Any) -> Any:
    """Fill ``tensor`` with 0, as ``torch.nn.init.zeros_``; returns it.

    >>> from nnbook import ones
    >>> zeros_(ones(2)).tolist()
    [0.0, 0.0]
    """
    return _fill(tensor, zeros, "zeros_")


def ones_(tensor: Any) -> Any:
    """Fill ``tensor`` with 1, as ``torch.nn.init.ones_``; returns it."""
    return _fill(tensor, ones, "ones_")


def constant_(tensor: Any, val: float) -> Any:
    """Fill ``tensor`` with ``val`` (nan and inf included), as ``torch.nn.init.constant_``."""
    return _fill(tensor, constant, "constant_", val)


def uniform_(tensor: Any, a: float = 0.0, b: float = 1.0, generator: RngLike | None = None) -> Any:
    """Fill ``tensor`` from U(a, b), as ``torch.nn.init.uniform_``; see :func:`uniform`.

    >>> from nnbook import zeros
    >>> w = uniform_(zeros(3), -1.0, 1.0, generator=0)
    >>> bool(((w.data >= -1) & (w.data <= 1)).all())
    True
    """
    return _fill(tensor, uniform, "uniform_", a, b, rng=_generator(generator, "uniform_"))


def normal_(
    tensor: Any, mean: float = 0.0, std: float = 1.0, generator: RngLike | None = None
) -> Any:
    """Fill ``tensor`` from N(mean, std²), as ``torch.nn.init.normal_``; see :func:`normal`."""
    return _fill(tensor, normal, "normal_", mean, std, rng=_generator(generator, "normal_"))


def trunc_normal_(
    tensor: Any,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: RngLike | None = None,
) -> Any:
    """Fill ``tensor`` from N(mean, std²) cut to [a, b] (absolute cut-offs), as
    ``torch.nn.init.trunc_normal_``; see :func:`trunc_normal`."""
    gen = _generator(generator, "trunc_normal_")
    return _fill(tensor, trunc_normal, "trunc_normal_", mean, std, a, b, rng=gen)


def xavier_uniform_(tensor: Any, gain: float = 1.0, generator: RngLike | None = None) -> Any:
    """Fill ``tensor`` from U(±gain·√(6/(fan_in + fan_out))), as
    ``torch.nn.init.xavier_uniform_``; see :func:`xavier_uniform`.

    >>> from nnbook import zeros
    >>> w = xavier_uniform_(zeros(3, 2), generator=0)
    >>> bool((abs(w.data) <= (6 / 5) ** 0.5).all())
    True
    """
    gen = _generator(generator, "xavier_uniform_")
    return _fill(tensor, xavier_uniform, "xavier_uniform_", gain, rng=gen)


def xavier_normal_(tensor: Any, gain: float = 1.0, generator: RngLike | None = None) -> Any:
    """Fill ``tensor`` from N(0, gain²·2/(fan_in + fan_out)), as
    ``torch.nn.init.xavier_normal_``; see :func:`xavier_normal`."""
    gen = _generator(generator, "xavier_normal_")
    return _fill(tensor, xavier_normal, "xavier_normal_", gain, rng=gen)


def kaiming_uniform_(
    tensor: Any,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: RngLike | None = None,
) -> Any:
    """Fill ``tensor`` from U(±√3·gain/√fan), as ``torch.nn.init.kaiming_uniform_``;
    see :func:`kaiming_uniform`."""
    gen = _generator(generator, "kaiming_uniform_")
    return _fill(tensor, kaiming_uniform, "kaiming_uniform_", a, mode, nonlinearity, rng=gen)


def kaiming_normal_(
    tensor: Any,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: RngLike | None = None,
) -> Any:
    """Fill ``tensor`` from N(0, gain²/fan) (not truncated), as
    ``torch.nn.init.kaiming_normal_``; see :func:`kaiming_normal`."""
    gen = _generator(generator, "kaiming_normal_")
    return _fill(tensor, kaiming_normal, "kaiming_normal_", a, mode, nonlinearity, rng=gen)


def orthogonal_(tensor: Any, gain: float = 1.0, generator: RngLike | None = None) -> Any:
    """Fill ``tensor`` with a (semi-)orthogonal matrix times ``gain``, as
    ``torch.nn.init.orthogonal_``; see :func:`orthogonal`."""
    gen = _generator(generator, "orthogonal_")
    return _fill(tensor, orthogonal, "orthogonal_", gain, rng=gen)
