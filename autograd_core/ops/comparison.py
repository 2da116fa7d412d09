"""Comparisons (``< <= > >= == !=``), logical and bitwise ops: tensors with no gradient."""

from __future__ import annotations

import operator

from ..axes import normalize_reduction_axes
from ..backend import array_module
from ..tensor import Tensor, as_operand

__all__ = ["less", "less_equal", "greater", "greater_equal", "equal", "not_equal",
           "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or",
           "bitwise_xor", "invert", "isfinite", "isnan", "any", "all"]


def _operand_data(x, name):
    try:
        x = as_operand(x)
    except TypeError as err:
        raise TypeError(f"{name}: {err}") from None
    return x.data if isinstance(x, Tensor) else x


def _array_of(x, name):
    """``x``'s array: a Tensor's data, or a list/array/scalar made a tensor's array."""
    if isinstance(x, Tensor):
        return x.data
    try:
        return Tensor(x).data
    except TypeError as err:
        raise TypeError(f"{name}: {err}") from None


def _dtypes(*operands):
    return ", ".join(str(getattr(o, "dtype", type(o).__name__)) for o in operands)


def _elementwise(fn, name, doc):
    """A no-gradient op ``fn(a, b)`` on two operands' arrays (broadcasting), named ``name``."""
    def op(a, b):
        a, b = _operand_data(a, name), _operand_data(b, name)
        try:
            result = fn(a, b)
        except ValueError as err:
            raise ValueError(f"{name}: {err}") from err
        except TypeError as err:
            hint = (" (bitwise ops take integers and bools; for truth values use "
                    f"logical_{name.removeprefix('bitwise_')})" if name.startswith("bitwise_")
                    else "")
            raise TypeError(f"{name}: not defined for operands {_dtypes(a, b)}{hint}") from err
        return Tensor._new(array_module(result).asarray(result))

    op.__name__ = op.__qualname__ = name  # the module-level name it is bound to
    op.__doc__ = doc
    return op


def _compare(fn, name):
    return _elementwise(fn, name,
                        f"Elementwise ``{name}`` with broadcasting; a bool tensor, no gradient.")


def _logical(name):
    def fn(a, b):
        return getattr(array_module(a, b), name)(a, b)

    return _elementwise(fn, name, f"Elementwise ``{name}`` of the truth values of two operands "
                        "of any numeric dtype (NumPy's: nonzero and NaN are true), with "
                        "broadcasting; a bool tensor, no gradient.")


less = _compare(operator.lt, "less")
less_equal = _compare(operator.le, "less_equal")
greater = _compare(operator.gt, "greater")
greater_equal = _compare(operator.ge, "greater_equal")
equal = _compare(operator.eq, "equal")
not_equal = _compare(operator.ne, "not_equal")
logical_and = _logical("logical_and")
logical_or = _logical("logical_or")
logical_xor = _logical("logical_xor")
# the operators & | ^ ~ are NumPy's bitwise ones (on bools they are the logical ones)
bitwise_and = _elementwise(operator.and_, "bitwise_and", "``a & b``: bitwise and of integer "
                           "or bool operands (NumPy's), with broadcasting; no gradient.")
bitwise_or = _elementwise(operator.or_, "bitwise_or", "``a | b``: bitwise or of integer or "
                          "bool operands (NumPy's), with broadcasting; no gradient.")
bitwise_xor = _elementwise(operator.xor, "bitwise_xor", "``a ^ b``: bitwise xor of integer or "
                           "bool operands (NumPy's), with broadcasting; no gradient.")


def invert(x):
    """``~x``: bitwise not of an integer or bool tensor (logical not for bools), as NumPy's."""
    data = _array_of(x, "invert")
    try:
        result = array_module(data).invert(data)
    except TypeError as err:
        raise TypeError(f"invert: not defined for dtype {data.dtype} (it takes integers and "
                        "bools; for truth values use logical_not)") from err
    return Tensor._new(result)


def logical_not(x):
    """Elementwise logical not of a tensor of any numeric dtype (bool tensor)."""
    data = _array_of(x, "logical_not")
    return Tensor._new(array_module(data).logical_not(data))


def isfinite(x):
    """Elementwise: not NaN and not infinite (bool tensor)."""
    data = _array_of(x, "isfinite")
    return Tensor._new(array_module(data).isfinite(data))


def isnan(x):
    """Elementwise NaN test (bool tensor)."""
    data = _array_of(x, "isnan")
    return Tensor._new(array_module(data).isnan(data))


def any(x, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """True where any element along ``axis`` is true (bool tensor)."""
    data = _array_of(x, "any")
    axis = normalize_reduction_axes(axis, data.ndim, "any")
    return Tensor._new(array_module(data).asarray(data.any(axis=axis, keepdims=keepdims)))


def all(x, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """True where every element along ``axis`` is true (bool tensor)."""
    data = _array_of(x, "all")
    axis = normalize_reduction_axes(axis, data.ndim, "all")
    return Tensor._new(array_module(data).asarray(data.all(axis=axis, keepdims=keepdims)))
