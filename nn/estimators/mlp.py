"""``MLPClassifier`` and ``MLPRegressor``: scikit-learn's multilayer perceptrons on
autograd-core (CPU or CUDA)."""

from __future__ import annotations

import functools
import types

import numpy as np

from ._mlp_base import BaseMLP
from ._mixins import ClassifierMixin, RegressorMixin
from ._validation import (LabelEncoder, accuracy, check_fitted_X, check_y, partial_fit_encoder,
                          r2)

__all__ = ["MLPClassifier", "MLPRegressor"]

_PARAMETERS_DOC = """
    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default (100,)
        Width of each hidden layer.
    activation : {"identity", "logistic", "tanh", "relu"}, default "relu"
        Hidden-layer activation.
    solver : {"sgd", "adam", "lbfgs"}, default "adam"
        ``optim.SGD``, ``optim.Adam``, or SciPy's L-BFGS-B on the full batch (``"lbfgs"``,
        needs SciPy; no ``partial_fit``, ``early_stopping`` or learning-rate options).
    alpha : float, default 1e-4
        L2 strength: ``alpha / 2 * sum(W**2) / batch_size`` is added to each batch's loss
        (weights only, not biases), exactly as in scikit-learn.
    batch_size : int or "auto", default "auto"
        Mini-batch size; ``"auto"`` is ``min(200, n_samples)``.
    learning_rate : {"constant", "invscaling", "adaptive"}, default "constant"
        Learning-rate schedule for ``solver="sgd"`` (ignored by adam).
    learning_rate_init : float, default 1e-3
    power_t : float, default 0.5
        Exponent of the ``"invscaling"`` schedule ``lr = lr_init / (t + 1) ** power_t``
        (``t``: samples seen).
    max_iter : int, default 200
        Maximum number of epochs (L-BFGS iterations for ``"lbfgs"``).
    shuffle : bool, default True
        Shuffle the samples before each epoch.
    random_state : int, RandomState or None, default None
        Seeds the initial weights, the shuffling and the validation split.  With an int,
        the weights and batch order are the ones scikit-learn draws for the same seed.
    tol : float, default 1e-4
        Training stops when the loss (or, with ``early_stopping``, the validation score)
        has not improved by ``tol`` for ``n_iter_no_change`` consecutive epochs.
    verbose : bool, default False
        Print the loss after each epoch.
    warm_start : bool, default False
        ``fit`` continues from the current weights instead of starting afresh.
    momentum : float, default 0.9
        SGD momentum.
    nesterovs_momentum : bool, default True
        Use Nesterov momentum (SGD with ``momentum > 0``).
    early_stopping : bool, default False
        Hold out ``validation_fraction`` of the training data, stop when its score stops
        improving, and keep the weights of the best epoch.
    validation_fraction : float, default 0.1
    beta_1, beta_2, epsilon : float, default 0.9, 0.999, 1e-8
        Adam's decay rates and denominator term.
    n_iter_no_change : int, default 10
        Epochs without improvement (see ``tol``) before stopping.
    max_fun : int, default 15000
        ``"lbfgs"`` only: the most loss evaluations (L-BFGS-B's ``maxfun``).
    device : str, default "cpu"
        ``"cpu"``, ``"cuda"`` or ``"cuda:N"``: where the network is trained.  Inputs and
        outputs are NumPy arrays whatever the device.
"""

_ATTRIBUTES_DOC = """
    loss_ : float
        Loss of the last epoch (mean over its batches, L2 term included).
    loss_curve_ : list of float
        Loss of every epoch.
    best_loss_ : float or None
        Lowest loss so far (``None`` with ``early_stopping``).
    validation_scores_ : list of float or None
        Score on the held-out set after each epoch (``early_stopping`` only).
    best_validation_score_ : float or None
        Best of ``validation_scores_``.
    n_iter_ : int
        Epochs run by the last ``fit`` (1 after ``partial_fit``).
    t_ : int
        Training samples seen, over all calls.
    coefs_ : list of ndarray
        ``coefs_[i]`` is the weight matrix ``(fan_in, fan_out)`` of layer ``i``.
    intercepts_ : list of ndarray
        ``intercepts_[i]`` is the bias vector of layer ``i``.
    n_features_in_ : int
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Width of the output layer.
    out_activation_ : str
        ``"softmax"``, ``"logistic"``, ``"identity"`` or ``"exp"`` (Poisson loss).
"""

