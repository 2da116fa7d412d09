"""Shape manipulation: reshape, transpose, broadcast, concatenate, pad, repeat, tile, ...

Only a handful are ops of their own (reshape, transpose, broadcast_to, sum_to,
concatenate, pad, device moves); the rest are compositions of those and of
indexing, so their gradients come for free.
"""

from __future__ import annotations

import builtins
import operator

from .. import backend
from ..backend import array_module
from ..function import Function, ShapeError
from ..tensor import Tensor, as_operand

__all__ = ["reshape", "transpose", "swapaxes", "flatten", "squeeze", "expand_dims",
           "broadcast_to", "sum_to", "concatenate", "stack", "split", "pad", "repeat", "tile"]


class Reshape(Function):
    __slots__ = ("shape", "source_shape")

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.source_shape = x.shape
        return x.reshape(self.shape)

    def backward(self, grad, out):
        return (reshape(grad, self.source_shape),)


class Transpose(Function):
    __slots__ = ("axes",)

    def __init__(self, axes):
        self.axes = axes

    def forward(self, x):
        return x.transpose(self.axes)

    def backward(self, grad, out):
        axes = self.axes
        if axes is None:
            return (transpose(grad),)
        inverse = [0] * len(axes)
        for i, a in enumerate(axes):
            inverse[a] = i
        return (transpose(grad, tuple(inverse)),)


class BroadcastTo(Function):
    __slots__ = ("shape",)

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        return array_module(x).broadcast_to(x, self.shape)

    def backward(self, grad, out):
        return (grad,)  # the engine sums it back to the input's shape


class SumTo(Function):
    """Sum a broadcast array back to ``shape`` (the adjoint of ``broadcast_to``)."""

    __slots__ = ("shape", "source_shape")

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.source_shape = x.shape
        lead = x.ndim - len(self.shape)
        if lead < 0:
            raise ValueError(f"cannot sum shape {x.shape} to the longer shape {self.shape}")
        axes = tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(self.shape) if n == 1 and x.shape[lead + i] != 1
        )
        for i, n in enumerate(self.shape):
            if n != 1 and x.shape[lead + i] != n:
                raise ValueError(f"cannot sum shape {x.shape} to shape {self.shape}")
        result = x.sum(axis=axes, keepdims=True) if axes else x
        return result.reshape(self.shape) if lead else result

    def backward(self, grad, out):
        return (broadcast_to(grad, self.source_shape),)


class Concatenate(Function):
    __slots__ = ("axis", "sizes")

    def __init__(self, axis):
        self.axis = axis

    def forward(self, *xs):
        self.sizes = [x.shape[self.axis] for x in xs]
        return array_module(*xs).concatenate(xs, axis=self.axis)

    def backward(self, grad, out):
        grads, start = [], 0
        prefix = (builtins.slice(None),) * (self.axis % grad.ndim)
        for size in self.sizes:
            grads.append(grad[prefix + (builtins.slice(start, start + size),)])
            start += size
        return tuple(grads)


class Pad(Function):
    __slots__ = ("pad_width", "mode_kwargs")

    def __init__(self, pad_width, constant_values):
        self.pad_width = pad_width
        self.mode_kwargs = constant_values

    def forward(self, x):
        return array_module(x).pad(x, self.pad_width, mode="constant",
                                   constant_values=self.mode_kwargs)

    def backward(self, grad, out):
        index = tuple(builtins.slice(lo, grad.shape[i] - hi)
                      for i, (lo, hi) in enumerate(self.pad_width))
        return (grad[index],)


class ToDevice(Function):
    __slots__ = ("device", "source_device")
    name = "to"

    def __init__(self, device):
        self.device = device

    def forward(self, x):
        self.source_device = backend.device_of(x)
        return backend.to_device(x, self.device)

    def backward(self, grad, out):
        return (ToDevice(self.source_device)(grad),)


def _shape_arg(shape):
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = shape[0]
    return tuple(operator.index(n) for n in shape) if isinstance(shape, (tuple, list)) else (
        operator.index(shape),)


def reshape(x, *shape):
    """Give ``x`` a new shape with the same number of elements (one entry may be -1).

    Accepts ``reshape(x, (2, 3))`` and ``reshape(x, 2, 3)``.
    """
    shape = _shape_arg(shape)
    if x.shape == shape:
        return x
    return Reshape(shape)(x)


def transpose(x, *axes):
    """Permute the axes (reverse them when ``axes`` is omitted), as ``numpy.transpose``."""
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    axes = tuple(a % x.ndim for a in axes) if axes else None
    if axes is not None and sorted(axes) != list(range(x.ndim)):
        raise ShapeError(f"transpose: axes {axes} are not a permutation of the {x.ndim} axes "
                         f"of shape {x.shape}")
    return Transpose(axes)(x)


