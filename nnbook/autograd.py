"""Reverse-mode automatic differentiation: the walk of chapter 5.

Every operation on a :class:`~nnbook.tensor.Tensor` records its inputs and a
local chain-rule step (:meth:`~nnbook.tensor.Tensor.from_op`, whose backward
protocol the :mod:`nnbook.tensor` module states once). :func:`backward` turns
the gradient of the output into gradients of the leaves: it lists the graph
in :func:`topological_order`, inputs first, and visits it in reverse, so each
tensor is reached after every tensor computed from it has added its share.

As in PyTorch, only leaves keep their gradient in ``.grad`` (accumulated
across calls until zeroed); an interior tensor keeps its own only when
:meth:`~nnbook.tensor.Tensor.retain_grad` was called before the walk, and
:func:`retain_grads` does that for a whole graph (to draw it). Unlike
PyTorch, the graph is not freed after a walk: calling ``backward`` twice on
the same output works, as ``retain_graph=True`` would in PyTorch.

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

from nnbook._util import as_float_array
from nnbook.layers import linear
from nnbook.tensor import Tensor, is_grad_enabled, maximum, no_grad

__all__ = [
    "GradcheckError",
    "Tensor",
    "backward",
    "gradcheck",
    "is_grad_enabled",
    "linear",
    "maximum",
    "no_grad",
    "numerical_grad",
    "retain_grads",
    "topological_order",
]

Array = np.ndarray


def topological_order(root: Tensor) -> list[Tensor]:
    """The tensors ``root`` depends on (itself included), inputs first.

    Iterative depth-first search: no recursion limit, so very deep graphs work.
    Only tensors that take part in backpropagation are listed.

    >>> x = Tensor(2.0, requires_grad=True)
    >>> [t.op or "leaf" for t in topological_order((x * 3).exp())]
    ['leaf', 'mul', 'exp']
    """
    order: list[Tensor] = []
    seen = {root}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for p in parents:
            if p not in seen and p.requires_grad:
                seen.add(p)
                stack.append((p, iter(p.parents)))
                break
        else:  # every input is placed: the node can follow them
            stack.pop()
            order.append(node)
    return order


def backward(root: Tensor, grad: Any = None) -> None:
    """Back-propagate from ``root``: what ``root.backward(grad)`` runs.

    The gradients reaching each tensor are summed in ``grads``; walking the
    topological order backwards, a tensor's sum is complete when its turn
    comes (everything computed from it came later in the order), so its
    backward can pass it on. A chain 100,000 operations deep works: no
    recursion.

    >>> x = Tensor(3.0, requires_grad=True)
    >>> backward(x * x)
    >>> x.grad
    array(6.)
    """
    grads: dict[Tensor, Any] = {root: _seed(root, grad)}
    held = {id(grads[root])}  # arrays that the caller or some .grad holds
    for node in reversed(topological_order(root)):
        g = grads.pop(node, None)
        if g is None:  # every path to it passed None (an input needing no gradient)
            continue
        if node._backward is None or node._retain:
            _accumulate(node, g, held)
        if node._backward is None:
            continue
        for parent, pg in zip(node.parents, node._backward(g), strict=True):
            if pg is not None and parent.requires_grad:
                grads[parent] = grads[parent] + pg if parent in grads else pg


def _seed(root: Tensor, grad: Any) -> Array:
    """The gradient the walk starts from: 1 for a scalar, else ``grad`` (checked)."""
    if not root.requires_grad:
        raise RuntimeError(
            "Tensor.backward: this tensor does not require grad and has no graph "
            "(create the inputs with requires_grad=True, outside no_grad())"
        )
    if grad is None:
        if root.size != 1:
            raise RuntimeError(
                "Tensor.backward: grad can be implicitly created only for scalar outputs; "
                f"pass 'grad' of shape {root.shape}"
            )
        return np.ones(root.shape, root.dtype)
    seed = (
        grad.data if isinstance(grad, Tensor) else as_float_array(grad, "Tensor.backward", "grad")
    )
    if seed.shape != root.shape:
        raise ValueError(
            f"Tensor.backward: argument 'grad' must have shape {root.shape}, got {seed.shape}"
        )
    return seed.astype(root.dtype, copy=False)


def _accumulate(t: Tensor, g: Any, held: set[int]) -> None:
    """Add ``g`` to ``t.grad``. A tensor owns its ``.grad`` (its user may change it
    in place), so an array that is a view or that someone else holds is copied,
    as PyTorch's AccumulateGrad clones a gradient it cannot steal."""
    if t.grad is not None:
        t.grad = np.asarray(t.grad + g)  # two 0-d arrays add up to a NumPy scalar
    elif type(g) is np.ndarray and g.base is None and g.flags.writeable and id(g) not in held:
        t.grad = g
    else:
        t.grad = np.array(g)
    held.add(id(t.grad))


def retain_grads(root: Tensor) -> list[Tensor]:
    """Call :meth:`~nnbook.tensor.Tensor.retain_grad` on every tensor of ``root``'s graph.

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
            out.backward(seed.reshape(out0.shape))
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
