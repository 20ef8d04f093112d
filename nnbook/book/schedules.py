"""Learning-rate schedules as plain, vectorised functions of the step t (chapter 2).

Each function gives η(t) for an array of steps, for plotting; each scheduler
class of :mod:`nnbook.optim.lr_scheduler` computes the same closed form.

References
----------
Smith, L. N. (2017). Cyclical learning rates for training neural networks.
Loshchilov, I. & Hutter, F. (2017). SGDR: stochastic gradient descent with warm restarts.
Goyal, P. et al. (2017). Accurate, large minibatch SGD: training ImageNet in 1 hour.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nnbook._util import check_int, check_nonnegative, check_positive
from nnbook.optim.lr_scheduler import (
    _check_cyclic_args,
    _check_linear_args,
    _cyclic_amplitude,
    _cyclic_scale,
    _power,
)

__all__ = [
    "cosine_schedule",
    "exponential_schedule",
    "inverse_time_schedule",
    "linear_schedule",
    "step_schedule",
    "triangular_schedule",
    "warmup_cosine_schedule",
]


# --------------------------------------------------------------------------- argument checks
def _as_steps(t: ArrayLike, func: str) -> np.ndarray:
    """The step counter of a schedule: non-negative, finite, real (ints kept as ints)."""
    arr = np.asarray(t)
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{func}: argument 't' must hold step numbers (ints), got dtype {arr.dtype}"
        )
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{func}: argument 't' must be finite, shape {arr.shape}")
    if arr.size and np.min(arr) < 0:
        raise ValueError(f"{func}: argument 't' must be >= 0, got a minimum of {np.min(arr)}")
    return arr


# --------------------------------------------------------------------------- schedules as functions
def step_schedule(t: ArrayLike, lr0: float, step_size: int, gamma: float = 0.1) -> np.ndarray:
    r"""Step decay: :math:`\eta_t = \eta_0\,\gamma^{\lfloor t/s \rfloor}`.

    The rate is multiplied by γ every ``step_size`` steps; the closed form of
    ``torch.optim.lr_scheduler.StepLR``.

    Parameters
    ----------
    t : int or array of int
        Step numbers (>= 0).
    lr0 : float
        The initial rate η₀ (>= 0).
    step_size : int
        s >= 1.
    gamma : float
        γ > 0. Default 0.1.

    Returns
    -------
    ndarray of float64, shaped like ``t``.

    References
    ----------
    Goodfellow, Bengio & Courville (2016), 8.3; Bengio (2012).

    Examples
    --------
    >>> step_schedule(np.arange(7), 1.0, step_size=3, gamma=0.5)
    array([1.  , 1.  , 1.  , 0.5 , 0.5 , 0.5 , 0.25])
    """
    steps = _as_steps(t, "step_schedule")
    lr0 = check_nonnegative(lr0, "step_schedule", "lr0")
    step_size = check_int(step_size, "step_schedule", "step_size", 1)
    gamma = check_positive(gamma, "step_schedule", "gamma")
    return np.asarray(lr0 * _power(gamma, steps // step_size))


def exponential_schedule(t: ArrayLike, lr0: float, gamma: float) -> np.ndarray:
    r"""Exponential decay: :math:`\eta_t = \eta_0\,\gamma^t` (= η₀e^{−kt} with k = −ln γ).

    The closed form of ``torch.optim.lr_scheduler.ExponentialLR``.

    Parameters
    ----------
    t : int or array of int
        Step numbers (>= 0).
    lr0 : float
        η₀ >= 0.
    gamma : float
        γ > 0, the factor per step.

    Returns
    -------
    ndarray of float64, shaped like ``t``.

    References
    ----------
    Goodfellow, Bengio & Courville (2016), 8.3.

    Examples
    --------
    >>> exponential_schedule(np.arange(4), 1.0, gamma=0.5)
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    steps = _as_steps(t, "exponential_schedule")
    lr0 = check_nonnegative(lr0, "exponential_schedule", "lr0")
    gamma = check_positive(gamma, "exponential_schedule", "gamma")
    return np.asarray(lr0 * _power(gamma, steps))


def inverse_time_schedule(t: ArrayLike, lr0: float, k: float) -> np.ndarray:
    r"""Inverse-time ("1/t") decay: :math:`\eta_t = \eta_0 / (1 + k t)`.

    It satisfies the Robbins-Monro conditions Σηₜ = ∞ and Σηₜ² < ∞ for
    k > 0. PyTorch has no class for it: use
    ``LambdaLR(opt, lambda t: 1 / (1 + k * t))``.

    Parameters
    ----------
    t : int or array of int
        Step numbers (>= 0).
    lr0 : float
        η₀ >= 0.
    k : float
        Decay rate k >= 0 (k = 0 keeps the rate constant).

    Returns
    -------
    ndarray of float64, shaped like ``t``.

    References
    ----------
    Robbins & Monro (1951); Bottou (2012), Stochastic gradient descent tricks.

    Examples
    --------
    >>> inverse_time_schedule(np.arange(4), 1.0, k=1.0)
    array([1.        , 0.5       , 0.33333333, 0.25      ])
    """
    steps = _as_steps(t, "inverse_time_schedule")
    lr0 = check_nonnegative(lr0, "inverse_time_schedule", "lr0")
    k = check_nonnegative(k, "inverse_time_schedule", "k")
    return np.asarray(lr0 / (1 + k * steps), dtype=np.float64)


