"""grad, value_and_grad, vjp, jacobian, hessian against closed forms; the testing helpers."""

import numpy as np
import pytest
from hypothesis import given

import autograd_core as ag
from autograd_core.testing import assert_gradients_close, broadcastable_shapes, tensors


def test_grad_of_cubic():
    g = ag.grad(lambda x: (x ** 3).sum())(np.array([1.0, -2.0]))
    np.testing.assert_allclose(g.numpy(), [3.0, 12.0])


def test_value_and_grad_with_several_argnums():
    f = lambda a, b: (a * b).sum()  # noqa: E731
    value, (ga, gb) = ag.value_and_grad(f, argnums=(0, 1))(np.array([1.0, 2.0]),
                                                             np.array([3.0, 4.0]))
    assert value.item() == pytest.approx(11.0)
    np.testing.assert_allclose(ga.numpy(), [3.0, 4.0])
    np.testing.assert_allclose(gb.numpy(), [1.0, 2.0])


def test_grad_of_grad_is_second_derivative():
    d2 = ag.grad(lambda x: ag.grad(lambda y: ag.sin(y).sum())(x).sum())
    x = np.array([0.3, 1.2])
    np.testing.assert_allclose(d2(x).numpy(), -np.sin(x))


def test_vjp():
    out, vjp_fn = ag.vjp(lambda a: a * a, np.array([1.0, 3.0]))
    np.testing.assert_allclose(out.numpy(), [1.0, 9.0])
    (g,) = vjp_fn(np.array([1.0, 0.5]))
    np.testing.assert_allclose(g.numpy(), [2.0, 3.0])
    (g2,) = vjp_fn(np.array([0.0, 1.0]))  # callable more than once
    np.testing.assert_allclose(g2.numpy(), [0.0, 6.0])


def test_jacobian_of_linear_map_is_the_matrix():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    j = ag.jacobian(lambda x: ag.tensor(a) @ x)(np.array([0.1, 0.2]))
    np.testing.assert_allclose(j.numpy(), a)


def test_hessian_of_quadratic_form():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    h = ag.hessian(lambda x: x @ (ag.tensor(a) @ x))(np.array([0.5, -1.0]))
    np.testing.assert_allclose(h.numpy(), a + a.T)


def test_grad_requires_scalar_output():
    with pytest.raises(TypeError, match="one-element"):
        ag.grad(lambda x: x * 2)(np.array([1.0, 2.0]))


@given(broadcastable_shapes(2).flatmap(
    lambda shapes: tensors(shapes[0]).flatmap(lambda a: tensors(shapes[1]).map(
        lambda b: (a, b)))))
def test_testing_strategies_give_broadcastable_tensors(pair):
    a, b = pair
    assert (a + b).shape == np.broadcast_shapes(a.shape, b.shape)


def test_assert_gradients_close_against_finite_differences_and_formula():
    x = np.array([0.5, -1.5])
    assert_gradients_close(lambda t: (ag.tanh(t) ** 2).sum(), x)
    expected = 2 * np.tanh(x) * (1 - np.tanh(x) ** 2)
    assert_gradients_close(lambda t: (ag.tanh(t) ** 2).sum(), x, expected=[expected])
    with pytest.raises(AssertionError, match="element"):
        assert_gradients_close(lambda t: (ag.tanh(t) ** 2).sum(), x, expected=[expected * 1.1])
