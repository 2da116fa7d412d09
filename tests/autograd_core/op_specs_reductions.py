"""Op-table rows for scans and NumPy-wide reductions: ``cumsum cumprod diff average median
nansum nanmean ptp``.  Order statistics draw well-separated values (no ties, which are
kinks); shapes stay small (at most 3 axes of length 3) to keep gradgradcheck quick."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import arrays, shapes
from op_specs import OpSpec, axis_and_keepdims, distinct_values, floats

SMALL = dict(max_dims=3, max_side=3)


@st.composite
def scan_case(draw, elements=None, zeros=False):
    a = draw(arrays(shapes(**SMALL), elements=elements if elements is not None else floats()))
    if zeros:
        a = np.where(np.abs(a) < 0.4, 0.0, a)
    axis = draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1))) if a.ndim else None
    return (a,), dict(axis=axis)


@st.composite
def diff_case(draw):
    a = draw(arrays(shapes(min_dims=1, **SMALL)))
    return (a,), dict(n=draw(st.integers(0, 3)), axis=draw(st.integers(-a.ndim, a.ndim - 1)))


@st.composite
def order_case(draw, nonempty=True):
    shape = draw(shapes(min_side=1 if nonempty else 0, **SMALL))
    a = draw(distinct_values(shape))
    axis, keepdims = draw(axis_and_keepdims(a.ndim))
    return (a,), dict(axis=axis, keepdims=keepdims)


@st.composite
def average_case(draw):
    a = draw(arrays(shapes(min_side=1, **SMALL)))
    axis = draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1))) if a.ndim else None
    if axis is not None and draw(st.booleans()):
        w = draw(arrays((a.shape[axis],), elements=floats(0.5, 2.0)))
    else:
        w = draw(arrays(a.shape, elements=floats(0.5, 2.0)))
    return (a, w), dict(axis=axis, keepdims=draw(st.booleans()))


@st.composite
def nan_case(draw):
    (a,), kwargs = draw(order_case())
    holes = draw(hnp.arrays(np.bool_, a.shape))
    a = np.where(holes, np.nan, a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assume(np.all(np.isfinite(np.nanmean(a, axis=kwargs["axis"]))))  # no all-NaN group
    return (a,), kwargs


def _scan(fn):
    return lambda a, axis: fn(a, axis=axis)


REDUCTION_SPECS = [
    OpSpec("cumsum", scan_case(), _scan(ag.cumsum), _scan(np.cumsum)),
    OpSpec("cumsum_method", scan_case(), lambda a, axis: a.cumsum(axis),
           lambda a, axis: a.cumsum(axis)),
    OpSpec("cumprod", scan_case(floats(-1.5, 1.5)), _scan(ag.cumprod), _scan(np.cumprod)),
    OpSpec("cumprod_with_zeros", scan_case(floats(-1.5, 1.5), zeros=True), _scan(ag.cumprod),
           _scan(np.cumprod)),
    OpSpec("diff", diff_case(), lambda a, n, axis: ag.diff(a, n, axis),
           lambda a, n, axis: np.diff(a, n, axis)),
    OpSpec("average", average_case(),
           lambda a, w, axis, keepdims: ag.average(a, axis, w, keepdims),
           lambda a, w, axis, keepdims: np.average(a, axis, w, keepdims=keepdims)),
    OpSpec("median", order_case(), lambda a, axis, keepdims: ag.median(a, axis, keepdims),
           lambda a, axis, keepdims: np.median(a, axis=axis, keepdims=keepdims)),
    # linear ops: gradgradcheck's harness adds 0 * input to a constant gradient, which is
    # NaN at the NaN inputs; their (zero) second derivative is checked on NaN-free draws
    OpSpec("nansum", nan_case(), lambda a, axis, keepdims: ag.nansum(a, axis, keepdims),
           lambda a, axis, keepdims: np.nansum(a, axis=axis, keepdims=keepdims), gradgrad=False),
    OpSpec("nanmean", nan_case(), lambda a, axis, keepdims: ag.nanmean(a, axis, keepdims),
           lambda a, axis, keepdims: np.nanmean(a, axis=axis, keepdims=keepdims),
           gradgrad=False),
    OpSpec("nanmean_without_nans", order_case(),
           lambda a, axis, keepdims: ag.nanmean(a, axis, keepdims),
           lambda a, axis, keepdims: np.nanmean(a, axis=axis, keepdims=keepdims)),
    OpSpec("ptp", order_case(), lambda a, axis, keepdims: ag.ptp(a, axis, keepdims),
           lambda a, axis, keepdims: np.ptp(a, axis=axis, keepdims=keepdims)),
]
