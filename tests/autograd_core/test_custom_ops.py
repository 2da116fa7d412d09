"""User-defined derivatives: ag.custom_vjp and Function subclasses, through gradcheck and
gradgradcheck, and the errors a wrong backward gets (naming the user's op)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import arrays, shapes


# -- custom_vjp ----------------------------------------------------------------------------

@ag.custom_vjp
def sin_times(x, y):
    return ag.sin(x) * y


def _sin_times_fwd(x, y):
    return sin_times(x, y), (ag.cos(x), ag.sin(x), y)


def _sin_times_bwd(residuals, g):
    cos_x, sin_x, y = residuals
    return cos_x * g * y, ag.sum_to(sin_x * g, y.shape)


sin_times.defvjp(_sin_times_fwd, _sin_times_bwd)


@ag.custom_vjp
def stable_log1pexp(x):  # the classic: a derivative rule that avoids overflow
    return np.logaddexp(0.0, x)


stable_log1pexp.defvjp(lambda x: (stable_log1pexp(x), (x,)),
                       lambda res, g: (g * ag.sigmoid(res[0]),))


@ag.custom_vjp
def scaled_norm(p):  # a pytree argument: the gradient has its structure
    return ag.sum(p["w"] ** 2) * p["s"]


scaled_norm.defvjp(lambda p: (scaled_norm(p), p),
                   lambda p, g: ({"w": 2 * p["w"] * p["s"] * g, "s": ag.sum(p["w"] ** 2) * g},))


@given(data=st.data())
def test_custom_vjp_through_gradcheck_and_gradgradcheck(data):
    x = data.draw(arrays(shapes(max_dims=2, max_side=3), elements=st.floats(-2, 2)))
    y = data.draw(arrays(x.shape[-1:], elements=st.floats(-2, 2)))  # broadcast over rows
    assert ag.gradcheck(sin_times, (x, y))
    assert ag.gradgradcheck(sin_times, (x, y))
    assert ag.gradcheck(stable_log1pexp, (x,))
    assert ag.gradgradcheck(stable_log1pexp, (x,))


def test_custom_vjp_value_gradient_and_pytree_argument():
    x = ag.tensor([1000.0, -3.0], dtype="float64", requires_grad=True)
    y = stable_log1pexp(x)
    np.testing.assert_allclose(y.numpy(), [1000.0, np.log1p(np.exp(-3.0))])
    assert y.grad_fn.name == "stable_log1pexp"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0, 1 / (1 + np.exp(3.0))])
    p = {"w": np.array([1.0, 2.0]), "s": np.array(3.0)}
    g = ag.grad(scaled_norm)(p)
    np.testing.assert_allclose(g["w"].numpy(), [6.0, 12.0])
    assert g["s"].item() == 5.0
    # without any input requiring grad the primal runs and no node is made
    assert scaled_norm(p).grad_fn is None


def test_custom_vjp_rule_is_what_backward_uses():
    @ag.custom_vjp
    def clipped_identity(x):
        return x * 1.0

    clipped_identity.defvjp(lambda x: (clipped_identity(x), None),
                            lambda _, g: (ag.clip(g, -1.0, 1.0),))
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (clipped_identity(x) * ag.tensor([5.0, -0.5])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, -0.5])


def test_custom_vjp_wrong_backward_errors_name_the_op():
    @ag.custom_vjp
    def my_op(x, y):
        return x * y

    x = ag.tensor([1.0, 2.0], requires_grad=True)
    my_op.defvjp(lambda x, y: (my_op(x, y), (x, y)), lambda res, g: (g * res[1],))
    with pytest.raises(TypeError, match=r"custom_vjp 'my_op': bwd returned 1 gradient\(s\) for "
                                        r"2 argument"):
        my_op(x, x).sum().backward()
    my_op.defvjp(lambda x, y: (my_op(x, y), (x, y)), lambda res, g: (g[:1], None))
    with pytest.raises(ValueError, match=r"custom_vjp 'my_op': bwd's gradient for argument 0 "
                                         r"has shape \(1,\), but the argument has shape \(2,\)"):
        my_op(x, 2.0).sum().backward()

    @ag.custom_vjp
    def undefined(x):
        return x

    with pytest.raises(TypeError, match=r"'undefined'.*defvjp"):
        undefined(x)


# -- Function subclasses -------------------------------------------------------------------

class Softplus(ag.Function):
    save_inputs = True

    def forward(self, x):
        return np.logaddexp(0.0, x)

    def backward(self, grad, out):
        (x,) = self.inputs
        return (grad * ag.sigmoid(x),)


class Hypot(ag.Function):  # two inputs, broadcasting: the engine sums gradients back
    save_inputs = True
    save_output = True

    def forward(self, a, b):
        return np.sqrt(a * a + b * b)

    def backward(self, grad, out):
        a, b = self.inputs
        return grad * a / out, grad * b / out


@given(x=arrays(shapes(max_dims=2, max_side=3), elements=st.floats(-3, 3)))
def test_function_subclass_through_gradcheck_and_gradgradcheck(x):
    assert ag.gradcheck(lambda t: Softplus()(t), (x,))
    assert ag.gradgradcheck(lambda t: Softplus()(t), (x,))
    b = np.full(x.shape[-1:] if x.ndim else (), 0.7)
    assert ag.gradcheck(lambda s, t: Hypot()(s, t), (x, b))
    assert ag.gradgradcheck(lambda s, t: Hypot()(s, t), (x, b))


def test_function_subclass_wrong_backward_errors_name_the_op():
    class TooMany(ag.Function):
        def forward(self, x):
            return x * 2

        def backward(self, grad, out):
            return grad * 2, grad

    class NotATuple(ag.Function):
        def forward(self, x):
            return x * 2

        def backward(self, grad, out):
            return grad * 2

    class WrongShape(ag.Function):
        def forward(self, x):
            return x * 2

        def backward(self, grad, out):
            return (grad[:1] * 2,)

    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"backward of 'toomany' returned 2 gradients for 1 "
                                        r"input"):
        TooMany()(x).sum().backward()
    with pytest.raises(TypeError, match=r"backward of 'notatuple' returned a ndarray for 1 "
                                        r"input.*\(grad_x,\)"):
        NotATuple()(x).sum().backward()
    with pytest.raises(ag.ShapeError, match=r"backward of 'wrongshape' returned a gradient of "
                                            r"shape \(1,\) for its input 0 of shape \(3,\)"):
        WrongShape()(x).sum().backward()
