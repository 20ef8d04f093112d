"""Losses as modules, as ``torch.nn.MSELoss``, ``CrossEntropyLoss``, ... (home: :mod:`nnbook.nn`).

Each stores its options and calls its function of :mod:`nnbook.nn.functional`,
where the formulas, references and edge cases are documented.
"""

from __future__ import annotations

from typing import Any

from nnbook._tensor import Tensor
from nnbook.nn import functional as F
from nnbook.nn._module import Module

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HingeEmbeddingLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
]


class _Loss(Module):
    """A loss module: options stored at construction, ``forward(input, target)``."""

    _fn: Any = None

    def _options(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_") and k != "training"}

    def forward(self, input: Any, target: Any) -> Tensor:
        """The loss of ``input`` against ``target`` with the stored options."""
        return type(self)._fn(input, target, **self._options())

    def extra_repr(self) -> str:
        return ", ".join(
            f"{k}={v!r}" for k, v in self._options().items() if not hasattr(v, "shape")
        )


class MSELoss(_Loss):
    """Mean squared error, as ``torch.nn.MSELoss``; see :func:`~nnbook.nn.functional.mse_loss`.

    >>> MSELoss()(Tensor([1.0, 3.0]), Tensor([0.0, 0.0]))
    Tensor(5.)
    """

    _fn = staticmethod(F.mse_loss)

    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction


class L1Loss(_Loss):
    """Mean absolute error, as ``torch.nn.L1Loss``; see :func:`~nnbook.nn.functional.l1_loss`."""

    _fn = staticmethod(F.l1_loss)

    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction


class HuberLoss(_Loss):
    """Huber's loss, as ``torch.nn.HuberLoss``; see :func:`~nnbook.nn.functional.huber_loss`."""

    _fn = staticmethod(F.huber_loss)

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        self.reduction, self.delta = reduction, delta


class SmoothL1Loss(_Loss):
    """Smooth L1 (Huber / β), as ``torch.nn.SmoothL1Loss``; see
    :func:`~nnbook.nn.functional.smooth_l1_loss`."""

    _fn = staticmethod(F.smooth_l1_loss)

    def __init__(self, reduction: str = "mean", beta: float = 1.0) -> None:
        self.reduction, self.beta = reduction, beta


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities, as ``torch.nn.BCELoss``; see
    :func:`~nnbook.nn.functional.binary_cross_entropy`."""

    _fn = staticmethod(F.binary_cross_entropy)

    def __init__(self, weight: Any = None, reduction: str = "mean") -> None:
        self.weight, self.reduction = weight, reduction


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy on logits, as ``torch.nn.BCEWithLogitsLoss``; see
    :func:`~nnbook.nn.functional.binary_cross_entropy_with_logits`.

    >>> round(BCEWithLogitsLoss()(Tensor([0.0]), Tensor([1.0])).item(), 4)
    0.6931
    """

    _fn = staticmethod(F.binary_cross_entropy_with_logits)

    def __init__(self, weight: Any = None, reduction: str = "mean", pos_weight: Any = None) -> None:
        self.weight, self.reduction, self.pos_weight = weight, reduction, pos_weight


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities, as ``torch.nn.NLLLoss``; see
    :func:`~nnbook.nn.functional.nll_loss`."""

    _fn = staticmethod(F.nll_loss)

    def __init__(
        self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean"
    ) -> None:
        self.weight, self.ignore_index, self.reduction = weight, ignore_index, reduction


class CrossEntropyLoss(_Loss):
    """Cross-entropy of logits, as ``torch.nn.CrossEntropyLoss``; see
    :func:`~nnbook.nn.functional.cross_entropy`.

    >>> import numpy as np
    >>> round(CrossEntropyLoss()(Tensor([[0.0, 0.0]]), np.array([1])).item(), 4)
    0.6931
    """

    _fn = staticmethod(F.cross_entropy)

    def __init__(
        self,
        weight: Any = None,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        self.weight, self.ignore_index = weight, ignore_index
        self.reduction, self.label_smoothing = reduction, label_smoothing


class HingeEmbeddingLoss(_Loss):
    """Hinge embedding loss, as ``torch.nn.HingeEmbeddingLoss``; see
    :func:`~nnbook.nn.functional.hinge_embedding_loss`."""

    _fn = staticmethod(F.hinge_embedding_loss)

    def __init__(self, margin: float = 1.0, reduction: str = "mean") -> None:
        self.margin, self.reduction = margin, reduction


class KLDivLoss(_Loss):
    """Kullback–Leibler divergence, as ``torch.nn.KLDivLoss``; see
    :func:`~nnbook.nn.functional.kl_div`."""

    _fn = staticmethod(F.kl_div)

    def __init__(self, reduction: str = "mean", log_target: bool = False) -> None:
        self.reduction, self.log_target = reduction, log_target
