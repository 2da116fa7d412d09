"""Every op: forward value against NumPy, gradcheck and gradgradcheck in float64,
over hypothesis-drawn shapes (broadcasting, size-1 and zero-size axes, 0-d)."""

import numpy as np
import pytest
from hypothesis import given
from op_specs import SPEC_IDS, SPECS

import autograd_core as ag


def _tensors(arrays):
    return [ag.tensor(a, dtype="float64", requires_grad=True) for a in arrays]


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_forward_matches_numpy(spec):
    @given(spec.inputs)
    def check(case):
        arrays, kwargs = case
        got = spec.fn(*_tensors(arrays), **kwargs)
        want = spec.reference(*arrays, **kwargs)
        assert got.shape == np.shape(want)
        assert got.dtype == np.float64
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)

    check()


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_gradcheck(spec):
    @given(spec.inputs)
    def check(case):
        arrays, kwargs = case
        assert ag.gradcheck(lambda *xs: spec.fn(*xs, **kwargs), tuple(arrays))

    check()


@pytest.mark.parametrize("spec", [s for s in SPECS if s.gradgrad],
                         ids=[s.name for s in SPECS if s.gradgrad])
def test_gradgradcheck(spec):
    @given(spec.inputs)
    def check(case):
        arrays, kwargs = case
        assert ag.gradgradcheck(lambda *xs: spec.fn(*xs, **kwargs), tuple(arrays))

    check()


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_gradient_shapes_and_dtypes_match_inputs(spec):
    @given(spec.inputs)
    def check(case):
        arrays, kwargs = case
        xs = _tensors(arrays)
        out = spec.fn(*xs, **kwargs)
        out.backward(ag.ones_like(out))
        for x in xs:
            assert x.grad is not None
            assert x.grad.shape == x.shape and x.grad.dtype == x.dtype
            assert not x.grad.requires_grad

    check()
