"""Truncated normals (chapter 3): exact sampling, ``trunc_normal`` and Keras's ``variance_scaling``.

Keras's ``glorot_normal``, ``he_normal`` and ``lecun_normal`` are *truncated*
normals, cut at two standard deviations and rescaled so that the final
standard deviation is the nominal one: :func:`variance_scaling` draws them.
The conventions (layout, fans, ``rng``, ``dtype``) are those of
:mod:`nnbook.init`, which re-exports everything here.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import DTypeLike

from nnbook._util import RngLike, check_nonnegative, check_positive, check_real
from nnbook.init import ShapeLike, _cast, _fans, _normal_draw, _setup, _uniform_draw

__all__ = ["KERAS_TRUNCATION_STD", "trunc_normal", "variance_scaling"]

_KERAS_MODES = ("fan_in", "fan_out", "fan_avg")
_KERAS_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

# Standard deviation of N(0, 1) cut to [-2, 2]; Keras divides by it so that a
# normal truncated at two (pre-truncation) standard deviations ends with the
# nominal standard deviation.
KERAS_TRUNCATION_STD = 0.87962566103423978

# Beyond 37 standard deviations a window holds probability mass below 1e-299,
# near the bottom of float64's range: such a request is a mistake, not a prior.
_MAX_WINDOW_GAP = 37.0


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
    PyTorch's :func:`~nnbook.init.xavier_normal` and :func:`~nnbook.init.kaiming_normal` are not.

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
