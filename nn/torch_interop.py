"""State dicts to and from PyTorch's layout: ``nn.to_torch_state_dict`` / ``nn.from_torch_state_dict``.

A model built the same way in both libraries (``nn.Sequential`` of ``Linear``, activations,
``Dropout``, ``BatchNorm1d``) has the same state-dict names; what differs is the ``Linear``
weight, stored ``(in_features, out_features)`` here (``y = x @ W + b``) and ``(out, in)`` in
PyTorch (``y = x @ W.T + b``).  These helpers transpose exactly the ``Linear`` weights of the
model they are given and leave every other entry as it is.  PyTorch is not needed: the
results are NumPy arrays (wrap them with ``torch.from_numpy`` or write them with
``safetensors.numpy.save_file`` for PyTorch to read).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping

import numpy

from autograd_core import Tensor

from .layers.linear import Linear
from .module import Module

__all__ = ["to_torch_state_dict", "from_torch_state_dict"]


def _linear_weights(model: Module, op: str) -> set:
    if not isinstance(model, Module):
        raise TypeError(f"{op}: expected the nn.Module whose layout the state follows, got "
                        f"{type(model).__name__}")
    return {f"{name}.weight" if name else "weight" for name, module in model.named_modules()
            if isinstance(module, Linear)}


def _as_numpy(value):
    if isinstance(value, Tensor):
        return value.numpy()
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch.Tensor, without torch
        return value.detach().cpu().numpy()
    return numpy.asarray(value)


def to_torch_state_dict(model: Module) -> "OrderedDict[str, numpy.ndarray]":
    """``model``'s state in PyTorch's layout: name -> NumPy array, ``Linear`` weights ``(out, in)``.

    Load it into the equivalent PyTorch model with
    ``torch_model.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})``.
    Arrays are copies (C-contiguous); BatchNorm's ``num_batches_tracked`` stays an integer.
    """
    transpose = _linear_weights(model, "to_torch_state_dict")
    out = OrderedDict()
    for name, value in model.state_dict().items():
        array = value.numpy()
        out[name] = numpy.array(array.T if name in transpose else array, order="C")
    return out


def from_torch_state_dict(state: Mapping, model: Module) -> "OrderedDict[str, Tensor]":
    """A PyTorch-layout state (name -> torch.Tensor or array) converted for ``model``.

    ``Linear`` weights of ``model`` are transposed from ``(out, in)`` to ``(in, out)``;
    every other entry is kept.  The result is ready for ``model.load_state_dict``, which
    checks names and shapes.  A weight whose shape is not ``(out, in)`` for its layer
    raises ``ValueError`` naming it (it may already be in this project's layout).
    """
    transpose = _linear_weights(model, "from_torch_state_dict")
    own = model.state_dict()
    out = OrderedDict()
    for name, value in state.items():
        array = _as_numpy(value)
        if name in transpose:
            expected = own[name].shape[::-1]
            if array.shape != expected:
                raise ValueError(f"from_torch_state_dict: '{name}' has shape {array.shape}; "
                                 f"PyTorch's layout for this layer is (out, in) = {expected}")
            array = array.T
        out[name] = Tensor(numpy.array(array, order="C"))
    return out
