"""Losses over C categories (chapter 4): negative log-likelihood, cross-entropy, KL.

The conventions (``reduction``, Tensor or ndarray results, dtypes) are those
of :mod:`nnbook.losses`, which re-exports every function here.

References
----------
Shannon (1948); Kullback & Leibler (1951); Bishop, *Pattern Recognition and
Machine Learning* (2006), §4.3; Goodfellow, Bengio & Courville, *Deep
Learning* (2016), §5.5 and §6.2; Szegedy et al. (2016), "Rethinking the
Inception architecture".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnbook._loss_util import _constant, _div_const, _finish, _pair, _reduce, _reduction, _tensor
from nnbook._util import check_int, check_real
from nnbook.tensor import Tensor

__all__ = ["cross_entropy", "kl_div", "nll_loss"]

Array = np.ndarray


def _xlogx(t: Tensor) -> Tensor:
    """torch.xlogy(t, t): t·log t, with 0·log 0 = 0 (nan for t < 0 or nan).

    The backward is what torch's xlogy gives when both arguments are t:
    xlogy(t ≠ 0, t) + t/t, i.e. log t + 1 for t > 0 and nan at t = 0.
    """
    td = t.data
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(td == 0, 0.0, td * np.log(td)).astype(td.dtype, copy=False)

    def backward(g: Array) -> tuple[Array]:
        with np.errstate(divide="ignore", invalid="ignore"):
            return (g * (np.where(td != 0, np.log(td), 0.0) + td / td),)

    return Tensor.from_op(out, (t,), backward, "xlogy")


# --------------------------------------------------------------------------
# classification helpers
# --------------------------------------------------------------------------


def _class_layout(x: Tensor, func: str) -> tuple[int, tuple[int, ...]]:
    """The number of classes C and the shape a class-index target must have."""
    if x.ndim == 0:
        raise ValueError(
            f"{func}: argument 'input' must have shape (C,), (N, C) or (N, C, d1, ...), got ()"
        )
    n_classes = x.shape[0] if x.ndim == 1 else x.shape[1]
    if n_classes == 0:
        raise ValueError(f"{func}: argument 'input' needs at least one class, got shape {x.shape}")
    target_shape = () if x.ndim == 1 else (x.shape[0], *x.shape[2:])
    return n_classes, target_shape


def _class_indices(
    target: Any, x: Tensor, n_classes: int, shape: tuple[int, ...], ignore: int, func: str
) -> Array:
    """Integer class indices of the expected shape, each in [0, C) or equal to ignore."""
    if isinstance(target, Tensor):
        data = target.data
        if not np.all(np.isfinite(data) & (data == np.round(data))):
            raise TypeError(
                f"{func}: argument 'target' must hold integer class indices, "
                "got a Tensor with non-integer values"
            )
        idx = data.astype(np.int64)
    else:
        arr = np.asarray(target)
        if arr.dtype.kind not in "iu":
            raise TypeError(
                f"{func}: argument 'target' must hold integer class indices, got dtype {arr.dtype}"
            )
        idx = arr.astype(np.int64)
    if idx.shape != shape:
        raise ValueError(
            f"{func}: argument 'target' must have shape {shape} for an input of shape "
            f"{x.shape}, got {idx.shape}"
        )
    bad = (idx != ignore) & ((idx < 0) | (idx >= n_classes))
    if bad.any():
        raise ValueError(
            f"{func}: argument 'target' holds class index {idx[bad][0]}, outside "
            f"[0, {n_classes}) for C = {n_classes} classes (and not ignore_index={ignore})"
        )
    return idx


def _class_weight(weight: Any, n_classes: int, func: str, dtype: Any) -> Array | None:
    if weight is None:
        return None
    w = _constant(weight, func, "weight", dtype)
    if w.shape != (n_classes,):
        raise ValueError(
            f"{func}: argument 'weight' must have shape (C,) = ({n_classes},), got {w.shape}"
        )
    return w


def _rows_by_class(x: Tensor) -> Tensor:
    """(C,) → (1, C); (N, C) as is; (N, C, d1, ...) → (N·d1·…, C), rows in target order."""
    if x.ndim == 1:
        return x.reshape(1, x.shape[0])
    if x.ndim == 2:
        return x
    perm = (0, *range(2, x.ndim), 1)
    return x.transpose(*perm).reshape(-1, x.shape[1])


def _nll_rows(lp: Tensor, idx: Array, weight: Array | None, ignore: int) -> tuple[Tensor, Array]:
    """Row n's loss −w_{yₙ}·lp[n, yₙ] (0 where yₙ = ignore) and its weight w_{yₙ} (0 there).

    The backward puts −w_{yₙ}·g into column yₙ of row n and nothing elsewhere,
    so an ignored row gets a zero gradient whatever its values.
    """
    kept = np.flatnonzero(idx != ignore)
    cols = idx[kept]
    row_weight = np.zeros(idx.shape[0], dtype=lp.dtype)
    row_weight[kept] = 1.0 if weight is None else weight[cols]
    picked = row_weight[kept]
    out = np.zeros(idx.shape[0], dtype=lp.dtype)
    with np.errstate(invalid="ignore"):  # 0·(−inf) is nan, as in torch
        out[kept] = -picked * lp.data[kept, cols]
    shape = lp.shape

    def backward(g: Array) -> tuple[Array]:
        full = np.zeros(shape, dtype=g.dtype)
        with np.errstate(invalid="ignore"):
            full[kept, cols] = -picked * g[kept]
        return (full,)

    return Tensor.from_op(out, (lp,), backward, "nll"), row_weight


def _softmax_nll_mean(logits: Tensor, idx: Array) -> Tensor:
    """mean over n of log Σ_c e^{z_nc} − z_{n,yₙ}, as one node, stable for any logits.

    Backward: (softmax(z) − onehot(y))·g/N, the formula the chapter derives;
    the same value and gradient as the general path through log_softmax.
    """
    z = logits.data
    n = z.shape[0]
    rows = np.arange(n)
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):  # an empty batch gives nan (torch)
        out = np.asarray((np.log(total[:, 0]) - shifted[rows, idx]).sum() / n, dtype=z.dtype)

    def backward(g: Array) -> tuple[Array]:
        grad = e / total
        grad[rows, idx] -= 1
        with np.errstate(invalid="ignore", divide="ignore"):
            grad *= g / n
        return (grad,)

    return Tensor.from_op(out, (logits,), backward, "cross_entropy")


def _reduce_rows(rows: Tensor, row_weight: Array, reduction: str, shape: tuple[int, ...]) -> Tensor:
    """nll_loss's reductions: "mean" divides by Σ w_{yₙ} over the rows not ignored."""
    if reduction == "none":
        return rows.reshape(shape)
    total = rows.sum()
    if reduction == "sum":
        return total
    return _div_const(total, float(row_weight.sum()))


