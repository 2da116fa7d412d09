"""Bad input gets an error that names the op, the shapes/dtypes/devices and the fix."""

import numpy as np
import pytest

import autograd_core as ag


def test_broadcast_mismatch_names_op_and_both_shapes():
    a, b = ag.tensor(np.zeros((2, 3))), ag.tensor(np.zeros((4,)))
    with pytest.raises(ag.ShapeError) as info:
        a + b
    message = str(info.value)
    assert "add" in message and "[2, 3]" in message and "[4]" in message


def test_matmul_inner_dimension_mismatch():
    with pytest.raises(ag.ShapeError, match=r"matmul.*\(2, 3\).*\(4, 5\)"):
        ag.tensor(np.zeros((2, 3))) @ ag.tensor(np.zeros((4, 5)))


def test_matmul_rejects_scalars():
    with pytest.raises(ag.ShapeError, match="scalar"):
        ag.matmul(ag.tensor(np.zeros((2, 2))), 3.0)


def test_linear_shape_mismatches_name_op_and_shapes():
    x, w = ag.tensor(np.zeros((2, 3))), ag.tensor(np.zeros((4, 5)))
    with pytest.raises(ag.ShapeError, match=r"linear.*\(2, 3\).*\(4, 5\)"):
        ag.linear(x, w)
    with pytest.raises(ag.ShapeError, match=r"linear: bias must have shape \(5,\), got \(4,\)"):
        ag.linear(ag.tensor(np.zeros((2, 4))), w, ag.tensor(np.zeros(4)))


def test_softmax_cross_entropy_bad_targets():
    logits = ag.tensor(np.zeros((3, 4)), requires_grad=True)
    with pytest.raises(IndexError, match=r"target class 4 is out of range for 4 classes"):
        ag.softmax_cross_entropy(logits, np.array([0, 4, 1]))
    with pytest.raises(IndexError, match=r"target class -1 is out of range"):
        ag.softmax_cross_entropy(logits, np.array([0, -1, 1]), ignore_index=-100)
    with pytest.raises(TypeError, match="integer class indices, not float64"):
        ag.softmax_cross_entropy(logits, np.array([0.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match=r"logits \(3, 4\) and targets \(2,\)"):
        ag.softmax_cross_entropy(logits, np.array([0, 1]))
    with pytest.raises(ValueError, match="reduction"):
        ag.softmax_cross_entropy(logits, np.array([0, 1, 2]), reduction="avg")


def test_softmax_cross_entropy_ignored_rows_get_no_gradient():
    logits = ag.tensor(np.random.default_rng(0).normal(size=(3, 4)), requires_grad=True)
    loss = ag.softmax_cross_entropy(logits, np.array([1, -100, 2]), ignore_index=-100)
    loss.backward()
    assert np.all(logits.grad.numpy()[1] == 0)
    assert np.all(logits.grad.numpy()[[0, 2]] != 0)


def test_reduction_axis_out_of_range():
    with pytest.raises(ag.ShapeError, match="sum: axis 2 is out of bounds for a tensor with 2 dimensions"):
        ag.tensor(np.zeros((2, 3))).sum(axis=2)


def test_max_of_empty_tensor():
    with pytest.raises(ag.ShapeError, match="zero-size"):
        ag.tensor(np.zeros((0, 3))).max()


def test_reshape_to_wrong_size_names_shapes():
    with pytest.raises(ag.ShapeError, match="reshape"):
        ag.tensor(np.zeros((2, 3))).reshape(4, 2)


def test_backward_on_non_scalar_without_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"shape \(2,\).*loss.sum\(\)"):
        (x * 2).backward()


def test_backward_gradient_of_wrong_shape():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"gradient has shape \(3,\).*\(2,\)"):
        (x * 2).backward(gradient=np.ones(3))


def test_backward_on_tensor_without_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.tensor([1.0]).sum().backward()


def test_unknown_device_and_missing_cupy():
    with pytest.raises(ag.DeviceError, match="unknown device 'tpu'"):
        ag.tensor([1.0], device="tpu")
    if not ag.cupy_available():
        with pytest.raises(ag.DeviceError, match="CuPy"):
            ag.tensor([1.0], device="cuda")


def test_clip_bounds():
    with pytest.raises(ValueError, match="lo=2 is greater than hi=1"):
        ag.clip(ag.tensor([1.0]), 2, 1)


def test_stack_of_different_shapes():
    with pytest.raises(ag.ShapeError, match="same shape"):
        ag.stack([ag.zeros(2), ag.zeros(3)])


def test_gradcheck_reports_input_element_and_values():
    def wrong_square(x):  # a deliberately wrong backward
        class BadSquare(ag.Function):
            save_inputs = True

            def forward(self, a):
                return a * a

            def backward(self, grad, out):
                return (grad * self.inputs[0] * 3.0,)

        return BadSquare()(x)

    with pytest.raises(ag.GradcheckError, match=r"input 0.*element \(1,\).*analytic.*numerical"):
        ag.gradcheck(wrong_square, (np.array([0.0, 1.0]),))


def test_non_differentiable_input_types():
    with pytest.raises(TypeError, match="unsupported operand"):
        ag.tensor([1.0]) + {"a": 1}
