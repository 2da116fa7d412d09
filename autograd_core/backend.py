"""The one place that knows about NumPy and CuPy.

Op code never imports an array library: it asks :func:`array_module` for the
module of its input arrays (``xp``) and writes ``xp.exp(x)``.  Devices are
strings: ``"cpu"`` for NumPy and ``"cuda:N"`` for CuPy arrays on GPU ``N``.
CuPy is optional; it is imported only when a CUDA device is asked for or a
CuPy array is met.
"""

from __future__ import annotations

import numpy

__all__ = [
    "array_module",
    "device_of",
    "parse_device",
    "to_device",
    "cupy_available",
    "get_default_device",
    "set_default_device",
    "is_array",
    "scatter_add",
    "DeviceError",
]

_cupy = None  # the cupy module once imported; False when it failed to import
tracing = None  # the active autograd_core.capture Tracer while ag.compile traces a step
_default_device = "cpu"
ndarray = numpy.ndarray


class DeviceError(RuntimeError):
    """Raised for an unknown device, a missing CuPy, or arrays on different devices."""


def _import_cupy():
    global _cupy
    if _cupy is None:
        try:
            import cupy  # noqa: PLC0415 - optional dependency

            _cupy = cupy
        except Exception:  # ImportError, or a CUDA driver error at import
            _cupy = False
    return _cupy or None


def cupy_available() -> bool:
    """True when CuPy imports and sees at least one CUDA device."""
    cp = _import_cupy()
    if cp is None:
        return False
    try:
        return cp.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


def array_module(*arrays):
    """Return ``numpy`` or ``cupy``: the module that owns ``arrays``.

    Python scalars and NumPy arrays give ``numpy``; any CuPy array gives ``cupy``.
    """
    for a in arrays:
        if type(a) is not ndarray:
            if _cupy and isinstance(a, _cupy.ndarray):
                return _cupy
            if tracing is not None and isinstance(a, ndarray):  # ag.compile records creations
                return tracing.numpy
    return numpy


def is_array(obj) -> bool:
    """True for a NumPy or CuPy ndarray."""
    return isinstance(obj, ndarray) or bool(_cupy and isinstance(obj, _cupy.ndarray))


def device_of(array) -> str:
    """The device string of an array: ``"cpu"`` or ``"cuda:N"``."""
    if type(array) is ndarray or not _cupy or not isinstance(array, _cupy.ndarray):
        return "cpu"
    return f"cuda:{array.device.id}"


def parse_device(device) -> str:
    """Normalise ``None``, ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"gpu"`` to ``"cpu"`` / ``"cuda:N"``."""
    if device is None:
        return _default_device
    name = str(device).strip().lower()
    if name == "cpu":
        return "cpu"
    if name in ("cuda", "gpu"):
        return "cuda:0"
    if name.startswith("cuda:") and name[5:].isdigit():
        return name
    raise DeviceError(
        f"unknown device {device!r}: use 'cpu', 'cuda' or 'cuda:N' (N the GPU index)"
    )


def _require_cupy(device: str):
    cp = _import_cupy()
    if cp is None:
        raise DeviceError(
            f"device {device!r} needs CuPy, which is not installed or found no CUDA driver; "
            "install it with `pip install autograd-core[cuda]`, or use device='cpu'"
        )
    return cp


def to_device(array, device: str):
    """Return ``array`` on ``device`` (a normalised device string); no copy if already there."""
    current = device_of(array)
    if current == device:
        return array
    if device == "cpu":
        return array.get()
    cp = _require_cupy(device)
    with cp.cuda.Device(int(device[5:])):
        return cp.asarray(array)


def module_for_device(device: str):
    """The array module that creates arrays on ``device``."""
    if device == "cpu":
        return numpy
    return _require_cupy(device)


def asarray(data, dtype, device: str):
    """Create an array from ``data`` (array, list or scalar) on ``device`` with ``dtype``."""
    if device == "cpu":
        if _cupy and isinstance(data, _cupy.ndarray):
            data = data.get()
        if tracing is not None:  # ag.compile: a traced array stays traced (asarray would
            return tracing.numpy.asarray(data, dtype=dtype)  # hand back a plain view)
        return numpy.asarray(data, dtype=dtype)
    cp = _require_cupy(device)
    with cp.cuda.Device(int(device[5:])):
        return cp.asarray(data, dtype=dtype)


def get_default_device() -> str:
    """The device new tensors are created on when none is given (``"cpu"`` unless changed)."""
    return _default_device


def set_default_device(device) -> None:
    """Set the device new tensors are created on: ``"cpu"``, ``"cuda"`` or ``"cuda:N"``."""
    global _default_device
    device = parse_device(device)
    if device != "cpu":
        _require_cupy(device)
    _default_device = device


def scatter_add(xp, target, index, values) -> None:
    """``target[index] += values`` with repeated indices accumulated (unbuffered)."""
    if not _cupy or xp is not _cupy:
        xp.add.at(target, index, values)
    else:
        import cupyx  # noqa: PLC0415 - only reached with CuPy arrays

        cupyx.scatter_add(target, index, values)
