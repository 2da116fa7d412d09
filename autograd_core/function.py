"""``Function``: the base class of every differentiable op, and the graph node it leaves behind.

An op is a small subclass with two methods side by side::

    class Exp(Function):
        save_output = True

        def forward(self, x):            # arrays in, array out
            return array_module(x).exp(x)

        def backward(self, grad, out):   # Tensors in, one Tensor (or None) per input out
            return (grad * out,)

``forward`` works on raw NumPy/CuPy arrays.  ``backward`` is written with
differentiable tensor ops, so the backward pass can itself be recorded
(``create_graph=True``) for gradients of gradients.  The base class owns the
generic work: turning operands into arrays, device checks, readable errors,
graph recording and version snapshots.  The engine owns unbroadcasting and
dtype casts of the returned gradients, so ops never repeat them.
"""

from __future__ import annotations

import traceback

import numpy

from . import backend, grad_mode
from .tensor import IN_PLACE_WRITES, Tensor, as_operand, counter_of, version_counter

_mode = grad_mode.state  # this thread's switches (one attribute read per op)

__all__ = ["Function", "ShapeError"]

_ndarray = numpy.ndarray
_new_object = object.__new__
_SCALARS = (int, float, bool)


class ShapeError(ValueError):
    """Raised when the operands of an op have incompatible shapes."""


