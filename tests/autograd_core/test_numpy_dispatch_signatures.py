"""NumPy signatures and result structures that the dispatch rows keep: namedtuple results
of ``numpy.linalg``, ``einsum``'s interleaved form, ``cross``'s per-operand axes,
``astype``'s copy, ``svd``'s ``full_matrices`` default."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import arrays

RNG = np.random.default_rng(0)


def _t(a):
    return ag.tensor(a, dtype="float64", requires_grad=True)


def _symmetric(n):
    b = RNG.standard_normal((n, n))
    return b + b.T + 2 * n * np.eye(n)


@pytest.mark.parametrize("name, a, kwargs", [
    ("slogdet", RNG.standard_normal((2, 3, 3)), {}),
    ("eigh", _symmetric(3), {}),
    ("svd", RNG.standard_normal((2, 3, 3)), {}),
    ("svd", RNG.standard_normal((4, 2)), dict(full_matrices=False)),
    ("qr", RNG.standard_normal((4, 3)), {}),
])
def test_linalg_results_keep_numpys_namedtuple_structure(name, a, kwargs):
    want = getattr(np.linalg, name)(a, **kwargs)
    got = getattr(np.linalg, name)(_t(a), **kwargs)
    assert type(got).__name__ == type(want).__name__
    assert got._fields == want._fields
    for field in want._fields:
        value = getattr(got, field)
        assert isinstance(value, ag.Tensor), (field, type(value))
        np.testing.assert_allclose(value.numpy(), getattr(want, field), rtol=1e-12, atol=1e-12)
    first, *rest = got  # unpacks as a tuple, like NumPy's
    assert first is got[0] and len(rest) == len(want) - 1


def test_linalg_single_array_modes():
    a = RNG.standard_normal((4, 3))
    s = np.linalg.svd(_t(a), compute_uv=False)
    assert isinstance(s, ag.Tensor)
    np.testing.assert_allclose(s.numpy(), np.linalg.svd(a, compute_uv=False), rtol=1e-12)
    r = np.linalg.qr(_t(a), mode="r")
    assert isinstance(r, ag.Tensor)
    np.testing.assert_allclose(r.numpy(), np.linalg.qr(a, mode="r"), rtol=1e-12)


def test_svd_keeps_numpys_full_matrices_default():
    square = RNG.standard_normal((3, 3))
    np.testing.assert_allclose(np.linalg.svd(_t(square)).S.numpy(), np.linalg.svd(square).S)
    with pytest.raises(ValueError, match="full_matrices=True .* use full_matrices=False"):
        np.linalg.svd(_t(RNG.standard_normal((3, 4))))  # NumPy's default; ours cannot


def test_arguments_the_op_lacks_are_refused_naming_them():
    with pytest.raises(TypeError, match=r"numpy\.linalg\.eigh\(\.\.\., UPLO=\.\.\.\)"):
        np.linalg.eigh(_t(_symmetric(2)), UPLO="U")
    with pytest.raises(TypeError, match=r"numpy\.linalg\.svd\(\.\.\., hermitian=\.\.\.\)"):
        np.linalg.svd(_t(_symmetric(2)), hermitian=True)
    with pytest.raises(TypeError, match=r"numpy\.einsum\(\.\.\., dtype=\.\.\.\)"):
        np.einsum("ij->i", _t(np.ones((2, 2))), dtype=np.float32)


def test_singular_solve_raises_numpys_linalg_error():
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.solve(_t(np.ones((2, 2))), np.ones(2))


@st.composite
def interleaved(draw):
    """Operands with NumPy's interleaved subscripts (ints, Ellipsis), with or without an
    output sublist, and the equivalent subscripts string."""
    sizes = [draw(st.integers(1, 3)) for _ in range(4)]
    labels = draw(st.sampled_from([26, 0, 30]))  # lower case, upper case, mixed letters
    sub_a = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    sub_b = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    a = draw(arrays(tuple(sizes[i] for i in sub_a)))
    b = draw(arrays(tuple(sizes[i] for i in sub_b)))
    used = sorted(set(sub_a + sub_b))
    output = draw(st.one_of(st.none(), st.permutations(used).map(list)))
    shift = [(i + labels) % 52 for i in range(4)]
    args = [a, [shift[i] for i in sub_a], b, [shift[i] for i in sub_b]]
    if output is not None:
        args.append([shift[i] for i in output])
    return args


@given(interleaved())
def test_einsum_interleaved_form_matches_numpy_and_gradcheck(args):
    a, sub_a, b, sub_b, *output = args
    want = np.einsum(*args)
    got = np.einsum(_t(a), sub_a, _t(b), sub_b, *output)
    assert isinstance(got, ag.Tensor)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(ag.einsum(_t(a), sub_a, _t(b), sub_b, *output).numpy(),
                                  got.numpy())
    assert ag.gradcheck(lambda x, y: np.einsum(x, sub_a, y, sub_b, *output), (a, b))


def test_einsum_interleaved_ellipsis_and_bad_subscripts():
    a = RNG.standard_normal((2, 3, 4))
    np.testing.assert_allclose(np.einsum(_t(a), [Ellipsis, 0], [0, Ellipsis]).numpy(),
                               np.einsum(a, [Ellipsis, 0], [0, Ellipsis]), rtol=1e-12)
    with pytest.raises(ValueError, match=r"einsum: subscript 52"):
        np.einsum(_t(a), [0, 1, 52])
    with pytest.raises(TypeError, match=r"einsum: subscript 'i'"):
        np.einsum(_t(a), ["i", 1, 2])


@st.composite
def cross_axes(draw):
    batch = draw(st.integers(1, 3))
    axisa, axisb, axisc = (draw(st.integers(-2, 1)) for _ in range(3))
    a = draw(arrays((3, batch) if axisa % 2 == 0 else (batch, 3)))
    b = draw(arrays((3, batch) if axisb % 2 == 0 else (batch, 3)))
    return a, b, dict(axisa=axisa, axisb=axisb, axisc=axisc)


@given(cross_axes())
def test_cross_with_per_operand_axes_matches_numpy_and_gradcheck(case):
    a, b, axes = case
    want = np.cross(a, b, **axes)
    got = np.cross(_t(a), _t(b), **axes)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)
    assert ag.gradcheck(lambda x, y: np.cross(x, y, **axes), (a, b))
    assert ag.gradgradcheck(lambda x, y: np.cross(x, y, **axes), (a, b))


def test_cross_axis_sets_all_three():
    a, b = RNG.standard_normal((3, 2)), RNG.standard_normal((3, 2))
    np.testing.assert_array_equal(np.cross(_t(a), _t(b), axisa=1, axis=0).numpy(),
                                  np.cross(a, b, axisa=1, axis=0))


def test_astype_copies_as_numpy_does():
    t = _t([1.0, 2.0])
    same = np.astype(t, np.float64)
    assert same is not t and isinstance(same, ag.Tensor)
    np.testing.assert_array_equal(same.numpy(), t.numpy())
    assert not np.shares_memory(same.data, t.data)
    assert np.astype(t, np.float64, copy=False) is t
    half = np.astype(t, np.float32)
    assert half.dtype == np.float32
    half.sum().backward()
    np.testing.assert_array_equal(t.grad.numpy(), [1.0, 1.0])
