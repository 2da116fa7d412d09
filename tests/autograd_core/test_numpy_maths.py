"""NumPy-wide maths (issue 13): what the op table does not cover.  float32 stays float32
for every row of the NumPy-wide tables; conventions at kinks; clear errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from op_specs import NUMPY_SPECS

import autograd_core as ag


@pytest.mark.parametrize("spec", NUMPY_SPECS, ids=[s.name for s in NUMPY_SPECS])
def test_float32_stays_float32(spec):
    @settings(max_examples=5)
    @given(spec.inputs)
    def check(case):
        arrays, kwargs = case
        xs = [ag.tensor(a.astype(np.float32), requires_grad=True) for a in arrays]
        out = spec.fn(*xs, **kwargs)
        outs = out if isinstance(out, (tuple, list)) else [out]
        for o in outs:
            assert o.dtype == np.float32
        sum(o.sum() for o in outs).backward()
        for x in xs:
            assert x.grad.dtype == np.float32

    check()


@pytest.mark.parametrize("op", [ag.floor, ag.ceil, ag.trunc, ag.rint, ag.round])
def test_rounding_gradient_is_zero_also_at_jumps(op):
    x = ag.tensor([-1.0, -0.5, 0.0, 0.5, 2.5], requires_grad=True)
    op(x).sum().backward()
    assert np.array_equal(x.grad.numpy(), np.zeros(5))


def test_copysign_gradient_flows_to_first_operand_only():
    a = ag.tensor([1.5, -2.0, 3.0, -0.5], requires_grad=True)
    b = ag.tensor([-1.0, -1.0, 2.0, 4.0], requires_grad=True)
    ag.copysign(a, b).sum().backward()
    assert np.array_equal(a.grad.numpy(), [-1.0, 1.0, 1.0, -1.0])
    assert np.array_equal(b.grad.numpy(), np.zeros(4))


def test_hypot_gradient_at_origin_is_zero():
    a = ag.tensor([0.0, 3.0], requires_grad=True)
    b = ag.tensor([0.0, 4.0], requires_grad=True)
    ag.hypot(a, b).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [0.0, 0.6])
    np.testing.assert_allclose(b.grad.numpy(), [0.0, 0.8])


def test_logaddexp_is_finite_for_large_operands():
    a = ag.tensor([1000.0, -1000.0], requires_grad=True)
    out = ag.logaddexp(a, 1000.0)
    np.testing.assert_allclose(out.numpy(), np.logaddexp([1000.0, -1000.0], 1000.0))
    out.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [0.5, 0.0])


def test_reciprocal_of_integers_is_float():
    assert ag.reciprocal(ag.tensor([2, 4])).tolist() == [0.5, 0.25]


def test_mod_is_remainder():
    x = ag.tensor([-3.5, 2.25])
    assert ag.mod(x, 2.0).tolist() == np.mod([-3.5, 2.25], 2.0).tolist()
