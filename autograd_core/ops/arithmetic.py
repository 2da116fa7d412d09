"""Binary arithmetic with NumPy broadcasting: ``+ - * / **``, ``maximum``, ``minimum``, ``where``.

Operands may be Tensors, arrays or Python scalars.  Python scalars are "weak"
(NumPy 2 rules): ``x32 * 2.0`` stays float32.  Gradients of broadcast operands
are summed back to each operand's shape by the engine.
"""

from __future__ import annotations

import math

from .._arguments import tensor_dtype
from ..backend import array_module
from ..dtypes import is_differentiable_dtype
from ..function import Function
from ..tensor import Tensor

_SCALARS = (int, float, bool)

__all__ = ["add", "subtract", "multiply", "divide", "power", "negative", "maximum", "minimum",
           "where", "astype"]


class Add(Function):
    def forward(self, a, b):
        return a + b

    def backward(self, grad, out):
        return grad, grad


class Sub(Function):
    name = "subtract"

    def forward(self, a, b):
        return a - b

    def backward(self, grad, out):
        return grad, -grad


class Mul(Function):
    name = "multiply"
    save_inputs = True
    reads = (0b10, 0b01)  # d(a*b)/da reads b, d/db reads a

    def forward(self, a, b):
        return a * b

    def backward(self, grad, out):
        a, b = self.inputs
        parents = self.parents
        return (grad * b if parents[0] is not None else None,
                grad * a if parents[1] is not None else None)


class Div(Function):
    name = "divide"
    save_inputs = True
    reads = (0b10, 0b11)  # d/da = 1/b; d/db = -a/b**2

    def forward(self, a, b):
        return a / b

    def backward(self, grad, out):
        a, b = self.inputs
        grad_a = grad / b
        return (grad_a if self.parents[0] is not None else None,
                (-grad_a * a / b) if self.parents[1] is not None else None)


class Neg(Function):
    name = "negative"

    def forward(self, a):
        return -a

    def backward(self, grad, out):
        return (-grad,)


class Pow(Function):
    """``a ** b``.  Where ``b == 0`` the gradient for ``a`` is 0 (also at ``a == 0``);
    the gradient for ``b`` is ``out * log(a)``, taken as 0 where ``a == 0``."""

    name = "power"
    save_inputs = True
    save_output = True

    def forward(self, a, b):
        return a ** b

    def backward(self, grad, out):
        from .elementwise import log  # noqa: PLC0415 - sibling module, avoids an import cycle

        a, b = self.inputs
        grad_a = grad_b = None
        if self.parents[0] is not None:
            if b.__class__ not in _SCALARS:
                # b * a**(b-1) is 0 at b == 0 except at a == 0 too, where it is 0 * inf
                grad_a = where((b == 0) & (a == 0), 0.0, grad * b * a ** (b - 1))
            elif b == 0:
                grad_a = grad * 0.0
            elif b == 1:
                grad_a = grad
            elif b == 2:
                grad_a = grad * (a * 2.0)
            else:
                grad_a = grad * (b * a ** (b - 1))
        if self.parents[1] is not None:
            if a.__class__ not in _SCALARS:
                grad_b = grad * out * log(where(a == 0, 1.0, a))
            else:
                grad_b = grad * out * (math.log(a) if a > 0 else 0.0 if a == 0 else math.nan)
        return grad_a, grad_b


class Maximum(Function):
    """Elementwise maximum; at ties the gradient is split equally between the operands."""

    save_inputs = True

    def forward(self, a, b):
        return array_module(a, b).maximum(a, b)

    def backward(self, grad, out):
        a, b = self.inputs
        return _split_by_winner(grad, a, b, a > b)


class Minimum(Function):
    """Elementwise minimum; at ties the gradient is split equally between the operands."""

    save_inputs = True

    def forward(self, a, b):
        return array_module(a, b).minimum(a, b)

    def backward(self, grad, out):
        a, b = self.inputs
        return _split_by_winner(grad, a, b, a < b)


def _split_by_winner(grad, a, b, a_wins):
    tie = a == b
    half = grad * 0.5
    grad_a = where(a_wins, grad, where(tie, half, 0.0))
    grad_b = where(a_wins, 0.0, where(tie, half, grad))
    return grad_a, grad_b


class Where(Function):
    """``where(condition, a, b)``: condition is a constant; gradient flows to the chosen side."""

    def forward(self, condition, a, b):
        return array_module(condition, a, b).where(condition, a, b)

    def backward(self, grad, out):
        condition = self.inputs[0]
        grad_a = where(condition, grad, 0.0) if self.parents[1] is not None else None
        grad_b = where(condition, 0.0, grad) if self.parents[2] is not None else None
        return None, grad_a, grad_b


class Cast(Function):
    name = "astype"

    def __init__(self, dtype):
        self.dtype = dtype

    __slots__ = ("dtype", "source_dtype")

    def forward(self, a):
        self.source_dtype = a.dtype
        return a.astype(self.dtype)

    def backward(self, grad, out):
        return (astype(grad, self.source_dtype),)


def add(a, b):
    """``a + b`` elementwise, with broadcasting.  Shapes: any two broadcastable shapes."""
    return Add()(a, b)


def subtract(a, b):
    """``a - b`` elementwise, with broadcasting."""
    return Sub()(a, b)


def multiply(a, b):
    """``a * b`` elementwise, with broadcasting."""
    return Mul()(a, b)


def divide(a, b):
    """``a / b`` elementwise (true division), with broadcasting."""
    return Div()(a, b)


def power(a, b):
    """``a ** b`` elementwise, with broadcasting; differentiable in both operands."""
    return Pow()(a, b)


def negative(a):
    """``-a``."""
    return Neg()(a)


def maximum(a, b):
    """Elementwise maximum with broadcasting; ties split the gradient equally."""
    return Maximum()(a, b)


def minimum(a, b):
    """Elementwise minimum with broadcasting; ties split the gradient equally."""
    return Minimum()(a, b)


def where(condition, a, b):
    """Elements of ``a`` where ``condition`` is true, else of ``b`` (all three broadcast).

    ``condition`` is a bool tensor or array and gets no gradient.
    """
    if isinstance(condition, Tensor):
        if condition.dtype.kind != "b":
            condition = Tensor._new(condition.data.astype(bool))
    return Where()(condition, a, b)


def astype(a, dtype):
    """Cast to ``dtype``; the gradient is cast back to the source dtype.

    A cast to an integer or bool dtype has no gradient (as in PyTorch): the result is a
    tensor without history.  Complex, string and object dtypes are refused.
    """
    dtype = tensor_dtype(dtype, "astype")
    if a.dtype == dtype:
        return a
    if not is_differentiable_dtype(dtype):  # an integer or bool result has no gradient
        data = a.data if isinstance(a, Tensor) else a
        return Tensor._new(data.astype(dtype))
    return Cast(dtype)(a)
