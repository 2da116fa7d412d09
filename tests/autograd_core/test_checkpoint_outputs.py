"""checkpoint with several outputs (a pytree of Tensors, some unused, some not Tensors),
nested, against the same code without checkpointing (bit-identical gradients on CPU), and
the module ``autograd_core.checkpoint`` itself, which ``ag.checkpoint`` calls."""

import gc
import inspect
import types
import weakref

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.checkpoint import checkpoint
from autograd_core.testing import arrays


def _segment(x, w):
    """Several outputs of several kinds: used, unused (with a NaN-prone backward),
    constant, not a Tensor.  No output is used inside the segment."""
    z = ag.tanh(x @ w)
    return ({"a": ag.sin(z), "pair": (ag.cos(z) * x.sum(), ag.exp(z).sum(axis=1))},
            ag.log(x - 10.0), x.shape[0], ag.tensor(2.0))


def _used_inside(x, w):
    """An output (``h``) that the segment also uses, as an LSTM cell's ``c``."""
    h = ag.tanh(x @ w)
    return {"a": h, "pair": (ag.sin(h) * x.sum(), h.sum(axis=1))}, ag.log(x - 10.0), 2, None


def _loss(out, used):
    parts, unused, n, _ = out
    assert n == 2 and unused.shape == (2, 3)
    leaves = {"a": parts["a"], "g": parts["pair"][0], "s": parts["pair"][1]}
    total = 0.0
    for i, name in enumerate(used):  # the order and the weights vary
        total = total + (leaves[name] * (i + 1.5)).sum()
        if i == 0:
            total = total + (leaves[name] * leaves[name]).sum()
    return total


def _gradients(segment, data, weights, used, checkpointed):
    x = ag.tensor(data, requires_grad=True)
    w = ag.tensor(weights, requires_grad=True)
    out = checkpoint(segment, x, w) if checkpointed else segment(x, w)
    loss = _loss(out, used)
    loss.backward()
    return loss.item(), x.grad.numpy(), w.grad.numpy()


USED = st.lists(st.sampled_from(["a", "g", "s"]), min_size=1, max_size=3, unique=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@given(seed=st.integers(0, 2 ** 16), used=USED)
def test_pytree_outputs_give_bit_identical_gradients(dtype, seed, used):
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((2, 3)).astype(dtype)
    weights = rng.standard_normal((3, 3)).astype(dtype)
    loss0, gx0, gw0 = _gradients(_segment, data, weights, used, checkpointed=False)
    loss1, gx1, gw1 = _gradients(_segment, data, weights, used, checkpointed=True)
    assert loss0 == loss1
    for a, b in ((gx0, gx1), (gw0, gw1)):
        assert a.dtype == b.dtype and np.array_equal(a, b)
        assert np.all(np.isfinite(b))  # the unused log(x - 10) branch never ran backward


@given(seed=st.integers(0, 2 ** 16), used=USED)
def test_an_output_used_inside_the_segment_agrees_to_rounding(seed, used):
    # its gradient sums the uses after the segment first, then the use inside: the
    # engine without checkpoint may add them in another order (documented)
    rng = np.random.default_rng(seed)
    data, weights = rng.standard_normal((2, 3)), rng.standard_normal((3, 3))
    _, gx0, gw0 = _gradients(_used_inside, data, weights, used, checkpointed=False)
    _, gx1, gw1 = _gradients(_used_inside, data, weights, used, checkpointed=True)
    np.testing.assert_allclose(gx1, gx0, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(gw1, gw0, rtol=1e-13, atol=1e-15)


def test_unused_outputs_cost_no_backward_and_lists_work():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    ran = []

    @ag.custom_vjp
    def spy(v):
        return v * 1.0

    spy.defvjp(lambda v: (spy(v), None), lambda _, g: (ran.append(1) or g,))
    a, b = checkpoint(lambda v: [v * 3.0, spy(v)], x)
    assert isinstance(a, ag.Tensor) and isinstance(b, ag.Tensor)
    a.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])
    assert ran == []  # the unused output's branch was not back-propagated


def test_outputs_that_need_no_gradient_are_passed_through():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    out = checkpoint(lambda v: ("label", None, v * 2.0, ag.tensor([5.0])), x)
    assert out[0] == "label" and out[1] is None and out[3].numpy().tolist() == [5.0]
    everything_constant = checkpoint(lambda v: (v.numpy(), 3), x)
    assert everything_constant[1] == 3 and isinstance(everything_constant[0], np.ndarray)
    out[2].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


def test_an_input_returned_as_an_output_gets_its_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    same, double = checkpoint(lambda v: (v, v * 2.0), x)
    (same * 5.0 + double).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [7.0, 7.0])


