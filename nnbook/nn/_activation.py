"""Activation functions as modules, as ``torch.nn``'s ``ReLU``, ``Tanh``, ...

Each wraps its function of :mod:`nnbook.nn.functional` for
:class:`~nnbook.nn.Sequential`; the public home of every class here is
:mod:`nnbook.nn`.
"""

from __future__ import annotations

from typing import Any

from nnbook._tensor import Tensor, _as_tensor
from nnbook._util import check_real
from nnbook.nn._module import Module
from nnbook.nn.functional import _beta, _softplus_t

__all__ = ["Identity", "LeakyReLU", "ReLU", "Sigmoid", "Softplus", "Tanh"]


class _Activation(Module):
    """An activation function as a module: no parameters."""

    def _input(self, x: Any) -> Tensor:
        if isinstance(x, Tensor):  # the common case, before any message is formatted
            return x
        return _as_tensor(x, f"{type(self).__name__}.forward", "x")


class Sigmoid(_Activation):
    """σ(x) = 1/(1 + e^−x) as a module, as ``torch.nn.Sigmoid``.

    See :func:`~nnbook.nn.functional.sigmoid`.

    Examples
    --------
    >>> import numpy as np
    >>> Sigmoid()(np.zeros(2))
    Tensor([0.5, 0.5])
    """

    def forward(self, x: Any) -> Tensor:
        """σ(x)."""
        return self._input(x).sigmoid()


class Tanh(_Activation):
    """tanh as a module, as ``torch.nn.Tanh``; see :func:`~nnbook.nn.functional.tanh`.

    Examples
    --------
    >>> import numpy as np
    >>> Tanh()(np.zeros(2))
    Tensor([0., 0.])
    """

    def forward(self, x: Any) -> Tensor:
        """tanh x."""
        return self._input(x).tanh()


class ReLU(_Activation):
    """max(0, x) as a module, as ``torch.nn.ReLU`` (Nair & Hinton 2010).

    See :func:`~nnbook.nn.functional.relu`.

    Examples
    --------
    >>> import numpy as np
    >>> ReLU()(np.array([-1.0, 2.0]))
    Tensor([0., 2.])
    """

    def forward(self, x: Any) -> Tensor:
        """max(0, x)."""
        return self._input(x).relu()


class LeakyReLU(_Activation):
    """Leaky ReLU as a module, as ``torch.nn.LeakyReLU`` (Maas et al. 2013).

    x for x > 0, ``negative_slope``·x otherwise; see :func:`~nnbook.nn.functional.leaky_relu`.

    Examples
    --------
    >>> import numpy as np
    >>> LeakyReLU(0.1)(np.array([-1.0, 2.0]))
    Tensor([-0.1,  2. ])
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        self.negative_slope = check_real(negative_slope, "LeakyReLU", "negative_slope")

    def forward(self, x: Any) -> Tensor:
        """x if x > 0 else negative_slope·x."""
        return self._input(x).leaky_relu(self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Softplus(_Activation):
    """Softplus as a module, as ``torch.nn.Softplus`` (Dugas et al. 2001).

    (1/β)·log(1 + e^{βx}), and x where βx > threshold; see :func:`~nnbook.nn.functional.softplus`.

    Examples
    --------
    >>> import numpy as np
    >>> Softplus()(np.zeros(1)).data.round(4)
    array([0.6931])
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        self.beta = _beta(beta, "Softplus")
        self.threshold = check_real(threshold, "Softplus", "threshold")

    def forward(self, x: Any) -> Tensor:
        """(1/β)·log(1 + e^(βx)), x above the threshold."""
        return _softplus_t(self._input(x), self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Identity(_Activation):
    """φ(x) = x as a module, as ``torch.nn.Identity``: a Tensor passes unchanged.

    Examples
    --------
    >>> t = Tensor([1.0])
    >>> Identity()(t) is t
    True
    """

    def forward(self, x: Any) -> Tensor:
        """x itself."""
        return self._input(x)


_ACTIVATION_MODULES: dict[str, type[_Activation]] = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "softplus": Softplus,
    "identity": Identity,
}


def _activation_module(activation: Any, func: str, arg: str = "activation") -> Module:
    """A name from ACTIVATIONS (module with default parameters) or a Module instance."""
    if isinstance(activation, Module):
        return activation
    if isinstance(activation, str) and activation in _ACTIVATION_MODULES:
        return _ACTIVATION_MODULES[activation]()
    raise ValueError(
        f"{func}: argument '{arg}' must be a Module or one of "
        f"{', '.join(_ACTIVATION_MODULES)}; got {activation!r}"
    )
