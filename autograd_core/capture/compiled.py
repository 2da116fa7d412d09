"""``compile(fn)``: trace a training step once, replay it without the Python graph.

See :func:`compile` for the contract; :mod:`._tracer` records a step, :mod:`.program`
plans and replays it.
"""

from __future__ import annotations

import functools
import warnings
from collections import OrderedDict, namedtuple

import numpy

from .. import grad_mode
from ..tensor import Tensor
from .program import Program, same_trace
from ._traced import CaptureError, TracedArray
from ._tracer import Tracer, _hyperparameters

__all__ = ["compile", "Compiled", "CacheInfo", "CaptureWarning"]

_ndarray = numpy.ndarray

CacheInfo = namedtuple("CacheInfo", "hits misses traces eager size max_size")
CacheInfo.__doc__ = """Counters of a compiled function.

``hits``: replayed calls; ``misses``: calls that did not find a ready program (each
one traced or ran eagerly); ``traces``: traces recorded (two per new key when
``verify``); ``eager``: calls run eagerly because the step could not be captured
(``fallback=True``); ``size`` / ``max_size``: cached programs and the bound."""


class CaptureWarning(UserWarning):
    """Warned (once per cache key) when ``fallback=True`` runs a step eagerly."""


def compile(fn=None, *, max_cache: int = 8, verify: bool = True, fallback: bool = False):
    """Capture ``fn`` (a training or inference step) once; replay it on later calls.

    The first call with a new *key* runs ``fn`` eagerly while recording every
    array kernel of the forward pass, the backward pass and the update into a flat
    program; with ``verify`` (default) the second call records it again and the
    two records must agree call for call and constant for constant (this catches a
    value that leaked into the program through a route the tracer cannot see).
    A trace that meets parameters or buffers no earlier trace knew (the very first
    one, typically) only registers them: they are slots from the start of every
    later trace, so that NumPy code reading them directly is recorded too.
    Later calls with the same key replay the program: no Tensor, no graph node,
    no topological sort; results are bit-identical to the eager step on CPU (the
    same NumPy kernels in the same order; ``out=`` buffers do not change a bit).

    The key: the shapes, dtypes and devices of the Tensor/ndarray arguments (any
    nesting of tuples, lists and dicts), the values of the other arguments (they
    must be hashable: they are captured as constants), the grad mode, and, for
    the modules called in the step, their ``training`` flags, their parameter and
    buffer sets and whether each parameter's ``.grad`` is ``None``.  At most
    ``max_cache`` keys are kept (least recently used dropped);
    ``compiled.cache_info()`` counts hits, misses and traces.

    What a replay repeats: the NumPy calls on arrays that came from the arguments, from
    the parameters, buffers and gradients of the ``nn.Module`` objects called in the
    step (and of the optimizers it steps, and of any leaf tensor backward accumulates a
    gradient into), from any other Tensor an op of the step reads (a tensor it closes
    over: its ``.data`` is read afresh at every replay, and a new shape or dtype of any
    array read so traces again), or from random draws (``Generator`` streams advance as
    in the eager step); the optimizer's update: its plan (step counts, lazily created
    state, this step's numbers such as a learning rate a scheduler changed between calls
    or Adam's bias corrections) runs as the optimizer's own code at every replay, and
    its kernels are calls of the program (a step whose kernels differ from the recorded
    ones, e.g. Adam's periodic denormal flush, runs them eagerly; an optimizer without a
    split update, or with ``skip_nonfinite=True``, runs ``step()`` as one host call).
    What it does not repeat: other Python side effects of ``fn`` (printing, appending to
    lists, ``scheduler.step()`` inside ``fn``, which raises), Python control flow, which
    is fixed at trace time (as in ``jax.jit`` and ``torch.compile``), and plain NumPy
    arrays the step makes from traced ones: a copy (``numpy.array(t.data)``) becomes a
    constant of the program, unseen; a plain view of a traced array
    (``numpy.asarray(t.data)``) passed to a call, and a returned array no recorded call
    produced, raise :class:`CaptureError`.  A truth value read from a tensor
    (``if loss > 10:``, the checks of ``binary_cross_entropy``) is re-checked on
    every replay and raises :class:`CaptureError` if it changed.  Reading a value
    on the host (``float(t)``, ``t.item()``, ``t.numpy()``, ``t.tolist()``) while
    tracing raises :class:`CaptureError`; with ``fallback=True`` such a step (and
    one using an operation the capture cannot record) instead runs eagerly from
    then on for that key, with a :class:`CaptureWarning`.

    Returned tensors are detached (no graph) and, like the gradients a replay
    leaves in ``.grad``, new arrays each call.  Module hyperparameters read as
    Python numbers (dropout ``p``, BatchNorm ``momentum``) are captured at trace
    time: call ``compiled.clear()`` after changing them.  CPU (NumPy) only: CuPy
    tensors raise :class:`CaptureError`.  One trace at a time (not thread-safe).

    Parameters
    ----------
    fn : callable
        The step, e.g. ``def step(x, y): opt.zero_grad(); loss = loss_fn(model(x), y);
        loss.backward(); opt.step(); return loss``.
    max_cache : int
        Programs kept (default 8).
    verify : bool
        Trace twice and compare before the first replay (default True).
    fallback : bool
        Run uncapturable steps eagerly with a warning instead of raising.

    Returns
    -------
    Compiled
        A callable with ``cache_info()``, ``clear()`` and ``program(*args)``.

    Examples
    --------
    >>> import autograd_core as ag
    >>> w = ag.tensor([1.0, 2.0])
    >>> double = ag.compile(lambda x: x * w * 2)
    >>> [double(ag.tensor([1.0, 1.0])).tolist() for _ in range(3)]
    [[2.0, 4.0], [2.0, 4.0], [2.0, 4.0]]
    >>> double.cache_info().hits
    1
    """
    if fn is None:
        return functools.partial(compile, max_cache=max_cache, verify=verify, fallback=fallback)
    if not callable(fn):
        raise TypeError(f"ag.compile: expected a callable, got {type(fn).__name__}")
    if int(max_cache) < 1:
        raise ValueError(f"ag.compile: max_cache must be >= 1, got {max_cache!r}")
    return Compiled(fn, int(max_cache), bool(verify), bool(fallback))


