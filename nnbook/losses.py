"""Loss functions (chapter 4), with ``torch.nn.functional``'s names, arguments and edge cases.

A loss ℓ(ŷ, y) scores one prediction against its target, smaller being
better and bounded below (not necessarily at 0: a Gaussian negative
log-likelihood can be negative); training minimises its average over the
data. Each function here computes the pointwise loss and then applies
``reduction``: ``"none"`` keeps one loss per element (or per example, for the
classification losses), ``"sum"`` adds them up and ``"mean"`` divides the sum
by their number (for class-index targets: by the total class weight, see
:func:`~nnbook.categorical_losses.nll_loss`). A ``"mean"`` over no elements
is nan, as in PyTorch, computed without a NumPy warning.

Inputs and outputs
------------------
- ``input`` and ``target`` may be :class:`~nnbook.tensor.Tensor` objects or
  array-likes. **The rule:** if any array argument (``input``, ``target``,
  ``weight``, ``pos_weight``) is a Tensor, the result is a Tensor whose graph
  reaches ``input`` and ``target`` (call ``.backward()`` on it); otherwise
  the same code runs on constant tensors and the result is a plain ndarray
  (a 0-d array after a reduction).
- float32 stays float32: array-like targets and weights are cast to the
  dtype of ``input`` (ints become float64). A Tensor target of another
  float dtype follows NumPy's promotion.
- ``weight`` and ``pos_weight`` are constants: no gradient reaches them.
- ``input`` and ``target`` must have the same shape, except for class-index
  targets. PyTorch broadcasts with a warning for the regression losses;
  here a mismatch is a ``ValueError`` naming both shapes.

Where nnbook differs from PyTorch (documented, deliberately)
------------------------------------------------------------
- ``kl_div(reduction="mean")`` gives torch's value without torch's warning
  that "mean" is not the KL divergence (use ``"batchmean"``).
- Non-finite ``delta``, ``beta`` or ``margin`` and ``label_smoothing < 0``
  are refused; PyTorch accepts them.
- Class indices given as an ndarray must have an integer dtype; a Tensor
  always stores floats, so a Tensor of whole numbers is accepted as indices.

References
----------
Huber (1964); Girshick (2015), Fast R-CNN; Shannon (1948); Kullback &
Leibler (1951); Bishop, *Pattern Recognition and Machine Learning* (2006),
§4.3; Goodfellow, Bengio & Courville, *Deep Learning* (2016), §5.5 and §6.2;
Szegedy et al. (2016), "Rethinking the Inception architecture".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnbook._loss_util import (
    _elementwise_weight,
    _finish,
    _pair,
    _reduce,
    _reduction,
    _unit_interval,
)
from nnbook._util import check_nonnegative, check_positive, check_real
from nnbook.categorical_losses import cross_entropy, kl_div, nll_loss
from nnbook.tensor import Tensor
from nnbook.tensor_math import softplus_array

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_embedding_loss",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "smooth_l1_loss",
]

Array = np.ndarray
_LOG_FLOOR = -100.0  # torch clamps each log in binary_cross_entropy here
_BCE_EPS = 1e-12  # torch's EPSILON in binary_cross_entropy's backward


def _squared_error(x: Tensor, y: Tensor, reduction: str) -> Tensor:
    """(x − y)², reduced, as one graph node .

    Backward: ∂/∂x = 2(x − y)·g, divided by N for the mean; ∂/∂y = −∂/∂x.
    """
    d = x.data - y.data
    sq = d * d
    if reduction == "none":
        out, scale = sq, 2.0
    else:
        n = 1 if reduction == "sum" else sq.size
        if n:
            out = np.asarray(sq.sum() / n, dtype=sq.dtype)
        else:  # an empty mean is nan (torch), without a warning
            out = np.full((), np.nan, dtype=sq.dtype)
        scale = 2.0 / max(n, 1)

    def backward(g: Array) -> tuple[Array, Array | None]:
        gx = (scale * g) * d
        return gx, (-gx if y.requires_grad else None)

    return Tensor.from_op(out, (x, y), backward, "mse_loss")


def _robust(d: Tensor, k: float) -> Tensor:
    """½c² + k(|d| − |c|) with c = clip(d, −k, k): Huber's loss with threshold k.

    Equals ½d² for |d| ≤ k and k(|d| − ½k) beyond, and its gradient is
    clip(d, −k, k) everywhere (0 at d = 0), built only from smooth pieces
    and a clip, so backprop needs no special case at the kink.
    """
    c = d.clip(-k, k)
    return 0.5 * (c * c) + k * (d.abs() - c.abs())


# --------------------------------------------------------------------------
# regression losses
# --------------------------------------------------------------------------


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor | Array:
    """Mean squared error, as ``torch.nn.functional.mse_loss``.

    ℓₙ = (xₙ − yₙ)², then reduced; the gradient of the mean is 2(xₙ − yₙ)/N.

    Minimising it gives the conditional mean; it is the negative
    log-likelihood of Gaussian noise up to constants,
    −log p(y | x) = (y − ŷ)²/(2σ²) + const (Goodfellow et al. 2016, §5.5).
    Large residuals count quadratically, so outliers dominate.

    Parameters
    ----------
    input, target : Tensor or array-like
        Predictions and targets of the same shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    Tensor or ndarray
        A Tensor if any argument is a Tensor, else an ndarray (see the module doc).

    References
    ----------
    Goodfellow, Bengio & Courville (2016), *Deep Learning*, §5.5; Bishop (2006), §1.5.5.

    Examples
    --------
    >>> mse_loss([1.0, 2.0], [0.0, 0.0])  # (1² + 2²)/2
    array(2.5)
    """
    func = "mse_loss"
    red = _reduction(reduction, func)
    x, y = _pair(input, target, func)
    return _finish(_squared_error(x, y, red), input, target)


def l1_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor | Array:
    """Mean absolute error, as ``torch.nn.functional.l1_loss``.

    ℓₙ = abs(xₙ − yₙ), then reduced; the gradient is sign(xₙ − yₙ) (0 at 0, as torch).

    Minimising it gives the conditional median: the negative log-likelihood
    of Laplace noise. Every residual pulls with the same force, so outliers
    do not dominate.

    Parameters
    ----------
    input, target : Tensor or array-like
        Predictions and targets of the same shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    Tensor or ndarray

    References
    ----------
    Goodfellow, Bengio & Courville (2016), *Deep Learning*, §5.5.

    Examples
    --------
    >>> l1_loss([1.0, -3.0], [0.0, 0.0])  # (1 + 3)/2
    array(2.)
    """
    func = "l1_loss"
    red = _reduction(reduction, func)
    x, y = _pair(input, target, func)
    return _finish(_reduce((x - y).abs(), red), input, target)


def huber_loss(
    input: Any, target: Any, reduction: str = "mean", delta: float = 1.0
) -> Tensor | Array:
    """Huber's loss, as ``torch.nn.functional.huber_loss``.

    With d = x − y::

        ℓ = ½ d²              if |d| ≤ δ
        ℓ = δ (|d| − ½ δ)     otherwise

    Quadratic near zero, linear in the tails; value and slope are continuous
    at abs(d) = δ, and the gradient is clip(d, −δ, δ): bounded, so a few outliers
    cannot dominate. Huber = δ · SmoothL1 with β = δ.

    Parameters
    ----------
    input, target : Tensor or array-like
        Predictions and targets of the same shape.
    reduction : {"mean", "sum", "none"}
    delta : float
        The threshold δ > 0 (torch refuses δ ≤ 0 too).

    Returns
    -------
    Tensor or ndarray

    References
    ----------
    Huber (1964), "Robust estimation of a location parameter", Ann. Math. Statist. 35.

    Examples
    --------
    >>> huber_loss([0.5, 2.0], [0.0, 0.0], reduction="none").tolist()  # ½·0.25, 1·(2 − ½)
    [0.125, 1.5]
    """
    func = "huber_loss"
    red = _reduction(reduction, func)
    k = check_positive(delta, func, "delta")
    x, y = _pair(input, target, func)
    return _finish(_reduce(_robust(x - y, k), red), input, target)


def smooth_l1_loss(
    input: Any, target: Any, reduction: str = "mean", beta: float = 1.0
) -> Tensor | Array:
    """Smooth L1 loss, as ``torch.nn.functional.smooth_l1_loss``.

    With d = x − y::

        ℓ = ½ d² / β          if |d| < β
        ℓ = |d| − ½ β         otherwise

    This is Huber's loss divided by β (with δ = β): its gradient is
    clip(d/β, −1, 1), never larger than 1 in size. ``beta=0`` gives the L1
    loss, as in torch.

    Parameters
    ----------
    input, target : Tensor or array-like
        Predictions and targets of the same shape.
    reduction : {"mean", "sum", "none"}
    beta : float
        The threshold β ≥ 0.

    Returns
    -------
    Tensor or ndarray

    References
    ----------
    Girshick (2015), "Fast R-CNN", ICCV, eq. 3; Huber (1964).

    Examples
    --------
    >>> smooth_l1_loss([0.25, 2.0], [0.0, 0.0], reduction="none", beta=0.5).tolist()
    [0.0625, 1.75]

    (½·0.0625/0.5 and 2 − 0.25.)
    """
    func = "smooth_l1_loss"
    red = _reduction(reduction, func)
    b = check_nonnegative(beta, func, "beta")
    x, y = _pair(input, target, func)
    d = x - y
    pointwise = d.abs() if b == 0 else _robust(d, b) * (1.0 / b)
    return _finish(_reduce(pointwise, red), input, target)


def _bce_node(p: Tensor, y: Tensor, w: Array | None) -> Tensor:
    """Pointwise −w[y log p + (1 − y) log(1 − p)], each log clamped at −100.

    The backward is torch's: ∂/∂p = w(p − y)/max(p(1 − p), 1e-12) (finite at
    p ∈ {0, 1}) and ∂/∂y = w(log(1 − p) − log p) = −w·logit(p) (unclamped, so
    ±inf at p ∈ {0, 1}).
    """
    pd, yd = p.data, y.data
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(pd), _LOG_FLOOR)
        log_q = np.maximum(np.log1p(-pd), _LOG_FLOOR)
    out = (yd - 1) * log_q - yd * log_p + 0.0  # + 0.0 turns torch's −0 (p = y = 1) into 0
    if w is not None:
        out = out * w

    def backward(g: Array) -> tuple[Array, Array | None]:
        gw = g if w is None else g * w
        gp = gw * (pd - yd) / np.maximum((1 - pd) * pd, _BCE_EPS)
        gy = None
        if y.requires_grad:
            with np.errstate(divide="ignore", invalid="ignore"):
                gy = gw * (np.log1p(-pd) - np.log(pd))
        return gp, gy

    return Tensor.from_op(out, (p, y), backward, "binary_cross_entropy")


def _bce_logits_node(x: Tensor, y: Tensor, w: Array | None, pw: Array | None) -> Tensor:
    """Pointwise (1 − y)x + (1 + (pw − 1)y)·softplus(−x), times w.

    softplus(−x) = −log σ(x) is evaluated as log(1 + e^{−|x|}) + max(−x, 0),
    which never overflows. The backward is torch's:
    ∂/∂x = w[(pw·y + 1 − y)σ(x) − pw·y] and ∂/∂y = w[log σ(−x) − pw·log σ(x)]
    (= −w·x without pos_weight).
    """
    xd, yd = x.data, y.data
    sp_neg = softplus_array(-xd)
    scale = 1.0 if pw is None else 1 + (pw - 1) * yd
    out = (1 - yd) * xd + scale * sp_neg
    if w is not None:
        out = out * w

    def backward(g: Array) -> tuple[Array, Array | None]:
        gw = g if w is None else g * w
        sig = np.exp(-sp_neg)  # σ(x) = e^{log σ(x)}, no overflow
        if pw is None:
            gx = gw * (sig - yd)
        else:
            t = pw * yd
            gx = gw * ((t + 1 - yd) * sig - t)
        gy = None
        if y.requires_grad:
            gy = gw * -xd if pw is None else gw * (pw * sp_neg - softplus_array(xd))
        return gx, gy

    return Tensor.from_op(out, (x, y), backward, "binary_cross_entropy_with_logits")


# --------------------------------------------------------------------------
# binary classification
# --------------------------------------------------------------------------


def binary_cross_entropy(
    input: Any, target: Any, weight: Any = None, reduction: str = "mean"
) -> Tensor | Array:
    """Binary cross-entropy on probabilities, as ``torch.nn.functional.binary_cross_entropy``.

    ℓₙ = −wₙ [yₙ log pₙ + (1 − yₙ) log(1 − pₙ)], each log clamped at −100 as
    torch does, so BCE(p=0, y=1) = 100 rather than inf.

    It is the negative log-likelihood of a Bernoulli variable (Bishop 2006,
    §4.3.2). The gradient is torch's, w(p − y)/max(p(1 − p), 10⁻¹²): finite
    even at p = 0 or 1. For a sigmoid output prefer
    :func:`binary_cross_entropy_with_logits`, which is exact for any logit.

    Parameters
    ----------
    input : Tensor or array-like
        Probabilities p in [0, 1].
    target : Tensor or array-like
        Targets y in [0, 1], same shape as ``input``.
    weight : Tensor or array-like, optional
        Rescales each element; must broadcast to the input's shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    Tensor or ndarray

    Raises
    ------
    ValueError
        If any p or y lies outside [0, 1] (or is nan), as torch.

    References
    ----------
    Bishop (2006), *Pattern Recognition and Machine Learning*, §4.3.2;
    Goodfellow et al. (2016), §6.2.2.2; Shannon (1948).

    Examples
    --------
    >>> loss = binary_cross_entropy([0.5, 0.0], [1.0, 1.0], reduction="none")
    >>> loss.round(4).tolist()  # −log ½, then −max(log 0, −100)
    [0.6931, 100.0]
    """
    func = "binary_cross_entropy"
    red = _reduction(reduction, func)
    p, y = _pair(input, target, func)
    _unit_interval(p.data, func, "input")
    _unit_interval(y.data, func, "target")
    w = None if weight is None else _elementwise_weight(weight, p.shape, func, "weight", p.dtype)
    return _finish(_reduce(_bce_node(p, y, w), red), input, target, weight)


def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Tensor | Array:
    """Sigmoid + binary cross-entropy in one stable step, as
    ``torch.nn.functional.binary_cross_entropy_with_logits``.

    For a logit x and p = σ(x)::

        ℓ = −w [pw · y log σ(x) + (1 − y) log(1 − σ(x))]
          = w [(1 − y) x + (1 + (pw − 1) y) (log(1 + e^{−|x|}) + max(−x, 0))]

    The second line is torch's form: no exponential overflows, so the loss
    and its gradient w[(pw·y + 1 − y)σ(x) − pw·y] (σ(x) − y when pw = 1) are
    finite and exact for logits of ±10⁴.

    Parameters
    ----------
    input : Tensor or array-like
        Logits x (any real numbers).
    target : Tensor or array-like
        Targets y, usually in [0, 1], same shape as ``input`` (not checked, as torch).
    weight : Tensor or array-like, optional
        Rescales each element; must broadcast to the input's shape.
    reduction : {"mean", "sum", "none"}
    pos_weight : Tensor or array-like, optional
        Weight pw of the positive term, e.g. one per class of shape (C,);
        must broadcast to the input's shape.

    Returns
    -------
    Tensor or ndarray

    References
    ----------
    Bishop (2006), §4.3.2 (logistic regression, ∂E/∂a = σ(a) − t);
    Goodfellow et al. (2016), §6.2.2.2.

    Examples
    --------
    >>> loss = binary_cross_entropy_with_logits([0.0, 1e4], [1.0, 0.0], reduction="none")
    >>> loss.round(4).tolist()  # log 2, and a logit 10⁴ against y = 0 costs 10⁴
    [0.6931, 10000.0]
    """
    func = "binary_cross_entropy_with_logits"
    red = _reduction(reduction, func)
    x, y = _pair(input, target, func)
    w = None if weight is None else _elementwise_weight(weight, x.shape, func, "weight", x.dtype)
    pw = (
        None
        if pos_weight is None
        else _elementwise_weight(pos_weight, x.shape, func, "pos_weight", x.dtype)
    )
    out = _reduce(_bce_logits_node(x, y, w, pw), red)
    return _finish(out, input, target, weight, pos_weight)


def hinge_embedding_loss(
    input: Any, target: Any, margin: float = 1.0, reduction: str = "mean"
) -> Tensor | Array:
    """Hinge embedding loss, as ``torch.nn.functional.hinge_embedding_loss``.

    For targets y ∈ {1, −1}::

        ℓₙ = xₙ                     if yₙ = 1
        ℓₙ = max(0, margin − xₙ)    if yₙ = −1

    Used with x a distance: similar pairs (y = 1) are pulled together,
    dissimilar ones (y = −1) pushed at least ``margin`` apart. As in torch,
    the two cases are "y ≠ −1" and "y ≠ 1", so any other target value
    (e.g. 0) gets both terms; targets are not checked. The gradient of the
    hinge is −1 for x ≤ margin (torch's clamp includes the corner) and 0 above.

    Parameters
    ----------
    input : Tensor or array-like
        Scores or distances x.
    target : Tensor or array-like
        Labels, 1 or −1, same shape as ``input``.
    margin : float
        A finite real number.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    Tensor or ndarray

    References
    ----------
    Hadsell, Chopra & LeCun (2006), "Dimensionality reduction by learning an
    invariant mapping", CVPR; Goodfellow et al. (2016), §6.2 (losses as
    functions of the margin).

    Examples
    --------
    >>> hinge_embedding_loss([0.25, 0.25], [1, -1], reduction="none").tolist()
    [0.25, 0.75]
    """
    func = "hinge_embedding_loss"
    red = _reduction(reduction, func)
    m = check_real(margin, func, "margin")
    x, y = _pair(input, target, func)
    dissimilar = (y.data != 1).astype(x.dtype)
    similar = (y.data != -1).astype(x.dtype)
    pointwise = (m - x).clip(min=0.0) * dissimilar + x * similar
    return _finish(_reduce(pointwise, red), input, target)
