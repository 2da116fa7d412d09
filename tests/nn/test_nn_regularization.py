"""Weight penalties: only weights (ndim >= 2) count, values and gradients."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn


def _model():
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1))
    model.load_state_dict({
        "0.weight": [[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]], "0.bias": [10.0, 10.0, 10.0],
        "1.weight": [5.0, 5.0, 5.0], "1.bias": [7.0, 7.0, 7.0],
        "1.running_mean": np.zeros(3), "1.running_var": np.ones(3),
        "1.num_batches_tracked": 0,
        "2.weight": [[2.0], [-1.0], [1.0]], "2.bias": [4.0],
    })
    return model


def test_penalties_use_weights_only():
    model = _model()
    l1 = 1 + 2 + 0.5 + 0 + 3 + 1 + 2 + 1 + 1
    l2 = 1 + 4 + 0.25 + 0 + 9 + 1 + 4 + 1 + 1
    assert nn.l1_penalty(model).item() == pytest.approx(l1)
    assert nn.l2_penalty(model, 0.1).item() == pytest.approx(0.1 * l2)
    assert nn.elastic_net_penalty(model, 2.0, 0.3).item() == pytest.approx(
        2.0 * (0.3 * l1 + 0.7 * l2))
    assert [p.shape for p in nn.regularization.weights(model)] == [(2, 3), (3, 1)]


def test_penalty_gradients():
    model = _model()
    nn.l2_penalty(model, 0.5).backward()
    np.testing.assert_allclose(model[0].weight.grad.numpy(), model[0].weight.numpy())
    assert model[0].bias.grad is None and model[1].weight.grad is None
    model.zero_grad()
    nn.l1_penalty(model).backward()
    np.testing.assert_array_equal(model[2].weight.grad.numpy(), [[1], [-1], [1]])


def test_explicit_tensors_and_empty():
    w = ag.tensor([1.0, -3.0], requires_grad=True)
    assert nn.l1_penalty([w]).item() == 4.0
    assert nn.l2_penalty(w).item() == 10.0
    assert nn.l2_penalty(nn.Sequential()).item() == 0.0
    with pytest.raises(ValueError, match="l1_ratio"):
        nn.elastic_net_penalty(w, l1_ratio=2)


# -- per-layer regularizers (Keras' kernel_regularizer) ------------------------------------

W = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])


@pytest.mark.parametrize("reg, expected", [
    (nn.L1(0.1), 0.1 * np.abs(W).sum()),
    (nn.L2(0.01), 0.01 * np.square(W).sum()),
    (nn.ElasticNet(l1=0.2, l2=0.3), 0.2 * np.abs(W).sum() + 0.3 * np.square(W).sum()),
    (nn.L1L2(l1=0.0, l2=0.0), 0.0),
])
def test_regularizer_values_and_gradients(reg, expected):
    w = ag.tensor(W, requires_grad=True)
    value = reg(w)
    assert value.item() == pytest.approx(expected)
    value.backward()
    np.testing.assert_allclose(w.grad.numpy(), reg.l1 * np.sign(W) + 2 * reg.l2 * W)


def test_regularizer_defaults_names_and_errors():
    assert (nn.L1().l1, nn.L2().l2) == (0.01, 0.01)  # Keras' default factors
    assert (nn.ElasticNet().l1, nn.ElasticNet().l2) == (0.01, 0.01)
    assert nn.regularization.get_regularizer("l2") == nn.L2(0.01)
    assert nn.regularization.get_regularizer("l1_l2") == nn.ElasticNet(0.01, 0.01)
    with pytest.raises(ValueError, match="non-negative"):
        nn.L2(-1.0)
    with pytest.raises(ValueError, match="weight_regularizer"):
        nn.Linear(2, 2, weight_regularizer="l3")
    assert "weight_regularizer=L2(0.01)" in repr(nn.Linear(2, 2, weight_regularizer=nn.L2()))


def test_penalty_sums_every_layers_terms():
    model = nn.Sequential(nn.Linear(2, 3, weight_regularizer=nn.L1(0.5)), nn.ReLU(),
                          nn.Linear(3, 1, weight_regularizer=nn.L2(0.25),
                                    bias_regularizer=nn.L2(1.0)), nn.Linear(1, 1))
    model[2].bias.data[...] = 3.0
    w0, w1, b1 = (model[0].weight.numpy(), model[2].weight.numpy(), model[2].bias.numpy())
    expected = 0.5 * np.abs(w0).sum() + 0.25 * np.square(w1).sum() + np.square(b1).sum()
    assert nn.regularization.penalty(model).item() == pytest.approx(expected)
    assert nn.regularization.penalty(nn.Sequential(nn.Linear(2, 2))) is None
    loss = nn.functional.mse_loss
    assert nn.regularization.with_penalty(loss, nn.Linear(2, 2)) is loss


@pytest.mark.parametrize("reg", [nn.L2(0.05), nn.L1(0.02), nn.ElasticNet(0.02, 0.05)])
def test_fit_adds_the_penalty_to_each_batch(reg):
    rng = np.random.default_rng(0)
    X, t = rng.normal(size=(16, 2)), rng.normal(size=(16, 1))
    model = nn.Linear(2, 1, weight_regularizer=reg, dtype="float64", generator=0)
    W0, b0 = model.weight.numpy().copy(), model.bias.numpy().copy()
    from autograd_core import optim
    lr = 0.1
    history = nn.fit(model, X, t, loss="mse", optimizer=optim.SGD(model.parameters(), lr=lr),
                     epochs=1, batch_size=16, shuffle=False, verbose=0)
    # NumPy oracle: one full-batch step on mean((XW + b - t)²) + l1 Σ|W| + l2 ΣW²
    r = X @ W0 + b0 - t
    reported = np.mean(r**2) + reg.l1 * np.abs(W0).sum() + reg.l2 * np.square(W0).sum()
    assert history.history["loss"][0] == pytest.approx(reported)
    grad_W = 2 / 16 * X.T @ r + reg.l1 * np.sign(W0) + 2 * reg.l2 * W0
    np.testing.assert_allclose(model.weight.numpy(), W0 - lr * grad_W, rtol=1e-12)
    np.testing.assert_allclose(model.bias.numpy(), b0 - lr * 2 * r.mean(0), rtol=1e-12)


def test_linear_takes_numpy_int_sizes():
    layer = nn.Linear(np.int64(3), np.int32(2), weight_regularizer=nn.L2())
    assert (layer.in_features, layer.out_features) == (3, 2)
    assert type(layer.in_features) is int and layer.weight.shape == (3, 2)
    with pytest.raises(ValueError, match="non-negative int"):
        nn.Linear(2.0, 3)
