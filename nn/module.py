"""``Module``: the base class of layers and models.

A module owns parameters, buffers and sub-modules, all registered by plain
attribute assignment::

    class Affine(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter([1.0])      # registered as a parameter
            self.inner = nn.Linear(3, 3)          # registered as a sub-module

        def forward(self, x):
            return self.inner(x) * self.scale

Names in ``state_dict()`` are dotted attribute paths (``"inner.weight"``).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Iterator, NamedTuple

import numpy

from autograd_core import Tensor, backend

from .parameter import Parameter

__all__ = ["Module", "StateDictError", "IncompatibleKeys"]


class StateDictError(ValueError):
    """A state dict does not fit a module: missing, unexpected or wrongly shaped entries."""


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped."""

    missing_keys: list
    unexpected_keys: list


class Module:
    """Base class of every layer and model.

    Subclasses call ``super().__init__()`` first, assign ``Parameter``\\ s and
    sub-modules as attributes, and implement ``forward``.  Calling the module
    runs ``forward`` (and any forward hooks).

    Attributes
    ----------
    training : bool
        ``True`` in training mode (the default), ``False`` after ``eval()``.
        Layers such as ``Dropout`` and ``BatchNorm1d`` behave differently in each.
    """

    def __init__(self):
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_hooks", [])

    def forward(self, *args, **kwargs):
        """Compute the module's output; subclasses override this."""
        raise NotImplementedError(f"{type(self).__name__} does not implement forward()")

    def __call__(self, *args, **kwargs):
        if backend.tracing is not None:  # ag.compile: this module's arrays become state
            backend.tracing.module_called(self)
        out = self.forward(*args, **kwargs)
        if not self._forward_hooks:
            return out
        for hook in list(self._forward_hooks):
            replaced = hook(self, args, out)
            if replaced is not None:
                out = replaced
        return out

    def register_forward_hook(self, hook):
        """Call ``hook(module, inputs, output)`` after each forward; returns a handle with
        ``remove()``.  A hook that returns a value replaces the output."""
        self._forward_hooks.append(hook)
        return _HookHandle(self._forward_hooks, hook)

    # -- registration ----------------------------------------------------------------

    def _registry(self, kind):
        try:
            return self.__dict__[kind]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__}: cannot assign attributes before Module.__init__() runs; "
                "call super().__init__() first in your __init__"
            ) from None

    def __setattr__(self, name, value):
        params = self._registry("_parameters")
        modules, buffers = self.__dict__["_modules"], self.__dict__["_buffers"]
        if isinstance(value, Parameter):
            self._forget(name)
            params[name] = value
        elif isinstance(value, Module):
            self._forget(name)
            modules[name] = value
        elif name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign a {type(value).__name__} to parameter '{name}' of "
                    f"{type(self).__name__}: use nn.Parameter(...) or None"
                )
            params[name] = None
        elif name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign a {type(value).__name__} to sub-module '{name}' of "
                    f"{type(self).__name__}: use an nn.Module or None"
                )
            modules[name] = None
        elif name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"buffer '{name}' must be a Tensor or None, not "
                                f"{type(value).__name__}")
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name):
        self.__dict__.pop(name, None)
        for kind in ("_parameters", "_modules", "_buffers"):
            self.__dict__[kind].pop(name, None)

    def __getattr__(self, name):
        # only called when normal lookup fails
        d = self.__dict__
        for kind in ("_parameters", "_buffers", "_modules"):
            if kind in d and name in d[kind]:
                return d[kind][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for kind in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__.get(kind, {}):
                del self.__dict__[kind][name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (or a ``None`` placeholder) under ``name``."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: '{name}' must be an nn.Parameter or None")
        self._registry("_parameters")
        self._forget(name)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None) -> None:
        """Register a non-learnable tensor (e.g. running statistics) saved in ``state_dict``."""
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"register_buffer: '{name}' must be a Tensor or None")
        self._registry("_buffers")
        self._forget(name)
        self._buffers[name] = tensor

    def add_module(self, name: str, module: "Module | None") -> None:
        """Register ``module`` under ``name`` (same as ``setattr(self, name, module)``)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: '{name}' must be an nn.Module or None")
        self._registry("_modules")
        self._forget(name)
        self._modules[name] = module

    # -- traversal -------------------------------------------------------------------

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, "Module"]]:
        """``(dotted name, module)`` for this module (name ``prefix``) and every descendant,
        each module once, depth first in registration order."""
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{n}" if name else n, m)
                        for n, m in module._modules.items() if m is not None]
            stack.extend(reversed(children))

    def modules(self) -> Iterator["Module"]:
        """This module and every descendant."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        """``(name, module)`` for the direct sub-modules."""
        for name, module in self._modules.items():
            if module is not None:
                yield name, module

    def children(self) -> Iterator["Module"]:
        """The direct sub-modules."""
        for _, module in self.named_children():
            yield module

    def _named_members(self, kind, recurse):
        seen = set()
        modules = self.named_modules() if recurse else [("", self)]
        for prefix, module in modules:
            for name, value in module.__dict__[kind].items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{prefix}.{name}" if prefix else name), value

    def named_parameters(self, recurse: bool = True) -> Iterator[tuple[str, Parameter]]:
        """``(dotted name, parameter)`` pairs; a parameter shared by two modules appears once."""
        return self._named_members("_parameters", recurse)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter of this module (and, by default, of its descendants), once each."""
        for _, p in self.named_parameters(recurse):
            yield p

    def named_buffers(self, recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        """``(dotted name, buffer)`` pairs."""
        return self._named_members("_buffers", recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer (running statistics and the like)."""
        for _, b in self.named_buffers(recurse):
            yield b

    def num_parameters(self, trainable_only: bool = False) -> int:
        """The number of scalar weights (only those requiring grad if ``trainable_only``)."""
        return sum(p.size for p in self.parameters() if p.requires_grad or not trainable_only)

    def apply(self, fn) -> "Module":
        """Call ``fn(module)`` on every descendant and then on ``self``; returns ``self``."""
        for module in reversed(list(self.modules())):
            fn(module)
        return self

    # -- modes and gradients ---------------------------------------------------------

    def train(self, mode: bool = True) -> "Module":
        """Set training mode on this module and all descendants; returns ``self``."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> "Module":
        """Set evaluation mode (``train(False)``); returns ``self``."""
        return self.train(False)

    def requires_grad_(self, flag: bool = True) -> "Module":
        """Freeze (``False``) or unfreeze every parameter; returns ``self``."""
        for p in self.parameters():
            p.requires_grad = flag
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients of every parameter (to ``None``, or to zeros in place)."""
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad = Tensor._new(p.grad.data * 0)

    def to(self, device=None, dtype=None) -> "Module":
        """Move every parameter and buffer to ``device`` and/or cast floating ones to ``dtype``.

        Works in place: the ``Parameter`` objects stay the same (an optimizer built
        before the move keeps working).  Returns ``self``.
        """
        device = backend.parse_device(device) if device is not None else None
        dtype = numpy.dtype(dtype) if dtype is not None else None
        for t in list(self.parameters()) + list(self.buffers()):
            _move_in_place(t, device, dtype)
            if t.grad is not None:
                _move_in_place(t.grad, device, dtype)
        return self

    def cuda(self, device: int | None = None) -> "Module":
        """``self.to("cuda")``, or ``self.to(f"cuda:{device}")`` (PyTorch's spelling); needs CuPy."""
        return self.to("cuda" if device is None else f"cuda:{device}")

    def cpu(self) -> "Module":
        """``self.to("cpu")``."""
        return self.to("cpu")

    # -- state -----------------------------------------------------------------------

    def state_dict(self) -> "OrderedDict[str, Tensor]":
        """Every parameter and buffer by dotted name, as detached tensors sharing memory
        with the module (copy them to keep a snapshot that training will not change)."""
        state = OrderedDict()
        for name, p in self.named_parameters():
            state[name] = p.detach()
        for name, b in self.named_buffers():
            state[name] = b.detach()
        return state

    def load_state_dict(self, state, strict: bool = True) -> IncompatibleKeys:
        """Copy values from ``state`` (name -> Tensor or array) into this module's
        parameters and buffers, casting to each one's dtype and device.

        Everything is checked before anything is written, so on error the module is
        unchanged.

        Raises
        ------
        StateDictError
            With ``strict=True``, for keys of the module missing from ``state`` or keys
            of ``state`` the module does not have; always, for an entry whose shape
            differs from the module's or that is not a numeric array.
        """
        if not hasattr(state, "items"):
            raise TypeError(f"load_state_dict: expected a mapping of name -> tensor, "
                            f"got {type(state).__name__}")
        own: OrderedDict[str, Tensor] = OrderedDict(self.named_parameters())
        own.update(self.named_buffers())
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        problems = []
        if strict and missing:
            problems.append(f"missing keys: {', '.join(missing)}")
        if strict and unexpected:
            problems.append(f"unexpected keys: {', '.join(map(str, unexpected))}")
        arrays = {}
        for name, target in own.items():
            if name not in state:
                continue
            value = state[name]
            array = value.data if isinstance(value, Tensor) else value
            if not backend.is_array(array):
                try:
                    array = numpy.asarray(array)
                except Exception:  # noqa: BLE001 - reported below as a bad value
                    array = None
            if array is None or array.dtype.kind not in "biuf":
                problems.append(f"'{name}' is not a numeric array "
                                f"({type(value).__name__})")
                continue
            if tuple(array.shape) != tuple(target.shape):
                problems.append(f"shape mismatch for '{name}': the module has "
                                f"{tuple(target.shape)}, the state has {tuple(array.shape)}")
                continue
            arrays[name] = array
        if problems:
            raise StateDictError(f"load_state_dict into {type(self).__name__} failed ("
                                 "nothing was changed): " + "; ".join(problems))
        for name, array in arrays.items():
            target = own[name]
            new = backend.asarray(array, target.dtype, target.device)
            if new is array or getattr(new, "base", None) is not None:
                new = new.copy()  # never alias the caller's arrays
            target.data = new
            target._bump_version()
        return IncompatibleKeys(missing, unexpected)

    # -- display ---------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The text between the parentheses of this module's repr (override it)."""
        return ""

    def __repr__(self):
        lines = [f"({name}): " + _indent(repr(module)) for name, module in self.named_children()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"

    def __dir__(self):
        names = set(super().__dir__())
        for kind in ("_parameters", "_buffers", "_modules"):
            names.update(self.__dict__.get(kind, {}))
        return sorted(names)


def _move_in_place(t: Tensor, device, dtype):
    data = t.data
    if dtype is not None and data.dtype.kind == "f" and data.dtype != dtype:
        data = data.astype(dtype)
    if device is not None and backend.device_of(data) != device:
        data = backend.to_device(data, device)
    if data is not t.data:
        t.data = data
        t._bump_version()


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


class _HookHandle:
    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        """Unregister the hook (no error if already removed)."""
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)
