"""``BaseMLP``: the training loop shared by ``MLPClassifier`` and ``MLPRegressor``.

It follows scikit-learn's ``BaseMultilayerPerceptron`` step for step (weight
initialisation, the random-number sequence, mini-batches, the L2 term, the
stopping rule, early stopping), with the gradients computed by autograd-core and
the updates done by ``optim.SGD`` / ``optim.Adam``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import autograd_core as ag
from autograd_core import backend
from autograd_core.optim import SGD, Adam

from .. import functional as F
from ..regularization import l2_penalty
from ._base import ConvergenceWarning, Estimator, check_random_state, sklearn_compatible
from ._validation import check_n_features, check_sample_weight, check_X

__all__ = ["BaseMLP"]

_HIDDEN = {"identity": lambda h: h, "logistic": ag.sigmoid, "tanh": ag.tanh, "relu": ag.relu}
_SOLVERS = ("sgd", "adam", "lbfgs")
_SCHEDULES = ("constant", "invscaling", "adaptive")


class BaseMLP(Estimator):
    """Shared fit / partial_fit / forward machinery (not public: use the subclasses).

    Subclasses provide ``_prepare_targets(X, y, incremental, who)`` (validated
    ``y`` as a float matrix ``(n_samples, n_outputs)`` and ``out_activation_``),
    ``_score_validated(X, y)`` (the early-stopping score) and ``score``.
    """

    # the hyperparameters the subclasses' ``__init__`` store (scikit-learn's convention:
    # they are set there, validated in fit), and what fit learns, for type checkers
    hidden_layer_sizes: Any
    activation: str
    solver: str
    alpha: float
    batch_size: int | str
    learning_rate: str
    learning_rate_init: float
    power_t: float
    max_iter: int
    shuffle: bool
    random_state: Any
    tol: float
    verbose: bool
    warm_start: bool
    momentum: float
    nesterovs_momentum: bool
    early_stopping: bool
    validation_fraction: float
    beta_1: float
    beta_2: float
    epsilon: float
    n_iter_no_change: int
    max_fun: int
    device: str
    out_activation_: str
    loss_curve_: list[float]
    validation_scores_: list[float] | None

    def _prepare_targets(self, X, y, incremental, who):  # pragma: no cover - abstract
        """``(Y, n_outputs)``-shaped float targets; sets ``out_activation_``."""
        raise NotImplementedError

    def _score_validated(self, X, y, sample_weight=None):  # pragma: no cover - abstract
        """The early-stopping score of ``(X, y)``."""
        raise NotImplementedError

    # -- parameters ----------------------------------------------------------------

    def _validate_params(self) -> list[int]:
        who = type(self).__name__
        sizes = self.hidden_layer_sizes
        sizes = list(sizes) if hasattr(sizes, "__iter__") else [sizes]
        if any(not isinstance(s, (int, np.integer)) or isinstance(s, bool) or s <= 0
               for s in sizes):
            raise ValueError(f"{who}: hidden_layer_sizes must be positive ints, got {sizes}")
        if self.activation not in _HIDDEN:
            raise ValueError(f"{who}: activation must be one of {sorted(_HIDDEN)}, "
                             f"got {self.activation!r}")
        if self.solver not in _SOLVERS:
            raise ValueError(f"{who}: solver must be one of {_SOLVERS}, got {self.solver!r}")
        if self.learning_rate not in _SCHEDULES:
            raise ValueError(f"{who}: learning_rate must be one of {_SCHEDULES}, "
                             f"got {self.learning_rate!r}")
        checks = [("alpha", self.alpha >= 0, ">= 0"),
                  ("learning_rate_init", self.learning_rate_init > 0, "> 0"),
                  ("max_iter", self.max_iter >= 1, ">= 1"),
                  ("tol", self.tol >= 0, ">= 0"),
                  ("momentum", 0 <= self.momentum <= 1, "in [0, 1]"),
                  ("validation_fraction", 0 < self.validation_fraction < 1, "in (0, 1)"),
                  ("beta_1", 0 <= self.beta_1 < 1, "in [0, 1)"),
                  ("beta_2", 0 <= self.beta_2 < 1, "in [0, 1)"),
                  ("epsilon", self.epsilon > 0, "> 0"),
                  ("n_iter_no_change", self.n_iter_no_change >= 1, ">= 1"),
                  ("max_fun", self.max_fun >= 1, ">= 1")]
        for name, ok, rule in checks:
            if not ok:
                raise ValueError(f"{who}: {name} must be {rule}, got {getattr(self, name)!r}")
        if self.batch_size != "auto" and (not isinstance(self.batch_size, (int, np.integer))
                                          or self.batch_size < 1):
            raise ValueError(f"{who}: batch_size must be 'auto' or a positive int, "
                             f"got {self.batch_size!r}")
        backend.parse_device(self.device)  # raises for an unknown device
        return [int(s) for s in sizes]

    # -- parameters as tensors ---------------------------------------------------------

    def _init_params(self, layer_units, dtype, rng):
        """Glorot-uniform weights and biases, drawn exactly as scikit-learn draws them."""
        factor = 2.0 if self.activation == "logistic" else 6.0
        coefs, intercepts = [], []
        for fan_in, fan_out in zip(layer_units[:-1], layer_units[1:]):
            bound = np.sqrt(factor / (fan_in + fan_out))
            coefs.append(rng.uniform(-bound, bound, (fan_in, fan_out)).astype(dtype))
            intercepts.append(rng.uniform(-bound, bound, fan_out).astype(dtype))
        self._params = [ag.tensor(a, dtype=dtype, device=self.device, requires_grad=True)
                        for a in coefs + intercepts]

    @property
    def _weights(self) -> list:
        """The weight tensors: the first half of ``_params`` (the biases are the second)."""
        return self._params[:len(self._params) // 2]

    @property
    def _biases(self) -> list:
        return self._params[len(self._params) // 2:]

    @property
    def coefs_(self) -> list:
        """Weight matrices ``(fan_in, fan_out)``, one per layer, as NumPy arrays."""
        self._check_is_fitted()
        return [p.numpy() for p in self._weights]

    @property
    def intercepts_(self) -> list:
        """Bias vectors ``(fan_out,)``, one per layer, as NumPy arrays."""
        self._check_is_fitted()
        return [p.numpy() for p in self._biases]

    def _set_param_arrays(self, arrays) -> None:
        with ag.no_grad():
            for p, a in zip(self._params, arrays):
                p.data[...] = backend.asarray(a, p.dtype, p.device)
                p._bump_version()

    def _forward(self, X):
        """Output-layer pre-activations (logits / raw values) for the tensor ``X``."""
        weights, biases = self._weights, self._biases
        act = _HIDDEN[self.activation]
        h = X
        for i, (W, b) in enumerate(zip(weights, biases)):
            h = F.linear(h, W, b)
            if i < len(weights) - 1:
                h = act(h)
        return h

    def _output(self, X) -> np.ndarray:
        """The output activations ``(n_samples, n_outputs)`` for validated ``X``."""
        p0 = self._params[0]
        with ag.no_grad():
            z = self._forward(ag.tensor(backend.asarray(X, p0.dtype, p0.device)))
            if self.out_activation_ == "softmax":
                z = ag.softmax(z, axis=1)
            elif self.out_activation_ == "logistic":
                z = ag.sigmoid(z)
            elif self.out_activation_ == "exp":
                z = ag.exp(z)
        return z.numpy()

    def _raw_output(self, X) -> np.ndarray:
        """The output layer's pre-activations ``(n_samples, n_outputs)`` for validated ``X``."""
        p0 = self._params[0]
        with ag.no_grad():
            return self._forward(ag.tensor(backend.asarray(X, p0.dtype, p0.device))).numpy()

    # -- loss ----------------------------------------------------------------------------

    def _batch_loss(self, X, Y, sw=None):
        """(objective to differentiate, scikit-learn's reported loss as a float).

        ``sw``: the batch's sample weights ``(n, 1)`` as a Tensor, or None.  Weighted,
        the data term and the L2 term are divided by ``sw.sum()`` instead of ``n``
        (scikit-learn's rule).
        """
        n = X.shape[0] if sw is None else float(sw.data.sum())
        data, l2 = self._batch_terms(X, Y, sw, n)
        return data + l2, self._reported(data, l2, Y, sw, n)

    def _batch_terms(self, X, Y, sw, n):
        """The objective's data term and L2 term (Tensors), for ``n`` samples (or weight)."""
        z = self._forward(X)
        if self.out_activation_ == "softmax":
            terms = -(Y * ag.log_softmax(z, axis=1))
        elif self.out_activation_ == "logistic":
            terms = F.binary_cross_entropy_with_logits(z, Y, reduction="none")
        elif self.out_activation_ == "exp":  # half Poisson deviance, log link
            terms = ag.exp(z) - Y * z
        else:
            terms = ag.square(z - Y)
        if sw is not None:
            terms = terms * sw
        data = terms.sum() * ((0.5 if self.out_activation_ == "identity" else 1.0) / n)
        return data, l2_penalty(self._weights, 0.5 * self.alpha / n)

    def _reported(self, data, l2, Y, sw, n):
        """scikit-learn's reported loss (a float) from the objective's two terms."""
        constant = 0.0
        if self.out_activation_ == "exp":
            constant = _poisson_constant(Y.data, None if sw is None else sw.data)
        reported = float(data.item()) + constant / n
        if self.out_activation_ == "identity":  # scikit-learn also averages over outputs
            reported /= Y.shape[1]
        return reported + float(l2.item())

    def _compiled_step(self):
        """One unweighted minibatch step (objective, backward, update) through ag.compile;
        returns the two terms of the objective.  Bit-identical to the eager step."""
        opt = self._optimizer

        def step(X, Y):
            data, l2 = self._batch_terms(X, Y, None, X.shape[0])
            objective = data + l2
            opt.zero_grad()
            objective.backward()
            opt.step()
            return data, l2
        return ag.compile(step, fallback=True)

    # -- fitting ---------------------------------------------------------------------------

    def _fit(self, X, y, incremental: bool, sample_weight=None):
        who = f"{type(self).__name__}.{'partial_fit' if incremental else 'fit'}"
        sizes = self._validate_params()
        if incremental and self.solver == "lbfgs":
            raise AttributeError(f"{who}: partial_fit is only available for stochastic "
                                 f"optimizers; solver={self.solver!r} is not stochastic")
        if incremental and self.early_stopping:
            raise ValueError(f"{who}: partial_fit does not support early_stopping=True")
        first_pass = not hasattr(self, "_params") or (not self.warm_start and not incremental)
        X = check_X(X, who)
        if not first_pass:
            check_n_features(self, X, reset=False)
        sw = check_sample_weight(sample_weight, X.shape[0], who)
        Y = self._prepare_targets(X, y, incremental, who).astype(X.dtype)
        layer_units = [X.shape[1], *sizes, Y.shape[1]]
        rng = check_random_state(self.random_state)
        if first_pass:
            self._init_params(layer_units, X.dtype, rng)
            check_n_features(self, X, reset=True)
            self.n_outputs_, self.n_layers_ = Y.shape[1], len(layer_units)
            self.n_iter_, self.t_ = 0, 0
            self.loss_curve_, self._no_improvement_count = [], 0
            self.best_loss_ = None if self.early_stopping else np.inf
            self.validation_scores_ = [] if self.early_stopping else None
            self.best_validation_score_ = -np.inf if self.early_stopping else None
        elif [p.shape for p in self._weights] != \
                [(a, b) for a, b in zip(layer_units[:-1], layer_units[1:])]:
            raise ValueError(f"{who}: the network's layer sizes {layer_units} differ from the "
                             "fitted ones; fit again with warm_start=False")
        if self.solver == "lbfgs":
            from ._lbfgs import fit_lbfgs  # noqa: PLC0415 - SciPy only when asked for

            fit_lbfgs(self, X, Y, sw)
        else:
            if not incremental or getattr(self, "_optimizer", None) is None:
                self._optimizer = self._make_optimizer()
            self._fit_stochastic(X, Y, y, sw, rng, incremental)
        if not all(bool(backend.array_module(p.data).isfinite(p.data).all())
                   for p in self._params):
            raise ValueError("Solver produced non-finite parameter weights. The input data may "
                             "contain large values and need to be preprocessed.")
        return self

    def _make_optimizer(self):
        if self.solver == "sgd":
            return SGD(self._params, lr=self.learning_rate_init, momentum=self.momentum,
                       nesterov=bool(self.nesterovs_momentum and self.momentum > 0))
        return Adam(self._params, lr=self.learning_rate_init, betas=(self.beta_1, self.beta_2),
                    eps=self.epsilon)

    def _split_validation(self, X, Y, y, sw, rng):
        from autograd_core.datasets import train_test_split  # noqa: PLC0415

        stratify = None
        if self._estimator_type == "classifier" and self._encoder.kind != "multilabel-indicator":
            _, counts = np.unique(y, return_counts=True)
            stratify = y if counts.min() >= 2 else None  # every class in both parts
        arrays = [X, Y, np.asarray(y)] + ([] if sw is None else [sw])
        parts = train_test_split(*arrays, test_size=self.validation_fraction,
                                 random_state=int(rng.randint(np.iinfo(np.int32).max)),
                                 stratify=stratify)
        X_tr, X_val, Y_tr, _, _, y_val = parts[:6]
        sw_tr, sw_val = (None, None) if sw is None else parts[6:]
        if X_val.shape[0] < 2:
            raise ValueError("The validation set is too small. Increase 'validation_fraction' "
                             "or the size of your dataset.")
        return X_tr, Y_tr, sw_tr, X_val, y_val, sw_val

    def _fit_stochastic(self, X, Y, y, sw, rng, incremental):
        early_stopping = self.early_stopping and not incremental
        X_val = y_val = sw_val = None
        if early_stopping:
            X, Y, sw, X_val, y_val, sw_val = self._split_validation(X, Y, y, sw, rng)
        n = X.shape[0]
        if self.batch_size == "auto":
            batch_size = min(200, n)
        else:
            if self.batch_size > n:
                warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is "
                              "going to be clipped", stacklevel=4)
            batch_size = int(np.clip(self.batch_size, 1, n))
        p0 = self._params[0]
        Xd = backend.asarray(X, p0.dtype, p0.device)
        Yd = backend.asarray(Y, p0.dtype, p0.device)
        swd = None if sw is None else backend.asarray(sw[:, None], p0.dtype, p0.device)
        xp = backend.array_module(Xd)
        sample_idx = np.arange(n)
        group = self._optimizer.param_groups[0]
        self.n_iter_ = 0  # epochs of this call, as in scikit-learn (1 after partial_fit)
        step = self._compiled_step() if swd is None else None
        for _ in range(self.max_iter):
            if self.shuffle:
                perm = np.arange(n)
                rng.shuffle(perm)  # the draw scikit-learn's utils.shuffle makes
                sample_idx = sample_idx[perm]
            accumulated = 0.0
            for start in range(0, n, batch_size):
                idx = xp.asarray(sample_idx[start:start + batch_size])
                sw_batch = None if swd is None else ag.tensor(swd[idx])
                if sw_batch is not None and not float(sw_batch.data.sum()):
                    continue  # every weight of the batch is 0: nothing to learn from it
                Xb, Yb = ag.tensor(Xd[idx]), ag.tensor(Yd[idx])
                if step is not None:  # ag.compile: the same kernels, replayed
                    data, l2 = step(Xb, Yb)
                    loss = self._reported(data, l2, Yb, None, Xb.shape[0])
                else:
                    objective, loss = self._batch_loss(Xb, Yb, sw_batch)
                    self._optimizer.zero_grad()
                    objective.backward()
                    self._optimizer.step()
                accumulated += loss * len(idx)
            self.n_iter_ += 1
            self.t_ += n
            self.loss_ = accumulated / n
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
            self._update_no_improvement_count(early_stopping, X_val, y_val, sw_val)
            if self.solver == "sgd" and self.learning_rate == "invscaling":
                group["lr"] = self.learning_rate_init / (self.t_ + 1) ** self.power_t
            if self._no_improvement_count > self.n_iter_no_change:
                what = "Validation score" if early_stopping else "Training loss"
                msg = (f"{what} did not improve more than tol={self.tol:f} for "
                       f"{self.n_iter_no_change} consecutive epochs.")
                if not (self.solver == "sgd" and self.learning_rate == "adaptive"):
                    if self.verbose:
                        print(msg + " Stopping.")
                    break
                if group["lr"] <= 1e-6:
                    if self.verbose:
                        print(msg + " Learning rate too small. Stopping.")
                    break
                group["lr"] /= 5.0
                if self.verbose:
                    print(msg + f" Setting learning rate to {group['lr']:f}")
                self._no_improvement_count = 0
            if incremental:
                break
            if self.n_iter_ == self.max_iter:
                warnings.warn(f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                              "reached and the optimization hasn't converged yet.",
                              sklearn_compatible(ConvergenceWarning), stacklevel=4)
        if early_stopping:
            self._set_param_arrays(self._best_params)
            del self._best_params

    def _update_no_improvement_count(self, early_stopping, X_val, y_val, sw_val=None):
        if early_stopping:
            score = self._score_validated(X_val, y_val, sw_val)
            self.validation_scores_.append(score)
            if self.verbose:
                print(f"Validation score: {score:f}")
            if score < self.best_validation_score_ + self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if score > self.best_validation_score_ or not hasattr(self, "_best_params"):
                if score > self.best_validation_score_:
                    self.best_validation_score_ = score
                self._best_params = [p.numpy().copy() for p in self._params]
        else:
            if self.loss_curve_[-1] > self.best_loss_ - self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            self.best_loss_ = min(self.best_loss_, self.loss_curve_[-1])


def _poisson_constant(Y, sw) -> float:
    """``Σ w (y log y - y)``: the part of the half Poisson deviance the weights do not
    change (0 log 0 = 0), added to the reported loss only."""
    xp = backend.array_module(Y)
    term = xp.where(Y > 0, Y * xp.log(xp.where(Y > 0, Y, 1)), 0) - Y
    if sw is not None:
        term = term * sw
    return float(term.sum())
