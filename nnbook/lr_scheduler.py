"""Learning-rate schedulers, as ``torch.optim.lr_scheduler`` (chapter 2).

They follow PyTorch's counting: constructing one performs the initial step
(``last_epoch = 0``) and each ``step()`` advances by one, writing the rate of
its schedule function (:mod:`nnbook.schedules`) into ``optimizer.lr``.
PyTorch's closed forms are used, which equal its chained (recursive) forms up
to floating-point rounding as long as a single scheduler drives the optimizer.

References
----------
Smith, L. N. (2017). Cyclical learning rates for training neural networks.
Loshchilov, I. & Hutter, F. (2017). SGDR: stochastic gradient descent with warm restarts.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnbook._util import check_int, check_nonnegative, check_positive
from nnbook.optim import Optimizer
from nnbook.schedules import (
    _check_cyclic_args,
    _check_linear_args,
    _cyclic_amplitude,
    _cyclic_scale,
    cosine_schedule,
    exponential_schedule,
    linear_schedule,
    step_schedule,
    triangular_schedule,
)

__all__ = [
    "CosineAnnealingLR",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "StepLR",
]


# --------------------------------------------------------------------------- scheduler classes
class LRScheduler:
    """Base class of the learning-rate schedulers, as ``torch.optim.lr_scheduler.LRScheduler``.

    Construction stores the optimizer's rate as its ``initial_lr`` (unless a
    scheduler already did), sets ``last_epoch = -1`` and performs PyTorch's
    initial step, so afterwards ``last_epoch == 0`` and ``optimizer.lr`` is
    the schedule's value at step 0. Each :meth:`step` then increments
    ``last_epoch`` and writes ``lr_at(last_epoch)`` into ``optimizer.lr``.
    Call ``optimizer.step()`` first and ``scheduler.step()`` after, once per
    epoch (or per batch for :class:`CyclicLR`), as in PyTorch.

    Subclasses implement :meth:`lr_at`, the closed form. PyTorch computes the
    same values recursively from the optimizer's current rate; the two agree
    up to rounding while only one scheduler changes the rate.

    Attributes
    ----------
    optimizer : Optimizer
    base_lrs : list of float
        ``[optimizer.initial_lr]`` (PyTorch keeps one per parameter group).
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
    >>> sched.last_epoch, sched.get_last_lr(), opt.lr
    (1, [0.5], 0.5)
    """

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}: argument 'optimizer' must be an nnbook.optim.Optimizer, "
                f"got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        if optimizer.initial_lr is None:
            optimizer.initial_lr = optimizer.lr
        self.base_lrs: list[float] = [optimizer.initial_lr]
        self.last_epoch = -1
        self._last_lr: list[float] = []
        self.step()

    def lr_at(self, t: int) -> float:
        """The learning rate this scheduler sets at step ``t`` (no side effects)."""
        raise NotImplementedError(f"{type(self).__name__}.lr_at is not implemented")

    def step(self) -> None:
        """Advance one step: ``last_epoch += 1`` and ``optimizer.lr = lr_at(last_epoch)``."""
        self.last_epoch += 1
        lr = float(self.lr_at(self.last_epoch))
        self.optimizer.lr = lr
        self._last_lr = [lr]

    def get_last_lr(self) -> list[float]:
        """The rate set by the last step, as a one-element list (PyTorch's form)."""
        return list(self._last_lr)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self._last_lr[0]})"


