"""NumPy functions on Tensors: one table from NumPy callables to this engine's ops.

``Tensor`` implements NumPy's two dispatch protocols (NEP 13 ``__array_ufunc__``
and NEP 18 ``__array_function__``), so NumPy code written for arrays runs on
Tensors and records the graph::

    np.exp(t), a * t, np.sum(t, axis=0), np.concatenate([t, u]), np.where(c, t, 0)

Every call goes through :data:`DISPATCH`.  A NumPy callable that is not in it
raises ``TypeError`` naming the function: turning the Tensor into an array would
silently lose the graph.  ``out=`` is refused (a Tensor's history cannot be
written into an existing array).  ``np.asarray(t)`` is the explicit way to get
the data without graph.

The table covers the ufuncs, reductions, shape/joining/rearranging functions, scans,
statistics, sorting, the products (``dot inner outer vdot tensordot kron cross einsum``)
and ``numpy.linalg`` (``solve inv det slogdet cholesky eigh eigvalsh svd qr pinv norm``...);
``tests/autograd_core/test_numpy_dispatch_coverage.py`` fails when a NumPy function with a
counterpart in ``ag.ops``/``ag.linalg`` has no row.  Results NumPy returns as namedtuples
(``slogdet``, ``eigh``, ``svd``, ``qr``) are the same namedtuples of Tensors.

Adding a row: map the NumPy callable to the op.  Ufuncs pass their operands
positionally; for other functions :class:`Row` lists, in the op's positional
order, the NumPy parameter names the op takes.  Any other NumPy parameter is
accepted only at its default value.  A NumPy signature no op has one to one
(``cross``'s ``axisa/axisb/axisc``, ``astype``'s ``copy``) gets an
adapter in ``_numpy_signatures.py``.
"""

from __future__ import annotations

import inspect

import numpy

from . import linalg, ops
from ._numpy_signatures import astype, cross, linalg_diagonal
from .tensor import Tensor

__all__ = ["DISPATCH", "DATA_ONLY", "REFUSED", "UNAVAILABLE", "Row", "array_ufunc", "array_function"]

# the keyword arguments every ufunc takes, at the values that change nothing
_UFUNC_DEFAULTS = {"where": True, "casting": "same_kind", "order": "K", "dtype": None,
                   "subok": True, "signature": None}


_EMPTY = inspect.Parameter.empty
_VAR_POSITIONAL = inspect.Parameter.VAR_POSITIONAL
_KEYWORD_ONLY = inspect.Parameter.KEYWORD_ONLY


class Row:
    """How a NumPy function's arguments map onto an op.

    ``params``: the NumPy parameter names (a space-separated string) that match the
    op's parameters one to one, in the op's order (``-`` skips an op parameter).  One
    the caller left out gets NumPy's default (the op's where NumPy has none), so
    the call means what it means in NumPy; a NumPy ``*args`` is spread; an op
    parameter after the op's ``*args`` is passed by keyword.
    """

    __slots__ = ("op", "params", "_numpy_signature", "_op_parameters")

    def __init__(self, op, params: str):
        self.op = op
        self.params = tuple(params.split())
        self._numpy_signature = None
        self._op_parameters = None

    def __repr__(self):
        return f"Row({getattr(self.op, '__name__', self.op)}, {' '.join(self.params)!r})"

    def call(self, func, args, kwargs):
        """Bind ``args``/``kwargs`` as NumPy's ``func`` would and call the op."""
        if self._numpy_signature is None:
            self._numpy_signature = inspect.signature(func)
            self._op_parameters = list(inspect.signature(self.op).parameters.values())
        signature = self._numpy_signature
        try:
            bound = signature.bind(*args, **kwargs).arguments
        except TypeError as err:
            raise TypeError(f"{_name(func)}: {err}") from None
        given = {}
        for name, value in bound.items():
            if signature.parameters[name].kind is inspect.Parameter.VAR_KEYWORD:
                given.update(value)
            else:
                given[name] = value
        for name, value in given.items():
            if name in self.params:
                continue
            if name == "out" and value is not None:
                raise _out_error(func)
            parameter = signature.parameters.get(name)
            default = parameter.default if parameter is not None else _EMPTY
            if not _is_default(value, default):
                raise TypeError(
                    f"{_name(func)}(..., {name}=...) is not supported on Tensors: autograd_core's "
                    f"'{getattr(self.op, '__name__', self.op)}' takes only "
                    f"{', '.join(self.params)}; leave {name} at its default, or call NumPy on "
                    "np.asarray(tensor) (without gradients)")
        positional, keywords, pending = [], {}, []
        for name, op_parameter in zip(self.params, self._op_parameters):
            if name == "-":  # an op parameter no NumPy parameter feeds
                continue
            numpy_parameter = signature.parameters.get(name)
            if name not in given:  # NumPy's default, so the meaning stays NumPy's
                default = getattr(numpy_parameter, "default", _EMPTY)
                if default is not _EMPTY and default is not numpy._NoValue:
                    given[name] = default
            if op_parameter.kind is _KEYWORD_ONLY:
                if name in given:
                    keywords[op_parameter.name] = given[name]
                continue
            if name not in given:
                pending.append((name, numpy_parameter, op_parameter))
                continue
            for missing in pending:  # left out before a given one: fill in a default
                positional.append(_default_for(func, *missing))
            pending = []
            value = given[name]
            if numpy_parameter is not None and numpy_parameter.kind is _VAR_POSITIONAL:
                positional.extend(value)
            else:
                positional.append(value)
        return self.op(*positional, **keywords)


