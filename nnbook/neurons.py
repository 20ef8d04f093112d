"""The artificial neuron (chapter 1), and the chapter's other pieces in one place.

A neuron computes a weighted sum of its inputs plus a bias and passes it
through an activation function::

    z = w · x + b,        a = φ(z).

It stores nothing between calls: what it has learned lives in ``w`` and ``b``.
:class:`Neuron` is defined here; the chapter's other tools are imported from
the modules that hold them, and re-exported so that ``nnbook.neurons`` keeps
offering the chapter's whole toolkit: the activation functions
(:mod:`nnbook.activations`), layers and networks (:mod:`nnbook.layers`) and
the historical units (:mod:`nnbook.perceptron`).

References
----------
McCulloch & Pitts (1943); Rosenblatt (1958); Goodfellow, Bengio & Courville,
*Deep Learning* (2016), chapter 6.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from nnbook._util import RngLike, as_rng, check_float_dtype, check_int, check_real
from nnbook.activations import (
    ACTIVATIONS,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softplus,
    Step,
    Tanh,
    _activation_module,
    activation_derivative,
    get_activation,
    identity,
    leaky_relu,
    relu,
    sigmoid,
    softplus,
    step,
    tanh,
)
from nnbook.layers import (
    INITIALIZERS,
    MLP,
    ForwardTrace,
    InitLike,
    Linear,
    Sequential,
    _array_copy,
    _check_last_dim,
    _default_linear_init,
    _initial_weight,
    _layer_input,
)
from nnbook.module import Module
from nnbook.perceptron import (
    McCullochPitts,
    PerceptronResult,
    mcp_and,
    mcp_not,
    mcp_or,
    perceptron_train,
)
from nnbook.tensor import Tensor

__all__ = [
    # The chapter's other tools, re-exported (``from nnbook.neurons import MLP`` works);
    # each is documented in its own module.
    "ACTIVATIONS",
    "INITIALIZERS",
    "MLP",
    "ForwardTrace",
    "Identity",
    "LeakyReLU",
    "Linear",
    "McCullochPitts",
    "Module",
    "Neuron",
    "PerceptronResult",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softplus",
    "Step",
    "Tanh",
    "activation_derivative",
    "get_activation",
    "identity",
    "leaky_relu",
    "mcp_and",
    "mcp_not",
    "mcp_or",
    "perceptron_train",
    "relu",
    "sigmoid",
    "softplus",
    "step",
    "tanh",
]

Array = np.ndarray


class Neuron(Module):
    """One artificial neuron: a = φ(w · x + b).

    The weighted sum of the inputs plus a bias (not an average: the weights
    are not normalised and may be negative), passed through the activation φ.
    It keeps no state between calls.

    Parameters
    ----------
    n_inputs : int
        Number of inputs (positive).
    activation : str or Module, default "tanh"
        A name from :data:`~nnbook.activations.ACTIVATIONS` or an activation module.
    rng : numpy.random.Generator or int
        Source of the initial weights (keyword only, required).
    init : None, str or callable, default None
        As in :class:`~nnbook.layers.Linear`: None draws w and b from U(−1/√n, 1/√n), the
        same numbers ``Linear(n_inputs, 1, rng=...)`` draws; otherwise ``init``
        sets w (viewed as a (1, n_inputs) weight) and b starts at 0.
    dtype : float dtype, default float64

    Attributes
    ----------
    w : Tensor, shape (n_inputs,)
    b : Tensor, shape ()
    activation : Module

    References
    ----------
    McCulloch & Pitts (1943); Rosenblatt (1958); Goodfellow et al. (2016),
    section 6.1.

    Examples
    --------
    >>> n = Neuron.from_weights([2.0, -1.0], 0.5, activation="relu")
    >>> n.pre_activation(np.array([1.0, 1.0])).item()  # 2 − 1 + 0.5
    1.5
    >>> n(np.array([[1.0, 1.0], [0.0, 1.0]])).data.tolist()  # relu(1.5), relu(−0.5)
    [1.5, 0.0]
    """

    w: Tensor
    b: Tensor

    def __init__(
        self,
        n_inputs: int,
        activation: str | Module = "tanh",
        *,
        rng: RngLike,
        init: InitLike = None,
        dtype: DTypeLike = np.float64,
    ) -> None:
        func = "Neuron"
        n = check_int(n_inputs, func, "n_inputs", 1)
        act = _activation_module(activation, func)
        dt = check_float_dtype(dtype, func)
        gen = as_rng(rng, func)
        if init is None:
            w, b = _default_linear_init(n, 1, gen, dt)
        else:
            w, b = _initial_weight(init, (1, n), gen, dt, func), np.zeros(1, dtype=dt)
        self._set(w.reshape(n), b.reshape(()), act)

    def _set(self, w: Array, b: Array, activation: Module) -> None:
        self.n_inputs = int(w.shape[0])
        self.w = Tensor(w, requires_grad=True, name="w")
        self.b = Tensor(b, requires_grad=True, name="b")
        self.activation = activation

    @classmethod
    def from_weights(cls, w: Any, b: float = 0.0, activation: str | Module = "tanh") -> Neuron:
        """A neuron with hand-set weights ``w`` (n,) and bias ``b`` (copied).

        Examples
        --------
        >>> Neuron.from_weights([1.0, 1.0], -1.5, "step")(np.array([1.0, 1.0])).item()
        1.0
        """
        func = "Neuron.from_weights"
        warr = _array_copy(w, func, "w")
        if warr.ndim != 1 or warr.size == 0:
            raise ValueError(
                f"{func}: argument 'w' must be a non-empty 1-D array, got {warr.shape}"
            )
        barr = np.array(check_real(b, func, "b"), dtype=warr.dtype)
        neuron = cls.__new__(cls)
        neuron._set(warr, barr, _activation_module(activation, func))
        return neuron

    def _z(self, x: Any, func: str) -> Tensor:
        t = _layer_input(x, self.w.dtype, func)
        _check_last_dim(t, self.n_inputs, func, "n_inputs")
        return t @ self.w + self.b

    def pre_activation(self, x: Any) -> Tensor:
        """z = x · w + b for x of shape (n_inputs,) -> () or (batch, n_inputs) -> (batch,)."""
        return self._z(x, "Neuron.pre_activation")

    def forward(self, x: Any) -> Tensor:
        """a = φ(z) with z = :meth:`pre_activation` (x)."""
        return self.activation(self._z(x, "Neuron.forward"))

    def extra_repr(self) -> str:
        return f"n_inputs={self.n_inputs}, activation={self.activation!r}"
