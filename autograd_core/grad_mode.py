"""Switches that change what the engine records: ``no_grad``, ``enable_grad``, ``detect_anomaly``.

Each is a context manager and a decorator.  The state is per thread, as in PyTorch:
a switch (or a running ``backward``) in one thread never changes what another thread
records, and a new thread starts with grad enabled and anomaly detection off.  The
state lives in :data:`state`, a ``threading.local`` whose class attributes are the
defaults, so the per-op check stays one attribute read.
"""

from __future__ import annotations

import copy
import functools
import sys
import threading
import types

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly",
           "is_anomaly_enabled"]


class _ThreadState(threading.local):
    """The engine's per-thread switches; class attributes are every new thread's values."""

    grad_enabled = True
    anomaly_enabled = False
    # set by the engine while it runs a backward pass that is not recorded: ops then take
    # and return raw arrays, skipping Tensor wrapping (see Function.run_backward)
    array_mode = False
    # called with each node recorded on this thread (checkpoint uses it to tell the nodes of
    # its segment from those made before); None almost always
    record_hook = None


state = _ThreadState()


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad record the graph (in this thread)."""
    return state.grad_enabled


def is_anomaly_enabled() -> bool:
    """True inside :class:`detect_anomaly` (in this thread)."""
    return state.anomaly_enabled


class _Switch:
    """A context manager / decorator that sets a flag of :data:`state` and restores it on exit."""

    _flag = ""
    _value = True

    def __enter__(self):
        self._saved = getattr(state, self._flag)
        setattr(state, self._flag, self._value)
        return self

    def __exit__(self, *exc):
        setattr(state, self._flag, self._saved)
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with copy.copy(self):
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_Switch):
    """Disable graph recording in this thread: results of ops have ``requires_grad=False``.

    Use for evaluation and for in-place parameter updates::

        with no_grad():
            y = model(x)

        @no_grad()
        def predict(x): ...
    """

    _flag = "grad_enabled"
    _value = False


class enable_grad(_Switch):
    """Re-enable graph recording inside a ``no_grad`` block or function."""

    _flag = "grad_enabled"
    _value = True


class set_grad_enabled(_Switch):
    """Set graph recording on or off: ``with set_grad_enabled(training): ...``.

    Like PyTorch's, it also takes effect immediately (in this thread) when called as a
    function.
    """

    _flag = "grad_enabled"

    def __init__(self, mode: bool):
        self._value = bool(mode)
        self._before = state.grad_enabled
        state.grad_enabled = self._value

    def __enter__(self):
        # the first `with` restores the state from before the call; a decorated
        # function's later calls save the state current at their entry
        self._saved = state.grad_enabled if self._before is None else self._before
        self._before = None
        state.grad_enabled = self._value
        return self

    def __call__(self, fn):
        # used as a decorator: undo the immediate switch made by __init__
        state.grad_enabled = self._before
        self._before = None
        return super().__call__(fn)


class detect_anomaly(_Switch):
    """Check every gradient the backward pass produces for NaN (in this thread).

    Inside this context each op records where it was created; the first backward
    that produces a NaN raises ``FloatingPointError`` naming the op and showing
    the line of user code that created it.  It slows the engine down: use it to
    debug, not to train.
    """

    _flag = "anomaly_enabled"
    _value = True


class _Module(types.ModuleType):
    """Keeps ``grad_mode.grad_enabled`` (and the other flags) readable and writable as
    module attributes for old code; each forwards to this thread's :data:`state`."""

    @staticmethod
    def _forward(name: str) -> property:  # a property factory run in the class body
        return property(lambda self: getattr(state, name),
                        lambda self, value: setattr(state, name, value))

    grad_enabled = _forward("grad_enabled")
    anomaly_enabled = _forward("anomaly_enabled")
    array_mode = _forward("array_mode")
    del _forward


sys.modules[__name__].__class__ = _Module
