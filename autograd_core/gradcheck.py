"""Finite-difference checks of analytic gradients (first and second order).

``gradcheck`` compares, for a random cotangent ``v``, the engine's ``vᵀJ``
against central differences of ``x ↦ <v, f(x)>`` element by element, in
float64.  ``gradgradcheck`` applies the same check to the gradient function
itself (computed with ``create_graph=True``).
"""

from __future__ import annotations

import numpy

from .backend import array_module
from .engine import grad_of
from .tensor import Tensor

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with its finite-difference estimate."""


def _outputs(result):
    if isinstance(result, Tensor):
        return [result]
    if isinstance(result, (tuple, list)) and all(isinstance(r, Tensor) for r in result):
        return list(result)
    raise TypeError(f"gradcheck: the function must return a Tensor or a tuple of Tensors, got "
                    f"{type(result).__name__}")


def _float64_inputs(inputs):
    if isinstance(inputs, Tensor) or not isinstance(inputs, (tuple, list)):
        inputs = (inputs,)
    prepared = []
    for x in inputs:
        data = x.data if isinstance(x, Tensor) else numpy.asarray(x)
        if data.dtype.kind == "f":
            wants_grad = not isinstance(x, Tensor) or x.requires_grad
            # a private contiguous copy: the check perturbs it element by element
            t = Tensor(numpy.array(data.get() if hasattr(data, "get") else data,
                                   dtype="float64", order="C"))
            prepared.append(t.requires_grad_(True) if wants_grad else t)
        else:
            prepared.append(x if isinstance(x, Tensor) else Tensor(data))
    return prepared


def _project(outputs, cotangents):
    total = 0.0
    for out, v in zip(outputs, cotangents):
        total += float((out.data.astype("float64") * v).sum())
    return total


def _random_cotangents(outputs, seed):
    """Standard-normal arrays shaped like ``outputs``, on their devices (same values on any)."""
    rng = numpy.random.default_rng(seed)
    return [array_module(o.data).asarray(rng.standard_normal(o.shape)) for o in outputs]


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0, raise_exception=True):
    """Check the gradients of ``fn`` at ``inputs`` against central finite differences.

    Parameters
    ----------
    fn : callable
        Takes the inputs as Tensors; returns a Tensor or a tuple of Tensors.
    inputs : Tensor, array, or a tuple of them
        Floating inputs are converted to float64; those given as Tensors are checked
        only if they require grad (arrays always are).
    eps, atol, rtol : float
        Finite-difference step and tolerance: passes when
        ``|analytic - numeric| <= atol + rtol * |numeric|`` for every element.
    seed : int
        Seed of the random cotangent.

    Returns
    -------
    True, or raises :class:`GradcheckError` naming the input, the element index and
    both values (returns False instead when ``raise_exception=False``).
    """
    xs = _float64_inputs(inputs)
    wrt = [x for x in xs if x.requires_grad]
    if not wrt:
        raise ValueError("gradcheck: no floating input requires grad")
    outputs = _outputs(fn(*xs))
    cotangents = _random_cotangents(outputs, seed)
    live = [(o, v) for o, v in zip(outputs, cotangents) if o.requires_grad]
    if live:
        analytic = grad_of([o for o, _ in live],
                           wrt, grad_outputs=[Tensor(v, dtype=o.dtype) for o, v in live])
    else:
        analytic = [Tensor(numpy.zeros(x.shape), device="cpu") for x in wrt]

    for k, x in enumerate(wrt):
        position = next(i for i, y in enumerate(xs) if y is x)
        numeric = numpy.zeros(x.shape)
        flat = x.data.reshape(-1)  # a view: perturbing it perturbs the input
        # evaluated with grad enabled: gradgradcheck's function differentiates inside
        for j in range(flat.size):
            original = flat[j]
            flat[j] = original + eps
            plus = _project(_outputs(fn(*xs)), cotangents)
            flat[j] = original - eps
            minus = _project(_outputs(fn(*xs)), cotangents)
            flat[j] = original
            numeric.reshape(-1)[j] = (plus - minus) / (2 * eps)
        got = analytic[k].numpy().astype("float64")
        if got.shape != numeric.shape:
            raise GradcheckError(f"gradcheck: gradient of input {position} has shape {got.shape}, "
                                 f"expected {numeric.shape}")
        bad = ~(numpy.abs(got - numeric) <= atol + rtol * numpy.abs(numeric))
        if bad.any():
            index = tuple(int(i) for i in numpy.argwhere(bad)[0])
            message = (f"gradcheck: gradient mismatch for input {position} (shape {x.shape}) at "
                       f"element {index}: analytic {got[index]!r}, numerical {numeric[index]!r} "
                       f"(atol={atol}, rtol={rtol}; {int(bad.sum())} of {bad.size} elements differ)")
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True


def gradgradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0, raise_exception=True):
    """Check second derivatives: ``gradcheck`` of ``x ↦ (vᵀJ_f)(x)`` for a random ``v``.

    The inner gradient is computed with ``create_graph=True``, so this checks that
    every op's backward is itself correctly differentiable.  Arguments as in
    :func:`gradcheck`.
    """
    xs = _float64_inputs(inputs)
    outputs = _outputs(fn(*xs))
    cotangents = [Tensor._new(v) for v in _random_cotangents(outputs, seed + 1)]
    mask = [x.requires_grad for x in xs]

    def first_derivative(*args):
        outs = _outputs(fn(*args))
        live = [(o, v) for o, v in zip(outs, cotangents) if o.requires_grad]
        wrt = [a for a, m in zip(args, mask) if m]
        if not live:
            return tuple(a * 0.0 for a in wrt)
        grads = grad_of([o for o, _ in live], wrt, grad_outputs=[v for _, v in live],
                        create_graph=True)
        # a gradient that does not depend on the inputs (a linear op) is still an output
        return tuple(g if g.requires_grad else g + a * 0.0 for g, a in zip(grads, wrt))

    return gradcheck(first_derivative, xs, eps=eps, atol=atol, rtol=rtol, seed=seed,
                     raise_exception=raise_exception)
