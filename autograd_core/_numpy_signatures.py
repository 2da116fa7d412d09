"""NumPy signatures that no op has one to one, written over the ops for the dispatch table.

Each adapter takes the NumPy function's parameters (with NumPy's defaults) and calls
the ops, so ``np.cross(t, u, axisa=0)`` means on Tensors what it means on arrays.
"""

from __future__ import annotations

from . import ops
from .axes import normalize_axis
from .function import ShapeError
from .ops._operands import operand

__all__ = ["astype", "cross", "linalg_diagonal"]


def astype(x, dtype, copy=True):
    """``numpy.astype``: a new Tensor in ``dtype`` (``copy=False``: ``x`` itself when it
    already has that dtype)."""
    y = ops.astype(x, dtype)
    if y is x and copy:
        return x.clone()
    return y


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """``numpy.cross``: 3-vectors along ``axisa`` of ``a`` and ``axisb`` of ``b``; the
    result's vectors along ``axisc`` (``axis`` sets all three)."""
    if axis is not None:
        axisa = axisb = axisc = axis
    if axisa == axisb == axisc:
        return ops.cross(a, b, axis=axisa)
    a, b = operand(a), operand(b)
    for name, x in (("a", a), ("b", b)):
        if x.ndim == 0:
            raise ShapeError(f"cross: {name} is 0-d; give 3-vectors along an axis")
    a = ops.moveaxis(a, normalize_axis(axisa, a.ndim, "cross"), -1)
    b = ops.moveaxis(b, normalize_axis(axisb, b.ndim, "cross"), -1)
    c = ops.cross(a, b, axis=-1)
    return ops.moveaxis(c, -1, normalize_axis(axisc, c.ndim, "cross"))


def linalg_diagonal(x, offset=0):
    """``numpy.linalg.diagonal``: the ``offset`` diagonal of each matrix in the **last
    two** axes (``numpy.diagonal`` uses the first two)."""
    return ops.diagonal(x, offset, -2, -1)
