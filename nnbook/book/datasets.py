"""Small data sets made on the spot from a seed; nothing is downloaded.

Every function returns ``(X, y)`` as NumPy arrays:

- ``X`` is float64 with one row per example: shape ``(n, 2)`` for the
  classification sets, ``(n, 1)`` for the regression line (the layout
  ``nnbook`` layers expect, one row per example).
- Binary targets (``xor``, ``and_gate``, ``or_gate``, ``two_moons``) are float64
  0.0/1.0, the form a sigmoid output trained with binary cross-entropy or MSE
  needs (``torch.nn.BCELoss`` also wants float targets).
- Multi-class targets (``spirals``, ``blobs``) are int64 class indices
  0, ..., k − 1, the form ``cross_entropy`` and ``nll_loss`` need.
- Regression targets (``line_with_outliers``) are float64 of shape ``(n,)``.

The random sets take a required keyword ``rng`` (a ``numpy.random.Generator``
or an int seed): the same seed gives the same data, and nothing touches
NumPy's global random state. Their rows are shuffled, so a minibatch taken
from the front mixes the classes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnbook._util import RngLike, as_rng, check_int, check_nonnegative, check_real

__all__ = [
    "and_gate",
    "blobs",
    "line_with_outliers",
    "or_gate",
    "spirals",
    "two_moons",
    "xor",
]

# The four corners of the unit square, in truth-table order (x1, x2) = 00, 01, 10, 11.
_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def _shuffled(
    X: np.ndarray, y: np.ndarray, gen: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    order = gen.permutation(len(y))
    return X[order], y[order]


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The XOR truth table: y = x1 XOR x2 on the four corners of the unit square.

    No straight line separates the two classes, so a single threshold unit
    (a perceptron) cannot compute it (Minsky & Papert, 1969); one hidden layer
    can (Goodfellow, Bengio & Courville, 2016, section 6.1).

    Returns
    -------
    X : ndarray, float64, shape (4, 2)
        The inputs 00, 01, 10, 11.
    y : ndarray, float64, shape (4,)
        The outputs 0, 1, 1, 0.

    Examples
    --------
    >>> X, y = xor()
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])
    """
    return _CORNERS.copy(), np.array([0.0, 1.0, 1.0, 0.0])


def and_gate() -> tuple[np.ndarray, np.ndarray]:
    """The AND truth table: y = x1 AND x2 on the four corners of the unit square.

    Linearly separable (e.g. by x1 + x2 − 1.5 = 0), so a McCulloch-Pitts unit
    with hand-set weights computes it and the perceptron rule learns it
    (McCulloch & Pitts, 1943; Rosenblatt, 1958).

    Returns
    -------
    X : ndarray, float64, shape (4, 2)
        The inputs 00, 01, 10, 11.
    y : ndarray, float64, shape (4,)
        The outputs 0, 0, 0, 1.

    Examples
    --------
    >>> X, y = and_gate()
    >>> y.tolist()
    [0.0, 0.0, 0.0, 1.0]
    """
    return _CORNERS.copy(), np.array([0.0, 0.0, 0.0, 1.0])


def or_gate() -> tuple[np.ndarray, np.ndarray]:
    """The OR truth table: y = x1 OR x2 on the four corners of the unit square.

    Linearly separable (e.g. by x1 + x2 − 0.5 = 0), like AND
    (McCulloch & Pitts, 1943; Rosenblatt, 1958).

    Returns
    -------
    X : ndarray, float64, shape (4, 2)
        The inputs 00, 01, 10, 11.
    y : ndarray, float64, shape (4,)
        The outputs 0, 1, 1, 1.

    Examples
    --------
    >>> X, y = or_gate()
    >>> y.tolist()
    [0.0, 1.0, 1.0, 1.0]
    """
    return _CORNERS.copy(), np.array([0.0, 1.0, 1.0, 1.0])


