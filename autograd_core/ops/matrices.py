"""Diagonals and triangles: ``diagonal diag trace triu tril``.

``diagonal`` is a gather (its gradient a scatter into zeros); ``diag`` of a 1-d input
builds the matrix by a scatter (its gradient gathers the diagonal back); ``triu``/``tril``
mask, so the gradient is masked the same way.
"""

from __future__ import annotations

import operator

from .._arguments import integer
from ..axes import normalize_axes
from ..function import ShapeError
from ._operands import operand, xp_of
from .arithmetic import where
from .indexing import GetItem, IndexAdd
from .rearranging import moveaxis
from .reduction import sum as _sum

__all__ = ["diagonal", "diag", "trace", "triu", "tril"]


def _diagonal_index(n_rows, n_cols, offset, xp):
    """Row and column indices of the ``offset`` diagonal of an ``(n_rows, n_cols)`` matrix."""
    start_row, start_col = (0, offset) if offset >= 0 else (-offset, 0)
    length = max(0, min(n_rows - start_row, n_cols - start_col))
    steps = xp.arange(length)
    return steps + start_row, steps + start_col


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The ``offset`` diagonal of the 2-d slices in ``(axis1, axis2)``, as
    ``numpy.diagonal``: those axes are removed and the diagonal is the last axis.

    Shape: the other axes, then ``(length,)``.
    """
    return _diagonal(x, offset, axis1, axis2, "diagonal")


def _diagonal(x, offset, axis1, axis2, op):
    x = operand(x)
    if x.ndim < 2:
        raise ShapeError(f"{op}: needs at least 2 dimensions, got shape {x.shape}")
    a, b = normalize_axes((axis1, axis2), x.ndim, op, what="axis1/axis2")
    rows, cols = _diagonal_index(x.shape[a], x.shape[b], integer(offset, op, "offset"), xp_of(x))
    if a > b:
        a, b, rows, cols = b, a, cols, rows
    index = [slice(None)] * x.ndim
    index[a], index[b] = rows, cols
    result = GetItem(tuple(index))(x)
    # NumPy's rule: adjacent advanced indices stay in place (axis a), split ones go first
    return moveaxis(result, a if b == a + 1 else 0, -1)


def diag(v, k=0):
    """1-d ``v``: the square matrix with ``v`` on diagonal ``k``; 2-d ``v``: its ``k``
    diagonal (as ``numpy.diag``, both directions)."""
    v = operand(v)
    k = operator.index(k)
    if v.ndim == 2:
        return diagonal(v, k)
    if v.ndim != 1:
        raise ShapeError(f"diag: input must be 1-d or 2-d, got shape {v.shape}")
    n = v.shape[0] + abs(k)
    rows, cols = _diagonal_index(n, n, k, xp_of(v))
    return IndexAdd((rows, cols), (n, n))(v)


def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along the ``offset`` diagonal of the ``(axis1, axis2)`` slices."""
    return _sum(_diagonal(x, offset, axis1, axis2, "trace"), axis=-1)


def _triangle(x, k, lower, op):
    x = operand(x)
    if x.ndim == 0:
        raise ShapeError(f"{op}: needs at least 1 dimension, got a 0-d tensor")
    rows, cols = (x.shape[-2], x.shape[-1]) if x.ndim >= 2 else (x.shape[0], x.shape[0])
    tri = xp_of(x).tri(rows, cols, operator.index(k) - (0 if lower else 1), dtype=bool)
    return where(tri if lower else ~tri, x, 0.0)


def tril(x, k=0):
    """Lower triangle of the last two axes (elements above diagonal ``k`` zeroed)."""
    return _triangle(x, k, True, "tril")


def triu(x, k=0):
    """Upper triangle of the last two axes (elements below diagonal ``k`` zeroed)."""
    return _triangle(x, k, False, "triu")
