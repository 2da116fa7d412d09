"""autograd_core.linalg and the products beyond the op table: errors, results equal to
NumPy's, and the documented behaviour at degenerate points."""

import numpy as np
import pytest

import autograd_core as ag

la = ag.linalg
RNG = np.random.default_rng(0)


def test_linalg_error_is_numpys():
    assert issubclass(la.LinAlgError, np.linalg.LinAlgError)
    with pytest.raises(np.linalg.LinAlgError):
        la.inv(ag.tensor(np.zeros((2, 2))))


@pytest.mark.parametrize("op", [la.inv, la.det, la.slogdet, la.cholesky, la.eigh, la.eigvalsh,
                                lambda a: la.matrix_power(a, 2)])
def test_non_square_raises_linalg_error_naming_the_shape(op):
    with pytest.raises(la.LinAlgError, match=r"square, got shape \(2, 3\)"):
        op(ag.tensor(np.zeros((2, 3))))


def test_vector_where_a_matrix_is_needed():
    with pytest.raises(la.LinAlgError, match=r"inv: needs a matrix .* 1-d shape \(3,\)"):
        la.inv(ag.tensor(np.zeros(3)))


def test_singular_solve_and_inv_raise():
    a = ag.tensor(np.ones((2, 2)), requires_grad=True)
    with pytest.raises(la.LinAlgError, match="solve: Singular matrix"):
        la.solve(a, ag.tensor(np.ones(2)))
    with pytest.raises(la.LinAlgError, match="inv: Singular matrix"):
        la.inv(a)
    with pytest.raises(la.LinAlgError, match=r"solve: b of shape \(3,\) does not fit a of shape"):
        la.solve(a, ag.tensor(np.ones(3)))


def test_cholesky_of_indefinite_matrix_raises():
    with pytest.raises(la.LinAlgError, match="cholesky: .*not positive definite"):
        la.cholesky(ag.tensor(np.array([[1.0, 2.0], [2.0, 1.0]])))