def two_moons(n: int, noise: float = 0.1, *, rng: RngLike) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, the classic non-linear binary problem.

    Class 0 lies on the upper half circle (cos t, sin t), class 1 on the lower
    one (1 − cos t, 1/2 − sin t), with t evenly spaced in [0, π]; then
    Gaussian noise of standard deviation ``noise`` is added to both
    coordinates. Class 0 gets ⌊n/2⌋ points and class 1 the other ⌈n/2⌉. The
    geometry is that of ``sklearn.datasets.make_moons``.

    Parameters
    ----------
    n : int
        Number of points, at least 2 (one per class).
    noise : float, default 0.1
        Standard deviation of the Gaussian noise, >= 0.
    rng : numpy.random.Generator or int
        Source of the noise and of the row order (keyword only, required).

    Returns
    -------
    X : ndarray, float64, shape (n, 2)
    y : ndarray, float64, shape (n,)
        0.0 for the upper moon, 1.0 for the lower moon.

    Examples
    --------
    >>> X, y = two_moons(100, rng=0)
    >>> X.shape, int(y.sum())
    ((100, 2), 50)
    """
    func = "two_moons"
    n = check_int(n, func, "n", 2)
    noise = check_nonnegative(noise, func, "noise")
    gen = as_rng(rng, func)
    n_upper = n // 2
    n_lower = n - n_upper
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.concatenate([upper, lower]) + noise * gen.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n_upper), np.ones(n_lower)])
    return _shuffled(X, y, gen)


def spirals(
    n_per_class: int, n_classes: int = 2, noise: float = 0.2, *, rng: RngLike
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class: not separable by any line.

    Point i = 1, ..., N of class k sits at radius r = i/N and angle
    θ = 2πk/K + 4r + ε, ε ~ N(0, noise²), i.e. at r·(cos θ, sin θ). Each arm
    sweeps 4 radians as in the spiral data of Stanford's CS231n notes
    ("Putting it together: minimal neural network case study"); here the arms
    start evenly spaced around the circle. The noise is on the angle, so it
    blurs the arms more at the rim than near the centre.

    Parameters
    ----------
    n_per_class : int
        Points per class (N), at least 1.
    n_classes : int, default 2
        Number of arms (K), at least 2.
    noise : float, default 0.2
        Standard deviation of the angle noise in radians, >= 0.
    rng : numpy.random.Generator or int
        Source of the noise and of the row order (keyword only, required).

    Returns
    -------
    X : ndarray, float64, shape (N·K, 2)
        All points lie in the unit disc (norm r <= 1).
    y : ndarray, int64, shape (N·K,)
        The class index k of each point.

    Examples
    --------
    >>> X, y = spirals(50, n_classes=3, rng=0)
    >>> X.shape, np.bincount(y).tolist()
    ((150, 2), [50, 50, 50])
    """
    func = "spirals"
    n_per_class = check_int(n_per_class, func, "n_per_class", 1)
    n_classes = check_int(n_classes, func, "n_classes", 2)
    noise = check_nonnegative(noise, func, "noise")
    gen = as_rng(rng, func)
    y = np.repeat(np.arange(n_classes, dtype=np.int64), n_per_class)
    # Radius from 1/N (not 0) so no two classes share the origin.
    r = np.tile(np.arange(1, n_per_class + 1) / n_per_class, n_classes)
    theta = 2.0 * np.pi * y / n_classes + 4.0 * r + noise * gen.standard_normal(y.size)
    X = r[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _shuffled(X, y, gen)


def blobs(
    n_per_class: int, centers: Any, std: float = 1.0, *, rng: RngLike
) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic Gaussian clusters, one per centre.

    Class k has ``n_per_class`` points x = c_k + std·ε, ε ~ N(0, I), like
    ``sklearn.datasets.make_blobs`` with a common ``cluster_std``.

    Parameters
    ----------
    n_per_class : int
        Points per class, at least 1.
    centers : array_like, shape (k, d)
        One centre per class (k >= 1, d >= 1), finite.
    std : float, default 1.0
        Standard deviation of every coordinate around its centre, >= 0.
    rng : numpy.random.Generator or int
        Source of the noise and of the row order (keyword only, required).

    Returns
    -------
    X : ndarray, float64, shape (n_per_class·k, d)
    y : ndarray, int64, shape (n_per_class·k,)
        The index of the centre each point was drawn around.

    Examples
    --------
    >>> X, y = blobs(20, [[-2, 0], [2, 0]], std=0.5, rng=0)
    >>> X.shape, np.bincount(y).tolist()
    ((40, 2), [20, 20])
    """
    func = "blobs"
    n_per_class = check_int(n_per_class, func, "n_per_class", 1)
    std = check_nonnegative(std, func, "std")
    try:
        c = np.asarray(centers, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{func}: argument 'centers' must be a numeric (k, d) array: {exc}"
        ) from exc
    if c.ndim != 2 or c.shape[0] < 1 or c.shape[1] < 1:
        raise ValueError(
            f"{func}: argument 'centers' must have shape (k, d) with k, d >= 1, got {c.shape}"
        )
    if not np.all(np.isfinite(c)):
        raise ValueError(f"{func}: argument 'centers' must be finite")
    gen = as_rng(rng, func)
    y = np.repeat(np.arange(c.shape[0], dtype=np.int64), n_per_class)
    X = c[y] + std * gen.standard_normal((y.size, c.shape[1]))
    return _shuffled(X, y, gen)


def line_with_outliers(
    n: int = 50,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 0.5,
    n_outliers: int = 5,
    outlier_shift: float = 10.0,
    *,
    rng: RngLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Points near a line, the last few pushed far above it: a robust-regression test.

    x ~ U(0, 5) and y = intercept + slope·x + noise·ε, ε ~ N(0, 1). Then the
    **last** ``n_outliers`` rows get ``outlier_shift`` added to y. Their x are
    drawn like every other x, so they are vertical outliers spread along the
    line, not high-leverage points. All shifts go the same way, so a
    least-squares (MSE) fit is pulled towards them while a least-absolute
    (MAE) or Huber fit stays near the line (Huber, 1964). ``y[:-n_outliers]``
    are the clean points.

    Parameters
    ----------
    n : int, default 50
        Number of points, at least 2.
    slope, intercept : float, default 2.0 and 1.0
        The true line.
    noise : float, default 0.5
        Standard deviation of the Gaussian noise on y, >= 0.
    n_outliers : int, default 5
        How many of the last rows are outliers, 0 <= n_outliers <= n.
    outlier_shift : float, default 10.0
        What is added to the outliers' y (20 noise standard deviations by default).
    rng : numpy.random.Generator or int
        Source of x and of the noise (keyword only, required).

    Returns
    -------
    X : ndarray, float64, shape (n, 1)
        The inputs, one row per example.
    y : ndarray, float64, shape (n,)
        The targets.

    Examples
    --------
    >>> X, y = line_with_outliers(rng=0)
    >>> X.shape, y.shape
    ((50, 1), (50,))
    >>> bool(np.all(y[-5:] - (1 + 2 * X[-5:, 0]) > 5))
    True
    """
    func = "line_with_outliers"
    n = check_int(n, func, "n", 2)
    slope = check_real(slope, func, "slope")
    intercept = check_real(intercept, func, "intercept")
    noise = check_nonnegative(noise, func, "noise")
    n_outliers = check_int(n_outliers, func, "n_outliers", 0)
    if n_outliers > n:
        raise ValueError(f"{func}: argument 'n_outliers' must be <= n = {n}, got {n_outliers}")
    outlier_shift = check_real(outlier_shift, func, "outlier_shift")
    gen = as_rng(rng, func)
    x = gen.uniform(0.0, 5.0, n)
    y = intercept + slope * x + noise * gen.standard_normal(n)
    y[n - n_outliers :] += outlier_shift
    return x[:, None], y
