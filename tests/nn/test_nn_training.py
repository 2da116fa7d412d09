"""End to end: a 2-2-1 MLP learns XOR by gradient descent, and a training run under
autograd_core.manual_seed is reproducible bit for bit on CPU."""

import numpy as np

import autograd_core as ag
from autograd_core import nn
from autograd_core.nn import functional as F

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=float)


def _sgd_step(model, lr):
    with ag.no_grad():
        for p in model.parameters():
            p.data -= lr * p.grad.data
            p._bump_version()


def test_two_two_one_mlp_solves_xor():
    ag.manual_seed(0)
    model = nn.MLP(2, [2], 1, activation="tanh")
    assert model.num_parameters() == 9
    x, y = ag.tensor(XOR_X), ag.tensor(XOR_Y)
    for _ in range(1500):
        loss = F.binary_cross_entropy_with_logits(model(x), y)
        model.zero_grad()
        loss.backward()
        _sgd_step(model, 0.5)
    assert loss.item() < 0.05
    predictions = (F.sigmoid(model(x)).numpy() > 0.5).astype(float)
    np.testing.assert_array_equal(predictions, XOR_Y)
    # where the single-layer perceptron cannot
    perceptron = nn.Perceptron(2, max_epochs=30, generator=0).fit(XOR_X, XOR_Y[:, 0])
    assert not perceptron.converged_


def _training_run(seed):
    ag.manual_seed(seed)
    model = nn.Sequential(nn.MLP(5, [16, 8], 3, dropout=0.3), nn.BatchNorm1d(3))
    x = ag.randn(32, 5)
    target = ag.randint(0, 3, (32,))
    for _ in range(10):
        loss = F.cross_entropy(model(x), target) + nn.l2_penalty(model, 1e-3)
        model.zero_grad()
        loss.backward()
        _sgd_step(model, 0.1)
    return {k: v.numpy().copy() for k, v in model.state_dict().items()}, loss.item()


def test_training_is_reproducible_bit_for_bit_under_manual_seed():
    first, loss1 = _training_run(123)
    second, loss2 = _training_run(123)
    assert loss1 == loss2
    for name in first:
        assert first[name].tobytes() == second[name].tobytes(), name
    third, _ = _training_run(124)
    assert any(first[k].tobytes() != third[k].tobytes() for k in first)
