"""Tests of the shared argument checks in nnbook._util."""

import math

import numpy as np
import pytest

from nnbook._util import (
    as_float_array,
    as_rng,
    check_float_dtype,
    check_int,
    check_nonnegative,
    check_positive,
    check_real,
    check_shape,
)


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


def test_check_real_takes_real_numbers_and_names_what_it_refuses():
    assert check_real(np.float32(0.5), "f", "x") == 0.5
    assert type(check_real(np.int64(2), "f", "x")) is float
    assert check_real(-math.inf, "f", "x", finite=False) == -math.inf
    for bad in (True, np.True_, "1", None, 1j, np.array([1.0])):
        with pytest.raises(TypeError, match=r"^f: argument 'x' must be a real number, got "):
            check_real(bad, "f", "x")
    with pytest.raises(ValueError, match=r"^f: argument 'x' must be finite, got nan"):
        check_real(math.nan, "f", "x")
    with pytest.raises(ValueError, match=r"^f: argument 'x' must be a number, not NaN"):
        check_real(np.float64("nan"), "f", "x", finite=False)
    with pytest.raises(ValueError, match=r"^f: argument 'x' must be finite, got -inf"):
        check_real(-(10**400), "f", "x")  # too large for a float: no OverflowError
    assert check_real(10**400, "f", "x", finite=False) == math.inf


def test_check_nonnegative_and_positive_draw_the_line_at_zero():
    assert check_nonnegative(0, "f", "x") == 0.0
    assert check_positive(1e-300, "f", "x") == 1e-300
    with pytest.raises(ValueError, match=r"^f: argument 'x' must be >= 0, got -1e-300"):
        check_nonnegative(-1e-300, "f", "x")
    with pytest.raises(ValueError, match=r"^f: argument 'x' must be > 0, got 0.0"):
        check_positive(0.0, "f", "x")
    with pytest.raises(ValueError, match=r"must be finite"):
        check_positive(math.inf, "f", "x")


def test_check_int_takes_ints_only_and_a_minimum():
    assert check_int(np.uint8(7), "f", "n") == 7
    assert check_int(-5, "f", "n") == -5  # no minimum
    assert check_int(2, "f", "n", 2) == 2
    for bad in (True, 2.0, "2", np.float64(2)):
        with pytest.raises(TypeError, match=r"^f: argument 'n' must be an int, got "):
            check_int(bad, "f", "n", 1)
    with pytest.raises(ValueError, match=r"^f: argument 'n' must be >= 2, got 1"):
        check_int(1, "f", "n", 2)
