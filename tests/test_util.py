"""Tests of the shared argument checks in nnbook._util."""

import numpy as np
import pytest

from nnbook._util import as_float_array, as_rng, check_float_dtype, check_shape


def test_as_rng_accepts_generators_and_seeds_only():
    g = np.random.default_rng(1)
    assert as_rng(g, "f") is g
    assert as_rng(3, "f").integers(1000) == np.random.default_rng(3).integers(1000)
    with pytest.raises(TypeError, match="f: argument 'rng'"):
        as_rng(None, "f")
    with pytest.raises(TypeError, match="f: argument 'rng'"):
        as_rng(True, "f")
    with pytest.raises(ValueError, match="non-negative"):
        as_rng(-1, "f")


def test_check_shape():
    assert check_shape([2, 3], "f") == (2, 3)
    with pytest.raises(TypeError, match="f: argument 'shape'"):
        check_shape("23", "f")
    with pytest.raises(ValueError, match="non-negative ints"):
        check_shape((2, -1), "f")


def test_check_float_dtype():
    assert check_float_dtype(np.float64, "f") == np.float64
    with pytest.raises(TypeError, match="f: argument 'dtype' must be a float dtype"):
        check_float_dtype("int32", "f")
    with pytest.raises(TypeError, match="f: argument 'dtype'"):
        check_float_dtype("no-such-dtype", "f")


def test_as_float_array():
    assert as_float_array([True, False], "f", "x").dtype == np.float64
    with pytest.raises(TypeError, match="f: argument 'x' must be a real numeric array"):
        as_float_array(["a"], "f", "x")
    with pytest.raises(TypeError, match="f: argument 'x' must be numeric array-like"):
        as_float_array([[1.0], [1.0, 2.0]], "f", "x")
