"""nnbook: the small NumPy engine of the nnbook book, laid out as PyTorch.

``nnbook`` holds the tensor and its factories (as ``torch``); below it,
:mod:`nnbook.autograd`, :mod:`nnbook.nn` (with :mod:`nnbook.nn.functional`
and :mod:`nnbook.nn.init`) and :mod:`nnbook.optim` (with
:mod:`nnbook.optim.lr_scheduler`). What only the book needs (datasets,
plots, graph drawings, the perceptron, schedules as functions, the range
test) is in the package :mod:`nnbook.book`, which is not imported here
(it brings matplotlib).

>>> import nnbook
>>> nnbook.tensor([1.0, 2.0]).sum().item()
3.0
"""

# The sub-packages, as torch imports its own (nnbook.nn works after ``import nnbook``).
from nnbook import autograd, nn, optim  # noqa: F401
from nnbook._tensor import (
    Tensor,
    empty,
    is_grad_enabled,
    maximum,
    no_grad,
    ones,
    tensor,
    zeros,
)
from nnbook.optim import lr_scheduler  # noqa: F401  (nnbook.optim.lr_scheduler after import nnbook)

__version__ = "0.1.0"
__all__ = [
    "Tensor",
    "__version__",
    "empty",
    "is_grad_enabled",
    "maximum",
    "no_grad",
    "ones",
    "tensor",
    "zeros",
]
