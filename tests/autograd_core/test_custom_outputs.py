"""custom_vjp with several outputs: ``fwd`` returns a pytree of Tensors, ``bwd`` receives
one cotangent per output (zeros for an output no gradient reached), through gradcheck and
gradgradcheck; leaves that are not Tensors pass through."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import arrays, shapes

RECEIVED = []


@ag.custom_vjp
def polar(r, theta):  # two outputs from two inputs
    return r * ag.cos(theta), r * ag.sin(theta)


def _polar_fwd(r, theta):
    return polar(r, theta), (r, ag.cos(theta), ag.sin(theta))


def _polar_bwd(residuals, g):
    r, c, s = residuals
    gx, gy = g
    RECEIVED.append((gx.numpy().copy(), gy.numpy().copy()))
    return gx * c + gy * s, r * (gy * c - gx * s)


polar.defvjp(_polar_fwd, _polar_bwd)


@ag.custom_vjp
def moments(x):  # a dict of outputs, one not a Tensor, one an integer Tensor
    return {"mean": ag.mean(x), "square": x * x, "count": x.shape[0],
            "argmax": ag.argmax(x)}


def _moments_bwd(x, g):
    assert g["count"] is None and g["argmax"] is None  # no cotangent for those
    return (g["mean"] / x.shape[0] + 2.0 * x * g["square"],)


moments.defvjp(lambda x: (moments(x), x), _moments_bwd)


@given(data=st.data())
def test_multi_output_custom_vjp_through_gradcheck_and_gradgradcheck(data):
    r = data.draw(arrays(shapes(max_dims=2, max_side=3), elements=st.floats(0.5, 2)))
    theta = data.draw(arrays(r.shape, elements=st.floats(-3, 3)))
    assert ag.gradcheck(polar, (r, theta))
    assert ag.gradgradcheck(polar, (r, theta))
    v = data.draw(arrays(shapes(min_dims=1, max_dims=1, min_side=1), elements=st.floats(-3, 3)))
    split = lambda x: (moments(x)["mean"], moments(x)["square"])  # noqa: E731
    assert ag.gradcheck(split, (v,))
    assert ag.gradgradcheck(split, (v,))


def test_values_and_structure_match_the_primal():
    r = ag.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    theta = ag.tensor([0.5, -1.0], dtype="float64", requires_grad=True)
    x, y = polar(r, theta)
    np.testing.assert_array_equal(x.numpy(), [np.cos(0.5), 2 * np.cos(-1.0)])
    np.testing.assert_array_equal(y.numpy(), [np.sin(0.5), 2 * np.sin(-1.0)])
    assert x.grad_fn.name == "polar" and y.grad_fn.name == "polar"
    out = moments(theta)
    assert sorted(out) == ["argmax", "count", "mean", "square"] and out["count"] == 2
    assert out["mean"].requires_grad and out["square"].shape == (2,)
    assert out["argmax"].item() == 0 and not out["argmax"].requires_grad


def test_an_unused_output_gets_a_zero_cotangent():
    r = ag.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    theta = ag.tensor([0.5, -1.0], dtype="float64", requires_grad=True)
    RECEIVED.clear()
    x, _ = polar(r, theta)
    (x * 3.0).sum().backward()
    (gx, gy), = RECEIVED
    np.testing.assert_array_equal(gx, [3.0, 3.0])
    np.testing.assert_array_equal(gy, [0.0, 0.0])  # zeros of the output's shape, as in JAX
    np.testing.assert_allclose(r.grad.numpy(), 3.0 * np.cos([0.5, -1.0]), rtol=1e-15)
    np.testing.assert_allclose(theta.grad.numpy(), -3.0 * np.array([1.0, 2.0])
                               * np.sin([0.5, -1.0]), rtol=1e-15)


def test_bwd_runs_once_for_all_outputs():
    r = ag.tensor([1.0], dtype="float64", requires_grad=True)
    theta = ag.tensor([0.25], dtype="float64", requires_grad=True)
    RECEIVED.clear()
    x, y = polar(r, theta)
    (x * 2.0 + y * 5.0).sum().backward()
    assert len(RECEIVED) == 1 and RECEIVED[0][0][0] == 2.0 and RECEIVED[0][1][0] == 5.0


def test_wrong_gradients_from_a_multi_output_bwd_name_the_op():
    @ag.custom_vjp
    def pair(a):
        return a * 2.0, a * 3.0

    pair.defvjp(lambda a: (pair(a), None), lambda _, g: (g[0][:1],))
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"custom_vjp 'pair': bwd's gradient for argument 0 "
                                         r"has shape \(1,\)"):
        pair(a)[1].sum().backward()

    @ag.custom_vjp
    def no_tensor(a):
        return (1, 2)

    no_tensor.defvjp(lambda a: ((1, 2), None), lambda _, g: (None,))
    with pytest.raises(TypeError, match=r"custom_vjp 'no_tensor': the output must be a Tensor "
                                        r"or a pytree of Tensors"):
        no_tensor(a)
