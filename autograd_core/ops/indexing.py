"""Indexing: ``x[index]`` (basic and advanced), its scatter-add adjoint, and ``x[index] = v``.

The gradient of ``x[index]`` is a scatter-*add* into zeros, so repeated integer
indices accumulate (``x[[0, 0]]`` sends both gradients to ``x[0]``).
"""

from __future__ import annotations

from .. import backend
from ..backend import array_module
from ..function import Function
from ..tensor import Tensor

__all__ = ["getitem", "index_add", "normalize_index"]

_BASIC = (int, slice, type(None), type(Ellipsis))


def normalize_index(index, data):
    """Turn Tensors and lists inside ``index`` into arrays on ``data``'s device."""
    items = index if isinstance(index, tuple) else (index,)
    converted = []
    changed = False
    for item in items:
        if isinstance(item, Tensor):
            item = item.data
            changed = True
        elif isinstance(item, list):
            item = array_module(data).asarray(item)
            changed = True
        if backend.is_array(item):
            if backend.device_of(item) != backend.device_of(data):
                raise backend.DeviceError(
                    f"getitem: index is on {backend.device_of(item)} but the tensor is on "
                    f"{backend.device_of(data)}; move the index with .to(device)")
            if item.dtype.kind not in "iub":
                raise IndexError(f"getitem: index arrays must be integer or bool, not {item.dtype}")
        converted.append(item)
    if not changed:
        return index
    return tuple(converted) if isinstance(index, tuple) else converted[0]


def _is_basic(index) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, _BASIC) and not isinstance(i, bool) for i in items)


class GetItem(Function):
    __slots__ = ("index", "source_shape")
    name = "getitem"

    def __init__(self, index):
        self.index = index

    def forward(self, x):
        self.source_shape = x.shape
        return x[self.index]

    def backward(self, grad, out):
        return (IndexAdd(self.index, self.source_shape)(grad),)


class IndexAdd(Function):
    """Scatter-add ``values`` into zeros of ``shape`` at ``index`` (adjoint of getitem)."""

    __slots__ = ("index", "shape")
    name = "index_add"

    def __init__(self, index, shape):
        self.index, self.shape = index, shape

    def forward(self, values):
        xp = array_module(values)
        out = xp.zeros(self.shape, dtype=values.dtype)
        if _is_basic(self.index):
            out[self.index] = values  # basic indices never repeat an element
        else:
            backend.scatter_add(xp, out, self.index, values)
        return out

    def backward(self, grad, out):
        return (GetItem(self.index)(grad),)


class IndexPut(Function):
    """``out = x.copy(); out[index] = value`` (the differentiable form of ``x[index] = value``)."""

    __slots__ = ("index",)
    name = "index_put"

    def __init__(self, index):
        self.index = index

    def forward(self, x, value):
        out = x.copy()
        out[self.index] = value
        return out

    def backward(self, grad, out):
        grad_x = IndexPut(self.index)(grad, 0.0) if self.parents[0] is not None else None
        grad_value = GetItem(self.index)(grad) if self.parents[1] is not None else None
        return grad_x, grad_value


def getitem(x, index):
    """``x[index]`` with NumPy semantics: ints, slices, ``None``, ``...``, integer and
    boolean arrays.  Shapes: as NumPy's result."""
    return GetItem(normalize_index(index, x.data))(x)


def index_add(values, index, shape):
    """Zeros of ``shape`` with ``values`` added at ``index`` (repeats accumulate)."""
    return IndexAdd(normalize_index(index, values.data), tuple(shape))(values)
