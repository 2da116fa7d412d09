"""A module that can be called as its main function (``ag.checkpoint(fn, *args)``).

When a package re-exports a function under its module's own name
(``from .checkpoint import checkpoint``), the attribute hides the module:
``import autograd_core.checkpoint as m`` then gives the function, because ``import
a.b as m`` reads the attribute ``a.b``.  Re-exporting the module instead, made callable
here, keeps both: the name is the module (``m.checkpoint``, its docstring, its other
names) and calling it calls the function.
"""

from __future__ import annotations

import inspect
import sys
import types

__all__ = ["make_callable"]


def make_callable(module_name: str, function) -> types.ModuleType:
    """Make ``sys.modules[module_name]`` callable as ``function``; returns the module."""
    module = sys.modules[module_name]

    class CallableModule(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return function(*args, **kwargs)

    CallableModule.__name__ = CallableModule.__qualname__ = f"callable_module[{module_name}]"
    # the module's own ``__module__`` (tools such as griffe read it): its name, not ours
    CallableModule.__module__ = module_name
    module.__class__ = CallableModule
    vars(module)["__signature__"] = inspect.signature(function)  # inspect.signature(module)
    return module
