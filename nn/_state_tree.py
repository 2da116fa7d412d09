"""Nested state (an optimizer's or scheduler's ``state_dict()``) as arrays plus a JSON outline.

``pack(tree)`` returns ``(outline, arrays)``: ``outline`` is JSON text describing the
dicts, lists, tuples, numbers, strings, booleans and ``None`` of the tree, with every
array (or Tensor, or NumPy scalar) replaced by a reference to an entry of ``arrays``.
``unpack(outline, arrays)`` rebuilds the tree with NumPy arrays.  Nothing is pickled, so
loading a file can never run code.  Dict keys keep their type (strings, integers, floats,
booleans, ``None``), tuples stay tuples.
"""

from __future__ import annotations

import json
import numbers
from collections.abc import Mapping

import numpy

from autograd_core import Tensor, backend

__all__ = ["pack", "unpack"]

_KEY_TYPES = (str, int, float, bool, type(None))


def pack(tree) -> tuple[str, dict]:
    """Split ``tree`` into (JSON outline, {name: numpy array})."""
    arrays: dict = {}

    def encode(value, where):
        if isinstance(value, Tensor) or backend.is_array(value):
            array = value.numpy() if isinstance(value, Tensor) else backend.to_device(value, "cpu")
            return {"array": _store(arrays, array, where)}
        if isinstance(value, numpy.generic):
            return {"scalar": _store(arrays, numpy.asarray(value), where)}
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, numbers.Real):
            return float(value)
        if isinstance(value, Mapping):
            items = []
            for key, item in value.items():
                if not isinstance(key, _KEY_TYPES):
                    raise TypeError(f"save: key {key!r} at {where} is a "
                                    f"{type(key).__name__}; keys must be strings, numbers, "
                                    "booleans or None")
                items.append([key, encode(item, f"{where}[{key!r}]")])
            return {"dict": items}
        if isinstance(value, (list, tuple)):
            kind = "list" if isinstance(value, list) else "tuple"
            return {kind: [encode(item, f"{where}[{i}]") for i, item in enumerate(value)]}
        raise TypeError(f"save: the value at {where} is a {type(value).__name__}; a state "
                        "holds arrays, tensors, numbers, strings, booleans, None, and dicts, "
                        "lists and tuples of them")

    outline = json.dumps(encode(tree, "state"))
    return outline, arrays


def _store(arrays, array, where):
    if array.dtype.kind not in "biuf":
        raise TypeError(f"save: the array at {where} has dtype {array.dtype}; only numeric "
                        "arrays can be saved")
    name = f"array_{len(arrays)}"
    arrays[name] = array
    return name


def unpack(outline: str, arrays: Mapping):
    """Rebuild the tree that :func:`pack` split (arrays come back as NumPy arrays)."""

    def decode(node):
        if not isinstance(node, dict):
            return node
        (kind, body), = node.items()
        if kind == "array":
            return arrays[body]
        if kind == "scalar":
            return arrays[body][()]
        if kind == "dict":
            return {key: decode(item) for key, item in body}
        if kind == "list":
            return [decode(item) for item in body]
        if kind == "tuple":
            return tuple(decode(item) for item in body)
        raise ValueError(f"unknown entry {kind!r} in the state outline")

    return decode(json.loads(outline))
