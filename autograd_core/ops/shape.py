"""Shape manipulation: reshape, transpose, broadcast, concatenate, pad, repeat, tile, ...

Only a handful are ops of their own (reshape, transpose, broadcast_to, sum_to,
concatenate, pad, device moves); the rest are compositions of those and of
indexing, so their gradients come for free.
"""

from __future__ import annotations

import builtins
import operator

from .. import backend
from .._arguments import integer
from ..axes import AxisError, normalize_axes, normalize_axis
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
        prefix = (builtins.slice(None),) * self.axis
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


def _shape_arg(shape, op):
    """``(2, 3)``, ``2, 3`` or ``6`` as a tuple of ints (-1 allowed: reshape checks it)."""
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = shape[0]
    dims = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    return tuple(integer(n, op, f"shape {dims!r}: each dimension") for n in dims)


def reshape(x, *shape):
    """Give ``x`` a new shape with the same number of elements (one entry may be -1).

    Accepts ``reshape(x, (2, 3))`` and ``reshape(x, 2, 3)``.
    """
    shape = _shape_arg(shape, "reshape")
    if x.shape == shape:
        return x
    return Reshape(shape)(x)


def transpose(x, *axes):
    """Permute the axes (reverse them when ``axes`` is omitted), as ``numpy.transpose``.

    Accepts ``transpose(x, (1, 0))`` and ``transpose(x, 1, 0)``; ``axes`` must be a
    permutation of all the axes (negative ones count from the end).
    """
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    elif not axes:
        axes = None
    if axes is None:
        return Transpose(None)(x)
    axes = normalize_axes(tuple(axes), x.ndim, "transpose")
    if len(axes) != x.ndim:
        raise ShapeError(f"transpose: axes {axes} are not a permutation of the {x.ndim} axes "
                         f"of shape {x.shape}")
    return Transpose(axes)(x)


def swapaxes(x, axis1, axis2):
    """Interchange two axes."""
    axis1 = normalize_axis(axis1, x.ndim, "swapaxes", "axis1")
    axis2 = normalize_axis(axis2, x.ndim, "swapaxes", "axis2")
    axes = list(range(x.ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(x, tuple(axes))


def flatten(x, start_axis=0, end_axis=-1):
    """Merge axes ``start_axis..end_axis`` (all by default) into one.

    As ``torch.flatten``: a 0-d tensor counts as 1-d (the result has shape ``(1,)``),
    and ``start_axis`` must not come after ``end_axis``.
    """
    ndim = builtins.max(x.ndim, 1)
    start = normalize_axis(start_axis, ndim, "flatten", "start_axis")
    end = normalize_axis(end_axis, ndim, "flatten", "end_axis")
    if start > end:
        raise AxisError(f"flatten: start_axis {start_axis} comes after end_axis {end_axis} "
                        f"for a tensor of shape {x.shape}", op="flatten", axis=start_axis,
                        ndim=x.ndim)
    if x.ndim == 0:
        return reshape(x, (1,))
    merged = 1
    for n in x.shape[start:end + 1]:
        merged *= n
    return reshape(x, x.shape[:start] + (merged,) + x.shape[end + 1:])


def squeeze(x, axis=None):
    """Remove axes of length one (all of them, or the given ones)."""
    if axis is None:
        return reshape(x, tuple(n for n in x.shape if n != 1))
    axes = normalize_axes(axis, x.ndim, "squeeze")
    for a in axes:
        if x.shape[a] != 1:
            raise ShapeError(f"squeeze: axis {a} of shape {x.shape} has length {x.shape[a]}, not 1")
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in axes))


def expand_dims(x, axis):
    """Insert length-one axes at the given position(s) of the result."""
    ndim = x.ndim + (len(axis) if isinstance(axis, (tuple, list)) else 1)
    axes = _result_axes(axis, x, ndim, "expand_dims")
    shape, source = [], iter(x.shape)
    for i in range(ndim):
        shape.append(1 if i in axes else next(source))
    return reshape(x, tuple(shape))


