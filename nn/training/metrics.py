"""Metrics for ``fit``/``evaluate``: plain functions, and accumulators that sum on the device.

The functions (``accuracy``, ``rmse``, ``mae``, ``r2``) take predictions and
targets (Tensors or arrays) and return a Python float.  During training the
accumulators (:class:`Accuracy`, :class:`MeanAbsoluteError`, ...) add each
batch's sums to 0-d arrays on the batch's device and read them once per epoch
in :meth:`Metric.result`, so training never waits on the GPU per batch.
Every epoch value is exact over the epoch, not an average of batch averages;
``r2`` keeps ``sum y``, ``sum y**2`` and ``sum (y - y_hat)**2`` for that.
"""

from __future__ import annotations

import math

import numpy

import autograd_core as ag
from autograd_core import backend

__all__ = ["Metric", "Accuracy", "RootMeanSquaredError", "MeanAbsoluteError", "R2Score",
           "MeanMetric", "get_metric", "accuracy", "rmse", "mae", "r2"]


def _array(x):
    """The backing array of a Tensor, or ``x`` as an array (NumPy or CuPy left as is)."""
    if isinstance(x, ag.Tensor):
        return x.data
    return x if backend.is_array(x) else numpy.asarray(x)


class Metric:
    """Base class: accumulate per-batch sums, read the epoch value once.

    Subclasses set ``name`` and implement ``update(pred, target)`` (arrays on one
    device) and ``result()``.  ``reset()`` starts a new epoch.
    """

    name = "metric"

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        """Forget everything accumulated (called at the start of every epoch)."""
        self._sums: list | None = None
        self.count = 0

    def _add(self, *values) -> None:
        self._sums = list(values) if self._sums is None else [
            s + v for s, v in zip(self._sums, values)]

    def update(self, pred, target) -> None:  # pragma: no cover - abstract
        """Add one batch: ``pred`` the model's output, ``target`` the batch's targets."""
        raise NotImplementedError

    def result(self) -> float:  # pragma: no cover - abstract
        """The value over every sample seen since ``reset()`` (nan if none)."""
        raise NotImplementedError

    def _mean(self) -> float:
        """The first running sum divided by ``count`` (one device read; nan if empty)."""
        if not self.count or self._sums is None:
            return math.nan
        return float(self._sums[0]) / self.count


def _regression_pair(pred, target, name):
    pred, target = _array(pred), _array(target)
    xp = backend.array_module(pred)
    target = xp.asarray(target)
    if pred.shape != target.shape:
        if pred.size == target.size:
            target = target.reshape(pred.shape)
        else:
            raise ValueError(f"{name}: predictions of shape {pred.shape} and targets of shape "
                             f"{target.shape} do not match")
    return pred.astype(xp.float64, copy=False), target.astype(xp.float64, copy=False), xp


class Accuracy(Metric):
    """Fraction of correct predictions, for every common output/target layout.

    * scores of shape ``(n, C)``, ``C > 1``: the predicted class is the argmax on
      axis 1; targets are class indices ``(n,)`` or one-hot/probabilities ``(n, C)``;
    * one output per sample, ``(n,)`` or ``(n, 1)``: binary, the prediction is
      ``pred > threshold``; targets are 0/1.

    Parameters
    ----------
    threshold : float
        0.5 for probabilities (sigmoid outputs); use 0.0 for logits.
    """

    name = "accuracy"

    def __init__(self, threshold: float = 0.5):
        self.threshold = threshold
        super().__init__()

    def update(self, pred, target) -> None:
        """Add one batch's count of correct predictions (stays on the device)."""
        pred, target = _array(pred), _array(target)
        xp = backend.array_module(pred)
        target = xp.asarray(target)
        if pred.ndim >= 2 and pred.shape[1] > 1:
            guess = pred.argmax(axis=1)
            if target.shape == pred.shape:
                target = target.argmax(axis=1)
        else:
            guess = (pred.reshape(pred.shape[0], -1)[:, 0] > self.threshold)
            target = target.reshape(target.shape[0], -1)[:, 0] > 0.5
        if guess.shape != target.shape:
            raise ValueError(f"accuracy: predictions of shape {pred.shape} do not match targets "
                             f"of shape {target.shape}")
        self._add((guess == target).sum())
        self.count += int(guess.size)

    def result(self) -> float:
        """Correct predictions / samples since ``reset()``."""
        return self._mean()


class MeanAbsoluteError(Metric):
    """Mean of ``|y - y_hat|`` over every output value."""

    name = "mae"

    def update(self, pred, target) -> None:
        """Add one batch's absolute errors."""
        pred, target, xp = _regression_pair(pred, target, self.name)
        self._add(xp.abs(target - pred).sum())
        self.count += int(pred.size)

    def result(self) -> float:
        """``sum |y - y_hat| / n``."""
        return self._mean()


class RootMeanSquaredError(Metric):
    """Square root of the mean of ``(y - y_hat)**2`` over every output value."""

    name = "rmse"

    def update(self, pred, target) -> None:
        """Add one batch's squared errors."""
        pred, target, xp = _regression_pair(pred, target, self.name)
        self._add(((target - pred) ** 2).sum())
        self.count += int(pred.size)

    def result(self) -> float:
        """``sqrt(sum (y - y_hat)**2 / n)``."""
        return math.sqrt(self._mean())


