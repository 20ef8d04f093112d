"""Learning-rate schedulers, as ``torch.optim.lr_scheduler`` (chapter 2).

They follow PyTorch's counting: constructing one performs the initial step
(``last_epoch = 0``) and each ``step()`` advances by one, writing the rate
into each ``optimizer.param_groups[i]["lr"]``. The same closed forms, as
plain functions of the step for plotting, are in :mod:`nnbook.book.schedules`.
PyTorch's closed forms are used, which equal its chained (recursive) forms up
to floating-point rounding as long as a single scheduler drives the optimizer.

References
----------
Smith, L. N. (2017). Cyclical learning rates for training neural networks.
Loshchilov, I. & Hutter, F. (2017). SGDR: stochastic gradient descent with warm restarts.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from nnbook._util import check_int, check_nonnegative, check_positive, check_real
from nnbook.optim import Optimizer

__all__ = [
    "CosineAnnealingLR",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "StepLR",
]


# --------------------------------------------------------------------------- closed forms
# Shared with the schedules as functions of the book (nnbook.book.schedules).
def _power(base: float, exponent: np.ndarray) -> np.ndarray:
    """``base ** exponent`` elementwise in float64, each value by Python's float power.

    NumPy's vectorised power can differ in the last bit between a long array
    and a single step (its SIMD loop), so a scheduler, which asks for one step
    at a time, would drift from its function by an ulp; Python's power is the
    same for both, and is what PyTorch's closed forms use.
    """
    values, inverse = np.unique(exponent, return_inverse=True)
    powers = np.array([base ** float(v) for v in values], dtype=np.float64)
    return powers[inverse].reshape(exponent.shape)


def _check_linear_args(
    func: str, start_factor: float, end_factor: float, total_iters: int
) -> tuple[float, float, int]:
    start_factor = check_real(start_factor, func, "start_factor")
    if not 0 < start_factor <= 1:
        raise ValueError(f"{func}: argument 'start_factor' must be in (0, 1], got {start_factor}")
    end_factor = check_real(end_factor, func, "end_factor")
    if not 0 <= end_factor <= 1:
        raise ValueError(f"{func}: argument 'end_factor' must be in [0, 1], got {end_factor}")
    return start_factor, end_factor, check_int(total_iters, func, "total_iters", 1)


_CYCLIC_MODES = ("triangular", "triangular2", "exp_range")


def _cyclic_scale(
    steps: np.ndarray, step_size_up: int, step_size_down: int
) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's CyclicLR position in the cycle: (scale factor in [0, 1], cycle number)."""
    up, down = float(step_size_up), float(step_size_down)
    total = up + down
    ratio = up / total
    cycle = np.floor(1 + steps / total)
    x = 1.0 + steps / total - cycle
    # ratio < 1 because step_size_down >= 1, so neither branch divides by zero.
    scale = np.where(x <= ratio, x / ratio, (x - 1) / (ratio - 1))
    return scale, cycle


def _cyclic_amplitude(
    mode: str, gamma: float, steps: np.ndarray, cycle: np.ndarray
) -> np.ndarray | float:
    if mode == "triangular2":
        return 1 / (2.0 ** (cycle - 1))
    if mode == "exp_range":
        return _power(gamma, steps)
    return 1.0


def _check_cyclic_args(
    func: str,
    base_lr: float,
    max_lr: float,
    step_size: int,
    step_size_down: int | None,
    mode: str,
    gamma: float,
) -> tuple[float, float, int, int, float]:
    base_lr = check_nonnegative(base_lr, func, "base_lr")
    max_lr = check_nonnegative(max_lr, func, "max_lr")
    if max_lr < base_lr:
        raise ValueError(
            f"{func}: argument 'max_lr' must be >= base_lr, got max_lr={max_lr}, base_lr={base_lr}"
        )
    up = check_int(step_size, func, "step_size_up", 1)
    down = up if step_size_down is None else check_int(step_size_down, func, "step_size_down", 1)
    if mode not in _CYCLIC_MODES:
        raise ValueError(f"{func}: argument 'mode' must be one of {_CYCLIC_MODES}, got {mode!r}")
    gamma = check_positive(gamma, func, "gamma")
    return base_lr, max_lr, up, down, gamma


