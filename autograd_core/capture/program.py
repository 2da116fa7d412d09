"""``Program``: a traced step as data (a flat list of calls on buffer slots) and its replay.

Planning, done once per trace:
  * storages (a slot and the views of it) get a live range: from the call that
    creates them to the last call that reads or writes any view of them;
  * a ufunc or reduction whose result lives only inside the step writes, with
    ``out=``, into a buffer preallocated once and shared by liveness with other
    results of the same shape, dtype and layout;
  * calls that create an array from shapes alone (``zeros``, ``arange``) and whose
    result is never written become constants made once;
  * arrays the step hands out (returned values, gradients left in ``.grad``,
    rebound ``.data``) are made fresh on each replay, as the eager step makes them.

Replay reads the inputs and the state arrays (parameters, buffers, gradients)
from their tensors, runs the calls in order, checks the truth-value guards,
runs each optimizer's plan as a host call (and its kernels unless this step's
plan differs from the recorded one), other ``optimizer.step()`` calls as host
calls, and binds the results.
It makes no Tensor except those it returns or leaves in ``.grad``.
"""

from __future__ import annotations

import builtins

import numpy

from ..tensor import Tensor
from ._traced import CaptureError
from ._tracer import Ref, ScalarRef

__all__ = ["Program"]

# ndarray methods that are one ufunc reduction, with the same result given ``out=``
_REDUCTIONS = (numpy.ndarray.sum, numpy.ndarray.max, numpy.ndarray.min, numpy.ndarray.prod)



class Program:
    """A replayable step built from a finished :class:`Tracer` (see the module docstring).

    Attributes
    ----------
    instructions : list of str
        One line per call, guard and host call, in order (``str(program)`` joins them).
    n_buffers : int
        Preallocated buffers shared by the pooled results.
    source : str
        The Python source of the replay function generated from the calls.
    """

    def __init__(self, tracer, input_slots, outputs, end_bindings):
        self.input_slots = input_slots  # [(slot, leaf index)]
        self.outputs = outputs  # [("tensor" | "array", slot) | ("object", value)] per leaf
        self.instructions = [ins.describe() for ins in tracer.instrs]
        slots, instrs = tracer.slots, tracer.instrs
        storage = [tracer.find(s) for s in range(len(slots))]
        escaping = {storage[s] for s, _ in input_slots}
        escaping.update(storage[s] for s, info in enumerate(slots) if info.kind == "state")
        escaping.update(storage[v] for kind, v in outputs if kind != "object")
        escaping.update(storage[s] for _, _, s in end_bindings if s is not None)
        for ins in instrs:
            if ins.op in ("host", "plan"):  # gradients bound to .grad for the optimizer
                escaping.update(storage[s] for s in ins.uses)
        written = {storage[s] for ins in instrs for s in ins.writes}
        last = {}
        for i, ins in enumerate(instrs):
            for s in ins.uses:
                last[storage[s]] = i
            for s in ins.writes:
                last[storage[s]] = i
        initial = [None] * len(slots)
        constant = set()
        for i, ins in enumerate(instrs):
            if ins.op == "call" and ins.creation and not ins.impure and not ins.writes \
                    and isinstance(ins.outs, int):
                s = ins.outs
                if storage[s] not in written and storage[s] not in escaping \
                        and slots[s].value is not None:
                    initial[s] = slots[s].value
                    constant.add(i)
        for info in slots:
            info.value = None
        # pool: results of ufunc calls / reductions that stay inside the step
        free: dict = {}
        release: dict = {}
        buffers = 0
        pooled = {}
        for i, ins in enumerate(instrs):
            for key, buffer in release.pop(i - 1, ()):
                free.setdefault(key, []).append(buffer)
            if ins.op != "call" or i in constant or not isinstance(ins.outs, int):
                continue
            s = ins.outs
            st = storage[s]
            info = slots[s]
            if st != s or st in escaping or "out" in ins.kwargs or "where" in ins.kwargs:
                continue
            if not (ins.method == "__call__" and ins.ufunc.nout == 1 or ins.method == "reduce"
                    or ins.fn in _REDUCTIONS):
                continue
            if info.strides != _c_strides(info.shape, info.dtype):
                continue
            key = (info.shape, info.dtype.str)
            stack = free.get(key)
            if stack:
                buffer = stack.pop()
            else:
                buffer = numpy.empty(info.shape, info.dtype)
                buffers += 1
            pooled[i] = buffer
            release.setdefault(last.get(st, i), []).append((key, buffer))
        self.n_buffers = buffers
        self.initial = initial
        self.state_reads = [(s, tensor, attr) for tensor, attr, s, *_ in tracer.holders
                            if slots[s].kind == "state"]
        self.end_bindings = end_bindings
        self.source, self._replay = _generate(self, instrs, constant, pooled, slots)

    def __str__(self):
        return "\n".join(self.instructions)

    def run(self, leaves):
        """Replay the step on the input arrays of ``leaves``; return the output leaves."""
        return self._replay(leaves)


