"""Products: ``dot inner outer vdot tensordot kron cross``, with NumPy's rules.

``tensordot`` (and through it ``dot``/``inner`` for N-d operands) is an ``einsum``, so its
gradients and second derivatives are ``einsum``s too; 1-d/2-d ``dot`` is ``matmul``.
"""

from __future__ import annotations

import operator
import string

from .._arguments import integer
from ..axes import normalize_axes, normalize_axis
from ..function import ShapeError
from ._operands import operand
from .arithmetic import multiply
from .einsum import einsum
from .linalg import matmul
from .reduction import sum as _sum
from .shape import reshape, stack
from .rearranging import moveaxis

__all__ = ["dot", "inner", "outer", "vdot", "tensordot", "kron", "cross"]


def _operands(a, b):
    return operand(a), operand(b)


def tensordot(a, b, axes=2):
    """Sum products over the axes ``axes`` of ``a`` and ``b``, as ``numpy.tensordot``.

    ``axes`` is an int ``N`` (the last ``N`` axes of ``a`` with the first ``N`` of ``b``)
    or a pair of axis sequences.  Shape: ``a``'s remaining axes, then ``b``'s.
    """
    a, b = _operands(a, b)
    if isinstance(axes, (tuple, list)):
        if len(axes) != 2:
            raise ShapeError(f"tensordot: axes must be an int or a pair of axis lists, got "
                             f"{axes!r}")
        axes_a = normalize_axes(axes[0], a.ndim, "tensordot", what="axes[0]")
        axes_b = normalize_axes(axes[1], b.ndim, "tensordot", what="axes[1]")
    else:
        n = integer(axes, "tensordot", "axes (unless a pair of axis lists)")
        if n < 0:
            raise ShapeError(f"tensordot: axes={n} must be non-negative (the number of "
                             "trailing axes of a summed with leading axes of b)")
        if n > a.ndim or n > b.ndim:
            raise ShapeError(f"tensordot: axes={n} needs at least {n} dimensions in both "
                             f"operands, got shapes {a.shape} and {b.shape}")
        axes_a, axes_b = tuple(range(a.ndim - n, a.ndim)), tuple(range(n))
    if len(axes_a) != len(axes_b):
        raise ShapeError(f"tensordot: {len(axes_a)} axes of a but {len(axes_b)} of b")
    for i, j in zip(axes_a, axes_b):
        if a.shape[i] != b.shape[j]:
            raise ShapeError(f"tensordot: axis {i} of a (shape {a.shape}) has length "
                             f"{a.shape[i]} but axis {j} of b (shape {b.shape}) has "
                             f"{b.shape[j]}")
    letters = iter(string.ascii_letters)
    term_a = [next(letters) for _ in range(a.ndim)]
    term_b = [next(letters) for _ in range(b.ndim)]
    for i, j in zip(axes_a, axes_b):
        term_b[j] = term_a[i]
    out = [c for i, c in enumerate(term_a) if i not in axes_a]
    out += [c for j, c in enumerate(term_b) if j not in axes_b]
    return einsum(f"{''.join(term_a)},{''.join(term_b)}->{''.join(out)}", a, b)


def dot(a, b):
    """``numpy.dot``: a product for 0-d operands, ``matmul`` for 1-d and 2-d ones, and for
    N-d a sum over the last axis of ``a`` and the second-to-last of ``b``
    (shape ``a.shape[:-1] + b.shape[:-2] + b.shape[-1:]``)."""
    a, b = _operands(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    if a.ndim <= 2 and b.ndim <= 2:
        return matmul(a, b)
    return tensordot(a, b, ((-1,), (-2 if b.ndim > 1 else -1,)))


def inner(a, b):
    """Sum over the last axes of ``a`` and ``b`` (a product for 0-d operands).

    Shape: ``a.shape[:-1] + b.shape[:-1]``.
    """
    a, b = _operands(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    return tensordot(a, b, ((-1,), (-1,)))


def outer(a, b):
    """Outer product of the flattened inputs: shape ``(a.size, b.size)``."""
    a, b = _operands(a, b)
    return einsum("i,j->ij", reshape(a, (-1,)), reshape(b, (-1,)))


def vdot(a, b):
    """Dot product of the flattened inputs (equal sizes), a 0-d tensor (real inputs)."""
    a, b = _operands(a, b)
    if a.size != b.size:
        raise ShapeError(f"vdot: operands have {a.size} and {b.size} elements (shapes "
                         f"{a.shape} and {b.shape}); they must have the same size")
    return _sum(reshape(a, (-1,)) * reshape(b, (-1,)))


def kron(a, b):
    """Kronecker product: blocks ``a[i, j] * b``; the shorter shape is padded with 1s in
    front.  Shape: ``a.shape * b.shape`` elementwise."""
    a, b = _operands(a, b)
    ndim = max(a.ndim, b.ndim)
    sa = (1,) * (ndim - a.ndim) + a.shape
    sb = (1,) * (ndim - b.ndim) + b.shape
    spread_a = reshape(a, tuple(v for n in sa for v in (n, 1)))
    spread_b = reshape(b, tuple(v for n in sb for v in (1, n)))
    return reshape(spread_a * spread_b, tuple(m * n for m, n in zip(sa, sb)))


def cross(a, b, axis=-1):
    """Cross product of 3-vectors along ``axis`` of ``a`` and ``b`` (which broadcast),
    as ``numpy.cross(a, b, axis=axis)``; the result has the vectors along ``axis`` too."""
    a, b = _operands(a, b)
    for name, x in (("a", a), ("b", b)):
        if x.ndim == 0:
            raise ShapeError(f"cross: {name} is 0-d; give 3-vectors along axis {axis}")
        k = normalize_axis(axis, x.ndim, "cross")
        if x.shape[k] != 3:
            raise ShapeError(f"cross: axis {axis} of {name} (shape {x.shape}) has length "
                             f"{x.shape[k]}; only 3-vectors are supported")
    a = moveaxis(a, normalize_axis(axis, a.ndim, "cross"), -1)
    b = moveaxis(b, normalize_axis(axis, b.ndim, "cross"), -1)
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    c = stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return moveaxis(c, -1, normalize_axis(axis, c.ndim, "cross"))
