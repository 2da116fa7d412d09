"""Cumulative sums and products, and differences: ``cumsum cumprod diff``.

``axis=None`` flattens first, as NumPy.  ``cumsum``'s gradient is the reversed
cumulative sum of the incoming gradient.  ``cumprod``'s gradient is exact also when the
input holds zeros: without zeros it is ``revcumsum(grad * out) / x``; with a zero, each
element's gradient is computed as the cumulative product of the others (an
``(..., n, n)`` expansion, differentiable again).
"""

from __future__ import annotations

from .._arguments import count
from ..axes import normalize_axis
from ..function import Function
from ._operands import data_of, operand, xp_of
from .arithmetic import where
from .shape import broadcast_to, reshape, swapaxes

__all__ = ["cumsum", "cumprod", "diff"]


def _reversed(axis):
    return (slice(None),) * axis + (slice(None, None, -1),)


class CumSum(Function):
    __slots__ = ("axis", "source_shape")

    def __init__(self, axis):
        self.axis = axis  # None: flattened

    def forward(self, x):
        self.source_shape = x.shape
        return xp_of(x).cumsum(x, axis=self.axis)

    def backward(self, grad, out):
        axis = 0 if self.axis is None else self.axis
        rev = _reversed(axis)
        return (reshape(cumsum(grad[rev], axis)[rev], self.source_shape),)


class CumProd(Function):
    __slots__ = ("axis", "source_shape")
    save_inputs = True
    save_output = True

    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        self.source_shape = x.shape
        return xp_of(x).cumprod(x, axis=self.axis)

    def backward(self, grad, out):
        x = self.inputs[0]
        if self.axis is None:
            x = reshape(x, (-1,))
        axis = 0 if self.axis is None else self.axis
        if not bool((data_of(x) == 0).any()):
            rev = _reversed(axis)
            g = cumsum((grad * out)[rev], axis)[rev] / x
        else:
            g = swapaxes(_cumprod_grad_with_zeros(swapaxes(x, axis, -1),
                                                  swapaxes(grad, axis, -1)), axis, -1)
        return (reshape(g, self.source_shape),)


def _cumprod_grad_with_zeros(x, grad):
    """Gradient of ``cumprod`` along the last axis without dividing by ``x``.

    ``others[..., k, i] = prod_{j <= i, j != k} x[..., j]`` (``x[k]`` replaced by 1), so
    ``d out_i / d x_k = others[k, i]`` for ``i >= k`` and 0 before.
    """
    n = x.shape[-1]
    xp = xp_of(x)
    eye = xp.eye(n, dtype=bool)
    after = xp.tri(n, n, 0, dtype=bool).T  # [k, i]: i >= k
    lead = x.shape[:-1]
    expanded = broadcast_to(reshape(x, lead + (1, n)), lead + (n, n))
    others = cumprod(where(eye, 1.0, expanded), axis=-1)
    weights = where(after, others, 0.0)
    return (weights * reshape(grad, lead + (1, n))).sum(axis=-1)


def cumsum(x, axis=None):
    """Cumulative sum along ``axis`` (of the flattened tensor when ``None``).

    Shapes: ``x.shape`` for an int axis, ``(x.size,)`` for ``None``.
    """
    x = operand(x)
    if axis is not None:
        axis = normalize_axis(axis, x.ndim, "cumsum")
    return CumSum(axis)(x)


def cumprod(x, axis=None):
    """Cumulative product along ``axis`` (flattened when ``None``); the gradient is exact
    when ``x`` holds zeros."""
    x = operand(x)
    if axis is not None:
        axis = normalize_axis(axis, x.ndim, "cumprod")
    return CumProd(axis)(x)


def diff(x, n=1, axis=-1):
    """``n``-th discrete difference along ``axis``: ``x[1:] - x[:-1]``, ``n`` times.

    Shape: ``x.shape`` with ``axis`` shortened by ``n`` (to 0 at least).
    """
    x = operand(x)
    n = count(n, "diff", "order n")
    if x.ndim == 0:
        raise ValueError("diff: needs at least 1-d input, got a 0-d tensor")
    axis = normalize_axis(axis, x.ndim, "diff")
    head = (slice(None),) * axis
    for _ in range(n):
        x = x[head + (slice(1, None),)] - x[head + (slice(None, -1),)]
    return x
