"""Comparisons (``< <= > >= == !=``) and logical ops: bool tensors with no gradient."""

from __future__ import annotations

import operator

from ..axes import normalize_reduction_axes
from ..backend import array_module
from ..tensor import Tensor, as_operand

__all__ = ["less", "less_equal", "greater", "greater_equal", "equal", "not_equal",
           "logical_and", "logical_or", "logical_not", "isfinite", "isnan", "any", "all"]


def _operand_data(x):
    x = as_operand(x)
    return x.data if isinstance(x, Tensor) else x


def _compare(op, name):
    def compare(a, b):
        try:
            result = op(_operand_data(a), _operand_data(b))
        except ValueError as err:
            raise ValueError(f"{name}: {err}") from err
        return Tensor._new(array_module(result).asarray(result))

    compare.__name__ = compare.__qualname__ = name  # the module-level name it is bound to
    compare.__doc__ = f"Elementwise ``{name}`` with broadcasting; a bool tensor, no gradient."
    return compare


less = _compare(operator.lt, "less")
less_equal = _compare(operator.le, "less_equal")
greater = _compare(operator.gt, "greater")
greater_equal = _compare(operator.ge, "greater_equal")
equal = _compare(operator.eq, "equal")
not_equal = _compare(operator.ne, "not_equal")
logical_and = _compare(operator.and_, "logical_and")
logical_or = _compare(operator.or_, "logical_or")


def logical_not(x):
    """Elementwise logical not of a bool tensor."""
    data = x.data if isinstance(x, Tensor) else x
    return Tensor._new(array_module(data).logical_not(data))


def isfinite(x):
    """Elementwise: not NaN and not infinite (bool tensor)."""
    return Tensor._new(array_module(x.data).isfinite(x.data))


def isnan(x):
    """Elementwise NaN test (bool tensor)."""
    return Tensor._new(array_module(x.data).isnan(x.data))


def any(x, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """True where any element along ``axis`` is true (bool tensor)."""
    axis = normalize_reduction_axes(axis, x.ndim, "any")
    return Tensor._new(array_module(x.data).asarray(x.data.any(axis=axis, keepdims=keepdims)))


def all(x, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """True where every element along ``axis`` is true (bool tensor)."""
    axis = normalize_reduction_axes(axis, x.ndim, "all")
    return Tensor._new(array_module(x.data).asarray(x.data.all(axis=axis, keepdims=keepdims)))
