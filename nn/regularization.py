"""Weight penalties to add to a loss: L1 (lasso), L2 (ridge) and elastic net.

"Weights" are the parameters with two or more axes (``Linear.weight``); biases
and normalisation scales (1-D) are not penalised, as is conventional: shrinking
them does not reduce a model's capacity to overfit.

>>> loss = F.mse_loss(model(x), y) + nn.regularization.l2_penalty(model, 1e-4)

Per layer, as Keras' ``kernel_regularizer``: ``nn.Linear(784, 128,
weight_regularizer=nn.L2(0.01))``; :func:`nn.fit` adds every layer's penalty
(:func:`penalty`) to each training batch's loss (the reported ``loss`` includes it,
``val_loss`` does not).
"""

from __future__ import annotations

import autograd_core as ag

from .module import Module

__all__ = ["weights", "l1_penalty", "l2_penalty", "elastic_net_penalty", "Regularizer", "L1",
           "L2", "ElasticNet", "L1L2", "get_regularizer", "penalty", "with_penalty"]


def weights(model_or_params) -> list:
    """The tensors to penalise: a module's parameters with ``ndim >= 2`` that require
    grad, or every tensor of an explicit iterable."""
    if isinstance(model_or_params, Module):
        return [p for p in model_or_params.parameters() if p.ndim >= 2 and p.requires_grad]
    if isinstance(model_or_params, ag.Tensor):
        return [model_or_params]
    return list(model_or_params)


def _total(tensors, term):
    total = None
    for w in tensors:
        value = term(w).sum()
        total = value if total is None else total + value
    return ag.tensor(0.0) if total is None else total


def l1_penalty(model_or_params, strength: float = 1.0):
    """``strength * Σ|w|`` over the weights (encourages sparse weights).  Scalar Tensor."""
    return _total(weights(model_or_params), ag.abs) * strength


def l2_penalty(model_or_params, strength: float = 1.0):
    """``strength * Σw²`` over the weights (weight decay; no factor 1/2).  Scalar Tensor."""
    return _total(weights(model_or_params), ag.square) * strength


def elastic_net_penalty(model_or_params, strength: float = 1.0, l1_ratio: float = 0.5):
    """``strength * (l1_ratio * Σ|w| + (1 - l1_ratio) * Σw²)``.  Scalar Tensor."""
    if not 0.0 <= l1_ratio <= 1.0:
        raise ValueError(f"elastic_net_penalty: l1_ratio must be in [0, 1], got {l1_ratio}")
    ws = weights(model_or_params)
    return (_total(ws, ag.abs) * l1_ratio + _total(ws, ag.square) * (1.0 - l1_ratio)) * strength


class Regularizer:
    """A penalty on one tensor, ``regularizer(w) -> scalar Tensor`` (Keras' regularizers).

    Subclasses set ``l1`` and ``l2``; the penalty is ``l1 * Σ|w| + l2 * Σw²``.
    """

    l1 = 0.0
    l2 = 0.0

    def __call__(self, w):
        total = None
        if self.l1:
            total = ag.abs(w).sum() * self.l1
        if self.l2:
            term = ag.square(w).sum() * self.l2
            total = term if total is None else total + term
        return (w * 0.0).sum() if total is None else total

    def __eq__(self, other):
        return type(self) is type(other) and (self.l1, self.l2) == (other.l1, other.l2)

    def __hash__(self):
        return hash((type(self).__name__, self.l1, self.l2))


def _factor(who, value):
    value = float(value)
    if not value >= 0.0:  # also rejects NaN
        raise ValueError(f"{who}: the factor must be a non-negative number, got {value!r}")
    return value


class L1(Regularizer):
    """``l1 * Σ|w|`` (Keras ``regularizers.l1(0.01)``; encourages sparse weights)."""

    def __init__(self, l1: float = 0.01):
        self.l1 = _factor("L1", l1)

    def __repr__(self):
        return f"L1({self.l1!r})"


class L2(Regularizer):
    """``l2 * Σw²`` (Keras ``regularizers.l2(0.01)``; weight decay, no factor 1/2)."""

    def __init__(self, l2: float = 0.01):
        self.l2 = _factor("L2", l2)

    def __repr__(self):
        return f"L2({self.l2!r})"


class ElasticNet(Regularizer):
    """``l1 * Σ|w| + l2 * Σw²`` (Keras ``regularizers.l1_l2(l1=0.01, l2=0.01)``)."""

    def __init__(self, l1: float = 0.01, l2: float = 0.01):
        self.l1, self.l2 = _factor("ElasticNet", l1), _factor("ElasticNet", l2)

    def __repr__(self):
        return f"ElasticNet(l1={self.l1!r}, l2={self.l2!r})"


L1L2 = ElasticNet


def get_regularizer(reg, who: str = "regularizer"):
    """``None``, a :class:`Regularizer` or any callable ``f(w) -> scalar Tensor`` (returned as
    is), or a Keras name: ``"l1"``, ``"l2"``, ``"l1_l2"`` (factor 0.01)."""
    if reg is None or callable(reg):
        return reg
    names = {"l1": L1, "l2": L2, "l1_l2": ElasticNet, "l1l2": ElasticNet,
             "elastic_net": ElasticNet}
    if isinstance(reg, str) and reg.lower() in names:
        return names[reg.lower()]()
    raise ValueError(f"{who}: expected None, a regularizer such as nn.L2(0.01), a callable "
                     f"f(w) -> scalar Tensor or one of {sorted(names)}; got {reg!r}")


def _terms(model):
    """``(tensor, regularizer)`` for every layer's regularized parameter, in module order."""
    terms = []
    for module in model.modules():
        for name, reg in getattr(module, "_regularizers", {}).items():
            tensor = getattr(module, name, None)
            if reg is not None and tensor is not None:
                terms.append((tensor, reg))
    return terms


def penalty(model):
    """The sum of the penalties the layers of ``model`` declare (``weight_regularizer=``,
    ``bias_regularizer=``): a scalar Tensor, or ``None`` when no layer has one."""
    terms = _terms(model)
    if not terms:
        return None
    total = None
    for tensor, reg in terms:
        value = reg(tensor)
        total = value if total is None else total + value
    return total


def with_penalty(loss_fn, model):
    """``loss_fn`` itself when no layer of ``model`` is regularized, else
    ``lambda output, target: loss_fn(output, target) + penalty(model)``."""
    if not _terms(model):
        return loss_fn

    def regularized(output, target):
        return loss_fn(output, target) + penalty(model)

    return regularized
