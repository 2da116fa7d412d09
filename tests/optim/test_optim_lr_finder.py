"""The learning-rate finder: exponential schedule, restored weights, a sensible suggestion."""

import sys

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import optim


def _regression(n=64, d=3, seed=0, batch=16):
    """Linear-regression batches and the steepest stable SGD rate 2 / lambda_max."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.standard_normal(n)
    batches = [(ag.tensor(X[i:i + batch]), ag.tensor(y[i:i + batch])) for i in range(0, n, batch)]
    lambda_max = np.linalg.eigvalsh(2 * X.T @ X / n).max()
    return batches, 2 / lambda_max


def _linear_model(d=3):
    w = ag.tensor(np.zeros(d), requires_grad=True)
    b = ag.tensor(np.zeros(1), requires_grad=True)
    return [w, b], (lambda x: x @ w + b)


def mse(out, y):
    return ag.mean((out - y) ** 2)


def test_find_lr_with_parameters_and_forward():
    data, stable_lr = _regression()
    params, forward = _linear_model()
    with ag.no_grad():
        params[0][:] = ag.tensor(np.array([0.3, 0.2, 0.1]))
    before = [p.numpy().copy() for p in params]
    versions = [p._version for p in params]
    result = optim.find_lr(params, mse, data, start_lr=1e-4, end_lr=100.0, num_iter=120,
                           forward=forward)
    # the weights are restored, and their version bumped (they were written in place)
    for p, b, v in zip(params, before, versions):
        np.testing.assert_array_equal(p.numpy(), b)
        assert p._version > v and p.grad is None
    # exponential schedule from start_lr, stopped early when the loss blew up
    lrs = np.array(result.lrs)
    assert lrs[0] == 1e-4 and 10 < len(lrs) < 120
    np.testing.assert_allclose(lrs[1:] / lrs[:-1], (100.0 / 1e-4) ** (1 / 119))
    assert len(result.losses) == len(result.raw_losses) == len(lrs)
    assert result.losses[-1] > 4 * min(result.losses) or not np.isfinite(result.losses[-1])
    # smoothed losses: bias-corrected EMA of the raw ones
    avg = 0.0
    for i, (raw, smooth) in enumerate(zip(result.raw_losses, result.losses)):
        avg = 0.98 * avg + 0.02 * raw
        assert smooth == pytest.approx(avg / (1 - 0.98 ** (i + 1)))
    # the suggestion is a tenth of the rate at the minimum, below the divergence point
    best = int(np.argmin(result.losses))
    assert result.suggested_lr == pytest.approx(lrs[best] / 10)
    assert stable_lr / 100 < result.suggested_lr < stable_lr
    assert result["suggested_lr"] == result.suggested_lr


def test_find_lr_cycles_short_data_and_keeps_grads():
    data, _ = _regression(n=32)  # 2 batches
    params, forward = _linear_model()
    grads = [ag.tensor(np.ones(p.shape)) for p in params]
    for p, g in zip(params, grads):
        p.grad = g
    result = optim.find_lr(params, mse, data, start_lr=1e-5, end_lr=1e-3, num_iter=30,
                           forward=forward)
    assert len(result.lrs) == 30 and result.lrs[-1] == pytest.approx(1e-3)
    assert all(p.grad is g for p, g in zip(params, grads))


def test_find_lr_one_shot_iterator_stops_when_exhausted():
    data, _ = _regression(n=64)
    params, forward = _linear_model()
    result = optim.find_lr(params, mse, iter(data), num_iter=50, forward=forward)
    assert len(result.lrs) == 4


def test_find_lr_restores_weights_after_an_error():
    data, _ = _regression()
    params, forward = _linear_model()
    calls = []

    def failing_loss(out, y):
        calls.append(1)
        if len(calls) == 5:
            raise KeyError("boom")
        return mse(out, y)

    with pytest.raises(KeyError):
        optim.find_lr(params, failing_loss, data, num_iter=20, forward=forward)
    assert all(np.all(p.numpy() == 0) for p in params)


def test_find_lr_with_optimizer_factory():
    data, _ = _regression()
    params, forward = _linear_model()
    made = []

    def factory(ps, lr):
        made.append(optim.Adam(ps, lr=lr))
        return made[-1]

    result = optim.find_lr(params, mse, data, num_iter=40, forward=forward,
                           optimizer_factory=factory)
    assert len(made) == 1 and made[0].param_groups[0]["lr"] == result.lrs[-1]
    assert result.suggested_lr is not None


def test_find_lr_with_an_nn_module():
    nn = pytest.importorskip("nn")
    if not hasattr(nn, "MLP"):
        pytest.skip("nn.MLP not written yet")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((96, 4))
    labels = (X[:, 0] + X[:, 1] > 0).astype(np.int64) + (X[:, 2] > 1).astype(np.int64)
    data = [(ag.tensor(X[i:i + 32], dtype="float32"), labels[i:i + 32]) for i in range(0, 96, 32)]
    model = nn.MLP(4, [16], 3, generator=0)
    before = [p.numpy().copy() for p in model.parameters()]
    result = optim.find_lr(model, nn.functional.cross_entropy, data, num_iter=200)
    for p, b in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.numpy(), b)
    assert 1e-4 < result.suggested_lr < 10


def test_find_lr_errors():
    data, _ = _regression()
    params, forward = _linear_model()
    with pytest.raises(TypeError, match="forward="):
        optim.find_lr(params, mse, data)
    with pytest.raises(ValueError, match="start_lr"):
        optim.find_lr(params, mse, data, start_lr=1.0, end_lr=0.1, forward=forward)
    with pytest.raises(ValueError, match="num_iter"):
        optim.find_lr(params, mse, data, num_iter=1, forward=forward)
    with pytest.raises(ValueError, match="no batches"):
        optim.find_lr(params, mse, [], forward=forward)


def test_plot_without_matplotlib_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = optim.LRFinderResult(lrs=[1e-3, 1e-2], losses=[1.0, 0.5], raw_losses=[1.0, 0.5],
                                  suggested_lr=1e-3)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        result.plot()


def test_plot_with_matplotlib(tmp_path):
    pytest.importorskip("matplotlib")
    result = optim.LRFinderResult(lrs=[1e-3, 1e-2], losses=[1.0, 0.5], raw_losses=[1.0, 0.5],
                                  suggested_lr=1e-3)
    result.plot(tmp_path / "lr.png")
    assert (tmp_path / "lr.png").stat().st_size > 0
