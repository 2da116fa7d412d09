"""Results NumPy defines, compared with NumPy: logical and bitwise ops, var/std past n.

NumPy is the oracle, warnings included: where NumPy warns, the engine warns too.
"""

import warnings

import numpy as np
import pytest

import autograd_core as ag

VALUES = {
    "float64": np.array([0.0, -1.5, 2.0, np.nan, 0.0, 3.0]),
    "float32": np.array([0.0, 1.0, 0.0, -2.0, np.inf, 0.5], dtype=np.float32),
    "int64": np.array([0, 3, -2, 0, 7, 1]),
    "bool": np.array([True, False, True, False, True, True]),
}
OTHER = np.array([1.0, 0.0, 0.0, 2.0, np.nan, -0.0])


@pytest.mark.parametrize("dtype", list(VALUES))
@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
def test_logical_binary_ops_accept_every_numeric_dtype_as_numpy(name, dtype):
    a = VALUES[dtype]
    got = getattr(ag, name)(ag.tensor(a), ag.tensor(OTHER, dtype="float64"))
    assert got.dtype == np.bool_
    np.testing.assert_array_equal(got.numpy(), getattr(np, name)(a, OTHER))


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
def test_logical_ops_broadcast_and_take_scalars_lists_and_arrays(name):
    a = np.array([[0.0], [2.5]])
    np_op, ag_op = getattr(np, name), getattr(ag, name)
    np.testing.assert_array_equal(ag_op(ag.tensor(a), [0.0, 1.0, 3.0]).numpy(),
                                  np_op(a, [0.0, 1.0, 3.0]))
    np.testing.assert_array_equal(ag_op(ag.tensor(a), 0.0).numpy(), np_op(a, 0.0))
    np.testing.assert_array_equal(ag_op(1, ag.tensor(a)).numpy(), np_op(1, a))


@pytest.mark.parametrize("name", ["logical_not", "isnan", "isfinite"])
def test_unary_logical_ops_take_lists_and_arrays_like_numpy(name):
    data = [0.0, 1.5, np.nan, -np.inf]
    for given in (data, np.array(data), ag.tensor(data, dtype="float64")):
        np.testing.assert_array_equal(getattr(ag, name)(given).numpy(),
                                      getattr(np, name)(np.array(data)))


@pytest.mark.parametrize("name", ["any", "all"])
def test_any_all_take_lists_like_numpy(name):
    data = [[0.0, 2.0], [0.0, 0.0]]
    np.testing.assert_array_equal(getattr(ag, name)(data, axis=1).numpy(),
                                  getattr(np, name)(data, axis=1))


@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_operators_and_or_xor_invert_are_numpys_bitwise_ones(dtype):
    a, b = VALUES[dtype], VALUES[dtype][::-1].copy()
    x, y = ag.tensor(a), ag.tensor(b)
    for got, expected in [(x & y, a & b), (x | y, a | b), (x ^ y, a ^ b), (~x, ~a),
                          (x & 1, a & 1), (1 | x, 1 | a), (True ^ x, True ^ a)]:
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got.numpy(), expected)


@pytest.mark.parametrize("expr, op", [(lambda x: x & x, "bitwise_and"),
                                      (lambda x: x | x, "bitwise_or"),
                                      (lambda x: x ^ x, "bitwise_xor"),
                                      (lambda x: ~x, "invert")])
def test_bitwise_operators_on_floats_are_refused_naming_the_op_and_dtype(expr, op):
    with np.testing.assert_raises(TypeError):
        expr(np.array([1.0]))  # NumPy refuses too
    with pytest.raises(TypeError, match=f"{op}: .*float32.*logical_"):
        expr(ag.tensor([1.0, 0.0]))


def test_a_comparison_with_a_string_names_the_op():
    with pytest.raises(TypeError, match="less: unsupported operand of type str"):
        ag.tensor([1.0, 2.0]) < "a"


# -- var / std with ddof at or past the number of elements -------------------------------

def _numpy_with_warnings(fn, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn(*args, **kwargs)
    return result, {w.category for w in caught}


@pytest.mark.parametrize("op", ["var", "std"])
@pytest.mark.parametrize("ddof", [-1, 0, 1, 2, 3, 4, 7, 2.5])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_var_std_match_numpy_for_every_ddof_warnings_included(op, ddof, axis):
    a = np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]])  # a constant row: 0/0 is NaN, not inf
    expected, numpy_warned = _numpy_with_warnings(getattr(np, op), a, axis=axis, ddof=ddof)
    got, warned = _numpy_with_warnings(getattr(ag, op), ag.tensor(a, dtype="float64"),
                                       axis=axis, ddof=ddof)
    np.testing.assert_array_equal(got.numpy(), expected)
    assert (RuntimeWarning in warned) == (RuntimeWarning in numpy_warned)


def test_var_past_n_warns_naming_the_op_and_the_counts():
    with pytest.warns(RuntimeWarning, match=r"std: degrees of freedom <= 0 .*ddof=5.*3 "), \
            np.errstate(divide="ignore"):  # NumPy's own divide-by-zero warning comes too
        ag.std(ag.tensor([1.0, 2.0, 3.0]), ddof=5)


def test_var_of_an_empty_axis_is_nan_with_a_warning_as_numpy():
    expected, _ = _numpy_with_warnings(np.var, np.zeros((2, 0)), axis=1)
    with pytest.warns(RuntimeWarning):
        got = ag.var(ag.zeros((2, 0), dtype="float64"), axis=1)
    np.testing.assert_array_equal(got.numpy(), expected)
