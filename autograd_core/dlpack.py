"""DLPack: zero-copy exchange of tensors with NumPy, CuPy, PyTorch, JAX and other libraries.

``numpy.from_dlpack(t)``, ``torch.from_dlpack(t)``, ``jax.numpy.from_dlpack(t)`` and
``cupy.from_dlpack(t)`` read a Tensor's memory through ``Tensor.__dlpack__`` /
``Tensor.__dlpack_device__``; :func:`from_dlpack` makes a Tensor from any of their
arrays.  Neither copies: the two objects share memory, so a write through one is
seen by the other (and bypasses autograd's version counter).  The array module
that receives the data (NumPy for CPU memory, CuPy for CUDA memory) is asked from
:mod:`autograd_core.backend`; nothing here names either library.
"""

from __future__ import annotations

from typing import Any

from . import backend
from .function import _describe
from .tensor import Tensor

__all__ = ["from_dlpack", "DLPACK_DEVICE_TYPES"]

# the DLPack device types (dlpack.h's DLDeviceType) that this library can hold
_CPU, _CUDA, _CUDA_HOST, _CUDA_MANAGED = 1, 2, 3, 13
DLPACK_DEVICE_TYPES = {_CPU: "CPU", _CUDA: "CUDA", _CUDA_HOST: "CUDA host (pinned)",
                       4: "OpenCL", 7: "Vulkan", 8: "Metal", 9: "VPI", 10: "ROCm",
                       11: "ROCm host", 12: "ext_dev", _CUDA_MANAGED: "CUDA managed",
                       14: "oneAPI", 15: "WebGPU", 16: "Hexagon", 17: "MAIA"}


def from_dlpack(x: Any, *, requires_grad: bool = False) -> Tensor:
    """A leaf Tensor sharing memory with ``x``, any object with ``__dlpack__`` (no copy).

    Parameters
    ----------
    x : array with the DLPack protocol
        A NumPy, CuPy, PyTorch or JAX array (or a Tensor).  CPU memory becomes a
        ``"cpu"`` tensor, CUDA memory a ``"cuda:N"`` tensor (needs CuPy).
    requires_grad : bool
        Make the new leaf require grad (floating dtypes only).

    Shape and dtype are ``x``'s.  PyTorch refuses to export a tensor that requires
    grad: pass ``t.detach()`` there.
    """
    device_of = getattr(x, "__dlpack_device__", None)
    if device_of is None or not hasattr(x, "__dlpack__"):
        raise TypeError(f"from_dlpack: expected an array with __dlpack__ and __dlpack_device__ "
                        f"(a NumPy, CuPy, PyTorch or JAX array), got {type(x).__name__}; "
                        "use autograd_core.tensor(x) to copy other data")
    device_type, device_id = (int(v) for v in device_of())
    if device_type == _CPU:
        device = "cpu"
    elif device_type in (_CUDA, _CUDA_MANAGED):
        device = f"cuda:{device_id}"
    else:
        name = DLPACK_DEVICE_TYPES.get(device_type, "unknown")
        raise backend.DeviceError(
            f"from_dlpack: the {type(x).__name__} is in {name} memory (DLPack device type "
            f"{device_type}, id {device_id}); this library holds CPU (NumPy) and CUDA (CuPy) "
            "memory only: move it to the CPU or a CUDA device in its own library first"
        )
    array = backend.module_for_device(device).from_dlpack(x)
    return Tensor(array, requires_grad=requires_grad)


def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
    """Export the data as a DLPack capsule (the protocol of NumPy, PyTorch, JAX, CuPy).

    The keywords are the array API standard's; they are handed to the array's own
    ``__dlpack__``.  A tensor that requires grad is refused, as in PyTorch.
    """
    if self._rg:
        raise RuntimeError(
            f"__dlpack__: the tensor ({_describe(self)}) requires grad; export "
            "x.detach() instead (the consumer shares its memory, and its writes bypass "
            "autograd's version counter)"
        )
    kwargs = {name: value for name, value in (("stream", stream), ("max_version", max_version),
                                              ("dl_device", dl_device), ("copy", copy))
              if value is not None}
    return self.data.__dlpack__(**kwargs)


def __dlpack_device__(self) -> tuple[int, int]:
    """``(device_type, device_id)`` of the data in DLPack's numbering (CPU is ``(1, 0)``)."""
    return self.data.__dlpack_device__()


METHODS = {"__dlpack__": __dlpack__, "__dlpack_device__": __dlpack_device__}
