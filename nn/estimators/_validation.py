"""Input checks and label encoding for the estimators, in scikit-learn's terms.

The messages follow scikit-learn's (``check_array``, ``type_of_target``) so that
code and tests written against scikit-learn read the same errors.
"""

from __future__ import annotations

import warnings
from typing import SupportsFloat, cast

import numpy as np

from ._base import DataConversionWarning, sklearn_compatible

__all__ = ["check_X", "check_y", "check_n_features", "check_fitted_X", "check_sample_weight",
           "type_of_target",
           "LabelEncoder", "partial_fit_encoder", "accuracy", "r2"]


def _is_sparse(X) -> bool:
    return hasattr(X, "toarray") and "scipy.sparse" in type(X).__module__


def check_X(X, who: str, name: str = "X") -> np.ndarray:
    """``X`` as a finite 2-D float32 or float64 NumPy array (float32 is kept).

    Raises ``TypeError`` for sparse matrices and ``ValueError`` for complex data,
    a wrong number of axes, no samples or features, and NaN or infinity.
    """
    if X is None:
        raise ValueError(f"{who}: {name} is None; expected an array of shape "
                         "(n_samples, n_features)")
    if _is_sparse(X):
        raise TypeError(f"{who}: sparse input is not supported; pass a dense array "
                        f"({name}.toarray())")
    if hasattr(X, "__cuda_array_interface__") and hasattr(X, "get"):
        X = X.get()  # a CuPy array
    X = np.asarray(X)
    if X.dtype.kind == "c":
        raise ValueError(f"{who}: Complex data not supported; got {name} of dtype {X.dtype}")
    if X.ndim != 2:
        hint = (" Reshape your data using X.reshape(-1, 1) if it has a single feature or "
                "X.reshape(1, -1) if it contains a single sample." if X.ndim == 1 else "")
        raise ValueError(f"{who}: Expected 2D array, got {X.ndim}D array instead "
                         f"({name}.shape={X.shape}).{hint}")
    if X.dtype != np.float32:
        X = X.astype(np.float64)  # a TypeError/ValueError from NumPy names bad objects
    if X.shape[0] < 1:
        raise ValueError(f"{who}: Found array with 0 sample(s) (shape={X.shape}) while a "
                         "minimum of 1 is required.")
    if X.shape[1] < 1:
        raise ValueError(f"{who}: Found array with 0 feature(s) (shape={X.shape}) while a "
                         "minimum of 1 is required.")
    _check_finite(X, who, name)
    return X


def _check_finite(a, who, name):
    if not np.isfinite(a).all():
        what = "NaN" if np.isnan(a).any() else "infinity or a value too large for its dtype"
        raise ValueError(f"{who}: Input {name} contains {what}.")


def check_n_features(est, X, reset: bool) -> None:
    """Record ``n_features_in_`` (``reset``) or check ``X`` has that many features."""
    if reset:
        est.n_features_in_ = X.shape[1]
    elif X.shape[1] != est.n_features_in_:
        raise ValueError(f"X has {X.shape[1]} features, but {type(est).__name__} is "
                         f"expecting {est.n_features_in_} features as input.")


def check_fitted_X(est, X, method: str) -> np.ndarray:
    """``X`` checked for ``est.<method>``: ``est`` fitted, then ``check_X``, then
    ``n_features_in_`` features."""
    est._check_is_fitted()
    X = check_X(X, f"{type(est).__name__}.{method}")
    check_n_features(est, X, reset=False)
    return X


def check_y(y, n_samples: int, who: str, numeric: bool) -> np.ndarray:
    """``y`` as an array of length ``n_samples``; a column vector is flattened with a
    ``DataConversionWarning``; ``numeric`` targets become finite floats."""
    if y is None:
        raise ValueError(f"{who} requires y to be passed, but the target y is None.")
    if _is_sparse(y):
        raise TypeError(f"{who}: a sparse y is not supported; pass a dense array")
    y = np.asarray(y)
    if y.ndim == 0 or y.ndim > 2:
        raise ValueError(f"{who}: y should be a 1d array or a 2d array (n_samples, "
                         f"n_outputs), got an array of shape {y.shape}")
    if y.shape[0] != n_samples:
        raise ValueError(f"{who}: Found input variables with inconsistent numbers of "
                         f"samples: [{n_samples}, {y.shape[0]}]")
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn("A column-vector y was passed when a 1d array was expected. Please "
                      "change the shape of y to (n_samples, ), for example using ravel().",
                      sklearn_compatible(DataConversionWarning), stacklevel=3)
        y = y[:, 0]
    if numeric:
        if y.dtype.kind == "c":
            raise ValueError(f"{who}: Complex data not supported in y")
        y = y.astype(np.float64)
        _check_finite(y, who, "y")
    elif y.dtype.kind == "f":
        _check_finite(y, who, "y")
    return y


