"""The table of every axis-taking op, compared with NumPy by ``test_axis_ops.py``.

A row names the op, the engine call, the NumPy reference and how to draw the op's
extra arguments for an input shape.  The drawn arguments include invalid ones (axes
out of range, repeated, too many, widths that do not fit): the test checks that the
engine raises exactly when NumPy raises, that its error names the op, and otherwise
that shapes and values agree.  To cover a new op, append a row.

Where this package is deliberately stricter than NumPy, the reference says so with
:func:`strict_0d` (no int axis on a 0-d tensor: NumPy accepts ``axis=0`` there for
``max``/``prod``/``argmax``/``sort`` but not for ``mean``/``var``), ``_diff`` (the axis
is checked for ``n=0`` too, and 0-d input refused), ``_cross`` (3-vectors only: NumPy 2
deprecates 2-vectors); and where NumPy fails by accident, ``_roll`` (``axis=()`` rolls
nothing, where NumPy raises an unpacking error), ``_median`` (a 0-size input) and unweighted ``average`` (``numpy.mean``'s result where ``numpy.average`` divides
by a zero size).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import nn

normalize_axis_index = np.lib.array_utils.normalize_axis_index


@dataclass(frozen=True)
class AxisOp:
    """One row: ``engine(x, **kw)`` against ``numpy(a, **kw)`` with ``kw`` drawn by
    ``args(shape)``.  Results may be one array or a list of arrays.  ``op`` is the name
    the engine's error message must contain (default: ``name``)."""

    name: str
    engine: Callable
    numpy: Callable
    args: Callable[[tuple], st.SearchStrategy]
    op: str | None = None
    rtol: float = 1e-12


# -- argument strategies ------------------------------------------------------------

def axis(ndim, extra=2):
    """An int axis, from ``extra`` out of range on each side to in range."""
    return st.integers(-ndim - extra, ndim - 1 + extra)


def axes(ndim, allow_none=True):
    """``None``, an int axis or a tuple of them (possibly repeated or out of range)."""
    options = [axis(ndim), st.lists(axis(ndim, 1), max_size=ndim + 1).map(tuple)]
    if allow_none:
        options.insert(0, st.none())
    return st.one_of(*options)


def reduce_args(shape):
    return st.fixed_dictionaries({"axis": axes(len(shape)), "keepdims": st.booleans()})


def one_axis_or_none(ndim, allow_none=True):
    return st.one_of(st.none(), axis(ndim)) if allow_none else axis(ndim)


# -- NumPy references -----------------------------------------------------------------

def strict_0d(fn):
    """NumPy's ``fn``, refusing an int (or list) axis on a 0-d array like this package does."""

    @functools.wraps(fn)
    def reference(a, *args, axis=None, **kwargs):
        if a.ndim == 0 and axis is not None and axis != ():
            raise np.exceptions.AxisError("0-d array has no axis")
        return fn(a, *args, axis=axis, **kwargs)

    return reference


def _logsumexp(a, axis, keepdims):
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(a), axis=axis, keepdims=keepdims))


def _norm(a, axis, keepdims):
    return np.sqrt(np.sum(a * a, axis=axis, keepdims=keepdims))


def _norm1(a, axis, keepdims):
    return np.sum(np.abs(a), axis=axis, keepdims=keepdims)


def _softmax(a, axis):
    np.sum(a, axis=axis)  # NumPy's validation of axis
    if a.size == 0:
        return a.copy()
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(a, axis):
    np.sum(a, axis=axis)
    if a.size == 0:
        return a.copy()
    shifted = a - a.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _flatten(a, start_axis, end_axis):
    """``torch.flatten``'s rule in NumPy terms (a 0-d array counts as 1-d)."""
    ndim = max(a.ndim, 1)
    start = normalize_axis_index(start_axis, ndim)
    end = normalize_axis_index(end_axis, ndim)
    if start > end:
        raise ValueError("start after end")
    a = a.reshape(-1) if a.ndim == 0 else a
    return a.reshape(a.shape[:start] + (-1,) + a.shape[end + 1:]) if a.size else \
        a.reshape(a.shape[:start] + (int(np.prod(a.shape[start:end + 1])),) + a.shape[end + 1:])


def _transpose(a, axes):
    return np.transpose(a, axes)


def _squeeze(a, axis):
    if a.ndim == 0 and axis is not None and axis != ():
        raise np.exceptions.AxisError("0-d array has no axis")
    return np.squeeze(a, axis)


def _pad(a, pad_width):
    """``numpy.pad``, also taking zero pairs for a 0-d array (which NumPy refuses)."""
    if a.ndim == 0 and np.size(pad_width) == 0:
        return a.copy()
    return np.pad(a, pad_width)


