"""``TracedArray``: a NumPy array that records every kernel applied to it while a step is traced.

During tracing the arrays of the step (inputs, parameters, buffers, and every
intermediate) are ``TracedArray`` views of real arrays, so the step runs
eagerly, with real values, while each NumPy call that touches one of them is
handed to the active :class:`~autograd_core.capture._tracer.Tracer`.  Three NumPy
protocols route the calls here: ``__array_ufunc__`` (operators, ufuncs and
their ``reduce``/``at`` methods), ``__array_function__`` (``numpy.where``,
``numpy.concatenate`` ...) and the ndarray methods overridden below.  An array
NumPy produced by another route (a method not listed here) has no slot, and
using it raises :class:`CaptureError` instead of being baked into the program.
"""

from __future__ import annotations

import operator

import numpy

__all__ = ["TracedArray", "TracedScalar", "CaptureError", "TracingNumpy", "TracingGenerator"]

_ndarray = numpy.ndarray


class CaptureError(RuntimeError):
    """Raised when a step cannot be captured faithfully (the message says why and what to do)."""


_state = {"tracer": None}  # the active Tracer (one trace at a time)


def _tracer():
    tracer = _state["tracer"]
    if tracer is None:
        raise CaptureError("a traced array was used after its trace ended; arrays of a trace "
                           "are valid only inside the traced call")
    return tracer


class TracedArray(_ndarray):
    """An ndarray view whose NumPy calls are recorded by the active tracer (see module doc)."""

    _slot = None
    _raw = None
    _logical_base = None

    def __array_finalize__(self, obj):
        self._slot = None  # set by the tracer when it made this array; None: untracked
        self._raw = None  # the plain ndarray this is a view of
        self._logical_base = None

    @property
    def base(self):  # the engine's ownership tests read .base: report the traced view tree
        return self._logical_base

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        fn = ufunc if method == "__call__" else getattr(ufunc, method)
        writes = ()
        if method == "at":
            writes = (inputs[0],)
        return _tracer().call(fn, inputs, kwargs, writes=writes, ufunc=ufunc, method=method)

    def __array_function__(self, func, types, args, kwargs):
        return _tracer().call(func, args, kwargs)

    # -- host reads: refused (or, for truth values, checked on every replay) ----------

    def __bool__(self):
        return _tracer().guard(self)

    def item(self, *args):
        return _tracer().host_read(".item()", self, lambda a: a.item(*args))

    def tolist(self):
        return _tracer().host_read(".tolist()", self, lambda a: a.tolist())

    def __float__(self):
        return _tracer().host_read("float()", self, float)

    def __int__(self):
        return _tracer().host_read("int()", self, int)

    def __index__(self):
        return _tracer().host_read("using a tensor as an index (operator.index)", self,
                                   operator.index)

    def __complex__(self):
        return _tracer().host_read("complex()", self, complex)

    def tobytes(self, *args, **kwargs):
        return _tracer().host_read(".tobytes()", self, lambda a: a.tobytes(*args, **kwargs))

    def __repr__(self):
        return f"TracedArray(shape={self.shape}, dtype={self.dtype})"

    __str__ = __repr__

    @property
    def T(self):
        return _tracer().call(_ndarray.transpose, (self,), {})

    @property
    def mT(self):
        return _tracer().call(numpy.swapaxes, (self, -1, -2), {})

    def __getitem__(self, index):
        return _tracer().call(_ndarray.__getitem__, (self, index), {})

    def __setitem__(self, index, value):
        _tracer().call(_ndarray.__setitem__, (self, index, value), {}, writes=(self,))

    def fill(self, value):
        _tracer().call(_ndarray.fill, (self, value), {}, writes=(self,))


