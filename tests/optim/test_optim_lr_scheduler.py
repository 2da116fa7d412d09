"""Scheduler values over epochs against their closed forms."""

import math

import pytest

import autograd_core as ag
from autograd_core import optim
from autograd_core.optim import lr_scheduler


def _opt(lrs=(0.1,), cls=optim.SGD, **kwargs):
    groups = [{"params": [ag.tensor([1.0], requires_grad=True)], "lr": lr} for lr in lrs]
    return cls(groups, **kwargs)


def _trace(sched, epochs):
    """The group rates at epochs 0..epochs-1 (stepping after reading each)."""
    values = []
    for _ in range(epochs):
        values.append([g["lr"] for g in sched.optimizer.param_groups])
        assert sched.get_last_lr() == values[-1]
        sched.step()
    return values


def _close(actual, expected):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        assert a == pytest.approx(e, rel=1e-12, abs=1e-15)


def test_step_lr():
    sched = lr_scheduler.StepLR(_opt((0.1, 0.02)), step_size=3, gamma=0.5)
    _close(_trace(sched, 12), [[b * 0.5 ** (e // 3) for b in (0.1, 0.02)] for e in range(12)])


def test_exponential_lr():
    sched = lr_scheduler.ExponentialLR(_opt((0.1, 0.02)), gamma=0.9)
    _close(_trace(sched, 15), [[b * 0.9**e for b in (0.1, 0.02)] for e in range(15)])


def test_cosine_annealing_lr():
    T, eta = 10, 0.001
    sched = lr_scheduler.CosineAnnealingLR(_opt((0.1,)), T_max=T, eta_min=eta)
    values = _trace(sched, 2 * T + 1)
    _close(values, [[eta + (0.1 - eta) * (1 + math.cos(math.pi * e / T)) / 2]
                    for e in range(2 * T + 1)])
    assert values[T][0] == pytest.approx(eta) and values[2 * T][0] == pytest.approx(0.1)


def _one_cycle_reference(step, total, max_lr, pct, div, final_div, three_phase, anneal):
    initial, peak = max_lr / div, max_lr
    low = initial / final_div
    up = pct * total - 1
    if three_phase:
        phases = [(0, up, initial, peak), (up, 2 * up, peak, initial),
                  (2 * up, total - 1, initial, low)]
    else:
        phases = [(0, up, initial, peak), (up, total - 1, peak, low)]
    for i, (a, b, s, e) in enumerate(phases):
        if step <= b or i == len(phases) - 1:
            pct_done = (step - a) / (b - a)
            if anneal == "cos":
                return e + (s - e) * (1 + math.cos(math.pi * pct_done)) / 2
            return s + (e - s) * pct_done


@pytest.mark.parametrize("three_phase", [False, True])
@pytest.mark.parametrize("anneal", ["cos", "linear"])
def test_one_cycle_lr(three_phase, anneal):
    total = 50
    sched = lr_scheduler.OneCycleLR(_opt((0.5,)), max_lr=1.0, total_steps=total,
                                    pct_start=0.25, anneal_strategy=anneal,
                                    three_phase=three_phase, cycle_momentum=False)
    values = _trace(sched, total)
    _close(values, [[_one_cycle_reference(s, total, 1.0, 0.25, 25.0, 1e4, three_phase, anneal)]
                    for s in range(total)])
    assert values[0][0] == pytest.approx(1.0 / 25)
    assert max(v[0] for v in values) == pytest.approx(1.0, rel=0.05)
    assert values[-1][0] == pytest.approx(1.0 / 25 / 1e4)
    assert sched.last_epoch == total  # stepping to `total` is allowed (as in PyTorch)
    with pytest.raises(ValueError, match="total_steps"):
        sched.step()


@pytest.mark.parametrize("cls,key", [(optim.SGD, "momentum"), (optim.Adam, "betas")])
def test_one_cycle_cycles_momentum(cls, key):
    opt = _opt((0.1,), cls=cls, **({"momentum": 0.9} if cls is optim.SGD else {}))
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, epochs=4, steps_per_epoch=10)
    momenta, lrs = [], []
    for _ in range(40):
        value = opt.param_groups[0][key]
        momenta.append(value[0] if key == "betas" else value)
        lrs.append(opt.param_groups[0]["lr"])
        sched.step()
    assert momenta[0] == pytest.approx(0.95) and min(momenta) == pytest.approx(0.85, abs=1e-3)
    assert momenta[lrs.index(max(lrs))] == pytest.approx(0.85, abs=1e-3)
    if key == "betas":
        assert opt.param_groups[0]["betas"][1] == 0.999
    with pytest.raises(ValueError, match="cycle_momentum=False"):
        lr_scheduler.OneCycleLR(_opt(cls=optim.Adagrad), max_lr=1.0, total_steps=10)


def test_linear_warmup_alone():
    sched = lr_scheduler.LinearWarmup(_opt((0.1, 0.2)), warmup_steps=4, start_factor=0.2)
    expected = [[b * (0.2 + 0.8 * e / 4) for b in (0.1, 0.2)] for e in range(4)]
    _close(_trace(sched, 8), expected + [[0.1, 0.2]] * 4)


def test_linear_warmup_then_cosine():
    opt = _opt((0.1,))
    cosine = lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    sched = lr_scheduler.LinearWarmup(opt, warmup_steps=5, then=cosine)
    values = _trace(sched, 15)
    _close(values[:5], [[0.1 * e / 5] for e in range(5)])
    _close(values[5:], [[0.1 * (1 + math.cos(math.pi * e / 10)) / 2] for e in range(10)])
    assert cosine.last_epoch == 10


def test_linear_warmup_then_step_lr_resumes_from_state_dict():
    def build():
        opt = _opt((0.1,))
        return lr_scheduler.LinearWarmup(opt, 3, then=lr_scheduler.StepLR(opt, 2, gamma=0.5))

    full = _trace(build(), 12)
    sched = build()
    first = _trace(sched, 6)
    opt_state, sched_state = sched.optimizer.state_dict(), sched.state_dict()
    resumed = build()
    resumed.optimizer.load_state_dict(opt_state)  # restores the groups' current rates
    resumed.load_state_dict(sched_state)
    assert first + _trace(resumed, 6) == full
    assert resumed.then.last_epoch == 12 - 3


def test_reduce_lr_on_plateau_min():
    opt = _opt((1.0, 0.1))
    sched = lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2, min_lr=[0.2, 0.0])
    metrics = [1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85]
    lrs = []
    for m in metrics:
        sched.step(m)
        lrs.append(sched.get_last_lr())
    # more than 2 bad epochs at indices 4, 8 and 11: reduce (group 0 stops at min_lr 0.2)
    assert [lr[0] for lr in lrs] == [1.0] * 4 + [0.5] * 4 + [0.25] * 3 + [0.2] * 2
    assert [lr[1] for lr in lrs] == pytest.approx([0.1] * 4 + [0.05] * 4 + [0.025] * 3
                                                  + [0.0125] * 2)


def test_reduce_lr_on_plateau_max_abs_cooldown():
    opt = _opt((1.0,))
    sched = lr_scheduler.ReduceLROnPlateau(opt, mode="max", factor=0.1, patience=0,
                                           threshold=0.05, threshold_mode="abs", cooldown=2)
    lrs = []
    for m in [0.5, 0.6, 0.62, 0.63, 0.64, 0.65, 0.7, 0.71]:
        sched.step(ag.tensor(m))
        lrs.append(sched.get_last_lr()[0])
    # 0.62 is not 0.05 better than 0.6 -> reduce; two cooldown epochs; 0.65 not better ->
    # reduce; 0.7 is better; 0.71 is not, but falls in the cooldown
    assert lrs == pytest.approx([1.0, 1.0, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01])


def test_scheduler_errors():
    with pytest.raises(TypeError, match="optim.Optimizer"):
        lr_scheduler.StepLR("not an optimizer", 3)
    with pytest.raises(ValueError, match="step_size"):
        lr_scheduler.StepLR(_opt(), 0)
    with pytest.raises(ValueError, match="T_max"):
        lr_scheduler.CosineAnnealingLR(_opt(), 0)
    with pytest.raises(ValueError, match="total_steps"):
        lr_scheduler.OneCycleLR(_opt(), max_lr=1.0)
    with pytest.raises(ValueError, match="factor"):
        lr_scheduler.ReduceLROnPlateau(_opt(), factor=1.5)
    with pytest.raises(ValueError, match="warmup_steps"):
        lr_scheduler.LinearWarmup(_opt(), 0)
    with pytest.raises(ValueError, match="different optimizer"):
        lr_scheduler.LinearWarmup(_opt(), 3, then=lr_scheduler.StepLR(_opt(), 2))
