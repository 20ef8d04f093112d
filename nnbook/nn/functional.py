"""Functions without state, as ``torch.nn.functional``: activations, softmax, linear, losses.

Activations
-----------
Each takes a :class:`~nnbook.Tensor` and returns a Tensor, differentiable
through the engine; given an array-like it returns an ndarray (PyTorch takes
tensors only). The modules of :mod:`nnbook.nn` (:class:`~nnbook.nn.ReLU`, ...)
wrap them.

Losses
------
A loss ℓ(ŷ, y) scores one prediction against its target, smaller being
better and bounded below (not necessarily at 0: a Gaussian negative
log-likelihood can be negative); training minimises its average over the
data. Each loss computes the pointwise loss and then applies ``reduction``:
``"none"`` keeps one loss per element (or per example, for the
classification losses), ``"sum"`` adds them up and ``"mean"`` divides the sum
by their number (for class-index targets: by the total class weight, see
:func:`nll_loss`). A ``"mean"`` over no elements is nan, as in PyTorch,
computed without a NumPy warning.

- ``input`` and ``target`` may be Tensors or array-likes. **The rule:** if
  any array argument (``input``, ``target``, ``weight``, ``pos_weight``) is a
  Tensor, the result is a Tensor whose graph reaches ``input`` and
  ``target``; otherwise the same code runs on constant tensors and the result
  is a plain ndarray (a 0-d array after a reduction).
- float32 stays float32: array-like targets and weights are cast to the
  dtype of ``input`` (ints become float64).
- ``weight`` and ``pos_weight`` are constants: no gradient reaches them.
- ``input`` and ``target`` must have the same shape, except for class-index
  targets. PyTorch broadcasts with a warning for the regression losses;
  here a mismatch is a ``ValueError`` naming both shapes.

Where nnbook differs from PyTorch (documented, deliberately):
``kl_div(reduction="mean")`` gives torch's value without torch's warning that
"mean" is not the KL divergence (use ``"batchmean"``); non-finite ``delta``,
``beta`` or ``margin`` and ``label_smoothing < 0`` are refused, where PyTorch
accepts them.

References
----------
Nair & Hinton (2010); Huber (1964); Girshick (2015), Fast R-CNN; Shannon
(1948); Kullback & Leibler (1951); Bishop, *Pattern Recognition and Machine
Learning* (2006), §4.3; Goodfellow, Bengio & Courville, *Deep Learning*
(2016), chapter 6 and §5.5; Szegedy et al. (2016), "Rethinking the Inception
architecture".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike

from nnbook._tensor import Tensor, _as_tensor, _select, _sigmoid, _softplus
from nnbook._util import (
    as_float_array,
    check_int,
    check_nonnegative,
    check_positive,
    check_real,
    quiet,
)
from nnbook.nn._reduction import (
    _constant,
    _div_const,
    _elementwise_weight,
    _finish,
    _pair,
    _reduce,
    _reduction,
    _tensor,
    _unit_interval,
)

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_embedding_loss",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "leaky_relu",
    "linear",
    "log_softmax",
    "mse_loss",
    "nll_loss",
    "relu",
    "sigmoid",
    "smooth_l1_loss",
    "softmax",
    "softplus",
    "tanh",
]

Array = np.ndarray
Grads = tuple[Array | None, ...]


# --------------------------------------------------------------------------- activations
def _beta(value: Any, func: str) -> float:
    """Softplus's β: finite and non-zero (1/β scales the result)."""
    b = check_real(value, func, "beta")
    if b == 0:
        raise ValueError(f"{func}: argument 'beta' must be non-zero, got {b}")
    return b


