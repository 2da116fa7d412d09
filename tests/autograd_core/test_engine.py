"""Engine semantics: accumulation, graph freeing, create_graph, hooks, no_grad, deep chains,
memory, in-place versioning, anomaly detection."""

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

import autograd_core as ag


def leaf(values, dtype="float64"):
    return ag.tensor(np.asarray(values, dtype=dtype), requires_grad=True)


def test_gradients_accumulate_across_backward_calls():
    x = leaf([1.0, 2.0])
    (x * 3.0).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0 + 2.0, 3.0 + 4.0])


def test_gradient_of_a_tensor_used_twice_is_summed():
    x = leaf([1.5])
    y = x * x + x  # dy/dx = 2x + 1
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0])


def test_non_leaf_grad_is_none_unless_retained():
    x = leaf([1.0, 2.0])
    h = x * 2.0
    k = x * 3.0
    k.retain_grad()
    (h * k).sum().backward()
    assert h.grad is None
    np.testing.assert_allclose(k.grad.numpy(), (2.0 * np.array([1.0, 2.0])))
    assert not h.is_leaf and x.is_leaf


def test_second_backward_through_freed_graph_names_the_fix():
    x = leaf([1.0])
    y = (ag.exp(x) * 2.0).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_pass():
    x = leaf([1.0, -2.0])
    y = (x ** 3).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * 3 * np.array([1.0, 4.0]))


def test_saved_arrays_are_freed_after_backward():
    x = leaf(np.ones(1000))
    y = ag.exp(x)
    z = (y * 2.0).sum()
    node = y.node
    z.backward()
    assert node.inputs is None and node.out_data is None and node.parents is None


def test_create_graph_gives_hessian_vector_products():
    # f(x) = sum(x**3) ; H = diag(6x) ; Hv = 6 x v
    x = leaf([1.0, 2.0, -1.0])
    v = ag.tensor([0.5, -1.0, 2.0], dtype="float64")
    (g,) = ag.grad_of((x ** 3).sum(), x, create_graph=True)
    assert g.requires_grad
    (hv,) = ag.grad_of((g * v).sum(), x)
    np.testing.assert_allclose(hv.numpy(), 6 * np.array([1.0, 2.0, -1.0]) * v.numpy())


def test_gradient_penalty_trains_through_second_derivative():
    # penalty = ||d/dx (w * x**2)||^2 = (2 w x)^2 summed ; d penalty / dw = 8 w x^2
    w = leaf([0.7])
    x = leaf([1.0, 3.0])
    (gx,) = ag.grad_of((w * x * x).sum(), x, create_graph=True)
    penalty = (gx * gx).sum()
    penalty.backward()
    np.testing.assert_allclose(w.grad.numpy(), [8 * 0.7 * (1.0 + 9.0)])


def test_backward_with_create_graph_accumulates_differentiable_grad():
    x = leaf([2.0])
    (x ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad
    g = x.grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6 * 2.0])


def test_no_grad_context_and_decorator():
    x = leaf([1.0])
    with ag.no_grad():
        y = x * 2
    assert not y.requires_grad and y.node is None

    @ag.no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    assert ag.is_grad_enabled()
    with ag.no_grad():
        with ag.enable_grad():
            assert (x * 2).requires_grad
        assert not ag.is_grad_enabled()


def test_detach_cuts_the_graph_and_shares_data():
    x = leaf([1.0, 2.0])
    d = (x * 2).detach()
    assert d.is_leaf and not d.requires_grad
    y = (x * d).sum()
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0])


def test_hooks_see_and_can_replace_gradients():
    x = leaf([1.0, 2.0])
    seen = []
    h = x * 3.0
    h.register_hook(lambda g: seen.append(g.numpy().copy()))
    handle = x.register_hook(lambda g: g * 10.0)
    h.sum().backward()
    np.testing.assert_allclose(seen[0], [1.0, 1.0])
    np.testing.assert_allclose(x.grad.numpy(), [30.0, 30.0])
    handle.remove()
    x.grad = None
    h2 = x * 3.0
    h2.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])


def test_deep_chain_of_100k_ops_has_no_recursion_error():
    x = leaf([1.0])
    y = x
    for _ in range(100_000):
        y = y + 1e-6
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0])


