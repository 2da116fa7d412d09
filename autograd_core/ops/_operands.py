"""Operand helpers shared by the NumPy-wide ops (issue 13)."""

from __future__ import annotations

from .. import backend
from ..backend import array_module
from ..tensor import Tensor


def operand(x):
    """``x`` as an operand whose ``shape``/``ndim`` can be read: Tensors and arrays as they
    are (arrays stay arrays inside an unrecorded backward pass), anything else a Tensor."""
    if isinstance(x, Tensor) or backend.is_array(x):
        return x
    return Tensor(x)


def data_of(x):
    """The raw array of a Tensor (an array as it is)."""
    return x.data if isinstance(x, Tensor) else x


def xp_of(*xs):
    """The array module of the operands' data."""
    return array_module(*(data_of(x) for x in xs))


def index_array(x, values, op):
    """``values`` (a Tensor, array or list of integers) as an integer array on ``x``'s device."""
    data = data_of(values)
    xp = xp_of(x)
    if not backend.is_array(data):
        data = xp.asarray(data)
        if data.size == 0:
            data = data.astype("int64")
    elif backend.device_of(data) != backend.device_of(data_of(x)):
        raise backend.DeviceError(f"{op}: indices are on {backend.device_of(data)} but the "
                                  f"tensor is on {backend.device_of(data_of(x))}; move them "
                                  "with .to(device)")
    if data.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be integers, not {data.dtype}")
    return data
