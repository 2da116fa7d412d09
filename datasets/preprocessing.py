"""Feature scaling and label encoding on NumPy arrays.

The scalers follow scikit-learn's ``StandardScaler`` and ``MinMaxScaler``:
``fit`` learns per-column statistics from an array of shape
(n_samples, n_features); ``transform`` applies them; constant columns are left
unscaled instead of dividing by zero.
"""

from __future__ import annotations

import numpy as np


class NotFittedError(ValueError, AttributeError):
    """A scaler was used before ``fit`` was called."""


def _as_2d_float(X, who: str) -> np.ndarray:
    X = np.asarray(X)
    if X.ndim != 2:
        hint = " Use X.reshape(-1, 1) for a single feature." if X.ndim == 1 else ""
        raise ValueError(f"{who}: expected a 2-D array (n_samples, n_features), "
                         f"got shape {X.shape}.{hint}")
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    return X


def _constant_columns(var, mean, n_samples) -> np.ndarray:
    """Columns whose variance is within float rounding of zero (scikit-learn's bound)."""
    eps = np.finfo(np.float64).eps
    upper = n_samples * eps * var + (n_samples * mean * eps) ** 2
    return var <= upper


class _Scaler:
    """Shared fit/transform plumbing: input checks and fitted-state checks."""

    def _fitted_on(self):
        shape = getattr(self, "_fit_shape", None)
        if shape is None:
            raise NotFittedError(
                f"{type(self).__name__} is not fitted yet; call fit(X) or fit_transform(X) first"
            )
        return shape

    def _check(self, X, method: str) -> np.ndarray:
        shape = self._fitted_on()
        X = _as_2d_float(X, f"{type(self).__name__}.{method}")
        if X.shape[1] != shape[1]:
            raise ValueError(
                f"{type(self).__name__}.{method}: X has shape {X.shape} ({X.shape[1]} "
                f"features) but the scaler was fitted on shape {shape} ({shape[1]} features)"
            )
        return X

    def fit_transform(self, X):
        """Fit to ``X`` then transform it.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)

        Returns
        -------
        ndarray, shape (n_samples, n_features)
        """
        return self.fit(X).transform(X)