# --------------------------------------------------------------------------- scheduler classes
class LRScheduler:
    """Base class of the learning-rate schedulers, as ``torch.optim.lr_scheduler.LRScheduler``.

    Construction stores each parameter group's rate as its ``"initial_lr"``
    (unless a scheduler already did), sets ``last_epoch = -1`` and performs
    PyTorch's initial step, so afterwards ``last_epoch == 0`` and every
    group's ``"lr"`` is the schedule's value at step 0. Each :meth:`step`
    then increments ``last_epoch`` and writes ``lr_at(last_epoch, base_lr)``
    into ``optimizer.param_groups[i]["lr"]``. Call ``optimizer.step()`` first
    and ``scheduler.step()`` after, once per epoch (or per batch for
    :class:`CyclicLR`), as in PyTorch, which warns otherwise (so does nnbook).

    Subclasses implement :meth:`lr_at`, the closed form. PyTorch computes the
    same values recursively from the optimizer's current rate; the two agree
    up to rounding while only one scheduler changes the rate.

    Attributes
    ----------
    optimizer : Optimizer
    base_lrs : list of float
        Each group's ``"initial_lr"``.
    last_epoch : int
        The number of ``step()`` calls since construction.

    References
    ----------
    Bengio (2012), Practical recommendations for gradient-based training;
    Goodfellow, Bengio & Courville (2016), 8.3.

    Examples
    --------
    >>> from nnbook import Tensor
    >>> from nnbook.optim import SGD
    >>> opt = SGD([Tensor([0.0])], lr=1.0)
    >>> sched = ExponentialLR(opt, gamma=0.5)
    >>> sched.last_epoch, sched.get_last_lr()
    (0, [1.0])
    >>> opt.step(); sched.step()
    >>> sched.last_epoch, sched.get_last_lr(), opt.param_groups[0]["lr"]
    (1, [0.5], 0.5)
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}: argument 'optimizer' must be an nnbook.optim.Optimizer, "
                f"got {type(optimizer).__name__}"
            )
        if last_epoch != -1:
            raise ValueError(
                f"{type(self).__name__}: only last_epoch=-1 (a fresh start) is supported"
            )
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = -1
        self._last_lr: list[float] = []
        self._step_count = 0
        self.step()

    def lr_at(self, t: int, base_lr: float) -> float:
        """The rate this scheduler sets at step ``t`` for a group starting at ``base_lr``."""
        raise NotImplementedError(f"{type(self).__name__}.lr_at is not implemented")

    def step(self) -> None:
        """Advance one step: ``last_epoch += 1``, and each group's ``"lr"`` from :meth:`lr_at`.

        As PyTorch, warns when called (after construction) before any
        ``optimizer.step()``: the first value of the schedule would be skipped.
        """
        self._step_count += 1
        if self._step_count == 2 and self.optimizer._step_count == 0:
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                "In PyTorch 1.1.0 and later, you should call them in the opposite order: "
                "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will "
                "result in PyTorch skipping the first value of the learning rate schedule.",
                UserWarning,
                stacklevel=2,
            )
        self.last_epoch += 1
        lrs = [float(self.lr_at(self.last_epoch, base)) for base in self.base_lrs]
        for group, lr in zip(self.optimizer.param_groups, lrs, strict=True):
            group["lr"] = lr
        self._last_lr = lrs

    def get_last_lr(self) -> list[float]:
        """The rates set by the last step, one per parameter group (PyTorch's form)."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """The scheduler's attributes except the optimizer, as PyTorch."""
        return {k: v for k, v in vars(self).items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore attributes saved by :meth:`state_dict`."""
        vars(self).update(state_dict)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self._last_lr})"


