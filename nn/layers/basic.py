"""Shape-only and wrapper layers: ``Identity``, ``Flatten``, ``Lambda``."""

from __future__ import annotations

from ..module import Module

__all__ = ["Identity", "Flatten", "Lambda"]


class Identity(Module):
    """Returns its input unchanged (a placeholder layer).  Any shape."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


class Flatten(Module):
    """Merge axes ``start_axis..end_axis`` into one.

    Shapes
    ------
    with the defaults, ``(N, d1, d2, ...)`` -> ``(N, d1 * d2 * ...)``.
    """

    def __init__(self, start_axis: int = 1, end_axis: int = -1):
        super().__init__()
        self.start_axis, self.end_axis = start_axis, end_axis

    def forward(self, x):
        return x.flatten(self.start_axis, self.end_axis)

    def extra_repr(self):
        return f"start_axis={self.start_axis}, end_axis={self.end_axis}"


class Lambda(Module):
    """Wrap a function of one tensor as a (parameter-free) layer."""

    def __init__(self, fn):
        super().__init__()
        if not callable(fn):
            raise TypeError(f"Lambda: expected a callable, got {type(fn).__name__}")
        self.fn = fn

    def forward(self, x):
        return self.fn(x)

    def extra_repr(self):
        return getattr(self.fn, "__name__", repr(self.fn))
