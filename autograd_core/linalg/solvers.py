"""Inverses, solves and determinants: ``inv solve det slogdet pinv matrix_power
multi_dot matrix_rank``, on stacks of matrices ``(..., M, N)``.

Gradients (``A`` square, ``X = inv(A)``): ``inv: -Xᵀ G Xᵀ``; ``solve(A, B) = X``:
``gB = solve(Aᵀ, G)``, ``gA = -gB Xᵀ``; ``det: g det(A) A⁻ᵀ`` and ``slogdet``'s
``logabsdet: g A⁻ᵀ``, so the determinants' gradients need an invertible ``A`` (a singular
one raises :class:`LinAlgError` in backward).  ``pinv``'s gradient holds where the rank
is locally constant (Golub and Pereyra's formula).
"""

from __future__ import annotations

import operator
from typing import NamedTuple

from .. import ops
from .._arguments import integer
from ..ops._operands import data_of, operand, xp_of
from ..ops.linalg import matmul
from ..tensor import Tensor
from ._core import LinAlgError, LinalgFunction, check_matrix, check_square, mT

__all__ = ["inv", "solve", "det", "slogdet", "pinv", "matrix_power", "multi_dot",
           "matrix_rank", "SlogdetResult"]


class Inv(LinalgFunction):
    name = "inv"
    save_output = True

    def forward(self, a):
        return self.checked(xp_of(a).linalg.inv(a), "the matrix is singular")

    def backward(self, grad, out):
        t = mT(out)
        return (-matmul(matmul(t, grad), t),)


class Solve(LinalgFunction):
    name = "solve"
    save_inputs = True
    save_output = True

    def forward(self, a, b):
        return self.checked(xp_of(a, b).linalg.solve(a, b), "the matrix is singular")

    def backward(self, grad, out):
        a, b = self.inputs
        if b.ndim == 1:  # out and grad are (..., N): solve them as columns
            grad_b = solve(mT(a), ops.expand_dims(grad, -1))[..., 0]
        else:
            grad_b = solve(mT(a), grad)
        grad_a = None
        if self.parents[0] is not None:
            if b.ndim == 1:  # a vector right-hand side (NumPy 2: only when b is 1-d)
                grad_a = -(ops.expand_dims(grad_b, -1) * ops.expand_dims(out, -2))
            else:
                grad_a = -matmul(grad_b, mT(out))
        return grad_a, grad_b if self.parents[1] is not None else None


class Det(LinalgFunction):
    name = "det"
    save_inputs = True
    save_output = True

    def forward(self, a):
        return xp_of(a).linalg.det(a)

    def backward(self, grad, out):
        a = self.inputs[0]
        scale = ops.expand_dims(ops.expand_dims(grad * out, -1), -1)
        return (scale * mT(inv(a)),)


class LogAbsDet(LinalgFunction):
    name = "slogdet"
    save_inputs = True

    def forward(self, a):
        self.sign, logabsdet = xp_of(a).linalg.slogdet(a)
        return logabsdet

    def backward(self, grad, out):
        a = self.inputs[0]
        return (ops.expand_dims(ops.expand_dims(grad, -1), -1) * mT(inv(a)),)


class SlogdetResult(NamedTuple):
    """``slogdet``'s result: ``sign`` (no gradient) and ``logabsdet``, as NumPy's."""

    sign: Tensor
    logabsdet: Tensor


class Pinv(LinalgFunction):
    name = "pinv"
    save_inputs = True
    save_output = True

    def __init__(self, rcond):
        self.rcond = rcond

    def forward(self, a):
        xp = xp_of(a)
        if self.rcond is None:
            return xp.linalg.pinv(a)
        return xp.linalg.pinv(a, rcond=self.rcond)

    def backward(self, grad, out):
        a, p = self.inputs[0], out
        pt, gt = mT(p), mT(grad)
        xp = xp_of(a)
        eye_m = xp.eye(a.shape[-2], dtype=a.dtype)
        eye_n = xp.eye(a.shape[-1], dtype=a.dtype)
        return (-matmul(matmul(pt, grad), pt)
                + matmul(matmul(eye_m - matmul(a, p), gt), matmul(p, pt))
                + matmul(matmul(pt, p), matmul(gt, eye_n - matmul(p, a))),)


