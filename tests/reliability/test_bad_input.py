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
