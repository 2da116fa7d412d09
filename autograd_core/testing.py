"""Test helpers for users who check gradients of their own maths (needs ``hypothesis``).

>>> from hypothesis import given
>>> from autograd_core.testing import tensors, assert_gradients_close
>>> @given(tensors(dtype="float64", elements=dict(min_value=-3, max_value=3)))
... def test_my_softplus(x):
...     assert_gradients_close(lambda t: my_softplus(t).sum(), x)
"""

from __future__ import annotations

import numpy

try:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError(
        "autograd_core.testing needs hypothesis: pip install 'autograd-core[dev]' or "
        "pip install hypothesis"
    ) from err

from .engine import grad_of
from .gradcheck import GradcheckError, gradcheck
from .tensor import Tensor

__all__ = ["shapes", "broadcastable_shapes", "arrays", "tensors", "assert_gradients_close"]


def shapes(min_dims=0, max_dims=4, min_side=0, max_side=4):
    """Strategy for array shapes, including 0-d (``()``), size-1 and zero-size axes."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def broadcastable_shapes(num_shapes=2, base_shape=(), min_dims=0, max_dims=4, min_side=0,
                         max_side=4):
    """Strategy for ``num_shapes`` shapes that broadcast together (a tuple of shapes).

    Shapes may differ in length and have size-1 axes that broadcast against others.
    """
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, base_shape=base_shape, min_dims=min_dims, max_dims=max_dims,
        min_side=min_side, max_side=max_side).map(lambda result: result.input_shapes)


def _elements(dtype, elements):
    if elements is None:
        elements = {}
    if isinstance(elements, dict):
        kind = numpy.dtype(dtype).kind
        if kind == "f":
            opts = dict(min_value=-10.0, max_value=10.0, allow_nan=False, allow_infinity=False)
            opts.update(elements)
            return st.floats(width=numpy.dtype(dtype).itemsize * 8, **opts)
        if kind in "iu":
            opts = dict(min_value=-100, max_value=100)
            opts.update(elements)
            return st.integers(**opts)
        return st.booleans()
    return elements


def arrays(shape=None, dtype="float64", elements=None):
    """Strategy for NumPy arrays; ``shape`` is a tuple or a strategy (default: :func:`shapes`).

    ``elements`` is a strategy, or a dict of options for ``st.floats``/``st.integers``
    (floats default to finite values in ``[-10, 10]``).
    """
    return hnp.arrays(dtype=numpy.dtype(dtype), shape=shapes() if shape is None else shape,
                      elements=_elements(dtype, elements))


def tensors(shape=None, dtype="float64", elements=None, requires_grad=False, device=None):
    """Strategy for :class:`~autograd_core.Tensor` leaves (see :func:`arrays` for arguments)."""
    return arrays(shape, dtype, elements).map(
        lambda a: Tensor(a, dtype=dtype, device=device, requires_grad=requires_grad))


def assert_gradients_close(fn, *inputs, expected=None, atol=1e-5, rtol=1e-3, eps=1e-6):
    """Assert that the engine's gradients of ``fn`` at ``inputs`` are right.

    Without ``expected``, they are compared with central finite differences in
    float64 (:func:`~autograd_core.gradcheck`).  With ``expected`` (one array per
    input, e.g. a hand-derived formula), the gradients of the scalar ``fn`` are
    compared with those arrays.  Raises ``AssertionError`` naming the input, the
    element and both values.
    """
    if expected is None:
        gradcheck(fn, inputs, eps=eps, atol=atol, rtol=rtol)
        return
    xs = [Tensor(x.data if isinstance(x, Tensor) else x, dtype="float64").requires_grad_(True)
          for x in inputs]
    grads = grad_of(fn(*xs), xs)
    for i, (got, want) in enumerate(zip(grads, expected)):
        got = got.numpy()
        want = numpy.asarray(want.data if isinstance(want, Tensor) else want, dtype="float64")
        if got.shape != want.shape:
            raise GradcheckError(f"gradient of input {i} has shape {got.shape}, expected "
                                 f"{want.shape}")
        bad = ~(numpy.abs(got - want) <= atol + rtol * numpy.abs(want))
        if bad.any():
            index = tuple(int(j) for j in numpy.argwhere(bad)[0])
            raise GradcheckError(f"gradient of input {i} at element {index}: engine "
                                 f"{got[index]!r}, expected {want[index]!r}")
