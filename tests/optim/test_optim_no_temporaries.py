"""Updates write into a reused scratch array: no temporary per parameter, and the same bits
as the expressions they replace (``theta -= lr * g`` and friends) written out in NumPy."""

import math
import tracemalloc

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import optim

SHAPES = [(300, 200), (200,), (200, 10), (10,)]


def _params_and_grads(seed=0, steps=4):
    rng = np.random.default_rng(seed)
    params = [ag.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True)
              for s in SHAPES]
    grads = [[rng.standard_normal(s).astype(np.float32) for s in SHAPES] for _ in range(steps)]
    return params, grads


def _sgd_expression(theta, grads, lr, momentum=0.0, dampening=0.0, nesterov=False,
                    weight_decay=0.0):
    """The update as it was written before the scratch array: NumPy in-place steps and
    expressions, one new array per product (``theta -= lr * g``)."""
    theta = [t.copy() for t in theta]
    bufs = [None] * len(theta)
    for step in grads:
        for i, g in enumerate(step):
            owned = False
            if weight_decay:
                g = theta[i] * weight_decay
                g += step[i]
                owned = True
            if momentum:
                if bufs[i] is None:
                    bufs[i] = g if owned else g.copy()
                    owned = False
                else:
                    bufs[i] *= momentum
                    bufs[i] += g if dampening == 0 else (1.0 - dampening) * g
                if nesterov:
                    g = g + momentum * bufs[i]
                    owned = True
                else:
                    g = bufs[i]
                    owned = False
            if owned:
                g *= lr
                theta[i] -= g
            else:
                theta[i] -= lr * g
    return theta


SGD_CASES = [dict(lr=0.1), dict(lr=0.1, momentum=0.9), dict(lr=0.1, momentum=0.9, dampening=0.3),
             dict(lr=0.05, momentum=0.9, nesterov=True), dict(lr=0.1, weight_decay=0.01),
             dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1),
             dict(lr=np.float64(0.1)),  # a NumPy scalar promotes the product to float64
             dict(lr=np.float32(0.1), momentum=np.float64(0.9), nesterov=True)]


@pytest.mark.parametrize("hyper", SGD_CASES, ids=[str(c) for c in SGD_CASES])
def test_sgd_is_bit_identical_to_the_expression(hyper):
    params, grads = _params_and_grads()
    expected = _sgd_expression([p.data for p in params], grads, **hyper)
    opt = optim.SGD(params, **hyper)
    for step in grads:
        for p, g in zip(params, step):
            p.grad = ag.tensor(g)
        opt.step()
    for p, e in zip(params, expected):
        np.testing.assert_array_equal(p.data, e)


def _adam_expression(theta, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    theta = [t.copy() for t in theta]
    m = [np.zeros_like(t) for t in theta]
    v = [np.zeros_like(t) for t in theta]
    for t, step in enumerate(grads, start=1):
        for i, g in enumerate(step):
            m[i] = m[i] * betas[0] + g * (1.0 - betas[0])
            v[i] = v[i] * betas[1] + g * g * (1.0 - betas[1])
            denom = np.sqrt(v[i]) / math.sqrt(1.0 - betas[1] ** t) + eps
            theta[i] = theta[i] - m[i] / denom * (lr / (1.0 - betas[0] ** t))
    return theta


def _rmsprop_expression(theta, grads, lr=1e-2, alpha=0.99, eps=1e-8):
    theta = [t.copy() for t in theta]
    v = [np.zeros_like(t) for t in theta]
    for step in grads:
        for i, g in enumerate(step):
            v[i] = v[i] * alpha + g * g * (1.0 - alpha)
            theta[i] = theta[i] - g / (np.sqrt(v[i]) + eps) * lr
    return theta


def _adagrad_expression(theta, grads, lr=1e-2, eps=1e-10):
    theta = [t.copy() for t in theta]
    s = [np.zeros_like(t) for t in theta]
    for step in grads:
        for i, g in enumerate(step):
            s[i] = s[i] + g * g
            theta[i] = theta[i] - g / (np.sqrt(s[i]) + eps) * lr
    return theta


@pytest.mark.parametrize("name, expression", [("Adam", _adam_expression),
                                              ("RMSprop", _rmsprop_expression),
                                              ("Adagrad", _adagrad_expression)])
def test_adaptive_optimizers_are_bit_identical_to_the_expression(name, expression):
    params, grads = _params_and_grads(seed=1)
    expected = expression([p.data for p in params], grads)
    opt = getattr(optim, name)(params)
    for step in grads:
        for p, g in zip(params, step):
            p.grad = ag.tensor(g)
        opt.step()
    for p, e in zip(params, expected):
        np.testing.assert_array_equal(p.data, e)


@pytest.mark.parametrize("name, hyper", [("SGD", dict(lr=0.1)),
                                         ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1)),
                                         ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
                                         ("Adam", {}), ("RMSprop", {}), ("Adagrad", {})])
def test_step_allocates_no_temporary_per_parameter(name, hyper):
    params, grads = _params_and_grads(steps=1)
    for p, g in zip(params, grads[0]):
        p.grad = ag.tensor(g)
    opt = getattr(optim, name)(params, **hyper)
    opt.step()
    opt.step()  # state and scratch exist now
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        opt.step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    largest = max(p.data.nbytes for p in params)
    assert peak - before < largest // 4, (peak - before, largest)


def test_scratch_is_not_state():
    params, grads = _params_and_grads(steps=1)
    for p, g in zip(params, grads[0]):
        p.grad = ag.tensor(g)
    opt = optim.SGD(params, lr=0.1)
    opt.step()
    assert opt.state_dict()["state"] == {}
