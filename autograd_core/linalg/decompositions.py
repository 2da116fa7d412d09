"""Decompositions: ``cholesky eigh eigvalsh qr svd svdvals``, on stacks ``(..., M, N)``.

An op with several results (``eigh``, ``qr``, ``svd``) is one node whose output packs
them into one array; the results are views of it, so each gets its gradient and the
rule below sees them together.  The rules (real matrices):

* ``cholesky`` (``A = L Lᵀ``): ``S = L⁻ᵀ Φ(Lᵀ G) L⁻¹`` (``Φ``: lower triangle, halved
  diagonal), gradient ``(S + Sᵀ) / 2`` (Murray, 2016).
* ``eigh`` (``A = V diag(w) Vᵀ``): ``V (diag(gw) + F ∘ (Vᵀ gV)) Vᵀ``, symmetrised, with
  ``F[i, j] = 1 / (w[j] - w[i])``.
* ``svd`` (``A = U diag(s) Vᵀ``): Townsend's formula with ``F[i, j] = 1 / (s[j]² - s[i]²)``
  and the projections ``(I - U Uᵀ)``, ``(I - V Vᵀ)`` for rectangular matrices.
* ``qr`` (reduced, ``A = Q R``): PyTorch's ``(gQ + Q copyltu(M)) R⁻ᵀ`` with
  ``M = triu(gR Rᵀ - Qᵀ gQ)``; for ``M < N`` the trailing columns ride along.

``cholesky``/``eigh``/``eigvalsh`` read the lower triangle, as NumPy, and their gradient
is the symmetric one (the input is taken to be symmetric).  The eigenvector (singular
vector) gradients are defined where the eigenvalues (singular values) are distinct and,
for ``svd``/``qr``, the matrix has full rank: at coinciding values ``F`` is infinite
and the gradient is NaN or infinite (never a finite wrong value); ``eigvalsh``/``svdvals``
(and ``eigh``/``svd`` when only the values are used) skip ``F`` and stay finite.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from .. import ops
from ..ops._operands import data_of, operand, xp_of
from ..ops.linalg import matmul
from ..tensor import Tensor
from ._core import LinalgFunction, check_matrix, check_square, mT
from .solvers import solve

__all__ = ["cholesky", "eigh", "eigvalsh", "qr", "svd", "svdvals", "EighResult", "QRResult",
           "SVDResult"]


class EighResult(NamedTuple):
    eigenvalues: Tensor
    eigenvectors: Tensor


class QRResult(NamedTuple):
    Q: Tensor
    R: Tensor


class SVDResult(NamedTuple):
    U: Tensor
    S: Tensor
    Vh: Tensor


def _sym(x):
    return (x + mT(x)) * 0.5


def _row(v):
    """``(..., K) -> (..., 1, K)``: scales columns when multiplied."""
    return ops.expand_dims(v, -2)


def _col(v):
    """``(..., K) -> (..., K, 1)``: scales rows when multiplied."""
    return ops.expand_dims(v, -1)


def _pairwise_inverse(values, xp):
    """``F[..., i, j] = 1 / (values[j] - values[i])`` off the diagonal, 0 on it (infinite
    where two values coincide)."""
    n = values.shape[-1]
    off = ~xp.eye(n, dtype=bool)
    diff = _row(values) - _col(values)
    return ops.where(off, 1.0 / ops.where(off, diff, 1.0), 0.0)


def _is_zero(g):
    return not bool(data_of(g).any())


class Cholesky(LinalgFunction):
    name = "cholesky"
    save_output = True

    def forward(self, a):
        return self.checked(xp_of(a).linalg.cholesky(a),
                            f"the matrix of shape {a.shape} is not positive definite")

    def backward(self, grad, out):
        L = out
        xp = xp_of(L)
        n = L.shape[-1]
        phi = xp.tri(n, n, -1, dtype=L.dtype) + xp.eye(n, dtype=L.dtype) * 0.5
        P = matmul(mT(L), grad) * phi
        Lt = mT(L)
        S = solve(Lt, mT(solve(Lt, mT(P))))
        return (_sym(S),)


class Eigh(LinalgFunction):
    """Output ``(..., N + 1, N)``: row 0 the eigenvalues, rows 1.. the eigenvectors."""

    name = "eigh"
    save_output = True

    def forward(self, a):
        xp = xp_of(a)
        w, v = xp.linalg.eigh(a)
        return xp.concatenate([w[..., None, :], v], axis=-2)

    def backward(self, grad, out):
        w, V = out[..., 0, :], out[..., 1:, :]
        gw, gV = grad[..., 0, :], grad[..., 1:, :]
        inner = _row(gw) * V
        if not _is_zero(gV):
            F = _pairwise_inverse(w, xp_of(w))
            inner = inner + matmul(V, F * matmul(mT(V), gV))
        return (_sym(matmul(inner, mT(V))),)


class QR(LinalgFunction):
    """Output ``(..., M*K + K*N)`` (``K = min(M, N)``): ``Q`` and ``R`` flattened and joined."""

    name = "qr"
    save_inputs = True
    save_output = True

    def forward(self, a):
        q, r = xp_of(a).linalg.qr(a, mode="reduced")
        self.k = q.shape[-1]
        return _pack(q, r)

    def backward(self, grad, out):
        a = self.inputs[0]
        m, n = a.shape[-2], a.shape[-1]
        k = self.k
        Q, R = _unpack(out, [(m, k), (k, n)])
        gQ, gR = _unpack(grad, [(m, k), (k, n)])
        if m >= n:
            return (_qr_grad(Q, R, gQ, gR),)
        # A = [X | Y], R = [U | W]: X = Q U is a square QR; Y = Q W moves with Q
        U, gU, gW = R[..., :, :m], gR[..., :, :m], gR[..., :, m:]
        Y = a[..., :, m:]
        gX = _qr_grad(Q, U, gQ + matmul(Y, mT(gW)), gU)
        return (ops.concatenate([gX, matmul(Q, gW)], axis=-1),)


def _qr_grad(Q, R, gQ, gR):
    """Gradient of the reduced QR of a tall or square matrix (``R`` square, invertible)."""
    X = ops.triu(matmul(gR, mT(R)) - matmul(mT(Q), gQ))
    X = X + mT(X) - X * xp_of(X).eye(X.shape[-1], dtype=X.dtype)  # copy the upper to the lower
    b = gQ + matmul(Q, X)
    return mT(solve(R, mT(b)))


class SVD(LinalgFunction):
    """Output ``(..., M*K + K + K*N)``: ``U``, ``S``, ``Vh`` flattened and joined."""

    name = "svd"
    save_output = True

    def forward(self, a):
        u, s, vh = xp_of(a).linalg.svd(a, full_matrices=False)
        self.dims = (a.shape[-2], a.shape[-1], s.shape[-1])
        return _pack(u, s, vh)

    def backward(self, grad, out):
        m, n, k = self.dims
        U, s, Vh = _unpack(out, [(m, k), (k,), (k, n)])
        gU, gs, gVh = _unpack(grad, [(m, k), (k,), (k, n)])
        V, gV = mT(Vh), mT(gVh)
        xp = xp_of(s)
        inner = _col(gs) * xp.eye(k, dtype=s.dtype)
        if not (_is_zero(gU) and _is_zero(gVh)):
            F = _pairwise_inverse(s * s, xp)
            UtgU, VtgV = matmul(mT(U), gU), matmul(mT(V), gV)
            inner = (inner + (F * (UtgU - mT(UtgU))) * _row(s)
                     + _col(s) * (F * (VtgV - mT(VtgV))))
        result = matmul(matmul(U, inner), Vh)
        if not (_is_zero(gU) and _is_zero(gVh)):
            if m > k:
                proj = gU - matmul(U, matmul(mT(U), gU))  # (I - U Uᵀ) gU
                result = result + matmul(proj / _row(s), Vh)
            if n > k:
                proj = mT(gV) - matmul(matmul(mT(gV), V), Vh)  # gVᵀ (I - V Vᵀ)
                result = result + matmul(U / _row(s), proj)
        return (result,)


def _pack(*arrays):
    """Flatten the last axes of each array and join them: one output for several."""
    xp = xp_of(*arrays)
    lead = arrays[0].shape[:-2]
    return xp.concatenate([x.reshape(lead + (math.prod(x.shape[len(lead):]),))
                           for x in arrays], axis=-1)


def _unpack(packed, shapes):
    """Views of the arrays :func:`_pack` joined (differentiable slices and reshapes)."""
    lead = packed.shape[:-1]
    parts, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        parts.append(ops.reshape(packed[..., start:start + size], lead + shape))
        start += size
    return parts


def cholesky(a, upper=False):
    """Cholesky factor of each symmetric positive-definite matrix: lower ``L`` with
    ``a = L Lᵀ`` (``upper=True``: ``Lᵀ``).  Reads the lower triangle; raises
    :class:`LinAlgError` when a matrix is not positive definite."""
    a = operand(a)
    check_square(a, "cholesky")
    L = Cholesky()(a)
    return mT(L) if upper else L


def eigh(a):
    """Eigenvalues (ascending) and orthonormal eigenvectors (columns) of each symmetric
    matrix ``(..., N, N)``: ``EighResult(eigenvalues (..., N), eigenvectors (..., N, N))``.
    Reads the lower triangle.  The eigenvector gradient needs distinct eigenvalues."""
    a = operand(a)
    check_square(a, "eigh")
    packed = Eigh()(a)
    return EighResult(packed[..., 0, :], packed[..., 1:, :])


def eigvalsh(a):
    """Eigenvalues (ascending) of each symmetric matrix, shape ``(..., N)``; the gradient
    ``V diag(g) Vᵀ`` is finite also at repeated eigenvalues."""
    a = operand(a)
    check_square(a, "eigvalsh")
    return eigh(a).eigenvalues


def qr(a, mode="reduced"):
    """QR decomposition of each matrix ``(..., M, N)``: ``QRResult(Q (..., M, K),
    R (..., K, N))`` with ``K = min(M, N)`` (``mode="reduced"``), or ``R`` alone
    (``mode="r"``).  The gradient needs full rank (the first ``K`` columns independent)."""
    a = operand(a)
    check_matrix(a, "qr")
    if mode not in ("reduced", "r"):
        raise ValueError(f"qr: mode={mode!r} is not supported; use 'reduced' or 'r' (the "
                         "complete Q of a tall matrix has no unique gradient)")
    m, n = a.shape[-2], a.shape[-1]
    k = min(m, n)
    q, r = _unpack(QR()(a), [(m, k), (k, n)])
    return r if mode == "r" else QRResult(q, r)


def svd(a, full_matrices=False, compute_uv=True):
    """Singular value decomposition of each matrix ``(..., M, N)``:
    ``SVDResult(U (..., M, K), S (..., K), Vh (..., K, N))``, ``K = min(M, N)``, ``S``
    descending; ``compute_uv=False`` gives ``S`` alone (as :func:`svdvals`).  The singular
    vectors' gradient needs distinct non-zero singular values.  ``full_matrices=True`` is
    accepted for square matrices only (the extra columns have no unique gradient)."""
    a = operand(a)
    check_matrix(a, "svd")
    m, n = a.shape[-2], a.shape[-1]
    if full_matrices and m != n and compute_uv:
        raise ValueError(f"svd: full_matrices=True for a {m} x {n} matrix is not supported "
                         "(the extra singular vectors have no unique gradient); use "
                         "full_matrices=False")
    k = min(m, n)
    u, s, vh = _unpack(SVD()(a), [(m, k), (k,), (k, n)])
    return SVDResult(u, s, vh) if compute_uv else s


def svdvals(a):
    """Singular values (descending) of each matrix, shape ``(..., min(M, N))``; gradient
    ``U diag(g) Vᵀ``."""
    return svd(a, compute_uv=False)

