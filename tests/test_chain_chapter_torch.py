"""The chain-rule chapter's statements about PyTorch, checked against PyTorch 2.13 itself.

The chapter (docs/chain-rule.md) cannot import torch: a reader's downloaded notebook needs
only the engine. This file checks that PyTorch really behaves as the chapter says, one test
per statement.
"""

from __future__ import annotations

import pytest
import torch

torch.set_num_threads(1)
f64 = torch.float64
# torch.func and forward_ad import modules that call the deprecated torch.jit.script (2.13)
JIT_DEPRECATED = "ignore:`torch.jit.script` is deprecated:DeprecationWarning"


@pytest.mark.filterwarnings(JIT_DEPRECATED)
def test_torch_func_jvp_is_forward_mode() -> None:
    # "PyTorch offers forward mode as torch.func.jvp": J v in one call, without the Jacobian
    gen = torch.Generator().manual_seed(1)
    w = torch.randn(3, 5, generator=gen, dtype=f64)
    x = torch.randn(5, generator=gen, dtype=f64)
    v = torch.randn(5, generator=gen, dtype=f64)

    def f(u: torch.Tensor) -> torch.Tensor:
        return torch.tanh(w @ u)

    out, jv = torch.func.jvp(f, (x,), (v,))
    torch.testing.assert_close(out, f(x))
    jacobian = torch.autograd.functional.jacobian(f, x)
    torch.testing.assert_close(jv, jacobian @ v)


@pytest.mark.filterwarnings(JIT_DEPRECATED)
def test_forward_ad_dual_numbers_carry_the_derivative() -> None:
    # dual numbers: f(a + bε) = f(a) + f'(a) b ε
    import torch.autograd.forward_ad as fwAD

    a, b = torch.tensor(0.7, dtype=f64), torch.tensor(2.0, dtype=f64)
    with fwAD.dual_level():
        out = torch.sin(fwAD.make_dual(a, b))
        primal, tangent = fwAD.unpack_dual(out)
    torch.testing.assert_close(primal, torch.sin(a))
    torch.testing.assert_close(tangent, torch.cos(a) * b)


def test_a_dead_relu_unit_gets_exactly_zero_gradient() -> None:
    gen = torch.Generator().manual_seed(2)
    layer = torch.nn.Linear(4, 6, dtype=f64)
    with torch.no_grad():
        layer.bias[2] = -100.0
    x = torch.randn(32, 4, generator=gen, dtype=f64)
    (torch.relu(layer(x)).sum() ** 2).backward()
    assert torch.all(layer.weight.grad[2] == 0) and layer.bias.grad[2] == 0
    assert layer.weight.grad.abs().sum() > 0


def test_second_backward_through_a_freed_graph_raises() -> None:
    x = torch.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_kinks_maximum_and_max_split_ties_max_dim_and_relu_do_not() -> None:
    z = torch.tensor(1.0, requires_grad=True)
    w = torch.tensor(1.0, requires_grad=True)
    torch.maximum(z, w).backward()
    assert (z.grad.item(), w.grad.item()) == (0.5, 0.5)
    t = torch.tensor([1.0, 1.0, 0.0], requires_grad=True)
    torch.max(t).backward()
    assert t.grad.tolist() == [0.5, 0.5, 0.0]
    t2 = torch.tensor([[1.0, 1.0, 0.0]], requires_grad=True)
    torch.max(t2, dim=1).values.sum().backward()
    assert sorted(t2.grad[0].tolist()) == [0.0, 0.0, 1.0]
    r = torch.tensor([0.0], requires_grad=True)
    torch.relu(r).backward()
    assert r.grad.item() == 0.0


def test_tensor_softmax_requires_dim() -> None:
    with pytest.raises(TypeError):
        torch.ones(3).softmax()  # type: ignore[call-arg]
