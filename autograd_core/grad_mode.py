"""Switches that change what the engine records: ``no_grad``, ``enable_grad``, ``detect_anomaly``.

Each is a context manager and a decorator.  The state is process-global (like
NumPy's error state), which keeps the per-op check to one attribute read.
"""

from __future__ import annotations

import copy
import functools

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly",
           "is_anomaly_enabled"]

grad_enabled = True
anomaly_enabled = False
# set by the engine while it runs a backward pass that is not recorded: ops then take
# and return raw arrays, skipping Tensor wrapping (see Function.run_backward)
array_mode = False


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad record the graph."""
    return grad_enabled


def is_anomaly_enabled() -> bool:
    """True inside :class:`detect_anomaly`."""
    return anomaly_enabled


class _Switch:
    """A context manager / decorator that sets a module flag and restores it on exit."""

    _flag = ""
    _value = True

    def __enter__(self):
        self._saved = globals()[self._flag]
        globals()[self._flag] = self._value
        return self

    def __exit__(self, *exc):
        globals()[self._flag] = self._saved
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with copy.copy(self):
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_Switch):
    """Disable graph recording: results of ops have ``requires_grad=False``.

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

    Like PyTorch's, it also takes effect immediately when called as a function.
    """

    _flag = "grad_enabled"

    def __init__(self, mode: bool):
        global grad_enabled
        self._value = bool(mode)
        self._before = grad_enabled
        grad_enabled = self._value

    def __enter__(self):
        global grad_enabled
        # the first `with` restores the state from before the call; a decorated
        # function's later calls save the state current at their entry
        self._saved = grad_enabled if self._before is None else self._before
        self._before = None
        grad_enabled = self._value
        return self

    def __call__(self, fn):
        global grad_enabled
        # used as a decorator: undo the immediate switch made by __init__
        grad_enabled = self._before
        self._before = None
        return super().__call__(fn)


class detect_anomaly(_Switch):
    """Check every gradient the backward pass produces for NaN.

    Inside this context each op records where it was created; the first backward
    that produces a NaN raises ``FloatingPointError`` naming the op and showing
    the line of user code that created it.  It slows the engine down: use it to
    debug, not to train.
    """

    _flag = "anomaly_enabled"
    _value = True
