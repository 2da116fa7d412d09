"""Exponents and logarithms beyond ``exp``/``log``: ``exp2 log2 log10 logaddexp logaddexp2``,
plus ``reciprocal`` and ``cbrt``.

``logaddexp(a, b) = log(exp(a) + exp(b))`` is computed without overflow; its gradients are
the softmax weights ``exp(a - out) = sigmoid(a - b)`` and ``sigmoid(b - a)``.  ``cbrt``'s slope is infinite
at 0 (``inf`` gradient there), ``reciprocal``'s value and gradient are infinite at 0.
"""

from __future__ import annotations

import math

from ..backend import array_module
from ..function import Function
from .elementwise import sigmoid

__all__ = ["exp2", "log2", "log10", "logaddexp", "logaddexp2", "reciprocal", "cbrt"]

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


class Exp2(Function):
    save_output = True

    def forward(self, x):
        return array_module(x).exp2(x)

    def backward(self, grad, out):
        return (grad * (out * _LN2),)


class Log2(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).log2(x)

    def backward(self, grad, out):
        return (grad / (self.inputs[0] * _LN2),)


class Log10(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).log10(x)

    def backward(self, grad, out):
        return (grad / (self.inputs[0] * _LN10),)


class Reciprocal(Function):
    save_output = True

    def forward(self, x):
        if x.dtype.kind != "f":  # NumPy's integer reciprocal truncates (1/2 -> 0)
            x = x.astype("float64")
        return array_module(x).reciprocal(x)

    def backward(self, grad, out):
        return (-(grad * (out * out)),)


class Cbrt(Function):
    save_output = True

    def forward(self, x):
        return array_module(x).cbrt(x)

    def backward(self, grad, out):
        return (grad / (out * out * 3.0),)


class LogAddExp(Function):
    # the weights exp(a - out) written as sigmoid(a - b): no cancellation in a - out
    save_inputs = True

    def forward(self, a, b):
        return array_module(a, b).logaddexp(a, b)

    def backward(self, grad, out):
        a, b = self.inputs
        return (grad * sigmoid(a - b) if self.parents[0] is not None else None,
                grad * sigmoid(b - a) if self.parents[1] is not None else None)


class LogAddExp2(Function):
    save_inputs = True

    def forward(self, a, b):
        return array_module(a, b).logaddexp2(a, b)

    def backward(self, grad, out):
        a, b = self.inputs
        return (grad * sigmoid((a - b) * _LN2) if self.parents[0] is not None else None,
                grad * sigmoid((b - a) * _LN2) if self.parents[1] is not None else None)


def exp2(x):
    """Elementwise ``2**x``."""
    return Exp2()(x)


def log2(x):
    """Elementwise base-2 logarithm."""
    return Log2()(x)


def log10(x):
    """Elementwise base-10 logarithm."""
    return Log10()(x)


def reciprocal(x):
    """Elementwise ``1 / x`` (integer inputs give float64, not NumPy's truncated integers)."""
    return Reciprocal()(x)


def cbrt(x):
    """Elementwise real cube root (negative for negative ``x``); infinite slope at 0."""
    return Cbrt()(x)


def logaddexp(a, b):
    """Elementwise ``log(exp(a) + exp(b))`` without overflow, with broadcasting."""
    return LogAddExp()(a, b)


def logaddexp2(a, b):
    """Elementwise ``log2(2**a + 2**b)`` without overflow, with broadcasting."""
    return LogAddExp2()(a, b)