def test_memory_does_not_grow_over_training_steps():
    rng = np.random.default_rng(0)
    w = ag.tensor(rng.standard_normal((20, 5)), requires_grad=True)
    x = ag.tensor(rng.standard_normal((32, 20)))

    def step():
        loss = (ag.tanh(x @ w) ** 2).mean()
        loss.backward()
        with ag.no_grad():
            w.data -= 0.01 * w.grad.data
        w.grad = None

    tracemalloc.start()
    # the first steps fill CPython's object free lists (tracemalloc counts those);
    # after that a leak of even one small object per step would show as >= 32 kB
    for _ in range(1500):
        step()
    first, _ = tracemalloc.get_traced_memory()
    for _ in range(1000):
        step()
    second, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert second - first < 16 * 1024, f"memory grew by {second - first} bytes over 1000 steps"


def test_graph_has_no_reference_cycles():
    gc.disable()
    try:
        x = leaf([1.0, 2.0])
        y = ag.sigmoid(x * 2.0)
        ref = weakref.ref(y.node)
        loss = y.sum()
        del y
        del loss
        assert ref() is None, "the graph was kept alive by a reference cycle"
    finally:
        gc.enable()


def test_modifying_a_saved_tensor_in_place_raises_on_backward():
    x = leaf([1.0, 2.0])
    h = x * 2.0
    y = (h * h).sum()  # saves h
    with ag.no_grad():
        h[0] = 5.0
    with pytest.raises(RuntimeError, match="modified in place"):
        y.backward()


def test_setitem_on_non_leaf_keeps_gradients_right():
    x = leaf([1.0, 2.0, 3.0])
    v = leaf([10.0])
    h = x * 2.0
    early = h + 1.0  # uses the old value of h; gradient must still reach x
    h[1:2] = v * 3.0
    (early.sum() + (h * ag.tensor([1.0, 2.0, 3.0], dtype="float64")).sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0 + 2.0, 2.0 + 0.0, 2.0 + 6.0])
    np.testing.assert_allclose(v.grad.numpy(), [3.0 * 2.0])


def test_setitem_on_leaf_requiring_grad_is_an_error():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        x[0] = 3.0
    with ag.no_grad():
        x[0] = 3.0
    np.testing.assert_allclose(x.numpy(), [3.0, 2.0])


def test_optimizer_style_update_after_forward_is_caught():
    w = leaf([1.0, 2.0])
    loss = (w * w).sum()
    with ag.no_grad():
        w.data -= 0.1
        w._bump_version()
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()


def test_in_place_operators_on_a_non_leaf_are_recorded():
    x = leaf([1.0])
    y = x * 2.0
    before = y
    y += 1.0  # the same tensor, with an add on top of its history (tests/.../test_inplace.py)
    assert y is before and y.node.name == "add"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0])


def test_leaf_grads_never_alias_each_other():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    c = leaf([[1.0, 2.0]])
    d = leaf([5.0, 6.0])
    (c.reshape(2) + d).sum().backward()
    assert not np.shares_memory(c.grad.numpy(), d.grad.numpy())


def test_backward_gradient_argument_for_non_scalar_outputs():
    x = leaf([1.0, 2.0])
    y = x * x
    y.backward(gradient=np.array([1.0, 0.5]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0])


def test_detect_anomaly_names_the_op_that_made_nan():
    x = leaf([0.0, 1.0])
    with ag.detect_anomaly():
        y = ag.sqrt(x) * 0.0  # d/dx sqrt at 0 is inf; inf * 0 = nan
        with pytest.raises(FloatingPointError, match="'sqrt'") as info:
            y.sum().backward()
    assert "test_engine.py" in str(info.value)


def test_leaf_hook_runs_once_with_the_total_gradient():
    x = leaf([1.0])
    calls = []
    x.register_hook(lambda g: calls.append(float(g.item())))
    (x * 2.0 + x * 3.0).sum().backward()
    assert calls == [5.0]


def test_gradients_flow_through_dtype_casts_and_keep_leaf_dtype():
    x = ag.tensor([1.0, 2.0], dtype="float32", requires_grad=True)
    y = (x.astype("float64") * ag.tensor([3.0, 4.0], dtype="float64")).sum()
    y.backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 4.0])


