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
from .tensor import Tensor, as_operand

__all__ = ["Function", "ShapeError"]

_ndarray = numpy.ndarray
_SCALARS = (int, float, bool)


class ShapeError(ValueError):
    """Raised when the operands of an op have incompatible shapes."""


class Function:
    """Base class of ops; an instance that took part in a recorded forward is a graph node.

    Class attributes a subclass may set:

    ``save_inputs``
        ``True`` when ``backward`` reads the inputs' values; the engine then
        checks that none of them was modified in place before backward runs.
    ``save_output``
        ``True`` when ``backward`` reads the output's value (passed as ``out``).
    """

    __slots__ = (
        "inputs",
        "parents",
        "saved_versions",
        "out_data",
        "out_version",
        "pre_hooks",
        "retained",
        "trace",
        "__weakref__",
    )
    save_inputs = False
    save_output = False
    name = "function"

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
        datas = []
        needs_grad = False
        converted = False
        for x in inputs:
            if isinstance(x, Tensor):
                datas.append(x.data)
                if x._rg:
                    needs_grad = True
            elif x.__class__ in _SCALARS:
                datas.append(x)
            else:
                converted = True
                break
        if converted:
            return self(*[x if isinstance(x, Tensor) or x.__class__ in _SCALARS else as_operand(x)
                          for x in inputs])
        if len(datas) > 1:
            for d in datas:
                if d.__class__ is not _ndarray and d.__class__ not in _SCALARS:
                    self._check_devices(datas)
                    break
        try:
            out = self.forward(*datas)
        except (ValueError, TypeError, IndexError) as err:
            raise self._operand_error(err, inputs) from err
        if out.__class__ is not _ndarray:
            out = _as_array(out)
        result = Tensor._new(out)
        if needs_grad and grad_mode.grad_enabled:
            self.inputs = inputs
            self.parents = tuple(
                (x.node or x) if isinstance(x, Tensor) and x._rg else None for x in inputs
            )
            self.saved_versions = (
                tuple(x._version[0] if isinstance(x, Tensor) else 0 for x in inputs)
                if self.save_inputs
                else None
            )
            if self.save_output:
                self.out_data = out
                self.out_version = result._version
            else:
                self.out_data = None
            self.pre_hooks = None
            self.retained = None
            self.trace = traceback.format_stack()[:-2] if grad_mode.anomaly_enabled else None
            result.node = self
            result._rg = True
        return result

    # -- helpers used by the engine -------------------------------------------------

    def check_versions(self):
        """Raise if an input or the output saved for backward was modified in place since."""
        if self.saved_versions is not None:
            for i, (x, v) in enumerate(zip(self.inputs, self.saved_versions)):
                if isinstance(x, Tensor) and x._version[0] != v:
                    raise _inplace_error(self.name, f"input {i} {_describe(x)}", v, x._version[0])
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
        return cls(f"{self.name}: {err} (operands: {described})")

    def __repr__(self):
        return f"<{type(self).__name__}>"


def _as_array(out):
    if isinstance(out, numpy.generic) or out.__class__ in _SCALARS:
        return numpy.asarray(out)
    return out


def _describe(x) -> str:
    if isinstance(x, Tensor):
        device = "" if x.device == "cpu" else f" on {x.device}"
        return f"{x.dtype}{list(x.shape)}{device}"
    return repr(x)


def _inplace_error(op, what, saved, now):
    return RuntimeError(
        f"backward of '{op}' needs {what}, but it was modified in place after the forward pass "
        f"(version {saved} when saved, {now} now). Make the change out of place "
        "(e.g. x = x * 2 instead of an in-place update or x[...] = v), or .clone() the tensor "
        "before modifying it."
    )
