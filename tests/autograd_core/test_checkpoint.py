"""autograd_core.checkpoint: same gradients to the bit, intermediates not kept, recomputation
with the same random state, closures over parameters, nesting and second derivatives."""

import gc
import weakref

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import nn
from autograd_core.checkpoint import checkpoint
from autograd_core.testing import arrays


def _mlp(depth, width, seed, dropout=0.0):
    ag.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), nn.Tanh()]
        if dropout:
            layers.append(nn.Dropout(dropout))
    return layers


def _run(layers, x, segment):
    """Forward through ``layers`` in segments of ``segment`` layers (0: no checkpoint)."""
    params = [p for layer in layers for p in layer.parameters()]
    for p in params:
        p.grad = None
    h = x
    step = segment or len(layers)
    for start in range(0, len(layers), step):
        block = layers[start:start + step]

        def run_block(v, block=block):
            for layer in block:
                v = layer(v)
            return v

        h = checkpoint(run_block, h) if segment else run_block(h)
    loss = (h * h).sum()
    loss.backward()
    return loss.item(), [p.grad.numpy().copy() for p in params], x.grad


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@given(seed=st.integers(0, 2 ** 16), segment=st.sampled_from([1, 2, 3]),
       batch=st.integers(1, 4))
def test_gradients_are_bit_identical_with_and_without_checkpoint(dtype, seed, segment, batch):
    layers = _mlp(3, 5, seed)
    for layer in layers:
        layer.to(dtype=dtype) if hasattr(layer, "weight") else None
    data = np.random.default_rng(seed).standard_normal((batch, 5)).astype(dtype)
    x0 = ag.tensor(data, requires_grad=True)
    x1 = ag.tensor(data, requires_grad=True)
    loss0, grads0, gx0 = _run(layers, x0, 0)
    loss1, grads1, gx1 = _run(layers, x1, segment)
    assert loss0 == loss1
    for a, b in zip(grads0, grads1):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert np.array_equal(gx0.numpy(), gx1.numpy())


def test_dropout_mask_is_replayed_in_the_recomputation():
    layers = _mlp(2, 6, 3, dropout=0.5)
    data = np.random.default_rng(0).standard_normal((4, 6)).astype("float32")
    ag.manual_seed(11)
    _, grads0, _ = _run(layers, ag.tensor(data, requires_grad=True), 0)
    ag.manual_seed(11)
    _, grads1, _ = _run(layers, ag.tensor(data, requires_grad=True), 1)
    for a, b in zip(grads0, grads1):
        assert np.array_equal(a, b)


def test_segment_intermediates_are_not_kept():
    x = ag.tensor(np.ones((3, 4)), requires_grad=True)
    kept = []

    def segment(v):
        h = ag.tanh(v * 2.0)
        kept.append(weakref.ref(h))
        return ag.exp(h).sum(axis=1)

    y = checkpoint(segment, x)
    gc.collect()
    assert kept[0]() is None  # the forward's intermediate tensor (and its node) are gone
    assert y.grad_fn.name == "checkpoint" and y.grad_fn.parents == (x,)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (1 - np.tanh(2.0) ** 2) * np.exp(np.tanh(2.0)))
    assert len(kept) == 2  # the segment ran again during backward


@given(x=arrays((2, 3), elements=st.floats(-2, 2)), w=arrays((3, 3), elements=st.floats(-1, 1)))
def test_gradcheck_and_gradgradcheck_through_checkpoint(x, w):
    f = lambda a, b: checkpoint(lambda u, v: ag.tanh(u @ v) * u.sum(), a, b)  # noqa: E731
    assert ag.gradcheck(f, (x, w))
    assert ag.gradgradcheck(f, (x, w))


def test_closed_over_parameters_get_gradients_and_transforms_see_through():
    w = ag.tensor([[1.0, 2.0], [3.0, -1.0]], dtype="float64", requires_grad=True)
    x = np.array([[0.5, -0.25]])
    y = checkpoint(lambda v: ag.tanh(v @ w), ag.tensor(x))  # w is not an argument
    y.sum().backward()
    expected = x.T @ (1 - np.tanh(x @ w.numpy()) ** 2)
    np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-14)
    g = ag.grad(lambda v: checkpoint(lambda u: ag.sum(ag.sin(u) ** 2), v))(np.array([0.3, 1.0]))
    np.testing.assert_allclose(g.numpy(), np.sin(2 * np.array([0.3, 1.0])), rtol=1e-14)


def test_nested_checkpoints_and_pytree_arguments():
    p = {"a": ag.tensor([1.0, 2.0], dtype="float64", requires_grad=True), "k": 3.0}
    inner = lambda v: ag.exp(v) * 2.0  # noqa: E731
    y = checkpoint(lambda q: checkpoint(inner, q["a"] * q["k"]).sum(), p)
    y.backward()
    np.testing.assert_allclose(p["a"].grad.numpy(), 6.0 * np.exp(3.0 * np.array([1.0, 2.0])))


def test_errors():
    outer = ag.tensor([1.0], requires_grad=True) * 2.0
    with pytest.raises(ValueError, match=r"computed outside it .*pass it in checkpoint"):
        checkpoint(lambda v: v * outer, ag.tensor([1.0], requires_grad=True))
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = checkpoint(lambda v: ag.sin(v), h)
    with ag.no_grad():
        h[0] = 5.0  # the saved input changed: backward must refuse, not recompute wrongly
    with pytest.raises(RuntimeError, match="modified in place"):
        y.sum().backward()