def _default_for(func, name, numpy_parameter, op_parameter):
    for default in (getattr(numpy_parameter, "default", _EMPTY), op_parameter.default):
        if default is not _EMPTY and default is not numpy._NoValue:
            return default
    raise TypeError(f"{_name(func)}: missing argument {name!r}")


def _where(condition, x=None, y=None):
    """``np.where(c, x, y)`` is the op; ``np.where(c)`` is ``np.nonzero(c)``: indices, no gradient."""
    if x is None and y is None:
        return numpy.nonzero(numpy.asarray(condition))
    if x is None or y is None:
        raise TypeError("numpy.where: give both x and y, or neither")
    return ops.where(condition, x, y)


# ufuncs whose op has the NumPy name (operands passed positionally), by NumPy's categories
_SAME_NAME_UFUNCS = """
    add subtract multiply divide power negative maximum minimum reciprocal fmod remainder
    sign exp exp2 log log2 log10 log1p expm1 logaddexp logaddexp2 sqrt cbrt square
    sin cos tan arcsin arccos arctan arctan2 hypot sinh cosh tanh arcsinh arccosh arctanh
    floor ceil trunc rint copysign matmul
    less less_equal greater greater_equal equal not_equal logical_and logical_or logical_xor
    logical_not bitwise_and bitwise_or bitwise_xor invert isfinite isnan
"""


_UNAVAILABLE: list = []