def _result_axes(axis, x, ndim, op):
    """Axes that index the result (of ``ndim`` dimensions), for ops that insert axes."""
    try:
        return normalize_axes(axis, ndim, op)
    except AxisError as err:
        if err.ndim is None:  # not an integer, or repeated
            raise
        raise AxisError(f"{op}: axis {err.axis} is out of bounds for the result's {ndim} "
                        f"dimensions (the tensor has {x.ndim} dimensions, shape {x.shape}; "
                        f"valid axes: [{-ndim}, {ndim - 1}])", op=op, axis=err.axis,
                        ndim=ndim) from None


def broadcast_to(x, shape):
    """Broadcast to ``shape`` (NumPy rules); the gradient is summed back."""
    shape = _shape_arg((shape,), "broadcast_to")
    if x.shape == shape:
        return x
    if len(shape) < x.ndim or any(n != m and n != 1 for n, m in zip(x.shape[::-1], shape[::-1])) \
            or any(n < 0 for n in shape):
        raise ShapeError(f"broadcast_to: cannot broadcast a tensor of shape {x.shape} to "
                         f"{shape}: each axis of the tensor, aligned from the last, must be 1 "
                         "or equal the target's")
    return BroadcastTo(shape)(x)


def sum_to(x, shape):
    """Sum ``x`` over broadcast axes so that it has ``shape`` (inverse of broadcasting)."""
    shape = tuple(shape)
    if x.shape == shape:
        return x
    return SumTo(shape)(x)


def concatenate(tensors, axis=0):
    """Join tensors along an existing axis (shapes must agree elsewhere), as
    ``numpy.concatenate``; ``axis=None`` flattens them first."""
    tensors = [as_operand(t) for t in tensors]
    if not tensors:
        raise ValueError("concatenate: need at least one tensor")
    if axis is None:
        tensors, axis = [flatten(t) for t in tensors], 0
    ndims = {t.ndim for t in tensors}
    if len(ndims) > 1 or 0 in ndims:
        shapes = ", ".join(str(t.shape) for t in tensors)
        raise ShapeError(f"concatenate: the tensors must all have the same number of dimensions, "
                         f"at least 1 (got shapes {shapes}); use stack to join along a new axis")
    return Concatenate(normalize_axis(axis, tensors[0].ndim, "concatenate"))(*tensors)