def _split(a, sections, axis):
    if isinstance(sections, int) and sections <= 0:
        raise ValueError("number of sections must be larger than 0")
    return np.split(a, sections, axis=axis)


# -- argument drawers for the shape ops -----------------------------------------------

def transpose_args(shape):
    ndim = len(shape)
    return st.fixed_dictionaries({"axes": st.one_of(
        st.none(),
        st.permutations(range(ndim)).map(tuple),
        st.permutations(range(-ndim, 0)).map(tuple),
        st.lists(axis(ndim, 1), min_size=max(ndim - 1, 0), max_size=ndim + 1).map(tuple))})


def split_args(shape):
    ndim = len(shape)
    side = shape[0] if shape else 0
    return st.fixed_dictionaries({
        "sections": st.one_of(st.integers(0, 4),
                              st.lists(st.integers(-side - 1, side + 1), max_size=3)),
        "axis": axis(ndim)})


def pad_args(shape):
    ndim = len(shape)
    width = st.integers(-1, 2)
    return st.fixed_dictionaries({"pad_width": st.one_of(
        width,
        st.tuples(width, width),
        st.lists(st.tuples(width, width), min_size=max(ndim - 1, 0), max_size=ndim + 1)
        .map(tuple))})


def repeat_args(shape):
    ndim = len(shape)
    return st.fixed_dictionaries({
        "repeats": st.one_of(st.integers(0, 3), st.lists(st.integers(0, 2), min_size=1,
                                                        max_size=4)),
        "axis": one_axis_or_none(ndim)})


def _kw(**strategies):
    return st.fixed_dictionaries(strategies)


# -- the NumPy-wide maths ops (scans, statistics, sorting, rearranging, products, linalg) --

INF = float("inf")


def _axis_list(ndim, size):
    return st.lists(axis(ndim, 1), min_size=size, max_size=size).map(tuple)


def _pair_or_int(ndim):
    return st.one_of(axis(ndim), st.lists(axis(ndim, 1), max_size=3).map(tuple))


def _index_args(shape):
    return _kw(axis=axis(len(shape)), fill=st.sampled_from([0, -1]))


def _along(fn):
    def call(x, axis, fill):
        return fn(x, np.full(np.shape(x), fill, dtype=np.int64), axis)
    return call


def _np_put_along(a, indices, axis):
    out = a.copy()
    np.put_along_axis(out, indices, 5.0, axis)
    return out


def _other(a):
    """A second operand of ``a``'s shape, not parallel to it."""
    return (a * 1.3 + 0.7) ** 2


def _diff(a, n, axis):
    """``numpy.diff``, also validating ``axis`` for ``n=0`` and refusing 0-d input (NumPy
    returns the input unchanged there without looking at ``axis``)."""
    if a.ndim == 0:
        raise ValueError("diff needs at least 1-d input")
    np.lib.array_utils.normalize_axis_index(axis, a.ndim)
    return np.diff(a, n=n, axis=axis)


def _roll(a, shift, axis):
    """``numpy.roll``; ``axis=()`` rolls nothing (NumPy raises an unpacking ValueError)."""
    return a.copy() if axis == () else np.roll(a, shift, axis)


def _median(a, axis, keepdims):
    """``numpy.median``, but for a 0-size input, where it can fail reshaping (shape
    ``(0, 0, 0)`` over ``(0, 1)``): there the median is ``numpy.mean``'s NaN or empty result."""
    if a.size == 0:
        np.median(np.zeros((1,) * a.ndim), axis=axis)  # NumPy's axis checks
        return np.mean(a, axis=axis, keepdims=keepdims)
    return np.median(a, axis=axis, keepdims=keepdims)


def _cross(a, b, axis):
    """``numpy.cross`` of 3-vectors only (NumPy 2 deprecates 2-vectors)."""
    if a.ndim == 0 or a.shape[np.lib.array_utils.normalize_axis_index(axis, a.ndim)] != 3:
        raise ValueError("only 3-vectors")
    return np.cross(a, b, axis=axis)


# -- the table --------------------------------------------------------------------------

