"""PyTorch's keyword spellings on NumPy-named ops, decided once for every op.

The rule: a PyTorch keyword is **accepted** as NumPy's name when the op then
returns what PyTorch's function of the same name returns (``x.sum(dim=1,
keepdim=True)`` is ``x.sum(axis=1, keepdims=True)``), and **refused** with a
``TypeError`` that names NumPy's spelling when PyTorch's function would return
something else (``x.max(dim=1)`` is ``(values, indices)`` in PyTorch; ``var``
defaults to the unbiased estimate there), so a habit never gives a silently
different answer.

:func:`accept_pytorch_keywords` applies the rule to one op; ``ops/__init__.py``
applies it to every public op, so the functions (``ag.sum``) and the methods
(``x.sum``) share it.  An op without any of these parameters is returned as it
is (no wrapper, no cost).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, TypeVar

__all__ = ["accept_pytorch_keywords", "GENERIC", "SPECIFIC", "REFUSED", "Size", "METHODS"]

F = TypeVar("F", bound=Callable[..., Any])

# PyTorch keyword -> NumPy keyword, for every op that has the NumPy parameter
GENERIC = {"dim": "axis", "keepdim": "keepdims"}
# further spellings of particular ops
SPECIFIC = {
    "flatten": {"start_dim": "start_axis", "end_dim": "end_axis"},
    "swapaxes": {"dim0": "axis1", "dim1": "axis2"},  # torch.transpose(x, dim0, dim1)
    "diagonal": {"dim1": "axis1", "dim2": "axis2"},
    "flip": {"dims": "axis"},
    "roll": {"dims": "axis", "shifts": "shift"},
}

_VALUES_AND_INDICES = ("PyTorch's {op}(dim=...) returns (values, indices), this {op} the "
                       "values only: use axis= (NumPy's name)")
_UNBIASED = ("PyTorch's {op} defaults to the unbiased estimate (correction=1), NumPy's and "
             "this one to ddof=0: use axis= (NumPy's name), with ddof=1 for PyTorch's default")
# op -> PyTorch keyword -> why it is refused (formatted with op=)
REFUSED = {
    "max": {"dim": _VALUES_AND_INDICES + ", and argmax(axis=...) for the indices"},
    "min": {"dim": _VALUES_AND_INDICES + ", and argmin(axis=...) for the indices"},
    "sort": {"dim": _VALUES_AND_INDICES + ", and argsort(axis=...) for the indices"},
    "median": {"dim": _VALUES_AND_INDICES},
    "var": {"dim": _UNBIASED, "unbiased": "use ddof=1 (unbiased) or ddof=0 (NumPy's name)",
            "correction": "use ddof= (NumPy's name for the correction)"},
    "std": {"dim": _UNBIASED, "unbiased": "use ddof=1 (unbiased) or ddof=0 (NumPy's name)",
            "correction": "use ddof= (NumPy's name for the correction)"},
    "split": {"dim": "PyTorch's split takes the size of each part, NumPy's (this one) the "
                     "number of parts or the split indices: use axis= (NumPy's name) with "
                     "NumPy's meaning"},
    "repeat": {"dim": "PyTorch's repeat is NumPy's tile, and this repeat is PyTorch's "
                      "repeat_interleave: use axis= (NumPy's name)"},
    "norm": {"p": "use ord= (NumPy's name)"},
}

def accept_pytorch_keywords(fn: F, name: str | None = None) -> F:
    """``fn`` taking PyTorch's keyword spellings too, under this module's rule.

    Parameters
    ----------
    fn : callable
        A public op whose parameters have NumPy's names (``axis``, ``keepdims`` ...).
    name : str, optional
        The op's public name, for the table lookups and messages (default ``fn.__name__``).

    Returns ``fn`` itself when none of its parameters has a PyTorch spelling.
    """
    name = name or fn.__name__
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return fn
    aliases = {torch: numpy for torch, numpy in {**GENERIC, **SPECIFIC.get(name, {})}.items()
               if numpy in parameters and torch not in parameters}
    refused = {torch: why.format(op=name) for torch, why in REFUSED.get(name, {}).items()
               if torch not in parameters}
    for torch in refused:
        aliases.pop(torch, None)
    if not aliases and not refused:
        return fn
    spellings = frozenset(aliases) | frozenset(refused)

    if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        # fn would take a PyTorch keyword into its **kwargs: translate before the call
        @functools.wraps(fn)
        def op(*args, **kwargs):
            if kwargs and not spellings.isdisjoint(kwargs):
                kwargs = _translate(name, kwargs, aliases, refused)
            return fn(*args, **kwargs)
    else:
        # a PyTorch keyword is not a parameter of fn, so the call fails while binding its
        # arguments, before fn runs: translate only then (the success path is one call)
        @functools.wraps(fn)
        def op(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except TypeError:
                if not kwargs or spellings.isdisjoint(kwargs):
                    raise
            return fn(*args, **_translate(name, kwargs, aliases, refused))

    op.__wrapped__ = fn
    return op  # type: ignore[return-value]


def _translate(name, kwargs, aliases, refused):
    translated = {}
    for key, value in kwargs.items():
        if key in refused:
            raise TypeError(f"{name}: {key}= is not accepted: {refused[key]}")
        numpy_name = aliases.get(key)
        if numpy_name is None:
            translated[key] = value
            continue
        if numpy_name in kwargs:
            raise TypeError(f"{name}: got both {key}= (PyTorch's name) and {numpy_name}= "
                            f"(NumPy's); pass only {numpy_name}=")
        translated[numpy_name] = value
    return translated


# -- PyTorch's tensor methods that NumPy has no spelling for -----------------------------

class Size(int):
    """NumPy's ``x.size`` (an int: the number of elements) that PyTorch code may also call:
    ``x.size()`` is the shape (PyTorch's ``torch.Size``), ``x.size(axis)`` one length."""

    _shape: tuple[int, ...]

    def __new__(cls, count: int, shape: tuple[int, ...]) -> "Size":
        self = super().__new__(cls, count)
        self._shape = shape
        return self

    def __call__(self, dim: int | None = None) -> Any:
        if dim is None:
            return self._shape
        from .axes import normalize_axis  # noqa: PLC0415 - axes imports the engine

        return self._shape[normalize_axis(dim, len(self._shape), "size", "dim")]

    def __reduce__(self):
        return (int, (int(self),))  # pickles (and copies) as the plain int it is


def _dim(self) -> int:
    """PyTorch's ``x.dim()``: the number of dimensions, NumPy's ``x.ndim``."""
    return self.ndim


def _numel(self) -> int:
    """PyTorch's ``x.numel()``: the number of elements, NumPy's ``x.size``."""
    return int(self.data.size)


def _t(self):
    """PyTorch's ``x.t()``: the transpose of a tensor with at most 2 dimensions.

    Shapes: ``(m, n) -> (n, m)``; 0-d and 1-d tensors are returned as they are.
    """
    if self.ndim > 2:
        from .function import ShapeError  # noqa: PLC0415 - function imports the tensor

        raise ShapeError(f"t: expects a tensor with at most 2 dimensions, got shape {self.shape}; "
                         "use x.T (reverses every axis), x.mT (swaps the last two) or "
                         "x.swapaxes(a, b)")
    return self.T if self.ndim == 2 else self


METHODS = {"dim": _dim, "numel": _numel, "t": _t}