_DIFFERENCES_DOC = """
    Notes
    -----
    Training follows scikit-learn's stochastic solvers: the same initial weights for
    an int ``random_state`` (Glorot uniform with factor 6, or 2 for ``logistic``),
    the same batch order, loss, L2 term and stopping rule.  Known differences: Adam
    adds ``epsilon`` to ``sqrt(v) / sqrt(1 - beta_2**t)`` (PyTorch's form) rather than
    to ``sqrt(v)``; with a changing SGD learning rate the momentum buffer holds
    gradients rather than steps; the early-stopping split is drawn differently; no
    sparse input.  ``sample_weight`` follows scikit-learn: each batch's loss and L2
    term are divided by the batch's weight sum instead of its size.
"""


class _stochastic_only:  # noqa: N801 - used as a decorator
    """A method that exists only for the stochastic solvers (``hasattr(est, "partial_fit")``
    is False with ``solver="lbfgs"``, as in scikit-learn)."""

    def __init__(self, fn):
        self.fn = fn
        functools.update_wrapper(self, fn)

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.fn
        if obj.solver == "lbfgs":
            raise AttributeError(f"{type(obj).__name__}.{self.fn.__name__} is only available "
                                 "for stochastic optimizers; solver='lbfgs' is not stochastic")
        return types.MethodType(self.fn, obj)


def _doc(cls):
    cls.__doc__ = cls.__doc__.format(parameters=_PARAMETERS_DOC, attributes=_ATTRIBUTES_DOC,
                                     notes=_DIFFERENCES_DOC)
    return cls


class _MLPParams(BaseMLP):
    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam",
                 alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000,
                 device="cpu"):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.device = device

    def fit(self, X, y, sample_weight=None):
        """Train the network on ``X``, ``y`` (from scratch unless ``warm_start``).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels (a 0/1 indicator matrix for multilabel) or target values.
        sample_weight : array_like of shape (n_samples,) or float, optional
            Weight of each sample in the loss (default: all 1).

        Returns
        -------
        self
        """
        return self._fit(X, y, incremental=False, sample_weight=sample_weight)


