"""Synthetic generators: shapes, labels, geometry and seeding."""

import numpy as np
import pytest

from autograd_core.datasets import (
    make_blobs,
    make_circles,
    make_moons,
    make_regression,
    make_spirals,
    make_xor,
)

CLASSIFIERS = [
    (make_xor, {}),
    (make_moons, {"noise": 0.1}),
    (make_circles, {"noise": 0.05, "factor": 0.5}),
    (make_spirals, {"n_classes": 3, "noise": 0.1}),
    (make_blobs, {"centers": 4, "cluster_std": 0.5}),
]


@pytest.mark.parametrize("make,kwargs", CLASSIFIERS, ids=lambda v: getattr(v, "__name__", ""))
def test_shapes_dtypes_and_labels(make, kwargs):
    X, y = make(101, random_state=0, **kwargs)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype == np.int64
    assert np.isfinite(X).all()
    n_classes = {"make_spirals": 3, "make_blobs": 4}.get(make.__name__, 2)
    assert set(np.unique(y).tolist()) == set(range(n_classes))


@pytest.mark.parametrize("make,kwargs", CLASSIFIERS, ids=lambda v: getattr(v, "__name__", ""))
def test_seed_reproducible_and_seeds_differ(make, kwargs):
    X1, y1 = make(50, random_state=7, **kwargs)
    X2, y2 = make(50, random_state=7, **kwargs)
    X3, _ = make(50, random_state=8, **kwargs)
    X4, y4 = make(50, random_state=np.random.default_rng(7), **kwargs)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(X1, X4)
    np.testing.assert_array_equal(y1, y4)
    assert not np.array_equal(X1, X3)


def test_make_xor_labels_are_sign_xor():
    X, y = make_xor(500, random_state=1)
    assert np.all(np.abs(X) <= 1)
    np.testing.assert_array_equal(y, ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int))
    assert 150 < y.sum() < 350


def test_make_moons_geometry_without_noise():
    X, y = make_moons(200, random_state=0)
    upper, lower = X[y == 0], X[y == 1]
    assert len(upper) == len(lower) == 100
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_make_circles_geometry_without_noise():
    X, y = make_circles(100, factor=0.3, random_state=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)
    with pytest.raises(ValueError, match="factor"):
        make_circles(10, factor=1.0)


def test_make_spirals_arms_balanced_and_inside_unit_disc():
    X, y = make_spirals(301, n_classes=3, random_state=0)
    assert sorted(np.bincount(y).tolist()) == [100, 100, 101]
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1 + 1e-12)


def test_make_blobs_given_centers_and_std():
    centers = np.array([[0.0, 0.0], [20.0, 20.0], [-20.0, 20.0]])
    X, y = make_blobs([300, 200, 100], centers=centers, cluster_std=[0.5, 1.0, 2.0],
                      random_state=0)
    assert np.bincount(y).tolist() == [300, 200, 100]
    for k, std in enumerate([0.5, 1.0, 2.0]):
        pts = X[y == k]
        np.testing.assert_allclose(pts.mean(axis=0), centers[k], atol=4 * std / np.sqrt(len(pts)))
        np.testing.assert_allclose(pts.std(axis=0), std, rtol=0.2)


def test_make_blobs_random_centers_in_box_and_n_features():
    X, y = make_blobs(90, n_features=5, centers=3, cluster_std=0.01, center_box=(2, 3),
                      random_state=0)
    assert X.shape == (90, 5) and np.bincount(y).tolist() == [30, 30, 30]
    assert np.all((X > 1.9) & (X < 3.1))


def test_make_regression_is_linear_without_noise():
    X, y, w = make_regression(80, 6, n_informative=3, bias=2.5, coef=True, random_state=0)
    assert X.shape == (80, 6) and y.shape == (80,) and w.shape == (6,)
    assert y.dtype == np.float64
    assert np.count_nonzero(w) == 3 and np.all((w >= 0) & (w < 100))
    np.testing.assert_allclose(y, X @ w + 2.5)


def test_make_regression_noise_has_requested_scale():
    X, y, w = make_regression(4000, 3, n_informative=3, noise=2.0, coef=True, random_state=0)
    assert np.std(y - X @ w) == pytest.approx(2.0, rel=0.05)
    _, Y = make_regression(10, 3, n_targets=2, random_state=0)
    assert Y.shape == (10, 2)


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_samples"):
        make_moons(0)
    with pytest.raises(TypeError, match="random_state"):
        make_xor(10, random_state="seed")
