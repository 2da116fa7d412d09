"""Inverted dropout."""

from __future__ import annotations

import autograd_core as ag
from autograd_core.random import get_generator

__all__ = ["dropout"]


def dropout(x, p=0.5, training=True, generator=None):
    """Inverted dropout: zero each element with probability ``p`` and scale the
    survivors by ``1 / (1 - p)``, so the expected activation is unchanged and
    evaluation needs no rescaling.

    Parameters
    ----------
    x : Tensor, any shape
    p : float in [0, 1]
        Drop probability (``p = 1`` zeroes everything).
    training : bool
        ``False`` returns ``x`` unchanged (the identity in eval mode).
    generator : Generator, int seed or None
        Source of the mask (``None``: the global generator).

    Returns
    -------
    Tensor shaped like ``x``.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be in [0, 1], got {p}")
    if not isinstance(x, ag.Tensor):
        x = ag.tensor(x)
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    keep = get_generator(generator).module(x.device).random(x.shape) >= p
    mask = keep.astype(x.dtype) * (1.0 / (1.0 - p))
    return x * ag.Tensor._new(mask.astype(x.dtype, copy=False))
