"""Threshold logic units and Rosenblatt's perceptron.

A threshold logic unit (TLU) computes ``step(w · x + b)``; the bias ``b`` is the
weight of a constant input 1 (``-b`` is the unit's threshold).  ``TLU`` is a layer
of such units with weights you set by hand (the McCulloch–Pitts logic networks);
``Perceptron`` learns them with the perceptron rule.
"""

from __future__ import annotations

import autograd_core as ag
from autograd_core import backend
from autograd_core.random import get_generator

from .. import functional as F
from ..module import Module
from ..parameter import Parameter

__all__ = ["TLU", "Perceptron"]

_STEPS = {"heaviside": (0, 1), "step": (0, 1), "sign": (-1, 1)}


def _check_step(activation, who):
    if activation not in _STEPS:
        raise ValueError(f"{who}: activation must be 'heaviside' (outputs 0/1) or 'sign' "
                         f"(outputs -1/+1), not {activation!r}")
    return "heaviside" if activation == "step" else activation


def _step(z, activation):
    return F.heaviside(z) if activation == "heaviside" else F.sign(z)


class TLU(Module):
    """A layer of threshold logic units: ``step(x @ W + b)``.

    ``heaviside`` gives ``1`` when ``x @ W + b >= 0`` (else 0); ``sign`` gives the
    sign (-1, 0, +1).  The step's derivative is zero almost everywhere, so a
    network of TLUs is wired by hand (or trained with the perceptron rule), not by
    gradient descent.

    Parameters
    ----------
    in_features, out_features : int
    activation : {"heaviside", "sign"}
    weight : array_like ``(in_features, out_features)``, optional
        Initial weights (default zeros).
    bias : array_like ``(out_features,)``, optional
        Initial biases (default zeros); ``-bias`` is the threshold.

    Shapes
    ------
    ``(..., in_features)`` -> ``(..., out_features)``, values in {0, 1} or
    {-1, 0, 1}.

    Examples
    --------
    AND of two binary inputs (fires when ``x1 + x2 >= 1.5``):

    >>> and_gate = TLU.from_weights([[1.0], [1.0]], [-1.5])
    >>> and_gate(ag.tensor([[1.0, 1.0], [1.0, 0.0]]))
    tensor([[1.], [0.]])
    """

    def __init__(self, in_features: int, out_features: int = 1, activation: str = "heaviside",
                 *, weight=None, bias=None, dtype=None, device=None):
        super().__init__()
        self.activation = _check_step(activation, type(self).__name__)
        self.in_features, self.out_features = in_features, out_features
        w = ag.zeros(in_features, out_features, dtype=dtype, device=device)
        b = ag.zeros(out_features, dtype=dtype, device=device)
        if weight is not None:
            w = _shaped(weight, (in_features, out_features), "weight", w)
        if bias is not None:
            b = _shaped(bias, (out_features,), "bias", b)
        self.weight = Parameter(w)
        self.bias = Parameter(b)

    @classmethod
    def from_weights(cls, weight, bias, activation: str = "heaviside", **kwargs) -> "TLU":
        """A TLU layer with the given ``weight (in, out)`` (a 1-D weight is one unit) and
        ``bias (out,)`` (a scalar for one unit)."""
        w = ag.tensor(weight, dtype=kwargs.get("dtype"))
        if w.ndim == 1:
            w = w.reshape(-1, 1)
        b = ag.tensor(bias, dtype=kwargs.get("dtype")).reshape(-1)
        return cls(w.shape[0], w.shape[1], activation, weight=w, bias=b, **kwargs)

    def net_input(self, x):
        """The weighted sums ``x @ W + b`` before the step, shape ``(..., out_features)``."""
        if not isinstance(x, ag.Tensor):
            x = ag.tensor(x, dtype=self.weight.dtype, device=self.weight.device)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"{type(self).__name__}(in_features={self.in_features}): expected "
                             f"input of shape (..., {self.in_features}), got {tuple(x.shape)}")
        return x @ self.weight + self.bias

    def forward(self, x):
        return _step(self.net_input(x), self.activation)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"activation={self.activation!r}")