def inv(a):
    """Inverse of each square matrix in ``a`` ``(..., N, N)``; raises
    :class:`LinAlgError` for a non-square or singular matrix."""
    a = operand(a)
    check_square(a, "inv")
    return Inv()(a)


def solve(a, b):
    """``x`` with ``a @ x = b``: ``a`` ``(..., N, N)``; ``b`` ``(..., N, K)``, or ``(N,)``
    (a vector, NumPy 2's rule).  Batch axes broadcast; both operands get gradients.
    Raises :class:`LinAlgError` for a singular ``a``."""
    a, b = operand(a), operand(b)
    check_square(a, "solve")
    rows = b.shape[0] if b.ndim == 1 else b.shape[-2] if b.ndim >= 2 else None
    if rows != a.shape[-1]:
        raise LinAlgError(f"solve: b of shape {b.shape} does not fit a of shape {a.shape}: "
                          f"b must be ({a.shape[-1]},) or (..., {a.shape[-1]}, K)")
    return Solve()(a, b)


def det(a):
    """Determinant of each square matrix: shape ``a.shape[:-2]``.  Its gradient
    ``det(a) * inv(a)ᵀ`` needs an invertible ``a`` (singular: :class:`LinAlgError`)."""
    a = operand(a)
    check_square(a, "det")
    return Det()(a)


def slogdet(a):
    """``(sign, logabsdet)`` of each square matrix, as ``numpy.linalg.slogdet``;
    ``logabsdet`` is differentiable (gradient ``inv(a)ᵀ``), ``sign`` is not."""
    a = operand(a)
    check_square(a, "slogdet")
    f = LogAbsDet()
    logabsdet = f(a)
    return SlogdetResult(Tensor._new(xp_of(a).asarray(f.sign)), logabsdet)


def pinv(a, rcond=None):
    """Moore-Penrose pseudo-inverse of each matrix ``(..., M, N) -> (..., N, M)``
    (singular values below ``rcond * largest`` count as 0; NumPy's default).  The
    gradient assumes the rank is locally constant."""
    a = operand(a)
    check_matrix(a, "pinv")
    return Pinv(rcond)(a)


def matrix_power(a, n):
    """``a`` multiplied by itself ``n`` times (``n < 0``: powers of ``inv(a)``; ``n = 0``:
    the identity, with zero gradient), by repeated squaring."""
    a = operand(a)
    check_square(a, "matrix_power")
    n = integer(n, "matrix_power", "n")
    if n == 0:
        return a * 0.0 + xp_of(a).eye(a.shape[-1], dtype=a.dtype)
    if n < 0:
        a, n = inv(a), -n
    result, square = None, a
    while n:
        if n & 1:
            result = square if result is None else matmul(result, square)
        n >>= 1
        if n:
            square = matmul(square, square)
    return result


def multi_dot(arrays):
    """``arrays[0] @ arrays[1] @ ...``; a 1-d first (last) operand is a row (column)
    vector, as ``numpy.linalg.multi_dot``."""
    arrays = [operand(x) for x in arrays]
    if len(arrays) < 2:
        raise ValueError(f"multi_dot: needs at least 2 arrays, got {len(arrays)}")
    for i, x in enumerate(arrays):
        if x.ndim != 2 and not (x.ndim == 1 and i in (0, len(arrays) - 1)):
            raise LinAlgError(f"multi_dot: operand {i} has shape {x.shape}; all must be 2-d "
                              "except a 1-d first or last one")
    result = arrays[0]
    for x in arrays[1:]:
        result = matmul(result, x)
    return result


def matrix_rank(a, tol=None):
    """Rank of each matrix (singular values above ``tol``; NumPy's default), an int64
    tensor without gradient."""
    a = operand(a)
    data = data_of(a)
    xp = xp_of(a)
    return Tensor._new(xp.asarray(xp.linalg.matrix_rank(data, tol=tol)).astype("int64"))

