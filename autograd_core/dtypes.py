"""Dtype rules: the default float dtype and which dtypes can carry gradients."""

from __future__ import annotations

import numpy

__all__ = [
    "float16",
    "float32",
    "float64",
    "int32",
    "int64",
    "bool_",
    "get_default_dtype",
    "set_default_dtype",
    "is_differentiable_dtype",
]

float16 = numpy.dtype("float16")
float32 = numpy.dtype("float32")
float64 = numpy.dtype("float64")
int32 = numpy.dtype("int32")
int64 = numpy.dtype("int64")
bool_ = numpy.dtype("bool")

_FLOATS = (float16, float32, float64)
_default_dtype = float32


def get_default_dtype() -> numpy.dtype:
    """The dtype Python floats and lists become (``float32`` unless changed)."""
    return _default_dtype


def set_default_dtype(dtype) -> None:
    """Set the dtype Python floats and lists become: float16, float32 or float64."""
    global _default_dtype
    dtype = numpy.dtype(dtype)
    if dtype not in _FLOATS:
        raise TypeError(
            f"set_default_dtype: {dtype} is not a floating dtype; use float16, float32 or float64"
        )
    _default_dtype = dtype


def is_differentiable_dtype(dtype) -> bool:
    """True for float16/32/64, the dtypes whose tensors may require gradients."""
    return dtype in _FLOATS