class Perceptron(TLU):
    """Rosenblatt's perceptron: a layer of TLUs trained with the perceptron rule.

    For each training instance in turn, every output unit updates

        ``w ← w + η (y − ŷ) x``  and  ``b ← b + η (y − ŷ)``

    (no change when the prediction ``ŷ`` is right).  An epoch is one pass over the
    data; training stops after an epoch with no error, or after ``max_epochs``.  By
    the perceptron convergence theorem it stops on linearly separable data (iris
    setosa vs. the rest, AND, OR); on XOR it never does.  It is not gradient
    based: the rule runs directly on the arrays.

    The weights start at zero: unlike a multilayer network, a single layer has no
    hidden units whose symmetry needs breaking, and each unit's updates depend only
    on its own errors.

    Parameters
    ----------
    in_features : int
    out_features : int
        Number of units (one binary decision each).
    activation : {"heaviside", "sign"}
        Labels are {0, 1} for ``heaviside`` and {-1, 1} for ``sign``.
    lr : float
        The learning rate η.
    max_epochs : int
    shuffle : bool
        Visit the instances in a new random order each epoch.
    generator : Generator, int seed or None
        For the shuffling.

    Attributes (after ``fit``)
    --------------------------
    errors_ : list of int
        Misclassified instances per epoch (counted when the unit's prediction was
        wrong at the time it saw the instance).
    converged_ : bool
        Whether an epoch made no error.
    n_epochs_ : int
        Epochs run.
    """

    def __init__(self, in_features: int, out_features: int = 1,
                 activation: str = "heaviside", lr: float = 1.0, max_epochs: int = 100,
                 shuffle: bool = True, generator=None, *, dtype=None, device=None):
        super().__init__(in_features, out_features, activation, dtype=dtype, device=device)
        if lr <= 0:
            raise ValueError(f"Perceptron: lr must be positive, got {lr}")
        if max_epochs < 1:
            raise ValueError(f"Perceptron: max_epochs must be at least 1, got {max_epochs}")
        self.lr, self.max_epochs, self.shuffle = lr, max_epochs, shuffle
        self.generator = None if generator is None else get_generator(generator)
        self.errors_: list[int] = []
        self.converged_, self.n_epochs_ = False, 0

    def _arrays(self, X, y=None):
        dtype, device = self.weight.dtype, self.weight.device
        X = backend.asarray(X.data if isinstance(X, ag.Tensor) else X, dtype, device)
        if X.ndim != 2 or X.shape[1] != self.in_features:
            raise ValueError(f"Perceptron(in_features={self.in_features}): expected X of shape "
                             f"(n_samples, {self.in_features}), got {tuple(X.shape)}")
        if y is None:
            return X
        y = backend.asarray(y.data if isinstance(y, ag.Tensor) else y, dtype, device)
        if y.ndim == 1 and self.out_features == 1:
            y = y.reshape(-1, 1)
        if y.shape != (X.shape[0], self.out_features):
            raise ValueError(f"Perceptron: expected y of shape ({X.shape[0]},"
                             f"{' 1' if self.out_features == 1 else ''}) or "
                             f"({X.shape[0]}, {self.out_features}), got {tuple(y.shape)}")
        labels = _STEPS[self.activation]
        if y.size and not bool(((y == labels[0]) | (y == labels[1])).all()):
            raise ValueError(f"Perceptron with activation={self.activation!r}: labels must be "
                             f"{labels[0]} or {labels[1]}")
        return X, y

    def _predict_array(self, X):
        z = X @ self.weight.data + self.bias.data
        xp = backend.array_module(z)
        if self.activation == "heaviside":
            return (z >= 0).astype(z.dtype)
        return xp.sign(z)

    def fit(self, X, y) -> "Perceptron":
        """Train with the perceptron rule, one instance at a time.

        Parameters
        ----------
        X : array ``(n_samples, in_features)``
        y : array ``(n_samples,)`` (one unit) or ``(n_samples, out_features)``
            Labels in {0, 1} (heaviside) or {-1, 1} (sign).

        Returns
        -------
        self
        """
        X, y = self._arrays(X, y)
        w, b = self.weight.data.copy(), self.bias.data.copy()
        xp = backend.array_module(w)
        rng = get_generator(self.generator).numpy
        n = X.shape[0]
        self.errors_, self.converged_, self.n_epochs_ = [], False, 0
        for _ in range(self.max_epochs):
            order = rng.permutation(n) if self.shuffle else range(n)
            errors = 0
            for i in order:
                x_i = X[int(i)]
                z = x_i @ w + b
                y_hat = (z >= 0).astype(w.dtype) if self.activation == "heaviside" else xp.sign(z)
                delta = y[int(i)] - y_hat
                if bool(delta.any()):
                    errors += 1
                    w += self.lr * xp.outer(x_i, delta)
                    b += self.lr * delta
            self.errors_.append(errors)
            self.n_epochs_ += 1
            if errors == 0:
                self.converged_ = True
                break
        with ag.no_grad():
            self.weight.data[...] = w
            self.bias.data[...] = b
        self.weight._bump_version()
        self.bias._bump_version()
        return self

    def predict(self, X):
        """Predicted labels: array ``(n_samples,)`` for one unit, else
        ``(n_samples, out_features)``."""
        out = self._predict_array(self._arrays(X))
        return out[:, 0] if self.out_features == 1 else out

    def score(self, X, y) -> float:
        """Fraction of instances whose every label is predicted right."""
        X, y = self._arrays(X, y)
        return float((self._predict_array(X) == y).all(axis=1).mean())

    def extra_repr(self):
        return super().extra_repr() + f", lr={self.lr}, max_epochs={self.max_epochs}"


def _shaped(value, shape, name, like):
    t = value if isinstance(value, ag.Tensor) else ag.tensor(value, dtype=like.dtype)
    if tuple(t.shape) != shape:
        raise ValueError(f"TLU: {name} must have shape {shape}, got {tuple(t.shape)}")
    return t.to(device=like.device, dtype=like.dtype).detach()
