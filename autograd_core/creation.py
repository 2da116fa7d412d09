"""Tensor factories: zeros, ones, full, arange, linspace, eye, *_like, and random tensors."""

from __future__ import annotations

import numpy

from . import backend, dtypes
from .random import get_generator
from .tensor import Tensor

__all__ = ["zeros", "ones", "full", "empty", "arange", "linspace", "eye", "zeros_like",
           "ones_like", "full_like", "rand", "randn", "randint", "uniform", "normal"]


def _shape(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def _make(fill, shape, dtype, device, requires_grad):
    device = backend.parse_device(device)
    dtype = numpy.dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    xp = backend.module_for_device(device)
    if device == "cpu":
        data = fill(xp, shape, dtype)
    else:
        with xp.cuda.Device(int(device[5:])):
            data = fill(xp, shape, dtype)
    return Tensor._new(data).requires_grad_(requires_grad) if requires_grad else Tensor._new(data)


def zeros(*shape, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of zeros of ``shape`` (default float dtype)."""
    return _make(lambda xp, s, d: xp.zeros(s, d), _shape(shape), dtype, device, requires_grad)


def ones(*shape, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of ones of ``shape``."""
    return _make(lambda xp, s, d: xp.ones(s, d), _shape(shape), dtype, device, requires_grad)


def empty(*shape, dtype=None, device=None, requires_grad=False) -> Tensor:
    """An uninitialised tensor of ``shape`` (its values are arbitrary)."""
    return _make(lambda xp, s, d: xp.empty(s, d), _shape(shape), dtype, device, requires_grad)


def full(shape, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of ``shape`` filled with ``fill_value``."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return _make(lambda xp, s, d: xp.full(s, fill_value, d), shape, dtype, device, requires_grad)


def zeros_like(t, dtype=None, requires_grad=False) -> Tensor:
    """Zeros with the shape, dtype and device of ``t``."""
    return zeros(t.shape, dtype=dtype or t.dtype, device=t.device, requires_grad=requires_grad)


def ones_like(t, dtype=None, requires_grad=False) -> Tensor:
    """Ones with the shape, dtype and device of ``t``."""
    return ones(t.shape, dtype=dtype or t.dtype, device=t.device, requires_grad=requires_grad)


def full_like(t, fill_value, dtype=None, requires_grad=False) -> Tensor:
    """``fill_value`` with the shape, dtype and device of ``t``."""
    return full(t.shape, fill_value, dtype=dtype or t.dtype, device=t.device,
                requires_grad=requires_grad)


def arange(start, stop=None, step=1, dtype=None, device=None) -> Tensor:
    """Evenly spaced values in ``[start, stop)``; int64 for integer arguments."""
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        integer = all(isinstance(v, (int, numpy.integer)) for v in (start, stop, step))
        dtype = dtypes.int64 if integer else dtypes.get_default_dtype()
    return _make(lambda xp, s, d: xp.arange(start, stop, step, dtype=d), None, dtype, device,
                 False)


def linspace(start, stop, num=50, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive."""
    return _make(lambda xp, s, d: xp.linspace(start, stop, num, dtype=d), None, dtype, device,
                 requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """The ``(n, m)`` identity matrix (``m`` defaults to ``n``)."""
    return _make(lambda xp, s, d: xp.eye(n, m, dtype=d), None, dtype, device, requires_grad)


def _random(draw, shape, dtype, device, requires_grad, generator):
    device = backend.parse_device(device)
    dtype = numpy.dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    rng = get_generator(generator).module(device)
    data = draw(rng, shape).astype(dtype, copy=False)
    t = Tensor._new(data)
    return t.requires_grad_(True) if requires_grad else t


def rand(*shape, dtype=None, device=None, requires_grad=False, generator=None) -> Tensor:
    """Uniform samples on ``[0, 1)`` of ``shape``."""
    return _random(lambda g, s: g.random(s), _shape(shape), dtype, device, requires_grad,
                   generator)


def randn(*shape, dtype=None, device=None, requires_grad=False, generator=None) -> Tensor:
    """Standard normal samples of ``shape``."""
    return _random(lambda g, s: g.standard_normal(s), _shape(shape), dtype, device,
                   requires_grad, generator)


def uniform(low, high, shape, dtype=None, device=None, requires_grad=False,
            generator=None) -> Tensor:
    """Uniform samples on ``[low, high)`` of ``shape``."""
    return _random(lambda g, s: g.uniform(low, high, s), tuple(shape), dtype, device,
                   requires_grad, generator)


def normal(mean, std, shape, dtype=None, device=None, requires_grad=False,
           generator=None) -> Tensor:
    """Normal samples with ``mean`` and standard deviation ``std`` of ``shape``."""
    return _random(lambda g, s: g.normal(mean, std, s), tuple(shape), dtype, device,
                   requires_grad, generator)


def randint(low, high, shape, device=None, generator=None) -> Tensor:
    """Integers uniform on ``[low, high)`` of ``shape`` (int64)."""
    return _random(lambda g, s: g.integers(low, high, s), tuple(shape), dtypes.int64, device,
                   False, generator)
