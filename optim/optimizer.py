"""``Optimizer``: parameter groups, per-parameter state, ``step``, ``zero_grad``, checkpoints.

Subclasses define ``defaults`` (the hyperparameters and their default values),
``_check_group`` (reject bad hyperparameters with a clear message) and either
``_update`` (one step for one group) or, as the built-in optimizers do, a split
update: ``_plan`` (the host bookkeeping of a group's step) and ``_apply`` (one
parameter's array kernels), which ``ag.compile`` records into a replayed step.  Updates are written straight into the parameters'
arrays (``p.data``) with the array module's in-place operations, so no graph is
recorded; each updated parameter's version counter is bumped, so a graph built
before the step raises instead of back-propagating through stale values.
"""

from __future__ import annotations

import copy
import math
from numbers import Real

import numpy

from autograd_core import backend, grad_mode
from autograd_core.tensor import Tensor

__all__ = ["Optimizer", "FLUSH_EVERY"]

#: Adam and RMSprop flush their running averages' denormal values to zero every
#: ``FLUSH_EVERY`` steps (see :func:`flush_denormals_`).
FLUSH_EVERY = 32


class Optimizer:
    """Base class of the optimizers: parameter groups with per-group hyperparameters.

    Parameters
    ----------
    params : iterable of Tensor, or iterable of dict
        The tensors to optimize, or parameter groups: dicts with a ``"params"`` key
        (an iterable of tensors) and, optionally, hyperparameters that override
        ``defaults`` for that group.
    defaults : dict
        Hyperparameters used by groups that do not set them.
    skip_nonfinite : bool
        When a gradient holds NaN or infinity, skip the whole step (parameters and
        state untouched) and count it in ``skipped_steps``, as a loss scaler does.
        Default ``False``: the step is applied as PyTorch's optimizers apply it.

    Attributes
    ----------
    param_groups : list of dict
        Each group's ``"params"`` (a list of tensors) and its hyperparameters.
        Schedulers change ``group["lr"]`` here between steps.
    state : dict
        Per-parameter state (running averages, step counts), keyed by the tensor.
    skipped_steps : int
        Steps skipped for a non-finite gradient (with ``skip_nonfinite``).

    Notes
    -----
    A parameter whose ``.grad`` is ``None`` at ``step()`` is skipped (as in PyTorch):
    its state does not advance.  Tensors that do not require grad are accepted and
    simply never get a gradient.

    ``step()`` first checks every gradient (a Tensor of the parameter's shape, dtype
    and device) and raises before changing anything, so a failed step leaves the
    parameters and the state as they were.
    """

    defaults: dict = {}

    def __init__(self, params, defaults: dict, *, skip_nonfinite: bool = False):
        self.skip_nonfinite = bool(skip_nonfinite)
        self.skipped_steps = 0
        self.defaults = dict(defaults)
        self.param_groups: list[dict] = []
        self.state: dict = {}
        if isinstance(params, Tensor):
            raise TypeError(
                f"{type(self).__name__}: params must be an iterable of tensors or of dicts, "
                "not a single Tensor; wrap it in a list: [x]"
            )
        groups = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__} got an empty parameter list; pass at least "
                             "one tensor (did model.parameters() return nothing?)")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # -- groups -------------------------------------------------------------------------

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters (with optional hyperparameter overrides).

        Useful to unfreeze layers during fine-tuning.  Raises ``ValueError`` if a
        parameter is already in a group, or a hyperparameter is out of range.
        """
        name = type(self).__name__
        if not isinstance(param_group, dict):
            raise TypeError(f"{name}: a parameter group must be a dict with a 'params' key, "
                            f"not {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(f"{name}: parameter group has no 'params' key: {sorted(param_group)}")
        params = param_group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        if not params:
            raise ValueError(f"{name}: parameter group {len(self.param_groups)} is empty")
        unknown = set(param_group) - set(self.defaults) - {"params"}
        if unknown:
            raise TypeError(f"{name}: unknown hyperparameter(s) {sorted(unknown)} in parameter "
                            f"group; {name} takes {sorted(self.defaults)}")
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"{name}: parameters must be Tensors; item {i} of group "
                                f"{len(self.param_groups)} is a {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(
                    f"{name}: can't optimize a non-leaf tensor (shape {p.shape}, produced by "
                    f"'{p.node.name}'); optimize the leaf it was computed from, or .detach() it "
                    "and set requires_grad=True"
                )
            if id(p) in seen:
                raise ValueError(f"{name}: a parameter (shape {p.shape}) appears more than once; "
                                 "each parameter may be in only one group, once")
            seen.add(id(p))
        group = dict(self.defaults)
        group.update({k: v for k, v in param_group.items() if k != "params"})
        group["params"] = params
        self._check_group(group)
        self.param_groups.append(group)

    def _check_group(self, group: dict) -> None:
        """Raise ``ValueError`` for hyperparameters out of range (subclasses extend this)."""
        _check_nonnegative(self, group, "lr")
        if "weight_decay" in group:
            _check_nonnegative(self, group, "weight_decay")
        if "eps" in group:
            _check_nonnegative(self, group, "eps")

    # -- the step -----------------------------------------------------------------------

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients of every parameter.

        Parameters
        ----------
        set_to_none : bool
            ``True`` (default): set ``.grad`` to ``None`` (frees memory, and the
            parameter is skipped by ``step()`` if no new gradient arrives).
            ``False``: rebind ``.grad`` to a new tensor of zeros.
        """
        if backend.tracing is not None:  # ag.compile records it as a host call
            backend.tracing.zero_grad(self, set_to_none)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad = Tensor._new(backend.array_module(p.data).zeros_like(p.grad.data))

    def step(self, closure=None):
        """Update every parameter that has a gradient, in place.

        Parameters
        ----------
        closure : callable, optional
            Re-evaluates the model and returns the loss (with gradients computed);
            it is called once, with grad enabled, before the update.

        Returns
        -------
        The closure's loss, or ``None``.
        """
        if backend.tracing is not None:  # ag.compile records the step as one host call
            return backend.tracing.optimizer_step(self, closure)
        loss = None
        if closure is not None:
            with grad_mode.enable_grad():
                loss = closure()
        self._check_gradients()
        if self.skip_nonfinite and not self._gradients_finite():
            self.skipped_steps += 1
            return loss
        for group in self.param_groups:
            self._update(group)
        return loss

    def _check_gradients(self) -> None:
        """Raise, before any update, for a gradient that does not fit its parameter."""
        for g_index, group in enumerate(self.param_groups):
            for p_index, p in enumerate(group["params"]):
                grad = p.grad
                if grad is None:
                    continue
                # the common case in a few comparisons; the message is built only on error
                if isinstance(grad, Tensor):
                    g, d = grad.data, p.data
                    if g.shape == d.shape and g.dtype == d.dtype and (
                            g.__class__ is d.__class__ is numpy.ndarray
                            or grad.device == p.device):
                        continue
                self._gradient_error(g_index, p_index, p, grad)

    def _gradient_error(self, g_index, p_index, p, grad):
        where = (f"{type(self).__name__}.step: the gradient of parameter {p_index} of group "
                 f"{g_index} (shape {p.shape}, {p.dtype}, {p.device})")
        if not isinstance(grad, Tensor):
            raise TypeError(f"{where} is a {type(grad).__name__}, not a Tensor; nothing "
                            "was updated")
        if grad.shape != p.shape:
            problem = f"has shape {grad.shape}"
        elif grad.dtype != p.dtype:
            problem = f"has dtype {grad.dtype}"
        else:
            problem = f"is on {grad.device}"
        raise ValueError(f"{where} {problem}; it must match the parameter. Nothing "
                         "was updated")

    def _gradients_finite(self) -> bool:
        for group in self.param_groups:
            for p in group["params"]:
                grad = p.grad
                if grad is not None and not bool(backend.array_module(grad.data).isfinite(
                        grad.data).all()):
                    return False
        return True

    def _capturable(self) -> bool:
        """Whether ``ag.compile`` may record this optimizer's kernels into a replayed step:
        its update is the split one (:meth:`_plan`, then :meth:`_apply`), neither ``step``
        nor ``_update`` is overridden, and no host check (``skip_nonfinite``) runs."""
        cls = type(self)
        return cls.step is Optimizer.step and cls._update is Optimizer._update and \
            cls._plan is not Optimizer._plan and not self.skip_nonfinite

    def _update(self, group: dict) -> None:
        """One step for one group (a split update: its plan, then its kernels)."""
        for p, flags, arrays, scalars, _ in self._plan(group):
            self._apply(p, flags, arrays, scalars)

    def _plan(self, group: dict) -> list:  # pragma: no cover - abstract
        """The host part of one group's step, one entry per parameter with a gradient:
        ``(p, flags, arrays, scalars, steady)``.

        It does what is not array arithmetic: advances step counts, creates missing
        state, bumps version counters, and computes this step's numbers (``scalars``:
        Python floats, e.g. a bias-corrected learning rate) and the branch taken
        (``flags``, hashable: they must determine the kernels :meth:`_apply` runs and
        which ``arrays`` are ``None``).  ``arrays`` are the state and scratch arrays the
        kernels write (``None`` where unused); ``steady`` is False for a step whose
        kernels differ from the usual ones (a first step, a periodic flush).
        """
        raise NotImplementedError

    def _apply(self, p, flags, arrays, scalars) -> None:  # pragma: no cover - abstract
        """The kernels of one parameter's update: NumPy calls on ``p.data``,
        ``p.grad.data`` and ``arrays`` with ``scalars`` as arguments, and no arithmetic
        on the scalars themselves (``ag.compile`` refuses it)."""
        raise NotImplementedError

    def _capture_plan(self):
        """The plan of a whole step, for ``ag.compile``: ``(token, entries)``.

        ``token`` is what the recorded kernels assume: which parameters are updated,
        and each one's ``flags`` (which must therefore determine the kernels
        :meth:`_apply` runs and which of its ``arrays`` are ``None``)."""
        entries = [e for group in self.param_groups for e in self._plan(group)]
        return tuple([(id(e[0]), e[1]) for e in entries]), entries

    def _apply_plan(self, entries) -> None:
        """Run the kernels of a planned step eagerly (a replay whose plan differs from
        the recorded one: a flush step, a new parameter state)."""
        for p, flags, arrays, scalars, _ in entries:
            self._apply(p, flags, arrays, scalars)

    def _scratch(self, data):
        """A scratch array shaped like ``data`` (its dtype, its device), for ``out=``.

        One flat buffer per dtype and device, as large as the largest parameter, is
        reused by every parameter and every step, so an update makes no temporary
        per parameter (``data -= lr * g`` would).  Its values are garbage; it is not
        state (not in ``state_dict``).
        """
        key = (data.shape, data.dtype, data.__class__)
        if data.__class__ is not numpy.ndarray:
            key += (backend.device_of(data),)
        views = self.__dict__.setdefault("_scratch_views", {})
        view = views.get(key)
        if view is None:
            flats = self.__dict__.setdefault("_scratch_buffers", {})
            flat_key = key[1:]
            flat = flats.get(flat_key)
            n = data.size
            if flat is None or flat.size < n:
                flat = flats[flat_key] = backend.array_module(data).empty_like(data, shape=(n,))
                for old in [k for k in views if k[1:] == flat_key]:
                    del views[old]  # (they view the smaller buffer: let it go)
            view = views[key] = flat[:n].reshape(data.shape)
        return view

    # -- checkpoints --------------------------------------------------------------------

    def state_dict(self) -> dict:
        """A snapshot of the optimizer: hyperparameters and per-parameter state.

        Parameters are referred to by their position across the groups (0, 1, ...),
        so the dict can be loaded into an optimizer built over the same model in a
        new process.  State arrays are copied, so later steps do not change the
        snapshot.  The dict holds only arrays, numbers, strings, tuples and lists:
        it pickles.

        Returns
        -------
        dict
            ``{"optimizer": class name, "state": {index: {name: value}},
            "param_groups": [{hyperparameters..., "params": [indices]}]}``
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            packed["params"] = []
            for p in group["params"]:
                index[id(p)] = len(index)
                packed["params"].append(index[id(p)])
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if p in self.state:
                    state[index[id(p)]] = {k: _copy_value(v) for k, v in self.state[p].items()}
        return {"optimizer": type(self).__name__, "state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyperparameters and per-parameter state saved by :meth:`state_dict`.

        The optimizer must be of the same class, over the same number of groups and
        parameters, with matching shapes.  State arrays are copied onto each
        parameter's device and cast to its dtype (step counts stay integers).

        Raises
        ------
        ValueError
            For a state dict from a different optimizer class, or one whose groups or
            parameter shapes do not match this optimizer's.
        """
        name = type(self).__name__
        if not isinstance(state_dict, dict) or "param_groups" not in state_dict:
            raise ValueError(f"{name}.load_state_dict: expected a dict returned by "
                             "Optimizer.state_dict(), with 'state' and 'param_groups'")
        saved_name = state_dict.get("optimizer")
        if saved_name != name:
            raise ValueError(f"{name}.load_state_dict: the state dict was saved by "
                             f"{saved_name or 'an unknown optimizer'}, not {name}; build a "
                             f"{saved_name} to load it, or start this optimizer afresh")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{name}.load_state_dict: the state dict has {len(saved_groups)} "
                             f"parameter group(s), this optimizer has {len(self.param_groups)}")
        params: dict[int, Tensor] = {}
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"{name}.load_state_dict: group {i} has {len(saved['params'])} "
                                 f"parameter(s) in the state dict, {len(group['params'])} here")
            params.update(zip(saved["params"], group["params"]))
        state = {}
        for key, values in state_dict["state"].items():
            p = params.get(key)
            if p is None:
                raise ValueError(f"{name}.load_state_dict: state for parameter {key}, which "
                                 "no group holds")
            state[p] = {k: _load_value(v, p, name, key, k) for k, v in values.items()}
        new_groups = []
        for saved, group in zip(saved_groups, self.param_groups):
            new = dict(group)
            new.update({k: copy.deepcopy(v) for k, v in saved.items() if k != "params"})
            self._check_group(new)
            new_groups.append(new)
        # nothing is changed until everything has been checked
        for group, new in zip(self.param_groups, new_groups):
            group.update(new)
        self.state = state

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        return "\n".join(lines) + "\n)"


