"""Layers, networks and losses as modules, as ``torch.nn``.

:class:`Module` is the base class; :class:`Linear`, :class:`Sequential` and
:class:`MLP` build networks; the activation modules (:class:`ReLU`, ...)
and the loss modules (:class:`MSELoss`, :class:`CrossEntropyLoss`, ...) wrap
the functions of :mod:`nnbook.nn.functional`. Initializers are in
:mod:`nnbook.nn.init`. Each name here has its code in a private module
(``nnbook/nn/_layers.py``, ...), as PyTorch keeps its in ``torch/nn/modules``.

>>> import numpy as np
>>> from nnbook import nn
>>> model = nn.Sequential(nn.Linear(2, 4, rng=0), nn.ReLU(), nn.Linear(4, 1, rng=1))
>>> model(np.zeros((3, 2))).shape
(3, 1)
"""

from nnbook.nn import functional, init  # noqa: F401  (nnbook.nn.init after import)
from nnbook.nn._activation import Identity, LeakyReLU, ReLU, Sigmoid, Softplus, Tanh
from nnbook.nn._layers import INITIALIZERS, MLP, ForwardTrace, Linear, Sequential
from nnbook.nn._loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HingeEmbeddingLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from nnbook.nn._module import Module

__all__ = [
    "INITIALIZERS",
    "MLP",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "ForwardTrace",
    "HingeEmbeddingLoss",
    "HuberLoss",
    "Identity",
    "KLDivLoss",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "MSELoss",
    "Module",
    "NLLLoss",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "SmoothL1Loss",
    "Softplus",
    "Tanh",
]
