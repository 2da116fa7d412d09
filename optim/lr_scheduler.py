"""Learning-rate schedules: set ``group["lr"]`` of an optimizer's groups epoch by epoch.

Call ``scheduler.step()`` once per epoch (or per batch, for ``OneCycleLR`` and
warm-ups counted in batches), after ``optimizer.step()``.  Each scheduler is a
closed form of the epoch count: at construction it sets the epoch-0 rate, and
after ``k`` calls to ``step()`` the rate is the formula's value at epoch ``k``.

Warm-up composes with the others: ``LinearWarmup(opt, 5, then=CosineAnnealingLR(
opt, T_max=95))`` ramps linearly for 5 epochs to the cosine schedule's starting
rate, then runs the cosine schedule from its epoch 0.  For ``ReduceLROnPlateau``,
warm up with a plain ``LinearWarmup`` and start calling the plateau scheduler
once the warm-up is over: it scales whatever rate it finds.
"""

from __future__ import annotations

import math

from .optimizer import Optimizer

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR", "OneCycleLR",
           "LinearWarmup", "ReduceLROnPlateau"]


def _check_optimizer(optimizer, name):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{name}: expected an optim.Optimizer, got {type(optimizer).__name__}")


class LRScheduler:
    """Base class of the epoch-driven schedulers.

    Subclasses implement ``lr_at(epoch)``: the list of learning rates (one per
    parameter group) at ``epoch``, from ``self.base_lrs``.

    Parameters
    ----------
    optimizer : Optimizer
        Whose groups' ``"lr"`` to set.  The rate each group has at construction
        is its base rate (stored as ``group["initial_lr"]``).

    Attributes
    ----------
    last_epoch : int
        Number of ``step()`` calls so far (0 right after construction).
    base_lrs : list of float
    """

    def __init__(self, optimizer):
        _check_optimizer(optimizer, type(self).__name__)
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = 0
        self._apply(self.lr_at(0))

    def lr_at(self, epoch: int) -> list:  # pragma: no cover - abstract
        """The learning rate of each group at ``epoch``."""
        raise NotImplementedError

    def _apply(self, lrs):
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = list(lrs)

    def step(self) -> None:
        """Advance one epoch and set each group's rate to the schedule's value there."""
        self.last_epoch += 1
        self._apply(self.lr_at(self.last_epoch))

    def get_last_lr(self) -> list:
        """The rates set by the last ``step()`` (or by construction), one per group."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        """The scheduler's state (everything but the optimizer), for checkpoints."""
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "then")}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore a state saved by :meth:`state_dict` (does not touch the optimizer)."""
        self.__dict__.update(state_dict)


class StepLR(LRScheduler):
    """Decay each rate by ``gamma`` every ``step_size`` epochs.

    ``lr(epoch) = base_lr * gamma ** (epoch // step_size)``

    Parameters
    ----------
    optimizer : Optimizer
    step_size : int
        Period of the decay, in epochs (>= 1).
    gamma : float
        Multiplicative factor (default 0.1).
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        if not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f"StepLR: step_size must be an integer >= 1, got {step_size!r}")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def lr_at(self, epoch):
        factor = self.gamma ** (epoch // self.step_size)
        return [base * factor for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Decay each rate by ``gamma`` every epoch.

    ``lr(epoch) = base_lr * gamma ** epoch``

    Parameters
    ----------
    optimizer : Optimizer
    gamma : float
        Multiplicative factor per epoch.
    """

    def __init__(self, optimizer, gamma):
        self.gamma = gamma
        super().__init__(optimizer)

    def lr_at(self, epoch):
        factor = self.gamma ** epoch
        return [base * factor for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing from the base rate down to ``eta_min`` over ``T_max`` epochs.

    ``lr(epoch) = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2``

    Past ``T_max`` the cosine continues (the rate rises again), as in PyTorch.

    Parameters
    ----------
    optimizer : Optimizer
    T_max : int
        Half period, in epochs (>= 1).
    eta_min : float
        Lowest rate (default 0).
    """

    def __init__(self, optimizer, T_max, eta_min=0.0):
        if not isinstance(T_max, int) or T_max < 1:
            raise ValueError(f"CosineAnnealingLR: T_max must be an integer >= 1, got {T_max!r}")
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer)

    def lr_at(self, epoch):
        cosine = (1 + math.cos(math.pi * epoch / self.T_max)) / 2
        return [self.eta_min + (base - self.eta_min) * cosine for base in self.base_lrs]


class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith & Topin): up to ``max_lr``, then far below the start.

    Stepped once per batch.  The rate starts at ``max_lr / div_factor``, rises to
    ``max_lr`` over the first ``pct_start`` of the ``total_steps``, then anneals to
    ``max_lr / (div_factor * final_div_factor)``.  With ``three_phase=True`` it
    first comes back down to the starting rate, then anneals to the minimum.
    Momentum (SGD's ``momentum``, Adam's ``betas[0]``) cycles the opposite way
    between ``max_momentum`` and ``base_momentum`` when ``cycle_momentum``.  The
    phase boundaries and annealing formulas are PyTorch's::

        cos:    end + (start - end) * (1 + cos(pi * pct)) / 2
        linear: start + (end - start) * pct

    with ``pct`` the fraction of the current phase done; phase one ends at step
    ``pct_start * total_steps - 1`` and the last phase at ``total_steps - 1``.

    Parameters
    ----------
    optimizer : Optimizer
    max_lr : float or list of float
        Peak rate (one per group, or one for all).  The optimizer's own rates are
        ignored.
    total_steps : int, optional
        Number of steps in the cycle; or give ``epochs`` and ``steps_per_epoch``.
    epochs, steps_per_epoch : int, optional
    pct_start : float
        Fraction of the cycle spent rising (default 0.3).
    anneal_strategy : {"cos", "linear"}
    cycle_momentum : bool
    base_momentum, max_momentum : float or list of float
    div_factor : float
        ``initial_lr = max_lr / div_factor`` (default 25).
    final_div_factor : float
        ``min_lr = initial_lr / final_div_factor`` (default 1e4).
    three_phase : bool
    """

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False):
        _check_optimizer(optimizer, "OneCycleLR")
        groups = optimizer.param_groups
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError("OneCycleLR: give total_steps, or both epochs and "
                                 "steps_per_epoch")
            total_steps = epochs * steps_per_epoch
        if not isinstance(total_steps, int) or total_steps < 2:
            raise ValueError(f"OneCycleLR: total_steps must be an integer >= 2, got "
                             f"{total_steps!r}")
        if not 0 < pct_start < 1:
            raise ValueError(f"OneCycleLR: pct_start must be in (0, 1), got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"OneCycleLR: anneal_strategy must be 'cos' or 'linear', got "
                             f"{anneal_strategy!r}")
        self.total_steps = total_steps
        self.anneal_strategy = anneal_strategy
        max_lrs = _per_group(max_lr, groups, "max_lr")
        self.initial_lrs = [m / div_factor for m in max_lrs]
        self.max_lrs = max_lrs
        self.min_lrs = [i / final_div_factor for i in self.initial_lrs]
        up = float(pct_start * total_steps) - 1
        if three_phase:
            self.phases = [(up, "initial", "max"), (2 * up, "max", "initial"),
                           (total_steps - 1, "initial", "min")]
        else:
            self.phases = [(up, "initial", "max"), (total_steps - 1, "max", "min")]
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(f"OneCycleLR: {type(optimizer).__name__} has no momentum or "
                                 "betas to cycle; pass cycle_momentum=False")
            self._use_betas = "betas" in optimizer.defaults
            self.max_momenta = _per_group(max_momentum, groups, "max_momentum")
            self.base_momenta = _per_group(base_momentum, groups, "base_momentum")
        for group, initial_lr in zip(groups, self.initial_lrs):
            group["initial_lr"] = initial_lr  # the base rate is max_lr / div_factor
        self.base_lrs = list(self.initial_lrs)
        self.optimizer = optimizer
        self.last_epoch = 0
        self._apply(self.lr_at(0))

    def _anneal(self, start, end, pct):
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def _phase(self, step):
        if step > self.total_steps:
            raise ValueError(f"OneCycleLR: stepped {step} times, more than total_steps = "
                             f"{self.total_steps}; make total_steps match the run's length")
        start_step = 0.0
        for i, (end_step, start, end) in enumerate(self.phases):
            if step <= end_step or i == len(self.phases) - 1:
                return (step - start_step) / (end_step - start_step), start, end
            start_step = end_step
        raise AssertionError("unreachable")

    def lr_at(self, epoch):
        pct, start, end = self._phase(epoch)
        named = {"initial": self.initial_lrs, "max": self.max_lrs, "min": self.min_lrs}
        return [self._anneal(s, e, pct) for s, e in zip(named[start], named[end])]

    def momentum_at(self, epoch):
        """The momentum (or ``beta1``) of each group at ``epoch``."""
        pct, start, end = self._phase(epoch)
        # momentum moves against the rate: high when the rate is low
        named = {"initial": self.max_momenta, "max": self.base_momenta, "min": self.max_momenta}
        return [self._anneal(s, e, pct) for s, e in zip(named[start], named[end])]

    def _apply(self, lrs):
        super()._apply(lrs)
        if self.cycle_momentum:
            for group, momentum in zip(self.optimizer.param_groups,
                                       self.momentum_at(self.last_epoch)):
                if self._use_betas:
                    group["betas"] = (momentum, *group["betas"][1:])
                else:
                    group["momentum"] = momentum


def _per_group(value, groups, name):
    if isinstance(value, (list, tuple)):
        if len(value) != len(groups):
            raise ValueError(f"OneCycleLR: {name} has {len(value)} values for "
                             f"{len(groups)} parameter group(s)")
        return list(value)
    return [value] * len(groups)


class LinearWarmup(LRScheduler):
    """Linear warm-up over ``warmup_steps``, alone or in front of another schedule.

    ``lr(epoch) = target * (start_factor + (1 - start_factor) * epoch / warmup_steps)``
    for ``epoch < warmup_steps``; afterwards ``lr(epoch) = then.lr_at(epoch -
    warmup_steps)`` (or ``target`` without ``then``).  ``target`` is ``then``'s
    epoch-0 rate, or the group's base rate.

    Parameters
    ----------
    optimizer : Optimizer
    warmup_steps : int
        Length of the ramp (>= 1), in calls to ``step()``.
    start_factor : float
        Fraction of the target rate at epoch 0, in [0, 1) (default 0).
    then : LRScheduler, optional
        The schedule to run after the warm-up, built on the same optimizer *before*
        this one.  Step only the warm-up; it drives ``then``.
    """

    def __init__(self, optimizer, warmup_steps, start_factor=0.0, then=None):
        if not isinstance(warmup_steps, int) or warmup_steps < 1:
            raise ValueError(f"LinearWarmup: warmup_steps must be an integer >= 1, got "
                             f"{warmup_steps!r}")
        if not 0 <= start_factor < 1:
            raise ValueError(f"LinearWarmup: start_factor must be in [0, 1), got {start_factor}")
        if then is not None:
            if not isinstance(then, LRScheduler) or isinstance(then, LinearWarmup):
                raise TypeError("LinearWarmup: then= must be an epoch-driven scheduler "
                                "(StepLR, ExponentialLR, CosineAnnealingLR, OneCycleLR)")
            if then.optimizer is not optimizer:
                raise ValueError("LinearWarmup: then= schedules a different optimizer")
        self.warmup_steps, self.start_factor, self.then = warmup_steps, start_factor, then
        super().__init__(optimizer)

    def lr_at(self, epoch):
        if epoch >= self.warmup_steps:
            return self.then.lr_at(epoch - self.warmup_steps) if self.then else self.base_lrs
        targets = self.then.lr_at(0) if self.then else self.base_lrs
        factor = self.start_factor + (1 - self.start_factor) * epoch / self.warmup_steps
        return [target * factor for target in targets]

    def step(self):
        super().step()
        if self.then is not None and self.last_epoch >= self.warmup_steps:
            self.then.last_epoch = self.last_epoch - self.warmup_steps
            self.then._apply(self.then.lr_at(self.then.last_epoch))

    def state_dict(self):
        state = super().state_dict()
        if self.then is not None:
            state["then"] = self.then.state_dict()
        return state

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        then_state = state_dict.pop("then", None)
        super().load_state_dict(state_dict)
        if then_state is not None and self.then is not None:
            self.then.load_state_dict(then_state)


class ReduceLROnPlateau:
    """Scale the rates by ``factor`` when a metric has stopped improving.

    Call ``step(metric)`` once per epoch with the validation loss (``mode="min"``)
    or accuracy (``mode="max"``).  The rules are PyTorch's: a value is an
    improvement when it beats the best so far by more than ``threshold``
    (relative: ``best * (1 - threshold)`` for "min", ``best * (1 + threshold)``
    for "max"; absolute: ``best -/+ threshold``).  After more than ``patience``
    epochs without improvement each rate becomes ``max(lr * factor, min_lr)``
    (unless that changes it by less than ``eps``), then ``cooldown`` epochs pass
    before bad epochs are counted again.

    Parameters
    ----------
    optimizer : Optimizer
    mode : {"min", "max"}
    factor : float
        In (0, 1) (default 0.1).
    patience : int
        Epochs without improvement tolerated (default 10).
    threshold : float
        Minimum significant improvement (default 1e-4).
    threshold_mode : {"rel", "abs"}
    cooldown : int
        Epochs to wait after a reduction (default 0).
    min_lr : float or list of float
        Lower bound on each group's rate (default 0).
    eps : float
        Smallest change of rate worth applying (default 1e-8).
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0.0, eps=1e-8):
        _check_optimizer(optimizer, "ReduceLROnPlateau")
        if not 0 < factor < 1:
            raise ValueError(f"ReduceLROnPlateau: factor must be in (0, 1), got {factor}")
        if mode not in ("min", "max"):
            raise ValueError(f"ReduceLROnPlateau: mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"ReduceLROnPlateau: threshold_mode must be 'rel' or 'abs', got "
                             f"{threshold_mode!r}")
        self.optimizer = optimizer
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.eps = cooldown, eps
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != len(optimizer.param_groups):
                raise ValueError(f"ReduceLROnPlateau: min_lr has {len(min_lr)} values for "
                                 f"{len(optimizer.param_groups)} parameter group(s)")
            self.min_lrs = list(min_lr)
        else:
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def is_better(self, a, best) -> bool:
        """Whether metric value ``a`` improves on ``best`` by more than the threshold."""
        if self.mode == "min":
            limit = best * (1 - self.threshold) if self.threshold_mode == "rel" else (
                best - self.threshold)
            return a < limit
        limit = best * (1 + self.threshold) if self.threshold_mode == "rel" else (
            best + self.threshold)
        return a > limit

    def step(self, metrics) -> None:
        """Record this epoch's metric (a number or a one-element tensor); maybe reduce."""
        current = float(metrics)
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
                old = group["lr"]
                new = max(old * self.factor, min_lr)
                if old - new > self.eps:
                    group["lr"] = new
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list:
        """The current rate of each group."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        """The scheduler's state (everything but the optimizer), for checkpoints."""
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore a state saved by :meth:`state_dict`."""
        self.__dict__.update(state_dict)
