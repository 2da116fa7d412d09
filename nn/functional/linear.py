"""The affine map of a dense layer."""

from __future__ import annotations

__all__ = ["linear"]


def linear(x, weight, bias=None):
    """``x @ weight + bias``.

    Shapes: ``x`` ``(..., in)``, ``weight`` ``(in, out)``, ``bias`` ``(out,)``;
    result ``(..., out)``.  (The textbook layout; PyTorch stores ``weight.T``.)
    """
    y = x @ weight
    return y if bias is None else y + bias