# --------------------------------------------------------------------------
# multi-class classification
# --------------------------------------------------------------------------


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor | Array:
    """Negative log-likelihood of class indices, as ``torch.nn.functional.nll_loss``.

    ``input`` holds log-probabilities lp (from :meth:`~nnbook.tensor_math.TensorMath.log_softmax`);
    for example n with class yₙ and class weights w::

        ℓₙ = −w_{yₙ} · lp[n, yₙ]          (0 when yₙ = ignore_index)
        "sum":  Σₙ ℓₙ
        "mean": Σₙ ℓₙ / Σₙ w_{yₙ}         (both sums over rows not ignored)

    So "mean" is a weighted mean: with weights it is *not* the plain average
    of the ℓₙ. If every row is ignored (or the batch is empty) the mean is
    0/0 = nan, as in torch, computed without a warning; the gradient is then 0.

    Parameters
    ----------
    input : Tensor or array-like
        Log-probabilities of shape (N, C), (C,) or (N, C, d1, ...).
    target : array-like of int, or Tensor of whole numbers
        Class indices of shape (N,), () or (N, d1, ...), each in [0, C) or
        equal to ``ignore_index``.
    weight : Tensor or array-like, optional
        One weight per class, shape (C,).
    ignore_index : int
        A target value that contributes neither loss nor weight.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    Tensor or ndarray

    References
    ----------
    Bishop (2006), §4.3.4 (multiclass logistic regression); Goodfellow et al.
    (2016), §5.5 and §6.2.2.3.

    Examples
    --------
    >>> lp = np.log([[0.5, 0.5], [0.25, 0.75]])
    >>> round(float(nll_loss(lp, [0, 1])), 4)  # (log 2 + log 4/3)/2
    0.4904
    """
    func = "nll_loss"
    red = _reduction(reduction, func)
    ignore = check_int(ignore_index, func, "ignore_index")
    x = _tensor(input, func, "input")
    n_classes, shape = _class_layout(x, func)
    idx = _class_indices(target, x, n_classes, shape, ignore, func)
    w = _class_weight(weight, n_classes, func, x.dtype)
    rows, row_weight = _nll_rows(_rows_by_class(x), idx.reshape(-1), w, ignore)
    return _finish(_reduce_rows(rows, row_weight, red, shape), input, target, weight)


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor | Array:
    """Softmax cross-entropy on logits, as ``torch.nn.functional.cross_entropy``.

    With lp = log_softmax(input) over the class axis (axis 1, or 0 for a (C,)
    input), computed stably as o − m − log Σ e^{o − m}:

    **Class-index targets** (``target`` shaped like ``input`` without the class
    axis): exactly ``nll_loss(lp, target, weight, ignore_index, reduction)``
    when ε = ``label_smoothing`` is 0. With ε > 0, as torch::

        smoothₙ = −Σ_c w_c lp[n, c]            (0 on ignored rows)
        ℓₙ = (1 − ε) · nllₙ + (ε / C) · smoothₙ
        "mean": Σₙ ℓₙ / Σₙ w_{yₙ}             (the nll_loss denominator, for both terms)

    which is the cross-entropy against the target mixed with the uniform
    distribution, (1 − ε)·onehot + ε/C, when there are no weights.

    **Class-probability targets** (``target`` of the same shape as ``input``,
    floating point)::

        ℓₙ = −Σ_c w_c · q[n, c] · lp[n, c],   q = (1 − ε)·target + ε/C
        "mean": Σₙ ℓₙ / N                      (N = input.size / C, weights or not)

    The gradient with respect to the logits is (softmax − q)/N for the
    unweighted mean: the "p − y" of the book.

    Parameters
    ----------
    input : Tensor or array-like
        Logits of shape (N, C), (C,) or (N, C, d1, ...).
    target : array-like or Tensor
        Class indices (integer dtype; a Tensor of whole numbers) of shape
        (N,), () or (N, d1, ...), or probabilities of the input's shape.
        As torch decides, equal shapes mean probabilities.
    weight : Tensor or array-like, optional
        One weight per class, shape (C,).
    ignore_index : int
        For class indices only; must be negative for probability targets (torch).
    reduction : {"mean", "sum", "none"}
    label_smoothing : float
        ε in [0, 1].

    Returns
    -------
    Tensor or ndarray

    References
    ----------
    Shannon (1948); Bishop (2006), §4.3.4; Goodfellow et al. (2016), §6.2.2.3;
    Szegedy et al. (2016), "Rethinking the Inception architecture", §7
    (label smoothing).

    Examples
    --------
    >>> cross_entropy([[0.0, 0.0]], [1])  # two equal logits: −log ½
    array(0.6931)
    """
    func = "cross_entropy"
    red = _reduction(reduction, func)
    ignore = check_int(ignore_index, func, "ignore_index")
    eps = check_real(label_smoothing, func, "label_smoothing")
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"{func}: argument 'label_smoothing' must be in [0, 1], got {eps}")
    x = _tensor(input, func, "input")
    n_classes, shape = _class_layout(x, func)
    w = _class_weight(weight, n_classes, func, x.dtype)
    axis = 0 if x.ndim == 1 else 1
    target_shape = target.shape if isinstance(target, Tensor) else np.shape(target)
    if target_shape == x.shape:
        lp = x.log_softmax(axis=axis)
        out = _soft_cross_entropy(lp, target, w, ignore, red, eps, axis, func)
    else:
        idx = _class_indices(target, x, n_classes, shape, ignore, func)
        if x.ndim == 2 and w is None and eps == 0 and red == "mean" and ignore not in idx:
            # The common case (a batch of logits, plain labels) as one fused node.
            return _finish(_softmax_nll_mean(x, idx), input, target, weight)
        lp = x.log_softmax(axis=axis)
        lp2 = _rows_by_class(lp)
        rows, row_weight = _nll_rows(lp2, idx.reshape(-1), w, ignore)
        if eps > 0:
            kept = (idx.reshape(-1) != ignore).astype(x.dtype)
            class_w = np.ones(n_classes, dtype=x.dtype) if w is None else w
            smooth = -(lp2 * (kept[:, None] * class_w[None, :])).sum(axis=1)
            rows = (1.0 - eps) * rows + (eps / n_classes) * smooth
        out = _reduce_rows(rows, row_weight, red, shape)
    return _finish(out, input, target, weight)


