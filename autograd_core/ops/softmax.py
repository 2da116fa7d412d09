"""``softmax`` and ``log_softmax`` along an axis, stable for logits of any magnitude."""

from __future__ import annotations

from ..backend import array_module
from ..function import Function
from .elementwise import exp
from .reduction import normalize_axis

__all__ = ["softmax", "log_softmax"]


class Softmax(Function):
    __slots__ = ("axis",)
    save_output = True

    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        xp = array_module(x)
        shifted = x - x.max(axis=self.axis, keepdims=True) if x.size else x
        e = xp.exp(shifted)
        return e / e.sum(axis=self.axis, keepdims=True)

    def backward(self, grad, out):
        weighted = (grad * out).sum(axis=self.axis, keepdims=True)
        return (out * (grad - weighted),)


class LogSoftmax(Function):
    __slots__ = ("axis",)
    save_output = True

    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        xp = array_module(x)
        shifted = x - x.max(axis=self.axis, keepdims=True) if x.size else x
        return shifted - xp.log(xp.exp(shifted).sum(axis=self.axis, keepdims=True))

    def backward(self, grad, out):
        return (grad - exp(out) * grad.sum(axis=self.axis, keepdims=True),)


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x), axis)``, shifted by the max so logits of ±1e4 stay finite.

    Shapes: output has the shape of ``x``; each slice along ``axis`` sums to 1.
    """
    return Softmax(normalize_axis(axis, x.ndim, "softmax")[0])(x)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x, axis)``: log-probabilities, exact in the tails (no log of 0)."""
    return LogSoftmax(normalize_axis(axis, x.ndim, "log_softmax")[0])(x)
