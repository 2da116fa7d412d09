"""The small data shipped inside the package."""

from pathlib import Path

import numpy as np
import pytest

from autograd_core import datasets
from autograd_core.datasets import load_iris, load_mnist, load_mnist_small

SHIPPED = Path(datasets.__file__).parent / "_shipped"
# Per-class counts of the full MNIST splits (shared data README).
MNIST_TRAIN_COUNTS = np.array([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
MNIST_TEST_COUNTS = np.array([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])


def test_mnist_small_shapes_and_dtypes():
    (X_train, y_train), (X_test, y_test) = load_mnist_small()
    assert X_train.shape == (5000, 28, 28) and X_train.dtype == np.uint8
    assert X_test.shape == (1000, 28, 28) and X_test.dtype == np.uint8
    assert y_train.shape == (5000,) and y_train.dtype == np.int64
    assert y_test.shape == (1000,) and y_test.dtype == np.int64
    assert 0 < X_train.max() <= 255


@pytest.mark.parametrize("split,size,full_counts", [
    (0, 5000, MNIST_TRAIN_COUNTS), (1, 1000, MNIST_TEST_COUNTS)])
def test_mnist_small_is_stratified(split, size, full_counts):
    y = load_mnist_small()[split][1]
    expected = size * full_counts / full_counts.sum()
    assert np.all(np.abs(np.bincount(y, minlength=10) - expected) <= 1)


def test_mnist_small_is_a_subset_of_real_mnist(real_data):
    root = real_data("mnist/train-images-idx3-ubyte.gz", "mnist/train-labels-idx1-ubyte.gz",
                     "mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz")
    full = load_mnist(root)
    small = load_mnist_small()
    with np.load(SHIPPED / "mnist_small.npz") as f:
        index = {0: f["train_index"], 1: f["test_index"]}
    for split in (0, 1):
        assert len(np.unique(index[split])) == len(index[split])
        np.testing.assert_array_equal(small[split][0], full[split][0][index[split]])
        np.testing.assert_array_equal(small[split][1], full[split][1][index[split]])


def test_shipped_files_are_small_and_documented():
    assert (SHIPPED / "mnist_small.npz").stat().st_size < 5_000_000
    readme = (SHIPPED / "README.md").read_text()
    for needle in ("CC BY-SA 3.0", "LeCun", "Cortes", "Burges", "CC BY 4.0", "Fisher",
                   "UCI", "scripts/make_shipped_data.py"):
        assert needle in readme


def test_load_iris_falls_back_to_shipped_copy():
    bunch = load_iris()  # no data_dir, no env var, empty cache (see conftest)
    assert Path(bunch.filename) == SHIPPED / "iris.csv"
    assert bunch.data.shape == (150, 4)
    assert np.bincount(bunch.target).tolist() == [50, 50, 50]
    assert bunch.data[0].tolist() == [5.1, 3.5, 1.4, 0.2]
    X, y = load_iris(return_X_y=True)
    np.testing.assert_array_equal(X, bunch.data)


def test_shipped_iris_equals_shared_copy(real_data):
    root = real_data("iris/iris.csv")
    assert (SHIPPED / "iris.csv").read_bytes() == (root / "iris/iris.csv").read_bytes()