def swapaxes(x, axis1, axis2):
    """Interchange two axes."""
    axes = list(range(x.ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(x, tuple(axes))


def flatten(x, start_axis=0, end_axis=-1):
    """Merge axes ``start_axis..end_axis`` (all by default) into one."""
    if x.ndim == 0:
        return reshape(x, (1,))
    start, end = start_axis % x.ndim, end_axis % x.ndim
    merged = 1
    for n in x.shape[start:end + 1]:
        merged *= n
    return reshape(x, x.shape[:start] + (merged,) + x.shape[end + 1:])


def squeeze(x, axis=None):
    """Remove axes of length one (all of them, or the given ones)."""
    if axis is None:
        return reshape(x, tuple(n for n in x.shape if n != 1))
    axes = {a % x.ndim for a in ((axis,) if isinstance(axis, int) else axis)}
    for a in axes:
        if x.shape[a] != 1:
            raise ShapeError(f"squeeze: axis {a} of shape {x.shape} has length {x.shape[a]}, not 1")
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in axes))


def expand_dims(x, axis):
    """Insert length-one axes at the given position(s) of the result."""
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    ndim = x.ndim + len(axes)
    axes = {a % ndim for a in axes}
    shape, source = [], iter(x.shape)
    for i in range(ndim):
        shape.append(1 if i in axes else next(source))
    return reshape(x, tuple(shape))


def broadcast_to(x, shape):
    """Broadcast to ``shape`` (NumPy rules); the gradient is summed back."""
    shape = _shape_arg((shape,))
    if x.shape == shape:
        return x
    return BroadcastTo(shape)(x)


def sum_to(x, shape):
    """Sum ``x`` over broadcast axes so that it has ``shape`` (inverse of broadcasting)."""
    shape = tuple(shape)
    if x.shape == shape:
        return x
    return SumTo(shape)(x)


def concatenate(tensors, axis=0):
    """Join tensors along an existing axis (shapes must agree elsewhere)."""
    tensors = [as_operand(t) for t in tensors]
    if not tensors:
        raise ValueError("concatenate: need at least one tensor")
    return Concatenate(axis)(*tensors)


def stack(tensors, axis=0):
    """Join tensors of identical shape along a new axis."""
    tensors = [as_operand(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: need at least one tensor")
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise ShapeError(f"stack: all tensors must have the same shape, got {sorted(shapes)}")
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def split(x, indices_or_sections, axis=0):
    """Split into a list of views along ``axis``, as ``numpy.split``."""
    n = x.shape[axis]
    if isinstance(indices_or_sections, int):
        if indices_or_sections <= 0 or n % indices_or_sections:
            raise ShapeError(f"split: axis {axis} of shape {x.shape} (length {n}) does not divide "
                             f"into {indices_or_sections} equal parts; pass split points instead")
        step = n // indices_or_sections
        bounds = list(range(0, n + 1, step)) if step else [0] * (indices_or_sections + 1)
    else:
        bounds = [0] + [builtins.min(int(i), n) for i in indices_or_sections] + [n]
    prefix = (builtins.slice(None),) * (axis % x.ndim)
    return [x[prefix + (builtins.slice(lo, builtins.max(lo, hi)),)]
            for lo, hi in zip(bounds[:-1], bounds[1:])]


def pad(x, pad_width, constant_values=0):
    """Pad with a constant, as ``numpy.pad(..., mode="constant")``.

    ``pad_width`` is an int, a ``(before, after)`` pair, or one pair per axis.
    """
    import numpy  # noqa: PLC0415 - only to normalise the argument

    if x.ndim == 0:
        return x  # nothing to pad
    widths = numpy.broadcast_to(numpy.asarray(pad_width, dtype=int), (x.ndim, 2))
    if (widths < 0).any():
        raise ValueError(f"pad: negative pad width {pad_width}")
    return Pad(tuple((int(a), int(b)) for a, b in widths), constant_values)(x)


def repeat(x, repeats, axis=None):
    """Repeat each element ``repeats`` times along ``axis`` (flattened when ``None``)."""
    if axis is None:
        x, axis = flatten(x), 0
    axis %= x.ndim
    n = x.shape[axis]
    if isinstance(repeats, int):
        if repeats < 0:
            raise ValueError("repeat: repeats must be non-negative")
        expanded = broadcast_to(expand_dims(x, axis + 1),
                                x.shape[:axis + 1] + (repeats,) + x.shape[axis + 1:])
        return reshape(expanded, x.shape[:axis] + (n * repeats,) + x.shape[axis + 1:])
    xp = array_module(x.data)
    counts = xp.asarray(repeats.data if isinstance(repeats, Tensor) else repeats, dtype="int64")
    if counts.shape != (n,):
        raise ShapeError(f"repeat: repeats has shape {counts.shape}, expected ({n},) for axis "
                         f"{axis} of shape {x.shape}")
    index = xp.repeat(xp.arange(n), counts)
    return x[(builtins.slice(None),) * axis + (index,)]


def tile(x, reps):
    """Construct an array by repeating ``x`` the number of times given by ``reps``."""
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    ndim = builtins.max(x.ndim, len(reps))
    reps = (1,) * (ndim - len(reps)) + reps
    x = reshape(x, (1,) * (ndim - x.ndim) + x.shape)
    interleaved = []
    for r, n in zip(reps, x.shape):
        interleaved += [r, n]
    spread = reshape(x, tuple(v for n in x.shape for v in (1, n)))
    tiled = broadcast_to(spread, tuple(interleaved))
    return reshape(tiled, tuple(r * n for r, n in zip(reps, x.shape)))