def _build():
    table = {getattr(numpy, name): getattr(ops, name) for name in _SAME_NAME_UFUNCS.split()}
    table.update({
        numpy.absolute: ops.abs,
        # reductions
        numpy.sum: Row(ops.sum, "a axis keepdims"),
        numpy.mean: Row(ops.mean, "a axis keepdims"),
        numpy.var: Row(ops.var, "a axis ddof keepdims"),
        numpy.std: Row(ops.std, "a axis ddof keepdims"),
        numpy.max: Row(ops.max, "a axis keepdims"),
        numpy.min: Row(ops.min, "a axis keepdims"),
        numpy.prod: Row(ops.prod, "a axis keepdims"),
        numpy.argmax: Row(ops.argmax, "a axis keepdims"),
        numpy.argmin: Row(ops.argmin, "a axis keepdims"),
        numpy.any: Row(ops.any, "a axis keepdims"),
        numpy.all: Row(ops.all, "a axis keepdims"),
        # shape and joining
        numpy.reshape: Row(ops.reshape, "a shape"),
        numpy.transpose: Row(ops.transpose, "a axes"),
        numpy.swapaxes: Row(ops.swapaxes, "a axis1 axis2"),
        numpy.squeeze: Row(ops.squeeze, "a axis"),
        numpy.expand_dims: Row(ops.expand_dims, "a axis"),
        numpy.broadcast_to: Row(ops.broadcast_to, "array shape"),
        numpy.concatenate: Row(ops.concatenate, "arrays axis"),
        numpy.stack: Row(ops.stack, "arrays axis"),
        numpy.split: Row(ops.split, "ary indices_or_sections axis"),
        numpy.pad: Row(ops.pad, "array pad_width constant_values"),
        numpy.repeat: Row(ops.repeat, "a repeats axis"),
        numpy.tile: Row(ops.tile, "A reps"),
        # selection, clipping, linear algebra
        numpy.where: Row(_where, "condition x y"),
        numpy.clip: Row(ops.clip, "a a_min a_max"),
        numpy.round: Row(ops.round, "a decimals"),
        numpy.around: Row(ops.round, "a decimals"),
        # products and einsum
        numpy.dot: Row(ops.dot, "a b"),
        numpy.inner: Row(ops.inner, "a b"),
        numpy.outer: Row(ops.outer, "a b"),
        numpy.vdot: Row(ops.vdot, "a b"),
        numpy.tensordot: Row(ops.tensordot, "a b axes"),
        numpy.kron: Row(ops.kron, "a b"),
        numpy.cross: Row(cross, "a b axisa axisb axisc axis"),
        numpy.einsum: Row(ops.einsum, "operands - optimize"),
        # scans and order statistics
        numpy.cumsum: Row(ops.cumsum, "a axis"),
        numpy.cumprod: Row(ops.cumprod, "a axis"),
        numpy.diff: Row(ops.diff, "a n axis"),
        numpy.average: Row(ops.average, "a axis weights keepdims"),
        numpy.median: Row(ops.median, "a axis keepdims"),
        numpy.nansum: Row(ops.nansum, "a axis keepdims"),
        numpy.nanmean: Row(ops.nanmean, "a axis keepdims"),
        numpy.ptp: Row(ops.ptp, "a axis keepdims"),
        # sorting and gathering (np.put_along_axis writes in place: not dispatched)
        numpy.sort: Row(ops.sort, "a axis"),
        numpy.argsort: Row(ops.argsort, "a axis"),
        numpy.take: Row(ops.take, "a indices axis"),
        numpy.take_along_axis: Row(ops.take_along_axis, "arr indices axis"),
        # rearranging
        numpy.flip: Row(ops.flip, "m axis"),
        numpy.roll: Row(ops.roll, "a shift axis"),
        numpy.rot90: Row(ops.rot90, "m k axes"),
        numpy.moveaxis: Row(ops.moveaxis, "a source destination"),
        numpy.ravel: Row(ops.ravel, "a"),
        numpy.diagonal: Row(ops.diagonal, "a offset axis1 axis2"),
        numpy.diag: Row(ops.diag, "v k"),
        numpy.trace: Row(ops.trace, "a offset axis1 axis2"),
        numpy.triu: Row(ops.triu, "m k"),
        numpy.tril: Row(ops.tril, "m k"),
        numpy.vstack: Row(ops.vstack, "tup"),
        numpy.hstack: Row(ops.hstack, "tup"),
        numpy.dstack: Row(ops.dstack, "tup"),
        numpy.column_stack: Row(ops.column_stack, "tup"),
        numpy.array_split: Row(ops.array_split, "ary indices_or_sections axis"),
        numpy.broadcast_arrays: Row(ops.broadcast_arrays, "args"),
        numpy.meshgrid: Row(ops.meshgrid, "xi indexing"),
        numpy.atleast_1d: Row(ops.atleast_1d, "arys"),
        numpy.atleast_2d: Row(ops.atleast_2d, "arys"),
        numpy.atleast_3d: Row(ops.atleast_3d, "arys"),
        # numpy.linalg (results that are namedtuples in NumPy are the same namedtuples of
        # Tensors: EighResult, SVDResult, QRResult, SlogdetResult)
        numpy.linalg.inv: Row(linalg.inv, "a"),
        numpy.linalg.solve: Row(linalg.solve, "a b"),
        numpy.linalg.det: Row(linalg.det, "a"),
        numpy.linalg.slogdet: Row(linalg.slogdet, "a"),
        numpy.linalg.cholesky: Row(linalg.cholesky, "a upper"),
        numpy.linalg.eigh: Row(linalg.eigh, "a"),
        numpy.linalg.eigvalsh: Row(linalg.eigvalsh, "a"),
        numpy.linalg.svd: Row(linalg.svd, "a full_matrices compute_uv"),
        numpy.linalg.qr: Row(linalg.qr, "a mode"),
        numpy.linalg.pinv: Row(linalg.pinv, "a rcond"),
        numpy.linalg.norm: Row(linalg.norm, "x ord axis keepdims"),
        numpy.linalg.matrix_power: Row(linalg.matrix_power, "a n"),
        numpy.linalg.multi_dot: Row(linalg.multi_dot, "arrays"),
        numpy.linalg.matrix_rank: Row(linalg.matrix_rank, "A tol"),
    })
    for path, row in {  # NumPy 2's array API names: rows where this NumPy has them
        "astype": Row(astype, "x dtype copy"),
        "linalg.svdvals": Row(linalg.svdvals, "x"),
        "linalg.matrix_norm": Row(linalg.matrix_norm, "x keepdims ord"),
        "linalg.vector_norm": Row(linalg.vector_norm, "x axis keepdims ord"),
        "linalg.trace": Row(linalg.trace, "x offset"),  # last two axes
        "linalg.outer": Row(linalg.outer, "x1 x2"),
        "linalg.matmul": Row(ops.matmul, "x1 x2"),
        "linalg.tensordot": Row(ops.tensordot, "x1 x2 axes"),
        "linalg.diagonal": Row(linalg_diagonal, "x offset"),  # last two axes
        "linalg.cross": Row(ops.cross, "x1 x2 axis"),
    }.items():
        namespace, _, name = ("numpy." + path).rpartition(".")
        func = getattr(numpy.linalg if namespace.endswith("linalg") else numpy, name, None)
        if func is None:
            _UNAVAILABLE.append("numpy." + path)
        else:
            table[func] = row
    if numpy.amax is not numpy.max:  # aliases on some NumPy versions, distinct on others
        table[numpy.amax] = table[numpy.max]
        table[numpy.amin] = table[numpy.min]
    return table


