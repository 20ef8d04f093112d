"""The base class of layers and networks (:class:`Module`), as ``torch.nn.Module``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nnbook.tensor import Tensor

__all__ = ["Module"]


class Module:
    """Base class of layers and networks, as ``torch.nn.Module`` (much reduced).

    A subclass stores its parameters as public :class:`~nnbook.tensor.Tensor` attributes and
    its sub-modules as public :class:`Module` attributes (or lists of them);
    :meth:`parameters` finds both recursively. Calling a module runs
    :meth:`forward`.

    Examples
    --------
    >>> class Scale(Module):
    ...     def __init__(self) -> None:
    ...         self.k = Tensor(2.0, requires_grad=True)
    ...     def forward(self, x: Any) -> Tensor:
    ...         return self.k * x
    >>> m = Scale()
    >>> m(Tensor([1.0, 3.0])), len(m.parameters())
    (Tensor([2., 6.], requires_grad=True, op='mul'), 1)
    """

    def forward(self, *args: Any, **kwargs: Any) -> Tensor:
        """The computation; subclasses override it."""
        raise NotImplementedError(f"{type(self).__name__}.forward is not implemented")

    def __call__(self, *args: Any, **kwargs: Any) -> Tensor:
        return self.forward(*args, **kwargs)

    def _members(self) -> Iterator[tuple[str, Any]]:
        for name, value in vars(self).items():
            if name.startswith("_"):
                continue
            if isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    yield f"{name}.{i}", item
            else:
                yield name, value

    def named_parameters(self) -> list[tuple[str, Tensor]]:
        """(dotted name, parameter) pairs, depth first, each parameter once.

        Examples
        --------
        >>> from nnbook.layers import Linear
        >>> [name for name, _ in Linear(2, 3, rng=0).named_parameters()]
        ['weight', 'bias']
        """
        out: list[tuple[str, Tensor]] = []
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [("", self)]
        visited: set[int] = set()
        while stack:
            prefix, module = stack.pop()
            if id(module) in visited:
                continue
            visited.add(id(module))
            children = []
            for name, value in module._members():
                if isinstance(value, Tensor) and id(value) not in seen:
                    seen.add(id(value))
                    out.append((prefix + name, value))
                elif isinstance(value, Module):
                    children.append((prefix + name + ".", value))
            stack.extend(reversed(children))
        return out

    def parameters(self) -> list[Tensor]:
        """The parameters of this module and its sub-modules, each once.

        Examples
        --------
        >>> from nnbook.layers import Linear
        >>> sum(p.size for p in Linear(3, 2, rng=0).parameters())  # 2·3 weights + 2 biases
        8
        """
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``grad = None``), as PyTorch's default.

        Examples
        --------
        >>> import numpy as np
        >>> from nnbook.layers import Linear
        >>> layer = Linear(2, 1, rng=0)
        >>> layer(np.ones((1, 2))).sum().backward()
        >>> layer.zero_grad()
        >>> layer.weight.grad is None
        True
        """
        for p in self.parameters():
            p.grad = None

    def extra_repr(self) -> str:
        """The arguments shown between the parentheses of ``repr``."""
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"