def check_sample_weight(sample_weight, n_samples: int, who: str) -> np.ndarray | None:
    """``sample_weight`` as a new finite float64 array ``(n_samples,)`` (a number: that weight
    for every sample), or None; scikit-learn's ``_check_sample_weight`` rules and messages."""
    if sample_weight is None:
        return None
    if np.isscalar(sample_weight) and not isinstance(sample_weight, (str, bytes)):
        sw = np.full(n_samples, float(cast(SupportsFloat, sample_weight)))  # a number here
    else:
        if _is_sparse(sample_weight):
            raise TypeError(f"{who}: a sparse sample_weight is not supported")
        sw = np.array(sample_weight, dtype=np.float64)  # a copy: never written back
        if sw.ndim != 1:
            raise ValueError(f"{who}: Sample weights must be 1D array or scalar, got "
                             f"{sw.ndim}D array. Expected either a scalar value or a 1D "
                             f"array of length {n_samples}.")
        if sw.shape != (n_samples,):
            raise ValueError(f"{who}: sample_weight.shape == {sw.shape}, expected "
                             f"{(n_samples,)}!")
    _check_finite(sw, who, "sample_weight")
    if not np.any(sw):
        raise ValueError(f"{who}: Sample weights must contain at least one non-zero number.")
    return sw


def type_of_target(y: np.ndarray) -> str:
    """scikit-learn's target kinds: ``"binary"``, ``"multiclass"``, ``"continuous"``,
    ``"multilabel-indicator"``, ``"multiclass-multioutput"``, ``"continuous-multioutput"``."""
    suffix = "-multioutput" if y.ndim == 2 and y.shape[1] > 1 else ""
    if y.dtype.kind == "f" and y.size and np.any(y != y.astype(np.int64)):
        return "continuous" + suffix
    if y.dtype.kind == "O":
        kinds = {type(v) for v in y.ravel()}
        if any(issubclass(k, str) for k in kinds) and len(kinds) > 1:
            raise ValueError(f"Mix of label input types (string and number): "
                             f"{sorted(k.__name__ for k in kinds)}")
        if any(isinstance(v, float) and v != int(v) for v in y.ravel()):
            return "continuous" + suffix
    if suffix:
        values = np.unique(y)
        if y.dtype.kind in "biuf" and set(values.tolist()) <= {0, 1}:
            return "multilabel-indicator"
        return "multiclass-multioutput"
    return "binary" if len(np.unique(y)) <= 2 else "multiclass"


