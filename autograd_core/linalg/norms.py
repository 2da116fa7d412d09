"""Norms, and the array-API ``trace``/``outer``: ``norm matrix_norm vector_norm trace outer``.

``norm`` follows ``numpy.linalg.norm``: a vector norm over one axis, a matrix norm over
two, and over all elements (Frobenius / 2-norm) for ``ord=None, axis=None``.  Kinks: the
2-norm's gradient at the zero vector is 0; ``ord=inf``/``1`` (max/sum of ``|x|``) take
``abs'(0) = 0`` and split ties equally; ``ord=0`` (count of non-zeros) has no gradient;
the spectral norms (``2``, ``-2``, ``"nuc"``) go through ``svdvals``.
"""

from __future__ import annotations

import math

from .. import ops
from ..axes import normalize_axes
from ..function import ShapeError
from ..ops._operands import operand, xp_of
from ..tensor import Tensor
from .decompositions import svdvals

__all__ = ["norm", "matrix_norm", "vector_norm", "trace", "outer"]


def vector_norm(x, axis=None, keepdims=False, ord=2):  # noqa: A002 - NumPy's name
    """``(sum |x|**ord) ** (1/ord)`` over ``axis`` (all elements when ``None``), as
    ``numpy.linalg.vector_norm``: ``ord`` 2 (default), 1, ``inf``, ``-inf``, 0 (the count of
    non-zeros, no gradient) or any other real ``p``."""
    x = operand(x)
    axes = None if axis is None else tuple(sorted(normalize_axes(axis, x.ndim, "vector_norm")))
    if isinstance(ord, bool) or not isinstance(ord, (int, float)) and \
            not hasattr(ord, "__float__"):
        raise ValueError(f"vector_norm: invalid ord {ord!r}; use a real number (2, 1, inf, "
                         "-inf, 0, or any p); matrix norms such as 'fro' are matrix_norm's")
    if ord == 2:
        return ops.norm(x, axis=axes, keepdims=keepdims)
    magnitude = ops.abs(x)
    if ord == 1:
        return ops.sum(magnitude, axis=axes, keepdims=keepdims)
    if ord in (math.inf, -math.inf):
        reduced = range(x.ndim) if axes is None else axes
        if any(x.shape[a] == 0 for a in reduced):  # NumPy's: an empty max of |x| is 0
            if ord < 0:
                raise ShapeError(f"vector_norm: ord=-inf over an empty axis of shape {x.shape} "
                                 "is the minimum of no values, which has no value")
            return ops.sum(magnitude, axis=axes, keepdims=keepdims)
        op = ops.max if ord > 0 else ops.min
        return op(magnitude, axis=axes, keepdims=keepdims)
    if ord == 0:
        data = x.data if isinstance(x, Tensor) else x
        count = (data != 0).sum(axis=axes, keepdims=keepdims).astype(x.dtype)
        return Tensor._new(xp_of(x).asarray(count))
    return ops.sum(magnitude ** ord, axis=axes, keepdims=keepdims) ** (1.0 / ord)


def matrix_norm(x, keepdims=False, ord="fro"):  # noqa: A002 - NumPy's name
    """Norm of each matrix in the last two axes, as ``numpy.linalg.matrix_norm``:
    ``"fro"``, ``"nuc"`` (sum of singular values), ``1``/``-1`` (max/min column sum of
    ``|x|``), ``inf``/``-inf`` (max/min row sum), ``2``/``-2`` (largest/smallest singular
    value).  Shape: ``x.shape[:-2]`` (``(..., 1, 1)`` with ``keepdims``)."""
    x = operand(x)
    if x.ndim < 2:
        raise ShapeError(f"matrix_norm: needs (..., M, N) matrices, got shape {x.shape}")
    if ord == "fro":
        out = ops.norm(x, axis=(-2, -1))
    elif ord == "nuc":
        out = ops.sum(svdvals(x), axis=-1)
    elif ord in (1, -1, math.inf, -math.inf):
        sums = ops.sum(ops.abs(x), axis=-2 if ord in (1, -1) else -1)
        out = _extreme_sum(sums, ord > 0, x.shape, ord)
    elif ord in (2, -2):
        values = svdvals(x)
        out = values[..., 0] if ord == 2 else values[..., -1]
    else:
        raise ValueError(f"matrix_norm: invalid ord {ord!r}; use 'fro', 'nuc', 1, -1, 2, -2, "
                         "inf or -inf")
    return ops.reshape(out, out.shape + (1, 1)) if keepdims else out


def _extreme_sum(sums, largest, shape, ord):  # noqa: A002 - NumPy's name
    """The max (or min) of non-negative ``sums`` over the last axis; an empty max is 0, as
    NumPy's (the norm of an empty matrix), an empty min has no value."""
    if sums.shape[-1] == 0:
        if not largest:
            raise ShapeError(f"matrix_norm: ord={ord!r} of matrices of shape {shape[-2:]} is "
                             "the minimum over no columns or rows, which has no value")
        return ops.sum(sums, axis=-1)  # zeros of the right shape, dtype and device
    return ops.max(sums, axis=-1) if largest else ops.min(sums, axis=-1)


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 - NumPy's name
    """Matrix or vector norm, as ``numpy.linalg.norm``.

    ``axis`` an int: vector norms along it; a pair: matrix norms of those two axes;
    ``None``: the 2-norm of all elements when ``ord`` is ``None``, else the vector
    (1-d ``x``) or matrix (2-d ``x``) norm of ``ord``.
    """
    x = operand(x)
    if axis is None:
        if ord is None:
            out = ops.norm(x)
            return ops.reshape(out, (1,) * x.ndim) if keepdims else out
        if x.ndim not in (1, 2):
            raise ShapeError(f"norm: ord={ord!r} with axis=None needs a 1-d or 2-d tensor, "
                             f"got shape {x.shape}; give axis")
        axis = tuple(range(x.ndim))
    axes = normalize_axes(axis, x.ndim, "norm")
    if len(axes) == 1:
        return vector_norm(x, axis=axes, keepdims=keepdims, ord=2 if ord is None else ord)
    if len(axes) != 2:
        raise ShapeError(f"norm: axis must be one or two axes, got {axis!r}")
    moved = ops.moveaxis(x, axes, (-2, -1))
    out = matrix_norm(moved, ord="fro" if ord is None else ord)
    if keepdims:
        shape = tuple(1 if i in axes else n for i, n in enumerate(x.shape))
        out = ops.reshape(out, shape)
    return out


def trace(x, offset=0):
    """Sum of the ``offset`` diagonal of each matrix in the **last two** axes (the array
    API's ``numpy.linalg.trace``; ``ag.trace`` uses the first two, as ``numpy.trace``)."""
    x = operand(x)
    if x.ndim < 2:
        raise ShapeError(f"linalg.trace: needs (..., M, N) matrices, got shape {x.shape}")
    return ops.trace(x, offset, -2, -1)


def outer(a, b):
    """Outer product of two 1-d tensors, shape ``(M, N)`` (``numpy.linalg.outer``)."""
    a, b = operand(a), operand(b)
    if a.ndim != 1 or b.ndim != 1:
        raise ShapeError(f"linalg.outer: needs two 1-d tensors, got shapes {a.shape} and "
                         f"{b.shape}; ag.outer flattens")
    return ops.outer(a, b)

