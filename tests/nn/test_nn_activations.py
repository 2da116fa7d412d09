"""Activations: values against NumPy references, float64 gradchecks (first and second
order) on hypothesis-drawn shapes, stability at ±1e4, and the module forms."""

import math

import numpy as np
import pytest
from hypothesis import given, settings

import autograd_core as ag
from autograd_core import nn
from autograd_core.nn import functional as F
from nn_strategies import float_arrays

_erf = np.vectorize(math.erf, otypes=[float])


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# name: (function, NumPy reference, kinks to keep away from, smooth enough for gradgradcheck)
SPECS = {
    "sigmoid": (F.sigmoid, _sigmoid, (), True),
    "tanh": (F.tanh, np.tanh, (), True),
    "relu": (F.relu, lambda x: np.maximum(x, 0), (0.0,), True),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.1), lambda x: np.where(x > 0, x, 0.1 * x),
                   (0.0,), True),
    "elu": (lambda x: F.elu(x, 1.5), lambda x: np.where(x > 0, x, 1.5 * np.expm1(x)),
            (0.0,), True),
    "selu": (F.selu, lambda x: 1.0507009873554805 * np.where(
        x > 0, x, 1.6732632423543772 * np.expm1(x)), (0.0,), True),
    "gelu": (F.gelu, lambda x: x * 0.5 * (1 + _erf(x / np.sqrt(2))), (), True),
    "gelu_tanh": (lambda x: F.gelu(x, "tanh"), lambda x: 0.5 * x * (1 + np.tanh(
        np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))), (), True),
    "softplus": (F.softplus, lambda x: np.logaddexp(0, x), (), True),
    "softplus_beta": (lambda x: F.softplus(x, 2.0), lambda x: np.logaddexp(0, 2 * x) / 2, (),
                      True),
    "silu": (F.silu, lambda x: x * _sigmoid(x), (), True),
    "swish_beta": (lambda x: F.swish(x, 1.7), lambda x: x * _sigmoid(1.7 * x), (), True),
    "heaviside": (F.heaviside, lambda x: (x >= 0).astype(x.dtype), (0.0,), False),
    "sign": (F.sign, np.sign, (0.0,), False),
    "softmax": (lambda x: F.softmax(x, -1), None, (), True),
    "log_softmax": (lambda x: F.log_softmax(x, -1), None, (), True),
}


def _softmax_ref(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("name", sorted(SPECS))
@settings(max_examples=8, deadline=None)
@given(data=float_arrays(avoid=(0.0,)))
def test_values_match_numpy(name, data):
    fn, ref, _, _ = SPECS[name]
    if ref is None:
        if data.ndim == 0 or data.size == 0:
            return
        ref = _softmax_ref if name == "softmax" else (lambda x: np.log(_softmax_ref(x)))
    out = fn(ag.tensor(data))
    assert out.shape == data.shape and out.dtype == np.float64
    np.testing.assert_allclose(out.numpy(), ref(data), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(SPECS))
@settings(max_examples=6, deadline=None)
@given(data=float_arrays(avoid=(0.0,)))
def test_gradcheck(name, data):
    fn, _, kinks, _ = SPECS[name]
    if name in ("softmax", "log_softmax") and data.ndim == 0:
        return
    assert ag.gradcheck(fn, (data,))


@pytest.mark.parametrize("name", sorted(n for n, s in SPECS.items() if s[3]))
@settings(max_examples=3, deadline=None)
@given(data=float_arrays(max_dims=2, max_side=3, min_dims=1, min_side=1, avoid=(0.0,)))
def test_gradgradcheck(name, data):
    assert ag.gradgradcheck(SPECS[name][0], (data,))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_finite_value_and_gradient_at_1e4(name):
    fn = SPECS[name][0]
    for dtype in ("float32", "float64"):
        x = ag.tensor(np.array([[-1e4, 1e4, 0.5, -0.5]], dtype=dtype), requires_grad=True)
        out = fn(x)
        (out * ag.tensor(np.array([[1.0, 2.0, 3.0, 4.0]], dtype=dtype))).sum().backward()
        assert np.isfinite(out.numpy()).all(), (name, dtype, out)
        assert np.isfinite(x.grad.numpy()).all(), (name, dtype, x.grad)
        assert out.dtype == np.dtype(dtype)


def test_step_derivative_is_zero_and_conventions_at_zero():
    x = ag.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    y = F.heaviside(x)
    np.testing.assert_array_equal(y.numpy(), [0, 1, 1])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 0, 0])
    np.testing.assert_array_equal(F.heaviside(x, at_zero=0.5).numpy(), [0, 0.5, 1])
    np.testing.assert_array_equal(F.sign(x).numpy(), [-1, 0, 1])
    assert "zero almost everywhere" in F.heaviside.__doc__


def test_derivatives_at_kinks_follow_the_documented_conventions():
    x = ag.tensor([0.0], dtype="float64", requires_grad=True)
    F.relu(x).backward()
    assert x.grad.item() == 0.0
    x.grad = None
    F.leaky_relu(x, 0.2).backward()
    assert x.grad.item() == pytest.approx(0.2)
    x.grad = None
    F.elu(x).backward()  # ELU with alpha=1 is C1: derivative 1 on both sides
    assert x.grad.item() == pytest.approx(1.0)
    x.grad = None
    F.softplus(x).backward()
    assert x.grad.item() == pytest.approx(0.5)


def test_softmax_at_large_logits_is_exact():
    x = ag.tensor(np.array([[1e4, 0.0, -1e4]]))
    np.testing.assert_allclose(F.softmax(x).numpy(), [[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(F.log_softmax(x).numpy(), [[0.0, -1e4, -2e4]])


MODULES = [
    (nn.Heaviside(), F.heaviside), (nn.Step(), F.step), (nn.Sign(), F.sign),
    (nn.Sigmoid(), F.sigmoid), (nn.Tanh(), F.tanh), (nn.ReLU(), F.relu),
    (nn.LeakyReLU(0.3), lambda x: F.leaky_relu(x, 0.3)), (nn.ELU(0.5), lambda x: F.elu(x, 0.5)),
    (nn.SELU(), F.selu), (nn.GELU(), F.gelu), (nn.Softplus(), F.softplus), (nn.SiLU(), F.silu),
    (nn.Swish(), F.swish), (nn.Softmax(0), lambda x: F.softmax(x, 0)),
    (nn.LogSoftmax(), F.log_softmax),
]


@pytest.mark.parametrize("module, fn", MODULES, ids=[type(m).__name__ for m, _ in MODULES])
def test_modules_match_functions(module, fn):
    x = ag.randn(3, 4)
    np.testing.assert_array_equal(module(x).numpy(), fn(x).numpy())
    assert list(module.parameters()) == []


def test_get_activation():
    assert isinstance(nn.get_activation("relu"), nn.ReLU)
    assert isinstance(nn.get_activation(nn.Tanh), nn.Tanh)
    assert nn.get_activation(None) is None
    with pytest.raises(ValueError, match="unknown activation 'relux'"):
        nn.get_activation("relux")