class StandardScaler(_Scaler):
    """Standardise columns: ``z = (x - mean_) / scale_``.

    Parameters
    ----------
    with_mean : bool, default True
        Subtract the column mean.
    with_std : bool, default True
        Divide by the column standard deviation (population, ``ddof=0``).

    Attributes
    ----------
    mean_ : ndarray, shape (n_features,) or None
    var_ : ndarray, shape (n_features,) or None
    scale_ : ndarray, shape (n_features,) or None
        Standard deviation, with 1.0 for constant columns.
    n_features_in_ : int
    """

    def __init__(self, *, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std
        self._fit_shape = None

    def fit(self, X):
        """Learn column means and standard deviations.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)

        Returns
        -------
        self
        """
        X = _as_2d_float(X, "StandardScaler.fit")
        if X.shape[0] == 0:
            raise ValueError(f"StandardScaler.fit: X has 0 samples (shape {X.shape})")
        mean = X.mean(axis=0, dtype=np.float64)
        var = X.var(axis=0, dtype=np.float64)
        scale = np.sqrt(var)
        scale[_constant_columns(var, mean, X.shape[0])] = 1.0
        self.mean_ = mean if self.with_mean else None
        self.var_ = var if self.with_std else None
        self.scale_ = scale if self.with_std else None
        self.n_features_in_ = X.shape[1]
        self._fit_shape = X.shape
        return self

    def transform(self, X):
        """Standardise ``X`` with the fitted statistics.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)

        Returns
        -------
        ndarray, shape (n_samples, n_features)
            Same floating dtype as ``X`` (float64 for integer input).
        """
        X = self._check(X, "transform")
        out = X
        if self.with_mean:
            out = out - self.mean_.astype(X.dtype)
        if self.with_std:
            out = out / self.scale_.astype(X.dtype)
        return out.copy() if out is X else out

    def inverse_transform(self, X):
        """Undo :meth:`transform`: ``x = z * scale_ + mean_``.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)

        Returns
        -------
        ndarray, shape (n_samples, n_features)
        """
        X = self._check(X, "inverse_transform")
        out = X
        if self.with_std:
            out = out * self.scale_.astype(X.dtype)
        if self.with_mean:
            out = out + self.mean_.astype(X.dtype)
        return out.copy() if out is X else out


class MinMaxScaler(_Scaler):
    """Rescale each column linearly so its fitted min/max map to ``feature_range``.

    ``x' = x * scale_ + min_`` with ``scale_ = (hi - lo) / (data_max_ - data_min_)``
    and ``min_ = lo - data_min_ * scale_``.  A constant column maps to ``lo``.

    Parameters
    ----------
    feature_range : (float, float), default (0, 1)
        Target ``(lo, hi)``, with ``lo < hi``.

    Attributes
    ----------
    data_min_, data_max_, data_range_, scale_, min_ : ndarray, shape (n_features,)
    n_features_in_ : int
    """

    def __init__(self, feature_range=(0.0, 1.0)):
        lo, hi = feature_range
        if not lo < hi:
            raise ValueError(f"MinMaxScaler: feature_range must satisfy min < max, "
                             f"got {tuple(feature_range)}")
        self.feature_range = (lo, hi)
        self._fit_shape = None

    def fit(self, X):
        """Learn column minima and maxima.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)

        Returns
        -------
        self
        """
        X = _as_2d_float(X, "MinMaxScaler.fit")
        if X.shape[0] == 0:
            raise ValueError(f"MinMaxScaler.fit: X has 0 samples (shape {X.shape})")
        lo, hi = self.feature_range
        self.data_min_ = X.min(axis=0).astype(np.float64)
        self.data_max_ = X.max(axis=0).astype(np.float64)
        self.data_range_ = self.data_max_ - self.data_min_
        safe_range = np.where(self.data_range_ == 0.0, 1.0, self.data_range_)
        self.scale_ = (hi - lo) / safe_range
        self.min_ = lo - self.data_min_ * self.scale_
        self.n_features_in_ = X.shape[1]
        self._fit_shape = X.shape
        return self

    def transform(self, X):
        """Rescale ``X`` into ``feature_range`` (values outside the fitted range map outside it).

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)

        Returns
        -------
        ndarray, shape (n_samples, n_features)
        """
        X = self._check(X, "transform")
        return X * self.scale_.astype(X.dtype) + self.min_.astype(X.dtype)

    def inverse_transform(self, X):
        """Undo :meth:`transform`: ``x = (x' - min_) / scale_``.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)

        Returns
        -------
        ndarray, shape (n_samples, n_features)
        """
        X = self._check(X, "inverse_transform")
        return (X - self.min_.astype(X.dtype)) / self.scale_.astype(X.dtype)


def one_hot(y, num_classes=None, *, dtype=np.float64):
    """One-hot encode integer class labels.

    Parameters
    ----------
    y : array_like of int, shape (n,)
        Labels in ``0 .. num_classes-1``.
    num_classes : int, optional
        Number of columns; default ``y.max() + 1``.
    dtype : numpy dtype, default float64

    Returns
    -------
    ndarray, shape (n, num_classes)
        Row ``i`` is all zeros except a 1 in column ``y[i]``.
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"one_hot: y must be 1-D (n,), got shape {y.shape}")
    if y.size and not np.issubdtype(y.dtype, np.integer):
        if not np.all(np.equal(np.mod(y, 1), 0)):
            raise ValueError(f"one_hot: y must hold integer labels, got dtype {y.dtype}")
        y = y.astype(np.int64)
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(
            f"one_hot: labels must be in [0, {num_classes - 1}] for num_classes={num_classes}, "
            f"got min {y.min()} and max {y.max()}"
        )
    out = np.zeros((y.shape[0], num_classes), dtype=dtype)
    out[np.arange(y.shape[0]), y.astype(np.intp)] = 1
    return out
