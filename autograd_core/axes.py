"""One validation for every axis argument of every op.

An axis outside ``[-ndim, ndim)`` raises :class:`AxisError` naming the op, the axis and
the tensor's ndim: it never wraps modulo ndim.  ``AxisError`` is both this package's
``ShapeError`` and NumPy's ``numpy.exceptions.AxisError`` (so ``except ValueError``,
``except IndexError`` and ``except numpy.exceptions.AxisError`` all catch it).
"""

from __future__ import annotations

import operator

import numpy

from .function import ShapeError

__all__ = ["AxisError", "normalize_axis", "normalize_axes", "normalize_reduction_axes"]

_NumpyAxisError = numpy.exceptions.AxisError


class AxisError(ShapeError, _NumpyAxisError):
    """An axis argument out of range (or repeated, or not an integer) for an op."""

    def __init__(self, message: str, *, op: str | None = None, axis=None, ndim: int | None = None):
        _NumpyAxisError.__init__(self, message)
        self.message = message
        self.op = op
        self.axis = axis
        self.ndim = ndim

    def __str__(self):
        return self.message


def _as_index(op: str, axis, what: str) -> int:
    if isinstance(axis, bool):  # an int to operator.index, but almost always a misplaced flag
        raise AxisError(f"{op}: {what} must be an integer, got the bool {axis!r}", op=op, axis=axis)
    try:
        return operator.index(axis)
    except TypeError:
        raise AxisError(f"{op}: {what} must be an integer, got {type(axis).__name__} {axis!r}",
                        op=op, axis=axis) from None


def normalize_axis(axis, ndim: int, op: str, what: str = "axis") -> int:
    """``axis`` as a non-negative int in ``range(ndim)``.

    Parameters
    ----------
    axis : int
        The axis as the user gave it (negative counts from the end).
    ndim : int
        Number of dimensions of the tensor it indexes (for ``expand_dims`` pass the
        result's ndim).
    op : str
        The op's public name, used in the message.
    what : str
        The argument's name in the message (``"axis"``, ``"axis1"``, ``"start_axis"``...).
    """
    index = _as_index(op, axis, what)
    if not -ndim <= index < ndim:
        valid = f"[{-ndim}, {ndim - 1}]" if ndim else "none (the tensor is 0-d)"
        raise AxisError(f"{op}: {what} {index} is out of bounds for a tensor with {ndim} "
                        f"dimension{'s' if ndim != 1 else ''} (valid axes: {valid})",
                        op=op, axis=index, ndim=ndim)
    return index + ndim if index < 0 else index


def normalize_axes(axis, ndim: int, op: str, *, allow_duplicates: bool = False,
                   what: str = "axis") -> tuple[int, ...]:
    """An int or a sequence of ints as a tuple of non-negative axes, in the given order.

    Repeated axes (after normalisation) raise unless ``allow_duplicates``; ``None`` is the
    caller's business (it means different things to different ops).
    """
    if isinstance(axis, (tuple, list)):
        axes = tuple(normalize_axis(a, ndim, op, what) for a in axis)
    else:
        axes = (normalize_axis(axis, ndim, op, what),)
    if not allow_duplicates and len(set(axes)) != len(axes):
        raise AxisError(f"{op}: repeated {what} in {axis!r} (a tensor with {ndim} dimensions)",
                        op=op, axis=axis, ndim=ndim)
    return axes


def normalize_reduction_axes(axis, ndim: int, op: str):
    """``None`` (reduce everything) or the sorted tuple of non-negative axes to reduce.

    ``axis`` is ``None``, an int or a sequence of ints; repeated axes raise.  A 0-d tensor
    has no axes, so only ``None`` and ``()`` are valid for it (NumPy accepts ``axis=0``
    on 0-d arrays for some reductions and not others; this package refuses it for all).
    """
    if axis is None:
        return None
    return tuple(sorted(normalize_axes(axis, ndim, op)))
