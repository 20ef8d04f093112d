"""The learning-rate range test ("LR finder") as fastai's ``lr_find`` runs it, chapter 2.

Smith (2017, section 3.3) introduced the test: raise the rate linearly over a
few epochs and watch the accuracy. The variant here, an exponential increase
per minibatch that stops once the smoothed loss diverges, is fastai's.

References
----------
Smith, L. N. (2017). Cyclical learning rates for training neural networks.
Howard, J. & Gugger, S. (2020). Fastai: a layered API for deep learning.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnbook._tensor import Tensor
from nnbook._util import check_int, check_positive, check_real

__all__ = ["RangeTestResult", "lr_range_test"]

_MAX_RANGE_TEST_STEPS = 100_000


# --------------------------------------------------------------------------- range test
@dataclass(frozen=True)
class RangeTestResult:
    """The outcome of :func:`lr_range_test`.

    As the result of fastai's ``lr_find``.

    Attributes
    ----------
    lrs : ndarray
        The rates tried, in order (shorter than ``num_steps`` if stopped early).
    losses : ndarray
        The loss ``step_fn`` returned at each rate.
    smoothed_losses : ndarray
        Their bias-corrected exponential moving average (equal to ``losses``
        when ``smooth=0``); NaN/inf where the loss was not finite.
    best_lr : float
        The rate at the lowest smoothed loss.
    stopped_early : bool
        True if the loss diverged before ``lr_max`` was reached.

    Examples
    --------
    >>> r = RangeTestResult(np.array([0.1, 1.0]), np.array([2.0, 1.0]),
    ...                     np.array([2.0, 1.0]), best_lr=1.0, stopped_early=False)
    >>> r.suggested_lr
    0.1
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed_losses: np.ndarray
    best_lr: float
    stopped_early: bool

    @property
    def suggested_lr(self) -> float:
        """``best_lr / 10``: the loss minimum sits near the edge of divergence, so
        fastai's ``lr_find`` rule of thumb backs off by a factor of 10."""
        return self.best_lr / 10


def lr_range_test(
    step_fn: Callable[[float], float],
    params: Iterable[Any] | Tensor | None = None,
    *,
    lr_min: float = 1e-7,
    lr_max: float = 10.0,
    num_steps: int = 100,
    smooth: float = 0.98,
    divergence_factor: float = 4.0,
) -> RangeTestResult:
    r"""The learning-rate range test ("LR finder") as fastai's ``lr_find`` does it.

    Train for at most ``num_steps`` minibatches while the rate grows
    exponentially from ``lr_min`` to ``lr_max``,

    .. math::  \eta_i = \eta_{min}\,(\eta_{max}/\eta_{min})^{i/(n-1)}, \quad i = 0, \dots, n-1,

    record the loss at each step and stop as soon as the (smoothed) loss
    exceeds ``divergence_factor`` times the best so far, or is not finite.
    Plot ``losses`` against ``lrs`` on a log axis: a good rate lies where the
    loss still falls steeply, about ten times below the minimum
    (:attr:`RangeTestResult.suggested_lr`).

    The smoothing is fastai's bias-corrected moving average
    a_i = β a_{i−1} + (1 − β) L_i, S_i = a_i/(1 − β^{i+1}); β = 0 uses the raw
    losses. The test assumes losses >= 0 (the divergence rule compares with
    a multiple of the best loss).

    The function knows nothing of models: ``step_fn(lr)`` must compute the
    loss on the next minibatch, take one optimizer step at rate ``lr`` and
    return that loss (the loss before the step, as fastai records it).

    Parameters
    ----------
    step_fn : callable
        ``step_fn(lr) -> float``.
    params : iterable of Tensor, or a Tensor, optional
        If given, each parameter's ``.data`` is saved before the sweep and
        copied back in place afterwards (also when ``step_fn`` raises), so the
        model leaves the test unchanged. Optimizer state (momentum) is not
        restored: build a fresh optimizer for the real training.
    lr_min, lr_max : float
        0 < lr_min < lr_max. Defaults 1e-7 and 10 (fastai's).
    num_steps : int
        n, 2 <= n <= 100000. Default 100.
    smooth : float
        β in [0, 1). Default 0.98 (fastai's).
    divergence_factor : float
        > 1. Default 4.

    Returns
    -------
    RangeTestResult

    Raises
    ------
    ValueError
        Bad arguments, or a non-finite loss at the very first rate (lr_min
        is already too large, and no best rate exists).
    TypeError
        ``step_fn`` not callable or returning something that is not a number.

    References
    ----------
    Smith (2017), section 3.3, for the test (a linear increase, read on the
    accuracy); Howard & Gugger (2020), fastai, for this exponential variant
    and its stopping rule.

    Examples
    --------
    >>> x = np.array([1.0])
    >>> def step_fn(lr):  # f = ½x², gradient x
    ...     loss = 0.5 * float(x[0] ** 2)
    ...     x[0] -= lr * x[0]
    ...     return loss
    >>> res = lr_range_test(step_fn, lr_min=1e-3, lr_max=10.0, num_steps=50, smooth=0.0)
    >>> res.stopped_early, 1.0 < res.best_lr < 2.5
    (True, True)
    """
    func = "lr_range_test"
    if not callable(step_fn):
        raise TypeError(
            f"{func}: argument 'step_fn' must be callable, got {type(step_fn).__name__}"
        )
    lr_min = check_positive(lr_min, func, "lr_min")
    lr_max = check_positive(lr_max, func, "lr_max")
    if lr_max <= lr_min:
        raise ValueError(
            f"{func}: argument 'lr_max' must exceed lr_min, got lr_min={lr_min}, lr_max={lr_max}"
        )
    num_steps = check_int(num_steps, func, "num_steps", 2)
    if num_steps > _MAX_RANGE_TEST_STEPS:
        raise ValueError(
            f"{func}: argument 'num_steps' must be <= {_MAX_RANGE_TEST_STEPS}, got {num_steps}"
        )
    smooth = check_real(smooth, func, "smooth")
    if not 0 <= smooth < 1:
        raise ValueError(f"{func}: argument 'smooth' must be in [0, 1), got {smooth}")
    divergence_factor = check_real(divergence_factor, func, "divergence_factor")
    if divergence_factor <= 1:
        raise ValueError(
            f"{func}: argument 'divergence_factor' must be > 1, got {divergence_factor}"
        )
    saved = _snapshot(params, func)
    try:
        return _sweep(step_fn, lr_min, lr_max, num_steps, smooth, divergence_factor)
    finally:
        for p, data in saved:
            np.copyto(p.data, data)


