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
