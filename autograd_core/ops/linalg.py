"""Matrix products: ``matmul`` for 1-D, 2-D and batched N-D operands (NumPy semantics),
and ``linear``.  ``dot``, ``tensordot`` and the other products are in :mod:`.products`;
``numpy.linalg`` is :mod:`autograd_core.linalg`."""

from __future__ import annotations

import math

from ..backend import array_module
from ..function import Function, ShapeError
from .shape import reshape, swapaxes

__all__ = ["matmul", "linear"]


class MatMul(Function):
    """``a @ b``.  1-D operands are promoted to matrices as in NumPy and the added axis
    is removed again; batch axes broadcast (the engine sums their gradients back)."""

    save_inputs = True
    reads = (0b10, 0b01)  # grad @ b.T, a.T @ grad

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError("matmul does not accept 0-d operands; use * for scalars")
        if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            raise ValueError(
                f"inner dimensions differ: {a.shape[-1]} (last axis of {a.shape}) vs "
                f"{b.shape[-2 if b.ndim > 1 else 0]} ({'second-to-last' if b.ndim > 1 else 'only'}"
                f" axis of {b.shape})")
        return array_module(a, b).matmul(a, b)

    def backward(self, grad, out):
        a, b = self.inputs
        if a.ndim == 2 and b.ndim == 2:
            # the common case, written with operators so that raw arrays (unrecorded
            # backward) go straight to BLAS, which reads the transposed views in place
            return (grad @ b.T if self.parents[0] is not None else None,
                    a.T @ grad if self.parents[1] is not None else None)
        a2 = reshape(a, (1,) + a.shape) if a.ndim == 1 else a
        b2 = reshape(b, b.shape + (1,)) if b.ndim == 1 else b
        # the gradient of the promoted product: batch axes, then (rows of a2, cols of b2)
        batch = grad.shape[:grad.ndim - (a.ndim > 1) - (b.ndim > 1)]
        g2 = reshape(grad, batch + (a2.shape[-2], b2.shape[-1]))
        grad_a = grad_b = None
        if self.parents[0] is not None:
            grad_a = matmul(g2, swapaxes(b2, -1, -2))
            if a.ndim == 1:
                grad_a = reshape(grad_a, grad_a.shape[:-2] + grad_a.shape[-1:])
        if self.parents[1] is not None:
            grad_b = matmul(swapaxes(a2, -1, -2), g2)
            if b.ndim == 1:
                grad_b = reshape(grad_b, grad_b.shape[:-1])
        return grad_a, grad_b


def matmul(a, b):
    """Matrix product with NumPy's rules.

    Shapes: ``(n,) @ (n,) -> ()``, ``(m, n) @ (n,) -> (m,)``, ``(n,) @ (n, k) -> (k,)``,
    ``(..., m, n) @ (..., n, k) -> (..., m, k)`` with broadcast batch axes.
    """
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        raise ShapeError("matmul: operands must be tensors or arrays, not Python scalars; "
                         "use * to multiply by a scalar")
    return MatMul()(a, b)


class Linear(Function):
    """``x @ w + b`` as one node: one output array (the bias is added in place) and a
    backward of two matrix products and a column sum, with no broadcast bookkeeping."""

    save_inputs = True
    reads = (0b010, 0b001, 0b000)  # grad @ w.T, x.T @ grad, a column sum
    fresh_gradients = True  # two products and a sum: new arrays, one per input

    def forward(self, x, w, b=None):
        if w.ndim != 2 or x.ndim == 0 or x.shape[-1] != w.shape[0]:
            raise ValueError(f"needs x of shape (..., {w.shape[0] if w.ndim == 2 else 'in'}) "
                             f"and a 2-d weight (in, out), got x {x.shape} and weight {w.shape}")
        out = array_module(x, w).matmul(x, w)
        if b is None:
            return out
        if b.shape != (w.shape[1],):
            raise ValueError(f"bias must have shape ({w.shape[1]},), got {b.shape}")
        if b.dtype == out.dtype or out.dtype == array_module(out).result_type(out, b):
            out += b  # out is a fresh array: no second temporary
            return out
        return out + b

    def backward(self, grad, out):
        x, w = self.inputs[0], self.inputs[1]
        need_x, need_w = self.parents[0] is not None, self.parents[1] is not None
        need_b = len(self.parents) > 2 and self.parents[2] is not None
        grad_x = grad @ w.T if need_x else None
        grad_w = grad_b = None
        if need_w or need_b:
            if grad.ndim == 2:
                rows, xrows = grad, x
            else:  # fold the leading axes of x and grad into rows (1-D x: one row)
                m = math.prod(grad.shape[:-1])  # not -1: a size-0 axis makes -1 ambiguous
                rows = grad.reshape(m, w.shape[1])
                xrows = x.reshape(m, w.shape[0])
            grad_w = xrows.T @ rows if need_w else None
            grad_b = rows.sum(axis=0) if need_b else None
        return grad_x, grad_w, grad_b


def linear(x, weight, bias=None):
    """``x @ weight + bias``, recorded as one op (the dense layer's equation).

    Shapes: ``x`` ``(..., in)``, ``weight`` ``(in, out)``, ``bias`` ``(out,)`` or
    ``None``; result ``(..., out)``.  Same values and gradients as ``x @ weight + bias``,
    with fewer temporaries and graph nodes.
    """
    if bias is None:
        return Linear()(x, weight)
    return Linear()(x, weight, bias)
