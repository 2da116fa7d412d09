"""Checkpoints: a run resumed from state dicts equals an uninterrupted one, bit for bit."""

import pickle

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import optim
from _optim_helpers import make_params, mlp_loss, run
from _optim_reference import mlp_problem
from autograd_core.optim import lr_scheduler

CASES = [
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.01)),
    ("AdamW", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
]


def _setup(name, hyper, arrays):
    params = make_params(arrays)
    opt = getattr(optim, name)([{"params": params[:2]}, {"params": params[2:], "lr": 0.005}],
                               **hyper)
    return params, opt, lr_scheduler.StepLR(opt, step_size=7, gamma=0.5)


def _train(params, opt, sched, loss_fn, steps):
    for _ in range(steps):
        run(opt, params, loss_fn, 1)
        sched.step()


@pytest.mark.parametrize("name,hyper", CASES, ids=[c[0] for c in CASES])
def test_resume_is_bit_identical(name, hyper):
    X, onehot, weights = mlp_problem(seed=1)
    loss_fn = mlp_loss(X, onehot)

    params, opt, sched = _setup(name, hyper, weights)
    _train(params, opt, sched, loss_fn, 45)  # crosses a denormal flush at step 32
    uninterrupted = [p.numpy().copy() for p in params]

    params, opt, sched = _setup(name, hyper, weights)
    _train(params, opt, sched, loss_fn, 20)
    checkpoint = pickle.dumps({"params": [p.numpy() for p in params], "opt": opt.state_dict(),
                               "sched": sched.state_dict()})
    _train(params, opt, sched, loss_fn, 3)  # work after the checkpoint is discarded
    del params, opt, sched

    saved = pickle.loads(checkpoint)
    params, opt, sched = _setup(name, hyper, saved["params"])
    opt.load_state_dict(saved["opt"])
    sched.load_state_dict(saved["sched"])
    _train(params, opt, sched, loss_fn, 25)
    for p, expected in zip(params, uninterrupted):
        np.testing.assert_array_equal(p.numpy(), expected)


def test_state_dict_is_a_snapshot():
    (x,) = make_params([[1.0, 2.0]])
    opt = optim.Adam([x], lr=0.1)
    run(opt, [x], lambda ps: (ps[0] * ps[0]).sum(), 2)
    sd = opt.state_dict()
    m = ag.tensor(sd["state"][0]["exp_avg"]).numpy().copy()
    run(opt, [x], lambda ps: (ps[0] * ps[0]).sum(), 2)
    np.testing.assert_array_equal(ag.tensor(sd["state"][0]["exp_avg"]).numpy(), m)
    assert sd["state"][0]["step"] == 2
    assert sd["optimizer"] == "Adam"
    assert sd["param_groups"][0]["params"] == [0]


def test_load_restores_hyperparameters_and_casts_state():
    (x,) = make_params([[1.0, 2.0]])
    opt = optim.SGD([x], lr=0.1, momentum=0.9)
    run(opt, [x], lambda ps: (ps[0] * ps[0]).sum(), 1)
    opt.param_groups[0]["lr"] = 0.01
    sd = opt.state_dict()
    (y,) = make_params([[1.0, 2.0]], dtype=np.float32)
    other = optim.SGD([y], lr=0.5, momentum=0.9)
    other.load_state_dict(sd)
    assert other.param_groups[0]["lr"] == 0.01
    assert other.param_groups[0]["params"] == [y]
    assert other.state[y]["momentum_buffer"].dtype == np.float32


def test_load_rejects_a_different_optimizer():
    (x,) = make_params([[1.0, 2.0]])
    sgd = optim.SGD([x], lr=0.1, momentum=0.9)
    run(sgd, [x], lambda ps: (ps[0] * ps[0]).sum(), 1)
    with pytest.raises(ValueError, match="saved by SGD, not Adam"):
        optim.Adam([x]).load_state_dict(sgd.state_dict())
    with pytest.raises(ValueError, match="saved by SGD, not AdamW"):
        optim.AdamW([x]).load_state_dict(sgd.state_dict())


def test_load_rejects_a_different_model():
    x, y = make_params([[1.0, 2.0], [3.0]])
    opt = optim.Adam([x], lr=0.1)
    run(opt, [x], lambda ps: (ps[0] * ps[0]).sum(), 1)
    sd = opt.state_dict()
    with pytest.raises(ValueError, match="shape"):
        optim.Adam([y]).load_state_dict(sd)
    with pytest.raises(ValueError, match="group 0 has 1 parameter"):
        optim.Adam([x, y]).load_state_dict(sd)
    with pytest.raises(ValueError, match="1 parameter group"):
        optim.Adam([{"params": [x]}, {"params": [y]}]).load_state_dict(sd)
    with pytest.raises(ValueError, match="expected a dict"):
        optim.Adam([x]).load_state_dict({"state": {}})
