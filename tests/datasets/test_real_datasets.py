"""Loaders on the real files, checked against published facts (shared data README).

Every expected value here comes from the data sets' documentation or from a
second, independent file of the same data, never from this package's output.
"""

import csv

import numpy as np
import pytest

from autograd_core.datasets import (
    FASHION_MNIST_CLASSES,
    load_california_housing,
    load_fashion_mnist,
    load_iris,
    load_mnist,
)

MNIST_FILES = [f"{split}-{kind}.gz" for split in ("train", "t10k")
               for kind in ("images-idx3-ubyte", "labels-idx1-ubyte")]


def test_mnist_counts_labels_and_pixels(real_data):
    root = real_data(*(f"mnist/{n}" for n in MNIST_FILES))
    (X_train, y_train), (X_test, y_test) = load_mnist(root)

    assert X_train.shape == (60000, 28, 28) and X_train.dtype == np.uint8
    assert X_test.shape == (10000, 28, 28) and X_test.dtype == np.uint8
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842,
                                             5421, 5918, 6265, 5851, 5949]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982,
                                            892, 958, 1028, 974, 1009]
    assert X_train.mean() / 255 == pytest.approx(0.1307, abs=5e-5)
    assert X_test.mean() / 255 == pytest.approx(0.1325, abs=5e-5)


def test_mnist_as_float32_equals_the_scaled_uint8_images(real_data):
    root = real_data(*(f"mnist/{n}" for n in MNIST_FILES))
    (X_train, y_train), (X_test, _) = load_mnist(root)
    (F_train, y_float), (F_test, _) = load_mnist(root, dtype="float32")
    assert F_train.dtype == np.float32 and F_train.shape == (60000, 28, 28)
    np.testing.assert_array_equal(F_train, (X_train / 255.0).astype(np.float32))
    np.testing.assert_array_equal(F_test, (X_test / 255.0).astype(np.float32))
    np.testing.assert_array_equal(y_float, y_train)


def test_mnist_found_through_env_var(real_data, monkeypatch):
    root = real_data(*(f"mnist/{n}" for n in MNIST_FILES))
    monkeypatch.setenv("AUTOGRAD_CORE_DATA", str(root))
    (_, y_train), _ = load_mnist()
    assert y_train.shape == (60000,)


def test_fashion_mnist_counts_and_labels(real_data):
    root = real_data(*(f"fashion-mnist/{n}" for n in MNIST_FILES))
    (X_train, y_train), (X_test, y_test) = load_fashion_mnist(root)

    assert X_train.shape == (60000, 28, 28) and X_test.shape == (10000, 28, 28)
    assert y_train[:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert y_test[:10].tolist() == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    assert X_train.mean() / 255 == pytest.approx(0.2860, abs=5e-5)
    assert X_test.mean() / 255 == pytest.approx(0.2868, abs=5e-5)


def test_fashion_mnist_class_names():
    assert FASHION_MNIST_CLASSES == (
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    )
    assert load_fashion_mnist.class_names == FASHION_MNIST_CLASSES


def test_california_housing_matches_scikit_learn_layout(real_data):
    root = real_data("california-housing/statlib/cal_housing.data")
    bunch = load_california_housing(root)

    assert bunch.data.shape == (20640, 8) and bunch.data.dtype == np.float64
    assert bunch.target.shape == (20640,)
    assert bunch.feature_names == ["MedInc", "HouseAge", "AveRooms", "AveBedrms",
                                   "Population", "AveOccup", "Latitude", "Longitude"]
    # First row as printed in scikit-learn's documentation and countless tutorials.
    np.testing.assert_allclose(
        bunch.data[0],
        [8.3252, 41.0, 6.98412698, 1.02380952, 322.0, 2.55555556, 37.88, -122.23],
        rtol=1e-8,
    )
    assert bunch.target[0] == pytest.approx(4.526)
    # medianHouseValue: mean 206855.82, capped at 500001 (shared data README).
    assert bunch.target.mean() == pytest.approx(2.0685582, abs=1e-7)
    assert bunch.target.max() == pytest.approx(5.00001)

    X, y = load_california_housing(root, return_X_y=True)
    np.testing.assert_array_equal(X, bunch.data)
    np.testing.assert_array_equal(y, bunch.target)


def test_california_housing_agrees_with_handson_ml2_csv(real_data):
    root = real_data("california-housing/statlib/cal_housing.data",
                     "california-housing/handson-ml2/housing.csv")
    X, y = load_california_housing(root, return_X_y=True)
    with open(root / "california-housing/handson-ml2/housing.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 20640
    for i in (0, 1, 5000, 20639):
        row = {k: float(v) for k, v in rows[i].items() if k != "ocean_proximity" and v}
        households = row["households"]
        assert X[i, 0] == pytest.approx(row["median_income"])
        assert X[i, 1] == pytest.approx(row["housing_median_age"])
        assert X[i, 2] == pytest.approx(row["total_rooms"] / households)
        assert X[i, 4] == pytest.approx(row["population"])
        assert X[i, 5] == pytest.approx(row["population"] / households)
        assert (X[i, 6], X[i, 7]) == pytest.approx((row["latitude"], row["longitude"]))
        assert y[i] == pytest.approx(row["median_house_value"] / 100_000)
        if "total_bedrooms" in row:
            assert X[i, 3] == pytest.approx(row["total_bedrooms"] / households)


def test_iris_prefers_scikit_learn_csv(real_data):
    root = real_data("iris/iris.csv")
    bunch = load_iris(root)
    assert bunch.filename.endswith("iris.csv")
    assert bunch.data.shape == (150, 4) and bunch.data.dtype == np.float64
    assert bunch.target.dtype == np.int64
    assert np.bincount(bunch.target).tolist() == [50, 50, 50]
    assert bunch.target_names == ["setosa", "versicolor", "virginica"]
    assert bunch.feature_names == ["sepal length (cm)", "sepal width (cm)",
                                   "petal length (cm)", "petal width (cm)"]
    assert bunch.data[0].tolist() == [5.1, 3.5, 1.4, 0.2]
    # Samples 35 and 38 as corrected to Fisher's paper.
    assert bunch.data[34].tolist() == [4.9, 3.1, 1.5, 0.2]
    assert bunch.data[37].tolist() == [4.9, 3.6, 1.4, 0.1]


def test_iris_falls_back_to_uci_data(real_data, tmp_path):
    root = real_data("iris/iris.data", "iris/iris.csv")
    (tmp_path / "iris").mkdir()
    (tmp_path / "iris" / "iris.data").write_bytes((root / "iris/iris.data").read_bytes())
    uci = load_iris(tmp_path)
    corrected = load_iris(root)
    assert uci.filename.endswith("iris.data")
    assert uci.data.shape == (150, 4) and np.bincount(uci.target).tolist() == [50, 50, 50]
    np.testing.assert_array_equal(uci.target, corrected.target)
    differs = np.flatnonzero((uci.data != corrected.data).any(axis=1))
    assert differs.tolist() == [34, 37]  # the UCI file differs from Fisher in samples 35 and 38
