"""Reductions over ``axis`` (int, tuple or None) with ``keepdims``.

``sum``, ``mean``, ``max``, ``min``, ``prod``, ``logsumexp`` and ``norm`` are ops;
``var`` and ``std`` are compositions.  ``argmax``/``argmin`` return int64 tensors
without gradient.  Ties in ``max``/``min`` share the gradient equally among
the tied elements (so the gradient sums to the incoming one).
"""

from __future__ import annotations

import builtins
import math
import warnings

from ..axes import normalize_axis, normalize_reduction_axes
from ..backend import array_module
from ..function import Function, ShapeError
from ..tensor import Tensor
from .arithmetic import where
from .elementwise import abs as _abs
from .elementwise import exp, sqrt
from .shape import broadcast_to, reshape

__all__ = ["sum", "mean", "var", "std", "max", "min", "prod", "logsumexp", "norm", "argmax",
           "argmin"]


def _keepdims_shape(shape, axes):
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class _Reduction(Function):
    """Base for ops reducing over ``axes``; stores what backward needs to re-expand."""

    __slots__ = ("axes", "keepdims", "source_shape")
    refuses_empty = False  # True for reductions without an identity (max, min)

    def __init__(self, axes, keepdims):
        self.axes, self.keepdims = axes, keepdims

    def expand(self, t):
        """Reshape a reduced tensor so it broadcasts against the input."""
        if self.keepdims:
            return t
        return reshape(t, _keepdims_shape(self.source_shape, self.axes))


class Sum(_Reduction):
    def forward(self, x):
        self.source_shape = x.shape
        return x.sum(axis=self.axes, keepdims=self.keepdims)

    def backward(self, grad, out):
        return (broadcast_to(self.expand(grad), self.source_shape),)


class Mean(_Reduction):
    __slots__ = ("count",)

    def forward(self, x):
        self.source_shape = x.shape
        axes = range(x.ndim) if self.axes is None else self.axes
        self.count = math.prod(x.shape[a] for a in axes)
        if self.count == 0:
            xp = array_module(x)
            return xp.full(x.sum(axis=self.axes, keepdims=self.keepdims).shape, xp.nan,
                           dtype=x.dtype if x.dtype.kind == "f" else "float64")
        return x.mean(axis=self.axes, keepdims=self.keepdims)

    def backward(self, grad, out):
        return (broadcast_to(self.expand(grad) / builtins.max(self.count, 1), self.source_shape),)


class _Extreme(_Reduction):
    """max / min: the gradient goes to the extreme elements, split equally among ties."""

    save_inputs = True
    save_output = True
    refuses_empty = True

    def backward(self, grad, out):
        x = self.inputs[0]
        hit = x == self.expand(out)
        share = hit.astype(x.dtype)
        count = share.sum(axis=self.axes, keepdims=True)
        return (broadcast_to(self.expand(grad), self.source_shape) * share / count,)


class Max(_Extreme):
    def forward(self, x):
        self.source_shape = x.shape
        return _extreme(x, "max", self.axes, self.keepdims)


class Min(_Extreme):
    def forward(self, x):
        self.source_shape = x.shape
        return _extreme(x, "min", self.axes, self.keepdims)


def _extreme(x, which, axes, keepdims):
    return getattr(x, which)(axis=axes, keepdims=keepdims)


def _refuse_empty_reduction(op, shape, axes):
    """Raise when a reduced axis has length 0 (max, min, argmax... have no identity);
    other zero-size tensors reduce to an empty result, as in NumPy."""
    reduced = range(len(shape)) if axes is None else axes
    empty = [a for a in reduced if shape[a] == 0]
    if empty:
        raise ShapeError(f"{op}: cannot reduce the zero-size tensor of shape {shape} over its "
                         f"axis {empty[0]} of length 0 (there is no identity); reduce over "
                         "non-empty axes only")