@given(seed=st.integers(0, 2 ** 16))
def test_nested_multi_output_checkpoints_are_bit_identical(seed):
    rng = np.random.default_rng(seed)
    data, weights = rng.standard_normal((2, 3)), rng.standard_normal((3, 3))

    def inner(u, v):
        return ag.tanh(u @ v), u * 2.0

    def outer(u, v, nested):
        a, b = checkpoint(inner, u, v) if nested else inner(u, v)
        c, d = checkpoint(inner, a * b, v) if nested else inner(a * b, v)
        return {"c": c, "a": a, "d": d}

    results = []
    for mode in ("plain", "inner", "both"):
        x = ag.tensor(data, requires_grad=True)
        w = ag.tensor(weights, requires_grad=True)
        if mode == "both":
            out = checkpoint(lambda u, v: outer(u, v, True), x, w)
        else:
            out = outer(x, w, mode == "inner")
        (out["c"].sum() + (out["a"] * out["c"]).sum()).backward()  # out["d"] unused
        results.append((x.grad.numpy(), w.grad.numpy()))
    for got in results[1:]:
        for a, b in zip(results[0], got):
            assert np.array_equal(a, b)


@given(x=arrays((2, 3), elements=st.floats(-2, 2)), w=arrays((3, 3), elements=st.floats(-1, 1)))
def test_gradcheck_and_gradgradcheck_through_multi_output_checkpoint(x, w):
    def f(a, b):
        out = checkpoint(lambda u, v: {"y": ag.tanh(u @ v), "z": (ag.sin(u) * v.sum(),)}, a, b)
        return out["y"], out["z"][0]

    assert ag.gradcheck(f, (x, w))
    assert ag.gradgradcheck(f, (x, w))


def test_multi_output_intermediates_are_not_kept():
    x = ag.tensor(np.ones((3, 4)), requires_grad=True)
    kept = []

    def segment(v):
        h = ag.tanh(v * 2.0)
        kept.append(weakref.ref(h))
        return ag.exp(h).sum(axis=1), h.sum()

    y, total = checkpoint(segment, x)
    gc.collect()
    assert kept[0]() is None
    (y.sum() + total).backward()
    t = np.tanh(2.0)
    np.testing.assert_allclose(x.grad.numpy(), 2 * (1 - t ** 2) * (np.exp(t) + 1))
    assert len(kept) == 2  # one recomputation for both outputs


def test_a_retained_graph_backpropagates_twice():
    x = ag.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    a, b = checkpoint(lambda v: (ag.sin(v), ag.cos(v)), x)
    loss = (a * 2.0 + b).sum()
    loss.backward(retain_graph=True)
    once = x.grad.numpy().copy()
    np.testing.assert_allclose(once, 2 * np.cos([1.0, 2.0]) - np.sin([1.0, 2.0]), rtol=1e-15)
    loss.backward()
    np.testing.assert_array_equal(x.grad.numpy(), 2 * once)


def test_a_recomputation_with_another_structure_is_an_error():
    calls = []

    def flaky(v):
        calls.append(1)
        return (v * 2.0, v * 3.0) if len(calls) == 1 else (v * 2.0,)

    a, _ = checkpoint(flaky, ag.tensor([1.0], requires_grad=True))
    with pytest.raises(RuntimeError, match="recomputing flaky gave the structure"):
        a.sum().backward()


# -- the module --------------------------------------------------------------------------

def test_the_module_imports_as_a_module_and_ag_checkpoint_calls_it():
    import autograd_core.checkpoint as module  # noqa: PLC0415 - what the bug was about

    assert isinstance(module, types.ModuleType)
    assert module is ag.checkpoint and module.checkpoint is checkpoint
    assert inspect.isfunction(module.checkpoint)
    assert str(inspect.signature(ag.checkpoint)) == str(inspect.signature(checkpoint))
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    ag.checkpoint(lambda v: v * v, x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])
    x.grad = None
    module.checkpoint(lambda v: v * v, x, preserve_rng_state=False).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


def test_custom_is_a_module_too():
    import autograd_core.custom as module  # noqa: PLC0415

    assert isinstance(module, types.ModuleType) and module.custom_vjp is ag.custom_vjp


# modules whose package attribute is a function of the same name (``import a.b as m``
# gives the function); checkpoint was one, now a callable module.  Left as they are, and
# listed so that no new one appears unnoticed.
SHADOWED = {"autograd_core.gradcheck", "autograd_core.tensor", "autograd_core.ops.einsum",
            "autograd_core.ops.softmax"}


def test_no_other_public_module_is_hidden_by_a_function_of_its_name():
    import importlib  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415

    hidden = set()
    for info in pkgutil.walk_packages(ag.__path__, prefix="autograd_core."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        parent, _, leaf = info.name.rpartition(".")
        if getattr(importlib.import_module(parent), leaf, None) is not module:
            hidden.add(info.name)
    assert hidden == SHADOWED
