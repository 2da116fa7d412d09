"""The table that attaches ops to ``Tensor`` as operators and methods.

Each op is defined once, in ``ops/``; this file only says under which Python
operator or method name it is also reachable.
"""

from __future__ import annotations

from . import _pytorch_names, dlpack, inplace, ops
from .tensor import Tensor


def _reflected(op):
    def method(self, other):
        return op(other, self)

    method.__name__ = f"r{op.__name__}"
    method.__doc__ = f"Reflected form of :func:`{op.__name__}` (``other OP self``)."
    return method


def _clone(self):
    """A copy of the data that stays in the graph (gradients flow back to ``self``)."""
    return self * 1 if self.dtype.kind in "fc" else Tensor._new(self.data.copy())


def _as_float(dtype):
    def method(self):
        return ops.astype(self, dtype)

    method.__doc__ = f"Cast to {dtype} (differentiable)."
    return method


OPERATORS = {
    "__add__": ops.add, "__radd__": _reflected(ops.add),
    "__sub__": ops.subtract, "__rsub__": _reflected(ops.subtract),
    "__mul__": ops.multiply, "__rmul__": _reflected(ops.multiply),
    "__truediv__": ops.divide, "__rtruediv__": _reflected(ops.divide),
    "__pow__": ops.power, "__rpow__": _reflected(ops.power),
    "__matmul__": ops.matmul, "__rmatmul__": _reflected(ops.matmul),
    "__neg__": ops.negative, "__abs__": ops.abs, "__pos__": lambda self: self,
    "__getitem__": ops.getitem,
    "__lt__": ops.less, "__le__": ops.less_equal, "__gt__": ops.greater,
    "__ge__": ops.greater_equal, "__eq__": ops.equal, "__ne__": ops.not_equal,
    # NumPy's operators: bitwise on integers, logical on bools, refused on floats
    "__and__": ops.bitwise_and, "__rand__": _reflected(ops.bitwise_and),
    "__or__": ops.bitwise_or, "__ror__": _reflected(ops.bitwise_or),
    "__xor__": ops.bitwise_xor, "__rxor__": _reflected(ops.bitwise_xor),
    "__invert__": ops.invert,
}

METHODS = {
    name: getattr(ops, name)
    for name in [
        "abs", "sign", "exp", "log", "log1p", "expm1", "sqrt", "square", "sin", "cos", "tanh",
        "sigmoid", "relu", "clip", "maximum", "minimum",
        "sum", "mean", "var", "std", "max", "min", "prod", "logsumexp", "norm", "argmax",
        "argmin", "any", "all",
        "reshape", "transpose", "swapaxes", "flatten", "squeeze", "expand_dims", "broadcast_to",
        "sum_to", "split", "pad", "repeat", "tile", "matmul", "dot", "softmax", "log_softmax",
        "astype", "isfinite", "isnan",
    ]
}
METHODS.update({
    "clone": _clone,
    "float": _as_float("float32"),
    "double": _as_float("float64"),
    "half": _as_float("float16"),
    "view": ops.reshape,
    "permute": ops.transpose,
    "unsqueeze": ops.expand_dims,
    "pow": ops.power,
})
# numpy.ndarray's methods among the NumPy-wide maths (issue 13); ndarray.sort and .put work
# in place, so Tensor has no such methods (use ag.sort / ag.put_along_axis)
for _name in ["round", "cumsum", "cumprod", "argsort", "take", "ravel", "diagonal", "trace"]:
    METHODS[_name] = getattr(ops, _name)

# in-place operators and methods (``+=``, ``x[i] = v``, ``zero_`` ...): one rule, in inplace.py
# PyTorch's dim(), numel(), t() (the keyword spellings are in ops/__init__.py)
METHODS.update(_pytorch_names.METHODS)
METHODS.update(dlpack.METHODS)  # __dlpack__, __dlpack_device__

for _name, _fn in {**OPERATORS, **METHODS, **inplace.METHODS}.items():
    setattr(Tensor, _name, _fn)

# setattr: the class declares T and mT as Tensor-valued attributes for type checkers
setattr(Tensor, "T", property(lambda self: ops.transpose(self),
                              doc="The tensor with its axes reversed."))
setattr(Tensor, "mT", property(lambda self: ops.swapaxes(self, -1, -2),
                               doc="The last two axes swapped (batched matrix transpose)."))
