"""Sorting and gathering: ``sort argsort take take_along_axis``, and the out-of-place
scatters ``put_along_axis`` and ``scatter_add``.

All are built on indexing (``getitem``, ``index_add``, ``index_put``), so gradients are
routed through the index: ``sort`` sends each gradient back to the element that moved
there, ``take``/``take_along_axis`` scatter-*add* (repeated indices accumulate).
``put_along_axis(arr, indices, values, axis)`` returns a new tensor: the gradient for
``arr`` is zero at the written places, the one for ``values`` gathers the gradient
there; with repeated indices NumPy does not say which value lands, so the gradient for
``values`` is only defined for distinct indices (use ``scatter_add`` to accumulate).
"""

from __future__ import annotations

from ..axes import normalize_axis
from ..function import ShapeError
from ..tensor import Tensor
from ._operands import data_of, index_array, operand, xp_of
from .indexing import GetItem, IndexAdd, IndexPut
from .shape import broadcast_to, reshape

__all__ = ["sort", "argsort", "take", "take_along_axis", "put_along_axis", "scatter_add"]


def _flat_or_axis(x, axis, op):
    """``(x, axis)`` with ``axis=None`` meaning the flattened tensor."""
    if axis is None:
        return reshape(x, (-1,)), 0
    if x.ndim == 0:
        raise ShapeError(f"{op}: a 0-d tensor has no axis {axis}; use axis=None")
    return x, normalize_axis(axis, x.ndim, op)


def _argsort_data(data, axis):
    return xp_of(data).argsort(data, axis=axis, kind="stable")


def sort(x, axis=-1):
    """Sorted copy along ``axis`` (flattened when ``None``), stable; ties keep their order.

    The gradient of each output element goes back to the input element that moved there.
    """
    x, axis = _flat_or_axis(operand(x), axis, "sort")
    return _gather(x, _argsort_data(data_of(x), axis), axis)


def argsort(x, axis=-1):
    """Indices that sort ``x`` along ``axis`` (stable), an int64 tensor without gradient."""
    x, axis = _flat_or_axis(operand(x), axis, "argsort")
    return Tensor._new(_argsort_data(data_of(x), axis).astype("int64"))


def take(x, indices, axis=None):
    """Elements of ``x`` at ``indices`` along ``axis`` (of the flattened ``x`` when ``None``).

    Shape: ``x.shape[:axis] + indices.shape + x.shape[axis+1:]``.  Negative indices count
    from the end; out-of-range indices raise.
    """
    x, axis = _flat_or_axis(operand(x), axis, "take")
    index = index_array(x, indices, "take")
    _check_range(index, x.shape[axis], "take", axis)
    return GetItem((slice(None),) * axis + (index,))(x)


def _check_range(index, n, op, axis):
    if index.size and (int(index.max()) >= n or int(index.min()) < -n):
        bad = int(index.max()) if int(index.max()) >= n else int(index.min())
        raise IndexError(f"{op}: index {bad} is out of bounds for axis {axis} with size {n}")


def _along_axis_index(x, indices, axis, op):
    """The advanced index that picks ``indices`` along ``axis`` and keeps the other axes."""
    index = index_array(x, indices, op)
    if index.ndim != x.ndim:
        raise ShapeError(f"{op}: indices of shape {index.shape} must have as many dimensions "
                         f"as the tensor of shape {x.shape}")
    _check_range(index, x.shape[axis], op, axis)
    xp = xp_of(x)
    parts = []
    for i, n in enumerate(x.shape):
        if i == axis:
            parts.append(index)
        else:
            shape = [1] * x.ndim
            shape[i] = n
            parts.append(xp.arange(n).reshape(shape))
    shape = []
    for i, (n, m) in enumerate(zip(x.shape, index.shape)):
        if i != axis and m not in (1, n):
            raise ShapeError(f"{op}: indices of shape {index.shape} do not broadcast against "
                             f"the tensor of shape {x.shape} outside axis {axis}")
        shape.append(m if i == axis else n)
    return tuple(parts), tuple(shape)


def _gather(x, index, axis):
    parts, _ = _along_axis_index(x, index, axis, "sort")
    return GetItem(parts)(x)


def take_along_axis(arr, indices, axis):
    """``arr`` gathered at ``indices`` along ``axis`` (``None``: the flattened ``arr``),
    as ``numpy.take_along_axis``; ``indices`` has ``arr``'s ndim and broadcasts against it.
    """
    x, axis = _flat_or_axis(operand(arr), axis, "take_along_axis")
    parts, _ = _along_axis_index(x, indices, axis, "take_along_axis")
    return GetItem(parts)(x)


def put_along_axis(arr, indices, values, axis):
    """A copy of ``arr`` with ``values`` written at ``indices`` along ``axis``: the
    out-of-place form of ``numpy.put_along_axis``, differentiable in ``arr`` and ``values``.

    ``values`` broadcasts against ``indices``.  Shape: ``arr.shape``.
    """
    x = operand(arr)
    if axis is None:
        x, axis, shape = reshape(x, (-1,)), 0, x.shape
    else:
        x, axis, shape = _flat_or_axis(x, axis, "put_along_axis") + (None,)
    parts, _ = _along_axis_index(x, indices, axis, "put_along_axis")
    out = IndexPut(parts)(x, values)
    return out if shape is None else reshape(out, shape)


def scatter_add(arr, indices, values, axis):
    """``arr`` plus ``values`` added at ``indices`` along ``axis``; repeated indices
    accumulate (the out-of-place ``numpy.add.at``).  Differentiable in ``arr`` and
    ``values``; ``values`` broadcasts against ``indices``.  Shape: ``arr.shape``.
    """
    x = operand(arr)
    if axis is None:
        x, axis, shape = reshape(x, (-1,)), 0, x.shape
    else:
        x, axis, shape = _flat_or_axis(x, axis, "scatter_add") + (None,)
    parts, index_shape = _along_axis_index(x, indices, axis, "scatter_add")
    values = operand(values)
    if not isinstance(values, Tensor):
        values = Tensor._new(values)
    if values.shape != tuple(index_shape):
        values = broadcast_to(values, tuple(index_shape))
    out = x + IndexAdd(parts, x.shape)(values)
    return out if shape is None else reshape(out, shape)
