"""Joining, splitting and grids: ``vstack hstack dstack column_stack array_split meshgrid``.

Compositions of ``concatenate``, slicing, ``reshape`` and ``broadcast_to``.
"""

from __future__ import annotations

import operator

from ..axes import normalize_axis
from ..function import ShapeError
from ._operands import operand
from .rearranging import atleast_1d, atleast_2d, atleast_3d
from .shape import broadcast_to, concatenate, reshape

__all__ = ["vstack", "hstack", "dstack", "column_stack", "array_split", "meshgrid"]


def _operands(tensors, op):
    tensors = [operand(t) for t in tensors]
    if not tensors:
        raise ValueError(f"{op}: need at least one tensor")
    return tensors


def _as_list(result):
    return list(result) if isinstance(result, tuple) else [result]


def vstack(tensors):
    """Stack row-wise: 1-d ``(n,)`` inputs become rows ``(1, n)``, joined along axis 0."""
    return concatenate(_as_list(atleast_2d(*_operands(tensors, "vstack"))), axis=0)


def hstack(tensors):
    """Stack column-wise: along axis 1, or axis 0 for 1-d inputs."""
    parts = _as_list(atleast_1d(*_operands(tensors, "hstack")))
    return concatenate(parts, axis=0 if parts[0].ndim == 1 else 1)


def dstack(tensors):
    """Stack depth-wise along axis 2 (inputs made at least 3-d: ``(m, n)`` -> ``(m, n, 1)``)."""
    return concatenate(_as_list(atleast_3d(*_operands(tensors, "dstack"))), axis=2)


def column_stack(tensors):
    """1-d inputs become columns ``(n, 1)``; 2-d ones are kept; joined along axis 1."""
    parts = []
    for t in _operands(tensors, "column_stack"):
        parts.append(reshape(t, (-1, 1)) if t.ndim < 2 else t)
    return concatenate(parts, axis=1)


def array_split(x, indices_or_sections, axis=0):
    """Split along ``axis`` into ``N`` near-equal parts (the first ``len % N`` one longer)
    or at the given split points, as ``numpy.array_split``; a list of tensors."""
    x = operand(x)
    if x.ndim == 0:
        raise ShapeError("array_split: cannot split a 0-d tensor")
    axis = normalize_axis(axis, x.ndim, "array_split")
    n = x.shape[axis]
    if isinstance(indices_or_sections, (list, tuple)) or hasattr(indices_or_sections, "ndim") \
            and indices_or_sections.ndim:
        bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    else:
        sections = operator.index(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"array_split: number of sections must be positive, got {sections}")
        size, extra = divmod(n, sections)
        bounds = [0]
        for i in range(sections):
            bounds.append(bounds[-1] + size + (i < extra))
    head = (slice(None),) * axis
    return [x[head + (slice(lo, hi),)] for lo, hi in zip(bounds[:-1], bounds[1:])]


def meshgrid(*xs, indexing="xy"):
    """Coordinate grids from 1-d coordinate vectors (inputs are flattened), as
    ``numpy.meshgrid``: ``indexing="xy"`` (Cartesian: the first two axes swapped) or
    ``"ij"`` (matrix).  A tuple of tensors of one shape; gradients sum over the grid."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', not {indexing!r}")
    xs = [reshape(operand(x), (-1,)) for x in xs]
    shape = [x.shape[0] for x in xs]
    if indexing == "xy" and len(xs) > 1:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, x in enumerate(xs):
        position = i
        if indexing == "xy" and len(xs) > 1 and i < 2:
            position = 1 - i
        view = [1] * len(xs)
        view[position] = x.shape[0]
        grids.append(broadcast_to(reshape(x, tuple(view)), tuple(shape)))
    return tuple(grids)
