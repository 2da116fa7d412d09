"""Rounding (``floor ceil round trunc rint``) and the remainder family
(``fmod remainder``/``mod``, ``copysign``).

Rounding functions are piecewise constant: their gradient is 0 everywhere (also at the
jumps, where the true derivative does not exist), so they can sit inside a graph
without blocking other paths.  ``fmod(a, b) = a - trunc(a / b) * b`` and
``remainder(a, b) = a - floor(a / b) * b`` are differentiated away from their jumps:
``d/da = 1``, ``d/db = -trunc(a / b)`` (``-floor(a / b)`` for ``remainder``).
``copysign(a, b)`` is differentiable in ``a`` only (``±1``); its gradient for ``b`` is 0.
"""

from __future__ import annotations

from .._arguments import integer
from ..backend import array_module
from ..function import Function

__all__ = ["floor", "ceil", "round", "trunc", "rint", "fmod", "remainder", "mod", "copysign"]


class _Rounding(Function):
    """Base of piecewise-constant ops: zero gradient."""

    def backward(self, grad, out):
        return (grad * 0.0,)


class Floor(_Rounding):
    def forward(self, x):
        return array_module(x).floor(x)


class Ceil(_Rounding):
    def forward(self, x):
        return array_module(x).ceil(x)


class Trunc(_Rounding):
    def forward(self, x):
        return array_module(x).trunc(x)


class Rint(_Rounding):
    def forward(self, x):
        return array_module(x).rint(x)


class Round(_Rounding):
    __slots__ = ("decimals",)

    def __init__(self, decimals):
        self.decimals = decimals

    def forward(self, x):
        return array_module(x).round(x, self.decimals)


class Fmod(Function):
    save_inputs = True

    def forward(self, a, b):
        return array_module(a, b).fmod(a, b)

    def backward(self, grad, out):
        a, b = self.inputs
        return (grad if self.parents[0] is not None else None,
                -(grad * trunc(a / b)) if self.parents[1] is not None else None)


class Remainder(Function):
    save_inputs = True

    def forward(self, a, b):
        return array_module(a, b).remainder(a, b)

    def backward(self, grad, out):
        a, b = self.inputs
        return (grad if self.parents[0] is not None else None,
                -(grad * floor(a / b)) if self.parents[1] is not None else None)


class Copysign(Function):
    save_inputs = True

    def forward(self, a, b):
        return array_module(a, b).copysign(a, b)

    def backward(self, grad, out):
        a, b = self.inputs
        grad_b = grad * 0.0 if self.parents[1] is not None else None
        if self.parents[0] is None:
            return None, grad_b
        xp = array_module(getattr(a, "data", a), getattr(b, "data", b))
        # +1 where a already has b's sign bit, else -1 (signed zeros count: copysign(0., -1) = -0.)
        flip = xp.copysign(1.0, getattr(a, "data", a)) * xp.copysign(1.0, getattr(b, "data", b))
        return grad * flip, grad_b


def floor(x):
    """Elementwise largest integer ``<= x`` (as a float); zero gradient."""
    return Floor()(x)


def ceil(x):
    """Elementwise smallest integer ``>= x`` (as a float); zero gradient."""
    return Ceil()(x)


def trunc(x):
    """Elementwise integer part, rounding towards zero; zero gradient."""
    return Trunc()(x)


def rint(x):
    """Elementwise nearest integer (ties to even); zero gradient."""
    return Rint()(x)


def round(x, decimals=0):  # noqa: A001 - NumPy's name
    """Round to ``decimals`` decimals (ties to even, as ``numpy.round``); zero gradient."""
    return Round(integer(decimals, "round", "decimals"))(x)


def fmod(a, b):
    """Elementwise C-style remainder ``a - trunc(a / b) * b`` (sign of ``a``), broadcasting."""
    return Fmod()(a, b)


def remainder(a, b):
    """Elementwise Python-style remainder ``a - floor(a / b) * b`` (sign of ``b``), broadcasting."""
    return Remainder()(a, b)


mod = remainder


def copysign(a, b):
    """``|a|`` with the sign of ``b``, broadcasting; the gradient flows to ``a`` only."""
    return Copysign()(a, b)
