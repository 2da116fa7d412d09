"""``NeuralNetClassifier`` / ``NeuralNetRegressor``: any ``nn.Module`` as a scikit-learn
estimator, the way skorch and SciKeras wrap PyTorch and Keras models.

The module is given as a class or a builder function (or an instance, copied at
each ``fit``); constructor parameters with a prefix are routed where they belong:

* ``module__<name>``: a keyword of the module class / builder (``module__n_hidden=2``);
  a keyword named ``in_features`` / ``n_features_in`` receives ``X.shape[1]`` and
  ``out_features`` / ``n_outputs`` / ``n_classes`` the network's output width, unless
  given;
* ``optimizer__<name>``: a keyword of the optimizer (``optimizer__lr=3e-3``);
* ``callbacks__<name>__<attribute>``: set on the callback of that (lower-case) class
  name or list index (``callbacks__earlystopping__patience=5``).

They are ordinary parameters to ``get_params`` / ``set_params``, so
``GridSearchCV`` and ``RandomizedSearchCV`` search over them.  ``fit(X, y,
**fit_params)`` passes ``epochs``, ``batch_size``, ``validation_data``,
``validation_split``, ``callbacks`` (added to the constructor's) and ``verbose``
through to :func:`nn.fit`.

>>> reg = NeuralNetRegressor(build_model, module__n_hidden=2, optimizer="sgd",
...                          optimizer__lr=3e-3, epochs=20)
>>> RandomizedSearchCV(reg, {"module__n_neurons": range(1, 100)}, n_iter=10, cv=3)
"""

from __future__ import annotations

import copy
import inspect

import numpy as np

from autograd_core.random import default_generator

from ..module import Module
from ..training import fit as nn_fit
from ..training import predict as nn_predict
from ._base import Estimator, check_random_state
from ._mixins import ClassifierMixin, RegressorMixin
from ._validation import LabelEncoder, check_fitted_X, check_n_features, check_X, check_y

__all__ = ["NeuralNetClassifier", "NeuralNetRegressor"]

_PREFIXES = ("module__", "optimizer__", "callbacks__")
_IN_NAMES = ("in_features", "n_features_in")
_OUT_NAMES = ("out_features", "n_outputs", "n_classes")
_FIT_PARAMS = ("epochs", "batch_size", "validation_data", "validation_split", "callbacks",
               "verbose", "shuffle")


class _Seeded:
    """Seed the global generator for the duration of a ``fit`` (the module's initial weights,
    dropout masks), then put the caller's stream back where it was."""

    def __init__(self, seed):
        self.seed = seed

    def __enter__(self):
        if self.seed is not None:
            gen = default_generator
            self._saved = (gen.seed, gen.get_state())
            gen.manual_seed(self.seed)
        return self

    def __exit__(self, *exc):
        if self.seed is not None:
            gen = default_generator
            gen.seed = self._saved[0]
            gen.set_state(self._saved[1])
        return False