# -- helpers shared by the optimizers ------------------------------------------------------

def decayed_gradient(xp, p, wd):
    """``p.grad + wd * p``, a new array (L2 weight decay added to the gradient)."""
    g = xp.multiply(p.data, wd)
    g += p.grad.data
    return g


def keeps_dtype(data, wd) -> bool:
    """Whether ``data * wd`` keeps ``data``'s dtype (a NumPy-scalar ``wd`` may promote it),
    so that the decayed gradient's square can go into a scratch array of that dtype."""
    return not wd or numpy.result_type(data.dtype, wd) == data.dtype


def flush_denormals_(xp, array, signed: bool = True) -> None:
    """Set entries with magnitude below the dtype's smallest normal number to zero, in place.

    Running averages of a gradient that has become zero decay geometrically and
    spend thousands of steps as denormal (subnormal) numbers, which many CPUs
    process 10-100x slower.  Zeroing them changes each value by less than
    ``finfo(dtype).tiny``.  NaN stays NaN (``NaN * 0`` is NaN) and infinity is kept.
    ``signed=False`` is the cheaper form for arrays known to be >= 0.
    """
    tiny = xp.finfo(array.dtype).tiny
    keep = (xp.abs(array) >= tiny) if signed else (array >= tiny)
    xp.multiply(array, keep, out=array)


