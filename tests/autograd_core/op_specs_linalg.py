"""Op-table rows for ``autograd_core.linalg``.  Matrices are drawn well conditioned:
diagonally dominant for inverses and solves, ``B Bᵀ + n I`` for ``cholesky``,
``Q diag(w) Qᵀ`` with eigenvalues at least 0.5 apart for ``eigh``, ``U diag(s) Vᵀ`` with
singular values in ``[1, 4]`` at least 0.5 apart for ``svd``/``pinv``/spectral norms.
Batch axes (including empty ones) lead.  Symmetric-input ops see ``(a + aᵀ) / 2``, so the
finite differences measure the symmetric gradient they return.  Several results are
checked through one weighted concatenation of them."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import arrays
from op_specs import OpSpec, away_from_zero, distinct_values, floats

la = ag.linalg


def batch_shapes():
    return st.sampled_from([(), (), (1,), (2,), (0,), (2, 1)])


def _orthogonal(draw, batch, n):
    if n == 0:
        return np.zeros(batch + (0, 0))
    raw = draw(arrays(batch + (n, n), elements=floats(-1, 1))) + 2.0 * np.eye(n)
    return np.linalg.qr(raw)[0]


def _separated(draw, batch, n, lo, hi):
    """``batch + (n,)`` values in ``[lo, hi]``, pairwise at least 0.5 apart, in random order."""
    size = max(1, int(np.prod(batch)))
    out = np.empty((size, n))
    grid = np.arange(lo, hi + 1e-9, 0.5)
    for i in range(size):
        out[i] = np.asarray(draw(st.permutations(list(grid)))[:n]) + draw(st.floats(0.0, 0.1))
    return out.reshape(batch + (n,)) if np.prod(batch) else np.zeros(batch + (n,))


@st.composite
def square(draw, min_n=0, max_n=3, rhs=None):
    batch, n = draw(batch_shapes()), draw(st.integers(min_n, max_n))
    a = draw(arrays(batch + (n, n), elements=floats(-1, 1))) + (n + 1.0) * np.eye(n)
    if rhs is None:
        return (a,), {}
    if rhs == "vector":
        return (a, draw(arrays((n,)))), {}
    return (a, draw(arrays(draw(st.sampled_from([batch, batch[1:]])) +
                           (n, draw(st.integers(0, 3)))))), {}


@st.composite
def spd(draw):
    batch, n = draw(batch_shapes()), draw(st.integers(0, 3))
    b = draw(arrays(batch + (n, n), elements=floats(-1, 1)))
    return (b @ np.swapaxes(b, -1, -2) + n * np.eye(n),), {}


@st.composite
def separated_symmetric(draw, min_n=0):
    batch, n = draw(batch_shapes()), draw(st.integers(min_n, 3))
    q = _orthogonal(draw, batch, n)
    w = _separated(draw, batch, n, -2.0, 2.0)
    return ((q * w[..., None, :]) @ np.swapaxes(q, -1, -2),), {}


@st.composite
def separated_rectangular(draw, min_k=0, square_only=False):
    batch = draw(batch_shapes())
    m = draw(st.integers(min_k, 3))
    n = m if square_only else draw(st.integers(min_k, 3))
    k = min(m, n)
    u = _orthogonal(draw, batch, m)[..., :k]
    v = _orthogonal(draw, batch, n)[..., :k]
    s = _separated(draw, batch, k, 1.0, 4.0)
    return ((u * s[..., None, :]) @ np.swapaxes(v, -1, -2),), {}


@st.composite
def full_rank(draw):
    # no exact zeros: LAPACK's Householder QR skips a column whose part below the
    # diagonal is exactly 0, flipping the signs of Q and R there (a jump, not a kink)
    batch, m, n = draw(batch_shapes()), draw(st.integers(0, 3)), draw(st.integers(0, 3))
    a = draw(arrays(batch + (m, n), elements=away_from_zero(0.05, 1.0)))
    return (a + 2.5 * np.eye(m, n),), {}


@st.composite
def power_case(draw):
    (a,), _ = draw(square())
    return (a,), dict(n=draw(st.integers(-2, 3)))


@st.composite
def multi_dot_case(draw):
    count = draw(st.integers(2, 4))
    dims = [draw(st.integers(1, 3)) for _ in range(count + 1)]
    xs = [draw(arrays((dims[i], dims[i + 1]))) for i in range(count)]
    if draw(st.booleans()):
        xs[0] = xs[0][0]
    if draw(st.booleans()):
        xs[-1] = xs[-1][:, 0]
    return tuple(xs), {}


def positive_distinct(draw, shape):
    """Values at least 0.3 from 0 and pairwise apart (max/min/abs have kinks at ties and 0)."""
    d = draw(distinct_values(shape))
    return d - d.min() + 0.3 if d.size else d


SPECTRAL = ["fro", "nuc", 2, -2]
ENTRYWISE = [1, -1, math.inf, -math.inf]


@st.composite
def norm_case(draw):
    kind = draw(st.sampled_from(["all", "vector", "matrix"]))
    if kind == "vector":
        a = positive_distinct(draw, draw(st.sampled_from([(3,), (2, 3), (2, 1, 3)])))
        return (a,), dict(ord=draw(st.sampled_from([None, 1, 2, math.inf, -math.inf, 3, -1.5])),
                          axis=draw(st.integers(-a.ndim, a.ndim - 1)), keepdims=draw(st.booleans()))
    ord = draw(st.sampled_from([None] + SPECTRAL + ENTRYWISE))
    if ord in ENTRYWISE:
        a = positive_distinct(draw, draw(st.sampled_from([(2, 3), (3, 2), (2, 2, 3)])))
        for sums in (a.sum(axis=-1), a.sum(axis=-2)):  # tied row or column sums are kinks
            gaps = np.diff(np.sort(sums, axis=-1), axis=-1)
            assume(gaps.size == 0 or gaps.min() > 0.05)
    else:
        batch, m, n = draw(st.sampled_from([(), (2,)])), draw(st.integers(1, 3)), \
            draw(st.integers(1, 3))
        u = _orthogonal(draw, batch, m)[..., :min(m, n)]
        v = _orthogonal(draw, batch, n)[..., :min(m, n)]
        s = _separated(draw, batch, min(m, n), 1.0, 4.0)
        a = (u * s[..., None, :]) @ np.swapaxes(v, -1, -2)
    if kind == "all":
        if a.ndim != 2:
            ord = None
        return (a,), dict(ord=ord, axis=None, keepdims=draw(st.booleans()))
    # the same matrices, over axes that are not the last two
    if a.ndim == 2:
        return (a.T,), dict(ord=ord, axis=(-1, 0), keepdims=draw(st.booleans()))
    return (np.moveaxis(a, 0, -1),), dict(ord=ord, axis=(0, 1), keepdims=draw(st.booleans()))


def _spread(k, like):
    """Weights 1, 2, ..., k (in ``like``'s dtype): a diagonal that tells the singular
    (eigen) vectors apart."""
    return np.arange(1.0, k + 1.0).astype(like.dtype)


def _eigh_invariants(lib, a):
    """Eigenvalues and ``V diag(1..n) Vᵀ``: independent of each eigenvector's sign, which
    LAPACK may flip between nearby matrices."""
    w, v = lib.linalg.eigh(_sym(a))
    return _joined([w, (v * _spread(w.shape[-1], w)) @ np.swapaxes(v, -1, -2)
                    if lib is np else (v * _spread(w.shape[-1], w)) @ v.mT], lib)


def _svd_invariants(lib, a):
    """Singular values and ``U diag(1..k) Vh`` (signs of ``U``/``Vh`` flip together)."""
    kwargs = dict(full_matrices=False) if lib is np else {}
    u, s, vh = lib.linalg.svd(a, **kwargs)
    return _joined([s, (u * _spread(s.shape[-1], s)) @ vh], lib)


def _qr_invariants(lib, a):
    """``R``'s magnitudes are fixed, its signs flip with ``Q``'s columns: ``Q diag(1..k) R``
    and ``Q diag(1..k) Qᵀ`` do not move with them."""
    q, r = lib.linalg.qr(a)
    k = q.shape[-1]
    qt = np.swapaxes(q, -1, -2) if lib is np else q.mT
    return _joined([(q * _spread(k, q)) @ r, (q * _spread(k, q)) @ qt], lib)


def _sym(a):
    return (a + np.swapaxes(a, -1, -2)) / 2 if isinstance(a, np.ndarray) else (a + a.mT) * 0.5


def _joined(parts, lib):
    return lib.concatenate([lib.reshape(p, (-1,)) * (i + 1.0) for i, p in enumerate(parts)])


def _slogdet(lib):
    return lambda a: lib.linalg.slogdet(a).logabsdet  # the sign has no gradient


LINALG_SPECS = [
    OpSpec("linalg.inv", square(), la.inv, np.linalg.inv),
    OpSpec("linalg.solve", square(rhs="matrix"), la.solve, np.linalg.solve),
    OpSpec("linalg.solve_vector", square(rhs="vector"), la.solve, np.linalg.solve),
    OpSpec("linalg.det", square(), la.det, np.linalg.det),
    OpSpec("linalg.slogdet", square(), _slogdet(ag), _slogdet(np)),
    OpSpec("linalg.cholesky", spd(), lambda a: la.cholesky(_sym(a)),
           lambda a: np.linalg.cholesky(_sym(a))),
    OpSpec("linalg.eigh", separated_symmetric(), lambda a: _eigh_invariants(ag, a),
           lambda a: _eigh_invariants(np, a)),
    OpSpec("linalg.eigvalsh", separated_symmetric(), lambda a: la.eigvalsh(_sym(a)),
           lambda a: np.linalg.eigvalsh(_sym(a))),
    OpSpec("linalg.svd", separated_rectangular(), lambda a: _svd_invariants(ag, a),
           lambda a: _svd_invariants(np, a)),
    OpSpec("linalg.svdvals", separated_rectangular(), la.svdvals, np.linalg.svdvals),
    OpSpec("linalg.qr", full_rank(), lambda a: _qr_invariants(ag, a),
           lambda a: _qr_invariants(np, a)),
    OpSpec("linalg.pinv", separated_rectangular(), la.pinv, np.linalg.pinv),
    OpSpec("linalg.matrix_power", power_case(), lambda a, n: la.matrix_power(a, n),
           lambda a, n: np.linalg.matrix_power(a, n)),
    OpSpec("linalg.multi_dot", multi_dot_case(), lambda *xs: la.multi_dot(xs),
           lambda *xs: np.linalg.multi_dot(xs)),
    OpSpec("linalg.norm", norm_case(),
           lambda a, ord, axis, keepdims: la.norm(a, ord, axis, keepdims),
           lambda a, ord, axis, keepdims: np.linalg.norm(a, ord, axis, keepdims)),
    OpSpec("linalg.trace", square(), la.trace, np.linalg.trace),
]
