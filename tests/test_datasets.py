"""Tests for nnbook.book.datasets: shapes, dtypes, geometry, determinism, validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.book import datasets as ds

# ---------------------------------------------------------------- truth tables


@pytest.mark.parametrize(
    ("make", "truth"),
    [
        (ds.xor, np.logical_xor),
        (ds.and_gate, np.logical_and),
        (ds.or_gate, np.logical_or),
    ],
)
def test_gate_truth_tables(make: Callable[[], Any], truth: Any) -> None:
    X, y = make()
    assert X.shape == (4, 2) and X.dtype == np.float64
    assert y.shape == (4,) and y.dtype == np.float64
    # All four corners of the unit square, each once, in the order 00, 01, 10, 11.
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    np.testing.assert_array_equal(y, truth(X[:, 0] == 1, X[:, 1] == 1).astype(float))


def test_gate_truth_values_spelled_out() -> None:
    assert ds.xor()[1].tolist() == [0, 1, 1, 0]
    assert ds.and_gate()[1].tolist() == [0, 0, 0, 1]
    assert ds.or_gate()[1].tolist() == [0, 1, 1, 1]


def test_gates_return_fresh_arrays() -> None:
    X, y = ds.xor()
    X[:] = 7.0
    y[:] = 7.0
    X2, y2 = ds.xor()
    assert X2[3].tolist() == [1, 1] and y2.tolist() == [0, 1, 1, 0]


# ---------------------------------------------------------------- two moons


@pytest.mark.parametrize("n", [2, 3, 100, 101])
def test_two_moons_shapes_and_balance(n: int) -> None:
    X, y = ds.two_moons(n, rng=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.float64
    assert set(np.unique(y).tolist()) == {0.0, 1.0}
    # Upper moon gets floor(n/2) points, lower the rest.
    assert int((y == 0).sum()) == n // 2
    assert int((y == 1).sum()) == n - n // 2


def test_two_moons_noiseless_points_lie_on_the_half_circles() -> None:
    X, y = ds.two_moons(41, noise=0.0, rng=1)
    up, low = X[y == 0], X[y == 1]
    # Upper moon: (cos t, sin t), t in [0, pi]: unit circle about (0, 0), upper half.
    np.testing.assert_allclose(np.hypot(up[:, 0], up[:, 1]), 1.0)
    assert np.all(up[:, 1] >= -1e-12)
    # Lower moon: (1 - cos t, 1/2 - sin t): unit circle about (1, 1/2), lower half.
    np.testing.assert_allclose(np.hypot(low[:, 0] - 1, low[:, 1] - 0.5), 1.0)
    assert np.all(low[:, 1] <= 0.5 + 1e-12)
    # t evenly spaced on [0, pi]: the upper moon's angles are linspace(0, pi, 20).
    angles = np.sort(np.arctan2(up[:, 1], up[:, 0]))
    np.testing.assert_allclose(angles, np.linspace(0, np.pi, 20), atol=1e-12)


def test_two_moons_noise_has_the_requested_spread() -> None:
    sigma, n = 0.05, 8000
    X, y = ds.two_moons(n, noise=sigma, rng=2)
    up = X[y == 0]
    # For small sigma the distance to the circle, |p| - 1, is the radial component of
    # isotropic N(0, sigma^2 I) noise, i.e. ~N(0, sigma^2) up to O(sigma^2) = 0.0025
    # bias. Standard error of a sample std from m = 4000 normals: sigma / sqrt(2m).
    radial = np.hypot(up[:, 0], up[:, 1]) - 1.0
    se_std = sigma / np.sqrt(2 * len(radial))
    assert abs(radial.std() - sigma) < 5 * se_std + sigma**2
    assert abs(radial.mean()) < 5 * sigma / np.sqrt(len(radial)) + sigma**2


def test_two_moons_rows_are_shuffled() -> None:
    _, y = ds.two_moons(200, rng=3)
    # Unshuffled, the first 100 labels would all be 0; shuffled, about half are 1.
    assert 0 < y[:100].sum() < 100


# ---------------------------------------------------------------- spirals


@pytest.mark.parametrize(("n", "k"), [(1, 2), (50, 2), (30, 3), (7, 5)])
def test_spirals_shapes_dtypes_and_balance(n: int, k: int) -> None:
    X, y = ds.spirals(n, n_classes=k, rng=0)
    assert X.shape == (n * k, 2) and X.dtype == np.float64
    assert y.shape == (n * k,) and y.dtype == np.int64
    assert np.bincount(y, minlength=k).tolist() == [n] * k
    # r <= 1 by construction: every point lies in the unit disc.
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1 + 1e-12)


def test_spirals_noiseless_geometry() -> None:
    n, k = 40, 3
    X, y = ds.spirals(n, n_classes=k, noise=0.0, rng=5)
    r = np.hypot(X[:, 0], X[:, 1])
    theta = np.arctan2(X[:, 1], X[:, 0])
    for c in range(k):
        # Radii are exactly i/N, i = 1..N, for every class.
        np.testing.assert_allclose(np.sort(r[y == c]), np.arange(1, n + 1) / n)
    # theta = 2 pi c / K + 4 r, modulo 2 pi.
    wrapped = np.angle(np.exp(1j * (theta - 2 * np.pi * y / k - 4 * r)))
    np.testing.assert_allclose(wrapped, 0.0, atol=1e-9)


def test_spirals_angle_noise_has_the_requested_spread() -> None:
    sigma, n, k = 0.2, 3000, 2
    X, y = ds.spirals(n, n_classes=k, noise=sigma, rng=6)
    r = np.hypot(X[:, 0], X[:, 1])
    theta = np.arctan2(X[:, 1], X[:, 0])
    eps = np.angle(np.exp(1j * (theta - 2 * np.pi * y / k - 4 * r)))
    # Wrapping to (-pi, pi] is harmless: P(|N(0, 0.04)| > pi) is ~1e-55.
    se_std = sigma / np.sqrt(2 * eps.size)
    assert abs(eps.std() - sigma) < 5 * se_std
    assert abs(eps.mean()) < 5 * sigma / np.sqrt(eps.size)
    # Noise is on the angle only: radii remain exactly i/N.
    np.testing.assert_allclose(np.sort(r[y == 0]), np.arange(1, n + 1) / n)


# ---------------------------------------------------------------- blobs


def test_blobs_shapes_means_and_spread() -> None:
    centers = np.array([[-3.0, 0.0], [3.0, 1.0], [0.0, 5.0]])
    n, std = 2000, 0.7
    X, y = ds.blobs(n, centers, std=std, rng=0)
    assert X.shape == (3 * n, 2) and X.dtype == np.float64
    assert y.shape == (3 * n,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [n, n, n]
    for c in range(3):
        pts = X[y == c]
        # Sample mean: standard error std / sqrt(n) per coordinate.
        assert np.all(np.abs(pts.mean(axis=0) - centers[c]) < 5 * std / np.sqrt(n))
        # Sample std: standard error std / sqrt(2 n).
        assert np.all(np.abs(pts.std(axis=0) - std) < 5 * std / np.sqrt(2 * n))


def test_blobs_zero_std_and_other_dimensions() -> None:
    X, y = ds.blobs(3, [[1.0], [2.0]], std=0.0, rng=0)
    assert X.shape == (6, 1)
    np.testing.assert_array_equal(X[:, 0], y + 1.0)
    X3, _ = ds.blobs(2, [[0, 0, 0]], rng=0)
    assert X3.shape == (2, 3)


# ---------------------------------------------------------------- line with outliers


def test_line_with_outliers_noiseless_places_outliers_in_the_last_rows() -> None:
    X, y = ds.line_with_outliers(
        20, slope=-1.5, intercept=4.0, noise=0.0, n_outliers=3, outlier_shift=7.0, rng=0
    )
    assert X.shape == (20, 1) and y.shape == (20,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    line = 4.0 - 1.5 * X[:, 0]
    np.testing.assert_allclose(y[:-3], line[:-3])
    np.testing.assert_allclose(y[-3:], line[-3:] + 7.0)
    assert np.all((X >= 0) & (X < 5))


def test_line_with_outliers_default_count_and_direction() -> None:
    X, y = ds.line_with_outliers(rng=1)
    resid = y - (1.0 + 2.0 * X[:, 0])
    # Inliers: |noise| <= 5 sigma = 2.5; outliers: shift 10 minus at most 2.5.
    assert np.all(np.abs(resid[:-5]) < 2.5)
    assert np.all(resid[-5:] > 7.5)


def test_line_with_outliers_inliers_fit_the_true_line() -> None:
    n, noise = 4000, 0.5
    X, y = ds.line_with_outliers(n, noise=noise, n_outliers=0, rng=2)
    slope, _ = np.polyfit(X[:, 0], y, 1)
    # OLS with x ~ U(0, 5): Var(x) = 25/12, se(slope) = noise / sqrt(n Var x).
    assert abs(slope - 2.0) < 5 * noise / np.sqrt(n * 25 / 12)
    resid = y - (1.0 + 2.0 * X[:, 0])
    assert abs(resid.std() - noise) < 5 * noise / np.sqrt(2 * n)


def test_line_with_outliers_pulls_least_squares_not_median() -> None:
    # The point of the data set: the mean of y - line shifts, the median does not.
    X, y = ds.line_with_outliers(200, n_outliers=40, outlier_shift=10.0, rng=3)
    resid = y - (1.0 + 2.0 * X[:, 0])
    assert resid.mean() > 1.5  # about 10 * 40 / 200 = 2
    assert abs(np.median(resid)) < 0.2


def test_line_with_outliers_all_outliers_allowed() -> None:
    X, y = ds.line_with_outliers(5, noise=0.0, n_outliers=5, outlier_shift=-2.0, rng=0)
    np.testing.assert_allclose(y, 1.0 + 2.0 * X[:, 0] - 2.0)


# ---------------------------------------------------------------- determinism


RANDOM_MAKERS: dict[str, Callable[[int, Any], tuple[np.ndarray, np.ndarray]]] = {
    "two_moons": lambda n, rng: ds.two_moons(n + 1, rng=rng),
    "spirals": lambda n, rng: ds.spirals(n, n_classes=3, rng=rng),
    "blobs": lambda n, rng: ds.blobs(n, [[0, 0], [4, 4]], rng=rng),
    "line_with_outliers": lambda n, rng: ds.line_with_outliers(n + 1, n_outliers=1, rng=rng),
}


@settings(max_examples=30, deadline=None)
@given(
    name=st.sampled_from(sorted(RANDOM_MAKERS)),
    n=st.integers(1, 60),
    seed=st.integers(0, 2**32 - 1),
)
def test_same_seed_same_data(name: str, n: int, seed: int) -> None:
    make = RANDOM_MAKERS[name]
    X1, y1 = make(n, seed)
    X2, y2 = make(n, np.random.default_rng(seed))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert X1.dtype == np.float64 and X1.shape[0] == y1.shape[0]
    assert np.all(np.isfinite(X1)) and np.all(np.isfinite(y1))


@pytest.mark.parametrize("name", sorted(RANDOM_MAKERS))
def test_different_seeds_differ_and_global_state_is_untouched(name: str) -> None:
    state = np.random.get_state()  # noqa: NPY002 (checking the legacy state is untouched)
    X1, _ = RANDOM_MAKERS[name](30, 0)
    X2, _ = RANDOM_MAKERS[name](30, 1)
    assert not np.array_equal(X1, X2)
    after = np.random.get_state()  # noqa: NPY002 (checking the legacy state is untouched)
    np.testing.assert_array_equal(state[1], after[1])
    assert state[2] == after[2]


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 300), seed=st.integers(0, 10_000))
def test_two_moons_balance_property(n: int, seed: int) -> None:
    _, y = ds.two_moons(n, rng=seed)
    assert abs(int(y.sum()) - int((1 - y).sum())) <= 1


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("call", "exc", "pattern"),
    [
        (lambda: ds.two_moons(1, rng=0), ValueError, r"^two_moons: argument 'n' must be >= 2"),
        (lambda: ds.two_moons(0, rng=0), ValueError, r"^two_moons: argument 'n'"),
        (lambda: ds.two_moons(10.0, rng=0), TypeError, r"^two_moons: argument 'n' must be an int"),
        (lambda: ds.two_moons(True, rng=0), TypeError, r"^two_moons: argument 'n'"),
        (lambda: ds.two_moons(10, -0.1, rng=0), ValueError, r"^two_moons: argument 'noise'"),
        (lambda: ds.two_moons(10, np.nan, rng=0), ValueError, r"'noise' must be finite"),
        (lambda: ds.two_moons(10, "a", rng=0), TypeError, r"'noise' must be a real number"),
        (lambda: ds.two_moons(10, rng=None), TypeError, r"^two_moons: argument 'rng'"),
        (lambda: ds.spirals(0, rng=0), ValueError, r"^spirals: argument 'n_per_class'"),
        (lambda: ds.spirals(5, 1, rng=0), ValueError, r"^spirals: argument 'n_classes'"),
        (lambda: ds.spirals(5, 2, -1.0, rng=0), ValueError, r"^spirals: argument 'noise'"),
        (lambda: ds.spirals(5, rng=-1), ValueError, r"^spirals: argument 'rng'"),
        (lambda: ds.blobs(0, [[0, 0]], rng=0), ValueError, r"^blobs: argument 'n_per_class'"),
        (lambda: ds.blobs(5, [0, 0], rng=0), ValueError, r"^blobs: argument 'centers'.*\(2,\)"),
        (lambda: ds.blobs(5, np.zeros((0, 2)), rng=0), ValueError, r"^blobs: argument 'centers'"),
        (lambda: ds.blobs(5, [[0, np.inf]], rng=0), ValueError, r"'centers' must be finite"),
        (lambda: ds.blobs(5, [["a", "b"]], rng=0), TypeError, r"^blobs: argument 'centers'"),
        (lambda: ds.blobs(5, [[0, 0]], std=-1, rng=0), ValueError, r"^blobs: argument 'std'"),
        (lambda: ds.line_with_outliers(1, rng=0), ValueError, r"^line_with_outliers: .*'n'"),
        (
            lambda: ds.line_with_outliers(10, n_outliers=11, rng=0),
            ValueError,
            r"^line_with_outliers: argument 'n_outliers' must be <= n = 10, got 11",
        ),
        (
            lambda: ds.line_with_outliers(10, n_outliers=-1, rng=0),
            ValueError,
            r"^line_with_outliers: argument 'n_outliers'",
        ),
        (lambda: ds.line_with_outliers(slope=np.inf, rng=0), ValueError, r"'slope'"),
        (lambda: ds.line_with_outliers(intercept=None, rng=0), TypeError, r"'intercept'"),
        (lambda: ds.line_with_outliers(noise=-0.5, rng=0), ValueError, r"'noise' must be >= 0"),
        (
            lambda: ds.line_with_outliers(outlier_shift=np.nan, rng=0),
            ValueError,
            r"'outlier_shift'",
        ),
    ],
)
def test_bad_arguments_are_refused_with_clear_messages(
    call: Callable[[], Any], exc: type[Exception], pattern: str
) -> None:
    with pytest.raises(exc, match=pattern):
        call()


def test_numpy_scalars_are_accepted() -> None:
    X, _ = ds.two_moons(np.int64(10), noise=np.float32(0.1), rng=np.int64(3))
    assert X.shape == (10, 2)
