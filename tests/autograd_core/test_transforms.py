"""Function transforms over pytrees: jvp, vjp, linearize, jacfwd, jacrev, hessian, hvp, has_aux.

Oracles: central finite differences in float64, the inner-product identity
<v, J t> = <J^T v, t> between forward and reverse mode, and closed forms.
"""

import collections

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import arrays, shapes

EPS = 1e-6


def _np(x):
    return x.numpy() if isinstance(x, ag.Tensor) else np.asarray(x)


def fd_jvp(f, xs, ts):
    """Central difference of f along ts, leaf by leaf (f takes/returns pytrees of arrays)."""
    leaves, treedef = ag.tree_flatten(xs)
    tl = ag.tree_leaves(ts)
    plus = ag.tree_unflatten(treedef, [x + EPS * t for x, t in zip(leaves, tl)])
    minus = ag.tree_unflatten(treedef, [x - EPS * t for x, t in zip(leaves, tl)])
    return ag.tree_map(lambda a, b: (_np(a) - _np(b)) / (2 * EPS), f(*plus), f(*minus))


def assert_trees_close(got, want, rtol=1e-5, atol=1e-6):
    assert ag.tree_structure(got) == ag.tree_structure(want)
    for g, w in zip(ag.tree_leaves(got), ag.tree_leaves(want)):
        np.testing.assert_allclose(_np(g), _np(w), rtol=rtol, atol=atol)


def vdot(a, b):
    return sum(float(np.sum(_np(x) * _np(y))) for x, y in zip(ag.tree_leaves(a),
                                                              ag.tree_leaves(b)))


# functions of a pytree argument {"w": (n, m), "b": [(m,)], "s": ()} and an array x (k, n),
# smooth everywhere, returning pytrees
def mlp(p, x):
    h = ag.tanh(x @ p["w"] + p["b"][0])
    return {"out": h * p["s"], "norm": (h * h).sum()}


def numpy_style(p, x):  # plain NumPy code: runs on Tensors through the dispatch table
    z = np.exp(np.sin(x @ p["w"]) - p["b"][0])
    return (np.sum(z, axis=0) / (1.0 + p["s"] ** 2), np.maximum(z, 0.0) * x.sum())


FUNCTIONS = [mlp, numpy_style]


@st.composite
def mlp_point(draw):
    k, n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(0, 3))
    el = st.floats(-1.5, 1.5)

    def arr(shape):
        return draw(arrays(shape, elements=el))

    p = {"w": arr((n, m)), "b": [arr((m,))], "s": arr(())}
    tangent = {"w": arr((n, m)), "b": [arr((m,))], "s": arr(())}
    x, tx = arr((k, n)), arr((k, n))
    return (p, x), (tangent, tx)


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
@given(point=mlp_point())
def test_jvp_matches_finite_differences(f, point):
    primals, tangents = point
    out, tangent_out = ag.jvp(f, primals, tangents)
    assert_trees_close(out, f(*primals), rtol=1e-12, atol=1e-12)
    assert_trees_close(tangent_out, fd_jvp(f, primals, tangents))


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
@given(point=mlp_point(), seed=st.integers(0, 2 ** 16))
def test_jvp_and_vjp_satisfy_the_inner_product_identity(f, point, seed):
    primals, tangents = point
    out, jt = ag.jvp(f, primals, tangents)
    rng = np.random.default_rng(seed)
    v = ag.tree_map(lambda o: rng.standard_normal(o.shape), out)
    out2, vjp_fn = ag.vjp(f, *primals)
    jtv = vjp_fn(v)
    assert ag.tree_structure(jtv) == ag.tree_structure(primals)
    lhs, rhs = vdot(v, jt), vdot(jtv, tangents)
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-10)


@given(point=mlp_point())
def test_linearize_equals_jvp(point):
    primals, tangents = point
    out, f_jvp = ag.linearize(mlp, *primals)
    assert_trees_close(f_jvp(*tangents), ag.jvp(mlp, primals, tangents)[1], rtol=1e-13,
                       atol=1e-13)
    doubled = ag.tree_map(lambda t: 2 * t, tangents)
    assert_trees_close(f_jvp(*doubled), ag.tree_map(lambda t: 2 * _np(t), f_jvp(*tangents)),
                       rtol=1e-13, atol=1e-13)


