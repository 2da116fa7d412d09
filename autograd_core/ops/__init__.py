"""Every differentiable op, grouped as in NumPy's documentation."""

from .arithmetic import (add, astype, divide, maximum, minimum, multiply, negative, power,
                         subtract, where)
from .comparison import (all, any, bitwise_and, bitwise_or, bitwise_xor, equal, greater,
                         greater_equal, invert, isfinite, isnan, less, less_equal, logical_and,
                         logical_not, logical_or, logical_xor, not_equal)
from .elementwise import (abs, clip, cos, exp, expm1, log, log1p, relu, sigmoid, sign, sin,
                          sqrt, square, tanh)
from .indexing import getitem, index_add
from .linalg import linear, matmul
from .reduction import (argmax, argmin, logsumexp, max, mean, min, norm, prod, std, sum,
                        var)
from .shape import (broadcast_to, concatenate, expand_dims, flatten, pad, repeat, reshape,
                    split, squeeze, stack, sum_to, swapaxes, tile, transpose)
from .softmax import log_softmax, softmax, softmax_cross_entropy
from .exponents import cbrt, exp2, log2, log10, logaddexp, logaddexp2, reciprocal
from .rounding import ceil, copysign, floor, fmod, mod, remainder, rint, round, trunc
from .joining import array_split, column_stack, dstack, hstack, meshgrid, vstack
from .einsum import einsum
from .products import cross, dot, inner, kron, outer, tensordot, vdot
from .matrices import diag, diagonal, trace, tril, triu
from .rearranging import (atleast_1d, atleast_2d, atleast_3d, broadcast_arrays, flip, moveaxis,
                          ravel, roll, rot90)
from .scans import cumprod, cumsum, diff
from .sorting import argsort, put_along_axis, scatter_add, sort, take, take_along_axis
from .statistics import average, median, nanmean, nansum, ptp
from .trigonometric import (arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, cosh,
                            hypot, sinh, tan)

__all__ = [
    "add", "subtract", "multiply", "divide", "power", "negative", "maximum", "minimum",
    "where", "astype",
    "abs", "sign", "exp", "log", "log1p", "expm1", "sqrt", "square", "sin", "cos", "tanh",
    "sigmoid", "relu", "clip",
    "sum", "mean", "var", "std", "max", "min", "prod", "logsumexp", "norm", "argmax", "argmin",
    "reshape", "transpose", "swapaxes", "flatten", "squeeze", "expand_dims", "broadcast_to",
    "sum_to", "concatenate", "stack", "split", "pad", "repeat", "tile",
    "getitem", "index_add", "matmul", "dot", "linear", "softmax", "log_softmax",
    "softmax_cross_entropy",
    "less", "less_equal", "greater", "greater_equal", "equal", "not_equal", "logical_and",
    "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor",
    "invert", "isfinite", "isnan", "any", "all",
    # NumPy-wide maths (issue 13)
    "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh", "arccosh", "arctanh",
    "arctan2", "hypot", "exp2", "log2", "log10", "logaddexp", "logaddexp2", "reciprocal",
    "cbrt", "floor", "ceil", "round", "trunc", "rint", "fmod", "remainder", "mod", "copysign",
    "cumsum", "cumprod", "diff", "average", "median", "nansum", "nanmean", "ptp",
    "sort", "argsort", "take", "take_along_axis", "put_along_axis", "scatter_add",
    "flip", "roll", "rot90", "moveaxis", "ravel", "diagonal", "diag", "trace", "triu", "tril",
    "vstack", "hstack", "dstack", "column_stack", "array_split", "broadcast_arrays", "meshgrid",
    "atleast_1d", "atleast_2d", "atleast_3d",
    "einsum", "inner", "outer", "vdot", "tensordot", "kron", "cross",
]

# PyTorch's keyword spellings (dim=, keepdim= ...), accepted or refused for every op by one
# rule (autograd_core/_pytorch_names.py); ag.cat is PyTorch's name for concatenate
from .._pytorch_names import accept_pytorch_keywords as _accept_pytorch  # noqa: E402

for _name in __all__:
    globals()[_name] = _accept_pytorch(globals()[_name], _name)
cat = concatenate
__all__.append("cat")
