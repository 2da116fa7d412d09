"""``Estimator``: scikit-learn's estimator protocol without scikit-learn.

``get_params`` / ``set_params`` read the constructor's signature (so ``clone``,
``Pipeline`` and ``GridSearchCV`` work), ``repr`` shows the parameters that differ
from their defaults, and ``__sklearn_tags__`` describes the estimator to
scikit-learn's checks.  scikit-learn is imported lazily, only where an installed
copy is needed (its ``Tags``) or already loaded (its exception and warning classes).
"""

from __future__ import annotations

import inspect
import numbers
import sys

import numpy as np

__all__ = ["Estimator", "NotFittedError", "ConvergenceWarning", "DataConversionWarning",
           "check_random_state", "sklearn_compatible"]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit``."""


class ConvergenceWarning(UserWarning):
    """Training stopped at ``max_iter`` before its stopping criterion was met."""


class DataConversionWarning(UserWarning):
    """The input was converted (a column-vector ``y`` flattened)."""


_SKLEARN_TWINS: dict = {}


def sklearn_compatible(cls):
    """``cls``, or, once scikit-learn has been imported by someone, a subclass of both
    ``cls`` and scikit-learn's class of the same name, so that ``except`` clauses and
    warning filters written for either catch it.  scikit-learn is never imported here
    just for this (it takes most of a second)."""
    if "sklearn" not in sys.modules:
        return cls
    twin = _SKLEARN_TWINS.get(cls)
    if twin is None:
        try:
            import sklearn.exceptions  # noqa: PLC0415

            twin = type(cls.__name__, (cls, getattr(sklearn.exceptions, cls.__name__)),
                        {"__module__": cls.__module__, "__doc__": cls.__doc__})
        except Exception:  # a broken scikit-learn: ours alone
            twin = cls
        _SKLEARN_TWINS[cls] = twin
    return twin


def check_random_state(seed) -> np.random.RandomState:
    """A ``numpy.random.RandomState`` from ``None`` (NumPy's global one), an int seed,
    or a ``RandomState`` (returned as is), as scikit-learn's ``random_state``."""
    if seed is None or seed is np.random:
        return np.random.mtrand._rand
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return np.random.RandomState(int(seed))
    if isinstance(seed, np.random.RandomState):
        return seed
    raise ValueError(f"random_state must be None, an int or a numpy.random.RandomState, "
                     f"got {seed!r}")


class Estimator:
    """Base class: scikit-learn's estimator protocol for the ``nn`` estimators.

    Subclasses take every hyperparameter as a keyword of ``__init__`` and store it
    unchanged under the same name (validation happens in ``fit``); fitted state
    goes in attributes ending in ``_``.
    """

    #: "classifier" or "regressor" (scikit-learn's ``is_classifier`` reads the tags).
    _estimator_type: str | None = None
    #: Tag values shared by the ``__sklearn_tags__`` and legacy ``_more_tags`` paths.
    _multi_output = False
    _multi_label = False

    # -- parameters ------------------------------------------------------------------

    @classmethod
    def _get_param_names(cls) -> list[str]:
        init = cls.__init__
        if init is object.__init__:
            return []
        params = inspect.signature(init).parameters.values()
        for p in params:
            if p.kind == p.VAR_POSITIONAL:
                raise RuntimeError(f"{cls.__name__}.__init__ must not take *args: "
                                   "scikit-learn's clone needs every parameter by name")
        return sorted(p.name for p in params if p.name != "self" and p.kind != p.VAR_KEYWORD)

    def get_params(self, deep: bool = True) -> dict:
        """Get the estimator's parameters.

        Parameters
        ----------
        deep : bool, default True
            Also return the parameters of nested estimators, as ``name__param``.

        Returns
        -------
        dict
            Parameter names mapped to their values.
        """
        out: dict[str, object] = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params) -> "Estimator":
        """Set the estimator's parameters (``name__param`` for nested estimators).

        Parameters
        ----------
        **params : dict
            New parameter values.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            For a name that is not a parameter of this estimator.
        """
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested: dict = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(f"Invalid parameter {name!r} for estimator {self}. Valid "
                                 f"parameters are: {self._get_param_names()!r}.")
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        defaults = {name: p.default for name, p in
                    inspect.signature(type(self).__init__).parameters.items()}
        changed = []
        for name, value in self.get_params(deep=False).items():
            default = defaults.get(name, inspect.Parameter.empty)
            try:
                same = bool(value is default or value == default) and \
                    type(value) is type(default)
            except Exception:  # arrays and other values without a plain ==
                same = False
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    # -- fitted state ------------------------------------------------------------------

    def __sklearn_is_fitted__(self) -> bool:
        """Whether ``fit`` (or ``partial_fit``) has run (scikit-learn's protocol)."""
        return hasattr(self, "n_features_in_")

    def _check_is_fitted(self) -> None:
        if not self.__sklearn_is_fitted__():
            raise sklearn_compatible(NotFittedError)(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator.")

    # -- tags --------------------------------------------------------------------------

    def __sklearn_tags__(self):
        """scikit-learn's tags (scikit-learn >= 1.6); needs scikit-learn installed."""
        from sklearn.utils import (ClassifierTags, InputTags, RegressorTags,  # noqa: PLC0415
                                   Tags, TargetTags)

        kind = self._estimator_type
        return Tags(
            estimator_type=kind,
            target_tags=TargetTags(required=True, multi_output=self._multi_output,
                                   single_output=True),
            classifier_tags=(ClassifierTags(multi_label=self._multi_label)
                             if kind == "classifier" else None),
            regressor_tags=RegressorTags() if kind == "regressor" else None,
            input_tags=InputTags(two_d_array=True, sparse=False, allow_nan=False),
        )

    def _more_tags(self) -> dict:
        """Tags for scikit-learn < 1.6."""
        return {"requires_y": True, "multioutput": self._multi_output,
                "multilabel": self._multi_label}

    def _get_tags(self) -> dict:
        """Tags for scikit-learn < 1.6 (which reads them from ``_get_tags``)."""
        try:
            from sklearn.utils._tags import _DEFAULT_TAGS  # noqa: PLC0415

            tags = dict(_DEFAULT_TAGS)
        except Exception:
            tags = {}
        tags.update(self._more_tags())
        return tags