def _check_nonnegative(opt, group, key):
    value = group[key]
    if not isinstance(value, Real) or not value >= 0 or not math.isfinite(value):
        raise ValueError(f"{type(opt).__name__}: invalid {key} {value!r}: it must be a finite "
                         "number >= 0")


def _check_unit_interval(opt, group, key, value, closed_low=True):
    """``value`` in [0, 1) (or (0, 1) with closed_low=False)."""
    ok = isinstance(value, Real) and (0 <= value < 1 if closed_low else 0 < value < 1)
    if not ok:
        interval = "[0, 1)" if closed_low else "(0, 1)"
        raise ValueError(f"{type(opt).__name__}: invalid {key} {value!r}: it must be in "
                         f"{interval}")


def _copy_value(value):
    if backend.is_array(value):
        return value.copy()
    return copy.deepcopy(value)


def _load_value(value, p, name, index, key):
    if backend.is_array(value) or isinstance(value, numpy.generic):
        value_shape = getattr(value, "shape", ())
        if value_shape and value_shape != p.shape:
            raise ValueError(f"{name}.load_state_dict: state '{key}' of parameter {index} has "
                             f"shape {value_shape} but the parameter has shape {p.shape}; the "
                             "state dict belongs to a different model")
        dtype = p.data.dtype if numpy.dtype(value.dtype).kind == "f" else value.dtype
        array = backend.asarray(value, dtype, backend.device_of(p.data))
        return array.copy()
    return copy.deepcopy(value)
