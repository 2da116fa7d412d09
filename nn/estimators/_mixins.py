"""``ClassifierMixin`` / ``RegressorMixin``: the ``score`` every classifier and regressor
shares (scikit-learn's mixins of the same names), on this package's own metrics.

A class lists the mixin before its :class:`Estimator` base, so that the mixin's
``_estimator_type`` ("classifier" / "regressor", which scikit-learn's
``is_classifier`` / ``is_regressor`` read through the tags) is the one found.
"""

from __future__ import annotations

import numpy as np

from ._validation import accuracy, check_sample_weight, r2

__all__ = ["ClassifierMixin", "RegressorMixin"]


def _weights(est, sample_weight, n_samples):
    return check_sample_weight(sample_weight, n_samples, f"{type(est).__name__}.score")


class ClassifierMixin:
    """``score``: the accuracy of ``predict``; ``_labels_from_scores`` for ``predict``."""

    _estimator_type: str | None = "classifier"

    def _labels_from_scores(self, scores):
        """``classes_`` of the highest score of each row of ``scores`` ``(n_samples,
        n_classes)``; for 1-D scores (one unit for two classes) ``classes_[1]`` where the
        score is > 0, else ``classes_[0]``."""
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(np.int64)]
        return self.classes_[np.argmax(scores, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Accuracy of ``predict(X)`` (subset accuracy for multilabel targets).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,) or (n_samples, n_labels)
        sample_weight : array_like of shape (n_samples,), optional

        Returns
        -------
        float
        """
        pred = self.predict(X)
        return accuracy(y, pred, _weights(self, sample_weight, len(pred)))


class RegressorMixin:
    """``score``: the coefficient of determination R² of ``predict``."""

    _estimator_type: str | None = "regressor"

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R² of ``predict(X)`` (averaged over outputs).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,) or (n_samples, n_outputs)
        sample_weight : array_like of shape (n_samples,), optional

        Returns
        -------
        float
        """
        pred = self.predict(X)
        return r2(y, pred, _weights(self, sample_weight, len(pred)))