class StepLR(LRScheduler):
    r"""Multiply the rate by γ every ``step_size`` steps, as ``torch.optim.lr_scheduler.StepLR``.

    :math:`\eta_t = \eta_0\,\gamma^{\lfloor t/s \rfloor}`
    (see :func:`~nnbook.schedules.step_schedule`).

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
    ...     lrs.append(opt.lr)
    >>> lrs
    [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size = check_int(step_size, "StepLR", "step_size", 1)
        self.gamma = check_positive(gamma, "StepLR", "gamma")
        super().__init__(optimizer)

    def lr_at(self, t: int) -> float:
        """η₀ γ^⌊t/s⌋."""
        return float(step_schedule(t, self.base_lrs[0], self.step_size, self.gamma))


class ExponentialLR(LRScheduler):
    r"""Multiply the rate by γ every step, as ``torch.optim.lr_scheduler.ExponentialLR``.

    :math:`\eta_t = \eta_0\,\gamma^t` (see :func:`~nnbook.schedules.exponential_schedule`).

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
    >>> sched.step(); sched.step()
    >>> round(opt.lr, 6)
    0.081
    """

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = check_positive(gamma, "ExponentialLR", "gamma")
        super().__init__(optimizer)

    def lr_at(self, t: int) -> float:
        """η₀ γ^t."""
        return float(exponential_schedule(t, self.base_lrs[0], self.gamma))


class CosineAnnealingLR(LRScheduler):
    r"""Cosine annealing, as ``torch.optim.lr_scheduler.CosineAnnealingLR``.

    :math:`\eta_t = \eta_{min} + (\eta_0 - \eta_{min})(1 + \cos(\pi t / T_{max}))/2`
    (see :func:`~nnbook.schedules.cosine_schedule`). PyTorch updates the rate recursively,

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
    >>> lrs = [opt.lr]
    >>> for _ in range(4):
    ...     sched.step()
    ...     lrs.append(round(opt.lr, 4))
    >>> lrs
    [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        self.T_max = check_int(T_max, "CosineAnnealingLR", "T_max", 1)
        self.eta_min = check_nonnegative(eta_min, "CosineAnnealingLR", "eta_min")
        super().__init__(optimizer)

    def lr_at(self, t: int) -> float:
        """η_min + (η₀ − η_min)(1 + cos(πt/T_max))/2."""
        return float(cosine_schedule(t, self.base_lrs[0], self.T_max, self.eta_min))


class LinearLR(LRScheduler):
    r"""Linear change of a multiplicative factor, as ``torch.optim.lr_scheduler.LinearLR``.

    :math:`\eta_t = \eta_0\,(f_s + (f_e - f_s)\min(t, N)/N)` (see
    :func:`~nnbook.schedules.linear_schedule`). With the defaults (f_s = 1/3, f_e = 1, N = 5)
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
    >>> lrs = [round(opt.lr, 4)]
    >>> for _ in range(6):
    ...     sched.step()
    ...     lrs.append(round(opt.lr, 4))
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

    def lr_at(self, t: int) -> float:
        """η₀ (f_s + (f_e − f_s) min(t, N)/N)."""
        return float(
            linear_schedule(
                t, self.base_lrs[0], self.start_factor, self.end_factor, self.total_iters
            )
        )


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
    >>> sched.step(); sched.step()
    >>> round(opt.lr, 4)
    0.6667
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float]) -> None:
        if not callable(lr_lambda):
            raise TypeError(
                f"LambdaLR: argument 'lr_lambda' must be callable, got {type(lr_lambda).__name__}"
            )
        self.lr_lambda = lr_lambda
        super().__init__(optimizer)

    def lr_at(self, t: int) -> float:
        """η₀ λ(t)."""
        return self.base_lrs[0] * float(self.lr_lambda(t))


class CyclicLR(LRScheduler):
    r"""Cyclical learning rate, as ``torch.optim.lr_scheduler.CyclicLR`` (Smith 2017).

    The rate follows :func:`~nnbook.schedules.triangular_schedule`: a triangle between
    ``base_lr`` and ``max_lr`` with ``step_size_up`` rising and
    ``step_size_down`` falling steps. It is meant to be stepped after every
    batch. Construction sets ``optimizer.lr = base_lr``.

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
    >>> lrs = [opt.lr]
    >>> for _ in range(4):
    ...     sched.step()
    ...     lrs.append(round(opt.lr, 4))
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
        if self.cycle_momentum and not (
            hasattr(optimizer, "momentum") or hasattr(optimizer, "betas")
        ):
            raise ValueError(
                "CyclicLR: optimizer must support momentum or beta1 with `cycle_momentum` "
                f"option enabled; {type(optimizer).__name__} has neither "
                "(pass cycle_momentum=False)"
            )
        optimizer.lr = self.base_lr
        super().__init__(optimizer)
        self.base_lrs = [self.base_lr]

    def lr_at(self, t: int) -> float:
        """base_lr + (max_lr − base_lr)·scale_t·amplitude_t."""
        return float(
            triangular_schedule(
                t,
                self.base_lr,
                self.max_lr,
                self.step_size_up,
                self.step_size_down,
                self.mode,
                self.gamma,
            )
        )

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
        if hasattr(self.optimizer, "betas"):
            self.optimizer.betas = (momentum, self.optimizer.betas[1])
        else:
            self.optimizer.momentum = momentum  # type: ignore[attr-defined]
