"""``Tracer``: runs one step eagerly while recording its kernels as a flat list of calls.

The trace is the eager step itself (real values flow, so results, random draws
and optimizer state are exactly the eager ones); what it adds is bookkeeping:
each array gets a *slot*, each NumPy call an instruction naming the callable,
its arguments (slots in place of traced arrays) and the slots it produces.
:class:`~autograd_core.capture.program.Program` turns the record into a replay.

What enters the trace as a slot:
  * the ``data`` of Tensor (and ndarray) arguments: *input* slots;
  * parameters, buffers and existing gradients of every ``nn.Module`` called
    during the step: *state* slots, read from their tensors at each replay;
  * every array a recorded call produces: *temp* slots.
``Optimizer.step()`` of an optimizer with a split update is recorded as a host
*plan* (step counts, new state, this step's numbers: read afresh at every replay,
so schedulers keep working) whose arrays become *state* slots, followed by the
update's kernels as calls; any other optimizer's step is one host call.
"""

from __future__ import annotations

import traceback
import weakref

import numpy

from .. import backend
from ..tensor import Tensor
from ._traced import (CaptureError, TracedArray, TracedScalar, TracingGenerator, TracingNumpy,
                     _state)

__all__ = ["Tracer", "Ref", "ScalarRef", "SlotInfo"]

_ndarray = numpy.ndarray
_NUMBERS = (bool, int, float, complex, numpy.bool_, numpy.number)
# functions of shapes and dtypes only: their results are not values of the arrays
_STATIC = {numpy.shape, numpy.ndim, numpy.size, numpy.result_type, numpy.may_share_memory,
           numpy.shares_memory, numpy.iscomplexobj, numpy.isrealobj, numpy.min_scalar_type,
           numpy.can_cast}


class Ref:
    """A slot reference inside a recorded call's arguments."""

    __slots__ = ("slot",)

    def __init__(self, slot):
        self.slot = slot

    def __eq__(self, other):
        return isinstance(other, Ref) and other.slot == self.slot

    def __hash__(self):
        return hash(("Ref", self.slot))

    def __repr__(self):
        return f"%{self.slot}"


class ScalarRef:
    """A reference to a number of an optimizer's plan: ``index = (entry, k)``, the k-th
    scalar of the plan's entry-th parameter (see ``Tracer._record_plan``)."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index

    def __eq__(self, other):
        return isinstance(other, ScalarRef) and other.index == self.index

    def __hash__(self):
        return hash(("ScalarRef", self.index))

    def __repr__(self):
        return f"plan{list(self.index)}"


class SlotInfo:
    """What the program knows of one slot: where it comes from and its array's layout."""

    __slots__ = ("kind", "storage", "shape", "dtype", "strides", "zero_d", "value")

    def __init__(self, kind, storage, raw):
        self.kind, self.storage = kind, storage
        self.shape, self.dtype, self.strides = raw.shape, raw.dtype, raw.strides
        self.zero_d = raw.ndim == 0
        self.value = None  # the traced array, kept only for calls that may become constants


class Instr:
    """One recorded call (``op == "call"``), truth-value guard (``"guard"``) or host call."""

    __slots__ = ("op", "fn", "args", "kwargs", "outs", "uses", "writes", "ufunc", "method",
                 "creation", "impure", "literals", "where")

    def __init__(self, op, fn=None, args=(), kwargs=None, outs=None, uses=(), writes=(),
                 ufunc=None, method=None, creation=False, impure=False, literals=None,
                 where=None):
        self.op, self.fn, self.args, self.outs = op, fn, args, outs
        self.kwargs = {} if kwargs is None else kwargs
        self.uses, self.writes, self.ufunc, self.method = uses, writes, ufunc, method
        self.creation, self.impure, self.literals, self.where = creation, impure, literals, where

    def describe(self) -> str:
        """A one-line rendering, e.g. ``%7 = matmul(%3, %5)``."""
        if self.op == "guard":
            return f"guard bool(%{self.uses[0]}) == {self.literals}"
        if self.op == "zero":
            return f"host {type(self.fn).__name__}.zero_grad(set_to_none={self.args})"
        if self.op == "host":
            return f"host {type(self.fn).__name__}.step() with grads {list(self.uses)}"
        if self.op == "plan":
            return (f"{', '.join(f'%{o}' for o in self.outs)} = host "
                    f"{type(self.fn).__name__} plan (step counts, scalars) with grads "
                    f"{list(self.uses)}")
        if self.op == "end_plan":
            return f"end of {type(self.fn).__name__}'s update"
        name = getattr(self.fn, "__qualname__", None) or getattr(self.fn, "__name__", repr(self.fn))
        outs = self.outs if self.outs is not None else ()
        outs = outs if isinstance(outs, tuple) else (outs,)
        lhs = ", ".join("_" if o is None else f"%{o}" for o in outs)
        args = ", ".join(_short(a) for a in self.args)
        if self.kwargs:
            args += ", " + ", ".join(f"{k}={_short(v)}" for k, v in self.kwargs.items())
        return f"{lhs + ' = ' if lhs else ''}{name}({args})"