class Prod(_Reduction):
    """Product over ``axes``.  The gradient is the product of the *other* elements:
    ``out / x`` when no element is zero, else computed without division, so zeros
    in the input are handled exactly."""

    save_inputs = True
    save_output = True

    def forward(self, x):
        self.source_shape = x.shape
        return x.prod(axis=self.axes, keepdims=self.keepdims)

    def backward(self, grad, out):
        x = self.inputs[0]
        grad = broadcast_to(self.expand(grad), self.source_shape)
        # out / x is exact unless a factor is zero or the product underflowed
        if not bool((out == 0).any()):
            return (grad * (self.expand(out) / x),)
        return (grad * _product_of_others(x, self.axes),)


def _product_of_others(x, axes):
    """For each element, the product of the other elements in its reduction group.

    The reduced axes are moved last and flattened to length ``n``; the result is
    ``prod(where(eye, 1, x))`` over an ``(…, n, n)`` expansion, differentiable again.
    """
    ndim = x.ndim
    axes = tuple(range(ndim)) if axes is None else axes
    kept = [a for a in range(ndim) if a not in axes]
    order = kept + list(axes)
    moved = x.transpose(tuple(order)) if order != list(range(ndim)) else x
    kept_shape = tuple(x.shape[a] for a in kept)
    n = math.prod(x.shape[a] for a in axes)
    flat = reshape(moved, kept_shape + (n,))
    xp = array_module(x.data if isinstance(x, Tensor) else x)
    eye = xp.eye(n, dtype=bool)
    expanded = broadcast_to(reshape(flat, kept_shape + (1, n)), kept_shape + (n, n))
    others = where(eye, 1.0, expanded).prod(axis=-1)
    unflat = reshape(others, tuple(moved.shape))
    inverse = [0] * ndim
    for i, a in enumerate(order):
        inverse[a] = i
    return unflat.transpose(tuple(inverse)) if order != list(range(ndim)) else unflat


class LogSumExp(_Reduction):
    """``log(sum(exp(x)))`` computed by shifting by the max: finite for logits of ±1e4."""

    save_inputs = True
    save_output = True

    def forward(self, x):
        self.source_shape = x.shape
        xp = array_module(x)
        if x.size == 0:
            return xp.log(xp.exp(x).sum(axis=self.axes, keepdims=self.keepdims))
        shift = x.max(axis=self.axes, keepdims=True)
        shift = xp.where(xp.isfinite(shift), shift, 0)
        out = xp.log(xp.exp(x - shift).sum(axis=self.axes, keepdims=True)) + shift
        return out if self.keepdims else out.reshape(
            tuple(n for i, n in enumerate(x.shape) if self.axes is not None and i not in self.axes))

    def backward(self, grad, out):
        x = self.inputs[0]
        return (self.expand(grad) * exp(x - self.expand(out)),)


class Norm2(_Reduction):
    """Euclidean (Frobenius) norm over ``axes``; the gradient at the zero vector is 0."""

    save_inputs = True
    save_output = True

    def forward(self, x):
        self.source_shape = x.shape
        xp = array_module(x)
        return xp.sqrt((x * x).sum(axis=self.axes, keepdims=self.keepdims))

    def backward(self, grad, out):
        x = self.inputs[0]
        out = self.expand(out)
        safe = where(out == 0, 1.0, out)
        return (self.expand(grad) * where(out == 0, 0.0, x / safe),)


def _reduce(cls, x, axis, keepdims, name):
    if not isinstance(x, Tensor):
        x = Tensor(x)
    axes = normalize_reduction_axes(axis, x.ndim, name)
    if cls.refuses_empty:
        _refuse_empty_reduction(name, x.shape, axes)
    return cls(axes, keepdims)(x)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Sum over ``axis`` (int, tuple or None for all). Shape: input shape minus reduced axes."""
    return _reduce(Sum, x, axis, keepdims, "sum")


def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over ``axis``; NaN for an empty reduction, as NumPy."""
    return _reduce(Mean, x, axis, keepdims, "mean")


