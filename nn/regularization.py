"""Weight penalties to add to a loss: L1 (lasso), L2 (ridge) and elastic net.

"Weights" are the parameters with two or more axes (``Linear.weight``); biases
and normalisation scales (1-D) are not penalised, as is conventional: shrinking
them does not reduce a model's capacity to overfit.

>>> loss = F.mse_loss(model(x), y) + nn.regularization.l2_penalty(model, 1e-4)
"""

from __future__ import annotations

import autograd_core as ag

from .module import Module

__all__ = ["weights", "l1_penalty", "l2_penalty", "elastic_net_penalty"]


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