def _elementwise(x):
    return ag.sin(x) * ag.exp(0.5 * x) + x ** 2


@given(x=arrays(shapes(max_dims=2, max_side=3), elements=st.floats(-2, 2)))
def test_jacfwd_equals_jacrev_equals_finite_differences(x):
    f = lambda a: ag.concatenate([ag.reshape(_elementwise(a), (-1,)),  # noqa: E731
                                  ag.reshape(ag.sum(a * a), (1,))])
    fwd, rev = ag.jacfwd(f)(x), ag.jacrev(f)(x)
    assert fwd.shape == rev.shape == (x.size + 1,) + x.shape
    np.testing.assert_allclose(fwd.numpy(), rev.numpy(), rtol=1e-13, atol=1e-13)
    numeric = np.zeros(fwd.shape)
    for k in range(x.size):
        t = np.zeros(x.size)
        t[k] = 1
        column = fd_jvp(f, (x,), (t.reshape(x.shape),))
        numeric.reshape(x.size + 1, -1)[:, k] = column
    np.testing.assert_allclose(fwd.numpy(), numeric, rtol=1e-5, atol=1e-6)


def _scalar_fn(p, x):
    return ag.sum(mlp(p, x)["out"] ** 2) + ag.sum(ag.cos(p["w"])) * p["s"]


@given(point=mlp_point())
def test_hessian_and_hvp_against_finite_differences_of_the_gradient(point):
    (p, x), (tp, _) = point
    g = ag.grad(_scalar_fn)
    numeric = fd_jvp(lambda q: g(q, x), (p,), (tp,))  # H t by differencing the gradient
    assert_trees_close(ag.hvp(lambda q: _scalar_fn(q, x), (p,), (tp,)), numeric)
    assert_trees_close(ag.jvp(lambda q: g(q, x), (p,), (tp,))[1], numeric)  # jvp of grad
    h = ag.hessian(_scalar_fn)(p, x)  # p's structure nested in itself
    leaves, tleaves = ag.tree_leaves(p), ag.tree_leaves(tp)
    n = len(leaves)
    blocks = ag.tree_leaves(h)  # block (i, j) = d2f / dp_i dp_j, row-major over leaves
    assert len(blocks) == n * n
    for i in range(n):
        total = sum(blocks[i * n + j].numpy().reshape(leaves[i].size, leaves[j].size)
                    @ tleaves[j].reshape(-1) for j in range(n))
        np.testing.assert_allclose(total, ag.tree_leaves(numeric)[i].reshape(-1),
                                   rtol=1e-5, atol=1e-6)


def test_hessian_of_array_argument_is_symmetric_and_matches_closed_form():
    a = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])
    x = np.array([0.5, -1.0, 0.2])
    f = lambda v: v @ (ag.tensor(a) @ v) + ag.sum(v ** 4)  # noqa: E731
    np.testing.assert_allclose(ag.hessian(f)(x).numpy(), a + a.T + np.diag(12 * x ** 2),
                               rtol=1e-13)
    np.testing.assert_allclose(ag.jacfwd(ag.grad(f))(x).numpy(), a + a.T + np.diag(12 * x ** 2),
                               rtol=1e-13)


def test_transforms_compose():
    x = np.array([0.3, -0.7, 1.1])
    t = np.array([1.0, 2.0, -1.0])
    cube = lambda v: ag.sum(v ** 3)  # noqa: E731
    # grad of jvp: d/dx <grad cube, t> = 6 x t
    gj = ag.grad(lambda v: ag.jvp(cube, (v,), (t,))[1])(x)
    np.testing.assert_allclose(gj.numpy(), 6 * x * t, rtol=1e-13)
    # jvp of jvp: third directional derivative of cube along t, t, t = 6 sum(t^3)
    third = ag.jvp(lambda v: ag.jvp(lambda w: ag.jvp(cube, (w,), (t,))[1], (v,), (t,))[1],
                   (x,), (t,))[1]
    assert third.item() == pytest.approx(6 * np.sum(t ** 3), rel=1e-12)
    # grad of grad through a closure over the outer variable
    mixed = ag.grad(lambda y: ag.sum(ag.grad(lambda v: ag.sum(ag.sin(v) * y))(x)))(x)
    np.testing.assert_allclose(mixed.numpy(), np.cos(x), rtol=1e-13)
    # hvp of a function of two primals equals the block Hessian times the tangents
    hv = ag.hvp(lambda u, w: ag.sum(u * u * w), (x, t), (t, x))
    np.testing.assert_allclose(hv[0].numpy(), 2 * t * t + 2 * x * x, rtol=1e-13)
    np.testing.assert_allclose(hv[1].numpy(), 2 * x * t, rtol=1e-13)


