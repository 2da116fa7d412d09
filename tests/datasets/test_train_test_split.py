"""train_test_split with scikit-learn's semantics."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd_core.datasets import train_test_split


def test_default_is_quarter_test_rounded_up():
    X = np.arange(10)
    train, test = train_test_split(X, random_state=0)
    assert (len(train), len(test)) == (7, 3)  # ceil(0.25 * 10) = 3
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(10))


def test_sizes_as_counts_and_fractions():
    X = np.arange(20)
    assert [len(a) for a in train_test_split(X, test_size=5, random_state=0)] == [15, 5]
    assert [len(a) for a in train_test_split(X, train_size=0.33, random_state=0)] == [6, 14]
    assert [len(a) for a in train_test_split(X, train_size=8, test_size=4, random_state=0)] == [8, 4]


def test_arrays_stay_aligned_and_types_kept():
    X = np.arange(30).reshape(15, 2)
    y = np.arange(15) * 10
    names = [f"s{i}" for i in range(15)]
    X_tr, X_te, y_tr, y_te, n_tr, n_te = train_test_split(X, y, names, test_size=0.2,
                                                          random_state=3)
    np.testing.assert_array_equal(X_tr[:, 0] // 2 * 10, y_tr)
    np.testing.assert_array_equal(X_te[:, 0] // 2 * 10, y_te)
    assert isinstance(n_tr, list) and n_te == [f"s{v // 10}" for v in y_te]


def test_reproducible_with_seed():
    X = np.arange(100)
    a = train_test_split(X, random_state=42)
    b = train_test_split(X, random_state=42)
    c = train_test_split(X, random_state=43)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_no_shuffle_keeps_order():
    train, test = train_test_split(list(range(10)), test_size=0.3, shuffle=False)
    assert train == list(range(7)) and test == [7, 8, 9]


@settings(max_examples=50, deadline=None)
@given(
    counts=st.lists(st.integers(2, 60), min_size=2, max_size=5),
    test_fraction=st.floats(0.1, 0.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_stratify_keeps_class_proportions(counts, test_fraction, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    n = len(y)
    n_test = math.ceil(test_fraction * n)
    assume(n_test >= len(counts) and n - n_test >= len(counts))  # else an error, tested below
    X = np.arange(n)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=test_fraction, stratify=y,
                                              random_state=seed)
    assert len(X_te) == n_test and len(X_tr) == n - n_test
    np.testing.assert_array_equal(y[X_te], y_te)
    assert sorted(np.concatenate([X_tr, X_te]).tolist()) == list(range(n))
    counts = np.array(counts)
    # Each class's test count is its exact share, rounded one way or the other.
    assert np.all(np.abs(np.bincount(y_te, minlength=len(counts)) - n_test * counts / n) < 1)


def test_stratify_on_uneven_classes():
    y = np.array([0] * 80 + [1] * 20)
    _, _, y_tr, y_te = train_test_split(np.zeros(100), y, test_size=0.25, stratify=y,
                                        random_state=0)
    assert np.bincount(y_te).tolist() == [20, 5]
    assert np.bincount(y_tr).tolist() == [60, 15]


def test_stratify_errors():
    with pytest.raises(ValueError, match="only 1 member"):
        train_test_split(np.arange(5), stratify=[0, 0, 0, 0, 1])
    with pytest.raises(ValueError, match="shuffle=True"):
        train_test_split(np.arange(4), stratify=[0, 0, 1, 1], shuffle=False)


def test_size_errors():
    with pytest.raises(ValueError, match="different lengths"):
        train_test_split(np.arange(3), np.arange(4))
    with pytest.raises(ValueError, match="exceed"):
        train_test_split(np.arange(10), train_size=8, test_size=3)
    with pytest.raises(ValueError, match="test_size=1.5"):
        train_test_split(np.arange(10), test_size=1.5)
    with pytest.raises(ValueError, match="test_size=10"):
        train_test_split(np.arange(10), test_size=10)