AXIS_OPS = [
    AxisOp("sum", lambda x, **k: ag.sum(x, **k), strict_0d(np.sum), reduce_args),
    AxisOp("mean", lambda x, **k: ag.mean(x, **k), strict_0d(np.mean), reduce_args),
    AxisOp("var", lambda x, **k: ag.var(x, **k), strict_0d(np.var), reduce_args),
    AxisOp("std", lambda x, **k: ag.std(x, **k), strict_0d(np.std), reduce_args),
    AxisOp("max", lambda x, **k: ag.max(x, **k), strict_0d(np.max), reduce_args),
    AxisOp("min", lambda x, **k: ag.min(x, **k), strict_0d(np.min), reduce_args),
    AxisOp("prod", lambda x, **k: ag.prod(x, **k), strict_0d(np.prod), reduce_args),
    AxisOp("logsumexp", lambda x, **k: ag.logsumexp(x, **k), strict_0d(_logsumexp),
           reduce_args),
    AxisOp("norm", lambda x, **k: ag.norm(x, **k), strict_0d(_norm), reduce_args),
    AxisOp("norm(ord=1)", lambda x, **k: ag.norm(x, 1, **k), strict_0d(_norm1), reduce_args,
           op="norm"),
    AxisOp("any", lambda x, **k: ag.any(x > 0, **k), strict_0d(lambda a, **k: np.any(a > 0, **k)),
           reduce_args),
    AxisOp("all", lambda x, **k: ag.all(x > 0, **k), strict_0d(lambda a, **k: np.all(a > 0, **k)),
           reduce_args),
    AxisOp("argmax", lambda x, **k: ag.argmax(x, **k), strict_0d(np.argmax),
           lambda s: _kw(axis=one_axis_or_none(len(s)), keepdims=st.booleans())),
    AxisOp("argmin", lambda x, **k: ag.argmin(x, **k), strict_0d(np.argmin),
           lambda s: _kw(axis=one_axis_or_none(len(s)), keepdims=st.booleans())),
    AxisOp("tensor.sum", lambda x, **k: x.sum(**k), strict_0d(np.sum), reduce_args, op="sum"),
    AxisOp("softmax", lambda x, **k: ag.softmax(x, **k), strict_0d(_softmax),
           lambda s: _kw(axis=axes(len(s)))),
    AxisOp("log_softmax", lambda x, **k: ag.log_softmax(x, **k), strict_0d(_log_softmax),
           lambda s: _kw(axis=axes(len(s)))),
    AxisOp("nn.functional.softmax", lambda x, **k: nn.functional.softmax(x, **k),
           strict_0d(_softmax), lambda s: _kw(axis=axis(len(s))), op="softmax"),
    AxisOp("nn.functional.log_softmax", lambda x, **k: nn.functional.log_softmax(x, **k),
           strict_0d(_log_softmax), lambda s: _kw(axis=axis(len(s))), op="log_softmax"),
    AxisOp("transpose", lambda x, axes: ag.transpose(x, axes), _transpose, transpose_args),
    AxisOp("swapaxes", lambda x, **k: ag.swapaxes(x, **k), np.swapaxes,
           lambda s: _kw(axis1=axis(len(s)), axis2=axis(len(s)))),
    AxisOp("flatten", lambda x, **k: ag.flatten(x, **k), _flatten,
           lambda s: _kw(start_axis=axis(max(len(s), 1)), end_axis=axis(max(len(s), 1)))),
    AxisOp("squeeze", lambda x, **k: ag.squeeze(x, **k), _squeeze,
           lambda s: _kw(axis=axes(len(s)))),
    AxisOp("expand_dims", lambda x, **k: ag.expand_dims(x, **k), np.expand_dims,
           lambda s: _kw(axis=axes(len(s) + 1, allow_none=False))),
    AxisOp("concatenate", lambda x, **k: ag.concatenate([x, x * 2], **k),
           lambda a, **k: np.concatenate([a, a * 2], **k),
           lambda s: _kw(axis=one_axis_or_none(len(s)))),
    AxisOp("stack", lambda x, **k: ag.stack([x, x * 2], **k),
           lambda a, **k: np.stack([a, a * 2], **k),
           lambda s: _kw(axis=axis(len(s) + 1))),
    AxisOp("split", lambda x, sections, axis: ag.split(x, sections, axis), _split, split_args),
    AxisOp("pad", lambda x, **k: ag.pad(x, **k), _pad, pad_args),
    AxisOp("repeat", lambda x, **k: ag.repeat(x, **k), strict_0d(np.repeat), repeat_args),
    # the NumPy-wide maths ops
    AxisOp("cumsum", lambda x, **k: ag.cumsum(x, **k), strict_0d(np.cumsum),
           lambda s: _kw(axis=one_axis_or_none(len(s)))),
    AxisOp("cumprod", lambda x, **k: ag.cumprod(x, **k), strict_0d(np.cumprod),
           lambda s: _kw(axis=one_axis_or_none(len(s)))),
    AxisOp("diff", lambda x, **k: ag.diff(x, **k), _diff,
           lambda s: _kw(n=st.integers(0, 3), axis=axis(len(s)))),
    AxisOp("median", lambda x, **k: ag.median(x, **k), strict_0d(_median), reduce_args),
    # unweighted numpy.average is numpy.mean, but for an empty result of an empty reduction
    # (shape (3, 0) over axis 0), where it divides a.size by 0 and raises ZeroDivisionError
    AxisOp("average", lambda x, **k: ag.average(x, **k), strict_0d(np.mean), reduce_args),
    AxisOp("nansum", lambda x, **k: ag.nansum(x, **k), strict_0d(np.nansum), reduce_args),
    AxisOp("nanmean", lambda x, **k: ag.nanmean(x, **k), strict_0d(np.nanmean), reduce_args),
    AxisOp("ptp", lambda x, **k: ag.ptp(x, **k), strict_0d(np.ptp), reduce_args),
    AxisOp("sort", lambda x, **k: ag.sort(x, **k),
           strict_0d(lambda a, axis: np.sort(a, axis, kind="stable")),
           lambda s: _kw(axis=one_axis_or_none(len(s)))),
    AxisOp("argsort", lambda x, **k: ag.argsort(x, **k),
           strict_0d(lambda a, axis: np.argsort(a, axis, kind="stable")),
           lambda s: _kw(axis=one_axis_or_none(len(s)))),
    AxisOp("take", lambda x, **k: ag.take(x, **k), strict_0d(np.take),
           lambda s: _kw(indices=st.lists(st.integers(-4, 4), max_size=3),
                         axis=one_axis_or_none(len(s)))),
    AxisOp("take_along_axis", _along(ag.take_along_axis), _along(np.take_along_axis),
           _index_args),
    AxisOp("put_along_axis", _along(lambda x, i, axis: ag.put_along_axis(x, i, 5.0, axis)),
           _along(_np_put_along), _index_args),
    AxisOp("flip", lambda x, **k: ag.flip(x, **k), np.flip, lambda s: _kw(axis=axes(len(s)))),
    AxisOp("roll", lambda x, **k: ag.roll(x, **k), _roll,
           lambda s: _kw(shift=st.integers(-3, 3), axis=axes(len(s)))),
    AxisOp("rot90", lambda x, **k: ag.rot90(x, **k), np.rot90,
           lambda s: _kw(k=st.integers(-2, 5),
                         axes=_axis_list(len(s), 2) | _pair_or_int(len(s)))),
    AxisOp("moveaxis", lambda x, **k: ag.moveaxis(x, **k), np.moveaxis,
           lambda s: _kw(source=_pair_or_int(len(s)), destination=_pair_or_int(len(s)))),
    AxisOp("diagonal", lambda x, **k: ag.diagonal(x, **k), np.diagonal,
           lambda s: _kw(offset=st.integers(-2, 2), axis1=axis(len(s)), axis2=axis(len(s)))),
    AxisOp("trace", lambda x, **k: ag.trace(x, **k), np.trace,
           lambda s: _kw(offset=st.integers(-2, 2), axis1=axis(len(s)), axis2=axis(len(s)))),
    AxisOp("array_split", lambda x, **k: ag.array_split(x, **k), np.array_split,
           lambda s: _kw(indices_or_sections=st.integers(1, 4) | st.lists(st.integers(-4, 4),
                                                                          max_size=3),
                         axis=axis(len(s)))),
    AxisOp("tensordot", lambda x, **k: ag.tensordot(x, _other(x), **k),
           lambda a, **k: np.tensordot(a, _other(a), **k),
           lambda s: _kw(axes=st.integers(0, len(s) + 1)
                         | st.tuples(_axis_list(len(s), 1), _axis_list(len(s), 1))
                         | st.tuples(st.lists(axis(len(s), 1), max_size=3).map(tuple),
                                     st.lists(axis(len(s), 1), max_size=3).map(tuple)))),
    AxisOp("cross", lambda x, **k: ag.cross(x, _other(x), **k),
           lambda a, **k: _cross(a, _other(a), **k),
           lambda s: _kw(axis=axis(len(s)))),
    AxisOp("linalg.norm", lambda x, **k: ag.linalg.norm(x, **k),
           lambda a, **k: np.linalg.norm(a, **k),
           lambda s: _kw(axis=st.none() | axis(len(s)) | _axis_list(len(s), 2),
                         keepdims=st.booleans()), op="norm"),
    AxisOp("linalg.vector_norm", lambda x, **k: ag.linalg.vector_norm(x, **k),
           strict_0d(np.linalg.vector_norm),
           lambda s: _kw(axis=axes(len(s)), keepdims=st.booleans(),
                         ord=st.sampled_from([2, 1, INF, -INF, 0, 3])), op="vector_norm"),
    AxisOp("linalg.matrix_norm", lambda x, **k: ag.linalg.matrix_norm(x, **k),
           np.linalg.matrix_norm,
           lambda s: _kw(keepdims=st.booleans(), ord=st.sampled_from(["fro", 1, -1, INF, -INF])),
           op="matrix_norm"),
]