def test_decompositions_equal_numpys():
    a = RNG.standard_normal((2, 4, 3))
    sym = a[..., :3, :] + np.swapaxes(a[..., :3, :], -1, -2)
    for got, want in [(la.eigh(ag.tensor(sym)), np.linalg.eigh(sym)),
                      (la.svd(ag.tensor(a)), np.linalg.svd(a, full_matrices=False)),
                      (la.qr(ag.tensor(a)), np.linalg.qr(a))]:
        for g, w in zip(got, want):
            np.testing.assert_allclose(g.numpy(), w, rtol=1e-12, atol=1e-12)
    assert la.eigh(ag.tensor(sym)).eigenvalues.shape == (2, 3)
    assert la.svd(ag.tensor(a)).Vh.shape == (2, 3, 3)
    np.testing.assert_allclose(la.qr(ag.tensor(a), mode="r").numpy(), np.linalg.qr(a, mode="r"),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(la.svd(ag.tensor(a), compute_uv=False).numpy(),
                               np.linalg.svd(a, compute_uv=False), rtol=1e-12)


def test_slogdet_sign_and_matrix_rank():
    a = np.array([[[0.0, 1.0], [1.0, 0.0]], [[2.0, 0.0], [0.0, 3.0]]])
    sign, logabsdet = la.slogdet(ag.tensor(a, requires_grad=True))
    assert sign.tolist() == [-1.0, 1.0] and not sign.requires_grad
    np.testing.assert_allclose(logabsdet.numpy(), [0.0, np.log(6.0)], rtol=1e-12)
    rank = la.matrix_rank(ag.tensor(np.array([[1.0, 2.0], [2.0, 4.0]])))
    assert rank.item() == 1 and rank.dtype == np.int64 and not rank.requires_grad


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the infinities are the point
def test_eigenvector_gradient_at_repeated_eigenvalues_is_not_finite():
    a = ag.tensor(np.eye(3), dtype="float64", requires_grad=True)
    w, v = la.eigh(a)
    (v * ag.tensor(RNG.standard_normal((3, 3)))).sum().backward()
    assert not np.all(np.isfinite(a.grad.numpy()))


def test_eigenvalue_gradient_at_repeated_eigenvalues_is_finite():
    a = ag.tensor(np.eye(3), dtype="float64", requires_grad=True)
    la.eigvalsh(a).sum().backward()  # d trace / dA = I
    np.testing.assert_allclose(a.grad.numpy(), np.eye(3), atol=1e-12)
    b = ag.tensor(np.eye(3), dtype="float64", requires_grad=True)
    la.eigh(b).eigenvalues.sum().backward()  # eigh with only the values used: the same
    np.testing.assert_allclose(b.grad.numpy(), np.eye(3), atol=1e-12)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_singular_vector_gradient_at_repeated_singular_values_is_not_finite():
    a = ag.tensor(np.eye(2), dtype="float64", requires_grad=True)
    u, s, vh = la.svd(a)
    (u * ag.tensor(RNG.standard_normal((2, 2)))).sum().backward()
    assert not np.all(np.isfinite(a.grad.numpy()))
    b = ag.tensor(np.eye(2), dtype="float64", requires_grad=True)
    la.svdvals(b).sum().backward()
    np.testing.assert_allclose(b.grad.numpy(), np.eye(2), atol=1e-12)


def test_det_gradient_of_singular_matrix_raises():
    a = ag.tensor(np.ones((2, 2)), dtype="float64", requires_grad=True)
    d = la.det(a)
    assert d.item() == 0.0
    with pytest.raises(la.LinAlgError, match="inv"):
        d.backward()


def test_unsupported_modes_are_refused():
    a = ag.tensor(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="full_matrices=True for a 3 x 2 matrix"):
        la.svd(a, full_matrices=True)
    with pytest.raises(ValueError, match="qr: mode='complete'"):
        la.qr(a, mode="complete")
    with pytest.raises(ValueError, match="matrix_norm: invalid ord 3"):
        la.matrix_norm(a, ord=3)


def test_norm_family_matches_numpy():
    x = RNG.standard_normal((2, 3, 4))
    t = ag.tensor(x)
    for got, want in [
        (la.vector_norm(t, axis=(0, 2), ord=3), np.linalg.vector_norm(x, axis=(0, 2), ord=3)),
        (la.vector_norm(t, ord=0), np.linalg.vector_norm(x, ord=0)),
        (la.matrix_norm(t, ord="nuc", keepdims=True),
         np.linalg.matrix_norm(x, ord="nuc", keepdims=True)),
        (la.norm(t), np.linalg.norm(x)),
        (la.norm(t, axis=1, keepdims=True), np.linalg.norm(x, axis=1, keepdims=True)),
        (la.trace(t, offset=1), np.linalg.trace(x, offset=1)),
        (la.outer(t[0, 0], t[1, 1]), np.linalg.outer(x[0, 0], x[1, 1])),
    ]:
        assert got.shape == np.shape(want)
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    with pytest.raises(ag.ShapeError, match="norm: ord=2 with axis=None needs a 1-d or 2-d"):
        la.norm(t, ord=2)


def test_einsum_errors_name_the_subscripts():
    a = ag.tensor(np.zeros((2, 3)))
    with pytest.raises(ag.ShapeError, match=r"einsum: operand subscripts 'i' do not fit .*\(2, 3\)"):
        ag.einsum("i->i", a)
    with pytest.raises(ag.ShapeError, match="name 2 operands, but 1 were given"):
        ag.einsum("ij,jk->ik", a)
    with pytest.raises(ag.ShapeError, match="einsum"):
        ag.einsum("ij,jk->ik", a, a)  # 3 vs 2
    with pytest.raises(TypeError, match="interleaved"):
        ag.einsum(a, ["i", "j"])
    with pytest.raises(TypeError, match="subscripts as a string .* or in the interleaved"):
        ag.einsum(a)


def test_einsum_third_derivative_of_a_cubic():
    x = ag.tensor([1.5, -2.0], dtype="float64", requires_grad=True)
    y = ag.einsum("i,i,i->", x, x, x)  # sum x_i^3
    (g,) = ag.grad_of(y, [x], create_graph=True)
    (h,) = ag.grad_of(g.sum(), [x], create_graph=True)
    (t,) = ag.grad_of(h.sum(), [x])
    np.testing.assert_allclose(g.numpy(), 3 * x.numpy() ** 2)
    np.testing.assert_allclose(h.numpy(), 6 * x.numpy())
    np.testing.assert_allclose(t.numpy(), [6.0, 6.0])


def test_product_errors():
    a = ag.tensor(np.zeros((2, 3)))
    with pytest.raises(ag.ShapeError, match=r"tensordot: axis 1 of a \(shape \(2, 3\)\) has length 3"):
        ag.tensordot(a, a, ([1], [1 - 1]))
    with pytest.raises(ag.ShapeError, match="vdot: operands have 6 and 2 elements"):
        ag.vdot(a, ag.tensor(np.zeros(2)))
    with pytest.raises(ag.ShapeError, match=r"cross: axis -1 of a \(shape \(3, 2\)\) has length 2"):
        ag.cross(ag.tensor(np.zeros((3, 2))), a)
    with pytest.raises(ag.ShapeError, match="out of bounds"):
        ag.tensordot(a, a, ([2], [0]))
