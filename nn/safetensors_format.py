"""The safetensors format for module states: ``nn.save(model, "m.safetensors")`` / ``nn.load``.

safetensors (Hugging Face's) is a flat map of name -> array behind a JSON header; it holds no
code, so loading is safe, and PyTorch, JAX and others read it.  This module uses the
``safetensors`` package's NumPy API (``pip install autograd-core[safetensors]``).  Arrays are
stored in this project's layout: a PyTorch model needs ``nn.to_torch_state_dict`` first
(``Linear`` weights are ``(in, out)`` here, ``(out, in)`` in PyTorch).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy

from autograd_core import Tensor, backend

__all__ = ["state_to_bytes", "state_from_file", "METADATA"]

METADATA = {"format": "np", "writer": "autograd_core.nn"}


def _safetensors_numpy(op):
    try:
        import safetensors.numpy  # noqa: PLC0415 - optional dependency
    except ImportError as exc:
        raise ImportError(f"{op}: the .safetensors format needs the safetensors package: pip "
                          "install autograd-core[safetensors] (or pip install safetensors); "
                          "or use a .npz path") from exc
    return safetensors.numpy


def state_to_bytes(state: Mapping) -> bytes:
    """The safetensors bytes of a flat state (name -> Tensor or array)."""
    st = _safetensors_numpy("save")
    arrays = {}
    for name, value in state.items():
        if not isinstance(name, str):
            raise ValueError(f"save: invalid state-dict key {name!r} (safetensors names are "
                             "strings)")
        if isinstance(value, Tensor):
            array = value.numpy()
        elif backend.is_array(value) or isinstance(value, (numpy.generic, int, float)):
            array = numpy.asarray(backend.to_device(value, "cpu")
                                  if backend.is_array(value) else value)
        else:
            raise TypeError(f"save: entry '{name}' is a {type(value).__name__}; the "
                            ".safetensors format holds a flat map of names to arrays (a "
                            "module's state).  Save an optimizer's state to a .npz path")
        if array.dtype.kind not in "biuf":
            raise TypeError(f"save: entry '{name}' has dtype {array.dtype}; only numeric "
                            "arrays can be saved")
        arrays[name] = array if array.flags.c_contiguous else array.copy(order="C")
    return st.save(arrays, metadata=dict(METADATA))


def state_from_file(path) -> dict:
    """The arrays of a safetensors file by name, in the file's order (any writer's file)."""
    from .serialization import ModelFileError  # noqa: PLC0415 - serialization imports us

    st = _safetensors_numpy("load")
    try:
        with open(path, "rb") as f:
            return st.load(f.read())
    except Exception as err:  # the package raises its own SafetensorError and others
        raise ModelFileError(f"load: cannot read {path} as a safetensors file (truncated, "
                             f"corrupt or another format): {type(err).__name__}: {err}") from err
