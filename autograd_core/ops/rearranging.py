"""Rearranging and dimension helpers: ``flip roll rot90 moveaxis ravel``,
``atleast_1d atleast_2d atleast_3d broadcast_arrays``.

Compositions of indexing, ``transpose``, ``reshape`` and ``broadcast_to``: their
gradients route each element back to where it came from.
"""

from __future__ import annotations

import operator

from ..axes import normalize_axes
from ..function import ShapeError
from ._operands import operand, xp_of
from .indexing import GetItem
from .shape import broadcast_to, reshape, transpose

__all__ = ["flip", "roll", "rot90", "moveaxis", "ravel", "atleast_1d", "atleast_2d",
           "atleast_3d", "broadcast_arrays"]


def flip(x, axis=None):
    """Reverse the order of elements along ``axis`` (int, tuple, or ``None`` for all)."""
    x = operand(x)
    axes = range(x.ndim) if axis is None else normalize_axes(axis, x.ndim, "flip")
    index = [slice(None)] * x.ndim
    for a in axes:
        index[a] = slice(None, None, -1)
    return x[tuple(index)] if x.ndim else x * 1


def roll(x, shift, axis=None):
    """Shift elements cyclically by ``shift`` along ``axis`` (flattened when ``None``);
    ``shift`` and ``axis`` may be matching tuples, as ``numpy.roll``."""
    x = operand(x)
    if axis is None:
        return reshape(roll(reshape(x, (-1,)), shift, 0), x.shape)
    axes = normalize_axes(axis, x.ndim, "roll", allow_duplicates=True)
    shifts = tuple(shift) if isinstance(shift, (tuple, list)) else (shift,)
    if len(shifts) == 1:
        shifts = shifts * len(axes)
    if len(axes) == 1 and len(shifts) > 1:
        axes = axes * len(shifts)
    if len(shifts) != len(axes):
        raise ShapeError(f"roll: {len(shifts)} shifts for {len(axes)} axes; give one shift "
                         "per axis")
    total = {}
    for a, s in zip(axes, shifts):
        total[a] = total.get(a, 0) + operator.index(s)
    xp = xp_of(x)
    for a, s in total.items():
        n = x.shape[a]
        if n and s % n:
            x = GetItem((slice(None),) * a + ((xp.arange(n) - s) % n,))(x)
    return x


def rot90(x, k=1, axes=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``axes`` (from the first axis
    towards the second), as ``numpy.rot90``."""
    x = operand(x)
    if not isinstance(axes, (tuple, list)) or len(axes) != 2:
        raise ShapeError(f"rot90: axes must be two axes, got {axes!r}")
    a, b = normalize_axes(axes, x.ndim, "rot90")
    k = operator.index(k) % 4
    if k == 0:
        return x * 1
    if k == 2:
        return flip(x, (a, b))
    perm = list(range(x.ndim))
    perm[a], perm[b] = perm[b], perm[a]
    if k == 1:
        return transpose(flip(x, b), tuple(perm))
    return flip(transpose(x, tuple(perm)), b)


def moveaxis(x, source, destination):
    """Move axes ``source`` to positions ``destination`` (ints or matching sequences)."""
    x = operand(x)
    src = normalize_axes(source, x.ndim, "moveaxis", what="source")
    dst = normalize_axes(destination, x.ndim, "moveaxis", what="destination")
    if len(src) != len(dst):
        raise ShapeError(f"moveaxis: {len(src)} source axes but {len(dst)} destinations")
    order = [a for a in range(x.ndim) if a not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(x, tuple(order)) if order != list(range(x.ndim)) else x


def ravel(x):
    """The elements as a 1-d tensor (row-major order)."""
    x = operand(x)
    return reshape(x, (-1,))


def _atleast(ndim, xs):
    out = []
    for x in xs:
        x = operand(x)
        if x.ndim < ndim:
            shape = x.shape
            if ndim == 3 and x.ndim == 2:
                shape = shape + (1,)
            elif ndim == 3 and x.ndim == 1:
                shape = (1,) + shape + (1,)
            else:
                shape = (1,) * (ndim - x.ndim) + shape
            x = reshape(x, shape)
        out.append(x)
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*xs):
    """Each input with at least 1 dimension (0-d becomes ``(1,)``); one input gives one
    tensor, several a tuple."""
    return _atleast(1, xs)


def atleast_2d(*xs):
    """Each input with at least 2 dimensions: ``(n,)`` becomes ``(1, n)``."""
    return _atleast(2, xs)


def atleast_3d(*xs):
    """Each input with at least 3 dimensions: ``(n,)`` becomes ``(1, n, 1)``, ``(m, n)``
    becomes ``(m, n, 1)``."""
    return _atleast(3, xs)


def broadcast_arrays(*xs):
    """The inputs broadcast against each other (a tuple, one per input)."""
    xs = [operand(x) for x in xs]
    ndim = max((x.ndim for x in xs), default=0)
    shape = []
    for i in range(ndim):
        sizes = {x.shape[i - ndim + x.ndim] for x in xs if i - ndim + x.ndim >= 0} - {1}
        if len(sizes) > 1:
            raise ShapeError("broadcast_arrays: shapes "
                             f"{', '.join(str(x.shape) for x in xs)} do not broadcast")
        shape.append(sizes.pop() if sizes else 1)
    return tuple(broadcast_to(x, tuple(shape)) for x in xs)

