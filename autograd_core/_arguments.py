"""Checks of the integer and dtype arguments of factories and ops, with errors that name them.

Axes have their own module (``axes.py``); this one covers the rest: shapes, counts,
integer parameters (``decimals``, ``offset``, ``n``) and dtypes.  Each check raises
``TypeError`` for a value of the wrong type and ``ValueError`` for one out of range,
naming the op, the argument and the value.
"""

from __future__ import annotations

import operator

import numpy

__all__ = ["integer", "count", "shape_of", "tensor_dtype"]


def integer(value, op: str, name: str) -> int:
    """``value`` as an int (a bool is refused: it is almost always a misplaced flag)."""
    if isinstance(value, (bool, numpy.bool_)):
        raise TypeError(f"{op}: {name} must be an integer, got the bool {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{op}: {name} must be an integer, got {type(value).__name__} "
                        f"{value!r}") from None


def count(value, op: str, name: str) -> int:
    """``value`` as a non-negative int."""
    n = integer(value, op, name)
    if n < 0:
        raise ValueError(f"{op}: {name}={n} must be non-negative")
    return n


def shape_of(shape, op: str) -> tuple[int, ...]:
    """A shape given as ``(2, 3)``, ``[2, 3]``, ``2`` or the ``*shape`` tuple ``((2, 3),)``,
    as a tuple of non-negative ints."""
    if len(shape) == 1 and isinstance(shape, tuple) and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    if isinstance(shape, numpy.ndarray):
        shape = tuple(shape.tolist()) if shape.ndim else (shape.item(),)
    elif not isinstance(shape, (tuple, list)):
        shape = (shape,)
    dims = []
    for n in shape:
        if isinstance(n, (bool, numpy.bool_)):
            raise TypeError(f"{op}: shape {tuple(shape)!r} holds the bool {n!r}; dimensions "
                            "must be integers")
        try:
            dims.append(operator.index(n))
        except TypeError:
            raise TypeError(f"{op}: shape {tuple(shape)!r} holds {n!r}; dimensions must be "
                            "integers") from None
    if any(n < 0 for n in dims):
        raise ValueError(f"{op}: negative dimension in shape {tuple(dims)}; dimensions must be "
                         ">= 0")
    return tuple(dims)


def tensor_dtype(dtype, op: str) -> numpy.dtype:
    """``dtype`` as a NumPy dtype a tensor can hold: bool, integer or real floating."""
    try:
        resolved = numpy.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"{op}: dtype {dtype!r} is not understood ({err})") from None
    if resolved.kind not in "fiub":
        raise TypeError(f"{op}: dtype {resolved} is not supported; tensors hold bool, integer "
                        "or real floating numbers")
    return resolved
