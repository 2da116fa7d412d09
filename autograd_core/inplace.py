"""In-place writes to a Tensor, under one rule.

Every method that changes a tensor's value in place goes through :func:`write`:
the augmented operators ``x += v``, ``-=``, ``*=``, ``/=``, ``**=``, ``@=``,
item assignment ``x[index] = v`` and ``x.zero_()``.  The rule is PyTorch's:

1. **A leaf that requires grad** (a parameter) is written in place only while
   grad mode is off in the calling thread (``with no_grad(): w -= lr * w.grad``);
   it stays the same leaf, still requiring grad.  With grad mode on the write is
   refused: the tensor's ``.grad`` would no longer describe its value.
2. **Otherwise, with grad mode on and the tensor or the value requiring grad**,
   the write is recorded: the tensor takes the new value and, as history, the
   op applied to its old value (``add``, ``index_put`` ...), so gradients stay
   right.  The old array is left intact (arrays that view it do not change).
3. **Otherwise** the write goes into ``data`` itself, in NumPy's in-place
   semantics (shape and dtype kept; a result that does not broadcast to the
   tensor's shape, or casts to another dtype kind, is refused).

In every case the tensor's version counter moves, so a later backward through
an op that saved the old value raises an error naming that op.
"""

from __future__ import annotations

import operator

import numpy

from . import backend, grad_mode, ops
from .function import ShapeError, _describe
from .ops.indexing import IndexPut, normalize_index
from .tensor import Tensor, as_operand

__all__ = ["write", "METHODS"]


def write(target: Tensor, op: str, record, in_place, value) -> Tensor:
    """Apply one in-place write to ``target`` under the module's rule; return ``target``.

    Parameters
    ----------
    target : Tensor
        The tensor written to; its shape and dtype never change.
    op : str
        How the user wrote it (``"x += v"``), for error messages.
    record : callable ``(old, value) -> Tensor``
        The differentiable, out-of-place form of the write (rule 2).
    in_place : callable ``(array, value) -> None``
        Writes into ``array`` (rule 1 and 3); ``value`` is a Python scalar or an
        array on the target's device.
    value : Tensor, array, Python scalar or None
    """
    value_rg = isinstance(value, Tensor) and value._rg
    if (target._rg or value_rg) and grad_mode.is_grad_enabled():
        if target._rg and target.node is None:
            raise RuntimeError(
                f"{op}: a leaf tensor that requires grad ({_describe(target)}) cannot be "
                "modified in place while grad mode is on: its .grad would no longer match "
                "its value. Update it under autograd_core.no_grad() (e.g. "
                "`with ag.no_grad(): w -= lr * w.grad`), or compute a new tensor out of "
                "place (y = x + v)."
            )
        _record(target, op, record, value)
        return target
    data = target.data
    if isinstance(value, Tensor):
        value = value.data
    if backend.is_array(value) and backend.device_of(value) != backend.device_of(data):
        raise backend.DeviceError(
            f"{op}: the value is on {backend.device_of(value)} but the tensor is on "
            f"{backend.device_of(data)}; move the value first with .to(device)"
        )
    try:
        in_place(data, value)
    except (TypeError, ValueError) as err:
        raise _write_error(err, op, target, value) from err
    target._bump_version()
    return target


def _record(target, op, record, value):
    """Rule 2: rebind ``target`` to ``record(old, value)``, on top of its old history."""
    old = Tensor._new(target.data)
    old.node, old._rg = target.node, target._rg
    result = record(old, value)
    if result.shape != target.shape:
        raise ShapeError(
            f"{op}: the result has shape {result.shape} but the tensor has shape "
            f"{target.shape}; an in-place write keeps the shape (operands: "
            f"{_describe(target)}, {_describe(value)}). Write it out of place instead."
        )
    if result.dtype != target.dtype:
        if not numpy.can_cast(result.dtype, target.dtype, "same_kind"):
            raise TypeError(
                f"{op}: the result is {result.dtype} but the tensor is {target.dtype}; an "
                "in-place write keeps the dtype and cannot cast across kinds. Write it out "
                "of place instead (y = x + v)."
            )
        result = ops.astype(result, target.dtype)
    # the old version counter moves: ops that saved the old value raise on backward.
    # When the new node saved its output (the new value), later writes must move that
    # node's counter, so the tensor takes it over
    target.data, target.node, target._rg = result.data, result.node, result._rg
    target._bump_version()
    if result._vc is not None:
        target._vc = result._vc


def _write_error(err, op, target, value):
    cls = ShapeError if isinstance(err, ValueError) else TypeError
    return cls(
        f"{op}: {err} (tensor {_describe(target)}, value {_describe(value)}). An in-place "
        "write keeps the tensor's shape and dtype; write it out of place (y = x + v) for "
        "a broadcast or promoted result."
    )


# -- the in-place methods --------------------------------------------------------------

def _operand(value):
    return value if isinstance(value, Tensor) else as_operand(value)


def _imatmul(array, value):
    result = array @ value
    if result.shape != array.shape:
        raise ValueError(f"the product has shape {result.shape}, not the tensor's "
                         f"{array.shape}")
    backend.array_module(array).copyto(array, result, casting="same_kind")


def _augmented(name, symbol, op, array_op):
    text = f"x {symbol} v"

    def method(self, other):
        return write(self, text, op, array_op, _operand(other))

    method.__name__ = name
    method.__doc__ = (f"``x {symbol} v`` in place: :func:`{op.__name__}` written into ``x`` "
                      "(see :mod:`autograd_core.inplace` for the rule).")
    return method


def _setitem_in_place(index):
    def in_place(array, value):
        array[normalize_index(index, array)] = value

    return in_place


def setitem(self, index, value):
    """``x[index] = value`` in place, under the rule of :mod:`autograd_core.inplace`.

    On a tensor in a graph the write is recorded as an ``index_put`` op (gradients
    flow to the old value outside ``index`` and to ``value`` inside it).
    """
    write(self, "x[index] = v", lambda old, v: IndexPut(normalize_index(index, old.data))(old, v),
          _setitem_in_place(index), _operand(value))


def _zero_in_place(array, _value):
    array[...] = 0


def zero_(self):
    """Fill with zeros in place and return ``self`` (the rule of :mod:`autograd_core.inplace`)."""
    return write(self, "x.zero_()", lambda old, _: IndexPut(Ellipsis)(old, 0), _zero_in_place,
                 None)


METHODS = {
    "__iadd__": _augmented("__iadd__", "+=", ops.add, operator.iadd),
    "__isub__": _augmented("__isub__", "-=", ops.subtract, operator.isub),
    "__imul__": _augmented("__imul__", "*=", ops.multiply, operator.imul),
    "__itruediv__": _augmented("__itruediv__", "/=", ops.divide, operator.itruediv),
    "__ipow__": _augmented("__ipow__", "**=", ops.power, operator.ipow),
    "__imatmul__": _augmented("__imatmul__", "@=", ops.matmul, _imatmul),
    "__setitem__": setitem,
    "zero_": zero_,
}