class _Entry:
    __slots__ = ("program", "tracer", "guards", "eager")

    def __init__(self, tracer, guards):
        self.program = None
        self.tracer = tracer  # first trace, kept until the verifying one
        self.guards = guards
        self.eager = False


class Compiled:
    """A compiled step (made by :func:`compile`): call it like ``fn``."""

    def __init__(self, fn, max_cache, verify, fallback):
        self.fn = fn
        self.max_cache, self.verify, self.fallback = max_cache, verify, fallback
        self._cache: OrderedDict = OrderedDict()
        self._state: dict = {}  # id -> parameters and buffers found by earlier traces
        self._hits = self._misses = self._traces = self._eager = 0
        functools.update_wrapper(self, fn)

    def cache_info(self) -> CacheInfo:
        """Counters: hits, misses, traces, eager runs, cached programs and the bound."""
        size = sum(len(entries) for entries in self._cache.values())
        return CacheInfo(self._hits, self._misses, self._traces, self._eager, size,
                         self.max_cache)

    def clear(self) -> None:
        """Drop every cached program (the next call traces again); counters are kept."""
        self._cache.clear()

    def program(self, *args, **kwargs):
        """The replay program cached for these arguments (``str()`` lists its calls), or None."""
        leaves, key = _flatten_key(args, kwargs)
        for entry in self._cache.get(key, ()):
            if entry.program is not None and _guards_hold(entry.guards):
                return entry.program
        return None

    def __call__(self, *args, **kwargs):
        leaves, key = _flatten_key(args, kwargs)
        entries = self._cache.get(key)
        if entries is not None:
            self._cache.move_to_end(key)
            for entry in entries:
                if _guards_hold(entry.guards):
                    if entry.program is not None:
                        self._hits += 1
                        return _unflatten_outputs(entry.program, leaves)
                    self._misses += 1
                    if entry.eager:
                        self._eager += 1
                        return self.fn(*args, **kwargs)
                    return self._trace(args, kwargs, leaves, key, entry)
        self._misses += 1
        return self._trace(args, kwargs, leaves, key, None)

    # -- tracing ---------------------------------------------------------------------------

    def _trace(self, args, kwargs, leaves, key, entry):
        self._traces += 1
        tracer = Tracer(self.fallback)
        with tracer:
            traced_args, traced_kwargs, input_slots = _adopt_inputs(tracer, args, kwargs, leaves)
            for tensor in self._state.values():  # slots from the start, so that every NumPy
                tracer.adopt(tensor, "data")     # call reading them is recorded
            result = self.fn(*traced_args, **traced_kwargs)
            found = {i: t for i, t in tracer.seen.items() if i not in self._state}
            outputs, values, out_tree, end_bindings = _finish(tracer, result, leaves,
                                                              bool(found))
        guards = _guards(tracer)
        if entry is None or not _same_guards(entry.guards, guards):
            entry = _Entry(tracer, guards)
            self._store(key, entry)
        self._state.update(found)
        if tracer.poisoned is not None:
            entry.eager = True
            entry.tracer = None
            warnings.warn(f"ag.compile: {getattr(self.fn, '__name__', 'the step')} runs "
                          f"eagerly: {tracer.poisoned} while tracing", CaptureWarning,
                          stacklevel=3)
        elif found or tracer.unsteady:  # state met only on the way (traced again with it as
            entry.tracer = None            # slots from the start), or an unusual optimizer step
        elif self.verify and entry.tracer is None:
            entry.tracer = tracer
        elif self.verify and entry.tracer is not tracer:
            difference = same_trace(entry.tracer, tracer)
            if difference is not None:
                entry.tracer = tracer
                self._fail("the step recorded a different program on its second trace ("
                           f"{difference}); its Python control flow or a constant depends on "
                           "tensor values or on Python state that changes between calls",
                           entry)
            else:
                entry.program = Program(tracer, input_slots, outputs, end_bindings)
                entry.program.tree = out_tree
                entry.tracer = None
        elif not self.verify:
            entry.program = Program(tracer, input_slots, outputs, end_bindings)
            entry.program.tree = out_tree
            entry.tracer = None
        return _rebuild(out_tree, values)

    def _fail(self, reason, entry):
        if not self.fallback:
            raise CaptureError(f"ag.compile: {reason}. Run this step eagerly, or compile it "
                               "with fallback=True")
        entry.eager = True
        entry.tracer = None
        warnings.warn(f"ag.compile: runs eagerly: {reason}", CaptureWarning, stacklevel=4)

    def _store(self, key, entry):
        entries = self._cache.setdefault(key, [])
        entries.append(entry)
        self._cache.move_to_end(key)
        while sum(len(e) for e in self._cache.values()) > self.max_cache:
            oldest = next(iter(self._cache))
            self._cache[oldest].pop(0)
            if not self._cache[oldest]:
                del self._cache[oldest]


