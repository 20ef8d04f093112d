"""The backward walk: what ``Tensor.backward`` runs (the chain-rule chapter's code).

Every operation on a Tensor records its inputs (``parents``) and a local
chain-rule step (``_backward``; the protocol is in :mod:`nnbook._tensor`).
:func:`backward` turns the gradient of the output into gradients of the
leaves: it lists the graph in :func:`topological_order`, inputs first, and
visits it in reverse, so each tensor is reached after every tensor computed
from it has added its share.

As in PyTorch, only leaves keep their gradient in ``.grad`` (accumulated
across calls until zeroed); an interior tensor keeps its own only when
``retain_grad()`` was called before the walk. And as in PyTorch, a walk frees
the graph it went through: a second ``backward`` through it raises, unless
the first one was given ``retain_graph=True``.

This module sits below the Tensor (it touches only the attributes above, and
imports only nnbook's helpers), so that ``Tensor.backward`` can call it;
:mod:`nnbook.autograd` is its public home.

References
----------
Linnainmaa (1970); Werbos (1974); Rumelhart, Hinton & Williams (1986);
Griewank & Walther, *Evaluating Derivatives* (2008).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnbook._util import as_float_array, quiet_off, quiet_on

__all__ = ["backward", "topological_order"]


def topological_order(root: Any) -> list[Any]:
    """The tensors ``root`` depends on (itself included), inputs first.

    Iterative depth-first search: no recursion limit, so very deep graphs work.
    Only tensors that take part in backpropagation are listed.

    >>> from nnbook import tensor
    >>> x = tensor(2.0, requires_grad=True)
    >>> [t.op or "leaf" for t in topological_order((x * 3).exp())]
    ['leaf', 'mul', 'exp']
    """
    order: list[Any] = []
    seen = {root}  # tensors hash by identity
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


def _depth_first(root: Any) -> list[Any]:
    """Every node reachable from ``root`` through its parents (those that need no
    gradient too), each after its parents, ``root`` last: :func:`topological_order`
    for drawings, which show the constants as well."""
    order: list[Any] = []
    seen = {id(root)}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for p in parents:
            if id(p) not in seen:
                seen.add(id(p))
                stack.append((p, iter(p.parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def _freed(g: np.ndarray) -> tuple[None, ...]:
    """The backward of a node whose graph a walk has already gone through."""
    raise RuntimeError(
        "Trying to backward through the graph a second time: its intermediate values were "
        "freed by the first backward. Specify retain_graph=True in the first backward() "
        "if you need to backward through the graph again."
    )


def backward(root: Any, grad: Any = None, retain_graph: bool = False) -> None:
    """Back-propagate from ``root``: what ``root.backward(grad)`` runs.

    The gradients reaching each tensor are summed in ``grads``; walking the
    topological order backwards, a tensor's sum is complete when its turn
    comes (everything computed from it came later in the order), so its
    backward can pass it on. Without ``retain_graph`` each interior node's
    backward is then replaced by one that raises, as PyTorch frees the values
    its graph saved. As in PyTorch, infinities and NaN pass through without a
    NumPy warning. A chain 100,000 operations deep works: no recursion.

    >>> from nnbook import tensor
    >>> x = tensor(3.0, requires_grad=True)
    >>> backward(x * x)
    >>> x.grad
    array(6.)
    """
    grads: dict[Any, Any] = {root: _seed(root, grad)}
    held = {id(grads[root])}  # arrays that the caller or some .grad holds
    token = quiet_on()
    try:
        for node in reversed(topological_order(root)):
            g = grads.pop(node, None)
            if g is None:  # every path to it passed None (an input needing no gradient)
                continue
            step = node._backward
            if step is None or node._retain:
                _accumulate(node, g, held)
            if step is None:
                continue
            if not retain_graph:
                node._backward = _freed
            for parent, pg in zip(node.parents, step(g), strict=True):
                if pg is not None and parent.requires_grad:
                    grads[parent] = grads[parent] + pg if parent in grads else pg
    finally:
        quiet_off(token)


def _seed(root: Any, grad: Any) -> np.ndarray:
    """The gradient the walk starts from: 1 for a scalar, else ``grad`` (checked)."""
    if not root.requires_grad:
        raise RuntimeError(
            "Tensor.backward: element 0 of tensors does not require grad and does not "
            "have a grad_fn (create the inputs with requires_grad=True, outside no_grad())"
        )
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                "Tensor.backward: grad can be implicitly created only for scalar outputs; "
                f"pass 'gradient' of shape {root.shape}"
            )
        return np.ones(root.shape, root.dtype)
    seed = as_float_array(grad, "Tensor.backward", "gradient")
    if seed.shape != root.shape:
        raise ValueError(
            f"Tensor.backward: argument 'gradient' must have shape {root.shape}, got {seed.shape}"
        )
    return seed.astype(root.dtype, copy=False)


def _accumulate(t: Any, g: Any, held: set[int]) -> None:
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
