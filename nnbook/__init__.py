"""nnbook: the small NumPy engine of the nnbook book.

One module per chapter: :mod:`nnbook.neurons` (1), :mod:`nnbook.optim` (2),
:mod:`nnbook.init` (3), :mod:`nnbook.losses` (4), :mod:`nnbook.autograd` (5);
each re-exports the pieces its chapter uses from the modules that hold one
concept each (:mod:`nnbook.tensor`, :mod:`nnbook.layers`, ...). Beside them
:mod:`nnbook.datasets` and :mod:`nnbook.plotting` (matplotlib is imported
only when :mod:`nnbook.plotting` is).

>>> import nnbook
>>> nnbook.Tensor([1.0, 2.0]).sum().item()
3.0
"""

from nnbook import autograd, datasets, init, losses, neurons, optim
from nnbook.autograd import Tensor, gradcheck, no_grad

__version__ = "0.1.0"
__all__ = [
    "Tensor",
    "__version__",
    "autograd",
    "datasets",
    "gradcheck",
    "init",
    "losses",
    "neurons",
    "no_grad",
    "optim",
]
