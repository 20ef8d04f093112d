"""Reverse-mode automatic differentiation, as ``torch.autograd``: the chapter-5 tools.

Every operation on a :class:`~nnbook.Tensor` records its inputs and a local
chain-rule step (:meth:`~nnbook.Tensor.from_op`, whose backward protocol the
``nnbook/_tensor.py`` module states once). :func:`backward` turns the
gradient of an output into gradients of the leaves: the walk lists the graph
in :func:`topological_order`, inputs first, and visits it in reverse, so each
tensor is reached after every tensor computed from it has added its share.

As in PyTorch, only leaves keep their gradient in ``.grad`` (accumulated
across calls until zeroed); an interior tensor keeps its own only when
:meth:`~nnbook.Tensor.retain_grad` was called before the walk, and
:func:`retain_grads` does that for a whole graph (to draw it). A walk frees
the graph it went through: a second backward through the same graph raises,
unless the first was given ``retain_graph=True``.

References
----------
Linnainmaa (1970); Werbos (1974); Rumelhart, Hinton & Williams (1986);
Griewank & Walther, *Evaluating Derivatives* (2008); Baydin et al.,
"Automatic differentiation in machine learning: a survey" (2018).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from nnbook._graph import topological_order
from nnbook._tensor import Tensor, no_grad
from nnbook._util import as_float_array

__all__ = [
    "GradcheckError",
    "backward",
    "gradcheck",
    "numerical_grad",
    "retain_grads",
    "topological_order",
]

Array = np.ndarray


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
) -> None:
    """Back-propagate from ``tensors``, as ``torch.autograd.backward``.

    For one tensor this is ``tensors.backward(grad_tensors, retain_graph)``;
    for a sequence, each with its gradient (None for a scalar). The walk
    itself (:func:`topological_order` reversed, each node's backward adding
    its share to its inputs) is what ``Tensor.backward`` runs.

    >>> x = Tensor(3.0, requires_grad=True)
    >>> backward(x * x)
    >>> x.grad
    array(6.)
    """
    if isinstance(tensors, Tensor):
        tensors.backward(grad_tensors, retain_graph)
        return
    items = list(tensors)
    grads = [None] * len(items) if grad_tensors is None else list(grad_tensors)
    if len(grads) != len(items):
        raise RuntimeError(
            f"backward: got {len(items)} tensors and {len(grads)} gradients (grad_tensors)"
        )
    for t, g in zip(items, grads, strict=True):
        t.backward(g, retain_graph)


def retain_grads(root: Tensor) -> list[Tensor]:
    """Call :meth:`~nnbook.Tensor.retain_grad` on every tensor of ``root``'s graph.

    Before ``backward``, so that every node, interior ones included, keeps its
    gradient: what a drawing of the whole graph shows. Returns the tensors,
    inputs first (:func:`topological_order`).

    >>> x = Tensor(2.0, requires_grad=True)
    >>> f = (x + 1) * x
    >>> _ = retain_grads(f)
    >>> f.backward()
    >>> f.parents[0].grad, x.grad
    (array(2.), array(5.))
    """
    order = topological_order(root)
    for t in order:
        t.retain_grad()
    return order


# ------------------------------------------------------------ gradient checks
class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck` when backprop and finite differences disagree."""


def numerical_grad(fn: Callable[[Array], float], x: Any, eps: float = 1e-6) -> Array:
    """Centred-difference gradient of a scalar function of an array.

    ∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / (2h), with error O(h²).

    Parameters
    ----------
    fn : callable
        Maps an ndarray shaped like ``x`` to a number.
    x : array-like
        The point; evaluated in float64.
    eps : float
        The step h > 0.

    >>> numerical_grad(lambda v: float((v ** 2).sum()), [1.0, -3.0]).round(6)
    array([ 2., -6.])
    """
    if not eps > 0:
        raise ValueError(f"numerical_grad: argument 'eps' must be > 0, got {eps}")
    x = np.array(
        as_float_array(x.data if isinstance(x, Tensor) else x, "numerical_grad", "x"),
        dtype=np.float64,
    )
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):  # one pair of evaluations per coordinate is inherent
        old = flat[i]
        flat[i] = old + eps
        plus = float(fn(x))
        flat[i] = old - eps
        minus = float(fn(x))
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * eps)
    return grad