class Function:
    """Base class of ops; an instance that took part in a recorded forward is a graph node.

    Class attributes a subclass may set:

    ``save_inputs``
        ``True`` when ``backward`` reads the inputs' values (``self.inputs``); the
        engine then checks that none of them was modified in place before
        backward runs, and a recorded backward (``create_graph=True``) sees them
        as Tensors, so second derivatives flow through them.  Without it,
        ``self.inputs`` holds the raw arrays: enough for shapes and dtypes only.
    ``reads``
        With ``save_inputs``, optionally which input values each input's gradient
        reads: one bit mask per input (bit ``j`` set: the gradient of this input
        reads input ``j``).  Only the inputs read by the gradients actually needed
        are guarded against in-place changes, so ``y * 2.0`` keeps no version
        counter for ``y`` (its gradient reads only the ``2.0``).  ``None`` (the
        default): every input is read.
    ``save_output``
        ``True`` when ``backward`` reads the output's value (passed as ``out``).
    ``saved_attributes``
        Names of other attributes holding arrays kept for backward; the engine
        sets them to ``None`` with the rest of the graph after a backward pass
        that does not ``retain_graph``.
    ``fresh_gradients``
        ``True`` when every gradient ``backward`` returns is a new array of its
        own (not ``grad``, not a view, not an array kept anywhere else).  The
        engine may then let the next op overwrite it in place.

    During backward the engine sets ``self.owns_grad``: ``True`` when ``grad``
    is an array no one else holds (unrecorded pass, no hooks or ``retain_grad``
    on it), so ``backward`` may overwrite it and return it.
    """

    # hot attributes live in slots; the rarely set ones are class-level defaults that
    # an instance overrides in its __dict__ only when used
    # ``inputs``: the operands as raw arrays (Python scalars as they are).  The node keeps
    # no operand Tensor: intermediate Tensors die with the user's last reference, so the
    # garbage collector has fewer objects to re-scan in a long graph.  Ops that
    # ``save_inputs`` keep their operands' version counters (``saved_counters``) and the
    # sum of their values.
    __slots__ = ("inputs", "parents", "saved_counters", "saved_versions", "saved_writes",
                 "out_data", "owns_grad", "__dict__", "__weakref__")
    save_inputs = False
    # per input, a bit mask of the inputs its gradient reads (None: all of them)
    reads: tuple[int, ...] | None = None
    save_output = False
    saved_attributes: tuple[str, ...] = ()
    fresh_gradients = False
    name = "function"
    out_version = None
    pre_hooks = None
    retained = None
    trace = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = cls.__name__.lower()

    def forward(self, *arrays):  # pragma: no cover - abstract
        """Compute the op on raw arrays; return one array."""
        raise NotImplementedError

    def backward(self, grad, out):  # pragma: no cover - abstract
        """Return one gradient Tensor (or ``None`` for zero / not needed) per input."""
        raise NotImplementedError(f"'{self.name}' is not differentiable")

    def __call__(self, *inputs):
        """Run the op on ``inputs`` (Tensors, Python scalars or array-likes) and record it."""
        # the hot path of every op: one pass over the operands, no per-node lists kept
        if backend.tracing is not None:  # ag.compile: tensors held outside the step are
            backend.tracing.operands(inputs)  # read from them at every replay
        datas = []
        parents = []
        needs_grad = False
        has_array = False
        foreign = False  # an operand that is not a NumPy array or a Python scalar
        for x in inputs:
            if isinstance(x, Tensor):
                d = x.data
                datas.append(d)
                if d.__class__ is not _ndarray:
                    foreign = True
                if x._rg:
                    needs_grad = True
                    parents.append(x.node or x)
                else:
                    parents.append(None)
            elif x.__class__ in _SCALARS:
                datas.append(x)
                parents.append(None)
            elif x.__class__ is _ndarray or backend.is_array(x):
                has_array = True
                datas.append(x)
                parents.append(None)
                if x.__class__ is not _ndarray:
                    foreign = True
            else:
                return self(*[_operand(x) for x in inputs])
        if has_array and (not _mode.array_mode or any(isinstance(x, Tensor) for x in inputs)):
            # arrays met outside an unrecorded backward pass are constants: wrap them
            return self(*[Tensor._new(x) if backend.is_array(x) else x for x in inputs])
        if foreign and len(datas) > 1:
            self._check_devices(datas)
        try:
            out = self.forward(*datas)
        except (ValueError, TypeError, IndexError) as err:
            raise self._operand_error(err, inputs) from err
        if out.__class__ is not _ndarray:
            out = _as_array(out)
        if has_array:
            return out  # array mode: no Tensor, no graph
        result = _new_object(Tensor)  # Tensor._new, inlined
        result.data = out
        result.grad = None
        result._vc = None
        result._hooks = None
        if not (needs_grad and _mode.grad_enabled):
            result._rg = False
            result.node = None
            return result
        self.inputs = tuple(datas)  # a tuple of arrays: the GC stops tracking it
        self.parents = tuple(parents)
        if self.save_inputs:
            self._save_input_versions(inputs, parents)
        else:
            self.saved_counters = self.saved_versions = None
        if self.save_output:
            self.out_data = out
            result._vc = self.out_version = version_counter()
        else:
            self.out_data = None
        mode = _mode
        if mode.anomaly_enabled:
            self.trace = traceback.format_stack()[:-2]
        if mode.record_hook is not None:  # autograd_core.checkpoint notes its segment
            mode.record_hook(self)
        result.node = self
        result._rg = True
        return result

    def _save_input_versions(self, inputs, parents):
        """Keep the version counters of the inputs whose values backward reads."""
        reads = self.reads
        needed = -1  # bit mask of those inputs (all of them without ``reads``)
        if reads is not None:
            needed = 0
            for mask, parent in zip(reads, parents):
                if parent is not None:
                    needed |= mask
            if not needed:  # e.g. y * 2.0: the gradient reads only the 2.0
                self.saved_counters, self.saved_versions = (), 0
                self.saved_writes = IN_PLACE_WRITES[0]
                return
        # counters only grow, so their sum changes iff any of them was modified
        counters = []
        total = 0
        for x in inputs:
            if needed & 1 and isinstance(x, Tensor):
                counter = x._vc or counter_of(x)
                counters.append(counter)
                total += counter[0]
            needed >>= 1
        self.saved_counters = tuple(counters) if counters else ()  # () is shared: no object
        self.saved_versions = total
        self.saved_writes = IN_PLACE_WRITES[0]

    # -- helpers used by the engine -------------------------------------------------

    def run_backward(self, grad, out, array_mode: bool):
        """Call ``backward``; in array mode ``self.inputs``, ``grad`` and ``out`` are raw arrays.

        When the backward pass is not recorded (``create_graph=False``) the engine
        hands ``backward`` raw arrays instead of Tensors, so its arithmetic runs at
        NumPy speed.  The same ``backward`` code serves both modes because operators,
        array methods and ``autograd_core`` functions accept either; a recorded pass
        sees the Tensors in ``self.inputs`` for the duration of the call.
        """
        if array_mode or self.saved_counters is None:  # (ops that never read input values)
            grads = self.backward(grad, out)
        else:
            arrays = self.inputs
            self.inputs = self._input_tensors()
            try:
                grads = self.backward(grad, out)
            finally:
                self.inputs = arrays
        if grads.__class__ is not tuple or len(grads) != len(self.parents):
            grads = self._gradient_tuple(grads)
        return grads

    def _gradient_tuple(self, grads):
        """``backward``'s result as a tuple with one entry per input, or a clear error."""
        n = len(self.parents)
        if isinstance(grads, (tuple, list)) and len(grads) >= n and \
                all(g is None for g in grads[n:]):  # (None for an optional input not given)
            return tuple(grads[:n])
        got = (f"{len(grads)} gradients" if isinstance(grads, (tuple, list))
               else f"a {type(grads).__name__}")
        raise TypeError(
            f"backward of '{self.name}' returned {got} for {n} input(s); it must return a "
            f"tuple with one gradient (or None) per input of forward, e.g. (grad_x,) for one")

    def _input_tensors(self):
        """The operands as Tensors wired into the graph, for a recorded backward: a leaf
        is itself, a computed operand a Tensor on its producing node, others constants."""
        tensors = []
        for data, parent in zip(self.inputs, self.parents):
            if parent is None:
                tensors.append(data if data.__class__ in _SCALARS else Tensor._new(data))
            elif isinstance(parent, Tensor):
                tensors.append(parent)
            else:
                t = Tensor._new(data)
                t.node, t._rg = parent, True
                tensors.append(t)
        return tensors

    def check_versions(self):
        """Raise if an input or the output saved for backward was modified in place since."""
        saved = self.saved_versions
        if saved is not None and self.saved_writes != IN_PLACE_WRITES[0]:
            now = sum(counter[0] for counter in self.saved_counters)
            if now != saved:
                described = ", ".join(_describe(x) for x in self.inputs)
                raise _inplace_error(self.name, f"its inputs ({described})", saved, now)
        if self.out_data is not None and self.out_version[0] != 0:
            raise _inplace_error(self.name, "its output", 0, self.out_version[0])

    def _check_devices(self, datas):
        devices = {backend.device_of(d) for d in datas if d.__class__ not in _SCALARS}
        if len(devices) > 1:
            raise backend.DeviceError(
                f"{self.name}: operands are on different devices ({', '.join(sorted(devices))}); "
                "move them to one device first with .to(device)"
            )

    def _operand_error(self, err, inputs):
        described = ", ".join(_describe(x) for x in inputs)
        cls = ShapeError if isinstance(err, ValueError) else type(err)
        message = f"{self.name}: {err} (operands: {described})"
        try:
            return cls(message)
        except Exception:  # noqa: BLE001 - an exception class with another signature
            return (IndexError if isinstance(err, IndexError) else TypeError)(message)

    def __repr__(self):
        return f"<{type(self).__name__}>"


def _operand(x):
    """Normalise an unusual operand: NumPy scalars are 0-d arrays inside an unrecorded
    backward pass (where NumPy produces them from 0-d arithmetic) and weak Python
    scalars elsewhere; lists and other array-likes become constant Tensors."""
    if isinstance(x, numpy.generic) and _mode.array_mode:
        return numpy.asarray(x)
    return as_operand(x)


def _as_array(out):
    if isinstance(out, numpy.generic) or out.__class__ in _SCALARS:
        return numpy.asarray(out)
    return out


def _describe(x) -> str:
    if isinstance(x, Tensor):
        x = x.data
    if backend.is_array(x):
        device = backend.device_of(x)
        return f"{x.dtype}{list(x.shape)}" + ("" if device == "cpu" else f" on {device}")
    return repr(x)


def _inplace_error(op, what, saved, now):
    return RuntimeError(
        f"backward of '{op}' needs the values of {what}, but they were modified in place after "
        f"the forward pass (version {saved} when saved, {now} now). Make the change out of place "
        "(e.g. x = x * 2 instead of an in-place update or x[...] = v), or .clone() the tensor "
        "before modifying it."
    )