def _short(value):
    if isinstance(value, _ndarray):
        return f"<const {value.dtype}{list(value.shape)}>"
    if isinstance(value, (tuple, list)):
        inner = ", ".join(_short(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)


class Tracer:
    """Records one eager run of a step (see the module docstring)."""

    def __init__(self, fallback: bool = False):
        self.fallback = fallback
        self.poisoned = None  # why this trace cannot be replayed (fallback mode)
        self.slots: list[SlotInfo] = []
        self.parent: list[int] = []  # storages: union-find over slot numbers
        self.instrs: list[Instr] = []
        # (tensor, "data" | "grad", slot, raw array, traced view, grad Tensor)
        self.holders: list[tuple] = []
        self._held: dict[tuple, TracedArray] = {}
        self.modules: list[tuple] = []  # (module, training, parameter ids, buffer ids)
        self._modules_seen: set[int] = set()
        self.grad_guards: dict[int, tuple] = {}  # id(param) -> (param, grad was None | None)
        self.optimizers: list[tuple] = []  # (optimizer, hyperparameters after its step)
        self.seen: dict[int, Tensor] = {}  # every parameter / buffer met through nn or optim
        self.numpy = TracingNumpy()
        self._raws: dict[int, weakref.ref] = {}  # id -> the real array behind a slot
        self.unsteady = False  # an optimizer step unlike its usual ones: trace again

    # -- activation ----------------------------------------------------------------------

    def __enter__(self):
        if _state["tracer"] is not None:
            raise CaptureError("ag.compile: a compiled function was called while another one is "
                               "being traced; nested compiled calls are not supported")
        _state["tracer"] = self
        backend.tracing = self
        return self

    def __exit__(self, *exc):
        _state["tracer"] = None
        backend.tracing = None
        self._restore()
        return False

    # -- slots ---------------------------------------------------------------------------

    def new_slot(self, raw, kind, storage=None):
        """A TracedArray view of ``raw`` with a new slot (in a new storage unless given)."""
        slot = len(self.slots)
        self.parent.append(slot if storage is None else self.find(storage))
        self.slots.append(SlotInfo(kind, self.parent[slot], raw))
        traced = raw.view(TracedArray)
        traced._slot, traced._raw = slot, raw
        self._raws[id(raw)] = weakref.ref(raw)
        return traced

    def find(self, slot):
        """The representative slot of ``slot``'s alias set (union-find with path halving):
        views of one buffer share it."""
        parent = self.parent
        while parent[slot] != slot:
            parent[slot] = parent[parent[slot]]
            slot = parent[slot]
        return slot

    def _union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def adopt(self, tensor, attr, kind="state"):
        """Make ``tensor.data`` (or ``tensor.grad.data``) a slot for the rest of the trace."""
        key = (id(tensor), attr)
        if key in self._held:
            return self._held[key]
        holder = tensor if attr == "data" else tensor.grad
        raw = holder.data
        if isinstance(raw, TracedArray):
            return raw
        if raw.__class__ is not _ndarray:
            raise CaptureError(
                f"ag.compile captures NumPy (CPU) arrays only; a tensor of shape {tensor.shape} "
                f"is on {backend.device_of(raw)}. Run this step eagerly (without ag.compile)")
        traced = self.new_slot(raw, kind)
        holder.data = traced
        self.holders.append((tensor, attr, traced._slot, raw, traced, holder))
        self._held[key] = traced
        return traced

    def _restore(self):
        """Put the real arrays back into every tensor the trace swapped (also after errors)."""
        for tensor, attr, _, raw, traced, holder in self.holders:
            if holder.data is traced:
                holder.data = raw
        for p, _ in self.grad_guards.values():  # gradients left by a trace that raised
            g = p.grad
            if g is not None and isinstance(g.data, TracedArray):
                p.grad = Tensor._new(_ndarray.view(g.data, _ndarray))

    # -- hooks called by the engine, nn and optim ----------------------------------------

    def module_called(self, module):
        """``nn.Module.__call__``: its parameters, buffers and gradients become state slots."""
        if id(module) in self._modules_seen:
            return
        self._modules_seen.add(id(module))
        self.modules.append((module, module.training,
                             tuple(map(id, module._parameters.values())),
                             tuple(map(id, module._buffers.values()))))
        for _, p in module.named_parameters():
            self.seen[id(p)] = p
            self._guard_grad(p)
            self.adopt(p, "data")
            if p.grad is not None:
                self.adopt(p, "grad")
        for _, b in module.named_buffers():
            self.seen[id(b)] = b
            self.adopt(b, "data")

    def operands(self, inputs):
        """An op's operands: a Tensor whose array is not traced (one the step closes over,
        or made by an untraced route) becomes a state slot, read from it at every replay."""
        for x in inputs:
            if isinstance(x, Tensor) and x.data.__class__ is _ndarray:
                self.adopt(x, "data")

    def _guard_grad(self, p):
        self.seen[id(p)] = p
        if id(p) not in self.grad_guards:  # whether .grad was None when the call began
            self.grad_guards[id(p)] = (p, p.grad is None)

    def zero_grad(self, opt, set_to_none):
        """``Optimizer.zero_grad()``: note the gradients as they were, record a host call."""
        for group in opt.param_groups:
            for p in group["params"]:
                if set_to_none and id(p) not in self.grad_guards:
                    self.grad_guards[id(p)] = (p, None)  # reset before any use: any state
                self._guard_grad(p)
        self.instrs.append(Instr("zero", fn=opt, args=bool(set_to_none), uses=(), writes=()))

    def leaf_grad(self, leaf):
        """The engine is about to accumulate into ``leaf.grad``: it becomes part of the step."""
        self._guard_grad(leaf)
        if leaf.grad is not None:
            self.adopt(leaf, "grad")

    def generator(self, generator):
        """``Generator.module("cpu")``: draws are recorded as calls on the real generator."""
        return TracingGenerator(generator)

    def optimizer_step(self, opt, closure):
        """``Optimizer.step()``: run it on the real arrays now; record it as a host call."""
        if closure is not None:
            raise CaptureError(f"ag.compile: {type(opt).__name__}.step(closure) re-evaluates the "
                               "model inside the step; call the closure's body in the compiled "
                               "function and then opt.step() without a closure")
        bindings = []
        swapped = []
        for group in opt.param_groups:
            for p in group["params"]:
                self._guard_grad(p)
                g = p.grad
                if g is None:
                    bindings.append((p, None))
                    continue
                if not isinstance(g.data, TracedArray):
                    self.adopt(p, "grad")
                traced = g.data
                if traced._slot is None:
                    self._untracked("an optimizer's gradient")
                bindings.append((p, traced._slot))
                p.grad = Tensor._new(traced._raw)
                swapped.append((p, g))
        held = [(holder, holder.data) for _, _, _, raw, traced, holder in self.holders
                if holder.data is traced]
        for (_, _, _, raw, traced, holder) in self.holders:
            if holder.data is traced:
                holder.data = raw
        # a split update (plan, then kernels) is recorded into the program; else one host call
        fused = opt._capturable()
        result = plan = None
        _state["tracer"], backend.tracing = None, None
        try:  # the host part runs on the real arrays, untraced
            if fused:
                opt._check_gradients()
                plan = opt._capture_plan()
                fused = all(e[4] for e in plan[1])
                if not fused:  # a step unlike the usual ones: not recorded, traced again
                    self.unsteady = True
                    opt._apply_plan(plan[1])
            else:
                result = opt.step()
        finally:
            _state["tracer"], backend.tracing = self, self
            for holder, traced in held:
                holder.data = traced
            for p, g in swapped:
                p.grad = g
        uses = tuple(s for _, s in bindings if s is not None)
        if fused:
            self._record_plan(opt, plan, tuple(bindings), uses)
        else:
            self.instrs.append(Instr("host", fn=opt, args=tuple(bindings), uses=uses,
                                     writes=()))
        self.optimizers.append((opt, _hyperparameters(opt)))
        return result

    def _record_plan(self, opt, plan, bindings, uses):
        """The plan as one host instruction whose results are slots (the state and scratch
        arrays) and scalar references, then ``opt._apply`` traced: its kernels become
        calls of the program."""
        token, entries = plan
        slots, where, traced_entries = [], [], []
        for i, (p, flags, arrays, scalars, _) in enumerate(entries):
            traced = []
            for j, a in enumerate(arrays):
                if a is None:
                    traced.append(None)
                    continue
                t = self.new_slot(a, "state")
                slots.append(t._slot)
                where.append((t._slot, i, j))
                traced.append(t)
            scalar_refs = tuple(TracedScalar(s, (i, k)) for k, s in enumerate(scalars))
            traced_entries.append((p, flags, tuple(traced), scalar_refs))
        self.instrs.append(Instr("plan", fn=opt, args=bindings, kwargs={"arrays": where},
                                 outs=tuple(slots), uses=uses, writes=(), literals=token))
        for p, flags, arrays, scalars in traced_entries:
            opt._apply(p, flags, arrays, scalars)
        self.instrs.append(Instr("end_plan", fn=opt, uses=(), writes=()))

    def guard(self, traced):
        """``bool(array)`` while tracing: the value, checked again on every replay."""
        slot = self._slot_of(traced)
        value = bool(traced._raw)
        where = "".join(traceback.format_stack(limit=4)[:-2]).rstrip()
        self.instrs.append(Instr("guard", uses=(slot,), writes=(), literals=value, where=where))
        return value

    def host_read(self, what, traced, convert):
        """A value read on the host: refused, or (fallback mode) the trace is marked eager."""
        if not isinstance(traced, TracedArray):
            return convert(traced)
        if not self.fallback:
            raise CaptureError(
                f"{what} reads a tensor's value on the host while ag.compile traces the step; "
                "the value would be frozen into the replayed program. Return the tensor from "
                "the compiled function and read it outside (e.g. float(compiled(x, y))), or "
                "pass fallback=True to run such steps eagerly")
        self.poisoned = self.poisoned or what
        return convert(numpy.asarray(_ndarray.view(traced, _ndarray)))

    def refuse(self, what, message):
        """A step the replay could not repeat faithfully: raise ``CaptureError(message)``,
        or, with ``fallback``, mark this trace to run eagerly (``what`` says why)."""
        if self.fallback:
            self.poisoned = self.poisoned or what
            return
        raise CaptureError(message)

    def _untracked(self, what):
        self.refuse(f"{what} produced outside the recorded calls",
                    f"ag.compile: {what} was produced by a NumPy operation the capture does not "
                    "record (an ndarray method or function outside the traced set); the replay "
                    "cannot reproduce it. Run this step eagerly, or report the operation")

    def _slot_of(self, traced):
        if traced._slot is None:
            self._untracked("an array")
            return None
        return traced._slot

    # -- recording -----------------------------------------------------------------------

    def call(self, fn, args, kwargs, writes=(), ufunc=None, method=None, creation=False,
             impure=False):
        """Run ``fn`` on the real arrays behind ``args`` and record it; return traced results."""
        uses, literals, raws = [], [], {}
        targs = self._template(args, uses, literals, raws)
        tkwargs = self._template(kwargs, uses, literals, raws)
        written, plain_targets = [], {}
        out = kwargs.get("out")
        targets = list(writes) + list(out if isinstance(out, tuple) else (out,))
        for target in targets:
            if target is None:
                continue
            if isinstance(target, TracedArray):
                written.append(target._slot)
            elif isinstance(target, _ndarray):
                if any(t.data is target for t in self.seen.values()):
                    plain_targets[id(target)] = target  # state first met in this trace: the
                    continue                            # trace is only a discovery
                self.refuse(
                    "a write into an untraced array",
                    f"ag.compile: {getattr(fn, '__name__', fn)} writes into an array that does "
                    "not belong to the trace (created with plain NumPy inside the step, or held "
                    "outside it); the replay could not repeat the write faithfully. Create it "
                    "with the tensor's array module (xp = array_module(x)) or run eagerly")
        result = fn(*_raw_of(args, raws), **_raw_of(kwargs, raws))
        if fn in _STATIC:
            return result
        by_raw = {id(r): t for t, r in ((t, t._raw) for t in raws.values())}
        by_raw.update(plain_targets)  # written in place: it stays the plain array it was
        outs, wrapped = self._wrap(result, by_raw, raws, fn)
        if outs is None and not written and not impure:
            return wrapped  # an identity (e.g. astype to the same dtype without copy)
        self.instrs.append(Instr("call", fn=fn, args=targs, kwargs=tkwargs, outs=outs,
                                 uses=tuple(uses), writes=tuple(written), ufunc=ufunc,
                                 method=method, creation=creation or not uses, impure=impure,
                                 literals=tuple(literals)))
        return wrapped

    def _template(self, value, uses, literals, raws):
        cls = value.__class__
        if cls is TracedArray:
            if value._slot is None:
                self._untracked("an array")
                return _ndarray.view(value, _ndarray)
            uses.append(value._slot)
            raws[value._slot] = value
            return Ref(value._slot)
        if cls is TracedScalar:
            return ScalarRef(value.index)
        if cls is tuple or cls is list:
            return cls(self._template(v, uses, literals, raws) for v in value)
        if cls is dict:
            return {k: self._template(v, uses, literals, raws) for k, v in value.items()}
        if isinstance(value, Tensor):
            raise CaptureError("ag.compile: a Tensor was passed to a NumPy function inside the "
                               "step; pass its array (tensor.data) or use the autograd_core op")
        if isinstance(value, _ndarray):
            self._check_literal(value)
            literals.append(value)
        return value

    def _check_literal(self, array):
        """A plain array argument is a constant of the program; refuse one that views a traced
        array (``numpy.asarray(t.data)``): the replay would reuse this trace's values."""
        base = array.base
        while base is not None:
            ref = self._raws.get(id(base))
            if isinstance(base, TracedArray) or ref is not None and ref() is base:
                what = ("a plain ndarray view of a traced array (numpy.asarray or a buffer "
                        "view of a tensor's data inside the step)")
                self.refuse(what, f"ag.compile: a call got {what}; the replay would reuse this "
                            "trace's values instead of the new ones. Use the tensor itself, "
                            "autograd_core ops, or the array module "
                            "(autograd_core.backend.array_module(t.data)), or run this step "
                            "eagerly")
                return
            base = getattr(base, "base", None)

    def _wrap(self, result, by_raw, raws, fn):
        if isinstance(result, tuple):
            pairs = [self._wrap_one(r, by_raw, raws, fn) for r in result]
            outs = tuple(p[0] for p in pairs)
            wrapped = tuple(p[1] for p in pairs)
            return (None if all(o is None for o in outs) else outs), wrapped
        return self._wrap_one(result, by_raw, raws, fn)

    def _wrap_one(self, r, by_raw, raws, fn):
        if r is None:
            return None, None
        if isinstance(r, numpy.generic):
            r = numpy.asarray(r)
        elif isinstance(r, _NUMBERS):
            name = getattr(fn, "__name__", fn)
            self.refuse(f"{name} returned a number",
                        f"ag.compile: {name} returned a Python number computed from traced "
                        "arrays (a host read); return arrays from the step and read them "
                        "outside the compiled function")
            return None, r
        if not isinstance(r, _ndarray):
            return None, r
        same = by_raw.get(id(r))
        if same is not None:
            return None, same
        storage = base = None
        for slot, t in raws.items():
            if numpy.may_share_memory(r, t._raw):
                if storage is None:
                    storage, base = self.find(slot), t
                else:
                    self._union(storage, slot)
                    storage = self.find(storage)
        kind = "temp" if storage is None else "view"
        traced = self.new_slot(r, kind, storage)
        traced._logical_base = base
        self.slots[traced._slot].value = r if not raws else None
        return traced._slot, traced


def _raw_of(value, raws):
    cls = value.__class__
    if cls is TracedArray:
        return value._raw if value._raw is not None else _ndarray.view(value, _ndarray)
    if cls is TracedScalar:
        return value.value
    if cls is tuple or cls is list:
        return cls(_raw_of(v, raws) for v in value)
    if cls is dict:
        return {k: _raw_of(v, raws) for k, v in value.items()}
    return value


def _hyperparameters(opt):
    return [{k: v for k, v in group.items() if k != "params"} for group in opt.param_groups]