def cosine_schedule(t: ArrayLike, lr0: float, T: int, eta_min: float = 0.0) -> np.ndarray:
    r"""Cosine annealing: :math:`\eta_t = \eta_{min} + (\eta_0 - \eta_{min})(1 + \cos(\pi t/T))/2`.

    The closed form of ``torch.optim.lr_scheduler.CosineAnnealingLR``
    (Loshchilov & Hutter 2017, without restarts). It falls from η₀ at t = 0
    to η_min at t = T. Past T the cosine keeps going, so the rate climbs back
    to η₀ at t = 2T and repeats with period 2T: that is also what PyTorch's
    recursive form gives (the two agree for every t up to rounding). It does
    not hold η_min; stop at T or use :func:`warmup_cosine_schedule`, which does.

    Parameters
    ----------
    t : int or array of int
        Step numbers (>= 0).
    lr0 : float
        η₀ >= 0, the rate at t = 0.
    T : int
        Half period T >= 1 (PyTorch's ``T_max``).
    eta_min : float
        η_min >= 0. Default 0.

    Returns
    -------
    ndarray of float64, shaped like ``t``.

    References
    ----------
    Loshchilov & Hutter (2017), eq. (5).

    Examples
    --------
    >>> np.round(cosine_schedule(np.arange(5), 1.0, T=4), 4)
    array([1.    , 0.8536, 0.5   , 0.1464, 0.    ])
    """
    steps = _as_steps(t, "cosine_schedule")
    lr0 = check_nonnegative(lr0, "cosine_schedule", "lr0")
    T = check_int(T, "cosine_schedule", "T", 1)
    eta_min = check_nonnegative(eta_min, "cosine_schedule", "eta_min")
    # Same order of operations as PyTorch's closed form.
    return np.asarray(eta_min + (lr0 - eta_min) * (1 + np.cos(np.pi * steps / T)) / 2, np.float64)


def warmup_cosine_schedule(
    t: ArrayLike, lr0: float, warmup: int, T: int, eta_min: float = 0.0
) -> np.ndarray:
    r"""Linear warm-up then cosine decay.

    .. math::

        \eta_t = \begin{cases}
        \eta_0\, t / T_w & t < T_w \\
        \eta_{min} + (\eta_0 - \eta_{min})\,
        \frac{1 + \cos(\pi\,\min(t - T_w,\, T - T_w) / (T - T_w))}{2} & t \ge T_w
        \end{cases}

    The rate rises linearly from 0 at t = 0 to η₀ at t = T_w (Goyal et al.
    2017's gradual warm-up), then follows a half cosine down to η_min at
    t = T and stays there. As in Hugging Face's
    ``get_cosine_schedule_with_warmup``, the first step (t = 0) has rate 0.
    PyTorch builds the same shape with ``SequentialLR`` (``LinearLR`` then
    ``CosineAnnealingLR``) or with ``LambdaLR`` and this function.

    Parameters
    ----------
    t : int or array of int
        Step numbers (>= 0).
    lr0 : float
        η₀ >= 0, the peak rate.
    warmup : int
        T_w >= 0 warm-up steps (0: no warm-up).
    T : int
        Total steps, T > T_w.
    eta_min : float
        η_min >= 0. Default 0.

    Returns
    -------
    ndarray of float64, shaped like ``t``.

    References
    ----------
    Goyal et al. (2017), section 2.2; Loshchilov & Hutter (2017).

    Examples
    --------
    >>> np.round(warmup_cosine_schedule(np.arange(8), 1.0, warmup=2, T=6), 4)
    array([0.    , 0.5   , 1.    , 0.8536, 0.5   , 0.1464, 0.    , 0.    ])
    """
    func = "warmup_cosine_schedule"
    steps = _as_steps(t, func)
    lr0 = check_nonnegative(lr0, func, "lr0")
    warmup = check_int(warmup, func, "warmup", 0)
    T = check_int(T, func, "T", 1)
    if T <= warmup:
        raise ValueError(f"{func}: argument 'T' must exceed 'warmup', got T={T}, warmup={warmup}")
    eta_min = check_nonnegative(eta_min, func, "eta_min")
    decay = T - warmup
    since = np.clip(steps - warmup, 0, decay)
    cosine = eta_min + (lr0 - eta_min) * (1 + np.cos(np.pi * since / decay)) / 2
    # max(warmup, 1): the warm-up branch is unused when warmup == 0, but it is still evaluated.
    ramp = lr0 * steps / max(warmup, 1)
    return np.asarray(np.where(steps < warmup, ramp, cosine), dtype=np.float64)


