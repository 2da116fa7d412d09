"""NumPy functions on Tensors: every row of the dispatch table, through ``np.`` and ``ag.``.

Each row of ``autograd_core.numpy_dispatch.DISPATCH`` has a case: from the op table
(``op_specs.SPECS``) when a spec's NumPy reference is the row's NumPy function itself, else
from ``CASES`` below (a test fails when a row has neither).  A case draws NumPy inputs, calls the NumPy function on
Tensors and the ``ag.`` op on the same Tensors, and requires: a Tensor result, the same
value as NumPy on the arrays, and bit-identical gradients through both routes.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from op_specs import (POSITIVE, SPECS, away_from_zero, binary, broadcast_to_case, clip_case,
                      concatenate_case, expand_dims_case, floats, matmul_case, pad_case,
                      reduction, repeat_case, reshape_case, split_case, stack_case, tile_case,
                      transpose_case, unary, where_case, with_axis)

import autograd_core as ag
from autograd_core import numpy_dispatch
from autograd_core.numpy_dispatch import DATA_ONLY, DISPATCH

from op_specs_linalg import separated_rectangular, square
from op_specs_products import cross_case, tensordot_case
from autograd_core.testing import arrays, shapes

try:  # the rounding rows' strategy lives with the NumPy-wide op specs
    from op_specs_elementwise import round_case
except ImportError:  # pragma: no cover
    round_case = None


@dataclass
class Case:
    inputs: st.SearchStrategy  # draws (tuple_of_arrays, kwargs)
    via_numpy: Callable  # (*tensors_or_arrays, **kwargs) -> result, calling the NumPy function
    via_ag: Callable  # (*tensors, **kwargs) -> Tensor, calling the autograd_core op
    differentiable: bool = True


def _call(func):
    return lambda *xs, **kw: func(*xs, **kw)


def ufunc(name, inputs, ag_name=None, differentiable=True):
    return Case(inputs, _call(getattr(np, name)), _call(getattr(ag, ag_name or name)),
                differentiable)


def reduce(name, inputs=None, differentiable=True, ag_name=None):
    op = getattr(ag, ag_name or name)
    return Case(reduction(nonempty=True) if inputs is None else inputs, _call(getattr(np, name)),
                lambda a, axis, keepdims: op(a, axis=axis, keepdims=keepdims), differentiable)


@st.composite
def int_axis_reduction(draw):
    (a,), kwargs = draw(reduction(nonempty=True, distinct=True))
    axis = kwargs["axis"]
    if not (axis is None or isinstance(axis, int)):
        axis = None
    return (a,), dict(axis=axis, keepdims=kwargs["keepdims"])


@st.composite
def boolean_pair(draw):
    sa, sb = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_side=3)
                  .map(lambda r: r.input_shapes))
    return (draw(hnp.arrays(np.bool_, sa)), draw(hnp.arrays(np.bool_, sb))), {}


@st.composite
def var_case(draw):
    (a,), kwargs = draw(reduction(nonempty=True, distinct=True, min_group=2))
    return (a,), dict(kwargs, ddof=draw(st.sampled_from([0, 1])))


def _dot_case():
    return matmul_case().filter(lambda c: c[0][0].ndim <= 2 and c[0][1].ndim <= 2)


def _split_np(a, points, axis):
    return np.concatenate([p * (i + 1.0) for i, p in enumerate(np.split(a, points, axis))],
                          axis=axis)


def _split_ag(a, points, axis):
    return ag.concatenate([p * (i + 1.0) for i, p in enumerate(ag.split(a, points, axis))],
                          axis=axis)


NONZERO = away_from_zero()
CASES = {
    np.add: ufunc("add", binary()),
    np.subtract: ufunc("subtract", binary()),
    np.multiply: ufunc("multiply", binary()),
    np.divide: ufunc("divide", binary(elements_b=away_from_zero(0.5))),
    np.power: ufunc("power", binary(elements_a=floats(0.3, 3.0), elements_b=floats(-2.0, 2.0))),
    np.negative: ufunc("negative", unary()),
    np.maximum: ufunc("maximum", binary(distinct=True)),
    np.minimum: ufunc("minimum", binary(distinct=True)),
    np.absolute: ufunc("absolute", unary(NONZERO), ag_name="abs"),
    np.sign: ufunc("sign", unary(NONZERO)),
    np.exp: ufunc("exp", unary()),
    np.log: ufunc("log", unary(POSITIVE)),
    np.log1p: ufunc("log1p", unary(floats(-0.7, 3.0))),
    np.expm1: ufunc("expm1", unary()),
    np.sqrt: ufunc("sqrt", unary(POSITIVE)),
    np.square: ufunc("square", unary()),
    np.sin: ufunc("sin", unary()),
    np.cos: ufunc("cos", unary()),
    np.tanh: ufunc("tanh", unary()),
    np.matmul: ufunc("matmul", matmul_case()),
    np.less: ufunc("less", binary(), differentiable=False),
    np.less_equal: ufunc("less_equal", binary(), differentiable=False),
    np.greater: ufunc("greater", binary(), differentiable=False),
    np.greater_equal: ufunc("greater_equal", binary(), differentiable=False),
    np.equal: ufunc("equal", binary(), differentiable=False),
    np.not_equal: ufunc("not_equal", binary(), differentiable=False),
    np.logical_and: ufunc("logical_and", boolean_pair(), differentiable=False),
    np.logical_or: ufunc("logical_or", boolean_pair(), differentiable=False),
    np.logical_xor: ufunc("logical_xor", binary(), differentiable=False),  # floats, as NumPy
    np.bitwise_and: ufunc("bitwise_and", boolean_pair(), differentiable=False),
    np.bitwise_or: ufunc("bitwise_or", boolean_pair(), differentiable=False),
    np.bitwise_xor: ufunc("bitwise_xor", boolean_pair(), differentiable=False),
    np.invert: ufunc("invert", unary().map(lambda c: ((c[0][0] > 0,), {})),
                     differentiable=False),
    np.logical_not: ufunc("logical_not", unary().map(lambda c: ((c[0][0] > 0,), {})),
                          differentiable=False),
    np.isfinite: ufunc("isfinite", unary(), differentiable=False),
    np.isnan: ufunc("isnan", unary(), differentiable=False),
    np.sum: reduce("sum", reduction()),
    np.mean: reduce("mean"),
    np.var: Case(var_case(), _call(np.var), _call(ag.var)),
    np.std: Case(var_case(), _call(np.std), _call(ag.std)),
    np.max: reduce("max", reduction(nonempty=True, distinct=True)),
    np.min: reduce("min", reduction(nonempty=True, distinct=True)),
    np.prod: reduce("prod", reduction(floats(-1.5, 1.5))),
    np.argmax: reduce("argmax", int_axis_reduction(), differentiable=False),
    np.argmin: reduce("argmin", int_axis_reduction(), differentiable=False),
    np.any: reduce("any", differentiable=False),
    np.all: reduce("all", differentiable=False),
    np.reshape: Case(reshape_case(), lambda a, shape: np.reshape(a, shape),
                     lambda a, shape: ag.reshape(a, shape)),
    np.transpose: Case(transpose_case(), lambda a, axes: np.transpose(a, axes),
                       lambda a, axes: ag.transpose(a, axes)),
    np.swapaxes: Case(with_axis(), lambda a, axis: np.swapaxes(a, 0, axis),
                      lambda a, axis: ag.swapaxes(a, 0, axis)),
    np.squeeze: Case(unary(), _call(np.squeeze), _call(ag.squeeze)),
    np.expand_dims: Case(expand_dims_case(), lambda a, axis: np.expand_dims(a, axis),
                         lambda a, axis: ag.expand_dims(a, axis)),
    np.broadcast_to: Case(broadcast_to_case(), lambda a, shape: np.broadcast_to(a, shape),
                          lambda a, shape: ag.broadcast_to(a, shape)),
    np.concatenate: Case(concatenate_case(), lambda *xs, axis: np.concatenate(list(xs), axis=axis),
                         lambda *xs, axis: ag.concatenate(list(xs), axis)),
    np.stack: Case(stack_case(), lambda *xs, axis: np.stack(xs, axis=axis),
                   lambda *xs, axis: ag.stack(xs, axis)),
    np.split: Case(split_case(), _split_np, _split_ag),
    np.pad: Case(pad_case().filter(lambda c: c[0][0].ndim > 0),
                 lambda a, pad_width, constant_values: np.pad(a, pad_width,
                                                              constant_values=constant_values),
                 lambda a, pad_width, constant_values: ag.pad(a, pad_width, constant_values)),
    np.repeat: Case(repeat_case(), lambda a, repeats, axis: np.repeat(a, repeats, axis=axis),
                    lambda a, repeats, axis: ag.repeat(a, repeats, axis)),
    np.tile: Case(tile_case(), lambda a, reps: np.tile(a, reps),
                  lambda a, reps: ag.tile(a, reps)),
    np.where: Case(where_case(), lambda a, b, condition: np.where(condition, a, b),
                   lambda a, b, condition: ag.where(condition, a, b)),
    np.clip: Case(clip_case(), lambda a, lo, hi: np.clip(a, lo, hi),
                  lambda a, lo, hi: ag.clip(a, lo, hi)),
    np.dot: Case(_dot_case(), _call(np.dot), _call(ag.dot)),
    np.argsort: Case(with_axis(), lambda a, axis: np.argsort(a, axis=axis),
                     lambda a, axis: ag.argsort(a, axis), differentiable=False),
}
if np.amax is not np.max:
    CASES[np.amax] = reduce("amax", reduction(nonempty=True, distinct=True), ag_name="max")
    CASES[np.amin] = reduce("amin", reduction(nonempty=True, distinct=True), ag_name="min")

if round_case is not None:
    CASES[np.round] = Case(round_case(), lambda a, decimals: np.round(a, decimals),
                           lambda a, decimals: ag.round(a, decimals))
    CASES[np.around] = Case(round_case(), lambda a, decimals: np.around(a, decimals),
                            lambda a, decimals: ag.round(a, decimals))


@st.composite
def astype_case(draw):
    (a,), _ = draw(unary())
    return (a,), dict(dtype=draw(st.sampled_from([np.float64, np.float32, "float32"])))


@st.composite
def matrix_norm_case(draw):
    (a,), _ = draw(separated_rectangular(min_k=1))
    return (a,), dict(ord=draw(st.sampled_from(["fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf])),
                      keepdims=draw(st.booleans()))


@st.composite
def vector_norm_case(draw):
    (a,), kwargs = draw(reduction(nonempty=True))
    axis = kwargs["axis"]
    if axis == ():
        axis = None
    return (a,), dict(axis=axis, keepdims=kwargs["keepdims"],
                      ord=draw(st.sampled_from([2, 1, 3, np.inf, -np.inf])))


@st.composite
def vectors(draw):
    return (draw(arrays(shapes(min_dims=1, max_dims=1))),
            draw(arrays(shapes(min_dims=1, max_dims=1)))), {}


@st.composite
def diagonal_case(draw):
    a = draw(arrays(shapes(min_dims=2, max_dims=4)))
    return (a,), dict(offset=draw(st.integers(-a.shape[-2], a.shape[-1])))


la = ag.linalg
CASES.update({
    np.astype: Case(astype_case(), lambda a, dtype: np.astype(a, dtype),
                    lambda a, dtype: ag.astype(a, dtype)),
    np.linalg.matrix_norm: Case(matrix_norm_case(),
                                lambda a, **kw: np.linalg.matrix_norm(a, **kw),
                                lambda a, ord, keepdims: la.matrix_norm(a, keepdims, ord)),
    np.linalg.vector_norm: Case(vector_norm_case(),
                                lambda a, **kw: np.linalg.vector_norm(a, **kw),
                                lambda a, axis, keepdims, ord: la.vector_norm(a, axis, keepdims,
                                                                              ord)),
    np.linalg.matrix_rank: Case(separated_rectangular(), _call(np.linalg.matrix_rank),
                                _call(la.matrix_rank), differentiable=False),
    np.linalg.outer: Case(vectors(), _call(np.linalg.outer), _call(la.outer)),
    np.linalg.matmul: Case(matmul_case(), _call(np.linalg.matmul), _call(ag.matmul)),
    np.linalg.tensordot: Case(tensordot_case(),
                              lambda a, b, axes: np.linalg.tensordot(a, b, axes=axes),
                              lambda a, b, axes: ag.tensordot(a, b, axes)),
    np.linalg.cross: Case(cross_case(), lambda a, b, axis: np.linalg.cross(a, b, axis=axis),
                          lambda a, b, axis: ag.cross(a, b, axis)),
    np.linalg.diagonal: Case(diagonal_case(),
                             lambda a, offset: np.linalg.diagonal(a, offset=offset),
                             lambda a, offset: ag.diagonal(a, offset, -2, -1)),
})

# rows tested through the op table: a spec whose NumPy reference is the row's function,
# or a spec named after it (its reference is NumPy code calling that function); the
# test checks that the NumPy route really went through the row
def _public_name(func):  # "exp", "linalg.solve": the op-table's names
    return numpy_dispatch._name(func).removeprefix("numpy.")


_BY_NAME = {_public_name(f): f for f in DISPATCH}
for _spec in SPECS:
    _func = _spec.reference if _spec.reference in DISPATCH else _BY_NAME.get(_spec.name)
    if _func is not None and _func not in CASES:
        CASES[_func] = Case(_spec.inputs, _spec.reference, _spec.fn)

ROWS = sorted(DISPATCH, key=_public_name)
ROW_IDS = [_public_name(f) for f in ROWS]


def test_every_dispatch_row_has_a_case():
    assert sorted(_public_name(f) for f in DISPATCH if f not in CASES) == []
    assert sorted(_public_name(f) for f in CASES if f not in DISPATCH) == []


def _tensor(a):
    if a.dtype.kind == "f":
        return ag.tensor(a, dtype="float64", requires_grad=True)
    return ag.tensor(a)


def _gradients(out, xs, seed):
    cotangent = np.random.default_rng(seed).standard_normal(out.shape)
    wrt = [x for x in xs if x.requires_grad]
    return [g.numpy() for g in ag.grad_of(out, wrt, grad_outputs=[ag.tensor(cotangent)])]


@pytest.mark.parametrize("func", ROWS, ids=ROW_IDS)
def test_numpy_function_on_tensors_matches_numpy_and_the_op(func):
    case = CASES.get(func)
    if case is None:
        pytest.fail(f"no test case for the dispatch row {func.__name__}: add one to CASES")

    used = set()

    class Recording(dict):
        def get(self, key, default=None):
            used.add(key)
            return dict.get(self, key, default)

    @given(case.inputs)
    def check(drawn):
        arrays, kwargs = drawn
        want = case.via_numpy(*arrays, **kwargs)  # plain NumPy: the oracle for the value
        xs = [_tensor(a) for a in arrays]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(numpy_dispatch, "DISPATCH", Recording(DISPATCH))
            via_numpy = case.via_numpy(*xs, **kwargs)
        via_ag = case.via_ag(*xs, **kwargs)
        assert isinstance(via_numpy, ag.Tensor), type(via_numpy)
        assert via_numpy.shape == np.shape(want)
        np.testing.assert_allclose(via_numpy.numpy(), want, rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(via_numpy.numpy(), via_ag.numpy())
        if not case.differentiable or not any(x.requires_grad for x in xs):
            return
        assert via_numpy.requires_grad
        for g_np, g_ag in zip(_gradients(via_numpy, xs, 1), _gradients(via_ag, xs, 1)):
            np.testing.assert_array_equal(g_np, g_ag)

    check()
    assert func in used, f"the NumPy route of the case for {func.__name__} did not use its row"


# the NumPy route against finite differences (first and second order); the rows above
# are bit-identical to the ops, these check the route's meaning independently
GRADCHECKED = [np.exp, np.sum, np.concatenate, np.matmul,
               np.einsum, np.dot, np.inner, np.outer, np.vdot, np.tensordot, np.kron, np.cross,
               np.linalg.solve, np.linalg.inv, np.linalg.det, np.linalg.slogdet,
               np.linalg.cholesky, np.linalg.eigh, np.linalg.eigvalsh, np.linalg.svd,
               np.linalg.svdvals, np.linalg.qr, np.linalg.pinv, np.linalg.norm,
               np.linalg.matrix_power, np.linalg.multi_dot, np.linalg.trace, np.linalg.outer,
               np.linalg.tensordot, np.linalg.cross, np.linalg.diagonal]


@pytest.mark.parametrize("func", GRADCHECKED, ids=_public_name)
def test_numpy_route_passes_gradcheck(func):
    case = CASES[func]

    @given(case.inputs)
    def check(drawn):
        arrays, kwargs = drawn
        assert ag.gradcheck(lambda *xs: case.via_numpy(*xs, **kwargs), tuple(arrays))
        assert ag.gradgradcheck(lambda *xs: case.via_numpy(*xs, **kwargs), tuple(arrays))

    check()


def test_ndarray_operand_on_either_side():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = ag.tensor([[0.5, -1.0], [2.0, 0.0]], dtype="float64", requires_grad=True)
    for expr in (lambda x: a * x, lambda x: x * a, lambda x: np.add(a, x), lambda x: a - x,
                 lambda x: a / (x + 3.0), lambda x: a @ x, lambda x: a ** x,
                 lambda x: np.float64(2.0) * x):
        out = expr(t)
        assert isinstance(out, ag.Tensor) and out.requires_grad
        np.testing.assert_array_equal(out.numpy(), expr(t.numpy()))
    (a * t).sum().backward()
    np.testing.assert_array_equal(t.grad.numpy(), a)


def test_plain_numpy_function_runs_unchanged_with_exact_gradient():
    def log_likelihood(x, mu, log_sigma):  # written for arrays, uses only NumPy
        z = (x - mu) / np.exp(log_sigma)
        return np.sum(-0.5 * z ** 2 - log_sigma - 0.5 * np.log(2 * np.pi))

    x = np.array([0.3, -1.2, 2.0])
    mu = ag.tensor(0.5, dtype="float64", requires_grad=True)
    log_sigma = ag.tensor(0.1, dtype="float64", requires_grad=True)
    value = log_likelihood(x, mu, log_sigma)
    assert value.item() == pytest.approx(log_likelihood(x, 0.5, 0.1), rel=1e-14)
    value.backward()
    sigma = np.exp(0.1)
    np.testing.assert_allclose(mu.grad.item(), np.sum(x - 0.5) / sigma ** 2, rtol=1e-13)
    np.testing.assert_allclose(log_sigma.grad.item(),
                               np.sum((x - 0.5) ** 2) / sigma ** 2 - 3, rtol=1e-13)
    assert ag.gradcheck(lambda m, s: log_likelihood(x, m, s), (np.array(0.5), np.array(0.1)))


def test_undispatched_function_is_refused_naming_it():
    t = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"numpy\.histogram .*lose the graph"):
        np.histogram(t)
    with pytest.raises(TypeError, match=r"numpy\.fft\.fft .*lose the graph"):
        np.fft.fft(t)
    with pytest.raises(TypeError, match=r"numpy\.unwrap has no counterpart"):
        np.unwrap(t)
    with pytest.raises(TypeError, match=r"numpy\.left_shift has no counterpart"):
        np.left_shift(ag.tensor([1, 2]), 3)
    with pytest.raises(TypeError, match=r"numpy\.add\.reduce"):
        np.add.reduce(t)
    with pytest.raises(TypeError, match=r"numpy\.sum\(\.\.\., dtype=\.\.\.\)"):
        np.sum(t, dtype=np.float32)


def test_out_argument_is_refused():
    t = ag.tensor([1.0, 2.0], requires_grad=True)
    buffer = np.zeros(2)
    with pytest.raises(TypeError, match=r"numpy\.add\(\.\.\., out=\.\.\.\)"):
        np.add(t, 1.0, out=buffer)
    with pytest.raises(TypeError, match=r"out=.*a = a \+ t"):
        buffer += t
    with pytest.raises(TypeError, match=r"numpy\.sum\(\.\.\., out=\.\.\.\)"):
        np.sum(t, out=np.zeros(()))
    np.testing.assert_array_equal(buffer, 0.0)


def test_asarray_gives_the_data_without_graph():
    t = ag.tensor([1.0, 2.0], requires_grad=True)
    a = np.asarray(t)
    assert type(a) is np.ndarray and np.shares_memory(a, t.data)
    assert not np.shares_memory(np.array(t), t.data)
    assert np.asarray(t, dtype=np.float64).dtype == np.float64


def test_data_only_functions_and_one_argument_where():
    t = ag.tensor([[1.0, -2.0], [0.0, 3.0]], requires_grad=True)
    assert np.shape(t) == (2, 2) and np.ndim(t) == 2 and np.size(t) == 4
    assert np.allclose(t, t.numpy()) and np.count_nonzero(t) == 3
    rows, cols = np.where(t > 0)
    np.testing.assert_array_equal(rows, [0, 1])
    np.testing.assert_array_equal(cols, [0, 1])
    assert all(f.__name__ for f in DATA_ONLY)


@pytest.mark.skipif(not ag.cupy_available(), reason="CuPy with a CUDA device is not available")
def test_asarray_of_a_gpu_tensor_raises_like_cupy():
    t = ag.tensor([1.0, 2.0], device="cuda")
    with pytest.raises(TypeError, match="implicit conversion.*numpy"):
        np.asarray(t)
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])
