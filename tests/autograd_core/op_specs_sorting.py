"""Op-table rows for sorting and gathering: ``sort take take_along_axis put_along_axis
scatter_add``.  Sorted values are drawn pairwise apart (ties are kinks); indices cover
negative values, repeats (which accumulate) and empty index arrays."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import arrays, shapes
from op_specs import OpSpec, distinct_values

SMALL = dict(max_dims=3, max_side=3)


@st.composite
def sort_case(draw):
    a = draw(distinct_values(draw(shapes(**SMALL))))
    axis = draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1))) if a.ndim else None
    return (a,), dict(axis=axis)


@st.composite
def take_case(draw):
    a = draw(arrays(shapes(min_dims=1, min_side=1, **SMALL)))
    axis = draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1)))
    n = a.size if axis is None else a.shape[axis]
    index_shape = draw(shapes(max_dims=2, max_side=3))
    index = np.asarray(draw(st.lists(st.integers(-n, n - 1), min_size=int(np.prod(index_shape)),
                                     max_size=int(np.prod(index_shape)))),
                       dtype=np.int64).reshape(index_shape)
    return (a,), dict(indices=index, axis=axis)


def _along_indices(draw, shape, axis, unique):
    """Indices for ``*_along_axis``: ``shape``'s ndim, other axes of length 1 or full."""
    n = shape[axis]
    index_shape = [draw(st.sampled_from([1, m])) for m in shape]
    index_shape[axis] = draw(st.integers(0, n if unique else 4))
    if unique:  # distinct along the axis, per lane
        keys = draw(arrays(tuple(index_shape[:axis]) + (n,) + tuple(index_shape[axis + 1:]),
                           elements=st.floats(0, 1)))
        index = np.argsort(keys, axis=axis, kind="stable")
        return np.take(index, np.arange(index_shape[axis]), axis=axis) - draw(
            st.sampled_from([0, n]))
    size = int(np.prod(index_shape))
    return np.asarray(draw(st.lists(st.integers(-n, n - 1), min_size=size, max_size=size)),
                      dtype=np.int64).reshape(index_shape)


@st.composite
def along_case(draw, unique=False, values=False):
    a = draw(arrays(shapes(min_dims=1, min_side=1, **SMALL)))
    axis = draw(st.integers(-a.ndim, a.ndim - 1))
    index = _along_indices(draw, a.shape, axis % a.ndim, unique)
    if not values:
        return (a,), dict(indices=index, axis=axis)
    full = tuple(m if i == axis % a.ndim else max(m, n)
                 for i, (n, m) in enumerate(zip(a.shape, index.shape)))
    value_shape = draw(st.sampled_from([full, full[1:], (1,) * len(full)]))
    return (a, draw(arrays(value_shape))), dict(indices=index, axis=axis)


def _put_ref(a, v, indices, axis):
    out = a.copy()
    np.put_along_axis(out, indices, v, axis)
    return out


def _scatter_add_ref(a, v, indices, axis):
    out = a.copy()
    full = np.broadcast_shapes(*[np.shape(i) for i in _fancy(a.shape, indices, axis)])
    np.add.at(out, _fancy(a.shape, indices, axis), np.broadcast_to(v, full))
    return out


def _fancy(shape, indices, axis):
    axis %= len(shape)
    return tuple(indices if i == axis else
                 np.arange(n).reshape([n if j == i else 1 for j in range(len(shape))])
                 for i, n in enumerate(shape))


SORTING_SPECS = [
    OpSpec("sort", sort_case(), lambda a, axis: ag.sort(a, axis),
           lambda a, axis: np.sort(a, axis)),
    OpSpec("take", take_case(), lambda a, indices, axis: ag.take(a, indices, axis),
           lambda a, indices, axis: np.take(a, indices, axis)),
    OpSpec("take_method", take_case(), lambda a, indices, axis: a.take(indices, axis),
           lambda a, indices, axis: a.take(indices, axis)),
    OpSpec("take_along_axis", along_case(),
           lambda a, indices, axis: ag.take_along_axis(a, indices, axis),
           lambda a, indices, axis: np.take_along_axis(a, indices, axis)),
    OpSpec("put_along_axis", along_case(unique=True, values=True),
           lambda a, v, indices, axis: ag.put_along_axis(a, indices, v, axis), _put_ref),
    OpSpec("scatter_add", along_case(values=True),
           lambda a, v, indices, axis: ag.scatter_add(a, indices, v, axis), _scatter_add_ref),
]