class TracedScalar(float):
    """A number of an optimizer's step (learning rate, bias correction) while the step is
    traced: calls record it as a reference that each replay fills from the optimizer's
    plan, never as a constant.  Arithmetic on it would make a constant, so it raises."""

    def __new__(cls, value, index):
        self = super().__new__(cls, value)
        self.index, self.value = index, value
        return self

    def _refuse(self, *args):
        if args and isinstance(args[0], _ndarray):
            return NotImplemented  # (the array's operator records the call)
        raise CaptureError(
            "ag.compile: an optimizer's _apply computed with a step scalar (arithmetic on "
            "it would become a constant of the replayed program); compute such numbers in "
            "its _plan and pass them in scalars")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = _refuse
    __pow__ = __rpow__ = __neg__ = __pos__ = __abs__ = _refuse


def _recorded_method(name):
    method = getattr(_ndarray, name)

    def recorded(self, *args, **kwargs):
        out = kwargs.get("out")
        writes = (out,) if isinstance(out, TracedArray) else ()
        return _tracer().call(method, (self, *args), kwargs, writes=writes)

    recorded.__name__ = name
    recorded.__doc__ = method.__doc__
    return recorded


# ndarray methods that do not go through the ufunc/function protocols, or whose result
# the replay should reproduce with the very same call
_METHODS = ("reshape", "transpose", "swapaxes", "squeeze", "ravel", "flatten", "astype",
            "copy", "view", "sum", "mean", "max", "min", "prod", "var", "std", "any", "all",
            "argmax", "argmin", "cumsum", "cumprod", "clip", "dot", "repeat", "take", "nonzero",
            "sort", "argsort", "round", "conj", "conjugate", "diagonal", "trace", "compress",
            "searchsorted", "partition", "argpartition", "ptp", "choose", "put", "__copy__",
            "__deepcopy__", "__reduce__", "__reduce_ex__", "byteswap", "getfield", "setfield",
            "resize", "itemset", "tofile", "dump", "dumps", "to_device", "__array__",
            "__dlpack__")
_WRITING = {"sort", "partition", "put", "resize", "itemset", "setfield", "byteswap"}
_REFUSED = {"tofile", "dump", "dumps", "__reduce__", "__reduce_ex__", "__dlpack__",
            "to_device", "getfield", "setfield", "itemset", "resize", "byteswap"}

for _name in _METHODS:
    if not hasattr(_ndarray, _name):
        continue
    if _name in _REFUSED:
        def _refuse(self, *args, _what=_name, **kwargs):
            return _tracer().host_read(
                f".{_what}()", self, lambda a: getattr(a, _what)(*args, **kwargs))
        setattr(TracedArray, _name, _refuse)
    elif _name in _WRITING:
        def _write(self, *args, _method=getattr(_ndarray, _name), **kwargs):
            return _tracer().call(_method, (self, *args), kwargs, writes=(self,))
        setattr(TracedArray, _name, _write)
    elif _name == "__array__":
        continue
    else:
        setattr(TracedArray, _name, _recorded_method(_name))


# -- the array module and random generators seen while tracing --------------------------------

_CREATION = ("zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like",
             "full_like", "arange", "eye", "identity", "linspace", "array", "asarray",
             "ascontiguousarray", "asanyarray", "tri", "copy")


class TracingNumpy:
    """What ``backend.array_module`` returns for traced arrays: NumPy, with its array-creating
    functions recorded (a ``zeros`` filled in place later must be re-created on each replay)."""

    __name__ = "numpy"

    def __getattr__(self, name):
        attr = getattr(numpy, name)
        if name in _CREATION:
            def create(*args, _fn=attr, **kwargs):
                return _tracer().call(_fn, args, kwargs, creation=True)
            create.__name__ = name
            return create
        return attr


class TracingGenerator:
    """A stand-in for a ``numpy.random.Generator`` while tracing: each draw is recorded as a
    call on the real generator, so every replay draws anew and advances the same stream."""

    def __init__(self, generator):
        self._generator = generator

    def __getattr__(self, name):
        attr = getattr(self._generator, name)
        if not callable(attr) or name.startswith("_") or name in ("spawn", "bit_generator"):
            return attr

        def draw(*args, _fn=attr, **kwargs):
            return _tracer().call(_fn, args, kwargs, impure=True)
        draw.__name__ = name
        return draw