# -- keys and guards ---------------------------------------------------------------------------

def _flatten_key(args, kwargs):
    """The Tensor/array leaves of the arguments, and the cache key of the call."""
    leaves = []
    parts = [grad_mode.is_grad_enabled()]
    _walk((args, kwargs), leaves, parts)
    try:
        key = tuple(parts)
        hash(key)
    except TypeError as err:
        raise TypeError(f"ag.compile: arguments other than Tensors and arrays are part of the "
                        f"cache key and must be hashable ({err})") from None
    return leaves, key


def _walk(value, leaves, parts):
    cls = value.__class__
    if cls is Tensor or isinstance(value, Tensor):  # (nn.Parameter too)
        data = value.data
        leaves.append(value)
        parts.append((cls, data.shape, data.dtype.str, value.device, value._rg))
    elif cls is tuple or cls is list:
        parts.append((cls, len(value)))
        for v in value:
            _walk(v, leaves, parts)
    elif cls is dict:
        parts.append((dict, tuple(value)))
        for v in value.values():
            _walk(v, leaves, parts)
    elif isinstance(value, _ndarray):
        leaves.append(value)
        parts.append(("A", value.shape, value.dtype.str))
    else:
        parts.append(("S", cls, value))


def _guards(tracer):
    modules = tuple((m, training, params, buffers) for m, training, params, buffers
                    in tracer.modules)
    grads = tuple(tracer.grad_guards.values())
    # the arrays read from tensors at each replay must keep the layout the program assumes
    layouts = tuple((tensor, raw.shape, raw.dtype) for tensor, attr, slot, raw, _, _
                    in tracer.holders if attr == "data" and tracer.slots[slot].kind == "state")
    return modules, grads, layouts


def _guards_hold(guards):
    modules, grads, layouts = guards
    for tensor, shape, dtype in layouts:
        data = tensor.data
        if data.shape != shape or data.dtype != dtype:
            return False
    for m, training, params, buffers in modules:
        if m.training != training or tuple(map(id, m._parameters.values())) != params or \
                tuple(map(id, m._buffers.values())) != buffers:
            return False
    for p, was_none in grads:
        if was_none is not None and (p.grad is None) != was_none:
            return False
    return True


def _same_guards(a, b):
    """Whether two traces' guards are the same: each kind of guard is a tuple of entries
    ``(object, *values)``, equal when the objects are one and the values are equal."""
    return all(len(x) == len(y) and all(u[0] is v[0] and u[1:] == v[1:] for u, v in zip(x, y))
               for x, y in zip(a, b))


# -- the trace's boundary ----------------------------------------------------------------------

def _adopt_inputs(tracer, args, kwargs, leaves):
    """Swap the arguments' arrays for input slots; return the arguments to call ``fn`` with."""
    input_slots = []
    replaced = {}
    for index, leaf in enumerate(leaves):
        if isinstance(leaf, Tensor):
            traced = tracer.adopt(leaf, "data", kind="input")
            input_slots.append((traced._slot, index))
        else:
            if id(leaf) not in replaced:
                replaced[id(leaf)] = tracer.new_slot(leaf, "input")
            input_slots.append((replaced[id(leaf)]._slot, index))
    if not replaced:
        return args, kwargs, input_slots

    def swap(value):
        if isinstance(value, _ndarray) and id(value) in replaced:
            return replaced[id(value)]
        if value.__class__ in (tuple, list):
            return value.__class__(swap(v) for v in value)
        if value.__class__ is dict:
            return {k: swap(v) for k, v in value.items()}
        return value

    return swap(args), swap(kwargs), input_slots