class LabelEncoder:
    """Class labels to the network's targets and back (scikit-learn's LabelBinarizer).

    ``binary``: one column, 1 for ``classes[1]``; ``multiclass``: one-hot columns;
    ``multilabel-indicator``: the 0/1 indicator matrix itself.
    """

    def __init__(self, classes, kind: str):
        self.classes, self.kind = np.asarray(classes), kind

    @classmethod
    def from_targets(cls, y, who: str) -> "LabelEncoder":
        """The encoder for labels ``y`` (or a list of all classes, for ``partial_fit``)."""
        y = np.asarray(y)
        kind = type_of_target(y)
        if kind.startswith("continuous"):
            raise ValueError(f"{who}: Unknown label type: {kind}. Maybe you are trying to fit "
                             "a classifier, which expects discrete classes, on a regression "
                             "target with continuous values.")
        if kind == "multiclass-multioutput":
            raise ValueError(f"{who}: Multioutput target data is not supported with label "
                             "binarization (2-D y must be a 0/1 multilabel indicator matrix)")
        if kind == "multilabel-indicator":
            return cls(np.arange(y.shape[1]), kind)
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(f"{who}: y has only one class ({classes.tolist()}); a classifier "
                             "needs samples of at least 2 classes")
        return cls(classes, "binary" if len(classes) == 2 else "multiclass")

    @property
    def n_outputs(self) -> int:
        """Width of the encoded targets (1 for binary)."""
        return 1 if self.kind == "binary" else len(self.classes)

    def check_known(self, y, who: str) -> None:
        """Reject labels that are not among ``classes``."""
        if self.kind == "multilabel-indicator":
            if y.ndim != 2 or y.shape[1] != len(self.classes):
                raise ValueError(f"{who}: expected a multilabel indicator y with "
                                 f"{len(self.classes)} columns, got shape {y.shape}")
            return
        if y.ndim != 1:
            raise ValueError(f"{who}: expected a 1-D y of class labels, got shape {y.shape}")
        unknown = np.setdiff1d(np.unique(y), self.classes)
        if len(unknown):
            raise ValueError(f"{who}: `y` has classes not in `self.classes_`. `self.classes_` "
                             f"has {self.classes}. 'y' has {np.unique(y)}.")

    def encode(self, y, dtype) -> np.ndarray:
        """Targets ``(n_samples, n_outputs)`` of 0s and 1s, in ``dtype``."""
        if self.kind == "multilabel-indicator":
            return np.asarray(y, dtype=dtype)
        index = np.searchsorted(self.classes, y)
        if self.kind == "binary":
            return (index == 1).astype(dtype)[:, None]
        out = np.zeros((len(y), len(self.classes)), dtype=dtype)
        out[np.arange(len(y)), index] = 1
        return out

    def decode(self, scores) -> np.ndarray:
        """Labels from output probabilities ``(n_samples, n_outputs)``."""
        if self.kind == "multilabel-indicator":
            return (scores > 0.5).astype(np.int64)
        if self.kind == "binary":
            return self.classes[(scores[:, 0] > 0.5).astype(np.int64)]
        return self.classes[np.argmax(scores, axis=1)]


def partial_fit_encoder(est, y, classes, who: str) -> LabelEncoder | None:
    """The ``LabelEncoder`` for a classifier's first ``partial_fit`` (built from
    ``classes``, which that call must pass, or from a multilabel indicator ``y``);
    ``None`` on later calls, where ``classes``, if passed, must equal ``est.classes_``."""
    if getattr(est, "classes_", None) is None:
        if classes is None:
            raise ValueError(f"{who}: classes must be passed on the first call to partial_fit.")
        y = np.asarray(y)
        multilabel = y.ndim == 2 and y.shape[1] > 1
        return LabelEncoder.from_targets(y if multilabel else np.unique(classes), who)
    if classes is not None and not np.array_equal(est.classes_, np.unique(classes)):
        raise ValueError(f"{who}: `classes={np.unique(classes)!r}` is not the same as on "
                         f"last call to partial_fit, was: {est.classes_!r}")
    return None


def accuracy(y_true, y_pred, sample_weight=None) -> float:
    """Fraction of samples predicted right (every label right, for 2-D ``y``); weighted by
    ``sample_weight`` (``(n_samples,)``) when given."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim == 2 and y_true.shape[1] == 1:
        y_true = y_true[:, 0]
    equal = y_true == y_pred
    if equal.ndim == 2:
        equal = equal.all(axis=1)
    return float(np.average(equal, weights=sample_weight))


def r2(y_true, y_pred, sample_weight=None) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot``, averaged over outputs
    (scikit-learn's ``r2_score``: a constant target scores 1 if predicted exactly,
    else 0); the sums and the mean weighted by ``sample_weight`` when given."""
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.ndim == 1:
        y_true = y_true[:, None]
    if y_pred.ndim == 1:
        y_pred = y_pred[:, None]
    if y_true.shape != y_pred.shape:
        raise ValueError(f"r2: y has shape {y_true.shape} but the predictions have shape "
                         f"{y_pred.shape}")
    if not np.isfinite(y_pred).all():
        return float("nan")
    if sample_weight is None:
        ss_res = ((y_true - y_pred) ** 2).sum(axis=0)
        ss_tot = ((y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)
    else:
        w = np.asarray(sample_weight, dtype=np.float64).reshape(-1, 1)
        ss_res = (w * (y_true - y_pred) ** 2).sum(axis=0)
        ss_tot = (w * (y_true - np.average(y_true, axis=0, weights=w[:, 0])) ** 2).sum(axis=0)
    scores = np.where(ss_tot != 0, 1 - ss_res / np.where(ss_tot != 0, ss_tot, 1),
                      np.where(ss_res == 0, 1.0, 0.0))
    return float(scores.mean())
