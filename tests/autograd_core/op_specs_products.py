"""Op-table rows for products: ``einsum`` (explicit and implicit output, diagonals and
traces, ``...`` broadcasting, 1 to 3 operands) and ``dot inner outer vdot tensordot kron
cross``."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import arrays, broadcastable_shapes, shapes
from op_specs import OpSpec

SMALL = dict(max_dims=3, max_side=3)

# (subscripts, operand shapes); a letter's size comes from the draw below
EINSUM_FORMS = [
    ("ij,jk->ik", "ij", "jk"), ("ij,jk", "ij", "jk"), ("i,i->", "i", "i"), ("i,j->ij", "i", "j"),
    ("ii->i", "ii"), ("ii", "ii"), ("ij->ji", "ij"), ("ij->", "ij"), ("iij->j", "iij"),
    ("...ij,...jk->...ik", "...ij", "...jk"), ("i...,i...->...", "i...", "i..."),
    ("ij,jk,kl->il", "ij", "jk", "kl"), ("bij,bj->bi", "bij", "bj"), ("ijk,jil->kl", "ijk", "jil"),
    ("ba,ab->", "ba", "ab"), ("i,i,i", "i", "i", "i"), ("...i", "...i"),
]


@st.composite
def einsum_case(draw):
    subscripts, *terms = draw(st.sampled_from(EINSUM_FORMS))
    sizes = {c: draw(st.integers(0, 3)) for c in set("".join(terms)) - set(".")}
    batch = draw(broadcastable_shapes(len(terms), max_dims=2, max_side=3))
    operands = []
    for term, lead in zip(terms, batch):
        shape = tuple(sizes[c] for c in term.replace("...", ""))
        if "..." in term:
            shape = (lead + shape) if term.startswith("...") else (shape[:1] + lead + shape[1:])
        operands.append(draw(arrays(shape)))
    return tuple(operands), dict(subscripts=subscripts,
                                 optimize=draw(st.sampled_from([False, "greedy"])))


@st.composite
def tensordot_case(draw):
    a = draw(arrays(shapes(**SMALL)))
    if draw(st.booleans()):
        n = draw(st.integers(0, a.ndim))
        tail = a.shape[a.ndim - n:]
        b = draw(arrays(tail + draw(shapes(max_dims=2, max_side=3))))
        return (a, b), dict(axes=n)
    k = draw(st.integers(0, a.ndim))
    axes_a = draw(st.permutations(range(a.ndim)))[:k]
    b_ndim = draw(st.integers(k, k + 2))
    axes_b = draw(st.permutations(range(b_ndim)))[:k]
    shape_b = [draw(st.integers(0, 3)) for _ in range(b_ndim)]
    for i, j in zip(axes_a, axes_b):
        shape_b[j] = a.shape[i]
    return (a, draw(arrays(tuple(shape_b)))), dict(axes=(list(axes_a), list(axes_b)))


@st.composite
def dot_case(draw):
    a = draw(arrays(shapes(**SMALL)))
    if a.ndim == 0:
        return (a, draw(arrays(shapes(**SMALL)))), {}
    b_shape = list(draw(shapes(min_dims=1, **SMALL)))
    b_shape[-2 if len(b_shape) > 1 else 0] = a.shape[-1]
    return (a, draw(arrays(tuple(b_shape)))), {}


@st.composite
def inner_case(draw):
    a = draw(arrays(shapes(**SMALL)))
    if a.ndim == 0:
        return (a, draw(arrays(shapes(**SMALL)))), {}
    b_shape = draw(shapes(max_dims=2, max_side=3)) + a.shape[-1:]
    return (a, draw(arrays(b_shape))), {}


@st.composite
def two_arrays(draw, same_size=False):
    a = draw(arrays(shapes(**SMALL)))
    if same_size:
        return (a, draw(arrays(draw(st.sampled_from([a.shape, a.shape[::-1], (a.size,)]))))), {}
    return (a, draw(arrays(shapes(**SMALL)))), {}


@st.composite
def cross_case(draw):
    sa, sb = draw(broadcastable_shapes(2, max_dims=2, max_side=3))
    axis = draw(st.integers(-1, 0))
    def with_3(s):
        s = list(s) + [3] if axis == -1 else [3] + list(s)
        return tuple(s)
    if axis == 0:  # the vector axis leads: batch shapes must then have equal length
        sb = sa
    return (draw(arrays(with_3(sa))), draw(arrays(with_3(sb)))), dict(axis=axis)


PRODUCT_SPECS = [
    OpSpec("einsum", einsum_case(),
           lambda *xs, subscripts, optimize: ag.einsum(subscripts, *xs, optimize=optimize),
           lambda *xs, subscripts, optimize: np.einsum(subscripts, *xs, optimize=optimize)),
    OpSpec("tensordot", tensordot_case(), lambda a, b, axes: ag.tensordot(a, b, axes),
           lambda a, b, axes: np.tensordot(a, b, axes)),
    OpSpec("dot", dot_case(), ag.dot, np.dot),
    OpSpec("dot_method", dot_case(), lambda a, b: a.dot(b), np.dot),
    OpSpec("inner", inner_case(), ag.inner, np.inner),
    OpSpec("outer", two_arrays(), ag.outer, np.outer),
    OpSpec("vdot", two_arrays(same_size=True), ag.vdot, np.vdot),
    OpSpec("kron", two_arrays(), ag.kron, np.kron),
    OpSpec("cross", cross_case(), lambda a, b, axis: ag.cross(a, b, axis=axis),
           lambda a, b, axis: np.cross(a, b, axis=axis)),
]
