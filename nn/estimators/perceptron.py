"""``Perceptron``: scikit-learn's ``Perceptron`` interface around ``nn.Perceptron``."""

from __future__ import annotations

import warnings

import numpy as np

import autograd_core as ag
from autograd_core import backend

from ..layers.perceptron import Perceptron as PerceptronLayer
from ._base import ConvergenceWarning, Estimator, check_random_state, sklearn_compatible
from ._mixins import ClassifierMixin
from ._validation import (LabelEncoder, check_fitted_X, check_n_features, check_X, check_y,
                          partial_fit_encoder)

__all__ = ["Perceptron"]


class Perceptron(ClassifierMixin, Estimator):
    """Rosenblatt's perceptron as a scikit-learn classifier (one-vs-rest for multiclass).

    Trains an ``nn.Perceptron`` layer with ``"sign"`` units, one epoch at a time:
    one unit for two classes, one unit per class otherwise (each unit learns "this
    class or not" from the same pass over the data; ``predict`` takes the class whose
    unit has the largest net input).

    Parameters
    ----------
    max_iter : int, default 1000
        Maximum number of epochs.
    tol : float or None, default 1e-3
        Stop when the fraction of misclassified training samples in an epoch has not
        fallen by more than ``tol`` below the best so far for ``n_iter_no_change``
        consecutive epochs (``None``: only stop at ``max_iter`` or an error-free epoch).
    shuffle : bool, default True
        Visit the samples in a new random order each epoch.
    verbose : int, default 0
        Print the number of errors after each epoch.
    eta0 : float, default 1.0
        Learning rate of the perceptron rule.
    random_state : int, RandomState or None, default 0
        Seeds the shuffling.
    n_iter_no_change : int, default 5
    warm_start : bool, default False
        ``fit`` continues from the current weights.
    device : str, default "cpu"
        Where the layer lives: ``"cpu"``, ``"cuda"`` or ``"cuda:N"``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
        Epochs run by the last ``fit`` (1 after ``partial_fit``).
    t_ : int
        Training samples seen, over all calls.
    errors_ : list of int
        Misclassified samples in each epoch of the last ``fit``.
    n_features_in_ : int

    Notes
    -----
    Training stops early after an epoch with no error (the perceptron has converged),
    which is what the perceptron convergence theorem promises on linearly separable
    data.  Unlike scikit-learn's ``Perceptron`` there is no ``penalty``, ``alpha``,
    ``fit_intercept=False``, ``class_weight``, ``early_stopping`` or ``sample_weight``
    in ``fit`` (``score`` takes one), and ``tol`` is applied to the error rate rather
    than to the perceptron loss.

    Examples
    --------
    >>> from autograd_core.nn.estimators import Perceptron
    >>> clf = Perceptron(random_state=0).fit(X, y)
    >>> clf.predict(X[:3])                # doctest: +SKIP
    """

    def __init__(self, *, max_iter=1000, tol=1e-3, shuffle=True, verbose=0, eta0=1.0,
                 random_state=0, n_iter_no_change=5, warm_start=False, device="cpu"):
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.eta0 = eta0
        self.random_state = random_state
        self.n_iter_no_change = n_iter_no_change
        self.warm_start = warm_start
        self.device = device

    # -- fitting -------------------------------------------------------------------------

    def _validate_params(self, who):
        if not self.max_iter >= 1:
            raise ValueError(f"{who}: max_iter must be >= 1, got {self.max_iter!r}")
        if self.tol is not None and not self.tol >= 0:
            raise ValueError(f"{who}: tol must be >= 0 or None, got {self.tol!r}")
        if not self.eta0 > 0:
            raise ValueError(f"{who}: eta0 must be > 0, got {self.eta0!r}")
        if not self.n_iter_no_change >= 1:
            raise ValueError(f"{who}: n_iter_no_change must be >= 1, "
                             f"got {self.n_iter_no_change!r}")
        backend.parse_device(self.device)

    def _new_layer(self, n_features):
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        self._layer = PerceptronLayer(n_features, self._encoder.n_outputs, activation="sign",
                                      lr=float(self.eta0), max_epochs=1,
                                      shuffle=bool(self.shuffle),
                                      generator=ag.Generator(seed), dtype=np.float64,
                                      device=self.device)
        self.n_features_in_ = n_features
        self.t_ = 0

    def _fit(self, X, y, incremental, classes=None):
        who = f"{type(self).__name__}.{'partial_fit' if incremental else 'fit'}"
        self._validate_params(who)
        X = check_X(X, who)
        first = not hasattr(self, "_layer") or (not self.warm_start and not incremental)
        if not first:
            check_n_features(self, X, reset=False)
        y = check_y(y, X.shape[0], who, numeric=False)
        if y.ndim != 1:
            raise ValueError(f"{who}: y must be 1-D class labels; multilabel and multioutput "
                             f"targets are not supported (got shape {y.shape})")
        if incremental:
            encoder = partial_fit_encoder(self, y, classes, who)
            if encoder is not None:  # None: keep the encoder of the earlier calls
                self._encoder = encoder
        elif first:
            self._encoder = LabelEncoder.from_targets(y, who)
        self._encoder.check_known(y, who)
        self.classes_ = self._encoder.classes
        if first:
            self._new_layer(X.shape[1])
        targets = 2.0 * self._encoder.encode(y, np.float64) - 1.0  # {-1, +1} per unit
        layer = self._layer
        self.n_iter_, self.errors_ = 0, []
        best, stale, n = np.inf, 0, X.shape[0]
        for _ in range(1 if incremental else self.max_iter):
            layer.fit(X, targets)
            errors = layer.errors_[0]
            self.errors_.append(errors)
            self.n_iter_ += 1
            self.t_ += n
            if self.verbose:
                print(f"Epoch {self.n_iter_}, errors: {errors} of {n}")
            if errors == 0 or incremental:
                break
            if self.tol is not None:
                rate = errors / n
                stale = stale + 1 if rate > best - self.tol else 0
                best = min(best, rate)
                if stale >= self.n_iter_no_change:
                    break
        else:  # never reached by partial_fit, whose one epoch ends in a break
            warnings.warn(f"Maximum number of iteration reached before convergence "
                          f"({self.max_iter} epochs). Consider increasing max_iter to "
                          "improve the fit.", sklearn_compatible(ConvergenceWarning),
                          stacklevel=3)
        return self

    def fit(self, X, y):
        """Train with the perceptron rule (from zero weights unless ``warm_start``).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
            Class labels (at least two classes).

        Returns
        -------
        self
        """
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X, y, classes=None):
        """One epoch of the perceptron rule on ``X``, ``y``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
        classes : array_like, optional
            Every class of the whole data; required on the first call.

        Returns
        -------
        self
        """
        return self._fit(X, y, incremental=True, classes=classes)

    # -- prediction ------------------------------------------------------------------------

    @property
    def coef_(self) -> np.ndarray:
        """Weights ``(n_units, n_features)``."""
        self._check_is_fitted()
        return self._layer.weight.numpy().T.copy()

    @property
    def intercept_(self) -> np.ndarray:
        """Biases ``(n_units,)``."""
        self._check_is_fitted()
        return self._layer.bias.numpy().copy()

    def decision_function(self, X):
        """Net inputs ``X @ coef_.T + intercept_``: the sign gives the side of each unit's
        hyperplane.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) for two classes, else (n_samples, n_classes)
        """
        X = check_fitted_X(self, X, "decision_function")
        with ag.no_grad():
            scores = self._layer.net_input(X)
        scores = scores.numpy()
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict(self, X):
        """Predicted class labels.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        return self._labels_from_scores(self.decision_function(X))
