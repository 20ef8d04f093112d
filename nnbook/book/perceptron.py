"""The two historical units: McCulloch & Pitts's threshold unit and Rosenblatt's perceptron.

The McCulloch-Pitts unit (1943) has fixed weights and fires at its
threshold; the perceptron learning rule (1958) finds weights for linearly
separable data, one example at a time, and cycles forever on the rest.

References
----------
McCulloch & Pitts (1943); Rosenblatt (1958); Novikoff (1962); Minsky & Papert
(1969).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nnbook._util import as_float_array, check_int, check_positive, check_real

__all__ = ["McCullochPitts", "PerceptronResult", "mcp_and", "mcp_not", "mcp_or", "perceptron_train"]

Array = np.ndarray


# --------------------------------------------------------------------------- the perceptron


@dataclass(frozen=True, eq=False)
class PerceptronResult:
    """What :func:`perceptron_train` returns.

    Attributes
    ----------
    w : ndarray, shape (d,)
        Final weights.
    b : float
        Final bias.
    mistakes : ndarray of int, shape (epochs,)
        Number of updates (misclassified examples) in each epoch.
    converged : bool
        An epoch passed without a mistake: every example is classified.
    cycling : bool
        The state (w, b) at the end of an epoch repeated an earlier one while
        mistakes were still made: the rule would loop forever (the data are
        not linearly separable, e.g. XOR).
    cycle_start : int or None
        With ``cycling``, the epoch count after which the repeated state was
        first seen (0 = the initial state); ``epochs − cycle_start`` is the
        period.
    w_history : ndarray, shape (epochs + 1, d)
        The weights initially and after each epoch.
    b_history : ndarray, shape (epochs + 1,)
        The bias initially and after each epoch.
    """

    w: Array
    b: float
    mistakes: Array
    converged: bool
    cycling: bool
    cycle_start: int | None
    w_history: Array
    b_history: Array

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.mistakes)

    @property
    def n_updates(self) -> int:
        """Total number of updates (mistakes) over all epochs."""
        return int(self.mistakes.sum())

    def predict(self, X: Any) -> Array:
        """ŷ = 1[X w + b > 0] with the final weights, as 0.0/1.0 floats."""
        x = as_float_array(X, "PerceptronResult.predict", "X")
        return (x @ self.w + self.b > 0).astype(np.float64)


def _perceptron_inputs(
    X: Any, y: Any, lr: Any, max_epochs: Any, w0: Any, b0: Any
) -> tuple[Array, Array, float, int, Array, float]:
    func = "perceptron_train"
    x = as_float_array(X, func, "X")
    if x.ndim != 2 or 0 in x.shape:
        raise ValueError(
            f"{func}: argument 'X' must be a non-empty 2-D array (n, d), got {x.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{func}: argument 'X' must be finite")
    labels = as_float_array(y, func, "y")
    if labels.shape != (x.shape[0],):
        raise ValueError(
            f"{func}: argument 'y' must have shape ({x.shape[0]},) to match X {x.shape}, "
            f"got {labels.shape}"
        )
    if not np.all((labels == 0) | (labels == 1)):
        bad = np.unique(labels[(labels != 0) & (labels != 1)])[:5]
        raise ValueError(
            f"{func}: argument 'y' must hold labels 0 and 1 only (not −1/+1), "
            f"got values such as {bad.tolist()}"
        )
    eta = check_positive(lr, func, "lr")
    epochs = check_int(max_epochs, func, "max_epochs", 1)
    if w0 is None:
        w = np.zeros(x.shape[1], dtype=x.dtype)
    else:
        w = np.array(as_float_array(w0, func, "w0"), dtype=x.dtype, copy=True)
        if w.shape != (x.shape[1],) or not np.all(np.isfinite(w)):
            raise ValueError(
                f"{func}: argument 'w0' must be finite with shape ({x.shape[1]},), got {w.shape}"
            )
    return x, labels.astype(x.dtype), eta, epochs, w, check_real(b0, func, "b0")


def _state_key(w: Array, b: float) -> tuple[bytes, float]:
    # + 0.0 turns −0.0 into 0.0, so equal states have equal bytes.
    return (w + 0.0).tobytes(), b + 0.0


def perceptron_train(
    X: Any,
    y: Any,
    lr: float = 1.0,
    max_epochs: int = 100,
    *,
    w0: Any = None,
    b0: float = 0.0,
) -> PerceptronResult:
    """Rosenblatt's perceptron learning rule, one example at a time.

    For each example in order: predict ŷ = 1[w·x + b > 0], then

        w ← w + η (y − ŷ) x,    b ← b + η (y − ŷ),

    which changes nothing when ŷ = y. Training stops when an epoch makes no
    mistake (``converged``), when the state (w, b) after an epoch equals one
    seen before while mistakes continue (``cycling``: the rule is
    deterministic, so it would repeat forever), or after ``max_epochs``.

    If some unit vector u in (w, b)-space separates the data with margin
    γ = min yᵢ'·u·(xᵢ, 1) > 0 (yᵢ' = 2yᵢ − 1) and R = max ‖(xᵢ, 1)‖, then,
    starting from zero, at most (R/γ)² updates are made, whatever η
    (Novikoff 1962). On data no line separates (XOR) it never converges,
    yet its weights stay bounded (the perceptron cycling theorem: Minsky &
    Papert 1969; Block & Levin 1970). With integer inputs, an integer η and
    integer starting weights every state is an integer vector, so a state
    must recur, and ``cycling`` detects it; otherwise ``max_epochs`` ends
    the run.

    Parameters
    ----------
    X : array-like, shape (n, d)
        Inputs, one example per row (finite).
    y : array-like, shape (n,)
        Labels 0 or 1 (floats 0.0/1.0 and bools accepted; −1/+1 refused).
    lr : float, default 1.0
        The learning rate η > 0.
    max_epochs : int, default 100
        Upper bound on the passes over the data.
    w0 : array-like of shape (d,), optional
        Initial weights (default zeros).
    b0 : float, default 0.0
        Initial bias.

    Returns
    -------
    PerceptronResult

    References
    ----------
    Rosenblatt (1958), "The perceptron: a probabilistic model for information
    storage and organization in the brain"; Novikoff (1962), "On convergence
    proofs on perceptrons"; Minsky & Papert (1969), *Perceptrons*.

    Examples
    --------
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> r = perceptron_train(X, [0, 0, 0, 1])  # AND
    >>> r.converged, r.predict(X).tolist()
    (True, [0.0, 0.0, 0.0, 1.0])
    >>> r = perceptron_train(X, [0, 1, 1, 0])  # XOR
    >>> r.converged, r.cycling, bool(r.mistakes[-1] > 0)
    (False, True, True)
    """
    x, labels, eta, max_ep, w, b = _perceptron_inputs(X, y, lr, max_epochs, w0, b0)
    mistakes: list[int] = []
    w_hist, b_hist = [w.copy()], [b]
    seen = {_state_key(w, b): 0}
    converged = cycling = False
    cycle_start: int | None = None
    for epoch in range(1, max_ep + 1):
        errors = 0
        # One example at a time: each update changes the next prediction, so the
        # loop over examples is the algorithm itself and cannot be vectorised.
        for xi, yi in zip(x, labels, strict=True):
            err = yi - float(xi @ w + b > 0)
            if err != 0:
                w = w + eta * err * xi
                b = b + eta * float(err)
                errors += 1
        mistakes.append(errors)
        w_hist.append(w.copy())
        b_hist.append(b)
        if errors == 0:
            converged = True
            break
        key = _state_key(w, b)
        if key in seen:
            cycling, cycle_start = True, seen[key]
            break
        seen[key] = epoch
    return PerceptronResult(
        w=w,
        b=b,
        mistakes=np.array(mistakes, dtype=np.int64),
        converged=converged,
        cycling=cycling,
        cycle_start=cycle_start,
        w_history=np.array(w_hist),
        b_history=np.array(b_hist, dtype=np.float64),
    )


# --------------------------------------------------------------------------- McCulloch-Pitts


class McCullochPitts:
    """A McCulloch-Pitts threshold unit: y = 1[Σᵢ wᵢxᵢ >= θ] on binary inputs.

    The 1943 model neuron: binary inputs, fixed weights set by hand (nothing
    is learned; learning came with Rosenblatt in 1958), and it fires when the
    weighted sum reaches the threshold θ. Excitatory inputs carry weight +1;
    an inhibitory input is modelled here by weight −1 (McCulloch and Pitts'
    inhibition was an absolute veto; −1 is the common textbook
    simplification, and any real weights are accepted).

    Parameters
    ----------
    weights : array-like, shape (n,)
        Fixed weights, finite (typically ±1).
    threshold : float
        θ; the unit fires at θ itself.

    References
    ----------
    McCulloch & Pitts (1943), "A logical calculus of the ideas immanent in
    nervous activity", Bulletin of Mathematical Biophysics 5, 115-133.

    Examples
    --------
    >>> unit = McCullochPitts([1, 1], threshold=2)  # AND
    >>> unit(np.array([[0, 0], [0, 1], [1, 0], [1, 1]])).tolist()
    [0, 0, 0, 1]
    """

    def __init__(self, weights: Any, threshold: float) -> None:
        func = "McCullochPitts"
        w = np.array(as_float_array(weights, func, "weights"), copy=True)
        if w.ndim != 1 or w.size == 0 or not np.all(np.isfinite(w)):
            raise ValueError(
                f"{func}: argument 'weights' must be a non-empty finite 1-D array, got shape "
                f"{w.shape}"
            )
        self.weights = w
        self.threshold = check_real(threshold, func, "threshold")

    @property
    def n_inputs(self) -> int:
        """The number of inputs n."""
        return int(self.weights.size)

    def __call__(self, x: Any) -> Array:
        """Fire (1) or not (0) for binary x of shape (n,) -> () or (batch, n) -> (batch,)."""
        func = "McCullochPitts"
        xs = as_float_array(x, func, "x")
        if xs.ndim not in (1, 2) or xs.shape[-1] != self.n_inputs:
            raise ValueError(
                f"{func}: argument 'x' must have shape ({self.n_inputs},) or "
                f"(batch, {self.n_inputs}), got {xs.shape}"
            )
        if not np.all((xs == 0) | (xs == 1)):
            raise ValueError(f"{func}: argument 'x' must be binary (0 or 1)")
        return (xs @ self.weights >= self.threshold).astype(np.int64)

    def truth_table(self) -> tuple[Array, Array]:
        """All 2ⁿ binary inputs (rows in counting order) and the unit's outputs.

        Examples
        --------
        >>> inputs, outputs = mcp_or().truth_table()
        >>> inputs.tolist(), outputs.tolist()
        ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1])
        """
        n = self.n_inputs
        bits = (np.arange(2**n)[:, None] >> np.arange(n - 1, -1, -1)) & 1
        return bits, self(bits)

    def __repr__(self) -> str:
        return f"McCullochPitts(weights={self.weights.tolist()}, threshold={self.threshold})"


def mcp_and(n: int = 2) -> McCullochPitts:
    """AND of n inputs: weights 1, threshold n (fires only when all are on).

    Examples
    --------
    >>> mcp_and(3)(np.array([[1, 1, 1], [1, 0, 1]])).tolist()
    [1, 0]
    """
    k = check_int(n, "mcp_and", "n", 1)
    return McCullochPitts(np.ones(k), threshold=k)


def mcp_or(n: int = 2) -> McCullochPitts:
    """OR of n inputs: weights 1, threshold 1 (fires when any is on).

    Examples
    --------
    >>> mcp_or(3)(np.array([[0, 0, 0], [0, 0, 1]])).tolist()
    [0, 1]
    """
    k = check_int(n, "mcp_or", "n", 1)
    return McCullochPitts(np.ones(k), threshold=1)


def mcp_not() -> McCullochPitts:
    """NOT: one inhibitory input (weight −1), threshold 0: fires when the input is off.

    Examples
    --------
    >>> mcp_not()(np.array([[0], [1]])).tolist()
    [1, 0]
    """
    return McCullochPitts([-1.0], threshold=0.0)