class _NeuralNet(Estimator):
    """Shared machinery (use :class:`NeuralNetClassifier` or :class:`NeuralNetRegressor`)."""

    _default_loss = "mse"

    def __init__(self, module=None, *, loss=None, optimizer="adam", epochs=10, batch_size=32,
                 validation_split=0.0, callbacks=None, metrics=None, shuffle=True,
                 warm_start=False, random_state=None, verbose=0, device="cpu", **kwargs):
        self.module = module
        self.loss = loss
        self.optimizer = optimizer
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.callbacks = callbacks
        self.metrics = metrics
        self.shuffle = shuffle
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        self.device = device
        self._routed = dict(kwargs)  # checked in fit (scikit-learn: no validation in __init__)

    # -- parameters: the signature's plus the prefixed ones ------------------------------

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's parameters and every ``module__`` / ``optimizer__`` /
        ``callbacks__`` parameter set (see the module docstring)."""
        out = super().get_params(deep=False)
        out.update(self._routed)
        return out

    def set_params(self, **params):
        """Set parameters; names that are not the constructor's are stored as given and
        routed at ``fit`` (which rejects those without a ``module__`` / ``optimizer__`` /
        ``callbacks__`` prefix)."""
        valid = set(self._get_param_names())
        for key, value in params.items():
            if key in valid:
                setattr(self, key, value)
            else:
                self._routed[key] = value
        return self

    def _routed_with(self, prefix):
        return {k[len(prefix):]: v for k, v in self._routed.items() if k.startswith(prefix)}

    # -- building ----------------------------------------------------------------------------

    def _build_module(self, n_features, n_outputs, who):
        kwargs = self._routed_with("module__")
        if isinstance(self.module, Module):
            if kwargs:
                raise ValueError(f"{who}: module__ parameters need a module class or builder "
                                 f"function, not an instance; got {sorted(kwargs)}")
            return copy.deepcopy(self.module)
        if not callable(self.module):
            raise TypeError(f"{who}: module must be an nn.Module class, a function returning "
                            f"an nn.Module, or an nn.Module instance; got {self.module!r}")
        try:
            accepted = inspect.signature(self.module).parameters
        except (TypeError, ValueError):
            accepted = {}
        for names, value in ((_IN_NAMES, n_features), (_OUT_NAMES, n_outputs)):
            for name in names:
                if name in accepted and name not in kwargs:
                    kwargs[name] = value
        model = self.module(**kwargs)
        if not isinstance(model, Module):
            raise TypeError(f"{who}: module(**{kwargs}) returned a {type(model).__name__}, "
                            "not an nn.Module")
        return model

    def _build_optimizer(self, model, who):
        from autograd_core import optim  # noqa: PLC0415 - nn does not import optim at start-up

        kwargs = self._routed_with("optimizer__")
        names = {"sgd": optim.SGD, "adam": optim.Adam, "adamw": optim.AdamW,
                 "rmsprop": optim.RMSprop, "adagrad": optim.Adagrad}
        cls = self.optimizer
        if isinstance(cls, str):
            if cls.lower() not in names:
                raise ValueError(f"{who}: optimizer must be one of {sorted(names)} or an "
                                 f"optim.Optimizer class, got {cls!r}")
            cls = names[cls.lower()]
        if not (isinstance(cls, type) and issubclass(cls, optim.Optimizer)):
            raise TypeError(f"{who}: optimizer must be a name or an optim.Optimizer class "
                            f"(its settings go in optimizer__*), got {self.optimizer!r}")
        return cls(model.parameters(), **kwargs)

    def _build_callbacks(self, extra, who):
        cbs = [copy.deepcopy(cb) for cb in (self.callbacks or ())]
        for key, value in self._routed_with("callbacks__").items():
            target, _, attr = key.partition("__")
            matches = [cb for i, cb in enumerate(cbs)
                       if target in (str(i), type(cb).__name__.lower())]
            if not attr or not matches:
                raise ValueError(f"{who}: callbacks__{key} names no callback attribute; use "
                                 "callbacks__<class name in lower case or index>__<attribute> "
                                 f"(callbacks: {[type(cb).__name__ for cb in cbs]})")
            for cb in matches:
                setattr(cb, attr, value)
        return cbs + list(extra or ())

    # -- fitting -------------------------------------------------------------------------

    def _fit(self, X, y, fit_params, incremental, classes=None):
        who = f"{type(self).__name__}.{'partial_fit' if incremental else 'fit'}"
        _check_prefixed(who, self._routed)
        unknown = set(fit_params) - set(_FIT_PARAMS)
        if unknown:
            raise TypeError(f"{who}: unknown fit parameter(s) {sorted(unknown)}; nn.fit takes "
                            f"{list(_FIT_PARAMS)} from here")
        X = check_X(X, who)
        fresh = not hasattr(self, "module_") or (not incremental and not self.warm_start)
        if not fresh:
            check_n_features(self, X, reset=False)
        Y = self._targets(X, y, who, fresh, classes)
        if "validation_data" in fit_params and fit_params["validation_data"] is not None:
            X_val, y_val = fit_params["validation_data"]
            X_val = check_X(X_val, who, "X_val")
            fit_params = {**fit_params, "validation_data": (X_val, self._encode(y_val, who))}
        rng = check_random_state(self.random_state) if self.random_state is not None else None
        seed = None if rng is None else int(rng.randint(np.iinfo(np.int32).max))
        with _Seeded(seed):
            if fresh:
                self.module_ = self._build_module(X.shape[1], self._n_outputs, who)
                self.module_.to(self.device)
                self.optimizer_ = self._build_optimizer(self.module_, who)
                check_n_features(self, X, reset=True)
            epochs = fit_params.pop("epochs", self.epochs)
            epochs = 1 if incremental else epochs
            callbacks = self._build_callbacks(fit_params.pop("callbacks", None), who)
            options = dict(batch_size=self.batch_size, validation_split=self.validation_split,
                           shuffle=self.shuffle, verbose=self.verbose)
            options.update(fit_params)
            self.history_ = nn_fit(self.module_, X, Y, loss=self.loss or self._default_loss,
                                      optimizer=self.optimizer_, epochs=epochs,
                                      metrics=list(self.metrics or ()), callbacks=callbacks,
                                      seed=seed, device=self.device, **options)
        return self

    def _outputs(self, X, method):
        X = check_fitted_X(self, X, method)
        out = nn_predict(self.module_, X, batch_size=max(int(self.batch_size), 256))
        return np.asarray(out.numpy(), dtype=np.float64)

    def fit(self, X, y, **fit_params):
        """Build the module and train it on ``(X, y)`` with :func:`nn.fit`.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels (any sortable values) for the classifier, target values for the
            regressor.
        **fit_params
            ``epochs``, ``batch_size``, ``validation_data`` ((X_val, y_val), ``y_val`` as
            ``y``), ``validation_split``, ``callbacks`` (added to the constructor's),
            ``verbose``, ``shuffle``.

        Returns
        -------
        self
        """
        return self._fit(X, y, dict(fit_params), incremental=False)

    def partial_fit(self, X, y, **fit_params):
        """One epoch on ``(X, y)``, from the current weights (built on the first call).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,) or (n_samples, n_outputs)
        **fit_params
            As for :meth:`fit` (``epochs`` is 1 here).

        Returns
        -------
        self
        """
        return self._fit(X, y, fit_params, incremental=True)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        return tags


def _check_prefixed(who, kwargs):
    bad = [k for k in kwargs if not k.startswith(_PREFIXES) or k in _PREFIXES]
    if bad:
        raise TypeError(f"{who}: unexpected keyword argument(s) {bad}; extra parameters must "
                        f"start with {', '.join(_PREFIXES)} (e.g. module__n_hidden=2, "
                        "optimizer__lr=1e-3, callbacks__earlystopping__patience=5)")


_SHARED_DOC = """
    Parameters
    ----------
    module : nn.Module class, function returning an nn.Module, or nn.Module
        The network; a class or builder gets the ``module__*`` parameters (and
        ``in_features`` / ``out_features`` if it takes them); an instance is deep-copied
        at each ``fit``.
    loss : str or callable, optional
        As for :func:`nn.fit` (default {default_loss}).
    optimizer : str or optim.Optimizer class, default "adam"
        Built over the module's parameters with the ``optimizer__*`` parameters.
    epochs : int, default 10
    batch_size : int, default 32
    validation_split : float, default 0.0
        The last fraction of the training rows for validation (Keras' rule).
    callbacks : list of nn.Callback, optional
        Deep-copied at each ``fit``; ``callbacks__<name>__<attr>`` sets their attributes.
    metrics : list of str, optional
        Recorded per epoch in ``history_``.
    shuffle : bool, default True
    warm_start : bool, default False
        ``fit`` continues from the current module instead of building a new one.
    random_state : int, RandomState or None
        Seeds the initial weights, dropout and shuffling (the global generator is
        seeded during ``fit`` and put back afterwards).
    verbose : int, default 0
    device : str, default "cpu"
    **kwargs
        ``module__*``, ``optimizer__*``, ``callbacks__*__*`` parameters.

    Attributes
    ----------
    module_ : nn.Module
        The trained network.
    optimizer_ : optim.Optimizer
    history_ : nn.History
        Of the last ``fit`` / ``partial_fit`` call.
    n_features_in_ : int
"""


class NeuralNetClassifier(ClassifierMixin, _NeuralNet):
    __doc__ = """Any ``nn.Module`` that outputs one score (logit) per class, as a scikit-learn
    classifier (skorch's ``NeuralNetClassifier``, SciKeras' ``KerasClassifier``).

    Labels are encoded as indices into ``classes_``; the default loss is
    ``"cross_entropy"`` on the module's logits, ``predict_proba`` their softmax.
    """ + _SHARED_DOC.format(default_loss='"cross_entropy"') + """    classes_ : ndarray

    Examples
    --------
    >>> clf = NeuralNetClassifier(nn.MLP, module__hidden_sizes=[32], epochs=20)
    >>> clf.fit(X, y).score(X_test, y_test)          # doctest: +SKIP
    """

    _default_loss = "cross_entropy"

    def _targets(self, X, y, who, fresh, classes):
        y = check_y(y, X.shape[0], who, numeric=False)
        if y.ndim != 1:
            raise ValueError(f"{who}: expected a 1-D y of class labels, got shape {y.shape} "
                             "(multilabel targets are not supported)")
        if fresh:
            self._encoder = LabelEncoder.from_targets(y if classes is None else classes, who)
            if self._encoder.kind == "multilabel-indicator":
                raise ValueError(f"{who}: multilabel targets are not supported")
            self.classes_ = self._encoder.classes
        return self._encode(y, who)

    @property
    def _n_outputs(self):
        return len(self.classes_)

    def _encode(self, y, who):
        y = np.asarray(y)
        self._encoder.check_known(y, who)
        return np.searchsorted(self.classes_, y).astype(np.int64)

    def partial_fit(self, X, y, classes=None, **fit_params):
        """One epoch on ``(X, y)``, from the current weights (built on the first call, for
        ``classes`` if given, else the labels in ``y``).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
        classes : array_like, optional
        **fit_params
            As for :meth:`fit`.

        Returns
        -------
        self
        """
        return self._fit(X, y, dict(fit_params), incremental=True, classes=classes)

    def predict_proba(self, X):
        """Softmax of the module's outputs, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        z = self._outputs(X, "predict_proba")
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def predict(self, X):
        """The class with the highest score.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        return self._labels_from_scores(self._outputs(X, "predict"))


class NeuralNetRegressor(RegressorMixin, _NeuralNet):
    __doc__ = """Any ``nn.Module`` as a scikit-learn regressor (skorch's ``NeuralNetRegressor``,
    SciKeras' ``KerasRegressor``): one output per target column, mean squared error by
    default.
    """ + _SHARED_DOC.format(default_loss='"mse"') + """
    Examples
    --------
    >>> reg = NeuralNetRegressor(build_model, module__n_hidden=2, optimizer="sgd",
    ...                          optimizer__lr=3e-3, epochs=20)
    >>> reg.fit(X, y).score(X_test, y_test)          # doctest: +SKIP
    """

    _multi_output = True

    def _targets(self, X, y, who, fresh, classes):
        y = check_y(y, X.shape[0], who, numeric=True)
        if fresh:
            self._y_ndim, self.n_outputs_ = y.ndim, 1 if y.ndim == 1 else y.shape[1]
        elif (1 if y.ndim == 1 else y.shape[1]) != self.n_outputs_:
            raise ValueError(f"{who}: y has {1 if y.ndim == 1 else y.shape[1]} output(s), the "
                             f"fitted module {self.n_outputs_}")
        return self._encode(y, who)

    @property
    def _n_outputs(self):
        return self.n_outputs_

    def _encode(self, y, who):
        y = np.asarray(y, dtype=np.float64)
        return y[:, None] if y.ndim == 1 else y

    def predict(self, X):
        """The module's outputs.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) when fitted on a 1-D ``y``, else (n_samples, n_outputs)
        """
        out = self._outputs(X, "predict")
        return out[:, 0] if self._y_ndim == 1 else out