class StepLR(LRScheduler):
    r"""Multiply the rate by γ every ``step_size`` steps, as ``torch.optim.lr_scheduler.StepLR``.

    :math:`\eta_t = \eta_0\,\gamma^{\lfloor t/s \rfloor}`
    (see :func:`~nnbook.book.schedules.step_schedule`).

    Parameters
    ----------
    optimizer : Optimizer
    step_size : int
        s >= 1 (PyTorch does not check; s = 0 fails there at the first step).
    gamma : float
        γ > 0. Default 0.1.

    References
    ----------
    Goodfellow, Bengio & Courville (2016), 8.3.

    Examples
    --------
    >>> from nnbook import Tensor
    >>> from nnbook.optim import SGD
    >>> opt = SGD([Tensor([0.0])], lr=1.0)
    >>> sched = StepLR(opt, step_size=3, gamma=0.5)
    >>> lrs = [sched.get_last_lr()[0]]
    >>> for _ in range(6):
    ...     opt.step()
    ...     sched.step()
    ...     lrs.append(opt.param_groups[0]["lr"])
    >>> lrs
    [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size = check_int(step_size, "StepLR", "step_size", 1)
        self.gamma = check_positive(gamma, "StepLR", "gamma")
        super().__init__(optimizer)

    def lr_at(self, t: int, base_lr: float) -> float:
        """η₀ γ^⌊t/s⌋."""
        return base_lr * self.gamma ** float(t // self.step_size)


class ExponentialLR(LRScheduler):
    r"""Multiply the rate by γ every step, as ``torch.optim.lr_scheduler.ExponentialLR``.

    :math:`\eta_t = \eta_0\,\gamma^t` (see :func:`~nnbook.book.schedules.exponential_schedule`).

    Parameters
    ----------
    optimizer : Optimizer
    gamma : float
        γ > 0.

    References
    ----------
    Goodfellow, Bengio & Courville (2016), 8.3.

    Examples
    --------
    >>> from nnbook import Tensor
    >>> from nnbook.optim import SGD
    >>> opt = SGD([Tensor([0.0])], lr=0.1)
    >>> sched = ExponentialLR(opt, gamma=0.9)
    >>> opt.step(); sched.step(); opt.step(); sched.step()
    >>> round(opt.param_groups[0]["lr"], 6)
    0.081
    """

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = check_positive(gamma, "ExponentialLR", "gamma")
        super().__init__(optimizer)

    def lr_at(self, t: int, base_lr: float) -> float:
        """η₀ γ^t."""
        return base_lr * self.gamma ** float(t)


class CosineAnnealingLR(LRScheduler):
    r"""Cosine annealing, as ``torch.optim.lr_scheduler.CosineAnnealingLR``.

    :math:`\eta_t = \eta_{min} + (\eta_0 - \eta_{min})(1 + \cos(\pi t / T_{max}))/2`
    (see :func:`~nnbook.book.schedules.cosine_schedule`). PyTorch updates the rate recursively,

    .. math::

        \eta_{t} = \eta_{min} + (\eta_{t-1} - \eta_{min})
        \frac{1 + \cos(\pi t / T_{max})}{1 + \cos(\pi (t - 1) / T_{max})},

    with the special case η_t = η_{t−1} + (η₀ − η_min)(1 − cos(π/T_max))/2
    when t − 1 − T_max is a multiple of 2T_max (the denominator would be 0).
    Both telescope to the closed form for every t, so this class matches
    PyTorch's ``get_last_lr()`` to rounding at all steps, including past
    T_max, where the rate rises again to η₀ at 2T_max (period 2T_max). For
    restarts use SGDR's ``CosineAnnealingWarmRestarts`` (not provided).

    Parameters
    ----------
    optimizer : Optimizer
    T_max : int
        T_max >= 1 steps from η₀ down to η_min.
    eta_min : float
        η_min >= 0. Default 0.

    References
    ----------
    Loshchilov & Hutter (2017).

    Examples
    --------
    >>> from nnbook import Tensor
    >>> from nnbook.optim import SGD
    >>> opt = SGD([Tensor([0.0])], lr=1.0)
    >>> sched = CosineAnnealingLR(opt, T_max=4)
    >>> lrs = [opt.param_groups[0]["lr"]]
    >>> for _ in range(4):
    ...     opt.step(); sched.step()
    ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
    >>> lrs
    [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        self.T_max = check_int(T_max, "CosineAnnealingLR", "T_max", 1)
        self.eta_min = check_nonnegative(eta_min, "CosineAnnealingLR", "eta_min")
        super().__init__(optimizer)

    def lr_at(self, t: int, base_lr: float) -> float:
        """η_min + (η₀ − η_min)(1 + cos(πt/T_max))/2 (PyTorch's order of operations)."""
        eta_min = self.eta_min
        return float(
            eta_min + (base_lr - eta_min) * (1 + np.cos(np.pi * np.asarray(t) / self.T_max)) / 2
        )


class LinearLR(LRScheduler):
    r"""Linear change of a multiplicative factor, as ``torch.optim.lr_scheduler.LinearLR``.

    :math:`\eta_t = \eta_0\,(f_s + (f_e - f_s)\min(t, N)/N)` (see
    :func:`~nnbook.book.schedules.linear_schedule`). With the defaults (f_s = 1/3, f_e = 1, N = 5)
    the rate warms up from η₀/3 to η₀ in 5 steps; Goyal et al. (2017) warm
    up linearly over the first epochs of large-batch training. Note that at
    step 0 the rate is already η₀·f_s, not η₀.

    Parameters
    ----------
    optimizer : Optimizer
    start_factor : float
        f_s in (0, 1]. Default 1/3.
    end_factor : float
        f_e in [0, 1]. Default 1.
    total_iters : int
        N >= 1. Default 5.

    References
    ----------
    Goyal et al. (2017), section 2.2.

    Examples
    --------
    >>> from nnbook import Tensor
    >>> from nnbook.optim import SGD
    >>> opt = SGD([Tensor([0.0])], lr=0.3)
    >>> sched = LinearLR(opt)
    >>> lrs = [round(opt.param_groups[0]["lr"], 4)]
    >>> for _ in range(6):
    ...     opt.step(); sched.step()
    ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
    >>> lrs
    [0.1, 0.14, 0.18, 0.22, 0.26, 0.3, 0.3]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
    ) -> None:
        self.start_factor, self.end_factor, self.total_iters = _check_linear_args(
            "LinearLR", start_factor, end_factor, total_iters
        )
        super().__init__(optimizer)

    def lr_at(self, t: int, base_lr: float) -> float:
        """η₀ (f_s + (f_e − f_s) min(t, N)/N)."""
        n, fs, fe = self.total_iters, self.start_factor, self.end_factor
        return float(base_lr * (fs + (fe - fs) * np.minimum(n, np.asarray(t)) / n))


class LambdaLR(LRScheduler):
    r"""The initial rate times a function of the step, as ``torch.optim.lr_scheduler.LambdaLR``.

    :math:`\eta_t = \eta_0\,\lambda(t)`. Any plain schedule becomes a
    scheduler this way, e.g. ``lambda t: 1 / (1 + k * t)`` (inverse time) or
    ``lambda t: warmup_cosine_schedule(t, 1.0, warmup, T)``.

    Parameters
    ----------
    optimizer : Optimizer
    lr_lambda : callable
        λ(t) -> float, a multiplicative factor.

    References
    ----------
    Bengio (2012), Practical recommendations for gradient-based training.

    Examples
    --------
    >>> from nnbook import Tensor
    >>> from nnbook.optim import SGD
    >>> opt = SGD([Tensor([0.0])], lr=2.0)
    >>> sched = LambdaLR(opt, lambda t: 1 / (1 + t))
    >>> opt.step(); sched.step(); opt.step(); sched.step()
    >>> round(opt.param_groups[0]["lr"], 4)
    0.6667
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float]) -> None:
        if not callable(lr_lambda):
            raise TypeError(
                f"LambdaLR: argument 'lr_lambda' must be callable, got {type(lr_lambda).__name__}"
            )
        self.lr_lambda = lr_lambda
        super().__init__(optimizer)

    def lr_at(self, t: int, base_lr: float) -> float:
        """η₀ λ(t)."""
        return base_lr * float(self.lr_lambda(t))


