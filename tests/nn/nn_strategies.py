"""Hypothesis strategies shared by the nn tests."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def float_arrays(min_dims=0, max_dims=3, max_side=4, lo=-3.0, hi=3.0, avoid=(), min_side=0,
                 margin=1e-2):
    """float64 arrays of small random shape, elements in [lo, hi] at least ``margin``
    away from each point in ``avoid`` (the kinks of the function under test)."""
    elements = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if avoid:
        elements = elements.filter(lambda v: all(abs(v - a) > margin for a in avoid))
    shapes = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                              max_side=max_side)
    return hnp.arrays(np.float64, shapes, elements=elements)
