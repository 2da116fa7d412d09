"""``Dropout`` layer."""

from __future__ import annotations

from autograd_core.random import get_generator

from ..functional.dropout import dropout
from ..module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Inverted dropout: in training mode zero each element with probability ``p``
    and scale the rest by ``1 / (1 - p)``; the identity in eval mode.

    Parameters
    ----------
    p : float in [0, 1]
    generator : Generator, int seed or None
        An int seeds a private generator (the layer's masks are then reproducible on
        their own); ``None`` draws from the global generator at each call, so
        ``autograd_core.manual_seed`` controls it.

    Shapes
    ------
    any; output shaped like the input.
    """

    def __init__(self, p: float = 0.5, generator=None):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1], got {p}")
        self.p = p
        self.generator = None if generator is None else get_generator(generator)

    def forward(self, x):
        return dropout(x, self.p, self.training, self.generator)

    def extra_repr(self):
        return f"p={self.p}"
