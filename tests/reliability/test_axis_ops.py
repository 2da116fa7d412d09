"""Every axis-taking op against NumPy over hypothesis-drawn shapes and arguments.

Driven by the table in ``axis_ops.py``: the engine must raise exactly when NumPy
raises (with a ValueError/IndexError/TypeError naming the op), and otherwise give
NumPy's shape and values.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag

from axis_ops import AXIS_OPS

ERRORS = (ValueError, IndexError, TypeError)


def _as_list(result):
    return list(result) if isinstance(result, (list, tuple)) else [result]


@st.composite
def case(draw, row):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=3))
    # distinct values (no ties), mixed signs, so argmax/any/all are sensitive to the axis
    values = (np.arange(int(np.prod(shape)), dtype=np.float64) * 0.37 % 2.3 - 1.1).reshape(shape)
    return values, draw(row.args(shape))


@pytest.mark.parametrize("row", AXIS_OPS, ids=[r.name for r in AXIS_OPS])
@given(data=st.data())
def test_axis_op_matches_numpy(row, data):
    a, kwargs = data.draw(case(row))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            expected = row.numpy(a.copy(), **kwargs)
        except ERRORS as err:
            expected, numpy_error = None, err
        try:
            got = row.engine(ag.tensor(a, dtype="float64"), **kwargs)
        except ERRORS as err:
            assert expected is None, (
                f"{row.name}{kwargs} on shape {a.shape}: NumPy accepts, the engine raised {err!r}")
            assert (row.op or row.name) in str(err), f"the error does not name the op: {err}"
            return
    if expected is None:
        pytest.fail(f"{row.name}{kwargs} on shape {a.shape}: NumPy raised {numpy_error!r}, "
                    f"the engine returned {got!r}")
    got, expected = _as_list(got), _as_list(expected)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        e = np.asarray(e)
        assert g.shape == e.shape, f"{row.name}{kwargs} on {a.shape}: {g.shape} != {e.shape}"
        np.testing.assert_allclose(g.numpy(), e, rtol=row.rtol, atol=1e-12, equal_nan=True)


def test_axis_errors_name_the_op_the_axis_and_the_ndim():
    x = ag.zeros((2, 3))
    for call, op, ax in [
        (lambda: ag.expand_dims(x, 7), "expand_dims", 7),
        (lambda: ag.squeeze(x, 3), "squeeze", 3),
        (lambda: ag.transpose(x, (2, 1)), "transpose", 2),
        (lambda: ag.flatten(x, 5), "flatten", 5),
        (lambda: ag.repeat(x, 2, axis=5), "repeat", 5),
        (lambda: ag.swapaxes(x, 0, 5), "swapaxes", 5),
        (lambda: ag.argmax(x, axis=2), "argmax", 2),
        (lambda: ag.concatenate([x, x], axis=2), "concatenate", 2),
        (lambda: ag.split(x, 2, axis=-3), "split", -3),
        (lambda: ag.stack([x, x], axis=4), "stack", 4),
        (lambda: ag.softmax(x, axis=2), "softmax", 2),
        (lambda: x.sum(axis=(0, 2)), "sum", 2),
        (lambda: ag.std(x, axis=2), "std", 2),
    ]:
        with pytest.raises(ag.AxisError) as info:
            call()
        message = str(info.value)
        assert message.startswith(op + ":") and f" {ax} " in message and "2 dimensions" in message
        assert isinstance(info.value, np.exceptions.AxisError)


def test_pad_width_that_does_not_fit_names_pad_and_the_shape():
    with pytest.raises(ag.ShapeError, match=r"pad: pad_width .* shape \(2, 3\)"):
        ag.pad(ag.zeros((2, 3)), ((1, 2), (1, 2), (1, 1)))
    with pytest.raises(TypeError, match="pad: pad_width must be integers"):
        ag.pad(ag.zeros((2, 3)), 1.5)


def test_bool_axis_is_refused():
    with pytest.raises(ag.AxisError, match="sum: axis must be an integer, got the bool True"):
        ag.zeros((2, 3)).sum(True)


@pytest.mark.parametrize("shape, axis, expected", [
    ((1, 2, 0), 0, (2, 0)), ((0, 4), 1, (0,)), ((0, 4), (), (0, 4)), ((2, 0, 3), (0, 2), (0,))])
@pytest.mark.parametrize("op", ["max", "min"])
def test_max_min_of_zero_size_tensor_over_non_empty_axes_is_empty(op, shape, axis, expected):
    x = ag.zeros(shape, dtype="float64", requires_grad=True)
    y = getattr(ag, op)(x, axis=axis)
    assert y.shape == expected == getattr(np, op)(np.zeros(shape), axis=axis).shape
    y.sum().backward()
    assert x.grad.shape == shape


@pytest.mark.parametrize("op", ["max", "min", "argmax", "argmin"])
def test_reduction_over_an_empty_axis_is_refused(op):
    with pytest.raises(ag.ShapeError, match=f"{op}: .*axis 1 of length 0"):
        getattr(ag, op)(ag.zeros((3, 0)), axis=1)
