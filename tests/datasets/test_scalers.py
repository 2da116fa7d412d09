"""StandardScaler, MinMaxScaler and one_hot against their formulas."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_core.datasets import MinMaxScaler, NotFittedError, StandardScaler, one_hot

# Integer-valued floats: a column's spread is either exactly 0 or at least 1,
# so "constant column" is unambiguous.
matrices = hnp.arrays(
    dtype=np.float64,
    shape=hnp.array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=12),
    elements=st.integers(-1000, 1000).map(float),
)


@settings(max_examples=60, deadline=None)
@given(X=matrices)
def test_standard_scaler_formula_and_round_trip(X):
    scaler = StandardScaler().fit(X)
    mean = X.sum(axis=0) / len(X)
    std = np.sqrt(((X - mean) ** 2).sum(axis=0) / len(X))
    expected = np.where(std > 0, (X - mean) / np.where(std > 0, std, 1), 0.0)

    Z = scaler.transform(X)
    np.testing.assert_allclose(Z, expected, atol=1e-9)
    np.testing.assert_allclose(scaler.fit_transform(X), Z)
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, atol=1e-9)
    np.testing.assert_allclose(scaler.scale_, np.where(std > 0, std, 1.0))


@settings(max_examples=60, deadline=None)
@given(X=matrices, lo=st.integers(-5, 4))
def test_min_max_scaler_formula_and_round_trip(X, lo):
    hi = lo + 2
    scaler = MinMaxScaler(feature_range=(lo, hi)).fit(X)
    xmin, xmax = X.min(axis=0), X.max(axis=0)
    span = xmax - xmin
    expected = np.where(span > 0, lo + (X - xmin) * (hi - lo) / np.where(span > 0, span, 1), lo)

    Z = scaler.transform(X)
    np.testing.assert_allclose(Z, expected, atol=1e-9)
    assert Z.min() >= lo - 1e-9 and Z.max() <= hi + 1e-9
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, atol=1e-7)


def test_constant_column_is_not_blown_up():
    X = np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 3.0]])  # 0.1 is not exact in binary
    Z = StandardScaler().fit_transform(X)
    np.testing.assert_allclose(Z[:, 0], 0.0, atol=1e-12)
    np.testing.assert_allclose(MinMaxScaler().fit_transform(X)[:, 0], 0.0)


def test_standard_scaler_options():
    X = np.array([[1.0, 10.0], [3.0, 30.0]])
    np.testing.assert_allclose(StandardScaler(with_std=False).fit_transform(X),
                               [[-1.0, -10.0], [1.0, 10.0]])
    np.testing.assert_allclose(StandardScaler(with_mean=False).fit_transform(X),
                               [[1.0, 1.0], [3.0, 3.0]])


def test_integer_input_gives_float_and_float32_is_kept():
    Z = StandardScaler().fit_transform(np.array([[1, 2], [3, 4]]))
    assert Z.dtype == np.float64
    X32 = np.array([[1, 2], [3, 5]], dtype=np.float32)
    assert StandardScaler().fit_transform(X32).dtype == np.float32
    assert MinMaxScaler().fit_transform(X32).dtype == np.float32


@pytest.mark.parametrize("Scaler", [StandardScaler, MinMaxScaler])
def test_errors_name_the_problem(Scaler):
    with pytest.raises(NotFittedError, match=f"{Scaler.__name__} is not fitted"):
        Scaler().transform(np.ones((2, 2)))
    scaler = Scaler().fit(np.arange(12.0).reshape(4, 3))
    with pytest.raises(ValueError, match=r"shape \(5, 2\).*fitted on shape \(4, 3\)"):
        scaler.transform(np.ones((5, 2)))
    with pytest.raises(ValueError, match=r"inverse_transform.*\(1, 4\)"):
        scaler.inverse_transform(np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"2-D.*shape \(3,\).*reshape"):
        Scaler().fit(np.ones(3))


def test_min_max_scaler_rejects_bad_range():
    with pytest.raises(ValueError, match="feature_range"):
        MinMaxScaler(feature_range=(1, 0))


@settings(max_examples=40, deadline=None)
@given(y=hnp.arrays(np.int64, st.integers(0, 30), elements=st.integers(0, 6)))
def test_one_hot_rows(y):
    out = one_hot(y, num_classes=7)
    assert out.shape == (len(y), 7) and out.dtype == np.float64
    np.testing.assert_array_equal(out.sum(axis=1), 1.0)
    np.testing.assert_array_equal(out.argmax(axis=1), y)


def test_one_hot_defaults_and_errors():
    np.testing.assert_array_equal(one_hot([2, 0]), [[0, 0, 1], [1, 0, 0]])
    assert one_hot([1], num_classes=3, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match=r"\[0, 2\].*max 3"):
        one_hot([0, 3], num_classes=3)
    with pytest.raises(ValueError, match="min -1"):
        one_hot([-1, 0])
    with pytest.raises(ValueError, match="1-D"):
        one_hot([[0, 1]])
