"""Bad input gets a clear error (never a silent wrong answer, never a crash in the error path)."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn


@pytest.mark.parametrize("data, named", [
    (np.array(["a", "b"]), "<U1"), (np.array([1 + 2j]), "complex128"),
    (np.array([None, 1.0], dtype=object), "object"), (None, "NoneType"), ({"a": 1}, "dict"),
    ("abc", "str")])
def test_non_numeric_data_is_refused_at_creation_naming_the_dtype_or_type(data, named):
    with pytest.raises(TypeError, match="tensor\\(\\): .*" + named):
        ag.tensor(data)


def test_complex_dtype_argument_is_refused():
    with pytest.raises(TypeError, match="complex64"):
        ag.tensor([1.0, 2.0], dtype="complex64")


def test_error_wrapping_never_raises_its_own_exception():
    x = ag.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="multiply: .*operands: float32\\[2\\], <U1\\[1\\]"):
        x * np.array(["a"])


def test_grad_of_a_function_ignoring_its_argument_is_zeros_of_its_shape():
    g = ag.grad(lambda t: ag.tensor(3.0, dtype="float64"))(ag.tensor([[1.0, 2.0]],
                                                                      dtype="float64"))
    assert g.shape == (1, 2)
    np.testing.assert_array_equal(g.numpy(), [[0.0, 0.0]])


@pytest.mark.parametrize("sizes", [(4, [0], 2), (0, [3], 2), (4, [3], 0), (4, [-1], 2),
                                   (4, [2.5], 2), (4, [True], 2)])
def test_mlp_refuses_zero_or_non_integer_widths(sizes):
    with pytest.raises(ValueError, match="MLP: .* must be a positive int"):
        nn.MLP(*sizes)


def test_mlp_accepts_numpy_integer_widths():
    assert nn.MLP(np.int64(4), [np.int32(3)], 2)(ag.zeros((1, 4))).shape == (1, 2)


# -- creation: every factory names itself and the bad argument ----------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.tensor([[1, 2], [3]]), ValueError, r"tensor\(\): .*ragged"),
    (lambda: ag.tensor([1.0], dtype="float13"), TypeError, r"tensor\(\): .*'float13'"),
    (lambda: ag.zeros((-1, 2)), ValueError, r"zeros: .*negative.*\(-1, 2\)"),
    (lambda: ag.zeros((2.5,)), TypeError, r"zeros: shape .*2\.5"),
    (lambda: ag.ones(-3), ValueError, r"ones: .*negative"),
    (lambda: ag.empty((2, None)), TypeError, r"empty: shape .*None"),
    (lambda: ag.full((-2,), 1.0), ValueError, r"full: .*negative"),
    (lambda: ag.eye(-2), ValueError, r"eye: .*-2"),
    (lambda: ag.eye(2.5), TypeError, r"eye: .*2\.5"),
    (lambda: ag.randn(-2), ValueError, r"randn: .*negative"),
    (lambda: ag.rand((2, 1.5)), TypeError, r"rand: shape .*1\.5"),
    (lambda: ag.arange(0, 5, 0), ZeroDivisionError, r"arange: step 0"),
    (lambda: ag.linspace(0, 1, -3), ValueError, r"linspace: num=-3"),
    (lambda: ag.linspace(0, 1, 2.5), TypeError, r"linspace: num must be an integer, got float 2\.5"),
    (lambda: ag.randint(5, 2, (2,)), ValueError, r"randint: low=5 .*high=2"),
    (lambda: ag.normal(0.0, -1.0, (2,)), ValueError, r"normal: std=-1\.0"),
    (lambda: ag.uniform(1.0, 0.0, (2,)), ValueError, r"uniform: low=1\.0 .*high=0\.0"),
    (lambda: ag.zeros_like([[1], [2, 3]]), ValueError, r"zeros_like: tensor\(\): .*ragged"),
])
def test_factories_name_themselves_and_the_bad_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("call, named", [
    (lambda: ag.zeros(2, dtype="complex64"), "zeros: dtype complex64"),
    (lambda: ag.ones(2, dtype=str), "ones: dtype <U"),
    (lambda: ag.empty(2, dtype=object), "empty: dtype object"),
    (lambda: ag.arange(3, dtype="complex128"), "arange: dtype complex128"),
    (lambda: ag.eye(2, dtype="U3"), "eye: dtype <U3"),
    (lambda: ag.full((2,), 1.0, dtype="complex64"), "full: dtype complex64"),
    (lambda: ag.tensor([1.0]).astype("complex64"), "astype: dtype complex64"),
    (lambda: ag.tensor([1.0]).astype(str), "astype: dtype <U"),
    (lambda: ag.tensor([1.0]).astype(object), "astype: dtype object"),
])
def test_non_numeric_dtypes_are_refused_by_every_factory_and_astype(call, named):
    with pytest.raises(TypeError, match=named):
        call()


@pytest.mark.parametrize("fill", [1j, None, "a", [1.0, 2.0]])
def test_full_refuses_a_fill_value_that_is_not_one_real_number(fill):
    with pytest.raises(TypeError, match="full: fill_value"):
        ag.full((2,), fill)


@pytest.mark.parametrize("factory", ["rand", "randn"])
def test_float_samplers_refuse_integer_dtypes_instead_of_returning_zeros(factory):
    with pytest.raises(TypeError, match=f"{factory}: dtype int64 .*floating"):
        getattr(ag, factory)(3, dtype="int64")


def test_a_cast_to_a_non_float_dtype_has_no_gradient_history():
    x = ag.tensor([1.5, 2.5], requires_grad=True)
    for dtype in ("int64", "bool"):
        y = x.astype(dtype)
        assert not y.requires_grad and y.node is None
    assert x.astype("float64").requires_grad


# -- op arguments: the op and the argument are named -------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda x: ag.round(x, 1.5), TypeError, r"round: decimals must be an integer, got float 1\.5"),
    (lambda x: ag.tensordot(x, x, 1.5), TypeError, r"tensordot: axes .*must be an integer, got float 1\.5"),
    (lambda x: ag.tensordot(x, x, -1), ValueError, r"tensordot: axes=-1 must be non-negative"),
    (lambda x: x.reshape(2.0, 2), TypeError, r"reshape: shape .*2\.0"),
    (lambda x: ag.tile(x, -1), ValueError, r"tile: reps .*-1"),
    (lambda x: ag.tile(x, 1.5), TypeError, r"tile: reps .*1\.5"),
    (lambda x: ag.broadcast_to(x, (3,)), ValueError, r"broadcast_to: cannot broadcast .*\(2, 2\) "
                                                     r"to \(3,\)"),
    (lambda x: ag.linalg.vector_norm(x, ord="fro"), ValueError, r"vector_norm: invalid ord"),
    (lambda x: ag.linalg.matrix_power(x, 1.5), TypeError, r"matrix_power: n must be an integer"),
    (lambda x: ag.diagonal(x, 0.5), TypeError, r"diagonal: offset must be an integer"),
    (lambda x: ag.diff(x, 1.5), TypeError, r"diff: order n must be an integer"),
])
def test_bad_op_arguments_name_the_op_and_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))


@pytest.mark.parametrize("name", ["zeros_like", "ones_like"])
def test_like_factories_take_array_likes_as_numpy(name):
    got, expected = getattr(ag, name)([[1, 2]]), getattr(np, name)([[1, 2]])
    assert got.shape == expected.shape and got.dtype == expected.dtype
