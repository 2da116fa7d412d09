"""Order statistics, averages and NaN-aware sums: ``median average nansum nanmean ptp``.

All are compositions of differentiable ops, so their gradients (and second derivatives)
come from the pieces: ``median`` sorts along the reduced axes and gives the gradient to
the middle element (half to each of the two middle ones for an even count);
``nansum``/``nanmean`` ignore NaNs, whose gradient is 0; ``ptp = max - min`` (ties share
the gradient, as in ``max``); ``average`` is differentiable in ``x`` and ``weights``.
"""

from __future__ import annotations

import math

from ..axes import normalize_axes
from ..function import ShapeError
from ._operands import data_of, operand, xp_of
from .arithmetic import where
from .reduction import _refuse_empty_reduction
from .reduction import max as _max
from .reduction import mean as _mean
from .reduction import min as _min
from .reduction import sum as _sum
from .shape import broadcast_to, reshape, transpose
from .sorting import sort

__all__ = ["median", "average", "nansum", "nanmean", "ptp"]


def _axes(x, axis, op):
    """A sorted tuple of reduced axes (all of them for ``None``)."""
    if axis is None:
        return tuple(range(x.ndim))
    return tuple(sorted(normalize_axes(axis, x.ndim, op)))


def _kept_shape(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def median(x, axis=None, keepdims=False):
    """Median over ``axis`` (int, tuple or ``None`` for all), as ``numpy.median``.

    The gradient goes to the middle element, or half to each of the two middle ones.
    An empty reduction gives NaN, as NumPy (with no gradient).
    """
    x = operand(x)
    axes = _axes(x, axis, "median")
    out_shape = _kept_shape(x.shape, axes, keepdims)
    kept = [i for i in range(x.ndim) if i not in axes]
    n = math.prod(x.shape[i] for i in axes)
    if n == 0:
        return _mean(x, axis=axes, keepdims=keepdims)
    moved = transpose(x, tuple(kept) + axes) if x.ndim else x
    flat = sort(reshape(moved, tuple(x.shape[i] for i in kept) + (n,)), axis=-1)
    middle = flat[..., (n - 1) // 2:n // 2 + 1]
    return reshape(_mean(middle, axis=-1), out_shape)


def average(x, axis=None, weights=None, keepdims=False):
    """Weighted mean over ``axis``, as ``numpy.average``: ``sum(x * w) / sum(w)``.

    ``weights`` has ``x``'s shape, or (for an int ``axis``) is 1-D of length
    ``x.shape[axis]``; without weights this is ``mean``.  Raises if the weights sum to 0.
    """
    x = operand(x)
    axes = _axes(x, axis, "average")
    if weights is None:
        return _mean(x, axis=axes, keepdims=keepdims)
    w = operand(weights)
    if w.shape != x.shape:
        if axis is None or isinstance(axis, (tuple, list)) or w.ndim != 1 \
                or w.shape[0] != x.shape[axes[0]]:
            raise ShapeError(f"average: weights of shape {w.shape} differ from the tensor's "
                             f"shape {x.shape}; 1-d weights need an int axis of that length")
        w = reshape(w, tuple(x.shape[axes[0]] if i == axes[0] else 1 for i in range(x.ndim)))
    total = _sum(broadcast_to(w, x.shape), axis=axes, keepdims=True)
    if bool((data_of(total) == 0).any()):
        raise ZeroDivisionError("average: the weights sum to zero along the reduced axes; "
                                "weights must not cancel out")
    result = _sum(x * w, axis=axes, keepdims=True) / total
    return reshape(result, _kept_shape(x.shape, axes, keepdims))


def nansum(x, axis=None, keepdims=False):
    """Sum over ``axis`` treating NaNs as 0; their gradient is 0."""
    x = operand(x)
    return _sum(where(xp_of(x).isnan(data_of(x)), 0.0, x), axis=_axes(x, axis, "nansum"),
                keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    """Mean over ``axis`` of the non-NaN elements (NaN where all are NaN); NaNs get gradient 0."""
    x = operand(x)
    axes = _axes(x, axis, "nanmean")
    count = (~xp_of(x).isnan(data_of(x))).sum(axis=axes, keepdims=keepdims)
    return nansum(x, axis=axes, keepdims=keepdims) / count.astype(x.dtype)


def ptp(x, axis=None, keepdims=False):
    """Range ``max - min`` over ``axis`` (peak to peak); ties share the gradient."""
    x = operand(x)
    axes = _axes(x, axis, "ptp")
    _refuse_empty_reduction("ptp", x.shape, axes)
    return _max(x, axis=axes, keepdims=keepdims) - _min(x, axis=axes, keepdims=keepdims)
