"""Shared test settings: hypothesis profiles, the Agg backend for plots, and an IPython
shell for the tests of what a notebook shows."""

from collections.abc import Iterator
from typing import Any

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

# Deterministic example generation: a CI run repeats exactly what passed locally.
settings.register_profile(
    "nnbook",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("nnbook")


@pytest.fixture
def ipython_shell() -> Iterator[Any]:
    """An IPython shell, as in a Jupyter kernel before its first figure (no inline backend yet)."""
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib_inline import backend_inline
    from matplotlib_inline.config import InlineBackend

    def reset() -> None:
        InlineBackend.clear_instance()
        InteractiveShell.clear_instance()
        # matplotlib-inline selects the figure formats once per process; forget that it did.
        vars(backend_inline.configure_inline_support).pop("current_backend", None)

    reset()
    with matplotlib.rc_context():
        yield InteractiveShell.instance()
    reset()