def _finish(tracer, result, leaves, discovering=False):
    """Outputs and the ``.data``/``.grad`` bindings a replay must make; real arrays back.

    ``discovering``: the trace met state no earlier trace knew, so it is traced again
    (arrays computed from that state were not traced this time)."""
    for opt, hyper in tracer.optimizers:
        if _hyperparameters(opt) != hyper:
            raise CaptureError(
                f"ag.compile: the step changed {type(opt).__name__}'s hyperparameters after "
                "opt.step() (a learning-rate scheduler's step() inside the compiled function?); "
                "replays would not repeat it. Call scheduler.step() outside the compiled "
                "function")
    input_ids = {id(leaf) for leaf in leaves if isinstance(leaf, Tensor)}
    end_bindings = []
    params = {}
    for tensor, attr, slot, raw, traced, holder in tracer.holders:
        if attr == "data" and holder.data is not traced:
            current = holder.data
            if isinstance(current, TracedArray) and current._slot is not None:
                if id(tensor) in input_ids:
                    raise CaptureError("ag.compile: the step rebinds an argument's .data; "
                                       "return the new value instead")
                end_bindings.append((tensor, "data", current._slot))
                holder.data = current._raw
            else:
                raise CaptureError("ag.compile: the step rebinds a parameter's or buffer's "
                                   ".data to an array it did not compute; the replay cannot "
                                   "repeat that")
        if tensor._rg and id(tensor) not in input_ids:
            params[id(tensor)] = tensor
    for p, _ in tracer.grad_guards.values():
        params[id(p)] = p
    held_grads = {id(h[5]) for h in tracer.holders if h[1] == "grad"}
    for p in params.values():
        g = p.grad
        if g is None:
            if any(h[0] is p and h[1] == "grad" for h in tracer.holders):
                end_bindings.append((p, "grad", None))
            continue
        if id(g) in held_grads and not isinstance(g.data, TracedArray):
            continue  # the gradient the step found, untouched
        if isinstance(g.data, TracedArray):
            if g.data._slot is None:
                raise CaptureError("ag.compile: a gradient was produced outside the recorded "
                                   "calls")
            end_bindings.append((p, "grad", g.data._slot))
            p.grad = Tensor._new(g.data._raw)
    for leaf in leaves:
        if isinstance(leaf, Tensor) and leaf.grad is not None and \
                isinstance(leaf.grad.data, TracedArray):
            raise CaptureError("ag.compile: the step computes gradients of its arguments "
                               "(an argument requires grad); compile a function that returns "
                               "them instead (e.g. ag.grad)")
    from ..functional.pytree import tree_flatten  # noqa: PLC0415

    out_leaves, tree = tree_flatten(result)
    outputs, values = [], []
    for leaf in out_leaves:
        data = leaf.data if isinstance(leaf, Tensor) else leaf
        if isinstance(data, TracedArray):
            if data._slot is None:
                raise CaptureError("ag.compile: the step returns an array produced outside "
                                   "the recorded calls")
            kind = "tensor" if isinstance(leaf, Tensor) else "array"
            outputs.append((kind, data._slot))
            values.append(Tensor._new(data._raw) if kind == "tensor" else data._raw)
        else:
            if isinstance(data, _ndarray) and not discovering:
                _untraced_output(tracer, leaf)
            outputs.append(("object", leaf))
            values.append(leaf)
    return outputs, values, tree, end_bindings


def _untraced_output(tracer, leaf):
    """A returned array that no recorded call produced: a replay could only return this
    trace's value again, so it is refused (or, with ``fallback``, the step runs eagerly)."""
    what = f"a {type(leaf).__name__} of shape {leaf.shape} that no recorded call produced"
    tracer.refuse(
        f"the step returns {what}",
        f"ag.compile: the step returns {what} (computed outside the traced NumPy calls, e.g. "
        "with numpy.array(t.data), or a tensor held outside the step); every replay would "
        "return this same value. Compute it with autograd_core ops inside the step, return "
        "it from outside the compiled function, or run this step eagerly")


def _rebuild(tree, values):
    from ..functional.pytree import tree_unflatten  # noqa: PLC0415

    return tree_unflatten(tree, values)


def _unflatten_outputs(program, leaves):
    return _rebuild(program.tree, program.run(leaves))
