"""One table of op specifications driving the gradient and forward-value tests.

Each ``OpSpec`` names an op, a hypothesis strategy drawing its inputs (NumPy
float64 arrays plus keyword arguments), the function applied to Tensors, and
the NumPy reference for its forward value.  Input domains keep finite
differences away from kinks (relu/abs at 0, ties in max) and outside poles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import arrays, broadcastable_shapes, shapes


@dataclass
class OpSpec:
    name: str
    inputs: st.SearchStrategy  # draws (tuple_of_arrays, kwargs)
    fn: Callable  # fn(*tensors, **kwargs) -> Tensor
    reference: Callable | None  # reference(*arrays, **kwargs) -> array (NumPy)
    gradgrad: bool = True
    tags: set = field(default_factory=set)


def floats(lo=-3.0, hi=3.0):
    """Floats in [lo, hi]; magnitudes below 1e-3 become exact zeros, so no test point
    sits among subnormals where finite differences lose all precision."""
    return st.floats(lo, hi).map(lambda v: 0.0 if abs(v) < 1e-3 else v)


def away_from_zero(lo=0.2, hi=3.0):
    return st.one_of(st.floats(lo, hi), st.floats(-hi, -lo))


@st.composite
def distinct_values(draw, shape):
    """An array whose elements differ pairwise by at least 0.6 (no near-ties)."""
    size = int(np.prod(shape))
    order = np.asarray(draw(st.permutations(range(size))), dtype=np.float64)
    noise = draw(hnp.arrays(np.float64, size, elements=st.floats(0.0, 0.4)))
    return ((order - size / 2) * 0.5 + noise * 0.5).reshape(shape) if size else np.zeros(shape)


def unary(elements=None, shape=None):
    return arrays(shapes() if shape is None else shape, elements=elements if elements is not None else floats()) \
        .map(lambda a: ((a,), {}))


@st.composite
def binary(draw, elements_a=None, elements_b=None, distinct=False):
    shape_a, shape_b = draw(broadcastable_shapes(2))
    a = draw(arrays(shape_a, elements=elements_a if elements_a is not None else floats()))
    b = draw(arrays(shape_b, elements=elements_b if elements_b is not None else floats()))
    if distinct:
        assume(np.all(np.abs(a - b) > 1e-3))  # ties are kinks: keep finite differences off them
    return (a, b), {}


@st.composite
def axis_and_keepdims(draw, ndim):
    if ndim == 0:
        axis = draw(st.sampled_from([None, 0, (), -1]))
        if axis in (0, -1):
            axis = None
    else:
        axis = draw(st.one_of(
            st.none(),
            st.integers(-ndim, ndim - 1),
            st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim).map(tuple)))
    return axis, draw(st.booleans())


@st.composite
def reduction(draw, elements=None, nonempty=False, distinct=False, min_group=0):
    shape = draw(shapes(min_side=1 if nonempty else 0))
    if distinct:
        a = draw(distinct_values(shape))
    else:
        a = draw(hnp.arrays(np.float64, shape, elements=elements if elements is not None else floats()))
    axis, keepdims = draw(axis_and_keepdims(a.ndim))
    if min_group:
        axes = range(a.ndim) if axis is None else np.atleast_1d(np.asarray(axis, dtype=int))
        group = int(np.prod([a.shape[i] for i in axes])) if a.ndim else 1
        assume(group >= min_group)
    return (a,), dict(axis=axis, keepdims=keepdims)


def _axis_np(axis):
    return axis if axis != () else ()


def softmax_ref(a, axis):
    if a.size == 0:
        return a.copy()
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@st.composite
def with_axis(draw, elements=None, min_dims=1):
    a = draw(arrays(shapes(min_dims=min_dims), elements=elements if elements is not None else floats()))
    return (a,), dict(axis=draw(st.integers(-a.ndim, a.ndim - 1)))


@st.composite
def expand_dims_case(draw):
    a = draw(arrays(shapes(max_dims=3)))
    return (a,), dict(axis=draw(st.integers(-a.ndim - 1, a.ndim)))


@st.composite
def reshape_case(draw):
    a = draw(arrays(shapes(max_dims=3)))
    target = draw(st.sampled_from([a.shape[::-1], (a.size,), (1,) + a.shape, (-1,)]))
    return (a,), dict(shape=target)


@st.composite
def transpose_case(draw):
    a = draw(arrays(shapes()))
    perm = draw(st.permutations(range(a.ndim)))
    return (a,), dict(axes=tuple(perm))


@st.composite
def broadcast_to_case(draw):
    shape_a, target = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_side=3)
                           .map(lambda r: (r.input_shapes[0], r.result_shape)))
    a = draw(arrays(shape_a))
    return (a,), dict(shape=target)


@st.composite
def concatenate_case(draw):
    base = list(draw(shapes(min_dims=1, max_dims=3)))
    axis = draw(st.integers(0, len(base) - 1))
    n = draw(st.integers(1, 3))
    parts = []
    for _ in range(n):
        base[axis] = draw(st.integers(0, 3))
        parts.append(draw(arrays(tuple(base))))
    return tuple(parts), dict(axis=axis)


@st.composite
def stack_case(draw):
    shape = draw(shapes(max_dims=3))
    n = draw(st.integers(1, 3))
    parts = tuple(draw(arrays(shape)) for _ in range(n))
    return parts, dict(axis=draw(st.integers(-len(shape) - 1, len(shape))))


@st.composite
def split_case(draw):
    a = draw(arrays(shapes(min_dims=1, max_dims=3)))
    axis = draw(st.integers(0, a.ndim - 1))
    points = sorted(draw(st.lists(st.integers(0, a.shape[axis]), max_size=3)))
    return (a,), dict(points=points, axis=axis)


@st.composite
def pad_case(draw):
    a = draw(arrays(shapes(max_dims=3)))
    widths = tuple((draw(st.integers(0, 2)), draw(st.integers(0, 2))) for _ in range(a.ndim))
    return (a,), dict(pad_width=widths, constant_values=draw(st.sampled_from([0.0, 1.5])))


@st.composite
def repeat_case(draw):
    a = draw(arrays(shapes(min_dims=1, max_dims=3)))
    axis = draw(st.one_of(st.none(), st.integers(0, a.ndim - 1)))
    n = a.size if axis is None else a.shape[axis]
    repeats = draw(st.one_of(st.integers(0, 3),
                             st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    return (a,), dict(repeats=repeats, axis=axis)


@st.composite
def tile_case(draw):
    a = draw(arrays(shapes(max_dims=3)))
    reps = tuple(draw(st.lists(st.integers(0, 3), min_size=1, max_size=4)))
    return (a,), dict(reps=reps)


@st.composite
def getitem_case(draw):
    a = draw(arrays(shapes(min_dims=1, max_dims=3, min_side=1)))
    kind = draw(st.sampled_from(["slice", "int_array", "bool_mask", "mixed"]))
    if kind == "slice":
        index = tuple(slice(draw(st.integers(-n, n)), draw(st.integers(-n, n)),
                            draw(st.sampled_from([1, 2, -1]))) for n in a.shape)
    elif kind == "int_array":  # repeats allowed: their gradients must accumulate
        index = np.asarray(draw(st.lists(st.integers(-a.shape[0], a.shape[0] - 1),
                                         max_size=6)), dtype=np.int64)
    elif kind == "bool_mask":
        index = draw(hnp.arrays(np.bool_, a.shape))
    else:
        index = (Ellipsis, np.asarray(draw(st.lists(st.integers(0, a.shape[-1] - 1),
                                                    min_size=1, max_size=4))), None)
    return (a,), dict(index=index)


@st.composite
def matmul_case(draw):
    n = draw(st.integers(1, 4))
    kind = draw(st.sampled_from(["vv", "mv", "vm", "mm", "batched"]))
    m, k = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    if kind == "vv":
        sa, sb = (n,), (n,)
    elif kind == "mv":
        sa, sb = (m, n), (n,)
    elif kind == "vm":
        sa, sb = (n,), (n, k)
    elif kind == "mm":
        sa, sb = (m, n), (n, k)
    else:
        ba, bb = draw(broadcastable_shapes(2, max_dims=2, max_side=3))
        sa, sb = ba + (m, n), bb + (n, k)
    return (draw(arrays(sa)), draw(arrays(sb))), {}


@st.composite
def linear_case(draw):
    lead = draw(shapes(max_dims=2, max_side=3))
    n, k = draw(st.integers(1, 3)), draw(st.integers(0, 3))
    x, w = draw(arrays(lead + (n,))), draw(arrays((n, k)))
    if draw(st.booleans()):
        return (x, w, draw(arrays((k,)))), {}
    return (x, w), {}


def linear_ref(x, w, b=None):
    return x @ w if b is None else x @ w + b


@st.composite
def softmax_cross_entropy_case(draw):
    n, c = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    logits = draw(arrays((n, c)))
    ignore_index = draw(st.sampled_from([None, -100, 0]))
    choices = list(range(c)) + ([] if ignore_index is None else [ignore_index])
    target = np.asarray(draw(st.lists(st.sampled_from(choices), min_size=n, max_size=n)))
    if ignore_index is not None:  # at least one counted row, so the mean is defined
        assume(np.any(target != ignore_index))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    return (logits,), dict(target=target, reduction=reduction, ignore_index=ignore_index)


def softmax_cross_entropy_ref(logits, target, reduction, ignore_index):
    keep = np.ones(target.shape) if ignore_index is None else (target != ignore_index) * 1.0
    safe = np.where(keep > 0, target, 0)
    logp = np.log(softmax_ref(logits, 1))
    losses = -logp[np.arange(len(target)), safe] * keep
    return {"none": losses, "sum": losses.sum(), "mean": losses.sum() / keep.sum()}[reduction]


@st.composite
def where_case(draw):
    sc, sa, sb = draw(broadcastable_shapes(3))
    cond = draw(hnp.arrays(np.bool_, sc))
    return (draw(arrays(sa)), draw(arrays(sb))), dict(condition=cond)


@st.composite
def clip_case(draw):
    a = draw(arrays(shapes(), elements=floats()))
    lo, hi = draw(st.sampled_from([(-1.0, 1.0), (None, 0.5), (-0.5, None)]))
    bounds = [v for v in (lo, hi) if v is not None]
    assume(all(np.all(np.abs(a - v) > 1e-3) for v in bounds))
    return (a,), dict(lo=lo, hi=hi)


def _split(x, points, axis):
    return ag.concatenate([p * (i + 1.0) for i, p in enumerate(ag.split(x, points, axis))],
                          axis=axis) if points is not None else x


def _split_ref(a, points, axis):
    return np.concatenate([p * (i + 1.0) for i, p in enumerate(np.split(a, points, axis))],
                          axis=axis)


POSITIVE = floats(0.2, 4.0)

SPECS = [
    # arithmetic
    OpSpec("add", binary(), lambda a, b: a + b, np.add),
    OpSpec("subtract", binary(), lambda a, b: a - b, np.subtract),
    OpSpec("multiply", binary(), lambda a, b: a * b, np.multiply),
    OpSpec("divide", binary(elements_b=away_from_zero(0.5)), lambda a, b: a / b, np.divide),
    OpSpec("power", binary(elements_a=floats(0.3, 3.0), elements_b=floats(-2.0, 2.0)),
           lambda a, b: a ** b, np.power),
    OpSpec("power_scalar_exponent", unary(floats(0.3, 3.0)), lambda a: a ** 3.5,
           lambda a: a ** 3.5),
    OpSpec("power_scalar_base", unary(), lambda a: 2.0 ** a, lambda a: 2.0 ** a),
    OpSpec("square_via_pow", unary(), lambda a: a ** 2, lambda a: a ** 2),
    OpSpec("rsub_scalar", unary(), lambda a: 1.5 - a, lambda a: 1.5 - a),
    OpSpec("rdiv_scalar", unary(away_from_zero(0.5)), lambda a: 2.0 / a, lambda a: 2.0 / a),
    OpSpec("negative", unary(), lambda a: -a, np.negative),
    OpSpec("maximum", binary(distinct=True), ag.maximum, np.maximum),
    OpSpec("minimum", binary(distinct=True), ag.minimum, np.minimum),
    OpSpec("where", where_case(), lambda a, b, condition: ag.where(condition, a, b),
           lambda a, b, condition: np.where(condition, a, b)),
    # elementwise maths
    OpSpec("abs", unary(away_from_zero()), ag.abs, np.abs),
    OpSpec("sign", unary(away_from_zero()), ag.sign, np.sign),
    OpSpec("exp", unary(), ag.exp, np.exp),
    OpSpec("log", unary(POSITIVE), ag.log, np.log),
    OpSpec("log1p", unary(floats(-0.7, 3.0)), ag.log1p, np.log1p),
    OpSpec("expm1", unary(), ag.expm1, np.expm1),
    OpSpec("sqrt", unary(POSITIVE), ag.sqrt, np.sqrt),
    OpSpec("square", unary(), ag.square, np.square),
    OpSpec("sin", unary(), ag.sin, np.sin),
    OpSpec("cos", unary(), ag.cos, np.cos),
    OpSpec("tanh", unary(), ag.tanh, np.tanh),
    OpSpec("sigmoid", unary(floats(-8, 8)), ag.sigmoid, lambda a: 1 / (1 + np.exp(-a))),
    OpSpec("relu", unary(away_from_zero()), ag.relu, lambda a: np.maximum(a, 0)),
    OpSpec("clip", clip_case(), lambda a, lo, hi: ag.clip(a, lo, hi),
           lambda a, lo, hi: np.clip(a, lo, hi)),
    # reductions
    OpSpec("sum", reduction(), lambda a, axis, keepdims: ag.sum(a, axis, keepdims),
           lambda a, axis, keepdims: np.sum(a, axis=axis, keepdims=keepdims)),
    OpSpec("mean", reduction(nonempty=True), lambda a, axis, keepdims: ag.mean(a, axis, keepdims),
           lambda a, axis, keepdims: np.mean(a, axis=axis, keepdims=keepdims)),
    OpSpec("var", reduction(nonempty=True), lambda a, axis, keepdims: ag.var(a, axis, 0, keepdims),
           lambda a, axis, keepdims: np.var(a, axis=axis, keepdims=keepdims)),
    OpSpec("var_ddof1", reduction(nonempty=True, min_group=2),
           lambda a, axis, keepdims: ag.var(a, axis, 1, keepdims),
           lambda a, axis, keepdims: np.var(a, axis=axis, ddof=1, keepdims=keepdims)),
    OpSpec("std", reduction(nonempty=True, distinct=True, min_group=2),
           lambda a, axis, keepdims: ag.std(a, axis, 0, keepdims),
           lambda a, axis, keepdims: np.std(a, axis=axis, keepdims=keepdims)),
    OpSpec("max", reduction(nonempty=True, distinct=True),
           lambda a, axis, keepdims: ag.max(a, axis, keepdims),
           lambda a, axis, keepdims: np.max(a, axis=axis, keepdims=keepdims)),
    OpSpec("min", reduction(nonempty=True, distinct=True),
           lambda a, axis, keepdims: ag.min(a, axis, keepdims),
           lambda a, axis, keepdims: np.min(a, axis=axis, keepdims=keepdims)),
    OpSpec("prod", reduction(floats(-1.5, 1.5)),
           lambda a, axis, keepdims: ag.prod(a, axis, keepdims),
           lambda a, axis, keepdims: np.prod(a, axis=axis, keepdims=keepdims)),
    OpSpec("prod_with_zeros", reduction(floats(-1.0, 1.0)).map(
        lambda c: ((np.where(np.abs(c[0][0]) < 0.3, 0.0, c[0][0]),), c[1])),
        lambda a, axis, keepdims: ag.prod(a, axis, keepdims),
        lambda a, axis, keepdims: np.prod(a, axis=axis, keepdims=keepdims)),
    OpSpec("logsumexp", reduction(nonempty=True),
           lambda a, axis, keepdims: ag.logsumexp(a, axis, keepdims),
           lambda a, axis, keepdims: np.log(np.sum(np.exp(a), axis=axis, keepdims=keepdims))),
    OpSpec("norm", reduction(nonempty=True, elements=floats(0.2, 3.0)),
           lambda a, axis, keepdims: ag.norm(a, axis=axis, keepdims=keepdims),
           lambda a, axis, keepdims: np.sqrt(np.sum(a * a, axis=axis, keepdims=keepdims))),
    OpSpec("norm_l1", reduction(nonempty=True, elements=floats(0.2, 3.0)),
           lambda a, axis, keepdims: ag.norm(a, ord=1, axis=axis, keepdims=keepdims),
           lambda a, axis, keepdims: np.sum(np.abs(a), axis=axis, keepdims=keepdims)),
    OpSpec("norm_p3", reduction(nonempty=True, elements=floats(0.2, 3.0)),
           lambda a, axis, keepdims: ag.norm(a, ord=3, axis=axis, keepdims=keepdims),
           lambda a, axis, keepdims: np.sum(np.abs(a) ** 3, axis=axis,
                                            keepdims=keepdims) ** (1 / 3)),
    # shape
    OpSpec("reshape", reshape_case(), lambda a, shape: ag.reshape(a, shape),
           lambda a, shape: np.reshape(a, shape)),
    OpSpec("transpose", transpose_case(), lambda a, axes: ag.transpose(a, axes),
           lambda a, axes: np.transpose(a, axes)),
    OpSpec("T", unary(), lambda a: a.T, lambda a: a.T),
    OpSpec("swapaxes", with_axis(min_dims=1), lambda a, axis: ag.swapaxes(a, 0, axis),
           lambda a, axis: np.swapaxes(a, 0, axis)),
    OpSpec("flatten", unary(), ag.flatten, lambda a: np.reshape(a, -1)),
    OpSpec("squeeze", unary(shape=shapes(max_side=2)), ag.squeeze, np.squeeze),
    OpSpec("expand_dims", expand_dims_case(),
           lambda a, axis: ag.expand_dims(a, axis), lambda a, axis: np.expand_dims(a, axis)),
    OpSpec("broadcast_to", broadcast_to_case(), lambda a, shape: ag.broadcast_to(a, shape),
           lambda a, shape: np.broadcast_to(a, shape)),
    OpSpec("concatenate", concatenate_case(), lambda *xs, axis: ag.concatenate(xs, axis),
           lambda *xs, axis: np.concatenate(xs, axis)),
    OpSpec("stack", stack_case(), lambda *xs, axis: ag.stack(xs, axis),
           lambda *xs, axis: np.stack(xs, axis)),
    OpSpec("split", split_case(), lambda a, points, axis: _split(a, points, axis), _split_ref),
    OpSpec("pad", pad_case(), lambda a, pad_width, constant_values: ag.pad(a, pad_width,
                                                                           constant_values),
           lambda a, pad_width, constant_values: np.pad(a, pad_width,
                                                        constant_values=constant_values)
           if a.ndim else a.copy()),
    OpSpec("repeat", repeat_case(), lambda a, repeats, axis: ag.repeat(a, repeats, axis),
           lambda a, repeats, axis: np.repeat(a, repeats, axis)),
    OpSpec("tile", tile_case(), lambda a, reps: ag.tile(a, reps), lambda a, reps: np.tile(a, reps)),
    OpSpec("getitem", getitem_case(), lambda a, index: a[index], lambda a, index: a[index]),
    # linear algebra, softmax
    OpSpec("matmul", matmul_case(), lambda a, b: a @ b, np.matmul),
    OpSpec("linear", linear_case(), ag.linear, linear_ref),
    OpSpec("softmax_cross_entropy", softmax_cross_entropy_case(), ag.softmax_cross_entropy,
           softmax_cross_entropy_ref),
    OpSpec("softmax", with_axis(), lambda a, axis: ag.softmax(a, axis), softmax_ref),
    OpSpec("log_softmax", with_axis(), lambda a, axis: ag.log_softmax(a, axis),
           lambda a, axis: np.log(softmax_ref(a, axis))),
]

SPEC_IDS = [s.name for s in SPECS]

# NumPy-wide maths (issue 13): one module of rows per category, built on the helpers above
from op_specs_elementwise import ELEMENTWISE_SPECS  # noqa: E402
from op_specs_reductions import REDUCTION_SPECS  # noqa: E402
from op_specs_sorting import SORTING_SPECS  # noqa: E402
from op_specs_rearranging import REARRANGING_SPECS  # noqa: E402
from op_specs_products import PRODUCT_SPECS  # noqa: E402
from op_specs_linalg import LINALG_SPECS  # noqa: E402

NUMPY_SPECS = (ELEMENTWISE_SPECS + REDUCTION_SPECS + SORTING_SPECS + REARRANGING_SPECS
               + PRODUCT_SPECS + LINALG_SPECS)
SPECS += NUMPY_SPECS
SPEC_IDS = [s.name for s in SPECS]