def _soft_cross_entropy(
    lp: Tensor,
    target: Any,
    w: Array | None,
    ignore: int,
    reduction: str,
    eps: float,
    axis: int,
    func: str,
) -> Tensor:
    """cross_entropy against class probabilities (torch's cross_entropy_loss_prob_target)."""
    if ignore >= 0:
        raise ValueError(
            f"{func}: argument 'ignore_index' is not supported with class-probability "
            f"targets and must be negative, got {ignore}"
        )
    if isinstance(target, Tensor):
        q = target
    else:
        arr = np.asarray(target)
        if arr.dtype.kind != "f":
            raise TypeError(
                f"{func}: argument 'target' shaped like 'input' holds class probabilities "
                f"and must be floating point, got dtype {arr.dtype}"
            )
        q = Tensor(arr.astype(lp.dtype, copy=False))
    n_classes = lp.shape[axis]
    if eps > 0:
        q = q * (1.0 - eps) + eps / n_classes
    prod = lp * q
    if w is not None:
        prod = prod * w.reshape((n_classes,) + (1,) * (lp.ndim - 2))
    if reduction == "none":
        return -prod.sum(axis=axis)
    total = -prod.sum()
    if reduction == "sum":
        return total
    return _div_const(total, float(lp.size // n_classes))


# --------------------------------------------------------------------------
# divergences
# --------------------------------------------------------------------------


def kl_div(
    input: Any, target: Any, reduction: str = "mean", log_target: bool = False
) -> Tensor | Array:
    """Kullback–Leibler divergence, as ``torch.nn.functional.kl_div``.

    ``input`` holds log-probabilities log q; ``target`` holds probabilities p
    (or log p when ``log_target``). Pointwise, as torch::

        ℓ = xlogy(p, p) − p · input        (0 · log 0 = 0)
        ℓ = e^{t} (t − input)              (log_target, t = log p)

    so Σ ℓ = KL(p ‖ q) = Σ p log(p/q) = H(p, q) − H(p). ``reduction``:
    "batchmean" gives Σ ℓ / N with N = input.shape[0] (the KL divergence
    per example: use this), "mean" divides by the number of *elements*
    (torch's default, which torch warns about; nnbook gives the same
    value without the warning), "sum" and "none" as usual.

    The gradient with respect to ``input`` is −p. With respect to
    ``target`` it is log p + 1 − input (torch's xlogy gradient, nan at p = 0).

    Parameters
    ----------
    input : Tensor or array-like
        Log-probabilities log q.
    target : Tensor or array-like
        Probabilities p (negative values give nan, as torch), or log p.
    reduction : {"mean", "batchmean", "sum", "none"}
    log_target : bool

    Returns
    -------
    Tensor or ndarray

    References
    ----------
    Kullback & Leibler (1951), "On information and sufficiency", Ann. Math.
    Statist. 22; Shannon (1948); Goodfellow et al. (2016), §3.13.

    Examples
    --------
    >>> log_q = np.log([[0.25, 0.75]])
    >>> float(kl_div(log_q, [[0.5, 0.5]], reduction="batchmean").round(4))
    0.1438

    (½ log(0.5/0.25) + ½ log(0.5/0.75) = ½(0.6931 − 0.4055).)
    """
    func = "kl_div"
    red = _reduction(reduction, func, ("none", "batchmean", "mean", "sum"))
    if not isinstance(log_target, (bool, np.bool_)):
        raise TypeError(f"{func}: argument 'log_target' must be a bool, got {log_target!r}")
    x, t = _pair(input, target, func)
    pointwise = t.exp() * (t - x) if log_target else _xlogx(t) - t * x
    if red == "batchmean":
        total = pointwise.sum()
        out = total if x.ndim == 0 else _div_const(total, float(x.shape[0]))
    else:
        out = _reduce(pointwise, red)
    return _finish(out, input, target)
