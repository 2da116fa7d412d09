"""Bad arguments raise clear errors naming the problem."""

import pytest

import autograd_core as ag
from autograd_core import optim


def _param():
    return ag.tensor([1.0, 2.0], requires_grad=True)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_negative_learning_rate(name):
    with pytest.raises(ValueError, match="invalid lr -0.1"):
        getattr(optim, name)([_param()], lr=-0.1)


@pytest.mark.parametrize("betas", [(1.0, 0.999), (0.9, 1.0), (-0.1, 0.9), (0.9, 1.5), (0.9,)])
@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_betas_outside_unit_interval(name, betas):
    with pytest.raises(ValueError, match="betas"):
        getattr(optim, name)([_param()], betas=betas)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_empty_parameter_list(name):
    with pytest.raises(ValueError, match="empty parameter list"):
        getattr(optim, name)([])
    with pytest.raises(ValueError, match="empty parameter list"):
        getattr(optim, name)(iter([]))


def test_parameter_passed_twice():
    p, q = _param(), _param()
    with pytest.raises(ValueError, match="more than once"):
        optim.SGD([p, q, p], lr=0.1)
    with pytest.raises(ValueError, match="more than once"):
        optim.Adam([{"params": [p]}, {"params": [q, p]}])
    opt = optim.Adam([p])
    with pytest.raises(ValueError, match="more than once"):
        opt.add_param_group({"params": [p]})


def test_other_bad_parameters():
    with pytest.raises(TypeError, match="single Tensor"):
        optim.SGD(_param(), lr=0.1)
    with pytest.raises(TypeError, match="item 1 .* is a list"):
        optim.SGD([_param(), [1.0]], lr=0.1)
    leaf = _param()
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([leaf * 2], lr=0.1)
    with pytest.raises(TypeError, match="unknown hyperparameter"):
        optim.SGD([{"params": [leaf], "betas": (0.9, 0.99)}], lr=0.1)
    with pytest.raises(ValueError, match="'params' key"):
        optim.SGD([{"lr": 0.1}], lr=0.1)


@pytest.mark.parametrize("make", [
    lambda p: optim.SGD([p], lr=0.1, momentum=-0.5),
    lambda p: optim.SGD([p], lr=0.1, nesterov=True),
    lambda p: optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
    lambda p: optim.SGD([p], lr=float("nan")),
    lambda p: optim.Adam([p], eps=-1e-8),
    lambda p: optim.Adam([p], weight_decay=-0.1),
    lambda p: optim.RMSprop([p], alpha=1.5),
    lambda p: optim.RMSprop([p], momentum=-1),
    lambda p: optim.Adagrad([p], lr_decay=-0.1),
    lambda p: optim.Adagrad([p], initial_accumulator_value=-1),
], ids=["momentum", "nesterov-no-momentum", "nesterov-dampening", "nan-lr", "eps", "wd",
        "alpha", "rms-momentum", "lr_decay", "accumulator"])
def test_bad_hyperparameters(make):
    with pytest.raises(ValueError):
        make(_param())