def test_results_keep_no_graph_at_top_level_and_keep_it_when_nested():
    x = np.array([1.0, 2.0])
    assert not ag.grad(lambda v: ag.sum(v ** 2))(x).requires_grad
    out, tangent = ag.jvp(lambda v: v ** 2, (x,), (x,))
    assert not out.requires_grad and not tangent.requires_grad
    xt = ag.tensor(x, requires_grad=True)
    nested = ag.jvp(lambda v: v ** 2, (xt,), (x,))[1]
    assert nested.requires_grad
    nested.sum().backward()
    np.testing.assert_allclose(xt.grad.numpy(), 2 * x)


# -- pytrees ----------------------------------------------------------------------------

Point = collections.namedtuple("Point", "x y")

leaves_st = st.integers(-5, 5)
trees = st.recursive(
    leaves_st | st.none(),
    lambda children: (st.lists(children, max_size=3) | st.tuples(children, children)
                      | st.dictionaries(st.sampled_from("abcd"), children, max_size=3)
                      | st.builds(Point, children, children)),
    max_leaves=12)


@given(tree=trees)
def test_tree_flatten_unflatten_round_trip(tree):
    leaves, treedef = ag.tree_flatten(tree)
    assert None not in leaves  # None is an empty container (JAX's convention)
    rebuilt = ag.tree_unflatten(treedef, leaves)
    assert rebuilt == tree and type(rebuilt) is type(tree)
    assert ag.tree_map(lambda v: v * 2, tree) == ag.tree_unflatten(treedef,
                                                                    [v * 2 for v in leaves])
    assert treedef.num_leaves == len(leaves)


def test_tree_conventions_and_errors():
    leaves, treedef = ag.tree_flatten({"b": [1, (2, 3)], "a": 0, "c": None})
    assert leaves == [0, 1, 2, 3]  # dict children in sorted-key order
    assert ag.tree_map(lambda u, v: u + v, [1, (2,)], [10, (20,)]) == [11, (22,)]
    with pytest.raises(ValueError, match="structure"):
        ag.tree_map(lambda u, v: u, [1, 2], (1, 2))
    with pytest.raises(ValueError, match="4 leaves"):
        ag.tree_unflatten(treedef, [1, 2])


def test_grad_has_the_argument_structure_and_matches_finite_differences():
    rng = np.random.default_rng(0)
    params = {"layers": [(rng.standard_normal((3, 2)), rng.standard_normal(2)),
                         (rng.standard_normal((2, 1)), rng.standard_normal(1))],
              "scale": Point(np.array(1.5), np.array(-0.5))}
    x = rng.standard_normal((4, 3))

    def loss(p):
        h = x
        for w, b in p["layers"]:
            h = ag.tanh(h @ w + b)
        return ag.sum(h ** 2) * p["scale"].x + p["scale"].y ** 2

    g = ag.grad(loss)(params)
    assert ag.tree_structure(g) == ag.tree_structure(params)
    assert isinstance(g["scale"], Point) and isinstance(g["layers"][0], tuple)
    leaves, treedef = ag.tree_flatten(params)
    for i, leaf in enumerate(leaves):  # finite differences, one leaf at a time
        numeric = np.zeros(leaf.shape)
        for k in range(leaf.size):
            def shifted(delta):
                moved = [v.copy() for v in leaves]
                moved[i].reshape(-1)[k] += delta
                return loss(ag.tree_unflatten(treedef, moved)).item()
            numeric.reshape(-1)[k] = (shifted(EPS) - shifted(-EPS)) / (2 * EPS)
        np.testing.assert_allclose(ag.tree_leaves(g)[i].numpy(), numeric, rtol=1e-5, atol=1e-7)