@quiet
def _softplus_t(t: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    x = t.data
    u = x * beta
    linear = u > threshold
    out = np.where(linear, x, _softplus(u) / beta).astype(x.dtype, copy=False)
    slope = np.where(linear, 1.0, _sigmoid(u)).astype(x.dtype, copy=False)
    # One node with the exact derivative d/dx (1/β)log(1 + e^{βx}) = σ(βx), and 1
    # above the threshold, as torch's softplus_backward. Composing public ops would
    # lose either log1p's accuracy or the derivative 1/2 at 0 (relu'(0) = 0 there).
    return Tensor.from_op(out, (t,), lambda g: (g * slope,), "softplus")


def _dispatch(x: Any, tensor_fn: Callable[[Tensor], Tensor], func: str) -> Tensor | Array:
    """Tensor in -> Tensor out (differentiable); array-like in -> ndarray out."""
    if isinstance(x, Tensor):
        return tensor_fn(x)
    return tensor_fn(Tensor(as_float_array(x, func, "x"))).data


@overload
def sigmoid(x: Tensor) -> Tensor: ...
@overload
def sigmoid(x: ArrayLike) -> Array: ...
def sigmoid(x: Any) -> Tensor | Array:
    """Logistic sigmoid σ(x) = 1/(1 + e^−x), computed without overflow.

    σ'(x) = σ(x)(1 − σ(x)) <= 1/4, with equality only at 0; tanh x = 2σ(2x) − 1.
    As ``torch.sigmoid``.

    References
    ----------
    Rumelhart, Hinton & Williams (1986); Goodfellow et al. (2016), section 6.3.2.

    Examples
    --------
    >>> sigmoid(np.array([0.0, 2.0, -1000.0])).round(4).tolist()
    [0.5, 0.8808, 0.0]
    """
    return _dispatch(x, Tensor.sigmoid, "sigmoid")


@overload
def tanh(x: Tensor) -> Tensor: ...
@overload
def tanh(x: ArrayLike) -> Array: ...
def tanh(x: Any) -> Tensor | Array:
    """Hyperbolic tangent tanh x = (e^x − e^−x)/(e^x + e^−x).

    tanh'(x) = 1 − tanh² x (1 at 0); tanh x = 2σ(2x) − 1, a sigmoid rescaled to
    (−1, 1) and centred at 0. As ``torch.tanh``.

    References
    ----------
    LeCun, Bottou, Orr & Müller (1998), "Efficient BackProp".

    Examples
    --------
    >>> tanh(np.array([0.0, 1.0])).round(4).tolist()
    [0.0, 0.7616]
    """
    return _dispatch(x, Tensor.tanh, "tanh")


@overload
def relu(x: Tensor) -> Tensor: ...
@overload
def relu(x: ArrayLike) -> Array: ...
def relu(x: Any) -> Tensor | Array:
    """Rectified linear unit relu(x) = max(0, x).

    relu'(x) = 1[x > 0]: the gradient at 0 is 0, as in PyTorch. As
    ``torch.relu``.

    References
    ----------
    Nair & Hinton (2010); Glorot, Bordes & Bengio (2011).

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0])).tolist()
    [0.0, 0.0, 3.0]
    """
    return _dispatch(x, Tensor.relu, "relu")


@overload
def leaky_relu(x: Tensor, negative_slope: float = ...) -> Tensor: ...
@overload
def leaky_relu(x: ArrayLike, negative_slope: float = ...) -> Array: ...
def leaky_relu(x: Any, negative_slope: float = 0.01) -> Tensor | Array:
    """Leaky ReLU: x for x > 0, ``negative_slope``·x otherwise.

    Derivative 1 for x > 0 and ``negative_slope`` for x <= 0 (at 0 too, as in
    PyTorch). As ``torch.nn.functional.leaky_relu``.

    References
    ----------
    Maas, Hannun & Ng (2013), "Rectifier nonlinearities improve neural
    network acoustic models".

    Examples
    --------
    >>> leaky_relu(np.array([-2.0, 3.0]), 0.1).tolist()
    [-0.2, 3.0]
    """
    s = check_real(negative_slope, "leaky_relu", "negative_slope")
    return _dispatch(x, lambda t: t.leaky_relu(s), "leaky_relu")


@overload
def softplus(x: Tensor, beta: float = ..., threshold: float = ...) -> Tensor: ...
@overload
def softplus(x: ArrayLike, beta: float = ..., threshold: float = ...) -> Array: ...
def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor | Array:
    """Softplus (1/β)·log(1 + e^{βx}), a smooth ReLU; linear where βx > threshold.

    As ``torch.nn.functional.softplus``: where β·x > ``threshold`` the result
    is x itself (and the derivative exactly 1). Elsewhere it is computed as
    (max(βx, 0) + log1p(e^{−|βx|}))/β, which neither overflows nor loses the
    small values of very negative x. Derivative σ(βx). ``beta`` must be a
    non-zero finite number.

    References
    ----------
    Dugas, Bengio, Bélisle, Nadeau & Garcia (2001), "Incorporating
    second-order functional knowledge for better option pricing".

    Examples
    --------
    >>> softplus(np.array([-1e4, 0.0, 1e4])).round(4).tolist()
    [0.0, 0.6931, 10000.0]
    """
    b = _beta(beta, "softplus")
    thr = check_real(threshold, "softplus", "threshold")
    return _dispatch(x, lambda t: _softplus_t(t, b, thr), "softplus")


def softmax(input: Any, dim: int | None = None) -> Tensor:
    """softmax(x)_i = e^{x_i − m} / Σ_j e^{x_j − m} along ``dim``, as ``F.softmax`` in torch.

    See :meth:`nnbook.Tensor.softmax`. ``dim`` is required (PyTorch guesses it
    with a warning when it is missing; nnbook refuses to guess).

    >>> softmax(Tensor([[0.0, 0.0]]), dim=1)
    Tensor([[0.5, 0.5]])
    """
    if dim is None:
        raise TypeError("softmax: argument 'dim' is required (the dimension to normalise over)")
    return _as_tensor(input, "softmax").softmax(dim)


def log_softmax(input: Any, dim: int | None = None) -> Tensor:
    """log softmax along ``dim``, stable for logits of any size, as ``F.log_softmax`` in torch.

    See :meth:`nnbook.Tensor.log_softmax`; ``dim`` is required.

    >>> log_softmax(Tensor([1000.0, 1000.0]), dim=0)
    Tensor([-0.6931, -0.6931])
    """
    if dim is None:
        raise TypeError("log_softmax: argument 'dim' is required (the dimension to normalise over)")
    return _as_tensor(input, "log_softmax").log_softmax(dim)


# --------------------------------------------------------------------------- the affine map
@quiet
def linear(x: Tensor | Array, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight.T + bias`` as one graph node, as ``torch.nn.functional.linear``.

    Shapes: x (..., in), weight (out, in), bias (out,) → (..., out). With
    G the output gradient flattened to (n, out) and X the input to (n, in):
    dx = G W, dW = Gᵀ X, db = Σₙ G.

    >>> w = Tensor([[1.0, 2.0]], requires_grad=True)
    >>> linear(Tensor([[3.0, 4.0]]), w, Tensor([0.5])).data
    array([[11.5]])
    """
    x = x if isinstance(x, Tensor) else Tensor(x)
    if weight.ndim != 2 or x.ndim == 0 or x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"linear: argument 'x' must have shape (..., {weight.shape[-1]}) to match "
            f"'weight' of shape {weight.shape} (out_features, in_features), got {x.shape}"
        )
    if bias is not None and bias.shape != (weight.shape[0],):
        raise ValueError(
            f"linear: argument 'bias' must have shape ({weight.shape[0]},), got {bias.shape}"
        )
    return _linear(x, weight, bias)


def _linear(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """The node of :func:`linear`, on arguments already checked (by ``linear`` or ``Linear``)."""
    xd, wd = x.data, weight.data
    out = xd @ wd.T
    if bias is not None:
        out += bias.data

    def backward(g: Array) -> Grads:
        g2, x2 = g, xd  # (n, out) and (n, in): a batch of batches is flattened first
        if g.ndim != 2:
            g2, x2 = g.reshape(-1, g.shape[-1]), xd.reshape(-1, wd.shape[1])
        gx = g @ wd if x.requires_grad else None
        gw = g2.T @ x2 if weight.requires_grad else None
        return (gx, gw) if bias is None else (gx, gw, g2.sum(axis=0))

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor.from_op(out, parents, backward, "linear")


# --------------------------------------------------------------------------- losses
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
    """Huber's loss with threshold k, as one node: ½d² for |d| < k, k(|d| − ½k) beyond.

    Its gradient is clip(d, −k, k): bounded, so a few outliers cannot
    dominate. Written as PyTorch's huber_loss_backward (−k, k or d by
    comparisons), so a NaN difference gives a NaN gradient there too.
    """
    x = d.data
    small = np.abs(x) < k
    out = np.where(small, 0.5 * x * x, k * (np.abs(x) - 0.5 * k)).astype(x.dtype, copy=False)
    slope = np.where(x < -k, -k, np.where(x > k, k, x)).astype(x.dtype, copy=False)
    return Tensor.from_op(out, (d,), lambda g: (g * slope,), "huber")


def _masked(t: Tensor, keep: Array) -> Tensor:
    """``t`` where ``keep``, else 0, by selection (torch.where): inf or NaN outside gives 0."""
    out = np.where(keep, t.data, 0).astype(t.dtype, copy=False)
    return Tensor.from_op(out, (t,), lambda g: (_select(keep, g),), "where")


# --------------------------------------------------------------------------
# regression losses
# --------------------------------------------------------------------------


@quiet
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


@quiet
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


@quiet
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


@quiet
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
    sp_neg = _softplus(-xd)
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
            gy = gw * -xd if pw is None else gw * (pw * sp_neg - _softplus(xd))
        return gx, gy

    return Tensor.from_op(out, (x, y), backward, "binary_cross_entropy_with_logits")


# --------------------------------------------------------------------------
# binary classification
# --------------------------------------------------------------------------


@quiet
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


@quiet
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
    finite and exact for logits of ±10⁴. As in torch, the tiny loss log(1 + eˣ)
    of a confident negative (y = 0, x ≪ 0) is lost where (1 − y)x and
    max(−x, 0) cancel: 0 from x ≈ −14.6 in float32 and −33.3 in float64.

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


@quiet
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
    # torch's form: where(y != 1, max(0, m − x), 0) + where(y != −1, x, 0), by selection
    pointwise = _masked((m - x).clip(min=0.0), y.data != 1) + _masked(x, y.data != -1)
    return _finish(_reduce(pointwise, red), input, target)


# ------------------------------------------------------------------ losses over C categories


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
    """Integer class indices of the expected shape, each in [0, C) or equal to ignore.

    As in PyTorch, indices must have an integer dtype (``nnbook.tensor([0, 2])``
    is int64; ``.long()`` converts a float tensor).
    """
    arr = target.data if isinstance(target, Tensor) else np.asarray(target)
    if arr.dtype.kind not in "iu":
        raise TypeError(
            f"{func}: argument 'target' must hold integer class indices (expected an int "
            f"dtype, as torch's Long), got dtype {arr.dtype}"
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
    return x.permute(*perm).reshape(-1, x.shape[1])


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


@quiet
def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor | Array:
    """Negative log-likelihood of class indices, as ``torch.nn.functional.nll_loss``.

    ``input`` holds log-probabilities lp (from :func:`log_softmax`);
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


@quiet
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
    return _div_const(total, float(lp.numel() // n_classes))


# --------------------------------------------------------------------------
# divergences
# --------------------------------------------------------------------------


@quiet
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
