"""Trigonometric and hyperbolic functions beyond ``sin``/``cos``/``tanh``.

``tan arcsin arccos arctan sinh cosh arcsinh arccosh arctanh`` and the two-operand
``arctan2`` and ``hypot``.  Each forward sits next to its derivative; outside an op's
domain (``arcsin`` of 2, ``arccosh`` of 0.5) the value is NaN, as in NumPy, and so is
its gradient.  ``hypot``'s gradient at ``(0, 0)`` is taken as 0 (as ``norm``'s).
"""

from __future__ import annotations

from ..backend import array_module
from ..function import Function
from .arithmetic import where
from .elementwise import sqrt

__all__ = ["tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh", "arccosh",
           "arctanh", "arctan2", "hypot"]


class Tan(Function):
    save_output = True

    def forward(self, x):
        return array_module(x).tan(x)

    def backward(self, grad, out):
        return (grad * (1.0 + out * out),)


class Arcsin(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).arcsin(x)

    def backward(self, grad, out):
        x = self.inputs[0]
        return (grad / sqrt(1.0 - x * x),)


class Arccos(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).arccos(x)

    def backward(self, grad, out):
        x = self.inputs[0]
        return (-grad / sqrt(1.0 - x * x),)


class Arctan(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).arctan(x)

    def backward(self, grad, out):
        x = self.inputs[0]
        return (grad / (1.0 + x * x),)


class Sinh(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).sinh(x)

    def backward(self, grad, out):
        return (grad * cosh(self.inputs[0]),)


class Cosh(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).cosh(x)

    def backward(self, grad, out):
        return (grad * sinh(self.inputs[0]),)


class Arcsinh(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).arcsinh(x)

    def backward(self, grad, out):
        x = self.inputs[0]
        return (grad / sqrt(x * x + 1.0),)


class Arccosh(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).arccosh(x)

    def backward(self, grad, out):
        x = self.inputs[0]
        return (grad / sqrt(x * x - 1.0),)


class Arctanh(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).arctanh(x)

    def backward(self, grad, out):
        x = self.inputs[0]
        return (grad / (1.0 - x * x),)


class Arctan2(Function):
    """``arctan2(y, x)``: the angle of the point ``(x, y)``; gradients ``(x, -y) / r²``."""

    save_inputs = True

    def forward(self, y, x):
        return array_module(y, x).arctan2(y, x)

    def backward(self, grad, out):
        y, x = self.inputs
        scaled = grad / (x * x + y * y)
        return (scaled * x if self.parents[0] is not None else None,
                -(scaled * y) if self.parents[1] is not None else None)


class Hypot(Function):
    """``sqrt(a² + b²)`` without overflow; gradients ``(a, b) / out``, 0 at the origin."""

    save_inputs = True
    save_output = True

    def forward(self, a, b):
        return array_module(a, b).hypot(a, b)

    def backward(self, grad, out):
        a, b = self.inputs
        zero = out == 0
        scaled = where(zero, 0.0, grad / where(zero, 1.0, out))
        return (scaled * a if self.parents[0] is not None else None,
                scaled * b if self.parents[1] is not None else None)


def tan(x):
    """Elementwise tangent (radians); derivative ``1 + tan(x)**2``."""
    return Tan()(x)


def arcsin(x):
    """Elementwise inverse sine, for ``x`` in ``[-1, 1]`` (NaN outside; infinite slope at ±1)."""
    return Arcsin()(x)


def arccos(x):
    """Elementwise inverse cosine, for ``x`` in ``[-1, 1]`` (NaN outside; infinite slope at ±1)."""
    return Arccos()(x)


def arctan(x):
    """Elementwise inverse tangent, in ``(-pi/2, pi/2)``."""
    return Arctan()(x)


def sinh(x):
    """Elementwise hyperbolic sine."""
    return Sinh()(x)


def cosh(x):
    """Elementwise hyperbolic cosine."""
    return Cosh()(x)


def arcsinh(x):
    """Elementwise inverse hyperbolic sine."""
    return Arcsinh()(x)


def arccosh(x):
    """Elementwise inverse hyperbolic cosine, for ``x >= 1`` (infinite slope at 1)."""
    return Arccosh()(x)


def arctanh(x):
    """Elementwise inverse hyperbolic tangent, for ``x`` in ``(-1, 1)``."""
    return Arctanh()(x)


def arctan2(y, x):
    """Elementwise angle of ``(x, y)`` in ``[-pi, pi]``, with broadcasting; both operands
    differentiable (either may be a Python scalar).  At the origin the gradient is NaN."""
    return Arctan2()(y, x)


def hypot(a, b):
    """Elementwise ``sqrt(a**2 + b**2)`` with broadcasting; the gradient at ``(0, 0)`` is 0."""
    return Hypot()(a, b)