class _Names:
    """Names for the objects the generated replay function refers to (its globals)."""

    def __init__(self):
        self.globals = {"_T": Tensor._new, "_asarray": numpy.asarray, "_bool": bool}
        self._ids = {}

    def of(self, obj, prefix="k"):
        key = id(obj)
        name = self._ids.get(key)
        if name is None:
            name = self._ids[key] = f"{prefix}{len(self._ids)}"
            self.globals[name] = obj
        return name

    def expr(self, value):
        """Python source for an argument: slots by name, simple literals inline."""
        cls = value.__class__
        if cls is Ref:
            return f"s{value.slot}"
        if cls is ScalarRef:
            return f"_e[{value.index[0]}][3][{value.index[1]}]"
        if cls is tuple:
            inner = ", ".join(self.expr(v) for v in value)
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        if cls is list:
            return "[" + ", ".join(self.expr(v) for v in value) + "]"
        if cls is dict and all(isinstance(k, str) for k in value):
            return "{" + ", ".join(f"{k!r}: {self.expr(v)}" for k, v in value.items()) + "}"
        if value is None or cls in (bool, int, str) or (cls is float and value == value and
                                                       abs(value) != float("inf")):
            return repr(value)
        return self.of(value)


def _generate(program, instrs, constant, pooled, slots):
    """Python source of the replay (one line per call) and the function compiled from it."""
    names = _Names()
    lines = ["def _replay(leaves):"]
    for slot, index in program.input_slots:
        lines.append(f"    s{slot} = leaves[{index}]")
        lines.append(f"    s{slot} = getattr(s{slot}, 'data', s{slot})")
    for slot, tensor, attr in program.state_reads:
        t = names.of(tensor, "t")
        read = f"{t}.data" if attr == "data" else f"{t}.grad.data"
        lines.append(f"    s{slot} = {read}")
    for s, value in enumerate(program.initial):
        if value is not None:
            lines.append(f"    s{s} = {names.of(value, 'c')}")
    pad = "    "  # the optimizer's kernels go under an ``else:`` (see "plan")
    for i, ins in enumerate(instrs):
        if i in constant:
            continue
        if ins.op == "guard":
            where = names.of(ins.where, "w")
            lines.append(f"{pad}if _bool(s{ins.uses[0]}) != {ins.literals!r}: "
                         f"_guard_failed({ins.literals!r}, {where})")
        elif ins.op == "zero":
            lines.append(f"{pad}{names.of(ins.fn, 'o')}.zero_grad({ins.args!r})")
        elif ins.op in ("host", "plan"):
            for p, slot in ins.args:
                value = "None" if slot is None else f"_T(s{slot})"
                lines.append(f"{pad}{names.of(p, 't')}.grad = {value}")
            opt = names.of(ins.fn, "o")
            if ins.op == "host":
                lines.append(f"{pad}{opt}.step()")
                continue
            # the plan's bookkeeping runs as the optimizer's code; when this step's plan is
            # not the recorded one (a flush step, new state) its kernels run eagerly instead
            lines.append(f"{pad}_p = {opt}._capture_plan()")
            lines.append(f"{pad}if _p[0] != {names.of(ins.literals, 'k')}:")
            lines.append(f"{pad}    {opt}._apply_plan(_p[1])")
            lines.append(f"{pad}else:")
            pad = "        "
            lines.append(f"{pad}_e = _p[1]")
            for slot, entry, k in ins.kwargs["arrays"]:
                lines.append(f"{pad}s{slot} = _e[{entry}][2][{k}]")
        elif ins.op == "end_plan":
            pad = "    "
        else:
            args = [names.expr(a) for a in ins.args]
            kwargs = dict(ins.kwargs)
            buffer = pooled.get(i)
            call_kwargs = [f"{k}={names.expr(v)}" for k, v in kwargs.items()]
            if buffer is not None:
                out = (buffer,) if ins.method == "__call__" else buffer
                call_kwargs.append(f"out={names.of(out, 'b')}")
            call = f"{names.of(ins.fn, 'f')}({', '.join(args + call_kwargs)})"
            outs = ins.outs
            if outs is None:
                lines.append(f"{pad}{call}")
            elif isinstance(outs, int):
                if buffer is None and slots[outs].zero_d:
                    call = f"_asarray({call})"
                lines.append(f"{pad}s{outs} = {call}")
            else:
                lines.append(f"{pad}_r = {call}")
                for k, slot in enumerate(outs):
                    if slot is not None:
                        wrap = "_asarray" if slots[slot].zero_d else ""
                        lines.append(f"{pad}s{slot} = {wrap}(_r[{k}])")
    for tensor, attr, slot in program.end_bindings:
        t = names.of(tensor, "t")
        if attr == "data":
            lines.append(f"    {t}.data = s{slot}")
        else:
            lines.append(f"    {t}.grad = " + ("None" if slot is None else f"_T(s{slot})"))
    outputs = []
    for kind, v in program.outputs:
        outputs.append(f"_T(s{v})" if kind == "tensor" else f"s{v}" if kind == "array"
                       else names.of(v, "v"))
    lines.append("    return [" + ", ".join(outputs) + "]")
    source = "\n".join(lines) + "\n"
    names.globals["_guard_failed"] = _guard_failed
    namespace = dict(names.globals)
    exec(builtins.compile(source, "<ag.compile replay>", "exec"), namespace)  # noqa: S102
    return source, namespace["_replay"]