def test_jacrev_and_jacfwd_layout_for_pytrees():
    p = {"a": np.array([1.0, 2.0]), "b": np.array(3.0)}
    f = lambda q: (q["a"] * q["b"], ag.sum(q["a"]))  # noqa: E731
    for jac in (ag.jacrev(f), ag.jacfwd(f)):
        j = jac(p)
        assert isinstance(j, tuple) and set(j[0]) == {"a", "b"}
        np.testing.assert_allclose(j[0]["a"].numpy(), 3.0 * np.eye(2))
        np.testing.assert_allclose(j[0]["b"].numpy(), [1.0, 2.0])
        np.testing.assert_allclose(j[1]["a"].numpy(), [1.0, 1.0])
        assert j[1]["b"].shape == ()
    both = ag.jacrev(lambda u, v: u * v, argnums=(0, 1))(np.array([1.0, 2.0]),
                                                         np.array([3.0, 4.0]))
    np.testing.assert_allclose(both[1].numpy(), np.diag([1.0, 2.0]))


def test_repeated_tensor_leaves_are_independent_variables():
    t = ag.tensor([1.0, 2.0], requires_grad=True)
    g = ag.grad(lambda p: ag.sum(p["a"] * 3.0 + p["b"] ** 2))({"a": t, "b": t})
    np.testing.assert_allclose(g["a"].numpy(), [3.0, 3.0])
    np.testing.assert_allclose(g["b"].numpy(), [2.0, 4.0])


# -- has_aux and errors -----------------------------------------------------------------

def test_has_aux():
    x = np.array([1.0, 2.0])

    def f(v):
        y = v ** 2
        return ag.sum(y), {"y": y, "note": "kept"}

    g, aux = ag.grad(f, has_aux=True)(x)
    np.testing.assert_allclose(g.numpy(), 2 * x)
    assert aux["note"] == "kept" and not aux["y"].requires_grad
    np.testing.assert_allclose(aux["y"].numpy(), x ** 2)
    (value, aux2), g2 = ag.value_and_grad(f, has_aux=True)(x)
    assert value.item() == 5.0 and aux2["note"] == "kept"
    out, vjp_fn, aux3 = ag.vjp(f, x, has_aux=True)
    (gv,) = vjp_fn(np.array(2.0))
    np.testing.assert_allclose(gv.numpy(), 4 * x)
    with pytest.raises(TypeError, match=r"has_aux=True.*pair"):
        ag.grad(lambda v: ag.sum(v), has_aux=True)(x)


def test_errors_name_the_transform_and_the_mismatch():
    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match=r"jvp: tangent 0 has shape \(3,\)"):
        ag.jvp(lambda v: v * 2, (x,), (np.ones(3),))
    with pytest.raises(ValueError, match=r"jvp: the tangents have structure"):
        ag.jvp(lambda p: p["a"] * 2, ({"a": x},), ({"b": x},))
    with pytest.raises(TypeError, match="primals must be a tuple"):
        ag.jvp(lambda v: v, x, x)
    _, vjp_fn = ag.vjp(lambda v: (v, v * 2), x)
    with pytest.raises(ValueError, match="cotangent has structure"):
        vjp_fn(x)
    with pytest.raises(TypeError, match="argnums=3"):
        ag.grad(lambda v: ag.sum(v), argnums=3)(x)


def test_constant_outputs_have_zero_tangents():
    x = np.array([1.0, 2.0])
    out, t = ag.jvp(lambda v: (ag.tensor([5.0]), v * 0 + 1.0), (x,), (x,))
    np.testing.assert_array_equal(t[0].numpy(), [0.0])
    np.testing.assert_array_equal(t[1].numpy(), [0.0, 0.0])
    assert ag.hvp(lambda v: ag.sum(v * 3.0), (x,), (x,)).numpy().tolist() == [0.0, 0.0]
