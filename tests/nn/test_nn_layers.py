"""Layers: Linear, Dropout, BatchNorm1d, Flatten, Identity, MLP and summary."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn
from autograd_core.nn import functional as F


def test_linear_is_x_at_w_plus_b_with_textbook_layout():
    lin = nn.Linear(3, 2)
    assert lin.weight.shape == (3, 2) and lin.bias.shape == (2,)
    assert np.all(lin.bias.numpy() == 0) and np.any(lin.weight.numpy() != 0)
    x = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    expected = x @ lin.weight.numpy() + lin.bias.numpy()
    np.testing.assert_allclose(lin(ag.tensor(x)).numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(lin(x).numpy(), expected, rtol=1e-6)  # arrays are accepted
    assert lin(ag.randn(2, 5, 3)).shape == (2, 5, 2)
    assert lin(ag.randn(3)).shape == (2,)
    assert nn.Linear(3, 2, bias=False).bias is None
    assert nn.Dense is nn.Linear


def test_linear_glorot_default_bounds():
    lin = nn.Linear(300, 200)
    bound = np.sqrt(6 / 500)
    w = lin.weight.numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert abs(w.var() - bound**2 / 3) < 0.05 * bound**2 / 3


def test_linear_gradcheck():
    lin = nn.Linear(3, 2, dtype="float64")
    x = np.random.default_rng(1).normal(size=(4, 3))
    assert ag.gradcheck(lambda xx, w, b: F.linear(xx, w, b),
                        (x, lin.weight.numpy(), lin.bias.numpy()))


def test_linear_wrong_feature_size_names_both_shapes():
    lin = nn.Linear(3, 2)
    with pytest.raises(ValueError, match=r"expected input of shape \(\.\.\., 3\), got \(4, 5\)"):
        lin(ag.randn(4, 5))
    with pytest.raises(ValueError, match=r"got \(\)"):
        lin(ag.tensor(1.0))
    with pytest.raises(ValueError, match="in_features must be a non-negative int"):
        nn.Linear(2.5, 3)


def test_dropout_train_and_eval():
    drop = nn.Dropout(0.25, generator=0)
    x = ag.ones(200, 50)
    y = drop(x).numpy()
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.02
    np.testing.assert_allclose(y[kept], 1 / 0.75)  # inverted scaling
    assert abs(y.mean() - 1.0) < 0.03
    drop.eval()
    assert drop(x) is x
    assert nn.Dropout(0.0)(x) is x
    assert np.all(nn.Dropout(1.0)(x).numpy() == 0)
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
        nn.Dropout(1.5)


def test_dropout_gradient_flows_only_through_kept_units():
    x = ag.ones(10, 10, requires_grad=True)
    y = nn.Dropout(0.5, generator=3)(x)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())


def test_dropout_is_seeded():
    x = ag.ones(5, 7)
    a = nn.Dropout(0.5, generator=42)(x).numpy()
    b = nn.Dropout(0.5, generator=42)(x).numpy()
    np.testing.assert_array_equal(a, b)
    layer = nn.Dropout(0.5, generator=42)
    assert not np.array_equal(layer(x).numpy(), layer(x).numpy())  # fresh mask per call
    ag.manual_seed(7)
    c = nn.Dropout(0.5)(x).numpy()
    ag.manual_seed(7)
    np.testing.assert_array_equal(c, nn.Dropout(0.5)(x).numpy())


def test_batchnorm_training_normalises_and_updates_running_stats():
    rng = np.random.default_rng(0)
    data = rng.normal(3.0, 2.0, size=(64, 4))
    bn = nn.BatchNorm1d(4, dtype="float64")
    out = bn(ag.tensor(data)).numpy()
    np.testing.assert_allclose(out.mean(0), 0, atol=1e-10)
    np.testing.assert_allclose(out.std(0), 1, atol=1e-3)
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.1 * data.mean(0))
    np.testing.assert_allclose(bn.running_var.numpy(), 0.9 + 0.1 * data.var(0, ddof=1))
    assert bn.num_batches_tracked.item() == 1


def test_batchnorm_eval_uses_running_stats_and_is_per_sample():
    rng = np.random.default_rng(1)
    bn = nn.BatchNorm1d(3, momentum=None, dtype="float64")
    batches = [rng.normal(2.0, 3.0, size=(32, 3)) for _ in range(5)]
    for b in batches:
        bn(ag.tensor(b))
    everything = np.concatenate(batches)
    np.testing.assert_allclose(bn.running_mean.numpy(), everything.mean(0))  # cumulative
    bn.eval()
    x = rng.normal(size=(6, 3))
    expected = (x - bn.running_mean.numpy()) / np.sqrt(bn.running_var.numpy() + bn.eps)
    out = bn(ag.tensor(x)).numpy()
    np.testing.assert_allclose(out, expected)
    np.testing.assert_allclose(bn(ag.tensor(x[:1])).numpy(), expected[:1])  # batch of one
    before = bn.running_mean.numpy().copy()
    bn(ag.tensor(x))
    np.testing.assert_array_equal(bn.running_mean.numpy(), before)  # eval does not update


def test_batchnorm_gradcheck_and_three_d_input():
    rng = np.random.default_rng(2)
    bn = nn.BatchNorm1d(3, dtype="float64")
    x = rng.normal(size=(4, 3, 5))
    assert bn(ag.tensor(x)).shape == (4, 3, 5)
    mean, var = x.mean(axis=(0, 2), keepdims=True), x.var(axis=(0, 2), keepdims=True)
    np.testing.assert_allclose(bn(ag.tensor(x)).numpy(), (x - mean) / np.sqrt(var + bn.eps),
                               atol=1e-12)
    layer = nn.BatchNorm1d(3, dtype="float64")

    def through_layer(xx):
        return layer(xx)

    assert ag.gradcheck(through_layer, (rng.normal(size=(5, 3)),))
    assert ag.gradcheck(through_layer, (x,))


def test_batchnorm_errors():
    bn = nn.BatchNorm1d(4)
    with pytest.raises(ValueError, match=r"expected input of shape \(N, 4\).*got \(5, 3\)"):
        bn(ag.randn(5, 3))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        bn(ag.randn(1, 4))
    bn.eval()
    assert bn(ag.randn(1, 4)).shape == (1, 4)


def test_flatten_and_identity():
    x = ag.randn(2, 3, 4)
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0)(x).shape == (24,)
    assert nn.Identity(54, unused="ok")(x) is x


def test_mlp_structure_and_init():
    mlp = nn.MLP(4, [8, 6], 3, activation="relu", output_activation="softmax", dropout=0.2)
    kinds = [type(m).__name__ for m in mlp]
    assert kinds == ["Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear",
                     "Softmax"]
    assert mlp(ag.randn(5, 4)).shape == (5, 3)
    np.testing.assert_allclose(mlp(ag.randn(5, 4)).numpy().sum(1), 1, rtol=1e-5)
    assert [n for n, _ in mlp.named_parameters()] == [
        "0.weight", "0.bias", "3.weight", "3.bias", "6.weight", "6.bias"]
    plain = nn.MLP(3, [], 2)
    assert [type(m).__name__ for m in plain] == ["Linear"]
    tanh = nn.MLP(2, [4], 1, activation=nn.Tanh, output_activation=None)
    assert [type(m).__name__ for m in tanh] == ["Linear", "Tanh", "Linear"]
    # He-uniform before ReLU: bound sqrt(6 / fan_in)
    wide = nn.MLP(400, [300], 10)
    assert np.abs(wide[0].weight.numpy()).max() > np.sqrt(6 / 700)
    assert np.abs(wide[0].weight.numpy()).max() <= np.sqrt(6 / 400)


def test_mlp_seeded_construction():
    a = nn.MLP(3, [5], 2, generator=11)
    b = nn.MLP(3, [5], 2, generator=11)
    for (_, p), (_, q) in zip(a.named_parameters(), b.named_parameters()):
        np.testing.assert_array_equal(p.numpy(), q.numpy())


def test_summary_table():
    model = nn.Sequential(nn.Flatten(), nn.Linear(12, 5), nn.BatchNorm1d(5), nn.ReLU(),
                          nn.Linear(5, 2))
    model.train()
    lines = []
    text = nn.summary(model, (3, 4), print_fn=lines.append)
    assert lines == [text]
    assert "Layer (type)" in text and "Output Shape" in text and "Param #" in text
    assert "1 (Linear)" in text and "(None, 5)" in text and "65" in text
    assert "(None, 12)" in text and "(None, 2)" in text
    assert "Total params: 87" in text and "Trainable params: 87" in text
    assert model.training and model[2].training  # mode restored
    assert model[2].num_batches_tracked.item() == 0  # running stats untouched
    model[1].requires_grad_(False)
    assert "Non-trainable params: 65" in nn.summary(model, (3, 4), print_fn=None)
