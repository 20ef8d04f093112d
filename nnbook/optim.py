"""Optimizers, learning-rate schedules and the learning-rate range test.

This module is the engine of the chapter "What is the use of the learning
rate?". It mirrors ``torch.optim`` and ``torch.optim.lr_scheduler``:

* :class:`SGD` and :class:`Adam` update parameters (``nnbook.autograd.Tensor``
  objects) in place from their ``.grad``, with PyTorch's update rules.
* The schedulers (:class:`StepLR`, :class:`ExponentialLR`,
  :class:`CosineAnnealingLR`, :class:`CyclicLR`, :class:`LinearLR`,
  :class:`LambdaLR`) follow PyTorch's counting: constructing one performs the
  initial step (``last_epoch = 0``) and each ``step()`` advances by one.
* Every schedule is also a plain, vectorised function of the step
  (:func:`step_schedule`, :func:`cosine_schedule`, ...) for plotting; each
  scheduler class computes its rate by calling its function.
* :func:`lr_range_test` is the learning-rate finder of Smith (2017).

Simplifications with respect to PyTorch, all deliberate: one parameter group
per optimizer (its rate is ``optimizer.lr``), no ``state_dict``, no
``closure``. Schedulers use PyTorch's closed forms, which equal PyTorch's
chained (recursive) forms up to floating-point rounding as long as a single
scheduler drives the optimizer.

References
----------
Robbins, H. & Monro, S. (1951). A stochastic approximation method.
Polyak, B. T. (1964). Some methods of speeding up the convergence of iteration methods.
Sutskever, I., Martens, J., Dahl, G. & Hinton, G. (2013). On the importance of
initialization and momentum in deep learning.
Kingma, D. P. & Ba, J. (2015). Adam: a method for stochastic optimization.
Smith, L. N. (2017). Cyclical learning rates for training neural networks.
Loshchilov, I. & Hutter, F. (2017). SGDR: stochastic gradient descent with warm restarts.
Goyal, P. et al. (2017). Accurate, large minibatch SGD: training ImageNet in 1 hour.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nnbook._util import check_int, check_nonnegative, check_positive, check_real
from nnbook.autograd import Tensor

__all__ = [
    "SGD",
    "Adam",
    "CosineAnnealingLR",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "Optimizer",
    "RangeTestResult",
    "StepLR",
    "cosine_schedule",
    "exponential_schedule",
    "inverse_time_schedule",
    "linear_schedule",
    "lr_range_test",
    "step_schedule",
    "triangular_schedule",
    "warmup_cosine_schedule",
]

# A range test longer than this is a mistake, not a sweep; the bound keeps it finite.
_MAX_RANGE_TEST_STEPS = 100_000


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


# --------------------------------------------------------------------------- optimizers
def _collect_params(params: Any, func: str) -> list[Tensor]:
    # A Tensor supports indexing, so Python would happily iterate over its rows.
    if isinstance(params, Tensor):
        raise TypeError(
            f"{func}: argument 'params' must be an iterable of Tensors, got a single Tensor "
            f"of shape {params.shape}; wrap it in a list"
        )
    try:
        items = list(params)
    except TypeError as exc:
        raise TypeError(
            f"{func}: argument 'params' must be an iterable of Tensors, got {type(params).__name__}"
        ) from exc
    if not items:
        raise ValueError(f"{func}: optimizer got an empty parameter list (argument 'params')")
    seen: set[int] = set()
    for i, p in enumerate(items):
        if isinstance(p, dict):
            raise TypeError(
                f"{func}: argument 'params' holds a dict at index {i}; parameter groups are "
                "not supported, pass the Tensors themselves"
            )
        if not isinstance(p, Tensor):
            raise TypeError(
                f"{func}: argument 'params' must contain only nnbook.autograd.Tensor objects, "
                f"item {i} is a {type(p).__name__}"
            )
        if p.data.dtype.kind != "f":
            raise TypeError(
                f"{func}: can only optimize floating-point Tensors, "
                f"item {i} has dtype {p.data.dtype}"
            )
        if id(p) in seen:
            # PyTorch only warns here; a silent double update is worse than an error.
            raise ValueError(f"{func}: argument 'params' lists the same Tensor twice (index {i})")
        seen.add(id(p))
    return items


class Optimizer:
    """Base class of the optimizers: one group of parameters, one learning rate.

    A subclass implements :meth:`step`, which reads each parameter's ``.grad``
    and updates its ``.data`` in place, so every object that holds the array
    (a layer, a plot) sees the new values.

    Parameters
    ----------
    params : iterable of Tensor
        The parameters to optimize. An empty iterable is an error, as in PyTorch.
    lr : float
        The learning rate η (>= 0). Schedulers read and write ``optimizer.lr``.

    Attributes
    ----------
    params : list of Tensor
    lr : float
        The current learning rate.
    initial_lr : float or None
        Set by the first scheduler attached to this optimizer to the rate it
        found (PyTorch's ``group.setdefault("initial_lr", group["lr"])``).
    state : list of dict
        Per-parameter state (momentum buffers, moment estimates), aligned with
        ``params``; PyTorch keys the same dicts by parameter.

    Notes
    -----
    As ``torch.optim.Optimizer`` restricted to a single parameter group.

    References
    ----------
    Robbins & Monro (1951); Goodfellow, Bengio & Courville (2016), 8.3.

    Examples
    --------
    >>> opt = SGD([Tensor([1.0, 2.0])], lr=0.1)
    >>> opt.lr, opt.initial_lr
    (0.1, None)
    """

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        name = type(self).__name__
        self.params: list[Tensor] = _collect_params(params, name)
        self.lr: float = check_nonnegative(lr, name, "lr")
        self.initial_lr: float | None = None
        self.state: list[dict[str, Any]] = [{} for _ in self.params]

    def _grad(self, index: int) -> np.ndarray | None:
        """The gradient of parameter ``index`` in the parameter's dtype, or None."""
        p = self.params[index]
        g = p.grad
        if g is None:
            return None
        if type(g) is not np.ndarray:
            g = np.asarray(g)
        if g.shape != p.data.shape:
            raise ValueError(
                f"{type(self).__name__}.step: parameter {index} has shape {p.data.shape} "
                f"but its grad has shape {g.shape}"
            )
        return g if g.dtype == p.data.dtype else g.astype(p.data.dtype)

    def step(self) -> None:
        """Update every parameter that has a gradient (implemented by subclasses)."""
        raise NotImplementedError(f"{type(self).__name__}.step is not implemented")

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients, as ``torch.optim.Optimizer.zero_grad``.

        With ``set_to_none=True`` (PyTorch's default) each ``p.grad`` becomes
        None, so the next ``step`` skips parameters that get no new gradient;
        with False the gradient arrays are filled with zeros in place.

        >>> w = Tensor([1.0], requires_grad=True)
        >>> w.grad = np.array([3.0])
        >>> SGD([w], lr=0.1).zero_grad()
        >>> w.grad is None
        True
        """
        if set_to_none:
            for p in self.params:
                p.grad = None
            return
        for p in self.params:
            if p.grad is not None:
                p.grad[...] = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr}, {len(self.params)} parameter(s))"


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional momentum, as ``torch.optim.SGD``.

    For each parameter θ with gradient g (parameters whose ``grad`` is None
    are skipped), with weight decay λ, momentum μ, dampening τ and rate η:

    .. math::

        g &\leftarrow g + \lambda\theta \\
        b &\leftarrow g \ \text{(first step)}, \quad
        b \leftarrow \mu b + (1 - \tau) g \ \text{(later steps)} \\
        g &\leftarrow g + \mu b \ \text{(Nesterov)}, \quad g \leftarrow b \ \text{(otherwise)} \\
        \theta &\leftarrow \theta - \eta g

    The momentum lines apply only when μ ≠ 0; with μ = 0 this is the plain
    rule θ ← θ − η∇L of Robbins & Monro (1951). The first step copies the
    gradient into the buffer without dampening, as PyTorch does. PyTorch's
    momentum differs from Sutskever et al. (2013), who scale the velocity by η
    (v ← μv + ηg, θ ← θ − v); the two agree while η is constant.

    Parameters
    ----------
    params : iterable of Tensor
    lr : float
        The learning rate η (>= 0). Required.
    momentum : float
        μ >= 0 (Polyak 1964). Default 0.
    dampening : float
        τ, scales the new gradient in the buffer after the first step. Default 0.
    weight_decay : float
        λ >= 0, an L2 penalty ½λ‖θ‖² added to the loss. Default 0.
    nesterov : bool
        Nesterov momentum (Sutskever et al. 2013), in PyTorch's reformulation
        that steps along g + μb at the current parameters; needs μ > 0 and τ = 0.

    Raises
    ------
    ValueError
        lr, momentum or weight_decay negative; nesterov without momentum or
        with dampening; empty params.
    TypeError
        params is not an iterable of floating-point Tensors.

    References
    ----------
    Robbins & Monro (1951); Polyak (1964); Sutskever et al. (2013).

    Examples
    --------
    >>> w = Tensor([1.0, -2.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> w.grad = np.array([0.5, 1.0])
    >>> opt.step()  # b = g, w = w - 0.1 b
    >>> opt.step()  # b = 0.9 g + g = 1.9 g
    >>> w.data
    array([ 0.855, -2.29 ])
    """

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum: float = check_nonnegative(momentum, "SGD", "momentum")
        self.dampening: float = check_real(dampening, "SGD", "dampening")
        self.weight_decay: float = check_nonnegative(weight_decay, "SGD", "weight_decay")
        if not isinstance(nesterov, (bool, np.bool_)):
            raise TypeError(
                f"SGD: argument 'nesterov' must be a bool, got {type(nesterov).__name__}"
            )
        self.nesterov = bool(nesterov)
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(
                "SGD: Nesterov momentum requires a momentum and zero dampening, got "
                f"momentum={self.momentum}, dampening={self.dampening}"
            )

    def step(self) -> None:
        """Apply one update to every parameter whose ``grad`` is not None."""
        lr, decay, mu = self.lr, self.weight_decay, self.momentum
        for i, p in enumerate(self.params):
            g, data = p.grad, p.data
            if g is None:
                continue
            if type(g) is not np.ndarray or g.shape != data.shape or g.dtype != data.dtype:
                g = self._grad(i)  # converted, or an error naming the parameter
                assert g is not None
            if decay != 0:
                g = g + decay * data
            if mu != 0:
                buf = self.state[i].get("momentum_buffer")
                if buf is None:
                    buf = g.copy()
                    self.state[i]["momentum_buffer"] = buf
                else:
                    buf *= mu
                    buf += (1 - self.dampening) * g
                g = g + mu * buf if self.nesterov else buf
            data -= lr * g

    def __repr__(self) -> str:
        return (
            f"SGD(lr={self.lr}, momentum={self.momentum}, dampening={self.dampening}, "
            f"weight_decay={self.weight_decay}, nesterov={self.nesterov})"
        )


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """start ← start + weight·(end − start) in place, arranged as ``torch.lerp``.

    PyTorch switches form at weight 0.5 so that weight 1 returns ``end`` exactly.
    """
    if abs(weight) < 0.5:
        start += weight * (end - start)
    else:
        start[...] = end - (end - start) * (1 - weight)


class Adam(Optimizer):
    r"""Adam, as ``torch.optim.Adam`` (Kingma & Ba 2015).

    For each parameter θ with gradient g (skipped when ``grad`` is None), at
    that parameter's step count t = 1, 2, ...:

    .. math::

        g &\leftarrow g + \lambda\theta \\
        m &\leftarrow \beta_1 m + (1 - \beta_1) g, \qquad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2 \\
        \theta &\leftarrow \theta - \frac{\eta}{1 - \beta_1^t}\,
        \frac{m}{\sqrt{v}/\sqrt{1 - \beta_2^t} + \epsilon}

    which is θ ← θ − η·m̂/(√v̂ + ε) with the bias-corrected m̂ = m/(1 − β₁ᵗ),
    v̂ = v/(1 − β₂ᵗ). The arrangement (step size η/(1 − β₁ᵗ), ε added after
    dividing √v by √(1 − β₂ᵗ)) is PyTorch's. On the first step m̂ = g and
    v̂ = g², so every coordinate moves by about η·sign(g), whatever the
    gradient's size. The weight decay is the L2 form added to the gradient
    (AdamW's decoupled decay is a different optimizer).

    Parameters
    ----------
    params : iterable of Tensor
    lr : float
        η >= 0. Default 1e-3.
    betas : tuple of two floats
        (β₁, β₂), each in [0, 1). Default (0.9, 0.999).
    eps : float
        ε >= 0. Default 1e-8.
    weight_decay : float
        λ >= 0. Default 0.

    Raises
    ------
    ValueError
        lr, eps or weight_decay negative, a beta outside [0, 1), empty params.
    TypeError
        params is not an iterable of floating-point Tensors; betas not a pair.

    References
    ----------
    Kingma & Ba (2015), Algorithm 1.

    Examples
    --------
    >>> w = Tensor([1.0, 1.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> w.grad = np.array([1e-3, 50.0])
    >>> opt.step()  # both move by ~lr despite gradients 5e4 apart
    >>> np.round(w.data, 4)
    array([0.9, 0.9])
    """

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
    ) -> None:
        super().__init__(params, lr)
        self.eps: float = check_nonnegative(eps, "Adam", "eps")
        self.weight_decay: float = check_nonnegative(weight_decay, "Adam", "weight_decay")
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"Adam: argument 'betas' must be a pair (beta1, beta2), got {betas!r}")
        b1 = check_real(betas[0], "Adam", "betas[0]")
        b2 = check_real(betas[1], "Adam", "betas[1]")
        for k, b in enumerate((b1, b2)):
            if not 0.0 <= b < 1.0:
                raise ValueError(f"Adam: argument 'betas[{k}]' must be in [0, 1), got {b}")
        self.betas: tuple[float, float] = (b1, b2)

    def step(self) -> None:
        """Apply one update to every parameter whose ``grad`` is not None."""
        beta1, beta2 = self.betas
        for i, p in enumerate(self.params):
            g = self._grad(i)
            if g is None:
                continue
            state = self.state[i]
            if not state:
                state["step"] = 0
                state["exp_avg"] = np.zeros_like(p.data)
                state["exp_avg_sq"] = np.zeros_like(p.data)
            state["step"] += 1
            t = state["step"]
            m, v = state["exp_avg"], state["exp_avg_sq"]
            if self.weight_decay != 0:
                g = g + self.weight_decay * p.data
            _lerp_(m, g, 1 - beta1)
            v *= beta2
            v += (1 - beta2) * g * g
            bias_correction1 = 1 - beta1**t
            bias_correction2 = 1 - beta2**t
            step_size = self.lr / bias_correction1
            denom = np.sqrt(v) / bias_correction2**0.5 + self.eps
            p.data += (-step_size) * m / denom

    def __repr__(self) -> str:
        return (
            f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps}, "
            f"weight_decay={self.weight_decay})"
        )


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
    return np.asarray(lr0 * gamma ** (steps // step_size), dtype=np.float64)


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
    return np.asarray(lr0 * gamma**steps, dtype=np.float64)


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
        return gamma**steps
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

    :math:`\eta_t = \eta_0\,\gamma^{\lfloor t/s \rfloor}` (see :func:`step_schedule`).

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

    :math:`\eta_t = \eta_0\,\gamma^t` (see :func:`exponential_schedule`).

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
    (see :func:`cosine_schedule`). PyTorch updates the rate recursively,

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
    :func:`linear_schedule`). With the defaults (f_s = 1/3, f_e = 1, N = 5)
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

    The rate follows :func:`triangular_schedule`: a triangle between
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


# --------------------------------------------------------------------------- range test
@dataclass(frozen=True)
class RangeTestResult:
    """The outcome of :func:`lr_range_test`.

    As the result of fastai's ``lr_find`` (Smith 2017).

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
    r"""The learning-rate range test ("LR finder") of Smith (2017), as fastai's ``lr_find``.

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
    Smith (2017), section 3.3; Howard & Gugger (2020), fastai.

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
