"""Which tensors keep a gradient, and how gradients add up: PyTorch's rules.

Each expected value is PyTorch 2.13's documented behaviour, written out here so
that the tests run without torch; every one was also checked once by running
the same lines with torch (``torch.tensor(..., requires_grad=True)``,
``backward(retain_graph=True)`` where a graph is walked twice). nnbook keeps
the graph after a walk, so its second ``backward()`` is PyTorch's with
``retain_graph=True``.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnbook import Tensor, no_grad
from nnbook.autograd import backward, retain_grads, topological_order


def square_times_three() -> tuple[Tensor, Tensor, Tensor]:
    x = Tensor(2.0, requires_grad=True)
    y = x * x
    return x, y, 3 * y  # dz/dy = 3, dz/dx = 6x = 12


def test_a_leaf_keeps_its_gradient_and_an_interior_tensor_does_not() -> None:
    x, y, z = square_times_three()
    z.backward()
    assert x.is_leaf and not y.is_leaf and not z.is_leaf
    assert x.grad == 12.0
    assert y.grad is None and z.grad is None  # torch: None (with a warning on access)
    assert not y.retains_grad


def test_retain_grad_keeps_an_interior_gradient() -> None:
    x, y, z = square_times_three()
    y.retain_grad()
    z.backward()
    assert y.retains_grad
    assert (y.grad, x.grad) == (3.0, 12.0)


def test_a_second_backward_adds_to_leaves_and_to_retained_tensors() -> None:
    x, y, z = square_times_three()
    y.retain_grad()
    z.backward(retain_graph=True)
    z.backward()  # as torch: the first walk kept the graph
    assert (y.grad, x.grad) == (6.0, 24.0)


def test_a_second_backward_through_a_freed_graph_raises_as_in_torch() -> None:
    x, y, z = square_times_three()
    z.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        z.backward()
    assert x.grad == 12.0  # the failed walk added nothing
    with pytest.raises(RuntimeError, match="a second time"):
        (y * 1.0).backward()  # any walk through the freed part


def test_gradients_accumulate_over_different_graphs_until_zeroed() -> None:
    x = Tensor([1.0, -2.0], requires_grad=True)
    (x * x).sum().backward()  # 2x
    (5 * x).sum().backward()  # + 5
    np.testing.assert_array_equal(x.grad, [7.0, 1.0])
    x.grad = None
    (x * 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])


def test_retain_grad_on_a_leaf_does_nothing_and_on_a_constant_is_an_error() -> None:
    x = Tensor(1.0, requires_grad=True)
    x.retain_grad()
    assert not x.retains_grad  # torch: False for a leaf
    # torch: "can't retain_grad on Tensor that has requires_grad=False"
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor(1.0).retain_grad()
    with no_grad():
        y = x * 2
    assert y.is_leaf and not y.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.retain_grad()


def test_the_output_retains_its_seed_and_a_late_retain_grad_counts_from_the_next_walk() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = a * 2
    out = b.sum()
    out.retain_grad()
    out.backward(retain_graph=True)
    assert out.grad == 1.0  # torch: tensor(1.)
    b.retain_grad()  # after the first walk: nothing is filled in retroactively
    assert b.grad is None
    out.backward()
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])
    np.testing.assert_array_equal(a.grad, [4.0, 4.0])


def test_retain_grads_keeps_every_node_of_a_graph() -> None:
    x, y = Tensor(-2.0, requires_grad=True), Tensor(5.0, requires_grad=True)
    z = Tensor(-4.0, requires_grad=True)
    q = x + y
    f = q * z
    assert retain_grads(f) == topological_order(f)
    f.backward()
    assert [t.grad for t in (x, y, z, q, f)] == [-4.0, -4.0, 3.0, -4.0, 1.0]


def test_retained_and_leaf_gradients_are_separate_arrays() -> None:
    # add passes its gradient through unchanged: without copies x.grad, y.grad
    # and s.grad would be one array, and changing one would change the others.
    x, y = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
    s = x + y
    s.retain_grad()
    seed = np.array([1.0])
    s.backward(seed)
    x.grad[0] = 10.0
    assert y.grad[0] == 1.0 and s.grad[0] == 1.0 and seed[0] == 1.0
    s.grad[0] = 7.0
    assert y.grad[0] == 1.0


def test_a_leaf_gradient_is_writable_and_not_a_view() -> None:
    # sum's backward broadcasts (a read-only view); the transpose's is a view
    # too: the leaf gets a copy it owns, as torch's AccumulateGrad clones.
    w = Tensor(np.ones((2, 3)), requires_grad=True)
    w.sum().backward()
    w.grad += 1.0
    np.testing.assert_array_equal(w.grad, np.full((2, 3), 2.0))
    v = Tensor(np.ones((2, 3)), requires_grad=True)
    (Tensor(np.ones((4, 3))) @ v.T).sum().backward()
    assert v.grad.base is None and v.grad.flags.writeable
    np.testing.assert_array_equal(v.grad, np.full((2, 3), 4.0))


def test_backward_is_the_function_the_method_calls() -> None:
    x = Tensor(3.0, requires_grad=True)
    backward(x * x, np.array(2.0))  # a seed of 2: twice dx²/dx
    assert x.grad == 12.0


def test_a_chain_100000_deep_with_retained_tensors() -> None:
    x = Tensor(1.0, requires_grad=True)
    y = x
    kept = []
    for i in range(100_000):
        y = y * 1.0 + 0.0
        if i % 25_000 == 0:
            y.retain_grad()
            kept.append(y)
    y.backward()
    assert x.grad == 1.0 and all(t.grad == 1.0 for t in kept)


def test_from_op_records_a_user_defined_operation() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    cube = Tensor.from_op(x.data**3, (x,), lambda g: (3 * x.data**2 * g,), op="cube")
    assert cube.op == "cube" and cube.parents == (x,) and cube.requires_grad
    cube.sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 12.0])
    with no_grad():
        off = Tensor.from_op(x.data**3, (x,), lambda g: (3 * x.data**2 * g,), op="cube")
    assert not off.requires_grad and off.parents == ()
