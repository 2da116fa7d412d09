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


@pytest.mark.parametrize("call", [
    lambda x: ag.cumsum(x, axis=2), lambda x: ag.cumprod(x, axis=-3),
    lambda x: ag.diff(x, axis=2), lambda x: ag.sort(x, axis=2),
    lambda x: ag.argsort(x, axis=-3), lambda x: ag.take(x, [0], axis=2),
    lambda x: ag.flip(x, 2), lambda x: ag.roll(x, 1, axis=5), lambda x: ag.moveaxis(x, 0, 2),
    lambda x: ag.diagonal(x, 0, 0, 2), lambda x: ag.median(x, axis=(0, 2)),
    lambda x: ag.nansum(x, axis=3), lambda x: ag.ptp(x, axis=2),
    lambda x: ag.take_along_axis(x, np.zeros((1, 1), dtype=int), axis=2),
    lambda x: ag.array_split(x, 2, axis=-3), lambda x: ag.rot90(x, axes=(0, 2)),
])
def test_axis_out_of_range_raises_naming_the_op(call):
    x = ag.tensor(np.zeros((2, 3)))
    with pytest.raises(ag.ShapeError, match="out of bounds"):
        call(x)


def test_median_of_even_count_splits_the_gradient():
    x = ag.tensor([4.0, 1.0, 3.0, 2.0], requires_grad=True)
    out = ag.median(x)
    assert out.item() == 2.5
    out.backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.5, 0.5]


def test_cumprod_gradient_with_a_zero_is_exact():
    x = ag.tensor([2.0, 0.0, 3.0], dtype="float64", requires_grad=True)
    ag.cumprod(x).sum().backward()
    # d/dx0 (x0 + x0 x1 + x0 x1 x2) = 1 + x1 + x1 x2 = 1; d/dx1 = x0 + x0 x2 = 8; d/dx2 = 0
    assert x.grad.tolist() == [1.0, 8.0, 0.0]


def test_nan_reductions_give_nans_zero_gradient():
    x = ag.tensor([1.0, np.nan, 3.0], dtype="float64", requires_grad=True)
    assert ag.nanmean(x).item() == 2.0
    ag.nansum(x).backward()
    assert x.grad.tolist() == [1.0, 0.0, 1.0]


def test_sort_gradient_follows_the_permutation():
    x = ag.tensor([3.0, 1.0, 2.0], requires_grad=True)
    (ag.sort(x) * ag.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [100.0, 1.0, 10.0]
    assert ag.argsort(x).tolist() == [1, 2, 0] and ag.argsort(x).dtype == np.int64
    assert not ag.argsort(x).requires_grad


def test_scatter_add_accumulates_repeated_indices():
    arr = ag.tensor(np.zeros(3), requires_grad=True)
    values = ag.tensor([1.0, 2.0, 4.0], requires_grad=True)
    out = ag.scatter_add(arr, np.array([0, 0, 2]), values, axis=0)
    assert out.tolist() == [3.0, 0.0, 4.0]
    (out * ag.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert values.grad.tolist() == [1.0, 1.0, 100.0]
    assert arr.grad.tolist() == [1.0, 10.0, 100.0]


def test_put_along_axis_is_out_of_place():
    arr = ag.tensor(np.zeros((2, 2)), requires_grad=True)
    out = ag.put_along_axis(arr, np.array([[1], [0]]), 5.0, axis=1)
    assert out.tolist() == [[0.0, 5.0], [5.0, 0.0]] and arr.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    out.sum().backward()
    assert arr.grad.tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_gathering_errors_name_the_op_and_shapes():
    x = ag.tensor(np.zeros((2, 3)))
    with pytest.raises(IndexError, match="take: index 3 is out of bounds for axis 1 with size 3"):
        ag.take(x, [3], axis=1)
    with pytest.raises(ag.ShapeError, match=r"take_along_axis: indices of shape \(2,\) must have"):
        ag.take_along_axis(x, np.array([0, 1]), axis=1)
    with pytest.raises(TypeError, match="take: indices must be integers, not float64"):
        ag.take(x, np.array([0.0]))
    with pytest.raises(ag.ShapeError, match=r"average: weights of shape \(2,\)"):
        ag.average(x, axis=1, weights=np.ones(2))
    with pytest.raises(ZeroDivisionError, match="average: the weights sum to zero"):
        ag.average(x, axis=1, weights=np.array([1.0, -1.0, 0.0]))
    with pytest.raises(ValueError, match="diff: order n=-1"):
        ag.diff(x, -1)
    with pytest.raises(ag.ShapeError, match=r"diagonal: needs at least 2 dimensions, got shape \(3,\)"):
        ag.diagonal(ag.tensor(np.zeros(3)))
    with pytest.raises(ValueError, match="meshgrid: indexing must be 'xy' or 'ij'"):
        ag.meshgrid(x, indexing="yx")
