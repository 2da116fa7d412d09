"""Gradient clipping: rescale all gradients to a maximum total norm, or clamp each entry."""

from __future__ import annotations

import math

import numpy

from autograd_core import backend
from autograd_core.tensor import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _grads(parameters, fn):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    params = []
    for i, p in enumerate(parameters):
        if not isinstance(p, Tensor):
            raise TypeError(f"{fn}: parameters must be Tensors; item {i} is a "
                            f"{type(p).__name__}")
        if p.grad is not None:
            params.append(p)
    return params


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Rescale the gradients so that their joint norm is at most ``max_norm``.

    The norm is taken over all gradients together, as if they were concatenated
    into one vector.  When it exceeds ``max_norm`` every gradient is multiplied by
    ``max_norm / (total_norm + 1e-6)`` (PyTorch's rule).  Gradients are rebound
    to new tensors (``p.grad = ...``), never modified in place.

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        Tensors whose ``.grad`` to clip; those without a gradient are ignored.
    max_norm : float
        Largest allowed total norm (>= 0).
    norm_type : float
        Order of the norm: 2 (default), 1, any p > 0, or ``float("inf")`` (max abs).
    error_if_nonfinite : bool
        Raise ``RuntimeError`` if the total norm is NaN or infinite, instead of
        returning it (the gradients are then left unchanged).

    Returns
    -------
    Tensor
        The total norm of the gradients before clipping, a 0-d float64 tensor on
        the CPU.
    """
    params = _grads(parameters, "clip_grad_norm_")
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not max_norm >= 0:
        raise ValueError(f"clip_grad_norm_: max_norm must be >= 0, got {max_norm}")
    if not norm_type > 0:
        raise ValueError(f"clip_grad_norm_: norm_type must be > 0 or inf, got {norm_type}")
    if not params:
        return Tensor(0.0, dtype="float64", device="cpu")
    # one 0-d norm per gradient, combined per device, then across devices on the CPU
    per_device = {}
    for p in params:
        g = p.grad.data
        xp = backend.array_module(g)
        if norm_type == math.inf:
            norm = xp.abs(g).max() if g.size else xp.zeros((), g.dtype)
        else:
            norm = xp.linalg.norm(g.ravel(), ord=norm_type)
        per_device.setdefault(backend.device_of(g), []).append(norm.astype(numpy.float64))
    totals = []
    for norms in per_device.values():
        xp = backend.array_module(norms[0])
        stacked = xp.stack(norms)
        total = stacked.max() if norm_type == math.inf else xp.linalg.norm(stacked, ord=norm_type)
        totals.append(float(total))
    total_norm = (max(totals) if norm_type == math.inf
                  else float(numpy.linalg.norm(numpy.array(totals), ord=norm_type)))
    if error_if_nonfinite and not math.isfinite(total_norm):
        raise RuntimeError(
            f"clip_grad_norm_: the total {norm_type}-norm of the gradients of "
            f"{len(params)} parameter(s) is {total_norm}; set error_if_nonfinite=False to "
            "clip anyway, or find where the NaN/inf comes from (autograd_core.detect_anomaly)"
        )
    coef = max_norm / (total_norm + 1e-6)
    if coef < 1.0:
        for p in params:
            p.grad = Tensor._new(p.grad.data * coef)
    return Tensor(total_norm, dtype="float64", device="cpu")


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient entry to ``[-clip_value, clip_value]``.

    Gradients are rebound to new tensors (``p.grad = ...``), never modified in place.

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        Tensors whose ``.grad`` to clip; those without a gradient are ignored.
    clip_value : float
        Largest allowed magnitude (>= 0).
    """
    clip_value = float(clip_value)
    if not clip_value >= 0:
        raise ValueError(f"clip_grad_value_: clip_value must be >= 0, got {clip_value}")
    for p in _grads(parameters, "clip_grad_value_"):
        g = p.grad.data
        p.grad = Tensor._new(backend.array_module(g).clip(g, -clip_value, clip_value))
