"""Optimizers, learning-rate schedules and the learning-rate range test.

This module is the engine of the chapter "What is the use of the learning
rate?". It mirrors ``torch.optim`` and ``torch.optim.lr_scheduler``, and
holds the optimizers; the schedules (:mod:`nnbook.schedules`), the scheduler
classes (:mod:`nnbook.lr_scheduler`) and the range test
(:mod:`nnbook.range_test`) have modules of their own and are re-exported here:

* :class:`SGD` and :class:`Adam` update parameters (:class:`~nnbook.tensor.Tensor`
  objects) in place from their ``.grad``, with PyTorch's update rules.
* The schedulers (:class:`~nnbook.lr_scheduler.StepLR`, ...,
  :class:`~nnbook.lr_scheduler.CyclicLR`) follow PyTorch's counting:
  constructing one performs the initial step (``last_epoch = 0``) and each
  ``step()`` advances by one.
* Every schedule is also a plain, vectorised function of the step
  (:func:`~nnbook.schedules.step_schedule`, ...) for plotting; each scheduler
  class computes its rate by calling its function.
* :func:`~nnbook.range_test.lr_range_test` is the learning-rate range test of Smith (2017)
  in the form of fastai's ``lr_find`` (exponential increase, stop on divergence).

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

from collections.abc import Iterable
from typing import Any

import numpy as np

from nnbook._util import check_nonnegative, check_real
from nnbook.tensor import Tensor

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
        if type(g) is not np.ndarray:  # a number or a 0-d result set by hand
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
            g, data = self._grad(i), p.data
            if g is None:
                continue
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


# The schedulers and the range test use the optimizers above: imported after them.
from nnbook.lr_scheduler import (  # noqa: E402
    CosineAnnealingLR,
    CyclicLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    LRScheduler,
    StepLR,
)
from nnbook.range_test import RangeTestResult, lr_range_test  # noqa: E402
from nnbook.schedules import (  # noqa: E402
    cosine_schedule,
    exponential_schedule,
    inverse_time_schedule,
    linear_schedule,
    step_schedule,
    triangular_schedule,
    warmup_cosine_schedule,
)
