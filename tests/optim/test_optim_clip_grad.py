"""Gradient clipping against direct norm computations."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.optim import clip_grad_norm_, clip_grad_value_


def _params_with_grads(scale=1.0, seed=0):
    rng = np.random.default_rng(seed)
    params = []
    for shape in [(3, 4), (4,), (2, 2, 2)]:
        p = ag.tensor(rng.standard_normal(shape), requires_grad=True)
        p.grad = ag.tensor(rng.standard_normal(shape) * scale)
        params.append(p)
    return params


def _flat(params):
    return np.concatenate([p.grad.numpy().ravel() for p in params])


@pytest.mark.parametrize("norm_type", [1.0, 2.0, 3.0, float("inf")])
def test_clip_grad_norm_clips(norm_type):
    params = _params_with_grads(scale=10.0)
    before = _flat(params)
    old_grads = [p.grad for p in params]
    old_copies = [g.numpy().copy() for g in old_grads]
    expected = np.linalg.norm(before, ord=norm_type)
    total = clip_grad_norm_(params, max_norm=1.5, norm_type=norm_type)
    assert isinstance(total, ag.Tensor)
    assert total.item() == pytest.approx(expected, rel=1e-12)
    after = _flat(params)
    np.testing.assert_allclose(after, before * 1.5 / (expected + 1e-6), rtol=1e-12)
    assert np.linalg.norm(after, ord=norm_type) == pytest.approx(1.5, rel=1e-5)
    for grad, copy in zip(old_grads, old_copies):  # old gradients were not changed in place
        np.testing.assert_array_equal(grad.numpy(), copy)


def test_clip_grad_norm_below_the_limit_changes_nothing():
    params = _params_with_grads(scale=0.01)
    before = [p.grad for p in params]
    total = clip_grad_norm_(params, max_norm=100.0)
    assert total.item() == pytest.approx(np.linalg.norm(_flat(params)))
    assert all(p.grad is g for p, g in zip(params, before))


def test_clip_grad_norm_skips_missing_grads_and_takes_a_single_tensor():
    params = _params_with_grads(scale=5.0)
    params[1].grad = None
    expected = np.linalg.norm(_flat([params[0], params[2]]))
    assert clip_grad_norm_(params, 1.0).item() == pytest.approx(expected)
    single = _params_with_grads()[0]
    assert clip_grad_norm_(single, 1e9).item() == pytest.approx(np.linalg.norm(single.grad.numpy()))
    assert clip_grad_norm_([ag.tensor([1.0], requires_grad=True)], 1.0).item() == 0.0


def test_clip_grad_norm_float32():
    p = ag.tensor(np.ones(4, np.float32), requires_grad=True)
    p.grad = ag.tensor(np.full(4, 3.0, np.float32))
    assert clip_grad_norm_([p], 1.0).item() == pytest.approx(6.0)
    assert p.grad.dtype == np.float32
    np.testing.assert_allclose(p.grad.numpy(), 0.5, rtol=1e-6)


def test_clip_grad_norm_nonfinite():
    params = _params_with_grads()
    params[0].grad = ag.tensor(np.array([[np.inf, 0, 0, 0]] * 3))
    with pytest.raises(RuntimeError, match="error_if_nonfinite"):
        clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    with np.errstate(invalid="ignore"):  # inf * 0 -> NaN, as in PyTorch
        assert clip_grad_norm_(params, 1.0).item() == np.inf
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm_(params, -1.0)
    with pytest.raises(ValueError, match="norm_type"):
        clip_grad_norm_(params, 1.0, norm_type=0)
    with pytest.raises(TypeError, match="Tensors"):
        clip_grad_norm_([np.ones(3)], 1.0)


def test_clip_grad_value():
    params = _params_with_grads(scale=2.0)
    before = [p.grad.numpy().copy() for p in params]
    old_grads = [p.grad for p in params]
    clip_grad_value_(params, 0.5)
    for p, b, old in zip(params, before, old_grads):
        np.testing.assert_array_equal(p.grad.numpy(), np.clip(b, -0.5, 0.5))
        np.testing.assert_array_equal(old.numpy(), b)
    with pytest.raises(ValueError, match="clip_value"):
        clip_grad_value_(params, -1)
