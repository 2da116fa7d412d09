"""Losses: values against NumPy references, float64 gradchecks on hypothesis-drawn shapes,
stability at logits of ±1e4, reductions, and clear errors for bad targets."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core import nn
from autograd_core.nn import functional as F

REDUCTIONS = ["mean", "sum", "none"]


def _reduce(loss, reduction):
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](loss)


def _pairs(lo=-3.0, hi=3.0, min_side=0):
    """(input, target): two float64 arrays of one hypothesis-drawn shape."""
    elements = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=min_side, max_side=4)
    return shapes.flatmap(lambda shape: st.tuples(
        hnp.arrays(np.float64, shape, elements=elements),
        hnp.arrays(np.float64, shape, elements=elements)))


# name: (loss(input, target, reduction), NumPy reference of the elementwise loss, input range,
#        target range)
REGRESSION = {
    "mse": (F.mse_loss, lambda x, y: (x - y) ** 2),
    "l1": (F.l1_loss, lambda x, y: np.abs(x - y)),
    "huber": (lambda x, y, r: F.huber_loss(x, y, 0.7, r),
              lambda x, y: np.where(np.abs(x - y) <= 0.7, 0.5 * (x - y) ** 2,
                                    0.7 * (np.abs(x - y) - 0.35))),
}


def _away_from_kinks(x, y, name):
    d = np.abs(x - y)
    if name == "l1":
        return (d > 1e-2).all()
    if name == "huber":
        return (np.abs(d - 0.7) > 1e-2).all()
    return True


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", sorted(REGRESSION))
@settings(max_examples=6, deadline=None)
@given(pair=_pairs())
def test_regression_losses(name, reduction, pair):
    x, y = pair
    fn, ref = REGRESSION[name]
    out = fn(ag.tensor(x), ag.tensor(y), reduction)
    if x.size or reduction != "mean":
        np.testing.assert_allclose(out.numpy(), _reduce(ref(x, y), reduction), rtol=1e-12,
                                   atol=1e-12)
    if x.size and _away_from_kinks(x, y, name):
        assert ag.gradcheck(lambda a, b: fn(a, b, reduction), (x, y))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@settings(max_examples=6, deadline=None)
@given(pair=_pairs(lo=0.05, hi=0.95, min_side=1))
def test_binary_cross_entropy(reduction, pair):
    p, y = pair
    out = F.binary_cross_entropy(ag.tensor(p), ag.tensor(y), reduction=reduction)
    ref = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    np.testing.assert_allclose(out.numpy(), _reduce(ref, reduction), rtol=1e-10)
    assert ag.gradcheck(lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction), (p, y))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@settings(max_examples=6, deadline=None)
@given(pair=_pairs(lo=-4, hi=4, min_side=1))
def test_binary_cross_entropy_with_logits(reduction, pair):
    z, y = pair
    y = (y + 4) / 8  # soft labels in [0, 1]
    out = F.binary_cross_entropy_with_logits(ag.tensor(z), ag.tensor(y), reduction=reduction)
    s = 1 / (1 + np.exp(-z))
    ref = -(y * np.log(s) + (1 - y) * np.log(1 - s))
    np.testing.assert_allclose(out.numpy(), _reduce(ref, reduction), rtol=1e-10)
    assert ag.gradcheck(
        lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction=reduction), (z, y))
    pos_weight = np.linspace(0.5, 3.0, z.shape[-1]) if z.ndim else 2.0
    assert ag.gradcheck(lambda a: F.binary_cross_entropy_with_logits(
        a, y, pos_weight=pos_weight, reduction=reduction), (z,))
    assert ag.gradgradcheck(lambda a: F.binary_cross_entropy_with_logits(a, y), (z,))


def test_bce_with_logits_is_stable_for_huge_logits():
    for dtype in ("float32", "float64"):
        z = ag.tensor(np.array([1e4, -1e4, 1e4, -1e4, 0.0], dtype), requires_grad=True)
        y = np.array([1.0, 0.0, 0.0, 1.0, 1.0], dtype)
        loss = F.binary_cross_entropy_with_logits(z, y, reduction="none")
        np.testing.assert_allclose(loss.numpy(), [0, 0, 1e4, 1e4, np.log(2)], rtol=1e-6)
        loss.sum().backward()
        np.testing.assert_allclose(z.grad.numpy(), [0, 0, 1, -1, -0.5], atol=1e-7)
    assert ag.gradcheck(lambda a: F.binary_cross_entropy_with_logits(a, np.array([1.0, 0.0])),
                        (np.array([1e4, -1e4]),))


def test_bce_clamps_probabilities_and_rejects_values_outside_0_1():
    p = ag.tensor(np.array([0.0, 1.0, 0.0, 1.0]), requires_grad=True)
    loss = F.binary_cross_entropy(p, [0.0, 1.0, 1.0, 0.0], reduction="none")
    assert np.isfinite(loss.numpy()).all() and loss.numpy()[2] > 30
    loss.sum().backward()
    assert np.isfinite(p.grad.numpy()).all()
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        F.binary_cross_entropy(ag.tensor([1.5, 0.2]), [1.0, 0.0])


def _ce_reference(logits, target, weight=None, ignore_index=-100, smoothing=0.0):
    logp = logits - logits.max(1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(1, keepdims=True))
    n, c = logits.shape
    w = np.ones(c) if weight is None else weight
    losses, weights = [], []
    for i in range(n):
        if target[i] == ignore_index:
            losses.append(0.0)
            continue
        nll = -w[target[i]] * logp[i, target[i]]
        smooth = -(w * logp[i]).sum() / c
        losses.append((1 - smoothing) * nll + smoothing * smooth)
        weights.append(w[target[i]])
    return np.array(losses), np.sum(weights)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 5), c=st.integers(1, 4), seed=st.integers(0, 2**16),
       smoothing=st.sampled_from([0.0, 0.2]), weighted=st.booleans(), ignore=st.booleans())
def test_cross_entropy_with_class_indices(n, c, seed, smoothing, weighted, ignore):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, c)) * 3
    target = rng.integers(0, c, n)
    if ignore:
        target[0] = -100
    weight = rng.uniform(0.5, 2.0, c) if weighted else None
    losses, total_weight = _ce_reference(logits, target, weight, -100, smoothing)
    kwargs = dict(weight=weight, label_smoothing=smoothing)
    out = F.cross_entropy(ag.tensor(logits), target, reduction="none", **kwargs)
    np.testing.assert_allclose(out.numpy(), losses, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(F.cross_entropy(ag.tensor(logits), target, reduction="sum",
                                               **kwargs).item(), losses.sum(), rtol=1e-10)
    if total_weight > 0:
        mean = F.cross_entropy(ag.tensor(logits), target, **kwargs).item()
        np.testing.assert_allclose(mean, losses.sum() / total_weight, rtol=1e-10)
        assert ag.gradcheck(lambda a: F.cross_entropy(a, target, **kwargs), (logits,))
        assert ag.gradgradcheck(lambda a: F.cross_entropy(a, target, **kwargs), (logits,))
    # nll_loss on log_softmax is the same thing
    nll = F.nll_loss(F.log_softmax(ag.tensor(logits), 1), target, reduction="none", **kwargs)
    np.testing.assert_allclose(nll.numpy(), losses, rtol=1e-10, atol=1e-12)


@settings(max_examples=8, deadline=None)
@given(n=st.integers(1, 4), c=st.integers(2, 4), seed=st.integers(0, 2**16),
       smoothing=st.sampled_from([0.0, 0.1]), reduction=st.sampled_from(REDUCTIONS))
def test_cross_entropy_with_probability_targets(n, c, seed, smoothing, reduction):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, c))
    probs = rng.dirichlet(np.ones(c), n)
    logp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    smoothed = probs * (1 - smoothing) + smoothing / c
    ref = _reduce(-(smoothed * logp).sum(1), reduction)
    out = F.cross_entropy(ag.tensor(logits), probs, reduction=reduction,
                          label_smoothing=smoothing)
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-10)
    assert ag.gradcheck(lambda a, p: F.cross_entropy(a, p, reduction=reduction,
                                                     label_smoothing=smoothing), (logits, probs))
    # hard labels as one-hot probabilities give the index form's loss
    idx = rng.integers(0, c, n)
    np.testing.assert_allclose(F.cross_entropy(ag.tensor(logits), np.eye(c)[idx]).item(),
                               F.cross_entropy(ag.tensor(logits), idx).item(), rtol=1e-12)


def test_cross_entropy_spatial_and_unbatched_shapes():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(2, 3, 4))  # (N, C, L)
    target = rng.integers(0, 3, (2, 4))
    flat = F.cross_entropy(ag.tensor(logits.transpose(0, 2, 1).reshape(-1, 3)),
                           target.reshape(-1), reduction="none")
    out = F.cross_entropy(ag.tensor(logits), target, reduction="none")
    assert out.shape == (2, 4)
    np.testing.assert_allclose(out.numpy().reshape(-1), flat.numpy())
    assert ag.gradcheck(lambda a: F.cross_entropy(a, target), (logits,))
    single = F.cross_entropy(ag.tensor(logits[0, :, 0]), np.int64(target[0, 0]))
    np.testing.assert_allclose(single.item(), flat.numpy()[0])


def test_cross_entropy_is_stable_for_huge_logits():
    for dtype in ("float32", "float64"):
        z = ag.tensor(np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], dtype), requires_grad=True)
        loss = F.cross_entropy(z, [0, 0], reduction="none")
        np.testing.assert_allclose(loss.numpy(), [0.0, 2e4], rtol=1e-6)
        loss.sum().backward()
        assert np.isfinite(z.grad.numpy()).all()
        np.testing.assert_allclose(z.grad.numpy(), [[0, 0, 0], [-1, 1, 0]], atol=1e-6)
    assert ag.gradcheck(lambda a: F.cross_entropy(a, [0, 2]),
                        (np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 3.0]]),))


def test_cross_entropy_rejects_bad_targets():
    logits = ag.tensor(np.zeros((3, 4)))
    with pytest.raises(IndexError, match=r"class 4 is out of range for 4 classes"):
        F.cross_entropy(logits, [0, 1, 4])
    with pytest.raises(IndexError, match=r"class -1 is out of range"):
        F.cross_entropy(logits, [0, -1, 2])  # never NumPy's wraparound to the last class
    with pytest.raises(ValueError, match=r"targets of shape \(3,\), got \(3, 1\)"):
        F.cross_entropy(logits, np.zeros((3, 1), dtype=int))
    with pytest.raises(ValueError, match=r"targets of shape \(3,\), got \(2,\)"):
        F.cross_entropy(logits, [0, 1])
    with pytest.raises(ValueError, match="probability targets must have the input's shape"):
        F.cross_entropy(logits, np.zeros((3, 3)))
    with pytest.raises(TypeError, match="must be integers"):
        F.nll_loss(logits, np.array([True, False, True]))
    with pytest.raises(ValueError, match=r"weight must have shape \(4,\)"):
        F.cross_entropy(logits, [0, 1, 2], weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="reduction must be one of"):
        F.cross_entropy(logits, [0, 1, 2], reduction="avg")


def test_regression_losses_reject_shape_mismatch():
    with pytest.raises(ValueError, match=r"input shape \(4, 1\) and target shape \(4,\)"):
        F.mse_loss(ag.zeros(4, 1), ag.zeros(4))
    with pytest.raises(ValueError, match="delta must be positive"):
        F.huber_loss(ag.zeros(2), ag.zeros(2), delta=0.0)


def test_ignore_index_excludes_samples_from_the_mean():
    logits = ag.tensor(np.array([[2.0, 0.0], [0.0, 2.0], [5.0, -5.0]]))
    full = F.cross_entropy(logits[:2], [0, 1]).item()
    assert F.cross_entropy(logits, [0, 1, 7], ignore_index=7).item() == pytest.approx(full)


LOSS_MODULES = [
    (nn.MSELoss(), F.mse_loss, "float"), (nn.L1Loss("sum"), lambda a, b: F.l1_loss(a, b, "sum"),
                                           "float"),
    (nn.HuberLoss(0.5), lambda a, b: F.huber_loss(a, b, 0.5), "float"),
    (nn.BCEWithLogitsLoss(), F.binary_cross_entropy_with_logits, "prob"),
    (nn.BCELoss(), lambda a, b: F.binary_cross_entropy(F.sigmoid(a), b), "prob"),
    (nn.CrossEntropyLoss(label_smoothing=0.1),
     lambda a, b: F.cross_entropy(a, b, label_smoothing=0.1), "index"),
    (nn.NLLLoss(), F.nll_loss, "index"),
]


@pytest.mark.parametrize("module, fn, kind", LOSS_MODULES,
                         ids=[type(m).__name__ for m, _, _ in LOSS_MODULES])
def test_loss_modules_match_functions(module, fn, kind):
    x = ag.randn(4, 3, dtype="float64")
    target = {"float": np.ones((4, 3)), "prob": np.full((4, 3), 0.25),
              "index": np.array([0, 2, 1, 0])}[kind]
    if isinstance(module, nn.BCELoss):
        x = F.sigmoid(x)
        expected = F.binary_cross_entropy(x, target)
    else:
        expected = fn(x, target)
    assert module(x, target).item() == pytest.approx(expected.item())
    with pytest.raises(ValueError, match="reduction"):
        type(module)(reduction="avg")