@_doc
class MLPClassifier(ClassifierMixin, _MLPParams):
    """Multilayer perceptron classifier, scikit-learn's ``MLPClassifier`` on autograd-core.

    Minimises the cross-entropy of a softmax output (multiclass), or of logistic
    outputs (binary: one unit; multilabel: one per label), plus an L2 penalty.
    {parameters}
    Attributes
    ----------
    classes_ : ndarray
        The class labels (``arange(n_labels)`` for multilabel targets).
    {attributes}{notes}
    Examples
    --------
    >>> from autograd_core.nn.estimators import MLPClassifier
    >>> clf = MLPClassifier((32,), max_iter=50, random_state=0).fit(X_train, y_train)
    >>> clf.score(X_test, y_test)        # doctest: +SKIP
    """

    _multi_output = True
    _multi_label = True

    def _prepare_targets(self, X, y, incremental, who):
        y = check_y(y, X.shape[0], who, numeric=False)
        if not hasattr(self, "_encoder") or (not self.warm_start and not incremental):
            self._encoder = LabelEncoder.from_targets(y, who)
            self.classes_ = self._encoder.classes
        else:
            self._encoder.check_known(y, who)
            if self.warm_start and not incremental and self._encoder.kind != \
                    "multilabel-indicator" and set(np.unique(y)) != set(self.classes_):
                raise ValueError(f"{who}: warm_start can only be used where `y` has the same "
                                 f"classes as in the previous call to fit. Previously got "
                                 f"{self.classes_}, `y` has {np.unique(y)}")
        self.out_activation_ = ("softmax" if self._encoder.kind == "multiclass"
                                else "logistic")
        return self._encoder.encode(y, np.float64)

    def _score_validated(self, X, y, sample_weight=None):
        return accuracy(y, self._encoder.decode(self._output(X)), sample_weight)

    @_stochastic_only
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch of training on ``X``, ``y``, continuing from the current weights.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,) or (n_samples, n_labels)
        sample_weight : array_like of shape (n_samples,) or float, optional
        classes : array_like, optional
            Every class of the whole data; required on the first call (``y`` need not
            contain them all), optional later (it must then equal ``classes_``).

        Returns
        -------
        self
        """
        encoder = partial_fit_encoder(self, y, classes, f"{type(self).__name__}.partial_fit")
        if encoder is not None:
            self._encoder, self.classes_ = encoder, encoder.classes
        return self._fit(X, y, incremental=True, sample_weight=sample_weight)

    def predict(self, X):
        """Predicted class labels.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,), or (n_samples, n_labels) for multilabel
        """
        out = self._output(check_fitted_X(self, X, "predict"))
        return self._encoder.decode(out)

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Rows sum to 1, except for multilabel targets (one probability per label).
        """
        out = self._output(check_fitted_X(self, X, "predict"))
        if self._encoder.kind == "binary":
            return np.hstack([1.0 - out, out])
        return out

    def decision_function(self, X):
        """The output layer's pre-activations (logits): the scores ``predict`` thresholds
        (binary and multilabel: at 0) or takes the arg-max of (multiclass).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) for binary targets, else (n_samples, n_classes)
        """
        out = self._raw_output(check_fitted_X(self, X, "decision_function"))
        return out[:, 0] if self._encoder.kind == "binary" else out

    def predict_log_proba(self, X):
        """``log(predict_proba(X))``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))


@_doc
class MLPRegressor(RegressorMixin, _MLPParams):
    """Multilayer perceptron regressor, scikit-learn's ``MLPRegressor`` on autograd-core.

    Minimises half the squared error of an identity output (``loss="squared_error"``)
    or half the Poisson deviance of an exponential output (``loss="poisson"``, for
    counts and rates ``y >= 0``), plus an L2 penalty; one output unit per target column.

    ``loss`` comes first, as in scikit-learn 1.9.  A first positional argument that
    is not a string is read as ``hidden_layer_sizes`` (scikit-learn < 1.9's order, so
    ``MLPRegressor((64,), "tanh")`` still means 64 tanh units), never as a loss.

    Parameters
    ----------
    loss : {{"squared_error", "poisson"}}, default "squared_error"
    {parameters}
    Attributes
    ----------
    {attributes}{notes}
    Examples
    --------
    >>> from autograd_core.nn.estimators import MLPRegressor
    >>> reg = MLPRegressor(hidden_layer_sizes=(64,), max_iter=100).fit(X_train, y_train)
    >>> reg.score(X_test, y_test)        # doctest: +SKIP
    """

    _multi_output = True

    def __init__(self, loss="squared_error", hidden_layer_sizes=(100,), activation="relu", *,
                 solver="adam", alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000,
                 device="cpu"):
        default_sizes = isinstance(hidden_layer_sizes, tuple) and hidden_layer_sizes == (100,)
        activation_second = isinstance(hidden_layer_sizes, str) and \
            isinstance(activation, str) and activation == "relu"
        if _sizes_like(loss) and (default_sizes or activation_second):
            # MLPRegressor((64,)) or MLPRegressor((64,), "tanh"): scikit-learn < 1.9's order
            if isinstance(hidden_layer_sizes, str):
                activation = hidden_layer_sizes
            loss, hidden_layer_sizes = "squared_error", loss
        super().__init__(
            hidden_layer_sizes, activation, solver=solver, alpha=alpha, batch_size=batch_size,
            learning_rate=learning_rate, learning_rate_init=learning_rate_init,
            power_t=power_t, max_iter=max_iter, shuffle=shuffle, random_state=random_state,
            tol=tol, verbose=verbose, warm_start=warm_start, momentum=momentum,
            nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
            validation_fraction=validation_fraction, beta_1=beta_1, beta_2=beta_2,
            epsilon=epsilon, n_iter_no_change=n_iter_no_change, max_fun=max_fun,
            device=device)
        self.loss = loss

    def _prepare_targets(self, X, y, incremental, who):
        if not (isinstance(self.loss, str) and self.loss in ("squared_error", "poisson")):
            raise ValueError(f"{who}: loss must be 'squared_error' or 'poisson', got "
                             f"{self.loss!r}")
        y = check_y(y, X.shape[0], who, numeric=True)
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError(f"{who}: loss='poisson' requires y >= 0 (counts or rates); "
                             f"the smallest target is {y.min()}")
        self.out_activation_ = "exp" if self.loss == "poisson" else "identity"
        return y[:, None] if y.ndim == 1 else y

    def _score_validated(self, X, y, sample_weight=None):
        return r2(y, self._output(X), sample_weight)

    def __sklearn_tags__(self):
        """scikit-learn's tags; ``positive_only`` targets for ``loss="poisson"``."""
        tags = super().__sklearn_tags__()
        tags.target_tags.positive_only = self.loss == "poisson"
        return tags

    @_stochastic_only
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch of training on ``X``, ``y``, continuing from the current weights.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,) or (n_samples, n_outputs)
        sample_weight : array_like of shape (n_samples,) or float, optional

        Returns
        -------
        self
        """
        return self._fit(X, y, incremental=True, sample_weight=sample_weight)

    def predict(self, X):
        """Predicted target values.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) for one output, else (n_samples, n_outputs)
        """
        out = self._output(check_fitted_X(self, X, "predict"))
        return out[:, 0] if out.shape[1] == 1 else out


def _sizes_like(value) -> bool:
    """Whether ``value`` reads as ``hidden_layer_sizes``: an int or a non-empty tuple/list
    of ints (never a loss name)."""
    def is_int(v):
        return isinstance(v, (int, np.integer)) and not isinstance(v, bool)
    return is_int(value) or (isinstance(value, (tuple, list)) and len(value) > 0
                             and all(is_int(v) for v in value))
