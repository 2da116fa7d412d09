"""The optimizers, clipping and the finder on CuPy arrays give the CPU's results."""

import pickle

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import optim
from _optim_helpers import make_params, mlp_loss, run
from _optim_reference import mlp_problem

pytestmark = [pytest.mark.gpu,
              pytest.mark.skipif(not ag.cupy_available(), reason="needs CuPy and a CUDA device")]

CASES = [
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.01)),
    ("AdamW", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1)),
]


def _train(name, hyper, device, steps=40, dtype=np.float64):
    X, onehot, weights = mlp_problem()
    params = make_params(weights, dtype=dtype, device=device)
    opt = getattr(optim, name)(params, **hyper)
    run(opt, params, mlp_loss(X.astype(dtype), onehot.astype(dtype), device=device), steps)
    return params, opt


@pytest.mark.parametrize("name,hyper", CASES, ids=[c[0] for c in CASES])
def test_cuda_matches_cpu(name, hyper):
    cpu, _ = _train(name, hyper, "cpu")
    gpu, opt = _train(name, hyper, "cuda")
    for c, g in zip(cpu, gpu):
        assert g.device.startswith("cuda")
        np.testing.assert_allclose(g.numpy(), c.numpy(), rtol=0, atol=1e-10)
    # a GPU checkpoint loads into a CPU optimizer
    sd = pickle.loads(pickle.dumps(opt.state_dict()))
    params = make_params([g.numpy() for g in gpu])
    getattr(optim, name)(params, **hyper).load_state_dict(sd)


def test_float32_flush_on_cuda():
    _, opt = _train("Adam", dict(lr=0.01), "cuda", steps=optim.optimizer.FLUSH_EVERY,
                    dtype=np.float32)
    for st in opt.state.values():
        assert st["exp_avg"].dtype == np.float32


def test_clip_and_find_lr_on_cuda():
    p = ag.tensor(np.zeros(3), requires_grad=True, device="cuda")
    p.grad = ag.tensor(np.array([3.0, 4.0, 0.0]), device="cuda")
    assert optim.clip_grad_norm_([p], 1.0).item() == pytest.approx(5.0)
    np.testing.assert_allclose(p.grad.numpy(), [0.6, 0.8, 0.0], rtol=1e-6)
    optim.clip_grad_value_([p], 0.7)
    np.testing.assert_allclose(p.grad.numpy(), [0.6, 0.7, 0.0], rtol=1e-6)

    rng = np.random.default_rng(0)
    X = rng.standard_normal((32, 3))
    y = X @ np.array([1.0, -2.0, 0.5])
    data = [(ag.tensor(X, device="cuda"), ag.tensor(y, device="cuda"))]
    w = ag.tensor(np.zeros(3), requires_grad=True, device="cuda")
    result = optim.find_lr([w], lambda out, t: ag.mean((out - t) ** 2), data, num_iter=60,
                           forward=lambda x: x @ w)
    assert result.suggested_lr is not None
    np.testing.assert_array_equal(w.numpy(), 0.0)