def test_mixed_precision_gradient_is_cast_to_leaf_dtype():
    x = ag.tensor([1.0, 2.0], dtype="float32", requires_grad=True)
    w = ag.tensor([3.0, 4.0], dtype="float64")
    (x * w).sum().backward()  # the product is float64
    assert x.grad.dtype == np.float32


def test_zero_dim_intermediates_used_several_times():
    # NumPy returns scalars, not 0-d arrays, from 0-d arithmetic: gradients must stay arrays
    x = leaf([-1.5, 2.0])
    a = x[0] * x[1]
    b = a * a + a
    (b * b + b).backward()
    # f = b^2 + b, b = a^2 + a, a = x0 x1: df/da = (2b + 1)(2a + 1)
    a0 = -3.0
    b0 = a0 * a0 + a0
    dfda = (2 * b0 + 1) * (2 * a0 + 1)
    np.testing.assert_allclose(x.grad.numpy(), [dfda * 2.0, dfda * -1.5])
    y = leaf([0.5, 2.0])
    s = y.sum()
    (s * s).backward()
    np.testing.assert_allclose(y.grad.numpy(), [5.0, 5.0])


def test_backward_frees_the_softmax_saved_by_softmax_cross_entropy():
    logits = ag.tensor(np.zeros((4, 3)), requires_grad=True)
    loss = ag.softmax_cross_entropy(logits, np.array([0, 1, 2, 1]))
    assert loss.node.probs is not None
    loss.backward()
    assert loss.node.probs is None  # a loss kept for logging keeps no (N, C) array alive
    kept = ag.softmax_cross_entropy(logits, np.array([0, 1, 2, 1]))
    kept.backward(retain_graph=True)
    kept.backward()  # retained: a second pass works and accumulates
    one_pass = (np.full((4, 3), 1 / 3) - np.eye(3)[[0, 1, 2, 1]]) / 4
    np.testing.assert_allclose(logits.grad.numpy(), 3 * one_pass, rtol=1e-12)


def _relu_net(seed=0):
    rng = np.random.default_rng(seed)
    x = ag.tensor(rng.normal(size=(5, 4)))
    w = ag.tensor(rng.normal(size=(4, 3)), requires_grad=True)
    b = ag.tensor(rng.normal(size=3), requires_grad=True)
    return x, w, b, np.array([0, 2, 1, 1, 0])


def _relu_net_grads(keep=None):
    """Gradients of softmax_cross_entropy(relu(linear(x, w, b))); ``keep`` may hook r."""
    x, w, b, t = _relu_net()
    z = ag.linear(x, w, b)
    r = ag.relu(z)
    if keep is not None:
        keep(z, r)
    ag.softmax_cross_entropy(r, t).backward()
    return w.grad.numpy(), b.grad.numpy(), z, r


def test_relu_masks_the_engines_own_gradient_in_place_without_changing_any_result():
    x, w, b, t = _relu_net()
    mask = (x.numpy() @ w.numpy() + b.numpy()) > 0
    logits = np.maximum(x.numpy() @ w.numpy() + b.numpy(), 0)
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    d_r = (p - np.eye(3)[t]) / 5
    d_z = d_r * mask
    gw, gb, _, _ = _relu_net_grads()
    np.testing.assert_allclose(gw, x.numpy().T @ d_z, rtol=1e-12)
    np.testing.assert_allclose(gb, d_z.sum(0), rtol=1e-12)
    # gradients the user can see are never the masked buffer
    _, _, z, r = _relu_net_grads(keep=lambda z, r: (z.retain_grad(), r.retain_grad()))
    np.testing.assert_allclose(r.grad.numpy(), d_r, rtol=1e-12)
    np.testing.assert_allclose(z.grad.numpy(), d_z, rtol=1e-12)
    seen = []
    gw2, _, _, _ = _relu_net_grads(keep=lambda z, r: r.register_hook(lambda g: seen.append(g)))
    np.testing.assert_allclose(seen[0].numpy(), d_r, rtol=1e-12)
    np.testing.assert_allclose(gw2, gw, rtol=0)