def gradcheck(
    fn: Callable[..., Tensor],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Compare backprop with centred differences, as ``torch.autograd.gradcheck``.

    Every entry of the Jacobian of ``fn(*inputs)`` is checked:
    ``|a − n| ≤ atol + rtol·|n|`` with ``a`` from backprop and ``n`` from
    centred differences in float64.

    Parameters
    ----------
    fn : callable
        Takes tensors, returns a tensor.
    inputs : sequence
        Tensors or arrays; each is copied to a float64 leaf that requires grad.
    eps, atol, rtol : float
        Step and tolerances.

    Returns
    -------
    True, or raises :class:`GradcheckError` naming the input and the worst entry.

    >>> gradcheck(lambda a, b: (a * b).tanh(), [np.array([0.3, -1.2]), np.array([2.0, 0.5])])
    True
    """
    if not eps > 0 or atol < 0 or rtol < 0:
        raise ValueError(
            "gradcheck: need eps > 0, atol >= 0 and rtol >= 0, "
            f"got eps={eps}, atol={atol}, rtol={rtol}"
        )
    if isinstance(inputs, (Tensor, np.ndarray)) or not isinstance(inputs, Sequence):
        raise TypeError("gradcheck: argument 'inputs' must be a list or tuple of tensors/arrays")
    xs = [
        np.array(
            as_float_array(x.data if isinstance(x, Tensor) else x, "gradcheck", f"inputs[{i}]"),
            dtype=np.float64,
        )
        for i, x in enumerate(inputs)
    ]

    def evaluate(arrays: list[Array]) -> Array:
        with no_grad():
            out = fn(*(Tensor(a) for a in arrays))
        if not isinstance(out, Tensor):
            raise TypeError(f"gradcheck: 'fn' must return a Tensor, got {type(out).__name__}")
        # A copy: the output may be a view of the input that is about to be perturbed.
        return np.array(out.data, dtype=np.float64, copy=True)

    out0 = evaluate(xs)
    leaves = [Tensor(x.copy(), requires_grad=True) for x in xs]
    out = fn(*leaves)
    analytic = [np.zeros((out0.size, x.size)) for x in xs]
    for k in range(out0.size):  # one backward per output entry: row k of the Jacobian
        for leaf in leaves:
            leaf.grad = None
        seed = np.zeros(out0.size)
        seed[k] = 1.0
        if out.requires_grad:
            out.backward(seed.reshape(out0.shape), retain_graph=True)
        for leaf, jac in zip(leaves, analytic, strict=True):
            if leaf.grad is not None:
                jac[k] = leaf.grad.reshape(-1)
    for i, x in enumerate(xs):
        numeric = np.zeros((out0.size, x.size))
        flat = x.reshape(-1)
        for j in range(x.size):  # column j of the Jacobian
            old = flat[j]
            flat[j] = old + eps
            plus = evaluate(xs).reshape(-1)
            flat[j] = old - eps
            minus = evaluate(xs).reshape(-1)
            flat[j] = old
            numeric[:, j] = (plus - minus) / (2 * eps)
        err = np.abs(analytic[i] - numeric)
        bad = ~(err <= atol + rtol * np.abs(numeric))
        if bad.any():
            k, j = np.argwhere(bad)[0]
            raise GradcheckError(
                f"gradcheck: Jacobian mismatch for inputs[{i}] at output {k}, input element {j}: "
                f"backprop {analytic[i][k, j]:.6g} vs numerical {numeric[k, j]:.6g}"
            )
    return True
