"""Tensor factories: zeros, ones, full, arange, linspace, eye, *_like, and random tensors."""

from __future__ import annotations

import numbers

import numpy

from . import backend, dtypes
from ._arguments import count, shape_of, tensor_dtype
from .random import get_generator
from .tensor import Tensor

__all__ = ["zeros", "ones", "full", "empty", "arange", "linspace", "eye", "zeros_like",
           "ones_like", "full_like", "rand", "randn", "randint", "uniform", "normal"]


def _make(fill, shape, dtype, device, requires_grad, op):
    device = backend.parse_device(device)
    dtype = tensor_dtype(dtype, op) if dtype is not None else dtypes.get_default_dtype()
    xp = backend.module_for_device(device)
    if device == "cpu":
        data = fill(xp, shape, dtype)
    else:
        with xp.cuda.Device(int(device[5:])):
            data = fill(xp, shape, dtype)
    return Tensor._new(data).requires_grad_(requires_grad) if requires_grad else Tensor._new(data)


def _like(t, op):
    """``t`` as a Tensor (array-likes are converted, as NumPy's ``*_like`` do)."""
    if isinstance(t, Tensor):
        return t
    try:
        return Tensor(t)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{op}: {err}") from None


def zeros(*shape, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of zeros of ``shape`` (default float dtype)."""
    return _make(lambda xp, s, d: xp.zeros(s, d), shape_of(shape, "zeros"), dtype, device,
                 requires_grad, "zeros")


def ones(*shape, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of ones of ``shape``."""
    return _make(lambda xp, s, d: xp.ones(s, d), shape_of(shape, "ones"), dtype, device,
                 requires_grad, "ones")


def empty(*shape, dtype=None, device=None, requires_grad=False) -> Tensor:
    """An uninitialised tensor of ``shape`` (its values are arbitrary)."""
    return _make(lambda xp, s, d: xp.empty(s, d), shape_of(shape, "empty"), dtype, device,
                 requires_grad, "empty")


def full(shape, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of ``shape`` filled with ``fill_value``."""
    if not isinstance(fill_value, (numbers.Real, numpy.bool_)):
        raise TypeError(f"full: fill_value must be one real number, got "
                        f"{type(fill_value).__name__} {fill_value!r}")
    return _make(lambda xp, s, d: xp.full(s, fill_value, d), shape_of(shape, "full"), dtype,
                 device, requires_grad, "full")


def zeros_like(t, dtype=None, requires_grad=False) -> Tensor:
    """Zeros with the shape, dtype and device of ``t`` (a tensor or array-like)."""
    t = _like(t, "zeros_like")
    return zeros(t.shape, dtype=dtype or t.dtype, device=t.device, requires_grad=requires_grad)


def ones_like(t, dtype=None, requires_grad=False) -> Tensor:
    """Ones with the shape, dtype and device of ``t`` (a tensor or array-like)."""
    t = _like(t, "ones_like")
    return ones(t.shape, dtype=dtype or t.dtype, device=t.device, requires_grad=requires_grad)


def full_like(t, fill_value, dtype=None, requires_grad=False) -> Tensor:
    """``fill_value`` with the shape, dtype and device of ``t`` (a tensor or array-like)."""
    t = _like(t, "full_like")
    return full(t.shape, fill_value, dtype=dtype or t.dtype, device=t.device,
                requires_grad=requires_grad)


def arange(start, stop=None, step=1, dtype=None, device=None) -> Tensor:
    """Evenly spaced values in ``[start, stop)``; int64 for integer arguments."""
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        integer = all(isinstance(v, (int, numpy.integer)) for v in (start, stop, step))
        dtype = dtypes.int64 if integer else dtypes.get_default_dtype()
    if step == 0:
        raise ZeroDivisionError(f"arange: step 0 gives no values from {start} to {stop}; use a "
                                "nonzero step")
    return _make(lambda xp, s, d: xp.arange(start, stop, step, dtype=d), None, dtype, device,
                 False, "arange")


def linspace(start, stop, num=50, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive."""
    num = count(num, "linspace", "num")
    return _make(lambda xp, s, d: xp.linspace(start, stop, num, dtype=d), None, dtype, device,
                 requires_grad, "linspace")


def eye(n, m=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """The ``(n, m)`` identity matrix (``m`` defaults to ``n``)."""
    n = count(n, "eye", "n")
    m = None if m is None else count(m, "eye", "m")
    return _make(lambda xp, s, d: xp.eye(n, m, dtype=d), None, dtype, device, requires_grad,
                 "eye")


def _random(draw, shape, dtype, device, requires_grad, generator, op):
    device = backend.parse_device(device)
    shape = shape_of(shape, op)
    dtype = tensor_dtype(dtype, op) if dtype is not None else dtypes.get_default_dtype()
    if op != "randint" and dtype.kind != "f":
        raise TypeError(f"{op}: dtype {dtype} is not a floating dtype; {op} draws real numbers "
                        "(use randint for integers)")
    rng = get_generator(generator).module(device)
    data = draw(rng, shape).astype(dtype, copy=False)
    t = Tensor._new(data)
    return t.requires_grad_(True) if requires_grad else t


def rand(*shape, dtype=None, device=None, requires_grad=False, generator=None) -> Tensor:
    """Uniform samples on ``[0, 1)`` of ``shape``."""
    return _random(lambda g, s: g.random(s), shape, dtype, device, requires_grad,
                   generator, "rand")


def randn(*shape, dtype=None, device=None, requires_grad=False, generator=None) -> Tensor:
    """Standard normal samples of ``shape``."""
    return _random(lambda g, s: g.standard_normal(s), shape, dtype, device,
                   requires_grad, generator, "randn")


def uniform(low, high, shape, dtype=None, device=None, requires_grad=False,
            generator=None) -> Tensor:
    """Uniform samples on ``[low, high)`` of ``shape``."""
    if numpy.any(numpy.asarray(high) < numpy.asarray(low)):
        raise ValueError(f"uniform: low={low} must not exceed high={high}")
    return _random(lambda g, s: g.uniform(low, high, s), shape, dtype, device,
                   requires_grad, generator, "uniform")


def normal(mean, std, shape, dtype=None, device=None, requires_grad=False,
           generator=None) -> Tensor:
    """Normal samples with ``mean`` and standard deviation ``std`` of ``shape``."""
    if numpy.any(numpy.asarray(std) < 0):
        raise ValueError(f"normal: std={std} must be non-negative")
    return _random(lambda g, s: g.normal(mean, std, s), shape, dtype, device,
                   requires_grad, generator, "normal")


def randint(low, high, shape, device=None, generator=None) -> Tensor:
    """Integers uniform on ``[low, high)`` of ``shape`` (int64)."""
    if numpy.any(numpy.asarray(low) >= numpy.asarray(high)):
        raise ValueError(f"randint: low={low} must be less than high={high} (the range is "
                         "[low, high))")
    return _random(lambda g, s: g.integers(low, high, s), shape, dtypes.int64, device,
                   False, generator, "randint")