def _snapshot(params: Iterable[Any] | Tensor | None, func: str) -> list[tuple[Any, np.ndarray]]:
    if params is None:
        return []
    if isinstance(params, Tensor):
        params = [params]
    saved = []
    for i, p in enumerate(params):
        data = getattr(p, "data", None)
        if not isinstance(data, np.ndarray):
            raise TypeError(
                f"{func}: argument 'params' must hold Tensors (objects with an ndarray .data), "
                f"item {i} is a {type(p).__name__}"
            )
        saved.append((p, data.copy()))
    return saved


def _sweep(
    step_fn: Callable[[float], float],
    lr_min: float,
    lr_max: float,
    num_steps: int,
    smooth: float,
    divergence_factor: float,
) -> RangeTestResult:
    func = "lr_range_test"
    schedule = lr_min * (lr_max / lr_min) ** (np.arange(num_steps) / (num_steps - 1))
    lrs: list[float] = []
    losses: list[float] = []
    smoothed: list[float] = []
    avg, best, best_lr = 0.0, math.inf, math.nan
    stopped = False
    for i, lr in enumerate(schedule.tolist()):
        value = step_fn(lr)
        try:
            loss = float(value)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{func}: step_fn must return the loss as a number, got {type(value).__name__}"
            ) from exc
        lrs.append(lr)
        losses.append(loss)
        if not math.isfinite(loss):
            smoothed.append(loss)
            stopped = True
            break
        avg = smooth * avg + (1 - smooth) * loss
        current = avg / (1 - smooth ** (i + 1))
        smoothed.append(current)
        if current < best:
            best, best_lr = current, lr
        if current > divergence_factor * best:
            stopped = True
            break
    if math.isnan(best_lr):
        raise ValueError(
            f"{func}: the loss was not finite at the first rate lr_min={lr_min}; "
            "lower argument 'lr_min'"
        )
    return RangeTestResult(
        lrs=np.array(lrs),
        losses=np.array(losses),
        smoothed_losses=np.array(smoothed),
        best_lr=best_lr,
        stopped_early=stopped,
    )
