"""Threshold logic units and the perceptron: hand-built McCulloch–Pitts logic networks,
perceptron convergence on separable data (AND, OR, iris setosa vs rest), failure on XOR."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
GATES = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "xor": [0, 1, 1, 0]}


def _run(unit, x):
    return unit(ag.tensor(x)).numpy()


def test_hand_built_logic_gates_from_threshold_units():
    and_gate = nn.TLU.from_weights([1.0, 1.0], -1.5)
    or_gate = nn.TLU.from_weights([1.0, 1.0], -0.5)
    not_gate = nn.TLU.from_weights([-1.0], 0.5)
    np.testing.assert_array_equal(_run(and_gate, INPUTS)[:, 0], GATES["and"])
    np.testing.assert_array_equal(_run(or_gate, INPUTS)[:, 0], GATES["or"])
    np.testing.assert_array_equal(_run(not_gate, [[0.0], [1.0]])[:, 0], [1, 0])
    # XOR = AND(OR(a, b), NAND(a, b)): two layers of threshold units
    hidden = nn.TLU.from_weights([[1.0, -1.0], [1.0, -1.0]], [-0.5, 1.5])  # OR, NAND
    xor = nn.Sequential(hidden, nn.TLU.from_weights([1.0, 1.0], -1.5))
    np.testing.assert_array_equal(_run(xor, INPUTS)[:, 0], GATES["xor"])
    # the same with the step activation module in a hand-built network
    manual = nn.Sequential(nn.Linear(2, 1), nn.Step())
    manual.load_state_dict({"0.weight": [[1.0], [1.0]], "0.bias": [-1.5]})
    np.testing.assert_array_equal(_run(manual, INPUTS)[:, 0], GATES["and"])


def test_sign_tlu_and_shape_errors():
    unit = nn.TLU.from_weights([1.0, 1.0], -1.0, activation="sign")
    np.testing.assert_array_equal(_run(unit, INPUTS)[:, 0], [-1, 0, 0, 1])
    with pytest.raises(ValueError, match="'heaviside'.*or 'sign'"):
        nn.TLU(2, activation="relu")
    with pytest.raises(ValueError, match=r"expected input of shape \(\.\.\., 2\), got \(4, 3\)"):
        unit(ag.zeros(4, 3))
    with pytest.raises(ValueError, match=r"weight must have shape \(2, 1\)"):
        nn.TLU(2, 1, weight=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("gate", ["and", "or"])
@pytest.mark.parametrize("activation", ["heaviside", "sign"])
def test_perceptron_learns_linearly_separable_gates(gate, activation):
    y = np.array(GATES[gate], dtype=float)
    if activation == "sign":
        y = 2 * y - 1
    p = nn.Perceptron(2, activation=activation, max_epochs=100, generator=0).fit(INPUTS, y)
    assert p.converged_ and p.errors_[-1] == 0 and p.n_epochs_ == len(p.errors_) < 100
    np.testing.assert_array_equal(p.predict(INPUTS), y)
    assert p.score(INPUTS, y) == 1.0
    # the learned weights are the module's parameters: forward agrees with predict
    np.testing.assert_array_equal(p(ag.tensor(INPUTS)).numpy()[:, 0], p.predict(INPUTS))


def test_perceptron_visibly_fails_on_xor():
    y = np.array(GATES["xor"], dtype=float)
    p = nn.Perceptron(2, max_epochs=50, generator=0).fit(INPUTS, y)
    assert not p.converged_ and p.n_epochs_ == 50
    assert min(p.errors_) > 0  # every epoch makes mistakes
    assert p.score(INPUTS, y) < 1.0  # no line separates XOR


def test_perceptron_separates_iris_setosa_from_the_rest():
    datasets = pytest.importorskip("datasets")
    X, y = datasets.load_iris(return_X_y=True)
    setosa = (y == 0).astype(float)
    p = nn.Perceptron(4, lr=0.1, max_epochs=100, generator=1).fit(X, setosa)
    assert p.converged_, p.errors_
    np.testing.assert_array_equal(p.predict(X), setosa)
    # petal length and width alone (the textbook example) are separable too
    p2 = nn.Perceptron(2, max_epochs=100, shuffle=False).fit(X[:, 2:], setosa)
    assert p2.converged_ and p2.score(X[:, 2:], setosa) == 1.0


def test_perceptron_multiple_outputs_and_reproducibility():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 3))
    Y = np.stack([(X @ [1.0, -2.0, 0.5] > 0), (X @ [-1.0, 0.3, 2.0] > 0.2)], 1).astype(float)
    a = nn.Perceptron(3, 2, max_epochs=500, generator=5).fit(X, Y)
    b = nn.Perceptron(3, 2, max_epochs=500, generator=5).fit(X, Y)
    assert a.converged_ and a.predict(X).shape == (60, 2)
    np.testing.assert_array_equal(a.weight.numpy(), b.weight.numpy())
    assert a.errors_ == b.errors_


def test_perceptron_rule_single_step_by_hand():
    # w starts at 0; instance x=(1, 2) with y=0: heaviside(0)=1 is wrong, so
    # w <- 0 + lr * (0 - 1) * x and b <- 0 + lr * (0 - 1)
    p = nn.Perceptron(2, lr=0.5, max_epochs=1, shuffle=False).fit([[1.0, 2.0]], [0.0])
    np.testing.assert_allclose(p.weight.numpy()[:, 0], [-0.5, -1.0])
    np.testing.assert_allclose(p.bias.numpy(), [-0.5])
    assert p.errors_ == [1] and not p.converged_


def test_perceptron_input_errors():
    p = nn.Perceptron(2)
    with pytest.raises(ValueError, match=r"expected X of shape \(n_samples, 2\)"):
        p.fit(np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="labels must be 0 or 1"):
        p.fit(INPUTS, [0, 1, 2, 1])
    with pytest.raises(ValueError, match="expected y of shape"):
        p.fit(INPUTS, [0, 1, 1])
    with pytest.raises(ValueError, match="lr must be positive"):
        nn.Perceptron(2, lr=0)
