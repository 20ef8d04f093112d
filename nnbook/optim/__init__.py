"""Optimizers, as ``torch.optim``: :class:`Optimizer`, :class:`SGD`, :class:`Adam`.

They update parameters (:class:`~nnbook.Tensor` objects) in place from their
``.grad``, with PyTorch's update rules and bookkeeping: ``param_groups`` (a
list of dicts, each with its ``"params"`` and its options; a scheduler sets
``optimizer.param_groups[0]["lr"]``), a ``state`` per parameter,
``state_dict()``/``load_state_dict()`` and ``zero_grad()``. The schedulers are
in :mod:`nnbook.optim.lr_scheduler`; the schedules as plain functions and the
learning-rate range test, which PyTorch lacks, are in the book package
(:mod:`nnbook.book.schedules`, :mod:`nnbook.book.range_test`).

Not implemented: ``step(closure)`` and the optimizers PyTorch has beyond
these two.

References
----------
Robbins, H. & Monro, S. (1951). A stochastic approximation method.
Polyak, B. T. (1964). Some methods of speeding up the convergence of iteration methods.
Sutskever, I., Martens, J., Dahl, G. & Hinton, G. (2013). On the importance of
initialization and momentum in deep learning.
Kingma, D. P. & Ba, J. (2015). Adam: a method for stochastic optimization.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import numpy as np

from nnbook._tensor import Tensor
from nnbook._util import check_nonnegative, check_real

__all__ = ["SGD", "Adam", "Optimizer"]


def _check_params(items: list[Any], func: str, seen: set[int]) -> list[Tensor]:
    for i, p in enumerate(items):
        if not isinstance(p, Tensor):
            raise TypeError(
                f"{func}: argument 'params' must contain only nnbook.Tensor objects, "
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


def _param_groups(params: Any, func: str) -> list[dict[str, Any]]:
    """The parameter groups: an iterable of Tensors (one group) or of dicts."""
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
            f"{func}: argument 'params' must be an iterable of Tensors or dicts, "
            f"got {type(params).__name__}"
        ) from exc
    if not items:
        raise ValueError(f"{func}: optimizer got an empty parameter list (argument 'params')")
    groups = items if isinstance(items[0], dict) else [{"params": items}]
    seen: set[int] = set()
    out = []
    for k, group in enumerate(groups):
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(
                f"{func}: parameter group {k} must be a dict with a 'params' entry, got {group!r}"
            )
        ps = group["params"]
        ps = [ps] if isinstance(ps, Tensor) else list(ps)
        out.append({**group, "params": _check_params(ps, func, seen)})
    return out


class Optimizer:
    """Base class of the optimizers, as ``torch.optim.Optimizer``.

    A subclass passes its options as ``defaults``, checks each group in
    ``_check_group`` and implements :meth:`step`, which reads each
    parameter's ``.grad`` and updates its ``.data`` in place, so every object
    that holds the array (a layer, a plot) sees the new values.

    Parameters
    ----------
    params : iterable of Tensor, or of dicts
        The parameters to optimize, or parameter groups: dicts with a
        ``"params"`` entry and options that override ``defaults``. An empty
        iterable is an error, as in PyTorch.
    defaults : dict
        The options of every group that does not set its own.

    Attributes
    ----------
    param_groups : list of dict
        Each group's ``"params"`` and options (``"lr"``, ...). Schedulers
        write ``"lr"`` here (and ``"initial_lr"``, the rate they found).
    state : dict
        Per-parameter state (momentum buffers, moment estimates), keyed by
        the parameter, as PyTorch.

    References
    ----------
    Robbins & Monro (1951); Goodfellow, Bengio & Courville (2016), 8.3.

    Examples
    --------
    >>> opt = SGD([Tensor([1.0, 2.0])], lr=0.1)
    >>> opt.param_groups[0]["lr"], len(opt.param_groups[0]["params"])
    (0.1, 1)
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        name = type(self).__name__
        self.defaults = dict(defaults)
        self.param_groups: list[dict[str, Any]] = []
        for group in _param_groups(params, name):
            full = {**self.defaults, **group}
            self._check_group(full)
            self.param_groups.append(full)
        self.state: dict[Tensor, dict[str, Any]] = {}
        self._step_count = 0

    def _check_group(self, group: dict[str, Any]) -> None:
        """Validate (and normalise) one group's options; subclasses extend it."""
        group["lr"] = check_nonnegative(group["lr"], type(self).__name__, "lr")

    def _grad(self, p: Tensor, index: int) -> np.ndarray | None:
        """The gradient of ``p`` in the parameter's dtype, or None."""
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
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad[...] = 0

    def state_dict(self) -> dict[str, Any]:
        """The state and the groups' options, parameters given by index, as PyTorch.

        >>> opt = SGD([Tensor([1.0])], lr=0.1, momentum=0.9)
        >>> opt.state_dict()["param_groups"][0]["params"], opt.state_dict()["state"]
        ([0], {})
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                ids.append(index[id(p)])
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        state = {index[id(p)]: copy.deepcopy(s) for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore options and state saved by :meth:`state_dict` (copies)."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups) or any(
            len(g["params"]) != len(own["params"])
            for g, own in zip(groups, self.param_groups, strict=True)
        ):
            raise ValueError(
                f"{type(self).__name__}.load_state_dict: the saved groups do not match this "
                "optimizer's parameter groups"
            )
        by_index: dict[int, Tensor] = {}
        for g, own in zip(groups, self.param_groups, strict=True):
            for i, p in zip(g["params"], own["params"], strict=True):
                by_index[i] = p
            own.update({k: copy.deepcopy(v) for k, v in g.items() if k != "params"})
        self.state = {by_index[i]: copy.deepcopy(s) for i, s in state_dict["state"].items()}

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for k, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {k}")
            lines += [f"    {key}: {v}" for key, v in sorted(group.items()) if key != "params"]
        return "\n".join([*lines, ")"])


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
        The learning rate η (>= 0). Default 1e-3, as PyTorch.
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
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        super()._check_group(group)
        group["momentum"] = check_nonnegative(group["momentum"], "SGD", "momentum")
        group["dampening"] = check_real(group["dampening"], "SGD", "dampening")
        group["weight_decay"] = check_nonnegative(group["weight_decay"], "SGD", "weight_decay")
        nesterov = group["nesterov"]
        if not isinstance(nesterov, (bool, np.bool_)):
            raise TypeError(
                f"SGD: argument 'nesterov' must be a bool, got {type(nesterov).__name__}"
            )
        group["nesterov"] = bool(nesterov)
        if nesterov and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                "SGD: Nesterov momentum requires a momentum and zero dampening, got "
                f"momentum={group['momentum']}, dampening={group['dampening']}"
            )

    def step(self) -> None:
        """Apply one update to every parameter whose ``grad`` is not None."""
        self._step_count += 1
        i = 0
        for group in self.param_groups:
            lr, decay, mu = group["lr"], group["weight_decay"], group["momentum"]
            for p in group["params"]:
                g, data = self._grad(p, i), p.data
                i += 1
                if g is None:
                    continue
                if decay != 0:
                    g = g + decay * data
                if mu != 0:
                    state = self.state.setdefault(p, {})
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        # an array even for a 0-d parameter (NumPy gives scalars there),
                        # so that the updates below change it in place
                        buf = np.array(g, copy=True)
                        state["momentum_buffer"] = buf
                    else:
                        buf *= mu
                        buf += (1 - group["dampening"]) * g
                    g = g + mu * buf if group["nesterov"] else buf
                data -= lr * g


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
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
    ) -> None:
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        super()._check_group(group)
        group["eps"] = check_nonnegative(group["eps"], "Adam", "eps")
        group["weight_decay"] = check_nonnegative(group["weight_decay"], "Adam", "weight_decay")
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"Adam: argument 'betas' must be a pair (beta1, beta2), got {betas!r}")
        b1 = check_real(betas[0], "Adam", "betas[0]")
        b2 = check_real(betas[1], "Adam", "betas[1]")
        for k, b in enumerate((b1, b2)):
            if not 0.0 <= b < 1.0:
                raise ValueError(f"Adam: argument 'betas[{k}]' must be in [0, 1), got {b}")
        group["betas"] = (b1, b2)

    def step(self) -> None:
        """Apply one update to every parameter whose ``grad`` is not None."""
        self._step_count += 1
        i = 0
        for group in self.param_groups:
            (beta1, beta2), eps, decay = group["betas"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                g = self._grad(p, i)
                i += 1
                if g is None:
                    continue
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = np.zeros_like(p.data)
                    state["exp_avg_sq"] = np.zeros_like(p.data)
                state["step"] += 1
                t = state["step"]
                m, v = state["exp_avg"], state["exp_avg_sq"]
                if decay != 0:
                    g = g + decay * p.data
                _lerp_(m, g, 1 - beta1)
                v *= beta2
                v += (1 - beta2) * g * g
                bias_correction1 = 1 - beta1**t
                bias_correction2 = 1 - beta2**t
                step_size = group["lr"] / bias_correction1
                denom = np.sqrt(v) / bias_correction2**0.5 + eps
                p.data += (-step_size) * m / denom