DISPATCH: dict = _build()
"""NumPy callable -> op (ufuncs) or :class:`Row` (other functions)."""

UNAVAILABLE: tuple = tuple(_UNAVAILABLE)
"""Rows the table has for NumPy 2's names that the installed NumPy lacks (``"numpy.astype"``...)."""

# Functions whose result carries no gradient (shapes, comparisons of values, indices):
# they run on the data.  Everything else not in DISPATCH is refused.
DATA_ONLY = frozenset([
    numpy.shape, numpy.ndim, numpy.size, numpy.allclose, numpy.isclose, numpy.array_equal,
    numpy.array_equiv, numpy.nonzero, numpy.count_nonzero, numpy.argwhere,
])


REFUSED: dict = {
    numpy.put_along_axis: "it writes into its argument in place, which a Tensor's graph cannot "
                          "record; use ag.put_along_axis(arr, indices, values, axis), which "
                          "returns the result",
}
"""NumPy functions with a counterpart here that are refused on purpose -> why, and what to
use instead (the ``TypeError`` says it)."""


def array_ufunc(self, ufunc, method, *inputs, **kwargs):
    """``Tensor.__array_ufunc__``: ``np.exp(t)``, ``a * t`` (``a`` an ndarray) and so on."""
    out = kwargs.pop("out", None)
    if out is not None:
        raise _out_error(ufunc)
    if method != "__call__":
        raise TypeError(
            f"{_name(ufunc)}.{method} on a Tensor is not supported: its result would be a plain "
            "array, losing the graph. Use the op (for example np.sum(t) for np.add.reduce), or "
            "call it on np.asarray(tensor) for the data without gradients")
    for name, value in kwargs.items():
        if name not in _UFUNC_DEFAULTS or not _is_default(value, _UFUNC_DEFAULTS[name]):
            raise TypeError(f"{_name(ufunc)}(..., {name}=...) is not supported on Tensors; call "
                            "it without that argument")
    op = DISPATCH.get(ufunc)
    if op is None:
        raise _missing_error(ufunc)
    return op(*inputs)


def array_function(self, func, types, args, kwargs):
    """``Tensor.__array_function__``: ``np.sum(t, axis=0)``, ``np.concatenate([t, u])``..."""
    row = DISPATCH.get(func)
    if row is not None:
        return row.call(func, args, kwargs) if isinstance(row, Row) else row(*args, **kwargs)
    if func in DATA_ONLY:
        return func._implementation(*args, **kwargs)
    if func in REFUSED:
        raise TypeError(f"{_name(func)} is not supported on Tensors: {REFUSED[func]}")
    raise _missing_error(func)


def _is_default(value, default) -> bool:
    if value is default:
        return True
    if default is inspect.Parameter.empty or default is numpy._NoValue:
        return False
    try:
        return bool(value == default)
    except (TypeError, ValueError):
        return False


def _name(func) -> str:
    """``numpy.exp``, ``numpy.linalg.solve``: the public path, without private submodules."""
    parts = (getattr(func, "__module__", None) or "numpy").split(".")
    public = [p for p in parts[:2] if not p.startswith("_") and p != "lib"]
    return ".".join(public + [func.__name__])


def _missing_error(func):
    return TypeError(
        f"{_name(func)} has no counterpart in autograd_core, so it cannot run on a Tensor: "
        "computing it on the array would lose the graph (no gradient would flow). Use an "
        "autograd_core op, or pass np.asarray(tensor) explicitly to work on the data without "
        "gradients")


def _out_error(func):
    return TypeError(
        f"{_name(func)}(..., out=...) with a Tensor is not supported: a result with a graph cannot "
        "be written into an existing array. Use the returned value instead (y = np.add(a, t); "
        "for an ndarray a, write a = a + t rather than a += t)")


Tensor.__array_ufunc__ = array_ufunc
Tensor.__array_function__ = array_function