class CyclicLR(LRScheduler):
    r"""Cyclical learning rate, as ``torch.optim.lr_scheduler.CyclicLR`` (Smith 2017).

    The rate follows :func:`~nnbook.book.schedules.triangular_schedule`: a triangle between
    ``base_lr`` and ``max_lr`` with ``step_size_up`` rising and
    ``step_size_down`` falling steps. It is meant to be stepped after every
    batch. Construction sets every group's ``"lr"`` to ``base_lr``.

    PyTorch's default ``cycle_momentum=True`` is kept: the momentum (SGD's
    ``momentum``, Adam's β₁) is cycled inversely between ``max_momentum`` (at
    base_lr) and ``base_momentum`` (at max_lr),

    .. math::

        \mu_t = \mu_{max} - (\mu_{max} - \mu_{base})\cdot\text{scale}_t\cdot\text{amplitude}_t,

    so an ``SGD(momentum=0)`` gets momentum 0.9 as soon as the scheduler is
    built. Pass ``cycle_momentum=False`` to leave the momentum alone.

    Parameters
    ----------
    optimizer : Optimizer
    base_lr, max_lr : float
        0 <= base_lr <= max_lr.
    step_size_up : int
        >= 1. Default 2000 (PyTorch's).
    step_size_down : int or None
        >= 1; None means ``step_size_up``.
    mode : {"triangular", "triangular2", "exp_range"}
    gamma : float
        > 0, for "exp_range". Default 1.
    cycle_momentum : bool
        Default True, as PyTorch; needs an optimizer with ``momentum`` or ``betas``.
    base_momentum, max_momentum : float
        Defaults 0.8 and 0.9.

    References
    ----------
    Smith (2017).

    Examples
    --------
    >>> from nnbook import Tensor
    >>> from nnbook.optim import SGD
    >>> opt = SGD([Tensor([0.0])], lr=0.5)
    >>> sched = CyclicLR(opt, base_lr=0.1, max_lr=1.0, step_size_up=2, cycle_momentum=False)
    >>> lrs = [opt.param_groups[0]["lr"]]
    >>> for _ in range(4):
    ...     opt.step(); sched.step()
    ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
    >>> lrs
    [0.1, 0.55, 1.0, 0.55, 0.1]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float,
        max_lr: float,
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        cycle_momentum: bool = True,
        base_momentum: float = 0.8,
        max_momentum: float = 0.9,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            # Checked here too because the optimizer is written to before the base class runs.
            raise TypeError(
                "CyclicLR: argument 'optimizer' must be an nnbook.optim.Optimizer, "
                f"got {type(optimizer).__name__}"
            )
        (self.base_lr, self.max_lr, self.step_size_up, self.step_size_down, self.gamma) = (
            _check_cyclic_args(
                "CyclicLR", base_lr, max_lr, step_size_up, step_size_down, mode, gamma
            )
        )
        self.mode = mode
        self.cycle_momentum = bool(cycle_momentum)
        self.base_momentum = check_nonnegative(base_momentum, "CyclicLR", "base_momentum")
        self.max_momentum = check_nonnegative(max_momentum, "CyclicLR", "max_momentum")
        group = optimizer.param_groups[0]
        if self.cycle_momentum and not ("momentum" in group or "betas" in group):
            raise ValueError(
                "CyclicLR: optimizer must support momentum or beta1 with `cycle_momentum` "
                f"option enabled; {type(optimizer).__name__} has neither "
                "(pass cycle_momentum=False)"
            )
        for g in optimizer.param_groups:
            g["lr"] = g["initial_lr"] = self.base_lr
        super().__init__(optimizer)

    def lr_at(self, t: int, base_lr: float) -> float:
        """base_lr + (max_lr − base_lr)·scale_t·amplitude_t."""
        steps = np.asarray(t)
        scale, cycle = _cyclic_scale(steps, self.step_size_up, self.step_size_down)
        height = (self.max_lr - self.base_lr) * scale
        return float(self.base_lr + height * _cyclic_amplitude(self.mode, self.gamma, steps, cycle))

    def momentum_at(self, t: int) -> float:
        """max_momentum − (max_momentum − base_momentum)·scale_t·amplitude_t."""
        steps = np.asarray(t)
        scale, cycle = _cyclic_scale(steps, self.step_size_up, self.step_size_down)
        height = (self.max_momentum - self.base_momentum) * scale
        return float(
            self.max_momentum - height * _cyclic_amplitude(self.mode, self.gamma, steps, cycle)
        )

    def step(self) -> None:
        """Advance one batch; also cycles the momentum when ``cycle_momentum``."""
        super().step()
        if not self.cycle_momentum:
            return
        momentum = self.momentum_at(self.last_epoch)
        for group in self.optimizer.param_groups:
            if "betas" in group:
                group["betas"] = (momentum, group["betas"][1])
            else:
                group["momentum"] = momentum
