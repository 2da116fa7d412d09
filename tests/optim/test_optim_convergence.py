"""Convergence on the Rosenbrock function, and no denormals left in running averages."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import optim
from autograd_core.optim.optimizer import FLUSH_EVERY


def rosenbrock(x, y):
    """``(1 - x)^2 + 100 (y - x^2)^2``, minimum 0 at (1, 1); x and y of shape (1,)."""
    return ((1 - x) ** 2 + 100 * (y - x * x) ** 2).sum()


@pytest.mark.parametrize("make,steps", [
    (lambda ps: optim.Adam(ps, lr=0.05), 2500),
    (lambda ps: optim.SGD(ps, lr=5e-4, momentum=0.9), 4000),
    (lambda ps: optim.SGD(ps, lr=5e-4, momentum=0.9, nesterov=True), 4000),
], ids=["Adam", "SGD-momentum", "SGD-nesterov"])
def test_rosenbrock(make, steps):
    x = ag.tensor(np.array([-1.5]), requires_grad=True)
    y = ag.tensor(np.array([2.0]), requires_grad=True)
    opt = make([x, y])
    for _ in range(steps):
        opt.zero_grad()
        rosenbrock(x, y).backward()
        opt.step()
    np.testing.assert_allclose([x.item(), y.item()], [1.0, 1.0], atol=1e-2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("make", [
    lambda p: optim.Adam([p], lr=0.1, amsgrad=True),
    lambda p: optim.AdamW([p], lr=0.1),
    lambda p: optim.RMSprop([p], lr=0.1, momentum=0.9, centered=True),
], ids=["Adam", "AdamW", "RMSprop"])
def test_running_averages_are_flushed_of_denormals(make, dtype):
    """A parameter whose gradient became zero does not keep denormal averages."""
    p = ag.tensor(np.array([1.0, 1.0], dtype=dtype), requires_grad=True)
    opt = make(p)
    tiny = np.finfo(dtype).tiny
    for step in range(1, 3 * FLUSH_EVERY + 1):
        p.grad = ag.tensor(np.array([1.0, 0.0], dtype=dtype))
        opt.step()
        if step == 1:  # plant denormals in every state array, in the zero-gradient entry
            for value in opt.state[p].values():
                if hasattr(value, "shape"):
                    value[1] = tiny / 4
        state = [ag.tensor(v).numpy() for v in opt.state[p].values() if hasattr(v, "shape")]
        if step % FLUSH_EVERY == 0:
            for array in state:
                assert array[1] == 0, step
                assert not np.any((array != 0) & (np.abs(array) < tiny))
    assert np.isfinite(p.numpy()).all()


def test_flush_keeps_nan_and_inf():
    from autograd_core.optim.optimizer import flush_denormals_

    a = np.array([1e-310, -1e-310, np.nan, np.inf, -2.0, 3e-300])
    flush_denormals_(np, a)
    assert a[0] == 0 and a[1] == 0 and np.isnan(a[2]) and a[3] == np.inf
    assert a[4] == -2.0 and a[5] == 3e-300


def test_centered_rmsprop_with_a_constant_gradient_stays_finite():
    """v - g_avg^2 rounds below zero after many equal gradients; it must not give NaN."""
    p = ag.tensor(np.ones(1000, np.float32), requires_grad=True)
    opt = optim.RMSprop([p], lr=1e-4, centered=True)
    grad = ag.tensor(np.random.default_rng(0).standard_normal(1000).astype(np.float32))
    with np.errstate(invalid="raise"):
        for _ in range(1500):  # the first negative comes near step 1100
            p.grad = grad
            opt.step()
    assert np.isfinite(p.numpy()).all()
