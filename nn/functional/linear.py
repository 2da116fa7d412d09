"""The affine map of a dense layer."""

from __future__ import annotations

import autograd_core as ag

__all__ = ["linear"]


def linear(x, weight, bias=None):
    """``x @ weight + bias``, one graph node (:func:`autograd_core.linear`).

    Shapes: ``x`` ``(..., in)``, ``weight`` ``(in, out)``, ``bias`` ``(out,)``;
    result ``(..., out)``.  (The textbook layout; PyTorch stores ``weight.T``.)
    """
    return ag.linear(x, weight, bias)
