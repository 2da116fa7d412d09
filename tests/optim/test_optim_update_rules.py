"""Each optimizer and option combination against a plain-NumPy reference of its update rule."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import optim
from _optim_helpers import make_params, mlp_loss, quadratic_loss, run
from _optim_reference import (DEFAULTS, RULES, mlp_grad, mlp_problem, quadratic_grad,
                              quadratic_problem, reference_run)

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.3)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.1, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1)),
    ("Adam", dict()),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, weight_decay=0.1)),
    ("Adam", dict(lr=0.1, betas=(0.9, 0.8), amsgrad=True)),
    ("Adam", dict(lr=0.01, betas=(0.5, 0.9), eps=1e-6, amsgrad=True, weight_decay=0.05)),
    ("AdamW", dict()),
    ("AdamW", dict(lr=0.01, weight_decay=0.1)),
    ("AdamW", dict(lr=0.02, betas=(0.8, 0.95), weight_decay=0.1, amsgrad=True)),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.01, momentum=0.9)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("RMSprop", dict(lr=0.005, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.5,
                     centered=True)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
    ("Adagrad", dict(lr=0.1, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-6)),
]
STEPS = 12


def _id(case):
    name, hyper = case
    return name + ("(" + ",".join(f"{k}={v}" for k, v in hyper.items()) + ")" if hyper else "")


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_matches_reference(case, problem):
    name, hyper = case
    arrays, loss_fn, grad_fn = problem
    params = make_params(arrays)
    run(getattr(optim, name)(params, **hyper), params, loss_fn, STEPS)
    expected = reference_run(name, hyper, arrays, grad_fn, STEPS)
    for p, e in zip(params, expected):
        np.testing.assert_allclose(p.numpy(), e, rtol=0, atol=1e-6)
    # the run really moved the parameters
    assert any(not np.allclose(p.numpy(), a) for p, a in zip(params, arrays))


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_defaults_are_pytorchs(name):
    opt = getattr(optim, name)([ag.tensor([1.0], requires_grad=True)])
    for key, value in DEFAULTS[name].items():
        assert opt.param_groups[0][key] == value, key


def test_amsgrad_changes_the_trajectory():
    """The reference cases with amsgrad are not accidentally equal to plain Adam."""
    A, b, x0 = quadratic_problem()
    grad = quadratic_grad(A, b)
    plain = reference_run("Adam", dict(lr=0.1, betas=(0.9, 0.8)), [x0], grad, STEPS)[0]
    ams = reference_run("Adam", dict(lr=0.1, betas=(0.9, 0.8), amsgrad=True), [x0], grad,
                        STEPS)[0]
    assert np.abs(plain - ams).max() > 1e-3


def test_per_group_hyperparameters():
    X, onehot, arrays = mlp_problem()
    loss_fn, grad_fn = mlp_loss(X, onehot), mlp_grad(X, onehot)
    params = make_params(arrays)
    groups = [{"params": params[:2], "lr": 0.05, "momentum": 0.5}, {"params": params[2:]}]
    run(optim.SGD(groups, lr=0.2, momentum=0.9), params, loss_fn, STEPS)

    # the reference runs all parameters together, each with its group's hyperparameters
    hypers = [dict(lr=0.05, momentum=0.5)] * 2 + [dict(lr=0.2, momentum=0.9)] * 2
    ref = [a.copy() for a in arrays]
    states = [{} for _ in ref]
    for t in range(1, STEPS + 1):
        grads = grad_fn(ref)
        ref = [RULES["SGD"](p, g, s, t, **dict(DEFAULTS["SGD"], **h))
               for p, g, s, h in zip(ref, grads, states, hypers)]
    for p, e in zip(params, ref):
        np.testing.assert_allclose(p.numpy(), e, rtol=0, atol=1e-6)


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_float32_parameters_stay_float32(name):
    A, b, x0 = quadratic_problem()
    (x,) = make_params([x0], dtype=np.float32)
    A32, b32 = A.astype(np.float32), b.astype(np.float32)
    opt = getattr(optim, name)([x], lr=0.01)
    run(opt, [x], quadratic_loss(A32, b32), 3)
    assert x.dtype == np.float32
    assert all(v.dtype == np.float32 for v in opt.state.get(x, {}).values() if hasattr(v, "dtype"))


def test_parameters_without_grad_are_skipped():
    x, y = make_params([[1.0, 2.0], [3.0]])
    opt = optim.Adam([x, y], lr=0.1)
    (x * x).sum().backward()
    opt.step()
    assert y.tolist() == [3.0] and y not in opt.state
    assert opt.state[x]["step"] == 1


def test_step_bumps_version_so_stale_graphs_raise():
    (x,) = make_params([[1.0, 2.0]])
    opt = optim.SGD([x], lr=0.1)
    stale = (x * x).sum()
    (x * x).sum().backward()
    opt.step()
    with pytest.raises(RuntimeError, match="modified in place"):
        stale.backward()


def test_step_records_no_graph_and_keeps_grad_arrays():
    (x,) = make_params([[1.0, -2.0]])
    opt = optim.Adam([x], lr=0.1, weight_decay=0.1)
    (x * x).sum().backward()
    grad = x.grad
    grad_before = grad.numpy().copy()
    opt.step()
    assert x.is_leaf and x.node is None
    np.testing.assert_array_equal(grad.numpy(), grad_before)  # the gradient was not touched


def test_zero_grad():
    (x,) = make_params([[1.0, 2.0]])
    opt = optim.SGD([x], lr=0.1)
    (x * x).sum().backward()
    old = x.grad
    opt.zero_grad(set_to_none=False)
    assert x.grad is not old and x.grad.tolist() == [0.0, 0.0]
    assert old.tolist() == [2.0, 4.0]  # rebound, not zeroed in place
    opt.zero_grad()
    assert x.grad is None


def test_step_with_closure():
    (x,) = make_params([[1.0, 2.0]])
    opt = optim.SGD([x], lr=0.5)

    def closure():
        opt.zero_grad()
        loss = (x * x).sum()
        loss.backward()
        return loss

    with ag.no_grad():  # the closure still records its graph
        loss = opt.step(closure)
    assert loss.item() == 5.0
    assert x.tolist() == [0.0, 0.0]


def test_add_param_group_and_repr():
    x, y = make_params([[1.0], [2.0]])
    opt = optim.Adam([x], lr=0.1)
    opt.add_param_group({"params": [y], "lr": 0.01})
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    assert opt.param_groups[1]["betas"] == (0.9, 0.999)
    assert "Parameter Group 1" in repr(opt)
