"""The floating-point kernels are pinned (Makefile, conf/conf.py), so the chapters' long
training runs round the same way on every x86-64 machine, whatever its CPU offers."""

from __future__ import annotations

import ctypes
import os
import platform
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.skipif(platform.machine() != "x86_64", reason="the pin is for x86-64")


def test_openblas_runs_its_haswell_kernels() -> None:
    libs = sorted((Path(np.__file__).parent.parent / "numpy.libs").glob("libscipy_openblas*"))
    assert libs, "NumPy's bundled OpenBLAS not found"
    corename = ctypes.CDLL(str(libs[0])).scipy_openblas_get_corename64_
    corename.restype = ctypes.c_char_p
    assert corename() == b"Haswell", (os.environ.get("OPENBLAS_CORETYPE"), corename())


def test_numpy_dispatches_no_avx512_kernels() -> None:
    from numpy._core._multiarray_umath import __cpu_features__

    assert os.environ.get("NPY_DISABLE_CPU_FEATURES", "").split() == [
        "X86_V4",
        "AVX512_ICL",
        "AVX512_SPR",
    ]
    assert not any(__cpu_features__.get(f) for f in ("X86_V4", "AVX512_ICL", "AVX512_SPR"))