def test_gradient_handed_to_two_relus_is_not_masked_in_place():
    # add passes one array to both operands: neither relu may mask it in place
    x, w, b, t = _relu_net()
    z = ag.linear(x, w, b)
    ag.softmax_cross_entropy(ag.relu(z) + ag.relu(-z), t).backward()
    zd = x.numpy() @ w.numpy() + b.numpy()
    s = np.maximum(zd, 0) + np.maximum(-zd, 0)
    p = np.exp(s - s.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    d_s = (p - np.eye(3)[t]) / 5
    d_z = d_s * (zd > 0) - d_s * (zd < 0)
    np.testing.assert_allclose(w.grad.numpy(), x.numpy().T @ d_z, rtol=1e-12)


# -- post-accumulate-grad hooks (PyTorch's Tensor.register_post_accumulate_grad_hook) --------

def test_post_accumulate_grad_hook_fires_once_with_the_final_gradient():
    x = leaf([1.5, -2.0])
    seen = []
    x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.numpy().copy()))
    (x * x + x * 3.0).sum().backward()  # three edges into x
    assert len(seen) == 1
    np.testing.assert_allclose(seen[0], 2 * np.array([1.5, -2.0]) + 3.0)


def test_post_accumulate_grad_hook_fires_during_backward_before_earlier_layers_are_done():
    w_first, w_last = leaf([[0.5, -1.0], [2.0, 0.25]]), leaf([[1.0], [-3.0]])
    x = ag.tensor(np.array([[1.0, 2.0]]))
    order = []
    w_last.register_post_accumulate_grad_hook(lambda t: order.append("w_last final"))
    w_first.register_post_accumulate_grad_hook(lambda t: order.append("w_first final"))
    hidden = x @ w_first
    hidden.register_hook(lambda g: order.append("hidden's gradient"))
    (ag.tanh(hidden) @ w_last).sum().backward()
    # w_last's gradient is final as soon as the last matmul is differentiated, before
    # backward reaches the first layer
    assert order == ["w_last final", "hidden's gradient", "w_first final"]
    h = np.tanh(np.array([[1.0, 2.0]]) @ w_first.numpy())
    np.testing.assert_allclose(w_last.grad.numpy(), h.T)


def test_post_accumulate_grad_hook_sees_accumulated_grad_and_can_be_removed():
    x = leaf([2.0])
    seen = []
    handle = x.register_post_accumulate_grad_hook(lambda t: seen.append(float(t.grad.item())))
    (x * 3.0).sum().backward()
    (x * x).sum().backward()
    assert seen == [3.0, 3.0 + 4.0]
    handle.remove()
    (x * 1.0).sum().backward()
    assert seen == [3.0, 7.0]


def test_post_accumulate_grad_hook_runs_after_gradient_hooks_and_with_grad_disabled():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: g * 10.0)
    seen = []

    def post(t):
        seen.append(((t.grad * 2.0).numpy().copy(), ag.is_grad_enabled()))

    x.register_post_accumulate_grad_hook(post)
    (x * 1.0).sum().backward()
    np.testing.assert_allclose(seen[0][0], [20.0, 20.0])
    assert seen[0][1] is False


def test_post_accumulate_grad_hook_not_fired_by_grad_of_and_when_no_gradient_arrives():
    x, y = leaf([1.0]), leaf([2.0])
    calls = []
    x.register_post_accumulate_grad_hook(lambda t: calls.append("x"))
    y.register_post_accumulate_grad_hook(lambda t: calls.append("y"))
    ag.grad_of((x * y).sum(), [x])
    assert calls == [] and x.grad is None
    (y * 2.0).sum().backward()  # x is not in this graph
    assert calls == ["y"]


def test_post_accumulate_grad_hook_on_a_root_leaf_and_with_create_graph():
    x = leaf([3.0])
    calls = []
    x.register_post_accumulate_grad_hook(lambda t: calls.append(float(t.grad.item())))
    x.backward(ag.tensor([1.0]))
    assert calls == [1.0]
    (x * x).sum().backward(create_graph=True)
    assert calls == [1.0, 7.0]


def test_post_accumulate_grad_hook_rejects_non_leaves_and_tensors_without_grad():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match="leaf tensors only"):
        (x * 2.0).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.tensor([1.0]).register_post_accumulate_grad_hook(lambda t: None)