class R2Score(Metric):
    """Coefficient of determination ``1 - SS_res / SS_tot``, exact over the epoch.

    ``SS_tot`` is computed from ``sum y`` and ``sum y**2`` per output column, and
    the result is averaged over columns uniformly (scikit-learn's default).  A
    constant target (``SS_tot == 0``) gives 1.0 for a perfect fit, else 0.0,
    as scikit-learn does.
    """

    name = "r2"

    def update(self, pred, target) -> None:
        """Add one batch's ``sum y``, ``sum y**2`` and ``sum (y - y_hat)**2`` per column."""
        pred, target, xp = _regression_pair(pred, target, self.name)
        pred, target = pred.reshape(pred.shape[0], -1), target.reshape(target.shape[0], -1)
        self._add(target.sum(axis=0), (target ** 2).sum(axis=0), ((target - pred) ** 2).sum(axis=0))
        self.count += int(pred.shape[0])

    def result(self) -> float:
        """``1 - SS_res / SS_tot``, averaged over output columns."""
        if not self.count or self._sums is None:
            return math.nan
        s, s2, ss_res = (numpy.asarray(backend.to_device(a, "cpu"), dtype=numpy.float64)
                         for a in self._sums)
        ss_tot = s2 - s * s / self.count
        scores = numpy.where(ss_tot > 0, 1.0 - ss_res / numpy.where(ss_tot > 0, ss_tot, 1.0),
                             numpy.where(ss_res == 0, 1.0, 0.0))
        return float(scores.mean())


class MeanMetric(Metric):
    """Sample-weighted mean of a user function ``fn(pred, target) -> number``.

    Parameters
    ----------
    fn : callable
        Called with the backing arrays (NumPy or CuPy) of the batch's output and
        targets, as ``fit`` and ``evaluate`` pass them to :meth:`update`; returns
        a scalar (Tensor, array or float) averaged over the batch.
    name : str, optional
        Key in the logs (default ``fn.__name__``).
    """

    def __init__(self, fn, name=None):
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "metric")
        super().__init__()

    def update(self, pred, target) -> None:
        """Add ``fn(pred, target) * batch_size``."""
        value = self.fn(pred, target)
        n = int(_array(pred).shape[0])
        self._add(_array(value) * n)
        self.count += n

    def result(self) -> float:
        """Sum of the weighted values / samples."""
        return self._mean()


_BY_NAME = {"accuracy": Accuracy, "acc": Accuracy, "mae": MeanAbsoluteError,
            "mean_absolute_error": MeanAbsoluteError, "rmse": RootMeanSquaredError,
            "root_mean_squared_error": RootMeanSquaredError, "r2": R2Score, "r2_score": R2Score}


def get_metric(spec, *, logits=False) -> Metric:
    """A fresh :class:`Metric` from a name, a Metric instance or a callable.

    Parameters
    ----------
    spec : str, Metric or callable
        ``"accuracy"`` (``"acc"``), ``"rmse"``, ``"mae"``, ``"r2"``; a Metric is
        used as is; a callable ``fn(pred, target)`` is wrapped in :class:`MeanMetric`.
    logits : bool
        For binary ``"accuracy"``: the model outputs logits, so threshold at 0.
    """
    if isinstance(spec, Metric):
        return spec
    if isinstance(spec, str):
        key = spec.lower()
        if key not in _BY_NAME:
            raise ValueError(f"unknown metric {spec!r}: use one of {sorted(set(_BY_NAME))}, "
                             "a Metric, or a function fn(pred, target)")
        if _BY_NAME[key] is Accuracy:
            return Accuracy(threshold=0.0 if logits else 0.5)
        return _BY_NAME[key]()
    if callable(spec):
        return MeanMetric(spec)
    raise TypeError(f"a metric must be a name, a Metric or a callable, not {type(spec).__name__}")


def _once(metric, pred, target):
    metric.update(pred, target)
    return metric.result()


def accuracy(pred, target, threshold: float = 0.5) -> float:
    """Fraction of correct predictions; see :class:`Accuracy` for the layouts accepted.

    Parameters
    ----------
    pred : Tensor or array, shape (n, C) scores, or (n,) / (n, 1) binary outputs
    target : Tensor or array, shape (n,) class indices / 0-1 labels, or (n, C) one-hot
    threshold : float
        Binary case only: ``pred > threshold`` is class 1.

    Returns
    -------
    float
    """
    return _once(Accuracy(threshold), pred, target)


def rmse(pred, target) -> float:
    """Root mean squared error ``sqrt(mean((y - y_hat)**2))``; same-size inputs, as a float."""
    return _once(RootMeanSquaredError(), pred, target)


def mae(pred, target) -> float:
    """Mean absolute error ``mean(|y - y_hat|)``; same-size inputs, as a float."""
    return _once(MeanAbsoluteError(), pred, target)


def r2(pred, target) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot`` (uniform average over columns)."""
    return _once(R2Score(), pred, target)