def var(x, axis=None, ddof=0, keepdims=False):
    """Variance over ``axis`` with ``ddof`` delta degrees of freedom (``ddof=1``: unbiased).

    As NumPy: ``sum((x - mean)**2) / max(n - ddof, 0)``, so ``ddof >= n`` gives inf (NaN
    for a constant slice) with a ``RuntimeWarning``.
    """
    return _var(x, axis, ddof, keepdims, "var")


def _var(x, axis, ddof, keepdims, name):
    axes = normalize_reduction_axes(axis, x.ndim, name)
    count = math.prod(x.shape[a] for a in (range(x.ndim) if axes is None else axes))
    centred = x - mean(x, axis=axes, keepdims=True)
    total = sum(centred * centred, axis=axes, keepdims=keepdims)
    if count - ddof <= 0:
        # NumPy's rule: divide by max(n - ddof, 0), so inf (or NaN for a zero sum), and warn
        warnings.warn(f"{name}: degrees of freedom <= 0 for slice (ddof={ddof} for {count} "
                      f"element{'s' if count != 1 else ''} per slice): the result is inf or NaN",
                      RuntimeWarning, stacklevel=3)
        return total / 0.0
    return total / (count - ddof)


def std(x, axis=None, ddof=0, keepdims=False):
    """Standard deviation: ``sqrt(var(x, axis, ddof))``."""
    return sqrt(_var(x, axis, ddof, keepdims, "std"))


def max(x, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Maximum over ``axis``; tied maxima share the gradient equally.

    Raises when a reduced axis has length 0; other zero-size inputs give an empty result.
    """
    return _reduce(Max, x, axis, keepdims, "max")


def min(x, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Minimum over ``axis``; tied minima share the gradient equally.

    Raises when a reduced axis has length 0; other zero-size inputs give an empty result.
    """
    return _reduce(Min, x, axis, keepdims, "min")


def prod(x, axis=None, keepdims=False):
    """Product over ``axis``; the gradient is exact even when elements are zero."""
    return _reduce(Prod, x, axis, keepdims, "prod")


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x), axis))``, stable for large magnitudes (shifted by the max)."""
    return _reduce(LogSumExp, x, axis, keepdims, "logsumexp")


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 - NumPy's name
    """Vector norm over ``axis`` (all elements when ``None``, i.e. Frobenius for matrices).

    ``ord``: ``None`` or 2 (Euclidean), 1, ``inf``, ``-inf``, or any other ``p > 0``
    (``sum(|x|**p) ** (1/p)``).  The gradient of the 2-norm at zero is taken as 0.
    """
    if ord is None or ord == 2:
        return _reduce(Norm2, x, axis, keepdims, "norm")
    axis = normalize_reduction_axes(axis, x.ndim, "norm")
    if ord == 1:
        return sum(_abs(x), axis=axis, keepdims=keepdims)
    if ord == math.inf:
        return max(_abs(x), axis=axis, keepdims=keepdims)
    if ord == -math.inf:
        return min(_abs(x), axis=axis, keepdims=keepdims)
    if ord <= 0:
        raise ValueError(f"norm: ord={ord} is not supported; use a positive p, inf or -inf")
    return sum(_abs(x) ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def argmax(x, axis=None, keepdims=False):
    """Indices of the maxima (int64 tensor, no gradient); first occurrence wins ties."""
    return _arg(x, "argmax", axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    """Indices of the minima (int64 tensor, no gradient); first occurrence wins ties."""
    return _arg(x, "argmin", axis, keepdims)


def _arg(x, which, axis, keepdims):
    data = x.data if isinstance(x, Tensor) else array_module(x).asarray(x)
    if axis is not None:
        axis = normalize_axis(axis, data.ndim, which)
    _refuse_empty_reduction(which, data.shape, None if axis is None else (axis,))
    result = getattr(data, which)(axis=axis, keepdims=keepdims)
    return Tensor._new(array_module(data).asarray(result, dtype="int64"))