def linear_schedule(
    t: ArrayLike,
    lr0: float,
    start_factor: float = 1.0 / 3,
    end_factor: float = 1.0,
    total_iters: int = 5,
) -> np.ndarray:
    r"""Linear ramp of the factor: :math:`\eta_t = \eta_0\,(f_s + (f_e - f_s)\min(t, N)/N)`.

    The closed form of ``torch.optim.lr_scheduler.LinearLR``: the factor moves
    linearly from ``start_factor`` at t = 0 to ``end_factor`` at t = N and
    stays there. With f_s < 1 = f_e it is PyTorch's usual linear warm-up.

    Parameters
    ----------
    t : int or array of int
        Step numbers (>= 0).
    lr0 : float
        η₀ >= 0.
    start_factor : float
        f_s in (0, 1]. Default 1/3, as PyTorch.
    end_factor : float
        f_e in [0, 1]. Default 1.
    total_iters : int
        N >= 1. Default 5.

    Returns
    -------
    ndarray of float64, shaped like ``t``.

    References
    ----------
    Goyal et al. (2017), section 2.2.

    Examples
    --------
    >>> np.round(linear_schedule(np.arange(7), 0.3), 4)
    array([0.1 , 0.14, 0.18, 0.22, 0.26, 0.3 , 0.3 ])
    """
    func = "linear_schedule"
    steps = _as_steps(t, func)
    lr0 = check_nonnegative(lr0, func, "lr0")
    start_factor, end_factor, total_iters = _check_linear_args(
        func, start_factor, end_factor, total_iters
    )
    frac = (end_factor - start_factor) * np.minimum(total_iters, steps) / total_iters
    return np.asarray(lr0 * (start_factor + frac), dtype=np.float64)


def triangular_schedule(
    t: ArrayLike,
    base_lr: float,
    max_lr: float,
    step_size: int,
    step_size_down: int | None = None,
    mode: str = "triangular",
    gamma: float = 1.0,
) -> np.ndarray:
    r"""Cyclical learning rate (Smith 2017), as ``torch.optim.lr_scheduler.CyclicLR``.

    With the symmetric triangle (``step_size_down`` None) this is Smith's
    formula

    .. math::

        c = \lfloor 1 + t/(2s) \rfloor,\quad x = |t/s - 2c + 1|,\quad
        \eta_t = \eta_{base} + (\eta_{max} - \eta_{base})\max(0, 1 - x),

    a triangle from base_lr (t = 0) up to max_lr (t = s) and back (t = 2s),
    period 2s. It is computed in PyTorch's general form, which allows
    s_up ≠ s_down: with L = s_up + s_down, c = ⌊1 + t/L⌋, x = 1 + t/L − c
    and r = s_up/L, the scale is x/r while x ≤ r and (x − 1)/(r − 1) after.
    ``mode="triangular2"`` halves the amplitude every cycle (factor
    1/2^(c−1)); ``mode="exp_range"`` multiplies it by γ^t.

    Parameters
    ----------
    t : int or array of int
        Step (batch) numbers (>= 0).
    base_lr, max_lr : float
        Lower and upper boundaries, 0 <= base_lr <= max_lr.
    step_size : int
        s (s_up) >= 1, the steps of the rising half.
    step_size_down : int or None
        s_down >= 1, the steps of the falling half; None means s_up.
    mode : {"triangular", "triangular2", "exp_range"}
    gamma : float
        γ > 0, used by "exp_range". Default 1.

    Returns
    -------
    ndarray of float64, shaped like ``t``.

    References
    ----------
    Smith (2017), section 3.1.

    Examples
    --------
    >>> triangular_schedule(np.arange(9), 0.1, 1.0, step_size=2)
    array([0.1 , 0.55, 1.  , 0.55, 0.1 , 0.55, 1.  , 0.55, 0.1 ])
    """
    func = "triangular_schedule"
    steps = _as_steps(t, func)
    base_lr, max_lr, up, down, gamma = _check_cyclic_args(
        func, base_lr, max_lr, step_size, step_size_down, mode, gamma
    )
    scale, cycle = _cyclic_scale(steps, up, down)
    height = (max_lr - base_lr) * scale
    return np.asarray(
        base_lr + height * _cyclic_amplitude(mode, gamma, steps, cycle), dtype=np.float64
    )
