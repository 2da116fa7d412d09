"""Unary elementwise maths: exp, log, trig, tanh, sigmoid, relu, abs, sign, sqrt, clip...

Each op sits next to its derivative.  Conventions at non-differentiable points
(documented, the same as PyTorch's): ``relu'(0) = 0``, ``abs'(0) = 0``,
``sign' = 0`` everywhere, ``clip`` passes the gradient where ``lo <= x <= hi``.
"""

from __future__ import annotations

from ..backend import array_module
from ..function import Function
from .arithmetic import where

__all__ = ["abs", "sign", "exp", "log", "log1p", "expm1", "sqrt", "square", "sin", "cos",
           "tanh", "sigmoid", "relu", "clip"]

_builtin_abs = abs


class Abs(Function):
    name = "abs"
    save_inputs = True

    def forward(self, x):
        return array_module(x).abs(x)

    def backward(self, grad, out):
        return (grad * sign(self.inputs[0]),)


class Sign(Function):
    """``sign(x)``; its derivative is zero everywhere it exists."""

    def forward(self, x):
        return array_module(x).sign(x)

    def backward(self, grad, out):
        return (grad * 0.0,)


class Exp(Function):
    save_output = True

    def forward(self, x):
        return array_module(x).exp(x)

    def backward(self, grad, out):
        return (grad * out,)


class Log(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).log(x)

    def backward(self, grad, out):
        return (grad / self.inputs[0],)


class Log1p(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).log1p(x)

    def backward(self, grad, out):
        return (grad / (self.inputs[0] + 1.0),)


class Expm1(Function):
    save_output = True

    def forward(self, x):
        return array_module(x).expm1(x)

    def backward(self, grad, out):
        return (grad * (out + 1.0),)


class Sqrt(Function):
    save_output = True

    def forward(self, x):
        return array_module(x).sqrt(x)

    def backward(self, grad, out):
        return (grad / (out * 2.0),)


class Square(Function):
    save_inputs = True

    def forward(self, x):
        return x * x

    def backward(self, grad, out):
        return (grad * (self.inputs[0] * 2.0),)


class Sin(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).sin(x)

    def backward(self, grad, out):
        return (grad * cos(self.inputs[0]),)


class Cos(Function):
    save_inputs = True

    def forward(self, x):
        return array_module(x).cos(x)

    def backward(self, grad, out):
        return (-(grad * sin(self.inputs[0])),)


class Tanh(Function):
    save_output = True

    def forward(self, x):
        return array_module(x).tanh(x)

    def backward(self, grad, out):
        return (grad * (1.0 - out * out),)


class Sigmoid(Function):
    """Logistic function ``1 / (1 + exp(-x))``, computed without overflow for any ``x``."""

    save_output = True

    def forward(self, x):
        xp = array_module(x)
        # 1 / (1 + e^-x) = exp(-log(1 + e^-x)): logaddexp never overflows, and the
        # left tail keeps full relative precision (sigmoid(-40) = 4.2e-18, not 0)
        return xp.exp(-xp.logaddexp(0, -x))

    def backward(self, grad, out):
        return (grad * (out * (1.0 - out)),)


class Relu(Function):
    """``max(x, 0)``; the derivative at 0 is taken as 0."""

    save_output = True

    def forward(self, x):
        return array_module(x).maximum(x, 0)

    def backward(self, grad, out):
        if self.owns_grad:  # mask the engine's own array in place: no new array
            array_module(grad).multiply(grad, out > 0, out=grad)
            return (grad,)
        return (grad * (out > 0),)  # a multiply by the mask: faster than where()


class Clip(Function):
    """Clamp to ``[lo, hi]``; the gradient passes where ``lo <= x <= hi``."""

    __slots__ = ("lo", "hi")
    save_inputs = True

    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    def forward(self, x):
        return array_module(x).clip(x, self.lo, self.hi)

    def backward(self, grad, out):
        x = self.inputs[0]
        inside = None
        if self.lo is not None:
            inside = x >= self.lo
        if self.hi is not None:
            upper = x <= self.hi
            inside = upper if inside is None else inside & upper
        return (grad if inside is None else where(inside, grad, 0.0),)


def abs(x):  # noqa: A001 - NumPy's name
    """Elementwise absolute value; ``abs'(0) = 0``."""
    return Abs()(x)


def sign(x):
    """Elementwise sign (-1, 0 or 1); its gradient is zero."""
    return Sign()(x)


def exp(x):
    """Elementwise ``e**x``."""
    return Exp()(x)


def log(x):
    """Elementwise natural logarithm."""
    return Log()(x)


def log1p(x):
    """Elementwise ``log(1 + x)``, accurate for small ``x``."""
    return Log1p()(x)


def expm1(x):
    """Elementwise ``exp(x) - 1``, accurate for small ``x``."""
    return Expm1()(x)


def sqrt(x):
    """Elementwise square root (the gradient is infinite at 0)."""
    return Sqrt()(x)


def square(x):
    """Elementwise ``x * x``."""
    return Square()(x)


def sin(x):
    """Elementwise sine (radians)."""
    return Sin()(x)


def cos(x):
    """Elementwise cosine (radians)."""
    return Cos()(x)


def tanh(x):
    """Elementwise hyperbolic tangent."""
    return Tanh()(x)


def sigmoid(x):
    """Elementwise logistic sigmoid ``1 / (1 + exp(-x))``; finite for all ``x``."""
    return Sigmoid()(x)


def relu(x):
    """Elementwise ``max(x, 0)``; the derivative at exactly 0 is 0."""
    return Relu()(x)


def clip(x, lo=None, hi=None):
    """Clamp elementwise to ``[lo, hi]`` (either may be ``None``).

    The gradient is passed where ``lo <= x <= hi`` (inclusive) and is 0 outside.
    """
    if lo is None and hi is None:
        raise ValueError("clip: give at least one of lo and hi")
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"clip: lo={lo} is greater than hi={hi}")
    return Clip(lo, hi)(x)
