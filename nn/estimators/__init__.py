"""scikit-learn-compatible estimators built on ``nn``: ``MLPClassifier``,
``MLPRegressor`` and ``Perceptron``, and ``NeuralNetClassifier`` / ``NeuralNetRegressor``
wrapping any ``nn.Module`` (skorch / SciKeras style).

They take scikit-learn's constructor parameters, follow its conventions
(``fit`` / ``partial_fit`` / ``predict`` / ``score``, fitted attributes ending in
``_``, ``get_params`` / ``set_params``), and work inside ``Pipeline``,
``GridSearchCV`` and ``clone``.  scikit-learn itself is optional: it is imported
only to reuse its exception classes and to answer ``__sklearn_tags__``.

>>> from autograd_core.nn.estimators import MLPClassifier
>>> clf = MLPClassifier(hidden_layer_sizes=(64,), max_iter=30, random_state=0)
>>> clf.fit(X_train, y_train).score(X_test, y_test)     # doctest: +SKIP

(``nn.Perceptron`` is the layer; the estimator is ``nn.estimators.Perceptron``.)
"""

from ._base import ConvergenceWarning, Estimator, NotFittedError
from .mlp import MLPClassifier, MLPRegressor
from .neural_net import NeuralNetClassifier, NeuralNetRegressor
from .perceptron import Perceptron

__all__ = ["Estimator", "MLPClassifier", "MLPRegressor", "Perceptron", "NotFittedError",
           "ConvergenceWarning", "NeuralNetClassifier", "NeuralNetRegressor"]
