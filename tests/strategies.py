"""Hypothesis strategies shared by the engine's tests (MiniTorch style)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

small_floats = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_subnormal=False)
positive_floats = st.floats(min_value=0.2, max_value=3.0, allow_nan=False)


def shapes(min_dims: int = 0, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy:
    """Array shapes with small sides (gradient checks cost one call per element)."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)


def arrays(shape: tuple[int, ...] | st.SearchStrategy, elements: st.SearchStrategy = small_floats):
    """float64 arrays of ``shape`` with bounded entries."""
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def broadcast_pair(draw: st.DrawFn, elements: st.SearchStrategy = small_floats):
    """Two arrays whose shapes broadcast against each other."""
    shapes_ = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    a_shape, b_shape = shapes_.input_shapes
    return draw(arrays(a_shape, elements)), draw(arrays(b_shape, elements))


@st.composite
def array_and_axis(draw: st.DrawFn, min_dims: int = 1):
    """An array and a valid axis (or None) for reductions."""
    x = draw(arrays(shapes(min_dims=min_dims)))
    axis = draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
    return x, axis


def away_from(values: np.ndarray, points: tuple[float, ...], gap: float = 1e-3) -> bool:
    """True when no entry is within ``gap`` of a kink of a piecewise function."""
    return all(np.all(np.abs(values - p) > gap) for p in points)
