"""The base class of layers and networks, :class:`Module` (public home: :mod:`nnbook.nn`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from nnbook._tensor import Tensor

__all__ = ["Module"]


class Module:
    """Base class of layers and networks, as ``torch.nn.Module`` (much reduced).

    A subclass stores its parameters as public :class:`~nnbook.Tensor`
    attributes and its sub-modules as public :class:`Module` attributes (or
    lists of them); :meth:`named_parameters` finds both recursively. Calling a
    module runs :meth:`forward`. Unlike PyTorch, a subclass need not call
    ``super().__init__()``.

    Attributes
    ----------
    training : bool
        True (the default) after :meth:`train`, False after :meth:`eval`.

    Examples
    --------
    >>> class Scale(Module):
    ...     def __init__(self) -> None:
    ...         self.k = Tensor(2.0, requires_grad=True)
    ...     def forward(self, x: Any) -> Tensor:
    ...         return self.k * x
    >>> m = Scale()
    >>> m(Tensor([1.0, 3.0])), len(list(m.parameters()))
    (Tensor([2., 6.], requires_grad=True, op='mul'), 1)
    """

    training: bool = True

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

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, sub-module) pairs of the direct sub-modules, as PyTorch."""
        for name, value in self._members():
            if isinstance(value, Module):
                yield name, value

    def children(self) -> Iterator[Module]:
        """The direct sub-modules."""
        for _, m in self.named_children():
            yield m

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module ("") and every sub-module, depth first."""
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{n}" if name else n, m) for n, m in module.named_children()]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        """This module and every sub-module, each once."""
        for _, m in self.named_modules():
            yield m

    def named_parameters(self) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, parameter) pairs, depth first, each parameter once, as PyTorch.

        Examples
        --------
        >>> from nnbook.nn import Linear
        >>> [name for name, _ in Linear(2, 3, rng=0).named_parameters()]
        ['weight', 'bias']
        """
        seen: set[int] = set()
        for prefix, module in self.named_modules():
            for name, value in module._members():
                if isinstance(value, Tensor) and id(value) not in seen:
                    seen.add(id(value))
                    yield (f"{prefix}.{name}" if prefix else name), value

    def parameters(self) -> Iterator[Tensor]:
        """The parameters of this module and its sub-modules, each once (an iterator).

        Examples
        --------
        >>> from nnbook.nn import Linear
        >>> sum(p.numel() for p in Linear(3, 2, rng=0).parameters())  # 2·3 weights + 2 biases
        8
        """
        for _, p in self.named_parameters():
            yield p

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient (``grad = None``, PyTorch's default).

        Examples
        --------
        >>> from nnbook.nn import Linear
        >>> layer = Linear(2, 1, rng=0)
        >>> layer(np.ones((1, 2))).sum().backward()
        >>> layer.zero_grad()
        >>> layer.weight.grad is None
        True
        """
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad[...] = 0

    def train(self, mode: bool = True) -> Module:
        """Set ``training`` on this module and every sub-module; returns ``self``.

        No layer of nnbook behaves differently in training (there is no
        dropout or batch norm yet), but the flag is PyTorch's.

        >>> from nnbook.nn import Linear
        >>> Linear(2, 1, rng=0).eval().training
        False
        """
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"Module.train: argument 'mode' must be a bool, got {mode!r}")
        for m in self.modules():
            m.training = bool(mode)
        return self

    def eval(self) -> Module:
        """``train(False)``."""
        return self.train(False)

    def state_dict(self) -> dict[str, Tensor]:
        """The parameters by dotted name, detached (sharing their values), as PyTorch.

        >>> from nnbook.nn import Linear
        >>> list(Linear(2, 1, rng=0).state_dict())
        ['weight', 'bias']
        """
        return {name: p.detach() for name, p in self.named_parameters()}

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> None:
        """Copy values into the parameters in place, by name, as PyTorch.

        With ``strict`` a missing or unexpected name is an error; a shape
        mismatch always is.

        >>> from nnbook.nn import Linear
        >>> a, b = Linear(2, 1, rng=0), Linear(2, 1, rng=1)
        >>> b.load_state_dict(a.state_dict())
        >>> bool((a.weight.data == b.weight.data).all())
        True
        """
        own = dict(self.named_parameters())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            raise RuntimeError(
                f"{type(self).__name__}.load_state_dict: missing keys {missing}, "
                f"unexpected keys {unexpected}"
            )
        for name, p in own.items():
            if name not in state_dict:
                continue
            value = state_dict[name]
            arr = np.asarray(value.data if isinstance(value, Tensor) else value)
            if arr.shape != p.shape:
                raise RuntimeError(
                    f"{type(self).__name__}.load_state_dict: size mismatch for {name}: "
                    f"copying a param with shape {arr.shape}, the parameter has {p.shape}"
                )
            p.data[...] = arr

    def extra_repr(self) -> str:
        """The arguments shown between the parentheses of ``repr``."""
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"
