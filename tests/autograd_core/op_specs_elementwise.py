"""Op-table rows for the NumPy-wide elementwise maths (trigonometric, hyperbolic,
exponents and logarithms, rounding, remainders).  Domains keep finite differences
off poles, domain edges and the jumps of the piecewise-constant ops."""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

import autograd_core as ag
from op_specs import POSITIVE, OpSpec, away_from_zero, binary, floats, unary


def off_jumps(decimals=0):
    """Values at least 0.1 (in units of ``10**-decimals``) away from integers and halves."""
    scale = 10.0 ** -decimals
    return st.tuples(st.integers(-3, 2), st.floats(0.1, 0.4), st.booleans()).map(
        lambda t: (t[0] + (t[1] if t[2] else 1 - t[1])) * scale)


@st.composite
def off_origin(draw, branch_cut=False):
    (a, b), _ = draw(binary())
    assume(np.all(a * a + b * b > 0.1))
    if branch_cut:  # arctan2 jumps from pi to -pi across y = 0 for x < 0
        assume(not np.any((np.abs(a) < 0.05) & (b < 0)))
    return (a, b), {}


@st.composite
def remainder_case(draw):
    (a, b), _ = draw(binary(elements_b=away_from_zero(0.5)))
    q = a / b
    assume(np.all(np.abs(q - np.round(q)) > 0.05))  # off the jumps at integer quotients
    return (a, b), {}


@st.composite
def round_case(draw):
    decimals = draw(st.sampled_from([0, 1]))
    (a,), _ = draw(unary(off_jumps(decimals)))
    return (a,), dict(decimals=decimals)


UNIT = floats(-0.9, 0.9)

ELEMENTWISE_SPECS = [
    OpSpec("tan", unary(floats(-1.2, 1.2)), ag.tan, np.tan),
    OpSpec("arcsin", unary(UNIT), ag.arcsin, np.arcsin),
    OpSpec("arccos", unary(UNIT), ag.arccos, np.arccos),
    OpSpec("arctan", unary(), ag.arctan, np.arctan),
    OpSpec("sinh", unary(), ag.sinh, np.sinh),
    OpSpec("cosh", unary(), ag.cosh, np.cosh),
    OpSpec("arcsinh", unary(), ag.arcsinh, np.arcsinh),
    OpSpec("arccosh", unary(floats(1.2, 4.0)), ag.arccosh, np.arccosh),
    OpSpec("arctanh", unary(UNIT), ag.arctanh, np.arctanh),
    OpSpec("exp2", unary(), ag.exp2, np.exp2),
    OpSpec("log2", unary(POSITIVE), ag.log2, np.log2),
    OpSpec("log10", unary(POSITIVE), ag.log10, np.log10),
    OpSpec("reciprocal", unary(away_from_zero(0.5)), ag.reciprocal, np.reciprocal),
    OpSpec("cbrt", unary(away_from_zero(0.3)), ag.cbrt, np.cbrt),
    OpSpec("floor", unary(off_jumps()), ag.floor, np.floor),
    OpSpec("ceil", unary(off_jumps()), ag.ceil, np.ceil),
    OpSpec("trunc", unary(off_jumps()), ag.trunc, np.trunc),
    OpSpec("rint", unary(off_jumps()), ag.rint, np.rint),
    OpSpec("round", round_case(), lambda a, decimals: a.round(decimals),
           lambda a, decimals: np.round(a, decimals)),
    OpSpec("arctan2", off_origin(branch_cut=True), ag.arctan2, np.arctan2),
    OpSpec("arctan2_scalar_x", unary(away_from_zero(0.05)), lambda a: ag.arctan2(a, -0.7),
           lambda a: np.arctan2(a, -0.7)),
    OpSpec("hypot", off_origin(), ag.hypot, np.hypot),
    OpSpec("logaddexp", binary(), ag.logaddexp, np.logaddexp),
    OpSpec("logaddexp2", binary(), ag.logaddexp2, np.logaddexp2),
    OpSpec("logaddexp_scalar", unary(), lambda a: ag.logaddexp(1.5, a),
           lambda a: np.logaddexp(1.5, a)),
    OpSpec("fmod", remainder_case(), ag.fmod, np.fmod),
    OpSpec("remainder", remainder_case(), ag.remainder, np.remainder),
    OpSpec("mod_scalar", unary(off_jumps()), lambda a: ag.mod(a, 1.0),
           lambda a: np.mod(a, 1.0)),
    OpSpec("copysign", binary(away_from_zero(), away_from_zero()), ag.copysign, np.copysign),
    OpSpec("copysign_scalar", unary(away_from_zero()), lambda a: ag.copysign(a, -2.0),
           lambda a: np.copysign(a, -2.0)),
]
