"""A failed ``step()`` changes nothing, and ``skip_nonfinite`` skips non-finite steps.

Every optimizer in ``optim`` is checked: a bad gradient on the *second* parameter
must raise before the first parameter or any state is touched.
"""

import copy

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import optim

OPTIMIZERS = {
    "SGD": lambda ps, **k: optim.SGD(ps, lr=0.1, momentum=0.9, **k),
    "Adam": lambda ps, **k: optim.Adam(ps, lr=0.1, **k),
    "AdamW": lambda ps, **k: optim.AdamW(ps, lr=0.1, amsgrad=True, **k),
    "RMSprop": lambda ps, **k: optim.RMSprop(ps, lr=0.1, momentum=0.5, centered=True, **k),
    "Adagrad": lambda ps, **k: optim.Adagrad(ps, lr=0.1, **k),
}


def test_every_optimizer_is_covered():
    classes = {name for name in optim.__all__
               if isinstance(getattr(optim, name), type)
               and issubclass(getattr(optim, name), optim.Optimizer)} - {"Optimizer"}
    assert classes == set(OPTIMIZERS)


def _params():
    a = ag.tensor([1.0, -2.0], dtype="float64", requires_grad=True)
    b = ag.tensor([0.5, 0.25, -1.0], dtype="float64", requires_grad=True)
    return a, b


def _set_grads(a, b, gb):
    a.grad = ag.tensor([0.3, -0.1], dtype="float64")
    b.grad = gb


def _snapshot(opt, params):
    state = {id(p): copy.deepcopy({k: (v.copy() if hasattr(v, "copy") else v)
                                   for k, v in opt.state.get(p, {}).items()}) for p in params}
    return [p.numpy().copy() for p in params], state


def _assert_same(opt, params, snapshot):
    values, state = snapshot
    for p, v in zip(params, values):
        np.testing.assert_array_equal(p.numpy(), v)
    for p in params:
        now = opt.state.get(p, {})
        assert set(now) == set(state[id(p)])
        for k, v in state[id(p)].items():
            np.testing.assert_array_equal(np.asarray(now[k]), np.asarray(v))


BAD_GRADS = {
    "shape": (lambda: ag.tensor(np.ones(4)), r"shape \(4,\)"),
    "dtype": (lambda: ag.tensor(np.ones(3, dtype=np.int64)), "int64"),
    "not a tensor": (lambda: np.ones(3), "ndarray"),
}


@pytest.mark.parametrize("bad", BAD_GRADS, ids=list(BAD_GRADS))
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_failed_step_changes_no_parameter_and_no_state(name, bad):
    a, b = _params()
    opt = OPTIMIZERS[name]([a, b])
    _set_grads(a, b, ag.tensor([0.1, 0.2, 0.3], dtype="float64"))
    opt.step()  # state exists now: a non-atomic step would advance it
    make_bad, pattern = BAD_GRADS[bad]
    _set_grads(a, b, make_bad())
    before = _snapshot(opt, (a, b))
    with pytest.raises((ValueError, TypeError)) as info:
        opt.step()
    message = str(info.value)
    assert name in message and "parameter 1 of group 0" in message and "(3,)" in message
    assert pytest.importorskip("re").search(pattern, message)
    _assert_same(opt, (a, b), before)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_failed_first_step_creates_no_state(name):
    a, b = _params()
    opt = OPTIMIZERS[name]([a, b])
    _set_grads(a, b, ag.tensor(np.ones(4)))
    with pytest.raises(ValueError):
        opt.step()
    assert not opt.state
    np.testing.assert_array_equal(a.numpy(), [1.0, -2.0])


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_skip_nonfinite_leaves_parameters_and_state_untouched_and_counts(name):
    a, b = _params()
    opt = OPTIMIZERS[name]([a, b], skip_nonfinite=True)
    _set_grads(a, b, ag.tensor([0.1, 0.2, 0.3], dtype="float64"))
    opt.step()
    assert opt.skipped_steps == 0
    before = _snapshot(opt, (a, b))
    for bad in (np.nan, np.inf):
        _set_grads(a, b, ag.tensor([0.1, bad, 0.3], dtype="float64"))
        opt.step()
        _assert_same(opt, (a, b), before)
    assert opt.skipped_steps == 2
    _set_grads(a, b, ag.tensor([0.1, 0.2, 0.3], dtype="float64"))
    opt.step()
    assert not np.array_equal(a.numpy(), before[0][0])
    assert opt.skipped_steps == 2


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_without_skip_nonfinite_a_nan_gradient_is_applied_as_in_pytorch(name):
    a, b = _params()
    opt = OPTIMIZERS[name]([a, b])
    _set_grads(a, b, ag.tensor([0.1, np.nan, 0.3], dtype="float64"))
    opt.step()
    assert np.isnan(b.numpy()[1])
    assert opt.skipped_steps == 0
