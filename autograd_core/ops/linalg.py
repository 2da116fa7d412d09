"""Matrix products: ``matmul`` for 1-D, 2-D and batched N-D operands (NumPy semantics)."""

from __future__ import annotations

from ..backend import array_module
from ..function import Function, ShapeError
from .shape import reshape, swapaxes

__all__ = ["matmul", "dot"]


class MatMul(Function):
    """``a @ b``.  1-D operands are promoted to matrices as in NumPy and the added axis
    is removed again; batch axes broadcast (the engine sums their gradients back)."""

    save_inputs = True

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


def dot(a, b):
    """Alias of :func:`matmul` for 1-D and 2-D operands."""
    return matmul(a, b)