def stack(tensors, axis=0):
    """Join tensors of identical shape along a new axis (``axis`` indexes the result)."""
    tensors = [as_operand(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: need at least one tensor")
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise ShapeError(f"stack: all tensors must have the same shape, got {sorted(shapes)}")
    axis = _result_axes(axis, tensors[0], tensors[0].ndim + 1, "stack")[0]
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def split(x, indices_or_sections, axis=0):
    """Split into a list of views along ``axis``, as ``numpy.split``.

    ``indices_or_sections``: a number of equal parts, or a sequence of split points
    (each used as a slice bound, so negative ones count from the end).
    """
    axis = normalize_axis(axis, x.ndim, "split")
    n = x.shape[axis]
    try:
        sections = operator.index(indices_or_sections)
    except TypeError:
        sections = None
    if sections is not None:
        if sections <= 0 or n % sections:
            raise ShapeError(f"split: axis {axis} of shape {x.shape} (length {n}) does not divide "
                             f"into {sections} equal parts; pass split points instead")
        step = n // sections
        bounds = list(range(0, n + 1, step)) if step else [0] * (sections + 1)
    else:
        try:
            bounds = [0] + [operator.index(i) for i in indices_or_sections] + [n]
        except TypeError:
            raise TypeError(f"split: indices_or_sections must be an int or a sequence of ints, "
                            f"got {indices_or_sections!r}") from None
    prefix = (builtins.slice(None),) * axis
    return [x[prefix + (builtins.slice(lo, hi),)] for lo, hi in zip(bounds[:-1], bounds[1:])]


def pad(x, pad_width, constant_values=0):
    """Pad with a constant, as ``numpy.pad(..., mode="constant")``.

    ``pad_width`` is an int, a ``(before, after)`` pair, or one pair per axis.
    """
    import numpy  # noqa: PLC0415 - only to normalise the argument

    try:
        widths = numpy.asarray(pad_width)
    except ValueError:
        widths = numpy.asarray(0.5)  # ragged: refused below
    if x.ndim == 0 and widths.size == 0:
        return x  # zero pairs for zero axes
    if widths.dtype.kind not in "iu":
        raise TypeError(f"pad: pad_width must be integers, got {pad_width!r}")
    if (widths < 0).any():
        raise ValueError(f"pad: negative pad width in {pad_width!r} (shape {x.shape})")
    try:
        widths = numpy.broadcast_to(widths.astype(int), (x.ndim, 2))
    except ValueError:
        raise ShapeError(f"pad: pad_width {pad_width!r} does not fit a tensor of shape {x.shape}: "
                         f"give an int, a (before, after) pair or {x.ndim} pairs") from None
    if x.ndim == 0:
        return x  # nothing to pad
    return Pad(tuple((int(a), int(b)) for a, b in widths), constant_values)(x)


def repeat(x, repeats, axis=None):
    """Repeat each element ``repeats`` times along ``axis`` (flattened when ``None``)."""
    if axis is None:
        x, axis = flatten(x), 0
    else:
        axis = normalize_axis(axis, x.ndim, "repeat")
    n = x.shape[axis]
    if isinstance(repeats, Tensor):
        repeats = repeats.data
    if not isinstance(repeats, (list, tuple)) and getattr(repeats, "ndim", 0) == 0:
        try:
            repeats = operator.index(repeats)
        except TypeError:
            raise TypeError(f"repeat: repeats must be an int or a sequence of ints, got "
                            f"{repeats!r}") from None
        if repeats < 0:
            raise ValueError(f"repeat: repeats must be non-negative, got {repeats}")
        expanded = broadcast_to(expand_dims(x, axis + 1),
                                x.shape[:axis + 1] + (repeats,) + x.shape[axis + 1:])
        return reshape(expanded, x.shape[:axis] + (n * repeats,) + x.shape[axis + 1:])
    xp = array_module(x.data)
    counts = xp.asarray(repeats)
    if counts.dtype.kind not in "iu" and counts.size:
        raise TypeError(f"repeat: repeats must be integers, got dtype {counts.dtype}")
    counts = counts.astype("int64")
    if counts.shape == (1,):
        counts = xp.broadcast_to(counts, (n,))  # one count for every element, as NumPy
    if (counts < 0).any():
        raise ValueError(f"repeat: repeats must be non-negative, got {repeats!r}")
    if counts.shape != (n,):
        raise ShapeError(f"repeat: repeats has shape {counts.shape}, expected ({n},) for axis "
                         f"{axis} of shape {x.shape}")
    index = xp.repeat(xp.arange(n), counts)
    return x[(builtins.slice(None),) * axis + (index,)]


def tile(x, reps):
    """Construct an array by repeating ``x`` the number of times given by ``reps``."""
    given = reps if isinstance(reps, (tuple, list)) else (reps,)
    reps = tuple(integer(r, "tile", f"reps {reps!r}: each repeat count") for r in given)
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: reps {reps} must be non-negative")
    ndim = builtins.max(x.ndim, len(reps))
    reps = (1,) * (ndim - len(reps)) + reps
    x = reshape(x, (1,) * (ndim - x.ndim) + x.shape)
    interleaved = []
    for r, n in zip(reps, x.shape):
        interleaved += [r, n]
    spread = reshape(x, tuple(v for n in x.shape for v in (1, n)))
    tiled = broadcast_to(spread, tuple(interleaved))
    return reshape(tiled, tuple(r * n for r, n in zip(reps, x.shape)))