def _guard_failed(expected, where):
    raise CaptureError(
        "ag.compile: a truth value read while tracing (bool of a tensor, "
        f"{expected} then) is {not expected} in this call, so the eager step "
        "would take another branch; this replay stopped there (the calls before "
        "it have run). Run such steps eagerly. Traced at:\n" + where)


def _c_strides(shape, dtype):
    strides, step = [], dtype.itemsize
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


def same_trace(a, b):
    """``None`` when two tracers recorded the same program, else where they first differ."""
    if len(a.instrs) != len(b.instrs):
        return f"{len(a.instrs)} calls, then {len(b.instrs)}"
    for i, (x, y) in enumerate(zip(a.instrs, b.instrs)):
        same = (x.op == y.op and x.outs == y.outs and x.uses == y.uses and x.writes == y.writes
                and (x.fn is y.fn or x.fn == y.fn) and _same(x.args, y.args)
                and _same(x.kwargs, y.kwargs) and _same(x.literals, y.literals))
        if not same:
            return f"call {i}: {x.describe()}  then  {y.describe()}"
    if len(a.slots) != len(b.slots):
        return "different slots"
    return None


def _same(x, y):
    if isinstance(x, numpy.ndarray) or isinstance(y, numpy.ndarray):
        if not (isinstance(x, numpy.ndarray) and isinstance(y, numpy.ndarray)):
            return False
        if x is y:
            return True
        return x.shape == y.shape and x.dtype == y.dtype and \
            bool(numpy.array_equal(x, y, equal_nan=x.dtype.kind in "fc"))
    if isinstance(x, (tuple, list)):
        return type(x) is type(y) and len(x) == len(y) and all(map(_same, x, y))
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x)
    try:
        return bool(x == y) if x is not y else True
    except Exception:  # noqa: BLE001 - objects without a usable ==
        return False
