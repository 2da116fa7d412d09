"""Op-table rows for rearranging, diagonals, joining and splitting: ``flip roll rot90
moveaxis ravel diagonal diag trace triu tril vstack hstack dstack column_stack array_split
broadcast_arrays meshgrid atleast_1d/2d/3d``.  Ops returning several tensors are checked
through a weighted concatenation of them (each part scaled differently)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import arrays, broadcastable_shapes, shapes
from op_specs import OpSpec, unary

SMALL = dict(max_dims=3, max_side=3)


def _axes_subset(draw, ndim):
    return draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1),
                          st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim)
                          .map(tuple))) if ndim else None


@st.composite
def flip_case(draw):
    a = draw(arrays(shapes(**SMALL)))
    return (a,), dict(axis=_axes_subset(draw, a.ndim))


@st.composite
def roll_case(draw):
    a = draw(arrays(shapes(**SMALL)))
    if a.ndim == 0 or draw(st.booleans()):
        return (a,), dict(shift=draw(st.integers(-4, 4)), axis=None)
    axes = tuple(draw(st.lists(st.integers(-a.ndim, a.ndim - 1), min_size=1, max_size=3)))
    shifts = tuple(draw(st.integers(-4, 4)) for _ in axes)
    return (a,), dict(shift=shifts, axis=axes)


@st.composite
def rot90_case(draw):
    a = draw(arrays(shapes(min_dims=2, **SMALL)))
    axes = tuple(draw(st.lists(st.integers(-a.ndim, a.ndim - 1), min_size=2, max_size=2,
                               unique_by=lambda v: v % a.ndim)))
    return (a,), dict(k=draw(st.integers(-3, 4)), axes=axes)


@st.composite
def moveaxis_case(draw):
    a = draw(arrays(shapes(min_dims=1, **SMALL)))
    n = draw(st.integers(1, a.ndim))
    source = draw(st.permutations(range(a.ndim)))[:n]
    destination = draw(st.permutations(range(-a.ndim, 0)))[:n]
    return (a,), dict(source=tuple(source), destination=tuple(destination))


@st.composite
def diagonal_case(draw):
    a = draw(arrays(shapes(min_dims=2, **SMALL)))
    axes = draw(st.lists(st.integers(-a.ndim, a.ndim - 1), min_size=2, max_size=2,
                         unique_by=lambda v: v % a.ndim))
    return (a,), dict(offset=draw(st.integers(-3, 3)), axis1=axes[0], axis2=axes[1])


@st.composite
def diag_case(draw):
    a = draw(arrays(shapes(min_dims=1, max_dims=2, max_side=3)))
    return (a,), dict(k=draw(st.integers(-2, 2)))


@st.composite
def triangle_case(draw):
    a = draw(arrays(shapes(min_dims=1, **SMALL)))
    return (a,), dict(k=draw(st.integers(-2, 2)))


# the axis each joining op concatenates along, by input ndim (None: shapes must agree)
JOIN_AXIS = {"vstack": {2: 0, 3: 0}, "hstack": {1: 0, 2: 1, 3: 1}, "dstack": {3: 2},
             "column_stack": {2: 1, 3: 1}}


@st.composite
def join_case(draw, op):
    """1 to 3 tensors agreeing on every axis but the one ``op`` joins along."""
    ndim = draw(st.integers(0, 3))
    base = [draw(st.integers(1, 3)) for _ in range(ndim)]
    n = draw(st.integers(1, 3))
    axis = JOIN_AXIS[op].get(ndim)
    parts = []
    for _ in range(n):
        shape = list(base)
        if axis is not None:
            shape[axis] = draw(st.integers(0, 3))
        parts.append(draw(arrays(tuple(shape))))
    return tuple(parts), dict(axis=axis)


@st.composite
def array_split_case(draw):
    a = draw(arrays(shapes(min_dims=1, **SMALL)))
    axis = draw(st.integers(-a.ndim, a.ndim - 1))
    split = draw(st.one_of(st.integers(1, 4),
                           st.lists(st.integers(0, 4), max_size=3).map(sorted)))
    return (a,), dict(indices_or_sections=split, axis=axis)


def _weighted(parts, lib):
    return lib.concatenate([lib.ravel(p) * (i + 1.0) for i, p in enumerate(parts)])


@st.composite
def broadcast_arrays_case(draw):
    shapes_ = draw(broadcastable_shapes(draw(st.integers(1, 3)), max_dims=3, max_side=3))
    return tuple(draw(arrays(s)) for s in shapes_), {}


@st.composite
def meshgrid_case(draw):
    n = draw(st.integers(1, 3))
    return tuple(draw(arrays((draw(st.integers(0, 3)),))) for _ in range(n)), dict(
        indexing=draw(st.sampled_from(["xy", "ij"])))


def _join(name):
    return (lambda *xs, axis: getattr(ag, name)(xs),
            lambda *xs, axis: getattr(np, name)(xs))


REARRANGING_SPECS = [
    OpSpec("flip", flip_case(), lambda a, axis: ag.flip(a, axis), lambda a, axis: np.flip(a, axis)),
    OpSpec("roll", roll_case(), lambda a, shift, axis: ag.roll(a, shift, axis),
           lambda a, shift, axis: np.roll(a, shift, axis)),
    OpSpec("rot90", rot90_case(), lambda a, k, axes: ag.rot90(a, k, axes),
           lambda a, k, axes: np.rot90(a, k, axes)),
    OpSpec("moveaxis", moveaxis_case(),
           lambda a, source, destination: ag.moveaxis(a, source, destination),
           lambda a, source, destination: np.moveaxis(a, source, destination)),
    OpSpec("ravel", unary(shape=shapes(**SMALL)), lambda a: a.ravel(), np.ravel),
    OpSpec("diagonal", diagonal_case(),
           lambda a, offset, axis1, axis2: a.diagonal(offset, axis1, axis2),
           lambda a, offset, axis1, axis2: np.diagonal(a, offset, axis1, axis2)),
    OpSpec("trace", diagonal_case(),
           lambda a, offset, axis1, axis2: a.trace(offset, axis1, axis2),
           lambda a, offset, axis1, axis2: np.trace(a, offset, axis1, axis2)),
    OpSpec("diag", diag_case(), lambda a, k: ag.diag(a, k), lambda a, k: np.diag(a, k)),
    OpSpec("triu", triangle_case(), lambda a, k: ag.triu(a, k), lambda a, k: np.triu(a, k)),
    OpSpec("tril", triangle_case(), lambda a, k: ag.tril(a, k), lambda a, k: np.tril(a, k)),
    OpSpec("vstack", join_case("vstack"), *_join("vstack")),
    OpSpec("hstack", join_case("hstack"), *_join("hstack")),
    OpSpec("dstack", join_case("dstack"), *_join("dstack")),
    OpSpec("column_stack", join_case("column_stack"), *_join("column_stack")),
    OpSpec("array_split", array_split_case(),
           lambda a, indices_or_sections, axis: _weighted(
               ag.array_split(a, indices_or_sections, axis), ag),
           lambda a, indices_or_sections, axis: _weighted(
               np.array_split(a, indices_or_sections, axis), np)),
    OpSpec("broadcast_arrays", broadcast_arrays_case(),
           lambda *xs: _weighted(ag.broadcast_arrays(*xs), ag),
           lambda *xs: _weighted(np.broadcast_arrays(*xs), np)),
    OpSpec("meshgrid", meshgrid_case(),
           lambda *xs, indexing: _weighted(ag.meshgrid(*xs, indexing=indexing), ag),
           lambda *xs, indexing: _weighted(np.meshgrid(*xs, indexing=indexing), np)),
    OpSpec("atleast_1d", unary(shape=shapes(**SMALL)), ag.atleast_1d, np.atleast_1d),
    OpSpec("atleast_2d", unary(shape=shapes(**SMALL)), ag.atleast_2d, np.atleast_2d),
    OpSpec("atleast_3d", unary(shape=shapes(**SMALL)), ag.atleast_3d, np.atleast_3d),
]
